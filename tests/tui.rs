//! The form screen driven by synthetic keys through the same `update`
//! the terminal loop calls, and drawn on ratatui's TestBackend.

use baocao::outline::Outline;
use baocao::report::{Report, Unit};
use baocao::tui::app::{App, Effect, Input, Layer};
use baocao::tui::screens::setup::{Setup, SetupResult};
use baocao::tui::theme::Theme;
use baocao::tui::view;
use baocao::validate::{FieldState, Invalid};
use baocao::vnfmt::NumError;
use baocao::workspace::Workspace;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use serde_json::json;
use std::time::{Duration, Instant};

const PLAIN: Theme = Theme {
    color: false,
    ascii: false,
};

fn unit() -> Unit {
    Unit {
        unit_type: "xa".into(),
        code: "27112".into(),
        name: "Xã Tân Phú".into(),
        parent_code: Some("HU01".into()),
        parent_name: Some("Huyện ủy Tân Phú".into()),
    }
}

fn new_app(w: u16, h: u16) -> App {
    let outline = Outline::embedded().clone();
    let report = Report::new(&outline, unit()).unwrap();
    let dir = std::env::temp_dir().join("baocao-tui-tests");
    App::new(
        Workspace::new(&dir.join("r.json"), outline, report).unwrap(),
        (w, h),
        PLAIN,
    )
}

fn press(app: &mut App, code: KeyCode, mods: KeyModifiers) -> Vec<Effect> {
    app.update(Input::Term(Event::Key(KeyEvent::new(code, mods))))
}

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    press(app, code, KeyModifiers::NONE)
}

fn ctrl(app: &mut App, c: char) -> Vec<Effect> {
    press(app, KeyCode::Char(c), KeyModifiers::CONTROL)
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        if c == '\n' {
            key(app, KeyCode::Enter);
        } else {
            key(app, KeyCode::Char(c));
        }
    }
}

fn screen(app: &mut App, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view::draw(f, app)).unwrap();
    buffer_text(t.backend().buffer())
}

fn buffer_text(buf: &ratatui::buffer::Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        let mut line = String::new();
        for x in 0..buf.area.width {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn field_value<'a>(app: &'a App, item: &str, field: &str) -> Option<&'a serde_json::Value> {
    app.ws.report.value(item, field)
}

fn go_to(app: &mut App, item: &str) {
    let page = app.form.pages.iter().position(|p| p == item).unwrap();
    while app.form.page < page {
        key(app, KeyCode::PageDown);
    }
    while app.form.page > page {
        key(app, KeyCode::PageUp);
    }
}

fn focus_field(app: &mut App, field: &str) {
    for _ in 0..40 {
        if app.form.editors[app.form.focus].field.id == field {
            return;
        }
        key(app, KeyCode::Tab);
    }
    panic!("field {field} not reachable with Tab");
}

#[test]
fn opens_on_the_first_unanswered_field_and_types_vietnamese() {
    let mut app = new_app(100, 30);
    assert_eq!(app.item_id(), "front");
    // The setup's names are already in the front matter.
    assert_eq!(
        field_value(&app, "front", "cap_tren"),
        Some(&json!("Huyện ủy Tân Phú"))
    );
    assert_eq!(
        field_value(&app, "front", "co_quan"),
        Some(&json!("Xã Tân Phú"))
    );
    assert_eq!(app.form.editors[app.form.focus].field.id, "so_ky_hieu");
    type_text(&mut app, "45-BC/ĐU");
    assert_eq!(
        field_value(&app, "front", "so_ky_hieu"),
        Some(&json!("45-BC/ĐU"))
    );
    assert!(app.save.dirty);
    assert_eq!(app.save_label(), "Đang sửa…");
}

#[test]
fn a_combining_mark_typed_alone_is_composed_into_nfc() {
    let mut app = new_app(100, 30);
    // "quán" typed as q-u-a, combining acute, n (what some input methods send)
    type_text(&mut app, "qua\u{301}n");
    assert_eq!(
        field_value(&app, "front", "so_ky_hieu"),
        Some(&json!("quán"))
    );
    // Backspace removes exactly one character.
    key(&mut app, KeyCode::Backspace);
    assert_eq!(
        field_value(&app, "front", "so_ky_hieu"),
        Some(&json!("quá"))
    );
}

#[test]
fn pasted_nfd_text_is_stored_as_nfc_and_control_characters_dropped() {
    let mut app = new_app(100, 30);
    go_to(&mut app, "A.I.1");
    app.update(Input::Term(Event::Paste(
        "Đa\u{300}ng u\u{309}y\u{1b}[31m xã\r\ndòng hai".into(),
    )));
    assert_eq!(
        field_value(&app, "A.I.1", "hinh_thuc_quan_triet"),
        Some(&json!("Đàng ủy[31m xã\ndòng hai"))
    );
}

#[test]
fn autosave_waits_for_a_pause_and_saving_never_blocks_typing() {
    let mut app = new_app(100, 30);
    type_text(&mut app, "abc");
    let now = Instant::now();
    assert!(
        app.update(Input::Tick(now)).is_empty(),
        "no save right after a keystroke"
    );
    let later = now + Duration::from_secs(2);
    assert_eq!(app.update(Input::Tick(later)), vec![Effect::Save]);
    // Typing goes on while the save is in flight.
    type_text(&mut app, "d");
    assert_eq!(
        field_value(&app, "front", "so_ky_hieu"),
        Some(&json!("abcd"))
    );
    assert!(
        app.update(Input::Tick(later + Duration::from_secs(5)))
            .is_empty(),
        "one save at a time"
    );
    app.update(Input::Saved(Ok(chrono::Local::now())));
    assert!(
        app.save_label().starts_with("Đang sửa"),
        "the edit after the save is still pending"
    );
    assert_eq!(
        app.update(Input::Tick(Instant::now() + Duration::from_secs(5))),
        vec![Effect::Save]
    );
}

