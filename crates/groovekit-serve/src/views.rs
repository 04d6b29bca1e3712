//! The data behind every page, as serialisable values: the JSON API returns them as they are, and
//! [`crate::pages`] renders them. Everything is read through the format libraries (the same code
//! the CLI uses); nothing here parses a file format.

use std::path::{Path, PathBuf};

use groovekit_octatrack::model::bank::Bank;
use groovekit_octatrack::model::project::SlotType;
use groovekit_octatrack::model::sample_settings::SampleSettings;
use groovekit_octatrack::ops::find_audio::{AudioCheck, check_file};
use groovekit_octatrack::ops::project_dir::{ProjectDir, State};
use groovekit_octatrack::ops::set_index::FileUse;
use groovekit_octatrack::ops::slots::{SlotsFilter, list_slots};
use groovekit_octatrack::raw::bank::PartCopy;
use serde::Serialize;
use serde_json::{Value, json};

use crate::App;
use crate::http::{Request, Response};
use crate::paths::Root;

/// A 404/400 response from a library error.
fn fail(status: u16, e: impl std::fmt::Display) -> Response {
    Response::error(status, &e.to_string())
}

/// The project folder `rel` names under `root` (a folder holding `project.work`).
pub fn project_dir(app: &App, root: &Root, rel: &str) -> Result<PathBuf, Response> {
    let dir = app.resolve(root, rel)?;
    if !dir.join("project.work").is_file() {
        return Err(Response::error(404, &format!("{rel}: not a project folder (no project.work)")));
    }
    Ok(dir)
}

/// One step that holds data.
#[derive(Debug, Clone, Serialize)]
pub struct StepView {
    /// Step, 1-64.
    pub step: u8,
    /// Trig kinds present: `trig`, `trigless`, `plock`, `oneshot`, `slide`, `swing`, `recorder`.
    pub kinds: Vec<&'static str>,
    /// The trig condition's name, when set.
    pub condition: Option<String>,
    /// Micro-timing in 1/384 of a step (0 = on the grid).
    pub micro: i8,
    /// Trigs per step (retrig count), 1-8.
    pub repeats: u8,
    /// Parameter locks by name.
    pub locks: Vec<(String, u16)>,
    /// The sample lock (slot 1-128), for audio tracks.
    pub sample_lock: Option<u16>,
}

/// One track of a pattern.
#[derive(Debug, Clone, Serialize)]
pub struct TrackView {
    /// `audio` or `midi`.
    pub kind: &'static str,
    /// Track, 1-8.
    pub track: u8,
    /// Length in steps (per-track scale mode; the master length otherwise).
    pub length: u8,
    /// The machine of the pattern's part (audio tracks).
    pub machine: Option<String>,
    /// The slot the machine plays (audio tracks with a Flex or Static machine).
    pub slot: Option<(SlotType, u16)>,
    /// That slot's sample path (`PATH=`), when the project lists it.
    pub sample: Option<String>,
    /// The steps that hold data.
    pub steps: Vec<StepView>,
}

/// A pattern page.
#[derive(Debug, Clone, Serialize)]
pub struct PatternView {
    /// The project's folder name.
    pub project: String,
    /// Bank 1-16.
    pub bank: u8,
    /// Pattern 1-16.
    pub pattern: u8,
    /// The part it plays, 1-4, and the part's name.
    pub part: u8,
    /// The part's name.
    pub part_name: String,
    /// Master length in steps.
    pub master_length: u8,
    /// Per-track scale mode.
    pub per_track: bool,
    /// Tempo (BPM).
    pub tempo: f64,
    /// 8 audio tracks then 8 MIDI tracks.
    pub tracks: Vec<TrackView>,
}

fn audio_kinds(s: &groovekit_octatrack::model::bank::AudioStep) -> Vec<&'static str> {
    let mut k = Vec::new();
    for (on, name) in [
        (s.trig, "trig"),
        (s.trigless, "trigless"),
        (s.plock_trig, "plock"),
        (s.oneshot, "oneshot"),
        (s.slide, "slide"),
        (s.recorder.iter().any(|&r| r), "recorder"),
    ] {
        if on {
            k.push(name);
        }
    }
    k
}

