//! First run: no report at the path yet. Ask for the unit, as
//! `baocao init` does, then create the report.

use crate::outline::{Outline, UnitExample};
use crate::report::Unit;
use crate::t;
use crate::tui::component::{Component, Reply, ViewState};
use crate::tui::draw::draw_textbox;
use crate::tui::keymap::{self, Action, Context};
use crate::tui::theme::Theme;
use crate::tui::widgets::textbox::{Ime, Outcome, TextBox};
use ratatui::Frame;
use ratatui::crossterm::event::{Event, KeyEvent, KeyEventKind};
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

#[derive(Debug)]
pub enum SetupResult {
    Continue,
    Create(Unit),
    Quit,
}

pub struct Setup {
    pub outline: Outline,
    pub type_index: usize,
    /// code, name, parent code, parent name
    pub boxes: [TextBox; 4],
    /// 0: unit type; 1–4: the boxes; 5: the create button.
    pub focus: usize,
    pub error: Option<String>,
    pub theme: Theme,
    /// The built-in input method, for the unit names.
    pub ime: Ime,
    /// What the last key decided.
    result: Option<SetupResult>,
}

const CREATE: usize = 5;

impl Setup {
    pub fn new(outline: Outline, theme: Theme) -> Setup {
        Setup {
            outline,
            type_index: 0,
            boxes: std::array::from_fn(|_| TextBox::new("", false)),
            focus: 0,
            error: None,
            theme,
            ime: Ime::OFF,
            result: None,
        }
    }

    fn has_parent(&self) -> bool {
        self.outline.plan.unit_types[self.type_index]
            .reports_to
            .is_some()
    }

    fn reachable(&self, i: usize) -> bool {
        !matches!(i, 3 | 4) || self.has_parent()
    }

    fn step(&mut self, forward: bool) {
        let mut i = self.focus;
        loop {
            i = if forward {
                (i + 1) % (CREATE + 1)
            } else {
                (i + CREATE) % (CREATE + 1)
            };
            if self.reachable(i) {
                break;
            }
        }
        self.focus = i;
    }

    pub fn unit(&self) -> Unit {
        let text = |i: usize| self.boxes[i].text().trim().to_string();
        let opt = |i: usize| Some(text(i)).filter(|s| !s.is_empty() && self.has_parent());
        Unit {
            unit_type: self.outline.plan.unit_types[self.type_index].id.clone(),
            code: text(0),
            name: text(1),
            parent_code: opt(2),
            parent_name: opt(3),
        }
    }

    /// One terminal event, through the keymap like the app's screens.
    pub fn update(&mut self, event: &Event) -> SetupResult {
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => {
                let contexts = self.contexts(&());
                let _ = match keymap::lookup(&contexts, key) {
                    Some(b) => self.act(b.action, *key, &mut ()),
                    None => Component::key(self, *key, &mut ()),
                };
            }
            Event::Paste(text) if (1..=4).contains(&self.focus) => {
                self.boxes[self.focus - 1].paste(text);
            }
            _ => {}
        }
        self.result.take().unwrap_or(SetupResult::Continue)
    }

    /// The box with the keyboard, and the input method it types with:
    /// names are Vietnamese text; codes are not.
    fn focused_box(&mut self) -> Option<(&mut TextBox, Ime)> {
        let ime = if matches!(self.focus, 2 | 4) {
            self.ime
        } else {
            Ime::OFF
        };
        (1..=4)
            .contains(&self.focus)
            .then(|| (&mut self.boxes[self.focus - 1], ime))
    }

    /// The example unit of the chosen type (`parent`: of the type it
    /// reports to), as the outline gives it.
    fn example(&self, parent: bool) -> Option<&UnitExample> {
        let types = &self.outline.plan.unit_types;
        let t = &types[self.type_index];
        let t = if parent {
            let up = t.reports_to.as_ref()?;
            types.iter().find(|u| &u.id == up)?
        } else {
            t
        };
        t.example.as_ref()
    }

    /// The hint shown in the empty box `i` (0: code … 3: parent name).
    fn placeholder(&self, i: usize) -> String {
        let example = self.example(i >= 2);
        let value = example.map(|e| if matches!(i, 0 | 2) { &e.code } else { &e.name });
        value.map_or_else(String::new, |v| t!("Ví dụ: {v}", "e.g. {v}"))
    }

    /// What the focused box asks for, said in full below the form.
    fn explain(&self) -> Option<String> {
        Some(match self.focus {
            1 => t!(
                "Mã đơn vị: mã cấp trên giao cho đơn vị bạn (thường là mã hành chính của xã, huyện, tỉnh), hoặc một mã ngắn đã thống nhất với cấp trên. Cấp trên nhận gói theo mã này, nên đừng đổi mã sau khi đã gửi.",
                "Unit code: the code your superior gave your unit (usually the administrative code of the commune, district or province), or a short code agreed with it. The superior receives packages by this code, so do not change it once you have sent one."
            ),
            2 => t!(
                "Tên đơn vị: tên in ở đầu báo cáo (cơ quan ban hành) và trong danh sách của cấp trên.",
                "Unit name: printed at the top of the report (the issuing body) and in the superior's lists."
            ),
            3 => t!(
                "Mã đơn vị cấp trên: mã của đơn vị nhận báo cáo của bạn, như cấp trên đã báo.",
                "Parent unit code: the code of the unit that receives your report, as it told you."
            ),
            4 => t!(
                "Tên đơn vị cấp trên: in ở đầu báo cáo (tổ chức Đảng cấp trên).",
                "Parent unit name: printed at the top of the report (the superior body)."
            ),
            _ => return None,
        })
    }

    fn submit(&mut self) -> SetupResult {
        let unit = self.unit();
        if unit.code.is_empty() || unit.name.is_empty() {
            self.error = Some(t!(
                "Hãy nhập mã và tên đơn vị.",
                "Enter the unit's code and name."
            ));
            self.focus = if unit.code.is_empty() { 1 } else { 2 };
            return SetupResult::Continue;
        }
        SetupResult::Create(unit)
    }

    pub fn draw(&self, f: &mut Frame) {
        let area = f.area();
        Component::draw(self, f, area, &(), &mut ViewState::default());
    }
}

