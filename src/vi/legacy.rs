//! Text typed in the old 8-bit Vietnamese font encodings, converted to
//! Unicode.
//!
//! Such text arrives as gibberish like "§¶ng bé x·" (TCVN3) or "Ñaûng boä
//! xaõ" (VNI-Windows): each legacy byte was read as the Windows-1252 /
//! Latin-1 character with the same number, which is what a copy from an old
//! Word file, an email or a web page gives. [`to_unicode`] takes such a
//! string; a file read from disk as raw bytes must first be turned into one
//! character per byte (`bytes.iter().map(|&b| b as char)`), which is that
//! same reading.
//!
//! Coverage:
//! * **TCVN3 (ABC, TCVN 5712:1993 VN3)**, fonts `.VnTime`, `.VnArial` …: all
//!   lowercase letters with every tone, and the capitals Ă Â Ê Ô Ơ Ư Đ. VN3
//!   has no capitals with tones: documents set those in the `.VnTimeH`
//!   family, which draws the lowercase codes as capitals, and the font is
//!   lost on paste. So a lowercase letter with a tone is made a capital when
//!   its line (or word) is otherwise in capitals ("§¶NG Bé" → "ĐẢNG BỘ"), or
//!   when it starts a sentence ("ñy ban" → "Ủy ban"). Elsewhere it stays
//!   lowercase: a capital toned letter inside a mixed-case line (a name like
//!   "Ên" mid-sentence) comes back lowercase.
//! * **VNI-Windows** (fonts `VNI-Times` …): every letter with every tone in
//!   both cases. Most letters are two characters, the base letter and a mark
//!   ("aù" → "á", "AÙ" → "Á"); ơ ư đ and i's tones are one character.
//!
//! The 0x80–0x9F range and the unused code points pass through unchanged.

use crate::text::nfc;

/// An old 8-bit Vietnamese encoding.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Legacy {
    /// TCVN3 (ABC), fonts `.VnTime` / `.VnTimeH`.
    Tcvn3,
    /// VNI-Windows, fonts `VNI-Times` …
    VniWindows,
}

impl Legacy {
    /// The name the command line uses (`--from tcvn3|vni`).
    pub fn name(self) -> &'static str {
        match self {
            Legacy::Tcvn3 => "tcvn3",
            Legacy::VniWindows => "vni",
        }
    }

    /// Reads a command-line name, case-insensitively ("tcvn3", "abc", "vni").
    pub fn from_name(name: &str) -> Option<Legacy> {
        match name.to_ascii_lowercase().as_str() {
            "tcvn3" | "tcvn" | "abc" | "vn3" => Some(Legacy::Tcvn3),
            "vni" | "vni-windows" | "vniwindows" => Some(Legacy::VniWindows),
            _ => None,
        }
    }

    /// The name people know the encoding by.
    pub fn label(self) -> &'static str {
        match self {
            Legacy::Tcvn3 => "TCVN3 (ABC)",
            Legacy::VniWindows => "VNI-Windows",
        }
    }
}

/// Converts text in `from` (read as Windows-1252 / Latin-1 characters, see
/// the module documentation) to Unicode, NFC.
pub fn to_unicode(text: &str, from: Legacy) -> String {
    match from {
        Legacy::Tcvn3 => tcvn3_to_unicode(text),
        Legacy::VniWindows => vni_to_unicode(text),
    }
}

