//! The document as a .docx file in the Party layout (Hướng dẫn
//! 36-HD/VPTW): A4 portrait, Times New Roman, body 14 pt, margins 25 mm
//! top and bottom, 35 mm left, 15 mm right, the page number centred at the
//! top from page 2 on, the two header blocks, the signature and "Nơi
//! nhận", and at a parent unit the appendix on a page of its own.
//!
//! Written with docx-rs. Everything the layout needs is in its API: the
//! page number is a PAGE field in the default header, with an empty
//! first-page header and `titlePg` so page 1 shows none; the rule under
//! "ĐẢNG CỘNG SẢN VIỆT NAM" and the short line under the subject are
//! paragraph bottom borders; the header and signature blocks are
//! borderless two-column tables; every run carries its font and size, so
//! text pasted elsewhere keeps them.

use super::{Block, DRAFT, Document, MOTTO, PARTY, RECIPIENTS, STATE, Table};
use crate::outline::Layout;
use crate::report::Report;
use docx_rs::{
    AlignmentType, BorderType, Docx, Header, LineSpacing, LineSpacingType, PageMargin, PageNum,
    Paragraph, ParagraphBorder, ParagraphBorderPosition, ParagraphBorders, Run, RunFonts,
    SpecialIndentType, TableCell, TableCellMargins, TableLayoutType, TableRow, TextBorder,
    VAlignType, WidthType,
};

const FONT: &str = "Times New Roman";
/// Sizes in half-points.
const BODY: usize = 28;
const TABLE_TEXT: usize = 26;
const SMALL: usize = 24;
const PARTY_SIZE: usize = 30;
const STATE_SIZE: usize = 24;
/// The motto of a State document, in half-points, and about how wide it
/// is (13 pt bold), for the rule under it.
const MOTTO_SIZE: usize = 26;
const MOTTO_WIDTH: usize = 4300;
/// The right column of a State document's header: the national title
/// ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12 pt bold) fits on one line.
const STATE_RIGHT: usize = 5700;
const TYPE_SIZE: usize = 32;
/// A4 in twips, and the margins: 25 mm top and bottom, 35 mm left, 15 mm
/// right; the page number sits 10 mm from the top edge.
pub const PAGE_WIDTH: u32 = 11906;
pub const PAGE_HEIGHT: u32 = 16838;
pub const MARGIN_TOP: i32 = 1418;
pub const MARGIN_BOTTOM: i32 = 1418;
pub const MARGIN_LEFT: i32 = 1985;
pub const MARGIN_RIGHT: i32 = 851;
const HEADER_DISTANCE: i32 = 567;
const TEXT_WIDTH: usize = (PAGE_WIDTH as i32 - MARGIN_LEFT - MARGIN_RIGHT) as usize;
/// 1 cm.
const FIRST_LINE: i32 = 567;
/// Line spacing 1.2 (in 240ths of a line) and 6 pt after a paragraph.
const LINE: i32 = 288;
const AFTER: u32 = 120;
/// The two columns of the header and signature blocks.
const LEFT_COLUMN: usize = 3969;
const RIGHT_COLUMN: usize = TEXT_WIDTH - LEFT_COLUMN;
/// Room between a table cell's border and its text, left and right.
const CELL_MARGIN: usize = 85;

