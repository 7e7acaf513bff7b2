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
