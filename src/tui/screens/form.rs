//! The form: one page per outline item with fields, walked with Tab and
//! PgDn, with the outline tree (F3) beside it and, at a parent unit, the
//! children's answers under it (F4). It sits at the bottom of the stack:
//! the screens and dialogs open over it.

use super::fields;
use super::review::{Review, ReviewView};
use super::tree::{Tree, TreeView};
use crate::outline::{Field, Kind};
use crate::report::Answers;
use crate::settings::Place;
use crate::t;
use crate::tui::component::{Cmd, Component, Cx, DrawCx, Hit, Open, Reply, ViewState};
use crate::tui::keymap::{self, Action, Context};
use crate::tui::theme::Theme;
use crate::tui::widgets::table::TableBox;
use crate::tui::widgets::textbox::{Ime, Outcome, TextBox};
use crate::validate::{self, FieldState, Mark};
use crate::vi::legacy;
use crate::workspace::Workspace;
use ratatui::Frame;
use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::widgets::Clear;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::HashMap;

/// Below this width the outline tree folds away.
pub const TREE_MIN_WIDTH: u16 = 100;

pub enum Widget {
    Text(TextBox),
    Choice,
    Table(TableBox),
    /// A derived rate: shown, never edited.
    Computed,
}

pub struct FieldEditor {
    pub field: Field,
    pub widget: Widget,
}

impl FieldEditor {
    fn new(field: &Field, value: Option<&Value>) -> FieldEditor {
        let widget = match field.kind {
            Kind::Ratio => Widget::Computed,
            Kind::Table => Widget::Table(TableBox::default()),
            Kind::Choice => Widget::Choice,
            k => Widget::Text(TextBox::new(&validate::to_input(k, value), field.multiline)),
        };
        FieldEditor {
            field: field.clone(),
            widget,
        }
    }

    /// The editor of `field` for a unit of type `unit_type`, whose hint
    /// is that type's example where the outline gives one.
    fn for_unit(field: &Field, value: Option<&Value>, unit_type: &str) -> FieldEditor {
        let mut ed = FieldEditor::new(field, value);
        ed.field.base.placeholder = field.placeholder_for(unit_type).map(String::from);
        ed
    }
    pub fn focusable(&self) -> bool {
        !matches!(self.widget, Widget::Computed)
    }
}

pub struct Form {
    /// Items that have fields, in outline order: the pages of the form.
    pub pages: Vec<String>,
    pub page: usize,
    pub editors: Vec<FieldEditor>,
    pub focus: usize,
    pub tree: Tree,
    /// At a parent: the children's answers to the focused field (F4).
    pub review: Option<Review>,
    /// The wheel moved the form: its scroll no longer follows the focus.
    pub manual_scroll: bool,
    /// Counts the pages shown, so the view starts a page anew at its top.
    pub shown: u64,
    /// Where the text cursor was in each field left, by (item, field), so
    /// coming back to a field puts it there and not at the end.
    cursors: HashMap<(String, String), (usize, usize)>,
    /// The table row deleted last, which Ctrl+Z on its table brings back.
    pub deleted_row: Option<DeletedRow>,
}

/// A table row as it was before Delete took it.
#[derive(Debug, Clone, PartialEq)]
pub struct DeletedRow {
    pub item: String,
    pub field: String,
    pub index: usize,
    pub row: Map<String, Value>,
}

/// Vietnamese typing helps in text, never in numbers or dates (VNI uses
/// digits for its marks).
pub fn ime_for(settings: crate::settings::Settings, kind: Kind) -> Ime {
    if matches!(kind, Kind::Text) {
        Ime {
            method: settings.input_method,
            style: settings.tone_style,
        }
    } else {
        Ime::OFF
    }
}

/// The answers the form judges: own answers, and at a parent the
/// children's aggregate wherever there is no own figure.
pub fn effective(ws: &Workspace) -> Cow<'_, Answers> {
    if ws.children.is_empty() {
        Cow::Borrowed(&ws.report.answers)
    } else {
        Cow::Owned(ws.effective())
    }
}

/// The states of item `id`'s fields, judged on `answers`.
pub fn states_in(ws: &Workspace, answers: &Answers, id: &str) -> Vec<(String, FieldState)> {
    match ws.outline.item(id) {
        Some(item) => validate::item_states(item, answers.get(id)),
        None => Vec::new(),
    }
}

/// The tree's mark for each outline entry and the report's progress,
/// judged on `answers` in one pass (each frame checks every answer once).
pub fn marks(ws: &Workspace, answers: &Answers) -> (Vec<Mark>, crate::report::Progress) {
    let mut total = crate::report::Progress::default();
    let marks = ws
        .outline
        .entries()
        .iter()
        .map(|e| {
            let p = validate::item_progress(e.item, answers.get(&e.item.id));
            total.required += p.required;
            total.answered += p.answered;
            total.invalid += p.invalid;
            Mark::of(p, !e.item.fields.is_empty())
        })
        .collect();
    (marks, total)
}

pub fn placeholder(ed: &FieldEditor) -> String {
    if let Some(p) = &ed.field.placeholder {
        return p.clone();
    }
    match ed.field.kind {
        Kind::Integer => t!("ví dụ 1.250", "e.g. 1.250"),
        Kind::Money => t!("số đồng, ví dụ 15.000.000", "đồng, e.g. 15.000.000"),
        Kind::Decimal => t!("ví dụ 12,5", "e.g. 12,5"),
        Kind::Percent => t!("ví dụ 82,7", "e.g. 82,7"),
        Kind::Date => t!("ngày/tháng/năm", "dd/mm/yyyy"),
        _ if ed.field.multiline => t!("Nhập nội dung…", "Type here…"),
        _ => String::new(),
    }
}

