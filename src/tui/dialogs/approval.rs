//! Ctrl+D (duyệt, dự thảo): the collective's approval without a command line. On a draft it
//! asks who approved and when (the checks of `baocao finalize`: a real
//! date, not in the future nor before the plan; missing answers only with
//! a reason), saying first what is still missing below; on an approved
//! report it asks why it goes back to a draft (`baocao reopen`).

use crate::approval::{ApprovalError, Request};
use crate::outline::Kind;
use crate::t;
use crate::text::printable;
use crate::tui::component::{Cmd, Component, Cx, DrawCx, Reply, ViewState};
use crate::tui::draw::{centered, draw_textbox, fit, input_rect};
use crate::tui::keymap::{self, Action, Context};
use crate::tui::screens::form::ime_for;
use crate::tui::widgets::textbox::TextBox;
use crate::workspace::Workspace;
use crate::workspace::chase::Filter;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

pub struct ApprovalDialog {
    /// Approving a draft, or taking an approved report back to a draft.
    pub reopen: bool,
    /// Approve: the body, the date, the reason for missing answers.
    /// Reopen: the reason alone.
    pub boxes: Vec<TextBox>,
    pub focus: usize,
    /// What finalize or reopen said when it refused.
    pub error: Option<String>,
    /// What is still missing, worked out once when the dialog opens
    /// (nothing changes the report while it is open).
    warnings: Vec<String>,
}

impl ApprovalDialog {
    pub fn open(ws: &Workspace) -> ApprovalDialog {
        let reopen = ws.report.is_final();
        let boxes = if reopen {
            vec![TextBox::new("", false)]
        } else {
            let today = chrono::Local::now().format("%d/%m/%Y").to_string();
            vec![
                TextBox::new("", false),
                TextBox::new(&today, false),
                TextBox::new("", false),
            ]
        };
        ApprovalDialog {
            reopen,
            boxes,
            focus: 0,
            error: None,
            warnings: if reopen {
                Vec::new()
            } else {
                Self::warnings(ws)
            },
        }
    }

    fn labels(&self) -> Vec<String> {
        if self.reopen {
            vec![t!("Lý do: ", "Reason: ")]
        } else {
            vec![
                t!("Tập thể thông qua: ", "Approved by: "),
                t!("Ngày thông qua: ", "Approved on: "),
                t!("Lý do nếu còn thiếu: ", "Reason if incomplete: "),
            ]
        }
    }

    /// Finalize or reopen; the report is saved by the app's autosave.
    fn submit(&mut self, cx: &mut Cx) -> Reply {
        let text = |i: usize| self.boxes[i].text().trim().to_string();
        let result = if self.reopen {
            let reason = text(0);
            cx.ws
                .reopen((!reason.is_empty()).then_some(reason.as_str()))
        } else {
            let reason = text(2);
            let req = Request {
                by: text(0),
                on: text(1),
                incomplete_reason: (!reason.is_empty()).then_some(reason),
            };
            cx.ws.finalize(&req, chrono::Local::now().date_naive())
        };
        match result {
            Ok(()) => {
                cx.save.edited();
                *cx.notice = Some(if self.reopen {
                    t!(
                        "Báo cáo đã trở lại DỰ THẢO; sửa xong cần thông qua lại (Ctrl+D).",
                        "The report is a DRAFT again; approve it again once edited (Ctrl+D)."
                    )
                } else {
                    t!(
                        "Đã thông qua: báo cáo là CHÍNH THỨC. Xuất gói bằng F5.",
                        "Approved: the report is FINAL. Export it with F5."
                    )
                });
                Reply::with(vec![Cmd::Close, Cmd::SaveIfDirty])
            }
            Err(e) => {
                self.error = Some(match e.downcast_ref::<ApprovalError>() {
                    // Said in the words of this dialog, not the command's.
                    Some(ApprovalError::Incomplete {
                        percent, missing, ..
                    }) => t!(
                        "Báo cáo mới hoàn thành {percent}%, còn {missing} trường bắt buộc chưa điền. Điền nốt, hoặc nếu tập thể đã thông qua như vậy, ghi lý do vào ô \"Lý do nếu còn thiếu\".",
                        "The report is only {percent}% complete, {missing} required fields are empty. Fill them in, or if it was approved as it is, give the reason in the \"Reason if incomplete\" box."
                    ),
                    _ => e.to_string(),
                });
                Reply::done()
            }
        }
    }

