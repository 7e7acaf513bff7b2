//! Figures a province can sign: every merged number is exact or visibly
//! flagged. Each test is one way the roll-up used to go wrong (a value
//! dropped without a word, a rate over mixed units, a sum in floating
//! point, a hand-set figure gone stale, a double count, a forged total);
//! the last ones are properties over random children.

mod common;

use baocao::merge::{self, LeftOut, Source};
use baocao::outline::{Aggregate, Kind, Outline};
use baocao::package;
use baocao::report::{Answers, Unit};
use baocao::store;
use baocao::validate::{self, FieldState, Invalid};
use baocao::workspace::{Verdict, Workspace};
use common::*;
use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

const ITEM: &str = "A.I.1";

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

fn xa(code: &str, parent: Option<&str>) -> Unit {
    Unit {
        unit_type: "xa".into(),
        code: code.into(),
        name: format!("Xã {code}"),
        parent_code: parent.map(Into::into),
        parent_name: parent.map(|_| "Huyện ủy".into()),
    }
}

fn huyen(code: &str) -> Unit {
    Unit {
        unit_type: "huyen".into(),
        code: code.into(),
        name: format!("Huyện ủy {code}"),
        parent_code: Some("TINH".into()),
        parent_name: Some("Tỉnh ủy".into()),
    }
}

fn tinh() -> Unit {
    Unit {
        unit_type: "tinh".into(),
        code: "TINH".into(),
        name: "Tỉnh ủy".into(),
        parent_code: None,
        parent_name: None,
    }
}

/// A unit's workspace on `outline`, saved in `dir`.
fn unit_on(dir: &Path, outline: &Outline, unit: Unit) -> Workspace {
    let report = baocao::report::Report::new(outline, unit).unwrap();
    let path = dir.join(format!("{}.json", report.unit.code));
    store::save(&path, &report).unwrap();
    Workspace::new(&path, outline.clone(), report).unwrap()
}

fn unit(dir: &Path, unit: Unit) -> Workspace {
    unit_on(dir, Outline::embedded(), unit)
}

/// Sets answers as they would stand in the report file, valid or not (an
/// invalid entry is what a person typed, or what an older program kept).
fn set(ws: &mut Workspace, answers: Value) {
    for (item, fields) in answers.as_object().unwrap() {
        for (field, v) in fields.as_object().unwrap() {
            ws.report.set_value(item, field, v.clone());
        }
    }
    store::save(&ws.path, &ws.report).unwrap();
}

/// Exports into `dir` and saves the revision; the package file.
fn export(ws: &mut Workspace, dir: &Path) -> PathBuf {
    std::fs::create_dir_all(dir).unwrap();
    let p = ws.export(dir).unwrap();
    store::save(&ws.path, &ws.report).unwrap();
    p
}

/// Imports each file in turn; the verdicts.
fn import(ws: &mut Workspace, files: &[PathBuf]) -> Vec<Verdict> {
    list_senders(ws, files);
    let v = files
        .iter()
        .map(|f| {
            let ex = ws.examine(f);
            ws.accept(&ex).unwrap();
            ex.verdict
        })
        .collect();
    store::save(&ws.path, &ws.report).unwrap();
    v
}

fn number(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Number(n) => Some(validate::stored_number(n)?.normalize().to_string()),
        _ => None,
    }
}

fn figure(ws: &Workspace, item: &str, field: &str) -> Option<String> {
    number(ws.effective().get(item).and_then(|m| m.get(field)))
}

fn cli(ws: &Workspace, args: &[&str]) -> Out {
    vi().args(args).arg("--data").arg(&ws.path).out()
}

/// A district with the given communes' answers imported; the communes'
/// packages too.
fn district_with(dir: &Path, answers: &[Value]) -> (Workspace, Vec<PathBuf>) {
    let usb = dir.join("usb");
    let mut files = Vec::new();
    for (i, a) in answers.iter().enumerate() {
        let mut c = unit(dir, xa(&format!("2711{i}"), Some("HU01")));
        set(&mut c, a.clone());
        files.push(export(&mut c, &usb));
    }
    let mut d = unit(dir, huyen("HU01"));
    let verdicts = import(&mut d, &files);
    assert!(verdicts.iter().all(Verdict::accepted), "{verdicts:?}");
    (d, files)
}