#[test]
fn a_failed_save_is_shown_kept_in_memory_and_retried() {
    let mut app = new_app(100, 30);
    type_text(&mut app, "chữ quan trọng");
    assert_eq!(ctrl(&mut app, 's'), vec![Effect::Save]);
    app.update(Input::Saved(Err("ổ đĩa đã đầy".into())));
    assert!(app.save_label().contains("CHƯA LƯU ĐƯỢC"));
    assert!(screen(&mut app, 100, 30).contains("CHƯA LƯU ĐƯỢC"));
    assert_eq!(
        field_value(&app, "front", "so_ky_hieu"),
        Some(&json!("chữ quan trọng"))
    );
    assert!(
        app.update(Input::Tick(Instant::now())).is_empty(),
        "waits before retrying"
    );
    assert_eq!(
        app.update(Input::Tick(Instant::now() + Duration::from_secs(10))),
        vec![Effect::Save]
    );
    app.update(Input::Saved(Ok(chrono::Local::now())));
    assert!(app.save_label().starts_with("Đã lưu"));
}

#[test]
fn field_and_item_changes_save_and_pages_walk_the_outline() {
    let mut app = new_app(100, 30);
    type_text(&mut app, "x");
    assert_eq!(
        key(&mut app, KeyCode::Tab),
        vec![Effect::Save],
        "leaving an edited field saves"
    );
    assert_eq!(app.form.editors[app.form.focus].field.id, "dia_danh");
    assert!(key(&mut app, KeyCode::Tab).is_empty(), "nothing to save");
    key(&mut app, KeyCode::BackTab);
    assert_eq!(app.form.editors[app.form.focus].field.id, "dia_danh");
    key(&mut app, KeyCode::BackTab);
    assert_eq!(app.form.editors[app.form.focus].field.id, "so_ky_hieu");
    key(&mut app, KeyCode::PageDown);
    assert_eq!(app.item_id(), "A.I.1");
    key(&mut app, KeyCode::PageDown);
    assert_eq!(app.item_id(), "A.I.2");
    key(&mut app, KeyCode::PageUp);
    assert_eq!(app.item_id(), "A.I.1");
    assert_eq!(
        app.form.editors[app.form.focus].field.id,
        "hinh_thuc_quan_triet"
    );
}

#[test]
fn ctrl_g_finds_the_next_unanswered_item() {
    let mut app = new_app(100, 30);
    go_to(&mut app, "A.III.1");
    type_text(&mut app, "Ưu điểm");
    key(&mut app, KeyCode::PageDown); // A.III.2
    type_text(&mut app, "Khuyết điểm");
    go_to(&mut app, "A.II.6");
    ctrl(&mut app, 'g');
    assert_eq!(
        app.item_id(),
        "A.IV",
        "A.III.1 and A.III.2 are done, A.IV is not"
    );
    ctrl(&mut app, 'g');
    assert_eq!(app.item_id(), "B");
    ctrl(&mut app, 'g');
    assert_eq!(app.item_id(), "front", "wraps around to the start");
}