/// The pattern view of bank `bank` pattern `pattern` (1-16 each) of the project in `dir`.
pub fn pattern_view(dir: &Path, bank_no: u8, pattern: u8) -> Result<PatternView, Response> {
    if !(1..=16).contains(&bank_no) || !(1..=16).contains(&pattern) {
        return Err(Response::error(400, "banks and patterns are numbered 1-16"));
    }
    let p = ProjectDir::open(dir).map_err(|e| fail(404, e))?;
    let raw = p
        .read_bank(usize::from(bank_no), State::Work)
        .map_err(|e| fail(404, e))?
        .ok_or_else(|| Response::error(404, &format!("bank {bank_no} does not exist in this project")))?;
    let bank = Bank::from_raw(raw, bank_no);
    let settings = bank.pattern(pattern).map_err(|e| fail(400, e))?;
    let part = settings.part;
    let samples = p.project.samples();
    let mut tracks = Vec::new();
    for t in 1..=8u8 {
        let ts = bank.audio_track(pattern, t).map_err(|e| fail(400, e))?;
        let pt = bank.part_track(part, PartCopy::Working, t).map_err(|e| fail(400, e))?;
        let slot = match pt.machine_type().map(|m| m.name()) {
            Some("Static") => Some((SlotType::Static, pt.static_slot)),
            Some("Flex") => Some((SlotType::Flex, pt.flex_slot)),
            _ => None,
        };
        let sample = slot.and_then(|(ty, n)| {
            samples.iter().find(|s| s.slot_type == ty && s.slot == n && !s.path.is_empty()).map(|s| s.path_lossy())
        });
        let steps = bank.audio_steps(pattern, t).map_err(|e| fail(400, e))?;
        let steps = steps
            .iter()
            .zip(1u8..)
            .filter_map(|(s, n)| {
                let kinds = audio_kinds(s);
                let locks = s.locks();
                let holds = !kinds.is_empty() || s.condition.0 != 0 || s.micro != 0 || !locks.is_empty();
                holds.then(|| {
                    let mut kinds = kinds;
                    if s.swing {
                        kinds.push("swing");
                    }
                    StepView {
                        step: n,
                        kinds,
                        condition: (s.condition.0 != 0).then(|| s.condition.name()),
                        micro: s.micro,
                        repeats: s.repeats,
                        locks,
                        sample_lock: s.sample_lock(),
                    }
                })
            })
            .collect();
        tracks.push(TrackView {
            kind: "audio",
            track: t,
            length: if settings.per_track { ts.length } else { settings.master_length },
            machine: pt.machine_type().map(|m| m.name().to_string()),
            slot,
            sample,
            steps,
        });
    }
    for t in 1..=8u8 {
        let ts = bank.midi_track(pattern, t).map_err(|e| fail(400, e))?;
        let steps = bank.midi_steps(pattern, t).map_err(|e| fail(400, e))?;
        let steps = steps
            .iter()
            .zip(1u8..)
            .filter_map(|(s, n)| {
                let mut kinds = Vec::new();
                for (on, name) in [(s.trig, "trig"), (s.trigless, "trigless"), (s.plock_trig, "plock")] {
                    if on {
                        kinds.push(name);
                    }
                }
                let locks: Vec<(String, u16)> =
                    s.locks().into_iter().map(|(k, v)| (k.to_string(), u16::from(v))).collect();
                let holds = !kinds.is_empty() || s.condition.0 != 0 || s.micro != 0 || !locks.is_empty();
                holds.then(|| StepView {
                    step: n,
                    kinds,
                    condition: (s.condition.0 != 0).then(|| s.condition.name()),
                    micro: s.micro,
                    repeats: s.repeats,
                    locks,
                    sample_lock: None,
                })
            })
            .collect();
        tracks.push(TrackView {
            kind: "midi",
            track: t,
            length: if settings.per_track { ts.length } else { settings.master_length },
            machine: None,
            slot: None,
            sample: None,
            steps,
        });
    }
    Ok(PatternView {
        project: dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default(),
        bank: bank_no,
        pattern,
        part,
        part_name: bank.part_name(part).unwrap_or_default(),
        master_length: settings.master_length,
        per_track: settings.per_track,
        tempo: settings.tempo,
        tracks,
    })
}

/// One audio track of a part: machine and slots.
#[derive(Debug, Clone, Serialize)]
pub struct PartTrackView {
    /// Track 1-8.
    pub track: u8,
    /// Machine name.
    pub machine: String,
    /// Static slot.
    pub static_slot: u16,
    /// Flex slot.
    pub flex_slot: u16,
}

/// A part of a bank.
#[derive(Debug, Clone, Serialize)]
pub struct PartView {
    /// Part 1-4.
    pub part: u8,
    /// Name.
    pub name: String,
    /// Patterns (with trigs) that play it.
    pub patterns: Vec<u8>,
    /// The 8 audio tracks (working copy).
    pub tracks: Vec<PartTrackView>,
}

/// One backup of the project (made by a groovekit operation).
#[derive(Debug, Clone, Serialize)]
pub struct BackupView {
    /// The folder's name under `backups/`.
    pub name: String,
    /// The operation (`copy-bank`, `restore`, ...).
    pub label: String,
    /// When (UTC).
    pub created_utc: String,
    /// Files the operation changed (backed up) and created (no backup).
    pub changed: Vec<String>,
    /// Files it created.
    pub created: Vec<String>,
}

