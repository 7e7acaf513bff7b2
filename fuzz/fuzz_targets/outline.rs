//! Outline text (`--outline FILE`, `baocao outline check`): every problem
//! listed by check_json, and from_json agreeing with it.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let problems = baocao::outline::check_json(text);
    match baocao::outline::Outline::from_json(text) {
        Ok(outline) => {
            assert!(
                problems.is_empty(),
                "from_json took what check_json refused"
            );
            let _ = outline.content_hash();
            let _ = outline.entries();
            let _ = outline.unit_type_ids();
        }
        Err(e) => {
            assert_eq!(
                e.problems(),
                problems.as_slice(),
                "from_json refused for other reasons than check_json"
            );
            assert!(!problems.is_empty());
            assert!(!e.to_string().is_empty());
        }
    }
});
