//! The report as the office prints it: one [`Document`] built from the
//! outline and the answers, then written out as plain text (the F8
//! preview), Markdown and DOCX in the Party layout (Hướng dẫn 36-HD/VPTW).
//! All three renderers walk the same `Document`, so they say the same
//! thing in the same order. Everything here is pure: no files, no clock.
//!
//! Every string stored in a `Document` is already clean: NFC, no control
//! characters, no line breaks (a text answer with line breaks becomes
//! several paragraphs), so a renderer never has to think about them.

pub mod chase;
pub mod csv;
pub mod docx;
pub mod markdown;
pub mod text;

use crate::outline::{Field, Item, Kind, Layout, Outline};
use crate::report::{Report, Status};
use crate::validate::{self, FieldState};
use crate::vnfmt::{self, NumKind};
use crate::workspace::Workspace;
use rust_decimal::Decimal;
use serde_json::Value;
use std::collections::{BTreeMap, HashSet};
use unicode_normalization::UnicodeNormalization;

/// The national title, top right of every Party document.
pub const PARTY: &str = "ĐẢNG CỘNG SẢN VIỆT NAM";
/// The national title and motto, top right of every State document
/// (Nghị định 30/2020/NĐ-CP).
pub const STATE: &str = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM";
pub const MOTTO: &str = "Độc lập - Tự do - Hạnh phúc";
/// The mark of a draft on the first page.
pub const DRAFT: &str = "DỰ THẢO";
/// What stands in for a required answer that is missing.
pub const MISSING: &str = "[Chưa có nội dung]";
/// What follows a value that is kept as typed but is not valid.
pub const INVALID: &str = "[chưa hợp lệ]";
pub const RECIPIENTS: &str = "Nơi nhận:";
pub const APPENDIX_TITLE: &str = "PHỤ LỤC";
pub const APPENDIX_SUBTITLE: &str = "Số liệu của các đơn vị";
pub const TOTAL: &str = "Tổng cộng";
/// Before the units embedded in the children's packages.
pub const EMBEDDED: &str =
    "Số liệu của từng đơn vị trong gói của cấp dưới (đã tính trong số của đơn vị cấp dưới đó):";
/// Before the units whose figures are reported beside the totals.
pub const BESIDE: &str = "Các đơn vị báo cáo riêng (số liệu không cộng vào tổng cộng):";
/// A blank the office fills in by hand (a number not yet given, a date).
pub const BLANK: &str = "…";
/// The short line under the subject, as text.
pub const RULE: &str = "-----";
/// Figure columns per appendix table: more would not fit a portrait page
/// (nor 80 columns), so wider appendices are split into several tables,
/// each repeating STT and Đơn vị.
pub const APPENDIX_COLUMNS_PER_TABLE: usize = 4;
/// The key a merged table row carries with the name of the unit it came
/// from (the same as `merge::ROW_UNIT_NAME`).
use crate::merge::ROW_UNIT_NAME;
use crate::vi::fold::ascii_file_name;

/// What a render needs beyond the report: the children's figures at a
/// parent unit, for the appendix.
#[derive(Debug, Clone, PartialEq)]
pub struct Appendix {
    /// The figures shown, in order: (item id, field id, column label).
    pub columns: Vec<AppendixColumn>,
    /// One row per child unit, in the order given.
    pub rows: Vec<AppendixRow>,
    /// The totals row: must equal the aggregate figures of the parent.
    pub totals: Vec<Option<Decimal>>,
    /// Units reported beside the totals (not summed), with their figures.
    pub beside: Vec<AppendixRow>,
    /// What a figure needs said beside it, by (item, field): that it
    /// covers only some units, that it was set by hand. Printed in the
    /// appendix and after the figure in the body.
    pub notes: BTreeMap<(String, String), String>,
    /// The same, short, for the body: "tính trên 18/20 đơn vị có đủ số
    /// liệu", "số ghi tay".
    pub marks: BTreeMap<(String, String), String>,
    /// The rows the children gave for the report's tables, by table.
    pub tables: Vec<AppendixTable>,
    /// The units embedded in the children's packages (at a province, the
    /// districts' communes), each after the unit it came in and named with
    /// it: "Xã Phú Lâm (Huyện ủy Tân Phú)". Not added again: their figures
    /// are in that unit's.
    pub embedded: Vec<AppendixRow>,
}

