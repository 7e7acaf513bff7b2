//! The receipt (biên nhận): what a parent unit sends back down for each
//! package file it was given, so that the unit below knows its package
//! arrived, and whether it was taken or refused and why. Readable JSON
//! (`"format": "baocao-receipt"`), signed by the parent unit's key with
//! the generic signature block (see `keys`) over its canonical content,
//! which its checksum covers too. Pure: the workspace decides what a
//! receipt says and where it goes; here it is made, written, read back
//! and checked, bounded as packages are.

use crate::canonical;
use crate::error::IoError;
use crate::i18n::{Lang, Localized};
use crate::keys::{PublicKey, Signature, UnitKey};
use crate::text::printable;
use crate::tl;
use crate::unit::{
    MAX_META_CHARS, MAX_STATED_CODE_CHARS as MAX_CODE_CHARS,
    MAX_STATED_NAME_CHARS as MAX_NAME_CHARS,
};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::path::Path;

pub const FORMAT: &str = crate::kind::RECEIPT_FORMAT;
pub const FORMAT_VERSION: u32 = 1;
/// What a receipt's signature is a signature of (`keys::message`).
pub const SIGNED_KIND: &str = "receipt";
/// The top-level keys that neither the checksum nor the signature covers.
const UNCOVERED: &[&str] = &["checksum", "signature"];
pub const EXTENSION: &str = "bcrcpt";
/// A receipt is a kilobyte or two; the longest reason a parent writes
/// is a few hundred characters. Anything far larger is not a receipt.
pub const MAX_BYTES: u64 = 256 * 1024;
/// The longest reason's message (a refusal says what happened and what
/// to do, in a sentence or three).
pub const MAX_REASON_CHARS: usize = 4_000;

/// A unit as a receipt names it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Party {
    pub code: String,
    pub name: String,
}

/// What the parent did with the package.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, strum::IntoStaticStr)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum State {
    Accepted,
    Refused,
}

/// Why a package was refused: the parent's error code (for scripts) and
/// its message, in Vietnamese, as the parent's staff read it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Reason {
    pub code: String,
    pub message: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Receipt {
    pub format: String,
    pub format_version: u32,
    /// The unit that received the package (and signed the receipt).
    pub parent: Party,
    /// The unit whose package it was: the receipt is addressed to it.
    pub unit: Party,
    /// The package file's name as the parent was given it.
    pub file: String,
    pub revision: u32,
    /// The package's own checksum: which package exactly.
    pub package_checksum: String,
    /// When the parent took it in or refused it (RFC 3339).
    pub received_at: String,
    pub state: State,
    /// Set exactly when refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    /// "sha256:<hex>" over the canonical content without the checksum
    /// and the signature.
    pub checksum: String,
    /// The parent unit's signature of that same content.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<Signature>,
}

/// What a receipt says, before it is sealed and signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Content {
    pub parent: Party,
    pub unit: Party,
    pub file: String,
    pub revision: u32,
    pub package_checksum: String,
    pub received_at: String,
    pub state: State,
    pub reason: Option<Reason>,
}

impl Content {
    /// The receipt, its checksum set and signed by `key` (the parent's):
    /// both over the same canonical bytes, hashed once.
    pub fn sign(self, key: &UnitKey) -> Receipt {
        let mut r = Receipt {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            parent: self.parent,
            unit: self.unit,
            file: self.file,
            revision: self.revision,
            package_checksum: self.package_checksum,
            received_at: self.received_at,
            state: self.state,
            reason: self.reason,
            checksum: String::new(),
            signature: None,
        };
        let value = serde_json::to_value(&r).expect("a receipt serialises");
        let digest = canonical::sha256(&value, UNCOVERED);
        r.checksum = checksum_text(&digest);
        r.signature = Some(key.seal(SIGNED_KIND, &digest));
        r
    }
}

fn checksum_text(digest: &[u8; 32]) -> String {
    format!("sha256:{}", canonical::hex(digest))
}

impl Receipt {
    /// The bytes written: pretty JSON, `"format"` first, a final newline.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = serde_json::to_vec_pretty(self).expect("a receipt serialises");
        bytes.push(b'\n');
        bytes
    }
}

/// The name a receipt is written under: the unit's code and the
/// revision, readable ("bien-nhan-XA01-lan2.bcrcpt").
pub fn file_name(unit_code: &str, revision: u32) -> String {
    format!(
        "bien-nhan-{}-lan{revision}.{EXTENSION}",
        crate::vi::fold::ascii_file_name(unit_code)
    )
}

