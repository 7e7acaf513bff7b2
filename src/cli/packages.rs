//! Packages between levels: export one upward, verify files, keep the
//! list of units expected here, and take their packages in.

use super::{ChildrenCommand, CliError, Ctx, print_json, workspace, workspace_mut};
use crate::error::{Error, Result};
use crate::i18n::tr;
use crate::outline::Outline;
use crate::outline::OutlineDifference;
use crate::store;
use crate::t;
use crate::workspace::{State, Submission};
use serde_json::{Value, json};
use std::path::PathBuf;

pub(super) fn export(cx: &Ctx, out: Option<PathBuf>) -> Result<()> {
    let (store, mut ws) = workspace_mut(cx)?;
    let before = (ws.report.last_export.clone(), ws.report.sent.len());
    let target = ws.export(&out.unwrap_or_else(|| PathBuf::from(".")))?;
    if (ws.report.last_export.clone(), ws.report.sent.len()) != before {
        store.save(&ws.report)?;
    }
    let revision = ws.report.last_export.as_ref().map_or(1, |l| l.revision);
    let p = ws.progress();
    println!("{}", target.display());
    let draft = if ws.report.status == crate::report::Status::Draft {
        t!(
            " Đây là bản DỰ THẢO (chưa thông qua tập thể).",
            " This is a DRAFT (not yet approved)."
        )
    } else {
        String::new()
    };
    eprintln!(
        "{}",
        t!(
            "Đã xuất gói lần gửi {revision}, hoàn thành {}%.{draft} Chép tệp này vào USB hoặc gửi thư cho cấp trên.",
            "Exported revision {revision}, {}% complete.{draft} Copy this file to a USB stick or email it upward.",
            p.percent()
        )
    );
    let unsigned = ws.unsigned_children();
    if !unsigned.is_empty() {
        let who = unsigned
            .iter()
            .map(|(name, code)| {
                format!(
                    "{} ({})",
                    crate::text::printable(name, false),
                    crate::text::printable(code, false)
                )
            })
            .collect::<Vec<_>>()
            .join(", ");
        eprintln!(
            "{}",
            t!(
                "Lưu ý: gói của {who} được nhận bằng phiên bản baocao cũ, không có chữ ký; cấp trên sẽ không nhận gói tổng hợp có gói chưa ký. Đề nghị các đơn vị đó cập nhật baocao, xuất lại gói và gửi lại; nhận lại gói của họ rồi xuất lại gói này.",
                "Note: the packages of {who} were taken in by an old version of baocao and have no signature; the parent will refuse a merged package that holds unsigned ones. Ask those units to update baocao, export again and send again; import their packages, then export this one again."
            )
        );
    }
    Ok(())
}

/// `keys`: the unit's fingerprint on stdout (what is read on the phone),
/// what to do with it on stderr; `--export FILE` writes the public key.
pub(super) fn keys(cx: &Ctx, export: Option<&std::path::Path>) -> Result<()> {
    // Read only (the UI may have the report open while the parent is on
    // the phone); a report made before keys is opened for writing, which
    // makes its key.
    let (report, key) = match crate::store::key::read_key(&cx.data) {
        Ok(key) => (store::load(&cx.data)?, key),
        Err(e)
            if matches!(
                e.downcast_ref::<crate::store::key::KeyFileError>(),
                Some(crate::store::key::KeyFileError::Missing { .. })
            ) =>
        {
            let (_store, ws) = workspace_mut(cx)?;
            (ws.report, crate::store::key::read_key(&cx.data)?)
        }
        Err(e) => return Err(e),
    };
    let public = key.public();
    let fingerprint = public.fingerprint();
    let unit = &report.unit;
    let (name, code) = (
        crate::text::printable(&unit.name, false),
        crate::text::printable(&unit.code, false),
    );
    if let Some(file) = export {
        let value = crate::store::key::public_key_file(&unit.code, &unit.name, &public);
        let mut bytes = serde_json::to_vec_pretty(&value).expect("json");
        bytes.push(b'\n');
        store::write_atomic(file, &bytes, false)?;
        eprintln!(
            "{}",
            t!(
                "Đã ghi khóa công khai của {name} ({code}) vào {}. Tệp này không có gì bí mật; cấp trên vẫn phải gọi điện đọc dấu vân tay với đơn vị trước khi tin nó.",
                "Wrote the public key of {name} ({code}) to {}. The file holds nothing secret; the parent still reads the fingerprint with the unit on the phone before trusting it.",
                file.display()
            )
        );
    }
    if cx.json {
        print_json(&json!({
            "code": unit.code,
            "name": unit.name,
            "algorithm": crate::keys::ALGORITHM,
            "fingerprint": fingerprint,
            "public_key": public.base64(),
        }));
        return Ok(());
    }
    println!("{fingerprint}");
    eprintln!(
        "{}",
        t!(
            "Đây là dấu vân tay khóa chữ ký của {name} ({code}). Khi cấp trên gọi điện, hãy đọc cho nhau từng nhóm 4 ký tự (chỉ có chữ số 2–9 và chữ cái, không có O, I, L); cấp trên ghi nhận bằng: baocao children add {code} TÊN --fingerprint {fingerprint}",
            "This is the signing key fingerprint of {name} ({code}). When the parent phones, read it to each other four characters at a time (only digits 2–9 and letters, no O, I, L); the parent pins it with: baocao children add {code} NAME --fingerprint {fingerprint}"
        )
    );
    Ok(())
}

