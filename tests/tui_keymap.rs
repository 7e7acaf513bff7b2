//! The keymap against the real app: every binding reaches its action in
//! its context, F1 lists exactly the bindings in force where the user is,
//! and the two keys that used to act behind the screen in front (F5 on
//! the preview, Ctrl+F over F7) no longer do.

mod common;

use baocao::outline::Outline;
use baocao::report::Report;
use baocao::tui::app::{App, Input, Layer};
use baocao::tui::component::Component;
use baocao::tui::keymap::{self, Context, TABLE};
use baocao::tui::screens::setup::Setup;
use baocao::tui::theme::Theme;
use baocao::tui::view;
use baocao::workspace::Workspace;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::Duration;

const PLAIN: Theme = Theme {
    color: false,
    ascii: false,
};

fn press(app: &mut App, code: KeyCode, mods: KeyModifiers) {
    app.update(Input::Term(Event::Key(KeyEvent::new(code, mods))));
}

fn key(app: &mut App, code: KeyCode) {
    press(app, code, KeyModifiers::NONE)
}

fn ctrl(app: &mut App, c: char) {
    press(app, KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn settle(app: &mut App) {
    while app.jobs.busy() {
        let event = app
            .jobs
            .wait(Duration::from_secs(30))
            .expect("a job answers");
        app.update(Input::Job(event));
    }
}

fn screen(app: &mut App, w: u16, h: u16) -> String {
    app.update(Input::Term(Event::Resize(w, h)));
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

fn to_item(app: &mut App, item: &str) {
    for _ in 0..100 {
        if app.item_id() == item {
            return;
        }
        key(app, KeyCode::PageDown);
    }
    panic!("{item} not reached");
}

fn to_field(app: &mut App, field: &str) {
    for _ in 0..40 {
        if app.form.editors[app.form.focus].field.id == field {
            return;
        }
        key(app, KeyCode::Tab);
    }
    panic!("{field} not reachable");
}

/// The shipped outline with the first field turned into a choice (the
/// shipped one has none).
fn outline_with_a_choice() -> Outline {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/kl62-so-ket-2014.json");
    let text = std::fs::read_to_string(path).unwrap();
    let from = "\"label\": \"Tổ chức Đảng cấp trên\",\n          \"kind\": \"text\",";
    assert!(text.contains(from));
    let text = text.replace(
        from,
        "\"label\": \"Tổ chức Đảng cấp trên\",\n          \"kind\": \"choice\", \"options\": [\"ĐẢNG BỘ TỈNH A\", \"ĐẢNG BỘ TỈNH B\"],",
    );
    // Filled in from the setup is for texts only.
    let text = text.replace(",\n          \"from_unit\": \"parent_name\"", "");
    Outline::from_json(&text).unwrap()
}

fn commune_app(dir: &Path) -> App {
    let ws = common::workspace(
        dir,
        "xa.json",
        common::unit("xa", common::CODE, common::NAME, Some("HU01")),
    );
    App::new(ws, (120, 40), PLAIN)
}

/// A commune's package on the stick `dir/usb`.
fn package(dir: &Path, code: &str, name: &str) -> PathBuf {
    let outline = Outline::embedded().clone();
    let mut r = Report::new(&outline, common::unit("xa", code, name, Some("HU01"))).unwrap();
    r.set_value("A.I.1", "so_hoi_nghi", json!(3));
    r.set_value("front", "cap_tren", json!(format!("Đảng bộ {name}")));
    let path = dir.join(format!("{code}.json"));
    baocao::store::save(&path, &r).unwrap();
    let usb = dir.join("usb");
    std::fs::create_dir_all(&usb).unwrap();
    Workspace::new(&path, outline, r)
        .unwrap()
        .export(&usb)
        .unwrap()
}

/// A district with one commune's package taken in and another waiting on
/// the stick.
fn district_app(dir: &Path) -> App {
    let first = package(dir, "27112", "Xã Phú Lâm");
    let mut ws = common::workspace(
        dir,
        "huyen.json",
        common::unit("huyen", "HU01", "Huyện ủy Tân Phú", None),
    );
    common::list_senders(&mut ws, &[&first]);
    let ex = ws.examine(&first);
    ws.accept(&ex).unwrap();
    package(dir, "27115", "Xã Phú Bình");
    App::new(ws, (120, 40), PLAIN)
}

fn open_import(app: &mut App, usb: &Path) {
    key(app, KeyCode::F(6));
    settle(app);
    let Some(Layer::Import(s)) = app.front_mut() else {
        panic!("no import screen")
    };
    s.dir.set_text(&usb.display().to_string());
}

/// An app in a state where `context` is in force.
fn app_in(context: Context, dir: &Path) -> App {
    let usb = dir.join("usb");
    let app = match context {
        Context::Everywhere | Context::Form | Context::Field | Context::Text => commune_app(dir),
        Context::Choice => {
            let outline = outline_with_a_choice();
            let report = Report::new(
                &outline,
                common::unit("xa", common::CODE, common::NAME, Some("HU01")),
            )
            .unwrap();
            let ws = Workspace::new(&dir.join("chon.json"), outline, report).unwrap();
            App::new(ws, (120, 40), PLAIN)
        }
        Context::Table | Context::TableCell | Context::ConfirmDelete => {
            let mut app = commune_app(dir);
            to_item(&mut app, "A.I.2");
            to_field(&mut app, "van_ban");
            if context != Context::Table {
                key(&mut app, KeyCode::Insert);
            }
            if context == Context::ConfirmDelete {
                key(&mut app, KeyCode::Esc);
                key(&mut app, KeyCode::Delete);
            }
            app
        }
        Context::Tree => {
            let mut app = commune_app(dir);
            key(&mut app, KeyCode::F(3));
            app
        }
        Context::Search => {
            let mut app = commune_app(dir);
            ctrl(&mut app, 'f');
            app
        }
        Context::Help => {
            let mut app = commune_app(dir);
            key(&mut app, KeyCode::F(1));
            app
        }
        Context::LegacyPaste => {
            let mut app = commune_app(dir);
            to_item(&mut app, "A.I.1");
            app.update(Input::Term(Event::Paste(
                "Ñaûng boä xaõ ñaõ toå chöùc hoäi nghò".into(),
            )));
            app
        }
        Context::Export | Context::Exported => {
            let mut app = commune_app(dir);
            key(&mut app, KeyCode::F(5));
            settle(&mut app);
            if context == Context::Exported {
                let out = dir.join("gui-di");
                std::fs::create_dir_all(&out).unwrap();
                let Some(Layer::Export(s)) = app.front_mut() else {
                    panic!("no export dialog")
                };
                s.dir.set_text(&out.display().to_string());
                key(&mut app, KeyCode::Enter);
                settle(&mut app);
            }
            app
        }
        Context::Print | Context::Printed => {
            let mut app = commune_app(dir);
            ctrl(&mut app, 'p');
            settle(&mut app);
            let Some(Layer::Export(s)) = app.front_mut() else {
                panic!("no print dialog")
            };
            // Where LibreOffice is found, the printed document can become
            // a PDF: a stand-in that is never run here.
            s.office = Some(dir.join("soffice"));
            if context == Context::Printed {
                let out = dir.join("in");
                std::fs::create_dir_all(&out).unwrap();
                s.dir.set_text(&out.display().to_string());
                key(&mut app, KeyCode::Enter);
                settle(&mut app);
            }
            app
        }
        Context::Preview => {
            let mut app = commune_app(dir);
            key(&mut app, KeyCode::F(8));
            settle(&mut app);
            app
        }
        Context::FormParent | Context::FieldParent => district_app(dir),
        Context::Review => {
            let mut app = district_app(dir);
            key(&mut app, KeyCode::F(4));
            app
        }
        Context::Submissions | Context::SubmissionsPrint => {
            let mut app = district_app(dir);
            key(&mut app, KeyCode::F(7));
            if context == Context::SubmissionsPrint {
                key(&mut app, KeyCode::Char('i'));
                settle(&mut app);
            }
            app
        }
        Context::Import
        | Context::ImportFolder
        | Context::ImportList
        | Context::ImportDate
        | Context::ImportSubfolder
        | Context::ImportLog => {
            let mut app = district_app(dir);
            std::fs::create_dir_all(usb.join("thang-10")).unwrap();
            open_import(&mut app, &usb);
            if matches!(
                context,
                Context::ImportList | Context::ImportSubfolder | Context::ImportLog
            ) {
                key(&mut app, KeyCode::Enter);
                settle(&mut app);
            }
            if context == Context::ImportSubfolder {
                key(&mut app, KeyCode::Up);
            }
            if context == Context::ImportLog {
                key(&mut app, KeyCode::Enter);
                settle(&mut app);
            }
            if context == Context::ImportDate {
                key(&mut app, KeyCode::Tab);
            }
            app
        }
        Context::ConfirmReopen => {
            let mut app = commune_app(dir);
            let approval = baocao::approval::Request {
                by: "Ban Thường vụ Đảng ủy xã".into(),
                on: "04/10/2014".into(),
                incomplete_reason: Some("Thử".into()),
            };
            let today = chrono::Local::now().date_naive();
            app.ws.finalize(&approval, today).unwrap();
            to_item(&mut app, "A.I.1");
            key(&mut app, KeyCode::Char('7'));
            app
        }
        Context::Approval => {
            let mut app = commune_app(dir);
            ctrl(&mut app, 'd');
            app
        }
        Context::Backups | Context::ConfirmRestore => {
            let mut app = commune_app(dir);
            // A second save makes the first a backup.
            baocao::store::save(&app.ws.path, &app.ws.report).unwrap();
            ctrl(&mut app, 'b');
            if context == Context::ConfirmRestore {
                key(&mut app, KeyCode::Enter);
            }
            app
        }
        Context::Setup => unreachable!("the setup runs before the app"),
        Context::OutlineEditor
        | Context::OutlineTree
        | Context::OutlineRows
        | Context::OutlineChoice
        | Context::OutlinePreview
        | Context::OutlinePrompt
        | Context::OutlineConfirm => {
            unreachable!("the outline editor is an app of its own: tests/outline_editor.rs")
        }
    };
    let contexts = app.contexts();
    assert!(
        contexts.contains(&context),
        "{context:?} is not in force: {contexts:?}"
    );
    app
}

/// The contexts of `baocao outline edit`, tested with the editor in
/// tests/outline_editor.rs.
fn outline_editor(c: Context) -> bool {
    matches!(
        c,
        Context::OutlineEditor
            | Context::OutlineTree
            | Context::OutlineRows
            | Context::OutlineChoice
            | Context::OutlinePreview
            | Context::OutlinePrompt
            | Context::OutlineConfirm
    )
}

#[test]
fn every_binding_reaches_its_action_in_its_context() {
    for context in Context::ALL.into_iter().filter(|&c| !outline_editor(c)) {
        let rows: Vec<_> = TABLE.iter().filter(|b| b.context == context).collect();
        assert!(!rows.is_empty(), "{context:?} has no keys");
        if context == Context::Setup {
            let setup = Setup::new(Outline::embedded().clone(), PLAIN);
            let contexts = setup.contexts(&());
            for b in rows {
                for k in b.keys {
                    let found = keymap::lookup(&contexts, &k.event()).map(|b| b.action);
                    assert_eq!(found, Some(b.action), "setup: {}", k.label());
                }
            }
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        let app = app_in(context, dir.path());
        for b in rows {
            for k in b.keys {
                assert_eq!(
                    app.action_for(&k.event()),
                    Some(b.action),
                    "{context:?}: {} should do {:?}",
                    k.label(),
                    b.action
                );
            }
        }
    }
}

/// The lines of the help box as drawn (the window is tall enough here to
/// show them all).
fn help_on_screen(app: &mut App) -> Vec<String> {
    let (w, h) = (120, 70);
    app.update(Input::Term(Event::Resize(w, h)));
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view::draw(f, app)).unwrap();
    let buf = t.backend().buffer();
    let row = |y: u16, from: u16, to: u16| -> String {
        (from..to).map(|x| buf[(x, y)].symbol()).collect()
    };
    let (x0, y0) = (0..h)
        .find_map(|y| {
            let line = row(y, 0, w);
            line.find("┌ Phím tắt")
                .map(|byte| (line[..byte].chars().count() as u16, y))
        })
        .expect("the help box");
    let x1 = (x0 + 1..w)
        .find(|&x| buf[(x, y0)].symbol() == "┐")
        .expect("its right edge");
    (y0 + 1..h)
        .take_while(|&y| buf[(x0, y)].symbol() != "└")
        .map(|y| row(y, x0 + 1, x1).trim_end().to_string())
        .collect()
}

#[test]
fn f1_lists_the_bindings_in_force_and_no_other() {
    for context in Context::ALL {
        if matches!(context, Context::Setup | Context::Help) || outline_editor(context) {
            continue;
        }
        let dir = tempfile::tempdir().unwrap();
        let mut app = app_in(context, dir.path());
        let contexts = app.contexts();
        key(&mut app, KeyCode::F(1));
        let Some(Layer::Help(help)) = app.front() else {
            panic!("{context:?}: F1 opened no help")
        };
        assert_eq!(help.contexts, contexts, "the help lists where the user is");
        let lines = help_on_screen(&mut app);
        let in_force: Vec<_> = TABLE
            .iter()
            .filter(|b| contexts.contains(&b.context))
            .filter(|b| {
                b.shown_keys().any(|k| {
                    keymap::lookup(&contexts, &k.event()).is_some_and(|hit| std::ptr::eq(hit, *b))
                })
            })
            .collect();
        for b in &in_force {
            let line = lines
                .iter()
                .find(|l| l.ends_with(b.help_text()))
                .unwrap_or_else(|| {
                    panic!(
                        "{context:?}: {:?} ({}) missing from F1:\n{}",
                        b.action,
                        b.help_text(),
                        lines.join("\n")
                    )
                });
            for k in b.shown_keys() {
                let label = k.label();
                let arrow = ["↑", "↓", "←", "→"].contains(&label.as_str());
                assert!(
                    line.contains(&label) || (arrow && line.starts_with("Mũi tên")),
                    "{context:?}: {label} not on its line «{line}»"
                );
            }
        }
        for b in TABLE.iter().filter(|b| !contexts.contains(&b.context)) {
            let shared = in_force.iter().any(|x| x.help_text() == b.help_text());
            assert!(
                shared || !lines.iter().any(|l| l.ends_with(b.help_text())),
                "{context:?}: F1 lists {:?} of {:?}, which does not apply here",
                b.action,
                b.context
            );
        }
    }
}

#[test]
fn ctrl_c_quits_and_is_in_the_help() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = commune_app(dir.path());
    key(&mut app, KeyCode::F(1));
    let lines = help_on_screen(&mut app);
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("Ctrl+Q / Ctrl+C") && l.ends_with("Lưu và thoát")),
        "{lines:#?}"
    );
    key(&mut app, KeyCode::Esc);
    let effects = app.update(Input::Term(Event::Key(KeyEvent::new(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    ))));
    assert_eq!(effects, vec![baocao::tui::app::Effect::Quit]);
}

