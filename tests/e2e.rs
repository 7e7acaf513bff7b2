//! The real binary in a pseudo-terminal: what a commune cadre does first.
//! Types Vietnamese into the first field, moves to the next item, quits
//! with Ctrl+Q, and the report file holds the text.

mod pty;

use pty::Ui;
use std::path::{Path, PathBuf};
use std::time::Duration;

fn init(data: &Path, unit_type: &str, code: &str, name: &str) {
    let ok = std::process::Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args([
            "--lang", "vi", "init", "--type", unit_type, "--code", code, "--name", name, "--data",
        ])
        .arg(data)
        .status()
        .unwrap();
    assert!(ok.success());
}

/// The report as saved, which carries its own checksum (written by the
/// UI's saves, its signal handler and its panic hook alike).
fn saved(data: &Path) -> serde_json::Value {
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data).unwrap()).unwrap();
    let stated = v["checksum"].as_str().expect("saved with its checksum");
    assert_eq!(stated, baocao::store::checksum_of(&v));
    baocao::store::load(data).expect("the saved report loads");
    v
}

#[test]
fn type_vietnamese_move_on_quit_and_the_file_holds_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("bao-cao.json");
    init(&data, "xa", "27112", "Xã Tân Phú");
    let mut ui = Ui::spawn(&data, dir.path(), 30, 100);
    ui.screen.wait_for("Tổ chức Đảng cấp trên");
    // The cursor is in the first field, ready for typing.
    ui.type_text("ĐẢNG BỘ TỈNH ĐỒNG NAI");
    ui.screen.wait_for("ĐẢNG BỘ TỈNH ĐỒNG NAI");
    // PgDn to the next item, then type there too.
    ui.send(b"\x1b[6~");
    ui.screen.wait_for("A.I.1");
    ui.type_text("Quán triệt đến 100% đảng viên.");
    ui.screen.wait_for("Quán triệt đến 100% đảng viên.");
    // No input method on this machine: the built-in Telex (on by default),
    // on keys typed one by one (all at once they are a paste, kept as is).
    ui.type_like_a_person(" Hooij nghij ddwowcj toor chuwcs");
    ui.screen.wait_for("Hội nghị được tổ chức");
    // A second copy on the same report is refused by the lock.
    let second = std::process::Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(["--lang", "vi", "--data"])
        .arg(&data)
        .output()
        .unwrap();
    assert!(!second.status.success());
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(
        err.contains("đang được mở bởi một chương trình baocao khác"),
        "{err}"
    );
    // Ctrl+Q saves and quits without asking.
    ui.send(b"\x11");
    let status = ui.wait_exit();
    assert!(status.success(), "exit status {status:?}");

    let saved = saved(&data);
    assert_eq!(
        saved["answers"]["front"]["cap_tren"],
        "ĐẢNG BỘ TỈNH ĐỒNG NAI"
    );
    assert_eq!(
        saved["answers"]["A.I.1"]["hinh_thuc_quan_triet"],
        "Quán triệt đến 100% đảng viên. Hội nghị được tổ chức"
    );
}

