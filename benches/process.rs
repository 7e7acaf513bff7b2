//! Process-level figures of the real binary (the `bench` profile builds it
//! with the release settings: opt-level "s", LTO, strip):
//!
//! - release binary size (goal ≤ 3 MB);
//! - start to first frame in a 120×40 pseudo-terminal (goal ≤ 20 ms);
//! - resident memory while editing a 20,000-character answer (goal ≤ 15 MB);
//! - `baocao import` of 1,000 commune packages of about 86 KB each into one
//!   district (goal ≤ 0.4 s, peak memory ≤ 1.5× the bytes imported, ≥ 2×
//!   faster than `jq -s` over the same files, measured beside it);
//! - F6 import of 200 of them through the UI's entry point (`App::update`
//!   with its jobs, frames drawn on ratatui's TestBackend as the event
//!   loop draws them): Enter on the list to the import's result (goal
//!   ≤ 0.3 s), and how many frames were drawn meanwhile.
//!
//! - `baocao render --format docx` of a report whose table has 2,000,
//!   10,000 and 20,000 rows (the most a printed document may have): time
//!   and peak memory must grow linearly; LibreOffice converting the
//!   largest to PDF beside it when it is installed.
//!
//! Run: `cargo bench --bench process` (all), or with a section name:
//! `cargo bench --bench process -- import` (size, start, rss, import,
//! f6, render).
//! BAOCAO_BIN=path measures another build; BENCH_DIR=folder puts the
//! import on another disk (default: the temp folder, and /dev/shm too).
//! Under `cargo test --benches` it does nothing.

mod common;

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

const W: u16 = 120;
const H: u16 = 40;
const PACKAGES: usize = 1000;
const DISTRICT: &str = "HU-BENCH";
/// Bump when the fixtures change, so cached packages are made again.
const FIXTURE_VERSION: &str = "5";

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if !args.iter().any(|a| a == "--bench") {
        println!("process benchmarks: run with `cargo bench --bench process`");
        return;
    }
    let wanted: Vec<&str> = args
        .iter()
        .filter(|a| !a.starts_with("--"))
        .map(String::as_str)
        .collect();
    let run = |name: &str| wanted.is_empty() || wanted.iter().any(|w| name.contains(w));
    let bin = std::env::var_os("BAOCAO_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_baocao")));
    println!("binary: {}", bin.display());
    println!(
        "machine: {} cores",
        std::thread::available_parallelism().map_or(0, |n| n.get())
    );
    if run("size") {
        size(&bin);
    }
    if run("start") || run("rss") {
        ui(&bin, run("start"), run("rss"));
    }
    if run("import") {
        let mut folders =
            vec![std::env::var_os("BENCH_DIR").map_or_else(std::env::temp_dir, PathBuf::from)];
        if Path::new("/dev/shm").is_dir() && std::env::var_os("BENCH_DIR").is_none() {
            folders.push(PathBuf::from("/dev/shm"));
        }
        for f in folders {
            import(&bin, &f);
        }
    }
    if run("render") {
        render(&bin);
    }
    if run("f6") {
        let mut folders =
            vec![std::env::var_os("BENCH_DIR").map_or_else(std::env::temp_dir, PathBuf::from)];
        if Path::new("/dev/shm").is_dir() && std::env::var_os("BENCH_DIR").is_none() {
            folders.push(PathBuf::from("/dev/shm"));
        }
        for f in folders {
            f6_import(&bin, &f);
        }
    }
}

fn size(bin: &Path) {
    let len = std::fs::metadata(bin).expect("the binary").len();
    println!(
        "size: {len} bytes ({:.2} MB; goal ≤ 3 MB)",
        len as f64 / 1_048_576.0
    );
}

// ---------------------------------------------------------------- the UI

struct Ui {
    child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    parser: Arc<Mutex<vt100::Parser>>,
    first_frame: mpsc::Receiver<Instant>,
    started: Instant,
}

fn full_frame(screen: &vt100::Screen) -> bool {
    let rows: Vec<String> = screen.rows(0, W).collect();
    rows.first().is_some_and(|r| r.contains("baocao ·"))
        && rows.last().is_some_and(|r| !r.trim().is_empty())
}

