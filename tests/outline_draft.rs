//! `outline new`: a draft outline from the plan's text, Markdown or Word.

mod common;

use baocao::outline::draft::{self, DraftError, NoteKind};
use baocao::outline::{Item, Kind, Layout, Outline};
#[allow(unused_imports)]
use common::*;
use std::io::Write;

/// The plan as the province wrote it (copied from the Word file).
const SEED: &str = include_str!("data/ke-hoach-123-KH-TU-de-cuong.txt");

fn drafted(text: &str) -> draft::Draft {
    draft::from_bytes(text.as_bytes(), "plan.txt").unwrap_or_else(|e| panic!("{e:?}"))
}

/// (depth, marker, title, intro, guidance) in reading order, front matter left out.
/// An item as the test compares it: depth, marker, title, intro, guidance.
type Shape = (usize, String, String, Option<String>, Vec<String>);

fn shape(o: &Outline) -> Vec<Shape> {
    o.entries()
        .iter()
        .filter(|e| !e.item.front_matter)
        .map(|e| {
            (
                e.depth,
                e.item.marker.clone(),
                e.item.title.clone(),
                e.item.intro.clone(),
                e.item.guidance.clone(),
            )
        })
        .collect()
}

#[test]
fn the_seed_gives_the_2014_outline_verbatim() {
    let d = drafted(SEED);
    let ours = shape(&d.outline);
    let theirs = shape(Outline::embedded());
    for (a, b) in ours.iter().zip(&theirs) {
        assert_eq!(a, b);
    }
    assert_eq!(ours.len(), theirs.len());
    let o = &d.outline;
    assert_eq!(o.title, Outline::embedded().title);
    assert_eq!(o.issued_with, Outline::embedded().issued_with);
    assert_eq!(o.plan.number, "123-KH/TU");
    assert_eq!(o.plan.date, "29/08/2014");
    assert_eq!(o.plan.issuer, "Ban Thường vụ Tỉnh ủy");
    assert_eq!((o.plan.period.from, o.plan.period.to), (2009, 2014));
    assert_eq!(o.document.layout, Layout::Party);
    // Ids as the hand-built outline has them.
    let ids: Vec<_> = o.entries().iter().map(|e| e.item.id.clone()).collect();
    let want: Vec<_> = Outline::embedded()
        .entries()
        .iter()
        .map(|e| e.item.id.clone())
        .collect();
    assert_eq!(ids, want);
    // Each guidance bullet of a leaf item is a text field.
    let i = o.item("A.II.1").unwrap();
    let bullets: Vec<_> = i
        .fields
        .iter()
        .filter(|f| f.kind == Kind::Text)
        .map(|f| f.bullet)
        .collect();
    assert_eq!(bullets, [Some(0), Some(1), Some(2), Some(3)]);
    // "(số văn bản, ngày ban hành và cơ quan ban hành)": a table.
    let t = o
        .item("A.I.2")
        .unwrap()
        .fields
        .iter()
        .find(|f| f.kind == Kind::Table)
        .expect("a documents table");
    let cols: Vec<_> = t
        .columns
        .iter()
        .map(|c| (c.label.as_str(), c.kind))
        .collect();
    assert_eq!(
        cols,
        [
            ("Số văn bản", Kind::Text),
            ("Ngày ban hành", Kind::Date),
            ("Cơ quan ban hành", Kind::Text)
        ]
    );
    // "(nếu có)": optional, down to its sub-items.
    assert!(o.item("C").unwrap().optional && o.item("C.1").unwrap().optional);
    assert!(!o.item("C.1").unwrap().fields[0].required);
    // The organisation section: unit types and deadlines, for review.
    let t = |id: &str| {
        o.unit_type(id)
            .unwrap_or_else(|| panic!("{id}: {:?}", o.plan.unit_types))
    };
    assert_eq!(t("huyen").reports_to.as_deref(), Some("tinh"));
    assert_eq!(t("huyen").deadline.as_deref(), Some("20/10/2014"));
    assert_eq!(
        t("huyen").deadline_kind,
        baocao::outline::DeadlineKind::Before
    );
    assert_eq!(t("xa").reports_to.as_deref(), Some("huyen"));
    assert_eq!(t("khoi").deadline.as_deref(), Some("20/10/2014"));
    assert_eq!(t("mttq").deadline.as_deref(), Some("10/10/2014"));
    assert!(!t("mttq").in_totals);
    assert_eq!(t("tinh").reports_to, None);
    assert_eq!(
        o.plan.receiver.as_deref(),
        Some("Ban Thường vụ Tỉnh ủy (qua Ban Dân vận Tỉnh ủy)")
    );
    let review = d
        .notes
        .iter()
        .filter(|n| n.kind == NoteKind::Review)
        .count();
    assert!(review >= 5, "{:?}", d.notes);
    // The result passes the checker and re-reads as written.
    assert!(baocao::outline::check::check(o).is_empty());
    assert_eq!(&baocao::outline::parse(&d.json()).unwrap(), o);
}

/// A State plan (Nghị định 30/2020/NĐ-CP) with its đề cương: a two-level
/// plan of today's shape (communes report straight to the province), fill-in
/// blanks and checkboxes.
const STATE_PLAN: &str = "\
ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 215/KH-UBND
Đồng Nai, ngày 10 tháng 9 năm 2025

