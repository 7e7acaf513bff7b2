//! One unit's report with everything around it: its outline, and at a
//! parent unit the packages received from its children. Effective figures,
//! progress, the children's standing, import and export all start here,
//! for the command line and the UI alike.

use crate::error::{Error, Result};
use crate::i18n::tr;
use crate::merge::{self, Source};
use crate::outline::Outline;
use crate::package::{self, Approval, Package};
use crate::report::{
    Answers, ExpectedChild, LastExport, Progress, Received, Report, Status, progress_of,
};
use crate::t;
use crate::text::printable;
use chrono::{Local, NaiveDate};
use serde_json::{Value, json};
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
        package::read(&file).map(|(_, v, _)| v).map_err(|e| {
            Error::new(t!(
                "Gói đã nhận của {} ({}) không đọc được: {e}. Hãy nhập lại gói đó.",
                "The received package of {} ({}) cannot be read: {e}. Import it again.",
                printable(&self.received.name, false),
                printable(&self.received.code, false)
            ))
        })
    }
}

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
    merged: Mutex<Option<(Vec<String>, Arc<Answers>)>>,
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
                let (_, _, mut package) = package::read(&file).map_err(|e| {
                    Error::new(t!(
                        "Gói đã nhận của {} ({}) trong {} không đọc được: {e}. Hãy nhập lại gói đó.",
                        "The received package of {} ({}) in {} cannot be read: {e}. Import it again.",
                        printable(&r.name, false),
                        printable(&r.code, false),
                        dir.display()
                    ))
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
    pub fn aggregate(&self) -> Arc<Answers> {
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

    /// The package content for export, without revision, time and checksum.
    fn package_body(&self) -> Result<Value> {
        let r = &self.report;
        let children = self
            .children
            .iter()
            .map(|c| c.value(&self.path))
            .collect::<Result<Vec<_>>>()?;
        Ok(json!({
            "format": package::FORMAT,
            "format_version": package::FORMAT_VERSION,
            "outline": r.outline,
            "unit": r.unit,
            "status": r.status,
            "approval": r.approval().map(|(by, on)| Approval { by, on }),
            "complete_percent": self.progress().percent(),
            "answers": self.effective(),
            "children": children,
        }))
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

    /// Units expected here and their deadlines, by code.
    pub fn deadline_of(&self, child: &ExpectedChild) -> Option<NaiveDate> {
        let text = child.deadline.clone().or_else(|| {
            self.outline
                .unit_type(&child.unit_type)
                .and_then(|u| u.deadline.clone())
        })?;
        crate::vnfmt::parse_date(&text).ok()
    }

    /// Who sent, who is late, who is missing, as of `today`.
    pub fn submissions(&self, today: NaiveDate) -> Vec<Submission> {
        let mut list: Vec<Submission> = self
            .report
            .children
            .iter()
            .map(|c| {
                let received = self
                    .report
                    .received
                    .iter()
                    .find(|r| r.code == c.code)
                    .cloned();
                let deadline = self.deadline_of(c);
                let day = received.as_ref().map_or(today, |r| {
                    r.first_received_at.unwrap_or(r.received_at).date_naive()
                });
                let days_late = deadline.map_or(0, |d| (day - d).num_days().max(0));
                let state = match (&received, days_late) {
                    (Some(_), 0) => State::Received,
                    (Some(_), _) => State::Late,
                    (None, _) => State::Missing,
                };
                Submission {
                    code: c.code.clone(),
                    name: c.name.clone(),
                    unit_type: c.unit_type.clone(),
                    deadline,
                    state,
                    days_late,
                    received,
                    unexpected: c.unexpected,
                }
            })
            .collect();
        list.sort_by(|a, b| crate::vi::fold::cmp_vi(&a.name, &b.name).then(a.code.cmp(&b.code)));
        list
    }

    /// Adds a unit to the expected list (or updates its name, type, deadline).
    pub fn add_child(
        &mut self,
        code: &str,
        name: &str,
        unit_type: Option<&str>,
        deadline: Option<&str>,
    ) -> Result<()> {
        let code = code.trim();
        let name = crate::text::nfc(name.trim());
        if code.is_empty() || name.is_empty() {
            return Err(Error::new(t!(
                "Cần mã và tên đơn vị.",
                "A unit code and name are needed."
            )));
        }
        if code == self.report.unit.code {
            return Err(Error::new(t!(
                "Mã {code} là mã của chính đơn vị này.",
                "Code {code} is this unit's own code."
            )));
        }
        let types = self.outline.child_types(&self.report.unit.unit_type);
        let unit_type = match unit_type {
            Some(t) => {
                if !types.iter().any(|u| u.id == t) {
                    return Err(Error::new(t!(
                        "Loại \"{t}\" không báo cáo lên {}. Các loại báo cáo lên đây: {}.",
                        "Type \"{t}\" does not report to {}. Types that report here: {}.",
                        self.report.unit.unit_type,
                        list_ids(&types)
                    )));
                }
                t.to_string()
            }
            None if types.len() == 1 => types[0].id.clone(),
            None if types.is_empty() => {
                return Err(Error::new(t!(
                    "Theo kế hoạch, không loại đơn vị nào báo cáo lên loại \"{}\".",
                    "In the plan, no unit type reports to \"{}\".",
                    self.report.unit.unit_type
                )));
            }
            None => {
                return Err(Error::new(t!(
                    "Cần --type, một trong: {}.",
                    "--type is needed, one of: {}.",
                    list_ids(&types)
                )));
            }
        };
        if let Some(d) = deadline {
            crate::vnfmt::parse_date(d)
                .map_err(|e| Error::new(t!("Hạn nộp: {e}", "Deadline: {e}")))?;
        }
        let deadline = deadline
            .map(|d| crate::vnfmt::format_date(crate::vnfmt::parse_date(d).expect("checked")));
        match self.report.children.iter_mut().find(|c| c.code == code) {
            Some(c) => {
                c.name = name;
                c.unit_type = unit_type;
                c.deadline = deadline.or(c.deadline.take());
                c.unexpected = false;
            }
            None => self.report.children.push(ExpectedChild {
                code: code.to_string(),
                name,
                unit_type,
                deadline,
                unexpected: false,
            }),
        }
        Ok(())
    }

    /// Adds every row of a children list, all or nothing: the first row
    /// that cannot be added is refused with its line, and nothing is kept.
    pub fn add_children(
        &mut self,
        rows: &[crate::children::Row],
    ) -> std::result::Result<(), (usize, Error)> {
        let before = self.report.clone();
        for row in rows {
            if let Err(e) = self.add_child(
                &row.code,
                &row.name,
                row.unit_type.as_deref(),
                row.deadline.as_deref(),
            ) {
                self.report = before;
                return Err((row.line, e));
            }
        }
        Ok(())
    }

    /// What importing one file would do, without changing anything.
    pub fn examine(&self, path: &Path) -> Examined {
        let read = package::read(path).map(|(bytes, _, p)| (bytes, p));
        self.examined(path, read, |code| {
            (
                self.report.received.iter().find(|r| r.code == code),
                self.report.children.iter().any(|c| c.code == code),
            )
        })
    }

    /// The verdict on a package read (or refused) by [`package::read`].
    /// `lookup` tells, for a unit code, what was received from the unit
    /// before and whether it is on the expected list.
    fn examined<'a>(
        &'a self,
        path: &Path,
        read: std::result::Result<(Vec<u8>, Package), String>,
        lookup: impl FnOnce(&str) -> (Option<&'a Received>, bool),
    ) -> Examined {
        let (bytes, package) = match read {
            Ok(x) => x,
            Err(reason) => return Examined::refused(path, Verdict::Bad(reason)),
        };
        let (old, expected) = lookup(&package.unit.code);
        Examined {
            path: path.to_path_buf(),
            verdict: self.judge(&package, old, expected),
            loaded: Some((bytes, package)),
        }
    }

    /// `old`: what was received from the same unit before; `expected`:
    /// whether the unit is on the expected list.
    fn judge(&self, p: &Package, old: Option<&Received>, expected: bool) -> Verdict {
        let me = &self.report.unit;
        if p.outline.hash != self.report.outline.hash {
            return Verdict::WrongOutline(self.outline.difference(&p.outline));
        }
        if p.unit.code == me.code {
            return Verdict::OwnCode;
        }
        if let Some(parent) = &p.unit.parent_code
            && parent != &me.code
        {
            return Verdict::WrongParent {
                parent: parent.clone(),
            };
        }
        let reports_here = self
            .outline
            .unit_type(&p.unit.unit_type)
            .is_some_and(|u| u.reports_to.as_deref() == Some(me.unit_type.as_str()));
        if !reports_here {
            return Verdict::WrongType {
                unit_type: p.unit.unit_type.clone(),
            };
        }
        match old {
            None => Verdict::New { expected },
            Some(old) if old.checksum == p.checksum => Verdict::Unchanged {
                revision: old.revision,
            },
            Some(old) if p.revision > old.revision => Verdict::Newer { old: old.revision },
            Some(old) if p.revision < old.revision => Verdict::Older { have: old.revision },
            Some(_) => Verdict::Conflict,
        }
    }

    /// Takes in an examined package: archives its original bytes beside
    /// the report (durably) and records it. Refused ones change nothing.
    pub fn accept(&mut self, ex: &Examined) -> Result<()> {
        self.accept_unsynced(ex)?;
        self.make_archive_durable()
    }

    /// [`Workspace::accept`] for a batch: the archived bytes are written
    /// (temp file and rename) but not yet flushed to disk. Call
    /// [`Workspace::make_archive_durable`] once after the batch and before
    /// saving the report: a report must never list a package that a power
    /// cut could take away. One flush for the batch instead of two per
    /// package is what keeps `baocao import` of 1,000 packages fast.
    pub fn accept_unsynced(&mut self, ex: &Examined) -> Result<()> {
        if !ex.taken_in() {
            return Ok(());
        }
        let Some((bytes, p)) = &ex.loaded else {
            return Ok(());
        };
        let file = self.archive_unsynced(bytes, p)?;
        // Texts from another machine are used in NFC; the archived bytes
        // stay as received (their checksum covers them).
        let mut package = p.clone();
        crate::report::normalize(&mut package.answers);
        let expected = self.report.children.iter().any(|c| c.code == p.unit.code);
        self.put_in_code_order();
        self.record(file, package, expected);
        Ok(())
    }

    /// [`Workspace::examine`] then [`Workspace::accept_unsynced`] for each
    /// file in turn: the same verdicts, the same report. Reading and
    /// checking the packages (most of the work) runs on every core
    /// meanwhile, a few files ahead; judging and taking in stay one at a
    /// time, in the order given. `each` hears about every file in that
    /// order: what it is, and whether taking it in failed (then nothing
    /// was recorded). Call [`Workspace::make_archive_durable`] after.
    pub fn import_unsynced(
        &mut self,
        paths: &[PathBuf],
        mut each: impl FnMut(&Examined, Result<()>),
    ) {
        // How many packages each reader may have ready: enough to keep
        // the readers busy, few enough not to hold many in memory.
        const AHEAD: usize = 4;
        let readers = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(paths.len())
            .max(1);
        // Unexpected units are added to the expected list as they come:
        // a set answers "expected?" for each package without a scan.
        let mut expected: std::collections::HashSet<String> = self
            .report
            .children
            .iter()
            .map(|c| c.code.clone())
            .collect();
        // Looked up by binary search once in order of code (as they are
        // but for a report changed by hand, which the first package taken
        // in puts in order, as accept_unsynced does).
        let mut in_order = self.in_code_order();
        std::thread::scope(|scope| {
            let queues: Vec<_> = (0..readers)
                .map(|k| {
                    let (tx, rx) = std::sync::mpsc::sync_channel(AHEAD);
                    scope.spawn(move || {
                        for path in paths.iter().skip(k).step_by(readers) {
                            if tx.send(read_for_import(path)).is_err() {
                                break;
                            }
                        }
                    });
                    rx
                })
                .collect();
            for (i, path) in paths.iter().enumerate() {
                let read = queues[i % readers].recv().expect("a reader for every file");
                // What examine() would find, without a scan.
                let mut ex = self.examined(path, read, |code| {
                    let old = if in_order {
                        let at = self.received_range(code).start;
                        self.report.received.get(at).filter(|r| r.code == code)
                    } else {
                        self.report.received.iter().find(|r| r.code == code)
                    };
                    (old, expected.contains(code))
                });
                let archived = match &ex.loaded {
                    Some((bytes, p)) if ex.taken_in() => self.archive_unsynced(bytes, p).map(Some),
                    _ => Ok(None),
                };
                match archived {
                    Err(e) => each(&ex, Err(e)),
                    Ok(file) => {
                        each(&ex, Ok(()));
                        if let (Some(file), Some((_, package))) = (file, ex.loaded.take()) {
                            let code = package.unit.code.clone();
                            if !in_order {
                                self.put_in_code_order();
                                in_order = true;
                            }
                            self.record(file, package, expected.contains(&code));
                            expected.insert(code);
                        }
                    }
                }
            }
        });
    }

    /// Writes a package's bytes into the archive, not yet durably, and
    /// returns the file name.
    fn archive_unsynced(&mut self, bytes: &[u8], p: &Package) -> Result<String> {
        let file = format!(
            "{}-r{}-{}.{}",
            crate::vi::fold::ascii_file_name(&p.unit.code),
            p.revision,
            &p.checksum.trim_start_matches("sha256:")[..12],
            package::EXTENSION
        );
        // write_unsynced makes the folder when it is missing.
        let target = archive_dir(&self.path).join(&file);
        crate::store::write_unsynced(&target, bytes)?;
        self.unsynced.push(target);
        Ok(file)
    }

    /// Whether the received list and the children are in order of unit
    /// code, as [`Workspace::record`] and the binary searches need. They
    /// always are, but for a report changed by hand or by an older baocao.
    fn in_code_order(&self) -> bool {
        self.report.received.is_sorted_by(|a, b| a.code <= b.code)
            && self
                .children
                .is_sorted_by(|a, b| a.received.code <= b.received.code)
    }

    /// Puts them in order. The sort is stable: of two entries with one
    /// code (a hand-edited report), the first stays first, as a scan
    /// finds it.
    fn put_in_code_order(&mut self) {
        if !self.in_code_order() {
            self.report.received.sort_by(|a, b| a.code.cmp(&b.code));
            self.children
                .sort_by(|a, b| a.received.code.cmp(&b.received.code));
        }
    }

    /// Where the entries of a unit are in the received list (sorted).
    fn received_range(&self, code: &str) -> std::ops::Range<usize> {
        let r = &self.report.received;
        r.partition_point(|x| x.code.as_str() < code)
            ..r.partition_point(|x| x.code.as_str() <= code)
    }

    /// Records an archived package (its answers in NFC): it replaces
    /// whatever was received from the unit before. The received list and
    /// the children stay in order of unit code: what goes upward (the
    /// embedded packages, the merged table rows) does not depend on the
    /// order packages were imported in, nor on which one was replaced.
    fn record(&mut self, file: String, package: Package, expected: bool) {
        let p = &package;
        let old = self.received_range(&p.unit.code);
        let received = Received {
            code: p.unit.code.clone(),
            name: p.unit.name.clone(),
            unit_type: p.unit.unit_type.clone(),
            revision: p.revision,
            status: p.status,
            checksum: p.checksum.clone(),
            exported_at: p.exported_at.clone(),
            received_at: Local::now(),
            first_received_at: self.report.received[old.clone()]
                .first()
                .map(|r| r.first_received_at.unwrap_or(r.received_at))
                .or(Some(Local::now())),
            complete_percent: p.complete_percent.min(100),
            file,
        };
        self.report.received.splice(old, [received.clone()]);
        let c = &self.children;
        let old = c.partition_point(|x| x.received.code < p.unit.code)
            ..c.partition_point(|x| x.received.code <= p.unit.code);
        if !expected {
            self.report.children.push(ExpectedChild {
                code: p.unit.code.clone(),
                name: p.unit.name.clone(),
                unit_type: p.unit.unit_type.clone(),
                deadline: None,
                unexpected: true,
            });
        }
        self.children.splice(old, [Child { received, package }]);
        self.report.updated_at = Local::now();
    }

    /// Flushes the packages archived since the last call to disk (their
    /// data, then the archive folder). Before the report is saved.
    pub fn make_archive_durable(&mut self) -> Result<()> {
        crate::store::make_durable(&self.unsynced)?;
        self.unsynced.clear();
        Ok(())
    }

    /// Marks the report approved collectively and final.
    pub fn finalize(&mut self, by: &str, on: &str) -> Result<()> {
        let date = crate::vnfmt::parse_date(on)
            .map_err(|e| Error::new(t!("Ngày thông qua: {e}", "Approval date: {e}")))?;
        let by = crate::text::nfc(by.trim());
        if by.is_empty() {
            return Err(Error::new(t!(
                "Cần ghi tập thể thông qua.",
                "Name the approving body."
            )));
        }
        let invalid = self.report.invalid(&self.outline);
        if let Some((i, f, m)) = invalid.first() {
            return Err(Error::new(t!(
                "Chưa thể chốt: còn {} trường sai, ví dụ {i} / {f}: {m}",
                "Cannot finalise yet: {} invalid fields, e.g. {i} / {f}: {m}",
                invalid.len()
            )));
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

/// A package read and checked as for import, its texts in NFC (the bytes
/// stay as received: their checksum covers them). Touches nothing but the
/// file: runs on any thread.
fn read_for_import(path: &Path) -> std::result::Result<(Vec<u8>, Package), String> {
    let (bytes, value, mut package) = package::read(path)?;
    drop(value);
    crate::report::normalize(&mut package.answers);
    Ok((bytes, package))
}

fn list_ids(types: &[&crate::outline::UnitType]) -> String {
    types
        .iter()
        .map(|u| u.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    Received,
    Late,
    Missing,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Received => "received",
            State::Late => "late",
            State::Missing => "missing",
        }
    }
    pub fn label(self) -> String {
        match self {
            State::Received => t!("đã nhận", "received"),
            State::Late => t!("nộp muộn", "late"),
            State::Missing => t!("chưa nộp", "missing"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Submission {
    pub code: String,
    pub name: String,
    pub unit_type: String,
    pub deadline: Option<NaiveDate>,
    pub state: State,
    pub days_late: i64,
    pub received: Option<Received>,
    pub unexpected: bool,
}

/// What importing a file does, each case with its own message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    New {
        expected: bool,
    },
    Newer {
        old: u32,
    },
    Unchanged {
        revision: u32,
    },
    Older {
        have: u32,
    },
    Conflict,
    /// How the package's outline differs from ours, in words.
    WrongOutline(String),
    WrongParent {
        parent: String,
    },
    WrongType {
        unit_type: String,
    },
    OwnCode,
    Bad(String),
}

impl Verdict {
    pub fn accepted(&self) -> bool {
        matches!(
            self,
            Verdict::New { .. } | Verdict::Newer { .. } | Verdict::Unchanged { .. }
        )
    }
}

pub struct Examined {
    pub path: PathBuf,
    pub verdict: Verdict,
    /// The package's bytes as read (to be archived) and the package.
    pub loaded: Option<(Vec<u8>, Package)>,
}

impl Examined {
    fn refused(path: &Path, verdict: Verdict) -> Examined {
        Examined {
            path: path.to_path_buf(),
            verdict,
            loaded: None,
        }
    }

    pub fn package(&self) -> Option<&Package> {
        self.loaded.as_ref().map(|(_, p)| p)
    }

    /// Whether taking it in changes anything: accepted, not unchanged.
    fn taken_in(&self) -> bool {
        self.verdict.accepted() && !matches!(self.verdict, Verdict::Unchanged { .. })
    }

    /// One line for a person: which unit, what happens, why.
    pub fn message(&self) -> String {
        let who = self
            .package()
            .map(|p| {
                let draft = if p.status == Status::Draft {
                    tr(", dự thảo", ", draft")
                } else {
                    ""
                };
                format!(
                    "{} ({}, {} {}{draft})",
                    printable(&p.unit.name, false),
                    printable(&p.unit.code, false),
                    tr("lần gửi", "revision"),
                    p.revision
                )
            })
            .unwrap_or_default();
        let rev = self.package().map_or(0, |p| p.revision);
        match &self.verdict {
            Verdict::New { expected: true } => {
                t!("Nhận gói của {who}.", "Took the package of {who}.")
            }
            Verdict::New { expected: false } => t!(
                "Nhận gói của {who}. Lưu ý: đơn vị này chưa có trong danh sách đơn vị phải nộp, đã được thêm vào.",
                "Took the package of {who}. Note: this unit was not on the expected list; it has been added."
            ),
            Verdict::Newer { old } => t!(
                "Nhận gói của {who}, thay cho lần gửi {old}.",
                "Took the package of {who}, replacing revision {old}."
            ),
            Verdict::Unchanged { .. } => t!(
                "Gói của {who} đã nhận rồi; không thay đổi gì.",
                "The package of {who} was already taken; nothing changed."
            ),
            Verdict::Older { have } => t!(
                "Từ chối gói của {who}: đã có lần gửi {have} mới hơn.",
                "Refused the package of {who}: revision {have}, which is newer, is already here."
            ),
            Verdict::Conflict => t!(
                "Từ chối gói của {who}: đã nhận một gói khác cùng lần gửi {rev} với nội dung khác. Hãy đề nghị đơn vị xuất lại gói mới.",
                "Refused the package of {who}: a different package with the same revision {rev} is already here. Ask the unit to export again."
            ),
            Verdict::WrongOutline(how) => t!(
                "Từ chối gói của {who}: gói theo đề cương khác ({how}).",
                "Refused the package of {who}: it answers another outline ({how})."
            ),
            Verdict::WrongParent { parent } => t!(
                "Từ chối gói của {who}: gói gửi cho đơn vị cấp trên khác ({}).",
                "Refused the package of {who}: it is addressed to another parent unit ({}).",
                printable(parent, false)
            ),
            Verdict::WrongType { unit_type } => t!(
                "Từ chối gói của {who}: loại đơn vị \"{}\" không báo cáo lên đơn vị này.",
                "Refused the package of {who}: unit type \"{}\" does not report to this unit.",
                printable(unit_type, false)
            ),
            Verdict::OwnCode => t!(
                "Từ chối gói của {who}: đây là gói của chính đơn vị này.",
                "Refused the package of {who}: it is this unit's own package."
            ),
            Verdict::Bad(reason) => t!(
                "Từ chối {}: {reason}.",
                "Refused {}: {reason}.",
                self.path.display()
            ),
        }
    }
}
