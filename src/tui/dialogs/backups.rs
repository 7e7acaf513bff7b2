//! Ctrl+B (bản sao lưu): the report's backups with their times, newest
//! first, so that an afternoon's text deleted by mistake comes back
//! without a command line (`baocao restore`). Enter on one asks, then
//! puts it in place; the report as it was becomes a backup itself with
//! the save that follows, so a restore can be undone the same way.

use crate::report::{Report, Status, progress_of};
use crate::store::{self, BackupInfo};
use crate::t;
use crate::text::printable;
use crate::tui::component::{Cmd, Component, Cx, DrawCx, Reply, ViewState};
use crate::tui::draw::{centered, fit};
use crate::tui::keymap::{self, Action, Context};
use crate::workspace::Workspace;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

/// One backup as the list shows it.
struct Entry {
    /// When it was saved: from its name, else from the report inside.
    when: String,
    /// "48% · DỰ THẢO", or why it cannot be restored.
    summary: String,
    report: Option<Report>,
}

pub struct BackupsDialog {
    entries: Vec<Entry>,
    selected: usize,
    /// Asking "restore the one saved at …?".
    confirming: bool,
    error: Option<String>,
}

impl BackupsDialog {
    pub fn open(ws: &Workspace) -> BackupsDialog {
        let entries = store::backups(&ws.path)
            .into_iter()
            .map(|b| Self::entry(ws, b))
            .collect();
        BackupsDialog {
            entries,
            selected: 0,
            confirming: false,
            error: None,
        }
    }

    fn entry(ws: &Workspace, b: BackupInfo) -> Entry {
        let named = store::backup_time(&b.name).map(|t| t.format("%H:%M:%S %d/%m/%Y").to_string());
        match b.report {
            Ok(r) => {
                let percent = progress_of(&ws.outline, &r.answers).percent();
                let status = match r.status {
                    Status::Draft => t!("dự thảo", "draft"),
                    Status::Final => t!("CHÍNH THỨC", "FINAL"),
                };
                Entry {
                    when: named
                        .unwrap_or_else(|| r.updated_at.format("%H:%M:%S %d/%m/%Y").to_string()),
                    summary: t!(
                        "hoàn thành {percent}% · {status}",
                        "{percent}% complete · {status}"
                    ),
                    report: Some(r),
                }
            }
            Err(e) => Entry {
                when: named.unwrap_or_else(|| printable(&b.name, false)),
                summary: t!(
                    "hỏng, không khôi phục được: {}",
                    "damaged, cannot be restored: {}",
                    printable(&e.to_string(), false)
                ),
                report: None,
            },
        }
    }

    fn restore(&mut self, cx: &mut Cx) -> Reply {
        self.confirming = false;
        let Some(entry) = self.entries.get(self.selected) else {
            return Reply::done();
        };
        let Some(report) = entry.report.clone() else {
            self.error = Some(entry.summary.clone());
            return Reply::done();
        };
        let when = entry.when.clone();
        match cx.ws.restore(report) {
            Ok(()) => {
                cx.save.edited();
                *cx.notice = Some(t!(
                    "Đã khôi phục bản lưu lúc {when}. Bản vừa thay được giữ trong các bản sao lưu (Ctrl+B).",
                    "Restored the copy saved at {when}. The one it replaced is kept among the backups (Ctrl+B)."
                ));
                Reply::with(vec![Cmd::Close, Cmd::Restored, Cmd::SaveIfDirty])
            }
            Err(e) => {
                self.error = Some(e.to_string());
                Reply::done()
            }
        }
    }
}

impl Component for BackupsDialog {
    type Cx<'a> = Cx<'a>;
    type DrawCx<'a> = DrawCx<'a>;

    fn contexts(&self, _: &DrawCx) -> Vec<Context> {
        if self.confirming {
            vec![Context::ConfirmRestore]
        } else {
            vec![Context::Backups]
        }
    }