#[test]
fn a_commune_is_not_shown_the_parents_keys() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = commune_app(dir.path());
    key(&mut app, KeyCode::F(1));
    let help = help_on_screen(&mut app).join("\n");
    for parent_only in [
        "Nhận gói của cấp dưới",
        "Tình hình nộp",
        "xem bài của cấp dưới",
    ] {
        assert!(!help.contains(parent_only), "{parent_only} in:\n{help}");
    }
    key(&mut app, KeyCode::Esc);
    // Nor do the keys act there.
    key(&mut app, KeyCode::F(6));
    key(&mut app, KeyCode::F(7));
    assert!(app.front().is_none());
    let mut app = district_app(dir.path());
    key(&mut app, KeyCode::F(1));
    let help = help_on_screen(&mut app).join("\n");
    assert!(help.contains("Nhận gói của cấp dưới"), "{help}");
}

#[test]
fn the_key_bar_keeps_help_and_quit_at_80_columns() {
    let dir = tempfile::tempdir().unwrap();
    for context in [
        Context::Field,
        Context::Tree,
        Context::Table,
        Context::Review,
        Context::ImportList,
        Context::Preview,
        Context::Search,
    ] {
        let mut app = app_in(context, dir.path());
        app.notice = None;
        let shown = screen(&mut app, 80, 24);
        let bar = shown.lines().last().unwrap();
        assert!(bar.contains("Ctrl+Q Thoát"), "{context:?}: «{bar}»");
        if context != Context::Search {
            assert!(bar.contains("F1 Trợ giúp"), "{context:?}: «{bar}»");
        }
    }
}

