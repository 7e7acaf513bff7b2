//! Every key the program answers, in one table: the key, where it applies
//! (a [`Context`]), what it does (an [`Action`]) and its help in Vietnamese
//! and English. Dispatch, the key bar, F1 help and the key hints on the
//! screens are all made from the table: what the help says is what the
//! keys do, and it shows only the keys that work where the user is.
//!
//! Typing into a text box (letters, Backspace, Delete, ← →, Home and End
//! inside the text) is the text box's own; every other key is here.

use crate::i18n::{is_en, tr};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use unicode_width::UnicodeWidthStr;

/// Where a key applies. The screen in front says which contexts are in
/// force, most specific first; [`Context::Everywhere`] comes last.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    /// Wherever the user is, once a report is open.
    Everywhere,
    /// The form is in front (a field or the outline tree has the keyboard).
    Form,
    /// The form, at a unit that has or expects children.
    FormParent,
    /// A field of the form has the keyboard.
    Field,
    /// A field at a unit that has or expects children.
    FieldParent,
    /// A text box has the keyboard: a text or number field, a table cell
    /// being edited, a folder, the search.
    Text,
    /// A field with a fixed list of options.
    Choice,
    /// A table field, no cell being edited.
    Table,
    /// A table cell being edited.
    TableCell,
    /// The children's answers are shown beside the field (F4).
    Review,
    /// The outline tree has the keyboard (F3).
    Tree,
    /// The search box (Ctrl+F).
    Search,
    /// The list of keys (F1).
    Help,
    /// "Delete the row?"
    ConfirmDelete,
    /// "The report is approved; editing makes it a draft again?"
    ConfirmReopen,
    /// "The pasted text looks like TCVN3/VNI: convert it?"
    LegacyPaste,
    /// The collective's approval, or back to a draft (Ctrl+D).
    Approval,
    /// The report's backups (Ctrl+B).
    Backups,
    /// The print dialog (Ctrl+P), its folder not yet written to.
    Print,
    /// The document printed, LibreOffice there to make a PDF of it.
    Printed,
    /// "Restore the copy saved at …?"
    ConfirmRestore,
    /// The import screen (F6), not busy taking packages in.
    Import,
    /// Its folder box has the keyboard.
    ImportFolder,
    /// Its delivery day box has the keyboard.
    ImportDate,
    /// Its list of files has the keyboard.
    ImportList,
    /// The list's cursor is on a folder (or the one above).
    ImportSubfolder,
    /// What the import did, shown once it is done.
    ImportLog,
    /// The export dialog (F5) before the package is written.
    Export,
    /// The export dialog once the package is written.
    Exported,
    /// Who has sent (F7).
    Submissions,
    /// Its folder box for printing the list to chase.
    SubmissionsPrint,
    /// The document preview (F8).
    Preview,
    /// The first-run setup, before a report exists.
    Setup,
    /// The outline editor (`baocao outline edit`), wherever it is.
    OutlineEditor,
    /// Its item tree has the keyboard.
    OutlineTree,
    /// A list of rows to edit has the keyboard: an item, a field, a
    /// column, the plan, a unit type.
    OutlineRows,
    /// The row in focus is a choice (a kind, a roll-up, yes or no).
    OutlineChoice,
    /// The form a commune will see, for the item in the tree (F8).
    OutlinePreview,
    /// "Title of the new item:" and the like.
    OutlinePrompt,
    /// "Delete …?"
    OutlineConfirm,
}

impl Context {
    pub const ALL: [Context; 40] = [
        Context::Everywhere,
        Context::Form,
        Context::FormParent,
        Context::Field,
        Context::FieldParent,
        Context::Text,
        Context::Choice,
        Context::Table,
        Context::TableCell,
        Context::Review,
        Context::Tree,
        Context::Search,
        Context::Help,
        Context::ConfirmDelete,
        Context::ConfirmReopen,
        Context::LegacyPaste,
        Context::Approval,
        Context::Backups,
        Context::ConfirmRestore,
        Context::Print,
        Context::Printed,
        Context::Import,
        Context::ImportFolder,
        Context::ImportDate,
        Context::ImportList,
        Context::ImportSubfolder,
        Context::ImportLog,
        Context::Export,
        Context::Exported,
        Context::Submissions,
        Context::SubmissionsPrint,
        Context::Preview,
        Context::Setup,
        Context::OutlineEditor,
        Context::OutlineTree,
        Context::OutlineRows,
        Context::OutlineChoice,
        Context::OutlinePreview,
        Context::OutlinePrompt,
        Context::OutlineConfirm,
    ];
}

/// What a key does. The screen in front carries it out; the
/// [`Context::Everywhere`] ones are the app's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    // Everywhere.
    Help,
    Quit,
    Save,
    InputMethod,
    // The form.
    NextItem,
    PrevItem,
    NextUnanswered,
    ToggleTree,
    OpenExport,
    OpenPreview,
    OpenApproval,
    OpenBackups,
    OpenPrint,
    OpenSearch,
    ToggleReview,
    OpenImport,
    OpenSubmissions,
    // A field.
    NextField,
    PrevField,
    FieldEnter,
    FieldUp,
    FieldDown,
    ClearNotice,
    ConvertLegacy,
    UseAggregate,
    ReviewPrev,
    ReviewNext,
    ReviewScrollUp,
    ReviewScrollDown,
    ReviewSentencePrev,
    ReviewSentenceNext,
    ReviewExtend,
    ReviewOpen,
    ReviewBack,
    CopyChildText,
    // A text box.
    Undo,
    Redo,
    DeleteWord,
    // A choice.
    NextOption,
    PrevOption,
    ClearChoice,
    // A table.
    EditCell,
    AddRow,
    DeleteRow,
    RestoreRow,
    KeepCell,
    CancelCell,
    // Moving in lists, tables, the tree, the preview.
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    /// Go to what is selected (the tree, the search).
    Go,
    Close,
    Yes,
    No,
    // The import screen.
    SwitchFocus,
    ReadFolder,
    OpenFolder,
    FolderUp,
    Choose,
    ImportChosen,
    // The export dialog.
    ExportNow,
    // The approval dialog.
    ApproveNow,
    RestoreBackup,
    MakePdf,
    // Who has sent (F7).
    AcceptUnit,
    SortList,
    FilterList,
    PrintList,
    WriteList,
    // The first-run setup.
    SetupNext,
    SetupPrev,
    SetupEnter,
    Create,
    // The outline editor.
    SaveDraft,
    OpenPlan,
    AddItem,
    AddChild,
    DeleteItem,
    MoveUp,
    MoveDown,
    Indent,
    Outdent,
    Renumber,
}

/// Which language shows a key in the help (both languages accept it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shown {
    Always,
    Vi,
    En,
    Never,
}

/// A key as the table writes it. Letters match either case; Shift is
/// ignored (Shift+Tab arrives as BackTab); Ctrl and Alt must match.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
    pub shown: Shown,
}

const fn key(code: KeyCode) -> Key {
    Key {
        code,
        mods: KeyModifiers::NONE,
        shown: Shown::Always,
    }
}

const fn ch(c: char) -> Key {
    key(KeyCode::Char(c))
}

const fn ctrl(c: char) -> Key {
    Key {
        mods: KeyModifiers::CONTROL,
        ..ch(c)
    }
}

const fn f(n: u8) -> Key {
    key(KeyCode::F(n))
}

const fn alt(code: KeyCode) -> Key {
    Key {
        mods: KeyModifiers::ALT,
        ..key(code)
    }
}

