//! The unit's key: an Ed25519 key pair that signs what a unit sends, and
//! the fingerprint two people read to each other on the phone to be sure
//! a package comes from the unit it names. Pure: the key file lives in
//! `store`, the package's signature in `package`.
//!
//! What is signed is never a file's bytes as they lie on the disk but a
//! [`message`]: a tag naming the kind of file (a package, later a receipt,
//! a return, an outline) and the SHA-256 of the file's canonical content
//! (see `canonical`), the very digest its checksum states. A file carries
//! its signature as a [`Signature`] block beside its content: who signed
//! (the public key) and the signature; the checksum does not cover the
//! block, so the two are worked out from one pass over the content.

use crate::i18n::{Lang, Localized};
use crate::tl;
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The one algorithm signatures are made with.
pub const ALGORITHM: &str = "ed25519";

/// The characters of a fingerprint: no 0/O, no 1/l/I, so that what is
/// read on the phone is what is typed. 31 of them, upper case.
pub const ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
/// A fingerprint is this many groups of [`GROUP`] characters.
pub const GROUPS: usize = 5;
pub const GROUP: usize = 4;

/// A unit's secret key (with its public half). Never written anywhere
/// but the key file; never shown.
pub struct UnitKey(SigningKey);

impl std::fmt::Debug for UnitKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "UnitKey({})", self.public().fingerprint())
    }
}

impl UnitKey {
    /// A new key from the operating system's random source.
    pub fn generate() -> Result<UnitKey, KeyError> {
        let mut seed = [0u8; ed25519_dalek::SECRET_KEY_LENGTH];
        getrandom::fill(&mut seed).map_err(|e| KeyError::Random {
            detail: e.to_string(),
        })?;
        let key = UnitKey(SigningKey::from_bytes(&seed));
        seed.fill(0);
        Ok(key)
    }

    /// The key whose secret is `text` (base64 of 32 bytes), as the key
    /// file holds it.
    pub fn from_base64(text: &str) -> Result<UnitKey, KeyError> {
        let bytes = BASE64
            .decode(text.trim())
            .map_err(|_| KeyError::Unreadable)?;
        let seed: [u8; 32] = bytes.try_into().map_err(|_| KeyError::Unreadable)?;
        Ok(UnitKey(SigningKey::from_bytes(&seed)))
    }

    /// The secret, base64: only for the key file.
    pub fn secret_base64(&self) -> String {
        BASE64.encode(self.0.as_bytes())
    }

    pub fn public(&self) -> PublicKey {
        PublicKey(self.0.verifying_key().to_bytes())
    }

    /// Signs any bytes.
    pub fn sign(&self, bytes: &[u8]) -> [u8; 64] {
        self.0.sign(bytes).to_bytes()
    }

    /// The signature block for a file of `kind` whose canonical content
    /// hashes to `digest`.
    pub fn seal(&self, kind: &str, digest: &[u8; 32]) -> Signature {
        Signature {
            algorithm: ALGORITHM.into(),
            public_key: self.public().base64(),
            value: BASE64.encode(self.sign(&message(kind, digest))),
        }
    }
}

/// Checks that `sig` is `key`'s signature of `bytes` (RFC 8032, with a
/// canonical `s`). A weak key (of small order, for which one signature
/// fits many messages) is refused. Not dalek's `verify_strict`: its other
/// check (that R is of no small order) costs another square root, a
/// sixth of checking a package, and guards against nothing here (a
/// second signature of the same content is the same content).
pub fn verify(bytes: &[u8], sig: &[u8; 64], key: &PublicKey) -> Result<(), SignatureProblem> {
    use ed25519_dalek::Verifier;
    let key = VerifyingKey::from_bytes(&key.0).map_err(|_| SignatureProblem::BadKey)?;
    if key.is_weak() {
        return Err(SignatureProblem::BadKey);
    }
    let sig = ed25519_dalek::Signature::from_bytes(sig);
    key.verify(bytes, &sig)
        .map_err(|_| SignatureProblem::Mismatch)
}

