//! Key event to finished frame while editing a 20,000-character answer at
//! 120×40 (goal ≤ 1 ms): `App::update` with the key, then `view::draw` on
//! ratatui's TestBackend, exactly what the event loop does per key. The
//! report around the answer is complete (every field answered), so the
//! outline tree and the marks are computed over real content.
//!
//! Run: `cargo bench --bench keystroke`

mod common;

use baocao::tui::app::{App, Input};
use baocao::tui::theme::Theme;
use baocao::tui::view;
use baocao::workspace::Workspace;
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use serde_json::Value;
use std::hint::black_box;
use std::time::{Duration, Instant};

const W: u16 = 120;
const H: u16 = 40;
const ANSWER_CHARS: usize = 20_000;

/// An app on a commune's long answer (one paragraph when `one_paragraph`),
/// the cursor after the text, or in the middle of it when `middle`.
fn app_on_long_answer(dir: &std::path::Path, one_paragraph: bool, middle: bool) -> App {
    let outline = common::outline();
    let mut report = common::complete(
        &outline,
        common::commune("27112", "Xã Tân Phú", "HU01"),
        common::TEXT_CHARS,
        0,
    );
    let mut text = common::vietnamese(ANSWER_CHARS, 0);
    if one_paragraph {
        text = text.replace('\n', " ");
    }
    assert_eq!(text.chars().count(), ANSWER_CHARS);
    report.set_value(common::LONG_ITEM, common::LONG_FIELD, Value::String(text));
    let ws = Workspace::new(&dir.join("r.json"), outline, report).expect("workspace");
    let mut app = open_on_long_answer(ws);
    if middle {
        // Ctrl+Home, then down to the 18th of 34 paragraphs, or half way
        // down the 172 rows of the one paragraph.
        key(&mut app, KeyCode::Home, KeyModifiers::CONTROL);
        for _ in 0..if one_paragraph { 86 } else { 17 } {
            key(&mut app, KeyCode::Down, KeyModifiers::NONE);
        }
    }
    app
}

/// A district with `communes` complete commune packages taken in, the
/// cursor at the end of its own 20,000-character answer: each frame also
/// shows the merged figures.
fn district_on_long_answer(dir: &std::path::Path, communes: usize) -> App {
    let outline = common::outline();
    let usb = dir.join("usb");
    std::fs::create_dir_all(&usb).expect("usb");
    for n in 0..communes {
        let unit = common::commune(
            &format!("X{:05}", n + 1),
            &format!("Xã Số {}", n + 1),
            "HU01",
        );
        let report = common::complete(&outline, unit, common::TEXT_CHARS, n);
        let path = dir.join(format!("xa-{n}.json"));
        Workspace::new(&path, outline.clone(), report)
            .expect("workspace")
            .export(&usb)
            .expect("export");
    }
    let district = baocao::report::Unit {
        unit_type: "huyen".into(),
        code: "HU01".into(),
        name: "Huyện ủy Bench".into(),
        parent_code: Some("TU01".into()),
        parent_name: Some("Tỉnh ủy Bench".into()),
    };
    let mut report = common::complete(&outline, district, common::TEXT_CHARS, 0);
    report.set_value(
        common::LONG_ITEM,
        common::LONG_FIELD,
        Value::String(common::vietnamese(ANSWER_CHARS, 0)),
    );
    let mut ws = Workspace::new(&dir.join("huyen.json"), outline, report).expect("workspace");
    for n in 0..communes {
        let (code, name) = (format!("X{:05}", n + 1), format!("Xã Số {}", n + 1));
        ws.add_child(&code, &name, None, None).expect("on the list");
    }
    for entry in std::fs::read_dir(&usb).expect("usb") {
        let ex = ws.examine(&entry.expect("entry").path());
        ws.accept(&ex).expect("accept");
    }
    assert_eq!(ws.children.len(), communes);
    open_on_long_answer(ws)
}

/// The app on the workspace, the cursor at the end of the long answer.
fn open_on_long_answer(ws: Workspace) -> App {
    let mut app = App::new(
        ws,
        (W, H),
        Theme {
            color: false,
            ascii: false,
        },
    );
    let page = app
        .form
        .pages
        .iter()
        .position(|p| p == common::LONG_ITEM)
        .expect("page");
    app.go(page, None);
    let field = app
        .form
        .editors
        .iter()
        .position(|e| e.field.id == common::LONG_FIELD)
        .expect("field");
    app.go(page, Some(field));
    assert_eq!(
        app.form.editors[app.form.focus].field.id,
        common::LONG_FIELD
    );
    app
}

