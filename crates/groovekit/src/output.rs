//! The command line's side of the write layer (`groovekit_core::fs`): one write path for every
//! command.
//!
//! At start ([`start`]): every transaction of the process keeps a backup of any file it replaces
//! (`NAME.bak`, issue 12; outputs groovekit can make again keep at most one, replaced each time,
//! and none with `--no-backup`, issue 23), `--dry-run` anywhere on the command line makes every write of the
//! process a plan (so no command can write when asked not to, even through library code), and
//! the folders named on the command line are recovered (an interrupted write of an earlier run
//! is finished or undone, with a note). At the end ([`finish`]): the plans of a dry run, the
//! backups made and the recoveries are printed on stderr, the plans of a dry run (its result) on
//! stdout.

use std::path::{Path, PathBuf};

use groovekit_core::fs::{IfExists, Report};
use miette::miette;

/// Whether `--dry-run` is among the arguments (before a `--`). clap has already accepted the
/// command line, so the flag is one the command declares.
fn dry_run_requested() -> bool {
    std::env::args_os().skip(1).take_while(|a| a != "--").any(|a| a == "--dry-run")
}

/// The commands whose outputs groovekit can make again from their inputs (renders, conversions,
/// dumps, builds, chains, previews, pictures, `track watch`): their outputs keep at most one
/// backup (`NAME.bak`, replaced each time), or none with `--no-backup`.
const REGENERABLE: &[&[&str]] = &[
    &["render"],
    &["convert"],
    &["dump"],
    &["build"],
    &["ot", "chain"],
    &["ot", "chain-preview"],
    &["ot", "grid"],
    &["track", "watch"],
];

/// Whether this run's command makes outputs groovekit can make again (see [`REGENERABLE`]).
fn regenerable_command() -> bool {
    let words: Vec<String> = std::env::args_os()
        .skip(1)
        .take_while(|a| a != "--")
        .map(|a| a.to_string_lossy().into_owned())
        .filter(|a| !a.starts_with('-'))
        .take(2)
        .collect();
    REGENERABLE.iter().any(|c| c.iter().zip(&words).all(|(a, b)| a == b) && words.len() >= c.len())
}

