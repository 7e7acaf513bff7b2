//! The crash soak: the real UI in a pseudo-terminal, typing Vietnamese
//! continuously into a long-text field (with Enter and Backspace), killed
//! with SIGKILL at random moments again and again — while typing, right
//! around an autosave, in the middle of a Ctrl+S save.
//!
//! "Autosaved before the kill" is what a person sees: the title bar turning
//! to "Đã lưu HH:MM:SS" after the text typed so far is on screen. After
//! every kill:
//! - the report loads (`baocao::store::load`);
//! - the field starts with the text seen saved, and is exactly one of the
//!   states the field passed through while typing (nothing half-written);
//! - the backups folder holds at most 10 files;
//! - the next start takes the lock over (the lock file names the new
//!   process) and removes every temp file (`.r.json.tmp*`) left behind.
//!
//! `BAOCAO_SOAK_KILLS` (default 25) sets the number of kills,
//! `BAOCAO_SOAK_SEED` replays a run.
#![cfg(unix)]

mod common;
mod pty;

use common::Rng;
use pty::{OTHER_TEXT, Ui, sibling};
use std::collections::HashSet;
use std::path::Path;
use std::time::{Duration, Instant};

const ROWS: u16 = 30;
const COLS: u16 = 100;
const ITEM: &str = "A.I.1";
const FIELD: &str = "hinh_thuc_quan_triet";
/// The program saves this long after the last key (app::AUTOSAVE_AFTER).
const AUTOSAVE: Duration = baocao::tui::app::AUTOSAVE_AFTER;

const WORDS: &[&str] = &[
    "Đảng ủy xã",
    "tổ chức",
    "hội nghị quán triệt",
    "cho 100% cán bộ chủ chốt;",
    "các chi bộ",
    "sinh hoạt chuyên đề,",
    "tuyên truyền trên loa truyền thanh",
    "ở 8/8 thôn.",
    "Mặt trận Tổ quốc",
    "và các đoàn thể",
    "Hội Nông dân, Hội Phụ nữ, Hội Cựu chiến binh,",
    "Đoàn Thanh niên",
    "đã phối hợp",
    "vận động nhân dân",
    "xây dựng nông thôn mới;",
    "tỷ lệ đảng viên tham gia đạt 96,3%.",
    "Nhận thức của cán bộ, đảng viên",
    "có chuyển biến rõ rệt",
    "về công tác dân vận",
    "— “dân biết, dân bàn, dân làm, dân kiểm tra”.",
];

/// One keystroke (or a run of printable characters) sent to the program.
enum Key {
    Text(String),
    Enter,
    Backspace,
}

/// Typing, with a mirror of what the field holds and every state it went
/// through since the program started.
struct Typist {
    /// What the field holds now (as far as the keys sent go).
    text: String,
    /// Every value the field held this run, in order of keys.
    states: HashSet<String>,
    keys_sent: usize,
}

impl Typist {
    fn new(start: &str) -> Typist {
        Typist {
            text: start.to_string(),
            states: HashSet::from([start.to_string()]),
            keys_sent: 0,
        }
    }

    fn press(&mut self, ui: &mut Ui, key: Key) {
        match key {
            Key::Text(s) => {
                ui.send(s.as_bytes());
                for c in s.chars() {
                    self.text.push(c);
                    self.states.insert(self.text.clone());
                }
                self.keys_sent += s.chars().count();
            }
            Key::Enter => {
                ui.send(b"\r");
                self.text.push('\n');
                self.states.insert(self.text.clone());
                self.keys_sent += 1;
            }
            Key::Backspace => {
                ui.send(b"\x7f");
                self.text.pop();
                self.states.insert(self.text.clone());
                self.keys_sent += 1;
            }
        }
    }

    /// One burst of typing: a few words, sometimes a slip corrected with
    /// Backspace (never reaching back before the burst), sometimes Enter.
    fn burst(&mut self, ui: &mut Ui, rng: &mut Rng) {
        let word = format!(" {}", rng.pick(WORDS));
        self.press(ui, Key::Text(word.clone()));
        if rng.below(3) == 0 {
            let back = 1 + rng.below(word.chars().count() as u64 - 1);
            for _ in 0..back {
                self.press(ui, Key::Backspace);
            }
            let retype: String = word
                .chars()
                .skip(word.chars().count() - back as usize)
                .collect();
            self.press(ui, Key::Text(retype));
        }
        if rng.below(6) == 0 {
            self.press(ui, Key::Enter);
        }
    }

