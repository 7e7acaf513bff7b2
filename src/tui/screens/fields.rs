//! Drawing the form's page: where the item stands in the outline, its
//! title and guidance, then each field with its label, input or box, and
//! at a parent the figure merged from below. The page is laid out at full
//! height, then the window of it that holds the focus is drawn.

use super::form::{FieldEditor, Form, Widget, placeholder, states_in, table_rows};
use crate::i18n::tr;
use crate::outline::Kind;
use crate::report::Answers;
use crate::t;
use crate::text::printable;
use crate::tui::component::{DrawCx, Hit, ViewState};
use crate::tui::draw::{draw_textbox, fit, input_rect, label_rect, split_row};
use crate::tui::keymap::{self, Action, Context};
use crate::tui::theme::Theme;
use crate::tui::widgets::wrap::wrap;
use crate::validate::{self, FieldState};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Cell, Paragraph, Row, Table, Widget as _, Wrap};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

type DrawFn<'a> = Box<dyn Fn(&mut Buffer, Rect) + 'a>;

/// One block of the form laid out at a height.
struct Piece<'a> {
    height: u16,
    field: Option<usize>,
    draw: DrawFn<'a>,
}

fn wrapped(text: Text<'static>, width: u16) -> (u16, Paragraph<'static>) {
    let p = Paragraph::new(text).wrap(Wrap { trim: false });
    let h = p.line_count(width.max(1)) as u16;
    (h, p)
}

fn para_piece<'a>(text: Text<'static>, width: u16, field: Option<usize>) -> Piece<'a> {
    let (height, p) = wrapped(text, width);
    Piece {
        height,
        field,
        draw: Box::new(move |buf, r| p.clone().render(r, buf)),
    }
}

