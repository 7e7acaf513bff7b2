//! The package: what travels upward on a USB stick or by email. Readable
//! JSON with a distinct extension; the unit, its revision and status, the
//! outline it answers, its answers (a parent's effective figures), the
//! packages it merged embedded as received, a SHA-256 checksum over its
//! canonical content, and the unit's signature over that same content
//! (see `keys`): the checksum tells damage, the signature who sent it.

use crate::canonical;
use crate::error::{IoAction, IoError, io};
use crate::i18n::{Lang, Localized};
use crate::report::{Answers, OutlineRef, Overrides, Status, Unit};
use crate::text::printable;
use crate::tl;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::io::Read;
use std::path::Path;

pub const FORMAT: &str = "baocao-package";
/// 2: figures set by hand at a parent are marked (`overrides`), and a
/// rate is stored as merged. 3: signed by the unit's key (`signature`).
/// Versions 1 and 2 (no signature) are read as ever from a parent's
/// archive, but no longer taken in ([`require_signed`]).
pub const FORMAT_VERSION: u32 = 3;
/// What a package's signature is a signature of (`keys::message`).
pub const SIGNED_KIND: &str = "package";
/// The top-level keys that neither the checksum nor the signature covers.
const UNCOVERED: &[&str] = &["checksum", "signature"];
pub const EXTENSION: &str = "bcpkg";
/// Packages larger than this are refused before being read whole. A
/// province package embedding every district and commune stays far below.
pub const MAX_BYTES: u64 = 64 * MB;
pub const MB: u64 = 1024 * 1024;
/// The longest unit code, and the longest unit name (or type, or parent):
/// they are copied into the parent's report and printed on every status
/// line, so a package cannot make them megabytes long.
pub const MAX_CODE_CHARS: usize = crate::unit::MAX_STATED_CODE_CHARS;
pub const MAX_NAME_CHARS: usize = crate::unit::MAX_STATED_NAME_CHARS;
/// How deep packages may embed packages (commune → district → province
/// needs 2; the format leaves room for more levels, not for abuse).
pub const MAX_DEPTH: usize = 6;
/// The most rows of one table in a package (the documents a unit issued
/// over five years are tens, a province's merged table some thousands).
pub const MAX_ROWS: usize = crate::validate::MAX_ROWS;
/// The longest text of an answer (as `validate::MAX_TEXT_CHARS`).
pub const MAX_TEXT_CHARS: usize = crate::validate::MAX_TEXT_CHARS;
/// The longest of the other strings a package states: dates, ids, the
/// outline's version and hash, the approving body.
pub const MAX_META_CHARS: usize = crate::unit::MAX_META_CHARS;

/// The approval as a package states it.
pub use crate::approval::Stated as Approval;

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Package {
    pub format: String,
    pub format_version: u32,
    pub outline: OutlineRef,
    pub unit: Unit,
    pub revision: u32,
    pub status: Status,
    pub approval: Option<Approval>,
    pub exported_at: String,
    pub complete_percent: u32,
    pub answers: Answers,
    /// At a parent: which of `answers` were set by hand over the figure
    /// merged from below, with that figure as it was then and why.
    #[serde(default, skip_serializing_if = "Overrides::is_empty")]
    pub overrides: Overrides,
    /// The packages this unit merged, exactly as received.
    pub children: Vec<Value>,
    pub checksum: String,
    /// The unit's signature of the content the checksum covers (format 3).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<crate::keys::Signature>,
}

/// "sha256:<hex>" over the canonical content without the checksum and
/// the signature.
pub fn checksum_of(v: &Value) -> String {
    checksum_text(&canonical::sha256(v, UNCOVERED))
}

fn checksum_text(digest: &[u8; 32]) -> String {
    format!("sha256:{}", canonical::hex(digest))
}

/// Sets the checksum of a package value (its signature, if any, no
/// longer holds unless the content is unchanged).
pub fn seal(mut v: Value) -> Value {
    let sum = checksum_of(&v);
    if let Value::Object(map) = &mut v {
        map.insert("checksum".into(), Value::String(sum));
    }
    v
}

