//! Property tests for the merge, in-process through the library: commune
//! reports are made with `Report::new`, saved with `store::save`, exported
//! by `Workspace::export`, then examined and accepted by a district
//! `Workspace` — the same path the command line and the UI take.
//!
//! What they hold the merge to (issue 4): importing is idempotent and
//! order-independent; sums are sums of the children's valid numbers; a
//! rate is Σ part ÷ Σ whole, never a mean of rates; replacing one child's
//! revision leaves the others' contribution alone; table rows arrive once
//! each, tagged with their unit, and keep their tag further up.

mod common;

use baocao::merge::{self, ROW_UNIT_CODE, ROW_UNIT_NAME, Source};
use baocao::outline::{Aggregate, Kind, Outline};
use baocao::report::{Answers, Report, Unit};
use baocao::store;
use baocao::validate::{self, FieldState};
use baocao::workspace::{Verdict, Workspace};
use proptest::prelude::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const DISTRICT: &str = "HU01";
const DISTRICT_NAME: &str = "Huyện ủy Tân Phú";
const PROVINCE: &str = "TINH";
const TABLE_ITEM: &str = "A.I.2";
const TABLE: &str = "van_ban";
const TEXT_ITEM: &str = "A.I.1";
const TEXT: &str = "hinh_thuc_quan_triet";

fn outline() -> &'static Outline {
    Outline::embedded()
}

/// Every field that rolls up by `sum`: (item, field).
fn sum_fields() -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in outline().entries() {
        for f in &e.item.fields {
            if f.aggregate == Aggregate::Sum {
                assert!(matches!(f.kind, Kind::Integer | Kind::Money), "{}", f.id);
                out.push((e.item.id.clone(), f.id.clone()));
            }
        }
    }
    assert!(out.len() > 10, "the outline has its sum fields");
    out
}

/// Every rate: (item, field, part, whole).
fn ratio_fields() -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    for e in outline().entries() {
        for f in &e.item.fields {
            if f.kind == Kind::Ratio {
                let [part, whole] = f.of.clone().expect("a ratio names its part and whole");
                out.push((e.item.id.clone(), f.id.clone(), part, whole));
            }
        }
    }
    assert!(out.len() >= 5, "the outline has its rates");
    out
}

/// One figure a commune may give.
#[derive(Debug, Clone, PartialEq)]
enum Fig {
    Absent,
    Num(u64),
    /// Kept as typed: not a number (invalid, flagged, never summed).
    Text,
    /// A number the field's rules refuse: negative.
    Negative,
    /// A number the field's rules refuse: a fraction in a whole-number field.
    Fraction,
}

impl Fig {
    fn value(&self) -> Option<Value> {
        match self {
            Fig::Absent => None,
            Fig::Num(n) => Some(json!(n)),
            Fig::Text => Some(json!("mười hai")),
            Fig::Negative => Some(json!(-7)),
            Fig::Fraction => Some(json!(2.5)),
        }
    }
    fn valid(&self) -> Option<u64> {
        match self {
            Fig::Num(n) => Some(*n),
            _ => None,
        }
    }
}

fn fig() -> impl Strategy<Value = Fig> {
    prop_oneof![
        3 => Just(Fig::Absent),
        10 => (0u64..5000).prop_map(Fig::Num),
        1 => Just(Fig::Text),
        1 => Just(Fig::Negative),
        1 => Just(Fig::Fraction),
    ]
}

/// What one commune answers: a figure per sum field (in `sum_fields`
/// order), a few rows of the documents table, perhaps a text.
#[derive(Debug, Clone)]
struct Answer {
    figs: Vec<Fig>,
    rows: usize,
    text: Option<String>,
}

fn answer() -> impl Strategy<Value = Answer> {
    let sums = sum_fields();
    let n = sums.len();
    (
        prop::collection::vec(fig(), n),
        0usize..3,
        prop::option::of("[a-zđêôơư]{1,12}( [a-zđêôơư]{1,12}){0,3}"),
    )
        .prop_map(move |(mut figs, rows, text)| {
            // A valid part never exceeds its valid whole (that is a field
            // error of its own, not what these properties are about).
            for (item, _, part, whole) in ratio_fields() {
                let at = |f: &str| {
                    sums.iter()
                        .position(|(i, x)| *i == item && x == f)
                        .expect("parts and wholes are sum fields")
                };
                let (p, w) = (at(&part), at(&whole));
                if let (Fig::Num(a), Fig::Num(b)) = (&figs[p], &figs[w])
                    && a > b
                {
                    figs.swap(p, w);
                }
            }
            Answer { figs, rows, text }
        })
}

