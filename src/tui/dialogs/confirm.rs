//! "Delete row 2 (12-NQ/ĐU)?" before a table row goes.

use crate::i18n::tr;
use crate::t;
use crate::text::printable;
use crate::tui::component::{Cmd, Component, Cx, DrawCx, Reply, ViewState};
use crate::tui::draw::centered;
use crate::tui::keymap::{self, Action, Context};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmDelete {
    /// The table field's index on the page, and the row.
    pub field: usize,
    pub row: usize,
    /// The row's first cell, to name it.
    pub first: String,
}

impl Component for ConfirmDelete {
    type Cx<'a> = Cx<'a>;
    type DrawCx<'a> = DrawCx<'a>;

    fn contexts(&self, _: &DrawCx) -> Vec<Context> {
        vec![Context::ConfirmDelete]
    }

    fn act(&mut self, action: Action, _key: KeyEvent, _cx: &mut Cx) -> Reply {
        match action {
            Action::Yes => Reply::with(vec![
                Cmd::Close,
                Cmd::DeleteRow {
                    field: self.field,
                    row: self.row,
                },
            ]),
            Action::No => Reply::cmd(Cmd::Close),
            _ => Reply::ignored(),
        }
    }

    /// Other keys wait for the answer.
    fn key(&mut self, _key: KeyEvent, _cx: &mut Cx) -> Reply {
        Reply::done()
    }

    fn draw(&self, f: &mut Frame, area: Rect, cx: &DrawCx, _view: &mut ViewState) {
        let theme = &cx.theme;
        let text = vec![
            Line::from(t!(
                "Xóa dòng {} ({})?",
                "Delete row {} ({})?",
                self.row + 1,
                printable(&self.first, false)
            )),
            Line::raw(""),
            Line::styled(keymap::choice_hints(Context::ConfirmDelete), theme.title()),
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
}
