//! F1: the keys that work where the user is, made from the keymap.

use crate::i18n::tr;
use crate::tui::component::{Cmd, Component, Cx, DrawCx, Reply, ViewState};
use crate::tui::draw::centered;
use crate::tui::keymap::{self, Action, Context};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

pub struct Help {
    /// The contexts in force under the help, whose keys it lists.
    pub contexts: Vec<Context>,
    /// The first line shown (small windows scroll).
    pub top: u16,
}

impl Help {
    pub fn new(contexts: Vec<Context>) -> Help {
        Help { contexts, top: 0 }
    }

    /// The lines shown: the keys, then a word about saving.
    pub fn lines(&self) -> Vec<(String, String)> {
        keymap::help_lines(&self.contexts)
    }
}

impl Component for Help {
    type Cx<'a> = Cx<'a>;
    type DrawCx<'a> = DrawCx<'a>;

    fn contexts(&self, _: &DrawCx) -> Vec<Context> {
        vec![Context::Help]
    }

    fn act(&mut self, action: Action, _key: KeyEvent, _cx: &mut Cx) -> Reply {
        match action {
            Action::Close => return Reply::cmd(Cmd::Close),
            Action::Down | Action::PageDown => self.top = self.top.saturating_add(3),
            Action::Up | Action::PageUp => self.top = self.top.saturating_sub(3),
            _ => return Reply::ignored(),
        }
        Reply::done()
    }

    /// Other keys do nothing while the help is open.
    fn key(&mut self, _key: KeyEvent, _cx: &mut Cx) -> Reply {
        Reply::done()
    }

    fn draw(&self, f: &mut Frame, area: Rect, cx: &DrawCx, _view: &mut ViewState) {
        let theme = &cx.theme;
        let close = keymap::key_of_in(Context::Help, Action::Close);
        let lines: Vec<Line> = self
            .lines()
            .into_iter()
            .map(|(k, d)| {
                let pad = 17usize.max(k.width() + 1) - k.width();
                Line::from(vec![
                    Span::styled(format!("{k}{}", " ".repeat(pad)), theme.title()),
                    Span::raw(d),
                ])
            })
            .chain([
                Line::raw(""),
                Line::styled(
                    crate::t!(
                        "Mọi thay đổi được tự động lưu. {close} để đóng.",
                        "Every change is saved automatically. {close} closes."
                    ),
                    theme.dim(),
                ),
            ])
            .collect();
        let r = centered(area, 76, lines.len() as u16 + 2);
        f.render_widget(Clear, r);
        let visible = r.height.saturating_sub(2);
        let top = self.top.min((lines.len() as u16).saturating_sub(visible));
        let mut block = Block::bordered()
            .title(format!(" {} ", tr("Phím tắt", "Keys")))
            .border_style(theme.focus_border());
        if lines.len() as u16 > visible {
            block = block.title_bottom(Line::from(format!(
                " {} ",
                keymap::hints_of(
                    &[Context::Help],
                    &[Action::Up, Action::Down],
                    &keymap::SPACED
                )
            )));
        }
        f.render_widget(Paragraph::new(lines).block(block).scroll((top, 0)), r);
    }
}
