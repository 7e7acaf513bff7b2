//! Routing. The form is at the bottom; the screens and dialogs it opens
//! are stacked over it, and the one in front gets every input first: the
//! keymap finds what a key means in the contexts the front says are in
//! force, the front carries it out, and what it asks for after ([`Cmd`]:
//! close, open another, save, go to a hit) is done here. Only the keys of
//! [`Context::Everywhere`] (help, save, quit, the input method) are the
//! app's own. Nothing here touches the terminal: tests drive it with
//! synthetic keys and read the effects it asks for.

use super::component::{Cmd, Component, Cx, DrawCx, Open, Pending, Reply, ViewState};
use super::dialogs::approval::ApprovalDialog;
use super::dialogs::backups::BackupsDialog;
use super::dialogs::confirm::{ConfirmDelete, ConfirmReopen};
use super::dialogs::help::Help;
use super::dialogs::legacy_paste::LegacyPaste;
use super::jobs::{self, Done, JobEvent, JobId, JobMsg, Jobs};
use super::keymap::{self, Action, Context};
use super::screens::export::ExportScreen;
use super::screens::form::{self, Form};
use super::screens::import::ImportScreen;
use super::screens::preview::Preview;
use super::screens::review::review_children;
use super::screens::search::Search;
use super::screens::submissions::Submissions;
use super::theme::Theme;
use crate::i18n::tr;
use crate::outline::Field;
use crate::report::Answers;
use crate::settings::Settings;
use crate::t;
use crate::validate::FieldState;
use crate::vi::ime::{Method, ToneStyle};
use crate::workspace::Workspace;
use chrono::{DateTime, Local};
use ratatui::Frame;
use ratatui::crossterm::event::{Event, KeyEvent, KeyEventKind, MouseEvent};
use ratatui::layout::Rect;
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

pub use super::component::SaveState;
pub use super::screens::form::TREE_MIN_WIDTH;

/// Save this long after the last keystroke.
pub const AUTOSAVE_AFTER: Duration = Duration::from_millis(1500);
/// Try a failed save again after this long.
pub const RETRY_AFTER: Duration = Duration::from_secs(3);

/// What the app asks the event loop to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Save,
    Quit,
    /// The input method changed: remember it for the user.
    SaveSettings,
}

/// Everything that can happen to the app.
#[derive(Debug)]
pub enum Input {
    Term(Event),
    /// A key that came faster than a person types, with others: a paste
    /// delivered as keys (a Windows console, tmux `paste-buffer` without
    /// `-p`). It is typed as is, never through the built-in input method
    /// (see [`Pace`]).
    Fast(KeyEvent),
    Tick(Instant),
    /// A save finished: Ok with the time, or the reason it failed.
    Saved(Result<DateTime<Local>, String>),
    /// A background job's progress or result.
    Job(JobEvent),
    /// A signal asked to leave, or the terminal is gone: as Ctrl+Q.
    Stop,
}

/// What can be open over the form, front last.
pub enum Layer {
    Import(Box<ImportScreen>),
    Export(Box<ExportScreen>),
    Submissions(Submissions),
    Preview(Box<Preview>),
    Search(Box<Search>),
    Help(Help),
    ConfirmDelete(ConfirmDelete),
    ConfirmReopen(ConfirmReopen),
    LegacyPaste(LegacyPaste),
    Approval(Box<ApprovalDialog>),
    Backups(Box<BackupsDialog>),
}

macro_rules! each {
    ($layer:expr, $c:ident => $body:expr) => {
        match $layer {
            Layer::Import($c) => $body,
            Layer::Export($c) => $body,
            Layer::Submissions($c) => $body,
            Layer::Preview($c) => $body,
            Layer::Search($c) => $body,
            Layer::Help($c) => $body,
            Layer::ConfirmDelete($c) => $body,
            Layer::ConfirmReopen($c) => $body,
            Layer::LegacyPaste($c) => $body,
            Layer::Approval($c) => $body,
            Layer::Backups($c) => $body,
        }
    };
}

impl Layer {
    /// A whole screen: what is under it is not drawn.
    pub fn covers(&self) -> bool {
        matches!(
            self,
            Layer::Import(_) | Layer::Submissions(_) | Layer::Preview(_)
        )
    }

    /// Drawn over the whole window (else between the title and key bars).
    fn whole_window(&self) -> bool {
        matches!(
            self,
            Layer::Search(_)
                | Layer::Help(_)
                | Layer::ConfirmDelete(_)
                | Layer::ConfirmReopen(_)
                | Layer::LegacyPaste(_)
                | Layer::Approval(_)
                | Layer::Backups(_)
        )
    }

