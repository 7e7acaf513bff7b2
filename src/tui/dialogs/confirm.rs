//! "Delete row 2 (12-NQ/ĐU)?" before a table row goes, and "The report is
//! approved; editing makes it a draft again?" before an approved report
//! changes.

use crate::i18n::tr;
use crate::t;
use crate::text::printable;
use crate::tui::component::{Cmd, Component, Cx, DrawCx, Pending, Reply, ViewState};
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

/// Asked at the first edit of an approved (final) report: yes makes it a
/// draft again (the approval kept in its history) and the edit goes
/// ahead; no leaves the report as approved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfirmReopen {
    pub pending: Pending,
}

impl Component for ConfirmReopen {
    type Cx<'a> = Cx<'a>;
    type DrawCx<'a> = DrawCx<'a>;

    fn contexts(&self, _: &DrawCx) -> Vec<Context> {
        vec![Context::ConfirmReopen]
    }

    fn act(&mut self, action: Action, _key: KeyEvent, _cx: &mut Cx) -> Reply {
        match action {
            Action::Yes => Reply::with(vec![Cmd::Close, Cmd::Reopen(self.pending.clone())]),
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
        let who = cx
            .ws
            .report
            .approval()
            .map(|a| {
                t!(
                    " ({} thông qua ngày {})",
                    " (by {} on {})",
                    printable(&a.by, false),
                    a.on
                )
            })
            .unwrap_or_default();
        let text = vec![
            Line::from(t!(
                "Báo cáo đã thông qua{who}; sửa sẽ chuyển về dự thảo?",
                "The report is approved{who}; editing makes it a draft again?"
            )),
            Line::from(tr(
                "Sửa xong cần thông qua lại rồi mới gửi bản chính thức.",
                "Once edited, it needs approving again before it goes out as final.",
            )),
            Line::raw(""),
            Line::styled(keymap::choice_hints(Context::ConfirmReopen), theme.title()),
        ];
        let r = centered(area, 64, 8);
        f.render_widget(Clear, r);
        let block = Block::new()
            .borders(Borders::ALL)
            .title(format!(" {} ", tr("Báo cáo chính thức", "Final report")))
            .border_style(theme.error());
        f.render_widget(
            Paragraph::new(text).block(block).wrap(Wrap { trim: true }),
            r,
        );
    }
}
