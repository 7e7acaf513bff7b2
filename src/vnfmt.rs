//! Numbers and dates the Vietnamese way: `.` groups thousands, `,` is the
//! decimal point (`1.234.567`, `1.234,5`, `82,7%`, `1.250.000 đồng`), dates
//! are day/month/year (`15/10/2014`).
//!
//! Parsing is for what a person typed: it is forgiving about spaces, units
//! and signs, strict about anything that could be read two ways (an English
//! `82.7` or `1,234` is refused with a sentence that says how to write it,
//! never silently read as something else).

use crate::i18n::{Lang, Localized};
use crate::tl;
use chrono::{Datelike, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NumKind {
    Integer,
    Decimal,
    Money,
    Percent,
}

impl NumKind {
    fn is_whole(self) -> bool {
        matches!(self, NumKind::Integer | NumKind::Money)
    }
}

/// The largest magnitude accepted (9.000.000.000.000.000): far above any
/// real count or amount, and far below what sums of thousands of them
/// could make overflow.
pub const MAX_ABS: Decimal = Decimal::from_parts(3_405_414_400, 2_095_475, 0, false, 0);

/// The most decimals a typed number may have.
pub const MAX_DECIMALS: usize = 10;

/// Money units accepted at the end of a Money field, already lowercased,
/// longest first so that "vnđ" is not read as "vn" + "đ".
const MONEY_UNITS: &[&str] = &[
    "đo\u{302}\u{300}ng", // đồng, fully decomposed (NFD)
    "đô\u{300}ng",        // đồng, partly decomposed
    "đồng",
    "dong",
    "vnđ",
    "vnd",
    "đ",
];

/// Characters that may separate groups of thousands: dot, space, no-break
/// space, narrow no-break space, thin space.
fn is_group_sep(c: char) -> bool {
    matches!(c, '.' | ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

fn is_sign(c: char) -> bool {
    // ASCII minus/plus, the typographic minus and the en dash a word
    // processor puts in place of a typed '-'.
    matches!(c, '-' | '+' | '\u{2212}' | '\u{2013}')
}

/// What the person typed, shortened for quoting in a message.
fn quote(s: &str) -> String {
    const MAX: usize = 30;
    if s.chars().count() > MAX {
        let head: String = s.chars().take(MAX - 1).collect();
        format!("{head}…")
    } else {
        s.to_string()
    }
}

/// Why a typed number was not read. Each says, when shown, what is wrong
/// and what is allowed, with an example.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum NumError {
    Empty,
    /// Not a number at all; what was typed, shortened.
    NotNumber {
        input: String,
    },
    /// A decimal comma where only whole numbers go.
    Whole,
    /// Dots that do not group thousands by three; `whole` when the field
    /// takes whole numbers only.
    Grouping {
        whole: bool,
    },
    /// Thousands grouped with commas, the English way.
    CommaGrouping,
    TwoCommas,
    DotAfterComma,
    CommaNoDigits,
    Sign,
    /// A % sign in a field that is not a percentage.
    PercentHere,
    /// A % sign anywhere but at the end.
    PercentPlace,
    /// A currency in a field that is not money.
    UnitHere,
    TooLarge,
    TooManyDecimals,
}

impl Localized for NumError {
    fn localized(&self, lang: Lang) -> String {
        match self {
            NumError::Empty => tl!(lang, "Chưa nhập số.", "No number entered."),
            NumError::NotNumber { input } => tl!(
                lang,
                "«{input}» không phải là số. Chỉ nhập chữ số, ví dụ 1.234.",
                "“{input}” is not a number. Type digits only, for example 1.234."
            ),
            NumError::Whole => tl!(
                lang,
                "Chỉ nhập số nguyên, ví dụ 3.900.",
                "Whole numbers only, for example 3.900."
            ),
            NumError::Grouping { whole: true } => tl!(
                lang,
                "Dấu chấm dùng để tách hàng nghìn (nhóm 3 chữ số), ví dụ 3.900; ô này chỉ nhận số nguyên.",
                "A dot separates thousands (groups of 3 digits), for example 3.900; this field takes whole numbers only."
            ),
            NumError::Grouping { whole: false } => tl!(
                lang,
                "Dấu chấm dùng để tách hàng nghìn (nhóm 3 chữ số), ví dụ 3.900; phần thập phân dùng dấu phẩy, ví dụ 82,7.",
                "A dot separates thousands (groups of 3 digits), for example 3.900; use a comma for decimals, for example 82,7."
            ),
            NumError::CommaGrouping => tl!(
                lang,
                "Tách hàng nghìn bằng dấu chấm, không dùng dấu phẩy, ví dụ 1.234.567.",
                "Separate thousands with a dot, not a comma, for example 1.234.567."
            ),
            NumError::TwoCommas => tl!(
                lang,
                "Chỉ được có một dấu phẩy, để tách phần thập phân, ví dụ 1.234,5.",
                "Only one comma is allowed, before the decimals, for example 1.234,5."
            ),
            NumError::DotAfterComma => tl!(
                lang,
                "Dấu chấm tách hàng nghìn, dấu phẩy tách phần thập phân, ví dụ 1.234,5.",
                "Use a dot for thousands and a comma for decimals, for example 1.234,5."
            ),
            NumError::CommaNoDigits => tl!(
                lang,
                "Sau dấu phẩy phải có chữ số thập phân, ví dụ 82,7.",
                "A comma must be followed by decimals, for example 82,7."
            ),
            NumError::Sign => tl!(
                lang,
                "Dấu trừ (hoặc cộng) chỉ đặt một lần, ở đầu số, ví dụ -1.234.",
                "A minus (or plus) sign goes once, at the start, for example -1.234."
            ),
            NumError::PercentHere => tl!(
                lang,
                "Ô này không nhận dấu %, chỉ nhập số, ví dụ 1.234.",
                "This field does not take %; type the number only, for example 1.234."
            ),
            NumError::PercentPlace => tl!(
                lang,
                "Dấu % chỉ đặt ở cuối số, ví dụ 82,7%.",
                "The % sign goes only at the end, for example 82,7%."
            ),
            NumError::UnitHere => tl!(
                lang,
                "Ô này không nhận đơn vị tiền, chỉ nhập số, ví dụ 1.234.",
                "This field does not take a currency; type the number only, for example 1.234."
            ),
            NumError::TooLarge => tl!(
                lang,
                "Số quá lớn; chỉ nhận số không quá 9.000.000.000.000.000 (kể cả số âm).",
                "Number too large; at most 9.000.000.000.000.000 either way (positive or negative)."
            ),
            NumError::TooManyDecimals => tl!(
                lang,
                "Nhiều nhất {MAX_DECIMALS} chữ số sau dấu phẩy.",
                "At most {MAX_DECIMALS} decimals."
            ),
        }
    }
}

fn err_not_number(input: &str) -> NumError {
    NumError::NotNumber {
        input: quote(input),
    }
}

/// Strips a money unit from the end of `low` (already lowercased).
fn strip_money_unit(low: &str) -> Option<&str> {
    MONEY_UNITS
        .iter()
        .find_map(|u| low.strip_suffix(u))
        .map(str::trim_end)
}

/// True for "1,234", "12,345,678" and "1,234,567.89": thousands grouped with
/// commas, the English way.
fn looks_english_grouped(body: &str) -> bool {
    let mut parts = body.split(',');
    let first = parts.next().unwrap_or("");
    if first.is_empty() || first.len() > 3 || !first.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let rest: Vec<&str> = parts.collect();
    if rest.is_empty() {
        return false;
    }
    rest.iter().enumerate().all(|(i, part)| {
        let group = if i + 1 == rest.len() {
            match part.split_once('.') {
                Some((g, frac)) => {
                    if frac.is_empty() || !frac.bytes().all(|b| b.is_ascii_digit()) {
                        return false;
                    }
                    g
                }
                None => part,
            }
        } else {
            part
        };
        group.len() == 3 && group.bytes().all(|b| b.is_ascii_digit())
    })
}

/// Checks the grouping of the whole-number part and returns its digits.
fn integer_digits(int_part: &str, kind: NumKind) -> Result<String, NumError> {
    let groups: Vec<&str> = int_part.split(is_group_sep).collect();
    if groups.len() == 1 {
        return Ok(groups[0].to_string());
    }
    let first = groups[0];
    let first_ok = (1..=3).contains(&first.len()) && !first.starts_with('0');
    let rest_ok = groups[1..].iter().all(|g| g.len() == 3);
    if first_ok && rest_ok {
        Ok(groups.concat())
    } else {
        Err(NumError::Grouping {
            whole: kind.is_whole(),
        })
    }
}

/// Parses what a person typed. Accepts "1.234.567", "1234567", "1 234 567"
/// (also NBSP U+00A0, narrow NBSP U+202F and thin space U+2009 as group
/// separators), "1.234,5" and "1234,5" for Decimal/Percent, an optional
/// leading '-' or '+', surrounding whitespace; Money may end in "đồng",
/// "đ", "VNĐ", "vnd" (any case, with or without a space); Percent may end
/// in "%". Integer and Money must be whole numbers.
///
/// Errors say (when shown, see [`NumError`]) in one short sentence what is
/// wrong and what is allowed, with an example. Range checks are not done
/// here, apart from refusing magnitudes above 9e15.
pub fn parse_number(input: &str, kind: NumKind) -> Result<Decimal, NumError> {
    let shown = input.trim();
    if shown.is_empty() {
        return Err(NumError::Empty);
    }
    let low = shown.to_lowercase();

    // Units at the end: a money unit, or a percent sign.
    let (body, unit) = match strip_money_unit(&low) {
        Some(rest) => (rest, true),
        None => (low.as_str(), false),
    };
    let (body, percent) = match body.strip_suffix('%') {
        Some(rest) if !unit => (rest.trim_end(), true),
        _ => (body, false),
    };
    if unit && kind != NumKind::Money {
        return Err(NumError::UnitHere);
    }
    if percent && kind != NumKind::Percent {
        return Err(NumError::PercentHere);
    }

    // Anything but digits, separators, signs and '%' means it is no number.
    let allowed =
        |c: char| c.is_ascii_digit() || c == ',' || c == '%' || is_group_sep(c) || is_sign(c);
    if !body.chars().all(allowed) {
        return Err(err_not_number(shown));
    }

    // One sign, first.
    let (negative, body) = match body.chars().next() {
        Some(c) if is_sign(c) => (c != '+', body[c.len_utf8()..].trim_start()),
        _ => (false, body),
    };
    if body.chars().any(is_sign) {
        return Err(NumError::Sign);
    }
    if body.contains('%') {
        return Err(if kind == NumKind::Percent {
            NumError::PercentPlace
        } else {
            NumError::PercentHere
        });
    }
    if body.is_empty() {
        return Err(NumError::Empty);
    }
    if !body.bytes().any(|b| b.is_ascii_digit()) {
        return Err(err_not_number(shown));
    }

    // The decimal comma.
    let commas = body.matches(',').count();
    if commas > 1 && looks_english_grouped(body) {
        return Err(NumError::CommaGrouping);
    }
    if commas > 0 && kind.is_whole() {
        return Err(NumError::Whole);
    }
    if commas > 1 {
        return Err(NumError::TwoCommas);
    }
    let (int_part, frac) = match body.split_once(',') {
        Some((i, f)) => (i, Some(f)),
        None => (body, None),
    };
    if let Some(f) = frac {
        if f.is_empty() {
            return Err(NumError::CommaNoDigits);
        }
        if f.contains('.') {
            return Err(NumError::DotAfterComma);
        }
        if !f.bytes().all(|b| b.is_ascii_digit()) {
            return Err(err_not_number(shown));
        }
    }

    // ",5" is 0,5.
    let digits = if int_part.is_empty() && frac.is_some() {
        "0".to_string()
    } else {
        integer_digits(int_part, kind)?
    };
    let significant = digits.trim_start_matches('0');
    if significant.len() > 16 {
        return Err(NumError::TooLarge);
    }
    if frac.is_some_and(|f| f.len() > MAX_DECIMALS) {
        return Err(NumError::TooManyDecimals);
    }
    let text = match frac {
        Some(f) => format!("{digits}.{f}"),
        None => digits,
    };
    let magnitude: Decimal = text.parse().map_err(|_| err_not_number(shown))?;
    if magnitude > MAX_ABS {
        return Err(NumError::TooLarge);
    }
    if magnitude.is_zero() {
        return Ok(Decimal::ZERO);
    }
    Ok(if negative { -magnitude } else { magnitude }.normalize())
}

/// Puts a dot between groups of three digits.
fn group_digits(digits: &str) -> String {
    let n = digits.len();
    let mut out = String::with_capacity(n + n / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

/// `value` rounded half away from zero to at most `places` decimals, as
/// (negative, whole digits, decimals with trailing zeros trimmed).
fn round_parts(value: Decimal, places: u32) -> (bool, String, String) {
    let rounded = value
        .round_dp_with_strategy(places, RoundingStrategy::MidpointAwayFromZero)
        .normalize();
    parts(rounded)
}

/// (negative, whole digits, decimals) of a value, every decimal kept; no
/// sign on zero.
fn parts(value: Decimal) -> (bool, String, String) {
    let value = value.normalize();
    let text = value.abs().to_string();
    let (whole, decimals) = text.split_once('.').unwrap_or((&text, ""));
    (
        value.is_sign_negative() && !value.is_zero(),
        whole.to_string(),
        decimals.to_string(),
    )
}

/// Joins rounded parts the Vietnamese way: "-1.234,5".
fn join_vn(negative: bool, whole: &str, decimals: &str) -> String {
    let mut out = String::new();
    if negative {
        out.push('-');
    }
    out.push_str(&group_digits(whole));
    if !decimals.is_empty() {
        out.push(',');
        out.push_str(decimals);
    }
    out
}

fn rounded_vn(value: Decimal, places: u32) -> String {
    let (negative, whole, decimals) = round_parts(value, places);
    join_vn(negative, &whole, &decimals)
}

/// Shows a stored number: Integer "1.234.567"; Money "1.250.000 đồng";
/// Decimal "1.234,5" (at most 2 decimals, trailing zeros trimmed, "1.234"
/// when whole); Percent "82,7%" (at most 1 decimal). Negative numbers have a
/// leading '-'. Rounds half away from zero.
pub fn format_number(value: Decimal, kind: NumKind) -> String {
    match kind {
        NumKind::Integer => rounded_vn(value, 0),
        NumKind::Money => format!("{} đồng", rounded_vn(value, 0)),
        NumKind::Decimal => rounded_vn(value, 2),
        NumKind::Percent => format!("{}%", rounded_vn(value, 1)),
    }
}

/// Groups digits only: 1234567 → "1.234.567", -5 → "-5".
pub fn format_int(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    join_vn(value < 0, &digits, "")
}

/// The plain form a field shows while editing: like [`format_number`] but
/// Money without " đồng" and Percent without "%". Decimal and Percent keep
/// every decimal the value has (1,2345 stays 1,2345, not 1,23), so that
/// parsing the text back always gives the same value.
pub fn format_for_input(value: Decimal, kind: NumKind) -> String {
    match kind {
        NumKind::Integer | NumKind::Money => rounded_vn(value, 0),
        NumKind::Decimal | NumKind::Percent => {
            let (negative, whole, decimals) = parts(value);
            join_vn(negative, &whole, &decimals)
        }
    }
}

/// Canonical plain form for CSV, JSON and machines: "1234567", "82.7",
/// "1234.5" (`.` decimal point, no grouping, no trailing zeros, every
/// decimal kept, no exponent).
pub fn format_plain(value: Decimal) -> String {
    let (negative, whole, decimals) = parts(value);
    let sign = if negative { "-" } else { "" };
    if decimals.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{decimals}")
    }
}

/// `part` as a percentage of `whole`; None when `whole` is 0.
pub fn ratio_percent(part: Decimal, whole: Decimal) -> Option<Decimal> {
    if whole.is_zero() {
        return None;
    }
    part.checked_mul(Decimal::ONE_HUNDRED)?.checked_div(whole)
}

const MIN_YEAR: i32 = 1930;
const MAX_YEAR: i32 = 2100;

/// Why a typed date was not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum DateError {
    Empty,
    /// Not day/month/year.
    Format,
    YearDigits,
    YearRange,
    /// No month 13: what was typed.
    NoSuchMonth {
        shown: String,
    },
    /// No 31 February: what was typed, and how many days the month has.
    NoSuchDay {
        shown: String,
        month: u32,
        year: i32,
        days: u32,
    },
}

impl Localized for DateError {
    fn localized(&self, lang: Lang) -> String {
        match self {
            DateError::Empty => tl!(
                lang,
                "Chưa nhập ngày. Nhập theo dạng ngày/tháng/năm, ví dụ 15/10/2014.",
                "No date entered. Type it as day/month/year, for example 15/10/2014."
            ),
            DateError::Format => tl!(
                lang,
                "Nhập ngày theo dạng ngày/tháng/năm, ví dụ 15/10/2014.",
                "Type the date as day/month/year, for example 15/10/2014."
            ),
            DateError::YearDigits => tl!(
                lang,
                "Năm phải ghi đủ 4 chữ số, ví dụ 15/10/2014.",
                "Write the year with all 4 digits, for example 15/10/2014."
            ),
            DateError::YearRange => tl!(
                lang,
                "Năm phải từ {MIN_YEAR} đến {MAX_YEAR}.",
                "The year must be from {MIN_YEAR} to {MAX_YEAR}."
            ),
            DateError::NoSuchMonth { shown } => tl!(
                lang,
                "Ngày không có thật: {shown}. Tháng chỉ từ 1 đến 12; ghi ngày trước rồi đến tháng, ví dụ 15/10/2014.",
                "No such date: {shown}. Months go from 1 to 12; write the day first, then the month, for example 15/10/2014."
            ),
            DateError::NoSuchDay {
                shown,
                month,
                year,
                days,
            } => {
                let name = MONTHS_EN[*month as usize - 1];
                tl!(
                    lang,
                    "Ngày không có thật: {shown} (tháng {month} năm {year} có {days} ngày).",
                    "No such date: {shown} ({name} {year} has {days} days)."
                )
            }
        }
    }
}

crate::localized_display!(NumError, DateError);

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn days_in_month(year: i32, month: u32) -> u32 {
    (28..=31)
        .rev()
        .find(|&d| NaiveDate::from_ymd_opt(year, month, d).is_some())
        .unwrap_or(28)
}

/// Reads a date typed as "d/m/yyyy" or "dd/mm/yyyy", also with '-' or '.'
/// between the parts and spaces around. Refuses impossible dates, years
/// not written with four digits and years outside 1930..=2100.
pub fn parse_date(input: &str) -> Result<NaiveDate, DateError> {
    let shown = input.trim();
    if shown.is_empty() {
        return Err(DateError::Empty);
    }
    let sep = shown
        .chars()
        .find(|c| !c.is_ascii_digit() && !c.is_whitespace())
        .ok_or(DateError::Format)?;
    if !matches!(sep, '/' | '-' | '.') {
        return Err(DateError::Format);
    }
    let parts: Vec<&str> = shown.split(sep).map(str::trim).collect();
    let numeric = |p: &&str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
    if parts.len() != 3 || !parts.iter().all(numeric) {
        return Err(DateError::Format);
    }
    let (d, m, y) = (parts[0], parts[1], parts[2]);
    if d.len() > 2 || m.len() > 2 {
        return Err(DateError::Format);
    }
    if y.len() != 4 {
        return Err(DateError::YearDigits);
    }
    // At most 2 + 2 + 4 digits: these cannot overflow.
    let day: u32 = d.parse().map_err(|_| DateError::Format)?;
    let month: u32 = m.parse().map_err(|_| DateError::Format)?;
    let year: i32 = y.parse().map_err(|_| DateError::Format)?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(DateError::YearRange);
    }
    if !(1..=12).contains(&month) {
        return Err(DateError::NoSuchMonth {
            shown: shown.to_string(),
        });
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| DateError::NoSuchDay {
        shown: shown.to_string(),
        month,
        year,
        days: days_in_month(year, month),
    })
}

/// "05/04/2010".
pub fn format_date(date: NaiveDate) -> String {
    format!("{:02}/{:02}/{:04}", date.day(), date.month(), date.year())
}

/// "ngày 15 tháng 10 năm 2014", the style of Party documents (Hướng dẫn
/// 36): the day is written with two digits below 10, the month only for
/// January and February: "ngày 05 tháng 4 năm 2010", "ngày 15 tháng 01
/// năm 2014".
pub fn format_date_long(date: NaiveDate) -> String {
    let month = match date.month() {
        m @ (1 | 2) => format!("{m:02}"),
        m => m.to_string(),
    };
    format!("ngày {:02} tháng {month} năm {}", date.day(), date.year())
}

#[cfg(test)]
mod tests {
    use super::NumKind::{Decimal, Integer, Money, Percent};
    use super::*;
    type D = rust_decimal::Decimal;

    /// The exact decimal an f64 literal is written as.
    fn n(v: f64) -> D {
        v.to_string().parse().unwrap()
    }
    use crate::i18n::{Lang, set_thread_lang};
    use proptest::prelude::*;
    use std::sync::{Mutex, MutexGuard};

    /// Every test that reads a message holds this lock and sets its
    /// thread's language.
    static LOCK: Mutex<()> = Mutex::new(());

    fn vietnamese() -> MutexGuard<'static, ()> {
        let guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
        set_thread_lang(Some(Lang::Vi));
        guard
    }

    /// Holds the lock with English on; back to Vietnamese when dropped,
    /// even if the test fails.
    struct English {
        _guard: MutexGuard<'static, ()>,
    }

    impl English {
        fn on() -> English {
            let guard = LOCK.lock().unwrap_or_else(|e| e.into_inner());
            set_thread_lang(Some(Lang::En));
            English { _guard: guard }
        }
    }

    impl Drop for English {
        fn drop(&mut self) {
            set_thread_lang(Some(Lang::Vi));
        }
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn accepts_integers() {
        let cases: &[(&str, f64)] = &[
            ("0", 0.0),
            ("7", 7.0),
            ("1234567", 1_234_567.0),
            ("1.234.567", 1_234_567.0),
            ("1 234 567", 1_234_567.0),
            ("1\u{a0}234\u{a0}567", 1_234_567.0),
            ("1\u{202f}234\u{202f}567", 1_234_567.0),
            ("1\u{2009}234", 1234.0),
            ("1.234 567", 1_234_567.0),
            ("3.900", 3900.0),
            ("999", 999.0),
            ("1.000", 1000.0),
            ("  42  ", 42.0),
            ("\t42\n", 42.0),
            ("\u{a0}42\u{a0}", 42.0),
            ("-5", -5.0),
            ("+5", 5.0),
            ("- 5", -5.0),
            ("\u{2212}5", -5.0),
            ("\u{2013}1.000", -1000.0),
            ("-1.234.567", -1_234_567.0),
            ("-0", 0.0),
            ("007", 7.0),
            ("0", 0.0),
            ("9.000.000.000.000.000", 9e15),
            ("-9000000000000000", -9e15),
            ("000000000000000000001", 1.0),
        ];
        for &(input, want) in cases {
            assert_eq!(parse_number(input, Integer), Ok(n(want)), "{input:?}");
            // Every integer form is also a valid Decimal and Percent.
            assert_eq!(parse_number(input, Decimal), Ok(n(want)), "{input:?}");
            assert_eq!(parse_number(input, Percent), Ok(n(want)), "{input:?}");
            assert_eq!(parse_number(input, Money), Ok(n(want)), "{input:?}");
        }
        assert!(parse_number("-0", Integer).unwrap().is_sign_positive());
    }

    #[test]
    fn accepts_money() {
        let cases: &[&str] = &[
            "1.250.000 đồng",
            "1.250.000đồng",
            "1250000 Đồng",
            "1.250.000 ĐỒNG",
            "1.250.000 đ",
            "1.250.000đ",
            "1.250.000 Đ",
            "1.250.000 VNĐ",
            "1.250.000VNĐ",
            "1.250.000 vnđ",
            "1.250.000 vnd",
            "1.250.000 VND",
            "1.250.000 Vnd",
            "1.250.000 dong",
            "1 250 000 đồng",
            "1.250.000 đo\u{302}\u{300}ng",
            "1.250.000 đô\u{300}ng",
            "  1.250.000   đồng  ",
            "1250000",
        ];
        for &input in cases {
            assert_eq!(parse_number(input, Money), Ok(n(1_250_000.0)), "{input:?}");
        }
        assert_eq!(parse_number("-500.000 đồng", Money), Ok(n(-500_000.0)));
        assert_eq!(parse_number("0 đ", Money), Ok(n(0.0)));
    }

    #[test]
    fn accepts_decimals_and_percents() {
        let cases: &[(&str, f64)] = &[
            ("1.234,5", 1234.5),
            ("1234,5", 1234.5),
            ("1 234,5", 1234.5),
            ("1\u{a0}234,56", 1234.56),
            ("82,7", 82.7),
            ("0,5", 0.5),
            (",5", 0.5),
            ("-,5", -0.5),
            ("-0,25", -0.25),
            ("+3,25", 3.25),
            ("1,2345", 1.2345),
            ("1,000", 1.0),
            ("1,0", 1.0),
            ("1.234.567,891", 1_234_567.891),
            ("  12,5  ", 12.5),
            ("-0,0", 0.0),
        ];
        for &(input, want) in cases {
            assert_eq!(parse_number(input, Decimal), Ok(n(want)), "{input:?}");
            assert_eq!(parse_number(input, Percent), Ok(n(want)), "{input:?}");
        }
        let percents: &[(&str, f64)] = &[
            ("82,7%", 82.7),
            ("82,7 %", 82.7),
            ("82,7\u{a0}%", 82.7),
            ("100%", 100.0),
            ("0%", 0.0),
            ("-5%", -5.0),
            ("150%", 150.0),
            ("1.200,5%", 1200.5),
        ];
        for &(input, want) in percents {
            assert_eq!(parse_number(input, Percent), Ok(n(want)), "{input:?}");
        }
    }

    /// Refusals, each with the distinctive part of its Vietnamese message.
    #[test]
    fn refusals_say_what_is_wrong() {
        type Want = fn(&NumError) -> bool;
        let cases: &[(&str, NumKind, Want)] = &[
            ("", Integer, |e| matches!(e, NumError::Empty)),
            ("   ", Decimal, |e| matches!(e, NumError::Empty)),
            ("\u{a0}", Money, |e| matches!(e, NumError::Empty)),
            ("-", Integer, |e| matches!(e, NumError::Empty)),
            ("%", Percent, |e| matches!(e, NumError::Empty)),
            ("đồng", Money, |e| matches!(e, NumError::Empty)),
            ("12a", Integer, |e| matches!(e, NumError::NotNumber { .. })),
            ("abc", Decimal, |e| matches!(e, NumError::NotNumber { .. })),
            ("1e5", Decimal, |e| matches!(e, NumError::NotNumber { .. })),
            ("12/5", Integer, |e| matches!(e, NumError::NotNumber { .. })),
            ("1_000", Integer, |e| {
                matches!(e, NumError::NotNumber { .. })
            }),
            ("1'000", Integer, |e| {
                matches!(e, NumError::NotNumber { .. })
            }),
            ("12 trăm", Integer, |e| {
                matches!(e, NumError::NotNumber { .. })
            }),
            ("12a đồng", Money, |e| {
                matches!(e, NumError::NotNumber { .. })
            }),
            ("$100", Money, |e| matches!(e, NumError::NotNumber { .. })),
            ("١٢", Integer, |e| matches!(e, NumError::NotNumber { .. })),
            ("１２", Integer, |e| {
                matches!(e, NumError::NotNumber { .. })
            }),
            (".", Integer, |e| matches!(e, NumError::NotNumber { .. })),
            (",", Decimal, |e| matches!(e, NumError::NotNumber { .. })),
            ("1,5 5", Decimal, |e| {
                matches!(e, NumError::NotNumber { .. })
            }),
            ("1\t000", Integer, |e| {
                matches!(e, NumError::NotNumber { .. })
            }),
            ("3,5", Integer, |e| matches!(e, NumError::Whole)),
            ("3,0", Integer, |e| matches!(e, NumError::Whole)),
            ("1,234", Integer, |e| matches!(e, NumError::Whole)),
            ("1.250,50 đồng", Money, |e| matches!(e, NumError::Whole)),
            ("1,2,3", Integer, |e| matches!(e, NumError::Whole)),
            ("3.9", Integer, |e| {
                matches!(e, NumError::Grouping { whole: true })
            }),
            ("1.23.456", Integer, |e| {
                matches!(e, NumError::Grouping { .. })
            }),
            ("12.34", Money, |e| matches!(e, NumError::Grouping { .. })),
            ("82.7", Decimal, |e| {
                matches!(e, NumError::Grouping { whole: false })
            }),
            ("82.7%", Percent, |e| {
                matches!(e, NumError::Grouping { whole: false })
            }),
            ("0.123", Decimal, |e| matches!(e, NumError::Grouping { .. })),
            ("0.5", Percent, |e| matches!(e, NumError::Grouping { .. })),
            ("1234.567", Integer, |e| {
                matches!(e, NumError::Grouping { .. })
            }),
            ("1.2345", Integer, |e| {
                matches!(e, NumError::Grouping { .. })
            }),
            (".5", Decimal, |e| matches!(e, NumError::Grouping { .. })),
            ("1.234.", Integer, |e| {
                matches!(e, NumError::Grouping { .. })
            }),
            ("1..234", Integer, |e| {
                matches!(e, NumError::Grouping { .. })
            }),
            ("12 34", Integer, |e| matches!(e, NumError::Grouping { .. })),
            ("1  234", Integer, |e| {
                matches!(e, NumError::Grouping { .. })
            }),
            ("1.234,5.6", Decimal, |e| {
                matches!(e, NumError::DotAfterComma)
            }),
            ("1,234,567", Integer, |e| {
                matches!(e, NumError::CommaGrouping)
            }),
            ("1,234,567", Decimal, |e| {
                matches!(e, NumError::CommaGrouping)
            }),
            ("1,234,567.89", Decimal, |e| {
                matches!(e, NumError::CommaGrouping)
            }),
            ("1,250,000 VND", Money, |e| {
                matches!(e, NumError::CommaGrouping)
            }),
            ("1,2,3", Decimal, |e| matches!(e, NumError::TwoCommas)),
            ("1,,5", Percent, |e| matches!(e, NumError::TwoCommas)),
            ("1,234.5", Decimal, |e| matches!(e, NumError::DotAfterComma)),
            ("5,", Decimal, |e| matches!(e, NumError::CommaNoDigits)),
            ("5-", Integer, |e| matches!(e, NumError::Sign)),
            ("--5", Integer, |e| matches!(e, NumError::Sign)),
            ("+-5", Decimal, |e| matches!(e, NumError::Sign)),
            ("1-2", Integer, |e| matches!(e, NumError::Sign)),
            ("1.000-", Money, |e| matches!(e, NumError::Sign)),
            ("1+1", Integer, |e| matches!(e, NumError::Sign)),
            ("50%", Integer, |e| matches!(e, NumError::PercentHere)),
            ("50%", Decimal, |e| matches!(e, NumError::PercentHere)),
            ("50 %", Money, |e| matches!(e, NumError::PercentHere)),
            ("%50", Percent, |e| matches!(e, NumError::PercentPlace)),
            ("50%%", Percent, |e| matches!(e, NumError::PercentPlace)),
            ("5%0", Percent, |e| matches!(e, NumError::PercentPlace)),
            ("%50", Integer, |e| matches!(e, NumError::PercentHere)),
            ("1.000 đồng", Integer, |e| {
                matches!(e, NumError::UnitHere)
            }),
            ("1.000đ", Decimal, |e| matches!(e, NumError::UnitHere)),
            ("5 VNĐ", Percent, |e| matches!(e, NumError::UnitHere)),
            ("9.000.000.000.000.001", Integer, |e| {
                matches!(e, NumError::TooLarge)
            }),
            ("-10000000000000000", Integer, |e| {
                matches!(e, NumError::TooLarge)
            }),
            ("123456789012345678901234567890", Decimal, |e| {
                matches!(e, NumError::TooLarge)
            }),
            ("9000000000000001,5", Decimal, |e| {
                matches!(e, NumError::TooLarge)
            }),
        ];
        for &(input, kind, want) in cases {
            match parse_number(input, kind) {
                Ok(v) => panic!("{input:?} as {kind:?} was accepted as {v}"),
                Err(e) => assert!(want(&e), "{input:?} as {kind:?}: got {e:?}"),
            }
        }
    }

    #[test]
    fn long_input_is_shortened_in_messages() {
        let _vi = vietnamese();
        let input = "x".repeat(200);
        let msg = parse_number(&input, Integer)
            .unwrap_err()
            .localized(Lang::Vi);
        assert!(msg.contains('…'), "{msg}");
        assert!(msg.chars().count() < 100, "{msg}");
    }

    #[test]
    fn every_refusal_is_one_sentence() {
        let _vi = vietnamese();
        let inputs = [
            "",
            "12a",
            "3,5",
            "3.9",
            "1,234,567",
            "1,2,3",
            "1,234.5",
            "5,",
            "5-",
            "%5",
            "50%",
            "1đ",
            "99999999999999999",
        ];
        for kind in [Integer, Decimal, Money, Percent] {
            for input in inputs {
                if let Err(e) = parse_number(input, kind) {
                    let msg = e.localized(Lang::Vi);
                    assert!(msg.ends_with('.'), "{input:?} {kind:?}: {msg}");
                    assert!(!msg.contains('\n'), "{input:?} {kind:?}: {msg}");
                }
            }
        }
    }

    #[test]
    fn formats_numbers() {
        let cases: &[(f64, NumKind, &str)] = &[
            (0.0, Integer, "0"),
            (-0.0, Integer, "0"),
            (5.0, Integer, "5"),
            (999.0, Integer, "999"),
            (1000.0, Integer, "1.000"),
            (1_234_567.0, Integer, "1.234.567"),
            (-1_234_567.0, Integer, "-1.234.567"),
            (2.5, Integer, "3"),
            (-2.5, Integer, "-3"),
            (2.4999, Integer, "2"),
            (-0.4, Integer, "0"),
            (9e15, Integer, "9.000.000.000.000.000"),
            (1_250_000.0, Money, "1.250.000 đồng"),
            (-500.0, Money, "-500 đồng"),
            (0.0, Money, "0 đồng"),
            (999.5, Money, "1.000 đồng"),
            (1234.5, Decimal, "1.234,5"),
            (1234.0, Decimal, "1.234"),
            (1234.567, Decimal, "1.234,57"),
            (1234.50, Decimal, "1.234,5"),
            (1.005, Decimal, "1,01"),
            (0.125, Decimal, "0,13"),
            (-0.125, Decimal, "-0,13"),
            (0.1 + 0.2, Decimal, "0,3"),
            (1.999, Decimal, "2"),
            (999.999, Decimal, "1.000"),
            (-0.001, Decimal, "0"),
            (0.5, Decimal, "0,5"),
            (-1234.5, Decimal, "-1.234,5"),
            (82.7, Percent, "82,7%"),
            (96.32, Percent, "96,3%"),
            (96.35, Percent, "96,4%"),
            (100.0, Percent, "100%"),
            (99.95, Percent, "100%"),
            (0.0, Percent, "0%"),
            (-3.25, Percent, "-3,3%"),
            (1234.5, Percent, "1.234,5%"),
            (33.333333333333336, Percent, "33,3%"),
        ];
        for &(value, kind, want) in cases {
            assert_eq!(format_number(n(value), kind), want, "{value} as {kind:?}");
        }
    }

    #[test]
    fn formats_ints() {
        let cases: &[(i64, &str)] = &[
            (0, "0"),
            (5, "5"),
            (-5, "-5"),
            (12, "12"),
            (123, "123"),
            (1234, "1.234"),
            (12345, "12.345"),
            (123_456, "123.456"),
            (1_234_567, "1.234.567"),
            (-1_234_567, "-1.234.567"),
            (-100, "-100"),
            (i64::MAX, "9.223.372.036.854.775.807"),
            (i64::MIN, "-9.223.372.036.854.775.808"),
        ];
        for &(value, want) in cases {
            assert_eq!(format_int(value), want, "{value}");
        }
    }

    #[test]
    fn formats_for_input() {
        let cases: &[(f64, NumKind, &str)] = &[
            (1_234_567.0, Integer, "1.234.567"),
            (1_250_000.0, Money, "1.250.000"),
            (-500.0, Money, "-500"),
            (1234.5, Decimal, "1.234,5"),
            (1234.0, Decimal, "1.234"),
            (1.2345, Decimal, "1,2345"),
            (82.7, Percent, "82,7"),
            (96.32, Percent, "96,32"),
            (100.0, Percent, "100"),
            (-0.0, Decimal, "0"),
            (-0.25, Decimal, "-0,25"),
        ];
        for &(value, kind, want) in cases {
            assert_eq!(
                format_for_input(n(value), kind),
                want,
                "{value} as {kind:?}"
            );
            assert_eq!(parse_number(want, kind), Ok(n(value)), "{want:?} reparsed");
        }
    }

    #[test]
    fn formats_plain() {
        let cases: &[(f64, &str)] = &[
            (1_234_567.0, "1234567"),
            (82.7, "82.7"),
            (1234.5, "1234.5"),
            (1234.50, "1234.5"),
            (0.0, "0"),
            (-0.0, "0"),
            (-12.25, "-12.25"),
            (9e15, "9000000000000000"),
            (0.001, "0.001"),
        ];
        for &(value, want) in cases {
            assert_eq!(format_plain(n(value)), want, "{value}");
        }
    }

    #[test]
    fn ratios() {
        assert_eq!(ratio_percent(n(1.0), n(4.0)), Some(n(25.0)));
        assert_eq!(ratio_percent(n(5.0), n(5.0)), Some(n(100.0)));
        assert_eq!(ratio_percent(n(0.0), n(5.0)), Some(n(0.0)));
        assert_eq!(ratio_percent(n(3.0), n(0.0)), None);
        assert_eq!(ratio_percent(n(0.0), n(0.0)), None);
        assert_eq!(ratio_percent(n(3.0), n(-0.0)), None);
        assert_eq!(
            format_number(ratio_percent(n(1.0), n(3.0)).unwrap(), Percent),
            "33,3%"
        );
        assert_eq!(
            format_number(ratio_percent(n(2.0), n(3.0)).unwrap(), Percent),
            "66,7%"
        );
        assert_eq!(
            format_number(ratio_percent(n(827.0), n(1000.0)).unwrap(), Percent),
            "82,7%"
        );
    }

    #[test]
    fn accepts_dates() {
        let cases: &[(&str, NaiveDate)] = &[
            ("15/10/2014", date(2014, 10, 15)),
            ("05/04/2010", date(2010, 4, 5)),
            ("5/4/2010", date(2010, 4, 5)),
            ("05/4/2010", date(2010, 4, 5)),
            ("5/04/2010", date(2010, 4, 5)),
            ("5-4-2010", date(2010, 4, 5)),
            ("05-04-2010", date(2010, 4, 5)),
            ("5.4.2010", date(2010, 4, 5)),
            ("05.04.2010", date(2010, 4, 5)),
            ("  15/10/2014  ", date(2014, 10, 15)),
            ("15 / 10 / 2014", date(2014, 10, 15)),
            ("29/02/2012", date(2012, 2, 29)),
            ("29/02/2000", date(2000, 2, 29)),
            ("31/12/2100", date(2100, 12, 31)),
            ("01/01/1930", date(1930, 1, 1)),
            ("2/9/1945", date(1945, 9, 2)),
            ("30/4/1975", date(1975, 4, 30)),
        ];
        for &(input, want) in cases {
            assert_eq!(parse_date(input), Ok(want), "{input:?}");
        }
    }

    #[test]
    fn refuses_dates() {
        type Want = fn(&DateError) -> bool;
        let cases: &[(&str, Want)] = &[
            ("", |e| matches!(e, DateError::Empty)),
            ("31/02/2014", |e| {
                matches!(e, DateError::NoSuchDay { days: 28, .. })
            }),
            ("29/02/2013", |e| {
                matches!(e, DateError::NoSuchDay { days: 28, .. })
            }),
            ("29/02/2100", |e| {
                matches!(e, DateError::NoSuchDay { days: 28, .. })
            }),
            ("31/04/2014", |e| {
                matches!(e, DateError::NoSuchDay { days: 30, .. })
            }),
            ("32/1/2014", |e| matches!(e, DateError::NoSuchDay { .. })),
            ("0/1/2014", |e| matches!(e, DateError::NoSuchDay { .. })),
            ("00/01/2014", |e| matches!(e, DateError::NoSuchDay { .. })),
            ("15/13/2014", |e| matches!(e, DateError::NoSuchMonth { .. })),
            ("10/15/2014", |e| matches!(e, DateError::NoSuchMonth { .. })),
            ("15/0/2014", |e| matches!(e, DateError::NoSuchMonth { .. })),
            ("15/10/14", |e| matches!(e, DateError::YearDigits)),
            ("15/10/014", |e| matches!(e, DateError::YearDigits)),
            ("15/10/20145", |e| matches!(e, DateError::YearDigits)),
            ("15/10/1929", |e| matches!(e, DateError::YearRange)),
            ("1/1/2101", |e| matches!(e, DateError::YearRange)),
            ("1/1/0000", |e| matches!(e, DateError::YearRange)),
            ("2014-10-15", |e| matches!(e, DateError::Format)),
            ("15102014", |e| matches!(e, DateError::Format)),
            ("15 10 2014", |e| matches!(e, DateError::Format)),
            ("15/10", |e| matches!(e, DateError::Format)),
            ("15/10/2014/1", |e| matches!(e, DateError::Format)),
            ("15/10-2014", |e| matches!(e, DateError::Format)),
            ("15,10,2014", |e| matches!(e, DateError::Format)),
            ("15//2014", |e| matches!(e, DateError::Format)),
            ("a/b/2014", |e| matches!(e, DateError::Format)),
            ("-15/10/2014", |e| matches!(e, DateError::Format)),
            ("015/10/2014", |e| matches!(e, DateError::Format)),
            ("15/010/2014", |e| matches!(e, DateError::Format)),
            ("15 tháng 10 2014", |e| matches!(e, DateError::Format)),
            ("hôm nay", |e| matches!(e, DateError::Format)),
        ];
        for &(input, want) in cases {
            match parse_date(input) {
                Ok(d) => panic!("{input:?} was accepted as {d}"),
                Err(e) => assert!(want(&e), "{input:?}: got {e:?}"),
            }
        }
    }

    #[test]
    fn formats_dates() {
        let cases: &[(NaiveDate, &str, &str)] = &[
            (date(2010, 4, 5), "05/04/2010", "ngày 05 tháng 4 năm 2010"),
            (date(2014, 1, 15), "15/01/2014", "ngày 15 tháng 01 năm 2014"),
            (date(2014, 2, 9), "09/02/2014", "ngày 09 tháng 02 năm 2014"),
            (date(2014, 3, 1), "01/03/2014", "ngày 01 tháng 3 năm 2014"),
            (
                date(2014, 10, 15),
                "15/10/2014",
                "ngày 15 tháng 10 năm 2014",
            ),
            (
                date(2014, 12, 31),
                "31/12/2014",
                "ngày 31 tháng 12 năm 2014",
            ),
            (date(1945, 9, 2), "02/09/1945", "ngày 02 tháng 9 năm 1945"),
            (
                date(2020, 11, 10),
                "10/11/2020",
                "ngày 10 tháng 11 năm 2020",
            ),
        ];
        for &(d, short, long) in cases {
            assert_eq!(format_date(d), short);
            assert_eq!(format_date_long(d), long);
            assert_eq!(parse_date(short), Ok(d));
        }
    }

    /// The only test that switches to English; it holds the lock and puts
    /// Vietnamese back when done.
    #[test]
    fn messages_in_english() {
        let _en = English::on();
        let number_cases: &[(&str, NumKind, &str)] = &[
            ("", Integer, "No number entered."),
            (
                "12a",
                Integer,
                "“12a” is not a number. Type digits only, for example 1.234.",
            ),
            ("3,5", Integer, "Whole numbers only, for example 3.900."),
            (
                "82.7",
                Decimal,
                "use a comma for decimals, for example 82,7.",
            ),
            (
                "3.9",
                Integer,
                "A dot separates thousands (groups of 3 digits), for example 3.900",
            ),
            (
                "1,234,567",
                Integer,
                "Separate thousands with a dot, not a comma",
            ),
            ("1,2,3", Decimal, "Only one comma is allowed"),
            (
                "1,234.5",
                Decimal,
                "Use a dot for thousands and a comma for decimals",
            ),
            (
                "5-",
                Integer,
                "A minus (or plus) sign goes once, at the start",
            ),
            ("50%", Integer, "This field does not take %"),
            ("%50", Percent, "The % sign goes only at the end"),
            ("5 đ", Integer, "This field does not take a currency"),
            ("99999999999999999", Integer, "Number too large"),
        ];
        for &(input, kind, want) in number_cases {
            let msg = parse_number(input, kind).unwrap_err().localized(Lang::En);
            assert!(
                msg.contains(want),
                "{input:?}: got {msg:?}, wanted {want:?}"
            );
        }
        let date_cases: &[(&str, &str)] = &[
            ("", "No date entered."),
            (
                "31/02/2014",
                "No such date: 31/02/2014 (February 2014 has 28 days).",
            ),
            ("15/13/2014", "Months go from 1 to 12"),
            ("15/10/14", "Write the year with all 4 digits"),
            ("1/1/1900", "The year must be from 1930 to 2100."),
            (
                "2014-10-15",
                "Type the date as day/month/year, for example 15/10/2014.",
            ),
        ];
        for &(input, want) in date_cases {
            let msg = parse_date(input).unwrap_err().localized(Lang::En);
            assert!(
                msg.contains(want),
                "{input:?}: got {msg:?}, wanted {want:?}"
            );
        }
        // Displayed forms do not change with the language.
        assert_eq!(format_number(n(1_250_000.0), Money), "1.250.000 đồng");
        assert_eq!(
            format_date_long(date(2014, 10, 15)),
            "ngày 15 tháng 10 năm 2014"
        );
    }

    proptest! {
        #[test]
        fn integers_round_trip(v in -999_999_999_999_999_i64..=999_999_999_999_999) {
            let v = D::from(v);
            for kind in [Integer, Money] {
                prop_assert_eq!(parse_number(&format_number(v, kind), kind), Ok(v));
                prop_assert_eq!(parse_number(&format_for_input(v, kind), kind), Ok(v));
            }
            prop_assert_eq!(parse_number(&format_plain(v), Integer), Ok(v));
        }

        #[test]
        fn format_int_groups_like_format_number(v in any::<i64>()) {
            let shown = format_int(v);
            let digits: String = shown.chars().filter(char::is_ascii_digit).collect();
            prop_assert_eq!(digits, v.unsigned_abs().to_string());
            prop_assert_eq!(&shown, &format_number(D::from(v), Integer));
        }

        #[test]
        fn two_decimals_round_trip(cents in -99_999_999_999_999_i64..=99_999_999_999_999) {
            let v = D::new(cents, 2).normalize();
            prop_assert_eq!(parse_number(&format_for_input(v, Decimal), Decimal), Ok(v));
            // Two decimals are what a Decimal field shows: nothing rounded.
            prop_assert_eq!(parse_number(&format_number(v, Decimal), Decimal), Ok(v));
        }

        #[test]
        fn percents_round_trip(tenths in -10_000_000_i64..=10_000_000) {
            let v = D::new(tenths, 1).normalize();
            prop_assert_eq!(parse_number(&format_number(v, Percent), Percent), Ok(v));
            prop_assert_eq!(parse_number(&format_for_input(v, Percent), Percent), Ok(v));
        }

        #[test]
        fn any_decimal_round_trips_for_input(
            mantissa in -999_999_999_999_999_i64..=999_999_999_999_999,
            scale in 0u32..=10,
        ) {
            let v = D::new(mantissa, scale).normalize();
            prop_assert_eq!(parse_number(&format_for_input(v, Decimal), Decimal), Ok(v));
            prop_assert_eq!(format_plain(v).parse::<D>(), Ok(v));
            // The rounded form is still readable, and within half a cent.
            let shown = parse_number(&format_number(v, Decimal), Decimal).unwrap();
            prop_assert!((shown - v).abs() <= D::new(5, 3), "{} vs {}", shown, v);
        }

        #[test]
        fn dates_round_trip(offset in 0_i64..62_000) {
            let d = date(1930, 1, 1) + chrono::Duration::days(offset);
            prop_assume!(d.year() <= 2100);
            prop_assert_eq!(parse_date(&format_date(d)), Ok(d));
            let loose = format!("{}-{}-{}", d.day(), d.month(), d.year());
            prop_assert_eq!(parse_date(&loose), Ok(d));
            let dotted = format!(" {}.{}.{} ", d.day(), d.month(), d.year());
            prop_assert_eq!(parse_date(&dotted), Ok(d));
        }

        #[test]
        fn parsing_never_panics(s in "\\PC{0,30}") {
            for kind in [Integer, Decimal, Money, Percent] {
                if let Ok(v) = parse_number(&s, kind) {
                    prop_assert!(v.abs() <= MAX_ABS);
                    if kind == Integer || kind == Money {
                        prop_assert!(v.fract().is_zero());
                    }
                }
            }
            let _ = parse_date(&s);
        }

        #[test]
        fn number_like_input_never_panics(s in "[-+ 0-9.,%đ]{0,24}") {
            for kind in [Integer, Decimal, Money, Percent] {
                if let Ok(v) = parse_number(&s, kind) {
                    // Whatever was accepted shows and reads back the same.
                    prop_assert_eq!(parse_number(&format_for_input(v, kind), kind), Ok(v));
                }
            }
        }
    }

    #[test]
    fn the_bound_is_nine_quadrillion() {
        assert_eq!(MAX_ABS, D::from(9_000_000_000_000_000_i64));
    }
}
