//! Taking packages in: what each file would do (its verdict), archiving
//! the original bytes beside the report, and recording the newest
//! revision per unit, reading and checking on every core.

use super::{Child, Workspace};
use crate::error::Result;
use crate::i18n::{Lang, Localized};
use crate::merge;
use crate::outline::OutlineDifference;
use crate::package::{self, Package, PackageError};
use crate::report::{ExpectedChild, PinnedKey, Received, Status};
use crate::store::archive::Loc;
use crate::text::printable;
use crate::tl;
use chrono::{Local, NaiveDate};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

impl Workspace {
    /// What importing one file would do, without changing anything.
    pub fn examine(&self, path: &Path) -> Examined {
        let read = package::read(path).map(|(bytes, _, p)| (bytes, p));
        self.examined(path, read, |code| {
            (
                self.report
                    .received
                    .iter()
                    .find(|r| r.code == code)
                    .filter(|_| !self.is_damaged(code)),
                self.standing(code),
                self.pinned_key(code).cloned(),
            )
        })
    }

    /// Where a unit stands on the expected list.
    pub(super) fn standing(&self, code: &str) -> Standing {
        self.report
            .children
            .iter()
            .find(|c| c.code == code)
            .map_or(Standing::Unknown, Standing::of)
    }

    /// The verdict on a package read (or refused) by [`package::read`].
    /// `lookup` tells, for a unit code, what was received from the unit
    /// before, where it stands on the expected list, and the key pinned
    /// for it. Who signed comes first: nothing else of a package signed
    /// by the wrong key (or by none) is judged.
    fn examined<'a>(
        &'a self,
        path: &Path,
        read: std::result::Result<(Vec<u8>, Package), PackageError>,
        lookup: impl FnOnce(&str) -> (Option<&'a Received>, Standing, Option<PinnedKey>),
    ) -> Examined {
        let (bytes, package) = match read {
            Ok(x) => x,
            Err(reason) => return Examined::refused(path, Verdict::Bad(reason)),
        };
        let (old, standing, pinned) = lookup(&package.unit.code);
        let verdict = super::keys::signer_verdict(&package, pinned.as_ref())
            .unwrap_or_else(|| self.judge(&package, old, &standing));
        Examined {
            path: path.to_path_buf(),
            verdict,
            loaded: Some((bytes, package)),
        }
    }