#[test]
fn an_approved_report_asks_before_the_first_edit_and_says_it_is_final() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("bao-cao.json");
    init(&data, "xa", "27112", "Xã Tân Phú");
    let finalize = std::process::Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(["--lang", "vi", "--data"])
        .arg(&data)
        .args(["finalize", "--approved-by", "Ban Thường vụ Đảng ủy xã"])
        .args([
            "--approved-on",
            "04/10/2014",
            "--incomplete",
            "--reason",
            "Thử",
        ])
        .status()
        .unwrap();
    assert!(finalize.success());
    let before = std::fs::read(&data).unwrap();
    let mut ui = Ui::spawn(&data, dir.path(), 30, 100);
    ui.screen.wait_for("Tổ chức Đảng cấp trên");
    ui.screen.wait_for_title("CHÍNH THỨC");
    // The first letter asks; Esc keeps the approved report as it was.
    ui.type_text("Đ");
    ui.screen.wait_for("sửa sẽ chuyển về dự thảo?");
    ui.send(b"\x1b");
    ui.screen.wait_until("the question closed", |s| {
        !s.text().contains("sửa sẽ chuyển")
    });
    // Enter says yes: a draft again, and the letter is typed.
    ui.type_text("Đ");
    ui.screen.wait_for("sửa sẽ chuyển về dự thảo?");
    ui.send(b"\r");
    ui.screen.wait_for_title("DỰ THẢO");
    ui.type_text("ẢNG BỘ");
    ui.screen.wait_for("ĐẢNG BỘ");
    ui.send(b"\x11");
    assert!(ui.wait_exit().success());
    let saved = saved(&data);
    assert_ne!(std::fs::read(&data).unwrap(), before);
    assert_eq!(saved["status"], "draft");
    assert_eq!(saved["answers"]["front"]["cap_tren"], "ĐẢNG BỘ");
    assert_eq!(
        saved["approval_history"][0]["by"],
        "Ban Thường vụ Đảng ủy xã"
    );
}

#[cfg(unix)]
#[test]
fn sigterm_saves_what_was_typed_and_exits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("r.json");
    init(&data, "huyen", "HU01", "Huyện ủy Tân Phú");
    let mut ui = Ui::spawn(&data, dir.path(), 30, 100);
    ui.screen.wait_for("Tổ chức Đảng cấp trên");
    ui.type_text("chưa kịp lưu");
    ui.screen.wait_for("chưa kịp lưu");
    assert_eq!(
        unsafe { libc::kill(ui.pid() as libc::pid_t, libc::SIGTERM) },
        0
    );
    let status = ui.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    assert_eq!(saved(&data)["answers"]["front"]["cap_tren"], "chưa kịp lưu");
}

/// A panic puts the terminal back (alternate screen left, mouse and paste
/// modes off), writes what was typed, and says so — in the debug build
/// (unwinding) as in the release build (abort).
#[test]
fn a_panic_restores_the_terminal_and_saves_what_was_typed() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("r.json");
    init(&data, "xa", "27112", "Xã Tân Phú");
    let mut ui = Ui::spawn_with(&data, dir.path(), 30, 100, &[("BAOCAO_TEST_PANIC", "1")]);
    ui.screen.wait_for("Tổ chức Đảng cấp trên");
    ui.type_text("chưa kịp lưu khi lỗi");
    ui.screen.wait_for("chưa kịp lưu khi lỗi");
    ui.send(b"\x1b[24~"); // F12
    let status = ui.wait_exit();
    assert!(!status.success(), "a panic is not a clean exit");
    std::thread::sleep(Duration::from_millis(200));
    assert!(!ui.screen.alternate(), "the alternate screen was left");
    let out = ui.screen.raw();
    for (mode, what) in [
        ("\x1b[?1000l", "mouse capture off"),
        ("\x1b[?2004l", "bracketed paste off"),
        ("\x1b[?25h", "cursor shown"),
    ] {
        assert!(out.contains(mode), "{what} missing");
    }
    assert!(
        out.contains("mọi thứ đã gõ đều đã được lưu"),
        "the message says the text was saved"
    );
    assert_eq!(
        saved(&data)["answers"]["front"]["cap_tren"],
        "chưa kịp lưu khi lỗi"
    );
}

