//! F6 through the real entry point, its slow work as jobs: the screen is
//! drawn while the folder is read and the packages are taken in, with
//! counts; the report comes out as `baocao import` makes it; a job that
//! fails says why; quitting during an import leaves every file whole.

mod common;

use baocao::outline::Outline;
use baocao::report::Report;
use baocao::tui::app::{App, Effect, Input, Layer};
use baocao::tui::theme::Theme;
use baocao::tui::view;
use baocao::workspace::{Workspace, archive_file};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

const PLAIN: Theme = Theme {
    color: false,
    ascii: false,
};
const COMMUNES: usize = 40;

fn key(app: &mut App, code: KeyCode) -> Vec<Effect> {
    app.update(Input::Term(Event::Key(KeyEvent::new(
        code,
        KeyModifiers::NONE,
    ))))
}

fn draw(app: &mut App, t: &mut Terminal<TestBackend>) -> String {
    t.draw(|f| view::draw(f, app)).unwrap();
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// Feeds the jobs' messages to the app one at a time, as inputs, drawing
/// a frame after each; returns the frames and the effects asked for.
fn run_jobs(app: &mut App, t: &mut Terminal<TestBackend>) -> (Vec<String>, Vec<Effect>) {
    let mut frames = Vec::new();
    let mut effects = Vec::new();
    while app.jobs.busy() {
        let event = app
            .jobs
            .wait(Duration::from_secs(30))
            .expect("a job answers");
        effects.extend(app.update(Input::Job(event)));
        frames.push(draw(app, t));
    }
    (frames, effects)
}

/// `n` communes' packages on the stick `dir/usb`, in order of file name.
fn packages(dir: &Path, n: usize) -> (PathBuf, Vec<PathBuf>) {
    let outline = Outline::embedded().clone();
    let usb = dir.join("usb");
    std::fs::create_dir_all(&usb).unwrap();
    let mut files = Vec::new();
    for i in 0..n {
        let code = format!("X{:04}", i + 1);
        let name = format!("Xã Số {}", i + 1);
        let mut r = Report::new(&outline, common::unit("xa", &code, &name, Some("HU01"))).unwrap();
        r.set_value("A.I.1", "so_hoi_nghi", json!(i + 1));
        r.set_value(
            "A.I.1",
            "hinh_thuc_quan_triet",
            json!(format!("{name} quán triệt.")),
        );
        let path = dir.join("xa").join(format!("{code}.json"));
        baocao::store::save(&path, &r).unwrap();
        files.push(
            Workspace::new(&path, outline.clone(), r)
                .unwrap()
                .export(&usb)
                .unwrap(),
        );
    }
    files.sort();
    (usb, files)
}

/// A district's report at `dir/name`, saved, and an app on it.
/// A district with the senders of `packages` on its list of units.
fn district(dir: &Path, name: &str, packages: &[PathBuf]) -> App {
    let mut ws = common::workspace(
        dir,
        name,
        common::unit("huyen", "HU01", "Huyện ủy Tân Phú", None),
    );
    common::list_senders(&mut ws, packages);
    baocao::store::save(&ws.path, &ws.report).unwrap();
    App::new(ws, (110, 36), PLAIN)
}

/// F6, the folder typed in, Enter: the folder is read (as a job).
fn open_folder(app: &mut App, t: &mut Terminal<TestBackend>, folder: &Path) -> Vec<String> {
    key(app, KeyCode::F(6));
    run_jobs(app, t);
    let Some(Layer::Import(s)) = app.front_mut() else {
        panic!("no import screen")
    };
    s.dir.set_text(&folder.display().to_string());
    key(app, KeyCode::Enter);
    let mut frames = vec![draw(app, t)];
    frames.extend(run_jobs(app, t).0);
    frames
}

/// The report as JSON without the times of the run.
fn without_times(report: &Report) -> Value {
    let mut v = serde_json::to_value(report).unwrap();
    v.as_object_mut().unwrap().remove("updated_at");
    for r in v["received"].as_array_mut().unwrap() {
        let r = r.as_object_mut().unwrap();
        r.remove("received_at");
        r.remove("first_received_at");
    }
    for c in v["children"].as_array_mut().into_iter().flatten() {
        if let Some(k) = c.get_mut("key").and_then(Value::as_object_mut) {
            k.remove("pinned_at");
        }
    }
    v
}

fn file_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn f6_reads_and_imports_as_jobs_with_counts_and_matches_baocao_import() {
    let dir = tempfile::tempdir().unwrap();
    let (usb, files) = packages(dir.path(), COMMUNES);
    let mut app = district(dir.path(), "huyen.json", &files);
    // The same district, untouched, for `baocao import`.
    let cli_dir = dir.path().join("cli");
    std::fs::create_dir_all(&cli_dir).unwrap();
    std::fs::copy(&app.ws.path, cli_dir.join("huyen.json")).unwrap();
    let mut t = Terminal::new(TestBackend::new(110, 36)).unwrap();

    let frames = open_folder(&mut app, &mut t, &usb);
    assert!(
        frames.iter().any(|f| f.contains("Đang đọc thư mục…")
            || f.contains(&format!("Đang kiểm tra 0/{COMMUNES} gói"))),
        "the first frame says the folder is being read"
    );
    assert!(
        frames
            .iter()
            .any(|f| f.contains(&format!("Đang kiểm tra {}/{COMMUNES} gói", COMMUNES / 2))),
        "counts while checking"
    );
    let listed = frames.last().unwrap();
    assert!(listed.contains("Nhận gói của Xã Số 1 "), "{listed}");

    // Enter on the list: the import runs as a job; frames are drawn
    // meanwhile, with how many packages are in.
    let mut effects = key(&mut app, KeyCode::Enter);
    let first = draw(&mut app, &mut t);
    assert!(
        first.contains(&format!("Đang nhận 0/{COMMUNES} gói")),
        "{first}"
    );
    let (frames, more) = run_jobs(&mut app, &mut t);
    effects.extend(more);
    let counted: Vec<&String> = frames
        .iter()
        .filter(|f| (1..COMMUNES).any(|k| f.contains(&format!("Đang nhận {k}/{COMMUNES} gói"))))
        .collect();
    assert!(
        counted.len() >= COMMUNES / 2,
        "a frame for each package taken in ({} frames)",
        counted.len()
    );
    assert_eq!(effects, vec![Effect::Save], "saved the usual way");
    assert_eq!(app.ws.report.received.len(), COMMUNES);
    let done = frames.last().unwrap();
    assert!(
        done.contains("Nhận gói của Xã Số 1 "),
        "what happened: {done}"
    );
    assert!(
        done.contains(&format!("Tổng: Nhận {COMMUNES}, trùng 0, từ chối 0.")),
        "the total: {done}"
    );
    // Enter: back to the folder, read again after.
    key(&mut app, KeyCode::Enter);
    let again = draw(&mut app, &mut t);
    assert!(again.contains("đã nhận rồi"), "read again after: {again}");
    // What the event loop does with Effect::Save.
    baocao::store::save(&app.ws.path, &app.ws.report).unwrap();

    let mut cli = Command::new(env!("CARGO_BIN_EXE_baocao"));
    cli.args(["--lang", "vi", "--data"])
        .arg(cli_dir.join("huyen.json"))
        .arg("import")
        .args(&files);
    let out = cli.output().unwrap();
    assert!(out.status.success(), "{out:?}");
    let by_cli = baocao::store::load(&cli_dir.join("huyen.json")).unwrap();
    let by_ui = baocao::store::load(&app.ws.path).unwrap();
    assert_eq!(without_times(&by_ui), without_times(&by_cli));
    assert_eq!(
        baocao::store::archive::records(&app.ws.path),
        baocao::store::archive::records(&cli_dir.join("huyen.json"))
    );
}

/// F6 on a stick holding a FIFO named like a package: it is listed as
/// refused with the reason, at once (never opened for reading), and the
/// package beside it is offered as usual.
#[cfg(unix)]
#[test]
fn f6_refuses_a_fifo_named_like_a_package_without_waiting_on_it() {
    let dir = tempfile::tempdir().unwrap();
    let (usb, files) = packages(dir.path(), 1);
    let fifo = usb.join("ong.bcpkg");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid C string.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let mut app = district(dir.path(), "huyen.json", &files);
    let mut t = Terminal::new(TestBackend::new(110, 36)).unwrap();
    let frames = open_folder(&mut app, &mut t, &usb);
    let listed = frames.last().unwrap();
    assert!(listed.contains("Nhận gói của Xã Số 1 "), "{listed}");
    let lines: Vec<&str> = listed.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains("ong.bcpkg"))
        .unwrap_or_else(|| panic!("the FIFO is listed: {listed}"));
    assert!(
        lines[at].contains("✗") && lines[at].contains("từ chối"),
        "{}",
        lines[at]
    );
    // Its reason, in full, on the lines under it.
    let reason = lines[at + 1..at + 4].concat();
    assert!(
        reason.contains("Từ chối") && reason.contains("Không đọc được"),
        "{reason}"
    );
}

