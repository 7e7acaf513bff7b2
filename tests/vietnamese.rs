//! Vietnamese done right, end to end: the built-in Telex/VNI in the form,
//! NFC for everything that comes in, accent-insensitive search across the
//! children, and old TCVN3/VNI text converted.

mod common;

use baocao::outline::Outline;
use baocao::report::Report;
use baocao::tui::app::{App, BURST_GAP, Effect, Input, Layer, Pace};
use baocao::tui::theme::Theme;
use baocao::vi::ime::{Method, ToneStyle};
use baocao::workspace::Workspace;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use serde_json::{Value, json};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

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
    // Chosen, so the outline's own style (ủy) does not apply.
    app.settings.tone_style = ToneStyle::Old;
    app.settings.tone_style_chosen = true;
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
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("Kiểu gõ: Telex"), "{text}");
    // No tone style chosen: typing follows the outline's.
    assert!(text.contains("như đề cương viết"), "{text}");
    let out = run(&["settings", "--tone-style", "old"]);
    assert!(out.status.success());
    let saved: Value =
        serde_json::from_slice(&std::fs::read(cfg.path().join("settings.json")).unwrap()).unwrap();
    assert_eq!(saved["tone_style"], "old");
    assert_eq!(saved["tone_style_chosen"], true);
    assert!(String::from_utf8_lossy(&run(&["settings"]).stdout).contains("hoà, thuý"));
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
        text.contains("Xã Phú Lâm (27112) · A.I.1 Công tác tổ chức quán triệt, triển khai, tuyên truyền — Hình thức, phương pháp quán triệt, tuyên truyền:")
            && !text.contains("hinh_thuc_quan_triet")
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

// ---- The built-in method gets out of the way (issue 14 item 2) ----

fn text_of(app: &App, item: &str, field: &str) -> String {
    app.ws
        .report
        .value(item, field)
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string()
}

fn title(app: &mut App) -> String {
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(110, 40)).unwrap();
    t.draw(|f| baocao::tui::view::draw(f, app)).unwrap();
    let buf = t.backend().buffer();
    (0..buf.area.width).map(|x| buf[(x, 0)].symbol()).collect()
}

fn char_events(s: &str) -> Vec<Event> {
    s.chars()
        .map(|c| {
            let code = match c {
                '\u{8}' => KeyCode::Backspace,
                c => KeyCode::Char(c),
            };
            Event::Key(KeyEvent::new(code, KeyModifiers::NONE))
        })
        .collect()
}

/// Feeds `batches` as the event loop does: each batch read together at its
/// time.
fn arrive(app: &mut App, pace: &mut Pace, batches: &[(&str, Instant)]) {
    for (keys, at) in batches {
        for input in pace.mark(char_events(keys), *at) {
            app.update(input);
        }
    }
}

fn is_fast(inputs: &[Input]) -> Vec<bool> {
    inputs.iter().map(|i| matches!(i, Input::Fast(_))).collect()
}

#[test]
fn keys_that_arrive_together_are_a_paste_and_go_in_as_typed() {
    let t0 = Instant::now();
    let mut pace = Pace::new();
    // Three printable keys in one read: a paste delivered as keys.
    assert_eq!(is_fast(&pace.mark(char_events("Exc"), t0)), [true; 3]);
    // A long paste comes in several reads, right after each other.
    assert_eq!(
        is_fast(&pace.mark(char_events("e"), t0 + BURST_GAP / 2)),
        [true]
    );
    // A key a moment later is typed by a person again.
    let later = t0 + BURST_GAP * 10;
    assert_eq!(is_fast(&pace.mark(char_events("l"), later)), [false]);
    // Two keys in one read: a slow machine catching up with a person.
    assert_eq!(
        is_fast(&pace.mark(char_events("ab"), later)),
        [false, false]
    );
    // Backspaces then letters: an input method rewriting a word.
    let rewrite = pace.mark(char_events("\u{8}\u{8}òan"), later);
    assert_eq!(is_fast(&rewrite), [false; 5]);
    // Only the printable keys of a burst are marked; Enter is a key.
    let mut batch = char_events("ab");
    batch.push(Event::Key(KeyEvent::new(
        KeyCode::Enter,
        KeyModifiers::NONE,
    )));
    batch.extend(char_events("c"));
    assert_eq!(is_fast(&pace.mark(batch, later)), [true, true, false, true]);
    // Key releases (Windows reports them) are not keys typed.
    let mut pace = Pace::new();
    let mut release = KeyEvent::new(KeyCode::Char('a'), KeyModifiers::NONE);
    release.kind = ratatui::crossterm::event::KeyEventKind::Release;
    let batch = vec![Event::Key(release); 5]
        .into_iter()
        .chain(char_events("a"))
        .collect();
    assert_eq!(is_fast(&pace.mark(batch, t0)), [false; 6]);
}