KẾ HOẠCH
Tổng kết công tác chuyển đổi số cấp xã năm 2025

I. MỤC ĐÍCH, YÊU CẦU
- Đánh giá đúng kết quả chuyển đổi số ở cấp xã sau khi sắp xếp đơn vị hành chính.
II. TỔ CHỨC THỰC HIỆN
1. Ủy ban nhân dân các xã, phường xây dựng báo cáo theo đề cương đính kèm, gửi về Ủy ban nhân dân tỉnh (qua Sở Khoa học và Công nghệ) trước ngày 15/11/2025.
2. Sở Khoa học và Công nghệ tổng hợp, báo cáo Ủy ban nhân dân tỉnh trước ngày 30/11/2025.

TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH

ĐỀ CƯƠNG BÁO CÁO
Tổng kết công tác chuyển đổi số cấp xã năm 2025
(Kèm theo Kế hoạch số 215/KH-UBND ngày 10/9/2025 của Ủy ban nhân dân tỉnh)

I. KẾT QUẢ THỰC HIỆN
1. Hạ tầng số
- Tỷ lệ hộ gia đình có kết nối cáp quang: ……%
- Số điểm truy cập Internet công cộng: …… điểm
2. Dịch vụ công trực tuyến
- Hồ sơ giải quyết trực tuyến: số …… trên tổng số …… hồ sơ, đạt tỷ lệ ……%
- Mức độ hài lòng của người dân: □ Rất hài lòng □ Hài lòng □ Chưa hài lòng
3. Kinh phí thực hiện: …… triệu đồng
II. KHÓ KHĂN, VƯỚNG MẮC
III. KIẾN NGHỊ, ĐỀ XUẤT (nếu có)
";

fn kinds(i: &Item) -> Vec<Kind> {
    i.fields.iter().map(|f| f.kind).collect()
}

fn ids(o: &Outline) -> Vec<String> {
    o.entries()
        .iter()
        .filter(|e| !e.item.front_matter)
        .map(|e| e.item.id.clone())
        .collect()
}

#[test]
fn a_state_plan_with_blanks_and_checkboxes() {
    let d = drafted(STATE_PLAN);
    let o = &d.outline;
    assert_eq!(o.document.layout, Layout::State);
    assert_eq!(o.plan.number, "215/KH-UBND");
    assert_eq!(o.plan.date, "10/09/2025");
    assert_eq!(o.plan.issuer, "Ủy ban nhân dân tỉnh");
    assert_eq!(
        o.title,
        "ĐỀ CƯƠNG BÁO CÁO Tổng kết công tác chuyển đổi số cấp xã năm 2025"
    );
    assert_eq!(ids(o), ["I", "I.1", "I.2", "I.3", "II", "III"]);
    assert_eq!(
        kinds(o.item("I.1").unwrap()),
        [Kind::Percent, Kind::Integer]
    );
    assert_eq!(
        kinds(o.item("I.2").unwrap()),
        [Kind::Integer, Kind::Integer, Kind::Ratio, Kind::Choice]
    );
    let choice = &o.item("I.2").unwrap().fields[3];
    assert_eq!(
        choice.options,
        ["Rất hài lòng", "Hài lòng", "Chưa hài lòng"]
    );
    assert_eq!(choice.label, "Mức độ hài lòng của người dân");
    let labels: Vec<_> = o.item("I.2").unwrap().fields[..3]
        .iter()
        .map(|f| f.label.as_str())
        .collect();
    assert_eq!(
        labels,
        [
            "Hồ sơ giải quyết trực tuyến: số",
            "Hồ sơ giải quyết trực tuyến: tổng số",
            "Hồ sơ giải quyết trực tuyến: tỷ lệ"
        ]
    );
    let money = &o.item("I.3").unwrap().fields[0];
    assert_eq!(
        (money.kind, money.label.as_str()),
        (Kind::Decimal, "Kinh phí thực hiện (triệu đồng)")
    );
    assert_eq!(kinds(o.item("II").unwrap()), [Kind::Text]);
    let iii = o.item("III").unwrap();
    assert!(iii.optional && !iii.fields[0].required);
    // Two levels: communes straight to the province.
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
            ("xa", Some("tinh"), Some("15/11/2025")),
            ("tinh", None, None)
        ]
    );
    // The front matter follows the State layout.
    let front = o.items.iter().find(|i| i.front_matter).unwrap();
    assert_eq!(
        front.field("thay_mat").unwrap().default.as_deref(),
        Some("TM. ỦY BAN NHÂN DÂN")
    );
}

const SELF_ASSESSMENT: &str = "\
ĐỀ CƯƠNG
tự đánh giá, chấm điểm kết quả thực hiện nhiệm vụ công tác dân vận năm 2025
(Ban hành kèm theo Hướng dẫn số 12-HD/BDVTU, ngày 02/12/2025 của Ban Dân vận Tỉnh ủy)

A. TỰ CHẤM ĐIỂM

1) Công tác lãnh đạo, chỉ đạo: ……/30 điểm

2) Kết quả thực hiện nhiệm vụ: ……/50 điểm

3) Công tác phối hợp: ……/20 điểm

4) Tổng điểm tự chấm: ……/100 điểm

B. TỰ XẾP LOẠI

Tự xếp loại (chọn một):

- Hoàn thành xuất sắc nhiệm vụ
- Hoàn thành tốt nhiệm vụ
- Hoàn thành nhiệm vụ
- Không hoàn thành nhiệm vụ

