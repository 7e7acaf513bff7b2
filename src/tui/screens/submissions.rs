//! F7: who sent, who is late, who is missing, and how complete each
//! package is, to chase the ones behind: sorted (by name, status, days
//! late) and filtered (missing, late, pending, incomplete, all), with a
//! chart of completeness that reads at any number of units, and the list
//! of who is missing or late printed (DOCX and CSV) into a folder, the USB
//! stick first, as the annex of the chase letter. Offered only at a unit
//! others report to (the form's parent context).

use crate::i18n::lang;
use crate::t;
use crate::text::printable;
use crate::tui::component::{Cmd, Component, Cx, DrawCx, Reply, ViewState};
use crate::tui::draw::{centered, draw_textbox, fit, input_rect, list_row};
use crate::tui::jobs::{Done, JobId, JobMsg};
use crate::tui::keymap::{self, Action, Context};
use crate::tui::widgets::textbox::TextBox;
use crate::tui::widgets::wrap::wrap;
use crate::workspace::chase::{self, Filter, SortBy};
use crate::workspace::{State, Submission};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Clear, Paragraph};
use std::path::{Path, PathBuf};
use unicode_width::UnicodeWidthStr;

#[derive(Default)]
pub struct Submissions {
    pub cursor: usize,
    pub sort: SortBy,
    pub filter: Filter,
    /// The folder box for printing the list, while open.
    pub print: Option<Box<PrintBox>>,
    /// What the last print said (where the files went, or why not).
    pub said: Option<String>,
}

pub struct PrintBox {
    pub dir: TextBox,
    /// The job running: the USB look-up, or the writing (`true`).
    pub busy: Option<(JobId, bool)>,
    typed: bool,
    pub error: Option<String>,
}

impl Submissions {
    pub fn awaits(&self) -> Option<JobId> {
        self.print.as_ref().and_then(|p| p.busy).map(|(id, _)| id)
    }

    pub fn job(&mut self, msg: JobMsg) -> Reply {
        let (JobMsg::Done(done), Some(p)) = (msg, self.print.as_mut()) else {
            return Reply::done();
        };
        p.busy = None;
        match done {
            Done::Usb(Some(usb)) if !p.typed => p.dir.set_text(&usb.display().to_string()),
            Done::ChaseListed(Ok((docx, csv))) => {
                self.said = Some(t!(
                    "Đã ghi danh sách đơn vị chưa nộp, nộp muộn: {} và {}",
                    "Wrote the list of units missing or late: {} and {}",
                    docx.display(),
                    csv.display()
                ));
                self.print = None;
            }
            Done::ChaseListed(Err(e)) => p.error = Some(e),
            _ => {}
        }
        Reply::done()
    }

    /// The units as listed now.
    fn shown<'a>(&self, subs: &'a [Submission]) -> Vec<&'a Submission> {
        chase::arrange(subs, self.sort, self.filter)
    }

    fn open_print(&mut self, cx: &mut Cx) {
        let here = cx
            .ws
            .path
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        self.print = Some(Box::new(PrintBox {
            dir: TextBox::new(&here.display().to_string(), false),
            busy: Some((cx.jobs.usb(), false)),
            typed: false,
            error: None,
        }));
    }
}

impl Component for Submissions {
    type Cx<'a> = Cx<'a>;
    type DrawCx<'a> = DrawCx<'a>;

    fn contexts(&self, _: &DrawCx) -> Vec<Context> {
        match self.print.as_deref() {
            Some(PrintBox {
                busy: Some((_, true)),
                ..
            }) => Vec::new(),
            Some(_) => vec![Context::SubmissionsPrint, Context::Text],
            None => vec![Context::Submissions],
        }
    }

