//! Checks of Octatrack files, project folders and Sets, returning a [`Report`]: the code behind
//! `groovekit verify`, here so that the CLI and the Python package run the same checks.
//!
//! - [`verify_file`]: one bank, arrangement, markers, `.ot` or `project.work` file (structure,
//!   version, checksum; for projects the sections, the OS and every sample path). With `fix`, a
//!   bad checksum is rewritten after a backup. [`check_file`] and [`check_folder`] prepare the
//!   repairs without writing them, for callers that write all repairs of a run in one
//!   transaction (`Report::apply_repairs`).
//! - [`verify_project`]: a project folder: every file a project needs is present (`project`,
//!   `bank01`-`bank16`, `arr01`-`arr08`, `markers`, as `.work`), each `.work`/`.strd` present
//!   is checked by its own kind, and so is every `.ot` in the folder.
//! - [`verify_set`]: a Set (an `AUDIO` folder beside project folders): every project and every
//!   `.ot` under `AUDIO`.
//! - [`diagnose`]: for a file that is not recognised but is named like an Octatrack file (a
//!   damaged `bank01.work`, a text file named `markers.work`), the error its kind's reader gives,
//!   with the byte offset.

use std::path::{Path, PathBuf};

use groovekit_core::report::{Problem, Repair, Report};

use crate::OtError;
use crate::human;
use crate::model::project::Project;
use crate::model::sample_settings::SampleSettings;
use crate::ops::new_project::{ARRANGEMENTS, BANKS};
use crate::raw::header::{BinaryKind, ChecksumState, update_checksum};
use crate::raw::image::ChecksumPolicy;
use crate::raw::sample_settings::SampleSettingsFile;
use crate::raw::{arrangement, bank, markers};

/// The document kind of `project.work` / `project.strd` in reports.
pub const PROJECT_KIND: &str = human::project::KIND;

/// Whether `bytes` look like a `project.work`: the `####` banner or a `[META]` section, and the
/// project TYPE line near the start.
pub fn looks_like_project(bytes: &[u8]) -> bool {
    let head = bytes.get(..bytes.len().min(2048)).unwrap_or_default();
    let contains = |needle: &[u8]| head.windows(needle.len()).any(|w| w == needle);
    (head.starts_with(b"####") || contains(b"[META]")) && contains(b"TYPE=OCTATRACK DPS-1 PROJECT")
}

/// The report kind of an Octatrack file, by content; `None` for anything else.
pub fn kind_of(bytes: &[u8]) -> Option<&'static str> {
    match BinaryKind::sniff(bytes) {
        Some(BinaryKind::Bank) => Some(human::bank::KIND),
        Some(BinaryKind::Arrangement) => Some(human::arrangement::KIND),
        Some(BinaryKind::Markers) => Some(human::markers::KIND),
        Some(BinaryKind::SampleSettings) => Some(human::sample_settings::KIND),
        _ if looks_like_project(bytes) => Some(PROJECT_KIND),
        _ => None,
    }
}

/// The byte offset an error points at.
pub fn error_offset(e: &OtError) -> Option<u64> {
    let o = match e {
        OtError::Truncated { actual, .. } => *actual,
        OtError::Oversized { expected, .. } => *expected,
        OtError::BadMagic { offset, .. } | OtError::BadSection { offset, .. } | OtError::Checksum { offset, .. } => {
            *offset
        }
        OtError::UnsupportedVersion { .. } => 21,
        _ => return None,
    };
    u64::try_from(o).ok()
}

/// A problem from a reader's error, at the offset the error names.
fn error_problem(path: &Path, e: &OtError) -> Problem {
    Problem { path: path.to_path_buf(), offset: error_offset(e), message: e.to_string(), fixed: false }
}

/// Structure validation of a bank, arrangement or markers file, without the checksum rule.
fn validate(kind: BinaryKind, bytes: &[u8]) -> Result<ChecksumState, OtError> {
    match kind {
        BinaryKind::Bank => bank::validate(bytes, ChecksumPolicy::Lenient),
        BinaryKind::Arrangement => arrangement::validate(bytes, ChecksumPolicy::Lenient),
        _ => markers::validate(bytes, ChecksumPolicy::Lenient),
    }
}

