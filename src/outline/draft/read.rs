//! A document as paragraphs: plain text, Markdown or .docx, in memory
//! (the caller reads the file). Text comes out NFC, without control
//! characters, Markdown emphasis and heading marks taken off; a Word
//! paragraph's automatic number is written in front of its text as the
//! typed marker it shows ("1.", "a)", "-"), its level kept beside it.

use super::DraftError;
use crate::text::nfc;
use quick_xml::events::{BytesStart, Event};
use std::collections::HashMap;
use std::io::Read;

/// The largest file read: plans are a few hundred kilobytes.
pub const MAX_BYTES: u64 = 10 << 20;
/// A Word file has a few dozen parts.
pub const MAX_ENTRIES: usize = 2000;
/// What one part of a .docx may unpack to.
pub const MAX_PART: u64 = 32 << 20;

/// One paragraph of the source, or a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Para {
    Text {
        text: String,
        /// An empty line (or a paragraph break, in Word) before it: a
        /// single line break in plain text is a hard wrap.
        blank_before: bool,
        /// Word's list level (`w:ilvl`) when the number is automatic.
        level: Option<u8>,
    },
    /// Rows of cells, the first the header.
    Table(Vec<Vec<String>>),
}

impl Para {
    pub fn text(&self) -> Option<&str> {
        match self {
            Para::Text { text, .. } => Some(text),
            Para::Table(_) => None,
        }
    }
}

/// Reads a document: a zip archive (by its signature or a .docx name) as
/// Word, anything else as text or Markdown.
pub fn read(bytes: &[u8], file_name: &str) -> Result<Vec<Para>, DraftError> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(DraftError::TooLarge {
            bytes: bytes.len() as u64,
            max: MAX_BYTES,
        });
    }
    let docx = file_name.to_lowercase().ends_with(".docx");
    if bytes.starts_with(b"PK\x03\x04") || docx {
        read_docx(bytes)
    } else {
        Ok(read_text(&decode(bytes)?)?)
    }
}

/// UTF-8 (with or without its mark), or UTF-16 with its mark.
fn decode(bytes: &[u8]) -> Result<String, DraftError> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes)
        && enc != encoding_rs::UTF_8
    {
        let (text, _, _) = enc.decode(&bytes[bom..]);
        return Ok(text.into_owned());
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => Ok(s.to_string()),
        Err(e) => Err(DraftError::NotUtf8 {
            offset: e.valid_up_to(),
        }),
    }
}

/// NFC, controls removed (a tab is a space), the characters no document
/// may hold refused.
pub fn clean(s: &str, line: usize) -> Result<String, DraftError> {
    if let Some(c) = s.chars().find(|c| matches!(c, '\u{FFFE}' | '\u{FFFF}')) {
        return Err(DraftError::BadCharacter {
            line,
            code: c as u32,
        });
    }
    let kept: String = s
        .chars()
        .filter_map(|c| match c {
            '\t' | '\u{a0}' => Some(' '),
            c if c.is_control() || crate::text::is_bidi_control(c) => None,
            '\u{200b}' | '\u{feff}' => None,
            c => Some(c),
        })
        .collect();
    Ok(nfc(kept.trim()))
}

/// Plain text or Markdown: one paragraph per line.
pub fn read_text(text: &str) -> Result<Vec<Para>, DraftError> {
    let mut out = Vec::new();
    let mut blank = true;
    let mut table: Vec<Vec<String>> = Vec::new();
    for (n, raw) in text.split('\n').enumerate() {
        let line = clean(raw, n + 1)?;
        if line.starts_with('|') && line.ends_with('|') && line.len() > 1 {
            let cells: Vec<String> = line[1..line.len() - 1]
                .split('|')
                .map(|c| markdown(c.trim()))
                .collect();
            if !cells
                .iter()
                .all(|c| c.chars().all(|ch| matches!(ch, '-' | ':' | ' ')) && !c.is_empty())
            {
                table.push(cells);
            }
            continue;
        }
        if !table.is_empty() {
            out.push(Para::Table(std::mem::take(&mut table)));
            blank = true;
        }
        if line.is_empty() {
            blank = true;
            continue;
        }
        let text = markdown(&line);
        if text.is_empty() || text.chars().all(|c| matches!(c, '-' | '*' | '_' | '=')) {
            blank = true;
            continue;
        }
        out.push(Para::Text {
            text,
            blank_before: blank,
            level: None,
        });
        blank = false;
    }
    if !table.is_empty() {
        out.push(Para::Table(table));
    }
    Ok(out)
}

