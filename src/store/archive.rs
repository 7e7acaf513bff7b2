//! The packages a parent unit received, byte for byte, in one
//! append-only file beside the report (`REPORT.json.archive`).
//!
//! The file starts with [`MAGIC`]; then come records, each a header of
//! [`HEADER`] bytes and the package's original bytes:
//!
//! | bytes | what |
//! |---|---|
//! | 4 | `BCR1` |
//! | 4 | the package's length, little-endian |
//! | 32 | the package's own checksum (the SHA-256 in its `"checksum"`) |
//! | 8 | the first 8 bytes of the SHA-256 of the 40 bytes before |
//!
//! A record is found by the package's checksum, which the report's
//! received list holds: the report format does not change, and whichever
//! version of the file is in place after a compaction, the report finds
//! its packages in it. Reading a record parses and verifies the package
//! as any package is (a flipped bit in it: `package.checksum`). A header
//! that does not match its own check (damaged) is skipped, and the rest
//! of the file searched for the next good header; a record cut short (a
//! kill -9 while appending) ends the file's good part, and is cut off
//! before anything is appended after it.
//!
//! Durability: records are appended without flushing; [`Archive::sync`]
//! flushes them all with one `fdatasync` before the report that lists
//! them is saved, so a report never lists a record a power cut could take
//! away. Records no report lists (replaced revisions, a killed import's)
//! are dead; [`Archive::compact`] writes the live ones to a new file
//! (temp file, fsync, rename, fsync of the folder), only after the report
//! that lists them is saved.

use crate::error::{IoAction, IoError, Result, io_error};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

/// The first bytes of an archive file.
pub const MAGIC: &[u8; 8] = b"BCARCH1\n";
/// The first bytes of a record.
pub const RECORD: &[u8; 4] = b"BCR1";
/// The size of a record's header.
pub const HEADER: usize = 48;

/// The archive file of a report: beside it, `REPORT.json.archive`.
pub fn archive_file(report_path: &Path) -> PathBuf {
    let real = super::real_path(report_path);
    let mut name = real
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".archive");
    real.with_file_name(name)
}

/// Where a package's bytes are in the archive file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Loc {
    /// Of the package's first byte (after the header).
    pub offset: u64,
    pub len: u32,
}

/// The key a record is found by: the 32 bytes of a package checksum
/// `sha256:<64 hex digits>` (anything else is hashed, and found the same
/// way).
pub fn key_of(checksum: &str) -> [u8; 32] {
    let mut key = [0u8; 32];
    let hex = checksum.strip_prefix("sha256:").unwrap_or("");
    let digit = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    if hex.len() == 64 {
        let b = hex.as_bytes();
        let mut ok = true;
        for (i, k) in key.iter_mut().enumerate() {
            match (digit(b[2 * i]), digit(b[2 * i + 1])) {
                (Some(h), Some(l)) => *k = h << 4 | l,
                _ => ok = false,
            }
        }
        if ok {
            return key;
        }
    }
    Sha256::digest(checksum.as_bytes()).into()
}

fn header(key: &[u8; 32], len: u32) -> [u8; HEADER] {
    let mut h = [0u8; HEADER];
    h[..4].copy_from_slice(RECORD);
    h[4..8].copy_from_slice(&len.to_le_bytes());
    h[8..40].copy_from_slice(key);
    let check = Sha256::digest(&h[..40]);
    h[40..].copy_from_slice(&check[..8]);
    h
}

/// The key and length a header states, when it is one and whole.
fn read_header(h: &[u8]) -> Option<([u8; 32], u32)> {
    if h.len() < HEADER || &h[..4] != RECORD {
        return None;
    }
    let check = Sha256::digest(&h[..40]);
    if h[40..HEADER] != check[..8] {
        return None;
    }
    let len = u32::from_le_bytes(h[4..8].try_into().expect("4 bytes"));
    let key = h[8..40].try_into().expect("32 bytes");
    Some((key, len))
}