/// The finding for a checksum mismatch in any Octatrack binary file and, with `fix`, its repair
/// prepared in the report (the checksum, the file's last two bytes, rewritten): nothing is
/// written here; [`Report::apply_repairs`] writes every repair of a check in one transaction,
/// after backups. Arrangements get a warning (the device is not known to check their
/// checksums), the rest a problem.
fn checksum_finding(path: &Path, bytes: &[u8], kind: BinaryKind, state: ChecksumState, fix: bool, report: &mut Report) {
    let offset = u64::try_from(bytes.len().saturating_sub(2)).ok();
    let mut p = Problem {
        path: path.to_path_buf(),
        offset,
        message: format!(
            "{} checksum mismatch: stored 0x{:04X}, computed 0x{:04X}",
            kind.describe(),
            state.stored,
            state.computed
        ),
        fixed: false,
    };
    if !fix {
        p.message.push_str(" (`groovekit verify --fix` rewrites it after a backup)");
    }
    if kind == BinaryKind::Arrangement {
        // The device is not known to check arrangement checksums: a warning only.
        p.message.push_str("; tolerated for arrangements");
    }
    if fix {
        let mut repaired = bytes.to_vec();
        update_checksum(&mut repaired);
        report.repairs.push(Repair {
            path: path.to_path_buf(),
            bytes: repaired,
            finding: p.clone(),
            done: format!("checksum rewritten to 0x{:04X}", state.computed),
        });
    }
    if kind == BinaryKind::Arrangement { report.warnings.push(p) } else { report.problems.push(p) }
}

/// Checks one Octatrack file (`bytes` is the whole file at `path`). `None` when the bytes are
/// not an Octatrack file (see [`diagnose`] for why). With `fix`, a bad checksum is repaired: the
/// file rewritten after a backup (`NAME.bak`).
pub fn verify_file(path: &Path, bytes: &[u8], fix: bool) -> Option<Report> {
    let mut report = check_file(path, bytes, fix)?;
    // A failed repair is reported in the finding's message (nothing was changed).
    let _ = report.apply_repairs();
    Some(report)
}

/// [`verify_file`] without writing: with `fix`, the repairs are prepared in the report's
/// `repairs`, for a caller that checks many files and writes all repairs in one transaction
/// ([`Report::apply_repairs`]).
pub fn check_file(path: &Path, bytes: &[u8], fix: bool) -> Option<Report> {
    let kind = kind_of(bytes)?;
    let mut report = Report::default();
    report.checked.push((path.to_path_buf(), kind.to_string()));
    match BinaryKind::sniff(bytes) {
        Some(BinaryKind::SampleSettings) => check_sample_settings(path, bytes, fix, &mut report),
        Some(k @ (BinaryKind::Bank | BinaryKind::Arrangement | BinaryKind::Markers)) => match validate(k, bytes) {
            Err(e) => report.problems.push(error_problem(path, &e)),
            Ok(state) if state.is_valid() => {}
            Ok(state) => checksum_finding(path, bytes, k, state, fix, &mut report),
        },
        _ => match Project::parse(bytes) {
            Ok(p) => check_project(path, &p, &mut report),
            Err(e) => report.problems.push(error_problem(path, &e)),
        },
    }
    Some(report)
}

/// A `.ot` file: structure, settings against the audio beside it, checksum.
fn check_sample_settings(path: &Path, bytes: &[u8], fix: bool, report: &mut Report) {
    let (file, state) = match SampleSettingsFile::read(bytes, ChecksumPolicy::Lenient) {
        Ok(x) => x,
        Err(e) => {
            report.problems.push(error_problem(path, &e));
            return;
        }
    };
    match SampleSettings::from_file(&file) {
        Ok(s) => {
            // The audio beside the .ot, when there is one, bounds the slices.
            let frames = ["wav", "WAV", "aif", "aiff", "AIF", "AIFF"]
                .iter()
                .map(|e| path.with_extension(e))
                .find(|p| p.exists())
                .and_then(|p| groovekit_audio::pcm::probe(&p).ok())
                .map(|i| i.frames);
            for m in s.problems(frames) {
                report.warnings.push(Problem::new(path, m));
            }
        }
        // Byte 826 is where the slice table's count sits, which is what from_file refuses.
        Err(e) => report.problems.push(Problem::at(path, 826, e.to_string())),
    }
    if !state.is_valid() {
        checksum_finding(path, bytes, BinaryKind::SampleSettings, state, fix, report);
    }
}

