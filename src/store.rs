//! The report on disk: atomic saves, the last versions kept as backups,
//! one writer at a time, and damage detected before anything is changed.

use crate::error::{IoError, Result, io_error};
use crate::i18n::{Lang, Localized};
use crate::outline::Outline;
use crate::report::{self, PastApproval, Report, Status, Unit};
use crate::tl;
use serde_json::Value;
use std::fs::{self, File, OpenOptions};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

pub mod archive;
pub mod key;

/// How many earlier versions are kept beside the report.
pub const BACKUPS_KEPT: usize = RECENT_BACKUPS + SLOT_BACKUPS + DAY_BACKUPS;
/// The newest saves, kept whatever their times.
pub const RECENT_BACKUPS: usize = 5;
/// Then one per ten minutes over the last eight hours…
pub const SLOT_MINUTES: i64 = 10;
pub const SLOT_BACKUPS: usize = 48;
/// …and one per day before that, for a month.
pub const DAY_BACKUPS: usize = 30;

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

/// The file a report path names: a symbolic link is followed to its
/// target (and on, at most 40 links), so that the report is written
/// through it and its backups, temp files and archive live beside the
/// real file. A path that is no link is itself.
pub fn real_path(path: &Path) -> PathBuf {
    let mut p = path.to_path_buf();
    for _ in 0..40 {
        match fs::symlink_metadata(&p) {
            Ok(m) if m.file_type().is_symlink() => match fs::read_link(&p) {
                Ok(target) if target.is_absolute() => p = target,
                Ok(target) => p = parent_dir(&p).join(target),
                Err(_) => break,
            },
            _ => break,
        }
    }
    p
}

/// The one name of the file a report path names, whatever link or
/// folder alias leads to it: what the lock is taken on.
fn canonical(path: &Path) -> PathBuf {
    let real = real_path(path);
    match (fs::canonicalize(parent_dir(&real)), real.file_name()) {
        (Ok(dir), Some(name)) => dir.join(name),
        _ => real,
    }
}

pub fn backup_dir(path: &Path) -> PathBuf {
    sibling(&real_path(path), ".backups")
}

/// The folder beside the report where received packages were archived,
/// one file each, byte for byte, before they went into one archive file
/// ([`archive::archive_file`]). A district made then still reads its
/// packages from there, until a unit's new package replaces its file.
pub fn archive_dir(report_path: &Path) -> PathBuf {
    sibling(&real_path(report_path), ".packages")
}

/// The log of every package exported, beside the report: one JSON line
/// per new revision. Not part of the report nor of its backups, so a
/// restore never takes a revision number back.
pub fn export_log(report_path: &Path) -> PathBuf {
    sibling(&real_path(report_path), ".exports")
}

fn lock_path(path: &Path) -> PathBuf {
    sibling(&canonical(path), ".lock")
}

fn temp_prefix(path: &Path) -> String {
    format!(
        ".{}.tmp",
        path.file_name()
            .map(|n| n.to_string_lossy())
            .unwrap_or_default()
    )
}