#[test]
fn a_folder_that_cannot_be_read_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let mut app = district(dir.path(), "huyen.json", &[]);
    let mut t = Terminal::new(TestBackend::new(110, 36)).unwrap();
    let frames = open_folder(&mut app, &mut t, &dir.path().join("khong-co"));
    let shown = frames.last().unwrap();
    assert!(
        shown.contains("Không đọc thư mục được") && shown.contains("khong-co"),
        "{shown}"
    );
    assert!(shown.contains("không tìm thấy"), "{shown}");
}

#[test]
fn an_archive_that_cannot_be_written_says_why_and_takes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (usb, files) = packages(dir.path(), 3);
    let mut app = district(dir.path(), "huyen.json", &files);
    // Where the archive file goes, a folder.
    std::fs::create_dir(archive_file(&app.ws.path)).unwrap();
    let before = std::fs::read(&app.ws.path).unwrap();
    let mut t = Terminal::new(TestBackend::new(110, 36)).unwrap();
    open_folder(&mut app, &mut t, &usb);
    let mut effects = key(&mut app, KeyCode::Enter);
    let (frames, more) = run_jobs(&mut app, &mut t);
    effects.extend(more);
    let shown = frames.last().unwrap();
    assert!(shown.contains("Không"), "the reason: {shown}");
    assert!(app.ws.report.received.is_empty(), "nothing recorded");
    assert!(effects.is_empty(), "nothing to save: {effects:?}");
    assert_eq!(std::fs::read(&app.ws.path).unwrap(), before);
}

