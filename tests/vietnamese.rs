//! Vietnamese done right, end to end: the built-in Telex/VNI in the form,
//! NFC for everything that comes in, accent-insensitive search across the
//! children, and old TCVN3/VNI text converted.

mod common;

use baocao::outline::Outline;
use baocao::report::Report;
use baocao::tui::app::{App, Effect, Input, Layer};
use baocao::tui::theme::Theme;
use baocao::vi::ime::{Method, ToneStyle};
use baocao::workspace::Workspace;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;

fn app_for(ws: Workspace, method: Method) -> App {
    let mut app = App::new(
        ws,
        (110, 40),
        Theme {
            color: false,
            ascii: false,
        },
    );
    app.settings.input_method = method;
    app.settings.tone_style = ToneStyle::Old;
    app
}

fn commune_ws(dir: &Path) -> Workspace {
    common::workspace(
        dir,
        "r.json",
        common::unit("xa", "27112", "Xã Tân Phú", Some("HU01")),
    )
}

fn key(app: &mut App, code: KeyCode, mods: KeyModifiers) -> Vec<Effect> {
    app.update(Input::Term(Event::Key(KeyEvent::new(code, mods))))
}

fn keys(app: &mut App, s: &str) {
    for c in s.chars() {
        key(app, KeyCode::Char(c), KeyModifiers::NONE);
    }
}

fn go(app: &mut App, item: &str, field: &str) {
    while app.item_id() != item {
        key(app, KeyCode::PageDown, KeyModifiers::NONE);
    }
    while app.form.editors[app.form.focus].field.id != field {
        key(app, KeyCode::Tab, KeyModifiers::NONE);
    }
}

#[test]
fn telex_in_a_text_field_and_never_in_a_number() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_for(commune_ws(dir.path()), Method::Telex);
    go(&mut app, "A.I.1", "hinh_thuc_quan_triet");
    keys(
        &mut app,
        "Ddaangr uyr xax quas ddwowngf nghieeng thuowr khuyur hoaf",
    );
    assert_eq!(
        app.ws.report.value("A.I.1", "hinh_thuc_quan_triet"),
        Some(&json!("Đẩng uỷ xã quá đường nghiêng thuở khuỷu hoà"))
    );
    go(&mut app, "A.I.1", "so_hoi_nghi");
    keys(&mut app, "12");
    assert_eq!(
        app.ws.report.value("A.I.1", "so_hoi_nghi"),
        Some(&json!(12))
    );
}

#[test]
fn vni_digits_mark_text_but_numbers_stay_numbers() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_for(commune_ws(dir.path()), Method::Vni);
    go(&mut app, "A.I.1", "hinh_thuc_quan_triet");
    keys(&mut app, "Vie65t Nam d9o7n vi5");
    assert_eq!(
        app.ws.report.value("A.I.1", "hinh_thuc_quan_triet"),
        Some(&json!("Việt Nam đơn vị"))
    );
    go(&mut app, "A.I.1", "so_hoi_nghi");
    keys(&mut app, "1250");
    assert_eq!(
        app.ws.report.value("A.I.1", "so_hoi_nghi"),
        Some(&json!(1250))
    );
}

#[test]
fn f2_cycles_the_input_method_shows_it_and_asks_to_remember_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_for(commune_ws(dir.path()), Method::Telex);
    assert_eq!(
        key(&mut app, KeyCode::F(2), KeyModifiers::NONE),
        vec![Effect::SaveSettings]
    );
    assert_eq!(app.settings.input_method, Method::Vni);
    key(&mut app, KeyCode::F(2), KeyModifiers::NONE);
    assert_eq!(app.settings.input_method, Method::Off);
    key(&mut app, KeyCode::F(2), KeyModifiers::NONE);
    assert_eq!(app.settings.input_method, Method::Telex);
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(110, 40)).unwrap();
    t.draw(|f| baocao::tui::view::draw(f, &mut app)).unwrap();
    let top: String = (0..110)
        .map(|x| t.backend().buffer()[(x, 0)].symbol().to_string())
        .collect();
    assert!(top.contains("Telex ·"), "{top}");
}

