//! The package sent upward: built from the effective figures and the
//! packages received, its revision rising only when the content changed.

use super::Workspace;
use crate::error::Result;
use crate::package::{self, Approval};
use crate::report::LastExport;
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
    /// gives the very same package.
    pub fn build_package(&mut self) -> Result<(Value, bool)> {
        let body = self.package_body()?;
        let content_hash = package::checksum_of(&body);
        let changed = self
            .report
            .last_export
            .as_ref()
            .is_none_or(|l| l.content_hash != content_hash);
        if changed {
            let revision = self
                .report
                .last_export
                .as_ref()
                .map_or(1, |l| l.revision + 1);
            self.report.last_export = Some(LastExport {
                revision,
                content_hash,
                exported_at: Local::now().to_rfc3339(),
            });
        }
        let last = self.report.last_export.clone().expect("set above");
        let mut v = body;
        v["revision"] = json!(last.revision);
        v["exported_at"] = json!(last.exported_at);
        Ok((package::seal(v), changed))
    }

    /// Writes the package into `out` (a folder, or a file name) and
    /// returns its path. Nothing is half-written: temp file and rename.
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
        crate::store::write_atomic(&target, &bytes, false)?;
        Ok(target)
    }
}
