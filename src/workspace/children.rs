//! The units expected to report here: adding them (one by one, or from
//! the CSV list offices keep: `code,name[,type[,deadline]]`, as Excel
//! saves it — `,` or `;`, UTF-8 or Windows-1258), their deadlines, and
//! who has sent, who is late, who is missing.

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
                    key: None,
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

    /// Pins the key read on the phone for a unit on the list, before its
    /// first package. Refused when another key is pinned for it already:
    /// changing a pinned key is `children rekey`, on purpose.
    pub fn pin_listed_key(
        &mut self,
        code: &str,
        fingerprint: crate::keys::Fingerprint,
    ) -> Result<()> {
        let code = crate::unit::code(code).map_err(WorkspaceError::Unit)?;
        if let Some(pinned) = self.pinned_key(&code)
            && pinned.fingerprint != fingerprint
        {
            return Err(WorkspaceError::KeyPinned {
                code,
                pinned: pinned.fingerprint,
                given: fingerprint,
            }
            .into());
        }
        self.pin_child_key(&code, fingerprint, crate::report::PinSource::List)?;
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
            let added = self
                .add_child(
                    &row.code,
                    &row.name,
                    row.unit_type.as_deref(),
                    row.deadline.as_deref(),
                )
                .and_then(|()| match row.fingerprint {
                    Some(f) => self.pin_listed_key(&row.code, f),
                    None => Ok(()),
                });
            if let Err(e) = added {
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
    /// The fingerprint of the unit's key, read with it on the phone:
    /// pinned before its first package arrives.
    pub fingerprint: Option<crate::keys::Fingerprint>,
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
    /// `--encoding utf-8` was given and the bytes are no UTF-8.
    NotUtf8,
    /// The fingerprint column holds no fingerprint.
    Fingerprint {
        problem: crate::keys::FingerprintProblem,
    },
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
            CsvProblem::Fingerprint { problem } => problem.localized(lang),
            CsvProblem::NotUtf8 => tl!(
                lang,
                "tệp không phải bảng mã UTF-8; nếu tệp được lưu từ Excel theo bảng mã Windows-1258, dùng --encoding windows-1258 hoặc bỏ --encoding để chương trình tự nhận ra",
                "the file is not UTF-8; if Excel saved it as Windows-1258, use --encoding windows-1258, or leave --encoding out to have it detected"
            ),
        }
    }
}

crate::coded!(CsvProblem => "children");

/// The character set of a children list file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListEncoding {
    Utf8,
    /// What Excel on Vietnamese Windows saves a plain "CSV" in: tone
    /// marks as combining characters after the letter.
    Windows1258,
}

impl ListEncoding {
    /// The names `children import --encoding` takes.
    pub const NAMES: &'static str = "utf-8, windows-1258";

    /// `utf-8` or `windows-1258` (also `utf8`, `cp1258`, `1258`; any case).
    pub fn from_name(name: &str) -> Result<ListEncoding> {
        match name.trim().to_ascii_lowercase().as_str() {
            "utf-8" | "utf8" => Ok(ListEncoding::Utf8),
            "windows-1258" | "windows1258" | "cp1258" | "1258" => Ok(ListEncoding::Windows1258),
            _ => Err(WorkspaceError::UnknownListEncoding {
                given: name.to_string(),
            }
            .into()),
        }
    }

    /// What the bytes are when nobody said: UTF-8 when they read as it
    /// (plain ASCII included), else Windows-1258.
    pub fn detect(bytes: &[u8]) -> ListEncoding {
        if std::str::from_utf8(bytes).is_ok() {
            ListEncoding::Utf8
        } else {
            ListEncoding::Windows1258
        }
    }
}

/// The text of a children list file in NFC, its UTF-8 BOM dropped, read
/// in `encoding` or else the one detected. Refused only when UTF-8 was
/// chosen and the bytes are not (with the line of the first bad byte):
/// every byte means something in Windows-1258.
pub fn decode_list(
    bytes: &[u8],
    encoding: Option<ListEncoding>,
) -> std::result::Result<String, (usize, CsvProblem)> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = match encoding.unwrap_or_else(|| ListEncoding::detect(bytes)) {
        ListEncoding::Utf8 => match std::str::from_utf8(bytes) {
            Ok(s) => std::borrow::Cow::Borrowed(s),
            Err(e) => {
                let line = 1 + bytes[..e.valid_up_to()]
                    .iter()
                    .filter(|&&b| b == b'\n')
                    .count();
                return Err((line, CsvProblem::NotUtf8));
            }
        },
        ListEncoding::Windows1258 => {
            encoding_rs::WINDOWS_1258
                .decode_without_bom_handling(bytes)
                .0
        }
    };
    Ok(crate::text::nfc(&text))
}

