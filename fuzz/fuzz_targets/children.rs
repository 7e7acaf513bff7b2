//! Children list bytes (the CSV of the units expected to report, as Excel
//! saves it: `,` or `;`, a BOM or not, UTF-8 or Windows-1258): decoded as
//! detected and with each encoding chosen, then read into rows. A row has
//! its line in the file and its cells in NFC; a refusal says why, in both
//! languages.
#![no_main]

use baocao::i18n::{Lang, Localized};
use baocao::workspace::{self, ListEncoding};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for encoding in [
        None,
        Some(ListEncoding::Utf8),
        Some(ListEncoding::Windows1258),
    ] {
        let lines = match workspace::decode_list(data, encoding) {
            Ok(text) => 1 + text.bytes().filter(|&b| b == b'\n').count(),
            Err(_) => 1 + data.iter().filter(|&&b| b == b'\n').count(),
        };
        match workspace::read_list(data, encoding) {
            Ok(rows) => {
                for r in &rows {
                    assert!((1..=lines).contains(&r.line), "line {} of {lines}", r.line);
                    for cell in [
                        Some(&r.code),
                        Some(&r.name),
                        r.unit_type.as_ref(),
                        r.deadline.as_ref(),
                    ]
                    .into_iter()
                    .flatten()
                    {
                        assert_eq!(&baocao::text::nfc(cell), cell);
                    }
                    let _ = baocao::unit::code(&r.code);
                    let _ = baocao::unit::name(&r.name);
                }
            }
            Err((line, problem)) => {
                assert!((1..=lines).contains(&line), "line {line} of {lines}");
                assert!(!problem.localized(Lang::Vi).is_empty());
                assert!(!problem.localized(Lang::En).is_empty());
            }
        }
    }
});