/// The rows of a table field as saved.
pub fn table_rows(ws: &Workspace, item: &str, field: &Field) -> Vec<Map<String, Value>> {
    match ws.report.value(item, &field.id) {
        Some(Value::Array(rows)) => rows
            .iter()
            .map(|r| r.as_object().cloned().unwrap_or_default())
            .collect(),
        _ => Vec::new(),
    }
}

impl Form {
    /// Opens where work remains, with the cursor in the first empty field.
    pub fn new(ws: &Workspace) -> Form {
        let pages: Vec<String> = ws
            .outline
            .entries()
            .iter()
            .filter(|e| !e.item.fields.is_empty())
            .map(|e| e.item.id.clone())
            .collect();
        let mut form = Form {
            pages,
            page: 0,
            editors: Vec::new(),
            focus: 0,
            tree: Tree::default(),
            review: None,
            manual_scroll: false,
            shown: 0,
            cursors: HashMap::new(),
            deleted_row: None,
        };
        match form.find_unanswered(ws, 0, true) {
            Some((page, field)) => form.go(ws, page, Some(field)),
            None => form.go(ws, 0, None),
        }
        form
    }

    pub fn item_id(&self) -> &str {
        &self.pages[self.page]
    }

    pub fn tree_visible(&self, size: (u16, u16)) -> bool {
        size.0 >= TREE_MIN_WIDTH || self.tree.focused
    }

    /// The first (page, field) from `start` on whose required field is
    /// empty or whose field is invalid.
    fn find_unanswered(
        &self,
        ws: &Workspace,
        start: usize,
        include_start: bool,
    ) -> Option<(usize, usize)> {
        let n = self.pages.len();
        let first = if include_start { 0 } else { 1 };
        let answers = effective(ws);
        (first..=n).map(|k| (start + k) % n).find_map(|p| {
            let id = &self.pages[p];
            let item = ws.outline.item(id)?;
            let states = states_in(ws, &answers, id);
            item.fields
                .iter()
                .zip(states)
                .position(|(f, (_, s))| match s {
                    FieldState::Invalid(_) => true,
                    FieldState::Empty => f.required,
                    _ => false,
                })
                .map(|i| (p, i))
        })
    }

    /// Shows page `page`, focusing `field` or the first field to answer.
    /// A cell being edited must be committed first (see `change_page`).
    pub fn go(&mut self, ws: &Workspace, page: usize, field: Option<usize>) {
        self.remember_cursors();
        self.page = page.min(self.pages.len() - 1);
        let item = ws
            .outline
            .item(&self.pages[self.page])
            .expect("pages are items")
            .clone();
        let answers = ws.report.answers.get(&item.id).cloned().unwrap_or_default();
        self.editors = item
            .fields
            .iter()
            .map(|f| FieldEditor::for_unit(f, answers.get(&f.id), &ws.report.unit.unit_type))
            .collect();
        for ed in &mut self.editors {
            if let Widget::Text(tb) = &mut ed.widget
                && let Some(&at) = self.cursors.get(&(item.id.clone(), ed.field.id.clone()))
            {
                tb.set_cursor(at);
            }
        }
        let first_open = || {
            states_in(ws, &effective(ws), &item.id)
                .iter()
                .position(|(_, s)| matches!(s, FieldState::Empty | FieldState::Invalid(_)))
        };
        let wanted = field.or_else(first_open).unwrap_or(0);
        self.focus = self.focusable_from(wanted, true).unwrap_or(0);
        self.shown += 1;
        self.manual_scroll = false;
        if let Some(i) = ws
            .outline
            .entries()
            .iter()
            .position(|e| e.item.id == item.id)
        {
            self.tree.cursor = i;
        }
    }

    /// Keeps where the cursor is in each text field of the page shown.
    fn remember_cursors(&mut self) {
        let Some(item) = self.pages.get(self.page) else {
            return;
        };
        for ed in &self.editors {
            if let Widget::Text(tb) = &ed.widget {
                self.cursors
                    .insert((item.clone(), ed.field.id.clone()), tb.cursor());
            }
        }
    }

    /// Where the user is: the item, the focused field and the cursor in it
    /// (kept between runs, see `settings::places`).
    pub fn place(&self) -> Place {
        let ed = self.editors.get(self.focus);
        let cursor = match ed.map(|e| &e.widget) {
            Some(Widget::Text(tb)) => tb.cursor(),
            _ => (0, 0),
        };
        Place {
            item: self.item_id().to_string(),
            field: ed.map(|e| e.field.id.clone()).unwrap_or_default(),
            cursor,
        }
    }

    /// Opens where the user was, if that item and field still exist.
    pub fn go_to_place(&mut self, ws: &Workspace, place: &Place) -> bool {
        let Some(page) = self.pages.iter().position(|p| *p == place.item) else {
            return false;
        };
        let field = ws
            .outline
            .item(&place.item)
            .and_then(|i| i.fields.iter().position(|f| f.id == place.field));
        // The page shown keeps its cursors first, so that the place's
        // own wins even when it is on this very page.
        self.remember_cursors();
        self.editors.clear();
        self.cursors
            .insert((place.item.clone(), place.field.clone()), place.cursor);
        self.go(ws, page, field);
        true
    }

