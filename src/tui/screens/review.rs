//! F4 at a parent unit: the children's answers to the focused field, one
//! block per unit, the selected one marked, figures with their total; the
//! selected unit's text can be copied into the parent's own answer.

use crate::i18n::tr;
use crate::outline::{Field, Kind};
use crate::t;
use crate::text::printable;
use crate::tui::component::{Component, Cx, DrawCx, Reply, ViewState};
use crate::tui::draw::fit;
use crate::tui::keymap::{self, Action, Context};
use crate::validate;
use crate::workspace::{Child, Workspace};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph, Wrap};

#[derive(Debug, Default)]
pub struct Review {
    /// Index into [`review_children`].
    pub selected: usize,
}

/// The children in the panel's order (Vietnamese order of names).
pub fn review_children(ws: &Workspace) -> Vec<&Child> {
    let mut list: Vec<&Child> = ws.children.iter().collect();
    list.sort_by(|a, b| crate::vi::fold::cmp_vi(&a.package.unit.name, &b.package.unit.name));
    list
}

/// What the panel is drawn from: the form's item and focused field.
pub struct ReviewView<'a> {
    pub cx: &'a DrawCx<'a>,
    pub item: &'a str,
    pub field: &'a Field,
}

impl Component for Review {
    type Cx<'a> = Cx<'a>;
    type DrawCx<'a> = ReviewView<'a>;

    fn contexts(&self, _: &ReviewView) -> Vec<Context> {
        vec![Context::Review]
    }

    /// Picks a unit; copying its text is the form's (it owns the field).
    fn act(&mut self, action: Action, _key: KeyEvent, cx: &mut Cx) -> Reply {
        let n = cx.ws.children.len();
        match action {
            Action::ReviewPrev => self.selected = self.selected.saturating_sub(1),
            Action::ReviewNext => self.selected = (self.selected + 1).min(n.saturating_sub(1)),
            _ => return Reply::ignored(),
        }
        Reply::done()
    }

    fn draw(&self, f: &mut Frame, area: Rect, rv: &ReviewView, _view: &mut ViewState) {
        let (ws, theme, field, item) = (rv.cx.ws, &rv.cx.theme, rv.field, rv.item);
        let sel = self.selected;
        let children = review_children(ws);
        let hint = format!(
            " {} · {} {} ",
            keymap::hints(&[Context::Review, Context::FieldParent], &keymap::SPACED),
            keymap::key_of(Action::ToggleReview),
            tr("đóng", "closes")
        );
        let block = Block::bordered()
            .border_style(theme.focus_border())
            .title(Span::styled(
                format!(
                    " {}: {} ",
                    tr("Cấp dưới", "From below"),
                    fit(&field.label, area.width as usize / 2)
                ),
                theme.title(),
            ))
            .title_bottom(Line::from(hint).style(theme.dim()));
        let inner = block.inner(area);
        f.render_widget(block, area);
        let mut lines: Vec<Line> = Vec::new();
        let mut selected_line = 0;
        for (i, c) in children.iter().enumerate() {
            let value = c.package.answers.get(item).and_then(|m| m.get(&field.id));
            let shown = match (field.kind, value) {
                (_, None) => tr("(chưa có)", "(nothing)").to_string(),
                (Kind::Table, Some(serde_json::Value::Array(rows))) => {
                    t!("{} dòng", "{} rows", rows.len())
                }
                (k, Some(v)) => validate::display(k, v),
            };
            let pointer = if i == sel { "▶ " } else { "  " };
            let style = if i == sel {
                theme.title()
            } else {
                Style::default()
            };
            if i == sel {
                selected_line = lines.len();
            }
            let head = format!(
                "{pointer}{} ({}): ",
                printable(&c.package.unit.name, false),
                printable(&c.package.unit.code, false)
            );
            if field.multiline {
                lines.push(Line::styled(head, style));
                for l in printable(&shown, true).lines() {
                    lines.push(Line::from(format!("    {l}")));
                }
            } else {
                lines.push(Line::from(vec![
                    Span::styled(head, style),
                    Span::raw(printable(&shown, false)),
                ]));
            }
        }
        if let Some(total) = ws.aggregate().value(item, &field.id).cloned()
            && field.kind.is_numeric()
        {
            lines.push(Line::styled(
                format!(
                    "{}: {}",
                    tr("Tổng cộng", "Total"),
                    validate::display(field.kind, &total)
                ),
                theme.title(),
            ));
        }
        let p = Paragraph::new(lines).wrap(Wrap { trim: false });
        let scroll = (selected_line as u16).saturating_sub(inner.height / 3);
        f.render_widget(p.scroll((scroll, 0)), inner);
    }
}
