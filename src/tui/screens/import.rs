//! F6: take in the packages on a USB stick. Starts on the stick, lists a
//! folder's sub-folders (to go into, and up) and its package files, each
//! with what importing it would do and why, worked out by the import's own
//! code in order (a later file judged against the earlier chosen ones:
//! r1 then r2 of one unit are new, then newer; one file twice is new,
//! then a duplicate), and the total. Refused files are shown with their
//! whole reason and never touched. Looking for the stick, reading a
//! folder and taking the packages in are jobs: the screen shows how far
//! they are and takes keys meanwhile. Once done, what happened to each
//! file and the total are shown, to scroll through.

use crate::package::EXTENSION;
use crate::t;
use crate::text::printable;
use crate::tui::component::{Cmd, Component, Cx, DrawCx, Reply, ViewState};
use crate::tui::draw::{draw_textbox, input_rect};
use crate::tui::jobs::{Done, JobId, JobMsg, Jobs, Judged, Listing};
use crate::tui::keymap::{self, Action, Context};
use crate::tui::theme::Theme;
use crate::tui::widgets::textbox::TextBox;
use crate::tui::widgets::wrap::wrap;
use crate::workspace::{Outcome, Tally, Workspace};
use ratatui::Frame;
use ratatui::crossterm::event::KeyEvent;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// What has the keyboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    Folder,
    Date,
    List,
}

/// A line of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entry {
    /// The folder above.
    Up,
    Folder(usize),
    File(usize),
}

pub struct ImportScreen {
    pub dir: TextBox,
    /// What the folder shown holds.
    pub listing: Listing,
    /// Per file of the listing.
    pub chosen: Vec<bool>,
    /// Over [`ImportScreen::entries`].
    pub cursor: usize,
    pub focus: Focus,
    /// The day the packages were actually delivered (a paper or late
    /// delivery), dd/mm/yyyy; empty: as each was exported.
    pub received_on: TextBox,
    /// A problem to tell (a folder that cannot be read, a bad day).
    pub note: Option<String>,
    /// What the last import did, one entry per file, then its total;
    /// shown over the list until the user goes back to it.
    pub log: Option<(Vec<String>, Tally)>,
    pub log_scroll: usize,
    /// The job running for this screen, if any.
    pub busy: Option<Busy>,
    /// The folder box was typed in: a USB stick found later does not
    /// replace what was typed.
    typed: bool,
    /// Going up: the folder left, for the cursor to land on.
    came_from: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Looking for a USB stick.
    Usb,
    /// Reading a folder and judging its files; `to_list`: the list takes
    /// the keyboard after; `keep`: the files chosen stay chosen.
    Scan { to_list: bool, keep: bool },
    /// Taking the chosen packages in.
    Import,
}

#[derive(Debug, Clone, Copy)]
pub struct Busy {
    pub id: JobId,
    pub stage: Stage,
    pub done: usize,
    pub total: usize,
}

impl ImportScreen {
    /// Opens on the current folder and looks for a USB stick to start in
    /// instead (as the export screen does); then reads the folder.
    /// Opens on the report's folder and looks for a USB stick to start
    /// on instead.
    pub fn open(ws: &Workspace, jobs: &mut Jobs) -> ImportScreen {
        let here = ws.folder();
        ImportScreen {
            dir: TextBox::new(&here.display().to_string(), false),
            listing: Listing::default(),
            chosen: Vec::new(),
            cursor: 0,
            focus: Focus::Folder,
            received_on: TextBox::new("", false),
            note: None,
            log: None,
            log_scroll: 0,
            busy: Some(Busy {
                id: jobs.usb(),
                stage: Stage::Usb,
                done: 0,
                total: 0,
            }),
            typed: false,
            came_from: None,
        }
    }

    /// The job whose result this screen waits for.
    pub fn awaits(&self) -> Option<JobId> {
        self.busy.map(|b| b.id)
    }

    /// The files of the folder shown, with what importing each would do.
    pub fn files(&self) -> &[Judged] {
        &self.listing.files
    }

    /// The lines of the list: the folder above, the sub-folders, the files.
    pub fn entries(&self) -> Vec<Entry> {
        let up = self
            .listing
            .dir
            .parent()
            .is_some_and(|p| !p.as_os_str().is_empty());
        up.then_some(Entry::Up)
            .into_iter()
            .chain((0..self.listing.folders.len()).map(Entry::Folder))
            .chain((0..self.listing.files.len()).map(Entry::File))
            .collect()
    }