const TAB: Key = key(KeyCode::Tab);
const BACKTAB: Key = key(KeyCode::BackTab);
const ENTER: Key = key(KeyCode::Enter);
const ESC: Key = key(KeyCode::Esc);
const UP: Key = key(KeyCode::Up);
const DOWN: Key = key(KeyCode::Down);
const LEFT: Key = key(KeyCode::Left);
const RIGHT: Key = key(KeyCode::Right);
const HOME: Key = key(KeyCode::Home);
const END: Key = key(KeyCode::End);
const PGUP: Key = key(KeyCode::PageUp);
const PGDN: Key = key(KeyCode::PageDown);
const INSERT: Key = key(KeyCode::Insert);
const DELETE: Key = key(KeyCode::Delete);
const BACKSPACE: Key = key(KeyCode::Backspace);
const SPACE: Key = ch(' ');

impl Key {
    const fn vi(self) -> Key {
        Key {
            shown: Shown::Vi,
            ..self
        }
    }
    const fn en(self) -> Key {
        Key {
            shown: Shown::En,
            ..self
        }
    }
    const fn hidden(self) -> Key {
        Key {
            shown: Shown::Never,
            ..self
        }
    }
    const fn with(self, mods: KeyModifiers) -> Key {
        Key { mods, ..self }
    }

    pub fn matches(&self, ev: &KeyEvent) -> bool {
        let held = ev.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        if held != self.mods {
            return false;
        }
        match (self.code, ev.code) {
            (KeyCode::Char(a), KeyCode::Char(b)) => a == b || a.eq_ignore_ascii_case(&b),
            (a, b) => a == b,
        }
    }

    /// The key event this key stands for (for tests and the help).
    pub fn event(&self) -> KeyEvent {
        KeyEvent::new(self.code, self.mods)
    }

    fn visible(&self) -> bool {
        match self.shown {
            Shown::Always => true,
            Shown::Vi => !is_en(),
            Shown::En => is_en(),
            Shown::Never => false,
        }
    }

    /// "Ctrl+G", "F1", "PgDn", "↑"…
    pub fn label(&self) -> String {
        let mut s = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            s.push_str("Ctrl+");
        }
        if self.mods.contains(KeyModifiers::ALT) {
            s.push_str("Alt+");
        }
        match self.code {
            KeyCode::F(n) => s.push_str(&format!("F{n}")),
            KeyCode::Char(' ') => s.push_str(tr("Cách", "Space")),
            KeyCode::Char(c) => s.extend(c.to_uppercase()),
            KeyCode::Enter => s.push_str("Enter"),
            KeyCode::Esc => s.push_str("Esc"),
            KeyCode::Tab => s.push_str("Tab"),
            KeyCode::BackTab => s.push_str("Shift+Tab"),
            KeyCode::Up => s.push('↑'),
            KeyCode::Down => s.push('↓'),
            KeyCode::Left => s.push('←'),
            KeyCode::Right => s.push('→'),
            KeyCode::PageUp => s.push_str("PgUp"),
            KeyCode::PageDown => s.push_str("PgDn"),
            KeyCode::Home => s.push_str("Home"),
            KeyCode::End => s.push_str("End"),
            KeyCode::Insert => s.push_str("Insert"),
            KeyCode::Delete => s.push_str("Delete"),
            KeyCode::Backspace => s.push_str("Backspace"),
            other => s.push_str(&format!("{other:?}")),
        }
        s
    }

    fn bare_arrow(&self) -> bool {
        self.mods.is_empty()
            && matches!(
                self.code,
                KeyCode::Up | KeyCode::Down | KeyCode::Left | KeyCode::Right
            )
    }
}

/// One row of the table.
pub struct Binding {
    pub keys: &'static [Key],
    pub context: Context,
    pub action: Action,
    /// The line in F1 help: (Vietnamese, English). Rows next to each other
    /// with the same help share a line ("Tab / Shift+Tab").
    pub help: (&'static str, &'static str),
    /// A short label for the key bar and the hints on screens.
    pub label: Option<(&'static str, &'static str)>,
    /// In the key bar: `None` not there, `Some(0)` always, otherwise the
    /// lowest goes first when the bar is too narrow.
    pub bar: Option<u8>,
}

const fn row(
    keys: &'static [Key],
    context: Context,
    action: Action,
    help: (&'static str, &'static str),
) -> Binding {
    Binding {
        keys,
        context,
        action,
        help,
        label: None,
        bar: None,
    }
}

impl Binding {
    const fn label(self, vi: &'static str, en: &'static str) -> Binding {
        Binding {
            label: Some((vi, en)),
            ..self
        }
    }
    const fn bar(self, keep: u8) -> Binding {
        Binding {
            bar: Some(keep),
            ..self
        }
    }

    pub fn help_text(&self) -> &'static str {
        tr(self.help.0, self.help.1)
    }

    pub fn label_text(&self) -> Option<&'static str> {
        self.label.map(|(vi, en)| tr(vi, en))
    }

    /// The keys shown for this row, in the current language.
    pub fn shown_keys(&self) -> impl Iterator<Item = &Key> {
        self.keys.iter().filter(|k| k.visible())
    }
}

use Action as A;
use Context as C;

