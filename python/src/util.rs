//! Small conversions shared by the submodules.

use numpy::{PyArray1, PyArray2, PyArrayMethods};
use pyo3::prelude::*;

/// Wraps interleaved samples as a float32 array shaped (frames, channels). `from_vec` hands the
/// Rust buffer to numpy (no copy) and `reshape` of a contiguous array is a view.
pub fn frames_array(py: Python<'_>, samples: Vec<f32>, channels: usize) -> PyResult<Bound<'_, PyArray2<f32>>> {
    let channels = channels.max(1);
    let frames = samples.len() / channels;
    PyArray1::from_vec(py, samples).reshape([frames, channels])
}

/// Serialises a value into Python objects (dicts, lists, numbers, strings).
pub fn to_py<'py, T: serde::Serialize>(py: Python<'py>, value: &T) -> PyResult<Bound<'py, PyAny>> {
    pythonize::pythonize(py, value)
        .map_err(|e| crate::errors::raise::<crate::errors::Error>(e.to_string(), Default::default()))
}

/// A musician's 1-based number (pattern, track, step) as a 0-based index, or a ValidationError
/// naming the allowed range. Out-of-range numbers above the range are left to the crates, whose
/// messages name the place.
pub fn from_one(what: &str, n: i64, max: usize) -> PyResult<usize> {
    match usize::try_from(n) {
        Ok(k) if (1..=max).contains(&k) => Ok(k - 1),
        _ => Err(crate::errors::raise::<crate::errors::ValidationError>(
            format!("{what} {n} does not exist (1..={max})"),
            Default::default(),
        )),
    }
}
