//! One unit's report with everything around it: its outline, and at a
//! parent unit the packages received from its children. Effective figures
//! and progress are here; taking packages in (`import`), sending one up
//! (`export`) and the units expected here (`children`) have their own
//! files. The command line and the UI alike start here.

mod children;
mod export;
mod import;

pub use children::{ChildRow, State, Submission, parse_csv};
pub use import::{Examined, Verdict};

use crate::error::Result;
use crate::i18n::{Lang, Localized};
use crate::merge::{self, Source};
use crate::outline::Outline;
use crate::package::{self, Package, PackageError};
use crate::report::{Answers, Progress, Received, Report, Status, progress_of};
use crate::text::printable;
use crate::tl;
use crate::validate::Invalid;
use crate::vnfmt::DateError;
use chrono::Local;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A package taken in earlier, read back from the archive.
#[derive(Debug, Clone)]
pub struct Child {
    pub received: Received,
    pub package: Package,
}

impl Child {
    /// The package exactly as received, read back from the archive to be
    /// embedded in the package sent upward. Not kept in memory: a second
    /// copy of every child beside `package` took an import of 1,000
    /// packages past 100 MB.
    pub fn value(&self, report_path: &Path) -> Result<Value> {
        let file = archive_dir(report_path).join(&self.received.file);
        package::read(&file).map(|(_, v, _)| v).map_err(|reason| {
            WorkspaceError::ChildUnreadable {
                name: self.received.name.clone(),
                code: self.received.code.clone(),
                folder: None,
                reason,
            }
            .into()
        })
    }
}

/// Why something asked of a workspace was not done; nothing was changed.
#[derive(Debug, thiserror::Error, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum WorkspaceError {
    /// A package received earlier can no longer be read from the archive.
    ChildUnreadable {
        name: String,
        code: String,
        folder: Option<PathBuf>,
        reason: PackageError,
    },
    CodeAndNameNeeded,
    OwnCode {
        code: String,
    },
    /// `types`: the unit types that do report here.
    NotAChildType {
        given: String,
        parent_type: String,
        types: String,
    },
    NoChildTypes {
        parent_type: String,
    },
    TypeNeeded {
        types: String,
    },
    Deadline(DateError),
    ApprovalDate(DateError),
    ApprovingBodyNeeded,
    /// How many fields are invalid, and the first of them.
    InvalidFields {
        count: usize,
        item: String,
        field: String,
        reason: Invalid,
    },
}

impl Localized for WorkspaceError {
    fn localized(&self, lang: Lang) -> String {
        let p = |s: &str| printable(s, false);
        match self {
            WorkspaceError::ChildUnreadable {
                name,
                code,
                folder,
                reason,
            } => {
                let e = reason.localized(lang);
                match folder {
                    Some(dir) => tl!(
                        lang,
                        "Gói đã nhận của {} ({}) trong {} không đọc được: {e}. Hãy nhập lại gói đó.",
                        "The received package of {} ({}) in {} cannot be read: {e}. Import it again.",
                        p(name),
                        p(code),
                        dir.display()
                    ),
                    None => tl!(
                        lang,
                        "Gói đã nhận của {} ({}) không đọc được: {e}. Hãy nhập lại gói đó.",
                        "The received package of {} ({}) cannot be read: {e}. Import it again.",
                        p(name),
                        p(code)
                    ),
                }
            }
            WorkspaceError::CodeAndNameNeeded => tl!(
                lang,
                "Cần mã và tên đơn vị.",
                "A unit code and name are needed."
            ),
            WorkspaceError::OwnCode { code } => tl!(
                lang,
                "Mã {} là mã của chính đơn vị này.",
                "Code {} is this unit's own code.",
                p(code)
            ),
            WorkspaceError::NotAChildType {
                given,
                parent_type,
                types,
            } => tl!(
                lang,
                "Loại \"{}\" không báo cáo lên {parent_type}. Các loại báo cáo lên đây: {types}.",
                "Type \"{}\" does not report to {parent_type}. Types that report here: {types}.",
                p(given)
            ),
            WorkspaceError::NoChildTypes { parent_type } => tl!(
                lang,
                "Theo kế hoạch, không loại đơn vị nào báo cáo lên loại \"{parent_type}\".",
                "In the plan, no unit type reports to \"{parent_type}\"."
            ),
            WorkspaceError::TypeNeeded { types } => tl!(
                lang,
                "Cần --type, một trong: {types}.",
                "--type is needed, one of: {types}."
            ),
            WorkspaceError::Deadline(e) => {
                let e = e.localized(lang);
                tl!(lang, "Hạn nộp: {e}", "Deadline: {e}")
            }
            WorkspaceError::ApprovalDate(e) => {
                let e = e.localized(lang);
                tl!(lang, "Ngày thông qua: {e}", "Approval date: {e}")
            }
            WorkspaceError::ApprovingBodyNeeded => tl!(
                lang,
                "Cần ghi tập thể thông qua.",
                "Name the approving body."
            ),
            WorkspaceError::InvalidFields {
                count,
                item,
                field,
                reason,
            } => {
                let m = reason.localized(lang);
                tl!(
                    lang,
                    "Chưa thể chốt: còn {count} trường sai, ví dụ {item} / {field}: {m}",
                    "Cannot finalise yet: {count} invalid fields, e.g. {item} / {field}: {m}"
                )
            }
        }
    }
}