/// Sets the checksum of a package value and signs it with `key`: both
/// over the same canonical bytes, hashed once.
pub fn sign(mut v: Value, key: &crate::keys::UnitKey) -> Value {
    let digest = canonical::sha256(&v, UNCOVERED);
    let signature = key.seal(SIGNED_KIND, &digest);
    if let Value::Object(map) = &mut v {
        map.insert("checksum".into(), Value::String(checksum_text(&digest)));
        map.insert(
            "signature".into(),
            serde_json::to_value(signature).expect("a signature serialises"),
        );
    }
    v
}

/// Refuses a package, or one embedded in it at any depth, that carries
/// no signature: made by a baocao from before signatures. (Signatures
/// that are there were checked when the package was read.)
pub fn require_signed(p: &Package) -> Result<(), PackageError> {
    if p.signature.is_none() {
        return Err(PackageError::Unsigned {
            name: p.unit.name.clone(),
            code: p.unit.code.clone(),
        });
    }
    for c in p.embedded() {
        require_signed(&c).map_err(|e| PackageError::Embedded(Box::new(e)))?;
    }
    Ok(())
}

/// Why a package file is refused: it is not a package, or not whole, or
/// not what it claims. Nothing of it was taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum PackageError {
    Io(#[from] IoError),
    /// In MB, rounded up, and the limit.
    TooLarge {
        mb: u64,
        limit_mb: u64,
    },
    NotUtf8,
    Truncated,
    Json {
        line: usize,
        column: usize,
        too_deep: bool,
    },
    NotPackage,
    NewerFormat {
        version: u64,
    },
    UnknownVersion,
    /// What serde found wrong, made printable.
    Content {
        detail: String,
    },
    CodeTooLong,
    NameTooLong,
    /// A code or a name no unit may have.
    Unit(crate::unit::UnitProblem),
    /// A date, id, version or hash longer than any real one.
    MetaTooLong {
        key: &'static str,
    },
    /// An answer's text longer than any answer needs.
    TextTooLong,
    /// A table with more rows than the limit.
    TooManyRows,
    /// A character no document can hold, in the answers or the names.
    ForbiddenCharacter {
        code: u32,
    },
    /// Changed or damaged after export (name and code as the package says).
    Checksum {
        name: String,
        code: String,
    },
    /// No signature: made by a baocao from before signatures.
    Unsigned {
        name: String,
        code: String,
    },
    /// The signature is not the signature of this content by the key it
    /// names (changed after signing, even with the checksum set again), or
    /// cannot be read.
    BadSignature {
        name: String,
        code: String,
        problem: crate::keys::SignatureProblem,
    },
    OwnParent {
        code: String,
    },
    /// Marked final (chính thức) with no approval stated.
    FinalNotApproved,
    /// The approval names no body or no real date.
    ApprovalUnreadable,
    NestedTooDeep,
    /// A package embedded in this one is refused.
    Embedded(Box<PackageError>),
    /// A package received earlier is not in the archive file any more
    /// (cut short, or damaged on the disk).
    NotArchived,
    EmbeddedOwnCode,
    /// An embedded package addressed to another parent.
    EmbeddedParent {
        code: String,
        parent: String,
        expected: String,
    },
    EmbeddedOutline,
    EmbeddedTwice {
        code: String,
    },
}