#[test]
fn f5_on_the_preview_leaves_the_preview_in_front() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = commune_app(dir.path());
    key(&mut app, KeyCode::F(8));
    settle(&mut app);
    let before = screen(&mut app, 100, 30);
    assert!(before.contains("Xem trước văn bản (F8)"), "{before}");
    // F5 belongs to the form: on the preview it does nothing, and the
    // preview says (in F1 and on its bottom line) how to get back.
    key(&mut app, KeyCode::F(5));
    settle(&mut app);
    assert_eq!(app.layers.len(), 1, "nothing opened over the preview");
    assert!(matches!(app.front(), Some(Layer::Preview(_))));
    assert_eq!(screen(&mut app, 100, 30), before, "the preview unchanged");
    key(&mut app, KeyCode::F(1));
    let help = help_on_screen(&mut app).join("\n");
    assert!(
        !help.contains("Xuất gói"),
        "F5 is not offered here:\n{help}"
    );
    assert!(help.contains("Quay lại bài báo cáo"), "{help}");
    key(&mut app, KeyCode::Esc);
    // Back on the form, F5 exports.
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::F(5));
    assert!(matches!(app.front(), Some(Layer::Export(_))));
    settle(&mut app);
    assert!(screen(&mut app, 100, 30).contains("Xuất gói gửi cấp trên (F5)"));
}