/// What a unit signs for a file of `kind` (`package`, …) whose canonical
/// content hashes to `digest`: the kind is part of it, so that a
/// signature on one kind of file is never good for another.
pub fn message(kind: &str, digest: &[u8; 32]) -> Vec<u8> {
    let mut m = Vec::with_capacity(32 + kind.len() + 32);
    m.extend_from_slice(b"baocao-signed-v1\0");
    m.extend_from_slice(kind.as_bytes());
    m.push(0);
    m.extend_from_slice(digest);
    m
}

/// The signature block of a signed file: who signed, and the signature
/// of [`message`]. The same shape for every kind of file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    /// Always [`ALGORITHM`].
    pub algorithm: String,
    /// The signer's public key, base64 of its 32 bytes.
    pub public_key: String,
    /// The signature, base64 of its 64 bytes.
    pub value: String,
}

impl Signature {
    /// The key the block names as its signer (decoded only: [`check`]
    /// tells whether it signed).
    ///
    /// [`check`]: Signature::check
    pub fn signer(&self) -> Result<PublicKey, SignatureProblem> {
        if self.algorithm != ALGORITHM {
            return Err(SignatureProblem::Algorithm);
        }
        PublicKey::from_base64_unchecked(&self.public_key).map_err(|_| SignatureProblem::BadKey)
    }

    /// Checks the block for a file of `kind` whose canonical content
    /// hashes to `digest`; returns who signed it.
    pub fn check(&self, kind: &str, digest: &[u8; 32]) -> Result<PublicKey, SignatureProblem> {
        let key = self.signer()?;
        let sig: [u8; 64] = BASE64
            .decode(&self.value)
            .ok()
            .and_then(|b| b.try_into().ok())
            .ok_or(SignatureProblem::Unreadable)?;
        verify(&message(kind, digest), &sig, &key)?;
        Ok(key)
    }
}

/// Why a signature is not good.
#[derive(Debug, Clone, Copy, PartialEq, Eq, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum SignatureProblem {
    /// Another algorithm than [`ALGORITHM`].
    Algorithm,
    /// The public key is no Ed25519 key.
    BadKey,
    /// The signature is not 64 bytes of base64.
    Unreadable,
    /// It is not the key's signature of this content: changed after
    /// signing, or signed by another key than the one it names.
    Mismatch,
}

/// A unit's public key.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct PublicKey(pub [u8; 32]);

impl std::fmt::Debug for PublicKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "PublicKey({})", self.fingerprint())
    }
}

impl PublicKey {
    /// A key as base64 text, checked to be a point of the curve.
    pub fn from_base64(text: &str) -> Result<PublicKey, KeyError> {
        let key = PublicKey::from_base64_unchecked(text)?;
        VerifyingKey::from_bytes(&key.0).map_err(|_| KeyError::Unreadable)?;
        Ok(key)
    }

    /// 32 bytes of base64, not checked to be a point of the curve (that
    /// takes a square root): for a key whose signature was verified, which
    /// checked it. [`verify`] refuses a key that is no point.
    pub fn from_base64_unchecked(text: &str) -> Result<PublicKey, KeyError> {
        let bytes = BASE64
            .decode(text.trim())
            .map_err(|_| KeyError::Unreadable)?;
        let bytes: [u8; 32] = bytes.try_into().map_err(|_| KeyError::Unreadable)?;
        Ok(PublicKey(bytes))
    }

    pub fn base64(&self) -> String {
        BASE64.encode(self.0)
    }

    pub fn hex(&self) -> String {
        crate::canonical::hex(&self.0)
    }

    /// What two people read to each other: [`GROUPS`] groups of [`GROUP`]
    /// characters of [`ALPHABET`], from the SHA-256 of the key (its
    /// first 13 bytes as a number, written in base 31: 99 bits).
    pub fn fingerprint(&self) -> Fingerprint {
        let hash = Sha256::digest(self.0);
        let mut n = hash[..13]
            .iter()
            .fold(0u128, |n, &b| (n << 8) | u128::from(b));
        let mut chars = [0u8; GROUPS * GROUP];
        for c in &mut chars {
            *c = ALPHABET[(n % 31) as usize];
            n /= 31;
        }
        Fingerprint(chars)
    }
}

