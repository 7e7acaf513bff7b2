//! Who a unit is: its type, code and name, and the one check of codes and
//! names that every door uses — `init` and the setup screen, `children
//! add` and `children import`, and every package taken in (at any depth).
//!
//! A code is what tells units apart, so it must not be able to look like
//! another: after trimming (and NFC) it is 1 to [`MAX_CODE_CHARS`] of the
//! ASCII letters, digits, `-`, `_` and `.`, starting with a letter or a
//! digit. Full-width or Arabic-Indic digits, a zero-width space, a space,
//! `/` or `..` are refused with the reason. A name is text in NFC, trimmed,
//! with no control character and nothing invisible (zero-width characters,
//! changes of direction) that could make two names print alike.

use crate::i18n::{Lang, Localized};
use crate::tl;
use serde::{Deserialize, Serialize};

/// The longest code: the 5-digit administrative codes and "HU01"-style
/// ones are far shorter.
/// The longest unit code, and name (or type, or parent), a file from
/// another unit may state (packages, receipts): they are copied into the
/// report and printed on status lines, so a file cannot make them
/// megabytes long. Looser than what `init` accepts, for older files.
pub const MAX_STATED_CODE_CHARS: usize = 64;
pub const MAX_STATED_NAME_CHARS: usize = 500;
/// The longest of the other strings such a file states: dates, ids,
/// versions, hashes, the approving body.
pub const MAX_META_CHARS: usize = 500;
pub const MAX_CODE_CHARS: usize = 32;
/// The longest name.
pub const MAX_NAME_CHARS: usize = 200;
/// The characters a code may hold, for messages and the README.
pub const CODE_CHARS: &str = "A–Z a–z 0–9 - _ .";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Unit {
    #[serde(rename = "type")]
    pub unit_type: String,
    pub code: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent_name: Option<String>,
}

/// What is wrong with a code or a name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum UnitProblem {
    CodeEmpty,
    CodeTooLong,
    /// A character outside [`CODE_CHARS`] (shown by its number: it may
    /// not print, or print like another).
    CodeCharacter {
        code: String,
        ch: u32,
    },
    /// Starts with `-`, `_` or `.`.
    CodeStart {
        code: String,
    },
    NameEmpty,
    NameTooLong,
    /// A control or invisible character.
    NameCharacter {
        ch: u32,
    },
}

crate::coded!(UnitProblem => "unit");
crate::localized_display!(UnitProblem);

impl Localized for UnitProblem {
    fn localized(&self, lang: Lang) -> String {
        let shown = |code: &str| crate::text::excerpt(code, MAX_CODE_CHARS);
        match self {
            UnitProblem::CodeEmpty => tl!(lang, "Chưa có mã đơn vị.", "The unit code is empty."),
            UnitProblem::CodeTooLong => tl!(
                lang,
                "Mã đơn vị dài quá {MAX_CODE_CHARS} ký tự.",
                "The unit code is longer than {MAX_CODE_CHARS} characters."
            ),
            UnitProblem::CodeCharacter { code, ch } => tl!(
                lang,
                "Mã đơn vị \"{}\" không dùng được: có ký tự U+{ch:04X}; mã chỉ gồm chữ cái không dấu, chữ số và - _ . ({CODE_CHARS}).",
                "Unit code \"{}\" cannot be used: it holds the character U+{ch:04X}; a code holds only unaccented letters, digits and - _ . ({CODE_CHARS}).",
                shown(code)
            ),
            UnitProblem::CodeStart { code } => tl!(
                lang,
                "Mã đơn vị \"{}\" không dùng được: mã phải bắt đầu bằng chữ cái hoặc chữ số.",
                "Unit code \"{}\" cannot be used: a code starts with a letter or a digit.",
                shown(code)
            ),
            UnitProblem::NameEmpty => tl!(lang, "Chưa có tên đơn vị.", "The unit has no name."),
            UnitProblem::NameTooLong => tl!(
                lang,
                "Tên đơn vị dài quá {MAX_NAME_CHARS} ký tự.",
                "The unit name is longer than {MAX_NAME_CHARS} characters."
            ),
            UnitProblem::NameCharacter { ch } => tl!(
                lang,
                "Tên đơn vị có ký tự điều khiển hoặc ký tự ẩn (U+{ch:04X}); hãy gõ lại tên.",
                "The unit name holds a control or invisible character (U+{ch:04X}); type the name again."
            ),
        }
    }
}

/// A code as it is kept: trimmed, checked. `Err` says why it cannot be.
pub fn code(given: &str) -> Result<String, UnitProblem> {
    let code = given.trim();
    if code.is_empty() {
        return Err(UnitProblem::CodeEmpty);
    }
    if code.chars().nth(MAX_CODE_CHARS).is_some() {
        return Err(UnitProblem::CodeTooLong);
    }
    if let Some(c) = code
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
    {
        return Err(UnitProblem::CodeCharacter {
            code: code.to_string(),
            ch: c as u32,
        });
    }
    if !code.starts_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(UnitProblem::CodeStart {
            code: code.to_string(),
        });
    }
    Ok(code.to_string())
}

