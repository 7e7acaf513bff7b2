//! The report on disk: atomic saves, the last versions kept as backups,
//! one writer at a time, and damage detected before anything is changed.

use crate::error::{IoAction, IoError, Result, io_error};
use crate::i18n::{Lang, Localized};
use crate::outline::Outline;
use crate::report::{self, PastApproval, Report, Status, Unit};
use crate::tl;
use serde_json::Value;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// How many earlier versions are kept beside the report.
pub const BACKUPS_KEPT: usize = 10;

/// Where the report lives when `--data` is not given.
pub fn default_path() -> PathBuf {
    directories::ProjectDirs::from("vn", "baocao", "baocao")
        .map(|d| d.data_dir().join("baocao.json"))
        .unwrap_or_else(|| PathBuf::from("baocao.json"))
}

fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

pub fn backup_dir(path: &Path) -> PathBuf {
    sibling(path, ".backups")
}

fn lock_path(path: &Path) -> PathBuf {
    sibling(path, ".lock")
}

fn temp_prefix(path: &Path) -> String {
    format!(
        ".{}.tmp",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    )
}

fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The right to write one report, held through a sidecar lock file (never
/// the report itself, which is renamed over). Released when dropped, also
/// by the operating system when the process dies.
#[derive(Debug)]
pub struct Lock {
    file: File,
    /// Set when a lock left by a crashed program was taken over.
    pub took_over: Option<Holder>,
}

impl Lock {
    pub fn acquire(report_path: &Path) -> Result<Lock> {
        let path = lock_path(report_path);
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            fs::create_dir_all(dir)
                .map_err(|e| io_error(crate::error::IoAction::CreateFolder, dir, e))?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| io_error(crate::error::IoAction::OpenLock, &path, e))?;
        let mut holder = String::new();
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
                let _ = file.read_to_string(&mut holder);
                return Err(StoreError::Locked {
                    path: report_path.to_path_buf(),
                    holder: Holder::read(&holder),
                }
                .into());
            }
            Err(fs::TryLockError::Error(e)) => {
                return Err(io_error(crate::error::IoAction::Lock, &path, e));
            }
        }
        let _ = file.read_to_string(&mut holder);
        let took_over = (!holder.trim().is_empty()).then(|| Holder::read(&holder));
        let me = format!(
            "pid={}\nsince={}\nuser={}\n",
            std::process::id(),
            chrono::Local::now().format("%d/%m/%Y %H:%M:%S"),
            std::env::var("USER")
                .or_else(|_| std::env::var("USERNAME"))
                .unwrap_or_default()
        );
        let _ = file.set_len(0);
        let _ = (&file).write_all(me.as_bytes());
        let _ = file.sync_all();
        Ok(Lock { file, took_over })
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // An empty lock file tells the next program we closed cleanly.
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}

/// Who holds (or held) a report's lock, as its lock file says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Holder {
    pub pid: String,
    pub since: String,
}

impl Holder {
    fn read(text: &str) -> Holder {
        let get = |k: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(&format!("{k}=")))
                .unwrap_or("?")
                .to_string()
        };
        Holder {
            pid: get("pid"),
            since: get("since"),
        }
    }
}

/// Why a report file was refused as damaged.
#[derive(Debug, Clone, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Damage {
    NotUtf8,
    Empty,
    Truncated {
        line: usize,
    },
    Json {
        line: usize,
        column: usize,
        too_deep: bool,
    },
    NotReport,
    NewerFormat {
        version: u64,
    },
    UnknownVersion,
    /// What serde found missing or wrong.
    Content {
        detail: String,
    },
}

impl Localized for Damage {
    fn localized(&self, lang: Lang) -> String {
        match self {
            Damage::NotUtf8 => tl!(lang, "không phải văn bản UTF-8", "not UTF-8 text"),
            Damage::Empty => tl!(lang, "tệp rỗng", "the file is empty"),
            Damage::Truncated { line } => tl!(
                lang,
                "tệp bị cắt cụt (dòng {line})",
                "the file is truncated (line {line})"
            ),
            Damage::Json {
                line,
                column,
                too_deep,
            } => {
                let note = crate::text::nesting_note(*too_deep, lang);
                tl!(
                    lang,
                    "JSON sai ở dòng {line}, cột {column}{note}",
                    "bad JSON at line {line}, column {column}{note}"
                )
            }
            Damage::NotReport => tl!(
                lang,
                "không phải tệp báo cáo của baocao",
                "not a baocao report file"
            ),
            Damage::NewerFormat { version } => tl!(
                lang,
                "tệp được tạo bởi phiên bản baocao mới hơn (định dạng {version}); hãy cập nhật baocao",
                "the file was made by a newer baocao (format {version}); update baocao"
            ),
            Damage::UnknownVersion => {
                tl!(
                    lang,
                    "không rõ phiên bản định dạng",
                    "unknown format version"
                )
            }
            Damage::Content { detail } => tl!(
                lang,
                "thiếu hoặc sai nội dung: {detail}",
                "missing or wrong content: {detail}"
            ),
        }
    }
}

