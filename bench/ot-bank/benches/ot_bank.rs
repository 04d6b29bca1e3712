//! groovekit vs ot-tools-io 0.11.3 on Octatrack banks, same files, same run:
//! - bank read + write (bytes -> model -> bytes), target >= 20x;
//! - bank -> YAML -> bank, target >= 10x, with the YAML >= 10x smaller;
//! - checksum verification of a bank from its bytes, target >= 1 GB/s.
//!
//! Criterion measures each case; afterwards `ratios` times each pair again with the same loop
//! and prints the ratios and document sizes that BENCHMARKS.md records.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{Criterion, Throughput};
use groovekit_core::doc::Syntax;
use groovekit_octatrack::human;
use groovekit_octatrack::raw::bank::Bank;
use groovekit_octatrack::raw::header::{BinaryKind, validate_container};
use groovekit_octatrack::raw::image::{self, ChecksumPolicy};
use ot_tools_io::{BankFile, HasChecksumField, OctatrackFileIO};

/// The fixture banks: the device bank with trigs, locks and saved parts, and the blank bank.
fn banks() -> Vec<(&'static str, Vec<u8>)> {
    let dir = groovekit_core::fixtures::fixtures_dir(env!("CARGO_MANIFEST_DIR"))
        .expect("fixture corpus (set GROOVEKIT_FIXTURES)")
        .join("octatrack");
    vec![
        ("bank-copy", std::fs::read(dir.join("bank-copy/BANK-COPY-SRC/bank01.work")).unwrap()),
        ("blank", std::fs::read(dir.join("blank-project/bank01.work")).unwrap()),
    ]
}

fn gk_read_write(bytes: &[u8]) -> Vec<u8> {
    Bank::read(bytes).unwrap().to_bytes()
}

fn ot_read_write(bytes: &[u8]) -> Vec<u8> {
    BankFile::from_bytes(bytes).unwrap().to_bytes().unwrap()
}

fn gk_yaml_round_trip(bytes: &[u8]) -> Vec<u8> {
    let yaml = human::bank::to_text(bytes, Syntax::Yaml).unwrap();
    human::bank::from_text(&yaml).unwrap()
}

fn ot_yaml_round_trip(bytes: &[u8]) -> Vec<u8> {
    let yaml = BankFile::from_bytes(bytes).unwrap().to_yaml_string().unwrap();
    BankFile::from_yaml_str(&yaml).unwrap().to_bytes().unwrap()
}

/// What `Bank::read` and `groovekit verify` do: size, magic, version and the checksum rule.
fn gk_verify(bytes: &[u8]) -> bool {
    image::validate(bytes, BinaryKind::Bank, ChecksumPolicy::Lenient).unwrap().is_valid()
}

/// The shared container check of `raw::header` (8-byte SWAR sum), for comparison.
fn gk_verify_shared_header(bytes: &[u8]) -> bool {
    validate_container(bytes, BinaryKind::Bank).unwrap().is_valid()
}

fn ot_verify(bytes: &[u8]) -> bool {
    BankFile::from_bytes(bytes).unwrap().check_checksum().unwrap()
}