fn spawn_ui(bin: &Path, data: &Path, home: &Path) -> Ui {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: H,
            cols: W,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("pty");
    let mut cmd = CommandBuilder::new(bin);
    cmd.args(["--lang", "vi", "--data"]);
    cmd.arg(data);
    cmd.cwd(home);
    cmd.env("TERM", "xterm-256color");
    cmd.env("LANG", "vi_VN.UTF-8");
    cmd.env("BAOCAO_CONFIG_DIR", home);
    let parser = Arc::new(Mutex::new(vt100::Parser::new(H, W, 0)));
    let mut reader = pair.master.try_clone_reader().expect("reader");
    let writer = pair.master.take_writer().expect("writer");
    let (tx, first_frame) = mpsc::channel();
    let p = Arc::clone(&parser);
    let started = Instant::now();
    let child = pair.slave.spawn_command(cmd).expect("spawn");
    drop(pair.slave);
    std::thread::spawn(move || {
        let mut buf = [0u8; 16384];
        let mut seen = false;
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            let mut parser = p.lock().unwrap();
            parser.process(&buf[..n]);
            if !seen && full_frame(parser.screen()) {
                seen = true;
                let _ = tx.send(Instant::now());
            }
        }
    });
    std::mem::forget(pair.master);
    Ui {
        child,
        writer,
        parser,
        first_frame,
        started,
    }
}

impl Ui {
    fn wait_for(&self, needle: &str) {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let text = self.parser.lock().unwrap().screen().contents();
            if text.contains(needle) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "«{needle}» never appeared; screen:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).expect("write");
        self.writer.flush().expect("flush");
    }

