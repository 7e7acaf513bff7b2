//! Keys between levels: this unit's own key (signing what it sends), and
//! the keys of its children, pinned here (by the first package taken in,
//! or from a fingerprint read on the phone beforehand). A package signed
//! by another key than the one pinned is refused until the user, having
//! checked with the unit by phone, pins the new one (`children rekey`).

use super::import::Verdict;
use super::{Workspace, WorkspaceError};
use crate::error::Result;
use crate::keys::{Fingerprint, UnitKey};
use crate::package::{self, Package};
use crate::report::{ExpectedChild, PinSource, PinnedKey};
use crate::store::key::{self, KeyOrigin};
use crate::t;
use chrono::Local;
use std::collections::HashMap;

impl Workspace {
    /// This unit's key, made now when the report has none (made by an
    /// older baocao), or put back from its copy in the backups; then
    /// [`Workspace::new_key`] says so.
    pub fn unit_key(&mut self) -> Result<UnitKey> {
        let (k, origin) = key::unit_key(&self.path, &self.report.unit.code)?;
        if origin != KeyOrigin::Existing {
            self.new_key = Some((k.public().fingerprint(), origin));
        }
        Ok(k)
    }

    /// The children counted here whose package (or one embedded in it)
    /// has no signature: taken in by a baocao from before signatures.
    /// The package sent upward embeds them as they are, and a parent
    /// refuses it: (name, code) of each, to say so before it is sent.
    pub fn unsigned_children(&self) -> Vec<(String, String)> {
        self.children
            .iter()
            .filter(|c| package::require_signed(&c.package).is_err())
            .map(|c| (c.received.name.clone(), c.received.code.clone()))
            .collect()
    }

    /// The key pinned for the child `code`, if any.
    pub fn pinned_key(&self, code: &str) -> Option<&PinnedKey> {
        self.report
            .children
            .iter()
            .find(|c| c.code == code)
            .and_then(|c| c.key.as_ref())
    }

    /// Pins `fingerprint` as the key of the child `code` (on the list):
    /// from the children list, or, after a phone call, in place of the
    /// key pinned before (`rekey`). Returns the fingerprint pinned before.
    pub fn pin_child_key(
        &mut self,
        code: &str,
        fingerprint: Fingerprint,
        source: PinSource,
    ) -> Result<Option<Fingerprint>> {
        self.ensure_draft()?;
        let Some(child) = self.report.children.iter_mut().find(|c| c.code == code) else {
            return Err(WorkspaceError::NotAChild {
                code: code.to_string(),
            }
            .into());
        };
        let before = child.key.as_ref().map(|k| k.fingerprint);
        if before != Some(fingerprint) {
            child.key = Some(PinnedKey {
                fingerprint,
                public_key: None,
                pinned_at: Local::now(),
                source,
            });
            self.report.updated_at = Local::now();
        }
        Ok(before)
    }

    /// Pins the key that signed `p` (taken in) when none was pinned for
    /// its unit, and learns the whole key of one pinned by fingerprint.
    pub(super) fn pin_signer(&mut self, p: &Package) {
        if let Some(at) = self
            .report
            .children
            .iter()
            .position(|c| c.code == p.unit.code)
        {
            self.pin_signer_at(at, p.signer());
        }
    }

    /// [`Workspace::pin_signer`] in a batch import, once the package of
    /// `code` signed by `signer` is recorded: found on the list through
    /// `pins`, which learns the key pinned now.
    pub(super) fn pin_recorded(
        &mut self,
        pins: &mut Pins,
        code: &str,
        signer: Option<crate::keys::PublicKey>,
    ) {
        // A unit not on the list was just added at its end.
        let last = self.report.children.len().saturating_sub(1);
        let mut at = match pins.at.get(code) {
            Some(&at) => at,
            None => {
                pins.at.insert(code.to_string(), last);
                last
            }
        };
        if self.report.children.get(at).map(|c| c.code.as_str()) != Some(code) {
            // Not where it was (a list changed by hand): looked for.
            at = self
                .report
                .children
                .iter()
                .position(|c| c.code == code)
                .unwrap_or(usize::MAX);
        }
        if let Some(k) = self.pin_signer_at(at, signer) {
            pins.pinned.insert(code.to_string(), k.clone());
        }
    }