impl Component for Setup {
    type Cx<'a> = ();
    type DrawCx<'a> = ();

    fn contexts(&self, _: &()) -> Vec<Context> {
        if (1..=4).contains(&self.focus) {
            vec![Context::Setup, Context::Text]
        } else {
            vec![Context::Setup]
        }
    }

    fn act(&mut self, action: Action, _key: KeyEvent, _: &mut ()) -> Reply {
        match action {
            Action::Quit => self.result = Some(SetupResult::Quit),
            Action::Create => self.result = Some(self.submit()),
            Action::SetupNext => self.step(true),
            Action::SetupPrev => self.step(false),
            Action::SetupEnter if self.focus == CREATE => self.result = Some(self.submit()),
            Action::SetupEnter => self.step(true),
            Action::Up if self.focus != 0 => self.step(false),
            Action::Up => self.type_index = self.type_index.saturating_sub(1),
            Action::Down if self.focus != 0 => self.step(true),
            Action::Down => {
                self.type_index = (self.type_index + 1).min(self.outline.plan.unit_types.len() - 1)
            }
            Action::Undo | Action::Redo | Action::DeleteWord => {
                if let Some((tb, _)) = self.focused_box() {
                    let changed = match action {
                        Action::Undo => tb.undo(),
                        Action::Redo => tb.redo(),
                        _ => tb.delete_word(),
                    };
                    if changed == Outcome::Changed {
                        self.error = None;
                    }
                }
            }
            _ => return Reply::ignored(),
        }
        Reply::done()
    }

    fn key(&mut self, key: KeyEvent, _: &mut ()) -> Reply {
        let Some((tb, ime)) = self.focused_box() else {
            return Reply::ignored();
        };
        if tb.key_ime(key, ime) == Outcome::Changed {
            self.error = None;
        }
        Reply::done()
    }

