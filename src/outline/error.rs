//! Why an outline could not be had: its file unreadable, the outline not
//! valid, or not the one a report was written on.

use super::{OutlineRef, Problem};
use crate::error::IoError;
use crate::i18n::{Lang, Localized};
use crate::tl;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum OutlineError {
    /// The outline file could not be read.
    Read(#[from] IoError),
    /// Every problem found, in file order (never empty); `file` when it
    /// came from one.
    Invalid {
        file: Option<PathBuf>,
        problems: Vec<Problem>,
    },
    /// The outline given (`--outline`) is not the one the report answers
    /// (boxed: errors travel by value through every `?`).
    Differs {
        given: Box<OutlineRef>,
        report: Box<OutlineRef>,
    },
    /// The report's outline is not built in and the report carries no
    /// copy: `same_name` when only its content differs from the built-in.
    Unavailable { report: OutlineRef, same_name: bool },
}

impl OutlineError {
    /// The problems of an invalid outline; none for the other errors.
    pub fn problems(&self) -> &[Problem] {
        match self {
            OutlineError::Invalid { problems, .. } => problems,
            _ => &[],
        }
    }
}

impl Localized for OutlineError {
    fn localized(&self, lang: Lang) -> String {
        match self {
            OutlineError::Read(e) => e.localized(lang),
            OutlineError::Invalid { file, problems } => {
                let first = problems
                    .first()
                    .map(|p| p.localized(lang))
                    .unwrap_or_default();
                let more = problems.len().saturating_sub(1);
                let tail = if more > 0 {
                    tl!(
                        lang,
                        " (và {more} lỗi khác; chạy `baocao outline check`)",
                        " (and {more} more; run `baocao outline check`)"
                    )
                } else {
                    String::new()
                };
                match file {
                    Some(f) => {
                        let f = f.display();
                        tl!(
                            lang,
                            "Đề cương {f} không hợp lệ: {first}{tail}",
                            "The outline {f} is not valid: {first}{tail}"
                        )
                    }
                    None => format!("{first}{tail}"),
                }
            }
            OutlineError::Differs { given, report } => tl!(
                lang,
                "Đề cương đưa vào ({} phiên bản {}) khác với đề cương của báo cáo ({} phiên bản {}).",
                "The outline given ({} version {}) differs from the report's ({} version {}).",
                given.id,
                given.version,
                report.id,
                report.version
            ),
            OutlineError::Unavailable {
                report,
                same_name: true,
            } => tl!(
                lang,
                "Báo cáo dùng đề cương {} phiên bản {} nhưng nội dung khác với đề cương có sẵn trong chương trình này (mã {}…); chỉ ra đúng tệp đề cương bằng --outline TỆP.",
                "The report uses outline {} version {} with content other than the one built into this program (hash {}…); give the right outline file with --outline FILE.",
                report.id,
                report.version,
                report.hash.get(..12).unwrap_or(&report.hash)
            ),
            OutlineError::Unavailable {
                report,
                same_name: false,
            } => tl!(
                lang,
                "Báo cáo dùng đề cương {} phiên bản {} không có sẵn; chỉ ra tệp đề cương bằng --outline TỆP.",
                "The report uses outline {} version {}, which is not built in; give the outline file with --outline FILE.",
                report.id,
                report.version
            ),
        }
    }
}

crate::coded!(OutlineError => "outline");
crate::localized_display!(OutlineError);
