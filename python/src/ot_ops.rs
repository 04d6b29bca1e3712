//! The Octatrack project operations of `groovekit.octatrack` over `groovekit_octatrack::ops`:
//! `copy_bank` (a `Plan`), `slots`, `restore`. Each writes through the crate's all-or-nothing
//! apply (a timestamped backup in `PROJECT/backups/` first) and releases the GIL while it works.

use std::path::PathBuf;

use groovekit_octatrack::OtError;
use groovekit_octatrack::model::project::SlotType;
use groovekit_octatrack::ops::cleanup::{self, CleanupOptions, ClearWhat};
use groovekit_octatrack::ops::copy_piece::{self as piece, PieceOptions, TrackAt, TrackPart};
use groovekit_octatrack::ops::import::MissingSamples;
use groovekit_octatrack::ops::{backup, copy, slots as ot_slots};
use pyo3::prelude::*;

use crate::octatrack::ot_error;
use crate::util::{self, Int};

/// A bank copy: the slot map, the files it copies and writes, and (after it ran) the backup.
/// `copy_bank(..., dry_run=True)` gives a plan that changes nothing; `apply()` runs it.
#[pyclass(module = "groovekit.octatrack")]
pub struct Plan {
    inner: copy::CopyPlan,
    opts: copy::CopyBankOptions,
}

#[pymethods]
impl Plan {
    /// Source project folder.
    #[getter]
    fn source(&self) -> String {
        self.inner.source.to_string_lossy().into_owned()
    }

    /// Source bank 1-16.
    #[getter]
    fn source_bank(&self) -> usize {
        self.inner.source_bank
    }

    /// Destination project folder.
    #[getter]
    fn destination(&self) -> String {
        self.inner.destination.to_string_lossy().into_owned()
    }

    /// Destination bank 1-16.
    #[getter]
    fn destination_bank(&self) -> usize {
        self.inner.destination_bank
    }

    /// The slot map: dicts with slot_type ("flex"/"static"), from, to, action ("same",
    /// "reuse", "new", "empty", "kept") and path.
    #[getter]
    fn slots<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        util::to_py(py, &self.inner.import.slots)
    }

    /// The sample files (and their .ot) to copy: dicts with from, to, renamed.
    #[getter]
    fn files<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        util::to_py(py, &self.inner.import.files)
    }

    /// Source slots whose sample file is missing (kept with their paths under missing="keep").
    #[getter]
    fn missing(&self) -> Vec<String> {
        self.inner.import.missing.clone()
    }

    /// Why applying this dry run would refuse (samples missing without missing="keep"), or None.
    #[getter]
    fn refused(&self) -> Option<String> {
        self.inner.refused.clone()
    }

    /// What the user should know (nothing fatal).
    #[getter]
    fn warnings(&self) -> Vec<String> {
        self.inner.import.warnings.clone()
    }

    /// What the destination bank held that the copy replaces (empty when it was blank).
    #[getter]
    fn replaces(&self) -> Vec<String> {
        self.inner.replaces.clone()
    }

    /// Every file the copy writes or creates, in order.
    #[getter]
    fn writes(&self) -> Vec<String> {
        self.inner.writes.iter().map(|p| p.to_string_lossy().into_owned()).collect()
    }

    /// True until the plan has been applied.
    #[getter]
    fn dry_run(&self) -> bool {
        self.inner.dry_run
    }

    /// The backup folder of the applied copy (`restore` takes it); None before.
    #[getter]
    fn backup(&self) -> Option<String> {
        self.inner.backup.as_ref().map(|p| p.to_string_lossy().into_owned())
    }

    /// The whole plan as a dict (as `groovekit ot copy-bank --json`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        util::to_py(py, &self.inner)
    }

    /// Runs the copy of a dry-run plan: planned again from the files as they are now (so a
    /// change since the dry run is seen), then applied all or nothing after a backup. Returns
    /// the backup folder. Raises ValidationError when the plan was applied already.
    fn apply(&mut self, py: Python<'_>) -> PyResult<String> {
        if !self.inner.dry_run {
            return Err(crate::errors::raise::<crate::errors::ValidationError>(
                "this copy has been applied already",
                Default::default(),
            ));
        }
        let opts = copy::CopyBankOptions { dry_run: false, ..self.opts };
        let p = &self.inner;
        let (src, n, dst, m) = (p.source.clone(), p.source_bank, p.destination.clone(), p.destination_bank);
        let plan = py.detach(|| copy::copy_bank(&src, n, &dst, m, opts)).map_err(|e| ot_error(e, Some(&dst)))?;
        self.inner = plan;
        self.opts = opts;
        Ok(self.backup().unwrap_or_default())
    }

    /// The slot map as text, one line per slot, e.g. `flex 3 -> 5 (new) ../AUDIO/kick.wav`.
    fn __str__(&self) -> String {
        let p = &self.inner;
        let mut out = format!(
            "copy bank {} of {} to bank {} of {}{}\n",
            p.source_bank,
            p.source.display(),
            p.destination_bank,
            p.destination.display(),
            if p.dry_run { " (dry run)" } else { "" }
        );
        for s in &p.import.slots {
            let action = serde_json::to_value(s.action).ok().and_then(|v| v.as_str().map(str::to_string));
            out.push_str(&format!(
                "  {} {} -> {} ({}) {}\n",
                s.slot_type.describe(),
                s.from,
                s.to,
                action.unwrap_or_default(),
                s.path
            ));
        }
        for w in &p.import.warnings {
            out.push_str(&format!("  warning: {w}\n"));
        }
        out
    }

    /// The value as text: the slot map (as `str`).
    fn __repr__(&self) -> String {
        format!("<Plan\n{}>", self.__str__())
    }
}

