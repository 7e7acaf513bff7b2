//! Load + save of a complete report (goal ≤ 5 ms plus the fsync):
//! `store::load` and `store::save` (temp file, fsync, previous version
//! copied into the backups, rename, fsync of the folder), on the temp
//! folder and on tmpfs (/dev/shm, where fsync costs nothing, so the
//! figure there is the cost without the fsync), and the same work without
//! any file at all (serialise + parse).
//!
//! Run: `cargo bench --bench store` (BENCH_DIR=/some/disk adds a folder).

mod common;

use baocao::store;
use criterion::{Criterion, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::PathBuf;
use std::time::Duration;

fn folders() -> Vec<PathBuf> {
    let mut list = vec![std::env::temp_dir()];
    if std::path::Path::new("/dev/shm").is_dir() {
        list.push(PathBuf::from("/dev/shm"));
    }
    if let Ok(d) = std::env::var("BENCH_DIR") {
        list.push(PathBuf::from(d));
    }
    list
}

fn store_bench(c: &mut Criterion) {
    let outline = common::outline();
    let report = common::complete(
        &outline,
        common::commune("27112", "Xã Tân Phú", "HU01"),
        common::TEXT_CHARS,
        0,
    );
    let bytes = serde_json::to_vec_pretty(&report).expect("json");
    eprintln!(
        "complete report: {} bytes on disk, {} answers",
        bytes.len() + 1,
        report.answers.values().map(|m| m.len()).sum::<usize>()
    );

    c.bench_function("report, no file / serialise + parse", |b| {
        b.iter(|| {
            let mut bytes = serde_json::to_vec_pretty(black_box(&report)).expect("json");
            bytes.push(b'\n');
            black_box(store::parse(&bytes).expect("parse"))
        })
    });

    for folder in folders() {
        let dir = tempfile::tempdir_in(&folder).expect("tempdir");
        let path = dir.path().join("bao-cao.json");
        store::save(&path, &report).expect("save");
        let at = folder.display();
        c.bench_function(&format!("report in {at} / load"), |b| {
            b.iter(|| black_box(store::load(&path).expect("load")))
        });
        c.bench_function(&format!("report in {at} / save (fsync, backup)"), |b| {
            b.iter(|| store::save(&path, black_box(&report)).expect("save"))
        });
        c.bench_function(&format!("report in {at} / load + save"), |b| {
            b.iter(|| {
                let r = store::load(&path).expect("load");
                store::save(&path, &r).expect("save")
            })
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4));
    targets = store_bench
}
criterion_main!(benches);