/// Markdown's marks off a line: heading hashes, quote marks, emphasis,
/// backslash escapes; "* " and "+ " bullets are kept as bullets.
fn markdown(line: &str) -> String {
    let mut s = line.trim();
    while let Some(rest) = s.strip_prefix('>') {
        s = rest.trim_start();
    }
    let hashes = s.chars().take_while(|&c| c == '#').count();
    if hashes > 0 && s[hashes..].starts_with(' ') {
        s = s[hashes..].trim_start();
    }
    let (bullet, body) = match s.strip_prefix("* ") {
        Some(rest) => ("- ", rest),
        None => ("", s),
    };
    let mut out = String::from(bullet);
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek().is_some_and(|n| n.is_ascii_punctuation()) => {
                out.push(chars.next().expect("peeked"));
            }
            '*' => {}
            '_' if chars.peek() == Some(&'_') => {
                chars.next();
            }
            c => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Word's list levels: for each `w:numId`, each level's format and text.
#[derive(Debug, Default)]
struct Numbering {
    /// numId → abstractNumId.
    nums: HashMap<String, String>,
    /// abstractNumId → levels by ilvl: (numFmt, lvlText, start).
    abstracts: HashMap<String, HashMap<u8, (String, String, u32)>>,
}

fn attr(e: &BytesStart, name: &[u8]) -> Option<String> {
    e.attributes().flatten().find_map(|a| {
        (a.key.local_name().as_ref() == name)
            .then(|| String::from_utf8_lossy(&a.value).into_owned())
    })
}

fn xml_error(part: &str, e: impl std::fmt::Display) -> DraftError {
    DraftError::BadXml {
        part: part.to_string(),
        detail: e.to_string(),
    }
}

fn parse_numbering(xml: &str) -> Result<Numbering, DraftError> {
    let part = "word/numbering.xml";
    let mut n = Numbering::default();
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut abs: Option<String> = None;
    let mut num: Option<String> = None;
    let mut lvl: Option<u8> = None;
    let mut cur = (String::from("decimal"), String::new(), 1u32);
    loop {
        match reader.read_event().map_err(|e| xml_error(part, e))? {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"abstractNum" => abs = attr(&e, b"abstractNumId"),
                b"num" => num = attr(&e, b"numId"),
                b"abstractNumId" => {
                    if let (Some(id), Some(a)) = (&num, attr(&e, b"val")) {
                        n.nums.insert(id.clone(), a);
                    }
                }
                b"lvl" => {
                    lvl = attr(&e, b"ilvl").and_then(|v| v.parse().ok());
                    cur = (String::from("decimal"), String::new(), 1);
                }
                b"numFmt" if lvl.is_some() => cur.0 = attr(&e, b"val").unwrap_or_default(),
                b"lvlText" if lvl.is_some() => cur.1 = attr(&e, b"val").unwrap_or_default(),
                b"start" if lvl.is_some() => {
                    cur.2 = attr(&e, b"val").and_then(|v| v.parse().ok()).unwrap_or(1)
                }
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                b"lvl" => {
                    if let (Some(a), Some(l)) = (&abs, lvl.take()) {
                        n.abstracts
                            .entry(a.clone())
                            .or_default()
                            .insert(l, cur.clone());
                    }
                }
                b"abstractNum" => abs = None,
                b"num" => num = None,
                _ => {}
            },
            _ => {}
        }
    }
    Ok(n)
}

/// A counter shown in a level's format.
fn format_number(fmt: &str, n: u32) -> String {
    let letter = |base: u8| {
        let i = (n.max(1) - 1) % 26;
        char::from(base + i as u8).to_string()
    };
    match fmt {
        "upperRoman" => crate::outline::roman(n as usize),
        "lowerRoman" => crate::outline::roman(n as usize).to_lowercase(),
        "upperLetter" => letter(b'A'),
        "lowerLetter" => letter(b'a'),
        _ => n.to_string(),
    }
}

