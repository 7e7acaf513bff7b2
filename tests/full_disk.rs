//! Saving onto a full or read-only filesystem, on a real one: a 256 KiB
//! tmpfs mounted for each test (as root; skipped with a note elsewhere).
//!
//! - `fill`, `init --force` and `export --out` onto a full disk: a message
//!   in Vietnamese naming the full disk, a non-zero exit, the old report
//!   byte for byte, no temp file, no damaged backup; once space is freed
//!   the same command works.
//! - The same on a disk with room for the new report but not for the backup
//!   copy of the old one (the partial backup copy must not stay behind).
//! - `import` with room for the packages but not for the report listing
//!   them: "no package was taken", never "Nhận gói", the report unchanged.
//! - The UI (100×30): the disk fills while typing; the title bar says "CHƯA
//!   LƯU ĐƯỢC", the key bar below gives the reason, the text stays on screen; space freed, it saves
//!   by itself within seconds and Ctrl+Q leaves the file holding everything.
//! - Read-only: `mount -o remount,ro`: fill and export refuse with words
//!   about a read-only drive, nothing changes; remounted rw they work. In
//!   the UI the folder turns read-only while typing and comes back.
#![cfg(target_os = "linux")]

mod common;
mod pty;

use common::*;
use pty::Ui;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

const DISK_FULL: &str = "ổ đĩa đã đầy";
const READ_ONLY: &str = "ổ đĩa chỉ cho đọc";

/// A small tmpfs, unmounted (with everything stacked on it) when dropped,
/// also when the test fails.
struct Tmpfs {
    dir: tempfile::TempDir,
    mounts: usize,
}

