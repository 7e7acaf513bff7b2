//! The đề cương as data: items in order, their guidance, typed fields, how
//! each figure rolls up, and the plan around it (unit types, who reports to
//! whom, deadlines). Nothing here assumes a number of levels.
//!
//! What a valid outline is, is said once: the serde types below give its
//! shape (keys, types, kinds; `load` reads a file through them and names
//! the JSON path of the first mistake), and [`check`] its meaning, on the
//! typed data, every problem at once. `schema/outline.schema.json` is the
//! published contract; a test holds the two to it.

pub mod check;
pub mod draft;
pub mod edit;
mod error;
mod load;
mod problem;

pub use error::OutlineError;
pub use load::{check_json, parse};
pub use problem::{JsonType, Problem, ProblemKind};

/// An outline read for its shape only, its meaning not checked: for the
/// editor, which shows what check finds and lets it be fixed. The first
/// mistake of shape (or size) refuses it, as [`parse`] does.
pub fn read_unchecked(text: &str) -> Result<Outline, Problem> {
    if text.len() > load::MAX_BYTES {
        return Err(Problem {
            path: "$".into(),
            kind: ProblemKind::TooLong {
                max: load::MAX_BYTES,
            },
        });
    }
    load::read_shape(text)
}

use crate::i18n::{Lang, Localized};
use crate::text::printable;
use crate::tl;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::BTreeMap;

/// The 2014 outline (Kế hoạch 123-KH/TU), compiled into the binary.
pub const DEFAULT_OUTLINE_JSON: &str = include_str!("../../schema/kl62-so-ket-2014.json");
pub const FORMAT: &str = "baocao-outline";
pub const FORMAT_VERSION: u32 = 1;
/// Field ids the front matter item must have: the document layout prints them.
pub const FRONT_FIELDS: &[&str] = &[
    "cap_tren",
    "co_quan",
    "so_ky_hieu",
    "dia_danh",
    "ngay",
    "thay_mat",
    "chuc_vu",
    "nguoi_ky",
    "noi_nhan",
];

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Outline {
    #[serde(
        rename = "$schema",
        default,
        deserialize_with = "load::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub schema: Option<String>,
    pub format: String,
    pub format_version: u32,
    pub id: String,
    pub version: String,
    pub title: String,
    pub short_title: String,
    #[serde(
        default,
        deserialize_with = "load::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub issued_with: Option<String>,
    /// Content hashes of earlier versions of this outline whose answers
    /// are answers of this one (it only removed or reworded fields):
    /// reports and packages made on them are taken as made on this one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub replaces: Vec<String>,
    /// This version replaces `from_version` of the same outline id, with
    /// the ids it renamed or moved: reports made on that version migrate
    /// to this one (`crate::migrate`), and a parent on this version maps
    /// the packages made on it.
    #[serde(
        default,
        deserialize_with = "load::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub migration: Option<Migration>,
    pub document: DocumentInfo,
    pub plan: Plan,
    pub items: Vec<Item>,
}

/// How an outline version follows the one before it: `renamed` maps an
/// old id to its new one, an item id alone (`"A.II.3"`) moving the whole
/// item with its fields, `ITEM/FIELD` moving one field. Ids not named
/// stay where they are.
#[derive(Debug, Clone, Default, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Migration {
    pub from_version: String,
    #[serde(default)]
    pub renamed: BTreeMap<String, String>,
}

/// An id of a migration's `renamed`: a whole item, or one field of one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MovedId<'a> {
    Item(&'a str),
    Field(&'a str, &'a str),
}

impl<'a> MovedId<'a> {
    /// `"A.II.3"` or `"A.II.3/so_hoi_nghi"`.
    pub fn parse(id: &'a str) -> MovedId<'a> {
        match id.split_once('/') {
            Some((item, field)) => MovedId::Field(item, field),
            None => MovedId::Item(id),
        }
    }
}

impl Migration {
    /// Where an answer at `item`/`field` of the version before goes in
    /// this one: its field's own rename, else its item's, else the same
    /// place.
    pub fn map(&self, item: &str, field: &str) -> (String, String) {
        if let Some(to) = self.renamed.get(&format!("{item}/{field}"))
            && let MovedId::Field(i, f) = MovedId::parse(to)
        {
            return (i.to_string(), f.to_string());
        }
        if let Some(to) = self.renamed.get(item)
            && let MovedId::Item(i) = MovedId::parse(to)
        {
            return (i.to_string(), field.to_string());
        }
        (item.to_string(), field.to_string())
    }