    fn act(&mut self, action: Action, _key: KeyEvent, cx: &mut Cx) -> Reply {
        let last = self.entries.len().saturating_sub(1);
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(last),
            Action::Home => self.selected = 0,
            Action::End => self.selected = last,
            Action::RestoreBackup if !self.entries.is_empty() => {
                self.error = None;
                self.confirming = true;
            }
            Action::Yes => return self.restore(cx),
            Action::No => self.confirming = false,
            Action::Close => return Reply::cmd(Cmd::Close),
            _ => return Reply::ignored(),
        }
        Reply::done()
    }

    /// Other keys wait.
    fn key(&mut self, _key: KeyEvent, _cx: &mut Cx) -> Reply {
        Reply::done()
    }

    fn draw(&self, f: &mut Frame, area: Rect, cx: &DrawCx, _view: &mut ViewState) {
        let theme = &cx.theme;
        let r = centered(area, 76, area.height.saturating_sub(2).min(24));
        f.render_widget(Clear, r);
        let block = Block::bordered()
            .title(Span::styled(
                t!(" Bản sao lưu (Ctrl+B) ", " Backups (Ctrl+B) "),
                theme.title(),
            ))
            .border_style(theme.focus_border());
        let inner = block.inner(r);
        f.render_widget(block, r);
        let mut lines = vec![Line::styled(
            t!(
                "Mỗi lần lưu giữ lại bản trước: vài lần lưu gần nhất, mỗi 10 phút trong 8 giờ qua, mỗi ngày trong 30 ngày.",
                "Each save keeps the one before: the last few saves, one per 10 minutes for 8 hours, one per day for 30 days."
            ),
            theme.dim(),
        )];
        let foot = if self.confirming {
            let when = self
                .entries
                .get(self.selected)
                .map_or("", |e| e.when.as_str());
            vec![
                Line::styled(
                    t!(
                        "Khôi phục bản lưu lúc {when}? Bản đang mở được giữ lại thành một bản sao lưu.",
                        "Restore the copy saved at {when}? The open report is kept as a backup."
                    ),
                    theme.error(),
                ),
                Line::styled(keymap::choice_hints(Context::ConfirmRestore), theme.title()),
            ]
        } else {
            let mut v = Vec::new();
            if let Some(e) = &self.error {
                v.push(Line::styled(format!("⚠ {e}"), theme.error()));
            }
            v.push(Line::styled(
                keymap::hints(&[Context::Backups], &keymap::COLON),
                theme.dim(),
            ));
            v
        };
        let head = Paragraph::new(lines.clone()).wrap(Wrap { trim: true });
        let head_h = head.line_count(inner.width) as u16;
        let foot_p = Paragraph::new(foot).wrap(Wrap { trim: true });
        let foot_h = foot_p.line_count(inner.width) as u16;
        let list_h = inner.height.saturating_sub(head_h + foot_h + 1) as usize;
        lines.clear();
        if self.entries.is_empty() {
            lines.push(Line::from(t!(
                "Chưa có bản sao lưu nào: bản đầu tiên có sau lần lưu thứ hai.",
                "No backups yet: the first one comes with the second save."
            )));
        }
        let first = self.selected.saturating_sub(list_h.saturating_sub(1));
        for (i, e) in self.entries.iter().enumerate().skip(first).take(list_h) {
            let mark = if i == self.selected { "▶ " } else { "  " };
            let text = fit(
                &format!("{mark}{}  {}", e.when, e.summary),
                inner.width as usize,
            );
            let style = if i == self.selected {
                theme.selected()
            } else if e.report.is_none() {
                theme.error()
            } else {
                ratatui::style::Style::default()
            };
            lines.push(Line::styled(text, style));
        }
        let [h, list, _, foot_r] = ratatui::layout::Layout::vertical([
            ratatui::layout::Constraint::Length(head_h),
            ratatui::layout::Constraint::Min(1),
            ratatui::layout::Constraint::Length(0),
            ratatui::layout::Constraint::Length(foot_h),
        ])
        .areas(inner);
        f.render_widget(head, h);
        f.render_widget(Paragraph::new(lines), list);
        f.render_widget(foot_p, foot_r);
    }
}
