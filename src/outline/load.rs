//! Reading an outline file: JSON first (so that text that is not JSON,
//! or nested too deep, is said to be so), then the serde types of the
//! model through `serde_path_to_error` for the path of the first
//! mistake in its shape, then the meaning checks ([`super::check`]).
//!
//! The typed step reads the parsed JSON through [`ValueDe`], a small
//! deserializer whose error type keeps what serde said as data (a key
//! missing, a key unknown, the type wanted), so that problems are
//! variants, not serde's English sentences.

use super::check::check;
use super::{Aggregate, Column, DEFAULT_OUTLINE_JSON, Field, JsonType, Kind, Outline};
use super::{OutlineError, Problem, ProblemKind};
use crate::error::{IoAction, IoError};
use serde::Deserialize;
use serde::de::value::{BorrowedStrDeserializer, MapDeserializer, SeqDeserializer};
use serde::de::{self, Deserializer, Expected, IntoDeserializer, Unexpected, Visitor};
use serde_json::Value;
use std::fmt;
use std::marker::PhantomData;
use std::path::Path;

impl Outline {
    /// The embedded 2014 outline, parsed once.
    pub fn embedded() -> &'static Outline {
        static EMBEDDED: std::sync::OnceLock<Outline> = std::sync::OnceLock::new();
        EMBEDDED.get_or_init(|| {
            Outline::from_json(DEFAULT_OUTLINE_JSON)
                .expect("the embedded outline is checked by the tests")
        })
    }

    /// The embedded outline's content hash, computed once.
    pub fn embedded_hash() -> &'static str {
        static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
        HASH.get_or_init(|| Outline::embedded().content_hash())
    }

    /// Whether answers made on the outline `theirs` are answers of the
    /// outline `ours`, as far as this program knows without either one:
    /// the same outline, or `ours` is the embedded outline and `theirs` a
    /// version it replaces.
    pub fn same_answers(ours: &str, theirs: &str) -> bool {
        ours == theirs
            || (ours == Outline::embedded_hash()
                && Outline::embedded().replaces.iter().any(|h| h == theirs))
    }

    /// Reads an outline file, refusing it with every problem listed.
    pub fn load(path: &Path) -> Result<Outline, OutlineError> {
        use std::io::Read;
        let io = |e| IoError::new(IoAction::Read, path, e);
        // Never more than the limit is read: `parse` refuses what is over.
        let mut bytes = Vec::new();
        crate::file::open(path)?
            .take(MAX_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(io)?;
        let text = String::from_utf8(bytes)
            .map_err(|e| io(std::io::Error::new(std::io::ErrorKind::InvalidData, e)))?;
        parse(&text).map_err(|problems| OutlineError::Invalid {
            file: Some(path.to_path_buf()),
            problems,
        })
    }

    /// An outline from its JSON text, or every problem found in it.
    pub fn from_json(text: &str) -> Result<Outline, OutlineError> {
        parse(text).map_err(|problems| OutlineError::Invalid {
            file: None,
            problems,
        })
    }
}

/// The outline in `text`, or what is wrong with it: the first mistake in
/// its shape alone (the rest cannot be read past it), or else every
/// problem of meaning, each with its JSON path.
pub fn parse(text: &str) -> Result<Outline, Vec<Problem>> {
    if text.len() > MAX_BYTES {
        return Err(vec![Problem {
            path: "$".into(),
            kind: ProblemKind::TooLong { max: MAX_BYTES },
        }]);
    }
    let outline = read_shape(text).map_err(|p| vec![p])?;
    let problems = check(&outline);
    if problems.is_empty() {
        Ok(outline)
    } else {
        Err(problems)
    }
}

/// Checks an outline file and reports its problems with their JSON paths
/// (none when it is valid): see [`parse`].
pub fn check_json(text: &str) -> Vec<Problem> {
    parse(text).err().unwrap_or_default()
}

/// JSON, then the serde types.
pub(crate) fn read_shape(text: &str) -> Result<Outline, Problem> {
    let value: Value = serde_json::from_str(text).map_err(|e| Problem {
        path: "$".into(),
        kind: ProblemKind::NotJson {
            line: e.line(),
            column: e.column(),
            detail: e.to_string(),
            // The one place that knows serde_json's words for its limit.
            too_deep: !crate::text::json_nesting_note(&e).is_empty(),
        },
    })?;
    bounds(&value)?;
    serde_path_to_error::deserialize(ValueDe::<Shape>::new(&value)).map_err(|e| {
        let path = e.path().clone();
        shape_problem(&path, e.into_inner())
    })
}

