//! The common verbs and exit codes across every subcommand (issue 12 items 2-4, 6): a table of
//! exit codes that must name every subcommand `--help` lists, diff codes as diff(1), `verify` of
//! folders, `.track` dump/build/diff, `convert`'s table, documents from other tools, counts in
//! words, summaries on stderr, `--quiet` and `--json`.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn gk() -> Command {
    Command::cargo_bin("groovekit").unwrap()
}

fn stdout_of(args: &[&str], paths: &[&Path], code: i32) -> String {
    let mut c = gk();
    c.args(args);
    for p in paths {
        c.arg(p);
    }
    String::from_utf8(c.assert().code(code).get_output().stdout.clone()).unwrap()
}

const SONG: &str =
    "BPM 120\nPATTERN p LENGTH 1.0\n0.00, NOTE_C4, 1.0, 0.0 # one\n0.5, NOTE_E4, 0.8, -0.5\nSCORE\n0.0, p\n";

/// A temp dir with a song, a text file and a new Octatrack project `P`.
struct Scene {
    dir: tempfile::TempDir,
}

impl Scene {
    fn new() -> Self {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("song.track"), SONG).unwrap();
        std::fs::write(dir.path().join("notes.txt"), "hello\n").unwrap();
        gk().args(["ot", "new-project"]).arg(dir.path().join("P")).assert().success();
        Self { dir }
    }

    fn p(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn s(&self, name: &str) -> String {
        self.p(name).to_string_lossy().into_owned()
    }
}

/// The subcommands `groovekit [GROUP] --help` lists.
fn subcommands(group: &[&str]) -> Vec<String> {
    let out = gk().args(group).arg("--help").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        // A name sits at column 2; wrapped help text is indented further.
        .filter(|l| !l.starts_with("   "))
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .filter(|c| c != "help")
        .collect()
}

