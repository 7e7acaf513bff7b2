//! Drawing the form screen: title bar, outline tree, the current item's
//! form, the key bar, and dialogs. Views read the state; they change
//! nothing but the record of where things were drawn (for the mouse).

use super::app::{App, FieldEditor, Hit, Overlay, Screen, Widget};
use super::theme::Theme;
use crate::i18n::tr;
use crate::outline::Kind;
use crate::report::{Answers, Status};
use crate::t;
use crate::text::printable;
use crate::validate::{self, FieldState, Mark};
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span, Text};
use ratatui::widgets::{Block, Borders, Cell, Clear, Paragraph, Row, Table, Widget as _, Wrap};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The smallest window the form is drawn in.
pub const MIN_SIZE: (u16, u16) = (44, 12);

pub fn draw(f: &mut Frame, app: &App) {
    let area = f.area();
    app.hits.borrow_mut().clear();
    if too_small(f, area) {
        return;
    }
    let [top, middle, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(1),
    ])
    .areas(area);
    title_bar(f, app, top);
    key_bar(f, app, bottom);
    match &app.screen {
        Screen::Form => {}
        Screen::Import(screen) => {
            screen.draw(f, middle, &app.theme);
            return overlays(f, app, area);
        }
        Screen::Submissions { cursor } => {
            super::screens::submissions::draw(f, middle, &app.ws, *cursor, &app.theme);
            return overlays(f, app, area);
        }
        Screen::Preview(p) => {
            p.draw(f, middle, &app.theme);
            return overlays(f, app, area);
        }
        Screen::Export(_) => {}
    }
    // At a parent with the review panel open, the children's answers
    // take the lower part of the form's column.
    let split = |r: Rect| -> (Rect, Option<Rect>) {
        if app.review.is_none() || r.height < 16 {
            return (r, None);
        }
        let [top, bottom] =
            Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(r);
        (top, Some(bottom))
    };
    // The answers the tree and the form judge, worked out once a frame.
    let answers = app.effective();
    if app.size.0 >= super::app::TREE_MIN_WIDTH {
        let tree_w = (middle.width / 3).clamp(28, 40);
        let [left, right] =
            Layout::horizontal([Constraint::Length(tree_w), Constraint::Min(1)]).areas(middle);
        tree(f, app, &answers, left);
        let (form_area, panel) = split(right);
        form(f, app, &answers, form_area);
        if let Some(p) = panel {
            review_panel(f, app, p);
        }
    } else {
        let (form_area, panel) = split(middle);
        form(f, app, &answers, form_area);
        if let Some(p) = panel {
            review_panel(f, app, p);
        }
        if app.tree_focus {
            let w = middle.width.min(48).max(middle.width * 2 / 3);
            let left = Rect { width: w, ..middle };
            f.render_widget(Clear, left);
            tree(f, app, &answers, left);
        }
    }
    if let Screen::Export(screen) = &app.screen {
        screen.draw(f, middle, &app.ws, &app.theme);
    }
    overlays(f, app, area);
}

fn overlays(f: &mut Frame, app: &App, area: Rect) {
    match &app.overlay {
        Some(Overlay::Help(top)) => help(f, &app.theme, area, *top),
        Some(Overlay::ConfirmDelete { field, row }) => confirm_delete(f, app, *field, *row, area),
        None => {}
    }
    if let Some(s) = &app.search {
        search_box(f, app, s, area);
    }
    if let Some((text, enc)) = &app.legacy_paste {
        let theme = &app.theme;
        let sample: String = crate::vi::legacy::to_unicode(text, *enc)
            .chars()
            .take(60)
            .collect();
        let lines = vec![
            Line::from(t!(
                "Văn bản vừa dán có vẻ gõ bằng phông {} (chữ bị lỗi).",
                "The pasted text looks like it was typed in a {} font (garbled).",
                enc.label()
            )),
            Line::from(t!(
                "Chuyển sang Unicode: «{}…»",
                "As Unicode: «{}…»",
                printable(&sample, false)
            )),
            Line::raw(""),
            Line::styled(
                t!(
                    "Enter hoặc C: chuyển rồi dán    Esc hoặc K: dán nguyên như cũ",
                    "Enter or Y: convert and paste    Esc or N: paste as it is"
                ),
                theme.title(),
            ),
        ];
        let r = centered(area, 76, 6);
        f.render_widget(Clear, r);
        let block = Block::bordered()
            .title(format!(" {} ", tr("Chuyển mã", "Convert")))
            .border_style(theme.focus_border());
        f.render_widget(
            Paragraph::new(lines).block(block).wrap(Wrap { trim: true }),
            r,
        );
    }
}

