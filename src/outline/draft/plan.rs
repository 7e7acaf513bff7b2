//! The plan around the đề cương: its number, date and issuer, the period,
//! the layout of the documents (Party or State), and from its section on
//! organisation ("TỔ CHỨC THỰC HIỆN") who sends a report to whom and by
//! when — suggestions, for a person to review.

use super::read::Para;
use super::structure::parse_marker;
use crate::outline::Layout;
use crate::vi::fold::fold;

/// A unit type suggested by the plan's text.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitSuggestion {
    pub id: String,
    pub name: String,
    pub reports_to: Option<String>,
    pub deadline: Option<String>,
    /// "trước ngày": the day itself is late.
    pub before: bool,
    pub in_totals: bool,
    /// The sentence it came from ("" when guessed).
    pub source: String,
}

/// A date in the text, written d/m/yyyy or "ngày d tháng m năm yyyy",
/// where it starts, and as dd/mm/yyyy.
pub fn find_date(s: &str) -> Option<(usize, String)> {
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() && (i == 0 || !b[i - 1].is_ascii_digit()) {
            let num = |at: &mut usize, max: usize| -> Option<u32> {
                let start = *at;
                while *at < b.len() && b[*at].is_ascii_digit() && *at - start < max {
                    *at += 1;
                }
                (*at > start).then(|| s[start..*at].parse().ok()).flatten()
            };
            let mut at = i;
            let d = num(&mut at, 2);
            if at < b.len() && b[at] == b'/' {
                at += 1;
                let m = num(&mut at, 2);
                if at < b.len() && b[at] == b'/' {
                    at += 1;
                    let y = num(&mut at, 4);
                    if let (Some(d), Some(m), Some(y)) = (d, m, y) {
                        let date = format!("{d:02}/{m:02}/{y:04}");
                        if y >= 1900 && crate::vnfmt::parse_date(&date).is_ok() {
                            return Some((i, date));
                        }
                    }
                }
            }
        }
        i += 1;
    }
    // "ngày 29 tháng 8 năm 2014"
    let words: Vec<(usize, &str)> = s
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - s.as_ptr() as usize, w))
        .collect();
    for w in words.windows(6) {
        if w[0].1 == "ngày" && w[2].1 == "tháng" && w[4].1 == "năm" {
            let n = |x: &str| {
                x.trim_matches(|c: char| !c.is_ascii_digit())
                    .parse::<u32>()
                    .ok()
            };
            if let (Some(d), Some(m), Some(y)) = (n(w[1].1), n(w[3].1), n(w[5].1)) {
                let date = format!("{d:02}/{m:02}/{y:04}");
                if crate::vnfmt::parse_date(&date).is_ok() {
                    return Some((w[0].0, date));
                }
            }
        }
    }
    None
}

/// The document number after "số" ("Kế hoạch số 123-KH/TU," → "123-KH/TU").
pub fn number_after_so(s: &str) -> Option<String> {
    for key in ["số:", "Số:", "số ", "Số "] {
        if let Some(i) = s.find(key) {
            let rest = s[i + key.len()..].trim_start();
            let token: String = rest
                .chars()
                .take_while(|c| !c.is_whitespace() && *c != ',' && *c != ')' && *c != ';')
                .collect();
            if token.contains('/') && token.chars().any(|c| c.is_ascii_digit()) {
                return Some(token);
            }
        }
    }
    None
}

/// "… của Ban Thường vụ Tỉnh ủy)" → "Ban Thường vụ Tỉnh ủy".
pub fn issuer_of(issued_with: &str) -> Option<String> {
    let i = issued_with.rfind(" của ")?;
    let s = issued_with[i + " của ".len()..]
        .trim()
        .trim_end_matches(')')
        .trim();
    (!s.is_empty()).then(|| s.to_string())
}

/// The period the plan reviews: "(2009 - 2014)", "giai đoạn 2021-2025",
/// else a single year.
pub fn period(s: &str) -> Option<(i32, i32)> {
    let years: Vec<(usize, i32)> = s
        .char_indices()
        .filter(|(i, c)| c.is_ascii_digit() && (*i == 0 || !s.as_bytes()[i - 1].is_ascii_digit()))
        .filter_map(|(i, _)| {
            let d: String = s[i..].chars().take_while(char::is_ascii_digit).collect();
            (d.len() == 4)
                .then(|| d.parse().ok().map(|y| (i, y)))
                .flatten()
        })
        .filter(|(_, y)| (1900..=2100).contains(y))
        .collect();
    for w in years.windows(2) {
        let between = &s[w[0].0 + 4..w[1].0];
        if between.trim().len() <= 3
            && between.trim().chars().all(|c| matches!(c, '-' | '–' | '—'))
            && w[0].1 <= w[1].1
        {
            return Some((w[0].1, w[1].1));
        }
    }
    years.first().map(|&(_, y)| (y, y))
}