    fn at_cursor(&self) -> Option<Entry> {
        self.entries().get(self.cursor).copied()
    }

    /// What importing the chosen files would come to.
    pub fn tally(&self) -> Tally {
        let mut t = Tally::default();
        for (f, c) in self.listing.files.iter().zip(&self.chosen) {
            t.add(f.outcome, *c, false);
        }
        t
    }

    fn start(&mut self, jobs: &mut Jobs, id: JobId, stage: Stage) {
        if let Some(old) = self.busy.take() {
            jobs.cancel(old.id);
        }
        self.busy = Some(Busy {
            id,
            stage,
            done: 0,
            total: 0,
        });
    }

    /// Reads the folder typed and judges its files; `keep`: with the files
    /// chosen as they are (else every file that changes anything).
    fn scan(&mut self, cx: &mut Cx, to_list: bool, keep: bool) {
        let dir = PathBuf::from(self.dir.text().trim());
        let take = keep.then(|| {
            self.listing
                .files
                .iter()
                .zip(&self.chosen)
                .filter(|(_, c)| **c)
                .map(|(f, _)| f.path.clone())
                .collect::<HashSet<_>>()
        });
        let id = cx.jobs.scan(dir, take, cx.ws);
        self.start(cx.jobs, id, Stage::Scan { to_list, keep });
    }

    /// Goes to another folder: shown, read and judged.
    fn go_to(&mut self, dir: &Path, cx: &mut Cx) {
        self.dir.set_text(&dir.display().to_string());
        self.typed = true;
        self.note = None;
        self.scan(cx, true, false);
    }

    /// Imports the files of the folder, in order, the chosen ones taken in
    /// and the others judged and left out; then reads the folder anew.
    fn import(&mut self, cx: &mut Cx) {
        let typed = self.received_on.text();
        let delivered_on = match typed.trim() {
            "" => None,
            d => match crate::workspace::delivery_day(d, chrono::Local::now().date_naive()) {
                Ok(day) => Some(day),
                Err(e) => {
                    self.note = Some(e.to_string());
                    self.focus = Focus::Date;
                    return;
                }
            },
        };
        let will_change = self
            .listing
            .files
            .iter()
            .zip(&self.chosen)
            .any(|(f, c)| *c && f.outcome.changes());
        if !will_change {
            self.note = Some(t!(
                "Chưa chọn tệp nào có thể nhận ({} để chọn).",
                "No file that can be taken is chosen ({} chooses).",
                keymap::key_of_in(Context::ImportList, Action::Choose)
            ));
            return;
        }
        let paths: Vec<PathBuf> = self.listing.files.iter().map(|f| f.path.clone()).collect();
        let total = paths.len();
        self.note = None;
        let id = cx
            .jobs
            .import(paths, self.chosen.clone(), delivered_on, cx.ws);
        self.start(cx.jobs, id, Stage::Import);
        if let Some(busy) = &mut self.busy {
            busy.total = total;
        }
    }

    /// A job of this screen reported. The workspace with the packages
    /// taken in has already been taken by the app (see `App::job`).
    pub fn job(&mut self, msg: JobMsg, cx: &mut Cx) -> Reply {
        let Some(busy) = &mut self.busy else {
            return Reply::ignored();
        };
        let stage = busy.stage;
        match msg {
            JobMsg::Progress { done, total } => {
                busy.done = done;
                busy.total = total;
                return Reply::done();
            }
            JobMsg::Done(done) => {
                self.busy = None;
                match done {
                    Done::Usb(found) => {
                        if let (Some(usb), false) = (found, self.typed) {
                            self.dir.set_text(&usb.display().to_string());
                        }
                        self.scan(cx, false, false);
                    }
                    Done::Scanned(result) => self.scanned(result, stage),
                    Done::Imported(Ok(imported)) => {
                        let imported = *imported;
                        self.log = Some((imported.log, imported.tally));
                        self.log_scroll = 0;
                        // What the folder's files would do now.
                        self.scan(cx, self.focus == Focus::List, false);
                    }
                    Done::Imported(Err(e)) => self.note = Some(e),
                    _ => {}
                }
            }
        }
        Reply::done()
    }

