//! The outline checker held to the published contract,
//! `schema/outline.schema.json`: the embedded outline passes both; every
//! rule, broken once in a copy of it, is refused with its problem at its
//! JSON path; and the schema's verdict on the same file agrees with the
//! checker's — it refuses too, except for the rules a JSON Schema cannot
//! express:
//!
//! - ids unique: items across the tree, fields within an item, columns
//!   within a table, unit types within the plan;
//! - exactly one front-matter item, and it has every `FRONT_FIELDS` field;
//! - a text field's `bullet` is an index into its item's `guidance`;
//! - a ratio's `of` names two different countable (integer, decimal,
//!   money) fields of the same item;
//! - `min` is not above `max`;
//! - dates are real (the schema's pattern takes 31/02/2014);
//! - the period does not end before it starts;
//! - `reports_to` names a unit type of the plan, and reporting has no loop.
//!
//! Whenever the schema refuses a file the checker refuses it, and whenever
//! the checker takes one the schema takes it: asserted on every case here.

mod common;

use baocao::i18n::{Lang, Localized};
use baocao::outline::{
    self, Aggregate, JsonType, Kind, Outline, OutlineError, Problem, ProblemKind,
};
use baocao::validate::Invalid;
use common::*;
use serde_json::{Value, json};

// Where the embedded outline keeps what the cases break (checked by
// `the_cases_break_what_they_say`).
const FRONT: &str = "/items/0";
/// Fields: 0 hinh_thuc_quan_triet (text, bullet 0), 2 so_hoi_nghi
/// (integer), 3 can_bo_tham_gia, 4 can_bo_tong_so, 5 can_bo_ty_le (ratio).
const A_I_1: &str = "/items/1/items/0/items/0";
/// Field 2: van_ban, a table.
const A_I_2: &str = "/items/1/items/0/items/1";
const A_I_1_PATH: &str = "$.items[1].items[0].items[0]";

fn embedded() -> Value {
    serde_json::from_str(outline::DEFAULT_OUTLINE_JSON).unwrap()
}

fn at<'a>(o: &'a mut Value, pointer: &str) -> &'a mut Value {
    o.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("the embedded outline has no {pointer}"))
}

fn remove(o: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    at(o, parent).as_object_mut().unwrap().remove(key).unwrap();
}

/// What the schema says of a file the checker refuses for one rule.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Schema {
    Refuses,
    /// A rule the schema cannot express: it takes the file.
    CannotSay,
}

/// A change made to a copy of the embedded outline.
type Change = Box<dyn Fn(&mut Value)>;

struct Case {
    rule: &'static str,
    breaks: Change,
    path: String,
    is: fn(&ProblemKind) -> bool,
    schema: Schema,
}

macro_rules! case {
    ($rule:literal, $schema:ident, |$o:ident| $breaks:expr, $path:expr, $pat:pat $(if $guard:expr)?) => {
        Case {
            rule: $rule,
            breaks: Box::new(|$o: &mut Value| {
                $breaks;
            }),
            path: $path.to_string(),
            is: |k| matches!(k, $pat $(if $guard)?),
            schema: Schema::$schema,
        }
    };
}

fn f(item: &str, i: usize) -> String {
    format!("{item}/fields/{i}")
}