    /// Where item `item` of the version before is in this one.
    pub fn map_item<'a>(&'a self, item: &'a str) -> &'a str {
        match self.renamed.get(item).map(|to| MovedId::parse(to)) {
            Some(MovedId::Item(i)) => i,
            _ => item,
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DocumentInfo {
    #[serde(rename = "type")]
    pub doc_type: String,
    pub subject: String,
    /// The layout of the printed report: a Party document (Hướng dẫn
    /// 36-HD/VPTW, the default) or a State one (Nghị định 30/2020/NĐ-CP).
    /// Left out of the file when Party, so older outlines keep their hash.
    #[serde(default, skip_serializing_if = "Layout::is_party")]
    pub layout: Layout,
}

/// Which rules the printed document follows.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// "ĐẢNG CỘNG SẢN VIỆT NAM", "Số 45-BC/HU", "T/M BAN THƯỜNG VỤ".
    #[default]
    Party,
    /// "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM / Độc lập - Tự do - Hạnh phúc",
    /// "Số: 45/BC-UBND", "TM. ỦY BAN NHÂN DÂN".
    State,
}

impl Layout {
    pub fn is_party(&self) -> bool {
        *self == Layout::Party
    }
    /// The name in outline files.
    pub fn as_str(self) -> &'static str {
        match self {
            Layout::Party => "party",
            Layout::State => "state",
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub number: String,
    pub date: String,
    pub issuer: String,
    pub title: String,
    pub period: Period,
    #[serde(
        default,
        deserialize_with = "load::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub receiver: Option<String>,
    pub unit_types: Vec<UnitType>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Period {
    pub from: i32,
    pub to: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct UnitType {
    pub id: String,
    pub name: String,
    /// `null` or absent for the top level.
    pub reports_to: Option<String>,
    /// `null` or absent when the plan sets no date.
    pub deadline: Option<String>,
    /// How the plan writes the deadline: "trước ngày" (the day itself is
    /// late) or "chậm nhất ngày" (the day itself is on time, the default).
    #[serde(default, skip_serializing_if = "DeadlineKind::is_default")]
    pub deadline_kind: DeadlineKind,
    #[serde(
        default,
        deserialize_with = "load::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub deadline_note: Option<String>,
    /// Whether this unit's figures add into its parent's totals (the
    /// default), or are reported beside them: a provincial body whose
    /// members the districts count already must not be counted twice.
    #[serde(default = "yes", skip_serializing_if = "is_yes")]
    pub in_totals: bool,
    /// What the setup shows as an example of such a unit's code and name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example: Option<UnitExample>,
}

/// An example unit of a type, for the setup's hints.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct UnitExample {
    pub code: String,
    pub name: String,
}

/// Whether the deadline day itself is on time.
#[derive(Debug, Clone, Copy, Default, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineKind {
    /// "trước ngày 20/10/2014": due by the end of 19/10.
    Before,
    /// "chậm nhất ngày 20/10/2014", "hạn 20/10/2014": due by the end of 20/10.
    #[default]
    By,
}

impl DeadlineKind {
    fn is_default(&self) -> bool {
        *self == DeadlineKind::By
    }

    /// The last day that is on time, for a deadline written as `date`.
    pub fn last_day(self, date: chrono::NaiveDate) -> chrono::NaiveDate {
        match self {
            DeadlineKind::Before => date.pred_opt().unwrap_or(date),
            DeadlineKind::By => date,
        }
    }

    /// "trước 20/10/2014" / "hạn 20/10/2014": for a narrow column.
    pub fn short_phrase(self, date: &str) -> String {
        match self {
            DeadlineKind::Before => crate::t!("trước {date}", "before {date}"),
            DeadlineKind::By => crate::t!("hạn {date}", "due {date}"),
        }
    }

    /// "trước ngày 20/10/2014" / "chậm nhất ngày 20/10/2014".
    pub fn phrase(self, date: &str) -> String {
        match self {
            DeadlineKind::Before => crate::t!("trước ngày {date}", "before {date}"),
            DeadlineKind::By => crate::t!("chậm nhất ngày {date}", "by {date}"),
        }
    }
}

fn yes() -> bool {
    true
}

fn is_yes(b: &bool) -> bool {
    *b
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: String,
    pub number: String,
    #[serde(default)]
    pub marker: String,
    pub title: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub optional: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub front_matter: bool,
    #[serde(
        default,
        deserialize_with = "load::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub intro: Option<String>,
    #[serde(default)]
    pub guidance: Vec<String>,
    #[serde(default)]
    pub fields: Vec<Field>,
    #[serde(default)]
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Text,
    Integer,
    Decimal,
    Money,
    Percent,
    Date,
    Choice,
    Table,
    Ratio,
}

impl Kind {
    /// Every kind of field, in the order messages list them.
    pub const ALL: &[Kind] = &[
        Kind::Text,
        Kind::Integer,
        Kind::Decimal,
        Kind::Money,
        Kind::Percent,
        Kind::Date,
        Kind::Choice,
        Kind::Table,
        Kind::Ratio,
    ];
    /// The kinds a table column may have: tables and ratios do not nest.
    pub const IN_TABLES: &[Kind] = &[
        Kind::Text,
        Kind::Integer,
        Kind::Decimal,
        Kind::Money,
        Kind::Percent,
        Kind::Date,
        Kind::Choice,
    ];

    pub fn is_numeric(self) -> bool {
        matches!(
            self,
            Kind::Integer | Kind::Decimal | Kind::Money | Kind::Percent
        )
    }
    pub fn num_kind(self) -> Option<crate::vnfmt::NumKind> {
        use crate::vnfmt::NumKind;
        match self {
            Kind::Integer => Some(NumKind::Integer),
            Kind::Decimal => Some(NumKind::Decimal),
            Kind::Money => Some(NumKind::Money),
            Kind::Percent => Some(NumKind::Percent),
            _ => None,
        }
    }
    /// The bounds a number of this kind has when the outline gives none:
    /// counts and money are never negative, a percentage is 0 to 100 (and
    /// stays so whatever its bounds say).
    pub fn implied_bounds(self) -> (Option<rust_decimal::Decimal>, Option<rust_decimal::Decimal>) {
        use rust_decimal::Decimal;
        let min =
            matches!(self, Kind::Integer | Kind::Money | Kind::Percent).then_some(Decimal::ZERO);
        let max = (self == Kind::Percent).then_some(Decimal::ONE_HUNDRED);
        (min, max)
    }
    /// Whole numbers or amounts that add up: what a ratio is taken of.
    pub fn is_countable(self) -> bool {
        matches!(self, Kind::Integer | Kind::Decimal | Kind::Money)
    }
    /// The roll-ups that make sense for this kind of field (as the schema
    /// says: a table's rows are always passed up).
    pub fn allowed_aggregates(self) -> &'static [Aggregate] {
        use Aggregate::*;
        match self {
            Kind::Text | Kind::Choice => &[Collect, None],
            Kind::Integer | Kind::Decimal | Kind::Money => &[Sum, None],
            Kind::Percent | Kind::Date => &[None],
            Kind::Table => &[Concat],
            Kind::Ratio => &[Ratio],
        }
    }
    /// The name in outline files.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Integer => "integer",
            Kind::Decimal => "decimal",
            Kind::Money => "money",
            Kind::Percent => "percent",
            Kind::Date => "date",
            Kind::Choice => "choice",
            Kind::Table => "table",
            Kind::Ratio => "ratio",
        }
    }
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Aggregate {
    Sum,
    Ratio,
    Concat,
    Collect,
    None,
}

impl Aggregate {
    pub const ALL: &[Aggregate] = &[
        Aggregate::Sum,
        Aggregate::Ratio,
        Aggregate::Concat,
        Aggregate::Collect,
        Aggregate::None,
    ];
    /// The name in outline files.
    pub fn as_str(self) -> &'static str {
        match self {
            Aggregate::Sum => "sum",
            Aggregate::Ratio => "ratio",
            Aggregate::Concat => "concat",
            Aggregate::Collect => "collect",
            Aggregate::None => "none",
        }
    }
}

/// A field of an item (`Field`) or a column of a table field: what both
/// have, their identity, kind and rules.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Column {
    pub id: String,
    pub label: String,
    pub kind: Kind,
    #[serde(default)]
    pub required: bool,
    #[serde(
        default,
        deserialize_with = "load::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub min: Option<Value>,
    #[serde(
        default,
        deserialize_with = "load::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub max: Option<Value>,
    #[serde(
        default,
        deserialize_with = "load::non_empty",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub options: Vec<String>,
    #[serde(
        default,
        deserialize_with = "load::present",
        skip_serializing_if = "Option::is_none"
    )]
    pub placeholder: Option<String>,
}

