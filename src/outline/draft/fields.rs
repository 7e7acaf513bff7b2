//! The fields an item asks for, from its words: each guidance bullet of a
//! leaf item a text answer (as the 2014 outline has them), and the
//! fill-in patterns typed fields — "……%" a percentage, "……/……" or "số …
//! trên tổng số …, đạt tỷ lệ …%" two counts and their rate, "…/30" a score,
//! "□ A □ B" or "xếp loại: A; B; C" a choice, "(số văn bản, ngày ban hành
//! và cơ quan ban hành)" a table with those columns, a table in the source
//! a table with its header's columns.

use crate::vi::fold::fold;
use serde_json::{Value, json};

/// What was found, for the report printed.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Found {
    pub fields: Vec<Value>,
    /// Scores ("…/30"), with their labels and maxima, for the total's check.
    pub scores: Vec<(String, u32)>,
}

const STOP: &[&str] = &[
    "cac", "va", "cua", "nhung", "trong", "cho", "voi", "de", "la", "thi", "ve", "duoc", "viec",
    "da", "mot", "so", "nay", "do", "tai", "theo", "nhu", "neu", "ro",
];

/// A field id from words: ASCII, lowercase, a few significant words.
pub fn slug(s: &str, words: usize) -> String {
    let folded = fold(s);
    let all: Vec<&str> = folded
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let mut kept: Vec<&str> = all
        .iter()
        .copied()
        .filter(|w| !STOP.contains(w))
        .take(words)
        .collect();
    if kept.is_empty() {
        kept = all.into_iter().take(words).collect();
    }
    let mut id = kept.join("_");
    if id.is_empty() {
        id = "noi_dung".into();
    }
    if !id.starts_with(|c: char| c.is_ascii_lowercase()) {
        id = format!("f_{id}");
    }
    id
}

/// A short label from a guidance line: its first clause, at most about 70
/// characters, cut between words.
pub fn label(s: &str) -> String {
    let s = s.trim().trim_start_matches(['-', '+', '•', ' ']);
    let cut = s.find(['(', ';', ':', '□', '☐']).unwrap_or(s.len());
    let mut l = s[..cut].trim().to_string();
    if let Some(dot) = l.find(". ") {
        l.truncate(dot);
    }
    if l.chars().count() > 70 {
        let head: String = l.chars().take(70).collect();
        l = match head.rfind(", ") {
            Some(i) if i > 20 => head[..i].to_string(),
            _ => match head.rfind(' ') {
                Some(i) => head[..i].to_string(),
                None => head,
            },
        };
    }
    let mut l = l
        .trim_end_matches(['.', ',', ';', ':', ' ', '…'])
        .trim()
        .to_string();
    // Not ending on a word that needs what was cut ("của", "và").
    const DANGLING: &[&str] = &[
        "của", "và", "các", "với", "về", "cho", "đối", "trong", "để", "những", "theo", "là", "được",
    ];
    while let Some((head, last)) = l.rsplit_once(' ') {
        if !DANGLING.contains(&last) {
            break;
        }
        l = head.trim_end_matches([',', ' ']).to_string();
    }
    if l.is_empty() {
        s.trim().to_string()
    } else {
        l
    }
}

/// A blank to fill: three dots or more, an ellipsis, or underscores, at
/// the start or after a space, colon or bracket.
fn blanks(s: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut it = s.char_indices().peekable();
    let mut prev = ' ';
    while let Some((i, c)) = it.next() {
        if matches!(c, '.' | '…' | '_') {
            let mut end = i + c.len_utf8();
            let mut dots = if c == '…' { 3 } else { 1 };
            while let Some(&(j, d)) = it.peek() {
                if !matches!(d, '.' | '…' | '_') {
                    break;
                }
                dots += if d == '…' { 3 } else { 1 };
                end = j + d.len_utf8();
                it.next();
            }
            if dots >= 3 && (prev.is_whitespace() || matches!(prev, ':' | '(' | '/' | ' ')) {
                out.push((i, end));
            }
            prev = s[..end].chars().last().unwrap_or(' ');
            continue;
        }
        prev = c;
    }
    out
}