    fn focusable_from(&self, start: usize, forward: bool) -> Option<usize> {
        let n = self.editors.len();
        if forward {
            (start..n).find(|&i| self.editors[i].focusable())
        } else {
            (0..=start.min(n.saturating_sub(1)))
                .rev()
                .find(|&i| self.editors[i].focusable())
        }
    }

    /// Gives each text box the cursor and placeholder it is drawn with, so
    /// the view draws it in place (see `draw::draw_textbox`). The cursor
    /// shows when the form has the keyboard.
    pub fn set_looks(&mut self, in_front: bool, theme: &Theme) {
        let shows_focus = in_front && !self.tree.focused;
        let (dim, cursor) = (theme.dim(), theme.cursor());
        for (i, ed) in self.editors.iter_mut().enumerate() {
            let placeholder = placeholder(ed);
            if let Widget::Text(tb) = &mut ed.widget {
                let c = if shows_focus && i == self.focus {
                    cursor
                } else {
                    Default::default()
                };
                tb.set_looks(c, &placeholder, dim);
            }
        }
    }

    /// What PgDn on the outline's last item says: where to go next.
    fn last_item_note(&self, ws: &Workspace) -> String {
        if ws.progress().percent() < 100 {
            t!(
                "Đây là mục cuối của đề cương. {}: đến mục còn chưa trả lời.",
                "This is the outline's last item. {}: the next unanswered item.",
                keymap::key_of(Action::NextUnanswered)
            )
        } else {
            t!(
                "Đây là mục cuối của đề cương; đã trả lời đủ. {}: thông qua tập thể.",
                "This is the outline's last item; everything is answered. {}: approve.",
                keymap::key_of(Action::OpenApproval)
            )
        }
    }

    fn change_page(&mut self, cx: &mut Cx, page: usize, field: Option<usize>) -> Vec<Cmd> {
        self.commit_cell(cx);
        // "This is the last item" is said of the last item only.
        if cx.notice.is_some() && cx.notice.as_ref() == Some(&self.last_item_note(cx.ws)) {
            *cx.notice = None;
        }
        let page = page.min(self.pages.len() - 1);
        self.go(cx.ws, page, field);
        self.tree.focused = false;
        vec![Cmd::SaveIfDirty]
    }

    fn move_focus(&mut self, cx: &mut Cx, forward: bool) -> Vec<Cmd> {
        self.commit_cell(cx);
        self.refresh_editor(cx.ws, self.focus);
        let next = if forward {
            self.focusable_from(self.focus + 1, true)
        } else if self.focus == 0 {
            None
        } else {
            self.focusable_from(self.focus - 1, false)
        };
        // Tab stays in the item: past its last field it comes back to the
        // first (PgDn moves on), so a figure never lands in the next item.
        let wrapped = next.is_none();
        let next = next.or_else(|| {
            if forward {
                self.focusable_from(0, true)
            } else {
                self.focusable_from(self.editors.len().saturating_sub(1), false)
            }
        });
        let Some(i) = next else {
            return Vec::new();
        };
        self.focus = i;
        self.manual_scroll = false;
        if wrapped && self.editors.iter().filter(|e| e.focusable()).count() > 1 {
            *cx.notice = Some(if forward {
                t!(
                    "Về ô đầu của mục này. {}: sang mục sau.",
                    "Back to this item's first field. {}: next item.",
                    keymap::key_of(Action::NextItem)
                )
            } else {
                t!(
                    "Về ô cuối của mục này. {}: về mục trước.",
                    "Back to this item's last field. {}: previous item.",
                    keymap::key_of(Action::PrevItem)
                )
            });
        }
        vec![Cmd::SaveIfDirty]
    }

    /// Shows a valid number in its tidy form once the cursor leaves it.
    fn refresh_editor(&mut self, ws: &Workspace, i: usize) {
        let item = self.item_id().to_string();
        let Some(ed) = self.editors.get_mut(i) else {
            return;
        };
        let kind = ed.field.kind;
        if let Widget::Text(tb) = &mut ed.widget
            && (kind.is_numeric() || kind == Kind::Date)
        {
            let v = ws.report.value(&item, &ed.field.id);
            if matches!(v, Some(Value::Number(_))) || kind == Kind::Date {
                let shown = validate::to_input(kind, v);
                if shown != tb.text() {
                    tb.set_text(&shown);
                }
            }
        }
    }

    /// Goes to an outline entry; a heading leads to its first item with fields.
    fn jump_to_entry(&mut self, cx: &mut Cx, index: usize) -> Vec<Cmd> {
        let entries = cx.ws.outline.entries();
        let page = entries[index..]
            .iter()
            .find_map(|e| self.pages.iter().position(|p| *p == e.item.id))
            .unwrap_or(self.pages.len() - 1);
        self.change_page(cx, page, None)
    }

