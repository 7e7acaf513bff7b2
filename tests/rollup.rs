//! Packages and roll-up with the real binary (issue 4): export, approval,
//! verify, the expected units, every import rule with its own message and
//! nothing already imported changed, status at a parent, the figures as
//! CSV, three levels from communes to the province, and the demo.

mod common;

use chrono::{Duration, Local};
use common::*;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

// ------------------------------------------------------------ helpers

fn s(p: &Path) -> &str {
    p.to_str().expect("temp paths are UTF-8")
}

/// One unit's report in a scratch folder, and commands run on it.
struct U {
    report: PathBuf,
}

impl U {
    fn run(&self, lang: &str, args: &[&str]) -> Out {
        baocao()
            .args(["--lang", lang])
            .args(args)
            .arg("--data")
            .arg(&self.report)
            .out()
    }
    fn vi(&self, args: &[&str]) -> Out {
        self.run("vi", args)
    }
    fn en(&self, args: &[&str]) -> Out {
        self.run("en", args)
    }
    fn json(&self) -> Value {
        read_json(&self.report)
    }
    fn bytes(&self) -> Vec<u8> {
        fs::read(&self.report).unwrap()
    }
    fn status(&self) -> Value {
        let out = self.vi(&["status", "--json"]);
        out.ok();
        out.json()
    }
    /// `fill --from` with these answers; must succeed.
    fn fill(&self, answers: Value) {
        let from = self.report.with_extension("answers.json");
        fs::write(&from, serde_json::to_vec_pretty(&answers).unwrap()).unwrap();
        self.vi(&["fill", "--from", s(&from)]).ok();
    }
    /// `export --out DIR`; the path it printed, which must exist.
    fn export(&self, out: &Path) -> PathBuf {
        fs::create_dir_all(out).unwrap();
        let o = self.vi(&["export", "--out", s(out)]);
        o.ok();
        let printed = o.stdout.trim();
        assert_eq!(o.stdout.lines().count(), 1, "one line, the path: {o:#?}");
        let p = PathBuf::from(printed);
        assert!(p.is_file(), "{printed} was written");
        p
    }
    /// The packages in the archive file, by checksum, with their bytes.
    fn archived(&self) -> BTreeMap<String, Vec<u8>> {
        baocao::store::archive::records(&self.report)
            .into_iter()
            .collect()
    }
    /// The archived bytes of a received entry's package.
    fn archived_bytes(&self, r: &Value) -> Vec<u8> {
        let sum = r["checksum"].as_str().unwrap();
        self.archived()
            .remove(sum)
            .unwrap_or_else(|| panic!("{sum} is archived"))
    }
    /// Everything an import must not touch when it refuses.
    fn snapshot(&self) -> Snapshot {
        let r = self.json();
        Snapshot {
            report: self.bytes(),
            received: r["received"].clone(),
            children: r["children"].clone(),
            archived: self.archived(),
        }
    }
    /// The received entry of one unit.
    fn received(&self, code: &str) -> Option<Value> {
        self.json()["received"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|r| r["code"] == code)
            .cloned()
    }
}

#[derive(Debug, PartialEq)]
struct Snapshot {
    report: Vec<u8>,
    received: Value,
    children: Value,
    archived: BTreeMap<String, Vec<u8>>,
}

#[track_caller]
fn init(dir: &Path, file: &str, args: &[&str]) -> U {
    let report = dir.join(file);
    baocao()
        .args(["--lang", "vi", "init"])
        .args(args)
        .arg("--data")
        .arg(&report)
        .out()
        .ok()
        .stdout_has("Đã tạo báo cáo cho");
    U { report }
}

fn commune(dir: &Path, code: &str, name: &str) -> U {
    commune_of(dir, code, name, "HU01")
}

fn commune_of(dir: &Path, code: &str, name: &str, parent: &str) -> U {
    init(
        dir,
        &format!("xa-{code}.json"),
        &[
            "--type",
            "xa",
            "--code",
            code,
            "--name",
            name,
            "--parent-code",
            parent,
            "--parent-name",
            "Huyện ủy Tân Phú",
        ],
    )
}

fn district(dir: &Path) -> U {
    init(
        dir,
        "huyen.json",
        &[
            "--type",
            "huyen",
            "--code",
            "HU01",
            "--name",
            "Huyện ủy Tân Phú",
            "--parent-code",
            "TINH",
            "--parent-name",
            "Tỉnh ủy",
        ],
    )
}

fn province(dir: &Path, file: &str) -> U {
    init(
        dir,
        file,
        &["--type", "tinh", "--code", "TINH", "--name", "Tỉnh ủy"],
    )
}

/// A commune's figures for A.I.1 and a few more.
fn figures(meetings: i64, part: i64, whole: i64) -> Value {
    json!({
        "A.I.1": {
            "hinh_thuc_quan_triet": "Hội nghị quán triệt cho cán bộ chủ chốt",
            "so_hoi_nghi": meetings,
            "dang_vien_tham_gia": part,
            "dang_vien_tong_so": whole,
        },
        "A.II.5": {"kinh_phi": 15_000_000 + meetings},
    })
}

/// A copy of a package with `change` applied and the checksum kept.
fn tampered(src: &Path, dst: &Path, change: impl FnOnce(&mut Value)) -> PathBuf {
    let mut v = read_json(src);
    change(&mut v);
    fs::write(dst, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
    dst.to_path_buf()
}

/// Sets the checksum again and signs with the tests' key (what a unit
/// editing its own package by hand could do).
fn reseal(v: &mut Value) {
    *v = common::reseal(v.take());
}

fn date(days_from_today: i64) -> String {
    (Local::now().date_naive() + Duration::days(days_from_today))
        .format("%d/%m/%Y")
        .to_string()
}

/// Folder entries ending with `.bcpkg`, sorted.
fn packages_in(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "bcpkg"))
        .collect();
    v.sort();
    v
}

/// The 2014 outline with another version: "another outline".
fn other_outline(dir: &Path) -> PathBuf {
    let mut o = read_json(&root().join("schema/kl62-so-ket-2014.json"));
    o["version"] = json!("3");
    let p = dir.join("de-cuong-v2.json");
    fs::write(&p, serde_json::to_vec_pretty(&o).unwrap()).unwrap();
    p
}

// ------------------------------------------------------------- export

#[test]
fn a_revision_never_repeats_with_other_content_after_a_restore_or_a_lost_save() {
    let tmp = temp_dir();
    let c = commune(tmp.path(), "27112", "Xã Tân Phú");
    let usb = tmp.path().join("usb");
    c.fill(figures(12, 1204, 1250));
    let r1 = c.export(&usb);
    c.fill(figures(13, 1204, 1250));
    let r2 = c.export(&usb);
    assert_eq!(file_name(&r2), "27112-Xa-Tan-Phu-r2-du-thao.bcpkg");
    let r2_bytes = fs::read(&r2).unwrap();
    // Restored to before that export: the same content is the same r2.
    c.vi(&["restore"]).ok();
    assert_eq!(c.json()["last_export"]["revision"], 1);
    assert_eq!(c.export(&usb), r2);
    assert_eq!(fs::read(&r2).unwrap(), r2_bytes);
    // Restored further back, to r1's content, then changed: r3, not a
    // second r2 (which the district would refuse as a conflict).
    for _ in 0..3 {
        c.vi(&["restore"]).ok();
    }
    assert_eq!(c.json()["last_export"]["revision"], 1);
    c.fill(figures(14, 1204, 1250));
    let r3 = c.export(&usb);
    assert_eq!(file_name(&r3), "27112-Xa-Tan-Phu-r3-du-thao.bcpkg");
    assert_eq!(fs::read(&r2).unwrap(), r2_bytes, "r2 untouched");
    assert!(r1.is_file());

    // The package written, the report's save lost (a full disk, a power
    // cut): the next export of the same content is the same r4.
    c.fill(figures(15, 1204, 1250));
    let before = c.bytes();
    let r4 = c.export(&usb);
    let r4_bytes = fs::read(&r4).unwrap();
    fs::write(&c.report, &before).unwrap();
    assert_eq!(c.export(&usb), r4);
    assert_eq!(fs::read(&r4).unwrap(), r4_bytes);

    // A file where the package would go, with other content, stays.
    c.fill(figures(16, 1204, 1250));
    let r5 = usb.join("27112-Xa-Tan-Phu-r5-du-thao.bcpkg");
    fs::write(&r5, b"something else").unwrap();
    c.vi(&["--json", "export", "--out", s(&usb)])
        .fails_with("workspace.export_exists");
    c.vi(&["export", "--out", s(&usb)])
        .fails()
        .stderr_has("với nội dung khác; không ghi đè");
    assert_eq!(fs::read(&r5).unwrap(), b"something else");
    // Elsewhere, it is r5 still (the number was not used for other content).
    let other = c.export(&tmp.path().join("usb2"));
    assert_eq!(file_name(&other), "27112-Xa-Tan-Phu-r5-du-thao.bcpkg");
}

#[test]
fn export_prints_the_path_and_names_the_file_safely() {
    let tmp = temp_dir();
    let c = commune(tmp.path(), "27112", "Xã Tân Phú");
    let usb = tmp.path().join("usb");
    fs::create_dir_all(&usb).unwrap();
    let o = c.vi(&["export", "--out", s(&usb)]);
    o.ok()
        .stderr_has("Đã xuất gói lần gửi 1, hoàn thành")
        .stderr_has("Đây là bản DỰ THẢO (chưa thông qua tập thể).")
        .stderr_has("Chép tệp này vào USB hoặc gửi thư cho cấp trên.");
    let path = PathBuf::from(o.stdout.trim());
    assert_eq!(path, usb.join("27112-Xa-Tan-Phu-r1-du-thao.bcpkg"));
    assert!(path.is_file());
    // The file is readable UTF-8 JSON, not compressed.
    let text = fs::read_to_string(&path).unwrap();
    assert!(text.starts_with('{') && text.contains("\"format\": \"baocao-package\""));

    // A name with marks, đ, slashes, colons and quotes folds to ASCII
    // letters, digits and dashes: safe on a FAT32 stick.
    let odd = commune(tmp.path(), "27115", "Phường Đắk Ơ / Khu 1: \"Mới\"");
    let p = odd.export(&usb);
    let name = file_name(&p);
    assert_eq!(name, "27115-Phuong-Dak-O-Khu-1-Moi-r1-du-thao.bcpkg");
    assert!(
        name.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.'),
        "{name}"
    );

    // --out FILE writes exactly there.
    let chosen = tmp.path().join("goi-cua-xa.bcpkg");
    c.vi(&["export", "--out", s(&chosen)])
        .ok()
        .stdout_has("goi-cua-xa.bcpkg");
    assert!(chosen.is_file());

    c.en(&["export", "--out", s(&usb)])
        .ok()
        .stderr_has("Exported revision 1,")
        .stderr_has("This is a DRAFT (not yet approved).");
}

#[test]
fn export_again_unchanged_is_the_same_file_and_a_change_raises_the_revision() {
    let tmp = temp_dir();
    let c = commune(tmp.path(), "27112", "Xã Tân Phú");
    c.fill(figures(12, 1204, 1250));
    let usb = tmp.path().join("usb");
    let first = c.export(&usb);
    let bytes = fs::read(&first).unwrap();
    assert_eq!(c.status()["revision"], 1);

    // Unchanged: same revision, byte for byte the same package.
    let again = c.export(&usb);
    assert_eq!(again, first);
    assert_eq!(fs::read(&again).unwrap(), bytes);
    let elsewhere = c.export(&tmp.path().join("other"));
    assert_eq!(fs::read(&elsewhere).unwrap(), bytes);
    assert_eq!(c.status()["revision"], 1);

    // A change: revision 2, a new file; the first one stays.
    c.fill(json!({"A.I.1": {"so_hoi_nghi": 13}}));
    let second = c.export(&usb);
    assert_eq!(file_name(&second), "27112-Xa-Tan-Phu-r2-du-thao.bcpkg");
    assert_eq!(read_json(&second)["revision"], 2);
    assert_eq!(c.status()["revision"], 2);
    assert_eq!(fs::read(&first).unwrap(), bytes);
    // Changing back is a change too: the revision never goes down.
    c.fill(json!({"A.I.1": {"so_hoi_nghi": 12}}));
    assert_eq!(read_json(&c.export(&usb))["revision"], 3);
}

