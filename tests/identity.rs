//! A unit is who it says it is: one check of codes and names at every
//! door (init, children add and import, every package at any depth), a
//! known code under another name refused, and each refusal leaves the
//! parent's report as it was.

mod common;

use baocao::package;
use common::*;
use serde_json::{Value, json};
use std::path::PathBuf;

/// A district HU01 with 27112 "Xã Tân Phú" on its list and that commune's
/// package taken in (3 meetings); the package's JSON too.
struct Rig {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
    district: PathBuf,
    commune: Value,
}

fn rig() -> Rig {
    let tmp = temp_dir();
    let dir = tmp.path().to_path_buf();
    let mut c = workspace(&dir, "xa.json", unit("xa", CODE, NAME, Some("HU01")));
    c.report.set_value("A.I.1", "so_hoi_nghi", json!(3));
    let file = c.export(&dir).unwrap();
    let commune = read_json(&file);
    let mut d = workspace(&dir, "huyen.json", unit("huyen", "HU01", PARENT_NAME, None));
    d.add_child(CODE, NAME, None, None).unwrap();
    d.add_child("26221", "Xã Phú Vinh", None, None).unwrap();
    baocao::store::save(&d.path, &d.report).unwrap();
    let district = d.path.clone();
    let r = Rig {
        _tmp: tmp,
        dir,
        district,
        commune,
    };
    r.run(&["import", file.to_str().unwrap()]).ok();
    r
}

impl Rig {
    fn run(&self, args: &[&str]) -> Out {
        vi().args(args).arg("--data").arg(&self.district).out()
    }
    fn json_run(&self, args: &[&str]) -> Out {
        vi().arg("--json")
            .args(args)
            .arg("--data")
            .arg(&self.district)
            .out()
    }
    fn write(&self, name: &str, v: &Value) -> PathBuf {
        let p = self.dir.join(name);
        std::fs::write(&p, serde_json::to_vec_pretty(v).unwrap()).unwrap();
        p
    }
    fn meetings(&self) -> Value {
        let st = self.run(&["status", "--json"]).json();
        st["figures"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["item"] == "A.I.1" && f["field"] == "so_hoi_nghi")
            .map_or(Value::Null, |f| f["value"].clone())
    }
}

/// The commune's package with its unit changed, sealed again (as anyone
/// can: the checksum is not a signature).
fn forged(v: &Value, change: impl FnOnce(&mut Value)) -> Value {
    let mut v = v.clone();
    change(&mut v);
    reseal(v)
}

#[test]
fn look_alike_and_unusable_codes_in_a_package_are_refused_and_change_nothing() {
    let r = rig();
    let before = std::fs::read(&r.district).unwrap();
    assert_eq!(r.meetings(), json!(3));
    let codes = [
        "27112\u{200b}",                       // a zero-width space after it
        "２７１１２",                          // full-width digits
        "\u{662}\u{667}\u{661}\u{661}\u{662}", // Arabic-Indic digits
        "27112 ",
        " 27112",
        "",
        "27 112",
        "27/112",
        "..",
        "27\u{0}112",
        "27\u{1b}[2J112",
    ];
    for (i, code) in codes.iter().enumerate() {
        let p = r.write(
            &format!("gia-{i}.bcpkg"),
            &forged(&r.commune, |v| v["unit"]["code"] = json!(code)),
        );
        let out = r.json_run(&["import", p.to_str().unwrap()]);
        out.fails();
        // Refused for the code, or sooner for a character no document
        // can hold.
        assert!(
            out.stdout
                .contains("mã hoặc tên đơn vị trong gói không dùng được")
                || out.stdout.contains("không in được vào văn bản"),
            "{code:?}: {out:#?}"
        );
        assert_eq!(
            std::fs::read(&r.district).unwrap(),
            before,
            "{code:?}: nothing changed"
        );
    }
    // Inside a district's package too: an embedded commune with a
    // zero-width code is refused with the outer package.
    let inner = forged(&r.commune, |v| v["unit"]["code"] = json!("27112\u{200b}"));
    assert!(matches!(
        package::verify(&inner, 0),
        Err(package::PackageError::Unit(_))
    ));
    assert_eq!(r.meetings(), json!(3), "the district total is as it was");
}

