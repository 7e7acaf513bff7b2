//! Slow work off the UI thread: looking for a USB stick, reading and
//! checking a folder of packages, taking packages in, writing the package
//! upward, laying out the document for the preview. Each job runs on its
//! own thread and reports back through a channel that the event loop
//! drains as inputs ([`JobEvent`]: progress, then one result), so the
//! screen keeps drawing and taking keys meanwhile.
//!
//! A job works on its own [`Workspace`], opened on the job's thread from a
//! copy of the report and the outline (the children are read again from
//! the archive there): the UI keeps its own for drawing, and no lock is
//! ever shared. Only the import changes anything, and it hands its
//! workspace back; the app takes it in place of its own. That is safe
//! because the import screen is modal: nothing can change the report
//! while the packages are being taken in (see `App::job`).
//!
//! Quitting: the read-only jobs are dropped (their threads end with the
//! program, having written nothing); the import stops between two
//! batches of files, makes what it archived durable and reports; the
//! export, one file, finishes. Every file is written to a temporary name
//! and renamed, so nothing is ever left half-written.

use crate::outline::Outline;
use crate::report::{LastExport, Report};
use crate::t;
use crate::workspace::chase::SortBy;
use crate::workspace::{Outcome, Tally, Workspace};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::time::Duration;

pub type JobId = u64;

/// How many files the import takes in between two looks at whether it
/// should stop: each batch goes through `Workspace::import_unsynced`,
/// which reads ahead on every core.
const BATCH: usize = 32;

/// What a job says, as an input to the app.
#[derive(Debug)]
pub struct JobEvent {
    pub id: JobId,
    pub msg: JobMsg,
}

#[derive(Debug)]
pub enum JobMsg {
    Progress { done: usize, total: usize },
    Done(Done),
}

/// A job's result.
pub enum Done {
    /// The first USB stick found, if any.
    Usb(Option<PathBuf>),
    /// A folder's sub-folders and package files, with what importing the
    /// chosen ones in order would do to each.
    Scanned(Result<Listing, String>),
    Imported(Result<Box<Imported>, String>),
    Exported(Result<Exported, String>),
    /// The document as text, line by line.
    Rendered(Result<Vec<String>, String>),
    /// The DOCX written, where.
    Printed(Result<PathBuf, String>),
    /// The PDF LibreOffice made of it, where.
    Pdf(Result<PathBuf, String>),
    /// The list of units to chase, written as DOCX and CSV: where.
    ChaseListed(Result<(PathBuf, PathBuf), String>),
}

impl std::fmt::Debug for Done {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let what = match self {
            Done::Usb(_) => "usb",
            Done::Scanned(_) => "scanned",
            Done::Imported(_) => "imported",
            Done::Exported(_) => "exported",
            Done::Rendered(_) => "rendered",
            Done::Printed(_) => "printed",
            Done::Pdf(_) => "pdf",
            Done::ChaseListed(_) => "chase_listed",
        };
        f.write_str(what)
    }
}

pub struct Imported {
    /// The workspace with the packages taken in; `None` when nothing
    /// changed (all refused or already there).
    pub ws: Option<Workspace>,
    /// One line per file: what happened, or why not.
    pub log: Vec<String>,
    /// The count of what happened.
    pub tally: Tally,
}

/// What a folder holds, for the import screen.
#[derive(Debug, Default)]
pub struct Listing {
    pub dir: PathBuf,
    /// Its sub-folders (not hidden ones), sorted.
    pub folders: Vec<PathBuf>,
    /// Its package files, sorted, each judged as the import of the chosen
    /// ones in this order would judge it.
    pub files: Vec<Judged>,
}

/// One package file and what importing it would do.
#[derive(Debug, Clone)]
pub struct Judged {
    pub path: PathBuf,
    pub outcome: Outcome,
    /// What happens and why, in full.
    pub message: String,
}

pub struct Exported {
    pub path: PathBuf,
    /// The report's record of the export (its revision rises when the
    /// content changed).
    pub last_export: Option<LastExport>,
    /// The report's history of what was sent, with this package in it
    /// (what a receipt from the parent is held to).
    pub sent: Vec<crate::report::Sent>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Usb,
    Scan,
    Import,
    Export,
    Render,
}

impl Kind {
    /// Whether it writes files: then quitting waits for it.
    pub fn writes(self) -> bool {
        matches!(self, Kind::Import | Kind::Export)
    }
}

struct Running {
    id: JobId,
    kind: Kind,
    stop: Arc<AtomicBool>,
}

