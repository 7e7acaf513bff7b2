//! Merging children upward, exactly: counts add up as decimals; a rate is
//! recomputed from the parts and wholes of the units that gave both (never
//! averaged); table rows are joined with the unit they truly came from;
//! texts are kept per unit for the synthesis. Nothing is dropped without
//! a word: every figure says which units it covers and why the others are
//! left out ([`Coverage`]).

use crate::outline::{Aggregate, Field, Item, Kind, Outline};
use crate::report::Answers;
use crate::validate::{self, FieldState, Invalid};
use rust_decimal::Decimal;
use serde_json::{Map, Value};
use std::collections::{BTreeMap, BTreeSet};

/// Column keys a merged table row carries to say where it came from.
pub const ROW_UNIT_CODE: &str = "_unit_code";
pub const ROW_UNIT_NAME: &str = "_unit_name";

/// Decimals kept in a merged rate (shown with one).
const RATE_DECIMALS: u32 = 10;

/// One child's answers, as its package gave them (its effective figures;
/// rows of its own children already carry their units).
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    pub code: &'a str,
    pub name: &'a str,
    pub answers: &'a Answers,
}

/// Why a child's value is not in the parent's figure.
#[derive(Debug, Clone, PartialEq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum LeftOut {
    /// The value breaks the field's rules (kept as typed, a negative
    /// count, a part larger than its whole …).
    Invalid(Invalid),
    /// For a rate: the part without its whole.
    PartOnly,
    /// For a rate: the whole without its part.
    WholeOnly,
}

/// Which units a merged figure covers, of how many.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Coverage {
    /// How many units were merged.
    pub of: usize,
    /// Codes of the units whose value is in the figure.
    pub counted: Vec<String>,
    /// Units that gave a value the figure cannot use, and why.
    pub left_out: Vec<(String, LeftOut)>,
    /// Units that gave nothing for it.
    pub missing: Vec<String>,
}

impl Coverage {
    /// Every unit merged is in the figure.
    pub fn complete(&self) -> bool {
        self.counted.len() == self.of
    }
}

/// The children merged: the figures, and what each covers.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Merged {
    /// Sums, rates and tagged rows, by item and field (only where some
    /// child gave something usable).
    pub answers: Answers,
    /// For every sum, rate and table field: which units it covers.
    pub coverage: BTreeMap<String, BTreeMap<String, Coverage>>,
}

impl Merged {
    pub fn value(&self, item: &str, field: &str) -> Option<&Value> {
        self.answers.get(item)?.get(field)
    }

    pub fn coverage(&self, item: &str, field: &str) -> Option<&Coverage> {
        self.coverage.get(item)?.get(field)
    }
}

/// A child's number where the field's own rules accept it: an invalid
/// entry (text kept as typed, a negative count, a fraction of a person)
/// is flagged at the child and never summed into the parent's figure.
pub fn valid_number(f: &Field, v: Option<&Value>) -> Option<Decimal> {
    let n = validate::number_in(f.kind.num_kind()?, v?)?;
    (validate::check(&f.rules(), v) == FieldState::Answered).then_some(n)
}

/// One child's numbers and states for one item, judged as its own form
/// judges them (part ≤ whole included).
struct Judged<'a> {
    code: &'a str,
    /// The item's fields and, in their order, their states.
    fields: &'a [Field],
    states: Vec<FieldState>,
    values: Option<&'a BTreeMap<String, Value>>,
}

impl Judged<'_> {
    /// The state of the field `id` (the last of that id, as a map of
    /// the states by id would keep).
    fn state(&self, id: &str) -> Option<&FieldState> {
        let at = self.fields.iter().rposition(|f| f.id == id)?;
        self.states.get(at)
    }

    fn number(&self, f: &Field) -> Option<Decimal> {
        match self.state(&f.id) {
            Some(FieldState::Answered) => valid_number(f, self.values?.get(&f.id)),
            _ => None,
        }
    }
}

/// The aggregate of the children for every field that rolls up, and what
/// each figure covers: sums of the valid numbers; for a rate, the units
/// that gave both its part and its whole; tagged rows for tables. Sources
/// are taken in order of unit code, so the result (table rows included)
/// does not depend on the order packages were imported in.
pub fn aggregate(outline: &Outline, sources: &[Source]) -> Merged {
    let mut out = Merged::default();
    // Nothing merged is no figure at all (not figures covering 0 of 0).
    if sources.is_empty() {
        return out;
    }
    let mut sources: Vec<&Source> = sources.iter().collect();
    sources.sort_by(|a, b| a.code.cmp(b.code));
    for e in outline.entries() {
        let item = e.item;
        if !item.fields.iter().any(rolls_up) {
            continue;
        }
        let judged: Vec<Judged> = sources
            .iter()
            .map(|s| {
                let values = s.answers.get(&item.id);
                Judged {
                    code: s.code,
                    fields: &item.fields,
                    // Texts and choices never roll up: not judged here.
                    states: validate::field_states_of(item, values, |f| {
                        !matches!(f.kind, Kind::Text | Kind::Choice)
                    }),
                    values,
                }
            })
            .collect();
        for f in item.fields.iter().filter(|f| rolls_up(f)) {
            let (value, coverage) = match f.aggregate {
                Aggregate::Sum => sum(f, &judged),
                Aggregate::Ratio => rate(item, f, &judged),
                Aggregate::Concat => rows(f, &judged, &sources),
                Aggregate::Collect | Aggregate::None => continue,
            };
            if let Some(v) = value {
                out.answers
                    .entry(item.id.clone())
                    .or_default()
                    .insert(f.id.clone(), v);
            }
            out.coverage
                .entry(item.id.clone())
                .or_default()
                .insert(f.id.clone(), coverage);
        }
    }
    out
}