#[test]
fn an_invalid_number_is_kept_flagged_and_explained() {
    let mut app = new_app(100, 30);
    go_to(&mut app, "A.I.1");
    focus_field(&mut app, "so_hoi_nghi");
    type_text(&mut app, "3.9");
    assert_eq!(
        field_value(&app, "A.I.1", "so_hoi_nghi"),
        Some(&json!("3.9")),
        "kept as typed"
    );
    let state = app
        .states()
        .into_iter()
        .find(|(f, _)| f == "so_hoi_nghi")
        .unwrap()
        .1;
    let FieldState::Invalid(msg) = state else {
        panic!("not flagged: {state:?}")
    };
    assert!(
        matches!(msg, Invalid::Number(NumError::Grouping { .. })),
        "{msg:?}"
    );
    let shown = screen(&mut app, 100, 30);
    assert!(
        shown.contains("⚠ Dấu chấm dùng để tách hàng nghìn"),
        "{shown}"
    );
    for _ in 0..3 {
        key(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "12");
    assert_eq!(field_value(&app, "A.I.1", "so_hoi_nghi"), Some(&json!(12)));
}

#[test]
fn derived_rates_are_shown_live_and_part_over_whole_is_flagged() {
    let mut app = new_app(100, 40);
    go_to(&mut app, "A.I.1");
    focus_field(&mut app, "dang_vien_tham_gia");
    type_text(&mut app, "1.204");
    key(&mut app, KeyCode::Tab);
    type_text(&mut app, "1250");
    let shown = screen(&mut app, 100, 40);
    assert!(shown.contains("96,3%"), "{shown}");
    key(&mut app, KeyCode::BackTab);
    for _ in 0..5 {
        key(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "1300");
    let state = app
        .states()
        .into_iter()
        .find(|(f, _)| f == "dang_vien_tham_gia")
        .unwrap()
        .1;
    assert!(
        matches!(state, FieldState::Invalid(Invalid::PartOverWhole { .. })),
        "{state:?}"
    );
}

#[test]
fn table_rows_are_added_edited_cell_by_cell_and_deleted_after_confirmation() {
    let mut app = new_app(100, 30);
    go_to(&mut app, "A.I.2");
    focus_field(&mut app, "van_ban");
    key(&mut app, KeyCode::Insert);
    type_text(&mut app, "12-NQ/ĐU");
    key(&mut app, KeyCode::Enter);
    type_text(&mut app, "15/3/2010");
    key(&mut app, KeyCode::Enter);
    type_text(&mut app, "Đảng ủy xã");
    key(&mut app, KeyCode::Enter);
    type_text(&mut app, "Nghị quyết chuyên đề");
    key(&mut app, KeyCode::Enter);
    ctrl(&mut app, 'n');
    type_text(&mut app, "5-KH/ĐU");
    key(&mut app, KeyCode::Enter);
    type_text(&mut app, "40/3/2010");
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Esc);
    let rows = field_value(&app, "A.I.2", "van_ban")
        .unwrap()
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0],
        json!({"so_ky_hieu": "12-NQ/ĐU", "ngay_ban_hanh": "15/03/2010", "co_quan": "Đảng ủy xã", "trich_yeu": "Nghị quyết chuyên đề"})
    );
    assert_eq!(
        rows[1]["ngay_ban_hanh"],
        json!("40/3/2010"),
        "an invalid date is kept as typed"
    );
    let state = app
        .states()
        .into_iter()
        .find(|(f, _)| f == "van_ban")
        .unwrap()
        .1;
    assert!(
        matches!(
            state,
            FieldState::Invalid(
                Invalid::RowEmptyCell { row: 2, .. } | Invalid::RowCell { row: 2, .. }
            )
        ),
        "{state:?}"
    );

    // Delete asks first; Esc keeps the row.
    key(&mut app, KeyCode::Delete);
    assert!(
        matches!(app.front(), Some(Layer::ConfirmDelete(c)) if c.field == app.form.focus && c.row == 1)
    );
    assert!(screen(&mut app, 100, 30).contains("Xóa dòng 2 (5-KH/ĐU)?"));
    key(&mut app, KeyCode::Esc);
    assert_eq!(
        field_value(&app, "A.I.2", "van_ban")
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        2
    );
    key(&mut app, KeyCode::Delete);
    key(&mut app, KeyCode::Enter);
    let rows = field_value(&app, "A.I.2", "van_ban")
        .unwrap()
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["so_ky_hieu"], json!("12-NQ/ĐU"));
}

#[test]
fn f3_opens_the_tree_and_enter_jumps() {
    let mut app = new_app(80, 24);
    assert!(!app.tree_visible(), "the tree folds away below 100 columns");
    key(&mut app, KeyCode::F(3));
    assert!(app.tree_visible());
    assert!(screen(&mut app, 80, 24).contains("Đề cương"));
    for _ in 0..5 {
        key(&mut app, KeyCode::Down);
    }
    key(&mut app, KeyCode::Enter);
    assert!(!app.form.tree.focused);
    // entries: front, A, A.I, A.I.1, A.I.2, A.II (heading → its first item)
    assert_eq!(app.item_id(), "A.II.1");
}

#[test]
fn esc_closes_help_and_ctrl_q_quits_without_asking() {
    let mut app = new_app(100, 30);
    key(&mut app, KeyCode::F(1));
    assert!(matches!(app.front(), Some(Layer::Help(h)) if h.top == 0));
    key(&mut app, KeyCode::Esc);
    assert!(app.front().is_none());
    type_text(&mut app, "chưa lưu");
    assert_eq!(ctrl(&mut app, 'q'), vec![Effect::Quit]);
}

#[test]
fn key_releases_are_ignored_and_enter_in_a_text_is_a_line_break() {
    let mut app = new_app(100, 30);
    go_to(&mut app, "A.I.1");
    let mut release = KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE);
    release.kind = KeyEventKind::Release;
    app.update(Input::Term(Event::Key(release)));
    assert_eq!(field_value(&app, "A.I.1", "hinh_thuc_quan_triet"), None);
    type_text(&mut app, "một\nhai");
    assert_eq!(
        field_value(&app, "A.I.1", "hinh_thuc_quan_triet"),
        Some(&json!("một\nhai"))
    );
    // Undo takes back a typed word, then the line break.
    for _ in 0..2 {
        ctrl(&mut app, 'z');
    }
    assert_eq!(
        field_value(&app, "A.I.1", "hinh_thuc_quan_triet"),
        Some(&json!("một"))
    );
    ctrl(&mut app, 'y');
    assert_eq!(
        field_value(&app, "A.I.1", "hinh_thuc_quan_triet"),
        Some(&json!("một\n"))
    );
}

#[test]
fn resizing_at_any_moment_never_panics_nor_loses_input() {
    let mut app = new_app(100, 30);
    go_to(&mut app, "A.I.1");
    type_text(&mut app, "Nội dung dài ");
    for (w, h) in [
        (20, 6),
        (1, 1),
        (0, 0),
        (44, 12),
        (80, 24),
        (200, 60),
        (43, 50),
        (120, 11),
    ] {
        app.update(Input::Term(Event::Resize(w, h)));
        let _ = screen(&mut app, w.max(1), h.max(1));
        type_text(&mut app, "x");
    }
    assert_eq!(
        field_value(&app, "A.I.1", "hinh_thuc_quan_triet"),
        Some(&json!("Nội dung dài xxxxxxxx"))
    );
    app.update(Input::Term(Event::Resize(20, 6)));
    assert!(screen(&mut app, 20, 6).contains("Cửa sổ quá nhỏ"));
}

