//! A draft outline from the document a province already has: the plan's
//! đề cương as text, Markdown or Word. Reading (`read`) turns bytes into
//! paragraphs; `structure` finds the headings and their nesting, `fields`
//! what each item asks for, `plan` the plan's number, layout and
//! organisation. Nothing here touches a file: the command line reads and
//! writes. What is only guessed is said in the notes, for a person to
//! review; the result always passes `outline check`, or is refused.

mod error;
pub mod fields;
pub mod plan;
pub mod read;
pub mod structure;

pub use error::DraftError;
pub use read::Para;

use crate::i18n::{Lang, Localized};
use crate::outline::{Layout, Outline};
use crate::vi::fold::fold;
use serde_json::{Value, json};
use structure::{Node, parse_marker, stands_alone};

/// How sure a note is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoteKind {
    /// Read from the text.
    Found,
    /// Not in the text: a default was put in.
    Guessed,
    /// Read from the text, but a person must check it (unit types,
    /// deadlines).
    Review,
}

/// One line of the report printed after a draft.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    pub kind: NoteKind,
    pub vi: String,
    pub en: String,
}

impl Localized for Note {
    fn localized(&self, lang: Lang) -> String {
        match lang {
            Lang::Vi => self.vi.clone(),
            Lang::En => self.en.clone(),
        }
    }
}

/// The draft and what was recognised and guessed.
#[derive(Debug, Clone)]
pub struct Draft {
    pub outline: Outline,
    pub notes: Vec<Note>,
}

impl Draft {
    /// The outline file's text.
    pub fn json(&self) -> String {
        let mut s = serde_json::to_string_pretty(&self.outline).expect("an outline serialises");
        s.push('\n');
        s
    }
}

struct Notes(Vec<Note>);

impl Notes {
    fn add(&mut self, kind: NoteKind, vi: String, en: String) {
        self.0.push(Note { kind, vi, en });
    }
}

/// Reads and drafts in one step.
pub fn from_bytes(bytes: &[u8], file_name: &str) -> Result<Draft, DraftError> {
    draft(&read::read(bytes, file_name)?)
}

fn ascii_part(number: &str) -> String {
    let last = number.rsplit('.').next().unwrap_or(number);
    last.chars()
        .filter_map(|c| match c {
            'đ' => Some('d'),
            'Đ' => Some('D'),
            c if c.is_ascii_alphanumeric() => Some(c),
            _ => None,
        })
        .collect()
}

#[derive(Default)]
struct Counts {
    items: usize,
    guidance: usize,
    kinds: std::collections::BTreeMap<String, usize>,
    scores: Vec<(String, u32)>,
}

fn item_json(
    node: &Node,
    parent_id: Option<&str>,
    index: usize,
    inherited_optional: bool,
    ids: &mut std::collections::HashSet<String>,
    counts: &mut Counts,
) -> Value {
    let marker = node.marker.as_ref().expect("items have markers");
    let mut part = ascii_part(&marker.number);
    if part.is_empty() {
        part = (index + 1).to_string();
    }
    let base = match parent_id {
        Some(p) => format!("{p}.{part}"),
        None => part,
    };
    let mut id = base.clone();
    let mut n = 2;
    while ids.contains(&id) {
        id = format!("{base}{}", n);
        n += 1;
    }
    ids.insert(id.clone());
    let optional = inherited_optional || fold(&node.title).contains("(neu co)");
    let leaf = node.children.is_empty();
    // A line that only introduces a table ("Văn bản đã ban hành:") is the
    // table's caption, not guidance.
    let mut node = node.clone();
    if !node.tables.is_empty() {
        node.guidance.retain(|g| g.bullet || !g.text.ends_with(':'));
    }
    let node = &node;
    let found = fields::of_item(
        &node.title,
        &node.intro,
        &node.guidance,
        &node.tables,
        leaf,
        optional,
    );
    counts.items += 1;
    counts.guidance += node.guidance.len();
    for f in &found.fields {
        *counts
            .kinds
            .entry(f["kind"].as_str().unwrap_or("").to_string())
            .or_default() += 1;
    }
    counts.scores.extend(found.scores.iter().cloned());
    let children: Vec<Value> = node
        .children
        .iter()
        .enumerate()
        .map(|(i, c)| item_json(c, Some(&id), i, optional, ids, counts))
        .collect();
    let mut v = json!({
        "id": id,
        "number": marker.number,
        "marker": marker.typed,
        "title": node.title,
        "guidance": node.guidance.iter().map(|g| g.text.clone()).collect::<Vec<_>>(),
        "fields": found.fields,
        "items": children,
    });
    if optional {
        v["optional"] = json!(true);
    }
    if !node.intro.is_empty() {
        v["intro"] = json!(node.intro.join("\n"));
    }
    v
}