    fn scanned(&mut self, result: Result<Listing, String>, stage: Stage) {
        let Stage::Scan { to_list, keep } = stage else {
            return;
        };
        let listing = match result {
            Ok(listing) => listing,
            Err(e) => {
                self.note = Some(e);
                if !keep {
                    self.focus = Focus::Folder;
                }
                return;
            }
        };
        let same = listing.dir == self.listing.dir;
        if !same {
            self.dir.set_text(&listing.dir.display().to_string());
        }
        if !keep {
            self.chosen = listing.files.iter().map(|f| f.outcome.changes()).collect();
        } else {
            let was: HashSet<&PathBuf> = self
                .listing
                .files
                .iter()
                .zip(&self.chosen)
                .filter(|(_, c)| **c)
                .map(|(f, _)| &f.path)
                .collect();
            self.chosen = listing
                .files
                .iter()
                .map(|f| was.contains(&f.path) && f.outcome.changes())
                .collect();
        }
        self.listing = listing;
        if !(keep && same) {
            // A new folder starts on its first file (else its first line);
            // going up, on the folder left.
            let entries = self.entries();
            let left = self.came_from.take();
            let back = entries.iter().position(|e| {
                matches!(e, Entry::Folder(i) if Some(&self.listing.folders[*i]) == left.as_ref())
            });
            let first_file = entries.iter().position(|e| matches!(e, Entry::File(_)));
            self.cursor = back.or(first_file).unwrap_or(0);
        }
        self.cursor = self.cursor.min(self.entries().len().saturating_sub(1));
        if self.listing.files.is_empty() && self.listing.folders.is_empty() {
            self.note = Some(t!(
                "Không có tệp .{EXTENSION} nào trong thư mục này.",
                "There is no .{EXTENSION} file in this folder."
            ));
        }
        if to_list && !self.entries().is_empty() {
            self.focus = Focus::List;
        }
    }

    /// The text box with the keyboard (the folder's when the list has it).
    fn box_in_front(&mut self) -> &mut TextBox {
        if self.focus == Focus::Date {
            &mut self.received_on
        } else {
            self.typed = true;
            &mut self.dir
        }
    }

    fn importing(&self) -> bool {
        matches!(
            self.busy,
            Some(Busy {
                stage: Stage::Import,
                ..
            })
        )
    }

    fn scanning(&self) -> bool {
        matches!(
            self.busy,
            Some(Busy {
                stage: Stage::Usb | Stage::Scan { .. },
                ..
            })
        )
    }

