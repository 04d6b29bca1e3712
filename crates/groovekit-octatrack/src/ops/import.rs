//! Bringing sample slots from one project into another: the slot map, the files to copy, and
//! the new `project.work` / `markers.work` (and `.strd`) of the destination. Used by every copy
//! operation (bank, pattern, part, track, slots).
//!
//! Rules (issue 13), per referenced source slot, in slot order, Flex then Static:
//! 1. same project: the slot stays what it is;
//! 2. reuse: a destination slot of the same type whose file has the same **content** (size, then
//!    BLAKE3), the same slot settings (timing, time-stretch, loop, gain, trig quantization) and the
//!    same markers record (trim, loop, slices), or a slot this operation already added for an
//!    identical source slot;
//! 3. otherwise a free destination slot (a slot not listed with a path and not taken by this
//!    operation): the same number when free, else the lowest free one. When a type would pass 128
//!    slots, the whole operation stops before writing and lists what does not fit;
//! 4. a reference to a slot that is empty in the source is sent to an empty destination slot, so
//!    that it stays silent (when there is none, it keeps its number and a warning says so).
//!
//! Files: a source file already inside the destination project folder or its Set's `AUDIO` pool
//! is referenced where it is. Any other is copied, with its `.ot`, into the destination project
//! folder (or the pool with `to_pool`, keeping its sub-folders under `AUDIO`). A file of the same
//! name with the same bytes is reused; one with other bytes is never overwritten: the copy gets a
//! unique name (`name-2.wav`, ...) and the slot path follows.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::OtError;
use crate::model::project::{Project, SampleSlot, SlotType};
use crate::ops::backup::Change;
use crate::ops::content::ContentCache;
use crate::ops::project_dir::{
    ProjectDir, State, invalid, is_inside, markers_ref, normalize, os_to_bytes, relative_path,
};
use crate::raw::markers::{Markers, RECORD_SIZE, RECORDS_OFFSET};

/// What a copy does with a source slot whose sample file is missing (the usual state of a project
/// taken off a card without its `AUDIO` folder, such as the real-device fixture).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingSamples {
    /// Refuse the copy, naming the missing files and `--missing keep` (the default: a copy that
    /// plays silence where the source played samples should be asked for).
    #[default]
    Refuse,
    /// Copy anyway: each such slot keeps its `PATH` text, settings and markers record, no file is
    /// copied, and the plan and result list it as missing (fix it later with `ot relink`).
    Keep,
}

impl MissingSamples {
    /// The refusal for `missing` (one `type slot N: file` each) under this policy, or `None`
    /// when the copy may go on.
    pub fn refusal(self, missing: &[String]) -> Option<String> {
        (self == MissingSamples::Refuse && !missing.is_empty()).then(|| {
            format!(
                "sample files missing: {} (copy anyway with `--missing keep`: the slots keep their paths and the samples can be put back later; or find them with `groovekit ot relink`)",
                missing.join("; ")
            )
        })
    }

    /// [`MissingSamples::refusal`] as the error of a run that writes (nothing was changed).
    pub fn check(self, missing: &[String], src_dir: &Path) -> Result<(), OtError> {
        match self.refusal(missing) {
            Some(m) => Err(invalid(src_dir, format!("nothing was changed: {m}"))),
            None => Ok(()),
        }
    }
}

/// Import options.
#[derive(Debug, Clone, Copy, Default)]
pub struct ImportOptions {
    /// Copy sample files into the Set's `AUDIO` pool instead of the project folder.
    pub to_pool: bool,
    /// Also write `project.strd` and `markers.strd`.
    pub also_strd: bool,
}

/// What happens to one source slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SlotAction {
    /// Same project: unchanged.
    Same,
    /// An existing destination slot with the same content and settings.
    Reuse,
    /// A new destination slot.
    New,
    /// The source slot is empty: sent to an empty destination slot.
    Empty,
    /// The source slot is empty and no empty destination slot is left: number kept.
    Kept,
}

/// One line of the slot map.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SlotMove {
    /// Flex or Static.
    pub slot_type: SlotType,
    /// Source slot (1-based).
    pub from: u16,
    /// Destination slot (1-based).
    pub to: u16,
    /// Why.
    pub action: SlotAction,
    /// The destination `PATH=` (empty for empty slots).
    pub path: String,
}

