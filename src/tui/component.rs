//! What every screen and dialog is: a component that says which keys apply
//! while it is in front (its [`Context`]s), carries out the actions the
//! keymap finds for them, takes the keys left over (typing), and draws
//! itself. It answers with a [`Reply`]: whether it used the input, and
//! what the app must do next ([`Cmd`]s: close it, open another, save…).

use super::jobs::Jobs;
use super::keymap::{Action, Context};
use super::theme::Theme;
use crate::settings::Settings;
use crate::vi::legacy::Legacy;
use crate::workspace::Workspace;
use chrono::{DateTime, Local};
use ratatui::Frame;
use ratatui::crossterm::event::{KeyEvent, MouseEvent};
use ratatui::layout::Rect;
use std::time::Instant;

pub trait Component {
    /// What handling reads and changes besides the component itself.
    type Cx<'a>;
    /// What drawing (and telling which keys apply) reads.
    type DrawCx<'a>;

    /// The keymap contexts in force while this is in front, most
    /// specific first ([`Context::Everywhere`] is added by the app).
    fn contexts(&self, cx: &Self::DrawCx<'_>) -> Vec<Context>;

    /// Carries out an action the keymap found in one of its contexts;
    /// `key` is the key that led to it.
    fn act(&mut self, action: Action, key: KeyEvent, cx: &mut Self::Cx<'_>) -> Reply;

    /// A key no binding took: typing.
    fn key(&mut self, _key: KeyEvent, _cx: &mut Self::Cx<'_>) -> Reply {
        Reply::ignored()
    }

    fn paste(&mut self, _text: &str, _cx: &mut Self::Cx<'_>) -> Reply {
        Reply::ignored()
    }

    fn mouse(&mut self, _event: MouseEvent, _cx: &mut Self::Cx<'_>) -> Reply {
        Reply::ignored()
    }

    fn draw(&self, f: &mut Frame, area: Rect, cx: &Self::DrawCx<'_>, view: &mut ViewState);
}

/// Whether an input was used, and what the app must do after.
#[must_use]
#[derive(Debug, Default)]
pub struct Reply {
    pub consumed: bool,
    pub cmds: Vec<Cmd>,
}

impl Reply {
    pub fn ignored() -> Reply {
        Reply::default()
    }
    pub fn done() -> Reply {
        Reply {
            consumed: true,
            cmds: Vec::new(),
        }
    }
    pub fn with(cmds: Vec<Cmd>) -> Reply {
        Reply {
            consumed: true,
            cmds,
        }
    }
    pub fn cmd(cmd: Cmd) -> Reply {
        Reply::with(vec![cmd])
    }
}

/// What a component asks of the app: the queue between components.
#[derive(Debug)]
pub enum Cmd {
    /// Close the component in front.
    Close,
    /// Put a screen or dialog in front.
    Open(Open),
    /// Save now if anything changed.
    SaveIfDirty,
    /// The form goes to a search hit.
    Jump(Box<crate::search::Hit>),
    /// The form goes to outline entry `i` (from its tree).
    Entry(usize),
    /// The form deletes a table row (confirmed).
    DeleteRow { field: usize, row: usize },
    /// The form takes this text as pasted (after the legacy question).
    Paste(String),
    /// The approved report becomes a draft again, then the edit that
    /// asked goes ahead.
    Reopen(Pending),
    /// A backup replaced the report: the form shows it.
    Restored,
}

/// An edit held back while the user answers whether an approved report
/// may become a draft again.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pending {
    Key(KeyEvent),
    Paste(String),
}

/// The screens and dialogs a component can open.
#[derive(Debug)]
pub enum Open {
    Help,
    Export,
    Import,
    Preview,
    Search,
    Submissions,
    ConfirmDelete {
        field: usize,
        row: usize,
        /// The row's first cell, to name it.
        first: String,
    },
    LegacyPaste {
        text: String,
        encoding: Legacy,
    },
    ConfirmReopen(Pending),
    Approval,
    Print,
    Backups,
}

/// What the screens of an open report change while handling input.
pub struct Cx<'a> {
    pub ws: &'a mut Workspace,
    pub save: &'a mut SaveState,
    pub notice: &'a mut Option<String>,
    pub jobs: &'a mut Jobs,
    pub view: &'a mut ViewState,
    pub settings: Settings,
    pub theme: Theme,
    pub size: (u16, u16),
}

impl Cx<'_> {
    /// The report changed: it will be saved after a pause.
    pub fn edited(&mut self) {
        self.save.edited();
        self.ws.report.updated_at = Local::now();
        *self.notice = None;
    }
}

/// What they read while drawing.
pub struct DrawCx<'a> {
    pub ws: &'a Workspace,
    pub settings: Settings,
    pub theme: Theme,
    pub size: (u16, u16),
    /// Nothing is open over the form: it has the keyboard.
    pub form_in_front: bool,
}

/// Where saving stands.
#[derive(Debug, Default)]
pub struct SaveState {
    pub dirty: bool,
    pub saving: bool,
    pub last_edit: Option<Instant>,
    pub saved_at: Option<DateTime<Local>>,
    pub error: Option<String>,
    pub retry_at: Option<Instant>,
}

impl SaveState {
    pub fn edited(&mut self) {
        self.dirty = true;
        self.last_edit = Some(Instant::now());
    }

    /// Marks a save as started; false when one is already on its way.
    pub fn start(&mut self) -> bool {
        if self.saving {
            return false;
        }
        self.dirty = false;
        self.saving = true;
        true
    }
}

/// Places on screen a click can reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hit {
    Tree(usize),
    Field(usize),
    Form,
}

/// What drawing leaves for the next input: where things were drawn (for
/// the mouse), how far the form is scrolled, how many rows the preview
/// showed (for paging). Written by the view, never by the model.
#[derive(Debug, Default)]
pub struct ViewState {
    pub hits: Vec<(Rect, Hit)>,
    /// First row of the form shown.
    pub form_scroll: u16,
    /// The form page ([`super::screens::form::Form::shown`]) the scroll
    /// belongs to: a page shown anew starts at the top.
    pub form_shown: u64,
    /// Rows of the document the preview showed.
    pub preview_rows: usize,
}