/// A key's fingerprint, shown as `ABCD-EFGH-JKMN-PQRS-TUVW`.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Fingerprint([u8; GROUPS * GROUP]);

impl Fingerprint {
    /// A fingerprint as typed: any case, groups split by spaces or `-`
    /// (or not at all). Refused when it is not [`GROUPS`] × [`GROUP`]
    /// characters of [`ALPHABET`].
    pub fn parse(text: &str) -> Result<Fingerprint, FingerprintProblem> {
        let mut out = Vec::with_capacity(GROUPS * GROUP);
        for c in text.chars() {
            if c == '-' || c.is_whitespace() {
                continue;
            }
            let up = c.to_ascii_uppercase();
            if !up.is_ascii() || !ALPHABET.contains(&(up as u8)) {
                return Err(FingerprintProblem::Character { found: c });
            }
            out.push(up as u8);
        }
        let chars: [u8; GROUPS * GROUP] = out
            .try_into()
            .map_err(|v: Vec<u8>| FingerprintProblem::Length { found: v.len() })?;
        Ok(Fingerprint(chars))
    }
}

impl std::fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, group) in self.0.chunks(GROUP).enumerate() {
            if i > 0 {
                f.write_str("-")?;
            }
            // The alphabet is ASCII.
            f.write_str(std::str::from_utf8(group).expect("ASCII"))?;
        }
        Ok(())
    }
}

impl std::fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self}")
    }
}

impl Serialize for Fingerprint {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Fingerprint {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let text = String::deserialize(d)?;
        Fingerprint::parse(&text).map_err(|e| serde::de::Error::custom(e.localized(Lang::En)))
    }
}

/// Why a fingerprint as typed cannot be one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum FingerprintProblem {
    Character { found: char },
    Length { found: usize },
}

impl Localized for FingerprintProblem {
    fn localized(&self, lang: Lang) -> String {
        let n = GROUPS * GROUP;
        match self {
            FingerprintProblem::Character { found } => tl!(
                lang,
                "dấu vân tay khóa không có ký tự \"{}\" (chỉ có chữ số 2–9 và chữ cái A–Z trừ I, L, O); hãy đọc lại với đơn vị",
                "a key fingerprint has no \"{}\" (only the digits 2–9 and the letters A–Z but I, L, O); read it again with the unit",
                crate::text::printable(&found.to_string(), false)
            ),
            FingerprintProblem::Length { found } => tl!(
                lang,
                "dấu vân tay khóa có {n} ký tự ({GROUPS} nhóm {GROUP} ký tự), không phải {found}; hãy đọc lại với đơn vị",
                "a key fingerprint has {n} characters ({GROUPS} groups of {GROUP}), not {found}; read it again with the unit"
            ),
        }
    }
}

crate::coded!(FingerprintProblem => "keys");
crate::localized_display!(FingerprintProblem);

/// Why a key cannot be made or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum KeyError {
    /// The operating system gave no random bytes.
    Random { detail: String },
    /// Not a key in base64.
    Unreadable,
}

impl Localized for KeyError {
    fn localized(&self, lang: Lang) -> String {
        match self {
            KeyError::Random { detail } => tl!(
                lang,
                "không tạo được khóa của đơn vị: hệ điều hành không cho số ngẫu nhiên ({})",
                "cannot make the unit's key: the operating system gave no random numbers ({})",
                crate::text::printable(detail, false)
            ),
            KeyError::Unreadable => tl!(
                lang,
                "khóa không đọc được (không phải khóa Ed25519 dạng base64)",
                "the key cannot be read (not an Ed25519 key in base64)"
            ),
        }
    }
}