/// Party or State, and the words that said so.
pub fn layout(paras: &[Para]) -> (Layout, Vec<&'static str>, bool) {
    const PARTY: &[(&str, u32)] = &[
        ("ĐẢNG CỘNG SẢN VIỆT NAM", 5),
        ("T/M BAN THƯỜNG VỤ", 4),
        ("T/M ĐẢNG ỦY", 4),
        ("-KH/", 3),
        ("-HD/", 3),
        ("-BC/", 3),
        ("Tỉnh ủy", 1),
        ("Huyện ủy", 1),
        ("Đảng ủy", 1),
        ("cấp ủy", 1),
    ];
    const STATE: &[(&str, u32)] = &[
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 5),
        ("CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", 5),
        ("Độc lập - Tự do - Hạnh phúc", 5),
        ("/BC-UBND", 4),
        ("/KH-UBND", 4),
        ("TM. ỦY BAN NHÂN DÂN", 4),
        ("UBND", 1),
        ("Ủy ban nhân dân", 1),
        ("Sở ", 1),
    ];
    let text: String = paras
        .iter()
        .filter_map(Para::text)
        .collect::<Vec<_>>()
        .join("\n");
    let score = |table: &'static [(&'static str, u32)]| {
        let mut why = Vec::new();
        let mut n = 0;
        for (w, s) in table {
            if text.contains(w) {
                n += s;
                why.push(*w);
            }
        }
        (n, why)
    };
    let (p, pw) = score(PARTY);
    let (s, sw) = score(STATE);
    if s > p {
        (Layout::State, sw, false)
    } else {
        (Layout::Party, pw, p == 0)
    }
}

fn level(phrase: &str) -> Option<&'static str> {
    let f = format!(
        " {} ",
        fold(phrase).replace("xa hoi", "").replace(',', " , ")
    );
    let any = |ws: &[&str]| ws.iter().any(|w| f.contains(w));
    if any(&[" xa ", " phuong ", " thi tran ", " dac khu ", " co so "]) {
        Some("xa")
    } else if any(&[" huyen ", " quan ", " thi xa ", " thanh uy "]) {
        Some("huyen")
    } else if any(&[" tinh ", " thanh pho ", " so "]) && !f.contains(" trung uong ") {
        Some("tinh")
    } else {
        None
    }
}

const NAMED: &[(&str, &str)] = &[
    ("khoi", "khoi"),
    ("mat tran", "mttq"),
    ("doan the", "doan_the"),
    ("ban can su", "ban"),
    ("quan su", "llvt"),
    ("cong an", "llvt"),
    ("so ", "so_nganh"),
    ("ban ", "ban"),
];

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let lower = hay.to_lowercase();
    if lower.len() != hay.len() {
        return hay.find(needle);
    }
    lower.find(needle)
}