/// Fields whose children's values make a parent's figure.
fn rolls_up(f: &Field) -> bool {
    matches!(
        f.aggregate,
        Aggregate::Sum | Aggregate::Ratio | Aggregate::Concat
    )
}

fn sum(f: &Field, judged: &[Judged]) -> (Option<Value>, Coverage) {
    let mut c = Coverage {
        of: judged.len(),
        ..Coverage::default()
    };
    let mut total = Decimal::ZERO;
    for j in judged {
        match j.state(&f.id) {
            Some(FieldState::Answered) => match j.number(f) {
                Some(n) => {
                    // Every value is at most 9e15: a decimal holds the sum
                    // of a trillion of them.
                    total = total.checked_add(n).expect("bounded values");
                    c.counted.push(j.code.to_string());
                }
                None => c.missing.push(j.code.to_string()),
            },
            Some(FieldState::Invalid(why)) => c
                .left_out
                .push((j.code.to_string(), LeftOut::Invalid(why.clone()))),
            _ => c.missing.push(j.code.to_string()),
        }
    }
    let value = (!c.counted.is_empty()).then(|| validate::number_value(total));
    (value, c)
}

fn rate(item: &Item, f: &Field, judged: &[Judged]) -> (Option<Value>, Coverage) {
    let mut c = Coverage {
        of: judged.len(),
        ..Coverage::default()
    };
    let Some([part_id, whole_id]) = &f.of else {
        return (None, c);
    };
    let (Some(part), Some(whole)) = (item.field(part_id), item.field(whole_id)) else {
        return (None, c);
    };
    let (mut parts, mut wholes) = (Decimal::ZERO, Decimal::ZERO);
    for j in judged {
        let code = j.code.to_string();
        let state = |id: &str| j.state(id).cloned().unwrap_or(FieldState::Empty);
        match (state(part_id), state(whole_id)) {
            (FieldState::Invalid(why), _) | (_, FieldState::Invalid(why)) => {
                c.left_out.push((code, LeftOut::Invalid(why)))
            }
            (FieldState::Answered, FieldState::Answered) => {
                match (j.number(part), j.number(whole)) {
                    (Some(p), Some(w)) => {
                        parts = parts.checked_add(p).expect("bounded values");
                        wholes = wholes.checked_add(w).expect("bounded values");
                        c.counted.push(code);
                    }
                    _ => c.missing.push(code),
                }
            }
            (FieldState::Answered, _) => c.left_out.push((code, LeftOut::PartOnly)),
            (_, FieldState::Answered) => c.left_out.push((code, LeftOut::WholeOnly)),
            _ => c.missing.push(code),
        }
    }
    let value = vnfmt_rate(parts, wholes)
        .filter(|_| !c.counted.is_empty())
        .map(validate::number_value);
    (value, c)
}

fn vnfmt_rate(part: Decimal, whole: Decimal) -> Option<Decimal> {
    crate::vnfmt::ratio_percent(part, whole).map(|r| r.round_dp(RATE_DECIMALS))
}

fn rows(f: &Field, judged: &[Judged], sources: &[&Source]) -> (Option<Value>, Coverage) {
    let mut c = Coverage {
        of: judged.len(),
        ..Coverage::default()
    };
    let mut out = Vec::new();
    for (j, s) in judged.iter().zip(sources) {
        match j.state(&f.id) {
            Some(FieldState::Answered) => {
                let list = j
                    .values
                    .and_then(|v| v.get(&f.id))
                    .and_then(Value::as_array);
                out.extend(
                    list.into_iter()
                        .flatten()
                        .filter_map(Value::as_object)
                        .map(|r| tag(f, r, s)),
                );
                c.counted.push(j.code.to_string());
            }
            Some(FieldState::Invalid(why)) => c
                .left_out
                .push((j.code.to_string(), LeftOut::Invalid(why.clone()))),
            _ => c.missing.push(j.code.to_string()),
        }
    }
    ((!out.is_empty()).then_some(Value::Array(out)), c)
}

