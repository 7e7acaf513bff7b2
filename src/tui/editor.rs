//! `baocao outline edit FILE`: the outline editor. On the left the item
//! tree (with the plan as its first row), on the right the rows of what is
//! chosen: an item's title, intro, guidance and fields; a field's label,
//! kind, rules and roll-up; a table's columns; the plan and its unit
//! types. Check runs after every edit and its problems are marked where
//! they are; saving is refused while any remains (a draft can be saved
//! aside). F8 shows the form a commune will see for the item.
//!
//! Like the setup, it runs before (and without) a report: one terminal
//! event at a time through the keymap ([`OutlineEditor::update`]), drawn
//! with the form's text boxes, theme and, for the preview, the form's own
//! drawing. The operations themselves are [`crate::outline::edit`]'s.

use crate::i18n::{Lang, Localized, tr};
use crate::outline::edit::{self, History, ItemPath, Numbering};
use crate::outline::{
    Aggregate, Column, DeadlineKind, Field, Item, Kind, Layout as DocLayout, Outline, check,
};
use crate::report::{Report, Unit};
use crate::settings::Settings;
use crate::t;
use crate::tl;
use crate::tui::component::{DrawCx, ViewState};
use crate::tui::draw::{centered, draw_textbox, fit, too_small};
use crate::tui::keymap::{self, Action, Context};
use crate::tui::screens::fields;
use crate::tui::screens::form::{Form, effective};
use crate::tui::theme::Theme;
use crate::tui::widgets::textbox::{Ime, TextBox};
use crate::tui::widgets::wrap::wrap;
use crate::workspace::Workspace;
use ratatui::Frame;
use ratatui::crossterm::event::{Event, KeyEvent, KeyEventKind};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph, Wrap};
use serde_json::Value;
use std::path::{Path, PathBuf};
use unicode_width::UnicodeWidthStr;

/// Why the editor cannot open a file.
#[derive(Debug, thiserror::Error, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum EditorError {
    /// `--from-embedded` asked to start anew where a file is.
    Exists { path: PathBuf },
    /// The file is not an outline the editor can read.
    Unreadable { path: PathBuf, problem: String },
}

crate::coded!(EditorError => "editor");
crate::localized_display!(EditorError);

impl Localized for EditorError {
    fn localized(&self, lang: Lang) -> String {
        match self {
            EditorError::Exists { path } => tl!(
                lang,
                "Đã có tệp {}: --from-embedded chỉ dùng để bắt đầu một tệp mới. Hãy chọn tên tệp khác, hoặc bỏ --from-embedded để sửa tệp này.",
                "{} already exists: --from-embedded only starts a new file. Choose another file name, or leave out --from-embedded to edit this one.",
                path.display()
            ),
            EditorError::Unreadable { path, problem } => tl!(
                lang,
                "Không mở được {} để soạn: {problem}. Hãy sửa chỗ đó (hoặc chọn tệp khác) rồi mở lại.",
                "Could not open {} for editing: {problem}. Fix that (or choose another file) and open it again.",
                path.display()
            ),
        }
    }
}

/// What one event decided.
#[derive(Debug, PartialEq, Eq)]
pub enum EditorResult {
    Continue,
    Quit,
}

/// Where the keyboard is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Tree,
    Rows,
}

/// What the right side shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// The item chosen in the tree.
    Item,
    /// One of its fields.
    Field(usize),
    /// A column of one of its table fields.
    Column(usize, usize),
    /// The plan and the outline's own names.
    Plan,
    /// A unit type of the plan.
    Unit(usize),
}

/// What a row edits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowKey {
    Title,
    Intro,
    Optional,
    Bullet(usize),
    AddBullet,
    Field(usize),
    AddField,
    Label,
    Kind,
    Required,
    Min,
    Max,
    Aggregate,
    Placeholder,
    Options,
    Multiline,
    Of(usize),
    Column(usize),
    AddColumn,
    OutlineTitle,
    ShortTitle,
    IssuedWith,
    OutlineId,
    DocType,
    Subject,
    Layout,
    PlanNumber,
    PlanDate,
    PlanIssuer,
    PlanTitle,
    From,
    To,
    Receiver,
    Unit(usize),
    AddUnit,
    UnitName,
    UnitId,
    ReportsTo,
    Deadline,
    DeadlineKind,
    DeadlineNote,
    InTotals,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowKind {
    /// Typed in a text box; with Vietnamese typing or not.
    Text { vietnamese: bool },
    /// One of a few values, ← →.
    Choice,
    /// Enter opens it.
    Link,
    /// Enter adds one.
    Add,
}

struct Row {
    key: RowKey,
    label: String,
    value: String,
    kind: RowKind,
    /// The JSON path of what it edits: problems there mark it.
    path: String,
}

/// A question for a name before something is created.
pub struct Prompt {
    pub purpose: Creating,
    pub text: TextBox,
    error: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Creating {
    Sibling,
    Child,
    Field,
    Column(usize),
    Unit,
}

/// What a confirmed deletion removes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Deleting {
    Item(ItemPath),
    Bullet(usize),
    Field(usize),
    Column(usize, usize),
    Unit(usize),
}

/// The form a commune will see, made from the outline as it is now.
struct Preview {
    ws: Workspace,
    form: Form,
    unit_name: String,
    /// The blank report as the document prints it (the text rendering).
    document: Vec<String>,
    /// The document is shown rather than the form.
    showing_document: bool,
    /// Its first line shown.
    top: usize,
}

pub struct OutlineEditor {
    pub outline: Outline,
    pub path: PathBuf,
    pub history: History,
    /// Row of the tree: 0 is the plan, then the items in reading order.
    pub cursor: usize,
    pub focus: Focus,
    pub page: Page,
    /// The row in focus on the page.
    pub row: usize,
    /// The rows to come back to when a page opened from a row closes.
    back: Vec<usize>,
    /// The text box of the row in focus, when it is typed in.
    text: Option<(RowKey, TextBox)>,
    pub prompt: Option<Prompt>,
    pub confirm: Option<Deleting>,
    /// F1: the contexts under it, and how far it is scrolled.
    pub help: Option<(Vec<Context>, u16)>,
    preview: Option<Box<Preview>>,
    pub notice: Option<String>,
    pub settings: Settings,
    pub theme: Theme,
    /// The outline as last saved (or opened).
    saved: Outline,
    /// Whether the next save writes a new version (the file had one).
    bump: bool,
    /// The file holds `saved` (false for a new outline not yet saved).
    on_disk: bool,
    /// Ctrl+Q was pressed once with changes unsaved.
    quit_armed: bool,
    /// Every problem check finds now: (JSON path, what is wrong).
    pub problems: Vec<(String, String)>,
    result: Option<EditorResult>,
}

/// Where the draft of `path` is saved: "de-cuong.json" → "de-cuong.draft.json".
pub fn draft_path(path: &Path) -> PathBuf {
    path.with_extension("draft.json")
}

/// The outline to edit at `path`: the file's, or a new one (the 2014
/// outline with `from_embedded`); and whether the file was there.
pub fn open(path: &Path, from_embedded: bool) -> crate::error::Result<(Outline, bool)> {
    if path.exists() {
        if from_embedded {
            return Err(EditorError::Exists {
                path: path.to_path_buf(),
            }
            .into());
        }
        let unreadable = |problem: String| EditorError::Unreadable {
            path: path.to_path_buf(),
            problem,
        };
        let text = crate::file::read_to_string(path).map_err(|e| unreadable(e.to_string()))?;
        // Problems of meaning are for the editor to show and fix; only a
        // file whose shape cannot be read is refused.
        let outline =
            crate::outline::read_unchecked(&text).map_err(|p| unreadable(p.to_string()))?;
        return Ok((outline, true));
    }
    if from_embedded {
        return Ok((Outline::embedded().clone(), true));
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let year = chrono::Datelike::year(&chrono::Local::now());
    Ok((edit::blank(&edit::outline_id(&stem), year), false))
}

fn kind_label(k: Kind) -> &'static str {
    match k {
        Kind::Text => tr("văn bản", "text"),
        Kind::Integer => tr("số nguyên", "whole number"),
        Kind::Decimal => tr("số thập phân", "decimal"),
        Kind::Money => tr("số tiền", "money"),
        Kind::Percent => tr("phần trăm", "percent"),
        Kind::Date => tr("ngày", "date"),
        Kind::Choice => tr("chọn một", "choice"),
        Kind::Table => tr("bảng", "table"),
        Kind::Ratio => tr("tỷ lệ của hai trường", "ratio of two fields"),
    }
}

fn aggregate_label(a: Aggregate) -> &'static str {
    match a {
        Aggregate::Sum => tr("cộng dồn", "sum"),
        Aggregate::Ratio => tr("tính lại tỷ lệ", "ratio again"),
        Aggregate::Concat => tr("nối các dòng", "rows joined"),
        Aggregate::Collect => tr("gom lời văn", "texts collected"),
        Aggregate::None => tr("không tổng hợp", "none"),
    }
}

fn yes_no(b: bool) -> String {
    if b {
        tr("có", "yes")
    } else {
        tr("không", "no")
    }
    .to_string()
}

fn json_path(path: &[usize]) -> String {
    let mut s = "$".to_string();
    for i in path {
        s.push_str(&format!(".items[{i}]"));
    }
    s
}

/// A bound as typed: a number for numbers ("1,5" too), a date as written.
fn bound_value(text: &str, kind: Kind) -> Option<Value> {
    let t = text.trim();
    if t.is_empty() {
        return None;
    }
    if kind.is_numeric() {
        let n = t.replace(',', ".");
        if let Ok(num) = serde_json::from_str::<serde_json::Number>(&n) {
            return Some(Value::Number(num));
        }
    }
    Some(Value::String(t.to_string()))
}

fn bound_text(v: &Option<Value>) -> String {
    match v {
        None => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    }
}

fn some_text(s: &str) -> Option<String> {
    Some(s.to_string()).filter(|s| !s.trim().is_empty())
}