    fn act(&mut self, action: Action, _key: KeyEvent, cx: &mut Cx) -> Reply {
        if let Some(p) = &mut self.print {
            match action {
                Action::Close => {
                    if let Some((id, _)) = p.busy {
                        cx.jobs.cancel(id);
                    }
                    self.print = None;
                }
                Action::WriteList => {
                    if let Some((id, _)) = p.busy {
                        cx.jobs.cancel(id);
                    }
                    let dir = PathBuf::from(p.dir.text().trim());
                    p.error = None;
                    p.busy = Some((cx.jobs.print_chase(dir, self.sort, cx.ws), true));
                }
                Action::Undo => {
                    p.dir.undo();
                }
                Action::Redo => {
                    p.dir.redo();
                }
                Action::DeleteWord => {
                    p.typed = true;
                    p.dir.delete_word();
                }
                _ => return Reply::ignored(),
            }
            return Reply::done();
        }
        let subs = cx.ws.submissions(chrono::Local::now().date_naive());
        let n = self.shown(&subs).len();
        let page = (cx.size.1 as usize).saturating_sub(8).max(1);
        match action {
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::Down => self.cursor = (self.cursor + 1).min(n.saturating_sub(1)),
            Action::PageUp => self.cursor = self.cursor.saturating_sub(page),
            Action::PageDown => self.cursor = (self.cursor + page).min(n.saturating_sub(1)),
            Action::SortList => {
                self.sort = self.sort.next();
                self.cursor = 0;
            }
            Action::FilterList => {
                self.filter = self.filter.next();
                self.cursor = 0;
            }
            Action::PrintList => {
                self.said = None;
                self.open_print(cx);
            }
            Action::AcceptUnit => {
                let shown = self.shown(&subs);
                let Some(s) = shown.get(self.cursor) else {
                    return Reply::done();
                };
                if s.state != State::Pending {
                    *cx.notice = Some(t!(
                        "{} đã có trong danh sách đơn vị báo cáo về đây.",
                        "{} is on the list of units reporting here already.",
                        printable(&s.name, false)
                    ));
                    return Reply::done();
                }
                let (code, name) = (s.code.clone(), printable(&s.name, false));
                match cx.ws.accept_child(&code) {
                    Ok(_) => {
                        cx.edited();
                        *cx.notice = Some(t!(
                            "Đã nhận {name} vào danh sách; số liệu của đơn vị được tính từ bây giờ.",
                            "Accepted {name} on the list; its figures count from now on."
                        ));
                        return Reply::cmd(Cmd::SaveIfDirty);
                    }
                    Err(e) => *cx.notice = Some(e.to_string()),
                }
            }
            Action::Close => return Reply::cmd(Cmd::Close),
            _ => return Reply::ignored(),
        }
        Reply::done()
    }

    fn key(&mut self, key: KeyEvent, _cx: &mut Cx) -> Reply {
        match &mut self.print {
            Some(p) if p.busy.is_none_or(|(_, writing)| !writing) => {
                p.typed = true;
                p.dir.key(key);
                Reply::done()
            }
            _ => Reply::ignored(),
        }
    }

    fn paste(&mut self, text: &str, _cx: &mut Cx) -> Reply {
        match &mut self.print {
            Some(p) => {
                p.typed = true;
                p.dir.paste(text);
                Reply::done()
            }
            None => Reply::ignored(),
        }
    }

    fn draw(&self, f: &mut Frame, area: Rect, cx: &DrawCx, _view: &mut ViewState) {
        draw(self, f, area, cx);
        if let Some(p) = &self.print {
            draw_print(p, f, area, cx);
        }
    }
}

/// The list's detail for a unit: the revision, the day it was sent, the
/// deadline of one still missing.
fn detail(s: &Submission) -> String {
    match (&s.received, s.state) {
        (_, State::Damaged) => t!(
            "gói đã nhận bị hỏng, không tính: nhập lại gói ({})",
            "the package received is damaged, not counted: import it again ({})",
            keymap::key_of(Action::OpenImport)
        ),
        (Some(r), _) => {
            let mut d = t!("lần {}", "rev {}", r.revision);
            if r.status == crate::report::Status::Draft {
                d.push_str(&t!(", dự thảo", ", draft"));
            }
            d.push_str(&t!(
                ", gửi {}",
                ", sent {}",
                crate::vnfmt::format_date(r.sent_day())
            ));
            d
        }
        (None, _) => s
            .deadline
            .map(|d| s.deadline_kind.short_phrase(&crate::vnfmt::format_date(d)))
            .unwrap_or_default(),
    }
}

fn pad(s: &str, width: usize) -> String {
    let s = fit(s, width);
    let w = s.width();
    format!("{s}{}", " ".repeat(width.saturating_sub(w)))
}