// ---- Rendered screens, reviewed and kept as snapshots ----

#[test]
fn snapshot_first_run_setup() {
    let outline = Outline::embedded().clone();
    let mut setup = Setup::new(outline, PLAIN);
    let send = |s: &mut Setup, code: KeyCode| {
        s.update(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    };
    send(&mut setup, KeyCode::Down);
    send(&mut setup, KeyCode::Tab);
    for c in "HU01".chars() {
        send(&mut setup, KeyCode::Char(c));
    }
    send(&mut setup, KeyCode::Tab);
    for c in "Huyện ủy Tân Phú".chars() {
        send(&mut setup, KeyCode::Char(c));
    }
    let mut t = Terminal::new(TestBackend::new(100, 30)).unwrap();
    t.draw(|f| setup.draw(f)).unwrap();
    insta::assert_snapshot!("setup", buffer_text(t.backend().buffer()));
    // Ctrl+S creates a district reporting to the province: no parent asked.
    let SetupResult::Create(unit) = setup.update(&Event::Key(KeyEvent::new(
        KeyCode::Char('s'),
        KeyModifiers::CONTROL,
    ))) else {
        panic!("not created")
    };
    assert_eq!(
        (
            unit.unit_type.as_str(),
            unit.code.as_str(),
            unit.name.as_str()
        ),
        ("huyen", "HU01", "Huyện ủy Tân Phú")
    );
}

#[test]
fn setup_explains_the_unit_code_and_its_examples_follow_the_unit_type() {
    let outline = Outline::embedded().clone();
    let mut setup = Setup::new(outline, PLAIN);
    let send = |s: &mut Setup, code: KeyCode| {
        s.update(&Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
    };
    let draw = |s: &Setup, w: u16, h: u16| {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| s.draw(f)).unwrap();
        buffer_text(t.backend().buffer())
    };
    // A commune: its own examples, and its district's for the parent.
    send(&mut setup, KeyCode::Tab);
    let s = draw(&setup, 80, 24);
    assert!(s.contains("Ví dụ: 26212"), "{s}");
    assert!(s.contains("Ví dụ: Đảng ủy xã Phước Thái"), "{s}");
    assert!(s.contains("Ví dụ: Huyện ủy Long Thành"), "{s}");
    assert!(
        s.contains("Mã đơn vị: mã cấp trên giao cho đơn vị bạn"),
        "{s}"
    );
    assert!(
        s.contains("đừng đổi mã sau khi đã gửi."),
        "the whole explanation:\n{s}"
    );
    insta::assert_snapshot!("setup_code_80x24", s);
    // A district: a district's examples, a province above.
    send(&mut setup, KeyCode::BackTab);
    send(&mut setup, KeyCode::Down);
    send(&mut setup, KeyCode::Tab);
    let s = draw(&setup, 120, 40);
    assert!(s.contains("Ví dụ: Huyện ủy Long Thành"), "{s}");
    assert!(s.contains("Ví dụ: Tỉnh ủy Đồng Nai"), "{s}");
    assert!(!s.contains("Phước Thái"), "{s}");
    insta::assert_snapshot!("setup_code_120x40", s);
}

#[test]
fn a_communes_front_matter_shows_a_communes_examples() {
    let outline = Outline::embedded().clone();
    let mut unit = unit();
    unit.parent_name = None;
    let report = Report::new(&outline, unit).unwrap();
    let dir = std::env::temp_dir().join("baocao-tui-tests");
    let ws = Workspace::new(&dir.join("r.json"), outline, report).unwrap();
    let mut app = App::new(ws, (80, 24), PLAIN);
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Ví dụ: ĐẢNG BỘ HUYỆN LONG THÀNH"), "{s}");
    assert!(s.contains("Ví dụ: 45-BC/ĐU"), "{s}");
    assert!(!s.contains("HUYỆN ỦY LONG THÀNH"), "{s}");
    assert_eq!(
        field_value(&app, "front", "cap_tren"),
        None,
        "no parent name given"
    );
}

#[test]
fn snapshot_typing_vietnamese_and_walking_three_items() {
    let mut app = new_app(100, 30);
    key(&mut app, KeyCode::PageDown);
    type_text(
        &mut app,
        "Đảng ủy xã tổ chức hội nghị quán triệt cho 100% cán bộ chủ chốt; các chi bộ sinh hoạt chuyên đề; tuyên truyền trên loa truyền thanh ở 8/8 thôn.",
    );
    insta::assert_snapshot!("item_a_i_1", screen(&mut app, 100, 30));
    key(&mut app, KeyCode::PageDown);
    type_text(&mut app, "Nghị quyết, kế hoạch, hướng dẫn của Đảng ủy.");
    key(&mut app, KeyCode::PageDown);
    type_text(&mut app, "Cấp ủy, chính quyền chuyển biến rõ về nhận thức.");
    insta::assert_snapshot!("item_a_ii_1", screen(&mut app, 100, 30));
}

#[test]
fn snapshot_invalid_number() {
    let mut app = new_app(100, 30);
    go_to(&mut app, "A.II.5");
    focus_field(&mut app, "kinh_phi");
    type_text(&mut app, "15tr");
    insta::assert_snapshot!("invalid_money", screen(&mut app, 100, 30));
}

#[test]
fn snapshot_table_add_and_delete() {
    let mut app = new_app(100, 30);
    go_to(&mut app, "A.I.2");
    focus_field(&mut app, "van_ban");
    key(&mut app, KeyCode::Insert);
    type_text(
        &mut app,
        "12-NQ/ĐU\n15/3/2010\nĐảng ủy xã\nNghị quyết chuyên đề về công tác dân vận\n",
    );
    key(&mut app, KeyCode::Insert);
    type_text(&mut app, "7-KH/ĐU\n01/06/2010\n");
    key(&mut app, KeyCode::Esc);
    insta::assert_snapshot!("table_two_rows", screen(&mut app, 100, 30));
    key(&mut app, KeyCode::Delete);
    insta::assert_snapshot!("table_confirm_delete", screen(&mut app, 100, 30));
    key(&mut app, KeyCode::Enter);
    insta::assert_snapshot!("table_after_delete", screen(&mut app, 100, 30));
}

#[test]
fn snapshot_help() {
    let mut app = new_app(100, 30);
    key(&mut app, KeyCode::F(1));
    insta::assert_snapshot!("help", screen(&mut app, 100, 30));
}

#[test]
fn snapshot_80x24_and_40x10() {
    let mut app = new_app(80, 24);
    type_text(&mut app, "45-BC/ĐU");
    insta::assert_snapshot!("front_80x24", screen(&mut app, 80, 24));
    app.update(Input::Term(Event::Resize(40, 10)));
    insta::assert_snapshot!("front_40x10", screen(&mut app, 40, 10));
}

/// The app on an approved (final) report, on A.I.1's number of meetings.
fn approved_app() -> App {
    let mut app = new_app(100, 30);
    let approval = baocao::approval::Request {
        by: "Ban Thường vụ Đảng ủy xã".into(),
        on: "04/10/2014".into(),
        incomplete_reason: Some("Thử".into()),
    };
    let today = chrono::Local::now().date_naive();
    app.ws.finalize(&approval, today).unwrap();
    go_to(&mut app, "A.I.1");
    focus_field(&mut app, "so_hoi_nghi");
    app
}

#[test]
fn an_approved_report_asks_before_its_first_edit() {
    let mut app = approved_app();
    assert!(
        screen(&mut app, 100, 30)
            .lines()
            .next()
            .unwrap()
            .contains("CHÍNH THỨC")
    );
    // Moving about changes nothing and asks nothing.
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::BackTab);
    assert!(app.layers.is_empty());

    // Typing asks; No leaves the approved report as it was.
    key(&mut app, KeyCode::Char('7'));
    assert!(matches!(app.layers.last(), Some(Layer::ConfirmReopen(_))));
    let s = screen(&mut app, 100, 30);
    assert!(s.contains("Báo cáo đã thông qua"), "{s}");
    assert!(s.contains("sửa sẽ chuyển về dự thảo?"), "{s}");
    key(&mut app, KeyCode::Char('1'));
    assert!(
        matches!(app.layers.last(), Some(Layer::ConfirmReopen(_))),
        "other keys wait"
    );
    key(&mut app, KeyCode::Esc);
    assert!(app.layers.is_empty());
    assert!(app.ws.report.is_final());
    assert_eq!(field_value(&app, "A.I.1", "so_hoi_nghi"), None);
    assert!(!app.save.dirty);

    // A paste asks too.
    app.update(Input::Term(Event::Paste("12".into())));
    assert!(matches!(app.layers.last(), Some(Layer::ConfirmReopen(_))));
    key(&mut app, KeyCode::Esc);
    assert_eq!(field_value(&app, "A.I.1", "so_hoi_nghi"), None);

    // Yes: a draft again, the approval in the history, the key typed.
    key(&mut app, KeyCode::Char('7'));
    key(&mut app, KeyCode::Enter);
    assert!(app.layers.is_empty());
    assert!(!app.ws.report.is_final());
    assert_eq!(app.ws.report.approval_history.len(), 1);
    assert_eq!(
        app.ws.report.approval_history[0].approval.by,
        "Ban Thường vụ Đảng ủy xã"
    );
    assert_eq!(field_value(&app, "A.I.1", "so_hoi_nghi"), Some(&json!(7)));
    assert!(app.save.dirty);
    let s = screen(&mut app, 100, 30);
    assert!(s.lines().next().unwrap().contains("DỰ THẢO"), "{s}");
    assert!(s.contains("trở lại dự thảo"), "{s}");
    // From now on it types without asking.
    key(&mut app, KeyCode::Char('0'));
    assert!(app.layers.is_empty());
    assert_eq!(field_value(&app, "A.I.1", "so_hoi_nghi"), Some(&json!(70)));
}

