//! The built-in Vietnamese input method (Telex and VNI) for machines with no
//! system input method, such as the Linux console.
//!
//! The tone and letter rules come from the maintained `vi` crate (its
//! `Syllable`, `add_tone`, `modify_letter`, tone placement); this module only
//! makes it stateless for an editor that has the text but not the keystrokes,
//! and adds the checks that keep non-Vietnamese words as typed:
//!
//! * the editor gives the word before the cursor and one key; the engine
//!   rewrites the word or says "insert the key as is" ([`apply`]);
//! * only plain ASCII keys are transformed, so a system input method (Unikey,
//!   ibus) sending "ệ" passes through untouched when both are on;
//! * a key changes a word only when the word is, and stays, a possible
//!   Vietnamese syllable (see [`is_syllable_prefix`]); otherwise the key is
//!   inserted as typed, as Unikey's spelling check does;
//! * typing a mark key twice undoes the mark and keeps the key: Telex `ass` →
//!   `as`, `ddd` → `dd`; VNI `a11` → `a1`.
//!
//! Where this differs from the `vi` crate alone (its own `IncrementalBuffer`
//! keeps the raw keys, which an editor with cursor movement and paste cannot):
//! * `Đắk`, `Lắk`, `Búk`: the crate refuses a final `k`; these Central
//!   Highlands place names are written with it, so it is allowed here;
//! * `Windows`: the crate gives `Uindows`; here a leading `ư` made by `w` goes
//!   back to `w` as soon as the word can no longer be Vietnamese;
//! * `NGUYEENX`: the crate places tones by lowercase letters only and gives
//!   `NGUỸÊN`; here the engine works in lowercase and puts capitals back;
//! * `ww` → `w` and `trww` → `trw` as in the crate, but since the engine has no
//!   memory, `truww` also gives `trw` (the crate: `truw`).
//!
//! And it gets out of the way where our users' texts need it ([`rewrite`]):
//! * a document code is never transformed: a word with a digit (`62-KL/TW`,
//!   `123-KH/TU`), or with a `/` after capitals only (`CV/TU`, `ĐU/UBND`);
//!   only its capital Đ is still made (`12-NQ/DDU` → `12-NQ/ĐU`), and
//!   `và/hoặc` is still typed as Vietnamese;
//! * in an abbreviation in capitals the đ key still makes `Đ` (`VPDDU` →
//!   `VPĐU`, `HDDND` → `HĐND`), and typed again gives `DD` back;
//! * which style of tone placement a text uses can be read from it
//!   ([`ToneStyle::of_text`]), so typing follows the outline's own.

use ::vi::processor::{
    AccentStyle, LetterModification, ToneMark, Transformation, add_tone, modify_letter, remove_tone,
};
use ::vi::{Action, Definition, Syllable};
use unicode_normalization::UnicodeNormalization;

use crate::text::nfc;

/// Which keys the built-in input method reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// `s f r x j` tones, `aa ee oo aw ow uw dd` letters, `z` removes the tone.
    Telex,
    /// `1`–`5` tones, `6 7 8 9` letters, `0` removes the tone.
    Vni,
    /// Keys go in as typed (a system input method may still be on).
    Off,
}

impl Method {
    /// The next method for the F2 key: Telex → VNI → off → Telex.
    pub fn next(self) -> Method {
        match self {
            Method::Telex => Method::Vni,
            Method::Vni => Method::Off,
            Method::Off => Method::Telex,
        }
    }

    /// The name shown in the title bar.
    pub fn label(self) -> &'static str {
        match self {
            Method::Telex => "Telex",
            Method::Vni => "VNI",
            Method::Off => crate::i18n::tr("Tắt", "Off"),
        }
    }
}

/// Where the tone mark goes in `oa`, `oe`, `uy` without a final consonant.
///
/// The names follow the documents our users copy, not Unikey's menu: Unikey
/// calls `hoà` its "new" style (kiểu mới) and `hòa` the "old" one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ToneStyle {
    /// `hoà`, `thuý`, `khoẻ`: the mark on the main vowel, as in the official
    /// documents the offices keep. The default.
    #[default]
    Old,
    /// `hòa`, `thúy`, `khỏe`.
    New,
}

impl ToneStyle {
    /// The style `texts` write their marks in, judged on the syllables
    /// where the two differ (`oa`, `oe`, `uy` with no final consonant:
    /// hóa/hoá, khỏe/khoẻ, thủy/thuỷ, ủy/uỷ), the more frequent one;
    /// `None` when no such syllable has a tone or both are as frequent.
    pub fn of_text<'a>(texts: impl IntoIterator<Item = &'a str>) -> Option<ToneStyle> {
        let (mut old, mut new) = (0usize, 0usize);
        for text in texts {
            let text = nfc(text);
            for word in text.split(|c: char| !is_word_char(c)) {
                match style_of_word(word) {
                    Some(ToneStyle::Old) => old += 1,
                    Some(ToneStyle::New) => new += 1,
                    None => {}
                }
            }
        }
        match old.cmp(&new) {
            std::cmp::Ordering::Greater => Some(ToneStyle::Old),
            std::cmp::Ordering::Less => Some(ToneStyle::New),
            std::cmp::Ordering::Equal => None,
        }
    }

    fn accent_style(self) -> AccentStyle {
        // The `vi` crate names the two styles the other way round.
        match self {
            ToneStyle::Old => AccentStyle::New,
            ToneStyle::New => AccentStyle::Old,
        }
    }
}

