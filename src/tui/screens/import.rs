//! F6: take in the packages on a USB stick. Lists the package files in a
//! folder, says what importing each would do, then does it for the ones
//! chosen. Refused files are shown with their reason and never touched.
//! Looking for the stick, reading the folder and taking the packages in
//! are jobs: the screen shows how far they are and takes keys meanwhile.

use crate::package::EXTENSION;
use crate::t;
use crate::text::printable;
use crate::tui::component::{Cmd, Component, Cx, DrawCx, Reply, ViewState};
use crate::tui::draw::{draw_textbox, fit, input_rect, list_row};
use crate::tui::jobs::{Done, JobId, JobMsg, Jobs};
use crate::tui::keymap::{self, Action, Context};
use crate::tui::theme::Theme;
use crate::tui::widgets::textbox::TextBox;
use crate::workspace::{Examined, Workspace};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};
use std::path::PathBuf;

pub struct ImportScreen {
    pub dir: TextBox,
    pub files: Vec<Examined>,
    pub chosen: Vec<bool>,
    pub cursor: usize,
    /// The keyboard is on the list (else on the folder box, or on the
    /// delivery day's).
    pub on_list: bool,
    /// The day the packages were actually delivered (a paper or late
    /// delivery), dd/mm/yyyy; empty: as each was exported.
    pub received_on: TextBox,
    pub on_date: bool,
    pub log: Vec<String>,
    /// The job running for this screen, if any.
    pub busy: Option<Busy>,
    /// The folder box was typed in: a USB stick found later does not
    /// replace what was typed.
    typed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Looking for a USB stick.
    Usb,
    /// Reading the folder; `to_list`: the list takes the keyboard after,
    /// `keep_log`: what the last import said stays shown.
    Scan { to_list: bool, keep_log: bool },
    /// Taking the chosen packages in.
    Import,
}

#[derive(Debug, Clone, Copy)]
pub struct Busy {
    pub id: JobId,
    pub stage: Stage,
    pub done: usize,
    pub total: usize,
}

impl ImportScreen {
    /// Opens on the current folder and looks for a USB stick to start in
    /// instead; then reads the folder.
    pub fn open(jobs: &mut Jobs) -> ImportScreen {
        let here = std::env::current_dir().unwrap_or_default();
        ImportScreen {
            dir: TextBox::new(&here.display().to_string(), false),
            files: Vec::new(),
            chosen: Vec::new(),
            cursor: 0,
            on_list: false,
            received_on: TextBox::new("", false),
            on_date: false,
            log: Vec::new(),
            busy: Some(Busy {
                id: jobs.usb(),
                stage: Stage::Usb,
                done: 0,
                total: 0,
            }),
            typed: false,
        }
    }

    /// The job whose result this screen waits for.
    pub fn awaits(&self) -> Option<JobId> {
        self.busy.map(|b| b.id)
    }

    fn start(&mut self, jobs: &mut Jobs, id: JobId, stage: Stage) {
        if let Some(old) = self.busy.take() {
            jobs.cancel(old.id);
        }
        self.busy = Some(Busy {
            id,
            stage,
            done: 0,
            total: 0,
        });
    }

    /// Reads the folder's package files and what importing each would do.
    fn scan(&mut self, jobs: &mut Jobs, ws: &Workspace, to_list: bool, keep_log: bool) {
        let dir = PathBuf::from(self.dir.text().trim());
        let id = jobs.scan(dir, ws);
        self.start(jobs, id, Stage::Scan { to_list, keep_log });
    }

    /// Imports the chosen files, in order; then reads the folder anew.
    fn import(&mut self, cx: &mut Cx) {
        let paths: Vec<PathBuf> = self
            .files
            .iter()
            .zip(&self.chosen)
            .filter(|(_, c)| **c)
            .map(|(ex, _)| ex.path.clone())
            .collect();
        self.log.clear();
        let typed = self.received_on.text();
        let delivered_on = match typed.trim() {
            "" => None,
            d => match crate::workspace::delivery_day(d, chrono::Local::now().date_naive()) {
                Ok(day) => Some(day),
                Err(e) => {
                    self.log.push(e.to_string());
                    self.on_list = false;
                    self.on_date = true;
                    return;
                }
            },
        };
        if paths.is_empty() {
            self.log.push(t!(
                "Chưa chọn tệp nào (phím {} để chọn).",
                "No file chosen ({} chooses).",
                keymap::key_of(Action::Choose).to_lowercase()
            ));
            return;
        }
        let total = paths.len();
        let id = cx.jobs.import(paths, delivered_on, cx.ws);
        self.start(cx.jobs, id, Stage::Import);
        if let Some(busy) = &mut self.busy {
            busy.total = total;
        }
    }

