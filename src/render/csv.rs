//! The figures as CSV for Excel: one row per unit and figure, plain
//! canonical numbers, UTF-8 with a BOM.

use crate::outline::Kind;
use crate::validate::{self, FieldState};
use crate::workspace::Workspace;
use rust_decimal::RoundingStrategy;

/// One row per unit and figure, the unit itself (effective figures) first,
/// then every child, each followed by the units embedded in its package
/// (named with it: "Xã Phú Lâm (Huyện ủy Tân Phú)"); plain canonical numbers; UTF-8 with a BOM for Excel.
/// For the unit's own figures merged from below, `covers` says how many
/// units the figure covers ("18/20") and `set_by_hand` whether it was set
/// by hand ("yes", or "stale" when the merged figure changed since).
pub fn figures(ws: &Workspace) -> String {
    let mut w = writer();
    let _ = w.write_record([
        "unit_code",
        "unit_name",
        "item_id",
        "field_id",
        "value",
        "covers",
        "set_by_hand",
    ]);
    let merged = ws.aggregate();
    let stale = ws.stale_overrides();
    let mut units: Vec<(String, String, crate::report::Answers)> = vec![(
        ws.report.unit.code.clone(),
        ws.report.unit.name.clone(),
        ws.effective(),
    )];
    // Each child, then the units its package embeds (a district's
    // communes at a province), named with the unit they came in.
    fn inside(
        p: &crate::package::Package,
        depth: usize,
        units: &mut Vec<(String, String, crate::report::Answers)>,
    ) {
        if p.children.is_empty() || depth >= crate::package::MAX_DEPTH {
            return;
        }
        for u in p.embedded() {
            let name = format!("{} ({})", u.unit.name, p.unit.name);
            units.push((u.unit.code.clone(), name, u.answers.clone()));
            inside(&u, depth + 1, units);
        }
    }
    for c in &ws.children {
        units.push((
            c.package.unit.code.clone(),
            c.package.unit.name.clone(),
            c.package.answers.clone(),
        ));
        inside(&c.package, 0, &mut units);
    }
    for (n, (code, name, answers)) in units.iter().enumerate() {
        let own = n == 0;
        for e in ws.outline.entries() {
            let states = validate::item_states(e.item, answers.get(&e.item.id));
            for (f, (_, state)) in e.item.fields.iter().zip(states) {
                let value = match (f.kind, state) {
                    (Kind::Ratio, FieldState::Computed(Some(rate))) => {
                        Some(rate.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero))
                    }
                    (k, FieldState::Answered) if k.is_numeric() => answers
                        .get(&e.item.id)
                        .and_then(|m| m.get(&f.id))
                        .and_then(|v| validate::number_in(k.num_kind()?, v)),
                    _ => None,
                };
                if let Some(v) = value {
                    let (item, field) = (&e.item.id, &f.id);
                    let covers = merged
                        .coverage(item, field)
                        .filter(|_| own)
                        .map(|c| format!("{}/{}", c.counted.len(), c.of))
                        .unwrap_or_default();
                    let by_hand = if !own
                        || !ws
                            .report
                            .overrides
                            .get(item)
                            .is_some_and(|m| m.contains_key(field))
                    {
                        ""
                    } else if stale.iter().any(|s| s.item == *item && s.field == *field) {
                        "stale"
                    } else {
                        "yes"
                    };
                    let _ = w.write_record([
                        cell(code),
                        cell(name),
                        cell(item),
                        cell(field),
                        crate::vnfmt::format_plain(v),
                        covers,
                        by_hand.to_string(),
                    ]);
                }
            }
        }
    }
    for_excel(w.into_inner().unwrap_or_default())
}

/// A CSV writer with the line ends Excel expects.
pub fn writer() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new())
}

/// What a writer wrote, as UTF-8 with the BOM that makes Excel read it so.
pub fn for_excel(bytes: Vec<u8>) -> String {
    format!("\u{feff}{}", String::from_utf8(bytes).unwrap_or_default())
}

/// A cell of text from someone else, safe for a spreadsheet: printable,
/// and never read as a formula. A cell that begins with `=`, `+`, `-`,
/// `@`, a tab or a carriage return gets a leading `'` (as OWASP advises
/// against CSV injection); the value column, our own plain numbers, is
/// written as it is.
pub fn cell(s: &str) -> String {
    let shown = crate::text::printable(s, false);
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{shown}")
    } else {
        shown
    }
}
