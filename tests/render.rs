//! The report document: a filled sample report rendered as text and
//! Markdown and compared with reviewed files, and as DOCX checked inside
//! the package (page, margins, fonts, header blocks, headings in outline
//! order, answers, appendix totals, page numbers). Set BAOCAO_BLESS=1 to
//! rewrite the expected files after a deliberate change, then review them.

mod common;

use baocao::outline::{Kind, Outline};
use baocao::render::{self, Appendix, AppendixColumn, AppendixRow, Document};
use baocao::report::{Report, Status, Unit};
use baocao::validate;
use common::RunExt;
use serde_json::{Value, json};
use std::io::Read;
use std::path::{Path, PathBuf};

fn outline() -> &'static Outline {
    Outline::embedded()
}

fn district() -> Unit {
    Unit {
        unit_type: "huyen".into(),
        code: "731".into(),
        name: "Huyện Tân Phú".into(),
        parent_code: Some("75".into()),
        parent_name: Some("Tỉnh ủy Đồng Nai".into()),
    }
}

fn commune() -> Unit {
    Unit {
        unit_type: "xa".into(),
        code: "27112".into(),
        name: "Xã Tân Phú".into(),
        parent_code: Some("731".into()),
        parent_name: Some("Huyện ủy Tân Phú".into()),
    }
}

/// Stores what a person typed, the way the form does.
fn put(report: &mut Report, item: &str, field: &str, typed: &str) {
    let kind = outline().item(item).unwrap().field(field).unwrap().kind;
    report.set_value(item, field, validate::from_input(kind, typed));
}