C. NHẬN XÉT CỦA CẤP ỦY

- Ưu điểm.
- Hạn chế, khuyết điểm.
";

#[test]
fn a_self_assessment_with_scores_and_a_grade() {
    let d = drafted(SELF_ASSESSMENT);
    let o = &d.outline;
    assert_eq!(ids(o), ["A", "A.1", "A.2", "A.3", "A.4", "B", "C"]);
    let score = |id: &str| {
        let f = &o.item(id).unwrap().fields[0];
        assert_eq!(f.kind, Kind::Integer);
        (f.label.clone(), f.max.clone().unwrap().to_string())
    };
    assert_eq!(
        score("A.1"),
        ("Công tác lãnh đạo, chỉ đạo".into(), "30".into())
    );
    assert_eq!(score("A.2").1, "50");
    assert_eq!(score("A.4"), ("Tổng điểm tự chấm".into(), "100".into()));
    // The total is said to match the criteria.
    assert!(
        d.notes
            .iter()
            .any(|n| n.kind == NoteKind::Found && n.vi.contains("tổng tối đa 100")),
        "{:?}",
        d.notes
    );
    let b = o.item("B").unwrap();
    assert_eq!(kinds(b), [Kind::Choice]);
    assert_eq!(b.fields[0].options.len(), 4);
    assert_eq!(b.guidance.len(), 4);
    assert_eq!(kinds(o.item("C").unwrap()), [Kind::Text, Kind::Text]);
    assert_eq!(o.plan.number, "12-HD/BDVTU");
    assert_eq!(o.document.layout, Layout::Party);
    // No organisation section: today's two levels, said to be a guess.
    assert_eq!(
        o.unit_type("xa").unwrap().reports_to.as_deref(),
        Some("tinh")
    );
    assert!(d.notes.iter().any(|n| n.kind == NoteKind::Guessed));
}

/// Copied out of a PDF: every line broken where the page ended it.
const FROM_PDF: &str = "\
ĐỀ CƯƠNG
báo cáo kết quả 05 năm thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị về đẩy mạnh học tập
và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh
(Kèm theo Kế hoạch số 45-KH/HU, ngày 15/3/2021 của Ban Thường vụ
Huyện ủy)
I. CÔNG TÁC QUÁN TRIỆT, TRIỂN KHAI
THỰC HIỆN CHỈ THỊ
1. Công tác tổ chức học tập, quán triệt Chỉ thị
và các chuyên đề hằng năm
- Việc tổ chức học tập, quán triệt Chỉ thị số 05-CT/TW cho cán bộ,
đảng viên và nhân dân; số lượng, tỷ lệ cán bộ, đảng viên tham gia.
- Việc xây dựng kế hoạch, chương trình hành động của cấp ủy, chính
quyền, Mặt trận Tổ quốc và các đoàn thể.
2. Công tác tuyên truyền
Các hình thức tuyên truyền đã thực hiện trên địa bàn, nhất là trên
Cổng thông tin điện tử và mạng xã hội.
II. KẾT QUẢ THỰC HIỆN
1. Việc làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh
2. Những mô hình, điển hình tiêu biểu
";

#[test]
fn a_hard_wrapped_pdf_copy_is_joined_back() {
    let d = drafted(FROM_PDF);
    let o = &d.outline;
    assert_eq!(
        o.title,
        "ĐỀ CƯƠNG báo cáo kết quả 05 năm thực hiện Chỉ thị số 05-CT/TW của Bộ Chính trị về đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh"
    );
    assert_eq!(
        o.issued_with.as_deref(),
        Some("(Kèm theo Kế hoạch số 45-KH/HU, ngày 15/3/2021 của Ban Thường vụ Huyện ủy)")
    );
    assert_eq!(o.plan.issuer, "Ban Thường vụ Huyện ủy");
    assert_eq!(ids(o), ["I", "I.1", "I.2", "II", "II.1", "II.2"]);
    assert_eq!(
        o.item("I").unwrap().title,
        "CÔNG TÁC QUÁN TRIỆT, TRIỂN KHAI THỰC HIỆN CHỈ THỊ"
    );
    let i1 = o.item("I.1").unwrap();
    assert_eq!(
        i1.title,
        "Công tác tổ chức học tập, quán triệt Chỉ thị và các chuyên đề hằng năm"
    );
    assert_eq!(
        i1.guidance,
        [
            "Việc tổ chức học tập, quán triệt Chỉ thị số 05-CT/TW cho cán bộ, đảng viên và nhân dân; số lượng, tỷ lệ cán bộ, đảng viên tham gia.",
            "Việc xây dựng kế hoạch, chương trình hành động của cấp ủy, chính quyền, Mặt trận Tổ quốc và các đoàn thể."
        ]
    );
    assert_eq!(kinds(i1), [Kind::Text, Kind::Text]);
    assert_eq!(
        o.item("I.2").unwrap().intro.as_deref(),
        Some(
            "Các hình thức tuyên truyền đã thực hiện trên địa bàn, nhất là trên Cổng thông tin điện tử và mạng xã hội."
        )
    );
    assert_eq!(o.plan.period.from, 2021);
}