pub fn draw(
    f: &mut Frame,
    form: &Form,
    cx: &DrawCx,
    answers: &Answers,
    area: Rect,
    view: &mut ViewState,
) {
    let theme = &cx.theme;
    let Some(item) = cx.ws.outline.item(form.item_id()) else {
        return;
    };
    let number = if item.front_matter {
        tr("Thông tin chung", "General information").to_string()
    } else {
        cx.ws.outline.full_number(&item.id)
    };
    let block = Block::bordered()
        .border_style(if form.tree.focused {
            theme.border()
        } else {
            theme.focus_border()
        })
        .title(Span::styled(format!(" {number} "), theme.title()))
        .title(format!("({}/{}) ", form.page + 1, form.pages.len()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    if inner.width < 4 || inner.height < 1 {
        return;
    }
    let width = inner.width;
    let states = states_in(cx.ws, answers, form.item_id());
    let aggregate = (!cx.ws.children.is_empty()).then(|| cx.ws.aggregate());
    let mut pieces: Vec<Piece> = Vec::new();

    // Where this item stands in the outline, then its title and guidance.
    let entries = cx.ws.outline.entries();
    let mut trail = Vec::new();
    let mut cursor = entries
        .iter()
        .find(|e| e.item.id == item.id)
        .and_then(|e| e.parent);
    while let Some(p) = cursor {
        trail.push(format!("{} {}", p.marker, p.title));
        cursor = entries
            .iter()
            .find(|e| e.item.id == p.id)
            .and_then(|e| e.parent);
    }
    if !trail.is_empty() {
        trail.reverse();
        pieces.push(para_piece(
            Text::from(Line::styled(trail.join(" › "), theme.dim())),
            width,
            None,
        ));
    }
    let heading = if item.marker.is_empty() {
        item.title.clone()
    } else {
        format!("{} {}", item.marker, item.title)
    };
    pieces.push(para_piece(
        Text::from(Line::styled(heading, theme.title())),
        width,
        None,
    ));
    if cx.ws.outline.is_optional(&item.id) {
        pieces.push(para_piece(
            Text::from(Line::styled(
                tr(
                    "(Không bắt buộc — bỏ trống nếu không có)",
                    "(Optional — leave empty if nothing to say)",
                ),
                theme.dim(),
            )),
            width,
            None,
        ));
    }
    // A parent's introduction is shown with its first item.
    let parent_intro = entries
        .iter()
        .find(|e| e.item.id == item.id)
        .and_then(|e| e.parent)
        .filter(|p| p.items.first().is_some_and(|c| c.id == item.id))
        .and_then(|p| p.intro.clone());
    for intro in parent_intro.iter().chain(item.intro.iter()) {
        pieces.push(para_piece(
            Text::from(Line::styled(intro.clone(), theme.guidance())),
            width,
            None,
        ));
    }
    let loose: Vec<&String> = item
        .guidance
        .iter()
        .enumerate()
        .filter(|(i, _)| !item.fields.iter().any(|f| f.bullet == Some(*i)))
        .map(|(_, g)| g)
        .collect();
    if !loose.is_empty() {
        let mut lines = vec![Line::styled(
            tr("Hướng dẫn:", "Guidance:"),
            theme.guidance().add_modifier(Modifier::BOLD),
        )];
        lines.extend(
            loose
                .iter()
                .map(|g| Line::styled(format!(" • {g}"), theme.guidance())),
        );
        pieces.push(para_piece(Text::from(lines), width, None));
    }
    pieces.push(Piece {
        height: 1,
        field: None,
        draw: Box::new(|_, _| {}),
    });

    for (i, ed) in form.editors.iter().enumerate() {
        let state = states
            .get(i)
            .map(|(_, s)| s.clone())
            .unwrap_or(FieldState::Empty);
        if let Some(b) = ed.field.bullet.and_then(|b| item.guidance.get(b)) {
            pieces.push(para_piece(
                Text::from(Line::styled(format!("• {b}"), theme.guidance())),
                width,
                Some(i),
            ));
        }
        field_pieces(
            form,
            cx,
            i,
            &state,
            width,
            aggregate.as_deref(),
            &mut pieces,
        );
        if let FieldState::Invalid(msg) = &state {
            pieces.push(para_piece(
                Text::from(Line::styled(
                    format!("  ⚠ {}", printable(&msg.to_string(), false)),
                    theme.error(),
                )),
                width,
                Some(i),
            ));
        }
        // One-line fields sit together; a blank line sets off the big ones.
        let compact = |e: Option<&FieldEditor>| {
            e.is_some_and(|e| {
                matches!(e.widget, Widget::Computed | Widget::Choice)
                    || matches!(e.widget, Widget::Text(_)) && !e.field.multiline
            })
        };
        if !(compact(Some(ed))
            && compact(form.editors.get(i + 1))
            && form
                .editors
                .get(i + 1)
                .is_some_and(|n| n.field.bullet.is_none()))
        {
            pieces.push(Piece {
                height: 1,
                field: None,
                draw: Box::new(|_, _| {}),
            });
        }
    }

    // Lay out on a tall page, then draw the window of it that holds the
    // focus (only the pieces in that window: a page can be hundreds of rows).
    let total: u16 = pieces.iter().map(|p| p.height).sum::<u16>().max(1);
    let mut tops = Vec::with_capacity(pieces.len());
    let mut y = 0u16;
    let mut spans: Vec<(usize, u16, u16)> = Vec::new();
    for p in &pieces {
        tops.push(y);
        if let Some(fi) = p.field {
            spans.push((fi, y, y + p.height));
        }
        y += p.height;
    }
    let view_h = inner.height;
    // A page shown anew starts at its top.
    if view.form_shown != form.shown {
        view.form_shown = form.shown;
        view.form_scroll = 0;
    }
    let mut scroll = view.form_scroll;
    if !form.manual_scroll {
        let (top, bottom) = spans
            .iter()
            .filter(|(fi, _, _)| *fi == form.focus)
            .fold((u16::MAX, 0), |(t, b), (_, y0, y1)| {
                (t.min(*y0), b.max(*y1))
            });
        let first_field = form.editors.iter().position(|e| e.focusable()) == Some(form.focus);
        if first_field && bottom <= view_h {
            scroll = 0;
        } else if top != u16::MAX {
            if bottom > scroll + view_h {
                scroll = bottom.saturating_sub(view_h);
            }
            if top < scroll {
                scroll = top;
            }
        }
    }
    scroll = scroll.min(total.saturating_sub(view_h));
    view.form_scroll = scroll;
    let shown = |i: usize| tops[i] < scroll + view_h && tops[i] + pieces[i].height > scroll;
    let first = (0..pieces.len()).find(|&i| shown(i)).unwrap_or(0);
    let last = (0..pieces.len()).rfind(|&i| shown(i)).unwrap_or(0);
    let (page_top, page_bottom) = (tops[first], tops[last] + pieces[last].height);
    let mut page = Buffer::empty(Rect::new(0, page_top, width, page_bottom - page_top));
    for i in first..=last {
        (pieces[i].draw)(&mut page, Rect::new(0, tops[i], width, pieces[i].height));
    }
    let out = f.buffer_mut();
    for dy in 0..view_h.min(total - scroll) {
        for dx in 0..width {
            out[(inner.x + dx, inner.y + dy)] = page[(dx, scroll + dy)].clone();
        }
    }
    let hits = &mut view.hits;
    hits.push((inner, Hit::Form));
    for (fi, y0, y1) in spans {
        let top = y0.max(scroll);
        let bottom = y1.min(scroll + view_h);
        if top < bottom {
            hits.push((
                Rect::new(inner.x, inner.y + top - scroll, width, bottom - top),
                Hit::Field(fi),
            ));
        }
    }
    // Arrows on the border say there is more above or below.
    let edge = area.x + area.width - 1;
    if scroll > 0 {
        out[(edge, inner.y)].set_symbol("▲");
    }
    if scroll + view_h < total {
        out[(edge, inner.y + view_h - 1)].set_symbol("▼");
    }
}

/// A field's label with its required mark, wrapped at words into `width`
/// columns, `right` (a count) at the end of the first line: never cut, and
/// the mark stays with the last word.
fn label_lines(ed: &FieldEditor, theme: &Theme, right: &str, width: u16) -> Vec<Line<'static>> {
    let req = if ed.field.required { "\u{a0}*" } else { "" };
    wrapped_label(
        &format!("{}{req}", ed.field.label),
        theme.title(),
        theme,
        right,
        width,
    )
}

fn wrapped_label(
    text: &str,
    style: Style,
    theme: &Theme,
    right: &str,
    width: u16,
) -> Vec<Line<'static>> {
    // A column's gap before what follows the label (a count, an input).
    let room = (width as usize).saturating_sub(right.width() + 1);
    let mut lines: Vec<Line> = wrap(text, room)
        .into_iter()
        .map(|l| Line::from(Span::styled(l, style)))
        .collect();
    if !right.is_empty() {
        let first = &mut lines[0];
        let pad = (width as usize).saturating_sub(first.width() + right.width());
        first.spans.push(Span::raw(" ".repeat(pad)));
        first
            .spans
            .push(Span::styled(right.to_string(), theme.dim()));
    }
    lines
}

