//! F4 at a parent unit: the children's answers to the focused field. The
//! units from below in a list, the selected one always in sight; its
//! answer whole below (or beside) it, wrapped and scrolled by the lines as
//! shown, a table with its rows and columns. A sentence or a run of them
//! can be chosen and only those copied into the parent's own answer. A
//! unit whose package holds others' (a district, at a province) opens onto
//! them: its communes' answers.

use crate::i18n::tr;
use crate::merge::ROW_UNIT_NAME;
use crate::outline::{Column, Field, Kind};
use crate::package::Package;
use crate::t;
use crate::text::printable;
use crate::tui::component::{Component, Cx, DrawCx, Reply, ViewState};
use crate::tui::draw::fit;
use crate::tui::keymap::{self, Action, Context};
use crate::tui::theme::Theme;
use crate::validate;
use crate::workspace::{Child, Workspace};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use serde_json::Value;
use std::cell::Cell;
use std::ops::Range;
use unicode_width::UnicodeWidthChar;
use unicode_width::UnicodeWidthStr;

/// The panel: which unit is selected, at which level, how far its answer
/// is scrolled and which sentences are chosen.
#[derive(Debug, Default)]
pub struct Review {
    /// Index into [`Review::units`] (at the top level, into
    /// [`review_children`]).
    pub selected: usize,
    /// The packages opened, from a child down, with the units each holds.
    inside: Vec<Level>,
    /// The first line of the answer shown (clamped when drawn).
    scroll: Cell<usize>,
    /// Lines of the answer that fit, and how many it has, as last drawn.
    shown: Cell<(usize, usize)>,
    /// The scroll follows the chosen sentence (set when it moves).
    follow: Cell<bool>,
    /// Scroll to show this character of the answer (a search hit).
    reveal: Cell<Option<usize>>,
    /// The chosen sentences: (anchor, cursor), indices into [`sentences`].
    pub sentence: Option<(usize, usize)>,
    /// The item and field the form had in focus at the last key.
    at: Option<(String, String)>,
}

/// A package opened in the panel: whose, and the packages embedded in it,
/// read once (in Vietnamese order of names).
#[derive(Debug)]
struct Level {
    /// The child (of this unit) the package came in, and its checksum
    /// when opened: another revision of it closes the level.
    code: String,
    checksum: String,
    name: String,
    /// The opened unit's own figures (what its units make).
    figures: crate::report::Answers,
    units: Vec<Package>,
    /// The selection in the level above, back to it on leaving.
    selected_above: usize,
}

/// "Ctrl+T chép": a key from the keymap and a short word.
fn hint(action: Action, what: &str) -> String {
    format!("{} {what}", keymap::key_of(action))
}

/// Two keys that go together, short: "Alt+↑↓ đơn vị", "Alt+PgUp/PgDn cuộn".
fn hint_pair(a: Action, b: Action, what: &str) -> String {
    let (a, b) = (keymap::key_of(a), keymap::key_of(b));
    let (prefix, a_rest) = match a.rfind('+') {
        Some(i) => a.split_at(i + 1),
        None => ("", a.as_str()),
    };
    let b_rest = b.strip_prefix(prefix).unwrap_or(&b);
    let arrows = |s: &str| s.chars().count() == 1;
    let sep = if arrows(a_rest) && arrows(b_rest) {
        ""
    } else {
        "/"
    };
    format!("{prefix}{a_rest}{sep}{b_rest} {what}")
}

/// The children in the panel's order (Vietnamese order of names).
pub fn review_children(ws: &Workspace) -> Vec<&Child> {
    let mut list: Vec<&Child> = ws.children.iter().collect();
    list.sort_by(|a, b| crate::vi::fold::cmp_vi(&a.package.unit.name, &b.package.unit.name));
    list
}

/// The packages embedded in one, read and in Vietnamese order of names.
fn opened(p: &Package) -> Vec<Package> {
    let mut units = p.embedded();
    for u in &mut units {
        crate::report::normalize(&mut u.answers);
    }
    units.sort_by(|a, b| crate::vi::fold::cmp_vi(&a.unit.name, &b.unit.name));
    units
}

