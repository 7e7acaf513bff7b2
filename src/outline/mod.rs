//! The đề cương as data: items in order, their guidance, typed fields, how
//! each figure rolls up, and the plan around it (unit types, who reports to
//! whom, deadlines). Nothing here assumes a number of levels.

use crate::error::{Error, Result};
use crate::t;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::path::Path;

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
    "thong_qua_boi",
    "thong_qua_ngay",
    "noi_nhan",
];

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Outline {
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    pub format: String,
    pub format_version: u32,
    pub id: String,
    pub version: String,
    pub title: String,
    pub short_title: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_with: Option<String>,
    pub document: DocumentInfo,
    pub plan: Plan,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct DocumentInfo {
    #[serde(rename = "type")]
    pub doc_type: String,
    pub subject: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Plan {
    pub number: String,
    pub date: String,
    pub issuer: String,
    pub title: String,
    pub period: Period,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub receiver: Option<String>,
    pub unit_types: Vec<UnitType>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Period {
    pub from: i32,
    pub to: i32,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct UnitType {
    pub id: String,
    pub name: String,
    pub reports_to: Option<String>,
    pub deadline: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline_note: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
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
    #[serde(default, skip_serializing_if = "Option::is_none")]
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

pub const KINDS: &[&str] = &[
    "text", "integer", "decimal", "money", "percent", "date", "choice", "table", "ratio",
];
pub const COLUMN_KINDS: &[&str] = &[
    "text", "integer", "decimal", "money", "percent", "date", "choice",
];
pub const AGGREGATES: &[&str] = &["sum", "ratio", "concat", "collect", "none"];

impl Kind {
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
    /// The roll-ups that make sense for this kind of field.
    pub fn allowed_aggregates(self) -> &'static [Aggregate] {
        use Aggregate::*;
        match self {
            Kind::Text | Kind::Choice => &[Collect, None],
            Kind::Integer | Kind::Decimal | Kind::Money => &[Sum, None],
            Kind::Percent | Kind::Date => &[None],
            Kind::Table => &[Concat, None],
            Kind::Ratio => &[Ratio],
        }
    }
    pub fn as_str(self) -> &'static str {
        KINDS[self as usize]
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
    pub fn as_str(self) -> &'static str {
        AGGREGATES[self as usize]
    }
}

/// A field of an item (`Field`) or a column of a table field: what both
/// have, their identity, kind and rules.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Column {
    pub id: String,
    pub label: String,
    pub kind: Kind,
    #[serde(default)]
    pub required: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<Value>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub options: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub placeholder: Option<String>,
}

/// A field of an item: a column's rules plus how it rolls up, its
/// guidance bullet, and what only whole fields have (table columns, the
/// two fields a rate is computed from).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Field {
    #[serde(flatten)]
    pub base: Column,
    pub aggregate: Aggregate,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bullet: Option<usize>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub multiline: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub columns: Vec<Column>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub of: Option<[String; 2]>,
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
    /// The full number as people say it: "A.I.1".
    pub fn display_number(&self) -> &str {
        if self.front_matter { "" } else { &self.id }
    }
}

impl Outline {
    /// The embedded 2014 outline, parsed once.
    pub fn embedded() -> &'static Outline {
        static EMBEDDED: std::sync::OnceLock<Outline> = std::sync::OnceLock::new();
        EMBEDDED.get_or_init(|| {
            Outline::from_json(DEFAULT_OUTLINE_JSON)
                .expect("the embedded outline is checked by the tests")
        })
    }

    /// Says how another outline reference differs from this outline, for
    /// refusals: another outline, another version, or the same name with
    /// other content.
    pub fn difference(&self, other: &OutlineRef) -> String {
        let p = |s: &str| crate::text::printable(s, false);
        if other.id == self.id && other.version == self.version {
            t!(
                "cùng đề cương {} phiên bản {} nhưng nội dung khác (mã {}…, ở đây là {}…)",
                "the same outline {} version {} but other content (hash {}…, here {}…)",
                p(&other.id),
                p(&other.version),
                p(other.hash.get(..12).unwrap_or(&other.hash)),
                &self.content_hash()[..12]
            )
        } else {
            t!(
                "đề cương {} phiên bản {}, không phải {} phiên bản {}",
                "outline {} version {}, not {} version {}",
                p(&other.id),
                p(&other.version),
                self.id,
                self.version
            )
        }
    }

    /// Reads an outline file, refusing it with every problem listed.
    pub fn load(path: &Path) -> Result<Outline> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| crate::error::io_error(crate::error::IoAction::Read, path, e))?;
        Outline::from_json(&text).map_err(|e| {
            Error::new(t!(
                "Đề cương {} không hợp lệ: {}",
                "The outline {} is not valid: {}",
                path.display(),
                e
            ))
        })
    }

    pub fn from_json(text: &str) -> Result<Outline> {
        let problems = check_json(text);
        if let Some(first) = problems.first() {
            let more = problems.len() - 1;
            let tail = if more > 0 {
                t!(
                    " (và {more} lỗi khác; chạy `baocao outline check`)",
                    " (and {more} more; run `baocao outline check`)"
                )
            } else {
                String::new()
            };
            return Err(Error::new(format!("{first}{tail}")));
        }
        serde_json::from_str(text).map_err(|e| Error::new(e.to_string()))
    }

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