impl Localized for PackageError {
    fn localized(&self, lang: Lang) -> String {
        let p = |s: &str| printable(s, false);
        match self {
            PackageError::Io(e) => e.localized(lang),
            PackageError::TooLarge { mb, limit_mb } => tl!(
                lang,
                "tệp quá lớn ({mb} MB; giới hạn {limit_mb} MB), không phải gói báo cáo bình thường",
                "the file is too large ({mb} MB; the limit is {limit_mb} MB), not a normal report package"
            ),
            PackageError::NotUtf8 => tl!(
                lang,
                "không phải văn bản UTF-8 (tệp hỏng hoặc không phải gói báo cáo)",
                "not UTF-8 text (damaged, or not a report package)"
            ),
            PackageError::NotArchived => tl!(
                lang,
                "gói không còn trong tệp lưu gói (tệp bị cắt cụt hoặc hỏng trên đĩa)",
                "the package is no longer in the archive file (cut short, or damaged on the disk)"
            ),
            PackageError::Truncated => tl!(
                lang,
                "tệp bị cắt cụt (chép chưa xong?)",
                "the file is truncated (copy not finished?)"
            ),
            PackageError::Json {
                line,
                column,
                too_deep,
            } => {
                let note = crate::text::nesting_note(*too_deep, lang);
                tl!(
                    lang,
                    "không đọc được JSON ở dòng {line}, cột {column}{note}",
                    "unreadable JSON at line {line}, column {column}{note}"
                )
            }
            PackageError::NotPackage => tl!(
                lang,
                "không phải gói báo cáo của baocao",
                "not a baocao report package"
            ),
            PackageError::NewerFormat { version } => tl!(
                lang,
                "gói được tạo bởi phiên bản baocao mới hơn (định dạng {version}); hãy cập nhật baocao",
                "the package was made by a newer baocao (format {version}); update baocao"
            ),
            PackageError::UnknownVersion => {
                tl!(
                    lang,
                    "không rõ phiên bản định dạng",
                    "unknown format version"
                )
            }
            PackageError::Content { detail } => tl!(
                lang,
                "nội dung gói sai: {detail}",
                "wrong package content: {detail}"
            ),
            PackageError::CodeTooLong => tl!(
                lang,
                "mã đơn vị quá dài (tối đa {MAX_CODE_CHARS} ký tự)",
                "the unit code is too long (at most {MAX_CODE_CHARS} characters)"
            ),
            PackageError::NameTooLong => tl!(
                lang,
                "tên đơn vị quá dài (tối đa {MAX_NAME_CHARS} ký tự)",
                "the unit name is too long (at most {MAX_NAME_CHARS} characters)"
            ),
            PackageError::Unit(p) => {
                let p = p.localized(lang);
                let p = p.trim_end_matches('.');
                tl!(
                    lang,
                    "mã hoặc tên đơn vị trong gói không dùng được ({p})",
                    "the unit code or name in the package cannot be used ({p})"
                )
            }
            PackageError::MetaTooLong { key } => tl!(
                lang,
                "giá trị \"{key}\" dài quá {MAX_META_CHARS} ký tự, không phải gói báo cáo bình thường",
                "\"{key}\" is longer than {MAX_META_CHARS} characters, not a normal report package"
            ),
            PackageError::TextTooLong => tl!(
                lang,
                "có câu trả lời dài quá {MAX_TEXT_CHARS} ký tự",
                "an answer is longer than {MAX_TEXT_CHARS} characters"
            ),
            PackageError::TooManyRows => tl!(
                lang,
                "có bảng quá {MAX_ROWS} dòng",
                "a table has more than {MAX_ROWS} rows"
            ),
            PackageError::ForbiddenCharacter { code } => tl!(
                lang,
                "có ký tự U+{code:04X}, không in được vào văn bản (gói bị sửa hoặc hỏng)",
                "it holds the character U+{code:04X}, which no document can hold (changed or damaged)"
            ),
            PackageError::Checksum { name, code } => tl!(
                lang,
                "mã kiểm tra (checksum) không khớp: gói của {} ({}) đã bị sửa hoặc hỏng sau khi xuất",
                "the checksum does not match: the package of {} ({}) was changed or damaged after export",
                p(name),
                p(code)
            ),
            PackageError::Unsigned { name, code } => tl!(
                lang,
                "gói của {} ({}) không có chữ ký của đơn vị vì được xuất bằng phiên bản baocao cũ. Đơn vị gửi phải cập nhật baocao lên phiên bản mới, xuất lại gói rồi gửi lại; gói chưa ký không được nhận",
                "the package of {} ({}) has no signature of its unit because an old version of baocao exported it. The sender must update baocao to the new version, export the package again and send it again; unsigned packages are not taken",
                p(name),
                p(code)
            ),
            PackageError::BadSignature {
                name,
                code,
                problem,
            } => {
                let why = match problem {
                    crate::keys::SignatureProblem::Mismatch => tl!(
                        lang,
                        "nội dung đã bị sửa sau khi đơn vị ký, hoặc chữ ký không phải của khóa ghi trong gói",
                        "the content was changed after the unit signed it, or the signature is not by the key the package names"
                    ),
                    crate::keys::SignatureProblem::Algorithm => tl!(
                        lang,
                        "chữ ký theo thuật toán khác Ed25519",
                        "the signature uses another algorithm than Ed25519"
                    ),
                    crate::keys::SignatureProblem::BadKey
                    | crate::keys::SignatureProblem::Unreadable => tl!(
                        lang,
                        "chữ ký hoặc khóa trong gói không đọc được (gói hỏng)",
                        "the signature or the key in the package cannot be read (damaged)"
                    ),
                };
                tl!(
                    lang,
                    "chữ ký của gói {} ({}) không đúng: {why}. Không nhận; đề nghị đơn vị xuất lại gói và gửi lại",
                    "the signature of the package of {} ({}) is not good: {why}. Not taken; ask the unit to export its package again and send it",
                    p(name),
                    p(code)
                )
            }
            PackageError::OwnParent { code } => tl!(
                lang,
                "đơn vị {} tự ghi mình là cấp trên của chính mình",
                "unit {} claims to be its own parent",
                p(code)
            ),
            PackageError::FinalNotApproved => tl!(
                lang,
                "gói ghi là bản chính thức nhưng không có thông tin thông qua tập thể (gói bị sửa hoặc hỏng); đề nghị đơn vị gửi lại",
                "the package says it is final but states no collective approval (changed or damaged); ask the unit to send it again"
            ),
            PackageError::ApprovalUnreadable => tl!(
                lang,
                "thông tin thông qua tập thể trong gói thiếu tên tập thể hoặc ngày không có thật (gói bị sửa hoặc hỏng)",
                "the package's approval names no body or has no real date (changed or damaged)"
            ),
            PackageError::NestedTooDeep => tl!(
                lang,
                "các gói lồng nhau quá sâu",
                "packages are nested too deeply"
            ),
            PackageError::Embedded(e) => {
                let e = e.localized(lang);
                tl!(lang, "trong gói con: {e}", "in an embedded package: {e}")
            }
            PackageError::EmbeddedOwnCode => tl!(
                lang,
                "gói con mang cùng mã với đơn vị cấp trên",
                "an embedded package has its parent's code"
            ),
            PackageError::EmbeddedParent {
                code,
                parent,
                expected,
            } => tl!(
                lang,
                "gói con {} ghi cấp trên là {}, không phải {}",
                "embedded package {} names {} as its parent, not {}",
                p(code),
                p(parent),
                p(expected)
            ),
            PackageError::EmbeddedOutline => tl!(
                lang,
                "gói con theo đề cương khác",
                "an embedded package answers another outline"
            ),
            PackageError::EmbeddedTwice { code } => tl!(
                lang,
                "đơn vị {} có hai gói con",
                "unit {} is embedded twice",
                p(code)
            ),
        }
    }
}