/// One table of the report, as the children filled it in.
#[derive(Debug, Clone, PartialEq)]
pub struct AppendixTable {
    /// "Văn bản đã ban hành (A.I.2)".
    pub caption: String,
    pub table: Table,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppendixColumn {
    pub item: String,
    pub field: String,
    pub label: String,
    pub kind: Kind,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AppendixRow {
    pub unit_code: String,
    pub unit_name: String,
    pub values: Vec<Option<Decimal>>,
}

/// Everything printed, in document order, shared by all three renderers.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// A draft: "DỰ THẢO" at the top of the first page.
    pub draft: bool,
    /// Party or State: the national title, the number's form.
    pub layout: Layout,
    pub header: Header,
    /// "BÁO CÁO".
    pub doc_type: String,
    /// The subject line under the document type.
    pub subject: String,
    /// The outline's sections with the answers, then the approval sentence.
    pub body: Vec<Block>,
    pub signature: Signature,
    /// At a parent unit: the children's figures, on a page of its own
    /// after the signature.
    pub appendix: Option<AppendixPart>,
}

/// The two header blocks. Left: `superior`, `issuer`, "*", `number`.
/// Right: [`PARTY`] with a rule under it, then `place_date`.
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// "ĐẢNG BỘ TỈNH ĐỒNG NAI" (capitals, not bold). `None` at the top
    /// level with no superior body given: Hướng dẫn 36-HD/VPTW gives the
    /// issuing body alone there, one line.
    pub superior: Option<String>,
    /// "HUYỆN UỶ TÂN PHÚ" (bold capitals).
    pub issuer: String,
    /// "Số 45-BC/HU".
    pub number: String,
    /// "Tân Phú, ngày 15 tháng 10 năm 2014" (italics).
    pub place_date: String,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Block {
    /// An outline heading: "A-" "ĐÁNH GIÁ …"; level 0 for A, 1 for I, …
    Heading {
        id: String,
        level: usize,
        marker: String,
        title: String,
    },
    /// One paragraph of a text answer (justified, first-line indent).
    Paragraph(String),
    /// A sentence stating figures: "Số hội nghị, …: 12."
    Figure(String),
    /// A required answer not given: "[Chưa có nội dung]" (italics).
    Missing(String),
    /// The line introducing a table: "Văn bản đã ban hành:".
    Caption(String),
    /// The outline's guidance, in a blank outline (italics).
    Guidance(String),
    Table(Table),
}

impl Block {
    /// The heading as printed: marker and title.
    pub fn heading_text(marker: &str, title: &str) -> String {
        if marker.is_empty() {
            title.to_string()
        } else {
            format!("{marker} {title}")
        }
    }
}

/// A bordered table: a header row, the rows, an optional bold totals row.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    pub columns: Vec<TableColumn>,
    pub rows: Vec<Vec<String>>,
    pub total: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TableColumn {
    pub label: String,
    /// Figures: aligned right.
    pub numeric: bool,
}

/// The end of the document. Left: "Nơi nhận:" and its list; right: the
/// authority, the title, room for the signature, the name.
#[derive(Debug, Clone, PartialEq)]
pub struct Signature {
    /// "T/M BAN THƯỜNG VỤ".
    pub authority: String,
    /// "PHÓ BÍ THƯ".
    pub position: String,
    /// "Nguyễn Văn A".
    pub name: String,
    /// Each line starting "- ".
    pub recipients: Vec<String>,
}

/// The appendix page: "PHỤ LỤC", "Số liệu của các đơn vị", what it is
/// attached to, and the tables (several when there are many figures).
#[derive(Debug, Clone, PartialEq)]
pub struct AppendixPart {
    pub title: String,
    pub subtitle: String,
    /// "(Kèm theo Báo cáo số 45-BC/HU, ngày 15/10/2014)".
    pub note: Option<String>,
    /// The figures' tables (several when there are many figures), what
    /// they cover, the units reported beside the totals, and the rows the
    /// children gave for the report's tables.
    pub blocks: Vec<Block>,
}

/// Builds the document. `figures(item, field)` gives every value that is
/// not a text answer (numbers, dates, choices, tables): at a parent unit
/// the effective figure; for a plain unit `|i, f| report.value(i, f).cloned()`.
/// Text answers and the front matter come from `report.value`.
pub fn document(
    outline: &Outline,
    report: &Report,
    figures: &dyn Fn(&str, &str) -> Option<Value>,
    appendix: Option<&Appendix>,
) -> Document {
    let front = outline
        .entries()
        .into_iter()
        .map(|e| e.item)
        .find(|i| i.front_matter);
    let front_value = |field: &str| {
        front
            .and_then(|f| report.value(&f.id, field))
            .and_then(one_line)
    };
    let front_date = |field: &str| -> Option<Result<chrono::NaiveDate, String>> {
        let raw = front_value(field)?;
        Some(vnfmt::parse_date(&raw).map_err(|_| raw))
    };

    let number = front_value("so_ky_hieu").map(|n| strip_so(&n).to_string());
    let date = front_date("ngay");
    let place = front_value("dia_danh").unwrap_or_else(|| BLANK.to_string());
    let place_date = match &date {
        Some(Ok(d)) => format!("{place}, {}", vnfmt::format_date_long(*d)),
        Some(Err(raw)) => format!("{place}, {raw} {INVALID}"),
        None => format!("{place}, ngày {BLANK} tháng {BLANK} năm {BLANK}"),
    };
    let header = Header {
        superior: {
            let top = outline
                .unit_type(&report.unit.unit_type)
                .is_some_and(|u| u.reports_to.is_none());
            match front_value("cap_tren") {
                None if top => None,
                given => Some(upper(given)),
            }
        },
        issuer: upper(front_value("co_quan")),
        number: number_line(
            outline.document.layout,
            &number.clone().unwrap_or_else(|| BLANK.to_string()),
        ),
        place_date,
    };

    let mut body = Vec::new();
    let builder = Builder {
        outline,
        report,
        figures,
        marks: appendix.map(|a| &a.marks),
        children: appendix
            .into_iter()
            .flat_map(|a| a.rows.iter().chain(&a.beside))
            .map(|r| r.unit_code.as_str())
            .collect(),
        parent: appendix.is_some(),
    };
    for item in &outline.items {
        body.extend(builder.item(item, 0));
    }
    // Only an approval that holds is printed: a draft claims none.
    if let Some(a) = report.approval() {
        let by = if a.by.to_lowercase().starts_with("tập thể") {
            a.by.clone()
        } else {
            format!("tập thể {}", a.by)
        };
        let on = match vnfmt::parse_date(&a.on) {
            Ok(d) => vnfmt::format_date_long(d),
            Err(_) => format!("ngày {}", a.on),
        };
        body.push(Block::Paragraph(format!(
            "Báo cáo này đã được {by} thông qua {on}."
        )));
        if let Some(i) = &a.incomplete {
            body.push(Block::Paragraph(format!(
                "Báo cáo được thông qua khi mới hoàn thành {}% nội dung theo đề cương. Lý do: {}",
                i.percent, i.reason
            )));
        }
    }

    let recipients = front
        .and_then(|f| report.value(&f.id, "noi_nhan"))
        .map(paragraphs)
        .unwrap_or_default()
        .into_iter()
        .map(|line| {
            if line.starts_with(['-', '+', '–', '•']) {
                line
            } else {
                format!("- {line}")
            }
        })
        .collect::<Vec<_>>();
    let signature = Signature {
        authority: upper(front_value("thay_mat")),
        position: upper(front_value("chuc_vu")),
        name: front_value("nguoi_ky").unwrap_or_else(|| BLANK.to_string()),
        recipients: if recipients.is_empty() {
            vec![format!("- {BLANK}")]
        } else {
            recipients
        },
    };

    let appendix = appendix.map(|a| {
        let attached = match (&number, &date) {
            (Some(n), Some(Ok(d))) => Some(format!(
                "(Kèm theo Báo cáo số {n}, ngày {})",
                vnfmt::format_date(*d)
            )),
            (Some(n), _) => Some(format!("(Kèm theo Báo cáo số {n})")),
            (None, Some(Ok(d))) => Some(format!(
                "(Kèm theo Báo cáo ngày {})",
                vnfmt::format_date(*d)
            )),
            _ => None,
        };
        appendix_part(a, attached)
    });

    Document {
        draft: report.status == Status::Draft,
        layout: outline.document.layout,
        header,
        doc_type: clean(&outline.document.doc_type),
        subject: clean(&outline.document.subject),
        body,
        signature,
        appendix,
    }
}

/// "Số 45-BC/HU" (Party) or "Số: 45/BC-UBND" (State).
pub fn number_line(layout: Layout, number: &str) -> String {
    match layout {
        Layout::Party => format!("Số {number}"),
        Layout::State => format!("Số: {number}"),
    }
}

/// A dotted line to write on.
pub const DOTS: &str = "………………………………………………………………………………………………";

/// The outline as a blank document: headings, intro and guidance, a
/// place to write each answer (dotted lines, "…" for figures, □ before
/// each option, empty tables), the header and signature left blank. For
/// the meeting that approves the outline and for units on paper.
pub fn blank(outline: &Outline) -> Document {
    fn walk(item: &Item, level: usize, out: &mut Vec<Block>) {
        if item.front_matter {
            return;
        }
        out.push(Block::Heading {
            id: item.id.clone(),
            level,
            marker: clean(&item.marker),
            title: clean(&item.title),
        });
        if let Some(intro) = &item.intro {
            out.extend(
                intro
                    .lines()
                    .map(clean)
                    .filter(|l| !l.is_empty())
                    .map(Block::Paragraph),
            );
        }
        let dots = |f: &Field, out: &mut Vec<Block>| {
            let lines = if f.multiline { 3 } else { 1 };
            out.extend((0..lines).map(|_| Block::Paragraph(DOTS.to_string())));
        };
        for (i, g) in item.guidance.iter().enumerate() {
            let g = clean(g);
            let shown = if g.starts_with(['+', '-', '•', '–']) {
                g
            } else {
                format!("- {g}")
            };
            out.push(Block::Guidance(shown));
            // A bullet's answer is written under it.
            for f in item
                .fields
                .iter()
                .filter(|f| f.kind == Kind::Text && f.bullet == Some(i))
            {
                dots(f, out);
            }
        }
        for f in &item.fields {
            let label = clean(&f.label);
            match f.kind {
                Kind::Text if f.bullet.is_some_and(|b| b < item.guidance.len()) => {}
                Kind::Text => {
                    // The heading names an item's only answer already.
                    let only = item.fields.len() == 1 && item.guidance.is_empty();
                    if !only {
                        out.push(Block::Caption(format!("{label}:")));
                    }
                    dots(f, out);
                }
                Kind::Table => {
                    out.push(Block::Caption(format!("{label}:")));
                    let mut columns = vec![TableColumn {
                        label: "STT".into(),
                        numeric: true,
                    }];
                    columns.extend(f.columns.iter().map(|c| TableColumn {
                        label: clean(&c.label),
                        numeric: c.kind.is_numeric(),
                    }));
                    let width = columns.len();
                    out.push(Block::Table(Table {
                        columns,
                        rows: (1..=3)
                            .map(|n| {
                                let mut r = vec![n.to_string()];
                                r.extend((1..width).map(|_| String::new()));
                                r
                            })
                            .collect(),
                        total: None,
                    }));
                }
                Kind::Choice => {
                    let options = f
                        .options
                        .iter()
                        .map(|o| format!("□ {}", clean(o)))
                        .collect::<Vec<_>>()
                        .join("    ");
                    out.push(Block::Figure(format!("{label}: {options}")));
                }
                Kind::Percent => out.push(Block::Figure(format!("{label}: {BLANK}{BLANK}%"))),
                Kind::Date => out.push(Block::Figure(format!(
                    "{label}: ngày {BLANK}/{BLANK}/{BLANK}{BLANK}"
                ))),
                Kind::Ratio => out.push(Block::Figure(format!("{label}: {BLANK}{BLANK}%"))),
                _ => {
                    let max = f
                        .max
                        .as_ref()
                        .filter(|_| f.kind == Kind::Integer)
                        .map(|m| format!("/{m}"))
                        .unwrap_or_default();
                    out.push(Block::Figure(format!("{label}: {BLANK}{BLANK}{max}")));
                }
            }
        }
        for child in &item.items {
            walk(child, level + 1, out);
        }
    }
    let mut body = Vec::new();
    if let Some(w) = &outline.issued_with {
        body.push(Block::Guidance(clean(w)));
    }
    for item in &outline.items {
        walk(item, 0, &mut body);
    }
    let layout = outline.document.layout;
    // Titled as the đề cương it is: "ĐỀ CƯƠNG" over the rest of its title.
    let title = clean(&outline.title);
    let (doc_type, subject) = match title.strip_prefix("ĐỀ CƯƠNG") {
        Some(rest) if !rest.trim().is_empty() => ("ĐỀ CƯƠNG".to_string(), rest.trim().to_string()),
        _ => (title.clone(), clean(&outline.document.subject)),
    };
    let front = outline.items.iter().find(|i| i.front_matter);
    let default = |id: &str| {
        front
            .and_then(|f| f.field(id))
            .and_then(|f| f.default.clone())
            .unwrap_or_else(|| BLANK.to_string())
    };
    Document {
        draft: false,
        layout,
        header: Header {
            superior: Some(BLANK.to_string()),
            issuer: BLANK.to_string(),
            number: number_line(layout, BLANK),
            place_date: format!("{BLANK}, ngày {BLANK} tháng {BLANK} năm {BLANK}"),
        },
        doc_type,
        subject,
        body,
        signature: Signature {
            authority: default("thay_mat"),
            position: BLANK.to_string(),
            name: BLANK.to_string(),
            recipients: vec![format!("- {BLANK}")],
        },
        appendix: None,
    }
}

/// At a parent: the children's figures for the printed appendix, one
/// row per unit in Vietnamese order, with totals equal to the aggregate.
pub fn appendix(ws: &Workspace) -> Option<Appendix> {
    use crate::merge::LeftOut;
    use crate::outline::Aggregate;
    if ws.children.is_empty() {
        return None;
    }
    let mut columns = Vec::new();
    for e in ws.outline.entries() {
        for f in e
            .item
            .fields
            .iter()
            .filter(|f| matches!(f.aggregate, Aggregate::Sum | Aggregate::Ratio))
        {
            columns.push((
                AppendixColumn {
                    item: e.item.id.clone(),
                    field: f.id.clone(),
                    label: f.label.clone(),
                    kind: f.kind,
                },
                e.item,
                f,
            ));
        }
    }
    // A child's figure as the merge judged it: a number where its own
    // rules accept it (a part larger than its whole is not one), its rate.
    let row_of = |p: &crate::package::Package, name: String| AppendixRow {
        unit_code: p.unit.code.clone(),
        unit_name: name,
        values: columns
            .iter()
            .map(|(col, item, f)| {
                let values = p.answers.get(&col.item);
                let state = validate::item_states(item, values)
                    .into_iter()
                    .find(|(id, _)| *id == f.id)
                    .map(|(_, s)| s);
                match state {
                    Some(FieldState::Computed(rate)) => rate,
                    Some(FieldState::Answered) => {
                        crate::merge::valid_number(f, values.and_then(|m| m.get(&f.id)))
                    }
                    _ => None,
                }
            })
            .collect(),
    };
    let row = |c: &crate::workspace::Child| row_of(&c.package, c.package.unit.name.clone());
    let by_name = |a: &&crate::workspace::Child, b: &&crate::workspace::Child| {
        crate::vi::fold::cmp_vi(&a.package.unit.name, &b.package.unit.name)
    };
    let mut counted: Vec<&crate::workspace::Child> = ws.totals_children().collect();
    counted.sort_by(by_name);
    let mut beside: Vec<&crate::workspace::Child> = ws
        .children
        .iter()
        .filter(|c| !ws.outline.in_totals(&c.package.unit.unit_type))
        .collect();
    beside.sort_by(by_name);
    let merged = ws.aggregate();
    let totals = columns
        .iter()
        .map(|(col, _, f)| {
            let v = merged.value(&col.item, &col.field)?;
            match f.kind {
                Kind::Ratio => match v {
                    Value::Number(n) => validate::stored_number(n),
                    _ => None,
                },
                k => validate::number_in(k.num_kind()?, v),
            }
        })
        .collect();

    // What each figure needs said: what it covers, and figures set by hand.
    let name_of = |code: &str| {
        ws.children
            .iter()
            .find(|c| c.package.unit.code == code)
            .map_or_else(|| code.to_string(), |c| c.package.unit.name.clone())
    };
    let mut notes = BTreeMap::new();
    let mut marks = BTreeMap::new();
    for (col, item, f) in &columns {
        let Some(cov) = merged.coverage(&col.item, &col.field) else {
            continue;
        };
        if cov.complete() {
            continue;
        }
        let label = |id: &str| item.field(id).map(|f| clean(&f.label)).unwrap_or_default();
        let (part, whole) = match &f.of {
            Some([p, w]) => (label(p), label(w)),
            None => Default::default(),
        };
        let mut left: Vec<String> = cov
            .left_out
            .iter()
            .map(|(code, why)| {
                let why = match why {
                    LeftOut::Invalid(_) => "số liệu không hợp lệ".to_string(),
                    LeftOut::PartOnly => format!("có «{part}» nhưng thiếu «{whole}»"),
                    LeftOut::WholeOnly => format!("có «{whole}» nhưng thiếu «{part}»"),
                };
                format!("{} ({why})", clean_line(&name_of(code)))
            })
            .collect();
        left.extend(
            cov.missing
                .iter()
                .map(|code| format!("{} (chưa có số liệu)", clean_line(&name_of(code)))),
        );
        let covers = format!(
            "tính trên {}/{} đơn vị có đủ số liệu",
            cov.counted.len(),
            cov.of
        );
        notes.insert(
            (col.item.clone(), col.field.clone()),
            sentence(&format!(
                "«{}» {covers}; chưa tính: {}",
                clean(&col.label),
                left.join("; ")
            )),
        );
        marks.insert((col.item.clone(), col.field.clone()), covers);
    }
    let stale = ws.stale_overrides();
    for (item, fields) in &ws.report.overrides {
        for (field, note) in fields {
            let Some((col, _, f)) = columns
                .iter()
                .find(|(c, ..)| c.item == *item && c.field == *field)
            else {
                continue;
            };
            let Some(nk) = f.kind.num_kind() else {
                continue;
            };
            let shown = |v: Option<&Value>| {
                v.and_then(|v| validate::number_in(nk, v))
                    .map(|n| vnfmt::format_number(n, nk))
                    .unwrap_or_else(|| BLANK.to_string())
            };
            let own = shown(ws.report.value(item, field));
            let now = shown(merged.value(item, field));
            let mut text = format!(
                "«{}»: {} ghi tay số {own}; tổng hợp từ các đơn vị là {now}",
                clean(&col.label),
                clean_line(&ws.report.unit.name)
            );
            if let Some(reason) = &note.reason {
                text.push_str(&format!(" (lý do: {})", clean_line(reason)));
            }
            let is_stale = stale.iter().any(|s| s.item == *item && s.field == *field);
            if is_stale {
                text.push_str(&format!(
                    ". Khi ghi tay, số tổng hợp là {}; số ghi tay cần được xem lại",
                    shown(note.computed.as_ref())
                ));
            }
            notes.insert((item.clone(), field.clone()), sentence(&text));
            marks.insert(
                (item.clone(), field.clone()),
                if is_stale {
                    "số ghi tay, cần xem lại".to_string()
                } else {
                    "số ghi tay".to_string()
                },
            );
        }
    }

    // The children's table rows, which the body leaves out.
    let mut tables = Vec::new();
    for e in ws.outline.entries() {
        for f in e
            .item
            .fields
            .iter()
            .filter(|f| f.aggregate == Aggregate::Concat)
        {
            let Some(v @ Value::Array(_)) = merged.value(&e.item.id, &f.id) else {
                continue;
            };
            let v = &named_with_their_child(ws, v);
            for b in data_table(f, v, &ws.report.unit.name) {
                if let Block::Table(table) = b {
                    tables.push(AppendixTable {
                        caption: format!("{} ({})", clean(&f.label), e.item.id),
                        table,
                    });
                }
            }
        }
    }
    // The units inside the children's packages, depth first, each level
    // in Vietnamese order.
    fn inside(
        p: &crate::package::Package,
        depth: usize,
        out: &mut Vec<AppendixRow>,
        row_of: &dyn Fn(&crate::package::Package, String) -> AppendixRow,
    ) {
        if p.children.is_empty() || depth >= crate::package::MAX_DEPTH {
            return;
        }
        let mut units = p.embedded();
        units.sort_by(|a, b| crate::vi::fold::cmp_vi(&a.unit.name, &b.unit.name));
        for u in &units {
            out.push(row_of(u, format!("{} ({})", u.unit.name, p.unit.name)));
            inside(u, depth + 1, out, row_of);
        }
    }
    let mut embedded = Vec::new();
    for c in counted.iter().chain(beside.iter()) {
        inside(&c.package, 0, &mut embedded, &row_of);
    }
    let rows = counted.iter().map(|c| row(c)).collect();
    let beside = beside.iter().map(|c| row(c)).collect();
    Some(Appendix {
        columns: columns.into_iter().map(|(c, ..)| c).collect(),
        rows,
        totals,
        beside,
        notes,
        marks,
        tables,
        embedded,
    })
}

/// A merged table's rows with the unit each came from named with the
/// child whose package brought it, when that is not the unit itself: a
/// commune's row at a province reads "Xã Phú Lâm (Huyện ủy Tân Phú)".
fn named_with_their_child(ws: &Workspace, v: &Value) -> Value {
    let mut v = v.clone();
    if let Value::Array(rows) = &mut v {
        for r in rows.iter_mut().filter_map(Value::as_object_mut) {
            let Some(code) = r.get(crate::merge::ROW_UNIT_CODE).and_then(Value::as_str) else {
                continue;
            };
            let Some(child) = ws
                .children
                .iter()
                .find(|c| c.package.unit.code != code && c.units.contains(code))
            else {
                continue;
            };
            if let Some(Value::String(name)) = r.get_mut(ROW_UNIT_NAME) {
                *name = format!("{name} ({})", child.package.unit.name);
            }
        }
    }
    v
}

/// The most table rows a printed document may have, body and appendix
/// together. Laying them out costs time and memory in proportion (a DOCX
/// of 19,900 rows: 1.6 s, 448 MB and 39 MB written on a 2-core machine;
/// `cargo bench --bench process -- render`); a document over this is a
/// list, not a report to print.
pub const MAX_TABLE_ROWS: usize = 20_000;
/// The most characters of text a printed document may have (about 6,000
/// pages; text is cheap to lay out: 4 million characters take 0.6 s).
pub const MAX_CHARS: usize = 20_000_000;

/// Why a document is not laid out.
#[derive(Debug, thiserror::Error, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum RenderError {
    TooManyRows { rows: usize, limit: usize },
    TooManyChars { chars: usize, limit: usize },
}