    /// Types for `lo..=hi` milliseconds, a burst every few milliseconds.
    fn type_for(&mut self, ui: &mut Ui, rng: &mut Rng, lo: u64, hi: u64) {
        let deadline = Instant::now() + rng.ms(lo, hi);
        while Instant::now() < deadline {
            self.burst(ui, rng);
            std::thread::sleep(rng.ms(2, 25));
        }
    }

    /// Types a marker, waits until it is on screen (every key before it
    /// has reached the program), then until the title bar says saved.
    /// Returns the text that is now known to be saved.
    fn mark_and_see_saved(&mut self, ui: &mut Ui, mark: &str, ctrl_s: bool) -> String {
        // On a line of its own: a short line is never wrapped, so the
        // marker shows whole, in the last line of the box (the cursor's).
        self.press(ui, Key::Enter);
        self.press(ui, Key::Text(mark.to_string()));
        ui.screen.wait_for(mark);
        // The frame that shows the marker shows the unsaved state too.
        assert!(
            !ui.screen.title().contains("Đã lưu"),
            "{}",
            ui.screen.title()
        );
        if ctrl_s {
            ui.send(b"\x13");
        }
        ui.screen
            .wait_until("«Đã lưu HH:MM:SS» in the title bar", |s| {
                s.title().contains("Đã lưu ")
            });
        self.text.clone()
    }
}

fn temp_files(dir: &Path) -> Vec<String> {
    pty::temp_files(dir, "r.json")
}

fn backups_count(report: &Path) -> usize {
    std::fs::read_dir(baocao::store::backup_dir(report))
        .map(|d| d.count())
        .unwrap_or(0)
}

fn saved_field(report: &Path, round: usize, seed: u64) -> String {
    let r = baocao::store::load(report)
        .unwrap_or_else(|e| panic!("round {round} (seed {seed}): the report does not load: {e:?}"));
    let item = r.answers.get(ITEM);
    assert_eq!(
        item.and_then(|a| a.get("ty_le_chuyen_bien")),
        Some(&serde_json::json!(OTHER_TEXT)),
        "round {round}: typing went into the wrong field"
    );
    item.and_then(|a| a.get(FIELD))
        .map(|v| v.as_str().expect("a text field").to_string())
        .unwrap_or_default()
}

/// Starts the UI and checks what a start after a crash must do: the lock
/// taken over, no temp file left, the form up with the input method off.
fn start(data: &Path, dir: &Path, round: usize) -> Ui {
    let mut ui = Ui::spawn(data, dir, ROWS, COLS);
    ui.screen.wait_for("Tổ chức Đảng cấp trên");
    assert!(
        ui.screen.title().contains("Tắt bộ gõ"),
        "settings from BAOCAO_CONFIG_DIR: {}",
        ui.screen.title()
    );
    let lock = std::fs::read_to_string(sibling(data, ".lock")).unwrap();
    assert!(
        lock.contains(&format!("pid={}\n", ui.pid())),
        "round {round}: the new program holds the lock: {lock:?}"
    );
    assert_eq!(
        temp_files(dir),
        Vec::<String>::new(),
        "round {round}: temp files left by the kill are removed at start"
    );
    ui.send(b"\x1b[6~"); // PgDn to A.I.1, whose first field is long text
    ui.screen.wait_for("A.I.1");
    ui
}

/// How a round ends.
#[derive(Debug, Clone, Copy)]
enum Kill {
    /// Typing goes on after a save was seen; killed mid-typing.
    WhileTyping,
    /// Typing stops; killed around the moment the autosave runs.
    AroundAutosave,
    /// Ctrl+S, killed a few milliseconds later, inside the save.
    DuringCtrlS,
}