/// The table, in the order the help reads.
pub static TABLE: &[Binding] = &[
    // ---- the form
    row(
        &[TAB],
        C::Field,
        A::NextField,
        ("Ô kế tiếp / ô trước", "Next / previous field"),
    )
    .label("ô kế", "next field")
    .bar(4),
    row(
        &[BACKTAB],
        C::Field,
        A::PrevField,
        ("Ô kế tiếp / ô trước", "Next / previous field"),
    ),
    row(
        &[PGDN],
        C::Form,
        A::NextItem,
        ("Mục kế tiếp / mục trước", "Next / previous item"),
    )
    .label("mục kế", "next item")
    .bar(5),
    row(
        &[PGUP],
        C::Form,
        A::PrevItem,
        ("Mục kế tiếp / mục trước", "Next / previous item"),
    ),
    row(
        &[ctrl('g')],
        C::Form,
        A::NextUnanswered,
        ("Đến mục còn chưa trả lời", "Next unanswered item"),
    )
    .label("mục chưa làm", "unanswered")
    .bar(2),
    row(
        &[f(3)],
        C::Form,
        A::ToggleTree,
        ("Mở / đóng mục lục", "Open / close the outline tree"),
    )
    .label("mục lục", "outline")
    .bar(1),
    row(
        &[UP],
        C::Tree,
        A::Up,
        ("Mục lục: chọn mục", "Outline: pick an item"),
    ),
    row(
        &[DOWN],
        C::Tree,
        A::Down,
        ("Mục lục: chọn mục", "Outline: pick an item"),
    ),
    row(
        &[HOME],
        C::Tree,
        A::Home,
        ("Mục lục: mục đầu / mục cuối", "Outline: first / last item"),
    ),
    row(
        &[END],
        C::Tree,
        A::End,
        ("Mục lục: mục đầu / mục cuối", "Outline: first / last item"),
    ),
    row(
        &[ENTER],
        C::Tree,
        A::Go,
        ("Mục lục: đến mục đã chọn", "Outline: go to the chosen item"),
    )
    .label("đến mục", "go there")
    .bar(3),
    row(
        &[ESC],
        C::Tree,
        A::Close,
        ("Mục lục: trở lại ô đang nhập", "Outline: back to the field"),
    ),
    row(
        &[ENTER],
        C::Field,
        A::FieldEnter,
        (
            "Xuống dòng trong ô văn bản; ô số: sang ô kế",
            "New line in text; in a number: next field",
        ),
    ),
    row(
        &[UP],
        C::Field,
        A::FieldUp,
        (
            "Dòng trên / dưới; ở đầu, cuối ô: ô trước / ô kế",
            "Line up / down; at either end: previous / next field",
        ),
    ),
    row(
        &[DOWN],
        C::Field,
        A::FieldDown,
        (
            "Dòng trên / dưới; ở đầu, cuối ô: ô trước / ô kế",
            "Line up / down; at either end: previous / next field",
        ),
    ),
    row(
        &[ctrl('z')],
        C::Text,
        A::Undo,
        ("Hoàn tác / làm lại", "Undo / redo"),
    ),
    row(
        &[ctrl('y')],
        C::Text,
        A::Redo,
        ("Hoàn tác / làm lại", "Undo / redo"),
    ),
    row(
        &[
            ctrl('w'),
            BACKSPACE.with(KeyModifiers::CONTROL).hidden(),
            BACKSPACE.with(KeyModifiers::ALT).hidden(),
        ],
        C::Text,
        A::DeleteWord,
        (
            "Xóa từ đứng trước con trỏ",
            "Delete the word before the cursor",
        ),
    ),
    row(
        &[RIGHT, SPACE],
        C::Choice,
        A::NextOption,
        ("Chọn phương án kế tiếp", "Next option"),
    ),
    row(
        &[LEFT],
        C::Choice,
        A::PrevOption,
        ("Chọn phương án trước", "Previous option"),
    ),
    row(
        &[DELETE, BACKSPACE],
        C::Choice,
        A::ClearChoice,
        ("Bỏ chọn", "Clear the choice"),
    ),
    row(
        &[UP],
        C::Table,
        A::Up,
        ("Bảng: chọn ô", "Table: pick a cell"),
    )
    .label("chọn ô", "pick a cell"),
    row(
        &[DOWN],
        C::Table,
        A::Down,
        ("Bảng: chọn ô", "Table: pick a cell"),
    )
    .label("chọn ô", "pick a cell"),
    row(
        &[LEFT],
        C::Table,
        A::Left,
        ("Bảng: chọn ô", "Table: pick a cell"),
    )
    .label("chọn ô", "pick a cell"),
    row(
        &[RIGHT],
        C::Table,
        A::Right,
        ("Bảng: chọn ô", "Table: pick a cell"),
    )
    .label("chọn ô", "pick a cell"),
    row(
        &[HOME],
        C::Table,
        A::Home,
        ("Bảng: cột đầu / cột cuối", "Table: first / last column"),
    ),
    row(
        &[END],
        C::Table,
        A::End,
        ("Bảng: cột đầu / cột cuối", "Table: first / last column"),
    ),
    row(
        &[ENTER],
        C::Table,
        A::EditCell,
        (
            "Bảng: sửa ô đang chọn (bảng trống: thêm dòng)",
            "Table: edit the cell (an empty table: add a row)",
        ),
    )
    .label("sửa ô", "edit"),
    row(
        &[INSERT, ctrl('n')],
        C::Table,
        A::AddRow,
        ("Bảng: thêm dòng", "Table: add a row"),
    )
    .label("thêm dòng", "add a row"),
    row(
        &[DELETE],
        C::Table,
        A::DeleteRow,
        (
            "Bảng: xóa dòng (có hỏi lại)",
            "Table: delete the row (asks first)",
        ),
    )
    .label("xóa dòng", "delete the row"),
    row(
        &[ctrl('z')],
        C::Table,
        A::RestoreRow,
        (
            "Bảng: lấy lại dòng vừa xóa",
            "Table: bring back the row just deleted",
        ),
    ),
    row(
        &[ENTER],
        C::TableCell,
        A::KeepCell,
        (
            "Bảng: lưu ô và sang ô kế",
            "Table: keep the cell, go to the next",
        ),
    )
    .label("lưu ô và sang ô kế", "keep and go to the next cell"),
    row(
        &[ESC],
        C::TableCell,
        A::CancelCell,
        ("Bảng: bỏ sửa ô", "Table: cancel the edit"),
    )
    .label("bỏ sửa", "cancel"),
    row(
        &[ESC],
        C::Field,
        A::ClearNotice,
        (
            "Tắt thông báo ở dòng cuối",
            "Clear the notice on the bottom line",
        ),
    ),
    row(
        &[f(9)],
        C::Field,
        A::ConvertLegacy,
        (
            "Chuyển chữ mã TCVN3/VNI trong ô sang Unicode",
            "Convert TCVN3/VNI text in the field to Unicode",
        ),
    ),
    // ---- at a parent unit
    row(
        &[f(4)],
        C::FormParent,
        A::ToggleReview,
        (
            "Cấp trên: xem bài của cấp dưới cho ô này",
            "Parent: the answers from below for this field",
        ),
    ),
    row(
        &[alt(KeyCode::Up)],
        C::Review,
        A::ReviewPrev,
        ("Chọn đơn vị cấp dưới", "Pick a unit from below"),
    )
    .label("chọn đơn vị", "pick a unit"),
    row(
        &[alt(KeyCode::Down)],
        C::Review,
        A::ReviewNext,
        ("Chọn đơn vị cấp dưới", "Pick a unit from below"),
    )
    .label("chọn đơn vị", "pick a unit"),
    row(
        &[alt(KeyCode::PageUp)],
        C::Review,
        A::ReviewScrollUp,
        (
            "Cuộn bài của đơn vị đã chọn",
            "Scroll the chosen unit's answer",
        ),
    )
    .label("cuộn bài", "scroll"),
    row(
        &[alt(KeyCode::PageDown)],
        C::Review,
        A::ReviewScrollDown,
        (
            "Cuộn bài của đơn vị đã chọn",
            "Scroll the chosen unit's answer",
        ),
    )
    .label("cuộn bài", "scroll"),
    row(
        &[alt(KeyCode::Left)],
        C::Review,
        A::ReviewSentencePrev,
        (
            "Chọn câu trước / câu sau (để chép riêng câu đó)",
            "Choose the previous / next sentence (to copy it)",
        ),
    )
    .label("chọn câu", "pick a sentence"),
    row(
        &[alt(KeyCode::Right)],
        C::Review,
        A::ReviewSentenceNext,
        (
            "Chọn câu trước / câu sau (để chép riêng câu đó)",
            "Choose the previous / next sentence (to copy it)",
        ),
    )
    .label("chọn câu", "pick a sentence"),
    row(
        &[alt(KeyCode::Char('m'))],
        C::Review,
        A::ReviewExtend,
        (
            "Mở rộng phần chọn thêm câu sau",
            "Extend the choice by the next sentence",
        ),
    )
    .label("thêm câu", "one more"),
    row(
        &[ctrl('t')],
        C::Review,
        A::CopyChildText,
        (
            "Chép bài hoặc các câu đã chọn (kèm tên đơn vị)",
            "Copy its text or the chosen sentences, with its name",
        ),
    )
    .label("chép vào bài của mình", "copy into own answer"),
    row(
        &[alt(KeyCode::Char('o'))],
        C::Review,
        A::ReviewOpen,
        (
            "Mở đơn vị: bài các đơn vị trong gói (xã của huyện)",
            "Open the unit: the units in its package (communes)",
        ),
    )
    .label("mở", "open"),
    row(
        &[alt(KeyCode::Char('q'))],
        C::Review,
        A::ReviewBack,
        ("Trở lại danh sách cấp trên", "Back to the list above"),
    )
    .label("trở lại", "back"),
    row(
        &[ctrl('r')],
        C::FieldParent,
        A::UseAggregate,
        (
            "Bỏ số sửa tay, dùng số tổng hợp cấp dưới",
            "Drop the own figure, use the merged one",
        ),
    )
    .label("dùng số tổng hợp", "use the merged figure"),
    // ---- the screens the form opens
    row(
        &[f(5)],
        C::Form,
        A::OpenExport,
        (
            "Xuất gói gửi cấp trên (vào USB)",
            "Export the package upward (to USB)",
        ),
    ),
    row(
        &[f(8)],
        C::Form,
        A::OpenPreview,
        ("Xem trước văn bản báo cáo", "Preview the report document"),
    ),
    row(
        &[ctrl('d')],
        C::Form,
        A::OpenApproval,
        (
            "Thông qua tập thể (báo cáo chính thức) / trở lại dự thảo",
            "Approve (final report) / back to a draft",
        ),
    )
    .label("thông qua", "approve")
    .bar(7),
    row(
        &[ctrl('p')],
        C::Form,
        A::OpenPrint,
        (
            "In văn bản: ghi tệp DOCX vào thư mục (USB)",
            "Print: write the DOCX into a folder (USB)",
        ),
    )
    .label("in", "print")
    .bar(6),
    row(
        &[ctrl('b')],
        C::Form,
        A::OpenBackups,
        (
            "Bản sao lưu: xem giờ lưu, khôi phục một bản",
            "Backups: see when saved, restore one",
        ),
    ),
    row(
        &[f(6)],
        C::FormParent,
        A::OpenImport,
        (
            "Nhận gói của cấp dưới (USB)",
            "Import packages from below (USB)",
        ),
    ),
    row(
        &[f(7)],
        C::FormParent,
        A::OpenSubmissions,
        (
            "Tình hình nộp: ai đã nộp, muộn, chưa nộp",
            "Submissions: who sent, late, missing",
        ),
    ),
    row(
        &[ctrl('f')],
        C::Form,
        A::OpenSearch,
        (
            "Tìm chữ, không cần dấu, cả bài cấp dưới",
            "Find text, accents optional, also from below",
        ),
    ),
    // ---- search (Ctrl+F)
    row(
        &[UP],
        C::Search,
        A::Up,
        ("Tìm: chọn kết quả", "Find: pick a hit"),
    )
    .label("chọn", "pick"),
    row(
        &[DOWN],
        C::Search,
        A::Down,
        ("Tìm: chọn kết quả", "Find: pick a hit"),
    )
    .label("chọn", "pick"),
    row(
        &[ENTER],
        C::Search,
        A::Go,
        ("Tìm: đến chỗ đã chọn", "Find: go to the hit"),
    )
    .label("đến đó", "go there"),
    row(&[ESC], C::Search, A::Close, ("Tìm: đóng", "Find: close"))
        .label("đóng", "close")
        .bar(0),
    // ---- help (F1)
    row(&[UP], C::Help, A::Up, ("Cuộn trợ giúp", "Scroll the help")).label("cuộn", "scroll"),
    row(
        &[DOWN],
        C::Help,
        A::Down,
        ("Cuộn trợ giúp", "Scroll the help"),
    )
    .label("cuộn", "scroll"),
    row(
        &[PGUP],
        C::Help,
        A::PageUp,
        ("Cuộn trợ giúp", "Scroll the help"),
    ),
    row(
        &[PGDN],
        C::Help,
        A::PageDown,
        ("Cuộn trợ giúp", "Scroll the help"),
    ),
    row(
        &[ESC, f(1), ENTER, ch('q')],
        C::Help,
        A::Close,
        ("Đóng trợ giúp", "Close the help"),
    )
    .label("đóng", "close")
    .bar(0),
    // ---- dialogs
    row(
        &[UP],
        C::Backups,
        A::Up,
        ("Chọn bản sao lưu", "Pick a backup"),
    )
    .label("chọn", "pick"),
    row(
        &[DOWN],
        C::Backups,
        A::Down,
        ("Chọn bản sao lưu", "Pick a backup"),
    )
    .label("chọn", "pick"),
    row(
        &[HOME],
        C::Backups,
        A::Home,
        ("Bản mới nhất / cũ nhất", "Newest / oldest"),
    ),
    row(
        &[END],
        C::Backups,
        A::End,
        ("Bản mới nhất / cũ nhất", "Newest / oldest"),
    ),
    row(
        &[ENTER],
        C::Backups,
        A::RestoreBackup,
        ("Khôi phục bản đã chọn", "Restore the chosen one"),
    )
    .label("khôi phục", "restore")
    .bar(0),
    row(&[ESC], C::Backups, A::Close, ("Đóng", "Close"))
        .label("đóng", "close")
        .bar(0),
    row(
        &[ENTER, ch('c').vi(), ch('y').en()],
        C::ConfirmRestore,
        A::Yes,
        ("Khôi phục", "Restore"),
    )
    .label("Có, khôi phục", "Yes, restore")
    .bar(0),
    row(
        &[ESC, ch('k').vi(), ch('n').en()],
        C::ConfirmRestore,
        A::No,
        ("Thôi", "Cancel"),
    )
    .label("Không", "No")
    .bar(0),
    row(
        &[ENTER, ch('c').vi(), ch('y').en()],
        C::ConfirmDelete,
        A::Yes,
        ("Xóa dòng", "Delete the row"),
    )
    .label("Có, xóa", "Yes, delete")
    .bar(0),
    row(
        &[ESC, ch('k').vi(), ch('n').en()],
        C::ConfirmDelete,
        A::No,
        ("Giữ lại dòng", "Keep the row"),
    )
    .label("Không", "No")
    .bar(0),
    row(
        &[ENTER, ch('c').vi(), ch('y').en()],
        C::ConfirmReopen,
        A::Yes,
        ("Trở lại dự thảo để sửa", "Make it a draft again to edit"),
    )
    .label("Có, chuyển về dự thảo", "Yes, back to draft")
    .bar(0),
    row(
        &[ESC, ch('k').vi(), ch('n').en()],
        C::ConfirmReopen,
        A::No,
        ("Giữ bản đã thông qua", "Keep the approved report"),
    )
    .label("Không", "No")
    .bar(0),
    row(
        &[ENTER, ch('c').vi(), ch('y').en()],
        C::LegacyPaste,
        A::Yes,
        (
            "Chuyển sang Unicode rồi dán",
            "Convert to Unicode, then paste",
        ),
    )
    .label("chuyển rồi dán", "convert and paste")
    .bar(0),
    row(
        &[ESC, ch('k').vi(), ch('n').en()],
        C::LegacyPaste,
        A::No,
        ("Dán nguyên như cũ", "Paste as it is"),
    )
    .label("dán nguyên như cũ", "paste as it is")
    .bar(0),
    // ---- import (F6)
    row(
        &[ENTER],
        C::ImportFolder,
        A::ReadFolder,
        (
            "Mở thư mục đã gõ, xem các gói trong đó",
            "Open the folder typed, see its packages",
        ),
    )
    .label("mở thư mục", "open the folder")
    .bar(2),
    row(
        &[DOWN],
        C::ImportFolder,
        A::Down,
        ("Xuống danh sách tệp", "Down to the list of files"),
    ),
    row(
        &[TAB, BACKTAB],
        C::ImportFolder,
        A::SwitchFocus,
        (
            "Sang ô ngày nhận thực tế (bản giấy, nộp muộn)",
            "To the delivery day (a paper or late delivery)",
        ),
    )
    .label("ô kế", "next box"),
    row(
        &[TAB, BACKTAB],
        C::ImportDate,
        A::SwitchFocus,
        (
            "Sang danh sách tệp (trống: về ô thư mục)",
            "To the list of files (empty: to the folder)",
        ),
    )
    .label("ô kế", "next box"),
    row(
        &[ENTER, RIGHT],
        C::ImportSubfolder,
        A::OpenFolder,
        ("Mở thư mục đang chọn", "Open the folder under the cursor"),
    )
    .label("mở thư mục", "open the folder")
    .bar(2),
    row(
        &[UP],
        C::ImportList,
        A::Up,
        ("Chọn thư mục, tệp trong danh sách", "Move in the list"),
    )
    .label("chọn", "move"),
    row(
        &[DOWN],
        C::ImportList,
        A::Down,
        ("Chọn thư mục, tệp trong danh sách", "Move in the list"),
    )
    .label("chọn", "move"),
    row(
        &[PGUP],
        C::ImportList,
        A::PageUp,
        ("Chọn thư mục, tệp trong danh sách", "Move in the list"),
    ),
    row(
        &[PGDN],
        C::ImportList,
        A::PageDown,
        ("Chọn thư mục, tệp trong danh sách", "Move in the list"),
    ),
    row(
        &[BACKSPACE, LEFT],
        C::ImportList,
        A::FolderUp,
        ("Lên thư mục chứa thư mục này", "Up to the folder above"),
    )
    .label("lên trên", "up"),
    row(
        &[SPACE],
        C::ImportList,
        A::Choose,
        ("Chọn / bỏ chọn tệp", "Choose / unchoose the file"),
    )
    .label("chọn/bỏ", "choose")
    .bar(1),
    row(
        &[ENTER],
        C::ImportList,
        A::ImportChosen,
        ("Nhận các gói đã chọn", "Import the chosen packages"),
    )
    .label("nhận các gói đã chọn", "import the chosen")
    .bar(2),
    row(
        &[TAB, BACKTAB],
        C::ImportList,
        A::SwitchFocus,
        ("Về ô thư mục", "Back to the folder box"),
    )
    .label("về ô thư mục", "to the folder box"),
    row(
        &[UP],
        C::ImportLog,
        A::Up,
        ("Cuộn kết quả nhận gói", "Scroll what the import did"),
    )
    .label("cuộn", "scroll"),
    row(
        &[DOWN],
        C::ImportLog,
        A::Down,
        ("Cuộn kết quả nhận gói", "Scroll what the import did"),
    )
    .label("cuộn", "scroll"),
    row(
        &[PGUP],
        C::ImportLog,
        A::PageUp,
        ("Cuộn kết quả nhận gói", "Scroll what the import did"),
    ),
    row(
        &[PGDN],
        C::ImportLog,
        A::PageDown,
        ("Cuộn kết quả nhận gói", "Scroll what the import did"),
    ),
    row(
        &[ENTER],
        C::ImportLog,
        A::Go,
        (
            "Về danh sách tệp trong thư mục",
            "Back to the folder's files",
        ),
    )
    .label("về danh sách", "back to the list")
    .bar(2),
    row(
        &[ESC],
        C::Import,
        A::Close,
        ("Quay lại bài báo cáo", "Back to the report"),
    )
    .label("quay lại", "back")
    .bar(0),
    // ---- export (F5)
    row(
        &[ENTER],
        C::Export,
        A::ExportNow,
        (
            "Ghi gói vào thư mục đã gõ",
            "Write the package into the folder",
        ),
    )
    .label("xuất", "export"),
    row(
        &[ESC],
        C::Export,
        A::Close,
        ("Thôi, quay lại", "Cancel, go back"),
    )
    .label("thôi", "cancel")
    .bar(0),
    row(
        &[ENTER, ESC],
        C::Exported,
        A::Close,
        ("Quay lại bài báo cáo", "Back to the report"),
    )
    .label("quay lại", "go back")
    .bar(0),
    // ---- print (Ctrl+P)
    row(
        &[ENTER],
        C::Print,
        A::ExportNow,
        (
            "Ghi văn bản (DOCX) vào thư mục đã gõ",
            "Write the document (DOCX) into the folder",
        ),
    )
    .label("ghi văn bản", "write"),
    row(
        &[ESC],
        C::Print,
        A::Close,
        ("Thôi, quay lại", "Cancel, go back"),
    )
    .label("thôi", "cancel")
    .bar(0),
    row(
        &[ENTER],
        C::Printed,
        A::MakePdf,
        (
            "Tạo thêm bản PDF bằng LibreOffice",
            "Also make a PDF with LibreOffice",
        ),
    )
    .label("tạo PDF", "make a PDF")
    .bar(0),
    row(
        &[ESC],
        C::Printed,
        A::Close,
        ("Quay lại bài báo cáo", "Back to the report"),
    )
    .label("quay lại", "go back")
    .bar(0),
    // ---- approval (Ctrl+D)
    row(
        &[ENTER],
        C::Approval,
        A::ApproveNow,
        (
            "Thông qua (hoặc trở lại dự thảo) với các ô đã ghi",
            "Approve (or go back to a draft) as written",
        ),
    )
    .label("xác nhận", "confirm"),
    row(
        &[TAB],
        C::Approval,
        A::NextField,
        ("Ô kế tiếp / ô trước", "Next / previous box"),
    )
    .label("ô kế", "next box"),
    row(
        &[BACKTAB],
        C::Approval,
        A::PrevField,
        ("Ô kế tiếp / ô trước", "Next / previous box"),
    ),
    row(
        &[ESC],
        C::Approval,
        A::Close,
        ("Thôi, quay lại", "Cancel, go back"),
    )
    .label("thôi", "cancel")
    .bar(0),
    // ---- submissions (F7)
    row(
        &[UP],
        C::Submissions,
        A::Up,
        ("Chọn đơn vị trong danh sách", "Move in the list"),
    ),
    row(
        &[DOWN],
        C::Submissions,
        A::Down,
        ("Chọn đơn vị trong danh sách", "Move in the list"),
    ),
    row(
        &[PGUP],
        C::Submissions,
        A::PageUp,
        ("Chọn đơn vị trong danh sách", "Move in the list"),
    ),
    row(
        &[PGDN],
        C::Submissions,
        A::PageDown,
        ("Chọn đơn vị trong danh sách", "Move in the list"),
    ),
    row(
        &[ch('s')],
        C::Submissions,
        A::SortList,
        (
            "Sắp xếp: theo tên, tình trạng, số ngày muộn",
            "Sort: by name, status, days late",
        ),
    )
    .label("sắp xếp", "sort")
    .bar(2),
    row(
        &[ch('l')],
        C::Submissions,
        A::FilterList,
        (
            "Lọc: chưa nộp, muộn, chờ xác nhận, chưa đủ, tất cả",
            "Filter: missing, late, pending, incomplete, all",
        ),
    )
    .label("lọc", "filter")
    .bar(2),
    row(
        &[ch('i'), ctrl('p')],
        C::Submissions,
        A::PrintList,
        (
            "In danh sách chưa nộp, nộp muộn (DOCX, CSV)",
            "Print who is missing or late (DOCX, CSV)",
        ),
    )
    .label("in danh sách", "print the list")
    .bar(3),
    row(
        &[ch('a')],
        C::Submissions,
        A::AcceptUnit,
        (
            "Nhận đơn vị chờ xác nhận vào số liệu",
            "Accept a unit awaiting confirmation",
        ),
    )
    .label("nhận đơn vị", "accept unit"),
    row(
        &[ESC, ENTER],
        C::Submissions,
        A::Close,
        ("Quay lại bài báo cáo", "Back to the report"),
    )
    .label("quay lại", "back")
    .bar(0),
    row(
        &[ENTER],
        C::SubmissionsPrint,
        A::WriteList,
        (
            "Ghi danh sách vào thư mục đã gõ",
            "Write the list into the folder typed",
        ),
    )
    .label("ghi", "write")
    .bar(1),
    row(
        &[ESC],
        C::SubmissionsPrint,
        A::Close,
        ("Thôi, về danh sách", "Cancel, back to the list"),
    )
    .label("thôi", "cancel")
    .bar(0),
    // ---- preview (F8)
    row(
        &[UP, ch('k').hidden()],
        C::Preview,
        A::Up,
        ("Cuộn văn bản", "Scroll the document"),
    )
    .label("cuộn", "scroll"),
    row(
        &[DOWN, ch('j').hidden()],
        C::Preview,
        A::Down,
        ("Cuộn văn bản", "Scroll the document"),
    )
    .label("cuộn", "scroll"),
    row(
        &[PGUP],
        C::Preview,
        A::PageUp,
        ("Cuộn văn bản", "Scroll the document"),
    )
    .label("cuộn", "scroll"),
    row(
        &[PGDN, SPACE.hidden()],
        C::Preview,
        A::PageDown,
        ("Cuộn văn bản", "Scroll the document"),
    )
    .label("cuộn", "scroll"),
    row(
        &[HOME],
        C::Preview,
        A::Home,
        ("Cuộn văn bản", "Scroll the document"),
    )
    .label("cuộn", "scroll"),
    row(
        &[END],
        C::Preview,
        A::End,
        ("Cuộn văn bản", "Scroll the document"),
    )
    .label("cuộn", "scroll"),
    row(
        &[ESC, f(8), ch('q').hidden()],
        C::Preview,
        A::Close,
        ("Quay lại bài báo cáo", "Back to the report"),
    )
    .label("quay lại", "back")
    .bar(0),
    // ---- first-run setup
    row(&[TAB], C::Setup, A::SetupNext, ("Ô kế", "Next box")).label("ô kế", "next"),
    row(
        &[BACKTAB],
        C::Setup,
        A::SetupPrev,
        ("Ô trước", "Previous box"),
    ),
    row(
        &[ENTER],
        C::Setup,
        A::SetupEnter,
        (
            "Tiếp; ở nút Tạo: tạo báo cáo",
            "Continue; on the button: create",
        ),
    )
    .label("tiếp", "continue"),
    row(
        &[UP],
        C::Setup,
        A::Up,
        (
            "Chọn loại đơn vị; ở các ô: ô trước",
            "Pick the unit type; in the boxes: previous",
        ),
    ),
    row(
        &[DOWN],
        C::Setup,
        A::Down,
        (
            "Chọn loại đơn vị; ở các ô: ô kế",
            "Pick the unit type; in the boxes: next",
        ),
    ),
    row(
        &[ctrl('s')],
        C::Setup,
        A::Create,
        ("Tạo báo cáo", "Create the report"),
    )
    .label("tạo", "create"),
    row(
        &[ctrl('q'), ctrl('c').hidden()],
        C::Setup,
        A::Quit,
        ("Thoát", "Quit"),
    )
    .label("thoát", "quit"),
    // ---- the outline editor (baocao outline edit)
    row(
        &[UP],
        C::OutlineTree,
        A::Up,
        ("Cây đề cương: chọn mục", "Outline tree: pick an item"),
    ),
    row(
        &[DOWN],
        C::OutlineTree,
        A::Down,
        ("Cây đề cương: chọn mục", "Outline tree: pick an item"),
    ),
    row(
        &[HOME],
        C::OutlineTree,
        A::Home,
        ("Cây đề cương: đầu / cuối", "Outline tree: first / last"),
    ),
    row(
        &[END],
        C::OutlineTree,
        A::End,
        ("Cây đề cương: đầu / cuối", "Outline tree: first / last"),
    ),
    row(
        &[ENTER, TAB],
        C::OutlineTree,
        A::Go,
        ("Sửa mục đã chọn", "Edit the chosen item"),
    )
    .label("sửa", "edit")
    .bar(5),
    row(
        &[INSERT, ctrl('n')],
        C::OutlineTree,
        A::AddItem,
        (
            "Thêm mục ngang hàng, ngay sau",
            "Add an item after this one",
        ),
    )
    .label("thêm mục", "add item")
    .bar(4),
    row(
        &[ctrl('o')],
        C::OutlineTree,
        A::AddChild,
        (
            "Thêm mục con (cuối mục này)",
            "Add a sub-item (last under this)",
        ),
    )
    .label("mục con", "sub-item")
    .bar(3),
    row(
        &[DELETE],
        C::OutlineTree,
        A::DeleteItem,
        ("Xóa mục (hỏi lại trước)", "Delete the item (asks first)"),
    )
    .label("xóa", "delete")
    .bar(1),
    row(
        &[alt(KeyCode::Up)],
        C::OutlineTree,
        A::MoveUp,
        ("Chuyển mục lên / xuống", "Move the item up / down"),
    )
    .label("chuyển", "move")
    .bar(2),
    row(
        &[alt(KeyCode::Down)],
        C::OutlineTree,
        A::MoveDown,
        ("Chuyển mục lên / xuống", "Move the item up / down"),
    )
    .label("chuyển", "move")
    .bar(2),
    row(
        &[alt(KeyCode::Right)],
        C::OutlineTree,
        A::Indent,
        (
            "Lùi vào (thành mục con của mục trên)",
            "Indent (under the item above)",
        ),
    ),
    row(
        &[alt(KeyCode::Left)],
        C::OutlineTree,
        A::Outdent,
        ("Lùi ra (ra ngang mục cha)", "Outdent (beside its parent)"),
    ),
    row(
        &[ctrl('r')],
        C::OutlineTree,
        A::Renumber,
        (
            "Đánh số lại như đề cương 2014 (A-, I., 1-, a)",
            "Renumber as in 2014 (A-, I., 1-, a)",
        ),
    ),
    row(
        &[TAB, DOWN],
        C::OutlineRows,
        A::NextField,
        ("Dòng kế tiếp / dòng trước", "Next / previous row"),
    )
    .label("dòng kế", "next row")
    .bar(3),
    row(
        &[BACKTAB, UP],
        C::OutlineRows,
        A::PrevField,
        ("Dòng kế tiếp / dòng trước", "Next / previous row"),
    ),
    row(
        &[ENTER],
        C::OutlineRows,
        A::Go,
        (
            "Mở dòng (trường, cột, cấp) hoặc sang dòng kế",
            "Open the row (field, column, unit) or next row",
        ),
    )
    .label("mở", "open")
    .bar(4),
    row(
        &[INSERT, ctrl('n')],
        C::OutlineRows,
        A::AddRow,
        (
            "Thêm ý hướng dẫn, trường, cột hoặc cấp",
            "Add a bullet, field, column or unit type",
        ),
    )
    .label("thêm", "add")
    .bar(2),
    row(
        &[alt(KeyCode::Up)],
        C::OutlineRows,
        A::MoveUp,
        (
            "Chuyển ý, trường, cột, cấp lên / xuống",
            "Move a bullet, field, column, unit type up / down",
        ),
    ),
    row(
        &[alt(KeyCode::Down)],
        C::OutlineRows,
        A::MoveDown,
        (
            "Chuyển ý, trường, cột, cấp lên / xuống",
            "Move a bullet, field, column, unit type up / down",
        ),
    ),
    row(
        &[ctrl('k')],
        C::OutlineRows,
        A::DeleteRow,
        (
            "Xóa dòng này (hỏi lại trước)",
            "Delete this row (asks first)",
        ),
    )
    .label("xóa dòng", "delete row")
    .bar(1),
    row(
        &[ESC],
        C::OutlineRows,
        A::Close,
        ("Trở lại (về cây đề cương)", "Back (to the outline tree)"),
    )
    .label("trở lại", "back")
    .bar(5),
    row(
        &[RIGHT, SPACE],
        C::OutlineChoice,
        A::NextOption,
        ("Chọn giá trị kế tiếp / trước", "Next / previous value"),
    )
    .label("đổi", "change")
    .bar(5),
    row(
        &[LEFT],
        C::OutlineChoice,
        A::PrevOption,
        ("Chọn giá trị kế tiếp / trước", "Next / previous value"),
    ),
    row(
        &[TAB],
        C::OutlinePreview,
        A::SwitchFocus,
        (
            "Màn hình của xã / văn bản trống",
            "The commune's screen / the blank document",
        ),
    )
    .label("văn bản", "document")
    .bar(3),
    row(
        &[UP],
        C::OutlinePreview,
        A::Up,
        ("Văn bản trống: cuộn", "Blank document: scroll"),
    ),
    row(
        &[DOWN],
        C::OutlinePreview,
        A::Down,
        ("Văn bản trống: cuộn", "Blank document: scroll"),
    ),
    row(
        &[PGDN],
        C::OutlinePreview,
        A::NextItem,
        (
            "Mục kế tiếp / trước (văn bản: cuộn trang)",
            "Next / previous item (document: a page)",
        ),
    )
    .label("mục kế", "next item")
    .bar(2),
    row(
        &[PGUP],
        C::OutlinePreview,
        A::PrevItem,
        (
            "Mục kế tiếp / trước (văn bản: cuộn trang)",
            "Next / previous item (document: a page)",
        ),
    ),
    row(
        &[ESC, f(8)],
        C::OutlinePreview,
        A::Close,
        ("Quay lại soạn đề cương", "Back to editing the outline"),
    )
    .label("quay lại", "back")
    .bar(0),
    row(
        &[ENTER],
        C::OutlinePrompt,
        A::Go,
        ("Tạo với tên đã gõ", "Create with the name typed"),
    )
    .label("tạo", "create"),
    row(
        &[ESC],
        C::OutlinePrompt,
        A::Close,
        ("Thôi, không tạo", "Cancel"),
    )
    .label("thôi", "cancel"),
    row(
        &[ENTER, ch('c').vi(), ch('y').en()],
        C::OutlineConfirm,
        A::Yes,
        ("Có, xóa", "Yes, delete"),
    )
    .label("Có, xóa", "Yes, delete"),
    row(
        &[ESC, ch('k').vi(), ch('n').en()],
        C::OutlineConfirm,
        A::No,
        ("Không xóa", "Do not delete"),
    )
    .label("Không", "No"),
    row(
        &[f(4)],
        C::OutlineEditor,
        A::OpenPlan,
        (
            "Kế hoạch: các cấp, báo cáo cho ai, thời hạn",
            "The plan: unit types, who reports to whom, deadlines",
        ),
    )
    .label("kế hoạch", "plan")
    .bar(2),
    row(
        &[f(8)],
        C::OutlineEditor,
        A::OpenPreview,
        (
            "Xem trước màn hình xã sẽ thấy",
            "Preview the screen a commune will see",
        ),
    )
    .label("xem trước", "preview")
    .bar(2),
    row(
        &[ctrl('z')],
        C::OutlineEditor,
        A::Undo,
        ("Hoàn tác / làm lại thay đổi", "Undo / redo a change"),
    )
    .label("hoàn tác", "undo")
    .bar(1),
    row(
        &[ctrl('y')],
        C::OutlineEditor,
        A::Redo,
        ("Hoàn tác / làm lại thay đổi", "Undo / redo a change"),
    ),
    row(
        &[f(2)],
        C::OutlineEditor,
        A::InputMethod,
        (
            "Kiểu gõ: Telex → VNI → tắt",
            "Input method: Telex → VNI → off",
        ),
    ),
    row(
        &[ctrl('s')],
        C::OutlineEditor,
        A::Save,
        (
            "Lưu đề cương (khi không còn lỗi)",
            "Save the outline (once it has no errors)",
        ),
    )
    .label("lưu", "save")
    .bar(3),
    row(
        &[ctrl('d')],
        C::OutlineEditor,
        A::SaveDraft,
        (
            "Lưu bản nháp riêng (.draft.json), dù còn lỗi",
            "Save a draft aside (.draft.json), errors and all",
        ),
    )
    .label("lưu nháp", "draft")
    .bar(1),
    row(
        &[ctrl('q'), ctrl('c')],
        C::OutlineEditor,
        A::Quit,
        (
            "Thoát (hỏi lại khi chưa lưu)",
            "Quit (asks again when unsaved)",
        ),
    )
    .label("thoát", "quit")
    .bar(0),
    row(
        &[f(1)],
        C::OutlineEditor,
        A::Help,
        ("Trợ giúp này", "This help"),
    )
    .label("trợ giúp", "help")
    .bar(0),
    // ---- everywhere
    row(
        &[f(2)],
        C::Everywhere,
        A::InputMethod,
        (
            "Kiểu gõ: Telex → VNI → tắt (sau Unikey: về Telex)",
            "Input method: Telex → VNI → off (or back from Unikey)",
        ),
    ),
    row(
        &[ctrl('s')],
        C::Everywhere,
        A::Save,
        ("Lưu ngay", "Save now"),
    )
    .label("lưu", "save")
    .bar(3),
    row(
        &[ctrl('q'), ctrl('c')],
        C::Everywhere,
        A::Quit,
        ("Lưu và thoát", "Save and quit"),
    )
    .label("thoát", "quit")
    .bar(0),
    row(
        &[f(1)],
        C::Everywhere,
        A::Help,
        ("Trợ giúp này", "This help"),
    )
    .label("trợ giúp", "help")
    .bar(0),
];