    /// A job of this screen reported. The workspace with the packages
    /// taken in has already been taken by the app (see `App::job`).
    pub fn job(&mut self, msg: JobMsg, cx: &mut Cx) -> Reply {
        let Some(busy) = &mut self.busy else {
            return Reply::ignored();
        };
        let stage = busy.stage;
        match msg {
            JobMsg::Progress { done, total } => {
                busy.done = done;
                busy.total = total;
                return Reply::done();
            }
            JobMsg::Done(done) => {
                self.busy = None;
                match done {
                    Done::Usb(found) => {
                        if let (Some(usb), false) = (found, self.typed) {
                            self.dir.set_text(&usb.display().to_string());
                        }
                        self.scan(cx.jobs, cx.ws, false, false);
                    }
                    Done::Scanned(result) => self.scanned(result, stage),
                    Done::Imported(Ok(imported)) => {
                        self.log = imported.log;
                        if self.log.is_empty() {
                            self.log.push(t!("Không có tệp nào.", "No file."));
                        }
                        // Show what the folder's files would do now.
                        self.scan(cx.jobs, cx.ws, self.on_list, true);
                    }
                    Done::Imported(Err(e)) => self.log = vec![e],
                    Done::Exported(_) | Done::Rendered(_) | Done::Printed(_) | Done::Pdf(_) => {}
                }
            }
        }
        Reply::done()
    }

    fn scanned(&mut self, result: Result<Vec<Examined>, String>, stage: Stage) {
        let Stage::Scan { to_list, keep_log } = stage else {
            return;
        };
        let files = match result {
            Ok(files) => files,
            Err(e) => {
                self.files.clear();
                self.chosen.clear();
                self.on_list = false;
                self.log = vec![e];
                return;
            }
        };
        self.chosen = files.iter().map(|f| f.verdict.changes()).collect();
        self.files = files;
        self.cursor = 0;
        if !keep_log {
            self.log.clear();
            if self.files.is_empty() {
                self.log.push(t!(
                    "Không có tệp .{EXTENSION} nào trong thư mục này.",
                    "There is no .{EXTENSION} file in this folder."
                ));
            }
        }
        self.on_list = to_list && !self.files.is_empty();
    }

    /// The text box with the keyboard (the folder's when the list has it).
    fn box_in_front(&mut self) -> &mut TextBox {
        if self.on_date {
            &mut self.received_on
        } else {
            self.typed = true;
            &mut self.dir
        }
    }

    fn importing(&self) -> bool {
        matches!(
            self.busy,
            Some(Busy {
                stage: Stage::Import,
                ..
            })
        )
    }

    fn scanning(&self) -> bool {
        matches!(
            self.busy,
            Some(Busy {
                stage: Stage::Usb | Stage::Scan { .. },
                ..
            })
        )
    }

    /// The line that says how far the job is.
    fn progress_line(&self, width: u16, theme: &Theme) -> Option<Line<'static>> {
        let busy = self.busy?;
        let (what, counts) = match busy.stage {
            Stage::Usb => (t!("Đang tìm ổ USB…", "Looking for a USB stick…"), false),
            Stage::Scan { .. } if busy.total == 0 => {
                (t!("Đang đọc thư mục…", "Reading the folder…"), false)
            }
            Stage::Scan { .. } => (
                t!(
                    "Đang kiểm tra {}/{} gói",
                    "Checking {}/{} packages",
                    busy.done,
                    busy.total
                ),
                true,
            ),
            Stage::Import => (
                t!(
                    "Đang nhận {}/{} gói",
                    "Taking in {}/{} packages",
                    busy.done,
                    busy.total
                ),
                true,
            ),
        };
        let mut spans = vec![Span::styled(what.clone(), theme.title())];
        let room = (width as usize)
            .saturating_sub(unicode_width::UnicodeWidthStr::width(what.as_str()) + 2);
        if counts && busy.total > 0 && room >= 10 {
            let cells = room.min(40);
            let full = busy.done.min(busy.total) * cells / busy.total;
            spans.push(Span::raw("  "));
            spans.push(Span::styled("█".repeat(full), theme.ok()));
            spans.push(Span::styled("░".repeat(cells - full), theme.dim()));
        }
        Some(Line::from(spans))
    }
}

impl Component for ImportScreen {
    type Cx<'a> = Cx<'a>;
    type DrawCx<'a> = DrawCx<'a>;

    fn contexts(&self, _: &DrawCx) -> Vec<Context> {
        if self.importing() {
            // Nothing to do but wait (or get help, or quit: which waits).
            return Vec::new();
        }
        if self.on_date {
            vec![Context::ImportDate, Context::Text, Context::Import]
        } else if !self.on_list {
            vec![Context::ImportFolder, Context::Text, Context::Import]
        } else if self.scanning() {
            // The list is being read again: its keys wait for it.
            vec![Context::Import]
        } else {
            vec![Context::ImportList, Context::Import]
        }
    }

