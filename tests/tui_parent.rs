//! The UI at a parent unit, driven by keys: merged figures and overrides,
//! the review of the children's answers, importing (F6), who has sent
//! (F7), and exporting (F5).

mod common;

use baocao::outline::Outline;
use baocao::report::Report;
use baocao::tui::app::{App, Effect, Input, Layer};
use baocao::tui::theme::Theme;
use baocao::tui::view;
use baocao::validate::FieldState;
use baocao::workspace::Workspace;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;
use std::path::Path;
use std::time::Duration;

const PLAIN: Theme = Theme {
    color: false,
    ascii: false,
};

fn commune(
    dir: &Path,
    code: &str,
    name: &str,
    sessions: i64,
    part: i64,
    whole: i64,
    text: &str,
) -> std::path::PathBuf {
    let outline = Outline::embedded().clone();
    let mut r = Report::new(&outline, common::unit("xa", code, name, Some("HU01"))).unwrap();
    r.set_value("A.I.1", "so_hoi_nghi", json!(sessions));
    r.set_value("A.I.1", "dang_vien_tham_gia", json!(part));
    r.set_value("A.I.1", "dang_vien_tong_so", json!(whole));
    r.set_value("A.I.1", "hinh_thuc_quan_triet", json!(text));
    let path = dir.join(format!("{code}.json"));
    baocao::store::save(&path, &r).unwrap();
    let usb = dir.join("usb");
    std::fs::create_dir_all(&usb).unwrap();
    let mut ws = Workspace::new(&path, outline, r).unwrap();
    ws.export(&usb).unwrap()
}

fn district(dir: &Path) -> Workspace {
    let mut ws = common::workspace(
        dir,
        "huyen.json",
        common::unit("huyen", "HU01", "Huyện ủy Tân Phú", None),
    );
    ws.add_child("27112", "Xã Phú Lâm", None, Some("01/01/2100"))
        .unwrap();
    ws.add_child("27115", "Xã Phú Bình", None, Some("01/01/2100"))
        .unwrap();
    ws.add_child("27118", "Thị trấn Tân Phú", None, Some("01/01/2100"))
        .unwrap();
    ws
}

fn key(app: &mut App, code: KeyCode, mods: KeyModifiers) -> Vec<Effect> {
    app.update(Input::Term(Event::Key(KeyEvent::new(code, mods))))
}

fn press(app: &mut App, code: KeyCode) -> Vec<Effect> {
    key(app, code, KeyModifiers::NONE)
}