    /// The job whose result it waits for.
    pub fn awaits(&self) -> Option<JobId> {
        match self {
            Layer::Import(s) => s.awaits(),
            Layer::Export(s) => s.awaits(),
            Layer::Preview(s) => s.awaits(),
            Layer::Submissions(s) => s.awaits(),
            _ => None,
        }
    }

    fn job(&mut self, msg: JobMsg, cx: &mut Cx) -> Reply {
        match self {
            Layer::Import(s) => s.job(msg, cx),
            Layer::Export(s) => s.job(msg),
            Layer::Preview(s) => s.job(msg),
            Layer::Submissions(s) => s.job(msg),
            _ => Reply::ignored(),
        }
    }
}

impl Component for Layer {
    type Cx<'a> = Cx<'a>;
    type DrawCx<'a> = DrawCx<'a>;

    fn contexts(&self, cx: &DrawCx) -> Vec<Context> {
        each!(self, c => c.contexts(cx))
    }
    fn act(&mut self, action: Action, key: KeyEvent, cx: &mut Cx) -> Reply {
        each!(self, c => c.act(action, key, cx))
    }
    fn key(&mut self, key: KeyEvent, cx: &mut Cx) -> Reply {
        each!(self, c => c.key(key, cx))
    }
    fn paste(&mut self, text: &str, cx: &mut Cx) -> Reply {
        each!(self, c => c.paste(text, cx))
    }
    fn mouse(&mut self, event: MouseEvent, cx: &mut Cx) -> Reply {
        each!(self, c => c.mouse(event, cx))
    }
    fn draw(&self, f: &mut Frame, area: Rect, cx: &DrawCx, view: &mut ViewState) {
        each!(self, c => c.draw(f, area, cx, view))
    }
}

/// Printable keys read together (in one batch of the event loop) that make
/// a paste delivered as keys: no one types three keys between two looks at
/// the terminal, and a system input method rewriting a word sends
/// Backspaces first.
pub const BURST_KEYS: usize = 3;
/// A batch this soon after a burst continues it (a long paste arrives in
/// several reads, microseconds apart).
pub const BURST_GAP: Duration = Duration::from_millis(5);

/// Tells keys a person types from keys a program sends, by how they
/// arrive: the event loop gives it each batch of events it read together,
/// with the time it read them, and gets the inputs for the app back.
#[derive(Debug, Default)]
pub struct Pace {
    /// Until when a batch continues the last burst.
    burst_until: Option<Instant>,
}

impl Pace {
    pub fn new() -> Pace {
        Pace::default()
    }

    /// The inputs for one batch of events read together at `at`: the
    /// printable keys of a burst as [`Input::Fast`], the rest as they are.
    pub fn mark(&mut self, batch: Vec<Event>, at: Instant) -> Vec<Input> {
        let pressed = |e: &Event| match e {
            Event::Key(k) if k.kind != KeyEventKind::Release => Some(*k),
            _ => None,
        };
        let printable = batch
            .iter()
            .filter_map(pressed)
            .filter(is_printable)
            .count();
        let backspace = batch
            .iter()
            .filter_map(pressed)
            .any(|k| k.code == ratatui::crossterm::event::KeyCode::Backspace);
        let continues = self.burst_until.is_some_and(|until| at <= until);
        let fast = printable > 0 && !backspace && (printable >= BURST_KEYS || continues);
        if fast {
            self.burst_until = Some(at + BURST_GAP);
        } else if printable > 0 || backspace {
            self.burst_until = None;
        }
        batch
            .into_iter()
            .map(|e| match pressed(&e) {
                Some(k) if fast && is_printable(&k) => Input::Fast(k),
                _ => Input::Term(e),
            })
            .collect()
    }
}

/// A key that types a character.
fn is_printable(k: &KeyEvent) -> bool {
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};
    matches!(k.code, KeyCode::Char(_))
        && !k
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT)
}

