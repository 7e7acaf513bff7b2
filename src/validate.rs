//! Field rules: what a value must be, what a person typed becomes when
//! stored, and the message that says what is wrong and what is allowed.

use crate::outline::{Field, Item, Kind, Rules};
use crate::t;
use crate::vnfmt::{self, NumKind};
use serde_json::{Map, Number, Value};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub enum FieldState {
    Empty,
    Answered,
    Invalid(String),
    /// A derived rate and its value (None while the whole is zero or unknown).
    Computed(Option<f64>),
}

/// What a person typed becomes in the report: a canonical number or date
/// when it reads as one, otherwise the text exactly as typed (flagged later).
pub fn from_input(kind: Kind, raw: &str) -> Value {
    let raw = crate::text::nfc(raw);
    if raw.trim().is_empty() {
        return Value::Null;
    }
    if let Some(nk) = kind.num_kind() {
        return match vnfmt::parse_number(&raw, nk) {
            Ok(n) => number_value(n, nk),
            Err(_) => Value::String(raw),
        };
    }
    if kind == Kind::Date {
        return match vnfmt::parse_date(&raw) {
            Ok(d) => Value::String(vnfmt::format_date(d)),
            Err(_) => Value::String(raw),
        };
    }
    Value::String(raw)
}

fn number_value(n: f64, kind: NumKind) -> Value {
    if matches!(kind, NumKind::Integer | NumKind::Money) && n.fract() == 0.0 {
        Value::Number(Number::from(n as i64))
    } else {
        Number::from_f64(n)
            .map(Value::Number)
            .unwrap_or(Value::Null)
    }
}

/// The text an input box shows for a stored value (the plain editable form).
pub fn to_input(kind: Kind, value: Option<&Value>) -> String {
    match (kind.num_kind(), value) {
        (_, None | Some(Value::Null)) => String::new(),
        (Some(nk), Some(Value::Number(n))) => {
            vnfmt::format_for_input(n.as_f64().unwrap_or(0.0), nk)
        }
        (_, Some(Value::String(s))) => s.clone(),
        (_, Some(other)) => other.to_string(),
    }
}

/// The value as shown in documents and lists: "1.234", "1.250.000 đồng".
pub fn display(kind: Kind, value: &Value) -> String {
    match (kind.num_kind(), value) {
        (Some(nk), Value::Number(n)) => vnfmt::format_number(n.as_f64().unwrap_or(0.0), nk),
        (_, Value::String(s)) => s.clone(),
        (_, Value::Null) => String::new(),
        (_, other) => other.to_string(),
    }
}

/// Checks one stored value against its rules.
pub fn check(rules: &Rules, value: Option<&Value>) -> FieldState {
    let value = match value {
        None | Some(Value::Null) => return FieldState::Empty,
        Some(Value::String(s)) if s.trim().is_empty() => return FieldState::Empty,
        Some(v) => v,
    };
    match check_value(rules, value) {
        Ok(()) => FieldState::Answered,
        Err(m) => FieldState::Invalid(m),
    }
}

