//! The terminal UI. `app` routes every input to the component in front
//! (`component`: the trait; `screens` and `dialogs`: the components) by
//! the one table of keys in `keymap`; `jobs` runs the slow work off this
//! thread; `view` draws a frame, with the helpers every screen shares in
//! `draw`; `widgets` are the pieces of the form. Here at the edge: the
//! terminal, the event loop, signals and the saver thread.

pub mod app;
pub mod component;
pub mod dialogs;
pub mod draw;
pub mod editor;
pub mod jobs;
pub mod keymap;
pub mod screens;
pub mod theme;
pub mod view;
pub mod widgets;

use crate::error::{Error, Result};
use crate::i18n::{Lang, Localized};
use crate::outline::Outline;
use crate::report::Report;
use crate::store::{self, Store, StoreError};
use crate::t;
use crate::tl;
use app::{App, Effect, Input};
use ratatui::crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::{DefaultTerminal, Terminal, backend::CrosstermBackend};
use screens::setup::{Setup, SetupResult};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, mpsc};
use std::time::{Duration, Instant};
use theme::Theme;

/// Why the UI stopped short.
#[derive(Debug, thiserror::Error, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum TuiError {
    /// The terminal could not be taken over or drawn on.
    Terminal(String),
    /// The save on leaving failed; `rescue` is where a copy went, if any.
    LastSave {
        reason: Error,
        rescue: Option<PathBuf>,
    },
}

crate::coded!(TuiError => "tui");
crate::localized_display!(TuiError);

impl Localized for TuiError {
    fn localized(&self, lang: Lang) -> String {
        match self {
            TuiError::Terminal(e) => tl!(
                lang,
                "Không mở được giao diện: {e}",
                "Could not open the UI: {e}"
            ),
            TuiError::LastSave { reason, rescue } => {
                let reason = reason.localized(lang);
                match rescue {
                    Some(p) => tl!(
                        lang,
                        "{reason} Bản cứu hộ đã được ghi ở {}.",
                        "{reason} A rescue copy was written to {}.",
                        p.display()
                    ),
                    None => reason,
                }
            }
        }
    }
}

/// Opens the UI on the report at `path`: the form when it exists, the
/// first-run setup when it does not. A damaged report or one open
/// elsewhere is refused before the terminal is touched. `ascii`: marks
/// and borders in ASCII (see [`theme::to_ascii`]).
pub fn run(path: &Path, given: Option<Outline>, ascii: bool) -> Result<()> {
    let store = Store::lock_only(path)?;
    let existing = match store::load(path) {
        Ok(report) => {
            let outline = report.outline(given.as_ref())?;
            Some((report, outline))
        }
        Err(StoreError::Missing { .. }) => None,
        Err(e) => return Err(e.into()),
    };
    let stop = Arc::new(AtomicBool::new(false));
    let snapshot: Snapshot = Arc::new(Mutex::new(None));
    watch_signals(Arc::clone(&stop), Arc::clone(&snapshot), path.to_path_buf());
    let mut terminal = enter(path, &snapshot)?;
    let theme = Theme::from_env(ascii);
    let size = terminal
        .size()
        .map(|s| (s.width, s.height))
        .unwrap_or((80, 24));
    let outcome = (|| -> Result<()> {
        let (report, outline) = match existing {
            Some(x) => x,
            None => match setup(
                &mut terminal,
                &store,
                given.unwrap_or_else(|| Outline::embedded().clone()),
                theme,
                &stop,
            )? {
                Some(x) => x,
                None => return Ok(()),
            },
        };
        let mut ws = crate::workspace::Workspace::new(path, outline, report)?;
        // A report made by a baocao from before keys gets its key now (as
        // the command line's writing commands do), and the user is told.
        let key_note = match ws.unit_key() {
            Ok(_) => ws
                .new_key
                .map(|(f, origin)| crate::workspace::keys::new_key_note(f, origin)),
            Err(e) => Some(e.to_string()),
        };
        let mut app = App::new(ws, size, theme);
        if key_note.is_some() {
            app.notice = key_note;
        }
        app.settings = crate::settings::load();
        if let Some(place) = crate::settings::place(path) {
            app.go_to_place(&place);
        }
        let result = event_loop(&mut terminal, &mut app, &store, &stop, &snapshot);
        // Where the user was, for next time: not worth a message if the
        // configuration folder cannot be written.
        let _ = crate::settings::remember_place(path, &app.form.place());
        if result.is_err() {
            // Whatever went wrong, the text typed is written if it can be.
            let _ = store.save(&app.ws.report);
        }
        result
    })();
    leave();
    outcome
}