/// The folders the arguments name: each existing folder (and its direct subfolders: a project's
/// AUDIO, a Set's projects), the folder of each existing file, the folder an output would go
/// to, and two levels of folders above each (the project of a backup folder, the Set of a
/// project, where the journals and staging records of interrupted operations are). `PROJECT:N`
/// arguments count by their path part.
fn folders_of_args() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for a in std::env::args_os().skip(1).take_while(|a| a != "--") {
        let s = a.to_string_lossy().into_owned();
        if s.starts_with('-') {
            continue;
        }
        let mut candidates = vec![PathBuf::from(&a)];
        if let Some((p, _)) = s.rsplit_once(':') {
            candidates.push(PathBuf::from(p));
        }
        for p in candidates {
            if p.is_dir() {
                if let Ok(rd) = std::fs::read_dir(&p) {
                    out.extend(rd.flatten().map(|e| e.path()).filter(|q| q.is_dir()).take(256));
                }
                out.push(p.clone());
            } else {
                let parent = match p.parent() {
                    Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                if parent.is_dir() && (p.exists() || p.file_name().is_some()) {
                    out.push(parent);
                }
            }
            if let Ok(abs) = std::path::absolute(&p) {
                out.extend(abs.ancestors().skip(1).take(2).filter(|a| a.is_dir()).map(Path::to_path_buf));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// Sets the process-wide write policy and recovers the folders the command line names. Returns
/// whether this is a dry run, or a usage error for `--no-backup` on a command whose outputs
/// cannot be made again.
pub fn start(no_backup: bool) -> miette::Result<bool> {
    let dry_run = dry_run_requested();
    let regenerable = regenerable_command();
    if no_backup && !regenerable {
        return Err(crate::cmd::args::usage(
            "--no-backup is for outputs groovekit can make again (render, convert, dump, build, ot chain, \
             ot chain-preview, ot grid, track watch); other writes always keep a backup",
        ));
    }
    let policy = match (regenerable, no_backup) {
        (true, true) => IfExists::Replace,
        (true, false) => IfExists::SingleBackup,
        (false, _) => IfExists::Backup,
    };
    groovekit_core::fs::set_process_defaults(policy, dry_run);
    if !dry_run {
        for dir in folders_of_args() {
            match groovekit_core::fs::recover(&dir) {
                Ok(notes) => {
                    for n in notes {
                        eprintln!("note: {}: {n}", dir.display());
                    }
                }
                Err(e) => eprintln!("warning: checking {} for interrupted writes: {e}", dir.display()),
            }
        }
    }
    Ok(dry_run)
}

/// The policy for a file the user named that this command normally replaces: the process's
/// (one `NAME.bak` for outputs groovekit can make again, none with `--no-backup`, else a new
/// `NAME.bak.N`).
pub fn replace_policy() -> IfExists {
    groovekit_core::fs::StageOptions::default().if_exists
}

/// Prints what the write layer did that the command did not report itself. Returns false when
/// a write's clean-up failed (the write itself is complete; the leftovers are named on stderr):
/// the command then exits 1.
pub fn finish() -> bool {
    let mut clean = true;
    for r in groovekit_core::fs::take_process_log() {
        for l in &r.leftovers {
            clean = false;
            eprintln!(
                "error: the write is complete, but its clean-up failed: could not remove {l}; the next groovekit \
                 command on that folder removes it"
            );
        }
        for n in &r.recovered {
            eprintln!("note: {n}");
        }
        if r.dry_run {
            // What a dry run would write is its result: standard output, kept with `--quiet`.
            for f in &r.files {
                println!("dry run: would {f}");
            }
        } else if !crate::cmd::quiet() {
            // Backups are a summary (on stderr); `--quiet` silences them like every summary.
            for b in r.backups() {
                eprintln!("backup: {}", b.display());
            }
        }
    }
    clean
}

/// Writes one file the user named, replacing it after a backup, and returns the backup made (the
/// caller reports it, so [`finish`] does not repeat it).
pub fn replace_reported(path: &Path, bytes: &[u8]) -> miette::Result<Option<PathBuf>> {
    let before = groovekit_core::fs::take_process_log();
    let report = groovekit_core::fs::write_new_file(path, bytes, IfExists::Backup, false).map_err(|e| miette!("{e}"));
    // Keep the earlier reports for `finish`, drop this one (the caller prints it).
    let _ = groovekit_core::fs::take_process_log();
    requeue(before);
    Ok(report?.backups().into_iter().next())
}

fn requeue(reports: Vec<Report>) {
    for r in reports {
        groovekit_core::fs::log_report(&r);
    }
}

/// Writes a file the user named where replacing an existing file is unusual: refused unless
/// `force` (then a backup is kept), or unless `replaceable` says the existing file is one this
/// command normally replaces. The files `beside` it (a dump's sample files) are written in the
/// same transaction: every file appears, or nothing changes; they replace older ones after a
/// backup.
pub fn write_guarded(
    path: &Path,
    bytes: &[u8],
    force: bool,
    replaceable: impl Fn(&[u8]) -> bool,
    beside: &[(PathBuf, Vec<u8>)],
) -> miette::Result<()> {
    let policy = match std::fs::read(path) {
        Ok(old) if !force && !replaceable(&old) => IfExists::Refuse,
        _ => IfExists::Backup,
    };
    let policy = if policy == IfExists::Backup { replace_policy() } else { policy };
    let mut tx = groovekit_core::fs::Transaction::new().if_exists(replace_policy());
    for (p, b) in beside {
        tx.write(p, b).map_err(|e| miette!("{e}"))?;
    }
    tx.set_if_exists(policy);
    tx.write(path, bytes).map_err(|e| miette!("{e}"))?;
    tx.commit().map_err(|e| miette!("{e}"))?;
    Ok(())
}