    /// Ctrl+Q (save and quit), then waits for the exit.
    fn quit(mut self) {
        self.send(b"\x11");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if self.child.try_wait().expect("wait").is_some() {
                return;
            }
            assert!(Instant::now() < deadline, "baocao did not exit");
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    fn status(&self, key: &str) -> String {
        let pid = self.child.process_id().expect("pid");
        let text = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
        text.lines()
            .find_map(|l| l.strip_prefix(&format!("{key}:")))
            .map(|v| v.trim().to_string())
            .unwrap_or_else(|| "n/a".into())
    }
}

/// A complete report but for the long answer, which the UI opens on.
fn ui_report(dir: &Path) -> PathBuf {
    let outline = common::outline();
    let mut report = common::complete(
        &outline,
        common::commune("27112", "Xã Tân Phú", "HU01"),
        common::TEXT_CHARS,
        0,
    );
    report.set_value(
        common::LONG_ITEM,
        common::LONG_FIELD,
        serde_json::Value::Null,
    );
    let path = dir.join("bao-cao.json");
    baocao::store::save(&path, &report).expect("save");
    path
}

fn stats(mut v: Vec<f64>) -> String {
    v.sort_by(|a, b| a.total_cmp(b));
    format!(
        "median {:.1} ms, min {:.1} ms, max {:.1} ms over {} runs",
        v[v.len() / 2],
        v[0],
        v[v.len() - 1],
        v.len()
    )
}

fn ui(bin: &Path, start: bool, rss: bool) {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = ui_report(dir.path());
    if start {
        let mut times = Vec::new();
        for i in 0..21 {
            let ui = spawn_ui(bin, &data, dir.path());
            let at = ui
                .first_frame
                .recv_timeout(Duration::from_secs(30))
                .expect("a first frame");
            // The first run warms the page cache; it is not counted.
            if i > 0 {
                times.push((at - ui.started).as_secs_f64() * 1000.0);
            }
            ui.quit();
        }
        println!(
            "start to first frame (120x40, complete report): {} (goal ≤ 20 ms)",
            stats(times)
        );
    }
    if rss {
        let mut ui = spawn_ui(bin, &data, dir.path());
        ui.first_frame
            .recv_timeout(Duration::from_secs(30))
            .expect("a first frame");
        ui.wait_for("0 ký tự");
        let idle = ui.status("VmRSS");
        // Paste the 20,000-character answer, then type 200 characters.
        let text = common::vietnamese(20_000, 0);
        let mut paste = b"\x1b[200~".to_vec();
        paste.extend_from_slice(text.as_bytes());
        paste.extend_from_slice(b"\x1b[201~");
        ui.send(&paste);
        ui.wait_for("20000 ký tự");
        for c in "Nhân dân tin tưởng, đồng tình. ".chars().cycle().take(200) {
            let mut b = [0u8; 4];
            ui.send(c.encode_utf8(&mut b).as_bytes());
        }
        ui.wait_for("20200 ký tự");
        // Past the autosave (1.5 s after the last key): its buffers count too.
        std::thread::sleep(Duration::from_millis(2500));
        println!(
            "resident memory: {idle} at the first frame; {} while editing the 20,000-character answer (peak {}) (goal ≤ 15 MB)",
            ui.status("VmRSS"),
            ui.status("VmHWM")
        );
        ui.quit();
    }
}

// ------------------------------------------------------------ the import

fn baocao(bin: &Path, data: &Path) -> Command {
    let mut c = Command::new(bin);
    c.args(["--lang", "en", "--data"]).arg(data);
    c.env("LANG", "C.UTF-8");
    c
}

fn ok(c: &mut Command) {
    let out = c.output().expect("run");
    assert!(out.status.success(), "{c:?} failed: {out:?}");
}

/// The 1,000 commune packages, made with the real code (a complete
/// report each, `Workspace::export`), kept between runs.
fn packages(base: &Path) -> Vec<PathBuf> {
    let usb = base.join("usb");
    let marker = base.join(format!("made-v{FIXTURE_VERSION}-{PACKAGES}"));
    if !marker.exists() {
        let _ = std::fs::remove_dir_all(base);
        std::fs::create_dir_all(&usb).expect("folder");
        std::fs::create_dir_all(base.join("xa")).expect("folder");
        let outline = common::outline();
        let t = Instant::now();
        for n in 0..PACKAGES {
            let unit = common::commune(
                &format!("X{:05}", n + 1),
                &format!("Xã Số {}", n + 1),
                DISTRICT,
            );
            let report = common::complete(&outline, unit, common::IMPORT_TEXT_CHARS, n);
            let path = base.join("xa").join(format!("{n}.json"));
            let mut ws = baocao::workspace::Workspace::new(&path, outline.clone(), report)
                .expect("workspace");
            ws.export(&usb).expect("export");
        }
        std::fs::write(&marker, b"").expect("marker");
        println!(
            "made {PACKAGES} packages in {} in {:.1} s",
            usb.display(),
            t.elapsed().as_secs_f64()
        );
    }
    let mut list: Vec<PathBuf> = std::fs::read_dir(&usb)
        .expect("packages")
        .map(|e| e.expect("entry").path())
        .collect();
    list.sort();
    assert_eq!(list.len(), PACKAGES);
    list
}

/// Wall time and peak resident memory of a command, through
/// `/usr/bin/time -v` (GNU time) when it is there.
fn measure(program: &Path, args: &[&std::ffi::OsStr], env: &[(&str, &str)]) -> (f64, Option<u64>) {
    let gnu_time = Path::new("/usr/bin/time").exists();
    let mut c = if gnu_time {
        let mut c = Command::new("/usr/bin/time");
        c.arg("-v").arg(program);
        c
    } else {
        Command::new(program)
    };
    c.args(args).envs(env.iter().copied());
    c.stdout(Stdio::null()).stderr(Stdio::piped());
    let t = Instant::now();
    let out = c.output().expect("run");
    let wall = t.elapsed().as_secs_f64();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{program:?} failed: {stderr}");
    let peak_kb = stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("Maximum resident set size (kbytes):"))
        .and_then(|v| v.trim().parse().ok());
    (wall, peak_kb)
}

fn mb(kb: Option<u64>) -> String {
    kb.map_or("n/a (no /usr/bin/time)".into(), |k| {
        format!("{:.1} MB", k as f64 / 1024.0)
    })
}