impl OutlineEditor {
    pub fn new(path: &Path, outline: Outline, existed: bool, theme: Theme) -> OutlineEditor {
        let mut e = OutlineEditor {
            saved: outline.clone(),
            outline,
            path: path.to_path_buf(),
            history: History::default(),
            cursor: 0,
            focus: Focus::Tree,
            page: Page::Plan,
            row: 0,
            back: Vec::new(),
            text: None,
            prompt: None,
            confirm: None,
            help: None,
            preview: None,
            notice: None,
            settings: Settings::default(),
            theme,
            bump: existed,
            on_disk: path.exists(),
            quit_armed: false,
            problems: Vec::new(),
            result: None,
        };
        e.recheck();
        e
    }

    pub fn dirty(&self) -> bool {
        !self.on_disk || self.outline != self.saved
    }

    fn recheck(&mut self) {
        let lang = crate::i18n::lang();
        self.problems = check::check(&self.outline)
            .into_iter()
            .map(|p| (p.path.clone(), p.kind.localized(lang)))
            .chain(
                crate::validate::bad_defaults(&self.outline)
                    .into_iter()
                    .map(|b| (b.path.clone(), b.localized(lang))),
            )
            .collect();
    }

    fn paths(&self) -> Vec<ItemPath> {
        edit::paths(&self.outline)
    }

    /// The item chosen in the tree (None on the plan's row).
    pub fn current(&self) -> Option<ItemPath> {
        self.cursor
            .checked_sub(1)
            .and_then(|i| self.paths().get(i).cloned())
    }

    /// The item chosen in the tree.
    pub fn item(&self) -> Option<&Item> {
        edit::item(&self.outline, &self.current()?)
    }

    fn select(&mut self, path: &[usize]) {
        if let Some(i) = self.paths().iter().position(|p| p == path) {
            self.cursor = i + 1;
        }
        self.show_page_of_cursor();
    }

    fn show_page_of_cursor(&mut self) {
        let last = self.paths().len();
        self.cursor = self.cursor.min(last);
        self.page = if self.cursor == 0 {
            Page::Plan
        } else {
            Page::Item
        };
        self.row = 0;
        self.back.clear();
        self.text = None;
        self.history.seal();
    }

    /// One terminal event, through the keymap.
    pub fn update(&mut self, event: &Event) -> EditorResult {
        match event {
            Event::Key(key) if key.kind != KeyEventKind::Release => {
                let contexts = self.contexts();
                match keymap::lookup(&contexts, key) {
                    Some(b) => self.act(b.action),
                    None => self.key(*key),
                }
            }
            Event::Paste(text) => self.paste(text),
            _ => {}
        }
        self.result.take().unwrap_or(EditorResult::Continue)
    }

    /// The keymap contexts in force, most specific first.
    pub fn contexts(&self) -> Vec<Context> {
        if self.help.is_some() {
            return vec![Context::Help];
        }
        if self.confirm.is_some() {
            return vec![Context::OutlineConfirm];
        }
        if self.prompt.is_some() {
            return vec![Context::OutlinePrompt];
        }
        if self.preview.is_some() {
            return vec![Context::OutlinePreview, Context::OutlineEditor];
        }
        match self.focus {
            Focus::Tree => vec![Context::OutlineTree, Context::OutlineEditor],
            Focus::Rows => match self.rows().get(self.row).map(|r| r.kind) {
                Some(RowKind::Choice) => vec![
                    Context::OutlineChoice,
                    Context::OutlineRows,
                    Context::OutlineEditor,
                ],
                _ => vec![Context::OutlineRows, Context::OutlineEditor],
            },
        }
    }

    /// The label of the row in focus (for tests and the user's bearings).
    pub fn row_label(&self) -> Option<String> {
        self.rows().get(self.row).map(|r| r.label.clone())
    }

    /// Whether the preview (F8) is open.
    pub fn previewing(&self) -> bool {
        self.preview.is_some()
    }

    pub fn action_for(&self, key: &KeyEvent) -> Option<Action> {
        keymap::lookup(&self.contexts(), key).map(|b| b.action)
    }

    // ----- the rows of each page

    fn rows(&self) -> Vec<Row> {
        let text = |key, label: &str, value: String, path: String| Row {
            key,
            label: label.to_string(),
            value,
            kind: RowKind::Text { vietnamese: true },
            path,
        };
        let plain = |key, label: &str, value: String, path: String| Row {
            kind: RowKind::Text { vietnamese: false },
            ..text(key, label, value, path)
        };
        let choice = |key, label: &str, value: String, path: String| Row {
            kind: RowKind::Choice,
            ..text(key, label, value, path)
        };
        let link = |key, label: &str, value: String, path: String| Row {
            kind: RowKind::Link,
            ..text(key, label, value, path)
        };
        let add = |key, label: &str, path: String| Row {
            kind: RowKind::Add,
            ..text(key, label, String::new(), path)
        };
        let mut rows = Vec::new();
        match self.page {
            Page::Plan => {
                let o = &self.outline;
                let p = &o.plan;
                rows.push(text(
                    RowKey::OutlineTitle,
                    tr("Tên đề cương", "Outline title"),
                    o.title.clone(),
                    "$.title".into(),
                ));
                rows.push(text(
                    RowKey::ShortTitle,
                    tr("Tên ngắn", "Short title"),
                    o.short_title.clone(),
                    "$.short_title".into(),
                ));
                rows.push(text(
                    RowKey::IssuedWith,
                    tr("Ban hành kèm theo", "Issued with"),
                    o.issued_with.clone().unwrap_or_default(),
                    "$.issued_with".into(),
                ));
                rows.push(plain(
                    RowKey::OutlineId,
                    tr("Mã đề cương", "Outline id"),
                    o.id.clone(),
                    "$.id".into(),
                ));
                rows.push(text(
                    RowKey::DocType,
                    tr("Loại văn bản", "Document type"),
                    o.document.doc_type.clone(),
                    "$.document.type".into(),
                ));
                rows.push(text(
                    RowKey::Subject,
                    tr("Trích yếu", "Subject"),
                    o.document.subject.clone(),
                    "$.document.subject".into(),
                ));
                let layout = match o.document.layout {
                    DocLayout::Party => tr("văn bản của Đảng", "a Party document"),
                    DocLayout::State => tr("văn bản hành chính nhà nước", "a State document"),
                };
                rows.push(choice(
                    RowKey::Layout,
                    tr("Thể thức", "Layout"),
                    layout.into(),
                    "$.document.layout".into(),
                ));
                rows.push(plain(
                    RowKey::PlanNumber,
                    tr("Số kế hoạch", "Plan number"),
                    p.number.clone(),
                    "$.plan.number".into(),
                ));
                rows.push(plain(
                    RowKey::PlanDate,
                    tr("Ngày kế hoạch", "Plan date"),
                    p.date.clone(),
                    "$.plan.date".into(),
                ));
                rows.push(text(
                    RowKey::PlanIssuer,
                    tr("Cơ quan ban hành", "Issued by"),
                    p.issuer.clone(),
                    "$.plan.issuer".into(),
                ));
                rows.push(text(
                    RowKey::PlanTitle,
                    tr("Tên kế hoạch", "Plan title"),
                    p.title.clone(),
                    "$.plan.title".into(),
                ));
                rows.push(plain(
                    RowKey::From,
                    tr("Từ năm", "From year"),
                    p.period.from.to_string(),
                    "$.plan.period.from".into(),
                ));
                rows.push(plain(
                    RowKey::To,
                    tr("Đến năm", "To year"),
                    p.period.to.to_string(),
                    "$.plan.period.to".into(),
                ));
                rows.push(text(
                    RowKey::Receiver,
                    tr("Nơi nhận báo cáo", "Reports go to"),
                    p.receiver.clone().unwrap_or_default(),
                    "$.plan.receiver".into(),
                ));
                for (i, u) in p.unit_types.iter().enumerate() {
                    let up = u.reports_to.as_deref().map_or_else(
                        || tr("cấp cao nhất", "top level").to_string(),
                        |r| format!("→ {r}"),
                    );
                    let due = u
                        .deadline
                        .as_deref()
                        .map(|d| format!(" · {}", u.deadline_kind.short_phrase(d)))
                        .unwrap_or_default();
                    rows.push(link(
                        RowKey::Unit(i),
                        &format!("{} {}", tr("Cấp", "Unit type"), u.id),
                        format!("{} ({up}{due})", u.name),
                        format!("$.plan.unit_types[{i}]"),
                    ));
                }
                rows.push(add(
                    RowKey::AddUnit,
                    tr("+ Thêm cấp", "+ Add a unit type"),
                    "$.plan.unit_types".into(),
                ));
            }
            Page::Unit(i) => {
                let Some(u) = self.outline.plan.unit_types.get(i) else {
                    return rows;
                };
                let base = format!("$.plan.unit_types[{i}]");
                rows.push(text(
                    RowKey::UnitName,
                    tr("Tên cấp", "Name"),
                    u.name.clone(),
                    format!("{base}.name"),
                ));
                rows.push(plain(
                    RowKey::UnitId,
                    tr("Mã cấp", "Id"),
                    u.id.clone(),
                    format!("{base}.id"),
                ));
                let up = u
                    .reports_to
                    .clone()
                    .unwrap_or_else(|| tr("(cấp cao nhất)", "(top level)").into());
                rows.push(choice(
                    RowKey::ReportsTo,
                    tr("Báo cáo cho", "Reports to"),
                    up,
                    format!("{base}.reports_to"),
                ));
                rows.push(plain(
                    RowKey::Deadline,
                    tr("Thời hạn", "Deadline"),
                    u.deadline.clone().unwrap_or_default(),
                    format!("{base}.deadline"),
                ));
                let kind = match u.deadline_kind {
                    DeadlineKind::Before => tr("trước ngày", "before the day"),
                    DeadlineKind::By => tr("chậm nhất ngày", "by the day"),
                };
                rows.push(choice(
                    RowKey::DeadlineKind,
                    tr("Cách tính hạn", "Deadline is"),
                    kind.into(),
                    format!("{base}.deadline_kind"),
                ));
                rows.push(text(
                    RowKey::DeadlineNote,
                    tr("Ghi chú thời hạn", "Deadline note"),
                    u.deadline_note.clone().unwrap_or_default(),
                    format!("{base}.deadline_note"),
                ));
                rows.push(choice(
                    RowKey::InTotals,
                    tr("Cộng vào cấp trên", "Adds up above"),
                    yes_no(u.in_totals),
                    format!("{base}.in_totals"),
                ));
            }
            Page::Item => {
                let (Some(path), Some(item)) = (self.current(), self.item()) else {
                    return rows;
                };
                let base = json_path(&path);
                rows.push(text(
                    RowKey::Title,
                    tr("Tên mục", "Title"),
                    item.title.clone(),
                    format!("{base}.title"),
                ));
                if !item.front_matter {
                    rows.push(text(
                        RowKey::Intro,
                        tr("Lời dẫn", "Intro"),
                        item.intro.clone().unwrap_or_default(),
                        format!("{base}.intro"),
                    ));
                    rows.push(choice(
                        RowKey::Optional,
                        tr("Nếu có", "Optional"),
                        yes_no(item.optional),
                        format!("{base}.optional"),
                    ));
                }
                for (i, g) in item.guidance.iter().enumerate() {
                    rows.push(text(
                        RowKey::Bullet(i),
                        &format!("{} {}", tr("Ý", "Bullet"), i + 1),
                        g.clone(),
                        format!("{base}.guidance[{i}]"),
                    ));
                }
                rows.push(add(
                    RowKey::AddBullet,
                    tr("+ Thêm ý hướng dẫn", "+ Add a bullet"),
                    format!("{base}.guidance"),
                ));
                for (i, f) in item.fields.iter().enumerate() {
                    rows.push(link(
                        RowKey::Field(i),
                        &format!("{} {}", tr("Trường", "Field"), i + 1),
                        format!(
                            "{} · {} · {}",
                            f.label,
                            kind_label(f.kind),
                            aggregate_label(f.aggregate)
                        ),
                        format!("{base}.fields[{i}]"),
                    ));
                }
                rows.push(add(
                    RowKey::AddField,
                    tr("+ Thêm trường", "+ Add a field"),
                    format!("{base}.fields"),
                ));
            }
            Page::Field(fi) | Page::Column(fi, _) => {
                let (Some(path), Some(item)) = (self.current(), self.item()) else {
                    return rows;
                };
                let Some(field) = item.fields.get(fi) else {
                    return rows;
                };
                let mut base = format!("{}.fields[{fi}]", json_path(&path));
                let col: &Column = match self.page {
                    Page::Column(_, c) => {
                        let Some(c0) = field.columns.get(c) else {
                            return rows;
                        };
                        base = format!("{base}.columns[{c}]");
                        c0
                    }
                    _ => &field.base,
                };
                let is_field = matches!(self.page, Page::Field(_));
                let kind = col.kind;
                rows.push(text(
                    RowKey::Label,
                    tr("Nhãn", "Label"),
                    col.label.clone(),
                    format!("{base}.label"),
                ));
                rows.push(choice(
                    RowKey::Kind,
                    tr("Loại", "Kind"),
                    kind_label(kind).into(),
                    format!("{base}.kind"),
                ));
                if kind != Kind::Ratio {
                    rows.push(choice(
                        RowKey::Required,
                        tr("Bắt buộc", "Required"),
                        yes_no(col.required),
                        format!("{base}.required"),
                    ));
                }
                if kind.is_numeric() || kind == Kind::Date {
                    rows.push(plain(
                        RowKey::Min,
                        tr("Nhỏ nhất", "Minimum"),
                        bound_text(&col.min),
                        format!("{base}.min"),
                    ));
                    rows.push(plain(
                        RowKey::Max,
                        tr("Lớn nhất", "Maximum"),
                        bound_text(&col.max),
                        format!("{base}.max"),
                    ));
                }
                if kind == Kind::Choice {
                    rows.push(text(
                        RowKey::Options,
                        tr("Các lựa chọn (;)", "Options (;)"),
                        col.options.join("; "),
                        format!("{base}.options"),
                    ));
                }
                if is_field {
                    rows.push(choice(
                        RowKey::Aggregate,
                        tr("Tổng hợp lên", "Rolls up"),
                        aggregate_label(field.aggregate).into(),
                        format!("{base}.aggregate"),
                    ));
                }
                if !matches!(kind, Kind::Table | Kind::Ratio) {
                    rows.push(text(
                        RowKey::Placeholder,
                        tr("Gợi ý trong ô", "Hint in the box"),
                        col.placeholder.clone().unwrap_or_default(),
                        format!("{base}.placeholder"),
                    ));
                }
                if is_field && kind == Kind::Text {
                    rows.push(choice(
                        RowKey::Multiline,
                        tr("Nhiều dòng", "Several lines"),
                        yes_no(field.multiline),
                        format!("{base}.multiline"),
                    ));
                }
                if is_field && kind == Kind::Ratio {
                    let of = field.of.clone().unwrap_or_default();
                    for (i, label) in [tr("Tử số (phần)", "Part"), tr("Mẫu số (tổng)", "Whole")]
                        .into_iter()
                        .enumerate()
                    {
                        let id = &of[i];
                        let shown = item.field(id).map_or_else(
                            || tr("(chưa chọn)", "(none)").to_string(),
                            |f| f.label.clone(),
                        );
                        rows.push(choice(
                            RowKey::Of(i),
                            label,
                            shown,
                            format!("{base}.of[{i}]"),
                        ));
                    }
                }
                if is_field && kind == Kind::Table {
                    for (c, column) in field.columns.iter().enumerate() {
                        rows.push(link(
                            RowKey::Column(c),
                            &format!("{} {}", tr("Cột", "Column"), c + 1),
                            format!("{} · {}", column.label, kind_label(column.kind)),
                            format!("{base}.columns[{c}]"),
                        ));
                    }
                    rows.push(add(
                        RowKey::AddColumn,
                        tr("+ Thêm cột", "+ Add a column"),
                        format!("{base}.columns"),
                    ));
                }
            }
        }
        rows
    }