/// What the panel is drawn from: the form's item and focused field.
pub struct ReviewView<'a> {
    pub cx: &'a DrawCx<'a>,
    pub item: &'a str,
    pub field: &'a Field,
}

/// The sentences of a text, as byte ranges without the spaces around
/// them: a sentence ends after ". ", "? ", "! ", "; " (the mark is kept)
/// and at a line break.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut push = |r: Range<usize>| {
        let s = &text[r.clone()];
        let lead = s.len() - s.trim_start().len();
        let trail = s.len() - s.trim_end().len();
        if lead < s.len() {
            out.push(r.start + lead..r.end - trail);
        }
    };
    let b = text.as_bytes();
    let mut start = 0;
    for i in 0..b.len() {
        if b[i] == b'\n' {
            push(start..i);
            start = i + 1;
        } else if matches!(b[i], b'.' | b'?' | b'!' | b';')
            && matches!(b.get(i + 1), Some(b' ' | b'\t' | b'\r' | b'\n'))
        {
            push(start..i + 1);
            start = i + 1;
        }
    }
    push(start..text.len());
    out
}

/// A text cut into lines of at most `width` columns, at spaces where it
/// can be, as byte ranges (a line break makes a line of its own).
pub fn wrap(text: &str, width: usize) -> Vec<Range<usize>> {
    let width = width.max(1);
    let mut out = Vec::new();
    let mut at = 0;
    for para in text.split('\n') {
        let base = at;
        at += para.len() + 1;
        let mut start = 0;
        let mut used = 0;
        // Just after the last space on this line (where it may break).
        let mut space = None;
        for (i, c) in para.char_indices() {
            let w = c.width().unwrap_or(0);
            if used + w > width && used > 0 {
                let cut = match space {
                    Some(s) if s > start => s,
                    _ => i,
                };
                out.push(base + start..base + cut);
                start = cut;
                space = None;
                used = para[start..i].width();
            }
            used += w;
            if c == ' ' {
                space = Some(i + 1);
            }
        }
        out.push(base + start..base + para.len());
    }
    out
}

/// What the selected unit shows for the field: a text (with its
/// sentences), a table, or one short value.
enum Shown {
    Text(String),
    Table(Vec<serde_json::Map<String, Value>>),
    Value(String),
    Nothing,
}

fn shown_for(field: &Field, value: Option<&Value>) -> Shown {
    match (field.kind, value) {
        (_, None) => Shown::Nothing,
        (Kind::Table, Some(Value::Array(rows))) => {
            Shown::Table(rows.iter().filter_map(Value::as_object).cloned().collect())
        }
        (Kind::Text, Some(Value::String(s))) => Shown::Text(printable(s, true)),
        (k, Some(v)) => Shown::Value(printable(&validate::display(k, v), false)),
    }
}

/// A field whose answers are read one unit at a time (a text, a table);
/// the others show every unit's value in the list.
fn is_long(field: &Field) -> bool {
    matches!(field.kind, Kind::Table) || (field.kind == Kind::Text && field.multiline)
}

impl Review {
    /// The units at the level shown, in the panel's order.
    pub fn units<'a>(&'a self, ws: &'a Workspace) -> Vec<&'a Package> {
        match self.level(ws) {
            Some(l) => l.units.iter().collect(),
            None => review_children(ws)
                .into_iter()
                .map(|c| &c.package)
                .collect(),
        }
    }

