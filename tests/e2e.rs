//! The real binary in a pseudo-terminal: what a commune cadre does first.
//! Types Vietnamese into the first field, moves to the next item, quits
//! with Ctrl+Q, and the report file holds the text.

use portable_pty::{CommandBuilder, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

struct Screen {
    parser: Arc<Mutex<vt100::Parser>>,
}

impl Screen {
    fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }
    fn wait_for(&self, needle: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let text = self.text();
            if text.contains(needle) {
                return text;
            }
            assert!(
                Instant::now() < deadline,
                "«{needle}» never appeared; screen:\n{text}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

fn spawn(
    args: &[&str],
    dir: &Path,
) -> (
    Box<dyn portable_pty::Child + Send + Sync>,
    Box<dyn Write + Send>,
    Screen,
) {
    let pty = native_pty_system();
    let pair = pty
        .openpty(PtySize {
            rows: 30,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_baocao"));
    cmd.args(args);
    cmd.cwd(dir);
    cmd.env("TERM", "xterm-256color");
    cmd.env("LANG", "vi_VN.UTF-8");
    // Settings (the input method) stay inside the test.
    cmd.env("BAOCAO_CONFIG_DIR", dir);
    let child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let writer = pair.master.take_writer().unwrap();
    let parser = Arc::new(Mutex::new(vt100::Parser::new(30, 100, 0)));
    let p = Arc::clone(&parser);
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            p.lock().unwrap().process(&buf[..n]);
        }
    });
    // Keep the master alive as long as the test runs.
    std::mem::forget(pair.master);
    (child, writer, Screen { parser })
}

fn wait_exit(child: &mut Box<dyn portable_pty::Child + Send + Sync>) -> portable_pty::ExitStatus {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "baocao did not exit");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn type_vietnamese_move_on_quit_and_the_file_holds_the_text() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("bao-cao.json");
    let status = std::process::Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args([
            "--lang",
            "vi",
            "init",
            "--type",
            "xa",
            "--code",
            "27112",
            "--name",
            "Xã Tân Phú",
        ])
        .arg("--data")
        .arg(&data)
        .status()
        .unwrap();
    assert!(status.success());

    let data_arg = data.to_str().unwrap();
    let (mut child, mut w, screen) = spawn(&["--data", data_arg], dir.path());
    screen.wait_for("Tổ chức Đảng cấp trên");
    // The cursor is in the first field, ready for typing.
    w.write_all("ĐẢNG BỘ TỈNH ĐỒNG NAI".as_bytes()).unwrap();
    w.flush().unwrap();
    screen.wait_for("ĐẢNG BỘ TỈNH ĐỒNG NAI");
    // PgDn to the next item, then type there too.
    w.write_all(b"\x1b[6~").unwrap();
    w.flush().unwrap();
    screen.wait_for("A.I.1");
    w.write_all("Quán triệt đến 100% đảng viên.".as_bytes())
        .unwrap();
    w.flush().unwrap();
    screen.wait_for("Quán triệt đến 100% đảng viên.");
    // No input method on this machine: the built-in Telex (on by default).
    w.write_all(b" Hooij nghij ddwowcj toor chuwcs").unwrap();
    w.flush().unwrap();
    screen.wait_for("Hội nghị được tổ chức");
    // A second copy on the same report is refused by the lock.
    let second = std::process::Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(["--lang", "vi", "--data", data_arg])
        .output()
        .unwrap();
    assert!(!second.status.success());
    let err = String::from_utf8_lossy(&second.stderr);
    assert!(
        err.contains("đang được mở bởi một chương trình baocao khác"),
        "{err}"
    );
    // Ctrl+Q saves and quits without asking.
    w.write_all(b"\x11").unwrap();
    w.flush().unwrap();
    let status = wait_exit(&mut child);
    assert!(status.success(), "exit status {status:?}");

    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&data).unwrap()).unwrap();
    assert_eq!(
        saved["answers"]["front"]["cap_tren"],
        "ĐẢNG BỘ TỈNH ĐỒNG NAI"
    );
    assert_eq!(
        saved["answers"]["A.I.1"]["hinh_thuc_quan_triet"],
        "Quán triệt đến 100% đảng viên. Hội nghị được tổ chức"
    );
}