crate::coded!(PackageError => "package");
crate::localized_display!(PackageError);

/// Reads a package file, refusing it (with the reason) when it is no
/// regular file (a FIFO, a device, a folder: before reading it), too
/// large, not UTF-8 JSON, not a package, or damaged. Nothing else is read
/// from a file than its bytes: no path inside a package is followed.
pub fn read(path: &Path) -> Result<(Vec<u8>, Value, Package), PackageError> {
    let bytes = read_bytes(path)?;
    let (value, package) = parse(&bytes)?;
    Ok((bytes, value, package))
}

/// The same, for a reader that keeps the package alone (import): its
/// texts are moved out of the parsed JSON, not copied.
pub fn read_package(path: &Path) -> Result<(Vec<u8>, Package), PackageError> {
    let bytes = read_bytes(path)?;
    let value = parse_value(&bytes)?;
    let package = verify_owned(value)?;
    Ok((bytes, package))
}

/// A package file's bytes, refused from its size alone when too large.
fn read_bytes(path: &Path) -> Result<Vec<u8>, PackageError> {
    let file = crate::file::open(path)?;
    let len = file.metadata().map(|m| m.len()).unwrap_or(0);
    if len > MAX_BYTES {
        return Err(PackageError::TooLarge {
            mb: len.div_ceil(MB),
            limit_mb: MAX_BYTES / MB,
        });
    }
    // Room for the whole file and the one byte that tells the end: two
    // reads, no copying as the buffer grows.
    let mut bytes = Vec::with_capacity(len as usize + 1);
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io(IoAction::Read, path))?;
    Ok(bytes)
}