/// The folder `path` is in ("." for a bare file name).
pub fn parent_dir(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// The right to write one report, held through a sidecar lock file (never
/// the report itself, which is renamed over). Released when dropped, also
/// by the operating system when the process dies.
///
/// There is one lock per real file: it is taken beside the canonical path
/// of the report, so a symbolic link or a folder alias leading to the same
/// report meets the same lock. The lock file is opened without following
/// a symbolic link, must be a regular file with no other name (no hard
/// link to the report), and is never truncated: who holds it is written
/// over its start as a record of [`RECORD`] bytes, blank once released.
#[derive(Debug)]
pub struct Lock {
    file: File,
    /// Set when a lock left by a crashed program was taken over.
    pub took_over: Option<Holder>,
}

/// The size of the holder's record at the start of the lock file.
const RECORD: usize = 256;

impl Lock {
    pub fn acquire(report_path: &Path) -> Result<Lock> {
        let dir = parent_dir(&real_path(report_path));
        fs::create_dir_all(&dir)
            .map_err(|e| io_error(crate::error::IoAction::CreateFolder, &dir, e))?;
        let path = lock_path(report_path);
        let file = open_lock(&path)?;
        let holder = read_record(&file);
        match file.try_lock() {
            Ok(()) => {}
            Err(fs::TryLockError::WouldBlock) => {
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
        // Read again: the holder may have been writing as we read.
        let holder = read_record(&file);
        let took_over = (!holder.trim().is_empty()).then(|| Holder::read(&holder));
        let user = std::env::var("USER")
            .or_else(|_| std::env::var("USERNAME"))
            .unwrap_or_default();
        let user: String = crate::text::printable(&user, false)
            .chars()
            .take(64)
            .collect();
        let me = format!(
            "pid={}\nsince={}\nuser={user}\n",
            std::process::id(),
            chrono::Local::now().format("%d/%m/%Y %H:%M:%S"),
        );
        write_record(&file, &me);
        let _ = file.sync_all();
        Ok(Lock { file, took_over })
    }
}

/// Opens (or creates) the lock file itself: never through a symbolic
/// link, never a FIFO or a folder, never a file with a second name.
fn open_lock(path: &Path) -> Result<File> {
    let unsafe_lock = || -> crate::error::Error {
        StoreError::LockNotAFile {
            lock: path.to_path_buf(),
        }
        .into()
    };
    let mut options = OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = match options.open(path) {
        Ok(f) => f,
        Err(e) => {
            // ELOOP (EMLINK on some systems) for a link, EISDIR for a folder.
            let special = fs::symlink_metadata(path).is_ok_and(|m| !m.is_file());
            if special {
                return Err(unsafe_lock());
            }
            return Err(io_error(crate::error::IoAction::OpenLock, path, e));
        }
    };
    let meta = file
        .metadata()
        .map_err(|e| io_error(crate::error::IoAction::OpenLock, path, e))?;
    #[cfg(unix)]
    let other_names = {
        use std::os::unix::fs::MetadataExt;
        meta.nlink() > 1
    };
    #[cfg(not(unix))]
    let other_names = false;
    if !meta.is_file() || other_names {
        return Err(unsafe_lock());
    }
    Ok(file)
}

/// The start of the lock file, as text (at most a few KB are read).
fn read_record(file: &File) -> String {
    use std::io::{Seek, SeekFrom};
    let mut f = file;
    let mut bytes = Vec::new();
    if f.seek(SeekFrom::Start(0)).is_ok() {
        let _ = f.take(4096).read_to_end(&mut bytes);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Writes `text` over the start of the lock file, padded with spaces to
/// [`RECORD`] bytes: what was there before is covered, nothing truncated.
fn write_record(file: &File, text: &str) {
    use std::io::{Seek, SeekFrom};
    let mut cut = text.len().min(RECORD - 1);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut record = text.as_bytes()[..cut].to_vec();
    record.resize(RECORD - 1, b' ');
    record.push(b'\n');
    let mut f = file;
    if f.seek(SeekFrom::Start(0)).is_ok() {
        let _ = f.write_all(&record);
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        // A blank record tells the next program we closed cleanly.
        write_record(&self.file, "");
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
    /// The file's own checksum does not match its content: changed outside
    /// baocao, or damaged on the disk (a flipped digit).
    Checksum,
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
            Damage::Checksum => tl!(
                lang,
                "mã kiểm tra (checksum) của tệp không khớp với nội dung: tệp đã bị sửa ngoài baocao hoặc hỏng trên đĩa",
                "its checksum does not match its content: the file was changed outside baocao or damaged on the disk"
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
    /// The report may not be written (the file read-only, or its folder,
    /// or the drive): refused before anything was written.
    ReadOnly {
        path: PathBuf,
        part: NotWritable,
    },
    /// The lock file is a symbolic link, a folder, a FIFO, or a file with
    /// another name too: it is not opened for writing.
    LockNotAFile {
        lock: PathBuf,
    },
}

/// What keeps a report from being written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum NotWritable {
    /// The file is read-only (0444, or the Windows attribute).
    File,
    /// Its folder may not be written.
    Folder,
    /// The drive is read-only (a write-protected USB stick).
    Drive,
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
            StoreError::ReadOnly { path, part } => {
                let p = path.display();
                match part {
                    NotWritable::File => tl!(
                        lang,
                        "Tệp báo cáo {p} chỉ cho đọc (read-only), nên không ghi được; chưa thay đổi gì. Nếu muốn sửa báo cáo, hãy bỏ thuộc tính chỉ đọc của tệp (Linux: chmod u+w \"{p}\"; Windows: chuột phải vào tệp → Properties → bỏ chọn Read-only) rồi thử lại.",
                        "The report file {p} is read-only, so it cannot be written; nothing was changed. To change the report, make the file writable (Linux: chmod u+w \"{p}\"; Windows: right-click the file → Properties → untick Read-only) and try again."
                    ),
                    NotWritable::Folder => {
                        let dir = parent_dir(path);
                        let dir = dir.display();
                        tl!(
                            lang,
                            "Thư mục {dir} không cho ghi, nên không lưu được báo cáo {p}; chưa thay đổi gì. Hãy cho phép ghi vào thư mục đó, hoặc chép báo cáo sang một thư mục ghi được rồi dùng --data TỆP-MỚI.",
                            "The folder {dir} may not be written, so the report {p} cannot be saved; nothing was changed. Allow writing in that folder, or copy the report to a folder that can be written and use --data NEW-FILE."
                        )
                    }
                    NotWritable::Drive => tl!(
                        lang,
                        "Không ghi được báo cáo {p}: ổ đĩa chỉ cho đọc (USB bị khóa ghi?); chưa thay đổi gì. Hãy gạt khóa ghi của USB, hoặc chép báo cáo sang ổ khác rồi dùng --data TỆP-MỚI.",
                        "Could not write the report {p}: the drive is read-only (write-protected USB stick?); nothing was changed. Slide the stick's write-protect switch off, or copy the report to another drive and use --data NEW-FILE."
                    ),
                }
            }
            StoreError::LockNotAFile { lock } => {
                let l = lock.display();
                tl!(
                    lang,
                    "Tệp khóa {l} không phải một tệp thường của baocao (là liên kết, thư mục hoặc tệp có tên khác nữa), nên không dùng được; chưa thay đổi gì. Hãy đóng mọi chương trình baocao, xóa {l} rồi thử lại.",
                    "The lock file {l} is not a plain baocao file (a link, a folder, or a file with another name too), so it is not used; nothing was changed. Close every baocao, delete {l} and try again."
                )
            }
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
    let bytes = match crate::file::read(path, u64::MAX - 1) {
        Ok(b) => b,
        Err(e) if e.kind == std::io::ErrorKind::NotFound => {
            return Err(StoreError::Missing {
                path: path.to_path_buf(),
            });
        }
        Err(e) => return Err(e.into()),
    };
    parse(&bytes).map_err(|reason| StoreError::Damaged {
        path: path.to_path_buf(),
        reason,
        good_backup: newest_good_backup(path),
    })
}

/// The key of the report's own checksum.
const CHECKSUM: &str = "checksum";

/// "sha256:<hex>" over the canonical JSON of a report without its
/// checksum (as a package's: `package::checksum_of`).
pub fn checksum_of(v: &Value) -> String {
    format!("sha256:{}", crate::canonical::sha256_hex(v, Some(CHECKSUM)))
}

/// A report value with its checksum set (in place of any it had).
pub fn seal(mut v: Value) -> Value {
    let sum = checksum_of(&v);
    if let Value::Object(map) = &mut v {
        map.insert(CHECKSUM.into(), Value::String(sum));
    }
    v
}

/// The bytes of a report as saved: pretty JSON carrying its checksum.
pub fn to_bytes(report: &Report) -> Vec<u8> {
    let v = serde_json::to_value(report).expect("a report always serialises");
    pretty(&seal(v))
}

/// Report bytes serialised without a checksum (the copy the UI keeps at
/// every key costs no hash), sealed for writing. Bytes that are not a
/// JSON object are returned as they are.
pub fn sealed(bytes: &[u8]) -> Vec<u8> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(v) if v.is_object() => pretty(&seal(v)),
        _ => bytes.to_vec(),
    }
}

fn pretty(v: &Value) -> Vec<u8> {
    let mut bytes = serde_json::to_vec_pretty(v).expect("a value always serialises");
    bytes.push(b'\n');
    bytes
}

/// Checks a report's own checksum, and takes it out. A report without one
/// (written by an older baocao) is taken as it is; a file that is no
/// report is left for [`migrate`] to refuse.
fn verify_checksum(value: &mut Value) -> Result<(), Damage> {
    if value.get("format").and_then(Value::as_str) != Some(report::FORMAT) {
        return Ok(());
    }
    let Some(stated) = value.get(CHECKSUM) else {
        return Ok(());
    };
    if stated.as_str() != Some(checksum_of(value).as_str()) {
        return Err(Damage::Checksum);
    }
    if let Value::Object(map) = value {
        map.shift_remove(CHECKSUM);
    }
    Ok(())
}

/// Parses report bytes, checking its checksum, migrating older format
/// versions.
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
    let mut value = value;
    verify_checksum(&mut value)?;
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

/// Writes the report atomically, with its checksum: a temp file in the
/// same folder, fsync, the previous version moved into the backups,
/// rename, fsync the folder. On any failure the previous file is
/// untouched.
pub fn save(path: &Path, report: &Report) -> Result<()> {
    write_atomic(path, &to_bytes(report), true)
}

/// Writes `bytes` as `path` atomically. A path that is a symbolic link
/// is written through: the temp file and the rename are beside its
/// target, and the link keeps pointing to the updated file. The file's
/// mode is kept. With `keep_backup` (a report), a read-only file is
/// refused before anything is written.
pub fn write_atomic(path: &Path, bytes: &[u8], keep_backup: bool) -> Result<()> {
    let real = real_path(path);
    if keep_backup && fs::metadata(&real).is_ok_and(|m| m.permissions().readonly()) {
        return Err(StoreError::ReadOnly {
            path: path.to_path_buf(),
            part: NotWritable::File,
        }
        .into());
    }
    write_renamed(&real, bytes, keep_backup, true)
}

/// Refuses a report that cannot be written, before anything is: the file
/// read-only, its folder not writable, or a read-only drive. Checked when
/// a report is opened for writing (the lock taken), so that neither the
/// command line nor the UI starts work it could not save.
pub fn check_writable(path: &Path) -> Result<(), StoreError> {
    let real = real_path(path);
    let refuse = |part| StoreError::ReadOnly {
        path: path.to_path_buf(),
        part,
    };
    if fs::metadata(&real).is_ok_and(|m| m.permissions().readonly()) {
        return Err(refuse(NotWritable::File));
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let dir = parent_dir(&real);
        if let Ok(c) = std::ffi::CString::new(dir.as_os_str().as_bytes())
            && dir.is_dir()
        {
            // SAFETY: a valid C string, for the duration of the call.
            if unsafe { libc::access(c.as_ptr(), libc::W_OK) } != 0 {
                match std::io::Error::last_os_error().raw_os_error() {
                    Some(libc::EROFS) => return Err(refuse(NotWritable::Drive)),
                    Some(libc::EACCES) | Some(libc::EPERM) => {
                        return Err(refuse(NotWritable::Folder));
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(())
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
    // The report keeps its mode (a shared 0640 stays 0640).
    if let Ok(m) = fs::metadata(path) {
        let _ = tmp.as_file().set_permissions(m.permissions());
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
    let now = chrono::Local::now().naive_local();
    prune_backups(path, now);
    let stamp = now.format(STAMP);
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

/// How a backup's name starts: the time it was taken (then a counter).
const STAMP: &str = "%Y%m%d-%H%M%S-%3f";

/// When the backup named `name` was taken, from its name.
pub fn backup_time(name: &str) -> Option<chrono::NaiveDateTime> {
    let stamp = name.get(..19)?;
    chrono::NaiveDateTime::parse_from_str(stamp, STAMP).ok()
}

/// Which backups to keep when one more is taken at `now`, by their times
/// (oldest first, as [`backup_files`] lists them): the
/// [`RECENT_BACKUPS`] newest, then the newest of each ten-minute slot of
/// the last eight hours, then the newest of each day — so a restore can
/// go back a minute, an afternoon or a week, and the folder stays
/// bounded by [`BACKUPS_KEPT`] (the one taken now included).
pub fn backups_to_keep(times: &[chrono::NaiveDateTime], now: chrono::NaiveDateTime) -> Vec<bool> {
    let mut keep = vec![false; times.len()];
    let mut slots = std::collections::HashSet::new();
    let mut days = std::collections::HashSet::new();
    let slot_of = |t: chrono::NaiveDateTime| t.and_utc().timestamp().div_euclid(SLOT_MINUTES * 60);
    // The backup taken now holds the newest place of its slot and day.
    let mut recent = 1;
    slots.insert(slot_of(now));
    days.insert(now.date());
    let hours = chrono::Duration::minutes(SLOT_MINUTES * SLOT_BACKUPS as i64);
    for i in (0..times.len()).rev() {
        let t = times[i];
        keep[i] = if recent < RECENT_BACKUPS {
            recent += 1;
            slots.insert(slot_of(t));
            days.insert(t.date());
            true
        } else if now - t < hours {
            slots.insert(slot_of(t)) && slots.len() <= SLOT_BACKUPS
        } else {
            days.insert(t.date()) && days.len() <= DAY_BACKUPS
        };
    }
    keep
}

/// Thins the backups for the one about to be taken at `now`
/// ([`backups_to_keep`]). A file whose name tells no time (not ours) is
/// left alone.
fn prune_backups(path: &Path, now: chrono::NaiveDateTime) {
    let timed: Vec<(PathBuf, chrono::NaiveDateTime)> = backup_files(path)
        .into_iter()
        .filter_map(|p| {
            let t = backup_time(&p.file_name()?.to_string_lossy())?;
            Some((p, t))
        })
        .collect();
    let times: Vec<_> = timed.iter().map(|(_, t)| *t).collect();
    for ((old, _), keep) in timed.iter().zip(backups_to_keep(&times, now)) {
        if !keep {
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
            report: crate::file::read(&p, u64::MAX - 1)
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
    let bytes = crate::file::read(&chosen.path, u64::MAX - 1)?;
    write_atomic(path, &bytes, true)?;
    Ok(chosen.path)
}

/// Removes temp files that a killed program left behind (we hold the lock,
/// so none of them is being written): the report's own, and those of the
/// packages being archived beside it (`.CODE-rN-….bcpkg.tmpXXXXXX`).
pub fn remove_stale_temps(path: &Path) {
    let path = &real_path(path);
    // The report's, and the key file's (beside it, and its copy among the
    // backups).
    let key = key::key_path(path);
    let copy = key::key_backup_path(path);
    for (dir, prefix) in [
        (parent_dir(path), temp_prefix(path)),
        (parent_dir(&key), temp_prefix(&key)),
        (parent_dir(&copy), temp_prefix(&copy)),
    ] {
        if let Ok(rd) = fs::read_dir(dir) {
            for e in rd.flatten() {
                if e.file_name().to_string_lossy().starts_with(&prefix) {
                    let _ = fs::remove_file(e.path());
                }
            }
        }
    }
    if let Ok(rd) = fs::read_dir(archive_dir(path)) {
        for e in rd.flatten() {
            let name = e.file_name();
            let name = name.to_string_lossy();
            let temp = name.starts_with('.') && name.contains(".tmp");
            if temp && e.file_type().is_ok_and(|t| t.is_file()) {
                let _ = fs::remove_file(e.path());
            }
        }
    }
}

/// An open report: the lock held, the report in memory, saves through here.
pub struct Store {
    pub path: PathBuf,
    pub lock: Lock,
    /// The unit's key, when opening the report made it (a report made by
    /// an older baocao) or put it back from the backups: the fingerprint,
    /// to say so.
    pub new_key: Option<(crate::keys::Fingerprint, key::KeyOrigin)>,
}

impl Store {
    /// Locks and loads an existing report.
    pub fn open(path: &Path) -> Result<(Store, Report)> {
        check_writable(path)?;
        let lock = Lock::acquire(path)?;
        let report = load(path)?;
        remove_stale_temps(path);
        // A report made before keys gets one at its first write. A key
        // file that cannot be read does not keep the report from being
        // written: exporting says why.
        let new_key = key::unit_key(path, &report.unit.code)
            .ok()
            .filter(|(_, origin)| *origin != key::KeyOrigin::Existing)
            .map(|(k, origin)| (k.public().fingerprint(), origin));
        Ok((
            Store {
                path: path.to_path_buf(),
                lock,
                new_key,
            },
            report,
        ))
    }

    /// Locks a path for a report that does not exist yet.
    pub fn lock_only(path: &Path) -> Result<Store> {
        check_writable(path)?;
        let lock = Lock::acquire(path)?;
        remove_stale_temps(path);
        Ok(Store {
            path: path.to_path_buf(),
            lock,
            new_key: None,
        })
    }

    pub fn save(&self, report: &Report) -> Result<()> {
        save(&self.path, report)
    }

    /// Creates a new report for `unit` on `outline` here, with the unit's
    /// key beside it (made first; a key already there is kept: the parent
    /// may have pinned it). An existing report is never overwritten unless
    /// `force` (then it is backed up first, as every save does).
    pub fn create(&self, outline: &Outline, unit: Unit, force: bool) -> Result<Report> {
        if self.path.exists() && !force {
            return Err(StoreError::Exists {
                path: self.path.clone(),
            }
            .into());
        }
        let report = Report::new(outline, unit)?;
        key::unit_key(&self.path, &report.unit.code)?;
        self.save(&report)?;
        Ok(report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, NaiveDate, NaiveDateTime};

    fn at(day: u32, h: u32, m: u32, s: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2014, 10, day)
            .unwrap()
            .and_hms_opt(h, m, s)
            .unwrap()
    }

    /// The backups left when one more is taken at `now`, as the store
    /// thins them.
    fn take(kept: Vec<NaiveDateTime>, now: NaiveDateTime) -> Vec<NaiveDateTime> {
        let keep = backups_to_keep(&kept, now);
        let mut kept: Vec<_> = kept
            .into_iter()
            .zip(keep)
            .filter(|(_, k)| *k)
            .map(|(t, _)| t)
            .collect();
        kept.push(now);
        kept
    }

    /// Three working days of autosaves every 3 seconds (8:00–17:00), the
    /// backups thinned at each as the store does: bounded all along, and
    /// at the end they reach back a minute, an afternoon and each day.
    #[test]
    fn backups_span_minutes_hours_and_days_and_stay_bounded() {
        let mut kept: Vec<NaiveDateTime> = Vec::new();
        let mut now = at(1, 8, 0, 0);
        for day in 1..=3 {
            now = at(day, 8, 0, 0);
            while now < at(day, 17, 0, 0) {
                kept = take(kept, now);
                assert!(kept.len() <= BACKUPS_KEPT, "{} at {now}", kept.len());
                assert!(kept.is_sorted());
                now += Duration::seconds(3);
            }
        }
        let last = *kept.last().unwrap();
        assert_eq!(last, now - Duration::seconds(3));
        // The last few saves, seconds apart.
        let recent = &kept[kept.len() - RECENT_BACKUPS..];
        assert!(last - recent[0] < Duration::seconds(15), "{recent:?}");
        // Every ten minutes of the last eight hours has one.
        for back in 1..(8 * 6) {
            let from = last - Duration::minutes(10 * back);
            let to = from + Duration::minutes(10);
            assert!(
                kept.iter().any(|t| *t >= from && *t < to),
                "nothing between {from} and {to}"
            );
        }
        // And each earlier day has one.
        for day in [1, 2] {
            assert!(
                kept.iter().any(|t| t.date() == at(day, 0, 0, 0).date()),
                "day {day}"
            );
        }
        assert!(kept.len() > 50, "{}", kept.len());
    }

    /// A month and more of daily work: the oldest days go first.
    #[test]
    fn daily_backups_are_bounded_to_a_month() {
        let mut kept: Vec<NaiveDateTime> = Vec::new();
        let start = at(1, 9, 0, 0);
        for d in 0..60 {
            let now = start + Duration::days(d);
            kept = take(kept, now);
        }
        assert!(kept.len() <= DAY_BACKUPS + RECENT_BACKUPS, "{}", kept.len());
        assert_eq!(*kept.last().unwrap(), start + Duration::days(59));
        assert!(kept[0] >= start + Duration::days(59 - (DAY_BACKUPS + RECENT_BACKUPS) as i64));
    }

    #[test]
    fn a_backup_name_tells_its_time() {
        assert_eq!(
            backup_time("20141001-083005-120-000.json"),
            Some(at(1, 8, 30, 5) + Duration::milliseconds(120))
        );
        assert_eq!(backup_time("ghi-chu.json"), None);
    }
}