    /// The column the field or column page edits.
    fn column_mut(&mut self) -> Option<&mut Column> {
        let page = self.page;
        let path = self.current()?;
        let item = edit::item_mut(&mut self.outline, &path)?;
        match page {
            Page::Field(f) => item.fields.get_mut(f).map(|f| &mut f.base),
            Page::Column(f, c) => item.fields.get_mut(f)?.columns.get_mut(c),
            _ => None,
        }
    }

    fn field_mut(&mut self) -> Option<&mut Field> {
        let Page::Field(f) = self.page else {
            return None;
        };
        let path = self.current()?;
        edit::item_mut(&mut self.outline, &path)?.fields.get_mut(f)
    }

    /// Writes what is typed in a row into the outline.
    fn set_text(&mut self, key: RowKey, s: String) {
        let unit = match self.page {
            Page::Unit(u) => Some(u),
            _ => None,
        };
        let o = &mut self.outline;
        match key {
            RowKey::OutlineTitle => o.title = s,
            RowKey::ShortTitle => o.short_title = s,
            RowKey::IssuedWith => o.issued_with = some_text(&s),
            RowKey::OutlineId => o.id = s.trim().to_string(),
            RowKey::DocType => o.document.doc_type = s,
            RowKey::Subject => o.document.subject = s,
            RowKey::PlanNumber => o.plan.number = s.trim().to_string(),
            RowKey::PlanDate => o.plan.date = s.trim().to_string(),
            RowKey::PlanIssuer => o.plan.issuer = s,
            RowKey::PlanTitle => o.plan.title = s,
            RowKey::From => o.plan.period.from = s.trim().parse().unwrap_or(0),
            RowKey::To => o.plan.period.to = s.trim().parse().unwrap_or(0),
            RowKey::Receiver => o.plan.receiver = some_text(&s),
            RowKey::UnitName | RowKey::UnitId | RowKey::Deadline | RowKey::DeadlineNote => {
                let Some(u) = unit.and_then(|u| o.plan.unit_types.get_mut(u)) else {
                    return;
                };
                match key {
                    RowKey::UnitName => u.name = s,
                    RowKey::Deadline => u.deadline = some_text(&s).map(|d| d.trim().to_string()),
                    RowKey::DeadlineNote => u.deadline_note = some_text(&s),
                    _ => {
                        let u = unit.expect("a unit type's page");
                        edit::rename_unit_type(o, u, s.trim());
                    }
                }
            }
            RowKey::Title | RowKey::Intro | RowKey::Bullet(_) => {
                let Some(path) = self.current() else { return };
                let Some(item) = edit::item_mut(&mut self.outline, &path) else {
                    return;
                };
                match key {
                    RowKey::Title => item.title = s,
                    RowKey::Intro => item.intro = some_text(&s),
                    RowKey::Bullet(i) => {
                        if let Some(g) = item.guidance.get_mut(i) {
                            *g = s;
                        }
                    }
                    _ => {}
                }
            }
            RowKey::Label | RowKey::Placeholder | RowKey::Options | RowKey::Min | RowKey::Max => {
                let Some(c) = self.column_mut() else { return };
                match key {
                    RowKey::Label => c.label = s,
                    RowKey::Placeholder => c.placeholder = some_text(&s),
                    RowKey::Options => {
                        c.options = s
                            .split(';')
                            .map(|o| o.trim().to_string())
                            .filter(|o| !o.is_empty())
                            .collect()
                    }
                    RowKey::Min => c.min = bound_value(&s, c.kind),
                    _ => c.max = bound_value(&s, c.kind),
                }
            }
            _ => {}
        }
    }