    fn draw(&self, f: &mut Frame, area: Rect, _: &(), _view: &mut ViewState) {
        if crate::tui::draw::too_small(f, area) {
            return;
        }
        let theme = &self.theme;
        let w = area.width.min(90);
        let r = Rect::new(area.x + (area.width - w) / 2, area.y, w, area.height);
        let block = Block::bordered()
            .title(Span::styled(
                t!(" baocao · Tạo báo cáo mới ", " baocao · New report "),
                theme.title(),
            ))
            .border_style(theme.focus_border());
        let inner = block.inner(r);
        f.render_widget(block, r);
        let mut lines = vec![
            Line::from(self.outline.short_title.clone()).style(theme.title()),
            Line::styled(
                t!(
                    "Chưa có báo cáo ở đây. Cho biết đơn vị của bạn:",
                    "There is no report here yet. Tell us your unit:"
                ),
                theme.dim(),
            ),
            Line::raw(""),
            Line::styled(
                t!(
                    "Loại đơn vị ({} {} để chọn):",
                    "Unit type ({} {} to choose):",
                    keymap::keys(Context::Setup, Action::Up, ""),
                    keymap::keys(Context::Setup, Action::Down, "")
                ),
                theme.title(),
            ),
        ];
        let types = &self.outline.plan.unit_types;
        // What the focused box asks for is said in full at the bottom: the
        // list of types gives up rows for it (the chosen type counts as
        // the rows it wraps to).
        let explain_h = self.explain().map_or(0, |t| {
            Paragraph::new(t)
                .wrap(Wrap { trim: true })
                .line_count(inner.width)
                + 1
        });
        let boxes = if self.has_parent() { 4 } else { 2 };
        let fixed = 9 + boxes + usize::from(self.error.is_some()) + explain_h;
        let chosen_h = crate::tui::widgets::wrap::wrap(
            &format!(
                "(•) {} [{}]",
                types[self.type_index].name, types[self.type_index].id
            ),
            (inner.width as usize).saturating_sub(2),
        )
        .len();
        let visible =
            ((inner.height as usize).saturating_sub(fixed + chosen_h) + 1).clamp(3, types.len());
        let first = self.type_index.saturating_sub(visible - 1);
        for (i, u) in types.iter().enumerate().skip(first).take(visible) {
            let mark = if i == self.type_index { "(•)" } else { "( )" };
            let mut style = Style::default();
            if i == self.type_index && self.focus == 0 {
                style = theme.selected();
            }
            let text = format!("{mark} {} [{}]", u.name, u.id);
            if i == self.type_index {
                // The chosen type is read in full, wrapped under its mark.
                let room = (inner.width as usize).saturating_sub(2);
                for (k, part) in crate::tui::widgets::wrap::wrap(&text, room)
                    .into_iter()
                    .enumerate()
                {
                    let indent = if k == 0 { "  " } else { "      " };
                    lines.push(Line::styled(format!("{indent}{part}"), style));
                }
            } else {
                let text = crate::tui::draw::fit(&format!("  {text}"), inner.width as usize);
                lines.push(Line::styled(text, style));
            }
        }
        lines.push(Line::raw(""));
        let labels = [
            t!("Mã đơn vị", "Unit code"),
            t!("Tên đơn vị", "Unit name"),
            t!("Mã đơn vị cấp trên", "Parent unit code"),
            t!("Tên đơn vị cấp trên", "Parent unit name"),
        ];
        let mut box_rows = Vec::new();
        for (i, label) in labels.iter().enumerate() {
            if !self.reachable(i + 1) {
                continue;
            }
            box_rows.push((lines.len(), i));
            let style = if self.focus == i + 1 {
                theme.focus_border()
            } else {
                theme.title()
            };
            lines.push(Line::from(vec![
                Span::styled(format!("{label:<22}"), style),
                Span::raw("["),
            ]));
        }
        lines.push(Line::raw(""));
        let button = t!("[ Tạo báo cáo ]", "[ Create the report ]");
        let bstyle = if self.focus == CREATE {
            theme.selected()
        } else {
            theme.title()
        };
        lines.push(Line::styled(button, bstyle));
        if let Some(e) = &self.error {
            lines.push(Line::styled(format!("⚠ {e}"), theme.error()));
        }
        lines.push(Line::raw(""));
        lines.push(Line::styled(
            keymap::hints(&[Context::Setup], &keymap::COLON),
            theme.dim(),
        ));
        let used = lines.len() as u16;
        f.render_widget(Paragraph::new(lines), inner);
        if let Some(text) = self.explain()
            && used + 1 < inner.height
        {
            let below = Rect::new(
                inner.x,
                inner.y + used + 1,
                inner.width,
                inner.height - used - 1,
            );
            f.render_widget(
                Paragraph::new(text)
                    .style(theme.dim())
                    .wrap(Wrap { trim: true }),
                below,
            );
        }
        for (row, i) in box_rows {
            let y = inner.y + row as u16;
            if y >= inner.bottom() {
                continue;
            }
            let x = inner.x + 23;
            let width = inner.width.saturating_sub(24);
            let rect = Rect::new(x, y, width, 1);
            draw_textbox(
                &self.boxes[i],
                theme,
                self.focus == i + 1,
                self.placeholder(i),
                f.buffer_mut(),
                rect,
            );
            if x + width < inner.right() {
                f.buffer_mut()[(x + width, y)]
                    .set_symbol("]")
                    .set_style(Style::default().add_modifier(Modifier::empty()));
            }
        }
    }
}