/// Why a report could not be opened, saved, created or restored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum StoreError {
    /// Another baocao has the report open.
    Locked {
        path: PathBuf,
        holder: Holder,
    },
    Io(#[from] IoError),
    Missing {
        path: PathBuf,
    },
    /// The file is damaged; nothing was changed. The newest backup that
    /// reads well, if any.
    Damaged {
        path: PathBuf,
        reason: Damage,
        good_backup: Option<PathBuf>,
    },
    /// `init` would overwrite a report.
    Exists {
        path: PathBuf,
    },
    NoSuchBackup {
        name: String,
        path: PathBuf,
    },
    NoGoodBackup,
    BackupDamaged {
        name: String,
        reason: Damage,
    },
}

impl Localized for StoreError {
    fn localized(&self, lang: Lang) -> String {
        match self {
            StoreError::Locked { path, holder } => {
                let who = tl!(
                    lang,
                    "tiến trình {}, mở lúc {}",
                    "process {}, opened at {}",
                    holder.pid,
                    holder.since
                );
                tl!(
                    lang,
                    "Báo cáo {} đang được mở bởi một chương trình baocao khác ({who}). Hãy đóng chương trình đó (Ctrl+Q) rồi thử lại.",
                    "The report {} is open in another baocao ({who}). Close that one (Ctrl+Q) and try again.",
                    path.display()
                )
            }
            StoreError::Io(e) => e.localized(lang),
            StoreError::Missing { path } => tl!(
                lang,
                "Chưa có báo cáo ở {}. Tạo bằng: baocao init --type LOẠI --code MÃ --name TÊN (hoặc mở giao diện: baocao).",
                "There is no report at {}. Create one with: baocao init --type TYPE --code CODE --name NAME (or open the UI: baocao).",
                path.display()
            ),
            StoreError::Damaged {
                path,
                reason,
                good_backup,
            } => {
                let data = path.display();
                let reason = reason.localized(lang);
                let advice = match good_backup {
                    Some(b) => {
                        let name = b
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        tl!(
                            lang,
                            " Bản sao lưu tốt gần nhất: {name}. Khôi phục bằng lệnh: baocao restore {name} --data {data}",
                            " The newest good backup is {name}. Restore it with: baocao restore {name} --data {data}"
                        )
                    }
                    None => tl!(
                        lang,
                        " Không có bản sao lưu nào đọc được.",
                        " No readable backup was found."
                    ),
                };
                tl!(
                    lang,
                    "Tệp báo cáo {data} bị hỏng, chưa thay đổi gì: {reason}.{advice}",
                    "The report file {data} is damaged; nothing was changed: {reason}.{advice}"
                )
            }
            StoreError::Exists { path } => tl!(
                lang,
                "Đã có báo cáo ở {}. Không ghi đè; nếu muốn tạo lại, thêm --force (bản cũ sẽ được sao lưu).",
                "A report already exists at {}. Not overwriting; to start again add --force (the old one is backed up).",
                path.display()
            ),
            StoreError::NoSuchBackup { name, path } => tl!(
                lang,
                "Không có bản sao lưu \"{name}\". Xem danh sách: baocao restore --list --data {}",
                "There is no backup \"{name}\". See the list: baocao restore --list --data {}",
                path.display()
            ),
            StoreError::NoGoodBackup => tl!(
                lang,
                "Không có bản sao lưu nào đọc được.",
                "There is no readable backup."
            ),
            StoreError::BackupDamaged { name, reason } => {
                let reason = reason.localized(lang);
                tl!(
                    lang,
                    "Bản sao lưu {name} cũng bị hỏng ({reason}); hãy chọn bản khác trong: baocao restore --list",
                    "The backup {name} is damaged too ({reason}); choose another from: baocao restore --list"
                )
            }
        }
    }
}