/// A complete .docx file.
pub fn render(doc: &Document) -> Vec<u8> {
    let page_number = Paragraph::new()
        .align(AlignmentType::Center)
        .line_spacing(tight())
        .add_page_num(PageNum::new());
    let mut docx = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(
            PageMargin::new()
                .top(MARGIN_TOP)
                .bottom(MARGIN_BOTTOM)
                .left(MARGIN_LEFT)
                .right(MARGIN_RIGHT)
                .header(HEADER_DISTANCE)
                .footer(HEADER_DISTANCE)
                .gutter(0),
        )
        .default_fonts(fonts())
        .default_size(BODY)
        .default_line_spacing(spacing(0, AFTER))
        .header(Header::new().add_paragraph(page_number))
        .first_header(Header::new().add_paragraph(Paragraph::new().line_spacing(tight())))
        .title_pg();

    if doc.draft {
        docx = docx.add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Right)
                .line_spacing(spacing(0, 120))
                .add_run(
                    run(DRAFT).bold().text_border(
                        TextBorder::new()
                            .border_type(BorderType::Single)
                            .size(8)
                            .space(2),
                    ),
                ),
        );
    }

    docx = docx.add_table(header_block(doc));

    docx = docx
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .line_spacing(spacing(360, 0))
                .keep_next(true)
                .add_run(run(&doc.doc_type).bold().size(TYPE_SIZE)),
        )
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .line_spacing(spacing(0, 0))
                .keep_next(true)
                .add_run(run(&doc.subject).bold()),
        )
        .add_paragraph(short_rule());

    docx = blocks(docx, &doc.body, TABLE_TEXT);

    docx = docx.add_paragraph(gap()).add_table(signature_block(doc));

    if let Some(a) = &doc.appendix {
        docx = docx
            .add_paragraph(
                centred(run(&a.title).bold())
                    .page_break_before(true)
                    .keep_next(true),
            )
            .add_paragraph(centred(run(&a.subtitle).bold()).keep_next(true));
        if let Some(note) = &a.note {
            docx = docx.add_paragraph(centred(run(note).italic()).keep_next(true));
        }
        docx = blocks(docx.add_paragraph(gap()), &a.blocks, SMALL);
    }

    let mut out = std::io::Cursor::new(Vec::new());
    docx.build()
        .pack(&mut out)
        .expect("writing a .docx into memory does not fail");
    out.into_inner()
}

/// The body's blocks, or the appendix's (tables in `size`).
fn blocks(mut docx: Docx, blocks: &[Block], size: usize) -> Docx {
    for block in blocks {
        match block {
            Block::Heading { marker, title, .. } => {
                docx = docx.add_paragraph(
                    body(run(&Block::heading_text(marker, title)).bold()).keep_next(true),
                );
            }
            Block::Paragraph(p) | Block::Figure(p) => docx = docx.add_paragraph(body(run(p))),
            Block::Missing(m) | Block::Guidance(m) => {
                docx = docx.add_paragraph(body(run(m).italic()))
            }
            Block::Caption(c) => docx = docx.add_paragraph(body(run(c)).keep_next(true)),
            Block::Table(t) => {
                docx = docx.add_table(table(t, size)).add_paragraph(gap());
            }
        }
    }
    docx
}

/// "BaoCao-27112-Xa-Tan-Phu-DU-THAO.docx": ASCII only, no spaces.
pub fn file_name(report: &Report) -> String {
    format!("{}.docx", super::file_stem(report))
}

fn fonts() -> RunFonts {
    RunFonts::new()
        .ascii(FONT)
        .hi_ansi(FONT)
        .cs(FONT)
        .east_asia(FONT)
}

/// A run of text. Every text of the document goes through here, so this
/// is the last guard: a character XML cannot hold never reaches
/// document.xml (Word refuses such a file), whatever came before.
fn run(text: &str) -> Run {
    let safe: String = text.chars().filter(|c| crate::text::xml_char(*c)).collect();
    Run::new().fonts(fonts()).size(BODY).add_text(safe)
}

fn spacing(before: u32, after: u32) -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Auto)
        .line(LINE)
        .before(before)
        .after(after)
}

/// Single spacing, nothing before or after: lines inside a block.
fn tight() -> LineSpacing {
    LineSpacing::new()
        .line_rule(LineSpacingType::Auto)
        .line(240)
        .before(0)
        .after(0)
}

/// A body paragraph: justified, 1 cm first-line indent.
fn body(r: Run) -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Both)
        .indent(
            None,
            Some(SpecialIndentType::FirstLine(FIRST_LINE)),
            None,
            None,
        )
        .line_spacing(spacing(0, AFTER))
        .widow_control(true)
        .add_run(r)
}

fn centred(r: Run) -> Paragraph {
    Paragraph::new()
        .align(AlignmentType::Center)
        .line_spacing(tight())
        .add_run(r)
}

/// An empty 6 pt line: room after a table.
fn gap() -> Paragraph {
    Paragraph::new().size(12).line_spacing(
        LineSpacing::new()
            .line_rule(LineSpacingType::Exact)
            .line(120)
            .before(0)
            .after(0),
    )
}

fn bottom_border(mut p: Paragraph) -> Paragraph {
    // Only the bottom: `set_border` alone would start from a full box.
    p.property = p.property.set_borders(
        ParagraphBorders::with_empty().set(
            ParagraphBorder::new(ParagraphBorderPosition::Bottom)
                .val(BorderType::Single)
                .size(6)
                .space(1),
        ),
    );
    p
}