/// A .docx as Word writes it, with automatic numbering (no typed
/// markers) and a table.
fn docx(paragraphs: &[(&str, Option<u8>)], table: Option<&[&[&str]]>) -> Vec<u8> {
    let esc = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;");
    let mut body = String::new();
    for (i, (text, level)) in paragraphs.iter().enumerate() {
        let num = match level {
            Some(l) => format!(
                r#"<w:pPr><w:numPr><w:ilvl w:val="{l}"/><w:numId w:val="1"/></w:numPr></w:pPr>"#
            ),
            None => String::new(),
        };
        body.push_str(&format!(
            r#"<w:p>{num}<w:r><w:t xml:space="preserve">{}</w:t></w:r></w:p>"#,
            esc(text)
        ));
        if i == 4
            && let Some(rows) = table
        {
            body.push_str("<w:tbl>");
            for row in rows {
                body.push_str("<w:tr>");
                for c in *row {
                    body.push_str(&format!(
                        "<w:tc><w:p><w:r><w:t>{}</w:t></w:r></w:p></w:tc>",
                        esc(c)
                    ));
                }
                body.push_str("</w:tr>");
            }
            body.push_str("</w:tbl>");
        }
    }
    let document = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let numbering = r#"<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="7"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/><w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%2."/></w:lvl><w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="bullet"/><w:lvlText w:val=""/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="7"/></w:num></w:numbering>"#;
    zip_of(&[
        ("[Content_Types].xml", b"<Types/>".to_vec()),
        ("word/document.xml", document.into_bytes()),
        ("word/numbering.xml", numbering.as_bytes().to_vec()),
    ])
}

fn zip_of(parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut out = std::io::Cursor::new(Vec::new());
    let mut z = zip::ZipWriter::new(&mut out);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        z.start_file(*name, opts).unwrap();
        z.write_all(bytes).unwrap();
    }
    z.finish().unwrap();
    out.into_inner()
}

#[test]
fn a_docx_with_word_numbering_and_a_table() {
    let bytes = docx(
        &[
            ("ĐỀ CƯƠNG", None),
            ("báo cáo kết quả xây dựng nông thôn mới năm 2025", None),
            ("Tình hình chung", Some(0)),
            ("Kết quả nổi bật", Some(1)),
            ("Các mô hình tiêu biểu", Some(1)),
            ("Kết quả thực hiện các tiêu chí", Some(0)),
            ("Tiêu chí về hạ tầng", Some(1)),
            ("Nêu rõ số km đường giao thông được cứng hóa.", Some(2)),
            ("Nêu rõ số trường học đạt chuẩn.", Some(2)),
        ],
        Some(&[
            &[
                "STT",
                "Tên mô hình",
                "Số lượng hộ tham gia",
                "Ngày triển khai",
            ],
            &["1", "", "", ""],
        ]),
    );
    let d = draft::from_bytes(&bytes, "de-cuong.docx").unwrap();
    let o = &d.outline;
    assert_eq!(ids(o), ["I", "I.1", "I.2", "II", "II.1"]);
    let markers: Vec<_> = o
        .entries()
        .iter()
        .filter(|e| !e.item.front_matter)
        .map(|e| (e.depth, e.item.marker.clone()))
        .collect();
    assert_eq!(
        markers,
        [
            (0, "I.".into()),
            (1, "1.".into()),
            (1, "2.".into()),
            (0, "II.".into()),
            (1, "1.".into())
        ]
    );
    assert_eq!(o.item("I.2").unwrap().title, "Các mô hình tiêu biểu");
    // The table under "2. Các mô hình tiêu biểu" is a table field.
    let t = &o.item("I.2").unwrap().fields[0];
    assert_eq!(t.kind, Kind::Table);
    let cols: Vec<_> = t
        .columns
        .iter()
        .map(|c| (c.label.as_str(), c.kind))
        .collect();
    assert_eq!(
        cols,
        [
            ("Tên mô hình", Kind::Text),
            ("Số lượng hộ tham gia", Kind::Integer),
            ("Ngày triển khai", Kind::Date)
        ]
    );
    // Word's bullets are guidance, each a text field.
    let ii1 = o.item("II.1").unwrap();
    assert_eq!(ii1.guidance.len(), 2);
    assert_eq!(kinds(ii1), [Kind::Text, Kind::Text]);
}

// ------------------------------------------------------------ bad input

fn refused(bytes: &[u8], name: &str) -> DraftError {
    match draft::from_bytes(bytes, name) {
        Ok(d) => panic!("drafted {:?}", d.outline.title),
        Err(e) => e,
    }
}

fn code(e: &DraftError) -> String {
    baocao::error::Coded::code(e)
}

