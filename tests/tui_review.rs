//! F4 with real answers and the search that reads well, driven by keys:
//! a long answer scrolled to its end, a table's every row, the selected
//! unit in sight at 80×24, one sentence copied with the unit's name, a
//! province opening a district onto its communes; search results named
//! as people read them, Enter putting the cursor on the match. And the
//! grandchildren in the appendix, the figures CSV and the search.

mod common;

use baocao::outline::Outline;
use baocao::report::Report;
use baocao::tui::app::{App, Input, Layer};
use baocao::tui::theme::Theme;
use baocao::tui::view;
use baocao::vi::ime::Method;
use baocao::workspace::Workspace;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

const PLAIN: Theme = Theme {
    color: false,
    ascii: false,
};

/// A commune's package with these answers, into `dir/usb`.
fn commune(
    dir: &Path,
    code: &str,
    name: &str,
    parent: &str,
    answers: &[(&str, &str, Value)],
) -> PathBuf {
    let outline = Outline::embedded().clone();
    let mut r = Report::new(&outline, common::unit("xa", code, name, Some(parent))).unwrap();
    for (item, field, v) in answers {
        r.set_value(item, field, v.clone());
    }
    let path = dir.join(format!("{code}.json"));
    baocao::store::save(&path, &r).unwrap();
    let usb = dir.join("usb");
    std::fs::create_dir_all(&usb).unwrap();
    Workspace::new(&path, outline, r)
        .unwrap()
        .export(&usb)
        .unwrap()
}

/// A district (reporting to `parent`) that took these packages in.
fn district(dir: &Path, parent: Option<&str>, packages: &[(&str, &str, PathBuf)]) -> Workspace {
    let mut ws = common::workspace(
        dir,
        "huyen.json",
        common::unit("huyen", "HU01", "Huyện ủy Tân Phú", parent),
    );
    for (code, name, _) in packages {
        ws.add_child(code, name, None, None).unwrap();
    }
    for (_, _, p) in packages {
        let ex = ws.examine(p);
        ws.accept(&ex).unwrap();
    }
    ws
}

fn app(ws: Workspace, w: u16, h: u16) -> App {
    let mut app = App::new(ws, (w, h), PLAIN);
    app.settings.input_method = Method::Off;
    app
}

fn key(app: &mut App, code: KeyCode, mods: KeyModifiers) {
    app.update(Input::Term(Event::Key(KeyEvent::new(code, mods))));
}

fn press(app: &mut App, code: KeyCode) {
    key(app, code, KeyModifiers::NONE);
}

fn alt(app: &mut App, code: KeyCode) {
    key(app, code, KeyModifiers::ALT);
}