fn cases() -> Vec<Case> {
    use ProblemKind as P;
    let a = A_I_1_PATH;
    let b = "$.items[1].items[0].items[1]";
    vec![
        // ------------------------------------------------ the shape (serde)
        case!("a required key is missing", Refuses,
            |o| remove(o, "/title"), "$.title",
            P::MissingKey { key } if key == "title"),
        case!("a field lacks its aggregate", Refuses,
            |o| remove(o, &format!("{}/aggregate", f(A_I_1, 2))),
            format!("{a}.fields[2].aggregate"),
            P::MissingKey { key } if key == "aggregate"),
        case!("an unknown key at the top", Refuses,
            |o| o["colour"] = json!("đỏ"), "$.colour",
            P::UnknownKey { key, allowed } if key == "colour" && allowed.contains(&"plan")),
        case!("an unknown key in a field", Refuses,
            |o| at(o, &f(A_I_1, 2))["unit"] = json!("người"),
            format!("{a}.fields[2].unit"),
            P::UnknownKey { key, allowed } if key == "unit" && allowed.contains(&"aggregate")),
        case!("an unknown key in a table column", Refuses,
            |o| at(o, &format!("{}/columns/0", f(A_I_2, 2)))["width"] = json!(10),
            format!("{b}.fields[2].columns[0].width"),
            P::UnknownKey { key, .. } if key == "width"),
        case!(
            "a number for a string",
            Refuses,
            |o| o["title"] = json!(5),
            "$.title",
            P::WrongType {
                expected: JsonType::String
            }
        ),
        case!(
            "a string for an array",
            Refuses,
            |o| *at(o, &format!("{FRONT}/fields")) = json!("không"),
            "$.items[0].fields",
            P::WrongType {
                expected: JsonType::Array
            }
        ),
        case!(
            "a string for true/false",
            Refuses,
            |o| at(o, &f(A_I_1, 2))["required"] = json!("có"),
            format!("{a}.fields[2].required"),
            P::WrongType {
                expected: JsonType::Bool
            }
        ),
        case!(
            "a negative bullet",
            Refuses,
            |o| at(o, &f(A_I_1, 0))["bullet"] = json!(-1),
            format!("{a}.fields[0].bullet"),
            P::WrongType {
                expected: JsonType::Count
            }
        ),
        case!(
            "the format version as a string",
            Refuses,
            |o| o["format_version"] = json!("1"),
            "$.format_version",
            P::WrongType {
                expected: JsonType::Count
            }
        ),
        case!(
            "null where the schema wants a string",
            Refuses,
            |o| o["issued_with"] = Value::Null,
            "$.issued_with",
            P::WrongType {
                expected: JsonType::String
            }
        ),
        case!(
            "an array for an object",
            Refuses,
            |o| o["plan"]["period"] = json!([2009, 2014]),
            "$.plan.period",
            P::WrongType {
                expected: JsonType::Object
            }
        ),
        case!("an unknown field kind", Refuses,
            |o| at(o, &f(A_I_1, 2))["kind"] = json!("number"),
            format!("{a}.fields[2].kind"),
            P::UnknownKind { found, allowed } if found == "number" && *allowed == Kind::ALL),
        case!("an unknown aggregation", Refuses,
            |o| at(o, &f(A_I_1, 2))["aggregate"] = json!("average"),
            format!("{a}.fields[2].aggregate"),
            P::UnknownAggregate { found } if found == "average"),
        case!(
            "an empty list of options",
            Refuses,
            |o| at(o, &f(A_I_1, 0))["options"] = json!([]),
            format!("{a}.fields[0].options"),
            P::EmptyList
        ),
        case!(
            "a ratio of one field",
            Refuses,
            |o| at(o, &f(A_I_1, 5))["of"] = json!(["can_bo_tham_gia"]),
            format!("{a}.fields[5].of"),
            P::RatioNeedsOf
        ),
        // ------------------------------------------------------- the file
        case!("another format", Refuses,
            |o| o["format"] = json!("baocao-report"), "$.format",
            P::WrongFormat { found } if found == "baocao-report"),
        case!(
            "a format version to come",
            Refuses,
            |o| o["format_version"] = json!(2),
            "$.format_version",
            P::UnsupportedVersion { found: 2 }
        ),
        case!("an outline id with capitals", Refuses,
            |o| o["id"] = json!("KL62"), "$.id",
            P::BadOutlineId { id } if id == "KL62"),
        case!(
            "an empty short title",
            Refuses,
            |o| o["short_title"] = json!(""),
            "$.short_title",
            P::EmptyText
        ),
        case!(
            "an empty guidance bullet",
            Refuses,
            |o| *at(o, &format!("{A_I_1}/guidance/0")) = json!(""),
            format!("{a}.guidance[0]"),
            P::EmptyText
        ),
        case!("a plan date not written dd/mm/yyyy", Refuses,
            |o| o["plan"]["date"] = json!("29/8/2014"), "$.plan.date",
            P::NotADate { found } if found == "29/8/2014"),
        case!(
            "a plan date that does not exist",
            CannotSay,
            |o| o["plan"]["date"] = json!("31/02/2014"),
            "$.plan.date",
            P::NotADate { .. }
        ),
        case!(
            "a year out of range",
            Refuses,
            |o| o["plan"]["period"]["from"] = json!(1800),
            "$.plan.period.from",
            P::YearOutOfRange { year: 1800 }
        ),
        case!(
            "a period that ends before it starts",
            CannotSay,
            |o| o["plan"]["period"]["from"] = json!(2015),
            "$.plan.period",
            P::PeriodReversed {
                from: 2015,
                to: 2014
            }
        ),
        case!(
            "no items",
            Refuses,
            |o| o["items"] = json!([]),
            "$.items",
            P::NoItems
        ),
        // ---------------------------------------------------- unit types
        case!(
            "no unit types",
            Refuses,
            |o| o["plan"]["unit_types"] = json!([]),
            "$.plan.unit_types",
            P::NoUnitTypes
        ),
        case!("a unit type id with capitals", Refuses,
            |o| o["plan"]["unit_types"][1]["id"] = json!("Huyen"), "$.plan.unit_types[1].id",
            P::BadUnitTypeId { id } if id == "Huyen"),
        case!("a unit type twice", CannotSay,
            |o| o["plan"]["unit_types"][2]["id"] = json!("huyen"), "$.plan.unit_types[2].id",
            P::DuplicateUnitType { id } if id == "huyen"),
        case!("reporting to a unit type not in the plan", CannotSay,
            |o| o["plan"]["unit_types"][0]["reports_to"] = json!("quan"),
            "$.plan.unit_types[0].reports_to",
            P::NoSuchUnitType { id } if id == "quan"),
        case!(
            "reporting in a loop",
            CannotSay,
            |o| o["plan"]["unit_types"][6]["reports_to"] = json!("xa"),
            "$.plan.unit_types[6].reports_to",
            P::ReportingLoop
        ),
        case!("a deadline not written dd/mm/yyyy", Refuses,
            |o| o["plan"]["unit_types"][1]["deadline"] = json!("20/10/14"),
            "$.plan.unit_types[1].deadline",
            P::BadDeadline { found } if found == "20/10/14"),
        // --------------------------------------------------------- items
        case!("an item id with an empty part", Refuses,
            |o| *at(o, &format!("{A_I_1}/id")) = json!("A.I.1."), format!("{a}.id"),
            P::BadItemId { id } if id == "A.I.1."),
        case!("an item id twice", CannotSay,
            |o| *at(o, &format!("{A_I_2}/id")) = json!("A.I.1"), format!("{b}.id"),
            P::DuplicateItem { id, first } if id == "A.I.1" && first == A_I_1_PATH),
        case!(
            "no front matter",
            CannotSay,
            |o| *at(o, &format!("{FRONT}/front_matter")) = json!(false),
            "$.items",
            P::FrontMatterCount { found: 0 }
        ),
        case!(
            "two front matters",
            CannotSay,
            |o| o["items"][2]["front_matter"] = json!(true),
            "$.items",
            P::FrontMatterCount { found: 2 }
        ),
        case!(
            "front matter without a field the layout prints",
            CannotSay,
            |o| drop(
                at(o, &format!("{FRONT}/fields"))
                    .as_array_mut()
                    .unwrap()
                    .remove(0)
            ),
            "$.items[0].fields",
            P::MissingFrontField { id: "cap_tren" }
        ),
        // -------------------------------------------------------- fields
        case!("a field id with capitals", Refuses,
            |o| at(o, &f(A_I_1, 2))["id"] = json!("SoHoiNghi"), format!("{a}.fields[2].id"),
            P::BadFieldId { id } if id == "SoHoiNghi"),
        case!("a field id twice in an item", CannotSay,
            |o| at(o, &f(A_I_1, 3))["id"] = json!("so_hoi_nghi"), format!("{a}.fields[3].id"),
            P::DuplicateField { id } if id == "so_hoi_nghi"),
        case!(
            "an empty label",
            Refuses,
            |o| at(o, &f(A_I_1, 2))["label"] = json!(""),
            format!("{a}.fields[2].label"),
            P::EmptyText
        ),
        case!(
            "texts collected from a number",
            Refuses,
            |o| at(o, &f(A_I_1, 2))["aggregate"] = json!("collect"),
            format!("{a}.fields[2].aggregate"),
            P::AggregateForKind {
                aggregate: Aggregate::Collect,
                kind: Kind::Integer
            }
        ),
        case!(
            "a table whose rows are not passed up",
            Refuses,
            |o| at(o, &f(A_I_2, 2))["aggregate"] = json!("none"),
            format!("{b}.fields[2].aggregate"),
            P::AggregateForKind {
                aggregate: Aggregate::None,
                kind: Kind::Table
            }
        ),
        case!(
            "a bullet past the guidance",
            CannotSay,
            |o| at(o, &f(A_I_1, 0))["bullet"] = json!(5),
            format!("{a}.fields[0].bullet"),
            P::NoSuchBullet {
                index: 5,
                bullets: 2
            }
        ),
        case!(
            "a bullet on a number",
            Refuses,
            |o| at(o, &f(A_I_1, 2))["bullet"] = json!(0),
            format!("{a}.fields[2].bullet"),
            P::NotForKind {
                key: "bullet",
                kind: Kind::Integer
            }
        ),
        case!(
            "a multi-line number",
            Refuses,
            |o| at(o, &f(A_I_1, 2))["multiline"] = json!(true),
            format!("{a}.fields[2].multiline"),
            P::NotForKind {
                key: "multiline",
                kind: Kind::Integer
            }
        ),
        case!(
            "options on a text",
            Refuses,
            |o| at(o, &f(A_I_1, 0))["options"] = json!(["Có"]),
            format!("{a}.fields[0].options"),
            P::NotForKind {
                key: "options",
                kind: Kind::Text
            }
        ),
        case!(
            "columns on a text",
            Refuses,
            |o| at(o, &f(A_I_1, 0))["columns"] = json!([{"id": "a", "label": "A", "kind": "text"}]),
            format!("{a}.fields[0].columns"),
            P::NotForKind {
                key: "columns",
                kind: Kind::Text
            }
        ),
        case!(
            "a ratio's parts on a number",
            Refuses,
            |o| at(o, &f(A_I_1, 2))["of"] = json!(["can_bo_tham_gia", "can_bo_tong_so"]),
            format!("{a}.fields[2].of"),
            P::NotForKind {
                key: "of",
                kind: Kind::Integer
            }
        ),
        case!(
            "a default for a table",
            Refuses,
            |o| at(o, &f(A_I_2, 2))["default"] = json!("x"),
            format!("{b}.fields[2].default"),
            P::NotForKind {
                key: "default",
                kind: Kind::Table
            }
        ),
        case!(
            "a placeholder for a ratio",
            Refuses,
            |o| at(o, &f(A_I_1, 5))["placeholder"] = json!("x"),
            format!("{a}.fields[5].placeholder"),
            P::NotForKind {
                key: "placeholder",
                kind: Kind::Ratio
            }
        ),
        case!(
            "a bound on a text",
            Refuses,
            |o| at(o, &f(A_I_1, 0))["min"] = json!(0),
            format!("{a}.fields[0].min"),
            P::BoundForKind { kind: Kind::Text }
        ),
        case!(
            "a number's bound as a string",
            Refuses,
            |o| at(o, &f(A_I_1, 2))["min"] = json!("0"),
            format!("{a}.fields[2].min"),
            P::BoundForKind {
                kind: Kind::Integer
            }
        ),
        case!(
            "a date's bound not written dd/mm/yyyy",
            Refuses,
            |o| at(o, &f(FRONT, 4))["max"] = json!("1/1/2015"),
            "$.items[0].fields[4].max",
            P::BoundForKind { kind: Kind::Date }
        ),
        case!(
            "bounds the wrong way round",
            CannotSay,
            |o| {
                at(o, &f(A_I_1, 2))["min"] = json!(10);
                at(o, &f(A_I_1, 2))["max"] = json!(5)
            },
            format!("{a}.fields[2].min"),
            P::MinAboveMax
        ),
        case!(
            "a count's max below 0, its lowest",
            CannotSay,
            |o| {
                remove(o, &format!("{}/min", f(A_I_1, 2)));
                at(o, &f(A_I_1, 2))["max"] = json!(-1)
            },
            format!("{a}.fields[2].max"),
            P::MaxBelowKind { kind: Kind::Integer, lowest } if lowest.is_zero()
        ),
        case!(
            "bounds the wrong way round, past what a float tells apart",
            CannotSay,
            |o| {
                at(o, &f(A_I_1, 2))["min"] = json!(9007199254740993u64);
                at(o, &f(A_I_1, 2))["max"] = json!(9007199254740992u64)
            },
            format!("{a}.fields[2].min"),
            P::MinAboveMax
        ),
        case!(
            "a choice without options",
            Refuses,
            |o| at(o, &f(FRONT, 0))["kind"] = json!("choice"),
            "$.items[0].fields[0].options",
            P::ChoiceNeedsOptions
        ),
        case!("an option twice", Refuses,
            |o| { at(o, &f(FRONT, 0))["kind"] = json!("choice"); at(o, &f(FRONT, 0))["options"] = json!(["Có", "Có"]) },
            "$.items[0].fields[0].options[1]",
            P::DuplicateOption { option } if option == "Có"),
        case!(
            "an empty option",
            Refuses,
            |o| {
                at(o, &f(FRONT, 0))["kind"] = json!("choice");
                at(o, &f(FRONT, 0))["options"] = json!(["Có", ""])
            },
            "$.items[0].fields[0].options[1]",
            P::EmptyText
        ),
        // -------------------------------------------------------- tables
        case!(
            "a table without columns",
            Refuses,
            |o| remove(o, &format!("{}/columns", f(A_I_2, 2))),
            format!("{b}.fields[2].columns"),
            P::TableNeedsColumns
        ),
        case!("a column id with capitals", Refuses,
            |o| at(o, &format!("{}/columns/0", f(A_I_2, 2)))["id"] = json!("Số"),
            format!("{b}.fields[2].columns[0].id"),
            P::BadColumnId { id } if id == "Số"),
        case!(
            "a column id twice",
            CannotSay,
            |o| {
                let id = at(o, &format!("{}/columns/0/id", f(A_I_2, 2))).clone();
                at(o, &format!("{}/columns/1", f(A_I_2, 2)))["id"] = id
            },
            format!("{b}.fields[2].columns[1].id"),
            P::DuplicateColumn { .. }
        ),
        case!("a table in a table", Refuses,
            |o| at(o, &format!("{}/columns/0", f(A_I_2, 2)))["kind"] = json!("table"),
            format!("{b}.fields[2].columns[0].kind"),
            P::UnknownKind { found, allowed } if found == "table" && *allowed == Kind::IN_TABLES),
        case!(
            "a choice column without options",
            Refuses,
            |o| at(o, &format!("{}/columns/0", f(A_I_2, 2)))["kind"] = json!("choice"),
            format!("{b}.fields[2].columns[0].options"),
            P::ChoiceNeedsOptions
        ),
        // -------------------------------------------------------- ratios
        case!(
            "a required ratio",
            Refuses,
            |o| at(o, &f(A_I_1, 5))["required"] = json!(true),
            format!("{a}.fields[5].required"),
            P::RatioRequired
        ),
        case!(
            "a ratio without its parts",
            Refuses,
            |o| remove(o, &format!("{}/of", f(A_I_1, 5))),
            format!("{a}.fields[5].of"),
            P::RatioNeedsOf
        ),
        case!("a ratio of a field not in the item", CannotSay,
            |o| *at(o, &format!("{}/of/1", f(A_I_1, 5))) = json!("khong_co"),
            format!("{a}.fields[5].of[1]"),
            P::NoSuchField { id } if id == "khong_co"),
        case!("a ratio of a text", CannotSay,
            |o| *at(o, &format!("{}/of/0", f(A_I_1, 5))) = json!("hinh_thuc_quan_triet"),
            format!("{a}.fields[5].of[0]"),
            P::NotCountable { id, kind: Kind::Text } if id == "hinh_thuc_quan_triet"),
        case!("a ratio of a field by itself", CannotSay,
            |o| at(o, &f(A_I_1, 5))["of"] = json!(["can_bo_tong_so", "can_bo_tong_so"]),
            format!("{a}.fields[5].of[1]"),
            P::RatioOfItself { id } if id == "can_bo_tong_so"),
        // ------------------------------------- the migration from before
        case!(
            "a migration from its own version",
            CannotSay,
            |o| o["migration"] = json!({"from_version": "2"}),
            "$.migration.from_version",
            P::MigrationFromItself
        ),
        case!("a migration without its version", Refuses,
            |o| o["migration"] = json!({"renamed": {}}),
            "$.migration.from_version",
            P::MissingKey { key } if key == "from_version"),
        case!("a migration id that is no id", Refuses,
            |o| o["migration"] = json!({"from_version": "1", "renamed": {"A.I.1/Số": "A.I.1/so_hoi_nghi"}}),
            r#"$.migration.renamed["A.I.1/Số"]"#,
            P::BadMigrationId { id } if id == "A.I.1/Số"),
        case!("an item renamed to a field", CannotSay,
            |o| o["migration"] = json!({"from_version": "1", "renamed": {"A.I.9": "A.I.1/so_hoi_nghi"}}),
            r#"$.migration.renamed["A.I.9"]"#,
            P::MigrationShape { from, .. } if from == "A.I.9"),
        case!("a field renamed to one not in the outline", CannotSay,
            |o| o["migration"] = json!({"from_version": "1", "renamed": {"A.I.1/so_hn": "A.I.1/khong_co"}}),
            r#"$.migration.renamed["A.I.1/so_hn"]"#,
            P::MigrationTargetMissing { to } if to == "A.I.1/khong_co"),
        case!("an item moved to one not in the outline", CannotSay,
            |o| o["migration"] = json!({"from_version": "1", "renamed": {"A.II.3": "Z.9"}}),
            r#"$.migration.renamed["A.II.3"]"#,
            P::MigrationTargetMissing { to } if to == "Z.9"),
        case!("two fields renamed onto one", CannotSay,
            |o| o["migration"] = json!({"from_version": "1", "renamed": {
                "A.I.1/a": "A.I.1/so_hoi_nghi", "A.I.1/b": "A.I.1/so_hoi_nghi"}}),
            r#"$.migration.renamed["A.I.1/b"]"#,
            P::MigrationTargetTwice { to, first } if to == "A.I.1/so_hoi_nghi" && first == "A.I.1/a"),
        case!("renames in a loop", CannotSay,
            |o| o["migration"] = json!({"from_version": "1", "renamed": {"A.I.1": "A.I.2", "A.I.2": "A.I.1"}}),
            r#"$.migration.renamed["A.I.1"]"#,
            P::MigrationCycle { ids } if ids == &["A.I.1", "A.I.2", "A.I.1"]),
    ]
}