fn screen(app: &mut App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view::draw(f, app)).unwrap();
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        for x in 0..w {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// Runs the jobs started (USB look-up, reading a folder, importing,
/// exporting, the preview) to the end, as the event loop would; returns
/// the effects their results asked for.
fn settle(app: &mut App) -> Vec<Effect> {
    let mut effects = Vec::new();
    while app.jobs.busy() {
        let event = app
            .jobs
            .wait(Duration::from_secs(30))
            .expect("a job answers");
        effects.extend(app.update(Input::Job(event)));
    }
    effects
}

fn focus(app: &mut App, item: &str, field: &str) {
    while app.item_id() != item {
        press(app, KeyCode::PageDown);
    }
    for _ in 0..40 {
        if app.form.editors[app.form.focus].field.id == field {
            return;
        }
        press(app, KeyCode::Tab);
    }
    panic!("{field} not reachable");
}

/// A district with two communes imported.
fn parent_app(dir: &Path) -> App {
    let a = commune(
        dir,
        "27112",
        "Xã Phú Lâm",
        5,
        1204,
        1250,
        "Phú Lâm quán triệt đến 100% chi bộ.",
    );
    let b = commune(
        dir,
        "27115",
        "Xã Phú Bình",
        7,
        300,
        400,
        "Phú Bình tổ chức 7 hội nghị.",
    );
    let mut ws = district(dir);
    for p in [a, b] {
        let ex = ws.examine(&p);
        ws.accept(&ex).unwrap();
    }
    App::new(ws, (110, 40), PLAIN)
}

fn state_of(app: &App, field: &str) -> FieldState {
    app.states()
        .into_iter()
        .find(|(f, _)| f == field)
        .unwrap()
        .1
}

#[test]
fn merged_figures_show_and_an_override_is_explicit_and_reversible() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = parent_app(dir.path());
    focus(&mut app, "A.I.1", "so_hoi_nghi");
    assert!(
        matches!(state_of(&app, "so_hoi_nghi"), FieldState::Answered),
        "the aggregate answers it"
    );
    let shown = screen(&mut app, 110, 40);
    assert!(shown.contains("tổng hợp từ cấp dưới: 12"), "{shown}");
    // The outline's percentage counts the merged figures, as `status` does:
    // above what the district answered itself (nothing).
    let merged = app.ws.progress().percent();
    assert!(merged > app.ws.report.progress(&app.ws.outline).percent());
    assert!(
        shown.contains(&format!("Đề cương {merged}% ")),
        "{merged}% in {shown}"
    );
    // The rate comes from the summed parts: (1204+300)/(1250+400) = 91,2%, not the mean of 96,3% and 75%.
    assert!(
        matches!(state_of(&app, "dang_vien_ty_le"), FieldState::Computed(Some(r)) if r.round_dp(2).to_string() == "91.15")
    );
    // Typing overrides, and says so.
    for c in "15".chars() {
        press(&mut app, KeyCode::Char(c));
    }
    assert_eq!(app.ws.effective()["A.I.1"]["so_hoi_nghi"], json!(15));
    assert!(screen(&mut app, 110, 40).contains("sửa tay; số tổng hợp cấp dưới là 12"));
    // Ctrl+R goes back to the aggregate.
    key(&mut app, KeyCode::Char('r'), KeyModifiers::CONTROL);
    assert_eq!(app.ws.report.value("A.I.1", "so_hoi_nghi"), None);
    assert_eq!(app.ws.effective()["A.I.1"]["so_hoi_nghi"], json!(12));
}

#[test]
fn review_shows_each_child_and_ctrl_t_copies_a_text_with_its_unit_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = parent_app(dir.path());
    focus(&mut app, "A.I.1", "hinh_thuc_quan_triet");
    press(&mut app, KeyCode::F(4));
    let shown = screen(&mut app, 110, 40);
    assert!(
        shown.contains("▶ Xã Phú Bình (27115)") && shown.contains("  Xã Phú Lâm (27112)"),
        "{shown}"
    );
    assert!(shown.contains("Phú Bình tổ chức 7 hội nghị."));
    // Children are in Vietnamese order: Phú Bình before Phú Lâm. Pick the second.
    key(&mut app, KeyCode::Down, KeyModifiers::ALT);
    key(&mut app, KeyCode::Char('t'), KeyModifiers::CONTROL);
    assert_eq!(
        app.ws.report.value("A.I.1", "hinh_thuc_quan_triet"),
        Some(&json!("Xã Phú Lâm: Phú Lâm quán triệt đến 100% chi bộ.\n"))
    );
    press(&mut app, KeyCode::F(4));
    assert!(app.form.review.is_none());
}

#[test]
fn f7_shows_who_sent_and_who_is_missing() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = parent_app(dir.path());
    press(&mut app, KeyCode::F(7));
    assert!(matches!(app.front(), Some(Layer::Submissions(_))));
    let shown = screen(&mut app, 110, 40);
    assert!(shown.contains("đã nộp 2/3"), "{shown}");
    assert!(shown.contains("Thị trấn Tân Phú") && shown.contains("chưa nộp"));
    assert!(shown.contains("Mức hoàn thành"), "the bar chart");
    press(&mut app, KeyCode::Esc);
    assert!(app.front().is_none(), "back on the form");
}

