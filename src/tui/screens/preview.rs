//! F8: the report as the document will say it (the text rendering),
//! read-only and scrollable. Laying the document out is a job: the
//! preview opens at once and fills in when it is done.

use crate::t;
use crate::tui::component::{Cmd, Component, Cx, DrawCx, Reply, ViewState};
use crate::tui::jobs::{Done, JobId, JobMsg, Jobs};
use crate::tui::keymap::{self, Action, Context};
use crate::workspace::Workspace;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

pub struct Preview {
    pub lines: Vec<String>,
    pub top: usize,
    /// The layout job, while it runs.
    pub busy: Option<JobId>,
    pub error: Option<String>,
}

impl Preview {
    pub fn open(ws: &Workspace, jobs: &mut Jobs) -> Preview {
        Preview {
            lines: Vec::new(),
            top: 0,
            busy: Some(jobs.render(ws)),
            error: None,
        }
    }

    pub fn awaits(&self) -> Option<JobId> {
        self.busy
    }

    pub fn job(&mut self, msg: JobMsg) -> Reply {
        if let JobMsg::Done(Done::Rendered(result)) = msg {
            self.busy = None;
            match result {
                Ok(lines) => self.lines = lines,
                Err(e) => self.error = Some(e),
            }
        }
        Reply::done()
    }

    fn last(&self) -> usize {
        self.lines.len().saturating_sub(1)
    }

    pub fn scroll(&mut self, down: bool) {
        self.top = if down {
            (self.top + 3).min(self.last())
        } else {
            self.top.saturating_sub(3)
        };
    }
}

impl Component for Preview {
    type Cx<'a> = Cx<'a>;
    type DrawCx<'a> = DrawCx<'a>;

    fn contexts(&self, _: &DrawCx) -> Vec<Context> {
        vec![Context::Preview]
    }

    fn act(&mut self, action: Action, _key: KeyEvent, cx: &mut Cx) -> Reply {
        // A page is what the last frame showed.
        let page = match cx.view.preview_rows {
            0 => 20,
            n => n,
        };
        match action {
            Action::Close => return Reply::cmd(Cmd::Close),
            Action::Down => self.top += 1,
            Action::Up => self.top = self.top.saturating_sub(1),
            Action::PageDown => self.top += page,
            Action::PageUp => self.top = self.top.saturating_sub(page),
            Action::Home => self.top = 0,
            Action::End => self.top = self.last(),
            _ => return Reply::ignored(),
        }
        self.top = self.top.min(self.last());
        Reply::done()
    }

    fn mouse(&mut self, m: MouseEvent, _cx: &mut Cx) -> Reply {
        match m.kind {
            MouseEventKind::ScrollDown => self.scroll(true),
            MouseEventKind::ScrollUp => self.scroll(false),
            _ => return Reply::ignored(),
        }
        Reply::done()
    }

    fn draw(&self, f: &mut Frame, area: Rect, cx: &DrawCx, view: &mut ViewState) {
        let theme = &cx.theme;
        let title = t!(
            " Xem trước văn bản ({}) · dòng {}/{} ",
            " Document preview ({}) · line {}/{} ",
            keymap::key_of(Action::OpenPreview),
            self.top + 1,
            self.lines.len()
        );
        let hint = format!(
            " {} · {} ",
            keymap::hints(&[Context::Preview], &keymap::RUN),
            t!(
                "in ra: baocao render --format docx",
                "to print: baocao render --format docx"
            )
        );
        let block = Block::bordered()
            .border_style(theme.focus_border())
            .title(Span::styled(title, theme.title()))
            .title_bottom(Line::from(hint).style(theme.dim()));
        let inner = block.inner(area);
        f.render_widget(block, area);
        view.preview_rows = inner.height as usize;
        let lines: Vec<Line> = if self.busy.is_some() {
            vec![Line::styled(
                t!("Đang dựng văn bản…", "Laying out the document…"),
                theme.title(),
            )]
        } else if let Some(e) = &self.error {
            vec![Line::styled(
                format!("⚠ {}", crate::text::printable(e, false)),
                theme.error(),
            )]
        } else {
            self.lines
                .iter()
                .skip(self.top)
                .take(inner.height as usize)
                .map(|l| Line::raw(l.clone()))
                .collect()
        };
        f.render_widget(Paragraph::new(lines), inner);
    }
}