/// Opens the outline editor on `path` (a new outline when there is no
/// file; the 2014 outline with `from_embedded`). Nothing is written but
/// what the user saves.
pub fn run_outline_editor(path: &Path, from_embedded: bool, ascii: bool) -> Result<()> {
    let (outline, existed) = editor::open(path, from_embedded)?;
    // No report to rescue here: a panic just puts the terminal back.
    let snapshot: Snapshot = Arc::new(Mutex::new(None));
    let mut terminal = enter(path, &snapshot)?;
    let mut ed = editor::OutlineEditor::new(path, outline, existed, Theme::from_env(ascii));
    ed.settings = crate::settings::load();
    // SIGTERM or a closed window: the terminal is put back on the way out
    // (what is not saved is not written: saving is the user's choice).
    let stop = Arc::new(AtomicBool::new(false));
    for signal in stop_signals() {
        let _ = signal_hook::flag::register(signal, Arc::clone(&stop));
    }
    let outcome = (|| -> Result<()> {
        loop {
            if stop.load(Ordering::Relaxed) {
                return Ok(());
            }
            terminal
                .draw(|f| ed.draw(f))
                .map_err(|e| TuiError::Terminal(e.to_string()))?;
            // A terminal that fails to answer is gone (window closed).
            match event::poll(Duration::from_millis(200)) {
                Ok(true) => {}
                Ok(false) => continue,
                Err(_) => return Ok(()),
            }
            let Ok(ev) = event::read() else {
                return Ok(());
            };
            if ed.update(&ev) == editor::EditorResult::Quit {
                return Ok(());
            }
        }
    })();
    leave();
    outcome
}

/// The newest state of the report not yet known to be on disk.
type Snapshot = Arc<Mutex<Option<Vec<u8>>>>;

/// Ctrl+C, SIGTERM and SIGHUP ask the loop to save and leave. If the loop
/// cannot answer in time (a closed window can leave the terminal library
/// waiting on a dead terminal), this thread writes the newest snapshot
/// itself, puts the terminal back and exits.
#[cfg(unix)]
fn watch_signals(stop: Arc<AtomicBool>, snapshot: Snapshot, path: PathBuf) {
    let Ok(mut signals) = signal_hook::iterator::Signals::new(stop_signals()) else {
        return;
    };
    std::thread::spawn(move || {
        if signals.forever().next().is_none() {
            return;
        }
        save_and_exit(&stop, &snapshot, &path);
    });
}

/// Windows has no signal iterator (signal-hook's `iterator` is unix
/// only): a flag set by the handler, watched by the same kind of thread.
#[cfg(not(unix))]
fn watch_signals(stop: Arc<AtomicBool>, snapshot: Snapshot, path: PathBuf) {
    let got = Arc::new(AtomicBool::new(false));
    for signal in stop_signals() {
        if signal_hook::flag::register(signal, Arc::clone(&got)).is_err() {
            return;
        }
    }
    std::thread::spawn(move || {
        while !got.load(Ordering::SeqCst) {
            std::thread::sleep(Duration::from_millis(100));
        }
        save_and_exit(&stop, &snapshot, &path);
    });
}

fn save_and_exit(stop: &AtomicBool, snapshot: &Snapshot, path: &Path) {
    stop.store(true, Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(1500));
    if let Ok(mut slot) = snapshot.lock()
        && let Some(bytes) = slot.take()
    {
        let _ = store::write_atomic(path, &store::sealed(&bytes), true);
    }
    leave();
    std::process::exit(0);
}

#[cfg(unix)]
fn stop_signals() -> Vec<i32> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    vec![SIGTERM, SIGHUP, SIGINT]
}

#[cfg(not(unix))]
fn stop_signals() -> Vec<i32> {
    use signal_hook::consts::{SIGINT, SIGTERM};
    vec![SIGTERM, SIGINT]
}

