//! Every README example runs as written (issue 24), so README and tool cannot drift apart.
//!
//! Shell blocks marked runnable (an `<!-- runnable -->` line right before the ```sh fence; see
//! DEVELOPERS.md) are run in order, line by line (`\` continues a line), with `sh` in one sandbox
//! made from the fixtures (`support/sandbox.rs`: `MYSET/LIVE`, `song.okta`, ...). Each line has
//! an expectation in [`EXPECTED`]: its exit code and a piece of one line of its output (stdout or
//! stderr). A runnable README line without an expectation fails, and so does an expectation whose
//! line is no longer in the README. `GROOVEKIT_README_REPORT=1` prints what every line did, for
//! writing expectations.

#[path = "support/sandbox.rs"]
mod sandbox;

/// (README line, exit code, a piece of one output line; `""`: the line prints nothing).
const EXPECTED: &[(&str, i32, &str)] = &[
    // Banks, arrangements and markers.
    ("groovekit inspect MYPROJECT/bank01.work", 0, "pattern"),
    ("groovekit inspect MYPROJECT/arr01.work --json", 0, "\"kind\""),
    ("groovekit inspect MYPROJECT/markers.work", 0, "flex 33: trim"),
    ("groovekit verify --fix MYPROJECT/bank01.work", 0, "1 file checked, 0 problems"),
    ("groovekit dump MYPROJECT/bank01.work > bank01.yaml", 0, ""),
    ("groovekit build bank01.yaml -o MYPROJECT/bank01.work", 0, "MYPROJECT/bank01.work.bak"),
    ("groovekit diff OLD/bank01.work NEW/bank01.work", 0, "no differences"),
    // Projects and folders.
    ("groovekit ot new-project MYSET/NEWPROJ --dry-run", 0, "would write MYSET/NEWPROJ/project.work"),
    ("groovekit ot new-project MYSET/NEWPROJ", 0, "wrote MYSET/NEWPROJ/bank01.work"),
    ("groovekit ot new-project MYSET/NEWPROJ --force", 0, "backed up"),
    ("groovekit inspect MYSET/NEWPROJ/project.work", 0, "tempo: 120 BPM"),
    ("groovekit inspect MYSET/NEWPROJ/project.work --json", 0, "\"tempo_bpm\": 120"),
    ("groovekit verify MYSET/NEWPROJ/project.work", 0, "1 file checked, 0 problems"),
    ("groovekit verify MYSET/NEWPROJ", 0, "26 files checked, 0 problems"),
    ("groovekit verify MYSET", 1, "problem: MYSET/MYPROJECT/bank02.work: missing bank02.work"),
    ("groovekit inspect MYSET/NEWPROJ", 0, "sample slots in use: 0 flex, 0 static"),
    ("groovekit inspect MYSET", 0, "Octatrack Set (MYSET): 4 projects, AUDIO: 35 audio files"),
    ("groovekit dump MYSET/NEWPROJ/project.work -o project.yaml", 0, ""),
    ("groovekit build project.yaml -o MYSET/NEWPROJ/project.work", 0, "MYSET/NEWPROJ/project.work.bak"),
    ("groovekit diff OLD/project.work MYSET/NEWPROJ/project.work", 1, "tempo"),
    ("groovekit diff OLD MYSET/NEWPROJ", 1, "added bank02.work"),
    // Patterns and parts.
    ("groovekit ot pattern MYPROJECT --bank A", 0, "bank 1 pattern 1"),
    ("groovekit ot pattern MYPROJECT --bank 1 --pattern 2 --svg grid.svg --json", 0, "\"pattern\": 2"),
    ("groovekit ot part MYPROJECT --bank 1 --part 1", 0, "part 1"),
    // Project operations.
    (
        "groovekit ot slots MYSET/LIVE",
        0,
        "flex  33  ../AUDIO/Loopmasters/Loops/Drum & Bass/Music Loops/JM_172_D_Atmos.wav",
    ),
    ("groovekit ot slots MYSET/LIVE --bank 2 --pattern 5 --json", 0, "\"slots\""),
    (
        "groovekit ot slots MYSET/LIVE --unused",
        0,
        "flex  35  ../AUDIO/Loopmasters/Loops/Drum & Bass/Music Loops/KAS_170_G_PAD_15.wav",
    ),
    ("groovekit ot slots MYSET/LIVE --missing", 0, ""),
    ("groovekit ot copy-bank MYSET/OLD:3 MYSET/LIVE:7 --dry-run", 0, "plan: MYSET/OLD bank 3 -> MYSET/LIVE bank 7"),
    ("groovekit ot copy-bank MYSET/OLD:3 OTHERSET/LIVE:7 --to-pool --also-strd", 0, "copied: MYSET/OLD bank 3"),
    ("groovekit ot copy-bank --config copies.yaml", 0, "copied: "),
    (
        "groovekit ot restore \"$(ls -d OTHERSET/LIVE/backups/*-copy-bank | tail -n 1)\"",
        0,
        "restored OTHERSET/LIVE/project.work",
    ),
    ("groovekit ot copy-pattern MYSET/OLD:A:3 MYSET/LIVE:B:1 --with-part", 0, "copied: MYSET/OLD"),
    ("groovekit ot copy-part MYSET/OLD:1:2 OTHERSET/LIVE:1:4 --working-only", 0, "copied: MYSET/OLD"),
    ("groovekit ot copy-track MYSET/OLD:1:1:3 MYSET/LIVE:2:5:3 --steps", 0, "copied: MYSET/OLD"),
    (
        "groovekit ot copy-slots MYSET/OLD OTHERSET/LIVE --slots 33-36,40 --pool flex --to 100 --dry-run",
        0,
        "plan: MYSET/OLD",
    ),
    // Clean-up.
    ("groovekit ot purge-slots MYSET/LIVE --dry-run", 0, "purge-slots"),
    ("groovekit ot purge-slots MYSET/LIVE --pool static", 0, "purge-slots"),
    ("groovekit ot purge-files MYSET", 0, "purge-files"),
    ("groovekit ot purge-files MYSET/LIVE --json", 0, "\"operation\": \"purge-files\""),
    ("groovekit ot collect MYSET/LIVE", 0, "collect"),
    ("groovekit ot collect MYSET/LIVE --to-pool", 0, "collect"),
    ("groovekit ot dedupe MYSET", 0, "dedupe"),
    ("groovekit ot relink MYPROJECT --search samples", 0, "-> ../samples/JM_172_D_Atmos.wav"),
    ("groovekit ot clear MYSET/LIVE --bank 3 --patterns", 0, "clear"),
    // Zip.
    ("groovekit ot zip MYSET/LIVE -o LIVE.zip", 0, "LIVE/project.work"),
    ("groovekit ot unzip LIVE.zip NEWSET --dry-run", 0, "would create NEWSET/LIVE/project.work"),
    // .ot files.
    ("groovekit inspect chain.ot", 0, "slice"),
    ("groovekit dump chain.ot > chain.yaml", 0, ""),
    ("groovekit build chain.yaml -o chain.ot", 0, "chain.ot.bak"),
    ("groovekit verify --fix chain.ot", 0, "1 file checked, 0 problems"),
    ("groovekit diff a.ot b.ot", 1, "slice 9: added"),
    // Chains and slices.
    (
        "groovekit ot chain drums -o chains/ kick.wav snare.wav hats/*.wav --bpm 120 --trig-quant 16",
        0,
        "chains/drums.wav",
    ),
    ("groovekit ot chain --config chains.yaml", 0, "chains/hats.wav"),
    ("groovekit ot split chains/drums.wav -o parts/", 0, "slice  1: parts/drums-01.wav"),
    ("groovekit ot grid linear loop.wav 16", 0, "16 slices"),
    ("groovekit ot grid random loop.wav 8 --seed 3", 0, "8 slices"),
    ("groovekit ot slices chains/drums.ot --json", 0, "\"slice\": 12"),
    ("groovekit ot chain-preview chains/drums.wav -o drums.png", 0, "wrote drums.png (12 slices)"),
    ("groovekit ot find-audio samples --unusable", 0, "2 audio files looked at, 2 usable on the Octatrack, 0 not"),
    // OP-Z.
    ("groovekit inspect projects/project01.opz", 0, "tempo"),
    ("groovekit verify projects", 0, "checked"),
    ("groovekit diff projects/project01.opz projects/project01f.opz", 1, "pattern"),
    ("groovekit dump projects/project01.opz > p01.yaml", 0, ""),
    ("groovekit build p01.yaml -o projects/project01.opz", 0, "projects/project01.opz.bak"),
    ("groovekit opz pattern projects/project01.opz --pattern 2 --svg p2.svg", 0, "pattern 2"),
    ("groovekit opz set-tempo projects/project01.opz 96 --dry-run", 0, "dry run: would set the tempo to 96 BPM"),
    ("groovekit opz chain set projects/project01.opz 1 1 2 3", 0, "set chain 16 to 1 1 2 3"),
    ("groovekit opz copy-pattern projects/project01.opz:2 projects/project05.opz:7", 0, "copy pattern 2"),
    ("groovekit opz clear-pattern projects/project05.opz --pattern 7", 0, "clear pattern 7"),
    (
        "groovekit opz add-note projects/project05.opz --pattern 7 --track bass --step 1 C2 --length 6144 --micro -8",
        0,
        "add C2",
    ),
    ("groovekit convert projects/project01.opz song.mid", 0, "wrote song.mid"),
    ("groovekit inspect samplepacks/1-kick/01/kit.aif", 0, "slice"),
    ("groovekit opz kit build kick.wav snare.wav hat.wav -o kit.aif", 0, "wrote kit.aif: 3 slices"),
    ("groovekit opz kit split kit.aif -o slices/", 0, "3 slices written to slices/"),
    ("groovekit dump kit.aif -o kit.yaml", 0, ""),
    ("groovekit build kit.yaml -o kit.aif", 0, "kit.aif.bak"),
    // Oktalyzer.
    ("groovekit inspect song.okta", 0, "samples"),
    ("groovekit verify song.okta", 0, "1 file checked"),
    ("groovekit dump song.okta -o song.yaml", 0, ""),
    ("groovekit build song.yaml -o copy.okta", 0, ""),
    ("groovekit render song.okta -o song.wav", 0, "rendered"),
    (
        "groovekit render song.okta -o mono.wav --rate 44100 --channels 1 --interpolation sinc --stereo-separation 60 --loops 2 --mute 3 --compat openmpt",
        0,
        "rendered",
    ),
    ("groovekit okt samples song.okta -o samples/", 0, "samples written to samples"),
    ("groovekit okt trace song.okta --from 4 --ticks 48 --json", 0, "\"order\""),
    // .track.
    ("groovekit render examples/demo.track -o demo.wav", 0, "wrote "),
    ("groovekit render examples/demo.track -o demo.wav --rate 44100 --bits 24 --normalize", 0, "24-bit"),
    ("groovekit render examples/demo.track -o demo.wav --assets examples/assets --strict", 0, "wrote "),
    ("groovekit track check examples/demo.track", 0, "0 errors"),
    // NOTE_* need no declaration, so --strict has nothing to warn about in the demo (issue 24).
    ("groovekit track check examples/demo.track --strict --json", 0, "\"warnings\": 0"),
    ("groovekit track fmt examples/demo.track --check", 0, "formatted"),
    ("groovekit track fmt examples/demo.track --dry-run", 0, "BPM"),
    ("groovekit track fmt examples/demo.track", 0, "already formatted"),
    ("groovekit inspect examples/demo.track --json", 0, "\"patterns\""),
];

