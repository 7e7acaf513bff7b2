//! What baocao writes cannot be turned against the reader's tools: the
//! figures CSV opens in Excel without a formula running, every DOCX is
//! well-formed XML (Word refuses one that is not), JSON output carries no
//! raw control character a terminal would obey, and characters no
//! document can hold are refused where they come in.

mod common;

use baocao::outline::{Outline, ProblemKind};
use baocao::package::{self, PackageError};
use baocao::render::{self, Block, Document};
use baocao::report::{Report, Unit};
use baocao::validate::Invalid;
use common::*;
use serde_json::{Value, json};
use std::io::Read;
use std::path::Path;

fn xa(code: &str, name: &str) -> Unit {
    Unit {
        unit_type: "xa".into(),
        code: code.into(),
        name: name.into(),
        parent_code: Some("HU01".into()),
        parent_name: Some("Huyện ủy".into()),
    }
}

/// The document.xml of a .docx, checked well-formed by a real XML parser.
#[track_caller]
fn well_formed(docx: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    let mut reader = quick_xml::Reader::from_str(&xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(quick_xml::events::Event::Text(t)) => {
                // Text decodes, and holds only what XML 1.0 allows.
                let text = t.decode().unwrap();
                assert!(
                    text.chars().all(baocao::text::xml_char),
                    "a character XML forbids in {text:?}"
                );
            }
            Ok(_) => {}
            Err(e) => panic!("document.xml is not well-formed: {e}"),
        }
    }
    xml
}

#[test]
fn the_figures_csv_never_starts_a_cell_with_a_formula() {
    let tmp = temp_dir();
    let mut d = workspace(
        tmp.path(),
        "huyen.json",
        unit("huyen", "HU01", "Huyện ủy", None),
    );
    let usb = tmp.path().join("usb");
    std::fs::create_dir_all(&usb).unwrap();
    for (code, name) in [
        ("27112", "=HYPERLINK(\"http://x\",\"Bấm\")"),
        ("27113", "+27199"),
        ("27114", "-27198,@SUM(1+1)*cmd|' /C calc'!A0"),
        ("27115", "@SUM(A1)"),
    ] {
        let mut c = workspace(tmp.path(), &format!("{code}.json"), xa(code, name));
        c.report.set_value("A.I.1", "so_hoi_nghi", json!(3));
        let p = c.export(&usb).unwrap();
        list_senders(&mut d, &[&p]);
        let ex = d.examine(&p);
        assert!(ex.verdict.accepted(), "{}", ex.message());
        d.accept(&ex).unwrap();
    }
    let csv = render::csv::figures(&d);
    let mut rows = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(csv.trim_start_matches('\u{feff}').as_bytes());
    let mut seen = 0;
    for r in rows.records() {
        let r = r.unwrap();
        for (i, cell) in r.iter().enumerate() {
            // The value column holds our own numbers; every other cell is
            // text that must not start a formula.
            if i != 4 {
                assert!(
                    !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                    "{cell:?} in {r:?}"
                );
            }
        }
        if r[1].starts_with('\'') {
            seen += 1;
        }
    }
    assert!(seen >= 4, "the four names were neutralised: {csv}");
    assert!(csv.contains("'=HYPERLINK"), "{csv}");
    // A negative number of our own stays a number.
    assert_eq!(render::csv::cell("Xã A"), "Xã A");
    assert_eq!(render::csv::cell("-5"), "'-5");
}

#[test]
fn characters_no_document_can_hold_are_refused_where_they_come_in() {
    let outline = Outline::embedded();
    // Filled by a script.
    let mut r = Report::new(outline, xa("27112", "Xã Tân Phú")).unwrap();
    let e = r
        .fill(
            outline,
            &json!({"A.I.1": {"hinh_thuc_quan_triet": "Hội nghị \u{FFFE} quán triệt"}}),
        )
        .unwrap_err();
    let baocao::report::FillError::Fields(list) = e else {
        panic!("{e:?}")
    };
    assert!(
        matches!(
            list[0].problem,
            baocao::report::FillProblem::Invalid(Invalid::ForbiddenCharacter { code: 0xFFFE })
        ),
        "{list:?}"
    );
    // In a package from a commune, resealed.
    let tmp = temp_dir();
    let mut c = workspace(tmp.path(), "xa.json", xa("27112", "Xã Tân Phú"));
    let file = c.export(tmp.path()).unwrap();
    let mut v: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    v["answers"]["A.I.1"] = json!({"hinh_thuc_quan_triet": "a\u{FFFF}b"});
    let v = reseal(v);
    assert_eq!(
        package::verify(&v, 0).unwrap_err(),
        PackageError::ForbiddenCharacter { code: 0xFFFF }
    );
    // In an outline file.
    let mut o: Value = serde_json::from_str(baocao::outline::DEFAULT_OUTLINE_JSON).unwrap();
    o["title"] = json!("Đề cương \u{1}");
    let problems = baocao::outline::check_json(&o.to_string());
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!(problems[0].path, "$.title");
    assert_eq!(
        problems[0].kind,
        ProblemKind::ForbiddenCharacter { code: 1 }
    );
}