/// A 256 KiB tmpfs (as root; the test says so and passes elsewhere).
struct Tmpfs(tempfile::TempDir);

impl Tmpfs {
    fn mount() -> Option<Tmpfs> {
        let dir = tempfile::tempdir().unwrap();
        let ok = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=256k,mode=0755", "tmpfs"])
            .arg(dir.path())
            .output()
            .is_ok_and(|o| o.status.success());
        if !ok {
            eprintln!("skipped: cannot mount a tmpfs here");
        }
        ok.then_some(Tmpfs(dir))
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg("-l").arg(self.0.path()).status();
    }
}

#[test]
fn a_full_disk_while_archiving_says_so_and_loses_nothing() {
    let Some(fs) = Tmpfs::mount() else { return };
    let dir = tempfile::tempdir().unwrap();
    let (usb, files) = packages(dir.path(), 3);
    let mut app = district(fs.0.path(), "huyen.json", &files);
    let before = std::fs::read(&app.ws.path).unwrap();
    // Fill the disk.
    let mut filler = std::fs::File::create(fs.0.path().join("filler.bin")).unwrap();
    let block = vec![0x55u8; 4096];
    while std::io::Write::write(&mut filler, &block).is_ok_and(|n| n > 0) {}
    drop(filler);
    let mut t = Terminal::new(TestBackend::new(110, 36)).unwrap();
    open_folder(&mut app, &mut t, &usb);
    key(&mut app, KeyCode::Enter);
    let (frames, effects) = run_jobs(&mut app, &mut t);
    let shown = frames.last().unwrap();
    assert!(shown.contains("ổ đĩa đã đầy"), "{shown}");
    assert!(app.ws.report.received.is_empty());
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(std::fs::read(&app.ws.path).unwrap(), before);
}

