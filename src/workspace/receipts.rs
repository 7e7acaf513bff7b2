//! Receipts between levels. At the parent: what each package file given
//! to the import came to (taken or refused, and why), written back as a
//! signed receipt for its unit once the report that took the packages
//! in is saved. At the child: a receipt checked against what the unit
//! sent and the parent's pinned key, then recorded in its report.

use super::{Examined, Workspace};
use crate::error::Result;
use crate::i18n::{Lang, Localized};
use crate::keys::{Fingerprint, PublicKey};
use crate::receipt::{self, Content, Party, Reason, Receipt, Recorded, State};
use crate::report::{PinSource, PinnedKey};
use crate::text::printable;
use crate::tl;
use chrono::Local;
use std::path::{Path, PathBuf};

/// What a receipt will say of one file, decided as the file is judged.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub unit: Party,
    /// The file's name as it was given.
    pub file: String,
    pub revision: u32,
    pub package_checksum: String,
    pub state: State,
    pub reason: Option<Reason>,
}

impl Decision {
    /// What the receipt for a file judged says: taken (new, newer, held,
    /// already here) or refused with the reason, in Vietnamese as the
    /// parent's staff read it. `None` when the file could not be read as
    /// a package: whose it is cannot be told, so no receipt goes back.
    pub fn of(ex: &Examined) -> Option<Decision> {
        let p = ex.package()?;
        let accepted = ex.verdict.accepted();
        Some(Decision {
            unit: Party {
                code: p.unit.code.clone(),
                name: p.unit.name.clone(),
            },
            file: ex
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            revision: p.revision,
            package_checksum: p.checksum.clone(),
            state: if accepted {
                State::Accepted
            } else {
                State::Refused
            },
            reason: (!accepted).then(|| Reason {
                code: ex.verdict.code(),
                message: ex.localized(Lang::Vi),
            }),
        })
    }
}

/// Why a receipt, read well, is not recorded. Nothing was changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum ReceiptRefused {
    /// Addressed to another unit.
    OtherUnit { to: Party },
    /// From another parent than the one this unit reports to.
    OtherParent { parent: Party, ours: String },
    /// This unit reports to no one: no receipt is for it.
    NoParent,
    /// Signed by another key than the parent's pinned one.
    KeyChanged {
        pinned: Fingerprint,
        found: Fingerprint,
    },
    /// For a package this unit never sent: no such revision, or
    /// (`other`) one with other content.
    NeverSent { revision: u32, other: bool },
}

impl Localized for ReceiptRefused {
    fn localized(&self, lang: Lang) -> String {
        let p = |s: &str| printable(s, false);
        match self {
            ReceiptRefused::OtherUnit { to } => tl!(
                lang,
                "Biên nhận này gửi cho đơn vị khác ({} – {}), không phải đơn vị này; không ghi nhận.",
                "This receipt is addressed to another unit ({} – {}), not this one; not recorded.",
                p(&to.name),
                p(&to.code)
            ),
            ReceiptRefused::OtherParent { parent, ours } => tl!(
                lang,
                "Biên nhận này của {} ({}), không phải của cấp trên của đơn vị này ({}); không ghi nhận.",
                "This receipt is from {} ({}), not from this unit's parent ({}); not recorded.",
                p(&parent.name),
                p(&parent.code),
                p(ours)
            ),
            ReceiptRefused::NoParent => tl!(
                lang,
                "Đơn vị này không báo cáo lên cấp nào, nên không có biên nhận nào cho nó.",
                "This unit reports to no one, so no receipt is for it."
            ),
            ReceiptRefused::KeyChanged { pinned, found } => tl!(
                lang,
                "Biên nhận được ký bằng khóa có dấu vân tay {found}, không phải khóa đã ghi nhận của cấp trên ({pinned}); không ghi nhận. Có thể biên nhận bị giả mạo, hoặc cấp trên đã cài lại máy. Hãy gọi điện cho cấp trên và đọc dấu vân tay cho nhau (cấp trên xem bằng lệnh baocao keys). Nếu đúng là {found}, ghi nhận khóa mới: baocao parent --fingerprint {found}, rồi nhập lại biên nhận.",
                "The receipt is signed by the key with fingerprint {found}, not the parent's pinned key ({pinned}); not recorded. It may be forged, or the parent set up its computer again. Phone the parent and read the fingerprints to each other (the parent sees its own with baocao keys). If it is {found}, pin the new key: baocao parent --fingerprint {found}, then import the receipt again."
            ),
            ReceiptRefused::NeverSent {
                revision,
                other: false,
            } => tl!(
                lang,
                "Biên nhận nói về lần gửi {revision}, nhưng đơn vị này chưa từng xuất lần gửi đó; không ghi nhận. Hãy hỏi lại cấp trên.",
                "The receipt is about revision {revision}, which this unit never exported; not recorded. Check with the parent."
            ),
            ReceiptRefused::NeverSent {
                revision,
                other: true,
            } => tl!(
                lang,
                "Biên nhận nói về một gói lần gửi {revision} có nội dung khác với gói đơn vị này đã xuất (mã kiểm tra khác); không ghi nhận. Hãy hỏi lại cấp trên.",
                "The receipt is about a package of revision {revision} with other content than the one this unit exported (another checksum); not recorded. Check with the parent."
            ),
        }
    }
}

