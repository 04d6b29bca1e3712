//! Shared set-up of the tests that run Octatrack project operations through the binary
//! (ot_ops.rs, ot_copy.rs, ot_cleanup.rs, ...): the binary, the fixture lookup, folder copies,
//! byte-for-byte snapshots of a folder tree and the bank-copy Set.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The groovekit binary under test.
pub fn gk() -> Command {
    Command::cargo_bin("groovekit").unwrap()
}

/// The fixture corpus, or None (with a notice) when it is absent outside CI.
pub fn fixtures(test: &str) -> Option<PathBuf> {
    groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), test)
}

/// Copies the files (not sub-folders) of `from` into `to`, creating it.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        if e.file_type().unwrap().is_file() {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// Every file under `root` with its bytes, by path relative to `root`.
#[allow(dead_code)] // ot_cleanup.rs compares trees without backups/ only
pub fn snapshot(root: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    snapshot_skipping(root, &[])
}

/// Every file under `root` with its bytes, leaving out folders named in `skip` (e.g. `backups`).
pub fn snapshot_skipping(root: &Path, skip: &[&str]) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                if !p.file_name().is_some_and(|n| skip.iter().any(|s| n == *s)) {
                    stack.push(p);
                }
            } else {
                out.insert(p.strip_prefix(root).unwrap().to_path_buf(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// The bank-copy fixture in a temp Set, with the four samples it names written to SET/AUDIO.
#[allow(dead_code)] // used by ot_ops.rs and output_errors.rs only
pub fn bank_copy_set(fx: &Path, tmp: &Path) -> (PathBuf, PathBuf) {
    let set = tmp.join("SET");
    let (src, dst) = (set.join("SRC"), set.join("DEST"));
    copy_dir(&fx.join("octatrack/bank-copy/BANK-COPY-SRC"), &src);
    copy_dir(&fx.join("octatrack/bank-copy/BANK-COPY-DEST"), &dst);
    std::fs::create_dir_all(set.join("AUDIO")).unwrap();
    for (i, n) in ["first-0", "second-0", "fourth-0", "fifth-0"].iter().enumerate() {
        std::fs::write(set.join(format!("AUDIO/{n}.wav")), vec![i as u8; 1000 + i]).unwrap();
    }
    (src, dst)
}
