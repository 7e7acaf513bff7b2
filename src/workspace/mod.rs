//! One unit's report with everything around it: its outline, and at a
//! parent unit the packages received from its children. Effective figures
//! and progress are here; taking packages in (`import`), sending one up
//! (`export`) and the units expected here (`children`) have their own
//! files. The command line and the UI alike start here.

pub mod chase;
mod children;
mod export;
mod import;
pub mod keys;
mod overrides;
mod receipts;

pub use children::{
    Accepted, ChildRow, CsvProblem, Forgotten, ListEncoding, State, Submission, decode_list,
    parse_csv, read_list,
};
pub use import::{Examined, Outcome, Standing, Tally, Verdict};
pub use overrides::Stale;
pub use receipts::{Decision, ReceiptRefused, Taken};

use crate::approval::{self, ApprovalError};
/// The file beside the report that holds the received packages.
pub use crate::store::archive::archive_file;
use crate::store::archive::{self, Archive, Loc};
/// The folder beside the report where received packages were archived,
/// one file each (districts made before the archive file).
pub use crate::store::archive_dir;

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
use chrono::{Local, NaiveDate};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

/// A package taken in earlier, read back from the archive.
#[derive(Debug, Clone)]
pub struct Child {
    pub received: Received,
    pub package: Package,
    /// The units its package stands for: itself and every unit embedded
    /// in it, at any depth.
    pub units: BTreeSet<String>,
    /// Where its bytes are in the archive file; `None`: in a file of its
    /// own in the archive folder (received before the archive file).
    pub at: Option<Loc>,
}

impl Child {
    /// Its answers as a source of the merge.
    pub fn source(&self) -> Source<'_> {
        Source {
            code: &self.package.unit.code,
            name: &self.package.unit.name,
            answers: &self.package.answers,
        }
    }

    /// The package exactly as received, read back from the archive to be
    /// embedded in the package sent upward. Not kept in memory: a second
    /// copy of every child beside `package` took an import of 1,000
    /// packages past 100 MB.
    pub fn value(&self, report_path: &Path) -> Result<Value> {
        let read = match self.at {
            Some(at) => archive::read_at(&archive_file(report_path), at)
                .map_err(PackageError::from)
                .and_then(|bytes| package::parse_archived(&bytes))
                .map(|(v, _)| v),
            None => package::read(&archive_dir(report_path).join(&self.received.file))
                .map(|(_, v, _)| v),
        };
        read.map_err(|reason| {
            WorkspaceError::ChildUnreadable {
                name: self.received.name.clone(),
                code: self.received.code.clone(),
                reason,
            }
            .into()
        })
    }
}

/// A package received earlier that can no longer be read from the archive
/// (damaged on the disk, or gone): set aside, so that the unit opens and
/// the rest of its figures stand. It is left out of every figure and
/// export, the unit shows as needing a new package, and importing one
/// (any revision) replaces it.
#[derive(Debug, Clone)]
pub struct Quarantined {
    pub received: Received,
    pub reason: PackageError,
}

impl Localized for Quarantined {
    /// Which unit's package is damaged, why, and what to do.
    fn localized(&self, lang: Lang) -> String {
        let r = &self.received;
        let reason = self.reason.localized(lang);
        let reason = reason.trim_end_matches('.');
        tl!(
            lang,
            "Gói đã nhận của {} ({}), lần gửi {}, bị hỏng ({reason}); gói này không được tính vào số liệu nào. Hãy nhập lại gói của đơn vị này (baocao import TỆP.bcpkg, hoặc F6 trong giao diện).",
            "The received package of {} ({}), revision {}, is damaged ({reason}); it counts in no figure. Import that unit's package again (baocao import FILE.bcpkg, or F6 in the UI).",
            printable(&r.name, false),
            printable(&r.code, false),
            r.revision
        )
    }
}

crate::localized_display!(Quarantined);