crate::coded!(ReceiptRefused => "receipt");
crate::localized_display!(ReceiptRefused);

/// What recording a receipt did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Taken {
    /// Recorded now.
    Recorded(Recorded),
    /// The very receipt was recorded before: nothing changed.
    Already(Recorded),
}

impl Taken {
    pub fn changed(&self) -> bool {
        matches!(self, Taken::Recorded(_))
    }
}

impl Localized for Taken {
    fn localized(&self, lang: Lang) -> String {
        match self {
            Taken::Recorded(r) => {
                let what = r.summary(lang);
                tl!(
                    lang,
                    "Đã ghi nhận biên nhận của {} ({}): {what}.",
                    "Recorded the receipt of {} ({}): {what}.",
                    printable(&r.parent.name, false),
                    printable(&r.parent.code, false)
                )
            }
            Taken::Already(r) => tl!(
                lang,
                "Biên nhận này (lần gửi {}) đã ghi nhận rồi; không thay đổi gì.",
                "This receipt (revision {}) was recorded already; nothing changed.",
                r.revision
            ),
        }
    }
}

crate::localized_display!(Taken);

impl Workspace {
    /// Writes one signed receipt per decision into `dir`, each atomically,
    /// received now; returns where. Call it once the report that took
    /// the packages in is saved: a receipt never says more than the
    /// report holds.
    pub fn write_receipts(&mut self, dir: &Path, decisions: &[Decision]) -> Result<Vec<PathBuf>> {
        if decisions.is_empty() {
            return Ok(Vec::new());
        }
        let key = self.unit_key()?;
        let at = Local::now().to_rfc3339();
        let me = Party {
            code: self.report.unit.code.clone(),
            name: self.report.unit.name.clone(),
        };
        let mut out = Vec::with_capacity(decisions.len());
        for d in decisions {
            let r = Content {
                parent: me.clone(),
                unit: d.unit.clone(),
                file: d.file.clone(),
                revision: d.revision,
                package_checksum: d.package_checksum.clone(),
                received_at: at.clone(),
                state: d.state,
                reason: d.reason.clone(),
            }
            .sign(&key);
            let path = place(dir, &r);
            // Atomically (temp file, fsync, rename): a USB stick pulled out
            // meanwhile holds the old file or the new one.
            crate::store::write_atomic(&path, &r.to_bytes(), false)?;
            out.push(path);
        }
        Ok(out)
    }