pub(super) fn verify(cx: &Ctx, files: &[PathBuf]) -> Result<()> {
    let path = &cx.data;
    let given = cx.given.as_ref();
    // The outline to hold packages to: the report's if there is one here,
    // otherwise the one given or the embedded one.
    let known = match store::load(path) {
        Ok(r) => r.outline(given)?,
        Err(_) => given
            .cloned()
            .unwrap_or_else(|| Outline::embedded().clone()),
    };
    let ours = known.reference();
    let mut bad = 0;
    for f in files {
        let shown = crate::text::printable(&f.display().to_string(), false);
        match crate::package::read(f) {
            Err(reason) => {
                bad += 1;
                println!("{shown}: {} — {reason}", tr("HỎNG", "BAD"));
            }
            Ok((_, _, p)) if p.outline.hash != ours.hash => {
                bad += 1;
                let how = OutlineDifference {
                    ours: ours.clone(),
                    theirs: p.outline.clone(),
                };
                println!(
                    "{shown}: {} — {}",
                    tr("KHÁC ĐỀ CƯƠNG", "OTHER OUTLINE"),
                    t!("gói theo {how}", "it answers {how}")
                );
            }
            Ok((_, _, p)) if crate::package::require_signed(&p).is_err() => {
                bad += 1;
                let reason = crate::package::require_signed(&p).expect_err("unsigned");
                println!("{shown}: {} — {reason}", tr("CHƯA KÝ", "UNSIGNED"));
            }
            Ok((_, _, p)) => {
                let n = count_embedded(&p);
                let signer = p
                    .signer()
                    .map(|k| t!(", ký bởi khóa {}", ", signed by key {}", k.fingerprint()))
                    .unwrap_or_default();
                println!(
                    "{shown}: {} — {} ({}), {} {}, {}, {} {}%{}{signer}",
                    tr("ĐÚNG", "OK"),
                    crate::text::printable(&p.unit.name, false),
                    crate::text::printable(&p.unit.code, false),
                    tr("lần gửi", "revision"),
                    p.revision,
                    p.status.label(),
                    tr("hoàn thành", "complete"),
                    p.complete_percent,
                    if n > 0 {
                        t!(", gồm {n} gói cấp dưới", ", with {n} packages from below")
                    } else {
                        String::new()
                    }
                );
            }
        }
    }
    if bad > 0 {
        return Err(CliError::VerifyFailed { count: bad }.into());
    }
    Ok(())
}

fn count_embedded(p: &crate::package::Package) -> usize {
    p.children
        .iter()
        .filter_map(|c| serde_json::from_value::<crate::package::Package>(c.clone()).ok())
        .map(|c| 1 + count_embedded(&c))
        .sum()
}

