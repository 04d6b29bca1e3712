//! Issue 24, "the first hour with groovekit": one test per item, run in the sandbox of the README
//! names (`support/sandbox.rs`). The README walk and the every-subcommand walk are in
//! readme_examples.rs and cli_walk.rs.

#[path = "support/sandbox.rs"]
mod sandbox;

use std::path::Path;

/// Runs `line` in `dir`: (exit code, stdout, stderr), stderr as one line with miette's frame
/// and wrapping taken out (its lines trimmed and joined by spaces), so a message matches whole.
fn run(dir: &Path, line: &str) -> (i32, String, String) {
    let out = sandbox::sh(dir, line);
    let err = String::from_utf8_lossy(&out.stderr);
    let flat = err
        .lines()
        .map(|l| l.trim_start().trim_start_matches(['×', '│', '╰', '─', '▶']).trim())
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stdout).into_owned(), flat)
}

#[test]
fn item_1_folders_where_users_point() {
    let Some(d) = sandbox::temp("item 1") else { return };
    let d = d.path();
    let (code, out, err) = run(d, "groovekit inspect MYSET/MYPROJECT");
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("project MYPROJECT (MYSET/MYPROJECT): OS 1.40B, tempo 126.125 BPM"), "{out}");
    assert!(
        out.contains("  bank 1 (A): patterns 1") && out.contains("sample slots in use: 13 flex, 13 static"),
        "{out}"
    );
    assert!(out.contains("problems: 22"), "22 files missing: {out}");
    let (code, out, _) = run(d, "groovekit inspect MYSET --json");
    assert_eq!(code, 0);
    assert!(out.contains("\"kind\": \"octatrack-set\""), "{out}");
    // A fresh project against the real one: every file pair by meaning, added files listed.
    run(d, "groovekit ot new-project MYSET/FRESH");
    let (code, out, err) = run(d, "groovekit diff MYSET/MYPROJECT MYSET/FRESH");
    assert_eq!(code, 1, "different: {err}");
    assert!(out.lines().any(|l| l == "added bank02.work"), "{out}");
    assert!(out.lines().any(|l| l.starts_with("project.work: ") && l.contains("tempo")), "{out}");
    assert!(out.lines().any(|l| l.starts_with("bank01.work: ")), "{out}");
    let (code, out, _) = run(d, "groovekit diff MYSET/LIVE MYSET/OLD");
    assert_eq!((code, out.trim()), (0, "no differences"));
    // A file where the folder belongs: one hint naming the folder, the path once, exit 2.
    let (code, _, err) = run(d, "groovekit ot pattern MYSET/MYPROJECT/bank01.work");
    assert_eq!(code, 2);
    assert!(err.contains("is an Octatrack bank file; give its project folder, MYSET/MYPROJECT"), "{err}");
    // miette may wrap a path after a `/`.
    let unwrapped = err.replace("/ ", "/");
    // The path once (issue 24 found it printed twice): the message quotes it, the hint names the folder.
    assert_eq!(unwrapped.matches("MYSET/MYPROJECT/bank01.work").count(), 1, "the value quoted once: {err}");
    let (code, _, err) = run(d, "groovekit ot slots MYSET/MYPROJECT/project.work");
    assert_eq!(code, 2);
    assert!(err.contains("is the project file; give its project folder, MYSET/MYPROJECT"), "{err}");
    assert!(!err.contains("Not a directory"), "{err}");
    let (code, _, err) = run(d, "groovekit diff MYSET/LIVE chain.ot");
    assert_eq!(code, 2, "diff trouble: {err}");
    assert!(err.contains("is a folder but chain.ot is a file"), "{err}");
}

#[test]
fn item_2_verify_of_a_set_answers_by_what_is_in_it() {
    let Some(d) = sandbox::temp("item 2") else { return };
    let d = d.path();
    run(d, "cp MYSET/MYPROJECT/bank01.work MYSET/MYPROJECT/bank01.work.bak");
    run(d, "mkdir -p MYSET/MYPROJECT/backups/x && cp MYSET/MYPROJECT/bank01.work MYSET/MYPROJECT/backups/x/");
    // MYSET/MYPROJECT alone in a Set with an empty AUDIO, then without AUDIO.
    run(d, "mkdir -p ONE/AUDIO && cp -r MYSET/MYPROJECT ONE/");
    let (code, with, err_with) = run(d, "groovekit verify -v ONE");
    assert_eq!(code, 1);
    run(d, "rmdir ONE/AUDIO");
    let (code, without, err_without) = run(d, "groovekit verify -v ONE");
    assert_eq!(code, 1);
    assert_eq!(with, without, "the same findings with or without AUDIO/");
    assert!(!with.contains(".bak") && !with.contains("backups"), "backups are not project files: {with}");
    assert_eq!(with.lines().filter(|l| l.contains(": missing ")).count(), 22, "{with}");
    assert!(err_with.contains("5 files checked, 48 problems"), "{err_with}");
    assert!(err_without.contains("5 files checked, 48 problems, 1 warning, 1 note"), "{err_without}");
    assert!(err_without.contains("no AUDIO folder"), "{err_without}");
    // OP-Z: the device's config/*.json are recognised.
    let (code, out, err) = run(d, "groovekit verify -v projects");
    assert_eq!(code, 0, "{out}{err}");
    for name in ["general", "midi", "dmx"] {
        assert!(out.contains(&format!("ok: projects/config/{name}.json (opz-config)")), "{out}");
    }
    assert!(!err.contains("not recognised"), "{err}");
}