    /// What recording the receipt at `path` would do, without changing
    /// anything: the receipt, and whether it is recorded already.
    pub fn examine_receipt(&self, path: &Path) -> Result<(Receipt, PublicKey, bool)> {
        let (r, signer) = receipt::read(path)?;
        let me = &self.report.unit;
        if r.unit.code != me.code {
            return Err(ReceiptRefused::OtherUnit { to: r.unit }.into());
        }
        let Some(ours) = &me.parent_code else {
            return Err(ReceiptRefused::NoParent.into());
        };
        if *ours != r.parent.code {
            return Err(ReceiptRefused::OtherParent {
                parent: r.parent,
                ours: ours.clone(),
            }
            .into());
        }
        if let Some(k) = &self.report.parent_key
            && !k.holds(&signer)
        {
            return Err(ReceiptRefused::KeyChanged {
                pinned: k.fingerprint,
                found: signer.fingerprint(),
            }
            .into());
        }
        let sent = &self.report.sent;
        if !sent
            .iter()
            .any(|s| s.revision == r.revision && s.checksum == r.package_checksum)
        {
            return Err(ReceiptRefused::NeverSent {
                revision: r.revision,
                other: sent.iter().any(|s| s.revision == r.revision),
            }
            .into());
        }
        let already = self
            .report
            .receipts
            .iter()
            .any(|x| x.checksum == r.checksum);
        Ok((r, signer, already))
    }

    /// Records the receipt at `path` (checked as [`examine_receipt`]
    /// does) and pins the parent's key with the first one. The report
    /// may be final: a receipt changes nothing that was approved.
    ///
    /// [`examine_receipt`]: Workspace::examine_receipt
    pub fn take_receipt(&mut self, path: &Path) -> Result<Taken> {
        let (r, signer, already) = self.examine_receipt(path)?;
        if already {
            let rec = self
                .report
                .receipts
                .iter()
                .find(|x| x.checksum == r.checksum)
                .cloned()
                .unwrap_or_else(|| Recorded::of(&r));
            return Ok(Taken::Already(rec));
        }
        let rec = Recorded::of(&r);
        self.report.receipts.push(rec.clone());
        match &mut self.report.parent_key {
            None => {
                self.report.parent_key = Some(PinnedKey {
                    fingerprint: signer.fingerprint(),
                    public_key: Some(signer.base64()),
                    pinned_at: Local::now(),
                    source: PinSource::Receipt,
                })
            }
            Some(k) if k.public_key.is_none() => k.public_key = Some(signer.base64()),
            Some(_) => {}
        }
        self.report.updated_at = Local::now();
        Ok(Taken::Recorded(rec))
    }

    /// Pins `fingerprint` as the parent's key, read on the phone: before
    /// any receipt, or in place of the key pinned before. Returns the
    /// fingerprint pinned before.
    pub fn pin_parent_key(&mut self, fingerprint: Fingerprint) -> Result<Option<Fingerprint>> {
        if self.report.unit.parent_code.is_none() {
            return Err(ReceiptRefused::NoParent.into());
        }
        let before = self.report.parent_key.as_ref().map(|k| k.fingerprint);
        if before != Some(fingerprint) {
            self.report.parent_key = Some(PinnedKey {
                fingerprint,
                public_key: None,
                pinned_at: Local::now(),
                source: if before.is_some() {
                    PinSource::Rekey
                } else {
                    PinSource::Phone
                },
            });
            self.report.updated_at = Local::now();
        }
        Ok(before)
    }

    /// The newest receipt recorded, in one line ("Cấp trên đã nhận lần
    /// gửi 2 lúc 14:05 15/10/2014"), for `status` and the title bar.
    pub fn receipt_line(&self, lang: Lang) -> Option<String> {
        receipt::newest(&self.report.receipts).map(|r| r.summary(lang))
    }
}

