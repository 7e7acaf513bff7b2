//! Opening the files the program reads: packages, answers for `fill`,
//! children lists, outlines, the report and its backups. Regular files
//! only: a FIFO, a device, a socket or a folder is refused before a byte
//! is read. The path is looked at first, then opened without blocking (a
//! FIFO swapped in meanwhile cannot stall the program while it holds the
//! report's lock), and the open handle is looked at again.

use crate::error::{FileKind, IoAction, IoError};
use std::fs::{File, Metadata, OpenOptions};
use std::io::Read;
use std::path::Path;

/// What `meta` is when it is not a regular file.
pub fn special(meta: &Metadata) -> Option<FileKind> {
    let t = meta.file_type();
    if t.is_file() {
        return None;
    }
    if t.is_dir() {
        return Some(FileKind::Folder);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return Some(FileKind::Fifo);
        }
        if t.is_char_device() || t.is_block_device() {
            return Some(FileKind::Device);
        }
        if t.is_socket() {
            return Some(FileKind::Socket);
        }
    }
    Some(FileKind::Other)
}

/// Opens a regular file for reading (a symbolic link to one is followed),
/// refusing anything else with [`IoError::not_a_file`].
pub fn open(path: &Path) -> Result<File, IoError> {
    let io = |e| IoError::new(IoAction::Read, path, e);
    let refuse = |k| IoError::not_a_file(IoAction::Read, path, k);
    let meta = std::fs::metadata(path).map_err(io)?;
    if let Some(k) = special(&meta) {
        return Err(refuse(k));
    }
    let mut options = OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        // O_NONBLOCK changes nothing for a regular file; O_NOCTTY keeps a
        // terminal swapped in from becoming ours.
        options.custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY);
    }
    let file = options.open(path).map_err(io)?;
    if let Some(k) = special(&file.metadata().map_err(io)?) {
        return Err(refuse(k));
    }
    Ok(file)
}

/// The bytes of a regular file, at most `limit` + 1 of them (one more
/// than the limit tells the caller the file is over it).
pub fn read(path: &Path, limit: u64) -> Result<Vec<u8>, IoError> {
    let file = open(path)?;
    let len = file.metadata().map_or(0, |m| m.len()).min(limit);
    let mut bytes = Vec::with_capacity(len as usize + 1);
    file.take(limit.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| IoError::new(IoAction::Read, path, e))?;
    Ok(bytes)
}

/// The text of a regular file (UTF-8, else an error as `fs::read_to_string`
/// gives).
pub fn read_to_string(path: &Path) -> Result<String, IoError> {
    let bytes = read(path, u64::MAX - 1)?;
    String::from_utf8(bytes).map_err(|e| {
        IoError::new(
            IoAction::Read,
            path,
            std::io::Error::new(std::io::ErrorKind::InvalidData, e),
        )
    })
}