/// The front matter item: the header and signature of the layout.
fn front(layout: Layout, types: &[plan::UnitSuggestion], intro: &[String]) -> Value {
    let top: Vec<&str> = types
        .iter()
        .filter(|t| t.reports_to.is_none())
        .map(|t| t.id.as_str())
        .collect();
    let text = |id: &str, label: &str, placeholder: Option<&str>| {
        let mut f = json!({
            "id": id, "label": label, "kind": "text", "required": true, "aggregate": "none",
        });
        if let Some(p) = placeholder {
            f["placeholder"] = json!(p);
        }
        f
    };
    let (guide, superior, issuer, number, authority, position, recipients) = match layout {
        Layout::Party => (
            "Các thông tin in ở phần đầu và phần cuối báo cáo theo thể thức văn bản của Đảng.",
            ("Tổ chức Đảng cấp trên", "Ví dụ: ĐẢNG BỘ TỈNH ĐỒNG NAI"),
            "Ví dụ: ĐẢNG ỦY XÃ PHƯỚC THÁI",
            "Ví dụ: 45-BC/ĐU",
            "T/M BAN THƯỜNG VỤ",
            "Ví dụ: BÍ THƯ",
            "Ví dụ: Ban Thường vụ Tỉnh ủy",
        ),
        Layout::State => (
            "Các thông tin in ở phần đầu và phần cuối báo cáo theo thể thức văn bản hành chính (Nghị định 30/2020/NĐ-CP).",
            ("Cơ quan, tổ chức chủ quản", "Ví dụ: UBND TỈNH ĐỒNG NAI"),
            "Ví dụ: ỦY BAN NHÂN DÂN XÃ PHƯỚC THÁI",
            "Ví dụ: 45/BC-UBND",
            "TM. ỦY BAN NHÂN DÂN",
            "Ví dụ: CHỦ TỊCH",
            "Ví dụ: Ủy ban nhân dân tỉnh (qua Sở Nội vụ)",
        ),
    };
    let mut cap_tren = text("cap_tren", superior.0, Some(superior.1));
    cap_tren["optional_for"] = json!(top);
    cap_tren["from_unit"] = json!("parent_name");
    let mut co_quan = text("co_quan", "Cơ quan ban hành báo cáo", Some(issuer));
    co_quan["from_unit"] = json!("name");
    let mut thay_mat = text(
        "thay_mat",
        "Thẩm quyền ký",
        Some(&format!("Ví dụ: {authority}")),
    );
    thay_mat["default"] = json!(authority);
    let mut noi_nhan = text("noi_nhan", "Nơi nhận", Some(recipients));
    noi_nhan["multiline"] = json!(true);
    let mut v = json!({
        "id": "front",
        "number": "",
        "marker": "",
        "title": "Thông tin chung của báo cáo",
        "front_matter": true,
        "guidance": [guide],
        "fields": [
            cap_tren,
            co_quan,
            text("so_ky_hieu", "Số, ký hiệu", Some(number)),
            text("dia_danh", "Địa danh", Some("Ví dụ: Phước Thái")),
            {"id": "ngay", "label": "Ngày báo cáo", "kind": "date", "required": true, "aggregate": "none"},
            thay_mat,
            text("chuc_vu", "Chức vụ người ký", Some(position)),
            text("nguoi_ky", "Họ và tên người ký", Some("Ví dụ: Nguyễn Văn A")),
            noi_nhan,
        ],
        "items": [],
    });
    if !intro.is_empty() {
        v["intro"] = json!(intro.join("\n"));
    }
    v
}