/// A project page.
#[derive(Debug, Clone, Serialize)]
pub struct ProjectView {
    /// Folder name.
    pub name: String,
    /// Its path under the root, for links.
    pub rel: String,
    /// Tempo.
    pub tempo: Option<f64>,
    /// For each bank 1-16 present: the patterns with trigs.
    pub banks: Vec<groovekit_octatrack::ops::set_index::BankSummary>,
    /// The parts of the bank shown (`?bank=N`, default the first present).
    pub parts_bank: u8,
    /// Its parts.
    pub parts: Vec<PartView>,
    /// Slots (`ot slots`), with status.
    pub slots: Vec<SlotRow>,
    /// Arrangements with rows.
    pub arrangements: Vec<groovekit_octatrack::ops::set_index::ArrangementSummary>,
    /// Backups, newest first.
    pub backups: Vec<BackupView>,
    /// Problems reading it.
    pub problems: Vec<String>,
}

/// One row of the slot table.
#[derive(Debug, Clone, Serialize)]
pub struct SlotRow {
    /// Flex or Static.
    pub slot_type: SlotType,
    /// Slot number.
    pub slot: u16,
    /// `PATH=`.
    pub path: String,
    /// The file under the root (for links), when inside it.
    pub file: Option<String>,
    /// `ok`, `missing`, `unplayable`, `unlisted` (used but not listed), `empty`.
    pub status: String,
    /// Why not playable.
    pub reasons: Vec<String>,
    /// Uses in words.
    pub uses: Vec<String>,
    /// Whether any use can sound.
    pub audible: bool,
}

fn backups(dir: &Path) -> Vec<BackupView> {
    let Ok(rd) = std::fs::read_dir(dir.join("backups")) else { return Vec::new() };
    let mut out: Vec<BackupView> = rd
        .flatten()
        .filter_map(|e| {
            let text = std::fs::read_to_string(e.path().join("manifest.json")).ok()?;
            let m: Value = serde_json::from_str(&text).ok()?;
            let files = m.get("files").and_then(Value::as_array).cloned().unwrap_or_default();
            let path_of = |f: &Value| f.get("path").and_then(Value::as_str).unwrap_or_default().to_string();
            Some(BackupView {
                name: e.file_name().to_string_lossy().into_owned(),
                label: m.get("label").and_then(Value::as_str).unwrap_or_default().into(),
                created_utc: m.get("created_utc").and_then(Value::as_str).unwrap_or_default().into(),
                changed: files.iter().filter(|f| f.get("backup").is_some_and(|b| !b.is_null())).map(path_of).collect(),
                created: files.iter().filter(|f| f.get("backup").is_none_or(Value::is_null)).map(path_of).collect(),
            })
        })
        .collect();
    out.sort_by(|a, b| b.name.cmp(&a.name));
    out
}

/// The project view of `dir` (`rel` under `root`), the parts of bank `bank` (default: the first).
pub fn project_view(app: &App, root: &Root, rel: &str, dir: &Path, bank: Option<u8>) -> Result<ProjectView, Response> {
    let index = groovekit_octatrack::ops::set_index::SetIndex::open(dir).map_err(|e| fail(404, e))?;
    let summary = index.projects.first().cloned().ok_or_else(|| Response::error(404, "no project here"))?;
    let p = ProjectDir::open(dir).map_err(|e| fail(404, e))?;
    let parts_bank = bank.or_else(|| summary.banks.first().map(|b| b.bank)).unwrap_or(1);
    let mut parts = Vec::new();
    if let Some(raw) = p.read_bank(usize::from(parts_bank), State::Work).map_err(|e| fail(404, e))? {
        let b = Bank::from_raw(raw, parts_bank);
        let with_trigs: Vec<usize> = b.raw().patterns_with_trigs();
        for part in 1..=4u8 {
            let patterns = with_trigs
                .iter()
                .filter(|&&pi| b.raw().pattern(pi).part().min(3) + 1 == part)
                .map(|&pi| pi as u8 + 1) // ok: < 16
                .collect();
            let mut tracks = Vec::new();
            for t in 1..=8u8 {
                let pt = b.part_track(part, PartCopy::Working, t).map_err(|e| fail(400, e))?;
                tracks.push(PartTrackView {
                    track: t,
                    machine: groovekit_octatrack::raw::part::machine_name(pt.machine),
                    static_slot: pt.static_slot,
                    flex_slot: pt.flex_slot,
                });
            }
            parts.push(PartView { part, name: b.part_name(part).unwrap_or_default(), patterns, tracks });
        }
    }
    let report = list_slots(dir, SlotsFilter::default()).map_err(|e| fail(404, e))?;
    let slots = report
        .slots
        .iter()
        .filter(|s| !(s.slot_type == SlotType::Flex && s.slot > 128 && s.path.is_empty()))
        // A slot the project does not list matters only when something can sound through it
        // (part slots of unused machines point at slot numbers by default).
        .filter(|s| s.listed || s.audible())
        .map(|s| {
            let check = s.file.as_ref().filter(|f| f.is_file()).map(|f| check_file(f));
            let status = if !s.listed {
                "unlisted"
            } else if s.path.is_empty() {
                "empty"
            } else if s.missing {
                "missing"
            } else if check.as_ref().is_some_and(|c| !c.usable) {
                "unplayable"
            } else {
                "ok"
            };
            SlotRow {
                slot_type: s.slot_type,
                slot: s.slot,
                path: s.path.clone(),
                file: s.file.as_ref().and_then(|f| root.contain(f).ok()).and_then(|f| root.rel(&f)),
                status: status.into(),
                reasons: check.map(|c| c.reasons).unwrap_or_default(),
                uses: s.uses.iter().map(groovekit_octatrack::ops::slots::describe_use).collect(),
                audible: s.audible(),
            }
        })
        .collect();
    let _ = app;
    Ok(ProjectView {
        name: summary.name,
        rel: rel.to_string(),
        tempo: summary.tempo,
        banks: summary.banks,
        parts_bank,
        parts,
        slots,
        arrangements: summary.arrangements,
        backups: backups(dir),
        problems: summary.problems,
    })
}