/// The marker Word shows for a paragraph at `level` of list `num_id`,
/// the counters moved on.
fn marker(
    numbering: &Numbering,
    counters: &mut HashMap<String, [u32; 9]>,
    num_id: &str,
    level: u8,
) -> Option<String> {
    let abs = numbering.nums.get(num_id)?;
    let levels = numbering.abstracts.get(abs)?;
    let (fmt, text, _) = levels.get(&level)?;
    if fmt == "bullet" {
        // The symbol fonts' private characters ("", "") print as a
        // bullet; a dash stays a dash.
        let typed = text.trim();
        return Some(match typed {
            "-" | "–" | "+" | "•" => typed.to_string(),
            _ => "•".to_string(),
        });
    }
    if fmt == "none" {
        return None;
    }
    let l = usize::from(level.min(8));
    let c = counters.entry(abs.clone()).or_insert_with(|| {
        let mut c = [0u32; 9];
        for (i, slot) in c.iter_mut().enumerate() {
            *slot = levels.get(&(i as u8)).map_or(1, |v| v.2).saturating_sub(1);
        }
        c
    });
    c[l] += 1;
    for (i, slot) in c.iter_mut().enumerate().skip(l + 1) {
        *slot = levels.get(&(i as u8)).map_or(1, |v| v.2).saturating_sub(1);
    }
    let mut shown = text.clone();
    for (i, value) in c.iter().enumerate().take(l + 1) {
        let f = levels.get(&(i as u8)).map_or("decimal", |v| v.0.as_str());
        shown = shown.replace(&format!("%{}", i + 1), &format_number(f, *value));
    }
    Some(shown.trim().to_string())
}

/// Reads one part, never more than [`MAX_PART`] unpacked.
fn part<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
) -> Result<Option<String>, DraftError> {
    let file = match zip.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(e) => {
            return Err(DraftError::NotDocx {
                detail: e.to_string(),
            });
        }
    };
    let too_big = || DraftError::Unpacked {
        part: name.to_string(),
        max: MAX_PART,
    };
    if file.size() > MAX_PART {
        return Err(too_big());
    }
    let mut bytes = Vec::new();
    file.take(MAX_PART + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| DraftError::NotDocx {
            detail: e.to_string(),
        })?;
    if bytes.len() as u64 > MAX_PART {
        return Err(too_big());
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|e| xml_error(name, e))
}

/// A .docx: its paragraphs in order, numbering written out, and tables.
pub fn read_docx(bytes: &[u8]) -> Result<Vec<Para>, DraftError> {
    let mut zip =
        zip::ZipArchive::new(std::io::Cursor::new(bytes)).map_err(|e| DraftError::NotDocx {
            detail: e.to_string(),
        })?;
    if zip.len() > MAX_ENTRIES {
        return Err(DraftError::TooManyEntries {
            entries: zip.len(),
            max: MAX_ENTRIES,
        });
    }
    let numbering = match part(&mut zip, "word/numbering.xml")? {
        Some(xml) => parse_numbering(&xml)?,
        None => Numbering::default(),
    };
    let styles = match part(&mut zip, "word/styles.xml")? {
        Some(xml) => parse_styles(&xml)?,
        None => HashMap::new(),
    };
    let xml = part(&mut zip, "word/document.xml")?.ok_or(DraftError::NoDocumentPart)?;
    document_paragraphs(&xml, &numbering, &styles)
}