impl crate::i18n::Localized for RenderError {
    fn localized(&self, lang: crate::i18n::Lang) -> String {
        let n = |x: usize| match lang {
            crate::i18n::Lang::Vi => vnfmt::format_int(x as i64),
            crate::i18n::Lang::En => x.to_string(),
        };
        match self {
            RenderError::TooManyRows { rows, limit } => {
                let (rows, limit) = (n(*rows), n(*limit));
                crate::tl!(
                    lang,
                    "Văn bản có {rows} dòng bảng, quá giới hạn {limit} dòng của một văn bản in; chưa in. Xem lại các bảng rất dài (thường do một gói cấp dưới); số liệu vẫn xuất được ra CSV (baocao render --format csv).",
                    "The document has {rows} table rows, over the {limit} rows a printed document may have; nothing is printed. Look at very long tables (often from one child's package); the figures can still be written as CSV (baocao render --format csv)."
                )
            }
            RenderError::TooManyChars { chars, limit } => {
                let (chars, limit) = (n(*chars), n(*limit));
                crate::tl!(
                    lang,
                    "Văn bản có {chars} ký tự, quá giới hạn {limit} ký tự của một văn bản in; chưa in. Xem lại các câu trả lời rất dài.",
                    "The document has {chars} characters, over the {limit} a printed document may have; nothing is printed. Look at very long answers."
                )
            }
        }
    }
}