#[test]
fn f6_lists_a_folder_says_what_each_file_would_do_and_imports() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = parent_app(dir.path());
    // A third commune's package arrives on the stick, with a damaged file beside it.
    let c = commune(
        dir.path(),
        "27118",
        "Thị trấn Tân Phú",
        2,
        50,
        60,
        "Thị trấn.",
    );
    std::fs::write(
        dir.path().join("usb").join("hong.bcpkg"),
        b"{\"format\": \"baocao-package\"",
    )
    .unwrap();
    press(&mut app, KeyCode::F(6));
    settle(&mut app);
    // The folder of the stick, then Enter reads it.
    let usb = dir.path().join("usb");
    let Some(Layer::Import(s)) = app.front_mut() else {
        panic!("not the import screen")
    };
    s.dir.set_text(&usb.display().to_string());
    press(&mut app, KeyCode::Enter);
    settle(&mut app);
    let shown = screen(&mut app, 110, 40);
    assert!(
        shown.contains("hong.bcpkg") && shown.contains("Từ chối"),
        "{shown}"
    );
    assert!(
        shown.contains("đã nhận rồi"),
        "the two already taken: {shown}"
    );
    assert!(shown.contains("Nhận gói của Thị trấn Tân Phú"), "{shown}");
    let mut effects = press(&mut app, KeyCode::Enter);
    effects.extend(settle(&mut app));
    assert_eq!(effects, vec![Effect::Save]);
    assert_eq!(app.ws.report.received.len(), 3);
    assert!(c.exists());
    assert_eq!(app.ws.effective()["A.I.1"]["so_hoi_nghi"], json!(14));
    press(&mut app, KeyCode::Esc);
    assert!(app.front().is_none(), "back on the form");
}

#[test]
fn f5_exports_the_package_into_a_folder() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = parent_app(dir.path());
    let out = dir.path().join("gui-di");
    std::fs::create_dir_all(&out).unwrap();
    press(&mut app, KeyCode::F(5));
    settle(&mut app);
    let shown = screen(&mut app, 80, 24);
    assert!(
        shown.contains("Chưa nhận gói của 1 đơn vị: Thị trấn Tân Phú (F7)."),
        "the export says who is still missing:\n{shown}"
    );
    if let Some(Layer::Export(s)) = app.front_mut() {
        s.dir.set_text(&out.display().to_string());
    } else {
        panic!("not the export screen");
    }
    let mut effects = press(&mut app, KeyCode::Enter);
    effects.extend(settle(&mut app));
    assert_eq!(effects, vec![Effect::Save]);
    let files: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().into_string().unwrap())
        .collect();
    assert_eq!(
        files,
        vec!["HU01-Huyen-uy-Tan-Phu-r1-du-thao.bcpkg".to_string()]
    );
    assert!(screen(&mut app, 110, 40).contains("Đã ghi:"));
    let (_, p) = baocao::package::parse(&std::fs::read(out.join(&files[0])).unwrap()).unwrap();
    assert_eq!(p.children.len(), 2, "the communes' packages travel inside");
    assert_eq!(p.answers["A.I.1"]["so_hoi_nghi"], json!(12));
}

#[test]
fn f8_previews_the_document_with_the_appendix_and_scrolls() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = parent_app(dir.path());
    press(&mut app, KeyCode::F(8));
    settle(&mut app);
    let Some(Layer::Preview(p)) = app.front() else {
        panic!("no preview")
    };
    let text = p.lines.join("\n");
    assert!(text.contains("BÁO CÁO") && text.contains("DỰ THẢO"));
    assert!(
        text.contains("Tổng cộng"),
        "the appendix of the children's figures"
    );
    assert!(screen(&mut app, 110, 40).contains("Xem trước văn bản (F8)"));
    press(&mut app, KeyCode::End);
    let Some(Layer::Preview(p)) = app.front() else {
        panic!()
    };
    assert_eq!(p.top, p.lines.len() - 1);
    press(&mut app, KeyCode::Esc);
    assert!(app.front().is_none(), "back on the form");
}

#[test]
fn render_writes_docx_md_and_txt_at_a_parent() {
    let dir = tempfile::tempdir().unwrap();
    let app = parent_app(dir.path());
    baocao::store::save(&app.ws.path, &app.ws.report).unwrap();
    let data = app.ws.path.clone();
    let run = |fmt: &str, out: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_baocao"))
            .args(["--lang", "vi", "--data"])
            .arg(&data)
            .args(["render", "--format", fmt, "--out", out])
            .current_dir(dir.path())
            .output()
            .unwrap()
    };
    let out = run("docx", dir.path().to_str().unwrap());
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let path = String::from_utf8(out.stdout).unwrap();
    assert!(
        path.trim()
            .ends_with("BaoCao-HU01-Huyen-uy-Tan-Phu-DU-THAO.docx"),
        "{path}"
    );
    assert!(std::fs::metadata(path.trim()).unwrap().len() > 5000);
    let md = run("md", "-");
    let md = String::from_utf8(md.stdout).unwrap();
    assert!(md.contains("# BÁO CÁO") || md.contains("BÁO CÁO"), "{md}");
    let txt = String::from_utf8(run("txt", "-").stdout).unwrap();
    // The appendix total equals the aggregate: 5 + 7 sessions.
    let total_line = txt.lines().find(|l| l.contains("Tổng cộng")).unwrap();
    assert!(total_line.contains("12"), "{total_line}");
}

