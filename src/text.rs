//! Text as Vietnamese users need it: NFC always, and never a control
//! character where a person or a terminal will read it.

use unicode_normalization::UnicodeNormalization;

/// Canonical composition: "quán" typed as q-u-a-◌́-n becomes q-u-á-n.
pub fn nfc(s: &str) -> String {
    if is_nfc(s) {
        s.to_string()
    } else {
        s.nfc().collect()
    }
}

/// Whether `s` is surely in NFC already. Latin letters below U+0300 and
/// the precomposed Vietnamese letters (U+1E00–U+1EFF) are checked without
/// a table look-up: most texts are only those.
pub fn is_nfc(s: &str) -> bool {
    s.chars()
        .all(|c| c < '\u{300}' || ('\u{1E00}'..='\u{1EFF}').contains(&c))
        || unicode_normalization::is_nfc_quick(s.chars())
            == unicode_normalization::IsNormalized::Yes
}

/// Text safe to show: control characters (escape sequences included)
/// become visible symbols; line breaks and tabs survive if `multiline`.
pub fn printable(s: &str, multiline: bool) -> String {
    s.chars()
        .map(|c| match c {
            '\n' if multiline => '\n',
            '\t' => ' ',
            '\r' if multiline => '\u{240D}',
            c if c.is_control() => char::from_u32(0x2400 + (c as u32 & 0x1f))
                .filter(|_| (c as u32) < 0x20)
                .unwrap_or('\u{FFFD}'),
            c => c,
        })
        .collect()
}

/// A name made safe for a file on a FAT32 USB stick: ASCII letters, digits
/// and dashes only (Vietnamese letters lose their marks, đ becomes d).
pub fn file_safe(s: &str) -> String {
    crate::vi::fold::ascii_file_name(s)
}

/// Vietnamese alphabetical order for unit names.
pub fn cmp_vi(a: &str, b: &str) -> std::cmp::Ordering {
    crate::vi::fold::cmp_vi(a, b)
}