#[test]
fn quitting_during_an_import_waits_and_leaves_every_file_whole() {
    let dir = tempfile::tempdir().unwrap();
    let (usb, files) = packages(dir.path(), COMMUNES);
    let mut app = district(dir.path(), "huyen.json", &files);
    let mut t = Terminal::new(TestBackend::new(110, 36)).unwrap();
    open_folder(&mut app, &mut t, &usb);
    let mut effects = key(&mut app, KeyCode::Enter);
    effects.extend(app.update(Input::Term(Event::Key(KeyEvent::new(
        KeyCode::Char('q'),
        KeyModifiers::CONTROL,
    )))));
    assert!(
        !effects.contains(&Effect::Quit),
        "not before the import is safe"
    );
    let waiting = draw(&mut app, &mut t);
    assert!(waiting.contains("Đang ghi… xin chờ"), "{waiting}");
    let (_, more) = run_jobs(&mut app, &mut t);
    effects.extend(more);
    assert_eq!(effects.last(), Some(&Effect::Quit), "{effects:?}");
    // The loop's last save.
    baocao::store::save(&app.ws.path, &app.ws.report).unwrap();
    let report = baocao::store::load(&app.ws.path).unwrap();
    let names = file_names(app.ws.path.parent().unwrap());
    assert!(
        names
            .iter()
            .all(|n| !(n.starts_with('.') && n.contains("tmp"))),
        "no temporary file: {names:?}"
    );
    for r in &report.received {
        let bytes = common::archived(&app.ws.path, &r.checksum)
            .unwrap_or_else(|| panic!("{} is not archived", r.file));
        baocao::package::parse(&bytes).unwrap_or_else(|e| panic!("{} is not whole: {e}", r.file));
    }
    assert!(
        [0, 32, COMMUNES].contains(&report.received.len()),
        "stopped between two batches: {}",
        report.received.len()
    );
    // Reopened, every package it lists is there.
    let outline = report.outline(None).unwrap();
    Workspace::new(&app.ws.path, outline, report).unwrap();
}

#[test]
fn f6_records_the_day_a_paper_or_late_delivery_arrived() {
    let dir = tempfile::tempdir().unwrap();
    let (usb, files) = packages(dir.path(), 3);
    let mut app = district(dir.path(), "huyen.json", &files);
    let mut t = Terminal::new(TestBackend::new(110, 36)).unwrap();
    let listed = open_folder(&mut app, &mut t, &usb);
    assert!(listed.last().unwrap().contains("Ngày nhận thực tế:"));
    // Enter read the folder and put the keyboard on the list; Tab goes
    // back to the folder, Tab again to the delivery day.
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Tab);
    for c in "31/02/2014".chars() {
        key(&mut app, KeyCode::Char(c));
    }
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Enter);
    assert!(
        !app.jobs.busy(),
        "a day that does not exist takes nothing in"
    );
    let shown = draw(&mut app, &mut t);
    assert!(
        shown.contains("Ngày nhận: Ngày không có thật: 31/02/2014"),
        "{shown}"
    );
    assert!(app.ws.report.received.is_empty());

    // Corrected: the packages count as delivered on 12/10/2014.
    let Some(Layer::Import(s)) = app.front_mut() else {
        panic!("no import screen")
    };
    assert!(
        s.focus == baocao::tui::screens::import::Focus::Date,
        "the keyboard went back to the day"
    );
    s.received_on.set_text("12/10/2014");
    key(&mut app, KeyCode::Tab);
    key(&mut app, KeyCode::Enter);
    run_jobs(&mut app, &mut t);
    assert_eq!(app.ws.report.received.len(), 3);
    for r in &app.ws.report.received {
        assert_eq!(r.delivered_on.as_deref(), Some("12/10/2014"));
        assert_eq!(r.sent_on.as_deref(), Some("12/10/2014"));
    }
}

/// A district whose archived package of one unit is damaged opens: the
/// notice names the unit and what to do, F7 marks it, the figures leave
/// it out, and F6 on the stick takes its package in again.
#[test]
fn a_damaged_archived_package_is_named_on_opening_and_in_f7() {
    let dir = tempfile::tempdir().unwrap();
    let (usb, files) = packages(dir.path(), 2);
    let mut app = district(dir.path(), "huyen.json", &files);
    let mut t = Terminal::new(TestBackend::new(110, 36)).unwrap();
    open_folder(&mut app, &mut t, &usb);
    key(&mut app, KeyCode::Enter);
    run_jobs(&mut app, &mut t);
    baocao::store::save(&app.ws.path, &app.ws.report).unwrap();
    let damaged = app
        .ws
        .report
        .received
        .iter()
        .find(|r| r.code == "X0002")
        .unwrap()
        .checksum
        .clone();
    common::damage_archived(&app.ws.path, &damaged);

    let report = baocao::store::load(&app.ws.path).unwrap();
    let ws = Workspace::new(&app.ws.path, Outline::embedded().clone(), report).unwrap();
    assert_eq!(ws.damaged.len(), 1);
    assert_eq!(ws.children.len(), 1, "only X0001 counts");
    let mut app = App::new(ws, (110, 36), PLAIN);
    let notice = app.notice.clone().expect("a notice on opening");
    assert!(
        notice.contains("Gói đã nhận của Xã Số 2 (X0002), lần gửi 1, bị hỏng")
            && notice.contains("Hãy nhập lại gói của đơn vị này"),
        "{notice}"
    );
    key(&mut app, KeyCode::F(7));
    let frame = draw(&mut app, &mut t);
    let row = frame
        .lines()
        .find(|l| l.contains("X0002"))
        .unwrap_or_else(|| panic!("{frame}"));
    assert!(row.contains("✗") && row.contains("gói hỏng"), "{row}");
    assert!(frame.contains("gói hỏng 1"), "{frame}");
    key(&mut app, KeyCode::Esc);

    // F6 on the stick: X0002 is taken as new, X0001 unchanged.
    let frames = open_folder(&mut app, &mut t, &usb);
    let listed = frames.last().unwrap();
    assert!(listed.contains("Nhận gói của Xã Số 2 "), "{listed}");
    key(&mut app, KeyCode::Enter);
    run_jobs(&mut app, &mut t);
    assert!(app.ws.damaged.is_empty());
    assert_eq!(app.ws.children.len(), 2);
}