    /// `old`: what was received from the same unit before; `standing`:
    /// where the unit stands on the expected list.
    fn judge(&self, p: &Package, old: Option<&Received>, standing: &Standing) -> Verdict {
        let me = &self.report.unit;
        if p.outline.hash != self.report.outline.hash
            && !self.outline.replaces.contains(&p.outline.hash)
        {
            return Verdict::WrongOutline(OutlineDifference {
                ours: self.report.outline.clone(),
                theirs: p.outline.clone(),
            });
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
        if let Standing::Listed { name } | Standing::Pending { name } = standing
            && !crate::unit::same_name(name, &p.unit.name)
        {
            return Verdict::OtherName {
                listed: name.clone(),
            };
        }
        if let Err(refused) = self.rolls_up(p) {
            return *refused;
        }
        let held = !matches!(standing, Standing::Listed { .. });
        match old {
            None if held => Verdict::Held { replacing: None },
            None => Verdict::New,
            Some(old) if old.checksum == p.checksum => Verdict::Unchanged {
                revision: old.revision,
            },
            Some(old) if p.revision > old.revision && held => Verdict::Held {
                replacing: Some(old.revision),
            },
            Some(old) if p.revision > old.revision => Verdict::Newer { old: old.revision },
            Some(old) if p.revision < old.revision => Verdict::Older { have: old.revision },
            Some(_) => Verdict::Conflict,
        }
    }

    /// Checks that a package adds up and brings no unit counted already:
    /// at every level its figures are what the packages embedded in it
    /// make (unless marked as set by hand), no unit is embedded twice, and
    /// none of its units is in another package received here.
    fn rolls_up(&self, p: &Package) -> std::result::Result<(), Box<Verdict>> {
        let mut units = BTreeSet::from([p.unit.code.clone()]);
        gather_units(p, &mut units)?;
        check_tree(&self.outline, p)?;
        for u in &units {
            if let Some(owner) = self.owners.get(u)
                && *owner != p.unit.code
            {
                return Err(Box::new(Verdict::CountedElsewhere {
                    code: u.clone(),
                    under: owner.clone(),
                }));
            }
        }
        Ok(())
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
        self.ensure_draft()?;
        let Some((bytes, p)) = &ex.loaded else {
            return Ok(());
        };
        let (file, at) = self.archive_unsynced(bytes, p)?;
        // Texts from another machine are used in NFC; the archived bytes
        // stay as received (their checksum covers them).
        let mut package = p.clone();
        crate::report::normalize(&mut package.answers);
        let standing = self.standing(&p.unit.code);
        self.put_in_code_order();
        let percent = percent_of(self.plan(), &package);
        self.record(file, at, package, percent, &standing, None);
        self.pin_signer(p);
        self.sync_overrides();
        Ok(())
    }

    /// [`Workspace::examine`] then [`Workspace::accept_unsynced`] for each
    /// file in turn: the same verdicts, the same report. Reading and
    /// checking the packages (most of the work) runs on every core
    /// meanwhile, a few files ahead; judging and taking in stay one at a
    /// time, in the order given. `each` hears about every file in that
    /// order: what it is, and whether taking it in failed (then nothing
    /// was recorded). Call [`Workspace::make_archive_durable`] after.
    /// A final report takes nothing in: refused before any file is read.
    /// `delivered_on`: the day the files were delivered, when the clerk
    /// records a paper or late delivery.
    pub fn import_unsynced(
        &mut self,
        paths: &[PathBuf],
        delivered_on: Option<NaiveDate>,
        mut each: impl FnMut(&Examined, Result<()>),
    ) -> Result<()> {
        self.intake(paths, &[], delivered_on, false, |ex, _, outcome| {
            each(ex, outcome)
        })
    }

    /// [`Workspace::import_unsynced`] of `paths` where `take[i]` false
    /// leaves file `i` out: it is read and judged (against the report and
    /// the files taken before it) but not taken in, as if it were not
    /// there. A `take` shorter than `paths` takes the rest. `each` hears
    /// whether the file was left out.
    pub fn import_chosen_unsynced(
        &mut self,
        paths: &[PathBuf],
        take: &[bool],
        delivered_on: Option<NaiveDate>,
        each: impl FnMut(&Examined, bool, Result<()>),
    ) -> Result<()> {
        self.intake(paths, take, delivered_on, false, each)
    }

    /// What [`Workspace::import_chosen_unsynced`] would do, file by file,
    /// without writing anything: the same code judges each file against
    /// the report and against the files taken before it in the batch (r1
    /// then r2 of one unit: r1 new, r2 newer; one file twice: the second
    /// already there). It takes the workspace, which is left as the
    /// import would leave it but with nothing archived: it must not be
    /// saved, and is dropped.
    pub fn preview_import(
        mut self,
        paths: &[PathBuf],
        take: &[bool],
        each: impl FnMut(&Examined, bool),
    ) -> Result<()> {
        let mut each = each;
        self.intake(paths, take, None, true, |ex, taken, _| each(ex, taken))
    }

    /// The import proper; `dry`: nothing is archived (what would be, is
    /// recorded in memory only).
    fn intake(
        &mut self,
        paths: &[PathBuf],
        take: &[bool],
        delivered_on: Option<NaiveDate>,
        dry: bool,
        mut each: impl FnMut(&Examined, bool, Result<()>),
    ) -> Result<()> {
        self.ensure_draft()?;
        // How many packages each reader may have ready: enough to keep
        // the readers busy, few enough not to hold many in memory.
        const AHEAD: usize = 4;
        let readers = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .min(paths.len())
            .max(1);
        // Unexpected units are added to the expected list as they come:
        // a map answers "where does it stand?" for each package without a
        // scan.
        let mut standing: std::collections::HashMap<String, Standing> = self
            .report
            .children
            .iter()
            .map(|c| (c.code.clone(), Standing::of(c)))
            .collect();
        // Looked up by binary search once in order of code (as they are
        // but for a report changed by hand, which the first package taken
        // in puts in order, as accept_unsynced does).
        let mut in_order = self.in_code_order();
        // The keys pinned, as packages taken in pin more.
        let mut pins = super::keys::Pins::of(&self.report.children);
        // Each package's progress is worked out by its reader, against a
        // copy of the plan (recording a package does not change it).
        let plan = self.plan().clone();
        let plan = &plan;
        std::thread::scope(|scope| {
            let queues: Vec<_> = (0..readers)
                .map(|k| {
                    let (tx, rx) = std::sync::mpsc::sync_channel(AHEAD);
                    scope.spawn(move || {
                        for path in paths.iter().skip(k).step_by(readers) {
                            let read = read_for_import(path).map(|(bytes, p)| {
                                let percent = percent_of(plan, &p);
                                ((bytes, p), percent)
                            });
                            if tx.send(read).is_err() {
                                break;
                            }
                        }
                    });
                    rx
                })
                .collect();
            for (i, path) in paths.iter().enumerate() {
                let (read, percent) =
                    match queues[i % readers].recv().expect("a reader for every file") {
                        Ok((read, percent)) => (Ok(read), percent),
                        Err(e) => (Err(e), 0),
                    };
                // What examine() would find, without a scan.
                let mut ex = self.examined(path, read, |code| {
                    let old = if in_order {
                        let at = self.received_range(code).start;
                        self.report.received.get(at).filter(|r| r.code == code)
                    } else {
                        self.report.received.iter().find(|r| r.code == code)
                    };
                    // What was received from a unit whose package is
                    // quarantined cannot be read: any package of it is
                    // taken as its first, and replaces it.
                    let old = old.filter(|_| !self.is_damaged(code));
                    (
                        old,
                        standing.get(code).cloned().unwrap_or(Standing::Unknown),
                        pins.get(code),
                    )
                });
                let taken = take.get(i).copied().unwrap_or(true);
                let archived = match &ex.loaded {
                    Some((_, p)) if ex.taken_in() && taken && dry => {
                        Ok(Some((archive_name(p), Loc { offset: 0, len: 0 })))
                    }
                    Some((bytes, p)) if ex.taken_in() && taken => {
                        self.archive_unsynced(bytes, p).map(Some)
                    }
                    _ => Ok(None),
                };
                match archived {
                    Err(e) => each(&ex, taken, Err(e)),
                    Ok(file) => {
                        each(&ex, taken, Ok(()));
                        if let (Some((file, at)), Some((_, package))) = (file, ex.loaded.take()) {
                            let code = package.unit.code.clone();
                            if !in_order {
                                self.put_in_code_order();
                                in_order = true;
                            }
                            let was = standing.get(&code).cloned().unwrap_or(Standing::Unknown);
                            let signer = package.signer();
                            self.record(file, at, package, percent, &was, delivered_on);
                            self.pin_recorded(&mut pins, &code, signer);
                            if was == Standing::Unknown {
                                let name = self.report.children.last().map(|c| c.name.clone());
                                standing.insert(
                                    code,
                                    Standing::Pending {
                                        name: name.unwrap_or_default(),
                                    },
                                );
                            }
                        }
                    }
                }
            }
        });
        // Once for the batch: the merge is worked out again for it, while
        // the disk already flushes the packages just appended (the report
        // is saved only after `make_archive_durable`, which then finds
        // little left to write).
        if !dry {
            let early = self.archive.flush_handle();
            std::thread::scope(|scope| {
                if let Some(file) = early {
                    scope.spawn(move || {
                        let _ = file.sync_data();
                    });
                }
                self.sync_overrides();
            });
        }
        Ok(())
    }

    /// Appends a package's bytes to the archive file, not yet durably,
    /// and returns the name it is known by (the file name it would have
    /// on its own) and where it is.
    fn archive_unsynced(&mut self, bytes: &[u8], p: &Package) -> Result<(String, Loc)> {
        let file = archive_name(p);
        let at = self.archive.append(&p.checksum, bytes)?;
        Ok((file, at))
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
    /// A unit not on the list is added to it as pending, and the package
    /// of a pending unit is held apart: counted nowhere until accepted.
    /// `complete_percent`: [`percent_of`] the package against the plan.
    fn record(
        &mut self,
        file: String,
        at: Loc,
        package: Package,
        complete_percent: u32,
        standing: &Standing,
        delivered_on: Option<NaiveDate>,
    ) {
        let p = &package;
        let old = self.received_range(&p.unit.code);
        let now = Local::now();
        // A correction sent later does not make a unit that reported on
        // time late: the first revision's day stands.
        let sent = match self.report.received[old.clone()].first() {
            Some(first) => first.sent_day(),
            None => delivered_on.unwrap_or_else(|| {
                chrono::DateTime::parse_from_rfc3339(&p.exported_at)
                    .map_or(now.date_naive(), |t| t.with_timezone(&Local).date_naive())
                    .min(now.date_naive())
            }),
        };
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
                .or(Some(now)),
            sent_on: Some(crate::vnfmt::format_date(sent)),
            delivered_on: delivered_on.map(crate::vnfmt::format_date),
            // Worked out here: what a package claims is not taken on trust.
            complete_percent,
            file,
        };
        self.report.received.splice(old, [received.clone()]);
        self.damaged.retain(|d| d.received.code != p.unit.code);
        self.report.updated_at = Local::now();
        if *standing == Standing::Unknown {
            self.report.children.push(ExpectedChild {
                code: p.unit.code.clone(),
                name: crate::text::nfc(&p.unit.name),
                unit_type: p.unit.unit_type.clone(),
                deadline: None,
                unexpected: true,
                pending: true,
                key: None,
            });
        }
        let units = units_of(&package);
        if !matches!(standing, Standing::Listed { .. }) {
            self.held.retain(|c| c.received.code != p.unit.code);
            self.held.push(Child {
                received,
                package,
                units,
                at: Some(at),
            });
            return;
        }
        self.count_in(Child {
            received,
            package,
            units,
            at: Some(at),
        });
    }

    /// Puts a child among those counted, in order of code, in place of
    /// whatever was counted from the unit before.
    pub(super) fn count_in(&mut self, child: Child) {
        let code = child.received.code.clone();
        let c = &self.children;
        let old = c.partition_point(|x| x.received.code < code)
            ..c.partition_point(|x| x.received.code <= code);
        for gone in self.children[old.clone()]
            .iter()
            .flat_map(|c| c.units.iter())
        {
            self.owners.remove(gone);
        }
        for u in &child.units {
            self.owners.insert(u.clone(), code.clone());
        }
        self.children.splice(old, [child]);
    }

    /// Flushes the packages archived since the last call to disk (one
    /// flush of the archive file, and of its folder when it is new).
    /// Before the report is saved.
    pub fn make_archive_durable(&mut self) -> Result<()> {
        self.archive.sync()
    }

    /// Rewrites the archive file with only the packages the report lists
    /// when the others (revisions replaced, units removed or reset, a
    /// killed import's) take more than a quarter of it, or always with
    /// `force`. Returns whether it did. Call it only once the report is
    /// saved: the packages it lists are kept, the rest go. A crash at any
    /// moment leaves the old file or the new one, both holding every
    /// package the report lists.
    pub fn compact_archive(&mut self, force: bool) -> Result<bool> {
        let live = || self.report.received.iter().map(|r| r.checksum.as_str());
        let (dead, size) = self.archive.dead_bytes(live());
        if dead == 0 || (!force && dead * 4 <= size) {
            return Ok(false);
        }
        let path = self.path.clone();
        let live: Vec<&str> = self
            .report
            .received
            .iter()
            .map(|r| r.checksum.as_str())
            .collect();
        self.archive.compact(&path, live)?;
        for c in self.children.iter_mut().chain(self.held.iter_mut()) {
            if c.at.is_some() {
                c.at = self.archive.find(&c.received.checksum);
            }
        }
        Ok(true)
    }
}

/// The name an archived package is known by (the file name it would
/// have on its own).
fn archive_name(p: &Package) -> String {
    format!(
        "{}-r{}-{}.{}",
        crate::vi::fold::ascii_file_name(&p.unit.code),
        p.revision,
        &p.checksum.trim_start_matches("sha256:")[..12],
        package::EXTENSION
    )
}

/// Every unit embedded in a package, at any depth, into `units`; a unit
/// seen twice is refused.
fn gather_units(
    p: &Package,
    units: &mut BTreeSet<String>,
) -> std::result::Result<(), Box<Verdict>> {
    for c in p.embedded() {
        if !units.insert(c.unit.code.clone()) {
            return Err(Box::new(Verdict::TwiceInside { code: c.unit.code }));
        }
        gather_units(&c, units)?;
    }
    Ok(())
}

/// Checks one package and, depth first, every package embedded in it:
/// its figures are what its embedded units make under the outline's
/// rules (those reported beside the totals are not summed).
fn check_tree(
    outline: &crate::outline::Outline,
    p: &Package,
) -> std::result::Result<(), Box<Verdict>> {
    let mut children = p.embedded();
    for c in &mut children {
        // As the unit that merged them used them: texts in NFC.
        crate::report::normalize(&mut c.answers);
        check_tree(outline, c)?;
    }
    let sources: Vec<merge::Source> = children
        .iter()
        .filter(|c| outline.in_totals(&c.unit.unit_type))
        .map(|c| merge::Source {
            code: &c.unit.code,
            name: &c.unit.name,
            answers: &c.answers,
        })
        .collect();
    merge::check_rollup(outline, &p.answers, &p.overridden(), &sources).map_err(|m| {
        Box::new(Verdict::DoesNotAddUp {
            code: p.unit.code.clone(),
            item: m.item,
            field: m.field,
        })
    })
}

/// The units a package stands for: itself and every unit embedded in it.
pub(super) fn units_of(p: &Package) -> BTreeSet<String> {
    let mut out = BTreeSet::from([p.unit.code.clone()]);
    for c in p.embedded() {
        out.extend(units_of(&c));
    }
    out
}

/// A package read and checked as for import, its texts in NFC (the bytes
/// stay as received: their checksum covers them). Touches nothing but the
/// file: runs on any thread.
/// How complete a package (its answers in NFC) is against `plan`.
/// Worked out here: what a package claims is not taken on trust.
fn percent_of(plan: &crate::outline::Outline, p: &Package) -> u32 {
    crate::report::progress_of(&plan.for_unit_type(&p.unit.unit_type), &p.answers).percent()
}

fn read_for_import(path: &Path) -> std::result::Result<(Vec<u8>, Package), PackageError> {
    let (bytes, mut package) = package::read_package(path)?;
    crate::report::normalize(&mut package.answers);
    Ok((bytes, package))
}

/// Where a unit stands on the list of units expected to report here.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// On the list, counted; `name` as the list has it.
    Listed { name: String },
    /// On the list but not yet accepted: held, not counted.
    Pending { name: String },
    /// Not on the list.
    Unknown,
}