impl Tmpfs {
    fn mount() -> Option<Tmpfs> {
        let dir = temp_dir();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "size=256k,mode=0755", "tmpfs"])
            .arg(dir.path())
            .output();
        match out {
            Ok(o) if o.status.success() => Some(Tmpfs { dir, mounts: 1 }),
            Ok(o) => {
                skip(
                    "full_disk",
                    &format!(
                        "cannot mount a tmpfs (needs root): {}",
                        String::from_utf8_lossy(&o.stderr).trim()
                    ),
                );
                None
            }
            Err(e) => {
                skip("full_disk", &format!("cannot run mount: {e}"));
                None
            }
        }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn remount(&self, how: &str) {
        let out = Command::new("mount")
            .args(["-o", &format!("remount,{how}")])
            .arg(self.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "mount -o remount,{how}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    /// Stacks a read-only view of the folder on top of itself: what the
    /// program sees when its medium turns read-only while it runs. (A plain
    /// `remount,ro` is refused by the kernel while the program holds its
    /// lock file open for writing: EBUSY.)
    fn cover_read_only(&mut self) {
        let out = Command::new("mount")
            .args(["--bind", "-o", "ro"])
            .arg(self.path())
            .arg(self.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "mount --bind -o ro: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.mounts += 1;
    }

    fn uncover(&mut self) {
        let out = Command::new("umount").arg(self.path()).output().unwrap();
        assert!(
            out.status.success(),
            "umount: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.mounts -= 1;
    }

    /// Writes a filler file until the disk is full; returns its path.
    fn fill(&self) -> PathBuf {
        let filler = self.path().join("filler.bin");
        let mut f = std::fs::File::create(&filler).unwrap();
        let block = vec![0x55u8; 4096];
        loop {
            match f.write(&block) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) if e.raw_os_error() == Some(libc::ENOSPC) => break,
                Err(e) => panic!("filling the disk: {e}"),
            }
        }
        let _ = f.sync_all();
        filler
    }

    /// Frees `pages` pages of 4 KiB from the filler.
    fn free_pages(&self, filler: &Path, pages: u64) {
        let f = std::fs::OpenOptions::new()
            .write(true)
            .open(filler)
            .unwrap();
        let len = f.metadata().unwrap().len();
        f.set_len(len.saturating_sub(pages * 4096)).unwrap();
    }
}

impl Drop for Tmpfs {
    fn drop(&mut self) {
        for _ in 0..self.mounts {
            // Lazy: a program still holding a file there cannot keep it.
            let _ = Command::new("umount")
                .arg("-l")
                .arg(self.dir.path())
                .status();
        }
    }
}

/// Every file in a folder, by name, with its bytes.
fn snapshot(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut all: Vec<_> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.flatten()
                .filter(|e| e.file_type().unwrap().is_file())
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        std::fs::read(e.path()).unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    all.sort();
    all
}

/// The state that must survive a refused save: the report, its backups and
/// the packages in the folder, byte for byte (the lock file and the filler
/// aside).
struct Before {
    report: Vec<u8>,
    backups: Vec<(String, Vec<u8>)>,
    packages: Vec<String>,
}

impl Before {
    fn take(report: &Path) -> Before {
        Before {
            report: std::fs::read(report).unwrap(),
            backups: snapshot(&baocao::store::backup_dir(report)),
            packages: packages(report.parent().unwrap()),
        }
    }

    #[track_caller]
    fn unchanged(&self, report: &Path, what: &str) {
        assert!(
            std::fs::read(report).unwrap() == self.report,
            "{what}: the report changed"
        );
        let dir = report.parent().unwrap();
        assert_eq!(
            pty::temp_files(dir, "r.json"),
            Vec::<String>::new(),
            "{what}: a temp file was left"
        );
        assert_eq!(packages(dir), self.packages, "{what}: a package appeared");
        let backups = snapshot(&baocao::store::backup_dir(report));
        // A refused save may have made room among the backups (the oldest
        // goes first) but leaves no partial copy: each one left is one of
        // those there before.
        for (name, bytes) in &backups {
            assert!(
                self.backups.iter().any(|(n, b)| n == name && b == bytes),
                "{what}: backup {name} is new or changed ({} bytes, parses: {:?})",
                bytes.len(),
                baocao::store::parse(bytes).map(|_| ())
            );
        }
        assert!(
            backups.len() + 1 >= self.backups.len(),
            "{what}: more than one backup lost"
        );
    }
}

/// Files with a package name (`*.bcg.json`-like: anything but the report,
/// its sidecars and the filler) in a folder.
fn packages(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("r.json") && !n.starts_with(".r.json") && n != "filler.bin")
        .collect();
    v.sort();
    v
}

/// A commune report on the tmpfs, with A.I.1 filled but its first text,
/// and a few saves behind it (so there are backups).
fn report_on(fs: &Tmpfs) -> PathBuf {
    let report = init_commune(fs.path());
    let answers = fs.path().join("answers.json");
    std::fs::write(&answers, pty::a_i_1_others().to_string()).unwrap();
    run(&report, &["fill", "--from", answers.to_str().unwrap()]).ok();
    std::fs::remove_file(&answers).unwrap();
    report
}

fn run(report: &Path, args: &[&str]) -> Out {
    vi().args(args).arg("--data").arg(report).out()
}

/// The answers written by `fill` in these tests: a long text, so the new
/// report is much larger than one page.
fn answers_file(dir: &Path, text: &str) -> PathBuf {
    let p = dir.join("answers-in.json");
    std::fs::write(
        &p,
        serde_json::json!({"A.I.1": {"hinh_thuc_quan_triet": text}}).to_string(),
    )
    .unwrap();
    p
}

fn long_text(tag: &str) -> String {
    format!("{tag}: ")
        + &"Đảng ủy xã tổ chức hội nghị quán triệt cho 100% cán bộ chủ chốt. ".repeat(200)
}