/// The jobs running, and the channel they answer on.
pub struct Jobs {
    tx: Sender<JobEvent>,
    rx: Receiver<JobEvent>,
    next: JobId,
    running: Vec<Running>,
}

impl Default for Jobs {
    fn default() -> Self {
        Jobs::new()
    }
}

/// What a job thread has to report with.
struct Reporter {
    id: JobId,
    tx: Sender<JobEvent>,
    stop: Arc<AtomicBool>,
}

impl Reporter {
    fn progress(&self, done: usize, total: usize) {
        let _ = self.tx.send(JobEvent {
            id: self.id,
            msg: JobMsg::Progress { done, total },
        });
    }

    fn stopped(&self) -> bool {
        self.stop.load(Ordering::Relaxed)
    }
}

/// What a job needs of the app's workspace to open its own.
struct Base {
    path: PathBuf,
    outline: Outline,
    report: Report,
}

impl Base {
    fn of(ws: &Workspace) -> Base {
        Base {
            path: ws.path.clone(),
            outline: ws.outline.clone(),
            report: ws.report.clone(),
        }
    }

    fn open(self) -> Result<Workspace, String> {
        Workspace::new(&self.path, self.outline, self.report).map_err(|e| e.to_string())
    }
}

impl Jobs {
    pub fn new() -> Jobs {
        let (tx, rx) = mpsc::channel();
        Jobs {
            tx,
            rx,
            next: 1,
            running: Vec::new(),
        }
    }

    fn spawn(
        &mut self,
        kind: Kind,
        work: impl FnOnce(&Reporter) -> Done + Send + 'static,
    ) -> JobId {
        let id = self.next;
        self.next += 1;
        let stop = Arc::new(AtomicBool::new(false));
        let reporter = Reporter {
            id,
            tx: self.tx.clone(),
            stop: Arc::clone(&stop),
        };
        // Messages are worded on the job's thread: in the app's language.
        let lang = crate::i18n::lang();
        std::thread::spawn(move || {
            crate::i18n::set_thread_lang(Some(lang));
            let done = work(&reporter);
            let _ = reporter.tx.send(JobEvent {
                id,
                msg: JobMsg::Done(done),
            });
        });
        self.running.push(Running { id, kind, stop });
        id
    }

    /// Looks for a plugged-in USB stick.
    pub fn usb(&mut self) -> JobId {
        self.spawn(Kind::Usb, |_| Done::Usb(usb_folder()))
    }

    /// Lists the sub-folders and package files in `dir` and what
    /// importing them in order would do to each (`take`: which are
    /// chosen, by file name; `None`: every file that changes anything).
    pub fn scan(
        &mut self,
        dir: PathBuf,
        take: Option<std::collections::HashSet<PathBuf>>,
        ws: &Workspace,
    ) -> JobId {
        let base = Base::of(ws);
        self.spawn(Kind::Scan, move |r| {
            Done::Scanned(scan(&dir, take.as_ref(), base, r))
        })
    }

    /// Takes in the packages at `paths`, in that order, as `baocao import`
    /// does; `take[i]` false leaves file `i` out (judged, not taken in).
    /// `delivered_on`: the day they were delivered, when the clerk
    /// records a paper or late delivery.
    pub fn import(
        &mut self,
        paths: Vec<PathBuf>,
        take: Vec<bool>,
        delivered_on: Option<chrono::NaiveDate>,
        ws: &Workspace,
    ) -> JobId {
        let base = Base::of(ws);
        self.spawn(Kind::Import, move |r| {
            Done::Imported(import(&paths, &take, delivered_on, base, r))
        })
    }

    /// Writes the list of units to chase (missing or late, in the order
    /// `sort` gives) into `dir` as DOCX and CSV.
    pub fn print_chase(&mut self, dir: PathBuf, sort: SortBy, ws: &Workspace) -> JobId {
        let base = Base::of(ws);
        self.spawn(Kind::Export, move |_| {
            Done::ChaseListed(print_chase(&dir, sort, base))
        })
    }

    /// Writes the package upward into `dir`.
    pub fn export(&mut self, dir: PathBuf, ws: &Workspace) -> JobId {
        let base = Base::of(ws);
        self.spawn(Kind::Export, move |_| Done::Exported(export(&dir, base)))
    }

    /// Writes the document as DOCX into `dir`, for printing.
    pub fn print(&mut self, dir: PathBuf, ws: &Workspace) -> JobId {
        let base = Base::of(ws);
        self.spawn(Kind::Export, move |_| Done::Printed(print(&dir, base)))
    }

