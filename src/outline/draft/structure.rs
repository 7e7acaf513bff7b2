//! Headings and their nesting from typed markers (`A-`, `I.`, `1-`,
//! `1.2.`, `a)`, bullets), hard-wrapped lines joined back, and the tree of
//! items with their intro, guidance bullets and tables.

use super::read::Para;

/// What kind of counter a marker is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Class {
    Upper,
    Roman,
    /// Decimal, with its number of parts ("1." is 1, "1.2." is 2).
    Digits(u8),
    Lower,
    Bullet,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    pub class: Class,
    /// As typed: "A-", "I.", "1.2.", "a)", "-".
    pub typed: String,
    /// "A", "I", "1.2", "a"; empty for a bullet.
    pub number: String,
    /// The character after the number, or the bullet itself.
    pub punct: char,
    /// The counter's value (A and I are 1).
    pub value: u32,
    /// A single I, V, X, C, L, D or M may be a letter or a Roman numeral:
    /// the other reading.
    pub alt: Option<Class>,
}

pub const BULLETS: &[char] = &[
    '-', '+', '•', '–', '—', '·', '●', '○', '▪', '◦', '\u{f0b7}', '\u{f0a7}',
];

fn roman_value(s: &str) -> Option<u32> {
    let v = |c| match c {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        'C' => Some(100),
        'D' => Some(500),
        'M' => Some(1000),
        _ => None,
    };
    let digits: Vec<u32> = s.chars().map(v).collect::<Option<_>>()?;
    let mut total = 0;
    for (i, d) in digits.iter().enumerate() {
        if digits.get(i + 1).is_some_and(|n| n > d) {
            total -= *d as i64;
        } else {
            total += *d as i64;
        }
    }
    (1..=3999).contains(&total).then_some(total as u32)
}

/// The marker at the start of a paragraph, and the text after it.
pub fn parse_marker(s: &str) -> Option<(Marker, &str)> {
    let first = s.chars().next()?;
    let after_space = |rest: &str| -> Option<usize> {
        let trimmed = rest.trim_start();
        (trimmed.len() < rest.len() && !trimmed.is_empty()).then(|| rest.len() - trimmed.len())
    };
    if BULLETS.contains(&first) {
        let rest = &s[first.len_utf8()..];
        let title = rest.trim_start();
        let spaced = title.len() < rest.len();
        let glued = title.chars().next().is_some_and(char::is_uppercase);
        if title.is_empty() || !(spaced || glued) || title.starts_with(BULLETS) {
            return None;
        }
        // Dashes and plus signs stay as typed (a "+" list is under a "-"
        // one); round bullets of every font are one kind.
        let typed = if matches!(first, '-' | '+' | '–' | '—') {
            first
        } else {
            '•'
        };
        return Some((
            Marker {
                class: Class::Bullet,
                typed: typed.to_string(),
                number: String::new(),
                punct: typed,
                value: 0,
                alt: None,
            },
            title,
        ));
    }
    if first.is_ascii_digit() {
        let mut groups: Vec<&str> = Vec::new();
        let mut at = 0;
        let b = s.as_bytes();
        loop {
            let start = at;
            while at < b.len() && b[at].is_ascii_digit() {
                at += 1;
            }
            let len = at - start;
            if len == 0 || len > 3 {
                return None;
            }
            groups.push(&s[start..at]);
            if at + 1 < b.len() && b[at] == b'.' && b[at + 1].is_ascii_digit() {
                at += 1;
                continue;
            }
            break;
        }
        // "2014. Năm …" is a year, not a heading.
        if groups.len() == 1 && groups[0].len() > 3 {
            return None;
        }
        let punct = match b.get(at) {
            Some(b'.') | Some(b'-') | Some(b')') => {
                at += 1;
                char::from(b[at - 1])
            }
            _ if groups.len() > 1 => ' ',
            _ => return None,
        };
        let skip = after_space(&s[at..])?;
        let value: u32 = groups.last()?.parse().ok()?;
        if value == 0 {
            return None;
        }
        return Some((
            Marker {
                class: Class::Digits(groups.len().min(9) as u8),
                typed: s[..at].to_string(),
                number: groups.join("."),
                punct,
                value,
                alt: None,
            },
            &s[at + skip..],
        ));
    }
    if first.is_ascii_uppercase() {
        let run: String = s.chars().take_while(|c| "IVXLCDM".contains(*c)).collect();
        let (len, class, value, alt) = match roman_value(&run) {
            Some(v) if run.len() > 1 => (run.len(), Class::Roman, v, None),
            Some(v) => (1, Class::Roman, v, Some(Class::Upper)),
            None => (1, Class::Upper, u32::from(first as u8 - b'A' + 1), None),
        };
        let punct = s[len..].chars().next()?;
        if !matches!(punct, '.' | '-' | ')') {
            return None;
        }
        let at = len + 1;
        let skip = after_space(&s[at..])?;
        return Some((
            Marker {
                class,
                typed: s[..at].to_string(),
                number: s[..len].to_string(),
                punct,
                value,
                alt,
            },
            &s[at + skip..],
        ));
    }
    if first.is_ascii_lowercase() || first == 'đ' {
        let len = first.len_utf8();
        let punct = s[len..].chars().next()?;
        if !matches!(punct, ')' | '-') {
            return None;
        }
        let at = len + 1;
        let skip = after_space(&s[at..])?;
        let value = if first == 'đ' {
            5
        } else {
            u32::from(first as u8 - b'a' + 1) + u32::from(first > 'd')
        };
        return Some((
            Marker {
                class: Class::Lower,
                typed: s[..at].to_string(),
                number: first.to_string(),
                punct,
                value,
                alt: None,
            },
            &s[at + skip..],
        ));
    }
    None
}