/// A sample page.
#[derive(Debug, Clone, Serialize)]
pub struct SampleView {
    /// Path under the root.
    pub rel: String,
    /// Size in bytes.
    pub size: u64,
    /// Header facts and playability.
    pub audio: AudioCheck,
    /// The `.ot` beside it: tempo, trim, loop, slices (frames).
    pub ot: Option<Value>,
    /// Why the `.ot` could not be read.
    pub ot_problem: Option<String>,
    /// Slots (in the Set's projects) that use it.
    pub slots: Vec<FileUse>,
    /// Where a browser plays it from: `/file/R/PATH` (the file as it is) when browsers play its
    /// format, else `/wav/R/PATH` (decoded to WAV by the server; see [`browsers_play`]).
    pub play: String,
}

/// Whether browsers play files of `format` (a container name of `AudioCheck::format`) as they
/// are. WAV and FLAC: yes (MDN's table of web containers lists both for Chrome, Firefox and
/// Safari). AIFF and AIFF-C: no, though the Octatrack and the OP-Z play them: Chromium 156 has
/// `canPlayType("audio/aiff")` empty and fails on the file ("DEMUXER_ERROR_COULD_NOT_OPEN", seen
/// in the browser test), and MDN lists no AIFF for Firefox; the Sample page plays those through
/// `/wav/...`. An unreadable file (no format) is offered as it is: the browser's own error then
/// says what is wrong.
pub fn browsers_play(format: Option<&str>) -> bool {
    use groovekit_audio::pcm::Container;
    !matches!(format, Some(f) if f == Container::Aiff.name() || f == Container::AiffC.name())
}

/// The sample view of `file` (`rel` under `root`).
pub fn sample_view(app: &App, root: &Root, rel: &str, file: &Path) -> Result<SampleView, Response> {
    if !file.is_file() {
        return Err(Response::error(404, &format!("{rel}: no such file")));
    }
    let size = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    let audio = check_file(file);
    let ot_path = groovekit_octatrack::ops::slices::ot_path_for(file);
    let (ot, ot_problem) = match std::fs::read(&ot_path) {
        Err(_) => (None, None),
        Ok(bytes) => match SampleSettings::from_bytes(&bytes) {
            Ok(s) => (
                Some(json!({
                    "bpm": s.bpm(),
                    "gain_db": s.gain_db(),
                    "trim_start": s.trim_start,
                    "trim_end": s.trim_end,
                    "loop_point": s.loop_point,
                    "slices": s.slices.iter().map(|x| json!({"start": x.start, "end": x.end, "loop_point": x.loop_point})).collect::<Vec<_>>(),
                    "problems": s.problems(audio.frames),
                })),
                None,
            ),
            Err(e) => (None, Some(format!("{}: {e}", ot_path.display()))),
        },
    };
    let slots = match root.kind {
        crate::paths::RootKind::Folder => Vec::new(),
        _ => app.index(root, false).ok().and_then(|i| i.file(file).map(|f| f.slots.clone())).unwrap_or_default(),
    };
    let route = if browsers_play(audio.format.as_deref()) { "file" } else { "wav" };
    let play = format!("/{route}/{}/{}", root.id, crate::http::encode_path(&root.rel(file).unwrap_or_default()));
    Ok(SampleView { rel: rel.to_string(), size, audio, ot, ot_problem, slots, play })
}