fn draw(screen: &Submissions, f: &mut Frame, area: Rect, cx: &DrawCx) {
    let (ws, theme) = (cx.ws, &cx.theme);
    let subs = ws.submissions(chrono::Local::now().date_naive());
    let count = |st: State| subs.iter().filter(|s| s.state == st).count();
    let late = count(State::Late);
    let sent = count(State::Received) + late;
    let pending = count(State::Pending);
    let damaged = count(State::Damaged);
    let missing = count(State::Missing);
    let mut title = t!(
        " Tình hình nộp báo cáo ({}): đã nộp {sent}/{} · muộn {late} · chưa nộp {missing} ",
        " Submissions ({}): sent {sent}/{} · late {late} · missing {missing} ",
        keymap::key_of(Action::OpenSubmissions),
        subs.len() - pending
    );
    if pending > 0 {
        title.push_str(&t!(
            "· chờ xác nhận {pending} ({}: nhận) ",
            "· awaiting confirmation {pending} ({}: accept) ",
            keymap::key_of(Action::AcceptUnit)
        ));
    }
    if damaged > 0 {
        title.push_str(&t!(
            "· gói hỏng {damaged} ({}: nhập lại) ",
            "· damaged {damaged} ({}: import again) ",
            keymap::key_of(Action::OpenImport)
        ));
    }
    let block = Block::bordered()
        .border_style(theme.focus_border())
        .title(Span::styled(title, theme.title()));
    let inner = block.inner(area);
    f.render_widget(block, area);
    if subs.is_empty() {
        let msg = t!(
            "Chưa có danh sách đơn vị phải nộp. Thêm bằng lệnh: baocao children add MÃ TÊN, hoặc nhận gói ({}).",
            "No expected units yet. Add them with: baocao children add CODE NAME, or import packages ({}).",
            keymap::key_of(Action::OpenImport)
        );
        let lines: Vec<Line> = wrap(&msg, inner.width as usize)
            .into_iter()
            .map(|l| Line::styled(l, theme.dim()))
            .collect();
        f.render_widget(Paragraph::new(lines), inner);
        return;
    }
    let shown = screen.shown(&subs);
    let width = inner.width as usize;
    let said: Vec<String> = screen
        .said
        .as_deref()
        .map(|s| wrap(&printable(s, false), width))
        .unwrap_or_default();
    let chart_h = if inner.height >= 20 { 9 } else { 0 };
    let [head, list, said_rows, chart] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length((said.len() as u16).min(3)),
        Constraint::Length(chart_h),
    ])
    .areas(inner);
    let hints = keymap::hints_of(
        &[Context::Submissions],
        &[Action::SortList, Action::FilterList],
        &keymap::COLON,
    );
    let head_text = t!(
        "Sắp xếp {} · lọc: {} · {}/{} đơn vị  ({hints})",
        "Sorted {} · filter: {} · {}/{} units  ({hints})",
        screen.sort,
        screen.filter,
        shown.len(),
        subs.len()
    );
    f.render_widget(
        Paragraph::new(Span::styled(fit(&head_text, width), theme.dim())),
        head,
    );
    if shown.is_empty() {
        let msg = t!(
            "Không có đơn vị nào ({}). {}: lọc khác.",
            "No unit ({}). {}: another filter.",
            screen.filter,
            keymap::key_of_in(Context::Submissions, Action::FilterList)
        );
        f.render_widget(Paragraph::new(msg).style(theme.dim()), list);
    }
    // Columns: the lateness is never cut; the name gives way first.
    let lang = lang();
    // A late one is received; its lateness says the rest.
    let state_of = |s: &Submission| match s.state {
        State::Late => State::Received.label(),
        st => st.label(),
    };
    let state_w = shown.iter().map(|s| state_of(s).width()).max().unwrap_or(0);
    let late_w = shown
        .iter()
        .map(|s| chase::lateness(s, lang).width())
        .max()
        .unwrap_or(0);
    let wide = width >= 110;
    let bar_w = if wide { 15 } else { 4 };
    let code_w = shown
        .iter()
        .map(|s| printable(&s.code, false).width())
        .max()
        .unwrap_or(0)
        .min(8);
    let fixed = 2 + code_w + 1 + 1 + state_w + 1 + late_w + 1 + bar_w + 1;
    let detail_w = if wide { 34 } else { 16 };
    let name_w = width.saturating_sub(fixed + detail_w).clamp(8, 40);
    let h = list.height as usize;
    let cursor = screen.cursor.min(shown.len().saturating_sub(1));
    let first = cursor.saturating_sub(h.saturating_sub(1));
    for (row, (i, s)) in shown.iter().enumerate().skip(first).take(h).enumerate() {
        let mark = match s.state {
            State::Received => "✓",
            State::Late => "!",
            State::Missing => "·",
            State::Pending => "?",
            State::Damaged => "✗",
        };
        let percent = s
            .received
            .as_ref()
            .filter(|_| s.state != State::Damaged)
            .map(|r| r.complete_percent);
        let bar = percent
            .map(|p| {
                if wide {
                    let full = (p as usize * 10).div_ceil(100).min(10);
                    format!("{}{} {p:>3}%", "█".repeat(full), "░".repeat(10 - full))
                } else {
                    format!("{p:>3}%")
                }
            })
            .unwrap_or_default();
        let text = format!(
            "{mark} {} {} {} {} {} {}",
            pad(&printable(&s.code, false), code_w),
            pad(&printable(&s.name, false), name_w),
            pad(&state_of(s), state_w),
            pad(&chase::lateness(s, lang), late_w),
            pad(&bar, bar_w),
            detail(s)
        );
        let mut style = match s.state {
            State::Received => theme.ok(),
            State::Late => theme.error(),
            State::Missing => Style::default(),
            State::Pending => theme.title(),
            State::Damaged => theme.error(),
        };
        if i == cursor {
            style = style.patch(theme.selected());
        }
        list_row(f, list, row, &text, style);
    }
    let said: Vec<Line> = said
        .into_iter()
        .take(3)
        .map(|l| Line::styled(l, theme.ok()))
        .collect();
    f.render_widget(Paragraph::new(said), said_rows);
    if chart_h > 0 {
        draw_chart(f, chart, &subs, cx);
    }
}