/// Lines of help that are not keys, with the context they belong to.
static MOUSE: &[(Context, (&str, &str))] = &[
    (
        C::Form,
        (
            "Bấm vào mục hoặc ô; cuộn bánh xe",
            "Click an item or field; wheel scrolls",
        ),
    ),
    (
        C::Preview,
        ("Cuộn bánh xe để cuộn văn bản", "The wheel scrolls"),
    ),
];

/// The binding a key reaches in these contexts (most specific first), and
/// the context it belongs to.
pub fn lookup(contexts: &[Context], key: &KeyEvent) -> Option<&'static Binding> {
    contexts.iter().find_map(|c| {
        TABLE
            .iter()
            .find(|b| b.context == *c && b.keys.iter().any(|k| k.matches(key)))
    })
}

/// The keys of `b` that reach it in these contexts (none when another
/// binding takes them first).
fn reachable_keys<'a>(
    b: &'a Binding,
    contexts: &'a [Context],
) -> impl Iterator<Item = &'a Key> + 'a {
    b.shown_keys()
        .filter(move |k| lookup(contexts, &k.event()).is_some_and(|hit| std::ptr::eq(hit, b)))
}

/// Joins the labels of keys: bare arrows run together ("↑↓"), the four
/// of them are "Mũi tên"; others are joined with `sep`.
fn join_keys(keys: &[&Key], sep: &str) -> String {
    if keys.len() == 4 && keys.iter().all(|k| k.bare_arrow()) {
        return tr("Mũi tên", "Arrows").to_string();
    }
    let mut out = String::new();
    let mut last_arrow = false;
    for (i, k) in keys.iter().enumerate() {
        let arrow = k.bare_arrow();
        if i > 0 && !(arrow && last_arrow) {
            out.push_str(sep);
        }
        out.push_str(&k.label());
        last_arrow = arrow;
    }
    out
}