    /// Goes to a search hit: the item and field; a child's hit opens the
    /// review panel on that child.
    pub fn jump_to_hit(&mut self, cx: &mut Cx, hit: &crate::search::Hit) -> Vec<Cmd> {
        let Some(page) = self.pages.iter().position(|p| *p == hit.item) else {
            return Vec::new();
        };
        let field = cx
            .ws
            .outline
            .item(&hit.item)
            .and_then(|i| i.fields.iter().position(|f| f.id == hit.field));
        let cmds = self.change_page(cx, page, field);
        self.review = if hit.own {
            // The text cursor on the match, the form scrolled to it.
            match self.editors.get_mut(self.focus) {
                Some(FieldEditor {
                    widget: Widget::Text(tb),
                    ..
                }) => tb.set_cursor_char(hit.offset),
                // A table: the cell the match is in.
                Some(FieldEditor {
                    widget: Widget::Table(t),
                    field: f,
                }) => {
                    if let Some(row) = hit.row {
                        t.row = row;
                    }
                    if let Some(col) = hit
                        .column
                        .as_ref()
                        .and_then(|c| f.columns.iter().position(|x| x.id == *c))
                    {
                        t.col = col;
                    }
                }
                _ => {}
            }
            None
        } else {
            Review::for_hit(cx.ws, hit)
        };
        cmds
    }