fn ctrl(app: &mut App, c: char) {
    key(app, KeyCode::Char(c), KeyModifiers::CONTROL);
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

fn screen(app: &mut App, w: u16, h: u16) -> String {
    app.update(Input::Term(Event::Resize(w, h)));
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view::draw(f, app)).unwrap();
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..h {
        let mut line = String::new();
        for x in 0..w {
            line.push_str(buf[(x, y)].symbol());
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn focus(app: &mut App, item: &str, field: &str) {
    for _ in 0..40 {
        if app.item_id() == item {
            break;
        }
        press(app, KeyCode::PageDown);
    }
    assert_eq!(app.item_id(), item);
    for _ in 0..40 {
        if app.form.editors[app.form.focus].field.id == field {
            return;
        }
        press(app, KeyCode::Tab);
    }
    panic!("{field} not reachable");
}

/// A long answer: numbered sentences, 3,184 characters, its last words
/// "HẾT BÀI".
fn long_answer() -> String {
    let tail = " Cuối cùng là HẾT BÀI.";
    let mut s = String::new();
    let mut n = 1;
    while s.chars().count() < 3_100 {
        s.push_str(&format!(
            "Câu {n}: chi bộ tổ chức quán triệt cho đảng viên ở thôn {n}. "
        ));
        n += 1;
    }
    s.push_str("Thêm");
    while s.chars().count() + tail.chars().count() < 3_184 {
        s.push('!');
    }
    s.push_str(tail);
    assert_eq!(s.chars().count(), 3_184);
    s
}

fn long_district(dir: &Path) -> Workspace {
    let a = commune(
        dir,
        "27112",
        "Xã Phú Lâm",
        "HU01",
        &[(
            "A.I.1",
            "hinh_thuc_quan_triet",
            Value::String(long_answer()),
        )],
    );
    let rows: Vec<Value> = (1..=30)
        .map(|n| {
            json!({"so_ky_hieu": format!("SO-{n:02}/NQ"), "ngay_ban_hanh": "15/03/2010",
                   "co_quan": "Đảng ủy xã Phú Bình", "trich_yeu": format!("Về quán triệt, đợt {n}")})
        })
        .collect();
    let b = commune(
        dir,
        "27115",
        "Xã Phú Bình",
        "HU01",
        &[
            (
                "A.I.1",
                "hinh_thuc_quan_triet",
                json!("Một là quán triệt. Hai là triển khai? Ba là kiểm tra! Bốn là sơ kết."),
            ),
            ("A.I.2", "van_ban", Value::Array(rows)),
        ],
    );
    district(
        dir,
        None,
        &[("27112", "Xã Phú Lâm", a), ("27115", "Xã Phú Bình", b)],
    )
}

#[test]
fn a_long_answer_scrolls_to_its_end_at_80x24() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(long_district(dir.path()), 80, 24);
    focus(&mut app, "A.I.1", "hinh_thuc_quan_triet");
    press(&mut app, KeyCode::F(4));
    // Phú Bình comes first in Vietnamese order; Phú Lâm has the long one.
    alt(&mut app, KeyCode::Down);
    let first = screen(&mut app, 80, 24);
    assert!(first.contains("▶ Xã Phú Lâm (27112)"), "{first}");
    assert!(first.contains("Câu 1: chi bộ"), "{first}");
    assert!(!first.contains("HẾT"), "{first}");
    let mut seen = first.clone();
    for _ in 0..200 {
        if seen.contains("HẾT") {
            break;
        }
        alt(&mut app, KeyCode::PageDown);
        seen = screen(&mut app, 80, 24);
        assert!(
            seen.contains("▶ Xã Phú Lâm"),
            "the unit stays in sight: {seen}"
        );
    }
    assert!(seen.contains("Cuối cùng là HẾT"), "{seen}");
    // The position says the last line is shown.
    let pos = seen
        .lines()
        .find_map(|l| l.split("dòng ").nth(1))
        .expect("a position");
    let (range, total) = pos.split_once('/').unwrap();
    let total: String = total.chars().take_while(char::is_ascii_digit).collect();
    assert!(range.ends_with(&format!("–{total}")), "{pos}");
    // And back to the top.
    for _ in 0..200 {
        alt(&mut app, KeyCode::PageUp);
    }
    assert!(screen(&mut app, 80, 24).contains("Câu 1: chi bộ"));
}

#[test]
fn every_row_of_a_childs_table_is_reachable() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(long_district(dir.path()), 80, 24);
    focus(&mut app, "A.I.2", "van_ban");
    press(&mut app, KeyCode::F(4));
    let mut seen = String::new();
    let mut shown = screen(&mut app, 80, 24);
    assert!(shown.contains("▶ Xã Phú Bình (27115)"), "{shown}");
    assert!(shown.contains("STT"), "the table's headers: {shown}");
    assert!(shown.contains("30 dòng"), "{shown}");
    for _ in 0..100 {
        seen.push_str(&shown);
        alt(&mut app, KeyCode::PageDown);
        shown = screen(&mut app, 80, 24);
    }
    seen.push_str(&shown);
    for n in 1..=30 {
        assert!(
            seen.contains(&format!("SO-{n:02}/NQ")),
            "row {n} never shown"
        );
    }
    assert!(seen.contains("đợt 30"));
}

#[test]
fn the_selected_child_stays_in_sight_at_80x24_with_many_children() {
    let dir = tempfile::tempdir().unwrap();
    let mut packages = Vec::new();
    for n in 0..25 {
        let code = format!("27{n:03}");
        let name = format!("Xã Số {n:02}");
        let p = commune(
            dir.path(),
            &code,
            &name,
            "HU01",
            &[
                (
                    "A.I.1",
                    "hinh_thuc_quan_triet",
                    json!(format!("Bài của xã số {n:02}.")),
                ),
                ("A.I.1", "so_hoi_nghi", json!(n + 1)),
            ],
        );
        packages.push((code, name, p));
    }
    let list: Vec<(&str, &str, PathBuf)> = packages
        .iter()
        .map(|(c, n, p)| (c.as_str(), n.as_str(), p.clone()))
        .collect();
    let mut app = app(district(dir.path(), None, &list), 80, 24);
    for field in ["hinh_thuc_quan_triet", "so_hoi_nghi"] {
        focus(&mut app, "A.I.1", field);
        press(&mut app, KeyCode::F(4));
        for n in 0..25 {
            let shown = screen(&mut app, 80, 24);
            assert!(
                shown.contains(&format!("▶ Xã Số {n:02}")),
                "{field}: unit {n} not in sight:\n{shown}"
            );
            if field == "hinh_thuc_quan_triet" {
                assert!(shown.contains(&format!("Bài của xã số {n:02}.")), "{shown}");
            }
            alt(&mut app, KeyCode::Down);
        }
        press(&mut app, KeyCode::F(4));
    }
}

#[test]
fn a_chosen_sentence_goes_in_alone_with_the_unit_name() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(long_district(dir.path()), 80, 24);
    focus(&mut app, "A.I.1", "hinh_thuc_quan_triet");
    press(&mut app, KeyCode::F(4));
    // Xã Phú Bình is selected first. Alt+→ picks the first sentence, again
    // the second.
    alt(&mut app, KeyCode::Right);
    alt(&mut app, KeyCode::Right);
    assert!(screen(&mut app, 80, 24).contains("câu 2/4"));
    ctrl(&mut app, 't');
    assert_eq!(
        app.ws.report.value("A.I.1", "hinh_thuc_quan_triet"),
        Some(&json!("Xã Phú Bình: Hai là triển khai?\n"))
    );
    // Alt+M takes the next one too; Alt+← goes back to one sentence.
    alt(&mut app, KeyCode::Char('m'));
    assert!(screen(&mut app, 80, 24).contains("câu 2–3/4"));
    ctrl(&mut app, 't');
    assert_eq!(
        app.ws.report.value("A.I.1", "hinh_thuc_quan_triet"),
        Some(&json!(
            "Xã Phú Bình: Hai là triển khai?\nXã Phú Bình: Hai là triển khai? Ba là kiểm tra!\n"
        ))
    );
    alt(&mut app, KeyCode::Left);
    alt(&mut app, KeyCode::Left);
    alt(&mut app, KeyCode::Left);
    assert!(screen(&mut app, 80, 24).contains("câu 1/4"));
    // Another unit: nothing chosen, Ctrl+T takes the whole text again.
    alt(&mut app, KeyCode::Down);
    assert_eq!(app.form.review.as_ref().unwrap().sentence, None);
    assert!(!screen(&mut app, 80, 24).contains("/4 "));
}

