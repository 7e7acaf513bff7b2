//! Accent-insensitive matching, ASCII file names and Vietnamese alphabetical
//! order.

use std::cmp::Ordering;
use std::ops::Range;

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

use crate::text::nfc;

/// One character folded: lowercase, marks dropped, đ → d. Works on NFD as
/// well as NFC input (a lone combining mark folds to nothing).
fn fold_char(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    for lower in c.to_lowercase() {
        for d in std::iter::once(lower).nfd() {
            match d {
                'đ' => out.push('d'),
                d if is_combining_mark(d) => {}
                d => out.push(d),
            }
        }
    }
}

/// Text for accent- and case-insensitive comparison: lowercase, diacritics
/// removed, đ → d ("Đảng viên" → "dang vien").
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        fold_char(c, &mut out);
    }
    out
}

/// Every match of `query` in `haystack`, both folded, as byte ranges of the
/// original `haystack` (which may be NFC or NFD), left to right, not
/// overlapping. A match that ends on a letter takes that letter's combining
/// marks with it, so highlighting never splits a letter.
pub fn find_folded(haystack: &str, query: &str) -> Vec<Range<usize>> {
    find_folded_upto(haystack, query, usize::MAX)
}

/// The first match only (search shows one line per answer): the walk back
/// to the original stops there.
pub fn find_folded_first(haystack: &str, query: &str) -> Option<Range<usize>> {
    find_folded_upto(haystack, query, 1).pop()
}

fn find_folded_upto(haystack: &str, query: &str, most: usize) -> Vec<Range<usize>> {
    let needle = fold(query);
    if needle.is_empty() {
        return Vec::new();
    }
    let folded = fold(haystack);
    // Folding changes byte lengths (ệ is 3 bytes, e is 1). Matches come
    // left to right, so one walk over the original text, folding it again
    // character by character, maps folded offsets back to the original:
    // no table per byte (a 30 MB answer would need 480 MB of it).
    let mut walk = Walk {
        chars: haystack.char_indices(),
        scratch: String::new(),
        at: 0..0,
        folded: 0..0,
    };
    let mut hits = Vec::new();
    for (start, m) in folded.match_indices(&needle) {
        if hits.len() == most {
            break;
        }
        let from = walk.char_at(start).start;
        let mut to = walk.char_at(start + m.len() - 1).end;
        to += haystack[to..]
            .chars()
            .take_while(|&c| is_combining_mark(c))
            .map(char::len_utf8)
            .sum::<usize>();
        // A letter that folds to several (rare) can put two matches in one
        // original letter; keep ranges from overlapping.
        if hits
            .last()
            .is_some_and(|last: &Range<usize>| last.end > from)
        {
            continue;
        }
        hits.push(from..to);
    }
    hits
}

/// A cursor over the original text and its folded form, moving forward.
struct Walk<'a> {
    chars: std::str::CharIndices<'a>,
    scratch: String,
    /// The current original character's bytes, and what it folded to.
    at: Range<usize>,
    folded: Range<usize>,
}

impl Walk<'_> {
    /// The original character whose folding holds folded byte `p`; `p`
    /// never goes back.
    fn char_at(&mut self, p: usize) -> Range<usize> {
        while self.folded.end <= p {
            let Some((i, c)) = self.chars.next() else {
                break;
            };
            self.scratch.clear();
            fold_char(c, &mut self.scratch);
            self.at = i..i + c.len_utf8();
            self.folded = self.folded.end..self.folded.end + self.scratch.len();
        }
        self.at.clone()
    }
}

/// The longest file name stem we make, in characters (all ASCII).
const MAX_FILE_NAME: usize = 60;

/// A file name stem safe on FAT32, Windows and every terminal: ASCII letters,
/// digits, `-` and `_` only ("Xã Tân Phú" → "Xa-Tan-Phu", "Đắk Lắk" →
/// "Dak-Lak"), at most 60 characters, never empty, never a name Windows
/// reserves (CON, PRN, AUX, NUL, COM1–9, LPT1–9). The caller adds the
/// extension.
pub fn ascii_file_name(s: &str) -> String {
    let mut name = String::with_capacity(s.len());
    for c in nfc(s).chars() {
        let ascii = match c {
            'đ' => 'd',
            'Đ' => 'D',
            c => std::iter::once(c)
                .nfd()
                .find(|d| !is_combining_mark(*d))
                .filter(|d| d.is_ascii_alphanumeric() || matches!(d, '-' | '_'))
                .unwrap_or('-'),
        };
        if !(ascii == '-' && name.ends_with('-')) {
            name.push(ascii);
        }
    }
    let mut name: String = name.trim_matches('-').chars().take(MAX_FILE_NAME).collect();
    while name.ends_with('-') {
        name.pop();
    }
    if name.is_empty() {
        name = crate::i18n::tr("khong-ten", "unnamed").to_string();
    }
    if is_windows_reserved(&name) {
        name.push('_');
    }
    name
}