impl Standing {
    fn of(c: &ExpectedChild) -> Standing {
        let name = c.name.clone();
        if c.pending {
            Standing::Pending { name }
        } else {
            Standing::Listed { name }
        }
    }
}

/// What importing a file does, each case with its own message.
#[derive(Debug, Clone, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Verdict {
    New,
    /// From a unit not (yet) accepted as reporting here: kept, counted
    /// nowhere until the user accepts it; `replacing` the revision held
    /// before.
    Held {
        replacing: Option<u32>,
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
    /// The package answers another outline, or another version of ours.
    WrongOutline(OutlineDifference),
    WrongParent {
        parent: String,
    },
    WrongType {
        unit_type: String,
    },
    OwnCode,
    /// The code is on the list under another name (`listed`).
    OtherName {
        listed: String,
    },
    /// A package's figure (`code`'s, itself or embedded at any depth) is
    /// not what the units embedded in it make, and not marked as set by hand.
    DoesNotAddUp {
        code: String,
        item: String,
        field: String,
    },
    /// A unit embedded twice within the package.
    TwiceInside {
        code: String,
    },
    /// A unit of the package is already counted here, in the package of
    /// `under` (itself, or one that embeds it).
    CountedElsewhere {
        code: String,
        under: String,
    },
    /// Signed by another key than the one pinned for its unit.
    KeyChanged {
        pinned: crate::keys::Fingerprint,
        found: crate::keys::Fingerprint,
    },
    Bad(PackageError),
}