#[test]
fn item_3_quiet_and_the_stdout_stderr_split() {
    let Some(d) = sandbox::temp("item 3") else { return };
    let d = d.path();
    let (code, out, err) = run(d, "groovekit -q ot copy-slots MYSET/OLD OTHERSET/LIVE --slots 33-36 --pool flex");
    assert_eq!(code, 0, "{err}");
    assert_eq!((out.as_str(), err.as_str()), ("", ""), "a real copy with -q prints nothing");
    let (_, out, err) = run(d, "groovekit ot copy-slots MYSET/OLD OTHERSET/LIVE --slots 40 --pool flex");
    assert!(out.is_empty() && err.contains("copied: MYSET/OLD"), "the summary is on stderr: {out} / {err}");
    let (code, out, err) = run(d, "groovekit -q ot new-project MYSET/NEW");
    assert_eq!((code, out.as_str(), err.as_str()), (0, "", ""));
    let (_, out, _) = run(d, "groovekit ot new-project MYSET/NEW2 --dry-run -q");
    assert_eq!(out.lines().filter(|l| l.starts_with("would write ")).count(), 26, "a dry run's plan is its result");
    let (code, out, err) = run(d, "groovekit verify MYSET/NEW");
    assert_eq!((code, out.as_str()), (0, ""), "no problem, no result line");
    assert!(err.contains("26 files checked, 0 problems"), "{err}");
    let (_, _, err) = run(d, "groovekit -q verify MYSET/NEW");
    assert_eq!(err, "");
}

#[test]
fn item_4_banks_as_letters_and_out_of_range_exits_2() {
    let Some(d) = sandbox::temp("item 4") else { return };
    let d = d.path();
    let (code, a, _) = run(d, "groovekit ot part MYSET/LIVE --bank A --part 1");
    let (_, one, _) = run(d, "groovekit ot part MYSET/LIVE --bank 1 --part 1");
    assert_eq!((code, &a), (0, &one));
    for (line, piece) in [
        ("groovekit ot slots MYSET/LIVE --bank 0", "0 is outside 1-16"),
        ("groovekit opz add-note projects/project05.opz --pattern 1 --track bas --step 1 C2", "`bas` is not a track"),
        ("groovekit opz chain set projects/project01.opz 1 17", "17 is outside 1-16"),
        ("groovekit opz add-note projects/project05.opz --pattern 1 --track bass --step 1 C2 --micro 99", "-96 to 95"),
    ] {
        let (code, _, err) = run(d, line);
        assert_eq!(code, 2, "{line}: {err}");
        assert!(err.contains(piece), "{line}: {err}");
    }
}

#[test]
fn item_5_the_wrong_kind_of_file_gets_the_command_that_fits() {
    let Some(d) = sandbox::temp("item 5") else { return };
    let d = d.path();
    let (code, _, err) = run(d, "groovekit opz pattern MYSET/LIVE/bank01.work");
    assert_eq!(code, 1);
    assert!(err.contains("is an Octatrack bank: try `groovekit ot pattern MYSET/LIVE --bank 1`"), "{err}");
    let (code, _, err) = run(d, "groovekit ot chain-preview chain.ot -o x.png");
    assert_eq!(code, 2);
    assert!(err.contains("chain.ot is the .ot (sample settings), not the audio: give chain.wav"), "{err}");
    let (code, _, err) = run(d, "groovekit ot chain-preview kick.wav -o x.png");
    assert_eq!(code, 1);
    assert!(err.contains("kick.wav has no .ot") && err.contains("groovekit ot grid"), "{err}");
    // build refuses a kind over a file of another kind unless --force, as dump -o does.
    run(d, "groovekit dump MYSET/LIVE/bank01.work -o bank01.yaml");
    let before = std::fs::read(d.join("song.okta")).unwrap();
    let (code, _, err) = run(d, "groovekit build bank01.yaml -o song.okta");
    assert_eq!(code, 1);
    assert!(err.contains("song.okta is an Oktalyzer module") && err.contains("--force"), "{err}");
    assert_eq!(std::fs::read(d.join("song.okta")).unwrap(), before, "refused: nothing written");
    let (code, _, err) = run(d, "groovekit build bank01.yaml -o song.okta --force");
    assert_eq!(code, 0, "{err}");
    assert!(d.join("song.okta.bak").exists());
    let (code, _, _) = run(d, "groovekit build bank01.yaml -o MYSET/OLD/bank01.work");
    assert_eq!(code, 0, "a bank over a bank needs no --force");
}