/// A short centred rule `width` twips long, in the left header column.
fn rule_under(width: i32, column: usize) -> Paragraph {
    let side = ((column as i32 - width) / 2).max(0);
    bottom_border(
        Paragraph::new()
            .size(4)
            .indent(Some(side), None, Some(side), None)
            .line_spacing(
                LineSpacing::new()
                    .line_rule(LineSpacingType::Exact)
                    .line(80)
                    .before(0)
                    .after(120),
            ),
    )
}

/// The short centred line under the subject (about 3 cm).
fn short_rule() -> Paragraph {
    let side = (TEXT_WIDTH as i32 - 1700) / 2;
    bottom_border(
        Paragraph::new()
            .size(4)
            .indent(Some(side), None, Some(side), None)
            .line_spacing(
                LineSpacing::new()
                    .line_rule(LineSpacingType::Exact)
                    .line(80)
                    .before(0)
                    .after(360),
            ),
    )
}

fn cell(width: usize, paragraphs: Vec<Paragraph>) -> TableCell {
    paragraphs
        .into_iter()
        .fold(TableCell::new().width(width, WidthType::Dxa), |c, p| {
            c.add_paragraph(p)
        })
}

fn borderless(rows: Vec<TableRow>) -> docx_rs::Table {
    borderless_in(rows, LEFT_COLUMN)
}

