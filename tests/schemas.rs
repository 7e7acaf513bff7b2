//! Every shipped and produced file held to its JSON Schema in `schema/`:
//! the outline, reports written by the real binary (and their backups),
//! and a hand-built package example.

mod common;

use common::*;
use serde_json::{Value, json};
use std::fs;

const SHIPPED_OUTLINE: &str = "schema/kl62-so-ket-2014.json";
const PACKAGE_EXAMPLE: &str = "tests/data/package-example.bcpkg";

/// Spoils a good file in one way.
type Breaker = Box<dyn Fn(&mut Value)>;

#[test]
fn the_schemas_are_valid_draft_2020_12() {
    for name in [
        "outline.schema.json",
        "report.schema.json",
        "package.schema.json",
    ] {
        let schema = read_json(&root().join("schema").join(name));
        assert_eq!(
            schema["$schema"], "https://json-schema.org/draft/2020-12/schema",
            "{name}"
        );
        // Building a validator checks the schema against the meta-schema
        // and resolves every $ref (to the other files too).
        validator(name);
    }
}

#[test]
fn the_shipped_outline_matches_the_outline_schema() {
    let outline = read_json(&root().join(SHIPPED_OUTLINE));
    assert_schema_valid("outline.schema.json", &outline, SHIPPED_OUTLINE);
    // The outline as the program writes it back (into outline_definition).
    let written = serde_json::to_value(baocao::outline::Outline::embedded()).unwrap();
    assert_schema_valid(
        "outline.schema.json",
        &written,
        "the embedded outline, serialised",
    );
}

#[test]
fn the_outline_schema_refuses_a_broken_outline() {
    let outline = read_json(&root().join(SHIPPED_OUTLINE));
    let mut bad = outline.clone();
    bad["items"][1]["items"][0]["items"][0]["fields"][2]["kind"] = json!("number");
    assert_schema_invalid("outline.schema.json", &bad, "an unknown field kind");
    let mut bad = outline.clone();
    bad["format"] = json!("baocao-report");
    assert_schema_invalid("outline.schema.json", &bad, "a wrong format marker");
}

/// Every file in the backups folder against the report schema.
fn assert_backups_valid(fx: &Fx) -> usize {
    let backups = fx.backups();
    for b in &backups {
        assert_schema_valid(
            "report.schema.json",
            &read_json(b),
            &b.display().to_string(),
        );
    }
    backups.len()
}

#[test]
fn a_report_written_by_init_matches_the_report_schema() {
    let fx = Fx::commune();
    assert_schema_valid("report.schema.json", &fx.json(), "the report after init");
    // Without the optional parent.
    let fx = Fx::empty();
    fx.vi(&[
        "init",
        "--type",
        "tinh",
        "--code",
        "TU",
        "--name",
        "Tỉnh ủy",
    ])
    .ok();
    let r = fx.json();
    assert!(r["unit"].get("parent_code").is_none());
    assert_schema_valid("report.schema.json", &r, "a province report after init");
}

#[test]
fn a_filled_report_and_every_backup_match_the_report_schema() {
    let fx = Fx::commune();
    fx.fill(
        "vi",
        &json!({
            "front": {"cap_tren": "ĐẢNG BỘ HUYỆN TÂN PHÚ", "co_quan": "ĐẢNG ỦY XÃ TÂN PHÚ", "so_ky_hieu": "25-BC/ĐU",
                      "dia_danh": "Tân Phú", "ngay": "15/10/2014", "chuc_vu": "BÍ THƯ", "nguoi_ky": "Nguyễn Văn An",
                      "noi_nhan": "- Ban Thường vụ Huyện ủy (báo cáo),\n- Lưu Văn phòng Đảng ủy."},
            "A.I.1": {"hinh_thuc_quan_triet": "Hội nghị quán triệt;\ntuyên truyền trên loa ở 8/8 thôn.", "so_hoi_nghi": "1.234",
                      "dang_vien_tham_gia": 1204, "dang_vien_tong_so": "1.250"},
            "A.I.2": {"van_ban": [
                {"so_ky_hieu": "15-CT/ĐU", "ngay_ban_hanh": "5/3/2010", "co_quan": "Đảng ủy xã", "trich_yeu": "Về quán triệt"},
                {"so_ky_hieu": "20-KH/ĐU", "ngay_ban_hanh": "01/06/2011", "co_quan": "Đảng ủy xã", "trich_yeu": "Kế hoạch"}]},
            "A.II.5": {"kinh_phi": "1.250.000 đồng"},
            "C.1": {"noi_dung": "Không có."}
        }),
    )
    .ok();
    let r = fx.json();
    assert_eq!(
        r["answers"]["A.I.2"]["van_ban"][0]["ngay_ban_hanh"],
        "05/03/2010"
    );
    assert_schema_valid("report.schema.json", &r, "the report after fill");
    // More versions: a second fill, a clearing fill, a restore, init --force.
    fx.fill(
        "vi",
        &json!({"A.I.1": {"so_hoi_nghi": 13}, "C.1": {"noi_dung": null}}),
    )
    .ok();
    fx.vi(&["restore"]).ok();
    fx.vi(&[
        "init", "--type", "xa", "--code", CODE, "--name", NAME, "--force",
    ])
    .ok();
    assert_schema_valid(
        "report.schema.json",
        &fx.json(),
        "the report after init --force",
    );
    assert_eq!(assert_backups_valid(&fx), 4);
}