    /// Whether `key` (bound to `action`, if any) would change the report
    /// here: typing into a field, a table's or a choice's edits, taking a
    /// child's text or the merged figure, importing.
    pub fn would_edit(&self, action: Option<Action>, key: &KeyEvent) -> bool {
        use Action as A;
        if self.tree.focused {
            return false;
        }
        let widget = self.editors.get(self.focus).map(|e| (&e.widget, &e.field));
        match action {
            Some(A::OpenImport | A::CopyChildText | A::UseAggregate | A::ConvertLegacy) => true,
            Some(A::Undo | A::Redo | A::DeleteWord) => true,
            Some(A::NextOption | A::PrevOption | A::ClearChoice) => true,
            Some(A::AddRow | A::DeleteRow | A::RestoreRow | A::EditCell | A::KeepCell) => true,
            Some(A::FieldEnter) => {
                matches!(widget, Some((Widget::Text(_), f)) if f.multiline)
            }
            Some(_) => false,
            None => {
                let typing = match key.code {
                    KeyCode::Char(_) => !key
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT),
                    KeyCode::Backspace | KeyCode::Delete => true,
                    _ => false,
                };
                typing && matches!(widget, Some((Widget::Text(_) | Widget::Table(_), _)))
            }
        }
    }

    /// Whether a paste would go into a field.
    pub fn takes_paste(&self) -> bool {
        !self.tree.focused
            && matches!(
                self.editors.get(self.focus).map(|e| &e.widget),
                Some(Widget::Text(_) | Widget::Table(TableBox { edit: Some(_), .. }))
            )
    }

    fn set_current(&mut self, cx: &mut Cx, value: Value) {
        let item = self.item_id().to_string();
        let field = self.editors[self.focus].field.id.clone();
        cx.ws.report.set_value(&item, &field, value);
        // A figure typed over a merged one is noted as set by hand (with
        // the merged figure it was set over); cleared, the note goes.
        if self.editors[self.focus].field.aggregate == crate::outline::Aggregate::Sum
            && !cx.ws.children.is_empty()
        {
            cx.ws.sync_overrides();
        }
        cx.edited();
    }

    fn set_rows(&mut self, cx: &mut Cx, field_index: usize, rows: Vec<Map<String, Value>>) {
        let item = self.item_id().to_string();
        let field = self.editors[field_index].field.id.clone();
        cx.ws.report.set_value(
            &item,
            &field,
            Value::Array(rows.into_iter().map(Value::Object).collect()),
        );
        cx.edited();
    }

    /// Stores the cell being edited, if any.
    pub fn commit_cell(&mut self, cx: &mut Cx) {
        let Some(ed) = self.editors.get_mut(self.focus) else {
            return;
        };
        let Widget::Table(tbl) = &mut ed.widget else {
            return;
        };
        let Some(edit) = tbl.edit.take() else { return };
        let field = ed.field.clone();
        let (row, col) = (tbl.row, tbl.col);
        let mut rows = table_rows(cx.ws, self.item_id(), &field);
        let Some(cells) = rows.get_mut(row) else {
            return;
        };
        let column = &field.columns[col];
        match validate::from_input(column.kind, &edit.text()) {
            Value::Null => cells.remove(&column.id),
            v => cells.insert(column.id.clone(), v),
        };
        self.set_rows(cx, self.focus, rows);
    }

    pub fn delete_row(&mut self, cx: &mut Cx, field: usize, row: usize) -> Vec<Cmd> {
        if field >= self.editors.len() {
            return Vec::new();
        }
        let f = self.editors[field].field.clone();
        let mut rows = table_rows(cx.ws, self.item_id(), &f);
        if row < rows.len() {
            let removed = rows.remove(row);
            self.set_rows(cx, field, rows);
            self.deleted_row = Some(DeletedRow {
                item: self.item_id().to_string(),
                field: f.id.clone(),
                index: row,
                row: removed,
            });
            *cx.notice = Some(t!(
                "Đã xóa dòng {}. {} để lấy lại.",
                "Row {} deleted. {} brings it back.",
                row + 1,
                keymap::key_of(Action::RestoreRow)
            ));
        }
        vec![Cmd::SaveIfDirty]
    }

    /// Ctrl+Z on a table: the row deleted last from it comes back where it
    /// was, and is selected.
    fn restore_row(&mut self, cx: &mut Cx) {
        let field = self.editors[self.focus].field.clone();
        let ours = self
            .deleted_row
            .as_ref()
            .is_some_and(|d| d.item == self.item_id() && d.field == field.id);
        if !ours {
            *cx.notice = Some(t!(
                "Không có dòng nào vừa xóa ở bảng này để lấy lại.",
                "No row deleted from this table to bring back."
            ));
            return;
        }
        let Some(deleted) = self.deleted_row.take() else {
            return;
        };
        let mut rows = table_rows(cx.ws, self.item_id(), &field);
        let at = deleted.index.min(rows.len());
        rows.insert(at, deleted.row);
        if let Widget::Table(tbl) = &mut self.editors[self.focus].widget {
            tbl.row = at;
        }
        self.set_rows(cx, self.focus, rows);
        *cx.notice = Some(t!("Đã lấy lại dòng {}.", "Row {} is back.", at + 1));
    }

    /// Puts pasted text into the focused field (or the cell being edited).
    pub fn insert_paste(&mut self, cx: &mut Cx, text: &str) {
        let Some(ed) = self.editors.get_mut(self.focus) else {
            return;
        };
        let kind = ed.field.kind;
        match &mut ed.widget {
            Widget::Text(tb) => {
                let changed = tb.paste(text);
                let v = validate::from_input(kind, &tb.text());
                if changed {
                    self.set_current(cx, v);
                }
            }
            Widget::Table(tbl) => {
                if let Some(edit) = &mut tbl.edit {
                    edit.paste(text);
                }
            }
            _ => {}
        }
    }

    /// Enter, ↑ and ↓ in a field: the text box first (a line break, a
    /// line up or down), otherwise the next or previous field.
    fn field_move(&mut self, cx: &mut Cx, action: Action, key: KeyEvent) -> Vec<Cmd> {
        let forward = action != Action::FieldUp;
        let Some(ed) = self.editors.get_mut(self.focus) else {
            return Vec::new();
        };
        let kind = ed.field.kind;
        match &mut ed.widget {
            Widget::Text(tb) => match tb.key_ime(key, ime_for(cx.settings, kind)) {
                Outcome::Changed => {
                    let v = validate::from_input(kind, &tb.text());
                    self.set_current(cx, v);
                    Vec::new()
                }
                Outcome::Used => Vec::new(),
                Outcome::Ignored => self.move_focus(cx, forward),
            },
            Widget::Choice => self.move_focus(cx, forward),
            // A cell being edited is one line: ↑ and ↓ do nothing there.
            Widget::Table(_) | Widget::Computed => Vec::new(),
        }
    }

    /// Undo, redo, delete a word: in the focused text box or cell.
    fn text_edit(&mut self, cx: &mut Cx, action: Action) {
        let Some(ed) = self.editors.get_mut(self.focus) else {
            return;
        };
        let kind = ed.field.kind;
        let edit = |tb: &mut TextBox| match action {
            Action::Undo => tb.undo(),
            Action::Redo => tb.redo(),
            _ => tb.delete_word(),
        };
        let changed = match &mut ed.widget {
            Widget::Text(tb) => (edit(tb) == Outcome::Changed).then(|| tb.text()),
            Widget::Table(TableBox {
                edit: Some(cell), ..
            }) => {
                edit(cell);
                None
            }
            _ => None,
        };
        if let Some(text) = changed {
            self.set_current(cx, validate::from_input(kind, &text));
        }
    }

    fn choice(&mut self, cx: &mut Cx, action: Action) {
        let Some(ed) = self.editors.get(self.focus) else {
            return;
        };
        let options = ed.field.options.clone();
        if options.is_empty() {
            return;
        }
        let current = cx
            .ws
            .report
            .value(self.item_id(), &ed.field.id)
            .and_then(Value::as_str)
            .and_then(|s| options.iter().position(|o| o == s));
        let next = match action {
            Action::NextOption => Some(current.map_or(0, |c| (c + 1) % options.len())),
            Action::PrevOption => Some(current.map_or(options.len() - 1, |c| {
                (c + options.len() - 1) % options.len()
            })),
            _ => None,
        };
        self.set_current(
            cx,
            next.map_or(Value::Null, |i| Value::String(options[i].clone())),
        );
    }

    /// The table's keys while no cell is being edited.
    fn table_act(&mut self, cx: &mut Cx, action: Action) -> Vec<Cmd> {
        let field = self.editors[self.focus].field.clone();
        let mut rows = table_rows(cx.ws, self.item_id(), &field);
        let cols = field.columns.len();
        let Widget::Table(tbl) = &mut self.editors[self.focus].widget else {
            return Vec::new();
        };
        tbl.clamp(rows.len(), cols);
        match action {
            Action::AddRow => {
                rows.push(Map::new());
                tbl.row = rows.len() - 1;
                tbl.col = 0;
                tbl.edit = Some(TextBox::new("", false));
                self.set_rows(cx, self.focus, rows);
            }
            Action::EditCell if rows.is_empty() => return self.table_act(cx, Action::AddRow),
            Action::EditCell => {
                let col = &field.columns[tbl.col];
                let text = rows[tbl.row]
                    .get(&col.id)
                    .map(|v| validate::to_input(col.kind, Some(v)))
                    .unwrap_or_default();
                tbl.edit = Some(TextBox::new(&text, false));
            }
            Action::Up if tbl.row > 0 => tbl.row -= 1,
            Action::Up => return self.move_focus(cx, false),
            Action::Down if tbl.row + 1 < rows.len() => tbl.row += 1,
            Action::Down => return self.move_focus(cx, true),
            Action::Left => tbl.col = tbl.col.saturating_sub(1),
            Action::Right => tbl.col = (tbl.col + 1).min(cols.saturating_sub(1)),
            Action::Home => tbl.col = 0,
            Action::End => tbl.col = cols.saturating_sub(1),
            Action::DeleteRow if !rows.is_empty() => {
                let row = tbl.row;
                let first = rows
                    .get(row)
                    .and_then(|r| {
                        field
                            .columns
                            .first()
                            .and_then(|c| r.get(&c.id).map(|v| validate::display(c.kind, v)))
                    })
                    .unwrap_or_default();
                return vec![Cmd::Open(Open::ConfirmDelete {
                    field: self.focus,
                    row,
                    first,
                })];
            }
            _ => {}
        }
        Vec::new()
    }

    /// Enter and Esc while a cell is being edited.
    fn cell_act(&mut self, cx: &mut Cx, action: Action) {
        let field = self.editors[self.focus].field.clone();
        let cols = field.columns.len();
        let Widget::Table(tbl) = &mut self.editors[self.focus].widget else {
            return;
        };
        if action == Action::CancelCell {
            tbl.edit = None;
            return;
        }
        let next_col = tbl.col + 1;
        self.commit_cell(cx);
        let rows = table_rows(cx.ws, self.item_id(), &field);
        if let Widget::Table(tbl) = &mut self.editors[self.focus].widget
            && next_col < cols
        {
            tbl.col = next_col;
            let text = rows
                .get(tbl.row)
                .and_then(|r| r.get(&field.columns[next_col].id))
                .map(|v| validate::to_input(field.columns[next_col].kind, Some(v)))
                .unwrap_or_default();
            tbl.edit = Some(TextBox::new(&text, false));
        }
    }

    /// F9: the focused text, typed in an old TCVN3 or VNI font, to Unicode.
    fn convert_field(&mut self, cx: &mut Cx) {
        let Some(FieldEditor {
            widget: Widget::Text(tb),
            field,
        }) = self.editors.get_mut(self.focus)
        else {
            return;
        };
        if field.kind != Kind::Text {
            return;
        }
        let text = tb.text();
        match legacy::detect(&text) {
            Some(enc) => {
                let converted = legacy::to_unicode(&text, enc);
                tb.set_text(&converted);
                self.set_current(cx, validate::from_input(Kind::Text, &converted));
                *cx.notice = Some(t!(
                    "Đã chuyển từ mã {} sang Unicode.",
                    "Converted from {} to Unicode.",
                    enc.label()
                ));
            }
            None => {
                *cx.notice = Some(t!(
                    "Ô này không có dấu hiệu mã TCVN3 hay VNI; không đổi gì.",
                    "This field shows no sign of TCVN3 or VNI text; nothing changed."
                ))
            }
        }
    }

    fn open_import(&mut self, cx: &mut Cx) -> Vec<Cmd> {
        self.commit_cell(cx);
        if cx
            .ws
            .outline
            .child_types(&cx.ws.report.unit.unit_type)
            .is_empty()
        {
            *cx.notice = Some(t!(
                "Theo kế hoạch, không đơn vị nào báo cáo lên đơn vị này, nên không có gói để nhận.",
                "In the plan no unit reports to this one, so there are no packages to import."
            ));
            return Vec::new();
        }
        vec![Cmd::SaveIfDirty, Cmd::Open(Open::Import)]
    }

    /// F4 at a parent: show the children's answers beside the form.
    fn toggle_review(&mut self, cx: &mut Cx) {
        if cx.ws.children.is_empty() {
            *cx.notice = Some(t!(
                "Chưa nhận gói nào của cấp dưới ({} để nhận).",
                "No package from below yet ({} imports).",
                keymap::key_of(Action::OpenImport)
            ));
            self.review = None;
        } else {
            self.review = match self.review {
                Some(_) => None,
                None => Some(Review::default()),
            };
        }
    }

    /// Ctrl+T: the selected child's text goes into the parent's own answer,
    /// with the unit's name, at the cursor.
    fn insert_child_text(&mut self, cx: &mut Cx) {
        let item = self.item_id().to_string();
        let Some(ed) = self.editors.get(self.focus) else {
            return;
        };
        let field = ed.field.id.clone();
        let Some(review) = &self.review else {
            return;
        };
        let Some(insert) = review.take(cx.ws, &item, &field) else {
            *cx.notice = Some(t!(
                "Đơn vị này không có nội dung cho ô này.",
                "This unit has nothing for this field."
            ));
            return;
        };
        if let Some(FieldEditor {
            widget: Widget::Text(tb),
            field: f,
        }) = self.editors.get_mut(self.focus)
            && f.kind == Kind::Text
        {
            tb.paste(&insert);
            let v = validate::from_input(Kind::Text, &tb.text());
            self.set_current(cx, v);
        }
    }

    /// Ctrl+R at a parent: drop the own figure and use the children's
    /// aggregate again.
    fn use_aggregate(&mut self, cx: &mut Cx) {
        let item = self.item_id().to_string();
        let Some(ed) = self.editors.get_mut(self.focus) else {
            return;
        };
        if !crate::merge::is_override(&cx.ws.outline, &cx.ws.report.answers, &item, &ed.field.id)
            || cx.ws.children.is_empty()
        {
            return;
        }
        if let Widget::Text(tb) = &mut ed.widget {
            tb.set_text("");
        }
        self.set_current(cx, Value::Null);
        *cx.notice = Some(t!(
            "Đã dùng lại số tổng hợp từ cấp dưới.",
            "Back to the figure merged from below."
        ));
    }

    fn next_unanswered(&mut self, cx: &mut Cx) -> Vec<Cmd> {
        match self
            .find_unanswered(cx.ws, self.page, false)
            .or_else(|| self.find_unanswered(cx.ws, self.page, true))
        {
            Some((p, f)) => self.change_page(cx, p, Some(f)),
            None => {
                *cx.notice = Some(t!(
                    "Đã trả lời hết các trường bắt buộc.",
                    "Every required field is answered."
                ));
                Vec::new()
            }
        }
    }

    /// Opens a screen over the form: the cell being edited is kept first,
    /// and what was typed is saved.
    fn open(&mut self, cx: &mut Cx, what: Open) -> Vec<Cmd> {
        self.commit_cell(cx);
        vec![Cmd::SaveIfDirty, Cmd::Open(what)]
    }
}

