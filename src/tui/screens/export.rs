//! F5: write the package to send upward, into a folder the user picks
//! (a USB stick), and say where it went.

use crate::t;
use crate::text::printable;
use crate::tui::theme::Theme;
use crate::tui::view::{draw_textbox, fit, input_rect};
use crate::tui::widgets::textbox::TextBox;
use crate::workspace::Workspace;
use ratatui::Frame;
use ratatui::crossterm::event::{KeyCode, KeyEvent};
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use std::path::PathBuf;

pub struct ExportScreen {
    pub dir: TextBox,
    pub result: Option<Result<PathBuf, String>>,
}

pub enum Outcome {
    Stay,
    /// A package was written; the report (its revision) must be saved.
    Exported,
    Close,
}

impl ExportScreen {
    pub fn new(dir: &str) -> ExportScreen {
        ExportScreen {
            dir: TextBox::new(dir, false),
            result: None,
        }
    }

    pub fn key(&mut self, key: KeyEvent, ws: &mut Workspace) -> Outcome {
        match key.code {
            KeyCode::Esc => Outcome::Close,
            KeyCode::Enter if matches!(self.result, Some(Ok(_))) => Outcome::Close,
            KeyCode::Enter => {
                let dir = PathBuf::from(self.dir.text().trim());
                if !dir.is_dir() {
                    self.result = Some(Err(t!(
                        "Không có thư mục {}. Hãy cắm USB và gõ đúng đường dẫn.",
                        "There is no folder {}. Plug in the USB stick and type its path.",
                        dir.display()
                    )));
                    return Outcome::Stay;
                }
                let before = ws.report.last_export.clone();
                self.result = Some(ws.export(&dir).map_err(|e| e.to_string()));
                if ws.report.last_export != before {
                    Outcome::Exported
                } else {
                    Outcome::Stay
                }
            }
            _ => {
                self.result = None;
                self.dir.key(key);
                Outcome::Stay
            }
        }
    }

    pub fn paste(&mut self, text: &str) {
        self.dir.paste(text);
    }

    pub fn draw(&self, f: &mut Frame, area: Rect, ws: &Workspace, theme: &Theme) {
        let w = area.width.min(90);
        let r = Rect::new(
            area.x + (area.width - w) / 2,
            area.y + area.height.saturating_sub(10) / 2,
            w,
            area.height.min(10),
        );
        f.render_widget(Clear, r);
        let block = Block::bordered()
            .border_style(theme.focus_border())
            .title(Span::styled(
                t!(" Xuất gói gửi cấp trên (F5) ", " Export the package (F5) "),
                theme.title(),
            ));
        let inner = block.inner(r);
        f.render_widget(block, r);
        let p = ws.progress();
        let draft = if ws.report.status == crate::report::Status::Draft {
            t!(
                " Báo cáo còn là DỰ THẢO (chưa thông qua tập thể).",
                " The report is still a DRAFT (not approved)."
            )
        } else {
            String::new()
        };
        let mut lines = vec![
            Line::from(t!(
                "Hoàn thành {}%.{draft}",
                "{}% complete.{draft}",
                p.percent()
            )),
            Line::styled(
                t!(
                    "Chép gói vào thư mục (ví dụ ổ USB):",
                    "Write the package into the folder (e.g. the USB stick):"
                ),
                theme.dim(),
            ),
            Line::raw(""),
            Line::raw(""),
        ];
        match &self.result {
            Some(Ok(path)) => {
                lines.push(Line::styled(
                    t!(
                        "Đã ghi: {}",
                        "Written: {}",
                        printable(&path.display().to_string(), false)
                    ),
                    theme.ok(),
                ));
                lines.push(Line::styled(
                    t!("Enter hoặc Esc để quay lại.", "Enter or Esc to go back."),
                    theme.dim(),
                ));
            }
            Some(Err(e)) => lines.push(Line::styled(
                format!("⚠ {}", printable(e, false)),
                theme.error(),
            )),
            None => lines.push(Line::styled(
                t!("Enter: xuất · Esc: thôi", "Enter: export · Esc: cancel"),
                theme.dim(),
            )),
        }
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), inner);
        let row = Rect {
            y: inner.y + 2,
            height: 1,
            ..inner
        };
        let label = fit(&t!("Thư mục: ", "Folder: "), 12);
        let lw = label.chars().count() as u16;
        f.render_widget(Paragraph::new(Span::styled(label, theme.title())), row);
        draw_textbox(
            &self.dir,
            theme,
            true,
            String::new(),
            f.buffer_mut(),
            input_rect(row, lw),
        );
    }
}
