//! The unit's key file beside the report (`REPORT.key`, mode 0600):
//! written once, atomically (temp file, fsync, rename that never replaces
//! a key), and copied into the backups folder, so that a restore or a
//! deleted file never changes the key the parent pinned. Never part of a
//! package: only the public key travels.

use super::{backup_dir, parent_dir, real_path, sibling, sync_dir, temp_prefix};
use crate::error::{IoAction, Result, io_error};
use crate::i18n::{Lang, Localized};
use crate::keys::{Fingerprint, PublicKey, UnitKey};
use crate::tl;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

pub const FORMAT: &str = "baocao-key";
pub const FORMAT_VERSION: u32 = 1;
/// A key file is a few hundred bytes; anything far larger is not one.
const MAX_BYTES: u64 = 64 * 1024;

/// The key file of the report at `report_path`.
pub fn key_path(report_path: &Path) -> PathBuf {
    sibling(&real_path(report_path), ".key")
}

/// Its copy in the backups folder (not a `.json`: no backup list shows it).
pub fn key_backup_path(report_path: &Path) -> PathBuf {
    let real = real_path(report_path);
    let name = key_path(&real)
        .file_name()
        .map(|n| n.to_os_string())
        .unwrap_or_default();
    backup_dir(&real).join(name)
}

/// The key file's content. The public key and fingerprint are there for
/// people reading the file; the secret is what counts, and the public key
/// must be its own.
#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyFile {
    format: String,
    format_version: u32,
    /// The unit the key was made for.
    unit_code: String,
    public_key: String,
    fingerprint: Fingerprint,
    secret_key: String,
    created_at: String,
}

/// Where the key [`unit_key`] returns came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyOrigin {
    /// The key file was there.
    Existing,
    /// None was there: a new key was made now (a report made by an older
    /// baocao, or a new one).
    Created,
    /// The key file was gone; its copy in the backups was put back.
    Restored,
}

/// Why the key file cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum KeyFileError {
    /// Not a key file of ours, or its public key is not its secret's.
    Damaged {
        path: PathBuf,
    },
    /// No key file (for `keys`, which makes none).
    Missing {
        path: PathBuf,
    },
    Key(#[from] crate::keys::KeyError),
}

impl Localized for KeyFileError {
    fn localized(&self, lang: Lang) -> String {
        match self {
            KeyFileError::Damaged { path } => tl!(
                lang,
                "Tệp khóa bí mật của đơn vị {} bị hỏng hoặc không phải tệp khóa của baocao; không dùng, không ghi đè. Nếu có bản sao của tệp này (trong thư mục sao lưu cạnh báo cáo), hãy chép lại vào chỗ cũ. Nếu không, đổi tên tệp hỏng đi để baocao tạo khóa mới, rồi gọi điện báo cấp trên dấu vân tay mới (baocao keys) để cấp trên ghi nhận lại.",
                "The unit's secret key file {} is damaged or not a baocao key file; it is not used nor overwritten. If you have a copy of it (in the backups folder beside the report), copy it back. If not, rename the damaged file so that baocao makes a new key, then phone the new fingerprint (baocao keys) to the parent so that it pins it again.",
                path.display()
            ),
            KeyFileError::Missing { path } => tl!(
                lang,
                "Chưa có khóa chữ ký của đơn vị ({}). Khóa được tạo khi lưu hoặc xuất gói lần đầu (ví dụ: baocao export).",
                "The unit has no key yet ({}). One is made at the first save or export (for example: baocao export).",
                path.display()
            ),
            KeyFileError::Key(e) => e.localized(lang),
        }
    }
}

crate::coded!(KeyFileError => "key_file");
crate::localized_display!(KeyFileError);