pub struct App {
    /// The report, its outline, and at a parent the packages received.
    pub ws: Workspace,
    /// The form, at the bottom of the stack.
    pub form: Form,
    /// Screens and dialogs open over the form; the last is in front.
    pub layers: Vec<Layer>,
    pub save: SaveState,
    pub size: (u16, u16),
    pub notice: Option<String>,
    pub theme: Theme,
    /// Set once the user asked to quit.
    pub quitting: bool,
    /// The built-in input method and tone style (F2 cycles the method).
    pub settings: Settings,
    /// Slow work running off the UI thread.
    pub jobs: Jobs,
    /// What the last frame drew (see [`ViewState`]).
    pub view: ViewState,
    /// A system input method (Unikey, ibus) sent composed letters: the
    /// built-in one stands aside until F2, and the title bar says so.
    pub os_input: bool,
    /// The tone style the outline's own text uses, if it shows one.
    pub outline_style: Option<ToneStyle>,
    /// The key being handled came in a burst ([`Input::Fast`]).
    fast: bool,
}

/// The handling context, made of the app's fields beside the component's
/// own (a macro: a method would borrow the whole app).
macro_rules! cx {
    ($app:ident) => {{
        let settings = $app.typing();
        Cx {
            ws: &mut $app.ws,
            save: &mut $app.save,
            notice: &mut $app.notice,
            jobs: &mut $app.jobs,
            view: &mut $app.view,
            settings,
            theme: $app.theme,
            size: $app.size,
        }
    }};
}

/// Says, on opening, which received package is damaged and what to do
/// (F7 lists them all).
fn damaged_notice(ws: &Workspace) -> Option<String> {
    let first = ws.damaged.first()?.to_string();
    let more = ws.damaged.len() - 1;
    Some(if more > 0 {
        t!(
            "{first} Còn {more} gói hỏng khác ({}).",
            "{first} {more} more damaged ({}).",
            keymap::key_of(Action::OpenSubmissions)
        )
    } else {
        first
    })
}

impl App {
    pub fn new(ws: Workspace, size: (u16, u16), theme: Theme) -> App {
        let form = Form::new(&ws);
        let notice = damaged_notice(&ws);
        let outline_style = outline_style(&ws.outline);
        let mut app = App {
            ws,
            form,
            layers: Vec::new(),
            save: SaveState::default(),
            size,
            notice,
            theme,
            quitting: false,
            settings: Settings {
                input_method: Method::Off,
                ..Settings::default()
            },
            jobs: Jobs::new(),
            view: ViewState::default(),
            os_input: false,
            outline_style,
            fast: false,
        };
        app.form.set_looks(true, &app.theme);
        app
    }

    /// The settings typing goes by: the tone style chosen, else the
    /// outline's; the built-in input method off for a burst of keys and
    /// while a system input method is on.
    pub fn typing(&self) -> Settings {
        let mut s = self.settings;
        s.tone_style = s
            .chosen_tone_style()
            .or(self.outline_style)
            .unwrap_or(s.tone_style);
        if self.fast || self.os_input {
            s.input_method = Method::Off;
        }
        s
    }

    pub fn item_id(&self) -> &str {
        self.form.item_id()
    }

    /// Shows page `page` of the form, focusing `field` or the first
    /// field to answer.
    pub fn go(&mut self, page: usize, field: Option<usize>) {
        let mut cx = cx!(self);
        self.form.commit_cell(&mut cx);
        self.form.go(&self.ws, page, field);
        self.form.set_looks(self.layers.is_empty(), &self.theme);
    }

    /// Opens the form where the user left it last time (if that item and
    /// field are still in the outline).
    pub fn go_to_place(&mut self, place: &crate::settings::Place) {
        if self.form.go_to_place(&self.ws, place) {
            self.form.set_looks(self.layers.is_empty(), &self.theme);
        }
    }