/// Why something asked of a workspace was not done; nothing was changed.
#[derive(Debug, thiserror::Error, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum WorkspaceError {
    /// A package received earlier could not be read back from the archive
    /// to be embedded in the export (damaged since the unit was opened: one
    /// damaged before is quarantined, see [`Quarantined`]).
    ChildUnreadable {
        name: String,
        code: String,
        reason: PackageError,
    },
    /// A code or name no unit may have.
    Unit(crate::unit::UnitProblem),
    /// The code is not on the list of units reporting here.
    NotAChild {
        code: String,
    },
    /// Accepting the unit would count `code` twice: it is counted already
    /// in the package of `under`.
    CountedElsewhere {
        code: String,
        under: String,
    },
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
    /// A file is already where the package would go, with other content.
    ExportExists {
        path: PathBuf,
    },
    /// The package would be larger than a parent takes in
    /// ([`package::MAX_BYTES`]); nothing is written.
    PackageTooLarge {
        mb: u64,
        limit_mb: u64,
    },
    /// The delivery day given with `import --received-on`.
    DeliveryDate(DateError),
    DeliveredInFuture {
        on: String,
    },
    /// `children import --encoding` named no encoding we read.
    UnknownListEncoding {
        given: String,
    },
    /// There is no figure set by hand at this item and field.
    NoOverride {
        item: String,
        field: String,
    },
    /// A backup put in place of the open report is another unit's, or
    /// on another outline.
    NotThisReport {
        unit: String,
        code: String,
    },
    /// `children add --fingerprint` (or the list's column) for a unit
    /// whose key is pinned already, to another one.
    KeyPinned {
        code: String,
        pinned: crate::keys::Fingerprint,
        given: crate::keys::Fingerprint,
    },
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
            WorkspaceError::ChildUnreadable { name, code, reason } => {
                let e = reason.localized(lang);
                tl!(
                    lang,
                    "Gói đã nhận của {} ({}) không đọc được: {e}. Hãy nhập lại gói đó.",
                    "The received package of {} ({}) cannot be read: {e}. Import it again.",
                    p(name),
                    p(code)
                )
            }
            WorkspaceError::Unit(p) => p.localized(lang),
            WorkspaceError::NotAChild { code } => tl!(
                lang,
                "Mã {} không có trong danh sách đơn vị báo cáo về đây (xem: baocao status).",
                "Code {} is not on the list of units reporting here (see: baocao status).",
                p(code)
            ),
            WorkspaceError::CountedElsewhere { code, under } => tl!(
                lang,
                "Không nhận được: đơn vị {} đã được tính trong gói của {}; một đơn vị chỉ được tính một lần. Bỏ một trong hai gói trước (baocao children remove MÃ).",
                "Cannot accept: unit {} is counted already, in the package of {}; a unit counts once. Remove one of the two packages first (baocao children remove CODE).",
                p(code),
                p(under)
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
            WorkspaceError::ExportExists { path } => tl!(
                lang,
                "Đã có tệp {} với nội dung khác; không ghi đè. Chọn thư mục khác, hoặc xóa tệp cũ nếu chắc chắn không cần.",
                "{} already exists with other content; it is not overwritten. Choose another folder, or delete the old file if it is surely not needed.",
                path.display()
            ),
            WorkspaceError::PackageTooLarge { mb, limit_mb } => tl!(
                lang,
                "Gói sẽ nặng khoảng {mb} MB, quá giới hạn {limit_mb} MB mà cấp trên nhận được; không xuất. Xem lại các bảng và câu trả lời rất dài (thường do một gói cấp dưới quá lớn: baocao status).",
                "The package would be about {mb} MB, over the {limit_mb} MB a parent takes in; nothing is exported. Look at very long tables and answers (often one child's package is too large: baocao status)."
            ),
            WorkspaceError::DeliveryDate(e) => {
                let e = e.localized(lang);
                tl!(lang, "Ngày nhận: {e}", "Delivery date: {e}")
            }
            WorkspaceError::DeliveredInFuture { on } => tl!(
                lang,
                "Ngày nhận {on} chưa đến. Ghi ngày đã thực nhận gói (bản giấy, nộp muộn).",
                "The delivery date {on} is in the future. Give the day the package actually arrived."
            ),
            WorkspaceError::UnknownListEncoding { given } => tl!(
                lang,
                "Không biết bảng mã \"{}\". Dùng --encoding utf-8 hoặc --encoding windows-1258, hoặc bỏ --encoding để chương trình tự nhận ra.",
                "Unknown encoding \"{}\". Use --encoding utf-8 or --encoding windows-1258, or leave --encoding out to have it detected.",
                p(given)
            ),
            WorkspaceError::NoOverride { item, field } => tl!(
                lang,
                "Ở {} / {} không có số sửa tay (số đang dùng là số tổng hợp từ cấp dưới).",
                "There is no figure set by hand at {} / {} (the figure merged from below is used).",
                printable(item, false),
                printable(field, false)
            ),
            WorkspaceError::KeyPinned {
                code,
                pinned,
                given,
            } => tl!(
                lang,
                "Đơn vị {} đã được ghi nhận khóa có dấu vân tay {pinned}, không phải {given}; không đổi. Nếu đơn vị đã đổi khóa (cài lại máy), hãy gọi điện đọc lại dấu vân tay với đơn vị rồi dùng: baocao children rekey {} --fingerprint {given}",
                "Unit {} has the key with fingerprint {pinned} pinned, not {given}; nothing changed. If the unit changed its key (set up its computer again), phone it to read the fingerprint again, then use: baocao children rekey {} --fingerprint {given}",
                p(code),
                p(code)
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
            WorkspaceError::NotThisReport { unit, code } => tl!(
                lang,
                "Bản sao lưu này là báo cáo của {} ({}) hoặc trên đề cương khác, không phải báo cáo đang mở; không khôi phục.",
                "This backup is the report of {} ({}) or on another outline, not the open report; nothing restored.",
                p(unit),
                p(code)
            ),
        }
    }
}

