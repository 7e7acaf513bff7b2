//! What can be wrong with an outline file, as data: where (a JSON path in
//! the `$.items[3].fields[0].kind` style) and what, with the ids, kinds
//! and allowed values involved. The words are chosen when it is shown.

use super::{Aggregate, FORMAT, FORMAT_VERSION, Kind};
use crate::i18n::{Lang, Localized};
use crate::tl;

/// One problem found in an outline file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `$` for the whole file, then `.key` and `[index]` steps.
    pub path: String,
    pub kind: ProblemKind,
}

/// The JSON a key must hold, for [`ProblemKind::WrongType`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JsonType {
    String,
    Bool,
    /// A whole number, 0 or more.
    Count,
    /// A whole number.
    Integer,
    Array,
    Object,
    /// What serde expected, in its words, when it is none of the above.
    Other(String),
}

/// What is wrong. The first group comes from reading the file's shape
/// (the first one stops the reading); the rest from checking what it
/// means, all reported together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    // ----- bounds, before anything else is read
    /// A character XML (the printed document) cannot hold.
    ForbiddenCharacter {
        code: u32,
    },
    /// A text longer than any outline needs.
    TooLong {
        max: usize,
    },
    /// More items in the outline than any đề cương has.
    TooManyItems {
        max: usize,
    },
    /// Items nested deeper than any đề cương goes.
    TooDeep {
        max: usize,
    },
    // ----- shape (serde)
    /// Not JSON at all, or nested past serde_json's limit.
    NotJson {
        line: usize,
        column: usize,
        detail: String,
        too_deep: bool,
    },
    MissingKey {
        key: String,
    },
    /// A key the format does not have here (the path ends with it).
    UnknownKey {
        key: String,
        allowed: &'static [&'static str],
    },
    WrongType {
        expected: JsonType,
    },
    /// A field or column kind that does not exist (or, in a table, that a
    /// column cannot have).
    UnknownKind {
        found: String,
        allowed: &'static [Kind],
    },
    UnknownAggregate {
        found: String,
    },
    /// A list given empty where the schema wants at least one element.
    EmptyList,
    /// Anything else serde refused, in its (English) words.
    Malformed {
        detail: String,
    },

    // ----- the file as a whole
    WrongFormat {
        found: String,
    },
    UnsupportedVersion {
        found: u32,
    },
    BadOutlineId {
        id: String,
    },
    /// A text the schema wants non-empty (titles, labels, names, …).
    EmptyText,
    NotADate {
        found: String,
    },
    YearOutOfRange {
        year: i32,
    },
    PeriodReversed {
        from: i32,
        to: i32,
    },
    NoItems,

    // ----- unit types
    NoUnitTypes,
    BadUnitTypeId {
        id: String,
    },
    DuplicateUnitType {
        id: String,
    },
    NoSuchUnitType {
        id: String,
    },
    ReportingLoop,
    BadDeadline {
        found: String,
    },

    // ----- items
    BadItemId {
        id: String,
    },
    /// `first` is the path of the item that has the id already.
    DuplicateItem {
        id: String,
        first: String,
    },
    FrontMatterCount {
        found: usize,
    },
    MissingFrontField {
        id: &'static str,
    },

    // ----- fields and columns
    BadFieldId {
        id: String,
    },
    DuplicateField {
        id: String,
    },
    BadColumnId {
        id: String,
    },
    DuplicateColumn {
        id: String,
    },
    AggregateForKind {
        aggregate: Aggregate,
        kind: Kind,
    },
    NoSuchBullet {
        index: usize,
        bullets: usize,
    },
    /// A key that only other kinds of field have (`options` on a text…).
    NotForKind {
        key: &'static str,
        kind: Kind,
    },
    BoundForKind {
        kind: Kind,
    },
    MinAboveMax,
    /// A `max` below the lowest number the kind holds (0 for counts,
    /// money and percentages): no value fits.
    MaxBelowKind {
        kind: Kind,
        lowest: rust_decimal::Decimal,
    },
    /// A `min` above the highest number the kind holds (100 for a
    /// percentage): no value fits.
    MinAboveKind {
        kind: Kind,
        highest: rust_decimal::Decimal,
    },
    ChoiceNeedsOptions,
    DuplicateOption {
        option: String,
    },
    TableNeedsColumns,
    RatioRequired,
    RatioNeedsOf,
    NoSuchField {
        id: String,
    },
    NotCountable {
        id: String,
        kind: Kind,
    },
    RatioOfItself {
        id: String,
    },

    // ----- the migration from the version before
    /// `from_version` is this outline's own version.
    MigrationFromItself,
    /// An id of `renamed` that is neither `ITEM` nor `ITEM/FIELD`.
    BadMigrationId {
        id: String,
    },
    /// An item renamed to a field, or a field to an item.
    MigrationShape {
        from: String,
        to: String,
    },
    /// The new id is not in this version.
    MigrationTargetMissing {
        to: String,
    },
    /// Renames that lead back to where they started.
    MigrationCycle {
        ids: Vec<String>,
    },
    /// Two old ids renamed onto one new id (`first`: the other old id).
    MigrationTargetTwice {
        to: String,
        first: String,
    },

    // ----- warnings (see `is_warning`)
    /// A ratio's whole (its denominator, the field `whole`) can be 0:
    /// then no rate is worked out, and none is printed.
    WholeCanBeZero {
        whole: String,
    },
}