/// The problems of a parsed project that the parser does not reject: missing sections and
/// sample paths that do not exist relative to the project folder.
fn check_project(path: &Path, p: &Project, report: &mut Report) {
    for section in ["SETTINGS", "STATES"] {
        if p.text().section(section).is_none() {
            report
                .problems
                .push(Problem::new(path, format!("no [{section}] section; the Octatrack will not load this project")));
        }
    }
    if p.text().section("SETTINGS").is_some() && p.tempo_x24().is_none() {
        report.problems.push(Problem::new(path, "[SETTINGS] has no TEMPOx24 line"));
    }
    match p.os_release() {
        Some(r) if r.starts_with("1.40") => {}
        other => report.warnings.push(Problem::new(
            path,
            format!(
                "written by OS {}, not 1.40A/B/C: re-save the project on OS 1.40 before editing it with tools",
                other.as_deref().unwrap_or("(unknown)")
            ),
        )),
    }
    let folder = path.parent().unwrap_or(Path::new("."));
    for s in p.samples() {
        if s.path.is_empty() {
            continue;
        }
        let shown = s.path_lossy();
        if s.path.contains(&b'\\') {
            report.warnings.push(Problem::new(
                path,
                format!(
                    "{} slot {}: path `{shown}` contains `\\`, which the Octatrack cannot load",
                    s.slot_type.describe(),
                    s.slot
                ),
            ));
        }
        let target = folder.join(bytes_to_path(&s.path));
        if !target.is_file() {
            report.problems.push(Problem::new(
                path,
                format!(
                    "{} slot {}: sample `{shown}` not found (looked for {})",
                    s.slot_type.describe(),
                    s.slot,
                    super::project_dir::tidy(&target).display()
                ),
            ));
        }
    }
}

/// A `PATH=` value as a file-system path (raw bytes on Unix, lossy elsewhere).
fn bytes_to_path(bytes: &[u8]) -> PathBuf {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        PathBuf::from(std::ffi::OsStr::from_bytes(bytes))
    }
    #[cfg(not(unix))]
    {
        PathBuf::from(String::from_utf8_lossy(bytes).into_owned())
    }
}

/// The kind a file's name promises: `bankNN`, `arrNN`, `markers`, `project` (any extension, as
/// the device writes `.work` and `.strd`) and `*.ot`.
fn kind_by_name(path: &Path) -> Option<&'static str> {
    let name = path.file_name()?.to_str()?.to_ascii_lowercase();
    let stem = name.split('.').next().unwrap_or_default();
    let numbered =
        |prefix: &str| stem.strip_prefix(prefix).is_some_and(|n| n.len() == 2 && n.bytes().all(|b| b.is_ascii_digit()));
    if name.ends_with(".ot") {
        Some(human::sample_settings::KIND)
    } else if numbered("bank") {
        Some(human::bank::KIND)
    } else if numbered("arr") {
        Some(human::arrangement::KIND)
    } else if stem == "markers" {
        Some(human::markers::KIND)
    } else if stem == "project" && (name.ends_with(".work") || name.ends_with(".strd")) {
        Some(PROJECT_KIND)
    } else {
        None
    }
}

/// The kind a damaged Octatrack binary file's content still shows: two of its three marks (the
/// `DPS1` at byte 8, the type tag at byte 12, the kind's exact size). One mark alone is not
/// enough: an unrelated file can have a bank's size.
fn kind_by_content(bytes: &[u8]) -> Option<&'static str> {
    let dps1 = bytes.get(8..12) == Some(b"DPS1".as_slice());
    let kind = BinaryKind::ALL.into_iter().find(|k| {
        let marks = [dps1, bytes.get(12..16) == Some(k.tag().as_slice()), bytes.len() == k.size()];
        marks.iter().filter(|&&m| m).count() >= 2
    })?;
    Some(match kind {
        BinaryKind::Bank => human::bank::KIND,
        BinaryKind::Arrangement => human::arrangement::KIND,
        BinaryKind::Markers => human::markers::KIND,
        _ => human::sample_settings::KIND,
    })
}