#[test]
fn the_settings_command_remembers_the_method_for_the_user() {
    let cfg = tempfile::tempdir().unwrap();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_baocao"))
            .env("BAOCAO_CONFIG_DIR", cfg.path())
            .args(["--lang", "vi"])
            .args(args)
            .output()
            .unwrap()
    };
    let out = run(&["settings"]);
    assert!(String::from_utf8_lossy(&out.stdout).contains("Kiểu gõ: Telex"));
    let out = run(&["settings", "--input-method", "vni", "--tone-style", "new"]);
    assert!(out.status.success());
    let out = run(&["settings"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Kiểu gõ: VNI") && text.contains("hòa, thúy"),
        "{text}"
    );
    let out = run(&["settings", "--input-method", "unikey"]);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("dùng telex, vni hoặc off"));
}

#[test]
fn pasted_tcvn3_is_offered_for_conversion_and_f9_converts_a_field() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_for(commune_ws(dir.path()), Method::Off);
    go(&mut app, "A.I.1", "hinh_thuc_quan_triet");
    app.update(Input::Term(Event::Paste(
        "§¶ng bé x· tæ chøc häc tËp".into(),
    )));
    assert!(
        matches!(app.front(), Some(Layer::LegacyPaste(_))),
        "the offer is shown"
    );
    assert_eq!(
        app.ws.report.value("A.I.1", "hinh_thuc_quan_triet"),
        None,
        "nothing pasted yet"
    );
    key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert_eq!(
        app.ws.report.value("A.I.1", "hinh_thuc_quan_triet"),
        Some(&json!("Đảng bộ xã tổ chức học tập"))
    );
    // Esc keeps the text as it came.
    key(&mut app, KeyCode::Tab, KeyModifiers::NONE);
    app.update(Input::Term(Event::Paste("Ñaûng boä xaõ".into())));
    key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    assert_eq!(
        app.ws.report.value("A.I.1", "ty_le_chuyen_bien"),
        Some(&json!("Ñaûng boä xaõ"))
    );
    // F9 converts what is in the field.
    key(&mut app, KeyCode::F(9), KeyModifiers::NONE);
    assert_eq!(
        app.ws.report.value("A.I.1", "ty_le_chuyen_bien"),
        Some(&json!("Đảng bộ xã"))
    );
}

/// A district with two communes whose texts differ in accents.
fn district_with_children(dir: &Path) -> Workspace {
    let outline = Outline::embedded().clone();
    let usb = dir.join("usb");
    std::fs::create_dir_all(&usb).unwrap();
    let mut files = Vec::new();
    for (code, name, text) in [
        (
            "27112",
            "Xã Phú Lâm",
            "Đảng ủy tổ chức quán triệt cho đảng viên.",
        ),
        // Decomposed (NFD), as some old machines send it.
        (
            "27115",
            "Xã Phú Bình",
            "Ðang vie\u{302}\u{301}n hội nghị; Đảng viên tham gia đầy đủ.",
        ),
    ] {
        let mut r = Report::new(&outline, common::unit("xa", code, name, Some("HU01"))).unwrap();
        r.set_value("A.I.1", "hinh_thuc_quan_triet", Value::String(text.into()));
        let path = dir.join(format!("{code}.json"));
        baocao::store::save(&path, &r).unwrap();
        files.push(
            Workspace::new(&path, outline.clone(), r)
                .unwrap()
                .export(&usb)
                .unwrap(),
        );
    }
    let mut r = Report::new(
        &outline,
        common::unit("huyen", "HU01", "Huyện ủy Tân Phú", None),
    )
    .unwrap();
    r.set_value(
        "A.II.1",
        "chuyen_bien_nhan_thuc",
        json!("Cấp ủy chú trọng công tác quán triệt."),
    );
    let path = dir.join("huyen.json");
    baocao::store::save(&path, &r).unwrap();
    let mut ws = Workspace::new(&path, outline, r).unwrap();
    common::list_senders(&mut ws, &files);
    for f in files {
        let ex = ws.examine(&f);
        ws.accept(&ex).unwrap();
    }
    baocao::store::save(&path, &ws.report).unwrap();
    ws
}