/// Takes over the terminal. A panic (the release build aborts on one)
/// first puts the terminal back and writes the newest unsaved snapshot,
/// then says what happened.
fn enter(path: &Path, snapshot: &Snapshot) -> Result<DefaultTerminal> {
    let io = |e: std::io::Error| Error::from(TuiError::Terminal(e.to_string()));
    let previous = std::panic::take_hook();
    let (path, snapshot) = (path.to_path_buf(), Arc::clone(snapshot));
    std::panic::set_hook(Box::new(move |info| {
        leave();
        // try_lock: the panic may have struck while the lock was held.
        let saved = match snapshot.try_lock() {
            Ok(mut slot) => slot
                .take()
                .map(|bytes| store::write_atomic(&path, &store::sealed(&bytes), true).is_ok()),
            Err(_) => Some(false),
        };
        previous(info);
        eprintln!(
            "{}",
            match saved {
                Some(false) => t!(
                    "baocao gặp lỗi nội bộ và đã đóng; phần đã lưu tự động trước đó vẫn còn trong báo cáo.",
                    "baocao hit an internal error and closed; what was autosaved before is still in the report."
                ),
                _ => t!(
                    "baocao gặp lỗi nội bộ và đã đóng; mọi thứ đã gõ đều đã được lưu.",
                    "baocao hit an internal error and closed; everything typed has been saved."
                ),
            }
        );
    }));
    enable_raw_mode().map_err(io)?;
    execute!(
        std::io::stdout(),
        EnterAlternateScreen,
        EnableMouseCapture,
        EnableBracketedPaste
    )
    .map_err(io)?;
    let mut t = Terminal::new(CrosstermBackend::new(std::io::stdout())).map_err(io)?;
    let _ = t.hide_cursor();
    Ok(t)
}

/// Undoes everything `enter` did; safe to call twice.
fn leave() {
    let _ = execute!(
        std::io::stdout(),
        DisableBracketedPaste,
        DisableMouseCapture,
        LeaveAlternateScreen,
        ratatui::crossterm::cursor::Show
    );
    let _ = disable_raw_mode();
}

fn setup(
    terminal: &mut DefaultTerminal,
    store: &Store,
    outline: Outline,
    theme: Theme,
    stop: &AtomicBool,
) -> Result<Option<(Report, Outline)>> {
    let mut screen = Setup::new(outline, theme);
    let s = crate::settings::load();
    screen.ime = widgets::textbox::Ime {
        method: s.input_method,
        style: s
            .chosen_tone_style()
            .or_else(|| app::outline_style(&screen.outline))
            .unwrap_or(s.tone_style),
    };
    loop {
        terminal
            .draw(|f| {
                screen.draw(f);
                if theme.ascii {
                    theme::to_ascii(f.buffer_mut());
                }
            })
            .map_err(|e| TuiError::Terminal(e.to_string()))?;
        if stop.load(Ordering::Relaxed) {
            return Ok(None);
        }
        // A terminal that fails to answer is gone (window closed): leave.
        match event::poll(Duration::from_millis(200)) {
            Ok(true) => {}
            Ok(false) => continue,
            Err(_) => return Ok(None),
        }
        let Ok(ev) = event::read() else {
            return Ok(None);
        };
        match screen.update(&ev) {
            SetupResult::Continue => {}
            SetupResult::Quit => return Ok(None),
            SetupResult::Create(unit) => match store.create(&screen.outline, unit, false) {
                Ok(report) => return Ok(Some((report, screen.outline))),
                Err(e) => screen.error = Some(e.to_string()),
            },
        }
    }
}

/// How long quitting waits for a job that writes to finish.
const QUIT_WAIT: Duration = Duration::from_secs(10);

/// Saves happen on their own thread so typing never waits for a disk.
struct Saver {
    jobs: mpsc::Sender<Vec<u8>>,
    done: mpsc::Receiver<std::result::Result<chrono::DateTime<chrono::Local>, String>>,
    handle: Option<std::thread::JoinHandle<()>>,
}

impl Saver {
    fn start(path: PathBuf) -> Saver {
        let (jobs, rx) = mpsc::channel::<Vec<u8>>();
        let (tx, done) = mpsc::channel();
        let handle = std::thread::spawn(move || {
            while let Ok(bytes) = rx.recv() {
                let r = store::write_atomic(&path, &store::sealed(&bytes), true)
                    .map(|_| chrono::Local::now())
                    .map_err(|e| e.to_string());
                if tx.send(r).is_err() {
                    break;
                }
            }
        });
        Saver {
            jobs,
            done,
            handle: Some(handle),
        }
    }

    /// Waits for saves in flight, then stops the thread.
    fn finish(mut self) -> Vec<std::result::Result<chrono::DateTime<chrono::Local>, String>> {
        drop(self.jobs);
        if let Some(h) = self.handle.take() {
            let _ = h.join();
        }
        self.done.try_iter().collect()
    }
}