/// Ctrl+P writes the report document as DOCX into the folder typed (the
/// USB stick when one is found), as a job, and says where; a folder that
/// does not exist is refused with its reason.
#[test]
fn ctrl_p_prints_the_document_as_docx_into_a_folder() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let outline = Outline::embedded().clone();
    let unit = common::unit("xa", "27112", "Xã Tân Phú", Some("HU01"));
    let mut report = Report::new(&outline, unit).unwrap();
    report.set_value("A.I.1", "so_hoi_nghi", json!(12));
    let ws = Workspace::new(&dir.join("xa.json"), outline, report).unwrap();
    let mut app = App::new(ws, (80, 24), PLAIN);
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    app.update(Input::Term(Event::Key(KeyEvent::new(
        KeyCode::Char('p'),
        KeyModifiers::CONTROL,
    ))));
    run_jobs(&mut app, &mut t); // the USB look-up
    assert!(draw(&mut app, &mut t).contains("In văn bản báo cáo (Ctrl+P)"));
    let set_folder = |app: &mut App, folder: &Path| {
        let Some(Layer::Export(s)) = app.front_mut() else {
            panic!("no print dialog")
        };
        s.dir.set_text(&folder.display().to_string());
        // Whether LibreOffice is here is for the test below.
        s.office = None;
    };
    set_folder(&mut app, &dir.join("khong-co"));
    key(&mut app, KeyCode::Enter);
    run_jobs(&mut app, &mut t);
    assert!(draw(&mut app, &mut t).contains("Không có thư mục"));
    let out = dir.join("in");
    std::fs::create_dir_all(&out).unwrap();
    set_folder(&mut app, &out);
    key(&mut app, KeyCode::Enter);
    run_jobs(&mut app, &mut t);
    let screen = draw(&mut app, &mut t);
    let files = file_names(&out);
    assert_eq!(files.len(), 1, "{files:?}");
    assert!(files[0].ends_with(".docx"), "{files:?}");
    assert!(screen.contains("Đã ghi:"), "{screen}");
    let bytes = std::fs::read(out.join(&files[0])).unwrap();
    assert!(bytes.starts_with(b"PK"), "a DOCX is a zip");
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("word/document.xml"));
    // No package was written, nor an export recorded.
    assert!(app.ws.report.last_export.is_none());
}

/// The app at a commune, the print dialog open (Ctrl+P), its folder
/// `out` and LibreOffice `office`.
fn print_dialog(dir: &Path, out: &Path, office: Option<PathBuf>) -> (App, Terminal<TestBackend>) {
    let outline = Outline::embedded().clone();
    let unit = common::unit("xa", "27112", "Xã Tân Phú", Some("HU01"));
    let ws = Workspace::new(
        &dir.join("xa.json"),
        outline.clone(),
        Report::new(&outline, unit).unwrap(),
    )
    .unwrap();
    let mut app = App::new(ws, (80, 24), PLAIN);
    let mut t = Terminal::new(TestBackend::new(80, 24)).unwrap();
    app.update(Input::Term(Event::Key(KeyEvent::new(
        KeyCode::Char('p'),
        KeyModifiers::CONTROL,
    ))));
    run_jobs(&mut app, &mut t);
    let Some(Layer::Export(s)) = app.front_mut() else {
        panic!("no print dialog")
    };
    s.dir.set_text(&out.display().to_string());
    s.office = office;
    (app, t)
}