fn code(i: usize) -> String {
    format!("X{i:02}")
}

fn name(i: usize) -> String {
    format!("Xã Số {i}")
}

/// A documents-table row that says where it was written.
fn row(owner: &str, j: usize) -> Value {
    json!({
        "so_ky_hieu": format!("{owner}-{j}/NQ"),
        "ngay_ban_hanh": "15/03/2010",
        "co_quan": format!("Đảng ủy {owner}"),
        "trich_yeu": "Về đổi mới nội dung, phương thức hoạt động",
    })
}

fn fill(report: &mut Report, a: &Answer, owner: &str) {
    for ((item, field), f) in sum_fields().iter().zip(&a.figs) {
        report.set_value(item, field, f.value().unwrap_or(Value::Null));
    }
    let rows: Vec<Value> = (0..a.rows).map(|j| row(owner, j)).collect();
    report.set_value(TABLE_ITEM, TABLE, Value::Array(rows));
    report.set_value(
        TEXT_ITEM,
        TEXT,
        a.text.clone().map(Value::String).unwrap_or(Value::Null),
    );
}

/// A unit's own report, saved, opened as a workspace.
fn unit_workspace(dir: &Path, unit: Unit) -> Workspace {
    let path = dir.join(format!("{}.json", unit.code));
    let report = Report::new(outline(), unit).expect("a valid unit");
    store::save(&path, &report).expect("saved");
    Workspace::new(&path, outline().clone(), report).expect("opened")
}

/// Exports the unit's package into `dir/usb/` and keeps the revision.
fn export(ws: &mut Workspace, dir: &Path) -> PathBuf {
    let usb = dir.join("usb");
    std::fs::create_dir_all(&usb).unwrap();
    let file = ws.export(&usb).expect("exported");
    store::save(&ws.path, &ws.report).expect("saved after export");
    file
}

/// A commune: report made, answered, saved, exported.
struct Commune {
    ws: Workspace,
    package: PathBuf,
}

fn commune(dir: &Path, i: usize, a: &Answer) -> Commune {
    let mut ws = unit_workspace(
        dir,
        Unit {
            unit_type: "xa".into(),
            code: code(i),
            name: name(i),
            parent_code: Some(DISTRICT.into()),
            parent_name: Some(DISTRICT_NAME.into()),
        },
    );
    fill(&mut ws.report, a, &code(i));
    store::save(&ws.path, &ws.report).unwrap();
    let package = export(&mut ws, dir);
    Commune { ws, package }
}

fn communes(dir: &Path, answers: &[Answer]) -> Vec<Commune> {
    answers
        .iter()
        .enumerate()
        .map(|(i, a)| commune(dir, i, a))
        .collect()
}

fn district(dir: &Path) -> Workspace {
    std::fs::create_dir_all(dir).unwrap();
    unit_workspace(
        dir,
        Unit {
            unit_type: "huyen".into(),
            code: DISTRICT.into(),
            name: DISTRICT_NAME.into(),
            parent_code: Some(PROVINCE.into()),
            parent_name: Some("Tỉnh ủy".into()),
        },
    )
}

/// Examines and accepts each file in turn; the verdicts.
fn import(ws: &mut Workspace, files: &[&Path]) -> Vec<Verdict> {
    common::list_senders(ws, files);
    files
        .iter()
        .map(|f| {
            let ex = ws.examine(f);
            ws.accept(&ex).expect("accepted");
            ex.verdict
        })
        .collect()
}

fn figure(answers: &Answers, item: &str, field: &str) -> Option<f64> {
    answers.get(item)?.get(field)?.as_f64()
}