/// The shipped outline with one more item holding the kinds it does not
/// use (decimal, percent, choice, numeric and choice table columns).
fn outline_with_every_kind() -> Value {
    let mut o = read_json(&root().join(SHIPPED_OUTLINE));
    o["id"] = json!("kl62-thu-nghiem");
    o["version"] = json!("1-test");
    o["items"].as_array_mut().unwrap().push(json!({
        "id": "D",
        "number": "D",
        "marker": "D-",
        "title": "Thử nghiệm mọi loại trường",
        "guidance": ["Điền đủ các loại trường."],
        "items": [],
        "fields": [
            {"id": "ghi_chu", "label": "Ghi chú", "kind": "text", "required": true, "aggregate": "collect", "bullet": 0, "multiline": true},
            {"id": "dien_tich", "label": "Diện tích (ha)", "kind": "decimal", "required": true, "aggregate": "sum", "min": 0},
            {"id": "ty_le_ho_ngheo", "label": "Tỷ lệ hộ nghèo", "kind": "percent", "required": true, "aggregate": "none"},
            {"id": "xep_loai", "label": "Xếp loại", "kind": "choice", "required": true, "aggregate": "collect",
             "options": ["Tốt", "Khá", "Trung bình"]},
            {"id": "ngay_hop", "label": "Ngày họp", "kind": "date", "required": true, "aggregate": "none",
             "min": "01/01/2009", "max": "31/12/2014"},
            {"id": "so_ho", "label": "Số hộ", "kind": "integer", "required": true, "aggregate": "sum"},
            {"id": "so_ho_ngheo", "label": "Số hộ nghèo", "kind": "integer", "required": true, "aggregate": "sum"},
            {"id": "ty_le_ngheo", "label": "Tỷ lệ hộ nghèo tính ra", "kind": "ratio", "required": false, "aggregate": "ratio",
             "of": ["so_ho_ngheo", "so_ho"]},
            {"id": "kinh_phi", "label": "Kinh phí (đồng)", "kind": "money", "required": true, "aggregate": "sum"},
            {"id": "mo_hinh", "label": "Mô hình", "kind": "table", "required": true, "aggregate": "concat", "columns": [
                {"id": "ten", "label": "Tên mô hình", "kind": "text", "required": true},
                {"id": "so_thanh_vien", "label": "Số thành viên", "kind": "integer", "required": true},
                {"id": "von", "label": "Vốn (đồng)", "kind": "money", "required": false},
                {"id": "ty_le", "label": "Tỷ lệ", "kind": "percent", "required": false},
                {"id": "danh_gia", "label": "Đánh giá", "kind": "choice", "options": ["Tốt", "Khá"], "required": false},
                {"id": "ngay_lap", "label": "Ngày lập", "kind": "date", "required": false}
            ]}
        ]
    }));
    o
}