/// Where LibreOffice is installed, the print dialog offers a PDF once the
/// DOCX is written, and says where it went; without it, it does not offer.
#[cfg(unix)]
#[test]
fn printing_offers_a_pdf_where_libreoffice_is_installed() {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let out = dir.join("usb");
    std::fs::create_dir_all(&out).unwrap();
    // A stand-in that converts as LibreOffice does: the last argument,
    // into the --outdir folder, with .pdf for .docx.
    let fake = dir.join("soffice");
    std::fs::write(
        &fake,
        "#!/bin/sh\nfor a; do last=$a; done\nbase=$(basename \"$last\" .docx)\nprintf '%%PDF-1.4' > \"$(dirname \"$last\")/$base.pdf\"\n",
    )
    .unwrap();
    std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    let (mut app, mut t) = print_dialog(dir, &out, Some(fake));
    let s = draw(&mut app, &mut t);
    assert!(
        s.contains("Enter: ghi văn bản"),
        "the print dialog's own keys:\n{s}"
    );
    assert!(!s.contains("gói"), "nothing about packages:\n{s}");
    key(&mut app, KeyCode::Enter);
    run_jobs(&mut app, &mut t);
    let s = draw(&mut app, &mut t);
    assert!(s.contains("Enter: tạo PDF"), "{s}");
    insta::assert_snapshot!(
        "printed_offers_pdf_80x24",
        s.replace(&dir.display().to_string(), "TMP")
    );
    let mut wide = Terminal::new(TestBackend::new(120, 40)).unwrap();
    insta::assert_snapshot!(
        "printed_offers_pdf_120x40",
        draw(&mut app, &mut wide).replace(&dir.display().to_string(), "TMP")
    );
    key(&mut app, KeyCode::Enter);
    run_jobs(&mut app, &mut t);
    let s = draw(&mut app, &mut t);
    assert!(s.contains("Bản PDF:"), "{s}");
    let files = file_names(&out);
    assert_eq!(files.len(), 2, "{files:?}");
    assert!(files.iter().any(|f| f.ends_with(".pdf")), "{files:?}");
    // A program that makes no PDF: the reason, the DOCX kept.
    let broken = dir.join("broken");
    std::fs::write(&broken, "#!/bin/sh\necho 'không mở được' >&2\nexit 3\n").unwrap();
    std::fs::set_permissions(&broken, std::fs::Permissions::from_mode(0o755)).unwrap();
    let out2 = dir.join("usb2");
    std::fs::create_dir_all(&out2).unwrap();
    let (mut app, mut t) = print_dialog(dir, &out2, Some(broken));
    key(&mut app, KeyCode::Enter);
    run_jobs(&mut app, &mut t);
    key(&mut app, KeyCode::Enter);
    run_jobs(&mut app, &mut t);
    let s = draw(&mut app, &mut t);
    assert!(s.contains("LibreOffice không tạo được PDF"), "{s}");
    assert_eq!(file_names(&out2).len(), 1, "the DOCX stays");
    // No LibreOffice: Enter after printing goes back, nothing offered.
    let out3 = dir.join("usb3");
    std::fs::create_dir_all(&out3).unwrap();
    let (mut app, mut t) = print_dialog(dir, &out3, None);
    key(&mut app, KeyCode::Enter);
    run_jobs(&mut app, &mut t);
    assert!(!draw(&mut app, &mut t).contains("PDF"));
    key(&mut app, KeyCode::Enter);
    assert!(app.layers.is_empty());
}

/// The real LibreOffice, where installed, makes a PDF of the DOCX.
#[test]
fn the_real_libreoffice_makes_the_pdf() {
    let Some(office) = baocao::office::find() else {
        common::skip(
            "the_real_libreoffice_makes_the_pdf",
            "LibreOffice is not installed (apt-get install libreoffice-writer-nogui)",
        );
        return;
    };
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("usb");
    std::fs::create_dir_all(&out).unwrap();
    let (mut app, mut t) = print_dialog(tmp.path(), &out, Some(office));
    key(&mut app, KeyCode::Enter);
    run_jobs(&mut app, &mut t);
    key(&mut app, KeyCode::Enter);
    run_jobs(&mut app, &mut t);
    let s = draw(&mut app, &mut t);
    assert!(s.contains("Bản PDF:"), "{s}");
    let pdf = file_names(&out)
        .into_iter()
        .find(|f| f.ends_with(".pdf"))
        .unwrap();
    assert!(std::fs::read(out.join(pdf)).unwrap().starts_with(b"%PDF"));
}