fn import(bin: &Path, folder: &Path) {
    let base = folder.join("baocao-bench-import");
    let files = packages(&base);
    let total: u64 = files
        .iter()
        .map(|f| std::fs::metadata(f).expect("size").len())
        .sum();
    println!(
        "import into a district on {}: {PACKAGES} packages, {:.1} KB each on average, {:.1} MB in all",
        folder.display(),
        total as f64 / PACKAGES as f64 / 1024.0,
        total as f64 / 1_048_576.0
    );
    let csv = base.join("xa.csv");
    let mut list = String::from("ma,ten,loai\n");
    for n in 0..PACKAGES {
        list.push_str(&format!("X{:05},Xã Số {},xa\n", n + 1, n + 1));
    }
    std::fs::write(&csv, list).expect("csv");
    let mut walls = Vec::new();
    let mut peaks = Vec::new();
    for run in 0..3 {
        let d = base.join(format!("district-{run}"));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).expect("folder");
        let data = d.join("huyen.json");
        ok(baocao(bin, &data).args([
            "init",
            "--type",
            "huyen",
            "--code",
            DISTRICT,
            "--name",
            "Huyện ủy Bench",
            "--parent-code",
            "TU-BENCH",
            "--parent-name",
            "Tỉnh ủy Bench",
        ]));
        ok(baocao(bin, &data).arg("children").arg("import").arg(&csv));
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "--lang".as_ref(),
            "en".as_ref(),
            "--data".as_ref(),
            data.as_os_str(),
            "import".as_ref(),
        ];
        args.extend(files.iter().map(|f| f.as_os_str()));
        let (wall, peak) = measure(bin, &args, &[("LANG", "C.UTF-8")]);
        let received = baocao::store::load(&data).map_or(0, |r| r.received.len());
        assert_eq!(received, PACKAGES, "every package taken in");
        walls.push(wall * 1000.0);
        peaks.push(peak);
        let _ = std::fs::remove_dir_all(&d);
    }
    let median = |v: &[f64]| {
        let mut v = v.to_vec();
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    let ours = median(&walls);
    let peak_ratio = peaks
        .iter()
        .flatten()
        .map(|kb| (*kb * 1024) as f64 / total as f64)
        .fold(0.0, f64::max);
    println!(
        "  baocao import: {} (goal ≤ 400 ms); peak memory {} = {:.2}× the bytes imported (goal ≤ 1.5×)",
        stats(walls),
        peaks.iter().map(|p| mb(*p)).collect::<Vec<_>>().join(", "),
        peak_ratio
    );
    let jq = Path::new("/usr/bin/jq");
    if !jq.exists() {
        println!("  jq: not installed (apt-get install jq)");
        return;
    }
    for (label, program) in [
        ("jq -s length", "length"),
        (
            "jq -s (sum of one figure)",
            "map(.answers[\"A.I.1\"].so_hoi_nghi) | add",
        ),
    ] {
        let mut walls = Vec::new();
        let mut peak = None;
        for _ in 0..3 {
            let mut args: Vec<&std::ffi::OsStr> = vec!["-s".as_ref(), program.as_ref()];
            args.extend(files.iter().map(|f| f.as_os_str()));
            let (wall, p) = measure(jq, &args, &[]);
            walls.push(wall * 1000.0);
            peak = p;
        }
        let theirs = median(&walls);
        println!(
            "  {label}: {}; peak memory {}; baocao import is {:.2}× as fast (goal ≥ 2×)",
            stats(walls),
            mb(peak),
            theirs / ours
        );
    }
}

// ------------------------------------------------------ F6 through the UI

const F6_PACKAGES: usize = 200;

/// A new district with the communes on its expected list, as `import`
/// makes it.
fn new_district(bin: &Path, d: &Path, csv: &Path) -> PathBuf {
    let _ = std::fs::remove_dir_all(d);
    std::fs::create_dir_all(d).expect("folder");
    let data = d.join("huyen.json");
    ok(baocao(bin, &data).args([
        "init",
        "--type",
        "huyen",
        "--code",
        DISTRICT,
        "--name",
        "Huyện ủy Bench",
        "--parent-code",
        "TU-BENCH",
        "--parent-name",
        "Tỉnh ủy Bench",
    ]));
    ok(baocao(bin, &data).arg("children").arg("import").arg(csv));
    data
}