#[test]
fn ctrl_f_over_f7_does_not_search_behind_it_and_the_jump_from_the_form_shows() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = district_app(dir.path());
    let page = app.form.page;
    key(&mut app, KeyCode::F(7));
    let before = screen(&mut app, 120, 40);
    // Ctrl+F, typing and Enter over F7: no search opens, the form behind
    // stays where it was, F7 stays in front unchanged.
    ctrl(&mut app, 'f');
    for c in "dong bo".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Enter);
    assert!(
        app.front().is_none(),
        "Enter closes F7 as it always did, nothing else"
    );
    assert_eq!(app.form.page, page, "the form did not move behind F7");
    key(&mut app, KeyCode::F(7));
    ctrl(&mut app, 'f');
    assert!(matches!(app.front(), Some(Layer::Submissions(_))));
    assert_eq!(screen(&mut app, 120, 40), before);
    key(&mut app, KeyCode::F(1));
    let help = help_on_screen(&mut app).join("\n");
    assert!(
        !help.contains("Tìm chữ"),
        "Ctrl+F not offered on F7:\n{help}"
    );
    key(&mut app, KeyCode::Esc);
    key(&mut app, KeyCode::Esc);
    // From the form the search jumps, and the jump is on screen.
    to_item(&mut app, "A.I.1");
    ctrl(&mut app, 'f');
    for c in "dang bo xa phu lam".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Enter);
    assert!(app.front().is_none(), "the search closed");
    assert_eq!(app.item_id(), "front");
    let shown = screen(&mut app, 120, 40);
    assert!(
        shown.contains("Xã Phú Lâm (27112): Đảng bộ Xã Phú Lâm"),
        "the child's answer in the review panel: {shown}"
    );
}