/// One sample file (audio or `.ot`) to copy.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FileCopy {
    /// Source.
    pub from: PathBuf,
    /// New file.
    pub to: PathBuf,
    /// Whether the name differs from the source's because another file has the name.
    pub renamed: bool,
}

/// The result of importing slots: the map and what to write.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Import {
    /// The slot map, Flex then Static, by source slot.
    pub slots: Vec<SlotMove>,
    /// Files to copy.
    pub files: Vec<FileCopy>,
    /// Source slots whose sample file is missing (`flex slot 3: /set/AUDIO/x.wav`): imported with
    /// their path kept, no file copied. The callers refuse the copy when this is not empty unless
    /// [`MissingSamples::Keep`] is asked for.
    pub missing: Vec<String>,
    /// Things the user should know (nothing fatal).
    pub warnings: Vec<String>,
    /// The file changes (`project`, `markers`, their `.strd` with `also_strd`, and the copies).
    #[serde(skip)]
    pub changes: Vec<Change>,
}

impl Import {
    /// The destination slot of a source slot.
    pub fn map(&self, slot_type: SlotType, slot: u16) -> Option<u16> {
        self.slots.iter().find(|m| m.slot_type == slot_type && m.from == slot).map(|m| m.to)
    }

    /// The map as a closure for [`crate::ops::refs::remap_bank`].
    pub fn mapper(&self) -> impl Fn(SlotType, u16) -> Option<u16> + '_ {
        move |t, s| self.map(t, s)
    }
}

/// A slot this import added: type, source file, source slot (for its settings), markers record,
/// destination slot.
type Added = (SlotType, PathBuf, SampleSlot, Option<Vec<u8>>, u16);

/// Slot settings that must agree for a slot to be reused.
fn settings_key(s: &SampleSlot) -> impl PartialEq + use<> {
    (s.timing.clone(), s.tsmode, s.loopmode, s.gain, s.trig_quantization)
}

/// The markers record of a slot, or `None` when there is no markers file.
fn record(m: Option<&Markers>, slot_type: SlotType, slot: u16) -> Option<Vec<u8>> {
    let i = markers_ref(slot_type, slot)?.index()?;
    m.map(|m| m.record(i).raw().to_vec())
}

/// Copies the source slot's markers record to destination slot `to` (a warning when the source
/// has no markers file and the destination's record stays).
pub(crate) fn copy_record(
    dst_markers: &mut Option<Markers>,
    src_record: &Option<Vec<u8>>,
    slot_type: SlotType,
    s: u16,
    to: u16,
    out: &mut Import,
) {
    if let (Some(rec), Some(i)) = (src_record, markers_ref(slot_type, to).and_then(|r| r.index())) {
        let m = dst_markers.get_or_insert_with(Markers::new_default);
        if let Some(dst_rec) =
            m.bytes_mut().get_mut(RECORDS_OFFSET + i * RECORD_SIZE..RECORDS_OFFSET + (i + 1) * RECORD_SIZE)
        {
            dst_rec.copy_from_slice(rec);
        }
    } else if src_record.is_none() && dst_markers.is_some() {
        out.warnings.push(format!(
            "{} slot {s}: the source project has no markers file, so destination slot {to} keeps its markers record (trim, loop, slices)",
            slot_type.describe()
        ));
    }
}

/// The `.ot` beside an audio file.
fn ot_of(audio: &Path) -> PathBuf {
    audio.with_extension("ot")
}

/// `stem-N.ext` beside `path`.
fn numbered(path: &Path, n: usize) -> PathBuf {
    let stem = path.file_stem().map(os_to_bytes).unwrap_or_default();
    let mut name = stem;
    name.extend_from_slice(format!("-{n}").as_bytes());
    if let Some(ext) = path.extension() {
        name.push(b'.');
        name.extend(os_to_bytes(ext));
    }
    path.with_file_name(crate::ops::project_dir::resolve(Path::new(""), &name))
}