#[test]
fn every_docx_is_well_formed_even_from_a_document_that_holds_what_xml_forbids() {
    // The second guard: a document built with forbidden characters (as
    // if a check upstream had missed them) still renders well-formed.
    let outline = Outline::embedded();
    let mut r = Report::new(outline, xa("27112", "Xã Tân Phú")).unwrap();
    r.unit.name = "Xã \u{FFFE}Tân Phú\u{1}".into();
    let mut doc: Document = render::document(outline, &r, &|_, _| None, None);
    doc.body
        .push(Block::Paragraph("Đoạn \u{FFFF} có ký tự \u{8} lạ".into()));
    doc.subject.push('\u{FFFE}');
    let xml = well_formed(&render::docx::render(&doc));
    assert!(!xml.contains('\u{FFFE}') && !xml.contains('\u{FFFF}'));
    // And the real ones, from a district with its communes.
    let tmp = temp_dir();
    let d = district_with_a_commune(tmp.path());
    well_formed(&render::docx::render(&render::of_workspace(&d)));
}

fn district_with_a_commune(dir: &Path) -> baocao::workspace::Workspace {
    let mut d = workspace(dir, "huyen.json", unit("huyen", "HU01", "Huyện ủy", None));
    let mut c = workspace(dir, "xa.json", xa("27112", "Xã Tân Phú"));
    c.report.set_value("A.I.1", "so_hoi_nghi", json!(3));
    c.report.set_value(
        "A.I.1",
        "hinh_thuc_quan_triet",
        json!("Đảng ủy <quán triệt> & \"tuyên truyền\""),
    );
    let p = c.export(dir).unwrap();
    list_senders(&mut d, &[&p]);
    let ex = d.examine(&p);
    d.accept(&ex).unwrap();
    baocao::store::save(&d.path, &d.report).unwrap();
    d
}

#[test]
fn json_output_escapes_every_control_a_terminal_would_obey() {
    let tmp = temp_dir();
    let mut d = workspace(
        tmp.path(),
        "huyen.json",
        unit("huyen", "HU01", "Huyện ủy", None),
    );
    let mut c = workspace(tmp.path(), "xa.json", xa("27112", "Xã Tân Phú"));
    // A C1 control (CSI), a DEL and a right-to-left override in an answer.
    c.report.set_value(
        "A.I.1",
        "hinh_thuc_quan_triet",
        json!("quán triệt \u{9b}31m đỏ \u{7f} \u{202e}ngược"),
    );
    let p = c.export(tmp.path()).unwrap();
    let ex = d.examine(&p);
    assert!(ex.verdict.accepted(), "{}", ex.message());
    d.accept(&ex).unwrap();
    baocao::store::save(&d.path, &d.report).unwrap();
    for args in [
        &["search", "quan triet", "--json"][..],
        &["status", "--json"][..],
    ] {
        let o = vi().args(args).arg("--data").arg(&d.path).out();
        o.ok();
        for bad in ['\u{9b}', '\u{7f}', '\u{202e}'] {
            assert!(!o.stdout.contains(bad), "{args:?} prints {bad:?} raw");
        }
        serde_json::from_str::<Value>(&o.stdout).unwrap();
    }
    // An outline title with a CSI and a line separator: outline show --json
    // escapes them, and the JSON reads back to the very title.
    let mut o: Value = serde_json::from_str(baocao::outline::DEFAULT_OUTLINE_JSON).unwrap();
    let title = "Đề cương \u{9b}31m đỏ\u{2028}";
    o["title"] = json!(title);
    let file = tmp.path().join("de-cuong.json");
    std::fs::write(&file, o.to_string()).unwrap();
    let out = vi()
        .arg("--outline")
        .arg(&file)
        .args(["outline", "show", "--json"])
        .out();
    out.ok();
    assert!(!out.stdout.contains('\u{9b}') && !out.stdout.contains('\u{2028}'));
    assert!(out.stdout.contains("\\u009b"), "{}", &out.stdout[..200]);
    let back: Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(back["title"], title);
}

#[test]
fn a_refusal_quotes_a_short_excerpt_of_what_it_refuses() {
    let tmp = temp_dir();
    let mut c = workspace(tmp.path(), "xa.json", xa("27112", "Xã Tân Phú"));
    let file = c.export(tmp.path()).unwrap();
    let mut v: Value = serde_json::from_slice(&std::fs::read(&file).unwrap()).unwrap();
    // An outline id of 4 MB: refused, and the message does not repeat it.
    v["outline"]["id"] = json!("x".repeat(4 << 20));
    let v = reseal(v);
    let e = package::verify(&v, 0).unwrap_err();
    assert_eq!(e, PackageError::MetaTooLong { key: "outline.id" });
    assert!(e.to_string().len() < 300, "{}", e.to_string().len());
    let d = workspace(
        tmp.path(),
        "huyen.json",
        unit("huyen", "HU01", "Huyện ủy", None),
    );
    let bad = tmp.path().join("dai.bcpkg");
    std::fs::write(&bad, serde_json::to_vec(&v).unwrap()).unwrap();
    let o = vi()
        .args(["import"])
        .arg(&bad)
        .arg("--data")
        .arg(&d.path)
        .out();
    o.fails();
    assert!(
        o.stdout.len() + o.stderr.len() < 2_000,
        "{}",
        o.stdout.len()
    );
}