fn after(s: &str, at: usize) -> &str {
    s[at..].trim_start()
}

/// The ids given in one item (or table): a repeated one gets "_2", "_3".
#[derive(Default)]
struct Ids {
    taken: std::collections::HashSet<String>,
    next: std::collections::HashMap<String, usize>,
}

impl Ids {
    fn take(&mut self, base: &str) -> String {
        let mut id = base.to_string();
        while self.taken.contains(&id) {
            let n = self.next.entry(base.to_string()).or_insert(1);
            *n += 1;
            id = format!("{base}_{n}");
        }
        self.taken.insert(id.clone());
        id
    }
}

/// The typed fields of one line of text (a bullet, a title): none when it
/// has no fill-in pattern.
fn typed(text: &str, optional: bool, ids: &mut Ids, found: &mut Found) -> bool {
    let before = found.fields.len();
    let optional = optional || fold(text).contains("(neu co)");
    let req = !optional;
    // A choice: boxes, or "xếp loại: A; B; C".
    if text.contains(is_box_char) {
        let mut parts = text.split(is_box_char);
        let head = label(parts.next().unwrap_or(""));
        let options: Vec<String> = parts
            .map(|o| {
                o.trim()
                    .trim_end_matches([';', ',', '.', ' '])
                    .trim()
                    .to_string()
            })
            .filter(|o| !o.is_empty())
            .collect();
        if options.len() >= 2 {
            let head = if head.is_empty() { label(text) } else { head };
            push_choice(&head, options, req, ids, found);
            return true;
        }
    }
    let folded = fold(text);
    if (folded.contains("xep loai") || folded.contains("muc do")) && text.contains(':') {
        let (head, list) = text.split_once(':').expect("has a colon");
        let sep = if list.contains(';') { ';' } else { '/' };
        let options: Vec<String> = list
            .split(sep)
            .map(|o| {
                o.trim()
                    .trim_end_matches(['.', ',', ' '])
                    .trim()
                    .to_string()
            })
            .filter(|o| !o.is_empty())
            .collect();
        let short = options.iter().all(|o| o.split_whitespace().count() <= 6);
        if (2..=8).contains(&options.len()) && short && blanks(list).is_empty() {
            push_choice(&label(head), options, req, ids, found);
            return true;
        }
    }
    let bl = blanks(text);
    let mut last_end = 0;
    let mut i = 0;
    while i < bl.len() {
        let (start, end) = bl[i];
        let head = label_before(&text[last_end..start]);
        let rest = after(text, end);
        // "số … trên tổng số …, đạt tỷ lệ …%"
        if i + 2 < bl.len() && fold(&text[end..bl[i + 1].0]).contains("tong so") {
            let third = after(text, bl[i + 2].1);
            if third.starts_with('%') && fold(&text[bl[i + 1].1..bl[i + 2].0]).contains("ty le") {
                let head = label_before(
                    text[last_end..start]
                        .trim_end()
                        .trim_end_matches(['s', 'S', 'ố', 'Ố']),
                );
                push_ratio(&head, text, req, ids, found);
                last_end = bl[i + 2].1;
                i += 3;
                continue;
            }
        }
        // "…/…/…": a date; "……/……": two counts; "…/30": a score.
        if let Some(slash) = rest.strip_prefix('/') {
            let slash = slash.trim_start();
            let next = bl.get(i + 1).copied();
            let next_is_here = next.is_some_and(|(s2, _)| text[end..s2].trim() == "/");
            if next_is_here {
                let (_, e2) = next.expect("checked");
                if after(text, e2).starts_with('/') {
                    push_simple(&head, "date", req, ids, found);
                    let skip = bl
                        .iter()
                        .skip(i + 2)
                        .take_while(|(s3, _)| text[e2..*s3].trim() == "/")
                        .count();
                    last_end = bl.get(i + 1 + skip).map_or(e2, |b| b.1);
                    i += 2 + skip;
                    continue;
                }
                push_ratio(&head, text, req, ids, found);
                last_end = e2;
                i += 2;
                continue;
            }
            let digits: String = slash.chars().take_while(char::is_ascii_digit).collect();
            if let Ok(max) = digits.parse::<u32>()
                && (1..=1000).contains(&max)
                && !slash[digits.len()..].starts_with('/')
            {
                let label = if head.is_empty() { label(text) } else { head };
                let id = ids.take(&slug(&label, 4));
                found.scores.push((label.clone(), max));
                found.fields.push(json!({
                    "id": id, "label": label, "kind": "integer", "required": req,
                    "aggregate": "none", "min": 0, "max": max,
                }));
                last_end = end;
                i += 1;
                continue;
            }
        }
        let kind = if rest.starts_with('%') {
            "percent"
        } else if fold(rest).starts_with("dong") {
            "money"
        } else if ["trieu dong", "nghin dong", "ty dong"]
            .iter()
            .any(|u| fold(rest).starts_with(u))
        {
            // Amounts in millions: a decimal, the unit in the label (money
            // is whole đồng).
            "decimal"
        } else if rest.starts_with(char::is_alphabetic)
            || fold(&head).starts_with("so ")
            || fold(&head).starts_with("tong so")
        {
            "integer"
        } else {
            "text"
        };
        let label = if head.is_empty() { label(text) } else { head };
        let label = match kind {
            "money" | "decimal" => {
                let unit = rest.split([',', ';', '.', ')']).next().unwrap_or("").trim();
                format!("{label} ({unit})")
            }
            _ => label,
        };
        push_simple(&label, kind, req, ids, found);
        last_end = end;
        i += 1;
    }
    found.fields.len() > before
}