// ---- F6 that explains, F7 that chases (issue 14 items 5 and 6)

/// The import screen in front, on `folder`, read.
fn f6_on(app: &mut App, folder: &Path) {
    press(app, KeyCode::F(6));
    settle(app);
    let Some(Layer::Import(s)) = app.front_mut() else {
        panic!("no import screen")
    };
    s.dir.set_text(&folder.display().to_string());
    press(app, KeyCode::Enter);
    settle(app);
}

fn f6(app: &App) -> &baocao::tui::screens::import::ImportScreen {
    match app.front() {
        Some(Layer::Import(s)) => s,
        _ => panic!("no import screen"),
    }
}

fn outcomes(app: &App) -> Vec<(String, baocao::workspace::Outcome)> {
    f6(app)
        .files()
        .iter()
        .map(|f| {
            (
                f.path.file_name().unwrap().to_string_lossy().into_owned(),
                f.outcome,
            )
        })
        .collect()
}

/// A commune's workspace, to export revisions from.
fn commune_ws(dir: &Path, code: &str, name: &str, parent: &str) -> Workspace {
    let outline = Outline::embedded().clone();
    let r = Report::new(&outline, common::unit("xa", code, name, Some(parent))).unwrap();
    let path = dir.join(format!("{code}-{parent}.json"));
    baocao::store::save(&path, &r).unwrap();
    Workspace::new(&path, outline, r).unwrap()
}

fn export_with(ws: &mut Workspace, to: &Path, sessions: i64) -> std::path::PathBuf {
    std::fs::create_dir_all(to).unwrap();
    ws.report.set_value("A.I.1", "so_hoi_nghi", json!(sessions));
    ws.export(to).unwrap()
}

fn strip(s: &str, dir: &Path) -> String {
    let d = dir.display().to_string();
    s.replace(
        &d,
        &format!("/TMP{}", " ".repeat(d.len().saturating_sub(4))),
    )
}