#[test]
fn commands_on_a_full_disk_fail_clearly_and_keep_the_old_report() {
    let Some(fs) = Tmpfs::mount() else { return };
    let began = Instant::now();
    let report = report_on(&fs);
    // Inputs come from elsewhere (a normal folder).
    let elsewhere = temp_dir();
    let text = long_text("Lần 1");
    let from = answers_file(elsewhere.path(), &text);
    let from = from.to_str().unwrap();
    let out_dir = fs.path().to_str().unwrap().to_string() + "/";
    let filler = fs.fill();

    let before = Before::take(&report);
    let cases: [(&str, Vec<&str>); 3] = [
        ("fill", vec!["fill", "--from", from]),
        (
            "init --force",
            vec![
                "init", "--force", "--type", "xa", "--code", CODE, "--name", NAME,
            ],
        ),
        ("export", vec!["export", "--out", &out_dir]),
    ];
    for (what, args) in &cases {
        let out = run(&report, args);
        out.fails().stderr_has(DISK_FULL).stderr_has("Không ");
        assert_eq!(out.stderr.lines().count(), 1, "{what}: one line: {out:#?}");
        before.unchanged(&report, what);
    }

    // Space back: the same commands succeed.
    std::fs::remove_file(&filler).unwrap();
    run(&report, &["fill", "--from", from]).ok();
    assert_eq!(
        baocao::store::load(&report).unwrap().answers["A.I.1"]["hinh_thuc_quan_triet"],
        text
    );
    let out = run(&report, &["export", "--out", &out_dir]);
    out.ok();
    let package = PathBuf::from(out.stdout.trim());
    assert!(
        package.starts_with(fs.path()) && package.exists(),
        "{out:#?}"
    );
    vi().arg("verify")
        .arg(&package)
        .out()
        .ok()
        .stdout_has("ĐÚNG");
    run(
        &report,
        &[
            "init", "--force", "--type", "xa", "--code", CODE, "--name", NAME,
        ],
    )
    .ok();
    assert!(
        !baocao::store::load(&report)
            .unwrap()
            .answers
            .contains_key("A.I.1"),
        "init --force started again"
    );
    for b in baocao::store::backups(&report) {
        assert!(b.report.is_ok(), "backup {} is damaged", b.name);
    }
    assert!(began.elapsed() < Duration::from_secs(15));
}

/// `baocao import` with room for the archived packages but not for the
/// report that lists them: it says no package was taken (never "Nhận
/// gói"), and the report is as it was; with room again, the same import
/// takes them.
#[test]
fn an_import_whose_report_cannot_be_saved_says_nothing_was_taken() {
    let Some(fs) = Tmpfs::mount() else { return };
    let district = fs.path().join("huyen.json");
    vi().args(["init", "--type", "huyen", "--code", "HU01", "--name"])
        .arg(PARENT_NAME)
        .arg("--data")
        .arg(&district)
        .out()
        .ok();
    let elsewhere = temp_dir();
    let mut files = Vec::new();
    for (code, name) in [("27112", "Xã Tân Phú"), ("27115", "Xã Phú Lộc")] {
        vi().args(["children", "add", code, name, "--data"])
            .arg(&district)
            .out()
            .ok();
        let mut ws = workspace(
            elsewhere.path(),
            &format!("{code}.json"),
            unit("xa", code, name, Some("HU01")),
        );
        files.push(ws.export(elsewhere.path()).unwrap());
    }
    let before = std::fs::read(&district).unwrap();
    let filler = fs.fill();
    // A page for each package (each under 4 KiB), none for the report.
    fs.free_pages(&filler, files.len() as u64);
    let out = vi()
        .arg("import")
        .args(&files)
        .arg("--data")
        .arg(&district)
        .out();
    out.fails()
        .stderr_has("Chưa nhận gói nào: không lưu được báo cáo (")
        .stderr_has(DISK_FULL)
        .stderr_has("Báo cáo vẫn như trước khi nhập");
    assert!(!out.stdout.contains("Nhận gói"), "{out:#?}");
    assert_eq!(std::fs::read(&district).unwrap(), before, "unchanged");
    assert!(baocao::store::load(&district).unwrap().received.is_empty());

    std::fs::remove_file(&filler).unwrap();
    vi().arg("import")
        .args(&files)
        .arg("--data")
        .arg(&district)
        .out()
        .ok()
        .stdout_has("Nhận gói của Xã Tân Phú (27112")
        .stdout_has("Nhận gói của Xã Phú Lộc (27115");
    assert_eq!(baocao::store::load(&district).unwrap().received.len(), 2);
}

