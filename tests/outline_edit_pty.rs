//! `baocao outline edit` through the real binary in a pseudo-terminal:
//! started from the 2014 outline, an item added at the end with Telex
//! typed as a person types, saved with Ctrl+S, left with Ctrl+Q; the file
//! is a new version that `outline check` accepts.

mod pty;

use baocao::outline::Outline;
use pty::Ui;
use std::ffi::OsStr;

#[test]
fn an_item_added_in_the_editor_is_saved_as_a_new_version() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("de-cuong.json");
    let args: [&OsStr; 4] = [
        "outline".as_ref(),
        "edit".as_ref(),
        file.as_os_str(),
        "--from-embedded".as_ref(),
    ];
    let mut ui = Ui::spawn_args(&args, dir.path(), 24, 80, &[]);
    ui.screen.wait_for("Soạn đề cương");
    ui.screen.wait_for("Cây đề cương");
    // End: the last item (C.2); Insert: a new item after it.
    ui.send(b"\x1b[F");
    ui.screen.wait_for("2. Đối với tỉnh");
    ui.send(b"\x1b[2~");
    ui.screen.wait_for("Tên mục:");
    // Word by word: a space at the end of the box shows nothing to wait for.
    for (i, word) in ["DDoois", "vowis", "huyeenj"].into_iter().enumerate() {
        if i > 0 {
            ui.send(b" ");
        }
        ui.type_like_a_person(word);
    }
    ui.screen.wait_for("Đối với huyện");
    ui.send(b"\r");
    ui.screen.wait_for("3. Đối với huyện");
    ui.send(b"\x13");
    ui.screen.wait_for("Đã lưu");
    ui.send(b"\x11");
    assert!(ui.wait_exit().success());
    let saved = Outline::load(&file).expect("the saved outline passes check");
    assert_eq!(saved.version, "3", "the 2014 outline's version 2, plus one");
    let c = saved.items.iter().find(|i| i.id == "C").unwrap();
    let added = c.items.last().unwrap();
    assert_eq!(
        (
            added.id.as_str(),
            added.marker.as_str(),
            added.title.as_str()
        ),
        ("DoiVoiHuyen", "3.", "Đối với huyện")
    );
    let check = std::process::Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(["--lang", "vi", "outline", "check"])
        .arg(&file)
        .output()
        .unwrap();
    assert!(check.status.success(), "{check:?}");
}