fn is_windows_reserved(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    match upper.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" => true,
        _ => {
            let (head, digit) = upper.split_at(upper.len().saturating_sub(1));
            matches!(head, "COM" | "LPT") && digit.bytes().all(|b| b.is_ascii_digit())
        }
    }
}

/// The Vietnamese alphabet: a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t
/// u ư v x y, with the loan letters f j w z where the Latin alphabet has them.
const ALPHABET: &[&str] = &[
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o",
    "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
];

/// One unit of a word in sort order: numbers before letters, and numbers by
/// value (so "Tổ 2" comes before "Tổ 10").
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Unit {
    /// Digits without leading zeros: longer is larger, then digit by digit.
    Number(usize, String),
    Letter(u32),
}

/// A word: its letters first, then its tones (one per letter; 0 for none).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct WordKey {
    units: Vec<Unit>,
    tones: Vec<u8>,
}

/// A sort key for Vietnamese alphabetical order; see [`sort_key`].
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SortKey {
    words: Vec<WordKey>,
    /// Lowercase before capitals, letter by letter, when all else is equal.
    capitals: Vec<bool>,
    /// The text itself (NFC), so that only equal texts compare equal.
    text: String,
}

/// The key that sorts text in Vietnamese dictionary order: word by word,
/// each word by its letters in the Vietnamese alphabet (ă after a, đ after d,
/// ơ after ô …), then by its tones in the order ngang, huyền, hỏi, ngã, sắc,
/// nặng; case-insensitive, with lowercase first and then the text itself as
/// tie-breaks so the order is total and stable. Punctuation separates words
/// and is otherwise ignored; digit runs compare as numbers.
pub fn sort_key(s: &str) -> SortKey {
    let text = nfc(s);
    let mut words = Vec::new();
    let mut capitals = Vec::new();
    let mut current = WordKey {
        units: Vec::new(),
        tones: Vec::new(),
    };
    let mut digits = String::new();
    let flush_digits = |digits: &mut String, word: &mut WordKey| {
        if !digits.is_empty() {
            let value = digits.trim_start_matches('0').to_string();
            word.units.push(Unit::Number(value.len(), value));
            word.tones.push(0);
            digits.clear();
        }
    };
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits.push(c);
            continue;
        }
        flush_digits(&mut digits, &mut current);
        if c.is_alphabetic() {
            let (rank, tone) = letter_rank(c);
            current.units.push(Unit::Letter(rank));
            current.tones.push(tone);
            capitals.push(c.is_uppercase());
        } else if !is_combining_mark(c) && !current.units.is_empty() {
            words.push(std::mem::replace(
                &mut current,
                WordKey {
                    units: Vec::new(),
                    tones: Vec::new(),
                },
            ));
        }
    }
    flush_digits(&mut digits, &mut current);
    if !current.units.is_empty() {
        words.push(current);
    }
    SortKey {
        words,
        capitals,
        text,
    }
}

/// Compares two texts in Vietnamese alphabetical order (see [`sort_key`]).
pub fn cmp_vi(a: &str, b: &str) -> Ordering {
    sort_key(a).cmp(&sort_key(b))
}