#[test]
fn f6_judges_each_file_against_the_ones_before_it_and_says_the_total() {
    use baocao::workspace::Outcome::*;
    let dir = tempfile::tempdir().unwrap();
    let usb = dir.path().join("usb");
    // Phú Lâm: r1 and r2 on the stick (a later file judged against the
    // earlier: new, then newer).
    let mut lam = commune_ws(dir.path(), "27112", "Xã Phú Lâm", "HU01");
    let r1 = export_with(&mut lam, &usb, 1);
    let r2 = export_with(&mut lam, &usb, 2);
    // Phú Bình: one file twice (new, then a duplicate).
    let mut binh = commune_ws(dir.path(), "27115", "Xã Phú Bình", "HU01");
    let b = export_with(&mut binh, &dir.path().join("b"), 3);
    std::fs::copy(&b, usb.join("27115-a.bcpkg")).unwrap();
    std::fs::copy(&b, usb.join("27115-b.bcpkg")).unwrap();
    // Tân Phú: r2 already here, r1 on the stick (older); and a package
    // of the same revision with other figures (conflict).
    let mut tp = commune_ws(dir.path(), "27118", "Thị trấn Tân Phú", "HU01");
    let tp1 = export_with(&mut tp, &dir.path().join("tp"), 4);
    let tp2 = export_with(&mut tp, &dir.path().join("tp2"), 5);
    std::fs::copy(&tp1, usb.join("27118-cu.bcpkg")).unwrap();
    // A package for another district: refused, with the reason in full.
    let mut other = commune_ws(dir.path(), "27121", "Xã Phú Thanh", "HU02");
    let o = export_with(&mut other, &dir.path().join("o"), 6);
    std::fs::copy(&o, usb.join("27121.bcpkg")).unwrap();
    let mut ws = district(dir.path());
    let ex = ws.examine(&tp2);
    ws.accept(&ex).unwrap();
    let mut again = commune_ws(dir.path(), "27118", "Thị trấn Tân Phú", "HU01x");
    again.report.unit.parent_code = Some("HU01".into());
    // The same unit's own key (a copy of its report, say): a conflict,
    // not a stranger's package.
    std::fs::copy(
        baocao::store::key::key_path(&tp.path),
        baocao::store::key::key_path(&again.path),
    )
    .unwrap();
    let c1 = export_with(&mut again, &dir.path().join("c"), 9);
    let c2 = export_with(&mut again, &dir.path().join("c"), 10);
    assert!(c2.to_string_lossy().contains("-r2"), "{c2:?}");
    std::fs::copy(&c2, usb.join("27118-khac.bcpkg")).unwrap();
    let _ = c1;
    let mut app = App::new(ws, (120, 40), PLAIN);
    f6_on(&mut app, &usb);
    let r1n = r1.file_name().unwrap().to_string_lossy().into_owned();
    let r2n = r2.file_name().unwrap().to_string_lossy().into_owned();
    let got = outcomes(&app);
    let of = |name: &str| got.iter().find(|(n, _)| n == name).unwrap().1;
    assert_eq!(of(&r1n), New);
    assert_eq!(of(&r2n), Newer);
    assert_eq!(of("27115-a.bcpkg"), New);
    assert_eq!(of("27115-b.bcpkg"), Duplicate);
    assert_eq!(of("27118-cu.bcpkg"), Older);
    assert_eq!(of("27118-khac.bcpkg"), Conflict);
    assert_eq!(of("27121.bcpkg"), Refused);
    let shown = screen(&mut app, 120, 40);
    assert!(
        shown.contains("Nếu nhận các tệp đã chọn: Nhận 3, trùng 1, từ chối 3."),
        "{shown}"
    );
    // The refusal's reason is there whole, never cut.
    let flat: String = shown.replace(['│', '\n'], " ");
    let flat = flat.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        flat.contains("gói gửi cho đơn vị cấp trên khác (HU02)."),
        "{shown}"
    );
    // Leaving r1 out: r2 is then the unit's first package.
    let Some(Layer::Import(s)) = app.front_mut() else {
        panic!()
    };
    let at = s
        .entries()
        .iter()
        .position(|e| {
            matches!(e, baocao::tui::screens::import::Entry::File(i)
                if s.files()[*i].path.ends_with(&r1n))
        })
        .unwrap();
    s.cursor = at;
    press(&mut app, KeyCode::Char(' '));
    settle(&mut app);
    assert_eq!(
        outcomes(&app).iter().find(|(n, _)| *n == r2n).unwrap().1,
        New
    );
    // Importing does what the preview said, and says the total.
    let effects = press(&mut app, KeyCode::Enter);
    let mut all = effects;
    all.extend(settle(&mut app));
    assert!(all.contains(&Effect::Save));
    let shown = screen(&mut app, 120, 40);
    assert!(
        shown.contains("Tổng: Nhận 2, trùng 1, từ chối 3, không chọn 1."),
        "{shown}"
    );
    assert!(
        app.ws
            .report
            .received
            .iter()
            .any(|r| r.code == "27112" && r.revision == 2)
    );
}

