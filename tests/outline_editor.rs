//! `baocao outline edit`, driven by keys through the editor's own entry
//! (`editor::open`, then one terminal event at a time) on a TestBackend:
//! an outline built from nothing for a two-level plan (xã → tỉnh), saved,
//! accepted by `outline check`, and a report made on it filled, sent up,
//! taken in by the province and printed; saving refused while errors
//! remain, a draft saved aside; ids kept across title edits; undo; the
//! tree operations; the preview; every editor key in its F1; the screens
//! at 80x24 and 120x40.

mod common;

use baocao::outline::Outline;
use baocao::tui::editor::{self, Focus, OutlineEditor, Page};
use baocao::tui::keymap::{self, Context, TABLE};
use baocao::tui::theme::Theme;
use baocao::vi::ime::Method;
use common::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use serde_json::{Value, json};
use std::path::Path;

const PLAIN: Theme = Theme {
    color: false,
    ascii: false,
};

fn press(ed: &mut OutlineEditor, code: KeyCode, mods: KeyModifiers) -> editor::EditorResult {
    ed.update(&Event::Key(KeyEvent::new(code, mods)))
}

fn key(ed: &mut OutlineEditor, code: KeyCode) {
    press(ed, code, KeyModifiers::NONE);
}

fn ctrl(ed: &mut OutlineEditor, c: char) {
    press(ed, KeyCode::Char(c), KeyModifiers::CONTROL);
}

fn alt(ed: &mut OutlineEditor, code: KeyCode) {
    press(ed, code, KeyModifiers::ALT);
}

fn type_text(ed: &mut OutlineEditor, s: &str) {
    for c in s.chars() {
        key(ed, KeyCode::Char(c));
    }
}

fn screen(ed: &OutlineEditor, w: u16, h: u16) -> String {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| ed.draw(f)).unwrap();
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

/// Tab until the row labelled `label` has the focus.
fn to_row(ed: &mut OutlineEditor, label: &str) {
    for _ in 0..60 {
        if ed.row_label().as_deref() == Some(label) {
            return;
        }
        key(ed, KeyCode::Tab);
    }
    panic!("no row {label}: at {:?}", ed.row_label());
}

/// Types `text` into the row labelled `label`.
fn fill_row(ed: &mut OutlineEditor, label: &str, text: &str) {
    to_row(ed, label);
    type_text(ed, text);
}

fn new_editor(path: &Path) -> OutlineEditor {
    let (outline, existed) = editor::open(path, false).unwrap();
    let mut ed = OutlineEditor::new(path, outline, existed, PLAIN);
    ed.settings.input_method = Method::Off;
    ed
}

fn item_ids(o: &Outline) -> Vec<String> {
    o.entries().iter().map(|e| e.item.id.clone()).collect()
}

