//! The Octatrack project operations of `groovekit.octatrack` over `groovekit_octatrack::ops`:
//! `copy_bank` (a `Plan`), `slots`, `restore`. Each writes through the crate's all-or-nothing
//! apply (a timestamped backup in `PROJECT/backups/` first) and releases the GIL while it works.

use std::path::PathBuf;

use groovekit_octatrack::ops::{backup, copy, slots as ot_slots};
use pyo3::prelude::*;

use crate::octatrack::ot_error;
use crate::util;

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
#[pyo3(signature = (src, n, dst, m, dry_run=false, to_pool=false, also_strd=false, force=false))]
#[allow(clippy::too_many_arguments)]
pub fn copy_bank(
    py: Python<'_>,
    src: PathBuf,
    n: usize,
    dst: PathBuf,
    m: usize,
    dry_run: bool,
    to_pool: bool,
    also_strd: bool,
    force: bool,
) -> PyResult<Plan> {
    let opts = copy::CopyBankOptions { force, to_pool, also_strd, dry_run, ..Default::default() };
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
    bank: Option<usize>,
    part: Option<u8>,
    pattern: Option<u8>,
) -> PyResult<Bound<'py, PyAny>> {
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

/// Registers the operations.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Plan>()?;
    m.add_function(wrap_pyfunction!(copy_bank, m)?)?;
    m.add_function(wrap_pyfunction!(slots, m)?)?;
    m.add_function(wrap_pyfunction!(restore, m)?)?;
    Ok(())
}