/// A field of an item: a column's rules plus how it rolls up, its
/// guidance bullet, and what only whole fields have (table columns, the
/// two fields a rate is computed from).
///
/// Written with its column part flattened; read through a flat twin
/// (`load::FieldFile`), since serde's flatten would hide the path of a
/// mistake inside it and cannot refuse unknown keys.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Field {
    #[serde(flatten)]
    pub base: Column,
    pub aggregate: Aggregate,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bullet: Option<usize>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub multiline: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<Column>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub of: Option<[String; 2]>,
    /// A table at a parent unit: whether the rows of its direct children
    /// print in the report's body too (else they go to the appendix only,
    /// and the body holds the parent's own rows).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub children_rows_in_body: bool,
    /// Unit types for which a required field is not required (the
    /// superior body in the header of a unit that reports to nobody).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub optional_for: Vec<String>,
    /// Filled in when the report is created from what the setup asked:
    /// the unit's name as the issuing body, the parent's as its superior.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from_unit: Option<UnitPart>,
    /// Examples by unit type id, shown instead of `placeholder` to a unit
    /// of that type (a commune sees a commune's name, not a district's).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub examples: BTreeMap<String, String>,
}

/// What of the unit a field is filled in with when the report is created.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitPart {
    Name,
    ParentName,
}