/// Why a receipt file is refused: it is not a receipt, or not whole, or
/// not what it claims. Nothing of it was recorded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum ReceiptError {
    Io(#[from] IoError),
    TooLarge,
    NotUtf8,
    Truncated,
    Json {
        line: usize,
        column: usize,
    },
    NotReceipt,
    NewerFormat {
        version: u64,
    },
    UnknownVersion,
    /// What serde found wrong, made printable.
    Content {
        detail: String,
    },
    /// A code, a name, a date, a checksum or a reason longer than any
    /// real one.
    TooLong {
        key: &'static str,
    },
    /// A character no document can hold.
    ForbiddenCharacter {
        code: u32,
    },
    /// `received_at` is no time.
    BadTime,
    /// Refused with no reason, or accepted with one.
    ReasonMismatch,
    /// Changed or damaged after the parent wrote it.
    Checksum,
    Unsigned,
    BadSignature {
        problem: crate::keys::SignatureProblem,
    },
}

impl Localized for ReceiptError {
    fn localized(&self, lang: Lang) -> String {
        match self {
            ReceiptError::Io(e) => e.localized(lang),
            ReceiptError::TooLarge => tl!(
                lang,
                "tệp quá lớn (giới hạn {} KB), không phải biên nhận",
                "the file is too large (the limit is {} KB), not a receipt",
                MAX_BYTES / 1024
            ),
            ReceiptError::NotUtf8 => tl!(
                lang,
                "không phải văn bản UTF-8 (tệp hỏng hoặc không phải biên nhận)",
                "not UTF-8 text (damaged, or not a receipt)"
            ),
            ReceiptError::Truncated => tl!(
                lang,
                "tệp bị cắt cụt (chép chưa xong?)",
                "the file is truncated (copy not finished?)"
            ),
            ReceiptError::Json { line, column } => tl!(
                lang,
                "không đọc được JSON ở dòng {line}, cột {column}",
                "unreadable JSON at line {line}, column {column}"
            ),
            ReceiptError::NotReceipt => tl!(
                lang,
                "không phải biên nhận của baocao",
                "not a baocao receipt"
            ),
            ReceiptError::NewerFormat { version } => tl!(
                lang,
                "biên nhận được tạo bởi phiên bản baocao mới hơn (định dạng {version}); hãy cập nhật baocao",
                "the receipt was made by a newer baocao (format {version}); update baocao"
            ),
            ReceiptError::UnknownVersion => tl!(
                lang,
                "không rõ phiên bản định dạng",
                "unknown format version"
            ),
            ReceiptError::Content { detail } => tl!(
                lang,
                "nội dung biên nhận sai: {detail}",
                "wrong receipt content: {detail}"
            ),
            ReceiptError::TooLong { key } => tl!(
                lang,
                "giá trị \"{key}\" dài quá mức, không phải biên nhận bình thường",
                "\"{key}\" is too long, not a normal receipt"
            ),
            ReceiptError::ForbiddenCharacter { code } => tl!(
                lang,
                "có ký tự U+{code:04X}, không in được vào văn bản (biên nhận bị sửa hoặc hỏng)",
                "it holds the character U+{code:04X}, which no document can hold (changed or damaged)"
            ),
            ReceiptError::BadTime => tl!(
                lang,
                "thời điểm nhận ghi trong biên nhận không đọc được (biên nhận bị sửa hoặc hỏng)",
                "the time of receipt cannot be read (changed or damaged)"
            ),
            ReceiptError::ReasonMismatch => tl!(
                lang,
                "biên nhận ghi từ chối mà không có lý do, hoặc ghi đã nhận mà có lý do từ chối (biên nhận bị sửa hoặc hỏng)",
                "the receipt says refused with no reason, or taken with a reason (changed or damaged)"
            ),
            ReceiptError::Checksum => tl!(
                lang,
                "mã kiểm tra (checksum) không khớp: biên nhận đã bị sửa hoặc hỏng sau khi cấp trên ghi ra",
                "the checksum does not match: the receipt was changed or damaged after the parent wrote it"
            ),
            ReceiptError::Unsigned => tl!(
                lang,
                "biên nhận không có chữ ký của cấp trên; không ghi nhận. Đề nghị cấp trên gửi lại biên nhận",
                "the receipt has no signature of the parent unit; not recorded. Ask the parent to send the receipt again"
            ),
            ReceiptError::BadSignature { problem } => {
                let why = match problem {
                    crate::keys::SignatureProblem::Mismatch => tl!(
                        lang,
                        "nội dung đã bị sửa sau khi cấp trên ký",
                        "the content was changed after the parent signed it"
                    ),
                    crate::keys::SignatureProblem::Algorithm => tl!(
                        lang,
                        "chữ ký theo thuật toán khác Ed25519",
                        "the signature uses another algorithm than Ed25519"
                    ),
                    crate::keys::SignatureProblem::BadKey
                    | crate::keys::SignatureProblem::Unreadable => tl!(
                        lang,
                        "chữ ký hoặc khóa không đọc được (tệp hỏng)",
                        "the signature or the key cannot be read (damaged)"
                    ),
                };
                tl!(
                    lang,
                    "chữ ký của biên nhận không đúng: {why}. Không ghi nhận; đề nghị cấp trên gửi lại biên nhận",
                    "the receipt's signature is not good: {why}. Not recorded; ask the parent to send the receipt again"
                )
            }
        }
    }
}

