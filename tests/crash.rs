//! The crash test: `baocao fill` saving changing content, killed with
//! SIGKILL at random moments again and again. After every kill the report
//! loads and equals one of the states that were saved; no leftover (temp
//! file, lock) stops the next run; the backups stay at ten.
#![cfg(unix)]

mod common;

use common::*;
use serde_json::{Value, json};
use std::os::unix::process::ExitStatusExt;
use std::process::Stdio;
use std::time::Duration;

/// At least this many rounds, and at least this many of them killed.
const MIN_KILLS: u64 = 50;
const MAX_ROUNDS: u64 = 1_000;

/// What round `n` writes: a text and a number that both carry `n`.
fn answers(n: u64) -> Value {
    json!({"A.I.1": {"hinh_thuc_quan_triet": format!("Lần lưu thứ {n}: quán triệt ở 8/8 thôn."), "so_hoi_nghi": n}})
}

/// The counter a report holds (0 before any fill), after checking
/// that the report is exactly the state that round saved.
fn counter_of(report: &baocao::report::Report, initial: &baocao::report::Report, seed: u64) -> u64 {
    let filled = report
        .answers
        .get("A.I.1")
        .and_then(|a| a.get("so_hoi_nghi"));
    let n = filled
        .map(|v| v.as_u64().expect("the counter is a number"))
        .unwrap_or(0);
    let mut expected = initial.clone();
    if filled.is_some() {
        for (item, fields) in answers(n).as_object().unwrap() {
            for (field, value) in fields.as_object().unwrap() {
                expected.set_value(item, field, value.clone());
            }
        }
    }
    // updated_at is the one thing a save may change besides the answers.
    expected.updated_at = report.updated_at;
    assert_eq!(
        report, &expected,
        "the report is not a state that was saved (seed {seed})"
    );
    n
}

fn temp_files(fx: &Fx) -> Vec<String> {
    std::fs::read_dir(fx.dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".r.json.tmp"))
        .collect()
}

/// Spawns `baocao fill --from FROM --data REPORT`.
fn spawn_fill(fx: &Fx, from: &std::path::Path) -> std::process::Child {
    vi().arg("fill")
        .arg("--from")
        .arg(from)
        .arg("--data")
        .arg(&fx.report)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("baocao starts")
}