impl Field {
    /// The hint shown in the empty field to a unit of type `unit_type`.
    pub fn placeholder_for(&self, unit_type: &str) -> Option<&str> {
        self.examples
            .get(unit_type)
            .or(self.placeholder.as_ref())
            .map(String::as_str)
    }
}

impl std::ops::Deref for Field {
    type Target = Column;
    fn deref(&self) -> &Column {
        &self.base
    }
}

/// A field's rules, shared by top-level fields and table columns.
pub struct Rules<'a> {
    pub kind: Kind,
    pub required: bool,
    pub min: Option<&'a Value>,
    pub max: Option<&'a Value>,
    pub options: &'a [String],
}

impl Column {
    pub fn rules(&self) -> Rules<'_> {
        Rules {
            kind: self.kind,
            required: self.required,
            min: self.min.as_ref(),
            max: self.max.as_ref(),
            options: &self.options,
        }
    }
}

/// Which outline a report or package answers: its id, version, and the
/// hash of its content (the identity that counts).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct OutlineRef {
    pub id: String,
    pub version: String,
    pub hash: String,
}

/// Another outline than ours, or the same name with other content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutlineDifference {
    pub ours: OutlineRef,
    pub theirs: OutlineRef,
}

impl Localized for OutlineDifference {
    fn localized(&self, lang: Lang) -> String {
        let p = |s: &str| printable(s, false);
        let (ours, theirs) = (&self.ours, &self.theirs);
        let short = |h: &str| p(h.get(..12).unwrap_or(h));
        if theirs.id == ours.id && theirs.version == ours.version {
            tl!(
                lang,
                "cùng đề cương {} phiên bản {} nhưng nội dung khác (mã {}…, ở đây là {}…)",
                "the same outline {} version {} but other content (hash {}…, here {}…)",
                p(&theirs.id),
                p(&theirs.version),
                short(&theirs.hash),
                short(&ours.hash)
            )
        } else {
            tl!(
                lang,
                "đề cương {} phiên bản {}, không phải {} phiên bản {}",
                "outline {} version {}, not {} version {}",
                p(&theirs.id),
                p(&theirs.version),
                p(&ours.id),
                p(&ours.version)
            )
        }
    }
}

