//! The form screen's state and the update function that turns events into
//! changes. Nothing here touches the terminal: tests drive it with
//! synthetic keys and read the effects it asks for.

use super::screens::export::{ExportScreen, Outcome as ExportOutcome};
use super::screens::import::{ImportScreen, Outcome as ImportOutcome};
use super::screens::preview::Preview;
use super::screens::submissions;
use super::theme::Theme;
use super::widgets::table::TableBox;
use super::widgets::textbox::{Ime, Outcome, TextBox};
use crate::outline::{Field, Kind};
use crate::report::Answers;
use crate::settings::Settings;
use crate::t;
use crate::validate::{self, FieldState, Mark};
use crate::vi::ime::Method;
use crate::vi::legacy::{self, Legacy};
use crate::workspace::Workspace;
use chrono::{DateTime, Local};
use ratatui::crossterm::event::{
    Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers, MouseButton, MouseEventKind,
};
use ratatui::layout::Rect;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Save this long after the last keystroke.
pub const AUTOSAVE_AFTER: Duration = Duration::from_millis(1500);
/// Try a failed save again after this long.
pub const RETRY_AFTER: Duration = Duration::from_secs(3);
/// Below this width the outline tree folds away.
pub const TREE_MIN_WIDTH: u16 = 100;

/// What the app asks the event loop to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Save,
    Quit,
    /// The input method changed: remember it for the user.
    SaveSettings,
}

/// Everything that can happen to the app.
#[derive(Debug, Clone)]
pub enum Input {
    Term(Event),
    Tick(Instant),
    /// A save finished: Ok with the time, or the reason it failed.
    Saved(Result<DateTime<Local>, String>),
}

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
    pub fn focusable(&self) -> bool {
        !matches!(self.widget, Widget::Computed)
    }
}

/// The screen in front: the form, or one of the parent unit's screens.
pub enum Screen {
    Form,
    Import(Box<ImportScreen>),
    Export(Box<ExportScreen>),
    Submissions { cursor: usize },
    Preview(Box<Preview>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    /// The list of keys, scrolled to this line (small windows).
    Help(u16),
    ConfirmDelete {
        field: usize,
        row: usize,
    },
}

/// Places on screen a click can reach, recorded while drawing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    Tree(usize),
    Field(usize),
    Form,
}

#[derive(Debug, Default)]
pub struct SaveState {
    pub dirty: bool,
    pub saving: bool,
    pub last_edit: Option<Instant>,
    pub saved_at: Option<DateTime<Local>>,
    pub error: Option<String>,
    pub retry_at: Option<Instant>,
}

pub struct App {
    /// The report, its outline, and at a parent the packages received.
    pub ws: Workspace,
    /// Items that have fields, in outline order: the pages of the form.
    pub pages: Vec<String>,
    pub page: usize,
    pub editors: Vec<FieldEditor>,
    pub focus: usize,
    pub overlay: Option<Overlay>,
    /// The outline tree has the keyboard (F3).
    pub tree_focus: bool,
    /// Index into `outline.entries()` of the tree's cursor.
    pub tree_cursor: usize,
    pub save: SaveState,
    pub size: (u16, u16),
    /// First row of the form shown; follows the focus unless the wheel moved it.
    pub scroll: Cell<u16>,
    pub manual_scroll: bool,
    pub notice: Option<String>,
    pub theme: Theme,
    pub hits: RefCell<Vec<(Rect, Hit)>>,
    /// Set once the user asked to quit.
    pub quitting: bool,
    pub screen: Screen,
    /// At a parent: the children's answers to the focused field are shown
    /// (F4), with this child selected.
    pub review: Option<usize>,
    /// The built-in input method and tone style (F2 cycles the method).
    pub settings: Settings,
    /// Ctrl+F: the search box and its hits.
    pub search: Option<SearchBox>,
    /// Pasted text that looks like TCVN3 or VNI, waiting for a yes or no.
    pub legacy_paste: Option<(String, Legacy)>,
}

pub struct SearchBox {
    pub query: TextBox,
    pub hits: Vec<crate::search::Hit>,
    pub cursor: usize,
}

/// A plugged-in USB stick, where Linux desktops mount them, to start the
/// import and export screens there; the user can type another folder.
fn usb_folder() -> Option<PathBuf> {
    let user = std::env::var("USER").unwrap_or_default();
    [
        format!("/media/{user}"),
        format!("/run/media/{user}"),
        "/media".to_string(),
    ]
    .iter()
    .filter_map(|base| std::fs::read_dir(base).ok())
    .flat_map(|rd| rd.flatten().map(|e| e.path()))
    .find(|p| p.is_dir())
}