#[test]
fn a_fill_killed_at_any_moment_leaves_a_saved_state() {
    let fx = Fx::commune();
    let initial = baocao::store::load(&fx.report).expect("the new report loads");
    let mut rng = Rng::seeded("crash", "BAOCAO_CRASH_SEED");
    let seed = rng.seed();
    let from = fx.path("answers.json");
    // How long one whole fill takes here: kill moments are drawn from 0 to
    // a bit more than that (at most 15 ms), so that most kills land while
    // the program runs, before, during and after its save.
    std::fs::write(&from, serde_json::to_vec(&answers(0)).unwrap()).unwrap();
    let mut runs: Vec<Duration> = (0..3)
        .map(|_| {
            let t = std::time::Instant::now();
            assert!(spawn_fill(&fx, &from).wait().unwrap().success());
            t.elapsed()
        })
        .collect();
    runs.sort();
    let window_us = (runs[1].as_micros() as u64 * 6 / 5).clamp(1_000, 15_000);
    let mut committed = 0; // the newest counter known to be on disk
    let (mut finished, mut killed, mut killed_after_save) = (0, 0, 0);
    let mut n = 0;
    while n < MIN_KILLS || killed < MIN_KILLS {
        n += 1;
        assert!(
            n <= MAX_ROUNDS,
            "only {killed} of {n} rounds were killed (seed {seed})"
        );
        std::fs::write(&from, serde_json::to_vec(&answers(n)).unwrap()).unwrap();
        let mut child = spawn_fill(&fx, &from);
        std::thread::sleep(Duration::from_micros(rng.below(window_us + 1)));
        child.kill().expect("SIGKILL"); // SIGKILL on unix
        let out = child.wait_with_output().unwrap();
        let status = out.status;
        if status.success() {
            committed = n;
            finished += 1;
        } else {
            assert_eq!(
                status.signal(),
                Some(9),
                "round {n} (seed {seed}) failed by itself rather than being killed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            killed += 1;
        }
        let report = baocao::store::load(&fx.report)
            .unwrap_or_else(|e| panic!("round {n} (seed {seed}): the report does not load: {e:?}"));
        let held = counter_of(&report, &initial, seed);
        assert!(
            committed <= held && held <= n,
            "round {n} (seed {seed}): the report holds {held}, but {committed} was committed"
        );
        if !status.success() && held == n {
            killed_after_save += 1;
        }
        // A kill before the rename leaves the previous state, after it the new one.
        committed = held;
        let backups = std::fs::read_dir(fx.backup_dir())
            .map(|d| d.count())
            .unwrap_or(0);
        assert!(
            backups <= 10,
            "round {n} (seed {seed}): {backups} files in the backups folder"
        );
    }
    eprintln!(
        "crash test: seed {seed}, kill window {window_us} µs, {n} rounds: {killed} killed \
         ({killed_after_save} after the new state was on disk), {finished} finished"
    );
    // Whatever was left behind (temp files, a lock file naming a dead
    // process), the next run works and cleans up.
    let n = n + 1;
    fx.fill("vi", &answers(n))
        .ok()
        .stdout_has("Đã điền 2 trường.");
    let report = baocao::store::load(&fx.report).unwrap();
    assert_eq!(counter_of(&report, &initial, seed), n);
    assert_eq!(
        temp_files(&fx),
        Vec::<String>::new(),
        "no temp file is left after a clean run"
    );
    assert!(
        std::fs::read(fx.lock_file())
            .unwrap()
            .iter()
            .all(u8::is_ascii_whitespace),
        "the lock file is released: blank"
    );
    assert!(std::fs::read_dir(fx.backup_dir()).unwrap().count() <= 10);
    // Every backup is a state that was saved, or a copy cut short by a kill
    // that the program recognises as damaged.
    for b in baocao::store::backups(&fx.report) {
        if let Ok(r) = &b.report {
            assert!(counter_of(r, &initial, seed) <= n, "{}", b.name);
        }
    }
    fx.vi(&["status"]).ok();
}

#[test]
fn a_temp_file_left_by_a_kill_does_not_stop_the_next_fill() {
    let fx = Fx::commune();
    // What a save killed between writing and renaming leaves behind.
    let leftover = fx.path(".r.json.tmpAbC123");
    std::fs::write(&leftover, b"{\"format\": \"baocao-rep").unwrap();
    std::fs::write(fx.lock_file(), "pid=999999\nsince=15/10/2014 08:30:00\n").unwrap();
    fx.vi(&["status"]).ok();
    fx.fill("vi", &answers(1)).ok();
    assert!(!leftover.exists(), "the leftover temp file is cleaned up");
    assert_eq!(fx.answer("A.I.1", "so_hoi_nghi"), 1);
}

/// The crash test of `baocao import`: a district takes a new revision of
/// every commune's package in each round (so each round replaces them all
/// and compacts the archive file), killed with SIGKILL at random moments:
/// while it reads, appends to the archive file, flushes it, saves the
/// report, compacts. After every kill the district is all or nothing:
/// every commune at the revision of the last round that finished, or
/// every one at this round's; every package the report lists is read back
/// from the archive whole (nothing quarantined); the archive keeps to a
/// bounded size (compaction works even after kills).
#[test]
fn an_import_killed_at_any_moment_leaves_the_district_all_or_nothing() {
    const COMMUNES: usize = 8;
    let tmp = temp_dir();
    let dir = tmp.path();
    let district = dir.join("huyen.json");
    vi().args(["init", "--type", "huyen", "--code", "HU01", "--name"])
        .arg(PARENT_NAME)
        .arg("--data")
        .arg(&district)
        .out()
        .ok();
    let mut communes: Vec<baocao::workspace::Workspace> = (0..COMMUNES)
        .map(|i| {
            let code = format!("{}", 27100 + i);
            let name = format!("Xã Số {}", i + 1);
            vi().args(["children", "add", &code, &name, "--data"])
                .arg(&district)
                .out()
                .ok();
            workspace(
                dir,
                &format!("xa-{code}.json"),
                unit("xa", &code, &name, Some("HU01")),
            )
        })
        .collect();
    // Round n's packages, revision n of every commune, in their folder.
    let mut export_round = |n: u64| {
        let usb = dir.join(format!("usb-{n}"));
        std::fs::create_dir_all(&usb).unwrap();
        for c in &mut communes {
            let text = format!("Lần gửi {n}: ") + &"quán triệt ở 8/8 thôn. ".repeat(60);
            c.report
                .set_value("A.I.1", "hinh_thuc_quan_triet", json!(text));
            c.report.set_value("A.I.1", "so_hoi_nghi", json!(n));
            c.export(&usb).unwrap();
        }
        usb
    };
    let spawn_import = |usb: &std::path::Path| {
        vi().arg("import")
            .arg(usb)
            .arg("--data")
            .arg(&district)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("baocao starts")
    };
    // The round each commune's figure says it was exported in.
    let rounds_held = || -> Vec<u64> {
        let report = baocao::store::load(&district).expect("the district loads");
        let outline = report.outline(None).unwrap();
        let ws = baocao::workspace::Workspace::new(&district, outline, report).unwrap();
        assert!(
            ws.damaged.is_empty(),
            "a package the report lists is not whole: {:?}",
            ws.damaged
                .iter()
                .map(|d| (d.received.code.clone(), d.reason.clone()))
                .collect::<Vec<_>>()
        );
        ws.children
            .iter()
            .map(|c| c.package.answers["A.I.1"]["so_hoi_nghi"].as_u64().unwrap())
            .collect()
    };
    // The archive file holds little more than one round's packages.
    let compacted = |usb: &std::path::Path, what: &str| {
        let archive = std::fs::metadata(baocao::workspace::archive_file(&district))
            .unwrap()
            .len();
        let one_round: u64 = std::fs::read_dir(usb)
            .unwrap()
            .map(|e| e.unwrap().metadata().unwrap().len() + 48)
            .sum();
        assert!(
            archive <= one_round * 4 / 3 + 8,
            "{what}: the archive is {archive} bytes, a round {one_round}"
        );
    };
    let mut rng = Rng::seeded("crash-import", "BAOCAO_CRASH_SEED");
    let seed = rng.seed();
    // How long one import takes here: kills are drawn over a bit more.
    let mut runs = Vec::new();
    for n in 1..=3 {
        let usb = export_round(n);
        let t = std::time::Instant::now();
        assert!(spawn_import(&usb).wait().unwrap().success());
        runs.push(t.elapsed());
    }
    runs.sort();
    let window_us = (runs[1].as_micros() as u64 * 6 / 5).clamp(2_000, 60_000);
    let mut committed = 3;
    let (mut killed, mut finished, mut after_save) = (0, 0, 0);
    let mut n = 3;
    while killed < 30 {
        n += 1;
        assert!(
            n < 400,
            "only {killed} of {n} rounds were killed (seed {seed})"
        );
        let usb = export_round(n);
        let mut child = spawn_import(&usb);
        std::thread::sleep(Duration::from_micros(rng.below(window_us + 1)));
        child.kill().expect("SIGKILL");
        let out = child.wait_with_output().unwrap();
        if out.status.success() {
            finished += 1;
        } else {
            assert_eq!(
                out.status.signal(),
                Some(9),
                "round {n} (seed {seed}) failed by itself: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            killed += 1;
        }
        let held = rounds_held();
        assert_eq!(held.len(), COMMUNES, "round {n} (seed {seed})");
        let round = held[0];
        assert!(
            held.iter().all(|r| *r == round),
            "round {n} (seed {seed}): not all or nothing: {held:?}"
        );
        assert!(
            round == committed || round == n,
            "round {n} (seed {seed}): holds round {round}, {committed} was committed"
        );
        if !out.status.success() && round == n {
            after_save += 1;
        }
        committed = round;
        // Replaced revisions and what killed imports left do not pile
        // up: an import that finishes compacts them away.
        if out.status.success() {
            compacted(&usb, &format!("round {n} (seed {seed})"));
        }
    }
    eprintln!(
        "import crash test: seed {seed}, kill window {window_us} µs, {n} rounds: {killed} killed \
         ({after_save} after the report was saved), {finished} finished"
    );
    // Whatever a kill left, the next import works and leaves no temp file.
    let usb = export_round(n + 1);
    assert!(spawn_import(&usb).wait().unwrap().success());
    assert!(rounds_held().iter().all(|r| *r == n + 1));
    compacted(&usb, "the last round");
    let temps: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".huyen.json.tmp"))
        .collect();
    assert!(temps.is_empty(), "temp files left: {temps:?}");
}