/// Reads the key file at `path`: `None` when there is none.
fn read_file(path: &Path) -> Result<Option<UnitKey>> {
    let bytes = match crate::file::read(path, MAX_BYTES) {
        Ok(b) => b,
        Err(_) if !path.exists() => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    let damaged = || KeyFileError::Damaged {
        path: path.to_path_buf(),
    };
    let file: KeyFile = serde_json::from_slice(&bytes).map_err(|_| damaged())?;
    if file.format != FORMAT || file.format_version > FORMAT_VERSION {
        return Err(damaged().into());
    }
    let key = UnitKey::from_base64(&file.secret_key).map_err(|_| damaged())?;
    let public = PublicKey::from_base64(&file.public_key).map_err(|_| damaged())?;
    if key.public() != public {
        return Err(damaged().into());
    }
    Ok(Some(key))
}

/// The unit's key, if the report has one (nothing is made or changed).
pub fn read_key(report_path: &Path) -> Result<UnitKey> {
    let path = key_path(report_path);
    read_file(&path)?.ok_or_else(|| KeyFileError::Missing { path }.into())
}

/// The unit's key: the key file's, else its copy in the backups put
/// back, else a new one (written before it is returned). Call with the
/// report's lock held.
pub fn unit_key(report_path: &Path, unit_code: &str) -> Result<(UnitKey, KeyOrigin)> {
    let path = key_path(report_path);
    if let Some(key) = read_file(&path)? {
        // A key made before its copy was (or the copy deleted): copied now.
        let copy = key_backup_path(report_path);
        if !copy.exists() {
            let _ = write_new(&copy, &crate::file::read(&path, MAX_BYTES)?);
        }
        return Ok((key, KeyOrigin::Existing));
    }
    let copy = key_backup_path(report_path);
    if let Ok(Some(key)) = read_file(&copy) {
        write_new(&path, &crate::file::read(&copy, MAX_BYTES)?)?;
        return Ok((key, KeyOrigin::Restored));
    }
    let key = UnitKey::generate().map_err(KeyFileError::Key)?;
    let public = key.public();
    let file = KeyFile {
        format: FORMAT.into(),
        format_version: FORMAT_VERSION,
        unit_code: unit_code.to_string(),
        public_key: public.base64(),
        fingerprint: public.fingerprint(),
        secret_key: key.secret_base64(),
        created_at: chrono::Local::now().to_rfc3339(),
    };
    let mut bytes = serde_json::to_vec_pretty(&file).expect("a key file serialises");
    bytes.push(b'\n');
    write_new(&path, &bytes)?;
    // The copy is a convenience: the key stands without it.
    let _ = write_new(&copy, &bytes);
    Ok((key, KeyOrigin::Created))
}

/// Writes a secret file: temp file (0600 from the start), fsync, then a
/// rename that never replaces a file already there, fsync of the folder.
/// A kill at any moment leaves no file or the whole file under `path`
/// (and at most a temp file, removed at the next open).
fn write_new(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = parent_dir(path);
    std::fs::create_dir_all(&dir).map_err(|e| io_error(IoAction::CreateFolder, &dir, e))?;
    let write = |e: std::io::Error| io_error(IoAction::Write, path, e);
    let mut tmp = tempfile::Builder::new()
        .prefix(&temp_prefix(path))
        .tempfile_in(&dir)
        .map_err(write)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(0o600))
            .map_err(write)?;
    }
    tmp.write_all(bytes).map_err(write)?;
    tmp.as_file().sync_all().map_err(write)?;
    tmp.persist_noclobber(path).map_err(|e| write(e.error))?;
    sync_dir(&dir);
    Ok(())
}

/// The public key file `keys --export` writes: what a parent needs to pin
/// the unit's key without a package.
pub fn public_key_file(code: &str, name: &str, key: &PublicKey) -> serde_json::Value {
    serde_json::json!({
        "format": "baocao-public-key",
        "format_version": 1,
        "unit": {"code": code, "name": name},
        "algorithm": crate::keys::ALGORITHM,
        "public_key": key.base64(),
        "public_key_hex": key.hex(),
        "fingerprint": key.fingerprint(),
    })
}