#[test]
fn an_approved_report_asks_before_a_table_row_is_added() {
    let mut app = approved_app();
    go_to(&mut app, "A.I.2");
    focus_field(&mut app, "van_ban");
    key(&mut app, KeyCode::Insert);
    assert!(matches!(app.layers.last(), Some(Layer::ConfirmReopen(_))));
    key(&mut app, KeyCode::Char('k'));
    assert!(app.ws.report.is_final());
    assert_eq!(field_value(&app, "A.I.2", "van_ban"), None);
    key(&mut app, KeyCode::Insert);
    key(&mut app, KeyCode::Char('c'));
    assert!(!app.ws.report.is_final());
    let rows = field_value(&app, "A.I.2", "van_ban").expect("a row was added");
    assert_eq!(rows.as_array().map(Vec::len), Some(1));
}

/// A mark or a box character that a bare Linux console's default font
/// may not have.
fn not_for_a_bare_console(c: char) -> bool {
    matches!(c, '\u{2190}'..='\u{21FF}' | '\u{2500}'..='\u{27BF}' | '…')
}

/// With `--ascii` (or TERM=linux) every screen draws its marks and borders
/// in ASCII; the same screens without it do use box characters (so the
/// check below can fail), and Vietnamese letters are left as they are.
#[test]
fn ascii_mode_draws_marks_and_borders_a_bare_console_can_show() {
    for (w, h) in [(80, 24), (120, 40)] {
        let mut app = new_app(w, h);
        type_text(&mut app, "Hội nghị");
        key(&mut app, KeyCode::Tab);
        let unicode = screen(&mut app, w, h);
        assert!(unicode.chars().any(not_for_a_bare_console), "{unicode}");
        app.theme.ascii = true;
        let mut screens = vec![screen(&mut app, w, h)];
        key(&mut app, KeyCode::F(1));
        screens.push(screen(&mut app, w, h));
        key(&mut app, KeyCode::Esc);
        key(&mut app, KeyCode::F(7));
        screens.push(screen(&mut app, w, h));
        key(&mut app, KeyCode::Esc);
        for s in &screens {
            let odd: String = s.chars().filter(|&c| not_for_a_bare_console(c)).collect();
            assert!(odd.is_empty(), "{w}×{h}: {odd:?} in\n{s}");
            assert!(s.contains('+') && s.contains('|'), "ASCII borders:\n{s}");
        }
        assert!(screens[0].contains("Hội nghị"), "{}", screens[0]);
    }
    for c in ['✓', '◐', '⚠', '▶', '┌', '─', '│'] {
        assert!(
            baocao::tui::theme::ascii_of(c).is_some_and(|a| a.is_ascii()),
            "{c}"
        );
    }
    assert_eq!(baocao::tui::theme::ascii_of('ệ'), None);
}

