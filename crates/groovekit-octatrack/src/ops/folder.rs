//! Whole folders, as users point at them (issue 24): the summary `groovekit inspect` prints of a
//! project folder or a Set, and the difference `groovekit diff` prints of two of them.
//!
//! - [`summarise_project`]: name, OS, tempo, the banks and patterns with content (a trig or a
//!   trigless trig on any track), the sample slots in use, missing samples, and the problems
//!   `verify` finds.
//! - [`summarise_set`]: every project of a Set and the audio files of its `AUDIO` folder.
//! - [`diff_folders`]: every file pair of two project folders (or Sets) compared by meaning
//!   (banks by pattern/track/step, arrangements, markers, `project.work` by setting and slot,
//!   `.ot` by setting), and the files only one side has. Backups (`*.bak`, `backups/`) are left
//!   out on both sides.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::OtError;
use crate::human::sample_settings::{Mode, SampleSettingsDoc};
use crate::model::project::Project as ProjectFile;
use crate::model::project_folder::Project;
use crate::model::sample_settings::SampleSettings;
use crate::ops::project_dir::io_error;
use crate::ops::verify::{self, Folder, is_backup};
use crate::raw::header::BinaryKind;
use crate::raw::image::ChecksumPolicy;
use crate::raw::sample_settings::SampleSettingsFile;

/// A bank of a project summary.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BankSummary {
    /// 1-16.
    pub bank: u8,
    /// The letter the device shows (A-P).
    pub letter: char,
    /// Patterns (1-16) with at least one trig or trigless trig.
    pub patterns: Vec<u8>,
}

/// What `groovekit inspect PROJECT_FOLDER` shows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ProjectSummary {
    /// The folder.
    pub dir: PathBuf,
    /// The folder's name.
    pub name: String,
    /// The OS that saved it (`1.40B`), when the project says.
    pub os: Option<String>,
    /// Tempo in BPM.
    pub tempo: Option<f64>,
    /// Banks whose file exists, with the patterns that have content.
    pub banks: Vec<BankSummary>,
    /// Flex slots with a sample.
    pub flex_slots: usize,
    /// Static slots with a sample.
    pub static_slots: usize,
    /// `PATH=` values of slots whose file is missing.
    pub missing_samples: Vec<String>,
    /// What `verify` finds in the folder, one line each.
    pub problems: Vec<String>,
}

/// What `groovekit inspect SET` shows.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SetSummary {
    /// The Set folder.
    pub dir: PathBuf,
    /// Whether it has an `AUDIO` folder.
    pub has_audio: bool,
    /// Audio files (WAV/AIFF) under `AUDIO`.
    pub audio_files: usize,
    /// Every project folder of the Set.
    pub projects: Vec<ProjectSummary>,
}

/// The bank letter the device shows for bank `n` (1-16).
fn letter(n: u8) -> char {
    char::from(b'A' + n.saturating_sub(1).min(15))
}

/// The patterns of `bank` with a trig or trigless trig on any audio or MIDI track.
fn patterns_with_content(bank: &crate::model::bank::Bank) -> Result<Vec<u8>, OtError> {
    let mut out = Vec::new();
    for p in 1..=16u8 {
        let mut any = false;
        for t in 1..=8u8 {
            if bank.audio_steps(p, t)?.iter().any(|s| s.trig || s.trigless)
                || bank.midi_steps(p, t)?.iter().any(|s| s.trig || s.trigless)
            {
                any = true;
                break;
            }
        }
        if any {
            out.push(p);
        }
    }
    Ok(out)
}

/// Summarises the project folder `dir` (see the module documentation).
pub fn summarise_project(dir: &Path) -> Result<ProjectSummary, OtError> {
    let mut project = Project::open(dir)?;
    let name = project.name().unwrap_or_else(|| dir.display().to_string());
    let os = project.settings().os_release();
    let tempo = project.tempo();
    let mut banks = Vec::new();
    for n in 1..=16u8 {
        let exists = ["work", "strd"].iter().any(|e| dir.join(format!("bank{n:02}.{e}")).is_file());
        if !exists {
            continue;
        }
        let bank = project.bank(n)?;
        banks.push(BankSummary { bank: n, letter: letter(n), patterns: patterns_with_content(bank)? });
    }
    let samples = project.samples();
    let used =
        |t: crate::model::project::SlotType| samples.iter().filter(move |s| s.slot_type == t && !s.path.is_empty());
    let flex_slots = used(crate::model::project::SlotType::Flex).count();
    let static_slots = used(crate::model::project::SlotType::Static).count();
    let missing_samples = samples
        .iter()
        .filter(|s| !s.path.is_empty())
        .filter(|s| !crate::ops::project_dir::resolve(dir, &s.path).is_file())
        .map(|s| s.path_lossy())
        .collect();
    let report = verify::check_folder(dir, false).unwrap_or_default();
    let problems = report.problems.iter().map(|p| p.line()).collect();
    Ok(ProjectSummary {
        dir: dir.to_path_buf(),
        name,
        os,
        tempo,
        banks,
        flex_slots,
        static_slots,
        missing_samples,
        problems,
    })
}