    /// The line that says how far the job is.
    fn progress_line(&self, width: u16, theme: &Theme) -> Option<Line<'static>> {
        let busy = self.busy?;
        let (what, counts) = match busy.stage {
            Stage::Usb => (t!("Đang tìm ổ USB…", "Looking for a USB stick…"), false),
            Stage::Scan { .. } if busy.total == 0 => {
                (t!("Đang đọc thư mục…", "Reading the folder…"), false)
            }
            Stage::Scan { .. } => (
                t!(
                    "Đang kiểm tra {}/{} gói",
                    "Checking {}/{} packages",
                    busy.done,
                    busy.total
                ),
                true,
            ),
            Stage::Import => (
                t!(
                    "Đang nhận {}/{} gói",
                    "Taking in {}/{} packages",
                    busy.done,
                    busy.total
                ),
                true,
            ),
        };
        let mut spans = vec![Span::styled(what.clone(), theme.title())];
        let room = (width as usize)
            .saturating_sub(unicode_width::UnicodeWidthStr::width(what.as_str()) + 2);
        if counts && busy.total > 0 && room >= 10 {
            let cells = room.min(40);
            let full = busy.done.min(busy.total) * cells / busy.total;
            spans.push(Span::raw("  "));
            spans.push(Span::styled("█".repeat(full), theme.ok()));
            spans.push(Span::styled("░".repeat(cells - full), theme.dim()));
        }
        Some(Line::from(spans))
    }

    /// The lines of one entry of the list at `width`: a file's name and
    /// verdict, then what it does and why, in full.
    fn entry_lines(&self, e: Entry, width: usize) -> Vec<String> {
        match e {
            Entry::Up => vec![t!("  ↑ .. (thư mục trên)", "  ↑ .. (folder above)")],
            Entry::Folder(i) => {
                let name = self.listing.folders[i]
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                vec![format!("  ▸ {}/", printable(&name, false))]
            }
            Entry::File(i) => {
                let f = &self.listing.files[i];
                let mark = if self.chosen[i] {
                    "[x]"
                } else if f.outcome.changes() {
                    "[ ]"
                } else if f.outcome == Outcome::Duplicate {
                    " = "
                } else {
                    " ✗ "
                };
                let name = f
                    .path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let label = f.outcome.label(crate::i18n::lang());
                let mut lines = wrap(
                    &format!("{mark} {} — {label}", printable(&name, false)),
                    width,
                );
                lines.extend(
                    wrap(
                        &printable(&f.message, false),
                        width.saturating_sub(4).max(8),
                    )
                    .into_iter()
                    .map(|l| format!("    {l}")),
                );
                lines
            }
        }
    }

    fn entry_style(&self, e: Entry, theme: &Theme) -> Style {
        match e {
            Entry::Up | Entry::Folder(_) => theme.title(),
            Entry::File(i) => match self.listing.files[i].outcome {
                Outcome::Duplicate => theme.dim(),
                o if o.changes() => Style::default(),
                _ => theme.error(),
            },
        }
    }

    /// The log of the last import at `width` (its total stays in sight
    /// below it).
    fn log_lines(&self, width: usize) -> Vec<String> {
        let Some((log, _)) = &self.log else {
            return Vec::new();
        };
        let mut out: Vec<String> = Vec::new();
        for l in log {
            out.extend(wrap(&printable(l, false), width));
        }
        if log.is_empty() {
            out.push(t!("Không có tệp nào.", "No file."));
        }
        out
    }

    fn move_cursor(&mut self, by: isize) {
        let n = self.entries().len();
        if n == 0 {
            return;
        }
        self.cursor = (self.cursor as isize + by).clamp(0, n as isize - 1) as usize;
    }

    /// Rows the list has on screen, about (for PgUp/PgDn).
    fn page(cx: &Cx) -> isize {
        (cx.size.1 as isize - 12).max(3) / 2
    }
}

impl Component for ImportScreen {
    type Cx<'a> = Cx<'a>;
    type DrawCx<'a> = DrawCx<'a>;

    fn contexts(&self, _: &DrawCx) -> Vec<Context> {
        if self.importing() {
            // Nothing to do but wait (or get help, or quit: which waits).
            return Vec::new();
        }
        if self.log.is_some() {
            return vec![Context::ImportLog, Context::Import];
        }
        match self.focus {
            Focus::Date => vec![Context::ImportDate, Context::Text, Context::Import],
            Focus::Folder => vec![Context::ImportFolder, Context::Text, Context::Import],
            // The list is being read again: its keys wait for it.
            Focus::List if self.scanning() => vec![Context::Import],
            Focus::List => match self.at_cursor() {
                Some(Entry::Up | Entry::Folder(_)) => vec![
                    Context::ImportSubfolder,
                    Context::ImportList,
                    Context::Import,
                ],
                _ => vec![Context::ImportList, Context::Import],
            },
        }
    }

