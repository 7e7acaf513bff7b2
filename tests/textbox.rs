//! The answer box edited in place looks exactly like a box made afresh from
//! its text. The box re-wraps only what a key changed (our patch of
//! ratatui-textarea, vendor/ratatui-textarea/PATCHES.md); a mistake there
//! would show as lines broken in the wrong place after some edits.

use baocao::tui::draw::draw_textbox;
use baocao::tui::theme::Theme;
use baocao::tui::widgets::textbox::TextBox;
use proptest::prelude::*;
use ratatui::buffer::Buffer;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::Style;

const THEME: Theme = Theme {
    color: false,
    ascii: false,
};

/// A box drawn in place (as the form draws the focused one), keeping its
/// wrapped rows from one frame to the next.
fn in_place(text: &str) -> TextBox {
    let mut tb = TextBox::new(text, true);
    tb.set_looks(Style::default(), "", THEME.dim());
    tb
}

fn drawn(tb: &TextBox, area: Rect) -> Vec<String> {
    let mut buf = Buffer::empty(area);
    draw_textbox(tb, &THEME, false, String::new(), &mut buf, area);
    (area.top()..area.bottom())
        .map(|y| {
            (area.left()..area.right())
                .map(|x| buf[(x, y)].symbol())
                .collect::<String>()
        })
        .collect()
}

fn keys() -> impl Strategy<Value = KeyEvent> {
    let plain = |c| KeyEvent::new(c, KeyModifiers::NONE);
    prop_oneof![
        6 => prop::sample::select(vec![
            'a', 'b', 'n', 'g', ' ', ' ', ' ', '.', ',', '\'', '-', '1', 'ệ', 'đ', 'ư', '犬',
        ])
        .prop_map(move |c| plain(KeyCode::Char(c))),
        1 => Just(plain(KeyCode::Enter)),
        2 => Just(plain(KeyCode::Backspace)),
        1 => Just(plain(KeyCode::Delete)),
        2 => prop::sample::select(vec![KeyCode::Left, KeyCode::Right, KeyCode::Up, KeyCode::Down,
            KeyCode::Home, KeyCode::End])
        .prop_map(plain),
        1 => Just(KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL)),
        1 => Just(KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL)),
    ]
}

/// Words of Vietnamese, so that rows break between words as in real answers.
fn start_text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "Quán",
            "triệt",
            "Nghị",
            "quyết",
            "đảng",
            "viên,",
            "100%",
            "tổ chức cơ sở",
            "(1.234,5)",
            "v.v.",
            "triệt.",
            "Đ/c",
            "can't",
            "\n",
        ]),
        0..60,
    )
    .prop_map(|w| w.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn a_box_edited_in_place_draws_as_a_fresh_one(
        text in start_text(),
        width in prop::sample::select(vec![1u16, 2, 3, 4, 5, 7, 12, 20, 33]),
        keys in prop::collection::vec(keys(), 1..60),
    ) {
        let mut tb = in_place(&text);
        drawn(&tb, Rect::new(0, 0, width, text.chars().count() as u16 + 2));
        for key in keys {
            tb.key(key);
            // Tall enough that neither box scrolls (a row holds at least
            // one character): the rows are what may differ.
            let rows = tb.text().chars().count() + 2;
            let area = Rect::new(0, 0, width, rows as u16);
            let now = drawn(&tb, area);
            let fresh = drawn(&TextBox::new(&tb.text(), true), area);
            prop_assert_eq!(now, fresh, "after {:?}, text {:?}", key, tb.text());
        }
    }
}

/// Typing into the middle of one long paragraph changes only the rows from
/// the edit on; the rows after it move along with it.
#[test]
fn typing_in_a_long_paragraph_rewraps_it_correctly() {
    let text = "Chi bộ đã tổ chức quán triệt Nghị quyết cho đảng viên. ".repeat(200);
    let area = Rect::new(0, 0, 40, 400);
    let mut tb = in_place(&text);
    drawn(&tb, area);
    for _ in 0..3000 {
        tb.key(KeyEvent::new(KeyCode::Left, KeyModifiers::NONE));
    }
    for c in "thêm một đoạn rất dài ".chars() {
        tb.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        assert_eq!(
            drawn(&tb, area),
            drawn(&TextBox::new(&tb.text(), true), area)
        );
    }
}

/// A letter typed after "triệt." joins the two into one word ("triệt.x"),
/// whose start is rows above the edit when the box is narrow.
#[test]
fn a_word_joined_across_rows_is_wrapped_as_one() {
    for width in 1..8 {
        let area = Rect::new(0, 0, width, 40);
        let mut tb = in_place("Quán triệt. Nghị");
        drawn(&tb, area);
        for _ in 0.."Nghị".chars().count() + 1 {
            tb.key(KeyEvent::new(KeyCode::Left, KeyModifiers::NONE));
        }
        tb.key(KeyEvent::new(KeyCode::Char('x'), KeyModifiers::NONE));
        assert_eq!(tb.text(), "Quán triệt.x Nghị");
        assert_eq!(
            drawn(&tb, area),
            drawn(&TextBox::new(&tb.text(), true), area),
            "width {width}"
        );
    }
}

