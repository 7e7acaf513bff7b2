//! F8: the report as the document will say it (the text rendering),
//! read-only and scrollable.

use crate::t;
use crate::tui::theme::Theme;
use crate::workspace::Workspace;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

pub struct Preview {
    pub lines: Vec<String>,
    pub top: usize,
    /// Rows shown at the last draw (for paging).
    pub page: usize,
}

impl Preview {
    pub fn new(ws: &Workspace) -> Preview {
        let text = crate::render::text::render(&crate::render::of_workspace(ws));
        Preview {
            lines: text.lines().map(str::to_owned).collect(),
            top: 0,
            page: 20,
        }
    }

    /// Returns false when the preview should close.
    pub fn key(&mut self, key: KeyEvent) -> bool {
        let last = self.lines.len().saturating_sub(1);
        match key.code {
            KeyCode::Esc | KeyCode::F(8) | KeyCode::Char('q') => return false,
            KeyCode::Down | KeyCode::Char('j') => self.top += 1,
            KeyCode::Up | KeyCode::Char('k') => self.top = self.top.saturating_sub(1),
            KeyCode::PageDown | KeyCode::Char(' ') => self.top += self.page.max(1),
            KeyCode::PageUp => self.top = self.top.saturating_sub(self.page.max(1)),
            KeyCode::Home => self.top = 0,
            KeyCode::End => self.top = last,
            _ => {}
        }
        self.top = self.top.min(last);
        true
    }

    pub fn scroll(&mut self, down: bool) {
        self.top = if down {
            (self.top + 3).min(self.lines.len().saturating_sub(1))
        } else {
            self.top.saturating_sub(3)
        };
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, theme: &Theme) {
        let title = t!(
            " Xem trước văn bản (F8) · dòng {}/{} ",
            " Document preview (F8) · line {}/{} ",
            self.top + 1,
            self.lines.len()
        );
        let block = Block::bordered()
            .border_style(theme.focus_border())
            .title(Span::styled(title, theme.title()))
            .title_bottom(Line::from(t!(
                " ↑↓ PgUp PgDn Home End: cuộn · Esc: quay lại · in ra: baocao render --format docx ",
                " ↑↓ PgUp PgDn Home End: scroll · Esc: back · to print: baocao render --format docx "
            )).style(theme.dim()));
        let inner = block.inner(area);
        f.render_widget(block, area);
        let lines: Vec<Line> = self
            .lines
            .iter()
            .skip(self.top)
            .take(inner.height as usize)
            .map(|l| Line::raw(l.clone()))
            .collect();
        f.render_widget(Paragraph::new(lines), inner);
    }
}