/// A district's report at `dir/huyen.json`, and `n` communes' packages in
/// `dir/usb`.
fn district_and_packages(dir: &Path, n: usize) -> PathBuf {
    let data = dir.join("huyen.json");
    init(&data, "huyen", "HU01", "Huyện ủy Tân Phú");
    let outline = baocao::outline::Outline::embedded().clone();
    let usb = dir.join("usb");
    std::fs::create_dir_all(&usb).unwrap();
    for i in 0..n {
        let unit = baocao::report::Unit {
            unit_type: "xa".into(),
            code: format!("X{:04}", i + 1),
            name: format!("Xã Số {}", i + 1),
            parent_code: Some("HU01".into()),
            parent_name: Some("Huyện ủy Tân Phú".into()),
        };
        let mut r = baocao::report::Report::new(&outline, unit).unwrap();
        r.set_value("A.I.1", "so_hoi_nghi", serde_json::json!(i + 1));
        let path = dir.join("xa").join(format!("{i}.json"));
        baocao::store::save(&path, &r).unwrap();
        baocao::workspace::Workspace::new(&path, outline.clone(), r)
            .unwrap()
            .export(&usb)
            .unwrap();
    }
    // The district lists its communes first (a unit not on the list waits).
    let list = dir.join("xa.csv");
    let rows: String = (0..n)
        .map(|i| format!("X{:04},Xã Số {}\n", i + 1, i + 1))
        .collect();
    std::fs::write(&list, rows).unwrap();
    let ok = std::process::Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(["--lang", "vi", "children", "import"])
        .arg(&list)
        .arg("--data")
        .arg(&data)
        .status()
        .unwrap();
    assert!(ok.success());
    data
}

/// F6 on `usb`: the folder typed over the one offered, Enter reads it.
fn import_screen_on(ui: &mut Ui, usb: &Path) {
    ui.send(b"\x1b[17~"); // F6
    ui.screen.wait_for("Nhận gói báo cáo (F6)");
    ui.screen.wait_until("the folder read", |s| {
        let t = s.text();
        !["Đang tìm ổ USB", "Đang đọc thư mục", "Đang kiểm tra"]
            .iter()
            .any(|busy| t.contains(busy))
    });
    // Clear what is offered: one Backspace per character of the longest
    // folder it can be.
    let offered = std::env::current_dir().unwrap().display().to_string().len() + 200;
    ui.send(&vec![0x7f; offered]);
    ui.type_text(&usb.display().to_string());
    ui.send(b"\r");
    ui.screen.wait_for("Nhận gói của Xã Số 1 ");
}

/// After the program left: the report loads, every package it lists is
/// in the archive and whole, and nothing temporary is left anywhere.
fn whole(data: &Path) -> usize {
    let report = baocao::store::load(data).unwrap();
    let archived: std::collections::HashMap<String, Vec<u8>> =
        baocao::store::archive::records(data).into_iter().collect();
    for r in &report.received {
        let bytes = archived
            .get(&r.checksum)
            .unwrap_or_else(|| panic!("{} is not in the archive", r.file));
        baocao::package::parse(bytes).unwrap_or_else(|e| panic!("{} is not whole: {e}", r.file));
    }
    let archive = baocao::workspace::archive_dir(data);
    for folder in [archive.as_path(), data.parent().unwrap()] {
        let temps: Vec<String> = std::fs::read_dir(folder)
            .map(|rd| {
                rd.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .filter(|n| n.starts_with('.') && n.contains("tmp"))
                    .collect()
            })
            .unwrap_or_default();
        assert!(temps.is_empty(), "temporary files left: {temps:?}");
    }
    report.received.len()
}

#[test]
fn quitting_in_the_middle_of_an_import_leaves_every_file_whole() {
    let dir = tempfile::tempdir().unwrap();
    let data = district_and_packages(dir.path(), 120);
    let mut ui = Ui::spawn(&data, dir.path(), 30, 100);
    ui.screen.wait_for("Tổ chức Đảng cấp trên");
    import_screen_on(&mut ui, &dir.path().join("usb"));
    // Enter starts the import; Ctrl+Q right behind it, in the same read.
    ui.send(b"\r\x11");
    let status = ui.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    let taken = whole(&data);
    assert!(taken <= 120, "{taken}");
}

#[cfg(unix)]
#[test]
fn sigterm_in_the_middle_of_an_import_leaves_every_file_whole() {
    let dir = tempfile::tempdir().unwrap();
    let data = district_and_packages(dir.path(), 120);
    let mut ui = Ui::spawn(&data, dir.path(), 30, 100);
    ui.screen.wait_for("Tổ chức Đảng cấp trên");
    import_screen_on(&mut ui, &dir.path().join("usb"));
    ui.send(b"\r");
    ui.screen.wait_for("Đang nhận");
    assert_eq!(
        unsafe { libc::kill(ui.pid() as libc::pid_t, libc::SIGTERM) },
        0
    );
    let status = ui.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    whole(&data);
}