#[test]
fn the_sentence_cursor_scrolls_the_answer() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(long_district(dir.path()), 80, 24);
    focus(&mut app, "A.I.1", "hinh_thuc_quan_triet");
    press(&mut app, KeyCode::F(4));
    alt(&mut app, KeyCode::Down);
    for _ in 0..200 {
        alt(&mut app, KeyCode::Right);
    }
    let shown = screen(&mut app, 80, 24);
    assert!(
        shown.contains("Cuối cùng là HẾT") && shown.contains("BÀI."),
        "the last sentence in sight: {shown}"
    );
    ctrl(&mut app, 't');
    assert_eq!(
        app.ws.report.value("A.I.1", "hinh_thuc_quan_triet"),
        Some(&json!("Xã Phú Lâm: Cuối cùng là HẾT BÀI.\n"))
    );
}

#[test]
fn snapshot_review_long_answer_and_table() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(long_district(dir.path()), 80, 24);
    focus(&mut app, "A.I.1", "hinh_thuc_quan_triet");
    press(&mut app, KeyCode::F(4));
    alt(&mut app, KeyCode::Down);
    alt(&mut app, KeyCode::PageDown);
    insta::assert_snapshot!("review_long_80x24", screen(&mut app, 80, 24));
    insta::assert_snapshot!("review_long_120x40", screen(&mut app, 120, 40));
    press(&mut app, KeyCode::F(4));
    focus(&mut app, "A.I.2", "van_ban");
    press(&mut app, KeyCode::F(4));
    insta::assert_snapshot!("review_table_80x24", screen(&mut app, 80, 24));
    insta::assert_snapshot!("review_table_120x40", screen(&mut app, 120, 40));
}

