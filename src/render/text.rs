//! The document as plain text, at most 78 columns wide: what the preview
//! (F8) shows and what goes into an email. Same content, same order as the
//! DOCX; headings start at the margin, paragraphs are indented, tables are
//! drawn with padded columns.

use super::{Block, DRAFT, Document, MOTTO, PARTY, RECIPIENTS, RULE, STATE, Table};
use crate::outline::Layout;
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

/// The widest line written.
pub const WIDTH: usize = 78;
/// The first-line indent of a paragraph.
const INDENT: usize = 4;
/// The left column of the header and of the signature.
const LEFT: usize = 34;
const RIGHT: usize = WIDTH - LEFT;
/// Lines left for the handwritten signature.
const SIGNATURE_SPACE: usize = 3;

pub fn render(doc: &Document) -> String {
    let mut out: Vec<String> = Vec::new();
    if doc.draft {
        let inner = format!(" {DRAFT} ");
        let bar = "─".repeat(width(&inner));
        for line in [format!("┌{bar}┐"), format!("│{inner}│"), format!("└{bar}┘")] {
            out.push(format!("{}{line}", " ".repeat(WIDTH - width(&line))));
        }
        out.push(String::new());
    }

    let h = &doc.header;
    let (mark, right): (String, Vec<String>) = match doc.layout {
        Layout::Party => ("*".into(), vec![PARTY.into(), "─".repeat(width(PARTY))]),
        Layout::State => (
            "─".repeat(8),
            vec![STATE.into(), MOTTO.into(), "─".repeat(width(MOTTO))],
        ),
    };
    let right: Vec<&str> = right.iter().map(String::as_str).collect();
    out.extend(columns(
        &centred_all(
            &h.superior
                .iter()
                .map(String::as_str)
                .chain([h.issuer.as_str(), mark.as_str()])
                .collect::<Vec<_>>(),
            LEFT,
        ),
        &centred_all(&right, RIGHT),
    ));
    out.extend(columns(
        &centred_all(&[&h.number], LEFT),
        &centred_all(&[&h.place_date], RIGHT),
    ));
    out.push(String::new());

    out.push(centre(&doc.doc_type, WIDTH));
    for line in wrap(&doc.subject, WIDTH - 14, 0, 0) {
        out.push(centre(&line, WIDTH));
    }
    out.push(centre(RULE, WIDTH));

    blocks(&mut out, &doc.body);

    out.push(String::new());
    let s = &doc.signature;
    let mut left = vec![RECIPIENTS.to_string()];
    for r in &s.recipients {
        left.extend(wrap(r, LEFT - 2, 0, 2));
    }
    let mut right = centred_all(&[&s.authority, &s.position], RIGHT);
    right.extend(std::iter::repeat_n(String::new(), SIGNATURE_SPACE));
    right.extend(centred_all(&[&s.name], RIGHT));
    out.extend(columns(&left, &right));

    if let Some(a) = &doc.appendix {
        out.push(String::new());
        out.push(String::new());
        out.push(centre(&a.title, WIDTH));
        out.push(centre(&a.subtitle, WIDTH));
        if let Some(note) = &a.note {
            for line in wrap(note, WIDTH - 8, 0, 0) {
                out.push(centre(&line, WIDTH));
            }
        }
        blocks(&mut out, &a.blocks);
    }

    let mut text = out
        .iter()
        .map(|l| l.trim_end())
        .collect::<Vec<_>>()
        .join("\n");
    text.push('\n');
    text
}

/// The body's blocks, or the appendix's, a blank line between them (none
/// between a caption and its table).
fn blocks(out: &mut Vec<String>, blocks: &[Block]) {
    let mut after_caption = false;
    for block in blocks {
        if !after_caption {
            out.push(String::new());
        }
        after_caption = false;
        match block {
            Block::Heading { marker, title, .. } => {
                out.extend(wrap(&Block::heading_text(marker, title), WIDTH, 0, 0));
            }
            Block::Paragraph(p) | Block::Figure(p) | Block::Missing(p) | Block::Guidance(p) => {
                out.extend(wrap(p, WIDTH, INDENT, 0));
            }
            Block::Caption(c) => {
                out.extend(wrap(c, WIDTH, INDENT, 0));
                after_caption = true;
            }
            Block::Table(t) => out.extend(table(t)),
        }
    }
}

fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

fn centre(s: &str, w: usize) -> String {
    let pad = w.saturating_sub(width(s)) / 2;
    format!("{}{s}", " ".repeat(pad))
}

/// Each text wrapped to the column (keeping a space either side) and
/// centred in it.
fn centred_all(texts: &[&str], w: usize) -> Vec<String> {
    texts
        .iter()
        .flat_map(|t| wrap(t, w - 2, 0, 0))
        .map(|l| centre(&l, w))
        .collect()
}

/// Two columns side by side, the left one padded to [`LEFT`].
fn columns(left: &[String], right: &[String]) -> Vec<String> {
    (0..left.len().max(right.len()))
        .map(|i| {
            let l = left.get(i).map(String::as_str).unwrap_or("");
            let r = right.get(i).map(String::as_str).unwrap_or("");
            let pad = LEFT.saturating_sub(width(l));
            format!("{l}{}{r}", " ".repeat(pad)).trim_end().to_string()
        })
        .collect()
}