crate::coded!(WorkspaceError => "workspace");
crate::localized_display!(WorkspaceError);

pub struct Workspace {
    pub path: PathBuf,
    /// The outline as this unit answers it (fields optional for its unit
    /// type not required: see [`Outline::for_unit_type`]).
    pub outline: Outline,
    /// The outline as issued, kept only when it differs from `outline`:
    /// the children's progress is worked out on it.
    plan: Option<Box<Outline>>,
    pub report: Report,
    /// The packages of the units counted here, in order of code.
    pub children: Vec<Child>,
    /// The packages of units not yet accepted as reporting here (pending
    /// on the expected list): kept, counted in no figure, not sent upward.
    pub held: Vec<Child>,
    /// Received packages that can no longer be read from the archive, in
    /// the order received: counted nowhere until imported again.
    pub damaged: Vec<Quarantined>,
    /// The archive file: where each received package is, and those
    /// appended by [`Workspace::accept_unsynced`] or
    /// [`Workspace::import_unsynced`] not yet made durable.
    archive: Archive,
    /// The children's merged answers and the checksums of the packages
    /// they were merged from: the form shows them on every frame, and
    /// merging 30 communes took a third of a millisecond.
    merged: Mutex<Option<(Vec<String>, Arc<merge::Merged>)>>,
    /// Every unit a received package stands for → the child whose package
    /// it is in: a unit is counted once, whichever package brings it.
    owners: HashMap<String, String>,
    /// This unit's key, when [`Workspace::unit_key`] made it (a report made
    /// by an older baocao) or put it back from the backups.
    pub new_key: Option<(crate::keys::Fingerprint, crate::store::key::KeyOrigin)>,
}

/// The day a delivery was recorded for (`import --received-on`): a real
/// date, not after `today`.
pub fn delivery_day(text: &str, today: NaiveDate) -> Result<NaiveDate> {
    let day = crate::vnfmt::parse_date(text).map_err(WorkspaceError::DeliveryDate)?;
    if day > today {
        return Err(WorkspaceError::DeliveredInFuture {
            on: crate::vnfmt::format_date(day),
        }
        .into());
    }
    Ok(day)
}

impl Workspace {
    /// Opens a report and the packages it received.
    pub fn new(path: &Path, outline: Outline, report: Report) -> Result<Workspace> {
        let (outline, plan) = match outline.for_unit_type(&report.unit.unit_type) {
            std::borrow::Cow::Owned(own) => (own, Some(Box::new(outline))),
            std::borrow::Cow::Borrowed(_) => (outline, None),
        };
        let mut ws = Workspace {
            path: path.to_path_buf(),
            outline,
            plan,
            report,
            children: Vec::new(),
            held: Vec::new(),
            damaged: Vec::new(),
            archive: Archive::empty(path),
            merged: Mutex::new(None),
            owners: HashMap::new(),
            new_key: None,
        };
        ws.reload_children()?;
        Ok(ws)
    }