#[test]
fn exit_codes_of_every_subcommand() {
    let s = Scene::new();
    let missing = s.s("missing.bin");
    let song = s.s("song.track");
    let notes = s.s("notes.txt");
    let bank = s.s("P/bank01.work");
    let empty = s.p("empty");
    std::fs::create_dir(&empty).unwrap();
    let empty = empty.to_string_lossy().into_owned();
    let out = |n: &str| s.s(n);
    // (arguments, expected exit code)
    let table: Vec<(Vec<String>, i32)> = vec![
        (vec!["inspect".into(), song.clone()], 0),
        (vec!["inspect".into(), missing.clone()], 1),
        (vec!["inspect".into()], 2),
        (vec!["verify".into(), s.s("P")], 0),
        (vec!["verify".into(), empty.clone()], 1),
        (vec!["verify".into(), "--dry-run".into(), bank.clone()], 2),
        (vec!["dump".into(), song.clone()], 0),
        (vec!["dump".into(), notes.clone()], 1),
        (vec!["dump".into(), song.clone(), "--format".into(), "xml".into()], 2),
        (vec!["build".into(), notes.clone(), "-o".into(), out("b.bin")], 1),
        (vec!["build".into(), notes.clone()], 2),
        (vec!["render".into(), song.clone(), "-o".into(), out("r.wav")], 0),
        (vec!["render".into(), song.clone(), "-o".into(), out("r.wav"), "--rate".into(), "0".into()], 2),
        (vec!["render".into(), notes.clone(), "-o".into(), out("r.wav")], 1),
        (vec!["convert".into(), song.clone(), out("c.yaml")], 0),
        (vec!["convert".into(), song.clone(), out("c.xyz")], 2),
        (vec!["convert".into(), missing.clone(), out("c.yaml")], 1),
        (vec!["diff".into(), song.clone(), song.clone()], 0),
        (vec!["diff".into(), bank.clone(), s.s("P/bank01.work")], 0),
        (vec!["diff".into(), song.clone(), missing.clone()], 2),
        (vec!["completions".into(), "bash".into()], 0),
        (vec!["completions".into(), "nosh".into()], 2),
        (vec!["ot".into(), "new-project".into(), out("Q")], 0),
        (vec!["ot".into(), "new-project".into()], 2),
        (vec!["ot".into(), "chain".into(), "c".into(), "-o".into(), out("ch"), missing.clone()], 1),
        (
            vec![
                "ot".into(),
                "chain".into(),
                "c".into(),
                "-o".into(),
                out("ch"),
                missing.clone(),
                "--bpm".into(),
                "500".into(),
            ],
            2,
        ),
        (
            vec![
                "ot".into(),
                "chain".into(),
                "c".into(),
                "-o".into(),
                out("ch"),
                missing.clone(),
                "--gain".into(),
                "0.3".into(),
            ],
            2,
        ),
        (vec!["ot".into(), "split".into(), missing.clone(), "-o".into(), out("sp")], 1),
        (vec!["ot".into(), "grid".into(), "linear".into(), missing.clone(), "8".into()], 1),
        (vec!["ot".into(), "grid".into(), "linear".into(), missing.clone(), "65".into()], 2),
        (vec!["ot".into(), "grid".into(), "linear".into(), missing.clone(), "0".into()], 2),
        (vec!["ot".into(), "slices".into(), notes.clone()], 1),
        (vec!["ot".into(), "chain-preview".into(), missing.clone(), "-o".into(), out("p.png")], 1),
        (
            vec![
                "ot".into(),
                "chain-preview".into(),
                missing.clone(),
                "-o".into(),
                out("p.png"),
                "--width".into(),
                "1".into(),
            ],
            2,
        ),
        (vec!["ot".into(), "pattern".into(), s.s("P"), "--bank".into(), "1".into(), "--pattern".into(), "1".into()], 0),
        (
            vec!["ot".into(), "pattern".into(), s.s("P"), "--bank".into(), "17".into(), "--pattern".into(), "1".into()],
            2,
        ),
        (
            vec![
                "ot".into(),
                "pattern".into(),
                empty.clone(),
                "--bank".into(),
                "1".into(),
                "--pattern".into(),
                "1".into(),
            ],
            1,
        ),
        (vec!["ot".into(), "part".into(), s.s("P"), "--bank".into(), "1".into(), "--part".into(), "1".into()], 0),
        (vec!["ot".into(), "part".into(), s.s("P"), "--bank".into(), "1".into(), "--part".into(), "5".into()], 2),
        (vec!["ot".into(), "slots".into(), s.s("P")], 0),
        (vec!["ot".into(), "set".into(), s.s("P")], 0),
        (vec!["ot".into(), "set".into()], 2),
        (vec!["ot".into(), "usage".into(), empty.clone()], 2),
        (vec!["ot".into(), "midi".into(), s.s("P"), "--bank".into(), "17".into(), "-o".into(), "x.mid".into()], 2),
        (
            vec![
                "ot".into(),
                "import-midi".into(),
                "no-such-song.mid".into(),
                s.s("P"),
                "--bank".into(),
                "1".into(),
                "--pattern".into(),
                "1".into(),
            ],
            1,
        ),
        (vec!["serve".into(), s.s("P"), "--address".into(), "0.0.0.0".into()], 2),
        (vec!["serve".into(), "--port".into(), "99999".into()], 2),
        (vec!["ot".into(), "slots".into(), empty.clone()], 1),
        (
            vec![
                "ot".into(),
                "copy-bank".into(),
                format!("{}:1", s.s("P")),
                format!("{}:2", s.s("P")),
                "--dry-run".into(),
            ],
            0,
        ),
        (vec!["ot".into(), "copy-bank".into(), format!("{}:1", s.s("P")), format!("{}:17", s.s("P"))], 2),
        (
            vec![
                "ot".into(),
                "copy-pattern".into(),
                format!("{}:1:1", s.s("P")),
                format!("{}:A:2", s.s("P")),
                "--dry-run".into(),
            ],
            0,
        ),
        (vec!["ot".into(), "copy-pattern".into(), format!("{}:1:1", s.s("P")), format!("{}:1:17", s.s("P"))], 2),
        (
            vec![
                "ot".into(),
                "copy-part".into(),
                format!("{}:1:1", s.s("P")),
                format!("{}:1:2", s.s("P")),
                "--dry-run".into(),
            ],
            0,
        ),
        (vec!["ot".into(), "copy-part".into(), format!("{}:1:1", s.s("P")), format!("{}:1:5", s.s("P"))], 2),
        (
            vec![
                "ot".into(),
                "copy-track".into(),
                format!("{}:1:1:1", s.s("P")),
                format!("{}:1:1:2", s.s("P")),
                "--dry-run".into(),
            ],
            0,
        ),
        (vec!["ot".into(), "copy-track".into(), format!("{}:1:1:1", s.s("P")), format!("{}:1:1:9", s.s("P"))], 2),
        (vec!["ot".into(), "copy-slots".into(), s.s("P"), s.s("P"), "--slots".into(), "1".into()], 1),
        (vec!["ot".into(), "copy-slots".into(), s.s("P"), s.s("P"), "--slots".into(), "1-129".into()], 2),
        (vec!["ot".into(), "restore".into(), missing.clone()], 1),
        (vec!["ot".into(), "backups".into(), "list".into(), missing.clone()], 1),
        (vec!["ot".into(), "backups".into(), "prune".into(), "--older-than".into(), "5y".into(), missing.clone()], 2),
        (vec!["ot".into(), "zip".into(), s.s("P"), "-o".into(), s.s("p.zip"), "--dry-run".into()], 0),
        (vec!["ot".into(), "zip".into(), missing.clone(), "-o".into(), s.s("p.zip")], 1),
        (vec!["ot".into(), "zip".into(), s.s("P")], 2),
        (vec!["ot".into(), "unzip".into(), missing.clone(), s.s("SET")], 1),
        (vec!["ot".into(), "unzip".into(), missing.clone()], 2),
        (vec!["ot".into(), "purge-slots".into(), s.s("P"), "--dry-run".into()], 0),
        (vec!["ot".into(), "purge-slots".into(), s.s("P"), "--pool".into(), "neither".into()], 2),
        (vec!["ot".into(), "purge-files".into(), s.s("P"), "--dry-run".into()], 0),
        (vec!["ot".into(), "purge-files".into(), missing.clone()], 1),
        (vec!["ot".into(), "collect".into(), s.s("P"), "--dry-run".into()], 0),
        (vec!["ot".into(), "collect".into(), empty.clone()], 1),
        (vec!["ot".into(), "dedupe".into(), s.s("P")], 1),
        (vec!["ot".into(), "dedupe".into()], 2),
        (vec!["ot".into(), "relink".into(), s.s("P"), "--search".into(), empty.clone(), "--dry-run".into()], 0),
        (vec!["ot".into(), "relink".into(), s.s("P")], 2),
        (vec!["ot".into(), "clear".into(), s.s("P"), "--bank".into(), "1".into(), "--dry-run".into()], 0),
        (vec!["ot".into(), "clear".into(), s.s("P"), "--bank".into(), "0".into()], 2),
        (vec!["ot".into(), "find-audio".into(), empty.clone()], 0),
        (vec!["ot".into(), "find-audio".into()], 2),
        (vec!["opz".into(), "pattern".into(), missing.clone()], 1),
        (vec!["opz".into(), "set-tempo".into(), missing.clone(), "120".into()], 1),
        (vec!["opz".into(), "chain".into(), "set".into(), missing.clone(), "1".into()], 1),
        (vec!["opz".into(), "copy-pattern".into(), missing.clone(), out("x.opz")], 1),
        (vec!["opz".into(), "chain".into(), "select".into(), missing.clone(), "1".into()], 1),
        (vec!["opz".into(), "import-midi".into(), missing.clone(), missing.clone(), "--pattern".into(), "1".into()], 1),
        (
            vec!["opz".into(), "import-midi".into(), missing.clone(), missing.clone(), "--pattern".into(), "17".into()],
            2,
        ),
        (vec!["opz".into(), "clear-pattern".into(), missing.clone(), "--pattern".into(), "1".into()], 1),
        (
            vec![
                "opz".into(),
                "add-note".into(),
                missing.clone(),
                "--pattern".into(),
                "1".into(),
                "--track".into(),
                "kick".into(),
                "--step".into(),
                "1".into(),
                "C4".into(),
            ],
            1,
        ),
        (vec!["opz".into(), "kit".into(), "build".into(), missing.clone(), "-o".into(), out("k.aif")], 1),
        (vec!["opz".into(), "kit".into(), "split".into(), missing.clone(), "-o".into(), out("ks")], 1),
        (vec!["okt".into(), "samples".into(), missing.clone(), "-o".into(), out("os")], 1),
        (vec!["okt".into(), "trace".into(), missing.clone()], 1),
        (vec!["track".into(), "check".into(), song.clone()], 0),
        (vec!["track".into(), "check".into(), notes.clone()], 1),
        (vec!["track".into(), "fmt".into(), "--check".into(), song.clone()], 0),
        (vec!["track".into(), "watch".into(), song.clone(), "-o".into(), out("w.wav"), "--rate".into(), "0".into()], 2),
    ];
    for (args, code) in &table {
        gk().args(args).assert().code(*code);
    }
    // Every subcommand --help lists has a row (a new command cannot skip this table).
    let covered =
        |path: &[&str]| table.iter().any(|(a, _)| a.len() >= path.len() && a.iter().zip(path).all(|(x, y)| x == y));
    for group in [
        vec![],
        vec!["ot"],
        vec!["opz"],
        vec!["okt"],
        vec!["track"],
        vec!["opz", "chain"],
        vec!["opz", "kit"],
        vec!["ot", "backups"],
    ] {
        for c in subcommands(&group) {
            let mut path = group.clone();
            path.push(&c);
            assert!(covered(&path), "no exit-code row for `groovekit {}`", path.join(" "));
        }
    }
}

