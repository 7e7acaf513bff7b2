//! Commands on the unit's own report: create it, see where it stands, fill
//! it from a file, restore a backup, approve it or reopen it.

use super::{CliError, Ctx, InitArgs, print_json, workspace, workspace_mut};
use crate::error::{Result, io_error};
use crate::i18n::tr;
use crate::outline::Outline;
use crate::report::Unit;
use crate::store::{self, Store};
use crate::t;
use crate::validate::{self, Mark};
use serde_json::{Value, json};
use std::path::Path;

pub(super) fn init(cx: &Ctx, a: InitArgs) -> Result<()> {
    let path = &cx.data;
    let given = cx.given.as_ref();
    let outline = given
        .cloned()
        .unwrap_or_else(|| Outline::embedded().clone());
    let unit = Unit {
        unit_type: a.unit_type,
        code: a.code,
        name: a.name,
        parent_code: a.parent_code,
        parent_name: a.parent_name,
    };
    let report = Store::lock_only(path)?.create(&outline, unit, a.force)?;
    println!(
        "{}",
        t!(
            "Đã tạo báo cáo cho {} ({}) ở {}. Mở để điền: baocao --data {}",
            "Created the report for {} ({}) at {}. Open it to fill in: baocao --data {}",
            report.unit.name,
            report.unit.code,
            path.display(),
            path.display()
        )
    );
    Ok(())
}

fn mark_name(m: Mark) -> &'static str {
    match m {
        Mark::Done => "done",
        Mark::Partial => "partial",
        Mark::Empty => "empty",
        Mark::Invalid => "invalid",
        Mark::Heading => "heading",
    }
}

pub(super) fn status(cx: &Ctx) -> Result<()> {
    let json = cx.json;
    let ws = workspace(cx)?;
    let (report, outline) = (&ws.report, &ws.outline);
    let answers = ws.effective();
    let progress = crate::report::progress_of(outline, &answers);
    let invalid = crate::report::invalid_of(outline, &answers);
    let subs = ws.submissions(chrono::Local::now().date_naive());
    let entries = outline.entries();
    let items: Vec<_> = entries
        .iter()
        .map(|e| {
            let p = validate::item_progress(e.item, answers.get(&e.item.id));
            (e, p, Mark::of(p, !e.item.fields.is_empty()))
        })
        .collect();
    if json {
        let mut out = json!({
            "unit": report.unit,
            "outline": report.outline,
            "status": report.status,
            "complete_percent": progress.percent(),
            "required": progress.required,
            "answered": progress.answered,
            "items": items.iter().map(|(e, p, m)| json!({
                "id": e.item.id, "number": e.item.number, "title": e.item.title,
                "mark": mark_name(*m), "required": p.required, "answered": p.answered, "invalid": p.invalid,
            })).collect::<Vec<_>>(),
            "invalid": invalid.iter().map(|(i, f, m)| json!({"item": i, "field": f, "reason": <&str>::from(m), "message": m.to_string()})).collect::<Vec<_>>(),
        });
        out["revision"] = json!(report.last_export.as_ref().map_or(0, |l| l.revision));
        if ws.report.is_parent(outline) {
            out["children"] = json!(
                subs.iter()
                    .map(|s| json!({
                        "code": s.code,
                        "name": s.name,
                        "type": s.unit_type,
                        "state": s.state.as_str(),
                        "days_late": s.days_late,
                        "deadline": s.deadline.map(crate::vnfmt::format_date),
                        "revision": s.received.as_ref().map(|r| r.revision),
                        "status": s.received.as_ref().map(|r| r.status),
                        "complete_percent": s.received.as_ref().map(|r| r.complete_percent),
                        "received_at": s.received.as_ref().map(|r| r.received_at.to_rfc3339()),
                        "unexpected": s.unexpected,
                    }))
                    .collect::<Vec<_>>()
            );
        }
        print_json(&out);
        return Ok(());
    }
    let safe = |s: &str| crate::text::printable(s, false);
    println!(
        "{}: {} ({})",
        tr("Đơn vị", "Unit"),
        safe(&report.unit.name),
        safe(&report.unit.code)
    );
    if let Some(ut) = outline.unit_type(&report.unit.unit_type) {
        println!("{}: {}", tr("Loại", "Type"), safe(&ut.name));
    }
    if let Some(pc) = &report.unit.parent_code {
        let pn = report.unit.parent_name.as_deref().unwrap_or("");
        println!(
            "{}: {} ({})",
            tr("Cấp trên", "Reports to"),
            safe(pn),
            safe(pc)
        );
    }
    println!(
        "{}: {} ({}, {} {})",
        tr("Đề cương", "Outline"),
        safe(&outline.short_title),
        safe(&outline.id),
        tr("phiên bản", "version"),
        safe(&outline.version)
    );
    println!("{}: {}", tr("Trạng thái", "Status"), report.status.label());
    println!(
        "{}: {}% ({}/{} {})",
        tr("Hoàn thành", "Complete"),
        progress.percent(),
        progress.answered,
        progress.required,
        tr("trường bắt buộc", "required fields")
    );
    println!();
    for (e, p, m) in &items {
        let indent = "  ".repeat(e.depth);
        let count = if p.required > 0 {
            format!("  {}/{}", p.answered, p.required)
        } else {
            String::new()
        };
        println!(
            "{} {indent}{:<8} {}{count}",
            m.symbol(),
            safe(&e.item.id),
            safe(&e.item.title)
        );
    }
    if !invalid.is_empty() {
        println!();
        println!("{}:", tr("Trường không hợp lệ", "Invalid fields"));
        for (i, f, m) in &invalid {
            println!("  {i} / {f}: {}", safe(&m.to_string()));
        }
    }
    if ws.report.is_parent(outline) {
        println!();
        super::packages::print_submissions(&subs);
    }
    Ok(())
}