/// The records of an archive's bytes, in order: (key, where), and where
/// its good part ends (after the last whole record).
fn scan(bytes: &[u8]) -> (Vec<([u8; 32], Loc)>, u64) {
    let mut out = Vec::new();
    let mut at = MAGIC.len().min(bytes.len());
    let mut end = at;
    while at + HEADER <= bytes.len() {
        let whole = read_header(&bytes[at..at + HEADER])
            .filter(|(_, len)| (at + HEADER).saturating_add(*len as usize) <= bytes.len());
        match whole {
            Some((key, len)) => {
                let offset = (at + HEADER) as u64;
                out.push((key, Loc { offset, len }));
                at += HEADER + len as usize;
                end = at;
            }
            // Damaged or cut short: the next good header, if any.
            None => match find(&bytes[at + 1..], RECORD) {
                Some(k) => at += 1 + k,
                None => break,
            },
        }
    }
    (out, end as u64)
}

/// Reads `buf.len()` bytes at `offset`, leaving the file's position be
/// (on Unix; elsewhere it moves).
fn read_exact_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        file.read_exact_at(buf, offset)
    }
    #[cfg(not(unix))]
    {
        let mut f = file;
        f.seek(SeekFrom::Start(offset))?;
        std::io::Read::read_exact(&mut f, buf)
    }
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

/// The headers of an archive file, read without its packages: (key,
/// where) and where its good part ends. A file that cannot be read has
/// none. Reads the whole file only when a header is damaged.
fn scan_file(file: &File) -> (Vec<([u8; 32], Loc)>, u64) {
    let size = file.metadata().map_or(0, |m| m.len());
    let mut out = Vec::new();
    let mut at = MAGIC.len() as u64;
    let mut h = [0u8; HEADER];
    while at + HEADER as u64 <= size {
        if read_exact_at(file, &mut h, at).is_err() {
            break;
        }
        match read_header(&h).filter(|(_, len)| at + (HEADER as u64) + *len as u64 <= size) {
            Some((key, len)) => {
                let offset = at + HEADER as u64;
                out.push((key, Loc { offset, len }));
                at = offset + len as u64;
            }
            None => {
                // A damaged header or a torn record: look through the rest.
                let mut rest = vec![0u8; (size - at) as usize];
                if read_exact_at(file, &mut rest, at).is_err() {
                    break;
                }
                let mut bytes = vec![0u8; MAGIC.len()];
                bytes.extend_from_slice(&rest[1..]);
                let (more, end) = scan(&bytes);
                let shift = at + 1 - MAGIC.len() as u64;
                out.extend(more.into_iter().map(|(k, l)| {
                    (
                        k,
                        Loc {
                            offset: l.offset + shift,
                            len: l.len,
                        },
                    )
                }));
                let end = end + shift;
                return (out, if end > at + 1 { end } else { at });
            }
        }
    }
    (out, at.min(size.max(MAGIC.len() as u64)))
}

/// A report's archive file as this program sees it: where each package
/// is, and the file open for appending once something is appended.
#[derive(Debug)]
pub struct Archive {
    path: PathBuf,
    index: HashMap<[u8; 32], Loc>,
    /// Open for appending, positioned at `end`.
    file: Option<File>,
    /// Where the good part of the file ends: the next record goes there.
    end: u64,
    /// Records appended since the last [`Archive::sync`].
    unsynced: bool,
    /// The file was made by this program: its folder must be flushed too.
    created: bool,
}

impl Archive {
    /// Nothing read yet: [`Archive::open`] reads the file.
    pub fn empty(report_path: &Path) -> Archive {
        Archive {
            path: archive_file(report_path),
            index: HashMap::new(),
            file: None,
            end: 0,
            unsynced: false,
            created: false,
        }
    }