const TEXTS: &[(&str, &str, &str)] = &[
    (
        "A.I.1",
        "hinh_thuc_quan_triet",
        "Ban Thường vụ Huyện ủy tổ chức hội nghị quán triệt Kết luận số 62-KL/TW cho cán bộ chủ chốt của huyện; các chi, đảng bộ cơ sở tổ chức học tập theo hình thức sinh hoạt chuyên đề.\nNội dung Kết luận được tuyên truyền trên Đài Truyền thanh huyện, bản tin nội bộ và hệ thống loa truyền thanh ở 100% ấp, khu phố.",
    ),
    (
        "A.I.1",
        "ty_le_chuyen_bien",
        "Tỷ lệ cán bộ, đảng viên tham gia học tập đạt cao; nhận thức về vai trò của Mặt trận và các đoàn thể có chuyển biến rõ rệt.",
    ),
    (
        "A.I.2",
        "loai_van_ban",
        "Ban Thường vụ Huyện ủy ban hành kế hoạch thực hiện và chỉ thị về tăng cường công tác dân vận (chi tiết ở bảng dưới).",
    ),
    (
        "A.I.2",
        "chat_luong_chi_dao",
        "Văn bản ban hành kịp thời, sát thực tế; việc kiểm tra, đôn đốc được tiến hành định kỳ 6 tháng một lần.",
    ),
    (
        "A.II.1",
        "chuyen_bien_nhan_thuc",
        "Cấp ủy, chính quyền các cấp nhận thức đầy đủ hơn vai trò của Mặt trận và các đoàn thể trong xây dựng khối đại đoàn kết toàn dân tộc.",
    ),
    (
        "A.II.1",
        "quan_he_dang_nha_nuoc_nhan_dan",
        "Mối quan hệ giữa Đảng lãnh đạo, Nhà nước quản lý, nhân dân làm chủ được cụ thể hóa bằng quy chế làm việc.",
    ),
    // Typed without an input method's composition: decomposed (NFD).
    (
        "A.II.1",
        "tieu_chi_danh_gia_to_chuc_dang",
        "Ke\u{302}\u{301}t qua\u{309} xa\u{302}y du\u{31b}\u{323}ng Ma\u{323}\u{306}t tra\u{323}\u{302}n, đoa\u{300}n the\u{302}\u{309} đu\u{31b}o\u{31b}\u{323}c đưa va\u{300}o tie\u{302}u chi\u{301} đa\u{301}nh gia\u{301} tổ chức cơ sở đảng hằng năm.",
    ),
    (
        "A.II.1",
        "chi_dao_kiem_tra_giam_sat",
        "Ban Thường vụ Huyện ủy kiểm tra, giám sát việc thực hiện tại 12/12 đảng bộ xã, thị trấn.",
    ),
    (
        "A.II.2",
        "phoi_hop_van_dong",
        "Mặt trận và các đoàn thể phối hợp triển khai Cuộc vận động \"Toàn dân đoàn kết xây dựng nông thôn mới, đô thị văn minh\".",
    ),
    // Pasted from another program with an escape sequence in it.
    (
        "A.II.2",
        "ket_qua_van_dong",
        "Phong trào thi đua yêu nước đạt nhiều kết quả\u{1b}[31m nổi bật;\tnhân dân hiến 12.500 m² đất làm đường giao thông nông thôn.",
    ),
    (
        "A.II.2",
        "nhan_rong_dien_hinh",
        "Tổ chức sơ kết, biểu dương 45 mô hình, điển hình tiên tiến.",
    ),
    (
        "A.II.2",
        "bao_ve_loi_ich",
        "Tham mưu giải quyết kịp thời các kiến nghị chính đáng của đoàn viên, hội viên và nhân dân.",
    ),
    (
        "A.II.3",
        "nam_tinh_hinh",
        "Định kỳ hằng quý tổng hợp tình hình tư tưởng, tâm trạng của đoàn viên, hội viên và nhân dân.",
    ),
    (
        "A.II.3",
        "tap_hop_quan_chung",
        "Phát triển mới nhiều đoàn viên, hội viên, nhất là ở các doanh nghiệp ngoài nhà nước.",
    ),
    (
        "A.II.3",
        "cot_can_nguoi_uy_tin",
        "Xây dựng đội ngũ cốt cán chính trị ở 100% ấp, khu phố; phát huy vai trò người có uy tín trong đồng bào dân tộc.",
    ),
    (
        "A.II.3",
        "dan_chu_giam_sat_phan_bien",
        "Thực hiện tốt Quy chế dân chủ ở cơ sở; Mặt trận chủ trì 24 cuộc giám sát, 6 hội nghị phản biện xã hội.",
    ),
    (
        "A.II.4",
        "kien_toan_bo_may_can_bo",
        "Sắp xếp bộ máy cơ quan Mặt trận, đoàn thể huyện theo hướng tinh gọn; 100% cán bộ chủ chốt đạt chuẩn.",
    ),
    (
        "A.II.4",
        "tieu_chi_danh_gia_chat_luong",
        "Ban hành bộ tiêu chí đánh giá chất lượng tổ chức cơ sở hội, đoàn viên, hội viên.",
    ),
    (
        "A.II.4",
        "che_do_chinh_sach",
        "Thực hiện đầy đủ chế độ phụ cấp đối với cán bộ không chuyên trách ở ấp, khu phố.",
    ),
    (
        "A.II.5",
        "phoi_hop_dan_chu_thi_dua",
        "Ủy ban nhân dân phối hợp chặt chẽ với Mặt trận trong thực hiện Quy chế dân chủ và các phong trào thi đua.",
    ),
    (
        "A.II.5",
        "quy_che_phoi_hop",
        "Ký kết, bổ sung 6 quy chế, chương trình phối hợp.",
    ),
    (
        "A.II.5",
        "kinh_phi_dieu_kien",
        "Kinh phí hoạt động được bố trí đủ theo dự toán hằng năm.",
    ),
    (
        "A.II.6",
        "vai_tro_cap_uy_dang_vien",
        "Cán bộ, đảng viên gương mẫu tham gia sinh hoạt ở nơi cư trú.",
    ),
    (
        "A.II.6",
        "giao_ban_dinh_ky",
        "Thường trực Huyện ủy giao ban với Mặt trận, đoàn thể mỗi quý một lần.",
    ),
    (
        "A.II.6",
        "tiep_xuc_doi_thoai",
        "Bí thư cấp ủy các cấp tiếp xúc, đối thoại trực tiếp với nhân dân.",
    ),
    (
        "A.II.6",
        "quy_che_dan_van",
        "100% cơ quan, đơn vị xây dựng và thực hiện quy chế công tác dân vận.",
    ),
    (
        "A.III.1",
        "noi_dung",
        "Cấp ủy quan tâm lãnh đạo; Mặt trận, đoàn thể đổi mới phương thức hoạt động, hướng mạnh về cơ sở.\nNguyên nhân: sự lãnh đạo sâu sát của cấp ủy và sự đồng thuận của nhân dân.",
    ),
    (
        "A.III.2",
        "noi_dung",
        "Một số nơi còn hành chính hóa hoạt động; chất lượng sinh hoạt chi hội chưa đều.",
    ),
    (
        "A.IV",
        "noi_dung",
        "Phải thường xuyên bám sát cơ sở, lắng nghe ý kiến nhân dân.",
    ),
    (
        "B",
        "phuong_huong",
        "Tiếp tục quán triệt sâu rộng Kết luận số 62-KL/TW; nâng cao chất lượng hoạt động của Mặt trận và các đoàn thể.",
    ),
    (
        "C.1",
        "noi_dung",
        "Sớm ban hành chế độ, chính sách thống nhất đối với cán bộ Mặt trận, đoàn thể cơ sở.",
    ),
    (
        "C.2",
        "noi_dung",
        "Tăng kinh phí hoạt động cho Mặt trận, đoàn thể cấp xã.",
    ),
];

const FIGURES: &[(&str, &str, &str)] = &[
    ("A.I.1", "so_hoi_nghi", "12"),
    ("A.I.1", "can_bo_tham_gia", "45"),
    ("A.I.1", "can_bo_tong_so", "45"),
    ("A.I.1", "dang_vien_tham_gia", "1.204"),
    ("A.I.1", "dang_vien_tong_so", "1.250"),
    ("A.I.1", "doan_vien_tham_gia", "3.120"),
    ("A.I.1", "doan_vien_tong_so", "3.600"),
    // Typed as in English: kept as typed and flagged.
    ("A.I.1", "hoi_vien_tham_gia", "3.9"),
    ("A.I.1", "hoi_vien_tong_so", "4.100"),
    ("A.II.3", "ket_nap_mttq", "150"),
    ("A.II.3", "ket_nap_phu_nu", "830"),
    ("A.II.3", "ket_nap_doan_tn", "640"),
    ("A.II.3", "ket_nap_nong_dan", "410"),
    ("A.II.3", "ket_nap_cuu_chien_binh", "95"),
    ("A.II.3", "ket_nap_cong_doan", "1.020"),
    ("A.II.5", "kinh_phi", "1.250.000.000"),
    ("A.II.6", "so_tiep_xuc_doi_thoai", "36"),
];