pub(super) fn fill(cx: &Ctx, from: &Path) -> Result<()> {
    let path = &cx.data;
    let given = cx.given.as_ref();
    let text = std::fs::read_to_string(from)
        .map_err(|e| io_error(crate::error::IoAction::Read, from, e))?;
    let input: Value = serde_json::from_str(&text).map_err(|e| CliError::AnswersNotJson {
        file: from.to_path_buf(),
        line: e.line(),
        column: e.column(),
    })?;
    let (store, mut report) = Store::open(path)?;
    let outline = report.outline(given)?;
    let n = report
        .fill(&outline, &input)
        .map_err(|problems| match problems {
            crate::report::FillError::NotAnObject => CliError::AnswersShape {
                file: from.to_path_buf(),
            },
            crate::report::FillError::Fields(errors) => CliError::FillRefused {
                file: from.to_path_buf(),
                errors,
            },
        })?;
    store.save(&report)?;
    let p = report.progress(&outline);
    println!(
        "{}",
        t!(
            "Đã điền {n} trường. Hoàn thành {}%.",
            "Filled {n} fields. {}% complete.",
            p.percent()
        )
    );
    Ok(())
}

pub(super) fn restore(cx: &Ctx, list: bool, name: Option<&str>) -> Result<()> {
    let path = &cx.data;
    if list {
        let all = store::backups(path);
        if all.is_empty() {
            println!(
                "{}",
                t!(
                    "Chưa có bản sao lưu nào cho {}.",
                    "There are no backups of {} yet.",
                    path.display()
                )
            );
        }
        for b in all {
            match &b.report {
                Ok(r) => println!(
                    "{}  {}  {} ({})  {}",
                    b.name,
                    tr("tốt", "good"),
                    crate::text::printable(&r.unit.name, false),
                    crate::text::printable(&r.unit.code, false),
                    r.updated_at.format("%d/%m/%Y %H:%M:%S")
                ),
                Err(e) => println!(
                    "{}  {}: {}",
                    b.name,
                    tr("hỏng", "damaged"),
                    crate::text::printable(&e.to_string(), false)
                ),
            }
        }
        return Ok(());
    }
    let _store = Store::lock_only(path)?;
    let from = store::restore(path, name)?;
    println!(
        "{}",
        t!(
            "Đã khôi phục {} từ {}. Bản trước đó được giữ trong thư mục sao lưu.",
            "Restored {} from {}. The previous file is kept among the backups.",
            path.display(),
            from.display()
        )
    );
    Ok(())
}

pub(super) fn finalize(cx: &Ctx, by: &str, on: &str) -> Result<()> {
    let (store, mut ws) = workspace_mut(cx)?;
    ws.finalize(by, on)?;
    store.save(&ws.report)?;
    let p = ws.progress();
    let note = if p.percent() < 100 {
        t!(
            " Lưu ý: mới hoàn thành {}%.",
            " Note: only {}% complete.",
            p.percent()
        )
    } else {
        String::new()
    };
    println!(
        "{}",
        t!(
            "Báo cáo đã được ghi nhận thông qua và chuyển thành bản chính thức.{note}",
            "The approval is recorded and the report is now final.{note}"
        )
    );
    Ok(())
}

pub(super) fn reopen(cx: &Ctx) -> Result<()> {
    let (store, mut ws) = workspace_mut(cx)?;
    ws.report.status = crate::report::Status::Draft;
    ws.report.updated_at = chrono::Local::now();
    store.save(&ws.report)?;
    println!(
        "{}",
        t!(
            "Báo cáo đã trở lại dự thảo.",
            "The report is a draft again."
        )
    );
    Ok(())
}