#[test]
fn f7_accepts_a_unit_awaiting_confirmation_and_its_figures_count() {
    let dir = tempfile::tempdir().unwrap();
    let first = package(dir.path(), "27112", "Xã Phú Lâm");
    let mut ws = common::workspace(
        dir.path(),
        "huyen.json",
        common::unit("huyen", "HU01", "Huyện ủy Tân Phú", None),
    );
    let ex = ws.examine(&first);
    assert_eq!(
        ex.verdict,
        baocao::workspace::Verdict::Held { replacing: None }
    );
    ws.accept(&ex).unwrap();
    assert!(ws.children.is_empty(), "held, not counted");
    assert!(
        ws.effective()
            .get("A.I.1")
            .and_then(|m| m.get("so_hoi_nghi"))
            .is_none()
    );
    let mut app = App::new(ws, (120, 40), PLAIN);
    key(&mut app, KeyCode::F(7));
    let shown = screen(&mut app, 120, 40);
    assert!(shown.contains("chờ xác nhận 1 (A: nhận)"), "{shown}");
    assert!(shown.contains("? 27112"), "{shown}");
    key(&mut app, KeyCode::Char('a'));
    assert_eq!(app.ws.children.len(), 1);
    assert!(!app.ws.report.children[0].pending);
    assert_eq!(app.ws.effective()["A.I.1"]["so_hoi_nghi"], json!(3));
    let shown = screen(&mut app, 120, 40);
    assert!(shown.contains("✓ 27112"), "{shown}");
    assert!(
        shown.contains("Đã nhận Xã Phú Lâm vào danh sách"),
        "{shown}"
    );
    // Again on a listed unit: it says so and changes nothing.
    key(&mut app, KeyCode::Char('a'));
    assert!(screen(&mut app, 120, 40).contains("đã có trong danh sách"));
}