/// Rows break as a reader expects: punctuation stays with its word, and the
/// space between two words never starts the next row.
#[test]
fn rows_start_with_a_word_not_a_space_or_punctuation() {
    let text = "Đảng ủy xã tổ chức hội nghị quán triệt cho 100% cán bộ chủ chốt; \
                các chi bộ sinh hoạt chuyên đề (quý I, quý II); tuyên truyền trên \
                loa truyền thanh ở 8/8 thôn, đạt tỷ lệ 92,7%. Kết quả: tốt!";
    for width in 8..70 {
        let area = Rect::new(0, 0, width, 40);
        let rows = drawn(&in_place(text), area);
        for row in rows.iter().filter(|r| !r.trim().is_empty()) {
            let first = row.chars().next().unwrap();
            assert!(
                !first.is_whitespace() && !";,.:!)%".contains(first),
                "width {width}: row {row:?} in {rows:#?}"
            );
        }
    }
}

/// The cursor is drawn inside the box wherever it is, also at the end of a
/// row the words fill: the words leave the row's last column free.
#[test]
fn the_cursor_is_always_drawn_inside_the_box() {
    let text = "Chi bộ đã tổ chức quán triệt Nghị quyết cho toàn thể đảng viên, \
                đạt tỷ lệ cao; các đoàn thể tuyên truyền rộng rãi.";
    let press = |tb: &mut TextBox, code| tb.key(KeyEvent::new(code, KeyModifiers::NONE));
    for width in 6..40u16 {
        let area = Rect::new(0, 0, width, 40);
        let mut tb = TextBox::new(text, true);
        tb.set_looks(THEME.cursor(), "", THEME.dim());
        let cursor_shown = |tb: &TextBox| {
            let mut buf = Buffer::empty(area);
            draw_textbox(tb, &THEME, true, String::new(), &mut buf, area);
            buf.content()
                .iter()
                .any(|c| c.modifier.contains(ratatui::style::Modifier::REVERSED))
        };
        tb.key(KeyEvent::new(KeyCode::Home, KeyModifiers::CONTROL));
        for _ in 0..text.chars().count() {
            assert!(cursor_shown(&tb), "width {width}, text {:?}", tb.text());
            press(&mut tb, KeyCode::End);
            assert!(cursor_shown(&tb), "width {width}, at the end of a row");
            press(&mut tb, KeyCode::Home);
            press(&mut tb, KeyCode::Down);
        }
        for _ in 0..text.chars().count() {
            press(&mut tb, KeyCode::Left);
            assert!(cursor_shown(&tb), "width {width}");
        }
    }
}

// ---- Typing Vietnamese: the built-in input method and undo ----

use baocao::tui::widgets::textbox::{Ime, Outcome};
use baocao::vi::ime::{Method, ToneStyle};

const TELEX: Ime = Ime {
    method: Method::Telex,
    style: ToneStyle::Old,
};

fn press(tb: &mut TextBox, code: KeyCode, ime: Ime) -> Outcome {
    tb.key_ime(KeyEvent::new(code, KeyModifiers::NONE), ime)
}

fn type_in(tb: &mut TextBox, text: &str, ime: Ime) {
    for c in text.chars() {
        match c {
            '\u{8}' => press(tb, KeyCode::Backspace, ime),
            '\n' => press(tb, KeyCode::Enter, ime),
            c => press(tb, KeyCode::Char(c), ime),
        };
    }
}

fn undo(tb: &mut TextBox) -> Outcome {
    tb.key_ime(
        KeyEvent::new(KeyCode::Char('z'), KeyModifiers::CONTROL),
        TELEX,
    )
}

fn redo(tb: &mut TextBox) -> Outcome {
    tb.key_ime(
        KeyEvent::new(KeyCode::Char('y'), KeyModifiers::CONTROL),
        TELEX,
    )
}

/// The states Ctrl+Z goes through until nothing is left to undo.
fn undo_all(tb: &mut TextBox) -> Vec<String> {
    let mut states = Vec::new();
    while undo(tb) == Outcome::Changed {
        states.push(tb.text());
    }
    states
}

#[test]
fn undo_takes_back_one_telex_step_never_half_a_letter() {
    let mut tb = TextBox::new("", true);
    type_in(&mut tb, "Vieetj", TELEX);
    assert_eq!(tb.text(), "Việt");
    // V-i-e typed, ee → ê, t typed, j the tone: each undone whole.
    assert_eq!(undo_all(&mut tb), ["Viêt", "Viê", "Vie", ""]);
    // Redo goes the same way forward.
    for want in ["Vie", "Viê", "Viêt", "Việt"] {
        assert_eq!(redo(&mut tb), Outcome::Changed);
        assert_eq!(tb.text(), want);
    }
    assert_eq!(redo(&mut tb), Outcome::Used);
}