/// Copies bank `n` (1-16) of project folder `src` to bank `m` of `dst` (the same folder or
/// another, in the same Set or not), remapping every sample reference and copying the samples.
/// `dry_run` plans only (apply it with `Plan.apply()`); `to_pool` copies samples into the Set's
/// AUDIO pool; `also_strd` writes the `.strd` files too; `force` replaces a bank that is not
/// blank. The GIL is released while it works.
#[pyfunction]
#[pyo3(signature = (src, n, dst, m, dry_run=false, to_pool=false, also_strd=false, force=false, missing="refuse"))]
#[allow(clippy::too_many_arguments)]
pub fn copy_bank(
    py: Python<'_>,
    src: PathBuf,
    n: Int,
    dst: PathBuf,
    m: Int,
    dry_run: bool,
    to_pool: bool,
    also_strd: bool,
    force: bool,
    missing: &str,
) -> PyResult<Plan> {
    let (n, m) = (n.usize("source bank")?, m.usize("destination bank")?);
    let missing = missing_samples(missing)?;
    let opts = copy::CopyBankOptions { force, to_pool, also_strd, dry_run, missing, ..Default::default() };
    let inner = py.detach(|| copy::copy_bank(&src, n, &dst, m, opts)).map_err(|e| ot_error(e, Some(&dst)))?;
    Ok(Plan { inner, opts })
}

/// Every sample slot of the project folder `project` with its type, path and settings and every
/// reference to it (as `groovekit ot slots --json`): a dict with `project`, `slots` (each with
/// slot_type, slot, path, listed, file, missing, settings, uses) and `other_lock_bytes`.
/// `bank`, `part`, `pattern` narrow the references listed.
#[pyfunction]
#[pyo3(signature = (project, bank=None, part=None, pattern=None))]
pub fn slots<'py>(
    py: Python<'py>,
    project: PathBuf,
    bank: Option<Int>,
    part: Option<Int>,
    pattern: Option<Int>,
) -> PyResult<Bound<'py, PyAny>> {
    let bank = bank.map(|b| b.usize("bank")).transpose()?;
    let (part, pattern) = (util::opt(part, "part")?, util::opt(pattern, "pattern")?);
    if let Some(b) = bank {
        copy::check_bank_number(b).map_err(|e| ot_error(e, Some(&project)))?;
    }
    let filter = ot_slots::SlotsFilter { bank, part, pattern };
    let report = py.detach(|| ot_slots::list_slots(&project, filter)).map_err(|e| ot_error(e, Some(&project)))?;
    util::to_py(py, &report)
}