/// Draws frames and feeds the jobs' messages to the app as the event loop
/// does (a frame, then up to 10 ms for what the jobs sent), until `done`;
/// returns the frames drawn.
fn pump(
    app: &mut baocao::tui::app::App,
    t: &mut ratatui::Terminal<ratatui::backend::TestBackend>,
    done: impl Fn(&baocao::tui::app::App) -> bool,
) -> usize {
    use baocao::tui::app::Input;
    let mut frames = 0;
    while !done(app) {
        t.draw(|f| baocao::tui::view::draw(f, app)).expect("draw");
        frames += 1;
        if let Some(e) = app.jobs.wait(Duration::from_millis(10)) {
            app.update(Input::Job(e));
        }
        for e in app.jobs.take() {
            app.update(Input::Job(e));
        }
    }
    frames
}

fn f6_import(bin: &Path, folder: &Path) {
    use baocao::tui::app::{App, Input, Layer};
    use baocao::tui::screens::import::{Busy, Stage};
    use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    let base = folder.join("baocao-bench-import");
    let all = packages(&base);
    let usb = base.join(format!("usb-{F6_PACKAGES}"));
    let _ = std::fs::remove_dir_all(&usb);
    std::fs::create_dir_all(&usb).expect("folder");
    let mut files = Vec::new();
    for f in &all[..F6_PACKAGES] {
        let to = usb.join(f.file_name().expect("name"));
        std::fs::hard_link(f, &to)
            .or_else(|_| std::fs::copy(f, &to).map(drop))
            .expect("package");
        files.push(to);
    }
    let csv = base.join("xa-f6.csv");
    let mut list = String::from("ma,ten,loai\n");
    for n in 0..F6_PACKAGES {
        list.push_str(&format!("X{:05},Xã Số {},xa\n", n + 1, n + 1));
    }
    std::fs::write(&csv, list).expect("csv");
    println!(
        "F6 import through the UI on {}: {F6_PACKAGES} packages, 120x40",
        folder.display()
    );
    let press = |app: &mut App, code| {
        app.update(Input::Term(Event::Key(KeyEvent::new(
            code,
            KeyModifiers::NONE,
        ))))
    };
    let importing = |app: &App| {
        matches!(app.front(), Some(Layer::Import(s))
            if matches!(s.busy, Some(Busy { stage: Stage::Import, .. })))
    };
    let (mut walls, mut frames, mut cli) = (Vec::new(), Vec::new(), Vec::new());
    for run in 0..6 {
        let data = new_district(bin, &base.join(format!("f6-{run}")), &csv);
        let report = baocao::store::load(&data).expect("report");
        let outline = report.outline(None).expect("outline");
        let ws = baocao::workspace::Workspace::new(&data, outline, report).expect("workspace");
        let mut app = App::new(
            ws,
            (W, H),
            baocao::tui::theme::Theme {
                color: false,
                ascii: false,
            },
        );
        let mut t =
            ratatui::Terminal::new(ratatui::backend::TestBackend::new(W, H)).expect("terminal");
        press(&mut app, KeyCode::F(6));
        pump(&mut app, &mut t, |a| !a.jobs.busy());
        if let Some(Layer::Import(s)) = app.front_mut() {
            s.dir.set_text(&usb.display().to_string());
        }
        press(&mut app, KeyCode::Enter);
        pump(&mut app, &mut t, |a| !a.jobs.busy());
        let start = Instant::now();
        press(&mut app, KeyCode::Enter);
        assert!(importing(&app), "the import started");
        let drawn = pump(&mut app, &mut t, |a| !importing(a));
        let wall = start.elapsed().as_secs_f64() * 1000.0;
        assert_eq!(app.ws.report.received.len(), F6_PACKAGES, "all taken in");
        // The first run warms the page cache; it is not counted.
        if run > 0 {
            walls.push(wall);
            frames.push(drawn as f64);
        }
        // The same files into the same new district, by the command line.
        let data = new_district(bin, &base.join(format!("f6-cli-{run}")), &csv);
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "--lang".as_ref(),
            "en".as_ref(),
            "--data".as_ref(),
            data.as_os_str(),
            "import".as_ref(),
        ];
        args.extend(files.iter().map(|f| f.as_os_str()));
        let (wall, _) = measure(bin, &args, &[("LANG", "C.UTF-8")]);
        if run > 0 {
            cli.push(wall * 1000.0);
        }
        let _ = std::fs::remove_dir_all(base.join(format!("f6-{run}")));
        let _ = std::fs::remove_dir_all(base.join(format!("f6-cli-{run}")));
    }
    frames.sort_by(|a, b| a.total_cmp(b));
    println!(
        "  F6, Enter on the list to the import's result: {} (goal ≤ 300 ms); frames drawn meanwhile: {} to {}",
        stats(walls),
        frames[0],
        frames[frames.len() - 1]
    );
    println!("  baocao import of the same files: {}", stats(cli));
}