/// F1: (keys, what they do) for every binding in force here, in table
/// order; rows with the same help share a line. Then the mouse.
pub fn help_lines(contexts: &[Context]) -> Vec<(String, String)> {
    let mut lines: Vec<(Vec<&Key>, &str)> = Vec::new();
    let mut last_context = None;
    for b in TABLE.iter().filter(|b| contexts.contains(&b.context)) {
        let keys: Vec<&Key> = reachable_keys(b, contexts).collect();
        if keys.is_empty() {
            continue;
        }
        match lines.last_mut() {
            Some((k, text)) if *text == b.help_text() && last_context == Some(b.context) => {
                k.extend(keys)
            }
            _ => lines.push((keys, b.help_text())),
        }
        last_context = Some(b.context);
    }
    let mut out: Vec<(String, String)> = lines
        .into_iter()
        .map(|(keys, text)| (join_keys(&keys, " / "), text.to_string()))
        .collect();
    for (c, (vi, en)) in MOUSE {
        if contexts.contains(c) {
            out.push((tr("Chuột", "Mouse").to_string(), tr(vi, en).to_string()));
        }
    }
    out
}

/// The bottom key bar: (key, label) for the bindings in force here that
/// are marked for it, the help first and the saving ones last; hints are
/// dropped, least used first, until the rest fit in `width`.
pub fn bar(contexts: &[Context], width: usize) -> Vec<(String, String)> {
    let mut hints: Vec<(u8, u8, String, String)> = Vec::new();
    for b in TABLE.iter().filter(|b| contexts.contains(&b.context)) {
        let (Some(keep), Some(label)) = (b.bar, b.label_text()) else {
            continue;
        };
        let Some(k) = reachable_keys(b, contexts).next() else {
            continue;
        };
        let place = match (b.action, b.context) {
            (A::Help, _) => 0,
            (_, C::Everywhere) => 2,
            _ => 1,
        };
        hints.push((place, keep, k.label(), capitalized(label)));
    }
    hints.sort_by_key(|h| h.0);
    let cost = |h: &[(u8, u8, String, String)]| {
        h.iter()
            .map(|(_, _, k, l)| k.width() + l.width() + 3)
            .sum::<usize>()
    };
    while cost(&hints) > width {
        let drop = hints
            .iter()
            .enumerate()
            .filter(|(_, h)| h.1 > 0)
            .min_by_key(|(i, h)| (h.1, usize::MAX - i))
            .map(|(i, _)| i);
        match drop {
            Some(i) => {
                hints.remove(i);
            }
            None => break,
        }
    }
    hints.into_iter().map(|(_, _, k, l)| (k, l)).collect()
}

fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// How a line of key hints on a screen is written.
pub struct HintStyle {
    /// Between the keys of one binding ("Insert/Ctrl+N").
    pub alternatives: &'static str,
    /// Between bindings that share a label ("↑↓ PgUp PgDn").
    pub together: &'static str,
    /// Between the keys and the label.
    pub colon: &'static str,
    /// Between hints.
    pub sep: &'static str,
}

/// "Tab: ô kế · Enter: tiếp"
pub const COLON: HintStyle = HintStyle {
    alternatives: "/",
    together: "/",
    colon: ": ",
    sep: " · ",
};

/// "↑↓ chọn · Enter đến đó"
pub const SPACED: HintStyle = HintStyle {
    alternatives: "/",
    together: "/",
    colon: " ",
    sep: " · ",
};

/// "↑↓ PgUp PgDn Home End: cuộn · Esc/F8: quay lại"
pub const RUN: HintStyle = HintStyle {
    alternatives: "/",
    together: " ",
    colon: ": ",
    sep: " · ",
};

/// The hints of the bindings with a label in these contexts, one line.
pub fn hints(contexts: &[Context], style: &HintStyle) -> String {
    hints_where(contexts, style, |_| true)
}

/// The same for some actions only.
pub fn hints_of(contexts: &[Context], actions: &[Action], style: &HintStyle) -> String {
    hints_where(contexts, style, |b| actions.contains(&b.action))
}