/// How much of a package [`verify`] checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Everything, signatures included: a file arriving.
    All,
    /// Not the signatures: a package read back from a parent's own
    /// archive, whose signatures were checked when it was taken in (its
    /// checksum still tells damage).
    Archived,
}

/// What a folder holds for import: its package files (by name: the
/// extension `.bcpkg`, in any case), and what else is there, left alone.
/// Sub-folders are not entered; hidden files (a name starting with `.`:
/// temp files, the `._*` that macOS leaves on USB sticks) are skipped.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Folder {
    /// Sorted. A special file with a package's name is among them: the
    /// reader refuses it with the reason.
    pub packages: Vec<std::path::PathBuf>,
    /// Names of what is not a package, sorted; a folder's ends in `/`.
    pub skipped: Vec<String>,
}

/// The packages in `dir` (not in its sub-folders), and what was skipped.
pub fn files_in(dir: &Path) -> Result<Folder, IoError> {
    let rd = std::fs::read_dir(dir).map_err(io(IoAction::ReadFolder, dir))?;
    let mut out = Folder::default();
    for entry in rd {
        let entry = entry.map_err(io(IoAction::ReadFolder, dir))?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        let is_package = path
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case(EXTENSION));
        let is_dir = std::fs::metadata(&path).is_ok_and(|m| m.is_dir());
        if is_package && !is_dir && !name.starts_with('.') {
            out.packages.push(path);
        } else if is_dir {
            out.skipped.push(format!("{name}/"));
        } else {
            out.skipped.push(name);
        }
    }
    out.packages.sort();
    out.skipped.sort();
    Ok(out)
}

/// Parses and verifies package bytes, signatures included.
pub fn parse(bytes: &[u8]) -> Result<(Value, Package), PackageError> {
    parse_checking(bytes, Check::All)
}

/// Parses and verifies package bytes read back from the archive (see
/// [`Check::Archived`]).
pub fn parse_archived(bytes: &[u8]) -> Result<(Value, Package), PackageError> {
    parse_checking(bytes, Check::Archived)
}

fn parse_checking(bytes: &[u8], check: Check) -> Result<(Value, Package), PackageError> {
    let value = parse_value(bytes)?;
    let package = verify_checking(&value, 0, check)?;
    Ok((value, package))
}

/// Package bytes as JSON: UTF-8, within the size limit, whole.
fn parse_value(bytes: &[u8]) -> Result<Value, PackageError> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(PackageError::TooLarge {
            mb: (bytes.len() as u64).div_ceil(MB),
            limit_mb: MAX_BYTES / MB,
        });
    }
    let text = simdutf8::basic::from_utf8(bytes).map_err(|_| PackageError::NotUtf8)?;
    let value: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        if e.is_eof() {
            PackageError::Truncated
        } else {
            PackageError::Json {
                line: e.line(),
                column: e.column(),
                too_deep: crate::text::json_too_deep(&e),
            }
        }
    })?;
    Ok(value)
}

impl Package {
    /// Who signed it: the key its signature names (checked when it was
    /// read), if it is signed.
    pub fn signer(&self) -> Option<crate::keys::PublicKey> {
        self.signature.as_ref().and_then(|s| s.signer().ok())
    }

    /// The packages embedded in this one, read (each was verified with it).
    pub fn embedded(&self) -> Vec<Package> {
        self.children
            .iter()
            .filter_map(|c| Package::deserialize(c).ok())
            .collect()
    }

