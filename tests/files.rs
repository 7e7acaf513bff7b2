//! Files, locks and paths (issue 13, items 1–4), through the real binary:
//! special files refused before they are read, folders imported, one
//! lock per real file, symbolic links written through, read-only reports
//! refused, the report's own checksum, a damaged archive entry
//! quarantined, temp files left in the archive removed. After every
//! refusal the user's files are byte for byte as before. (`import` whose
//! report cannot be saved is in tests/full_disk.rs, on a full tmpfs.)

mod common;

use common::*;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

// ------------------------------------------------------------ helpers

const DISTRICT: &str = "HU01";

/// A district report made with `baocao init`, expecting the two communes
/// of [`packages`]; its path.
fn district(dir: &Path) -> PathBuf {
    let report = dir.join("huyen.json");
    vi().args(["init", "--type", "huyen", "--code", DISTRICT])
        .args(["--name", PARENT_NAME, "--data"])
        .arg(&report)
        .out()
        .ok();
    for (code, name) in [("27112", "Xã Tân Phú"), ("27115", "Xã Phú Lộc")] {
        vi().args(["children", "add", code, name, "--data"])
            .arg(&report)
            .out()
            .ok();
    }
    report
}

/// A commune's package (exported by the library), with `meetings` as its
/// one figure, written into `out`; its path.
fn package(dir: &Path, out: &Path, code: &str, name: &str, meetings: i64) -> PathBuf {
    let mut ws = workspace(
        dir,
        &format!("xa-{code}.json"),
        unit("xa", code, name, Some(DISTRICT)),
    );
    ws.report.set_value("A.I.1", "so_hoi_nghi", json!(meetings));
    fs::create_dir_all(out).unwrap();
    ws.export(out).unwrap()
}

/// The two communes' packages, in `out`.
fn packages(dir: &Path, out: &Path) -> [PathBuf; 2] {
    [
        package(dir, out, "27112", "Xã Tân Phú", 12),
        package(dir, out, "27115", "Xã Phú Lộc", 7),
    ]
}

/// `baocao --lang LANG --json? ARGS… --data REPORT`
fn run(report: &Path, lang: &str, args: &[&std::ffi::OsStr]) -> Out {
    baocao()
        .args(["--lang", lang])
        .args(args)
        .arg("--data")
        .arg(report)
        .out()
}

fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

/// Every file beside the report and in its folders (backups, archive),
/// with its bytes: what a refusal must leave as it was (lock files, which
/// hold who has the report open, aside).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    fn walk(dir: &Path, out: &mut BTreeMap<PathBuf, Vec<u8>>) {
        for e in fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            let t = fs::symlink_metadata(&p).unwrap().file_type();
            if p.extension().is_some_and(|x| x == "lock") {
                continue;
            }
            if t.is_dir() {
                walk(&p, out);
            } else if t.is_file() {
                out.insert(p.clone(), fs::read(&p).unwrap());
            } else {
                out.insert(p, Vec::new());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(dir, &mut out);
    out
}

/// Asserts two snapshots are equal, naming the files that differ.
#[track_caller]
fn same(now: &BTreeMap<PathBuf, Vec<u8>>, before: &BTreeMap<PathBuf, Vec<u8>>, what: &str) {
    let differ: Vec<&PathBuf> = now
        .keys()
        .chain(before.keys())
        .filter(|k| now.get(*k) != before.get(*k))
        .collect();
    assert!(differ.is_empty(), "{what}: these changed: {differ:#?}");
}