/// The largest outline file read: the 2014 outline is 40 KB.
pub const MAX_BYTES: usize = 4 * 1024 * 1024;
/// The most items (headings included) an outline may have.
pub const MAX_ITEMS: usize = 2_000;
/// How deep items may nest (A → I → 1 → a → … ).
pub const MAX_DEPTH: usize = 8;
/// The longest text of an outline (a title, a guidance paragraph).
pub const MAX_TEXT: usize = 20_000;

/// What no outline needs and a stranger's file could hold to wear out
/// the program or the printed document: too many items, too deep, a text
/// too long, a character the document cannot hold. The first found.
fn bounds(root: &Value) -> Result<(), Problem> {
    fn walk(v: &Value, path: &mut String, depth: usize, items: &mut usize) -> Result<(), Problem> {
        let problem = |path: &str, kind| Problem {
            path: path.to_string(),
            kind,
        };
        match v {
            Value::String(s) => {
                if let Some(c) = crate::text::first_non_xml(s) {
                    return Err(problem(
                        path,
                        ProblemKind::ForbiddenCharacter { code: c as u32 },
                    ));
                }
                if s.chars().nth(MAX_TEXT).is_some() {
                    return Err(problem(path, ProblemKind::TooLong { max: MAX_TEXT }));
                }
            }
            Value::Array(list) => {
                for (i, x) in list.iter().enumerate() {
                    let len = path.len();
                    path.push_str(&format!("[{i}]"));
                    walk(x, path, depth, items)?;
                    path.truncate(len);
                }
            }
            Value::Object(map) => {
                for (k, x) in map {
                    let len = path.len();
                    path.push('.');
                    path.push_str(k);
                    let deeper = if k == "items" {
                        if let Value::Array(list) = x {
                            *items += list.len();
                            if *items > MAX_ITEMS {
                                return Err(problem(
                                    path,
                                    ProblemKind::TooManyItems { max: MAX_ITEMS },
                                ));
                            }
                        }
                        depth + 1
                    } else {
                        depth
                    };
                    if deeper > MAX_DEPTH {
                        return Err(problem(path, ProblemKind::TooDeep { max: MAX_DEPTH }));
                    }
                    walk(x, path, deeper, items)?;
                    path.truncate(len);
                }
            }
            _ => {}
        }
        Ok(())
    }
    walk(root, &mut "$".to_string(), 0, &mut 0)
}

// ------------------------------------------------------------ the serde side

/// For optional keys the schema does not allow to be `null`: absent is
/// `None` (with `#[serde(default)]`), present must be a `T`.
pub(super) fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

/// For lists the schema wants non-empty when given (`options`,
/// `columns`): `[]` is refused, absent is empty (with `#[serde(default)]`).
pub(super) fn non_empty<'de, D, T>(d: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    let list = Vec::<T>::deserialize(d)?;
    if list.is_empty() {
        return Err(de::Error::invalid_length(0, &"at least one element"));
    }
    Ok(list)
}

/// A field as the file writes it: the column part and the rest side by
/// side, so that serde sees every key (see [`Field`]).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FieldFile {
    id: String,
    label: String,
    kind: Kind,
    #[serde(default)]
    required: bool,
    #[serde(default, deserialize_with = "present")]
    min: Option<Value>,
    #[serde(default, deserialize_with = "present")]
    max: Option<Value>,
    #[serde(default, deserialize_with = "non_empty")]
    options: Vec<String>,
    #[serde(default, deserialize_with = "present")]
    placeholder: Option<String>,
    aggregate: Aggregate,
    #[serde(default, deserialize_with = "present")]
    bullet: Option<usize>,
    #[serde(default)]
    multiline: bool,
    #[serde(default, deserialize_with = "present")]
    default: Option<String>,
    #[serde(default, deserialize_with = "non_empty")]
    columns: Vec<Column>,
    #[serde(default, deserialize_with = "present")]
    of: Option<[String; 2]>,
    #[serde(default)]
    children_rows_in_body: bool,
    #[serde(default, deserialize_with = "non_empty")]
    optional_for: Vec<String>,
    #[serde(default, deserialize_with = "present")]
    from_unit: Option<super::UnitPart>,
    #[serde(default)]
    examples: std::collections::BTreeMap<String, String>,
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Field, D::Error> {
        let f = FieldFile::deserialize(d)?;
        Ok(Field {
            base: Column {
                id: f.id,
                label: f.label,
                kind: f.kind,
                required: f.required,
                min: f.min,
                max: f.max,
                options: f.options,
                placeholder: f.placeholder,
            },
            aggregate: f.aggregate,
            bullet: f.bullet,
            multiline: f.multiline,
            default: f.default,
            columns: f.columns,
            of: f.of,
            children_rows_in_body: f.children_rows_in_body,
            optional_for: f.optional_for,
            from_unit: f.from_unit,
            examples: f.examples,
        })
    }
}

