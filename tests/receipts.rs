//! Receipts through the real binary: the district writes one signed
//! receipt per sending unit (`import --receipts DIR`), the commune
//! records it (`import RECEIPT`, whatever its name), and `status` says
//! what became of its package. Refused: a receipt from a stranger's key,
//! for a revision never sent, tampered, or addressed to another unit.

mod common;

use common::*;
use serde_json::{Value, json};
use std::path::{Path, PathBuf};

fn run(data: &Path, args: &[&str]) -> Out {
    baocao()
        .args(["--lang", "vi"])
        .args(args)
        .arg("--data")
        .arg(data)
        .out()
}

fn runj(data: &Path, args: &[&str]) -> Out {
    baocao()
        .args(["--lang", "vi", "--json"])
        .args(args)
        .arg("--data")
        .arg(data)
        .out()
}

struct Two {
    _dir: tempfile::TempDir,
    root: PathBuf,
    xa: PathBuf,
    huyen: PathBuf,
}

fn init(data: &Path, t: &str, code: &str, name: &str, parent: Option<(&str, &str)>) {
    let mut args = vec!["init", "--type", t, "--code", code, "--name", name];
    if let Some((c, n)) = parent {
        args.extend(["--parent-code", c, "--parent-name", n]);
    }
    run(data, &args).ok();
}

impl Two {
    fn new() -> Two {
        let dir = temp_dir();
        let root = dir.path().to_path_buf();
        for d in ["xa", "xa2", "huyen", "khac", "usb"] {
            std::fs::create_dir_all(root.join(d)).unwrap();
        }
        let (xa, huyen) = (root.join("xa/r.json"), root.join("huyen/r.json"));
        init(&xa, "xa", "XA01", "Xã Một", Some(("HU01", "Huyện Một")));
        init(&huyen, "huyen", "HU01", "Huyện Một", None);
        run(
            &huyen,
            &["children", "add", "XA01", "Xã Một", "--type", "xa"],
        )
        .ok();
        Two {
            _dir: dir,
            root,
            xa,
            huyen,
        }
    }

    fn usb(&self) -> PathBuf {
        self.root.join("usb")
    }

    fn export(&self, n: u32) -> PathBuf {
        let answers = self.root.join("a.json");
        std::fs::write(&answers, json!({"A.I.1": {"so_hoi_nghi": n}}).to_string()).unwrap();
        run(&self.xa, &["fill", "--from", answers.to_str().unwrap()]).ok();
        run(&self.xa, &["export", "--out", self.usb().to_str().unwrap()]).ok();
        let mut pkgs: Vec<PathBuf> = std::fs::read_dir(self.usb())
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "bcpkg"))
            .collect();
        pkgs.sort();
        pkgs.pop().unwrap()
    }
}

#[test]
fn an_accepted_receipt_goes_down_and_is_recorded_once() {
    let t = Two::new();
    let pkg = t.export(1);
    let usb = t.usb();
    run(
        &t.huyen,
        &[
            "import",
            "--receipts",
            usb.to_str().unwrap(),
            pkg.to_str().unwrap(),
        ],
    )
    .ok()
    .stdout_has("Đã ghi 1 biên nhận");
    let rc = usb.join("bien-nhan-XA01-lan1.bcrcpt");
    let v = read_json(&rc);
    assert_schema_valid("receipt.schema.json", &v, "an accepted receipt");
    assert_eq!(v["state"], "accepted");
    // Renamed by a chat program: still told by its content.
    let renamed = t.root.join("bien nhan (1).txt");
    std::fs::copy(&rc, &renamed).unwrap();
    run(&t.xa, &["import", renamed.to_str().unwrap()])
        .ok()
        .stdout_has("Đã ghi nhận biên nhận");
    run(&t.xa, &["status"])
        .ok()
        .stdout_has("Cấp trên đã nhận lần gửi 1 lúc ");
    let s = runj(&t.xa, &["status"]).ok().json();
    assert_eq!(s["receipts"][0]["revision"], 1);
    assert_eq!(s["receipts"][0]["state"], "accepted");
    assert_eq!(s["receipts"][0]["reason"], Value::Null);
    assert_schema_valid(
        "report.schema.json",
        &read_json(&t.xa),
        "a report with receipts",
    );
    // Twice: already recorded, nothing changed.
    let before = std::fs::read(&t.xa).unwrap();
    run(&t.xa, &["import", rc.to_str().unwrap()])
        .ok()
        .stdout_has("đã ghi nhận rồi");
    assert_eq!(std::fs::read(&t.xa).unwrap(), before);
}

