//! A temp folder with the files the README and the `--help` examples name, made from the
//! fixtures (issue 24), so that every example can run as written and its output be checked:
//!
//! - `MYSET/` a Set: `AUDIO/` (the fixture hats, also under the names of every sample the
//!   real-device project uses), `MYPROJECT` (a copy of the real-device project as it is: 5 files),
//!   `LIVE` and `OLD` (the real-device project completed with the blank project's other files);
//!   `OTHERSET/` a Set with `AUDIO/` and `LIVE` (the blank project);
//!   `MYPROJECT`, `OLD` and `NEW` (real-device copies) for the bank examples;
//! - `chain.wav` + `chain.ot` (the sliced fixture chain), `a.ot`/`b.ot` (8 and 16 slices);
//!   `kick.wav`, `snare.wav`, `hat.wav`, `loop.wav` and `hats/` (fixture hats); `samples/` (hats,
//!   one named as a sample the real-device project misses, for `relink`);
//! - `song.okta` (an Oktalyzer module); `projects/` (OP-Z projects 01, 01f, 05 and the device's
//!   `config/`), `samplepacks/1-kick/01/kit.aif` (an OP-Z kit); `examples/` (this repository's);
//! - `copies.yaml` (a `copy-bank` batch) and `chains.yaml` (an `ot chain` batch).

use std::path::{Path, PathBuf};

/// Copies `from` (a file or a folder, recursively) to `to`, leaving every copy writable (the
/// fixtures are read-only).
pub fn copy_tree(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            copy_tree(&e.path(), &to.join(e.file_name()));
        }
    } else {
        if let Some(d) = to.parent() {
            std::fs::create_dir_all(d).unwrap();
        }
        std::fs::copy(from, to).unwrap();
        let mut perm = std::fs::metadata(to).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)] // a temp copy the examples must be able to edit
        perm.set_readonly(false);
        std::fs::set_permissions(to, perm).unwrap();
    }
}

/// The fixture hats, sorted by name.
fn hats(fixtures: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> =
        std::fs::read_dir(fixtures.join("audio/hats")).unwrap().map(|e| e.unwrap().path()).collect();
    v.sort();
    v
}

/// Makes the sandbox under `root` (see the module documentation).
pub fn make(fixtures: &Path, root: &Path) {
    let ot = fixtures.join("octatrack");
    let real = ot.join("real-device");
    let hats = hats(fixtures);
    for (i, h) in hats.iter().enumerate() {
        copy_tree(h, &root.join(format!("MYSET/AUDIO/hat{:02}.wav", i + 1)));
        copy_tree(h, &root.join("hats").join(h.file_name().unwrap()));
    }
    for p in ["MYSET/MYPROJECT", "MYPROJECT", "OLD", "NEW"] {
        copy_tree(&real, &root.join(p));
    }
    // OLD and LIVE are whole projects: the blank project's files under the real-device ones, and
    // every sample the real-device project names present in AUDIO (hats under those names).
    for p in ["MYSET/OLD", "MYSET/LIVE"] {
        copy_tree(&ot.join("blank-project"), &root.join(p));
        copy_tree(&real, &root.join(p));
    }
    let project = std::fs::read(real.join("project.work")).unwrap();
    for (i, line) in project.split(|&b| b == b'\n').enumerate() {
        let line = String::from_utf8_lossy(line);
        if let Some(rel) = line.trim_end().strip_prefix("PATH=../AUDIO/") {
            copy_tree(&hats[i % hats.len()], &root.join("MYSET/AUDIO").join(rel));
        }
    }
    std::fs::create_dir_all(root.join("OTHERSET/AUDIO")).unwrap();
    copy_tree(&ot.join("blank-project"), &root.join("OTHERSET/LIVE"));
    copy_tree(&ot.join("chain/sliced.wav"), &root.join("chain.wav"));
    copy_tree(&ot.join("chain/sliced.ot"), &root.join("chain.ot"));
    copy_tree(&ot.join("sample-settings/8slices.ot"), &root.join("a.ot"));
    copy_tree(&ot.join("sample-settings/16slices.ot"), &root.join("b.ot"));
    // The longest hat as a loop, the others as drums.
    let longest = hats.iter().max_by_key(|h| std::fs::metadata(h).unwrap().len()).unwrap();
    copy_tree(longest, &root.join("loop.wav"));
    copy_tree(&hats[1], &root.join("kick.wav"));
    copy_tree(&hats[2], &root.join("snare.wav"));
    copy_tree(&hats[3], &root.join("hat.wav"));
    copy_tree(&hats[4], &root.join("samples/hat-a.wav"));
    copy_tree(&hats[5], &root.join("samples/JM_172_D_Atmos.wav"));
    copy_tree(&fixtures.join("okt/demosong_3.okta"), &root.join("song.okta"));
    let opz = fixtures.join("opz/error-garden");
    for p in ["project01.opz", "project01f.opz", "project05.opz", "config"] {
        copy_tree(&opz.join(p), &root.join("projects").join(p));
    }
    copy_tree(&fixtures.join("opz/samplepacks/perc-kick076_patch.aif"), &root.join("samplepacks/1-kick/01/kit.aif"));
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples");
    copy_tree(&repo, &root.join("examples"));
    // The batch files the README's `--config` examples name (formats: docs/octatrack-ops.md and
    // docs/octatrack-chains.md).
    std::fs::write(
        root.join("copies.yaml"),
        "kind: octatrack-copy-bank-batch\ncopies:\n  - {source: MYSET/OLD, source_bank: 1, destination: OTHERSET/LIVE, destination_bank: 5}\n",
    )
    .unwrap();
    std::fs::write(
        root.join("chains.yaml"),
        "output: chains\ndefaults:\n  bpm: 120\nchains:\n  - name: hats\n    files: [kick.wav, snare.wav, hat.wav]\n    options:\n      trig_quantization: 16\n",
    )
    .unwrap();
    // The MIDI files the `ot import-midi` examples name: pattern 1 of the real-device project
    // exported by groovekit itself.
    let out = sh(root, "groovekit ot midi MYPROJECT --bank 1 --pattern 1 -o song.mid && cp song.mid drums.mid");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

/// A fresh sandbox in a temp folder, or None when the fixtures are absent (outside CI).
#[allow(dead_code)] // Not every test that includes this file makes its sandbox this way.
pub fn temp(test: &str) -> Option<tempfile::TempDir> {
    let fixtures = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), test)?;
    let dir = tempfile::tempdir().unwrap();
    make(&fixtures, dir.path());
    Some(dir)
}

/// A shell command line run in `dir` with the groovekit binary under test first on `PATH`.
pub fn sh(dir: &Path, line: &str) -> std::process::Output {
    let bin = assert_cmd::cargo::cargo_bin("groovekit");
    let bin_dir = bin.parent().unwrap();
    let path = format!("{}:{}", bin_dir.display(), std::env::var("PATH").unwrap_or_default());
    std::process::Command::new("sh")
        .arg("-c")
        .arg(line)
        .current_dir(dir)
        .env("PATH", path)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .output()
        .unwrap()
}