/// Ctrl+F: the query and the hits, each with its unit, item and field.
fn search_box(f: &mut Frame, app: &App, s: &super::app::SearchBox, area: Rect) {
    let theme = &app.theme;
    let r = centered(
        area,
        area.width.saturating_sub(4).min(100),
        area.height.saturating_sub(4).min(24),
    );
    f.render_widget(Clear, r);
    let block = Block::bordered()
        .border_style(theme.focus_border())
        .title(Span::styled(
            t!(" Tìm (không cần dấu) ", " Find (accents optional) "),
            theme.title(),
        ))
        .title_bottom(
            Line::from(t!(
                " ↑↓ chọn · Enter đến đó · Esc đóng ",
                " ↑↓ pick · Enter go there · Esc close "
            ))
            .style(theme.dim()),
        );
    let inner = block.inner(r);
    f.render_widget(block, r);
    if inner.height < 3 {
        return;
    }
    let row = Rect { height: 1, ..inner };
    draw_textbox(
        &s.query,
        theme,
        true,
        t!("gõ chữ cần tìm…", "type to search…"),
        f.buffer_mut(),
        row,
    );
    let count = Rect {
        y: inner.y + 1,
        height: 1,
        ..inner
    };
    let n = s.hits.len();
    let info = if s.query.text().trim().is_empty() {
        String::new()
    } else {
        t!("{n} kết quả", "{n} hits")
    };
    f.render_widget(Paragraph::new(Span::styled(info, theme.dim())), count);
    let list = Rect {
        y: inner.y + 2,
        height: inner.height - 2,
        ..inner
    };
    let h = list.height as usize;
    let first = s.cursor.saturating_sub(h.saturating_sub(1));
    for (row, (i, hit)) in s.hits.iter().enumerate().skip(first).take(h).enumerate() {
        let text = format!(
            "{} · {} / {}: {}",
            printable(&hit.unit_name, false),
            hit.item,
            hit.field,
            hit.text
        );
        let style = if i == s.cursor {
            theme.selected()
        } else {
            Style::default()
        };
        list_row(f, list, row, &text, style);
    }
}