#[test]
fn an_exported_package_and_the_report_match_their_schemas() {
    let tmp = temp_dir();
    let c = commune(tmp.path(), "27112", "Xã Tân Phú");
    c.fill(figures(12, 1204, 1250));
    c.fill(
        json!({"A.I.2": {"van_ban": [{"so_ky_hieu": "15-CT/ĐU", "ngay_ban_hanh": "05/03/2010",
        "co_quan": "Đảng ủy xã", "trich_yeu": "Về quán triệt"}]}}),
    );
    let p = c.export(&tmp.path().join("usb"));
    let v = read_json(&p);
    assert_schema_valid("package.schema.json", &v, "the commune package");
    assert_eq!(v["checksum"].as_str().unwrap(), package_checksum(&v));
    assert_eq!(v["unit"]["code"], "27112");
    assert_eq!(v["unit"]["parent_code"], "HU01");
    assert_eq!(v["status"], "draft");
    assert_eq!(v["approval"], Value::Null);
    assert_eq!(v["revision"], 1);
    assert_eq!(v["outline"]["id"], "kl62-so-ket-2014");
    assert_eq!(
        v["outline"]["hash"].as_str().unwrap(),
        baocao::outline::Outline::embedded().content_hash()
    );
    assert_eq!(v["answers"]["A.I.1"]["dang_vien_tham_gia"], 1204);
    // Rates are never stored: they follow from the parts.
    assert!(v["answers"]["A.I.1"].get("dang_vien_ty_le").is_none());
    assert_eq!(v["children"], json!([]));
    // The program reads its own package back.
    baocao::package::parse(&fs::read(&p).unwrap()).expect("readable");
    // The report after export keeps the revision and matches its schema.
    let r = c.json();
    assert_schema_valid("report.schema.json", &r, "the report after export");
    assert_eq!(r["last_export"]["revision"], 1);
}

// ---------------------------------------------------- finalize / reopen

/// `finalize` with the approving body and date, for a report with
/// answers missing: approved as it is, with the reason.
const AS_IT_IS: [&str; 3] = [
    "--incomplete",
    "--reason",
    "Tập thể thống nhất gửi trước phần số liệu",
];

#[test]
fn finalize_records_the_approval_and_reopen_keeps_it_in_the_history() {
    let tmp = temp_dir();
    let c = commune(tmp.path(), "27112", "Xã Tân Phú");
    c.fill(figures(12, 1204, 1250));
    let usb = tmp.path().join("usb");
    // A draft claims no approval: not in its package, not in its text.
    let p = c.export(&usb);
    assert_eq!(read_json(&p)["approval"], Value::Null);
    let text = c.vi(&["render", "--format", "txt", "--out", "-"]);
    assert!(!text.ok().stdout.contains("thông qua"), "{}", text.stdout);

    // Refused, each for its reason, and nothing changes.
    let before = c.bytes();
    let finalize = |lang: &str, by: &str, on: &str, more: &[&str]| {
        let mut args = vec![
            "--json",
            "finalize",
            "--approved-by",
            by,
            "--approved-on",
            on,
        ];
        args.extend(more);
        c.run(lang, &args)
    };
    finalize("vi", "Ban Thường vụ", "31/02/2014", &AS_IT_IS).fails_with("approval.date");
    c.vi(&[
        "finalize",
        "--approved-by",
        "Ban Thường vụ",
        "--approved-on",
        "31/02/2014",
    ])
    .fails()
    .stderr_has("Ngày thông qua: Ngày không có thật: 31/02/2014");
    finalize("vi", "   ", "14/10/2014", &AS_IT_IS).fails_with("approval.body_needed");
    finalize("vi", "Ban Thường vụ", "14/10/2099", &AS_IT_IS).fails_with("approval.in_future");
    // Kế hoạch 123-KH/TU is dated 29/08/2014.
    finalize("vi", "Ban Thường vụ", "28/08/2014", &AS_IT_IS).fails_with("approval.before_plan");
    // Missing answers need --incomplete with a reason.
    finalize("vi", "Ban Thường vụ", "04/10/2014", &[]).fails_with("approval.incomplete");
    c.vi(&[
        "finalize",
        "--approved-by",
        "B",
        "--approved-on",
        "04/10/2014",
    ])
    .fails()
    .stderr_has("Chưa thể chốt: báo cáo mới hoàn thành")
    .stderr_has("--incomplete --reason");
    finalize("vi", "B", "04/10/2014", &["--incomplete", "--reason", "  "])
        .fails_with("approval.reason_needed");
    // clap itself: --incomplete without --reason.
    assert_ne!(
        finalize("vi", "B", "04/10/2014", &["--incomplete"]).code,
        Some(0)
    );
    assert_eq!(c.bytes(), before);
    assert_eq!(c.status()["status"], "draft");

    c.vi(&[
        "finalize",
        "--approved-by",
        "Ban Thường vụ Đảng ủy xã",
        "--approved-on",
        "4/10/2014",
        AS_IT_IS[0],
        AS_IT_IS[1],
        AS_IT_IS[2],
    ])
    .ok()
    .stdout_has("Đã ghi nhận Ban Thường vụ Đảng ủy xã thông qua ngày 04/10/2014")
    .stdout_has("Tập thể thống nhất gửi trước phần số liệu");
    let r = c.json();
    assert_eq!(r["status"], "final");
    assert_eq!(r["approval"]["by"], "Ban Thường vụ Đảng ủy xã");
    assert_eq!(r["approval"]["on"], "04/10/2014");
    assert_eq!(
        r["approval"]["incomplete"]["reason"],
        "Tập thể thống nhất gửi trước phần số liệu"
    );
    assert!(r["answers"]["front"].get("thong_qua_boi").is_none());
    assert_schema_valid("report.schema.json", &r, "a final report");
    let st = c.status();
    assert_eq!(st["status"], "final");
    assert_eq!(st["approval_holds"], true);
    // A second finalize does not replace the approving body.
    finalize("vi", "Ban Chấp hành", "05/10/2014", &AS_IT_IS).fails_with("approval.already_final");
    assert_eq!(c.json()["approval"]["by"], "Ban Thường vụ Đảng ủy xã");

    // The final package: no "du-thao", the approval inside, a new revision.
    let p = c.export(&usb);
    assert_eq!(file_name(&p), "27112-Xa-Tan-Phu-r2.bcpkg");
    let v = read_json(&p);
    assert_eq!(v["status"], "final");
    assert_eq!(
        v["approval"],
        json!({"by": "Ban Thường vụ Đảng ủy xã", "on": "04/10/2014",
               "incomplete_reason": "Tập thể thống nhất gửi trước phần số liệu"})
    );
    assert_schema_valid("package.schema.json", &v, "a final package");
    c.vi(&["verify", s(&p)])
        .ok()
        .stdout_has("lần gửi 2, chính thức");
    // The document says who approved it, when, and why it is incomplete.
    let text = c.vi(&["render", "--format", "txt", "--out", "-"]);
    let text = text
        .ok()
        .stdout
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.contains("Báo cáo này đã được tập thể Ban Thường vụ Đảng ủy xã thông qua ngày 04 tháng 10 năm 2014."), "{text}");
    assert!(
        text.contains("Lý do: Tập thể thống nhất gửi trước phần số liệu"),
        "{text}"
    );

    c.vi(&["reopen", "--reason", "Bổ sung số liệu"])
        .ok()
        .stdout_has("Báo cáo đã trở lại dự thảo; lần thông qua trước được giữ trong lịch sử.");
    let r = c.json();
    assert_eq!(r["status"], "draft");
    assert!(r.get("approval").is_none());
    let past = &r["approval_history"][0];
    assert_eq!(past["by"], "Ban Thường vụ Đảng ủy xã");
    assert_eq!(past["reason"], "Bổ sung số liệu");
    assert_schema_valid("report.schema.json", &r, "a reopened report");
    let p = c.export(&usb);
    assert_eq!(file_name(&p), "27112-Xa-Tan-Phu-r3-du-thao.bcpkg");
    assert_eq!(read_json(&p)["status"], "draft");
    assert_eq!(read_json(&p)["approval"], Value::Null);
    c.run("vi", &["--json", "reopen"])
        .fails_with("approval.not_final");
    c.en(&["reopen"])
        .fails()
        .stderr_has("The report is a draft (not approved); there is nothing to reopen.");
}