crate::coded!(RenderError => "render");
crate::localized_display!(RenderError);

impl Document {
    /// Table rows (body and appendix) and characters of text, counted
    /// before anything is laid out.
    pub fn size(&self) -> (usize, usize) {
        let mut rows = 0;
        let mut chars = 0;
        let parts = [
            &self.body[..],
            self.appendix.as_ref().map_or(&[][..], |a| &a.blocks),
        ];
        for block in parts.into_iter().flatten() {
            match block {
                Block::Heading { title, .. } => chars += title.len(),
                Block::Paragraph(p)
                | Block::Figure(p)
                | Block::Missing(p)
                | Block::Caption(p)
                | Block::Guidance(p) => chars += p.len(),
                Block::Table(t) => {
                    rows += t.rows.len();
                    chars += t.rows.iter().flatten().map(String::len).sum::<usize>();
                }
            }
        }
        (rows, chars)
    }

    /// The document, when it is within [`MAX_TABLE_ROWS`] and
    /// [`MAX_CHARS`] (bytes of UTF-8 counted as characters: a bound, not
    /// a measure).
    pub fn within_limits(self) -> Result<Document, RenderError> {
        let (rows, chars) = self.size();
        if rows > MAX_TABLE_ROWS {
            Err(RenderError::TooManyRows {
                rows,
                limit: MAX_TABLE_ROWS,
            })
        } else if chars > MAX_CHARS {
            Err(RenderError::TooManyChars {
                chars,
                limit: MAX_CHARS,
            })
        } else {
            Ok(self)
        }
    }
}