/// Vietnamese typing helps in text, never in numbers or dates (VNI uses
/// digits for its marks).
fn ime_for(settings: Settings, kind: Kind) -> Ime {
    if matches!(kind, Kind::Text) {
        Ime {
            method: settings.input_method,
            style: settings.tone_style,
        }
    } else {
        Ime::OFF
    }
}

fn shortcut(key: &KeyEvent, c: char) -> bool {
    key.modifiers.contains(KeyModifiers::CONTROL)
        && matches!(key.code, KeyCode::Char(x) if x.eq_ignore_ascii_case(&c))
}

impl App {
    pub fn new(ws: Workspace, size: (u16, u16), theme: Theme) -> App {
        let pages: Vec<String> = ws
            .outline
            .entries()
            .iter()
            .filter(|e| !e.item.fields.is_empty())
            .map(|e| e.item.id.clone())
            .collect();
        let mut app = App {
            ws,
            pages,
            page: 0,
            editors: Vec::new(),
            focus: 0,
            overlay: None,
            tree_focus: false,
            tree_cursor: 0,
            save: SaveState::default(),
            size,
            scroll: Cell::new(0),
            manual_scroll: false,
            notice: None,
            theme,
            hits: RefCell::new(Vec::new()),
            quitting: false,
            screen: Screen::Form,
            review: None,
            settings: Settings {
                input_method: Method::Off,
                ..Settings::default()
            },
            search: None,
            legacy_paste: None,
        };
        // Open where work remains, with the cursor in the first empty field.
        match app.find_unanswered(0, true) {
            Some((page, field)) => app.go(page, Some(field)),
            None => app.go(0, None),
        }
        app
    }

    pub fn item_id(&self) -> &str {
        &self.pages[self.page]
    }

