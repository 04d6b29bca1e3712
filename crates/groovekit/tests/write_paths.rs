//! Issue 12 item 1: every subcommand that writes a file goes through the one write path. The
//! subcommands are found by walking `--help` (so a new command is seen), and each one must be in
//! the table below: either with a recipe that checks parent folders are created, a backup is
//! kept when the target exists, and `--dry-run` writes nothing; or listed as not writing (its help
//! then must offer no output, `--dry-run` or `--fix`), or exempt with a reason.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn gk() -> Command {
    Command::cargo_bin("groovekit").unwrap()
}

fn help(path: &[String]) -> String {
    let out = gk().args(path).arg("--help").output().unwrap();
    assert!(out.status.success(), "{path:?} --help failed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Every leaf subcommand, as its words (`["ot", "chain"]`).
fn leaves(path: Vec<String>, out: &mut Vec<Vec<String>>) {
    let text = help(&path);
    let Some(start) = text.find("Commands:\n") else {
        out.push(path);
        return;
    };
    for line in text[start + 10..].lines().take_while(|l| !l.trim().is_empty()) {
        // A command line is indented two spaces; a wrapped description line is indented more.
        if line.starts_with("   ") {
            continue;
        }
        let Some(name) = line.split_whitespace().next() else { continue };
        if name == "help" {
            continue;
        }
        let mut p = path.clone();
        p.push(name.to_string());
        leaves(p, out);
    }
}

/// Every regular file under `dir`.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p.clone());
                out.insert(p.strip_prefix(dir).unwrap().to_path_buf(), b"<dir>".to_vec());
            } else {
                out.insert(p.strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

/// Where a command writes.
enum Target {
    /// A new file or folder at `new/dir/...` (parents must be created; a second run backs up).
    New(&'static str),
    /// A file the command edits in place (a backup must be kept).
    InPlace(&'static str),
}

/// Prepares the work folder (fixtures folder, work folder).
type Setup = Box<dyn Fn(&Path, &Path)>;
/// The command's arguments (fixtures folder, work folder).
type Args = Box<dyn Fn(&Path, &Path) -> Vec<OsString>>;

struct Recipe {
    setup: Setup,
    args: Args,
    target: Target,
    /// Extra arguments for the second run (e.g. `--force`).
    again: &'static [&'static str],
}

fn s(v: &[&dyn AsRef<std::ffi::OsStr>]) -> Vec<OsString> {
    v.iter().map(|x| x.as_ref().to_os_string()).collect()
}

fn copy(from: &Path, to: &Path) {
    std::fs::copy(from, to).unwrap();
}

fn hats(fx: &Path) -> Vec<PathBuf> {
    groovekit_core::fixtures::files_under(&fx.join("audio/hats"), &|p| {
        p.extension().is_some_and(|e| e.eq_ignore_ascii_case("wav"))
    })
    .into_iter()
    .take(3)
    .collect()
}

fn nothing(_: &Path, _: &Path) {}

fn recipes() -> BTreeMap<&'static str, Recipe> {
    let mut m: BTreeMap<&'static str, Recipe> = BTreeMap::new();
    let project = |fx: &Path| fx.join("octatrack/bank-copy/BANK-COPY-DEST/project.work");
    let opz = |fx: &Path| fx.join("opz/error-garden/project05.opz");
    m.insert(
        "dump",
        Recipe {
            setup: Box::new(nothing),
            args: Box::new(move |fx, t| s(&[&"dump", &project(fx), &"-o", &t.join("new/dir/p.yaml")])),
            target: Target::New("new/dir/p.yaml"),
            again: &[],
        },
    );
    m.insert(
        "build",
        Recipe {
            setup: Box::new(move |fx, t| {
                gk().arg("dump").arg(project(fx)).arg("-o").arg(t.join("p.yaml")).assert().success();
            }),
            args: Box::new(|_, t| s(&[&"build", &t.join("p.yaml"), &"-o", &t.join("new/dir/project.work")])),
            target: Target::New("new/dir/project.work"),
            again: &[],
        },
    );
    m.insert(
        "render",
        Recipe {
            setup: Box::new(nothing),
            args: Box::new(|fx, t| {
                s(&[&"render", &fx.join("track/short_fill.track"), &"-o", &t.join("new/dir/x.wav")])
            }),
            target: Target::New("new/dir/x.wav"),
            again: &[],
        },
    );
    m.insert(
        "convert",
        Recipe {
            setup: Box::new(nothing),
            args: Box::new(move |fx, t| s(&[&"convert", &opz(fx), &t.join("new/dir/x.mid")])),
            target: Target::New("new/dir/x.mid"),
            again: &[],
        },
    );
    m.insert(
        "verify",
        Recipe {
            setup: Box::new(move |fx, t| {
                // A bank with a wrong checksum (the last two bytes), which --fix repairs.
                let mut b = std::fs::read(fx.join("octatrack/blank-project/bank01.work")).unwrap();
                let n = b.len();
                b[n - 1] ^= 0x55;
                std::fs::write(t.join("bank01.work"), b).unwrap();
            }),
            args: Box::new(|_, t| s(&[&"verify", &"--fix", &t.join("bank01.work")])),
            target: Target::InPlace("bank01.work"),
            again: &[],
        },
    );
    m.insert(
        "ot new-project",
        Recipe {
            setup: Box::new(nothing),
            args: Box::new(|_, t| s(&[&"ot", &"new-project", &t.join("new/dir/P")])),
            target: Target::New("new/dir/P/project.work"),
            again: &["--force"],
        },
    );
    m.insert(
        "ot zip",
        Recipe {
            setup: Box::new(nothing),
            args: Box::new(|fx, t| {
                s(&[&"ot", &"zip", &fx.join("octatrack/blank-project"), &"-o", &t.join("new/dir/p.zip")])
            }),
            target: Target::New("new/dir/p.zip"),
            again: &[],
        },
    );
    m.insert(
        "ot chain",
        Recipe {
            setup: Box::new(nothing),
            args: Box::new(|fx, t| {
                let mut v = s(&[&"ot", &"chain", &"hats", &"-o", &t.join("new/dir")]);
                v.extend(hats(fx).into_iter().map(PathBuf::into_os_string));
                v
            }),
            target: Target::New("new/dir/hats.wav"),
            again: &[],
        },
    );
    let chain_setup = |fx: &Path, t: &Path| {
        gk().args(["ot", "chain", "c", "-o"]).arg(t.join("c")).args(hats(fx)).assert().success();
    };
    m.insert(
        "ot split",
        Recipe {
            setup: Box::new(chain_setup),
            args: Box::new(|_, t| s(&[&"ot", &"split", &t.join("c/c.wav"), &"-o", &t.join("new/dir")])),
            target: Target::New("new/dir/c-01.wav"),
            again: &[],
        },
    );
    m.insert(
        "ot chain-preview",
        Recipe {
            setup: Box::new(chain_setup),
            args: Box::new(|_, t| s(&[&"ot", &"chain-preview", &t.join("c/c.wav"), &"-o", &t.join("new/dir/c.svg")])),
            target: Target::New("new/dir/c.svg"),
            again: &[],
        },
    );
    m.insert(
        "ot grid",
        Recipe {
            setup: Box::new(|fx, t| {
                copy(&hats(fx)[0], &t.join("h.wav"));
                gk().args(["ot", "grid", "linear"]).arg(t.join("h.wav")).arg("2").assert().success();
            }),
            args: Box::new(|_, t| s(&[&"ot", &"grid", &"linear", &t.join("h.wav"), &"4"])),
            target: Target::InPlace("h.ot"),
            again: &[],
        },
    );
    m.insert(
        "opz pattern",
        Recipe {
            setup: Box::new(nothing),
            args: Box::new(move |fx, t| s(&[&"opz", &"pattern", &opz(fx), &"--svg", &t.join("new/dir/p.svg")])),
            target: Target::New("new/dir/p.svg"),
            again: &[],
        },
    );
    let opz_copy = move |fx: &Path, t: &Path| copy(&opz(fx), &t.join("p.opz"));
    m.insert(
        "opz set-tempo",
        Recipe {
            setup: Box::new(opz_copy),
            args: Box::new(|_, t| s(&[&"opz", &"set-tempo", &t.join("p.opz"), &"97"])),
            target: Target::InPlace("p.opz"),
            again: &[],
        },
    );
    m.insert(
        "opz chain set",
        Recipe {
            setup: Box::new(opz_copy),
            args: Box::new(|_, t| s(&[&"opz", &"chain", &"set", &t.join("p.opz"), &"1", &"2", &"3"])),
            target: Target::InPlace("p.opz"),
            again: &[],
        },
    );
    m.insert(
        "opz copy-pattern",
        Recipe {
            setup: Box::new(opz_copy),
            args: Box::new(|_, t| {
                let p = t.join("p.opz").display().to_string();
                s(&[&"opz", &"copy-pattern", &format!("{p}:1"), &format!("{p}:9")])
            }),
            target: Target::InPlace("p.opz"),
            again: &[],
        },
    );
    m.insert(
        "opz clear-pattern",
        Recipe {
            setup: Box::new(opz_copy),
            args: Box::new(|_, t| s(&[&"opz", &"clear-pattern", &t.join("p.opz"), &"--pattern", &"1"])),
            target: Target::InPlace("p.opz"),
            again: &[],
        },
    );
    m.insert(
        "opz add-note",
        Recipe {
            setup: Box::new(opz_copy),
            args: Box::new(|_, t| {
                s(&[
                    &"opz",
                    &"add-note",
                    &t.join("p.opz"),
                    &"--pattern",
                    &"2",
                    &"--track",
                    &"lead",
                    &"--step",
                    &"5",
                    &"C4",
                ])
            }),
            target: Target::InPlace("p.opz"),
            again: &[],
        },
    );
    m.insert(
        "opz kit build",
        Recipe {
            setup: Box::new(nothing),
            args: Box::new(|fx, t| {
                let mut v = s(&[&"opz", &"kit", &"build", &"-o", &t.join("new/dir/k.aif")]);
                v.extend(hats(fx).into_iter().map(PathBuf::into_os_string));
                v
            }),
            target: Target::New("new/dir/k.aif"),
            again: &[],
        },
    );
    m.insert(
        "opz kit split",
        Recipe {
            setup: Box::new(nothing),
            args: Box::new(|fx, t| {
                s(&[
                    &"opz",
                    &"kit",
                    &"split",
                    &fx.join("opz/samplepacks/kick-combo_patch.aif"),
                    &"-o",
                    &t.join("new/dir"),
                ])
            }),
            target: Target::New("new/dir/01.wav"),
            again: &[],
        },
    );
    m.insert(
        "okt samples",
        Recipe {
            setup: Box::new(nothing),
            args: Box::new(|fx, t| {
                s(&[&"okt", &"samples", &fx.join("okt/everything.okta"), &"-o", &t.join("new/dir")])
            }),
            target: Target::New("new/dir"),
            again: &[],
        },
    );
    m.insert(
        "track fmt",
        Recipe {
            setup: Box::new(|_, t| {
                std::fs::write(t.join("m.track"), "bpm 100\n\n\npattern p\n  0.0 ,NOTE_A#3,1 , 0\nscore\n0 p\n")
                    .unwrap()
            }),
            args: Box::new(|_, t| s(&[&"track", &"fmt", &t.join("m.track")])),
            target: Target::InPlace("m.track"),
            again: &[],
        },
    );
    m.insert(
        "ot pattern",
        Recipe {
            setup: Box::new(nothing),
            args: Box::new(|fx, t| {
                let dir = fx.join("octatrack/real-device");
                let svg = t.join("new/dir/grid.svg");
                s(&[&"ot", &"pattern", &dir, &"--bank", &"1", &"--pattern", &"1", &"--svg", &svg])
            }),
            target: Target::New("new/dir/grid.svg"),
            again: &[],
        },
    );
    m.insert(
        "opz chain select",
        Recipe {
            setup: Box::new(opz_copy),
            args: Box::new(|_, t| s(&[&"opz", &"chain", &"select", &t.join("p.opz"), &"2"])),
            target: Target::InPlace("p.opz"),
            again: &[],
        },
    );
    m
}

/// Commands that write no file.
const READ_ONLY: &[&str] = &[
    "ot set",
    "ot usage",
    "serve",
    "ot backups list",
    "inspect",
    "diff",
    "completions",
    "ot slices",
    "ot find-audio",
    "ot part",
    "ot slots",
    "okt trace",
    "track check",
];
/// Commands that write but cannot run in this test, with why.
const EXEMPT: &[(&str, &str)] = &[
    (
        "ot backups prune",
        "removes backup folders, writes no file; tests/backups.rs checks --dry-run, --keep and --older-than",
    ),
    ("track watch", "runs until interrupted; each render goes through the same PcmWriter path as `render`"),
    (
        "ot copy-bank",
        "backs every changed file up into the project's backups/ folder, not NAME.bak; tests/ot_ops.rs and \
             groovekit-octatrack tests/ops_copy_bank.rs check --dry-run, the backup, restore and injected faults",
    ),
    (
        "ot copy-pattern",
        "backs up into the destination's backups/ folder; tests/ot_copy.rs and groovekit-octatrack \
             tests/ops_copy_piece.rs check --dry-run, the backup, restore and injected faults",
    ),
    (
        "ot copy-part",
        "as copy-pattern; groovekit-octatrack tests/ops_copy_piece.rs failures_and_dry_runs_change_no_file",
    ),
    (
        "ot copy-track",
        "as copy-pattern; groovekit-octatrack tests/ops_copy_piece.rs failures_and_dry_runs_change_no_file",
    ),
    (
        "ot copy-slots",
        "as copy-pattern; tests/ot_copy.rs and groovekit-octatrack tests/ops_copy_piece.rs \
             failures_and_dry_runs_change_no_file",
    ),
    (
        "ot unzip",
        "unpacks into a Set in one transaction (other content refused, or backed up with --force); groovekit-octatrack \
             tests/project_zip.rs unzip_* tests and tests/ot_zip.rs",
    ),
    ("ot restore", "puts a backups/ folder back (itself backed up first); tested in tests/ot_ops.rs"),
    (
        "ot purge-slots",
        "backs up into the project's backups/ folder, not NAME.bak; tests/ot_cleanup.rs and groovekit-octatrack \
             tests/ops_cleanup.rs check --dry-run, the backup, restore and fail points",
    ),
    (
        "ot purge-files",
        "moves files into the backups/ folder; tests/ot_cleanup.rs purge_files_dry_run_json_failpoint_real_run_and_restore",
    ),
    ("ot collect", "backs up into backups/; tests/ot_cleanup.rs and groovekit-octatrack tests/ops_cleanup.rs"),
    ("ot dedupe", "backs up into SET/backups/; tests/ot_cleanup.rs and groovekit-octatrack tests/ops_cleanup.rs"),
    ("ot relink", "backs up into backups/; tests/ot_cleanup.rs and groovekit-octatrack tests/ops_cleanup.rs"),
    ("ot clear", "backs up into backups/; groovekit-octatrack tests/ops_cleanup.rs clear_* tests"),
    (
        "ot midi",
        "writes OUT.mid through the one output path (output::start, single backup); tests/ot_midi.rs \
             checks the file, --dry-run and --json",
    ),
    (
        "ot import-midi",
        "needs a MIDI file made by `ot midi` first; tests/ot_midi.rs checks --dry-run (nothing changed) and the \
             backup, groovekit-octatrack tests/midi.rs the fail point",
    ),
    (
        "opz import-midi",
        "needs a MIDI file made by `convert` first; tests/opz.rs import_midi_round_trip_with_backup_and_dry_run \
             checks the backup and --dry-run",
    ),
];

#[test]
fn every_writing_subcommand_uses_the_one_write_path() {
    let Some(fx) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "write paths") else {
        return;
    };
    let mut all = Vec::new();
    leaves(Vec::new(), &mut all);
    assert!(all.len() > 20, "{all:?}");
    let recipes = recipes();
    let mut missing = Vec::new();
    for words in &all {
        let name = words.join(" ");
        let text = help(words);
        let writes = ["--output", "--dry-run", "--fix", "--svg"].iter().any(|f| text.contains(f));
        if READ_ONLY.contains(&name.as_str()) {
            assert!(!writes, "`{name}` is listed as read-only but its help offers an output or --dry-run");
            continue;
        }
        if EXEMPT.iter().any(|(n, _)| *n == name) {
            continue;
        }
        let Some(r) = recipes.get(name.as_str()) else {
            missing.push(name);
            continue;
        };
        assert!(text.contains("--dry-run"), "`{name}` writes but has no --dry-run");
        check(&name, r, &fx);
    }
    assert!(missing.is_empty(), "subcommands with no entry in write_paths.rs (add a recipe or list them): {missing:?}");
}

fn check(name: &str, r: &Recipe, fx: &Path) {
    let dir = tempfile::tempdir().unwrap();
    let t = dir.path();
    (r.setup)(fx, t);
    let args = (r.args)(fx, t);
    // 1. --dry-run writes nothing.
    let before = snapshot(t);
    let out = gk().args(&args).arg("--dry-run").output().unwrap();
    // 0, or 1 where the plan itself reports a problem (`verify --fix --dry-run` of a bad checksum).
    assert!(matches!(out.status.code(), Some(0 | 1)), "{name} --dry-run: {}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(snapshot(t), before, "{name} --dry-run changed files");
    // 2. The real run: parents created (new targets), or a backup kept (in place).
    let out = gk().args(&args).output().unwrap();
    assert!(out.status.success(), "{name}: {}", String::from_utf8_lossy(&out.stderr));
    let after = snapshot(t);
    let backups = |s: &BTreeMap<PathBuf, Vec<u8>>| s.keys().filter(|k| k.to_string_lossy().contains(".bak")).count();
    match r.target {
        Target::New(p) => {
            assert!(t.join(p).exists(), "{name}: {p} not written (parents not created?)");
            // 3. Again: the existing output is backed up, not silently replaced.
            let out = gk().args(&args).args(r.again).output().unwrap();
            assert!(out.status.success(), "{name} again: {}", String::from_utf8_lossy(&out.stderr));
            let again = snapshot(t);
            assert!(backups(&again) > backups(&after), "{name}: replacing {p} kept no backup");
        }
        Target::InPlace(p) => {
            assert_ne!(before.get(Path::new(p)), after.get(Path::new(p)), "{name}: {p} unchanged");
            assert!(backups(&after) > backups(&before), "{name}: editing {p} kept no backup");
        }
    }
    let left: Vec<_> = snapshot(t).into_keys().filter(|k| k.to_string_lossy().contains("groovekit-")).collect();
    assert!(left.is_empty(), "{name}: leftovers {left:?}");
}