/// A letter's place in the alphabet and its tone (0 ngang, 1 huyền, 2 hỏi,
/// 3 ngã, 4 sắc, 5 nặng).
fn letter_rank(c: char) -> (u32, u8) {
    let mut base = String::new();
    let mut tone = 0;
    for d in c.to_lowercase().nfd() {
        match d {
            '\u{300}' => tone = 1,
            '\u{309}' => tone = 2,
            '\u{303}' => tone = 3,
            '\u{301}' => tone = 4,
            '\u{323}' => tone = 5,
            // Letter marks (ă â ê ô ơ ư) stay with the letter.
            '\u{306}' | '\u{302}' | '\u{31B}' => base.push(d),
            d if is_combining_mark(d) => {}
            d => base.push(d),
        }
    }
    let base: String = base.nfc().collect();
    let rank = match ALPHABET.iter().position(|l| *l == base) {
        Some(i) => i as u32,
        // Letters outside the alphabet sort after it, by their base letter.
        None => {
            let first = base.chars().find(|c| !is_combining_mark(*c)).unwrap_or(c);
            match ALPHABET.iter().position(|l| l.starts_with(first)) {
                Some(i) => i as u32,
                None => ALPHABET.len() as u32 + first as u32,
            }
        }
    };
    (rank, tone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding() {
        assert_eq!(fold("Đảng viên"), "dang vien");
        assert_eq!(fold("QUÁN TRIỆT"), "quan triet");
        assert_eq!(fold("quán triệt"), fold("quan triet"));
        assert_eq!(fold("Nguyễn Thị Ánh Tuyết"), "nguyen thi anh tuyet");
        assert_eq!(fold("ă â ê ô ơ ư đ Đ"), "a a e o o u d d");
        assert_eq!(fold("Ỷ Ỵ ỹ"), "y y y");
        // Decomposed input (q u a ◌́ n) folds the same.
        assert_eq!(fold("qua\u{301}n trie\u{323}\u{302}t"), "quan triet");
        assert_eq!(fold("82,7% — 1.204"), "82,7% — 1.204");
        assert_eq!(fold(""), "");
    }

    fn slices<'a>(haystack: &'a str, query: &str) -> Vec<&'a str> {
        find_folded(haystack, query)
            .into_iter()
            .map(|r| &haystack[r])
            .collect()
    }

    #[test]
    fn matches_map_back_to_the_original_text() {
        let text = "Công tác quán triệt Kết luận; Đảng viên và đảng viên dự bị.";
        assert_eq!(slices(text, "quan triet"), ["quán triệt"]);
        assert_eq!(slices(text, "dang vien"), ["Đảng viên", "đảng viên"]);
        assert_eq!(slices(text, "ĐẢNG VIÊN"), ["Đảng viên", "đảng viên"]);
        assert_eq!(slices(text, "ket luan;"), ["Kết luận;"]);
        assert_eq!(slices(text, "du bi."), ["dự bị."]);
        assert_eq!(slices(text, "cong"), ["Công"]);
        assert!(find_folded(text, "khong co").is_empty());
        assert!(find_folded(text, "").is_empty());
        // Byte positions, not character positions: "Công" is 5 bytes.
        assert_eq!(find_folded(text, "tac"), vec![6..10]);
    }

    #[test]
    fn matches_in_decomposed_text_keep_their_marks() {
        let text = "Ba\u{300}n qua\u{301}n trie\u{323}\u{302}t xong";
        let hits = slices(text, "quan triet");
        assert_eq!(hits, ["qua\u{301}n trie\u{323}\u{302}t"]);
        // A match ending on a marked letter takes the marks along.
        assert_eq!(slices(text, "ban"), ["Ba\u{300}n"]);
        assert_eq!(slices(text, "trie"), ["trie\u{323}\u{302}"]);
    }

    #[test]
    fn matches_do_not_overlap() {
        assert_eq!(find_folded("aaa", "aa"), vec![0..2]);
        assert_eq!(find_folded("ÂÂÂÂ", "aa"), vec![0..4, 4..8]);
    }

    #[test]
    fn file_names() {
        let cases = [
            ("Xã Tân Phú", "Xa-Tan-Phu"),
            ("Đắk Lắk", "Dak-Lak"),
            ("Huyện Đắk R'Lấp", "Huyen-Dak-R-Lap"),
            ("Phường 10, Quận 3", "Phuong-10-Quan-3"),
            (
                "Đảng ủy Khối Doanh nghiệp tỉnh",
                "Dang-uy-Khoi-Doanh-nghiep-tinh",
            ),
            ("  --Ủy ban--  ", "Uy-ban"),
            ("a/b\\c:d*e?f\"g<h>i|j", "a-b-c-d-e-f-g-h-i-j"),
            ("../../etc/passwd", "etc-passwd"),
            ("Xã\u{0}\u{1b}[31mTân\n\r\t", "Xa-31mTan"),
            ("báo_cáo-2014", "bao_cao-2014"),
            ("Tổng hợp.v1.baocao", "Tong-hop-v1-baocao"),
            ("CON", "CON_"),
            ("con", "con_"),
            ("Nul", "Nul_"),
            ("COM1", "COM1_"),
            ("lpt9", "lpt9_"),
            ("AUX", "AUX_"),
            ("PRN", "PRN_"),
            ("COM", "COM"),
            ("CONSOLE", "CONSOLE"),
            ("COM10", "COM10"),
            ("北京", "khong-ten"),
            ("???", "khong-ten"),
            ("", "khong-ten"),
        ];
        crate::i18n::set_thread_lang(Some(crate::i18n::Lang::Vi));
        for (input, want) in cases {
            assert_eq!(ascii_file_name(input), want, "{input:?}");
        }
    }

    #[test]
    fn file_names_are_short_and_plain() {
        let long = "Ban Chấp hành Đảng bộ xã Tân Phú, huyện Đồng Phú, tỉnh Bình Phước khoá XII";
        let name = ascii_file_name(long);
        assert!(name.len() <= 60, "{name}");
        assert_eq!(
            name,
            "Ban-Chap-hanh-Dang-bo-xa-Tan-Phu-huyen-Dong-Phu-tinh-Binh-Ph"
        );
        // Cut at 60 and then the dash it ends on is dropped.
        let name = ascii_file_name(&format!("{} b", "a".repeat(59)));
        assert_eq!(name, "a".repeat(59));
        for s in [long, "Đắk Lắk", "x\u{7f}y", "ÀÁẢÃẠ ăằắẳẵặ"] {
            let name = ascii_file_name(s);
            assert!(!name.is_empty());
            assert!(
                name.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                "{name}"
            );
            assert!(!name.starts_with('-') && !name.ends_with('-') && !name.contains("--"));
        }
    }

    fn sorted(list: &[&str]) -> Vec<String> {
        let mut v: Vec<String> = list.iter().map(|s| s.to_string()).collect();
        v.sort_by(|a, b| cmp_vi(a, b));
        v
    }

    #[test]
    fn vietnamese_alphabetical_order() {
        // a < â (An, Ân, Ấp: the letters decide before the tone, and n < p);
        // b; d < đ (Dương before Đông); ô < ơ; "Ô" is a prefix of "Ốc".
        assert_eq!(
            sorted(&["Bình", "Ân", "An", "Ấp", "Đông", "Dương", "Ơn", "Ô", "Ốc"]),
            ["An", "Ân", "Ấp", "Bình", "Dương", "Đông", "Ô", "Ốc", "Ơn"]
        );
        // Tones after the letters: ngang, huyền, hỏi, ngã, sắc, nặng; a
        // longer word with the same start comes after all of them.
        assert_eq!(
            sorted(&["bạ", "bác", "bá", "bã", "bả", "bà", "ba"]),
            ["ba", "bà", "bả", "bã", "bá", "bạ", "bác"]
        );
        // a ă â; d đ; u ư.
        assert_eq!(sorted(&["ân", "ăn", "an", "ai"]), ["ai", "an", "ăn", "ân"]);
        assert_eq!(sorted(&["đa", "dưa", "duy"]), ["duy", "dưa", "đa"]);
        // Word by word: the first word's tone decides before the next word.
        assert_eq!(sorted(&["bà an", "ba xã"]), ["ba xã", "bà an"]);
    }

    #[test]
    fn unit_lists_sort_as_people_expect() {
        assert_eq!(
            sorted(&[
                "Xã Tân Phú",
                "Phường 10",
                "Xã Tân An",
                "Phường 9",
                "Thị trấn Ea Kar",
                "xã Đồng Tiến",
                "Xã Đông Hà",
            ]),
            [
                "Phường 9",
                "Phường 10",
                "Thị trấn Ea Kar",
                "Xã Đông Hà",
                "xã Đồng Tiến",
                "Xã Tân An",
                "Xã Tân Phú",
            ]
        );
    }

    #[test]
    fn ties_are_broken_stably() {
        // Case-insensitive first, lowercase before capitals when equal.
        assert_eq!(sorted(&["An", "an", "AN"]), ["an", "An", "AN"]);
        // NFC and NFD spellings are the same text.
        assert_eq!(cmp_vi("qua\u{301}n", "quán"), Ordering::Equal);
        assert_ne!(cmp_vi("Tân-Phú", "Tân Phú"), Ordering::Equal);
        assert_eq!(sort_key("Tân Phú"), sort_key("Ta\u{302}n Phu\u{301}"));
        let mut list = vec!["b", "a", "B", "á", "A"];
        list.sort_by_key(|s| sort_key(s));
        assert_eq!(list, ["a", "A", "á", "b", "B"]);
    }
}
