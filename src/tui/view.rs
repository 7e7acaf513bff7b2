//! Drawing a frame: the title bar, then the form or the screen in front
//! with the dialogs over it, then the key bar made from the keymap. The
//! view reads the app; what it leaves for the next input (where things
//! were drawn, how far the form is scrolled) goes into the app's
//! [`ViewState`], never into the model.

use super::app::App;
use super::component::{Component, ViewState};
use super::draw::{fit, too_small};
use super::keymap;
use super::widgets::wrap::wrap;
use crate::i18n::tr;
use crate::report::Status;
use crate::text::printable;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

pub use super::draw::MIN_SIZE;

pub fn draw(f: &mut Frame, app: &mut App) {
    let mut view = std::mem::take(&mut app.view);
    frame(f, app, &mut view);
    app.view = view;
    if app.theme.ascii {
        super::theme::to_ascii(f.buffer_mut());
    }
}

fn frame(f: &mut Frame, app: &App, view: &mut ViewState) {
    let area = f.area();
    view.hits.clear();
    if too_small(f, area) {
        return;
    }
    let message = message_lines(app, area.width);
    let [top, middle, bottom] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(message.as_ref().map_or(1, |m| m.len() as u16)),
    ])
    .areas(area);
    title_bar(f, app, top);
    key_bar(f, app, bottom, message);
    let cx = app.draw_cx();
    // From the last whole screen up: what is under it is hidden anyway.
    let base = app.layers.iter().rposition(|l| l.covers());
    match base {
        Some(i) => app.layers[i].draw_in(f, area, middle, &cx, view),
        None => app.form.draw(f, middle, &cx, view),
    }
    for layer in &app.layers[base.map_or(0, |i| i + 1)..] {
        layer.draw_in(f, area, middle, &cx, view);
    }
}

fn title_bar(f: &mut Frame, app: &App, area: Rect) {
    let r = &app.ws.report;
    let ime = match app.settings.input_method {
        // Unikey or ibus types: the built-in method stands aside.
        _ if app.os_input => tr("Bộ gõ máy (Unikey)", "OS input (Unikey)").to_string(),
        crate::vi::ime::Method::Off => tr("Tắt bộ gõ", "IME off").to_string(),
        m => m.label().to_string(),
    };
    let mut right = format!("{ime} · ");
    match r.status {
        Status::Draft => right.push_str(tr("DỰ THẢO · ", "DRAFT · ")),
        Status::Final => right.push_str(tr("CHÍNH THỨC · ", "FINAL · ")),
    }
    right.push_str(&app.save_label());
    right.push(' ');
    let right = fit(&printable(&right, false), area.width as usize / 2 + 10);
    let left_w = (area.width as usize).saturating_sub(right.width() + 1);
    let (name, code) = (
        printable(&r.unit.name, false),
        printable(&r.unit.code, false),
    );
    let title = &app.ws.outline.short_title;
    // The program's name goes first, then the unit's code, when the unit
    // and the outline need the room.
    let left = [
        format!(" baocao · {name} ({code}) · {title}"),
        format!(" {name} ({code}) · {title}"),
        format!(" {name} · {title}"),
    ]
    .into_iter()
    .find(|l| l.width() <= left_w)
    .unwrap_or_else(|| format!(" {name} · {title}"));
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

/// A message never cut: at most this many lines at the bottom.
const MESSAGE_LINES: usize = 4;

/// A notice or the reason a save failed, wrapped at words to the width.
fn message_lines(app: &App, width: u16) -> Option<Vec<Line<'static>>> {
    let (text, style) = if let Some(n) = &app.notice {
        (printable(n, false), app.theme.bar())
    } else if let Some(e) = &app.save.error {
        // The title bar has room for "CHƯA LƯU ĐƯỢC" but, at 80 or 100
        // columns, not for the reason: the whole sentence goes here.
        (
            format!("⚠ {}", printable(e, false)),
            app.theme.bar().patch(app.theme.error()),
        )
    } else {
        return None;
    };
    let room = (width as usize).saturating_sub(2).max(1);
    let mut lines = wrap(&text, room);
    if lines.len() > MESSAGE_LINES {
        let rest = lines[MESSAGE_LINES - 1..].join(" ");
        lines.truncate(MESSAGE_LINES - 1);
        lines.push(fit(&rest, room));
    }
    Some(
        lines
            .into_iter()
            .map(|l| Line::from(Span::styled(format!(" {l}"), style)))
            .collect(),
    )
}

/// A message, or the keys that work here.
fn key_bar(f: &mut Frame, app: &App, area: Rect, message: Option<Vec<Line<'static>>>) {
    let lines = message.unwrap_or_else(|| {
        let mut spans = Vec::new();
        for (k, label) in keymap::bar(&app.contexts(), area.width as usize) {
            spans.push(Span::styled(
                format!(" {k}"),
                Style::default().add_modifier(Modifier::BOLD),
            ));
            spans.push(Span::raw(format!(" {label} ")));
        }
        vec![Line::from(spans)]
    });
    f.render_widget(Paragraph::new(lines).style(app.theme.bar()), area);
}