/// Imports the slots `wanted` (type, 1-based slot) of `src` into `dst` (see the module docs).
/// Nothing is written: the result carries the changes.
pub fn import(
    src: &ProjectDir,
    dst: &ProjectDir,
    wanted: &[(SlotType, u16)],
    opts: ImportOptions,
) -> Result<Import, OtError> {
    let mut out = Import::default();
    let mut wanted: Vec<(SlotType, u16)> =
        wanted.iter().copied().filter(|&(t, s)| !(t == SlotType::Flex && s > 128) && s >= 1).collect();
    wanted.sort();
    wanted.dedup();
    let same_project = normalize(&src.dir) == normalize(&dst.dir);
    if same_project {
        for (slot_type, s) in wanted {
            let path = src.project.sample(slot_type, s).map(|x| x.path_lossy()).unwrap_or_default();
            out.slots.push(SlotMove { slot_type, from: s, to: s, action: SlotAction::Same, path });
        }
        return Ok(out);
    }
    let src_markers = src.read_markers(State::Work)?;
    let mut dst_markers = dst.read_markers(State::Work)?;
    let dst_markers_before = dst_markers.clone();
    let mut project = dst.project.clone();
    let mut cache = ContentCache::new();
    // Slots taken in the destination: listed with a path, or given out by this import.
    let mut taken: HashSet<(SlotType, u16)> = dst
        .project
        .samples()
        .iter()
        .filter(|s| !s.path.is_empty() && s.slot <= 128)
        .map(|s| (s.slot_type, s.slot))
        .collect();
    // New files by target path (normalised), with their source, to reuse within this import.
    let mut planned_files: HashMap<PathBuf, PathBuf> = HashMap::new();
    // New slots by (type) -> list of (source file, settings slot, markers record, dest slot).
    let mut added: Vec<Added> = Vec::new();
    // Slots with a missing file this import added: type, source block, destination slot.
    let mut kept: Vec<(SlotType, SampleSlot, u16)> = Vec::new();
    let mut no_room: BTreeMap<SlotType, Vec<u16>> = BTreeMap::new();
    let mut empties = Vec::new();
    let free_slot = |taken: &HashSet<(SlotType, u16)>, t: SlotType, prefer: u16| -> Option<u16> {
        if prefer <= 128 && !taken.contains(&(t, prefer)) {
            return Some(prefer);
        }
        (1..=128u16).find(|n| !taken.contains(&(t, *n)))
    };

    for &(slot_type, s) in &wanted {
        let Some(slot) = src.project.sample(slot_type, s).filter(|x| !x.path.is_empty()) else {
            empties.push((slot_type, s));
            continue;
        };
        let file = src.sample_path(&slot).unwrap_or_default();
        let src_record = record(src_markers.as_ref(), slot_type, s);
        if !file.is_file() {
            // Missing: the slot keeps its PATH text (same Set: the same file once it is back).
            // Reuse a destination slot that names the same path with the same settings and
            // markers, or one this import added for such a slot; else a free slot.
            out.missing.push(format!("{} slot {}: {}", slot_type.describe(), s, file.display()));
            let same = |d: &SampleSlot, rec: Option<Vec<u8>>| {
                d.path == slot.path
                    && settings_key(d) == settings_key(&slot)
                    && (rec == src_record || rec.is_none() || src_record.is_none())
            };
            let reuse = dst
                .sample_slots(slot_type)
                .into_iter()
                .find(|d| same(d, record(dst_markers_before.as_ref(), slot_type, d.slot)))
                .map(|d| d.slot)
                .or_else(|| {
                    kept.iter()
                        .find(|(t, k, to)| *t == slot_type && same(k, record(dst_markers.as_ref(), slot_type, *to)))
                        .map(|(_, _, to)| *to)
                });
            if let Some(to) = reuse {
                out.slots.push(SlotMove { slot_type, from: s, to, action: SlotAction::Reuse, path: slot.path_lossy() });
                continue;
            }
            let Some(to) = free_slot(&taken, slot_type, s) else {
                no_room.entry(slot_type).or_default().push(s);
                continue;
            };
            taken.insert((slot_type, to));
            let mut new_slot = slot.clone();
            new_slot.slot = to;
            project.set_sample(&new_slot)?;
            copy_record(&mut dst_markers, &src_record, slot_type, s, to, &mut out);
            out.slots.push(SlotMove { slot_type, from: s, to, action: SlotAction::New, path: new_slot.path_lossy() });
            kept.push((slot_type, slot.clone(), to));
            continue;
        }
        // 2. Reuse: a destination slot, or one this import added.
        let mut reuse = None;
        for d in dst.sample_slots(slot_type) {
            if settings_key(&d) != settings_key(&slot) {
                continue;
            }
            let rec = record(dst_markers_before.as_ref(), slot_type, d.slot);
            if src_record.is_some() && rec.is_some() && rec != src_record {
                continue;
            }
            let Some(df) = dst.sample_path(&d).filter(|p| p.is_file()) else { continue };
            if cache.quick(&df)?.0 == cache.quick(&file)?.0 && cache.same(&df, &file)? {
                reuse = Some(d.slot);
                break;
            }
        }
        if reuse.is_none() {
            for (t, f, set, rec, to) in &added {
                if *t == slot_type && settings_key(set) == settings_key(&slot) && *rec == src_record {
                    let (f, file) = (f.clone(), file.clone());
                    if cache.same(&f, &file)? {
                        reuse = Some(*to);
                        break;
                    }
                }
            }
        }
        if let Some(to) = reuse {
            let path = project.sample(slot_type, to).map(|x| x.path_lossy()).unwrap_or_default();
            out.slots.push(SlotMove { slot_type, from: s, to, action: SlotAction::Reuse, path });
            continue;
        }
        // 3. A free slot.
        let Some(to) = free_slot(&taken, slot_type, s) else {
            no_room.entry(slot_type).or_default().push(s);
            continue;
        };
        taken.insert((slot_type, to));
        // The file: where it is, or a copy.
        let in_place = is_inside(&file, &dst.dir) || is_inside(&file, &dst.pool());
        let target = if in_place {
            file.clone()
        } else {
            let base = if opts.to_pool {
                let sub = if is_inside(&file, &src.pool()) {
                    normalize(&file).strip_prefix(normalize(&src.pool())).map(Path::to_path_buf).ok()
                } else {
                    None
                };
                dst.pool().join(sub.unwrap_or_else(|| file.file_name().map(PathBuf::from).unwrap_or_default()))
            } else {
                dst.dir.join(file.file_name().map(PathBuf::from).unwrap_or_default())
            };
            place(&mut cache, &mut planned_files, &file, &base, &mut out)?
        };
        let dest_path = relative_path(&dst.dir, &target);
        let mut new_slot = slot.clone();
        new_slot.slot = to;
        new_slot.path = dest_path;
        project.set_sample(&new_slot)?;
        copy_record(&mut dst_markers, &src_record, slot_type, s, to, &mut out);
        out.slots.push(SlotMove { slot_type, from: s, to, action: SlotAction::New, path: new_slot.path_lossy() });
        added.push((slot_type, file, slot, src_record, to));
    }
    if !no_room.is_empty() {
        let listed: Vec<String> = no_room
            .iter()
            .map(|(t, v)| {
                let free =
                    (1..=128u16).filter(|n| dst.project.sample(*t, *n).is_none_or(|x| x.path.is_empty())).count();
                format!(
                    "{} slots {} ({} more needed, the destination has {free} free of 128)",
                    t.describe(),
                    v.iter().map(u16::to_string).collect::<Vec<_>>().join(", "),
                    v.len()
                )
            })
            .collect();
        return Err(invalid(
            &dst.dir,
            format!(
                "not enough free sample slots, nothing was changed; these do not fit: {} (free slots with `groovekit ot purge-slots`)",
                listed.join("; ")
            ),
        ));
    }
    // 4. Empty source slots go to empty destination slots.
    for (slot_type, s) in empties {
        match free_slot(&taken, slot_type, s) {
            Some(to) => {
                taken.insert((slot_type, to));
                out.slots.push(SlotMove { slot_type, from: s, to, action: SlotAction::Empty, path: String::new() });
            }
            None => {
                out.warnings.push(format!(
                    "{} slot {s} is empty in the source and the destination has no empty slot left: references keep number {s}, which holds a sample there",
                    slot_type.describe()
                ));
                out.slots.push(SlotMove { slot_type, from: s, to: s, action: SlotAction::Kept, path: String::new() });
            }
        }
    }
    out.slots.sort_by_key(|m| (m.slot_type, m.from));

    // Changes: copies first (big, new files), then the text and markers.
    let added_any = out.slots.iter().any(|m| m.action == SlotAction::New);
    if added_any {
        out.changes.push(Change::Write { path: dst.file("project", State::Work), bytes: project.to_bytes() });
        if let Some(m) = &dst_markers
            && dst_markers.as_ref().map(Markers::as_bytes) != dst_markers_before.as_ref().map(Markers::as_bytes)
        {
            out.changes.push(Change::Write { path: dst.file("markers", State::Work), bytes: m.to_bytes() });
        }
        if opts.also_strd {
            let strd = match dst.read_project_strd()? {
                Some(mut p) => {
                    for m in out.slots.iter().filter(|m| m.action == SlotAction::New) {
                        if let Some(s) = project.sample(m.slot_type, m.to) {
                            p.set_sample(&s)?;
                        }
                    }
                    p
                }
                None => project.clone(),
            };
            out.changes.push(Change::Write { path: dst.file("project", State::Strd), bytes: strd.to_bytes() });
            if let Some(work) = &dst_markers {
                let mut m = dst.read_markers(State::Strd)?.unwrap_or_else(|| work.clone());
                for mv in out.slots.iter().filter(|m| m.action == SlotAction::New) {
                    if let Some(i) = markers_ref(mv.slot_type, mv.to).and_then(|r| r.index()) {
                        let range = RECORDS_OFFSET + i * RECORD_SIZE..RECORDS_OFFSET + (i + 1) * RECORD_SIZE;
                        if let (Some(from), Some(to)) =
                            (work.as_bytes().get(range.clone()), m.bytes_mut().get_mut(range))
                        {
                            to.copy_from_slice(from);
                        }
                    }
                }
                out.changes.push(Change::Write { path: dst.file("markers", State::Strd), bytes: m.to_bytes() });
            }
        }
    }
    let copies: Vec<Change> =
        out.files.iter().map(|f| Change::Copy { from: f.from.clone(), to: f.to.clone() }).collect();
    out.changes.splice(0..0, copies);
    Ok(out)
}