fn front(report: &mut Report) {
    for (field, typed) in [
        ("cap_tren", "Đảng bộ tỉnh Đồng Nai"),
        ("co_quan", "HUYỆN UỶ TÂN PHÚ"),
        ("so_ky_hieu", "45-BC/HU"),
        ("dia_danh", "Tân Phú"),
        ("ngay", "15/10/2014"),
        ("chuc_vu", "Phó Bí thư"),
        ("nguoi_ky", "Nguyễn Văn An"),
        (
            "noi_nhan",
            "Ban Thường vụ Tỉnh ủy (qua Ban Dân vận Tỉnh ủy),\n- Thường trực Huyện ủy,\nLưu Văn phòng Huyện ủy.",
        ),
    ] {
        put(report, "front", field, typed);
    }
}

/// A district's report with every item answered.
fn sample() -> Report {
    let mut report = Report::new(outline(), district()).unwrap();
    report.status = Status::Final;
    report.approval = Some(baocao::report::Approval {
        by: "Ban Thường vụ Huyện ủy".into(),
        on: "10/10/2014".into(),
        recorded_at: chrono::Local::now(),
        incomplete: None,
        content_hash: String::new(),
    });
    front(&mut report);
    for (item, field, text) in TEXTS {
        report.set_value(item, field, Value::String(text.to_string()));
    }
    for (item, field, typed) in FIGURES {
        put(&mut report, item, field, typed);
    }
    report.set_value(
        "A.I.2",
        "van_ban",
        json!([
            {"so_ky_hieu": "25-KH/HU", "ngay_ban_hanh": "15/03/2010", "co_quan": "Ban Thường vụ Huyện ủy",
             "trich_yeu": "Kế hoạch thực hiện Kết luận số 62-KL/TW của Bộ Chính trị"},
            {"so_ky_hieu": "08-CT/HU", "ngay_ban_hanh": "02/06/2011", "co_quan": "Ban Thường vụ Huyện ủy",
             "trich_yeu": "Chỉ thị về tăng cường công tác dân vận trong tình hình mới"}
        ]),
    );
    report
}

/// The communes' figures under the district: the totals are the
/// district's figures.
fn appendix() -> Appendix {
    let col = |item: &str, field: &str, label: &str, kind| AppendixColumn {
        item: item.into(),
        field: field.into(),
        label: label.into(),
        kind,
    };
    Appendix {
        columns: vec![
            col(
                "A.I.1",
                "so_hoi_nghi",
                "Số hội nghị, lớp quán triệt",
                Kind::Integer,
            ),
            col(
                "A.I.1",
                "dang_vien_tham_gia",
                "Đảng viên tham gia",
                Kind::Integer,
            ),
            col(
                "A.I.1",
                "dang_vien_tong_so",
                "Tổng số đảng viên",
                Kind::Integer,
            ),
            col(
                "A.I.1",
                "dang_vien_ty_le",
                "Tỷ lệ đảng viên tham gia",
                Kind::Ratio,
            ),
            col("A.II.5", "kinh_phi", "Kinh phí", Kind::Money),
            col(
                "A.II.6",
                "so_tiep_xuc_doi_thoai",
                "Số cuộc tiếp xúc, đối thoại",
                Kind::Integer,
            ),
        ],
        rows: vec![
            AppendixRow {
                unit_code: "27112".into(),
                unit_name: "Xã Tân Phú".into(),
                values: vec![
                    Some(d(5.0)),
                    Some(d(604.0)),
                    Some(d(625.0)),
                    Some(d(96.64)),
                    Some(d(600_000_000.0)),
                    Some(d(20.0)),
                ],
            },
            AppendixRow {
                unit_code: "27115".into(),
                unit_name: "Thị trấn Tân Phú".into(),
                values: vec![
                    Some(d(7.0)),
                    Some(d(600.0)),
                    Some(d(625.0)),
                    Some(d(96.0)),
                    Some(d(650_000_000.0)),
                    None,
                ],
            },
        ],
        totals: vec![
            Some(d(12.0)),
            Some(d(1204.0)),
            Some(d(1250.0)),
            Some(d(96.32)),
            Some(d(1_250_000_000.0)),
            Some(d(20.0)),
        ],
        beside: Vec::new(),
        notes: Default::default(),
        marks: Default::default(),
        tables: Vec::new(),
        embedded: Vec::new(),
    }
}

/// The exact decimal an f64 literal is written as.
fn d(v: f64) -> rust_decimal::Decimal {
    v.to_string().parse().unwrap()
}

fn doc_of(report: &Report, appendix: Option<&Appendix>) -> Document {
    render::document(
        outline(),
        report,
        &|i, f| report.value(i, f).cloned(),
        appendix,
    )
}

fn data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/render")
}

fn compare_with_file(name: &str, actual: &str) {
    let path = data_dir().join(name);
    if std::env::var_os("BAOCAO_BLESS").is_some() {
        std::fs::create_dir_all(data_dir()).unwrap();
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (run with BAOCAO_BLESS=1 to write it)",
            path.display()
        )
    });
    if expected != actual {
        let first = expected
            .lines()
            .zip(actual.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(expected.lines().count().min(actual.lines().count()));
        panic!(
            "{name} differs from the reviewed file at line {}:\n  expected: {:?}\n  actual:   {:?}\n(run with BAOCAO_BLESS=1 to rewrite, then review the diff)",
            first + 1,
            expected.lines().nth(first),
            actual.lines().nth(first)
        );
    }
}

