//! Terminal safety (issue 7, item 2): text from packages and reports can
//! hold control characters and escape sequences (clear the screen, OSC 52
//! writing the clipboard, BEL, C1 controls such as CSI U+009B, DEL, and
//! bidirectional overrides). None of them reaches the terminal as a
//! control: checked on the captured output of the command line, on every
//! cell of the UI's rendered buffer on each screen, and in the text,
//! Markdown and DOCX renders.

mod common;

use baocao::outline::Outline;
use baocao::report::{Report, Unit};
use baocao::tui::app::{App, Input, Layer};
use baocao::tui::theme::Theme;
use baocao::tui::view;
use baocao::workspace::Workspace;
use common::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use serde_json::{Value, json};
use std::fs;
use std::path::{Path, PathBuf};

/// Everything a terminal could obey: ESC [ 2 J (clear), OSC 52 (write
/// the clipboard) ended by BEL, CSI as one C1 character, NEL, a bidi
/// override, DEL, backspace, a bare carriage return, NUL.
/// What a package may still carry (the C0 controls, XML cannot hold, are
/// refused at import): the C1 controls, DEL, a next line, and
/// bidirectional overrides. A terminal may obey them all.
const EVIL_KEPT: &str = "\u{9b}31m\u{9b}2J\u{85}\u{202e}\u{7f}\u{2066}";
const EVIL: &str = "\u{1b}[2J\u{1b}]52;c;cm0gLXJmIH4=\u{7}\u{9b}31m\u{85}\u{202e}\u{7f}\u{8}\r\u{0}\u{1b}P+q\u{1b}\\";

/// A character a terminal could act on: C0 (line feed and tab aside),
/// DEL, C1, or a bidirectional control.
fn dangerous(c: char, newline_ok: bool) -> bool {
    match c {
        '\n' => !newline_ok,
        '\t' => false,
        c if (c as u32) < 0x20 || c == '\u{7f}' => true,
        '\u{80}'..='\u{9f}' => true,
        '\u{061c}'
        | '\u{200e}'
        | '\u{200f}'
        | '\u{202a}'..='\u{202e}'
        | '\u{2066}'..='\u{2069}' => true,
        _ => false,
    }
}

#[track_caller]
fn assert_safe(what: &str, s: &str, newline_ok: bool) {
    assert!(
        !s.as_bytes().contains(&0x1b),
        "{what}: an ESC byte in {s:?}"
    );
    let chars: Vec<char> = s.chars().collect();
    if let Some(i) = chars.iter().position(|&c| dangerous(c, newline_ok)) {
        let around: String = chars[i.saturating_sub(60)..(i + 10).min(chars.len())]
            .iter()
            .collect();
        panic!("{what}: U+{:04X}: {around:?}", chars[i] as u32);
    }
}

fn evil_name() -> String {
    format!("Xã {EVIL_KEPT}Tân Phú")
}

/// The commune's report: the unit's name, a text answer, a number typed
/// with escapes (kept as typed, invalid), and a table's cells all hostile.
fn hostile_commune(dir: &Path) -> (PathBuf, Workspace) {
    let outline = Outline::embedded().clone();
    let unit = Unit {
        unit_type: "xa".into(),
        code: "27112".into(),
        name: "Xã Tân Phú".into(),
        parent_code: Some("HU01".into()),
        parent_name: Some("Huyện ủy".into()),
    };
    let mut r = Report::new(&outline, unit).unwrap();
    r.set_value(
        "A.I.1",
        "hinh_thuc_quan_triet",
        json!(format!(
            "Quán triệt{EVIL_KEPT} nghị quyết\nDòng hai{EVIL_KEPT}"
        )),
    );
    r.set_value("A.I.1", "so_hoi_nghi", json!(format!("12{EVIL_KEPT}")));
    r.set_value("A.I.1", "dang_vien_tham_gia", json!(1204));
    r.set_value("A.I.1", "dang_vien_tong_so", json!(1250));
    r.set_value(
        "A.I.2",
        "van_ban",
        json!([{
            "so_ky_hieu": format!("1{EVIL_KEPT}-KH"),
            "ngay_ban_hanh": "01/01/2010",
            "co_quan": format!("BTV{EVIL_KEPT}"),
            "trich_yeu": format!("Quán triệt{EVIL_KEPT}")
        }]),
    );
    r.set_value("front", "co_quan", json!(format!("ĐẢNG ỦY{EVIL_KEPT}")));
    let path = dir.join("xa.json");
    baocao::store::save(&path, &r).unwrap();
    let ws = Workspace::new(&path, outline, r).unwrap();
    (path, ws)
}

