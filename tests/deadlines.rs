//! Lateness is counted from the day the first revision was sent (its
//! export, or the delivery day the clerk records), not from the day it was
//! taken in: a unit that sent on time and later sent a correction is not
//! late. A deadline is read as the plan words it: "trước ngày 20/10/2014"
//! makes 20/10 itself late.

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
    // It was sent three days ago, before the deadline.
    let three_days_ago = Local::now() - Duration::days(3);
    district.report.received[0].sent_on =
        Some(baocao::vnfmt::format_date(three_days_ago.date_naive()));
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

// ------------------------------------------------ through the binary

use common::{RunExt, baocao, package_checksum, read_json};
use serde_json::Value;
use std::path::{Path, PathBuf};

fn run(report: &Path, args: &[&str]) -> common::Out {
    baocao()
        .args(["--lang", "vi"])
        .args(args)
        .arg("--data")
        .arg(report)
        .out()
}

fn init(dir: &Path, file: &str, args: &[&str]) -> PathBuf {
    let report = dir.join(file);
    let mut all = vec!["init"];
    all.extend(args);
    run(&report, &all).ok();
    report
}

/// A unit's package, exported, then dated `exported_at` (resealed, as if
/// it had been exported then).
fn package_sent(report: &Path, out: &Path, exported_at: &str) -> PathBuf {
    std::fs::create_dir_all(out).unwrap();
    let o = run(report, &["export", "--out", out.to_str().unwrap()]);
    o.ok();
    let path = PathBuf::from(o.stdout.trim());
    let mut v: Value = read_json(&path);
    v["exported_at"] = json!(exported_at);
    // Signed again by the unit's own key: as if exported on that day.
    v.as_object_mut().unwrap().remove("signature");
    let key = baocao::store::key::read_key(report).unwrap();
    let v = baocao::package::sign(v, &key);
    assert_eq!(v["checksum"], json!(package_checksum(&v)));
    std::fs::write(&path, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
    path
}

fn child(status: &Value, code: &str) -> Value {
    status["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .cloned()
        .unwrap()
}

#[test]
fn lateness_counts_from_the_export_not_from_the_day_of_import() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let xa = |code: &str, name: &str| {
        let args = [
            "--type",
            "xa",
            "--code",
            code,
            "--name",
            name,
            "--parent-code",
            "HU01",
            "--parent-name",
            "Huyện ủy Tân Phú",
        ];
        init(d, &format!("{code}.json"), &args)
    };
    let a = xa("27112", "Xã Phú Lâm");
    let b = xa("27115", "Xã Phú Bình");
    let huyen = init(
        d,
        "huyen.json",
        &[
            "--type",
            "huyen",
            "--code",
            "HU01",
            "--name",
            "Huyện ủy Tân Phú",
            "--parent-code",
            "TU",
            "--parent-name",
            "Tỉnh ủy",
        ],
    );
    for (code, name) in [("27112", "Xã Phú Lâm"), ("27115", "Xã Phú Bình")] {
        run(
            &huyen,
            &["children", "add", code, name, "--deadline", "10/10/2014"],
        )
        .ok();
    }
    // Sent on 07/10, taken in today (years later): on time.
    let pa = package_sent(&a, &d.join("usb"), "2014-10-07T09:00:00+07:00");
    run(&huyen, &["import", pa.to_str().unwrap()]).ok();
    // Sent on 07/10 by USB, but the stick reached the district on 12/10:
    // the clerk records the delivery, 2 days late.
    let pb = package_sent(&b, &d.join("usb"), "2014-10-07T09:00:00+07:00");
    run(
        &huyen,
        &[
            "import",
            "--received-on",
            "12/10/2014",
            pb.to_str().unwrap(),
        ],
    )
    .ok();
    let st = run(&huyen, &["status", "--json"]);
    let st = st.ok().json();
    let ca = child(&st, "27112");
    assert_eq!(
        (ca["state"].as_str(), ca["days_late"].as_i64()),
        (Some("received"), Some(0))
    );
    assert_eq!(ca["sent_on"], "07/10/2014");
    let cb = child(&st, "27115");
    assert_eq!(
        (cb["state"].as_str(), cb["days_late"].as_i64()),
        (Some("late"), Some(2))
    );
    assert_eq!(cb["sent_on"], "12/10/2014");
    run(&huyen, &["children", "list"])
        .ok()
        .stdout_has("gửi 07/10/2014, nhận ")
        .stdout_has("(bản giấy/nộp muộn: 12/10/2014)");

    // A delivery day that is no date, or still to come, is refused.
    let before = std::fs::read(&huyen).unwrap();
    run(
        &huyen,
        &[
            "--json",
            "import",
            "--received-on",
            "31/02/2014",
            pb.to_str().unwrap(),
        ],
    )
    .fails_with("workspace.delivery_date");
    run(
        &huyen,
        &[
            "--json",
            "import",
            "--received-on",
            "01/01/2099",
            pb.to_str().unwrap(),
        ],
    )
    .fails_with("workspace.delivered_in_future");
    assert_eq!(std::fs::read(&huyen).unwrap(), before);
}

#[test]
fn a_deadline_worded_before_the_day_makes_the_day_itself_late() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Kế hoạch 123-KH/TU: districts send "trước ngày 20/10/2014".
    let tinh = init(
        d,
        "tinh.json",
        &["--type", "tinh", "--code", "TU", "--name", "Tỉnh ủy"],
    );
    let mut sent = Vec::new();
    for (code, name, on) in [
        ("HU01", "Huyện ủy Tân Phú", "2014-10-19T16:00:00+07:00"),
        ("HU02", "Huyện ủy Định Quán", "2014-10-20T08:00:00+07:00"),
    ] {
        let args = [
            "--type",
            "huyen",
            "--code",
            code,
            "--name",
            name,
            "--parent-code",
            "TU",
            "--parent-name",
            "Tỉnh ủy",
        ];
        let r = init(d, &format!("{code}.json"), &args);
        run(&tinh, &["children", "add", code, name, "--type", "huyen"]).ok();
        sent.push(package_sent(&r, &d.join("usb"), on));
    }
    run(
        &tinh,
        &[
            "import",
            sent[0].to_str().unwrap(),
            sent[1].to_str().unwrap(),
        ],
    )
    .ok();
    let st = run(&tinh, &["status", "--json"]).ok().json();
    let on_time = child(&st, "HU01");
    assert_eq!(
        (on_time["state"].as_str(), on_time["days_late"].as_i64()),
        (Some("received"), Some(0))
    );
    assert_eq!(on_time["deadline_kind"], "before");
    let late = child(&st, "HU02");
    assert_eq!(
        (late["state"].as_str(), late["days_late"].as_i64()),
        (Some("late"), Some(1))
    );
    run(&tinh, &["children", "list"])
        .ok()
        .stdout_has("trước ngày 20/10/2014");
}
