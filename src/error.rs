//! The core's error: one sentence for a person, already in their language,
//! saying what happened and what to do next.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub message: String,
}

impl Error {
    pub fn new(message: impl Into<String>) -> Self {
        Error {
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Explains an I/O failure on `path` in words, with what to try.
pub fn io_error(action: &str, path: &std::path::Path, err: &std::io::Error) -> Error {
    use std::io::ErrorKind::*;
    let p = path.display();
    let why = match err.kind() {
        NotFound => crate::t!(
            "không tìm thấy tệp hoặc thư mục",
            "the file or folder does not exist"
        ),
        PermissionDenied => crate::t!(
            "không có quyền ghi/đọc (thư mục chỉ đọc hoặc bị khóa)",
            "permission denied (read-only or locked folder)"
        ),
        StorageFull => crate::t!(
            "ổ đĩa đã đầy, hãy giải phóng chỗ trống",
            "the disk is full, free some space"
        ),
        ReadOnlyFilesystem => crate::t!(
            "ổ đĩa chỉ cho đọc (USB bị khóa ghi?)",
            "the drive is read-only (write-protected USB stick?)"
        ),
        // ENOSPC where std does not map it (on Windows 28 means "out of
        // paper"; disk full there is already StorageFull).
        #[cfg(unix)]
        _ if err.raw_os_error() == Some(28) => {
            crate::t!(
                "ổ đĩa đã đầy, hãy giải phóng chỗ trống",
                "the disk is full, free some space"
            )
        }
        _ => err.to_string(),
    };
    Error::new(crate::t!(
        "Không {action} được {p}: {why}.",
        "Could not {action} {p}: {why}."
    ))
}
