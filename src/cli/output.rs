//! What a unit takes away: the document or its figures, search, legacy
//! text converted, and the remembered typing settings.

use super::{CliError, Ctx, RenderFormat, print_json, stdio, workspace};
use crate::error::Result;
use crate::i18n::tr;
use crate::store;
use crate::t;
use std::path::{Path, PathBuf};

pub(super) fn render(cx: &Ctx, format: RenderFormat, out: Option<PathBuf>) -> Result<()> {
    let ws = workspace(cx)?;
    let stem = crate::render::file_stem(&ws.report);
    let doc = || crate::render::for_print(&ws);
    let (bytes, default_name) = match format {
        RenderFormat::Docx => (
            crate::render::docx::render(&doc()?),
            crate::render::docx::file_name(&ws.report),
        ),
        RenderFormat::Md => (
            crate::render::markdown::render(&doc()?).into_bytes(),
            format!("{stem}.md"),
        ),
        RenderFormat::Txt => (
            crate::render::text::render(&doc()?).into_bytes(),
            format!("{stem}.txt"),
        ),
        RenderFormat::Csv => (
            crate::render::csv::figures(&ws).into_bytes(),
            format!(
                "SoLieu-{}-{}.csv",
                crate::vi::fold::ascii_file_name(&ws.report.unit.code),
                crate::vi::fold::ascii_file_name(&ws.report.unit.name)
            ),
        ),
    };
    write_output(out, &default_name, &bytes)
}

fn write_output(out: Option<PathBuf>, default_name: &str, bytes: &[u8]) -> Result<()> {
    let target = match out {
        Some(p) if p.as_os_str() == "-" => {
            use std::io::Write;
            std::io::stdout().write_all(bytes).map_err(stdio)?;
            return Ok(());
        }
        Some(p) if p.is_dir() => p.join(default_name),
        Some(p) => p,
        None => PathBuf::from(default_name),
    };
    store::write_atomic(&target, bytes, false)?;
    println!("{}", target.display());
    Ok(())
}

pub(super) fn search(cx: &Ctx, query: &str) -> Result<()> {
    let json = cx.json;
    let ws = workspace(cx)?;
    let hits = crate::search::search(&ws, &crate::text::nfc(query));
    if json {
        print_json(&hits);
        return Ok(());
    }
    if hits.is_empty() {
        println!(
            "{}",
            t!(
                "Không tìm thấy «{}».",
                "«{}» was not found.",
                crate::text::printable(query, false)
            )
        );
        return Ok(());
    }
    // As people say it: the unit (and the district it came inside), the
    // item's number and title, the field's label; then the match in its
    // context. Ids are in --json.
    let p = |s: &str| crate::text::printable(s, false);
    for h in &hits {
        let via: String = h
            .via
            .iter()
            .map(|v| t!(", trong gói của {}", ", inside {}'s package", p(&v.name)))
            .collect();
        println!(
            "{} ({}{via}) · {} — {}:\n  {}",
            p(&h.unit_name),
            p(&h.unit_code),
            p(&h.item_label),
            p(&h.field_label),
            p(&h.text)
        );
    }
    println!("{}", t!("{} kết quả.", "{} hits.", hits.len()));
    Ok(())
}

pub(super) fn convert(from: &str, file: Option<&Path>) -> Result<()> {
    use crate::vi::legacy::{self, Legacy};
    let Some(enc) = Legacy::from_name(from) else {
        return Err(CliError::UnknownEncoding {
            given: from.to_string(),
        }
        .into());
    };
    let bytes = match file {
        Some(f) => crate::file::read(f, u64::MAX - 1)?,
        None => {
            use std::io::Read;
            let mut b = Vec::new();
            std::io::stdin().read_to_end(&mut b).map_err(stdio)?;
            b
        }
    };
    // Legacy files are 8-bit: each byte is the character it showed as in
    // Windows. Text already saved as UTF-8 (pasted gibberish) is taken as is.
    let text = match String::from_utf8(bytes) {
        Ok(s) => s,
        Err(e) => e.into_bytes().iter().map(|b| *b as char).collect(),
    };
    use std::io::Write;
    let out = legacy::to_unicode(&text, enc);
    std::io::stdout().write_all(out.as_bytes()).map_err(stdio)?;
    Ok(())
}

pub(super) fn settings(method: Option<&str>, style: Option<&str>) -> Result<()> {
    use crate::settings::{self, method_from_name};
    let mut s = settings::load();
    if let Some(m) = method {
        s.input_method = method_from_name(m).ok_or_else(|| CliError::UnknownInputMethod {
            given: m.to_string(),
        })?;
    }
    if let Some(t) = style {
        s.tone_style = match t {
            "old" => crate::vi::ime::ToneStyle::Old,
            "new" => crate::vi::ime::ToneStyle::New,
            _ => {
                return Err(CliError::UnknownToneStyle {
                    given: t.to_string(),
                }
                .into());
            }
        };
        s.tone_style_chosen = true;
    }
    if method.is_some() || style.is_some() {
        settings::save(&s)?;
    }
    let style_label = match s.chosen_tone_style() {
        Some(crate::vi::ime::ToneStyle::Old) => t!("kiểu cũ (hoà, thuý)", "old (hoà, thuý)"),
        Some(crate::vi::ime::ToneStyle::New) => t!("kiểu mới (hòa, thúy)", "new (hòa, thúy)"),
        None => t!(
            "như đề cương viết (chọn bằng --tone-style old|new)",
            "as the outline writes (choose with --tone-style old|new)"
        ),
    };
    println!(
        "{}: {}\n{}: {style_label}\n{}: {}",
        tr("Kiểu gõ", "Input method"),
        s.input_method.label(),
        tr("Bỏ dấu", "Tone marks"),
        tr("Tệp", "File"),
        settings::path().display()
    );
    Ok(())
}