#[test]
fn a_paste_delivered_as_keys_is_not_run_through_telex() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_for(commune_ws(dir.path()), Method::Telex);
    go(&mut app, "A.I.1", "hinh_thuc_quan_triet");
    let t0 = Instant::now();
    let mut pace = Pace::new();
    let pasted = "Quán triệt TW, Excel, hoaf, Windows";
    arrive(&mut app, &mut pace, &[(pasted, t0)]);
    assert_eq!(text_of(&app, "A.I.1", "hinh_thuc_quan_triet"), pasted);
    // Vietnamese pasted as keys is no sign of a system input method.
    assert!(!app.os_input);
    // The same keys typed by a person, a key at a time: Telex.
    let typed: Vec<(String, Instant)> = " hoaf TW"
        .chars()
        .enumerate()
        .map(|(i, c)| {
            (
                c.to_string(),
                t0 + Duration::from_millis(200 * (i as u64 + 1)),
            )
        })
        .collect();
    let typed: Vec<(&str, Instant)> = typed.iter().map(|(s, t)| (s.as_str(), *t)).collect();
    arrive(&mut app, &mut pace, &typed);
    assert_eq!(
        text_of(&app, "A.I.1", "hinh_thuc_quan_triet"),
        format!("{pasted} hoà TƯ")
    );
}

#[test]
fn a_system_input_method_types_and_the_title_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_for(commune_ws(dir.path()), Method::Telex);
    go(&mut app, "A.I.1", "hinh_thuc_quan_triet");
    assert!(title(&mut app).contains("Telex"));
    // Unikey (new style) sends "hò" then "a", "ủ" then "y": not re-toned,
    // though the built-in Telex is set to the old style.
    keys(&mut app, "hò");
    assert!(app.os_input);
    assert!(app.notice.as_deref().is_some_and(|n| n.contains("Unikey")));
    keys(&mut app, "a ủy");
    assert_eq!(text_of(&app, "A.I.1", "hinh_thuc_quan_triet"), "hòa ủy");
    let t = title(&mut app);
    assert!(t.contains("Bộ gõ máy") && !t.contains("Telex"), "{t}");
    // While it is on, the built-in method stands aside in every word:
    // Unikey gives back the keys it does not take (as here "thanh").
    keys(&mut app, " thanhf");
    assert_eq!(
        text_of(&app, "A.I.1", "hinh_thuc_quan_triet"),
        "hòa ủy thanhf"
    );
    // F2 gives the built-in method back, as it was (not the next one).
    assert_eq!(key(&mut app, KeyCode::F(2), KeyModifiers::NONE), vec![]);
    assert!(!app.os_input);
    assert_eq!(app.settings.input_method, Method::Telex);
    assert!(title(&mut app).contains("Telex"));
    keys(&mut app, " hoaf");
    assert_eq!(
        text_of(&app, "A.I.1", "hinh_thuc_quan_triet"),
        "hòa ủy thanhf hoà"
    );
    // With the built-in method off there is nothing to stand aside.
    let mut app = app_for(commune_ws(dir.path()), Method::Off);
    go(&mut app, "A.I.1", "hinh_thuc_quan_triet");
    keys(&mut app, "hòa");
    assert!(!app.os_input);
}

#[test]
fn undo_in_the_form_takes_back_telex_steps_and_words() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_for(commune_ws(dir.path()), Method::Telex);
    go(&mut app, "A.I.1", "hinh_thuc_quan_triet");
    keys(&mut app, "Vieetj Nam");
    let field = |app: &App| text_of(app, "A.I.1", "hinh_thuc_quan_triet");
    assert_eq!(field(&app), "Việt Nam");
    let mut states = Vec::new();
    for _ in 0..5 {
        key(&mut app, KeyCode::Char('z'), KeyModifiers::CONTROL);
        states.push(field(&app));
    }
    assert_eq!(states, ["Việt ", "Viêt", "Viê", "Vie", ""]);
    // Ctrl+Y does it again.
    key(&mut app, KeyCode::Char('y'), KeyModifiers::CONTROL);
    assert_eq!(field(&app), "Vie");
    // A code typed is one word, its Đ one step: never "27-BC/" with the
    // letters typed after it gone.
    key(&mut app, KeyCode::Char('z'), KeyModifiers::CONTROL);
    keys(&mut app, "27-BC/DDU");
    assert_eq!(field(&app), "27-BC/ĐU");
    key(&mut app, KeyCode::Char('z'), KeyModifiers::CONTROL);
    assert_eq!(field(&app), "27-BC/Đ");
    key(&mut app, KeyCode::Char('z'), KeyModifiers::CONTROL);
    assert_eq!(field(&app), "27-BC/D");
    key(&mut app, KeyCode::Char('z'), KeyModifiers::CONTROL);
    assert_eq!(field(&app), "");
}

