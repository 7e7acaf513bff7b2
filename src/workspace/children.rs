//! The units expected to report here: adding them (one by one, or from
//! the CSV list offices keep: `code,name[,type[,deadline]]`), their
//! deadlines, and who has sent, who is late, who is missing.

use super::{Workspace, WorkspaceError};
use crate::error::{Error, Result};
use crate::i18n::{Lang, Localized};
use crate::outline::DeadlineKind;
use crate::report::{ExpectedChild, Received};
use crate::t;
use crate::tl;
use chrono::NaiveDate;

impl Workspace {
    /// How the plan words the deadline of the child's unit type ("trước
    /// ngày": the day itself is late); a deadline the parent set is read
    /// the same way.
    pub fn deadline_kind_of(&self, child: &ExpectedChild) -> DeadlineKind {
        self.outline
            .unit_type(&child.unit_type)
            .map_or(DeadlineKind::By, |u| u.deadline_kind)
    }

    /// The child's deadline as written: the parent's, else the plan's.
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
                // A package that cannot be read is no package sent.
                let damaged = self.is_damaged(&c.code);
                let received = self
                    .report
                    .received
                    .iter()
                    .find(|r| r.code == c.code)
                    .filter(|_| !damaged)
                    .cloned();
                let deadline = self.deadline_of(c);
                let kind = self.deadline_kind_of(c);
                // Late counts from the day it was sent (or delivered), not
                // the day the clerk took it in.
                let day = received.as_ref().map_or(today, Received::sent_day);
                let days_late = deadline.map_or(0, |d| (day - kind.last_day(d)).num_days().max(0));
                let state = match (&received, days_late) {
                    _ if damaged => State::Damaged,
                    _ if c.pending => State::Pending,
                    (Some(_), 0) => State::Received,
                    (Some(_), _) => State::Late,
                    (None, _) => State::Missing,
                };
                Submission {
                    code: c.code.clone(),
                    name: c.name.clone(),
                    unit_type: c.unit_type.clone(),
                    deadline,
                    deadline_kind: kind,
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
        self.ensure_draft()?;
        let code = crate::unit::code(code).map_err(WorkspaceError::Unit)?;
        let code = code.as_str();
        let name = crate::unit::name(name).map_err(WorkspaceError::Unit)?;
        if code == self.report.unit.code {
            return Err(WorkspaceError::OwnCode {
                code: code.to_string(),
            }
            .into());
        }
        let types = self.outline.child_types(&self.report.unit.unit_type);
        let unit_type = match unit_type {
            Some(t) => {
                if !types.iter().any(|u| u.id == t) {
                    return Err(WorkspaceError::NotAChildType {
                        given: t.to_string(),
                        parent_type: self.report.unit.unit_type.clone(),
                        types: list_ids(&types),
                    }
                    .into());
                }
                t.to_string()
            }
            None if types.len() == 1 => types[0].id.clone(),
            None if types.is_empty() => {
                return Err(WorkspaceError::NoChildTypes {
                    parent_type: self.report.unit.unit_type.clone(),
                }
                .into());
            }
            None => {
                return Err(WorkspaceError::TypeNeeded {
                    types: list_ids(&types),
                }
                .into());
            }
        };
        let deadline = deadline
            .map(|d| crate::vnfmt::parse_date(d).map(crate::vnfmt::format_date))
            .transpose()
            .map_err(WorkspaceError::Deadline)?;
        let pending = match self.report.children.iter_mut().find(|c| c.code == code) {
            Some(c) => {
                c.name = name;
                c.unit_type = unit_type;
                c.deadline = deadline.or(c.deadline.take());
                c.pending
            }
            None => {
                self.report.children.push(ExpectedChild {
                    code: code.to_string(),
                    name,
                    unit_type,
                    deadline,
                    unexpected: false,
                    pending: false,
                });
                false
            }
        };
        // Listing a pending unit is accepting it.
        if pending {
            self.accept_child(code)?;
        }
        Ok(())
    }

    /// Accepts a pending unit as one that reports here: its package held
    /// so far is counted from now on. Refused when one of the units its
    /// package stands for is counted already in another package.
    pub fn accept_child(&mut self, code: &str) -> Result<Accepted> {
        self.ensure_draft()?;
        let Some(at) = self.report.children.iter().position(|c| c.code == code) else {
            return Err(WorkspaceError::NotAChild {
                code: code.to_string(),
            }
            .into());
        };
        if !self.report.children[at].pending {
            return Ok(Accepted {
                had_package: false,
                already: true,
            });
        }
        let held = self.held.iter().position(|c| c.received.code == code);
        if let Some(h) = held {
            for u in &self.held[h].units {
                if let Some(owner) = self.owners.get(u)
                    && owner != code
                {
                    return Err(WorkspaceError::CountedElsewhere {
                        code: u.clone(),
                        under: owner.clone(),
                    }
                    .into());
                }
            }
            let child = self.held.remove(h);
            self.count_in(child);
        }
        self.report.children[at].pending = false;
        self.report.updated_at = chrono::Local::now();
        self.sync_overrides();
        Ok(Accepted {
            had_package: held.is_some(),
            already: false,
        })
    }

    /// Takes a unit off the list with whatever was received from it (the
    /// archived files stay in the archive folder). Returns how many
    /// received revisions were forgotten.
    pub fn remove_child(&mut self, code: &str) -> Result<Forgotten> {
        self.ensure_draft()?;
        let Some(at) = self.report.children.iter().position(|c| c.code == code) else {
            return Err(WorkspaceError::NotAChild {
                code: code.to_string(),
            }
            .into());
        };
        let forgotten = self.forget_received(code);
        self.report.children.remove(at);
        self.report.updated_at = chrono::Local::now();
        self.sync_overrides();
        Ok(forgotten)
    }