/// One problem found in an outline file, with where it is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.path, self.message)
    }
}

/// Checks an outline file and reports every problem with its JSON path.
/// Works on the raw JSON so that one mistake does not hide the others.
pub fn check_json(text: &str) -> Vec<Problem> {
    let root: Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return vec![Problem {
                path: "$".into(),
                message: t!(
                    "không đọc được JSON (dòng {}, cột {}): {}{}",
                    "not readable as JSON (line {}, column {}): {}{}",
                    e.line(),
                    e.column(),
                    e,
                    crate::text::json_nesting_note(&e)
                ),
            }];
        }
    };
    let mut c = Checker::default();
    c.check_root(&root);
    c.problems
}

#[derive(Default)]
struct Checker {
    problems: Vec<Problem>,
    item_ids: HashMap<String, String>,
}

impl Checker {
    fn push(&mut self, path: &str, message: String) {
        self.problems.push(Problem {
            path: path.to_string(),
            message,
        });
    }

    fn string(&mut self, obj: &Value, path: &str, key: &str, required: bool) -> Option<String> {
        match obj.get(key) {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Null) | None if !required => None,
            None => {
                self.push(
                    &format!("{path}.{key}"),
                    t!("thiếu trường bắt buộc", "required key is missing"),
                );
                None
            }
            Some(_) => {
                self.push(
                    &format!("{path}.{key}"),
                    t!("phải là chuỗi ký tự", "must be a string"),
                );
                None
            }
        }
    }

    fn array<'v>(&mut self, obj: &'v Value, path: &str, key: &str, required: bool) -> &'v [Value] {
        match obj.get(key) {
            Some(Value::Array(a)) => a,
            None if !required => &[],
            None => {
                self.push(
                    &format!("{path}.{key}"),
                    t!("thiếu trường bắt buộc", "required key is missing"),
                );
                &[]
            }
            Some(_) => {
                self.push(
                    &format!("{path}.{key}"),
                    t!("phải là một mảng", "must be an array"),
                );
                &[]
            }
        }
    }

    fn check_root(&mut self, root: &Value) {
        if !root.is_object() {
            self.push(
                "$",
                t!(
                    "đề cương phải là một đối tượng JSON",
                    "an outline must be a JSON object"
                ),
            );
            return;
        }
        match self.string(root, "$", "format", true).as_deref() {
            Some(FORMAT) | None => {}
            Some(other) => self.push(
                "$.format",
                t!(
                    "phải là \"{FORMAT}\", không phải \"{other}\"",
                    "must be \"{FORMAT}\", not \"{other}\""
                ),
            ),
        }
        match root.get("format_version").and_then(Value::as_u64) {
            Some(v) if v == FORMAT_VERSION as u64 => {}
            Some(v) => self.push(
                "$.format_version",
                t!(
                    "phiên bản định dạng {v} chưa được hỗ trợ (chỉ hỗ trợ {FORMAT_VERSION})",
                    "format version {v} is not supported (only {FORMAT_VERSION})"
                ),
            ),
            None => self.push(
                "$.format_version",
                t!("thiếu hoặc không phải số", "missing or not a number"),
            ),
        }
        for key in ["id", "version", "title", "short_title"] {
            self.string(root, "$", key, true);
        }
        match root.get("document") {
            Some(d) => {
                self.string(d, "$.document", "type", true);
                self.string(d, "$.document", "subject", true);
            }
            None => self.push(
                "$.document",
                t!("thiếu trường bắt buộc", "required key is missing"),
            ),
        }
        match root.get("plan") {
            Some(plan) => self.check_plan(plan),
            None => self.push(
                "$.plan",
                t!("thiếu trường bắt buộc", "required key is missing"),
            ),
        }
        let items = self.array(root, "$", "items", true);
        if items.is_empty() && root.get("items").is_some() {
            self.push(
                "$.items",
                t!("đề cương không có mục nào", "the outline has no items"),
            );
        }
        let mut fronts = 0;
        for (i, item) in items.iter().enumerate() {
            fronts += self.check_item(item, &format!("$.items[{i}]"));
        }
        if fronts != 1 && !items.is_empty() {
            self.push(
                "$.items",
                t!(
                    "cần đúng một mục thông tin chung (\"front_matter\": true), có {fronts}",
                    "needs exactly one front matter item (\"front_matter\": true), found {fronts}"
                ),
            );
        }
    }

    fn check_plan(&mut self, plan: &Value) {
        for key in ["number", "date", "issuer", "title"] {
            self.string(plan, "$.plan", key, true);
        }
        let from = plan.pointer("/period/from").and_then(Value::as_i64);
        let to = plan.pointer("/period/to").and_then(Value::as_i64);
        match (from, to) {
            (Some(f), Some(t)) if f <= t => {}
            (Some(_), Some(_)) => self.push(
                "$.plan.period",
                t!(
                    "năm bắt đầu sau năm kết thúc",
                    "the period starts after it ends"
                ),
            ),
            _ => self.push(
                "$.plan.period",
                t!(
                    "cần \"from\" và \"to\" là năm",
                    "needs \"from\" and \"to\" years"
                ),
            ),
        }
        let types = self.array(plan, "$.plan", "unit_types", true);
        if types.is_empty() {
            self.push(
                "$.plan.unit_types",
                t!(
                    "cần ít nhất một loại đơn vị",
                    "needs at least one unit type"
                ),
            );
        }
        let ids: Vec<Option<String>> = types
            .iter()
            .map(|u| u.get("id").and_then(Value::as_str).map(str::to_owned))
            .collect();
        let mut seen = HashSet::new();
        for (i, u) in types.iter().enumerate() {
            let path = format!("$.plan.unit_types[{i}]");
            if let Some(id) = self.string(u, &path, "id", true) {
                if !is_ascii_id(&id) {
                    self.push(
                        &format!("{path}.id"),
                        t!(
                            "mã loại đơn vị là một từ ngắn a–z, 0–9, _ , bắt đầu bằng chữ, ví dụ huyen",
                            "unit type ids are a short word of a–z, 0–9, _, starting with a letter, e.g. huyen"
                        ),
                    );
                }
                if !seen.insert(id.clone()) {
                    self.push(
                        &format!("{path}.id"),
                        t!(
                            "mã loại đơn vị \"{id}\" bị trùng",
                            "duplicate unit type id \"{id}\""
                        ),
                    );
                }
            }
            self.string(u, &path, "name", true);
            if let Some(parent) = self.string(u, &path, "reports_to", false)
                && !ids.iter().flatten().any(|x| *x == parent)
            {
                self.push(
                    &format!("{path}.reports_to"),
                    t!(
                        "không có loại đơn vị \"{parent}\"",
                        "there is no unit type \"{parent}\""
                    ),
                );
            }
            if let Some(d) = self.string(u, &path, "deadline", false)
                && crate::vnfmt::parse_date(&d).is_err()
            {
                self.push(
                    &format!("{path}.deadline"),
                    t!(
                        "hạn phải là ngày dd/mm/yyyy",
                        "a deadline is a dd/mm/yyyy date"
                    ),
                );
            }
        }
        // A unit type must not report to itself, directly or around a loop.
        for (i, u) in types.iter().enumerate() {
            let mut current = u.get("reports_to").and_then(Value::as_str);
            let mut steps = 0;
            while let Some(p) = current {
                steps += 1;
                if steps > types.len() {
                    self.push(
                        &format!("$.plan.unit_types[{i}].reports_to"),
                        t!(
                            "vòng lặp trong quan hệ báo cáo",
                            "reporting relations form a loop"
                        ),
                    );
                    break;
                }
                current = types
                    .iter()
                    .find(|t| t.get("id").and_then(Value::as_str) == Some(p))
                    .and_then(|t| t.get("reports_to"))
                    .and_then(Value::as_str);
            }
        }
    }

    /// Returns how many front matter items this subtree holds.
    fn check_item(&mut self, item: &Value, path: &str) -> usize {
        if !item.is_object() {
            self.push(
                path,
                t!("mục phải là một đối tượng", "an item must be an object"),
            );
            return 0;
        }
        if let Some(id) = self.string(item, path, "id", true) {
            if !is_item_id(&id) {
                self.push(
                    &format!("{path}.id"),
                    t!(
                        "mã mục gồm chữ, số không dấu, ngăn bởi dấu chấm, ví dụ A.II.3",
                        "item ids are ASCII letters and digits separated by dots, e.g. A.II.3"
                    ),
                );
            }
            if let Some(first) = self.item_ids.insert(id.clone(), path.to_string()) {
                self.push(
                    &format!("{path}.id"),
                    t!(
                        "mã mục \"{id}\" bị trùng với {first}",
                        "duplicate item id \"{id}\", also at {first}"
                    ),
                );
            }
        }
        self.string(item, path, "number", true);
        self.string(item, path, "title", true);
        let guidance = self.array(item, path, "guidance", false);
        for (i, g) in guidance.iter().enumerate() {
            if !g.is_string() {
                self.push(
                    &format!("{path}.guidance[{i}]"),
                    t!("phải là chuỗi ký tự", "must be a string"),
                );
            }
        }
        let is_front = item
            .get("front_matter")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        let fields = self.array(item, path, "fields", false);
        let mut seen: HashMap<String, &Value> = HashMap::new();
        for (i, f) in fields.iter().enumerate() {
            let fpath = format!("{path}.fields[{i}]");
            if let Some(id) = f.get("id").and_then(Value::as_str)
                && seen.insert(id.to_string(), f).is_some()
            {
                self.push(
                    &format!("{fpath}.id"),
                    t!(
                        "mã trường \"{id}\" bị trùng trong mục",
                        "duplicate field id \"{id}\" in this item"
                    ),
                );
            }
        }
        for (i, f) in fields.iter().enumerate() {
            self.check_field(f, &format!("{path}.fields[{i}]"), &seen, guidance.len());
        }
        if is_front {
            for id in FRONT_FIELDS {
                if !seen.contains_key(*id) {
                    self.push(
                        &format!("{path}.fields"),
                        t!(
                            "mục thông tin chung thiếu trường \"{id}\"",
                            "the front matter lacks the field \"{id}\""
                        ),
                    );
                }
            }
        }
        let mut fronts = usize::from(is_front);
        for (i, child) in self.array(item, path, "items", false).iter().enumerate() {
            fronts += self.check_item(child, &format!("{path}.items[{i}]"));
        }
        fronts
    }

    fn check_field(
        &mut self,
        f: &Value,
        path: &str,
        siblings: &HashMap<String, &Value>,
        bullets: usize,
    ) {
        if !f.is_object() {
            self.push(
                path,
                t!("trường phải là một đối tượng", "a field must be an object"),
            );
            return;
        }
        if let Some(id) = self.string(f, path, "id", true)
            && !is_field_id(&id)
        {
            self.push(
                &format!("{path}.id"),
                t!(
                    "mã trường chỉ gồm a–z, 0–9 và _ , bắt đầu bằng chữ",
                    "field ids are a–z, 0–9 and _, starting with a letter"
                ),
            );
        }
        self.string(f, path, "label", true);
        let kind = self.kind(f, path, KINDS);
        let aggregate = match f.get("aggregate") {
            Some(Value::String(a)) if AGGREGATES.contains(&a.as_str()) => {
                serde_json::from_value::<Aggregate>(Value::String(a.clone())).ok()
            }
            Some(other) => {
                let list = AGGREGATES.join(", ");
                self.push(
                    &format!("{path}.aggregate"),
                    t!(
                        "cách tổng hợp {other} không có; dùng một trong: {list}",
                        "unknown aggregation {other}; use one of: {list}"
                    ),
                );
                None
            }
            None => {
                self.push(
                    &format!("{path}.aggregate"),
                    t!("thiếu trường bắt buộc", "required key is missing"),
                );
                None
            }
        };
        if let (Some(k), Some(a)) = (kind, aggregate)
            && !k.allowed_aggregates().contains(&a)
        {
            let allowed = k
                .allowed_aggregates()
                .iter()
                .map(|a| a.as_str())
                .collect::<Vec<_>>()
                .join(", ");
            self.push(
                &format!("{path}.aggregate"),
                t!(
                    "cách tổng hợp \"{}\" không hợp với loại \"{}\"; dùng: {allowed}",
                    "aggregation \"{}\" does not fit kind \"{}\"; use: {allowed}",
                    a.as_str(),
                    k.as_str()
                ),
            );
        }
        if let Some(b) = f.get("bullet") {
            match b.as_u64() {
                Some(b) if (b as usize) < bullets => {}
                _ => self.push(
                    &format!("{path}.bullet"),
                    t!(
                        "không có gạch đầu dòng hướng dẫn số {b}",
                        "there is no guidance bullet {b}"
                    ),
                ),
            }
        }
        let Some(kind) = kind else { return };
        self.check_bounds(f, path, kind);
        match kind {
            Kind::Choice => {
                let options = self.array(f, path, "options", true);
                if options.is_empty() || !options.iter().all(Value::is_string) {
                    self.push(
                        &format!("{path}.options"),
                        t!(
                            "trường lựa chọn cần danh sách các chuỗi",
                            "a choice needs a list of strings"
                        ),
                    );
                }
            }
            Kind::Table => {
                let cols = self.array(f, path, "columns", true);
                if cols.is_empty() {
                    self.push(
                        &format!("{path}.columns"),
                        t!(
                            "bảng cần ít nhất một cột",
                            "a table needs at least one column"
                        ),
                    );
                }
                let mut ids = HashSet::new();
                for (i, c) in cols.iter().enumerate() {
                    let cpath = format!("{path}.columns[{i}]");
                    if let Some(id) = self.string(c, &cpath, "id", true) {
                        if !is_field_id(&id) {
                            self.push(
                                &format!("{cpath}.id"),
                                t!(
                                    "mã cột chỉ gồm a–z, 0–9 và _",
                                    "column ids are a–z, 0–9 and _"
                                ),
                            );
                        }
                        if !ids.insert(id.clone()) {
                            self.push(
                                &format!("{cpath}.id"),
                                t!("mã cột \"{id}\" bị trùng", "duplicate column id \"{id}\""),
                            );
                        }
                    }
                    self.string(c, &cpath, "label", true);
                    if let Some(k) = self.kind(c, &cpath, COLUMN_KINDS) {
                        self.check_bounds(c, &cpath, k);
                    }
                }
            }
            Kind::Ratio => {
                if f.get("required").and_then(Value::as_bool) == Some(true) {
                    self.push(
                        &format!("{path}.required"),
                        t!(
                            "tỷ lệ được tính ra, không thể bắt buộc nhập",
                            "a ratio is computed, it cannot be required"
                        ),
                    );
                }
                match f.get("of").and_then(Value::as_array) {
                    Some(of) if of.len() == 2 => {
                        for (i, target) in of.iter().enumerate() {
                            let tpath = format!("{path}.of[{i}]");
                            let Some(t) = target.as_str() else {
                                self.push(
                                    &tpath,
                                    t!("phải là mã một trường", "must be a field id"),
                                );
                                continue;
                            };
                            match siblings.get(t) {
                                None => self.push(
                                    &tpath,
                                    t!(
                                        "không có trường \"{t}\" trong mục này",
                                        "there is no field \"{t}\" in this item"
                                    ),
                                ),
                                Some(tf) => {
                                    let tk = tf.get("kind").and_then(Value::as_str).unwrap_or("");
                                    if !["integer", "decimal", "money"].contains(&tk) {
                                        self.push(&tpath, t!("trường \"{t}\" là \"{tk}\", không phải số đếm được", "field \"{t}\" is \"{tk}\", not a countable number"));
                                    }
                                }
                            }
                        }
                    }
                    _ => self.push(
                        &format!("{path}.of"),
                        t!(
                            "tỷ lệ cần \"of\": [mã trường tử số, mã trường mẫu số]",
                            "a ratio needs \"of\": [part field id, whole field id]"
                        ),
                    ),
                }
            }
            _ => {}
        }
    }

    fn kind(&mut self, f: &Value, path: &str, allowed: &[&str]) -> Option<Kind> {
        match f.get("kind") {
            Some(Value::String(k)) if allowed.contains(&k.as_str()) => {
                serde_json::from_value(Value::String(k.clone())).ok()
            }
            Some(other) => {
                let list = allowed.join(", ");
                self.push(
                    &format!("{path}.kind"),
                    t!(
                        "loại trường {other} không có; dùng một trong: {list}",
                        "unknown field kind {other}; use one of: {list}"
                    ),
                );
                None
            }
            None => {
                self.push(
                    &format!("{path}.kind"),
                    t!("thiếu trường bắt buộc", "required key is missing"),
                );
                None
            }
        }
    }

    fn check_bounds(&mut self, f: &Value, path: &str, kind: Kind) {
        for key in ["min", "max"] {
            let Some(v) = f.get(key) else { continue };
            let ok = match kind {
                k if k.is_numeric() => v.is_number(),
                Kind::Date => v
                    .as_str()
                    .is_some_and(|s| crate::vnfmt::parse_date(s).is_ok()),
                _ => false,
            };
            if !ok {
                self.push(
                    &format!("{path}.{key}"),
                    t!(
                        "giới hạn không hợp với loại trường \"{}\"",
                        "bound does not fit kind \"{}\"",
                        kind.as_str()
                    ),
                );
            }
        }
    }
}

/// Unit type ids: a short lowercase ASCII word ("xa", "huyen", "tinh").
fn is_ascii_id(s: &str) -> bool {
    is_field_id(s)
}

/// Item ids: dot-separated ASCII parts ("A.II.3").
fn is_item_id(s: &str) -> bool {
    !s.is_empty()
        && s.split('.')
            .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

fn is_field_id(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_difference_says_whether_it_is_another_outline_or_other_content() {
        let o = Outline::embedded();
        let mut other = OutlineRef {
            id: o.id.clone(),
            version: "2".into(),
            hash: "ab".repeat(32),
        };
        assert_eq!(
            o.difference(&other),
            "đề cương kl62-so-ket-2014 phiên bản 2, không phải kl62-so-ket-2014 phiên bản 1"
        );
        other.version = o.version.clone();
        let said = o.difference(&other);
        assert!(
            said.starts_with(
                "cùng đề cương kl62-so-ket-2014 phiên bản 1 nhưng nội dung khác (mã abababababab…"
            ),
            "{said}"
        );
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