/// The same with a left column `left` twips wide.
fn borderless_in(rows: Vec<TableRow>, left: usize) -> docx_rs::Table {
    docx_rs::Table::without_borders(rows)
        .set_grid(vec![left, TEXT_WIDTH - left])
        .width(TEXT_WIDTH, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
}

/// Left: the superior organisation, the issuing body in bold, "*", the
/// number; right: the national title with its rule, place and date.
fn header_block(doc: &Document) -> docx_rs::Table {
    let h = &doc.header;
    // The rule is as long as the title: the paragraph's indents end it.
    let party = bottom_border(centred(run(PARTY).bold().size(PARTY_SIZE)).indent(
        Some(260),
        None,
        Some(260),
        None,
    ));
    let mut left: Vec<Paragraph> = h
        .superior
        .iter()
        .map(|s| centred(run(s)))
        .chain([centred(run(&h.issuer).bold())])
        .collect();
    let (left_w, right) = match doc.layout {
        Layout::Party => {
            left.push(centred(run("*")));
            (LEFT_COLUMN, vec![party])
        }
        // Nghị định 30/2020/NĐ-CP: the issuer and the motto underlined by
        // a short rule; the national title in 12 pt and the motto in 13 pt,
        // each on one line: the right column is the wider one.
        Layout::State => {
            left.push(rule_under(1000, TEXT_WIDTH - STATE_RIGHT));
            let motto_side = (STATE_RIGHT - MOTTO_WIDTH) / 2;
            (
                TEXT_WIDTH - STATE_RIGHT,
                vec![
                    centred(run(STATE).bold().size(STATE_SIZE)),
                    bottom_border(centred(run(MOTTO).bold().size(MOTTO_SIZE)).indent(
                        Some(motto_side as i32),
                        None,
                        Some(motto_side as i32),
                        None,
                    )),
                ],
            )
        }
    };
    let right_w = TEXT_WIDTH - left_w;
    let first = TableRow::new(vec![cell(left_w, left), cell(right_w, right)]);
    let second = TableRow::new(vec![
        cell(left_w, vec![centred(run(&h.number))]),
        cell(right_w, vec![centred(run(&h.place_date).italic())]),
    ]);
    borderless_in(vec![first, second], left_w)
}

/// Left: "Nơi nhận:" and its list in 12 pt; right: the authority, the
/// title, room for the signature and the name, all bold and centred.
fn signature_block(doc: &Document) -> docx_rs::Table {
    let s = &doc.signature;
    let small = |r: Run| {
        Paragraph::new()
            .align(AlignmentType::Left)
            .line_spacing(tight())
            .add_run(r.size(SMALL))
    };
    let mut left = vec![small(run(RECIPIENTS).bold().italic())];
    left.extend(s.recipients.iter().map(|r| small(run(r))));
    let mut right = vec![
        centred(run(&s.authority).bold()),
        centred(run(&s.position).bold()),
    ];
    right.extend((0..4).map(|_| centred(run(""))));
    right.push(centred(run(&s.name).bold()));
    borderless(vec![
        TableRow::new(vec![cell(LEFT_COLUMN, left), cell(RIGHT_COLUMN, right)]).cant_split(),
    ])
}

/// A bordered table across the text width: the header row bold and
/// centred, figures right-aligned, the totals row bold.
fn table(t: &Table, size: usize) -> docx_rs::Table {
    let widths = column_widths(t, size);
    let para = |text: &str, align: AlignmentType, bold: bool| {
        let r = run(text).size(size);
        Paragraph::new()
            .align(align)
            .line_spacing(tight())
            .add_run(if bold { r.bold() } else { r })
    };
    let n = t.columns.len();
    let mut rows = vec![
        TableRow::new(
            t.columns
                .iter()
                .zip(&widths)
                .map(|(c, &w)| {
                    cell(w, vec![para(&c.label, AlignmentType::Center, true)])
                        .vertical_align(VAlignType::Center)
                })
                .collect(),
        )
        .cant_split(),
    ];
    let data_row = |r: &Vec<String>, bold: bool| {
        TableRow::new(
            (0..n)
                .map(|i| {
                    let text = r.get(i).map(String::as_str).unwrap_or("");
                    let align = if t.columns[i].numeric {
                        AlignmentType::Right
                    } else {
                        AlignmentType::Left
                    };
                    cell(widths[i], vec![para(text, align, bold)])
                        .vertical_align(VAlignType::Center)
                })
                .collect(),
        )
        .cant_split()
    };
    rows.extend(t.rows.iter().map(|r| data_row(r, false)));
    if let Some(total) = &t.total {
        rows.push(data_row(total, true));
    }
    docx_rs::Table::new(rows)
        .set_grid(widths)
        .width(TEXT_WIDTH, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
        .margins(TableCellMargins::new().margin(30, CELL_MARGIN, 30, CELL_MARGIN))
}

/// Column widths from what the columns hold, at `size` half-points: no
/// column narrower than its longest word (a number, "25-KH/HU"), each as
/// wide as its longest cell when the page allows, the width left over
/// shared by the columns that would wrap.
fn column_widths(t: &Table, size: usize) -> Vec<usize> {
    // An average Times New Roman character, generously, plus the cell margins.
    let char_width = size * 10 * 6 / 10;
    let twips = |chars: usize| chars * char_width + 2 * CELL_MARGIN + 40;
    let chars = |s: &str| s.chars().count();
    let longest_word = |s: &str| s.split(' ').map(chars).max().unwrap_or(0);
    let n = t.columns.len();
    let mut min = vec![0usize; n];
    let mut want = vec![0usize; n];
    for (i, c) in t.columns.iter().enumerate() {
        min[i] = twips(longest_word(&c.label).max(2));
        want[i] = min[i];
        for r in t.rows.iter().chain(t.total.iter()) {
            let cell = r.get(i).map(String::as_str).unwrap_or("");
            let whole = if c.numeric {
                chars(cell)
            } else {
                longest_word(cell)
            };
            min[i] = min[i].max(twips(whole.min(30)));
            want[i] = want[i].max(twips(chars(cell)));
        }
    }
    let sum_min: usize = min.iter().sum();
    let sum_want: usize = want.iter().sum();
    let mut widths: Vec<usize> = if sum_min >= TEXT_WIDTH {
        min.iter()
            .map(|w| w * TEXT_WIDTH / sum_min.max(1))
            .collect()
    } else if sum_want <= TEXT_WIDTH {
        // Everything fits on one line: share the rest out evenly.
        let extra = (TEXT_WIDTH - sum_want) / n.max(1);
        want.iter().map(|w| w + extra).collect()
    } else {
        let spare = TEXT_WIDTH - sum_min;
        let grow: usize = (0..n).map(|i| want[i] - min[i]).sum::<usize>().max(1);
        (0..n)
            .map(|i| min[i] + (want[i] - min[i]) * spare / grow)
            .collect()
    };
    // Rounding: the widest column takes up the difference.
    let used: usize = widths.iter().sum();
    if let Some(w) = widths.iter_mut().max() {
        *w = (*w + TEXT_WIDTH).saturating_sub(used);
    }
    widths
}