/// Ctrl+D approves the report without a command line, with the rules of
/// `baocao finalize` (a report with missing answers needs a reason), and
/// on an approved report takes it back to a draft, the approval kept.
#[test]
fn ctrl_d_approves_with_the_rules_of_finalize_and_takes_it_back_to_a_draft() {
    let mut app = new_app(80, 24);
    app.settings.input_method = baocao::vi::ime::Method::Telex;
    ctrl(&mut app, 'd');
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Thông qua tập thể (Ctrl+D)"), "{s}");
    assert!(s.contains("Mới hoàn thành"), "warns it is incomplete:\n{s}");
    assert!(
        s.contains("còn thiếu Thông tin chung «Số, ký hiệu»"),
        "says which fields:\n{s}"
    );
    // Typed with the built-in Telex, as in the form.
    type_text(&mut app, "Ban Thuwowngf vuj DDangr uyr xax");
    key(&mut app, KeyCode::Enter);
    // Incomplete without a reason: refused, the dialog stays, still a draft,
    // and the message speaks of the dialog's box, not of a command.
    let s = screen(&mut app, 80, 24);
    assert!(!app.ws.report.is_final());
    assert!(
        s.contains("Thông qua tập thể (Ctrl+D)") && s.contains('⚠'),
        "{s}"
    );
    assert!(
        s.contains("Lý do nếu còn thiếu") && !s.contains("baocao finalize"),
        "{s}"
    );
    // The date box holds today; the reason box takes the reason.
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    type_text(&mut app, "Hết hạn, phần còn lại bổ sung sau");
    key(&mut app, KeyCode::Enter);
    let a = app.ws.report.approval().expect("approved").clone();
    // No tone style chosen: the outline's own ("ủy", as it writes "Đảng ủy").
    assert_eq!(a.by, "Ban Thường vụ Đảng ủy xã");
    assert_eq!(a.on, chrono::Local::now().format("%d/%m/%Y").to_string());
    assert!(a.incomplete.is_some());
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("CHÍNH THỨC"), "{s}");
    assert!(!s.contains("Thông qua tập thể (Ctrl+D)"), "closed:\n{s}");
    // Ctrl+D again: back to a draft, the approval in the history.
    ctrl(&mut app, 'd');
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Trở lại dự thảo (Ctrl+D)"), "{s}");
    type_text(&mut app, "Sửa số liệu mục A.I.1");
    key(&mut app, KeyCode::Enter);
    assert!(!app.ws.report.is_final());
    assert_eq!(app.ws.report.approval_history.len(), 1);
    assert_eq!(
        app.ws.report.approval_history[0].reason.as_deref(),
        Some("Sửa số liệu mục A.I.1")
    );
    // Esc closes without changing anything.
    ctrl(&mut app, 'd');
    key(&mut app, KeyCode::Esc);
    assert!(!app.ws.report.is_final());
    assert!(!screen(&mut app, 80, 24).contains("Thông qua tập thể (Ctrl+D)"));
}

/// PgDn on the outline's last item stays there and says so, offering the
/// way to what is still unanswered.
#[test]
fn pgdn_on_the_last_item_says_it_is_the_last_and_offers_ctrl_g() {
    let mut app = new_app(80, 24);
    let items = baocao::outline::Outline::embedded().entries().len();
    for _ in 0..items + 2 {
        key(&mut app, KeyCode::PageDown);
    }
    let s = screen(&mut app, 80, 24);
    assert!(
        s.contains("Đây là mục cuối của đề cương. Ctrl+G: đến mục còn chưa trả lời."),
        "{s}"
    );
    // Ctrl+G goes on to the first unanswered item.
    ctrl(&mut app, 'g');
    let s = screen(&mut app, 80, 24);
    assert!(!s.contains("Đây là mục cuối"), "{s}");
}

