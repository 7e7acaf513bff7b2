//! `outline check`, `outline show`, `outline new` and `outline blank`.

use super::CliError;
use crate::error::Result;
use crate::i18n::tr;
use crate::outline::{self, Kind, Outline};
use crate::t;
use std::path::{Path, PathBuf};

pub(super) fn outline_check(file: &Path) -> Result<()> {
    let text = crate::file::read_to_string(file)?;
    let problems: Vec<String> = match outline::parse(&text) {
        Err(problems) => problems.iter().map(ToString::to_string).collect(),
        Ok(o) => {
            // A default is a value, checked as values are (by the layer
            // above the outline's own checker).
            let bad = crate::validate::bad_defaults(&o);
            if !bad.is_empty() {
                return refuse(file, bad.iter().map(ToString::to_string).collect());
            }
            let fields: usize = o.entries().iter().map(|e| e.item.fields.len()).sum();
            println!(
                "{}",
                t!(
                    "Đề cương hợp lệ: {} ({} phiên bản {}), {} mục, {} trường.",
                    "The outline is valid: {} ({} version {}), {} items, {} fields.",
                    crate::text::printable(&o.short_title, false),
                    crate::text::printable(&o.id, false),
                    crate::text::printable(&o.version, false),
                    o.entries().len(),
                    fields
                )
            );
            // What is allowed but worth knowing before it is sent.
            let warnings = outline::check::warnings(&o);
            for w in &warnings {
                println!("{}", crate::text::printable(&w.to_string(), false));
            }
            if !warnings.is_empty() {
                println!(
                    "{}",
                    t!(
                        "{} cảnh báo (đề cương vẫn dùng được).",
                        "{} warnings (the outline can still be used).",
                        warnings.len()
                    )
                );
            }
            return Ok(());
        }
    };
    refuse(file, problems)
}

/// Prints each problem and refuses the outline.
fn refuse(file: &Path, problems: Vec<String>) -> Result<()> {
    for p in &problems {
        println!("{}", crate::text::printable(p, false));
    }
    Err(CliError::OutlineHasErrors {
        file: file.to_path_buf(),
        count: problems.len(),
    }
    .into())
}

pub(super) fn outline_show(o: &Outline, json: bool) {
    if json {
        super::print_json(&o.contract_json());
        return;
    }
    // Titles and labels come from a file: shown, never obeyed.
    let out = |line: String| println!("{}", crate::text::printable(&line, false));
    out(format!(
        "{} ({} {} {})",
        o.title,
        o.id,
        tr("phiên bản", "version"),
        o.version
    ));
    for e in o.entries() {
        let indent = "  ".repeat(e.depth);
        let opt = if e.item.optional {
            tr(" (không bắt buộc)", " (optional)")
        } else {
            ""
        };
        out(format!(
            "{indent}[{}] {} {}{opt}",
            e.item.id, e.item.marker, e.item.title
        ));
        for f in &e.item.fields {
            let req = if f.required { "*" } else { " " };
            let extra = match f.kind {
                Kind::Ratio => {
                    f.of.as_ref()
                        .map(|[a, b]| format!(" = {a} / {b}"))
                        .unwrap_or_default()
                }
                Kind::Table => format!(
                    " ({})",
                    f.columns
                        .iter()
                        .map(|c| format!("{}:{}", c.id, c.kind.as_str()))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                _ => String::new(),
            };
            out(format!(
                "{indent}    {req} {:<24} {:<8} {:<8} {}{extra}",
                f.id,
                f.kind.as_str(),
                f.aggregate.as_str(),
                f.label
            ));
        }
    }
}

/// `outline new --from FILE`: the draft written only when it passes the
/// checker (it always does, or the drafter refuses), with what was
/// recognised and what was guessed.
pub(super) fn outline_new(from: &Path, out: Option<&Path>, force: bool, json: bool) -> Result<()> {
    use crate::outline::draft::{self, NoteKind};
    let bytes = crate::file::read(from, draft::read::MAX_BYTES)?;
    if bytes.len() as u64 > draft::read::MAX_BYTES {
        let size = std::fs::metadata(from).map_or(bytes.len() as u64, |m| m.len());
        return Err(draft::DraftError::TooLarge {
            bytes: size,
            max: draft::read::MAX_BYTES,
        }
        .into());
    }
    let name = from
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let d = draft::from_bytes(&bytes, &name)?;
    let target: PathBuf = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| from.with_extension("json"));
    if target == from || (!force && target.exists()) {
        return Err(CliError::OutExists { file: target }.into());
    }
    // As `outline check` does: defaults are values, checked as values are.
    let bad = crate::validate::bad_defaults(&d.outline);
    if !bad.is_empty() {
        return Err(draft::DraftError::Invalid {
            problems: bad.iter().map(ToString::to_string).collect(),
        }
        .into());
    }
    crate::store::write_atomic(&target, d.json().as_bytes(), false)?;
    let lang = crate::i18n::lang();
    if json {
        let notes: Vec<serde_json::Value> = d
            .notes
            .iter()
            .map(|n| {
                serde_json::json!({
                    "kind": match n.kind {
                        NoteKind::Found => "found",
                        NoteKind::Guessed => "guessed",
                        NoteKind::Review => "review",
                    },
                    "message": crate::i18n::Localized::localized(n, lang),
                })
            })
            .collect();
        super::print_json(&serde_json::json!({
            "file": target.display().to_string(),
            "outline": d.outline.reference(),
            "notes": notes,
        }));
        return Ok(());
    }
    let out = |line: String| println!("{}", crate::text::printable(&line, false));
    for n in &d.notes {
        let mark = match n.kind {
            NoteKind::Found => tr("  đã nhận ra:   ", "  recognised:"),
            NoteKind::Guessed => tr("  đoán, cần sửa:", "  guessed:   "),
            NoteKind::Review => tr("  cần xem lại:  ", "  to review: "),
        };
        out(format!(
            "{mark} {}",
            crate::i18n::Localized::localized(n, lang)
        ));
    }
    out(t!(
        "Đã ghi đề cương nháp vào {} ({} mục). Xem lại: `baocao --outline {} outline show`; sửa các dòng “đoán” và “cần xem lại” trước khi gửi đi.",
        "The draft outline was written to {} ({} items). Review it: `baocao --outline {} outline show`; fix the lines marked “guessed” and “to review” before sending it out.",
        target.display(),
        d.outline.entries().len(),
        target.display()
    ));
    Ok(())
}

/// `outline blank`: the outline printed with room for the answers.
pub(super) fn outline_blank(format: super::BlankFormat, file: &Path, out: &Path) -> Result<()> {
    let o = Outline::load(file)?;
    let doc = crate::render::blank(&o);
    let bytes = match format {
        super::BlankFormat::Docx => crate::render::docx::render(&doc),
        super::BlankFormat::Md => crate::render::markdown::render(&doc).into_bytes(),
    };
    crate::store::write_atomic(out, &bytes, false)?;
    println!("{}", out.display());
    Ok(())
}
