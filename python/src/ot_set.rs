//! `groovekit.octatrack.Set` (issue 25): a whole Set indexed by
//! `groovekit_octatrack::ops::set_index` (projects, audio files with the slots that use them,
//! missing, unused and unplayable files, duplicates on demand). Read-only; values come back as
//! dicts and lists, the same fields as `groovekit ot set --json`.

use std::path::PathBuf;

use groovekit_octatrack::ops::set_index::SetIndex;
use pyo3::prelude::*;

use crate::octatrack::ot_error;
use crate::util;

/// An indexed Set: `Set.open(path)` reads every project and every audio file's header.
#[pyclass(module = "groovekit.octatrack", frozen)]
pub struct Set {
    inner: SetIndex,
}

#[pymethods]
impl Set {
    /// Indexes the Set in `path` (an AUDIO pool beside project folders) or one project folder.
    #[staticmethod]
    fn open(py: Python<'_>, path: PathBuf) -> PyResult<Set> {
        let inner = py.detach(|| SetIndex::open(&path)).map_err(|e| ot_error(e, Some(&path)))?;
        Ok(Set { inner })
    }

    /// The Set's folder.
    #[getter]
    fn root(&self) -> String {
        self.inner.root.to_string_lossy().into_owned()
    }

    /// Projects: dicts with name, dir, tempo, os, slots, banks (bank, patterns, parts,
    /// part_names, saved, reload_drops), arrangements and problems.
    #[getter]
    fn projects<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        util::to_py(py, &self.inner.projects)
    }

    /// Audio files: dicts with path, name, size, audio (format, sample_rate, bits, channels,
    /// frames, usable, reasons) and slots (project, slot_type, slot, uses).
    #[getter]
    fn files<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        util::to_py(py, &self.inner.files)
    }

    /// Paths slots point at that do not exist: dicts with path, name and slots.
    #[getter]
    fn missing<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        util::to_py(py, &self.inner.missing)
    }

    /// Names (from the Set's folder) of the files no slot uses.
    fn unused(&self) -> Vec<String> {
        self.inner.unused().map(|f| f.name.clone()).collect()
    }

    /// Names of the files the Octatrack cannot play.
    fn unplayable(&self) -> Vec<String> {
        self.inner.unplayable().map(|f| f.name.clone()).collect()
    }

    /// Groups of names of files with identical bytes (reads the files whose sizes agree).
    fn duplicates(&self, py: Python<'_>) -> PyResult<Vec<Vec<String>>> {
        let groups = py
            .detach(|| {
                self.inner.duplicates().map(|g| g.iter().map(|x| x.iter().map(|f| f.name.clone()).collect()).collect())
            })
            .map_err(|e| ot_error(e, Some(&self.inner.root)))?;
        Ok(groups)
    }

    /// The slots that use the file at `path` (empty when none; the file may be missing).
    fn usage<'py>(&self, py: Python<'py>, path: PathBuf) -> PyResult<Bound<'py, PyAny>> {
        let target = groovekit_octatrack::ops::project_dir::normalize(&path);
        match self.inner.file(&target) {
            Some(f) => util::to_py(py, &f.slots),
            None => {
                let slots = self.inner.missing.iter().find(|m| m.path == target).map(|m| m.slots.clone());
                util::to_py(py, &slots.unwrap_or_default())
            }
        }
    }

    fn __repr__(&self) -> String {
        format!(
            "Set({:?}: {} projects, {} audio files, {} missing)",
            self.inner.root,
            self.inner.projects.len(),
            self.inner.files.len(),
            self.inner.missing.len()
        )
    }
}

/// Adds `Set` to `groovekit.octatrack`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Set>()
}
