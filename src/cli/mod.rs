//! The command line: the same jobs as the UI, for scripts and tests. Each
//! command exits 0 on success, otherwise prints one line saying why
//! (with `--json`, `{"error": {"code", "message"}}`). Arguments are in
//! `args`; each command is one small function over the core, grouped by
//! what it works on.

mod args;
mod outline;
mod output;
mod packages;
mod report;

pub use args::*;

use crate::error::{Coded, Error, Result};
use crate::i18n::{Lang, Localized};
use crate::outline::Outline;
use crate::store::{self, Store};
use crate::tl;
use crate::workspace::Workspace;
use std::path::PathBuf;

/// What went wrong at the command line itself (the core's errors pass
/// through as they are).
#[derive(Debug, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum CliError {
    /// The answers file of `fill` is not JSON.
    AnswersNotJson {
        file: PathBuf,
        line: usize,
        column: usize,
    },
    /// It is JSON but not `{"ITEM_ID": {"FIELD_ID": value}}`.
    AnswersShape {
        file: PathBuf,
    },
    /// Nothing was filled: every problem of the answers file.
    FillRefused {
        file: PathBuf,
        errors: Vec<crate::report::FieldError>,
    },
    /// `outline new` would write over a file that exists.
    OutExists {
        file: PathBuf,
    },
    /// `outline check` found problems (listed on stdout).
    OutlineHasErrors {
        file: PathBuf,
        count: usize,
    },
    /// A row of a children list that cannot be taken.
    ChildrenRow {
        file: PathBuf,
        line: usize,
        reason: Error,
    },
    ImportRefused {
        count: usize,
    },
    /// The packages were read and judged, but the report that would list
    /// them could not be saved: none was taken in.
    NothingTaken {
        reason: Error,
    },
    /// `import` was given only folders, and none holds a package.
    NoPackages {
        folders: Vec<PathBuf>,
    },
    VerifyFailed {
        count: usize,
    },
    /// A file `import` recognised by its content as a kind it does not
    /// take in (a report, an outline, a key; a return, for now).
    NotImportable {
        file: PathBuf,
        kind: crate::kind::Kind,
    },
    /// The packages were taken in and the report saved, but the receipts
    /// could not be written (the folder, a full stick).
    ReceiptsNotWritten {
        reason: Error,
    },
    UnknownEncoding {
        given: String,
    },
    UnknownInputMethod {
        given: String,
    },
    UnknownToneStyle {
        given: String,
    },
    /// Standard output or input could not be used (a closed pipe).
    Stdio {
        detail: String,
    },
}

