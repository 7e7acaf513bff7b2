//! The real `baocao` UI in a pseudo-terminal, read back through a vt100
//! screen: shared by the end-to-end, soak and full-disk tests.
#![allow(dead_code)]

use portable_pty::{CommandBuilder, MasterPty, PtySize, native_pty_system};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub struct Screen {
    parser: Arc<Mutex<vt100::Parser>>,
    /// Every byte the program wrote, for checks of the modes it sets.
    raw: Arc<Mutex<Vec<u8>>>,
}

impl Screen {
    pub fn raw(&self) -> String {
        String::from_utf8_lossy(&self.raw.lock().unwrap()).into_owned()
    }

    /// Whether the program is still on the alternate screen.
    pub fn alternate(&self) -> bool {
        self.parser.lock().unwrap().screen().alternate_screen()
    }

    pub fn text(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    /// The title bar: the first line.
    pub fn title(&self) -> String {
        self.text().lines().next().unwrap_or_default().to_string()
    }

    /// The key bar: the last line (notices and save errors show there).
    pub fn bottom(&self) -> String {
        self.text().lines().last().unwrap_or_default().to_string()
    }

    #[track_caller]
    pub fn wait_until(&self, what: &str, ok: impl Fn(&Screen) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !ok(self) {
            assert!(
                Instant::now() < deadline,
                "{what} never happened; screen:\n{}",
                self.text()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    #[track_caller]
    pub fn wait_for(&self, needle: &str) {
        self.wait_until(&format!("«{needle}» on screen"), |s| {
            s.text().contains(needle)
        });
    }

    #[track_caller]
    pub fn wait_for_title(&self, needle: &str) {
        self.wait_until(&format!("«{needle}» in the title bar"), |s| {
            s.title().contains(needle)
        });
    }
}

/// `baocao --data DATA` in a ROWS×COLS pseudo-terminal, in Vietnamese,
/// with its settings file (the input method) in `config`.
pub struct Ui {
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    writer: Box<dyn Write + Send>,
    pub screen: Screen,
    _master: Box<dyn MasterPty + Send>,
}

impl Ui {
    pub fn spawn(data: &Path, config: &Path, rows: u16, cols: u16) -> Ui {
        Ui::spawn_with(data, config, rows, cols, &[])
    }

    /// The same with more environment variables.
    pub fn spawn_with(
        data: &Path,
        config: &Path,
        rows: u16,
        cols: u16,
        env: &[(&str, &str)],
    ) -> Ui {
        Ui::spawn_args(
            &["--data".as_ref(), data.as_os_str()],
            config,
            rows,
            cols,
            env,
        )
    }

    /// The program with these arguments (`outline edit FILE`…).
    pub fn spawn_args(
        args: &[&std::ffi::OsStr],
        config: &Path,
        rows: u16,
        cols: u16,
        env: &[(&str, &str)],
    ) -> Ui {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_baocao"));
        for a in args {
            cmd.arg(a);
        }
        cmd.cwd(config);
        cmd.env("TERM", "xterm-256color");
        cmd.env("LANG", "vi_VN.UTF-8");
        cmd.env_remove("LC_ALL");
        cmd.env_remove("LC_MESSAGES");
        cmd.env("BAOCAO_CONFIG_DIR", config);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).unwrap();
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().unwrap();
        let writer = pair.master.take_writer().unwrap();
        let parser = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let raw = Arc::new(Mutex::new(Vec::new()));
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
        Ui {
            child,
            writer,
            screen: Screen { parser, raw },
            _master: pair.master,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("the child has a pid")
    }

    pub fn send(&mut self, bytes: &[u8]) {
        self.writer.write_all(bytes).unwrap();
        self.writer.flush().unwrap();
    }

    /// Sends `text` in one write: to the program, keys faster than a
    /// person types (a paste delivered as keys), which the built-in input
    /// method leaves as they are.
    pub fn type_text(&mut self, text: &str) {
        self.send(text.as_bytes());
    }

    /// Sends the keys one at a time, each once the screen showed the one
    /// before: each arrives alone, as a person types, however loaded the
    /// machine is (the built-in input method works on them).
    pub fn type_like_a_person(&mut self, text: &str) {
        for c in text.chars() {
            let before = self.screen.text();
            self.send(c.to_string().as_bytes());
            self.screen
                .wait_until(&format!("{c:?} shown"), |s| s.text() != before);
        }
    }

    /// SIGKILL, then reaps the child; true when the signal killed it.
    /// (portable-pty's own kill() sends SIGHUP first, which the program
    /// catches to save: that is not a crash.)
    #[cfg(unix)]
    pub fn sigkill(mut self) -> bool {
        let pid = self.pid() as libc::pid_t;
        assert_eq!(unsafe { libc::kill(pid, libc::SIGKILL) }, 0, "kill -9");
        !self.wait_exit().success()
    }

    #[track_caller]
    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(Instant::now() < deadline, "baocao did not exit");
            std::thread::sleep(Duration::from_millis(5));
        }
    }
}

impl Drop for Ui {
    /// A failed assertion must not leave the program running (holding a
    /// mount busy, or the lock).
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            #[cfg(unix)]
            if let Some(pid) = self.child.process_id() {
                unsafe { libc::kill(pid as libc::pid_t, libc::SIGKILL) };
            }
            let _ = self.child.wait();
        }
    }
}

/// `report` with `suffix` added to its file name (`r.json.lock`, …).
pub fn sibling(p: &Path, suffix: &str) -> PathBuf {
    let mut name = p.file_name().unwrap().to_os_string();
    name.push(suffix);
    p.with_file_name(name)
}

/// Temp files a save leaves while writing (`.r.json.tmpXXXX`) in `dir`.
pub fn temp_files(dir: &Path, report_name: &str) -> Vec<String> {
    let prefix = format!(".{report_name}.tmp");
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(&prefix))
        .collect()
}

/// The settings file that turns the built-in Telex off: the tests type
/// text that is already Vietnamese.
pub fn ime_off(config: &Path) {
    std::fs::write(
        config.join("settings.json"),
        r#"{"input_method": "off", "tone_style": "old"}"#,
    )
    .unwrap();
}

/// Item A.I.1's fields other than its first long text, filled: the form
/// opens an item on its first empty field, so it then opens on that one.
pub const OTHER_TEXT: &str = "Cán bộ, đảng viên chuyển biến rõ về nhận thức.";

pub fn a_i_1_others() -> serde_json::Value {
    serde_json::json!({"A.I.1": {
        "ty_le_chuyen_bien": OTHER_TEXT,
        "so_hoi_nghi": 12,
        "can_bo_tham_gia": 48, "can_bo_tong_so": 50,
        "dang_vien_tham_gia": 1204, "dang_vien_tong_so": 1250,
        "doan_vien_tham_gia": 830, "doan_vien_tong_so": 900,
        "hoi_vien_tham_gia": 3900, "hoi_vien_tong_so": 4100,
        "nhan_dan_tham_gia": 9000, "nhan_dan_tong_so": 12000,
    }})
}