/// The report document as printed, refused when it is over the limits of
/// a printed document ([`Document::within_limits`]).
pub fn for_print(ws: &Workspace) -> Result<Document, RenderError> {
    of_workspace(ws).within_limits()
}

/// The report document as printed: the effective figures, and at a
/// parent the appendix of the children's figures.
pub fn of_workspace(ws: &Workspace) -> Document {
    let effective = ws.effective();
    let appendix = appendix(ws);
    document(
        &ws.outline,
        &ws.report,
        &|i: &str, f: &str| effective.get(i).and_then(|m| m.get(f)).cloned(),
        appendix.as_ref(),
    )
}

struct Builder<'a> {
    outline: &'a Outline,
    report: &'a Report,
    figures: &'a dyn Fn(&str, &str) -> Option<Value>,
    /// At a parent: what to say after a figure (see [`Appendix::marks`]).
    marks: Option<&'a BTreeMap<(String, String), String>>,
    /// At a parent: the codes of its direct children.
    children: HashSet<&'a str>,
    /// A parent: its tables' rows from below go to the appendix.
    parent: bool,
}

impl Builder<'_> {
    /// The blocks of one item and everything under it; nothing when the
    /// item is left out (optional and unanswered, or a heading whose
    /// children are all left out).
    fn item(&self, item: &Item, level: usize) -> Vec<Block> {
        if item.front_matter {
            // Printed in the header and the signature, not as a section.
            return Vec::new();
        }
        let values = self.values(item);
        let own = self.fields(item, &values);
        let mut children = Vec::new();
        let mut any_child = false;
        for child in &item.items {
            let blocks = self.item(child, level + 1);
            any_child |= !blocks.is_empty();
            children.extend(blocks);
        }
        if self.outline.is_optional(&item.id) && values.is_empty() && !any_child {
            return Vec::new();
        }
        if item.fields.is_empty() && !item.items.is_empty() && !any_child {
            return Vec::new();
        }
        let mut out = vec![Block::Heading {
            id: item.id.clone(),
            level,
            marker: clean(&item.marker),
            title: strip_if_any(&clean(&item.title)),
        }];
        out.extend(own);
        out.extend(children);
        out
    }

    fn mark(&self, item: &str, field: &str) -> Option<&String> {
        self.marks?.get(&(item.to_string(), field.to_string()))
    }

    /// A table in the body: at a parent its own rows (and its direct
    /// children's where the outline says so); every row from below is in
    /// the appendix.
    fn body_table(&self, item: &Item, f: &Field, v: &Value) -> Vec<Block> {
        if !self.parent {
            return data_table(f, v, &self.report.unit.name);
        }
        let Value::Array(rows) = v else {
            return data_table(f, v, &self.report.unit.name);
        };
        let kept: Vec<Value> = rows
            .iter()
            .filter(
                |r| match r.get(crate::merge::ROW_UNIT_CODE).and_then(Value::as_str) {
                    None => true,
                    Some(code) => f.children_rows_in_body && self.children.contains(code),
                },
            )
            .cloned()
            .collect();
        let from_below = rows.len() - kept.len();
        let mut out = if kept.is_empty() {
            Vec::new()
        } else {
            data_table(f, &Value::Array(kept), &self.report.unit.name)
        };
        if from_below > 0 {
            out.push(Block::Paragraph(sentence(&format!(
                "{} của các đơn vị cấp dưới ({from_below} dòng): xem Phụ lục, mục {}",
                clean(&f.label),
                item.id
            ))));
        }
        out
    }

    /// The item's answers that hold something: texts from the report,
    /// everything else from `figures`.
    fn values(&self, item: &Item) -> BTreeMap<String, Value> {
        item.fields
            .iter()
            .filter_map(|f| {
                let v = if f.kind == Kind::Text {
                    self.report.value(&item.id, &f.id).cloned()
                } else {
                    (self.figures)(&item.id, &f.id)
                }?;
                // A merged rate stands as it came, even null (no unit gave
                // both parts); otherwise it is worked out from the parts.
                (f.kind == Kind::Ratio || !is_empty(&v)).then(|| (f.id.clone(), v))
            })
            .collect()
    }

    fn fields(&self, item: &Item, values: &BTreeMap<String, Value>) -> Vec<Block> {
        let states: BTreeMap<String, FieldState> = validate::item_states(item, Some(values))
            .into_iter()
            .collect();
        let invalid = |id: &str| matches!(states.get(id), Some(FieldState::Invalid(_)));
        let mut out = Vec::new();

        // Text answers first, in the order of the guidance bullets.
        let mut texts: Vec<&Field> = item
            .fields
            .iter()
            .filter(|f| f.kind == Kind::Text)
            .collect();
        texts.sort_by_key(|f| f.bullet.unwrap_or(usize::MAX));
        for f in &texts {
            let paras = values.get(&f.id).map(paragraphs).unwrap_or_default();
            if paras.is_empty() {
                if f.required {
                    out.push(Block::Missing(if texts.len() > 1 {
                        format!("[Chưa có nội dung: {}]", clean(&f.label))
                    } else {
                        MISSING.to_string()
                    }));
                }
            } else {
                out.extend(paras.into_iter().map(Block::Paragraph));
            }
        }

        // Then the figures, in field order: sentences, the rates table
        // where its first figure stands, tables.
        let ratios: Vec<(&Field, &Field, &Field)> = item
            .fields
            .iter()
            .filter(|f| f.kind == Kind::Ratio)
            .filter_map(|r| {
                let [part, whole] = r.of.as_ref()?;
                Some((r, item.field(part)?, item.field(whole)?))
            })
            .collect();
        let in_rates: HashSet<&str> = ratios
            .iter()
            .flat_map(|(r, p, w)| [r.id.as_str(), p.id.as_str(), w.id.as_str()])
            .collect();
        let mut rates_done = false;
        let mut pending: Vec<(Option<String>, String, String)> = Vec::new();
        for f in item.fields.iter().filter(|f| f.kind != Kind::Text) {
            if in_rates.contains(f.id.as_str()) {
                if !rates_done {
                    rates_done = true;
                    flush_sentences(&mut pending, &mut out);
                    let mark = |id: &str| self.mark(&item.id, id).cloned();
                    out.extend(rates_table(&ratios, values, &states, &mark));
                }
                continue;
            }
            let Some(v) = values.get(&f.id) else { continue };
            match f.kind {
                Kind::Ratio => {}
                Kind::Table => {
                    flush_sentences(&mut pending, &mut out);
                    out.extend(self.body_table(item, f, v));
                }
                _ => {
                    let mut shown = show(f.kind, v, invalid(&f.id));
                    if let Some(m) = self.mark(&item.id, &f.id) {
                        shown.push_str(&format!(" ({m})"));
                    }
                    let label = clean(&f.label);
                    let label = if f.kind == Kind::Money {
                        label
                            .strip_suffix("(đồng)")
                            .map(|l| l.trim_end().to_string())
                            .unwrap_or(label)
                    } else {
                        label
                    };
                    match label.split_once(": ") {
                        Some((group, name)) if !name.trim().is_empty() => {
                            pending.push((Some(group.to_string()), name.to_string(), shown))
                        }
                        _ => pending.push((None, label, shown)),
                    }
                }
            }
        }
        flush_sentences(&mut pending, &mut out);
        out
    }
}