/// A child's row as the parent keeps it: the table's columns only, and the
/// unit it came from — the child itself for the child's own rows (those
/// without a unit), the child's child for the rows that carry one (the
/// package they came in was checked to embed that unit's package with
/// exactly those rows: see [`check_rollup`]).
fn tag(f: &Field, row: &Map<String, Value>, s: &Source) -> Value {
    let mut r: Map<String, Value> = row
        .iter()
        .filter(|(k, _)| f.columns.iter().any(|c| c.id == **k))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    match (row.get(ROW_UNIT_CODE), row.get(ROW_UNIT_NAME)) {
        (Some(code @ Value::String(_)), Some(name @ Value::String(_))) => {
            r.insert(ROW_UNIT_CODE.into(), code.clone());
            r.insert(ROW_UNIT_NAME.into(), name.clone());
        }
        _ => {
            r.insert(ROW_UNIT_CODE.into(), Value::String(s.code.to_string()));
            r.insert(ROW_UNIT_NAME.into(), Value::String(s.name.to_string()));
        }
    }
    Value::Object(r)
}

/// Whether a table row says which unit it came from.
pub fn is_tagged(row: &Value) -> bool {
    row.get(ROW_UNIT_CODE).is_some()
}

/// A parent's effective figures: its own value where it has one (an
/// explicit override), otherwise the merged one; tables hold its own rows
/// followed by the children's; a merged rate stands only while neither
/// its part nor its whole is set by hand (then the rate follows from the
/// figures shown).
pub fn effective(outline: &Outline, own: &Answers, merged: &Merged) -> Answers {
    let mut out = own.clone();
    for e in outline.entries() {
        let mine = own.get(&e.item.id);
        for f in &e.item.fields {
            let by_hand = |f: &Field| {
                f.of.iter()
                    .flatten()
                    .any(|id| mine.is_some_and(|m| m.contains_key(id)))
            };
            // A rate merged from no unit that gave both parts is no rate
            // (null), not one worked out from parts that came from
            // different units.
            if f.kind == Kind::Ratio
                && merged.value(&e.item.id, &f.id).is_none()
                && merged.coverage(&e.item.id, &f.id).is_some()
                && !by_hand(f)
            {
                out.entry(e.item.id.clone())
                    .or_default()
                    .insert(f.id.clone(), Value::Null);
                continue;
            }
            let Some(a) = merged.value(&e.item.id, &f.id) else {
                continue;
            };
            if f.kind == Kind::Ratio && by_hand(f) {
                continue;
            }
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

/// A figure of a package that is not what its embedded children make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub item: String,
    pub field: String,
}

/// Checks that the figures a package states (`answers`) are what its
/// embedded children (`children`) make under the outline's rules, given
/// which of its figures it marks as set by hand (`overrides`): every sum
/// not marked equals the children's sum, every rate the children's rate,
/// and every table is the package's own rows (those without a unit)
/// followed by exactly the children's rows. A package without children
/// may state no rate and no row from another unit.
pub fn check_rollup(
    outline: &Outline,
    answers: &Answers,
    overrides: &BTreeSet<(String, String)>,
    children: &[Source],
) -> Result<(), Mismatch> {
    let merged = aggregate(outline, children);
    // What the unit itself set: sums where nothing is merged or marked as
    // set by hand, and the rows that carry no unit.
    let mut own = Answers::new();
    for e in outline.entries() {
        let Some(stated) = answers.get(&e.item.id) else {
            continue;
        };
        for f in e.item.fields.iter().filter(|f| rolls_up(f)) {
            let Some(v) = stated.get(&f.id) else { continue };
            let keep = match f.aggregate {
                Aggregate::Sum => {
                    merged.value(&e.item.id, &f.id).is_none()
                        || overrides.contains(&(e.item.id.clone(), f.id.clone()))
                }
                Aggregate::Concat => {
                    let mine: Vec<Value> = v
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter(|r| !is_tagged(r))
                        .cloned()
                        .collect();
                    if !mine.is_empty() {
                        own.entry(e.item.id.clone())
                            .or_default()
                            .insert(f.id.clone(), Value::Array(mine));
                    }
                    false
                }
                _ => false,
            };
            if keep {
                own.entry(e.item.id.clone())
                    .or_default()
                    .insert(f.id.clone(), v.clone());
            }
        }
    }
    let expected = effective(outline, &own, &merged);
    for e in outline.entries() {
        for f in e.item.fields.iter().filter(|f| rolls_up(f)) {
            let got = answers.get(&e.item.id).and_then(|m| m.get(&f.id));
            let want = expected.get(&e.item.id).and_then(|m| m.get(&f.id));
            if !same(got, want) {
                return Err(Mismatch {
                    item: e.item.id.clone(),
                    field: f.id.clone(),
                });
            }
        }
    }
    Ok(())
}

/// Two stated values alike: numbers by value (1.0 is 1), the rest exactly.
fn same(a: Option<&Value>, b: Option<&Value>) -> bool {
    match (a, b) {
        (Some(Value::Number(x)), Some(Value::Number(y))) => {
            match (validate::stored_number(x), validate::stored_number(y)) {
                (Some(a), Some(b)) => a == b,
                // No number a field could hold (kept, flagged): as written.
                _ => x == y,
            }
        }
        (a, b) => a == b,
    }
}
