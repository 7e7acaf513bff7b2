//! Chasing the units that have not sent (theo dõi, đôn đốc): the list of
//! submissions sorted and filtered as the F7 screen shows it, and the
//! units to chase (missing or late) that the chase letter's annex lists.

use super::children::{State, Submission};
use crate::i18n::{Lang, Localized};
use crate::tl;
use std::cmp::Ordering;

/// The order of the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum SortBy {
    /// By name (Vietnamese order), then code.
    #[default]
    Name,
    /// The ones to chase first: missing, damaged, late, awaiting
    /// confirmation, received; the most days late first within each.
    Status,
    /// The most days late (or overdue) first.
    DaysLate,
}

impl SortBy {
    pub const ALL: [SortBy; 3] = [SortBy::Name, SortBy::Status, SortBy::DaysLate];

    /// The next one, round.
    pub fn next(self) -> SortBy {
        let i = SortBy::ALL.iter().position(|s| *s == self).unwrap_or(0);
        SortBy::ALL[(i + 1) % SortBy::ALL.len()]
    }
}

impl Localized for SortBy {
    fn localized(&self, lang: Lang) -> String {
        match self {
            SortBy::Name => tl!(lang, "theo tên", "by name"),
            SortBy::Status => tl!(lang, "theo tình trạng", "by status"),
            SortBy::DaysLate => tl!(lang, "theo số ngày muộn", "by days late"),
        }
    }
}

/// Which units the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum Filter {
    #[default]
    All,
    /// Nothing usable sent: missing, or its package damaged.
    Missing,
    /// Sent after the deadline.
    Late,
    /// Awaiting confirmation as a unit reporting here.
    Pending,
    /// Sent, but its package is not complete.
    Incomplete,
}

impl Filter {
    pub const ALL: [Filter; 5] = [
        Filter::All,
        Filter::Missing,
        Filter::Late,
        Filter::Pending,
        Filter::Incomplete,
    ];

    pub fn next(self) -> Filter {
        let i = Filter::ALL.iter().position(|f| *f == self).unwrap_or(0);
        Filter::ALL[(i + 1) % Filter::ALL.len()]
    }

    pub fn keeps(self, s: &Submission) -> bool {
        match self {
            Filter::All => true,
            Filter::Missing => matches!(s.state, State::Missing | State::Damaged),
            Filter::Late => s.state == State::Late,
            Filter::Pending => s.state == State::Pending,
            Filter::Incomplete => s
                .received
                .as_ref()
                .is_some_and(|r| r.complete_percent < 100 && s.state != State::Damaged),
        }
    }
}

impl Localized for Filter {
    fn localized(&self, lang: Lang) -> String {
        match self {
            Filter::All => tl!(lang, "tất cả", "all"),
            Filter::Missing => tl!(lang, "chưa nộp", "missing"),
            Filter::Late => tl!(lang, "nộp muộn", "late"),
            Filter::Pending => tl!(lang, "chờ xác nhận", "awaiting confirmation"),
            Filter::Incomplete => tl!(lang, "chưa đầy đủ", "incomplete"),
        }
    }
}

crate::localized_display!(SortBy, Filter);

/// Where a state comes when sorting by status: the ones to chase first.
fn rank(s: State) -> u8 {
    match s {
        State::Missing => 0,
        State::Damaged => 1,
        State::Late => 2,
        State::Pending => 3,
        State::Received => 4,
    }
}

fn by_name(a: &Submission, b: &Submission) -> Ordering {
    crate::vi::fold::cmp_vi(&a.name, &b.name).then_with(|| a.code.cmp(&b.code))
}

/// The submissions `filter` keeps, in the order `sort` gives (ties by
/// name, then code: the same list always reads the same).
pub fn arrange(subs: &[Submission], sort: SortBy, filter: Filter) -> Vec<&Submission> {
    let mut out: Vec<&Submission> = subs.iter().filter(|s| filter.keeps(s)).collect();
    out.sort_by(|a, b| match sort {
        SortBy::Name => by_name(a, b),
        SortBy::Status => rank(a.state)
            .cmp(&rank(b.state))
            .then(b.days_late.cmp(&a.days_late))
            .then_with(|| by_name(a, b)),
        SortBy::DaysLate => b
            .days_late
            .cmp(&a.days_late)
            .then(rank(a.state).cmp(&rank(b.state)))
            .then_with(|| by_name(a, b)),
    });
    out
}

/// Whether a unit is to be chased: nothing usable sent, or sent late.
pub fn to_chase(s: &Submission) -> bool {
    matches!(s.state, State::Missing | State::Damaged | State::Late)
}

/// The units to chase, in the order `sort` gives.
pub fn chase_list(subs: &[Submission], sort: SortBy) -> Vec<&Submission> {
    let mut out = arrange(subs, sort, Filter::All);
    out.retain(|s| to_chase(s));
    out
}