/// Σ of the children's valid numbers for each sum field; None where no
/// child gave one.
fn expected_sums(answers: &[&Answer]) -> Vec<Option<u64>> {
    (0..sum_fields().len())
        .map(|j| {
            let valid: Vec<u64> = answers.iter().filter_map(|a| a.figs[j].valid()).collect();
            (!valid.is_empty()).then(|| valid.iter().sum())
        })
        .collect()
}

#[track_caller]
fn assert_sums(got: &Answers, answers: &[&Answer], what: &str) {
    for ((item, field), want) in sum_fields().iter().zip(expected_sums(answers)) {
        let have = figure(got, item, field);
        assert_eq!(
            have,
            want.map(|n| n as f64),
            "{what}: {item} / {field} must be the sum of the children's valid numbers \
             (children gave {:?})",
            answers
                .iter()
                .map(|a| a.figs[sum_fields()
                    .iter()
                    .position(|(i, f)| i == item && f == field)
                    .unwrap()]
                .clone())
                .collect::<Vec<_>>()
        );
    }
}

fn rate_of(answers: &Answers, item: &str, field: &str) -> Option<f64> {
    let it = outline().item(item).unwrap();
    let states = validate::item_states(it, answers.get(item));
    match states.into_iter().find(|(f, _)| f == field) {
        Some((_, FieldState::Computed(r))) => {
            r.map(|r| rust_decimal::prelude::ToPrimitive::to_f64(&r).unwrap())
        }
        other => panic!("{item} / {field} is a computed rate, got {other:?}"),
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * b.abs().max(1.0)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 32,
        // Every case writes real files; shrinking stays short too.
        max_shrink_iters: 256,
        ..ProptestConfig::default()
    }
}

/// Communes' answers and a permutation of their indices.
fn answers_and_order() -> impl Strategy<Value = (Vec<Answer>, Vec<usize>)> {
    prop::collection::vec(answer(), 1..=4).prop_flat_map(|answers| {
        let order: Vec<usize> = (0..answers.len()).collect();
        (Just(answers), Just(order).prop_shuffle())
    })
}

