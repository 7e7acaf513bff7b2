//! The outline tree beside the form (F3 gives it the keyboard): every
//! item with a mark for done, partly done, empty or invalid; Enter or a
//! click goes there.

use super::form::marks;
use crate::i18n::tr;
use crate::report::Answers;
use crate::tui::component::{Cmd, Component, Cx, DrawCx, Hit, Reply, ViewState};
use crate::tui::draw::fit;
use crate::tui::keymap::{Action, Context};
use crate::validate::Mark;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Paragraph};

#[derive(Debug, Default)]
pub struct Tree {
    /// Index into `outline.entries()` of the cursor.
    pub cursor: usize,
    /// The tree has the keyboard.
    pub focused: bool,
}

/// What the tree is drawn from.
pub struct TreeView<'a> {
    pub cx: &'a DrawCx<'a>,
    /// The item of the form's page.
    pub current: &'a str,
    /// The answers judged (at a parent the children's figures count where
    /// there is no own one, as in `baocao status`).
    pub answers: &'a Answers,
}

impl Component for Tree {
    type Cx<'a> = Cx<'a>;
    type DrawCx<'a> = TreeView<'a>;

    fn contexts(&self, _: &TreeView) -> Vec<Context> {
        vec![Context::Tree]
    }

    fn act(&mut self, action: Action, _key: KeyEvent, cx: &mut Cx) -> Reply {
        let last = cx.ws.outline.entries().len().saturating_sub(1);
        match action {
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::Down => self.cursor = (self.cursor + 1).min(last),
            Action::Home => self.cursor = 0,
            Action::End => self.cursor = last,
            Action::Go => return Reply::cmd(Cmd::Entry(self.cursor)),
            Action::Close => self.focused = false,
            _ => return Reply::ignored(),
        }
        Reply::done()
    }

    fn draw(&self, f: &mut Frame, area: Rect, tv: &TreeView, view: &mut ViewState) {
        let (ws, theme) = (tv.cx.ws, &tv.cx.theme);
        let (marks, progress) = marks(ws, tv.answers);
        let focus_style = if self.focused {
            theme.focus_border()
        } else {
            theme.border()
        };
        let block = Block::bordered().border_style(focus_style).title(format!(
            " {} {}% ",
            tr("Đề cương", "Outline"),
            progress.percent()
        ));
        let inner = block.inner(area);
        f.render_widget(block, area);
        let entries = ws.outline.entries();
        let h = inner.height as usize;
        let first = self
            .cursor
            .saturating_sub(h.saturating_sub(1) / 2)
            .min(entries.len().saturating_sub(h));
        for (row, i) in (first..entries.len()).take(h).enumerate() {
            let e = &entries[i];
            let y = inner.y + row as u16;
            let pointer = if e.item.id == tv.current { "▶" } else { " " };
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
                style = style.patch(theme.error());
            } else if marks[i] == Mark::Done {
                style = style.patch(theme.ok());
            }
            if e.item.id == tv.current {
                style = style.add_modifier(Modifier::BOLD);
            }
            if self.focused && i == self.cursor {
                style = style.patch(theme.selected());
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
            view.hits.push((rect, Hit::Tree(i)));
        }
    }
}