/// A district that took the hostile commune's package, and a USB folder
/// holding it, a damaged package under a hostile file name, and one for
/// another parent whose code and parent code are hostile.
struct Rig {
    _tmp: tempfile::TempDir,
    commune: PathBuf,
    district: PathBuf,
    usb: PathBuf,
    files: Vec<PathBuf>,
}

fn rig() -> Rig {
    let tmp = temp_dir();
    let dir = tmp.path();
    let usb = dir.join("usb");
    fs::create_dir_all(&usb).unwrap();
    let (commune, mut cws) = hostile_commune(dir);
    let good = cws.export(&usb).unwrap();
    // Names with escapes are refused at every door now; a report from an
    // older baocao may still hold them, and its own commands show them.
    cws.report.unit.name = evil_name();
    cws.report.unit.parent_name = Some(format!("Huyện ủy{EVIL_KEPT}"));
    baocao::store::save(&commune, &cws.report).unwrap();

    let mut ws = workspace(
        dir,
        "huyen.json",
        unit("huyen", "HU01", "Huyện ủy Tân Phú", None),
    );
    let district = ws.path.clone();
    ws.add_child("27112", "Xã Tân Phú", None, Some("01/01/2000"))
        .unwrap();
    ws.add_child("27115", "Xã Phú Lâm", None, None).unwrap();
    let ex = ws.examine(&good);
    assert!(ex.verdict.accepted(), "{}", ex.message());
    ws.accept(&ex).unwrap();
    baocao::store::save(&district, &ws.report).unwrap();

    // Another parent, with escapes in the code and the parent code.
    let mut v: Value = serde_json::from_slice(&fs::read(&good).unwrap()).unwrap();
    v["unit"]["code"] = json!(format!("27{EVIL}113"));
    v["unit"]["parent_code"] = json!(format!("HU{EVIL}02"));
    let other = usb.join("khac.bcpkg");
    fs::write(
        &other,
        serde_json::to_vec(&baocao::package::seal(v.clone())).unwrap(),
    )
    .unwrap();
    // The checksum broken: the message names the unit.
    v["revision"] = json!(7);
    let broken = usb.join("hong.bcpkg");
    fs::write(&broken, serde_json::to_vec(&v).unwrap()).unwrap();
    // A key the format does not have, spelled with escapes.
    let mut w: Value = serde_json::from_slice(&fs::read(&good).unwrap()).unwrap();
    w[format!("x{EVIL}")] = json!(1);
    w["status"] = json!(format!("xong{EVIL}"));
    let unknown = usb.join("la.bcpkg");
    fs::write(
        &unknown,
        serde_json::to_vec(&baocao::package::seal(w)).unwrap(),
    )
    .unwrap();
    // A file name with escapes (any byte but / and NUL is allowed).
    let named = usb.join("\u{1b}[2J\u{1b}]0;x\u{7}\u{9b}.bcpkg");
    fs::write(&named, b"{\"format\": \"baocao-package\"").unwrap();

    Rig {
        _tmp: tmp,
        commune,
        district,
        usb,
        files: vec![good, other, broken, unknown, named],
    }
}

// ------------------------------------------------------- command line

fn run(data: &Path, lang: &str, args: &[&std::ffi::OsStr]) -> Out {
    baocao()
        .args(["--lang", lang])
        .args(args)
        .arg("--data")
        .arg(data)
        .out()
}

#[track_caller]
fn check(what: &str, o: &Out) {
    assert_safe(&format!("{what} (stdout)"), &o.stdout, true);
    assert_safe(&format!("{what} (stderr)"), &o.stderr, true);
}

