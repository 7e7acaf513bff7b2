//! Errors. Each layer has its own enum saying what happened as data
//! (`store::StoreError`, `package::PackageError`, …). None of them holds
//! words: a message is put together in the user's language only when it
//! is displayed ([`crate::i18n::Localized`]), and its code names the
//! variant for scripts and tests (`baocao --json` prints it). [`Error`]
//! carries any of them to the edge without knowing them, so this module
//! sits below every layer.

use crate::i18n::{Lang, Localized};
use crate::tl;
use std::any::Any;
use std::path::{Path, PathBuf};

/// What every layer's error offers: words when shown, and a stable code
/// "layer.variant" (the same in every language).
pub trait Coded: Localized + std::fmt::Debug + Send + Sync + Any {
    fn code(&self) -> String;
}

/// Implements [`Coded`] for an error enum whose variants have
/// `strum::IntoStaticStr` names: `coded!(StoreError => "store")`.
#[macro_export]
macro_rules! coded {
    ($($t:ty => $layer:literal),+ $(,)?) => {
        $(impl $crate::error::Coded for $t {
            fn code(&self) -> String {
                format!("{}.{}", $layer, <&'static str>::from(self))
            }
        })+
    };
}

/// Any layer's error, on its way to the edge (the command line, the UI).
/// Ask it what it is with [`Error::code`] or [`Error::downcast_ref`].
#[derive(Debug)]
pub struct Error(Box<dyn Coded>);

impl<E: Coded> From<E> for Error {
    fn from(e: E) -> Error {
        Error(Box::new(e))
    }
}

impl Error {
    /// "store.locked", "package.checksum", …
    pub fn code(&self) -> String {
        self.0.code()
    }

    /// The layer's own error, when it is a `T`.
    pub fn downcast_ref<T: Coded>(&self) -> Option<&T> {
        let any: &dyn Any = &*self.0;
        any.downcast_ref::<T>()
    }
}

impl Localized for Error {
    fn localized(&self, lang: Lang) -> String {
        self.0.localized(lang)
    }
}

crate::localized_display!(Error);

impl std::error::Error for Error {}

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

/// A file or folder could not be read or written. Keeps what the
/// operating system said (not the `io::Error` itself, so that verdicts
/// holding one can be compared and copied).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct IoError {
    pub action: IoAction,
    pub path: PathBuf,
    pub kind: std::io::ErrorKind,
    pub os_code: Option<i32>,
    /// The system's own words, for the cases we do not explain.
    pub detail: String,
    /// Set when the path is no regular file (a FIFO, a device, a socket,
    /// a folder): refused before it was opened for reading.
    pub not_a_file: Option<FileKind>,
}

/// What a path is when a regular file was expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum FileKind {
    Folder,
    /// A named pipe: reading it waits for a writer, maybe for ever.
    Fifo,
    /// A character or block device (`/dev/zero`, a disk).
    Device,
    Socket,
    /// Anything else that is not a regular file.
    Other,
}

impl FileKind {
    fn what(self, lang: Lang) -> String {
        match self {
            FileKind::Folder => tl!(lang, "một thư mục", "a folder"),
            FileKind::Fifo => tl!(lang, "một ống dẫn (FIFO)", "a named pipe (FIFO)"),
            FileKind::Device => tl!(lang, "một thiết bị", "a device"),
            FileKind::Socket => tl!(lang, "một socket", "a socket"),
            FileKind::Other => tl!(lang, "một thứ đặc biệt", "something special"),
        }
    }
}

impl IoError {
    pub fn new(action: IoAction, path: &Path, source: std::io::Error) -> IoError {
        IoError {
            action,
            path: path.to_path_buf(),
            kind: source.kind(),
            os_code: source.raw_os_error(),
            detail: source.to_string(),
            not_a_file: None,
        }
    }

    /// `path` is no regular file: refused before anything was read.
    pub fn not_a_file(action: IoAction, path: &Path, kind: FileKind) -> IoError {
        IoError {
            action,
            path: path.to_path_buf(),
            kind: std::io::ErrorKind::InvalidInput,
            os_code: None,
            detail: String::new(),
            not_a_file: Some(kind),
        }
    }

    /// Whether the disk was full (std does not map ENOSPC everywhere; on
    /// Windows 28 means "out of paper", and a full disk is StorageFull).
    pub fn disk_full(&self) -> bool {
        self.kind == std::io::ErrorKind::StorageFull || (cfg!(unix) && self.os_code == Some(28))
    }
}

impl Coded for IoError {
    /// What was being done: `io.read`, `io.write`…; `io.not_a_file` for
    /// a FIFO, a device, a socket or a folder where a file was expected.
    fn code(&self) -> String {
        if self.not_a_file.is_some() {
            return "io.not_a_file".into();
        }
        format!("io.{}", <&str>::from(self.action))
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
        if let Some(k) = self.not_a_file {
            let what = k.what(lang);
            return match k {
                FileKind::Folder => tl!(
                    lang,
                    "Không {action} được {p}: đây là {what}, không phải tệp; chưa đọc gì. Hãy chỉ ra một tệp trong thư mục đó.",
                    "Could not {action} {p}: it is {what}, not a file; nothing was read. Name a file in that folder."
                ),
                _ => tl!(
                    lang,
                    "Không {action} được {p}: đây là {what}, không phải tệp thường; chưa đọc gì. Hãy lưu nội dung thành một tệp thường rồi dùng tệp đó.",
                    "Could not {action} {p}: it is {what}, not a regular file; nothing was read. Save the content as a regular file and use that."
                ),
            };
        }
        let why = match self.kind {
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
            _ => self.detail.clone(),
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
    IoError::new(action, path, err).into()
}