fn check_value(rules: &Rules, value: &Value) -> Result<(), String> {
    match rules.kind {
        Kind::Text => match value {
            Value::String(_) => Ok(()),
            _ => Err(t!("Cần nhập chữ.", "Text expected.")),
        },
        Kind::Choice => match value {
            Value::String(s) if rules.options.iter().any(|o| o == s) => Ok(()),
            _ => Err(t!(
                "Chọn một trong: {}.",
                "Choose one of: {}.",
                rules.options.join("; ")
            )),
        },
        Kind::Date => {
            let s = value
                .as_str()
                .ok_or_else(|| t!("Nhập ngày dạng dd/mm/yyyy.", "Enter a date as dd/mm/yyyy."))?;
            let d = vnfmt::parse_date(s)?;
            let bound = |v: Option<&Value>| {
                v.and_then(Value::as_str)
                    .and_then(|s| vnfmt::parse_date(s).ok())
            };
            if let Some(min) = bound(rules.min)
                && d < min
            {
                return Err(t!(
                    "Ngày phải từ {} trở về sau.",
                    "The date must be {} or later.",
                    vnfmt::format_date(min)
                ));
            }
            if let Some(max) = bound(rules.max)
                && d > max
            {
                return Err(t!(
                    "Ngày không được sau {}.",
                    "The date must not be after {}.",
                    vnfmt::format_date(max)
                ));
            }
            Ok(())
        }
        k if k.is_numeric() => {
            let nk = k.num_kind().expect("numeric kind");
            let n = match value {
                Value::Number(n) => n.as_f64().unwrap_or(f64::NAN),
                Value::String(s) => vnfmt::parse_number(s, nk)?,
                _ => return Err(t!("Cần nhập số.", "A number is expected.")),
            };
            check_number(rules, nk, n)
        }
        Kind::Table | Kind::Ratio => Ok(()),
        _ => Ok(()),
    }
}

fn check_number(rules: &Rules, nk: NumKind, n: f64) -> Result<(), String> {
    if !n.is_finite() {
        return Err(t!("Cần nhập số.", "A number is expected."));
    }
    if matches!(nk, NumKind::Integer | NumKind::Money) && n.fract() != 0.0 {
        return Err(t!(
            "Chỉ nhập số nguyên, ví dụ 3.900.",
            "Whole numbers only, for example 3.900."
        ));
    }
    let default_min =
        matches!(nk, NumKind::Integer | NumKind::Money | NumKind::Percent).then_some(0.0);
    let default_max = (nk == NumKind::Percent).then_some(100.0);
    let min = rules.min.and_then(Value::as_f64).or(default_min);
    let max = rules.max.and_then(Value::as_f64).or(default_max);
    if nk == NumKind::Percent && !(0.0..=100.0).contains(&n) {
        return Err(t!(
            "Tỷ lệ phần trăm phải từ 0 đến 100.",
            "A percentage is between 0 and 100."
        ));
    }
    if let Some(min) = min
        && n < min
    {
        return Err(if min == 0.0 {
            t!("Không được là số âm.", "Must not be negative.")
        } else {
            t!(
                "Phải từ {} trở lên.",
                "Must be {} or more.",
                vnfmt::format_number(min, nk)
            )
        });
    }
    if let Some(max) = max
        && n > max
    {
        return Err(t!(
            "Không được lớn hơn {}.",
            "Must not be more than {}.",
            vnfmt::format_number(max, nk)
        ));
    }
    Ok(())
}

/// A table: every row checked cell by cell, required columns included.
fn check_table(field: &Field, value: Option<&Value>) -> FieldState {
    let rows = match value {
        None | Some(Value::Null) => return FieldState::Empty,
        Some(Value::Array(rows)) if rows.is_empty() => return FieldState::Empty,
        Some(Value::Array(rows)) => rows,
        Some(_) => {
            return FieldState::Invalid(t!(
                "Bảng bị hỏng: cần danh sách các dòng.",
                "Damaged table: a list of rows is expected."
            ));
        }
    };
    for (i, row) in rows.iter().enumerate() {
        let n = i + 1;
        let Some(cells) = row.as_object() else {
            return FieldState::Invalid(t!("Dòng {n} bị hỏng.", "Row {n} is damaged."));
        };
        for col in &field.columns {
            match check(&col.rules(), cells.get(&col.id)) {
                FieldState::Empty if col.required => {
                    return FieldState::Invalid(t!(
                        "Dòng {n}: chưa nhập «{}».",
                        "Row {n}: «{}» is empty.",
                        col.label
                    ));
                }
                FieldState::Invalid(m) => {
                    return FieldState::Invalid(t!(
                        "Dòng {n}, cột «{}»: {m}",
                        "Row {n}, column «{}»: {m}",
                        col.label
                    ));
                }
                _ => {}
            }
        }
    }
    FieldState::Answered
}