#[test]
fn a_final_report_refuses_every_change_until_reopened() {
    let tmp = temp_dir();
    let dir = tmp.path();
    let usb = dir.join("usb");
    let c1 = commune(dir, "27112", "Xã Tân Phú");
    c1.fill(figures(12, 1204, 1250));
    let p1 = c1.export(&usb);
    let c2 = commune(dir, "27115", "Xã Phú Lâm");
    c2.fill(figures(7, 2600, 2823));
    let p2 = c2.export(&usb);
    let d = district(dir);
    d.vi(&["children", "add", "27112", "Xã Tân Phú"]).ok();
    d.vi(&["children", "add", "27115", "Xã Phú Lâm"]).ok();
    d.vi(&["import", s(&p1)]).ok();
    let mut args = vec![
        "finalize",
        "--approved-by",
        "Ban Thường vụ Huyện ủy",
        "--approved-on",
        "15/10/2014",
    ];
    args.extend(AS_IT_IS);
    d.vi(&args).ok();
    let before = d.snapshot();

    let answers = dir.join("a.json");
    fs::write(&answers, r#"{"A.I.1": {"so_hoi_nghi": 5000}}"#).unwrap();
    let list = dir.join("ds.csv");
    fs::write(&list, "27118,Thị trấn Tân Phú\n").unwrap();
    let refused: [&[&str]; 9] = [
        &["fill", "--from", s(&answers)],
        &["import", s(&p2)],
        &["override", "set", "A.I.1", "so_hoi_nghi", "105"],
        &["override", "clear", "A.I.1", "so_hoi_nghi"],
        &["children", "add", "27118", "Thị trấn Tân Phú"],
        &["children", "remove", "27112"],
        &["children", "reset", "27112"],
        &["children", "accept", "27112"],
        &["children", "import", s(&list)],
    ];
    for args in refused {
        let mut with_json = vec!["--json"];
        with_json.extend(args);
        d.vi(&with_json).fails_with("approval.approved");
        assert_eq!(d.snapshot(), before, "{args:?} changed the final report");
    }
    d.vi(&["import", s(&p2)])
        .fails()
        .stderr_has("Báo cáo đã được Ban Thường vụ Huyện ủy thông qua ngày 15/10/2014 (bản chính thức) nên không sửa được.")
        .stderr_has("baocao reopen");
    d.en(&["fill", "--from", s(&answers)])
        .fails()
        .stderr_has("To change it, make it a draft again first: baocao reopen");

    // Reopened, the same import goes through.
    d.vi(&["reopen"]).ok();
    d.vi(&["import", s(&p2)]).ok();
    assert_eq!(d.status()["status"], "draft");
}

#[test]
fn a_final_report_changed_behind_its_approval_is_not_sent_as_final() {
    let tmp = temp_dir();
    let c = commune(tmp.path(), "27112", "Xã Tân Phú");
    c.fill(figures(12, 1204, 1250));
    let mut args = vec![
        "finalize",
        "--approved-by",
        "Ban Thường vụ",
        "--approved-on",
        "04/10/2014",
    ];
    args.extend(AS_IT_IS);
    c.vi(&args).ok();
    // Edited after the approval by a tool that reseals the file's own
    // checksum: the approval still does not cover the new content.
    let mut r = c.json();
    r["answers"]["A.I.1"]["so_hoi_nghi"] = json!(5000);
    let r = baocao::store::seal(r);
    fs::write(&c.report, serde_json::to_vec_pretty(&r).unwrap()).unwrap();
    let usb = tmp.path().join("usb");
    fs::create_dir_all(&usb).unwrap();
    c.vi(&["--json", "export", "--out", s(&usb)])
        .fails_with("approval.changed_since_approval");
    assert_eq!(fs::read_dir(&usb).unwrap().count(), 0, "nothing written");
    let st = c.status();
    assert_eq!(st["approval_holds"], false);
    c.vi(&["status"])
        .ok()
        .stdout_has("Nội dung báo cáo đã thay đổi sau khi Ban Thường vụ thông qua ngày 04/10/2014");
    // Reopened and approved again, it goes out.
    c.vi(&["reopen", "--reason", "Số hội nghị sửa tay"]).ok();
    c.vi(&args).ok();
    c.export(&usb);
}

#[test]
fn a_package_marked_final_without_an_approval_is_refused() {
    let tmp = temp_dir();
    let dir = tmp.path();
    let c = commune(dir, "27112", "Xã Tân Phú");
    c.fill(figures(12, 1204, 1250));
    let p = c.export(&dir.join("usb"));
    let d = district(dir);
    d.vi(&["children", "add", "27112", "Xã Tân Phú"]).ok();
    let before = d.snapshot();
    let forged = tampered(&p, &dir.join("forged.bcpkg"), |v| {
        v["status"] = json!("final");
        reseal(v);
    });
    d.vi(&["--json", "import", s(&forged)]).fails();
    d.vi(&["import", s(&forged)])
        .fails()
        .stdout_has("gói ghi là bản chính thức nhưng không có thông tin thông qua tập thể");
    c.vi(&["verify", s(&forged)])
        .fails()
        .stdout_has("HỎNG — gói ghi là bản chính thức nhưng không có thông tin thông qua tập thể");
    let no_date = tampered(&p, &dir.join("no-date.bcpkg"), |v| {
        v["status"] = json!("final");
        v["approval"] = json!({"by": "Ban Thường vụ", "on": "31/02/2014"});
        reseal(v);
    });
    c.vi(&["verify", s(&no_date)]).fails().stdout_has(
        "HỎNG — thông tin thông qua tập thể trong gói thiếu tên tập thể hoặc ngày không có thật",
    );
    d.vi(&["import", s(&no_date)]).fails();
    assert_eq!(d.snapshot(), before);
}

#[test]
fn invalid_fields_block_finalize() {
    let tmp = temp_dir();
    let c = commune(tmp.path(), "27112", "Xã Tân Phú");
    // The UI keeps an invalid entry as typed; put one in the file as it would.
    let mut r = c.json();
    r["answers"]["A.I.1"] = json!({"so_hoi_nghi": "mười hai"});
    fs::write(
        &c.report,
        serde_json::to_vec_pretty(&baocao::store::seal(r)).unwrap(),
    )
    .unwrap();
    let before = c.bytes();
    c.vi(&[
        "finalize",
        "--approved-by",
        "Ban Thường vụ",
        "--approved-on",
        "14/10/2014",
    ])
    .fails()
    .stderr_has("Chưa thể chốt: còn 1 trường sai, ví dụ A.I.1 / so_hoi_nghi:");
    c.en(&[
        "finalize",
        "--approved-by",
        "Ban Thường vụ",
        "--approved-on",
        "14/10/2014",
    ])
    .fails()
    .stderr_has("Cannot finalise yet: 1 invalid fields, e.g. A.I.1 / so_hoi_nghi:");
    assert_eq!(c.bytes(), before);
    assert_eq!(c.status()["status"], "draft");
}

// ------------------------------------------------------------- verify

#[test]
fn verify_a_good_package() {
    let tmp = temp_dir();
    let c = commune(tmp.path(), "27112", "Xã Tân Phú");
    c.fill(figures(12, 1204, 1250));
    let p = c.export(&tmp.path().join("usb"));
    let pct = read_json(&p)["complete_percent"].as_u64().unwrap();
    let nobody = U {
        report: tmp.path().join("khong-co.json"),
    };
    nobody.vi(&["verify", s(&p)]).ok().stdout_has(&format!(
        "ĐÚNG — Xã Tân Phú (27112), lần gửi 1, dự thảo, hoàn thành {pct}%"
    ));
    nobody.en(&["verify", s(&p)]).ok().stdout_has(&format!(
        "OK — Xã Tân Phú (27112), revision 1, draft, complete {pct}%"
    ));
}

#[test]
fn verify_tells_every_bad_file_and_why() {
    let tmp = temp_dir();
    let dir = tmp.path();
    let c = commune(dir, "27112", "Xã Tân Phú");
    c.fill(figures(12, 1204, 1250));
    let good = c.export(&dir.join("usb"));
    let nobody = U {
        report: dir.join("khong-co.json"),
    };

    // A number changed after export, the checksum kept.
    let changed = tampered(&good, &dir.join("sua.bcpkg"), |v| {
        v["answers"]["A.I.1"]["dang_vien_tham_gia"] = json!(1250)
    });
    nobody
        .vi(&["verify", s(&changed)])
        .fails()
        .stdout_has("sua.bcpkg: HỎNG — mã kiểm tra (checksum) không khớp: gói của Xã Tân Phú (27112) đã bị sửa hoặc hỏng sau khi xuất")
        .stderr_has("Lỗi: 1 tệp không dùng được (xem lý do ở trên).");
    nobody
        .en(&["verify", s(&changed)])
        .fails()
        .stdout_has("BAD — the checksum does not match: the package of Xã Tân Phú (27112) was changed or damaged after export")
        .stderr_has("Error: 1 files are not usable (reasons above).");

    // Truncated (a copy that did not finish).
    let bytes = fs::read(&good).unwrap();
    let cut = dir.join("cut.bcpkg");
    fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    nobody
        .vi(&["verify", s(&cut)])
        .fails()
        .stdout_has("cut.bcpkg: HỎNG — tệp bị cắt cụt (chép chưa xong?)");

    // JSON, but not a package.
    let other = dir.join("khac.bcpkg");
    fs::write(&other, r#"{"hello": "world"}"#).unwrap();
    nobody
        .vi(&["verify", s(&other)])
        .fails()
        .stdout_has("khac.bcpkg: HỎNG — không phải gói báo cáo của baocao");

    // A package for another outline (its own checksum is right).
    let outline = other_outline(dir);
    let x = init(
        dir,
        "xa-v2.json",
        &[
            "--type",
            "xa",
            "--code",
            "27118",
            "--name",
            "Xã Phú Điền",
            "--parent-code",
            "HU01",
            "--outline",
            s(&outline),
        ],
    );
    let v2 = x.export(&dir.join("usb"));
    nobody
        .vi(&["verify", s(&v2)])
        .fails()
        .stdout_has("KHÁC ĐỀ CƯƠNG — gói theo đề cương kl62-so-ket-2014 phiên bản 3, không phải kl62-so-ket-2014 phiên bản 2");
    // Held to that outline, it is fine.
    nobody
        .vi(&["--outline", s(&outline), "verify", s(&v2)])
        .ok()
        .stdout_has("ĐÚNG — Xã Phú Điền (27118)");

    // Several files: each reported, non-zero when any is bad.
    let o = nobody.vi(&["verify", s(&good), s(&changed), s(&cut), s(&other), s(&v2)]);
    o.fails()
        .stderr_has("Lỗi: 4 tệp không dùng được (xem lý do ở trên).");
    assert_eq!(o.stdout.lines().count(), 5, "{o:#?}");
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert!(lines[0].contains("ĐÚNG") && lines[0].contains("r1-du-thao.bcpkg"));
    assert!(lines[1].contains("sua.bcpkg: HỎNG"));
    assert!(lines[2].contains("cut.bcpkg: HỎNG"));
    assert!(lines[3].contains("khac.bcpkg: HỎNG"));
    assert!(lines[4].contains("KHÁC ĐỀ CƯƠNG"));
    // Only good files: exit 0.
    nobody.vi(&["verify", s(&good), s(&good)]).ok();
}

// ----------------------------------------------------------- children

#[test]
fn children_add_defaults_the_type_and_parses_deadlines() {
    let tmp = temp_dir();
    let d = district(tmp.path());
    d.vi(&["children", "add", "27112", "Xã Tân Phú"])
        .ok()
        .stdout_has("Đã thêm Xã Tân Phú (27112).");
    d.vi(&[
        "children",
        "add",
        "27115",
        "Xã Phú Lâm",
        "--deadline",
        "5/10/2014",
    ])
    .ok();
    let list = d.vi(&["children", "list", "--json"]);
    list.ok();
    let list = list.json();
    assert_eq!(list.as_array().unwrap().len(), 2);
    let by = |code: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == code)
            .unwrap()
            .clone()
    };
    assert_eq!(by("27112")["type"], "xa");
    // The plan leaves communes' deadline to the district.
    assert_eq!(by("27112")["deadline"], Value::Null);
    assert_eq!(by("27112")["state"], "missing");
    assert_eq!(by("27115")["deadline"], "05/10/2014");

    // A bad date is refused and the list is unchanged.
    let before = d.bytes();
    d.vi(&[
        "children",
        "add",
        "27118",
        "Xã Phú Điền",
        "--deadline",
        "31/09/2014",
    ])
    .fails()
    .stderr_has("Hạn nộp: Ngày không có thật: 31/09/2014");
    d.en(&[
        "children",
        "add",
        "27118",
        "Xã Phú Điền",
        "--deadline",
        "soon",
    ])
    .fails()
    .stderr_has("Error: Deadline:");
    // The unit's own code, a type that does not report here, no name.
    d.vi(&["children", "add", "HU01", "Huyện ủy"])
        .fails()
        .stderr_has("Mã HU01 là mã của chính đơn vị này.");
    d.vi(&["children", "add", "HU02", "Huyện khác", "--type", "huyen"])
        .fails()
        .stderr_has("Loại \"huyen\" không báo cáo lên huyen. Các loại báo cáo lên đây: xa.");
    d.vi(&["children", "add", "27118", "  "])
        .fails()
        .stderr_has("Chưa có tên đơn vị.");
    assert_eq!(d.bytes(), before);

    // Adding again updates the name and deadline, no duplicate.
    d.vi(&[
        "children",
        "add",
        "27112",
        "Xã Tân Phú (mới)",
        "--deadline",
        "10/10/2014",
    ])
    .ok();
    let list = d.vi(&["children", "list", "--json"]).json();
    assert_eq!(list.as_array().unwrap().len(), 2);
    let text = d.vi(&["children", "list"]);
    text.ok()
        .stdout_has("Đơn vị đã nộp: 0/2")
        .stdout_has("Xã Tân Phú (mới)")
        .stdout_has("chưa nộp")
        .stdout_has("hạn chậm nhất ngày 10/10/2014");
}

#[test]
fn children_at_a_province_need_a_type_from_the_plan() {
    let tmp = temp_dir();
    let p = province(tmp.path(), "tinh.json");
    let before = p.bytes();
    p.vi(&["children", "add", "HU01", "Huyện ủy Tân Phú"])
        .fails()
        .stderr_has("Cần --type, một trong: huyen, khoi, mttq, ban, llvt.");
    p.en(&["children", "add", "HU01", "Huyện ủy Tân Phú"])
        .fails()
        .stderr_has("--type is needed, one of: huyen, khoi, mttq, ban, llvt.");
    p.vi(&["children", "add", "27112", "Xã Tân Phú", "--type", "xa"])
        .fails()
        .stderr_has(
            "Loại \"xa\" không báo cáo lên tinh. Các loại báo cáo lên đây: huyen, khoi, mttq, ban, llvt.",
        );
    p.vi(&["children", "add", "X", "Y", "--type", "phuong"])
        .fails()
        .stderr_has("Loại \"phuong\" không báo cáo lên tinh.");
    assert_eq!(p.bytes(), before);

    p.vi(&[
        "children",
        "add",
        "HU01",
        "Huyện ủy Tân Phú",
        "--type",
        "huyen",
    ])
    .ok();
    p.vi(&[
        "children",
        "add",
        "MT01",
        "Ủy ban MTTQ tỉnh",
        "--type",
        "mttq",
    ])
    .ok();
    let list = p.vi(&["children", "list", "--json"]).json();
    let by = |code: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == code)
            .unwrap()
            .clone()
    };
    // Deadlines come from the plan by unit type.
    assert_eq!(by("HU01")["deadline"], "20/10/2014");
    assert_eq!(by("MT01")["deadline"], "10/10/2014");
    assert_eq!(by("MT01")["type"], "mttq");

    // A commune has nobody reporting to it.
    let c = commune(tmp.path(), "27112", "Xã Tân Phú");
    c.vi(&["children", "add", "T1", "Thôn 1"])
        .fails()
        .stderr_has("Theo kế hoạch, không loại đơn vị nào báo cáo lên loại \"xa\".");
    // An empty list says how to add.
    let d = district(tmp.path());
    d.vi(&["children", "list"])
        .ok()
        .stdout_has("Chưa có đơn vị nào. Thêm bằng: baocao children add MÃ TÊN");
    assert_eq!(d.vi(&["children", "list", "--json"]).json(), json!([]));
}