impl Verdict {
    /// What it is, for scripts and receipts: "import.older", or the
    /// package's own error ("package.checksum") for a file refused as read.
    pub fn code(&self) -> String {
        use crate::error::Coded;
        match self {
            Verdict::Bad(e) => e.code(),
            v => format!("import.{}", <&str>::from(v)),
        }
    }

    /// Whether taking it in changes the report: accepted, not unchanged.
    pub fn changes(&self) -> bool {
        self.accepted() && !matches!(self, Verdict::Unchanged { .. })
    }

    pub fn accepted(&self) -> bool {
        matches!(
            self,
            Verdict::New | Verdict::Held { .. } | Verdict::Newer { .. } | Verdict::Unchanged { .. }
        )
    }
}

/// What a verdict comes to, in the words of the import screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Outcome {
    /// A unit's first package.
    New,
    /// A later revision, replacing the one here.
    Newer,
    /// Kept apart until the unit is accepted as reporting here.
    Held,
    /// The very package is here already: nothing changes.
    Duplicate,
    /// An earlier revision than the one here: refused.
    Older,
    /// Another package with the same revision: refused.
    Conflict,
    /// Refused for another reason (said in full by the message).
    Refused,
}

impl Outcome {
    /// A few words for the list ("mới", "lần gửi mới hơn"…).
    pub fn label(self, lang: Lang) -> String {
        match self {
            Outcome::New => tl!(lang, "mới", "new"),
            Outcome::Newer => tl!(lang, "lần gửi mới hơn", "newer revision"),
            Outcome::Held => tl!(lang, "chờ xác nhận", "awaiting confirmation"),
            Outcome::Duplicate => tl!(lang, "trùng, đã có", "duplicate, already here"),
            Outcome::Older => tl!(lang, "cũ hơn, từ chối", "older, refused"),
            Outcome::Conflict => tl!(lang, "xung đột, từ chối", "conflict, refused"),
            Outcome::Refused => tl!(lang, "từ chối", "refused"),
        }
    }

