//! Merging children upward, exactly: counts add up, rates are recomputed
//! from summed parts and wholes (never averaged), table rows are joined
//! with their source unit, texts are kept per unit for the synthesis.

use crate::outline::{Aggregate, Field, Outline};
use crate::report::Answers;
use crate::validate::{self, FieldState};
use rust_decimal::Decimal;
use serde_json::{Map, Value};

/// Column keys a merged table row carries to say where it came from.
pub const ROW_UNIT_CODE: &str = "_unit_code";
pub const ROW_UNIT_NAME: &str = "_unit_name";

/// One child's answers, as its package gave them.
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub answers: &'a Answers,
}

/// A child's number where the field's own rules accept it: an invalid
/// entry (text kept as typed, a negative count, a fraction of a person)
/// is flagged at the child and never summed into the parent's figure.
pub fn valid_number(f: &Field, v: Option<&Value>) -> Option<Decimal> {
    let n = validate::number_in(f.kind.num_kind()?, v?)?;
    (validate::check(&f.rules(), v) == FieldState::Answered).then_some(n)
}

/// The aggregate of the children for every field that rolls up: sums for
/// `sum` fields (only where some child gave a valid number), tagged rows
/// for `concat` tables. Rates are not stored: they follow from the parts.
/// Sources are taken in order of unit code, so the result (table rows
/// included) does not depend on the order packages were imported in.
pub fn aggregate(outline: &Outline, sources: &[Source]) -> Answers {
    let mut sources: Vec<&Source> = sources.iter().collect();
    sources.sort_by(|a, b| a.code.cmp(b.code));
    let mut out = Answers::new();
    for e in outline.entries() {
        for f in &e.item.fields {
            let values = sources
                .iter()
                .map(|s| (s, s.answers.get(&e.item.id).and_then(|m| m.get(&f.id))));
            let merged = match f.aggregate {
                Aggregate::Sum => {
                    let nums: Vec<Decimal> =
                        values.filter_map(|(_, v)| valid_number(f, v)).collect();
                    if nums.is_empty() {
                        continue;
                    }
                    let total = nums
                        .iter()
                        .try_fold(Decimal::ZERO, |t, n| t.checked_add(*n))
                        .expect("bounded values cannot overflow a decimal");
                    validate::number_value(total)
                }
                Aggregate::Concat => {
                    let mut rows = Vec::new();
                    for (s, v) in values {
                        if let Some(Value::Array(list)) = v {
                            rows.extend(
                                list.iter().filter_map(Value::as_object).map(|r| tag(r, s)),
                            );
                        }
                    }
                    if rows.is_empty() {
                        continue;
                    }
                    Value::Array(rows)
                }
                Aggregate::Ratio | Aggregate::Collect | Aggregate::None => continue,
            };
            out.entry(e.item.id.clone())
                .or_default()
                .insert(f.id.clone(), merged);
        }
    }
    out
}

/// A child's row keeps the unit it came from; rows already tagged further
/// down (a commune's row inside a district's table) keep their own tag.
fn tag(row: &Map<String, Value>, s: &Source) -> Value {
    let mut r = row.clone();
    if !r.contains_key(ROW_UNIT_CODE) {
        r.insert(ROW_UNIT_CODE.into(), Value::String(s.code.to_string()));
        r.insert(ROW_UNIT_NAME.into(), Value::String(s.name.to_string()));
    }
    Value::Object(r)
}

/// A parent's effective figures: its own value where it has one (an
/// explicit override), otherwise the aggregate; tables hold its own rows
/// followed by the children's.
pub fn effective(outline: &Outline, own: &Answers, aggregate: &Answers) -> Answers {
    let mut out = own.clone();
    for e in outline.entries() {
        let Some(agg) = aggregate.get(&e.item.id) else {
            continue;
        };
        for f in &e.item.fields {
            let Some(a) = agg.get(&f.id) else { continue };
            let slot = out.entry(e.item.id.clone()).or_default();
            match (f.aggregate, slot.get_mut(&f.id)) {
                (Aggregate::Concat, Some(Value::Array(rows))) => {
                    rows.extend(a.as_array().into_iter().flatten().cloned());
                }
                (_, Some(_)) => {}
                (_, None) => {
                    slot.insert(f.id.clone(), a.clone());
                }
            }
        }
    }
    out
}

/// Each child's text for one field, with its unit, for the synthesis.
pub fn collected<'a>(sources: &[Source<'a>], item: &str, field: &str) -> Vec<(Source<'a>, String)> {
    sources
        .iter()
        .filter_map(|s| {
            let text = s.answers.get(item)?.get(field)?.as_str()?.trim();
            (!text.is_empty()).then(|| (*s, text.to_string()))
        })
        .collect()
}

/// Whether a parent's own value for this field overrides the aggregate.
pub fn is_override(outline: &Outline, own: &Answers, item: &str, field: &str) -> bool {
    let rolls_up = outline
        .item(item)
        .and_then(|i| i.field(field))
        .is_some_and(|f| f.aggregate == Aggregate::Sum);
    rolls_up && own.get(item).is_some_and(|m| m.contains_key(field))
}