    /// The package opened, if it is still the one received.
    fn level<'a>(&'a self, ws: &Workspace) -> Option<&'a Level> {
        let top = self.inside.first()?;
        let same = ws
            .children
            .iter()
            .any(|c| c.package.unit.code == top.code && c.package.checksum == top.checksum);
        if same { self.inside.last() } else { None }
    }

    /// The units opened, from a child down: "Huyện ủy Tân Phú".
    pub fn path(&self) -> Vec<&str> {
        self.inside.iter().map(|l| l.name.as_str()).collect()
    }

    /// The selected unit's package.
    pub fn unit<'a>(&'a self, ws: &'a Workspace) -> Option<&'a Package> {
        self.units(ws).get(self.selected).copied()
    }

    /// The panel on a search hit's unit, opened down to it, scrolled to
    /// the match.
    pub fn for_hit(ws: &Workspace, hit: &crate::search::Hit) -> Option<Review> {
        let mut r = Review::default();
        for v in &hit.via {
            let at = r.units(ws).iter().position(|p| p.unit.code == v.code)?;
            r.selected = at;
            r.open(ws);
        }
        r.selected = r
            .units(ws)
            .iter()
            .position(|p| p.unit.code == hit.unit_code)?;
        if hit.row.is_none() {
            r.reveal.set(Some(hit.offset));
        }
        Some(r)
    }

    /// Opens the selected unit's package onto the units in it.
    fn open(&mut self, ws: &Workspace) -> bool {
        let Some(p) = self.unit(ws) else {
            return false;
        };
        if p.children.is_empty() || self.inside.len() >= crate::package::MAX_DEPTH {
            return false;
        }
        // Every level keeps the child's code and checksum: a new revision
        // of the child closes them all.
        let (code, checksum) = match self.inside.first() {
            Some(top) => (top.code.clone(), top.checksum.clone()),
            None => (p.unit.code.clone(), p.checksum.clone()),
        };
        let level = Level {
            code,
            name: p.unit.name.clone(),
            checksum,
            figures: p.answers.clone(),
            units: opened(p),
            selected_above: self.selected,
        };
        self.inside.push(level);
        self.selected = 0;
        self.reset_reading();
        true
    }

    /// The item and field the form has in focus, before each key: the
    /// chosen sentences and the scroll go when it changed.
    pub fn focus_on(&mut self, at: Option<(String, String)>) {
        if self.at.is_some() && self.at != at {
            self.reset_reading();
        }
        self.at = at;
    }

    fn reset_reading(&mut self) {
        self.scroll.set(0);
        self.sentence = None;
        self.reveal.set(None);
    }

    /// The selected unit's text for the field, as shown.
    fn text(&self, ws: &Workspace, item: &str, field: &str) -> Option<String> {
        let p = self.unit(ws)?;
        let s = p.answers.get(item)?.get(field)?.as_str()?;
        Some(printable(s, true))
    }

    /// What Ctrl+T puts into the parent's answer: the chosen sentences, or
    /// the whole text, after the unit's name (and the unit it came in).
    pub fn take(&self, ws: &Workspace, item: &str, field: &str) -> Option<String> {
        let text = self.text(ws, item, field)?;
        let p = self.unit(ws)?;
        let body = match self.sentence {
            Some((a, b)) => {
                let all = sentences(&text);
                let (a, b) = (a.min(b), a.max(b));
                match (all.get(a), all.get(b.min(all.len().saturating_sub(1)))) {
                    (Some(first), Some(last)) => text[first.start..last.end].to_string(),
                    _ => text.trim().to_string(),
                }
            }
            None => text.trim().to_string(),
        };
        let name = match self.path().last() {
            Some(via) => format!("{} ({via})", p.unit.name),
            None => p.unit.name.clone(),
        };
        Some(format!("{name}: {body}\n"))
    }

    /// Moves the sentence cursor by `by`, keeping the anchor when
    /// `extend`.
    fn move_sentence(&mut self, cx: &mut Cx, by: isize, extend: bool) -> bool {
        let Some((item, field)) = self.at.clone() else {
            return false;
        };
        let Some(text) = self.text(cx.ws, &item, &field) else {
            *cx.notice = Some(t!(
                "Đơn vị này không có nội dung cho ô này.",
                "This unit has nothing for this field."
            ));
            return true;
        };
        let n = sentences(&text).len();
        if n == 0 {
            return true;
        }
        let (anchor, cursor) = match self.sentence {
            None => (0, 0),
            Some((a, c)) => {
                let c = (c as isize + by).clamp(0, n as isize - 1) as usize;
                if extend { (a, c) } else { (c, c) }
            }
        };
        self.sentence = Some((anchor, cursor));
        self.follow.set(true);
        true
    }
}

impl Component for Review {
    type Cx<'a> = Cx<'a>;
    type DrawCx<'a> = ReviewView<'a>;

    fn contexts(&self, _: &ReviewView) -> Vec<Context> {
        vec![Context::Review]
    }