    /// The answers the form judges: own answers, and at a parent the
    /// children's aggregate wherever there is no own figure.
    pub fn effective(&self) -> Cow<'_, Answers> {
        if self.ws.children.is_empty() {
            Cow::Borrowed(&self.ws.report.answers)
        } else {
            Cow::Owned(self.ws.effective())
        }
    }

    pub fn states(&self) -> Vec<(String, FieldState)> {
        self.states_in(&self.effective(), self.item_id())
    }

    /// The states of item `id`'s fields, judged on `answers`.
    pub fn states_in(&self, answers: &Answers, id: &str) -> Vec<(String, FieldState)> {
        match self.ws.outline.item(id) {
            Some(item) => validate::item_states(item, answers.get(id)),
            None => Vec::new(),
        }
    }

    pub fn tree_visible(&self) -> bool {
        self.size.0 >= TREE_MIN_WIDTH || self.tree_focus
    }

    /// The first (page, field) from `start` on whose required field is
    /// empty or whose field is invalid.
    fn find_unanswered(&self, start: usize, include_start: bool) -> Option<(usize, usize)> {
        let n = self.pages.len();
        let first = if include_start { 0 } else { 1 };
        let answers = self.effective();
        (first..=n).map(|k| (start + k) % n).find_map(|p| {
            let id = &self.pages[p];
            let item = self.ws.outline.item(id)?;
            let states = self.states_in(&answers, id);
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
    pub fn go(&mut self, page: usize, field: Option<usize>) {
        self.commit_cell();
        self.page = page.min(self.pages.len() - 1);
        let item = self
            .ws
            .outline
            .item(&self.pages[self.page])
            .expect("pages are items")
            .clone();
        let answers = self
            .ws
            .report
            .answers
            .get(&item.id)
            .cloned()
            .unwrap_or_default();
        self.editors = item
            .fields
            .iter()
            .map(|f| FieldEditor::new(f, answers.get(&f.id)))
            .collect();
        let first_open = || {
            let states = self.states_in(&self.effective(), &item.id);
            states
                .iter()
                .position(|(_, s)| matches!(s, FieldState::Empty | FieldState::Invalid(_)))
        };
        let wanted = field.or_else(first_open).unwrap_or(0);
        self.focus = self.focusable_from(wanted, true).unwrap_or(0);
        self.scroll.set(0);
        self.manual_scroll = false;
        if let Some(i) = self
            .ws
            .outline
            .entries()
            .iter()
            .position(|e| e.item.id == item.id)
        {
            self.tree_cursor = i;
        }
        self.set_editor_looks();
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

    /// Handles one input and returns what the loop must do.
    pub fn update(&mut self, input: Input) -> Vec<Effect> {
        let effects = self.handle(input);
        self.set_editor_looks();
        effects
    }

    /// Gives each text box the cursor and placeholder it is drawn with, so
    /// the view draws it in place (see `view::draw_textbox`).
    fn set_editor_looks(&mut self) {
        let shows_focus = !self.tree_focus && self.overlay.is_none();
        let dim = self.theme.dim();
        let cursor = self.theme.cursor();
        for (i, ed) in self.editors.iter_mut().enumerate() {
            let placeholder = super::view::placeholder(ed);
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

    fn handle(&mut self, input: Input) -> Vec<Effect> {
        match input {
            Input::Tick(now) => self.tick(now),
            Input::Saved(result) => {
                self.save.saving = false;
                match result {
                    Ok(at) => {
                        self.save.saved_at = Some(at);
                        self.save.error = None;
                        self.save.retry_at = None;
                    }
                    Err(e) => {
                        self.save.error = Some(e);
                        self.save.dirty = true;
                        self.save.retry_at = Some(Instant::now() + RETRY_AFTER);
                    }
                }
                Vec::new()
            }
            Input::Term(Event::Key(key)) if key.kind != KeyEventKind::Release => self.key(key),
            Input::Term(Event::Paste(text)) => {
                self.paste(&text);
                Vec::new()
            }
            Input::Term(Event::Resize(w, h)) => {
                self.size = (w, h);
                Vec::new()
            }
            Input::Term(Event::Mouse(m)) => {
                self.mouse(m.kind, m.column, m.row);
                Vec::new()
            }
            Input::Term(_) => Vec::new(),
        }
    }

    fn tick(&mut self, now: Instant) -> Vec<Effect> {
        let s = &self.save;
        let waited = s
            .last_edit
            .is_none_or(|t| now.duration_since(t) >= AUTOSAVE_AFTER);
        let retry_ok = s.retry_at.is_none_or(|t| now >= t);
        if s.dirty && !s.saving && waited && retry_ok {
            self.request_save()
        } else {
            Vec::new()
        }
    }

    /// Marks a save as started; the loop writes the report.
    pub fn request_save(&mut self) -> Vec<Effect> {
        if self.save.saving {
            return Vec::new();
        }
        self.save.dirty = false;
        self.save.saving = true;
        vec![Effect::Save]
    }

    fn save_if_dirty(&mut self) -> Vec<Effect> {
        if self.save.dirty {
            self.request_save()
        } else {
            Vec::new()
        }
    }

    fn edited(&mut self) {
        self.save.dirty = true;
        self.save.last_edit = Some(Instant::now());
        self.ws.report.updated_at = Local::now();
        self.notice = None;
    }

    fn key(&mut self, key: KeyEvent) -> Vec<Effect> {
        // Dialogs first: they own the keyboard while open.
        match self.overlay.clone() {
            Some(Overlay::Help(top)) => {
                self.overlay = match key.code {
                    KeyCode::Esc | KeyCode::F(1) | KeyCode::Enter | KeyCode::Char('q') => None,
                    KeyCode::Down | KeyCode::PageDown => Some(Overlay::Help(top.saturating_add(3))),
                    KeyCode::Up | KeyCode::PageUp => Some(Overlay::Help(top.saturating_sub(3))),
                    _ => Some(Overlay::Help(top)),
                };
                return Vec::new();
            }
            Some(Overlay::ConfirmDelete { field, row }) => {
                match key.code {
                    KeyCode::Enter | KeyCode::Char('c' | 'C' | 'y' | 'Y') => {
                        self.overlay = None;
                        self.delete_row(field, row);
                        return self.save_if_dirty();
                    }
                    KeyCode::Esc | KeyCode::Char('k' | 'K' | 'n' | 'N') => self.overlay = None,
                    _ => {}
                }
                return Vec::new();
            }
            None => {}
        }
        if let Some((text, enc)) = self.legacy_paste.take() {
            match key.code {
                KeyCode::Enter | KeyCode::Char('c' | 'C' | 'y' | 'Y') => {
                    self.insert_paste(&legacy::to_unicode(&text, enc))
                }
                KeyCode::Esc | KeyCode::Char('k' | 'K' | 'n' | 'N') => self.insert_paste(&text),
                _ => self.legacy_paste = Some((text, enc)),
            }
            return Vec::new();
        }
        if self.search.is_some() {
            return self.search_key(key);
        }
        if shortcut(&key, 'q') || shortcut(&key, 'c') {
            return self.quit();
        }
        if key.code == KeyCode::F(2) {
            self.settings.input_method = self.settings.input_method.next();
            self.notice = Some(t!(
                "Kiểu gõ: {}",
                "Input method: {}",
                self.settings.input_method.label()
            ));
            return vec![Effect::SaveSettings];
        }
        if shortcut(&key, 'f') {
            self.commit_cell();
            self.search = Some(SearchBox {
                query: TextBox::new("", false),
                hits: Vec::new(),
                cursor: 0,
            });
            return Vec::new();
        }
        if shortcut(&key, 's') {
            self.commit_cell();
            self.save.dirty = true;
            return self.request_save();
        }
        match key.code {
            KeyCode::F(1) => {
                self.overlay = Some(Overlay::Help(0));
                return Vec::new();
            }
            KeyCode::F(6) => return self.open_import(),
            KeyCode::F(8) if matches!(self.screen, Screen::Form) => {
                self.commit_cell();
                self.screen = Screen::Preview(Box::new(Preview::new(&self.ws)));
                return self.save_if_dirty();
            }
            KeyCode::F(5) => {
                self.commit_cell();
                let here = self.ws.path.parent().filter(|d| !d.as_os_str().is_empty());
                let dir = usb_folder()
                    .or(here.map(Path::to_path_buf))
                    .unwrap_or_else(|| PathBuf::from("."));
                self.screen =
                    Screen::Export(Box::new(ExportScreen::new(&dir.display().to_string())));
                return self.save_if_dirty();
            }
            KeyCode::F(7) => {
                self.commit_cell();
                self.screen = Screen::Submissions { cursor: 0 };
                return self.save_if_dirty();
            }
            _ => {}
        }
        match &mut self.screen {
            Screen::Form => {}
            Screen::Import(screen) => {
                return match screen.key(key, &mut self.ws) {
                    ImportOutcome::Stay => Vec::new(),
                    ImportOutcome::Imported => {
                        self.edited();
                        self.request_save()
                    }
                    ImportOutcome::Close => {
                        self.screen = Screen::Form;
                        self.go(self.page, Some(self.focus));
                        Vec::new()
                    }
                };
            }
            Screen::Export(screen) => {
                return match screen.key(key, &mut self.ws) {
                    ExportOutcome::Stay => Vec::new(),
                    ExportOutcome::Exported => {
                        self.edited();
                        self.request_save()
                    }
                    ExportOutcome::Close => {
                        self.screen = Screen::Form;
                        Vec::new()
                    }
                };
            }
            Screen::Preview(p) => {
                if !p.key(key) {
                    self.screen = Screen::Form;
                }
                return Vec::new();
            }
            Screen::Submissions { cursor } => {
                let n = submissions::len(&self.ws);
                match key.code {
                    KeyCode::Up => *cursor = cursor.saturating_sub(1),
                    KeyCode::Down => *cursor = (*cursor + 1).min(n.saturating_sub(1)),
                    KeyCode::Esc | KeyCode::Enter => self.screen = Screen::Form,
                    _ => {}
                }
                return Vec::new();
            }
        }
        match key.code {
            KeyCode::F(4) => {
                self.toggle_review();
                return Vec::new();
            }
            KeyCode::Up | KeyCode::Down
                if self.review.is_some() && key.modifiers.contains(KeyModifiers::ALT) =>
            {
                let n = self.ws.children.len();
                let sel = self.review.unwrap_or(0);
                self.review = Some(if key.code == KeyCode::Up {
                    sel.saturating_sub(1)
                } else {
                    (sel + 1).min(n.saturating_sub(1))
                });
                return Vec::new();
            }
            KeyCode::F(3) => {
                self.tree_focus = !self.tree_focus;
                return Vec::new();
            }
            KeyCode::PageDown => return self.change_page(self.page + 1, None),
            KeyCode::PageUp => return self.change_page(self.page.saturating_sub(1), None),
            _ => {}
        }
        if shortcut(&key, 'g') {
            return match self
                .find_unanswered(self.page, false)
                .or_else(|| self.find_unanswered(self.page, true))
            {
                Some((p, f)) => self.change_page(p, Some(f)),
                None => {
                    self.notice = Some(t!(
                        "Đã trả lời hết các trường bắt buộc.",
                        "Every required field is answered."
                    ));
                    Vec::new()
                }
            };
        }
        if self.tree_focus {
            return self.tree_key(key);
        }
        if shortcut(&key, 't') && self.review.is_some() {
            self.insert_child_text();
            return Vec::new();
        }
        if shortcut(&key, 'r') {
            self.use_aggregate();
            return Vec::new();
        }
        if key.code == KeyCode::F(9) {
            self.convert_field();
            return Vec::new();
        }
        match key.code {
            KeyCode::Tab => return self.move_focus(true),
            KeyCode::BackTab => return self.move_focus(false),
            _ => {}
        }
        self.field_key(key)
    }

    /// Keys while the search box is open: typing searches as you type,
    /// arrows pick a hit, Enter goes there, Esc closes.
    fn search_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(s) = &mut self.search else {
            return Vec::new();
        };
        match key.code {
            KeyCode::Esc => self.search = None,
            KeyCode::Up => s.cursor = s.cursor.saturating_sub(1),
            KeyCode::Down => s.cursor = (s.cursor + 1).min(s.hits.len().saturating_sub(1)),
            KeyCode::Enter => {
                if let Some(hit) = s.hits.get(s.cursor).cloned() {
                    self.search = None;
                    return self.jump_to_hit(&hit);
                }
            }
            _ => {
                if s.query.key_ime(key, ime_for(self.settings, Kind::Text)) == Outcome::Changed {
                    s.hits = crate::search::search(&self.ws, &s.query.text());
                    s.cursor = 0;
                }
            }
        }
        Vec::new()
    }

    /// Goes to a hit: the item and field; a child's hit opens the review
    /// panel on that child.
    fn jump_to_hit(&mut self, hit: &crate::search::Hit) -> Vec<Effect> {
        let Some(page) = self.pages.iter().position(|p| *p == hit.item) else {
            return Vec::new();
        };
        let field = self
            .ws
            .outline
            .item(&hit.item)
            .and_then(|i| i.fields.iter().position(|f| f.id == hit.field));
        let effects = self.change_page(page, field);
        self.review = if hit.own {
            None
        } else {
            self.review_children()
                .iter()
                .position(|c| c.package.unit.code == hit.unit_code)
        };
        effects
    }

    /// F9: the focused text, typed in an old TCVN3 or VNI font, to Unicode.
    fn convert_field(&mut self) {
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
                self.set_current(validate::from_input(Kind::Text, &converted));
                self.notice = Some(t!(
                    "Đã chuyển từ mã {} sang Unicode.",
                    "Converted from {} to Unicode.",
                    enc.label()
                ));
            }
            None => {
                self.notice = Some(t!(
                    "Ô này không có dấu hiệu mã TCVN3 hay VNI; không đổi gì.",
                    "This field shows no sign of TCVN3 or VNI text; nothing changed."
                ))
            }
        }
    }

    fn open_import(&mut self) -> Vec<Effect> {
        self.commit_cell();
        if self
            .ws
            .outline
            .child_types(&self.ws.report.unit.unit_type)
            .is_empty()
        {
            self.notice = Some(t!(
                "Theo kế hoạch, không đơn vị nào báo cáo lên đơn vị này, nên không có gói để nhận.",
                "In the plan no unit reports to this one, so there are no packages to import."
            ));
            return Vec::new();
        }
        let dir = usb_folder()
            .or_else(|| std::env::current_dir().ok())
            .unwrap_or_default();
        self.screen = Screen::Import(Box::new(ImportScreen::new(
            &dir.display().to_string(),
            &self.ws,
        )));
        self.save_if_dirty()
    }

    /// F4 at a parent: show the children's answers beside the form.
    fn toggle_review(&mut self) {
        if self.ws.children.is_empty() {
            self.notice = Some(t!(
                "Chưa nhận gói nào của cấp dưới (F6 để nhận).",
                "No package from below yet (F6 imports)."
            ));
            self.review = None;
        } else {
            self.review = if self.review.is_some() { None } else { Some(0) };
        }
    }

    /// The child whose answers the review panel has selected, in the
    /// panel's order (Vietnamese order of names).
    pub fn review_children(&self) -> Vec<&crate::workspace::Child> {
        let mut list: Vec<&crate::workspace::Child> = self.ws.children.iter().collect();
        list.sort_by(|a, b| crate::vi::fold::cmp_vi(&a.package.unit.name, &b.package.unit.name));
        list
    }

    /// Ctrl+T: the selected child's text goes into the parent's own answer,
    /// with the unit's name, at the cursor.
    fn insert_child_text(&mut self) {
        let Some(sel) = self.review else { return };
        let item = self.item_id().to_string();
        let Some(ed) = self.editors.get(self.focus) else {
            return;
        };
        let field = ed.field.id.clone();
        let children = self.review_children();
        let Some(child) = children.get(sel) else {
            return;
        };
        let Some(text) = child
            .package
            .answers
            .get(&item)
            .and_then(|m| m.get(&field))
            .and_then(Value::as_str)
        else {
            self.notice = Some(t!(
                "Đơn vị này không có nội dung cho ô này.",
                "This unit has nothing for this field."
            ));
            return;
        };
        let insert = format!("{}: {}\n", child.package.unit.name, text.trim());
        if let Some(FieldEditor {
            widget: Widget::Text(tb),
            field: f,
        }) = self.editors.get_mut(self.focus)
            && f.kind == Kind::Text
        {
            tb.paste(&insert);
            let v = validate::from_input(Kind::Text, &tb.text());
            self.set_current(v);
        }
    }

    /// Ctrl+R at a parent: drop the own figure and use the children's
    /// aggregate again.
    fn use_aggregate(&mut self) {
        let item = self.item_id().to_string();
        let Some(ed) = self.editors.get_mut(self.focus) else {
            return;
        };
        if !crate::merge::is_override(
            &self.ws.outline,
            &self.ws.report.answers,
            &item,
            &ed.field.id,
        ) || self.ws.children.is_empty()
        {
            return;
        }
        if let Widget::Text(tb) = &mut ed.widget {
            tb.set_text("");
        }
        self.set_current(Value::Null);
        self.notice = Some(t!(
            "Đã dùng lại số tổng hợp từ cấp dưới.",
            "Back to the figure merged from below."
        ));
    }

    /// Ctrl+Q: the loop saves for the last time, then leaves. It never
    /// asks to discard.
    pub fn quit(&mut self) -> Vec<Effect> {
        self.commit_cell();
        self.quitting = true;
        vec![Effect::Quit]
    }

    fn change_page(&mut self, page: usize, field: Option<usize>) -> Vec<Effect> {
        let page = page.min(self.pages.len() - 1);
        self.go(page, field);
        self.tree_focus = false;
        self.save_if_dirty()
    }

    fn move_focus(&mut self, forward: bool) -> Vec<Effect> {
        self.commit_cell();
        self.refresh_editor(self.focus);
        let next = if forward {
            self.focusable_from(self.focus + 1, true)
        } else if self.focus == 0 {
            None
        } else {
            self.focusable_from(self.focus - 1, false)
        };
        match next {
            Some(i) => {
                self.focus = i;
                self.manual_scroll = false;
                self.save_if_dirty()
            }
            // Past the last field: the next item; before the first: the previous one.
            None if forward && self.page + 1 < self.pages.len() => {
                self.change_page(self.page + 1, Some(0))
            }
            None if !forward && self.page > 0 => {
                let effects = self.change_page(self.page - 1, None);
                self.focus = self
                    .focusable_from(self.editors.len().saturating_sub(1), false)
                    .unwrap_or(0);
                effects
            }
            None => Vec::new(),
        }
    }

    /// Shows a valid number in its tidy form once the cursor leaves it.
    fn refresh_editor(&mut self, i: usize) {
        let item = self.item_id().to_string();
        let Some(ed) = self.editors.get_mut(i) else {
            return;
        };
        let kind = ed.field.kind;
        if let Widget::Text(tb) = &mut ed.widget
            && (kind.is_numeric() || kind == Kind::Date)
        {
            let v = self.ws.report.value(&item, &ed.field.id);
            if matches!(v, Some(Value::Number(_))) || kind == Kind::Date {
                let shown = validate::to_input(kind, v);
                if shown != tb.text() {
                    tb.set_text(&shown);
                }
            }
        }
    }

    fn tree_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let n = self.ws.outline.entries().len();
        match key.code {
            KeyCode::Up => self.tree_cursor = self.tree_cursor.saturating_sub(1),
            KeyCode::Down => self.tree_cursor = (self.tree_cursor + 1).min(n - 1),
            KeyCode::Home => self.tree_cursor = 0,
            KeyCode::End => self.tree_cursor = n - 1,
            KeyCode::Enter => return self.jump_to_entry(self.tree_cursor),
            KeyCode::Esc => self.tree_focus = false,
            _ => {}
        }
        Vec::new()
    }

    /// Goes to an outline entry; a heading leads to its first item with fields.
    fn jump_to_entry(&mut self, index: usize) -> Vec<Effect> {
        let entries = self.ws.outline.entries();
        let page = entries[index..]
            .iter()
            .find_map(|e| self.pages.iter().position(|p| *p == e.item.id))
            .unwrap_or(self.pages.len() - 1);
        self.change_page(page, None)
    }

    fn field_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let Some(ed) = self.editors.get_mut(self.focus) else {
            return Vec::new();
        };
        let kind = ed.field.kind;
        match &mut ed.widget {
            Widget::Text(tb) => match tb.key_ime(key, ime_for(self.settings, kind)) {
                Outcome::Changed => {
                    let text = tb.text();
                    self.set_current(validate::from_input(kind, &text));
                    Vec::new()
                }
                Outcome::Used => Vec::new(),
                Outcome::Ignored => match key.code {
                    KeyCode::Enter | KeyCode::Down => self.move_focus(true),
                    KeyCode::Up => self.move_focus(false),
                    KeyCode::Esc => {
                        self.notice = None;
                        Vec::new()
                    }
                    _ => Vec::new(),
                },
            },
            Widget::Choice => {
                let options = ed.field.options.clone();
                let field_id = ed.field.id.clone();
                let current = self
                    .ws
                    .report
                    .value(self.item_id(), &field_id)
                    .and_then(Value::as_str)
                    .and_then(|s| options.iter().position(|o| o == s));
                let next = match key.code {
                    KeyCode::Right | KeyCode::Char(' ') => {
                        Some(current.map_or(0, |c| (c + 1) % options.len()))
                    }
                    KeyCode::Left => Some(current.map_or(options.len() - 1, |c| {
                        (c + options.len() - 1) % options.len()
                    })),
                    KeyCode::Delete | KeyCode::Backspace => None,
                    KeyCode::Enter | KeyCode::Down => return self.move_focus(true),
                    KeyCode::Up => return self.move_focus(false),
                    _ => return Vec::new(),
                };
                self.set_current(next.map_or(Value::Null, |i| Value::String(options[i].clone())));
                Vec::new()
            }
            Widget::Table(_) => self.table_key(key),
            Widget::Computed => Vec::new(),
        }
    }

    fn set_current(&mut self, value: Value) {
        let item = self.item_id().to_string();
        let field = self.editors[self.focus].field.id.clone();
        self.ws.report.set_value(&item, &field, value);
        self.edited();
    }

    pub fn table_rows(&self, field: &Field) -> Vec<Map<String, Value>> {
        match self.ws.report.value(self.item_id(), &field.id) {
            Some(Value::Array(rows)) => rows
                .iter()
                .map(|r| r.as_object().cloned().unwrap_or_default())
                .collect(),
            _ => Vec::new(),
        }
    }

    fn set_rows(&mut self, field_index: usize, rows: Vec<Map<String, Value>>) {
        let item = self.item_id().to_string();
        let field = self.editors[field_index].field.id.clone();
        self.ws.report.set_value(
            &item,
            &field,
            Value::Array(rows.into_iter().map(Value::Object).collect()),
        );
        self.edited();
    }

    fn table_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let field = self.editors[self.focus].field.clone();
        let mut rows = self.table_rows(&field);
        let cols = field.columns.len();
        let Widget::Table(tbl) = &mut self.editors[self.focus].widget else {
            return Vec::new();
        };
        tbl.clamp(rows.len(), cols);
        if let Some(edit) = &mut tbl.edit {
            match key.code {
                KeyCode::Esc => tbl.edit = None,
                KeyCode::Enter => {
                    let next_col = tbl.col + 1;
                    self.commit_cell();
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
                _ => {
                    edit.key_ime(key, ime_for(self.settings, field.columns[tbl.col].kind));
                }
            }
            return Vec::new();
        }
        let add = shortcut(&key, 'n') || key.code == KeyCode::Insert;
        match key.code {
            _ if add || (key.code == KeyCode::Enter && rows.is_empty()) => {
                rows.push(Map::new());
                tbl.row = rows.len() - 1;
                tbl.col = 0;
                tbl.edit = Some(TextBox::new("", false));
                self.set_rows(self.focus, rows);
            }
            KeyCode::Up if tbl.row > 0 => tbl.row -= 1,
            KeyCode::Up => return self.move_focus(false),
            KeyCode::Down if tbl.row + 1 < rows.len() => tbl.row += 1,
            KeyCode::Down => return self.move_focus(true),
            KeyCode::Left => tbl.col = tbl.col.saturating_sub(1),
            KeyCode::Right => tbl.col = (tbl.col + 1).min(cols.saturating_sub(1)),
            KeyCode::Home => tbl.col = 0,
            KeyCode::End => tbl.col = cols.saturating_sub(1),
            KeyCode::Delete if !rows.is_empty() => {
                self.overlay = Some(Overlay::ConfirmDelete {
                    field: self.focus,
                    row: tbl.row,
                });
            }
            KeyCode::Enter | KeyCode::F(2) if !rows.is_empty() => {
                let col = &field.columns[tbl.col];
                let text = rows[tbl.row]
                    .get(&col.id)
                    .map(|v| validate::to_input(col.kind, Some(v)))
                    .unwrap_or_default();
                tbl.edit = Some(TextBox::new(&text, false));
            }
            KeyCode::Char(c)
                if !rows.is_empty()
                    && !key
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                // Typing on a cell starts replacing it, as in a spreadsheet.
                let mut tb = TextBox::new("", false);
                tb.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
                tbl.edit = Some(tb);
            }
            _ => {}
        }
        Vec::new()
    }

    /// Stores the cell being edited, if any.
    fn commit_cell(&mut self) {
        let Some(ed) = self.editors.get_mut(self.focus) else {
            return;
        };
        let Widget::Table(tbl) = &mut ed.widget else {
            return;
        };
        let Some(edit) = tbl.edit.take() else { return };
        let field = ed.field.clone();
        let (row, col) = (tbl.row, tbl.col);
        let mut rows = self.table_rows(&field);
        let Some(cells) = rows.get_mut(row) else {
            return;
        };
        let column = &field.columns[col];
        match validate::from_input(column.kind, &edit.text()) {
            Value::Null => cells.remove(&column.id),
            v => cells.insert(column.id.clone(), v),
        };
        self.set_rows(self.focus, rows);
    }

    fn delete_row(&mut self, field: usize, row: usize) {
        if field >= self.editors.len() {
            return;
        }
        let f = self.editors[field].field.clone();
        let mut rows = self.table_rows(&f);
        if row < rows.len() {
            rows.remove(row);
            self.set_rows(field, rows);
            self.notice = Some(t!("Đã xóa dòng {}.", "Row {} deleted.", row + 1));
        }
    }

    fn paste(&mut self, text: &str) {
        match &mut self.screen {
            Screen::Import(screen) => return screen.paste(text),
            Screen::Export(screen) => return screen.paste(text),
            _ => {}
        }
        if let Some(s) = &mut self.search {
            s.query.paste(text);
            s.hits = crate::search::search(&self.ws, &s.query.text());
            return;
        }
        if self.overlay.is_some() || self.tree_focus || !matches!(self.screen, Screen::Form) {
            return;
        }
        if let Some(enc) = legacy::detect(text) {
            self.legacy_paste = Some((text.to_string(), enc));
            return;
        }
        self.insert_paste(text);
    }

    /// Puts pasted text into the focused field (or the cell being edited).
    fn insert_paste(&mut self, text: &str) {
        let Some(ed) = self.editors.get_mut(self.focus) else {
            return;
        };
        let kind = ed.field.kind;
        match &mut ed.widget {
            Widget::Text(tb) => {
                let changed = tb.paste(text);
                let v = validate::from_input(kind, &tb.text());
                if changed {
                    self.set_current(v);
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

    fn mouse(&mut self, kind: MouseEventKind, x: u16, y: u16) {
        if let Screen::Preview(p) = &mut self.screen {
            match kind {
                MouseEventKind::ScrollDown => p.scroll(true),
                MouseEventKind::ScrollUp => p.scroll(false),
                _ => {}
            }
            return;
        }
        if !matches!(self.screen, Screen::Form) {
            return;
        }
        let hit = self
            .hits
            .borrow()
            .iter()
            .rev()
            .find(|(r, _)| r.contains((x, y).into()))
            .map(|(_, h)| *h);
        match kind {
            MouseEventKind::Down(MouseButton::Left) => match hit {
                Some(Hit::Tree(i)) => {
                    self.tree_cursor = i;
                    self.jump_to_entry(i);
                }
                Some(Hit::Field(i))
                    if i < self.editors.len() && self.editors[i].focusable() && i != self.focus =>
                {
                    self.commit_cell();
                    self.refresh_editor(self.focus);
                    self.focus = i;
                }
                _ => {}
            },
            MouseEventKind::ScrollDown => {
                self.scroll.set(self.scroll.get().saturating_add(3));
                self.manual_scroll = true;
            }
            MouseEventKind::ScrollUp => {
                self.scroll.set(self.scroll.get().saturating_sub(3));
                self.manual_scroll = true;
            }
            _ => {}
        }
    }

    /// The tree's mark for each outline entry, judged on `answers` (see
    /// [`App::effective`]).
    pub fn marks(&self, answers: &Answers) -> Vec<Mark> {
        self.ws
            .outline
            .entries()
            .iter()
            .map(|e| {
                Mark::of(
                    validate::item_progress(e.item, answers.get(&e.item.id)),
                    !e.item.fields.is_empty(),
                )
            })
            .collect()
    }

    pub fn save_label(&self) -> String {
        if let Some(e) = &self.save.error {
            return t!(
                "⚠ CHƯA LƯU ĐƯỢC: {e} — sẽ thử lại",
                "⚠ NOT SAVED: {e} — will retry"
            );
        }
        if self.save.dirty || self.save.saving {
            return t!("Đang sửa…", "Editing…");
        }
        match self.save.saved_at {
            Some(at) => t!("Đã lưu {}", "Saved {}", at.format("%H:%M:%S")),
            None => t!("Chưa sửa gì", "No changes"),
        }
    }
}