crate::localized_display!(OutlineDifference);

/// One item of the outline seen in reading order, with its depth.
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub item: &'a Item,
    pub depth: usize,
    pub parent: Option<&'a Item>,
}

impl Item {
    pub fn field(&self, id: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }
}

impl Outline {
    /// SHA-256 over the outline's canonical form: same content, same hash,
    /// whatever the whitespace of the file.
    /// Keys are sorted first, so neither the file's key order nor the
    /// order of our struct fields changes an outline's identity.
    pub fn content_hash(&self) -> String {
        let mut canonical = self.clone();
        canonical.schema = None;
        let value = serde_json::to_value(&canonical).expect("an outline always serialises");
        crate::canonical::sha256_hex(&value, None)
    }

    /// The outline as a unit of type `unit_type` answers it: the fields
    /// optional for that type are not required there. Borrowed when
    /// nothing changes (most outlines, most types).
    pub fn for_unit_type(&self, unit_type: &str) -> std::borrow::Cow<'_, Outline> {
        fn relax(items: &mut [Item], t: &str) {
            for item in items {
                for f in &mut item.fields {
                    if f.optional_for.iter().any(|o| o == t) {
                        f.base.required = false;
                    }
                }
                relax(&mut item.items, t);
            }
        }
        let any = self.entries().iter().any(|e| {
            e.item
                .fields
                .iter()
                .any(|f| f.optional_for.iter().any(|o| o == unit_type))
        });
        if !any {
            return std::borrow::Cow::Borrowed(self);
        }
        let mut o = self.clone();
        relax(&mut o.items, unit_type);
        std::borrow::Cow::Owned(o)
    }

    /// Whether answers made on the outline with `hash` are answers of
    /// this one: it is this outline, or a version this one replaces.
    pub fn takes_answers_of(&self, hash: &str) -> bool {
        hash == self.content_hash() || self.replaces.iter().any(|h| h == hash)
    }

    /// This outline's identity, as reports and packages record it.
    pub fn reference(&self) -> OutlineRef {
        OutlineRef {
            id: self.id.clone(),
            version: self.version.clone(),
            hash: self.content_hash(),
        }
    }

    /// The scripting contract of `outline show --json`: the items
    /// flattened in outline order.
    pub fn contract_json(&self) -> Value {
        let o = self;
        let items: Vec<Value> = o
            .entries()
            .iter()
            .map(|e| {
                let i = e.item;
                json!({
                    "id": i.id,
                    "number": i.number,
                    "title": i.title,
                    "depth": e.depth,
                    "parent": e.parent.map(|p| p.id.clone()),
                    "optional": o.is_optional(&i.id),
                    "front_matter": i.front_matter,
                    "intro": i.intro,
                    "guidance": i.guidance,
                    "fields": i.fields,
                })
            })
            .collect();
        json!({
            "id": o.id,
            "version": o.version,
            "title": o.title,
            "short_title": o.short_title,
            "hash": o.content_hash(),
            "plan": o.plan,
            "items": items,
        })
    }

    /// Every item in reading order (front matter first, headings included).
    pub fn entries(&self) -> Vec<Entry<'_>> {
        fn walk<'a>(
            items: &'a [Item],
            depth: usize,
            parent: Option<&'a Item>,
            out: &mut Vec<Entry<'a>>,
        ) {
            for item in items {
                out.push(Entry {
                    item,
                    depth,
                    parent,
                });
                walk(&item.items, depth + 1, Some(item), out);
            }
        }
        let mut out = Vec::new();
        walk(&self.items, 0, None, &mut out);
        out
    }

    /// The full number of item `id` as people say it, its numbers from
    /// the top joined by dots ("A.I.1"); empty for the front matter.
    pub fn full_number(&self, id: &str) -> String {
        fn walk(items: &[Item], id: &str, at: &mut Vec<String>) -> bool {
            for i in items {
                at.push(i.number.clone());
                if i.id == id || walk(&i.items, id, at) {
                    return true;
                }
                at.pop();
            }
            false
        }
        let mut at = Vec::new();
        if self.item(id).is_none_or(|i| i.front_matter) || !walk(&self.items, id, &mut at) {
            return String::new();
        }
        at.retain(|n| !n.is_empty());
        at.join(".")
    }

    pub fn item(&self, id: &str) -> Option<&Item> {
        self.entries()
            .into_iter()
            .map(|e| e.item)
            .find(|i| i.id == id)
    }

    /// Whether an item or any item above it is optional ("nếu có").
    pub fn is_optional(&self, id: &str) -> bool {
        let entries = self.entries();
        let mut current = entries.iter().find(|e| e.item.id == id);
        while let Some(e) = current {
            if e.item.optional {
                return true;
            }
            current = e
                .parent
                .and_then(|p| entries.iter().find(|x| x.item.id == p.id));
        }
        false
    }

    pub fn unit_type(&self, id: &str) -> Option<&UnitType> {
        self.plan.unit_types.iter().find(|u| u.id == id)
    }

    /// Whether a unit of `unit_type` adds into its parent's totals.
    pub fn in_totals(&self, unit_type: &str) -> bool {
        self.unit_type(unit_type).is_none_or(|u| u.in_totals)
    }

    /// The unit types that report to `parent_type`.
    pub fn child_types(&self, parent_type: &str) -> Vec<&UnitType> {
        self.plan
            .unit_types
            .iter()
            .filter(|u| u.reports_to.as_deref() == Some(parent_type))
            .collect()
    }

    pub fn unit_type_ids(&self) -> String {
        self.plan
            .unit_types
            .iter()
            .map(|u| u.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// `n` in Roman numerals ("XIV"), as outlines number their parts (I., II.).
pub(crate) fn roman(mut n: usize) -> String {
    const NUMERALS: &[(usize, &str)] = &[
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ];
    let mut s = String::new();
    for &(v, r) in NUMERALS {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_difference_says_whether_it_is_another_outline_or_other_content() {
        let o = Outline::embedded();
        let mut other = OutlineRef {
            id: o.id.clone(),
            version: "3".into(),
            hash: "ab".repeat(32),
        };
        let said = |theirs: &OutlineRef| {
            OutlineDifference {
                ours: o.reference(),
                theirs: theirs.clone(),
            }
            .localized(crate::i18n::Lang::Vi)
        };
        assert_eq!(
            said(&other),
            "đề cương kl62-so-ket-2014 phiên bản 3, không phải kl62-so-ket-2014 phiên bản 2"
        );
        other.version = o.version.clone();
        let said = said(&other);
        assert!(
            said.starts_with(
                "cùng đề cương kl62-so-ket-2014 phiên bản 2 nhưng nội dung khác (mã abababababab…"
            ),
            "{said}"
        );
    }

    #[test]
    fn full_numbers_join_the_numbers_from_the_top() {
        let o = Outline::embedded();
        for e in o.entries() {
            let expected = if e.item.front_matter {
                ""
            } else {
                e.item.id.as_str()
            };
            assert_eq!(o.full_number(&e.item.id), expected);
        }
        assert_eq!(o.full_number("nowhere"), "");
    }

    #[test]
    fn the_hash_ignores_key_order_and_the_schema_key() {
        let o = Outline::embedded();
        let mut v = serde_json::to_value(o).unwrap();
        v["$schema"] = Value::String("elsewhere.json".into());
        let reordered: Outline =
            serde_json::from_str(&crate::canonical::canonical_json(&v)).unwrap();
        assert_eq!(reordered.content_hash(), o.content_hash());
    }
}
