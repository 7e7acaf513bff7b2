//! Lateness is counted from the first revision received: a unit that sent
//! on time and later sent a correction is not late.

mod common;

use baocao::workspace::State;
use chrono::{Duration, Local};
use serde_json::json;

#[test]
fn a_late_correction_keeps_an_on_time_unit_on_time() {
    let dir = tempfile::tempdir().unwrap();
    let mut commune = common::workspace(
        dir.path(),
        "xa.json",
        common::unit("xa", "27112", "Xã Phú Lâm", Some("HU01")),
    );
    let first = commune.export(dir.path()).unwrap();

    let mut district = common::workspace(
        dir.path(),
        "huyen.json",
        common::unit("huyen", "HU01", "Huyện ủy", None),
    );
    let yesterday = Local::now().date_naive() - Duration::days(1);
    district
        .add_child(
            "27112",
            "Xã Phú Lâm",
            None,
            Some(&baocao::vnfmt::format_date(yesterday)),
        )
        .unwrap();
    let ex = district.examine(&first);
    district.accept(&ex).unwrap();
    // It arrived three days ago, before the deadline.
    let three_days_ago = Local::now() - Duration::days(3);
    district.report.received[0].first_received_at = Some(three_days_ago);
    district.report.received[0].received_at = three_days_ago;
    let today = Local::now().date_naive();
    assert_eq!(district.submissions(today)[0].state, State::Received);

    // Today, after the deadline, a correction arrives.
    commune.report.set_value("A.I.1", "so_hoi_nghi", json!(4));
    let second = commune.export(dir.path()).unwrap();
    let ex = district.examine(&second);
    district.accept(&ex).unwrap();
    let s = &district.submissions(today)[0];
    assert_eq!(s.received.as_ref().unwrap().revision, 2);
    assert_eq!(
        (s.state, s.days_late),
        (State::Received, 0),
        "still on time"
    );

    // A unit whose first package comes today is late by one day.
    district.report.received.clear();
    district.children.clear();
    let ex = district.examine(&second);
    district.accept(&ex).unwrap();
    let s = &district.submissions(today)[0];
    assert_eq!((s.state, s.days_late), (State::Late, 1));
}