#[test]
fn children_import_reads_excel_csv_and_refuses_a_bad_file_whole() {
    let tmp = temp_dir();
    let d = district(tmp.path());
    // As Excel saves it: a BOM, a header row, CRLF, a quoted name with a
    // comma, optional type and deadline.
    let csv = tmp.path().join("xa.csv");
    fs::write(
        &csv,
        "\u{feff}Mã đơn vị,Tên,Loại,Hạn nộp\r\n27112,Xã Tân Phú,xa,15/10/2014\r\n27115,\"Thị trấn Tân Phú, huyện Tân Phú\",,\r\n27118,  Xã Phú Điền  \r\n",
    )
    .unwrap();
    d.vi(&["children", "import", s(&csv)])
        .ok()
        .stdout_has("Đã thêm 3 đơn vị từ");
    let list = d.vi(&["children", "list", "--json"]).json();
    let names: BTreeMap<String, (String, Value)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["code"].as_str().unwrap().to_string(),
                (
                    c["name"].as_str().unwrap().to_string(),
                    c["deadline"].clone(),
                ),
            )
        })
        .collect();
    assert_eq!(names.len(), 3, "the header is not a unit: {list:#}");
    assert_eq!(
        names["27112"],
        ("Xã Tân Phú".to_string(), json!("15/10/2014"))
    );
    assert_eq!(names["27115"].0, "Thị trấn Tân Phú, huyện Tân Phú");
    assert_eq!(names["27118"].0, "Xã Phú Điền");
    assert!(list.as_array().unwrap().iter().all(|c| c["type"] == "xa"));

    // A bad row (after a blank line) refuses the whole file, naming its
    // line; nothing of the file is added.
    let before = d.bytes();
    let bad = tmp.path().join("bad.csv");
    fs::write(
        &bad,
        "code,name,type,deadline\n27121,Xã Nam Cát Tiên,xa,\n\n27124,Xã Phú Thịnh,xa,31/02/2014\n",
    )
    .unwrap();
    d.vi(&["children", "import", s(&bad)])
        .fails()
        .stderr_has("bad.csv, dòng 4: Hạn nộp: Ngày không có thật: 31/02/2014");
    let wrong_type = tmp.path().join("type.csv");
    fs::write(&wrong_type, "27121,Xã Nam Cát Tiên\n27124,Huyện X,huyen\n").unwrap();
    d.en(&["children", "import", s(&wrong_type)])
        .fails()
        .stderr_has("type.csv, line 2: Type \"huyen\" does not report to huyen.");
    let short = tmp.path().join("short.csv");
    fs::write(&short, "27121,Xã Nam Cát Tiên\n27124\n").unwrap();
    d.vi(&["children", "import", s(&short)])
        .fails()
        .stderr_has("short.csv, dòng 2: cần ít nhất mã và tên");
    d.vi(&["children", "import", s(&tmp.path().join("khong-co.csv"))])
        .fails();
    assert_eq!(d.bytes(), before);
    assert_eq!(d.vi(&["children", "list", "--json"]).json(), list);
}