/// Where the receipt `r` goes in `dir`: its readable name, unless a file
/// of that name is there about another package (another checksum: a
/// conflicting file of the same revision); then the name with the
/// package's checksum, and a number if need be. A receipt about the same
/// package is replaced by the newer one.
fn place(dir: &Path, r: &Receipt) -> PathBuf {
    let same = |p: &Path| {
        !p.exists()
            || receipt::about(p).is_some_and(|(code, rev, sum)| {
                code == r.unit.code && rev == r.revision && sum == r.package_checksum
            })
    };
    let first = dir.join(receipt::file_name(&r.unit.code, r.revision));
    if same(&first) {
        return first;
    }
    let stem = receipt::file_name(&r.unit.code, r.revision);
    let stem = stem.trim_end_matches(&format!(".{}", receipt::EXTENSION));
    let sum = r.package_checksum.trim_start_matches("sha256:");
    let short: String = sum.chars().take(8).collect();
    (1..)
        .map(|n| {
            let tail = if n == 1 {
                String::new()
            } else {
                format!("-{n}")
            };
            dir.join(format!("{stem}-{short}{tail}.{}", receipt::EXTENSION))
        })
        .find(|p| same(p))
        .expect("a free name")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outline::Outline;
    use crate::report::Report;
    use crate::unit::Unit;

    fn workspace(dir: &Path, file: &str, u: Unit) -> Workspace {
        let outline = Outline::embedded().clone();
        let report = Report::new(&outline, u).unwrap();
        let path = dir.join(file);
        crate::store::save(&path, &report).unwrap();
        Workspace::new(&path, outline, report).unwrap()
    }

    fn unit(t: &str, code: &str, parent: Option<&str>) -> Unit {
        Unit {
            unit_type: t.into(),
            code: code.into(),
            name: format!("Đơn vị {code}"),
            parent_code: parent.map(Into::into),
            parent_name: parent.map(|p| format!("Đơn vị {p}")),
        }
    }

    #[test]
    fn a_receipt_goes_down_and_is_recorded_once() {
        let dir = tempfile::tempdir().unwrap();
        let usb = dir.path().join("usb");
        std::fs::create_dir_all(&usb).unwrap();
        let mut xa = workspace(dir.path(), "xa.json", unit("xa", "XA01", Some("HU01")));
        let pkg = xa.export(&usb).unwrap();
        let mut huyen = workspace(dir.path(), "huyen.json", unit("huyen", "HU01", None));
        huyen.add_child("XA01", "Đơn vị XA01", None, None).unwrap();
        let ex = huyen.examine(&pkg);
        let d = Decision::of(&ex).unwrap();
        assert_eq!(d.state, State::Accepted);
        huyen.accept(&ex).unwrap();
        let written = huyen.write_receipts(&usb, &[d]).unwrap();
        assert_eq!(written, [usb.join("bien-nhan-XA01-lan1.bcrcpt")]);
        assert_eq!(
            crate::kind::of_file(&written[0]).unwrap(),
            Some(crate::kind::Kind::Receipt)
        );
        let taken = xa.take_receipt(&written[0]).unwrap();
        assert!(taken.changed());
        assert!(xa.report.parent_key.is_some());
        assert!(
            xa.receipt_line(Lang::Vi)
                .unwrap()
                .starts_with("Cấp trên đã nhận lần gửi 1 lúc ")
        );
        assert!(!xa.take_receipt(&written[0]).unwrap().changed());
        assert_eq!(xa.report.receipts.len(), 1);
        // Another unit's key: refused, nothing recorded.
        std::fs::create_dir_all(dir.path().join("x")).unwrap();
        let mut stranger = workspace(
            &dir.path().join("x"),
            "huyen.json",
            unit("huyen", "HU01", None),
        );
        let d = Decision::of(&huyen.examine(&pkg)).unwrap();
        let fake = stranger
            .write_receipts(&dir.path().join("x"), &[d])
            .unwrap();
        let e = xa.take_receipt(&fake[0]).unwrap_err();
        assert_eq!(e.code(), "receipt.key_changed");
        // Addressed to another unit.
        let mut other = workspace(dir.path(), "xa2.json", unit("xa", "XA02", Some("HU01")));
        let e = other.take_receipt(&written[0]).unwrap_err();
        assert_eq!(e.code(), "receipt.other_unit");
    }
}