/// Puts back the files of a backup folder made by an operation (`Plan.backup`): every
/// backed-up file gets its old content, files the operation created are removed; the restore is
/// itself backed up. Returns a dict with project, restore, remove and backup. `dry_run` changes
/// nothing.
#[pyfunction]
#[pyo3(signature = (backup, dry_run=false))]
pub fn restore<'py>(py: Python<'py>, backup: PathBuf, dry_run: bool) -> PyResult<Bound<'py, PyAny>> {
    let plan = py
        .detach(|| backup::restore(&backup, dry_run, backup::ApplyOptions::default()))
        .map_err(|e| ot_error(e, Some(&backup)))?;
    util::to_py(py, &plan)
}

/// Unpacks a project archive into a Set folder (as `groovekit ot unzip`): `NAME/` becomes
/// `set/NAME`, `AUDIO/...` `set/AUDIO/...`, all files or none; files already there with the same
/// content are left alone, other content raises unless `force` (then backed up); entries naming
/// places outside `set` refuse the archive. Returns a dict with projects, created, replaced,
/// unchanged and dry_run.
#[pyfunction]
#[pyo3(signature = (archive, set, force=false, dry_run=false))]
pub fn unzip<'py>(
    py: Python<'py>,
    archive: PathBuf,
    set: PathBuf,
    force: bool,
    dry_run: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let options = groovekit_octatrack::ops::zip::UnzipOptions { force, dry_run };
    let report = py
        .detach(|| groovekit_octatrack::ops::zip::unzip(&archive, &set, options))
        .map_err(|e| ot_error(e, Some(&archive)))?;
    util::to_py(py, &report)
}

/// Runs a piece copy again with other options (for `PiecePlan.apply`).
type Rerun = Box<dyn Fn(PieceOptions) -> Result<piece::PiecePlan, OtError> + Send + Sync>;

/// A copy of a pattern, part, track or slots (`copy_pattern`, `copy_part`, `copy_track`,
/// `copy_slots`): what it replaces, the slot map, the files it writes and (after it ran) the
/// backup. A dry-run plan changes nothing; `apply()` runs it.
#[pyclass(module = "groovekit.octatrack")]
pub struct PiecePlan {
    inner: piece::PiecePlan,
    opts: PieceOptions,
    rerun: Rerun,
}

#[pymethods]
impl PiecePlan {
    /// "copy-pattern", "copy-part", "copy-track" or "copy-slots".
    #[getter]
    fn operation(&self) -> String {
        self.inner.operation.clone()
    }

    /// What is copied, in words (`bank 1 pattern 3`, ...).
    #[getter]
    fn source(&self) -> String {
        self.inner.from.clone()
    }

    /// Where it goes, in words.
    #[getter]
    fn destination(&self) -> String {
        self.inner.to.clone()
    }

    /// The slot map: dicts with slot_type, from, to, action and path.
    #[getter]
    fn slots<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        util::to_py(py, &self.inner.import.slots)
    }

    /// Source slots whose sample file is missing (kept with their paths under missing="keep").
    #[getter]
    fn missing(&self) -> Vec<String> {
        self.inner.import.missing.clone()
    }

    /// Why applying this dry run would refuse (samples missing without missing="keep"), or None.
    #[getter]
    fn refused(&self) -> Option<String> {
        self.inner.refused.clone()
    }

    /// What the destination held that the copy replaces.
    #[getter]
    fn replaces(&self) -> Vec<String> {
        self.inner.replaces.clone()
    }

    /// Every file the copy writes or creates, in order.
    #[getter]
    fn writes(&self) -> Vec<String> {
        self.inner.writes.iter().map(|p| p.to_string_lossy().into_owned()).collect()
    }

    /// True until the plan has been applied.
    #[getter]
    fn dry_run(&self) -> bool {
        self.inner.dry_run
    }

    /// The backup folder of the applied copy (`restore` takes it); None before.
    #[getter]
    fn backup(&self) -> Option<String> {
        self.inner.backup.as_ref().map(|p| p.to_string_lossy().into_owned())
    }

    /// The whole plan as a dict (as the CLI's `--json`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        util::to_py(py, &self.inner)
    }

    /// Runs a dry-run plan: planned again from the files as they are now, then applied all or
    /// nothing after a backup. Returns the backup folder.
    fn apply(&mut self, py: Python<'_>) -> PyResult<String> {
        if !self.inner.dry_run {
            return Err(crate::errors::raise::<crate::errors::ValidationError>(
                "this copy has been applied already",
                Default::default(),
            ));
        }
        let opts = PieceOptions { dry_run: false, ..self.opts };
        let rerun = &self.rerun;
        let dst = self.inner.destination.clone();
        self.inner = py.detach(|| rerun(opts)).map_err(|e| ot_error(e, Some(&dst)))?;
        self.opts = opts;
        Ok(self.backup().unwrap_or_default())
    }

    /// The plan as text: what goes where, then the slot map.
    fn __str__(&self) -> String {
        let p = &self.inner;
        let mut out = format!("{} {} -> {}{}\n", p.operation, p.from, p.to, if p.dry_run { " (dry run)" } else { "" });
        for s in &p.import.slots {
            out.push_str(&format!("  {} {} -> {} {}\n", s.slot_type.describe(), s.from, s.to, s.path));
        }
        out
    }

    /// The value as text (as `str`).
    fn __repr__(&self) -> String {
        format!("<PiecePlan\n{}>", self.__str__())
    }
}