/// The project folders of a Set, sorted.
fn projects_of(set: &Path) -> Result<Vec<PathBuf>, OtError> {
    let rd = std::fs::read_dir(set).map_err(|e| io_error("reading the Set folder", set, e))?;
    let mut out: Vec<PathBuf> = rd
        .flatten()
        .map(|e| e.path())
        .filter(|p| verify::folder_kind(p) == Some(Folder::Project) && !is_backup(p))
        .collect();
    out.sort();
    Ok(out)
}

/// Summarises the Set `dir`: each project (see [`summarise_project`]) and its `AUDIO` folder.
pub fn summarise_set(dir: &Path) -> Result<SetSummary, OtError> {
    let audio = dir.join("AUDIO");
    let audio_files = walkdir::WalkDir::new(&audio)
        .into_iter()
        .filter_entry(|e| !is_backup(e.path()))
        .flatten()
        .filter(|e| {
            e.file_type().is_file()
                && e.path().extension().is_some_and(|x| {
                    let x = x.to_string_lossy().to_ascii_lowercase();
                    matches!(x.as_str(), "wav" | "aif" | "aiff")
                })
        })
        .count();
    let projects = projects_of(dir)?.iter().map(|p| summarise_project(p)).collect::<Result<Vec<_>, _>>()?;
    Ok(SetSummary { dir: dir.to_path_buf(), has_audio: audio.is_dir(), audio_files, projects })
}

/// The files of a folder to compare, by path relative to it: top-level files of a project,
/// every file of a Set (backups left out).
fn files_of(dir: &Path, deep: bool) -> Result<BTreeSet<PathBuf>, OtError> {
    let mut out = BTreeSet::new();
    let walk = walkdir::WalkDir::new(dir).max_depth(if deep { usize::MAX } else { 1 });
    for e in walk.into_iter().filter_entry(|e| e.depth() == 0 || !is_backup(e.path())) {
        let e = e.map_err(|e| OtError::Invalid { field: dir.display().to_string(), message: e.to_string() })?;
        if e.file_type().is_file()
            && let Ok(rel) = e.path().strip_prefix(dir)
        {
            out.insert(rel.to_path_buf());
        }
    }
    Ok(out)
}

/// The meaningful differences of two versions of one Octatrack file (`name` is its path relative
/// to the folders, for the lines); byte comparison for files of other kinds.
fn file_differences(name: &str, a: &[u8], b: &[u8]) -> Vec<String> {
    if a == b {
        return Vec::new();
    }
    let lines = match (BinaryKind::sniff(a), BinaryKind::sniff(b)) {
        (Some(BinaryKind::Bank), Some(BinaryKind::Bank)) => crate::ops::binary_diff::banks(a, b).ok(),
        (Some(BinaryKind::Arrangement), Some(BinaryKind::Arrangement)) => {
            crate::ops::binary_diff::arrangements(a, b).ok()
        }
        (Some(BinaryKind::Markers), Some(BinaryKind::Markers)) => crate::ops::binary_diff::markers(a, b).ok(),
        (Some(BinaryKind::SampleSettings), Some(BinaryKind::SampleSettings)) => sample_settings_differences(a, b),
        _ if verify::looks_like_project(a) && verify::looks_like_project(b) => {
            match (ProjectFile::parse(a), ProjectFile::parse(b)) {
                (Ok(pa), Ok(pb)) => Some(pa.differences(&pb)),
                _ => None,
            }
        }
        _ => None,
    };
    match lines {
        Some(l) if !l.is_empty() => l.into_iter().map(|l| format!("{name}: {l}")).collect(),
        Some(_) => vec![format!("{name}: same values, different bytes")],
        None => vec![format!("{name}: content differs ({} -> {} bytes)", a.len(), b.len())],
    }
}