    fn act(&mut self, action: Action, _key: KeyEvent, cx: &mut Cx) -> Reply {
        match action {
            Action::Close => return Reply::cmd(Cmd::Close),
            // The folder, the delivery day, the list (when it has files).
            Action::SwitchFocus => {
                (self.on_date, self.on_list) = match (self.on_date, self.on_list) {
                    (false, false) => (true, false),
                    (true, _) => (false, !self.files.is_empty()),
                    (false, true) => (false, false),
                }
            }
            Action::ReadFolder => {
                self.log.clear();
                self.scan(cx.jobs, cx.ws, true, false);
            }
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::Down => self.cursor = (self.cursor + 1).min(self.files.len().saturating_sub(1)),
            Action::Choose => {
                if let (Some(c), Some(f)) = (
                    self.chosen.get_mut(self.cursor),
                    self.files.get(self.cursor),
                ) {
                    *c = !*c && f.verdict.accepted();
                }
            }
            Action::ImportChosen => self.import(cx),
            Action::Undo | Action::Redo | Action::DeleteWord => {
                let tb = self.box_in_front();
                match action {
                    Action::Undo => tb.undo(),
                    Action::Redo => tb.redo(),
                    _ => tb.delete_word(),
                };
            }
            _ => return Reply::ignored(),
        }
        Reply::done()
    }

    fn key(&mut self, key: KeyEvent, _cx: &mut Cx) -> Reply {
        if self.on_list || self.importing() {
            return Reply::ignored();
        }
        self.box_in_front().key(key);
        Reply::done()
    }

    fn paste(&mut self, text: &str, _cx: &mut Cx) -> Reply {
        if self.on_list || self.importing() {
            return Reply::ignored();
        }
        self.box_in_front().paste(text);
        Reply::done()
    }

    fn draw(&self, f: &mut Frame, area: Rect, cx: &DrawCx, _view: &mut ViewState) {
        let theme = &cx.theme;
        let block = Block::bordered()
            .border_style(theme.focus_border())
            .title(Span::styled(
                t!(
                    " Nhận gói báo cáo ({}) ",
                    " Import packages ({}) ",
                    keymap::key_of(Action::OpenImport)
                ),
                theme.title(),
            ));
        let inner = block.inner(area);
        f.render_widget(block, area);
        let progress = self.progress_line(inner.width, theme);
        let [dir_row, date_row, help_row, progress_row, list, log] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(u16::from(progress.is_some())),
            Constraint::Min(3),
            Constraint::Length((self.log.len() as u16 + 1).min(8)),
        ])
        .areas(inner);
        let label = t!("Thư mục: ", "Folder: ");
        let lw = (label.chars().count() as u16).min(dir_row.width);
        f.render_widget(
            Paragraph::new(Span::styled(label, theme.title())),
            Rect {
                width: lw,
                ..dir_row
            },
        );
        draw_textbox(
            &self.dir,
            theme,
            !self.on_list && !self.on_date && !self.importing(),
            String::new(),
            f.buffer_mut(),
            input_rect(dir_row, lw),
        );
        let label = t!("Ngày nhận thực tế: ", "Delivered on: ");
        let dw = (label.chars().count() as u16).min(date_row.width);
        f.render_widget(
            Paragraph::new(Span::styled(label, theme.title())),
            Rect {
                width: dw,
                ..date_row
            },
        );
        draw_textbox(
            &self.received_on,
            theme,
            self.on_date && !self.importing(),
            t!(
                "trống: theo ngày xuất gói · dd/mm/yyyy: bản giấy, muộn",
                "empty: the export day · dd/mm/yyyy: paper or late"
            ),
            f.buffer_mut(),
            input_rect(date_row, dw),
        );
        let here: Vec<Context> = self
            .contexts(cx)
            .into_iter()
            .filter(|c| *c != Context::Text)
            .collect();
        let help = keymap::hints(&here, &keymap::COLON);
        f.render_widget(
            Paragraph::new(Span::styled(
                fit(&help, help_row.width as usize),
                theme.dim(),
            )),
            help_row,
        );
        if let Some(line) = progress {
            f.render_widget(Paragraph::new(line), progress_row);
        }
        let h = list.height as usize;
        let first = self.cursor.saturating_sub(h.saturating_sub(1));
        for (row, i) in (first..self.files.len()).take(h).enumerate() {
            let ex = &self.files[i];
            let mark = if self.chosen[i] {
                "[x]"
            } else if ex.verdict.accepted() {
                "[ ]"
            } else {
                " ✗ "
            };
            let name = ex
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let text = format!(
                "{mark} {}  {}",
                printable(&name, false),
                printable(&ex.message(), false)
            );
            let mut style = if ex.verdict.accepted() {
                Style::default()
            } else {
                theme.error()
            };
            if self.on_list && i == self.cursor {
                style = style.patch(theme.selected());
            }
            list_row(f, list, row, &text, style);
        }
        let lines: Vec<Line> = self
            .log
            .iter()
            .map(|l| Line::from(printable(l, false)))
            .collect();
        f.render_widget(
            Paragraph::new(lines)
                .wrap(Wrap { trim: true })
                .style(theme.ok()),
            log,
        );
    }
}