/// The `missing=` argument of the copies: "refuse" (the default) or "keep" (copy even when
/// source sample files are missing; the slots keep their paths and are listed in `missing`).
pub(crate) fn missing_samples(missing: &str) -> PyResult<MissingSamples> {
    match missing {
        "refuse" => Ok(MissingSamples::Refuse),
        "keep" => Ok(MissingSamples::Keep),
        other => Err(crate::errors::raise::<crate::errors::ValidationError>(
            format!("missing {other:?}: use \"refuse\" or \"keep\""),
            Default::default(),
        )),
    }
}

fn piece_plan(py: Python<'_>, opts: PieceOptions, dst: PathBuf, rerun: Rerun) -> PyResult<PiecePlan> {
    let inner = py.detach(|| rerun(opts)).map_err(|e| ot_error(e, Some(&dst)))?;
    Ok(PiecePlan { inner, opts, rerun })
}

/// Copies pattern `sp` of bank `sb` of `src` to pattern `dp` of bank `db` of `dst` (numbers from
/// 1), sample locks remapped; `with_part` copies the part it plays too. `dry_run` plans only.
#[pyfunction]
#[pyo3(signature = (src, sb, sp, dst, db, dp, with_part=false, dry_run=false, to_pool=false, force=false, missing="refuse"))]
#[allow(clippy::too_many_arguments)]
pub fn copy_pattern(
    py: Python<'_>,
    src: PathBuf,
    sb: Int,
    sp: Int,
    dst: PathBuf,
    db: Int,
    dp: Int,
    with_part: bool,
    dry_run: bool,
    to_pool: bool,
    force: bool,
    missing: &str,
) -> PyResult<PiecePlan> {
    let (sb, sp) = (sb.usize("source bank")?, sp.usize("source pattern")?);
    let (db, dp) = (db.usize("destination bank")?, dp.usize("destination pattern")?);
    let opts = PieceOptions { force, to_pool, dry_run, missing: missing_samples(missing)?, ..Default::default() };
    let d = dst.clone();
    piece_plan(py, opts, dst, Box::new(move |o| piece::copy_pattern(&src, sb, sp, &d, db, dp, with_part, o)))
}

/// Copies part `si` (1-4) of bank `sb` of `src` to part `di` of bank `db` of `dst`, slots
/// remapped; `working_only` leaves the saved copy.
#[pyfunction]
#[pyo3(signature = (src, sb, si, dst, db, di, working_only=false, dry_run=false, to_pool=false, force=false, missing="refuse"))]
#[allow(clippy::too_many_arguments)]
pub fn copy_part(
    py: Python<'_>,
    src: PathBuf,
    sb: Int,
    si: Int,
    dst: PathBuf,
    db: Int,
    di: Int,
    working_only: bool,
    dry_run: bool,
    to_pool: bool,
    force: bool,
    missing: &str,
) -> PyResult<PiecePlan> {
    let (sb, si) = (sb.usize("source bank")?, si.usize("source part")?);
    let (db, di) = (db.usize("destination bank")?, di.usize("destination part")?);
    let opts = PieceOptions { force, to_pool, dry_run, missing: missing_samples(missing)?, ..Default::default() };
    let d = dst.clone();
    piece_plan(py, opts, dst, Box::new(move |o| piece::copy_part(&src, sb, si, &d, db, di, working_only, o)))
}