    /// The figures it marks as set by hand: (item, field).
    pub fn overridden(&self) -> std::collections::BTreeSet<(String, String)> {
        self.overrides
            .iter()
            .flat_map(|(i, fs)| fs.keys().map(move |f| (i.clone(), f.clone())))
            .collect()
    }
}

/// Checks one package value and every package embedded in it, their
/// signatures included (a package with none is not refused here: see
/// [`require_signed`]).
pub fn verify(value: &Value, depth: usize) -> Result<Package, PackageError> {
    verify_checking(value, depth, Check::All)
}

fn verify_checking(value: &Value, depth: usize, check: Check) -> Result<Package, PackageError> {
    check_header(value, depth)?;
    let package = Package::deserialize(value).map_err(content)?;
    let digest = canonical::sha256(value, UNCOVERED);
    checked(package, &digest, depth, check)
}

/// [`verify`] of a value no longer needed: the package takes its texts.
fn verify_owned(value: Value) -> Result<Package, PackageError> {
    check_header(&value, 0)?;
    let digest = canonical::sha256(&value, UNCOVERED);
    let package = serde_json::from_value(value).map_err(content)?;
    checked(package, &digest, 0, Check::All)
}

/// A package's format and version, before anything else is read of it.
fn check_header(value: &Value, depth: usize) -> Result<(), PackageError> {
    if depth > MAX_DEPTH {
        return Err(PackageError::NestedTooDeep);
    }
    if value.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(PackageError::NotPackage);
    }
    match value.get("format_version").and_then(Value::as_u64) {
        Some(v) if (1..=FORMAT_VERSION as u64).contains(&v) => Ok(()),
        Some(v) if v > FORMAT_VERSION as u64 => Err(PackageError::NewerFormat { version: v }),
        _ => Err(PackageError::UnknownVersion),
    }
}

fn content(e: serde_json::Error) -> PackageError {
    PackageError::Content {
        // serde quotes unknown keys and variants as they are: shown, not obeyed.
        detail: printable(&e.to_string(), false),
    }
}

/// The checks of a package read, given the digest of its content: its
/// sizes, unit, approval, checksum, signature and embedded packages.
fn checked(
    package: Package,
    digest: &[u8; 32],
    depth: usize,
    check: Check,
) -> Result<Package, PackageError> {
    check_lengths(&package)?;
    package.unit.check_carried().map_err(PackageError::Unit)?;
    check_approval(&package)?;
    if package.checksum != checksum_text(digest) {
        return Err(PackageError::Checksum {
            name: package.unit.name.clone(),
            code: package.unit.code.clone(),
        });
    }
    if let Some(sig) = &package.signature
        && check == Check::All
    {
        sig.check(SIGNED_KIND, digest)
            .map_err(|problem| PackageError::BadSignature {
                name: package.unit.name.clone(),
                code: package.unit.code.clone(),
                problem,
            })?;
    }
    if package.unit.parent_code.as_deref() == Some(package.unit.code.as_str()) {
        return Err(PackageError::OwnParent {
            code: package.unit.code.clone(),
        });
    }
    let mut codes = std::collections::HashSet::new();
    for child in &package.children {
        let c = verify_checking(child, depth + 1, check)
            .map_err(|e| PackageError::Embedded(Box::new(e)))?;
        if c.unit.code == package.unit.code {
            return Err(PackageError::EmbeddedOwnCode);
        }
        if let Some(parent) = c.unit.parent_code.as_deref()
            && parent != package.unit.code
        {
            return Err(PackageError::EmbeddedParent {
                code: c.unit.code.clone(),
                parent: parent.to_string(),
                expected: package.unit.code.clone(),
            });
        }
        if !crate::outline::Outline::same_answers(&package.outline.hash, &c.outline.hash) {
            return Err(PackageError::EmbeddedOutline);
        }
        if !codes.insert(c.unit.code.clone()) {
            return Err(PackageError::EmbeddedTwice {
                code: c.unit.code.clone(),
            });
        }
    }
    Ok(package)
}

