//! Every write goes through the write layer: outside `groovekit-core`, no library or CLI source
//! file may call `std::fs::write`, `File::create`, `fs::rename` or `OpenOptions::new()` (issue 11,
//! "Done when"). A deliberate exception carries `// ok: <why>` on its line. Test files count too:
//! the project's before-stop hook greps `crates/*/src` the same way.

use std::path::{Path, PathBuf};

const NEEDLES: [&str; 4] = ["fs::write(", "File::create(", "fs::rename(", "OpenOptions::new()"];

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

#[test]
fn only_the_write_layer_writes_files() {
    let crates = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("crates folder");
    let mut files = Vec::new();
    for c in std::fs::read_dir(crates).expect("crates folder").flatten() {
        if c.file_name() == "groovekit-core" {
            continue;
        }
        rust_files(&c.path().join("src"), &mut files);
    }
    assert!(files.len() > 20, "found only {} source files under {}", files.len(), crates.display());
    let mut offenders = Vec::new();
    // Unit tests live in `src/*_tests.rs` (DEVELOPERS.md) and write their own temp files.
    for f in files.iter().filter(|f| !f.to_string_lossy().ends_with("_tests.rs")) {
        let text = std::fs::read_to_string(f).unwrap_or_default();
        for (i, line) in text.lines().enumerate() {
            if NEEDLES.iter().any(|n| line.contains(n)) && !line.contains("// ok:") {
                offenders.push(format!("{}:{}: {}", f.display(), i + 1, line.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "write through groovekit_core::fs (Transaction, write_atomic) instead:\n{}",
        offenders.join("\n")
    );
}
