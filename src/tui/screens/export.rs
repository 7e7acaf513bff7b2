//! F5: write the package to send upward, into a folder the user picks
//! (a USB stick), and say where it went; Ctrl+P the same for the report
//! document (DOCX, to print). Looking for the stick and writing are jobs.

use crate::t;
use crate::text::printable;
use crate::tui::component::{Cmd, Component, Cx, DrawCx, Reply, ViewState};
use crate::tui::draw::{draw_textbox, fit, input_rect};
use crate::tui::jobs::{Done, JobId, JobMsg, Jobs};
use crate::tui::keymap::{self, Action, Context};
use crate::tui::widgets::textbox::TextBox;
use crate::workspace::Workspace;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use std::path::PathBuf;

pub struct ExportScreen {
    pub dir: TextBox,
    pub result: Option<Result<PathBuf, String>>,
    /// The job running for this dialog: the USB look-up, or the export.
    pub busy: Option<(JobId, bool)>,
    /// The folder box was typed in: a USB stick found later does not
    /// replace it.
    typed: bool,
    /// Writes the document to print (Ctrl+P), not the package.
    pub document: bool,
    /// LibreOffice, where installed: the printed DOCX can become a PDF.
    pub office: Option<PathBuf>,
    /// The PDF made of the printed DOCX, or why not.
    pub pdf: Option<Result<PathBuf, String>>,
    /// At a parent: the units below whose package has not come, said
    /// before anything goes up.
    missing: Option<String>,
}

impl ExportScreen {
    /// Opens on the report's own folder and looks for a USB stick to
    /// offer instead.
    pub fn open(ws: &Workspace, jobs: &mut Jobs) -> ExportScreen {
        let here = ws.folder();
        ExportScreen {
            dir: TextBox::new(&here.display().to_string(), false),
            result: None,
            busy: Some((jobs.usb(), false)),
            typed: false,
            document: false,
            office: None,
            pdf: None,
            missing: crate::tui::dialogs::approval::missing_children(ws),
        }
    }

    /// The same for the document to print.
    pub fn open_print(ws: &Workspace, jobs: &mut Jobs) -> ExportScreen {
        ExportScreen {
            document: true,
            office: crate::office::find(),
            ..ExportScreen::open(ws, jobs)
        }
    }

    pub fn awaits(&self) -> Option<JobId> {
        self.busy.map(|(id, _)| id)
    }

    fn exporting(&self) -> bool {
        matches!(self.busy, Some((_, true)))
    }

    /// A job of this dialog reported. The report's record of the export
    /// has already been updated by the app (see `App::job`).
    pub fn job(&mut self, msg: JobMsg) -> Reply {
        let JobMsg::Done(done) = msg else {
            return Reply::done();
        };
        self.busy = None;
        match done {
            Done::Usb(Some(usb)) if !self.typed => self.dir.set_text(&usb.display().to_string()),
            Done::Exported(result) => self.result = Some(result.map(|e| e.path)),
            Done::Printed(result) => self.result = Some(result),
            Done::Pdf(result) => self.pdf = Some(result),
            _ => {}
        }
        Reply::done()
    }
}

impl Component for ExportScreen {
    type Cx<'a> = Cx<'a>;
    type DrawCx<'a> = DrawCx<'a>;

    fn contexts(&self, _: &DrawCx) -> Vec<Context> {
        let written = matches!(self.result, Some(Ok(_)));
        if self.exporting() {
            Vec::new()
        } else if written && self.document && self.office.is_some() && self.pdf.is_none() {
            vec![Context::Printed]
        } else if written {
            vec![Context::Exported]
        } else if self.document {
            vec![Context::Print, Context::Text]
        } else {
            vec![Context::Export, Context::Text]
        }
    }

    fn act(&mut self, action: Action, _key: KeyEvent, cx: &mut Cx) -> Reply {
        match action {
            Action::Close => return Reply::cmd(Cmd::Close),
            Action::ExportNow => {
                if let Some((old, _)) = self.busy.take() {
                    cx.jobs.cancel(old);
                }
                self.result = None;
                let dir = PathBuf::from(self.dir.text().trim());
                let job = if self.document {
                    cx.jobs.print(dir, cx.ws)
                } else {
                    cx.jobs.export(dir, cx.ws)
                };
                self.busy = Some((job, true));
            }
            Action::MakePdf => {
                let (Some(office), Some(Ok(docx))) = (&self.office, &self.result) else {
                    return Reply::ignored();
                };
                let job = cx.jobs.pdf(office.clone(), docx.clone());
                self.busy = Some((job, true));
            }
            Action::Undo | Action::Redo | Action::DeleteWord => {
                self.typed = true;
                self.result = None;
                match action {
                    Action::Undo => self.dir.undo(),
                    Action::Redo => self.dir.redo(),
                    _ => self.dir.delete_word(),
                };
            }
            _ => return Reply::ignored(),
        }
        Reply::done()
    }

    fn key(&mut self, key: KeyEvent, _cx: &mut Cx) -> Reply {
        if self.exporting() {
            return Reply::ignored();
        }
        self.typed = true;
        self.result = None;
        self.dir.key(key);
        Reply::done()
    }