#[test]
fn item_6_help_that_teaches() {
    let Some(d) = sandbox::temp("item 6") else { return };
    let d = d.path();
    let (_, help, _) = run(d, "groovekit ot chain --help");
    assert!(help.contains("normal (also written `on`)"), "{help}");
    assert!(help.contains("--max-audio-mb"), "ot chain decodes audio");
    let (_, help, _) = run(d, "groovekit ot slots --help");
    assert!(!help.contains("--max-audio-mb"), "{help}");
    // ot pattern and opz pattern both default to pattern 1.
    let (code, a, _) = run(d, "groovekit ot pattern MYSET/LIVE --bank 1");
    let (_, b, _) = run(d, "groovekit ot pattern MYSET/LIVE --bank 1 --pattern 1");
    assert_eq!((code, &a), (0, &b));
}

#[test]
fn item_7_plans_that_read_well() {
    let Some(d) = sandbox::temp("item 7") else { return };
    let d = d.path();
    let (code, out, _) = run(d, "groovekit ot copy-bank MYSET/OLD:1 OTHERSET/LIVE:2 --to-pool --dry-run");
    assert_eq!(code, 0);
    assert!(!out.contains("empty in the source: an empty slot"), "{out}");
    assert!(!out.contains("/../"), "paths are normalised: {out}");
    let copied: Vec<&str> = out
        .lines()
        .filter_map(|l| l.trim().strip_prefix("would copy "))
        .filter_map(|l| l.split(" -> ").nth(1))
        .collect();
    assert!(!copied.is_empty(), "{out}");
    for c in copied {
        assert!(!out.lines().any(|l| l.trim() == format!("would write {c}")), "{c} listed twice: {out}");
    }
    // relink that finds nothing exits 1.
    let (code, _, err) = run(d, "mkdir -p empty && groovekit ot relink MYSET/MYPROJECT --search empty");
    assert_eq!(code, 0, "MYSET/MYPROJECT's samples are all in MYSET/AUDIO: nothing to do: {err}");
    let (code, _, err) = run(d, "groovekit ot relink MYPROJECT --search empty");
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("none of the 26 missing samples was found"), "{err}");
    // zip says it adds blank banks.
    let (_, _, err) = run(d, "groovekit ot zip MYSET/MYPROJECT -o x.zip");
    assert!(err.contains("note: 22 files the project folder lacks added as blank: bank02.work"), "{err}");
    // diff of .ot files reads as slices.
    let (code, out, _) = run(d, "groovekit diff a.ot b.ot");
    assert_eq!(code, 1);
    assert!(out.lines().any(|l| l.starts_with("slice 9: added ")), "{out}");
    assert!(!out.contains('{'), "not JSON: {out}");
    // restore of a missing backup lists the backups.
    run(d, "groovekit ot copy-bank MYSET/OLD:1 OTHERSET/LIVE:3");
    let (code, _, err) = run(d, "groovekit ot restore OTHERSET/LIVE/backups/nope");
    assert_eq!(code, 1);
    assert!(err.contains("no such backup; OTHERSET/LIVE/backups holds: ") && err.contains("-copy-bank"), "{err}");
    // find-audio counts every file it looked at.
    let (_, _, err) = run(d, "groovekit ot find-audio MYSET --unusable");
    assert!(err.contains("35 audio files looked at, 35 usable"), "{err}");
    // verify --fix --dry-run says what would be fixed.
    run(d, "printf '\\001' | dd of=MYSET/LIVE/bank02.work bs=1 seek=1000 conv=notrunc 2>/dev/null");
    let (code, out, err) = run(d, "groovekit verify --fix --dry-run MYSET/LIVE/bank02.work");
    assert_eq!(code, 1);
    assert!(out.contains("would be repaired") && err.contains("1 would be fixed"), "{out}{err}");
    // verify's missing-sample lines show the path looked at without `name/..` steps.
    let (code, out, err) = run(d, "groovekit verify MYPROJECT");
    assert_eq!(code, 1);
    let all = format!("{out}{err}");
    assert!(all.contains("(looked for AUDIO/"), "{all}");
    assert!(!all.contains("/../"), "{all}");
}

#[test]
fn item_8_the_demo_and_the_note_rule_agree() {
    let Some(d) = sandbox::temp("item 8") else { return };
    let (code, _, err) = run(d.path(), "groovekit track check examples/demo.track --strict");
    assert_eq!(code, 0);
    assert!(!err.contains("NOTE_"), "NOTE_* need no SAMPLE line: {err}");
    assert!(err.contains("0 errors, 0 warnings"), "{err}");
}
