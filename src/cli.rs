//! The command line: the same jobs as the UI, for scripts and tests. Each
//! command exits 0 on success, otherwise prints one line saying why.

use crate::error::{Error, Result, io_error};
use crate::i18n::tr;
use crate::outline::{self, Kind, Outline};
use crate::report::{Report, Unit};
use crate::store::{self, Store};
use crate::t;
use crate::validate::{self, Mark};
use crate::workspace::{State, Submission, Workspace};
use clap::{Args, Parser, Subcommand};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

#[derive(Parser, Debug)]
#[command(
    name = "baocao",
    version,
    about = "Điền, tổng hợp và in báo cáo theo đề cương — Fill in, merge and print review reports",
    long_about = "Không có lệnh con: mở giao diện điền báo cáo.\nWith no subcommand: opens the terminal UI."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Args, Debug, Clone)]
pub struct Global {
    /// Tệp báo cáo (mặc định: thư mục dữ liệu của người dùng) — the report file
    #[arg(long, global = true, value_name = "FILE")]
    pub data: Option<PathBuf>,
    /// Ngôn ngữ: vi hoặc en — language
    #[arg(long, global = true, value_name = "vi|en")]
    pub lang: Option<String>,
    /// Dùng tệp đề cương này thay cho đề cương có sẵn — use this outline file
    #[arg(long, global = true, value_name = "FILE")]
    pub outline: Option<PathBuf>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Tạo báo cáo mới cho một đơn vị — create the report
    Init(InitArgs),
    /// Tiến độ, mục chưa xong, trường sai — progress and invalid fields
    Status {
        /// In JSON cho chương trình khác — machine-readable output
        #[arg(long)]
        json: bool,
    },
    /// Điền câu trả lời từ tệp JSON (tất cả hoặc không gì cả) — fill answers from JSON, all or nothing
    Fill {
        /// Tệp câu trả lời {"MÃ_MỤC": {"MÃ_TRƯỜNG": giá trị}} — the answers file
        #[arg(long, value_name = "ANSWERS.json")]
        from: PathBuf,
    },
    /// Khôi phục từ bản sao lưu — restore from a backup
    Restore {
        /// Liệt kê các bản sao lưu — list the backups
        #[arg(long)]
        list: bool,
        /// Tên bản sao lưu (mặc định: bản tốt gần nhất) — backup name (default: newest good)
        backup: Option<String>,
    },
    /// Kiểm tra hoặc xem đề cương — check or show an outline
    Outline {
        #[command(subcommand)]
        command: OutlineCommand,
    },
    /// Xuất gói báo cáo gửi cấp trên — write the package to send upward
    Export {
        /// Thư mục hoặc tên tệp (mặc định: thư mục hiện tại) — folder or file (default: current folder)
        #[arg(long, value_name = "DIR|FILE")]
        out: Option<PathBuf>,
    },
    /// Ghi nhận thông qua tập thể, chốt báo cáo chính thức — record the collective approval, mark final
    Finalize {
        /// Tập thể thông qua, ví dụ "Ban Thường vụ Đảng ủy xã" — the approving body
        #[arg(long, value_name = "BODY")]
        approved_by: String,
        /// Ngày thông qua dd/mm/yyyy — date of approval
        #[arg(long, value_name = "DD/MM/YYYY")]
        approved_on: String,
    },
    /// Trở lại dự thảo để sửa — back to draft
    Reopen,
    /// Kiểm tra gói: mã kiểm tra, định dạng, đề cương — check package files
    Verify {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Danh sách đơn vị phải nộp — the units expected to report here
    Children {
        #[command(subcommand)]
        command: ChildrenCommand,
    },
    /// Nhận gói của đơn vị cấp dưới — import packages from units below
    Import {
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
    /// Xuất văn bản báo cáo hoặc số liệu — render the report or its figures
    Render {
        /// docx, md, txt hoặc csv
        #[arg(long, value_name = "FORMAT")]
        format: RenderFormat,
        /// Tệp ra (mặc định: theo tên đơn vị trong thư mục hiện tại; "-" là màn hình) — output file
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Tìm chữ trong bài của đơn vị và của cấp dưới (không phân biệt dấu) — search answers
    Search {
        /// Chữ cần tìm, có dấu hay không dấu đều được — the text to find
        query: String,
        /// In JSON cho chương trình khác — machine-readable output
        #[arg(long)]
        json: bool,
    },
    /// Chuyển văn bản mã TCVN3 (ABC) hoặc VNI-Windows sang Unicode — convert legacy text
    Convert {
        /// tcvn3 hoặc vni — the legacy encoding
        #[arg(long, value_name = "tcvn3|vni")]
        from: String,
        /// Tệp vào (mặc định: đầu vào chuẩn) — input file (default: stdin)
        file: Option<PathBuf>,
    },
    /// Kiểu gõ và cách bỏ dấu được ghi nhớ — remembered input method and tone style
    Settings {
        /// telex, vni hoặc off — the built-in input method
        #[arg(long, value_name = "telex|vni|off")]
        input_method: Option<String>,
        /// old (hoà, thuý — mặc định) hoặc new (hòa, thúy) — tone placement
        #[arg(long, value_name = "old|new")]
        tone_style: Option<String>,
    },
    /// Tạo bộ dữ liệu mẫu để dùng thử — create a sample district to try
    Demo {
        /// Thư mục (mặc định: ./baocao-demo) — folder
        dir: Option<PathBuf>,
    },
}

#[derive(Subcommand, Debug)]
pub enum ChildrenCommand {
    /// Thêm một đơn vị — add a unit
    Add {
        code: String,
        name: String,
        #[arg(long = "type", value_name = "TYPE")]
        unit_type: Option<String>,
        /// Hạn nộp riêng dd/mm/yyyy (mặc định: theo kế hoạch) — own deadline
        #[arg(long, value_name = "DD/MM/YYYY")]
        deadline: Option<String>,
    },
    /// Thêm từ tệp CSV: mã,tên[,loại[,hạn]] — add from CSV: code,name[,type[,deadline]]
    Import { file: PathBuf },
    /// Liệt kê, kèm tình trạng nộp — list, with who sent
    List {
        #[arg(long)]
        json: bool,
    },
}

#[derive(clap::ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenderFormat {
    Docx,
    Md,
    Txt,
    Csv,
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Loại đơn vị theo kế hoạch (xa, huyen, tinh, …) — unit type id
    #[arg(long = "type", value_name = "TYPE")]
    pub unit_type: String,
    /// Mã đơn vị — unit code
    #[arg(long)]
    pub code: String,
    /// Tên đơn vị — unit name
    #[arg(long)]
    pub name: String,
    /// Mã đơn vị cấp trên — parent unit code
    #[arg(long)]
    pub parent_code: Option<String>,
    /// Tên đơn vị cấp trên — parent unit name
    #[arg(long)]
    pub parent_name: Option<String>,
    /// Tạo lại dù đã có báo cáo (bản cũ được sao lưu) — overwrite, backing up first
    #[arg(long)]
    pub force: bool,
}

#[derive(Subcommand, Debug)]
pub enum OutlineCommand {
    /// Kiểm tra một tệp đề cương, liệt kê mọi lỗi — validate an outline file
    Check {
        /// Tệp đề cương (.json) cần kiểm tra — the outline file to check
        file: PathBuf,
    },
    /// In cây đề cương với mã mục, mã trường, loại — print the outline tree
    Show {
        /// In JSON cho chương trình khác — machine-readable output
        #[arg(long)]
        json: bool,
    },
}

/// Runs one command; the error is the one line to print.
pub fn run(cli: Cli) -> Result<()> {
    let g = cli.global;
    let data = g.data.clone().unwrap_or_else(store::default_path);
    let given = g.outline.as_deref().map(Outline::load).transpose()?;
    match cli.command {
        None => crate::tui::run(&data, given),
        Some(Command::Init(a)) => init(&data, given, a),
        Some(Command::Status { json }) => status(&data, given.as_ref(), json),
        Some(Command::Fill { from }) => fill(&data, given.as_ref(), &from),
        Some(Command::Restore { list, backup }) => restore(&data, list, backup.as_deref()),
        Some(Command::Export { out }) => export(&data, given.as_ref(), out),
        Some(Command::Finalize {
            approved_by,
            approved_on,
        }) => finalize(&data, given.as_ref(), &approved_by, &approved_on),
        Some(Command::Reopen) => reopen(&data, given.as_ref()),
        Some(Command::Verify { files }) => verify(&data, given.as_ref(), &files),
        Some(Command::Children { command }) => children(&data, given.as_ref(), command),
        Some(Command::Import { files }) => import(&data, given.as_ref(), &files),
        Some(Command::Render { format, out }) => render(&data, given.as_ref(), format, out),
        Some(Command::Search { query, json }) => search(&data, given.as_ref(), &query, json),
        Some(Command::Convert { from, file }) => convert(&from, file.as_deref()),
        Some(Command::Settings {
            input_method,
            tone_style,
        }) => settings(input_method.as_deref(), tone_style.as_deref()),
        Some(Command::Demo { dir }) => {
            crate::demo::run(&dir.unwrap_or_else(|| PathBuf::from("baocao-demo")))
        }
        Some(Command::Outline { command }) => match command {
            OutlineCommand::Check { file } => outline_check(&file),
            OutlineCommand::Show { json } => {
                outline_show(given.as_ref().unwrap_or(Outline::embedded()), json);
                Ok(())
            }
        },
    }
}

fn init(path: &Path, given: Option<Outline>, a: InitArgs) -> Result<()> {
    let outline = given.unwrap_or_else(|| Outline::embedded().clone());
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

fn load(path: &Path, given: Option<&Outline>) -> Result<(Report, Outline)> {
    let report = store::load(path).map_err(|e| e.into_error(path))?;
    let outline = report.outline(given)?;
    Ok((report, outline))
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

fn status(path: &Path, given: Option<&Outline>, json: bool) -> Result<()> {
    let ws = workspace(path, given)?;
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
            "invalid": invalid.iter().map(|(i, f, m)| json!({"item": i, "field": f, "message": m})).collect::<Vec<_>>(),
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
        println!("{}", serde_json::to_string_pretty(&out).expect("json"));
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
            println!("  {i} / {f}: {}", safe(m));
        }
    }
    if ws.report.is_parent(outline) {
        println!();
        print_submissions(&subs);
    }
    Ok(())
}

fn workspace(path: &Path, given: Option<&Outline>) -> Result<Workspace> {
    let (report, outline) = load(path, given)?;
    Workspace::new(path, outline, report)
}

/// Opens for writing: the lock held for as long as the store lives.
fn workspace_mut(path: &Path, given: Option<&Outline>) -> Result<(Store, Workspace)> {
    let (store, report) = Store::open(path)?;
    let outline = report.outline(given)?;
    let ws = Workspace::new(path, outline, report)?;
    Ok((store, ws))
}

fn print_submissions(subs: &[Submission]) {
    let safe = |s: &str| crate::text::printable(s, false);
    let received = subs.iter().filter(|s| s.state != State::Missing).count();
    println!(
        "{}: {received}/{}",
        tr("Đơn vị đã nộp", "Units that sent"),
        subs.len()
    );
    for s in subs {
        let deadline = s
            .deadline
            .map(crate::vnfmt::format_date)
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
                " lần gửi {}{draft}, {}%, nhận {}",
                " revision {}{draft}, {}%, received {}",
                r.revision,
                r.complete_percent,
                r.received_at.format("%d/%m/%Y %H:%M")
            ));
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
        if s.unexpected {
            line.push_str(tr(" [ngoài danh sách]", " [not on the list]"));
        }
        println!("{line}");
    }
}