/// How complete the packages are, in a few buckets a chart can label at
/// any number of units: (label, units).
pub fn completeness_buckets(subs: &[Submission], lang: Lang) -> Vec<(String, usize)> {
    let mut n = [0usize; 4];
    for s in subs {
        let i = match s.received.as_ref().filter(|_| s.state != State::Damaged) {
            None => 0,
            Some(r) if r.complete_percent < 50 => 1,
            Some(r) if r.complete_percent < 100 => 2,
            Some(_) => 3,
        };
        n[i] += 1;
    }
    let labels = [
        tl!(lang, "chưa có gói", "no package"),
        "<50%".to_string(),
        "50–99%".to_string(),
        "100%".to_string(),
    ];
    labels.into_iter().zip(n).collect()
}

/// What the list says of a unit's lateness, never cut: "muộn 12 ngày",
/// "quá hạn 3 ngày", or nothing.
pub fn lateness(s: &Submission, lang: Lang) -> String {
    match (&s.received, s.days_late) {
        (_, 0) => String::new(),
        (Some(_), d) if s.state != State::Damaged => tl!(lang, "muộn {d} ngày", "{d} days late"),
        (_, d) => tl!(lang, "quá hạn {d} ngày", "{d} days overdue"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outline::DeadlineKind;

    fn sub(
        code: &str,
        name: &str,
        state: State,
        days_late: i64,
        percent: Option<u32>,
    ) -> Submission {
        let received = percent.map(|p| {
            let mut r: crate::report::Received = serde_json::from_value(serde_json::json!({
                "code": code, "name": name, "type": "xa", "revision": 1,
                "status": "draft", "checksum": "sha256:00", "exported_at": "2014-10-01T08:00:00+07:00",
                "received_at": "2014-10-02T08:00:00+07:00", "complete_percent": p, "file": "x"
            }))
            .expect("a received entry");
            r.complete_percent = p;
            r
        });
        Submission {
            code: code.into(),
            name: name.into(),
            unit_type: "xa".into(),
            deadline: None,
            deadline_kind: DeadlineKind::default(),
            state,
            days_late,
            received,
            unexpected: false,
        }
    }

    fn list() -> Vec<Submission> {
        vec![
            sub("03", "Xã Đông", State::Received, 0, Some(100)),
            sub("01", "Xã Bình", State::Late, 12, Some(80)),
            sub("02", "Xã An", State::Missing, 3, None),
            sub("05", "Xã Ân", State::Pending, 0, Some(40)),
            sub("04", "Xã Cư", State::Late, 2, Some(100)),
        ]
    }

    fn codes(v: &[&Submission]) -> Vec<String> {
        v.iter().map(|s| s.code.clone()).collect()
    }

    #[test]
    fn sorts_by_name_status_and_days_late() {
        let l = list();
        // An, Ân, Bình, Cư, Đông: Vietnamese order (Đ after D, Â after A).
        assert_eq!(
            codes(&arrange(&l, SortBy::Name, Filter::All)),
            ["02", "05", "01", "04", "03"]
        );
        assert_eq!(
            codes(&arrange(&l, SortBy::Status, Filter::All)),
            ["02", "01", "04", "05", "03"]
        );
        assert_eq!(
            codes(&arrange(&l, SortBy::DaysLate, Filter::All)),
            ["01", "02", "04", "05", "03"]
        );
    }

    #[test]
    fn filters_keep_what_they_say() {
        let l = list();
        let f = |f| codes(&arrange(&l, SortBy::Name, f));
        assert_eq!(f(Filter::Missing), ["02"]);
        assert_eq!(f(Filter::Late), ["01", "04"]);
        assert_eq!(f(Filter::Pending), ["05"]);
        assert_eq!(f(Filter::Incomplete), ["05", "01"]);
        assert_eq!(f(Filter::All).len(), 5);
        // Round and round.
        assert_eq!(Filter::Incomplete.next(), Filter::All);
        assert_eq!(SortBy::DaysLate.next(), SortBy::Name);
    }

    #[test]
    fn the_chase_list_is_who_is_missing_or_late() {
        let l = list();
        assert_eq!(codes(&chase_list(&l, SortBy::Status)), ["02", "01", "04"]);
    }

    #[test]
    fn buckets_count_every_unit_once() {
        let b = completeness_buckets(&list(), Lang::En);
        let n: Vec<usize> = b.iter().map(|(_, n)| *n).collect();
        assert_eq!(n, [1, 1, 1, 2]);
        assert_eq!(b[0].0, "no package");
    }

    #[test]
    fn lateness_is_said_in_full() {
        let l = list();
        assert_eq!(lateness(&l[1], Lang::Vi), "muộn 12 ngày");
        assert_eq!(lateness(&l[2], Lang::Vi), "quá hạn 3 ngày");
        assert_eq!(lateness(&l[0], Lang::Vi), "");
    }
}