fn number_of(answers: Option<&BTreeMap<String, Value>>, id: &str) -> Option<f64> {
    answers?.get(id)?.as_f64()
}

/// Every field of an item with its state, including part ≤ whole for rates.
pub fn item_states(
    item: &Item,
    answers: Option<&BTreeMap<String, Value>>,
) -> Vec<(String, FieldState)> {
    let get = |id: &str| answers.and_then(|a| a.get(id));
    let mut states: Vec<(String, FieldState)> = item
        .fields
        .iter()
        .map(|f| {
            let state = match f.kind {
                Kind::Table => check_table(f, get(&f.id)),
                Kind::Ratio => {
                    let [part, whole] = f.of.clone().unwrap_or_default();
                    let rate = match (number_of(answers, &part), number_of(answers, &whole)) {
                        (Some(p), Some(w)) => vnfmt::ratio_percent(p, w),
                        _ => None,
                    };
                    FieldState::Computed(rate)
                }
                _ => check(&f.rules(), get(&f.id)),
            };
            (f.id.clone(), state)
        })
        .collect();
    // A part cannot exceed its whole: flag the part, where the person typed.
    for f in item.fields.iter().filter(|f| f.kind == Kind::Ratio) {
        let Some([part, whole]) = &f.of else { continue };
        if let (Some(p), Some(w)) = (number_of(answers, part), number_of(answers, whole))
            && p > w
        {
            let label = |id: &str| item.field(id).map(|f| f.label.clone()).unwrap_or_default();
            let msg = t!(
                "«{}» ({}) lớn hơn «{}» ({}).",
                "«{}» ({}) is more than «{}» ({}).",
                label(part),
                vnfmt::format_int(p as i64),
                label(whole),
                vnfmt::format_int(w as i64)
            );
            if let Some(s) = states.iter_mut().find(|(id, _)| id == part)
                && !matches!(s.1, FieldState::Invalid(_))
            {
                s.1 = FieldState::Invalid(msg);
            }
        }
    }
    states
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ItemProgress {
    pub required: usize,
    pub answered: usize,
    pub invalid: usize,
    /// Any field (required or not) holds something.
    pub touched: bool,
}

pub fn item_progress(item: &Item, answers: Option<&BTreeMap<String, Value>>) -> ItemProgress {
    let mut p = ItemProgress::default();
    for (field, (_, state)) in item.fields.iter().zip(item_states(item, answers)) {
        let counts = field.required && field.kind != Kind::Ratio;
        match state {
            FieldState::Answered => {
                p.touched = true;
                if counts {
                    p.required += 1;
                    p.answered += 1;
                }
            }
            FieldState::Invalid(_) => {
                p.touched = true;
                p.invalid += 1;
                p.required += usize::from(counts);
            }
            FieldState::Empty => p.required += usize::from(counts),
            FieldState::Computed(_) => {}
        }
    }
    p
}

/// The mark an item gets in the outline tree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Done,
    Partial,
    Empty,
    Invalid,
    /// A heading with no fields of its own.
    Heading,
}

impl Mark {
    pub fn of(p: ItemProgress, has_fields: bool) -> Mark {
        if !has_fields {
            Mark::Heading
        } else if p.invalid > 0 {
            Mark::Invalid
        } else if p.answered == p.required && (p.required > 0 || p.touched) {
            Mark::Done
        } else if p.touched {
            Mark::Partial
        } else {
            Mark::Empty
        }
    }
    /// Readable without colour.
    pub fn symbol(self) -> &'static str {
        match self {
            Mark::Done => "✓",
            Mark::Partial => "◐",
            Mark::Empty => "·",
            Mark::Invalid => "!",
            Mark::Heading => " ",
        }
    }
}

