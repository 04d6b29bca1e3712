//! Decoding a project into the full typed model and encoding it back, next to a plain copy of
//! the same bytes (the target: the round trip within 5x of the copy).

use criterion::{Criterion, criterion_group, criterion_main};
use groovekit_opz::model::{ProjectModel, default_project};

/// The densest fixture project when the corpus is present, else the default project.
fn sample() -> (String, Vec<u8>) {
    if let Some(dir) = groovekit_core::fixtures::fixtures_dir(env!("CARGO_MANIFEST_DIR")) {
        let p = dir.join("opz/error-garden/project05.opz");
        if let Ok(bytes) = std::fs::read(&p) {
            return ("error-garden/project05.opz".into(), bytes);
        }
    }
    ("default project".into(), default_project().into_bytes())
}

fn bench(c: &mut Criterion) {
    let (name, bytes) = sample();
    let mut g = c.benchmark_group(format!("opz project round trip ({name})"));
    g.bench_function("copy", |b| b.iter(|| std::hint::black_box(std::hint::black_box(&bytes).to_vec())));
    g.bench_function("decode+encode", |b| {
        b.iter(|| {
            let model = ProjectModel::from_bytes(std::hint::black_box(&bytes)).unwrap();
            std::hint::black_box(model.to_bytes().unwrap())
        })
    });
    // The same two with the output buffer reused across iterations: a fresh 342 KB allocation
    // is above glibc's mmap threshold, and its page faults dominate both numbers above.
    let mut out = Vec::new();
    g.bench_function("copy (reused buffer)", |b| {
        b.iter(|| {
            out.clear();
            out.extend_from_slice(std::hint::black_box(&bytes));
            std::hint::black_box(out.len())
        })
    });
    g.bench_function("decode+encode (reused buffer)", |b| {
        b.iter(|| {
            let model = ProjectModel::from_bytes(std::hint::black_box(&bytes)).unwrap();
            model.write_into(&mut out).unwrap();
            std::hint::black_box(out.len())
        })
    });
    let model = ProjectModel::from_bytes(&bytes).unwrap();
    g.bench_function("decode", |b| {
        b.iter(|| std::hint::black_box(ProjectModel::from_bytes(std::hint::black_box(&bytes)).unwrap()))
    });
    g.bench_function("encode", |b| b.iter(|| std::hint::black_box(std::hint::black_box(&model).to_bytes().unwrap())));
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