    /// Picks a unit, scrolls, chooses sentences, opens a unit's package;
    /// copying the text is the form's (it owns the field).
    fn act(&mut self, action: Action, _key: KeyEvent, cx: &mut Cx) -> Reply {
        let n = self.units(cx.ws).len();
        if self.selected >= n || (!self.inside.is_empty() && self.level(cx.ws).is_none()) {
            // What was opened changed under it (a new revision came in).
            self.inside.clear();
            self.selected = self.selected.min(self.units(cx.ws).len().saturating_sub(1));
        }
        let n = self.units(cx.ws).len();
        let (top, height, total) = {
            let (h, t) = self.shown.get();
            (self.scroll.get(), h.max(1), t)
        };
        match action {
            Action::ReviewPrev | Action::ReviewNext => {
                let was = self.selected;
                self.selected = if action == Action::ReviewPrev {
                    self.selected.saturating_sub(1)
                } else {
                    (self.selected + 1).min(n.saturating_sub(1))
                };
                if was != self.selected {
                    self.reset_reading();
                }
            }
            Action::ReviewScrollUp => {
                self.scroll
                    .set(top.saturating_sub(height.saturating_sub(1).max(1)));
            }
            Action::ReviewScrollDown => {
                let last = total.saturating_sub(height);
                self.scroll
                    .set((top + height.saturating_sub(1).max(1)).min(last));
            }
            Action::ReviewSentencePrev => {
                self.move_sentence(cx, -1, false);
            }
            Action::ReviewSentenceNext => {
                self.move_sentence(cx, 1, false);
            }
            Action::ReviewExtend => {
                if self.sentence.is_none() {
                    self.move_sentence(cx, 0, false);
                } else {
                    self.move_sentence(cx, 1, true);
                }
            }
            Action::ReviewOpen => {
                if !self.open(cx.ws) {
                    *cx.notice = Some(t!(
                        "Gói của đơn vị này không chứa gói của đơn vị nào khác.",
                        "This unit's package holds no other unit's package."
                    ));
                }
            }
            Action::ReviewBack => match self.inside.pop() {
                Some(l) => {
                    self.selected = l.selected_above;
                    self.reset_reading();
                }
                None => return Reply::ignored(),
            },
            _ => return Reply::ignored(),
        }
        Reply::done()
    }

