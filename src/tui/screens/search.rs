//! Ctrl+F: search every answer, own and from below, without needing the
//! accents; Enter goes to the hit.

use crate::outline::Kind;
use crate::t;
use crate::text::printable;
use crate::tui::component::{Cmd, Component, Cx, DrawCx, Reply, ViewState};
use crate::tui::draw::{centered, draw_textbox, list_row};
use crate::tui::keymap::{self, Action, Context};
use crate::tui::screens::form::ime_for;
use crate::tui::widgets::textbox::{Outcome, TextBox};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

pub struct Search {
    pub query: TextBox,
    pub hits: Vec<crate::search::Hit>,
    pub cursor: usize,
}

impl Default for Search {
    fn default() -> Self {
        Search {
            query: TextBox::new("", false),
            hits: Vec::new(),
            cursor: 0,
        }
    }
}

impl Search {
    fn changed(&mut self, cx: &Cx) {
        self.hits = crate::search::search(cx.ws, &self.query.text());
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
                    return Reply::with(vec![Cmd::Close, Cmd::Jump(hit)]);
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
        self.hits = crate::search::search(cx.ws, &self.query.text());
        Reply::done()
    }

    /// The query and the hits, each with its unit, item and field.
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
        let h = list.height as usize;
        let first = self.cursor.saturating_sub(h.saturating_sub(1));
        for (row, (i, hit)) in self.hits.iter().enumerate().skip(first).take(h).enumerate() {
            let text = format!(
                "{} · {} / {}: {}",
                printable(&hit.unit_name, false),
                hit.item,
                hit.field,
                hit.text
            );
            let style = if i == self.cursor {
                theme.selected()
            } else {
                Style::default()
            };
            list_row(f, list, row, &text, style);
        }
    }
}