fn key(app: &mut App, code: KeyCode, mods: KeyModifiers) {
    black_box(app.update(Input::Term(Event::Key(KeyEvent::new(code, mods)))));
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(W, H)).expect("terminal")
}

/// Times `timed` (one key + one frame) per iteration; `undo` puts the
/// text back untimed so every iteration sees the same 20,000 characters.
fn bench_key(
    c: &mut Criterion,
    name: &str,
    app: &mut App,
    mut timed: impl FnMut(&mut App, &mut Terminal<TestBackend>),
    mut undo: impl FnMut(&mut App),
) {
    let mut t = terminal();
    t.draw(|f| view::draw(f, app)).expect("draw");
    c.bench_function(name, |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                let start = Instant::now();
                timed(app, &mut t);
                total += start.elapsed();
                undo(app);
            }
            total
        })
    });
}

fn frame(app: &mut App, t: &mut Terminal<TestBackend>) {
    t.draw(|f| view::draw(f, app)).expect("draw");
}

fn keystroke(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    for (label, one_paragraph, middle) in [
        ("end", false, false),
        ("middle", false, true),
        ("end, one paragraph", true, false),
        ("middle, one paragraph", true, true),
    ] {
        let mut app = app_on_long_answer(dir.path(), one_paragraph, middle);
        bench_key(
            c,
            &format!("key to frame, 20k answer 120x40 ({label}) / char 'ệ'"),
            &mut app,
            |app, t| {
                key(app, KeyCode::Char('ệ'), KeyModifiers::NONE);
                frame(app, t);
            },
            |app| key(app, KeyCode::Backspace, KeyModifiers::NONE),
        );
        bench_key(
            c,
            &format!("key to frame, 20k answer 120x40 ({label}) / Backspace"),
            &mut app,
            |app, t| {
                key(app, KeyCode::Backspace, KeyModifiers::NONE);
                frame(app, t);
            },
            |app| key(app, KeyCode::Char('ệ'), KeyModifiers::NONE),
        );
        bench_key(
            c,
            &format!("key to frame, 20k answer 120x40 ({label}) / Enter"),
            &mut app,
            |app, t| {
                key(app, KeyCode::Enter, KeyModifiers::NONE);
                frame(app, t);
            },
            |app| key(app, KeyCode::Backspace, KeyModifiers::NONE),
        );
        let mut left = true;
        bench_key(
            c,
            &format!("key to frame, 20k answer 120x40 ({label}) / arrow"),
            &mut app,
            |app, t| {
                let code = if left { KeyCode::Left } else { KeyCode::Right };
                left = !left;
                key(app, code, KeyModifiers::NONE);
                frame(app, t);
            },
            |_| {},
        );
    }
    // At a district: the same answer, the merged figures of 30 communes
    // on the same page.
    let mut app = district_on_long_answer(&dir.path().join("huyen"), 30);
    bench_key(
        c,
        "key to frame, 20k answer 120x40 (district of 30 communes) / char 'ệ'",
        &mut app,
        |app, t| {
            key(app, KeyCode::Char('ệ'), KeyModifiers::NONE);
            frame(app, t);
        },
        |app| key(app, KeyCode::Backspace, KeyModifiers::NONE),
    );
    // The real loop also keeps a serialised copy of the report for the
    // signal handler after each batch of keys while unsaved
    // (tui::mod::event_loop): the key, that copy, then the frame.
    let mut app = app_on_long_answer(dir.path(), false, false);
    bench_key(
        c,
        "key to frame, 20k answer 120x40 (end) / char + crash snapshot",
        &mut app,
        |app, t| {
            key(app, KeyCode::Char('ệ'), KeyModifiers::NONE);
            black_box(serde_json::to_vec_pretty(&app.ws.report).expect("json"));
            frame(app, t);
        },
        |app| key(app, KeyCode::Backspace, KeyModifiers::NONE),
    );
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3));
    targets = keystroke
}
criterion_main!(benches);