impl Component for Form {
    type Cx<'a> = Cx<'a>;
    type DrawCx<'a> = DrawCx<'a>;

    fn contexts(&self, cx: &DrawCx) -> Vec<Context> {
        let parent = cx.ws.report.is_parent(&cx.ws.outline);
        let mut v = Vec::new();
        if self.tree.focused {
            v.push(Context::Tree);
        } else {
            match self.editors.get(self.focus).map(|e| &e.widget) {
                Some(Widget::Text(_)) => v.push(Context::Text),
                Some(Widget::Choice) => v.push(Context::Choice),
                Some(Widget::Table(t)) if t.edit.is_some() => {
                    v.extend([Context::TableCell, Context::Text])
                }
                Some(Widget::Table(_)) => v.push(Context::Table),
                Some(Widget::Computed) | None => {}
            }
            if self.review.is_some() {
                v.push(Context::Review);
            }
            if parent {
                v.push(Context::FieldParent);
            }
            v.push(Context::Field);
        }
        if parent {
            v.push(Context::FormParent);
        }
        v.push(Context::Form);
        v
    }

    fn act(&mut self, action: Action, key: KeyEvent, cx: &mut Cx) -> Reply {
        use Action as A;
        if self.tree.focused {
            let reply = self.tree.act(action, key, cx);
            if reply.consumed {
                let mut cmds = Vec::new();
                for cmd in reply.cmds {
                    match cmd {
                        Cmd::Entry(i) => cmds.extend(self.jump_to_entry(cx, i)),
                        other => cmds.push(other),
                    }
                }
                return Reply::with(cmds);
            }
        }
        let at = self
            .editors
            .get(self.focus)
            .map(|e| (self.item_id().to_string(), e.field.id.clone()));
        if let Some(review) = &mut self.review {
            review.focus_on(at);
            let reply = review.act(action, key, cx);
            if reply.consumed {
                return reply;
            }
        }
        let cmds = match action {
            A::NextItem if self.page + 1 >= self.pages.len() => {
                // The end of the outline: say so, and where to go next.
                *cx.notice = Some(self.last_item_note(cx.ws));
                Vec::new()
            }
            A::NextItem => self.change_page(cx, self.page + 1, None),
            A::PrevItem => self.change_page(cx, self.page.saturating_sub(1), None),
            A::NextUnanswered => self.next_unanswered(cx),
            A::ToggleTree => {
                self.tree.focused = !self.tree.focused;
                Vec::new()
            }
            A::OpenExport => self.open(cx, Open::Export),
            A::OpenPreview => self.open(cx, Open::Preview),
            A::OpenApproval => self.open(cx, Open::Approval),
            A::OpenPrint => self.open(cx, Open::Print),
            A::OpenBackups => self.open(cx, Open::Backups),
            A::OpenSubmissions => self.open(cx, Open::Submissions),
            A::OpenSearch => {
                self.commit_cell(cx);
                vec![Cmd::Open(Open::Search)]
            }
            A::OpenImport => self.open_import(cx),
            A::ToggleReview => {
                self.toggle_review(cx);
                Vec::new()
            }
            A::CopyChildText => {
                self.insert_child_text(cx);
                Vec::new()
            }
            A::UseAggregate => {
                self.use_aggregate(cx);
                Vec::new()
            }
            A::ConvertLegacy => {
                self.convert_field(cx);
                Vec::new()
            }
            A::NextField => self.move_focus(cx, true),
            A::PrevField => self.move_focus(cx, false),
            A::FieldEnter | A::FieldUp | A::FieldDown => self.field_move(cx, action, key),
            A::ClearNotice => {
                *cx.notice = None;
                Vec::new()
            }
            A::Undo | A::Redo | A::DeleteWord => {
                self.text_edit(cx, action);
                Vec::new()
            }
            A::NextOption | A::PrevOption | A::ClearChoice => {
                self.choice(cx, action);
                Vec::new()
            }
            A::Up
            | A::Down
            | A::Left
            | A::Right
            | A::Home
            | A::End
            | A::EditCell
            | A::AddRow
            | A::DeleteRow => self.table_act(cx, action),
            A::RestoreRow => {
                self.restore_row(cx);
                vec![Cmd::SaveIfDirty]
            }
            A::KeepCell | A::CancelCell => {
                self.cell_act(cx, action);
                Vec::new()
            }
            _ => return Reply::ignored(),
        };
        Reply::with(cmds)
    }

