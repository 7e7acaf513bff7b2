//! Drawing helpers every screen shares: fitting text to a width, rows of
//! a list, the input part of a labelled row, text boxes drawn safely,
//! centred dialogs, and the notice for windows too small to draw in.

use super::theme::Theme;
use super::widgets::textbox::TextBox;
use crate::i18n::tr;
use crate::text::printable;
use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget as _, Wrap};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// The smallest window the form is drawn in.
pub const MIN_SIZE: (u16, u16) = (44, 12);

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

/// The label part of a one-line field's row.
pub fn label_rect(r: Rect, label_w: u16) -> Rect {
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

/// The widths of a one-line field's label and input.
pub fn split_row(width: u16) -> (u16, u16) {
    let label_w = (width * 11 / 20).clamp(10, 52).min(width.saturating_sub(8));
    (label_w, width - label_w)
}

/// Draws a text box: cursor shown when focused, placeholder when empty,
/// control characters neutralised. Every screen draws its boxes here.
pub fn draw_textbox(
    tb: &TextBox,
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

/// A `w`×`h` rectangle in the middle of `area`.
pub fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}
