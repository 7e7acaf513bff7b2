//! One unit's working copy: who it is, which outline it answers, and the
//! answers themselves, kept exactly as typed when they are not valid.

pub use crate::approval::{Approval, PastApproval};
use crate::error::Result;
use crate::i18n::{Lang, Localized};
pub use crate::outline::OutlineRef;
use crate::outline::{Outline, OutlineError, Rules, UnitPart};
use crate::t;
use crate::tl;
pub use crate::unit::Unit;
use crate::unit::UnitProblem;
use crate::validate::{self, FieldState};
use chrono::{DateTime, Local};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

pub const FORMAT: &str = "baocao-report";
pub const FORMAT_VERSION: u32 = 2;

/// item id → field id → value. Valid numbers are JSON numbers, dates
/// "dd/mm/yyyy" strings, tables arrays of row objects; an invalid entry is
/// kept as the string the person typed.
pub type Answers = BTreeMap<String, BTreeMap<String, Value>>;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Report {
    pub format: String,
    pub format_version: u32,
    pub outline: OutlineRef,
    /// The whole outline, kept only when it is not the embedded one, so the
    /// report opens anywhere.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outline_definition: Option<Outline>,
    pub unit: Unit,
    /// Final exactly when `approval` is set.
    pub status: Status,
    /// The collective approval of the report as it is (set only while
    /// final; see [`crate::approval`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approval: Option<Approval>,
    /// Approvals that no longer hold: the report was reopened after each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub approval_history: Vec<PastApproval>,
    pub created_at: DateTime<Local>,
    pub updated_at: DateTime<Local>,
    #[serde(default)]
    pub answers: Answers,
    /// The last package exported: its revision rises only when the content
    /// changed since.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_export: Option<LastExport>,
    /// At a parent unit: the units expected to report here.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<ExpectedChild>,
    /// At a parent unit: the packages taken in, newest revision per unit;
    /// their original bytes are archived beside the report.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub received: Vec<Received>,
    /// At a parent unit: the figures set by hand over the merged ones.
    #[serde(default, skip_serializing_if = "Overrides::is_empty")]
    pub overrides: Overrides,
    /// Every package this unit exported, one entry per revision: what a
    /// receipt from the parent is held to.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sent: Vec<Sent>,
    /// The receipts the parent sent back, as recorded, oldest first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub receipts: Vec<crate::receipt::Recorded>,
    /// The key the parent's receipts must be signed by: pinned by the
    /// first receipt recorded, or beforehand from a fingerprint read on
    /// the phone (`baocao parent --fingerprint`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_key: Option<PinnedKey>,
}

/// A package exported: its revision, its checksum (as the package states
/// it) and when.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Sent {
    pub revision: u32,
    pub checksum: String,
    pub exported_at: String,
}

/// A figure a parent set by hand over the one merged from its children:
/// the merged figure as it was then (to see when it has changed since),
/// why, and when.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Override {
    pub computed: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    pub at: DateTime<Local>,
}

/// item id → field id → override.
pub type Overrides = BTreeMap<String, BTreeMap<String, Override>>;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct LastExport {
    pub revision: u32,
    pub content_hash: String,
    pub exported_at: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct ExpectedChild {
    pub code: String,
    pub name: String,
    #[serde(rename = "type")]
    pub unit_type: String,
    /// Set by the parent; otherwise the plan's deadline for the unit type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deadline: Option<String>,
    /// Added because a package arrived from a unit not on the list.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unexpected: bool,
    /// Not confirmed yet as a unit that reports here: its package is kept
    /// but counted in no figure until the user accepts the unit.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub pending: bool,
    /// The key the unit's packages must be signed by: pinned by its first
    /// package taken in, or beforehand from a fingerprint read on the
    /// phone. A package signed by another key is refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<PinnedKey>,
}

/// A child's key as the parent pinned it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct PinnedKey {
    pub fingerprint: crate::keys::Fingerprint,
    /// The whole public key (base64), once a package signed by it was
    /// taken in; a key pinned from a fingerprint has none until then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub public_key: Option<String>,
    pub pinned_at: DateTime<Local>,
    pub source: PinSource,
}