#[test]
fn the_embedded_outline_passes_the_checker_and_the_schema() {
    assert_eq!(outline::check_json(outline::DEFAULT_OUTLINE_JSON), []);
    assert_schema_valid("outline.schema.json", &embedded(), "the embedded outline");
}

#[test]
fn the_cases_break_what_they_say() {
    let o = embedded();
    let id = |p: &str| o.pointer(&format!("{p}/id")).unwrap().clone();
    assert_eq!(id(FRONT), "front");
    assert_eq!(id(A_I_1), "A.I.1");
    assert_eq!(id(A_I_2), "A.I.2");
    assert_eq!(id(&f(A_I_1, 0)), "hinh_thuc_quan_triet");
    assert_eq!(id(&f(A_I_1, 2)), "so_hoi_nghi");
    assert_eq!(id(&f(A_I_1, 5)), "can_bo_ty_le");
    assert_eq!(id(&f(A_I_2, 2)), "van_ban");
    assert_eq!(id(&f(FRONT, 0)), "cap_tren");
    assert_eq!(id(&f(FRONT, 4)), "ngay");
    assert_eq!(o["plan"]["unit_types"][6]["id"], "tinh");
    // Each case is a file the embedded outline is not.
    for case in cases() {
        let mut broken = o.clone();
        (case.breaks)(&mut broken);
        assert_ne!(broken, o, "{}", case.rule);
    }
}