/// Chooses where `file` (and its `.ot`) lands near `base`: `base` itself when free or holding
/// the same bytes, else `stem-2`, `stem-3`, ... Records the copies in `out.files`. `planned`
/// holds the targets this operation already gave out (normalised target -> source). Public for
/// `ot copy-slots --to` ([`crate::ops::copy_piece`]).
pub fn place(
    cache: &mut ContentCache,
    planned: &mut HashMap<PathBuf, PathBuf>,
    file: &Path,
    base: &Path,
    out: &mut Import,
) -> Result<PathBuf, OtError> {
    let ot = ot_of(file);
    let has_ot = ot.is_file() && file.extension().is_some_and(|e| !e.eq_ignore_ascii_case("ot"));
    for n in 1..10_000 {
        let target = if n == 1 { base.to_path_buf() } else { numbered(base, n) };
        let key = normalize(&target);
        let ot_target = ot_of(&target);
        let ot_key = normalize(&ot_target);
        // The audio name: free, or the same bytes already there / already planned.
        let audio_ok = match planned.get(&key) {
            Some(p) => cache.same(p, file)?,
            None => !target.exists() || cache.same(&target, file)?,
        };
        if !audio_ok {
            continue;
        }
        let ot_ok = !has_ot
            || match planned.get(&ot_key) {
                Some(p) => cache.same(p, &ot)?,
                None => !ot_target.exists() || cache.same(&ot_target, &ot)?,
            };
        if !ot_ok {
            continue;
        }
        if !target.exists() && !planned.contains_key(&key) {
            planned.insert(key, file.to_path_buf());
            out.files.push(FileCopy { from: file.to_path_buf(), to: target.clone(), renamed: n > 1 });
        }
        if has_ot && !ot_target.exists() && !planned.contains_key(&ot_key) {
            planned.insert(ot_key, ot.clone());
            out.files.push(FileCopy { from: ot.clone(), to: ot_target, renamed: n > 1 });
        }
        return Ok(target);
    }
    Err(invalid(base, "no free file name found (tried 10 000)"))
}

/// The destination `project.work` bytes an import would write (for tests and dry runs).
pub fn project_after(dst: &ProjectDir, import: &Import) -> Option<Project> {
    import.changes.iter().find_map(|c| match c {
        Change::Write { path, bytes } if *path == dst.file("project", State::Work) => Project::parse(bytes).ok(),
        _ => None,
    })
}