    /// Taking it in changes the report.
    pub fn changes(self) -> bool {
        matches!(self, Outcome::New | Outcome::Newer | Outcome::Held)
    }
}

impl Verdict {
    pub fn outcome(&self) -> Outcome {
        match self {
            Verdict::New => Outcome::New,
            Verdict::Newer { .. } => Outcome::Newer,
            Verdict::Held { .. } => Outcome::Held,
            Verdict::Unchanged { .. } => Outcome::Duplicate,
            Verdict::Older { .. } => Outcome::Older,
            Verdict::Conflict => Outcome::Conflict,
            _ => Outcome::Refused,
        }
    }
}

/// The count at the end of an import (or of its preview): "Nhận 18,
/// trùng 2, từ chối 1".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Taken in and counted (new or newer).
    pub taken: usize,
    /// Taken in, held until the unit is accepted.
    pub held: usize,
    pub duplicate: usize,
    /// Refused, for any reason (older and conflicts too).
    pub refused: usize,
    /// Would have changed the report, but left out by the user.
    pub left_out: usize,
    /// Taking it in failed (the disk): nothing recorded.
    pub failed: usize,
}

impl Tally {
    /// Counts one file: its outcome, whether it was chosen, whether
    /// writing it failed.
    pub fn add(&mut self, outcome: Outcome, taken: bool, failed: bool) {
        let n = match outcome {
            _ if failed && taken && outcome.changes() => &mut self.failed,
            o if o.changes() && !taken => &mut self.left_out,
            Outcome::New | Outcome::Newer => &mut self.taken,
            Outcome::Held => &mut self.held,
            Outcome::Duplicate => &mut self.duplicate,
            Outcome::Older | Outcome::Conflict | Outcome::Refused => &mut self.refused,
        };
        *n += 1;
    }