    /// Forgets what was received from a unit (it stays on the list): the
    /// next package it sends is taken as its first, whatever its revision,
    /// so a forged revision cannot lock the real unit out.
    pub fn reset_child(&mut self, code: &str) -> Result<Forgotten> {
        self.ensure_draft()?;
        if !self.report.children.iter().any(|c| c.code == code) {
            return Err(WorkspaceError::NotAChild {
                code: code.to_string(),
            }
            .into());
        }
        let forgotten = self.forget_received(code);
        self.report.updated_at = chrono::Local::now();
        self.sync_overrides();
        Ok(forgotten)
    }

    fn forget_received(&mut self, code: &str) -> Forgotten {
        let revisions: Vec<u32> = self
            .report
            .received
            .iter()
            .filter(|r| r.code == code)
            .map(|r| r.revision)
            .collect();
        self.report.received.retain(|r| r.code != code);
        self.held.retain(|c| c.received.code != code);
        self.damaged.retain(|d| d.received.code != code);
        if let Some(at) = self.children.iter().position(|c| c.received.code == code) {
            let gone = self.children.remove(at);
            for u in &gone.units {
                self.owners.remove(u);
            }
        }
        Forgotten { revisions }
    }

    /// Adds every row of a children list, all or nothing: the first row
    /// that cannot be added is refused with its line, and nothing is kept.
    pub fn add_children(&mut self, rows: &[ChildRow]) -> std::result::Result<(), (usize, Error)> {
        self.ensure_draft().map_err(|e| (0, e))?;
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
    /// Not accepted yet as a unit that reports here: counted nowhere.
    Pending,
    /// Its package, received earlier, can no longer be read: counted
    /// nowhere until the unit's package is imported again.
    Damaged,
}

/// What [`Workspace::accept_child`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accepted {
    /// A package held so far is counted now.
    pub had_package: bool,
    /// The unit was accepted before: nothing changed.
    pub already: bool,
}

/// What [`Workspace::remove_child`] and [`Workspace::reset_child`] forgot:
/// the revisions received from the unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Forgotten {
    pub revisions: Vec<u32>,
}

impl State {
    pub fn as_str(self) -> &'static str {
        match self {
            State::Received => "received",
            State::Late => "late",
            State::Missing => "missing",
            State::Pending => "pending",
            State::Damaged => "damaged",
        }
    }
    pub fn label(self) -> String {
        match self {
            State::Received => t!("đã nhận", "received"),
            State::Late => t!("nộp muộn", "late"),
            State::Missing => t!("chưa nộp", "missing"),
            State::Pending => t!("chờ xác nhận", "awaiting confirmation"),
            State::Damaged => t!("gói hỏng", "damaged"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Submission {
    pub code: String,
    pub name: String,
    pub unit_type: String,
    pub deadline: Option<NaiveDate>,
    pub deadline_kind: DeadlineKind,
    pub state: State,
    pub days_late: i64,
    pub received: Option<Received>,
    pub unexpected: bool,
}

/// One unit of the list, with the line it was on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChildRow {
    pub line: usize,
    pub code: String,
    pub name: String,
    pub unit_type: Option<String>,
    pub deadline: Option<String>,
}

/// Why a row of a children list cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum CsvProblem {
    /// What the CSV reader said.
    Unreadable {
        detail: String,
    },
    CodeAndNameNeeded,
}

impl Localized for CsvProblem {
    fn localized(&self, lang: Lang) -> String {
        match self {
            CsvProblem::Unreadable { detail } => detail.clone(),
            CsvProblem::CodeAndNameNeeded => tl!(
                lang,
                "cần ít nhất mã và tên",
                "a code and a name are needed"
            ),
        }
    }
}

crate::coded!(CsvProblem => "children");

/// Rows of `code,name[,type[,deadline]]` with their line numbers; a header
/// row and a UTF-8 BOM (Excel) are skipped. A bad row is refused with its
/// line number.
pub fn parse_csv(text: &str) -> std::result::Result<Vec<ChildRow>, (usize, CsvProblem)> {
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // The line in the file as an editor shows it: blank lines and line
    // breaks inside quoted names count (the reader's own position points
    // at the blank lines it skipped before a record).
    let line_at = |byte: u64| {
        let bytes = text.as_bytes();
        let start = (byte as usize).min(bytes.len());
        let start = start
            + bytes[start..]
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .count();
        1 + bytes[..start].iter().filter(|&&b| b == b'\n').count()
    };
    for (i, rec) in reader.records().enumerate() {
        let position = match &rec {
            Ok(r) => r.position(),
            Err(e) => e.position(),
        };
        let line = position.map_or(i + 1, |p| line_at(p.byte()));
        let rec = rec.map_err(|e| {
            (
                line,
                CsvProblem::Unreadable {
                    detail: e.to_string(),
                },
            )
        })?;
        let cells: Vec<String> = rec.iter().map(crate::text::nfc).collect();
        if cells.iter().all(|c| c.is_empty()) {
            continue;
        }
        let first = crate::vi::fold::ascii_file_name(&cells[0]).to_lowercase();
        if i == 0 && (first == "code" || first == "ma" || first == "ma-don-vi") {
            continue;
        }
        if cells.len() < 2 {
            return Err((line, CsvProblem::CodeAndNameNeeded));
        }
        let optional = |i: usize| cells.get(i).filter(|s| !s.is_empty()).cloned();
        rows.push(ChildRow {
            line,
            code: cells[0].clone(),
            name: cells[1].clone(),
            unit_type: optional(2),
            deadline: optional(3),
        });
    }
    Ok(rows)
}