    /// Reads the headers of the archive beside a report (none if there
    /// is no file yet). Changes nothing.
    pub fn open(report_path: &Path) -> Archive {
        let path = archive_file(report_path);
        let (records, end) = match File::open(&path) {
            Ok(f) => scan_file(&f),
            Err(_) => (Vec::new(), 0),
        };
        Archive {
            path,
            // The last copy of a package stands (any copy is the same
            // package: one checksum).
            index: records.into_iter().collect(),
            file: None,
            end,
            unsynced: false,
            created: false,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Where the package with this checksum is, if it is in the file.
    pub fn find(&self, checksum: &str) -> Option<Loc> {
        self.index.get(&key_of(checksum)).copied()
    }

    /// The bytes of a record (a file cut short since: an I/O error).
    pub fn read(&self, at: Loc) -> std::result::Result<Vec<u8>, IoError> {
        read_at(&self.path, at)
    }

    /// Appends a package's bytes, not yet durably: see [`Archive::sync`].
    /// On failure (disk full) the file is cut back to where it was.
    pub fn append(&mut self, checksum: &str, bytes: &[u8]) -> Result<Loc> {
        let path = self.path.clone();
        let write = |e: std::io::Error| io_error(IoAction::Write, &path, e);
        let Ok(len) = u32::try_from(bytes.len()) else {
            return Err(write(std::io::Error::other("package too large")));
        };
        // Another workspace of this program may have appended since (the
        // UI's import runs on its own): then read the file again.
        let moved = |f: &File| f.metadata().map_or(true, |m| m.len() != self.end);
        if self.file.as_ref().is_some_and(moved) {
            self.file = None;
        }
        if self.file.is_none() {
            let (file, created) = self.open_for_append().map_err(write)?;
            self.file = Some(file);
            self.created |= created;
        }
        let key = key_of(checksum);
        let start = self.end;
        let file = self.file.as_mut().expect("opened above");
        let done = file
            .write_all(&header(&key, len))
            .and_then(|()| file.write_all(bytes));
        if let Err(e) = done {
            // Nothing half written stays: the next record goes here again.
            let _ = file.set_len(start);
            let _ = file.seek(SeekFrom::Start(start));
            return Err(write(e));
        }
        let at = Loc {
            offset: start + HEADER as u64,
            len,
        };
        self.end = at.offset + len as u64;
        self.index.insert(key, at);
        self.unsynced = true;
        Ok(at)
    }

    /// The file open for writing at the end of its good part: made (with
    /// its magic) when missing; a torn record left by a kill is cut off.
    fn open_for_append(&mut self) -> std::io::Result<(File, bool)> {
        if let Some(dir) = self.path.parent() {
            fs::create_dir_all(dir)?;
        }
        let mut options = OpenOptions::new();
        options.read(true).write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            // Private as the report is.
            options
                .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
                .mode(0o600);
        }
        let mut file = options.open(&self.path)?;
        let meta = file.metadata()?;
        if !meta.is_file() {
            return Err(std::io::Error::other("not a regular file"));
        }
        let created = meta.len() == 0;
        if meta.len() < MAGIC.len() as u64 {
            // New (or too short to hold anything): start it.
            file.set_len(0)?;
            file.write_all(MAGIC)?;
            self.end = MAGIC.len() as u64;
            self.index.clear();
        } else {
            // Read again under the lock: what a scan without it saw may be
            // older.
            let (records, end) = scan_file(&file);
            self.index = records.into_iter().collect();
            self.end = end;
            if meta.len() > end {
                file.set_len(end)?;
            }
        }
        file.seek(SeekFrom::Start(self.end))?;
        Ok((file, created))
    }

    /// Makes the records appended so far durable (one flush), and the
    /// file's name when it was made now.
    /// A second handle on the file, for flushing it on another thread
    /// while this one goes on (only [`Archive::sync`] says it is durable).
    pub fn flush_handle(&self) -> Option<File> {
        self.file
            .as_ref()
            .filter(|_| self.unsynced)
            .and_then(|f| f.try_clone().ok())
    }

    pub fn sync(&mut self) -> Result<()> {
        if !self.unsynced {
            return Ok(());
        }
        if let Some(f) = &self.file {
            f.sync_data()
                .map_err(|e| io_error(IoAction::Write, &self.path, e))?;
        }
        if self.created {
            if let Some(dir) = self.path.parent() {
                super::sync_dir(dir);
            }
            self.created = false;
        }
        self.unsynced = false;
        Ok(())
    }

    /// The bytes of the file (headers included) taken by records with
    /// none of these checksums, and by what no record holds.
    pub fn dead_bytes<'a>(&self, live: impl IntoIterator<Item = &'a str>) -> (u64, u64) {
        let size = fs::metadata(&self.path).map_or(0, |m| m.len());
        let mut seen = std::collections::HashSet::new();
        let live: u64 = live
            .into_iter()
            .filter_map(|c| {
                let key = key_of(c);
                let at = self.index.get(&key)?;
                seen.insert(key).then_some(HEADER as u64 + at.len as u64)
            })
            .sum();
        (size.saturating_sub(live + MAGIC.len() as u64), size)
    }

