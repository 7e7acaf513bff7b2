//! The list of units expected to report to a parent, as offices keep it:
//! a CSV file of `code,name[,type[,deadline]]`.

use crate::t;

/// One unit of the list, with the line it was on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub line: usize,
    pub code: String,
    pub name: String,
    pub unit_type: Option<String>,
    pub deadline: Option<String>,
}

/// Rows of `code,name[,type[,deadline]]` with their line numbers; a header
/// row and a UTF-8 BOM (Excel) are skipped. A bad row is refused with its
/// line number.
pub fn parse_csv(text: &str) -> Result<Vec<Row>, (usize, String)> {
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // The line in the file as an editor shows it: blank lines and line
    // breaks inside quoted names count (the reader's own position points
    // at the blank lines it skipped before a record).
    let line_at = |byte: u64| {
        let bytes = text.as_bytes();
        let start = (byte as usize).min(bytes.len());
        let start = start
            + bytes[start..]
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
        1 + bytes[..start].iter().filter(|&&b| b == b'\n').count()
    };
    for (i, rec) in reader.records().enumerate() {
        let position = match &rec {
            Ok(r) => r.position(),
            Err(e) => e.position(),
        };
        let line = position.map_or(i + 1, |p| line_at(p.byte()));
        let rec = rec.map_err(|e| (line, e.to_string()))?;
        let cells: Vec<String> = rec.iter().map(crate::text::nfc).collect();
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        let first = crate::vi::fold::ascii_file_name(&cells[0]).to_lowercase();
        if i == 0 && (first == "code" || first == "ma" || first == "ma-don-vi") {
            continue;
        }
        if cells.len() < 2 {
            return Err((
                line,
                t!("cần ít nhất mã và tên", "a code and a name are needed"),
            ));
        }
        let optional = |i: usize| cells.get(i).filter(|s| !s.is_empty()).cloned();
        rows.push(Row {
            line,
            code: cells[0].clone(),
            name: cells[1].clone(),
            unit_type: optional(2),
            deadline: optional(3),
        });
    }
    Ok(rows)
}