#[test]
fn no_command_prints_a_control_character() {
    let rig = rig();
    let os = |s: &'static str| std::ffi::OsStr::new(s);
    for lang in ["vi", "en"] {
        for data in [&rig.commune, &rig.district] {
            let o = run(data, lang, &[os("status")]);
            o.ok();
            check("status", &o);
            let o = run(data, lang, &[os("status"), os("--json")]);
            o.ok();
            assert!(!o.stdout.contains('\u{1b}'), "status --json escapes ESC");
            assert!(!o.stdout.contains('\u{9b}'), "status --json escapes CSI");
            // The text is kept, escaped, and reads back.
            assert!(
                o.stdout.contains("\\u009b") || o.stdout.contains("\\u001b"),
                "the text kept, escaped"
            );
            o.json();
            let o = run(data, lang, &[os("search"), os("quán triệt")]);
            o.ok();
            assert!(o.stdout.contains("Quán triệt"), "{o:?}");
            check("search", &o);
            for fmt in ["txt", "md"] {
                let o = run(
                    data,
                    lang,
                    &[os("render"), os("--format"), os(fmt), os("--out"), os("-")],
                );
                o.ok();
                check(&format!("render {fmt}"), &o);
            }
            let o = run(
                data,
                lang,
                &[
                    os("render"),
                    os("--format"),
                    os("csv"),
                    os("--out"),
                    os("-"),
                ],
            );
            o.ok();
            // CSV is data for a spreadsheet, quoted, its lines ended by
            // CR LF as RFC 4180 has it; no other control.
            let csv = Out {
                stdout: o.stdout.replace("\r\n", "\n"),
                ..o.clone()
            };
            check("render csv", &csv);
        }
        let o = run(&rig.district, lang, &[os("children"), os("list")]);
        o.ok();
        assert!(o.stdout.contains("Phú Lâm"), "{o:?}");
        check("children list", &o);
        // An argument cannot hold NUL; everything else goes in.
        let name = format!("Xã mới{}", EVIL.replace('\0', ""));
        let code = format!("27{}9", EVIL.replace('\0', ""));
        let o = run(
            &rig.district,
            lang,
            &[
                os("children"),
                os("add"),
                std::ffi::OsStr::new(&code),
                std::ffi::OsStr::new(&name),
            ],
        );
        check("children add", &o);

        // Every package on the stick: verify and import, good and bad.
        let mut args = vec![os("verify")];
        args.extend(rig.files.iter().map(|f| f.as_os_str()));
        let o = run(&rig.district, lang, &args);
        o.fails();
        assert!(o.stdout.lines().count() >= rig.files.len(), "{o:?}");
        check("verify", &o);
        args[0] = os("import");
        let o = run(&rig.district, lang, &args);
        o.fails();
        check("import", &o);
        let o = run(
            &rig.commune,
            lang,
            &[os("export"), os("--out"), rig.usb.as_os_str()],
        );
        o.ok();
        check("export", &o);
        let o = run(&rig.commune, lang, &[os("restore"), os("--list")]);
        o.ok();
        check("restore --list", &o);
    }
    // A message naming the unit: the package it received is damaged
    // (quarantined: the district still opens and says so).
    let received = baocao::store::load(&rig.district).unwrap().received;
    for r in &received {
        damage_archived(&rig.district, &r.checksum);
    }
    let o = run(&rig.district, "vi", &[std::ffi::OsStr::new("status")]);
    o.ok().stdout_has("Gói đã nhận của Xã");
    check("a damaged package naming a unit", &o);
    // A damaged report whose damage is a key with escapes.
    let mut r: Value = serde_json::from_slice(&fs::read(&rig.commune).unwrap()).unwrap();
    r["status"] = json!(format!("x{EVIL}"));
    // Resealed: the damage is in the content, which the message quotes.
    let r = baocao::store::seal(r);
    fs::write(&rig.commune, serde_json::to_vec(&r).unwrap()).unwrap();
    let o = run(&rig.commune, "en", &[std::ffi::OsStr::new("status")]);
    o.fails().stderr_has("damaged");
    check("damaged report", &o);
    let o = run(
        &rig.commune,
        "en",
        &[
            std::ffi::OsStr::new("restore"),
            std::ffi::OsStr::new("--list"),
        ],
    );
    check("restore --list of a damaged report", &o);
}