/// The organisation section's sentences: who sends what to whom, by when.
pub fn organisation(paras: &[Para], layout: Layout) -> (Vec<UnitSuggestion>, Option<String>) {
    // The section: from its heading to the next heading of that kind.
    let start = paras.iter().position(|p| {
        p.text().is_some_and(|t| {
            parse_marker(t).is_some_and(|(_, rest)| fold(rest).contains("to chuc thuc hien"))
        })
    });
    let section: Vec<&str> = match start {
        Some(i) => {
            let class =
                parse_marker(paras[i].text().expect("text")).map(|(m, _)| (m.class, m.punct));
            paras[i + 1..]
                .iter()
                .filter_map(Para::text)
                .take_while(|t| {
                    parse_marker(t).is_none_or(|(m, _)| Some((m.class, m.punct)) != class)
                        && !fold(t).starts_with("noi nhan")
                })
                .collect()
        }
        None => Vec::new(),
    };
    let mut senders: Vec<UnitSuggestion> = Vec::new();
    let mut below: Vec<UnitSuggestion> = Vec::new();
    let mut receiver: Option<String> = None;
    let mut taken: Vec<String> = Vec::new();
    for line in section {
        let text = parse_marker(line).map_or(line, |(_, rest)| rest);
        let Some(send) = find_ci(text, "gửi") else {
            continue;
        };
        let Some((at, date)) = find_date(&text[send..]).map(|(i, d)| (i + send, d)) else {
            continue;
        };
        let before_date = &text[send..at];
        let before = before_date.to_lowercase().contains("trước");
        // The receiver: after "về", up to the deadline words.
        if receiver.is_none()
            && let Some(v) = before_date.find(" về ")
        {
            let r = &before_date[v + " về ".len()..];
            let end = ["trước", "chậm nhất", "hạn", "trong", ";"]
                .iter()
                .filter_map(|w| r.find(w))
                .min()
                .unwrap_or(r.len());
            let r = r[..end].trim().trim_end_matches([',', '.', ' ']);
            if !r.is_empty() {
                receiver = Some(r.to_string());
            }
        }
        // The sender: the words before the first verb.
        let verbs = [
            " chỉ đạo",
            " xây dựng",
            " tổ chức",
            " gửi",
            " báo cáo",
            " chủ động",
            " thực hiện",
            " tiến hành",
            " có trách nhiệm",
            " hoàn thành",
            " tự đánh giá",
        ];
        let cut = verbs.iter().filter_map(|v| text.find(v)).min().unwrap_or(0);
        if cut < 3 {
            continue;
        }
        let subject = text[..cut].trim().trim_end_matches([',', ';']);
        let lvl = level(subject);
        let id = match lvl {
            Some(l) if l != "tinh" && !taken.iter().any(|t| t == l) => l.to_string(),
            _ => {
                let f = fold(subject) + " ";
                let named = NAMED
                    .iter()
                    .find(|(k, id)| f.contains(k) && !taken.iter().any(|t| t == id))
                    .map(|(_, id)| id.to_string());
                named.unwrap_or_else(|| {
                    let mut base = super::fields::slug(subject, 2);
                    while taken.contains(&base) || base == "tinh" {
                        base.push('_');
                        base.push('2');
                    }
                    base
                })
            }
        };
        taken.push(id.clone());
        // "… chỉ đạo cấp ủy xã, phường, thị trấn và …": the level below.
        if lvl == Some("huyen")
            && let Some(c) = text.find(" chỉ đạo ")
            && !taken.iter().any(|t| t == "xa")
        {
            let rest = &text[c + " chỉ đạo ".len()..];
            let end = [" và ", ";", " tổ chức", " xây dựng"]
                .iter()
                .filter_map(|w| rest.find(w))
                .min()
                .unwrap_or(rest.len());
            let name = rest[..end].trim().trim_end_matches(',');
            if level(name) == Some("xa") {
                taken.push("xa".into());
                below.push(UnitSuggestion {
                    id: "xa".into(),
                    name: super::fields::capitalise(name),
                    reports_to: Some(id.clone()),
                    deadline: None,
                    before: false,
                    in_totals: true,
                    source: line.to_string(),
                });
            }
        }
        senders.push(UnitSuggestion {
            id,
            name: super::fields::capitalise(subject),
            reports_to: None,
            deadline: Some(date),
            before,
            in_totals: lvl != Some("tinh"),
            source: line.to_string(),
        });
    }
    let top_name = receiver
        .as_deref()
        .map(|r| match r.find(" (qua") {
            Some(i) => r[..i].to_string(),
            None => r.to_string(),
        })
        .filter(|r| !r.is_empty());
    if senders.is_empty() {
        let (xa, tinh) = match layout {
            Layout::Party => ("Đảng ủy xã, phường", "Tỉnh ủy"),
            Layout::State => ("Ủy ban nhân dân xã, phường", "Ủy ban nhân dân tỉnh"),
        };
        let guess = |id: &str, name: &str, to: Option<&str>| UnitSuggestion {
            id: id.into(),
            name: name.into(),
            reports_to: to.map(String::from),
            deadline: None,
            before: false,
            in_totals: true,
            source: String::new(),
        };
        return (
            vec![guess("xa", xa, Some("tinh")), guess("tinh", tinh, None)],
            receiver,
        );
    }
    let top = receiver
        .as_deref()
        .and_then(level)
        .filter(|l| !taken.iter().any(|t| t == l))
        .unwrap_or("tinh")
        .to_string();
    let top = if taken.contains(&top) {
        "cap_tren".to_string()
    } else {
        top
    };
    let mut out = below;
    for mut s in senders {
        s.reports_to = Some(top.clone());
        out.push(s);
    }
    out.push(UnitSuggestion {
        id: top.clone(),
        name: top_name.unwrap_or_else(|| match layout {
            Layout::Party => "Tỉnh ủy".into(),
            Layout::State => "Ủy ban nhân dân tỉnh".into(),
        }),
        reports_to: None,
        deadline: None,
        before: false,
        in_totals: true,
        source: receiver.clone().unwrap_or_default(),
    });
    (out, receiver)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_numbers_and_periods() {
        assert_eq!(
            find_date("trước ngày 20/10/2014.").map(|d| d.1),
            Some("20/10/2014".into())
        );
        assert_eq!(
            find_date("Biên Hòa, ngày 5 tháng 3 năm 2025").map(|d| d.1),
            Some("05/03/2025".into())
        );
        assert_eq!(
            number_after_so("(Ban hành kèm theo Kế hoạch số 123-KH/TU, ngày 29/8/2014"),
            Some("123-KH/TU".into())
        );
        assert_eq!(
            period("sơ kết 05 năm (2009 - 2014) thực hiện"),
            Some((2009, 2014))
        );
        assert_eq!(period("năm 2025"), Some((2025, 2025)));
    }

    #[test]
    fn by_or_before_the_day() {
        let para = |t: &str| Para::Text {
            text: t.into(),
            blank_before: true,
            level: None,
        };
        let (types, receiver) = organisation(
            &[
                para("III. TỔ CHỨC THỰC HIỆN"),
                para(
                    "1. Ủy ban nhân dân các xã, phường gửi báo cáo về Sở Nội vụ chậm nhất ngày 05/12/2025.",
                ),
            ],
            Layout::State,
        );
        assert_eq!(receiver.as_deref(), Some("Sở Nội vụ"));
        assert_eq!(types[0].id, "xa");
        assert_eq!(types[0].deadline.as_deref(), Some("05/12/2025"));
        assert!(!types[0].before);
        assert_eq!(types[1].id, "tinh");
    }
}
