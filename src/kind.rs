//! Which baocao file a file is, told from its content (its `"format"`),
//! whatever its name or extension: a package renamed `.txt` by a chat
//! program, a receipt saved as `file(1)`, an outline sent as `.json`.
//!
//! Only the kind is told here; each kind's own reader then checks the
//! whole file as it always does.

use crate::error::IoError;
use std::path::Path;

/// The kinds of file baocao writes and reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
pub enum Kind {
    /// A unit's working report (`baocao-report`).
    Report,
    /// A package sent upward (`baocao-package`).
    Package,
    /// An outline (đề cương) (`baocao-outline`).
    Outline,
    /// A receipt sent back down by the parent (`baocao-receipt`).
    Receipt,
    /// A report returned with comments (`baocao-return`).
    Return,
    /// A unit's private key file (`baocao-key`).
    Key,
}

impl Kind {
    /// Every kind, in the order above.
    pub const ALL: [Kind; 6] = [
        Kind::Report,
        Kind::Package,
        Kind::Outline,
        Kind::Receipt,
        Kind::Return,
        Kind::Key,
    ];

    /// The `"format"` value that names this kind.
    pub fn format(self) -> &'static str {
        match self {
            // Spelled here, below every module that reads one kind (a test
            // holds each to its module's own FORMAT).
            Kind::Report => "baocao-report",
            Kind::Package => "baocao-package",
            Kind::Outline => "baocao-outline",
            Kind::Receipt => RECEIPT_FORMAT,
            Kind::Return => RETURN_FORMAT,
            Kind::Key => "baocao-key",
        }
    }

    /// The kind a `"format"` value names.
    pub fn from_format(format: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.format() == format)
    }

    /// What a user calls this kind (Vietnamese, English).
    pub fn noun(self) -> (&'static str, &'static str) {
        match self {
            Kind::Report => ("báo cáo", "report"),
            Kind::Package => ("gói báo cáo", "report package"),
            Kind::Outline => ("đề cương", "outline"),
            Kind::Receipt => ("biên nhận", "receipt"),
            Kind::Return => ("phiếu trả lại", "return"),
            Kind::Key => ("khóa của đơn vị", "unit key"),
        }
    }
}

/// The `"format"` of a receipt.
pub const RECEIPT_FORMAT: &str = "baocao-receipt";
/// The `"format"` of a return.
pub const RETURN_FORMAT: &str = "baocao-return";

/// How many bytes are looked at when `"format"` is not the first key; a
/// file kept as we write it names its format in its first bytes.
const SNIFF_LIMIT: u64 = 64 * 1024 * 1024;

/// The kind of a file's bytes; `None` for anything that is not a baocao
/// file (not JSON, not an object, no or an unknown `"format"`).
pub fn of_bytes(bytes: &[u8]) -> Option<Kind> {
    let bytes = bytes.strip_prefix("\u{feff}".as_bytes()).unwrap_or(bytes);
    let format = match leading_format(bytes) {
        Some(f) => f,
        None => {
            // Hand-edited: "format" is not first. The whole object tells.
            let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
            value.get("format")?.as_str()?.to_owned()
        }
    };
    Kind::from_format(&format)
}

/// The kind of the file at `path` (a regular file, read within the
/// largest limit of any kind); `Ok(None)` for a file that is not ours.
pub fn of_file(path: &Path) -> Result<Option<Kind>, IoError> {
    let bytes = crate::file::read(path, SNIFF_LIMIT)?;
    Ok(of_bytes(&bytes))
}

/// The value of `"format"` when it is the object's first key, as every
/// file baocao writes has it: `{ "format": "baocao-…"`.
fn leading_format(bytes: &[u8]) -> Option<String> {
    let rest = skip_ws(bytes).strip_prefix(b"{")?;
    let rest = skip_ws(rest).strip_prefix(b"\"format\"")?;
    let rest = skip_ws(rest).strip_prefix(b":")?;
    let rest = skip_ws(rest).strip_prefix(b"\"")?;
    let end = rest
        .iter()
        .take(64)
        .position(|&b| b == b'"' || b == b'\\')?;
    if rest[end] != b'"' {
        return None;
    }
    std::str::from_utf8(&rest[..end]).ok().map(str::to_owned)
}

fn skip_ws(bytes: &[u8]) -> &[u8] {
    let n = bytes.iter().take_while(|b| b.is_ascii_whitespace()).count();
    &bytes[n..]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_is_told_by_its_format() {
        for kind in Kind::ALL {
            let first = format!("{{\n  \"format\": \"{}\", \"x\": 1}}", kind.format());
            assert_eq!(of_bytes(first.as_bytes()), Some(kind));
            let later = format!("{{\"x\": [1], \"format\": \"{}\"}}", kind.format());
            assert_eq!(of_bytes(later.as_bytes()), Some(kind));
            let bom = format!("\u{feff}{first}");
            assert_eq!(of_bytes(bom.as_bytes()), Some(kind));
        }
    }

    #[test]
    fn the_formats_are_the_readers_own() {
        assert_eq!(Kind::Report.format(), crate::report::FORMAT);
        assert_eq!(Kind::Package.format(), crate::package::FORMAT);
        assert_eq!(Kind::Outline.format(), crate::outline::FORMAT);
        assert_eq!(Kind::Key.format(), crate::store::key::FORMAT);
        assert_eq!(SNIFF_LIMIT, crate::package::MAX_BYTES);
    }

    #[test]
    fn anything_else_is_not_ours() {
        for bytes in [
            &b""[..],
            b"not json",
            b"[1,2]",
            b"{\"format\": \"something-else\"}",
            b"{\"format\": 3}",
            b"{\"x\": {\"format\": \"baocao-package\"}}",
            b"{\"format\": \"baocao-pack\\u0061ge\"",
        ] {
            assert_eq!(
                of_bytes(bytes),
                None,
                "{:?}",
                String::from_utf8_lossy(bytes)
            );
        }
    }
}