    /// Reads the received packages back from the archive. One that cannot
    /// be read is quarantined ([`Workspace::damaged`]), never fatal.
    pub fn reload_children(&mut self) -> Result<()> {
        self.archive = Archive::open(&self.path);
        let dir = archive_dir(&self.path);
        let pending: std::collections::HashSet<&str> = self
            .report
            .children
            .iter()
            .filter(|c| c.pending)
            .map(|c| c.code.as_str())
            .collect();
        let mut all = Vec::new();
        let mut damaged = Vec::new();
        for r in &self.report.received {
            let at = self.archive.find(&r.checksum);
            let read = match at {
                Some(at) => self
                    .archive
                    .read(at)
                    .map_err(PackageError::from)
                    .and_then(|bytes| package::parse_archived(&bytes))
                    .map(|(_, p)| p),
                // Received before the archive file: in a file of its own.
                None if dir.join(&r.file).is_file() => {
                    package::read(&dir.join(&r.file)).map(|(_, _, p)| p)
                }
                None => Err(PackageError::NotArchived),
            }
            .and_then(|p| {
                if p.checksum == r.checksum {
                    Ok(p)
                } else {
                    Err(PackageError::NotArchived)
                }
            });
            match read {
                Ok(mut package) => {
                    crate::report::normalize(&mut package.answers);
                    all.push(Child {
                        received: r.clone(),
                        units: import::units_of(&package),
                        package,
                        at,
                    });
                }
                Err(reason) => damaged.push(Quarantined {
                    received: r.clone(),
                    reason,
                }),
            }
        }
        self.damaged = damaged;
        let (held, mut counted): (Vec<Child>, Vec<Child>) = all
            .into_iter()
            .partition(|c| pending.contains(c.received.code.as_str()));
        counted.sort_by(|a, b| a.received.code.cmp(&b.received.code));
        self.children = counted;
        self.held = held;
        self.owners = self
            .children
            .iter()
            .flat_map(|c| c.units.iter().map(|u| (u.clone(), c.received.code.clone())))
            .collect();
        Ok(())
    }

    /// The folder the report is in: where the export, print and import
    /// screens start when no USB stick is found.
    pub fn folder(&self) -> PathBuf {
        crate::store::parent_dir(&self.path)
    }

    /// The outline as issued, for another unit type than this one.
    pub fn plan(&self) -> &Outline {
        self.plan.as_deref().unwrap_or(&self.outline)
    }

    /// Whether the package received from `code` is quarantined.
    pub fn is_damaged(&self, code: &str) -> bool {
        self.damaged.iter().any(|d| d.received.code == code)
    }

