//! Pasted text that looks typed in an old TCVN3 or VNI font: convert it
//! to Unicode, or paste it as it is?

use crate::i18n::tr;
use crate::t;
use crate::text::printable;
use crate::tui::component::{Cmd, Component, Cx, DrawCx, Reply, ViewState};
use crate::tui::draw::centered;
use crate::tui::keymap::{self, Action, Context};
use crate::vi::legacy::{self, Legacy};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};

pub struct LegacyPaste {
    pub text: String,
    pub encoding: Legacy,
}

impl Component for LegacyPaste {
    type Cx<'a> = Cx<'a>;
    type DrawCx<'a> = DrawCx<'a>;

    fn contexts(&self, _: &DrawCx) -> Vec<Context> {
        vec![Context::LegacyPaste]
    }

    fn act(&mut self, action: Action, _key: KeyEvent, _cx: &mut Cx) -> Reply {
        let text = match action {
            Action::Yes => legacy::to_unicode(&self.text, self.encoding),
            Action::No => self.text.clone(),
            _ => return Reply::ignored(),
        };
        Reply::with(vec![Cmd::Close, Cmd::Paste(text)])
    }

    /// Other keys keep the question open.
    fn key(&mut self, _key: KeyEvent, _cx: &mut Cx) -> Reply {
        Reply::done()
    }

    fn draw(&self, f: &mut Frame, area: Rect, cx: &DrawCx, _view: &mut ViewState) {
        let theme = &cx.theme;
        let sample: String = legacy::to_unicode(&self.text, self.encoding)
            .chars()
            .take(60)
            .collect();
        let lines = vec![
            Line::from(t!(
                "Văn bản vừa dán có vẻ gõ bằng phông {} (chữ bị lỗi).",
                "The pasted text looks like it was typed in a {} font (garbled).",
                self.encoding.label()
            )),
            Line::from(t!(
                "Chuyển sang Unicode: «{}…»",
                "As Unicode: «{}…»",
                printable(&sample, false)
            )),
            Line::raw(""),
            Line::styled(keymap::choice_hints(Context::LegacyPaste), theme.title()),
        ];
        let r = centered(area, 76, 6);
        f.render_widget(Clear, r);
        let block = Block::bordered()
            .title(format!(" {} ", tr("Chuyển mã", "Convert")))
            .border_style(theme.focus_border());
        f.render_widget(
            Paragraph::new(lines).block(block).wrap(Wrap { trim: true }),
            r,
        );
    }
}