/// How a child's key was pinned.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum PinSource {
    /// By the first package taken in from the unit.
    Package,
    /// From the children list (`children add --fingerprint`, the
    /// fingerprint column of `children import`).
    List,
    /// By `children rekey` (or `parent --fingerprint` over another key),
    /// after a phone call with the unit.
    Rekey,
    /// At a child: the parent's key, by the first receipt recorded.
    Receipt,
    /// At a child: the parent's key from a fingerprint read on the phone
    /// (`baocao parent --fingerprint`), before any receipt.
    Phone,
}

impl PinnedKey {
    /// Whether `key` is the pinned one: the whole key once known, else
    /// its fingerprint.
    pub fn holds(&self, key: &crate::keys::PublicKey) -> bool {
        match &self.public_key {
            Some(k) => *k == key.base64(),
            None => self.fingerprint == key.fingerprint(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Received {
    pub code: String,
    pub name: String,
    #[serde(rename = "type")]
    pub unit_type: String,
    pub revision: u32,
    pub status: Status,
    pub checksum: String,
    pub exported_at: String,
    pub received_at: DateTime<Local>,
    /// When the first revision arrived: a correction sent later does not
    /// make a unit that reported on time late.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_received_at: Option<DateTime<Local>>,
    /// The day the unit's report counts as sent, dd/mm/yyyy: its first
    /// revision's, as the clerk recorded a paper or late delivery, else
    /// the day it was exported (never after the day it was taken in).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sent_on: Option<String>,
    /// The delivery day of this revision, as the clerk recorded it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivered_on: Option<String>,
    pub complete_percent: u32,
    /// The package's name (`CODE-rN-CHECKSUM.bcpkg`). Its bytes are in
    /// the archive file beside the report, found by `checksum`; a district
    /// made before the archive file has them in a file of this name in
    /// the archive folder, where they are still read.
    pub file: String,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Draft,
    Final,
}

impl Received {
    /// The day the unit's report counts as sent (see `sent_on`; a report
    /// made before it was recorded counts the day it was first taken in).
    pub fn sent_day(&self) -> chrono::NaiveDate {
        self.sent_on
            .as_deref()
            .and_then(|d| crate::vnfmt::parse_date(d).ok())
            .unwrap_or_else(|| {
                self.first_received_at
                    .unwrap_or(self.received_at)
                    .date_naive()
            })
    }
}

impl Status {
    pub fn label(self) -> String {
        match self {
            Status::Draft => t!("dự thảo", "draft"),
            Status::Final => t!("chính thức", "final"),
        }
    }
}

impl Report {
    /// A new, empty report for `unit`, with the outline's defaults filled.
    pub fn new(outline: &Outline, unit: Unit) -> Result<Report> {
        let embedded = outline.content_hash() == Outline::embedded().content_hash();
        let unit_type =
            outline
                .unit_type(&unit.unit_type)
                .ok_or_else(|| ReportError::UnknownUnitType {
                    given: unit.unit_type.clone(),
                    types: outline.unit_type_ids(),
                })?;
        let unit = unit.checked().map_err(ReportError::Unit)?;
        if unit_type.reports_to.is_none() && unit.parent_code.is_some() {
            return Err(ReportError::NoParentAllowed {
                unit_type: unit_type.id.clone(),
            }
            .into());
        }
        let now = Local::now();
        let mut answers = Answers::new();
        for entry in outline.entries() {
            for field in &entry.item.fields {
                let from_unit = field.from_unit.and_then(|part| match part {
                    UnitPart::Name => Some(unit.name.clone()),
                    UnitPart::ParentName => unit.parent_name.clone(),
                });
                if let Some(d) = from_unit.or_else(|| field.default.clone()) {
                    answers
                        .entry(entry.item.id.clone())
                        .or_default()
                        .insert(field.id.clone(), Value::String(d));
                }
            }
        }
        Ok(Report {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            outline: outline.reference(),
            outline_definition: (!embedded).then(|| outline.clone()),
            unit,
            status: Status::Draft,
            approval: None,
            approval_history: Vec::new(),
            created_at: now,
            updated_at: now,
            answers,
            last_export: None,
            children: Vec::new(),
            received: Vec::new(),
            overrides: Overrides::new(),
            sent: Vec::new(),
            receipts: Vec::new(),
            parent_key: None,
        })
    }

    /// The outline this report answers: the one given with `--outline` if it
    /// is the same, else the embedded one, else the copy the report carries.
    pub fn outline(&self, given: Option<&Outline>) -> Result<Outline, OutlineError> {
        let want = &self.outline;
        if let Some(g) = given {
            if g.content_hash() == want.hash {
                return Ok(g.clone());
            }
            return Err(OutlineError::Differs {
                given: Box::new(g.reference()),
                report: Box::new(want.clone()),
            });
        }
        let embedded = Outline::embedded();
        if embedded.content_hash() == want.hash {
            return Ok(embedded.clone());
        }
        if let Some(def) = &self.outline_definition {
            // Held to the same checks as an outline file, and to be the
            // outline the report says it answers.
            let text = serde_json::to_string(def).expect("an outline serialises");
            let def = crate::outline::parse(&text).map_err(|problems| OutlineError::Invalid {
                file: None,
                problems,
            })?;
            if def.content_hash() == want.hash {
                return Ok(def);
            }
        }
        Err(OutlineError::Unavailable {
            report: want.clone(),
            same_name: embedded.id == want.id && embedded.version == want.version,
        })
    }

    pub fn value(&self, item: &str, field: &str) -> Option<&Value> {
        self.answers.get(item).and_then(|m| m.get(field))
    }

    /// Sets or clears (Null, empty string, empty table) one answer.
    pub fn set_value(&mut self, item: &str, field: &str, value: Value) {
        let empty = match &value {
            Value::Null => true,
            Value::String(s) => s.is_empty(),
            Value::Array(a) => a.is_empty(),
            _ => false,
        };
        if empty {
            if let Some(m) = self.answers.get_mut(item) {
                m.remove(field);
                if m.is_empty() {
                    self.answers.remove(item);
                }
            }
        } else {
            self.answers
                .entry(item.to_string())
                .or_default()
                .insert(field.to_string(), value);
        }
    }

    /// The state of every field of one item, ratios included.
    pub fn item_states(&self, outline: &Outline, item_id: &str) -> Vec<(String, FieldState)> {
        let Some(item) = outline.item(item_id) else {
            return Vec::new();
        };
        validate::item_states(item, self.answers.get(item_id))
    }

    /// Every invalid field: (item, field, why).
    pub fn invalid(&self, outline: &Outline) -> Vec<(String, String, validate::Invalid)> {
        invalid_of(outline, &self.answers)
    }

    pub fn progress(&self, outline: &Outline) -> Progress {
        progress_of(outline, &self.answers)
    }

    /// Whether other units report to this one (it has or expects children).
    pub fn is_parent(&self, outline: &Outline) -> bool {
        !self.children.is_empty()
            || !self.received.is_empty()
            || !outline.child_types(&self.unit.unit_type).is_empty()
    }

    /// The approval that makes the report final; `None` for a draft.
    pub fn approval(&self) -> Option<&Approval> {
        self.approval
            .as_ref()
            .filter(|_| self.status == Status::Final)
    }

    pub fn is_final(&self) -> bool {
        self.approval().is_some()
    }

    /// What an approval covers: the answers, the figures set by hand, the
    /// units expected here and the packages received from them. The same
    /// content gives the same hash whenever it is computed.
    pub fn content_hash(&self) -> String {
        let received: Vec<(&str, &str)> = self
            .received
            .iter()
            .map(|r| (r.code.as_str(), r.checksum.as_str()))
            .collect();
        let content = serde_json::json!({
            "outline": self.outline.hash,
            "unit": self.unit,
            "answers": self.answers,
            "overrides": self.overrides,
            "children": self.children,
            "received": received,
        });
        format!("sha256:{}", crate::canonical::sha256_hex(&content, None))
    }
}

/// Why a fill input was refused: nothing of it was written.
#[derive(Debug, Clone, PartialEq)]
pub enum FillError {
    /// The input is not `{"ITEM_ID": {"FIELD_ID": value}}`.
    NotAnObject,
    /// Every field that cannot be taken, with its reason.
    Fields(Vec<FieldError>),
}

/// One field of a fill input that cannot be taken.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldError {
    pub item: String,
    pub field: Option<String>,
    pub problem: FillProblem,
}

/// Why one entry of a fill input cannot be taken.
#[derive(Debug, Clone, PartialEq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum FillProblem {
    NoSuchItem,
    /// The item's entry is not `{"FIELD_ID": value}`.
    ItemNotAnObject,
    /// The ids the item does have.
    NoSuchField {
        fields: Vec<String>,
    },
    Invalid(validate::Invalid),
}

impl Localized for FieldError {
    fn localized(&self, lang: Lang) -> String {
        let reason = match &self.problem {
            FillProblem::NoSuchItem => tl!(
                lang,
                "không có mục này trong đề cương",
                "no such item in the outline"
            ),
            FillProblem::ItemNotAnObject => tl!(
                lang,
                "cần một đối tượng {{\"MÃ_TRƯỜNG\": giá trị}}",
                "needs an object {{\"FIELD_ID\": value}}"
            ),
            FillProblem::NoSuchField { fields } => {
                let ids = fields.join(", ");
                tl!(
                    lang,
                    "không có trường này (các trường: {ids})",
                    "no such field (fields: {ids})"
                )
            }
            FillProblem::Invalid(i) => i.localized(lang),
        };
        match &self.field {
            Some(field) => format!("{} / {field}: {reason}", self.item),
            None => format!("{}: {reason}", self.item),
        }
    }
}

/// Why a report cannot be made for a unit.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum ReportError {
    /// `types`: the plan's unit type ids, listed.
    UnknownUnitType { given: String, types: String },
    /// The code or the name cannot be used.
    Unit(UnitProblem),
    /// A unit type at the top takes no parent.
    NoParentAllowed { unit_type: String },
}

impl Localized for ReportError {
    fn localized(&self, lang: Lang) -> String {
        match self {
            ReportError::UnknownUnitType { given, types } => tl!(
                lang,
                "Không có loại đơn vị \"{given}\". Các loại trong kế hoạch: {types}.",
                "There is no unit type \"{given}\". The plan's types are: {types}."
            ),
            ReportError::Unit(p) => p.localized(lang),
            ReportError::NoParentAllowed { unit_type } => tl!(
                lang,
                "Loại \"{unit_type}\" không báo cáo lên cấp nào, không cần đơn vị cấp trên.",
                "Type \"{unit_type}\" reports to nobody; it takes no parent unit."
            ),
        }
    }
}

crate::coded!(ReportError => "report");
crate::localized_display!(FieldError, ReportError);

impl Report {
    /// Fills answers given as `{"ITEM_ID": {"FIELD_ID": value}}` (as a
    /// script writes them: see `validate::from_json`), all or nothing:
    /// every value and every cross-field rule (part ≤ whole) is checked
    /// first, and one problem leaves the report as it was. Returns how
    /// many fields were set.
    pub fn fill(&mut self, outline: &Outline, input: &Value) -> Result<usize, FillError> {
        let Value::Object(items) = input else {
            return Err(FillError::NotAnObject);
        };
        let mut errors = Vec::new();
        let mut changes = Vec::new();
        let err = |item: &str, field: Option<&str>, problem: FillProblem| FieldError {
            item: item.to_string(),
            field: field.map(str::to_string),
            problem,
        };
        for (item_id, fields) in items {
            let Some(item) = outline.item(item_id) else {
                errors.push(err(item_id, None, FillProblem::NoSuchItem));
                continue;
            };
            let Value::Object(fields) = fields else {
                errors.push(err(item_id, None, FillProblem::ItemNotAnObject));
                continue;
            };
            for (field_id, value) in fields {
                let Some(field) = item.field(field_id) else {
                    let fields = item.fields.iter().map(|f| f.id.clone()).collect();
                    errors.push(err(
                        item_id,
                        Some(field_id),
                        FillProblem::NoSuchField { fields },
                    ));
                    continue;
                };
                match validate::from_json(field, value) {
                    Ok(v) => changes.push((item_id.clone(), field_id.clone(), v)),
                    Err(m) => errors.push(err(item_id, Some(field_id), FillProblem::Invalid(m))),
                }
            }
        }
        // Cross-field rules (part ≤ whole) are checked on the result.
        let mut trial = self.clone();
        if errors.is_empty() {
            for (i, f, v) in &changes {
                trial.set_value(i, f, v.clone());
            }
            for item_id in items.keys() {
                for (field, state) in trial.item_states(outline, item_id) {
                    if let FieldState::Invalid(m) = state {
                        errors.push(err(item_id, Some(&field), FillProblem::Invalid(m)));
                    }
                }
            }
        }
        if !errors.is_empty() {
            return Err(FillError::Fields(errors));
        }
        trial.updated_at = Local::now();
        *self = trial;
        Ok(changes.len())
    }
}

/// Every invalid field of any set of answers: (item, field, why).
pub fn invalid_of(
    outline: &Outline,
    answers: &Answers,
) -> Vec<(String, String, validate::Invalid)> {
    let mut out = Vec::new();
    for e in outline.entries() {
        for (field, state) in validate::item_states(e.item, answers.get(&e.item.id)) {
            if let FieldState::Invalid(msg) = state {
                out.push((e.item.id.clone(), field, msg));
            }
        }
    }
    out
}

/// Progress over any set of answers (a parent's effective figures too).
pub fn progress_of(outline: &Outline, answers: &Answers) -> Progress {
    let mut p = Progress::default();
    for e in outline.entries() {
        let ip = validate::item_progress(e.item, answers.get(&e.item.id));
        p.required += ip.required;
        p.answered += ip.answered;
        p.invalid += ip.invalid;
    }
    p
}

/// The required fields of a set of answers still empty, in outline order:
/// (item, field).
pub fn missing_of(outline: &Outline, answers: &Answers) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for e in outline.entries() {
        for (field, (_, state)) in e
            .item
            .fields
            .iter()
            .zip(validate::item_states(e.item, answers.get(&e.item.id)))
        {
            if field.required
                && field.kind != crate::outline::Kind::Ratio
                && state == FieldState::Empty
            {
                out.push((e.item.id.clone(), field.id.clone()));
            }
        }
    }
    out
}

/// Required fields answered (validly) out of all required fields.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    pub required: usize,
    pub answered: usize,
    pub invalid: usize,
}

impl Progress {
    pub fn percent(&self) -> u32 {
        (self.answered * 100)
            .checked_div(self.required)
            .map_or(100, |p| p as u32)
    }
}

/// Rules of a field looked up by item and field id (for the command line).
pub fn rules_of<'a>(outline: &'a Outline, item: &str, field: &str) -> Option<Rules<'a>> {
    outline.item(item)?.field(field).map(|f| f.rules())
}

/// Puts every text of a set of answers in NFC (answers from another
/// machine may arrive decomposed).
pub fn normalize(answers: &mut Answers) {
    fn walk(v: &mut Value) {
        match v {
            Value::String(s) if !crate::text::is_nfc(s) => *s = crate::text::nfc(s),
            Value::Array(items) => items.iter_mut().for_each(walk),
            Value::Object(map) => map.values_mut().for_each(walk),
            _ => {}
        }
    }
    for fields in answers.values_mut() {
        fields.values_mut().for_each(walk);
    }
}
