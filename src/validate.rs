//! Field rules: what a value must be, what a person typed becomes when
//! stored, and the message that says what is wrong and what is allowed.

use crate::i18n::{Lang, Localized};
use crate::outline::{Field, Item, Kind, Rules};
use crate::tl;
use crate::vnfmt::{self, DateError, NumError, NumKind};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::{Map, Number, Value};
use std::collections::BTreeMap;

#[derive(Debug, Clone, PartialEq)]
pub enum FieldState {
    Empty,
    Answered,
    Invalid(Invalid),
    /// A derived rate and its value (None while the whole is zero or unknown).
    Computed(Option<Decimal>),
}

/// Why a value does not fit its field: kept as data, put into words (what
/// is wrong and what is allowed) when shown.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Invalid {
    TextExpected,
    /// A character no document can hold (U+FFFE, a control character).
    ForbiddenCharacter {
        code: u32,
    },
    /// A text longer than any answer needs.
    TooLong {
        max: usize,
    },
    /// A table with more rows than any report needs.
    TooManyRows {
        max: usize,
    },
    /// A choice that is not one of the options.
    NotAnOption {
        options: Vec<String>,
    },
    DateExpected,
    Date(DateError),
    DateBefore {
        min: NaiveDate,
    },
    DateAfter {
        max: NaiveDate,
    },
    NumberExpected,
    Number(NumError),
    WholeOnly,
    PercentRange,
    Negative,
    BelowMin {
        min: Decimal,
        kind: NumKind,
    },
    AboveMax {
        max: Decimal,
        kind: NumKind,
    },
    TableDamaged,
    RowDamaged {
        row: usize,
    },
    /// A required cell of a table row is empty (`column` is its label).
    RowEmptyCell {
        row: usize,
        column: String,
    },
    RowCell {
        row: usize,
        column: String,
        reason: Box<Invalid>,
    },
    /// A part larger than its whole (labels and values).
    PartOverWhole {
        part_label: String,
        part: Decimal,
        whole_label: String,
        whole: Decimal,
    },
    // What only a script's value (`baocao fill`) can get wrong:
    /// A rate is computed, never filled.
    Computed,
    TableExpected,
    RowNotObject {
        row: usize,
    },
    NoSuchColumn {
        row: usize,
        column: String,
        columns: Vec<String>,
    },
    /// `column` is the id here (the script's own key).
    ColumnValue {
        row: usize,
        column: String,
        reason: Box<Invalid>,
    },
    /// A JSON value of the wrong type for the field's kind.
    WrongType {
        kind: Kind,
    },
}