/// From nothing: the plan of a province whose communes report straight
/// to it, one part with one item holding a text field and a count that
/// adds up.
fn build_small_outline(ed: &mut OutlineEditor) {
    // The plan: the tree's first row.
    assert_eq!(ed.cursor, 0);
    key(ed, KeyCode::Enter);
    assert_eq!((ed.focus, ed.page), (Focus::Rows, Page::Plan));
    fill_row(ed, "Tên đề cương", "ĐỀ CƯƠNG báo cáo thử nghiệm năm 2026");
    fill_row(ed, "Tên ngắn", "Báo cáo thử 2026");
    fill_row(ed, "Trích yếu", "kết quả thử nghiệm năm 2026");
    fill_row(ed, "Số kế hoạch", "01-KH/TU");
    fill_row(ed, "Ngày kế hoạch", "02/03/2026");
    fill_row(ed, "Cơ quan ban hành", "Ban Thường vụ Tỉnh ủy");
    fill_row(ed, "Tên kế hoạch", "Kế hoạch thử nghiệm năm 2026");
    // A second unit type, the province, which the communes report to.
    ctrl(ed, 'n');
    type_text(ed, "Tỉnh ủy");
    key(ed, KeyCode::Enter);
    assert_eq!(ed.page, Page::Unit(1));
    fill_row(ed, "Thời hạn", "20/10/2026");
    to_row(ed, "Cách tính hạn");
    key(ed, KeyCode::Right);
    key(ed, KeyCode::Esc);
    assert_eq!(ed.page, Page::Plan);
    to_row(ed, "Cấp xa");
    key(ed, KeyCode::Enter);
    fill_row(ed, "Thời hạn", "10/10/2026");
    to_row(ed, "Báo cáo cho");
    key(ed, KeyCode::Right);
    key(ed, KeyCode::Esc);
    key(ed, KeyCode::Esc);
    assert_eq!(ed.focus, Focus::Tree);
    // The items: a part, and an item under it. Typed with Telex.
    ed.settings.input_method = Method::Telex;
    key(ed, KeyCode::Down);
    key(ed, KeyCode::Insert);
    type_text(ed, "Ddanhs gias tinhf hinhf");
    key(ed, KeyCode::Enter);
    ctrl(ed, 'o');
    type_text(ed, "Keets quar thuwcj hieenj");
    key(ed, KeyCode::Enter);
    ed.settings.input_method = Method::Off;
    key(ed, KeyCode::Enter);
    assert_eq!((ed.focus, ed.page), (Focus::Rows, Page::Item));
    to_row(ed, "+ Thêm ý hướng dẫn");
    key(ed, KeyCode::Enter);
    type_text(ed, "Nêu kết quả chung và số hội nghị đã tổ chức.");
    to_row(ed, "+ Thêm trường");
    key(ed, KeyCode::Enter);
    type_text(ed, "Kết quả chung");
    key(ed, KeyCode::Enter);
    assert_eq!(ed.page, Page::Field(0));
    key(ed, KeyCode::Esc);
    ctrl(ed, 'n');
    type_text(ed, "Số hội nghị");
    key(ed, KeyCode::Enter);
    assert_eq!(ed.page, Page::Field(1));
    to_row(ed, "Loại");
    key(ed, KeyCode::Right);
    key(ed, KeyCode::Esc);
    key(ed, KeyCode::Esc);
}

