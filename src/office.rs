//! LibreOffice, where it is installed: the printed report as a PDF too.
//! Process I/O at the edge; nothing here is needed for the DOCX.

use crate::i18n::{Lang, Localized};
use crate::text::printable;
use crate::tl;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Longer than this, a conversion is taken as hung and stopped.
const PDF_TIMEOUT: Duration = Duration::from_secs(180);

#[derive(Debug, thiserror::Error, strum::IntoStaticStr)]
pub enum OfficeError {
    /// The program could not be started.
    Start {
        program: PathBuf,
        reason: String,
    },
    /// It ran and wrote no PDF.
    Failed {
        status: String,
        detail: String,
    },
    TimedOut {
        secs: u64,
    },
}

crate::coded!(OfficeError => "office");

impl Localized for OfficeError {
    fn localized(&self, lang: Lang) -> String {
        match self {
            OfficeError::Start { program, reason } => tl!(
                lang,
                "Không chạy được LibreOffice ({}): {}. Tệp DOCX vẫn đã ghi; có thể mở bằng Word hay LibreOffice để in.",
                "Could not start LibreOffice ({}): {}. The DOCX is written; open it in Word or LibreOffice to print.",
                printable(&program.display().to_string(), false),
                printable(reason, false)
            ),
            OfficeError::Failed { status, detail } => tl!(
                lang,
                "LibreOffice không tạo được PDF ({}{}). Tệp DOCX vẫn đã ghi; có thể mở bằng Word hay LibreOffice để in.",
                "LibreOffice made no PDF ({}{}). The DOCX is written; open it in Word or LibreOffice to print.",
                printable(status, false),
                if detail.is_empty() {
                    String::new()
                } else {
                    format!(": {}", printable(detail, false))
                }
            ),
            OfficeError::TimedOut { secs } => tl!(
                lang,
                "LibreOffice chạy quá {secs} giây mà chưa xong nên đã dừng. Tệp DOCX vẫn đã ghi.",
                "LibreOffice took over {secs} seconds and was stopped. The DOCX is written."
            ),
        }
    }
}

crate::localized_display!(OfficeError);

/// LibreOffice's program, if installed: on the PATH (soffice or
/// libreoffice), or where its Windows installer puts it.
pub fn find() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os("BAOCAO_OFFICE") {
        return Some(PathBuf::from(p)).filter(|p| !p.as_os_str().is_empty() && p.is_file());
    }
    let names: &[&str] = if cfg!(windows) {
        &["soffice.exe", "soffice.com"]
    } else {
        &["soffice", "libreoffice"]
    };
    let on_path = std::env::var_os("PATH").into_iter().flat_map(|p| {
        std::env::split_paths(&p)
            .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
            .collect::<Vec<_>>()
    });
    let installed = ["ProgramFiles", "ProgramFiles(x86)"]
        .iter()
        .filter_map(std::env::var_os)
        .map(|d| {
            PathBuf::from(d)
                .join("LibreOffice")
                .join("program")
                .join("soffice.exe")
        });
    on_path
        .chain(installed.filter(|_| cfg!(windows)))
        .find(|p| p.is_file())
}

/// Converts `docx` into a PDF beside it with `office`, and says where.
/// Runs with a profile of its own, so that a LibreOffice the user has
/// open neither blocks it nor is disturbed.
pub fn to_pdf(office: &Path, docx: &Path) -> Result<PathBuf, OfficeError> {
    let dir = docx.parent().unwrap_or(Path::new("."));
    let profile = tempfile::tempdir().map_err(|e| OfficeError::Start {
        program: office.to_path_buf(),
        reason: e.to_string(),
    })?;
    let profile_url = url_of(profile.path());
    let mut child = Command::new(office)
        .arg(format!("-env:UserInstallation={profile_url}"))
        .args([
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
        ])
        .arg(dir)
        .arg(docx)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| OfficeError::Start {
            program: office.to_path_buf(),
            reason: e.to_string(),
        })?;
    let started = Instant::now();
    let status = loop {
        match child.try_wait() {
            Ok(Some(s)) => break s,
            Ok(None) if started.elapsed() > PDF_TIMEOUT => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(OfficeError::TimedOut {
                    secs: PDF_TIMEOUT.as_secs(),
                });
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(100)),
            Err(e) => {
                return Err(OfficeError::Failed {
                    status: e.to_string(),
                    detail: String::new(),
                });
            }
        }
    };
    let pdf = docx.with_extension("pdf");
    if status.success() && pdf.is_file() {
        return Ok(pdf);
    }
    let mut detail = String::new();
    if let Some(mut err) = child.stderr.take() {
        use std::io::Read;
        let _ = (&mut err).take(2000).read_to_string(&mut detail);
    }
    Err(OfficeError::Failed {
        status: status.to_string(),
        detail: detail.lines().next().unwrap_or("").to_string(),
    })
}

/// A folder as a file:// URL, as LibreOffice's -env option takes it.
fn url_of(dir: &Path) -> String {
    let s = dir.to_string_lossy().replace('\\', "/");
    let s = if s.starts_with('/') {
        s
    } else {
        format!("/{s}")
    };
    let mut out = String::from("file://");
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'/' | b'-' | b'_' | b'.' | b'~' | b':' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_profile_folder_becomes_a_file_url() {
        assert_eq!(url_of(Path::new("/tmp/a b")), "file:///tmp/a%20b");
        assert_eq!(url_of(Path::new("C:\\Temp\\x")), "file:///C:/Temp/x");
    }
}
