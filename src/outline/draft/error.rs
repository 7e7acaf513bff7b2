//! Why no draft outline could be made from a document.

use crate::i18n::{Lang, Localized};
use crate::tl;

#[derive(Debug, thiserror::Error, strum::IntoStaticStr)]
#[strum(serialize_all = "snake_case")]
pub enum DraftError {
    /// The file is bigger than a plan ever is.
    TooLarge { bytes: u64, max: u64 },
    /// Named .docx but not a zip archive (or a damaged one).
    NotDocx { detail: String },
    /// A zip archive with more entries than a Word file has.
    TooManyEntries { entries: usize, max: usize },
    /// A part of the .docx unpacks to more than the limit (a zip bomb).
    Unpacked { part: String, max: u64 },
    /// A .docx without its document part.
    NoDocumentPart,
    /// The document part is not well-formed XML.
    BadXml { part: String, detail: String },
    /// Plain text that is not UTF-8 (nor UTF-16 with its mark).
    NotUtf8 { offset: usize },
    /// A character no document may hold (U+FFFE, U+FFFF).
    BadCharacter { line: usize, code: u32 },
    /// No heading was recognised.
    NoOutline { paragraphs: usize, markers: usize },
    /// The draft did not pass `outline check` (a bug of the drafter: the
    /// problems are listed).
    Invalid { problems: Vec<String> },
}

impl Localized for DraftError {
    fn localized(&self, lang: Lang) -> String {
        match self {
            DraftError::TooLarge { bytes, max } => tl!(
                lang,
                "Tệp quá lớn ({bytes} byte, tối đa {max}): một kế hoạch, đề cương không lớn như vậy. Hãy chỉ ra đúng tệp.",
                "The file is too large ({bytes} bytes, at most {max}): no plan is that large. Give the right file."
            ),
            DraftError::NotDocx { detail } => tl!(
                lang,
                "Không đọc được tệp Word (.docx): tệp hỏng hoặc không phải .docx ({detail}). Hãy mở bằng Word và lưu lại dạng .docx, hoặc lưu thành văn bản thuần (.txt).",
                "The Word file (.docx) cannot be read: damaged or not a .docx ({detail}). Open it in Word and save it again as .docx, or save it as plain text (.txt)."
            ),
            DraftError::TooManyEntries { entries, max } => tl!(
                lang,
                "Tệp .docx có {entries} phần bên trong (tối đa {max}): không phải văn bản Word thông thường, không đọc.",
                "The .docx holds {entries} parts (at most {max}): not an ordinary Word document, not read."
            ),
            DraftError::Unpacked { part, max } => tl!(
                lang,
                "Phần {part} của tệp .docx giải nén ra quá {max} byte: không đọc (có thể là tệp độc hại).",
                "The part {part} of the .docx unpacks to more than {max} bytes: not read (it may be a hostile file)."
            ),
            DraftError::NoDocumentPart => tl!(
                lang,
                "Tệp .docx không có nội dung văn bản (word/document.xml). Hãy lưu lại bằng Word.",
                "The .docx has no document text (word/document.xml). Save it again with Word."
            ),
            DraftError::BadXml { part, detail } => tl!(
                lang,
                "Nội dung {part} của tệp .docx bị hỏng ({detail}). Hãy mở bằng Word và lưu lại.",
                "The part {part} of the .docx is damaged ({detail}). Open it in Word and save it again."
            ),
            DraftError::NotUtf8 { offset } => tl!(
                lang,
                "Tệp văn bản không ở mã UTF-8 (byte {offset}). Hãy lưu lại với bảng mã UTF-8, hoặc chuyển mã cũ bằng `baocao convert`.",
                "The text file is not UTF-8 (byte {offset}). Save it again as UTF-8, or convert legacy text with `baocao convert`."
            ),
            DraftError::BadCharacter { line, code } => tl!(
                lang,
                "Dòng {line} có ký tự U+{code:04X}, không văn bản nào được chứa. Hãy xóa ký tự đó rồi thử lại.",
                "Line {line} holds the character U+{code:04X}, which no document may hold. Delete it and try again."
            ),
            DraftError::NoOutline {
                paragraphs,
                markers,
            } => tl!(
                lang,
                "Không nhận ra đề cương: tìm thấy {paragraphs} đoạn văn và {markers} dòng gạch đầu dòng nhưng không có đề mục nào đánh số như “A-”, “I.”, “1-”, “a)”. Hãy đánh số các mục của đề cương rồi thử lại.",
                "No outline recognised: found {paragraphs} paragraphs and {markers} bullet lines but no numbered heading such as “A-”, “I.”, “1-”, “a)”. Number the outline's sections and try again."
            ),
            DraftError::Invalid { problems } => tl!(
                lang,
                "Bản nháp đề cương chưa hợp lệ nên không ghi ra ({} lỗi): {}",
                "The draft outline is not valid, so nothing was written ({} problems): {}",
                problems.len(),
                problems.first().cloned().unwrap_or_default()
            ),
        }
    }
}

crate::coded!(DraftError => "draft");
crate::localized_display!(DraftError);