#[test]
fn room_for_the_new_report_but_not_the_backup_leaves_no_partial_backup() {
    let Some(fs) = Tmpfs::mount() else { return };
    let report = report_on(&fs);
    let elsewhere = temp_dir();
    // A big report first (about 5 pages), with its backups.
    run(
        &report,
        &[
            "fill",
            "--from",
            answers_file(elsewhere.path(), &long_text("Lần 1"))
                .to_str()
                .unwrap(),
        ],
    )
    .ok();
    let pages = std::fs::metadata(&report).unwrap().len().div_ceil(4096);
    assert!(pages >= 3, "the report is {pages} pages");
    // Room for the new version's temp file, not for the copy of the old
    // one into the backups as well.
    let filler = fs.fill();
    fs.free_pages(&filler, pages + 1);
    let before = Before::take(&report);
    let from = answers_file(elsewhere.path(), &long_text("Lần 2"));
    let out = run(&report, &["fill", "--from", from.to_str().unwrap()]);
    out.fails().stderr_has(DISK_FULL);
    before.unchanged(&report, "fill with room for one copy");
    for b in baocao::store::backups(&report) {
        assert!(b.report.is_ok(), "backup {} is damaged", b.name);
    }
    std::fs::remove_file(&filler).unwrap();
    run(&report, &["fill", "--from", from.to_str().unwrap()]).ok();
}

#[test]
fn read_only_media_refuse_clearly_and_work_again_when_writable() {
    let Some(fs) = Tmpfs::mount() else { return };
    let report = report_on(&fs);
    let elsewhere = temp_dir();
    let from = answers_file(elsewhere.path(), &long_text("Lần 1"));
    let from = from.to_str().unwrap();
    let out_dir = fs.path().to_str().unwrap().to_string() + "/";
    // A second unit's report on a writable disk, exporting onto the
    // read-only one.
    let other = elsewhere.path().join("khac.json");
    vi().args([
        "init",
        "--type",
        "xa",
        "--code",
        "27115",
        "--name",
        "Xã Phú Lộc",
    ])
    .arg("--data")
    .arg(&other)
    .out()
    .ok();

    fs.remount("ro");
    let before = Before::take(&report);
    for (what, args) in [
        ("fill", vec!["fill", "--from", from]),
        ("export", vec!["export", "--out", &out_dir]),
    ] {
        let out = run(&report, &args);
        out.fails().stderr_has(READ_ONLY);
        assert_eq!(out.stderr.lines().count(), 1, "{what}: one line: {out:#?}");
        before.unchanged(&report, what);
    }
    let out = run(&other, &["export", "--out", &out_dir]);
    out.fails().stderr_has(READ_ONLY);
    before.unchanged(&report, "export onto it from elsewhere");

    fs.remount("rw");
    run(&report, &["fill", "--from", from]).ok();
    run(&report, &["export", "--out", &out_dir]).ok();
    run(&other, &["export", "--out", &out_dir]).ok();
    assert_eq!(packages(fs.path()).len(), 2, "{:?}", packages(fs.path()));
}

/// The UI on the tmpfs report at 100×30, on A.I.1's first long text.
fn open_ui(fs: &Tmpfs, config: &Path) -> (PathBuf, Ui) {
    let report = report_on(fs);
    pty::ime_off(config);
    let mut ui = Ui::spawn(&report, config, 30, 100);
    ui.screen.wait_for("Tổ chức Đảng cấp trên");
    ui.send(b"\x1b[6~");
    ui.screen.wait_for("A.I.1");
    ui.type_text("Trước khi đầy.");
    ui.send(b"\x13");
    ui.screen.wait_for_title("Đã lưu ");
    (report, ui)
}