    /// Typing: into the focused text box, or a table cell (typing on a
    /// cell starts replacing it, as in a spreadsheet).
    fn key(&mut self, key: KeyEvent, cx: &mut Cx) -> Reply {
        if self.tree.focused {
            return Reply::ignored();
        }
        let Some(ed) = self.editors.get_mut(self.focus) else {
            return Reply::ignored();
        };
        if let Widget::Text(tb) = &mut ed.widget {
            let kind = ed.field.kind;
            if tb.key_ime(key, ime_for(cx.settings, kind)) == Outcome::Changed {
                let v = validate::from_input(kind, &tb.text());
                self.set_current(cx, v);
            }
            return Reply::done();
        }
        let field = ed.field.clone();
        let rows = table_rows(cx.ws, self.item_id(), &field);
        match &mut self.editors[self.focus].widget {
            Widget::Text(_) => Reply::done(),
            Widget::Table(tbl) => {
                tbl.clamp(rows.len(), field.columns.len());
                if let Some(edit) = &mut tbl.edit {
                    let kind = field.columns[tbl.col].kind;
                    edit.key_ime(key, ime_for(cx.settings, kind));
                    return Reply::done();
                }
                match key.code {
                    KeyCode::Char(c)
                        if !rows.is_empty()
                            && !key
                                .modifiers
                                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
                    {
                        let mut tb = TextBox::new("", false);
                        tb.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
                        tbl.edit = Some(tb);
                        Reply::done()
                    }
                    _ => Reply::ignored(),
                }
            }
            Widget::Choice | Widget::Computed => Reply::ignored(),
        }
    }

