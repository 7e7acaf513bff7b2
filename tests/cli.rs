//! The real `baocao` binary, command by command and refusal by refusal
//! (issue 2). Every test checks the exit code and the words a person reads.

mod common;

use common::*;
use serde_json::{Value, json};
use std::ffi::OsStr;
use std::fs;

// ---------------------------------------------------------------- init

#[test]
fn init_creates_the_report_with_unit_outline_and_defaults() {
    let fx = Fx::commune();
    let r = fx.json();
    assert_eq!(r["format"], "baocao-report");
    assert_eq!(r["format_version"], 2);
    assert_eq!(
        r["unit"],
        json!({"type": "xa", "code": CODE, "name": NAME, "parent_code": PARENT_CODE, "parent_name": PARENT_NAME})
    );
    assert_eq!(r["status"], "draft");
    assert_eq!(r["outline"]["id"], "kl62-so-ket-2014");
    assert_eq!(
        r["outline"]["hash"].as_str().unwrap(),
        baocao::outline::Outline::embedded().content_hash()
    );
    // The embedded outline is not copied into the report.
    assert!(r.get("outline_definition").is_none());
    // The outline's defaults are filled in.
    assert_eq!(r["answers"]["front"]["thay_mat"], "T/M BAN THƯỜNG VỤ");
    // No backup for a report that did not exist before.
    assert!(fx.backups().is_empty());
    // And the program reads it back.
    baocao::store::load(&fx.report).expect("init writes a loadable report");
}

#[test]
fn init_message_says_where_and_how_to_open_it() {
    let fx = Fx::empty();
    fx.vi(&[
        "init",
        "--type",
        "huyen",
        "--code",
        "HU01",
        "--name",
        "Huyện ủy Tân Phú",
    ])
    .ok()
    .stdout_has("Đã tạo báo cáo cho Huyện ủy Tân Phú (HU01)")
    .stdout_has(&format!(
        "Mở để điền: baocao --data {}",
        fx.report.display()
    ));
    fx.en(&[
        "init",
        "--type",
        "huyen",
        "--code",
        "HU02",
        "--name",
        "Huyện ủy Tân Phú",
        "--force",
    ])
    .ok()
    .stdout_has("Created the report for Huyện ủy Tân Phú (HU02)");
}

#[test]
fn init_refuses_to_overwrite_without_force() {
    let fx = Fx::commune();
    let before = fx.bytes();
    fx.vi(&[
        "init",
        "--type",
        "xa",
        "--code",
        "99999",
        "--name",
        "Xã Khác",
    ])
    .fails()
    .stderr_has(&format!("Đã có báo cáo ở {}", fx.report.display()))
    .stderr_has("Không ghi đè; nếu muốn tạo lại, thêm --force (bản cũ sẽ được sao lưu).");
    assert_eq!(fx.bytes(), before, "the existing report is untouched");
    assert!(fx.backups().is_empty());
    fx.en(&[
        "init",
        "--type",
        "xa",
        "--code",
        "99999",
        "--name",
        "Xã Khác",
    ])
    .fails()
    .stderr_has("A report already exists at")
    .stderr_has("to start again add --force");
    assert_eq!(fx.bytes(), before);
}

#[test]
fn init_force_backs_the_old_report_up_first() {
    let fx = Fx::commune();
    fx.fill("vi", &json!({"A.I.1": {"so_hoi_nghi": 12}})).ok();
    let before = fx.bytes();
    fx.vi(&[
        "init",
        "--type",
        "xa",
        "--code",
        "99999",
        "--name",
        "Xã Khác",
        "--force",
    ])
    .ok()
    .stdout_has("Đã tạo báo cáo cho Xã Khác (99999)");
    let backups = fx.backups();
    assert!(
        backups
            .iter()
            .all(|b| b.parent() == Some(fx.backup_dir().as_path()))
    );
    let newest = backups.last().expect("a backup was made");
    assert_eq!(
        fs::read(newest).unwrap(),
        before,
        "the backup is the old report, byte for byte"
    );
    let r = fx.json();
    assert_eq!(r["unit"]["code"], "99999");
    assert!(
        r["answers"].get("A.I.1").is_none(),
        "the new report starts empty"
    );
    // The old answers can be brought back.
    fx.vi(&["restore", &file_name(newest)]).ok();
    assert_eq!(fx.answer("A.I.1", "so_hoi_nghi"), 12);
}

#[test]
fn init_unknown_type_lists_the_plans_types() {
    let fx = Fx::empty();
    fx.vi(&["init", "--type", "phuong", "--code", "1", "--name", "Phường 1"])
        .fails()
        .stderr_has("Không có loại đơn vị \"phuong\". Các loại trong kế hoạch: xa, huyen, khoi, mttq, ban, llvt, tinh.");
    assert!(!fx.report.exists());
    fx.en(&["init", "--type", "phuong", "--code", "1", "--name", "Phường 1"])
        .fails()
        .stderr_has("There is no unit type \"phuong\". The plan's types are: xa, huyen, khoi, mttq, ban, llvt, tinh.");
    assert!(!fx.report.exists());
}

#[test]
fn init_refuses_a_bad_code_an_empty_name_and_a_parent_for_the_top() {
    let fx = Fx::empty();
    for code in [
        "27/112",
        "a:b",
        "x\u{7}y",
        "27112\u{200b}",
        "２７１１２",
        "٢٧١١٢",
        "27 112",
    ] {
        fx.vi(&[
            "--json", "init", "--type", "xa", "--code", code, "--name", NAME,
        ])
        .fails_with("report.unit");
        fx.vi(&["init", "--type", "xa", "--code", code, "--name", NAME])
            .fails()
            .stderr_has("không dùng được: có ký tự U+")
            .stderr_has("mã chỉ gồm chữ cái không dấu, chữ số và - _ .");
        assert!(!fx.report.exists(), "nothing is created for code {code:?}");
    }
    for code in ["  ", "..", "_x", ".hidden"] {
        fx.vi(&[
            "--json", "init", "--type", "xa", "--code", code, "--name", NAME,
        ])
        .fails_with("report.unit");
        assert!(!fx.report.exists(), "nothing is created for code {code:?}");
    }
    fx.vi(&[
        "init",
        "--type",
        "xa",
        "--code",
        CODE,
        "--name",
        "Xã\u{200b} Tân Phú",
    ])
    .fails()
    .stderr_has("Tên đơn vị có ký tự điều khiển hoặc ký tự ẩn (U+200B)");
    fx.vi(&["init", "--type", "xa", "--code", "27/112", "--name", NAME])
        .stderr_has("Mã đơn vị \"27/112\" không dùng được");
    // A control character is never echoed raw to the terminal.
    fx.vi(&[
        "init",
        "--type",
        "xa",
        "--code",
        "x\u{1b}[2Jy",
        "--name",
        NAME,
    ])
    .fails()
    .stderr_lacks("\u{1b}");
    fx.vi(&["init", "--type", "xa", "--code", CODE, "--name", "   "])
        .fails()
        .stderr_has("Chưa có tên đơn vị.");
    fx.vi(&[
        "init",
        "--type",
        "tinh",
        "--code",
        "TU",
        "--name",
        "Tỉnh ủy",
        "--parent-code",
        "X",
    ])
    .fails()
    .stderr_has("Loại \"tinh\" không báo cáo lên cấp nào, không cần đơn vị cấp trên.");
    assert!(!fx.report.exists());
    fx.en(&["init", "--type", "xa", "--code", "27/112", "--name", NAME])
        .fails()
        .stderr_has("Unit code \"27/112\" cannot be used");
}

#[test]
fn init_with_a_broken_outline_file_is_refused() {
    let fx = Fx::empty();
    let broken = fx.path("broken.json");
    fs::write(&broken, "{\"format\": \"baocao-outline\"").unwrap();
    baocao()
        .args(["--lang", "vi", "--outline"])
        .arg(&broken)
        .args([
            "init", "--type", "xa", "--code", CODE, "--name", NAME, "--data",
        ])
        .arg(&fx.report)
        .out()
        .fails()
        .stderr_has(&format!(
            "Đề cương {} không hợp lệ: $: không đọc được JSON",
            broken.display()
        ));
    assert!(!fx.report.exists());
}

#[cfg(target_os = "linux")]
#[test]
fn without_data_the_report_goes_to_the_users_data_folder() {
    let home = temp_dir();
    let data_home = home.path().join("data");
    let run = |args: &[&str]| {
        vi().env("HOME", home.path())
            .env("XDG_DATA_HOME", &data_home)
            .args(args)
            .out()
    };
    run(&["init", "--type", "xa", "--code", CODE, "--name", NAME]).ok();
    let expected = data_home.join("baocao").join("baocao.json");
    assert!(
        expected.exists(),
        "the default report is {}",
        expected.display()
    );
    run(&["status"])
        .ok()
        .stdout_has("Đơn vị: Xã Tân Phú (27112)");
}

// ---------------------------------------------------------------- status