/// The style one word is written in, when it shows one: a tone on the `o`
/// of `oa`, `oe` or the `u` of `uy` ending the word is the new style
/// (hóa, ủy), on the letter after it the old one (hoá, uỷ). `qu` is a
/// consonant (quý, quá: the same in both).
fn style_of_word(word: &str) -> Option<ToneStyle> {
    let chars: Vec<char> = word.chars().collect();
    let n = chars.len();
    if n < 2 {
        return None;
    }
    let (first, second) = (chars[n - 2], chars[n - 1]);
    let pair = [base_letter(first), base_letter(second)];
    if !matches!(pair, ['o', 'a'] | ['o', 'e'] | ['u', 'y']) {
        return None;
    }
    if let Some(&before) = n.checked_sub(3).and_then(|i| chars.get(i))
        && (is_vowel_letter(before) || (pair[0] == 'u' && base_letter(before) == 'q'))
    {
        return None;
    }
    // A mark other than the tone (ô, ơ, ư, ă) makes it another rhyme.
    if base_with_marks(first).0 != Some(pair[0].to_ascii_lowercase())
        && base_with_marks(first).0 != Some(pair[0].to_ascii_uppercase())
    {
        return None;
    }
    match (tone_of(first), tone_of(second)) {
        (Some(_), None) => Some(ToneStyle::New),
        (None, Some(_)) => Some(ToneStyle::Old),
        _ => None,
    }
}

/// The word before the cursor that the engine may rewrite: the trailing run
/// of letters (Vietnamese letters and stray combining marks included) of
/// `line_before_cursor`.
pub fn word_before(line_before_cursor: &str) -> &str {
    let start = line_before_cursor
        .char_indices()
        .rev()
        .take_while(|&(_, c)| is_word_char(c))
        .last()
        .map_or(line_before_cursor.len(), |(i, _)| i);
    &line_before_cursor[start..]
}

fn is_word_char(c: char) -> bool {
    c.is_alphabetic() || unicode_normalization::char::is_combining_mark(c)
}

/// Whether `c` is a letter only an input method makes: a Vietnamese letter
/// with a mark (ă â đ ê ô ơ ư, or a tone), or a tone mark sent by itself.
/// Arriving from the keyboard, it says a system input method (Unikey,
/// ibus, a Vietnamese keyboard layout) is on.
pub fn is_composed(c: char) -> bool {
    !c.is_ascii() && (is_vi_letter(c) || unicode_normalization::char::is_combining_mark(c))
}

/// Whether `c` ends the word being typed (a space, punctuation, a digit).
pub fn ends_word(c: char) -> bool {
    !is_word_char(c)
}

/// The run of characters up to the cursor with no space in it:
/// `62-KL/TW` in "Kết luận số 62-KL/TW".
fn token_before(line_before_cursor: &str) -> &str {
    let start = line_before_cursor
        .char_indices()
        .rev()
        .take_while(|&(_, c)| !c.is_whitespace())
        .last()
        .map_or(line_before_cursor.len(), |(i, _)| i);
    &line_before_cursor[start..]
}

/// A document code, never transformed: a digit in it (`62-KL/TW`,
/// `123-KH/TU`, `2tr`), or a `/` with no small letter before it (`CV/TU`,
/// `ĐU/UBND`). Words joined by `/` (`và/hoặc`) are not codes.
pub fn is_code(token: &str) -> bool {
    if token.chars().any(|c| c.is_ascii_digit()) {
        return true;
    }
    match token.rfind('/') {
        Some(slash) => !token[..slash].chars().any(char::is_lowercase),
        None => false,
    }
}

/// What `key` typed at the end of `line_before_cursor` (the line up to the
/// cursor) does: the new text for [`word_before`]`(line_before_cursor)`, or
/// `None` to insert the key as is. [`apply`], except that a document code
/// ([`is_code`]) is left as typed but for its capital Đ.
///
/// ```
/// use baocao::vi::ime::{rewrite, word_before, Method, ToneStyle};
/// let mut line = String::new();
/// for key in "CV/TU 62-KL/TW Vieejt".chars() {
///     match rewrite(Method::Telex, ToneStyle::Old, &line, key) {
///         Some(new) => {
///             let keep = line.len() - word_before(&line).len();
///             line = format!("{}{new}", &line[..keep]);
///         }
///         None => line.push(key),
///     }
/// }
/// assert_eq!(line, "CV/TU 62-KL/TW Việt");
/// ```
pub fn rewrite(
    method: Method,
    style: ToneStyle,
    line_before_cursor: &str,
    key: char,
) -> Option<String> {
    let word = word_before(line_before_cursor);
    if is_code(token_before(line_before_cursor)) {
        // Only the capital Đ of codes such as 12-NQ/ĐU.
        let definition = definition_of(method)?;
        return capital_d(definition, &nfc(word), key, true);
    }
    apply(method, style, word, key)
}

fn definition_of(method: Method) -> Option<&'static Definition> {
    match method {
        Method::Off => None,
        Method::Telex => Some(&::vi::TELEX),
        Method::Vni => Some(&::vi::VNI),
    }
}