    fn act(&mut self, action: Action, _key: KeyEvent, cx: &mut Cx) -> Reply {
        if self.log.is_some() {
            let lines = self.log_lines(cx.size.0.saturating_sub(2) as usize).len();
            let last = lines.saturating_sub(1);
            match action {
                Action::Close => return Reply::cmd(Cmd::Close),
                Action::Up => self.log_scroll = self.log_scroll.saturating_sub(1),
                Action::Down => self.log_scroll = (self.log_scroll + 1).min(last),
                Action::PageUp => {
                    self.log_scroll = self.log_scroll.saturating_sub(Self::page(cx) as usize)
                }
                Action::PageDown => {
                    self.log_scroll = (self.log_scroll + Self::page(cx) as usize).min(last)
                }
                Action::Go => self.log = None,
                _ => return Reply::ignored(),
            }
            return Reply::done();
        }
        match action {
            Action::Close => return Reply::cmd(Cmd::Close),
            // The folder, the delivery day, the list (when it has lines),
            // round: Shift+Tab as Tab, as the help says.
            Action::SwitchFocus => {
                let list = !self.entries().is_empty();
                self.focus = match self.focus {
                    Focus::Folder => Focus::Date,
                    Focus::Date if list => Focus::List,
                    Focus::Date | Focus::List => Focus::Folder,
                };
            }
            Action::ReadFolder => {
                self.note = None;
                self.scan(cx, true, false);
            }
            Action::Up => {
                self.note = None;
                self.move_cursor(-1)
            }
            // From the folder box, ↓ goes down to the list (where ↓ moves).
            Action::Down if self.focus != Focus::List => {
                if !self.entries().is_empty() {
                    self.focus = Focus::List;
                }
            }
            Action::Down => {
                self.note = None;
                self.move_cursor(1)
            }
            Action::PageUp => self.move_cursor(-Self::page(cx)),
            Action::PageDown => self.move_cursor(Self::page(cx)),
            Action::OpenFolder => match self.at_cursor() {
                Some(Entry::Up) => {
                    if let Some(up) = self.listing.dir.parent().map(Path::to_path_buf) {
                        self.came_from = Some(self.listing.dir.clone());
                        self.go_to(&up, cx);
                    }
                }
                Some(Entry::Folder(i)) => {
                    let dir = self.listing.folders[i].clone();
                    self.go_to(&dir, cx);
                }
                _ => {}
            },
            Action::FolderUp => {
                if let Some(up) = self.listing.dir.parent().map(Path::to_path_buf)
                    && !up.as_os_str().is_empty()
                {
                    self.came_from = Some(self.listing.dir.clone());
                    self.go_to(&up, cx);
                }
            }
            Action::Choose => {
                if let Some(Entry::File(i)) = self.at_cursor() {
                    let f = &self.listing.files[i];
                    if f.outcome.changes() || self.chosen[i] {
                        self.chosen[i] = !self.chosen[i];
                        // The verdicts of the files after it may change:
                        // judged again, with the choice as it is now.
                        self.scan(cx, true, true);
                    } else {
                        self.note = Some(t!(
                            "Tệp này không nhận được: {}",
                            "This file cannot be taken: {}",
                            f.outcome.label(crate::i18n::lang())
                        ));
                    }
                }
            }
            Action::ImportChosen => self.import(cx),
            Action::Undo | Action::Redo | Action::DeleteWord => {
                let tb = self.box_in_front();
                match action {
                    Action::Undo => tb.undo(),
                    Action::Redo => tb.redo(),
                    _ => tb.delete_word(),
                };
            }
            _ => return Reply::ignored(),
        }
        Reply::done()
    }

    fn key(&mut self, key: KeyEvent, _cx: &mut Cx) -> Reply {
        if self.focus == Focus::List || self.importing() || self.log.is_some() {
            return Reply::ignored();
        }
        self.box_in_front().key(key);
        Reply::done()
    }

    fn paste(&mut self, text: &str, _cx: &mut Cx) -> Reply {
        if self.focus == Focus::List || self.importing() || self.log.is_some() {
            return Reply::ignored();
        }
        self.box_in_front().paste(text);
        Reply::done()
    }

