//! Fixtures shared by the benchmarks: complete reports built with the real
//! code (every field answered, valid), long Vietnamese answers, and
//! commune packages exported with `Workspace::export`.
#![allow(dead_code)]

use baocao::outline::{Column, Kind, Outline};
use baocao::report::{Report, Unit};
use serde_json::{Map, Value, json};

/// The item and field the editing benchmarks work in: the first long
/// answer of the outline (A.I.1, "Hình thức, phương pháp quán triệt").
pub const LONG_ITEM: &str = "A.I.1";
pub const LONG_FIELD: &str = "hinh_thuc_quan_triet";

/// Characters per long text answer that make a commune package of about
/// 50 KB (39 long answers in the 2014 outline).
pub const TEXT_CHARS: usize = 1100;

/// Characters per long text answer for the import benchmark: a commune
/// package of about 86 KB, as issue 13 measures the import.
pub const IMPORT_TEXT_CHARS: usize = 2000;

const PARAGRAPH: &str = "Đảng ủy xã tổ chức hội nghị quán triệt Kết luận số 62-KL/TW cho 100% cán bộ chủ chốt; \
các chi bộ sinh hoạt chuyên đề, đảng viên viết thu hoạch; Mặt trận Tổ quốc và các đoàn thể \
tuyên truyền trên loa truyền thanh ở 8/8 thôn, ấp. Qua đó, nhận thức của cán bộ, đảng viên \
và nhân dân về công tác dân vận được nâng lên rõ rệt; quan hệ giữa Đảng, chính quyền với \
nhân dân ngày càng gắn bó, phát huy quyền làm chủ của nhân dân theo phương châm \
\"dân biết, dân bàn, dân làm, dân kiểm tra, dân giám sát, dân thụ hưởng\". ";

/// Vietnamese text of exactly `chars` characters (NFC), in paragraphs of
/// about 600 characters as people write them; `seed` varies the start.
pub fn vietnamese(chars: usize, seed: usize) -> String {
    let source: Vec<char> = PARAGRAPH.chars().collect();
    let mut out = String::with_capacity(chars * 2);
    let mut since_break = 0;
    for n in 0..chars {
        let c = source[(seed + n) % source.len()];
        since_break += 1;
        if since_break >= 600 && c == ' ' && n + 1 < chars {
            out.push('\n');
            since_break = 0;
        } else {
            out.push(c);
        }
    }
    out
}

pub fn outline() -> Outline {
    Outline::embedded().clone()
}

pub fn commune(code: &str, name: &str, parent_code: &str) -> Unit {
    Unit {
        unit_type: "xa".into(),
        code: code.into(),
        name: name.into(),
        parent_code: Some(parent_code.into()),
        parent_name: Some("Huyện ủy Bench".into()),
    }
}

fn column_value(c: &Column, n: usize) -> Value {
    match c.kind {
        Kind::Text => json!(format!("{} {}", c.label, n + 1)),
        Kind::Date => json!("15/03/2012"),
        Kind::Choice => json!(c.options.first().cloned().unwrap_or_default()),
        Kind::Percent => json!(50),
        _ => json!(n as u64 + 1),
    }
}

/// A report with every field of the outline answered validly: long texts
/// of `text_chars` characters, figures varied by `n`, a table of 3 rows.
pub fn complete(outline: &Outline, unit: Unit, text_chars: usize, n: usize) -> Report {
    let mut r = Report::new(outline, unit).expect("unit");
    let n64 = n as u64;
    for e in outline.entries() {
        for (k, f) in e.item.fields.iter().enumerate() {
            let value = match f.kind {
                Kind::Ratio => continue,
                Kind::Text if f.multiline && !e.item.front_matter => {
                    json!(vietnamese(text_chars, n * 7 + k * 13))
                }
                Kind::Text => json!(format!("{} {}", f.label, n + 1)),
                Kind::Date => json!("26/09/2014"),
                Kind::Choice => json!(f.options.first().cloned().unwrap_or_default()),
                Kind::Integer if f.id.ends_with("_tong_so") => json!(1250 + 10 * n64),
                Kind::Integer if f.id.ends_with("_tham_gia") => json!(1204 + 9 * n64),
                Kind::Integer => json!(12 + n64 % 5),
                Kind::Decimal | Kind::Percent => json!(82.5),
                Kind::Money => json!(15_000_000 + 250_000 * n64),
                Kind::Table => Value::Array(
                    (0..3)
                        .map(|row| {
                            let m: Map<String, Value> = f
                                .columns
                                .iter()
                                .map(|c| (c.id.clone(), column_value(c, row)))
                                .collect();
                            Value::Object(m)
                        })
                        .collect(),
                ),
            };
            r.set_value(&e.item.id, &f.id, value);
        }
    }
    let invalid = r.invalid(outline);
    assert!(invalid.is_empty(), "the fixture is invalid: {invalid:?}");
    assert_eq!(
        r.progress(outline).percent(),
        100,
        "the fixture is complete"
    );
    r
}