/// Why a file named like an Octatrack file, or whose content still looks like one (see
/// `kind_by_content`), is not one: its kind's reader's error (with the byte offset, such as a
/// wrong magic at byte 0, and the bytes found as text). `None` when neither name nor content
/// suggests an Octatrack kind.
pub fn diagnose(path: &Path, bytes: &[u8]) -> Option<Problem> {
    let kind = kind_by_name(path).or_else(|| kind_by_content(bytes))?;
    let err = match kind {
        k if k == human::bank::KIND => bank::validate(bytes, ChecksumPolicy::Lenient).err(),
        k if k == human::arrangement::KIND => arrangement::validate(bytes, ChecksumPolicy::Lenient).err(),
        k if k == human::markers::KIND => markers::validate(bytes, ChecksumPolicy::Lenient).err(),
        k if k == human::sample_settings::KIND => SampleSettingsFile::read(bytes, ChecksumPolicy::Lenient).err(),
        _ => {
            let why = if bytes.is_empty() {
                "the file is empty".to_string()
            } else {
                "no `TYPE=OCTATRACK DPS-1 PROJECT` line near the start".to_string()
            };
            return Some(Problem::new(path, format!("not an Octatrack project file: {why}")));
        }
    };
    Some(match err {
        Some(e) => error_problem(path, &e),
        // The reader accepts it, yet the content sniff did not: say so rather than guess.
        None => Problem::new(path, format!("named like an Octatrack {kind} file but not recognised as one")),
    })
}

/// Checks one file of a folder: by content when it is an Octatrack file, otherwise a problem
/// (named like one: the reader's error; anything else: not recognised).
fn verify_member(path: &Path, fix: bool, report: &mut Report) {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            report.problems.push(Problem::new(path, format!("cannot read: {e}")));
            return;
        }
    };
    if let Some(r) = check_file(path, &bytes, fix) {
        report.merge(r);
        return;
    }
    report.problems.push(diagnose(path, &bytes).unwrap_or_else(|| {
        Problem::new(path, format!("not an Octatrack file ({}); restore it from a backup", plural_bytes(bytes.len())))
    }));
}

/// "1 byte", "2 bytes".
fn plural_bytes(n: usize) -> String {
    if n == 1 { "1 byte".into() } else { format!("{n} bytes") }
}

/// The file names every project folder must have (as `.work`).
fn required_files() -> Vec<String> {
    let mut names = vec!["project".to_string()];
    names.extend((1..=BANKS).map(|n| format!("bank{n:02}")));
    names.extend((1..=ARRANGEMENTS).map(|n| format!("arr{n:02}")));
    names.push("markers".into());
    names
}

/// Whether `path` is a backup rather than a project file: a `backups/` folder (where project
/// operations keep theirs) or a `NAME.bak` / `NAME.bak.N` file (what `verify --fix` and every
/// write keep).
pub fn is_backup(path: &Path) -> bool {
    let Some(name) = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()) else { return false };
    if name == "backups" {
        return path.is_dir();
    }
    let mut parts = name.rsplit('.');
    match (parts.next(), parts.next()) {
        (Some("bak"), Some(stem)) => !stem.is_empty(),
        (Some(n), Some("bak")) => !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()),
        _ => false,
    }
}

fn has_ext(p: &Path, ext: &str) -> bool {
    p.extension().is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// What kind of Octatrack folder `dir` is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Folder {
    /// A project folder (holds `project.work` or `project.strd`).
    Project,
    /// A Set: at least one project folder, usually beside an `AUDIO` folder (a Set copied
    /// without its `AUDIO` is still checked as a Set, issue 24: its projects' missing files are
    /// reported the same way).
    Set,
}

/// Whether `dir` is a project folder, a Set, or neither.
pub fn folder_kind(dir: &Path) -> Option<Folder> {
    if dir.join("project.work").is_file() || dir.join("project.strd").is_file() {
        Some(Folder::Project)
    } else if !set_projects(dir).is_empty() {
        Some(Folder::Set)
    } else {
        None
    }
}

/// Checks a project folder or a Set; `None` when `dir` is neither. With `fix`, every repair
/// is written in one transaction after backups: all of them, or (on any failure) none.
pub fn verify_folder(dir: &Path, fix: bool) -> Option<Report> {
    let mut report = check_folder(dir, fix)?;
    let _ = report.apply_repairs();
    Some(report)
}

/// [`verify_folder`] without writing: repairs are prepared in the report (see [`check_file`]).
pub fn check_folder(dir: &Path, fix: bool) -> Option<Report> {
    match folder_kind(dir)? {
        Folder::Project => Some(project_report(dir, fix)),
        Folder::Set => Some(set_report(dir, fix)),
    }
}

/// Applies the repairs a folder check prepared (one transaction) and returns the report.
fn applied(mut report: Report) -> Report {
    let _ = report.apply_repairs();
    report
}