    /// What the user should know before approving: the answers and the
    /// units below still missing.
    fn warnings(ws: &Workspace) -> Vec<String> {
        let mut out = Vec::new();
        let effective = ws.effective();
        let invalid: Vec<(String, String)> = crate::report::invalid_of(&ws.outline, &effective)
            .into_iter()
            .map(|(i, f, _)| (i, f))
            .collect();
        if !invalid.is_empty() {
            out.push(t!(
                "Còn {} trường sai, phải sửa trước khi thông qua: {}.",
                "{} invalid fields must be corrected before approval: {}.",
                invalid.len(),
                Self::named(ws, &invalid)
            ));
        }
        let p = crate::report::progress_of(&ws.outline, &effective);
        if p.percent() < 100 {
            let missing = crate::report::missing_of(&ws.outline, &effective);
            out.push(t!(
                "Mới hoàn thành {}%, còn thiếu {}: cần ghi lý do để thông qua khi còn thiếu.",
                "Only {}% complete, missing {}: a reason is needed to approve it incomplete.",
                p.percent(),
                Self::named(ws, &missing)
            ));
        }
        out.extend(missing_children(ws));
        out
    }

    /// The first few fields, as "A.I.1 «Số hội nghị»", and how many more.
    fn named(ws: &Workspace, fields: &[(String, String)]) -> String {
        let names = fields.iter().take(SHOWN).map(|(item, field)| {
            let found = ws.outline.item(item);
            let label = found
                .and_then(|i| i.fields.iter().find(|f| &f.id == field))
                .map_or(field.as_str(), |f| f.label.as_str());
            let number = if found.is_some_and(|i| i.front_matter) {
                t!("Thông tin chung", "Front matter")
            } else {
                item.clone()
            };
            format!("{number} «{}»", printable(label, false))
        });
        let more = fields.len().saturating_sub(SHOWN);
        let mut text = names.collect::<Vec<_>>().join(", ");
        if more > 0 {
            text.push_str(&t!(", và {} trường khác", ", and {} more", more));
        }
        text
    }
}

/// How many fields or units a warning names before "and N more".
const SHOWN: usize = 3;

/// "No package yet from 2 units: Xã A, Xã B (F7)." at a parent still
/// waiting for some: said before approving and before exporting.
pub fn missing_children(ws: &Workspace) -> Option<String> {
    let subs = ws.submissions(chrono::Local::now().date_naive());
    let missing: Vec<String> = subs
        .iter()
        .filter(|s| Filter::Missing.keeps(s))
        .map(|s| printable(&s.name, false))
        .collect();
    if missing.is_empty() {
        return None;
    }
    let shown = missing
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    let more = missing.len().saturating_sub(SHOWN);
    let more = if more > 0 {
        t!(" và {} đơn vị khác", " and {} more", more)
    } else {
        String::new()
    };
    Some(t!(
        "Chưa nhận gói của {} đơn vị: {shown}{more} ({}).",
        "No package yet from {} units: {shown}{more} ({}).",
        missing.len(),
        keymap::key_of(Action::OpenSubmissions)
    ))
}

impl Component for ApprovalDialog {
    type Cx<'a> = Cx<'a>;
    type DrawCx<'a> = DrawCx<'a>;

    fn contexts(&self, _: &DrawCx) -> Vec<Context> {
        vec![Context::Approval, Context::Text]
    }

    fn act(&mut self, action: Action, _key: KeyEvent, cx: &mut Cx) -> Reply {
        let n = self.boxes.len();
        match action {
            Action::Close => return Reply::cmd(Cmd::Close),
            Action::ApproveNow => return self.submit(cx),
            Action::NextField => self.focus = (self.focus + 1) % n,
            Action::PrevField => self.focus = (self.focus + n - 1) % n,
            Action::Undo => {
                self.boxes[self.focus].undo();
            }
            Action::Redo => {
                self.boxes[self.focus].redo();
            }
            Action::DeleteWord => {
                self.boxes[self.focus].delete_word();
            }
            _ => return Reply::ignored(),
        }
        Reply::done()
    }

