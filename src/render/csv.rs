//! The figures as CSV for Excel: one row per unit and figure, plain
//! canonical numbers, UTF-8 with a BOM.

use crate::outline::Kind;
use crate::validate::{self, FieldState};
use crate::workspace::Workspace;
use rust_decimal::RoundingStrategy;

/// One row per unit and figure, the unit itself (effective figures) first,
/// then every child; plain canonical numbers; UTF-8 with a BOM for Excel.
pub fn figures(ws: &Workspace) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    let _ = w.write_record(["unit_code", "unit_name", "item_id", "field_id", "value"]);
    let mut units: Vec<(String, String, crate::report::Answers)> = vec![(
        ws.report.unit.code.clone(),
        ws.report.unit.name.clone(),
        ws.effective(),
    )];
    for c in &ws.children {
        units.push((
            c.package.unit.code.clone(),
            c.package.unit.name.clone(),
            c.package.answers.clone(),
        ));
    }
    for (code, name, answers) in &units {
        for e in ws.outline.entries() {
            let states = validate::item_states(e.item, answers.get(&e.item.id));
            for (f, (_, state)) in e.item.fields.iter().zip(states) {
                let value = match (f.kind, state) {
                    (Kind::Ratio, FieldState::Computed(Some(rate))) => Some(
                        rate.round_dp_with_strategy(1, RoundingStrategy::MidpointAwayFromZero),
                    ),
                    (k, FieldState::Answered) if k.is_numeric() => answers
                        .get(&e.item.id)
                        .and_then(|m| m.get(&f.id))
                        .and_then(|v| validate::number_in(k.num_kind()?, v)),
                    _ => None,
                };
                if let Some(v) = value {
                    let _ = w.write_record([
                        crate::text::printable(code, false),
                        crate::text::printable(name, false),
                        e.item.id.clone(),
                        f.id.clone(),
                        crate::vnfmt::format_plain(v),
                    ]);
                }
            }
        }
    }
    let bytes = w.into_inner().unwrap_or_default();
    format!("\u{feff}{}", String::from_utf8(bytes).unwrap_or_default())
}