    /// The answers the form judges (see [`form::effective`]).
    pub fn effective(&self) -> Cow<'_, Answers> {
        form::effective(&self.ws)
    }

    /// The states of the current page's fields.
    pub fn states(&self) -> Vec<(String, FieldState)> {
        form::states_in(&self.ws, &self.effective(), self.item_id())
    }

    pub fn tree_visible(&self) -> bool {
        self.form.tree_visible(self.size)
    }

    /// The children in the review panel's order.
    pub fn review_children(&self) -> Vec<&crate::workspace::Child> {
        review_children(&self.ws)
    }

    pub fn table_rows(&self, field: &Field) -> Vec<Map<String, Value>> {
        form::table_rows(&self.ws, self.item_id(), field)
    }

    /// The screen or dialog in front; `None`: the form.
    pub fn front(&self) -> Option<&Layer> {
        self.layers.last()
    }

    pub fn front_mut(&mut self) -> Option<&mut Layer> {
        self.layers.last_mut()
    }

    pub fn draw_cx(&self) -> DrawCx<'_> {
        DrawCx {
            ws: &self.ws,
            settings: self.settings,
            theme: self.theme,
            size: self.size,
            form_in_front: self.layers.is_empty(),
        }
    }

    /// The keymap contexts in force: the front's, then everywhere.
    pub fn contexts(&self) -> Vec<Context> {
        let cx = self.draw_cx();
        let mut v = match self.layers.last() {
            Some(layer) => layer.contexts(&cx),
            None => self.form.contexts(&cx),
        };
        v.push(Context::Everywhere);
        v
    }

    /// What `key` does here: the dispatch's own look-up.
    pub fn action_for(&self, key: &KeyEvent) -> Option<Action> {
        keymap::lookup(&self.contexts(), key).map(|b| b.action)
    }

    /// Handles one input and returns what the loop must do.
    pub fn update(&mut self, input: Input) -> Vec<Effect> {
        let effects = self.handle(input);
        self.form.set_looks(self.layers.is_empty(), &self.theme);
        effects
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
            Input::Fast(key) => {
                self.fast = true;
                let effects = self.key(key);
                self.fast = false;
                effects
            }
            Input::Term(Event::Paste(text)) => {
                if self.layers.is_empty() && self.ws.report.is_final() && self.form.takes_paste() {
                    self.open(Open::ConfirmReopen(Pending::Paste(text)));
                    return Vec::new();
                }
                let mut cx = cx!(self);
                let reply = match self.layers.last_mut() {
                    Some(layer) => layer.paste(&text, &mut cx),
                    None => self.form.paste(&text, &mut cx),
                };
                self.apply(reply.cmds)
            }
            Input::Term(Event::Resize(w, h)) => {
                self.size = (w, h);
                Vec::new()
            }
            Input::Term(Event::Mouse(m)) => {
                let mut cx = cx!(self);
                let reply = match self.layers.last_mut() {
                    Some(layer) => layer.mouse(m, &mut cx),
                    None => self.form.mouse(m, &mut cx),
                };
                self.apply(reply.cmds)
            }
            Input::Term(_) => Vec::new(),
            Input::Job(event) => self.job(event),
            Input::Stop => self.quit(),
        }
    }

    fn key(&mut self, key: KeyEvent) -> Vec<Effect> {
        let noted = self.note_os_input(&key);
        let effects = self.dispatch(key);
        if noted {
            // Said after the edit, which clears notices.
            self.notice = Some(t!(
                "Máy đang bật bộ gõ riêng (Unikey…): {} có sẵn tạm nghỉ; {} để dùng lại.",
                "A system input method (Unikey…) is on: the built-in {} stands aside; {} brings it back.",
                self.settings.input_method.label(),
                keymap::key_of(Action::InputMethod)
            ));
        }
        effects
    }

    fn dispatch(&mut self, key: KeyEvent) -> Vec<Effect> {
        let contexts = self.contexts();
        let found = keymap::lookup(&contexts, &key);
        if let Some(b) = found
            && b.context == Context::Everywhere
        {
            return self.global(b.action, contexts);
        }
        // The first edit of an approved report asks first.
        if self.ws.report.is_final() && self.would_edit(found.map(|b| b.action), &key) {
            self.open(Open::ConfirmReopen(Pending::Key(key)));
            return Vec::new();
        }
        let mut cx = cx!(self);
        let reply = match (self.layers.last_mut(), found) {
            (Some(layer), Some(b)) => layer.act(b.action, key, &mut cx),
            (Some(layer), None) => layer.key(key, &mut cx),
            (None, Some(b)) => self.form.act(b.action, key, &mut cx),
            (None, None) => self.form.key(key, &mut cx),
        };
        self.apply(reply.cmds)
    }

    /// A composed letter typed (not in a burst) while the built-in method
    /// is on says a system input method is on too: from now on it types,
    /// and the built-in one stands aside. True when this key said so.
    fn note_os_input(&mut self, key: &KeyEvent) -> bool {
        use ratatui::crossterm::event::KeyCode;
        let built_in = self.settings.input_method != Method::Off;
        if self.fast || self.os_input || !built_in || !is_printable(key) {
            return false;
        }
        let KeyCode::Char(c) = key.code else {
            return false;
        };
        self.os_input = crate::vi::ime::is_composed(c);
        self.os_input
    }

    /// The keys that work everywhere.
    fn global(&mut self, action: Action, contexts: Vec<Context>) -> Vec<Effect> {
        match action {
            Action::Help => {
                self.layers.push(Layer::Help(Help::new(contexts)));
                Vec::new()
            }
            Action::Quit => self.quit(),
            Action::Save => {
                let mut cx = cx!(self);
                self.form.commit_cell(&mut cx);
                self.save.dirty = true;
                self.request_save()
            }
            Action::InputMethod if self.os_input => {
                // Back to the built-in method, as it was.
                self.os_input = false;
                self.notice = Some(t!(
                    "Kiểu gõ: {} (bộ gõ có sẵn). Nếu máy vẫn bật Unikey, hãy tắt nó.",
                    "Input method: {} (built in). If Unikey is still on, turn it off.",
                    self.settings.input_method.label()
                ));
                Vec::new()
            }
            Action::InputMethod => {
                self.settings.input_method = self.settings.input_method.next();
                self.notice = Some(t!(
                    "Kiểu gõ: {}",
                    "Input method: {}",
                    self.settings.input_method.label()
                ));
                vec![Effect::SaveSettings]
            }
            _ => Vec::new(),
        }
    }

    /// Does what the components asked, in order.
    fn apply(&mut self, cmds: Vec<Cmd>) -> Vec<Effect> {
        let mut effects = Vec::new();
        let mut queue: VecDeque<Cmd> = cmds.into();
        while let Some(cmd) = queue.pop_front() {
            match cmd {
                Cmd::Close => self.close_front(),
                Cmd::Open(what) => self.open(what),
                Cmd::SaveIfDirty => {
                    if self.save.dirty {
                        effects.extend(self.request_save());
                    }
                }
                Cmd::Jump(hit) => {
                    let mut cx = cx!(self);
                    queue.extend(self.form.jump_to_hit(&mut cx, &hit))
                }
                Cmd::DeleteRow { field, row } => {
                    let mut cx = cx!(self);
                    queue.extend(self.form.delete_row(&mut cx, field, row))
                }
                Cmd::Paste(text) => {
                    let mut cx = cx!(self);
                    self.form.insert_paste(&mut cx, &text)
                }
                Cmd::Reopen(pending) => effects.extend(self.reopen_then(pending)),
                Cmd::Restored => {
                    let page = self.form.page;
                    self.form = Form::new(&self.ws);
                    self.go(page, None);
                }
                // The form's own, from its tree: never reaches here.
                Cmd::Entry(_) => {}
            }
        }
        effects
    }

    fn open(&mut self, what: Open) {
        let layer = match what {
            Open::Help => Layer::Help(Help::new(self.contexts())),
            Open::Export => Layer::Export(Box::new(ExportScreen::open(&self.ws, &mut self.jobs))),
            Open::Import => Layer::Import(Box::new(ImportScreen::open(&self.ws, &mut self.jobs))),
            Open::Preview => Layer::Preview(Box::new(Preview::open(&self.ws, &mut self.jobs))),
            Open::Search => Layer::Search(Box::default()),
            Open::Submissions => Layer::Submissions(Submissions::default()),
            Open::ConfirmDelete { field, row, first } => {
                Layer::ConfirmDelete(ConfirmDelete { field, row, first })
            }
            Open::LegacyPaste { text, encoding } => {
                Layer::LegacyPaste(LegacyPaste { text, encoding })
            }
            Open::ConfirmReopen(pending) => Layer::ConfirmReopen(ConfirmReopen { pending }),
            Open::Approval => Layer::Approval(Box::new(ApprovalDialog::open(&self.ws))),
            Open::Backups => Layer::Backups(Box::new(BackupsDialog::open(&self.ws))),
            Open::Print => {
                Layer::Export(Box::new(ExportScreen::open_print(&self.ws, &mut self.jobs)))
            }
        };
        self.layers.push(layer);
    }

    /// Whether `key` (bound to `action`, if any) would change the report,
    /// with the screen in front as it is.
    fn would_edit(&self, action: Option<Action>, key: &KeyEvent) -> bool {
        match self.layers.last() {
            None => self.form.would_edit(action, key),
            Some(Layer::Submissions(_)) => action == Some(Action::AcceptUnit),
            Some(_) => false,
        }
    }

    /// The user agreed: the approved report becomes a draft again (its
    /// approval kept in the history), and the held-back edit goes ahead.
    fn reopen_then(&mut self, pending: Pending) -> Vec<Effect> {
        let reason = tr(
            "Sửa sau khi thông qua (trong giao diện)",
            "Edited after approval (in the UI)",
        );
        if let Err(e) = self.ws.reopen(Some(reason)) {
            self.notice = Some(e.to_string());
            return Vec::new();
        }
        self.save.edited();
        let effects = match pending {
            Pending::Key(key) => self.key(key),
            Pending::Paste(text) => self.handle(Input::Term(Event::Paste(text))),
        };
        // Said after the edit, which clears notices.
        self.notice = Some(
            tr(
                "Báo cáo đã trở lại dự thảo; sửa xong cần thông qua lại.",
                "The report is a draft again; approve it again once edited.",
            )
            .to_string(),
        );
        effects
    }

    fn close_front(&mut self) {
        let Some(layer) = self.layers.pop() else {
            return;
        };
        if let Some(id) = layer.awaits() {
            self.jobs.cancel(id);
        }
        if matches!(layer, Layer::Import(_)) {
            // The packages taken in may answer fields of this page.
            self.form
                .go(&self.ws, self.form.page, Some(self.form.focus));
        }
    }

    /// A job reported. An import's workspace, with the packages taken in
    /// and made durable, replaces the app's own: the import screen is
    /// modal (its keys and the app's save, help and quit change nothing
    /// in the report), so the copy the job started from was the report as
    /// it still is. The report is then saved the usual way.
    fn job(&mut self, event: JobEvent) -> Vec<Effect> {
        if !self.jobs.running(event.id) {
            return Vec::new();
        }
        let mut effects = Vec::new();
        let mut msg = event.msg;
        let mut wrote = false;
        if let JobMsg::Done(done) = &mut msg {
            wrote = self.jobs.writing();
            self.jobs.finished(event.id);
            wrote &= !self.jobs.writing();
            match done {
                Done::Imported(Ok(imported)) => {
                    if let Some(ws) = imported.ws.take() {
                        jobs::drop_later(std::mem::replace(&mut self.ws, ws));
                        effects.extend(self.edited_and_saved());
                    }
                }
                Done::Exported(Ok(exported))
                    if exported.last_export != self.ws.report.last_export
                        || exported.sent != self.ws.report.sent =>
                {
                    self.ws.report.last_export = exported.last_export.clone();
                    self.ws.report.sent = exported.sent.clone();
                    effects.extend(self.edited_and_saved());
                }
                _ => {}
            }
        }
        let mut cx = cx!(self);
        if let Some(layer) = self
            .layers
            .iter_mut()
            .rev()
            .find(|l| l.awaits() == Some(event.id))
        {
            let reply = layer.job(msg, &mut cx);
            effects.extend(self.apply(reply.cmds));
        }
        if self.quitting && wrote {
            effects.push(Effect::Quit);
        }
        effects
    }

    fn edited_and_saved(&mut self) -> Vec<Effect> {
        let mut cx = cx!(self);
        cx.edited();
        self.request_save()
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
        if self.save.start() {
            vec![Effect::Save]
        } else {
            Vec::new()
        }
    }

    /// Ctrl+Q: the loop saves for the last time, then leaves. It never
    /// asks to discard. A job that writes is first let finish its file
    /// (an import stops between two batches), so that nothing is left
    /// half-written; the others are dropped.
    pub fn quit(&mut self) -> Vec<Effect> {
        let mut cx = cx!(self);
        self.form.commit_cell(&mut cx);
        self.quitting = true;
        self.jobs.cancel_all();
        if self.jobs.writing() {
            self.notice = Some(t!("Đang ghi… xin chờ", "Writing… please wait"));
            return Vec::new();
        }
        vec![Effect::Quit]
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

/// The tone style of the outline's own words: its titles, introductions,
/// guidance and field labels.
pub fn outline_style(outline: &crate::outline::Outline) -> Option<ToneStyle> {
    fn walk<'a>(items: &'a [crate::outline::Item], out: &mut Vec<&'a str>) {
        for item in items {
            out.push(&item.title);
            out.extend(item.intro.as_deref());
            out.extend(item.guidance.iter().map(String::as_str));
            out.extend(item.fields.iter().map(|f| f.base.label.as_str()));
            walk(&item.items, out);
        }
    }
    let mut texts = vec![outline.title.as_str(), outline.plan.title.as_str()];
    walk(&outline.items, &mut texts);
    ToneStyle::of_text(texts)
}

impl Layer {
    /// Draws it: dialogs over the whole window, screens in `middle`.
    pub fn draw_in(
        &self,
        f: &mut Frame,
        window: Rect,
        middle: Rect,
        cx: &DrawCx,
        view: &mut ViewState,
    ) {
        let area = if self.whole_window() { window } else { middle };
        self.draw(f, area, cx, view);
    }
}