// ---- a province: districts with their communes inside

/// A province that took a district whose package embeds two communes.
fn province(dir: &Path) -> Workspace {
    let a = commune(
        dir,
        "27112",
        "Xã Phú Lâm",
        "HU01",
        &[
            (
                "A.I.1",
                "hinh_thuc_quan_triet",
                json!("Phú Lâm quán triệt đến từng chi bộ. Đạt kết quả tốt."),
            ),
            ("A.I.1", "so_hoi_nghi", json!(5)),
            (
                "A.I.2",
                "van_ban",
                json!([{"so_ky_hieu": "12-NQ/ĐU", "ngay_ban_hanh": "15/03/2010",
                        "co_quan": "Đảng ủy xã Phú Lâm", "trich_yeu": "Về quán triệt"}]),
            ),
        ],
    );
    let b = commune(
        dir,
        "27115",
        "Xã Phú Bình",
        "HU01",
        &[
            (
                "A.I.1",
                "hinh_thuc_quan_triet",
                json!("Phú Bình tổ chức 7 hội nghị."),
            ),
            ("A.I.1", "so_hoi_nghi", json!(7)),
        ],
    );
    let mut d = district(
        dir,
        Some("TINH"),
        &[("27112", "Xã Phú Lâm", a), ("27115", "Xã Phú Bình", b)],
    );
    d.report.set_value(
        "A.I.1",
        "hinh_thuc_quan_triet",
        json!("Huyện ủy tổ chức hội nghị."),
    );
    baocao::store::save(&d.path, &d.report).unwrap();
    let out = dir.join("huyen-gui");
    std::fs::create_dir_all(&out).unwrap();
    let dp = d.export(&out).unwrap();
    let mut p = common::workspace(
        dir,
        "tinh.json",
        common::unit("tinh", "TINH", "Tỉnh ủy", None),
    );
    p.add_child("HU01", "Huyện ủy Tân Phú", Some("huyen"), None)
        .unwrap();
    let ex = p.examine(&dp);
    p.accept(&ex).unwrap();
    p
}

