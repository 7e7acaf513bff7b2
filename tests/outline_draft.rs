//! `outline new`: a draft outline from the plan's text, Markdown or Word.

mod common;

use baocao::outline::draft::{self, DraftError, NoteKind};
use baocao::outline::{Item, Kind, Layout, Outline};
use common::*;
use std::io::Write;

/// The plan as the province wrote it (copied from the Word file).
const SEED: &str = include_str!("data/ke-hoach-123-KH-TU-de-cuong.txt");

fn drafted(text: &str) -> draft::Draft {
    draft::from_bytes(text.as_bytes(), "plan.txt").unwrap_or_else(|e| panic!("{e:?}"))
}

/// (depth, marker, title, intro, guidance) in reading order, front matter left out.
fn shape(o: &Outline) -> Vec<(usize, String, String, Option<String>, Vec<String>)> {
    o.entries()
        .iter()
        .filter(|e| !e.item.front_matter)
        .map(|e| {
            (
                e.depth,
                e.item.marker.clone(),
                e.item.title.clone(),
                e.item.intro.clone(),
                e.item.guidance.clone(),
            )
        })
        .collect()
}

#[test]
fn the_seed_gives_the_2014_outline_verbatim() {
    let d = drafted(SEED);
    let ours = shape(&d.outline);
    let theirs = shape(Outline::embedded());
    for (a, b) in ours.iter().zip(&theirs) {
        assert_eq!(a, b);
    }
    assert_eq!(ours.len(), theirs.len());
    let o = &d.outline;
    assert_eq!(o.title, Outline::embedded().title);
    assert_eq!(o.issued_with, Outline::embedded().issued_with);
    assert_eq!(o.plan.number, "123-KH/TU");
    assert_eq!(o.plan.date, "29/08/2014");
    assert_eq!(o.plan.issuer, "Ban Thường vụ Tỉnh ủy");
    assert_eq!((o.plan.period.from, o.plan.period.to), (2009, 2014));
    assert_eq!(o.document.layout, Layout::Party);
    // Ids as the hand-built outline has them.
    let ids: Vec<_> = o.entries().iter().map(|e| e.item.id.clone()).collect();
    let want: Vec<_> = Outline::embedded()
        .entries()
        .iter()
        .map(|e| e.item.id.clone())
        .collect();
    assert_eq!(ids, want);
    // Each guidance bullet of a leaf item is a text field.
    let i = o.item("A.II.1").unwrap();
    let bullets: Vec<_> = i
        .fields
        .iter()
        .filter(|f| f.kind == Kind::Text)
        .map(|f| f.bullet)
        .collect();
    assert_eq!(bullets, [Some(0), Some(1), Some(2), Some(3)]);
    // "(số văn bản, ngày ban hành và cơ quan ban hành)": a table.
    let t = o
        .item("A.I.2")
        .unwrap()
        .fields
        .iter()
        .find(|f| f.kind == Kind::Table)
        .expect("a documents table");
    let cols: Vec<_> = t
        .columns
        .iter()
        .map(|c| (c.label.as_str(), c.kind))
        .collect();
    assert_eq!(
        cols,
        [
            ("Số văn bản", Kind::Text),
            ("Ngày ban hành", Kind::Date),
            ("Cơ quan ban hành", Kind::Text)
        ]
    );
    // "(nếu có)": optional, down to its sub-items.
    assert!(o.item("C").unwrap().optional && o.item("C.1").unwrap().optional);
    assert!(!o.item("C.1").unwrap().fields[0].required);
    // The organisation section: unit types and deadlines, for review.
    let t = |id: &str| {
        o.unit_type(id)
            .unwrap_or_else(|| panic!("{id}: {:?}", o.plan.unit_types))
    };
    assert_eq!(t("huyen").reports_to.as_deref(), Some("tinh"));
    assert_eq!(t("huyen").deadline.as_deref(), Some("20/10/2014"));
    assert_eq!(
        t("huyen").deadline_kind,
        baocao::outline::DeadlineKind::Before
    );
    assert_eq!(t("xa").reports_to.as_deref(), Some("huyen"));
    assert_eq!(t("khoi").deadline.as_deref(), Some("20/10/2014"));
    assert_eq!(t("mttq").deadline.as_deref(), Some("10/10/2014"));
    assert!(!t("mttq").in_totals);
    assert_eq!(t("tinh").reports_to, None);
    assert_eq!(
        o.plan.receiver.as_deref(),
        Some("Ban Thường vụ Tỉnh ủy (qua Ban Dân vận Tỉnh ủy)")
    );
    let review = d
        .notes
        .iter()
        .filter(|n| n.kind == NoteKind::Review)
        .count();
    assert!(review >= 5, "{:?}", d.notes);
    // The result passes the checker and re-reads as written.
    assert!(baocao::outline::check::check(o).is_empty());
    assert_eq!(&baocao::outline::parse(&d.json()).unwrap(), o);
}