/// Given the word currently before the cursor (as the editor has it, already
/// transformed, e.g. "nghiê") and one typed key, returns the new word to put
/// in its place (NFC), or `None` when the key is not for the engine: then the
/// editor inserts the key as is.
///
/// An editor feeds keys like this:
/// ```
/// use baocao::vi::ime::{apply, word_before, Method, ToneStyle};
/// let mut line = String::new();
/// for key in "Vieejt".chars() {
///     let word = word_before(&line);
///     match apply(Method::Telex, ToneStyle::Old, word, key) {
///         Some(new) => line = format!("{}{new}", &line[..line.len() - word.len()]),
///         None => line.push(key),
///     }
/// }
/// assert_eq!(line, "Việt");
/// ```
pub fn apply(method: Method, style: ToneStyle, word_before: &str, key: char) -> Option<String> {
    let definition = definition_of(method)?;
    // Only plain ASCII keys: a system input method's "ệ" goes in untouched.
    if !key.is_ascii_alphanumeric() {
        return None;
    }
    let word = nfc(word_before);
    if !word.chars().all(is_vi_letter) {
        return None;
    }
    if let Some(new) = capital_d(definition, &word, key, false) {
        return Some(new);
    }
    // The engine works in lowercase (the `vi` crate misplaces tones in
    // capitals: NGUYÊN + x gave NGUỸÊN); capitals are put back by position.
    let capitals: Vec<bool> = word.chars().map(char::is_uppercase).collect();
    let lower_word = word.to_lowercase();
    let lower_key = key.to_ascii_lowercase();
    let new = match definition.get(&lower_key) {
        Some(actions) => engine_key(definition, actions, style, &lower_word, lower_key),
        None if key.is_ascii_alphabetic() => {
            plain_letter(definition, style, &lower_word, lower_key)
        }
        None => None,
    }?;
    let new: String = nfc(&new)
        .chars()
        .enumerate()
        .map(|(i, c)| {
            let upper = capitals.get(i).copied().unwrap_or(key.is_ascii_uppercase());
            if upper { to_upper(c) } else { c }
        })
        .collect();
    let typed = format!("{word_before}{key}");
    (new != typed).then_some(new)
}

/// `VPD` + `D` → `VPĐ`, `HD` + `D` → `HĐ`: in an abbreviation in capitals,
/// which is no syllable, the đ key after a single `D` still makes `Đ`; the
/// key again gives `DD` back (`VPĐ` + `D` → `VPDD`), as `ddd` → `dd` does.
/// In a document code (`in_code`) also a `D` alone: `12-NQ/D` + `D` →
/// `12-NQ/Đ`.
fn capital_d(definition: &Definition, word: &str, key: char, in_code: bool) -> Option<String> {
    let makes_d = definition
        .get(&key.to_ascii_lowercase())
        .is_some_and(|actions| actions.contains(&Action::ModifyLetter(LetterModification::Dyet)));
    if !makes_d || key.is_ascii_lowercase() {
        return None;
    }
    let chars: Vec<char> = word.chars().collect();
    let n = chars.len();
    if n < if in_code { 1 } else { 2 } || (!in_code && is_syllable_prefix(word)) {
        return None;
    }
    if !chars.iter().all(|c| c.is_ascii_uppercase() || *c == 'Đ') {
        return None;
    }
    let head: String = chars[..n - 1].iter().collect();
    let before = n.checked_sub(2).map(|i| chars[i]);
    match (before, chars[n - 1]) {
        (Some('D' | 'Đ'), 'D') => None,
        (_, 'D') => Some(format!("{head}Đ")),
        (_, 'Đ') => Some(format!("{head}D{key}")),
        _ => None,
    }
}

/// Every Vietnamese letter has a one-letter capital.
fn to_upper(c: char) -> char {
    let mut upper = c.to_uppercase();
    match (upper.next(), upper.next()) {
        (Some(u), None) => u,
        _ => c,
    }
}

/// A key the method defines (a tone, a letter mark, `z`/`0`, Telex `w`).
fn engine_key(
    definition: &Definition,
    actions: &[Action],
    style: ToneStyle,
    word: &str,
    key: char,
) -> Option<String> {
    if word.is_empty() {
        // Telex `w` alone is `ư`; nothing else applies to an empty word.
        return actions.contains(&Action::InsertƯ).then(|| "ư".to_string());
    }
    if !is_syllable_prefix(word) {
        return restore_leading_u(definition, word, key);
    }
    let mut syllable = Syllable::new(word);
    syllable.accent_style = style.accent_style();

    let mut outcome = Transformation::Ignored;
    let mut chosen = None;
    for action in actions {
        outcome = match action {
            Action::AddTonemark(mark) => add_tone(&mut syllable, mark),
            Action::ModifyLetter(modification) => modify_letter(&mut syllable, modification),
            Action::ModifyLetterOnCharacterFamily(modification, family)
                if syllable.vowel.to_ascii_lowercase().contains(*family) =>
            {
                modify_letter(&mut syllable, modification)
            }
            Action::RemoveToneMark => remove_tone(&mut syllable),
            Action::InsertƯ if syllable.vowel.is_empty() || word == "gi" => {
                return Some(format!("{word}ư"));
            }
            // Without the key history, a lone trailing `ư` after consonants
            // is taken as the one `w` made: a second `w` gives the letter w.
            Action::ResetInsertedƯ if is_inserted_u(word) => {
                let mut chars: Vec<char> = word.chars().collect();
                chars.pop();
                return Some(chars.into_iter().chain([key]).collect());
            }
            _ => Transformation::Ignored,
        };
        if outcome != Transformation::Ignored {
            chosen = Some(action);
            break;
        }
    }

    match outcome {
        // Nothing applies: the key is an ordinary letter here (Telex `a` in
        // "ba"), which may still complete a horn pair (thuơn → thươn).
        Transformation::Ignored => plain_letter(definition, style, word, key),
        // The same mark typed again: undone, and the key kept as a letter.
        Transformation::LetterModificationRemoved => {
            syllable.push(key);
            Some(syllable.to_string())
        }
        Transformation::ToneMarkRemoved if chosen != Some(&Action::RemoveToneMark) => {
            syllable.push(key);
            Some(syllable.to_string())
        }
        _ => {
            let new = syllable.to_string();
            is_syllable_prefix(&new).then_some(new)
        }
    }
}