fn field(report: &Path) -> String {
    baocao::store::load(report).unwrap().answers["A.I.1"]["hinh_thuc_quan_triet"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn the_ui_keeps_typing_on_a_full_disk_and_saves_once_space_is_back() {
    let Some(fs) = Tmpfs::mount() else { return };
    let config = temp_dir();
    let (report, mut ui) = open_ui(&fs, config.path());
    let filler = fs.fill();

    ui.type_text(" Ổ đầy mà vẫn gõ được.");
    ui.send(b"\x13");
    ui.screen.wait_for_title("CHƯA LƯU ĐƯỢC");
    // The title says it is not saved; the key bar below says why (at 100
    // columns the title has no room for the reason).
    let bottom = ui.screen.bottom();
    assert!(bottom.contains(DISK_FULL), "the reason is shown: {bottom}");
    assert!(bottom.contains("r.json"), "and which file: {bottom}");
    assert!(ui.screen.text().contains("Ổ đầy mà vẫn gõ được."));
    assert_eq!(field(&report), "Trước khi đầy.");
    assert_eq!(pty::temp_files(fs.path(), "r.json"), Vec::<String>::new());
    // Typing goes on; the warning stays until a save works.
    ui.type_text(" Gõ thêm.");
    ui.screen.wait_for("Gõ thêm.");
    assert!(ui.screen.title().contains("CHƯA LƯU ĐƯỢC"));

    std::fs::remove_file(&filler).unwrap();
    let freed = Instant::now();
    ui.screen.wait_for_title("Đã lưu ");
    let took = freed.elapsed();
    assert!(
        took < Duration::from_secs(6),
        "saved {took:?} after the space came back"
    );
    let all = "Trước khi đầy. Ổ đầy mà vẫn gõ được. Gõ thêm.";
    assert_eq!(field(&report), all);
    ui.send(b"\x11");
    assert!(ui.wait_exit().success());
    assert_eq!(field(&report), all);
    for b in baocao::store::backups(&report) {
        assert!(b.report.is_ok(), "backup {} is damaged", b.name);
    }
    eprintln!("full disk in the UI: saved {took:?} after the space came back");
}

#[test]
fn the_ui_keeps_typing_when_the_folder_turns_read_only() {
    let Some(mut fs) = Tmpfs::mount() else { return };
    let config = temp_dir();
    let (report, mut ui) = open_ui(&fs, config.path());
    // What a plain remount does while the program runs: refused.
    let busy = Command::new("mount")
        .args(["-o", "remount,ro"])
        .arg(fs.path())
        .output()
        .unwrap();
    if busy.status.success() {
        fs.remount("rw");
        eprintln!("note: remount,ro was allowed with the lock file open");
    }
    fs.cover_read_only();

    ui.type_text(" Chỉ đọc mà vẫn gõ được.");
    ui.send(b"\x13");
    ui.screen.wait_for_title("CHƯA LƯU ĐƯỢC");
    // The title says it is not saved; the key bar below says why (at 100
    // columns the title has no room for the reason).
    let bottom = ui.screen.bottom();
    assert!(bottom.contains(READ_ONLY), "the reason is shown: {bottom}");
    assert!(bottom.contains("r.json"), "and which file: {bottom}");
    assert!(ui.screen.text().contains("Chỉ đọc mà vẫn gõ được."));
    assert_eq!(field(&report), "Trước khi đầy.");

    fs.uncover();
    let back = Instant::now();
    ui.screen.wait_for_title("Đã lưu ");
    let took = back.elapsed();
    assert!(took < Duration::from_secs(6), "saved {took:?} after rw");
    let all = "Trước khi đầy. Chỉ đọc mà vẫn gõ được.";
    assert_eq!(field(&report), all);
    ui.send(b"\x11");
    assert!(ui.wait_exit().success());
    assert_eq!(field(&report), all);
    assert_eq!(pty::temp_files(fs.path(), "r.json"), Vec::<String>::new());
}