/// Runs a command, killing it and failing if it has not ended within
/// `limit` (a FIFO read would wait for ever).
#[track_caller]
fn within(limit: Duration, cmd: &mut Command) -> Out {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let started = Instant::now();
    while child.try_wait().unwrap().is_none() {
        if started.elapsed() > limit {
            let _ = child.kill();
            let out: Out = child.wait_with_output().unwrap().into();
            panic!("still running after {limit:?}: {out:#?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().unwrap().into()
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
    // SAFETY: a valid C string.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

// ------------------------------------------------------ special files

/// `import FIFO` returns at once with the refusal: the lock is not held
/// for ever waiting for a writer, and the district is as it was.
#[cfg(unix)]
#[test]
fn import_of_a_fifo_is_refused_at_once_and_changes_nothing() {
    let tmp = temp_dir();
    let dir = tmp.path();
    let report = district(dir);
    let usb = dir.join("usb");
    let good = package(dir, &usb, "27112", "Xã Tân Phú", 12);
    run(&report, "vi", &[os("import"), good.as_os_str()]).ok();
    let fifo = usb.join("ong.bcpkg");
    mkfifo(&fifo);
    let before = snapshot(dir);

    let mut cmd = baocao();
    cmd.args(["--lang", "vi", "import"])
        .arg(&fifo)
        .arg("--data")
        .arg(&report);
    let out = within(Duration::from_secs(20), &mut cmd);
    out.fails()
        .stdout_has(&format!(
            "Từ chối {}: Không đọc được {}: đây là một ống dẫn (FIFO), không phải tệp thường; chưa đọc gì.",
            fifo.display(),
            fifo.display()
        ))
        .stdout_has("rồi dùng tệp đó.\n");
    assert!(!out.stdout.contains(".."), "one full stop: {}", out.stdout);
    same(&snapshot(dir), &before, "nothing changed");

    let mut cmd = baocao();
    cmd.args(["--lang", "en", "--json", "import"])
        .arg(&fifo)
        .arg("--data")
        .arg(&report);
    within(Duration::from_secs(20), &mut cmd)
        .fails_with("cli.import_refused")
        .stdout_has("it is a named pipe (FIFO), not a regular file; nothing was read.");
    // The folder that holds it: the FIFO is refused, the package beside it
    // taken as before (unchanged).
    let mut cmd = baocao();
    cmd.args(["--lang", "vi", "import"])
        .arg(&usb)
        .arg("--data")
        .arg(&report);
    within(Duration::from_secs(20), &mut cmd)
        .fails()
        .stdout_has("đây là một ống dẫn (FIFO)")
        .stdout_has("đã nhận rồi; không thay đổi gì");
    same(&snapshot(dir), &before, "nothing changed");
}

/// Every door that reads a file refuses a FIFO, a device and a folder
/// before reading, each with the code `io.not_a_file`, and changes
/// nothing.
#[cfg(unix)]
#[test]
fn every_reader_refuses_special_files_before_reading() {
    let fx = Fx::commune();
    let fifo = fx.path("ong");
    mkfifo(&fifo);
    let folder = fx.path("thu-muc");
    fs::create_dir(&folder).unwrap();
    let before = snapshot(fx.dir.path());
    for special in [fifo.as_path(), Path::new("/dev/zero"), folder.as_path()] {
        let s = special.as_os_str();
        let cases: [&[&std::ffi::OsStr]; 6] = [
            &[os("fill"), os("--from"), s],
            &[os("outline"), os("check"), s],
            &[os("--outline"), s, os("status")],
            &[os("convert"), os("--from"), os("vni"), s],
            &[os("children"), os("import"), s],
            &[os("verify"), s],
        ];
        for args in cases {
            let mut cmd = baocao();
            cmd.args(["--lang", "vi", "--json"])
                .args(args)
                .arg("--data")
                .arg(&fx.report);
            let out = within(Duration::from_secs(20), &mut cmd);
            match args[0].to_str().unwrap() {
                "verify" => out
                    .fails_with("cli.verify_failed")
                    .stdout_has("không phải tệp")
                    .stdout_has("chưa đọc gì"),
                // The outline's own error, for the file it could not read.
                "--outline" => out.fails_with("outline.read").stderr_has("chưa đọc gì"),
                _ => out.fails_with("io.not_a_file"),
            };
            same(&snapshot(fx.dir.path()), &before, &format!("{args:?}"));
        }
    }
    // The words, in both languages.
    fx.vi(&[os("fill"), os("--from"), fifo.as_os_str()])
        .fails()
        .stderr_has("đây là một ống dẫn (FIFO), không phải tệp thường; chưa đọc gì. Hãy lưu nội dung thành một tệp thường rồi dùng tệp đó.");
    fx.en(&[os("fill"), os("--from"), Path::new("/dev/zero").as_os_str()])
        .fails()
        .stderr_has("it is a device, not a regular file; nothing was read.");
    fx.en(&[os("fill"), os("--from"), folder.as_os_str()])
        .fails()
        .stderr_has("it is a folder, not a file; nothing was read.");
    // The report itself a FIFO: refused, not waited on.
    let other = fx.path("ong.json");
    mkfifo(&other);
    let mut cmd = baocao();
    cmd.args(["--lang", "vi", "--json", "status", "--data"])
        .arg(&other);
    within(Duration::from_secs(20), &mut cmd).fails_with("store.io");
}

// ------------------------------------------------------------ folders

/// `import DIR` takes the packages of the folder, not of its sub-folders,
/// and says what it skipped; a folder without packages is refused.
#[test]
fn import_of_a_folder_takes_its_packages_and_names_what_it_skipped() {
    let tmp = temp_dir();
    let dir = tmp.path();
    let report = district(dir);
    let usb = dir.join("usb");
    packages(dir, &usb);
    fs::write(usb.join("ghi-chu.txt"), "đọc tôi").unwrap();
    fs::write(usb.join(".hidden.bcpkg"), "{").unwrap();
    let deeper = usb.join("cu");
    package(dir, &deeper, "27118", "Xã Phú Bình", 3);
    let out = run(&report, "vi", &[os("import"), usb.as_os_str()]);
    out.ok()
        .stdout_has(&format!(
            "Bỏ qua 3 mục không phải gói (.bcpkg) trong {}: .hidden.bcpkg, cu/, ghi-chu.txt.",
            usb.display()
        ))
        .stdout_has("Nhận gói của Xã Tân Phú (27112")
        .stdout_has("Nhận gói của Xã Phú Lộc (27115");
    let r = read_json(&report);
    let codes: Vec<&str> = r["received"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["27112", "27115"], "the sub-folder is not entered");
    run(&report, "en", &[os("import"), usb.as_os_str()])
        .ok()
        .stdout_has("Skipped 3 entries that are not packages (.bcpkg) in");

    let empty = dir.join("trong");
    fs::create_dir(&empty).unwrap();
    fs::write(empty.join("a.txt"), "").unwrap();
    let before = snapshot(dir);
    let out = run(
        &report,
        "vi",
        &[os("--json"), os("import"), empty.as_os_str()],
    );
    out.fails_with("cli.no_packages");
    let out = run(&report, "vi", &[os("import"), empty.as_os_str()]);
    out.fails().stderr_has(&format!(
        "Không có gói nào (tệp .bcpkg) trong {}; chưa nhận gì.",
        empty.display()
    ));
    same(&snapshot(dir), &before, "refused");
}

// ------------------------------------------------------ locks and paths

/// Holds a report's lock file the way another baocao would (its record
/// written, the file locked), for as long as the file lives.
fn hold(lock: &Path) -> fs::File {
    use std::io::Write;
    let mut f = fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(lock)
        .unwrap();
    f.try_lock().expect("nobody else holds the lock");
    write!(f, "pid=4242\nsince=15/10/2014 08:30:00\nuser=test\n").unwrap();
    f.sync_all().unwrap();
    f
}

fn answers(fx: &Fx, n: i64) -> PathBuf {
    fx.write_json("answers.json", &json!({"A.I.1": {"so_hoi_nghi": n}}))
}

/// A symbolic link to the report, or to its folder, meets the report's
/// own lock: a `fill` through either fails while another baocao holds it.
#[cfg(unix)]
#[test]
fn an_alias_of_the_report_meets_the_same_lock() {
    use std::os::unix::fs::symlink;
    let fx = Fx::commune();
    let elsewhere = temp_dir();
    let alias = elsewhere.path().join("bao-cao.json");
    symlink(&fx.report, &alias).unwrap();
    let folder_alias = elsewhere.path().join("thu-muc");
    symlink(fx.dir.path(), &folder_alias).unwrap();
    let through_folder = folder_alias.join("r.json");
    let from = answers(&fx, 12);
    let before = snapshot(fx.dir.path());
    let held = hold(&fx.lock_file());
    for data in [&alias, &through_folder] {
        let out = baocao()
            .args(["--lang", "vi", "--json", "fill", "--from"])
            .arg(&from)
            .arg("--data")
            .arg(data)
            .out();
        out.fails_with("store.locked")
            .stderr_has("tiến trình 4242, mở lúc 15/10/2014 08:30:00");
    }
    drop(held);
    same(&snapshot(fx.dir.path()), &before, "nothing written");
    assert!(
        !elsewhere.path().join("bao-cao.json.lock").exists(),
        "no second lock beside the link"
    );
}

/// A report path that is a symbolic link is written through: the link
/// stays a link to the same file, which holds the new answer, with its
/// backups beside it (absolute and relative links alike).
#[cfg(unix)]
#[test]
fn a_symlinked_report_is_written_through_to_its_target() {
    use std::os::unix::fs::symlink;
    let fx = Fx::commune();
    let elsewhere = temp_dir();
    let absolute = elsewhere.path().join("bao-cao.json");
    symlink(&fx.report, &absolute).unwrap();
    let links = fx.path("links");
    fs::create_dir(&links).unwrap();
    let relative = links.join("r.json");
    symlink("../r.json", &relative).unwrap();
    for (n, link) in [(12, &absolute), (13, &relative)] {
        let from = answers(&fx, n);
        let backups = fx.backups().len();
        baocao()
            .args(["--lang", "vi", "fill", "--from"])
            .arg(&from)
            .arg("--data")
            .arg(link)
            .out()
            .ok();
        let meta = fs::symlink_metadata(link).unwrap();
        assert!(meta.file_type().is_symlink(), "still a link");
        assert_eq!(fx.answer("A.I.1", "so_hoi_nghi"), n, "the target updated");
        assert_eq!(fx.backups().len(), backups + 1, "backed up beside it");
        baocao()
            .args(["--lang", "vi", "status", "--data"])
            .arg(link)
            .out()
            .ok();
    }
    let left: Vec<String> = fs::read_dir(elsewhere.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(left, ["bao-cao.json"], "nothing written beside the link");
}

/// A lock file that is a symbolic link (here to the report), a second
/// name of the report, or a FIFO is refused: not followed, nothing
/// truncated or written, and the words say what to do.
#[cfg(unix)]
#[test]
fn a_lock_file_that_is_not_a_plain_file_is_refused_and_truncates_nothing() {
    let fx = Fx::commune();
    let from = answers(&fx, 12);
    let lock = fx.lock_file();
    let _ = fs::remove_file(&lock);
    let before = snapshot(fx.dir.path());
    let make: [(&str, &dyn Fn()); 3] = [
        ("symlink", &|| {
            std::os::unix::fs::symlink(&fx.report, &lock).unwrap()
        }),
        ("hard link", &|| fs::hard_link(&fx.report, &lock).unwrap()),
        ("fifo", &|| mkfifo(&lock)),
    ];
    for (what, make) in make {
        make();
        let mut cmd = baocao();
        cmd.args(["--lang", "vi", "--json", "fill", "--from"])
            .arg(&from)
            .arg("--data")
            .arg(&fx.report);
        within(Duration::from_secs(20), &mut cmd).fails_with("store.lock_not_a_file");
        fs::remove_file(&lock).unwrap();
        same(&snapshot(fx.dir.path()), &before, what);
    }
    std::os::unix::fs::symlink(&fx.report, &lock).unwrap();
    fx.vi(&[os("fill"), os("--from"), from.as_os_str()])
        .fails()
        .stderr_has(&format!(
            "Tệp khóa {} không phải một tệp thường của baocao (là liên kết, thư mục hoặc tệp có tên khác nữa), nên không dùng được; chưa thay đổi gì. Hãy đóng mọi chương trình baocao, xóa {} rồi thử lại.",
            lock.display(),
            lock.display()
        ));
    fx.en(&[os("fill"), os("--from"), from.as_os_str()])
        .fails()
        .stderr_has("is not a plain baocao file");
    fs::remove_file(&lock).unwrap();
    same(&snapshot(fx.dir.path()), &before, "the report");
    // A plain lock file is written over, never truncated: the record of
    // who holds it, then a blank one of the same size.
    fx.vi(&[os("fill"), os("--from"), from.as_os_str()]).ok();
    let record = fs::read(&lock).unwrap();
    assert_eq!(record.len(), 256, "{:?}", String::from_utf8_lossy(&record));
    assert!(record.iter().all(u8::is_ascii_whitespace));
}

/// A read-only report (0444) is refused by every command that writes,
/// with the words and the code; the file stays as it was, mode and all.
/// Its mode is kept on save when it is writable.
#[cfg(unix)]
#[test]
fn a_read_only_report_is_refused_and_its_mode_kept() {
    use std::os::unix::fs::PermissionsExt;
    let fx = Fx::commune();
    fx.fill("vi", &json!({"A.I.1": {"so_hoi_nghi": 1}})).ok();
    let from = answers(&fx, 12);
    fs::set_permissions(&fx.report, fs::Permissions::from_mode(0o444)).unwrap();
    let before = snapshot(fx.dir.path());
    let commands: [&[&std::ffi::OsStr]; 5] = [
        &[os("fill"), os("--from"), from.as_os_str()],
        &[os("reopen")],
        &[os("restore")],
        &[os("export"), os("--out"), fx.dir.path().as_os_str()],
        &[
            os("init"),
            os("--type"),
            os("xa"),
            os("--code"),
            os(CODE),
            os("--name"),
            os(NAME),
            os("--force"),
        ],
    ];
    for args in commands {
        let mut all = vec![os("--json")];
        all.extend_from_slice(args);
        run(&fx.report, "vi", &all).fails_with("store.read_only");
        same(&snapshot(fx.dir.path()), &before, &format!("{args:?}"));
    }
    let mode = |p: &Path| fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&fx.report), 0o444, "its mode unchanged");
    let shown = fx.report.display();
    fx.vi(&[os("fill"), os("--from"), from.as_os_str()])
        .fails()
        .stderr_has(&format!(
            "Tệp báo cáo {shown} chỉ cho đọc (read-only), nên không ghi được; chưa thay đổi gì. Nếu muốn sửa báo cáo, hãy bỏ thuộc tính chỉ đọc của tệp (Linux: chmod u+w \"{shown}\""
        ));
    fx.en(&[os("fill"), os("--from"), from.as_os_str()])
        .fails()
        .stderr_has(&format!(
            "The report file {shown} is read-only, so it cannot be written; nothing was changed."
        ));
    // Reading still works.
    fx.vi(&[os("status")]).ok();
    fx.vi(&[os("restore"), os("--list")]).ok();
    // Writable again, in a mode of its own: kept by the save.
    fs::set_permissions(&fx.report, fs::Permissions::from_mode(0o640)).unwrap();
    fx.vi(&[os("fill"), os("--from"), from.as_os_str()]).ok();
    assert_eq!(fx.answer("A.I.1", "so_hoi_nghi"), 12);
    assert_eq!(mode(&fx.report), 0o640, "the mode is kept on save");
}

/// A folder that may not be written is refused when the report is
/// opened for writing (as root every folder can be written: skipped).
#[cfg(unix)]
#[test]
fn a_read_only_folder_is_refused_before_anything_is_written() {
    use std::os::unix::fs::PermissionsExt;
    // SAFETY: no arguments, no memory.
    if unsafe { libc::geteuid() } == 0 {
        skip(
            "a_read_only_folder_is_refused_before_anything_is_written",
            "root may write any folder (the read-only drive is in tests/full_disk.rs)",
        );
        return;
    }
    let fx = Fx::commune();
    let from = fx
        .dir
        .path()
        .parent()
        .unwrap()
        .join(format!("answers-{}.json", std::process::id()));
    fs::write(&from, r#"{"A.I.1": {"so_hoi_nghi": 12}}"#).unwrap();
    let before = snapshot(fx.dir.path());
    fs::set_permissions(fx.dir.path(), fs::Permissions::from_mode(0o555)).unwrap();
    let out = fx.vi(&[os("--json"), os("fill"), os("--from"), from.as_os_str()]);
    let words = fx.vi(&[os("fill"), os("--from"), from.as_os_str()]);
    fs::set_permissions(fx.dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    let _ = fs::remove_file(&from);
    out.fails_with("store.read_only");
    words
        .fails()
        .stderr_has("không cho ghi, nên không lưu được báo cáo");
    same(&snapshot(fx.dir.path()), &before, "nothing written");
}

// ------------------------------------------- the report's own checksum

/// Replaces `from` by `to` in the file's bytes, once (a byte flipped on
/// the disk, or an edit by hand).
#[track_caller]
fn flip(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    assert_eq!(text.matches(from).count(), 1, "{from:?} once in {text}");
    fs::write(path, text.replacen(from, to, 1)).unwrap();
}

/// [`flip`] of the first `from` after the list of received packages.
#[track_caller]
fn flip_received(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).unwrap();
    let at = text.find("\"received\": [").expect("a received list");
    let (head, tail) = text.split_at(at);
    assert!(tail.contains(from), "{from:?} in {tail}");
    fs::write(path, format!("{head}{}", tail.replacen(from, to, 1))).unwrap();
}

/// Every save writes the report's checksum: SHA-256 over its canonical
/// JSON without that key, as a package's; the file holds to the schema.
#[test]
fn every_save_writes_the_report_s_checksum() {
    let fx = Fx::commune();
    fx.fill("vi", &json!({"A.I.1": {"so_hoi_nghi": 12}})).ok();
    let v = fx.json();
    let stated = v["checksum"].as_str().expect("a checksum").to_string();
    assert_eq!(stated, package_checksum(&v), "over the canonical JSON");
    assert_schema_valid("report.schema.json", &v, "a saved report");
    let mut bad = v.clone();
    bad["checksum"] = json!("md5:1234");
    assert_schema_invalid("report.schema.json", &bad, "a checksum of another kind");
}

/// A digit flipped in an answer, in a received package's code or in its
/// checksum is damage: refused by reading and writing commands alike,
/// nothing changed, the newest good backup named, and `restore` brings it
/// back.
#[test]
fn a_flipped_digit_is_damage_and_restore_brings_the_report_back() {
    let tmp = temp_dir();
    let dir = tmp.path();
    let report = district(dir);
    let usb = dir.join("usb");
    let files = packages(dir, &usb);
    run(&report, "vi", &[os("import"), files[0].as_os_str()]).ok();
    run(&report, "vi", &[os("import"), files[1].as_os_str()]).ok();
    let good = fs::read(&report).unwrap();
    let received = read_json(&report)["received"][1].clone();
    let sum = received["checksum"].as_str().unwrap().to_string();
    let mut flipped_sum = sum.clone();
    let last = flipped_sum.pop().unwrap();
    flipped_sum.push(if last == '0' { '1' } else { '0' });
    let cases = [
        ("\"code\": \"27115\"", "\"code\": \"27116\""),
        (sum.as_str(), flipped_sum.as_str()),
        ("\"revision\": 1", "\"revision\": 7"),
    ];
    for (from, to) in cases {
        fs::write(&report, &good).unwrap();
        flip_received(&report, from, to);
        let before = snapshot(dir);
        for args in [
            &[os("--json"), os("status")][..],
            &[os("--json"), os("import"), files[0].as_os_str()][..],
        ] {
            run(&report, "vi", args).fails_with("store.damaged");
        }
        let newest = file_name(baocao::store::backup_files(&report).last().unwrap());
        run(&report, "vi", &[os("status")]).fails().stderr_has(&format!(
            "bị hỏng, chưa thay đổi gì: mã kiểm tra (checksum) của tệp không khớp với nội dung: tệp đã bị sửa ngoài baocao hoặc hỏng trên đĩa. Bản sao lưu tốt gần nhất: {newest}. Khôi phục bằng lệnh: baocao restore {newest} --data {}",
            report.display()
        ));
        run(&report, "en", &[os("status")])
            .fails()
            .stderr_has("its checksum does not match its content");
        same(&snapshot(dir), &before, from);
    }
    // restore puts the newest good backup back (the damaged file kept
    // among the backups); the report reads again.
    run(&report, "vi", &[os("restore")]).ok();
    run(&report, "vi", &[os("status")]).ok();
    let list = run(&report, "vi", &[os("restore"), os("--list")]);
    list.ok()
        .stdout_has("hỏng: mã kiểm tra (checksum) của tệp không khớp");
}

/// A backup with a flipped digit is damaged too: `restore --list` marks
/// it, the message names an older good one, `restore` skips it and
/// refuses it by name.
#[test]
fn a_damaged_backup_is_marked_and_skipped() {
    let fx = Fx::commune();
    for n in [1, 2, 3] {
        fx.fill("vi", &json!({"A.I.1": {"so_hoi_nghi": n}})).ok();
    }
    let backups = fx.backups();
    let newest = backups.last().unwrap().clone();
    let older = backups[backups.len() - 2].clone();
    flip(&newest, "\"so_hoi_nghi\": 2", "\"so_hoi_nghi\": 9");
    flip(&fx.report, "\"so_hoi_nghi\": 3", "\"so_hoi_nghi\": 8");
    fx.vi(&["restore", "--list"]).ok().stdout_has(&format!(
        "{}  hỏng: mã kiểm tra (checksum) của tệp không khớp với nội dung",
        file_name(&newest)
    ));
    fx.vi(&["status"])
        .fails()
        .stderr_has(&format!("Bản sao lưu tốt gần nhất: {}.", file_name(&older)));
    let before = snapshot(fx.dir.path());
    fx.vi(&["--json", "restore", &file_name(&newest)])
        .fails_with("store.backup_damaged");
    same(&snapshot(fx.dir.path()), &before, "refused");
    fx.vi(&["restore"]).ok();
    assert_eq!(fx.answer("A.I.1", "so_hoi_nghi"), 1, "the older good one");
}

/// A report written before the checksum (none in the file) is read as
/// ever, and the next save adds one.
#[test]
fn a_report_without_a_checksum_is_read_as_an_older_file() {
    let fx = Fx::commune();
    let mut v = fx.json();
    v.as_object_mut().unwrap().remove("checksum");
    fs::write(&fx.report, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
    fx.vi(&["status"]).ok();
    fx.fill("vi", &json!({"A.I.1": {"so_hoi_nghi": 4}})).ok();
    assert!(fx.json()["checksum"].is_string(), "sealed by the save");
}

/// The UI keeps the report serialised without a checksum at every key
/// and seals it when it writes: the same bytes as a save.
#[test]
fn the_ui_s_copy_sealed_is_the_saved_file() {
    let fx = Fx::commune();
    fx.fill("vi", &json!({"A.I.1": {"so_hoi_nghi": 5}})).ok();
    let report = baocao::store::load(&fx.report).unwrap();
    let mut plain = serde_json::to_vec_pretty(&report).unwrap();
    plain.push(b'\n');
    assert_eq!(
        baocao::store::sealed(&plain),
        baocao::store::to_bytes(&report)
    );
    assert_eq!(baocao::store::to_bytes(&report), fx.bytes());
}

// ------------------------------------------------- a damaged archive

/// The figure of A.I.1 / so_hoi_nghi in `status --json`.
fn meetings(status: &Value) -> Value {
    status["figures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["item"] == "A.I.1" && f["field"] == "so_hoi_nghi")
        .map(|f| f["value"].clone())
        .unwrap_or(Value::Null)
}

fn state_of(status: &Value, code: &str) -> Value {
    status["children"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["code"] == code)
        .map(|c| c["state"].clone())
        .unwrap_or(Value::Null)
}

/// One damaged package in the district's archive does not block the
/// district: it opens, the package is left out of every figure and of the
/// export, `status` says which unit and what to do, and importing that
/// unit's package again replaces it.
#[test]
fn a_damaged_archive_entry_is_quarantined_and_a_new_package_replaces_it() {
    let tmp = temp_dir();
    let dir = tmp.path();
    let report = district(dir);
    let usb = dir.join("usb");
    let files = packages(dir, &usb);
    run(&report, "vi", &[os("import"), usb.as_os_str()]).ok();
    let status = |lang: &str| {
        let o = run(&report, lang, &[os("--json"), os("status")]);
        o.ok();
        o.json()
    };
    assert_eq!(meetings(&status("vi")), 19);
    // A digit of 27115's archived package flipped on the disk.
    let r = read_json(&report);
    let entry = r["received"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["code"] == "27115")
        .unwrap()["file"]
        .as_str()
        .unwrap()
        .to_string();
    let sum = r["received"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["code"] == "27115")
        .unwrap()["checksum"]
        .as_str()
        .unwrap()
        .to_string();
    let archived = baocao::workspace::archive_file(&report);
    flip_bytes(&archived, "\"so_hoi_nghi\": 7", "\"so_hoi_nghi\": 8");
    let before = snapshot(dir);

    let s = status("vi");
    assert_eq!(meetings(&s), 12, "only 27112 counts");
    assert_eq!(state_of(&s, "27115"), "damaged");
    assert_eq!(state_of(&s, "27112"), "received");
    let damaged = s["damaged"].as_array().unwrap();
    assert_eq!(damaged.len(), 1);
    assert_eq!(damaged[0]["code"], "27115");
    assert_eq!(damaged[0]["file"], entry.as_str());
    assert_eq!(damaged[0]["reason"], "package.checksum");
    let words = "Gói đã nhận của Xã Phú Lộc (27115), lần gửi 1, bị hỏng (mã kiểm tra (checksum) không khớp: gói của Xã Phú Lộc (27115) đã bị sửa hoặc hỏng sau khi xuất); gói này không được tính vào số liệu nào. Hãy nhập lại gói của đơn vị này (baocao import TỆP.bcpkg, hoặc F6 trong giao diện).";
    assert_eq!(damaged[0]["message"], words);
    run(&report, "vi", &[os("status")])
        .ok()
        .stdout_has("Gói đã nhận bị hỏng (không tính vào số liệu nào):")
        .stdout_has(words)
        .stdout_has("gói hỏng")
        .stdout_has("hãy nhập lại gói của đơn vị này");
    run(&report, "en", &[os("status")])
        .ok()
        .stdout_has("The received package of Xã Phú Lộc (27115), revision 1, is damaged")
        .stdout_has("Import that unit's package again");
    run(&report, "vi", &[os("children"), os("list")])
        .ok()
        .stdout_has("gói hỏng");
    let csv = run(
        &report,
        "vi",
        &[
            os("render"),
            os("--format"),
            os("csv"),
            os("--out"),
            os("-"),
        ],
    );
    csv.ok();
    assert!(csv.stdout.contains("27112"), "{}", csv.stdout);
    assert!(
        !csv.stdout.contains("27115"),
        "not in the figures: {}",
        csv.stdout
    );
    same(&snapshot(dir), &before, "reading changed nothing");

    // The export leaves it out, figures and embedded packages alike.
    let out = dir.join("len");
    fs::create_dir(&out).unwrap();
    run(&report, "vi", &[os("export"), os("--out"), out.as_os_str()]).ok();
    let sent = fs::read_dir(&out).unwrap().next().unwrap().unwrap().path();
    let sent = read_json(&sent);
    assert_eq!(sent["answers"]["A.I.1"]["so_hoi_nghi"], 12);
    let embedded: Vec<&Value> = sent["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| &c["unit"]["code"])
        .collect();
    assert_eq!(embedded, ["27112"]);

    // The same package imported again replaces the damaged copy.
    run(&report, "vi", &[os("import"), files[1].as_os_str()])
        .ok()
        .stdout_has("Nhận gói của Xã Phú Lộc (27115");
    let s = status("vi");
    assert_eq!(meetings(&s), 19);
    assert_eq!(state_of(&s, "27115"), "received");
    assert_eq!(s["damaged"], json!([]));
    assert_eq!(archived_of(&report, &sum), fs::read(&files[1]).unwrap());
    // The damaged copy took a third of the file: compacted away.
    let sums: Vec<String> = baocao::store::archive::records(&report)
        .into_iter()
        .map(|(s, _)| s)
        .collect();
    assert_eq!(sums.len(), 2, "{sums:?}");
}

/// The last copy of the package with this checksum in the archive file.
fn archived_of(report: &Path, sum: &str) -> Vec<u8> {
    common::archived(report, sum).unwrap_or_else(|| panic!("{sum} is archived"))
}

/// [`flip`] in a file that is not text (the archive file): `from` must be
/// there once.
#[track_caller]
fn flip_bytes(path: &Path, from: &str, to: &str) {
    let bytes = fs::read(path).unwrap();
    let at: Vec<usize> = bytes
        .windows(from.len())
        .enumerate()
        .filter(|(_, w)| *w == from.as_bytes())
        .map(|(i, _)| i)
        .collect();
    assert_eq!(at.len(), 1, "{from:?} once");
    let mut out = bytes[..at[0]].to_vec();
    out.extend_from_slice(to.as_bytes());
    out.extend_from_slice(&bytes[at[0] + from.len()..]);
    fs::write(path, out).unwrap();
}

fn received_sum(report: &Path, code: &str) -> String {
    read_json(report)["received"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["code"] == code)
        .unwrap()["checksum"]
        .as_str()
        .unwrap()
        .to_string()
}

/// A bit flipped in one record of the archive file (a digit of 27112's
/// package, through the file's own bytes): only that unit is quarantined,
/// with the reason `package.checksum`; the other's figures stand.
#[test]
fn a_bit_flip_in_one_record_quarantines_only_that_unit() {
    let tmp = temp_dir();
    let dir = tmp.path();
    let report = district(dir);
    let usb = dir.join("usb");
    packages(dir, &usb);
    run(&report, "vi", &[os("import"), usb.as_os_str()]).ok();
    let archive = baocao::workspace::archive_file(&report);
    let (at, mut bytes) = common::archived_at(&report, &received_sum(&report, "27112"));
    let digit = at
        + bytes[at..]
            .windows(17)
            .position(|w| w == b"\"so_hoi_nghi\": 12")
            .unwrap()
        + 16;
    bytes[digit] ^= 0x01; // '2' → '3'
    fs::write(&archive, &bytes).unwrap();
    let o = run(&report, "vi", &[os("--json"), os("status")]);
    o.ok();
    let s = o.json();
    assert_eq!(meetings(&s), 7, "only 27115 counts");
    assert_eq!(state_of(&s, "27112"), "damaged");
    assert_eq!(state_of(&s, "27115"), "received");
    let damaged = s["damaged"].as_array().unwrap();
    assert_eq!(damaged.len(), 1);
    assert_eq!(damaged[0]["code"], "27112");
    assert_eq!(damaged[0]["reason"], "package.checksum");
}

/// A kill -9 while a record was being appended leaves it cut short at
/// the end of the archive file. A report that lists it (its save had
/// happened, the disk lost the tail) finds it damaged: that unit is
/// quarantined (`package.not_archived`), never fatal; the next import
/// cuts the torn tail off and appends whole records after the good ones.
#[test]
fn a_torn_tail_is_quarantined_and_the_next_import_appends_after_the_good_records() {
    let tmp = temp_dir();
    let dir = tmp.path();
    let report = district(dir);
    let usb = dir.join("usb");
    let files = packages(dir, &usb);
    run(&report, "vi", &[os("import"), files[0].as_os_str()]).ok();
    run(&report, "vi", &[os("import"), files[1].as_os_str()]).ok();
    let archive = baocao::workspace::archive_file(&report);
    let len = fs::metadata(&archive).unwrap().len();
    fs::OpenOptions::new()
        .write(true)
        .open(&archive)
        .unwrap()
        .set_len(len - 100)
        .unwrap();
    let o = run(&report, "en", &[os("--json"), os("status")]);
    o.ok();
    let s = o.json();
    assert_eq!(meetings(&s), 12, "27112 still counts");
    assert_eq!(state_of(&s, "27115"), "damaged");
    assert_eq!(s["damaged"][0]["reason"], "package.not_archived");
    run(&report, "en", &[os("status")])
        .ok()
        .stdout_has("is no longer in the archive file");
    // The unit's package again: appended after 27112's, the torn part gone.
    run(&report, "vi", &[os("import"), files[1].as_os_str()])
        .ok()
        .stdout_has("Nhận gói của Xã Phú Lộc (27115");
    let o = run(&report, "vi", &[os("--json"), os("status")]);
    o.ok();
    assert_eq!(meetings(&o.json()), 19);
    let records = baocao::store::archive::records(&report);
    assert_eq!(records.len(), 2);
    assert_eq!(records[0].1, fs::read(&files[0]).unwrap());
    assert_eq!(records[1].1, fs::read(&files[1]).unwrap());
    let header = baocao::store::archive::HEADER as u64;
    let magic = baocao::store::archive::MAGIC.len() as u64;
    assert_eq!(
        fs::metadata(&archive).unwrap().len(),
        magic + 2 * header + records.iter().map(|r| r.1.len() as u64).sum::<u64>(),
        "nothing but the two records"
    );
}

/// A kill -9 during an import, after some records were appended and
/// before the report listing them was saved: records no report lists,
/// the last one torn. The district opens as before the import, nothing
/// damaged; the same import then takes the packages.
#[test]
fn records_after_the_last_listed_one_that_no_report_lists_are_ignored() {
    let tmp = temp_dir();
    let dir = tmp.path();
    let report = district(dir);
    let usb = dir.join("usb");
    let files = packages(dir, &usb);
    run(&report, "vi", &[os("import"), files[0].as_os_str()]).ok();
    let archive = baocao::workspace::archive_file(&report);
    let whole = fs::read(&archive).unwrap();
    // What the killed import of 27115 had appended: its record, cut short.
    let other = tmp.path().join("other.json");
    run(
        &other,
        "vi",
        &[
            os("init"),
            os("--type"),
            os("huyen"),
            os("--code"),
            os(DISTRICT),
            os("--name"),
            os(PARENT_NAME),
        ],
    )
    .ok();
    for (code, name) in [("27112", "Xã Tân Phú"), ("27115", "Xã Phú Lộc")] {
        run(
            &other,
            "vi",
            &[os("children"), os("add"), os(code), os(name)],
        )
        .ok();
    }
    run(&other, "vi", &[os("import"), files[1].as_os_str()]).ok();
    let record = &fs::read(baocao::workspace::archive_file(&other)).unwrap()
        [baocao::store::archive::MAGIC.len()..];
    let mut torn = whole.clone();
    torn.extend_from_slice(&record[..record.len() / 2]);
    fs::write(&archive, &torn).unwrap();
    let o = run(&report, "vi", &[os("--json"), os("status")]);
    o.ok();
    let s = o.json();
    assert_eq!(meetings(&s), 12);
    assert_eq!(s["damaged"], json!([]));
    assert_eq!(state_of(&s, "27115"), "missing");
    run(&report, "vi", &[os("import"), files[1].as_os_str()]).ok();
    let o = run(&report, "vi", &[os("--json"), os("status")]);
    o.ok();
    assert_eq!(meetings(&o.json()), 19);
    assert_eq!(o.json()["damaged"], json!([]));
    assert_eq!(baocao::store::archive::records(&report).len(), 2);
}

/// A district made before the archive file keeps its packages one file
/// each in the archive folder, and the report names them: it still opens
/// and counts them (they are read from there), and a new package goes
/// into the archive file beside them.
#[test]
fn a_district_with_the_old_archive_folder_still_opens() {
    let tmp = temp_dir();
    let dir = tmp.path();
    let report = district(dir);
    let usb = dir.join("usb");
    let files = packages(dir, &usb);
    run(&report, "vi", &[os("import"), usb.as_os_str()]).ok();
    // As the older baocao left it: a file per package, no archive file.
    let folder = baocao::workspace::archive_dir(&report);
    fs::create_dir(&folder).unwrap();
    for r in read_json(&report)["received"].as_array().unwrap() {
        let code = r["code"].as_str().unwrap();
        let file = if code == "27112" {
            &files[0]
        } else {
            &files[1]
        };
        fs::copy(file, folder.join(r["file"].as_str().unwrap())).unwrap();
    }
    fs::remove_file(baocao::workspace::archive_file(&report)).unwrap();
    let o = run(&report, "vi", &[os("--json"), os("status")]);
    o.ok();
    assert_eq!(meetings(&o.json()), 19);
    assert_eq!(o.json()["damaged"], json!([]));
    // A new revision of 27112 goes into the archive file; 27115 is still
    // read from its own file.
    let newer = package(dir, &dir.join("usb2"), "27112", "Xã Tân Phú", 20);
    run(&report, "vi", &[os("import"), newer.as_os_str()])
        .ok()
        .stdout_has("thay cho lần gửi 1");
    let o = run(&report, "vi", &[os("--json"), os("status")]);
    o.ok();
    assert_eq!(meetings(&o.json()), 27);
    let records = baocao::store::archive::records(&report);
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].1, fs::read(&newer).unwrap());
    // The export embeds both, byte for byte as received.
    let out = dir.join("len");
    fs::create_dir(&out).unwrap();
    run(&report, "vi", &[os("export"), os("--out"), out.as_os_str()]).ok();
    let sent = fs::read_dir(&out).unwrap().next().unwrap().unwrap().path();
    assert_eq!(read_json(&sent)["children"].as_array().unwrap().len(), 2);
}

// ------------------------------------------------------ small things

/// Temp files a kill -9 left in the archive folder are removed by the next
/// command that takes the lock (not by one that only reads: a running
/// import may be writing them).
#[test]
fn temp_files_left_in_the_archive_are_removed_on_the_next_open() {
    let tmp = temp_dir();
    let dir = tmp.path();
    let report = district(dir);
    let usb = dir.join("usb");
    let files = packages(dir, &usb);
    run(&report, "vi", &[os("import"), files[0].as_os_str()]).ok();
    // The old archive folder's, and a compaction's beside the report.
    let archive = baocao::workspace::archive_dir(&report);
    fs::create_dir(&archive).unwrap();
    let leftover = archive.join(".27115-r1-3b475f0ebd3f.bcpkg.tmpAbC123");
    fs::write(&leftover, b"{\"format\": \"baocao-pack").unwrap();
    let compaction = dir.join(".huyen.json.tmpXyZ789");
    let whole = fs::read(baocao::workspace::archive_file(&report)).unwrap();
    fs::write(&compaction, &whole[..whole.len() / 2]).unwrap();
    let kept = archive.join("ghi-chu.txt");
    fs::write(&kept, b"not ours to remove").unwrap();
    run(&report, "vi", &[os("status")]).ok();
    assert!(leftover.exists(), "reading leaves it");
    assert!(compaction.exists(), "reading leaves it");
    run(&report, "vi", &[os("import"), files[1].as_os_str()]).ok();
    assert!(!leftover.exists(), "removed once the lock is held");
    assert!(!compaction.exists(), "removed once the lock is held");
    assert!(kept.exists(), "only temp files are removed");
    let o = run(&report, "vi", &[os("--json"), os("status")]);
    o.ok();
    assert_eq!(meetings(&o.json()), 19);
}