#[test]
fn the_province_opens_a_district_onto_its_communes_answers() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(province(dir.path()), 80, 24);
    focus(&mut app, "A.I.1", "hinh_thuc_quan_triet");
    press(&mut app, KeyCode::F(4));
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("▶ Huyện ủy Tân Phú (HU01)"), "{shown}");
    assert!(shown.contains("Huyện ủy tổ chức hội nghị."), "{shown}");
    assert!(!shown.contains("Phú Lâm quán triệt"), "{shown}");
    // Alt+O opens the district: its communes, in Vietnamese order.
    alt(&mut app, KeyCode::Char('o'));
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("Cấp dưới › Huyện ủy Tân Phú"), "{shown}");
    assert!(shown.contains("▶ Xã Phú Bình (27115)"), "{shown}");
    alt(&mut app, KeyCode::Down);
    let shown = screen(&mut app, 80, 24);
    assert!(
        shown.contains("Phú Lâm quán triệt đến từng chi bộ."),
        "{shown}"
    );
    // One sentence of a commune's answer, named with its district.
    alt(&mut app, KeyCode::Right);
    alt(&mut app, KeyCode::Right);
    ctrl(&mut app, 't');
    assert_eq!(
        app.ws.report.value("A.I.1", "hinh_thuc_quan_triet"),
        Some(&json!("Xã Phú Lâm (Huyện ủy Tân Phú): Đạt kết quả tốt.\n"))
    );
    // Alt+Q back to the districts.
    alt(&mut app, KeyCode::Char('q'));
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("▶ Huyện ủy Tân Phú (HU01)"), "{shown}");
    assert!(!shown.contains("Cấp dưới › "), "{shown}");
    // The figures of the communes, inside the district, each on its line.
    focus(&mut app, "A.I.1", "so_hoi_nghi");
    alt(&mut app, KeyCode::Char('o'));
    let shown = screen(&mut app, 120, 40);
    assert!(
        shown.contains("Xã Phú Lâm (27112): 5") && shown.contains("Xã Phú Bình (27115): 7"),
        "{shown}"
    );
    assert!(shown.contains("Số của Huyện ủy Tân Phú: 12"), "{shown}");
}

#[test]
fn the_province_searches_its_communes_and_enter_opens_the_district() {
    let dir = tempfile::tempdir().unwrap();
    let ws = province(dir.path());
    let hits = baocao::search::search(&ws, "tung chi bo");
    assert_eq!(hits.len(), 1, "{hits:?}");
    let h = &hits[0];
    assert_eq!(h.unit_code, "27112");
    assert_eq!(h.via.len(), 1);
    assert_eq!(h.via[0].code, "HU01");
    assert_eq!(h.unit(), "Xã Phú Lâm (Huyện ủy Tân Phú)");
    // The same with the communes read once for a run of searches (as the
    // search box does).
    let read = baocao::search::Embedded::of(&ws);
    for q in ["tung chi bo", "phu", "hoi nghi"] {
        assert_eq!(
            baocao::search::search_with(&ws, &read, q),
            baocao::search::search(&ws, q)
        );
    }
    assert_eq!(
        baocao::search::search(&ws, "hoi nghi")
            .iter()
            .map(|h| h.unit_code.as_str())
            .collect::<Vec<_>>(),
        vec!["HU01", "27115"],
        "the district, then its communes"
    );
    let mut app = app(ws, 80, 24);
    ctrl(&mut app, 'f');
    type_text(&mut app, "tung chi bo");
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("Xã Phú Lâm (Huyện ủy Tân Phú)"), "{shown}");
    press(&mut app, KeyCode::Enter);
    assert!(app.front().is_none());
    let review = app.form.review.as_ref().expect("the review opened");
    assert_eq!(review.path(), vec!["Huyện ủy Tân Phú"]);
    assert_eq!(
        review.unit(&app.ws).map(|p| p.unit.code.as_str()),
        Some("27112")
    );
    assert!(screen(&mut app, 80, 24).contains("Phú Lâm quán triệt đến từng chi bộ."));
}