// ------------------------------------------------------ what serde refused

/// What serde said, as data: the error type of [`ValueDe`].
#[derive(Debug)]
enum Shape {
    Missing(&'static str),
    Unknown {
        key: String,
        allowed: &'static [&'static str],
    },
    Variant(String),
    Type(JsonType),
    Length {
        len: usize,
        expected: String,
    },
    Other(String),
}

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for Shape {}

/// The JSON type behind serde's description of what it wanted.
fn json_type(expected: &dyn Expected) -> JsonType {
    let said = expected.to_string();
    match said.as_str() {
        "a string" => JsonType::String,
        "a boolean" => JsonType::Bool,
        "u8" | "u16" | "u32" | "u64" | "usize" => JsonType::Count,
        "i8" | "i16" | "i32" | "i64" | "isize" => JsonType::Integer,
        "a sequence" => JsonType::Array,
        s if s.starts_with("an array") || s.starts_with("a tuple") => JsonType::Array,
        s if s.starts_with("struct ") || s == "a map" => JsonType::Object,
        _ => JsonType::Other(said),
    }
}

impl de::Error for Shape {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Shape::Other(msg.to_string())
    }
    fn invalid_type(_: Unexpected<'_>, expected: &dyn Expected) -> Self {
        Shape::Type(json_type(expected))
    }
    fn invalid_value(_: Unexpected<'_>, expected: &dyn Expected) -> Self {
        Shape::Type(json_type(expected))
    }
    fn invalid_length(len: usize, expected: &dyn Expected) -> Self {
        Shape::Length {
            len,
            expected: expected.to_string(),
        }
    }
    fn unknown_variant(variant: &str, _: &'static [&'static str]) -> Self {
        Shape::Variant(variant.to_string())
    }
    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Shape::Unknown {
            key: field.to_string(),
            allowed: expected,
        }
    }
    fn missing_field(field: &'static str) -> Self {
        Shape::Missing(field)
    }
}

/// `$.items[3].fields[0]`: the style of every path we print.
fn json_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::from("$");
    for segment in path {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("[{index}]")),
            Segment::Map { key } | Segment::Enum { variant: key } => push_key(&mut out, key),
            Segment::Unknown => out.push_str("[?]"),
        }
    }
    out
}

/// `.key`, or `["a key"]` for a key that is not a plain word.
fn push_key(path: &mut String, key: &str) {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
    if plain {
        path.push('.');
        path.push_str(key);
    } else {
        let quoted = serde_json::to_string(key).expect("a string serialises");
        path.push_str(&format!("[{quoted}]"));
    }
}

fn shape_problem(path: &serde_path_to_error::Path, shape: Shape) -> Problem {
    use serde_path_to_error::Segment;
    let mut at = json_path(path);
    let last = match path.iter().next_back() {
        Some(Segment::Map { key }) => key.as_str(),
        _ => "",
    };
    let kind = match shape {
        // serde stops at the object that lacks the key: the path names the
        // key itself, as it does for an unknown key.
        Shape::Missing(key) => {
            push_key(&mut at, key);
            ProblemKind::MissingKey { key: key.into() }
        }
        Shape::Unknown { key, allowed } => ProblemKind::UnknownKey { key, allowed },
        Shape::Variant(found) if last == "kind" => ProblemKind::UnknownKind {
            found,
            allowed: Kind::ALL,
        },
        Shape::Variant(found) if last == "aggregate" => ProblemKind::UnknownAggregate { found },
        Shape::Variant(found) => ProblemKind::Malformed {
            detail: format!(
                "unknown variant {}",
                serde_json::to_string(&found).expect("a string serialises")
            ),
        },
        Shape::Type(expected) => ProblemKind::WrongType { expected },
        Shape::Length { .. } if last == "of" => ProblemKind::RatioNeedsOf,
        Shape::Length { len: 0, .. } => ProblemKind::EmptyList,
        Shape::Length { len, expected } => ProblemKind::Malformed {
            detail: format!("invalid length {len}, expected {expected}"),
        },
        Shape::Other(detail) => ProblemKind::Malformed { detail },
    };
    Problem { path: at, kind }
}

// --------------------------------------- parsed JSON as a serde Deserializer

/// `serde_json::Value` read by serde with any error type `E` (serde_json's
/// own reader of a `Value` has its error type, which keeps only words).
/// Objects are only objects: serde's structs would take an array too.
struct ValueDe<'de, E> {
    value: &'de Value,
    error: PhantomData<E>,
}

impl<'de, E> ValueDe<'de, E> {
    fn new(value: &'de Value) -> Self {
        ValueDe {
            value,
            error: PhantomData,
        }
    }