/// A letter the method does not define. Usually it goes in as typed; the
/// engine steps in only to finish a horn pair (ngưo + i → ngươi, thuơ + n →
/// thươn) or to undo a leading `ư` that made the word non-Vietnamese.
fn plain_letter(
    definition: &Definition,
    style: ToneStyle,
    word: &str,
    key: char,
) -> Option<String> {
    let typed = format!("{word}{key}");
    if !is_syllable_prefix(&typed) {
        return restore_leading_u(definition, word, key);
    }
    if word.is_ascii() {
        return None;
    }
    let mut syllable = Syllable::new(word);
    syllable.accent_style = style.accent_style();
    syllable.push(key);
    let new = syllable.to_string();
    is_syllable_prefix(&new).then_some(new)
}

/// "Windows", "Wifi": the first `W` became `Ư`; once the word cannot be
/// Vietnamese, give the `W` back, with the tone key that was typed if the
/// tone was the only other change (Ừi + i → Wifi).
fn restore_leading_u(definition: &Definition, word: &str, key: char) -> Option<String> {
    // Only a method where a key alone makes ư (Telex `w`) has one to give
    // back.
    let w = definition
        .entries()
        .find(|(_, actions)| actions.contains(&Action::InsertƯ))
        .map(|(k, _)| *k)?;
    let mut chars = word.chars();
    let first = chars.next()?;
    if base_with_marks(first).0 != Some('ư') {
        return None;
    }
    let mut rest = String::new();
    let mut tone = tone_of(first);
    for c in chars {
        match base_with_marks(c) {
            _ if c.is_ascii_alphabetic() => rest.push(c),
            (Some(base), Some(t)) if base.is_ascii_alphabetic() && tone.is_none() => {
                rest.push(base);
                tone = Some(t);
            }
            _ => return None,
        }
    }
    if let Some(tone) = tone {
        let tone_key = definition
            .entries()
            .find(|(_, actions)| actions.contains(&Action::AddTonemark(tone.mark())))
            .map(|(k, _)| *k)?;
        rest.push(tone_key);
    }
    Some(format!("{w}{rest}{key}"))
}

/// A letter split into its letter (ư keeps its horn) and its tone.
fn base_with_marks(c: char) -> (Option<char>, Option<Tone>) {
    let tone = tone_of(c);
    let base = c
        .to_string()
        .nfd()
        .filter(|m| !matches!(m, '\u{300}' | '\u{309}' | '\u{303}' | '\u{301}' | '\u{323}'))
        .nfc()
        .collect::<String>();
    let mut it = base.chars();
    match (it.next(), it.next()) {
        (Some(b), None) => (Some(b), tone),
        _ => (None, tone),
    }
}

/// The word ends in an `ư` with only consonants before it: the shape a lone
/// Telex `w` leaves.
fn is_inserted_u(word: &str) -> bool {
    let mut chars: Vec<char> = word.chars().collect();
    chars.pop() == Some('ư') && chars.iter().all(|c| !is_vowel_letter(*c))
}

fn is_vowel_letter(c: char) -> bool {
    matches!(base_letter(c), 'a' | 'e' | 'i' | 'o' | 'u' | 'y')
}

/// A letter of the Vietnamese alphabet, any case, with any marks (plus the
/// ASCII letters f, j, w, z that loan words use).
pub(crate) fn is_vi_letter(c: char) -> bool {
    c.is_ascii_alphabetic() || ::vi::util::clean_char(c) != c
}

/// The ASCII letter under all marks, lowercase (đ → d).
fn base_letter(c: char) -> char {
    ::vi::util::clean_char(c).to_ascii_lowercase()
}

/// Initial consonants: the standard ones, and the l/r clusters of Central
/// Highlands place names (Krông, Chư Prông, Đắk Glong, Đrắk).
const INITIALS: &[&str] = &[
    "", "b", "c", "ch", "d", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh", "nh",
    "p", "ph", "q", "qu", "r", "s", "t", "th", "tr", "v", "x", "bl", "br", "dr", "gl", "gr", "kl",
    "kr", "pl", "pr",
];