    /// Makes a PDF of the printed DOCX with LibreOffice.
    pub fn pdf(&mut self, office: PathBuf, docx: PathBuf) -> JobId {
        self.spawn(Kind::Export, move |_| {
            Done::Pdf(crate::office::to_pdf(&office, &docx).map_err(|e| e.to_string()))
        })
    }

    /// Lays the document out as text, for the preview.
    pub fn render(&mut self, ws: &Workspace) -> JobId {
        let base = Base::of(ws);
        self.spawn(Kind::Render, move |_| {
            Done::Rendered(base.open().and_then(|ws| {
                let doc = crate::render::for_print(&ws).map_err(|e| e.to_string())?;
                let text = crate::render::text::render(&doc);
                Ok(text.lines().map(str::to_owned).collect())
            }))
        })
    }

    /// Whether job `id` is still awaited.
    pub fn running(&self, id: JobId) -> bool {
        self.running.iter().any(|r| r.id == id)
    }

    pub fn busy(&self) -> bool {
        !self.running.is_empty()
    }

    /// Whether a job that writes files is running (quitting waits for it).
    pub fn writing(&self) -> bool {
        self.running.iter().any(|r| r.kind.writes())
    }

    /// No longer wanted: a job that only reads is forgotten at once (what
    /// it sends later is dropped); one that writes is asked to stop at the
    /// next safe point and still awaited.
    pub fn cancel(&mut self, id: JobId) {
        if let Some(r) = self.running.iter().find(|r| r.id == id) {
            r.stop.store(true, Ordering::Relaxed);
        }
        self.running.retain(|r| r.id != id || r.kind.writes());
    }

    /// Before quitting: every job is cancelled as above.
    pub fn cancel_all(&mut self) {
        let ids: Vec<JobId> = self.running.iter().map(|r| r.id).collect();
        for id in ids {
            self.cancel(id);
        }
    }

    /// Job `id` has sent its result.
    pub fn finished(&mut self, id: JobId) {
        self.running.retain(|r| r.id != id);
    }

    /// What the jobs have sent since the last call, for jobs still awaited.
    pub fn take(&self) -> Vec<JobEvent> {
        self.rx.try_iter().filter(|e| self.running(e.id)).collect()
    }

    /// The next message of a job still awaited, waiting at most `timeout`
    /// (for tests and benchmarks that run jobs without the event loop).
    pub fn wait(&self, timeout: Duration) -> Option<JobEvent> {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.rx.recv_timeout(left) {
                Ok(e) if self.running(e.id) => return Some(e),
                Ok(_) => continue,
                Err(_) => return None,
            }
        }
    }
}

/// Drops a workspace on another thread: freeing hundreds of packages took
/// milliseconds on the UI thread for nothing.
pub fn drop_later(ws: Workspace) {
    std::thread::spawn(move || drop(ws));
}