#[test]
fn an_import_through_f6_is_saved_and_the_screen_answers_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let data = district_and_packages(dir.path(), 60);
    let mut ui = Ui::spawn(&data, dir.path(), 30, 100);
    ui.screen.wait_for("Tổ chức Đảng cấp trên");
    import_screen_on(&mut ui, &dir.path().join("usb"));
    ui.send(b"\r");
    // F1 while it runs (or right after): the help opens over the screen.
    ui.send(b"\x1bOP");
    ui.screen.wait_for("Phím tắt");
    ui.send(b"\x1b");
    ui.screen
        .wait_until("the import done", |s| s.text().contains("Tổng: Nhận 60,"));
    ui.send(b"\x11");
    assert!(ui.wait_exit().success());
    assert_eq!(whole(&data), 60);
}

/// On a bare Linux console (TERM=linux) the real binary draws its marks
/// and borders in ASCII by itself; Vietnamese letters stay.
#[test]
fn a_bare_linux_console_gets_ascii_marks_and_borders() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("r.json");
    init(&data, "xa", "27112", "Xã Tân Phú");
    let mut ui = Ui::spawn_with(&data, dir.path(), 24, 80, &[("TERM", "linux")]);
    ui.screen.wait_for("Tổ chức Đảng cấp trên");
    let text = ui.screen.text();
    let odd: String = text
        .chars()
        .filter(|c| matches!(c, '\u{2190}'..='\u{21FF}' | '\u{2500}'..='\u{27BF}'))
        .collect();
    assert!(odd.is_empty(), "{odd:?} in\n{text}");
    assert!(text.contains("+-") && text.contains('|'), "{text}");
    ui.send(b"\x11"); // Ctrl+Q
    assert!(ui.wait_exit().success());
}

#[test]
fn reopening_the_report_goes_back_to_where_the_user_was() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("bao-cao.json");
    init(&data, "xa", "27112", "Xã Tân Phú");
    let mut ui = Ui::spawn(&data, dir.path(), 24, 80);
    ui.screen.wait_for("Tổ chức Đảng cấp trên");
    for _ in 0..3 {
        ui.send(b"\x1b[6~");
    }
    ui.screen.wait_for("A.II.1");
    ui.type_text("Đã sơ kết");
    ui.screen.wait_for("Đã sơ kết");
    ui.send(b"\x1b[H"); // Home: the cursor at the start of the text
    ui.send(b"\x11");
    assert!(ui.wait_exit().success());
    // Opened again: the same item, and typing lands where the cursor was.
    let mut ui = Ui::spawn(&data, dir.path(), 24, 80);
    ui.screen.wait_for("Đã sơ kết");
    assert!(
        !ui.screen.text().contains("Tổ chức Đảng cấp trên"),
        "{}",
        ui.screen.text()
    );
    ui.type_text("Năm 2014 ");
    ui.screen.wait_for("Năm 2014 Đã sơ kết");
    ui.send(b"\x11");
    assert!(ui.wait_exit().success());
}

/// A report made by a baocao from before keys (no key file, no copy among
/// the backups) gets its key when the UI opens it, and the UI says so with
/// the fingerprint to read to the parent on the phone.
#[test]
fn the_ui_makes_a_missing_key_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("bao-cao.json");
    init(&data, "xa", "27112", "Xã Tân Phú");
    let key = baocao::store::key::key_path(&data);
    std::fs::remove_file(&key).unwrap();
    let _ = std::fs::remove_file(baocao::store::key::key_backup_path(&data));
    let mut ui = Ui::spawn(&data, dir.path(), 30, 100);
    ui.screen.wait_for("đã tạo khóa mới");
    assert!(key.exists(), "the key is made on opening");
    ui.send(b"\x11");
    assert!(ui.wait_exit().success());
}