/// Figures become sentences: "Label: value." each, and figures whose
/// labels share a "Group: " prefix one sentence together:
/// "Kết nạp mới: Mặt trận Tổ quốc 150, Hội Nông dân 40.".
fn flush_sentences(pending: &mut Vec<(Option<String>, String, String)>, out: &mut Vec<Block>) {
    let mut i = 0;
    while i < pending.len() {
        match &pending[i].0 {
            None => {
                let (_, name, value) = &pending[i];
                out.push(Block::Figure(sentence(&format!("{name}: {value}"))));
                i += 1;
            }
            Some(g) => {
                let mut j = i;
                while j < pending.len() && pending[j].0.as_ref() == Some(g) {
                    j += 1;
                }
                let parts = &pending[i..j];
                let sep = if parts.iter().any(|p| p.1.contains(',') || p.2.contains(',')) {
                    "; "
                } else {
                    ", "
                };
                let list = parts
                    .iter()
                    .map(|(_, n, v)| format!("{n} {v}"))
                    .collect::<Vec<_>>()
                    .join(sep);
                out.push(Block::Figure(sentence(&format!("{g}: {list}"))));
                i = j;
            }
        }
    }
    pending.clear();
}

fn sentence(s: &str) -> String {
    if s.ends_with(['.', '!', '?']) {
        s.to_string()
    } else {
        format!("{s}.")
    }
}

/// The rates of an item as one table, one row per ratio field: who, how
/// many took part, out of how many, the rate recomputed from the two.
/// The headers come from the labels themselves: the words all ratio labels
/// share ("Tỷ lệ … tham gia") name the table, the words between name the
/// row ("cán bộ"), the words the parts share name the column ("Số tham gia").
fn rates_table(
    ratios: &[(&Field, &Field, &Field)],
    values: &BTreeMap<String, Value>,
    states: &BTreeMap<String, FieldState>,
    mark: &dyn Fn(&str) -> Option<String>,
) -> Vec<Block> {
    let invalid = |id: &str| matches!(states.get(id), Some(FieldState::Invalid(_)));
    let labels: Vec<Vec<String>> = ratios.iter().map(|(r, _, _)| words(&r.label)).collect();
    let many = ratios.len() > 1;
    let (pre, suf) = if many {
        common_affixes(&labels)
    } else {
        (0, 0)
    };
    let part_words: Vec<Vec<String>> = ratios.iter().map(|(_, p, _)| words(&p.label)).collect();
    let whole_words: Vec<Vec<String>> = ratios.iter().map(|(_, _, w)| words(&w.label)).collect();
    let part_header = match if many {
        common_affixes(&part_words).1
    } else {
        0
    } {
        0 => "Số lượng".to_string(),
        n => format!("Số {}", part_words[0][part_words[0].len() - n..].join(" ")),
    };
    let whole_header = match if many {
        common_affixes(&whole_words).0
    } else {
        0
    } {
        0 => "Tổng số".to_string(),
        n => capitalise(&whole_words[0][..n].join(" ")),
    };
    let mut rows = Vec::new();
    for (i, (r, p, w)) in ratios.iter().enumerate() {
        let (pv, wv) = (values.get(&p.id), values.get(&w.id));
        if pv.is_none() && wv.is_none() {
            continue;
        }
        let middle = &labels[i][pre.min(labels[i].len())..labels[i].len().saturating_sub(suf)];
        let who = if many && !middle.is_empty() && pre + suf < labels[i].len() {
            capitalise(&middle.join(" "))
        } else {
            clean(&p.label)
        };
        let mut rate = match states.get(&r.id) {
            Some(FieldState::Computed(Some(pct))) => vnfmt::format_number(*pct, NumKind::Percent),
            _ => String::new(),
        };
        if let Some(m) = mark(&r.id) {
            rate = format!("{rate} ({m})").trim_start().to_string();
        }
        rows.push(vec![
            who,
            pv.map(|v| show(p.kind, v, invalid(&p.id)))
                .unwrap_or_default(),
            wv.map(|v| show(w.kind, v, invalid(&w.id)))
                .unwrap_or_default(),
            rate,
        ]);
    }
    if rows.is_empty() {
        return Vec::new();
    }
    let caption = if many && pre + suf > 0 {
        let l = &labels[0];
        let mut name: Vec<String> = l[..pre].to_vec();
        name.extend_from_slice(&l[l.len() - suf..]);
        capitalise(&name.join(" "))
    } else {
        clean(&ratios[0].0.label)
    };
    let column = |label: &str, numeric| TableColumn {
        label: label.to_string(),
        numeric,
    };
    vec![
        Block::Caption(format!("{caption}:")),
        Block::Table(Table {
            columns: vec![
                column("Đối tượng", false),
                column(&part_header, true),
                column(&whole_header, true),
                column("Tỷ lệ", true),
            ],
            rows,
            total: None,
        }),
    ]
}