/// Every rhyme (vần) of standard Vietnamese, plus the final `k` of Central
/// Highlands place names (Đắk Lắk, Krông Búk). Written with their marks for
/// the reader; compared without them.
const RHYMES: &[&str] = &[
    "a", "ac", "ach", "ai", "am", "an", "ang", "anh", "ao", "ap", "at", "au", "ay", "ak", //
    "ăc", "ăm", "ăn", "ăng", "ăp", "ăt", "ăk", //
    "âc", "âm", "ân", "âng", "âp", "ât", "âu", "ây", //
    "e", "ec", "em", "en", "eng", "eo", "ep", "et", "ek", //
    "ê", "êch", "êm", "ên", "ênh", "êp", "êt", "êu", "êk", //
    "i", "ia", "ich", "im", "in", "inh", "ip", "it", "iu", "iêc", "iêm", "iên", "iêng", "iêp",
    "iêt", "iêu", //
    "o", "oc", "oi", "om", "on", "ong", "op", "ot", "ooc", "oong", "ok", //
    "oa", "oac", "oach", "oai", "oam", "oan", "oang", "oanh", "oao", "oap", "oat", "oay", "oăc",
    "oăm", "oăn", "oăng", "oăt", "oe", "oem", "oen", "oeo", "oet", //
    "ô", "ôc", "ôi", "ôm", "ôn", "ông", "ôp", "ôt", "ôk", //
    "ơ", "ơi", "ơm", "ơn", "ơp", "ơt", //
    "u", "uc", "ui", "um", "un", "ung", "up", "ut", "uk", "ua", "uân", "uâng", "uât", "uây", "uê",
    "uêch", "uênh", "uy", "uya", "uych", "uyên", "uyêt", "uynh", "uyt", "uyu", "uơ", "uôc", "uôi",
    "uôm", "uôn", "uông", "uôt", //
    "ư", "ưa", "ưc", "ưi", "ưm", "ưn", "ưng", "ưt", "ưu", "ươc", "ươi", "ươm", "ươn", "ương",
    "ươp", "ươt", "ươu", //
    "y", "yêm", "yên", "yêng", "yêt", "yêu",
];

/// Whether `word` is a Vietnamese syllable or the start of one, judged on its
/// letters without marks, plus one tone rule: a syllable ending in c, ch, p,
/// t or k takes only sắc or nặng (so "càt" is refused, as Unikey does).
pub fn is_syllable_prefix(word: &str) -> bool {
    let word = nfc(word);
    if word.is_empty() || !word.chars().all(is_vi_letter) {
        return false;
    }
    let bare: String = word.chars().map(base_letter).collect();
    let tones: Vec<Tone> = word.chars().filter_map(tone_of).collect();
    if tones.len() > 1 {
        return false;
    }
    let stop_ok = |rhyme: &str| {
        let stops = ["c", "ch", "p", "t", "k"];
        !matches!(tones.first(), Some(Tone::Grave | Tone::Hook | Tone::Tilde))
            || !stops.iter().any(|s| rhyme.ends_with(s))
    };
    INITIALS.iter().any(|initial| {
        let Some(rhyme) = bare.strip_prefix(initial) else {
            return false;
        };
        if rhyme.is_empty() {
            // Consonants alone may still grow into a syllable; a tone needs
            // a vowel to sit on.
            return tones.is_empty();
        }
        stop_ok(rhyme) && rhymes_bare().iter().any(|r| r.starts_with(rhyme))
    })
}

fn rhymes_bare() -> &'static [String] {
    static BARE: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    BARE.get_or_init(|| {
        RHYMES
            .iter()
            .map(|r| r.chars().map(base_letter).collect())
            .collect()
    })
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tone {
    Grave,
    Hook,
    Tilde,
    Acute,
    Dot,
}

impl Tone {
    fn mark(self) -> ToneMark {
        match self {
            Tone::Grave => ToneMark::Grave,
            Tone::Hook => ToneMark::HookAbove,
            Tone::Tilde => ToneMark::Tilde,
            Tone::Acute => ToneMark::Acute,
            Tone::Dot => ToneMark::Underdot,
        }
    }
}

