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
    latin_only(s)
        || unicode_normalization::is_nfc_quick(s.chars())
            == unicode_normalization::IsNormalized::Yes
}

/// Whether every character of `s` is below U+0300 (Latin letters, no
/// combining marks) or a precomposed Vietnamese letter (U+1E00–U+1EFF):
/// then each is its own grapheme and `s` is in NFC. Checked on the bytes
/// (lead bytes below 0xCC, or E1 B8–BB), which is several times faster than
/// decoding: it runs on a whole answer at every key.
pub fn latin_only(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] < 0xCC {
            i += 1;
        } else if b[i] == 0xE1 && matches!(b.get(i + 1), Some(0xB8..=0xBB)) {
            i += 3;
        } else {
            return false;
        }
    }
    true
}

/// Text safe to show: control characters (escape sequences included)
/// become visible symbols; line breaks survive if `multiline`, tabs become
/// spaces. C0 controls show as their symbol (ESC as ␛), DEL as ␡, C1
/// controls (U+0080–U+009F, which some terminals obey like ESC) and the
/// bidirectional controls that reorder what follows (U+202E and kin) as �.
pub fn printable(s: &str, multiline: bool) -> String {
    s.chars()
        .map(|c| match c {
            '\n' if multiline => '\n',
            '\t' => ' ',
            '\r' if multiline => '\u{240D}',
            '\u{7f}' => '\u{2421}',
            c if (c as u32) < 0x20 => char::from_u32(0x2400 + c as u32).unwrap_or('\u{FFFD}'),
            c if c.is_control() || is_bidi_control(c) => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// The invisible marks and overrides that change the direction of the
/// text around them: harmless to store, misleading to show.
pub fn is_bidi_control(c: char) -> bool {
    matches!(
        c,
        '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
    )
}

/// ": dữ liệu lồng nhau quá sâu" when serde_json stopped at its nesting
/// limit (128 levels, which keeps the stack safe on JSON nested 100,000
/// deep), to follow "unreadable JSON at line …, column …"; otherwise "".
pub fn json_nesting_note(e: &serde_json::Error) -> String {
    if e.to_string().starts_with("recursion limit exceeded") {
        crate::t!(
            ": dữ liệu lồng nhau quá sâu",
            ": the data is nested too deeply"
        )
    } else {
        String::new()
    }
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

#[cfg(test)]
mod tests {
    use super::{latin_only, printable};

    #[test]
    fn latin_only_on_the_bytes_matches_the_characters() {
        let by_chars = |s: &str| {
            s.chars()
                .all(|c| c < '\u{300}' || ('\u{1E00}'..='\u{1EFF}').contains(&c))
        };
        for c in (0..0x2_0000).filter_map(char::from_u32) {
            let s = format!("aệ{c}đ");
            assert_eq!(latin_only(&s), by_chars(&s), "U+{:04X}", c as u32);
        }
        assert!(latin_only("Quán triệt Nghị quyết, 1.234,5 đồng"));
        assert!(!latin_only("qua\u{301}n"));
        assert!(latin_only(""));
    }

    #[test]
    fn printable_shows_every_control_and_no_change_of_direction() {
        assert_eq!(printable("a\u{1b}[2Jb\u{7}", false), "a␛[2Jb␇");
        assert_eq!(
            printable("x\u{7f}\u{9b}\u{85}\u{202e}\u{2066}y", false),
            "x␡\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}y"
        );
        assert_eq!(printable("một\nhai\r\tba", true), "một\nhai␍ ba");
        assert_eq!(printable("một\nhai", false), "một␊hai");
        assert_eq!(printable("Xã Tân Phú", false), "Xã Tân Phú");
    }
}
