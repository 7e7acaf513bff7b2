//! Past the checksum: the input is JSON which, if it parses, is sealed
//! from the innermost embedded package outward (as someone who edits a
//! package and recomputes every checksum would), then verified, so the
//! checks after the checksum (own parent, embedded children, depth,
//! duplicates) and the merge of an accepted package's answers are reached.
#![no_main]

use baocao::package;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fn seal_all(v: &mut Value, depth: usize) {
    if depth > package::MAX_DEPTH + 2 {
        return;
    }
    if let Some(Value::Array(children)) = v.get_mut("children") {
        for c in children.iter_mut() {
            seal_all(c, depth + 1);
        }
    }
    if v.is_object() {
        *v = package::seal(std::mem::take(v));
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(mut value) = serde_json::from_slice::<Value>(data) else {
        return;
    };
    seal_all(&mut value, 0);
    match package::verify(&value, 0) {
        Ok(p) => {
            assert_eq!(p.checksum, package::checksum_of(&value));
            let outline = baocao::outline::Outline::embedded();
            let source = baocao::merge::Source {
                code: &p.unit.code,
                name: &p.unit.name,
                answers: &p.answers,
            };
            let merged = baocao::merge::aggregate(outline, &[source]);
            let _ = baocao::report::invalid_of(outline, &p.answers);
            let _ = baocao::report::progress_of(outline, &merged).percent();
        }
        Err(reason) => assert!(!reason.to_string().is_empty()),
    }
});
