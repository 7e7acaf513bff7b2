//! Package bytes as they arrive on a USB stick: parsed and verified
//! (checksum, embedded packages, depth). Must never panic; a refusal is
//! a sentence.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match baocao::package::parse(data) {
        Ok((value, package)) => {
            // What the parent does next with an accepted package.
            let _ = baocao::package::checksum_of(&value);
            let _ = baocao::package::file_name(&package.unit, package.revision, package.status);
        }
        Err(reason) => assert!(!reason.to_string().is_empty()),
    }
});