crate::coded!(ReceiptError => "receipt");
crate::localized_display!(ReceiptError);

/// Reads a receipt file (a regular file, within [`MAX_BYTES`]) and checks
/// it whole: its content, checksum and signature. Returns it with the key
/// that signed it (which the caller holds to the parent's pinned key).
pub fn read(path: &Path) -> Result<(Receipt, PublicKey), ReceiptError> {
    let bytes = crate::file::read(path, MAX_BYTES)?;
    parse(&bytes)
}

/// [`read`] of bytes.
pub fn parse(bytes: &[u8]) -> Result<(Receipt, PublicKey), ReceiptError> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(ReceiptError::TooLarge);
    }
    let text = std::str::from_utf8(bytes).map_err(|_| ReceiptError::NotUtf8)?;
    let value: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).map_err(|e| {
        if e.is_eof() {
            ReceiptError::Truncated
        } else {
            ReceiptError::Json {
                line: e.line(),
                column: e.column(),
            }
        }
    })?;
    if value.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(ReceiptError::NotReceipt);
    }
    match value.get("format_version").and_then(Value::as_u64) {
        Some(v) if v == u64::from(FORMAT_VERSION) => {}
        Some(v) if v > u64::from(FORMAT_VERSION) => {
            return Err(ReceiptError::NewerFormat { version: v });
        }
        _ => return Err(ReceiptError::UnknownVersion),
    }
    let digest = canonical::sha256(&value, UNCOVERED);
    let receipt = Receipt::deserialize(&value).map_err(|e| ReceiptError::Content {
        detail: printable(&e.to_string(), false),
    })?;
    check_bounds(&receipt)?;
    if receipt.checksum != checksum_text(&digest) {
        return Err(ReceiptError::Checksum);
    }
    let signer = receipt
        .signature
        .as_ref()
        .ok_or(ReceiptError::Unsigned)?
        .check(SIGNED_KIND, &digest)
        .map_err(|problem| ReceiptError::BadSignature { problem })?;
    Ok((receipt, signer))
}