#[test]
fn a_report_on_another_outline_carries_it_and_matches_the_schemas() {
    let fx = Fx::empty();
    let outline = outline_with_every_kind();
    assert_schema_valid("outline.schema.json", &outline, "the test outline");
    let file = fx.write_json("outline.json", &outline);
    vi().args(["outline", "check"])
        .arg(&file)
        .out()
        .ok()
        .stdout_has("Đề cương hợp lệ");
    vi().arg("--outline")
        .arg(&file)
        .args([
            "init", "--type", "xa", "--code", CODE, "--name", NAME, "--data",
        ])
        .arg(&fx.report)
        .out()
        .ok();
    let r = fx.json();
    assert_eq!(r["outline"]["id"], "kl62-thu-nghiem");
    assert_eq!(
        r["outline_definition"]["id"], "kl62-thu-nghiem",
        "the report carries its outline"
    );
    assert_schema_valid("report.schema.json", &r, "a report with outline_definition");
    // The report opens without --outline: it carries the outline.
    fx.fill(
        "vi",
        &json!({"D": {
            "ghi_chu": "Dòng một\nDòng hai",
            "dien_tich": "1.234,5",
            "ty_le_ho_ngheo": "82,7%",
            "xep_loai": "Khá",
            "ngay_hop": "15/10/2014",
            "so_ho": 1250,
            "so_ho_ngheo": "96",
            "kinh_phi": "1.250.000 đồng",
            "mo_hinh": [
                {"ten": "Tổ hợp tác", "so_thanh_vien": "12", "von": 50000000, "ty_le": 45.5, "danh_gia": "Tốt", "ngay_lap": "1/2/2012"},
                {"ten": "Câu lạc bộ", "so_thanh_vien": 30}
            ]
        }}),
    )
    .ok();
    let d = fx.json()["answers"]["D"].clone();
    assert_eq!(d["dien_tich"], json!(1234.5));
    assert_eq!(d["ty_le_ho_ngheo"], json!(82.7));
    assert_eq!(d["xep_loai"], "Khá");
    assert_eq!(d["ngay_hop"], "15/10/2014");
    assert_eq!(d["so_ho_ngheo"], json!(96));
    assert_eq!(d["kinh_phi"], json!(1250000));
    assert_eq!(d["mo_hinh"][0]["so_thanh_vien"], json!(12));
    assert_eq!(d["mo_hinh"][0]["ngay_lap"], "01/02/2012");
    let item = fx.status_json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "D")
        .unwrap()
        .clone();
    assert_eq!(item["mark"], "done", "{item}");
    assert_schema_valid(
        "report.schema.json",
        &fx.json(),
        "the filled report on another outline",
    );
    assert_eq!(assert_backups_valid(&fx), 1);
    // A choice outside its options is refused, not stored.
    fx.fill("vi", &json!({"D": {"xep_loai": "Xuất sắc"}}))
        .fails()
        .stderr_has("D / xep_loai: Chọn một trong: Tốt; Khá; Trung bình.");
}

#[test]
fn the_report_schema_refuses_what_the_program_would_not_write() {
    let fx = Fx::commune();
    fx.fill("vi", &json!({"A.I.2": {"van_ban": [
        {"so_ky_hieu": "15-CT/ĐU", "ngay_ban_hanh": "05/03/2010", "co_quan": "Đảng ủy xã", "trich_yeu": "Về quán triệt"}]}}))
        .ok();
    let good = fx.json();
    assert_schema_valid("report.schema.json", &good, "the report");
    let cases: Vec<(&str, Breaker)> = vec![
        (
            "another format",
            Box::new(|r| r["format"] = json!("baocao-package")),
        ),
        (
            "no format_version",
            Box::new(|r| drop(r.as_object_mut().unwrap().remove("format_version"))),
        ),
        (
            "a key the report does not have",
            Box::new(|r| r["con"] = json!([])),
        ),
        (
            "an unknown status",
            Box::new(|r| r["status"] = json!("sent")),
        ),
        (
            "a capitalised status",
            Box::new(|r| r["status"] = json!("Draft")),
        ),
        (
            "a date that is not RFC 3339",
            Box::new(|r| r["updated_at"] = json!("15/10/2014 09:30")),
        ),
        (
            "a short outline hash",
            Box::new(|r| r["outline"]["hash"] = json!("abc")),
        ),
        (
            "a code with a slash",
            Box::new(|r| r["unit"]["code"] = json!("27/112")),
        ),
        ("an empty name", Box::new(|r| r["unit"]["name"] = json!(""))),
        (
            "a unit key renamed",
            Box::new(|r| r["unit"]["unit_type"] = json!("xa")),
        ),
        (
            "a null answer",
            Box::new(|r| r["answers"]["A.I.1"] = json!({"so_hoi_nghi": null})),
        ),
        (
            "a boolean answer",
            Box::new(|r| r["answers"]["A.I.1"] = json!({"so_hoi_nghi": true})),
        ),
        (
            "an object answer",
            Box::new(|r| r["answers"]["A.I.1"] = json!({"so_hoi_nghi": {"n": 1}})),
        ),
        (
            "a table row that is a string",
            Box::new(|r| r["answers"]["A.I.2"]["van_ban"] = json!(["15-CT/ĐU"])),
        ),
        (
            "a nested table cell",
            Box::new(|r| r["answers"]["A.I.2"]["van_ban"][0]["co_quan"] = json!(["x"])),
        ),
        (
            "a field id with capitals",
            Box::new(|r| r["answers"]["A.I.1"] = json!({"SoHoiNghi": 1})),
        ),
        (
            "an embedded outline that is not one",
            Box::new(|r| r["outline_definition"] = json!({"id": "x"})),
        ),
    ];
    for (what, break_it) in cases {
        let mut bad = good.clone();
        break_it(&mut bad);
        assert_schema_invalid("report.schema.json", &bad, what);
    }
    // An invalid value kept as typed is a string: allowed.
    let mut kept = good.clone();
    kept["answers"]["A.I.1"] = json!({"so_hoi_nghi": "mười hai"});
    assert_schema_valid(
        "report.schema.json",
        &kept,
        "an invalid value kept as typed",
    );
}