/// Greedy word wrap by display width: the first line indented by
/// `first`, the others by `rest`; a word longer than a line is cut
/// between graphemes.
pub fn wrap(text: &str, w: usize, first: usize, rest: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = " ".repeat(first);
    let mut empty = true;
    let mut indent = first;
    for word in text.split(' ').filter(|w| !w.is_empty()) {
        let ww = width(word);
        let need = if empty { ww } else { ww + 1 };
        if width(&line) + need <= w {
            if !empty {
                line.push(' ');
            }
            line.push_str(word);
            empty = false;
            continue;
        }
        if !empty {
            lines.push(std::mem::take(&mut line));
            indent = rest;
            line = " ".repeat(indent);
        }
        if indent + ww <= w {
            line.push_str(word);
        } else {
            // Cut a word wider than the line.
            for g in word.graphemes(true) {
                if width(&line) + width(g) > w && width(&line) > indent {
                    lines.push(std::mem::take(&mut line));
                    indent = rest;
                    line = " ".repeat(indent);
                }
                line.push_str(g);
            }
        }
        empty = false;
    }
    if !empty || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// A table drawn with box lines, at most [`WIDTH`] wide: columns shrink
/// (widest first, not below their longest word while they can) and cells
/// wrap; figures are aligned right.
fn table(t: &Table) -> Vec<String> {
    let n = t.columns.len();
    if n == 0 {
        return Vec::new();
    }
    let mut all_rows: Vec<&Vec<String>> = t.rows.iter().collect();
    if let Some(total) = &t.total {
        all_rows.push(total);
    }
    let cell = |r: &Vec<String>, i: usize| r.get(i).cloned().unwrap_or_default();
    let longest_word = |s: &str| s.split(' ').map(width).max().unwrap_or(0);
    let mut widths = vec![1usize; n];
    let mut mins = vec![1usize; n];
    for (i, c) in t.columns.iter().enumerate() {
        widths[i] = widths[i].max(width(&c.label));
        mins[i] = mins[i].max(longest_word(&c.label).min(12));
        for r in &all_rows {
            let v = cell(r, i);
            widths[i] = widths[i].max(width(&v));
            let m = if c.numeric {
                width(&v)
            } else {
                longest_word(&v)
            };
            mins[i] = mins[i].max(m.min(16));
        }
    }
    let avail = WIDTH.saturating_sub(3 * n + 1).max(n);
    while widths.iter().sum::<usize>() > avail {
        let slack = (0..n)
            .filter(|&i| widths[i] > mins[i])
            .max_by_key(|&i| (widths[i] - mins[i], widths[i]));
        let i = match slack {
            Some(i) => i,
            None => match (0..n).filter(|&i| widths[i] > 1).max_by_key(|&i| widths[i]) {
                Some(i) => i,
                None => break,
            },
        };
        widths[i] -= 1;
    }

    let rule = |l: &str, m: &str, r: &str| {
        let parts: Vec<String> = widths.iter().map(|w| "─".repeat(w + 2)).collect();
        format!("{l}{}{r}", parts.join(m))
    };
    let row_lines = |cells: Vec<String>, header: bool| -> Vec<String> {
        let wrapped: Vec<Vec<String>> = cells
            .iter()
            .enumerate()
            .map(|(i, c)| wrap(c, widths[i], 0, 0))
            .collect();
        let height = wrapped.iter().map(Vec::len).max().unwrap_or(1);
        (0..height)
            .map(|k| {
                let parts: Vec<String> = (0..n)
                    .map(|i| {
                        let s = wrapped[i].get(k).map(String::as_str).unwrap_or("");
                        let pad = widths[i].saturating_sub(width(s));
                        if header {
                            let l = pad / 2;
                            format!(" {}{s}{} ", " ".repeat(l), " ".repeat(pad - l))
                        } else if t.columns[i].numeric {
                            format!(" {}{s} ", " ".repeat(pad))
                        } else {
                            format!(" {s}{} ", " ".repeat(pad))
                        }
                    })
                    .collect();
                format!("│{}│", parts.join("│"))
            })
            .collect()
    };
    let body: Vec<Vec<String>> = t
        .rows
        .iter()
        .map(|r| row_lines((0..n).map(|i| cell(r, i)).collect(), false))
        .collect();
    let separate_rows = body.iter().any(|r| r.len() > 1);

    let mut out = vec![rule("┌", "┬", "┐")];
    out.extend(row_lines(
        t.columns.iter().map(|c| c.label.clone()).collect(),
        true,
    ));
    out.push(rule("├", "┼", "┤"));
    for (k, lines) in body.iter().enumerate() {
        if k > 0 && separate_rows {
            out.push(rule("├", "┼", "┤"));
        }
        out.extend(lines.iter().cloned());
    }
    if let Some(total) = &t.total {
        if !t.rows.is_empty() {
            out.push(rule("├", "┼", "┤"));
        }
        out.extend(row_lines((0..n).map(|i| cell(total, i)).collect(), false));
    }
    out.push(rule("└", "┴", "┘"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wraps_by_display_width_with_indents() {
        let lines = wrap("một hai ba bốn năm sáu bảy tám", 12, 4, 0);
        assert_eq!(lines, vec!["    một hai", "ba bốn năm", "sáu bảy tám"]);
        assert!(lines.iter().all(|l| width(l) <= 12));
    }

    #[test]
    fn cuts_a_word_longer_than_the_line() {
        let lines = wrap("ngắn aaaaaaaaaaaaaaaaaaaa", 8, 0, 2);
        assert!(lines.iter().all(|l| width(l) <= 8), "{lines:?}");
        assert_eq!(lines.concat().replace(' ', ""), "ngắnaaaaaaaaaaaaaaaaaaaa");
    }
}