impl ProblemKind {
    /// Allowed, but worth saying: `outline check` prints it and still
    /// passes, and an outline is never refused for it. Everything else is
    /// an error.
    pub fn is_warning(&self) -> bool {
        matches!(self, ProblemKind::WholeCanBeZero { .. })
    }
}

/// A string from the file, quoted as JSON writes it: control characters
/// escaped, so that a message is one line whatever the file holds.
fn q(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

fn list<T: Copy>(items: &[T], name: impl Fn(T) -> &'static str) -> String {
    items
        .iter()
        .map(|&x| name(x))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Localized for JsonType {
    fn localized(&self, lang: Lang) -> String {
        match self {
            JsonType::String => tl!(lang, "chuỗi ký tự", "a string"),
            JsonType::Bool => tl!(lang, "true hoặc false", "true or false"),
            JsonType::Count => tl!(lang, "số nguyên không âm", "a whole number, 0 or more"),
            JsonType::Integer => tl!(lang, "số nguyên", "a whole number"),
            JsonType::Array => tl!(lang, "một mảng", "an array"),
            JsonType::Object => tl!(lang, "một đối tượng", "an object"),
            JsonType::Other(what) => what.clone(),
        }
    }
}

impl Localized for ProblemKind {
    fn localized(&self, lang: Lang) -> String {
        use ProblemKind::*;
        match self {
            NotJson {
                line,
                column,
                detail,
                too_deep,
            } => {
                let note = if *too_deep {
                    tl!(
                        lang,
                        ": dữ liệu lồng nhau quá sâu",
                        ": the data is nested too deeply"
                    )
                } else {
                    String::new()
                };
                tl!(
                    lang,
                    "không đọc được JSON (dòng {line}, cột {column}): {detail}{note}",
                    "not readable as JSON (line {line}, column {column}): {detail}{note}"
                )
            }
            MissingKey { .. } => tl!(lang, "thiếu trường bắt buộc", "required key is missing"),
            UnknownKey { key, allowed } => {
                let key = q(key);
                let allowed = allowed.join(", ");
                tl!(
                    lang,
                    "không có trường {key} ở đây; các trường được dùng: {allowed}",
                    "unknown key {key}; the keys here are: {allowed}"
                )
            }
            WrongType { expected } => {
                let what = expected.localized(lang);
                tl!(lang, "phải là {what}", "must be {what}")
            }
            UnknownKind { found, allowed } => {
                let found = q(found);
                let allowed = list(allowed, Kind::as_str);
                tl!(
                    lang,
                    "loại trường {found} không có; dùng một trong: {allowed}",
                    "unknown field kind {found}; use one of: {allowed}"
                )
            }
            UnknownAggregate { found } => {
                let found = q(found);
                let allowed = list(Aggregate::ALL, Aggregate::as_str);
                tl!(
                    lang,
                    "cách tổng hợp {found} không có; dùng một trong: {allowed}",
                    "unknown aggregation {found}; use one of: {allowed}"
                )
            }
            EmptyList => tl!(
                lang,
                "danh sách không được rỗng; bỏ hẳn trường này nếu không dùng",
                "the list must not be empty; leave the key out if it is not used"
            ),
            Malformed { detail } => tl!(
                lang,
                "sai cấu trúc: {detail}",
                "not in the outline format: {detail}"
            ),
            WrongFormat { found } => {
                let found = q(found);
                tl!(
                    lang,
                    "phải là \"{FORMAT}\", không phải {found}",
                    "must be \"{FORMAT}\", not {found}"
                )
            }
            UnsupportedVersion { found } => {
                tl!(
                    lang,
                    "phiên bản định dạng {found} chưa được hỗ trợ (chỉ hỗ trợ {FORMAT_VERSION})",
                    "format version {found} is not supported (only {FORMAT_VERSION})"
                )
            }
            BadOutlineId { .. } => tl!(
                lang,
                "mã đề cương gồm chữ thường a–z, số 0–9 và dấu -, bắt đầu bằng chữ hoặc số, ví dụ kl62-so-ket-2014",
                "outline ids are a–z, 0–9 and -, starting with a letter or digit, e.g. kl62-so-ket-2014"
            ),
            EmptyText => tl!(lang, "không được để trống", "must not be empty"),
            ForbiddenCharacter { code } => tl!(
                lang,
                "có ký tự U+{code:04X}, không in được vào văn bản; hãy xóa nó",
                "holds the character U+{code:04X}, which no document can hold; remove it"
            ),
            TooLong { max } => tl!(lang, "dài quá {max} ký tự", "longer than {max} characters"),
            TooManyItems { max } => tl!(
                lang,
                "đề cương có quá {max} mục",
                "the outline has more than {max} items"
            ),
            TooDeep { max } => tl!(
                lang,
                "các mục lồng nhau quá {max} cấp",
                "items are nested more than {max} levels deep"
            ),
            NotADate { found } => {
                let found = q(found);
                tl!(
                    lang,
                    "{found} không phải ngày dd/mm/yyyy, ví dụ 29/08/2014",
                    "{found} is not a dd/mm/yyyy date, e.g. 29/08/2014"
                )
            }
            YearOutOfRange { year } => tl!(
                lang,
                "năm {year} nằm ngoài khoảng 1900–2100",
                "the year {year} is outside 1900–2100"
            ),
            PeriodReversed { .. } => tl!(
                lang,
                "năm bắt đầu sau năm kết thúc",
                "the period starts after it ends"
            ),
            NoItems => tl!(
                lang,
                "đề cương không có mục nào",
                "the outline has no items"
            ),
            NoUnitTypes => tl!(
                lang,
                "cần ít nhất một loại đơn vị",
                "needs at least one unit type"
            ),
            BadUnitTypeId { .. } => tl!(
                lang,
                "mã loại đơn vị là một từ ngắn a–z, 0–9, _ , bắt đầu bằng chữ, ví dụ huyen",
                "unit type ids are a short word of a–z, 0–9, _, starting with a letter, e.g. huyen"
            ),
            DuplicateUnitType { id } => {
                let id = q(id);
                tl!(
                    lang,
                    "mã loại đơn vị {id} bị trùng",
                    "duplicate unit type id {id}"
                )
            }
            NoSuchUnitType { id } => {
                let id = q(id);
                tl!(
                    lang,
                    "không có loại đơn vị {id}",
                    "there is no unit type {id}"
                )
            }
            ReportingLoop => tl!(
                lang,
                "vòng lặp trong quan hệ báo cáo",
                "reporting relations form a loop"
            ),
            BadDeadline { .. } => tl!(
                lang,
                "hạn phải là ngày dd/mm/yyyy",
                "a deadline is a dd/mm/yyyy date"
            ),
            BadItemId { .. } => tl!(
                lang,
                "mã mục gồm chữ, số không dấu, ngăn bởi dấu chấm, ví dụ A.II.3",
                "item ids are ASCII letters and digits separated by dots, e.g. A.II.3"
            ),
            DuplicateItem { id, first } => {
                let id = q(id);
                tl!(
                    lang,
                    "mã mục {id} bị trùng với {first}",
                    "duplicate item id {id}, also at {first}"
                )
            }
            FrontMatterCount { found } => {
                tl!(
                    lang,
                    "cần đúng một mục thông tin chung (\"front_matter\": true), có {found}",
                    "needs exactly one front matter item (\"front_matter\": true), found {found}"
                )
            }
            MissingFrontField { id } => {
                tl!(
                    lang,
                    "mục thông tin chung thiếu trường \"{id}\"",
                    "the front matter lacks the field \"{id}\""
                )
            }
            BadFieldId { .. } => tl!(
                lang,
                "mã trường chỉ gồm a–z, 0–9 và _ , bắt đầu bằng chữ",
                "field ids are a–z, 0–9 and _, starting with a letter"
            ),
            DuplicateField { id } => {
                let id = q(id);
                tl!(
                    lang,
                    "mã trường {id} bị trùng trong mục",
                    "duplicate field id {id} in this item"
                )
            }
            BadColumnId { .. } => tl!(
                lang,
                "mã cột chỉ gồm a–z, 0–9 và _",
                "column ids are a–z, 0–9 and _"
            ),
            DuplicateColumn { id } => {
                let id = q(id);
                tl!(lang, "mã cột {id} bị trùng", "duplicate column id {id}")
            }
            AggregateForKind { aggregate, kind } => {
                let (a, k) = (aggregate.as_str(), kind.as_str());
                let allowed = list(kind.allowed_aggregates(), Aggregate::as_str);
                tl!(
                    lang,
                    "cách tổng hợp \"{a}\" không hợp với loại \"{k}\"; dùng: {allowed}",
                    "aggregation \"{a}\" does not fit kind \"{k}\"; use: {allowed}"
                )
            }
            NoSuchBullet { index, .. } => tl!(
                lang,
                "không có gạch đầu dòng hướng dẫn số {index}",
                "there is no guidance bullet {index}"
            ),
            NotForKind { key, kind } => {
                let k = kind.as_str();
                tl!(
                    lang,
                    "trường loại \"{k}\" không có \"{key}\"; hãy bỏ đi",
                    "a \"{k}\" field has no \"{key}\"; remove it"
                )
            }
            BoundForKind { kind } => {
                let k = kind.as_str();
                tl!(
                    lang,
                    "giới hạn không hợp với loại trường \"{k}\"",
                    "bound does not fit kind \"{k}\""
                )
            }
            MinAboveMax => tl!(
                lang,
                "giới hạn dưới (min) lớn hơn giới hạn trên (max)",
                "the lower bound (min) is above the upper bound (max)"
            ),
            MaxBelowKind { kind, lowest } => {
                let (k, n) = (kind.as_str(), crate::vnfmt::format_plain(*lowest));
                tl!(
                    lang,
                    "giới hạn trên (max) nhỏ hơn {n}, số nhỏ nhất trường loại \"{k}\" nhận: không có giá trị nào hợp lệ",
                    "the upper bound (max) is below {n}, the lowest a \"{k}\" field holds: no value fits"
                )
            }
            MinAboveKind { kind, highest } => {
                let (k, n) = (kind.as_str(), crate::vnfmt::format_plain(*highest));
                tl!(
                    lang,
                    "giới hạn dưới (min) lớn hơn {n}, số lớn nhất trường loại \"{k}\" nhận: không có giá trị nào hợp lệ",
                    "the lower bound (min) is above {n}, the highest a \"{k}\" field holds: no value fits"
                )
            }
            ChoiceNeedsOptions => tl!(
                lang,
                "trường lựa chọn cần danh sách các chuỗi",
                "a choice needs a list of strings"
            ),
            DuplicateOption { option } => {
                let option = q(option);
                tl!(
                    lang,
                    "lựa chọn {option} bị trùng",
                    "the option {option} is listed twice"
                )
            }
            TableNeedsColumns => tl!(
                lang,
                "bảng cần ít nhất một cột",
                "a table needs at least one column"
            ),
            RatioRequired => tl!(
                lang,
                "tỷ lệ được tính ra, không thể bắt buộc nhập",
                "a ratio is computed, it cannot be required"
            ),
            RatioNeedsOf => tl!(
                lang,
                "tỷ lệ cần \"of\": [mã trường tử số, mã trường mẫu số]",
                "a ratio needs \"of\": [part field id, whole field id]"
            ),
            NoSuchField { id } => {
                let id = q(id);
                tl!(
                    lang,
                    "không có trường {id} trong mục này",
                    "there is no field {id} in this item"
                )
            }
            NotCountable { id, kind } => {
                let (id, k) = (q(id), kind.as_str());
                tl!(
                    lang,
                    "trường {id} là \"{k}\", không phải số đếm được",
                    "field {id} is \"{k}\", not a countable number"
                )
            }
            WholeCanBeZero { whole } => {
                let whole = q(whole);
                tl!(
                    lang,
                    "cảnh báo: mẫu số {whole} có thể bằng 0 (không có \"min\" lớn hơn 0); khi đó tỷ lệ không tính được: văn bản in ô tỷ lệ để trống, bảng số liệu CSV bỏ tỷ lệ đó, màn hình hiện —. Nếu mẫu số không bao giờ bằng 0, đặt \"min\": 1 cho trường {whole}",
                    "warning: the whole {whole} can be 0 (it has no \"min\" above 0); then no rate is worked out: the document leaves the rate's cell empty, the figures CSV leaves the rate out, the screen shows —. If the whole is never 0, give the field {whole} \"min\": 1"
                )
            }
            MigrationFromItself => tl!(
                lang,
                "phiên bản cũ trùng với phiên bản của chính đề cương này; ghi phiên bản trước đó",
                "the earlier version is this outline's own version; give the version before it"
            ),
            BadMigrationId { id } => {
                let id = q(id);
                tl!(
                    lang,
                    "{id} không phải mã mục (\"A.II.3\") hay mã mục/mã trường (\"A.II.3/so_hoi_nghi\")",
                    "{id} is neither an item id (\"A.II.3\") nor an item/field id (\"A.II.3/so_hoi_nghi\")"
                )
            }
            MigrationShape { from, to } => {
                let (from, to) = (q(from), q(to));
                tl!(
                    lang,
                    "{from} và {to} không cùng loại: mục đổi thành mục, trường (MỤC/TRƯỜNG) đổi thành trường",
                    "{from} and {to} are not alike: an item becomes an item, a field (ITEM/FIELD) a field"
                )
            }
            MigrationTargetMissing { to } => {
                let to = q(to);
                tl!(
                    lang,
                    "không có {to} trong phiên bản này của đề cương; mã mới phải là mã có trong đề cương",
                    "there is no {to} in this version of the outline; a new id must be one it has"
                )
            }
            MigrationCycle { ids } => {
                let ids = ids.iter().map(|i| q(i)).collect::<Vec<_>>().join(" → ");
                tl!(
                    lang,
                    "các mã đổi tên quay vòng ({ids}); mỗi mã cũ chỉ chuyển tới một mã mới khác nó",
                    "the renames go round in a loop ({ids}); each old id moves to one other new id"
                )
            }
            MigrationTargetTwice { to, first } => {
                let (to, first) = (q(to), q(first));
                tl!(
                    lang,
                    "hai mã cũ cùng chuyển tới {to} (mã kia là {first}); mỗi mã mới chỉ nhận một mã cũ",
                    "two old ids move to {to} (the other is {first}); a new id takes one old id"
                )
            }
            RatioOfItself { id } => {
                let id = q(id);
                tl!(
                    lang,
                    "tử số và mẫu số cùng là trường {id}",
                    "the part and the whole are the same field {id}"
                )
            }
        }
    }
}

impl Localized for Problem {
    fn localized(&self, lang: Lang) -> String {
        format!("{}: {}", self.path, self.kind.localized(lang))
    }
}

crate::localized_display!(Problem, ProblemKind);