    fn paste(&mut self, text: &str, _cx: &mut Cx) -> Reply {
        if self.exporting() {
            return Reply::ignored();
        }
        self.typed = true;
        self.dir.paste(text);
        Reply::done()
    }

    fn draw(&self, f: &mut Frame, area: Rect, cx: &DrawCx, _view: &mut ViewState) {
        let (ws, theme) = (cx.ws, &cx.theme);
        let w = area.width.min(90);
        let h = area.height.min(12);
        let r = Rect::new(
            area.x + (area.width - w) / 2,
            area.y + area.height.saturating_sub(h) / 2,
            w,
            h,
        );
        f.render_widget(Clear, r);
        let block = Block::bordered()
            .border_style(theme.focus_border())
            .title(Span::styled(
                if self.document {
                    t!(
                        " In văn bản báo cáo ({}) ",
                        " Print the report ({}) ",
                        keymap::key_of(Action::OpenPrint)
                    )
                } else {
                    t!(
                        " Xuất gói gửi cấp trên ({}) ",
                        " Export the package ({}) ",
                        keymap::key_of(Action::OpenExport)
                    )
                },
                theme.title(),
            ));
        let inner = block.inner(r);
        f.render_widget(block, r);
        let p = ws.progress();
        let draft = if ws.report.status == crate::report::Status::Draft {
            let key = keymap::key_of(Action::OpenApproval);
            t!(
                " Báo cáo còn là DỰ THẢO (chưa thông qua tập thể; thông qua bằng {key} ở màn hình chính).",
                " The report is still a DRAFT (not approved; approve it with {key} on the main screen)."
            )
        } else {
            String::new()
        };
        let missing = self
            .missing
            .as_ref()
            .map(|m| format!(" {m}"))
            .unwrap_or_default();
        let mut lines = vec![
            Line::from(t!(
                "Hoàn thành {}%.{draft}{missing}",
                "{}% complete.{draft}{missing}",
                p.percent()
            )),
            Line::styled(
                if self.document {
                    t!(
                        "Ghi văn bản (DOCX, mở bằng Word hay LibreOffice để in) vào thư mục:",
                        "Write the document (DOCX, to print from Word or LibreOffice) into the folder:"
                    )
                } else {
                    t!(
                        "Chép gói vào thư mục (ví dụ ổ USB):",
                        "Write the package into the folder (e.g. the USB stick):"
                    )
                },
                theme.dim(),
            ),
        ];
        // The folder box goes below these, however many lines they wrap to.
        let head = Paragraph::new(std::mem::take(&mut lines)).wrap(Wrap { trim: true });
        let head_h = (head.line_count(inner.width) as u16).min(inner.height);
        f.render_widget(head, inner);
        match &self.result {
            _ if self.exporting() && self.result.is_some() => lines.push(Line::styled(
                t!(
                    "Đang tạo bản PDF bằng LibreOffice… (có thể mất nửa phút)",
                    "Making the PDF with LibreOffice… (may take half a minute)"
                ),
                theme.title(),
            )),
            _ if self.exporting() => {
                lines.push(Line::styled(t!("Đang ghi…", "Writing…"), theme.title()))
            }
            Some(Ok(path)) => {
                lines.push(Line::styled(
                    t!(
                        "Đã ghi: {}",
                        "Written: {}",
                        printable(&path.display().to_string(), false)
                    ),
                    theme.ok(),
                ));
                match &self.pdf {
                    Some(Ok(pdf)) => lines.push(Line::styled(
                        t!(
                            "Bản PDF: {}",
                            "PDF: {}",
                            printable(&pdf.display().to_string(), false)
                        ),
                        theme.ok(),
                    )),
                    Some(Err(e)) => lines.push(Line::styled(
                        format!("⚠ {}", printable(e, false)),
                        theme.error(),
                    )),
                    None => {}
                }
                let context = self.contexts(cx)[0];
                lines.push(Line::styled(
                    keymap::hints(&[context], &keymap::COLON),
                    theme.dim(),
                ));
            }
            Some(Err(e)) => lines.push(Line::styled(
                format!("⚠ {}", printable(e, false)),
                theme.error(),
            )),
            None => lines.push(Line::styled(
                keymap::hints(&self.contexts(cx)[..1], &keymap::COLON),
                theme.dim(),
            )),
        }
        let row = Rect {
            y: inner.y + head_h,
            height: 1.min(inner.height - head_h),
            ..inner
        };
        let below = Rect {
            y: row.y + 2,
            height: inner.height.saturating_sub(head_h + 2),
            ..inner
        };
        f.render_widget(Paragraph::new(lines).wrap(Wrap { trim: true }), below);
        let label = fit(&t!("Thư mục: ", "Folder: "), 12);
        let lw = label.chars().count() as u16;
        f.render_widget(Paragraph::new(Span::styled(label, theme.title())), row);
        draw_textbox(
            &self.dir,
            theme,
            !self.exporting(),
            String::new(),
            f.buffer_mut(),
            input_rect(row, lw),
        );
    }
}