impl Localized for Invalid {
    fn localized(&self, lang: Lang) -> String {
        match self {
            Invalid::TextExpected => tl!(lang, "Cần nhập chữ.", "Text expected."),
            Invalid::ForbiddenCharacter { code } => tl!(
                lang,
                "Có ký tự U+{code:04X}, không in được vào văn bản; hãy xóa nó.",
                "There is a character U+{code:04X}, which no document can hold; remove it."
            ),
            Invalid::TooManyRows { max } => tl!(
                lang,
                "Bảng có quá {max} dòng.",
                "The table has more than {max} rows."
            ),
            Invalid::TooLong { max } => tl!(
                lang,
                "Dài quá {max} ký tự; hãy chia bớt hoặc rút gọn.",
                "Longer than {max} characters; shorten or split it."
            ),
            Invalid::NotAnOption { options } => tl!(
                lang,
                "Chọn một trong: {}.",
                "Choose one of: {}.",
                options.join("; ")
            ),
            Invalid::DateExpected => tl!(
                lang,
                "Nhập ngày dạng dd/mm/yyyy.",
                "Enter a date as dd/mm/yyyy."
            ),
            Invalid::Date(e) => e.localized(lang),
            Invalid::DateBefore { min } => tl!(
                lang,
                "Ngày phải từ {} trở về sau.",
                "The date must be {} or later.",
                vnfmt::format_date(*min)
            ),
            Invalid::DateAfter { max } => tl!(
                lang,
                "Ngày không được sau {}.",
                "The date must not be after {}.",
                vnfmt::format_date(*max)
            ),
            Invalid::NumberExpected => tl!(lang, "Cần nhập số.", "A number is expected."),
            Invalid::Number(e) => e.localized(lang),
            Invalid::WholeOnly => tl!(
                lang,
                "Chỉ nhập số nguyên, ví dụ 3.900.",
                "Whole numbers only, for example 3.900."
            ),
            Invalid::PercentRange => tl!(
                lang,
                "Tỷ lệ phần trăm phải từ 0 đến 100.",
                "A percentage is between 0 and 100."
            ),
            Invalid::Negative => tl!(lang, "Không được là số âm.", "Must not be negative."),
            Invalid::BelowMin { min, kind } => tl!(
                lang,
                "Phải từ {} trở lên.",
                "Must be {} or more.",
                vnfmt::format_number(*min, *kind)
            ),
            Invalid::AboveMax { max, kind } => tl!(
                lang,
                "Không được lớn hơn {}.",
                "Must not be more than {}.",
                vnfmt::format_number(*max, *kind)
            ),
            Invalid::TableDamaged => tl!(
                lang,
                "Bảng bị hỏng: cần danh sách các dòng.",
                "Damaged table: a list of rows is expected."
            ),
            Invalid::RowDamaged { row } => {
                tl!(lang, "Dòng {row} bị hỏng.", "Row {row} is damaged.")
            }
            Invalid::RowEmptyCell { row, column } => tl!(
                lang,
                "Dòng {row}: chưa nhập «{column}».",
                "Row {row}: «{column}» is empty."
            ),
            Invalid::RowCell {
                row,
                column,
                reason,
            } => {
                let m = reason.localized(lang);
                tl!(
                    lang,
                    "Dòng {row}, cột «{column}»: {m}",
                    "Row {row}, column «{column}»: {m}"
                )
            }
            Invalid::PartOverWhole {
                part_label,
                part,
                whole_label,
                whole,
            } => tl!(
                lang,
                "«{part_label}» ({}) lớn hơn «{whole_label}» ({}).",
                "«{part_label}» ({}) is more than «{whole_label}» ({}).",
                vnfmt::format_number(*part, NumKind::Integer),
                vnfmt::format_number(*whole, NumKind::Integer)
            ),
            Invalid::Computed => tl!(
                lang,
                "tỷ lệ được tính tự động từ hai trường khác, không nhập được",
                "a rate is computed from two other fields and cannot be filled"
            ),
            Invalid::TableExpected => tl!(
                lang,
                "bảng cần một mảng các dòng {{\"mã cột\": giá trị}}",
                "a table needs an array of {{\"column\": value}} rows"
            ),
            Invalid::RowNotObject { row } => tl!(
                lang,
                "dòng {row} phải là một đối tượng",
                "row {row} must be an object"
            ),
            Invalid::NoSuchColumn {
                row,
                column,
                columns,
            } => {
                let ids = columns.join(", ");
                tl!(
                    lang,
                    "dòng {row}: không có cột \"{column}\" (các cột: {ids})",
                    "row {row}: there is no column \"{column}\" (columns: {ids})"
                )
            }
            Invalid::ColumnValue {
                row,
                column,
                reason,
            } => {
                let m = reason.localized(lang);
                tl!(
                    lang,
                    "dòng {row}, cột \"{column}\": {m}",
                    "row {row}, column \"{column}\": {m}"
                )
            }
            Invalid::WrongType { kind } => {
                let expected = match kind {
                    k if k.is_numeric() => tl!(lang, "một số", "a number"),
                    Kind::Date => tl!(
                        lang,
                        "một chuỗi ngày \"dd/mm/yyyy\"",
                        "a \"dd/mm/yyyy\" date string"
                    ),
                    _ => tl!(lang, "một chuỗi ký tự", "a string"),
                };
                tl!(
                    lang,
                    "cần {expected} cho trường loại \"{}\"",
                    "expected {expected} for a \"{}\" field",
                    kind.as_str()
                )
            }
        }
    }
}