#[test]
fn the_appendix_and_the_csv_hold_the_communes_named_with_their_district() {
    let dir = tempfile::tempdir().unwrap();
    let ws = province(dir.path());
    let a = baocao::render::appendix(&ws).expect("an appendix");
    let names: Vec<&str> = a.embedded.iter().map(|r| r.unit_name.as_str()).collect();
    assert_eq!(
        names,
        vec![
            "Xã Phú Bình (Huyện ủy Tân Phú)",
            "Xã Phú Lâm (Huyện ủy Tân Phú)"
        ]
    );
    let col = a
        .columns
        .iter()
        .position(|c| c.field == "so_hoi_nghi")
        .unwrap();
    assert_eq!(
        a.embedded[1].values[col].map(|d| d.to_string()),
        Some("5".into())
    );
    // The district's own row and the total are as before: 12, not 24.
    assert_eq!(a.rows.len(), 1);
    assert_eq!(a.totals[col].map(|d| d.to_string()), Some("12".into()));
    let text = baocao::render::markdown::render(&baocao::render::of_workspace(&ws));
    assert!(text.contains("Xã Phú Lâm (Huyện ủy Tân Phú)"), "{text}");
    assert!(text.contains(baocao::render::EMBEDDED), "{text}");
    // A commune's table row, in the appendix, says its district too.
    let table = &a.tables[0].table;
    assert_eq!(table.rows.len(), 1, "{table:?}");
    assert_eq!(table.rows[0][0], "Xã Phú Lâm (Huyện ủy Tân Phú)");

    let csv = baocao::render::csv::figures(&ws);
    assert!(
        csv.contains("27112,Xã Phú Lâm (Huyện ủy Tân Phú),A.I.1,so_hoi_nghi,5,,\r\n"),
        "{csv}"
    );
    assert!(
        csv.contains("HU01,Huyện ủy Tân Phú,A.I.1,so_hoi_nghi,12,,\r\n"),
        "{csv}"
    );
    assert!(csv.contains("TINH,Tỉnh ủy,A.I.1,so_hoi_nghi,12,"), "{csv}");
}

// ---- search that reads well

#[test]
fn search_results_say_the_item_and_field_as_people_read_them() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(long_district(dir.path()), 120, 40);
    ctrl(&mut app, 'f');
    type_text(&mut app, "het bai");
    let shown = screen(&mut app, 120, 40);
    assert!(shown.contains("1 kết quả"), "{shown}");
    assert!(
        shown.contains("A.I.1 Công tác tổ chức quán triệt") && shown.contains("Xã Phú Lâm: "),
        "{shown}"
    );
    assert!(
        shown.contains("— Hình thức, phương pháp quán triệt"),
        "{shown}"
    );
    assert!(!shown.contains("hinh_thuc_quan_triet"), "{shown}");
    // The match is in sight though it is near the end of a long answer.
    assert!(shown.contains("HẾT BÀI"), "{shown}");
    let narrow = screen(&mut app, 80, 24);
    assert!(narrow.contains("HẾT BÀI"), "{narrow}");
    let hits = baocao::search::search(&app.ws, "het bai");
    assert_eq!(hits[0].matched, "HẾT BÀI");
    assert_eq!(
        hits[0].offset,
        long_answer()
            .find("HẾT BÀI")
            .map(|b| long_answer()[..b].chars().count())
            .unwrap()
    );
}

#[test]
fn snapshot_search_results() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(long_district(dir.path()), 80, 24);
    ctrl(&mut app, 'f');
    type_text(&mut app, "quan triet");
    insta::assert_snapshot!("search_80x24", screen(&mut app, 80, 24));
    insta::assert_snapshot!("search_120x40", screen(&mut app, 120, 40));
}