/// The parts of a .docx as text.
fn docx_part(bytes: &[u8], name: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a .docx is a zip");
    let mut part = zip
        .by_name(name)
        .unwrap_or_else(|_| panic!("the .docx has no {name}"));
    let mut s = String::new();
    part.read_to_string(&mut s).unwrap();
    s
}

/// The text of every w:t element, in order, one string per paragraph.
fn docx_paragraphs(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    for para in xml.split("</w:p>") {
        let mut text = String::new();
        let mut rest = para;
        while let Some(start) = rest.find("<w:t") {
            let after = &rest[start..];
            let Some(open_end) = after.find('>') else {
                break;
            };
            // Skip <w:tbl…>, <w:tc…>, <w:tr…>, <w:tab…>: only <w:t> and <w:t …>.
            let tag = &after[..open_end];
            let is_text = tag == "<w:t" || tag.starts_with("<w:t ");
            if !is_text || tag.ends_with('/') {
                rest = &after[open_end + 1..];
                continue;
            }
            let body = &after[open_end + 1..];
            let end = body.find("</w:t>").unwrap();
            text.push_str(&unescape(&body[..end]));
            rest = &body[end..];
        }
        if !text.is_empty() {
            out.push(text);
        }
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn assert_no_control(what: &str, s: &str, allow_newline: bool) {
    for (i, c) in s.char_indices() {
        let ok = allow_newline && c == '\n';
        assert!(
            ok || !c.is_control(),
            "{what}: control character U+{:04X} at byte {i}: {:?}",
            c as u32,
            &s[i.saturating_sub(40)..(i + 10).min(s.len())]
        );
    }
}

#[test]
fn text_and_markdown_match_the_reviewed_files() {
    let report = sample();
    let a = appendix();
    let doc = doc_of(&report, Some(&a));
    let text = render::text::render(&doc);
    let md = render::markdown::render(&doc);
    compare_with_file("sample.txt", &text);
    compare_with_file("sample.md", &md);
    for line in text.lines() {
        assert!(
            unicode_width::UnicodeWidthStr::width(line) <= 78,
            "a text line is wider than 78 columns: {line:?}"
        );
    }
}

#[test]
fn text_and_markdown_say_the_same_things_in_the_same_order() {
    let report = sample();
    let a = appendix();
    let doc = doc_of(&report, Some(&a));
    let text = render::text::render(&doc);
    let md = render::markdown::render(&doc);
    // The text wraps lines; compare with spaces and line breaks squeezed.
    let flat = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
    let (text, md) = (flat(&text), flat(&md).replace('\\', ""));
    let mut at_text = 0;
    let mut at_md = 0;
    for block in &doc.body {
        let needle = match block {
            render::Block::Heading { marker, title, .. } => {
                render::Block::heading_text(marker, title)
            }
            render::Block::Paragraph(p)
            | render::Block::Figure(p)
            | render::Block::Missing(p)
            | render::Block::Caption(p)
            | render::Block::Guidance(p) => p.clone(),
            render::Block::Table(t) => t.columns[0].label.clone(),
        };
        let needle = flat(&needle);
        at_text += text[at_text..]
            .find(&needle)
            .unwrap_or_else(|| panic!("not in the text after byte {at_text}: {needle}"));
        at_md += md[at_md..]
            .find(&needle)
            .unwrap_or_else(|| panic!("not in the Markdown after byte {at_md}: {needle}"));
    }
}

#[test]
fn the_document_prints_figures_the_vietnamese_way() {
    let nfd = TEXTS
        .iter()
        .find(|t| t.1 == "tieu_chi_danh_gia_to_chuc_dang")
        .unwrap()
        .2;
    assert!(
        !unicode_normalization::is_nfc(nfd),
        "the sample holds a decomposed answer"
    );
    let report = sample();
    let doc = doc_of(&report, None);
    let text = render::text::render(&doc);
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Số hội nghị, lớp quán triệt, tuyên truyền: 12.",
        "Kinh phí bảo đảm hoạt động của Mặt trận và các đoàn thể: 1.250.000.000 đồng.",
        "Kết nạp mới: Mặt trận Tổ quốc 150, Hội Liên hiệp Phụ nữ 830, Đoàn TNCS Hồ Chí Minh 640, Hội Nông dân 410, Hội Cựu chiến binh 95, Công đoàn 1.020.",
        "Tân Phú, ngày 15 tháng 10 năm 2014",
        "Số 45-BC/HU",
        "ĐẢNG BỘ TỈNH ĐỒNG NAI",
        "Báo cáo này đã được tập thể Ban Thường vụ Huyện ủy thông qua ngày 10 tháng 10 năm 2014.",
        // NFD typed text comes out composed.
        "Kết quả xây dựng Mặt trận, đoàn thể được đưa vào tiêu chí đánh giá",
        // Invalid: kept as typed and said so.
        "3.9 [chưa hợp lệ]",
        // A pasted escape sequence leaves nothing behind.
        "Phong trào thi đua yêu nước đạt nhiều kết quả nổi bật; nhân dân hiến 12.500 m² đất",
    ] {
        assert!(flat.contains(expected), "missing «{expected}» in:\n{text}");
    }
    // The rates table: recomputed from the figures, never averaged.
    let rates = doc
        .body
        .iter()
        .find_map(|b| match b {
            render::Block::Table(t) if t.columns[0].label == "Đối tượng" => Some(t),
            _ => None,
        })
        .expect("a rates table");
    let labels: Vec<&str> = rates.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["Đối tượng", "Số tham gia", "Tổng số", "Tỷ lệ"]);
    assert_eq!(rates.rows[0], ["Cán bộ", "45", "45", "100%"]);
    assert_eq!(rates.rows[1], ["Đảng viên", "1.204", "1.250", "96,3%"]);
    assert_eq!(rates.rows[2], ["Đoàn viên", "3.120", "3.600", "86,7%"]);
    assert_eq!(
        rates.rows[3],
        ["Hội viên", "3.9 [chưa hợp lệ]", "4.100", ""]
    );
    assert_eq!(
        rates.rows.len(),
        4,
        "no row for an audience with no figures"
    );
}