// ------------------------------------------------ nothing dropped silently

#[test]
fn invalid_child_values_are_left_out_and_said_and_a_vietnamese_number_counts() {
    let tmp = temp_dir();
    let (d, _) = district_with(
        tmp.path(),
        &[
            json!({ITEM: {"so_hoi_nghi": 5}}),
            json!({ITEM: {"so_hoi_nghi": "NaN"}}),
            json!({ITEM: {"so_hoi_nghi": -500}}),
            json!({ITEM: {"so_hoi_nghi": 2.5}}),
            json!({ITEM: {"so_hoi_nghi": "1.234"}}),
        ],
    );
    // 5 + 1.234 (a valid Vietnamese number kept as a string counts as the
    // number it reads as); the three invalid values are not in the sum...
    assert_eq!(figure(&d, ITEM, "so_hoi_nghi").as_deref(), Some("1239"));
    let merged = d.aggregate();
    let c = merged.coverage(ITEM, "so_hoi_nghi").unwrap();
    assert_eq!(c.of, 5);
    assert_eq!(c.counted, ["27110", "27114"]);
    // ... and every one is said, with why.
    let left: Vec<(&str, &LeftOut)> = c.left_out.iter().map(|(c, w)| (c.as_str(), w)).collect();
    assert!(
        matches!(left[0], ("27111", LeftOut::Invalid(Invalid::Number(_)))),
        "{left:?}"
    );
    assert!(
        matches!(left[1], ("27112", LeftOut::Invalid(Invalid::Negative))),
        "{left:?}"
    );
    assert!(
        matches!(left[2], ("27113", LeftOut::Invalid(Invalid::WholeOnly))),
        "{left:?}"
    );

    // The same through status --json: the figure is short, and each child
    // with a refused value lists it.
    let st = cli(&d, &["status", "--json"]);
    let st = st.ok().json();
    let f = st["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["item"] == ITEM && f["field"] == "so_hoi_nghi")
        .unwrap()
        .clone();
    assert_eq!(f["value"], json!(1239));
    assert_eq!(
        (f["counted"].as_u64(), f["of"].as_u64()),
        (Some(2), Some(5))
    );
    assert_eq!(f["complete"], false);
    assert_eq!(f["left_out"].as_array().unwrap().len(), 3);
    for code in ["27111", "27112", "27113"] {
        let child = st["children"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == code)
            .unwrap();
        assert_eq!(child["invalid"][0]["field"], "so_hoi_nghi", "{child:#}");
    }
    // And in words, for the clerk.
    cli(&d, &["status"])
        .ok()
        .stdout_has("Số liệu chưa đủ")
        .stdout_has("A.I.1 / so_hoi_nghi: 2/5 đơn vị");
    // The CSV says how many units the district's figure covers.
    cli(&d, &["render", "--format", "csv", "--out", "-"])
        .ok()
        .stdout_has("HU01,Huyện ủy HU01,A.I.1,so_hoi_nghi,1239,2/5,\r\n");
    // The document says it where the figure stands and, in the appendix,
    // whom it lacks.
    let md = cli(&d, &["render", "--format", "md", "--out", "-"]);
    md.ok()
        .stdout_has("1.239 (tính trên 2/5 đơn vị có đủ số liệu)")
        .stdout_has("Xã 27111 (số liệu không hợp lệ)");
}

#[test]
fn a_package_claiming_100_percent_shows_what_it_holds() {
    let tmp = temp_dir();
    let mut c = unit(tmp.path(), xa("27112", Some("HU01")));
    let file = export(&mut c, &tmp.path().join("usb"));
    let mut v = read_json(&file);
    v["complete_percent"] = json!(100);
    let v = reseal(v);
    std::fs::write(&file, serde_json::to_vec(&v).unwrap()).unwrap();
    let mut d = unit(tmp.path(), huyen("HU01"));
    import(&mut d, &[file]);
    let r = &d.report.received[0];
    assert_eq!(r.complete_percent, c.progress().percent());
    assert!(r.complete_percent < 10, "{}", r.complete_percent);
}

#[test]
fn a_rate_covers_only_the_units_that_gave_both_parts() {
    let tmp = temp_dir();
    let (d, _) = district_with(
        tmp.path(),
        &[
            json!({ITEM: {"dang_vien_tham_gia": 600, "dang_vien_tong_so": 700}}),
            json!({ITEM: {"dang_vien_tham_gia": 1224, "dang_vien_tong_so": 1700}}),
            // Only the whole: 1.824/2.701 = 67,5 % would mix units.
            json!({ITEM: {"dang_vien_tong_so": 301}}),
            // A part larger than its whole: neither counted in the rate
            // nor added to the district's part.
            json!({ITEM: {"dang_vien_tham_gia": 50, "dang_vien_tong_so": 40}}),
        ],
    );
    let rate = d
        .effective()
        .get(ITEM)
        .and_then(|m| m.get("dang_vien_ty_le"))
        .cloned();
    // 1.824 / 2.400 = 76 %.
    assert_eq!(number(rate.as_ref()).as_deref(), Some("76"));
    assert_eq!(
        figure(&d, ITEM, "dang_vien_tham_gia").as_deref(),
        Some("1824")
    );
    assert_eq!(
        figure(&d, ITEM, "dang_vien_tong_so").as_deref(),
        Some("2741")
    );
    let merged = d.aggregate();
    let c = merged.coverage(ITEM, "dang_vien_ty_le").unwrap();
    assert_eq!(c.counted.len(), 2);
    assert!(
        c.left_out.contains(&("27112".into(), LeftOut::WholeOnly)),
        "{c:?}"
    );
    assert!(
        c.left_out.iter().any(|(code, w)| code == "27113"
            && matches!(w, LeftOut::Invalid(Invalid::PartOverWhole { .. }))),
        "{c:?}"
    );
    // The form shows the merged rate, not one from the summed parts.
    let states = d
        .outline
        .item(ITEM)
        .map(|i| validate::item_states(i, d.effective().get(ITEM)))
        .unwrap();
    let shown = states.iter().find(|(f, _)| f == "dang_vien_ty_le").unwrap();
    assert_eq!(shown.1, FieldState::Computed(Some(Decimal::from(76))));
}

#[test]
fn absurd_amounts_are_left_out_and_the_genuine_ones_still_add_up() {
    let tmp = temp_dir();
    let max = json!(f64::MAX);
    let (d, files) = district_with(
        tmp.path(),
        &[
            json!({"A.II.5": {"kinh_phi": max}}),
            json!({"A.II.5": {"kinh_phi": max}}),
            json!({"A.II.5": {"kinh_phi": 15_000_000}}),
        ],
    );
    assert_eq!(
        figure(&d, "A.II.5", "kinh_phi").as_deref(),
        Some("15000000")
    );
    // The district's package carries the genuine figure, never null.
    let mut d = d;
    let p = read_json(&export(&mut d, &tmp.path().join("up")));
    assert_eq!(p["answers"]["A.II.5"]["kinh_phi"], json!(15_000_000));
    assert_eq!(files.len(), 3);
}

#[test]
fn counts_add_up_exactly() {
    let tmp = temp_dir();
    // 2^52 + 1 and 2^52: 2^53 + 1, which a float holds as 2^53.
    let (d, _) = district_with(
        tmp.path(),
        &[
            json!({ITEM: {"so_hoi_nghi": 4_503_599_627_370_497_u64}}),
            json!({ITEM: {"so_hoi_nghi": 4_503_599_627_370_496_u64}}),
        ],
    );
    assert_eq!(
        figure(&d, ITEM, "so_hoi_nghi").as_deref(),
        Some("9007199254740993")
    );
}

/// The 2014 outline with a decimal figure that rolls up.
fn outline_with_a_decimal() -> Outline {
    let mut v: Value = serde_json::from_str(baocao::outline::DEFAULT_OUTLINE_JSON).unwrap();
    let items = v["items"].as_array_mut().unwrap();
    let a = items.iter_mut().find(|i| i["id"] == "A").unwrap();
    let ii = a["items"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|i| i["id"] == "A.II")
        .unwrap();
    let five = ii["items"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|i| i["id"] == "A.II.5")
        .unwrap();
    five["fields"].as_array_mut().unwrap().push(json!({
        "id": "diem", "label": "Điểm bình quân", "kind": "decimal", "aggregate": "sum"
    }));
    v["id"] = json!("thu-thap-phan");
    Outline::from_json(&v.to_string()).unwrap()
}

#[test]
fn decimal_sums_are_exact_and_reread_byte_for_byte() {
    let tmp = temp_dir();
    let outline = outline_with_a_decimal();
    let usb = tmp.path().join("usb");
    let mut files = Vec::new();
    for (code, diem) in [("27110", "0,01"), ("27111", "0,09")] {
        let mut c = unit_on(tmp.path(), &outline, xa(code, Some("HU01")));
        let typed = validate::from_input(Kind::Decimal, diem);
        set(&mut c, json!({"A.II.5": {"diem": typed}}));
        files.push(export(&mut c, &usb));
    }
    let mut d = unit_on(tmp.path(), &outline, huyen("HU01"));
    assert!(import(&mut d, &files).iter().all(Verdict::accepted));
    assert_eq!(figure(&d, "A.II.5", "diem").as_deref(), Some("0.1"));
    // The district's package verifies: the checksum covers the exact text.
    let up = export(&mut d, &tmp.path().join("up"));
    let (_, value, p) = package::read(&up).unwrap();
    assert_eq!(value["answers"]["A.II.5"]["diem"].to_string(), "0.1");
    assert_eq!(p.checksum, package::checksum_of(&value));
    let mut t = unit_on(tmp.path(), &outline, tinh());
    assert_eq!(import(&mut t, &[up]), [Verdict::New]);
    assert_eq!(figure(&t, "A.II.5", "diem").as_deref(), Some("0.1"));
}

// -------------------------------------------------- figures set by hand

#[test]
fn a_figure_set_by_hand_is_marked_upward_and_flagged_when_it_goes_stale() {
    let tmp = temp_dir();
    let usb = tmp.path().join("usb");
    let mut a = unit(tmp.path(), xa("27110", Some("HU01")));
    set(&mut a, json!({ITEM: {"so_hoi_nghi": 50}}));
    let mut b = unit(tmp.path(), xa("27111", Some("HU01")));
    set(&mut b, json!({ITEM: {"so_hoi_nghi": 43}}));
    let files = vec![export(&mut a, &usb), export(&mut b, &usb)];
    let mut d = unit(tmp.path(), huyen("HU01"));
    import(&mut d, &files);
    assert_eq!(figure(&d, ITEM, "so_hoi_nghi").as_deref(), Some("93"));

    cli(
        &d,
        &[
            "override",
            "set",
            ITEM,
            "so_hoi_nghi",
            "105",
            "--reason",
            "Có 12 hội nghị liên xã",
        ],
    )
    .ok()
    .stdout_has("Đã ghi tay A.I.1 / so_hoi_nghi");
    let st = cli(&d, &["status", "--json"]).ok().json();
    let o = &st["overrides"][0];
    assert_eq!(
        (
            o["value"].clone(),
            o["computed"].clone(),
            o["stale"].clone()
        ),
        (json!(105), json!(93), json!(false))
    );
    assert_eq!(o["reason"], "Có 12 hội nghị liên xã");

    // The package sent upward says so, with the merged figure then.
    let mut d = reopen(&d);
    let up = read_json(&export(&mut d, &tmp.path().join("up")));
    assert_eq!(up["answers"][ITEM]["so_hoi_nghi"], json!(105));
    assert_eq!(up["overrides"][ITEM]["so_hoi_nghi"]["computed"], json!(93));

    // A commune's new revision moves the merged figure: 50 + 95 = 145.
    set(&mut b, json!({ITEM: {"so_hoi_nghi": 95}}));
    let newer = export(&mut b, &usb);
    import(&mut d, &[newer]);
    let st = cli(&d, &["status", "--json"]).ok().json();
    assert_eq!(st["overrides"][0]["stale"], true);
    assert_eq!(st["overrides"][0]["now"], json!(145));
    cli(&d, &["status"]).ok().stdout_has("CẦN XEM LẠI");
    cli(&d, &["render", "--format", "csv", "--out", "-"])
        .ok()
        .stdout_has("HU01,Huyện ủy HU01,A.I.1,so_hoi_nghi,105,2/2,stale\r\n");
    // The document no longer says 105 in the body and 145 in the appendix
    // without a word: the appendix says the figure is set by hand, over
    // what, and that it must be looked at again.
    cli(&d, &["render", "--format", "md", "--out", "-"])
        .ok()
        .stdout_has("105 (số ghi tay, cần xem lại)")
        .stdout_has("Huyện ủy HU01 ghi tay số 105; tổng hợp từ các đơn vị là 145")
        .stdout_has("Khi ghi tay, số tổng hợp là 93; số ghi tay cần được xem lại");

    // Confirmed over the figure of now: no longer stale.
    cli(&d, &["override", "confirm", ITEM, "so_hoi_nghi"]).ok();
    let st = cli(&d, &["status", "--json"]).ok().json();
    assert_eq!(st["overrides"][0]["stale"], false);
    assert_eq!(st["overrides"][0]["computed"], json!(145));
    // Cleared: the merged figure stands again.
    cli(&d, &["override", "clear", ITEM, "so_hoi_nghi"]).ok();
    let d = reopen(&d);
    assert_eq!(figure(&d, ITEM, "so_hoi_nghi").as_deref(), Some("145"));
    assert!(d.report.overrides.is_empty());
    let mut o = vi();
    o.args(["--json", "override", "clear", ITEM, "so_hoi_nghi", "--data"])
        .arg(&d.path);
    o.out().fails_with("workspace.no_override");
}

/// The workspace as the file now holds it (after a command changed it).
fn reopen(ws: &Workspace) -> Workspace {
    let report = store::load(&ws.path).unwrap();
    Workspace::new(&ws.path, ws.outline.clone(), report).unwrap()
}

// ------------------------------------------------ the province's totals

#[test]
fn bodies_reported_beside_the_totals_are_not_added_into_them() {
    let tmp = temp_dir();
    let (mut d, _) = district_with(tmp.path(), &[json!({ITEM: {"so_hoi_nghi": 28}})]);
    let dp = export(&mut d, &tmp.path().join("up"));
    let mut m = unit(
        tmp.path(),
        Unit {
            unit_type: "mttq".into(),
            code: "MT01".into(),
            name: "Ủy ban MTTQ tỉnh".into(),
            parent_code: Some("TINH".into()),
            parent_name: Some("Tỉnh ủy".into()),
        },
    );
    set(&mut m, json!({ITEM: {"so_hoi_nghi": 30}}));
    let mp = export(&mut m, &tmp.path().join("up"));
    let mut t = unit(tmp.path(), tinh());
    assert!(import(&mut t, &[dp, mp]).iter().all(Verdict::accepted));
    // 28, not 28 + 30: the Front's members are counted by the districts.
    assert_eq!(figure(&t, ITEM, "so_hoi_nghi").as_deref(), Some("28"));
    cli(&t, &["render", "--format", "md", "--out", "-"])
        .ok()
        .stdout_has("Các đơn vị báo cáo riêng (số liệu không cộng vào tổng cộng):")
        .stdout_has("Ủy ban MTTQ tỉnh");
}

#[test]
fn a_district_total_its_communes_do_not_make_is_refused_unless_marked_as_set_by_hand() {
    let tmp = temp_dir();
    let (mut d, _) = district_with(
        tmp.path(),
        &[
            json!({ITEM: {"so_hoi_nghi": 7}}),
            json!({ITEM: {"so_hoi_nghi": 8}}),
        ],
    );
    let up = export(&mut d, &tmp.path().join("up"));
    // Edited to a million and resealed: the communes inside make 15.
    let mut v = read_json(&up);
    v["answers"][ITEM]["so_hoi_nghi"] = json!(1_000_000);
    let forged = tmp.path().join("forged.bcpkg");
    std::fs::write(&forged, serde_json::to_vec(&reseal(v)).unwrap()).unwrap();
    let mut t = unit(tmp.path(), tinh());
    let before = t.report.clone();
    let ex = t.examine(&forged);
    assert!(
        matches!(&ex.verdict, Verdict::DoesNotAddUp { code, item, field } if code == "HU01" && item == ITEM && field == "so_hoi_nghi"),
        "{:?}",
        ex.verdict
    );
    t.accept(&ex).unwrap();
    assert_eq!(t.report, before, "nothing taken");
    // The same figure set by hand at the district is marked, and taken.
    cli(&d, &["override", "set", ITEM, "so_hoi_nghi", "1.000.000"]).ok();
    let mut d = reopen(&d);
    let marked = export(&mut d, &tmp.path().join("up2"));
    assert!(import(&mut t, &[marked]).iter().all(Verdict::accepted));
    assert_eq!(figure(&t, ITEM, "so_hoi_nghi").as_deref(), Some("1000000"));
    assert!(t.children[0].package.overrides.contains_key(ITEM));
}

#[test]
fn a_commune_embedded_under_two_districts_is_counted_once() {
    let tmp = temp_dir();
    // A commune package that names no parent: either district takes it.
    let mut c = unit(tmp.path(), xa("27112", None));
    set(&mut c, json!({ITEM: {"so_hoi_nghi": 9}}));
    let cp = export(&mut c, &tmp.path().join("usb"));
    let mut ups = Vec::new();
    for code in ["HU01", "HU02"] {
        let mut d = unit(tmp.path(), huyen(code));
        assert!(
            import(&mut d, std::slice::from_ref(&cp))
                .iter()
                .all(Verdict::accepted)
        );
        ups.push(export(&mut d, &tmp.path().join(code)));
    }
    let mut t = unit(tmp.path(), tinh());
    let v = import(&mut t, &ups);
    assert!(v[0].accepted(), "{v:?}");
    assert_eq!(
        v[1],
        Verdict::CountedElsewhere {
            code: "27112".into(),
            under: "HU01".into()
        }
    );
    assert_eq!(figure(&t, ITEM, "so_hoi_nghi").as_deref(), Some("9"));
    // A district package with a commune inside twice (at two levels) is
    // refused too.
    let mut v = read_json(&ups[1]);
    let inner = v["children"][0].clone();
    let mut wrapper = inner.clone();
    wrapper["unit"]["code"] = json!("27199");
    wrapper["children"] = json!([inner]);
    v["children"] = json!([reseal(wrapper), v["children"][0].clone()]);
    let twice = tmp.path().join("twice.bcpkg");
    std::fs::write(&twice, serde_json::to_vec(&reseal(v)).unwrap()).unwrap();
    let ex = unit(tmp.path(), tinh()).examine(&twice);
    assert!(
        matches!(&ex.verdict, Verdict::TwiceInside { code } if code == "27112"),
        "{:?}",
        ex.verdict
    );
}

#[test]
fn rows_carry_the_unit_they_came_from_and_a_parent_s_body_holds_its_own() {
    let tmp = temp_dir();
    let row = |n: &str| json!({"so_ky_hieu": n, "ngay_ban_hanh": "15/03/2010", "co_quan": "Đảng ủy", "trich_yeu": "Nghị quyết"});
    // A commune that credits a row to another unit: refused.
    let mut c = unit(tmp.path(), xa("27112", Some("HU01")));
    let mut planted = row("01-NQ/ĐU");
    planted["_unit_code"] = json!("27115");
    planted["_unit_name"] = json!("Xã Phú Bình");
    set(&mut c, json!({"A.I.2": {"van_ban": [planted]}}));
    let cp = export(&mut c, &tmp.path().join("usb"));
    let d = unit(tmp.path(), huyen("HU01"));
    let ex = d.examine(&cp);
    assert!(
        matches!(ex.verdict, Verdict::DoesNotAddUp { .. }),
        "{:?}",
        ex.verdict
    );

    // Honest communes: their rows reach the district tagged with them; the
    // district's document holds its own rows in the body, the communes'
    // in the appendix.
    let (mut d, _) = district_with(
        tmp.path().join("ok").as_path().tap_mkdir(),
        &[
            json!({"A.I.2": {"van_ban": [row("05-NQ/ĐU")]}}),
            json!({"A.I.2": {"van_ban": [row("06-NQ/ĐU")]}}),
        ],
    );
    set(&mut d, json!({"A.I.2": {"van_ban": [row("45-NQ/HU")]}}));
    let md = cli(&d, &["render", "--format", "md", "--out", "-"]);
    let md = md.ok().stdout.clone();
    let (body, appendix) = md.split_once("PHỤ LỤC").unwrap();
    assert!(body.contains("45-NQ/HU"), "{body}");
    assert!(
        !body.contains("05-NQ/ĐU") && !body.contains("06-NQ/ĐU"),
        "{body}"
    );
    assert!(
        body.contains("của các đơn vị cấp dưới (2 dòng): xem Phụ lục"),
        "{body}"
    );
    assert!(
        appendix.contains("05-NQ/ĐU") && appendix.contains("06-NQ/ĐU"),
        "{appendix}"
    );
    let p = read_json(&export(&mut d, &tmp.path().join("up")));
    let rows = p["answers"]["A.I.2"]["van_ban"].as_array().unwrap();
    let units: Vec<&Value> = rows.iter().map(|r| &r["_unit_code"]).collect();
    assert_eq!(units, [&Value::Null, &json!("27110"), &json!("27111")]);
}

trait Mkdir {
    fn tap_mkdir(self) -> Self;
}

impl Mkdir for &Path {
    fn tap_mkdir(self) -> Self {
        std::fs::create_dir_all(self).unwrap();
        self
    }
}

// ------------------------------------------------------------ properties

/// A value a child may give for a count.
fn count() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        3 => Just(None),
        8 => (0u64..5000).prop_map(|n| Some(json!(n))),
        1 => Just(Some(json!("mười hai"))),
        1 => Just(Some(json!(-7))),
        1 => Just(Some(json!(2.5))),
        1 => (0u64..5000).prop_map(|n| Some(json!(baocao::vnfmt::format_number(Decimal::from(n), baocao::vnfmt::NumKind::Integer)))),
    ]
}