    /// The values a choice row has, and which is chosen.
    fn choices(&self, key: RowKey) -> (usize, usize) {
        let o = &self.outline;
        match key {
            RowKey::Optional | RowKey::Required | RowKey::Multiline | RowKey::InTotals => {
                let rows = self.rows();
                let on = rows
                    .iter()
                    .find(|r| r.key == key)
                    .is_some_and(|r| r.value == yes_no(true));
                (2, usize::from(on))
            }
            RowKey::Layout => (2, usize::from(o.document.layout == DocLayout::State)),
            RowKey::DeadlineKind => {
                let Page::Unit(u) = self.page else {
                    return (0, 0);
                };
                let k = o.plan.unit_types.get(u).map(|u| u.deadline_kind);
                (2, usize::from(k == Some(DeadlineKind::By)))
            }
            RowKey::ReportsTo => {
                let Page::Unit(u) = self.page else {
                    return (0, 0);
                };
                let others = self.other_types(u);
                let now = o.plan.unit_types[u].reports_to.as_deref();
                let at = now
                    .and_then(|r| others.iter().position(|x| x == r))
                    .map_or(0, |i| i + 1);
                (others.len() + 1, at)
            }
            RowKey::Kind => {
                let kinds = self.kinds();
                let now = self
                    .rows()
                    .iter()
                    .find(|r| r.key == key)
                    .map(|r| r.value.clone());
                let at = kinds
                    .iter()
                    .position(|k| Some(kind_label(*k).to_string()) == now)
                    .unwrap_or(0);
                (kinds.len(), at)
            }
            RowKey::Aggregate => {
                let Some(f) = self.item().and_then(|i| match self.page {
                    Page::Field(f) => i.fields.get(f),
                    _ => None,
                }) else {
                    return (0, 0);
                };
                let allowed = f.kind.allowed_aggregates();
                (
                    allowed.len(),
                    allowed.iter().position(|a| *a == f.aggregate).unwrap_or(0),
                )
            }
            RowKey::Of(i) => {
                let candidates = self.countable();
                let Some(f) = self.item().and_then(|it| match self.page {
                    Page::Field(f) => it.fields.get(f),
                    _ => None,
                }) else {
                    return (0, 0);
                };
                let now = f.of.as_ref().map(|o| o[i].clone()).unwrap_or_default();
                let at = candidates
                    .iter()
                    .position(|c| *c == now)
                    .map_or(0, |p| p + 1);
                (candidates.len() + 1, at)
            }
            _ => (0, 0),
        }
    }

