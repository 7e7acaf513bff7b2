//! `baocao demo`: a sample district with its communes, to try the whole
//! round in a minute — import, review, status, render.

use crate::error::{Result, io_error};
use crate::i18n::{Lang, Localized};
use crate::outline::{Kind, Outline};
use crate::report::{Report, Unit};
use crate::t;
use crate::tl;
use crate::workspace::Workspace;
use serde_json::{Value, json};
use std::path::Path;

struct Commune {
    code: &'static str,
    name: &'static str,
    /// Days from today to its deadline (negative: already past).
    deadline_in: i64,
    sends: bool,
}

const COMMUNES: &[Commune] = &[
    Commune {
        code: "27112",
        name: "Xã Phú Lâm",
        deadline_in: 5,
        sends: true,
    },
    Commune {
        code: "27115",
        name: "Xã Phú Bình",
        deadline_in: 5,
        sends: true,
    },
    Commune {
        code: "27118",
        name: "Thị trấn Tân Phú",
        deadline_in: -2,
        sends: true,
    },
    Commune {
        code: "27121",
        name: "Xã Nam Cát Tiên",
        deadline_in: 5,
        sends: false,
    },
];

/// A filled commune report: every required text, the figures varied by `n`.
fn filled(outline: &Outline, unit: Unit, n: i64) -> Result<Report> {
    let mut r = Report::new(outline, unit)?;
    let name = r.unit.name.clone();
    let front = [
        ("cap_tren", "ĐẢNG BỘ HUYỆN TÂN PHÚ".to_string()),
        ("co_quan", format!("ĐẢNG ỦY {}", name.to_uppercase())),
        ("so_ky_hieu", format!("{}-BC/ĐU", 10 + n)),
        ("dia_danh", name.replace("Xã ", "").replace("Thị trấn ", "")),
        ("ngay", "30/09/2014".to_string()),
        ("chuc_vu", "BÍ THƯ".to_string()),
        (
            "nguoi_ky",
            ["Nguyễn Văn An", "Trần Thị Bình", "Lê Văn Cường"][n as usize % 3].to_string(),
        ),
        (
            "noi_nhan",
            "- Ban Thường vụ Huyện ủy (qua Ban Dân vận);\n- Lưu Văn phòng Đảng ủy.".to_string(),
        ),
    ];
    for (f, v) in front {
        r.set_value("front", f, Value::String(v));
    }
    for e in outline.entries() {
        for f in &e.item.fields {
            let value = match f.kind {
                Kind::Text if !e.item.front_matter && f.required => json!(format!(
                    "{name}: {} (mục {}). Các chi bộ đã quán triệt đầy đủ, cán bộ, đảng viên đồng tình, hưởng ứng.",
                    f.label, e.item.id
                )),
                Kind::Integer if f.id.ends_with("_tong_so") => json!(400 * (n + 1) + 35 * n),
                Kind::Integer if f.id.ends_with("_tham_gia") => json!(380 * (n + 1) + 20 * n),
                Kind::Integer => json!(3 + 2 * n),
                Kind::Money => json!(15_000_000 + 2_500_000 * n),
                Kind::Table => json!([{
                    "so_ky_hieu": format!("{}-NQ/ĐU", 5 + n),
                    "ngay_ban_hanh": "15/03/2010",
                    "co_quan": format!("Đảng ủy {}", name.replace("Xã ", "xã ")),
                    "trich_yeu": "Nghị quyết chuyên đề về đổi mới nội dung, phương thức hoạt động của Mặt trận và các đoàn thể",
                }]),
                _ => continue,
            };
            r.set_value(&e.item.id, &f.id, value);
        }
    }
    Ok(r)
}

/// Why no sample was made.
#[derive(Debug, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum DemoError {
    /// The sample goes into an empty folder only, never over someone's files.
    FolderNotEmpty { dir: std::path::PathBuf },
}

impl Localized for DemoError {
    fn localized(&self, lang: Lang) -> String {
        match self {
            DemoError::FolderNotEmpty { dir } => tl!(
                lang,
                "Thư mục {} đã có dữ liệu; hãy chọn thư mục khác: baocao demo THƯ_MỤC",
                "The folder {} is not empty; choose another: baocao demo FOLDER",
                dir.display()
            ),
        }
    }
}