#[test]
fn diff_exits_like_diff1() {
    let s = Scene::new();
    let a = s.p("P/bank01.work");
    let b = s.p("bank-b.work");
    let mut bytes = std::fs::read(&a).unwrap();
    std::fs::write(&b, &bytes).unwrap();
    gk().arg("diff").arg(&a).arg(&b).assert().code(0).stdout("no differences\n");
    // A trig on pattern 1, track 1, step 1, by way of the document.
    let yaml = stdout_of(&["dump"], &[&a], 0);
    assert_eq!(yaml.trim(), "kind: octatrack-bank\nversion: 3");
    let doc = s.p("b.yaml");
    std::fs::write(
        &doc,
        "kind: octatrack-bank\nversion: 2\npatterns:\n- pattern: 1\n  tracks:\n  - track: 1\n    trigs: [1]\n",
    )
    .unwrap();
    gk().arg("build").arg(&doc).arg("-o").arg(&b).assert().success();
    gk().arg("diff").arg(&a).arg(&b).assert().code(1).stdout(predicate::str::contains("pattern 1"));
    // Trouble: a damaged file, or files of two kinds.
    bytes[0] = b'X';
    std::fs::write(&b, &bytes).unwrap();
    gk().arg("diff").arg(&a).arg(&b).assert().code(2);
    gk().arg("diff").arg(&a).arg(s.p("song.track")).assert().code(2);
}