/// A name as it is kept: trimmed, in NFC, checked.
pub fn name(given: &str) -> Result<String, UnitProblem> {
    let name = crate::text::nfc(given.trim());
    if name.is_empty() {
        return Err(UnitProblem::NameEmpty);
    }
    if name.chars().nth(MAX_NAME_CHARS).is_some() {
        return Err(UnitProblem::NameTooLong);
    }
    if let Some(c) = name.chars().find(|&c| invisible(c)) {
        return Err(UnitProblem::NameCharacter { ch: c as u32 });
    }
    Ok(name)
}

/// Whether a code is exactly as [`code`] keeps it: what a package must
/// carry (baocao never writes another), so that no two spellings of one
/// code reach the figures.
pub fn is_kept_code(s: &str) -> Result<(), UnitProblem> {
    let kept = code(s)?;
    if kept != s {
        // Only spaces around it can differ.
        return Err(UnitProblem::CodeCharacter {
            code: s.to_string(),
            ch: ' ' as u32,
        });
    }
    Ok(())
}

/// Whether two names are the same unit's, as people write it: case and
/// runs of spaces aside, in NFC.
pub fn same_name(a: &str, b: &str) -> bool {
    let fold = |s: &str| {
        crate::text::nfc(s)
            .split_whitespace()
            .map(str::to_lowercase)
            .collect::<Vec<_>>()
    };
    fold(a) == fold(b)
}

impl Unit {
    /// The unit with its code, name and parent checked and kept as
    /// [`code`] and [`name`] keep them.
    pub fn checked(self) -> Result<Unit, UnitProblem> {
        Ok(Unit {
            code: code(&self.code)?,
            name: name(&self.name)?,
            parent_code: self.parent_code.as_deref().map(code).transpose()?,
            parent_name: self.parent_name.as_deref().map(name).transpose()?,
            unit_type: self.unit_type,
        })
    }

    /// `Ok` when a package may carry it as it is: codes exactly as kept,
    /// names that [`name`] accepts (NFC aside: names are compared in NFC).
    pub fn check_carried(&self) -> Result<(), UnitProblem> {
        is_kept_code(&self.code)?;
        if let Some(p) = &self.parent_code {
            is_kept_code(p)?;
        }
        name(&self.name)?;
        if let Some(p) = &self.parent_name {
            name(p)?;
        }
        Ok(())
    }
}

/// Controls, changes of direction, zero-width and other invisible
/// characters, and what XML cannot hold.
fn invisible(c: char) -> bool {
    c.is_control()
        || crate::text::is_bidi_control(c)
        || !crate::text::xml_char(c)
        || matches!(
            c,
            '\u{00AD}'
                | '\u{034F}'
                | '\u{061C}'
                | '\u{115F}'
                | '\u{1160}'
                | '\u{17B4}'
                | '\u{17B5}'
                | '\u{180B}'..='\u{180F}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202F}'
                | '\u{205F}'..='\u{206F}'
                | '\u{3164}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{FFA0}'
                | '\u{FFF0}'..='\u{FFFB}'
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_plain_ascii_and_cannot_look_like_another() {
        assert_eq!(code(" 27112 ").unwrap(), "27112");
        assert_eq!(code("HU-01_a.b").unwrap(), "HU-01_a.b");
        for bad in [
            "27112\u{200B}",
            "２７１１２",
            "٢٧١١٢",
            "27 112",
            "27/112",
            "a\u{0}b",
            "x\u{1b}y",
            "Xã",
        ] {
            assert!(
                matches!(code(bad), Err(UnitProblem::CodeCharacter { .. })),
                "{bad:?}"
            );
        }
        assert_eq!(code("  "), Err(UnitProblem::CodeEmpty));
        assert!(matches!(code(".."), Err(UnitProblem::CodeStart { .. })));
        assert!(matches!(code("-1"), Err(UnitProblem::CodeStart { .. })));
        assert_eq!(code(&"1".repeat(33)), Err(UnitProblem::CodeTooLong));
        assert!(is_kept_code("27112").is_ok());
        assert!(is_kept_code("27112 ").is_err());
    }

    #[test]
    fn names_are_nfc_and_visible() {
        let nfd = "Xa\u{303} Phu\u{301} Vinh";
        assert_eq!(name(nfd).unwrap(), "Xã Phú Vinh");
        for bad in ["Xã\u{200B} Phú", "Xã\u{202E}Phú", "Xã\nPhú", "Xã\u{FEFF}"] {
            assert!(
                matches!(name(bad), Err(UnitProblem::NameCharacter { .. })),
                "{bad:?}"
            );
        }
        assert_eq!(name(" "), Err(UnitProblem::NameEmpty));
        assert!(same_name("Xã  Phú Vinh", "xã phú vinh"));
        assert!(same_name(nfd, "Xã Phú Vinh"));
        assert!(!same_name("Xã La Ngà", "Xã Phú Vinh"));
    }
}