/// An outline file (sent by the province, or kept inside a report) with
/// escapes in its titles: `outline check` and `status` print it safely.
#[test]
fn an_outline_with_escapes_is_printed_safely() {
    let tmp = temp_dir();
    let mut o: Value = serde_json::from_str(
        &fs::read_to_string(root().join("schema/kl62-so-ket-2014.json")).unwrap(),
    )
    .unwrap();
    o["short_title"] = json!(format!("Sơ kết{EVIL}"));
    o["version"] = json!(format!("9{EVIL}"));
    o["items"][1]["title"] = json!(format!("Mục{EVIL}"));
    let file = tmp.path().join("de-cuong.json");
    fs::write(&file, serde_json::to_vec(&o).unwrap()).unwrap();
    let out = vi().args(["outline", "check"]).arg(&file).out();
    check("outline check", &out);
    let report = tmp.path().join("r.json");
    let init = vi()
        .args([
            "init",
            "--type",
            "xa",
            "--code",
            "27112",
            "--name",
            "Xã",
            "--outline",
        ])
        .arg(&file)
        .arg("--data")
        .arg(&report)
        .out();
    check("init with the outline", &init);
    if init.code == Some(0) {
        let s = vi().arg("status").arg("--data").arg(&report).out();
        s.ok();
        check("status with the outline", &s);
        let s = vi().args(["outline", "show", "--outline"]).arg(&file).out();
        check("outline show", &s);
    }
    // Broken in a way that puts the bad key into the problem list.
    o["items"][0][format!("k{EVIL}")] = json!(1);
    o["title"] = json!(1);
    fs::write(&file, serde_json::to_vec(&o).unwrap()).unwrap();
    let out = vi().args(["outline", "check"]).arg(&file).out();
    out.fails();
    check("outline check with problems", &out);
}

// ----------------------------------------------------------------- UI

const PLAIN: Theme = Theme {
    color: false,
    ascii: false,
};

fn key(app: &mut App, code: KeyCode, mods: KeyModifiers) {
    app.update(Input::Term(Event::Key(KeyEvent::new(code, mods))));
}

fn press(app: &mut App, code: KeyCode) {
    key(app, code, KeyModifiers::NONE)
}

/// Draws the app and checks every cell; returns the screen's text.
#[track_caller]
fn draw_clean(app: &mut App, what: &str) -> String {
    let (w, h) = app.size;
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view::draw(f, app)).unwrap();
    let buf = t.backend().buffer();
    let mut text = String::new();
    for y in 0..h {
        for x in 0..w {
            let sym = buf[(x, y)].symbol();
            if let Some(c) = sym.chars().find(|&c| dangerous(c, false)) {
                panic!(
                    "{what}: U+{:04X} in the cell at ({x}, {y}): {sym:?}",
                    c as u32
                );
            }
            text.push_str(sym);
        }
        text.push('\n');
    }
    text
}

/// Runs the jobs started (reading a folder, importing, the preview) to
/// the end, as the event loop would.
fn settle(app: &mut App) {
    while app.jobs.busy() {
        let event = app
            .jobs
            .wait(std::time::Duration::from_secs(30))
            .expect("a job answers");
        app.update(Input::Job(event));
    }
}

fn open(path: &Path, size: (u16, u16)) -> App {
    let report = baocao::store::load(path).unwrap();
    let outline = report.outline(None).unwrap();
    App::new(Workspace::new(path, outline, report).unwrap(), size, PLAIN)
}

fn to_item(app: &mut App, item: &str) {
    for _ in 0..200 {
        if app.item_id() == item {
            return;
        }
        press(app, KeyCode::PageDown);
    }
    panic!("{item} not reached");
}

fn focus_field(app: &mut App, field: &str) {
    let target = app
        .form
        .editors
        .iter()
        .position(|e| e.field.id == field)
        .unwrap_or_else(|| panic!("{field} is not on page {}", app.item_id()));
    for _ in 0..60 {
        match app.form.focus.cmp(&target) {
            std::cmp::Ordering::Equal => return,
            std::cmp::Ordering::Less => press(app, KeyCode::Tab),
            std::cmp::Ordering::Greater => press(app, KeyCode::BackTab),
        }
    }
    panic!("{field} not reachable");
}