crate::coded!(StoreError => "store");
crate::localized_display!(Damage, StoreError);

/// Reads a report, detecting damage (truncation, bad JSON, missing parts,
/// a newer format) without changing anything.
pub fn load(path: &Path) -> Result<Report, StoreError> {
    let bytes = match fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(StoreError::Missing {
                path: path.to_path_buf(),
            });
        }
        Err(e) => return Err(IoError::new(IoAction::Read, path, e).into()),
    };
    parse(&bytes).map_err(|reason| StoreError::Damaged {
        path: path.to_path_buf(),
        reason,
        good_backup: newest_good_backup(path),
    })
}

/// Parses report bytes, migrating older format versions.
pub fn parse(bytes: &[u8]) -> Result<Report, Damage> {
    let text = std::str::from_utf8(bytes).map_err(|_| Damage::NotUtf8)?;
    if text.trim().is_empty() {
        return Err(Damage::Empty);
    }
    let value: Value = serde_json::from_str(text).map_err(|e| {
        if e.is_eof() {
            Damage::Truncated { line: e.line() }
        } else {
            Damage::Json {
                line: e.line(),
                column: e.column(),
                too_deep: crate::text::json_too_deep(&e),
            }
        }
    })?;
    let from = value.get("format_version").and_then(Value::as_u64);
    let value = migrate(value)?;
    let mut report: Report = serde_json::from_value(value).map_err(|e| Damage::Content {
        detail: crate::text::printable(&e.to_string(), false),
    })?;
    if from == Some(1) {
        // The approval moved out of the form: it covers the content as
        // it was when this version first read it.
        let hash = report.content_hash();
        if let Some(a) = &mut report.approval {
            a.content_hash = hash;
        }
    }
    settle_approval(&mut report);
    Ok(report)
}

/// A report is final exactly when it holds an approval: a file that says
/// "final" with none is a draft, and an approval on a draft no longer
/// holds (it goes to the history).
fn settle_approval(report: &mut Report) {
    match (report.status, report.approval.take()) {
        (Status::Final, None) => report.status = Status::Draft,
        (Status::Draft, Some(approval)) => report.approval_history.push(PastApproval {
            approval,
            reopened_at: report.updated_at,
            reason: None,
        }),
        (_, kept) => report.approval = kept,
    }
}

/// Brings an older report up to the current format. Each new format
/// version adds one step here.
fn migrate(value: Value) -> Result<Value, Damage> {
    if value.get("format").and_then(Value::as_str) != Some(report::FORMAT) {
        return Err(Damage::NotReport);
    }
    match value.get("format_version").and_then(Value::as_u64) {
        Some(v) if v == report::FORMAT_VERSION as u64 => Ok(value),
        Some(1) => Ok(from_v1(value)),
        Some(v) if v > report::FORMAT_VERSION as u64 => Err(Damage::NewerFormat { version: v }),
        _ => Err(Damage::UnknownVersion),
    }
}

/// Version 1 kept the collective approval as two fields of the front
/// matter, "thong_qua_boi" and "thong_qua_ngay", which drafts had too. A
/// final report's become its approval; the embedded outline no longer has
/// those fields, so its reports drop them and answer its new version.
fn from_v1(mut value: Value) -> Value {
    let embedded = value.get("outline_definition").is_none()
        && value.pointer("/outline/id").and_then(Value::as_str) == Some(&Outline::embedded().id);
    let front = value
        .pointer_mut("/answers/front")
        .and_then(Value::as_object_mut);
    let (by, on) = match front {
        Some(front) if embedded => (
            front.remove("thong_qua_boi"),
            front.remove("thong_qua_ngay"),
        ),
        Some(front) => (
            front.get("thong_qua_boi").cloned(),
            front.get("thong_qua_ngay").cloned(),
        ),
        None => (None, None),
    };
    if value
        .pointer("/answers/front")
        .and_then(Value::as_object)
        .is_some_and(|f| f.is_empty())
        && let Some(answers) = value.get_mut("answers").and_then(Value::as_object_mut)
    {
        answers.remove("front");
    }
    let approval = match (by, on, value.get("status").and_then(Value::as_str)) {
        (Some(Value::String(by)), Some(Value::String(on)), Some("final"))
            if !by.trim().is_empty() && crate::vnfmt::parse_date(&on).is_ok() =>
        {
            Some(serde_json::json!({
                "by": by.trim(),
                "on": on,
                "recorded_at": value.get("updated_at").cloned().unwrap_or(Value::Null),
                // Set once the report is read: see `parse`.
                "content_hash": "",
            }))
        }
        _ => None,
    };
    if let Some(a) = approval {
        value["approval"] = a;
    }
    if embedded {
        value["outline"] = serde_json::to_value(Outline::embedded().reference())
            .expect("an outline reference serialises");
    }
    value["format_version"] = report::FORMAT_VERSION.into();
    value
}