    pub fn files(&self) -> usize {
        self.taken + self.held + self.duplicate + self.refused + self.left_out + self.failed
    }
}

impl Localized for Tally {
    fn localized(&self, lang: Lang) -> String {
        let mut parts = vec![
            tl!(lang, "Nhận {}", "Taken {}", self.taken),
            tl!(lang, "trùng {}", "duplicates {}", self.duplicate),
            tl!(lang, "từ chối {}", "refused {}", self.refused),
        ];
        if self.held > 0 {
            parts.push(tl!(lang, "giữ chờ xác nhận {}", "held {}", self.held));
        }
        if self.left_out > 0 {
            parts.push(tl!(lang, "không chọn {}", "not chosen {}", self.left_out));
        }
        if self.failed > 0 {
            parts.push(tl!(
                lang,
                "không ghi được {}",
                "not written {}",
                self.failed
            ));
        }
        parts.join(", ")
    }
}

crate::localized_display!(Tally);

crate::localized_display!(Examined);

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
        self.verdict.changes()
    }

    /// One line for a person in the current language.
    pub fn message(&self) -> String {
        self.localized(crate::i18n::lang())
    }

    /// The same, said before the import: what it would do ("Will take
    /// the package of…" in English; the Vietnamese reads the same).
    pub fn foreseen(&self) -> String {
        self.said(crate::i18n::lang(), true)
    }
}

impl Localized for Examined {
    /// One line for a person: which unit, what happens, why.
    fn localized(&self, lang: Lang) -> String {
        self.said(lang, false)
    }
}

