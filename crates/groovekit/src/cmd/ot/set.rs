//! `groovekit ot set` and `groovekit ot usage`: a Set at a glance and where one file is used. The
//! work is in `groovekit_octatrack::ops::set_index`; this module parses arguments and prints.

use std::path::PathBuf;

use groovekit_octatrack::ops::set_index::{FileEntry, FileUse, SetIndex, set_of};
use groovekit_octatrack::ops::slots::describe_use;
use miette::miette;
use serde_json::json;

use crate::cmd::{Outcome, args};

/// `groovekit ot` subcommands of this area.
#[derive(Debug, clap::Subcommand)]
pub enum SetCommand {
    /// A whole Set: projects (tempo, banks and patterns with trigs, parts, arrangements, what a
    /// RELOAD would drop), audio files (format, whether the Octatrack can play them) with the slots
    /// that use them, missing files, files nothing uses. Exit 1 when a project cannot be read.
    #[command(after_help = "Examples:\n  groovekit ot set MYSET\n  groovekit ot set MYSET --unplayable\n  \
                            groovekit ot set MYSET --missing --json")]
    Set {
        /// The Set folder (AUDIO beside project folders), or one project folder.
        set: PathBuf,
        /// Only files no slot uses.
        #[arg(long, conflicts_with_all = ["missing", "unplayable", "duplicates"])]
        unused: bool,
        /// Only paths slots point at that do not exist (exit 1 when there are any).
        #[arg(long, conflicts_with_all = ["unplayable", "duplicates"])]
        missing: bool,
        /// Only files the Octatrack cannot play, and why.
        #[arg(long, conflicts_with = "duplicates")]
        unplayable: bool,
        /// Only groups of files with identical bytes (reads the files whose sizes agree).
        #[arg(long)]
        duplicates: bool,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Where one audio file is used in its Set: every project, slot, part and sample lock.
    #[command(after_help = "Examples:\n  groovekit ot usage MYSET/AUDIO/kick.wav\n  \
                            groovekit ot usage kick.wav --set MYSET --json")]
    Usage {
        /// The audio file (it may be missing: slots that point at it are still listed).
        file: PathBuf,
        /// The Set (default: the nearest folder above the file holding AUDIO and a project).
        #[arg(long)]
        set: Option<PathBuf>,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
}

fn open(dir: &std::path::Path) -> miette::Result<SetIndex> {
    let bar = crate::progress::spinner("indexing the Set");
    let index = SetIndex::open(dir).map_err(|e| miette!("{e}"));
    bar.finish_and_clear();
    index
}

fn print_json(v: &impl serde::Serialize) -> miette::Result<()> {
    println!("{}", serde_json::to_string_pretty(v).map_err(|e| miette!("{e}"))?);
    Ok(())
}

fn file_line(f: &FileEntry) -> String {
    let a = &f.audio;
    let what = match (&a.format, a.sample_rate, a.bits, a.channels) {
        (Some(fmt), Some(rate), Some(bits), Some(ch)) => format!("{fmt} {rate} Hz {bits}-bit {ch} ch"),
        _ => "unreadable".into(),
    };
    let uses: usize = f.slots.len();
    format!(
        "{}  {what}  {}  {}",
        f.name,
        if a.usable { "playable".to_string() } else { format!("NOT PLAYABLE: {}", a.reasons.join("; ")) },
        if uses == 0 { "unused".to_string() } else { args::count(uses, "slot") }
    )
}

fn slot_lines(slots: &[FileUse]) {
    for s in slots {
        println!("  {} {} slot {}", s.project, s.slot_type.describe(), s.slot);
        for u in &s.uses {
            println!("    {}{}", describe_use(u), if u.at.audible { "" } else { " (silent)" });
        }
    }
}

/// Runs a command of this area.
pub fn run(command: SetCommand) -> miette::Result<Outcome> {
    match command {
        SetCommand::Set { set, unused, missing, unplayable, duplicates, json } => {
            let index = open(&set)?;
            if duplicates {
                let groups = index.duplicates().map_err(|e| miette!("{e}"))?;
                if json {
                    let v: Vec<Vec<&str>> =
                        groups.iter().map(|g| g.iter().map(|f| f.name.as_str()).collect()).collect();
                    return print_json(&v).map(|()| Outcome::Ok);
                }
                for g in &groups {
                    println!("{}", g.iter().map(|f| f.name.as_str()).collect::<Vec<_>>().join("  ==  "));
                }
                if !crate::cmd::quiet() {
                    eprintln!("{} of identical files", args::count(groups.len(), "group"));
                }
                return Ok(Outcome::Ok);
            }
            if missing {
                if json {
                    return print_json(&index.missing).map(|()| Outcome::Ok);
                }
                for m in &index.missing {
                    println!("{}", m.name);
                    slot_lines(&m.slots);
                }
                if !crate::cmd::quiet() {
                    eprintln!("{} missing", args::count(index.missing.len(), "file"));
                }
                return Ok(if index.missing.is_empty() { Outcome::Ok } else { Outcome::Failed });
            }
            if unused || unplayable {
                let list: Vec<&FileEntry> =
                    if unused { index.unused().collect() } else { index.unplayable().collect() };
                if json {
                    return print_json(&list).map(|()| Outcome::Ok);
                }
                for f in &list {
                    println!("{}", file_line(f));
                }
                if !crate::cmd::quiet() {
                    eprintln!("{} {}", args::count(list.len(), "file"), if unused { "unused" } else { "not playable" });
                }
                return Ok(Outcome::Ok);
            }
            if json {
                return print_json(&index).map(|()| Outcome::Ok);
            }
            println!("Set {}", index.root.display());
            for p in &index.projects {
                let tempo = p.tempo.map(|t| format!("{t} BPM")).unwrap_or_else(|| "tempo ?".into());
                println!("project {}  {tempo}  {}", p.name, args::count(p.slots, "slot"));
                let blank = p.banks.iter().filter(|b| b.patterns.is_empty() && b.reload_drops.is_empty()).count();
                if blank > 0 {
                    println!("  {} without trigs", args::count(blank, "bank"));
                }
                for b in p.banks.iter().filter(|b| !b.patterns.is_empty() || !b.reload_drops.is_empty()) {
                    let pats: Vec<String> = b.patterns.iter().map(u8::to_string).collect();
                    let parts: Vec<String> = b.parts.iter().map(u8::to_string).collect();
                    println!(
                        "  bank {:>2}: patterns with trigs [{}], parts [{}]{}",
                        b.bank,
                        pats.join(" "),
                        parts.join(" "),
                        if b.reload_drops.is_empty() {
                            String::new()
                        } else {
                            format!("; RELOAD would put back {}", b.reload_drops.join(", "))
                        }
                    );
                }
                for a in &p.arrangements {
                    println!("  arrangement {} {:?}: {}", a.arrangement, a.name, args::count(a.rows, "row"));
                }
                for problem in &p.problems {
                    println!("  problem: {problem}");
                }
            }
            let unusable = index.unplayable().count();
            let unused_n = index.unused().count();
            let size: u64 = index.files.iter().map(|f| f.size).sum();
            println!(
                "{} ({:.1} MB): {} not playable, {} unused; {} missing",
                args::count(index.files.len(), "audio file"),
                size as f64 / 1e6,
                unusable,
                unused_n,
                args::count(index.missing.len(), "file"),
            );
            let problems = index.projects.iter().map(|p| p.problems.len()).sum::<usize>();
            Ok(if problems == 0 { Outcome::Ok } else { Outcome::Failed })
        }
        SetCommand::Usage { file, set, json } => {
            let set = match set {
                Some(s) => s,
                None => set_of(&file).ok_or_else(|| {
                    args::usage(format!(
                        "{}: no Set or project folder above it; name the Set with --set",
                        file.display()
                    ))
                })?,
            };
            let index = open(&set)?;
            let target = groovekit_octatrack::ops::project_dir::normalize(&file);
            let (name, slots, entry) = if let Some(f) = index.file(&target) {
                (f.name.clone(), f.slots.clone(), Some(f))
            } else if let Some(m) = index.missing.iter().find(|m| m.path == target) {
                (m.name.clone(), m.slots.clone(), None)
            } else {
                (target.display().to_string(), Vec::new(), None)
            };
            if json {
                return print_json(&json!({
                    "file": name,
                    "exists": target.is_file(),
                    "audio": entry.map(|f| &f.audio),
                    "slots": slots,
                }))
                .map(|()| Outcome::Ok);
            }
            match entry {
                Some(f) => println!("{}", file_line(f)),
                None => println!("{name}{}", if target.is_file() { "" } else { "  (missing)" }),
            }
            slot_lines(&slots);
            if slots.is_empty() && !crate::cmd::quiet() {
                eprintln!("no slot of any project in {} uses it", index.root.display());
            }
            Ok(Outcome::Ok)
        }
    }
}