/// `baocao init` killed with SIGKILL at random moments, again and again,
/// in a fresh folder each round: the key file beside the report is never
/// half written. Either there is none (then the next write makes one) or
/// it is whole, its public key its secret's, 0600; a temp file a kill
/// left is removed at the next open.
#[test]
fn an_init_killed_at_any_moment_leaves_no_half_key_file() {
    let mut rng = Rng::seeded("crash-key", "BAOCAO_CRASH_SEED");
    let seed = rng.seed();
    let tmp = temp_dir();
    let spawn = |report: &std::path::Path| {
        vi().args(["init", "--type", "xa", "--code", CODE, "--name", NAME])
            .arg("--data")
            .arg(report)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("baocao starts")
    };
    // One whole init, timed: kills land from its start to a bit past its end.
    let t = std::time::Instant::now();
    assert!(spawn(&tmp.path().join("t.json")).wait().unwrap().success());
    let window_us = (t.elapsed().as_micros() as u64 * 6 / 5).clamp(1_000, 15_000);
    let (mut killed, mut with_key, mut rounds) = (0, 0, 0);
    while killed < MIN_KILLS {
        rounds += 1;
        assert!(
            rounds <= MAX_ROUNDS,
            "only {killed} of {rounds} killed (seed {seed})"
        );
        let report = tmp.path().join(format!("r{rounds}.json"));
        let mut child = spawn(&report);
        std::thread::sleep(Duration::from_micros(rng.below(window_us + 1)));
        child.kill().expect("SIGKILL");
        if !child.wait().unwrap().success() {
            killed += 1;
        }
        let key = baocao::store::key::key_path(&report);
        if key.exists() {
            with_key += 1;
            baocao::store::key::read_key(&report)
                .unwrap_or_else(|e| panic!("round {rounds} (seed {seed}): a half key file: {e:?}"));
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600, "round {rounds} (seed {seed})");
        }
        // What is left makes a whole key at the next start, a kill's
        // temp files gone.
        if report.exists() {
            vi().arg("keys").arg("--data").arg(&report).out().ok();
            baocao::store::key::read_key(&report).unwrap();
            let temps = std::fs::read_dir(tmp.path())
                .unwrap()
                .flatten()
                .filter(|e| {
                    let n = e.file_name().to_string_lossy().into_owned();
                    n.starts_with(&format!(".r{rounds}.json")) && n.contains(".tmp")
                })
                .count();
            assert_eq!(temps, 0, "round {rounds} (seed {seed})");
        }
    }
    eprintln!(
        "key crash test: seed {seed}, window {window_us} µs, {rounds} rounds, {killed} killed, {with_key} with a key"
    );
}