proptest! {
    #![proptest_config(config())]

    /// Importing the same packages again changes nothing: every verdict
    /// says so, the effective answers and the received list are the same,
    /// and so they are once saved and opened again.
    #[test]
    fn importing_twice_changes_nothing(answers in prop::collection::vec(answer(), 1..=4)) {
        let tmp = common::temp_dir();
        let cs = communes(tmp.path(), &answers);
        let files: Vec<&Path> = cs.iter().map(|c| c.package.as_path()).collect();
        let mut d = district(&tmp.path().join("huyen"));
        for v in import(&mut d, &files) {
            prop_assert_eq!(v, Verdict::New);
        }
        let effective = d.effective();
        let received = d.report.received.clone();
        let archived = baocao::store::archive::records(&d.path).len();
        prop_assert_eq!(received.len(), answers.len());

        for v in import(&mut d, &files) {
            prop_assert_eq!(v, Verdict::Unchanged { revision: 1 });
        }
        prop_assert_eq!(&d.effective(), &effective);
        prop_assert_eq!(&d.report.received, &received);
        prop_assert_eq!(baocao::store::archive::records(&d.path).len(), archived);

        // The same after a save and a fresh open from the archive.
        store::save(&d.path, &d.report).unwrap();
        let report = store::load(&d.path).unwrap();
        let again = Workspace::new(&d.path, outline().clone(), report).unwrap();
        prop_assert_eq!(&again.effective(), &effective);
        prop_assert_eq!(&again.report.received, &received);
    }

    /// Any order of import gives the same effective answers (tables
    /// included) and the same package content upward.
    #[test]
    fn import_order_does_not_matter((answers, order) in answers_and_order()) {
        let tmp = common::temp_dir();
        let cs = communes(tmp.path(), &answers);
        let in_order: Vec<&Path> = cs.iter().map(|c| c.package.as_path()).collect();
        let shuffled: Vec<&Path> = order.iter().map(|&i| cs[i].package.as_path()).collect();

        let mut a = district(&tmp.path().join("a"));
        let mut b = district(&tmp.path().join("b"));
        import(&mut a, &in_order);
        import(&mut b, &shuffled);
        prop_assert_eq!(a.effective(), b.effective(), "order {:?}", order);
        prop_assert_eq!(a.aggregate(), b.aggregate());

        // What goes upward does not depend on the order either.
        let (pa, _) = a.build_package().unwrap();
        let (pb, _) = b.build_package().unwrap();
        prop_assert_eq!(&pa["answers"], &pb["answers"]);
        prop_assert_eq!(&pa["children"], &pb["children"]);
    }

    /// Each sum field's aggregate is the sum of the children's valid
    /// numbers; absent and invalid ones (text kept as typed, negative,
    /// fractional) are skipped; a field no child gave stays absent.
    #[test]
    fn sums_are_sums(answers in prop::collection::vec(answer(), 1..=4)) {
        let tmp = common::temp_dir();
        let cs = communes(tmp.path(), &answers);
        let files: Vec<&Path> = cs.iter().map(|c| c.package.as_path()).collect();
        let mut d = district(&tmp.path().join("huyen"));
        import(&mut d, &files);
        let all: Vec<&Answer> = answers.iter().collect();
        assert_sums(&d.aggregate().answers, &all, "aggregate");
        // Without an own figure the effective one is the aggregate.
        assert_sums(&d.effective(), &all, "effective");
    }

    /// Every rate on the effective answers is Σ part ÷ Σ whole × 100 over
    /// the children's valid numbers, whatever the children's own rates.
    #[test]
    fn a_rate_is_the_sum_of_parts_over_the_sum_of_wholes(
        answers in prop::collection::vec(answer(), 1..=4)
    ) {
        let tmp = common::temp_dir();
        let cs = communes(tmp.path(), &answers);
        let files: Vec<&Path> = cs.iter().map(|c| c.package.as_path()).collect();
        let mut d = district(&tmp.path().join("huyen"));
        import(&mut d, &files);
        let effective = d.effective();
        let sums = sum_fields();
        let at = |item: &str, field: &str| sums.iter().position(|(i, f)| i == item && f == field).unwrap();
        for (item, field, part, whole) in ratio_fields() {
            // Only the units that gave both parts, validly (a part no
            // larger than its whole), count in the rate.
            let both: Vec<(u64, u64)> = answers
                .iter()
                .filter_map(|a| Some((a.figs[at(&item, &part)].valid()?, a.figs[at(&item, &whole)].valid()?)))
                .filter(|(p, w)| p <= w)
                .collect();
            let (p, w) = both.iter().fold((0u64, 0u64), |(p, w), (a, b)| (p + a, w + b));
            let want = (!both.is_empty() && w != 0).then(|| p as f64 / w as f64 * 100.0);
            let have = rate_of(&effective, &item, &field);
            match (have, want) {
                (Some(h), Some(w)) => prop_assert!(close(h, w), "{item}/{field}: {h} ≠ {w}"),
                (h, w) => prop_assert_eq!(h, w, "{}/{}", item, field),
            }
        }
    }

    /// A new revision of one child replaces its old one and nothing else:
    /// the aggregate of the other children, their received entries and
    /// their archived files are as before; the total follows the new one.
    #[test]
    fn replacing_one_child_changes_nothing_of_the_others(
        (answers, k, changed) in prop::collection::vec(answer(), 1..=4)
            .prop_flat_map(|a| { let n = a.len(); (Just(a), 0..n, answer()) })
    ) {
        let tmp = common::temp_dir();
        let mut cs = communes(tmp.path(), &answers);
        let files: Vec<PathBuf> = cs.iter().map(|c| c.package.clone()).collect();
        let refs: Vec<&Path> = files.iter().map(PathBuf::as_path).collect();
        let mut d = district(&tmp.path().join("huyen"));
        import(&mut d, &refs);

        let others = |ws: &Workspace| {
            let sources: Vec<Source> =
                ws.sources().into_iter().filter(|s| s.code != code(k)).collect();
            merge::aggregate(outline(), &sources)
        };
        let others_received = |ws: &Workspace| {
            ws.report.received.iter().filter(|r| r.code != code(k)).cloned().collect::<Vec<_>>()
        };
        let before = others(&d);
        let received_before = others_received(&d);

        // The commune changes its report (so_hoi_nghi surely) and exports.
        let mut changed = changed;
        let j = sum_fields().iter().position(|(_, f)| f == "so_hoi_nghi").unwrap();
        changed.figs[j] = Fig::Num(answers[k].figs[j].valid().map_or(1, |n| n + 1));
        let c = &mut cs[k];
        let rows = changed.rows;
        fill(&mut c.ws.report, &changed, &code(k));
        // New rows are told apart from the old revision's.
        let fresh: Vec<Value> = (0..rows).map(|j| row(&format!("{}-r2", code(k)), j)).collect();
        c.ws.report.set_value(TABLE_ITEM, TABLE, Value::Array(fresh));
        let newer = export(&mut c.ws, tmp.path());
        prop_assert_ne!(&newer, &c.package, "a new revision has a new file name");
        let (_, _, p) = baocao::package::read(&newer).unwrap();
        prop_assert_eq!(p.revision, 2);

        // The workspace keeps its merge between calls: taken now, it must
        // still follow the new revision below.
        let merged_before = d.aggregate();
        prop_assert_eq!(import(&mut d, &[newer.as_path()]), vec![Verdict::Newer { old: 1 }]);
        prop_assert_eq!(others(&d), before);
        prop_assert_eq!(others_received(&d), received_before);
        let mut now: Vec<&Answer> = answers.iter().collect();
        now[k] = &changed;
        assert_sums(&d.aggregate().answers, &now, "after the new revision");
        drop(merged_before);
        // The old revision's rows are gone, the new ones there once.
        let table = d.effective().get(TABLE_ITEM).and_then(|m| m.get(TABLE)).cloned();
        let rows_now = table.as_ref().and_then(Value::as_array).cloned().unwrap_or_default();
        let prefix = format!("{}-", code(k));
        let fresh_prefix = format!("{}-r2-", code(k));
        let mine: Vec<&Value> = rows_now
            .iter()
            .filter(|r| r["so_ky_hieu"].as_str().unwrap().starts_with(&prefix))
            .collect();
        prop_assert_eq!(mine.len(), rows);
        prop_assert!(mine.iter().all(|r| r["so_ky_hieu"].as_str().unwrap().starts_with(&fresh_prefix)));
    }

    /// Rows travel up three levels: at the district every commune row is
    /// there once, tagged with its commune; at the province the commune
    /// rows keep the commune's tag, the district's own rows take the
    /// district's, a provincial body's take its own.
    #[test]
    fn table_rows_arrive_once_each_with_their_unit(
        answers in prop::collection::vec(answer(), 1..=3),
        district_rows in 0usize..3,
        mttq_rows in 0usize..3,
    ) {
        let tmp = common::temp_dir();
        let cs = communes(tmp.path(), &answers);
        let files: Vec<&Path> = cs.iter().map(|c| c.package.as_path()).collect();
        let mut d = district(&tmp.path().join("huyen"));
        import(&mut d, &files);

        let rows_of = |a: &Answers| -> Vec<Value> {
            a.get(TABLE_ITEM)
                .and_then(|m| m.get(TABLE))
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let tagged = |rows: &[Value], owner: &str, j: usize| -> Vec<(String, String)> {
            let key = format!("{owner}-{j}/NQ");
            rows.iter()
                .filter(|r| r["so_ky_hieu"] == json!(key))
                .map(|r| {
                    (
                        r[ROW_UNIT_CODE].as_str().unwrap_or("").to_string(),
                        r[ROW_UNIT_NAME].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        };

        let at_district = rows_of(&d.effective());
        prop_assert_eq!(at_district.len(), answers.iter().map(|a| a.rows).sum::<usize>());
        for (i, a) in answers.iter().enumerate() {
            for j in 0..a.rows {
                prop_assert_eq!(tagged(&at_district, &code(i), j), vec![(code(i), name(i))]);
                // The tag is added, nothing else of the row changes.
                let r = at_district.iter().find(|r| r["so_ky_hieu"] == json!(format!("{}-{j}/NQ", code(i)))).unwrap();
                let mut plain = r.clone();
                plain.as_object_mut().unwrap().remove(ROW_UNIT_CODE);
                plain.as_object_mut().unwrap().remove(ROW_UNIT_NAME);
                prop_assert_eq!(plain, row(&code(i), j));
            }
        }

        // The district adds rows of its own and sends upward.
        let mut own = rows_of(&d.report.answers);
        own.extend((0..district_rows).map(|j| row(DISTRICT, j)));
        d.report.set_value(TABLE_ITEM, TABLE, Value::Array(own));
        let district_package = export(&mut d, &tmp.path().join("huyen"));

        // A provincial body (mttq) sends its own.
        let mttq_dir = tmp.path().join("mttq");
        std::fs::create_dir_all(&mttq_dir).unwrap();
        let mut m = unit_workspace(&mttq_dir, Unit {
            unit_type: "mttq".into(),
            code: "MTTQ".into(),
            name: "Ủy ban MTTQ tỉnh".into(),
            parent_code: Some(PROVINCE.into()),
            parent_name: Some("Tỉnh ủy".into()),
        });
        let mrows: Vec<Value> = (0..mttq_rows).map(|j| row("MTTQ", j)).collect();
        m.report.set_value(TABLE_ITEM, TABLE, Value::Array(mrows));
        let mttq_package = export(&mut m, &mttq_dir);

        let pdir = tmp.path().join("tinh");
        std::fs::create_dir_all(&pdir).unwrap();
        let mut p = unit_workspace(&pdir, Unit {
            unit_type: "tinh".into(),
            code: PROVINCE.into(),
            name: "Tỉnh ủy".into(),
            parent_code: None,
            parent_name: None,
        });
        let verdicts = import(&mut p, &[district_package.as_path(), mttq_package.as_path()]);
        prop_assert!(verdicts.iter().all(|v| matches!(v, Verdict::New)), "{verdicts:?}");

        let at_province = rows_of(&p.effective());
        // The provincial body is reported beside the totals (the plan
        // says so: its members are counted by the districts too), so its
        // rows are not among the merged ones.
        prop_assert_eq!(
            at_province.len(),
            answers.iter().map(|a| a.rows).sum::<usize>() + district_rows
        );
        for (i, a) in answers.iter().enumerate() {
            for j in 0..a.rows {
                prop_assert_eq!(tagged(&at_province, &code(i), j), vec![(code(i), name(i))]);
            }
        }
        for j in 0..district_rows {
            prop_assert_eq!(
                tagged(&at_province, DISTRICT, j),
                vec![(DISTRICT.to_string(), DISTRICT_NAME.to_string())]
            );
        }
        for j in 0..mttq_rows {
            prop_assert_eq!(tagged(&at_province, "MTTQ", j), vec![]);
        }
        let beside = p.children.iter().find(|c| c.received.code == "MTTQ").unwrap();
        prop_assert_eq!(rows_of(&beside.package.answers).len(), mttq_rows);

        // Texts are kept per unit for the synthesis.
        let sources = d.sources();
        let texts = merge::collected(&sources, TEXT_ITEM, TEXT);
        let want: Vec<(String, String)> = answers
            .iter()
            .enumerate()
            .filter_map(|(i, a)| a.text.clone().map(|t| (code(i), t)))
            .collect();
        let mut have: Vec<(String, String)> =
            texts.iter().map(|(s, t)| (s.code.to_string(), t.clone())).collect();
        have.sort();
        prop_assert_eq!(have, want);
    }
}

/// The case where a mean of rates would be wrong: 1 of 10 (10 %) and 90
/// of 100 (90 %) average 50 %, but 91 of 110 is 82,7 %.
#[test]
fn a_rate_is_never_the_mean_of_the_children_s_rates() {
    let tmp = common::temp_dir();
    let mut a = Answer {
        figs: vec![Fig::Absent; sum_fields().len()],
        rows: 0,
        text: None,
    };
    let at = |f: &str| {
        sum_fields()
            .iter()
            .position(|(i, x)| i == "A.I.1" && x == f)
            .unwrap()
    };
    let mut b = a.clone();
    a.figs[at("dang_vien_tham_gia")] = Fig::Num(1);
    a.figs[at("dang_vien_tong_so")] = Fig::Num(10);
    b.figs[at("dang_vien_tham_gia")] = Fig::Num(90);
    b.figs[at("dang_vien_tong_so")] = Fig::Num(100);
    let cs = communes(tmp.path(), &[a, b]);

    // Each commune's own rate.
    let own: Vec<f64> = cs
        .iter()
        .map(|c| rate_of(&c.ws.effective(), "A.I.1", "dang_vien_ty_le").unwrap())
        .collect();
    assert!(close(own[0], 10.0) && close(own[1], 90.0), "{own:?}");
    let mean = (own[0] + own[1]) / 2.0;

    let mut d = district(&tmp.path().join("huyen"));
    import(&mut d, &[&cs[0].package, &cs[1].package]);
    let effective = d.effective();
    assert_eq!(
        figure(&effective, "A.I.1", "dang_vien_tham_gia"),
        Some(91.0)
    );
    assert_eq!(
        figure(&effective, "A.I.1", "dang_vien_tong_so"),
        Some(110.0)
    );
    let rate = rate_of(&effective, "A.I.1", "dang_vien_ty_le").unwrap();
    assert!(close(rate, 91.0 / 110.0 * 100.0), "{rate}");
    assert!((rate - mean).abs() > 30.0, "{rate} is not the mean {mean}");
    assert_eq!((rate * 10.0).round() / 10.0, 82.7);
    // The rate goes upward as merged, over the units that gave both parts.
    let stored = figure(&effective, "A.I.1", "dang_vien_ty_le").unwrap();
    assert!(close(stored, 91.0 / 110.0 * 100.0), "{stored}");
}

/// An own figure overrides the aggregate and is reversible: clearing it
/// brings the aggregate back.
#[test]
fn an_own_figure_overrides_the_aggregate_until_cleared() {
    let tmp = common::temp_dir();
    let mut a = Answer {
        figs: vec![Fig::Absent; sum_fields().len()],
        rows: 0,
        text: None,
    };
    let j = sum_fields()
        .iter()
        .position(|(_, f)| f == "so_hoi_nghi")
        .unwrap();
    a.figs[j] = Fig::Num(12);
    let mut b = a.clone();
    b.figs[j] = Fig::Num(30);
    let cs = communes(tmp.path(), &[a, b]);
    let mut d = district(&tmp.path().join("huyen"));
    import(&mut d, &[&cs[0].package, &cs[1].package]);
    assert_eq!(figure(&d.effective(), "A.I.1", "so_hoi_nghi"), Some(42.0));
    assert!(!merge::is_override(
        outline(),
        &d.report.answers,
        "A.I.1",
        "so_hoi_nghi"
    ));
    d.report.set_value("A.I.1", "so_hoi_nghi", json!(40));
    assert!(merge::is_override(
        outline(),
        &d.report.answers,
        "A.I.1",
        "so_hoi_nghi"
    ));
    assert_eq!(figure(&d.effective(), "A.I.1", "so_hoi_nghi"), Some(40.0));
    assert_eq!(
        figure(&d.aggregate().answers, "A.I.1", "so_hoi_nghi"),
        Some(42.0)
    );
    d.report.set_value("A.I.1", "so_hoi_nghi", Value::Null);
    assert_eq!(figure(&d.effective(), "A.I.1", "so_hoi_nghi"), Some(42.0));
}

/// Packages to import in any order: three communes' first revisions, a
/// second revision of the first, another second revision of it with
/// other content (a conflict), one addressed to another district, and a
/// file that is no package at all.
fn import_pool(dir: &Path) -> Vec<PathBuf> {
    let answers: Vec<Answer> = (0..3)
        .map(|i| Answer {
            figs: sum_fields().iter().map(|_| Fig::Num(i + 1)).collect(),
            rows: i as usize,
            text: Some(format!("lần {i}")),
        })
        .collect();
    let mut cs = communes(dir, &answers);
    let mut pool: Vec<PathBuf> = cs.iter().map(|c| c.package.clone()).collect();
    // Before the second revision: a copy of the first commune's report,
    // changed and exported elsewhere, is a different revision 2.
    let fork_dir = dir.join("fork");
    std::fs::create_dir_all(&fork_dir).unwrap();
    let mut fork = Workspace::new(
        &fork_dir.join("X00.json"),
        outline().clone(),
        cs[0].ws.report.clone(),
    )
    .unwrap();
    fill(&mut cs[0].ws.report, &answers[1], "X00");
    pool.push(export(&mut cs[0].ws, dir));
    fill(&mut fork.report, &answers[2], "X00");
    pool.push(export(&mut fork, &fork_dir));
    let mut elsewhere = unit_workspace(
        dir,
        Unit {
            unit_type: "xa".into(),
            code: "X77".into(),
            name: "Xã Khác".into(),
            parent_code: Some("HU99".into()),
            parent_name: Some("Huyện ủy khác".into()),
        },
    );
    pool.push(export(&mut elsewhere, dir));
    let bad = dir.join("hong.bcpkg");
    std::fs::write(&bad, b"{\"format\": \"baocao-package\"").unwrap();
    pool.push(bad);
    pool
}

/// The report with its times set to `t` (they differ between two
/// imports of the same files).
fn timeless(report: &Report, t: chrono::DateTime<chrono::Local>) -> Report {
    let mut r = report.clone();
    r.created_at = t;
    r.updated_at = t;
    for x in &mut r.received {
        x.received_at = t;
        x.first_received_at = Some(t);
    }
    for c in &mut r.children {
        if let Some(k) = &mut c.key {
            k.pinned_at = t;
        }
    }
    r
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..config() })]

    /// `baocao import` takes a batch (`Workspace::import_unsynced`: read
    /// and checked on every core, taken in one at a time): the same
    /// verdicts, messages, report, children and archive as examining and
    /// accepting each file in turn — also from a received list out of
    /// order (a report edited by hand). What the received list holds is
    /// what the old way made: the newest taken of each unit, in order of
    /// code.
    #[test]
    fn a_batch_import_is_the_same_as_one_file_after_another(
        first in prop::collection::vec(0usize..7, 0..10),
        second in prop::collection::vec(0usize..7, 0..10),
    ) {
        let tmp = common::temp_dir();
        let pool = import_pool(tmp.path());
        let mut one = district(&tmp.path().join("one"));
        let mut batch = district(&tmp.path().join("batch"));
        for d in [&mut one, &mut batch] {
            d.add_child("X01", "Xã Số 1", Some("xa"), None).unwrap();
        }
        let mut model: Vec<(String, u32, String)> = Vec::new();
        for (round, picks) in [first, second].into_iter().enumerate() {
            if round == 1 {
                for d in [&mut one, &mut batch] {
                    d.report.received.reverse();
                }
                model.reverse();
            }
            let files: Vec<PathBuf> = picks.iter().map(|&i| pool[i].clone()).collect();
            let mut seen_one = Vec::new();
            for f in &files {
                let ex = one.examine(f);
                let taken = ex.verdict.accepted() && one.accept_unsynced(&ex).is_ok();
                seen_one.push((ex.verdict.clone(), ex.message(), taken));
                if taken && !matches!(ex.verdict, Verdict::Unchanged { .. }) {
                    let p = ex.package().unwrap();
                    model.retain(|(c, _, _)| *c != p.unit.code);
                    model.push((p.unit.code.clone(), p.revision, p.checksum.clone()));
                    model.sort_by(|a, b| a.0.cmp(&b.0));
                }
            }
            one.make_archive_durable().unwrap();
            let mut seen_batch = Vec::new();
            batch.import_unsynced(&files, None, |ex, outcome| {
                seen_batch.push((
                    ex.verdict.clone(),
                    ex.message(),
                    ex.verdict.accepted() && outcome.is_ok(),
                ));
            })
            .unwrap();
            batch.make_archive_durable().unwrap();
            prop_assert_eq!(&seen_batch, &seen_one);
        }
        let t = one.report.created_at;
        prop_assert_eq!(timeless(&batch.report, t), timeless(&one.report, t));
        let rows = |d: &Workspace| -> Vec<_> {
            d.children.iter().map(|c| (c.received.file.clone(), c.package.clone())).collect()
        };
        prop_assert_eq!(rows(&batch), rows(&one));
        let got: Vec<_> = one
            .report
            .received
            .iter()
            .map(|r| (r.code.clone(), r.revision, r.checksum.clone()))
            .collect();
        prop_assert_eq!(got, model);
        let archive = |d: &Workspace| baocao::store::archive::records(&d.path);
        prop_assert_eq!(archive(&batch), archive(&one));
        prop_assert_eq!(batch.effective(), one.effective());
    }
}