/// TCVN3 code points (as Latin-1 characters) and the letters they stand for,
/// from the TCVN 5712:1993 VN3 table.
const TCVN3: &[(char, char)] = &[
    ('\u{A1}', 'Ă'),
    ('\u{A2}', 'Â'),
    ('\u{A3}', 'Ê'),
    ('\u{A4}', 'Ô'),
    ('\u{A5}', 'Ơ'),
    ('\u{A6}', 'Ư'),
    ('\u{A7}', 'Đ'),
    ('\u{A8}', 'ă'),
    ('\u{A9}', 'â'),
    ('\u{AA}', 'ê'),
    ('\u{AB}', 'ô'),
    ('\u{AC}', 'ơ'),
    ('\u{AD}', 'ư'),
    ('\u{AE}', 'đ'),
    ('\u{B5}', 'à'),
    ('\u{B6}', 'ả'),
    ('\u{B7}', 'ã'),
    ('\u{B8}', 'á'),
    ('\u{B9}', 'ạ'),
    ('\u{BB}', 'ằ'),
    ('\u{BC}', 'ẳ'),
    ('\u{BD}', 'ẵ'),
    ('\u{BE}', 'ắ'),
    ('\u{C6}', 'ặ'),
    ('\u{C7}', 'ầ'),
    ('\u{C8}', 'ẩ'),
    ('\u{C9}', 'ẫ'),
    ('\u{CA}', 'ấ'),
    ('\u{CB}', 'ậ'),
    ('\u{CC}', 'è'),
    ('\u{CE}', 'ẻ'),
    ('\u{CF}', 'ẽ'),
    ('\u{D0}', 'é'),
    ('\u{D1}', 'ẹ'),
    ('\u{D2}', 'ề'),
    ('\u{D3}', 'ể'),
    ('\u{D4}', 'ễ'),
    ('\u{D5}', 'ế'),
    ('\u{D6}', 'ệ'),
    ('\u{D7}', 'ì'),
    ('\u{D8}', 'ỉ'),
    ('\u{DC}', 'ĩ'),
    ('\u{DD}', 'í'),
    ('\u{DE}', 'ị'),
    ('\u{DF}', 'ò'),
    ('\u{E1}', 'ỏ'),
    ('\u{E2}', 'õ'),
    ('\u{E3}', 'ó'),
    ('\u{E4}', 'ọ'),
    ('\u{E5}', 'ồ'),
    ('\u{E6}', 'ổ'),
    ('\u{E7}', 'ỗ'),
    ('\u{E8}', 'ố'),
    ('\u{E9}', 'ộ'),
    ('\u{EA}', 'ờ'),
    ('\u{EB}', 'ở'),
    ('\u{EC}', 'ỡ'),
    ('\u{ED}', 'ớ'),
    ('\u{EE}', 'ợ'),
    ('\u{EF}', 'ù'),
    ('\u{F1}', 'ủ'),
    ('\u{F2}', 'ũ'),
    ('\u{F3}', 'ú'),
    ('\u{F4}', 'ụ'),
    ('\u{F5}', 'ừ'),
    ('\u{F6}', 'ử'),
    ('\u{F7}', 'ữ'),
    ('\u{F8}', 'ứ'),
    ('\u{F9}', 'ự'),
    ('\u{FA}', 'ỳ'),
    ('\u{FB}', 'ỷ'),
    ('\u{FC}', 'ỹ'),
    ('\u{FD}', 'ý'),
    ('\u{FE}', 'ỵ'),
];

fn tcvn3_letter(c: char) -> Option<char> {
    TCVN3
        .iter()
        .find(|(code, _)| *code == c)
        .map(|(_, letter)| *letter)
}

/// A TCVN3 letter that has no capital code of its own: the toned letters
/// (code points from 0xB5 up).
fn tcvn3_toned(c: char) -> bool {
    c >= '\u{B5}' && tcvn3_letter(c).is_some()
}

fn tcvn3_to_unicode(text: &str) -> String {
    let mut out = String::with_capacity(text.len() * 2);
    for line in text.split_inclusive('\n') {
        let line_caps = in_capitals(line);
        let mut sentence_start = out.is_empty() || ends_sentence(&out);
        let mut prev_letter = false;
        for word in split_words(line) {
            let word_caps = line_caps || in_capitals(word);
            for c in word.chars() {
                let converted = match tcvn3_letter(c) {
                    Some(letter) => {
                        // A toned letter from a .VnTimeH heading, or a
                        // sentence's first letter: written as a capital.
                        let capital = (word_caps && c >= '\u{A8}')
                            || (sentence_start && !prev_letter && tcvn3_toned(c));
                        if capital { upper(letter) } else { letter }
                    }
                    None => c,
                };
                out.push(converted);
                let is_letter = converted.is_alphabetic();
                if is_letter || converted.is_ascii_digit() {
                    sentence_start = false;
                } else if matches!(converted, '.' | '!' | '?') {
                    sentence_start = true;
                }
                prev_letter = is_letter;
            }
        }
    }
    nfc(&out)
}