/// A final package states who approved it and on a real date; a draft's
/// approval (older versions wrote one from the form) is not read.
fn check_approval(p: &Package) -> Result<(), PackageError> {
    if p.status != Status::Final {
        return Ok(());
    }
    let Some(a) = &p.approval else {
        return Err(PackageError::FinalNotApproved);
    };
    if a.by.trim().is_empty() || crate::vnfmt::parse_date(&a.on).is_err() {
        return Err(PackageError::ApprovalUnreadable);
    }
    Ok(())
}

/// Refuses identity strings too long to be real (before anything prints
/// them: the reason does not repeat them).
fn check_lengths(p: &Package) -> Result<(), PackageError> {
    let u = &p.unit;
    let too_long = |s: &str, max: usize| s.chars().nth(max).is_some();
    let code = [Some(u.code.as_str()), u.parent_code.as_deref()];
    if code
        .into_iter()
        .flatten()
        .any(|s| too_long(s, MAX_CODE_CHARS))
    {
        return Err(PackageError::CodeTooLong);
    }
    let names = [
        Some(u.name.as_str()),
        Some(u.unit_type.as_str()),
        u.parent_name.as_deref(),
    ];
    if names
        .into_iter()
        .flatten()
        .any(|s| too_long(s, MAX_NAME_CHARS))
    {
        return Err(PackageError::NameTooLong);
    }
    let meta = [
        ("exported_at", Some(p.exported_at.as_str())),
        ("outline.id", Some(p.outline.id.as_str())),
        ("outline.version", Some(p.outline.version.as_str())),
        ("outline.hash", Some(p.outline.hash.as_str())),
        ("checksum", Some(p.checksum.as_str())),
        (
            "signature.algorithm",
            p.signature.as_ref().map(|s| s.algorithm.as_str()),
        ),
        (
            "signature.public_key",
            p.signature.as_ref().map(|s| s.public_key.as_str()),
        ),
        (
            "signature.value",
            p.signature.as_ref().map(|s| s.value.as_str()),
        ),
        ("approval.by", p.approval.as_ref().map(|a| a.by.as_str())),
        ("approval.on", p.approval.as_ref().map(|a| a.on.as_str())),
    ];
    for (key, s) in meta {
        if s.is_some_and(|s| too_long(s, MAX_META_CHARS)) {
            return Err(PackageError::MetaTooLong { key });
        }
    }
    for s in names.into_iter().chain(code).flatten() {
        if let Some(c) = crate::text::first_non_xml(s) {
            return Err(PackageError::ForbiddenCharacter { code: c as u32 });
        }
    }
    for fields in p.answers.values() {
        for v in fields.values() {
            check_answer(v)?;
        }
    }
    Ok(())
}

/// An answer within bounds: texts not too long and printable, tables not
/// too long.
fn check_answer(v: &Value) -> Result<(), PackageError> {
    match v {
        Value::String(s) => {
            if s.len() > MAX_TEXT_CHARS && s.chars().nth(MAX_TEXT_CHARS).is_some() {
                return Err(PackageError::TextTooLong);
            }
            if let Some(c) = crate::text::first_non_xml(s) {
                return Err(PackageError::ForbiddenCharacter { code: c as u32 });
            }
        }
        Value::Array(rows) => {
            if rows.len() > MAX_ROWS {
                return Err(PackageError::TooManyRows);
            }
            rows.iter().try_for_each(check_answer)?;
        }
        Value::Object(cells) => cells.values().try_for_each(check_answer)?,
        _ => {}
    }
    Ok(())
}

/// The file name: unit code, ASCII name, revision, and "du-thao" for a draft.
pub fn file_name(unit: &Unit, revision: u32, status: Status) -> String {
    let draft = if status == Status::Draft {
        "-du-thao"
    } else {
        ""
    };
    format!(
        "{}-{}-r{revision}{draft}.{EXTENSION}",
        crate::vi::fold::ascii_file_name(&unit.code),
        crate::vi::fold::ascii_file_name(&unit.name)
    )
}