/// Writes the report atomically: a temp file in the same folder, fsync,
/// the previous version moved into the backups, rename, fsync the folder.
/// On any failure the previous file is untouched.
pub fn save(path: &Path, report: &Report) -> Result<()> {
    let mut bytes = serde_json::to_vec_pretty(report).expect("a report always serialises");
    bytes.push(b'\n');
    write_atomic(path, &bytes, true)
}

pub fn write_atomic(path: &Path, bytes: &[u8], keep_backup: bool) -> Result<()> {
    write_renamed(path, bytes, keep_backup, true)
}

/// Like [`write_atomic`] (temp file, rename: never half a file under the
/// name) but without any fsync: the caller makes the file durable with
/// [`make_durable`] before anything that refers to it is saved. Many files
/// written this way and made durable together cost one disk flush instead
/// of two per file (an import of 1,000 packages: seconds on a real disk).
pub fn write_unsynced(path: &Path, bytes: &[u8]) -> Result<()> {
    write_renamed(path, bytes, false, false)
}

/// Makes files written with [`write_unsynced`] durable, with the folders
/// that name them.
pub fn make_durable(files: &[PathBuf]) -> Result<()> {
    let Some(first) = files.first() else {
        return Ok(());
    };
    // On Linux one syncfs writes every file, and the folders naming them,
    // out together. An fsync per file costs a disk flush each (ext4:
    // 1–4 ms), seconds for an import of 1,000 packages. When syncfs
    // reports an error, the fsyncs below say which file.
    #[cfg(target_os = "linux")]
    if let Ok(d) = File::open(parent_dir(first)) {
        use std::os::fd::AsRawFd;
        // SAFETY: a valid descriptor, open for the duration of the call.
        if unsafe { libc::syncfs(d.as_raw_fd()) } == 0 {
            return Ok(());
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = first;
    let mut dirs: Vec<PathBuf> = Vec::new();
    for f in files {
        File::open(f)
            .and_then(|file| file.sync_all())
            .map_err(|e| io_error(crate::error::IoAction::Write, f, e))?;
        let dir = parent_dir(f);
        if !dirs.contains(&dir) {
            dirs.push(dir);
        }
    }
    for d in &dirs {
        sync_dir(d);
    }
    Ok(())
}

fn write_renamed(path: &Path, bytes: &[u8], keep_backup: bool, sync: bool) -> Result<()> {
    let dir = parent_dir(path);
    fs::create_dir_all(&dir)
        .map_err(|e| io_error(crate::error::IoAction::CreateFolder, &dir, e))?;
    let write = |e: std::io::Error| io_error(crate::error::IoAction::Write, path, e);
    let mut tmp = tempfile::Builder::new()
        .prefix(&temp_prefix(path))
        .tempfile_in(&dir)
        .map_err(write)?;
    tmp.write_all(bytes).map_err(write)?;
    if sync {
        tmp.as_file().sync_all().map_err(write)?;
    }
    if keep_backup && path.exists() {
        backup(path)?;
    }
    tmp.persist(path).map_err(|e| write(e.error))?;
    if sync {
        sync_dir(&dir);
    }
    Ok(())
}

fn sync_dir(dir: &Path) {
    // Makes the rename durable; not possible (nor needed) on Windows.
    #[cfg(unix)]
    if let Ok(d) = File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

fn backup(path: &Path) -> Result<PathBuf> {
    let dir = backup_dir(path);
    fs::create_dir_all(&dir)
        .map_err(|e| io_error(crate::error::IoAction::CreateBackupFolder, &dir, e))?;
    // Make room first: killed between the copy and the pruning, the folder
    // must still hold no more than BACKUPS_KEPT versions.
    prune_backups(path, BACKUPS_KEPT - 1);
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S-%3f");
    // A counter keeps names unique and in order within one millisecond.
    let mut n = 0;
    let mut target = dir.join(format!("{stamp}-{n:03}.json"));
    while target.exists() {
        n += 1;
        target = dir.join(format!("{stamp}-{n:03}.json"));
    }
    if let Err(e) = fs::copy(path, &target) {
        // A copy cut short (disk full) is a damaged backup: left there, each
        // retry would add one and push a good one out.
        let _ = fs::remove_file(&target);
        return Err(io_error(crate::error::IoAction::Backup, &target, e));
    }
    Ok(target)
}

/// Removes the oldest backups so that at most `keep` remain.
fn prune_backups(path: &Path, keep: usize) {
    let list = backup_files(path);
    if list.len() > keep {
        for old in &list[..list.len() - keep] {
            let _ = fs::remove_file(old);
        }
    }
}

/// Backup files, oldest first.
pub fn backup_files(path: &Path) -> Vec<PathBuf> {
    let mut list: Vec<PathBuf> = fs::read_dir(backup_dir(path))
        .map(|rd| {
            rd.filter_map(|e| e.ok())
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect()
        })
        .unwrap_or_default();
    list.sort();
    list
}

pub struct BackupInfo {
    pub path: PathBuf,
    pub name: String,
    pub report: Result<Report, Damage>,
}

/// Every backup, newest first, each read to tell a good one from a damaged one.
pub fn backups(path: &Path) -> Vec<BackupInfo> {
    backup_files(path)
        .into_iter()
        .rev()
        .map(|p| BackupInfo {
            name: p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            // A backup that cannot be read at all counts as damaged.
            report: fs::read(&p)
                .map_err(|e| Damage::Content {
                    detail: e.to_string(),
                })
                .and_then(|b| parse(&b)),
            path: p,
        })
        .collect()
}

pub fn newest_good_backup(path: &Path) -> Option<PathBuf> {
    backups(path)
        .into_iter()
        .find(|b| b.report.is_ok())
        .map(|b| b.path)
}

/// Puts a backup back as the report. The current file, even a damaged
/// one, is first kept among the backups so nothing is lost.
pub fn restore(path: &Path, name: Option<&str>) -> Result<PathBuf> {
    let all = backups(path);
    let chosen = match name {
        Some(n) => all
            .into_iter()
            .find(|b| b.name == n || b.path == Path::new(n))
            .ok_or_else(|| StoreError::NoSuchBackup {
                name: n.to_string(),
                path: path.to_path_buf(),
            })?,
        None => all
            .into_iter()
            .find(|b| b.report.is_ok())
            .ok_or(StoreError::NoGoodBackup)?,
    };
    if let Err(reason) = &chosen.report {
        return Err(StoreError::BackupDamaged {
            name: chosen.name.clone(),
            reason: reason.clone(),
        }
        .into());
    }
    let bytes = fs::read(&chosen.path)
        .map_err(|e| io_error(crate::error::IoAction::Read, &chosen.path, e))?;
    write_atomic(path, &bytes, true)?;
    Ok(chosen.path)
}

/// Removes temp files that a killed program left behind (we hold the lock,
/// so none of them is being written).
pub fn remove_stale_temps(path: &Path) {
    let prefix = temp_prefix(path);
    if let Ok(rd) = fs::read_dir(parent_dir(path)) {
        for e in rd.flatten() {
            if e.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

/// An open report: the lock held, the report in memory, saves through here.
pub struct Store {
    pub path: PathBuf,
    pub lock: Lock,
}

impl Store {
    /// Locks and loads an existing report.
    pub fn open(path: &Path) -> Result<(Store, Report)> {
        let lock = Lock::acquire(path)?;
        let report = load(path)?;
        remove_stale_temps(path);
        Ok((
            Store {
                path: path.to_path_buf(),
                lock,
            },
            report,
        ))
    }

    /// Locks a path for a report that does not exist yet.
    pub fn lock_only(path: &Path) -> Result<Store> {
        let lock = Lock::acquire(path)?;
        remove_stale_temps(path);
        Ok(Store {
            path: path.to_path_buf(),
            lock,
        })
    }

    pub fn save(&self, report: &Report) -> Result<()> {
        save(&self.path, report)
    }

    /// Creates a new report for `unit` on `outline` here. An existing
    /// report is never overwritten unless `force` (then it is backed up
    /// first, as every save does).
    pub fn create(&self, outline: &Outline, unit: Unit, force: bool) -> Result<Report> {
        if self.path.exists() && !force {
            return Err(StoreError::Exists {
                path: self.path.clone(),
            }
            .into());
        }
        let report = Report::new(outline, unit)?;
        self.save(&report)?;
        Ok(report)
    }
}