/// Copies one track: `src_at`/`dst_at` are (bank, pattern, track) from 1; `what` is "steps",
/// "settings" or "both"; `midi` for MIDI tracks.
#[pyfunction]
#[pyo3(signature = (src, src_at, dst, dst_at, what="steps", midi=false, dry_run=false, to_pool=false, force=false, missing="refuse"))]
#[allow(clippy::too_many_arguments)]
pub fn copy_track(
    py: Python<'_>,
    src: PathBuf,
    src_at: (Int, Int, Int),
    dst: PathBuf,
    dst_at: (Int, Int, Int),
    what: &str,
    midi: bool,
    dry_run: bool,
    to_pool: bool,
    force: bool,
    missing: &str,
) -> PyResult<PiecePlan> {
    let what = match what {
        "steps" => TrackPart::Steps,
        "settings" => TrackPart::Settings,
        "both" => TrackPart::Both,
        other => {
            return Err(crate::errors::raise::<crate::errors::ValidationError>(
                format!("what {other:?}: use \"steps\", \"settings\" or \"both\""),
                Default::default(),
            ));
        }
    };
    let at = |(bank, pattern, track): (Int, Int, Int)| -> PyResult<TrackAt> {
        Ok(TrackAt { bank: bank.usize("bank")?, pattern: pattern.usize("pattern")?, track: track.usize("track")? })
    };
    let (from, to) = (at(src_at)?, at(dst_at)?);
    let opts = PieceOptions { force, to_pool, dry_run, missing: missing_samples(missing)?, ..Default::default() };
    let d = dst.clone();
    piece_plan(py, opts, dst, Box::new(move |o| piece::copy_track(&src, from, &d, to, what, midi, o)))
}

/// Copies sample slots (1-128) of `src` into `dst` with their settings, markers and files;
/// `pool` "flex" or "static" (None: both); `to` places them at `to`, `to+1`, ...;
/// `settings_only` copies only the settings and markers onto destination slots that hold samples
/// (paths and files untouched).
#[pyfunction]
#[pyo3(signature = (src, dst, slots, pool=None, to=None, dry_run=false, to_pool=false, force=false, missing="refuse", settings_only=false))]
#[allow(clippy::too_many_arguments)]
pub fn copy_slots(
    py: Python<'_>,
    src: PathBuf,
    dst: PathBuf,
    slots: Vec<Int>,
    pool: Option<&str>,
    to: Option<Int>,
    dry_run: bool,
    to_pool: bool,
    force: bool,
    missing: &str,
    settings_only: bool,
) -> PyResult<PiecePlan> {
    let slots = slots.iter().map(|s| s.get("slot")).collect::<PyResult<Vec<u16>>>()?;
    let to = util::opt(to, "destination slot")?;
    let pool: Option<SlotType> = match pool {
        None => None,
        Some(p) => Some(crate::octatrack::pool(p)?),
    };
    let opts = PieceOptions { force, to_pool, dry_run, missing: missing_samples(missing)?, ..Default::default() };
    let d = dst.clone();
    if settings_only {
        return piece_plan(py, opts, dst, Box::new(move |o| piece::copy_slot_settings(&src, &d, &slots, pool, to, o)));
    }
    piece_plan(py, opts, dst, Box::new(move |o| piece::copy_slots(&src, &d, &slots, pool, to, o)))
}

/// Runs one clean-up operation with the GIL released and returns its plan as a dict (as
/// `groovekit ot <operation> --json`): operation, root, slots, files, unresolved, cleared,
/// warnings, writes, dry_run, backup.
fn cleanup_dict<'py>(
    py: Python<'py>,
    at: PathBuf,
    run: impl FnOnce(CleanupOptions) -> Result<cleanup::CleanupPlan, OtError> + Send,
    dry_run: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let opts = CleanupOptions { dry_run, ..Default::default() };
    let plan = py.detach(|| run(opts)).map_err(|e| ot_error(e, Some(&at)))?;
    util::to_py(py, &plan)
}

