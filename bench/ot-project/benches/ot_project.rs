//! groovekit vs ot-tools-io 0.11.3 on `project.work`, same files, same run:
//! - read + write (bytes -> model -> bytes), and whether the bytes come back unchanged;
//! - project -> YAML -> project.
//!
//! Each case runs repeatedly for a fixed time budget; the median of each tool is printed with
//! the ratio (ot-tools-io time / groovekit time: above 1 means groovekit is faster).

use std::hint::black_box;
use std::time::{Duration, Instant};

use groovekit_core::doc::Syntax;
use groovekit_octatrack::human::project as human;
use groovekit_octatrack::model::project::Project;
use ot_tools_io::{OctatrackFileIO, ProjectFile};

/// Every project.work fixture, by folder name.
fn projects() -> Vec<(String, Vec<u8>)> {
    let dir = groovekit_core::fixtures::fixtures_dir(env!("CARGO_MANIFEST_DIR"))
        .expect("fixture corpus (set GROOVEKIT_FIXTURES)")
        .join("octatrack");
    let files = groovekit_core::fixtures::files_under(&dir, &|p| p.file_name().is_some_and(|n| n == "project.work"));
    files
        .into_iter()
        .map(|f| {
            let name = f.parent().and_then(|p| p.file_name()).map(|n| n.to_string_lossy().into_owned()).unwrap();
            (name, std::fs::read(&f).unwrap())
        })
        .collect()
}

fn gk_read_write(bytes: &[u8]) -> Vec<u8> {
    Project::parse(bytes).unwrap().to_bytes()
}

fn ot_read_write(bytes: &[u8]) -> Vec<u8> {
    ProjectFile::from_bytes(bytes).unwrap().to_bytes().unwrap()
}

fn gk_yaml_round_trip(bytes: &[u8]) -> Vec<u8> {
    let yaml = human::to_text(&Project::parse(bytes).unwrap(), Syntax::Yaml).unwrap();
    human::from_text(&yaml).unwrap().to_bytes()
}

fn ot_yaml_round_trip(bytes: &[u8]) -> Vec<u8> {
    let yaml = ProjectFile::from_bytes(bytes).unwrap().to_yaml_string().unwrap();
    ProjectFile::from_yaml_str(&yaml).unwrap().to_bytes().unwrap()
}

/// Median time of `f` over runs lasting about `budget` in total (at least 5 runs).
fn median(budget: Duration, mut f: impl FnMut()) -> Duration {
    let mut times = Vec::new();
    let start = Instant::now();
    while times.len() < 5 || (start.elapsed() < budget && times.len() < 100_000) {
        let t = Instant::now();
        f();
        times.push(t.elapsed());
    }
    times.sort();
    times[times.len() / 2]
}

fn main() {
    println!("== project.work: groovekit vs ot-tools-io 0.11.3 (median of repeated runs) ==");
    let budget = Duration::from_secs(2);
    for (name, bytes) in projects() {
        let same = |out: Vec<u8>| {
            if out == bytes {
                "identical".to_string()
            } else {
                format!("DIFFERENT ({} -> {} bytes)", bytes.len(), out.len())
            }
        };
        println!(
            "{name}: write-back  groovekit {}  ot-tools-io {}  | yaml round trip  groovekit {}  ot-tools-io {}",
            same(gk_read_write(&bytes)),
            same(ot_read_write(&bytes)),
            same(gk_yaml_round_trip(&bytes)),
            same(ot_yaml_round_trip(&bytes)),
        );
        let (g, o) = (
            median(budget, || drop(black_box(gk_read_write(black_box(&bytes))))),
            median(budget, || drop(black_box(ot_read_write(black_box(&bytes))))),
        );
        println!(
            "{name}: read+write      groovekit {g:>10.2?}  ot-tools-io {o:>10.2?}  ratio {:.1}x",
            o.as_secs_f64() / g.as_secs_f64()
        );
        let (g, o) = (
            median(budget, || drop(black_box(gk_yaml_round_trip(black_box(&bytes))))),
            median(budget, || drop(black_box(ot_yaml_round_trip(black_box(&bytes))))),
        );
        println!(
            "{name}: yaml round trip groovekit {g:>10.2?}  ot-tools-io {o:>10.2?}  ratio {:.1}x",
            o.as_secs_f64() / g.as_secs_f64()
        );
        // Where the round trip's time goes (groovekit): building the document, YAML text, back.
        let p = Project::parse(&bytes).unwrap();
        let doc = human::to_doc(&p);
        let yaml = human::to_text(&p, Syntax::Yaml).unwrap();
        let parts = [
            ("to_doc", median(budget, || drop(black_box(human::to_doc(black_box(&p)))))),
            ("doc->yaml", median(budget, || drop(black_box(groovekit_core::doc::to_yaml(black_box(&doc)).unwrap())))),
            (
                "yaml->doc",
                median(budget, || {
                    drop(black_box(groovekit_core::doc::from_yaml::<human::ProjectDoc>(black_box(&yaml)).unwrap()))
                }),
            ),
            ("from_doc", median(budget, || drop(black_box(human::from_doc(black_box(&doc)).unwrap())))),
        ];
        println!("{name}: groovekit parts {parts:?}");
    }
}