/// Canonicalises a value given by a script (`baocao fill`) or refuses it
/// with a reason. Numbers may come as JSON numbers or Vietnamese strings.
pub fn from_json(field: &Field, value: &Value) -> Result<Value, String> {
    match field.kind {
        Kind::Ratio => Err(t!(
            "tỷ lệ được tính tự động từ hai trường khác, không nhập được",
            "a rate is computed from two other fields and cannot be filled"
        )),
        Kind::Table => {
            let Value::Array(rows) = value else {
                return Err(t!(
                    "bảng cần một mảng các dòng {{\"mã cột\": giá trị}}",
                    "a table needs an array of {{\"column\": value}} rows"
                ));
            };
            let mut out = Vec::new();
            for (i, row) in rows.iter().enumerate() {
                let n = i + 1;
                let Value::Object(cells) = row else {
                    return Err(t!(
                        "dòng {n} phải là một đối tượng",
                        "row {n} must be an object"
                    ));
                };
                let mut clean = Map::new();
                for (k, v) in cells {
                    let col = field.columns.iter().find(|c| &c.id == k).ok_or_else(|| {
                        let ids = field
                            .columns
                            .iter()
                            .map(|c| c.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ");
                        t!(
                            "dòng {n}: không có cột \"{k}\" (các cột: {ids})",
                            "row {n}: there is no column \"{k}\" (columns: {ids})"
                        )
                    })?;
                    let v = scalar_from_json(&col.rules(), v).map_err(|m| {
                        t!("dòng {n}, cột \"{k}\": {m}", "row {n}, column \"{k}\": {m}")
                    })?;
                    if !v.is_null() {
                        clean.insert(k.clone(), v);
                    }
                }
                for col in field.columns.iter().filter(|c| c.required) {
                    if !clean.contains_key(&col.id) {
                        return Err(t!(
                            "Dòng {n}: chưa nhập «{}».",
                            "Row {n}: «{}» is empty.",
                            col.label
                        ));
                    }
                }
                out.push(Value::Object(clean));
            }
            Ok(Value::Array(out))
        }
        _ => scalar_from_json(&field.rules(), value),
    }
}

fn scalar_from_json(rules: &Rules, value: &Value) -> Result<Value, String> {
    let v = match (rules.kind, value) {
        (_, Value::Null) => return Ok(Value::Null),
        (k, Value::Number(n)) if k.is_numeric() => {
            let nk = k.num_kind().expect("numeric");
            number_value(n.as_f64().unwrap_or(f64::NAN), nk)
        }
        (k, Value::String(s)) if k.is_numeric() || k == Kind::Date => {
            // A date's canonical form is itself a string, so ask the parser
            // (not the type of `from_input`'s result) whether it was readable;
            // when it was not, say why in the parser's own words.
            let s = crate::text::nfc(s);
            if s.trim().is_empty() {
                return Ok(Value::Null);
            }
            match k.num_kind() {
                Some(nk) => number_value(vnfmt::parse_number(&s, nk)?, nk),
                None => Value::String(vnfmt::format_date(vnfmt::parse_date(&s)?)),
            }
        }
        (Kind::Text | Kind::Choice, Value::String(s)) => Value::String(crate::text::nfc(s)),
        (k, _) => {
            return Err(t!(
                "cần {} cho trường loại \"{}\"",
                "expected {} for a \"{}\" field",
                expected_json(k),
                k.as_str()
            ));
        }
    };
    match check(rules, Some(&v)) {
        FieldState::Invalid(m) => Err(m),
        _ => Ok(v),
    }
}

fn expected_json(k: Kind) -> String {
    match k {
        k if k.is_numeric() => t!("một số", "a number"),
        Kind::Date => t!(
            "một chuỗi ngày \"dd/mm/yyyy\"",
            "a \"dd/mm/yyyy\" date string"
        ),
        _ => t!("một chuỗi ký tự", "a string"),
    }
}