#[test]
fn imported_decomposed_text_is_used_in_nfc() {
    let dir = tempfile::tempdir().unwrap();
    let ws = district_with_children(dir.path());
    let binh = ws
        .children
        .iter()
        .find(|c| c.package.unit.code == "27115")
        .unwrap();
    let text = binh.package.answers["A.I.1"]["hinh_thuc_quan_triet"]
        .as_str()
        .unwrap();
    assert_eq!(text, "Ðang viến hội nghị; Đảng viên tham gia đầy đủ.");
    assert!(unicode_normalization::is_nfc(text));
    // The archived bytes stay exactly as received (the checksum covers them).
    let archived = baocao::store::archive::records(&ws.path);
    assert_eq!(archived.len(), 2);
    for c in &ws.children {
        let bytes = archived
            .iter()
            .find(|(sum, _)| *sum == c.received.checksum)
            .map(|(_, b)| b)
            .unwrap();
        assert!(bytes.starts_with(b"{"));
    }
}

#[test]
fn search_finds_with_or_without_diacritics_across_children_and_jumps() {
    let dir = tempfile::tempdir().unwrap();
    let ws = district_with_children(dir.path());
    let hits = baocao::search::search(&ws, "quan triet");
    let where_: Vec<(&str, &str)> = hits
        .iter()
        .map(|h| (h.unit_code.as_str(), h.item.as_str()))
        .collect();
    assert_eq!(
        where_,
        vec![("HU01", "A.II.1"), ("27112", "A.I.1")],
        "own answers first, then the children"
    );
    assert!(hits[1].text.contains("«quán triệt»"), "{}", hits[1].text);
    let hits = baocao::search::search(&ws, "DANG VIEN");
    assert_eq!(
        hits.iter()
            .map(|h| h.unit_code.as_str())
            .collect::<Vec<_>>(),
        vec!["27115", "27112"],
        "Vietnamese order: Bình before Lâm"
    );
    assert!(
        baocao::search::search(&ws, "quán triệt").len() == 2,
        "with accents too"
    );
    assert!(baocao::search::search(&ws, "khong co dau nay").is_empty());

    // In the UI: Ctrl+F, type, Enter goes to the child's answer in review.
    let mut app = app_for(ws, Method::Off);
    key(&mut app, KeyCode::Char('f'), KeyModifiers::CONTROL);
    keys(&mut app, "quan triet");
    key(&mut app, KeyCode::Down, KeyModifiers::NONE);
    key(&mut app, KeyCode::Enter, KeyModifiers::NONE);
    assert!(app.front().is_none(), "the search closed");
    assert_eq!(app.item_id(), "A.I.1");
    assert_eq!(
        app.form.editors[app.form.focus].field.id,
        "hinh_thuc_quan_triet"
    );
    let sel = app
        .form
        .review
        .as_ref()
        .expect("review opened on the child")
        .selected;
    assert_eq!(app.review_children()[sel].package.unit.code, "27112");
}

#[test]
fn search_from_the_command_line_in_text_and_json() {
    let dir = tempfile::tempdir().unwrap();
    district_with_children(dir.path());
    let data = dir.path().join("huyen.json");
    let out = Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(["--lang", "vi", "--data"])
        .arg(&data)
        .args(["search", "dang vien", "--json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let hits: Value = serde_json::from_slice(&out.stdout).unwrap();
    let first = &hits[0];
    for k in ["unit_code", "item", "field", "text"] {
        assert!(first.get(k).is_some(), "missing {k}: {first}");
    }
    assert_eq!(first["unit_code"], "27115");
    let out = Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(["--lang", "vi", "--data"])
        .arg(&data)
        .args(["search", "quan triet"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Xã Phú Lâm (27112) · A.I.1 / hinh_thuc_quan_triet:")
            && text.contains("2 kết quả."),
        "{text}"
    );
}

#[test]
fn convert_tcvn3_and_vni_windows_files_and_stdin() {
    let dir = tempfile::tempdir().unwrap();
    // A TCVN3 file as 8-bit bytes, as old Word saved it: "Đảng bộ xã Tân Phú".
    let tcvn3: Vec<u8> = vec![
        0xA7, 0xB6, b'n', b'g', b' ', b'b', 0xE9, b' ', b'x', 0xB7, b' ', b'T', 0xA9, b'n', b' ',
        b'P', b'h', 0xF3,
    ];
    let f = dir.path().join("cu.txt");
    std::fs::write(&f, &tcvn3).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(["convert", "--from", "tcvn3"])
        .arg(&f)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "Đảng bộ xã Tân Phú");
    let mut child = Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(["convert", "--from", "vni"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all("Ñaûng boä xaõ Taân Phuù".as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "Đảng bộ xã Tân Phú");
    let out = Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(["--lang", "vi", "convert", "--from", "xyz"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("dùng tcvn3 hoặc vni"));
}