    fn draw(&self, f: &mut Frame, area: Rect, rv: &ReviewView, _view: &mut ViewState) {
        let (ws, theme, field, item) = (rv.cx.ws, &rv.cx.theme, rv.field, rv.item);
        let units = self.units(ws);
        let sel = self.selected.min(units.len().saturating_sub(1));
        let selected = units.get(sel).copied();
        let long = is_long(field);
        let value = selected.and_then(|p| p.answers.get(item).and_then(|m| m.get(&field.id)));
        let shown = shown_for(field, value);
        let drillable = selected.is_some_and(|p| !p.children.is_empty());

        // The hint: the keys that do something here, as many as fit (F1
        // lists them all).
        let mut parts: Vec<String> = vec![hint_pair(
            Action::ReviewPrev,
            Action::ReviewNext,
            tr("đơn vị", "unit"),
        )];
        if drillable {
            parts.push(hint(Action::ReviewOpen, tr("mở", "open")));
        }
        if !self.inside.is_empty() {
            parts.push(hint(Action::ReviewBack, tr("trở lại", "back")));
        }
        if long {
            parts.push(hint_pair(
                Action::ReviewScrollUp,
                Action::ReviewScrollDown,
                tr("cuộn", "scroll"),
            ));
        }
        if matches!(shown, Shown::Text(_)) {
            parts.push(hint_pair(
                Action::ReviewSentencePrev,
                Action::ReviewSentenceNext,
                tr("câu", "sentence"),
            ));
            parts.push(hint(Action::CopyChildText, tr("chép", "copy")));
            parts.push(hint(Action::ReviewExtend, tr("thêm", "more")));
        }
        parts.push(hint(Action::ToggleReview, tr("đóng", "close")));
        let room = (area.width as usize).saturating_sub(4);
        let mut hint_text = String::new();
        for p in parts {
            let next = if hint_text.is_empty() {
                p
            } else {
                format!("{hint_text} · {p}")
            };
            if next.width() > room {
                break;
            }
            hint_text = next;
        }
        let hint = format!(" {hint_text} ");
        let mut where_ = tr("Cấp dưới", "From below").to_string();
        for name in self.path() {
            where_.push_str(" › ");
            where_.push_str(&printable(name, false));
        }
        let label = fit(&field.label, area.width as usize / 2);
        let inner = Block::bordered().inner(area);
        if inner.width < 4 || inner.height < 1 {
            return;
        }

        // The answer's lines, laid out for the width it gets.
        let wide = long && inner.width >= 90;
        let list_w = if wide {
            (inner.width / 3).clamp(24, 36)
        } else {
            inner.width
        };
        let detail_w = if wide {
            inner.width - list_w - 1
        } else {
            inner.width
        } as usize;
        let list_h = if !long || wide {
            inner.height
        } else if inner.height >= 12 {
            (units.len() as u16).clamp(1, inner.height / 3)
        } else {
            1
        };
        let detail_h = if !long {
            0
        } else if wide {
            inner.height as usize
        } else {
            inner.height.saturating_sub(list_h) as usize
        };
        // Drawn for another field than the keys last went to (the focus
        // moved): nothing chosen there, from its top.
        let moved = self
            .at
            .as_ref()
            .is_some_and(|(i, f)| i != item || *f != field.id);
        let sentence = if moved { None } else { self.sentence };
        let (lines, mark, sentence_line) = if long {
            Review::detail(sentence, &shown, field, theme, detail_w)
        } else {
            (Vec::new(), None, None)
        };
        let total = lines.len();
        let mut top = if moved { 0 } else { self.scroll.get() };
        if let Some(line) = self.reveal.take().and_then(|at| {
            let Shown::Text(text) = &shown else {
                return None;
            };
            let byte = text.char_indices().nth(at).map_or(text.len(), |(b, _)| b);
            wrap(text, detail_w).iter().rposition(|r| r.start <= byte)
        }) {
            top = line.saturating_sub(1);
        }
        if self.follow.take()
            && let Some((first, last)) = sentence_line
        {
            // The whole sentence in sight, its start when it is longer.
            if last >= top + detail_h {
                top = last + 1 - detail_h.max(1);
            }
            if first < top {
                top = first;
            }
        }
        top = top.min(total.saturating_sub(detail_h));
        self.scroll.set(top);
        self.shown.set((detail_h, total));

        let mut position = String::new();
        if long && total > 0 && !matches!(shown, Shown::Nothing) {
            let last = (top + detail_h).min(total);
            position = t!(" dòng {}–{}/{} ", " lines {}–{}/{} ", top + 1, last, total);
            if let Some(m) = mark {
                position = format!("{}· {m} ", position);
            }
        }
        let title = fit(
            &format!(" {where_}: {label} "),
            (area.width as usize)
                .saturating_sub(position.width() + 3)
                .max(8),
        );
        let block = Block::bordered()
            .border_style(theme.focus_border())
            .title(Span::styled(title, theme.title()))
            .title_top(Line::from(position).style(theme.dim()).right_aligned())
            .title_bottom(Line::from(hint).style(theme.dim()));
        f.render_widget(block, area);

        // The list of units, the selected one in sight.
        let list_area = Rect {
            width: list_w,
            height: list_h,
            ..inner
        };
        let list = self.list(ws, &units, sel, field, item, theme, long, list_area);
        f.render_widget(Paragraph::new(list), list_area);
        if !long {
            return;
        }
        let detail_area = if wide {
            for y in inner.y..inner.y + inner.height {
                f.render_widget(
                    Paragraph::new(Span::styled("│", theme.border())),
                    Rect::new(inner.x + list_w, y, 1, 1),
                );
            }
            Rect {
                x: inner.x + list_w + 1,
                width: detail_w as u16,
                ..inner
            }
        } else {
            Rect {
                y: inner.y + list_h,
                height: detail_h as u16,
                ..inner
            }
        };
        let visible: Vec<Line> = lines.into_iter().skip(top).take(detail_h).collect();
        f.render_widget(Paragraph::new(visible), detail_area);
    }
}