#[test]
fn track_dump_build_round_trips_and_diff_compares_by_pattern_and_event() {
    let s = Scene::new();
    let song = s.p("song.track");
    for (fmt, ext) in [("yaml", "yaml"), ("json", "json")] {
        let doc = s.p(&format!("song.{ext}"));
        gk().args(["dump", "--format", fmt, "-o"]).arg(&doc).arg(&song).assert().success();
        let back = s.p(&format!("back-{ext}.track"));
        gk().arg("build").arg(&doc).arg("-o").arg(&back).assert().success();
        assert_eq!(std::fs::read_to_string(&back).unwrap(), SONG, "{fmt}");
    }
    let other = s.p("other.track");
    std::fs::write(&other, SONG.replace("0.5, NOTE_E4, 0.8", "0.5, NOTE_E4, 0.6").replace("BPM 120", "BPM 100"))
        .unwrap();
    let out = stdout_of(&["diff"], &[&song, &other], 1);
    assert!(out.contains("bpm 120 -> 100"), "{out}");
    assert!(out.contains("pattern p event at 0.5 NOTE_E4: volume 0.8 -> 0.6"), "{out}");
    let layout = s.p("layout.track");
    std::fs::write(&layout, SONG.replace(", ", ",  ")).unwrap();
    let out = stdout_of(&["diff"], &[&song, &layout], 1);
    assert!(out.contains("same song, different layout"), "{out}");
}