    fn unexpected(&self) -> Unexpected<'de> {
        match self.value {
            Value::Null => Unexpected::Unit,
            Value::Bool(b) => Unexpected::Bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => Unexpected::Unsigned(u),
                (_, Some(i)) => Unexpected::Signed(i),
                _ => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => Unexpected::Str(s),
            Value::Array(_) => Unexpected::Seq,
            Value::Object(_) => Unexpected::Map,
        }
    }
}

impl<'de, E: de::Error> IntoDeserializer<'de, E> for ValueDe<'de, E> {
    type Deserializer = Self;
    fn into_deserializer(self) -> Self {
        self
    }
}

impl<'de, E: de::Error> Deserializer<'de> for ValueDe<'de, E> {
    type Error = E;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.value {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => match (n.as_u64(), n.as_i64()) {
                (Some(u), _) => visitor.visit_u64(u),
                (_, Some(i)) => visitor.visit_i64(i),
                _ => visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN)),
            },
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(a) => {
                let mut seq = SeqDeserializer::new(a.iter().map(ValueDe::new));
                let out = visitor.visit_seq(&mut seq)?;
                seq.end()?;
                Ok(out)
            }
            Value::Object(m) => {
                let entries = m.iter().map(|(k, v)| (k.as_str(), ValueDe::new(v)));
                let mut map = MapDeserializer::new(entries);
                let out = visitor.visit_map(&mut map)?;
                map.end()?;
                Ok(out)
            }
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, E> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, E> {
        match self.value {
            Value::Object(_) => self.deserialize_any(visitor),
            _ => Err(de::Error::invalid_type(self.unexpected(), &visitor)),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, E> {
        // Our enums are names: "text", "sum".
        match self.value {
            Value::String(s) => visitor.visit_enum(BorrowedStrDeserializer::new(s)),
            _ => Err(de::Error::invalid_type(self.unexpected(), &"a string")),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct newtype_struct seq tuple tuple_struct
        map identifier ignored_any
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape_of(text: &str) -> Problem {
        read_shape(text).expect_err("refused")
    }

    #[test]
    fn serde_errors_become_variants_at_their_path() {
        let p = shape_of("[1]");
        assert_eq!(p.path, "$");
        assert_eq!(
            p.kind,
            ProblemKind::WrongType {
                expected: JsonType::Object
            }
        );
        let p = shape_of(r#"{"format": 1}"#);
        assert_eq!(p.path, "$.format");
        assert_eq!(
            p.kind,
            ProblemKind::WrongType {
                expected: JsonType::String
            }
        );
        let p = shape_of(r#"{"format": "baocao-outline"}"#);
        assert_eq!(p.path, "$.format_version");
        assert_eq!(
            p.kind,
            ProblemKind::MissingKey {
                key: "format_version".into()
            }
        );
        let p = shape_of(r#"{"a key": 1}"#);
        assert_eq!(p.path, r#"$["a key"]"#);
        assert!(
            matches!(&p.kind, ProblemKind::UnknownKey { key, allowed } if key == "a key" && allowed.contains(&"plan")),
            "{p:?}"
        );
        let p = shape_of(r#"{"document": {"type": "BÁO CÁO", "colour": 1}}"#);
        assert_eq!(p.path, "$.document.colour");
        // serde's structs would take an array for an object.
        let p = shape_of(r#"{"document": ["BÁO CÁO", "Sơ kết"]}"#);
        assert_eq!(p.path, "$.document");
        assert_eq!(
            p.kind,
            ProblemKind::WrongType {
                expected: JsonType::Object
            }
        );
    }

    #[test]
    fn text_that_is_not_json_is_said_to_be_so() {
        let p = shape_of("{\"format\": ");
        assert_eq!(p.path, "$");
        assert!(
            matches!(
                p.kind,
                ProblemKind::NotJson {
                    line: 1,
                    too_deep: false,
                    ..
                }
            ),
            "{p:?}"
        );
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(matches!(
            shape_of(&deep).kind,
            ProblemKind::NotJson { too_deep: true, .. }
        ));
    }

    #[test]
    fn the_embedded_outline_reads_back_as_the_model_writes_it() {
        // The reader through `ValueDe` and serde_json's own agree.
        let o = Outline::embedded();
        let written = serde_json::to_string(o).unwrap();
        assert_eq!(&read_shape(&written).unwrap(), o);
        assert_eq!(&read_shape(DEFAULT_OUTLINE_JSON).unwrap(), o);
        let direct: Outline = serde_json::from_str(DEFAULT_OUTLINE_JSON).unwrap();
        assert_eq!(&direct, o);
    }
}