/// Clears the sample slots nothing uses (no part slot of any bank, working or saved, no sample
/// lock; recorder slots untouched); `pool` "flex" or "static" (None: both). As `ot purge-slots`.
#[pyfunction]
#[pyo3(signature = (project, pool=None, dry_run=false))]
pub fn purge_slots<'py>(
    py: Python<'py>,
    project: PathBuf,
    pool: Option<&str>,
    dry_run: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let pool: Option<SlotType> = match pool {
        None => None,
        Some(p) => Some(crate::octatrack::pool(p)?),
    };
    let dir = project.clone();
    cleanup_dict(py, project, move |o| cleanup::purge_slots(&dir, pool, o), dry_run)
}

/// Moves the audio files (and their .ot) of a project or Set that no slot of any project uses
/// into its backups/ folder (never deleted; `restore` brings them back). As `ot purge-files`.
#[pyfunction]
#[pyo3(signature = (path, dry_run=false))]
pub fn purge_files<'py>(py: Python<'py>, path: PathBuf, dry_run: bool) -> PyResult<Bound<'py, PyAny>> {
    let at = path.clone();
    cleanup_dict(py, path, move |o| cleanup::purge_files(&at, o), dry_run)
}

/// Copies every referenced sample that lives outside the project folder into it (or into the
/// Set's AUDIO pool with `to_pool`) and rewrites the slot paths. As `ot collect`.
#[pyfunction]
#[pyo3(signature = (project, to_pool=false, dry_run=false))]
pub fn collect<'py>(py: Python<'py>, project: PathBuf, to_pool: bool, dry_run: bool) -> PyResult<Bound<'py, PyAny>> {
    let dir = project.clone();
    cleanup_dict(py, project, move |o| cleanup::collect(&dir, to_pool, o), dry_run)
}

/// Keeps one of each set of content-identical audio files of a Set, rewrites the slot paths of
/// every project and moves the others to backups/. As `ot dedupe`.
#[pyfunction]
#[pyo3(signature = (set, dry_run=false))]
pub fn dedupe<'py>(py: Python<'py>, set: PathBuf, dry_run: bool) -> PyResult<Bound<'py, PyAny>> {
    let dir = set.clone();
    cleanup_dict(py, set, move |o| cleanup::dedupe(&dir, o), dry_run)
}

/// Finds the missing samples of a project under `search` (by name, narrowed by content) and
/// rewrites their slot paths; ambiguous matches are listed in `unresolved`. As `ot relink`.
#[pyfunction]
#[pyo3(signature = (project, search, dry_run=false))]
pub fn relink<'py>(py: Python<'py>, project: PathBuf, search: PathBuf, dry_run: bool) -> PyResult<Bound<'py, PyAny>> {
    let dir = project.clone();
    cleanup_dict(py, project, move |o| cleanup::relink(&dir, &search, o), dry_run)
}

/// Resets bank `bank` (1-16) to the blank project's: its patterns, its parts, or (neither
/// flag) both. As `ot clear`.
#[pyfunction]
#[pyo3(signature = (project, bank, patterns=false, parts=false, dry_run=false))]
pub fn clear<'py>(
    py: Python<'py>,
    project: PathBuf,
    bank: Int,
    patterns: bool,
    parts: bool,
    dry_run: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let bank = bank.usize("bank")?;
    let dir = project.clone();
    let what = ClearWhat { patterns, parts };
    cleanup_dict(py, project, move |o| cleanup::clear(&dir, bank, what, o), dry_run)
}

/// Registers the operations.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Plan>()?;
    m.add_class::<PiecePlan>()?;
    m.add_function(wrap_pyfunction!(copy_pattern, m)?)?;
    m.add_function(wrap_pyfunction!(copy_part, m)?)?;
    m.add_function(wrap_pyfunction!(copy_track, m)?)?;
    m.add_function(wrap_pyfunction!(copy_slots, m)?)?;
    m.add_function(wrap_pyfunction!(copy_bank, m)?)?;
    m.add_function(wrap_pyfunction!(slots, m)?)?;
    m.add_function(wrap_pyfunction!(restore, m)?)?;
    m.add_function(wrap_pyfunction!(unzip, m)?)?;
    for f in [
        wrap_pyfunction!(purge_slots, m)?,
        wrap_pyfunction!(purge_files, m)?,
        wrap_pyfunction!(collect, m)?,
        wrap_pyfunction!(dedupe, m)?,
        wrap_pyfunction!(relink, m)?,
        wrap_pyfunction!(clear, m)?,
    ] {
        m.add_function(f)?;
    }
    Ok(())
}