/// One entry of a folder listing.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// Name.
    pub name: String,
    /// Path under the root.
    pub rel: String,
    /// `folder`, `ot-project`, `audio`, `opz-kit` (a sample pack), `opz-project`, `okt`, `track`,
    /// `file`.
    pub kind: &'static str,
}

/// What kind of file a path is, for links (by content where cheap, else by extension).
pub fn entry_kind(path: &Path) -> &'static str {
    if path.is_dir() {
        return if path.join("project.work").is_file() { "ot-project" } else { "folder" };
    }
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_ascii_lowercase();
    match ext.as_str() {
        "aif" | "aiff" | "aifc" if is_kit(path) => "opz-kit",
        "wav" | "wave" | "aif" | "aiff" | "aifc" | "flac" => "audio",
        "okt" => "okt",
        "track" => "track",
        _ => {
            let head = std::fs::File::open(path).ok().and_then(|mut f| {
                let mut b = [0u8; 8];
                std::io::Read::read_exact(&mut f, &mut b).ok().map(|()| b)
            });
            match head {
                Some(h) if h.starts_with(b"OKTASONG") => "okt",
                _ if ext == "opz" || path.file_name().is_some_and(|n| n == "project.opz") => "opz-project",
                _ => "file",
            }
        }
    }
}

/// The entries of folder `dir` (`rel` under `root`), folders first.
pub fn folder_view(root: &Root, rel: &str, dir: &Path) -> Result<Vec<Entry>, Response> {
    let rd = std::fs::read_dir(dir).map_err(|e| fail(404, format!("{rel}: {e}")))?;
    let mut out: Vec<Entry> = rd
        .flatten()
        .filter_map(|e| {
            let path = e.path();
            let canon = root.contain(&path).ok()?; // symlinks out are not listed
            let name = e.file_name().to_string_lossy().into_owned();
            Some(Entry { rel: root.rel(&canon)?, kind: entry_kind(&canon), name })
        })
        .collect();
    out.sort_by(|a, b| ((a.kind != "folder") as u8, &a.name).cmp(&((b.kind != "folder") as u8, &b.name)));
    Ok(out)
}

/// One slice of an OP-Z drum kit, in frames (read by `groovekit_opz::kit`: a position's full
/// scale is 12 s at 44.1 kHz, whatever the file's length).
#[derive(Debug, Clone, Serialize)]
pub struct KitSliceView {
    /// Slice 1-24 (the OP-Z's keys, counted from 1).
    pub slice: usize,
    /// First frame.
    pub start: u64,
    /// The frame after the last.
    pub end: u64,
    /// `end - start` (0: an empty slice, nothing to play).
    pub frames: u64,
    /// Frames that play: the slice clamped to the audio, as `groovekit opz kit split` cuts it
    /// (kits written by the device can point past their last frame).
    pub playable: u64,
}

/// An OP-Z / OP-1 sample pack (an AIFF with the `op-1` JSON).
#[derive(Debug, Clone, Serialize)]
pub struct KitView {
    /// Path under the root (not encoded).
    pub rel: String,
    /// The JSON's `name`.
    pub name: String,
    /// The JSON's `type`: `drum` (24 slices) or `sampler` (one sound, no slices).
    pub kind: String,
    /// Sample rate (Hz, rounded).
    pub sample_rate: u32,
    /// Channels.
    pub channels: u16,
    /// Bits per sample.
    pub bits: u16,
    /// Frames of audio.
    pub frames: u64,
    /// The drum slices (empty for a sampler pack).
    pub slices: Vec<KitSliceView>,
    /// What is odd about it (slices past the audio).
    pub problems: Vec<String>,
}

/// Reads the sample pack `file` through `groovekit_opz::kit`.
fn read_kit(file: &Path) -> Result<groovekit_opz::kit::Kit, Response> {
    let bytes = std::fs::read(file).map_err(|e| fail(404, format!("{}: {e}", file.display())))?;
    groovekit_opz::kit::Kit::parse(&bytes).map_err(|e| fail(400, format!("{}: {e}", file.display())))
}