crate::localized_display!(Invalid);

/// What a person typed becomes in the report: a canonical number or date
/// when it reads as one, otherwise the text exactly as typed (flagged later).
pub fn from_input(kind: Kind, raw: &str) -> Value {
    let raw = crate::text::nfc(raw);
    if raw.trim().is_empty() {
        return Value::Null;
    }
    if let Some(nk) = kind.num_kind() {
        return match vnfmt::parse_number(&raw, nk) {
            Ok(n) => number_value(n),
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

/// A number as stored: its canonical decimal text ("1234.5", "3900"),
/// which every later read gives back byte for byte.
pub fn number_value(n: Decimal) -> Value {
    let text = vnfmt::format_plain(n);
    Value::Number(text.parse().expect("a plain decimal is a JSON number"))
}

/// The exact number a stored JSON number holds (its text, read as a
/// decimal: no binary rounding), or None when it is no number a field
/// could hold (too many digits, an exponent out of range).
pub fn stored_number(n: &Number) -> Option<Decimal> {
    let text = n.to_string();
    // Bounded before parsing: a number is never megabytes long.
    if text.len() > 64 {
        return None;
    }
    text.parse::<Decimal>()
        .ok()
        .or_else(|| Decimal::from_scientific(&text).ok())
}

/// The number a stored value of a numeric field stands for, read as
/// validation reads it: a JSON number, or a Vietnamese-formatted string
/// ("1.234") that reads as one. None for anything else.
pub fn number_in(kind: NumKind, value: &Value) -> Option<Decimal> {
    match value {
        Value::Number(n) => stored_number(n),
        Value::String(s) => vnfmt::parse_number(s, kind).ok(),
        _ => None,
    }
}

/// The text an input box shows for a stored value (the plain editable form).
pub fn to_input(kind: Kind, value: Option<&Value>) -> String {
    match (kind.num_kind(), value) {
        (_, None | Some(Value::Null)) => String::new(),
        (Some(nk), Some(Value::Number(n))) => match stored_number(n) {
            Some(d) => vnfmt::format_for_input(d, nk),
            None => n.to_string(),
        },
        (_, Some(Value::String(s))) => s.clone(),
        (_, Some(other)) => other.to_string(),
    }
}

/// The value as shown in documents and lists: "1.234", "1.250.000 đồng".
pub fn display(kind: Kind, value: &Value) -> String {
    match (kind.num_kind(), value) {
        (Some(nk), Value::Number(n)) => match stored_number(n) {
            Some(d) => vnfmt::format_number(d, nk),
            None => n.to_string(),
        },
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

/// A field's `default` that the field itself refuses, at its JSON path in
/// the outline file. The outline's own checker (a layer below) cannot
/// tell a value's worth; `outline check` reports these with its errors.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadDefault {
    /// `$.items[1].items[0].fields[2].default`.
    pub path: String,
    /// The default as written.
    pub default: String,
    pub reason: Invalid,
}

impl Localized for BadDefault {
    fn localized(&self, lang: Lang) -> String {
        let default = serde_json::to_string(&self.default).expect("a string serialises");
        let reason = self.reason.localized(lang);
        let path = &self.path;
        tl!(
            lang,
            "{path}: giá trị mặc định {default} không hợp với chính trường này: {reason}",
            "{path}: the default {default} does not fit the field itself: {reason}"
        )
    }
}

crate::localized_display!(BadDefault);

/// Every `default` of an outline that is no value its field takes (a
/// number within its bounds, a real date within its bounds, one of the
/// options), read as a person's typing is read.
pub fn bad_defaults(outline: &crate::outline::Outline) -> Vec<BadDefault> {
    fn walk(items: &[Item], path: &str, out: &mut Vec<BadDefault>) {
        for (i, item) in items.iter().enumerate() {
            let path = format!("{path}.items[{i}]");
            for (j, f) in item.fields.iter().enumerate() {
                let Some(default) = &f.default else { continue };
                if matches!(f.kind, Kind::Table | Kind::Ratio) {
                    continue; // refused for its kind already
                }
                if let FieldState::Invalid(reason) =
                    check(&f.rules(), Some(&from_input(f.kind, default)))
                {
                    out.push(BadDefault {
                        path: format!("{path}.fields[{j}].default"),
                        default: default.clone(),
                        reason,
                    });
                }
            }
            walk(&item.items, &path, out);
        }
    }
    let mut out = Vec::new();
    walk(&outline.items, "$", &mut out);
    out
}

/// The longest text answer: far beyond any report's paragraph, far below
/// what would make the document or the program crawl.
pub const MAX_TEXT_CHARS: usize = 100_000;

/// The most rows of one table (a province's merged table holds some
/// thousands; see `package::MAX_ROWS`).
pub const MAX_ROWS: usize = 20_000;

fn check_value(rules: &Rules, value: &Value) -> Result<(), Invalid> {
    if let Value::String(s) = value {
        if let Some(c) = crate::text::first_non_xml(s) {
            return Err(Invalid::ForbiddenCharacter { code: c as u32 });
        }
        if s.len() > MAX_TEXT_CHARS && s.chars().nth(MAX_TEXT_CHARS).is_some() {
            return Err(Invalid::TooLong {
                max: MAX_TEXT_CHARS,
            });
        }
    }
    match rules.kind {
        Kind::Text => match value {
            Value::String(_) => Ok(()),
            _ => Err(Invalid::TextExpected),
        },
        Kind::Choice => match value {
            Value::String(s) if rules.options.iter().any(|o| o == s) => Ok(()),
            _ => Err(Invalid::NotAnOption {
                options: rules.options.to_vec(),
            }),
        },
        Kind::Date => {
            let s = value.as_str().ok_or(Invalid::DateExpected)?;
            let d = vnfmt::parse_date(s).map_err(Invalid::Date)?;
            let bound = |v: Option<&Value>| {
                v.and_then(Value::as_str)
                    .and_then(|s| vnfmt::parse_date(s).ok())
            };
            if let Some(min) = bound(rules.min)
                && d < min
            {
                return Err(Invalid::DateBefore { min });
            }
            if let Some(max) = bound(rules.max)
                && d > max
            {
                return Err(Invalid::DateAfter { max });
            }
            Ok(())
        }
        k if k.is_numeric() => {
            let nk = k.num_kind().expect("numeric kind");
            let n = match value {
                Value::Number(n) => stored_number(n).ok_or(Invalid::Number(NumError::TooLarge))?,
                Value::String(s) => vnfmt::parse_number(s, nk).map_err(Invalid::Number)?,
                _ => return Err(Invalid::NumberExpected),
            };
            check_number(rules, nk, n)
        }
        Kind::Table | Kind::Ratio => Ok(()),
        _ => Ok(()),
    }
}

fn check_number(rules: &Rules, nk: NumKind, n: Decimal) -> Result<(), Invalid> {
    // What a person can type is bounded; a stored number from a file is
    // held to the same bounds.
    if n.abs() > vnfmt::MAX_ABS {
        return Err(Invalid::Number(NumError::TooLarge));
    }
    if n.normalize().scale() as usize > vnfmt::MAX_DECIMALS {
        return Err(Invalid::Number(NumError::TooManyDecimals));
    }
    if matches!(nk, NumKind::Integer | NumKind::Money) && !n.fract().is_zero() {
        return Err(Invalid::WholeOnly);
    }
    let bound = |v: Option<&Value>| match v {
        Some(Value::Number(b)) => stored_number(b),
        _ => None,
    };
    let (default_min, default_max) = rules.kind.implied_bounds();
    let min = bound(rules.min).or(default_min);
    let max = bound(rules.max).or(default_max);
    if nk == NumKind::Percent && !(Decimal::ZERO..=Decimal::ONE_HUNDRED).contains(&n) {
        return Err(Invalid::PercentRange);
    }
    if let Some(min) = min
        && n < min
    {
        return Err(if min.is_zero() {
            Invalid::Negative
        } else {
            Invalid::BelowMin { min, kind: nk }
        });
    }
    if let Some(max) = max
        && n > max
    {
        return Err(Invalid::AboveMax { max, kind: nk });
    }
    Ok(())
}

/// A table: every row checked cell by cell, required columns included.
fn check_table(field: &Field, value: Option<&Value>) -> FieldState {
    let rows = match value {
        None | Some(Value::Null) => return FieldState::Empty,
        Some(Value::Array(rows)) if rows.is_empty() => return FieldState::Empty,
        Some(Value::Array(rows)) if rows.len() > MAX_ROWS => {
            return FieldState::Invalid(Invalid::TooManyRows { max: MAX_ROWS });
        }
        Some(Value::Array(rows)) => rows,
        Some(_) => return FieldState::Invalid(Invalid::TableDamaged),
    };
    for (i, row) in rows.iter().enumerate() {
        let n = i + 1;
        let Some(cells) = row.as_object() else {
            return FieldState::Invalid(Invalid::RowDamaged { row: n });
        };
        for col in &field.columns {
            match check(&col.rules(), cells.get(&col.id)) {
                FieldState::Empty if col.required => {
                    return FieldState::Invalid(Invalid::RowEmptyCell {
                        row: n,
                        column: col.label.clone(),
                    });
                }
                FieldState::Invalid(m) => {
                    return FieldState::Invalid(Invalid::RowCell {
                        row: n,
                        column: col.label.clone(),
                        reason: Box::new(m),
                    });
                }
                _ => {}
            }
        }
    }
    FieldState::Answered
}

/// A countable field's number in one item's answers, when it is valid.
fn number_of(item: &Item, answers: Option<&BTreeMap<String, Value>>, id: &str) -> Option<Decimal> {
    let field = item.field(id)?;
    let value = answers?.get(id)?;
    (check(&field.rules(), Some(value)) == FieldState::Answered)
        .then(|| number_in(field.kind.num_kind()?, value))
        .flatten()
}

/// Every field of an item with its state, including part ≤ whole for rates.
pub fn item_states(
    item: &Item,
    answers: Option<&BTreeMap<String, Value>>,
) -> Vec<(String, FieldState)> {
    item.fields
        .iter()
        .map(|f| f.id.clone())
        .zip(field_states(item, answers))
        .collect()
}

/// [`item_states`] without the ids: the state of each of the item's
/// fields, in their order (no string allocated per field).
pub fn field_states(item: &Item, answers: Option<&BTreeMap<String, Value>>) -> Vec<FieldState> {
    field_states_of(item, answers, |_| true)
}

/// The same for the fields `wanted` picks; the others are left `Empty`
/// unjudged (a merge needs the figures and tables, not the long texts,
/// which its readers checked already).
pub fn field_states_of(
    item: &Item,
    answers: Option<&BTreeMap<String, Value>>,
    wanted: impl Fn(&Field) -> bool,
) -> Vec<FieldState> {
    let get = |id: &str| answers.and_then(|a| a.get(id));
    let mut states: Vec<FieldState> = item
        .fields
        .iter()
        .map(|f| {
            if !wanted(f) {
                return FieldState::Empty;
            }
            match f.kind {
                Kind::Table => check_table(f, get(&f.id)),
                // A parent's merged rate, over the units that gave both
                // parts, is stored; otherwise it follows from the parts.
                Kind::Ratio => {
                    match get(&f.id) {
                        Some(Value::Number(n)) => {
                            return FieldState::Computed(stored_number(n));
                        }
                        // Merged from no unit that gave both parts.
                        Some(Value::Null) => return FieldState::Computed(None),
                        _ => {}
                    }
                    let [part, whole] = f.of.clone().unwrap_or_default();
                    let rate = match (
                        number_of(item, answers, &part),
                        number_of(item, answers, &whole),
                    ) {
                        (Some(p), Some(w)) => vnfmt::ratio_percent(p, w),
                        _ => None,
                    };
                    FieldState::Computed(rate)
                }
                _ => check(&f.rules(), get(&f.id)),
            }
        })
        .collect();
    // A part cannot exceed its whole: flag the part, where the person typed.
    for f in item.fields.iter().filter(|f| f.kind == Kind::Ratio) {
        let Some([part, whole]) = &f.of else { continue };
        if let (Some(p), Some(w)) = (
            number_of(item, answers, part),
            number_of(item, answers, whole),
        ) && p > w
        {
            let label = |id: &str| item.field(id).map(|f| f.label.clone()).unwrap_or_default();
            let msg = Invalid::PartOverWhole {
                part_label: label(part),
                part: p,
                whole_label: label(whole),
                whole: w,
            };
            if let Some(s) = item
                .fields
                .iter()
                .position(|f| f.id == *part)
                .map(|i| &mut states[i])
                && !matches!(s, FieldState::Invalid(_))
            {
                *s = FieldState::Invalid(msg);
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
    for (field, state) in item.fields.iter().zip(field_states(item, answers)) {
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
pub fn from_json(field: &Field, value: &Value) -> Result<Value, Invalid> {
    match field.kind {
        Kind::Ratio => Err(Invalid::Computed),
        Kind::Table => {
            let Value::Array(rows) = value else {
                return Err(Invalid::TableExpected);
            };
            let mut out = Vec::new();
            for (i, row) in rows.iter().enumerate() {
                let n = i + 1;
                let Value::Object(cells) = row else {
                    return Err(Invalid::RowNotObject { row: n });
                };
                let mut clean = Map::new();
                for (k, v) in cells {
                    let col = field.columns.iter().find(|c| &c.id == k).ok_or_else(|| {
                        Invalid::NoSuchColumn {
                            row: n,
                            column: k.clone(),
                            columns: field.columns.iter().map(|c| c.id.clone()).collect(),
                        }
                    })?;
                    let v =
                        scalar_from_json(&col.rules(), v).map_err(|m| Invalid::ColumnValue {
                            row: n,
                            column: k.clone(),
                            reason: Box::new(m),
                        })?;
                    if !v.is_null() {
                        clean.insert(k.clone(), v);
                    }
                }
                for col in field.columns.iter().filter(|c| c.required) {
                    if !clean.contains_key(&col.id) {
                        return Err(Invalid::RowEmptyCell {
                            row: n,
                            column: col.label.clone(),
                        });
                    }
                }
                out.push(Value::Object(clean));
            }
            Ok(Value::Array(out))
        }
        _ => scalar_from_json(&field.rules(), value),
    }
}

fn scalar_from_json(rules: &Rules, value: &Value) -> Result<Value, Invalid> {
    let v = match (rules.kind, value) {
        (_, Value::Null) => return Ok(Value::Null),
        (k, Value::Number(n)) if k.is_numeric() => match stored_number(n) {
            Some(d) => number_value(d),
            None => return Err(Invalid::Number(NumError::TooLarge)),
        },
        (k, Value::String(s)) if k.is_numeric() || k == Kind::Date => {
            // A date's canonical form is itself a string, so ask the parser
            // (not the type of `from_input`'s result) whether it was readable;
            // when it was not, say why in the parser's own words.
            let s = crate::text::nfc(s);
            if s.trim().is_empty() {
                return Ok(Value::Null);
            }
            match k.num_kind() {
                Some(nk) => number_value(vnfmt::parse_number(&s, nk).map_err(Invalid::Number)?),
                None => Value::String(vnfmt::format_date(
                    vnfmt::parse_date(&s).map_err(Invalid::Date)?,
                )),
            }
        }
        (Kind::Text | Kind::Choice, Value::String(s)) => Value::String(crate::text::nfc(s)),
        (k, _) => return Err(Invalid::WrongType { kind: k }),
    };
    match check(rules, Some(&v)) {
        FieldState::Invalid(m) => Err(m),
        _ => Ok(v),
    }
}