#[test]
fn f6_browses_folders_from_the_stick_down_and_up() {
    let dir = tempfile::tempdir().unwrap();
    let usb = dir.path().join("usb");
    let deep = usb.join("thang-10").join("huyen");
    let mut lam = commune_ws(dir.path(), "27112", "Xã Phú Lâm", "HU01");
    export_with(&mut lam, &deep, 1);
    std::fs::create_dir_all(usb.join(".an")).unwrap();
    let mut app = App::new(district(dir.path()), (120, 40), PLAIN);
    f6_on(&mut app, &usb);
    let s = f6(&app);
    assert!(s.files().is_empty());
    assert_eq!(
        s.listing.folders,
        [usb.canonicalize().unwrap().join("thang-10")],
        "hidden folders are not listed"
    );
    // The cursor is on the only folder (after the one above): Enter goes in.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    settle(&mut app);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Enter);
    settle(&mut app);
    let s = f6(&app);
    assert_eq!(s.listing.dir, deep.canonicalize().unwrap());
    assert_eq!(
        s.dir.text(),
        deep.canonicalize().unwrap().display().to_string()
    );
    assert_eq!(s.files().len(), 1);
    assert_eq!(s.files()[0].outcome, baocao::workspace::Outcome::New);
    // Backspace: up one folder.
    press(&mut app, KeyCode::Backspace);
    settle(&mut app);
    let s = f6(&app);
    assert_eq!(s.listing.dir, usb.join("thang-10").canonicalize().unwrap());
    // The cursor is on the folder just left.
    let baocao::tui::screens::import::Entry::Folder(i) = s.entries()[s.cursor] else {
        panic!("the cursor is not on a folder")
    };
    assert!(s.listing.folders[i].ends_with("huyen"));
    // The key bar says what Enter does where the cursor is.
    let shown = screen(&mut app, 120, 40);
    assert!(shown.contains("Enter Mở thư mục"), "{shown}");
}

#[test]
fn f6_snapshots_a_long_refusal_wrapped() {
    let dir = tempfile::tempdir().unwrap();
    let usb = dir.path().join("usb");
    let mut lam = commune_ws(dir.path(), "27112", "Xã Phú Lâm", "HU01");
    export_with(&mut lam, &usb, 1);
    // On the list as another name: the longest refusal.
    let mut other = commune_ws(dir.path(), "27115", "Xã Phú Bình Tây Nam Bộ", "HU01");
    export_with(&mut other, &usb, 2);
    let mut app = App::new(district(dir.path()), (120, 40), PLAIN);
    f6_on(&mut app, &usb);
    for (w, h, name) in [(80, 24, "f6_preview_80x24"), (120, 40, "f6_preview_120x40")] {
        app.update(Input::Term(Event::Resize(w, h)));
        let shown = strip(&screen(&mut app, w, h), dir.path());
        assert!(!shown.contains("Từ chối gói…"), "{shown}");
        insta::assert_snapshot!(name, shown);
    }
}

/// A district with `n` units on its list: every fifth missing, every
/// fifth late (sent 12 days after the deadline), the others on time at
/// various completeness. Received entries are written as the import
/// records them (no package: F7 reads only the record).
fn many_units(dir: &Path, n: usize) -> App {
    let mut ws = common::workspace(
        dir,
        "huyen.json",
        common::unit("huyen", "HU01", "Huyện ủy Tân Phú", None),
    );
    for i in 0..n {
        let code = format!("{:05}", 27000 + i);
        let name = format!("Xã Số {} Phía Bắc Huyện Tân Phú", i + 1);
        // The missing ones are not due yet: the screen reads the same
        // any day.
        let due = if i % 5 == 0 {
            "01/01/2100"
        } else {
            "20/10/2014"
        };
        ws.add_child(&code, &name, None, Some(due)).unwrap();
        if i % 5 == 0 {
            continue;
        }
        let sent = if i % 5 == 1 {
            "01/11/2014"
        } else {
            "15/10/2014"
        };
        let r: baocao::report::Received = serde_json::from_value(json!({
            "code": code, "name": name, "type": "xa", "revision": 1,
            "status": "draft", "checksum": format!("sha256:{i:064}"),
            "exported_at": "2014-10-15T08:00:00+07:00",
            "received_at": "2014-10-15T08:00:00+07:00",
            "sent_on": sent, "complete_percent": (i * 7) % 101, "file": "x.bcpkg"
        }))
        .unwrap();
        ws.report.received.push(r);
    }
    App::new(ws, (120, 40), PLAIN)
}

fn f7_rows(shown: &str) -> Vec<String> {
    shown
        .lines()
        .filter(|l| l.contains("│") && l.contains(" 27"))
        .map(String::from)
        .collect()
}