fn benches(c: &mut Criterion) {
    for (name, bytes) in banks() {
        // Same results from both tools before timing anything.
        assert_eq!(gk_read_write(&bytes), bytes);
        assert_eq!(ot_read_write(&bytes), bytes);
        assert_eq!(gk_yaml_round_trip(&bytes), bytes);
        assert_eq!(ot_yaml_round_trip(&bytes), bytes);
        assert!(gk_verify(&bytes) && gk_verify_shared_header(&bytes) && ot_verify(&bytes));

        let mut g = c.benchmark_group(format!("bank read+write/{name}"));
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function("groovekit", |b| b.iter(|| gk_read_write(black_box(&bytes))));
        g.bench_function("ot-tools-io", |b| b.iter(|| ot_read_write(black_box(&bytes))));
        g.finish();

        let mut g = c.benchmark_group(format!("bank yaml round trip/{name}"));
        g.sample_size(10);
        g.bench_function("groovekit", |b| b.iter(|| gk_yaml_round_trip(black_box(&bytes))));
        g.bench_function("ot-tools-io", |b| b.iter(|| ot_yaml_round_trip(black_box(&bytes))));
        g.finish();

        let mut g = c.benchmark_group(format!("bank checksum verify/{name}"));
        g.throughput(Throughput::Bytes(bytes.len() as u64));
        g.bench_function("groovekit", |b| b.iter(|| gk_verify(black_box(&bytes))));
        g.bench_function("groovekit shared header check", |b| b.iter(|| gk_verify_shared_header(black_box(&bytes))));
        g.bench_function("ot-tools-io", |b| b.iter(|| ot_verify(black_box(&bytes))));
        g.finish();
    }
}

/// Median time of `f` over runs lasting about `budget` in total (at least 5 runs).
fn median(budget: Duration, mut f: impl FnMut()) -> Duration {
    let mut times = Vec::new();
    let start = Instant::now();
    while times.len() < 5 || (start.elapsed() < budget && times.len() < 10_000) {
        let t = Instant::now();
        f();
        times.push(t.elapsed());
    }
    times.sort();
    times[times.len() / 2]
}

fn ratios() {
    println!("\n== groovekit vs ot-tools-io 0.11.3 (median of repeated runs) ==");
    for (name, bytes) in banks() {
        let budget = Duration::from_secs(2);
        let (g, o) = (
            median(budget, || drop(black_box(gk_read_write(&bytes)))),
            median(budget, || drop(black_box(ot_read_write(&bytes)))),
        );
        println!(
            "{name}: read+write     groovekit {g:>10.2?}  ot-tools-io {o:>10.2?}  ratio {:.1}x",
            o.as_secs_f64() / g.as_secs_f64()
        );
        let (g, o) = (
            median(budget, || drop(black_box(gk_yaml_round_trip(&bytes)))),
            median(Duration::from_secs(6), || drop(black_box(ot_yaml_round_trip(&bytes)))),
        );
        println!(
            "{name}: yaml round trip groovekit {g:>10.2?}  ot-tools-io {o:>10.2?}  ratio {:.1}x",
            o.as_secs_f64() / g.as_secs_f64()
        );
        let (g, o) = (
            median(budget, || drop(black_box(gk_verify(&bytes)))),
            median(budget, || drop(black_box(ot_verify(&bytes)))),
        );
        println!(
            "{name}: checksum verify groovekit {g:>10.2?} ({:.2} GB/s)  ot-tools-io {o:>10.2?}  ratio {:.1}x",
            bytes.len() as f64 / g.as_secs_f64() / 1e9,
            o.as_secs_f64() / g.as_secs_f64()
        );
        let s = median(budget, || drop(black_box(gk_verify_shared_header(&bytes))));
        println!(
            "{name}: checksum verify with the shared raw::header check {s:>10.2?} ({:.2} GB/s)",
            bytes.len() as f64 / s.as_secs_f64() / 1e9
        );
        let gk_yaml = human::bank::to_text(&bytes, Syntax::Yaml).unwrap();
        let ot_yaml = BankFile::from_bytes(&bytes).unwrap().to_yaml_string().unwrap();
        println!(
            "{name}: YAML size      groovekit {} bytes / {} lines  ot-tools-io {} bytes / {} lines  ratio {:.0}x smaller",
            gk_yaml.len(),
            gk_yaml.lines().count(),
            ot_yaml.len(),
            ot_yaml.lines().count(),
            ot_yaml.len() as f64 / gk_yaml.len() as f64
        );
    }
}

fn main() {
    let mut c = Criterion::default().configure_from_args();
    benches(&mut c);
    c.final_summary();
    ratios();
}