/// The command lines of the runnable shell blocks, in order (comments and blank lines left out,
/// `\` continuations joined).
fn runnable_lines(readme: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut lines = readme.lines().peekable();
    while let Some(l) = lines.next() {
        if l.trim() != "<!-- runnable -->" {
            continue;
        }
        assert_eq!(
            lines.next().map(str::trim),
            Some("```sh"),
            "<!-- runnable --> must come right before a ```sh fence"
        );
        let mut pending = String::new();
        for l in lines.by_ref() {
            if l.trim_start().starts_with("```") {
                break;
            }
            let code = l.trim();
            if code.is_empty() || code.starts_with('#') {
                continue;
            }
            match code.strip_suffix('\\') {
                Some(head) => pending.push_str(head),
                None => {
                    pending.push_str(code);
                    out.push(std::mem::take(&mut pending));
                }
            }
        }
    }
    out
}

/// `line` without its trailing `# comment` and with runs of spaces made one.
fn command_of(line: &str) -> String {
    let mut cmd = line.to_string();
    // A comment starts at ` #` outside quotes (no README command quotes a `#`).
    if let Some(i) = cmd.find(" #") {
        cmd.truncate(i);
    }
    cmd.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn every_runnable_readme_line_runs_as_written() {
    let Some(fixtures) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "README examples")
    else {
        return;
    };
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md")).unwrap();
    let lines: Vec<String> = runnable_lines(&readme).iter().map(|l| command_of(l)).collect();
    assert!(lines.len() > 60, "only {} runnable README lines found", lines.len());
    let report = std::env::var_os("GROOVEKIT_README_REPORT").is_some();
    let dir = tempfile::tempdir().unwrap();
    sandbox::make(&fixtures, dir.path());
    let mut failures = Vec::new();
    for line in &lines {
        let out = sandbox::sh(dir.path(), line);
        let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        let code = out.status.code().unwrap_or(-1);
        if report {
            eprintln!("{code} | {line}\n    {}", text.lines().take(3).collect::<Vec<_>>().join("\n    "));
        }
        match EXPECTED.iter().find(|(l, _, _)| l == line) {
            None => failures.push(format!("README line without an expectation in EXPECTED: {line}")),
            Some((_, want, piece)) => {
                if code != *want {
                    failures.push(format!("`{line}` exited {code}, README promises {want}:\n{text}"));
                } else if piece.is_empty() && !text.trim().is_empty() {
                    failures.push(format!("`{line}` should print nothing, printed:\n{text}"));
                } else if !piece.is_empty() && !text.lines().any(|l| l.contains(piece)) {
                    failures.push(format!("`{line}`: no output line contains {piece:?}:\n{text}"));
                }
                if text.contains("panicked") {
                    failures.push(format!("`{line}` panicked:\n{text}"));
                }
            }
        }
    }
    for (l, _, _) in EXPECTED {
        if !lines.iter().any(|x| x == l) {
            failures.push(format!("expectation for a line the README no longer has: {l}"));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n\n{}", failures.len(), failures.join("\n\n"));
}