#[test]
fn docx_has_the_party_layout() {
    let report = sample();
    let a = appendix();
    let doc = doc_of(&report, Some(&a));
    let bytes = render::docx::render(&doc);
    let xml = docx_part(&bytes, "word/document.xml");

    // A4 portrait, margins 25/25/35/15 mm, title page, page number.
    assert!(xml.contains(r#"<w:pgSz w:w="11906" w:h="16838""#), "A4");
    for m in [
        r#"w:top="1418""#,
        r#"w:bottom="1418""#,
        r#"w:left="1985""#,
        r#"w:right="851""#,
    ] {
        assert!(xml.contains(m), "margin {m}");
    }
    assert!(xml.contains("<w:titlePg"), "a different first page");
    assert!(xml.contains(r#"w:type="first""#) && xml.contains(r#"w:type="default""#));
    let headers: Vec<String> = (1..=2)
        .map(|n| docx_part(&bytes, &format!("word/header{n}.xml")))
        .collect();
    assert_eq!(
        headers.iter().filter(|h| h.contains(">PAGE<")).count(),
        1,
        "the page number on the default pages only"
    );
    let rels = docx_part(&bytes, "word/_rels/document.xml.rels");
    let first_id = xml
        .split(r#"w:type="first" r:id=""#)
        .nth(1)
        .map(|s| s[..s.find('"').unwrap()].to_string());
    if let Some(id) = first_id {
        let target = rels.split(&format!(r#"Id="{id}""#)).nth(1).unwrap_or("");
        let page_header = headers.iter().position(|h| h.contains(">PAGE<")).unwrap() + 1;
        assert!(
            !target[..target.find("/>").unwrap_or(target.len())]
                .contains(&format!("header{page_header}.xml")),
            "the first page must not show the page number"
        );
    }

    // Times New Roman, 14 pt body, everywhere.
    assert!(xml.contains(r#"w:ascii="Times New Roman""#));
    assert!(!xml.contains("Calibri") && !xml.contains("Arial"));
    assert!(xml.contains(r#"<w:sz w:val="28""#));
    let styles = docx_part(&bytes, "word/styles.xml");
    assert!(styles.contains("Times New Roman") && styles.contains(r#"<w:sz w:val="28""#));

    let paras = docx_paragraphs(&xml);
    let pos = |needle: &str| {
        paras
            .iter()
            .position(|p| p.contains(needle))
            .unwrap_or_else(|| panic!("«{needle}» not in the document: {paras:#?}"))
    };
    // The header blocks, then the title, in that order.
    let order = [
        "ĐẢNG BỘ TỈNH ĐỒNG NAI",
        "HUYỆN UỶ TÂN PHÚ",
        "Số 45-BC/HU",
        "BÁO CÁO",
        "sơ kết 05 năm (2009 - 2014)",
    ];
    let at: Vec<usize> = order.iter().map(|n| pos(n)).collect();
    assert!(at.windows(2).all(|w| w[0] < w[1]), "header order {at:?}");
    assert!(pos("ĐẢNG CỘNG SẢN VIỆT NAM") < pos("BÁO CÁO"));
    assert!(
        paras
            .iter()
            .any(|p| p == "Tân Phú, ngày 15 tháng 10 năm 2014")
    );
    assert!(
        xml.contains("<w:pBdr><w:bottom"),
        "the rule under the national title"
    );

    // Headings in outline order, front matter not among them.
    let mut last = 0;
    for e in outline().entries().iter().filter(|e| !e.item.front_matter) {
        let heading = format!("{} {}", e.item.marker, e.item.title).replace(" (nếu có)", "");
        let p = pos(&heading);
        assert!(p > last, "heading «{heading}» out of order");
        last = p;
    }
    assert!(!paras.iter().any(|p| p.contains("Thông tin chung")));
    // The answers, split into paragraphs, and the tables.
    assert!(
        pos("Nội dung Kết luận được tuyên truyền")
            > pos("Ban Thường vụ Huyện ủy tổ chức hội nghị quán triệt")
    );
    assert!(paras.iter().any(|p| p == "25-KH/HU") && paras.iter().any(|p| p == "02/06/2011"));
    assert!(paras.iter().any(|p| p == "96,3%"));
    assert!(
        paras.iter().any(|p| p == "T/M BAN THƯỜNG VỤ")
            && paras.iter().any(|p| p == "Nguyễn Văn An")
    );
    assert!(paras.iter().any(|p| p == "- Lưu Văn phòng Huyện ủy."));

    // The appendix: on its own page, after the signature, with totals.
    let appendix_at = pos("PHỤ LỤC");
    assert!(appendix_at > pos("Nguyễn Văn An"));
    assert!(xml.contains(r#"<w:pageBreakBefore"#));
    let totals: Vec<usize> = paras
        .iter()
        .enumerate()
        .filter(|(_, p)| *p == "Tổng cộng")
        .map(|(i, _)| i)
        .collect();
    assert_eq!(totals.len(), 2, "six figures make two appendix tables");
    assert_eq!(
        paras[totals[0] + 1..totals[0] + 5],
        ["12", "1.204", "1.250", "96,3%"]
    );
    assert_eq!(paras[totals[1] + 1..totals[1] + 3], ["1.250.000.000", "20"]);
    assert!(paras.iter().any(|p| p == "Kinh phí (đồng)"));

    // Every part of the package is well-formed enough for a zip reader and
    // carries no control character in its text.
    for p in &paras {
        assert_no_control("document.xml text", p, false);
    }
}

#[test]
fn a_draft_says_so_and_a_final_report_does_not() {
    let mut report = Report::new(outline(), commune()).unwrap();
    assert_eq!(report.status, Status::Draft);
    front(&mut report);
    let doc = doc_of(&report, None);
    assert!(doc.draft);
    assert!(render::text::render(&doc).contains("DỰ THẢO"));
    assert!(render::markdown::render(&doc).starts_with("**DỰ THẢO**"));
    let xml = docx_part(&render::docx::render(&doc), "word/document.xml");
    let paras = docx_paragraphs(&xml);
    assert_eq!(paras[0], "DỰ THẢO", "on top of the first page");
    assert_eq!(
        render::docx::file_name(&report),
        "BaoCao-27112-Xa-Tan-Phu-DU-THAO.docx"
    );

    report.status = Status::Final;
    let doc = doc_of(&report, None);
    assert!(!render::text::render(&doc).contains("DỰ THẢO"));
    assert!(!render::markdown::render(&doc).contains("DỰ THẢO"));
    assert!(!docx_part(&render::docx::render(&doc), "word/document.xml").contains("DỰ THẢO"));
    assert_eq!(
        render::docx::file_name(&report),
        "BaoCao-27112-Xa-Tan-Phu.docx"
    );
}

#[test]
fn file_names_are_ascii_and_safe_on_a_usb_stick() {
    let mut unit = commune();
    unit.code = "X_01".into();
    unit.name = "Phường Đông Hòa / Dĩ An: \"mới\"".into();
    let report = Report::new(outline(), unit).unwrap();
    let name = render::docx::file_name(&report);
    assert_eq!(name, "BaoCao-X_01-Phuong-Dong-Hoa-Di-An-moi-DU-THAO.docx");
    assert!(
        name.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    );
}

#[test]
fn an_empty_optional_section_is_left_out_and_a_required_one_is_marked() {
    let mut report = Report::new(outline(), commune()).unwrap();
    front(&mut report);
    put(
        &mut report,
        "A.I.1",
        "hinh_thuc_quan_triet",
        "Học tập theo chi bộ.",
    );
    let doc = doc_of(&report, None);
    let text = render::text::render(&doc);
    let md = render::markdown::render(&doc);
    let xml = docx_part(&render::docx::render(&doc), "word/document.xml");
    for out in [&text, &md, &xml] {
        assert!(
            !out.contains("KIẾN NGHỊ"),
            "the empty optional section C is left out"
        );
        assert!(!out.contains("Đối với Trung ương"));
        assert!(
            out.contains("Một số bài học kinh nghiệm"),
            "a required section stays"
        );
        assert!(
            out.contains("Chưa có nội dung"),
            "and says it has no answer"
        );
    }
    // A.IV has one text field: the plain mark; A.I.1 has two: the mark names the missing one.
    let blocks = &doc.body;
    let iv = blocks
        .iter()
        .position(|b| matches!(b, render::Block::Heading { id, .. } if id == "A.IV"))
        .unwrap();
    assert_eq!(
        blocks[iv + 1],
        render::Block::Missing("[Chưa có nội dung]".into())
    );
    assert!(blocks.contains(&render::Block::Missing(
        "[Chưa có nội dung: Tỷ lệ tham gia và chuyển biến về nhận thức]".into()
    )));
    assert!(
        xml.contains("<w:i />") || xml.contains("<w:i/>"),
        "the mark is in italics"
    );
    // Figures not given are left out, not printed empty.
    assert!(!text.contains("Số hội nghị"));

    // One answer in C.2 brings back C and C.2, not C.1.
    put(&mut report, "C.2", "noi_dung", "Tăng kinh phí.");
    let text = render::text::render(&doc_of(&report, None));
    assert!(
        text.contains("C- KIẾN NGHỊ, ĐỀ XUẤT\n"),
        "without the outline's «(nếu có)»"
    );
    assert!(text.contains("2. Đối với tỉnh."));
    assert!(!text.contains("Đối với Trung ương"));
}

#[test]
fn an_empty_report_renders_with_blanks() {
    let report = Report::new(outline(), commune()).unwrap();
    let doc = doc_of(&report, None);
    let text = render::text::render(&doc);
    assert!(text.contains("Số …"));
    assert!(text.contains("…, ngày … tháng … năm …"));
    assert!(text.contains("T/M BAN THƯỜNG VỤ"), "the default authority");
    let bytes = render::docx::render(&doc);
    assert!(docx_part(&bytes, "word/document.xml").contains("BÁO CÁO"));
}

#[test]
fn no_control_characters_in_any_output() {
    let mut report = sample();
    // Control characters everywhere a person can type.
    put(
        &mut report,
        "front",
        "co_quan",
        "HUYỆN UỶ\u{7} TÂN PHÚ\u{9b}",
    );
    put(
        &mut report,
        "front",
        "noi_nhan",
        "Tỉnh ủy\u{0}\r\n\u{1b}]0;title\u{7}Lưu\u{7f}",
    );
    report.set_value(
        "A.I.2",
        "van_ban",
        json!([{"so_ky_hieu": "1\u{1b}[2J-KH", "ngay_ban_hanh": "01/01/2010", "co_quan": "BTV\u{8}", "trich_yeu": "a\u{202e}b"}]),
    );
    put(&mut report, "B", "phuong_huong", "Một\u{2028}Hai\u{c}Ba");
    let doc = doc_of(&report, Some(&appendix()));
    let text = render::text::render(&doc);
    let md = render::markdown::render(&doc);
    assert_no_control("text", &text, true);
    assert_no_control("markdown", &md, true);
    assert!(
        !text.contains('\u{202e}') && !md.contains('\u{202e}'),
        "no bidi override"
    );
    let bytes = render::docx::render(&doc);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(&bytes)).unwrap();
    for i in 0..zip.len() {
        let mut part = zip.by_index(i).unwrap();
        let name = part.name().to_string();
        let mut s = String::new();
        part.read_to_string(&mut s).unwrap();
        assert_no_control(&name, &s.replace(['\n', '\r', '\t'], " "), false);
    }
    let xml = docx_part(&bytes, "word/document.xml");
    let paras = docx_paragraphs(&xml);
    assert!(
        paras.iter().any(|p| p == "Một"),
        "a line separator starts a new paragraph"
    );
    assert!(paras.iter().any(|p| p == "HUYỆN UỶ TÂN PHÚ"));
}

#[test]
fn merged_table_rows_name_their_unit() {
    let report = sample();
    let merged = json!([
        {"so_ky_hieu": "25-KH/HU", "ngay_ban_hanh": "15/03/2010", "co_quan": "BTV Huyện ủy", "trich_yeu": "Kế hoạch"},
        {"so_ky_hieu": "03-KH/ĐU", "ngay_ban_hanh": "01/04/2010", "co_quan": "Đảng ủy xã", "trich_yeu": "Kế hoạch",
         "_unit_code": "27112", "_unit_name": "Xã Tân Phú"},
        {"so_ky_hieu": "04-KH/ĐU", "ngay_ban_hanh": "31/02/2010", "co_quan": "Đảng ủy thị trấn", "trich_yeu": "Kế hoạch",
         "_unit_code": "27115", "_unit_name": "Thị trấn Tân Phú"}
    ]);
    // At a parent unit the figures are the effective ones, not the report's own.
    let figures = |i: &str, f: &str| {
        if (i, f) == ("A.I.2", "van_ban") {
            Some(merged.clone())
        } else {
            report.value(i, f).cloned()
        }
    };
    let doc = render::document(outline(), &report, &figures, None);
    let table = doc
        .body
        .iter()
        .find_map(|b| match b {
            render::Block::Table(t) if t.columns[0].label == "Đơn vị" => Some(t),
            _ => None,
        })
        .expect("the documents table with a unit column");
    assert_eq!(table.columns.len(), 5);
    assert_eq!(table.rows[0][0], "Huyện Tân Phú", "the district's own row");
    assert_eq!(table.rows[1][..2], ["Xã Tân Phú", "03-KH/ĐU"]);
    assert_eq!(
        table.rows[2][2], "31/02/2010 [chưa hợp lệ]",
        "an impossible date is shown and flagged"
    );
}

#[test]
fn xml_special_characters_survive() {
    let mut report = sample();
    put(
        &mut report,
        "A.IV",
        "noi_dung",
        "Tỷ lệ <50% & \"chưa đạt\" 'rõ'",
    );
    let doc = doc_of(&report, None);
    let xml = docx_part(&render::docx::render(&doc), "word/document.xml");
    assert!(
        docx_paragraphs(&xml)
            .iter()
            .any(|p| p == "Tỷ lệ <50% & \"chưa đạt\" 'rõ'")
    );
    let md = render::markdown::render(&doc);
    assert!(md.contains("Tỷ lệ \\<50% & \"chưa đạt\" 'rõ'"));
}

/// Converts the DOCX to PDF with LibreOffice, where it is installed.
#[test]
fn libreoffice_opens_the_docx() {
    let Some(office) = ["soffice", "libreoffice"].into_iter().find(|p| {
        std::env::var_os("PATH")
            .is_some_and(|paths| std::env::split_paths(&paths).any(|d| d.join(p).is_file()))
    }) else {
        common::skip(
            "libreoffice_opens_the_docx",
            "LibreOffice is not installed (apt-get install libreoffice-writer-nogui)",
        );
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let report = sample();
    let doc = doc_of(&report, Some(&appendix()));
    let docx = dir.path().join(render::docx::file_name(&report));
    std::fs::write(&docx, render::docx::render(&doc)).unwrap();
    let mut child = std::process::Command::new(office)
        .arg(format!(
            "-env:UserInstallation=file://{}/profile",
            dir.path().display()
        ))
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&docx)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("LibreOffice starts");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(180);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            child.kill().ok();
            child.wait().ok();
            panic!("LibreOffice did not finish converting within 3 minutes");
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    assert!(status.success(), "LibreOffice failed: {status}");
    let pdf = docx.with_extension("pdf");
    let bytes = std::fs::read(&pdf).expect("LibreOffice wrote the PDF");
    assert!(bytes.starts_with(b"%PDF"), "not a PDF");
    // To look at the pages: BAOCAO_RENDER_OUT=/some/dir keeps both files.
    if let Some(out) = std::env::var_os("BAOCAO_RENDER_OUT") {
        for f in [&docx, &pdf] {
            std::fs::copy(f, Path::new(&out).join(f.file_name().unwrap())).unwrap();
        }
    }
}

#[test]
fn the_top_level_unit_prints_one_header_line_without_a_superior_body() {
    let province = Unit {
        unit_type: "tinh".into(),
        code: "75".into(),
        name: "Tỉnh ủy Đồng Nai".into(),
        parent_code: None,
        parent_name: None,
    };
    let mut report = Report::new(outline(), province).unwrap();
    put(&mut report, "front", "co_quan", "Tỉnh ủy Đồng Nai");
    let doc = doc_of(&report, None);
    assert_eq!(doc.header.superior, None);
    let text = render::text::render(&doc);
    assert!(text.contains("TỈNH ỦY ĐỒNG NAI"), "{text}");
    let above = text.split("TỈNH ỦY ĐỒNG NAI").next().unwrap();
    assert!(!above.contains('…'), "nothing above the issuer: {above}");
    let xml = docx_part(&render::docx::render(&doc), "word/document.xml");
    let before_issuer = xml.split("TỈNH ỦY ĐỒNG NAI").next().unwrap();
    assert!(
        !before_issuer.contains('…'),
        "no placeholder line in the DOCX"
    );
    // Below the top, a missing superior body still shows as a blank to fill.
    let c = Report::new(outline(), commune()).unwrap();
    assert!(doc_of(&c, None).header.superior.is_some());
}

/// A document with more table rows than a printed document may have
/// (here two communes' documents merged: each within its own limit) is
/// refused before it is laid out, in every format that prints it; the
/// figures still go out as CSV.
#[test]
fn a_document_over_the_printable_size_is_refused_before_it_is_laid_out() {
    let tmp = common::temp_dir();
    let dir = tmp.path();
    let mut district = common::workspace(
        dir,
        "huyen.json",
        common::unit("huyen", "HU01", "Huyện ủy Tân Phú", Some("TINH")),
    );
    let rows_each = render::MAX_TABLE_ROWS / 2 + 1;
    for code in ["27112", "27115"] {
        let mut ws = common::workspace(
            dir,
            &format!("xa-{code}.json"),
            common::unit("xa", code, &format!("Xã {code}"), Some("HU01")),
        );
        let row = json!({
            "so_ky_hieu": "12-KH/ĐU",
            "ngay_ban_hanh": "12/03/2014",
            "co_quan": "Đảng ủy xã",
            "trich_yeu": "Kế hoạch quán triệt Kết luận 62-KL/TW",
        });
        ws.report
            .set_value("A.I.2", "van_ban", Value::Array(vec![row; rows_each]));
        let p = ws.export(&dir.join(format!("{code}.bcpkg"))).unwrap();
        common::list_senders(&mut district, &[&p]);
        let ex = district.examine(&p);
        assert!(ex.verdict.accepted(), "{}", ex.message());
        district.accept(&ex).unwrap();
    }
    baocao::store::save(&district.path, &district.report).unwrap();
    match render::for_print(&district) {
        Err(render::RenderError::TooManyRows { rows, limit }) => {
            assert!(
                rows > limit && limit == render::MAX_TABLE_ROWS,
                "{rows} {limit}"
            )
        }
        other => panic!("not refused: {:?}", other.map(|d| d.size())),
    }
    let out = dir.join("in");
    std::fs::create_dir_all(&out).unwrap();
    for format in ["docx", "md", "txt"] {
        common::baocao()
            .args(["--json", "render", "--format", format, "--out"])
            .arg(&out)
            .arg("--data")
            .arg(&district.path)
            .out()
            .fails_with("render.too_many_rows");
    }
    assert_eq!(
        std::fs::read_dir(&out).unwrap().count(),
        0,
        "nothing written"
    );
    common::en()
        .args(["render", "--format", "docx", "--out"])
        .arg(&out)
        .arg("--data")
        .arg(&district.path)
        .out()
        .fails()
        .stderr_has("over the 20000 rows a printed document may have");
    common::baocao()
        .args(["render", "--format", "csv", "--out"])
        .arg(&out)
        .arg("--data")
        .arg(&district.path)
        .out()
        .ok();
    common::vi()
        .args(["render", "--format", "txt", "--out"])
        .arg(&out)
        .arg("--data")
        .arg(&district.path)
        .out()
        .fails()
        .stderr_has("quá giới hạn 20.000 dòng của một văn bản in; chưa in.");
}