#[test]
fn an_outline_built_from_nothing_is_saved_checked_and_carries_a_report_up() {
    let tmp = temp_dir();
    let dir = tmp.path();
    let file = dir.join("de-cuong-2026.json");
    let mut ed = new_editor(&file);
    assert!(ed.dirty(), "a new outline is not on disk");
    // Empty as it starts: saving is refused, and says so.
    ctrl(&mut ed, 's');
    assert!(!file.exists());
    assert!(ed.notice.as_deref().unwrap().starts_with("Chưa lưu"));
    build_small_outline(&mut ed);
    assert!(ed.problems.is_empty(), "{:#?}", ed.problems);
    let o = &ed.outline;
    assert_eq!(
        item_ids(o),
        ["front", "DanhGiaTinhHinh", "KetQuaThucHien"],
        "ids from the titles typed with Telex"
    );
    let item = o.item("KetQuaThucHien").unwrap();
    assert_eq!(item.title, "Kết quả thực hiện");
    assert_eq!((item.number.as_str(), item.marker.as_str()), ("I", "I."));
    assert_eq!(o.item("DanhGiaTinhHinh").unwrap().marker, "A-");
    assert_eq!(
        item.guidance,
        ["Nêu kết quả chung và số hội nghị đã tổ chức."]
    );
    let kinds: Vec<_> = item
        .fields
        .iter()
        .map(|f| (f.id.as_str(), f.kind.as_str(), f.aggregate.as_str()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("ket_qua_chung", "text", "collect"),
            ("so_hoi_nghi", "integer", "sum")
        ]
    );
    let types: Vec<_> = o
        .plan
        .unit_types
        .iter()
        .map(|u| {
            (
                u.id.as_str(),
                u.reports_to.as_deref(),
                u.deadline.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        types,
        [
            ("xa", Some("tinh_uy"), Some("10/10/2026")),
            ("tinh_uy", None, Some("20/10/2026"))
        ]
    );
    assert_eq!(
        o.plan.unit_types[1].deadline_kind,
        baocao::outline::DeadlineKind::Before,
        "«trước ngày» chosen"
    );
    ctrl(&mut ed, 's');
    assert!(!ed.dirty());
    assert!(
        ed.notice.as_deref().unwrap().contains("phiên bản 1"),
        "{:?}",
        ed.notice
    );
    vi().args(["outline", "check"])
        .arg(&file)
        .out()
        .ok()
        .stdout_has("Đề cương hợp lệ");

    // A report on it: the commune fills and sends, the province takes it
    // in and prints.
    let run = |report: &Path, args: &[&str]| {
        vi().arg("--data")
            .arg(report)
            .arg("--outline")
            .arg(&file)
            .args(args)
            .out()
    };
    let xa = dir.join("xa.json");
    let tinh = dir.join("tinh.json");
    run(
        &xa,
        &[
            "init",
            "--type",
            "xa",
            "--code",
            "27112",
            "--name",
            "Đảng ủy xã An Phú",
            "--parent-code",
            "T01",
            "--parent-name",
            "Tỉnh ủy An Giang",
        ],
    )
    .ok();
    run(
        &tinh,
        &[
            "init",
            "--type",
            "tinh_uy",
            "--code",
            "T01",
            "--name",
            "Tỉnh ủy An Giang",
        ],
    )
    .ok();
    let answers = json!({
        "front": {
            "so_ky_hieu": "01-BC/ĐU", "dia_danh": "An Phú", "ngay": "05/10/2026",
            "thay_mat": "T/M ĐẢNG ỦY", "chuc_vu": "BÍ THƯ", "nguoi_ky": "Nguyễn Văn An",
            "noi_nhan": "Ban Thường vụ Tỉnh ủy"
        },
        "KetQuaThucHien": {"ket_qua_chung": "Hoàn thành các chỉ tiêu.", "so_hoi_nghi": 7}
    });
    let from = dir.join("answers.json");
    std::fs::write(&from, answers.to_string()).unwrap();
    run(&xa, &["fill", "--from", from.to_str().unwrap()]).ok();
    let usb = dir.join("usb");
    std::fs::create_dir_all(&usb).unwrap();
    let out = run(&xa, &["export", "--out", usb.to_str().unwrap()]);
    out.ok();
    let package = out.stdout.trim().to_string();
    run(&tinh, &["children", "add", "27112", "Đảng ủy xã An Phú"]).ok();
    run(&tinh, &["import", &package]).ok();
    let status = run(&tinh, &["status", "--json"]);
    status.ok();
    let text = run(&tinh, &["render", "--format", "txt", "--out", "-"]);
    // The commune's count added up in the province's body and appendix.
    text.ok()
        .stdout_has("A- Đánh giá tình hình")
        .stdout_has("I. Kết quả thực hiện")
        .stdout_has("Số hội nghị: 7.")
        .stdout_has("│   1 │ Đảng ủy xã An Phú │           7 │");
    run(&xa, &["render", "--format", "txt", "--out", "-"])
        .ok()
        .stdout_has("Hoàn thành các chỉ tiêu.");
    let merged: Value = status.json();
    assert!(
        merged.to_string().contains("27112"),
        "the commune is counted at the province: {merged}"
    );
}

#[test]
fn ids_stay_when_titles_change_and_each_save_is_a_new_version() {
    let tmp = temp_dir();
    let file = tmp.path().join("dc.json");
    let mut ed = new_editor(&file);
    build_small_outline(&mut ed);
    ctrl(&mut ed, 's');
    let first = Outline::load(&file).unwrap();
    assert_eq!(first.version, "1");
    // Rename the item and a field; renumber; move.
    assert_eq!(ed.current(), Some(vec![1, 0]));
    key(&mut ed, KeyCode::Enter);
    to_row(&mut ed, "Tên mục");
    for _ in 0..30 {
        key(&mut ed, KeyCode::Backspace);
    }
    type_text(&mut ed, "Kết quả sau đổi tên");
    to_row(&mut ed, "Trường 2");
    key(&mut ed, KeyCode::Enter);
    to_row(&mut ed, "Nhãn");
    type_text(&mut ed, " (cuộc)");
    key(&mut ed, KeyCode::Esc);
    key(&mut ed, KeyCode::Esc);
    ctrl(&mut ed, 'r');
    ctrl(&mut ed, 's');
    let second = Outline::load(&file).unwrap();
    assert_eq!(second.version, "2", "the save bumped the version");
    assert_eq!(item_ids(&second), item_ids(&first));
    let item = second.item("KetQuaThucHien").unwrap();
    assert_eq!(item.title, "Kết quả sau đổi tên");
    assert_eq!(item.fields[1].id, "so_hoi_nghi");
    assert_eq!(item.fields[1].label, "Số hội nghị (cuộc)");
    // Opened again, the next save is version 3.
    let mut again = new_editor(&file);
    key(&mut again, KeyCode::Down);
    key(&mut again, KeyCode::Down);
    key(&mut again, KeyCode::Down);
    key(&mut again, KeyCode::Enter);
    type_text(&mut again, "!");
    ctrl(&mut again, 's');
    assert_eq!(Outline::load(&file).unwrap().version, "3");
}

#[test]
fn errors_are_marked_at_their_item_saving_waits_and_a_draft_goes_aside() {
    let tmp = temp_dir();
    let file = tmp.path().join("dc.json");
    let mut ed = new_editor(&file);
    build_small_outline(&mut ed);
    ctrl(&mut ed, 's');
    let saved = std::fs::read(&file).unwrap();
    // The item's title emptied: an error at the item, in the tree and on
    // its page.
    key(&mut ed, KeyCode::Enter);
    to_row(&mut ed, "Tên mục");
    for _ in 0..40 {
        key(&mut ed, KeyCode::Backspace);
    }
    assert_eq!(ed.problems.len(), 1, "{:?}", ed.problems);
    assert_eq!(ed.problems[0].0, "$.items[1].items[0].title");
    let shown = screen(&ed, 80, 24);
    assert!(shown.contains("│▶! I. (chưa có tên)"), "{shown}");
    assert!(shown.contains("!Tên mục"), "{shown}");
    assert!(shown.contains("! Tên mục: không được để trống"), "{shown}");
    ctrl(&mut ed, 's');
    assert_eq!(std::fs::read(&file).unwrap(), saved, "nothing written");
    assert!(ed.notice.as_deref().unwrap().contains("còn 1 lỗi"));
    // The draft, errors and all, beside it.
    ctrl(&mut ed, 'd');
    let draft = tmp.path().join("dc.draft.json");
    let text = std::fs::read_to_string(&draft).unwrap();
    assert!(text.contains("\"title\": \"\""), "the draft as it is");
    vi().args(["--json", "outline", "check"])
        .arg(&draft)
        .out()
        .fails_with("cli.outline_has_errors");
    // Quitting asks first; Ctrl+Z takes the run of Backspaces back at once.
    assert_eq!(
        press(&mut ed, KeyCode::Char('q'), KeyModifiers::CONTROL),
        editor::EditorResult::Continue
    );
    ctrl(&mut ed, 'z');
    assert!(ed.problems.is_empty());
    assert!(!ed.dirty(), "back to what is saved");
    assert_eq!(
        press(&mut ed, KeyCode::Char('q'), KeyModifiers::CONTROL),
        editor::EditorResult::Quit
    );
}

#[test]
fn the_tree_adds_moves_indents_deletes_and_undoes() {
    let tmp = temp_dir();
    let mut ed = new_editor(&tmp.path().join("dc.json"));
    key(&mut ed, KeyCode::Down);
    for title in ["Một", "Hai", "Ba"] {
        key(&mut ed, KeyCode::Insert);
        type_text(&mut ed, title);
        key(&mut ed, KeyCode::Enter);
    }
    let markers = |ed: &OutlineEditor| -> Vec<String> {
        ed.outline
            .entries()
            .iter()
            .map(|e| format!("{}{}", "  ".repeat(e.depth), e.item.marker))
            .collect()
    };
    assert_eq!(markers(&ed), ["", "A-", "B-", "C-"]);
    assert_eq!(ed.current(), Some(vec![3]));
    alt(&mut ed, KeyCode::Right);
    assert_eq!(ed.current(), Some(vec![2, 0]));
    assert_eq!(markers(&ed), ["", "A-", "B-", "  I."]);
    alt(&mut ed, KeyCode::Up);
    assert!(ed.notice.is_some(), "nothing above it under its parent");
    alt(&mut ed, KeyCode::Left);
    alt(&mut ed, KeyCode::Up);
    assert_eq!(ed.current(), Some(vec![2]));
    assert_eq!(ed.outline.items[2].title, "Ba");
    // Delete asks; Esc keeps it, Enter deletes.
    key(&mut ed, KeyCode::Delete);
    key(&mut ed, KeyCode::Esc);
    assert_eq!(ed.outline.items.len(), 4);
    key(&mut ed, KeyCode::Delete);
    key(&mut ed, KeyCode::Enter);
    assert_eq!(ed.outline.items.len(), 3);
    assert_eq!(markers(&ed), ["", "A-", "B-"]);
    // The front matter stays.
    key(&mut ed, KeyCode::Home);
    key(&mut ed, KeyCode::Down);
    key(&mut ed, KeyCode::Delete);
    assert!(ed.confirm.is_none());
    // Every step undone, then done again.
    for _ in 0..5 {
        ctrl(&mut ed, 'z');
    }
    assert_eq!(markers(&ed), ["", "A-", "B-"]);
    assert_eq!(ed.outline.items[1].title, "Một");
    let all: Vec<String> = ed.outline.items.iter().map(|i| i.title.clone()).collect();
    assert_eq!(all, ["Thông tin chung của báo cáo", "Một", "Hai"]);
    ctrl(&mut ed, 'y');
    assert_eq!(ed.outline.items.len(), 4);
}

#[test]
fn bullets_and_fields_move_with_alt_arrows_and_keep_their_ids() {
    let tmp = temp_dir();
    let mut ed = new_editor(&tmp.path().join("dc.json"));
    build_small_outline(&mut ed);
    key(&mut ed, KeyCode::Enter);
    to_row(&mut ed, "Trường 2");
    alt(&mut ed, KeyCode::Up);
    assert_eq!(
        ed.row_label().as_deref(),
        Some("Trường 1"),
        "the focus follows"
    );
    let ids: Vec<_> = ed
        .item()
        .unwrap()
        .fields
        .iter()
        .map(|f| f.id.clone())
        .collect();
    assert_eq!(ids, ["so_hoi_nghi", "ket_qua_chung"]);
    alt(&mut ed, KeyCode::Up);
    assert!(ed.notice.is_some(), "already first");
    to_row(&mut ed, "Tên mục");
    alt(&mut ed, KeyCode::Down);
    assert!(ed.notice.is_some(), "a title does not move");
    ctrl(&mut ed, 'z');
    let ids: Vec<_> = ed
        .item()
        .unwrap()
        .fields
        .iter()
        .map(|f| f.id.clone())
        .collect();
    assert_eq!(ids, ["ket_qua_chung", "so_hoi_nghi"]);
}

#[test]
fn the_preview_shows_the_form_a_commune_will_see() {
    let tmp = temp_dir();
    let mut ed = new_editor(&tmp.path().join("dc.json"));
    key(&mut ed, KeyCode::F(8));
    assert!(!ed.previewing(), "not while errors remain");
    assert!(ed.notice.as_deref().unwrap().contains("lỗi"));
    build_small_outline(&mut ed);
    key(&mut ed, KeyCode::F(8));
    assert!(ed.previewing());
    let shown = screen(&ed, 80, 24);
    assert!(
        shown.contains("Xem trước: màn hình của Đảng ủy xã"),
        "{shown}"
    );
    assert!(shown.contains("A.I"), "the item's number: {shown}");
    assert!(shown.contains("Số hội nghị"), "{shown}");
    insta::assert_snapshot!("outline_editor_preview_80x24", shown);
    insta::assert_snapshot!("outline_editor_preview_120x40", screen(&ed, 120, 40));
    key(&mut ed, KeyCode::PageUp);
    assert!(screen(&ed, 80, 24).contains("Thông tin chung"));
    // Tab: the blank document as it will print.
    key(&mut ed, KeyCode::Tab);
    let doc = screen(&ed, 80, 24);
    assert!(doc.contains("văn bản trống của Đảng ủy xã"), "{doc}");
    assert!(
        doc.contains("kết quả thử nghiệm năm 2026"),
        "the subject: {doc}"
    );
    insta::assert_snapshot!("outline_editor_document_80x24", doc);
    insta::assert_snapshot!("outline_editor_document_120x40", screen(&ed, 120, 40));
    for _ in 0..8 {
        key(&mut ed, KeyCode::Down);
    }
    assert!(screen(&ed, 80, 24).contains("dòng 9/"));
    key(&mut ed, KeyCode::Tab);
    assert!(screen(&ed, 80, 24).contains("màn hình của Đảng ủy xã"));
    key(&mut ed, KeyCode::Esc);
    assert!(!ed.previewing());
}

#[test]
fn the_editor_screens_at_80x24_and_120x40() {
    let tmp = temp_dir();
    let mut ed = new_editor(&tmp.path().join("dc.json"));
    insta::assert_snapshot!("outline_editor_new_80x24", screen(&ed, 80, 24));
    insta::assert_snapshot!("outline_editor_new_120x40", screen(&ed, 120, 40));
    build_small_outline(&mut ed);
    key(&mut ed, KeyCode::Enter);
    insta::assert_snapshot!("outline_editor_item_80x24", screen(&ed, 80, 24));
    insta::assert_snapshot!("outline_editor_item_120x40", screen(&ed, 120, 40));
    to_row(&mut ed, "Trường 2");
    key(&mut ed, KeyCode::Enter);
    insta::assert_snapshot!("outline_editor_field_80x24", screen(&ed, 80, 24));
    insta::assert_snapshot!("outline_editor_field_120x40", screen(&ed, 120, 40));
    key(&mut ed, KeyCode::F(4));
    to_row(&mut ed, "Cấp xa");
    key(&mut ed, KeyCode::Enter);
    insta::assert_snapshot!("outline_editor_unit_80x24", screen(&ed, 80, 24));
    insta::assert_snapshot!("outline_editor_unit_120x40", screen(&ed, 120, 40));
    key(&mut ed, KeyCode::Esc);
    key(&mut ed, KeyCode::Esc);
    key(&mut ed, KeyCode::Insert);
    insta::assert_snapshot!("outline_editor_prompt_80x24", screen(&ed, 80, 24));
    insta::assert_snapshot!("outline_editor_prompt_120x40", screen(&ed, 120, 40));
    key(&mut ed, KeyCode::Esc);
    key(&mut ed, KeyCode::F(1));
    insta::assert_snapshot!("outline_editor_help_80x24", screen(&ed, 80, 24));
    insta::assert_snapshot!("outline_editor_help_120x40", screen(&ed, 120, 40));
    key(&mut ed, KeyCode::Esc);
    // The bare console: marks and borders in ASCII, as the form draws them.
    ed.theme.ascii = true;
    let ascii = screen(&ed, 80, 24);
    assert!(ascii.contains("Cây đề cương"), "{ascii}");
    for c in ['┌', '│', '─', '▶', '‹', '›', '…'] {
        assert!(!ascii.contains(c), "{c} in ASCII mode:\n{ascii}");
    }
}

#[test]
fn a_table_a_choice_and_a_ratio_are_made_in_the_field_page() {
    let tmp = temp_dir();
    let file = tmp.path().join("dc.json");
    let mut ed = new_editor(&file);
    build_small_outline(&mut ed);
    key(&mut ed, KeyCode::Enter);
    // A whole for the rate, a rate of the two counts, a choice, a table.
    for (label, rights) in [
        ("Tổng số", 1),
        ("Tỷ lệ", 8),
        ("Xếp loại", 6),
        ("Văn bản", 7),
    ] {
        to_row(&mut ed, "+ Thêm trường");
        key(&mut ed, KeyCode::Enter);
        type_text(&mut ed, label);
        key(&mut ed, KeyCode::Enter);
        to_row(&mut ed, "Loại");
        for _ in 0..rights {
            key(&mut ed, KeyCode::Right);
        }
        match label {
            "Tổng số" => fill_row(&mut ed, "Lớn nhất", "500"),
            "Xếp loại" => fill_row(&mut ed, "Các lựa chọn (;)", "Tốt; Khá; Trung bình"),
            "Văn bản" => {
                to_row(&mut ed, "+ Thêm cột");
                key(&mut ed, KeyCode::Enter);
                type_text(&mut ed, "Ngày ban hành");
                key(&mut ed, KeyCode::Enter);
                to_row(&mut ed, "Loại");
                for _ in 0..5 {
                    key(&mut ed, KeyCode::Right);
                }
                key(&mut ed, KeyCode::Esc);
            }
            _ => {}
        }
        key(&mut ed, KeyCode::Esc);
    }
    assert!(ed.problems.is_empty(), "{:#?}", ed.problems);
    ctrl(&mut ed, 's');
    let o = Outline::load(&file).unwrap();
    let item = o.item("KetQuaThucHien").unwrap();
    let f = |id: &str| item.field(id).unwrap();
    assert_eq!(f("tong_so").max, Some(json!(500)));
    assert_eq!(
        f("ty_le").of,
        Some(["so_hoi_nghi".to_string(), "tong_so".to_string()])
    );
    assert_eq!(f("ty_le").aggregate.as_str(), "ratio");
    assert_eq!(f("xep_loai").options, ["Tốt", "Khá", "Trung bình"]);
    let cols: Vec<_> = f("van_ban")
        .columns
        .iter()
        .map(|c| (c.id.as_str(), c.kind.as_str()))
        .collect();
    assert_eq!(cols, [("noi_dung", "text"), ("ngay_ban_hanh", "date")]);
}

#[test]
fn from_embedded_starts_from_the_2014_outline_and_refuses_an_existing_file() {
    let tmp = temp_dir();
    let file = tmp.path().join("kl62.json");
    let (o, existed) = editor::open(&file, true).unwrap();
    assert!(existed, "the next save is a new version of it");
    assert_eq!(&o, Outline::embedded());
    let mut ed = OutlineEditor::new(&file, o, existed, PLAIN);
    assert!(ed.problems.is_empty());
    ctrl(&mut ed, 's');
    let saved = Outline::load(&file).unwrap();
    assert_eq!(saved.version, "3");
    assert_eq!(item_ids(&saved), item_ids(Outline::embedded()));
    let err = editor::open(&file, true).unwrap_err();
    assert_eq!(err.code(), "editor.exists");
    std::fs::write(&file, "{\"format\": 3}").unwrap();
    let err = editor::open(&file, false).unwrap_err();
    assert_eq!(err.code(), "editor.unreadable");
}

/// An editor where `context` is in force.
fn editor_in(context: Context, dir: &Path) -> OutlineEditor {
    let mut ed = new_editor(&dir.join("dc.json"));
    build_small_outline(&mut ed);
    match context {
        Context::OutlineEditor | Context::OutlineTree => {}
        Context::OutlineRows => key(&mut ed, KeyCode::Enter),
        Context::OutlineChoice => {
            key(&mut ed, KeyCode::Enter);
            to_row(&mut ed, "Nếu có");
        }
        Context::OutlinePreview => key(&mut ed, KeyCode::F(8)),
        Context::OutlinePrompt => key(&mut ed, KeyCode::Insert),
        Context::OutlineConfirm => key(&mut ed, KeyCode::Delete),
        Context::Help => key(&mut ed, KeyCode::F(1)),
        other => panic!("{other:?} is not the editor's"),
    }
    assert!(
        ed.contexts().contains(&context),
        "{context:?} not in force: {:?}",
        ed.contexts()
    );
    ed
}

const EDITOR_CONTEXTS: [Context; 7] = [
    Context::OutlineEditor,
    Context::OutlineTree,
    Context::OutlineRows,
    Context::OutlineChoice,
    Context::OutlinePreview,
    Context::OutlinePrompt,
    Context::OutlineConfirm,
];

#[test]
fn every_editor_binding_reaches_its_action_and_is_in_its_f1() {
    for context in EDITOR_CONTEXTS {
        let tmp = temp_dir();
        let mut ed = editor_in(context, tmp.path());
        let contexts = ed.contexts();
        for b in TABLE.iter().filter(|b| b.context == context) {
            for k in b.keys {
                assert_eq!(
                    ed.action_for(&k.event()),
                    Some(b.action),
                    "{context:?}: {} should do {:?}",
                    k.label(),
                    b.action
                );
            }
        }
        key(&mut ed, KeyCode::F(1));
        if matches!(context, Context::OutlinePrompt | Context::OutlineConfirm) {
            // F1 is not a key there: the dialog lists its own keys.
            assert!(ed.help.is_none());
            let shown = screen(&ed, 120, 40);
            for b in TABLE.iter().filter(|b| b.context == context) {
                assert!(
                    shown.contains(b.label_text().unwrap()),
                    "{context:?}: {:?} not on the dialog:\n{shown}",
                    b.action
                );
            }
            continue;
        }
        let (under, _) = ed.help.clone().expect("F1 opened the help");
        assert_eq!(under, contexts);
        let shown = screen(&ed, 120, 60);
        for b in TABLE.iter().filter(|b| contexts.contains(&b.context)) {
            let reachable = b.shown_keys().any(|k| {
                keymap::lookup(&contexts, &k.event()).is_some_and(|hit| std::ptr::eq(hit, b))
            });
            if reachable {
                assert!(
                    shown.contains(b.help_text()),
                    "{context:?}: {:?} ({}) missing from F1:\n{shown}",
                    b.action,
                    b.help_text()
                );
            }
        }
        // And nothing of the report's form.
        assert!(!shown.contains("Xuất gói"), "{shown}");
    }
}

#[test]
fn the_editor_speaks_english_with_lang_en() {
    baocao::i18n::set_thread_lang(Some(baocao::i18n::Lang::En));
    let tmp = temp_dir();
    let mut ed = new_editor(&tmp.path().join("dc.json"));
    let shown = screen(&ed, 80, 24);
    assert!(
        shown.contains("Outline editor · dc.json · version 1"),
        "{shown}"
    );
    assert!(shown.contains("Outline tree"), "{shown}");
    assert!(shown.contains("Plan, unit types, dea…"), "{shown}");
    assert!(shown.contains("!Outline title"), "{shown}");
    key(&mut ed, KeyCode::Enter);
    assert_eq!(ed.row_label().as_deref(), Some("Outline title"));
    ctrl(&mut ed, 's');
    assert!(
        ed.notice.as_deref().unwrap().starts_with("Not saved"),
        "{:?}",
        ed.notice
    );
    baocao::i18n::set_thread_lang(None);
}

/// The plan page chooses the document's layout: a Party document (the
/// default) or a State one (Nghị định 30/2020/NĐ-CP), which the renderer
/// follows.
#[test]
fn the_plan_page_chooses_a_party_or_a_state_layout() {
    let tmp = tempfile::tempdir().unwrap();
    let mut ed = new_editor(&tmp.path().join("dc.json"));
    key(&mut ed, KeyCode::Enter);
    assert_eq!(ed.page, Page::Plan);
    to_row(&mut ed, "Thể thức");
    assert!(screen(&ed, 120, 40).contains("văn bản của Đảng"));
    key(&mut ed, KeyCode::Right);
    assert_eq!(ed.outline.document.layout, baocao::outline::Layout::State);
    assert!(screen(&ed, 120, 40).contains("văn bản hành chính nhà nước"));
    // Undone like any edit.
    ctrl(&mut ed, 'z');
    assert_eq!(ed.outline.document.layout, baocao::outline::Layout::Party);
}