impl Review {
    /// One line per unit, scrolled so the selected one shows; for a
    /// short field each with its value, and the total.
    #[allow(clippy::too_many_arguments)]
    fn list<'a>(
        &self,
        ws: &Workspace,
        units: &[&Package],
        sel: usize,
        field: &Field,
        item: &str,
        theme: &Theme,
        long: bool,
        area: Rect,
    ) -> Vec<Line<'a>> {
        let w = area.width as usize;
        let h = area.height as usize;
        let mut lines: Vec<Line> = Vec::new();
        for (i, p) in units.iter().enumerate() {
            let value = p.answers.get(item).and_then(|m| m.get(&field.id));
            let pointer = if i == sel { "▶ " } else { "  " };
            let style = if i == sel {
                theme.title()
            } else {
                Style::default()
            };
            let inside = if p.children.is_empty() {
                String::new()
            } else {
                t!(" · gồm {} đơn vị", " · holds {} units", p.children.len())
            };
            let head = format!(
                "{pointer}{} ({}){inside}",
                printable(&p.unit.name, false),
                printable(&p.unit.code, false)
            );
            let tail = match (long, value) {
                (_, None) => format!(" {}", tr("(chưa có)", "(nothing)")),
                (true, Some(Value::Array(rows))) => {
                    format!(" · {}", t!("{} dòng", "{} rows", rows.len()))
                }
                (true, Some(Value::String(s))) => {
                    format!(" · {}", t!("{} ký tự", "{} chars", s.chars().count()))
                }
                (_, Some(v)) => {
                    format!(": {}", printable(&validate::display(field.kind, v), false))
                }
            };
            let head_w = head.width();
            let shown_head = if long && head_w + tail.width() > w && units.len() > 1 {
                fit(&head, w.saturating_sub(tail.width().min(w / 2)))
            } else {
                head
            };
            lines.push(Line::from(vec![
                Span::styled(shown_head, style),
                Span::styled(tail, if long { theme.dim() } else { Style::default() }),
            ]));
        }
        if !long && field.kind.is_numeric() {
            // The total: this unit's merged figure, or inside a package
            // the figure of the unit it is.
            let total = match self.inside.last() {
                None => ws
                    .aggregate()
                    .value(item, &field.id)
                    .cloned()
                    .map(|v| (tr("Tổng cộng", "Total").to_string(), v)),
                Some(l) => l.figures.get(item).and_then(|m| m.get(&field.id)).map(|v| {
                    (
                        t!("Số của {}", "Figure of {}", printable(&l.name, false)),
                        v.clone(),
                    )
                }),
            };
            if let Some((what, v)) = total {
                lines.push(Line::styled(
                    format!("{what}: {}", validate::display(field.kind, &v)),
                    theme.title(),
                ));
            }
        }
        if long && h == 1 && units.len() > 1 {
            // One line: the selected unit, and where it is in the list.
            let mut line = lines.swap_remove(sel.min(lines.len() - 1));
            line.spans.push(Span::styled(
                format!(" ({}/{})", sel + 1, units.len()),
                theme.dim(),
            ));
            return vec![line];
        }
        let first = if lines.len() <= h {
            0
        } else {
            sel.saturating_sub(h / 2).min(lines.len() - h)
        };
        lines.into_iter().skip(first).take(h).collect()
    }

    /// The selected unit's answer as lines `width` wide: a text wrapped
    /// (the chosen sentences marked), a table with its columns. With the
    /// mark for the position ("câu 2/5") and the line of the sentence
    /// cursor.
    fn detail<'a>(
        sentence: Option<(usize, usize)>,
        shown: &Shown,
        field: &Field,
        theme: &Theme,
        width: usize,
    ) -> (Vec<Line<'a>>, Option<String>, Option<(usize, usize)>) {
        match shown {
            Shown::Nothing => (
                vec![Line::styled(
                    tr("(chưa có nội dung)", "(nothing yet)").to_string(),
                    theme.dim(),
                )],
                None,
                None,
            ),
            Shown::Value(v) => (vec![Line::from(v.clone())], None, None),
            Shown::Text(text) => {
                let all = sentences(text);
                let chosen = sentence.and_then(|(a, b)| {
                    let (a, b) = (a.min(b), a.max(b));
                    let last = all.len().checked_sub(1)?;
                    Some(all.get(a.min(last))?.start..all.get(b.min(last))?.end)
                });
                let cursor_at = sentence
                    .and_then(|(_, c)| all.get(c.min(all.len().saturating_sub(1))))
                    .cloned();
                let rows = wrap(text, width);
                // The lines the sentence under the cursor is on.
                let mut cursor_line: Option<(usize, usize)> = None;
                let lines = rows
                    .iter()
                    .enumerate()
                    .map(|(n, r)| {
                        if let Some(at) = &cursor_at
                            && r.start < at.end.max(at.start + 1)
                            && at.start < r.end.max(r.start + 1)
                        {
                            cursor_line = Some(cursor_line.map_or((n, n), |(a, _)| (a, n)));
                        }
                        let Some(sel) = &chosen else {
                            return Line::from(text[r.clone()].to_string());
                        };
                        let a = sel.start.clamp(r.start, r.end);
                        let b = sel.end.clamp(r.start, r.end);
                        Line::from(vec![
                            Span::raw(text[r.start..a].to_string()),
                            Span::styled(text[a..b].to_string(), theme.selected()),
                            Span::raw(text[b..r.end].to_string()),
                        ])
                    })
                    .collect();
                let mark = sentence.map(|(a, c)| {
                    let n = all.len();
                    let (lo, hi) = (a.min(c) + 1, a.max(c) + 1);
                    if lo == hi {
                        t!("câu {}/{}", "sentence {}/{}", lo.min(n), n)
                    } else {
                        t!(
                            "câu {}–{}/{}",
                            "sentences {}–{}/{}",
                            lo.min(n),
                            hi.min(n),
                            n
                        )
                    }
                });
                (lines, mark, cursor_line)
            }
            Shown::Table(rows) => (table_lines(field, rows, theme, width), None, None),
        }
    }
}