#[test]
fn build_accepts_one_line_json_from_other_tools() {
    let s = Scene::new();
    let doc = s.p("one-line.json");
    // What Python's json.dump writes: one line, `kind` first with a space after the colon.
    std::fs::write(
        &doc,
        r#"{"kind": "octatrack-bank", "version": 2, "patterns": [{"pattern": 1, "tracks": [{"track": 1, "trigs": [1]}]}]}"#,
    )
    .unwrap();
    let bank = s.p("built.work");
    gk().arg("build").arg(&doc).arg("-o").arg(&bank).assert().success();
    gk().arg("verify").arg(&bank).assert().success();
    // jq -c: no spaces, `kind` last.
    std::fs::write(&doc, r#"{"patterns":[],"version":2,"kind":"octatrack-bank"}"#).unwrap();
    gk().arg("build").arg(&doc).arg("-o").arg(&bank).assert().success();
    assert_eq!(std::fs::read(&bank).unwrap(), std::fs::read(s.p("P/bank01.work")).unwrap());
}

#[test]
fn verify_folders_check_every_file_or_say_why_not() {
    let s = Scene::new();
    // A bank with a damaged header inside a project folder: a problem with its offset.
    let bank = s.p("P/bank02.work");
    let mut bytes = std::fs::read(&bank).unwrap();
    bytes[..4].copy_from_slice(b"XXXX");
    std::fs::write(&bank, &bytes).unwrap();
    let out = stdout_of(&["verify"], &[&s.p("P")], 1);
    assert!(out.contains("bank02.work @0"), "{out}");
    // The summary goes to stderr (issue 24).
    let err = gk().arg("verify").arg(s.p("P")).assert().code(1).get_output().stderr.clone();
    let err = String::from_utf8(err).unwrap();
    assert!(err.trim_end().ends_with("25 files checked, 1 problem"), "{err}");
    assert!(!out.contains("ok: "), "good files are listed only with -v: {out}");
    let verbose = stdout_of(&["verify", "-v"], &[&s.p("P")], 1);
    assert_eq!(verbose.matches("ok: ").count(), 25, "{verbose}");
    // Given directly: the bad-magic error with its offset, not "not recognised".
    let direct = stdout_of(&["verify"], &[&bank], 1);
    assert!(direct.contains("@0") && direct.contains("magic"), "{direct}");
    assert!(!direct.contains("not a file groovekit recognises"), "{direct}");
    gk().arg("inspect")
        .arg(&bank)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("@0"))
        .stderr(predicate::str::contains("magic"));
    // A loose folder: a text file named bank01.work, and nothing else.
    let loose = s.p("loose");
    std::fs::create_dir(&loose).unwrap();
    std::fs::write(loose.join("bank01.work"), "just text\n").unwrap();
    let out = stdout_of(&["verify"], &[&loose], 1);
    assert!(out.contains("bank01.work") && out.contains("bank"), "{out}");
    // A folder of unrecognised files, and an empty folder: rc 1 with a message.
    let junk = s.p("junk");
    std::fs::create_dir(&junk).unwrap();
    std::fs::write(junk.join("readme.txt"), [0xffu8, 0xfe, 0]).unwrap();
    let got = gk().arg("verify").arg(&junk).assert().code(1).get_output().clone();
    // The problem is a result (stdout), "not recognised" a note on stderr (issue 24).
    let (out, err) = (String::from_utf8(got.stdout).unwrap(), String::from_utf8(got.stderr).unwrap());
    assert!(err.contains("not recognised: ") && out.contains("nothing to check"), "{out}{err}");
    let empty = s.p("empty");
    std::fs::create_dir(&empty).unwrap();
    let out = stdout_of(&["verify"], &[&empty], 1);
    assert!(out.contains("the folder is empty"), "{out}");
    // A folder with good files and a stray file: the stray is listed, and the check passes.
    let mixed = s.p("mixed");
    std::fs::create_dir(&mixed).unwrap();
    std::fs::copy(s.p("song.track"), mixed.join("song.track")).unwrap();
    std::fs::write(mixed.join("readme.bin"), [0u8, 1, 2]).unwrap();
    // Notes and the summary are on stderr (issue 24).
    let err = gk().arg("verify").arg(&mixed).assert().code(0).get_output().stderr.clone();
    let err = String::from_utf8(err).unwrap();
    assert!(
        err.contains("not recognised: ") && err.contains("1 file checked, 0 problems, 1 file not recognised"),
        "{err}"
    );
    // --json carries the same lists.
    let v: serde_json::Value = serde_json::from_str(&stdout_of(&["verify", "--json"], &[&mixed], 0)).unwrap();
    assert_eq!(v["unrecognised"].as_array().unwrap().len(), 1);
    // --quiet keeps the problems and drops the summary.
    let q = stdout_of(&["verify", "--quiet"], &[&s.p("P")], 1);
    assert!(q.contains("bank02.work @0") && !q.contains("checked"), "{q}");
}