/// The text so far ends a sentence: its last visible character is `.`, `!`
/// or `?`, or `:`/`;` before a line break (a list follows), or a blank line
/// ends it (a new paragraph). A line break alone does not: pasted text is
/// often wrapped mid-sentence.
fn ends_sentence(out: &str) -> bool {
    let trimmed = out.trim_end();
    let breaks = out[trimmed.len()..].matches('\n').count();
    match trimmed.chars().last() {
        None => true,
        Some('.' | '!' | '?') => true,
        Some(':' | ';') => breaks >= 1,
        Some(_) => breaks >= 2,
    }
}

/// Words and the runs between them, in order, covering all of `line`.
fn split_words(line: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut in_word = None;
    for (i, c) in line.char_indices() {
        let word_char = !c.is_whitespace();
        if in_word != Some(word_char) {
            if i > start {
                parts.push(&line[start..i]);
            }
            start = i;
            in_word = Some(word_char);
        }
    }
    if start < line.len() {
        parts.push(&line[start..]);
    }
    parts
}

/// Set in capitals: at least two capital letters (ASCII or TCVN3 Ă Â Ê Ô Ơ
/// Ư Đ) and no lowercase ASCII letter. The toned codes do not count: they
/// are the ones in doubt.
fn in_capitals(s: &str) -> bool {
    let capitals = s
        .chars()
        .filter(|&c| c.is_ascii_uppercase() || ('\u{A1}'..='\u{A7}').contains(&c))
        .count();
    capitals >= 2 && !s.chars().any(|c| c.is_ascii_lowercase())
}