#[test]
fn tab_at_an_items_last_field_stays_in_the_item_and_pgdn_moves_on() {
    let mut app = new_app(80, 24);
    go_to(&mut app, "A.I.1");
    let fields = app.form.editors.len();
    assert!(fields > 1, "A.I.1 has several fields");
    let first = app.form.focus;
    let mut seen = vec![app.form.focus];
    for _ in 0..fields + 1 {
        key(&mut app, KeyCode::Tab);
        assert_eq!(app.item_id(), "A.I.1", "Tab never leaves the item");
        seen.push(app.form.focus);
        if app.form.focus == first {
            break;
        }
    }
    assert_eq!(
        app.form.focus, first,
        "past the last field, back to the first"
    );
    let s = screen(&mut app, 80, 24);
    assert!(
        s.contains("Về ô đầu của mục này. PgDn: sang mục sau."),
        "{s}"
    );
    // Shift+Tab on the first field goes to the item's last one.
    key(&mut app, KeyCode::BackTab);
    assert_eq!(app.item_id(), "A.I.1");
    assert_eq!(app.form.focus, *seen.iter().max().unwrap());
    // A figure typed there stays in that field of this item.
    key(&mut app, KeyCode::PageDown);
    assert_eq!(app.item_id(), "A.I.2", "PgDn moves on");
}

#[test]
fn coming_back_to_a_text_puts_the_cursor_where_it_was_not_at_the_end() {
    let mut app = new_app(80, 24);
    go_to(&mut app, "A.III.1");
    type_text(&mut app, "Ưu điểm lớn");
    for _ in 0..4 {
        key(&mut app, KeyCode::Left);
    }
    key(&mut app, KeyCode::PageDown);
    key(&mut app, KeyCode::PageUp);
    assert_eq!(app.item_id(), "A.III.1");
    type_text(&mut app, " nhất");
    let field = app.form.editors[app.form.focus].field.id.clone();
    assert_eq!(
        field_value(&app, "A.III.1", &field),
        Some(&json!("Ưu điểm nhất lớn"))
    );
}

#[test]
fn reopening_goes_back_to_the_item_field_and_cursor_the_user_left() {
    let mut app = new_app(80, 24);
    go_to(&mut app, "A.II.2");
    key(&mut app, KeyCode::Tab);
    type_text(&mut app, "Đã tổ chức");
    key(&mut app, KeyCode::Home);
    let place = app.form.place();
    assert_eq!(place.item, "A.II.2");
    let report = app.ws.report.clone();
    // Opened again on the same report: where it was left, not the first
    // unanswered item.
    let dir = std::env::temp_dir().join("baocao-tui-tests");
    let ws = Workspace::new(&dir.join("r.json"), Outline::embedded().clone(), report).unwrap();
    let mut again = App::new(ws, (80, 24), PLAIN);
    assert_eq!(again.item_id(), "front");
    again.go_to_place(&place);
    assert_eq!(again.item_id(), "A.II.2");
    assert_eq!(again.form.place(), place);
    type_text(&mut again, "Năm 2010 ");
    assert_eq!(
        field_value(&again, "A.II.2", &place.field),
        Some(&json!("Năm 2010 Đã tổ chức"))
    );
    // A place the outline no longer has is ignored.
    let gone = baocao::settings::Place {
        item: "Z.9".into(),
        ..place
    };
    again.go_to_place(&gone);
    assert_eq!(again.item_id(), "A.II.2");
}

#[test]
fn nothing_a_user_must_read_is_cut_at_80x24() {
    let mut app = new_app(80, 24);
    // A message longer than the bar wraps onto more lines, whole.
    let long = "Thư mục E:\\BAOCAO\\NHAN-GOI-THANG-10 không có gói để nhận: chép các tệp .bcpkg của các xã vào đây rồi nhấn F6 lần nữa.";
    app.notice = Some(long.into());
    let s = screen(&mut app, 80, 24);
    let bottom: String = s.lines().rev().take(3).collect::<Vec<_>>().join(" ");
    for word in long.split(' ') {
        assert!(bottom.contains(word), "«{word}» shown:\n{s}");
    }
    app.notice = None;
    // A long label wraps with its required mark, never "…".
    go_to(&mut app, "A.II.5");
    let s = screen(&mut app, 80, 24);
    assert!(
        !s.replace("Nhập nội dung…", "").contains('…'),
        "nothing cut on A.II.5:\n{s}"
    );
    insta::assert_snapshot!("a_ii_5_80x24", s);
    // A table's headers wrap at words; the empty-table note is whole.
    go_to(&mut app, "A.I.2");
    focus_field(&mut app, "van_ban");
    let s = screen(&mut app, 80, 24);
    assert!(
        s.contains("(chưa có dòng nào — Insert hoặc Ctrl+N để thêm)"),
        "{s}"
    );
    assert!(s.contains("Ngày ban"), "{s}");
    insta::assert_snapshot!("a_i_2_table_80x24", s);
    let s = screen(&mut app, 120, 40);
    insta::assert_snapshot!("a_i_2_table_120x40", s);
}