/// A table answer ("Văn bản đã ban hành") with its column labels. At a
/// parent unit, where rows merged from other units carry their unit, a
/// first column names the unit of every row (the parent's own rows too).
fn data_table(f: &Field, v: &Value, own_unit: &str) -> Vec<Block> {
    let caption = Block::Caption(format!("{}:", clean(&f.label)));
    let Value::Array(list) = v else {
        return vec![Block::Figure(sentence(&format!(
            "{}: {} {INVALID}",
            clean(&f.label),
            clean(&v.to_string())
        )))];
    };
    let with_unit = list
        .iter()
        .any(|r| r.get(ROW_UNIT_NAME).is_some_and(|n| !is_empty(n)));
    let mut columns = Vec::new();
    if with_unit {
        columns.push(TableColumn {
            label: "Đơn vị".into(),
            numeric: false,
        });
    }
    columns.extend(f.columns.iter().map(|c| TableColumn {
        label: clean(&c.label),
        numeric: c.kind.is_numeric(),
    }));
    let rows = list
        .iter()
        .map(|row| {
            let Some(cells) = row.as_object() else {
                let mut r = vec![String::new(); columns.len()];
                r[0] = format!(
                    "{} {INVALID}",
                    one_line(&Value::String(row.to_string())).unwrap_or_default()
                );
                return r;
            };
            let mut r = Vec::new();
            if with_unit {
                r.push(
                    cells
                        .get(ROW_UNIT_NAME)
                        .and_then(one_line)
                        .unwrap_or_else(|| clean_line(own_unit)),
                );
            }
            for c in &f.columns {
                let cell = cells.get(&c.id).filter(|v| !is_empty(v));
                r.push(match cell {
                    Some(v) => {
                        let bad =
                            matches!(validate::check(&c.rules(), Some(v)), FieldState::Invalid(_));
                        show(c.kind, v, bad)
                    }
                    None if c.required => MISSING.to_string(),
                    None => String::new(),
                });
            }
            r
        })
        .collect();
    vec![
        caption,
        Block::Table(Table {
            columns,
            rows,
            total: None,
        }),
    ]
}

fn appendix_part(a: &Appendix, note: Option<String>) -> AppendixPart {
    let label = |c: &AppendixColumn| {
        let l = clean(&c.label);
        if c.kind == Kind::Money && !l.contains("đồng") {
            format!("{l} (đồng)")
        } else {
            l
        }
    };
    let value = |c: &AppendixColumn, v: Option<Decimal>| {
        let nk = match c.kind {
            // The unit is in the column label, not in every cell.
            Kind::Money => NumKind::Integer,
            Kind::Ratio => NumKind::Percent,
            k => k.num_kind().unwrap_or(NumKind::Decimal),
        };
        v.map(|n| vnfmt::format_number(n, nk)).unwrap_or_default()
    };
    // One table: the units of `units`, the figures of the columns `cols`.
    let table = |units: &[AppendixRow], cols: &[usize]| {
        let mut columns = vec![
            TableColumn {
                label: "STT".into(),
                numeric: true,
            },
            TableColumn {
                label: "Đơn vị".into(),
                numeric: false,
            },
        ];
        columns.extend(cols.iter().map(|&i| TableColumn {
            label: label(&a.columns[i]),
            numeric: true,
        }));
        let rows = units
            .iter()
            .enumerate()
            .map(|(n, row)| {
                let mut r = vec![(n + 1).to_string(), clean_line(&row.unit_name)];
                r.extend(
                    cols.iter()
                        .map(|&i| value(&a.columns[i], row.values.get(i).copied().flatten())),
                );
                r
            })
            .collect();
        (columns, rows)
    };
    let mut tables = Vec::new();
    let indices: Vec<usize> = (0..a.columns.len()).collect();
    let chunks: Vec<&[usize]> = if indices.is_empty() {
        vec![&[]]
    } else {
        indices.chunks(APPENDIX_COLUMNS_PER_TABLE).collect()
    };
    for chunk in chunks.iter() {
        let (columns, rows) = table(&a.rows, chunk);
        let mut total = vec![String::new(), TOTAL.to_string()];
        total.extend(
            chunk
                .iter()
                .map(|&i| value(&a.columns[i], a.totals.get(i).copied().flatten())),
        );
        tables.push(Block::Table(Table {
            columns,
            rows,
            total: Some(total),
        }));
    }
    let mut blocks = tables;
    blocks.extend(a.notes.values().map(|n| Block::Paragraph(n.clone())));
    if !a.beside.is_empty() {
        blocks.push(Block::Caption(BESIDE.into()));
        let (columns, rows) = table(&a.beside, &indices);
        blocks.push(Block::Table(Table {
            columns,
            rows,
            total: None,
        }));
    }
    if !a.embedded.is_empty() {
        blocks.push(Block::Caption(EMBEDDED.into()));
        for chunk in &chunks {
            let (columns, rows) = table(&a.embedded, chunk);
            blocks.push(Block::Table(Table {
                columns,
                rows,
                total: None,
            }));
        }
    }
    for t in &a.tables {
        blocks.push(Block::Caption(format!("{}:", clean_line(&t.caption))));
        blocks.push(Block::Table(t.table.clone()));
    }
    AppendixPart {
        title: APPENDIX_TITLE.into(),
        subtitle: APPENDIX_SUBTITLE.into(),
        note,
        blocks,
    }
}

/// A value as printed: Vietnamese numbers ("1.234", "1.250.000 đồng",
/// "82,7%"), anything else as typed; an invalid value keeps what was typed
/// and says so.
fn show(kind: Kind, v: &Value, invalid: bool) -> String {
    let text = match (kind.num_kind(), v) {
        (Some(nk), v @ (Value::Number(_) | Value::String(_))) => match validate::number_in(nk, v) {
            Some(n) => vnfmt::format_number(n, nk),
            None => clean_line(&validate::display(kind, v)),
        },
        (_, Value::String(s)) => clean_line(s),
        (_, other) => clean_line(&validate::display(kind, other)),
    };
    if invalid {
        format!("{text} {INVALID}")
    } else {
        text
    }
}

fn is_empty(v: &Value) -> bool {
    match v {
        Value::Null => true,
        Value::String(s) => s.trim().is_empty(),
        Value::Array(a) => a.is_empty(),
        _ => false,
    }
}

/// A value as one clean line, None when empty.
fn one_line(v: &Value) -> Option<String> {
    let s = match v {
        Value::String(s) => clean_line(s),
        Value::Null => String::new(),
        other => clean_line(&other.to_string()),
    };
    (!s.is_empty()).then_some(s)
}

/// A text answer as paragraphs: one per line, blank lines dropped.
fn paragraphs(v: &Value) -> Vec<String> {
    let s = match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    s.split(['\n', '\r', '\u{2028}', '\u{2029}', '\u{85}'])
        .map(clean_line)
        .filter(|p| !p.is_empty())
        .collect()
}

