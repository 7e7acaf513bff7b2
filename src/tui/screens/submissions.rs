//! F7: who sent, who is late, who is missing, and how complete each
//! package is, with a bar chart of completeness.

use crate::t;
use crate::text::printable;
use crate::tui::component::{Cmd, Component, Cx, DrawCx, Reply, ViewState};
use crate::tui::draw::{fit, list_row};
use crate::tui::keymap::{self, Action, Context};
use crate::workspace::State;
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Bar, BarChart, BarGroup, Block, Paragraph};

#[derive(Debug, Default)]
pub struct Submissions {
    pub cursor: usize,
}

impl Component for Submissions {
    type Cx<'a> = Cx<'a>;
    type DrawCx<'a> = DrawCx<'a>;

    fn contexts(&self, _: &DrawCx) -> Vec<Context> {
        vec![Context::Submissions]
    }

    fn act(&mut self, action: Action, _key: KeyEvent, cx: &mut Cx) -> Reply {
        let n = cx.ws.report.children.len();
        match action {
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::Down => self.cursor = (self.cursor + 1).min(n.saturating_sub(1)),
            Action::AcceptUnit => {
                let subs = cx.ws.submissions(chrono::Local::now().date_naive());
                let Some(s) = subs.get(self.cursor) else {
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

    fn draw(&self, f: &mut Frame, area: Rect, cx: &DrawCx, _view: &mut ViewState) {
        draw(f, area, cx, self.cursor)
    }
}

fn draw(f: &mut Frame, area: Rect, cx: &DrawCx, cursor: usize) {
    let (ws, theme) = (cx.ws, &cx.theme);
    let subs = ws.submissions(chrono::Local::now().date_naive());
    let sent = subs
        .iter()
        .filter(|s| matches!(s.state, State::Received | State::Late))
        .count();
    let late = subs.iter().filter(|s| s.state == State::Late).count();
    let pending = subs.iter().filter(|s| s.state == State::Pending).count();
    let damaged = subs.iter().filter(|s| s.state == State::Damaged).count();
    let missing = subs.len() - sent - pending - damaged;
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
        f.render_widget(Paragraph::new(msg).style(theme.dim()), inner);
        return;
    }
    let chart_h = if inner.height >= 20 { 9 } else { 0 };
    let [list, chart] =
        Layout::vertical([Constraint::Min(3), Constraint::Length(chart_h)]).areas(inner);
    let h = list.height as usize;
    let first = cursor.saturating_sub(h.saturating_sub(1));
    for (row, (i, s)) in subs.iter().enumerate().skip(first).take(h).enumerate() {
        let mark = match s.state {
            State::Received => "✓",
            State::Late => "!",
            State::Missing => "·",
            State::Pending => "?",
            State::Damaged => "✗",
        };
        let percent = s.received.as_ref().map(|r| r.complete_percent);
        let bar = percent.map(|p| {
            let full = (p as usize * 10).div_ceil(100).min(10);
            format!("{}{} {p:>3}%", "█".repeat(full), "░".repeat(10 - full))
        });
        let detail = match (&s.received, s.state) {
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
                if s.days_late > 0 {
                    d.push_str(&t!(", muộn {} ngày", ", {} days late", s.days_late));
                }
                d
            }
            (None, _) if s.days_late > 0 => t!("quá hạn {} ngày", "{} days overdue", s.days_late),
            (None, _) => s
                .deadline
                .map(|d| s.deadline_kind.short_phrase(&crate::vnfmt::format_date(d)))
                .unwrap_or_default(),
        };
        let text = format!(
            "{mark} {:<8} {:<28} {:<9} {:<15} {}",
            fit(&printable(&s.code, false), 8),
            fit(&printable(&s.name, false), 28),
            s.state.label(),
            bar.unwrap_or_default(),
            detail
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
    if chart_h > 0 {
        let bars: Vec<Bar> = subs
            .iter()
            .map(|s| {
                let p = s.received.as_ref().map_or(0, |r| r.complete_percent) as u64;
                Bar::default()
                    .value(p)
                    .label(fit(&printable(&s.code, false), 8))
                    .text_value(format!("{p}%"))
            })
            .collect();
        let width = (chart.width.saturating_sub(2) / subs.len().max(1) as u16).clamp(3, 8) - 1;
        let chart_widget = BarChart::default()
            .block(
                Block::bordered()
                    .title(t!(" Mức hoàn thành (%) ", " Completeness (%) "))
                    .border_style(theme.border()),
            )
            .data(BarGroup::default().bars(&bars))
            .bar_width(width)
            .bar_gap(1)
            .max(100)
            .bar_style(theme.ok());
        f.render_widget(chart_widget, chart);
    }
}