impl Localized for CliError {
    fn localized(&self, lang: Lang) -> String {
        let p = |s: &str| crate::text::printable(s, false);
        match self {
            CliError::AnswersNotJson { file, line, column } => tl!(
                lang,
                "{} không phải JSON hợp lệ (dòng {line}, cột {column}).",
                "{} is not valid JSON (line {line}, column {column}).",
                file.display()
            ),
            CliError::AnswersShape { file } => tl!(
                lang,
                "{} phải có dạng {{\"MÃ_MỤC\": {{\"MÃ_TRƯỜNG\": giá trị}}}}.",
                "{} must look like {{\"ITEM_ID\": {{\"FIELD_ID\": value}}}}.",
                file.display()
            ),
            CliError::FillRefused { file, errors } => {
                let n = errors.len();
                let mut msg = tl!(
                    lang,
                    "Không điền gì cả: {n} lỗi trong {}:",
                    "Nothing was filled: {n} errors in {}:",
                    file.display()
                );
                for e in errors {
                    msg.push_str("\n  ");
                    msg.push_str(&p(&e.localized(lang)));
                }
                msg
            }
            CliError::OutExists { file } => tl!(
                lang,
                "Tệp {} đã có; chọn tên khác bằng --out TỆP, hoặc thêm --force để ghi đè.",
                "{} exists already; choose another name with --out FILE, or add --force to overwrite it.",
                file.display()
            ),
            CliError::OutlineHasErrors { file, count } => tl!(
                lang,
                "Đề cương {} có {count} lỗi (liệt kê ở trên).",
                "The outline {} has {count} errors (listed above).",
                file.display()
            ),
            CliError::ChildrenRow { file, line, reason } => {
                let e = reason.localized(lang);
                tl!(
                    lang,
                    "{}, dòng {line}: {e}",
                    "{}, line {line}: {e}",
                    file.display()
                )
            }
            CliError::ImportRefused { count } => tl!(
                lang,
                "{count} tệp bị từ chối (xem lý do ở trên); các tệp khác đã được nhận.",
                "{count} files were refused (reasons above); the others were taken."
            ),
            CliError::NothingTaken { reason } => {
                let e = reason.localized(lang);
                tl!(
                    lang,
                    "Chưa nhận gói nào: không lưu được báo cáo ({e}). Báo cáo vẫn như trước khi nhập; hãy khắc phục rồi nhập lại các gói.",
                    "No package was taken: the report could not be saved ({e}). The report is as it was before the import; fix that and import the packages again."
                )
            }
            CliError::NoPackages { folders } => {
                let folders = folders
                    .iter()
                    .map(|f| p(&f.display().to_string()))
                    .collect::<Vec<_>>()
                    .join(", ");
                tl!(
                    lang,
                    "Không có gói nào (tệp .{}) trong {folders}; chưa nhận gì. Hãy chép các gói của đơn vị cấp dưới vào thư mục đó, hoặc chỉ ra từng tệp gói.",
                    "There is no package (.{} file) in {folders}; nothing was taken. Copy the packages of the units below into that folder, or name each package file.",
                    crate::package::EXTENSION
                )
            }
            CliError::VerifyFailed { count } => tl!(
                lang,
                "{count} tệp không dùng được (xem lý do ở trên).",
                "{count} files are not usable (reasons above)."
            ),
            CliError::NotImportable { file, kind } => {
                let (vi, en) = kind.noun();
                match kind {
                    crate::kind::Kind::Return => tl!(
                        lang,
                        "{} là {vi}; phiên bản này chưa nhận được phiếu trả lại.",
                        "{} is a {en}; this version cannot import returns yet.",
                        file.display()
                    ),
                    _ => tl!(
                        lang,
                        "{} là {vi}, không phải gói báo cáo hay biên nhận; không nhận.",
                        "{} is a {en}, not a report package or a receipt; not imported.",
                        file.display()
                    ),
                }
            }
            CliError::ReceiptsNotWritten { reason } => tl!(
                lang,
                "Đã nhận các gói, nhưng không ghi được biên nhận ({reason}). Hãy kiểm tra thư mục biên nhận rồi nhập lại các gói để ghi biên nhận.",
                "The packages were taken in, but the receipts could not be written ({reason}). Check the receipts folder and import the packages again to write them."
            ),
            CliError::UnknownEncoding { given } => tl!(
                lang,
                "Không biết bảng mã \"{}\"; dùng tcvn3 hoặc vni.",
                "Unknown encoding \"{}\"; use tcvn3 or vni.",
                p(given)
            ),
            CliError::UnknownInputMethod { given } => tl!(
                lang,
                "Kiểu gõ \"{}\" không có; dùng telex, vni hoặc off.",
                "No input method \"{}\"; use telex, vni or off.",
                p(given)
            ),
            CliError::UnknownToneStyle { given } => tl!(
                lang,
                "Cách bỏ dấu \"{}\" không có; dùng old hoặc new.",
                "No tone style \"{}\"; use old or new.",
                p(given)
            ),
            CliError::Stdio { detail } => detail.clone(),
        }
    }
}

impl Coded for CliError {
    fn code(&self) -> String {
        match self {
            // The row's own reason says more than "a row was refused".
            CliError::ChildrenRow { reason, .. } => reason.code(),
            // Why the save failed (io.write, store.read_only…).
            CliError::NothingTaken { reason } => reason.code(),
            _ => format!("cli.{}", <&str>::from(self)),
        }
    }
}

/// What every command gets: where the report is, the outline given with
/// `--outline`, and whether to print JSON.
pub struct Ctx {
    pub data: PathBuf,
    pub given: Option<Outline>,
    pub json: bool,
}

/// Lines for the person at the terminal beside the command's result (a
/// key made for a report of an older baocao), printed on stderr after it,
/// and after the error when the command fails ([`print_notes`]); none
/// with `--json`.
static NOTES: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

fn note(line: String) {
    NOTES.lock().unwrap_or_else(|e| e.into_inner()).push(line);
}

/// Prints the notes gathered while the command ran (see [`NOTES`]).
pub fn print_notes() {
    for line in std::mem::take(&mut *NOTES.lock().unwrap_or_else(|e| e.into_inner())) {
        eprintln!("{line}");
    }
}