/// The kit view of the sample pack `file`, `rel` (not encoded) under its root.
pub fn kit_view(rel: &str, file: &Path) -> Result<KitView, Response> {
    let kit = read_kit(file)?;
    let format = kit.aiff.format().map_err(|e| fail(400, e))?;
    let json = kit.json().map_err(|e| fail(400, e))?;
    let kind = json.get("type").and_then(Value::as_str).unwrap_or_default().to_string();
    let frames = u64::from(format.frames);
    let mut problems = Vec::new();
    let slices = if kind == "drum" { kit.slices().map_err(|e| fail(400, e))? } else { Vec::new() };
    let slices = slices
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let (start, end) = (s.start_frame(), s.end_frame());
            let playable = end.min(frames).saturating_sub(start.min(frames));
            // Positions round to the nearest frame, so a slice that ends with the audio can land
            // one frame past it (perc-kick076_patch.aif's slice 24): only more is worth a word.
            if end > frames + 1 && end > start {
                problems.push(format!(
                    "slice {} ends at frame {end}, after the audio's {frames} frames: {playable} of its frames play",
                    i + 1
                ));
            }
            KitSliceView { slice: i + 1, start, end, frames: end.saturating_sub(start), playable }
        })
        .collect();
    Ok(KitView {
        rel: rel.to_string(),
        name: json.get("name").and_then(Value::as_str).unwrap_or_default().to_string(),
        kind,
        sample_rate: kit_rate(format.rate),
        channels: format.channels,
        bits: format.bits,
        frames,
        slices,
        problems,
    })
}

/// A kit's rate as a whole number of Hz (44.1 kHz when the header's is unusable).
fn kit_rate(rate: f64) -> u32 {
    if rate.is_finite() && (1.0..=768_000.0).contains(&rate) {
        rate.round() as u32 // ok: in range
    } else {
        groovekit_opz::kit::KIT_RATE
    }
}

/// Slice `slice` (1-24) of the drum kit `file` as a mono 16-bit WAV: the frames
/// `groovekit opz kit split` writes for it (the same library call).
pub fn kit_slice_wav(file: &Path, slice: usize) -> Result<Vec<u8>, Response> {
    let kit = read_kit(file)?;
    let kind = kit.kit_type().map_err(|e| fail(400, e))?;
    if kind != "drum" {
        // A sampler pack keeps whatever start/end arrays its maker left; the OP-Z plays it whole.
        return Err(Response::error(400, &format!("a `{kind}` pack, not a drum kit: it has no slices to play")));
    }
    let rate = kit_rate(kit.aiff.format().map_err(|e| fail(400, e))?.rate);
    let count = kit.slices().map_err(|e| fail(400, e))?.len();
    if slice == 0 || slice > count {
        return Err(Response::error(400, &format!("slice={slice}: this kit has slices 1-{count}")));
    }
    let parts = groovekit_opz::kit::slice_frames(&kit).map_err(|e| fail(400, e))?;
    let (_, frames) = parts
        .iter()
        .find(|(i, _)| *i + 1 == slice)
        .ok_or_else(|| Response::error(404, &format!("slice {slice} is empty: nothing to play")))?;
    Ok(groovekit_opz::kit::wav_bytes(frames, rate))
}

/// Folders searched for sample packs below an OP-Z disk's `samplepacks/` (`1-kick/01/x.aif`).
const KIT_DEPTH: usize = 3;
/// Most kits listed on a project page (a disk holds 8 tracks x 10 slots).
const MAX_KITS: usize = 100;

/// The sample packs of the OP-Z disk a project belongs to: the `samplepacks` folder of the
/// nearest folder, from the project's own up to the root, that has one (on the device the
/// projects are in `projects/` beside `samplepacks/`). Packs are not tied to a project: the
/// project names user packs by IDs nobody has decoded (reference/opz.md, "user sample packs").
pub fn disk_kits(root: &Root, project: &Path) -> (Vec<KitView>, Vec<String>) {
    let mut dir = project.parent();
    let packs = loop {
        match dir {
            Some(d) if root.contain(d).is_ok() => {
                if d.join("samplepacks").is_dir() {
                    break Some(d.join("samplepacks"));
                }
                dir = d.parent();
            }
            _ => break None,
        }
    };
    let mut files = Vec::new();
    if let Some(p) = packs {
        find_kits(root, &p, KIT_DEPTH, &mut files);
    }
    files.sort();
    let (mut kits, mut problems) = (Vec::new(), Vec::new());
    for (rel, path) in files.iter().take(MAX_KITS) {
        match kit_view(rel, path) {
            Ok(k) => kits.push(k),
            Err(e) => problems.push(e.text()),
        }
    }
    if files.len() > MAX_KITS {
        problems.push(format!("{} more sample packs are not shown", files.len() - MAX_KITS));
    }
    (kits, problems)
}

fn find_kits(root: &Root, dir: &Path, depth: usize, out: &mut Vec<(String, PathBuf)>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let Ok(path) = root.contain(&e.path()) else { continue }; // symlinks out are not read
        if path.is_dir() {
            if depth > 0 {
                find_kits(root, &path, depth - 1, out);
            }
        } else if entry_kind(&path) == "opz-kit"
            && let Some(rel) = root.rel(&path)
        {
            out.push((rel, path));
        }
    }
}