#[test]
fn status_shows_unit_outline_progress_and_items() {
    let fx = Fx::commune();
    fx.vi(&["status"])
        .ok()
        .stdout_has("Đơn vị: Xã Tân Phú (27112)")
        .stdout_has("Loại: Đảng ủy xã, phường, thị trấn")
        .stdout_has("Cấp trên: Huyện ủy Tân Phú (HU01)")
        .stdout_has("Đề cương: Sơ kết 5 năm KL 62-KL/TW (kl62-so-ket-2014, phiên bản 2)")
        .stdout_has("Trạng thái: dự thảo")
        .stdout_has("Hoàn thành: 5% (3/58 trường bắt buộc)")
        .stdout_has("◐ front    Thông tin chung của báo cáo  3/9")
        .stdout_has("·     A.I.1    Công tác tổ chức quán triệt, triển khai, tuyên truyền  0/13");
    fx.en(&["status"])
        .ok()
        .stdout_has("Unit: Xã Tân Phú (27112)")
        .stdout_has("Status: draft")
        .stdout_has("Complete: 5% (3/58 required fields)");
}

#[test]
fn status_json_has_the_scripting_contract() {
    let fx = Fx::commune();
    let s = fx.status_json();
    // The setup's unit and parent names, and the default signing line.
    assert_eq!(s["complete_percent"], 5);
    assert_eq!(s["required"], 58);
    assert_eq!(s["answered"], 3);
    assert_eq!(s["invalid"], json!([]));
    assert_eq!(s["unit"]["code"], CODE);
    assert_eq!(s["outline"]["id"], "kl62-so-ket-2014");
    assert_eq!(s["status"], "draft");
    let items = s["items"].as_array().unwrap();
    let a_i_1 = items.iter().find(|i| i["id"] == "A.I.1").unwrap();
    assert_eq!(a_i_1["mark"], "empty");
    assert_eq!(a_i_1["required"], 13);
    assert_eq!(items[0]["id"], "front");
    assert_eq!(items[0]["mark"], "partial");
}

#[test]
fn complete_percent_rises_after_fill() {
    let fx = Fx::commune();
    let before = fx.status_json()["complete_percent"].as_u64().unwrap();
    fx.fill(
        "vi",
        &json!({"front": {"cap_tren": "ĐẢNG BỘ HUYỆN TÂN PHÚ", "co_quan": "ĐẢNG ỦY XÃ TÂN PHÚ", "so_ky_hieu": "25-BC/ĐU",
            "dia_danh": "Tân Phú", "ngay": "15/10/2014", "chuc_vu": "BÍ THƯ", "nguoi_ky": "Nguyễn Văn A",
            "noi_nhan": "Huyện ủy"}}),
    )
    .ok()
    .stdout_has("Đã điền 8 trường. Hoàn thành 15%.");
    let s = fx.status_json();
    let percent = s["complete_percent"].as_u64().unwrap();
    assert!(percent > before, "{percent} > {before}");
    assert_eq!(
        s["answered"], 9,
        "the default thay_mat and the eight filled"
    );
    // Every required field counts, the front matter's included: 9 of 58.
    assert_eq!(percent, 9 * 100 / s["required"].as_u64().unwrap());
    assert_eq!(percent, 15);
    assert_eq!(s["items"][0]["mark"], "done");
}

