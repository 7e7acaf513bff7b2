//! The built-in Telex in the real binary, through a pseudo-terminal: it
//! gets out of the way of a paste delivered as keys (all the bytes in one
//! write, as a Windows console or tmux `paste-buffer` without `-p` sends
//! them) and of a system input method sending composed letters.

mod pty;

use pty::Ui;
use std::path::Path;

fn init(data: &Path) {
    let ok = std::process::Command::new(env!("CARGO_BIN_EXE_baocao"))
        .args(["--lang", "vi", "init", "--type", "xa", "--code", "27112"])
        .args(["--name", "Xã Tân Phú", "--data"])
        .arg(data)
        .status()
        .unwrap();
    assert!(ok.success());
}

/// The first field (Tổ chức Đảng cấp trên) as saved, after Ctrl+Q.
fn quit_and_read_first_field(mut ui: Ui, data: &Path) -> String {
    ui.send(b"\x11");
    assert!(ui.wait_exit().success());
    let v: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(data).unwrap()).unwrap();
    v["answers"]["front"]["cap_tren"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_paste_delivered_as_keys_goes_in_verbatim() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("r.json");
    init(&data);
    // No settings file: the built-in Telex is on.
    let mut ui = Ui::spawn(&data, dir.path(), 30, 100);
    ui.screen.wait_for("Tổ chức Đảng cấp trên");
    ui.screen.wait_for_title("Telex");
    // One write, no delay between the keys (bracketed paste is not used).
    // (Short enough for the one-line box to show whole.)
    let pasted = "62-KL/TW, Excel, hoaf";
    ui.type_text(pasted);
    ui.screen.wait_for(pasted);
    // Typed by a person afterwards: Telex again, in the outline's style.
    ui.type_like_a_person(" hoaf");
    ui.screen.wait_for("Excel, hoaf hòa");
    assert!(ui.screen.title().contains("Telex"), "{}", ui.screen.title());
    assert_eq!(
        quit_and_read_first_field(ui, &data),
        format!("{pasted} hòa")
    );
}

#[test]
fn a_system_input_method_is_left_to_type_and_the_title_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("r.json");
    init(&data);
    // The built-in Telex in the old style (hoà, uỷ), chosen by the user;
    // Unikey on the machine types the new style.
    std::fs::write(
        dir.path().join("settings.json"),
        r#"{"input_method": "telex", "tone_style": "old", "tone_style_chosen": true}"#,
    )
    .unwrap();
    let mut ui = Ui::spawn(&data, dir.path(), 30, 100);
    ui.screen.wait_for("Tổ chức Đảng cấp trên");
    ui.screen.wait_for_title("Telex");
    // "hofa" with Unikey: h, o, then Backspace and "ò" for the f, then a.
    ui.type_like_a_person("ho");
    ui.send("\x7fò".as_bytes());
    ui.screen.wait_for("hò");
    ui.type_like_a_person("a");
    ui.screen.wait_for_title("Bộ gõ máy");
    // "ury": u, then Backspace and "ủ", then y.
    ui.type_like_a_person(" u");
    ui.send("\x7fủ".as_bytes());
    ui.screen.wait_for("hòa ủ");
    ui.type_like_a_person("y");
    ui.screen.wait_for("hòa ủy");
    assert!(
        ui.screen.title().contains("Bộ gõ máy") && !ui.screen.title().contains("Telex"),
        "{}",
        ui.screen.title()
    );
    assert_eq!(quit_and_read_first_field(ui, &data), "hòa ủy");
}
