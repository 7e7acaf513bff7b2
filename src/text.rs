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
/// then each is its own grapheme and `s` is in NFC. It runs on a whole
/// answer at every key and on every answer of every imported package, so
/// it reads bytes, not characters: the lead bytes of those characters are
/// below 0xCC, or 0xE1 followed by 0xB8–0xBB, and bytes at or above 0xCC
/// are found eight at a time (decoding every character took a seventh of
/// `baocao import`).
pub fn latin_only(s: &str) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let b = s.as_bytes();
    // The high bit of each byte at or above 0xCC: the low seven bits plus
    // 0x34 reach 0x80 from 0x4C up, and never carry into the next byte.
    let high_lead = |x: u64| ((x & !HIGH) + ONES * 0x34) & x & HIGH;
    let vietnamese = |at: usize| b[at] == 0xE1 && matches!(b.get(at + 1), Some(0xB8..=0xBB));
    let mut at = 0;
    for word in b.chunks_exact(8) {
        let mut found = high_lead(u64::from_le_bytes(word.try_into().expect("8 bytes")));
        while found != 0 {
            if !vietnamese(at + found.trailing_zeros() as usize / 8) {
                return false;
            }
            found &= found - 1;
        }
        at += 8;
    }
    (at..b.len()).all(|i| b[i] < 0xCC || vietnamese(i))
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
            c if c.is_control() || is_bidi_control(c) || !xml_char(c) => '\u{FFFD}',
            c => c,
        })
        .collect()
}

/// Whether XML 1.0 — a DOCX's document.xml — can hold the character: not
/// the C0 controls but tab and line breaks, not U+FFFE and U+FFFF. Word
/// refuses a file with one.
pub fn xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

/// The first character of `s` that XML cannot hold, if any. Runs on
/// every answer whenever a report is checked (each frame of the UI), so it
/// looks at bytes: in UTF-8 such a character is a C0 control byte, or
/// U+FFFE / U+FFFF (EF BF BE / EF BF BF); surrogates cannot be in a str.
///
/// Eight bytes at a time: a word with no byte below 0x20 and none equal
/// to 0xEF is passed over whole (byte by byte, at the release build's
/// opt-level "z", it was a fifth of `baocao import`).
pub fn first_non_xml(s: &str) -> Option<char> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let bytes = s.as_bytes();
    // Exact for "is there one": a byte below 0x20 (its high bit clear,
    // and below 0x20 once taken from), or a zero byte once XORed with 0xEF.
    let suspect = |x: u64| {
        let low = x.wrapping_sub(ONES * 0x20) & !x & HIGH;
        let y = x ^ (ONES * 0xEF);
        let ef = y.wrapping_sub(ONES) & !y & HIGH;
        low | ef != 0
    };
    // The byte at `at`, if it starts a character XML cannot hold.
    let refused = |at: usize| -> Option<char> {
        let b = bytes[at];
        if b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r') {
            return Some(char::from(b));
        }
        let ff = b == 0xEF
            && bytes.get(at + 1) == Some(&0xBF)
            && matches!(bytes.get(at + 2), Some(0xBE | 0xBF));
        if ff { s[at..].chars().next() } else { None }
    };
    let mut at = 0;
    while at + 8 <= bytes.len() {
        let word = u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
        if suspect(word)
            && let Some(c) = (at..at + 8).find_map(refused)
        {
            return Some(c);
        }
        at += 8;
    }
    (at..bytes.len()).find_map(refused)
}

/// A short, printable excerpt of text from someone else, for a message:
/// at most `max` characters, then "…". A refusal never repeats megabytes.
pub fn excerpt(s: &str, max: usize) -> String {
    let mut out: String = s.chars().take(max).collect();
    if s.chars().nth(max).is_some() {
        out.push('…');
    }
    printable(&out, false)
}