/// Refuses strings too long or unprintable, a time that is none, and a
/// state that does not go with its reason.
fn check_bounds(r: &Receipt) -> Result<(), ReceiptError> {
    let too_long = |s: &str, max: usize| s.chars().nth(max).is_some();
    let sig = r.signature.as_ref();
    let strings: [(&'static str, Option<&str>, usize); 12] = [
        ("parent.code", Some(&r.parent.code), MAX_CODE_CHARS),
        ("unit.code", Some(&r.unit.code), MAX_CODE_CHARS),
        ("parent.name", Some(&r.parent.name), MAX_NAME_CHARS),
        ("unit.name", Some(&r.unit.name), MAX_NAME_CHARS),
        ("file", Some(&r.file), MAX_META_CHARS),
        (
            "package_checksum",
            Some(&r.package_checksum),
            MAX_META_CHARS,
        ),
        ("received_at", Some(&r.received_at), MAX_META_CHARS),
        ("checksum", Some(&r.checksum), MAX_META_CHARS),
        (
            "reason.code",
            r.reason.as_ref().map(|x| x.code.as_str()),
            MAX_META_CHARS,
        ),
        (
            "reason.message",
            r.reason.as_ref().map(|x| x.message.as_str()),
            MAX_REASON_CHARS,
        ),
        (
            "signature.public_key",
            sig.map(|s| s.public_key.as_str()),
            MAX_META_CHARS,
        ),
        (
            "signature.value",
            sig.map(|s| s.value.as_str()),
            MAX_META_CHARS,
        ),
    ];
    for (key, s, max) in strings {
        let Some(s) = s else { continue };
        if too_long(s, max) {
            return Err(ReceiptError::TooLong { key });
        }
        if let Some(c) = crate::text::first_non_xml(s) {
            return Err(ReceiptError::ForbiddenCharacter { code: c as u32 });
        }
    }
    if chrono::DateTime::parse_from_rfc3339(&r.received_at).is_err() {
        return Err(ReceiptError::BadTime);
    }
    if (r.state == State::Refused) != r.reason.is_some() {
        return Err(ReceiptError::ReasonMismatch);
    }
    Ok(())
}

/// A receipt as the unit below keeps it in its report, once checked.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Recorded {
    pub revision: u32,
    /// The package's checksum the receipt names.
    pub package_checksum: String,
    pub state: State,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<Reason>,
    /// When the parent received it (RFC 3339, as the receipt says).
    pub received_at: String,
    pub parent: Party,
    /// The receipt's own checksum: the same receipt twice is told by it.
    pub checksum: String,
    pub recorded_at: chrono::DateTime<chrono::Local>,
}

impl Recorded {
    pub fn of(r: &Receipt) -> Recorded {
        Recorded {
            revision: r.revision,
            package_checksum: r.package_checksum.clone(),
            state: r.state,
            reason: r.reason.clone(),
            received_at: r.received_at.clone(),
            parent: r.parent.clone(),
            checksum: r.checksum.clone(),
            recorded_at: chrono::Local::now(),
        }
    }

    /// When the parent received the package, in local time.
    pub fn received(&self) -> Option<chrono::DateTime<chrono::Local>> {
        chrono::DateTime::parse_from_rfc3339(&self.received_at)
            .ok()
            .map(|t| t.with_timezone(&chrono::Local))
    }

    /// One line for a person: "Cấp trên đã nhận lần gửi 2 lúc 14:05
    /// 15/10/2014", or "Lần gửi 2 bị từ chối: …" (the parent's reason, in
    /// Vietnamese as the parent wrote it).
    pub fn summary(&self, lang: Lang) -> String {
        let rev = self.revision;
        match self.state {
            State::Accepted => {
                let at = self
                    .received()
                    .map(|t| t.format("%H:%M %d/%m/%Y").to_string())
                    .unwrap_or_else(|| printable(&self.received_at, false));
                tl!(
                    lang,
                    "Cấp trên đã nhận lần gửi {rev} lúc {at}",
                    "The parent unit took revision {rev} at {at}"
                )
            }
            State::Refused => {
                let why = self
                    .reason
                    .as_ref()
                    .map(|r| printable(&r.message, false))
                    .unwrap_or_default();
                tl!(
                    lang,
                    "Lần gửi {rev} bị từ chối: {why}",
                    "Revision {rev} was refused: {why}"
                )
            }
        }
    }
}

/// The newest of `receipts`: received last at the parent (of two at the
/// same time, the one recorded last).
pub fn newest(receipts: &[Recorded]) -> Option<&Recorded> {
    receipts
        .iter()
        .enumerate()
        .max_by_key(|(i, r)| (r.received(), *i))
        .map(|(_, r)| r)
}

/// Whether `path` is named as receipts are (`.bcrcpt`, in any case).
pub fn is_receipt_name(path: &Path) -> bool {
    path.extension()
        .is_some_and(|x| x.eq_ignore_ascii_case(EXTENSION))
}