crate::coded!(KeyError => "keys");
crate::localized_display!(KeyError);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signature_verifies_only_for_its_bytes_and_key() {
        let key = UnitKey::generate().unwrap();
        let other = UnitKey::generate().unwrap();
        let sig = key.sign(b"lan gui 2");
        assert_eq!(verify(b"lan gui 2", &sig, &key.public()), Ok(()));
        assert_eq!(
            verify(b"lan gui 3", &sig, &key.public()),
            Err(SignatureProblem::Mismatch)
        );
        assert_eq!(
            verify(b"lan gui 2", &sig, &other.public()),
            Err(SignatureProblem::Mismatch)
        );
        // The secret round-trips through the key file's text.
        let again = UnitKey::from_base64(&key.secret_base64()).unwrap();
        assert_eq!(again.public(), key.public());
        assert_eq!(again.sign(b"x"), key.sign(b"x"));
    }

    #[test]
    fn a_weak_key_is_refused() {
        // The identity point (y = 1): of small order, any signature with
        // R = identity and s = 0 would "verify" for every message.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        let mut sig = [0u8; 64];
        sig[0] = 1;
        assert_eq!(
            verify(b"anything", &sig, &PublicKey(identity)),
            Err(SignatureProblem::BadKey)
        );
    }

    #[test]
    fn a_block_is_good_for_its_kind_and_digest_only() {
        let key = UnitKey::generate().unwrap();
        let digest = [7u8; 32];
        let block = key.seal("package", &digest);
        assert_eq!(block.check("package", &digest), Ok(key.public()));
        assert_eq!(
            block.check("receipt", &digest),
            Err(SignatureProblem::Mismatch)
        );
        assert_eq!(
            block.check("package", &[8u8; 32]),
            Err(SignatureProblem::Mismatch)
        );
        let mut other = block.clone();
        other.public_key = UnitKey::generate().unwrap().public().base64();
        assert_eq!(
            other.check("package", &digest),
            Err(SignatureProblem::Mismatch)
        );
        let mut cut = block.clone();
        cut.value.truncate(20);
        assert_eq!(
            cut.check("package", &digest),
            Err(SignatureProblem::Unreadable)
        );
        let mut alg = block;
        alg.algorithm = "rsa".into();
        assert_eq!(
            alg.check("package", &digest),
            Err(SignatureProblem::Algorithm)
        );
    }

    #[test]
    fn a_fingerprint_is_five_groups_of_four_unambiguous_characters() {
        for _ in 0..200 {
            let f = UnitKey::generate().unwrap().public().fingerprint();
            let text = f.to_string();
            let groups: Vec<&str> = text.split('-').collect();
            assert_eq!(groups.len(), GROUPS, "{text}");
            for g in groups {
                assert_eq!(g.len(), GROUP, "{text}");
                assert!(g.bytes().all(|c| ALPHABET.contains(&c)), "{text}");
            }
            for c in ['0', 'O', '1', 'l', 'I'] {
                assert!(!text.contains(c), "{text}");
            }
            // Read back however it is typed.
            assert_eq!(Fingerprint::parse(&text), Ok(f));
            assert_eq!(
                Fingerprint::parse(&text.to_lowercase().replace('-', " ")),
                Ok(f)
            );
            assert_eq!(Fingerprint::parse(&text.replace('-', "")), Ok(f));
        }
        assert_eq!(
            Fingerprint::parse("ABCD-EFGH-JKMN-PQRS-TUV0"),
            Err(FingerprintProblem::Character { found: '0' })
        );
        assert_eq!(
            Fingerprint::parse("ABCD-EFGH"),
            Err(FingerprintProblem::Length { found: 8 })
        );
    }

    #[test]
    fn the_fingerprint_is_fixed_by_the_key() {
        // A known key gives a known fingerprint, on every machine.
        let key = PublicKey([0x11; 32]);
        assert_eq!(key.fingerprint(), key.fingerprint());
        let f = key.fingerprint().to_string();
        assert_ne!(f, PublicKey([0x12; 32]).fingerprint().to_string());
        assert_eq!(f.len(), GROUPS * GROUP + GROUPS - 1);
    }
}