    /// Every child's answers, for reading them side by side and finding
    /// text in them.
    pub fn sources(&self) -> Vec<Source<'_>> {
        self.children.iter().map(Child::source).collect()
    }

    /// The children whose figures add into this unit's totals: those the
    /// plan does not report beside them (`in_totals`).
    pub fn totals_children(&self) -> impl Iterator<Item = &Child> {
        self.children
            .iter()
            .filter(|c| self.outline.in_totals(&c.package.unit.unit_type))
    }

    /// The figures of the children that add into the totals, merged, with
    /// what each covers. Merged again only when those children changed.
    pub fn aggregate(&self) -> Arc<merge::Merged> {
        let from: Vec<(&str, &str)> = self
            .totals_children()
            .map(|c| (c.received.code.as_str(), c.received.checksum.as_str()))
            .collect();
        let mut merged = self.merged.lock().unwrap_or_else(|e| e.into_inner());
        let same = merged.as_ref().is_some_and(|(was, _)| {
            was.len() == from.len() && was.iter().zip(&from).all(|(a, b)| a == b.1)
        });
        if !same {
            let sources: Vec<Source> = self.totals_children().map(Child::source).collect();
            let answers = merge::aggregate(&self.outline, &sources);
            let was = from.iter().map(|(_, sum)| sum.to_string()).collect();
            *merged = Some((was, Arc::new(answers)));
        }
        Arc::clone(&merged.as_ref().expect("merged just now").1)
    }

    /// Own answers where given, the children's aggregate elsewhere.
    pub fn effective(&self) -> Answers {
        if self.totals_children().next().is_none() {
            return self.report.answers.clone();
        }
        merge::effective(&self.outline, &self.report.answers, &self.aggregate())
    }

    pub fn progress(&self) -> Progress {
        progress_of(&self.outline, &self.effective())
    }

    /// Puts a backup's report in place of the open draft: the same unit,
    /// on this outline. The received packages are read again for it; on a
    /// refusal the open report stays as it was.
    pub fn restore(&mut self, report: Report) -> Result<()> {
        // An approved report changes only by going back to a draft first.
        self.ensure_draft()?;
        let same_unit = report.unit.code == self.report.unit.code
            && report.unit.unit_type == self.report.unit.unit_type;
        if !same_unit || !self.plan().takes_answers_of(&report.outline.hash) {
            return Err(WorkspaceError::NotThisReport {
                unit: report.unit.name.clone(),
                code: report.unit.code.clone(),
            }
            .into());
        }
        let open = std::mem::replace(&mut self.report, report);
        if let Err(e) = self.reload_children() {
            self.report = open;
            self.reload_children()?;
            return Err(e);
        }
        Ok(())
    }

    /// Refuses a change while the report is final: its approval covers
    /// the report as it is.
    pub fn ensure_draft(&self) -> Result<()> {
        match self.report.approval() {
            Some(a) => Err(ApprovalError::Approved {
                by: a.by.clone(),
                on: a.on.clone(),
            }
            .into()),
            None => Ok(()),
        }
    }

    /// Records the collective approval and makes the report final. The
    /// rules are [`approval::approve`]'s; invalid answers always block.
    pub fn finalize(&mut self, req: &approval::Request, today: NaiveDate) -> Result<()> {
        if let Some(a) = self.report.approval() {
            return Err(ApprovalError::AlreadyFinal {
                by: a.by.clone(),
                on: a.on.clone(),
            }
            .into());
        }
        self.sync_overrides();
        let effective = self.effective();
        let invalid = crate::report::invalid_of(&self.outline, &effective);
        if let Some((item, field, reason)) = invalid.first() {
            return Err(WorkspaceError::InvalidFields {
                count: invalid.len(),
                item: item.clone(),
                field: field.clone(),
                reason: reason.clone(),
            }
            .into());
        }
        let missing = crate::report::missing_of(&self.outline, &effective);
        let first = missing.first().map(|(i, f)| format!("{i} / {f}"));
        let hash = self.report.content_hash();
        let plan = &self.outline.plan;
        let facts = approval::Facts {
            today,
            plan_date: &plan.date,
            plan_number: &plan.number,
            percent: progress_of(&self.outline, &effective).percent(),
            missing: missing.len(),
            first_missing: first.as_deref(),
            content_hash: &hash,
        };
        let approved = approval::approve(req, facts)?;
        self.report.approval = Some(approved);
        self.report.status = Status::Final;
        self.report.updated_at = Local::now();
        Ok(())
    }

    /// Makes a final report a draft again; its approval goes into the
    /// history with when and why.
    pub fn reopen(&mut self, reason: Option<&str>) -> Result<()> {
        let reason = approval::reason(reason)?;
        if !self.report.is_final() {
            return Err(ApprovalError::NotFinal.into());
        }
        let approval = self.report.approval.take().expect("a final report has one");
        let now = Local::now();
        self.report.approval_history.push(approval::PastApproval {
            approval,
            reopened_at: now,
            reason,
        });
        self.report.status = Status::Draft;
        self.report.updated_at = now;
        Ok(())
    }

    /// The approval holds when the report is what was approved.
    pub fn check_approval(&self) -> Result<()> {
        match self.report.approval() {
            Some(a) if a.content_hash != self.report.content_hash() => {
                Err(ApprovalError::ChangedSinceApproval {
                    by: a.by.clone(),
                    on: a.on.clone(),
                }
                .into())
            }
            _ => Ok(()),
        }
    }
}