// ------------------------------------------------------------ the render

/// DOCX of a commune report whose list of documents has `rows` rows.
fn render(bin: &Path) {
    let base = std::env::temp_dir().join("baocao-bench-render");
    let _ = std::fs::remove_dir_all(&base);
    std::fs::create_dir_all(&base).expect("folder");
    let outline = common::outline();
    let row = serde_json::json!({
        "so_ky_hieu": "12-KH/ĐU",
        "ngay_ban_hanh": "12/03/2014",
        "co_quan": "Đảng ủy xã Tân Phú",
        "trich_yeu": "Kế hoạch quán triệt Kết luận 62-KL/TW về tiếp tục đổi mới nội dung, phương thức hoạt động của MTTQ và các đoàn thể",
    });
    println!("render to DOCX (median of 3):");
    let mut largest = None;
    for rows in [2_000, 10_000, baocao::render::MAX_TABLE_ROWS - 100] {
        let unit = common::commune("27112", "Xã Tân Phú", DISTRICT);
        let mut report = common::complete(&outline, unit, common::TEXT_CHARS, 0);
        report.set_value(
            "A.I.2",
            "van_ban",
            serde_json::Value::Array(vec![row.clone(); rows]),
        );
        let data = base.join(format!("r{rows}.json"));
        baocao::store::save(&data, &report).expect("save");
        let out = base.join(format!("r{rows}.docx"));
        let args: Vec<&std::ffi::OsStr> = vec![
            "--data".as_ref(),
            data.as_os_str(),
            "render".as_ref(),
            "--format".as_ref(),
            "docx".as_ref(),
            "--out".as_ref(),
            out.as_os_str(),
        ];
        let mut runs: Vec<(f64, Option<u64>)> = (0..3).map(|_| measure(bin, &args, &[])).collect();
        runs.sort_by(|a, b| a.0.total_cmp(&b.0));
        let (wall, peak) = runs[1];
        let size = std::fs::metadata(&out).map_or(0, |m| m.len());
        println!(
            "  {rows:>6} rows: {:.2} s, peak {}, {:.1} MB written; per 1,000 rows {:.0} ms, {}",
            wall,
            mb(peak),
            size as f64 / 1048576.0,
            wall * 1000.0 / (rows as f64 / 1000.0),
            mb(peak.map(|k| k * 1000 / rows as u64)),
        );
        largest = Some(out);
    }
    let soffice = ["/usr/bin/soffice", "/usr/bin/libreoffice"]
        .into_iter()
        .map(Path::new)
        .find(|p| p.exists());
    match (soffice, largest) {
        (Some(lo), Some(docx)) => {
            let args: Vec<&std::ffi::OsStr> = vec![
                "--headless".as_ref(),
                "--convert-to".as_ref(),
                "pdf".as_ref(),
                "--outdir".as_ref(),
                base.as_os_str(),
                docx.as_os_str(),
            ];
            let (wall, peak) = measure(lo, &args, &[]);
            println!(
                "  LibreOffice, that DOCX to PDF: {wall:.1} s, peak {}",
                mb(peak)
            );
        }
        _ => println!("  LibreOffice: not installed (apt-get install libreoffice-writer-nogui)"),
    }
}