/// The report as the loop keeps it for the signal handler, at every key:
/// without its checksum, which [`store::sealed`] adds when it is written.
fn serialize(report: &Report) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(report).expect("a report always serialises");
    bytes.push(b'\n');
    bytes
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    store: &Store,
    stop: &AtomicBool,
    snapshot: &Snapshot,
) -> Result<()> {
    let saver = Saver::start(store.path.clone());
    // For the tests of the panic path: with BAOCAO_TEST_PANIC set, F12
    // panics on purpose.
    let panic_key = std::env::var_os("BAOCAO_TEST_PANIC").is_some();
    // The terminal no longer answers (window closed): nothing to draw or
    // read, but a job that writes is still waited for.
    let mut gone = false;
    // The app was told to stop (a signal, or the terminal gone).
    let mut stopped = false;
    // Since when the app has been quitting (waiting for a job that writes).
    let mut quitting_since: Option<Instant> = None;
    let mut pace = app::Pace::new();
    loop {
        if !gone && terminal.draw(|f| view::draw(f, app)).is_err() {
            gone = true;
        }
        let mut inputs = Vec::new();
        if gone {
            if let Some(e) = app.jobs.wait(Duration::from_millis(50)) {
                inputs.push(Input::Job(e));
            }
        } else {
            // Take every event waiting, strictly in order: input methods
            // rewrite words with bursts of Backspaces. While a job runs,
            // look again soon: its progress is drawn, its result taken.
            let mut wait = if app.jobs.busy() {
                Duration::from_millis(10)
            } else {
                Duration::from_millis(100)
            };
            // Bounded, so a flood (or a dead terminal) never starves
            // drawing, saving and the signal check.
            let mut batch = Vec::new();
            for _ in 0..256 {
                match event::poll(wait) {
                    Ok(true) => match event::read() {
                        Ok(ev) => batch.push(ev),
                        Err(_) => gone = true,
                    },
                    Ok(false) => break,
                    Err(_) => gone = true,
                }
                if gone || stop.load(Ordering::Relaxed) {
                    break;
                }
                wait = Duration::ZERO;
            }
            // Keys read together faster than a person types are a paste.
            inputs.extend(pace.mark(batch, Instant::now()));
        }
        inputs.extend(app.jobs.take().into_iter().map(Input::Job));
        inputs.extend(saver.done.try_iter().map(Input::Saved));
        inputs.push(Input::Tick(Instant::now()));
        if (gone || stop.load(Ordering::Relaxed)) && !stopped {
            stopped = true;
            inputs.push(Input::Stop);
        }
        let mut quit = false;
        for input in inputs {
            if panic_key
                && let Input::Term(ratatui::crossterm::event::Event::Key(k)) = &input
                && k.code == ratatui::crossterm::event::KeyCode::F(12)
            {
                panic!("BAOCAO_TEST_PANIC: F12");
            }
            for effect in app.update(input) {
                match effect {
                    Effect::Save => {
                        let _ = saver.jobs.send(serialize(&app.ws.report));
                    }
                    Effect::Quit => quit = true,
                    Effect::SaveSettings => {
                        if let Err(e) = crate::settings::save(&app.settings) {
                            app.notice = Some(e.to_string());
                        }
                    }
                }
            }
        }
        // Also while a save is on its way: after an import the report
        // changed without a key, and the copy here must not be older
        // than what is being written.
        if (app.save.dirty || app.save.saving)
            && let Ok(mut slot) = snapshot.lock()
        {
            *slot = Some(serialize(&app.ws.report));
        }
        // A job that writes and never answers (a stick that hangs) must
        // not keep the program open: the report saved below then simply
        // does not list what it was writing.
        if app.quitting && quitting_since.is_none() {
            quitting_since = Some(Instant::now());
        }
        let waited_too_long = quitting_since.is_some_and(|t| t.elapsed() > QUIT_WAIT);
        if quit || waited_too_long {
            break;
        }
    }
    saver.finish();
    let mut slot = snapshot.lock().unwrap_or_else(|e| e.into_inner());
    let saved = store.save(&app.ws.report);
    if saved.is_ok() {
        *slot = None;
    }
    match saved {
        Ok(()) => Ok(()),
        Err(e) => {
            let rescue = rescue_copy(&app.ws.report);
            Err(TuiError::LastSave { reason: e, rescue }.into())
        }
    }
}

/// When the report's own folder cannot be written (USB stick pulled), the
/// work goes to the user's data folder rather than nowhere.
fn rescue_copy(report: &Report) -> Option<PathBuf> {
    let dir = store::default_path().parent()?.to_path_buf();
    let path = dir.join(format!(
        "cuu-ho-{}.json",
        chrono::Local::now().format("%Y%m%d-%H%M%S")
    ));
    store::write_atomic(&path, &store::to_bytes(report), false)
        .ok()
        .map(|_| path)
}