/// A table as lines: the headers wrapped (two lines at most, then cut),
/// a rule, and every row with its cells wrapped in their columns.
fn table_lines<'a>(
    field: &Field,
    rows: &[serde_json::Map<String, Value>],
    theme: &Theme,
    width: usize,
) -> Vec<Line<'a>> {
    if rows.is_empty() {
        return vec![Line::styled(
            tr("(bảng chưa có dòng nào)", "(the table has no rows)").to_string(),
            theme.dim(),
        )];
    }
    let by_unit = rows.iter().any(|r| r.contains_key(ROW_UNIT_NAME));
    // (label, column); no column: the unit a merged row came from.
    let mut cols: Vec<(String, Option<&Column>)> = Vec::new();
    if by_unit {
        cols.push((tr("Đơn vị", "Unit").to_string(), None));
    }
    cols.extend(
        field
            .columns
            .iter()
            .map(|c| (printable(&c.label, false), Some(c))),
    );
    let cell = |row: &serde_json::Map<String, Value>, c: Option<&Column>| -> String {
        let (id, kind) = c.map_or((ROW_UNIT_NAME, Kind::Text), |c| (c.id.as_str(), c.kind));
        match row.get(id) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => printable(s, true),
            Some(v) => printable(&validate::display(kind, v), true),
        }
    };
    let texts: Vec<Vec<String>> = rows
        .iter()
        .map(|r| cols.iter().map(|(_, c)| cell(r, *c)).collect())
        .collect();
    // Column widths: "STT", then each column as wide as it needs, the
    // width shared out when they do not all fit.
    let stt_w = rows.len().to_string().len().max(3);
    let seps = cols.len();
    let avail = width.saturating_sub(stt_w + seps).max(cols.len());
    let natural: Vec<usize> = cols
        .iter()
        .enumerate()
        .map(|(i, (label, _))| {
            let longest = texts
                .iter()
                .map(|r| r[i].lines().map(|l| l.width()).max().unwrap_or(0))
                .max()
                .unwrap_or(0);
            longest.max(label.width().min(12)).clamp(3, 60)
        })
        .collect();
    let widths = share(&natural, avail);
    let join = |cells: Vec<Vec<String>>| -> Vec<String> {
        let h = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
        (0..h)
            .map(|n| {
                let mut s = String::new();
                for (i, c) in cells.iter().enumerate() {
                    let w = if i == 0 { stt_w } else { widths[i - 1] };
                    let part = c.get(n).map(String::as_str).unwrap_or("");
                    let pad = w.saturating_sub(part.width());
                    if i > 0 {
                        s.push('│');
                    }
                    s.push_str(part);
                    s.push_str(&" ".repeat(pad));
                }
                s.trim_end().to_string()
            })
            .collect()
    };
    let wrapped = |text: &str, w: usize, most: usize| -> Vec<String> {
        let mut out: Vec<String> = wrap(text, w)
            .into_iter()
            .map(|r| text[r].trim_end().to_string())
            .collect();
        if out.len() > most {
            out.truncate(most);
            if let Some(last) = out.last_mut() {
                *last = fit(&format!("{last}…"), w);
            }
        }
        out
    };
    let mut head = vec![vec!["STT".to_string()]];
    head.extend(
        cols.iter()
            .zip(&widths)
            .map(|((label, _), &w)| wrapped(label, w, 2)),
    );
    let mut lines: Vec<Line> = join(head)
        .into_iter()
        .map(|l| Line::styled(l, theme.title()))
        .collect();
    let mut rule = "─".repeat(stt_w);
    for w in &widths {
        rule.push('┼');
        rule.push_str(&"─".repeat(*w));
    }
    lines.push(Line::styled(rule, theme.border()));
    for (n, r) in texts.iter().enumerate() {
        let mut cells = vec![vec![(n + 1).to_string()]];
        cells.extend(
            r.iter()
                .zip(&widths)
                .map(|(t, &w)| wrapped(t, w, usize::MAX)),
        );
        lines.extend(join(cells).into_iter().map(Line::from));
    }
    lines
}