/// Whether an AIFF file is an OP-Z/OP-1 sample pack, from its first 4 KiB: the `op-1` chunk
/// comes right after `COMM`, before the audio, in every pack seen (device-written,
/// teoperator's, groovekit's), and `looks_like_kit` answers at its header. One block per file
/// keeps a folder of thousands of Octatrack AIFFs quick to list.
fn is_kit(path: &Path) -> bool {
    let mut head = Vec::new();
    let read = std::fs::File::open(path)
        .and_then(|f| std::io::Read::read_to_end(&mut std::io::Read::take(f, 4096), &mut head));
    read.is_ok() && groovekit_opz::kit::looks_like_kit(&head)
}

/// An OP-Z project: the pattern grid of pattern `p` (1-16) as JSON and SVG.
pub fn opz_view(file: &Path, p: usize) -> Result<(Value, String), Response> {
    let bytes = std::fs::read(file).map_err(|e| fail(404, e))?;
    let project = groovekit_opz::model::Project::parse(&bytes).map_err(|e| fail(400, e))?;
    let pi = p.clamp(1, 16) - 1;
    let mut v = groovekit_opz::view::json(&project, pi, true).map_err(|e| fail(400, e))?;
    // The 16 chains (15 saved, then the playing one), patterns counted from 1.
    let chains: Vec<Vec<u16>> = (0..16).map(|c| project.chain(c).iter().map(|&e| u16::from(e) + 1).collect()).collect();
    if let Some(o) = v.as_object_mut() {
        o.insert("chains".into(), json!(chains));
    }
    let svg = groovekit_opz::view::svg(&project, pi).map_err(|e| fail(400, e))?;
    Ok((v, svg))
}

/// An Oktalyzer module: order, patterns, samples.
pub fn okt_view(file: &Path) -> Result<Value, Response> {
    let bytes = std::fs::read(file).map_err(|e| fail(404, e))?;
    let (m, warnings) = groovekit_okt::model::Module::load(&bytes)
        .map_err(|e| fail(400, groovekit_okt::verify::load_problem(file, &bytes, &e).line()))?;
    Ok(json!({
        "channels": m.channels(),
        "speed": m.speed,
        "order": m.song_order(),
        "patterns": m.patterns.iter().map(|p| p.rows).collect::<Vec<_>>(),
        "samples": m.samples.iter().enumerate().filter(|(_, s)| s.length > 0).map(|(i, s)| json!({
            "number": i + 1, "name": s.name_text(), "length": s.length, "volume": s.volume,
            "repeat_start": s.repeat_start, "repeat_length": s.repeat_length,
        })).collect::<Vec<_>>(),
        "duration_seconds": groovekit_okt::render::duration_seconds(&m),
        "warnings": groovekit_okt::model::group_warnings(&warnings).iter().map(|w| w.to_string()).collect::<Vec<_>>(),
    }))
}

/// A `.track` song: its problems with line:col, and its summary when valid.
pub fn track_view(file: &Path) -> Result<Value, Response> {
    let text = std::fs::read_to_string(file).map_err(|e| fail(404, e))?;
    let checked = groovekit_track::check(&text);
    let diags: Vec<Value> = checked
        .diagnostics
        .iter()
        .map(|d| {
            json!({
                "severity": if d.is_error() { "error" } else { "warning" },
                "line": d.span.line, "col": d.span.col, "message": d.message, "help": d.help,
            })
        })
        .collect();
    Ok(json!({ "valid": checked.song.is_some(), "problems": diags, "text": text }))
}

/// The API's own description (`GET /api`).
pub fn api_doc() -> Value {
    json!({
        "kind": "groovekit-serve-api",
        "note": "R is a served root's number (GET /api/roots); PATH is a /-separated path under it, percent-encoded per segment",
        "endpoints": [
            {"get": "/api/roots", "returns": "the served roots: id, folder, kind (set, project, folder)"},
            {"get": "/api/set/R[?rescan=1]", "returns": "the Set index: projects, files with header facts and slot uses, missing files; plus the verify report"},
            {"get": "/api/duplicates/R", "returns": "groups of files with identical bytes"},
            {"get": "/api/project/R/PATH[?bank=N]", "returns": "a project: banks and patterns with trigs, parts, slots with status and uses, arrangements, backups"},
            {"get": "/api/pattern/R/PATH?bank=N&pattern=N", "returns": "the steps holding data of every track, with kinds, condition, micro-timing, locks"},
            {"get": "/api/sample/R/PATH", "returns": "an audio file: header facts, playability, .ot settings and slices, slots using it"},
            {"get": "/api/peaks/R/PATH?n=N", "returns": "waveform peaks: N (min, max) columns"},
            {"get": "/api/folder/R/PATH", "returns": "a folder's entries with their kinds"},
            {"get": "/api/opz/R/PATH?pattern=N", "returns": "an OP-Z project pattern grid, chains, mutes, and the sample packs of its disk (kits with their slices)"},
            {"get": "/api/kit/R/PATH", "returns": "an OP-Z sample pack: name, type, format, slices (start, end, frames, playable frames)"},
            {"get": "/api/kit-slice/R/PATH?slice=N", "returns": "slice N (1-24) of a drum kit as a mono 16-bit WAV (HTTP Range supported)"},
            {"get": "/api/okt/R/PATH", "returns": "an Oktalyzer module: order, patterns, samples"},
            {"get": "/api/track/R/PATH", "returns": "a .track song: problems with line:col"},
            {"get": "/file/R/PATH", "returns": "the file as it is (HTTP Range supported)"},
            {"get": "/wav/R/PATH", "returns": "an audio file as a WAV a browser plays: a WAV as it is, AIFF, AIFF-C and FLAC decoded (same rate and channels; 8/16-bit as 16-bit, 24-bit as 24-bit, float and 32-bit as 32-bit float; cached; HTTP Range supported)"},
            {"get": "/render/R/PATH", "returns": "an Oktalyzer module or .track song rendered to WAV"},
            {"post": "/api/edit/OP", "body": "JSON: root, parameters, apply (false: the plan only)", "header": "X-Groovekit-Token: the token of the page's <meta name=gk-token>",
             "ops": crate::edits::OPS,
             "returns": "the plan (apply false) or what was done; refused (403) unless the server runs with --allow-edits"}
        ]
    })
}