fn upper(c: char) -> char {
    let mut u = c.to_uppercase();
    match (u.next(), u.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// Tones as VNI-Windows writes them after a vowel, lowercase and capital:
/// sắc, huyền, hỏi, ngã, nặng.
const VNI_TONES: [(char, char, char); 5] = [
    ('ù', 'Ù', '\u{301}'),
    ('ø', 'Ø', '\u{300}'),
    ('û', 'Û', '\u{309}'),
    ('õ', 'Õ', '\u{303}'),
    ('ï', 'Ï', '\u{323}'),
];

/// After a, e, o: the circumflex, alone or with a tone (â ấ ầ ẩ ẫ ậ).
const VNI_CIRCUMFLEX: [(char, char, Option<char>); 6] = [
    ('â', 'Â', None),
    ('á', 'Á', Some('\u{301}')),
    ('à', 'À', Some('\u{300}')),
    ('å', 'Å', Some('\u{309}')),
    ('ã', 'Ã', Some('\u{303}')),
    ('ä', 'Ä', Some('\u{323}')),
];

/// After a: the breve, alone or with a tone (ă ắ ằ ẳ ẵ ặ).
const VNI_BREVE: [(char, char, Option<char>); 6] = [
    ('ê', 'Ê', None),
    ('é', 'É', Some('\u{301}')),
    ('è', 'È', Some('\u{300}')),
    ('ú', 'Ú', Some('\u{309}')),
    ('ü', 'Ü', Some('\u{303}')),
    ('ë', 'Ë', Some('\u{323}')),
];

/// Letters VNI-Windows writes as one character.
const VNI_SINGLE: &[(char, char)] = &[
    ('ô', 'ơ'),
    ('Ô', 'Ơ'),
    ('ö', 'ư'),
    ('Ö', 'Ư'),
    ('ñ', 'đ'),
    ('Ñ', 'Đ'),
    ('í', 'í'),
    ('Í', 'Í'),
    ('ì', 'ì'),
    ('Ì', 'Ì'),
    ('æ', 'ỉ'),
    ('Æ', 'Ỉ'),
    ('ó', 'ĩ'),
    ('Ó', 'Ĩ'),
    ('ò', 'ị'),
    ('Ò', 'Ị'),
    ('î', 'ỵ'),
    ('Î', 'Ỵ'),
];

/// The letter a VNI-Windows base and mark stand for, as base + combining
/// marks (NFC is applied at the end). Either case of mark is accepted; the
/// base letter decides the case.
fn vni_pair(base: char, mark: char) -> Option<String> {
    let lower_base = base.to_lowercase().next()?;
    let with = |letter: char, combining: &[char]| {
        let mut s = String::new();
        s.push(if base.is_uppercase() {
            upper(letter)
        } else {
            letter
        });
        s.extend(combining);
        s
    };
    let tone = VNI_TONES
        .iter()
        .find(|(l, u, _)| *l == mark || *u == mark)
        .map(|(_, _, t)| *t);
    match lower_base {
        'a' | 'e' | 'o' | 'u' | 'y' | 'ô' | 'ö' => {
            let letter = match lower_base {
                'ô' => 'ơ',
                'ö' => 'ư',
                l => l,
            };
            if let Some(t) = tone {
                return Some(with(letter, &[t]));
            }
        }
        _ => return None,
    }
    let find = |table: &[(char, char, Option<char>)]| {
        table
            .iter()
            .find(|(l, u, _)| *l == mark || *u == mark)
            .map(|(_, _, t)| *t)
    };
    match lower_base {
        'a' | 'e' | 'o' => {
            if let Some(t) = find(&VNI_CIRCUMFLEX) {
                let letter = match lower_base {
                    'a' => 'â',
                    'e' => 'ê',
                    _ => 'ô',
                };
                return Some(with(letter, t.as_slice()));
            }
            if lower_base == 'a'
                && let Some(t) = find(&VNI_BREVE)
            {
                return Some(with('ă', t.as_slice()));
            }
            None
        }
        _ => None,
    }
}

fn vni_to_unicode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if let Some(pair) = chars.peek().and_then(|&next| vni_pair(c, next)) {
            out.push_str(&pair);
            chars.next();
        } else if let Some((_, letter)) = VNI_SINGLE.iter().find(|(code, _)| *code == c) {
            out.push(*letter);
        } else {
            out.push(c);
        }
    }
    nfc(&out)
}

/// Says whether `text` looks like TCVN3 or VNI-Windows gibberish, and which.
/// Conservative: ordinary Vietnamese (Unicode) or English text gives `None`,
/// and so does anything with fewer than two telltale signs, or signs in
/// fewer than one word in ten.
pub fn detect(text: &str) -> Option<Legacy> {
    // Legacy text read as Windows-1252 holds nothing beyond it; real
    // Vietnamese Unicode has ư, ơ, đ, ạ … beyond Latin-1.
    if text.chars().any(|c| c as u32 > 0xFF && !is_cp1252_extra(c)) {
        return None;
    }
    let words = text.split_whitespace().count();
    let tcvn3 = tcvn3_signs(text);
    let (strong, other) = vni_signs(text);
    // ö, ñ, ï, ë, "aú" alone are German, Spanish, French: VNI text always
    // has pairs no language has.
    let vni = if strong >= 2 { strong + other } else { 0 };
    let enough = |signs: usize| signs >= 2 && signs * 10 >= words;
    match (enough(tcvn3), enough(vni)) {
        (true, false) => Some(Legacy::Tcvn3),
        (false, true) => Some(Legacy::VniWindows),
        (true, true) if tcvn3 > vni * 2 => Some(Legacy::Tcvn3),
        (true, true) if vni > tcvn3 * 2 => Some(Legacy::VniWindows),
        _ => None,
    }
}

/// The characters Windows-1252 puts at 0x80–0x9F.
fn is_cp1252_extra(c: char) -> bool {
    "€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ".contains(c)
}