/// Runs one command; the error is the one line to print (then
/// [`print_notes`]).
pub fn run(cli: Cli) -> Result<()> {
    let json = cli.global.json;
    let done = dispatch(cli);
    if json {
        NOTES.lock().unwrap_or_else(|e| e.into_inner()).clear();
    } else if done.is_ok() {
        print_notes();
    }
    done
}

fn dispatch(cli: Cli) -> Result<()> {
    let g = cli.global;
    let cx = Ctx {
        data: g.data.clone().unwrap_or_else(store::default_path),
        given: g.outline.as_deref().map(Outline::load).transpose()?,
        json: g.json,
    };
    match cli.command {
        None => crate::tui::run(&cx.data, cx.given, g.ascii),
        Some(Command::Init(a)) => report::init(&cx, a),
        Some(Command::Status) => report::status(&cx),
        Some(Command::Fill { from }) => report::fill(&cx, &from),
        Some(Command::Restore { list, backup }) => report::restore(&cx, list, backup.as_deref()),
        Some(Command::Finalize {
            approved_by,
            approved_on,
            incomplete: _,
            reason,
        }) => report::finalize(
            &cx,
            &crate::approval::Request {
                by: approved_by,
                on: approved_on,
                incomplete_reason: reason,
            },
        ),
        Some(Command::Reopen { reason }) => report::reopen(&cx, reason.as_deref()),
        Some(Command::Export { out }) => packages::export(&cx, out),
        Some(Command::Verify { files }) => packages::verify(&cx, &files),
        Some(Command::Keys { export }) => packages::keys(&cx, export.as_deref()),
        Some(Command::Children { command }) => packages::children(&cx, command),
        Some(Command::Import {
            files,
            received_on,
            receipts,
        }) => packages::import(&cx, &files, received_on.as_deref(), receipts.as_deref()),
        Some(Command::Render { format, out }) => output::render(&cx, format, out),
        Some(Command::Search { query }) => output::search(&cx, &query),
        Some(Command::Convert { from, file }) => output::convert(&from, file.as_deref()),
        Some(Command::Settings {
            input_method,
            tone_style,
        }) => output::settings(input_method.as_deref(), tone_style.as_deref()),
        Some(Command::Override { command }) => report::override_figure(&cx, command),
        Some(Command::Demo { dir }) => {
            crate::demo::run(&dir.unwrap_or_else(|| PathBuf::from("baocao-demo")))
        }
        Some(Command::Outline { command }) => match command {
            OutlineCommand::Check { file } => outline::outline_check(&file),
            OutlineCommand::Edit {
                file,
                from_embedded,
            } => crate::tui::run_outline_editor(&file, from_embedded, g.ascii),
            OutlineCommand::Show => {
                outline::outline_show(cx.given.as_ref().unwrap_or(Outline::embedded()), cx.json);
                Ok(())
            }
            OutlineCommand::New { from, out, force } => {
                outline::outline_new(&from, out.as_deref(), force, cx.json)
            }
            OutlineCommand::Blank { format, file, out } => {
                outline::outline_blank(format, &file, &out)
            }
        },
    }
}

/// The report and its outline, for reading only.
fn load(cx: &Ctx) -> Result<(crate::report::Report, Outline)> {
    let report = store::load(&cx.data)?;
    let outline = report.outline(cx.given.as_ref())?;
    Ok((report, outline))
}

fn workspace(cx: &Ctx) -> Result<Workspace> {
    let (report, outline) = load(cx)?;
    Workspace::new(&cx.data, outline, report)
}

/// Opens for writing: the lock held for as long as the store lives.
fn workspace_mut(cx: &Ctx) -> Result<(Store, Workspace)> {
    let (store, report) = Store::open(&cx.data)?;
    if let Some((fingerprint, origin)) = store.new_key {
        note(crate::workspace::keys::new_key_note(fingerprint, origin));
    }
    let outline = report.outline(cx.given.as_ref())?;
    let ws = Workspace::new(&cx.data, outline, report)?;
    Ok((store, ws))
}

/// Standard input or output failed (a closed pipe, a full disk behind it).
fn stdio(e: std::io::Error) -> CliError {
    CliError::Stdio {
        detail: e.to_string(),
    }
}

/// Prints a JSON value, pretty, for scripts.
fn print_json(v: &impl serde::Serialize) {
    let text = serde_json::to_string_pretty(v).expect("json");
    println!("{}", crate::text::json_for_terminal(&text));
}