impl Examined {
    /// `ahead`: said before the import, of what it would do.
    fn said(&self, lang: Lang, ahead: bool) -> String {
        let (took, held) = if ahead {
            ("Will take", "Will hold")
        } else {
            ("Took", "Held")
        };
        let who = self
            .package()
            .map(|p| {
                let draft = if p.status == Status::Draft {
                    tl!(lang, ", dự thảo", ", draft")
                } else {
                    String::new()
                };
                format!(
                    "{} ({}, {} {}{draft})",
                    printable(&p.unit.name, false),
                    printable(&p.unit.code, false),
                    tl!(lang, "lần gửi", "revision"),
                    p.revision
                )
            })
            .unwrap_or_default();
        let rev = self.package().map_or(0, |p| p.revision);
        match &self.verdict {
            Verdict::New => {
                tl!(lang, "Nhận gói của {who}.", "{took} the package of {who}.")
            }
            Verdict::Held { .. } => {
                let code = self
                    .package()
                    .map_or(String::new(), |p| printable(&p.unit.code, false));
                tl!(
                    lang,
                    "Giữ gói của {who} chờ xác nhận: đơn vị này chưa có trong danh sách đơn vị báo cáo về đây, nên chưa được tính vào số liệu nào. Nếu đúng là đơn vị cấp dưới, hãy nhận đơn vị (phím A ở màn hình F7, hoặc lệnh baocao children accept {code}); nếu không, bỏ đi (baocao children remove {code}).",
                    "{held} the package of {who} awaiting confirmation: this unit is not on the list of units reporting here, so it is counted in no figure. If it does report here, accept it (key A on the F7 screen, or baocao children accept {code}); if not, remove it (baocao children remove {code})."
                )
            }
            Verdict::Newer { old } => tl!(
                lang,
                "Nhận gói của {who}, thay cho lần gửi {old}.",
                "{took} the package of {who}, replacing revision {old}."
            ),
            Verdict::Unchanged { .. } => tl!(
                lang,
                "Gói của {who} đã nhận rồi; không thay đổi gì.",
                "The package of {who} was already taken; nothing changed."
            ),
            Verdict::Older { have } => tl!(
                lang,
                "Từ chối gói của {who}: đã có lần gửi {have} mới hơn.",
                "Refused the package of {who}: revision {have}, which is newer, is already here."
            ),
            Verdict::Conflict => tl!(
                lang,
                "Từ chối gói của {who}: đã nhận một gói khác cùng lần gửi {rev} với nội dung khác. Hãy đề nghị đơn vị xuất lại gói mới.",
                "Refused the package of {who}: a different package with the same revision {rev} is already here. Ask the unit to export again."
            ),
            Verdict::WrongOutline(how) => {
                let how = how.localized(lang);
                tl!(
                    lang,
                    "Từ chối gói của {who}: gói theo đề cương khác ({how}).",
                    "Refused the package of {who}: it answers another outline ({how})."
                )
            }
            Verdict::WrongParent { parent } => tl!(
                lang,
                "Từ chối gói của {who}: gói gửi cho đơn vị cấp trên khác ({}).",
                "Refused the package of {who}: it is addressed to another parent unit ({}).",
                printable(parent, false)
            ),
            Verdict::WrongType { unit_type } => tl!(
                lang,
                "Từ chối gói của {who}: loại đơn vị \"{}\" không báo cáo lên đơn vị này.",
                "Refused the package of {who}: unit type \"{}\" does not report to this unit.",
                printable(unit_type, false)
            ),
            Verdict::DoesNotAddUp { code, item, field } => tl!(
                lang,
                "Từ chối gói của {who}: số liệu {item} / {field} của đơn vị {} không bằng tổng của các gói cấp dưới gửi kèm, mà cũng không được ghi là sửa tay. Gói đã bị sửa sau khi tổng hợp; hãy đề nghị đơn vị xuất lại.",
                "Refused the package of {who}: figure {item} / {field} of unit {} is not what the packages embedded in it add up to, and is not marked as set by hand. The package was changed after merging; ask the unit to export again.",
                printable(code, false)
            ),
            Verdict::TwiceInside { code } => tl!(
                lang,
                "Từ chối gói của {who}: đơn vị {} có mặt hai lần trong gói.",
                "Refused the package of {who}: unit {} is in it twice.",
                printable(code, false)
            ),
            Verdict::CountedElsewhere { code, under } => tl!(
                lang,
                "Từ chối gói của {who}: đơn vị {} đã được tính ở đây, trong gói của {}; một đơn vị chỉ được tính một lần.",
                "Refused the package of {who}: unit {} is already counted here, in the package of {}; a unit counts once.",
                printable(code, false),
                printable(under, false)
            ),
            Verdict::KeyChanged { pinned, found } => {
                let code = self
                    .package()
                    .map_or(String::new(), |p| printable(&p.unit.code, false));
                tl!(
                    lang,
                    "Từ chối gói của {who}: gói được ký bằng khóa có dấu vân tay {found}, không phải khóa đã ghi nhận cho đơn vị này ({pinned}). Có thể gói bị giả mạo, hoặc đơn vị đã cài lại máy. Hãy gọi điện cho đơn vị và đọc dấu vân tay cho nhau (đơn vị xem bằng lệnh baocao keys). Nếu đúng là {found}, ghi nhận khóa mới: baocao children rekey {code} --fingerprint {found}, rồi nhận lại gói.",
                    "Refused the package of {who}: it is signed by the key with fingerprint {found}, not the key pinned for this unit ({pinned}). The package may be forged, or the unit set up its computer again. Phone the unit and read the fingerprints to each other (the unit sees its own with baocao keys). If it is {found}, pin the new key: baocao children rekey {code} --fingerprint {found}, then import the package again."
                )
            }
            Verdict::OtherName { listed } => {
                let code = self
                    .package()
                    .map_or(String::new(), |p| printable(&p.unit.code, false));
                tl!(
                    lang,
                    "Từ chối gói của {who}: trong danh sách đơn vị, mã {code} là \"{}\", không phải \"{}\". Hãy hỏi lại đơn vị gửi. Nếu tên trong danh sách sai, sửa bằng: baocao children add {code} \"TÊN ĐÚNG\", rồi nhận lại gói.",
                    "Refused the package of {who}: on the list of units, code {code} is \"{}\", not \"{}\". Check with the sender. If the list has the name wrong, correct it with baocao children add {code} \"RIGHT NAME\", then import again.",
                    printable(listed, false),
                    self.package()
                        .map_or(String::new(), |p| printable(&p.unit.name, false))
                )
            }
            Verdict::OwnCode => tl!(
                lang,
                "Từ chối gói của {who}: đây là gói của chính đơn vị này.",
                "Refused the package of {who}: it is this unit's own package."
            ),
            Verdict::Bad(reason) => {
                let reason = reason.localized(lang);
                // Some reasons are whole sentences, with their full stop
                // (as in Quarantined's message).
                let reason = reason.trim_end_matches('.');
                tl!(
                    lang,
                    "Từ chối {}: {reason}.",
                    "Refused {}: {reason}.",
                    self.path.display()
                )
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outline::Outline;
    use crate::report::Report;
    use crate::unit::Unit;

    fn unit(unit_type: &str, code: &str, name: &str, parent: Option<&str>) -> Unit {
        Unit {
            unit_type: unit_type.into(),
            code: code.into(),
            name: name.into(),
            parent_code: parent.map(Into::into),
            parent_name: parent.map(|_| "Huyện ủy Tân Phú".into()),
        }
    }

    fn workspace(dir: &Path, file: &str, u: Unit) -> Workspace {
        let outline = Outline::embedded().clone();
        let report = Report::new(&outline, u).unwrap();
        let path = dir.join(file);
        crate::store::save(&path, &report).unwrap();
        Workspace::new(&path, outline, report).unwrap()
    }

    /// A commune's packages, revision after revision, into `out`.
    fn revisions(dir: &Path, code: &str, n: usize, out: &Path) -> Vec<PathBuf> {
        let mut ws = workspace(
            dir,
            &format!("{code}.json"),
            unit("xa", code, "Xã Phú Lâm", Some("HU01")),
        );
        std::fs::create_dir_all(out).unwrap();
        (0..n)
            .map(|i| {
                ws.report
                    .set_value("A.I.1", "so_hoi_nghi", serde_json::json!(i + 1));
                ws.export(out).unwrap()
            })
            .collect()
    }

    fn district(dir: &Path) -> Workspace {
        let mut ws = workspace(dir, "huyen.json", unit("huyen", "HU01", "Huyện ủy", None));
        ws.add_child("27112", "Xã Phú Lâm", None, None).unwrap();
        ws
    }

    fn previewed(ws: Workspace, paths: &[PathBuf], take: &[bool]) -> Vec<Outcome> {
        let mut out = Vec::new();
        ws.preview_import(paths, take, |ex, _| out.push(ex.verdict.outcome()))
            .unwrap();
        out
    }

    #[test]
    fn a_later_file_is_judged_against_the_earlier_ones_of_the_batch() {
        let dir = tempfile::tempdir().unwrap();
        let usb = dir.path().join("usb");
        let rs = revisions(dir.path(), "27112", 2, &usb);
        let twice = usb.join("copy.bcpkg");
        std::fs::copy(&rs[0], &twice).unwrap();
        let ws = district(dir.path());
        let paths = [rs[0].clone(), rs[1].clone(), twice.clone()];
        // r1 new, r2 newer, r1 again: older than r2 now.
        assert_eq!(
            previewed(ws, &paths, &[]),
            [Outcome::New, Outcome::Newer, Outcome::Older]
        );
        // The same file twice: the second is a duplicate.
        let ws = district(dir.path());
        assert_eq!(
            previewed(ws, &[rs[0].clone(), twice.clone()], &[]),
            [Outcome::New, Outcome::Duplicate]
        );
        // r1 left out: r2 is the unit's first.
        let ws = district(dir.path());
        assert_eq!(
            previewed(ws, &rs, &[false, true]),
            [Outcome::New, Outcome::New]
        );
    }

    #[test]
    fn the_preview_writes_nothing_and_says_what_the_import_then_does() {
        let dir = tempfile::tempdir().unwrap();
        let usb = dir.path().join("usb");
        let rs = revisions(dir.path(), "27112", 2, &usb);
        let paths = [rs[0].clone(), rs[1].clone(), rs[0].clone()];
        let take = [true, true, true];
        let ws = district(dir.path());
        let archive = crate::store::archive::archive_file(&ws.path);
        let said = previewed(ws, &paths, &take);
        assert!(!archive.exists(), "the preview archived nothing");
        let mut ws = district(dir.path());
        let mut did = Vec::new();
        let mut tally = Tally::default();
        ws.import_chosen_unsynced(&paths, &take, None, |ex, taken, r| {
            did.push(ex.verdict.outcome());
            tally.add(ex.verdict.outcome(), taken, r.is_err());
        })
        .unwrap();
        assert_eq!(said, did);
        assert_eq!(
            tally,
            Tally {
                taken: 2,
                refused: 1,
                ..Tally::default()
            }
        );
        assert_eq!(tally.localized(Lang::Vi), "Nhận 2, trùng 0, từ chối 1");
        assert_eq!(ws.report.received[0].revision, 2);
    }

    #[test]
    fn a_tally_counts_the_left_out_and_the_failed_apart() {
        let mut t = Tally::default();
        t.add(Outcome::New, false, false);
        t.add(Outcome::Duplicate, false, false);
        t.add(Outcome::Newer, true, true);
        t.add(Outcome::Held, true, false);
        assert_eq!(
            t.localized(Lang::En),
            "Taken 0, duplicates 1, refused 0, held 1, not chosen 1, not written 1"
        );
        assert_eq!(t.files(), 4);
    }
}