/// One bar per unit while each has room for its code under it; else
/// the units counted in buckets of completeness, which read at any count.
fn draw_chart(f: &mut Frame, chart: Rect, subs: &[Submission], cx: &DrawCx) {
    let theme = &cx.theme;
    let room = chart.width.saturating_sub(2) as usize;
    let code_w = subs
        .iter()
        .map(|s| printable(&s.code, false).width())
        .max()
        .unwrap_or(1)
        .clamp(3, 8);
    let per_unit = subs.len() * (code_w + 1) <= room;
    let (bars, width, max, title): (Vec<Bar>, usize, u64, String) = if per_unit {
        let bars = subs
            .iter()
            .map(|s| {
                let p = s
                    .received
                    .as_ref()
                    .filter(|_| s.state != State::Damaged)
                    .map_or(0, |r| r.complete_percent) as u64;
                Bar::default()
                    .value(p)
                    .label(Line::from(printable(&s.code, false)))
                    .text_value(format!("{p}%"))
            })
            .collect();
        (
            bars,
            code_w,
            100,
            t!(" Mức hoàn thành (%) ", " Completeness (%) "),
        )
    } else {
        let buckets = chase::completeness_buckets(subs, lang());
        let w = (room / buckets.len()).saturating_sub(1).clamp(3, 20);
        let bars = buckets
            .into_iter()
            .map(|(label, n)| {
                Bar::default()
                    .value(n as u64)
                    .label(Line::from(label))
                    .text_value(n.to_string())
            })
            .collect();
        (
            bars,
            w,
            subs.len() as u64,
            t!(
                " Mức hoàn thành: số đơn vị theo mức ",
                " Completeness: units per level "
            ),
        )
    };
    let chart_widget = BarChart::default()
        .block(Block::bordered().title(title).border_style(theme.border()))
        .data(BarGroup::default().bars(&bars))
        .bar_width(width as u16)
        .bar_gap(1)
        .max(max.max(1))
        .bar_style(theme.ok());
    f.render_widget(chart_widget, chart);
}

/// The folder box of "In danh sách".
fn draw_print(p: &PrintBox, f: &mut Frame, area: Rect, cx: &DrawCx) {
    let theme = &cx.theme;
    let r = centered(area, area.width.saturating_sub(4).min(76), 8);
    f.render_widget(Clear, r);
    let block = Block::bordered()
        .border_style(theme.focus_border())
        .title(Span::styled(
            t!(
                " In danh sách chưa nộp, nộp muộn (DOCX, CSV) ",
                " Print who is missing or late (DOCX, CSV) "
            ),
            theme.title(),
        ));
    let inner = block.inner(r);
    f.render_widget(block, r);
    let [row, help, msg] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(1),
    ])
    .areas(inner);
    let label = t!("Thư mục: ", "Folder: ");
    let lw = (label.chars().count() as u16).min(row.width);
    f.render_widget(
        Paragraph::new(Span::styled(label, theme.title())),
        Rect { width: lw, ..row },
    );
    let writing = matches!(p.busy, Some((_, true)));
    draw_textbox(
        &p.dir,
        theme,
        !writing,
        String::new(),
        f.buffer_mut(),
        input_rect(row, lw),
    );
    let hints = keymap::hints(&[Context::SubmissionsPrint], &keymap::COLON);
    f.render_widget(
        Paragraph::new(Span::styled(fit(&hints, help.width as usize), theme.dim())),
        help,
    );
    let (text, style) = match (&p.error, p.busy) {
        (_, Some((_, true))) => (t!("Đang ghi…", "Writing…"), theme.title()),
        (Some(e), _) => (printable(e, false), theme.error()),
        (None, Some(_)) => (
            t!("Đang tìm ổ USB…", "Looking for a USB stick…"),
            theme.dim(),
        ),
        (None, None) => (
            t!(
                "Ghi hai tệp: DOCX (phụ lục công văn đôn đốc) và CSV.",
                "Writes two files: DOCX (the chase letter's annex) and CSV."
            ),
            theme.dim(),
        ),
    };
    let lines: Vec<Line> = wrap(&text, msg.width as usize)
        .into_iter()
        .map(|l| Line::styled(l, style))
        .collect();
    f.render_widget(Paragraph::new(lines), msg);
}