fn hints_where(contexts: &[Context], style: &HintStyle, keep: impl Fn(&Binding) -> bool) -> String {
    let mut groups: Vec<(Vec<Vec<&Key>>, &str)> = Vec::new();
    let mut last_context = None;
    for b in TABLE
        .iter()
        .filter(|b| contexts.contains(&b.context) && keep(b))
    {
        let Some(label) = b.label_text() else {
            continue;
        };
        let keys: Vec<&Key> = b.shown_keys().collect();
        if keys.is_empty() {
            continue;
        }
        match groups.last_mut() {
            Some((parts, l)) if *l == label && last_context == Some(b.context) => parts.push(keys),
            _ => groups.push((vec![keys], label)),
        }
        last_context = Some(b.context);
    }
    groups
        .into_iter()
        .map(|(parts, label)| format!("{}{}{label}", group_keys(&parts, style), style.colon))
        .collect::<Vec<_>>()
        .join(style.sep)
}

/// The keys of bindings that share a label: single arrows run together.
fn group_keys(parts: &[Vec<&Key>], style: &HintStyle) -> String {
    let all: Vec<&Key> = parts.iter().flatten().copied().collect();
    if all.len() == 4 && all.iter().all(|k| k.bare_arrow()) {
        return join_keys(&all, "");
    }
    let mut out = String::new();
    let mut last_arrow = false;
    for (i, part) in parts.iter().enumerate() {
        let arrow = part.len() == 1 && part[0].bare_arrow();
        if i > 0 && !(arrow && last_arrow) {
            out.push_str(style.together);
        }
        out.push_str(&join_keys(part, style.alternatives));
        last_arrow = arrow;
    }
    out
}