    /// Typed as in the form's text fields, with the input method; the
    /// date box takes digits and slashes as they are.
    fn key(&mut self, key: KeyEvent, cx: &mut Cx) -> Reply {
        self.error = None;
        let date_box = !self.reopen && self.focus == 1;
        let kind = if date_box { Kind::Date } else { Kind::Text };
        self.boxes[self.focus].key_ime(key, ime_for(cx.settings, kind));
        Reply::done()
    }

    fn paste(&mut self, text: &str, _cx: &mut Cx) -> Reply {
        self.boxes[self.focus].paste(text);
        Reply::done()
    }

    fn draw(&self, f: &mut Frame, area: Rect, cx: &DrawCx, _view: &mut ViewState) {
        let theme = &cx.theme;
        let mut intro: Vec<Line> = Vec::new();
        if self.reopen {
            if let Some(a) = cx.ws.report.approval() {
                intro.push(Line::from(t!(
                    "{} đã thông qua ngày {}. Trở lại DỰ THẢO để sửa; lần thông qua này được giữ trong lịch sử.",
                    "Approved by {} on {}. Back to a DRAFT to edit it; this approval is kept in the history.",
                    printable(&a.by, false),
                    printable(&a.on, false)
                )));
            }
        } else {
            intro.push(Line::from(t!(
                "Ghi tập thể đã thông qua báo cáo và ngày thông qua (dd/mm/yyyy).",
                "Give the body that approved the report and the day (dd/mm/yyyy)."
            )));
            for w in &self.warnings {
                intro.push(Line::styled(format!("⚠ {w}"), theme.error()));
            }
        }
        let foot = match &self.error {
            Some(e) => Line::styled(format!("⚠ {}", printable(e, false)), theme.error()),
            None => Line::styled(
                keymap::hints(&[Context::Approval], &keymap::COLON),
                theme.dim(),
            ),
        };
        let w = area.width.min(90);
        let text_w = w.saturating_sub(2);
        let intro = Paragraph::new(intro).wrap(Wrap { trim: true });
        let foot = Paragraph::new(foot).wrap(Wrap { trim: true });
        let intro_h = intro.line_count(text_w) as u16;
        let foot_h = foot.line_count(text_w) as u16;
        let boxes_h = self.boxes.len() as u16;
        let h = (intro_h + 1 + boxes_h + 1 + foot_h + 2).min(area.height);
        let r = centered(area, w, h);
        f.render_widget(Clear, r);
        let key = keymap::key_of(Action::OpenApproval);
        let title = if self.reopen {
            t!(" Trở lại dự thảo ({key}) ", " Back to a draft ({key}) ")
        } else {
            t!(" Thông qua tập thể ({key}) ", " Approval ({key}) ")
        };
        let block = Block::bordered()
            .border_style(theme.focus_border())
            .title(Span::styled(title, theme.title()));
        let inner = block.inner(r);
        f.render_widget(block, r);
        let at = |y: u16, height: u16| {
            let y = (inner.y + y).min(inner.bottom());
            Rect {
                y,
                height: height.min(inner.bottom() - y),
                ..inner
            }
        };
        f.render_widget(intro, at(0, intro_h));
        f.render_widget(foot, at(intro_h + 1 + boxes_h + 1, foot_h));
        let labels = self.labels();
        let label_w = labels.iter().map(|l| l.chars().count()).max().unwrap_or(0) as u16;
        for (i, (tb, label)) in self.boxes.iter().zip(&labels).enumerate() {
            let row = at(intro_h + 1 + i as u16, 1);
            if row.height == 0 {
                break;
            }
            f.render_widget(
                Paragraph::new(Span::styled(fit(label, label_w as usize), theme.title())),
                row,
            );
            draw_textbox(
                tb,
                theme,
                i == self.focus,
                String::new(),
                f.buffer_mut(),
                input_rect(row, label_w),
            );
        }
    }
}