#[test]
fn f7_sorts_filters_and_keeps_the_days_late_whole_at_80_columns() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = many_units(dir.path(), 20);
    app.update(Input::Term(Event::Resize(80, 24)));
    press(&mut app, KeyCode::F(7));
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("muộn 12 ngày"), "{shown}");
    assert!(!shown.contains("muộn…"), "{shown}");
    insta::assert_snapshot!("f7_many_80x24", shown);
    // L: missing only.
    press(&mut app, KeyCode::Char('l'));
    let shown = screen(&mut app, 80, 24);
    let rows = f7_rows(&shown);
    assert_eq!(rows.len(), 4, "{shown}");
    assert!(rows.iter().all(|r| r.contains("chưa nộp")), "{shown}");
    // L: late only, in full.
    press(&mut app, KeyCode::Char('l'));
    let rows = f7_rows(&screen(&mut app, 80, 24));
    assert_eq!(rows.len(), 4);
    assert!(rows.iter().all(|r| r.contains("muộn 12 ngày")), "{rows:#?}");
    // Back to all, then S twice: by days late, the late ones first.
    for _ in 0..3 {
        press(&mut app, KeyCode::Char('l'));
    }
    press(&mut app, KeyCode::Char('s'));
    press(&mut app, KeyCode::Char('s'));
    let Some(Layer::Submissions(s)) = app.front() else {
        panic!()
    };
    assert_eq!(s.sort, baocao::workspace::chase::SortBy::DaysLate);
    assert_eq!(s.filter, baocao::workspace::chase::Filter::All);
    let rows = f7_rows(&screen(&mut app, 80, 24));
    assert!(rows[0].contains("muộn 12 ngày"), "{rows:#?}");
}

#[test]
fn f7_chart_reads_with_200_units() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = many_units(dir.path(), 200);
    press(&mut app, KeyCode::F(7));
    let shown = screen(&mut app, 120, 40);
    assert!(shown.contains("chưa có gói"), "{shown}");
    assert!(shown.contains("50–99%"), "{shown}");
    assert!(!shown.contains("27 27 27"), "{shown}");
    insta::assert_snapshot!("f7_200_units_120x40", shown);
}

#[test]
fn f7_prints_who_is_missing_or_late_as_docx_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = parent_app(dir.path());
    let out = dir.path().join("usb-in");
    std::fs::create_dir_all(&out).unwrap();
    press(&mut app, KeyCode::F(7));
    press(&mut app, KeyCode::Char('i'));
    settle(&mut app);
    let Some(Layer::Submissions(s)) = app.front_mut() else {
        panic!()
    };
    s.print
        .as_mut()
        .expect("the folder box")
        .dir
        .set_text(&out.display().to_string());
    press(&mut app, KeyCode::Enter);
    settle(&mut app);
    let shown = screen(&mut app, 120, 40);
    let flat = shown.replace(['│', '\n'], "");
    assert!(flat.contains("Đã ghi danh sách"), "{shown}");
    let mut files: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 2, "{files:?}");
    let csv = files
        .iter()
        .find(|p| p.extension().unwrap() == "csv")
        .unwrap();
    let text = std::fs::read_to_string(csv).unwrap();
    let mut r = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let rows: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 1, "only the one missing: {text}");
    assert_eq!(&rows[0][0], "27118");
    assert_eq!(&rows[0][1], "Thị trấn Tân Phú");
    assert_eq!(&rows[0][2], "01/01/2100");
    assert_eq!(&rows[0][4], "missing");
    let docx = files
        .iter()
        .find(|p| p.extension().unwrap() == "docx")
        .unwrap();
    let mut zip = zip::ZipArchive::new(std::fs::File::open(docx).unwrap()).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml)
        .unwrap();
    assert!(
        xml.contains("Thị trấn Tân Phú"),
        "the missing unit is listed"
    );
    assert!(xml.contains("DANH SÁCH"));
    assert!(!xml.contains("Xã Phú Lâm"), "units that sent are not");
}

#[test]
fn the_chase_csv_never_reads_as_a_formula() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = district(dir.path());
    ws.add_child(
        "27130",
        "=HYPERLINK(\"http://x\")",
        None,
        Some("01/01/2100"),
    )
    .unwrap();
    let subs = ws.submissions(chrono::Local::now().date_naive());
    let list = baocao::workspace::chase::chase_list(&subs, Default::default());
    let text = baocao::render::chase::csv(&list);
    assert!(text.contains("'=HYPERLINK"), "{text}");
    assert!(text.starts_with('\u{feff}'));
}