/// A plugged-in USB stick, where Linux desktops mount them, to start the
/// import and export screens there; the user can type another folder.
pub fn usb_folder() -> Option<PathBuf> {
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

/// What `dir` holds: its sub-folders, and its package files (sorted, as
/// `baocao import DIR` finds them; a special file with a package's name is
/// among them, and refused with the reason) judged in order by the
/// import's own code, each against the report and the chosen files
/// before it. A report that can take nothing in (approved) refuses them
/// all, with the reason.
fn scan(
    dir: &Path,
    take: Option<&std::collections::HashSet<PathBuf>>,
    base: Base,
    r: &Reporter,
) -> Result<Listing, String> {
    // Absolute, so that the screen can always go up from it.
    let dir = &std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    let found = crate::package::files_in(dir).map_err(|e| e.to_string())?;
    let folders = found
        .skipped
        .iter()
        .filter_map(|n| n.strip_suffix('/'))
        .filter(|n| !n.starts_with('.'))
        .map(|n| dir.join(n))
        .collect();
    let paths = found.packages;
    let total = paths.len();
    r.progress(0, total);
    let chosen: Vec<bool> = paths
        .iter()
        .map(|p| take.is_none_or(|t| t.contains(p)))
        .collect();
    let ws = base.open()?;
    let mut files = Vec::with_capacity(total);
    let previewed = ws.preview_import(&paths, &chosen, |ex, _| {
        files.push(Judged {
            path: ex.path.clone(),
            outcome: ex.verdict.outcome(),
            message: ex.foreseen(),
        });
        r.progress(files.len(), total);
    });
    if let Err(e) = previewed {
        let why = e.to_string();
        files = paths
            .iter()
            .map(|p| Judged {
                path: p.clone(),
                outcome: Outcome::Refused,
                message: why.clone(),
            })
            .collect();
    }
    Ok(Listing {
        dir: dir.to_path_buf(),
        folders,
        files,
    })
}

/// What the log says of a file the user left out.
fn left_out(path: &Path) -> String {
    t!(
        "Không chọn, không nhận: {}.",
        "Not chosen, not taken: {}.",
        path.file_name().unwrap_or_default().to_string_lossy()
    )
}

/// `baocao import` of `paths` into a workspace of its own, in batches so
/// that it can stop between two; then the archived packages are made
/// durable, before the app saves the report that lists them.
fn import(
    paths: &[PathBuf],
    take: &[bool],
    delivered_on: Option<chrono::NaiveDate>,
    base: Base,
    r: &Reporter,
) -> Result<Box<Imported>, String> {
    let mut ws = base.open()?;
    let total = paths.len();
    let mut done = 0;
    let mut log = Vec::new();
    let mut tally = Tally::default();
    let mut changed = false;
    r.progress(0, total);
    for (batch, chosen) in paths.chunks(BATCH).zip(
        take.chunks(BATCH)
            .chain(std::iter::repeat(&[][..]))
            .take(total.div_ceil(BATCH)),
    ) {
        if r.stopped() {
            log.push(t!(
                "Đã dừng: {} tệp chưa nhận.",
                "Stopped: {} files not taken.",
                total - done
            ));
            break;
        }
        ws.import_chosen_unsynced(batch, chosen, delivered_on, |ex, taken, outcome| {
            let outcome_of = ex.verdict.outcome();
            tally.add(outcome_of, taken, outcome.is_err());
            match outcome {
                Ok(()) if !taken && outcome_of.changes() => log.push(left_out(&ex.path)),
                Ok(()) => {
                    changed |= taken && ex.verdict.changes();
                    log.push(ex.message());
                }
                Err(e) => log.push(e.to_string()),
            }
            done += 1;
            r.progress(done, total);
        })
        .map_err(|e| e.to_string())?;
    }
    ws.make_archive_durable().map_err(|e| {
        t!(
            "Không ghi được các gói vào ổ đĩa ({e}); chưa nhận gói nào.",
            "The packages could not be written to disk ({e}); none was taken."
        )
    })?;
    Ok(Box::new(Imported {
        ws: changed.then_some(ws),
        log,
        tally,
    }))
}

/// The folder to write into, which must exist.
fn folder(dir: &Path) -> Result<(), String> {
    if dir.is_dir() {
        Ok(())
    } else {
        Err(t!(
            "Không có thư mục {}. Hãy cắm USB và gõ đúng đường dẫn.",
            "There is no folder {}. Plug in the USB stick and type its path.",
            dir.display()
        ))
    }
}

/// The report document as DOCX (as `baocao render --format docx`) in
/// `dir`, under its usual name.
fn print(dir: &Path, base: Base) -> Result<PathBuf, String> {
    folder(dir)?;
    let ws = base.open()?;
    let doc = crate::render::for_print(&ws).map_err(|e| e.to_string())?;
    let bytes = crate::render::docx::render(&doc);
    let target = dir.join(crate::render::docx::file_name(&ws.report));
    crate::store::write_atomic(&target, &bytes, false).map_err(|e| e.to_string())?;
    Ok(target)
}

fn export(dir: &Path, base: Base) -> Result<Exported, String> {
    folder(dir)?;
    let mut ws = base.open()?;
    let path = ws.export(dir).map_err(|e| e.to_string())?;
    Ok(Exported {
        path,
        last_export: ws.report.last_export.clone(),
        sent: ws.report.sent.clone(),
    })
}

/// The units to chase as DOCX and CSV in `dir`, under one name.
fn print_chase(dir: &Path, sort: SortBy, base: Base) -> Result<(PathBuf, PathBuf), String> {
    folder(dir)?;
    let ws = base.open()?;
    let today = chrono::Local::now().date_naive();
    let subs = ws.submissions(today);
    let units = crate::workspace::chase::chase_list(&subs, sort);
    let stem = crate::render::chase::file_stem(&ws, today);
    let doc = crate::render::chase::document(&ws, &units, today);
    let docx = dir.join(format!("{stem}.docx"));
    let csv = dir.join(format!("{stem}.csv"));
    let write = |path: &Path, bytes: &[u8]| {
        crate::store::write_atomic(path, bytes, false).map_err(|e| e.to_string())
    };
    write(&docx, &crate::render::docx::render(&doc))?;
    write(&csv, crate::render::chase::csv(&units).as_bytes())?;
    Ok((docx, csv))
}
