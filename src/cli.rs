//! The command line: the same jobs as the UI, for scripts and tests. Each
//! command exits 0 on success, otherwise prints one line saying why.

use crate::error::{Error, Result, io_error};
use crate::i18n::tr;
use crate::outline::{self, Kind, Outline};
use crate::report::{Report, Unit};
use crate::store::{self, Store};
use crate::t;
use crate::validate::{self, FieldState, Mark};
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
    Check { file: PathBuf },
    /// In cây đề cương với mã mục, mã trường, loại — print the outline tree
    Show {
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
        Some(Command::Outline { command }) => match command {
            OutlineCommand::Check { file } => outline_check(&file),
            OutlineCommand::Show { json } => {
                outline_show(given.as_ref().unwrap_or(Outline::embedded()), json);
                Ok(())
            }
        },
    }
}

/// Creates a report at `path` (shared with the UI's first-run screen).
pub fn create_report(store: &Store, outline: &Outline, unit: Unit, force: bool) -> Result<Report> {
    let path = &store.path;
    if path.exists() && !force {
        return Err(Error::new(t!(
            "Đã có báo cáo ở {}. Không ghi đè; nếu muốn tạo lại, thêm --force (bản cũ sẽ được sao lưu).",
            "A report already exists at {}. Not overwriting; to start again add --force (the old one is backed up).",
            path.display()
        )));
    }
    let report = Report::new(outline, unit)?;
    store.save(&report)?;
    Ok(report)
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
    let report = create_report(&Store::lock_only(path)?, &outline, unit, a.force)?;
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
    let outline = Outline::for_report(&report, given)?;
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
    let (report, outline) = load(path, given)?;
    let progress = report.progress(&outline);
    let invalid = report.invalid(&outline);
    let entries = outline.entries();
    let items: Vec<_> = entries
        .iter()
        .map(|e| {
            let p = validate::item_progress(e.item, report.answers.get(&e.item.id));
            (e, p, Mark::of(p, !e.item.fields.is_empty()))
        })
        .collect();
    if json {
        let out = json!({
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
        println!("{}: {}", tr("Loại", "Type"), ut.name);
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
        outline.short_title,
        outline.id,
        tr("phiên bản", "version"),
        outline.version
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
            e.item.id,
            e.item.title
        );
    }
    if !invalid.is_empty() {
        println!();
        println!("{}:", tr("Trường không hợp lệ", "Invalid fields"));
        for (i, f, m) in &invalid {
            println!("  {i} / {f}: {}", safe(m));
        }
    }
    Ok(())
}

fn fill(path: &Path, given: Option<&Outline>, from: &Path) -> Result<()> {
    let text = std::fs::read_to_string(from).map_err(|e| io_error(tr("đọc", "read"), from, &e))?;
    let input: Value = serde_json::from_str(&text).map_err(|e| {
        Error::new(t!(
            "{} không phải JSON hợp lệ (dòng {}, cột {}).",
            "{} is not valid JSON (line {}, column {}).",
            from.display(),
            e.line(),
            e.column()
        ))
    })?;
    let Value::Object(items) = input else {
        return Err(Error::new(t!(
            "{} phải có dạng {{\"MÃ_MỤC\": {{\"MÃ_TRƯỜNG\": giá trị}}}}.",
            "{} must look like {{\"ITEM_ID\": {{\"FIELD_ID\": value}}}}.",
            from.display()
        )));
    };
    let (store, mut report) = Store::open(path)?;
    let outline = Outline::for_report(&report, given)?;
    let mut errors = Vec::new();
    let mut changes = Vec::new();
    for (item_id, fields) in &items {
        let Some(item) = outline.item(item_id) else {
            errors.push(format!(
                "{item_id}: {}",
                t!(
                    "không có mục này trong đề cương",
                    "no such item in the outline"
                )
            ));
            continue;
        };
        let Value::Object(fields) = fields else {
            errors.push(format!(
                "{item_id}: {}",
                t!(
                    "cần một đối tượng {{\"MÃ_TRƯỜNG\": giá trị}}",
                    "needs an object {{\"FIELD_ID\": value}}"
                )
            ));
            continue;
        };
        for (field_id, value) in fields {
            let Some(field) = item.field(field_id) else {
                let ids = item
                    .fields
                    .iter()
                    .map(|f| f.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ");
                errors.push(format!(
                    "{item_id} / {field_id}: {}",
                    t!(
                        "không có trường này (các trường: {ids})",
                        "no such field (fields: {ids})"
                    )
                ));
                continue;
            };
            match validate::from_json(field, value) {
                Ok(v) => changes.push((item_id.clone(), field_id.clone(), v)),
                Err(m) => errors.push(format!("{item_id} / {field_id}: {m}")),
            }
        }
    }
    // Cross-field rules (part ≤ whole) are checked on the result.
    if errors.is_empty() {
        let mut trial = report.clone();
        for (i, f, v) in &changes {
            trial.set_value(i, f, v.clone());
        }
        for item_id in items.keys() {
            for (field, state) in trial.item_states(&outline, item_id) {
                if let FieldState::Invalid(m) = state {
                    errors.push(format!("{item_id} / {field}: {m}"));
                }
            }
        }
    }
    if !errors.is_empty() {
        let n = errors.len();
        let mut msg = t!(
            "Không điền gì cả: {n} lỗi trong {}:",
            "Nothing was filled: {n} errors in {}:",
            from.display()
        );
        for e in errors {
            msg.push_str("\n  ");
            msg.push_str(&crate::text::printable(&e, false));
        }
        return Err(Error::new(msg));
    }
    let n = changes.len();
    for (i, f, v) in changes {
        report.set_value(&i, &f, v);
    }
    report.updated_at = chrono::Local::now();
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
                    r.unit.code,
                    r.updated_at.format("%d/%m/%Y %H:%M:%S")
                ),
                Err(e) => println!("{}  {}: {e}", b.name, tr("hỏng", "damaged")),
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
    let text = std::fs::read_to_string(file).map_err(|e| io_error(tr("đọc", "read"), file, &e))?;
    let problems = outline::check_json(&text);
    if problems.is_empty() {
        let o: Outline = serde_json::from_str(&text).map_err(|e| Error::new(e.to_string()))?;
        let fields: usize = o.entries().iter().map(|e| e.item.fields.len()).sum();
        println!(
            "{}",
            t!(
                "Đề cương hợp lệ: {} ({} phiên bản {}), {} mục, {} trường.",
                "The outline is valid: {} ({} version {}), {} items, {} fields.",
                o.short_title,
                o.id,
                o.version,
                o.entries().len(),
                fields
            )
        );
        return Ok(());
    }
    for p in &problems {
        println!("{p}");
    }
    Err(Error::new(t!(
        "Đề cương {} có {} lỗi (liệt kê ở trên).",
        "The outline {} has {} errors (listed above).",
        file.display(),
        problems.len()
    )))
}

/// The scripting contract: items flattened in outline order.
pub fn outline_json(o: &Outline) -> Value {
    let items: Vec<Value> = o
        .entries()
        .iter()
        .map(|e| {
            let i = e.item;
            json!({
                "id": i.id,
                "number": i.number,
                "title": i.title,
                "depth": e.depth,
                "parent": e.parent.map(|p| p.id.clone()),
                "optional": o.is_optional(&i.id),
                "front_matter": i.front_matter,
                "intro": i.intro,
                "guidance": i.guidance,
                "fields": i.fields,
            })
        })
        .collect();
    json!({
        "id": o.id,
        "version": o.version,
        "title": o.title,
        "short_title": o.short_title,
        "hash": o.content_hash(),
        "plan": o.plan,
        "items": items,
    })
}

fn outline_show(o: &Outline, json: bool) {
    if json {
        println!(
            "{}",
            serde_json::to_string_pretty(&outline_json(o)).expect("json")
        );
        return;
    }
    println!(
        "{} ({} {} {})",
        o.title,
        o.id,
        tr("phiên bản", "version"),
        o.version
    );
    for e in o.entries() {
        let indent = "  ".repeat(e.depth);
        let opt = if e.item.optional {
            tr(" (không bắt buộc)", " (optional)")
        } else {
            ""
        };
        println!(
            "{indent}[{}] {} {}{opt}",
            e.item.id, e.item.marker, e.item.title
        );
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
            println!(
                "{indent}    {req} {:<24} {:<8} {:<8} {}{extra}",
                f.id,
                f.kind.as_str(),
                f.aggregate.as_str(),
                f.label
            );
        }
    }
}
