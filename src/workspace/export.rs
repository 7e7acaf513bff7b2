//! The package sent upward: built from the effective figures and the
//! packages received, its revision rising only when the content changed.

use super::{Workspace, WorkspaceError};
use crate::error::Result;
use crate::package::{self, Approval};
use crate::report::{LastExport, Sent};
use chrono::Local;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

impl Workspace {
    /// The package content for export, without revision, time and checksum.
    fn package_body(&mut self) -> Result<Value> {
        self.sync_overrides();
        // A final package is the report as approved, or none.
        self.check_approval()?;
        let r = &self.report;
        let children = self
            .children
            .iter()
            .map(|c| c.value(&self.path))
            .collect::<Result<Vec<_>>>()?;
        let mut body = json!({
            "format": package::FORMAT,
            "format_version": package::FORMAT_VERSION,
            "outline": r.outline,
            "unit": r.unit,
            "status": r.status,
            "approval": r.approval().map(Approval::from),
            "complete_percent": self.progress().percent(),
            "answers": self.effective(),
            "children": children,
        });
        if !r.overrides.is_empty() {
            body["overrides"] = json!(r.overrides);
        }
        Ok(body)
    }

    /// Builds the package to send upward. The revision rises only when the
    /// content changed since the last export; exporting again unchanged
    /// gives the very same package. The revision comes from the export log
    /// beside the report (never restored with it), so it never repeats
    /// with other content, whatever a restore or a failed save took back.
    /// The log holds the new revision (durably) before it is returned.
    pub fn build_package(&mut self) -> Result<(Value, bool)> {
        let body = self.package_body()?;
        // Refused before a revision is spent on it: the parent would
        // refuse a package this large (revision, time and checksum add
        // less than a kilobyte to the body).
        let bytes = serde_json::to_vec_pretty(&body).expect("json").len() as u64 + 1024;
        if bytes > package::MAX_BYTES {
            return Err(WorkspaceError::PackageTooLarge {
                mb: bytes.div_ceil(package::MB),
                limit_mb: package::MAX_BYTES / package::MB,
            }
            .into());
        }
        // Signed by the unit's key, found (or made) before a revision is
        // spent. Ed25519 signatures are deterministic: the same content
        // gives the very same package again.
        let key = self.unit_key()?;
        let content_hash = package::checksum_of(&body);
        let log_path = crate::store::export_log(&self.path);
        let log = read_log(&log_path);
        // The newest export of all, whether or not the report remembers it.
        let newest = log
            .iter()
            .chain(self.report.last_export.as_ref())
            .max_by_key(|l| l.revision)
            .cloned();
        let same = newest
            .as_ref()
            .filter(|l| l.content_hash == content_hash)
            .cloned();
        let changed = same.is_none();
        let last = match same {
            Some(l) => l,
            None => {
                let l = LastExport {
                    revision: newest.map_or(1, |l| l.revision + 1),
                    content_hash,
                    exported_at: Local::now().to_rfc3339(),
                };
                append_log(&log_path, &l)?;
                l
            }
        };
        self.report.last_export = Some(last.clone());
        let mut v = body;
        v["revision"] = json!(last.revision);
        v["exported_at"] = json!(last.exported_at);
        Ok((package::sign(v, &key), changed))
    }

    /// Writes the package into `out` (a folder, or a file name) and
    /// returns its path. Nothing is half-written: temp file and rename. A
    /// file already there is never replaced by other content.
    pub fn export(&mut self, out: &Path) -> Result<PathBuf> {
        let (value, _) = self.build_package()?;
        let revision = self.report.last_export.as_ref().map_or(1, |l| l.revision);
        let name = package::file_name(&self.report.unit, revision, self.report.status);
        let target = if out.is_dir() || out.as_os_str().to_string_lossy().ends_with(['/', '\\']) {
            out.join(name)
        } else {
            out.to_path_buf()
        };
        let mut bytes = serde_json::to_vec_pretty(&value).expect("json");
        bytes.push(b'\n');
        // Remembered before it is written: a receipt for it must be
        // recognised even if the report was saved but the write failed
        // (the receipt names a package this unit made, never another).
        self.note_sent(revision, &value);
        match std::fs::read(&target) {
            Ok(there) if there == bytes => return Ok(target),
            Ok(_) => return Err(WorkspaceError::ExportExists { path: target }.into()),
            Err(_) if target.exists() => {
                return Err(WorkspaceError::ExportExists { path: target }.into());
            }
            Err(_) => {}
        }
        crate::store::write_atomic(&target, &bytes, false)?;
        Ok(target)
    }
}

impl Workspace {
    /// Records the package `value` of `revision` in the history of what
    /// was sent, once (the same content gives the very same package
    /// again).
    fn note_sent(&mut self, revision: u32, value: &Value) {
        let checksum = value["checksum"].as_str().unwrap_or_default().to_string();
        let exported_at = value["exported_at"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        let sent = &mut self.report.sent;
        if !sent
            .iter()
            .any(|s| s.revision == revision && s.checksum == checksum)
        {
            sent.push(Sent {
                revision,
                checksum,
                exported_at,
            });
        }
    }
}

/// The log's entries; a line that cannot be read (the end of a write cut
/// short) is skipped. The log is bounded by what this unit exported.
fn read_log(path: &Path) -> Vec<LastExport> {
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    text.lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

/// Appends one entry and makes it durable before the package is written.
fn append_log(path: &Path, entry: &LastExport) -> Result<()> {
    use std::io::Write;
    let io = |e| crate::error::io_error(crate::error::IoAction::Write, path, e);
    let mut line = serde_json::to_vec(entry).expect("an entry serialises");
    line.push(b'\n');
    let mut f = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
        .map_err(io)?;
    f.write_all(&line).map_err(io)?;
    f.sync_data().map_err(io)
}