#[test]
fn each_rule_is_refused_at_its_path_and_the_schema_agrees() {
    let schema = validator("outline.schema.json");
    let all = cases();
    assert!(all.len() >= 60, "{} cases", all.len());
    let mut failures = Vec::new();
    for case in &all {
        let mut o = embedded();
        (case.breaks)(&mut o);
        let problems = outline::check_json(&o.to_string());
        let schema_errors: Vec<String> = schema
            .iter_errors(&o)
            .map(|e| format!("{}: {e}", e.instance_path()))
            .collect();
        // The contract: what the schema refuses, the checker refuses;
        // what the checker takes, the schema takes.
        if !schema_errors.is_empty() {
            assert!(
                !problems.is_empty(),
                "{}: the schema refuses, the checker takes",
                case.rule
            );
        }
        if problems.is_empty() {
            assert!(schema_errors.is_empty(), "{}", case.rule);
        }
        if !problems
            .iter()
            .any(|p| p.path == case.path && (case.is)(&p.kind))
        {
            failures.push(format!(
                "{}: wanted at {}, got {problems:?}",
                case.rule, case.path
            ));
        }
        let schema_refuses = !schema_errors.is_empty();
        match case.schema {
            Schema::Refuses if !schema_refuses => {
                failures.push(format!("{}: the schema takes it", case.rule))
            }
            Schema::CannotSay if schema_refuses => failures.push(format!(
                "{}: the schema refuses it after all ({schema_errors:?}): mark it Refuses",
                case.rule
            )),
            _ => {}
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Files both take: the explicit forms of defaults, and every kind.
#[test]
fn what_the_checker_takes_the_schema_takes() {
    let schema = validator("outline.schema.json");
    let variants: Vec<(&str, Change)> = vec![
        ("as shipped", Box::new(|_| {})),
        ("without $schema", Box::new(|o| remove(o, "/$schema"))),
        (
            "a top level without reports_to or deadline",
            Box::new(|o| {
                remove(o, "/plan/unit_types/6/reports_to");
                remove(o, "/plan/unit_types/6/deadline");
            }),
        ),
        (
            "defaults written out",
            Box::new(|o| {
                at(o, &f(A_I_1, 2))["multiline"] = json!(false);
                at(o, &f(A_I_1, 5))["required"] = json!(false);
                at(o, A_I_1)["optional"] = json!(false);
                at(o, A_I_1)["items"] = json!([]);
            }),
        ),
        (
            "a migration from version 1",
            Box::new(|o| {
                o["migration"] = json!({"from_version": "1", "renamed": {
                    "A.I.1/so_hn": "A.I.1/so_hoi_nghi", "A.II.9": "A.II.3", "A.II.3": "A.II.2"}});
            }),
        ),
        (
            "an item of every kind",
            Box::new(|o| {
                o["items"].as_array_mut().unwrap().push(json!({
                    "id": "D", "number": "D", "marker": "D-", "title": "Mọi loại trường",
                    "guidance": ["Điền đủ."],
                    "fields": [
                        {"id": "ghi_chu", "label": "Ghi chú", "kind": "text", "aggregate": "collect", "bullet": 0, "multiline": true},
                        {"id": "dien_tich", "label": "Diện tích", "kind": "decimal", "aggregate": "sum", "min": 0, "max": 1e6},
                        {"id": "ty_le", "label": "Tỷ lệ", "kind": "percent", "aggregate": "none", "max": 100},
                        {"id": "xep_loai", "label": "Xếp loại", "kind": "choice", "aggregate": "collect", "options": ["Tốt", "Khá"]},
                        {"id": "ngay_hop", "label": "Ngày họp", "kind": "date", "aggregate": "none", "min": "01/01/2009", "max": "31/12/2014"},
                        {"id": "so_ho", "label": "Số hộ", "kind": "integer", "aggregate": "sum"},
                        {"id": "so_ho_ngheo", "label": "Số hộ nghèo", "kind": "integer", "aggregate": "sum"},
                        {"id": "ty_le_ngheo", "label": "Tỷ lệ nghèo", "kind": "ratio", "aggregate": "ratio", "of": ["so_ho_ngheo", "so_ho"]},
                        {"id": "kinh_phi", "label": "Kinh phí", "kind": "money", "aggregate": "none", "default": "0"},
                        {"id": "mo_hinh", "label": "Mô hình", "kind": "table", "aggregate": "concat", "columns": [
                            {"id": "ten", "label": "Tên", "kind": "text", "required": true},
                            {"id": "so", "label": "Số", "kind": "integer", "min": 0},
                            {"id": "danh_gia", "label": "Đánh giá", "kind": "choice", "options": ["Tốt", "Khá"]},
                            {"id": "ngay", "label": "Ngày", "kind": "date", "max": "31/12/2014"}
                        ]}
                    ]
                }));
            }),
        ),
    ];
    for (what, change) in variants {
        let mut o = embedded();
        change(&mut o);
        assert_eq!(outline::check_json(&o.to_string()), [], "{what}");
        let errors: Vec<String> = schema.iter_errors(&o).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{what}: {errors:?}");
    }
}

#[test]
fn a_rate_whose_whole_can_be_0_is_a_warning_never_an_error() {
    let a = A_I_1_PATH;
    // (path, whole) of each warning; the outline is taken all the same.
    let warned = |o: &Value| -> Vec<(String, String)> {
        let outline = Outline::from_json(&o.to_string()).expect("a warning refuses nothing");
        outline::check::warnings(&outline)
            .into_iter()
            .map(|p| {
                assert!(p.kind.is_warning(), "{p:?}");
                match p.kind {
                    ProblemKind::WholeCanBeZero { whole } => (p.path, whole),
                    other => panic!("not a warning of a whole: {other:?}"),
                }
            })
            .collect()
    };
    let all = warned(&embedded());
    let wholes = [
        (5, "can_bo_tong_so"),
        (8, "dang_vien_tong_so"),
        (11, "doan_vien_tong_so"),
        (14, "hoi_vien_tong_so"),
        (17, "nhan_dan_tong_so"),
    ];
    assert_eq!(
        all,
        wholes.map(|(i, w)| (format!("{a}.fields[{i}].of[1]"), w.to_string()))
    );
    assert_eq!(at(&mut embedded(), &f(A_I_1, 4))["id"], "can_bo_tong_so");
    let without_first = all[1..].to_vec();
    // A whole from 1 up is never 0.
    let mut o = embedded();
    at(&mut o, &f(A_I_1, 4))["min"] = json!(1);
    assert_eq!(warned(&o), without_first);
    // A decimal whole: from 0.5 up never 0; without min (negative allowed)
    // or below 0 up to -0.5, 0 is between.
    for (min, max, warns) in [
        (json!(0.5), None, false),
        (json!(0), None, true),
        (json!(-3), Some(json!(-0.5)), false),
        (json!(-3), Some(json!(3)), true),
    ] {
        let mut o = embedded();
        let w = at(&mut o, &f(A_I_1, 4));
        w["kind"] = json!("decimal");
        w["min"] = min.clone();
        if let Some(max) = &max {
            w["max"] = max.clone();
        }
        let want = if warns {
            all.clone()
        } else {
            without_first.clone()
        };
        assert_eq!(warned(&o), want, "decimal whole, min {min}, max {max:?}");
    }
    let mut o = embedded();
    remove(&mut o, &format!("{}/min", f(A_I_1, 4)));
    at(&mut o, &f(A_I_1, 4))["kind"] = json!("decimal");
    assert_eq!(warned(&o), all);
    // No rule the checker refuses for is a warning, so a warning never
    // stops an outline being read.
    for case in cases() {
        let mut o = embedded();
        (case.breaks)(&mut o);
        for p in outline::check_json(&o.to_string()) {
            assert!(!p.kind.is_warning(), "{}: {p:?}", case.rule);
        }
    }
    let said = |p: &Problem| (p.localized(Lang::Vi), p.localized(Lang::En));
    let (vi, en) = said(&problem(
        "$.r.of[1]",
        ProblemKind::WholeCanBeZero {
            whole: "so_ho".into(),
        },
    ));
    assert!(
        vi.starts_with("$.r.of[1]: cảnh báo: mẫu số \"so_ho\" có thể bằng 0"),
        "{vi}"
    );
    assert!(vi.contains("văn bản in ô tỷ lệ để trống"), "{vi}");
    assert!(
        en.starts_with("$.r.of[1]: warning: the whole \"so_ho\" can be 0"),
        "{en}"
    );
}

/// A `default` is a value, held to its field's rules by validation (the
/// layer above the outline's checker, which takes such a file): `outline
/// check` refuses it, naming the rule.
#[test]
fn a_default_the_field_itself_refuses_is_found() {
    type Is = fn(&Invalid) -> bool;
    let cases: Vec<(&str, Change, &str, String, Is)> = vec![
        (
            "below the field's min",
            Box::new(|o| {
                at(o, &f(A_I_1, 2))["min"] = json!(5);
                at(o, &f(A_I_1, 2))["default"] = json!("3")
            }),
            "3",
            format!("{A_I_1_PATH}.fields[2].default"),
            |r| matches!(r, Invalid::BelowMin { .. }),
        ),
        (
            "below what a count takes",
            Box::new(|o| at(o, &f(A_I_1, 2))["default"] = json!("-1")),
            "-1",
            format!("{A_I_1_PATH}.fields[2].default"),
            |r| matches!(r, Invalid::Negative),
        ),
        (
            "above the field's max",
            Box::new(|o| {
                at(o, &f(A_I_1, 2))["max"] = json!(10);
                at(o, &f(A_I_1, 2))["default"] = json!("1.000")
            }),
            "1.000",
            format!("{A_I_1_PATH}.fields[2].default"),
            |r| matches!(r, Invalid::AboveMax { .. }),
        ),
        (
            "no number",
            Box::new(|o| at(o, &f(A_I_1, 2))["default"] = json!("mười")),
            "mười",
            format!("{A_I_1_PATH}.fields[2].default"),
            |r| matches!(r, Invalid::Number(_)),
        ),
        (
            "no whole number",
            Box::new(|o| at(o, &f(A_I_1, 2))["default"] = json!("2,5")),
            "2,5",
            format!("{A_I_1_PATH}.fields[2].default"),
            |r| matches!(r, Invalid::Number(baocao::vnfmt::NumError::Whole)),
        ),
        (
            "a date before the field's min",
            Box::new(|o| {
                at(o, &f(FRONT, 4))["min"] = json!("01/01/2014");
                at(o, &f(FRONT, 4))["default"] = json!("31/12/2013")
            }),
            "31/12/2013",
            "$.items[0].fields[4].default".into(),
            |r| matches!(r, Invalid::DateBefore { .. }),
        ),
        (
            "no date",
            Box::new(|o| at(o, &f(FRONT, 4))["default"] = json!("hôm nay")),
            "hôm nay",
            "$.items[0].fields[4].default".into(),
            |r| matches!(r, Invalid::Date(_)),
        ),
        (
            "not one of the options",
            Box::new(|o| {
                at(o, &f(FRONT, 0))["kind"] = json!("choice");
                // Filled from the setup is for texts only.
                at(o, &f(FRONT, 0))
                    .as_object_mut()
                    .unwrap()
                    .remove("from_unit");
                at(o, &f(FRONT, 0))["options"] = json!(["Có", "Không"]);
                at(o, &f(FRONT, 0))["default"] = json!("Chưa")
            }),
            "Chưa",
            "$.items[0].fields[0].default".into(),
            |r| matches!(r, Invalid::NotAnOption { .. }),
        ),
    ];
    assert_eq!(
        baocao::validate::bad_defaults(Outline::embedded()),
        [],
        "the shipped default (T/M BAN THƯỜNG VỤ) is a text"
    );
    for (rule, change, default, path, is) in cases {
        let mut o = embedded();
        change(&mut o);
        let outline = Outline::from_json(&o.to_string())
            .unwrap_or_else(|e| panic!("{rule}: the outline's checker takes it: {e}"));
        let bad = baocao::validate::bad_defaults(&outline);
        assert_eq!(bad.len(), 1, "{rule}: {bad:?}");
        assert_eq!(
            (bad[0].path.as_str(), bad[0].default.as_str()),
            (path.as_str(), default),
            "{rule}"
        );
        assert!(is(&bad[0].reason), "{rule}: {:?}", bad[0].reason);
        // The schema cannot say either (a default is any string).
        assert_schema_valid("outline.schema.json", &o, rule);
    }
    // A default that fits is no problem, in every kind.
    let mut o = embedded();
    at(&mut o, &f(A_I_1, 2))["default"] = json!("1.234");
    at(&mut o, &f(FRONT, 4))["default"] = json!("5/3/2014");
    at(&mut o, &f(FRONT, 0))["kind"] = json!("choice");
    at(&mut o, &f(FRONT, 0))
        .as_object_mut()
        .unwrap()
        .remove("from_unit");
    at(&mut o, &f(FRONT, 0))["options"] = json!(["Có", "Không"]);
    at(&mut o, &f(FRONT, 0))["default"] = json!("Không");
    assert_eq!(
        baocao::validate::bad_defaults(&Outline::from_json(&o.to_string()).unwrap()),
        []
    );
}

#[test]
fn filled_from_the_setup_is_for_texts_and_examples_name_real_unit_types() {
    let mut o = embedded();
    at(&mut o, &f(A_I_1, 2))["from_unit"] = json!("name");
    at(&mut o, &f(FRONT, 1))["examples"]["thon"] = json!("Ví dụ: CHI BỘ THÔN 1");
    let problems = outline::check_json(&o.to_string());
    let kinds: Vec<_> = problems
        .iter()
        .map(|p| (p.path.as_str(), &p.kind))
        .collect();
    assert!(
        kinds
            .iter()
            .any(|(path, k)| path.ends_with("fields[2].from_unit")
                && matches!(
                    k,
                    ProblemKind::NotForKind {
                        key: "from_unit",
                        ..
                    }
                )),
        "{problems:?}"
    );
    assert!(
        kinds
            .iter()
            .any(|(path, k)| path.ends_with("fields[1].examples.thon")
                && matches!(k, ProblemKind::NoSuchUnitType { .. })),
        "{problems:?}"
    );
    // The schema says the first too.
    assert_schema_invalid("outline.schema.json", &o, "from_unit on a number");
}

#[test]
fn a_percentage_bound_past_100_leaves_no_value() {
    let mut o = embedded();
    let field = at(&mut o, &f(A_I_1, 2));
    field["kind"] = json!("percent");
    field["aggregate"] = json!("none");
    field["min"] = json!(120);
    let problems = outline::check_json(&o.to_string());
    assert_eq!(
        problems,
        [problem(
            &format!("{A_I_1_PATH}.fields[2].min"),
            ProblemKind::MinAboveKind {
                kind: Kind::Percent,
                highest: rust_decimal::Decimal::ONE_HUNDRED
            }
        )]
    );
    assert_eq!(
        problems[0].localized(Lang::Vi),
        format!(
            "{A_I_1_PATH}.fields[2].min: giới hạn dưới (min) lớn hơn 100, số lớn nhất trường loại \"percent\" nhận: không có giá trị nào hợp lệ"
        )
    );
    // Bounds inside 0..100 are fine; a max of 100 given is too.
    let field = at(&mut o, &f(A_I_1, 2));
    field["min"] = json!(10);
    field["max"] = json!(100);
    assert_eq!(outline::check_json(&o.to_string()), []);
}

#[test]
fn every_problem_of_meaning_is_reported_at_once() {
    let mut o = embedded();
    let a = A_I_1_PATH;
    // Six problems in different places, none hiding another.
    at(&mut o, &f(A_I_1, 1))["id"] = json!("hinh_thuc_quan_triet");
    at(&mut o, &f(A_I_1, 2))["aggregate"] = json!("collect");
    at(&mut o, &f(A_I_1, 0))["bullet"] = json!(7);
    *at(&mut o, &format!("{A_I_2}/id")) = json!("A.I.1");
    o["plan"]["unit_types"][0]["reports_to"] = json!("quan");
    o["plan"]["period"]["from"] = json!(2015);
    let problems = outline::check_json(&o.to_string());
    let want = [
        Problem {
            path: "$.plan.period".into(),
            kind: ProblemKind::PeriodReversed {
                from: 2015,
                to: 2014,
            },
        },
        Problem {
            path: "$.plan.unit_types[0].reports_to".into(),
            kind: ProblemKind::NoSuchUnitType { id: "quan".into() },
        },
        Problem {
            path: format!("{a}.fields[1].id"),
            kind: ProblemKind::DuplicateField {
                id: "hinh_thuc_quan_triet".into(),
            },
        },
        Problem {
            path: format!("{a}.fields[0].bullet"),
            kind: ProblemKind::NoSuchBullet {
                index: 7,
                bullets: 2,
            },
        },
        Problem {
            path: format!("{a}.fields[2].aggregate"),
            kind: ProblemKind::AggregateForKind {
                aggregate: Aggregate::Collect,
                kind: Kind::Integer,
            },
        },
        Problem {
            path: "$.items[1].items[0].items[1].id".into(),
            kind: ProblemKind::DuplicateItem {
                id: "A.I.1".into(),
                first: a.into(),
            },
        },
    ];
    assert_eq!(problems, want, "in file order");
    // from_json refuses with the same problems, naming the first.
    let e = Outline::from_json(&o.to_string()).unwrap_err();
    assert!(matches!(&e, OutlineError::Invalid { file: None, problems } if problems == &want));
    assert_eq!(baocao::error::Error::from(e).code(), "outline.invalid");
}

// ------------------------------------------------------- the words users read

fn problem(path: &str, kind: ProblemKind) -> Problem {
    Problem {
        path: path.into(),
        kind,
    }
}

#[test]
fn problems_read_in_vietnamese_and_english() {
    let a = A_I_1_PATH;
    let said = |p: &Problem| (p.localized(Lang::Vi), p.localized(Lang::En));
    let dup = problem(
        "$.items[1].items[0].items[1].id",
        ProblemKind::DuplicateItem {
            id: "A.I.1".into(),
            first: a.into(),
        },
    );
    assert_eq!(
        said(&dup),
        (
            format!("$.items[1].items[0].items[1].id: mã mục \"A.I.1\" bị trùng với {a}"),
            format!("$.items[1].items[0].items[1].id: duplicate item id \"A.I.1\", also at {a}"),
        )
    );
    let agg = problem(
        "$.x.aggregate",
        ProblemKind::AggregateForKind {
            aggregate: Aggregate::Sum,
            kind: Kind::Table,
        },
    );
    assert_eq!(
        said(&agg),
        (
            "$.x.aggregate: cách tổng hợp \"sum\" không hợp với loại \"table\"; dùng: concat"
                .into(),
            "$.x.aggregate: aggregation \"sum\" does not fit kind \"table\"; use: concat".into(),
        )
    );
    let missing = problem(
        "$.title",
        ProblemKind::MissingKey {
            key: "title".into(),
        },
    );
    assert_eq!(
        said(&missing),
        (
            "$.title: thiếu trường bắt buộc".into(),
            "$.title: required key is missing".into()
        )
    );
    let kind = problem(
        "$.k",
        ProblemKind::UnknownKind {
            found: "bảng\n".into(),
            allowed: Kind::IN_TABLES,
        },
    );
    assert_eq!(
        said(&kind),
        (
            "$.k: loại trường \"bảng\\n\" không có; dùng một trong: text, integer, decimal, money, percent, date, choice".into(),
            "$.k: unknown field kind \"bảng\\n\"; use one of: text, integer, decimal, money, percent, date, choice".into(),
        ),
        "what the file says is quoted, on one line"
    );
    let not_for = problem(
        "$.o",
        ProblemKind::NotForKind {
            key: "options",
            kind: Kind::Text,
        },
    );
    assert_eq!(
        said(&not_for),
        (
            "$.o: trường loại \"text\" không có \"options\"; hãy bỏ đi".into(),
            "$.o: a \"text\" field has no \"options\"; remove it".into(),
        )
    );
}

#[test]
fn a_refused_outline_names_its_file_the_first_problem_and_how_many_more() {
    let e = OutlineError::Invalid {
        file: Some("de-cuong.json".into()),
        problems: vec![
            problem("$.title", ProblemKind::EmptyText),
            problem("$.items", ProblemKind::NoItems),
            problem("$.id", ProblemKind::BadOutlineId { id: "X".into() }),
        ],
    };
    assert_eq!(
        e.localized(Lang::Vi),
        "Đề cương de-cuong.json không hợp lệ: $.title: không được để trống (và 2 lỗi khác; chạy `baocao outline check`)"
    );
    assert_eq!(
        e.localized(Lang::En),
        "The outline de-cuong.json is not valid: $.title: must not be empty (and 2 more; run `baocao outline check`)"
    );
    let tmp = temp_dir();
    let missing = tmp.path().join("khong-co.json");
    let e = Outline::load(&missing).unwrap_err();
    assert!(matches!(e, OutlineError::Read(_)), "{e:?}");
    assert_eq!(baocao::error::Error::from(e).code(), "outline.read");
}