    fn kinds(&self) -> &'static [Kind] {
        if matches!(self.page, Page::Column(..)) {
            Kind::IN_TABLES
        } else {
            Kind::ALL
        }
    }

    fn other_types(&self, u: usize) -> Vec<String> {
        let me = &self.outline.plan.unit_types[u].id;
        self.outline
            .plan
            .unit_types
            .iter()
            .filter(|t| &t.id != me)
            .map(|t| t.id.clone())
            .collect()
    }

    /// The item's fields a ratio can be taken of (not the ratio itself).
    fn countable(&self) -> Vec<String> {
        let Page::Field(me) = self.page else {
            return Vec::new();
        };
        self.item()
            .map(|i| {
                i.fields
                    .iter()
                    .enumerate()
                    .filter(|(j, f)| *j != me && f.kind.is_countable())
                    .map(|(_, f)| f.id.clone())
                    .collect()
            })
            .unwrap_or_default()
    }

    fn set_choice(&mut self, key: RowKey, at: usize) {
        let page = self.page;
        match key {
            RowKey::Optional => {
                if let Some(p) = self.current()
                    && let Some(i) = edit::item_mut(&mut self.outline, &p)
                {
                    i.optional = at == 1;
                }
            }
            RowKey::Required => {
                if let Some(c) = self.column_mut() {
                    c.required = at == 1;
                }
            }
            RowKey::Multiline => {
                if let Some(f) = self.field_mut() {
                    f.multiline = at == 1;
                }
            }
            RowKey::Layout => {
                self.outline.document.layout = if at == 1 {
                    DocLayout::State
                } else {
                    DocLayout::Party
                };
            }
            RowKey::InTotals | RowKey::DeadlineKind | RowKey::ReportsTo => {
                let Page::Unit(u) = page else { return };
                let others = self.other_types(u);
                let t = &mut self.outline.plan.unit_types[u];
                match key {
                    RowKey::InTotals => t.in_totals = at == 1,
                    RowKey::DeadlineKind => {
                        t.deadline_kind = if at == 1 {
                            DeadlineKind::By
                        } else {
                            DeadlineKind::Before
                        }
                    }
                    _ => t.reports_to = at.checked_sub(1).and_then(|i| others.get(i).cloned()),
                }
                edit::sync_front(&mut self.outline);
            }
            RowKey::Kind => {
                let kind = self.kinds()[at];
                let Some(path) = self.current() else { return };
                let Some(item) = edit::item_mut(&mut self.outline, &path) else {
                    return;
                };
                match page {
                    Page::Field(f) => edit::set_kind(item, f, kind),
                    Page::Column(f, c) => {
                        if let Some(col) = item.fields.get_mut(f).and_then(|f| f.columns.get_mut(c))
                        {
                            edit::set_column_kind(col, kind);
                        }
                    }
                    _ => {}
                }
            }
            RowKey::Aggregate => {
                if let Some(f) = self.field_mut() {
                    let allowed = f.kind.allowed_aggregates();
                    f.aggregate = allowed[at.min(allowed.len() - 1)];
                }
            }
            RowKey::Of(i) => {
                let candidates = self.countable();
                let id = at
                    .checked_sub(1)
                    .and_then(|c| candidates.get(c).cloned())
                    .unwrap_or_default();
                if let Some(f) = self.field_mut() {
                    f.of.get_or_insert_with(Default::default)[i] = id;
                }
            }
            _ => {}
        }
    }

    // ----- editing

    /// Every change goes through here: a snapshot first (one per run of
    /// typing in a box, `tag`), then check again.
    fn edit(&mut self, tag: Option<String>, f: impl FnOnce(&mut Self)) {
        self.history.record(&self.outline, tag.as_deref());
        f(self);
        self.changed();
    }

    fn changed(&mut self) {
        self.recheck();
        self.quit_armed = false;
        self.notice = None;
    }

    /// The text box of the row in focus, made when the row is reached.
    fn sync_text(&mut self) {
        if self.focus != Focus::Rows {
            self.text = None;
            return;
        }
        let rows = self.rows();
        let Some(r) = rows.get(self.row) else {
            self.text = None;
            return;
        };
        if !matches!(r.kind, RowKind::Text { .. }) {
            self.text = None;
            return;
        }
        if self.text.as_ref().is_none_or(|(k, _)| *k != r.key) {
            self.text = Some((r.key, TextBox::new(&r.value, true)));
            self.history.seal();
        }
    }

    fn move_row(&mut self, forward: bool) {
        let n = self.rows().len();
        if n == 0 {
            return;
        }
        self.row = if forward {
            (self.row + 1) % n
        } else {
            (self.row + n - 1) % n
        };
        self.sync_text();
    }

    fn open_page(&mut self, page: Page) {
        self.back.push(self.row);
        self.page = page;
        self.row = 0;
        self.focus = Focus::Rows;
        self.text = None;
        self.sync_text();
    }

    fn close_page(&mut self) {
        let up = match self.page {
            Page::Field(_) | Page::Unit(_) => Some(if self.cursor == 0 {
                Page::Plan
            } else {
                Page::Item
            }),
            Page::Column(f, _) => Some(Page::Field(f)),
            Page::Item | Page::Plan => None,
        };
        match up {
            Some(p) => {
                self.page = p;
                self.row = self.back.pop().unwrap_or(0);
                self.text = None;
                self.sync_text();
            }
            None => {
                self.focus = Focus::Tree;
                self.text = None;
            }
        }
    }

    fn clamp(&mut self) {
        let n = self.paths().len();
        self.cursor = self.cursor.min(n);
        match self.page {
            Page::Field(f) | Page::Column(f, _)
                if self.item().is_none_or(|i| f >= i.fields.len()) =>
            {
                self.page = Page::Item;
            }
            Page::Column(f, c)
                if self
                    .item()
                    .and_then(|i| i.fields.get(f))
                    .is_none_or(|f| c >= f.columns.len()) =>
            {
                self.page = Page::Field(f);
            }
            Page::Unit(u) if u >= self.outline.plan.unit_types.len() => self.page = Page::Plan,
            Page::Item if self.cursor == 0 => self.page = Page::Plan,
            _ => {}
        }
        self.row = self.row.min(self.rows().len().saturating_sub(1));
        self.text = None;
        self.sync_text();
    }

    fn act(&mut self, action: Action) {
        if let Some((_, top)) = &mut self.help {
            match action {
                Action::Close => self.help = None,
                Action::Down | Action::PageDown => *top = top.saturating_add(3),
                Action::Up | Action::PageUp => *top = top.saturating_sub(3),
                _ => {}
            }
            return;
        }
        if self.confirm.is_some() {
            match action {
                Action::Yes => self.delete_confirmed(),
                Action::No => self.confirm = None,
                _ => {}
            }
            return;
        }
        if self.prompt.is_some() {
            match action {
                Action::Go => self.create(),
                Action::Close => self.prompt = None,
                _ => {}
            }
            return;
        }
        if action != Action::Quit {
            self.quit_armed = false;
        }
        match action {
            Action::Help => self.help = Some((self.contexts(), 0)),
            Action::Quit => self.quit(),
            Action::Save => self.save(),
            Action::SaveDraft => self.save_draft(),
            Action::Undo | Action::Redo => {
                let done = if action == Action::Undo {
                    self.history.undo(&mut self.outline)
                } else {
                    self.history.redo(&mut self.outline)
                };
                if done {
                    self.recheck();
                    self.preview = None;
                    self.clamp();
                } else {
                    self.notice = Some(if action == Action::Undo {
                        t!("Không còn gì để hoàn tác.", "Nothing more to undo.")
                    } else {
                        t!("Không còn gì để làm lại.", "Nothing to redo.")
                    });
                }
            }
            Action::InputMethod => {
                self.settings.input_method = self.settings.input_method.next();
                if let Err(e) = crate::settings::save(&self.settings) {
                    self.notice = Some(e.to_string());
                }
            }
            Action::OpenPlan => {
                self.preview = None;
                self.cursor = 0;
                self.show_page_of_cursor();
                self.focus = Focus::Rows;
                self.sync_text();
            }
            Action::OpenPreview => self.open_preview(),
            _ if self.preview.is_some() => self.act_preview(action),
            _ if self.focus == Focus::Tree => self.act_tree(action),
            _ => self.act_rows(action),
        }
    }

    fn act_preview(&mut self, action: Action) {
        let Some(p) = self.preview.as_mut() else {
            return;
        };
        let last = p.document.len().saturating_sub(1);
        match action {
            Action::Close => self.preview = None,
            Action::SwitchFocus => p.showing_document = !p.showing_document,
            Action::Up => p.top = p.top.saturating_sub(1),
            Action::Down => p.top = (p.top + 1).min(last),
            Action::NextItem if p.showing_document => p.top = (p.top + 20).min(last),
            Action::PrevItem if p.showing_document => p.top = p.top.saturating_sub(20),
            Action::NextItem | Action::PrevItem => {
                let n = p.form.pages.len();
                let page = if action == Action::NextItem {
                    (p.form.page + 1).min(n - 1)
                } else {
                    p.form.page.saturating_sub(1)
                };
                p.form.go(&p.ws, page, None);
                p.form.set_looks(true, &self.theme);
                let id = p.form.item_id().to_string();
                if let Some(i) = self.outline.entries().iter().position(|e| e.item.id == id) {
                    self.cursor = i + 1;
                    self.show_page_of_cursor();
                }
            }
            _ => {}
        }
    }

    fn act_tree(&mut self, action: Action) {
        let last = self.paths().len();
        let current = self.current();
        match action {
            Action::Up => self.cursor = self.cursor.saturating_sub(1),
            Action::Down => self.cursor = (self.cursor + 1).min(last),
            Action::Home => self.cursor = 0,
            Action::End => self.cursor = last,
            Action::Go => {
                self.focus = Focus::Rows;
                self.row = 0;
                self.sync_text();
                return;
            }
            Action::AddItem => self.ask(Creating::Sibling),
            Action::AddChild => match self.item() {
                Some(i) if !i.front_matter => self.ask(Creating::Child),
                _ => {
                    self.notice = Some(t!(
                        "Mục con chỉ thêm được dưới một mục của đề cương (không dưới phần thông tin chung hay kế hoạch).",
                        "A sub-item goes under an item of the outline (not under the general information or the plan)."
                    ))
                }
            },
            Action::DeleteItem => match (&current, self.item()) {
                (Some(p), Some(i)) if !i.front_matter => {
                    self.confirm = Some(Deleting::Item(p.clone()))
                }
                _ => {
                    self.notice = Some(t!(
                        "Phần thông tin chung và kế hoạch không xóa được: văn bản cần chúng.",
                        "The general information and the plan cannot be deleted: the document needs them."
                    ))
                }
            },
            Action::MoveUp | Action::MoveDown | Action::Indent | Action::Outdent => {
                let Some(p) = current else { return };
                let mut o = self.outline.clone();
                let moved = match action {
                    Action::MoveUp => edit::move_item(&mut o, &p, true),
                    Action::MoveDown => edit::move_item(&mut o, &p, false),
                    Action::Indent => edit::indent(&mut o, &p),
                    _ => edit::outdent(&mut o, &p),
                };
                match moved {
                    Some(to) => {
                        self.edit(None, |e| e.outline = o);
                        self.select(&to);
                    }
                    None => {
                        self.notice = Some(t!(
                            "Không chuyển được mục theo hướng đó.",
                            "The item cannot move that way."
                        ))
                    }
                }
                return;
            }
            Action::Renumber => {
                self.edit(None, |e| {
                    edit::renumber(&mut e.outline, Numbering::Standard)
                });
                self.notice = Some(t!(
                    "Đã đánh số lại mọi mục như đề cương 2014: A-, I., 1-, a).",
                    "Every item renumbered as in 2014: A-, I., 1-, a)."
                ));
                return;
            }
            _ => return,
        }
        self.show_page_of_cursor();
    }

    fn act_rows(&mut self, action: Action) {
        let rows = self.rows();
        let Some(row) = rows.get(self.row) else {
            if action == Action::Close {
                self.close_page();
            }
            return;
        };
        let key = row.key;
        match action {
            Action::NextField => self.move_row(true),
            Action::PrevField => self.move_row(false),
            Action::Close => self.close_page(),
            Action::NextOption | Action::PrevOption => {
                let (n, at) = self.choices(key);
                if n == 0 {
                    return;
                }
                let to = if action == Action::NextOption {
                    (at + 1) % n
                } else {
                    (at + n - 1) % n
                };
                self.edit(None, |e| e.set_choice(key, to));
            }
            Action::Go => match key {
                RowKey::Field(i) => self.open_page(Page::Field(i)),
                RowKey::Unit(i) => self.open_page(Page::Unit(i)),
                RowKey::Column(c) => {
                    if let Page::Field(f) = self.page {
                        self.open_page(Page::Column(f, c));
                    }
                }
                RowKey::AddBullet | RowKey::AddField | RowKey::AddColumn | RowKey::AddUnit => {
                    self.add_here(key)
                }
                _ => self.move_row(true),
            },
            Action::AddRow => self.add_here(key),
            Action::MoveUp | Action::MoveDown => self.move_here(key, action == Action::MoveUp),
            Action::DeleteRow => {
                self.confirm = match (key, self.page) {
                    (RowKey::Bullet(i), _) => Some(Deleting::Bullet(i)),
                    (RowKey::Field(i), _) => Some(Deleting::Field(i)),
                    (RowKey::Column(c), Page::Field(f)) => Some(Deleting::Column(f, c)),
                    (RowKey::Unit(u), _) if self.outline.plan.unit_types.len() > 1 => {
                        Some(Deleting::Unit(u))
                    }
                    _ => {
                        self.notice = Some(t!(
                            "Dòng này không xóa được: chỉ xóa ý hướng dẫn, trường, cột, hoặc một cấp khi còn cấp khác.",
                            "This row cannot be deleted: only bullets, fields, columns, or a unit type while another remains."
                        ));
                        None
                    }
                };
            }
            _ => {}
        }
    }

    /// Alt+↑/↓ on a bullet, a field, a column or a unit type: it moves,
    /// and the focus with it.
    fn move_here(&mut self, key: RowKey, up: bool) {
        let (page, current) = (self.page, self.current());
        let mut o = self.outline.clone();
        let item = current.as_ref().and_then(|p| edit::item_mut(&mut o, p));
        let moved = match (key, page, item) {
            (RowKey::Bullet(i), _, Some(it)) => edit::move_bullet(it, i, up).map(RowKey::Bullet),
            (RowKey::Field(i), _, Some(it)) => edit::move_field(it, i, up).map(RowKey::Field),
            (RowKey::Column(c), Page::Field(f), Some(it)) => it
                .fields
                .get_mut(f)
                .and_then(|f| edit::move_column(f, c, up))
                .map(RowKey::Column),
            (RowKey::Unit(u), _, _) => edit::move_unit_type(&mut o, u, up).map(RowKey::Unit),
            _ => None,
        };
        match moved {
            Some(to) => {
                self.edit(None, |e| e.outline = o);
                if let Some(r) = self.rows().iter().position(|r| r.key == to) {
                    self.row = r;
                }
                self.text = None;
                self.sync_text();
            }
            None => {
                self.notice = Some(t!(
                    "Dòng này không chuyển được theo hướng đó: chỉ chuyển ý hướng dẫn, trường, cột và cấp, trong danh sách của chúng.",
                    "This row cannot move that way: bullets, fields, columns and unit types move within their lists."
                ))
            }
        }
    }

    /// Ctrl+N or Enter on a "+" row: what fits the row in focus.
    fn add_here(&mut self, key: RowKey) {
        match (self.page, key) {
            (Page::Item, RowKey::Field(_) | RowKey::AddField) => self.ask(Creating::Field),
            (Page::Item, _) => {
                let after = match key {
                    RowKey::Bullet(i) => Some(i),
                    RowKey::Title | RowKey::Intro | RowKey::Optional => None,
                    _ => None,
                };
                let Some(path) = self.current() else { return };
                let mut at = 0;
                self.edit(None, |e| {
                    if let Some(item) = edit::item_mut(&mut e.outline, &path) {
                        at = edit::add_bullet(item, after, "");
                    }
                });
                if let Some(r) = self.rows().iter().position(|r| r.key == RowKey::Bullet(at)) {
                    self.row = r;
                }
                self.text = None;
                self.sync_text();
            }
            (Page::Field(f), _) if self.is_table(f) => self.ask(Creating::Column(f)),
            (Page::Plan | Page::Unit(_), _) => self.ask(Creating::Unit),
            _ => {
                self.notice = Some(t!(
                    "Ở đây không có gì để thêm: thêm trường ở trang của mục, thêm cột ở trường loại bảng.",
                    "Nothing to add here: fields are added on the item's page, columns on a table field."
                ))
            }
        }
    }

    fn is_table(&self, f: usize) -> bool {
        self.item()
            .and_then(|i| i.fields.get(f))
            .is_some_and(|f| f.kind == Kind::Table)
    }

    fn ask(&mut self, purpose: Creating) {
        self.prompt = Some(Prompt {
            purpose,
            text: TextBox::new("", false),
            error: false,
        });
    }

    fn create(&mut self) {
        let Some(p) = self.prompt.as_mut() else {
            return;
        };
        let name = p.text.text().trim().to_string();
        if name.is_empty() {
            p.error = true;
            return;
        }
        let purpose = p.purpose;
        self.prompt = None;
        let current = self.current();
        match purpose {
            Creating::Sibling | Creating::Child => {
                let mut to = None;
                self.edit(None, |e| {
                    to = match (purpose, &current) {
                        (Creating::Child, Some(c)) => edit::add_child(&mut e.outline, c, &name),
                        (_, Some(c)) => Some(edit::add_sibling(&mut e.outline, c, &name)),
                        (_, None) => {
                            let last = e.outline.items.len().saturating_sub(1);
                            Some(edit::add_sibling(&mut e.outline, &[last], &name))
                        }
                    };
                });
                if let Some(to) = to {
                    self.select(&to);
                }
            }
            Creating::Field => {
                let Some(path) = current else { return };
                let mut at = 0;
                self.edit(None, |e| {
                    if let Some(item) = edit::item_mut(&mut e.outline, &path) {
                        at = edit::add_field(item, &name, Kind::Text);
                    }
                });
                self.page = Page::Item;
                self.row = self
                    .rows()
                    .iter()
                    .position(|r| r.key == RowKey::Field(at))
                    .unwrap_or(0);
                self.open_page(Page::Field(at));
            }
            Creating::Column(f) => {
                let Some(path) = current else { return };
                let mut at = 0;
                self.edit(None, |e| {
                    if let Some(field) =
                        edit::item_mut(&mut e.outline, &path).and_then(|i| i.fields.get_mut(f))
                    {
                        at = edit::add_column(field, &name, Kind::Text);
                    }
                });
                self.page = Page::Field(f);
                self.row = self
                    .rows()
                    .iter()
                    .position(|r| r.key == RowKey::Column(at))
                    .unwrap_or(0);
                self.open_page(Page::Column(f, at));
            }
            Creating::Unit => {
                let mut at = 0;
                self.edit(None, |e| {
                    at = edit::add_unit_type(&mut e.outline, &name, None)
                });
                self.cursor = 0;
                self.show_page_of_cursor();
                self.focus = Focus::Rows;
                self.row = self
                    .rows()
                    .iter()
                    .position(|r| r.key == RowKey::Unit(at))
                    .unwrap_or(0);
                self.open_page(Page::Unit(at));
            }
        }
    }

    fn delete_confirmed(&mut self) {
        let Some(what) = self.confirm.take() else {
            return;
        };
        let current = self.current();
        self.edit(None, |e| match &what {
            Deleting::Item(p) => {
                edit::delete(&mut e.outline, p);
            }
            Deleting::Unit(u) => {
                edit::delete_unit_type(&mut e.outline, *u);
            }
            other => {
                let Some(item) = current.and_then(|p| edit::item_mut(&mut e.outline, &p)) else {
                    return;
                };
                match other {
                    Deleting::Bullet(i) => edit::delete_bullet(item, *i),
                    Deleting::Field(i) => edit::delete_field(item, *i),
                    Deleting::Column(f, c) => {
                        if let Some(f) = item.fields.get_mut(*f)
                            && *c < f.columns.len()
                        {
                            f.columns.remove(*c);
                        }
                    }
                    _ => {}
                }
            }
        });
        if matches!(what, Deleting::Item(_)) {
            self.cursor = self.cursor.saturating_sub(1).max(1);
            self.show_page_of_cursor();
        }
        self.clamp();
    }

    /// A key no binding took: typing into the prompt or the row's box.
    fn key(&mut self, key: KeyEvent) {
        let ime = |v: bool, s: &Settings| {
            if v {
                crate::tui::screens::form::ime_for(*s, Kind::Text)
            } else {
                Ime::OFF
            }
        };
        if let Some(p) = self.prompt.as_mut() {
            p.text.key_ime(key, ime(true, &self.settings));
            p.error = false;
            return;
        }
        if self.help.is_some() || self.confirm.is_some() || self.preview.is_some() {
            return;
        }
        if self.focus != Focus::Rows {
            return;
        }
        let rows = self.rows();
        let Some(RowKind::Text { vietnamese }) = rows.get(self.row).map(|r| r.kind) else {
            return;
        };
        self.sync_text();
        let settings = self.settings;
        let Some((k, tb)) = self.text.as_mut() else {
            return;
        };
        let k = *k;
        tb.key_ime(key, ime(vietnamese, &settings));
        let typed = tb.text();
        self.typed(k, typed);
    }

    fn typed(&mut self, key: RowKey, typed: String) {
        let now = self
            .rows()
            .into_iter()
            .find(|r| r.key == key)
            .map(|r| r.value);
        if now.as_deref() == Some(typed.as_str()) {
            return;
        }
        let tag = format!("{:?}/{:?}/{}", self.page, key, self.cursor);
        self.edit(Some(tag), |e| e.set_text(key, typed));
    }

    fn paste(&mut self, text: &str) {
        let text = crate::text::nfc(text);
        if let Some(p) = self.prompt.as_mut() {
            p.text.paste(&text.replace('\n', " "));
            return;
        }
        if self.focus != Focus::Rows || self.preview.is_some() {
            return;
        }
        self.sync_text();
        let Some((k, tb)) = self.text.as_mut() else {
            return;
        };
        let k = *k;
        tb.paste(&text.replace('\n', " "));
        let typed = tb.text();
        self.typed(k, typed);
    }

    // ----- saving

    fn quit(&mut self) {
        if self.dirty() && !self.quit_armed {
            self.quit_armed = true;
            self.notice = Some(t!(
                "Đề cương có thay đổi chưa lưu. {} để lưu (hoặc {} lưu nháp); bấm {} lần nữa để thoát không lưu.",
                "The outline has unsaved changes. {} saves (or {} saves a draft); press {} again to quit without saving.",
                keymap::key_of_in(Context::OutlineEditor, Action::Save),
                keymap::key_of_in(Context::OutlineEditor, Action::SaveDraft),
                keymap::key_of_in(Context::OutlineEditor, Action::Quit)
            ));
            return;
        }
        self.result = Some(EditorResult::Quit);
    }

    fn bytes(o: &Outline) -> Vec<u8> {
        let mut b = serde_json::to_vec_pretty(o).expect("an outline always serialises");
        b.push(b'\n');
        b
    }

    /// Saves the outline when check finds nothing, as a new version.
    pub fn save(&mut self) {
        if !self.problems.is_empty() {
            self.notice = Some(t!(
                "Chưa lưu: đề cương còn {} lỗi (dấu ! trong cây đề cương). Sửa hết rồi lưu, hoặc {} để lưu bản nháp riêng ra {}.",
                "Not saved: the outline has {} errors (marked ! in the tree). Fix them and save, or {} saves a draft aside to {}.",
                self.problems.len(),
                keymap::key_of_in(Context::OutlineEditor, Action::SaveDraft),
                draft_path(&self.path).display()
            ));
            return;
        }
        if !self.dirty() {
            self.notice = Some(t!(
                "Không có thay đổi nào cần lưu.",
                "Nothing changed since the last save."
            ));
            return;
        }
        let mut o = self.outline.clone();
        if self.bump {
            o.version = edit::next_version(&o.version);
        }
        match crate::store::write_atomic(&self.path, &Self::bytes(&o), false) {
            Ok(()) => {
                self.outline.version = o.version.clone();
                self.saved = self.outline.clone();
                self.bump = true;
                self.on_disk = true;
                self.notice = Some(t!(
                    "Đã lưu {}, phiên bản {}.",
                    "Saved {}, version {}.",
                    self.path.display(),
                    o.version
                ));
            }
            Err(e) => self.notice = Some(e.to_string()),
        }
    }

    /// Writes the outline as it is, errors and all, beside the file.
    pub fn save_draft(&mut self) {
        let draft = draft_path(&self.path);
        self.notice = Some(
            match crate::store::write_atomic(&draft, &Self::bytes(&self.outline), false) {
                Ok(()) => t!(
                    "Đã lưu bản nháp ở {} (còn {} lỗi). Tệp đề cương {} chưa đổi.",
                    "Draft saved to {} ({} errors left). The outline file {} is unchanged.",
                    draft.display(),
                    self.problems.len(),
                    self.path.display()
                ),
                Err(e) => e.to_string(),
            },
        );
    }

    // ----- the preview

    fn open_preview(&mut self) {
        if !self.problems.is_empty() {
            self.notice = Some(t!(
                "Xem trước cần đề cương không còn lỗi: còn {} lỗi (dấu ! trong cây).",
                "The preview needs an outline without errors: {} left (marked ! in the tree).",
                self.problems.len()
            ));
            return;
        }
        match self.build_preview() {
            Ok(p) => {
                self.preview = Some(Box::new(p));
                self.text = None;
            }
            Err(e) => self.notice = Some(e.to_string()),
        }
    }

    fn build_preview(&self) -> crate::error::Result<Preview> {
        let o = &self.outline;
        // The lowest level: a type no other reports to.
        let t = o
            .plan
            .unit_types
            .iter()
            .find(|t| o.child_types(&t.id).is_empty())
            .unwrap_or(&o.plan.unit_types[0]);
        let parent = t.reports_to.as_deref().and_then(|p| o.unit_type(p));
        let unit = Unit {
            unit_type: t.id.clone(),
            code: "00001".into(),
            name: t.name.clone(),
            parent_code: parent.map(|_| "00002".into()),
            parent_name: parent.map(|p| p.name.clone()),
        };
        let report = Report::new(o, unit)?;
        let ws = Workspace::new(&self.path.with_extension("preview.json"), o.clone(), report)?;
        let mut form = Form::new(&ws);
        // The page of the item in the tree, or the first after it.
        let entries = o.entries();
        let from = self.cursor.saturating_sub(1);
        let id = entries[from.min(entries.len() - 1)..]
            .iter()
            .find(|e| !e.item.fields.is_empty())
            .map(|e| e.item.id.clone());
        let page = id
            .and_then(|id| form.pages.iter().position(|p| *p == id))
            .unwrap_or(0);
        form.go(&ws, page, None);
        form.set_looks(true, &self.theme);
        let document = crate::render::for_print(&ws)
            .map(|doc| {
                crate::render::text::render(&doc)
                    .lines()
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_else(|e| vec![format!("! {e}")]);
        Ok(Preview {
            ws,
            form,
            unit_name: t.name.clone(),
            document,
            showing_document: false,
            top: 0,
        })
    }

    // ----- drawing

    pub fn draw(&self, f: &mut Frame) {
        let area = f.area();
        if too_small(f, area) {
            return;
        }
        let message = self.notice.as_ref().map(|n| {
            let mut lines = wrap(
                &crate::text::printable(n, false),
                area.width.saturating_sub(2) as usize,
            );
            lines.truncate(4);
            lines
        });
        let bottom_h = message.as_ref().map_or(1, |m| m.len() as u16);
        let [top, middle, bottom] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(bottom_h),
        ])
        .areas(area);
        self.title_bar(f, top);
        match message {
            Some(lines) => {
                let lines: Vec<Line> = lines
                    .into_iter()
                    .map(|l| Line::raw(format!(" {l}")))
                    .collect();
                f.render_widget(Paragraph::new(lines).style(self.theme.bar()), bottom);
            }
            None => {
                let mut spans = Vec::new();
                for (k, label) in keymap::bar(&self.contexts(), bottom.width as usize) {
                    spans.push(Span::styled(
                        format!(" {k}"),
                        Style::default().add_modifier(Modifier::BOLD),
                    ));
                    spans.push(Span::raw(format!(" {label} ")));
                }
                f.render_widget(
                    Paragraph::new(Line::from(spans)).style(self.theme.bar()),
                    bottom,
                );
            }
        }
        if let Some(p) = &self.preview {
            self.draw_preview(f, middle, p);
        } else {
            let tree_w = (middle.width / 3).clamp(26, 40);
            let [left, right] =
                Layout::horizontal([Constraint::Length(tree_w), Constraint::Min(1)]).areas(middle);
            self.draw_tree(f, left);
            self.draw_rows(f, right);
        }
        if let Some(p) = &self.prompt {
            self.draw_prompt(f, middle, p);
        }
        if let Some(d) = &self.confirm {
            self.draw_confirm(f, middle, d);
        }
        if let Some((contexts, top)) = &self.help {
            self.draw_help(f, area, contexts, *top);
        }
        if self.theme.ascii {
            crate::tui::theme::to_ascii(f.buffer_mut());
        }
    }

    fn title_bar(&self, f: &mut Frame, area: Rect) {
        let name = self
            .path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let ime = match self.settings.input_method {
            crate::vi::ime::Method::Off => tr("Tắt bộ gõ", "IME off").to_string(),
            m => m.label().to_string(),
        };
        let errors = match self.problems.len() {
            0 => tr("không lỗi", "no errors").to_string(),
            n => t!("{n} lỗi", "{n} errors"),
        };
        let saved = if self.dirty() {
            tr("CHƯA LƯU", "UNSAVED")
        } else {
            tr("đã lưu", "saved")
        };
        let right = format!("{ime} · {errors} · {saved} ");
        let (name, version) = (
            crate::text::printable(&name, false),
            crate::text::printable(&self.outline.version, false),
        );
        let room = (area.width as usize).saturating_sub(right.width() + 1);
        let editor = tr("Soạn đề cương", "Outline editor");
        let v = tr("phiên bản", "version");
        // The program's name goes first when the room is short.
        let left = [
            format!(" baocao · {editor} · {name} · {v} {version}"),
            format!(" {editor} · {name} · {v} {version}"),
        ]
        .into_iter()
        .find(|l| l.width() <= room)
        .unwrap_or_else(|| format!(" {name} · {v} {version}"));
        let left = fit(&left, room);
        let pad = (area.width as usize).saturating_sub(left.width() + right.width());
        let style = if self.problems.is_empty() {
            self.theme.bar()
        } else {
            self.theme.bar().patch(self.theme.error())
        };
        f.render_widget(
            Paragraph::new(Line::from(vec![
                Span::raw(left),
                Span::raw(" ".repeat(pad)),
                Span::styled(right, style),
            ]))
            .style(self.theme.bar()),
            area,
        );
    }

    fn draw_tree(&self, f: &mut Frame, area: Rect) {
        let theme = &self.theme;
        let block = Block::bordered()
            .border_style(if self.focus == Focus::Tree {
                theme.focus_border()
            } else {
                theme.border()
            })
            .title(format!(" {} ", tr("Cây đề cương", "Outline tree")));
        let inner = block.inner(area);
        f.render_widget(block, area);
        let entries = self.outline.entries();
        let paths = self.paths();
        let plan_bad = self
            .problems
            .iter()
            .any(|(p, _)| edit::problem_item(p).is_none());
        let mut lines: Vec<(String, bool)> = vec![(
            tr("Kế hoạch, các cấp, thời hạn", "Plan, unit types, deadlines").to_string(),
            plan_bad,
        )];
        for (e, p) in entries.iter().zip(&paths) {
            let bad = self
                .problems
                .iter()
                .any(|(pp, _)| edit::problem_item(pp).as_deref() == Some(p.as_slice()));
            let title = if e.item.title.is_empty() {
                tr("(chưa có tên)", "(untitled)").to_string()
            } else {
                e.item.title.clone()
            };
            let label = if e.item.marker.is_empty() {
                title
            } else {
                format!("{} {title}", e.item.marker)
            };
            lines.push((format!("{}{label}", " ".repeat(e.depth)), bad));
        }
        let h = inner.height as usize;
        let first = self
            .cursor
            .saturating_sub(h.saturating_sub(1) / 2)
            .min(lines.len().saturating_sub(h));
        for (row, (i, (text, bad))) in lines.iter().enumerate().skip(first).take(h).enumerate() {
            let pointer = if i == self.cursor { "▶" } else { " " };
            let mark = if *bad { "!" } else { " " };
            let mut style = Style::default();
            if *bad {
                style = style.patch(theme.error());
            }
            if i == self.cursor {
                style = if self.focus == Focus::Tree {
                    style.patch(theme.selected())
                } else {
                    style.add_modifier(Modifier::BOLD)
                };
            }
            let r = Rect {
                y: inner.y + row as u16,
                height: 1,
                ..inner
            };
            f.render_widget(
                Paragraph::new(fit(&format!("{pointer}{mark}{text}"), inner.width as usize))
                    .style(style),
                r,
            );
        }
    }

    /// The JSON path the page's problems are under, and whether a problem
    /// is one of them.
    fn page_problems(&self) -> Vec<&(String, String)> {
        let current = self.current();
        let base = current.as_ref().map(|p| json_path(p)).unwrap_or_default();
        let under = match self.page {
            Page::Plan => None,
            Page::Unit(u) => Some(format!("$.plan.unit_types[{u}]")),
            Page::Item => {
                return self
                    .problems
                    .iter()
                    .filter(|(p, _)| edit::problem_item(p) == current)
                    .collect();
            }
            Page::Field(fi) => Some(format!("{base}.fields[{fi}]")),
            Page::Column(fi, c) => Some(format!("{base}.fields[{fi}].columns[{c}]")),
        };
        self.problems
            .iter()
            .filter(|(p, _)| match &under {
                None => edit::problem_item(p).is_none(),
                Some(u) => is_under(p, u),
            })
            .collect()
    }

    fn page_title(&self) -> String {
        let item = self.item();
        let number = item
            .map(|i| self.outline.full_number(&i.id))
            .unwrap_or_default();
        let item_name = item.map_or_else(String::new, |i| {
            if i.front_matter {
                tr("Thông tin chung", "General information").to_string()
            } else {
                format!("{number} {}", i.title).trim().to_string()
            }
        });
        match self.page {
            Page::Plan => tr("Kế hoạch và đề cương", "The plan and the outline").to_string(),
            Page::Unit(u) => format!(
                "{}: {}",
                tr("Cấp", "Unit type"),
                self.outline
                    .plan
                    .unit_types
                    .get(u)
                    .map(|u| u.name.as_str())
                    .unwrap_or("")
            ),
            Page::Item => item_name,
            Page::Field(fi) => format!(
                "{item_name} › {}",
                item.and_then(|i| i.fields.get(fi))
                    .map(|f| f.label.as_str())
                    .unwrap_or("")
            ),
            Page::Column(fi, c) => format!(
                "{item_name} › {} › {}",
                item.and_then(|i| i.fields.get(fi))
                    .map(|f| f.label.as_str())
                    .unwrap_or(""),
                item.and_then(|i| i.fields.get(fi))
                    .and_then(|f| f.columns.get(c))
                    .map(|c| c.label.as_str())
                    .unwrap_or("")
            ),
        }
    }

    fn draw_rows(&self, f: &mut Frame, area: Rect) {
        let theme = &self.theme;
        let focused = self.focus == Focus::Rows;
        let block = Block::bordered()
            .border_style(if focused {
                theme.focus_border()
            } else {
                theme.border()
            })
            .title(Span::styled(
                format!(
                    " {} ",
                    fit(&self.page_title(), area.width.saturating_sub(4) as usize)
                ),
                theme.title(),
            ));
        let inner = block.inner(area);
        f.render_widget(block, area);
        if inner.width < 10 || inner.height < 2 {
            return;
        }
        let problems = self.page_problems();
        let rows = self.rows();
        let width = inner.width as usize;
        let mut notes: Vec<String> = Vec::new();
        for (p, m) in problems.iter().take(4) {
            // Said with the row it is at, when it is at one.
            let at = rows
                .iter()
                .filter(|r| r.kind != RowKind::Add && is_under(p, &r.path))
                .max_by_key(|r| r.path.len())
                .or_else(|| rows.iter().find(|r| r.path == *p));
            let text = match at {
                Some(r) => format!("! {}: {m}", r.label.trim_start_matches("+ ")),
                None => format!("! {m}"),
            };
            notes.extend(wrap(&text, width));
        }
        if problems.len() > 4 {
            notes.push(t!(
                "! … và {} lỗi khác",
                "! … and {} more",
                problems.len() - 4
            ));
        }
        notes.truncate((inner.height as usize / 3).max(1));
        let notes_h = notes.len() as u16;
        let [list, bottom] =
            Layout::vertical([Constraint::Min(1), Constraint::Length(notes_h)]).areas(inner);
        if notes_h > 0 {
            let lines: Vec<Line> = notes
                .into_iter()
                .map(|l| Line::styled(l, theme.error()))
                .collect();
            f.render_widget(Paragraph::new(lines), bottom);
        }
        let label_w = (inner.width / 3).clamp(10, 22);
        let value_w = inner.width.saturating_sub(label_w + 1).max(1) as usize;
        let heights: Vec<u16> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| {
                // A label is read whole: it wraps at words too.
                let label = wrap(&r.label, label_w.saturating_sub(1) as usize).len() as u16;
                if !matches!(r.kind, RowKind::Text { .. }) {
                    return label.clamp(1, 3);
                }
                let lines = wrap(&r.value, value_w).len() as u16;
                let most = if focused && i == self.row { 6 } else { 2 };
                lines.clamp(1, most).max(label.min(3))
            })
            .collect();
        // Scrolled so that the row in focus is in view.
        let mut first = 0;
        while first < self.row
            && heights[first..=self.row.min(heights.len().saturating_sub(1))]
                .iter()
                .sum::<u16>()
                > list.height
        {
            first += 1;
        }
        let mut y = list.y;
        for (i, r) in rows.iter().enumerate().skip(first) {
            let h = heights[i];
            if y + h > list.y + list.height {
                break;
            }
            let bad = problems.iter().any(|(p, _)| match r.kind {
                RowKind::Add => p == &r.path,
                _ => is_under(p, &r.path),
            });
            let here = focused && i == self.row;
            let mut label_style = Style::default();
            if bad {
                label_style = label_style.patch(theme.error());
            }
            if here {
                label_style = label_style.patch(theme.selected());
            }
            let mark = if bad { "!" } else { " " };
            let label_rect = Rect::new(inner.x, y, label_w, h);
            // The mark (" " or "!") before the first line, a space before
            // the others.
            let label: Vec<Line> = wrap(&r.label, label_w.saturating_sub(1) as usize)
                .into_iter()
                .take(h as usize)
                .enumerate()
                .map(|(k, l)| Line::from(format!("{}{l}", if k == 0 { mark } else { " " })))
                .collect();
            f.render_widget(Paragraph::new(label).style(label_style), label_rect);
            let value_rect = Rect::new(inner.x + label_w + 1, y, value_w as u16, h);
            match (&self.text, r.kind) {
                (Some((k, tb)), RowKind::Text { .. }) if here && *k == r.key => {
                    draw_textbox(tb, theme, true, String::new(), f.buffer_mut(), value_rect);
                }
                (_, RowKind::Choice) => {
                    let style = if here {
                        theme.input().patch(theme.selected())
                    } else {
                        theme.input()
                    };
                    f.render_widget(
                        Paragraph::new(format!("‹ {} ›", r.value)).style(style),
                        value_rect,
                    );
                }
                (_, RowKind::Link | RowKind::Add) => {
                    let style = if here {
                        theme.selected()
                    } else {
                        Style::default()
                    };
                    f.render_widget(
                        Paragraph::new(fit(&r.value, value_w)).style(style),
                        value_rect,
                    );
                }
                _ => {
                    let lines: Vec<Line> = wrap(&crate::text::printable(&r.value, false), value_w)
                        .into_iter()
                        .take(h as usize)
                        .map(Line::raw)
                        .collect();
                    f.render_widget(Paragraph::new(lines).style(theme.input()), value_rect);
                }
            }
            y += h;
        }
    }

    fn draw_preview(&self, f: &mut Frame, area: Rect, p: &Preview) {
        let title = if p.showing_document {
            t!(
                " Xem trước: văn bản trống của {} (F8) · dòng {}/{} ",
                " Preview: the blank document of {} (F8) · line {}/{} ",
                p.unit_name,
                p.top + 1,
                p.document.len()
            )
        } else {
            t!(
                " Xem trước: màn hình của {} (F8) ",
                " Preview: the screen of {} (F8) ",
                p.unit_name
            )
        };
        let block = Block::bordered()
            .border_style(self.theme.focus_border())
            .title(Span::styled(title, self.theme.title()))
            .title_bottom(Line::from(format!(
                " {} ",
                keymap::hints(&[Context::OutlinePreview], &keymap::COLON)
            )));
        let inner = block.inner(area);
        f.render_widget(block, area);
        if p.showing_document {
            let lines: Vec<Line> = p
                .document
                .iter()
                .skip(p.top)
                .take(inner.height as usize)
                .map(|l| Line::raw(crate::text::printable(l, false)))
                .collect();
            f.render_widget(Paragraph::new(lines), inner);
            return;
        }
        let cx = DrawCx {
            ws: &p.ws,
            settings: self.settings,
            theme: self.theme,
            size: (inner.width, inner.height),
            form_in_front: true,
        };
        let answers = effective(&p.ws);
        fields::draw(f, &p.form, &cx, &answers, inner, &mut ViewState::default());
    }

    fn draw_prompt(&self, f: &mut Frame, area: Rect, p: &Prompt) {
        let title = match p.purpose {
            Creating::Sibling => tr(
                "Thêm mục (ngay sau mục đang chọn)",
                "Add an item (after the chosen one)",
            ),
            Creating::Child => tr("Thêm mục con", "Add a sub-item"),
            Creating::Field => tr("Thêm trường", "Add a field"),
            Creating::Column(_) => tr("Thêm cột", "Add a column"),
            Creating::Unit => tr("Thêm cấp báo cáo", "Add a unit type"),
        };
        let ask = match p.purpose {
            Creating::Sibling | Creating::Child => tr("Tên mục:", "Title:"),
            Creating::Field | Creating::Column(_) => tr("Nhãn:", "Label:"),
            Creating::Unit => tr("Tên cấp (ví dụ: Tỉnh ủy):", "Name (e.g. Tỉnh ủy):"),
        };
        let r = centered(area, 64, 7);
        f.render_widget(Clear, r);
        let block = Block::bordered()
            .border_style(self.theme.focus_border())
            .title(format!(" {title} "));
        let inner = block.inner(r);
        f.render_widget(block, r);
        let [l1, l2, l3, l4] = Layout::vertical([Constraint::Length(1); 4]).areas(inner);
        f.render_widget(Paragraph::new(ask), l1);
        draw_textbox(
            &p.text,
            &self.theme,
            true,
            String::new(),
            f.buffer_mut(),
            l2,
        );
        if p.error {
            f.render_widget(
                Paragraph::new(tr("Hãy gõ tên trước khi tạo.", "Type a name first."))
                    .style(self.theme.error()),
                l3,
            );
        } else {
            f.render_widget(
                Paragraph::new(tr(
                    "Mã được tạo một lần từ tên này, không đổi khi sửa tên.",
                    "The id is made once from it and stays when it is renamed.",
                ))
                .style(self.theme.dim()),
                l3,
            );
        }
        f.render_widget(
            Paragraph::new(keymap::hints(&[Context::OutlinePrompt], &keymap::COLON))
                .style(self.theme.dim()),
            l4,
        );
    }

    fn draw_confirm(&self, f: &mut Frame, area: Rect, d: &Deleting) {
        let item = self.item();
        let text = match d {
            Deleting::Item(p) => {
                let it = edit::item(&self.outline, p);
                let under = it.map_or(0, |i| {
                    fn count(i: &Item) -> usize {
                        i.items.iter().map(|c| 1 + count(c)).sum()
                    }
                    count(i)
                });
                let name = it
                    .map(|i| format!("{} {}", i.marker, i.title))
                    .unwrap_or_default();
                if under > 0 {
                    t!(
                        "Xóa mục «{}» và {} mục con của nó?",
                        "Delete the item «{}» and its {} sub-items?",
                        name.trim(),
                        under
                    )
                } else {
                    t!("Xóa mục «{}»?", "Delete the item «{}»?", name.trim())
                }
            }
            Deleting::Bullet(i) => t!("Xóa ý hướng dẫn {}?", "Delete bullet {}?", i + 1),
            Deleting::Field(i) => t!(
                "Xóa trường «{}»?",
                "Delete the field «{}»?",
                item.and_then(|it| it.fields.get(*i))
                    .map(|f| f.label.as_str())
                    .unwrap_or("")
            ),
            Deleting::Column(fi, c) => t!(
                "Xóa cột «{}»?",
                "Delete the column «{}»?",
                item.and_then(|it| it.fields.get(*fi))
                    .and_then(|f| f.columns.get(*c))
                    .map(|c| c.label.as_str())
                    .unwrap_or("")
            ),
            Deleting::Unit(u) => t!(
                "Xóa cấp «{}»? Các cấp báo cáo cho nó sẽ báo cáo lên cấp trên của nó.",
                "Delete the unit type «{}»? Types that report to it will report to its superior.",
                self.outline
                    .plan
                    .unit_types
                    .get(*u)
                    .map(|u| u.name.as_str())
                    .unwrap_or("")
            ),
        };
        let lines = wrap(&crate::text::printable(&text, false), 56);
        let r = centered(area, 60, lines.len() as u16 + 4);
        f.render_widget(Clear, r);
        let mut body: Vec<Line> = lines.into_iter().map(Line::raw).collect();
        body.push(Line::raw(""));
        body.push(Line::styled(
            keymap::choice_hints(Context::OutlineConfirm),
            self.theme.title(),
        ));
        f.render_widget(
            Paragraph::new(body).wrap(Wrap { trim: false }).block(
                Block::bordered()
                    .border_style(self.theme.focus_border())
                    .title(format!(" {} ", tr("Xóa?", "Delete?"))),
            ),
            r,
        );
    }

    fn draw_help(&self, f: &mut Frame, area: Rect, contexts: &[Context], top: u16) {
        let lines: Vec<Line> = keymap::help_lines(contexts)
            .into_iter()
            .map(|(k, d)| {
                let pad = 17usize.max(k.width() + 1) - k.width();
                Line::from(vec![
                    Span::styled(format!("{k}{}", " ".repeat(pad)), self.theme.title()),
                    Span::raw(d),
                ])
            })
            .chain([
                Line::raw(""),
                Line::styled(
                    t!(
                        "Lưu bằng {}; khi còn lỗi, {} lưu bản nháp riêng. {} để đóng.",
                        "{} saves; while errors remain, {} saves a draft aside. {} closes.",
                        keymap::key_of_in(Context::OutlineEditor, Action::Save),
                        keymap::key_of_in(Context::OutlineEditor, Action::SaveDraft),
                        keymap::key_of_in(Context::Help, Action::Close)
                    ),
                    self.theme.dim(),
                ),
            ])
            .collect();
        let r = centered(area, 76, lines.len() as u16 + 2);
        f.render_widget(Clear, r);
        let visible = r.height.saturating_sub(2);
        let top = top.min((lines.len() as u16).saturating_sub(visible));
        let block = Block::bordered()
            .title(format!(" {} ", tr("Phím tắt", "Keys")))
            .border_style(self.theme.focus_border());
        f.render_widget(Paragraph::new(lines).block(block).scroll((top, 0)), r);
    }
}

/// Whether JSON path `p` is `base` or inside it.
fn is_under(p: &str, base: &str) -> bool {
    p == base
        || p.strip_prefix(base)
            .is_some_and(|rest| rest.starts_with('.') || rest.starts_with('['))
}