#[test]
fn the_package_example_matches_the_package_schema() {
    let p = read_json(&root().join(PACKAGE_EXAMPLE));
    assert_schema_valid("package.schema.json", &p, PACKAGE_EXAMPLE);
    let children = p["children"].as_array().unwrap();
    assert_eq!(children.len(), 1, "the example embeds one child package");
    assert_eq!(children[0]["unit"]["parent_code"], p["unit"]["code"]);
    assert!(
        children[0]["approval"].is_object() && p["approval"].is_null(),
        "both forms of approval appear"
    );
    // Its checksums are right, at both levels.
    assert_eq!(
        p["checksum"].as_str().unwrap(),
        package_checksum(&p),
        "the package checksum"
    );
    assert_eq!(
        children[0]["checksum"].as_str().unwrap(),
        package_checksum(&children[0]),
        "the child checksum"
    );
}

#[test]
fn an_exported_package_matches_the_package_schema() {
    let fx = Fx::commune();
    fx.fill(
        "vi",
        &json!({"A.I.1": {"so_hoi_nghi": 12, "hinh_thuc_quan_triet": "Hội nghị"},
                "A.I.2": {"van_ban": [{"so_ky_hieu": "15-CT/ĐU", "ngay_ban_hanh": "05/03/2010",
                                       "co_quan": "Đảng ủy xã", "trich_yeu": "Về quán triệt"}]}}),
    )
    .ok();
    let out_dir = fx.path("gui");
    fs::create_dir(&out_dir).unwrap();
    fx.vi(&[
        std::ffi::OsStr::new("export"),
        "--out".as_ref(),
        out_dir.as_os_str(),
    ])
    .ok();
    let files: Vec<_> = fs::read_dir(&out_dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(file_name(&files[0]).ends_with(".bcpkg"));
    let p = read_json(&files[0]);
    assert_schema_valid("package.schema.json", &p, &files[0].display().to_string());
    assert_eq!(p["checksum"].as_str().unwrap(), package_checksum(&p));
}

#[test]
fn the_program_reads_the_package_example() {
    // The reader in src/package.rs takes the example as it is: format,
    // keys, checksums of the package and of its embedded child.
    let bytes = fs::read(root().join(PACKAGE_EXAMPLE)).unwrap();
    let (value, package) = baocao::package::parse(&bytes)
        .unwrap_or_else(|e| panic!("the program refuses {PACKAGE_EXAMPLE}: {e}"));
    assert_eq!(package.unit.code, "HU01");
    assert_eq!(package.children.len(), 1);
    // Its canonical JSON is the one the schema describes.
    assert_eq!(
        baocao::canonical::canonical_json(&value),
        canonical_json(&value)
    );
    assert_eq!(
        baocao::package::checksum_of(&value),
        package_checksum(&value)
    );
}

#[test]
fn the_package_example_answers_are_a_report_s_answers() {
    // "Same shape as the report's answers": the commune's answers in the
    // example fill a commune report as they are, and come out unchanged.
    let p = read_json(&root().join(PACKAGE_EXAMPLE));
    let child = &p["children"][0];
    let fx = Fx::commune();
    fx.fill("vi", &child["answers"])
        .ok()
        .stdout_has("Hoàn thành");
    assert_eq!(fx.json()["answers"], child["answers"]);
    assert_eq!(fx.json()["unit"], child["unit"]);
    assert_eq!(fx.json()["outline"]["id"], child["outline"]["id"]);
    assert_eq!(fx.status_json()["invalid"], json!([]));
}

#[test]
fn the_package_schema_refuses_broken_packages() {
    let good = read_json(&root().join(PACKAGE_EXAMPLE));
    let cases: Vec<(&str, Breaker)> = vec![
        (
            "another format",
            Box::new(|p| p["format"] = json!("baocao-report")),
        ),
        (
            "format version 4",
            Box::new(|p| p["format_version"] = json!(4)),
        ),
        ("revision 0", Box::new(|p| p["revision"] = json!(0))),
        (
            "a fractional revision",
            Box::new(|p| p["revision"] = json!(1.5)),
        ),
        (
            "an unknown status",
            Box::new(|p| p["status"] = json!("approved")),
        ),
        (
            "complete_percent over 100",
            Box::new(|p| p["complete_percent"] = json!(101)),
        ),
        (
            "a negative complete_percent",
            Box::new(|p| p["complete_percent"] = json!(-1)),
        ),
        (
            "approval with an ISO date",
            Box::new(|p| p["approval"] = json!({"by": "Ban Thường vụ", "on": "2014-10-14"})),
        ),
        (
            "approval without a body",
            Box::new(|p| p["approval"] = json!({"on": "14/10/2014"})),
        ),
        (
            "approval with an extra key",
            Box::new(|p| p["approval"] = json!({"by": "x", "on": "14/10/2014", "at": 1})),
        ),
        (
            "a bad export time",
            Box::new(|p| p["exported_at"] = json!("18/10/2014")),
        ),
        (
            "a checksum without its algorithm",
            Box::new(|p| {
                p["checksum"] =
                    json!("069d38a85b6b3aa0858be8a73be1323e20809a5e123a9b73c149d61762b2394e")
            }),
        ),
        (
            "an upper-case checksum",
            Box::new(|p| p["checksum"] = json!(format!("sha256:{}", "A".repeat(64)))),
        ),
        (
            "no checksum",
            Box::new(|p| drop(p.as_object_mut().unwrap().remove("checksum"))),
        ),
        (
            "no children",
            Box::new(|p| drop(p.as_object_mut().unwrap().remove("children"))),
        ),
        (
            "no approval key",
            Box::new(|p| drop(p.as_object_mut().unwrap().remove("approval"))),
        ),
        ("an unknown key", Box::new(|p| p["comment"] = json!("x"))),
        (
            "an outline without hash",
            Box::new(|p| drop(p["outline"].as_object_mut().unwrap().remove("hash"))),
        ),
        (
            "a unit code with a slash",
            Box::new(|p| p["unit"]["code"] = json!("HU/01")),
        ),
        (
            "a boolean answer",
            Box::new(|p| p["answers"]["A.I.1"]["so_hoi_nghi"] = json!(false)),
        ),
        (
            "a broken embedded package",
            Box::new(|p| p["children"][0]["revision"] = json!(0)),
        ),
        (
            "a child that is not a package",
            Box::new(|p| p["children"] = json!([{"unit": "27112"}])),
        ),
    ];
    for (what, break_it) in cases {
        let mut bad = good.clone();
        break_it(&mut bad);
        assert_schema_invalid("package.schema.json", &bad, what);
    }
    // A checksum that is well-formed but wrong passes the schema (the
    // program checks it), and the helper tells it apart.
    let mut tampered = good.clone();
    tampered["answers"]["A.I.1"]["so_hoi_nghi"] = json!(241);
    assert_schema_valid("package.schema.json", &tampered, "a tampered package");
    assert_ne!(
        tampered["checksum"].as_str().unwrap(),
        package_checksum(&tampered)
    );
}

#[test]
fn canonical_json_sorts_keys_and_drops_whitespace() {
    let v: Value = serde_json::from_str(
        "{\"b\": 1, \"a\": {\"d\": [1, {\"z\": \"Đ\", \"y\": null}], \"c\": \"x y\"}}",
    )
    .unwrap();
    assert_eq!(
        canonical_json(&v),
        "{\"a\":{\"c\":\"x y\",\"d\":[1,{\"y\":null,\"z\":\"Đ\"}]},\"b\":1}"
    );
    let bytes = fs::read(root().join(PACKAGE_EXAMPLE)).unwrap();
    assert!(std::str::from_utf8(&bytes).is_ok(), "the example is UTF-8");
}