/// The first row of a piece, where a one-line field's input goes.
fn first_row(r: Rect) -> Rect {
    Rect {
        height: 1.min(r.height),
        ..r
    }
}

/// The pieces that draw field `i`: label, input or box, and at a parent
/// the merged figure beside the own one.
fn field_pieces<'a>(
    form: &'a Form,
    cx: &'a DrawCx,
    i: usize,
    state: &FieldState,
    width: u16,
    aggregate: Option<&crate::merge::Merged>,
    pieces: &mut Vec<Piece<'a>>,
) {
    let ed = &form.editors[i];
    let focused = i == form.focus && !form.tree.focused && cx.form_in_front;
    let theme = cx.theme;
    let border = if focused {
        theme.focus_border()
    } else {
        theme.border()
    };
    match &ed.widget {
        Widget::Text(tb) if ed.field.multiline => {
            let count = t!("{} ký tự", "{} chars", tb.char_count());
            let label = label_lines(ed, &theme, &count, width);
            pieces.push(Piece {
                height: label.len() as u16,
                field: Some(i),
                draw: Box::new(move |buf, r| Paragraph::new(label.clone()).render(r, buf)),
            });
            let text_w = width.saturating_sub(2).max(1) as usize;
            let min = if focused { 6 } else { 2 };
            let lines = rows_estimate(tb.lines(), text_w, 14);
            let inner_h = (lines + usize::from(focused)).clamp(min, 14) as u16;
            pieces.push(Piece {
                height: inner_h + 2,
                field: Some(i),
                draw: Box::new(move |buf, r| {
                    let block = Block::bordered().border_style(border);
                    let inner = block.inner(r);
                    block.render(r, buf);
                    draw_textbox(tb, &theme, focused, placeholder(ed), buf, inner);
                }),
            });
        }
        Widget::Text(tb) => {
            let (label_w, input_w) = split_row(width);
            let label = label_lines(ed, &theme, "", label_w);
            pieces.push(Piece {
                height: label.len() as u16,
                field: Some(i),
                draw: Box::new(move |buf, r| {
                    Paragraph::new(label.clone()).render(label_rect(r, label_w), buf);
                    let input = input_rect(first_row(r), label_w);
                    Paragraph::new(Line::from(vec![
                        Span::styled("[", border),
                        Span::raw(" ".repeat(input_w as usize - 2)),
                        Span::styled("]", border),
                    ]))
                    .render(input, buf);
                    let inside = Rect {
                        x: input.x + 1,
                        width: input_w - 2,
                        ..input
                    };
                    draw_textbox(tb, &theme, focused, placeholder(ed), buf, inside);
                }),
            });
            // At a parent: the merged figure, what it covers, and whether
            // the own one is set by hand over it (and still over the same).
            let (item, field) = (form.item_id(), ed.field.id.as_str());
            let merged = aggregate
                .and_then(|a| a.value(item, field))
                .zip(ed.field.kind.num_kind())
                .and_then(|(v, nk)| validate::number_in(nk, v));
            if let (Some(total), Some(nk)) = (merged, ed.field.kind.num_kind()) {
                let own =
                    crate::merge::is_override(&cx.ws.outline, &cx.ws.report.answers, item, field);
                let covers = aggregate
                    .and_then(|a| a.coverage(item, field))
                    .filter(|c| !c.complete())
                    .map(|c| {
                        t!(
                            "; tính trên {}/{} đơn vị có đủ số liệu",
                            "; covers {} of {} units",
                            c.counted.len(),
                            c.of
                        )
                    })
                    .unwrap_or_default();
                // Set by hand over another merged figure than today's.
                let stale = own
                    && cx
                        .ws
                        .report
                        .overrides
                        .get(item)
                        .and_then(|m| m.get(field))
                        .is_none_or(|o| {
                            o.computed.as_ref().and_then(|v| validate::number_in(nk, v))
                                != Some(total)
                        });
                let text = if stale {
                    t!(
                        "↳ sửa tay, CẦN XEM LẠI: số tổng hợp đã đổi, nay là {}{covers} ({} dùng lại)",
                        "↳ set by hand, TO REVIEW: the merged figure changed, now {}{covers} ({} uses it)",
                        crate::vnfmt::format_number(total, nk),
                        keymap::key_of(Action::UseAggregate)
                    )
                } else if own {
                    t!(
                        "↳ sửa tay; số tổng hợp cấp dưới là {}{covers} ({} dùng lại)",
                        "↳ set by hand; merged from below: {}{covers} ({} uses it)",
                        crate::vnfmt::format_number(total, nk),
                        keymap::key_of(Action::UseAggregate)
                    )
                } else {
                    t!(
                        "↳ tổng hợp từ cấp dưới: {}{covers} (gõ số để sửa tay)",
                        "↳ merged from below: {}{covers} (type a figure to override)",
                        crate::vnfmt::format_number(total, nk)
                    )
                };
                let style = if own || !covers.is_empty() {
                    theme.error()
                } else {
                    theme.ok()
                };
                pieces.push(Piece {
                    height: 1,
                    field: Some(i),
                    draw: Box::new(move |buf, r| {
                        Paragraph::new(Span::styled(fit(&text, r.width as usize), style))
                            .render(r, buf)
                    }),
                });
            } else if let (Some(nk), FieldState::Answered) = (ed.field.kind.num_kind(), state)
                && ed.field.kind == Kind::Money
                && let Some(v) = cx
                    .ws
                    .report
                    .value(form.item_id(), &ed.field.id)
                    .and_then(|v| validate::number_in(nk, v))
            {
                let shown = format!("= {}", crate::vnfmt::format_number(v, nk));
                pieces.push(Piece {
                    height: 1,
                    field: Some(i),
                    draw: Box::new(move |buf, r| {
                        Paragraph::new(Span::styled(shown.clone(), theme.dim()))
                            .render(input_rect(r, label_w), buf)
                    }),
                });
            }
        }
        Widget::Computed => {
            let (label_w, _) = split_row(width);
            let value = match state {
                FieldState::Computed(Some(v)) => {
                    crate::vnfmt::format_number(*v, crate::vnfmt::NumKind::Percent)
                }
                _ => "—".to_string(),
            };
            let label = wrapped_label(
                &format!("{} ({})", ed.field.label, tr("tự tính", "computed")),
                theme.dim(),
                &theme,
                "",
                label_w,
            );
            pieces.push(Piece {
                height: label.len() as u16,
                field: Some(i),
                draw: Box::new(move |buf, r| {
                    Paragraph::new(label.clone()).render(label_rect(r, label_w), buf);
                    Paragraph::new(Span::styled(
                        format!("  {value}"),
                        Style::default().add_modifier(Modifier::BOLD),
                    ))
                    .render(input_rect(first_row(r), label_w), buf);
                }),
            });
        }
        Widget::Choice => {
            let (label_w, input_w) = split_row(width);
            let current = cx
                .ws
                .report
                .value(form.item_id(), &ed.field.id)
                .and_then(|v| v.as_str())
                .unwrap_or("—")
                .to_string();
            let label = label_lines(ed, &theme, "", label_w);
            pieces.push(Piece {
                height: label.len() as u16,
                field: Some(i),
                draw: Box::new(move |buf, r| {
                    Paragraph::new(label.clone()).render(label_rect(r, label_w), buf);
                    let style = if focused {
                        theme.selected()
                    } else {
                        theme.input()
                    };
                    Paragraph::new(Span::styled(
                        fit(&format!("◀ {current} ▶"), input_w as usize),
                        style,
                    ))
                    .render(input_rect(first_row(r), label_w), buf);
                }),
            });
        }
        Widget::Table(tbl) => {
            let rows = table_rows(cx.ws, form.item_id(), &ed.field);
            let label = label_lines(ed, &theme, &t!("{} dòng", "{} rows", rows.len()), width);
            pieces.push(Piece {
                height: label.len() as u16,
                field: Some(i),
                draw: Box::new(move |buf, r| Paragraph::new(label.clone()).render(r, buf)),
            });
            let cols = &ed.field.columns;
            // Headers stay readable: each column's width, the last taking
            // what is left, and each header wrapped at words onto up to
            // two lines rather than cut mid-word.
            let last = cols.len().saturating_sub(1);
            let mut col_w: Vec<u16> = cols
                .iter()
                .map(|c| match c.kind {
                    Kind::Date => 10,
                    _ => c.label.width().clamp(8, 16) as u16,
                })
                .collect();
            let fixed = 3 + cols.len() as u16 + col_w[..last].iter().sum::<u16>();
            col_w[last] = width.saturating_sub(2 + fixed).max(8);
            let headers: Vec<String> = cols
                .iter()
                .zip(&col_w)
                .map(|(c, &w)| {
                    let lines = wrap(&c.label, w as usize);
                    match lines.as_slice() {
                        [one] => one.clone(),
                        [first, rest @ ..] => {
                            format!("{first}\n{}", fit(&rest.join(" "), w as usize))
                        }
                        [] => String::new(),
                    }
                })
                .collect();
            let header_h = if headers.iter().any(|h| h.contains('\n')) {
                2
            } else {
                1
            };
            let height = rows.len().max(1) as u16 + 2 + header_h;
            let (sel_row, sel_col) = (
                tbl.row.min(rows.len().saturating_sub(1)),
                tbl.col.min(cols.len().saturating_sub(1)),
            );
            pieces.push(Piece {
                height,
                field: Some(i),
                draw: Box::new(move |buf, r| {
                    let header = Row::new(
                        std::iter::once(Cell::from("#"))
                            .chain(headers.iter().map(|h| Cell::from(h.clone()))),
                    )
                    .height(header_h)
                    .style(theme.title());
                    let mut empty_note = None;
                    let body: Vec<Row> = if rows.is_empty() {
                        // Across the whole box, not in a narrow first column.
                        let add =
                            keymap::keys(Context::Table, Action::AddRow, tr(" hoặc ", " or "));
                        let empty = t!(
                            "(chưa có dòng nào — {add} để thêm)",
                            "(no rows yet — {add} adds one)"
                        );
                        let at = Rect {
                            x: r.x + 1,
                            y: r.y + 1 + header_h,
                            width: r.width.saturating_sub(2),
                            height: 1,
                        }
                        .intersection(r);
                        empty_note = Some((at, empty));
                        Vec::new()
                    } else {
                        rows.iter()
                            .enumerate()
                            .map(|(ri, row)| {
                                let cells = std::iter::once(Cell::from(format!("{}", ri + 1)))
                                    .chain(cols.iter().enumerate().map(|(ci, c)| {
                                        let text = row
                                            .get(&c.id)
                                            .map(|v| {
                                                printable(&validate::display(c.kind, v), false)
                                            })
                                            .unwrap_or_default();
                                        let cell = Cell::from(text);
                                        if focused && ri == sel_row && ci == sel_col {
                                            cell.style(theme.selected())
                                        } else {
                                            cell
                                        }
                                    }));
                                Row::new(cells.collect::<Vec<_>>())
                            })
                            .collect()
                    };
                    let mut widths = vec![Constraint::Length(3)];
                    widths.extend(col_w.iter().enumerate().map(|(ci, &w)| {
                        if ci == last {
                            Constraint::Fill(1)
                        } else {
                            Constraint::Length(w)
                        }
                    }));
                    let block = Block::bordered().border_style(border);
                    Table::new(body, widths)
                        .header(header)
                        .block(block)
                        .column_spacing(1)
                        .render(r, buf);
                    if let Some((at, note)) = empty_note {
                        Paragraph::new(Span::styled(fit(&note, at.width as usize), theme.dim()))
                            .render(at, buf);
                    }
                }),
            });
            if focused {
                if let Some(edit) = &tbl.edit {
                    let col = &cols[sel_col];
                    let prefix = format!(
                        "{} {}, «{}»: ",
                        tr("Sửa dòng", "Editing row"),
                        sel_row + 1,
                        col.label
                    );
                    let pw = (prefix.width() as u16).min(width / 2);
                    pieces.push(Piece {
                        height: 1,
                        field: Some(i),
                        draw: Box::new(move |buf, r| {
                            Paragraph::new(Span::styled(fit(&prefix, pw as usize), theme.title()))
                                .render(Rect { width: pw, ..r }, buf);
                            draw_textbox(
                                edit,
                                &theme,
                                true,
                                col.placeholder.clone().unwrap_or_default(),
                                buf,
                                input_rect(r, pw),
                            );
                        }),
                    });
                    let hint = keymap::hints(&[Context::TableCell], &keymap::COLON);
                    pieces.push(para_piece(
                        Text::from(Line::styled(hint, theme.dim())),
                        width,
                        Some(i),
                    ));
                } else {
                    let hint = keymap::hints(&[Context::Table], &keymap::COLON);
                    pieces.push(para_piece(
                        Text::from(Line::styled(hint, theme.dim())),
                        width,
                        Some(i),
                    ));
                }
            }
        }
    }
}

/// About how many rows `lines` take wrapped at `width`, counted only up to
/// `cap` rows: the box is never taller, and a 20,000-character answer need
/// not be measured on every frame to find that out.
fn rows_estimate(lines: &[String], width: usize, cap: usize) -> usize {
    let mut rows = 0;
    for line in lines {
        let mut used = 0;
        rows += 1;
        for c in line.chars() {
            used += c.width().unwrap_or(0);
            if used > width {
                rows += 1;
                used -= width;
            }
            if rows > cap {
                return rows;
            }
        }
        if rows > cap {
            return rows;
        }
    }
    rows
}