crate::coded!(WorkspaceError => "workspace");
crate::localized_display!(WorkspaceError);

pub struct Workspace {
    pub path: PathBuf,
    pub outline: Outline,
    pub report: Report,
    pub children: Vec<Child>,
    /// Packages archived by [`Workspace::accept_unsynced`] or
    /// [`Workspace::import_unsynced`] and not yet made durable.
    unsynced: Vec<PathBuf>,
    /// The children's merged answers and the checksums of the packages
    /// they were merged from: the form shows them on every frame, and
    /// merging 30 communes took a third of a millisecond.
    merged: Mutex<Option<(Vec<String>, Arc<merge::Merged>)>>,
}

/// The folder beside the report where received packages are archived,
/// byte for byte.
pub fn archive_dir(report_path: &Path) -> PathBuf {
    let mut name = report_path
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    name.push(".packages");
    report_path.with_file_name(name)
}

impl Workspace {
    /// Opens a report and the packages it received.
    pub fn new(path: &Path, outline: Outline, report: Report) -> Result<Workspace> {
        let mut ws = Workspace {
            path: path.to_path_buf(),
            outline,
            report,
            children: Vec::new(),
            unsynced: Vec::new(),
            merged: Mutex::new(None),
        };
        ws.reload_children()?;
        Ok(ws)
    }

    pub fn reload_children(&mut self) -> Result<()> {
        let dir = archive_dir(&self.path);
        self.children = self
            .report
            .received
            .iter()
            .map(|r| {
                let file = dir.join(&r.file);
                let (_, _, mut package) =
                    package::read(&file).map_err(|reason| WorkspaceError::ChildUnreadable {
                        name: r.name.clone(),
                        code: r.code.clone(),
                        folder: Some(dir.clone()),
                        reason,
                    })?;
                crate::report::normalize(&mut package.answers);
                Ok(Child {
                    received: r.clone(),
                    package,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        self.children
            .sort_by(|a, b| a.received.code.cmp(&b.received.code));
        Ok(())
    }

    pub fn sources(&self) -> Vec<Source<'_>> {
        self.children
            .iter()
            .map(|c| Source {
                code: &c.package.unit.code,
                name: &c.package.unit.name,
                answers: &c.package.answers,
            })
            .collect()
    }

    /// The children's answers merged (figures summed, tables joined, texts
    /// collected). Merged again only when the children changed.
    pub fn aggregate(&self) -> Arc<merge::Merged> {
        let mut merged = self.merged.lock().unwrap_or_else(|e| e.into_inner());
        let same = merged.as_ref().is_some_and(|(from, _)| {
            from.len() == self.children.len()
                && from
                    .iter()
                    .zip(&self.children)
                    .all(|(sum, c)| *sum == c.received.checksum)
        });
        if !same {
            let from = self
                .children
                .iter()
                .map(|c| c.received.checksum.clone())
                .collect();
            let answers = merge::aggregate(&self.outline, &self.sources());
            *merged = Some((from, Arc::new(answers)));
        }
        Arc::clone(&merged.as_ref().expect("merged just now").1)
    }

    /// Own answers where given, the children's aggregate elsewhere.
    pub fn effective(&self) -> Answers {
        if self.children.is_empty() {
            return self.report.answers.clone();
        }
        merge::effective(&self.outline, &self.report.answers, &self.aggregate())
    }

    pub fn progress(&self) -> Progress {
        progress_of(&self.outline, &self.effective())
    }

    /// Marks the report approved collectively and final.
    pub fn finalize(&mut self, by: &str, on: &str) -> Result<()> {
        let date = crate::vnfmt::parse_date(on).map_err(WorkspaceError::ApprovalDate)?;
        let by = crate::text::nfc(by.trim());
        if by.is_empty() {
            return Err(WorkspaceError::ApprovingBodyNeeded.into());
        }
        let invalid = self.report.invalid(&self.outline);
        if let Some((item, field, reason)) = invalid.first() {
            return Err(WorkspaceError::InvalidFields {
                count: invalid.len(),
                item: item.clone(),
                field: field.clone(),
                reason: reason.clone(),
            }
            .into());
        }
        self.report
            .set_value("front", "thong_qua_boi", Value::String(by));
        self.report.set_value(
            "front",
            "thong_qua_ngay",
            Value::String(crate::vnfmt::format_date(date)),
        );
        self.report.status = Status::Final;
        self.report.updated_at = Local::now();
        Ok(())
    }
}