/// The paragraph styles that number their paragraphs (a "Heading 1" tied
/// to a multi-level list): style id → (numId, ilvl).
fn parse_styles(xml: &str) -> Result<HashMap<String, (String, u8)>, DraftError> {
    let part = "word/styles.xml";
    let mut out = HashMap::new();
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut style: Option<String> = None;
    let mut num: (Option<String>, u8) = (None, 0);
    loop {
        match reader.read_event().map_err(|e| xml_error(part, e))? {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"style" => {
                    style = attr(&e, b"styleId");
                    num = (None, 0);
                }
                b"numId" => num.0 = attr(&e, b"val"),
                b"ilvl" => num.1 = attr(&e, b"val").and_then(|v| v.parse().ok()).unwrap_or(0),
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == b"style" => {
                if let (Some(id), Some(n)) = (style.take(), num.0.take())
                    && n != "0"
                {
                    out.insert(id, (n, num.1));
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

fn document_paragraphs(
    xml: &str,
    numbering: &Numbering,
    styles: &HashMap<String, (String, u8)>,
) -> Result<Vec<Para>, DraftError> {
    let name = "word/document.xml";
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut out = Vec::new();
    let mut counters: HashMap<String, [u32; 9]> = HashMap::new();
    // Inside a paragraph: its text, its list (numId, ilvl).
    let mut text = String::new();
    let mut in_text = false;
    let mut num: (Option<String>, Option<u8>) = (None, None);
    let mut style: Option<String> = None;
    // Tables (nested ones are read into the cell that holds them).
    let mut table_depth = 0usize;
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut cell = String::new();
    let mut count = 0usize;
    loop {
        let event = reader.read_event().map_err(|e| xml_error(name, e))?;
        let start = matches!(event, Event::Start(_));
        match event {
            Event::Eof => break,
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                b"p" => {
                    text.clear();
                    num = (None, None);
                    style = None;
                }
                b"pStyle" => style = attr(&e, b"val"),
                b"t" => in_text = start,
                b"tab" => text.push(' '),
                b"br" | b"cr" => text.push(' '),
                b"numId" => num.0 = attr(&e, b"val"),
                b"ilvl" => num.1 = attr(&e, b"val").and_then(|v| v.parse().ok()),
                b"tbl" => {
                    table_depth += 1;
                    if table_depth == 1 {
                        rows.clear();
                    }
                }
                b"tr" if table_depth == 1 => rows.push(Vec::new()),
                b"tc" if table_depth == 1 => cell.clear(),
                _ => {}
            },
            Event::Text(t) if in_text => {
                text.push_str(&t.decode().map_err(|e| xml_error(name, e))?);
            }
            Event::GeneralRef(r) if in_text => {
                let c = match r.resolve_char_ref().map_err(|e| xml_error(name, e))? {
                    Some(c) => c,
                    None => match &*r {
                        [b'a', b'm', b'p'] => '&',
                        [b'l', b't'] => '<',
                        [b'g', b't'] => '>',
                        [b'q', b'u', b'o', b't'] => '"',
                        [b'a', b'p', b'o', b's'] => '\'',
                        _ => continue,
                    },
                };
                text.push(c);
            }
            Event::End(e) => match e.local_name().as_ref() {
                b"t" => in_text = false,
                b"p" => {
                    count += 1;
                    let line = clean(&text, count)?;
                    if table_depth > 0 {
                        if !cell.is_empty() && !line.is_empty() {
                            cell.push(' ');
                        }
                        cell.push_str(&line);
                    } else if !line.is_empty() {
                        // The paragraph's own list, else its style's.
                        let by_style = style.as_ref().and_then(|s| styles.get(s));
                        let id = num.0.clone().or_else(|| by_style.map(|s| s.0.clone()));
                        let lvl = num.1.or(by_style.map(|s| s.1)).unwrap_or(0);
                        let level = id.as_deref().filter(|id| *id != "0").and_then(|id| {
                            marker(numbering, &mut counters, id, lvl).map(|m| (m, lvl))
                        });
                        let (text, level) = match level {
                            Some((m, lvl)) => (format!("{m} {line}"), Some(lvl)),
                            None => (line, None),
                        };
                        out.push(Para::Text {
                            text,
                            blank_before: true,
                            level,
                        });
                    }
                }
                b"tc" if table_depth == 1 => {
                    if let Some(r) = rows.last_mut() {
                        r.push(std::mem::take(&mut cell));
                    }
                }
                b"tbl" => {
                    table_depth = table_depth.saturating_sub(1);
                    if table_depth == 0 && !rows.is_empty() {
                        out.push(Para::Table(std::mem::take(&mut rows)));
                    }
                }
                _ => {}
            },
            _ => {}
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_numbering_as_shown() {
        let xml = r#"<w:numbering xmlns:w="w"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="3"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%2."/></w:lvl><w:lvl w:ilvl="2"><w:numFmt w:val="lowerLetter"/><w:lvlText w:val="%3)"/></w:lvl></w:abstractNum><w:num w:numId="5"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#;
        let n = parse_numbering(xml).unwrap();
        let mut c = HashMap::new();
        let mut m = |l| marker(&n, &mut c, "5", l).unwrap();
        assert_eq!(
            [m(0), m(1), m(1), m(2), m(2), m(0), m(1)],
            ["3.", "3.1.", "3.2.", "a)", "b)", "4.", "4.1."]
        );
        assert_eq!(crate::outline::roman(14), "XIV");
        assert_eq!(format_number("upperLetter", 2), "B");
    }

    #[test]
    fn markdown_marks_come_off() {
        assert_eq!(
            markdown("## C- KIẾN NGHỊ *(nếu có)*"),
            "C- KIẾN NGHỊ (nếu có)"
        );
        assert_eq!(
            markdown("* **trước ngày 20/10/2014.**"),
            "- trước ngày 20/10/2014."
        );
        assert_eq!(markdown("1\\. Không phải đề mục"), "1. Không phải đề mục");
    }
}