#[test]
fn children_import_reads_semicolons_and_windows_1258_as_excel_saves_them() {
    let tmp = temp_dir();
    let d = district(tmp.path());
    let names = |d: &U| -> BTreeMap<String, String> {
        d.vi(&["children", "list", "--json"])
            .json()
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["code"].as_str().unwrap().to_string(),
                    c["name"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    // Excel on a Vietnamese Windows, "CSV UTF-8": `;`, a BOM, CRLF; a
    // name with commas stays whole.
    let excel = tmp.path().join("excel.csv");
    fs::write(
        &excel,
        "\u{feff}Mã đơn vị;Tên;Loại;Hạn nộp\r\n27112;Xã Phú Vinh, huyện Tánh Linh;xa;15/10/2014\r\n27115;Thị trấn Đức Tài;;\r\n",
    )
    .unwrap();
    d.vi(&["children", "import", s(&excel)])
        .ok()
        .stdout_has("Đã thêm 2 đơn vị từ");
    assert_eq!(
        names(&d),
        BTreeMap::from([
            ("27112".into(), "Xã Phú Vinh, huyện Tánh Linh".into()),
            ("27115".into(), "Thị trấn Đức Tài".into()),
        ])
    );
    // Plain "CSV" on the same Windows: code page 1258, detected, and
    // stored composed (NFC) like everything typed.
    let fresh = |name: &str| {
        let dir = tmp.path().join(name);
        fs::create_dir(&dir).unwrap();
        district(&dir)
    };
    let d = fresh("b");
    let legacy = tmp.path().join("cp1258.csv");
    fs::write(
        &legacy,
        windows_1258("ma;ten\r\n27118;Xã Phú Vinh\r\n27121;Thị trấn Đức Tài, Đức Linh\r\n"),
    )
    .unwrap();
    d.vi(&["children", "import", s(&legacy)])
        .ok()
        .stdout_has("Đã thêm 2 đơn vị từ");
    let want = BTreeMap::from([
        ("27118".to_string(), "Xã Phú Vinh".to_string()),
        (
            "27121".to_string(),
            "Thị trấn Đức Tài, Đức Linh".to_string(),
        ),
    ]);
    assert_eq!(names(&d), want);
    // Chosen rather than detected: the same.
    let d = fresh("c");
    d.vi(&[
        "children",
        "import",
        s(&legacy),
        "--encoding",
        "windows-1258",
    ])
    .ok();
    assert_eq!(names(&d), want);

    // Told UTF-8, the Windows-1258 file is refused at its first bad line;
    // an encoding we do not know is refused before anything is read; the
    // report is as it was.
    let before = d.bytes();
    d.vi(&["children", "import", s(&legacy), "--encoding", "utf-8"])
        .fails()
        .stderr_has("cp1258.csv, dòng 2: tệp không phải bảng mã UTF-8")
        .stderr_has("--encoding windows-1258");
    d.vi(&[
        "--json",
        "children",
        "import",
        s(&legacy),
        "--encoding",
        "utf-8",
    ])
    .fails_with("children.not_utf8");
    d.vi(&["children", "import", s(&legacy), "--encoding", "latin1"])
        .fails()
        .stderr_has(
            "Không biết bảng mã \"latin1\". Dùng --encoding utf-8 hoặc --encoding windows-1258",
        );
    d.en(&["children", "import", s(&legacy), "--encoding", "latin1"])
        .fails()
        .stderr_has("Unknown encoding \"latin1\". Use --encoding utf-8 or --encoding windows-1258");
    d.en(&[
        "--json",
        "children",
        "import",
        s(&legacy),
        "--encoding",
        "tcvn3",
    ])
    .fails_with("workspace.unknown_list_encoding");
    assert_eq!(d.bytes(), before);
    assert_eq!(names(&d), want);
}

// ------------------------------------------------------------- import

/// A district HU01 expecting 27112 and 27115, with 27112's first package
/// already imported; the communes' reports and a USB folder.
struct Rig {
    tmp: tempfile::TempDir,
    d: U,
    c1: U,
    c2: U,
    c1_r1: PathBuf,
}

impl Rig {
    fn new() -> Rig {
        let tmp = temp_dir();
        let dir = tmp.path();
        let d = district(dir);
        d.vi(&["children", "add", "27112", "Xã Tân Phú"]).ok();
        d.vi(&["children", "add", "27115", "Xã Phú Lâm"]).ok();
        let c1 = commune(dir, "27112", "Xã Tân Phú");
        c1.fill(figures(12, 1204, 1250));
        let c2 = commune(dir, "27115", "Xã Phú Lâm");
        c2.fill(figures(7, 2600, 2823));
        let c1_r1 = c1.export(&dir.join("usb"));
        d.vi(&["import", s(&c1_r1)])
            .ok()
            .stdout_has("Nhận gói của Xã Tân Phú (27112, lần gửi 1, dự thảo).");
        Rig {
            tmp,
            d,
            c1,
            c2,
            c1_r1,
        }
    }
    fn dir(&self) -> &Path {
        self.tmp.path()
    }
    fn usb(&self) -> PathBuf {
        self.dir().join("usb")
    }
    /// Imports `file`; it must be refused with `message` (Vietnamese),
    /// exit non-zero, and leave everything imported as it was.
    #[track_caller]
    fn refused(&self, file: &Path, message: &str) -> Out {
        let before = self.d.snapshot();
        let o = self.d.vi(&["import", s(file)]);
        o.fails()
            .stdout_has(message)
            .stderr_has("Lỗi: 1 tệp bị từ chối (xem lý do ở trên); các tệp khác đã được nhận.");
        assert_eq!(
            self.d.snapshot(),
            before,
            "a refused import changed nothing"
        );
        o
    }
}

#[test]
fn import_first_package_is_taken_and_archived_byte_for_byte() {
    let rig = Rig::new();
    let r = rig.d.received("27112").expect("received");
    assert_eq!(r["revision"], 1);
    assert_eq!(r["status"], "draft");
    assert_eq!(
        r["checksum"],
        read_json(&rig.c1_r1)["checksum"],
        "the package's own checksum is recorded"
    );
    assert_eq!(
        rig.d.archived_bytes(&r),
        fs::read(&rig.c1_r1).unwrap(),
        "the original bytes are archived"
    );
    // The district's figures are the commune's now.
    let st = rig.d.status();
    let child = st["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "27112")
        .unwrap()
        .clone();
    assert_eq!(child["state"], "received");
    assert_eq!(child["revision"], 1);
    assert_schema_valid(
        "report.schema.json",
        &rig.d.json(),
        "the district report after import",
    );
    // English, on a fresh district.
    let d2 = init(
        rig.dir(),
        "huyen2.json",
        &[
            "--type",
            "huyen",
            "--code",
            "HU01",
            "--name",
            "Huyện ủy Tân Phú",
        ],
    );
    d2.en(&["import", s(&rig.c1_r1)])
        .ok()
        .stdout_has("Held the package of Xã Tân Phú (27112, revision 1, draft) awaiting confirmation: this unit is not on the list of units reporting here, so it is counted in no figure.")
        .stdout_has("The merged report is now");
}

#[test]
fn import_the_same_package_again_changes_nothing() {
    let rig = Rig::new();
    let before = rig.d.snapshot();
    rig.d.vi(&["import", s(&rig.c1_r1)]).ok().stdout_has(
        "Gói của Xã Tân Phú (27112, lần gửi 1, dự thảo) đã nhận rồi; không thay đổi gì.",
    );
    // The same bytes under another name (copied twice from the stick).
    let copy = rig.dir().join("ban-sao.bcpkg");
    fs::copy(&rig.c1_r1, &copy).unwrap();
    rig.d.en(&["import", s(&copy)]).ok().stdout_has(
        "The package of Xã Tân Phú (27112, revision 1, draft) was already taken; nothing changed.",
    );
    assert_eq!(rig.d.snapshot(), before);
}

#[test]
fn import_a_newer_revision_replaces_the_older() {
    let rig = Rig::new();
    let c2_r1 = rig.c2.export(&rig.usb());
    rig.d.vi(&["import", s(&c2_r1)]).ok();
    let c2_before = rig.d.received("27115").unwrap();
    let archived_before = rig.d.archived();

    rig.c1.fill(json!({"A.I.1": {"so_hoi_nghi": 15}}));
    let r2 = rig.c1.export(&rig.usb());
    rig.d
        .vi(&["import", s(&r2)])
        .ok()
        .stdout_has("Nhận gói của Xã Tân Phú (27112, lần gửi 2, dự thảo), thay cho lần gửi 1.");
    let r = rig.d.received("27112").unwrap();
    assert_eq!(r["revision"], 2);
    assert_eq!(r["checksum"], read_json(&r2)["checksum"]);
    // The other commune is untouched. The revision replaced took a third
    // of the archive file: it was compacted, and holds exactly the
    // packages listed, byte for byte.
    assert_eq!(rig.d.received("27115").unwrap(), c2_before);
    let archived = rig.d.archived();
    let c2_sum = c2_before["checksum"].as_str().unwrap();
    assert_eq!(archived.get(c2_sum), archived_before.get(c2_sum));
    assert_eq!(
        archived.keys().collect::<Vec<_>>().len(),
        2,
        "the replaced revision is gone: {:?}",
        archived.keys()
    );
    assert_eq!(
        archived[r["checksum"].as_str().unwrap()],
        fs::read(&r2).unwrap()
    );
    // The figures follow the new revision: 15 + 7.
    let csv = rig.d.vi(&["render", "--format", "csv", "--out", "-"]);
    csv.ok()
        .stdout_has("HU01,Huyện ủy Tân Phú,A.I.1,so_hoi_nghi,22,");
    rig.d
        .en(&["import", s(&rig.c1.export(&rig.dir().join("again")))])
        .ok()
        .stdout_has("was already taken; nothing changed.");
}

#[test]
fn import_an_older_revision_is_refused() {
    let rig = Rig::new();
    rig.c1.fill(json!({"A.I.1": {"so_hoi_nghi": 15}}));
    let r2 = rig.c1.export(&rig.usb());
    rig.d.vi(&["import", s(&r2)]).ok();
    rig.refused(
        &rig.c1_r1,
        "Từ chối gói của Xã Tân Phú (27112, lần gửi 1, dự thảo): đã có lần gửi 2 mới hơn.",
    );
    rig.d
        .en(&["import", s(&rig.c1_r1)])
        .fails()
        .stdout_has("Refused the package of Xã Tân Phú (27112, revision 1, draft): revision 2, which is newer, is already here.");
    assert_eq!(rig.d.received("27112").unwrap()["revision"], 2);
}

#[test]
fn import_a_different_package_with_the_same_revision_is_refused() {
    let rig = Rig::new();
    // The commune's report copied to a second PC after revision 1; both
    // change it and export: two different revision-2 packages.
    let pc2 = U {
        report: rig.dir().join("xa-27112-may2.json"),
    };
    fs::copy(&rig.c1.report, &pc2.report).unwrap();
    // With its key: the same unit, signing the same way.
    let key = baocao::store::key::key_path;
    fs::copy(key(&rig.c1.report), key(&pc2.report)).unwrap();
    rig.c1.fill(json!({"A.I.1": {"so_hoi_nghi": 15}}));
    let a = rig.c1.export(&rig.usb());
    pc2.fill(json!({"A.I.1": {"so_hoi_nghi": 16}}));
    let b = pc2.export(&rig.dir().join("may2"));
    assert_eq!(file_name(&a), file_name(&b));
    assert_ne!(fs::read(&a).unwrap(), fs::read(&b).unwrap());
    rig.d.vi(&["import", s(&a)]).ok();
    rig.refused(
        &b,
        "Từ chối gói của Xã Tân Phú (27112, lần gửi 2, dự thảo): đã nhận một gói khác cùng lần gửi 2 với nội dung khác. Hãy đề nghị đơn vị xuất lại gói mới.",
    );
    rig.d
        .en(&["import", s(&b)])
        .fails()
        .stdout_has("a different package with the same revision 2 is already here. Ask the unit to export again.");
    assert_eq!(
        rig.d.received("27112").unwrap()["checksum"],
        read_json(&a)["checksum"]
    );
}

#[test]
fn import_a_package_with_a_bad_checksum_is_refused() {
    let rig = Rig::new();
    rig.c1.fill(json!({"A.I.1": {"so_hoi_nghi": 15}}));
    let r2 = rig.c1.export(&rig.usb());
    let bad = tampered(&r2, &rig.dir().join("sua.bcpkg"), |v| {
        v["answers"]["A.I.1"]["so_hoi_nghi"] = json!(150)
    });
    let o = rig.refused(&bad, "mã kiểm tra (checksum) không khớp: gói của Xã Tân Phú (27112) đã bị sửa hoặc hỏng sau khi xuất.");
    assert!(
        o.stdout.contains(&format!("Từ chối {}:", bad.display())),
        "{o:#?}"
    );
    // A checksum that is not even well-formed.
    let worse = tampered(&r2, &rig.dir().join("sua2.bcpkg"), |v| {
        v["checksum"] = json!("sha256:00")
    });
    rig.refused(&worse, "mã kiểm tra (checksum) không khớp");
    // The same package untouched goes in.
    rig.d.vi(&["import", s(&r2)]).ok();
}

#[test]
fn import_a_package_for_another_outline_is_refused() {
    let rig = Rig::new();
    let outline = other_outline(rig.dir());
    let x = init(
        rig.dir(),
        "xa-v2.json",
        &[
            "--type",
            "xa",
            "--code",
            "27115",
            "--name",
            "Xã Phú Lâm",
            "--parent-code",
            "HU01",
            "--outline",
            s(&outline),
        ],
    );
    let p = x.export(&rig.usb());
    rig.refused(
        &p,
        "Từ chối gói của Xã Phú Lâm (27115, lần gửi 1, dự thảo): gói theo đề cương khác (đề cương kl62-so-ket-2014 phiên bản 3, không phải kl62-so-ket-2014 phiên bản 2).",
    );
    rig.d
        .en(&["import", s(&p)])
        .fails()
        .stdout_has("it answers another outline (outline kl62-so-ket-2014 version 3, not kl62-so-ket-2014 version 2).");
}

#[test]
fn import_a_package_for_another_parent_is_refused() {
    let rig = Rig::new();
    let x = commune_of(rig.dir(), "27199", "Xã Khác", "HU02");
    let p = x.export(&rig.usb());
    rig.refused(
        &p,
        "Từ chối gói của Xã Khác (27199, lần gửi 1, dự thảo): gói gửi cho đơn vị cấp trên khác (HU02).",
    );
    rig.d
        .en(&["import", s(&p)])
        .fails()
        .stdout_has("it is addressed to another parent unit (HU02).");
}

#[test]
fn import_a_unit_type_that_does_not_report_here_is_refused() {
    let rig = Rig::new();
    // A district package addressed to this district.
    let h = init(
        rig.dir(),
        "huyen-khac.json",
        &[
            "--type",
            "huyen",
            "--code",
            "HU02",
            "--name",
            "Huyện ủy Định Quán",
            "--parent-code",
            "HU01",
        ],
    );
    let p = h.export(&rig.usb());
    rig.refused(
        &p,
        "Từ chối gói của Huyện ủy Định Quán (HU02, lần gửi 1, dự thảo): loại đơn vị \"huyen\" không báo cáo lên đơn vị này.",
    );
    // The province's own package (no parent at all).
    let t = province(rig.dir(), "tinh.json");
    let p = t.export(&rig.usb());
    rig.refused(&p, "loại đơn vị \"tinh\" không báo cáo lên đơn vị này.");
    rig.d
        .en(&["import", s(&p)])
        .fails()
        .stdout_has("unit type \"tinh\" does not report to this unit.");
}

#[test]
fn import_the_unit_s_own_package_is_refused() {
    let rig = Rig::new();
    let own = rig.d.export(&rig.dir().join("gui"));
    rig.refused(
        &own,
        "Từ chối gói của Huyện ủy Tân Phú (HU01, lần gửi 1, dự thảo): đây là gói của chính đơn vị này.",
    );
    rig.d
        .en(&["import", s(&own)])
        .fails()
        .stdout_has("it is this unit's own package.");
}

#[test]
fn an_unexpected_unit_waits_uncounted_until_accepted() {
    let rig = Rig::new();
    let x = commune(rig.dir(), "27199", "Xã Ngoài Danh Sách");
    x.fill(figures(26, 10, 20));
    let p = x.export(&rig.usb());
    let c1_before = rig.d.received("27112").unwrap();
    let before = meetings(&rig);
    rig.d
        .vi(&["import", s(&p)])
        .ok()
        .stdout_has("Giữ gói của Xã Ngoài Danh Sách (27199, lần gửi 1, dự thảo) chờ xác nhận: đơn vị này chưa có trong danh sách đơn vị báo cáo về đây, nên chưa được tính vào số liệu nào.")
        .stdout_has("baocao children accept 27199");
    assert_eq!(rig.d.received("27112").unwrap(), c1_before);
    // Kept and listed as pending, counted nowhere: not in the figures,
    // not embedded in the package sent upward.
    assert_eq!(meetings(&rig), before, "a pending unit adds nothing");
    let added = rig.d.json()["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "27199")
        .cloned()
        .expect("added to the list");
    assert_eq!(added["pending"], true);
    assert_eq!(added["type"], "xa");
    rig.d
        .vi(&["status"])
        .ok()
        .stdout_has("chờ xác nhận")
        .stdout_has("Chờ xác nhận (chưa tính vào số liệu): 1");
    let st = rig.d.status();
    let c = st["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "27199")
        .unwrap()
        .clone();
    assert_eq!(c["state"], "pending");
    let up = rig.d.export(&rig.dir().join("len"));
    let embedded: Vec<Value> = read_json(&up)["children"].as_array().unwrap().clone();
    assert!(embedded.iter().all(|c| c["unit"]["code"] != "27199"));
    // Accepted: counted from now on, and it says so.
    rig.d
        .vi(&["children", "accept", "27199"])
        .ok()
        .stdout_has("Đã nhận Xã Ngoài Danh Sách (27199) vào danh sách; gói của đơn vị được tính vào số liệu từ bây giờ.");
    assert_eq!(
        meetings(&rig).as_i64().unwrap(),
        before.as_i64().unwrap() + 26
    );
    assert_eq!(
        rig.d.status()["children"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["code"] == "27199")
            .unwrap()["state"],
        "received"
    );
    rig.d.vi(&["status"]).ok().stdout_lacks("chờ xác nhận");
    rig.d
        .vi(&["children", "accept", "27199"])
        .ok()
        .stdout_has("đã có trong danh sách");
    rig.d
        .vi(&["--json", "children", "accept", "99999"])
        .fails_with("workspace.not_a_child");
}

#[test]
fn a_unit_and_what_it_sent_can_be_removed_or_forgotten() {
    let rig = Rig::new();
    let c2 = rig.c2.export(&rig.usb());
    rig.d.vi(&["import", s(&c2)]).ok();
    let with_both = meetings(&rig);
    // A forged revision 4294967295 would lock the real unit out …
    // (made with the unit's own key: on its computer, or with its key
    // file copied)
    let key = baocao::store::key::read_key(&rig.c1.report).unwrap();
    let forged = tampered(&rig.c1_r1, &rig.dir().join("gia.bcpkg"), |v| {
        v["revision"] = json!(4_294_967_295u32);
        v.as_object_mut().unwrap().remove("signature");
        *v = baocao::package::sign(v.take(), &key);
    });
    rig.d.vi(&["import", s(&forged)]).ok();
    rig.c1.fill(json!({"A.I.1": {"so_hoi_nghi": 13}}));
    let c1_r2 = rig.c1.export(&rig.usb());
    rig.d
        .vi(&["import", s(&c1_r2)])
        .fails()
        .stdout_has("mới hơn");
    // … until the unit's received revisions are forgotten.
    rig.d
        .vi(&["children", "reset", "27112"])
        .ok()
        .stdout_has("Đã quên lần gửi 4294967295 của Xã Tân Phú (27112)");
    assert!(rig.d.received("27112").is_none());
    rig.d
        .vi(&["import", s(&c1_r2)])
        .ok()
        .stdout_has("Nhận gói của Xã Tân Phú (27112, lần gửi 2");
    // Removed: off the list, its figures gone, the report backed up first.
    let newest = || baocao::store::backup_files(&rig.d.report).pop();
    let before = newest();
    rig.d
        .vi(&["children", "remove", "27115"])
        .ok()
        .stdout_has("Đã bỏ Xã Phú Lâm (27115) khỏi danh sách cùng gói đã nhận (lần gửi 1)");
    let backup = newest().expect("backed up");
    assert_ne!(Some(&backup), before.as_ref(), "a new backup");
    let kept = baocao::store::parse(&fs::read(&backup).unwrap()).unwrap();
    assert!(
        kept.children.iter().any(|c| c.code == "27115"),
        "taken before the removal"
    );
    assert!(rig.d.received("27115").is_none());
    let list = rig.d.vi(&["children", "list", "--json"]).json();
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|c| c["code"] != "27115")
    );
    assert_ne!(meetings(&rig), with_both);
    rig.d
        .en(&["--json", "children", "remove", "27115"])
        .fails_with("workspace.not_a_child");
}

/// The merged number of meetings (A.I.1) as `status --json` gives it.
fn meetings(rig: &Rig) -> Value {
    rig.d.status()["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["item"] == "A.I.1" && f["field"] == "so_hoi_nghi")
        .map_or(Value::Null, |f| f["value"].clone())
}

trait Lacks {
    fn stdout_lacks(&self, needle: &str) -> &Self;
}

impl Lacks for Out {
    #[track_caller]
    fn stdout_lacks(&self, needle: &str) -> &Self {
        assert!(
            !self.stdout.contains(needle),
            "stdout should not have {needle:?}: {self:#?}"
        );
        self
    }
}

#[test]
fn import_a_mix_takes_the_good_ones_and_fails() {
    let rig = Rig::new();
    let c2 = rig.c2.export(&rig.usb());
    let bad = tampered(&c2, &rig.dir().join("sua.bcpkg"), |v| {
        v["answers"]["A.I.1"]["so_hoi_nghi"] = json!(70)
    });
    let junk = rig.dir().join("anh.bcpkg");
    fs::write(&junk, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").unwrap();
    let x = commune(rig.dir(), "27118", "Xã Phú Điền");
    let c3 = x.export(&rig.usb());
    let c1_before = rig.d.received("27112").unwrap();

    let o = rig
        .d
        .vi(&["import", s(&bad), s(&c2), s(&junk), s(&rig.c1_r1), s(&c3)]);
    o.fails()
        .stdout_has("mã kiểm tra (checksum) không khớp")
        .stdout_has("Nhận gói của Xã Phú Lâm (27115, lần gửi 1, dự thảo).")
        .stdout_has("không phải văn bản UTF-8 (tệp hỏng hoặc không phải gói báo cáo)")
        .stdout_has(
            "Gói của Xã Tân Phú (27112, lần gửi 1, dự thảo) đã nhận rồi; không thay đổi gì.",
        )
        .stdout_has("Giữ gói của Xã Phú Điền (27118, lần gửi 1, dự thảo) chờ xác nhận")
        .stderr_has("Lỗi: 2 tệp bị từ chối (xem lý do ở trên); các tệp khác đã được nhận.");
    // One line per file, in the order given, then the total and the
    // completeness.
    let lines: Vec<&str> = o.stdout.lines().collect();
    assert_eq!(lines.len(), 7, "{o:#?}");
    assert!(lines[0].starts_with("Từ chối") && lines[0].contains("sua.bcpkg"));
    assert!(lines[1].starts_with("Nhận gói của Xã Phú Lâm"));
    assert!(lines[2].contains("anh.bcpkg"));
    assert_eq!(
        lines[5],
        "Tổng: Nhận 1, trùng 1, từ chối 2, giữ chờ xác nhận 1."
    );
    assert!(lines[6].starts_with("Tổng hợp hiện hoàn thành"));

    assert_eq!(rig.d.received("27112").unwrap(), c1_before);
    assert_eq!(
        rig.d.received("27115").unwrap()["checksum"],
        read_json(&c2)["checksum"]
    );
    assert!(rig.d.received("27118").is_some());
    // Every imported package's original bytes are in the archive.
    for (code, file) in [("27112", &rig.c1_r1), ("27115", &c2), ("27118", &c3)] {
        let r = rig.d.received(code).unwrap();
        assert_eq!(rig.d.archived_bytes(&r), fs::read(file).unwrap(), "{code}");
    }
    assert_eq!(rig.d.archived().len(), 3, "nothing refused is archived");
}

#[test]
fn import_refuses_damaged_and_hostile_files() {
    let rig = Rig::new();
    let dir = rig.dir();
    let good = fs::read(&rig.c1_r1).unwrap();

    // Truncated.
    let cut = dir.join("cut.bcpkg");
    fs::write(&cut, &good[..good.len() - 40]).unwrap();
    rig.refused(&cut, "tệp bị cắt cụt (chép chưa xong?)");
    // Empty.
    let empty = dir.join("rong.bcpkg");
    fs::write(&empty, b"").unwrap();
    rig.refused(&empty, "tệp bị cắt cụt");
    // Invalid UTF-8.
    let latin = dir.join("latin1.bcpkg");
    let mut bytes = good.clone();
    let at = bytes.windows(3).position(|w| w == "Xã".as_bytes()).unwrap();
    bytes[at + 1] = 0xE3; // "ã" in Latin-1, alone
    bytes.remove(at + 2);
    fs::write(&latin, &bytes).unwrap();
    rig.refused(
        &latin,
        "không phải văn bản UTF-8 (tệp hỏng hoặc không phải gói báo cáo)",
    );
    // JSON that is not a package.
    let report_copy = dir.join("bao-cao.bcpkg");
    fs::copy(&rig.c1.report, &report_copy).unwrap();
    // Told by its content: a report is named as one, refused before any
    // file of the command is taken.
    let before = rig.d.snapshot();
    rig.d
        .vi(&["import", s(&report_copy)])
        .fails()
        .stderr_has("là báo cáo, không phải gói báo cáo hay biên nhận");
    assert_eq!(rig.d.snapshot(), before, "a refused import changed nothing");
    // Deeply nested JSON does not crash the reader.
    let deep = dir.join("sau.bcpkg");
    fs::write(
        &deep,
        format!("{}{}", "[".repeat(200_000), "]".repeat(200_000)),
    )
    .unwrap();
    rig.refused(&deep, "không đọc được JSON ở dòng 1");
    let deep_obj = dir.join("sau2.bcpkg");
    fs::write(
        &deep_obj,
        format!("{}1{}", "{\"a\":".repeat(100_000), "}".repeat(100_000)),
    )
    .unwrap();
    rig.refused(&deep_obj, "không đọc được JSON ở dòng 1");
    // Packages embedded nine deep, every checksum right.
    let mut v = read_json(&rig.c1_r1);
    v["unit"]["code"] = json!("27199");
    reseal(&mut v);
    for level in 1..=8 {
        let code = format!("L{level}");
        let mut outer = v.clone();
        v["unit"]["parent_code"] = json!(code);
        reseal(&mut v);
        outer["unit"]["code"] = json!(code);
        outer["unit"]["parent_code"] = json!("HU01");
        outer["children"] = json!([v]);
        reseal(&mut outer);
        v = outer;
    }
    let nested = dir.join("long.bcpkg");
    fs::write(&nested, serde_json::to_vec(&v).unwrap()).unwrap();
    rig.refused(&nested, "các gói lồng nhau quá sâu");
    // A format from a newer baocao.
    let newer = tampered(&rig.c1_r1, &dir.join("moi.bcpkg"), |v| {
        v["format_version"] = json!(4);
        reseal(v);
    });
    rig.refused(
        &newer,
        "gói được tạo bởi phiên bản baocao mới hơn (định dạng 4); hãy cập nhật baocao",
    );
    // A file that does not exist.
    rig.refused(&dir.join("khong-co.bcpkg"), "khong-co.bcpkg");
}

#[test]
fn import_refuses_a_file_over_the_size_limit_without_reading_it() {
    let rig = Rig::new();
    let big = rig.dir().join("lon.bcpkg");
    let f = fs::File::create(&big).unwrap();
    f.set_len(65 * 1024 * 1024).unwrap();
    drop(f);
    rig.refused(
        &big,
        "tệp quá lớn (65 MB; giới hạn 64 MB), không phải gói báo cáo bình thường",
    );
    rig.d
        .en(&["import", s(&big)])
        .fails()
        .stdout_has("the file is too large (65 MB; the limit is 64 MB)");
    rig.d
        .vi(&["verify", s(&big)])
        .fails()
        .stdout_has("tệp quá lớn (65 MB");
    // A terabyte (sparse): refused at once from its size, never read.
    let huge = rig.dir().join("rat-lon.bcpkg");
    let f = fs::File::create(&huge).unwrap();
    if f.set_len(1 << 40).is_ok() {
        drop(f);
        let started = std::time::Instant::now();
        rig.refused(&huge, "tệp quá lớn (1048576 MB; giới hạn 64 MB)");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "refused without reading"
        );
    }
}

// -------------------------------------------------- status at a parent

#[test]
fn status_at_a_parent_shows_received_late_and_missing() {
    let tmp = temp_dir();
    let dir = tmp.path();
    let d = district(dir);
    // 27112 had until 3 days ago; 27115 has 4 days more; 27118 had until
    // 5 days ago; 27121 has the plan's (none for communes).
    d.vi(&[
        "children",
        "add",
        "27112",
        "Xã Tân Phú",
        "--deadline",
        &date(-3),
    ])
    .ok();
    d.vi(&[
        "children",
        "add",
        "27115",
        "Xã Phú Lâm",
        "--deadline",
        &date(4),
    ])
    .ok();
    d.vi(&[
        "children",
        "add",
        "27118",
        "Xã Phú Điền",
        "--deadline",
        &date(-5),
    ])
    .ok();
    d.vi(&["children", "add", "27121", "Xã Nam Cát Tiên"]).ok();
    let c1 = commune(dir, "27112", "Xã Tân Phú");
    c1.fill(figures(12, 1204, 1250));
    let c4 = commune(dir, "27121", "Xã Nam Cát Tiên");
    c4.vi(&[
        "finalize",
        "--approved-by",
        "Ban Thường vụ",
        "--approved-on",
        "01/10/2014",
        AS_IT_IS[0],
        AS_IT_IS[1],
        AS_IT_IS[2],
    ])
    .ok();
    let p1 = c1.export(&dir.join("usb"));
    let p4 = c4.export(&dir.join("usb"));
    d.vi(&["import", s(&p1), s(&p4)]).ok();

    let st = d.status();
    let children = st["children"].as_array().unwrap();
    assert_eq!(children.len(), 4);
    let by = |code: &str| children.iter().find(|c| c["code"] == code).unwrap().clone();
    let pct1 = read_json(&p1)["complete_percent"].clone();
    let c = by("27112");
    assert_eq!(c["name"], "Xã Tân Phú");
    assert_eq!(c["state"], "late");
    assert_eq!(c["days_late"], 3);
    assert_eq!(c["revision"], 1);
    assert_eq!(c["complete_percent"], pct1);
    assert_eq!(c["status"], "draft");
    let c = by("27115");
    assert_eq!(c["state"], "missing");
    assert_eq!(c["days_late"], 0);
    assert_eq!(c["revision"], Value::Null);
    assert_eq!(c["complete_percent"], Value::Null);
    let c = by("27118");
    assert_eq!(c["state"], "missing");
    assert_eq!(c["days_late"], 5);
    let c = by("27121");
    assert_eq!(c["state"], "received");
    assert_eq!(c["days_late"], 0);
    assert_eq!(c["status"], "final");
    for c in children {
        for key in [
            "code",
            "name",
            "state",
            "days_late",
            "revision",
            "complete_percent",
        ] {
            assert!(c.get(key).is_some(), "{key} in {c}");
        }
    }

    let text = d.vi(&["status"]);
    text.ok().stdout_has("Đơn vị đã nộp: 2/4");
    let line = |code: &str| {
        text.stdout
            .lines()
            .find(|l| l.trim_start().starts_with(code))
            .unwrap_or_else(|| panic!("a line for {code}: {text:#?}"))
            .to_string()
    };
    let l = line("27112");
    assert!(
        l.contains("nộp muộn") && l.contains("lần gửi 1, dự thảo"),
        "{l}"
    );
    assert!(
        l.contains(&format!("— muộn 3 ngày (hạn chậm nhất ngày {})", date(-3))),
        "{l}"
    );
    let l = line("27115");
    assert!(
        l.contains("chưa nộp") && l.contains(&format!("(hạn chậm nhất ngày {})", date(4))),
        "{l}"
    );
    let l = line("27118");
    assert!(l.contains("chưa nộp") && l.contains("muộn 5 ngày"), "{l}");
    let l = line("27121");
    assert!(
        l.contains("đã nhận") && l.contains("lần gửi 1,") && !l.contains("dự thảo"),
        "{l}"
    );
    d.en(&["status"])
        .ok()
        .stdout_has("Units that sent: 2/4")
        .stdout_has("3 days late (deadline");

    // The list says the same.
    let list = d.vi(&["children", "list", "--json"]).json();
    let l1 = list
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == "27112")
        .unwrap()
        .clone();
    assert_eq!(
        (l1["state"].clone(), l1["days_late"].clone()),
        (json!("late"), json!(3))
    );
}

// ------------------------------------------------------------ render

fn csv_rows(text: &str) -> Vec<Vec<String>> {
    text.trim_start_matches('\u{feff}')
        .lines()
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect()
}

#[test]
fn render_csv_has_one_row_per_unit_and_figure() {
    let rig = Rig::new();
    let c2 = rig.c2.export(&rig.usb());
    rig.d.vi(&["import", s(&c2)]).ok();
    let o = rig.d.vi(&["render", "--format", "csv", "--out", "-"]);
    o.ok();
    assert!(o.stdout.starts_with('\u{feff}'), "a BOM for Excel");
    assert!(
        o.stdout.starts_with(
            "\u{feff}unit_code,unit_name,item_id,field_id,value,covers,set_by_hand\r\n"
        ),
        "{:?}",
        &o.stdout[..80]
    );
    let rows = csv_rows(&o.stdout);
    assert!(rows[1..].iter().all(|r| r.len() == 7), "{rows:?}");
    let value = |unit: &str, item: &str, field: &str| -> Option<String> {
        rows.iter()
            .find(|r| r[0] == unit && r[2] == item && r[3] == field)
            .map(|r| r[4].clone())
    };
    // The units: the district itself first, then each child.
    assert_eq!(rows[1][0], "HU01");
    assert_eq!(rows[1][1], "Huyện ủy Tân Phú");
    assert!(rows.iter().any(|r| r[0] == "27112" && r[1] == "Xã Tân Phú"));
    assert!(rows.iter().any(|r| r[0] == "27115" && r[1] == "Xã Phú Lâm"));
    // Hand computed: 1204 + 2600 = 3804 of 1250 + 2823 = 4073 → 93,395… %.
    assert_eq!(
        value("HU01", "A.I.1", "dang_vien_tham_gia").as_deref(),
        Some("3804")
    );
    assert_eq!(
        value("HU01", "A.I.1", "dang_vien_tong_so").as_deref(),
        Some("4073")
    );
    assert_eq!(
        value("HU01", "A.I.1", "dang_vien_ty_le").as_deref(),
        Some("93.4")
    );
    assert_eq!(
        value("27112", "A.I.1", "dang_vien_ty_le").as_deref(),
        Some("96.3")
    );
    assert_eq!(
        value("27115", "A.I.1", "dang_vien_ty_le").as_deref(),
        Some("92.1")
    );
    assert_eq!(
        value("HU01", "A.II.5", "kinh_phi").as_deref(),
        Some("30000019")
    );
    assert_eq!(value("HU01", "A.I.1", "so_hoi_nghi").as_deref(), Some("19"));
    // No rate where the whole is unknown; no text.
    assert_eq!(value("HU01", "A.I.1", "can_bo_ty_le"), None);
    assert_eq!(value("HU01", "A.I.1", "hinh_thuc_quan_triet"), None);
    // Every one of the district's summed figures is the children's sum.
    let outline = baocao::outline::Outline::embedded();
    let mut checked = 0;
    for e in outline.entries() {
        for f in &e.item.fields {
            if f.aggregate != baocao::outline::Aggregate::Sum {
                continue;
            }
            let child = |u: &str| value(u, &e.item.id, &f.id).map(|v| v.parse::<i64>().unwrap());
            let (a, b) = (child("27112"), child("27115"));
            let want = match (a, b) {
                (None, None) => None,
                (a, b) => Some(a.unwrap_or(0) + b.unwrap_or(0)),
            };
            assert_eq!(
                value("HU01", &e.item.id, &f.id).map(|v| v.parse::<i64>().unwrap()),
                want,
                "{} / {}",
                e.item.id,
                f.id
            );
            checked += 1;
        }
    }
    assert!(checked > 10);
    // Plain numbers: no thousands separator, a dot for decimals.
    for r in &rows[1..] {
        assert!(
            r[4].chars().all(|c| c.is_ascii_digit() || c == '.'),
            "{r:?}"
        );
    }

    // --out FILE writes the same bytes and prints the path.
    let file = rig.dir().join("so-lieu.csv");
    rig.d
        .vi(&["render", "--format", "csv", "--out", s(&file)])
        .ok()
        .stdout_has("so-lieu.csv");
    assert_eq!(fs::read_to_string(&file).unwrap(), o.stdout);
}

// ------------------------------------------------------- three levels

#[test]
fn three_levels_communes_district_province() {
    let tmp = temp_dir();
    let dir = tmp.path();
    let usb = dir.join("usb");
    let communes = [
        ("27112", "Xã Tân Phú", 12, 1204, 1250),
        ("27115", "Xã Phú Lâm", 7, 2600, 2823),
        ("27118", "Thị trấn Tân Phú", 9, 45, 100),
    ];
    let mut packages = Vec::new();
    for (code, name, meetings, part, whole) in communes {
        let c = commune(dir, code, name);
        c.fill(figures(meetings, part, whole));
        c.fill(
            json!({"A.I.2": {"van_ban": [{"so_ky_hieu": format!("{code}-NQ/ĐU"),
            "ngay_ban_hanh": "15/03/2010", "co_quan": name, "trich_yeu": "Về quán triệt"}]}}),
        );
        c.vi(&[
            "finalize",
            "--approved-by",
            "Ban Thường vụ Đảng ủy",
            "--approved-on",
            "26/09/2014",
            AS_IT_IS[0],
            AS_IT_IS[1],
            AS_IT_IS[2],
        ])
        .ok();
        packages.push(c.export(&usb));
    }

    // A commune package damaged on the way to the district: refused.
    let d = district(dir);
    let bad = tampered(&packages[0], &dir.join("xa-sua.bcpkg"), |v| {
        v["answers"]["A.I.1"]["dang_vien_tham_gia"] = json!(1250)
    });
    d.vi(&["import", s(&bad)])
        .fails()
        .stdout_has("mã kiểm tra (checksum) không khớp: gói của Xã Tân Phú (27112)");
    assert!(d.json().get("received").is_none());

    // The district takes its three communes and sends upward.
    for (code, name, ..) in communes {
        d.vi(&["children", "add", code, name]).ok();
    }
    let o = d.vi(&["import", s(&packages[0]), s(&packages[1]), s(&packages[2])]);
    o.ok();
    assert_eq!(o.stdout.matches("Nhận gói của").count(), 3);
    d.fill(json!({"A.I.1": {"hinh_thuc_quan_triet": "Huyện ủy tổ chức hội nghị quán triệt"}}));
    let dp = d.export(&dir.join("huyen-gui"));
    assert_eq!(file_name(&dp), "HU01-Huyen-uy-Tan-Phu-r1-du-thao.bcpkg");
    let dv = read_json(&dp);
    assert_schema_valid("package.schema.json", &dv, "the district package");
    // Merged rows carry their unit; no other key outside the columns.
    let mut odd = dv.clone();
    odd["answers"]["A.I.2"]["van_ban"][0]["_khac"] = json!("x");
    assert_schema_invalid("package.schema.json", &odd, "a row with an unknown key");
    // Exported again from the archive, unchanged: the very same package.
    let bytes = fs::read(&dp).unwrap();
    let again = d.export(&dir.join("huyen-gui"));
    assert_eq!(again, dp);
    assert_eq!(fs::read(&again).unwrap(), bytes);
    assert_eq!(dv["checksum"].as_str().unwrap(), package_checksum(&dv));
    // The communes' packages are embedded unchanged, with their checksums.
    let embedded = dv["children"].as_array().unwrap();
    assert_eq!(embedded.len(), 3);
    for p in &packages {
        let original = read_json(p);
        let inside = embedded
            .iter()
            .find(|c| c["unit"]["code"] == original["unit"]["code"])
            .expect("embedded");
        assert_eq!(inside, &original, "embedded unchanged");
        assert_eq!(
            inside["checksum"].as_str().unwrap(),
            package_checksum(inside)
        );
    }
    // District figures: sums, and the rate from the sums.
    assert_eq!(
        dv["answers"]["A.I.1"]["dang_vien_tham_gia"],
        1204 + 2600 + 45
    );
    assert_eq!(
        dv["answers"]["A.I.1"]["dang_vien_tong_so"],
        1250 + 2823 + 100
    );
    assert_eq!(dv["answers"]["A.I.1"]["so_hoi_nghi"], 12 + 7 + 9);
    d.vi(&["verify", s(&dp)])
        .ok()
        .stdout_has("ĐÚNG — Huyện ủy Tân Phú (HU01), lần gửi 1, dự thảo")
        .stdout_has("gồm 3 gói cấp dưới");

    // A provincial bloc committee (its figures add into the totals, as the
    // plan says) sends directly to the province.
    let m = init(
        dir,
        "khoi.json",
        &[
            "--type",
            "khoi",
            "--code",
            "KH01",
            "--name",
            "Đảng ủy Khối các Cơ quan tỉnh",
            "--parent-code",
            "TINH",
        ],
    );
    m.fill(figures(30, 1500, 1600));
    let mp = m.export(&dir.join("khoi-gui"));

    // The province takes the district and the provincial body.
    let p = province(dir, "tinh.json");
    p.vi(&[
        "children",
        "add",
        "HU01",
        "Huyện ủy Tân Phú",
        "--type",
        "huyen",
    ])
    .ok();
    p.vi(&[
        "children",
        "add",
        "KH01",
        "Đảng ủy Khối các Cơ quan tỉnh",
        "--type",
        "khoi",
    ])
    .ok();
    p.vi(&["import", s(&dp), s(&mp)])
        .ok()
        .stdout_has("Nhận gói của Huyện ủy Tân Phú (HU01, lần gửi 1, dự thảo).")
        .stdout_has("Nhận gói của Đảng ủy Khối các Cơ quan tỉnh (KH01, lần gửi 1, dự thảo).");
    assert_schema_valid("report.schema.json", &p.json(), "the province report");

    // End to end, by hand: party members taking part 1204 + 2600 + 45 +
    // 1500 = 5349 of 1250 + 2823 + 100 + 1600 = 5773, so 92,655… % → 92.7.
    // The mean of the four rates (96,3; 92,1; 45; 93,75) would be 81,8.
    let csv = p.vi(&["render", "--format", "csv", "--out", "-"]);
    csv.ok()
        .stdout_has("TINH,Tỉnh ủy,A.I.1,dang_vien_tham_gia,5349,")
        .stdout_has("TINH,Tỉnh ủy,A.I.1,dang_vien_tong_so,5773,")
        .stdout_has("TINH,Tỉnh ủy,A.I.1,dang_vien_ty_le,92.7,")
        .stdout_has("TINH,Tỉnh ủy,A.I.1,so_hoi_nghi,58,")
        .stdout_has("HU01,Huyện ủy Tân Phú,A.I.1,dang_vien_tham_gia,3849,")
        .stdout_has("HU01,Huyện ủy Tân Phú,A.I.1,dang_vien_ty_le,92.2,")
        .stdout_has("KH01,Đảng ủy Khối các Cơ quan tỉnh,A.I.1,dang_vien_ty_le,93.8,");
    let mean: f64 = [
        1204.0 / 1250.0,
        2600.0 / 2823.0,
        45.0 / 100.0,
        1500.0 / 1600.0,
    ]
    .iter()
    .sum::<f64>()
        / 4.0
        * 100.0;
    assert_eq!(format!("{mean:.1}"), "81.8");
    let st = p.status();
    assert_eq!(st["unit"]["code"], "TINH");
    let states: Vec<&str> = st["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["state"].as_str().unwrap())
        .collect();
    assert!(states.iter().all(|s| *s != "missing"), "{st:#}");
    // The communes' rows reach the province tagged with their commune.
    let archived = p.archived();
    assert_eq!(archived.len(), 2);
    let pp = p.export(&dir.join("tinh-gui"));
    assert_eq!(file_name(&pp), "TINH-Tinh-uy-r1-du-thao.bcpkg");
    let pv = read_json(&pp);
    assert_schema_valid("package.schema.json", &pv, "the province package");
    let rows = pv["answers"]["A.I.2"]["van_ban"]
        .as_array()
        .unwrap()
        .clone();
    for (code, name, ..) in communes {
        let r: Vec<&Value> = rows
            .iter()
            .filter(|r| r["so_ky_hieu"] == json!(format!("{code}-NQ/ĐU")))
            .collect();
        assert_eq!(r.len(), 1, "{code}");
        assert_eq!(r[0]["_unit_code"], code);
        assert_eq!(r[0]["_unit_name"], name);
    }
    // The province package embeds the district, which embeds the communes.
    assert_eq!(
        pv["children"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["unit"]["code"] == "HU01")
            .unwrap(),
        &dv
    );
    p.vi(&["verify", s(&pp)])
        .ok()
        .stdout_has("gồm 5 gói cấp dưới");

    // A commune's package tampered INSIDE the district package, the
    // district's outer checksum recomputed: the province refuses it and
    // names the commune whose checksum fails.
    let forged = tampered(&dp, &dir.join("huyen-sua.bcpkg"), |v| {
        v["children"][1]["answers"]["A.I.1"]["dang_vien_tham_gia"] = json!(2823);
        reseal(v);
    });
    let fv = read_json(&forged);
    assert_eq!(
        fv["checksum"].as_str().unwrap(),
        package_checksum(&fv),
        "outer is right"
    );
    assert_ne!(
        fv["children"][1]["checksum"].as_str().unwrap(),
        package_checksum(&fv["children"][1]),
        "inner is not"
    );
    let before = p.snapshot();
    p.vi(&["import", s(&forged)])
        .fails()
        .stdout_has("trong gói con: mã kiểm tra (checksum) không khớp: gói của Xã Phú Lâm (27115) đã bị sửa hoặc hỏng sau khi xuất.")
        .stderr_has("Lỗi: 1 tệp bị từ chối");
    assert_eq!(p.snapshot(), before);
    p.en(&["import", s(&forged)]).fails().stdout_has(
        "in an embedded package: the checksum does not match: the package of Xã Phú Lâm (27115)",
    );
    p.vi(&["verify", s(&forged)]).fails().stdout_has(
        "HỎNG — trong gói con: mã kiểm tra (checksum) không khớp: gói của Xã Phú Lâm (27115)",
    );
    // A fresh province takes nothing from it either.
    let p2 = province(dir, "tinh2.json");
    p2.vi(&["import", s(&forged)]).fails();
    assert!(p2.json().get("received").is_none());
    assert!(p2.archived().is_empty());
}

// --------------------------------------------------------------- demo

#[test]
fn demo_then_import_the_usb_folder() {
    let tmp = temp_dir();
    let dir = tmp.path().join("thu");
    let o = baocao().args(["--lang", "vi", "demo", s(&dir)]).out();
    o.ok()
        .stdout_has("Đã tạo bộ mẫu trong")
        .stdout_has("import");
    let district = U {
        report: dir.join("huyen.json"),
    };
    let files = packages_in(&dir.join("usb"));
    assert_eq!(files.len(), 3);
    let mut args = vec!["import"];
    args.extend(files.iter().map(|p| s(p)));
    let o = district.vi(&args);
    o.ok();
    assert_eq!(o.stdout.matches("Nhận gói của").count(), 3, "{o:#?}");
    let text = district.vi(&["status"]);
    text.ok()
        .stdout_has("Đơn vị đã nộp: 3/4")
        .stdout_has("muộn 2 ngày");
    let st = district.status();
    let children = st["children"].as_array().unwrap();
    let count = |state: &str| children.iter().filter(|c| c["state"] == state).count();
    assert_eq!(
        (count("received"), count("late"), count("missing")),
        (2, 1, 1)
    );
    let late = children.iter().find(|c| c["state"] == "late").unwrap();
    assert_eq!(late["days_late"], 2);
    assert_eq!(late["name"], "Thị trấn Tân Phú");
    // A second demo into the same folder is refused.
    baocao()
        .args(["--lang", "vi", "demo", s(&dir)])
        .out()
        .fails()
        .stderr_has("đã có dữ liệu");
}

// ------------------------------------------------ the format before 2

/// The embedded outline's hash before version 2 (the approval was two
/// fields of its front matter then).
const OUTLINE_V1_HASH: &str = "86e36adbfd3894382cec407f4a3f89f89fa7edd5aa2edc4007ab27ba1e60804c";

/// `r` as the version before 2 wrote it: format 1, the outline's first
/// version, the approval as two front-matter answers.
fn as_version_1(r: &mut Value, by: &str, on: &str) {
    r["format_version"] = json!(1);
    r["outline"] = json!({"id": "kl62-so-ket-2014", "version": "1", "hash": OUTLINE_V1_HASH});
    r["answers"]["front"]["thong_qua_boi"] = json!(by);
    r["answers"]["front"]["thong_qua_ngay"] = json!(on);
    r.as_object_mut().unwrap().remove("approval");
    // Format 1 had no checksum of its own.
    r.as_object_mut().unwrap().remove("checksum");
}

#[test]
fn a_report_of_format_1_opens_with_its_approval_as_a_state() {
    let tmp = temp_dir();
    let dir = tmp.path();
    // A final report: its two fields become its approval.
    let c = commune(dir, "27112", "Xã Tân Phú");
    c.fill(figures(12, 1204, 1250));
    let mut r = c.json();
    r["status"] = json!("final");
    as_version_1(&mut r, "Ban Thường vụ Đảng ủy xã", "26/09/2014");
    fs::write(&c.report, serde_json::to_vec_pretty(&r).unwrap()).unwrap();
    let st = c.status();
    assert_eq!(st["status"], "final");
    assert_eq!(st["approval"]["by"], "Ban Thường vụ Đảng ủy xã");
    assert_eq!(st["approval"]["on"], "26/09/2014");
    assert_eq!(st["approval_holds"], true);
    assert_eq!(st["outline"]["version"], "2");
    // Read-only as any final report, and it goes out as final.
    let answers = dir.join("a.json");
    fs::write(&answers, r#"{"A.I.1": {"so_hoi_nghi": 5}}"#).unwrap();
    c.vi(&["--json", "fill", "--from", s(&answers)])
        .fails_with("approval.approved");
    let p = c.export(&dir.join("usb"));
    assert_eq!(read_json(&p)["approval"]["by"], "Ban Thường vụ Đảng ủy xã");
    let r = c.json();
    assert_eq!(r["format_version"], 2);
    assert!(r["answers"]["front"].get("thong_qua_boi").is_none());
    assert_schema_valid("report.schema.json", &r, "a migrated final report");

    // A draft's two fields were a claim, not an approval: dropped.
    let c = commune(dir, "27115", "Xã Phú Lâm");
    let mut r = c.json();
    as_version_1(&mut r, "Ban Thường vụ", "26/09/2014");
    fs::write(&c.report, serde_json::to_vec_pretty(&r).unwrap()).unwrap();
    let st = c.status();
    assert_eq!(st["status"], "draft");
    assert_eq!(st["approval"], Value::Null);
    c.fill(figures(7, 2600, 2823));
    let r = c.json();
    assert!(
        r["answers"]["front"].get("thong_qua_boi").is_none(),
        "{}",
        r["answers"]
    );
    assert!(r["answers"]["front"].get("thong_qua_ngay").is_none());
    assert!(r.get("approval_history").is_none());
}

#[test]
fn a_package_made_on_the_outline_before_version_2_is_still_taken() {
    let tmp = temp_dir();
    let dir = tmp.path();
    let c = commune(dir, "27112", "Xã Tân Phú");
    c.fill(figures(12, 1204, 1250));
    let p = c.export(&dir.join("usb"));
    let old = tampered(&p, &dir.join("cu.bcpkg"), |v| {
        v["outline"] = json!({"id": "kl62-so-ket-2014", "version": "1", "hash": OUTLINE_V1_HASH});
        v["answers"]["front"] =
            json!({"thong_qua_boi": "Ban Thường vụ", "thong_qua_ngay": "26/09/2014"});
        reseal(v);
    });
    let d = district(dir);
    d.vi(&["children", "add", "27112", "Xã Tân Phú"]).ok();
    d.vi(&["import", s(&old)]).ok().stdout_has("Nhận gói của");
    assert_eq!(d.status()["children"][0]["state"], "received");
    // And the district's package, embedding it, is taken upward.
    let dp = d.export(&dir.join("huyen-gui"));
    let t = province(dir, "tinh.json");
    t.vi(&[
        "children",
        "add",
        "HU01",
        "Huyện ủy Tân Phú",
        "--type",
        "huyen",
    ])
    .ok();
    t.vi(&["import", s(&dp)]).ok();
    // Another outline's package is still refused.
    let other = tampered(&p, &dir.join("khac.bcpkg"), |v| {
        v["outline"]["hash"] = json!("0".repeat(64));
        reseal(v);
    });
    d.vi(&["--json", "import", s(&other)]).fails();
}

#[test]
fn the_top_level_unit_is_not_asked_for_a_superior_body() {
    let tmp = temp_dir();
    let dir = tmp.path();
    let t = province(dir, "tinh.json");
    let d = district(dir);
    // The plan's field cap_tren is optional for "tinh" only.
    let (tinh, huyen) = (t.status(), d.status());
    assert_eq!(
        tinh["required"].as_u64().unwrap() + 1,
        huyen["required"].as_u64().unwrap()
    );
    // 22 of 58 required answers: 37 %, where 22 of 57 would be 38 %.
    d.fill(json!({
        "front": {"cap_tren": "ĐẢNG BỘ TỈNH ĐỒNG NAI", "co_quan": "HUYỆN ỦY TÂN PHÚ", "so_ky_hieu": "45-BC/HU",
                  "dia_danh": "Tân Phú", "ngay": "15/10/2014", "chuc_vu": "PHÓ BÍ THƯ", "nguoi_ky": "Dương Văn An",
                  "noi_nhan": "Ban Thường vụ Tỉnh ủy"},
        "A.I.1": {"hinh_thuc_quan_triet": "Hội nghị", "ty_le_chuyen_bien": "Chuyển biến rõ",
                  "so_hoi_nghi": 3, "can_bo_tham_gia": 9, "can_bo_tong_so": 10, "dang_vien_tham_gia": 90,
                  "dang_vien_tong_so": 100, "doan_vien_tham_gia": 9, "doan_vien_tong_so": 10,
                  "hoi_vien_tham_gia": 9, "hoi_vien_tong_so": 10, "nhan_dan_tham_gia": 9, "nhan_dan_tong_so": 10}
    }));
    assert_eq!(d.status()["answered"], 22);
    assert_eq!(d.status()["complete_percent"], 37);
    // At the province a district's progress is its own, cap_tren counted.
    let p = d.export(&dir.join("usb"));
    t.vi(&[
        "children",
        "add",
        "HU01",
        "Huyện ủy Tân Phú",
        "--type",
        "huyen",
    ])
    .ok();
    t.vi(&["import", s(&p)]).ok();
    assert_eq!(
        t.received("HU01").unwrap()["complete_percent"],
        d.status()["complete_percent"]
    );
}