fn cut_words(s: &str, max: usize) -> String {
    let mut out = String::new();
    for w in s.split_whitespace() {
        if out.chars().count() + w.chars().count() + 1 > max && !out.is_empty() {
            break;
        }
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(w);
    }
    out
}

fn id_words(s: &str, words: usize) -> Vec<String> {
    fold(s)
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(words)
        .map(String::from)
        .collect()
}

/// The draft outline of a document's paragraphs.
pub fn draft(paras: &[Para]) -> Result<Draft, DraftError> {
    let mut notes = Notes(Vec::new());
    // Typed with an old font (.VnTime, VNI-Times): converted first.
    let all: String = paras
        .iter()
        .filter_map(Para::text)
        .collect::<Vec<_>>()
        .join(" ");
    let converted: Vec<Para>;
    let paras = match crate::vi::legacy::detect(&all) {
        Some(legacy) => {
            let to = |s: &str| crate::vi::legacy::to_unicode(s, legacy);
            converted = paras
                .iter()
                .map(|p| match p {
                    Para::Text {
                        text,
                        blank_before,
                        level,
                    } => Para::Text {
                        text: to(text),
                        blank_before: *blank_before,
                        level: *level,
                    },
                    Para::Table(rows) => Para::Table(
                        rows.iter()
                            .map(|r| r.iter().map(|c| to(c)).collect())
                            .collect(),
                    ),
                })
                .collect();
            notes.add(
                NoteKind::Review,
                format!("Văn bản gõ bằng phông cũ {}: đã chuyển sang Unicode, cần đọc lại.", legacy.label()),
                format!("The text was typed in the old {} encoding: converted to Unicode, read it again.", legacy.label()),
            );
            &converted[..]
        }
        None => paras,
    };
    let joined = structure::join(paras);
    let is_de_cuong = |p: &Para| p.text().is_some_and(|t| t.starts_with("ĐỀ CƯƠNG"));
    let split = joined.iter().position(is_de_cuong);
    let (plan_part, body) = match split {
        Some(i) => joined.split_at(i),
        None => (&joined[..0], &joined[..]),
    };
    // The title, the "(Ban hành kèm theo …)" line, the text before the
    // first heading.
    let mut at = 0;
    let mut title_parts: Vec<String> = Vec::new();
    while let Some(Para::Text { text, .. }) = body.get(at) {
        if parse_marker(text).is_some() || (stands_alone(text) && !title_parts.is_empty()) {
            break;
        }
        let caps_head = title_parts.len() == 1
            && title_parts[0].split_whitespace().count() <= 4
            && !title_parts[0].chars().any(char::is_lowercase);
        if !title_parts.is_empty() && !caps_head {
            break;
        }
        title_parts.push(text.clone());
        at += 1;
    }
    let mut issued_with = None;
    if let Some(Para::Text { text, .. }) = body.get(at)
        && stands_alone(text)
        && text.starts_with('(')
    {
        issued_with = Some(text.clone());
        at += 1;
    }
    let root = structure::tree(&body[at..]);
    if root.children.is_empty() {
        let texts = joined.iter().filter(|p| p.text().is_some()).count();
        let bullets = root.guidance.iter().filter(|g| g.bullet).count();
        return Err(DraftError::NoOutline {
            paragraphs: texts,
            markers: bullets,
        });
    }
    let title = if title_parts.is_empty() {
        notes.add(
            NoteKind::Guessed,
            "Không thấy tiêu đề đề cương: đặt là “ĐỀ CƯƠNG BÁO CÁO”.".into(),
            "No outline title found: set to “ĐỀ CƯƠNG BÁO CÁO”.".into(),
        );
        "ĐỀ CƯƠNG BÁO CÁO".to_string()
    } else {
        let t = title_parts.join(" ");
        notes.add(
            NoteKind::Found,
            format!("Tiêu đề: {t}"),
            format!("Title: {t}"),
        );
        t
    };
    if let Some(w) = &issued_with {
        notes.add(
            NoteKind::Found,
            format!("Ban hành kèm theo: {w}"),
            format!("Issued with: {w}"),
        );
    }

    // The plan: its title, number, date, issuer.
    let plan_texts: Vec<&str> = plan_part.iter().filter_map(Para::text).collect();
    let kinds = [
        "KẾ HOẠCH",
        "HƯỚNG DẪN",
        "CÔNG VĂN",
        "THÔNG BÁO",
        "CHƯƠNG TRÌNH",
    ];
    let plan_title = plan_texts
        .iter()
        .position(|t| kinds.contains(t))
        .and_then(|i| {
            let kind = fields::capitalise(&plan_texts[i].to_lowercase());
            plan_texts
                .get(i + 1)
                .filter(|s| parse_marker(s).is_none())
                .map(|s| (format!("{kind} {s}"), s.to_string()))
        });
    let header_number = plan_texts
        .iter()
        .take(12)
        .find(|t| t.starts_with("Số"))
        .and_then(|t| plan::number_after_so(t));
    let number = issued_with
        .as_deref()
        .and_then(plan::number_after_so)
        .or(header_number);
    let date = issued_with
        .as_deref()
        .and_then(plan::find_date)
        .or_else(|| plan_texts.iter().take(12).find_map(|t| plan::find_date(t)))
        .map(|d| d.1);
    let issuer = issued_with.as_deref().and_then(plan::issuer_of);
    let subject_source = plan_title
        .as_ref()
        .map(|(_, s)| s.clone())
        .unwrap_or_else(|| {
            let t = title.strip_prefix("ĐỀ CƯƠNG").unwrap_or(&title).trim();
            let t = ["BÁO CÁO", "báo cáo"]
                .iter()
                .find_map(|p| t.strip_prefix(p))
                .unwrap_or(t)
                .trim();
            t.to_string()
        });
    let subject = if subject_source.is_empty() {
        "theo đề cương".to_string()
    } else {
        subject_source
    };
    let (layout, why, unsure) = plan::layout(&joined);
    let layout_name = |l: Layout, lang: Lang| match (l, lang) {
        (Layout::Party, Lang::Vi) => "văn bản của Đảng (Hướng dẫn 36-HD/VPTW)",
        (Layout::State, Lang::Vi) => "văn bản hành chính (Nghị định 30/2020/NĐ-CP)",
        (Layout::Party, Lang::En) => "a Party document (Hướng dẫn 36-HD/VPTW)",
        (Layout::State, Lang::En) => "a State document (Nghị định 30/2020/NĐ-CP)",
    };
    if unsure {
        notes.add(
            NoteKind::Guessed,
            format!(
                "Thể thức: không rõ, đặt là {}.",
                layout_name(layout, Lang::Vi)
            ),
            format!(
                "Layout: not clear, set to {}.",
                layout_name(layout, Lang::En)
            ),
        );
    } else {
        let w = why
            .iter()
            .map(|w| format!("“{w}”"))
            .collect::<Vec<_>>()
            .join(", ");
        notes.add(
            NoteKind::Found,
            format!("Thể thức: {} (thấy {w}).", layout_name(layout, Lang::Vi)),
            format!("Layout: {} (found {w}).", layout_name(layout, Lang::En)),
        );
    }
    let org_source: &[Para] = if plan_part.is_empty() {
        &joined
    } else {
        plan_part
    };
    let (types, receiver) = plan::organisation(org_source, layout);
    let period = plan::period(&subject)
        .or_else(|| plan::period(&title))
        .or_else(|| {
            date.as_deref()
                .and_then(|d| d.get(6..)?.parse().ok())
                .map(|y| (y, y))
        });

    let mut plan_note = |found: bool, what_vi: &str, what_en: &str, value: &str| {
        if found {
            notes.add(
                NoteKind::Found,
                format!("{what_vi}: {value}"),
                format!("{what_en}: {value}"),
            );
        } else {
            notes.add(
                NoteKind::Guessed,
                format!("{what_vi}: không thấy trong văn bản, đặt tạm “{value}”."),
                format!("{what_en}: not in the text, set to “{value}” for now."),
            );
        }
    };
    let today_year = period.map_or(2025, |p| p.1);
    let number_v = number.clone().unwrap_or_else(|| "…/KH".into());
    plan_note(number.is_some(), "Số kế hoạch", "Plan number", &number_v);
    let date_v = date
        .clone()
        .unwrap_or_else(|| format!("01/01/{today_year:04}"));
    plan_note(date.is_some(), "Ngày kế hoạch", "Plan date", &date_v);
    let issuer_v = issuer
        .clone()
        .unwrap_or_else(|| "Cơ quan ban hành kế hoạch".into());
    plan_note(issuer.is_some(), "Cơ quan ban hành", "Issued by", &issuer_v);
    let (from, to) = period.unwrap_or((today_year, today_year));
    plan_note(
        period.is_some(),
        "Thời kỳ",
        "Period",
        &format!("{from} - {to}"),
    );

    for t in &types {
        let (to, to_en) = match t.reports_to.as_deref() {
            Some(p) => (format!("báo cáo lên {p}"), format!("reports to {p}")),
            None => (
                "cấp cao nhất, tổng hợp".to_string(),
                "the top level, merges".to_string(),
            ),
        };
        let deadline = match &t.deadline {
            Some(d) if t.before => format!("trước ngày {d}"),
            Some(d) => format!("chậm nhất ngày {d}"),
            None => "không có hạn".into(),
        };
        let deadline_en = match &t.deadline {
            Some(d) if t.before => format!("before {d}"),
            Some(d) => format!("by {d}"),
            None => "no deadline".into(),
        };
        let totals = if t.in_totals {
            ""
        } else {
            "; báo cáo riêng, không cộng vào tổng"
        };
        let totals_en = if t.in_totals {
            ""
        } else {
            "; reported beside the totals"
        };
        let kind = if t.source.is_empty() {
            NoteKind::Guessed
        } else {
            NoteKind::Review
        };
        notes.add(
            kind,
            format!(
                "Loại đơn vị {} “{}” {to}, {deadline}{totals} — cần xem lại.",
                t.id, t.name
            ),
            format!(
                "Unit type {} “{}” {to_en}, {deadline_en}{totals_en} — to review.",
                t.id, t.name
            ),
        );
    }

    // The items.
    let mut ids = std::collections::HashSet::new();
    let mut counts = Counts::default();
    let items: Vec<Value> = root
        .children
        .iter()
        .enumerate()
        .map(|(i, n)| item_json(n, None, i, false, &mut ids, &mut counts))
        .collect();
    if split.is_none() {
        let plan_like: Vec<&str> = root
            .children
            .iter()
            .map(|n| n.title.as_str())
            .filter(|t| {
                let f = fold(t);
                f.contains("muc dich") || f.contains("to chuc thuc hien")
            })
            .collect();
        if !plan_like.is_empty() {
            let list = plan_like
                .iter()
                .map(|t| format!("“{t}”"))
                .collect::<Vec<_>>()
                .join(", ");
            notes.add(
                NoteKind::Review,
                format!("Văn bản không có dòng “ĐỀ CƯƠNG”: các mục của chính kế hoạch ({list}) cũng thành mục của đề cương; xóa đi nếu đơn vị không phải báo cáo các mục đó."),
                format!("The document has no “ĐỀ CƯƠNG” line: the plan's own sections ({list}) became items of the outline too; delete them if units do not report on them."),
            );
        }
    }
    let kinds_vi = counts
        .kinds
        .iter()
        .map(|(k, n)| format!("{n} {k}"))
        .collect::<Vec<_>>()
        .join(", ");
    notes.add(
        NoteKind::Found,
        format!(
            "{} mục, {} dòng hướng dẫn; trường: {kinds_vi}.",
            counts.items, counts.guidance
        ),
        format!(
            "{} items, {} guidance lines; fields: {kinds_vi}.",
            counts.items, counts.guidance
        ),
    );
    if let Some((label, max)) = counts
        .scores
        .iter()
        .find(|(l, _)| fold(l).starts_with("tong"))
        .cloned()
    {
        let sum: u32 = counts
            .scores
            .iter()
            .filter(|(l, _)| !fold(l).starts_with("tong"))
            .map(|s| s.1)
            .sum();
        let kind = if sum == max {
            NoteKind::Found
        } else {
            NoteKind::Review
        };
        notes.add(
            kind,
            format!(
                "Điểm: {} tiêu chí, tổng tối đa {sum}; “{label}” tối đa {max}.",
                counts.scores.len() - 1
            ),
            format!(
                "Scores: {} criteria, at most {sum} together; “{label}” at most {max}.",
                counts.scores.len() - 1
            ),
        );
    }

    let mut all_items = vec![front(layout, &types, &root.intro)];
    all_items.extend(items);

    let mut id_parts = number
        .as_deref()
        .map(|n| id_words(n, 4))
        .unwrap_or_default();
    id_parts.extend(id_words(&subject, 3));
    if number.is_none() {
        id_parts.push(to.to_string());
    }
    let mut outline_id = id_parts.join("-");
    outline_id.truncate(48);
    let outline_id = outline_id.trim_end_matches('-').to_string();
    let outline_id = if outline_id.is_empty() {
        "de-cuong".to_string()
    } else {
        outline_id
    };

    let unit_types: Vec<Value> = types
        .iter()
        .map(|t| {
            let mut v = json!({
                "id": t.id, "name": t.name, "reports_to": t.reports_to, "deadline": t.deadline,
            });
            if t.before && t.deadline.is_some() {
                v["deadline_kind"] = json!("before");
            }
            if !t.in_totals {
                v["in_totals"] = json!(false);
            }
            v
        })
        .collect();
    let mut document = json!({"type": "BÁO CÁO", "subject": subject});
    if layout == Layout::State {
        document["layout"] = json!("state");
    }
    let mut plan = json!({
        "number": number_v,
        "date": date_v,
        "issuer": issuer_v,
        "title": plan_title.map(|t| t.0).unwrap_or_else(|| match &number {
            Some(n) => format!("Kế hoạch số {n}"),
            None => format!("Kế hoạch {subject}"),
        }),
        "period": {"from": from, "to": to},
        "unit_types": unit_types,
    });
    if let Some(r) = receiver {
        plan["receiver"] = json!(r);
    }
    let mut outline = json!({
        "format": crate::outline::FORMAT,
        "format_version": crate::outline::FORMAT_VERSION,
        "id": outline_id,
        "version": "1",
        "title": title,
        "short_title": fields::capitalise(&cut_words(&subject, 40)),
        "document": document,
        "plan": plan,
        "items": all_items,
    });
    if let Some(w) = issued_with {
        outline["issued_with"] = json!(w);
    }
    let text = serde_json::to_string(&outline).expect("json");
    let outline = crate::outline::parse(&text).map_err(|problems| DraftError::Invalid {
        problems: problems.iter().map(ToString::to_string).collect(),
    })?;
    Ok(Draft {
        outline,
        notes: notes.0,
    })
}