#[test]
fn bad_inputs_are_refused_with_their_reason() {
    let e = refused(
        "Kính gửi các đồng chí,\n\nĐề nghị các đơn vị báo cáo sớm.\n- Một ý kiến\n".as_bytes(),
        "thu.txt",
    );
    assert_eq!(code(&e), "draft.no_outline");
    assert!(
        matches!(
            e,
            DraftError::NoOutline {
                paragraphs: 3,
                markers: 1
            }
        ),
        "{e:?}"
    );
    assert_eq!(
        code(&refused(b"not a zip at all", "plan.docx")),
        "draft.not_docx"
    );
    assert_eq!(
        code(&refused(b"PK\x03\x04broken", "plan.bin")),
        "draft.not_docx"
    );
    assert_eq!(
        code(&refused(&zip_of(&[("a.txt", b"x".to_vec())]), "plan.docx")),
        "draft.no_document_part"
    );
    // A zip bomb: a few kilobytes that unpack to more than the limit.
    let bomb = zip_of(&[(
        "word/document.xml",
        vec![b' '; draft::read::MAX_PART as usize + 10],
    )]);
    assert!(bomb.len() < 1 << 20);
    assert_eq!(code(&refused(&bomb, "bomb.docx")), "draft.unpacked");
    let many: Vec<(String, Vec<u8>)> = (0..=draft::read::MAX_ENTRIES)
        .map(|i| (format!("p{i}"), Vec::new()))
        .collect();
    let many: Vec<(&str, Vec<u8>)> = many.iter().map(|(n, b)| (n.as_str(), b.clone())).collect();
    assert_eq!(
        code(&refused(&zip_of(&many), "many.docx")),
        "draft.too_many_entries"
    );
    assert_eq!(
        code(&refused(
            &zip_of(&[("word/document.xml", b"<w:p><w:t>x</w:p>".to_vec())]),
            "x.docx"
        )),
        "draft.bad_xml"
    );
    assert_eq!(
        code(&refused(b"I. A\n\xff\xfe\xfd", "plan.txt")),
        "draft.not_utf8"
    );
    let e = refused("I. Một\n1. Hai \u{FFFF}\n".as_bytes(), "plan.txt");
    assert!(
        matches!(
            e,
            DraftError::BadCharacter {
                line: 2,
                code: 0xFFFF
            }
        ),
        "{e:?}"
    );
    assert_eq!(
        code(&refused(
            &vec![b'a'; draft::read::MAX_BYTES as usize + 1],
            "big.txt"
        )),
        "draft.too_large"
    );
}

/// What the checker refuses is never written: a draft over the limits of
/// an outline (a heading longer than any text may be) is refused whole.
#[test]
fn a_draft_the_checker_refuses_is_not_given() {
    let long = "chữ ".repeat(6_000);
    let e = refused(format!("I. {long}\n").as_bytes(), "plan.txt");
    assert_eq!(code(&e), "draft.invalid");
    let DraftError::Invalid { problems } = e else {
        unreachable!()
    };
    assert!(!problems.is_empty());
}

#[test]
fn text_is_nfc_without_control_characters() {
    // "quán" typed decomposed, a stray escape and a NUL.
    let d = drafted("I. Công tác qua\u{301}n triệt\u{1b}\u{0}\n- Nêu rõ.\n");
    let i = d.outline.item("I").unwrap();
    assert_eq!(i.title, "Công tác quán triệt");
    assert_eq!(i.guidance, ["Nêu rõ."]);
}

#[test]
fn text_typed_in_tcvn3_is_converted() {
    // "Đảng bộ xã tổ chức học tập" typed with .VnTime, read as Latin-1.
    let d = drafted("I. §¶ng bé x· tæ chøc häc tËp\n- Nªu râ.\n");
    let i = d.outline.item("I").unwrap();
    assert_eq!(i.title, "Đảng bộ xã tổ chức học tập");
    assert!(
        d.notes
            .iter()
            .any(|n| n.kind == NoteKind::Review && n.vi.contains("TCVN3"))
    );
}

#[test]
fn utf16_from_notepad_is_read() {
    let text = "I. Công tác\n- Nêu rõ.\n";
    let mut bytes = vec![0xFF, 0xFE];
    for u in text.encode_utf16() {
        bytes.extend(u.to_le_bytes());
    }
    let d = draft::from_bytes(&bytes, "plan.txt").unwrap();
    assert_eq!(d.outline.item("I").unwrap().title, "Công tác");
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(300))]
    /// Whatever the text, the drafter answers: a valid outline or a reason.
    #[test]
    fn the_recogniser_never_panics(lines in proptest::collection::vec(
        proptest::string::string_regex("(I\\.|1-|a\\)|- |\\+ |A- |II\\. |□ )?[a-zA-ZàáạđĐêếệ0-9 ,.:;()/%…_□-]{0,40}").unwrap(),
        0..25,
    )) {
        let text = lines.join("\n");
        if let Ok(d) = draft::from_bytes(text.as_bytes(), "x.txt") {
            proptest::prop_assert!(baocao::outline::check::check(&d.outline).is_empty());
        }
    }

    #[test]
    fn any_bytes_are_refused_or_read(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400)) {
        let _ = draft::from_bytes(&bytes, "x.docx");
        let _ = draft::from_bytes(&bytes, "x.txt");
    }
}

// ------------------------------------------------------ through the binary

fn document_xml(docx: &[u8]) -> String {
    use std::io::Read;
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).expect("a .docx is a zip");
    let mut xml = String::new();
    zip.by_name("word/document.xml")
        .unwrap()
        .read_to_string(&mut xml)
        .unwrap();
    xml
}

/// The document's text, runs joined (Word splits nothing we write, but
/// entities are decoded).
fn text_of(xml: &str) -> String {
    xml.replace("&amp;", "&").replace("&lt;", "<")
}