#[test]
fn a_refused_package_gets_a_refused_receipt_with_its_reason() {
    let t = Two::new();
    let p1 = t.export(1);
    let p2 = t.export(2);
    let usb = t.usb();
    run(&t.huyen, &["import", p2.to_str().unwrap()]).ok();
    // Revision 1 after 2: refused as older.
    runj(
        &t.huyen,
        &[
            "import",
            "--receipts",
            usb.to_str().unwrap(),
            p1.to_str().unwrap(),
        ],
    )
    .fails_with("cli.import_refused");
    let rc = usb.join("bien-nhan-XA01-lan1.bcrcpt");
    let v = read_json(&rc);
    assert_schema_valid("receipt.schema.json", &v, "a refused receipt");
    assert_eq!(v["state"], "refused");
    assert_eq!(v["reason"]["code"], "import.older");
    run(&t.xa, &["import", rc.to_str().unwrap()]).ok();
    run(&t.xa, &["status"])
        .ok()
        .stdout_has("Lần gửi 1 bị từ chối: Từ chối gói");
    let s = runj(&t.xa, &["status"]).ok().json();
    assert_eq!(s["receipts"][0]["state"], "refused");
    assert!(
        s["receipts"][0]["reason"]
            .as_str()
            .unwrap()
            .contains("mới hơn")
    );
}

#[test]
fn receipts_that_do_not_hold_are_refused_and_change_nothing() {
    let t = Two::new();
    let pkg = t.export(1);
    let usb = t.usb();
    // A stranger posing as the district, with its own key.
    let khac = t.root.join("khac/r.json");
    init(&khac, "huyen", "HU01", "Huyện Một", None);
    run(
        &khac,
        &["children", "add", "XA01", "Xã Một", "--type", "xa"],
    )
    .ok();
    let fake_dir = t.root.join("khac");
    run(
        &khac,
        &[
            "import",
            "--receipts",
            fake_dir.to_str().unwrap(),
            pkg.to_str().unwrap(),
        ],
    )
    .ok();
    let fake = fake_dir.join("bien-nhan-XA01-lan1.bcrcpt");
    run(
        &t.huyen,
        &[
            "import",
            "--receipts",
            usb.to_str().unwrap(),
            pkg.to_str().unwrap(),
        ],
    )
    .ok();
    let real = usb.join("bien-nhan-XA01-lan1.bcrcpt");
    // The first receipt pins the parent's key; the stranger's is refused.
    run(&t.xa, &["import", real.to_str().unwrap()]).ok();
    let before = std::fs::read(&t.xa).unwrap();
    runj(&t.xa, &["import", fake.to_str().unwrap()]).fails_with("receipt.key_changed");
    // Tampered: a revision changed by hand.
    let mut v = read_json(&real);
    v["revision"] = json!(7);
    let tampered = t.root.join("tampered.bcrcpt");
    std::fs::write(&tampered, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
    runj(&t.xa, &["import", tampered.to_str().unwrap()]).fails_with("receipt.checksum");
    // Unsigned.
    let mut v = read_json(&real);
    v.as_object_mut().unwrap().remove("signature");
    std::fs::write(&tampered, serde_json::to_vec_pretty(&v).unwrap()).unwrap();
    runj(&t.xa, &["import", tampered.to_str().unwrap()]).fails_with("receipt.unsigned");
    assert_eq!(std::fs::read(&t.xa).unwrap(), before);
    // Addressed to another unit.
    let xa2 = t.root.join("xa2/r.json");
    init(&xa2, "xa", "XA02", "Xã Hai", Some(("HU01", "Huyện Một")));
    runj(&xa2, &["import", real.to_str().unwrap()]).fails_with("receipt.other_unit");
}

#[test]
fn a_receipt_for_a_revision_never_sent_is_refused() {
    let t = Two::new();
    let pkg = t.export(1);
    let usb = t.usb();
    // A unit of the same code whose own history never had that package.
    let other = t.root.join("xa2/r.json");
    init(&other, "xa", "XA01", "Xã Một", Some(("HU01", "Huyện Một")));
    run(
        &t.huyen,
        &[
            "import",
            "--receipts",
            usb.to_str().unwrap(),
            pkg.to_str().unwrap(),
        ],
    )
    .ok();
    let rc = usb.join("bien-nhan-XA01-lan1.bcrcpt");
    runj(&other, &["import", rc.to_str().unwrap()]).fails_with("receipt.never_sent");
}