fn is_caps(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| !c.is_lowercase())
}

fn ends_sentence(s: &str) -> bool {
    let s = s.trim_end_matches(['”', '"', '’', '\'', ')', '*']);
    s.ends_with(['.', ';', ':', '!', '?'])
}

fn unbalanced(s: &str) -> bool {
    let count = |c: char| s.chars().filter(|&x| x == c).count();
    count('(') > count(')') || count('“') > count('”') || count('"') % 2 == 1
}

/// Whether a paragraph or line that starts a section of the document on
/// its own: never joined to what is before it.
pub fn stands_alone(s: &str) -> bool {
    let f = crate::vi::fold::fold(s);
    f.starts_with("(ban hanh kem theo")
        || f.starts_with("(kem theo")
        || f.starts_with("noi nhan")
        || s.starts_with("ĐỀ CƯƠNG")
}

pub fn is_box(c: char) -> bool {
    matches!(c, '□' | '☐' | '▢' | '❏' | '■' | '☑' | '☒' | '◻')
}

/// Whether `next` continues the paragraph `prev` (a line the source broke
/// mid-sentence: PDF copies, hard-wrapped text, a paragraph broken by an
/// empty line). `blank`: an empty line (or a Word paragraph break) is
/// between them.
fn continues(prev: &str, next: &str, blank: bool) -> bool {
    if stands_alone(next) || stands_alone(prev) && !blank && prev.ends_with(')') {
        return false;
    }
    if next.starts_with(is_box) {
        return prev.contains(is_box) || prev.ends_with(':');
    }
    if parse_marker(next).is_some() {
        return false;
    }
    if ends_sentence(prev) {
        return false;
    }
    if is_caps(prev) {
        return !blank && is_caps(next) && !stands_alone(prev);
    }
    let first = next.chars().next().unwrap_or(' ');
    if first.is_lowercase() || first.is_ascii_digit() || unbalanced(prev) {
        return true;
    }
    if blank {
        return false;
    }
    // A single line break before a capital: a wrapped line, unless what
    // is before is a heading (the text under it starts there).
    parse_marker(prev).is_none_or(|(m, _)| m.class == Class::Bullet) && !prev.starts_with('(')
}

/// The source's paragraphs with broken lines joined back.
pub fn join(paras: &[Para]) -> Vec<Para> {
    let mut out: Vec<Para> = Vec::new();
    for p in paras {
        match (out.last_mut(), p) {
            (
                Some(Para::Text { text: prev, .. }),
                Para::Text {
                    text,
                    blank_before,
                    level: None,
                },
            ) if continues(prev, text, *blank_before) => {
                prev.push(' ');
                prev.push_str(text);
            }
            _ => out.push(p.clone()),
        }
    }
    out
}

/// One line of guidance under an item.
#[derive(Debug, Clone, PartialEq)]
pub struct Guide {
    pub text: String,
    /// A top-level bullet: each gets a text field.
    pub bullet: bool,
}

/// An item of the outline as found.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Node {
    pub marker: Option<Marker>,
    pub title: String,
    pub intro: Vec<String>,
    pub guidance: Vec<Guide>,
    pub tables: Vec<Vec<Vec<String>>>,
    pub children: Vec<Node>,
}

type Key = (Class, char, Option<u8>);

struct Open {
    key: Key,
    value: u32,
    /// Index path of the node from the root; for a bullet, its item's.
    path: Vec<usize>,
    bullet: bool,
}

fn node_at<'a>(root: &'a mut Node, path: &[usize]) -> &'a mut Node {
    path.iter().fold(root, |n, &i| &mut n.children[i])
}

/// The borderless tables Word documents put their header and signature
/// in: not a table of answers.
fn is_header_or_signature(rows: &[Vec<String>]) -> bool {
    let text: String = rows
        .iter()
        .flatten()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(" ");
    [
        "Nơi nhận",
        "T/M ",
        "TM. ",
        "KT. ",
        "CỘNG HÒA",
        "CỘNG HOÀ",
        "ĐẢNG CỘNG SẢN",
    ]
    .iter()
    .any(|w| text.contains(w))
}