    /// Writes a new archive with only the packages of these checksums
    /// (each once), in place of this one: temp file beside the report,
    /// fsync, rename, fsync of the folder. A crash at any moment leaves
    /// the old file or the new one, and both hold every package listed.
    /// Call it only once the report listing `live` is saved.
    pub fn compact<'a>(
        &mut self,
        report_path: &Path,
        live: impl IntoIterator<Item = &'a str>,
    ) -> Result<()> {
        self.sync()?;
        let write = |e: std::io::Error| io_error(IoAction::Write, &self.path, e);
        let dir = super::parent_dir(&self.path);
        let mut tmp = tempfile::Builder::new()
            .prefix(&super::temp_prefix(&super::real_path(report_path)))
            .tempfile_in(&dir)
            .map_err(write)?;
        let mut out = std::io::BufWriter::with_capacity(1 << 20, tmp.as_file_mut());
        out.write_all(MAGIC).map_err(write)?;
        let mut kept: Vec<([u8; 32], Loc)> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for c in live {
            let key = key_of(c);
            if let Some(at) = self.index.get(&key)
                && seen.insert(key)
            {
                kept.push((key, *at));
            }
        }
        kept.sort_by_key(|(_, at)| at.offset);
        let mut index = HashMap::new();
        let mut end = MAGIC.len() as u64;
        let old = File::open(&self.path).map_err(write)?;
        let mut bytes = Vec::new();
        for (key, at) in kept {
            bytes.resize(at.len as usize, 0);
            // A record that cannot be read back is left out: it was
            // damaged already, and stays missing (quarantined).
            if read_exact_at(&old, &mut bytes, at.offset).is_err() {
                continue;
            }
            out.write_all(&header(&key, at.len)).map_err(write)?;
            out.write_all(&bytes).map_err(write)?;
            let offset = end + HEADER as u64;
            index.insert(
                key,
                Loc {
                    offset,
                    len: at.len,
                },
            );
            end = offset + at.len as u64;
        }
        out.flush().map_err(write)?;
        drop(out);
        // Closed before the rename (Windows renames no open file).
        drop(old);
        self.file = None;
        tmp.as_file().sync_all().map_err(write)?;
        tmp.persist(&self.path).map_err(|e| write(e.error))?;
        super::sync_dir(&dir);
        self.index = index;
        self.end = end;
        self.file = None;
        Ok(())
    }
}

/// The bytes of a record in an archive file.
pub fn read_at(path: &Path, at: Loc) -> std::result::Result<Vec<u8>, IoError> {
    let read = |e: std::io::Error| IoError::new(IoAction::Read, path, e);
    let file = File::open(path).map_err(read)?;
    let mut bytes = vec![0u8; at.len as usize];
    read_exact_at(&file, &mut bytes, at.offset).map_err(read)?;
    Ok(bytes)
}

