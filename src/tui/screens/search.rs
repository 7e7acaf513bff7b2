//! Ctrl+F: search every answer, own and from below, without needing the
//! accents. Each hit says where it is as people read it (the item's
//! number and title, the field's label) and shows the match in its text;
//! Enter goes to the hit, the text cursor on the match.

use crate::outline::Kind;
use crate::t;
use crate::text::printable;
use crate::tui::component::{Cmd, Component, Cx, DrawCx, Reply, ViewState};
use crate::tui::draw::{centered, draw_textbox, fit};
use crate::tui::keymap::{self, Action, Context};
use crate::tui::screens::form::ime_for;
use crate::tui::widgets::textbox::{Outcome, TextBox};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub struct Search {
    pub query: TextBox,
    pub hits: Vec<crate::search::Hit>,
    pub cursor: usize,
    /// The units inside the children's packages, read at the first key.
    embedded: Option<crate::search::Embedded>,
}

impl Default for Search {
    fn default() -> Self {
        Search {
            query: TextBox::new("", false),
            hits: Vec::new(),
            cursor: 0,
            embedded: None,
        }
    }
}

impl Search {
    fn changed(&mut self, cx: &Cx) {
        let embedded = self
            .embedded
            .get_or_insert_with(|| crate::search::Embedded::of(cx.ws));
        self.hits = crate::search::search_with(cx.ws, embedded, &self.query.text());
        self.cursor = 0;
    }
}

impl Component for Search {
    type Cx<'a> = Cx<'a>;
    type DrawCx<'a> = DrawCx<'a>;

    fn contexts(&self, _: &DrawCx) -> Vec<Context> {
        vec![Context::Search, Context::Text]
    }

    fn act(&mut self, action: Action, _key: KeyEvent, cx: &mut Cx) -> Reply {
        match action {
            Action::Close => return Reply::cmd(Cmd::Close),
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::Down => self.cursor = (self.cursor + 1).min(self.hits.len().saturating_sub(1)),
            Action::Go => {
                if let Some(hit) = self.hits.get(self.cursor).cloned() {
                    return Reply::with(vec![Cmd::Close, Cmd::Jump(Box::new(hit))]);
                }
            }
            Action::Undo | Action::Redo | Action::DeleteWord => {
                let changed = match action {
                    Action::Undo => self.query.undo(),
                    Action::Redo => self.query.redo(),
                    _ => self.query.delete_word(),
                };
                if changed == Outcome::Changed {
                    self.changed(cx);
                }
            }
            _ => return Reply::ignored(),
        }
        Reply::done()
    }

    /// Typing searches as you type.
    fn key(&mut self, key: KeyEvent, cx: &mut Cx) -> Reply {
        if self.query.key_ime(key, ime_for(cx.settings, Kind::Text)) == Outcome::Changed {
            self.changed(cx);
        }
        Reply::done()
    }

    fn paste(&mut self, text: &str, cx: &mut Cx) -> Reply {
        self.query.paste(text);
        self.changed(cx);
        Reply::done()
    }

    /// The query and the hits, two lines each: the item's number and title
    /// and the field's label; then the unit and the text around the match.
    fn draw(&self, f: &mut Frame, area: Rect, cx: &DrawCx, _view: &mut ViewState) {
        let theme = &cx.theme;
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
                Line::from(format!(
                    " {} ",
                    keymap::hints(&[Context::Search], &keymap::SPACED)
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
            &self.query,
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
        let n = self.hits.len();
        let info = if self.query.text().trim().is_empty() {
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
        // Two lines a hit: where it is, then the text around the match.
        let per_page = (list.height as usize / 2).max(1);
        let first = self.cursor.saturating_sub(per_page - 1);
        let w = list.width as usize;
        for (row, (i, hit)) in self
            .hits
            .iter()
            .enumerate()
            .skip(first)
            .take(per_page)
            .enumerate()
        {
            let style = if i == self.cursor {
                theme.selected()
            } else {
                Style::default()
            };
            let y = list.y + (row * 2) as u16;
            if y >= list.y + list.height {
                break;
            }
            let place = place_line(hit, w);
            let unit = format!(
                "{}: ",
                fit(&printable(&hit.unit(), false), w.saturating_sub(2) / 2)
            );
            f.render_widget(
                Paragraph::new(Span::styled(fit(&place, w), style)),
                Rect {
                    y,
                    height: 1,
                    ..list
                },
            );
            if y + 1 < list.y + list.height {
                let mut line = snippet_line(
                    hit,
                    w.saturating_sub(2 + unit.width()),
                    theme.title().add_modifier(Modifier::UNDERLINED),
                );
                line.spans.insert(0, Span::styled(unit, theme.title()));
                f.render_widget(
                    Paragraph::new(line).style(if i == self.cursor {
                        theme.dim()
                    } else {
                        Style::default()
                    }),
                    Rect {
                        x: list.x + 2,
                        y: y + 1,
                        width: list.width.saturating_sub(2),
                        height: 1,
                    },
                );
            }
        }
    }
}

/// Where a hit is, in `width` columns: the item's number and title, the
/// field's label. When it is too long the item's title gives way first
/// (its number stays), then the field's label.
pub fn place_line(hit: &crate::search::Hit, width: usize) -> String {
    let full = hit.place();
    if full.width() <= width {
        return full;
    }
    let rest = width.saturating_sub(3);
    let label = fit(
        &hit.field_label,
        (rest / 2).max(rest.saturating_sub(hit.item_label.width())),
    );
    let item = fit(&hit.item_label, rest.saturating_sub(label.width()));
    fit(&format!("{item} — {label}"), width)
}

/// The text around a hit's match on one line `width` wide, the match
/// highlighted and always in sight: the text before it is cut short from
/// the left when the line is narrow.
pub fn snippet_line(hit: &crate::search::Hit, width: usize, mark: Style) -> Line<'static> {
    let matched = fit(&hit.matched, width.saturating_sub(2).max(1));
    let room = width.saturating_sub(matched.width());
    // The text before keeps at most a third of the room when the whole
    // does not fit, ending at the match.
    let before_w = hit.before.width();
    let after_w = hit.after.width();
    let keep_before = if before_w + after_w <= room {
        before_w
    } else {
        before_w.min((room / 3).max(room.saturating_sub(after_w)))
    };
    let before = if keep_before >= before_w {
        hit.before.clone()
    } else if keep_before == 0 {
        String::new()
    } else {
        let mut kept: Vec<char> = Vec::new();
        let mut used = 1;
        for c in hit.before.chars().rev() {
            let cw = c.width().unwrap_or(0);
            if used + cw > keep_before {
                break;
            }
            used += cw;
            kept.push(c);
        }
        kept.reverse();
        format!("…{}", kept.into_iter().collect::<String>())
    };
    let after = fit(&hit.after, room.saturating_sub(before.width()));
    Line::from(vec![
        Span::raw(before),
        Span::styled(matched, mark),
        Span::raw(after),
    ])
}