/// NFC, no control characters (tabs and line breaks become spaces), no
/// bidirectional overrides, runs of spaces collapsed, trimmed.
pub fn clean_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in strip_escapes(s).nfc() {
        let c = match c {
            '\t' | '\n' | '\r' | '\u{2028}' | '\u{2029}' | '\u{85}' | '\u{A0}' => ' ',
            c if c.is_control() || crate::text::is_bidi_control(c) || !crate::text::xml_char(c) => {
                continue;
            }
            c => c,
        };
        if c == ' ' && (out.is_empty() || out.ends_with(' ')) {
            continue;
        }
        out.push(c);
    }
    while out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Terminal escape sequences pasted with the text ("\x1b[31m", a window
/// title "\x1b]0;…\x07") go whole, not only their ESC: what they leave
/// would be noise in a printed report.
fn strip_escapes(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => match chars.peek() {
                Some('[') => {
                    chars.next();
                    skip_csi(&mut chars);
                }
                Some(']' | 'P' | '_' | '^' | 'X') => {
                    chars.next();
                    skip_string(&mut chars);
                }
                Some(&n) if ('@'..='Z').contains(&n) || ('\\'..='_').contains(&n) => {
                    chars.next();
                }
                _ => {}
            },
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{9e}' | '\u{9f}' | '\u{98}' => skip_string(&mut chars),
            c => out.push(c),
        }
    }
    out
}

/// Parameters and intermediates, then one final byte.
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars>) {
    while let Some(&c) = chars.peek() {
        if ('\u{30}'..='\u{3f}').contains(&c) || ('\u{20}'..='\u{2f}').contains(&c) {
            chars.next();
        } else {
            if ('\u{40}'..='\u{7e}').contains(&c) {
                chars.next();
            }
            return;
        }
    }
}

/// Up to BEL or the string terminator (ESC \\ or U+009C); a line break
/// also ends it, so a stray ESC cannot swallow a whole answer.
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars>) {
    while let Some(&c) = chars.peek() {
        match c {
            '\u{7}' | '\u{9c}' => {
                chars.next();
                return;
            }
            '\n' | '\r' => return,
            '\u{1b}' => {
                chars.next();
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                return;
            }
            _ => {
                chars.next();
            }
        }
    }
}

/// Outline text: the same cleaning.
fn clean(s: &str) -> String {
    clean_line(s)
}

/// "KIẾN NGHỊ, ĐỀ XUẤT (nếu có)" prints as "KIẾN NGHỊ, ĐỀ XUẤT": the
/// "(nếu có)" is the outline telling units the section may be left out;
/// when it is printed, it has content.
fn strip_if_any(title: &str) -> String {
    for pat in ["(nếu có)", "(Nếu có)", "(NẾU CÓ)"] {
        if let Some(at) = title.rfind(pat) {
            let rest = title[at + pat.len()..].trim();
            if rest.chars().all(|c| matches!(c, '.' | ':')) {
                return format!("{}{rest}", title[..at].trim_end());
            }
        }
    }
    title.to_string()
}

fn upper(s: Option<String>) -> String {
    s.map(|s| crate::text::nfc(&s.to_uppercase()))
        .unwrap_or_else(|| BLANK.to_string())
}

/// "Số 45-BC/HU" typed whole still prints "Số 45-BC/HU", not "Số Số …".
fn strip_so(s: &str) -> &str {
    for prefix in ["Số", "số", "SỐ"] {
        if let Some(rest) = s.strip_prefix(prefix)
            && (rest.starts_with([' ', ':', '.']) || rest.is_empty())
        {
            let rest = rest.trim_start_matches([' ', ':', '.']);
            if !rest.is_empty() {
                return rest;
            }
        }
    }
    s
}

fn words(s: &str) -> Vec<String> {
    clean(s).split(' ').map(str::to_string).collect()
}

/// How many leading and trailing words every list shares (compared
/// without case), never overlapping in the shortest.
fn common_affixes(lists: &[Vec<String>]) -> (usize, usize) {
    let Some(shortest) = lists.iter().map(Vec::len).min() else {
        return (0, 0);
    };
    let same = |a: &str, b: &str| a.to_lowercase() == b.to_lowercase();
    let mut pre = 0;
    while pre < shortest && lists.iter().all(|l| same(&l[pre], &lists[0][pre])) {
        pre += 1;
    }
    let mut suf = 0;
    while suf < shortest - pre
        && lists
            .iter()
            .all(|l| same(&l[l.len() - 1 - suf], &lists[0][lists[0].len() - 1 - suf]))
    {
        suf += 1;
    }
    (pre, suf)
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => crate::text::nfc(&(c.to_uppercase().collect::<String>() + chars.as_str())),
        None => String::new(),
    }
}

/// The file name of a render without its extension:
/// "BaoCao-27112-Xa-Tan-Phu-DU-THAO". ASCII letters, digits and dashes
/// only (Vietnamese letters lose their marks, đ becomes d), no spaces,
/// short enough for any USB stick.
pub fn file_stem(report: &Report) -> String {
    let mut stem = String::from("BaoCao");
    for part in [
        ascii_file_name(&report.unit.code),
        ascii_file_name(&report.unit.name),
    ] {
        if !part.is_empty() {
            stem.push('-');
            stem.push_str(&part);
        }
    }
    if report.status == Status::Draft {
        stem.push_str("-DU-THAO");
    }
    stem
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cleaning_drops_controls_and_pasted_escape_sequences() {
        assert_eq!(clean_line("a\u{1b}[1;31mb\u{1b}[0m c"), "ab c");
        assert_eq!(clean_line("x\u{1b}]0;title\u{7}y"), "xy");
        assert_eq!(clean_line("x\u{9b}2Jy\u{7f}\u{0}z"), "xyz");
        assert_eq!(clean_line("  một\thai  \u{202e}ba "), "một hai ba");
        assert_eq!(clean_line("Tuye\u{302}n"), "Tuyên");
        // A lone ESC at the end, or before an ordinary letter.
        assert_eq!(clean_line("a\u{1b}"), "a");
        assert_eq!(clean_line("a\u{1b}bc"), "abc");
    }

    #[test]
    fn a_text_answer_is_split_into_paragraphs() {
        let v = Value::String("Một.\r\n\r\nHai.\u{2028}Ba.\n  \n".into());
        assert_eq!(paragraphs(&v), ["Một.", "Hai.", "Ba."]);
    }

    #[test]
    fn outline_words_that_are_not_printed() {
        assert_eq!(
            strip_if_any("KIẾN NGHỊ, ĐỀ XUẤT (nếu có)"),
            "KIẾN NGHỊ, ĐỀ XUẤT"
        );
        assert_eq!(strip_if_any("Khác (nếu có)."), "Khác.");
        assert_eq!(strip_if_any("Đối với tỉnh."), "Đối với tỉnh.");
        assert_eq!(strip_so("Số 45-BC/HU"), "45-BC/HU");
        assert_eq!(strip_so("số: 45-BC/HU"), "45-BC/HU");
        assert_eq!(strip_so("45-BC/HU"), "45-BC/HU");
    }

    #[test]
    fn shared_words_of_labels() {
        let l = |s: &str| words(s);
        let lists = [l("Tỷ lệ cán bộ tham gia"), l("Tỷ lệ đảng viên tham gia")];
        assert_eq!(common_affixes(&lists), (2, 2));
        let same = [l("Tỷ lệ"), l("Tỷ lệ")];
        assert_eq!(common_affixes(&same), (2, 0));
        assert_eq!(capitalise("đảng viên"), "Đảng viên");
    }

    #[test]
    fn file_names_fold_to_ascii() {
        assert_eq!(ascii_file_name("Thị trấn Đắk Mil"), "Thi-tran-Dak-Mil");
        assert_eq!(ascii_file_name("Xã  Tân—Phú!"), "Xa-Tan-Phu");
    }
}