pub(super) fn children(cx: &Ctx, command: ChildrenCommand) -> Result<()> {
    match command {
        c @ (ChildrenCommand::Accept { .. }
        | ChildrenCommand::Remove { .. }
        | ChildrenCommand::Reset { .. }) => change_child(cx, c),
        ChildrenCommand::Rekey { code, fingerprint } => {
            let fingerprint = crate::keys::Fingerprint::parse(&fingerprint)?;
            let (store, mut ws) = workspace_mut(cx)?;
            let before = ws.pin_child_key(&code, fingerprint, crate::report::PinSource::Rekey)?;
            store.save(&ws.report)?;
            let code = crate::text::printable(&code, false);
            let message = match before {
                Some(old) if old == fingerprint => t!(
                    "Khóa {fingerprint} đã được ghi nhận cho {code} từ trước; không thay đổi gì.",
                    "The key {fingerprint} was pinned for {code} already; nothing changed."
                ),
                Some(old) => t!(
                    "Đã ghi nhận khóa mới cho {code}: {fingerprint} (thay cho {old}). Gói ký bằng khóa cũ sẽ bị từ chối; hãy nhận lại gói của đơn vị (baocao import TỆP.bcpkg).",
                    "Pinned the new key for {code}: {fingerprint} (in place of {old}). Packages signed by the old key are refused now; import the unit's package again (baocao import FILE.bcpkg)."
                ),
                None => t!(
                    "Đã ghi nhận khóa cho {code}: {fingerprint}. Chỉ nhận gói ký bằng khóa này.",
                    "Pinned the key for {code}: {fingerprint}. Only packages signed by it are taken."
                ),
            };
            println!("{message}");
            Ok(())
        }
        ChildrenCommand::List => {
            let ws = workspace(cx)?;
            let subs = ws.submissions(chrono::Local::now().date_naive());
            if cx.json {
                let list: Vec<Value> = subs
                    .iter()
                    .map(|s| json!({"code": s.code, "name": s.name, "type": s.unit_type, "deadline": s.deadline.map(crate::vnfmt::format_date), "deadline_kind": s.deadline_kind, "state": s.state.as_str(), "days_late": s.days_late, "sent_on": s.received.as_ref().map(|r| crate::vnfmt::format_date(r.sent_day())), "fingerprint": ws.pinned_key(&s.code).map(|k| k.fingerprint)}))
                    .collect();
                print_json(&list);
            } else if subs.is_empty() {
                println!(
                    "{}",
                    t!(
                        "Chưa có đơn vị nào. Thêm bằng: baocao children add MÃ TÊN",
                        "No units yet. Add one with: baocao children add CODE NAME"
                    )
                );
            } else {
                print_submissions(&subs);
            }
            Ok(())
        }
        ChildrenCommand::Add {
            code,
            name,
            unit_type,
            deadline,
            fingerprint,
        } => {
            let fingerprint = fingerprint
                .as_deref()
                .map(crate::keys::Fingerprint::parse)
                .transpose()?;
            let (store, mut ws) = workspace_mut(cx)?;
            ws.add_child(&code, &name, unit_type.as_deref(), deadline.as_deref())?;
            if let Some(f) = fingerprint {
                ws.pin_listed_key(&code, f)?;
            }
            store.save(&ws.report)?;
            println!(
                "{}",
                t!(
                    "Đã thêm {} ({}).",
                    "Added {} ({}).",
                    crate::text::printable(&name, false),
                    crate::text::printable(&code, false)
                )
            );
            Ok(())
        }
        ChildrenCommand::Import { file, encoding } => {
            let encoding = encoding
                .as_deref()
                .map(crate::workspace::ListEncoding::from_name)
                .transpose()?;
            let (store, mut ws) = workspace_mut(cx)?;
            let bytes = crate::file::read(&file, u64::MAX - 1)?;
            let at_line = |line: usize, reason: Error| CliError::ChildrenRow {
                file: file.clone(),
                line,
                reason,
            };
            let rows = crate::workspace::read_list(&bytes, encoding)
                .map_err(|(line, e)| at_line(line, e.into()))?;
            ws.add_children(&rows)
                .map_err(|(line, e)| at_line(line, e))?;
            store.save(&ws.report)?;
            println!(
                "{}",
                t!(
                    "Đã thêm {} đơn vị từ {}.",
                    "Added {} units from {}.",
                    rows.len(),
                    file.display()
                )
            );
            Ok(())
        }
    }
}