/// Tempo, trim, loop, gain and slices of two `.ot` files.
fn sample_settings_differences(a: &[u8], b: &[u8]) -> Option<Vec<String>> {
    let read = |bytes: &[u8]| -> Option<SampleSettings> {
        let (file, _) = SampleSettingsFile::read(bytes, ChecksumPolicy::Lenient).ok()?;
        SampleSettings::from_file(&file).ok()
    };
    let (sa, sb) = (read(a)?, read(b)?);
    Some(sample_settings_differences_of(&sa, &sb))
}

/// A slice as musicians read it: `440641-557322`, with its loop point when it loops.
fn slice_text(s: &crate::model::sample_settings::Slice) -> String {
    match s.loop_point {
        Some(l) => format!("{}-{} (loop {l})", s.start, s.end),
        None => format!("{}-{}", s.start, s.end),
    }
}

/// The differences of two `.ot` settings as lines (`tempo 120 -> 128 BPM`, `slice 6: added
/// 440641-557322`): what `groovekit diff a.ot b.ot` prints, and a folder diff for each `.ot`.
pub fn sample_settings_differences_of(a: &SampleSettings, b: &SampleSettings) -> Vec<String> {
    let mut out = Vec::new();
    let mut field = |name: &str, x: String, y: String| {
        if x != y {
            out.push(format!("{name} {x} -> {y}"));
        }
    };
    let bars = |x100: u32| format!("{} bars", f64::from(x100) / 100.0);
    field("tempo", format!("{} BPM", a.bpm()), format!("{} BPM", b.bpm()));
    field("trim length", bars(a.trim_length_x100), bars(b.trim_length_x100));
    field("loop length", bars(a.loop_length_x100), bars(b.loop_length_x100));
    // Modes by the names the documents and the CLI use (`pattern-length`, `ping-pong`).
    let (da, db) = (SampleSettingsDoc::from_model(a), SampleSettingsDoc::from_model(b));
    let mode = |m: &Mode| match m {
        Mode::Name(n) => n.clone(),
        Mode::Number(v) => v.to_string(),
    };
    field("timestretch", mode(&da.timestretch), mode(&db.timestretch));
    field("loop mode", mode(&da.loop_mode), mode(&db.loop_mode));
    field("gain", format!("{} dB", a.gain_db()), format!("{} dB", b.gain_db()));
    field("trig quantisation", mode(&da.trig_quantization), mode(&db.trig_quantization));
    field("trim start", a.trim_start.to_string(), b.trim_start.to_string());
    field("trim end", a.trim_end.to_string(), b.trim_end.to_string());
    field("loop point", a.loop_point.to_string(), b.loop_point.to_string());
    field("device byte 22", a.unknown_22.to_string(), b.unknown_22.to_string());
    for i in 0..a.slices.len().max(b.slices.len()) {
        match (a.slices.get(i), b.slices.get(i)) {
            (Some(x), None) => out.push(format!("slice {}: removed {}", i + 1, slice_text(x))),
            (None, Some(y)) => out.push(format!("slice {}: added {}", i + 1, slice_text(y))),
            (Some(x), Some(y)) if x != y => {
                out.push(format!("slice {}: {} -> {}", i + 1, slice_text(x), slice_text(y)))
            }
            _ => {}
        }
    }
    out
}

/// The differences of two project folders or two Sets: lines `FILE: difference` for files both
/// have, `added FILE` / `removed FILE` for files one side lacks. Empty when the folders hold the
/// same project files.
pub fn diff_folders(a: &Path, b: &Path) -> Result<Vec<String>, OtError> {
    let deep = verify::folder_kind(a) == Some(Folder::Set) || verify::folder_kind(b) == Some(Folder::Set);
    let (fa, fb) = (files_of(a, deep)?, files_of(b, deep)?);
    let mut out = Vec::new();
    for rel in fa.union(&fb) {
        let name = rel.display().to_string();
        match (fa.contains(rel), fb.contains(rel)) {
            (true, false) => out.push(format!("removed {name}")),
            (false, true) => out.push(format!("added {name}")),
            _ => {
                let read = |d: &Path| std::fs::read(d.join(rel)).map_err(|e| io_error("reading", &d.join(rel), e));
                out.extend(file_differences(&name, &read(a)?, &read(b)?));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
#[path = "folder_tests.rs"]
mod tests;