/// Random children: every sum field of A.I.1 and A.II.3 given or not,
/// validly or not.
fn children() -> impl Strategy<Value = Vec<Answers>> {
    let fields: Vec<(String, String)> = Outline::embedded()
        .entries()
        .iter()
        .filter(|e| e.item.id == ITEM || e.item.id == "A.II.3")
        .flat_map(|e| {
            e.item
                .fields
                .iter()
                .filter(|f| f.aggregate == Aggregate::Sum)
                .map(|f| (e.item.id.clone(), f.id.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    let n = fields.len();
    prop::collection::vec(prop::collection::vec(count(), n), 0..8).prop_map(move |units| {
        units
            .into_iter()
            .map(|values| {
                let mut a = Answers::new();
                for ((item, field), v) in fields.iter().zip(values) {
                    if let Some(v) = v {
                        a.entry(item.clone()).or_default().insert(field.clone(), v);
                    }
                }
                a
            })
            .collect()
    })
}

fn decimal(v: &Value) -> Option<Decimal> {
    match v {
        Value::Number(n) => validate::stored_number(n),
        _ => None,
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    /// Every parent figure is the exact sum of the values it says it
    /// covers, every rate Σ part ÷ Σ whole over them, and every value a
    /// child gave is either in the figure or listed as left out.
    #[test]
    fn every_figure_is_the_exact_sum_of_what_it_covers(units in children()) {
        let outline = Outline::embedded();
        let codes: Vec<String> = (0..units.len()).map(|i| format!("{:05}", 27100 + i)).collect();
        let sources: Vec<Source> = units
            .iter()
            .zip(&codes)
            .map(|(a, code)| Source { code, name: code, answers: a })
            .collect();
        let merged = merge::aggregate(outline, &sources);
        for e in outline.entries() {
            for f in &e.item.fields {
                let Some(c) = merged.coverage(&e.item.id, &f.id) else { continue };
                // Each unit once: counted, left out or missing.
                let all: BTreeSet<&String> = c.counted.iter()
                    .chain(c.left_out.iter().map(|(code, _)| code))
                    .chain(&c.missing)
                    .collect();
                prop_assert_eq!(all.len(), units.len());
                prop_assert_eq!(c.counted.len() + c.left_out.len() + c.missing.len(), units.len());
                prop_assert_eq!(c.of, units.len());
                let at = |code: &String| &units[codes.iter().position(|c| c == code).unwrap()];
                let judged = |code: &String, id: &str| {
                    let a = at(code);
                    validate::item_states(e.item, a.get(&e.item.id))
                        .into_iter()
                        .find(|(x, _)| x == id)
                        .map(|(_, s)| s)
                        .unwrap()
                };
                let num = |code: &String, id: &str| -> Decimal {
                    let field = e.item.field(id).unwrap();
                    validate::number_in(field.kind.num_kind().unwrap(), at(code).get(&e.item.id).unwrap().get(id).unwrap()).unwrap()
                };
                match f.aggregate {
                    Aggregate::Sum => {
                        let total: Decimal = c.counted.iter().map(|code| num(code, &f.id)).sum();
                        let got = merged.value(&e.item.id, &f.id).and_then(decimal);
                        prop_assert_eq!(got, (!c.counted.is_empty()).then_some(total));
                        for code in &c.counted {
                            prop_assert_eq!(judged(code, &f.id), FieldState::Answered);
                        }
                        // A unit that gave something for it is counted or said.
                        for code in &c.missing {
                            prop_assert!(at(code).get(&e.item.id).and_then(|m| m.get(&f.id)).is_none());
                        }
                    }
                    Aggregate::Ratio => {
                        let [p, w] = f.of.clone().unwrap();
                        let (sp, sw): (Decimal, Decimal) = c.counted.iter()
                            .map(|code| (num(code, &p), num(code, &w)))
                            .fold((Decimal::ZERO, Decimal::ZERO), |(a, b), (x, y)| (a + x, b + y));
                        let want = baocao::vnfmt::ratio_percent(sp, sw).map(|r| r.round_dp(10));
                        let got = merged.value(&e.item.id, &f.id).and_then(decimal);
                        prop_assert_eq!(got, want.filter(|_| !c.counted.is_empty()));
                        for code in &c.missing {
                            let given = |id: &str| at(code).get(&e.item.id).and_then(|m| m.get(id)).is_some();
                            prop_assert!(!given(&p) && !given(&w));
                        }
                    }
                    _ => {}
                }
            }
        }
    }

    /// A parent's package checks out against its embedded children with
    /// any figures set by hand, marked; a figure changed and not marked
    /// does not.
    #[test]
    fn a_rollup_checks_out_until_a_figure_is_changed_unmarked(
        units in children(),
        by_hand in prop::option::of(0u64..100_000),
    ) {
        prop_assume!(!units.is_empty());
        let outline = Outline::embedded();
        let codes: Vec<String> = (0..units.len()).map(|i| format!("{:05}", 27100 + i)).collect();
        let sources: Vec<Source> = units
            .iter()
            .zip(&codes)
            .map(|(a, code)| Source { code, name: code, answers: a })
            .collect();
        let merged = merge::aggregate(outline, &sources);
        let mut own = Answers::new();
        let mut marked = BTreeSet::new();
        if let Some(n) = by_hand {
            own.entry(ITEM.into()).or_default().insert("so_hoi_nghi".into(), json!(n));
            if merged.value(ITEM, "so_hoi_nghi").is_some() {
                marked.insert((ITEM.to_string(), "so_hoi_nghi".to_string()));
            }
        }
        let stated = merge::effective(outline, &own, &merged);
        prop_assert_eq!(merge::check_rollup(outline, &stated, &marked, &sources), Ok(()));
        if let Some(v) = merged.value("A.II.3", "ket_nap_mttq") {
            let mut forged = stated.clone();
            let n = decimal(v).unwrap() + Decimal::ONE;
            forged.get_mut("A.II.3").unwrap().insert("ket_nap_mttq".into(), validate::number_value(n));
            prop_assert!(merge::check_rollup(outline, &forged, &marked, &sources).is_err());
        }
    }
}

#[test]
fn the_cli_refuses_a_forged_total_with_its_code() {
    let tmp = temp_dir();
    let (mut d, _) = district_with(tmp.path(), &[json!({ITEM: {"so_hoi_nghi": 7}})]);
    let up = export(&mut d, &tmp.path().join("up"));
    let mut v = read_json(&up);
    v["answers"][ITEM]["so_hoi_nghi"] = json!(70);
    std::fs::write(&up, serde_json::to_vec(&reseal(v)).unwrap()).unwrap();
    let t = unit(tmp.path(), tinh());
    let before = std::fs::read(&t.path).unwrap();
    let o = vi().args(["import", s(&up), "--data"]).arg(&t.path).out();
    o.fails().stdout_has(
        "không bằng tổng của các gói cấp dưới gửi kèm, mà cũng không được ghi là sửa tay",
    );
    assert_eq!(
        std::fs::read(&t.path).unwrap(),
        before,
        "the province's report is unchanged"
    );
}