/// The tree of the outline part: the root's children are the top
/// sections; what comes before the first heading is the root's intro.
pub fn tree(paras: &[Para]) -> Node {
    let mut root = Node::default();
    let mut stack: Vec<Open> = Vec::new();
    for p in paras {
        let (text, level) = match p {
            Para::Table(rows) if is_header_or_signature(rows) => continue,
            Para::Table(rows) => {
                let path = stack.last().map(|o| o.path.clone()).unwrap_or_default();
                node_at(&mut root, &path).tables.push(rows.clone());
                continue;
            }
            Para::Text { text, level, .. } => (text, *level),
        };
        // A line to write on ("…………") is room for an answer, not text.
        if text
            .chars()
            .all(|c| matches!(c, '.' | '…' | '_' | ' ' | '-'))
        {
            continue;
        }
        let Some((mut m, rest)) = parse_marker(text) else {
            let path = stack.last().map(|o| o.path.clone()).unwrap_or_default();
            let n = node_at(&mut root, &path);
            if n.guidance.is_empty() && n.children.is_empty() {
                n.intro.push(text.clone());
            } else {
                n.guidance.push(Guide {
                    text: text.clone(),
                    bullet: false,
                });
            }
            continue;
        };
        if m.class == Class::Bullet {
            let key = (Class::Bullet, m.punct, level);
            let pos = stack.iter().rposition(|o| o.bullet && o.key == key);
            match pos {
                Some(i) => stack.truncate(i + 1),
                None => {
                    let path = stack.last().map(|o| o.path.clone()).unwrap_or_default();
                    stack.push(Open {
                        key,
                        value: 0,
                        path,
                        bullet: true,
                    });
                }
            }
            let depth = stack.iter().rev().take_while(|o| o.bullet).count();
            let path = stack.last().map(|o| o.path.clone()).unwrap_or_default();
            let n = node_at(&mut root, &path);
            n.guidance.push(Guide {
                text: if depth > 1 {
                    format!("{} {rest}", m.typed)
                } else {
                    rest.to_string()
                },
                bullet: depth == 1,
            });
            continue;
        }
        // Bullets never hold headings.
        while stack.last().is_some_and(|o| o.bullet) {
            stack.pop();
        }
        if let Some(alt) = m.alt {
            let expects = |class: Class, value: u32| {
                stack
                    .iter()
                    .any(|o| o.key.0 == class && o.value + 1 == value)
            };
            let letter = u32::from(m.number.as_bytes()[0] - b'A' + 1);
            // A letter when the letters expect it, or when no Roman
            // numeral expects it and it is not "I" (a new Roman list).
            let roman_expected = expects(Class::Roman, m.value);
            if !roman_expected && (expects(Class::Upper, letter) || m.number != "I") {
                m.class = alt;
                m.value = letter;
            }
        }
        let key = (m.class, m.punct, level);
        if let Some(i) = stack.iter().rposition(|o| o.key == key) {
            stack.truncate(i);
        }
        let parent = stack.last().map(|o| o.path.clone()).unwrap_or_default();
        let value = m.value;
        let n = node_at(&mut root, &parent);
        n.children.push(Node {
            marker: Some(m),
            title: rest.to_string(),
            ..Node::default()
        });
        let mut path = parent;
        path.push(n.children.len() - 1);
        stack.push(Open {
            key,
            value,
            path,
            bullet: false,
        });
    }
    root
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markers_of_every_kind() {
        let m = |s: &str| parse_marker(s).map(|(m, r)| (m.class, m.number, r.to_string()));
        assert_eq!(m("A- X"), Some((Class::Upper, "A".into(), "X".into())));
        assert_eq!(m("II. Y"), Some((Class::Roman, "II".into(), "Y".into())));
        assert_eq!(
            m("1.2. Z"),
            Some((Class::Digits(2), "1.2".into(), "Z".into()))
        );
        assert_eq!(m("1) Z"), Some((Class::Digits(1), "1".into(), "Z".into())));
        assert_eq!(m("b) Z"), Some((Class::Lower, "b".into(), "Z".into())));
        assert_eq!(m("- Z").map(|x| x.0), Some(Class::Bullet));
        assert_eq!(m("-Nêu").map(|x| x.0), Some(Class::Bullet));
        for not in [
            "1623-CV/TU, ngày",
            "2014. Năm",
            "-5%",
            "A-B",
            "Ông A.",
            "ĐỀ CƯƠNG",
        ] {
            assert_eq!(m(not), None, "{not}");
        }
    }

    #[test]
    fn wrapped_lines_are_joined_and_headings_are_not() {
        let p = |t: &str, blank| Para::Text {
            text: t.into(),
            blank_before: blank,
            level: None,
        };
        let joined = join(&[
            p("1- Nâng cao chất lượng các cuộc vận động trên các", true),
            p("lĩnh vực của đời sống", false),
            p("Bám sát vào Kết luận", false),
            p("- Việc rà soát (ban hành kèm theo", true),
            p("Quyết định 2720) và", true),
            p("Tổ quốc.", false),
        ]);
        let texts: Vec<_> = joined.iter().filter_map(Para::text).collect();
        assert_eq!(
            texts,
            [
                "1- Nâng cao chất lượng các cuộc vận động trên các lĩnh vực của đời sống",
                "Bám sát vào Kết luận",
                "- Việc rà soát (ban hành kèm theo Quyết định 2720) và Tổ quốc."
            ]
        );
    }
}