/// `children accept|remove|reset CODE`: each says what it did.
fn change_child(cx: &Ctx, command: ChildrenCommand) -> Result<()> {
    let (store, mut ws) = workspace_mut(cx)?;
    let name_of = |ws: &crate::workspace::Workspace, code: &str| {
        let name = ws
            .report
            .children
            .iter()
            .find(|c| c.code == code)
            .map_or(String::new(), |c| c.name.clone());
        format!(
            "{} ({})",
            crate::text::printable(&name, false),
            crate::text::printable(code, false)
        )
    };
    let revisions = |f: &crate::workspace::Forgotten| {
        f.revisions
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let message = match command {
        ChildrenCommand::Accept { code } => {
            let who = name_of(&ws, &code);
            let done = ws.accept_child(&code)?;
            match (done.already, done.had_package) {
                (true, _) => t!(
                    "{who} đã có trong danh sách đơn vị báo cáo về đây; không thay đổi gì.",
                    "{who} is on the list of units reporting here already; nothing changed."
                ),
                (false, true) => t!(
                    "Đã nhận {who} vào danh sách; gói của đơn vị được tính vào số liệu từ bây giờ.",
                    "Accepted {who} on the list; its package counts in the figures from now on."
                ),
                (false, false) => t!(
                    "Đã nhận {who} vào danh sách.",
                    "Accepted {who} on the list."
                ),
            }
        }
        ChildrenCommand::Remove { code } => {
            let who = name_of(&ws, &code);
            let gone = ws.remove_child(&code)?;
            if gone.revisions.is_empty() {
                t!(
                    "Đã bỏ {who} khỏi danh sách. Bản trước được giữ trong thư mục sao lưu.",
                    "Removed {who} from the list. The previous version is kept in the backups."
                )
            } else {
                t!(
                    "Đã bỏ {who} khỏi danh sách cùng gói đã nhận (lần gửi {}); số liệu của đơn vị không còn được tính. Bản trước được giữ trong thư mục sao lưu; cần lại gói thì nhập lại tệp gói của đơn vị.",
                    "Removed {who} from the list with the package received (revision {}); its figures no longer count. The previous version is kept in the backups; to have the package again, import the unit's package file again.",
                    revisions(&gone)
                )
            }
        }
        ChildrenCommand::Reset { code } => {
            let who = name_of(&ws, &code);
            let gone = ws.reset_child(&code)?;
            if gone.revisions.is_empty() {
                t!(
                    "Chưa nhận gói nào của {who}; không có gì để quên.",
                    "Nothing was received from {who}; nothing to forget."
                )
            } else {
                t!(
                    "Đã quên lần gửi {} của {who}: gói tiếp theo đơn vị gửi được nhận như gói đầu tiên, dù số lần gửi là bao nhiêu.",
                    "Forgot revision {} of {who}: the next package it sends is taken as its first, whatever its revision.",
                    revisions(&gone)
                )
            }
        }
        _ => unreachable!("only accept, remove and reset come here"),
    };
    store.save(&ws.report)?;
    // What is no longer listed leaves the archive file once it is worth it.
    let _ = ws.compact_archive(false);
    println!("{message}");
    Ok(())
}

/// The files to import: each file given, and the packages of each folder
/// given (not of its sub-folders), saying what in them was skipped.
fn packages_given(given: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let safe = |s: &str| crate::text::printable(s, false);
    let mut files = Vec::new();
    let mut empty = Vec::new();
    for path in given {
        if !std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
            files.push(path.clone());
            continue;
        }
        let folder = crate::package::files_in(path)?;
        if !folder.skipped.is_empty() {
            const SHOWN: usize = 10;
            let mut names: Vec<String> =
                folder.skipped.iter().take(SHOWN).map(|n| safe(n)).collect();
            if folder.skipped.len() > SHOWN {
                names.push(t!(
                    "và {} mục khác",
                    "and {} more",
                    folder.skipped.len() - SHOWN
                ));
            }
            println!(
                "{}",
                t!(
                    "Bỏ qua {} mục không phải gói (.{}) trong {}: {}.",
                    "Skipped {} entries that are not packages (.{}) in {}: {}.",
                    folder.skipped.len(),
                    crate::package::EXTENSION,
                    safe(&path.display().to_string()),
                    names.join(", ")
                )
            );
        }
        if folder.packages.is_empty() {
            empty.push(path.clone());
        }
        files.extend(folder.packages);
    }
    if files.is_empty() {
        return Err(CliError::NoPackages { folders: empty }.into());
    }
    Ok(files)
}