#[test]
fn the_ui_killed_at_random_moments_keeps_everything_seen_saved() {
    let kills: usize = std::env::var("BAOCAO_SOAK_KILLS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(25);
    let mut rng = Rng::seeded("soak", "BAOCAO_SOAK_SEED");
    let seed = rng.seed();
    let dir = common::temp_dir();
    let data = common::init_commune(dir.path());
    // The built-in Telex would turn "ddaf" into "đà": typed text here is
    // already Vietnamese, so the input method is off.
    pty::ime_off(dir.path());
    // The form opens an item on its first empty field: with the others of
    // A.I.1 filled, it opens on the long-text field typed into here.
    let answers = dir.path().join("answers.json");
    std::fs::write(&answers, pty::a_i_1_others().to_string()).unwrap();
    common::vi()
        .arg("fill")
        .arg("--from")
        .arg(&answers)
        .arg("--data")
        .arg(&data)
        .output()
        .map(common::Out::from)
        .unwrap()
        .ok();

    let began = Instant::now();
    let mut on_disk = String::new();
    let (mut seen_saved, mut lost_unsaved, mut temps_left, mut exact_last) = (0, 0usize, 0, 0);
    let mut max_backups = 0;
    for round in 1..=kills {
        let mut ui = start(&data, dir.path(), round);
        let mut typist = Typist::new(&on_disk);
        // Round shapes in turn; timings at random.
        let how = [
            Kill::WhileTyping,
            Kill::DuringCtrlS,
            Kill::AroundAutosave,
            Kill::WhileTyping,
            Kill::DuringCtrlS,
        ][round % 5];
        // The text a person saw saved; at the start, what is on disk.
        let mut committed = on_disk.clone();
        match how {
            Kill::WhileTyping => {
                typist.type_for(&mut ui, &mut rng, 50, 250);
                // Every other such round waits for the autosave, the other
                // saves with Ctrl+S.
                let ctrl_s = round % 2 == 0;
                committed = typist.mark_and_see_saved(&mut ui, &format!("#{round}#"), ctrl_s);
                seen_saved += 1;
                typist.type_for(&mut ui, &mut rng, 0, 400);
            }
            Kill::AroundAutosave => {
                typist.type_for(&mut ui, &mut rng, 50, 300);
                std::thread::sleep(AUTOSAVE - Duration::from_millis(60) + rng.ms(0, 200));
            }
            Kill::DuringCtrlS => {
                typist.type_for(&mut ui, &mut rng, 50, 300);
                ui.send(b"\x13");
                std::thread::sleep(Duration::from_micros(rng.below(15_000)));
            }
        }
        let typed_last = typist.text.clone();
        let pid = ui.pid();
        assert!(ui.sigkill(), "round {round} (seed {seed}): not killed");
        // The killed program's lock is left behind, naming it: the next
        // start must take it over.
        let lock = std::fs::read_to_string(sibling(&data, ".lock")).unwrap();
        assert!(lock.contains(&format!("pid={pid}\n")), "{lock:?}");

        let saved = saved_field(&data, round, seed);
        assert!(
            saved.starts_with(&committed),
            "round {round} ({how:?}, seed {seed}): text seen saved is missing.\n\
             seen saved: {committed:?}\non disk:    {saved:?}"
        );
        assert!(
            typist.states.contains(&saved),
            "round {round} ({how:?}, seed {seed}): the field on disk is not a state it \
             passed through: {saved:?}"
        );
        let backups = backups_count(&data);
        max_backups = max_backups.max(backups);
        assert!(
            backups <= 10,
            "round {round} (seed {seed}): {backups} files in the backups folder"
        );
        if !temp_files(dir.path()).is_empty() {
            temps_left += 1;
        }
        if saved == typed_last {
            exact_last += 1;
        } else {
            lost_unsaved += 1;
        }
        on_disk = saved;
    }

    // A last, clean run: the leftovers are gone, typing saves, Ctrl+Q
    // leaves the lock file empty and the report whole.
    let mut ui = start(&data, dir.path(), kills + 1);
    let mut typist = Typist::new(&on_disk);
    typist.press(&mut ui, Key::Text(" Kết thúc.".into()));
    ui.screen.wait_for("Kết thúc.");
    ui.send(b"\x11");
    assert!(ui.wait_exit().success(), "Ctrl+Q exits cleanly");
    assert_eq!(saved_field(&data, kills + 1, seed), typist.text);
    let lock = std::fs::read(sibling(&data, ".lock")).unwrap();
    assert!(lock.iter().all(u8::is_ascii_whitespace), "released: blank");
    assert_eq!(temp_files(dir.path()), Vec::<String>::new());
    assert!(backups_count(&data) <= 10);
    for b in baocao::store::backups(&data) {
        assert!(b.report.is_ok(), "backup {} is damaged", b.name);
    }
    common::vi()
        .arg("status")
        .arg("--data")
        .arg(&data)
        .output()
        .map(common::Out::from)
        .unwrap()
        .ok();
    eprintln!(
        "soak: seed {seed}, {kills} kills in {:.1} s: {seen_saved} after a save seen on \
         screen, {exact_last} with every key on disk, {lost_unsaved} with the unsaved tail \
         gone (as expected), {temps_left} left a temp file (removed at the next start), \
         at most {max_backups} backups; the field ends at {} characters",
        began.elapsed().as_secs_f64(),
        typist.text.chars().count()
    );
}