#[test]
fn no_screen_of_the_ui_draws_a_control_character() {
    let rig = rig();
    for size in [(140, 45), (80, 24)] {
        // The commune's own form: focused and unfocused fields, a table.
        let mut app = open(&rig.commune, size);
        draw_clean(&mut app, "the first page");
        to_item(&mut app, "A.I.1");
        focus_field(&mut app, "hinh_thuc_quan_triet");
        let shown = draw_clean(&mut app, "a hostile text field, focused");
        assert!(shown.contains("Quán triệt"), "{shown}");
        focus_field(&mut app, "so_hoi_nghi");
        draw_clean(&mut app, "an invalid number focused, the text unfocused");
        to_item(&mut app, "A.I.2");
        focus_field(&mut app, "van_ban");
        draw_clean(&mut app, "a table with hostile cells");
        press(&mut app, KeyCode::Enter);
        draw_clean(&mut app, "a table row being edited");
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::F(3));
        draw_clean(&mut app, "the outline tree focused");
        press(&mut app, KeyCode::F(3));
        press(&mut app, KeyCode::F(8));
        assert!(matches!(app.front(), Some(Layer::Preview(_))));
        draw_clean(&mut app, "the preview being laid out");
        settle(&mut app);
        draw_clean(&mut app, "the preview");
        press(&mut app, KeyCode::PageDown);
        draw_clean(&mut app, "the preview, further down");
        press(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Char('f'), KeyModifiers::CONTROL);
        for c in "quan triet".chars() {
            press(&mut app, KeyCode::Char(c));
        }
        let shown = draw_clean(&mut app, "search results");
        assert!(
            matches!(app.front(), Some(Layer::Search(s)) if !s.hits.is_empty()),
            "the search finds the hostile answer: {shown}"
        );
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::F(1));
        draw_clean(&mut app, "help");
        press(&mut app, KeyCode::Esc);

        // The district: review of the hostile child, submissions, import.
        let mut app = open(&rig.district, size);
        draw_clean(&mut app, "the district's first page");
        to_item(&mut app, "A.I.1");
        focus_field(&mut app, "hinh_thuc_quan_triet");
        press(&mut app, KeyCode::F(4));
        assert!(app.form.review.is_some(), "the review panel opens");
        let shown = draw_clean(&mut app, "the review panel (F4), a text field");
        assert!(shown.contains("Quán triệt"), "{shown}");
        focus_field(&mut app, "so_hoi_nghi");
        draw_clean(&mut app, "the review panel (F4), an invalid number");
        to_item(&mut app, "A.I.2");
        draw_clean(&mut app, "the review panel (F4), the merged table");
        press(&mut app, KeyCode::F(7));
        assert!(matches!(app.front(), Some(Layer::Submissions(_))));
        draw_clean(&mut app, "submissions (F7)");
        press(&mut app, KeyCode::Down);
        draw_clean(&mut app, "submissions (F7), second row");
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::F(6));
        settle(&mut app);
        if let Some(Layer::Import(s)) = app.front_mut() {
            s.dir.set_text(&rig.usb.display().to_string());
        } else {
            panic!("not the import screen");
        }
        press(&mut app, KeyCode::Enter);
        draw_clean(&mut app, "the import list (F6) being read");
        settle(&mut app);
        let shown = draw_clean(&mut app, "the import list (F6)");
        assert!(shown.contains("Từ chối"), "{shown}");
        for _ in 0..rig.files.len() {
            press(&mut app, KeyCode::Down);
            draw_clean(&mut app, "the import list (F6), moving");
        }
        press(&mut app, KeyCode::Enter);
        draw_clean(&mut app, "importing (F6)");
        settle(&mut app);
        draw_clean(&mut app, "after importing (F6)");
        press(&mut app, KeyCode::Esc);
        press(&mut app, KeyCode::F(8));
        settle(&mut app);
        draw_clean(&mut app, "the district's preview with the appendix");
        press(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::Char('f'), KeyModifiers::CONTROL);
        for c in "btv".chars() {
            press(&mut app, KeyCode::Char(c));
        }
        draw_clean(&mut app, "search at the district");
    }
}

// ------------------------------------------------------------- renders

#[test]
fn renders_carry_no_control_character() {
    let rig = rig();
    for path in [&rig.commune, &rig.district] {
        let report = baocao::store::load(path).unwrap();
        let outline = report.outline(None).unwrap();
        let ws = Workspace::new(path, outline, report).unwrap();
        let doc = baocao::render::of_workspace(&ws);
        let text = baocao::render::text::render(&doc);
        assert!(text.contains("Quán triệt") || path == &rig.district);
        assert_safe("text", &text, true);
        assert_safe("markdown", &baocao::render::markdown::render(&doc), true);
        let bytes = baocao::render::docx::render(&doc);
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
        let mut xml = String::new();
        use std::io::Read;
        zip.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        assert_safe("document.xml", &xml.replace(['\r', '\n'], ""), false);
        for esc in ["&#27;", "&#x1b;", "&#x1B;", "&#7;", "&#155;", "&#x9b;"] {
            assert!(!xml.contains(esc), "document.xml has {esc}");
        }
        let csv = baocao::render::csv::figures(&ws);
        assert_safe("csv", &csv.replace("\r\n", "\n"), true);
    }
}