#[test]
fn ctrl_z_brings_back_a_deleted_table_row() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_for(commune_ws(dir.path()), Method::Telex);
    go(&mut app, "A.I.2", "van_ban");
    let rows = |app: &App| {
        app.ws
            .report
            .value("A.I.2", "van_ban")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default()
    };
    let enter = |app: &mut App| key(app, KeyCode::Enter, KeyModifiers::NONE);
    for code in ["12-NQ/DDU", "7-KH/DDU", "9-CT/TW"] {
        key(&mut app, KeyCode::Insert, KeyModifiers::NONE);
        keys(&mut app, code);
        enter(&mut app);
        key(&mut app, KeyCode::Esc, KeyModifiers::NONE);
    }
    let before = rows(&app);
    assert_eq!(before.len(), 3);
    assert_eq!(before[0]["so_ky_hieu"], "12-NQ/ĐU", "{before:?}");
    // The middle row, deleted after the question.
    key(&mut app, KeyCode::Up, KeyModifiers::NONE);
    key(&mut app, KeyCode::Delete, KeyModifiers::NONE);
    assert!(matches!(app.front(), Some(Layer::ConfirmDelete(_))));
    enter(&mut app);
    assert_eq!(rows(&app), [before[0].clone(), before[2].clone()]);
    assert!(app.notice.as_deref().is_some_and(|n| n.contains("Ctrl+Z")));
    // Ctrl+Z: back where it was, and selected.
    let effects = key(&mut app, KeyCode::Char('z'), KeyModifiers::CONTROL);
    assert_eq!(rows(&app), before);
    assert!(effects.contains(&Effect::Save) || app.save.dirty);
    // Once: a second Ctrl+Z has nothing to bring back.
    key(&mut app, KeyCode::Char('z'), KeyModifiers::CONTROL);
    assert_eq!(rows(&app), before);
}

#[test]
fn the_tone_style_follows_the_outline_unless_one_was_chosen() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_for(commune_ws(dir.path()), Method::Telex);
    // The embedded outline writes "Đảng ủy", "hóa".
    assert_eq!(app.outline_style, Some(ToneStyle::New));
    app.settings.tone_style_chosen = false;
    go(&mut app, "A.I.1", "hinh_thuc_quan_triet");
    keys(&mut app, "uyr ban, vawn hoas, thuyr");
    assert_eq!(
        text_of(&app, "A.I.1", "hinh_thuc_quan_triet"),
        "ủy ban, văn hóa, thủy"
    );
    // Chosen (baocao settings --tone-style old): the choice wins.
    let mut app = app_for(commune_ws(dir.path()), Method::Telex);
    assert_eq!(app.typing().tone_style, ToneStyle::Old);
    app.settings.tone_style_chosen = false;
    assert_eq!(app.typing().tone_style, ToneStyle::New);
    // A "new" saved by an older version was a choice: the default was old.
    app.settings.tone_style = ToneStyle::New;
    app.outline_style = Some(ToneStyle::Old);
    assert_eq!(app.typing().tone_style, ToneStyle::New);
    // An outline that shows no style: the setting's.
    app.settings.tone_style = ToneStyle::Old;
    app.outline_style = None;
    assert_eq!(app.typing().tone_style, ToneStyle::Old);
}

fn screen_text(app: &mut App, w: u16, h: u16) -> String {
    app.update(Input::Term(Event::Resize(w, h)));
    let mut t = ratatui::Terminal::new(ratatui::backend::TestBackend::new(w, h)).unwrap();
    t.draw(|f| baocao::tui::view::draw(f, app)).unwrap();
    let buf = t.backend().buffer();
    (0..h)
        .map(|y| {
            let line: String = (0..w).map(|x| buf[(x, y)].symbol()).collect();
            line.trim_end().to_string() + "\n"
        })
        .collect()
}

/// The form while a system input method types: the title bar says so,
/// and the notice says how to get the built-in method back.
#[test]
fn snapshot_the_title_bar_with_a_system_input_method() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app_for(commune_ws(dir.path()), Method::Telex);
    go(&mut app, "A.I.1", "hinh_thuc_quan_triet");
    keys(&mut app, "hò");
    insta::assert_snapshot!("os_input_80x24", screen_text(&mut app, 80, 24));
    insta::assert_snapshot!("os_input_120x40", screen_text(&mut app, 120, 40));
}