#[test]
fn ctrl_b_lists_the_backups_with_their_times_and_restores_one() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.json");
    let outline = Outline::embedded().clone();
    let mut report = Report::new(&outline, unit()).unwrap();
    report.set_value("A.III.1", "noi_dung", json!("Bản sáng nay"));
    baocao::store::save(&path, &report).unwrap();
    report.set_value("A.III.1", "noi_dung", json!(""));
    baocao::store::save(&path, &report).unwrap();
    baocao::store::save(&path, &report).unwrap();
    let ws = Workspace::new(&path, outline, report).unwrap();
    let mut app = App::new(ws, (80, 24), PLAIN);
    ctrl(&mut app, 'b');
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("Bản sao lưu (Ctrl+B)"), "{s}");
    let today = chrono::Local::now().format("%d/%m/%Y").to_string();
    assert_eq!(
        s.matches(&today).count(),
        2,
        "two backups, with their times:\n{s}"
    );
    insta::assert_snapshot!(
        "backups_80x24",
        s.replace(&today, "DD/MM/YYYY")
            .lines()
            .map(hide_clock)
            .collect::<Vec<_>>()
            .join("\n")
    );
    let wide = screen(&mut app, 120, 40).replace(&today, "DD/MM/YYYY");
    insta::assert_snapshot!(
        "backups_120x40",
        wide.lines().map(hide_clock).collect::<Vec<_>>().join("\n")
    );
    // The older one holds the morning's text.
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Enter);
    assert!(screen(&mut app, 80, 24).contains("Khôi phục bản lưu lúc"));
    // Esc keeps the report as it is.
    key(&mut app, KeyCode::Esc);
    assert_eq!(field_value(&app, "A.III.1", "noi_dung"), None);
    key(&mut app, KeyCode::Enter);
    let effects = key(&mut app, KeyCode::Enter);
    assert_eq!(effects, vec![Effect::Save], "restored, then saved");
    assert_eq!(
        field_value(&app, "A.III.1", "noi_dung"),
        Some(&json!("Bản sáng nay"))
    );
    assert!(app.layers.is_empty(), "the dialog closed");
    assert!(screen(&mut app, 80, 24).contains("Đã khôi phục bản lưu lúc"));
}

#[test]
fn an_approved_report_is_not_replaced_by_a_backup() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.json");
    let outline = Outline::embedded().clone();
    let report = Report::new(&outline, unit()).unwrap();
    baocao::store::save(&path, &report).unwrap();
    let mut ws = Workspace::new(&path, outline, report).unwrap();
    ws.finalize(
        &baocao::approval::Request {
            by: "Ban Thường vụ".into(),
            on: "04/10/2014".into(),
            incomplete_reason: Some("Sơ kết sớm".into()),
        },
        chrono::NaiveDate::from_ymd_opt(2014, 10, 5).unwrap(),
    )
    .unwrap();
    baocao::store::save(&path, &ws.report).unwrap();
    let mut app = App::new(ws, (80, 24), PLAIN);
    ctrl(&mut app, 'b');
    key(&mut app, KeyCode::Enter);
    key(&mut app, KeyCode::Enter);
    assert!(app.ws.report.is_final(), "approval holds");
    let s = screen(&mut app, 80, 24);
    assert!(s.contains("thông qua"), "says why:\n{s}");
}

/// "14:05:09 " → "HH:MM:SS " so a snapshot does not depend on the clock.
fn hide_clock(line: &str) -> String {
    let chars: Vec<char> = line.chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let is_clock = i + 8 <= chars.len()
            && chars[i..i + 8].iter().enumerate().all(|(k, c)| {
                if k == 2 || k == 5 {
                    *c == ':'
                } else {
                    c.is_ascii_digit()
                }
            });
        if is_clock {
            out.push_str("HH:MM:SS");
            i += 8;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}

#[test]
fn the_approval_dialog_names_the_invalid_fields_to_correct_first() {
    let mut app = new_app(80, 24);
    go_to(&mut app, "A.II.5");
    focus_field(&mut app, "kinh_phi");
    type_text(&mut app, "15tr");
    ctrl(&mut app, 'd');
    let s = screen(&mut app, 80, 24);
    assert!(
        s.contains("Còn 1 trường sai, phải sửa trước khi thông qua: A.II.5"),
        "{s}"
    );
    let today = chrono::Local::now().format("%d/%m/%Y").to_string();
    insta::assert_snapshot!("approval_invalid_80x24", s.replace(&today, "DD/MM/YYYY"));
    insta::assert_snapshot!(
        "approval_invalid_120x40",
        screen(&mut app, 120, 40).replace(&today, "DD/MM/YYYY")
    );
}

#[test]
fn a_place_on_the_page_the_form_opens_on_keeps_its_cursor() {
    let mut app = new_app(80, 24);
    assert_eq!(app.item_id(), "front");
    type_text(&mut app, "45-BC");
    for _ in 0..3 {
        key(&mut app, KeyCode::Left);
    }
    let place = app.form.place();
    assert_eq!(place.cursor, (0, 2));
    let report = app.ws.report.clone();
    let dir = std::env::temp_dir().join("baocao-tui-tests");
    let ws = Workspace::new(&dir.join("r.json"), Outline::embedded().clone(), report).unwrap();
    let mut again = App::new(ws, (80, 24), PLAIN);
    again.go_to_place(&place);
    type_text(&mut again, "X");
    assert_eq!(
        field_value(&again, "front", "so_ky_hieu"),
        Some(&json!("45X-BC"))
    );
}