fn fill(path: &Path, given: Option<&Outline>, from: &Path) -> Result<()> {
    let text = std::fs::read_to_string(from)
        .map_err(|e| io_error(crate::error::IoAction::Read, from, e))?;
    let input: Value = serde_json::from_str(&text).map_err(|e| {
        Error::new(t!(
            "{} không phải JSON hợp lệ (dòng {}, cột {}).",
            "{} is not valid JSON (line {}, column {}).",
            from.display(),
            e.line(),
            e.column()
        ))
    })?;
    let (store, mut report) = Store::open(path)?;
    let outline = report.outline(given)?;
    let n = report
        .fill(&outline, &input)
        .map_err(|problems| match problems {
            crate::report::FillError::NotAnObject => Error::new(t!(
                "{} phải có dạng {{\"MÃ_MỤC\": {{\"MÃ_TRƯỜNG\": giá trị}}}}.",
                "{} must look like {{\"ITEM_ID\": {{\"FIELD_ID\": value}}}}.",
                from.display()
            )),
            crate::report::FillError::Fields(list) => {
                let n = list.len();
                let mut msg = t!(
                    "Không điền gì cả: {n} lỗi trong {}:",
                    "Nothing was filled: {n} errors in {}:",
                    from.display()
                );
                for e in list {
                    msg.push_str("\n  ");
                    msg.push_str(&crate::text::printable(&e.to_string(), false));
                }
                Error::new(msg)
            }
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

fn restore(path: &Path, list: bool, name: Option<&str>) -> Result<()> {
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
                    crate::text::printable(e, false)
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

fn outline_check(file: &Path) -> Result<()> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| io_error(crate::error::IoAction::Read, file, e))?;
    let problems = match outline::parse(&text) {
        Err(problems) => problems,
        Ok(o) => {
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
            return Ok(());
        }
    };
    for p in &problems {
        println!("{}", crate::text::printable(&p.to_string(), false));
    }
    Err(Error::new(t!(
        "Đề cương {} có {} lỗi (liệt kê ở trên).",
        "The outline {} has {} errors (listed above).",
        file.display(),
        problems.len()
    )))
}

fn outline_show(o: &Outline, json: bool) {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&o.contract_json()).expect("json")
        );
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

fn export(path: &Path, given: Option<&Outline>, out: Option<PathBuf>) -> Result<()> {
    let (store, mut ws) = workspace_mut(path, given)?;
    let before = ws.report.last_export.clone();
    let target = ws.export(&out.unwrap_or_else(|| PathBuf::from(".")))?;
    if ws.report.last_export != before {
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
    Ok(())
}

fn finalize(path: &Path, given: Option<&Outline>, by: &str, on: &str) -> Result<()> {
    let (store, mut ws) = workspace_mut(path, given)?;
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

fn reopen(path: &Path, given: Option<&Outline>) -> Result<()> {
    let (store, mut ws) = workspace_mut(path, given)?;
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

fn verify(path: &Path, given: Option<&Outline>, files: &[PathBuf]) -> Result<()> {
    // The outline to hold packages to: the report's if there is one here,
    // otherwise the one given or the embedded one.
    let known = match store::load(path) {
        Ok(r) => r.outline(given)?,
        Err(_) => given
            .cloned()
            .unwrap_or_else(|| Outline::embedded().clone()),
    };
    let hash = known.content_hash();
    let mut bad = 0;
    for f in files {
        let shown = crate::text::printable(&f.display().to_string(), false);
        match crate::package::read(f) {
            Err(reason) => {
                bad += 1;
                println!("{shown}: {} — {reason}", tr("HỎNG", "BAD"));
            }
            Ok((_, _, p)) if p.outline.hash != hash => {
                bad += 1;
                println!(
                    "{shown}: {} — {}",
                    tr("KHÁC ĐỀ CƯƠNG", "OTHER OUTLINE"),
                    t!("gói theo {}", "it answers {}", known.difference(&p.outline))
                );
            }
            Ok((_, _, p)) => {
                let n = count_embedded(&p);
                println!(
                    "{shown}: {} — {} ({}), {} {}, {}, {} {}%{}",
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
        return Err(Error::new(t!(
            "{bad} tệp không dùng được (xem lý do ở trên).",
            "{bad} files are not usable (reasons above)."
        )));
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

fn children(path: &Path, given: Option<&Outline>, command: ChildrenCommand) -> Result<()> {
    match command {
        ChildrenCommand::List { json } => {
            let ws = workspace(path, given)?;
            let subs = ws.submissions(chrono::Local::now().date_naive());
            if json {
                let list: Vec<Value> = subs
                    .iter()
                    .map(|s| json!({"code": s.code, "name": s.name, "type": s.unit_type, "deadline": s.deadline.map(crate::vnfmt::format_date), "state": s.state.as_str(), "days_late": s.days_late}))
                    .collect();
                println!("{}", serde_json::to_string_pretty(&list).expect("json"));
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
        } => {
            let (store, mut ws) = workspace_mut(path, given)?;
            ws.add_child(&code, &name, unit_type.as_deref(), deadline.as_deref())?;
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
        ChildrenCommand::Import { file } => {
            let (store, mut ws) = workspace_mut(path, given)?;
            let text = std::fs::read_to_string(&file)
                .map_err(|e| io_error(crate::error::IoAction::Read, &file, e))?;
            let at_line = |line: usize, e: String| {
                Error::new(t!(
                    "{}, dòng {line}: {e}",
                    "{}, line {line}: {e}",
                    file.display()
                ))
            };
            let rows = crate::children::parse_csv(&text).map_err(|(line, e)| at_line(line, e))?;
            ws.add_children(&rows)
                .map_err(|(line, e)| at_line(line, e.to_string()))?;
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

fn import(path: &Path, given: Option<&Outline>, files: &[PathBuf]) -> Result<()> {
    let (store, mut ws) = workspace_mut(path, given)?;
    let mut refused = 0;
    let mut taken = 0;
    ws.import_unsynced(files, |ex, outcome| {
        if ex.verdict.accepted() {
            if let Err(e) = outcome {
                refused += 1;
                println!("{}", crate::text::printable(&e.to_string(), false));
                return;
            }
            if !matches!(ex.verdict, crate::workspace::Verdict::Unchanged { .. }) {
                taken += 1;
            }
        } else {
            refused += 1;
        }
        println!("{}", crate::text::printable(&ex.message(), false));
    });
    if taken > 0 {
        // The archived packages reach the disk first, all with one flush;
        // only then the report that lists them.
        ws.make_archive_durable()?;
        store.save(&ws.report)?;
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
        return Err(Error::new(t!(
            "{refused} tệp bị từ chối (xem lý do ở trên); các tệp khác đã được nhận.",
            "{refused} files were refused (reasons above); the others were taken."
        )));
    }
    Ok(())
}

fn render(
    path: &Path,
    given: Option<&Outline>,
    format: RenderFormat,
    out: Option<PathBuf>,
) -> Result<()> {
    let ws = workspace(path, given)?;
    let stem = crate::render::file_stem(&ws.report);
    let (bytes, default_name) = match format {
        RenderFormat::Docx => (
            crate::render::docx::render(&crate::render::of_workspace(&ws)),
            crate::render::docx::file_name(&ws.report),
        ),
        RenderFormat::Md => (
            crate::render::markdown::render(&crate::render::of_workspace(&ws)).into_bytes(),
            format!("{stem}.md"),
        ),
        RenderFormat::Txt => (
            crate::render::text::render(&crate::render::of_workspace(&ws)).into_bytes(),
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
            std::io::stdout()
                .write_all(bytes)
                .map_err(|e| Error::new(e.to_string()))?;
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

fn search(path: &Path, given: Option<&Outline>, query: &str, json: bool) -> Result<()> {
    let ws = workspace(path, given)?;
    let hits = crate::search::search(&ws, &crate::text::nfc(query));
    if json {
        println!("{}", serde_json::to_string_pretty(&hits).expect("json"));
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
    for h in &hits {
        println!(
            "{} ({}) · {} / {}: {}",
            crate::text::printable(&h.unit_name, false),
            crate::text::printable(&h.unit_code, false),
            h.item,
            h.field,
            h.text
        );
    }
    println!("{}", t!("{} kết quả.", "{} hits.", hits.len()));
    Ok(())
}

fn convert(from: &str, file: Option<&Path>) -> Result<()> {
    use crate::vi::legacy::{self, Legacy};
    let Some(enc) = Legacy::from_name(from) else {
        return Err(Error::new(t!(
            "Không biết bảng mã \"{from}\"; dùng tcvn3 hoặc vni.",
            "Unknown encoding \"{from}\"; use tcvn3 or vni."
        )));
    };
    let bytes = match file {
        Some(f) => std::fs::read(f).map_err(|e| io_error(crate::error::IoAction::Read, f, e))?,
        None => {
            use std::io::Read;
            let mut b = Vec::new();
            std::io::stdin()
                .read_to_end(&mut b)
                .map_err(|e| Error::new(e.to_string()))?;
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
    std::io::stdout()
        .write_all(out.as_bytes())
        .map_err(|e| Error::new(e.to_string()))?;
    Ok(())
}

fn settings(method: Option<&str>, style: Option<&str>) -> Result<()> {
    use crate::settings::{self, method_from_name};
    let mut s = settings::load();
    if let Some(m) = method {
        s.input_method = method_from_name(m).ok_or_else(|| {
            Error::new(t!(
                "Kiểu gõ \"{m}\" không có; dùng telex, vni hoặc off.",
                "No input method \"{m}\"; use telex, vni or off."
            ))
        })?;
    }
    if let Some(t) = style {
        s.tone_style = match t {
            "old" => crate::vi::ime::ToneStyle::Old,
            "new" => crate::vi::ime::ToneStyle::New,
            _ => {
                return Err(Error::new(t!(
                    "Cách bỏ dấu \"{t}\" không có; dùng old hoặc new.",
                    "No tone style \"{t}\"; use old or new."
                )));
            }
        };
    }
    if method.is_some() || style.is_some() {
        settings::save(&s)?;
    }
    let style_label = match s.tone_style {
        crate::vi::ime::ToneStyle::Old => t!("kiểu cũ (hoà, thuý)", "old (hoà, thuý)"),
        crate::vi::ime::ToneStyle::New => t!("kiểu mới (hòa, thúy)", "new (hòa, thúy)"),
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