fn is_box_char(c: char) -> bool {
    super::structure::is_box(c)
}

/// The words before a blank that name it: from the last sentence or
/// clause break, without the colon.
fn label_before(s: &str) -> String {
    let s = s.trim();
    let start = s
        .rfind([';', '.', '\u{2026}'])
        .map(|i| i + s[i..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(0);
    let s = s[start..].trim();
    let s = s.trim_start_matches([',', ')', ' ', '-', '+']);
    let s = s.trim_end_matches([':', ',', ' ', '(']);
    label(s)
}

fn push_simple(label: &str, kind: &str, req: bool, ids: &mut Ids, found: &mut Found) {
    let label = if label.is_empty() {
        "Số liệu"
    } else {
        label
    };
    let id = ids.take(&slug(label, 4));
    let aggregate = match kind {
        "integer" | "money" | "decimal" => "sum",
        "text" => "collect",
        _ => "none",
    };
    let mut f = json!({
        "id": id, "label": label, "kind": kind, "required": req, "aggregate": aggregate,
    });
    if matches!(kind, "integer" | "money" | "decimal") {
        f["min"] = json!(0);
    }
    found.fields.push(f);
}

fn push_ratio(label: &str, text: &str, _req: bool, ids: &mut Ids, found: &mut Found) {
    let label = if label.is_empty() {
        self::label(text)
    } else {
        label.to_string()
    };
    let base = slug(&label, 3);
    let part = ids.take(&format!("{base}_so"));
    let whole = ids.take(&format!("{base}_tong_so"));
    let rate = ids.take(&format!("{base}_ty_le"));
    found.fields.push(json!({
        "id": part, "label": format!("{label}: số"), "kind": "integer", "required": true,
        "aggregate": "sum", "min": 0,
    }));
    found.fields.push(json!({
        "id": whole, "label": format!("{label}: tổng số"), "kind": "integer", "required": true,
        "aggregate": "sum", "min": 0,
    }));
    found.fields.push(json!({
        "id": rate, "label": format!("{label}: tỷ lệ"), "kind": "ratio", "required": false,
        "aggregate": "ratio", "of": [part, whole],
    }));
}

fn push_choice(label: &str, mut options: Vec<String>, req: bool, ids: &mut Ids, found: &mut Found) {
    options.dedup();
    let mut seen = Vec::new();
    options.retain(|o| {
        let new = !seen.contains(o);
        seen.push(o.clone());
        new
    });
    let label = if label.is_empty() {
        "Lựa chọn"
    } else {
        label
    };
    let id = ids.take(&slug(label, 4));
    found.fields.push(json!({
        "id": id, "label": label, "kind": "choice", "required": req,
        "aggregate": "collect", "options": options,
    }));
}

fn column_kind(label: &str) -> &'static str {
    let f = fold(label);
    if f.starts_with("ngay") || f.starts_with("thoi gian") {
        "date"
    } else if f.starts_with("so luong")
        || f.starts_with("so nguoi")
        || f.starts_with("so cuoc")
        || f.starts_with("tong so")
        || f.starts_with("so lop")
        || f.starts_with("so hoi")
    {
        "integer"
    } else if f.starts_with("kinh phi") || f.starts_with("so tien") {
        "money"
    } else {
        "text"
    }
}

fn table_field(label: &str, columns: &[String], ids: &mut Ids, found: &mut Found) {
    let mut col_ids = Ids::default();
    let cols: Vec<Value> = columns
        .iter()
        .filter(|c| !matches!(fold(c).as_str(), "stt" | "tt" | "so tt" | "so thu tu"))
        .filter(|c| !c.trim().is_empty())
        .map(|c| {
            let kind = column_kind(c);
            let mut col = json!({
                "id": col_ids.take(&slug(c, 3)), "label": capitalise(c), "kind": kind,
                "required": true,
            });
            if matches!(kind, "integer" | "money") {
                col["min"] = json!(0);
            }
            col
        })
        .collect();
    if cols.is_empty() {
        return;
    }
    let id = ids.take(&slug(label, 4));
    found.fields.push(json!({
        "id": id, "label": label, "kind": "table", "required": false,
        "aggregate": "concat", "columns": cols,
    }));
}

pub fn capitalise(s: &str) -> String {
    let s = s.trim();
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// "(số văn bản, ngày ban hành và cơ quan ban hành)": the columns of a
/// table the line asks for.
fn listed_columns(text: &str) -> Option<Vec<String>> {
    for (open, _) in text.match_indices('(') {
        let inner = &text[open + 1..];
        let Some(close) = inner.find(')') else {
            continue;
        };
        let inner = &inner[..close];
        let parts: Vec<String> = inner
            .split([',', ';'])
            .flat_map(|p| p.split(" và "))
            .map(|p| p.trim().to_string())
            .filter(|p| !p.is_empty())
            .collect();
        let short = parts.iter().all(|p| p.split_whitespace().count() <= 5);
        let dated = parts.iter().any(|p| fold(p).starts_with("ngay"));
        if parts.len() >= 3 && short && dated {
            return Some(parts);
        }
    }
    None
}

/// The fields of an item: `leaf` when it has no sub-items.
pub fn of_item(
    title: &str,
    intro: &[String],
    guidance: &[super::structure::Guide],
    tables: &[Vec<Vec<String>>],
    leaf: bool,
    optional: bool,
) -> Found {
    let mut found = Found::default();
    let mut ids = Ids::default();
    let req = !optional;
    // A choice among the item's own bullets: "Tự xếp loại (chọn một):"
    // then one short bullet per option.
    let bullets: Vec<&str> = guidance
        .iter()
        .filter(|g| g.bullet)
        .map(|g| g.text.as_str())
        .collect();
    let asks_one = {
        let f = fold(title) + " " + &fold(&intro.join(" "));
        f.contains("xep loai") || f.contains("chon mot") || f.contains("chon 01")
    };
    if leaf
        && asks_one
        && bullets.len() >= 2
        && bullets
            .iter()
            .all(|b| b.split_whitespace().count() <= 8 && !b.ends_with('.') && blanks(b).is_empty())
    {
        push_choice(
            &label(title),
            bullets
                .iter()
                .map(|b| b.trim_end_matches([';', ',']).to_string())
                .collect(),
            req,
            &mut ids,
            &mut found,
        );
        return found;
    }
    let titled = typed(title, optional, &mut ids, &mut found);
    for line in intro {
        typed(line, optional, &mut ids, &mut found);
    }
    let mut any_bullet = false;
    for (gi, g) in guidance.iter().enumerate() {
        if !typed(&g.text, optional, &mut ids, &mut found) && g.bullet && leaf {
            let l = label(&g.text);
            let id = ids.take(&slug(&l, 4));
            let opt = optional || fold(&g.text).contains("(neu co)");
            found.fields.push(json!({
                "id": id, "label": l, "kind": "text", "required": !opt,
                "aggregate": "collect", "bullet": gi, "multiline": true,
            }));
            any_bullet = true;
        }
        if let Some(cols) = listed_columns(&g.text) {
            let l = label(&g.text);
            table_field(&l, &cols, &mut ids, &mut found);
        }
    }
    for t in tables {
        if let Some(head) = t.first() {
            let l = if found.fields.is_empty() && !titled {
                label(title)
            } else {
                format!("Bảng: {}", label(title))
            };
            table_field(&l, head, &mut ids, &mut found);
        }
    }
    if leaf && found.fields.is_empty() && !any_bullet {
        let l = label(&strip_if_any(title));
        let l = if l.is_empty() {
            "Nội dung".to_string()
        } else {
            l
        };
        found.fields.push(json!({
            "id": "noi_dung", "label": l, "kind": "text", "required": req,
            "aggregate": "collect", "multiline": true,
        }));
    }
    found
}

/// The title without "(nếu có)".
pub fn strip_if_any(title: &str) -> String {
    let f = title.to_lowercase();
    match f.find("(nếu có)") {
        Some(i) => format!("{}{}", &title[..i], &title[i + "(nếu có)".len()..])
            .trim()
            .to_string(),
        None => title.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<String> {
        let mut found = Found::default();
        typed(text, false, &mut Ids::default(), &mut found);
        found
            .fields
            .iter()
            .map(|f| f["kind"].as_str().unwrap().to_string())
            .collect()
    }

    #[test]
    fn fill_in_patterns() {
        assert_eq!(kinds("Tỷ lệ hộ gia đình văn hóa: ……%"), ["percent"]);
        assert_eq!(
            kinds("Đảng viên tham gia: ……/……"),
            ["integer", "integer", "ratio"]
        );
        assert_eq!(
            kinds("Đảng viên học tập: số …… trên tổng số ……, đạt tỷ lệ ……%"),
            ["integer", "integer", "ratio"]
        );
        assert_eq!(kinds("Điểm tự chấm: ……/30"), ["integer"]);
        assert_eq!(kinds("Tự đánh giá: □ Tốt □ Khá □ Trung bình"), ["choice"]);
        assert_eq!(
            kinds("Xếp loại: Xuất sắc; Tốt; Khá; Trung bình"),
            ["choice"]
        );
        assert_eq!(kinds("Kinh phí hỗ trợ: …… đồng"), ["money"]);
        assert_eq!(kinds("Kinh phí hỗ trợ: …… triệu đồng"), ["decimal"]);
        assert_eq!(kinds("Ngày tổ chức hội nghị: …/…/……"), ["date"]);
        assert_eq!(kinds("Số cuộc tiếp xúc: …… cuộc"), ["integer"]);
        assert!(kinds("Nêu rõ các hình thức, v.v... và kết quả.").is_empty());
    }

    #[test]
    fn a_list_of_columns_is_a_table() {
        let cols =
            listed_columns("Nêu rõ văn bản (số văn bản, ngày ban hành và cơ quan ban hành).");
        assert_eq!(
            cols.unwrap(),
            ["số văn bản", "ngày ban hành", "cơ quan ban hành"]
        );
        assert!(listed_columns("(nhất là ở doanh nghiệp, địa bàn dân cư, tôn giáo)").is_none());
    }
}