/// Reads `path` for [`write`]'s caller to tell whether the file there is
/// a receipt about the same package (to be replaced) or another (kept).
pub fn about(path: &Path) -> Option<(String, u32, String)> {
    let bytes = crate::file::read(path, MAX_BYTES).ok()?;
    let (r, _) = parse(&bytes).ok()?;
    Some((r.unit.code, r.revision, r.package_checksum))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(state: State) -> Content {
        Content {
            parent: Party {
                code: "HU01".into(),
                name: "Huyện ủy Tân Phú".into(),
            },
            unit: Party {
                code: "XA01".into(),
                name: "Xã Phú Lâm".into(),
            },
            file: "XA01-Xa-Phu-Lam-r2.bcpkg".into(),
            revision: 2,
            package_checksum: format!("sha256:{}", "ab".repeat(32)),
            received_at: "2014-10-15T14:05:00+07:00".into(),
            state,
            reason: (state == State::Refused).then(|| Reason {
                code: "import.older".into(),
                message: "Từ chối gói: đã có lần gửi 3 mới hơn.".into(),
            }),
        }
    }

    #[test]
    fn a_receipt_reads_back_with_its_signer() {
        let key = UnitKey::generate().unwrap();
        for state in [State::Accepted, State::Refused] {
            let r = content(state).sign(&key);
            let bytes = r.to_bytes();
            assert!(bytes.starts_with(b"{\n  \"format\": \"baocao-receipt\""));
            assert_eq!(
                crate::kind::of_bytes(&bytes),
                Some(crate::kind::Kind::Receipt)
            );
            let (back, signer) = parse(&bytes).unwrap();
            assert_eq!(back, r);
            assert_eq!(signer, key.public());
        }
    }

    #[test]
    fn a_changed_or_unsigned_receipt_is_refused() {
        let key = UnitKey::generate().unwrap();
        let r = content(State::Accepted).sign(&key);
        let mut v: Value = serde_json::from_slice(&r.to_bytes()).unwrap();
        v["revision"] = 3.into();
        let changed = serde_json::to_vec(&v).unwrap();
        assert_eq!(parse(&changed).unwrap_err(), ReceiptError::Checksum);
        // Checksum set again: the signature tells.
        let digest = canonical::sha256(&v, UNCOVERED);
        v["checksum"] = checksum_text(&digest).into();
        let resealed = serde_json::to_vec(&v).unwrap();
        assert!(matches!(
            parse(&resealed).unwrap_err(),
            ReceiptError::BadSignature { .. }
        ));
        v.as_object_mut().unwrap().remove("signature");
        assert_eq!(
            parse(&serde_json::to_vec(&v).unwrap()).unwrap_err(),
            ReceiptError::Unsigned
        );
    }

    #[test]
    fn bounds_and_shape_are_held() {
        let key = UnitKey::generate().unwrap();
        let mut c = content(State::Refused);
        c.reason.as_mut().unwrap().message = "x".repeat(MAX_REASON_CHARS + 1);
        let bytes = c.sign(&key).to_bytes();
        assert_eq!(
            parse(&bytes).unwrap_err(),
            ReceiptError::TooLong {
                key: "reason.message"
            }
        );
        let mut c = content(State::Accepted);
        c.reason = content(State::Refused).reason;
        assert_eq!(
            parse(&c.sign(&key).to_bytes()).unwrap_err(),
            ReceiptError::ReasonMismatch
        );
        let mut c = content(State::Accepted);
        c.received_at = "hôm qua".into();
        assert_eq!(
            parse(&c.sign(&key).to_bytes()).unwrap_err(),
            ReceiptError::BadTime
        );
        assert_eq!(
            parse(b"{\"format\": \"baocao-package\"}").unwrap_err(),
            ReceiptError::NotReceipt
        );
        assert_eq!(
            parse(b"{\"format\": \"baocao-receipt\", \"format_version\": 9}").unwrap_err(),
            ReceiptError::NewerFormat { version: 9 }
        );
        assert_eq!(
            parse(&vec![b' '; MAX_BYTES as usize + 1]).unwrap_err(),
            ReceiptError::TooLarge
        );
    }

    #[test]
    fn the_summary_says_when_or_why() {
        let key = UnitKey::generate().unwrap();
        let r = content(State::Accepted).sign(&key);
        let rec = Recorded::of(&r);
        let at = rec.received().unwrap().format("%H:%M %d/%m/%Y").to_string();
        assert_eq!(
            rec.summary(Lang::Vi),
            format!("Cấp trên đã nhận lần gửi 2 lúc {at}")
        );
        let r = content(State::Refused).sign(&key);
        assert_eq!(
            Recorded::of(&r).summary(Lang::Vi),
            "Lần gửi 2 bị từ chối: Từ chối gói: đã có lần gửi 3 mới hơn."
        );
        assert_eq!(file_name("XA01", 2), "bien-nhan-XA01-lan2.bcrcpt");
    }
}