/// The children's answers to the focused field, one block per unit, the
/// selected one marked; figures with their total.
fn review_panel(f: &mut Frame, app: &App, area: Rect) {
    let theme = &app.theme;
    let Some(ed) = app.editors.get(app.focus) else {
        return;
    };
    let item = app.item_id();
    let sel = app.review.unwrap_or(0);
    let children = app.review_children();
    let block = Block::bordered()
        .border_style(theme.focus_border())
        .title(Span::styled(
            format!(" {}: {} ", tr("Cấp dưới", "From below"), fit(&ed.field.label, area.width as usize / 2)),
            theme.title(),
        ))
        .title_bottom(Line::from(t!(
            " Alt+↑/↓ chọn đơn vị · Ctrl+T chép vào bài của mình · Ctrl+R dùng số tổng hợp · F4 đóng ",
            " Alt+↑/↓ pick a unit · Ctrl+T copy into own answer · Ctrl+R use the merged figure · F4 closes "
        )).style(theme.dim()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let mut lines: Vec<Line> = Vec::new();
    let mut selected_line = 0;
    for (i, c) in children.iter().enumerate() {
        let value = c
            .package
            .answers
            .get(item)
            .and_then(|m| m.get(&ed.field.id));
        let shown = match (ed.field.kind, value) {
            (_, None) => tr("(chưa có)", "(nothing)").to_string(),
            (Kind::Table, Some(serde_json::Value::Array(rows))) => {
                t!("{} dòng", "{} rows", rows.len())
            }
            (k, Some(v)) => validate::display(k, v),
        };
        let pointer = if i == sel { "▶ " } else { "  " };
        let style = if i == sel {
            theme.title()
        } else {
            Style::default()
        };
        if i == sel {
            selected_line = lines.len();
        }
        let head = format!(
            "{pointer}{} ({}): ",
            printable(&c.package.unit.name, false),
            printable(&c.package.unit.code, false)
        );
        if ed.field.multiline {
            lines.push(Line::styled(head, style));
            for l in printable(&shown, true).lines() {
                lines.push(Line::from(format!("    {l}")));
            }
        } else {
            lines.push(Line::from(vec![
                Span::styled(head, style),
                Span::raw(printable(&shown, false)),
            ]));
        }
    }
    if let Some(total) = app.ws.aggregate().value(item, &ed.field.id).cloned()
        && ed.field.kind.is_numeric()
    {
        lines.push(Line::styled(
            format!(
                "{}: {}",
                tr("Tổng cộng", "Total"),
                validate::display(ed.field.kind, &total)
            ),
            theme.title(),
        ));
    }
    let p = Paragraph::new(lines).wrap(Wrap { trim: false });
    let scroll = (selected_line as u16).saturating_sub(inner.height / 3);
    f.render_widget(p.scroll((scroll, 0)), inner);
}

/// At absurd sizes, a short notice instead of a broken drawing.
pub fn too_small(f: &mut Frame, area: Rect) -> bool {
    if area.width >= MIN_SIZE.0 && area.height >= MIN_SIZE.1 {
        return false;
    }
    let text = vec![
        Line::from(tr("Cửa sổ quá nhỏ", "Window too small"))
            .style(Style::default().add_modifier(Modifier::BOLD)),
        Line::from(tr("Hãy phóng to cửa sổ", "Please enlarge it")),
        Line::from(format!("≥ {}×{}", MIN_SIZE.0, MIN_SIZE.1)),
    ];
    let y = area.y + area.height.saturating_sub(3) / 2;
    let rect = Rect {
        y,
        height: area.height.min(3),
        ..area
    };
    f.render_widget(
        Paragraph::new(text).centered().wrap(Wrap { trim: true }),
        rect,
    );
    true
}

/// Row `row` of a list drawn in `list`: one line, cut to fit.
pub fn list_row(f: &mut Frame, list: Rect, row: usize, text: &str, style: Style) {
    let r = Rect {
        y: list.y + row as u16,
        height: 1,
        ..list
    };
    f.render_widget(Paragraph::new(fit(text, r.width as usize)).style(style), r);
}

pub fn fit(s: &str, width: usize) -> String {
    if s.width() <= width {
        return s.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in s.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
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

fn title_bar(f: &mut Frame, app: &App, area: Rect) {
    let r = &app.ws.report;
    let ime = match app.settings.input_method {
        crate::vi::ime::Method::Off => tr("Tắt bộ gõ", "IME off").to_string(),
        m => m.label().to_string(),
    };
    let mut right = format!("{ime} · ");
    if r.status == Status::Draft {
        right.push_str(tr("DỰ THẢO · ", "DRAFT · "));
    }
    right.push_str(&app.save_label());
    right.push(' ');
    let right = fit(&printable(&right, false), area.width as usize / 2 + 10);
    let left = format!(
        " baocao · {} ({}) · {}",
        printable(&r.unit.name, false),
        printable(&r.unit.code, false),
        app.ws.outline.short_title
    );
    let left_w = (area.width as usize).saturating_sub(right.width() + 1);
    let left = fit(&left, left_w);
    let pad = (area.width as usize).saturating_sub(left.width() + right.width());
    let style = if app.save.error.is_some() {
        app.theme.bar().patch(app.theme.error())
    } else {
        app.theme.bar()
    };
    let line = Line::from(vec![
        Span::raw(left),
        Span::raw(" ".repeat(pad)),
        Span::styled(right, style),
    ]);
    f.render_widget(Paragraph::new(line).style(app.theme.bar()), area);
}

pub fn key_hints() -> Vec<(&'static str, String)> {
    vec![
        ("F1", t!("Trợ giúp", "Help")),
        ("Tab", t!("Ô kế", "Next field")),
        ("PgDn", t!("Mục kế", "Next item")),
        ("Ctrl+G", t!("Mục chưa làm", "Unanswered")),
        ("F3", t!("Mục lục", "Outline")),
        ("Ctrl+S", t!("Lưu", "Save")),
        ("Ctrl+Q", t!("Thoát", "Quit")),
    ]
}

fn key_bar(f: &mut Frame, app: &App, area: Rect) {
    let line = if let Some(n) = &app.notice {
        Line::from(format!(" {}", printable(n, false)))
    } else if let Some(e) = &app.save.error {
        // The title bar has room for "CHƯA LƯU ĐƯỢC" but, at 80 or 100
        // columns, not for the reason: the whole sentence goes here.
        Line::from(Span::styled(
            format!(" ⚠ {}", printable(e, false)),
            app.theme.bar().patch(app.theme.error()),
        ))
    } else {
        // Drop the least used hints until the rest fit; help and quit stay.
        let mut hints = key_hints();
        let width = |h: &[(&str, String)]| {
            h.iter()
                .map(|(k, l)| k.width() + l.width() + 3)
                .sum::<usize>()
        };
        for drop in ["F3", "Ctrl+G", "Ctrl+S", "PgDn", "Tab"] {
            if width(&hints) <= area.width as usize {
                break;
            }
            hints.retain(|(k, _)| *k != drop);
        }
        let mut spans = Vec::new();
        for (k, label) in hints {
            spans.push(Span::styled(
                format!(" {k}"),
                Style::default().add_modifier(Modifier::BOLD),
            ));
            spans.push(Span::raw(format!(" {label} ")));
        }
        Line::from(spans)
    };
    f.render_widget(Paragraph::new(line).style(app.theme.bar()), area);
}

/// The outline with a mark per item, judged on `answers` (at a parent the
/// children's figures count where there is no own one, as in `status`).
fn tree(f: &mut Frame, app: &App, answers: &Answers, area: Rect) {
    let progress = crate::report::progress_of(&app.ws.outline, answers);
    let focus_style = if app.tree_focus {
        app.theme.focus_border()
    } else {
        app.theme.border()
    };
    let block = Block::bordered().border_style(focus_style).title(format!(
        " {} {}% ",
        tr("Đề cương", "Outline"),
        progress.percent()
    ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let entries = app.ws.outline.entries();
    let marks = app.marks(answers);
    let current = app.item_id();
    let h = inner.height as usize;
    let first = app
        .tree_cursor
        .saturating_sub(h.saturating_sub(1) / 2)
        .min(entries.len().saturating_sub(h));
    for (row, i) in (first..entries.len()).take(h).enumerate() {
        let e = &entries[i];
        let y = inner.y + row as u16;
        let pointer = if e.item.id == current { "▶" } else { " " };
        let mark = if marks[i] == Mark::Heading {
            " "
        } else {
            marks[i].symbol()
        };
        let label = if e.item.front_matter {
            e.item.title.clone()
        } else {
            format!("{} {}", e.item.number, e.item.title)
        };
        let text = format!("{pointer}{mark} {}{label}", " ".repeat(e.depth));
        let mut style = Style::default();
        if marks[i] == Mark::Invalid {
            style = style.patch(app.theme.error());
        } else if marks[i] == Mark::Done {
            style = style.patch(app.theme.ok());
        }
        if e.item.id == current {
            style = style.add_modifier(Modifier::BOLD);
        }
        if app.tree_focus && i == app.tree_cursor {
            style = style.patch(app.theme.selected());
        }
        let rect = Rect {
            y,
            height: 1,
            ..inner
        };
        f.render_widget(
            Paragraph::new(fit(&text, inner.width as usize)).style(style),
            rect,
        );
        app.hits.borrow_mut().push((rect, Hit::Tree(i)));
    }
}

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

fn form(f: &mut Frame, app: &App, answers: &Answers, area: Rect) {
    let theme = &app.theme;
    let Some(item) = app.ws.outline.item(app.item_id()) else {
        return;
    };
    let number = if item.front_matter {
        tr("Thông tin chung", "General information")
    } else {
        item.display_number()
    };
    let block = Block::bordered()
        .border_style(if app.tree_focus {
            theme.border()
        } else {
            theme.focus_border()
        })
        .title(Span::styled(format!(" {number} "), theme.title()))
        .title(format!("({}/{}) ", app.page + 1, app.pages.len()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    if inner.width < 4 || inner.height < 1 {
        return;
    }
    let width = inner.width;
    let states = app.states_in(answers, app.item_id());
    let aggregate = (!app.ws.children.is_empty()).then(|| app.ws.aggregate());
    let mut pieces: Vec<Piece> = Vec::new();

    // Where this item stands in the outline, then its title and guidance.
    let entries = app.ws.outline.entries();
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
            Text::from(Line::styled(
                fit(&trail.join(" › "), width as usize),
                theme.dim(),
            )),
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
    if app.ws.outline.is_optional(&item.id) {
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

    for (i, ed) in app.editors.iter().enumerate() {
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
            app,
            i,
            &state,
            width,
            aggregate.as_ref().map(|m| &m.answers),
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
            && compact(app.editors.get(i + 1))
            && app
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
    let mut scroll = app.scroll.get();
    if !app.manual_scroll {
        let (top, bottom) = spans
            .iter()
            .filter(|(fi, _, _)| *fi == app.focus)
            .fold((u16::MAX, 0), |(t, b), (_, y0, y1)| {
                (t.min(*y0), b.max(*y1))
            });
        let first_field = app.editors.iter().position(|e| e.focusable()) == Some(app.focus);
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
    app.scroll.set(scroll);
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
    let mut hits = app.hits.borrow_mut();
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

fn label_line(ed: &FieldEditor, theme: &Theme, right: &str, width: u16) -> Line<'static> {
    let req = if ed.field.required { " *" } else { "" };
    let left = format!("{}{req}", ed.field.label);
    let room = (width as usize).saturating_sub(right.width() + 1);
    let left = fit(&left, room);
    let pad = (width as usize).saturating_sub(left.width() + right.width());
    Line::from(vec![
        Span::styled(left, theme.title()),
        Span::raw(" ".repeat(pad)),
        Span::styled(right.to_string(), theme.dim()),
    ])
}

/// The pieces that draw field `i`: label, input or box, and at a parent
/// the merged figure beside the own one.
fn field_pieces<'a>(
    app: &'a App,
    i: usize,
    state: &FieldState,
    width: u16,
    aggregate: Option<&Answers>,
    pieces: &mut Vec<Piece<'a>>,
) {
    let ed = &app.editors[i];
    let focused = i == app.focus && !app.tree_focus && app.overlay.is_none();
    let theme = app.theme;
    let border = if focused {
        theme.focus_border()
    } else {
        theme.border()
    };
    match &ed.widget {
        Widget::Text(tb) if ed.field.multiline => {
            let count = t!("{} ký tự", "{} chars", tb.char_count());
            let label = label_line(ed, &theme, &count, width);
            pieces.push(Piece {
                height: 1,
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
            pieces.push(Piece {
                height: 1,
                field: Some(i),
                draw: Box::new(move |buf, r| {
                    let label = label_line(ed, &theme, "", label_w);
                    Paragraph::new(label).render(label_rect(r, label_w), buf);
                    let input = input_rect(r, label_w);
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
            // At a parent: the merged figure, and whether the own one overrides it.
            let merged = aggregate
                .and_then(|a| a.get(app.item_id()))
                .and_then(|m| m.get(&ed.field.id))
                .zip(ed.field.kind.num_kind())
                .and_then(|(v, nk)| validate::number_in(nk, v));
            if let (Some(total), Some(nk)) = (merged, ed.field.kind.num_kind()) {
                let own = crate::merge::is_override(
                    &app.ws.outline,
                    &app.ws.report.answers,
                    app.item_id(),
                    &ed.field.id,
                );
                let text = if own {
                    t!(
                        "↳ sửa tay; số tổng hợp cấp dưới là {} (Ctrl+R dùng lại)",
                        "↳ set by hand; merged from below: {} (Ctrl+R uses it)",
                        crate::vnfmt::format_number(total, nk)
                    )
                } else {
                    t!(
                        "↳ tổng hợp từ cấp dưới: {} (gõ số để sửa tay)",
                        "↳ merged from below: {} (type a figure to override)",
                        crate::vnfmt::format_number(total, nk)
                    )
                };
                let style = if own { theme.error() } else { theme.ok() };
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
                && let Some(v) = app
                    .ws
                    .report
                    .value(app.item_id(), &ed.field.id)
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
            pieces.push(Piece {
                height: 1,
                field: Some(i),
                draw: Box::new(move |buf, r| {
                    Paragraph::new(Line::styled(
                        fit(
                            &format!("{} ({})", ed.field.label, tr("tự tính", "computed")),
                            label_w as usize,
                        ),
                        theme.dim(),
                    ))
                    .render(label_rect(r, label_w), buf);
                    Paragraph::new(Span::styled(
                        format!("  {value}"),
                        Style::default().add_modifier(Modifier::BOLD),
                    ))
                    .render(input_rect(r, label_w), buf);
                }),
            });
        }
        Widget::Choice => {
            let (label_w, input_w) = split_row(width);
            let current = app
                .ws
                .report
                .value(app.item_id(), &ed.field.id)
                .and_then(|v| v.as_str())
                .unwrap_or("—")
                .to_string();
            pieces.push(Piece {
                height: 1,
                field: Some(i),
                draw: Box::new(move |buf, r| {
                    Paragraph::new(label_line(ed, &theme, "", label_w))
                        .render(label_rect(r, label_w), buf);
                    let style = if focused {
                        theme.selected()
                    } else {
                        theme.input()
                    };
                    Paragraph::new(Span::styled(
                        fit(&format!("◀ {current} ▶"), input_w as usize),
                        style,
                    ))
                    .render(input_rect(r, label_w), buf);
                }),
            });
        }
        Widget::Table(tbl) => {
            let rows = app.table_rows(&ed.field);
            let label = label_line(ed, &theme, &t!("{} dòng", "{} rows", rows.len()), width);
            pieces.push(Piece {
                height: 1,
                field: Some(i),
                draw: Box::new(move |buf, r| Paragraph::new(label.clone()).render(r, buf)),
            });
            let height = rows.len().max(1) as u16 + 3;
            let cols = &ed.field.columns;
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
                            .chain(cols.iter().map(|c| Cell::from(c.label.clone()))),
                    )
                    .style(theme.title());
                    let body: Vec<Row> = if rows.is_empty() {
                        vec![Row::new(vec![
                            Cell::from(""),
                            Cell::from(Span::styled(
                                tr(
                                    "(chưa có dòng nào — Insert hoặc Ctrl+N để thêm)",
                                    "(no rows yet — Insert or Ctrl+N adds one)",
                                ),
                                theme.dim(),
                            )),
                        ])]
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
                    // Headers stay readable; the last column takes what is left.
                    let last = cols.len().saturating_sub(1);
                    widths.extend(cols.iter().enumerate().map(|(ci, c)| match c.kind {
                        _ if ci == last => Constraint::Fill(1),
                        Kind::Date => Constraint::Length(10),
                        _ => Constraint::Length(c.label.width().clamp(8, 16) as u16),
                    }));
                    let block = Block::bordered().border_style(border);
                    Table::new(body, widths)
                        .header(header)
                        .block(block)
                        .column_spacing(1)
                        .render(r, buf);
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
                    let hint = t!(
                        "Enter: lưu ô và sang ô kế · Esc: bỏ sửa",
                        "Enter: keep and go to the next cell · Esc: cancel"
                    );
                    pieces.push(para_piece(
                        Text::from(Line::styled(hint, theme.dim())),
                        width,
                        Some(i),
                    ));
                } else {
                    let hint = t!(
                        "Mũi tên: chọn ô · Enter: sửa ô · Insert/Ctrl+N: thêm dòng · Delete: xóa dòng",
                        "Arrows: pick a cell · Enter: edit · Insert/Ctrl+N: add a row · Delete: delete the row"
                    );
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

/// The label part of a one-line field's row.
fn label_rect(r: Rect, label_w: u16) -> Rect {
    Rect {
        width: label_w.min(r.width),
        ..r
    }
}

/// The input part of a one-line field's row, right of its label.
pub fn input_rect(r: Rect, label_w: u16) -> Rect {
    let label_w = label_w.min(r.width);
    Rect {
        x: r.x + label_w,
        width: r.width - label_w,
        ..r
    }
}

fn split_row(width: u16) -> (u16, u16) {
    let label_w = (width * 11 / 20).clamp(10, 52).min(width.saturating_sub(8));
    (label_w, width - label_w)
}

pub(crate) fn placeholder(ed: &FieldEditor) -> String {
    if let Some(p) = &ed.field.placeholder {
        return p.clone();
    }
    match ed.field.kind {
        Kind::Integer => t!("ví dụ 1.250", "e.g. 1.250"),
        Kind::Money => t!("số đồng, ví dụ 15.000.000", "đồng, e.g. 15.000.000"),
        Kind::Decimal => t!("ví dụ 12,5", "e.g. 12,5"),
        Kind::Percent => t!("ví dụ 82,7", "e.g. 82,7"),
        Kind::Date => t!("ngày/tháng/năm", "dd/mm/yyyy"),
        _ if ed.field.multiline => t!("Nhập nội dung…", "Type here…"),
        _ => String::new(),
    }
}

/// Draws a text box: cursor shown when focused, placeholder when empty,
/// control characters neutralised. Every screen draws its boxes here.
pub fn draw_textbox(
    tb: &super::widgets::textbox::TextBox,
    theme: &Theme,
    focused: bool,
    placeholder: String,
    buf: &mut Buffer,
    area: Rect,
) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let cursor = if focused {
        theme.cursor()
    } else {
        Style::default()
    };
    if tb.styled_as(cursor, &placeholder, theme.dim()) {
        // Drawn in place: the widget keeps its wrapped lines and scroll
        // position from frame to frame. A copy would wrap the whole text
        // again on every frame (about 1 ms for a 20,000-character answer).
        tb.widget().render(area, buf);
    } else {
        let mut ta = tb.widget().clone();
        ta.set_cursor_line_style(Style::default());
        ta.set_cursor_style(cursor);
        ta.set_placeholder_text(placeholder);
        ta.set_placeholder_style(theme.dim());
        ta.render(area, buf);
    }
    // Text from other machines may hold control characters: never let one
    // reach the terminal.
    for y in area.top()..area.bottom() {
        for x in area.left()..area.right() {
            let cell = &mut buf[(x, y)];
            if cell.symbol().chars().any(char::is_control) {
                let safe = printable(cell.symbol(), false);
                cell.set_symbol(&safe);
            }
        }
    }
}

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

pub fn help_lines() -> Vec<(&'static str, String)> {
    vec![
        (
            "Tab / Shift+Tab",
            t!("Ô kế tiếp / ô trước", "Next / previous field"),
        ),
        (
            "PgDn / PgUp",
            t!("Mục kế tiếp / mục trước", "Next / previous item"),
        ),
        (
            "Ctrl+G",
            t!("Đến mục còn chưa trả lời", "Next unanswered item"),
        ),
        (
            "F3",
            t!(
                "Mục lục (mũi tên, Enter để đến)",
                "Outline tree (arrows, Enter jumps)"
            ),
        ),
        ("Ctrl+S", t!("Lưu ngay", "Save now")),
        ("Ctrl+Q", t!("Lưu và thoát", "Save and quit")),
        ("Ctrl+Z / Ctrl+Y", t!("Hoàn tác / làm lại", "Undo / redo")),
        (
            "Enter",
            t!(
                "Xuống dòng trong ô văn bản; ô số: sang ô kế",
                "New line in text; in a number: next field"
            ),
        ),
        ("Insert / Ctrl+N", t!("Bảng: thêm dòng", "Table: add a row")),
        (
            "Delete",
            t!(
                "Bảng: xóa dòng (có hỏi lại)",
                "Table: delete the row (asks first)"
            ),
        ),
        (
            "F4",
            t!(
                "Cấp trên: xem bài của cấp dưới cho ô này",
                "Parent: the answers from below for this field"
            ),
        ),
        (
            "Alt+↑ / Alt+↓",
            t!(
                "Chọn đơn vị cấp dưới khi đang xem (F4)",
                "Pick a unit from below (F4 open)"
            ),
        ),
        (
            "Ctrl+T",
            t!(
                "Chép bài đơn vị đã chọn (kèm tên) vào bài mình",
                "Copy the chosen unit's text (with its name)"
            ),
        ),
        (
            "Ctrl+R",
            t!(
                "Bỏ số sửa tay, dùng số tổng hợp cấp dưới",
                "Drop the own figure, use the merged one"
            ),
        ),
        (
            "F5",
            t!(
                "Xuất gói gửi cấp trên (vào USB)",
                "Export the package upward (to USB)"
            ),
        ),
        (
            "F8",
            t!("Xem trước văn bản báo cáo", "Preview the report document"),
        ),
        (
            "F6",
            t!(
                "Nhận gói của cấp dưới (USB)",
                "Import packages from below (USB)"
            ),
        ),
        (
            "F7",
            t!(
                "Tình hình nộp: ai đã nộp, muộn, chưa nộp",
                "Submissions: who sent, late, missing"
            ),
        ),
        (
            "F2",
            t!(
                "Kiểu gõ: Telex → VNI → tắt (gõ TWW để ra TW)",
                "Input method: Telex → VNI → off"
            ),
        ),
        (
            "Ctrl+F",
            t!(
                "Tìm chữ, không cần dấu, cả bài cấp dưới",
                "Find text, accents optional, also from below"
            ),
        ),
        (
            "F9",
            t!(
                "Chuyển chữ mã TCVN3/VNI trong ô sang Unicode",
                "Convert TCVN3/VNI text in the field to Unicode"
            ),
        ),
        ("F1", t!("Trợ giúp này", "This help")),
        ("Esc", t!("Đóng cửa sổ đang mở", "Close what is open")),
        (
            tr("Chuột", "Mouse"),
            t!(
                "Bấm vào mục hoặc ô; cuộn bánh xe",
                "Click an item or field; wheel scrolls"
            ),
        ),
    ]
}

fn help(f: &mut Frame, theme: &Theme, area: Rect, top: u16) {
    let lines: Vec<Line> = help_lines()
        .into_iter()
        .map(|(k, d)| {
            Line::from(vec![
                Span::styled(format!("{k:<17}"), theme.title()),
                Span::raw(d),
            ])
        })
        .chain([
            Line::raw(""),
            Line::styled(
                tr(
                    "Mọi thay đổi được tự động lưu. Esc để đóng.",
                    "Every change is saved automatically. Esc closes.",
                ),
                theme.dim(),
            ),
        ])
        .collect();
    let r = centered(area, 76, lines.len() as u16 + 2);
    f.render_widget(Clear, r);
    let visible = r.height.saturating_sub(2);
    let top = top.min((lines.len() as u16).saturating_sub(visible));
    let mut block = Block::bordered()
        .title(format!(" {} ", tr("Phím tắt", "Keys")))
        .border_style(theme.focus_border());
    if lines.len() as u16 > visible {
        block = block.title_bottom(Line::from(tr(" ↑↓ cuộn ", " ↑↓ scroll ")));
    }
    f.render_widget(Paragraph::new(lines).block(block).scroll((top, 0)), r);
}

fn confirm_delete(f: &mut Frame, app: &App, field: usize, row: usize, area: Rect) {
    let theme = &app.theme;
    let Some(ed) = app.editors.get(field) else {
        return;
    };
    let rows = app.table_rows(&ed.field);
    let first = rows
        .get(row)
        .and_then(|r| {
            ed.field
                .columns
                .first()
                .and_then(|c| r.get(&c.id).map(|v| validate::display(c.kind, v)))
        })
        .unwrap_or_default();
    let text = vec![
        Line::from(t!(
            "Xóa dòng {} ({})?",
            "Delete row {} ({})?",
            row + 1,
            printable(&first, false)
        )),
        Line::raw(""),
        Line::styled(
            tr(
                "Enter hoặc C: Có, xóa    Esc hoặc K: Không",
                "Enter or Y: Yes, delete    Esc or N: No",
            ),
            theme.title(),
        ),
    ];
    let r = centered(area, 56, 5);
    f.render_widget(Clear, r);
    let block = Block::new()
        .borders(Borders::ALL)
        .title(format!(" {} ", tr("Xác nhận", "Confirm")))
        .border_style(theme.error());
    f.render_widget(
        Paragraph::new(text).block(block).wrap(Wrap { trim: true }),
        r,
    );
}
