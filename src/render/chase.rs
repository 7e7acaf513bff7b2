//! The list of units to chase (chưa nộp, nộp muộn) with their deadlines:
//! the annex of the chase letter, as DOCX in the Party layout (the same
//! header and signature as the report) and as CSV for Excel (each cell
//! from someone else made safe, as in the figures CSV).

use super::{Block, Document, Table, TableColumn, clean_line};
use crate::vi::fold::ascii_file_name;
use crate::vnfmt;
use crate::workspace::{State, Submission, Workspace};
use chrono::NaiveDate;

/// The deadline as the plan words it: "trước ngày 20/10/2014".
fn deadline(s: &Submission) -> String {
    s.deadline
        .map(|d| match s.deadline_kind {
            crate::outline::DeadlineKind::Before => format!("trước ngày {}", vnfmt::format_date(d)),
            crate::outline::DeadlineKind::By => {
                format!("chậm nhất ngày {}", vnfmt::format_date(d))
            }
        })
        .unwrap_or_else(|| "chưa có hạn".to_string())
}

/// Where a unit stands, in the words of the annex (always Vietnamese, as
/// the documents are).
fn standing(s: &Submission) -> String {
    match s.state {
        State::Late => format!("Nộp muộn {} ngày", s.days_late),
        State::Damaged => "Gói đã nhận bị hỏng, cần gửi lại".to_string(),
        State::Missing if s.days_late > 0 => format!("Chưa nộp, quá hạn {} ngày", s.days_late),
        State::Missing => "Chưa nộp".to_string(),
        State::Pending => "Chờ xác nhận".to_string(),
        State::Received => "Đã nộp".to_string(),
    }
}

fn sent(s: &Submission) -> String {
    s.received
        .as_ref()
        .filter(|_| s.state != State::Damaged)
        .map(|r| vnfmt::format_date(r.sent_day()))
        .unwrap_or_default()
}

/// The annex as a document: the report's header and signature, "DANH
/// SÁCH", what it lists, and one table row per unit in the order given.
pub fn document(ws: &Workspace, units: &[&Submission], today: NaiveDate) -> Document {
    let base = super::document(&ws.outline, &ws.report, &|_: &str, _: &str| None, None);
    let rows: Vec<Vec<String>> = units
        .iter()
        .enumerate()
        .map(|(i, s)| {
            vec![
                (i + 1).to_string(),
                clean_line(&s.code),
                clean_line(&s.name),
                deadline(s),
                standing(s),
                sent(s),
            ]
        })
        .collect();
    let col = |label: &str, numeric| TableColumn {
        label: label.to_string(),
        numeric,
    };
    let intro = if units.is_empty() {
        format!(
            "Tính đến ngày {}, không có đơn vị nào chưa nộp hoặc nộp muộn báo cáo.",
            vnfmt::format_date(today)
        )
    } else {
        format!(
            "Tính đến ngày {}, có {} đơn vị chưa nộp hoặc nộp muộn báo cáo:",
            vnfmt::format_date(today),
            units.len()
        )
    };
    let mut body = vec![Block::Paragraph(intro)];
    if !units.is_empty() {
        body.push(Block::Table(Table {
            columns: vec![
                col("STT", true),
                col("Mã đơn vị", false),
                col("Tên đơn vị", false),
                col("Hạn nộp", false),
                col("Tình trạng", false),
                col("Ngày gửi", false),
            ],
            rows,
            total: None,
        }));
    }
    // The letter it goes with has its own number and day: the number is
    // left to fill in, the day is today's.
    let place = base
        .header
        .place_date
        .split(", ")
        .next()
        .unwrap_or_default()
        .to_string();
    let header = super::Header {
        number: format!("Số {}", super::BLANK),
        place_date: format!("{place}, {}", vnfmt::format_date_long(today)),
        ..base.header
    };
    Document {
        draft: false,
        // The same layout as the report the list goes with.
        layout: base.layout,
        header,
        doc_type: "DANH SÁCH".to_string(),
        subject: format!(
            "Đơn vị chưa nộp, nộp muộn báo cáo {}",
            lower_first(&base.subject)
        ),
        body,
        signature: base.signature,
        appendix: None,
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The same list as CSV: one row per unit, UTF-8 with a BOM and CRLF for
/// Excel; the names and codes (from other units' packages) never read as
/// formulas.
pub fn csv(units: &[&Submission]) -> String {
    let mut w = super::csv::writer();
    let _ = w.write_record([
        "unit_code",
        "unit_name",
        "deadline",
        "deadline_kind",
        "status",
        "days_late",
        "sent_on",
    ]);
    for s in units {
        let kind = match s.deadline_kind {
            crate::outline::DeadlineKind::Before => "before",
            crate::outline::DeadlineKind::By => "by",
        };
        let _ = w.write_record([
            super::csv::cell(&s.code),
            super::csv::cell(&s.name),
            s.deadline.map(vnfmt::format_date).unwrap_or_default(),
            if s.deadline.is_some() { kind } else { "" }.to_string(),
            s.state.as_str().to_string(),
            s.days_late.to_string(),
            sent(s),
        ]);
    }
    super::csv::for_excel(w.into_inner().unwrap_or_default())
}

/// "DonDoc-HU01-Huyen-uy-Tan-Phu-20141021": ASCII, no spaces; the day
/// keeps the lists of different days apart.
pub fn file_stem(ws: &Workspace, today: NaiveDate) -> String {
    let mut stem = String::from("DonDoc");
    for part in [
        ascii_file_name(&ws.report.unit.code),
        ascii_file_name(&ws.report.unit.name),
    ] {
        if !part.is_empty() {
            stem.push('-');
            stem.push_str(&part);
        }
    }
    stem.push_str(&today.format("-%Y%m%d").to_string());
    stem
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lower_first_keeps_the_rest() {
        assert_eq!(lower_first("Sơ kết 10 năm"), "sơ kết 10 năm");
        assert_eq!(lower_first(""), "");
    }
}