/// The project folders of a Set: its subfolders that hold a `project.work` or `project.strd`.
fn set_projects(dir: &Path) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut out: Vec<PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir() && (p.join("project.work").is_file() || p.join("project.strd").is_file()))
        .collect();
    out.sort();
    out
}

/// Checks a project folder: every required `.work` file is present, and each `.work` and
/// `.strd` present is checked by its kind (which also checks sample paths for `project.work`);
/// `.ot` files in the folder are checked too. With `fix`, every repair is written in one
/// transaction.
pub fn verify_project(dir: &Path, fix: bool) -> Report {
    // Repairs hold the project's lock like every operation that writes it (issue 23).
    let _lock = match fix.then(|| crate::ops::lock::lock_project(dir, false)).transpose() {
        Ok(l) => l,
        Err(e) => return Report { problems: vec![Problem::new(dir, e.to_string())], ..Report::default() },
    };
    applied(project_report(dir, fix))
}

/// [`verify_project`] with the repairs prepared, not written.
fn project_report(dir: &Path, fix: bool) -> Report {
    let mut report = Report::default();
    for stem in required_files() {
        let work = dir.join(format!("{stem}.work"));
        let strd = dir.join(format!("{stem}.strd"));
        if work.is_file() {
            verify_member(&work, fix, &mut report);
        } else {
            report.problems.push(Problem::new(
                &work,
                if strd.is_file() {
                    format!(
                        "missing {stem}.work (a {stem}.strd exists: copy it to {stem}.work to recover the saved state)"
                    )
                } else {
                    format!(
                        "missing {stem}.work: every project needs it (`groovekit ot new-project` writes a fresh set)"
                    )
                },
            ));
        }
        if strd.is_file() {
            verify_member(&strd, fix, &mut report);
        }
    }
    // What a copy can break (issue 13 item 5): slots the banks play that the project lacks, and
    // data that can never sound. On the device a trig on an empty slot is silent in a valid
    // project, not damage: warnings (exit 0), not problems (issue 21). Skipped when the project
    // or a bank cannot be read (those problems are reported above).
    if let Ok(lines) = crate::ops::slots::verify_slot_references(dir) {
        for line in lines {
            report.warnings.push(Problem::new(&dir.join("project.work"), line));
        }
    }
    if let Ok(lines) = crate::timeline::silent::project_notes(dir) {
        for line in lines {
            report.warnings.push(Problem::new(&dir.join("project.work"), line));
        }
    }
    let Ok(rd) = std::fs::read_dir(dir) else { return report };
    let mut ot: Vec<PathBuf> = rd.flatten().map(|e| e.path()).filter(|p| p.is_file() && has_ext(p, "ot")).collect();
    ot.sort();
    for f in ot {
        verify_member(&f, fix, &mut report);
    }
    report
}

/// Checks a Set: every `.ot` under `AUDIO` (at any depth), then every project folder. With
/// `fix`, every repair in the Set is written in one transaction. Backups (`*.bak`, `backups/`)
/// are not project files and are not checked. A Set without `AUDIO` gets a note, and its
/// projects the same findings as with an empty `AUDIO`.
pub fn verify_set(dir: &Path, fix: bool) -> Report {
    let _lock = match fix.then(|| crate::ops::lock::lock_set(dir)).transpose() {
        Ok(l) => l,
        Err(e) => return Report { problems: vec![Problem::new(dir, e.to_string())], ..Report::default() },
    };
    applied(set_report(dir, fix))
}

/// [`verify_set`] with the repairs prepared, not written.
fn set_report(dir: &Path, fix: bool) -> Report {
    let mut report = Report::default();
    if !dir.join("AUDIO").is_dir() {
        report.notes.push(Problem::new(
            dir,
            "no AUDIO folder: a Set keeps its shared samples there (sample paths are checked all the same)",
        ));
    }
    let mut ot: Vec<PathBuf> = walkdir::WalkDir::new(dir.join("AUDIO"))
        .into_iter()
        .filter_entry(|e| !is_backup(e.path()))
        .flatten()
        .filter(|e| e.file_type().is_file() && has_ext(e.path(), "ot"))
        .map(walkdir::DirEntry::into_path)
        .collect();
    ot.sort();
    for f in ot {
        verify_member(&f, fix, &mut report);
    }
    for p in set_projects(dir) {
        report.merge(project_report(&p, fix));
    }
    report
}

#[cfg(test)]
#[path = "verify_tests.rs"]
mod tests;