/// The files given, told apart by their content whatever their names:
/// receipts (to record), and the rest (packages, and files that are no
/// baocao file, which the package reader refuses with the reason).
/// Folders are read for packages by name, as ever.
fn sort_given(given: &[PathBuf]) -> Result<(Vec<PathBuf>, Vec<PathBuf>)> {
    use crate::kind::Kind;
    let (mut receipts, mut rest) = (Vec::new(), Vec::new());
    for path in given {
        if std::fs::metadata(path).is_ok_and(|m| m.is_dir()) {
            rest.push(path.clone());
            continue;
        }
        match crate::kind::of_file(path).ok().flatten() {
            Some(Kind::Receipt) => receipts.push(path.clone()),
            Some(Kind::Package) | None => rest.push(path.clone()),
            // Returns are taken in by their own code (issue 15, item 5).
            Some(kind @ Kind::Return) | Some(kind @ (Kind::Report | Kind::Outline | Kind::Key)) => {
                return Err(CliError::NotImportable {
                    file: path.clone(),
                    kind,
                }
                .into());
            }
        }
    }
    Ok((receipts, rest))
}

/// `import RECEIPT…` at a child: each receipt checked and recorded; the
/// report saved once if any was recorded.
fn import_receipts(cx: &Ctx, files: &[PathBuf]) -> Result<usize> {
    let (store, mut ws) = workspace_mut(cx)?;
    let mut refused = 0;
    let mut changed = false;
    let mut lines = Vec::new();
    for f in files {
        match ws.take_receipt(f) {
            Ok(taken) => {
                changed |= taken.changed();
                lines.push(taken.to_string());
            }
            // One receipt refused is the command's error, with its code.
            Err(e) if files.len() == 1 => return Err(e),
            Err(e) => {
                refused += 1;
                lines.push(t!(
                    "Từ chối biên nhận {}: {}",
                    "Refused the receipt {}: {}",
                    f.display(),
                    e
                ));
            }
        }
    }
    if changed {
        store.save(&ws.report)?;
    }
    for l in &lines {
        println!("{}", crate::text::printable(l, false));
    }
    Ok(refused)
}

pub(super) fn import(
    cx: &Ctx,
    given: &[PathBuf],
    received_on: Option<&str>,
    receipts_dir: Option<&std::path::Path>,
) -> Result<()> {
    let (receipt_files, given) = sort_given(given)?;
    let mut refused = 0;
    if !receipt_files.is_empty() {
        refused += import_receipts(cx, &receipt_files)?;
        if given.is_empty() {
            if refused > 0 {
                return Err(CliError::ImportRefused { count: refused }.into());
            }
            return Ok(());
        }
    }
    let given = &given[..];
    let today = chrono::Local::now().date_naive();
    let delivered_on = received_on
        .map(|d| crate::workspace::delivery_day(d, today))
        .transpose()?;
    let (store, mut ws) = workspace_mut(cx)?;
    let files = &packages_given(given)?;
    // What each file's receipt says, decided as it is judged; written
    // once the report is saved. A file that is no package tells no unit.
    let mut decisions = Vec::new();
    let mut no_unit = Vec::new();
    let mut taken = 0;
    // What each file did, in order; `true` for a package taken in, whose
    // line ("Nhận gói …") is true only once the report is saved.
    let mut lines: Vec<(bool, String)> = Vec::new();
    let mut tally = crate::workspace::Tally::default();
    ws.import_unsynced(files, delivered_on, |ex, outcome| {
        tally.add(ex.verdict.outcome(), true, outcome.is_err());
        if receipts_dir.is_some() && outcome.is_ok() {
            match crate::workspace::Decision::of(ex) {
                Some(d) => decisions.push(d),
                None => no_unit.push(ex.path.clone()),
            }
        }
        let safe = |s: String| crate::text::printable(&s, false);
        if ex.verdict.accepted() {
            if let Err(e) = outcome {
                refused += 1;
                lines.push((false, safe(e.to_string())));
                return;
            }
            if ex.verdict.changes() {
                taken += 1;
                lines.push((true, safe(ex.message())));
                return;
            }
        } else {
            refused += 1;
        }
        lines.push((false, safe(ex.message())));
    })?;
    if taken > 0 {
        // The archived packages reach the disk first, all with one flush;
        // only then the report that lists them.
        let saved = ws
            .make_archive_durable()
            .and_then(|()| store.save(&ws.report));
        if let Err(reason) = saved {
            for (_, line) in lines.iter().filter(|(taken, _)| !taken) {
                println!("{line}");
            }
            std::mem::forget(ws);
            return Err(CliError::NothingTaken { reason }.into());
        }
        // Only now that the report is saved: the revisions it replaced
        // leave the archive file once they take a quarter of it. A failure
        // (disk full) leaves the old file, which holds them all.
        let _ = ws.compact_archive(false);
    }
    for (_, line) in &lines {
        println!("{line}");
    }
    println!("{}", t!("Tổng: {tally}.", "In all: {tally}."));
    if let Some(dir) = receipts_dir {
        for f in &no_unit {
            println!(
                "{}",
                t!(
                    "Không ghi biên nhận cho {}: không đọc được gói nên không biết đơn vị gửi.",
                    "No receipt for {}: the package cannot be read, so its sending unit cannot be told.",
                    crate::text::printable(&f.display().to_string(), false)
                )
            );
        }
        match ws.write_receipts(dir, &decisions) {
            Ok(written) => println!(
                "{}",
                t!(
                    "Đã ghi {} biên nhận vào {}.",
                    "Wrote {} receipts into {}.",
                    written.len(),
                    crate::text::printable(&dir.display().to_string(), false)
                )
            ),
            Err(reason) => {
                std::mem::forget(ws);
                return Err(CliError::ReceiptsNotWritten { reason }.into());
            }
        }
    }
    let p = ws.progress();
    println!(
        "{}",
        t!(
            "Tổng hợp hiện hoàn thành {}%.",
            "The merged report is now {}% complete.",
            p.percent()
        )
    );
    // The program ends here: freeing every package one by one (1,000
    // packages, allocated on the reading threads) took 20 ms for nothing.
    // The lock (in `store`) is still released as usual.
    std::mem::forget(ws);
    if refused > 0 {
        return Err(CliError::ImportRefused { count: refused }.into());
    }
    Ok(())
}