fn tone_of(c: char) -> Option<Tone> {
    c.to_string().nfd().find_map(|m| match m {
        '\u{300}' => Some(Tone::Grave),
        '\u{309}' => Some(Tone::Hook),
        '\u{303}' => Some(Tone::Tilde),
        '\u{301}' => Some(Tone::Acute),
        '\u{323}' => Some(Tone::Dot),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::is_nfc;

    /// Types `keys` the way the editor does: start with an empty line; for
    /// each key take the word before the cursor, ask the engine, then
    /// replace the word or append the key.
    fn feed(method: Method, style: ToneStyle, keys: &str) -> String {
        let mut line = String::new();
        for key in keys.chars() {
            let keep = line.len() - word_before(&line).len();
            match rewrite(method, style, &line, key) {
                Some(new) => {
                    line.truncate(keep);
                    line.push_str(&new);
                }
                None => line.push(key),
            }
        }
        line
    }

    fn check(method: Method, style: ToneStyle, table: &[(&str, &str)]) {
        let mut failures = Vec::new();
        for (keys, want) in table {
            let got = feed(method, style, keys);
            assert!(is_nfc(&got), "{keys}: {got:?} is not NFC");
            if got != *want {
                failures.push(format!(
                    "{method:?} {style:?} {keys:?}: got {got:?}, want {want:?}"
                ));
            }
        }
        assert!(failures.is_empty(), "\n{}", failures.join("\n"));
    }

    /// Telex, tone style `Old` (hoà, thuý, khoẻ).
    const TELEX: &[(&str, &str)] = &[
        // The issue's cases.
        ("nghieeng", "nghiêng"),
        ("ddwowngf", "đường"),
        ("thuowr", "thuở"),
        ("khuyur", "khuỷu"),
        ("hoaf", "hoà"),
        ("quas", "quá"),
        ("gias", "giá"),
        ("Ddaij", "Đại"),
        ("DDAIJ", "ĐẠI"),
        ("Vieejt", "Việt"),
        // A mark key twice: undone, the key kept as a letter.
        ("ass", "as"),
        ("ddd", "dd"),
        ("DDD", "DD"),
        ("aaa", "aa"),
        ("oww", "ow"),
        ("tieengss", "tiêngs"),
        // Uncommon syllables.
        ("giawtj", "giặt"),
        ("gif", "gì"),
        ("gifn", "gìn"),
        ("giuwx", "giữ"),
        ("giuwowngf", "giường"),
        ("gioongs", "giống"),
        ("uwown", "ươn"),
        ("oawrn", "oẳn"),
        ("uyjch", "uỵch"),
        ("quyeets", "quyết"),
        ("Quyeets ddinhj", "Quyết định"),
        ("quyf", "quỳ"),
        ("khuaays", "khuấy"),
        ("ngoaif", "ngoài"),
        ("tuooir", "tuổi"),
        ("hoawcj", "hoặc"),
        ("ruwowuj", "rượu"),
        ("huwowu", "hươu"),
        ("nghix", "nghĩ"),
        ("kyx thuaatj", "kỹ thuật"),
        // The tone typed anywhere in the syllable.
        ("tieengs", "tiếng"),
        ("tieesng", "tiếng"),
        ("tiesnge", "tiếng"),
        ("Vieetj", "Việt"),
        ("nguwowif", "người"),
        ("nguoiwf", "người"),
        ("thuowngf", "thường"),
        ("dduwowcj", "được"),
        ("dduowcj", "được"),
        ("nuwowcs", "nước"),
        ("muwowif", "mười"),
        // Capitals kept.
        ("Nguyeenx", "Nguyễn"),
        ("NGUYEENX", "NGUYỄN"),
        ("Truwowngf", "Trường"),
        ("TRUWOWNGF", "TRƯỜNG"),
        ("THUOWR", "THUỞ"),
        ("KHUYUR", "KHUỶU"),
        ("GIAWTJ", "GIẶT"),
        ("QUAS", "QUÁ"),
        ("Ddawks Lawks", "Đắk Lắk"),
        ("DDAWKS LAWKS", "ĐẮK LẮK"),
        // Old style: the mark on the main vowel.
        ("khoer", "khoẻ"),
        ("thuys", "thuý"),
        ("thuyr", "thuỷ"),
        ("hoaj", "hoạ"),
        ("loef", "loè"),
        ("hoanf", "hoàn"),
        // w alone is ư; twice is w.
        ("w", "ư"),
        ("W", "Ư"),
        ("ww", "w"),
        ("chuwa", "chưa"),
        ("cwa", "cưa"),
        ("trww", "trw"),
        // z removes the tone; [ and ] are left alone.
        ("tieengsz", "tiêng"),
        ("az", "az"),
        ("a[b]", "a[b]"),
        // Whole phrases.
        ("Ddangr booj xax", "Đảng bộ xã"),
        ("Ddaangr", "Đẩng"),
        ("Ddangr uyr xax Taan Phus", "Đảng uỷ xã Tân Phú"),
        ("Hoaf Bifnh", "Hoà Bình"),
        ("ddoongf chis", "đồng chí"),
        ("quaanf chusng nhaan daan", "quần chúng nhân dân"),
        // As in Unikey, TW alone is TƯ; a second W gives the letter.
        ("TW", "TƯ"),
        ("TWW", "TW"),
        // A document code is left as typed: TW after 62-KL/ needs no second W.
        ("Keets luaanj 62-KL/TW", "Kết luận 62-KL/TW"),
        (
            "Keets luaanj soos 62-KL/TW ngayf",
            "Kết luận số 62-KL/TW ngày",
        ),
        ("123-KH/TU", "123-KH/TU"),
        ("CV/TU", "CV/TU"),
        ("27-BC/DUX", "27-BC/DUX"),
        // Except the Đ of a code: ĐU is Đảng uỷ.
        ("12-NQ/DDU", "12-NQ/ĐU"),
        ("05-KH/DDDU", "05-KH/DDU"),
        ("12-NQ/DDUX", "12-NQ/ĐUX"),
        ("ddoongf chis Nguyeenx 2tr", "đồng chí Nguyễn 2tr"),
        ("vaf/hoawcj", "và/hoặc"),
        // Abbreviations in capitals: dd is still Đ.
        ("VPDDU", "VPĐU"),
        ("HDDND", "HĐND"),
        ("BCDD", "BCĐ"),
        ("DDU", "ĐU"),
        ("VPDDD", "VPDD"),
        ("UBND", "UBND"),
        ("kees hoachj 123", "kế hoạch 123"),
        ("Cuar Booj Chinhs trij", "Của Bộ Chính trị"),
        ("Thoong tin chung", "Thông tin chung"),
        // Not Vietnamese: left as typed (office and Unikey agree: ff undoes f).
        ("Windows", "Windows"),
        ("WINDOWS", "WINDOWS"),
        ("email", "email"),
        ("Zalo", "Zalo"),
        ("Facebook", "Facebook"),
        ("Word", "Word"),
        ("Wifi", "Wifi"),
        ("Web", "Web"),
        ("www", "ww"),
        ("office", "ofice"),
        ("Excel", "Ẽcel"),
    ];

    #[test]
    fn telex_table() {
        assert!(TELEX.len() >= 60, "{} Telex cases", TELEX.len());
        check(Method::Telex, ToneStyle::Old, TELEX);
    }

    #[test]
    fn document_codes_are_never_transformed() {
        for code in [
            "62-KL/TW",
            "123-KH/TU",
            "CV/TU",
            "27-BC/DU",
            "ĐU/UBND",
            "a1",
        ] {
            assert!(is_code(code), "{code}");
        }
        for word in ["Việt", "và/hoặc", "(nghiê", "", "KL-TW"] {
            assert!(!is_code(word), "{word}");
        }
        // Every key after a code goes in as typed, in both methods.
        for method in [Method::Telex, Method::Vni] {
            for key in "sfrxjzwaeod1234567890".chars() {
                for before in ["62-KL/T", "số 123-KH/T", "CV/TU", "CV/T", "2tr"] {
                    assert_eq!(
                        rewrite(method, ToneStyle::Old, before, key),
                        None,
                        "{method:?} {before:?} + {key}"
                    );
                }
            }
        }
        // Only the word being typed counts: after a space the next is Vietnamese.
        assert_eq!(
            rewrite(Method::Telex, ToneStyle::Old, "62-KL/TW Vie", 'e').as_deref(),
            Some("Viê")
        );
        assert_eq!(
            rewrite(Method::Telex, ToneStyle::Old, "62-KL/TW Viêt", 'j').as_deref(),
            Some("Việt")
        );
    }

    #[test]
    fn capital_d_in_abbreviations() {
        check(
            Method::Vni,
            ToneStyle::Old,
            &[("VPD9U", "VPĐU"), ("HD9ND", "HĐND"), ("VPD99", "VPD9")],
        );
        // Only in capitals, and never inside a syllable.
        check(
            Method::Telex,
            ToneStyle::Old,
            &[("vpddu", "vpddu"), ("VPDdu", "VPDdu"), ("DDAIJ", "ĐẠI")],
        );
    }

    #[test]
    fn composed_letters_and_word_ends() {
        for c in ['ệ', 'Đ', 'ư', 'à', '\u{301}', 'Ủ'] {
            assert!(is_composed(c), "{c}");
        }
        for c in ['a', 'W', '1', ' ', '/', '犬', '€'] {
            assert!(!is_composed(c), "{c}");
        }
        assert!(ends_word(' ') && ends_word('/') && ends_word('1') && ends_word('-'));
        assert!(!ends_word('a') && !ends_word('ệ'));
    }

    #[test]
    fn tone_style_of_a_text() {
        let new = ["Đảng ủy xã", "Văn hóa, khỏe mạnh", "thủy lợi"];
        let old = ["Đảng uỷ xã", "Văn hoá, khoẻ mạnh", "thuỷ lợi"];
        assert_eq!(ToneStyle::of_text(new), Some(ToneStyle::New));
        assert_eq!(ToneStyle::of_text(old), Some(ToneStyle::Old));
        // The same in both styles: nothing to tell.
        for same in ["quý, quá, hoàn thành, khoa học", "toàn, thuyết, ", ""] {
            assert_eq!(ToneStyle::of_text([same]), None, "{same}");
        }
        // The more frequent wins; capitals count.
        assert_eq!(
            ToneStyle::of_text(["ĐẢNG ỦY, Ủy ban", "hoá"]),
            Some(ToneStyle::New)
        );
        assert_eq!(ToneStyle::of_text(["hòa", "hoà"]), None);
        // The embedded outline writes the new style.
        let o = crate::outline::Outline::embedded();
        let mut texts = vec![o.title.as_str()];
        fn walk<'a>(items: &'a [crate::outline::Item], out: &mut Vec<&'a str>) {
            for i in items {
                out.push(&i.title);
                out.extend(i.guidance.iter().map(String::as_str));
                walk(&i.items, out);
            }
        }
        walk(&o.items, &mut texts);
        assert_eq!(ToneStyle::of_text(texts), Some(ToneStyle::New));
    }

    #[test]
    fn telex_new_style() {
        check(
            Method::Telex,
            ToneStyle::New,
            &[
                ("hoaf", "hòa"),
                ("khoer", "khỏe"),
                ("thuys", "thúy"),
                ("thuyr", "thủy"),
                ("hoaj", "họa"),
                ("loef", "lòe"),
                ("uyr ban", "ủy ban"),
                // With a final consonant both styles agree.
                ("hoanf", "hoàn"),
                ("hoawcj", "hoặc"),
                ("uyjch", "uỵch"),
                ("quas", "quá"),
                ("nghieeng", "nghiêng"),
                ("Ddangr booj xax", "Đảng bộ xã"),
            ],
        );
    }

    /// VNI, tone style `Old`.
    const VNI: &[(&str, &str)] = &[
        ("a1", "á"),
        ("A1", "Á"),
        ("a11", "a1"),
        ("a66", "a6"),
        ("d99", "d9"),
        ("nghie6ng", "nghiêng"),
        ("nghie6ng2", "nghiềng"),
        ("d9u7o7ng2", "đường"),
        ("thuo73", "thuở"),
        ("khuyu3", "khuỷu"),
        ("hoa2", "hoà"),
        ("khoe3", "khoẻ"),
        ("thuy3", "thuỷ"),
        ("qua1", "quá"),
        ("gia1", "giá"),
        ("gi2", "gì"),
        ("giu74", "giữ"),
        ("gia85t", "giặt"),
        ("D9a5i", "Đại"),
        ("D9A5I", "ĐẠI"),
        ("Vie65t", "Việt"),
        ("Vie6t5", "Việt"),
        ("Viet65", "Việt"),
        ("u7o7n", "ươn"),
        ("oa83n", "oẳn"),
        ("uy5ch", "uỵch"),
        ("D9a81k La81k", "Đắk Lắk"),
        ("Nguye64n", "Nguyễn"),
        ("NGUYE64N", "NGUYỄN"),
        ("ngu7o7i2", "người"),
        ("quye61t", "quyết"),
        ("tie61ng", "tiếng"),
        ("tie6ng1", "tiếng"),
        ("Tru7o7ng2", "Trường"),
        ("nu7o7c1", "nước"),
        ("tuo6i3", "tuổi"),
        ("hoa85c", "hoặc"),
        ("d9u7o7c5", "được"),
        ("vie65t0", "viêt"),
        ("D9a3ng bo65 xa4", "Đảng bộ xã"),
        ("So61 1", "Số 1"),
        ("Windows", "Windows"),
        ("email", "email"),
    ];

    #[test]
    fn vni_table() {
        assert!(VNI.len() >= 30, "{} VNI cases", VNI.len());
        check(Method::Vni, ToneStyle::Old, VNI);
        check(
            Method::Vni,
            ToneStyle::New,
            &[("hoa2", "hòa"), ("khoe3", "khỏe"), ("thuy3", "thủy")],
        );
    }

    #[test]
    fn off_inserts_every_key() {
        check(
            Method::Off,
            ToneStyle::Old,
            &[("Vieejt", "Vieejt"), ("a1", "a1")],
        );
        assert_eq!(apply(Method::Off, ToneStyle::Old, "a", 's'), None);
    }

    #[test]
    fn system_input_method_keys_pass_through() {
        // Unikey already sent "ệ": the engine leaves it, and what follows.
        for method in [Method::Telex, Method::Vni] {
            assert_eq!(apply(method, ToneStyle::Old, "Vi", 'ệ'), None);
            let mut line = String::new();
            for key in ['V', 'i', 'ệ', 't', ' ', 'N', 'a', 'm'] {
                let word = word_before(&line);
                let keep = line.len() - word.len();
                match apply(method, ToneStyle::Old, word, key) {
                    Some(new) => {
                        line.truncate(keep);
                        line.push_str(&new);
                    }
                    None => line.push(key),
                }
            }
            assert_eq!(line, "Việt Nam");
        }
    }

    #[test]
    fn decomposed_word_before_the_cursor_is_understood() {
        // "viê" pasted as NFD (e + combining circumflex).
        let word = "vie\u{302}";
        assert_eq!(word_before(&format!("x {word}")), word);
        assert_eq!(
            apply(Method::Telex, ToneStyle::Old, word, 'j').as_deref(),
            Some("việ")
        );
    }

    #[test]
    fn keys_that_are_not_for_the_engine() {
        let s = ToneStyle::Old;
        assert_eq!(apply(Method::Telex, s, "ba", ' '), None);
        assert_eq!(apply(Method::Telex, s, "ba", '1'), None);
        assert_eq!(apply(Method::Telex, s, "ba", '['), None);
        assert_eq!(apply(Method::Telex, s, "", 's'), None);
        assert_eq!(apply(Method::Vni, s, "", '1'), None);
        assert_eq!(apply(Method::Telex, s, "ba", 'n'), None);
        // A word with letters the engine does not know is left alone.
        assert_eq!(apply(Method::Telex, s, "Müll", 's'), None);
    }

    #[test]
    fn word_before_takes_the_trailing_letters() {
        assert_eq!(word_before(""), "");
        assert_eq!(word_before("Xin chào các bạn"), "bạn");
        assert_eq!(word_before("số 12"), "");
        assert_eq!(word_before("(nghiê"), "nghiê");
        assert_eq!(word_before("a, b"), "b");
        assert_eq!(word_before("Đảng"), "Đảng");
    }

    #[test]
    fn method_cycle_and_labels() {
        assert_eq!(Method::Telex.next(), Method::Vni);
        assert_eq!(Method::Vni.next(), Method::Off);
        assert_eq!(Method::Off.next(), Method::Telex);
        assert_eq!(Method::Telex.label(), "Telex");
        assert_eq!(Method::Vni.label(), "VNI");
        assert!(["Tắt", "Off"].contains(&Method::Off.label()));
        assert_eq!(ToneStyle::default(), ToneStyle::Old);
    }

    #[test]
    fn any_word_and_key_is_safe() {
        // The engine rewrites whatever text sits before the cursor: it must
        // never panic, and must answer in NFC letters (and the key itself,
        // when typing a mark twice undoes it: a11 → a1).
        let letters: Vec<char> = "adeiouwgnhqyxươđâếạkA".chars().collect();
        let mut words = vec![String::new()];
        for a in &letters {
            words.push(a.to_string());
            for b in &letters {
                words.push(format!("{a}{b}"));
            }
        }
        words.extend(
            ["nghiêng", "khuỷu", "ĐƯỜNG", "Windows", "ngươi", "gi", "qu"].map(String::from),
        );
        for word in &words {
            for key in "sfrxjzaeowdSW01256789nt[".chars() {
                for method in [Method::Telex, Method::Vni] {
                    for style in [ToneStyle::Old, ToneStyle::New] {
                        if let Some(new) = apply(method, style, word, key) {
                            assert!(is_nfc(&new), "{word:?} {key}: {new:?}");
                            assert!(
                                new.chars().all(|c| is_vi_letter(c) || c == key),
                                "{word:?} {key}: {new:?}"
                            );
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn syllable_check() {
        for ok in [
            "nghiêng",
            "đường",
            "Đắk",
            "khuỷu",
            "ng",
            "gi",
            "Krông",
            "uỵch",
        ] {
            assert!(is_syllable_prefix(ok), "{ok}");
        }
        for bad in ["Windows", "càt", "ẽc", "email", "bá̀", "xyz", "", "a1"] {
            assert!(!is_syllable_prefix(bad), "{bad}");
        }
    }
}