#[test]
fn f7_is_not_offered_at_a_commune() {
    let dir = tempfile::tempdir().unwrap();
    let ws = common::workspace(
        dir.path(),
        "xa.json",
        common::unit("xa", "27112", "Xã Phú Lâm", Some("HU01")),
    );
    let mut app = App::new(ws, (80, 24), PLAIN);
    let shown = screen(&mut app, 80, 24);
    assert!(!shown.contains("F7"), "{shown}");
    press(&mut app, KeyCode::F(7));
    assert!(app.front().is_none(), "F7 does nothing at a commune");
    press(&mut app, KeyCode::F(1));
    let help = screen(&mut app, 120, 60);
    assert!(!help.contains("Tình hình nộp"), "{help}");
}

#[test]
fn f6_tab_goes_where_its_help_says() {
    use baocao::tui::keymap::Context as C;
    let dir = tempfile::tempdir().unwrap();
    let usb = dir.path().join("usb");
    let mut lam = commune_ws(dir.path(), "27112", "Xã Phú Lâm", "HU01");
    export_with(&mut lam, &usb, 1);
    let mut app = App::new(district(dir.path()), (120, 40), PLAIN);
    press(&mut app, KeyCode::F(6));
    settle(&mut app);
    let Some(Layer::Import(s)) = app.front_mut() else {
        panic!()
    };
    s.dir.set_text(&usb.display().to_string());
    assert!(app.contexts().contains(&C::ImportFolder));
    // Folder → delivery day → list → folder, Shift+Tab as Tab.
    for back in [false, true] {
        let tab = if back { KeyCode::BackTab } else { KeyCode::Tab };
        press(&mut app, tab);
        assert!(app.contexts().contains(&C::ImportDate));
        press(&mut app, tab);
        assert!(
            app.contexts().contains(&C::ImportList),
            "{:?}",
            app.contexts()
        );
        press(&mut app, tab);
        assert!(app.contexts().contains(&C::ImportFolder));
    }
}

/// With no USB stick found, F6 starts on the report's own folder (where
/// F5 writes), not wherever the program was started from.
#[test]
fn f6_starts_on_the_reports_folder_without_a_usb_stick() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = parent_app(dir.path());
    press(&mut app, KeyCode::F(6));
    settle(&mut app);
    let Some(Layer::Import(s)) = app.front_mut() else {
        panic!("not the import screen")
    };
    let shown = s.dir.text();
    if baocao::tui::jobs::usb_folder().is_none() {
        assert_eq!(Path::new(shown.trim()), dir.path(), "{shown}");
    } else {
        common::skip(
            "f6_starts_on_the_reports_folder_without_a_usb_stick",
            "a USB stick is plugged in here",
        );
    }
}

/// ↓ in the folder box goes down to the list of files, as a person
/// expects; ↓ in the list then moves in it.
#[test]
fn down_in_f6s_folder_box_goes_to_the_list() {
    use baocao::tui::keymap::Context;
    let dir = tempfile::tempdir().unwrap();
    let usb = dir.path().join("usb");
    std::fs::create_dir_all(usb.join("cu")).unwrap();
    let mut app = parent_app(dir.path());
    press(&mut app, KeyCode::F(6));
    settle(&mut app);
    let Some(Layer::Import(s)) = app.front_mut() else {
        panic!("no import screen")
    };
    s.dir.set_text(&usb.display().to_string());
    press(&mut app, KeyCode::Enter);
    settle(&mut app);
    // Reading the folder puts the keyboard on the list; Tab goes round
    // back to the folder box.
    if app.contexts().contains(&Context::ImportList) {
        press(&mut app, KeyCode::Tab);
    }
    assert!(
        app.contexts().contains(&Context::ImportFolder),
        "{:?}",
        app.contexts()
    );
    press(&mut app, KeyCode::Down);
    assert!(
        app.contexts().contains(&Context::ImportList),
        "{:?}",
        app.contexts()
    );
}