#[test]
fn convert_does_every_conversion_and_lists_them() {
    let s = Scene::new();
    let song = s.p("song.track");
    let wav = s.p("song.wav");
    gk().arg("convert").arg(&song).arg(&wav).assert().success();
    assert!(std::fs::read(&wav).unwrap().starts_with(b"RIFF"));
    let json = s.p("song.json");
    let out = stdout_of(&["convert", "--json"], &[&song, &json], 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["via"], "dump");
    assert_eq!(groovekit_core::doc::peek_kind(&std::fs::read_to_string(&json).unwrap()).as_deref(), Some("track-song"));
    gk().arg("convert")
        .arg(&song)
        .arg(s.p("song.mid"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no conversion from track to .mid"))
        .stderr(predicate::str::contains("opz -> .mid"))
        .stderr(predicate::str::contains("okt -> .wav"));
    // Any file -> YAML through dump: a bank.
    let y = s.p("bank.yaml");
    gk().arg("convert").arg(s.p("P/bank01.work")).arg(&y).assert().success();
    assert_eq!(std::fs::read_to_string(&y).unwrap().trim(), "kind: octatrack-bank\nversion: 3");
}

#[test]
fn render_summary_goes_to_stderr_json_to_stdout_and_quiet_silences_it() {
    let s = Scene::new();
    let song = s.p("song.track");
    let wav = s.p("r.wav");
    let a = gk().arg("render").arg(&song).arg("-o").arg(&wav).assert().success().get_output().clone();
    assert!(a.stdout.is_empty(), "{}", String::from_utf8_lossy(&a.stdout));
    let err = String::from_utf8_lossy(&a.stderr);
    assert!(err.contains("wrote ") && err.contains("2 voices") && err.contains("0 clipped samples"), "{err}");
    let v: serde_json::Value =
        serde_json::from_str(&stdout_of(&["render", "--json", "-o"], &[&wav, &song], 0)).unwrap();
    assert_eq!(v["voices"], 2);
    assert_eq!(v["rate"], 48_000);
    let q = gk().args(["--quiet", "render"]).arg(&song).arg("-o").arg(&wav).assert().success().get_output().clone();
    assert!(q.stdout.is_empty() && q.stderr.is_empty(), "{}", String::from_utf8_lossy(&q.stderr));
}

#[test]
fn counts_agree_in_number_and_names_are_the_clis() {
    let s = Scene::new();
    // One slice on a one-second WAV: "1 slice", and the modes spelt as the CLI takes them.
    let wav = s.p("loop.wav");
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 44_100,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(&wav, spec).unwrap();
    for i in 0..44_100 {
        w.write_sample(((i % 100) * 100) as i16).unwrap();
    }
    w.finalize().unwrap();
    let out = gk().args(["ot", "grid", "linear"]).arg(&wav).arg("1").assert().success().get_output().stdout.clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.starts_with("1 slice\n"), "{out}");
    let ot = s.p("loop.ot");
    let inspect = stdout_of(&["inspect"], &[&ot], 0);
    assert!(inspect.contains("1 slice"), "{inspect}");
    assert!(!inspect.contains("1 slices"), "{inspect}");
    assert!(!inspect.contains("PatternLength") && !inspect.contains("Off") && !inspect.contains("Normal"), "{inspect}");
    // ot grid --json: the table as JSON, nothing written with --dry-run.
    let out = gk()
        .args(["ot", "grid", "linear", "--json", "--dry-run"])
        .arg(&wav)
        .arg("4")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["slices"].as_array().unwrap().len(), 4);
    assert_eq!(v["dry_run"], true);
}

#[test]
fn readme_install_line_and_help_agree() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../README.md")).unwrap();
    assert!(readme.contains("cargo install --path crates/groovekit --locked"));
    // Every generic command README's table lists is one `--help` lists, and the other way round.
    let listed = subcommands(&[]);
    for c in ["inspect", "verify", "dump", "build", "render", "convert", "diff", "completions"] {
        assert!(listed.iter().any(|l| l == c), "--help lacks {c}");
        assert!(readme.contains(&format!("groovekit {c} ")), "README lacks `groovekit {c}`");
    }
    let help = String::from_utf8(gk().arg("--help").output().unwrap().stdout).unwrap();
    assert!(help.contains("--quiet"));
}