/// The confirm dialogs' line: "Enter hoặc C: Có, xóa    Esc hoặc K: Không".
pub fn choice_hints(context: Context) -> String {
    let or = tr(" hoặc ", " or ");
    TABLE
        .iter()
        .filter(|b| b.context == context)
        .filter_map(|b| {
            let label = b.label_text()?;
            let keys: Vec<&Key> = b.shown_keys().collect();
            Some(format!("{}: {label}", join_keys(&keys, or)))
        })
        .collect::<Vec<_>>()
        .join("    ")
}

/// The shown keys of `action` in `context`, joined with `sep`: for
/// messages that name a key ("Insert hoặc Ctrl+N để thêm").
pub fn keys(context: Context, action: Action, sep: &str) -> String {
    TABLE
        .iter()
        .find(|b| b.context == context && b.action == action)
        .map(|b| join_keys(&b.shown_keys().collect::<Vec<_>>(), sep))
        .unwrap_or_default()
}

/// The first key of `action` in `context`.
pub fn key_of_in(context: Context, action: Action) -> String {
    keys(context, action, "\u{0}")
        .split('\u{0}')
        .next()
        .unwrap_or_default()
        .to_string()
}

/// The first key of `action` anywhere: "F6" for the import.
pub fn key_of(action: Action) -> String {
    TABLE
        .iter()
        .find(|b| b.action == action)
        .and_then(|b| b.shown_keys().next())
        .map(Key::label)
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_binding_has_a_key_twice_in_one_context() {
        for c in Context::ALL {
            let rows: Vec<&Binding> = TABLE.iter().filter(|b| b.context == c).collect();
            for (i, a) in rows.iter().enumerate() {
                for b in &rows[i + 1..] {
                    for k in a.keys {
                        assert!(
                            !b.keys.iter().any(|x| x.matches(&k.event())),
                            "{c:?}: {} is bound to {:?} and {:?}",
                            k.label(),
                            a.action,
                            b.action
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn every_help_line_fits_the_help_box() {
        // The box is 76 wide, 74 inside: the keys take 17 columns (more
        // when they are longer, see dialogs::help), then the text.
        for lang in [crate::i18n::Lang::Vi, crate::i18n::Lang::En] {
            crate::i18n::set_thread_lang(Some(lang));
            for c in Context::ALL {
                for (keys, text) in help_lines(&[c]) {
                    let width = 17.max(keys.width() + 1) + text.width();
                    assert!(width <= 74, "too wide for F1: {keys} {text}");
                }
            }
        }
        crate::i18n::set_thread_lang(None);
    }

    #[test]
    fn hints_read_as_they_did() {
        crate::i18n::set_thread_lang(Some(crate::i18n::Lang::Vi));
        assert_eq!(
            hints(&[C::Table], &COLON),
            "Mũi tên: chọn ô · Enter: sửa ô · Insert/Ctrl+N: thêm dòng · Delete: xóa dòng"
        );
        assert_eq!(
            hints(&[C::Setup], &COLON),
            "Tab: ô kế · Enter: tiếp · Ctrl+S: tạo · Ctrl+Q: thoát"
        );
        assert_eq!(
            hints(&[C::Search], &SPACED),
            "↑↓ chọn · Enter đến đó · Esc đóng"
        );
        assert_eq!(
            choice_hints(C::ConfirmDelete),
            "Enter hoặc C: Có, xóa    Esc hoặc K: Không"
        );
        assert_eq!(
            hints(&[C::Preview], &RUN),
            "↑↓ PgUp PgDn Home End: cuộn · Esc/F8: quay lại"
        );
        crate::i18n::set_thread_lang(Some(crate::i18n::Lang::En));
        assert_eq!(
            choice_hints(C::ConfirmDelete),
            "Enter or Y: Yes, delete    Esc or N: No"
        );
        crate::i18n::set_thread_lang(None);
    }
}