/// TCVN3 signs, inside a word (next to an ASCII letter or another sign):
/// its letters that are symbols in Latin-1 (§ ¶ · ¸ µ ¨ © ª « ¬ soft hyphen ®
/// » ¼ ½ ¾ ¡ ¢ £ ¤ ¥ ¦ ×), and its letters that are Latin-1 capitals (Ö Õ Ë
/// Ý Þ …) right after a lowercase ASCII letter ("hiÖn", "trÞ"), which no
/// language writes. Real Latin-1 text has the symbols only between words
/// (© 2014, « quoted »). Fewer than two different signs count as none
/// («Bonjour», ¡Hola!).
fn tcvn3_signs(text: &str) -> usize {
    let symbol = |c: char| tcvn3_letter(c).is_some() && !c.is_alphabetic();
    let chars: Vec<char> = text.chars().collect();
    let found: Vec<char> = (0..chars.len())
        .filter(|&i| {
            let c = chars[i];
            let prev = i.checked_sub(1).map(|j| chars[j]);
            let next = chars.get(i + 1).copied();
            let near = |n: Option<char>| n.is_some_and(|n| n.is_ascii_alphabetic() || symbol(n));
            let symbol_in_word = symbol(c) && (near(prev) || near(next));
            let capital_in_word = c.is_uppercase()
                && tcvn3_letter(c).is_some()
                && (prev.is_some_and(|p| p.is_ascii_lowercase())
                    || (prev.is_some_and(|p| p.is_ascii_uppercase())
                        && next.is_some_and(|n| n.is_ascii_lowercase())));
            symbol_in_word || capital_in_word
        })
        .map(|i| chars[i])
        .collect();
    let mut distinct = found.clone();
    distinct.sort_unstable();
    distinct.dedup();
    if distinct.len() >= 2 { found.len() } else { 0 }
}

