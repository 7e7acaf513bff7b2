//! Errors. Each layer has its own enum saying what happened as data
//! (`store::StoreError`, `package::PackageError`, …); [`Error`] gathers
//! them for the callers at the edge. None of them holds words: a message
//! is put together in the user's language only when it is displayed
//! ([`crate::i18n::Localized`]), and [`Error::code`] names the variant
//! for scripts and tests (`baocao --json` prints it).

use crate::i18n::{Lang, Localized};
use crate::tl;
use std::path::{Path, PathBuf};

/// Any error of the core, for the command line and the UI.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error(transparent)]
    Io(#[from] IoError),
    #[error(transparent)]
    Outline(#[from] crate::outline::OutlineError),
    /// A message already in words: kept only while the layers move to
    /// their own enums.
    #[error("{0}")]
    Message(String),
}

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Error::Message(message.into())
    }

    /// A stable name for what happened, "layer.variant": the same in
    /// every language, for scripts and tests.
    pub fn code(&self) -> String {
        match self {
            Error::Io(e) => format!("io.{}", <&str>::from(e.action)),
            Error::Outline(e) => format!("outline.{}", <&str>::from(e)),
            Error::Message(_) => "message".to_string(),
        }
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What was being done when an I/O error struck, for the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum IoAction {
    Read,
    ReadFolder,
    Write,
    CreateFolder,
    CreateBackupFolder,
    Backup,
    OpenLock,
    Lock,
}

impl IoAction {
    fn verb(self, lang: Lang) -> &'static str {
        use IoAction::*;
        match (self, lang) {
            (Read, Lang::Vi) => "đọc",
            (Read, Lang::En) => "read",
            (ReadFolder, Lang::Vi) => "đọc thư mục",
            (ReadFolder, Lang::En) => "read the folder",
            (Write, Lang::Vi) => "ghi",
            (Write, Lang::En) => "write",
            (CreateFolder, Lang::Vi) => "tạo thư mục",
            (CreateFolder, Lang::En) => "create the folder",
            (CreateBackupFolder, Lang::Vi) => "tạo thư mục sao lưu",
            (CreateBackupFolder, Lang::En) => "create the backup folder",
            (Backup, Lang::Vi) => "sao lưu",
            (Backup, Lang::En) => "back up",
            (OpenLock, Lang::Vi) => "mở tệp khóa",
            (OpenLock, Lang::En) => "open the lock file",
            (Lock, Lang::Vi) => "khóa",
            (Lock, Lang::En) => "lock",
        }
    }
}

/// A file or folder could not be read or written.
#[derive(Debug, thiserror::Error)]
pub struct IoError {
    pub action: IoAction,
    pub path: PathBuf,
    #[source]
    pub source: std::io::Error,
}

impl IoError {
    pub fn new(action: IoAction, path: &Path, source: std::io::Error) -> IoError {
        IoError {
            action,
            path: path.to_path_buf(),
            source,
        }
    }

    /// Whether the disk was full (std does not map ENOSPC everywhere).
    pub fn disk_full(&self) -> bool {
        self.source.kind() == std::io::ErrorKind::StorageFull
            || (cfg!(unix) && self.source.raw_os_error() == Some(28))
    }
}

/// `|e| io(IoAction::Read, path)(e)`: for `map_err`.
pub fn io(action: IoAction, path: &Path) -> impl FnOnce(std::io::Error) -> IoError + '_ {
    move |e| IoError::new(action, path, e)
}

impl Localized for IoError {
    fn localized(&self, lang: Lang) -> String {
        use std::io::ErrorKind::*;
        let p = self.path.display();
        let action = self.action.verb(lang);
        let why = match self.source.kind() {
            NotFound => tl!(
                lang,
                "không tìm thấy tệp hoặc thư mục",
                "the file or folder does not exist"
            ),
            PermissionDenied => tl!(
                lang,
                "không có quyền ghi/đọc (thư mục chỉ đọc hoặc bị khóa)",
                "permission denied (read-only or locked folder)"
            ),
            _ if self.disk_full() => tl!(
                lang,
                "ổ đĩa đã đầy, hãy giải phóng chỗ trống",
                "the disk is full, free some space"
            ),
            ReadOnlyFilesystem => tl!(
                lang,
                "ổ đĩa chỉ cho đọc (USB bị khóa ghi?)",
                "the drive is read-only (write-protected USB stick?)"
            ),
            _ => self.source.to_string(),
        };
        tl!(
            lang,
            "Không {action} được {p}: {why}.",
            "Could not {action} {p}: {why}."
        )
    }
}

crate::localized_display!(IoError);

/// Explains an I/O failure on `path` in words, with what to try.
pub fn io_error(action: IoAction, path: &Path, err: std::io::Error) -> Error {
    Error::Io(IoError::new(action, path, err))
}
