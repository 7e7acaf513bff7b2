//! Commands on the unit's own report: create it, see where it stands, fill
//! it from a file, restore a backup, approve it or reopen it.

use super::{CliError, Ctx, InitArgs, OverrideCommand, print_json, workspace, workspace_mut};
use crate::error::{Coded, Result};
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
    let fingerprint = crate::store::key::read_key(path)?.public().fingerprint();
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
    println!(
        "{}",
        t!(
            "Khóa chữ ký của đơn vị: dấu vân tay {fingerprint} (xem lại: baocao keys). Đọc dấu vân tay này cho cấp trên qua điện thoại.",
            "The unit's signing key: fingerprint {fingerprint} (see it again: baocao keys). Read this fingerprint to the parent unit on the phone."
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
    let mut ws = workspace(cx)?;
    // Seen as they would be saved: figures set by hand noted.
    ws.sync_overrides();
    let ws = ws;
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
            "approval": report.approval(),
            "approval_holds": ws.check_approval().is_ok(),
            "approval_history": report.approval_history,
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
        if report.unit.parent_code.is_some() {
            out["receipts"] = json!(
                report
                    .receipts
                    .iter()
                    .map(|r| json!({
                        "revision": r.revision,
                        "state": r.state,
                        "reason": r.reason.as_ref().map(|x| x.message.as_str()),
                        "reason_code": r.reason.as_ref().map(|x| x.code.as_str()),
                        "at": r.received_at,
                    }))
                    .collect::<Vec<_>>()
            );
        }
        if ws.report.is_parent(outline) {
            out["figures"] = json!(figures_json(&ws));
            out["overrides"] = json!(overrides_json(&ws));
            // Received packages that cannot be read: counted nowhere.
            out["damaged"] = json!(
                ws.damaged
                    .iter()
                    .map(|d| json!({
                        "code": d.received.code,
                        "name": d.received.name,
                        "revision": d.received.revision,
                        "file": d.received.file,
                        "reason": d.reason.code(),
                        "message": d.to_string(),
                    }))
                    .collect::<Vec<_>>()
            );
            out["children"] = json!(
                subs.iter()
                    .map(|s| json!({
                        "code": s.code,
                        "name": s.name,
                        "type": s.unit_type,
                        "state": s.state.as_str(),
                        "days_late": s.days_late,
                        "deadline": s.deadline.map(crate::vnfmt::format_date),
                        "deadline_kind": s.deadline_kind,
                        "sent_on": s.received.as_ref().map(|r| crate::vnfmt::format_date(r.sent_day())),
                        "revision": s.received.as_ref().map(|r| r.revision),
                        "status": s.received.as_ref().map(|r| r.status),
                        "complete_percent": s.received.as_ref().map(|r| r.complete_percent),
                        "received_at": s.received.as_ref().map(|r| r.received_at.to_rfc3339()),
                        "unexpected": s.unexpected,
                        "invalid": child_invalid(&ws, &s.code),
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
    if let Some(line) = ws.receipt_line(crate::i18n::lang()) {
        println!("{}", safe(&line));
    }
    if let Some(a) = report.approval() {
        println!(
            "{}",
            t!(
                "Thông qua: {}, ngày {}",
                "Approved: by {}, on {}",
                safe(&a.by),
                a.on
            )
        );
        if let Some(i) = &a.incomplete {
            println!(
                "{}",
                t!(
                    "  thông qua khi mới hoàn thành {}%, lý do: {}",
                    "  approved at {}% complete, because: {}",
                    i.percent,
                    safe(&i.reason)
                )
            );
        }
        if let Err(e) = ws.check_approval() {
            println!("⚠ {}", safe(&e.to_string()));
        }
    }
    if !report.approval_history.is_empty() {
        println!(
            "{}",
            t!(
                "Đã mở lại sau thông qua: {} lần (baocao status --json: approval_history)",
                "Reopened after approval: {} times (baocao status --json: approval_history)",
                report.approval_history.len()
            )
        );
    }
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
        if !ws.damaged.is_empty() {
            println!();
            println!(
                "{}:",
                tr(
                    "Gói đã nhận bị hỏng (không tính vào số liệu nào)",
                    "Received packages that are damaged (counted in no figure)"
                )
            );
            for d in &ws.damaged {
                println!("  {}", safe(&d.to_string()));
            }
        }
        print_figures(&ws);
        println!();
        super::packages::print_submissions(&subs);
    }
    Ok(())
}

/// Every figure merged from below: its value, which units it covers, and
/// whether it was set by hand.
fn figures_json(ws: &crate::workspace::Workspace) -> Vec<Value> {
    let merged = ws.aggregate();
    let stale = ws.stale_overrides();
    let mut out = Vec::new();
    for (item, fields) in &merged.coverage {
        for (field, c) in fields {
            let by_hand = ws
                .report
                .overrides
                .get(item)
                .is_some_and(|m| m.contains_key(field));
            out.push(json!({
                "item": item,
                "field": field,
                "value": merged.value(item, field),
                "counted": c.counted.len(),
                "of": c.of,
                "complete": c.complete(),
                "left_out": c.left_out.iter().map(|(code, why)| json!({
                    "code": code,
                    "reason": <&str>::from(why),
                    "message": match why {
                        crate::merge::LeftOut::Invalid(i) => i.to_string(),
                        _ => String::new(),
                    },
                })).collect::<Vec<_>>(),
                "missing": c.missing,
                "set_by_hand": by_hand,
                "stale": stale.iter().any(|s| s.item == *item && s.field == *field),
            }));
        }
    }
    out
}

fn overrides_json(ws: &crate::workspace::Workspace) -> Vec<Value> {
    let stale = ws.stale_overrides();
    ws.report
        .overrides
        .iter()
        .flat_map(|(item, fields)| fields.iter().map(move |(field, o)| (item, field, o)))
        .map(|(item, field, o)| {
            json!({
                "item": item,
                "field": field,
                "value": ws.report.value(item, field),
                "computed": o.computed,
                "now": ws.aggregate().value(item, field),
                "reason": o.reason,
                "at": o.at.to_rfc3339(),
                "stale": stale.iter().any(|s| s.item == *item && s.field == *field),
            })
        })
        .collect()
}

/// A child's fields its own rules refuse, as the parent sees them.
fn child_invalid(ws: &crate::workspace::Workspace, code: &str) -> Vec<Value> {
    ws.children
        .iter()
        .find(|c| c.received.code == code)
        .map(|c| crate::report::invalid_of(&ws.outline, &c.package.answers))
        .unwrap_or_default()
        .iter()
        .map(|(i, f, m)| json!({"item": i, "field": f, "reason": <&str>::from(m), "message": m.to_string()}))
        .collect()
}

/// The figures that cover only some units, and those set by hand.
fn print_figures(ws: &crate::workspace::Workspace) {
    let safe = |s: &str| crate::text::printable(s, false);
    let merged = ws.aggregate();
    let name = |code: &str| {
        ws.children
            .iter()
            .find(|c| c.received.code == code)
            .map_or(code.to_string(), |c| c.received.name.clone())
    };
    let short: Vec<_> = merged
        .coverage
        .iter()
        .flat_map(|(i, fs)| fs.iter().map(move |(f, c)| (i, f, c)))
        // A figure no unit gave is no figure; one that some units gave,
        // or that left a unit out, must say whom it lacks.
        .filter(|(.., c)| !c.complete() && (!c.counted.is_empty() || !c.left_out.is_empty()))
        .collect();
    if !short.is_empty() {
        println!();
        println!(
            "{}:",
            tr(
                "Số liệu chưa đủ (không tính các đơn vị dưới đây)",
                "Figures short of units (the units below are not counted)"
            )
        );
        for (item, field, c) in short {
            let mut left: Vec<String> = c
                .left_out
                .iter()
                .map(|(code, why)| {
                    let why = match why {
                        crate::merge::LeftOut::Invalid(i) => i.to_string(),
                        crate::merge::LeftOut::PartOnly => {
                            tr("thiếu mẫu số", "no whole").to_string()
                        }
                        crate::merge::LeftOut::WholeOnly => {
                            tr("thiếu tử số", "no part").to_string()
                        }
                    };
                    format!("{} ({why})", safe(&name(code)))
                })
                .collect();
            left.extend(
                c.missing
                    .iter()
                    .map(|code| format!("{} ({})", safe(&name(code)), tr("chưa có", "none"))),
            );
            let line = format!(
                "  {item} / {field}: {}/{} {} — {}",
                c.counted.len(),
                c.of,
                tr("đơn vị", "units"),
                left.join("; ")
            );
            println!("{}", safe(&line));
        }
    }
    let stale = ws.stale_overrides();
    if !ws.report.overrides.is_empty() {
        println!();
        println!("{}:", tr("Số ghi tay", "Figures set by hand"));
        for (item, fields) in &ws.report.overrides {
            for field in fields.keys() {
                let show =
                    |v: Option<&Value>| v.map(Value::to_string).unwrap_or_else(|| "—".into());
                let mut line = format!(
                    "  {item} / {field}: {} ({} {})",
                    show(ws.report.value(item, field)),
                    tr("tổng hợp", "merged"),
                    show(merged.value(item, field))
                );
                if let Some(s) = stale.iter().find(|s| s.item == *item && s.field == *field) {
                    line.push_str(&t!(
                        " — CẦN XEM LẠI: lúc ghi tay số tổng hợp là {}",
                        " — TO REVIEW: the merged figure was {} when it was set",
                        show(s.was.as_ref())
                    ));
                }
                println!("{}", safe(&line));
            }
        }
    }
}

pub(super) fn fill(cx: &Ctx, from: &Path) -> Result<()> {
    let text = crate::file::read_to_string(from)?;
    // Notepad and Excel start a UTF-8 file with a BOM, which JSON has not.
    let json = text.strip_prefix('\u{feff}').unwrap_or(&text);
    let input: Value = serde_json::from_str(json).map_err(|e| CliError::AnswersNotJson {
        file: from.to_path_buf(),
        line: e.line(),
        column: e.column(),
    })?;
    let (store, mut ws) = workspace_mut(cx)?;
    ws.ensure_draft()?;
    let n = ws
        .report
        .fill(&ws.outline, &input)
        .map_err(|problems| match problems {
            crate::report::FillError::NotAnObject => CliError::AnswersShape {
                file: from.to_path_buf(),
            },
            crate::report::FillError::Fields(errors) => CliError::FillRefused {
                file: from.to_path_buf(),
                errors,
            },
        })?;
    // A figure typed over a merged one is noted as set by hand.
    ws.sync_overrides();
    store.save(&ws.report)?;
    let p = ws.progress();
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

pub(super) fn finalize(cx: &Ctx, req: &crate::approval::Request) -> Result<()> {
    let (store, mut ws) = workspace_mut(cx)?;
    ws.finalize(req, chrono::Local::now().date_naive())?;
    store.save(&ws.report)?;
    let a = ws.report.approval().expect("just approved");
    let note = match &a.incomplete {
        Some(i) => t!(
            " Thông qua khi mới hoàn thành {}%; lý do được ghi và in trong báo cáo: {}",
            " Approved at {}% complete; the reason is recorded and printed in the report: {}",
            i.percent,
            crate::text::printable(&i.reason, false)
        ),
        None => String::new(),
    };
    println!(
        "{}",
        t!(
            "Đã ghi nhận {} thông qua ngày {}; báo cáo là bản chính thức và không sửa được nữa (muốn sửa: baocao reopen).{note}",
            "Recorded the approval by {} on {}; the report is final and can no longer change (to change it: baocao reopen).{note}",
            crate::text::printable(&a.by, false),
            a.on
        )
    );
    Ok(())
}

pub(super) fn reopen(cx: &Ctx, reason: Option<&str>) -> Result<()> {
    let (store, mut ws) = workspace_mut(cx)?;
    ws.reopen(reason)?;
    store.save(&ws.report)?;
    println!(
        "{}",
        t!(
            "Báo cáo đã trở lại dự thảo; lần thông qua trước được giữ trong lịch sử. Sửa xong, cần thông qua lại (baocao finalize).",
            "The report is a draft again; the earlier approval is kept in its history. Once changed, approve it again (baocao finalize)."
        )
    );
    Ok(())
}

/// `override set|confirm|clear`: figures set by hand at a parent.
pub(super) fn override_figure(cx: &Ctx, command: OverrideCommand) -> Result<()> {
    let (store, mut ws) = workspace_mut(cx)?;
    ws.ensure_draft()?;
    let said = match command {
        OverrideCommand::Set {
            item,
            field,
            value,
            reason,
        } => {
            let mut answers = serde_json::Map::new();
            answers.insert(field.clone(), Value::String(value));
            let mut input = serde_json::Map::new();
            input.insert(item.clone(), Value::Object(answers));
            ws.report.fill(&ws.outline, &Value::Object(input)).map_err(
                |problems| match problems {
                    crate::report::FillError::Fields(errors) => CliError::FillRefused {
                        file: std::path::PathBuf::from(format!("{item} / {field}")),
                        errors,
                    },
                    crate::report::FillError::NotAnObject => unreachable!("an object was given"),
                },
            )?;
            ws.sync_overrides();
            if !ws
                .report
                .overrides
                .get(&item)
                .is_some_and(|m| m.contains_key(&field))
            {
                // Set, but nothing is merged there: it is the unit's own figure.
                t!(
                    "Đã ghi {item} / {field}. Chưa có số tổng hợp từ cấp dưới ở đây, nên đây là số của chính đơn vị.",
                    "Set {item} / {field}. Nothing is merged from below there yet, so it is the unit's own figure."
                )
            } else {
                ws.confirm_override(&item, &field, reason.as_deref())?;
                t!(
                    "Đã ghi tay {item} / {field}; gói gửi lên sẽ ghi rõ đây là số ghi tay.",
                    "Set {item} / {field} by hand; the package sent upward marks it so."
                )
            }
        }
        OverrideCommand::Confirm {
            item,
            field,
            reason,
        } => {
            ws.confirm_override(&item, &field, reason.as_deref())?;
            t!(
                "Đã giữ số ghi tay ở {item} / {field} so với số tổng hợp hiện nay.",
                "Kept the figure set by hand at {item} / {field} over the merged figure of now."
            )
        }
        OverrideCommand::Clear { item, field } => {
            ws.clear_override(&item, &field)?;
            t!(
                "Đã bỏ số ghi tay ở {item} / {field}; dùng lại số tổng hợp từ cấp dưới.",
                "Cleared the figure set by hand at {item} / {field}; the merged figure is used again."
            )
        }
    };
    store.save(&ws.report)?;
    println!("{}", crate::text::printable(&said, false));
    Ok(())
}