crate::coded!(DemoError => "demo");

pub fn run(dir: &Path) -> Result<()> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map(|mut d| d.next().is_some())
            .unwrap_or(false)
    {
        return Err(DemoError::FolderNotEmpty {
            dir: dir.to_path_buf(),
        }
        .into());
    }
    let mk = |p: &Path| {
        std::fs::create_dir_all(p).map_err(|e| io_error(crate::error::IoAction::CreateFolder, p, e))
    };
    let usb = dir.join("usb");
    mk(&usb)?;
    mk(&dir.join("xa"))?;
    let outline = Outline::embedded().clone();
    let district = Unit {
        unit_type: "huyen".into(),
        code: "HU-TP".into(),
        name: "Huyện ủy Tân Phú".into(),
        parent_code: Some("TU-DN".into()),
        parent_name: Some("Tỉnh ủy Đồng Nai".into()),
    };
    let today = chrono::Local::now().date_naive();
    for (n, c) in COMMUNES.iter().enumerate() {
        let unit = Unit {
            unit_type: "xa".into(),
            code: c.code.into(),
            name: c.name.into(),
            parent_code: Some(district.code.clone()),
            parent_name: Some(district.name.clone()),
        };
        let path = dir.join("xa").join(format!("{}.json", c.code));
        let report = filled(&outline, unit, n as i64)?;
        crate::store::save(&path, &report)?;
        if c.sends {
            let mut ws = Workspace::new(&path, outline.clone(), report)?;
            if n == 0 {
                // One commune sends its approved report, the others drafts.
                let approval = crate::approval::Request {
                    by: "Ban Thường vụ Đảng ủy".into(),
                    on: "26/09/2014".into(),
                    incomplete_reason: None,
                };
                ws.finalize(&approval, today)?;
            }
            ws.export(&usb)?;
            crate::store::save(&path, &ws.report)?;
        }
    }
    let district_path = dir.join("huyen.json");
    let mut report = Report::new(&outline, district)?;
    for (f, v) in [
        ("cap_tren", "ĐẢNG BỘ TỈNH ĐỒNG NAI"),
        ("co_quan", "HUYỆN ỦY TÂN PHÚ"),
        ("so_ky_hieu", "45-BC/HU"),
        ("dia_danh", "Tân Phú"),
        ("ngay", "15/10/2014"),
        ("chuc_vu", "PHÓ BÍ THƯ"),
        ("nguoi_ky", "Dương Văn An"),
    ] {
        report.set_value("front", f, Value::String(v.into()));
    }
    let mut ws = Workspace::new(&district_path, outline, report)?;
    for c in COMMUNES {
        let deadline = crate::vnfmt::format_date(today + chrono::Duration::days(c.deadline_in));
        ws.add_child(c.code, c.name, None, Some(&deadline))?;
    }
    crate::store::save(&district_path, &ws.report)?;
    let d = district_path.display();
    let u = usb.display();
    println!(
        "{}",
        t!(
            "Đã tạo bộ mẫu trong {}:\n  {d}  báo cáo của Huyện ủy Tân Phú (4 xã phải nộp)\n  {u}/  gói của 3 xã, như chép từ USB\n\nThử tiếp:\n  baocao --data {d} import {u}/*.bcpkg\n  baocao --data {d} status\n  baocao --data {d}            (giao diện: F7 xem ai đã nộp, F6 nhận gói)\n  baocao --data {d} render --format csv --out -",
            "Created a sample in {}:\n  {d}  the report of Huyện ủy Tân Phú (4 communes expected)\n  {u}/  the packages of 3 communes, as copied from a USB stick\n\nTry next:\n  baocao --data {d} import {u}/*.bcpkg\n  baocao --data {d} status\n  baocao --data {d}            (the UI: F7 who sent, F6 import)\n  baocao --data {d} render --format csv --out -",
            dir.display()
        )
    );
    Ok(())
}
