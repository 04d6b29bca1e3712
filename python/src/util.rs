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
pub fn from_one(what: &str, n: impl Into<Number>, max: usize) -> PyResult<usize> {
    let n = n.into().value(what)?;
    match usize::try_from(n) {
        Ok(k) if (1..=max).contains(&k) => Ok(k - 1),
        _ => Err(crate::errors::raise::<crate::errors::ValidationError>(
            format!("{what} {n} does not exist (1..={max})"),
            Default::default(),
        )),
    }
}

/// A Python int of any size, taken as it is so that a value out of range becomes a
/// `ValidationError` naming the field and its range (PyO3's own conversion to `u8` and friends
/// raises a bare `OverflowError("out of range integral type conversion attempted")`, issue 23).
/// Every integer parameter and setter of the package takes one and converts it with
/// [`Int::get`] (or [`Int::i64`]). Anything that is not an int (a float, a str) is still a
/// `TypeError`, as before.
#[derive(Debug, Clone)]
pub struct Int {
    /// The value, or the decimal text of one beyond `i64`.
    value: Result<i64, String>,
}

impl<'a, 'py> FromPyObject<'a, 'py> for Int {
    type Error = PyErr;

    fn extract(obj: pyo3::Borrowed<'a, 'py, PyAny>) -> Result<Self, Self::Error> {
        match obj.extract::<i64>() {
            Ok(n) => Ok(Int { value: Ok(n) }),
            Err(e) if e.is_instance_of::<pyo3::exceptions::PyOverflowError>(obj.py()) => {
                Ok(Int { value: Err(obj.str()?.to_string()) })
            }
            Err(e) => Err(e),
        }
    }
}

impl From<i64> for Int {
    fn from(n: i64) -> Self {
        Int { value: Ok(n) }
    }
}

/// Integer types with their range, for [`Int::get`].
pub trait Ranged: TryFrom<i64> {
    /// The smallest value.
    const MIN: i64;
    /// The largest value.
    const MAX: i64;
}

macro_rules! ranged {
    ($($t:ty),*) => {
        $(impl Ranged for $t {
            const MIN: i64 = <$t>::MIN as i64;
            const MAX: i64 = <$t>::MAX as i64;
        })*
    };
}
ranged!(u8, u16, u32, i8, i16, i32);

impl Int {
    /// The value as `T`, or a ValidationError "`what` N is out of range (MIN-MAX)". Values
    /// inside `T` but outside what the device allows are left to the crates, whose messages
    /// name the allowed values.
    pub fn get<T: Ranged>(&self, what: &str) -> PyResult<T> {
        self.value
            .as_ref()
            .ok()
            .and_then(|&n| T::try_from(n).ok())
            .ok_or_else(|| self.out_of_range(what, T::MIN, T::MAX))
    }

    /// The value as `i64` (for 1-based numbers, checked by [`from_one`] and the callers), or a
    /// ValidationError naming `what` for an int beyond `i64`.
    pub fn i64(&self, what: &str) -> PyResult<i64> {
        self.value.clone().map_err(|_| self.out_of_range(what, i64::MIN, i64::MAX))
    }

    /// The value as `usize` (a count or an index), or a ValidationError naming `what`.
    pub fn usize(&self, what: &str) -> PyResult<usize> {
        self.value
            .as_ref()
            .ok()
            .and_then(|&n| usize::try_from(n).ok())
            .ok_or_else(|| self.out_of_range(what, 0, i64::MAX))
    }

    fn out_of_range(&self, what: &str, min: i64, max: i64) -> PyErr {
        let shown = match &self.value {
            Ok(n) => n.to_string(),
            Err(text) => text.clone(),
        };
        crate::errors::raise::<crate::errors::ValidationError>(
            format!("{what} {shown} is out of range ({min}-{max})"),
            Default::default(),
        )
    }
}

/// [`Int::get`] of an optional value (None stays None).
pub fn opt<T: Ranged>(v: Option<Int>, what: &str) -> PyResult<Option<T>> {
    v.map(|v| v.get(what)).transpose()
}

/// A 1-based number as a parameter gives it: an [`Int`] (checked for `i64` range here) or an
/// `i64` already.
pub enum Number {
    /// From Python.
    Py(Int),
    /// Already a number.
    Plain(i64),
}

impl From<Int> for Number {
    fn from(v: Int) -> Self {
        Number::Py(v)
    }
}

impl From<i64> for Number {
    fn from(v: i64) -> Self {
        Number::Plain(v)
    }
}

impl Number {
    /// The value, or a ValidationError naming `what` for an int beyond `i64`.
    pub fn value(self, what: &str) -> PyResult<i64> {
        match self {
            Number::Py(v) => v.i64(what),
            Number::Plain(n) => Ok(n),
        }
    }
}