#[test]
fn a_name_with_invisible_characters_is_refused_at_every_door() {
    let r = rig();
    let p = r.write(
        "ten.bcpkg",
        &forged(&r.commune, |v| {
            v["unit"]["name"] = json!("Xã Tân\u{200b} Phú")
        }),
    );
    r.run(&["import", p.to_str().unwrap()])
        .fails()
        .stdout_has("Tên đơn vị có ký tự điều khiển hoặc ký tự ẩn (U+200B)");
    r.json_run(&["children", "add", "27113", "Xã\u{202e} Phú"])
        .fails_with("workspace.unit");
    r.json_run(&["children", "add", "27\u{ff11}13", "Xã Phú"])
        .fails_with("workspace.unit");
}

#[test]
fn a_known_code_under_another_name_is_refused_with_both_names() {
    let r = rig();
    let before = std::fs::read(&r.district).unwrap();
    // 26221 is Phú Vinh on the list; the package says La Ngà.
    let p = r.write(
        "la-nga.bcpkg",
        &forged(&r.commune, |v| {
            v["unit"]["code"] = json!("26221");
            v["unit"]["name"] = json!("Xã La Ngà");
        }),
    );
    r.run(&["import", p.to_str().unwrap()])
        .fails()
        .stdout_has("mã 26221 là \"Xã Phú Vinh\", không phải \"Xã La Ngà\"")
        .stdout_has("baocao children add 26221");
    assert_eq!(std::fs::read(&r.district).unwrap(), before);
    // Case and spacing are not another name.
    let same = r.write(
        "phu-vinh.bcpkg",
        &forged(&r.commune, |v| {
            v["unit"]["code"] = json!("26221");
            v["unit"]["name"] = json!("xã  phú vinh");
        }),
    );
    r.run(&["import", same.to_str().unwrap()])
        .ok()
        .stdout_has("Nhận gói của xã  phú vinh (26221");
}

#[test]
fn a_children_list_with_an_unusable_code_is_refused_whole_with_its_line() {
    let r = rig();
    let before = std::fs::read(&r.district).unwrap();
    for (i, bad) in ["27113\u{200b}", "２７１１３", "27 113", "a/b", ".."]
        .iter()
        .enumerate()
    {
        let csv = r.dir.join(format!("ds-{i}.csv"));
        std::fs::write(&csv, format!("ma,ten\n27114,Xã Một\n{bad},Xã Hai\n")).unwrap();
        r.run(&["children", "import", csv.to_str().unwrap()])
            .fails()
            .stderr_has(", dòng 3: Mã đơn vị");
        assert_eq!(std::fs::read(&r.district).unwrap(), before, "{bad:?}");
    }
}

#[test]
fn init_keeps_codes_and_names_as_every_other_door_does() {
    let tmp = temp_dir();
    let data = tmp.path().join("xa.json");
    let init = |code: &str, name: &str| {
        vi().args([
            "--json", "init", "--type", "xa", "--code", code, "--name", name,
        ])
        .arg("--data")
        .arg(&data)
        .out()
    };
    init("27112\u{200b}", NAME).fails_with("report.unit");
    init(CODE, "Xã\u{200b}Tân Phú").fails_with("report.unit");
    assert!(!data.exists());
    // Trimmed, and the name in NFC.
    init(" 27112 ", "Xa\u{303} Ta\u{302}n Phu\u{301}").ok();
    let v = read_json(&data);
    assert_eq!(v["unit"]["code"], CODE);
    assert_eq!(v["unit"]["name"], NAME);
}