    /// [`Workspace::pin_signer`] for the child at `at` on the list, whose
    /// package `signer` signed; returns the key pinned for it now.
    fn pin_signer_at(
        &mut self,
        at: usize,
        signer: Option<crate::keys::PublicKey>,
    ) -> Option<&PinnedKey> {
        let child = self.report.children.get_mut(at)?;
        let Some(signer) = signer else {
            return child.key.as_ref();
        };
        match &mut child.key {
            None => {
                child.key = Some(PinnedKey {
                    fingerprint: signer.fingerprint(),
                    public_key: Some(signer.base64()),
                    pinned_at: Local::now(),
                    source: PinSource::Package,
                })
            }
            Some(k) if k.public_key.is_none() && k.holds(&signer) => {
                k.public_key = Some(signer.base64())
            }
            Some(_) => {}
        }
        child.key.as_ref()
    }
}

/// The keys pinned for the units on the list, and where each is on it,
/// as a batch import takes packages in: looked up without a scan of the
/// list per package.
pub(super) struct Pins {
    pinned: HashMap<String, PinnedKey>,
    at: HashMap<String, usize>,
}

impl Pins {
    pub(super) fn of(children: &[ExpectedChild]) -> Pins {
        Pins {
            pinned: children
                .iter()
                .filter_map(|c| Some((c.code.clone(), c.key.clone()?)))
                .collect(),
            at: children
                .iter()
                .enumerate()
                .map(|(i, c)| (c.code.clone(), i))
                .collect(),
        }
    }

    pub(super) fn get(&self, code: &str) -> Option<PinnedKey> {
        self.pinned.get(code).cloned()
    }
}

/// Why a package read well is refused for who signed it: no signature
/// (itself or one embedded in it: made by an older baocao), or a key
/// other than the one pinned for its unit. `None`: signed as it must be.
/// Signatures that are there were checked when it was read.
pub(super) fn signer_verdict(p: &Package, pinned: Option<&PinnedKey>) -> Option<Verdict> {
    if let Err(e) = package::require_signed(p) {
        return Some(Verdict::Bad(e));
    }
    let signer = p.signer()?;
    match pinned {
        Some(k) if !k.holds(&signer) => Some(Verdict::KeyChanged {
            pinned: k.fingerprint,
            found: signer.fingerprint(),
        }),
        _ => None,
    }
}

/// What to say when opening the report made the unit's key (a report made
/// by an older baocao) or put it back from the backups.
pub fn new_key_note(
    fingerprint: crate::keys::Fingerprint,
    origin: crate::store::key::KeyOrigin,
) -> String {
    use crate::store::key::KeyOrigin;
    match origin {
        KeyOrigin::Restored => t!(
            "Tệp khóa bí mật của đơn vị bị mất; đã lấy lại từ bản sao trong thư mục sao lưu (dấu vân tay {fingerprint}, như trước).",
            "The unit's secret key file was gone; it was put back from its copy in the backups folder (fingerprint {fingerprint}, as before)."
        ),
        _ => t!(
            "Báo cáo này chưa có khóa chữ ký của đơn vị (được tạo bằng phiên bản baocao cũ): đã tạo khóa mới, dấu vân tay {fingerprint}. Từ nay mọi gói xuất ra đều được ký bằng khóa này. Hãy gọi điện cho cấp trên và đọc dấu vân tay này (xem lại bằng: baocao keys).",
            "This report had no signing key of its unit (made by an older baocao): a new key was made, fingerprint {fingerprint}. Every package exported from now on is signed with it. Phone the parent unit and read this fingerprint to it (see it again with: baocao keys)."
        ),
    }
}