#[cfg(unix)]
#[test]
fn sigterm_saves_what_was_typed_and_exits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("r.json");
    let ok = std::process::Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args([
            "init",
            "--type",
            "huyen",
            "--code",
            "HU01",
            "--name",
            "Huyện ủy Tân Phú",
            "--data",
        ])
        .arg(&data)
        .status()
        .unwrap();
    assert!(ok.success());
    let (mut child, mut w, screen) = spawn(&["--data", data.to_str().unwrap()], dir.path());
    screen.wait_for("Tổ chức Đảng cấp trên");
    w.write_all("chưa kịp lưu".as_bytes()).unwrap();
    w.flush().unwrap();
    screen.wait_for("chưa kịp lưu");
    let pid = child.process_id().unwrap();
    let killed = std::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let status = wait_exit(&mut child);
    assert!(status.success(), "exit status {status:?}");
    let saved = std::fs::read_to_string(&data).unwrap();
    assert!(saved.contains("chưa kịp lưu"));
}

/// A panic puts the terminal back (alternate screen left, mouse and paste
/// modes off), writes what was typed, and says so — in the debug build
/// (unwinding) as in the release build (abort).
#[test]
fn a_panic_restores_the_terminal_and_saves_what_was_typed() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("r.json");
    let ok = std::process::Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args([
            "init",
            "--type",
            "xa",
            "--code",
            "27112",
            "--name",
            "Xã Tân Phú",
            "--data",
        ])
        .arg(&data)
        .status()
        .unwrap();
    assert!(ok.success());
    let pty = native_pty_system();
    let pair = pty
        .openpty(PtySize {
            rows: 30,
            cols: 100,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_baocao"));
    cmd.args(["--data", data.to_str().unwrap()]);
    cmd.cwd(dir.path());
    cmd.env("TERM", "xterm-256color");
    cmd.env("LANG", "vi_VN.UTF-8");
    cmd.env("BAOCAO_CONFIG_DIR", dir.path());
    cmd.env("BAOCAO_TEST_PANIC", "1");
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut w = pair.master.take_writer().unwrap();
    let raw = Arc::new(Mutex::new(Vec::new()));
    let parser = Arc::new(Mutex::new(vt100::Parser::new(30, 100, 0)));
    let (p, r) = (Arc::clone(&parser), Arc::clone(&raw));
    std::thread::spawn(move || {
        let mut buf = [0u8; 8192];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            p.lock().unwrap().process(&buf[..n]);
            r.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    let screen = Screen {
        parser: Arc::clone(&parser),
    };
    screen.wait_for("Tổ chức Đảng cấp trên");
    w.write_all("chưa kịp lưu khi lỗi".as_bytes()).unwrap();
    w.flush().unwrap();
    screen.wait_for("chưa kịp lưu khi lỗi");
    w.write_all(b"\x1b[24~").unwrap(); // F12
    w.flush().unwrap();
    let status = wait_exit(&mut child);
    assert!(!status.success(), "a panic is not a clean exit");
    std::thread::sleep(Duration::from_millis(200));
    assert!(
        !parser.lock().unwrap().screen().alternate_screen(),
        "the alternate screen was left"
    );
    let out = String::from_utf8_lossy(&raw.lock().unwrap()).into_owned();
    for (mode, what) in [
        ("\x1b[?1000l", "mouse capture off"),
        ("\x1b[?2004l", "bracketed paste off"),
        ("\x1b[?25h", "cursor shown"),
    ] {
        assert!(out.contains(mode), "{what} missing");
    }
    assert!(
        out.contains("mọi thứ đã gõ đều đã được lưu"),
        "the message says the text was saved"
    );
    let saved = std::fs::read_to_string(&data).unwrap();
    assert!(
        saved.contains("chưa kịp lưu khi lỗi"),
        "typed text written by the panic hook"
    );
    std::mem::forget(pair.master);
}