/// VNI-Windows signs: a vowel followed by one of its marks (aù, eä, oï, aê
/// …), and a word starting with Ñ/ñ (đ) or holding ö (ư) next to a
/// consonant. Returns the pairs that no other language writes, and all the
/// other signs: pairs other text has too (oà, oá, oã of Unicode "hoà",
/// "hoá"; Spanish "aún"; the diaeresis of "naïve", "Israël").
fn vni_signs(text: &str) -> (usize, usize) {
    let chars: Vec<char> = text.chars().collect();
    let (mut strong, mut other) = (0, 0);
    for (i, &c) in chars.iter().enumerate() {
        let next = chars.get(i + 1).copied();
        let prev = i.checked_sub(1).map(|j| chars[j]);
        if let Some(n) = next
            && n as u32 >= 0x80
            && vni_pair(c, n).is_some()
        {
            let weak = matches!(
                (c.to_ascii_lowercase(), n.to_lowercase().next()),
                ('o', Some('à' | 'á' | 'ã')) | ('a', Some('ú')) | (_, Some('ï' | 'ë' | 'ü'))
            );
            if weak {
                other += 1;
            } else {
                strong += 1;
            }
        }
        let word_start = prev.is_none_or(|p| !p.is_alphabetic());
        let next_letter = next.is_some_and(char::is_alphabetic);
        if matches!(c, 'Ñ' | 'ñ') && word_start && next_letter {
            other += 1;
        }
        if matches!(c, 'ö' | 'Ö')
            && (next_letter || prev.is_some_and(char::is_alphabetic))
            && !prev.is_some_and(|p| "aeiouyAEIOUY".contains(p))
        {
            other += 1;
        }
    }
    (strong, other)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    /// Unicode → TCVN3, as a .VnTime user typed it: a capital with a tone
    /// has no code, so it is written with the lowercase one (.VnTimeH).
    fn to_tcvn3(text: &str) -> String {
        text.nfc()
            .map(|c| {
                let lower = c.to_lowercase().next().unwrap_or(c);
                TCVN3
                    .iter()
                    .find(|(_, letter)| *letter == c)
                    .or_else(|| TCVN3.iter().find(|(_, letter)| *letter == lower))
                    .map_or(c, |(code, _)| *code)
            })
            .collect()
    }

    /// Unicode → VNI-Windows: base letter, then one mark character.
    fn to_vni(text: &str) -> String {
        let mut out = String::new();
        for c in text.nfc() {
            if let Some((code, _)) = VNI_SINGLE.iter().find(|(_, letter)| *letter == c) {
                out.push(*code);
                continue;
            }
            let capital = c.is_uppercase();
            let marks: Vec<char> = c.to_lowercase().collect::<String>().nfd().collect();
            let (base, rest) = (marks[0], &marks[1..]);
            let letter = |m: &[char]| m.contains(&'\u{302}');
            let tone = rest
                .iter()
                .copied()
                .find(|m| "\u{301}\u{300}\u{309}\u{303}\u{323}".contains(*m));
            let pick = |l: char, u: char| if capital { u } else { l };
            let b = if capital {
                base.to_ascii_uppercase()
            } else {
                base
            };
            let mark = if rest.contains(&'\u{31B}') {
                // ơ ư: their own character, then the tone.
                out.push(pick(
                    if base == 'o' { 'ô' } else { 'ö' },
                    if base == 'o' { 'Ô' } else { 'Ö' },
                ));
                tone.and_then(|t| VNI_TONES.iter().find(|x| x.2 == t))
                    .map(|x| pick(x.0, x.1))
            } else if letter(rest) {
                out.push(b);
                VNI_CIRCUMFLEX
                    .iter()
                    .find(|x| x.2 == tone)
                    .map(|x| pick(x.0, x.1))
            } else if rest.contains(&'\u{306}') {
                out.push(b);
                VNI_BREVE
                    .iter()
                    .find(|x| x.2 == tone)
                    .map(|x| pick(x.0, x.1))
            } else if base == 'i' && tone.is_some() {
                // i's tones are single characters.
                let single = ['í', 'ì', 'æ', 'ó', 'ò'];
                let i = VNI_TONES.iter().position(|x| Some(x.2) == tone).unwrap();
                out.push(if capital {
                    single[i].to_uppercase().next().unwrap()
                } else {
                    single[i]
                });
                None
            } else if base == 'y' && tone == Some('\u{323}') {
                out.push(pick('î', 'Î'));
                None
            } else {
                out.push(b);
                tone.and_then(|t| VNI_TONES.iter().find(|x| x.2 == t))
                    .map(|x| pick(x.0, x.1))
            };
            out.extend(mark);
        }
        out
    }

    /// Every vowel with every tone, and đ, in lowercase.
    fn all_letters() -> Vec<String> {
        let mut letters = vec!["đ".to_string()];
        for base in ["a", "ă", "â", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "y"] {
            for tone in ["", "\u{300}", "\u{309}", "\u{303}", "\u{301}", "\u{323}"] {
                letters.push(format!("{base}{tone}").nfc().collect());
            }
        }
        letters
    }

    #[test]
    fn tcvn3_samples() {
        let cases = [
            ("§¶ng bé x·", "Đảng bộ xã"),
            ("B¶o Th¾ng", "Bảo Thắng"),
            ("B¸t X¸t", "Bát Xát"),
            ("M\u{AD}êng Kh\u{AD}¬ng", "Mường Khương"),
            (
                "Thùc hiÖn KÕt luËn 62-KL/TW cña Bé ChÝnh trÞ",
                "Thực hiện Kết luận 62-KL/TW của Bộ Chính trị",
            ),
            (
                "Céng hoµ x· héi chñ nghÜa ViÖt Nam\n§éc lËp - Tù do - H¹nh phóc",
                "Cộng hoà xã hội chủ nghĩa Việt Nam\nĐộc lập - Tự do - Hạnh phúc",
            ),
            // A heading set in .VnTimeH: the toned letters are capitals.
            ("B¸O C¸O S¥ KÕT 5 N¡M", "BÁO CÁO SƠ KẾT 5 NĂM"),
            ("§¶NG Bé TØNH", "ĐẢNG BỘ TỈNH"),
            // A word in capitals inside an ordinary line.
            ("c¬ quan UBND vµ H§ND x·", "cơ quan UBND và HĐND xã"),
            ("theo KÕT LUËN nµy", "theo KẾT LUẬN này"),
            // A sentence that starts on a toned letter.
            (
                "ñy ban nh©n d©n x·. ë c¬ së, §¶ng bé l·nh ®¹o.",
                "Ủy ban nhân dân xã. Ở cơ sở, Đảng bộ lãnh đạo.",
            ),
            ("1. ¦u tiªn:\nñy ban", "1. Ưu tiên:\nỦy ban"),
            // A line wrapped mid-sentence is not a new sentence.
            ("cña\nñy ban", "của\nủy ban"),
            ("", ""),
            ("ASCII only, 100%.", "ASCII only, 100%."),
        ];
        for (legacy, want) in cases {
            assert_eq!(to_unicode(legacy, Legacy::Tcvn3), want, "{legacy:?}");
        }
    }

    #[test]
    fn vni_samples() {
        let cases = [
            ("Ñaûng boä xaõ", "Đảng bộ xã"),
            ("Xin chaøo caùc baïn", "Xin chào các bạn"),
            ("Vieät Nam", "Việt Nam"),
            (
                "COÄNG HOØA XAÕ HOÄI CHUÛ NGHÓA VIEÄT NAM\nÑoäc laäp - Töï do - Haïnh phuùc",
                "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
            ),
            (
                "Thöïc hieän Keát luaän 62-KL/TW cuûa Boä Chính trò",
                "Thực hiện Kết luận 62-KL/TW của Bộ Chính trị",
            ),
            ("Tröôøng hôïp ngöôøi daân", "Trường hợp người dân"),
            (
                "Ñaék Laék, Khuyûu, thuôû, quyeát",
                "Đắk Lắk, Khuỷu, thuở, quyết",
            ),
            ("ÑAÛNG UÛY XAÕ", "ĐẢNG ỦY XÃ"),
            ("", ""),
        ];
        for (legacy, want) in cases {
            assert_eq!(to_unicode(legacy, Legacy::VniWindows), want, "{legacy:?}");
        }
    }

    #[test]
    fn test_encoders_agree_with_the_samples() {
        assert_eq!(to_tcvn3("Đảng bộ xã"), "§¶ng bé x·");
        assert_eq!(to_vni("Đảng bộ xã"), "Ñaûng boä xaõ");
        assert_eq!(to_vni("Trường hợp"), "Tröôøng hôïp");
        assert_eq!(to_vni("NGHĨA"), "NGHÓA");
    }

    #[test]
    fn tcvn3_round_trip_every_letter() {
        for letter in all_letters() {
            // Lowercase: exact (inside a word; a toned letter that starts
            // the text starts a sentence, so it comes back as a capital).
            let encoded = to_tcvn3(&letter);
            assert_eq!(encoded.chars().count(), 1, "{letter}");
            let word = format!("x{letter}");
            assert_eq!(to_unicode(&to_tcvn3(&word), Legacy::Tcvn3), word, "{word}");
            // Capitals: Ă Â Ê Ô Ơ Ư Đ have codes; the toned ones come back
            // as capitals inside a word set in capitals.
            let capital = letter.to_uppercase();
            let word = format!("X{capital}Y");
            assert_eq!(to_unicode(&to_tcvn3(&word), Legacy::Tcvn3), word, "{word}");
            let in_text = format!("x{letter}y X{capital}Y");
            assert_eq!(
                to_unicode(&to_tcvn3(&in_text), Legacy::Tcvn3),
                in_text,
                "{in_text}"
            );
        }
        assert_eq!(to_unicode("µ", Legacy::Tcvn3), "À");
        for capital in ["Ă", "Â", "Ê", "Ô", "Ơ", "Ư", "Đ"] {
            let text = format!("x {capital}x");
            assert_eq!(to_unicode(&to_tcvn3(&text), Legacy::Tcvn3), text);
        }
    }

    #[test]
    fn vni_round_trip_every_letter_in_both_cases() {
        for letter in all_letters() {
            for text in [
                letter.clone(),
                letter.to_uppercase(),
                format!("x{letter}n"),
                format!("X{}N", letter.to_uppercase()),
            ] {
                let encoded = to_vni(&text);
                assert_eq!(
                    to_unicode(&encoded, Legacy::VniWindows),
                    text,
                    "{text} ← {encoded}"
                );
            }
        }
    }

    #[test]
    fn round_trip_of_a_paragraph() {
        let text = "Ủy ban nhân dân tỉnh Đắk Lắk. Ở cơ sở, Đảng bộ xã Tân Phú đã quán \
                    triệt Kết luận 62-KL/TW cho 1.204/1.250 đảng viên (96,3%).\n\n\
                    Ưu tiên: nâng cao nhận thức của cán bộ, hội viên về công tác dân vận.";
        assert_eq!(to_unicode(&to_tcvn3(text), Legacy::Tcvn3), text);
        assert_eq!(to_unicode(&to_vni(text), Legacy::VniWindows), text);
        assert_eq!(detect(&to_tcvn3(text)), Some(Legacy::Tcvn3));
        assert_eq!(detect(&to_vni(text)), Some(Legacy::VniWindows));
    }

    #[test]
    fn detection() {
        assert_eq!(detect("§¶ng bé x·"), Some(Legacy::Tcvn3));
        assert_eq!(
            detect("Thùc hiÖn KÕt luËn 62-KL/TW cña Bé ChÝnh trÞ"),
            Some(Legacy::Tcvn3)
        );
        assert_eq!(detect("B¸O C¸O S¥ KÕT"), Some(Legacy::Tcvn3));
        assert_eq!(detect("Ñaûng boä xaõ"), Some(Legacy::VniWindows));
        assert_eq!(detect("Vieät Nam Ñoäc laäp"), Some(Legacy::VniWindows));
        assert_eq!(detect("TÆnh ñy Ñaék Laék"), Some(Legacy::VniWindows));
        assert_eq!(detect("Xin chaøo caùc baïn"), Some(Legacy::VniWindows));
    }

    #[test]
    fn detection_leaves_ordinary_text_alone() {
        for text in [
            "",
            "Đảng bộ xã",
            "Thực hiện Kết luận 62-KL/TW của Bộ Chính trị",
            "Tôi là ai, hoà, hoá, quá, khoé, quân, tiên, yêu, muôn",
            "The quick brown fox jumps over the lazy dog.",
            "© 2014 Ban Dân vận. All rights reserved.",
            "Schöne Grüße aus Köln, schön und größer.",
            "¡Hola! ¿Qué tal? España, mañana, año.",
            "« Bonjour » dit-il, naïve, Noël.",
            "Price: 5 µm, ½ cup, 20 °C, x² ± 3 × 4 ÷ 2",
            "Ủy ban nhân dân xã",
            // One sign is too little to judge by ("naïve" has one too).
            "x·",
            "Vieät Nam",
            "Michaël naïve",
            "Raúl aún no sabe, héroïne, Israël, Müller, schön",
        ] {
            assert_eq!(detect(text), None, "{text}");
        }
        // Converted text is no longer legacy text.
        assert_eq!(detect(&to_unicode("§¶ng bé x·", Legacy::Tcvn3)), None);
        assert_eq!(
            detect(&to_unicode("Ñaûng boä xaõ", Legacy::VniWindows)),
            None
        );
    }

    #[test]
    fn names() {
        assert_eq!(Legacy::from_name("TCVN3"), Some(Legacy::Tcvn3));
        assert_eq!(Legacy::from_name("vni"), Some(Legacy::VniWindows));
        assert_eq!(Legacy::from_name("utf8"), None);
        for l in [Legacy::Tcvn3, Legacy::VniWindows] {
            assert_eq!(Legacy::from_name(l.name()), Some(l));
        }
    }
}