    fn paste(&mut self, text: &str, cx: &mut Cx) -> Reply {
        if self.tree.focused {
            return Reply::ignored();
        }
        if let Some(encoding) = legacy::detect(text) {
            return Reply::cmd(Cmd::Open(Open::LegacyPaste {
                text: text.to_string(),
                encoding,
            }));
        }
        self.insert_paste(cx, text);
        Reply::done()
    }

    fn mouse(&mut self, m: MouseEvent, cx: &mut Cx) -> Reply {
        let hit = cx
            .view
            .hits
            .iter()
            .rev()
            .find(|(r, _)| r.contains((m.column, m.row).into()))
            .map(|(_, h)| *h);
        let cmds = match m.kind {
            MouseEventKind::Down(MouseButton::Left) => match hit {
                Some(Hit::Tree(i)) => {
                    self.tree.cursor = i;
                    self.jump_to_entry(cx, i)
                }
                Some(Hit::Field(i))
                    if i < self.editors.len() && self.editors[i].focusable() && i != self.focus =>
                {
                    self.commit_cell(cx);
                    self.refresh_editor(cx.ws, self.focus);
                    self.focus = i;
                    Vec::new()
                }
                _ => Vec::new(),
            },
            MouseEventKind::ScrollDown => {
                cx.view.form_scroll = cx.view.form_scroll.saturating_add(3);
                self.manual_scroll = true;
                Vec::new()
            }
            MouseEventKind::ScrollUp => {
                cx.view.form_scroll = cx.view.form_scroll.saturating_sub(3);
                self.manual_scroll = true;
                Vec::new()
            }
            _ => return Reply::ignored(),
        };
        Reply::with(cmds)
    }

    fn draw(&self, f: &mut Frame, middle: Rect, cx: &DrawCx, view: &mut ViewState) {
        // At a parent with the review panel open, the children's answers
        // take the lower part of the form's column.
        let split = |r: Rect| -> (Rect, Option<Rect>) {
            if self.review.is_none() || r.height < 16 {
                return (r, None);
            }
            let [top, bottom] =
                Layout::vertical([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(r);
            (top, Some(bottom))
        };
        // The answers the tree and the form judge, worked out once a frame.
        let answers = effective(cx.ws);
        let tree_view = TreeView {
            cx,
            current: self.item_id(),
            answers: &answers,
        };
        let review = |f: &mut Frame, area: Rect, view: &mut ViewState| {
            if let (Some(r), Some(ed)) = (&self.review, self.editors.get(self.focus)) {
                let rv = ReviewView {
                    cx,
                    item: self.item_id(),
                    field: &ed.field,
                };
                r.draw(f, area, &rv, view);
            }
        };
        if cx.size.0 >= TREE_MIN_WIDTH {
            let tree_w = (middle.width / 3).clamp(28, 40);
            let [left, right] =
                Layout::horizontal([Constraint::Length(tree_w), Constraint::Min(1)]).areas(middle);
            self.tree.draw(f, left, &tree_view, view);
            let (form_area, panel) = split(right);
            fields::draw(f, self, cx, &answers, form_area, view);
            if let Some(p) = panel {
                review(f, p, view);
            }
        } else {
            let (form_area, panel) = split(middle);
            fields::draw(f, self, cx, &answers, form_area, view);
            if let Some(p) = panel {
                review(f, p, view);
            }
            if self.tree.focused {
                let w = middle.width.min(48).max(middle.width * 2 / 3);
                let left = Rect { width: w, ..middle };
                f.render_widget(Clear, left);
                self.tree.draw(f, left, &tree_view, view);
            }
        }
    }
}