/// JSON text safe for a terminal: serde_json escapes the C0 controls but
/// writes DEL, the C1 controls (U+009B is CSI to some terminals), the
/// bidirectional controls and the line separators as they are. Those can
/// only stand inside strings, where `\uXXXX` means the same.
pub fn json_for_terminal(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if ('\u{7f}'..='\u{9f}').contains(&c)
            || is_bidi_control(c)
            || matches!(c, '\u{2028}' | '\u{2029}')
            || !xml_char(c)
        {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    out
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
    nesting_note(json_too_deep(e), crate::i18n::lang())
}

/// Whether serde_json stopped at its nesting limit.
pub fn json_too_deep(e: &serde_json::Error) -> bool {
    e.to_string().starts_with("recursion limit exceeded")
}

/// The note that follows "unreadable JSON at line …, column …" when the
/// data was nested too deeply; "" otherwise.
pub fn nesting_note(too_deep: bool, lang: crate::i18n::Lang) -> String {
    if too_deep {
        crate::tl!(
            lang,
            ": dữ liệu lồng nhau quá sâu",
            ": the data is nested too deeply"
        )
    } else {
        String::new()
    }
}

#[cfg(test)]
mod tests {
    use super::{first_non_xml, xml_char};

    #[test]
    fn first_non_xml_finds_what_xml_char_refuses() {
        let mut all: Vec<char> = (0u32..0x110000).filter_map(char::from_u32).collect();
        all.retain(|c| (*c as u32) < 0x3000 || (0xE000..0x10100).contains(&(*c as u32)));
        for c in all {
            let s = format!("ab{c}ệ\u{FFFD}");
            let want = s.chars().find(|c| !xml_char(*c));
            assert_eq!(first_non_xml(&s), want, "U+{:04X}", c as u32);
        }
        assert_eq!(first_non_xml("Hội nghị\tquán triệt\r\n"), None);
        assert_eq!(first_non_xml("x\u{FFFE}"), Some('\u{FFFE}'));
        assert_eq!(first_non_xml("\u{EFBF}\u{FFFF}"), Some('\u{FFFF}'));
    }

    /// The same at every place in a text longer than a few words, where
    /// whole words are passed over.
    #[test]
    fn first_non_xml_finds_it_at_any_place_of_a_long_text() {
        let base = "Hội nghị quán triệt cho 100% cán bộ, đảng viên ở 8/8 thôn.";
        for c in [
            '\u{1}', '\u{1F}', '\t', '\n', '\u{FFFE}', '\u{FFFF}', '\u{F000}', '\u{FFFD}', ' ',
        ] {
            for at in (0..=base.len()).filter(|i| base.is_char_boundary(*i)) {
                let s = format!("{}{c}{}{}", &base[..at], &base[at..], base);
                let want = s.chars().find(|c| !xml_char(*c));
                assert_eq!(first_non_xml(&s), want, "U+{:04X} at {at}", c as u32);
            }
        }
    }

    use super::{latin_only, printable};

    /// What `latin_only` answers, character by character.
    fn by_chars(s: &str) -> bool {
        s.chars()
            .all(|c| c < '\u{300}' || ('\u{1E00}'..='\u{1EFF}').contains(&c))
    }

    #[test]
    fn latin_only_on_the_bytes_matches_the_characters() {
        for c in (0..0x2_0000).filter_map(char::from_u32) {
            let s = format!("aệ{c}đ");
            assert_eq!(latin_only(&s), by_chars(&s), "U+{:04X}", c as u32);
        }
        assert!(latin_only("Quán triệt Nghị quyết, 1.234,5 đồng"));
        assert!(!latin_only("qua\u{301}n"));
        assert!(latin_only(""));
    }

    #[test]
    fn the_nfc_fast_path_agrees_with_the_tables() {
        use unicode_normalization::UnicodeNormalization;
        for s in [
            "",
            "abc",
            "Xã Tân Phú, Đảng bộ huyện: 12/05/2024 — “trích” ½ ©",
            "quán",
            "qua\u{301}n",
            "e\u{302}\u{301}",
            "\u{2FF}\u{300}",
            "\u{1DFF}\u{1E00}\u{1EFF}\u{1F00}",
            "ℌ 가 ﬁ \u{FFFD} 😀",
            "0123456789abcdefẫ0123456789abcdef\u{301}",
        ] {
            let nfc: String = s.nfc().collect();
            // "Surely NFC" may say no to an NFC text, never yes to another.
            assert!(!super::is_nfc(s) || nfc == s, "{s:?}");
            assert_eq!(super::nfc(s), nfc, "{s:?}");
        }
        let alphabet = [
            "a", "Z", "\n", "é", "ạ", "ỹ", "đ", "ơ", "\u{2FF}", "\u{300}", "\u{1DFF}", "\u{1F00}",
            "\u{E000}", "😀", "ℌ", "\u{1E00}",
        ];
        let mut seed = 1u64;
        for _ in 0..20_000 {
            let mut s = String::new();
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            for k in 0..(seed >> 59) {
                let r = seed.rotate_left(k as u32 * 5) as usize;
                // Mostly letters that pass, now and then one that does not.
                s.push_str(
                    alphabet[if r.is_multiple_of(8) {
                        r / 8 % alphabet.len()
                    } else {
                        r / 8 % 8
                    }],
                );
            }
            assert_eq!(latin_only(&s), by_chars(&s), "{s:?}");
        }
        assert!(super::is_nfc("Xã Tân Phú đạt 100%, “tốt” ½"));
        assert!(latin_only("Xã Tân Phú đạt 100%"));
        assert!(!latin_only("qua\u{301}n"));
        assert!(!latin_only("\u{1F00}"));
        assert!(!latin_only("\u{1DFF}"));
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