/// The rows of a children list file as saved (see [`decode_list`] and
/// [`parse_csv`]).
pub fn read_list(
    bytes: &[u8],
    encoding: Option<ListEncoding>,
) -> std::result::Result<Vec<ChildRow>, (usize, CsvProblem)> {
    parse_csv(&decode_list(bytes, encoding)?)
}

/// The separator of a children list: the first `,` or `;` outside quotes
/// on its first non-empty line (the code comes first and has neither), so
/// a `;` file keeps names with commas whole; `,` when there is none.
pub fn separator(text: &str) -> u8 {
    let mut quoted = false;
    let mut started = false;
    for b in text.bytes() {
        match b {
            b'"' => {
                quoted = !quoted;
                started = true;
            }
            b',' | b';' if !quoted => return b,
            b'\n' if !quoted && started => break,
            b'\r' | b'\n' => {}
            _ if b.is_ascii_whitespace() => {}
            _ => started = true,
        }
    }
    b','
}

/// Rows of `code,name[,type[,deadline[,fingerprint]]]` (or the same with `;`, as Excel
/// writes it where the decimal mark is a comma: see [`separator`]) with
/// their line numbers; a header row and a UTF-8 BOM (Excel) are skipped.
/// A bad row is refused with its line number.
pub fn parse_csv(text: &str) -> std::result::Result<Vec<ChildRow>, (usize, CsvProblem)> {
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator(text))
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
        let fingerprint = optional(4)
            .map(|f| crate::keys::Fingerprint::parse(&f))
            .transpose()
            .map_err(|problem| (line, CsvProblem::Fingerprint { problem }))?;
        rows.push(ChildRow {
            line,
            code: cells[0].clone(),
            name: cells[1].clone(),
            unit_type: optional(2),
            deadline: optional(3),
            fingerprint,
        });
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_normalization::UnicodeNormalization;

    /// `s` as Windows saves it in code page 1258: a tone mark is its own
    /// character after the letter; the other marks (ă â ê ô ơ ư đ) stay
    /// in it.
    fn windows_1258(s: &str) -> Vec<u8> {
        let tones = ['\u{300}', '\u{301}', '\u{303}', '\u{309}', '\u{323}'];
        let mut split = String::new();
        for c in s.chars() {
            let d: String = c.nfd().collect();
            split.extend(d.chars().filter(|c| !tones.contains(c)).nfc());
            split.extend(d.chars().filter(|c| tones.contains(c)));
        }
        let (bytes, _, unmappable) = encoding_rs::WINDOWS_1258.encode(&split);
        assert!(!unmappable, "{s} has no Windows-1258 form");
        bytes.into_owned()
    }

    fn names(rows: &[ChildRow]) -> Vec<(&str, &str)> {
        rows.iter()
            .map(|r| (r.code.as_str(), r.name.as_str()))
            .collect()
    }

    #[test]
    fn the_windows_1258_helper_writes_what_windows_writes() {
        // "Xã": X a, then the combining tilde (0xDE); "Đ" is 0xD0, "ư" 0xFD.
        assert_eq!(windows_1258("Xã"), b"Xa\xDE");
        assert_eq!(windows_1258("Đức"), b"\xD0\xFD\xECc");
    }

    #[test]
    fn the_separator_is_the_first_comma_or_semicolon_of_the_first_line() {
        assert_eq!(separator("27112,Xã A;B\n"), b',');
        assert_eq!(separator("27112;Xã A, huyện B;xa\n"), b';');
        assert_eq!(separator("\r\n\n  \"ma;x\",ten\n"), b',');
        assert_eq!(separator("\"ma,x\";ten\n"), b';');
        // A quoted name across lines is one line of the list.
        assert_eq!(separator("\"Xã\nA, B\";27112\n"), b';');
        assert_eq!(separator("ma\n27112;Xã A\n"), b',');
        assert_eq!(separator(""), b',');
    }

    #[test]
    fn an_excel_semicolon_file_with_bom_and_crlf_is_read() {
        let bytes = "\u{feff}Mã đơn vị;Tên;Loại;Hạn nộp\r\n27112;Xã Phú Vinh;xa;15/10/2014\r\n\r\n27115;\"Thị trấn Đức Tài; huyện Đức Linh\";;\r\n";
        let rows = read_list(bytes.as_bytes(), None).unwrap();
        assert_eq!(
            names(&rows),
            [
                ("27112", "Xã Phú Vinh"),
                ("27115", "Thị trấn Đức Tài; huyện Đức Linh")
            ]
        );
        assert_eq!(rows[0].unit_type.as_deref(), Some("xa"));
        assert_eq!(rows[0].deadline.as_deref(), Some("15/10/2014"));
        assert_eq!((rows[0].line, rows[1].line), (2, 4));
        assert_eq!(rows[1].unit_type, None);
    }

    #[test]
    fn names_with_commas_stay_whole_in_a_semicolon_file() {
        let text = "27112;Xã Phú Vinh, huyện Tánh Linh;xa\n27115;Thị trấn Đức Tài, Đức Linh\n";
        let rows = parse_csv(text).unwrap();
        assert_eq!(
            names(&rows),
            [
                ("27112", "Xã Phú Vinh, huyện Tánh Linh"),
                ("27115", "Thị trấn Đức Tài, Đức Linh")
            ]
        );
        assert_eq!(rows[0].unit_type.as_deref(), Some("xa"));
        // The same rows with commas read as before.
        let rows = parse_csv("27112,\"Xã Phú Vinh, huyện Tánh Linh\",xa\n").unwrap();
        assert_eq!(rows[0].name, "Xã Phú Vinh, huyện Tánh Linh");
        assert_eq!(rows[0].unit_type.as_deref(), Some("xa"));
    }

    #[test]
    fn windows_1258_is_detected_and_read_into_nfc() {
        let text = "ma;ten\r\n27112;Xã Phú Vinh\r\n27115;Thị trấn Đức Tài\r\n";
        let bytes = windows_1258(text);
        assert!(std::str::from_utf8(&bytes).is_err());
        assert_eq!(ListEncoding::detect(&bytes), ListEncoding::Windows1258);
        for chosen in [None, Some(ListEncoding::Windows1258)] {
            let rows = read_list(&bytes, chosen).unwrap();
            assert_eq!(
                names(&rows),
                [("27112", "Xã Phú Vinh"), ("27115", "Thị trấn Đức Tài")]
            );
            // Composed as the rest of the program stores text.
            assert_eq!(rows[1].name, "Thị trấn Đức Tài".nfc().collect::<String>());
            assert!(rows.iter().all(|r| crate::text::nfc(&r.name) == r.name));
        }
    }

    #[test]
    fn the_encoding_can_be_chosen() {
        assert_eq!(ListEncoding::detect(b"27112,Xa A\n"), ListEncoding::Utf8);
        let utf8 = "27112,Thị trấn Đức Tài\n";
        assert_eq!(
            read_list(utf8.as_bytes(), Some(ListEncoding::Utf8)).unwrap()[0].name,
            "Thị trấn Đức Tài"
        );
        // UTF-8 read as Windows-1258, when told so, is what it is told.
        let forced = read_list(utf8.as_bytes(), Some(ListEncoding::Windows1258)).unwrap();
        assert_ne!(forced[0].name, "Thị trấn Đức Tài");
        // Windows-1258 bytes are no UTF-8: refused at the line of the
        // first bad byte, not garbled.
        let bytes = windows_1258("27112,Xa A\n27115,Thị trấn Đức Tài\n");
        let (line, problem) = read_list(&bytes, Some(ListEncoding::Utf8)).unwrap_err();
        assert_eq!((line, &problem), (2, &CsvProblem::NotUtf8));
        assert_eq!(crate::error::Coded::code(&problem), "children.not_utf8");
        for (name, enc) in [
            ("utf-8", ListEncoding::Utf8),
            ("UTF8", ListEncoding::Utf8),
            ("windows-1258", ListEncoding::Windows1258),
            ("CP1258", ListEncoding::Windows1258),
        ] {
            assert_eq!(ListEncoding::from_name(name).unwrap(), enc, "{name}");
        }
        for unknown in ["latin1", "tcvn3", "", "utf-16"] {
            let e = ListEncoding::from_name(unknown).unwrap_err();
            assert_eq!(e.code(), "workspace.unknown_list_encoding", "{unknown}");
            assert!(matches!(
                e.downcast_ref::<WorkspaceError>(),
                Some(WorkspaceError::UnknownListEncoding { given }) if given == unknown
            ));
        }
    }

    #[test]
    fn a_bom_is_dropped_in_either_encoding() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(windows_1258("27112;Xã Phú Vinh\n"));
        // The BOM's bytes alone are UTF-8; the rest is not: Windows-1258,
        // without the BOM read as "ï»¿".
        let rows = read_list(&bytes, None).unwrap();
        assert_eq!(names(&rows), [("27112", "Xã Phú Vinh")]);
        let rows = read_list("\u{feff}27112,Xã A\n".as_bytes(), None).unwrap();
        assert_eq!(names(&rows), [("27112", "Xã A")]);
    }
}
