//! The document as Markdown: the same content in the same order as the
//! DOCX and the text, for email and quick reading. The draft mark comes
//! first, the header and signature blocks are two-column tables, the
//! outline headings are `##`…, tables are pipe tables. Everything typed by
//! a person is escaped so that it reads as typed.

use super::{Block, DRAFT, Document, MOTTO, PARTY, RECIPIENTS, STATE, Table};
use crate::outline::Layout;

pub fn render(doc: &Document) -> String {
    let mut out: Vec<String> = Vec::new();
    if doc.draft {
        out.push(format!("**{DRAFT}**"));
    }

    let h = &doc.header;
    let (national, second, mark) = match doc.layout {
        Layout::Party => (PARTY, String::new(), "\\*"),
        Layout::State => (STATE, format!("**{MOTTO}**"), "---"),
    };
    out.push(
        [
            format!(
                "| {} | **{national}** |",
                esc(h.superior.as_deref().unwrap_or(""))
            ),
            "| :---: | :---: |".to_string(),
            format!("| **{}** | {second} |", esc(&h.issuer)).replace("|  |", "| |"),
            format!("| {mark} | |"),
            format!("| {} | *{}* |", esc(&h.number), esc(&h.place_date)),
        ]
        .join("\n"),
    );

    out.push(format!("# {}", esc(&doc.doc_type)));
    out.push(format!("**{}**", esc(&doc.subject)));

    blocks(&mut out, &doc.body);

    let s = &doc.signature;
    let mut left = vec![format!("***{RECIPIENTS}***")];
    left.extend(s.recipients.iter().map(|r| esc(r)));
    let right = [
        format!("**{}**", esc(&s.authority)),
        format!("**{}**", esc(&s.position)),
        format!("**{}**", esc(&s.name)),
    ];
    // The name sits on the last line, under the room for the signature.
    let rows = left.len().max(right.len());
    let mut sig = Vec::new();
    for i in 0..rows {
        let l = left.get(i).map(String::as_str).unwrap_or("");
        let r = match i {
            0 | 1 => right[i].as_str(),
            i if i == rows - 1 => right[2].as_str(),
            _ => "",
        };
        sig.push(format!("| {l} | {r} |").replace("|  |", "| |"));
        if i == 0 {
            sig.push("| :--- | :---: |".to_string());
        }
    }
    out.push(sig.join("\n"));

    if let Some(a) = &doc.appendix {
        out.push("---".to_string());
        out.push(format!("## {}", esc(&a.title)));
        out.push(format!("**{}**", esc(&a.subtitle)));
        if let Some(note) = &a.note {
            out.push(format!("*{}*", esc(note)));
        }
        blocks(&mut out, &a.blocks);
    }

    let mut text = out.join("\n\n");
    text.push('\n');
    text
}

/// The body's blocks, or the appendix's; a caption goes with its table.
fn blocks(out: &mut Vec<String>, blocks: &[Block]) {
    let mut pending_caption: Option<String> = None;
    for block in blocks {
        let text = match block {
            Block::Heading {
                level,
                marker,
                title,
                ..
            } => format!(
                "{} {}",
                "#".repeat((level + 2).min(6)),
                esc(&Block::heading_text(marker, title))
            ),
            Block::Paragraph(p) | Block::Figure(p) => esc_para(p),
            Block::Missing(m) | Block::Guidance(m) => format!("*{}*", esc(m)),
            Block::Caption(c) => {
                pending_caption = Some(esc_para(c));
                continue;
            }
            Block::Table(t) => {
                let table = table(t);
                match pending_caption.take() {
                    Some(c) => format!("{c}\n\n{table}"),
                    None => table,
                }
            }
        };
        if let Some(c) = pending_caption.take() {
            out.push(c);
        }
        out.push(text);
    }
    if let Some(c) = pending_caption {
        out.push(c);
    }
}

fn table(t: &Table) -> String {
    let mut lines = Vec::new();
    let row = |cells: Vec<String>| format!("| {} |", cells.join(" | "));
    lines.push(row(t.columns.iter().map(|c| esc(&c.label)).collect()));
    lines.push(row(t
        .columns
        .iter()
        .map(|c| if c.numeric { "---:" } else { "---" }.to_string())
        .collect()));
    let n = t.columns.len();
    let cells = |r: &Vec<String>, bold: bool| -> Vec<String> {
        (0..n)
            .map(|i| {
                let v = esc(r.get(i).map(String::as_str).unwrap_or(""));
                if bold && !v.is_empty() {
                    format!("**{v}**")
                } else {
                    v
                }
            })
            .collect()
    };
    for r in &t.rows {
        lines.push(row(cells(r, false)));
    }
    if let Some(total) = &t.total {
        lines.push(row(cells(total, true)));
    }
    lines
        .into_iter()
        .map(|l| l.replace("|  |", "| |"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// A paragraph exactly as typed: [`esc`], and what would start a list or
/// a setext heading at its start escaped too.
pub fn esc_para(s: &str) -> String {
    let mut out = esc(s);
    if out.starts_with(['-', '+', '=']) {
        out.insert(0, '\\');
    }
    // "1. " or "1) " at the start would become a numbered list.
    let digits = out.chars().take_while(char::is_ascii_digit).count();
    let after = &out[digits..];
    if digits > 0
        && after.starts_with(['.', ')'])
        && after[1..].chars().next().is_none_or(char::is_whitespace)
    {
        out.insert(digits, '\\');
    }
    out
}

/// Text exactly as typed inside a line: Markdown's marks are escaped.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '!'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{esc, esc_para};

    #[test]
    fn escapes_what_markdown_would_read() {
        assert_eq!(esc("a*b_c [x](y) | #1"), "a\\*b\\_c \\[x\\](y) \\| \\#1");
        assert_eq!(esc_para("- Đảng ủy"), "\\- Đảng ủy");
        assert_eq!(esc("- Đảng ủy"), "- Đảng ủy");
        assert_eq!(esc_para("12. Mười hai"), "12\\. Mười hai");
        assert_eq!(esc("Số 45-BC/HU"), "Số 45-BC/HU");
        assert_eq!(esc_para("1.204 người"), "1.204 người");
        assert_eq!(esc_para("3)"), "3\\)");
    }
}