#[test]
fn status_lists_invalid_fields_kept_as_typed() {
    // An invalid value typed in the UI is kept as the string typed; put one
    // there by hand, as the UI would.
    let fx = Fx::commune();
    let mut r = fx.json();
    r["answers"]["A.I.1"] =
        json!({"so_hoi_nghi": "mười hai", "dang_vien_tham_gia": 1300, "dang_vien_tong_so": 1250});
    // Sealed as a save seals it: a hand edit without its checksum is
    // damage.
    fs::write(
        &fx.report,
        serde_json::to_vec_pretty(&baocao::store::seal(r)).unwrap(),
    )
    .unwrap();
    let s = fx.status_json();
    let invalid = s["invalid"].as_array().unwrap();
    assert_eq!(invalid.len(), 2, "{invalid:#?}");
    assert_eq!(invalid[0]["item"], "A.I.1");
    assert_eq!(invalid[0]["field"], "so_hoi_nghi");
    assert_eq!(invalid[0]["reason"], "number");
    assert!(!invalid[0]["message"].as_str().unwrap().is_empty());
    assert_eq!(
        invalid[1],
        json!({"item": "A.I.1", "field": "dang_vien_tham_gia", "reason": "part_over_whole",
               "message": "«Đảng viên tham gia» (1.300) lớn hơn «Tổng số đảng viên» (1.250)."})
    );
    let a_i_1 = s["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "A.I.1")
        .unwrap()
        .clone();
    assert_eq!(a_i_1["mark"], "invalid");
    let out = fx.vi(&["status"]);
    out.ok()
        .stdout_has("Trường không hợp lệ:")
        .stdout_has("  A.I.1 / dang_vien_tham_gia: «Đảng viên tham gia» (1.300) lớn hơn «Tổng số đảng viên» (1.250).")
        .stdout_has("!     A.I.1");
    assert!(out.stdout.contains(&format!(
        "  A.I.1 / so_hoi_nghi: {}",
        invalid[0]["message"].as_str().unwrap()
    )));
    fx.en(&["status"])
        .ok()
        .stdout_has("Invalid fields:")
        .stdout_has("A.I.1 / dang_vien_tham_gia: «Đảng viên tham gia» (1.300) is more than «Tổng số đảng viên» (1.250).");
    // The value is kept, never dropped, by a later fill of another field.
    fx.fill(
        "vi",
        &json!({"A.I.1": {"so_hoi_nghi": 3, "dang_vien_tham_gia": 1200}}),
    )
    .ok();
    assert_eq!(fx.status_json()["invalid"], json!([]));
}

#[test]
fn status_without_a_report_says_how_to_create_one() {
    let fx = Fx::empty();
    fx.vi(&["status"])
        .fails()
        .stderr_has(&format!("Chưa có báo cáo ở {}", fx.report.display()))
        .stderr_has("Tạo bằng: baocao init --type LOẠI --code MÃ --name TÊN");
    fx.en(&["status", "--json"])
        .fails_with("store.missing")
        .stderr_has("There is no report at")
        .stderr_has("Create one with: baocao init --type TYPE --code CODE --name NAME");
    assert_eq!(
        fx.vi(&["status", "--json"]).stdout,
        "",
        "no half JSON on failure"
    );
}

// ---------------------------------------------------------------- fill

#[test]
fn fill_sets_every_kind_in_canonical_form() {
    let fx = Fx::commune();
    fx.fill(
        "vi",
        &json!({
            "A.I.1": {"hinh_thuc_quan_triet": "Hội nghị quán triệt cho 100% cán bộ chủ chốt.", "so_hoi_nghi": 12,
                      "dang_vien_tham_gia": 1204, "dang_vien_tong_so": 1250},
            "A.I.2": {"van_ban": [
                {"so_ky_hieu": "15-CT/ĐU", "ngay_ban_hanh": "5/3/2010", "co_quan": "Đảng ủy xã", "trich_yeu": "Về quán triệt Kết luận 62"},
                {"so_ky_hieu": "20-KH/ĐU", "ngay_ban_hanh": "01/06/2011", "co_quan": "Đảng ủy xã", "trich_yeu": "Kế hoạch thực hiện"}]},
            "A.II.5": {"kinh_phi": "1.250.000 đồng"},
            "front": {"ngay": "15-10-2014"}
        }),
    )
    .ok()
    .stdout_has("Đã điền 7 trường. Hoàn thành");
    assert_eq!(fx.answer("A.I.1", "so_hoi_nghi"), json!(12));
    assert_eq!(fx.answer("A.I.1", "dang_vien_tham_gia"), json!(1204));
    assert_eq!(fx.answer("A.II.5", "kinh_phi"), json!(1250000));
    assert_eq!(fx.answer("front", "ngay"), "15/10/2014");
    let rows = fx.answer("A.I.2", "van_ban");
    assert_eq!(rows[0]["ngay_ban_hanh"], "05/03/2010");
    assert_eq!(rows[1]["so_ky_hieu"], "20-KH/ĐU");
    assert_eq!(rows.as_array().unwrap().len(), 2);
    // Untouched answers stay.
    assert_eq!(fx.answer("front", "thay_mat"), "T/M BAN THƯỜNG VỤ");
    // The rate is computed, never stored, and is not flagged.
    assert_eq!(fx.answer("A.I.1", "dang_vien_ty_le"), Value::Null);
    assert_eq!(fx.status_json()["invalid"], json!([]));
    fx.en(&["status"]).ok();
    fx.fill("en", &json!({"A.I.1": {"so_hoi_nghi": 13}}))
        .ok()
        .stdout_has("Filled 1 fields.");
}

#[test]
fn fill_accepts_vietnamese_number_strings() {
    let fx = Fx::commune();
    fx.fill(
        "vi",
        &json!({"A.I.1": {"so_hoi_nghi": "1.234", "dang_vien_tong_so": "1 250", "dang_vien_tham_gia": "1204"},
                "A.II.5": {"kinh_phi": "1.250.000"}}),
    )
    .ok();
    assert_eq!(fx.answer("A.I.1", "so_hoi_nghi"), json!(1234));
    assert_eq!(fx.answer("A.I.1", "dang_vien_tong_so"), json!(1250));
    assert_eq!(fx.answer("A.I.1", "dang_vien_tham_gia"), json!(1204));
    assert_eq!(fx.answer("A.II.5", "kinh_phi"), json!(1250000));
}

#[test]
fn fill_is_all_or_nothing_and_lists_every_error() {
    let fx = Fx::commune();
    let before = fx.bytes();
    fx.fill(
        "vi",
        &json!({"A.I.1": {"so_hoi_nghi": 12, "can_bo_tham_gia": -3}, "A.II.5": {"kinh_phi": 2.5}}),
    )
    .fails()
    .stderr_has("Không điền gì cả: 2 lỗi trong")
    .stderr_has("\n  A.I.1 / can_bo_tham_gia: Không được là số âm.")
    .stderr_has("\n  A.II.5 / kinh_phi: Chỉ nhập số nguyên, ví dụ 3.900.");
    assert_eq!(fx.bytes(), before, "the good value was not applied either");
    assert!(fx.backups().is_empty(), "nothing was saved");
    fx.fill(
        "en",
        &json!({"A.I.1": {"so_hoi_nghi": 12, "can_bo_tham_gia": -3}}),
    )
    .fails()
    .stderr_has("Nothing was filled: 1 errors in")
    .stderr_has("\n  A.I.1 / can_bo_tham_gia: Must not be negative.");
    assert_eq!(fx.bytes(), before);
}

#[test]
fn fill_refuses_an_unknown_item() {
    let fx = Fx::commune();
    let before = fx.bytes();
    fx.fill("vi", &json!({"A.I.9": {"so_hoi_nghi": 1}}))
        .fails()
        .stderr_has("\n  A.I.9: không có mục này trong đề cương");
    fx.fill("en", &json!({"A.I.9": {"so_hoi_nghi": 1}}))
        .fails()
        .stderr_has("\n  A.I.9: no such item in the outline");
    fx.fill("vi", &json!({"A.I.1": 5}))
        .fails()
        .stderr_has("\n  A.I.1: cần một đối tượng {\"MÃ_TRƯỜNG\": giá trị}");
    assert_eq!(fx.bytes(), before);
}

#[test]
fn fill_refuses_an_unknown_field_and_names_the_real_ones() {
    let fx = Fx::commune();
    let before = fx.bytes();
    fx.fill("vi", &json!({"A.II.5": {"kinh_phi_xyz": 1}}))
        .fails()
        .stderr_has(
            "\n  A.II.5 / kinh_phi_xyz: không có trường này (các trường: phoi_hop_dan_chu_thi_dua, quy_che_phoi_hop, kinh_phi_dieu_kien, kinh_phi)",
        );
    fx.fill("en", &json!({"A.II.5": {"kinh_phi_xyz": 1}}))
        .fails()
        .stderr_has("\n  A.II.5 / kinh_phi_xyz: no such field (fields: ");
    assert_eq!(fx.bytes(), before);
}

#[test]
fn fill_refuses_a_ratio_field() {
    let fx = Fx::commune();
    let before = fx.bytes();
    fx.fill("vi", &json!({"A.I.1": {"dang_vien_ty_le": 96.3}}))
        .fails()
        .stderr_has("\n  A.I.1 / dang_vien_ty_le: tỷ lệ được tính tự động từ hai trường khác, không nhập được");
    fx.fill("en", &json!({"A.I.1": {"dang_vien_ty_le": "96,3%"}}))
        .fails()
        .stderr_has("\n  A.I.1 / dang_vien_ty_le: a rate is computed from two other fields and cannot be filled");
    assert_eq!(fx.bytes(), before);
}

#[test]
fn fill_refuses_table_rows_with_a_missing_required_column() {
    let fx = Fx::commune();
    let before = fx.bytes();
    let row_ok = json!({"so_ky_hieu": "15-CT/ĐU", "ngay_ban_hanh": "05/03/2010", "co_quan": "Đảng ủy xã", "trich_yeu": "Về việc"});
    let row_short =
        json!({"so_ky_hieu": "16-CT/ĐU", "ngay_ban_hanh": "06/03/2010", "co_quan": "Đảng ủy xã"});
    fx.fill("vi", &json!({"A.I.2": {"van_ban": [row_ok, row_short]}}))
        .fails()
        .stderr_has("\n  A.I.2 / van_ban: Dòng 2: chưa nhập «Trích yếu».");
    fx.fill("en", &json!({"A.I.2": {"van_ban": [row_short]}}))
        .fails()
        .stderr_has("\n  A.I.2 / van_ban: Row 1: «Trích yếu» is empty.");
    // An empty cell is as missing as an absent one.
    fx.fill("vi", &json!({"A.I.2": {"van_ban": [{"so_ky_hieu": "", "ngay_ban_hanh": "05/03/2010", "co_quan": "x", "trich_yeu": "y"}]}}))
        .fails()
        .stderr_has("\n  A.I.2 / van_ban: Dòng 1: chưa nhập «Số, ký hiệu».");
    // A column the table does not have, a date outside the period, a row that is not an object.
    fx.fill(
        "vi",
        &json!({"A.I.2": {"van_ban": [{"so_ky_hieu": "1", "ngay": "05/03/2010"}]}}),
    )
    .fails()
    .stderr_has(
        "dòng 1: không có cột \"ngay\" (các cột: so_ky_hieu, ngay_ban_hanh, co_quan, trich_yeu)",
    );
    fx.fill("vi", &json!({"A.I.2": {"van_ban": [{"so_ky_hieu": "1", "ngay_ban_hanh": "05/03/2020", "co_quan": "x", "trich_yeu": "y"}]}}))
        .fails()
        .stderr_has("dòng 1, cột \"ngay_ban_hanh\": Ngày không được sau 31/12/2014.");
    fx.fill("vi", &json!({"A.I.2": {"van_ban": ["15-CT/ĐU"]}}))
        .fails()
        .stderr_has("A.I.2 / van_ban: dòng 1 phải là một đối tượng");
    fx.fill("vi", &json!({"A.I.2": {"van_ban": "15-CT/ĐU"}}))
        .fails()
        .stderr_has("A.I.2 / van_ban: bảng cần một mảng các dòng {\"mã cột\": giá trị}");
    assert_eq!(fx.bytes(), before);
}

#[test]
fn fill_refuses_wrong_types_bad_numbers_and_impossible_dates() {
    let fx = Fx::commune();
    let before = fx.bytes();
    let out = fx.fill(
        "vi",
        &json!({"A.I.1": {"so_hoi_nghi": "mười hai", "hinh_thuc_quan_triet": 5, "can_bo_tham_gia": 3.5},
                "front": {"ngay": "31/02/2014"}, "A.I.2": {"van_ban": [{"ngay_ban_hanh": 20141014}]}}),
    );
    out.fails()
        .stderr_has("Không điền gì cả: 5 lỗi")
        .stderr_has("\n  A.I.1 / so_hoi_nghi: ")
        .stderr_has(
            "\n  A.I.1 / hinh_thuc_quan_triet: cần một chuỗi ký tự cho trường loại \"text\"",
        )
        .stderr_has("\n  A.I.1 / can_bo_tham_gia: Chỉ nhập số nguyên, ví dụ 3.900.")
        .stderr_has(
            "\n  front / ngay: Ngày không có thật: 31/02/2014 (tháng 2 năm 2014 có 28 ngày).",
        )
        .stderr_has("\n  A.I.2 / van_ban: ");
    assert_eq!(
        out.stderr.lines().count(),
        6,
        "one summary line and one line per error: {}",
        out.stderr
    );
    assert_eq!(fx.bytes(), before);
}

#[test]
fn fill_refuses_a_part_larger_than_its_whole() {
    let fx = Fx::commune();
    let before = fx.bytes();
    fx.fill("vi", &json!({"A.I.1": {"dang_vien_tham_gia": 1300, "dang_vien_tong_so": 1250}}))
        .fails()
        .stderr_has("Không điền gì cả: 1 lỗi")
        .stderr_has("\n  A.I.1 / dang_vien_tham_gia: «Đảng viên tham gia» (1.300) lớn hơn «Tổng số đảng viên» (1.250).");
    assert_eq!(fx.bytes(), before);
    // Also against a whole that is already stored.
    fx.fill("vi", &json!({"A.I.1": {"dang_vien_tong_so": 1250}}))
        .ok();
    let before = fx.bytes();
    fx.fill("en", &json!({"A.I.1": {"dang_vien_tham_gia": "1.300"}}))
        .fails()
        .stderr_has("\n  A.I.1 / dang_vien_tham_gia: «Đảng viên tham gia» (1.300) is more than «Tổng số đảng viên» (1.250).");
    assert_eq!(fx.bytes(), before);
    // Equal is fine.
    fx.fill("vi", &json!({"A.I.1": {"dang_vien_tham_gia": 1250}}))
        .ok();
}

#[test]
fn fill_stores_text_as_nfc() {
    let fx = Fx::commune();
    // "Quán triệt" typed with combining marks (NFD), as some input methods do.
    let nfd = "Qua\u{301}n trie\u{323}\u{302}t";
    fx.fill("vi", &json!({"A.I.1": {"hinh_thuc_quan_triet": nfd}, "A.I.2": {"van_ban": [
        {"so_ky_hieu": "1-CT/ĐU", "ngay_ban_hanh": "05/03/2010", "co_quan": "\u{110}a\u{309}ng u\u{309}y xa\u{303}", "trich_yeu": nfd}]}}))
        .ok();
    assert_eq!(fx.answer("A.I.1", "hinh_thuc_quan_triet"), "Quán triệt");
    let rows = fx.answer("A.I.2", "van_ban");
    assert_eq!(rows[0]["co_quan"], "Đảng ủy xã");
    assert_eq!(rows[0]["trich_yeu"], "Quán triệt");
    assert!(!String::from_utf8(fx.bytes()).unwrap().contains('\u{301}'));
}

#[test]
fn fill_with_null_or_empty_clears_a_value() {
    let fx = Fx::commune();
    fx.fill(
        "vi",
        &json!({"A.I.1": {"so_hoi_nghi": 12, "hinh_thuc_quan_triet": "x"}}),
    )
    .ok();
    fx.fill(
        "vi",
        &json!({"A.I.1": {"so_hoi_nghi": null, "hinh_thuc_quan_triet": ""}}),
    )
    .ok()
    .stdout_has("Đã điền 2 trường.");
    assert!(
        fx.json()["answers"].get("A.I.1").is_none(),
        "the emptied item is gone: {}",
        fx.json()
    );
}

#[test]
fn fill_refuses_a_bad_answers_file_before_touching_the_report() {
    let fx = Fx::commune();
    let before = fx.bytes();
    let bad = fx.path("bad.json");
    fs::write(&bad, "{\"A.I.1\": {\"so_hoi_nghi\": 12,}").unwrap();
    fx.vi(&[OsStr::new("fill"), OsStr::new("--from"), bad.as_os_str()])
        .fails()
        .stderr_has(&format!(
            "{} không phải JSON hợp lệ (dòng 1, cột",
            bad.display()
        ));
    fx.fill("vi", &json!([1, 2]))
        .fails()
        .stderr_has("phải có dạng {\"MÃ_MỤC\": {\"MÃ_TRƯỜNG\": giá trị}}.");
    let missing = fx.path("missing.json");
    fx.vi(&[
        OsStr::new("fill"),
        OsStr::new("--from"),
        missing.as_os_str(),
    ])
    .fails()
    .stderr_has(&format!(
        "Không đọc được {}: không tìm thấy tệp hoặc thư mục.",
        missing.display()
    ));
    fx.en(&[OsStr::new("fill"), OsStr::new("--from"), bad.as_os_str()])
        .fails()
        .stderr_has("is not valid JSON (line 1, column");
    assert_eq!(fx.bytes(), before);
}

#[test]
fn fill_takes_a_file_saved_with_a_bom() {
    let fx = Fx::commune();
    // Notepad's "UTF-8 with BOM", CRLF.
    let file = fx.path("bom.json");
    fs::write(
        &file,
        "\u{feff}{\"A.I.1\": {\"so_hoi_nghi\": 12, \"dang_vien_tong_so\": \"1.250\"}}\r\n",
    )
    .unwrap();
    let fill = [OsStr::new("fill"), OsStr::new("--from"), file.as_os_str()];
    fx.vi(&fill).ok().stdout_has("Đã điền 2 trường.");
    assert_eq!(fx.answer("A.I.1", "so_hoi_nghi"), json!(12));
    assert_eq!(fx.answer("A.I.1", "dang_vien_tong_so"), json!(1250));
    // Only at the start: anywhere else it is no JSON, and nothing is
    // filled.
    let before = fx.bytes();
    fs::write(&file, "{\"A.I.1\": {\"so_hoi_nghi\": 13}}\u{feff}").unwrap();
    fx.vi(&fill).fails().stderr_has("không phải JSON hợp lệ");
    fs::write(&file, "\u{feff}\u{feff}{\"A.I.1\": {\"so_hoi_nghi\": 13}}").unwrap();
    fx.vi(&fill).fails().stderr_has("không phải JSON hợp lệ");
    assert_eq!(fx.bytes(), before);
}

#[test]
fn fill_without_a_report_is_refused() {
    let fx = Fx::empty();
    fx.fill("vi", &json!({"A.I.1": {"so_hoi_nghi": 12}}))
        .fails()
        .stderr_has("Chưa có báo cáo ở");
    assert!(!fx.report.exists());
}

#[test]
fn every_save_keeps_a_backup_and_saves_seconds_apart_are_thinned() {
    use baocao::store::RECENT_BACKUPS;
    let fx = Fx::commune();
    for n in 1..=13 {
        fx.fill("vi", &json!({"A.I.1": {"so_hoi_nghi": n}})).ok();
        // The newest few, and (should the saves cross a ten-minute
        // boundary) the newest of the slot before.
        let kept = fx.backups().len();
        let want = (n as usize).min(RECENT_BACKUPS);
        assert!(kept == want || kept == want + 1, "{kept} after {n} saves");
    }
    let files = fs::read_dir(fx.backup_dir()).unwrap().count();
    assert!(files <= RECENT_BACKUPS + 1, "thinned: {files}");
    // The newest backup is the version before the last fill.
    let newest = baocao::store::parse(&fs::read(fx.backups().last().unwrap()).unwrap()).unwrap();
    assert_eq!(newest.answers["A.I.1"]["so_hoi_nghi"], 12);
}

// ---------------------------------------------------------------- restore

/// A commune report filled twice: backups hold the init state and fill 1.
fn filled_twice() -> Fx {
    let fx = Fx::commune();
    fx.fill("vi", &json!({"A.I.1": {"so_hoi_nghi": 1}})).ok();
    fx.fill("vi", &json!({"A.I.1": {"so_hoi_nghi": 2}})).ok();
    assert_eq!(fx.backups().len(), 2);
    fx
}

#[test]
fn restore_list_shows_backups_newest_first() {
    let fx = Fx::commune();
    fx.vi(&["restore", "--list"]).ok().stdout_has(&format!(
        "Chưa có bản sao lưu nào cho {}.",
        fx.report.display()
    ));
    fx.en(&["restore", "--list"])
        .ok()
        .stdout_has("There are no backups of");
    let fx = filled_twice();
    let out = fx.vi(&["restore", "--list"]);
    out.ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    let names: Vec<String> = fx.backups().iter().rev().map(|p| file_name(p)).collect();
    assert_eq!(lines.len(), 2, "{}", out.stdout);
    for (line, name) in lines.iter().zip(&names) {
        assert!(
            line.starts_with(&format!("{name}  tốt  Xã Tân Phú (27112)  ")),
            "{line}"
        );
    }
    // A damaged backup is listed as such.
    fs::write(fx.backups().last().unwrap(), "{\"format\": \"baocao-").unwrap();
    fx.vi(&["restore", "--list"])
        .ok()
        .stdout_has(&format!("{}  hỏng: tệp bị cắt cụt", names[0]));
    fx.en(&["restore", "--list"])
        .ok()
        .stdout_has(&format!("{}  damaged: the file is truncated", names[0]));
}

#[test]
fn restore_brings_back_the_newest_good_backup() {
    let fx = filled_twice();
    let current = fx.bytes();
    let newest = fx.backups().last().unwrap().clone();
    fx.vi(&["restore"])
        .ok()
        .stdout_has(&format!(
            "Đã khôi phục {} từ {}.",
            fx.report.display(),
            newest.display()
        ))
        .stdout_has("Bản trước đó được giữ trong thư mục sao lưu.");
    assert_eq!(fx.answer("A.I.1", "so_hoi_nghi"), 1);
    // The version replaced is itself kept.
    let kept: Vec<Vec<u8>> = fx.backups().iter().map(|b| fs::read(b).unwrap()).collect();
    assert!(
        kept.contains(&current),
        "the replaced report is among the backups"
    );
    fx.vi(&["status"]).ok();
}

#[test]
fn restore_skips_damaged_backups() {
    let fx = filled_twice();
    fs::write(fx.backups().last().unwrap(), "not json").unwrap();
    fx.vi(&["restore"]).ok();
    assert!(
        fx.json()["answers"].get("A.I.1").is_none(),
        "the older good backup (from init) was used"
    );
}

#[test]
fn restore_a_named_backup() {
    let fx = filled_twice();
    let oldest = file_name(&fx.backups()[0]);
    fx.en(&["restore", &oldest])
        .ok()
        .stdout_has("Restored")
        .stdout_has("The previous file is kept among the backups.");
    assert!(fx.json()["answers"].get("A.I.1").is_none());
    assert_eq!(
        fx.json()["answers"]["front"]["thay_mat"],
        "T/M BAN THƯỜNG VỤ"
    );
}

#[test]
fn restore_refuses_an_unknown_or_damaged_backup() {
    let fx = filled_twice();
    let before = fx.bytes();
    let count = fx.backups().len();
    fx.vi(&["restore", "20140101-000000-000.json"])
        .fails()
        .stderr_has("Không có bản sao lưu \"20140101-000000-000.json\". Xem danh sách: baocao restore --list");
    fx.en(&["restore", "nope.json"])
        .fails()
        .stderr_has("There is no backup \"nope.json\". See the list: baocao restore --list");
    let newest = fx.backups().last().unwrap().clone();
    fs::write(&newest, "{").unwrap();
    fx.vi(&["restore", &file_name(&newest)])
        .fails()
        .stderr_has(&format!(
            "Bản sao lưu {} cũng bị hỏng (tệp bị cắt cụt",
            file_name(&newest)
        ))
        .stderr_has("hãy chọn bản khác trong: baocao restore --list");
    assert_eq!(fx.bytes(), before);
    assert_eq!(
        fx.backups().len(),
        count,
        "a refused restore backs nothing up"
    );
}

#[test]
fn restore_without_any_backup_is_refused() {
    let fx = Fx::commune();
    let before = fx.bytes();
    fx.vi(&["restore"])
        .fails()
        .stderr_has("Không có bản sao lưu nào đọc được.");
    fx.en(&["restore"])
        .fails()
        .stderr_has("There is no readable backup.");
    assert_eq!(fx.bytes(), before);
}

// ---------------------------------------------------------------- damaged file

#[test]
fn a_truncated_report_is_detected_and_left_unchanged() {
    let fx = filled_twice();
    let full = fx.bytes();
    let cut = full[..full.len() / 2].to_vec();
    fs::write(&fx.report, &cut).unwrap();
    let newest = file_name(fx.backups().last().unwrap());
    let restore_cmd = format!("baocao restore {newest} --data {}", fx.report.display());
    let backups_before = fx.backups();
    fx.vi(&["status", "--json"]).fails_with("store.damaged");
    for args in [vec!["status"], vec!["status", "--json"]] {
        fx.vi(&args)
            .fails()
            .stderr_has(&format!(
                "Tệp báo cáo {} bị hỏng, chưa thay đổi gì: tệp bị cắt cụt",
                fx.report.display()
            ))
            .stderr_has(&format!("Bản sao lưu tốt gần nhất: {newest}."))
            .stderr_has(&format!("Khôi phục bằng lệnh: {restore_cmd}"));
    }
    fx.fill("vi", &json!({"A.I.1": {"so_hoi_nghi": 3}}))
        .fails()
        .stderr_has("bị hỏng, chưa thay đổi gì")
        .stderr_has(&restore_cmd);
    fx.fill("en", &json!({"A.I.1": {"so_hoi_nghi": 3}}))
        .fails()
        .stderr_has("is damaged; nothing was changed: the file is truncated")
        .stderr_has(&format!(
            "The newest good backup is {newest}. Restore it with: {restore_cmd}"
        ));
    assert_eq!(
        fx.bytes(),
        cut,
        "the damaged file is byte-for-byte unchanged"
    );
    assert_eq!(
        fx.backups(),
        backups_before,
        "no backup was added or removed"
    );
    // The reason is one line.
    let out = fx.vi(&["status"]);
    assert_eq!(out.stderr.trim_end().lines().count(), 1, "{}", out.stderr);
    // The command it names works.
    baocao()
        .args(["--lang", "vi", "restore", &newest, "--data"])
        .arg(&fx.report)
        .out()
        .ok();
    assert_eq!(fx.answer("A.I.1", "so_hoi_nghi"), 1);
    // And the damaged file is not lost: it is among the backups.
    let kept: Vec<Vec<u8>> = fx.backups().iter().map(|b| fs::read(b).unwrap()).collect();
    assert!(kept.contains(&cut));
}

#[test]
fn a_damaged_report_names_the_newest_good_backup_not_a_damaged_one() {
    let fx = filled_twice();
    let backups = fx.backups();
    fs::write(&backups[1], "{}").unwrap();
    fs::write(
        &fx.report,
        "{\"format\": \"baocao-report\", \"format_version\": 1}",
    )
    .unwrap();
    fx.vi(&["status"])
        .fails()
        .stderr_has("bị hỏng, chưa thay đổi gì: thiếu hoặc sai nội dung")
        .stderr_has(&format!(
            "Bản sao lưu tốt gần nhất: {}.",
            file_name(&backups[0])
        ));
}

#[test]
fn other_kinds_of_damage_are_detected_too() {
    let fx = Fx::commune();
    let cases: [(&[u8], &str); 5] = [
        (b"", "tệp rỗng"),
        (b"\xff\xfe{}", "không phải văn bản UTF-8"),
        (
            b"{\"format\": \"baocao-report\", \"format_version\": 1, }",
            "JSON sai ở dòng 1",
        ),
        (
            b"{\"format\": \"something-else\"}",
            "không phải tệp báo cáo của baocao",
        ),
        (
            b"{\"format\": \"baocao-report\", \"format_version\": 99}",
            "tệp được tạo bởi phiên bản baocao mới hơn (định dạng 99); hãy cập nhật baocao",
        ),
    ];
    for (bytes, reason) in cases {
        fs::write(&fx.report, bytes).unwrap();
        fx.vi(&["status"])
            .fails()
            .stderr_has(&format!("bị hỏng, chưa thay đổi gì: {reason}"))
            .stderr_has("Không có bản sao lưu nào đọc được.");
        fx.fill("vi", &json!({"A.I.1": {"so_hoi_nghi": 3}}))
            .fails()
            .stderr_has(reason);
        assert_eq!(fx.bytes(), bytes);
    }
    // init without --force does not overwrite a damaged report either.
    fx.vi(&["init", "--type", "xa", "--code", CODE, "--name", NAME])
        .fails()
        .stderr_has("Đã có báo cáo ở");
}

// ---------------------------------------------------------------- lock

/// Holds the report's lock file the way another baocao would.
fn hold_lock(fx: &Fx) -> fs::File {
    use std::io::Write;
    let mut f = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(fx.lock_file())
        .unwrap();
    f.try_lock().expect("nobody else holds the lock");
    write!(
        f,
        "pid={}\nsince=15/10/2014 08:30:00\nuser=test\n",
        std::process::id()
    )
    .unwrap();
    f.sync_all().unwrap();
    f
}

#[test]
fn a_second_writer_is_refused_with_the_holder_named() {
    let fx = Fx::commune();
    let before = fx.bytes();
    let held = hold_lock(&fx);
    let pid = std::process::id();
    let holder = format!("(tiến trình {pid}, mở lúc 15/10/2014 08:30:00)");
    fx.fill("vi", &json!({"A.I.1": {"so_hoi_nghi": 12}}))
        .fails()
        .stderr_has(&format!(
            "Báo cáo {} đang được mở bởi một chương trình baocao khác {holder}",
            fx.report.display()
        ))
        .stderr_has("Hãy đóng chương trình đó (Ctrl+Q) rồi thử lại.");
    fx.fill("en", &json!({"A.I.1": {"so_hoi_nghi": 12}}))
        .fails()
        .stderr_has(&format!(
            "is open in another baocao (process {pid}, opened at 15/10/2014 08:30:00)"
        ));
    fx.vi(&[
        "init", "--type", "xa", "--code", CODE, "--name", NAME, "--force",
    ])
    .fails()
    .stderr_has(&holder);
    fx.fill("vi", &json!({"A.I.1": {"so_hoi_nghi": 1}})).fails();
    fx.vi(&["restore"]).fails().stderr_has(&holder);
    assert_eq!(
        fx.bytes(),
        before,
        "nothing was written while the lock was held"
    );
    assert!(fx.backups().is_empty());
    // Reading does not need the lock.
    fx.vi(&["status"]).ok();
    fx.vi(&["restore", "--list"]).ok();
    drop(held);
    fx.fill("vi", &json!({"A.I.1": {"so_hoi_nghi": 12}})).ok();
    assert_eq!(fx.answer("A.I.1", "so_hoi_nghi"), 12);
}

#[test]
fn a_stale_lock_left_by_a_crash_is_taken_over() {
    let fx = Fx::commune();
    // A crashed baocao left its name in the lock file but holds no lock.
    fs::write(
        fx.lock_file(),
        "pid=999999\nsince=15/10/2014 08:30:00\nuser=test\n",
    )
    .unwrap();
    fx.fill("vi", &json!({"A.I.1": {"so_hoi_nghi": 12}}))
        .ok()
        .stdout_has("Đã điền 1 trường.");
    assert_eq!(fx.answer("A.I.1", "so_hoi_nghi"), 12);
    let lock = fs::read(fx.lock_file()).unwrap();
    assert!(
        lock.iter().all(u8::is_ascii_whitespace),
        "a clean exit leaves the lock file blank (never truncated): {:?}",
        String::from_utf8_lossy(&lock)
    );
    // And the next one works as well.
    fx.fill("vi", &json!({"A.I.1": {"so_hoi_nghi": 13}})).ok();
}

// ---------------------------------------------------------------- outline show

#[test]
fn outline_show_prints_the_tree_with_ids_and_kinds() {
    let out = vi().args(["outline", "show"]).out();
    out.ok()
        .stdout_has("(kl62-so-ket-2014 phiên bản 2)")
        .stdout_has("[front]  Thông tin chung của báo cáo")
        .stdout_has("[A.I.1] 1- Công tác tổ chức quán triệt, triển khai, tuyên truyền")
        .stdout_has("[C] C- KIẾN NGHỊ, ĐỀ XUẤT (nếu có) (không bắt buộc)");
    let line = |id: &str| {
        out.stdout
            .lines()
            .find(|l| {
                l.split_whitespace().nth(1) == Some(id) || l.split_whitespace().next() == Some(id)
            })
            .unwrap_or_else(|| panic!("no line for {id}"))
            .to_string()
    };
    let so_hoi_nghi = line("so_hoi_nghi");
    assert!(
        so_hoi_nghi.contains("* so_hoi_nghi")
            && so_hoi_nghi.contains("integer")
            && so_hoi_nghi.contains("sum")
    );
    assert!(line("dang_vien_ty_le").contains(
        "ratio    ratio    Tỷ lệ đảng viên tham gia = dang_vien_tham_gia / dang_vien_tong_so"
    ));
    assert!(
        line("van_ban")
            .contains("(so_ky_hieu:text, ngay_ban_hanh:date, co_quan:text, trich_yeu:text)")
    );
    assert!(line("kinh_phi").contains("money"));
    assert!(line("ngay").contains("date"));
    assert!(line("hinh_thuc_quan_triet").contains("text     collect"));
    en().args(["outline", "show"])
        .out()
        .ok()
        .stdout_has("(kl62-so-ket-2014 version 2)")
        .stdout_has("(optional)");
}

#[test]
fn outline_show_json_is_the_scripting_contract() {
    let out = vi().args(["outline", "show", "--json"]).out();
    out.ok();
    let o = out.json();
    assert_eq!(o["id"], "kl62-so-ket-2014");
    assert_eq!(o["version"], "2");
    assert!(
        o["title"]
            .as_str()
            .unwrap()
            .starts_with("ĐỀ CƯƠNG sơ kết 05 năm (2009 - 2014)")
    );
    let items = o["items"].as_array().unwrap();
    let ids: Vec<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "front", "A", "A.I", "A.I.1", "A.I.2", "A.II", "A.II.1", "A.II.2", "A.II.3", "A.II.4",
            "A.II.5", "A.II.6", "A.III", "A.III.1", "A.III.2", "A.IV", "B", "C", "C.1", "C.2"
        ],
        "flattened in outline order, headings and front matter included"
    );
    let kinds = [
        "text", "integer", "decimal", "money", "percent", "date", "choice", "table", "ratio",
    ];
    let aggregates = ["sum", "ratio", "concat", "collect", "none"];
    for item in items {
        for key in ["id", "number", "title"] {
            assert!(item[key].is_string(), "{key} of {}", item["id"]);
        }
        assert!(
            item["guidance"].is_array() && item["fields"].is_array(),
            "{}",
            item["id"]
        );
        for f in item["fields"].as_array().unwrap() {
            let what = format!("{} / {}", item["id"], f["id"]);
            assert!(f["id"].is_string() && f["label"].is_string(), "{what}");
            assert!(kinds.contains(&f["kind"].as_str().unwrap()), "{what}");
            assert!(
                aggregates.contains(&f["aggregate"].as_str().unwrap()),
                "{what}"
            );
            assert!(f["required"].is_boolean(), "{what}");
            match f["kind"].as_str().unwrap() {
                "ratio" => {
                    let of = f["of"].as_array().expect("a ratio has \"of\"");
                    assert_eq!(of.len(), 2, "{what}");
                    let siblings: Vec<&Value> = item["fields"].as_array().unwrap().iter().collect();
                    for id in of {
                        assert!(
                            siblings.iter().any(|s| s["id"] == *id),
                            "{what}: {id} is a field of the item"
                        );
                    }
                    assert_eq!(
                        f["required"], false,
                        "{what}: a ratio is computed, never required"
                    );
                }
                "table" => {
                    for c in f["columns"].as_array().expect("a table has \"columns\"") {
                        assert!(
                            c["id"].is_string()
                                && c["kind"].is_string()
                                && c["required"].is_boolean(),
                            "{what}"
                        );
                    }
                }
                "choice" => assert!(f["options"].is_array(), "{what}"),
                _ => {}
            }
        }
    }
    let a_i_1 = &items[3];
    assert_eq!(a_i_1["number"], "1");
    assert_eq!(a_i_1["guidance"].as_array().unwrap().len(), 2);
    let f = |item: &Value, id: &str| {
        item["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(
        f(a_i_1, "dang_vien_ty_le")["of"],
        json!(["dang_vien_tham_gia", "dang_vien_tong_so"])
    );
    assert_eq!(f(a_i_1, "dang_vien_ty_le")["aggregate"], "ratio");
    assert_eq!(f(a_i_1, "so_hoi_nghi")["kind"], "integer");
    assert_eq!(f(a_i_1, "so_hoi_nghi")["required"], true);
    assert_eq!(f(a_i_1, "hinh_thuc_quan_triet")["aggregate"], "collect");
    let van_ban = f(&items[4], "van_ban");
    assert_eq!(van_ban["kind"], "table");
    assert_eq!(van_ban["aggregate"], "concat");
    let cols: Vec<(&str, &str)> = van_ban["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap(), c["kind"].as_str().unwrap()))
        .collect();
    assert_eq!(
        cols,
        [
            ("so_ky_hieu", "text"),
            ("ngay_ban_hanh", "date"),
            ("co_quan", "text"),
            ("trich_yeu", "text")
        ]
    );
    assert_eq!(f(&items[10], "kinh_phi")["kind"], "money");
    assert_eq!(f(&items[0], "ngay")["kind"], "date");
    assert!(
        items[1]["fields"].as_array().unwrap().is_empty(),
        "a heading has no fields"
    );
    // The same in English: the contract does not depend on the language.
    assert_eq!(en().args(["outline", "show", "--json"]).out().json(), o);
}

#[test]
fn outline_show_uses_the_outline_given() {
    let fx = Fx::empty();
    let mut o = read_json(&root().join("schema/kl62-so-ket-2014.json"));
    o["id"] = json!("ke-hoach-thu");
    o["version"] = json!("2");
    let file = fx.write_json("other.json", &o);
    let out = vi()
        .arg("--outline")
        .arg(&file)
        .args(["outline", "show", "--json"])
        .out();
    out.ok();
    assert_eq!(out.json()["id"], "ke-hoach-thu");
    assert_eq!(out.json()["version"], "2");
}

#[test]
fn a_report_is_only_opened_with_its_own_outline() {
    let fx = Fx::empty();
    let mut o = read_json(&root().join("schema/kl62-so-ket-2014.json"));
    o["id"] = json!("ke-hoach-thu");
    o["version"] = json!("2");
    let other = fx.write_json("other.json", &o);
    // A report on the built-in outline, opened with another one.
    let commune = Fx::commune();
    let before = commune.bytes();
    baocao()
        .args(["--lang", "vi", "--outline"])
        .arg(&other)
        .args(["fill", "--from"])
        .arg(commune.write_json("a.json", &json!({"A.I.1": {"so_hoi_nghi": 1}})))
        .arg("--data")
        .arg(&commune.report)
        .out()
        .fails()
        .stderr_has("Đề cương đưa vào (ke-hoach-thu phiên bản 2) khác với đề cương của báo cáo (kl62-so-ket-2014 phiên bản 2).");
    assert_eq!(commune.bytes(), before);
    // A report on another outline that lost its copy of it.
    baocao()
        .args(["--lang", "vi", "--outline"])
        .arg(&other)
        .args([
            "init", "--type", "xa", "--code", CODE, "--name", NAME, "--data",
        ])
        .arg(&fx.report)
        .out()
        .ok();
    let mut r = fx.json();
    r.as_object_mut().unwrap().remove("outline_definition");
    // Sealed as a save seals it: a hand edit without its checksum is
    // damage.
    fs::write(
        &fx.report,
        serde_json::to_vec_pretty(&baocao::store::seal(r)).unwrap(),
    )
    .unwrap();
    fx.vi(&["status"]).fails().stderr_has(
        "Báo cáo dùng đề cương ke-hoach-thu phiên bản 2 không có sẵn; chỉ ra tệp đề cương bằng --outline TỆP.",
    );
    fx.en(&["status"])
        .fails()
        .stderr_has("give the outline file with --outline FILE.");
    // Given, it opens.
    baocao()
        .args(["--lang", "vi", "--outline"])
        .arg(&other)
        .args(["status", "--data"])
        .arg(&fx.report)
        .out()
        .ok()
        .stdout_has("(ke-hoach-thu, phiên bản 2)");
}

// ---------------------------------------------------------------- outline check

#[test]
fn outline_check_passes_the_shipped_outline() {
    let file = root().join("schema/kl62-so-ket-2014.json");
    vi().args(["outline", "check"])
        .arg(&file)
        .out()
        .ok()
        .stdout_has(
            "Đề cương hợp lệ: Sơ kết 5 năm KL 62-KL/TW (kl62-so-ket-2014 phiên bản 2), 20 mục,",
        );
    en().args(["outline", "check"])
        .arg(&file)
        .out()
        .ok()
        .stdout_has("The outline is valid: Sơ kết 5 năm KL 62-KL/TW (kl62-so-ket-2014 version 2), 20 items,");
}

#[test]
fn outline_check_warns_of_rates_whose_whole_can_be_0_and_still_passes() {
    let file = root().join("schema/kl62-so-ket-2014.json");
    let a_i_1 = "$.items[1].items[0].items[0]";
    // The shipped outline's five rates are over totals that may be 0
    // (a commune without members of one body): warned, not refused.
    let out = vi().args(["outline", "check"]).arg(&file).out();
    out.ok()
        .stdout_has("Đề cương hợp lệ:")
        .stdout_has(&format!(
            "{a_i_1}.fields[5].of[1]: cảnh báo: mẫu số \"can_bo_tong_so\" có thể bằng 0 (không có \"min\" lớn hơn 0); khi đó tỷ lệ không tính được: văn bản in ô tỷ lệ để trống, bảng số liệu CSV bỏ tỷ lệ đó, màn hình hiện —. Nếu mẫu số không bao giờ bằng 0, đặt \"min\": 1 cho trường \"can_bo_tong_so\"\n"
        ))
        .stdout_has("5 cảnh báo (đề cương vẫn dùng được).");
    assert_eq!(
        out.stdout.matches("cảnh báo: mẫu số").count(),
        5,
        "{}",
        out.stdout
    );
    en().args(["outline", "check"])
        .arg(&file)
        .out()
        .ok()
        .stdout_has(&format!(
            "{a_i_1}.fields[8].of[1]: warning: the whole \"dang_vien_tong_so\" can be 0"
        ))
        .stdout_has(
            "the document leaves the rate's cell empty, the figures CSV leaves the rate out",
        )
        .stdout_has("5 warnings (the outline can still be used).");
    // A whole that is never 0 is not warned of.
    let fx = Fx::empty();
    let mut o = read_json(&file);
    o["items"][1]["items"][0]["items"][0]["fields"][4]["min"] = json!(1);
    let file = fx.write_json("min-1.json", &o);
    let out = vi().args(["outline", "check"]).arg(&file).out();
    out.ok().stdout_has("4 cảnh báo");
    assert!(!out.stdout.contains("can_bo_tong_so"), "{}", out.stdout);
    // The outline is taken as --outline, with nothing said of it.
    vi().arg("--outline")
        .arg(&file)
        .args(["outline", "show"])
        .out()
        .ok();
}

/// What the warning above says of a rate over a whole of 0, held to what
/// render does.
#[test]
fn a_rate_over_a_whole_of_0_prints_as_outline_check_says() {
    let fx = Fx::commune();
    fx.fill(
        "vi",
        &json!({"A.I.1": {"can_bo_tham_gia": 0, "can_bo_tong_so": 0,
                          "dang_vien_tham_gia": 5, "dang_vien_tong_so": 10}}),
    )
    .ok();
    let render = |format: &str| fx.vi(&["render", "--format", format, "--out", "-"]);
    let cells = |line: &str, bar: char| -> Vec<String> {
        line.split(bar).map(|c| c.trim().to_string()).collect()
    };
    // The document: the rate's cell is empty, the figures beside it stand.
    let out = render("txt");
    let txt = out.ok();
    let row = |name: &str| {
        let line = txt
            .stdout
            .lines()
            .find(|l| l.contains(name))
            .unwrap_or_else(|| panic!("no row {name}: {}", txt.stdout));
        cells(line, '│')
    };
    assert_eq!(row("Cán bộ"), ["", "Cán bộ", "0", "0", "", ""]);
    assert_eq!(row("Đảng viên"), ["", "Đảng viên", "5", "10", "50%", ""]);
    let out = render("md");
    let line = out
        .ok()
        .stdout
        .lines()
        .find(|l| l.contains("| Cán bộ"))
        .unwrap()
        .to_string();
    assert_eq!(cells(&line, '|'), ["", "Cán bộ", "0", "0", "", ""]);
    // The figures CSV: the whole and the part, no rate.
    let out = render("csv");
    let csv = &out.ok().stdout;
    assert!(csv.contains("A.I.1,can_bo_tong_so,0,"), "{csv}");
    assert!(!csv.contains("can_bo_ty_le"), "{csv}");
    assert!(csv.contains("A.I.1,dang_vien_ty_le,50,"), "{csv}");
}

#[test]
fn outline_check_refuses_bounds_that_leave_no_value() {
    let fx = Fx::empty();
    let mut o = read_json(&root().join("schema/kl62-so-ket-2014.json"));
    let a_i_1 = "$.items[1].items[0].items[0]";
    {
        let fields = o["items"][1]["items"][0]["items"][0]["fields"]
            .as_array_mut()
            .unwrap();
        assert_eq!(fields[2]["id"], "so_hoi_nghi");
        fields[2]["min"] = json!(10);
        fields[2]["max"] = json!(5);
        assert_eq!(fields[3]["id"], "can_bo_tham_gia");
        // Without min, a count's is 0.
        fields[3].as_object_mut().unwrap().remove("min").unwrap();
        fields[3]["max"] = json!(-1);
    }
    let file = fx.write_json("bounds.json", &o);
    let out = vi().args(["outline", "check"]).arg(&file).out();
    out.fails().stderr_has(&format!(
        "Đề cương {} có 2 lỗi (liệt kê ở trên).",
        file.display()
    ));
    assert_eq!(
        out.stdout,
        format!(
            "{a_i_1}.fields[2].min: giới hạn dưới (min) lớn hơn giới hạn trên (max)\n\
             {a_i_1}.fields[3].max: giới hạn trên (max) nhỏ hơn 0, số nhỏ nhất trường loại \"integer\" nhận: không có giá trị nào hợp lệ\n"
        )
    );
    en().args(["outline", "check"])
        .arg(&file)
        .out()
        .fails()
        .stdout_has(&format!("{a_i_1}.fields[2].min: the lower bound (min) is above the upper bound (max)"))
        .stdout_has(&format!("{a_i_1}.fields[3].max: the upper bound (max) is below 0, the lowest a \"integer\" field holds: no value fits"));
}

#[test]
fn outline_check_refuses_defaults_the_field_itself_refuses() {
    let fx = Fx::empty();
    let mut o = read_json(&root().join("schema/kl62-so-ket-2014.json"));
    let a_i_1 = "$.items[1].items[0].items[0]";
    {
        let fields = o["items"][1]["items"][0]["items"][0]["fields"]
            .as_array_mut()
            .unwrap();
        assert_eq!(fields[4]["id"], "can_bo_tong_so");
        fields[4]["default"] = json!("-5");
        assert_eq!(fields[6]["id"], "dang_vien_tham_gia");
        fields[6]["default"] = json!("nhiều");
        // A default that fits is no problem.
        fields[7]["default"] = json!("1.250");
    }
    let file = fx.write_json("defaults.json", &o);
    let out = vi().args(["outline", "check"]).arg(&file).out();
    out.fails().stderr_has(&format!(
        "Đề cương {} có 2 lỗi (liệt kê ở trên).",
        file.display()
    ));
    assert_eq!(
        out.stdout,
        format!(
            "{a_i_1}.fields[4].default: giá trị mặc định \"-5\" không hợp với chính trường này: Không được là số âm.\n\
             {a_i_1}.fields[6].default: giá trị mặc định \"nhiều\" không hợp với chính trường này: «nhiều» không phải là số. Chỉ nhập chữ số, ví dụ 1.234.\n"
        )
    );
    en().args(["outline", "check"])
        .arg(&file)
        .out()
        .fails()
        .stderr_has("has 2 errors (listed above).")
        .stdout_has(&format!("{a_i_1}.fields[4].default: the default \"-5\" does not fit the field itself: Must not be negative."));
}

#[test]
fn outline_check_reports_every_error_with_its_json_path() {
    let fx = Fx::empty();
    let mut o = read_json(&root().join("schema/kl62-so-ket-2014.json"));
    // $.items[1] is A, .items[0] A.I, .items[0] A.I.1 and .items[1] A.I.2.
    let a_i_1 = "$.items[1].items[0].items[0]";
    {
        let fields = o["items"][1]["items"][0]["items"][0]["fields"]
            .as_array_mut()
            .unwrap();
        assert_eq!(fields[2]["id"], "so_hoi_nghi");
        fields[2]["min"] = json!("0");
        assert_eq!(fields[5]["id"], "can_bo_ty_le");
        fields[5]["of"][1] = json!("khong_co");
        assert_eq!(fields[8]["id"], "dang_vien_ty_le");
        fields[8]["of"][0] = json!("hinh_thuc_quan_triet");
        assert_eq!(fields[9]["id"], "doan_vien_tham_gia");
        fields[9]["aggregate"] = json!("collect");
    }
    o["items"][1]["items"][0]["items"][1]["id"] = json!("A.I.1");
    let file = fx.write_json("broken.json", &o);
    let out = vi().args(["outline", "check"]).arg(&file).out();
    out.fails().stderr_has(&format!(
        "Đề cương {} có 5 lỗi (liệt kê ở trên).",
        file.display()
    ));
    let expected = [
        format!("{a_i_1}.fields[2].min: giới hạn không hợp với loại trường \"integer\""),
        format!("{a_i_1}.fields[5].of[1]: không có trường \"khong_co\" trong mục này"),
        format!(
            "{a_i_1}.fields[8].of[0]: trường \"hinh_thuc_quan_triet\" là \"text\", không phải số đếm được"
        ),
        format!(
            "{a_i_1}.fields[9].aggregate: cách tổng hợp \"collect\" không hợp với loại \"integer\"; dùng: sum, none"
        ),
        format!("$.items[1].items[0].items[1].id: mã mục \"A.I.1\" bị trùng với {a_i_1}"),
    ];
    let mut lines: Vec<&str> = out.stdout.lines().collect();
    lines.sort();
    let mut want: Vec<&str> = expected.iter().map(String::as_str).collect();
    want.sort();
    assert_eq!(lines, want, "exactly these problems:\n{}", out.stdout);
    let out = en().args(["outline", "check"]).arg(&file).out();
    out.fails().stderr_has("has 5 errors (listed above).");
    out.stdout_has(&format!("{a_i_1}.fields[2].min: bound does not fit kind \"integer\""))
        .stdout_has(&format!("{a_i_1}.fields[5].of[1]: there is no field \"khong_co\" in this item"))
        .stdout_has(&format!("{a_i_1}.fields[8].of[0]: field \"hinh_thuc_quan_triet\" is \"text\", not a countable number"))
        .stdout_has(&format!("{a_i_1}.fields[9].aggregate: aggregation \"collect\" does not fit kind \"integer\"; use: sum, none"))
        .stdout_has(&format!("$.items[1].items[0].items[1].id: duplicate item id \"A.I.1\", also at {a_i_1}"));
    // The same file is refused as --outline, naming the first problem.
    vi().arg("--outline")
        .arg(&file)
        .args(["outline", "show"])
        .out()
        .fails()
        .stderr_has(&format!(
            "Đề cương {} không hợp lệ: {a_i_1}",
            file.display()
        ))
        .stderr_has("(và 4 lỗi khác; chạy `baocao outline check`)");
    // A mistake in the shape (an unknown kind) stops the reading: it is
    // the one problem said, at its path.
    o["items"][1]["items"][0]["items"][0]["fields"][2]["kind"] = json!("number");
    let file = fx.write_json("unknown-kind.json", &o);
    let out = vi().args(["outline", "check"]).arg(&file).out();
    out.fails().stderr_has("có 1 lỗi (liệt kê ở trên).");
    assert_eq!(
        out.stdout,
        format!(
            "{a_i_1}.fields[2].kind: loại trường \"number\" không có; dùng một trong: text, integer, decimal, money, percent, date, choice, table, ratio\n"
        )
    );
    en().args(["outline", "check"])
        .arg(&file)
        .out()
        .fails()
        .stdout_has(&format!(
            "{a_i_1}.fields[2].kind: unknown field kind \"number\"; use one of: text, integer,"
        ));
}

#[test]
fn outline_check_refuses_more_broken_files() {
    let fx = Fx::empty();
    let shipped = read_json(&root().join("schema/kl62-so-ket-2014.json"));
    let check = |name: &str, o: &Value| {
        let file = fx.write_json(name, o);
        let out = vi().args(["outline", "check"]).arg(&file).out();
        out.fails()
            .stderr_has(&format!("Đề cương {} có", file.display()));
        out
    };
    let mut o = shipped.clone();
    o["items"][1]["items"][0]["items"][0]["fields"][3]["id"] = json!("so_hoi_nghi");
    check("dup-field.json", &o).stdout_has(
        "$.items[1].items[0].items[0].fields[3].id: mã trường \"so_hoi_nghi\" bị trùng trong mục",
    );
    let mut o = shipped.clone();
    o["items"][1]["items"][0]["items"][1]["fields"][2]["aggregate"] = json!("sum");
    check("table-sum.json", &o).stdout_has(
        "$.items[1].items[0].items[1].fields[2].aggregate: cách tổng hợp \"sum\" không hợp với loại \"table\"; dùng: concat",
    );
    let mut o = shipped.clone();
    o["plan"]["unit_types"][0]["reports_to"] = json!("quan");
    check("parent.json", &o)
        .stdout_has("$.plan.unit_types[0].reports_to: không có loại đơn vị \"quan\"");
    let file = fx.path("not-json.json");
    fs::write(&file, "{").unwrap();
    vi().args(["outline", "check"])
        .arg(&file)
        .out()
        .fails()
        .stdout_has("$: không đọc được JSON (dòng 1, cột 1)")
        .stderr_has("có 1 lỗi");
    let missing = fx.path("missing.json");
    vi().args(["outline", "check"])
        .arg(&missing)
        .out()
        .fails()
        .stderr_has(&format!(
            "Không đọc được {}: không tìm thấy tệp hoặc thư mục.",
            missing.display()
        ));
}

// ---------------------------------------------------------------- language and help

#[test]
fn an_english_environment_gives_english_without_lang() {
    let fx = Fx::empty();
    let out = baocao()
        .env("LANG", "en_US.UTF-8")
        .args(["status", "--data"])
        .arg(&fx.report)
        .out();
    out.fails().stderr_has("Error: There is no report at");
    // --lang wins over the environment.
    baocao()
        .env("LANG", "en_US.UTF-8")
        .args(["--lang", "vi", "status", "--data"])
        .arg(&fx.report)
        .out()
        .fails()
        .stderr_has("Lỗi: Chưa có báo cáo ở");
    // Anything else is Vietnamese.
    baocao()
        .args(["status", "--data"])
        .arg(&fx.report)
        .out()
        .fails()
        .stderr_has("Lỗi: Chưa có báo cáo ở");
}

#[test]
fn help_works_for_every_command() {
    let cases: &[(&[&str], &[&str])] = &[
        (
            &[],
            &[
                "init",
                "status",
                "fill",
                "restore",
                "outline",
                "--data",
                "--lang",
                "--outline",
            ],
        ),
        (
            &["init"],
            &[
                "--type",
                "--code",
                "--name",
                "--parent-code",
                "--parent-name",
                "--force",
                "--data",
                "--outline",
            ],
        ),
        (&["status"], &["--json", "--data"]),
        (&["fill"], &["--from", "--data"]),
        (&["restore"], &["--list", "[BACKUP]", "--data"]),
        (&["outline"], &["check", "show"]),
        (&["outline", "check"], &["<FILE>"]),
        (&["outline", "show"], &["--json"]),
    ];
    for (command, words) in cases {
        let out = baocao().args(*command).arg("--help").out();
        out.ok();
        assert!(
            out.stdout.contains("Usage: baocao"),
            "{command:?}: {}",
            out.stdout
        );
        for w in *words {
            assert!(
                out.stdout.contains(w),
                "{command:?} --help lacks {w}: {}",
                out.stdout
            );
        }
        // Every option and argument is explained (Vietnamese — English).
        // (clap puts it on the same line, or on the next, deeper indented one).
        let lines: Vec<&str> = out.stdout.lines().collect();
        let indent = |l: &str| l.len() - l.trim_start().len();
        let start = lines
            .iter()
            .position(|l| l.starts_with("Arguments:") || l.starts_with("Options:"));
        for (i, l) in lines.iter().enumerate().skip(start.unwrap_or(lines.len())) {
            let t = l.trim_start();
            if indent(l) == 0 || !(t.starts_with('-') || t.starts_with('<') || t.starts_with('[')) {
                continue;
            }
            let same_line = t
                .split("  ")
                .map(str::trim)
                .filter(|p| !p.is_empty())
                .count()
                >= 2;
            let next_line = lines
                .get(i + 1)
                .is_some_and(|n| indent(n) > indent(l) && !n.trim().is_empty());
            assert!(
                same_line || next_line,
                "{command:?}: `{t}` has no explanation:\n{}",
                out.stdout
            );
        }
        // -h works as well.
        baocao()
            .args(*command)
            .arg("-h")
            .out()
            .ok()
            .stdout_has("Usage: baocao");
    }
    vi().args(["init", "--help"])
        .out()
        .ok()
        .stdout_has("Tạo báo cáo mới cho một đơn vị");
    baocao().arg("--version").out().ok().stdout_has("baocao ");
}

#[test]
fn a_wrong_command_line_is_refused_with_a_usage_hint() {
    let out = baocao().args(["init", "--code", "1"]).out();
    assert_eq!(out.code, Some(2), "{out:#?}");
    assert!(
        out.stderr.contains("--type <TYPE>") && out.stderr.contains("--name <NAME>"),
        "{out:#?}"
    );
    let out = baocao().args(["fill"]).out();
    assert_eq!(out.code, Some(2));
    assert!(out.stderr.contains("--from <ANSWERS.json>"), "{out:#?}");
    let out = baocao().args(["bogus"]).out();
    assert_eq!(out.code, Some(2));
    assert!(
        out.stderr.contains("unrecognized subcommand 'bogus'"),
        "{out:#?}"
    );
}