pub(super) fn print_submissions(subs: &[Submission]) {
    let safe = |s: &str| crate::text::printable(s, false);
    let received = subs
        .iter()
        .filter(|s| matches!(s.state, State::Received | State::Late))
        .count();
    let pending = subs.iter().filter(|s| s.state == State::Pending).count();
    println!(
        "{}: {received}/{}",
        tr("Đơn vị đã nộp", "Units that sent"),
        subs.len() - pending
    );
    if pending > 0 {
        println!(
            "{}",
            t!(
                "Chờ xác nhận (chưa tính vào số liệu): {pending}",
                "Awaiting confirmation (not counted): {pending}"
            )
        );
    }
    for s in subs {
        let deadline = s
            .deadline
            .map(|d| s.deadline_kind.phrase(&crate::vnfmt::format_date(d)))
            .unwrap_or_else(|| "—".into());
        let mut line = format!(
            "  {:<10} {:<32} {:<10}",
            safe(&s.code),
            safe(&s.name),
            s.state.label()
        );
        if let Some(r) = &s.received {
            let draft = if r.status == crate::report::Status::Draft {
                tr(", dự thảo", ", draft")
            } else {
                ""
            };
            line.push_str(&t!(
                " lần gửi {}{draft}, {}%, gửi {}, nhận {}",
                " revision {}{draft}, {}%, sent {}, received {}",
                r.revision,
                r.complete_percent,
                crate::vnfmt::format_date(r.sent_day()),
                r.received_at.format("%d/%m/%Y %H:%M")
            ));
            if let Some(on) = &r.delivered_on {
                line.push_str(&t!(" (bản giấy/nộp muộn: {on})", " (delivered: {on})"));
            }
        }
        if s.days_late > 0 {
            line.push_str(&t!(
                " — muộn {} ngày (hạn {deadline})",
                " — {} days late (deadline {deadline})",
                s.days_late
            ));
        } else if s.state == State::Missing {
            line.push_str(&t!(" (hạn {deadline})", " (deadline {deadline})"));
        }
        if s.state == State::Damaged {
            line.push_str(&t!(
                " — gói đã nhận bị hỏng, không tính vào số liệu; hãy nhập lại gói của đơn vị này (baocao import TỆP.bcpkg)",
                " — the package received is damaged, not counted; import that unit's package again (baocao import FILE.bcpkg)"
            ));
        }
        if s.state == State::Pending {
            line.push_str(&t!(
                " [chờ xác nhận, chưa tính vào số liệu: baocao children accept {}]",
                " [awaiting confirmation, not counted: baocao children accept {}]",
                crate::text::printable(&s.code, false)
            ));
        } else if s.unexpected {
            line.push_str(tr(" [ngoài danh sách]", " [not on the list]"));
        }
        println!("{line}");
    }
}