/// Serves `GET /api/VIEW/R/PATH`.
pub fn api(app: &App, view: &str, root: &Root, rel: &str, req: &Request) -> Response {
    let result: Result<Value, Response> = (|| {
        let path = app.resolve(root, rel)?;
        let to_json = |v: &dyn erased::Ser| v.value();
        match view {
            "set" => {
                let rescan = req.param("rescan").is_some();
                let index = app.index(root, rescan)?;
                let report = app.verify(root, rescan);
                Ok(json!({"index": to_json(&*index), "verify": to_json(&*report)}))
            }
            "duplicates" => {
                let index = app.index(root, false)?;
                let groups = index.duplicates().map_err(|e| fail(500, e))?;
                Ok(json!(
                    groups.iter().map(|g| g.iter().map(|f| f.name.clone()).collect::<Vec<_>>()).collect::<Vec<_>>()
                ))
            }
            "project" => {
                let dir = project_dir(app, root, rel)?;
                let bank = req.param("bank").and_then(|b| b.parse().ok());
                Ok(to_json(&project_view(app, root, rel, &dir, bank)?))
            }
            "pattern" => {
                let dir = project_dir(app, root, rel)?;
                let (b, p) = bank_pattern(req)?;
                Ok(to_json(&pattern_view(&dir, b, p)?))
            }
            "sample" => Ok(to_json(&sample_view(app, root, rel, &path)?)),
            "peaks" => {
                let n = req.param("n").and_then(|n| n.parse().ok()).unwrap_or(1000);
                Ok(to_json(&crate::peaks::peaks(&path, n).map_err(|e| fail(400, e))?))
            }
            "folder" => Ok(to_json(&folder_view(root, rel, &path)?)),
            "opz" => {
                let p = req.param("pattern").and_then(|p| p.parse().ok()).unwrap_or(1);
                let mut v = opz_view(&path, p)?.0;
                let (kits, problems) = disk_kits(root, &path);
                if let Some(o) = v.as_object_mut() {
                    o.insert("kits".into(), to_json(&kits));
                    o.insert("kit_problems".into(), json!(problems));
                }
                Ok(v)
            }
            "kit" => Ok(to_json(&kit_view(&root.rel(&path).unwrap_or_default(), &path)?)),
            "okt" => okt_view(&path),
            "track" => track_view(&path),
            _ => Err(Response::error(404, &format!("no API view `{view}` (GET /api lists them)"))),
        }
    })();
    match result {
        Ok(v) => Response::json(200, &v),
        Err(r) => r,
    }
}

/// `?bank=N&pattern=N` (default 1, 1).
pub fn bank_pattern(req: &Request) -> Result<(u8, u8), Response> {
    let get = |k: &str| -> Result<u8, Response> {
        match req.param(k) {
            None => Ok(1),
            Some(v) => v
                .parse::<u8>()
                .ok()
                .filter(|n| (1..=16).contains(n))
                .ok_or_else(|| Response::error(400, &format!("{k}={v}: must be 1-16"))),
        }
    };
    Ok((get("bank")?, get("pattern")?))
}

/// Serialisation through a trait object (the API turns several view types into JSON).
mod erased {
    /// Anything serialisable, as a JSON value.
    pub trait Ser {
        /// The value.
        fn value(&self) -> serde_json::Value;
    }
    impl<T: serde::Serialize> Ser for T {
        fn value(&self) -> serde_json::Value {
            serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
        }
    }
}