#[test]
fn outline_new_writes_a_checked_outline_and_says_what_it_guessed() {
    let dir = temp_dir();
    let from = dir.path().join("ke-hoach.txt");
    std::fs::write(&from, SEED).unwrap();
    let out = vi().args(["outline", "new", "--from"]).arg(&from).out();
    out.ok()
        .stdout_has("  đã nhận ra:    Số kế hoạch: 123-KH/TU\n")
        .stdout_has("  cần xem lại:   Loại đơn vị huyen")
        .stdout_has("Đã ghi đề cương nháp vào");
    let written = dir.path().join("ke-hoach.json");
    vi().args(["outline", "check"]).arg(&written).out().ok();
    // Not written over without --force.
    vi().args(["outline", "new", "--from"])
        .arg(&from)
        .out()
        .fails()
        .stderr_has("đã có");
    baocao()
        .args(["--json", "outline", "new", "--from"])
        .arg(&from)
        .out()
        .fails_with("cli.out_exists");
    vi().args(["outline", "new", "--force", "--from"])
        .arg(&from)
        .out()
        .ok();
    // English, and JSON for scripts.
    let en_out = dir.path().join("en.json");
    en().args(["outline", "new", "--from"])
        .arg(&from)
        .arg("--out")
        .arg(&en_out)
        .out()
        .ok()
        .stdout_has("  recognised: Plan number: 123-KH/TU\n");
    let j = baocao()
        .args(["--json", "outline", "new", "--from"])
        .arg(&from)
        .arg("--out")
        .arg(dir.path().join("j.json"))
        .out();
    let v = j.ok().json();
    assert!(
        v["notes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["kind"] == "review")
    );
}

#[test]
fn outline_new_writes_nothing_when_it_finds_no_outline() {
    let dir = temp_dir();
    let from = dir.path().join("thu.txt");
    std::fs::write(&from, "Kính gửi các đồng chí,\n\nĐề nghị báo cáo sớm.\n").unwrap();
    vi().args(["outline", "new", "--from"])
        .arg(&from)
        .out()
        .fails()
        .stderr_has("Không nhận ra đề cương");
    baocao()
        .args(["--json", "outline", "new", "--from"])
        .arg(&from)
        .out()
        .fails_with("draft.no_outline");
    assert!(!dir.path().join("thu.json").exists());
    let bad = dir.path().join("hong.docx");
    std::fs::write(&bad, "not a zip").unwrap();
    en().args(["outline", "new", "--from"])
        .arg(&bad)
        .out()
        .fails()
        .stderr_has("cannot be read");
    baocao()
        .args(["--json", "outline", "new", "--from"])
        .arg(&bad)
        .out()
        .fails_with("draft.not_docx");
    assert!(!dir.path().join("hong.json").exists());
}

#[test]
fn outline_blank_prints_the_outline_with_room_for_answers() {
    let dir = temp_dir();
    let outline = dir.path().join("kl62.json");
    std::fs::write(&outline, baocao::outline::DEFAULT_OUTLINE_JSON).unwrap();
    let docx = dir.path().join("blank.docx");
    vi().args(["outline", "blank", "--format", "docx"])
        .arg(&outline)
        .arg("--out")
        .arg(&docx)
        .out()
        .ok();
    let xml = text_of(&document_xml(&std::fs::read(&docx).unwrap()));
    for e in Outline::embedded().entries() {
        if e.item.front_matter {
            continue;
        }
        let heading = format!("{} {}", e.item.marker, e.item.title);
        assert!(xml.contains(&heading), "{heading}");
        for g in &e.item.guidance {
            assert!(xml.contains(g.as_str()), "{g}");
        }
    }
    assert!(xml.contains("ĐẢNG CỘNG SẢN VIỆT NAM"));
    assert!(
        xml.contains("Ngày ban hành"),
        "the documents table's columns"
    );
    assert!(xml.contains(baocao::render::DOTS));
    quick_xml_well_formed(&xml);
    let md = dir.path().join("blank.md");
    vi().args(["outline", "blank", "--format", "md"])
        .arg(&outline)
        .arg("--out")
        .arg(&md)
        .out()
        .ok();
    let md = std::fs::read_to_string(&md).unwrap();
    assert!(md.contains("#### 1- Công tác tổ chức quán triệt, triển khai, tuyên truyền"));
    assert!(
        md.contains("| STT | Số, ký hiệu | Ngày ban hành | Cơ quan ban hành | Trích yếu |"),
        "{md}"
    );
}

fn quick_xml_well_formed(xml: &str) {
    let mut r = quick_xml::Reader::from_str(xml);
    loop {
        match r.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed: {e}"),
        }
    }
}