    fn draw(&self, f: &mut Frame, area: Rect, cx: &DrawCx, _view: &mut ViewState) {
        let theme = &cx.theme;
        let block = Block::bordered()
            .border_style(theme.focus_border())
            .title(Span::styled(
                t!(
                    " Nhận gói báo cáo ({}) ",
                    " Import packages ({}) ",
                    keymap::key_of(Action::OpenImport)
                ),
                theme.title(),
            ));
        let inner = block.inner(area);
        f.render_widget(block, area);
        let width = inner.width as usize;
        let progress = self.progress_line(inner.width, theme);
        let here: Vec<Context> = self
            .contexts(cx)
            .into_iter()
            .filter(|c| *c != Context::Text)
            .collect();
        // On a folder, Enter opens it: the import's Enter is not offered.
        let on_folder = here.contains(&Context::ImportSubfolder);
        let actions: Vec<Action> = keymap::TABLE
            .iter()
            .filter(|b| here.contains(&b.context))
            .map(|b| b.action)
            .filter(|a| !(on_folder && *a == Action::ImportChosen))
            .collect();
        let help = wrap(&keymap::hints_of(&here, &actions, &keymap::COLON), width);
        let help_h = help.len().min(2) as u16;
        let note: Vec<String> = self
            .note
            .as_deref()
            .map(|n| wrap(&printable(n, false), width))
            .unwrap_or_default();
        let total: Vec<String> = match &self.log {
            Some((_, tally)) => wrap(&t!("Tổng: {tally}.", "Total: {tally}."), width),
            None if !self.listing.files.is_empty() => {
                let t = self.tally();
                wrap(
                    &t!(
                        "Nếu nhận các tệp đã chọn: {t}.",
                        "Importing the chosen: {t}."
                    ),
                    width,
                )
            }
            None => Vec::new(),
        };
        let [
            dir_row,
            date_row,
            help_rows,
            progress_row,
            list,
            note_rows,
            total_rows,
        ] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Length(1),
            Constraint::Length(help_h),
            Constraint::Length(u16::from(progress.is_some())),
            Constraint::Min(3),
            Constraint::Length((note.len() as u16).min(3)),
            Constraint::Length((total.len() as u16).min(2)),
        ])
        .areas(inner);
        let label = t!("Thư mục: ", "Folder: ");
        let lw = (label.chars().count() as u16).min(dir_row.width);
        f.render_widget(
            Paragraph::new(Span::styled(label, theme.title())),
            Rect {
                width: lw,
                ..dir_row
            },
        );
        let typing = self.log.is_none() && !self.importing();
        draw_textbox(
            &self.dir,
            theme,
            typing && self.focus == Focus::Folder,
            String::new(),
            f.buffer_mut(),
            input_rect(dir_row, lw),
        );
        let label = t!("Ngày nhận thực tế: ", "Delivered on: ");
        let dw = (label.chars().count() as u16).min(date_row.width);
        f.render_widget(
            Paragraph::new(Span::styled(label, theme.title())),
            Rect {
                width: dw,
                ..date_row
            },
        );
        draw_textbox(
            &self.received_on,
            theme,
            typing && self.focus == Focus::Date,
            t!(
                "trống: theo ngày xuất gói · dd/mm/yyyy: bản giấy, muộn",
                "empty: the export day · dd/mm/yyyy: paper or late"
            ),
            f.buffer_mut(),
            input_rect(date_row, dw),
        );
        let help: Vec<Line> = help
            .into_iter()
            .take(2)
            .map(|l| Line::styled(l, theme.dim()))
            .collect();
        f.render_widget(Paragraph::new(help), help_rows);
        if let Some(line) = progress {
            f.render_widget(Paragraph::new(line), progress_row);
        }
        let h = list.height as usize;
        if self.log.is_some() {
            let lines = self.log_lines(width);
            let first = self.log_scroll.min(lines.len().saturating_sub(h));
            let shown: Vec<Line> = lines
                .into_iter()
                .skip(first)
                .take(h)
                .map(|l| Line::styled(l, theme.ok()))
                .collect();
            f.render_widget(Paragraph::new(shown), list);
        } else {
            let entries = self.entries();
            let blocks: Vec<Vec<String>> = entries
                .iter()
                .map(|e| self.entry_lines(*e, width))
                .collect();
            // The first entry shown: as far down as keeps the cursor's
            // entry whole on screen.
            let cursor = self.cursor.min(entries.len().saturating_sub(1));
            let mut first = cursor;
            let mut used = blocks.get(cursor).map_or(0, Vec::len);
            while first > 0 && used + blocks[first - 1].len() <= h {
                first -= 1;
                used += blocks[first].len();
            }
            let mut lines: Vec<Line> = Vec::new();
            for (i, e) in entries.iter().enumerate().skip(first) {
                if lines.len() >= h {
                    break;
                }
                let mut style = self.entry_style(*e, theme);
                if self.focus == Focus::List && i == cursor {
                    style = style.patch(theme.selected());
                }
                for l in &blocks[i] {
                    lines.push(Line::styled(l.clone(), style));
                }
            }
            lines.truncate(h);
            f.render_widget(Paragraph::new(lines), list);
        }
        let note: Vec<Line> = note
            .into_iter()
            .take(3)
            .map(|l| Line::styled(l, theme.error()))
            .collect();
        f.render_widget(Paragraph::new(note), note_rows);
        let total: Vec<Line> = total
            .into_iter()
            .take(2)
            .map(|l| Line::styled(l, theme.title()))
            .collect();
        f.render_widget(Paragraph::new(total), total_rows);
    }
}