#[test]
fn enter_on_an_own_hit_puts_the_cursor_on_the_match() {
    let dir = tempfile::tempdir().unwrap();
    let mut ws = long_district(dir.path());
    let own = long_answer().replace("HẾT BÀI", "đặc biệt");
    ws.report
        .set_value("A.I.1", "hinh_thuc_quan_triet", Value::String(own.clone()));
    let mut app = app(ws, 80, 24);
    // Elsewhere first: the jump moves the page and the field.
    press(&mut app, KeyCode::PageDown);
    press(&mut app, KeyCode::PageDown);
    ctrl(&mut app, 'f');
    type_text(&mut app, "dac biet");
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("đặc biệt"), "{shown}");
    press(&mut app, KeyCode::Enter);
    assert!(app.front().is_none());
    assert_eq!(app.item_id(), "A.I.1");
    assert_eq!(
        app.form.editors[app.form.focus].field.id,
        "hinh_thuc_quan_triet"
    );
    type_text(&mut app, "X");
    let at = own.find("đặc biệt").unwrap();
    let want = format!("{}X{}", &own[..at], &own[at..]);
    assert_eq!(
        app.ws.report.value("A.I.1", "hinh_thuc_quan_triet"),
        Some(&Value::String(want))
    );
    let shown = screen(&mut app, 80, 24);
    assert!(
        shown.contains("Xđặc"),
        "the cursor's line in sight: {shown}"
    );
    assert!(matches!(app.front(), None | Some(Layer::Help(_))));
}

#[test]
fn enter_on_a_childs_hit_scrolls_its_answer_to_the_match() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(long_district(dir.path()), 80, 24);
    ctrl(&mut app, 'f');
    type_text(&mut app, "het bai");
    press(&mut app, KeyCode::Enter);
    assert!(app.front().is_none());
    let review = app.form.review.as_ref().expect("the review opened");
    assert_eq!(
        review.unit(&app.ws).map(|p| p.unit.code.as_str()),
        Some("27112")
    );
    let shown = screen(&mut app, 80, 24);
    assert!(shown.contains("Cuối cùng là HẾT"), "{shown}");
    assert!(!shown.contains("Câu 1: chi bộ"), "{shown}");
}

#[test]
fn enter_on_an_own_table_hit_selects_its_cell() {
    use baocao::tui::screens::form::Widget;
    let dir = tempfile::tempdir().unwrap();
    let mut ws = long_district(dir.path());
    let rows: Vec<Value> = (1..=5)
        .map(|n| json!({"so_ky_hieu": format!("{n}-NQ/HU"), "trich_yeu": format!("Lần thứ {n}")}))
        .collect();
    ws.report.set_value("A.I.2", "van_ban", Value::Array(rows));
    let mut app = app(ws, 80, 24);
    ctrl(&mut app, 'f');
    type_text(&mut app, "lan thu 4");
    let shown = screen(&mut app, 80, 24);
    assert!(
        shown.contains("A.I.2 Công tác lãnh đạo") && shown.contains("Huyện ủy Tân Phú: Lần thứ 4"),
        "{shown}"
    );
    press(&mut app, KeyCode::Enter);
    let ed = &app.form.editors[app.form.focus];
    assert_eq!(ed.field.id, "van_ban");
    let Widget::Table(t) = &ed.widget else {
        panic!("not the table")
    };
    assert_eq!((t.row, t.col), (3, 3), "row 4, column «Trích yếu»");
}

#[test]
fn the_chosen_sentences_go_when_the_focus_moves_to_another_field() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = app(long_district(dir.path()), 80, 24);
    focus(&mut app, "A.I.1", "hinh_thuc_quan_triet");
    press(&mut app, KeyCode::F(4));
    alt(&mut app, KeyCode::Right);
    alt(&mut app, KeyCode::Right);
    assert!(screen(&mut app, 80, 24).contains("câu 2/4"));
    press(&mut app, KeyCode::Tab);
    assert!(
        !screen(&mut app, 80, 24).contains("câu 2/4"),
        "not on the next field"
    );
    press(&mut app, KeyCode::BackTab);
    ctrl(&mut app, 't');
    assert_eq!(
        app.ws.report.value("A.I.1", "hinh_thuc_quan_triet"),
        Some(&json!(
            "Xã Phú Bình: Một là quán triệt. Hai là triển khai? Ba là kiểm tra! Bốn là sơ kết.\n"
        )),
        "the whole text: nothing is chosen any more"
    );
}