#[test]
fn the_state_layout_has_the_national_motto() {
    let d = drafted(STATE_PLAN);
    let doc = baocao::render::blank(&d.outline);
    let xml = text_of(&document_xml(&baocao::render::docx::render(&doc)));
    assert!(xml.contains(baocao::render::STATE));
    assert!(xml.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    assert!(xml.contains("Độc lập - Tự do - Hạnh phúc"));
    assert!(xml.contains("Số: …"));
    assert!(!xml.contains("ĐẢNG CỘNG SẢN VIỆT NAM"));
    assert!(xml.contains("□ Rất hài lòng"));
    let md = baocao::render::markdown::render(&doc);
    assert!(md.contains("**Độc lập - Tự do - Hạnh phúc**"));
    let text = baocao::render::text::render(&doc);
    assert!(text.contains("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"));
    // A Party outline keeps its layout, and its file its hash.
    let party = baocao::render::blank(Outline::embedded());
    let xml = document_xml(&baocao::render::docx::render(&party));
    assert!(xml.contains("ĐẢNG CỘNG SẢN VIỆT NAM") && !xml.contains("Độc lập"));
    let v: serde_json::Value = serde_json::to_value(Outline::embedded()).unwrap();
    assert!(v["document"].get("layout").is_none());
    assert_schema_valid(
        "outline.schema.json",
        &serde_json::to_value(&d.outline).unwrap(),
        "state draft",
    );
}

/// Today's shape: a plan for communes reporting straight to the province,
/// from its text to the province's printed report.
#[test]
fn a_two_level_plan_end_to_end() {
    let dir = temp_dir();
    let d = dir.path();
    let plan = d.join("ke-hoach-215.txt");
    std::fs::write(&plan, STATE_PLAN).unwrap();
    let outline = d.join("de-cuong.json");
    vi().args(["outline", "new", "--from"])
        .arg(&plan)
        .arg("--out")
        .arg(&outline)
        .out()
        .ok();
    let o = Outline::load(&outline).unwrap();
    let counts = o.item("I.1").unwrap().fields[1].id.clone();
    let text = o.item("II").unwrap().fields[0].id.clone();
    let run = |report: &std::path::Path, args: &[&str]| {
        vi().arg("--outline")
            .arg(&outline)
            .args(args)
            .arg("--data")
            .arg(report)
            .out()
    };
    let xa = d.join("xa.json");
    run(
        &xa,
        &[
            "init",
            "--type",
            "xa",
            "--code",
            "26212",
            "--name",
            "Ủy ban nhân dân xã Phước Thái",
            "--parent-code",
            "75",
            "--parent-name",
            "Ủy ban nhân dân tỉnh Đồng Nai",
        ],
    )
    .ok();
    let answers = d.join("answers.json");
    std::fs::write(
        &answers,
        serde_json::to_vec(&serde_json::json!({
            "front": {"so_ky_hieu": "45/BC-UBND", "dia_danh": "Phước Thái", "ngay": "10/11/2025",
                      "chuc_vu": "CHỦ TỊCH", "nguoi_ky": "Nguyễn Văn A",
                      "noi_nhan": "Ủy ban nhân dân tỉnh (qua Sở Khoa học và Công nghệ)"},
            "I.1": {counts.clone(): 12},
            "II": {text.clone(): "Thiếu cán bộ chuyên trách công nghệ thông tin."},
        }))
        .unwrap(),
    )
    .unwrap();
    run(&xa, &["fill", "--from", answers.to_str().unwrap()]).ok();
    let usb = d.join("usb");
    std::fs::create_dir_all(&usb).unwrap();
    let sent = run(&xa, &["export", "--out", usb.to_str().unwrap()]);
    let package = sent.ok().stdout.trim().to_string();

    let tinh = d.join("tinh.json");
    run(
        &tinh,
        &[
            "init",
            "--type",
            "tinh",
            "--code",
            "75",
            "--name",
            "Ủy ban nhân dân tỉnh Đồng Nai",
        ],
    )
    .ok();
    run(
        &tinh,
        &[
            "children",
            "add",
            "26212",
            "Ủy ban nhân dân xã Phước Thái",
            "--type",
            "xa",
        ],
    )
    .ok();
    run(&tinh, &["import", &package]).ok();
    let md = d.join("tinh.md");
    run(
        &tinh,
        &["render", "--format", "md", "--out", md.to_str().unwrap()],
    )
    .ok();
    let md = std::fs::read_to_string(&md).unwrap();
    // The commune's figure, summed at the province and in the appendix.
    assert!(
        md.contains("Số điểm truy cập Internet công cộng: 12."),
        "{md}"
    );
    assert!(
        md.contains("| 1 | Ủy ban nhân dân xã Phước Thái | 12 |"),
        "{md}"
    );
    assert!(md.contains("**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM**"));
    let docx = d.join("tinh.docx");
    run(
        &tinh,
        &[
            "render",
            "--format",
            "docx",
            "--out",
            docx.to_str().unwrap(),
        ],
    )
    .ok();
    let xml = text_of(&document_xml(&std::fs::read(&docx).unwrap()));
    assert!(xml.contains("Độc lập - Tự do - Hạnh phúc"));
    assert!(xml.contains("Ủy ban nhân dân xã Phước Thái"));
    // The commune's own report prints its number the State way.
    let xa_md = d.join("xa.md");
    run(
        &xa,
        &["render", "--format", "md", "--out", xa_md.to_str().unwrap()],
    )
    .ok();
    let xa_md = std::fs::read_to_string(&xa_md).unwrap();
    assert!(xa_md.contains("Số: 45/BC-UBND"), "{xa_md}");
    assert!(xa_md.contains("Thiếu cán bộ chuyên trách công nghệ thông tin."));
}

/// The blank outline printed from a draft reads back as the same outline:
/// what `outline blank` prints is a document `outline new` understands.
#[test]
fn a_blank_outline_reads_back_as_the_same_outline() {
    let first = drafted(SEED).outline;
    let docx = baocao::render::docx::render(&baocao::render::blank(&first));
    let again = draft::from_bytes(&docx, "blank.docx").unwrap().outline;
    assert_eq!(shape(&again), shape(Outline::embedded()));
    assert_eq!(again.title, first.title);
    assert_eq!(again.issued_with, first.issued_with);
    assert_eq!(again.plan.number, "123-KH/TU");
}

#[test]
fn a_markdown_outline() {
    let md = "\
# ĐỀ CƯƠNG BÁO CÁO

## kết quả công tác dân vận năm 2025

*(Ban hành kèm theo Kế hoạch số 20-KH/ĐU, ngày 05/01/2025 của Ban Thường vụ Đảng ủy xã)*

## I. **KẾT QUẢ** ĐẠT ĐƯỢC

### 1. Công tác tuyên truyền

* Số buổi tuyên truyền: …… buổi
* Nêu rõ các hình thức tuyên truyền.

### 2. Các mô hình dân vận khéo

| STT | Tên mô hình | Ngày triển khai |
|---|---|---|
| 1 | | |

## II. PHƯƠNG HƯỚNG NĂM 2026
";
    let o = draft::from_bytes(md.as_bytes(), "de-cuong.md")
        .unwrap()
        .outline;
    assert_eq!(
        o.title,
        "ĐỀ CƯƠNG BÁO CÁO kết quả công tác dân vận năm 2025"
    );
    assert_eq!(
        o.issued_with.as_deref(),
        Some(
            "(Ban hành kèm theo Kế hoạch số 20-KH/ĐU, ngày 05/01/2025 của Ban Thường vụ Đảng ủy xã)"
        )
    );
    assert_eq!(ids(&o), ["I", "I.1", "I.2", "II"]);
    assert_eq!(o.item("I").unwrap().title, "KẾT QUẢ ĐẠT ĐƯỢC");
    let i1 = o.item("I.1").unwrap();
    assert_eq!(
        i1.guidance,
        [
            "Số buổi tuyên truyền: …… buổi",
            "Nêu rõ các hình thức tuyên truyền."
        ]
    );
    assert_eq!(kinds(i1), [Kind::Integer, Kind::Text]);
    assert_eq!(i1.fields[1].bullet, Some(1));
    let t = &o.item("I.2").unwrap().fields[0];
    let cols: Vec<_> = t
        .columns
        .iter()
        .map(|c| (c.label.as_str(), c.kind))
        .collect();
    assert_eq!(
        cols,
        [("Tên mô hình", Kind::Text), ("Ngày triển khai", Kind::Date)]
    );
    assert_eq!(kinds(o.item("II").unwrap()), [Kind::Text]);
    assert_eq!(o.plan.period.from, 2025);
}

#[test]
fn a_plan_without_its_de_cuong_line_says_its_own_sections_came_in() {
    let d = drafted(
        "KẾ HOẠCH\nsơ kết công tác năm 2025\n\nI. MỤC ĐÍCH, YÊU CẦU\n- Đánh giá đúng kết quả.\nII. NỘI DUNG BÁO CÁO\n1. Kết quả đạt được\n2. Hạn chế\nIII. TỔ CHỨC THỰC HIỆN\n1. Ủy ban nhân dân các xã gửi báo cáo về Ủy ban nhân dân tỉnh trước ngày 10/12/2025.\n",
    );
    assert!(
        d.notes
            .iter()
            .any(|n| n.kind == NoteKind::Review && n.vi.contains("“MỤC ĐÍCH, YÊU CẦU”")),
        "{:?}",
        d.notes
    );
    let xa = d.outline.unit_type("xa").unwrap();
    assert_eq!(xa.deadline.as_deref(), Some("10/12/2025"));
}

/// Headings numbered by their style ("Heading 1" tied to a list), as
/// Word's multi-level lists do.
#[test]
fn a_docx_numbered_by_heading_styles() {
    let p = |style: &str, text: &str| {
        format!(
            r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#
        )
    };
    let body = [
        p("Title", "ĐỀ CƯƠNG"),
        p("Title", "báo cáo công tác năm 2025"),
        p("Heading1", "Kết quả"),
        p("Heading2", "Công tác tuyên truyền"),
        p("Normal", "Nêu rõ kết quả đạt được."),
        p("Heading2", "Công tác vận động"),
        p("Heading1", "Phương hướng"),
    ]
    .concat();
    let document = format!(
        r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#
    );
    let styles = r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:style w:type="paragraph" w:styleId="Heading1"><w:pPr><w:numPr><w:numId w:val="3"/></w:numPr></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Heading2"><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="3"/></w:numPr></w:pPr></w:style><w:style w:type="paragraph" w:styleId="Normal"/></w:styles>"#;
    let numbering = r#"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:numFmt w:val="upperLetter"/><w:lvlText w:val="%1-"/></w:lvl><w:lvl w:ilvl="1"><w:numFmt w:val="decimal"/><w:lvlText w:val="%2-"/></w:lvl></w:abstractNum><w:num w:numId="3"><w:abstractNumId w:val="1"/></w:num></w:numbering>"#;
    let bytes = zip_of(&[
        ("word/document.xml", document.into_bytes()),
        ("word/styles.xml", styles.as_bytes().to_vec()),
        ("word/numbering.xml", numbering.as_bytes().to_vec()),
    ]);
    let o = draft::from_bytes(&bytes, "x.docx").unwrap().outline;
    assert_eq!(ids(&o), ["A", "A.1", "A.2", "B"]);
    assert_eq!(o.item("A.1").unwrap().marker, "1-");
    assert_eq!(
        o.item("A.1").unwrap().intro.as_deref(),
        Some("Nêu rõ kết quả đạt được.")
    );
    assert_eq!(o.item("B").unwrap().title, "Phương hướng");
}
