//! Report file bytes (a working copy, a backup, a report someone sent):
//! parsed and migrated; one that parses is validated and measured against
//! the built-in outline as the program does on opening it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match baocao::store::parse(data) {
        Ok(report) => {
            let outline = baocao::outline::Outline::embedded();
            let _ = report.invalid(outline);
            let _ = report.progress(outline).percent();
            let _ = report.is_parent(outline);
        }
        Err(reason) => assert!(!reason.to_string().is_empty()),
    }
});