/// Every whole record of a report's archive, in order: the package's
/// checksum (`sha256:…`) and its bytes. For tests and for looking inside.
pub fn records(report_path: &Path) -> Vec<(String, Vec<u8>)> {
    let path = archive_file(report_path);
    let Ok(bytes) = fs::read(&path) else {
        return Vec::new();
    };
    scan(&bytes)
        .0
        .into_iter()
        .map(|(key, at)| {
            let range = at.offset as usize..at.offset as usize + at.len as usize;
            (
                format!("sha256:{}", crate::canonical::hex(&key)),
                bytes[range].to_vec(),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sum(n: u8) -> String {
        format!("sha256:{}", crate::canonical::hex(&[n; 32]))
    }

    fn report(dir: &Path) -> PathBuf {
        dir.join("huyen.json")
    }

    #[test]
    fn appended_records_are_found_again_after_a_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let r = report(dir.path());
        let mut a = Archive::open(&r);
        let one = a.append(&sum(1), b"{\"one\": 1}").unwrap();
        let two = a.append(&sum(2), b"{\"two\": 2}").unwrap();
        a.sync().unwrap();
        let b = Archive::open(&r);
        assert_eq!(b.find(&sum(1)), Some(one));
        assert_eq!(b.find(&sum(2)), Some(two));
        assert_eq!(b.read(two).unwrap(), b"{\"two\": 2}");
        assert_eq!(b.find(&sum(3)), None);
        assert_eq!(key_of(&sum(7)), [7; 32]);
        assert_eq!(records(&r).len(), 2);
    }

    #[test]
    fn a_torn_tail_is_ignored_and_cut_off_before_the_next_append() {
        let dir = tempfile::tempdir().unwrap();
        let r = report(dir.path());
        let mut a = Archive::open(&r);
        a.append(&sum(1), &[b'x'; 100]).unwrap();
        a.append(&sum(2), &[b'y'; 100]).unwrap();
        a.sync().unwrap();
        let path = archive_file(&r);
        let len = fs::metadata(&path).unwrap().len();
        OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(len - 30)
            .unwrap();
        let mut b = Archive::open(&r);
        assert!(b.find(&sum(1)).is_some());
        assert_eq!(b.find(&sum(2)), None, "cut short: not there");
        b.append(&sum(3), &[b'z'; 50]).unwrap();
        b.sync().unwrap();
        let c = Archive::open(&r);
        assert!(c.find(&sum(1)).is_some());
        assert_eq!(c.find(&sum(2)), None);
        assert_eq!(c.read(c.find(&sum(3)).unwrap()).unwrap(), vec![b'z'; 50]);
    }

    #[test]
    fn a_damaged_header_loses_only_its_own_record() {
        let dir = tempfile::tempdir().unwrap();
        let r = report(dir.path());
        let mut a = Archive::open(&r);
        for n in 1..=3 {
            a.append(&sum(n), &[b'a' + n; 64]).unwrap();
        }
        a.sync().unwrap();
        let path = archive_file(&r);
        let mut bytes = fs::read(&path).unwrap();
        // The length of the second record.
        bytes[MAGIC.len() + HEADER + 64 + 5] ^= 0x40;
        fs::write(&path, &bytes).unwrap();
        let b = Archive::open(&r);
        assert!(b.find(&sum(1)).is_some());
        assert_eq!(b.find(&sum(2)), None);
        assert_eq!(
            b.read(b.find(&sum(3)).unwrap()).unwrap(),
            vec![b'a' + 3; 64]
        );
    }

    #[test]
    fn compaction_keeps_exactly_the_live_records() {
        let dir = tempfile::tempdir().unwrap();
        let r = report(dir.path());
        let mut a = Archive::open(&r);
        for n in 1..=4 {
            a.append(&sum(n), &[b'a' + n; 1000]).unwrap();
        }
        a.sync().unwrap();
        let live = [sum(2), sum(4), sum(4)];
        let (dead, _) = a.dead_bytes(live.iter().map(String::as_str));
        assert_eq!(dead, 2 * (HEADER as u64 + 1000));
        a.compact(&r, live.iter().map(String::as_str)).unwrap();
        let kept: Vec<String> = records(&r).into_iter().map(|(k, _)| k).collect();
        assert_eq!(kept, [sum(2), sum(4)]);
        assert_eq!(
            a.read(a.find(&sum(4)).unwrap()).unwrap(),
            vec![b'a' + 4; 1000]
        );
        // Appending goes on after the compacted records.
        a.append(&sum(5), b"five").unwrap();
        a.sync().unwrap();
        let b = Archive::open(&r);
        assert_eq!(b.read(b.find(&sum(5)).unwrap()).unwrap(), b"five");
        assert_eq!(b.find(&sum(1)), None);
        assert_eq!(
            b.dead_bytes([sum(2), sum(4), sum(5)].iter().map(String::as_str))
                .0,
            0
        );
    }

    #[test]
    fn a_compaction_killed_before_its_rename_leaves_the_old_file_whole() {
        let dir = tempfile::tempdir().unwrap();
        let r = report(dir.path());
        let mut a = Archive::open(&r);
        for n in 1..=3 {
            a.append(&sum(n), &[b'a' + n; 500]).unwrap();
        }
        a.sync().unwrap();
        let before = fs::read(archive_file(&r)).unwrap();
        // What a compaction killed half way leaves: its temp file, part
        // written, beside the report.
        let leftover = dir.path().join(".huyen.json.tmpAbC123");
        fs::write(&leftover, &before[..before.len() / 2]).unwrap();
        super::super::remove_stale_temps(&r);
        assert!(!leftover.exists(), "the next open clears it");
        assert_eq!(fs::read(archive_file(&r)).unwrap(), before);
        let b = Archive::open(&r);
        for n in 1..=3 {
            assert!(b.find(&sum(n)).is_some());
        }
    }
}
