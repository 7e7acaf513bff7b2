//! F6: take in the packages on a USB stick. Lists the package files in a
//! folder, says what importing each would do, then does it for the ones
//! chosen. Refused files are shown with their reason and never touched.

use crate::package::EXTENSION;
use crate::t;
use crate::text::printable;
use crate::tui::theme::Theme;
use crate::tui::view::{draw_textbox, fit, input_rect, list_row};
use crate::tui::widgets::textbox::TextBox;
use crate::workspace::{Examined, Verdict, Workspace};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
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
    /// The keyboard is on the list (else on the folder box).
    pub on_list: bool,
    pub log: Vec<String>,
}

pub enum Outcome {
    Stay,
    /// Packages were taken in: the report must be saved.
    Imported,
    Close,
}

impl ImportScreen {
    pub fn new(dir: &str, ws: &Workspace) -> ImportScreen {
        let mut s = ImportScreen {
            dir: TextBox::new(dir, false),
            files: Vec::new(),
            chosen: Vec::new(),
            cursor: 0,
            on_list: false,
            log: Vec::new(),
        };
        s.scan(ws);
        s
    }

    /// Lists the folder's package files and what importing each would do.
    pub fn scan(&mut self, ws: &Workspace) {
        let dir = PathBuf::from(self.dir.text().trim());
        let mut paths: Vec<PathBuf> = match std::fs::read_dir(&dir) {
            Ok(rd) => rd
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.is_file()
                        && p.extension()
                            .is_some_and(|x| x.eq_ignore_ascii_case(EXTENSION))
                })
                .collect(),
            Err(e) => {
                self.files.clear();
                self.chosen.clear();
                self.log = vec![
                    crate::error::io_error(crate::error::IoAction::ReadFolder, &dir, e).to_string(),
                ];
                return;
            }
        };
        paths.sort();
        self.files = paths.iter().map(|p| ws.examine(p)).collect();
        self.chosen = self
            .files
            .iter()
            .map(|f| matches!(f.verdict, Verdict::New { .. } | Verdict::Newer { .. }))
            .collect();
        self.cursor = 0;
        if self.files.is_empty() {
            self.log = vec![t!(
                "Không có tệp .{EXTENSION} nào trong thư mục này.",
                "There is no .{EXTENSION} file in this folder."
            )];
        }
    }

    pub fn key(&mut self, key: KeyEvent, ws: &mut Workspace) -> Outcome {
        match key.code {
            KeyCode::Esc => return Outcome::Close,
            KeyCode::Tab | KeyCode::BackTab => {
                self.on_list = !self.on_list && !self.files.is_empty()
            }
            KeyCode::Enter if !self.on_list => {
                self.log.clear();
                self.scan(ws);
                self.on_list = !self.files.is_empty();
            }
            KeyCode::Up if self.on_list => self.cursor = self.cursor.saturating_sub(1),
            KeyCode::Down if self.on_list => {
                self.cursor = (self.cursor + 1).min(self.files.len().saturating_sub(1))
            }
            KeyCode::Char(' ') if self.on_list => {
                if let (Some(c), Some(f)) = (
                    self.chosen.get_mut(self.cursor),
                    self.files.get(self.cursor),
                ) {
                    *c = !*c && f.verdict.accepted();
                }
            }
            KeyCode::Enter if self.on_list => return self.import(ws),
            _ if !self.on_list => {
                self.dir.key(key);
            }
            _ => {}
        }
        Outcome::Stay
    }

    pub fn paste(&mut self, text: &str) {
        if !self.on_list {
            self.dir.paste(text);
        }
    }

    /// Imports the chosen files, one by one; then shows the folder anew.
    fn import(&mut self, ws: &mut Workspace) -> Outcome {
        self.log.clear();
        let mut changed = false;
        for (ex, chosen) in self.files.iter().zip(&self.chosen) {
            if !chosen {
                continue;
            }
            // Judge again: an earlier file of this batch may have changed things.
            let fresh = ws.examine(&ex.path);
            match ws.accept(&fresh) {
                Ok(()) => {
                    changed |= matches!(fresh.verdict, Verdict::New { .. } | Verdict::Newer { .. });
                    self.log.push(fresh.message());
                }
                Err(e) => self.log.push(e.to_string()),
            }
        }
        if self.log.is_empty() {
            self.log.push(t!(
                "Chưa chọn tệp nào (phím cách để chọn).",
                "No file chosen (Space chooses)."
            ));
        }
        let log = std::mem::take(&mut self.log);
        self.scan(ws);
        self.log = log;
        if changed {
            Outcome::Imported
        } else {
            Outcome::Stay
        }
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, theme: &Theme) {
        let block = Block::bordered()
            .border_style(theme.focus_border())
            .title(Span::styled(
                t!(" Nhận gói báo cáo (F6) ", " Import packages (F6) "),
                theme.title(),
            ));
        let inner = block.inner(area);
        f.render_widget(block, area);
        let [dir_row, help_row, list, log] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
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
            !self.on_list,
            String::new(),
            f.buffer_mut(),
            input_rect(dir_row, lw),
        );
        let help = t!(
            "Enter: xem thư mục · Tab: sang danh sách · Cách: chọn/bỏ · Enter trên danh sách: nhận các gói đã chọn · Esc: quay lại",
            "Enter: read the folder · Tab: to the list · Space: choose · Enter on the list: import the chosen · Esc: back"
        );
        f.render_widget(
            Paragraph::new(Span::styled(
                fit(&help, help_row.width as usize),
                theme.dim(),
            )),
            help_row,
        );
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
