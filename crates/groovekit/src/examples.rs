//! The examples at the end of every `--help` (issue 24): two or three command lines that work as
//! written, in one table so that every command gets them without touching its definition.
//!
//! A command that sets its own `#[command(after_help = "Examples:\n  groovekit ...")]` keeps it;
//! [`add`] fills in the others from [`EXAMPLES`]. The names are the README's (`MYSET/LIVE`,
//! `song.okta`, `projects/project01.opz`, ...): `tests/cli_walk.rs` builds a folder with those
//! files from the fixtures and runs every example of every command there, with and without
//! `--quiet`.

/// Examples by command path (`"ot copy-bank"`; `""` is `groovekit` itself), one line each.
pub const EXAMPLES: &[(&str, &[&str])] = &[
    (
        "",
        &["groovekit inspect MYSET/LIVE", "groovekit verify MYSET", "groovekit render examples/demo.track -o demo.wav"],
    ),
    (
        "inspect",
        &[
            "groovekit inspect MYSET/LIVE/bank01.work",
            "groovekit inspect MYSET/LIVE",
            "groovekit inspect song.okta --json",
        ],
    ),
    (
        "verify",
        &[
            "groovekit verify MYSET/LIVE/bank01.work",
            "groovekit verify --fix --dry-run MYSET/LIVE/bank01.work",
            "groovekit verify projects",
        ],
    ),
    ("dump", &["groovekit dump MYSET/LIVE/bank01.work -o bank01.yaml", "groovekit dump chain.ot --format json"]),
    ("build", &["groovekit dump chain.ot -o chain.yaml", "groovekit build chain.yaml -o chain.ot"]),
    (
        "render",
        &[
            "groovekit render examples/demo.track -o demo.wav",
            "groovekit render examples/demo.track -o demo.wav --rate 44100 --bits 24 --json",
        ],
    ),
    (
        "convert",
        &["groovekit convert projects/project01.opz song.mid", "groovekit convert MYSET/LIVE/bank01.work bank01.json"],
    ),
    (
        "diff",
        &["groovekit diff MYSET/OLD MYSET/LIVE", "groovekit diff MYSET/OLD/bank01.work MYSET/LIVE/bank01.work --json"],
    ),
    ("completions", &["groovekit completions bash > groovekit.bash", "groovekit completions zsh > _groovekit"]),
    ("ot", &["groovekit ot pattern MYSET/LIVE --bank A", "groovekit ot slots MYSET/LIVE --missing"]),
    ("ot new-project", &["groovekit ot new-project MYSET/NEWPROJ --dry-run", "groovekit ot new-project MYSET/NEWPROJ"]),
    (
        "ot chain",
        &[
            "groovekit ot chain drums -o chains/ kick.wav snare.wav hat.wav --loop on --dry-run",
            "groovekit ot chain drums -o chains/ kick.wav snare.wav hat.wav --bpm 120 --trig-quant 16",
        ],
    ),
    ("ot split", &["groovekit ot split chain.wav -o parts/ --dry-run", "groovekit ot split chain.wav -o parts/"]),
    ("ot grid", &["groovekit ot grid linear loop.wav 16", "groovekit ot grid random loop.wav 8 --seed 3 --dry-run"]),
    ("ot slices", &["groovekit ot slices chain.ot", "groovekit ot slices chain.ot --json"]),
    (
        "ot chain-preview",
        &[
            "groovekit ot chain-preview chain.wav -o chain.png",
            "groovekit ot chain-preview chain.wav -o chain.svg --width 800",
        ],
    ),
    ("ot find-audio", &["groovekit ot find-audio samples", "groovekit ot find-audio samples --unusable --json"]),
    (
        "ot pattern",
        &["groovekit ot pattern MYSET/LIVE --bank A", "groovekit ot pattern MYSET/LIVE --bank 1 --pattern 2 --json"],
    ),
    (
        "ot part",
        &[
            "groovekit ot part MYSET/LIVE --bank A --part 1",
            "groovekit ot part MYSET/LIVE --bank 1 --part 2 --saved --json",
        ],
    ),
    (
        "ot slots",
        &[
            "groovekit ot slots MYSET/LIVE",
            "groovekit ot slots MYSET/LIVE --bank A --pattern 1 --json",
            "groovekit ot slots MYSET/LIVE --missing",
        ],
    ),
    (
        "ot copy-bank",
        &[
            "groovekit ot copy-bank MYSET/OLD:A OTHERSET/LIVE:2 --dry-run",
            "groovekit ot copy-bank MYSET/OLD:1 OTHERSET/LIVE:2",
        ],
    ),
    (
        "ot restore",
        &[
            "groovekit ot copy-bank MYSET/OLD:1 OTHERSET/LIVE:3",
            "groovekit ot restore \"$(ls -d OTHERSET/LIVE/backups/* | tail -n 1)\"",
        ],
    ),
    (
        "ot purge-slots",
        &[
            "groovekit ot purge-slots MYSET/LIVE --dry-run",
            "groovekit ot purge-slots MYSET/LIVE --pool static --json --dry-run",
        ],
    ),
    (
        "ot purge-files",
        &["groovekit ot purge-files MYSET --dry-run", "groovekit ot purge-files MYSET/LIVE --json --dry-run"],
    ),
    (
        "ot collect",
        &["groovekit ot collect MYSET/LIVE --dry-run", "groovekit ot collect MYSET/LIVE --to-pool --dry-run"],
    ),
    ("ot dedupe", &["groovekit ot dedupe MYSET --dry-run", "groovekit ot dedupe MYSET --json"]),
    (
        "ot relink",
        &[
            "groovekit ot relink MYSET/LIVE --search samples --dry-run",
            "groovekit ot relink MYSET/LIVE --search samples",
        ],
    ),
    (
        "ot clear",
        &["groovekit ot clear MYSET/LIVE --bank A --patterns --dry-run", "groovekit ot clear MYSET/LIVE --bank 1"],
    ),
    (
        "ot copy-pattern",
        &[
            "groovekit ot copy-pattern MYSET/OLD:A:1 MYSET/LIVE:B:1 --with-part --dry-run",
            "groovekit ot copy-pattern MYSET/OLD:1:1 MYSET/LIVE:2:1",
        ],
    ),
    (
        "ot copy-part",
        &[
            "groovekit ot copy-part MYSET/OLD:1:2 OTHERSET/LIVE:1:4 --working-only --dry-run",
            "groovekit ot copy-part MYSET/OLD:A:1 OTHERSET/LIVE:A:1",
        ],
    ),
    (
        "ot copy-track",
        &[
            "groovekit ot copy-track MYSET/OLD:1:1:3 MYSET/LIVE:2:5:3 --steps --dry-run",
            "groovekit ot copy-track MYSET/OLD:A:1:1 MYSET/LIVE:B:1:1 --both",
        ],
    ),
    (
        "ot copy-slots",
        &[
            "groovekit ot copy-slots MYSET/OLD OTHERSET/LIVE --slots 33-36 --pool flex --dry-run",
            "groovekit ot copy-slots MYSET/OLD OTHERSET/LIVE --slots 33,35 --pool flex --to 100",
        ],
    ),
    ("ot zip", &["groovekit ot zip MYSET/LIVE -o LIVE.zip --dry-run", "groovekit ot zip MYSET/LIVE -o LIVE.zip"]),
    (
        "ot unzip",
        &[
            "groovekit ot zip MYSET/LIVE -o LIVE.zip",
            "groovekit ot unzip LIVE.zip NEWSET --dry-run",
            "groovekit ot unzip LIVE.zip NEWSET",
        ],
    ),
    (
        "opz",
        &[
            "groovekit opz pattern projects/project01.opz",
            "groovekit opz set-tempo projects/project01.opz 96 --dry-run",
        ],
    ),
    (
        "opz pattern",
        &[
            "groovekit opz pattern projects/project01.opz",
            "groovekit opz pattern projects/project01.opz --pattern 2 --svg p2.svg",
        ],
    ),
    (
        "opz set-tempo",
        &[
            "groovekit opz set-tempo projects/project01.opz 96 --dry-run",
            "groovekit opz set-tempo projects/project01.opz 96",
        ],
    ),
    (
        "opz chain",
        &[
            "groovekit opz chain set projects/project01.opz 1 1 2 3",
            "groovekit opz chain select projects/project01.opz none --dry-run",
        ],
    ),
    (
        "opz chain set",
        &[
            "groovekit opz chain set projects/project01.opz 1 1 2 3 --dry-run",
            "groovekit opz chain set projects/project01.opz 1,2 --chain 3",
        ],
    ),
    (
        "opz chain select",
        &[
            "groovekit opz chain select projects/project01.opz 2 --dry-run",
            "groovekit opz chain select projects/project01.opz none",
        ],
    ),
    (
        "opz copy-pattern",
        &[
            "groovekit opz copy-pattern projects/project01.opz:2 projects/project05.opz:7",
            "groovekit opz copy-pattern projects/project01.opz:1 projects/project01.opz:9 --dry-run",
        ],
    ),
    (
        "opz clear-pattern",
        &[
            "groovekit opz clear-pattern projects/project05.opz --pattern 7 --dry-run",
            "groovekit opz clear-pattern projects/project05.opz --pattern 7",
        ],
    ),
    (
        "opz add-note",
        &[
            "groovekit opz add-note projects/project05.opz --pattern 7 --track bass --step 1 C2",
            "groovekit opz add-note projects/project05.opz --pattern 7 --track kick --step 5 60 --velocity 90 --dry-run",
        ],
    ),
    (
        "opz import-midi",
        &[
            // A pattern out to a DAW and back: it fits the pattern it came from (a whole song
            // into one pattern, or a pattern into a shorter loop, does not: exit 1, each note
            // listed). Pattern 10 comes back note for note (tests/opz.rs).
            "groovekit convert projects/project01.opz pattern10.mid --option pattern=10",
            "groovekit opz import-midi pattern10.mid projects/project01.opz --pattern 10 --dry-run",
        ],
    ),
    (
        "opz kit",
        &[
            "groovekit opz kit build kick.wav snare.wav hat.wav -o kit.aif",
            "groovekit opz kit split kit.aif -o slices/",
        ],
    ),
    (
        "opz kit build",
        &[
            "groovekit opz kit build kick.wav snare.wav hat.wav -o kit.aif --dry-run",
            "groovekit opz kit build kick.wav snare.wav -o kit.aif --name drums",
        ],
    ),
    (
        "opz kit split",
        &[
            "groovekit opz kit build kick.wav snare.wav hat.wav -o kit.aif",
            "groovekit opz kit split kit.aif -o slices/",
        ],
    ),
    ("okt", &["groovekit okt trace song.okta --ticks 12", "groovekit okt samples song.okta -o okt-samples/"]),
    (
        "okt samples",
        &[
            "groovekit okt samples song.okta -o okt-samples/ --dry-run",
            "groovekit okt samples song.okta -o okt-samples/",
        ],
    ),
    (
        "okt trace",
        &["groovekit okt trace song.okta --ticks 12", "groovekit okt trace song.okta --from 1 --ticks 6 --json"],
    ),
    ("track", &["groovekit track check examples/demo.track", "groovekit track fmt examples/demo.track --check"]),
    (
        "track check",
        &["groovekit track check examples/demo.track", "groovekit track check examples/demo.track --strict --json"],
    ),
    (
        "track fmt",
        &["groovekit track fmt examples/demo.track --check", "groovekit track fmt examples/demo.track --dry-run"],
    ),
    (
        "track watch",
        &[
            "groovekit track watch examples/demo.track -o demo.wav",
            "groovekit track watch examples/demo.track -o demo.wav --rate 44100",
        ],
    ),
];

/// The `after_help` text of the command at `path`, from [`EXAMPLES`].
pub fn text(path: &str) -> Option<String> {
    let (_, lines) = EXAMPLES.iter().find(|(p, _)| *p == path)?;
    Some(format!("Examples:\n{}", lines.iter().map(|l| format!("  {l}")).collect::<Vec<_>>().join("\n")))
}

/// `cmd` (at `path`) and every subcommand under it, each with its examples unless it has its
/// own `after_help`.
pub fn add(mut cmd: clap::Command, path: &str) -> clap::Command {
    let names: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_string()).collect();
    for name in names {
        let sub = if path.is_empty() { name.clone() } else { format!("{path} {name}") };
        cmd = cmd.mut_subcommand(&name, |c| add(c, &sub));
    }
    if cmd.get_after_help().is_none()
        && let Some(t) = text(path)
    {
        cmd = cmd.after_help(t);
    }
    cmd
}