#[test]
fn undo_takes_back_one_typed_word_at_a_time() {
    let mut tb = TextBox::new("Báo cáo:", true);
    type_in(&mut tb, " Chi booj 27-BC/DU\nxax", TELEX);
    assert_eq!(tb.text(), "Báo cáo: Chi bộ 27-BC/DU\nxã");
    assert_eq!(
        undo_all(&mut tb),
        [
            "Báo cáo: Chi bộ 27-BC/DU\nxa",
            "Báo cáo: Chi bộ 27-BC/DU\n",
            "Báo cáo: Chi bộ 27-BC/DU",
            "Báo cáo: Chi bộ ",
            // The tone with the space after it, then the circumflex.
            "Báo cáo: Chi bô",
            "Báo cáo: Chi bo",
            "Báo cáo: Chi ",
            "Báo cáo: ",
            "Báo cáo:",
        ]
    );
}

#[test]
fn moving_the_cursor_or_deleting_ends_the_word_being_typed() {
    let mut tb = TextBox::new("", false);
    type_in(&mut tb, "abc", Ime::OFF);
    press(&mut tb, KeyCode::Left, Ime::OFF);
    press(&mut tb, KeyCode::Right, Ime::OFF);
    type_in(&mut tb, "de\u{8}f", Ime::OFF);
    assert_eq!(tb.text(), "abcdf");
    assert_eq!(undo_all(&mut tb), ["abcd", "abcde", "abc", ""]);
    // A paste is one step.
    tb.paste("một hai ba");
    type_in(&mut tb, " bon", Ime::OFF);
    assert_eq!(undo_all(&mut tb), ["một hai ba ", "một hai ba", ""]);
}

#[test]
fn a_word_from_a_system_input_method_is_never_retoned() {
    // Unikey (new style) sends "hò", then "a"; "ủ", then "y". The built-in
    // Telex (old style here) must not move the tones to hoà, uỷ.
    let mut tb = TextBox::new("", false);
    type_in(&mut tb, "hòa ủy", TELEX);
    assert_eq!(tb.text(), "hòa ủy");
    // As Unikey sends it: the letter, then Backspace and the composed one.
    let mut tb = TextBox::new("", false);
    type_in(&mut tb, "ho\u{8}òa u\u{8}ủy thu\u{8}ủy", TELEX);
    assert_eq!(tb.text(), "hòa ủy thủy");
    // Nor are the plain keys after it in that word taken as Telex marks.
    let mut tb = TextBox::new("", false);
    type_in(&mut tb, "Việts", TELEX);
    assert_eq!(tb.text(), "Việts");
    // The next word is the built-in method's again.
    type_in(&mut tb, " hoaf", TELEX);
    assert_eq!(tb.text(), "Việts hoà");
}

#[test]
fn document_codes_and_abbreviations() {
    let mut tb = TextBox::new("", false);
    type_in(
        &mut tb,
        "Keets luaanj soos 62-KL/TW, 123-KH/TU, CV/TU; VPDDU, HDDND",
        TELEX,
    );
    assert_eq!(
        tb.text(),
        "Kết luận số 62-KL/TW, 123-KH/TU, CV/TU; VPĐU, HĐND"
    );
}

#[test]
fn keys_typed_with_the_method_off_go_in_as_typed() {
    // What the app gives the box for a paste delivered as keys.
    let mut tb = TextBox::new("", false);
    type_in(&mut tb, "62-KL/TW ... Excel hoaf", Ime::OFF);
    assert_eq!(tb.text(), "62-KL/TW ... Excel hoaf");
}

fn telex_keys() -> impl Strategy<Value = Vec<KeyEvent>> {
    let plain = |c| KeyEvent::new(c, KeyModifiers::NONE);
    prop::collection::vec(
        prop_oneof![
            8 => prop::sample::select("aeoudwnghtiyVsfrxjz".chars().collect::<Vec<_>>())
                .prop_map(move |c| plain(KeyCode::Char(c))),
            2 => prop::sample::select(vec![' ', '/', '1', 'ò', 'ủ'])
                .prop_map(move |c| plain(KeyCode::Char(c))),
            1 => Just(plain(KeyCode::Backspace)),
            1 => Just(plain(KeyCode::Enter)),
            1 => prop::sample::select(vec![KeyCode::Left, KeyCode::Right, KeyCode::Home])
                .prop_map(plain),
            1 => Just(KeyEvent::new(KeyCode::Char('w'), KeyModifiers::CONTROL)),
        ],
        1..50,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Whatever was typed, every state undo goes through is one the user
    /// saw after some key (never a word half rewritten), undo ends at the
    /// text the box started with, and redo comes back to the end.
    #[test]
    fn undo_goes_only_through_states_the_user_saw(keys in telex_keys()) {
        let mut tb = TextBox::new("Đầu", true);
        let mut seen = vec![tb.text()];
        for key in &keys {
            tb.key_ime(*key, TELEX);
            seen.push(tb.text());
        }
        let end = tb.text();
        let states = undo_all(&mut tb);
        for s in &states {
            prop_assert!(seen.contains(s), "{:?} never seen; keys {:?}", s, keys);
        }
        prop_assert_eq!(tb.text(), "Đầu");
        while redo(&mut tb) == Outcome::Changed {}
        prop_assert_eq!(tb.text(), end);
    }
}