/// Widths for columns that want `natural`, in `avail` columns at most:
/// as they want when they fit, else the narrow ones as they want and the
/// rest shared out evenly.
fn share(natural: &[usize], avail: usize) -> Vec<usize> {
    if natural.iter().sum::<usize>() <= avail {
        return natural.to_vec();
    }
    let mut widths = vec![0; natural.len()];
    let mut left = avail;
    let mut open: Vec<usize> = (0..natural.len()).collect();
    loop {
        let fair = (left / open.len().max(1)).max(1);
        let (fits, wide): (Vec<usize>, Vec<usize>) =
            open.iter().partition(|&&i| natural[i] <= fair);
        if fits.is_empty() {
            for (k, &i) in wide.iter().enumerate() {
                widths[i] = fair + usize::from(k < left.saturating_sub(fair * wide.len()));
            }
            return widths;
        }
        for &i in &fits {
            widths[i] = natural[i];
            left = left.saturating_sub(natural[i]);
        }
        open = wide;
        if open.is_empty() {
            return widths;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_split_after_marks_and_at_line_breaks() {
        let text = "Một. Hai? Ba! Bốn; năm\nSáu 1.250 người.";
        let got: Vec<&str> = sentences(text).into_iter().map(|r| &text[r]).collect();
        assert_eq!(
            got,
            vec!["Một.", "Hai?", "Ba!", "Bốn;", "năm", "Sáu 1.250 người."]
        );
        assert!(sentences("  \n ").is_empty());
    }

    #[test]
    fn wrap_breaks_at_spaces_and_cuts_long_words() {
        let text = "một hai ba bốn\nnămsáubảytám";
        let got: Vec<&str> = wrap(text, 8).into_iter().map(|r| &text[r]).collect();
        assert_eq!(got, vec!["một hai ", "ba bốn", "nămsáubả", "ytám"]);
        assert_eq!(wrap("", 5), vec![0..0]);
    }

    #[test]
    fn share_gives_narrow_columns_what_they_need() {
        assert_eq!(share(&[3, 4], 20), vec![3, 4]);
        assert_eq!(share(&[3, 40, 40], 33), vec![3, 15, 15]);
        assert_eq!(share(&[30, 30], 21).iter().sum::<usize>(), 21);
    }
}
