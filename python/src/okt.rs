//! `groovekit.okt`: Amiga Oktalyzer modules over `groovekit_okt` (load, save, samples, patterns,
//! render to numpy, trace).

use std::path::{Path, PathBuf};

use groovekit_okt::model::{self, Variant};
use groovekit_okt::{human, render};
use numpy::PyArray2;
use pyo3::prelude::*;

use crate::errors::{FormatError, ValidationError, Where, raise};
use crate::util::{self, Int};

fn load_error(e: &model::LoadError, file: Option<&Path>) -> PyErr {
    let offset = match e {
        model::LoadError::Raw(_) => Some(0),
        model::LoadError::NoChannels { offset } => offset.map(|o| o as u64),
    };
    raise::<FormatError>(e.to_string(), Where::offset(file, offset))
}

/// A non-fatal observation made while loading (byte offset of the chunk concerned, message).
#[pyclass(module = "groovekit.okt", frozen, get_all)]
#[derive(Clone)]
pub struct Warning {
    /// Byte offset of the chunk concerned.
    offset: usize,
    /// What was found and what the loader did.
    message: String,
}

#[pymethods]
impl Warning {
    /// The value as text, e.g. for the REPL.
    fn __repr__(&self) -> String {
        format!("Warning(offset={}, message={:?})", self.offset, self.message)
    }
}

/// One pattern cell: note (0 = none, 1..36 = C-1..B-3), instrument, effect, parameter.
#[pyclass(module = "groovekit.okt", frozen, get_all)]
#[derive(Clone)]
pub struct Cell {
    /// Note number (0 = empty, 1 = C-1 ... 36 = B-3).
    note: u8,
    /// Sample number (0-based, as stored).
    instrument: u8,
    /// Effect number.
    effect: u8,
    /// Effect parameter.
    param: u8,
}

#[pymethods]
impl Cell {
    /// The cell as the tracker shows it, e.g. `C-2 01 V40`.
    #[getter]
    fn text(&self) -> String {
        human::cell_text(self.inner())
    }

    /// The note's name (`C-2`, or `---` for none).
    #[getter]
    fn note_name(&self) -> String {
        model::note_name(self.note)
    }

    /// The value as text, e.g. for the REPL.
    fn __repr__(&self) -> String {
        format!("Cell({:?})", self.text())
    }

    /// Equal when every field is equal.
    fn __eq__(&self, other: &Self) -> bool {
        self.inner() == other.inner()
    }
}

impl Cell {
    fn inner(&self) -> model::Cell {
        model::Cell { note: self.note, instrument: self.instrument, effect: self.effect, param: self.param }
    }
    fn from_model(c: model::Cell) -> Self {
        Self { note: c.note, instrument: c.instrument, effect: c.effect, param: c.param }
    }
}

/// One sample (a copy of its header and data at the time it was read).
#[pyclass(module = "groovekit.okt", frozen, get_all)]
pub struct Sample {
    /// 0-based sample number.
    index: usize,
    /// Name up to the first NUL.
    name: String,
    /// Length in bytes as stored in the header.
    length: u32,
    /// Loop start in words.
    repeat_start: u16,
    /// Loop length in words.
    repeat_length: u16,
    /// Volume as stored (the replayer uses the low byte, at most 64).
    volume: u16,
    /// 0 = 7-bit on paired channels, 1 = 8-bit on normal channels, 2 = both.
    mode: u16,
    /// The stored SBOD data (signed 8-bit PCM), or None when the file has none for this sample.
    data: Option<Vec<u8>>,
    /// The bytes the replayer plays: min(length rounded down to even, data size).
    usable: Vec<u8>,
    /// The loop (start, end) in bytes within the usable data, or None.
    loop_bytes: Option<(usize, usize)>,
}

#[pymethods]
impl Sample {
    /// The value as text, e.g. for the REPL.
    fn __repr__(&self) -> String {
        format!(
            "Sample(index={}, name={:?}, length={}, volume={}, mode={})",
            self.index, self.name, self.length, self.volume, self.mode
        )
    }
}

/// One pattern of a module: its rows of cells.
#[pyclass(module = "groovekit.okt", frozen)]
pub struct Pattern {
    inner: model::Pattern,
    channels: usize,
}

#[pymethods]
impl Pattern {
    /// The row count as stored.
    #[getter]
    fn rows(&self) -> u16 {
        self.inner.rows
    }

    /// Logical channels per row.
    #[getter]
    fn channels(&self) -> usize {
        self.channels
    }

    /// The cell at `row`, `channel` (0-based, as Oktalyzer numbers them).
    fn cell(&self, row: Int, channel: Int) -> PyResult<Cell> {
        let (row, channel) = (row.usize("row")?, channel.usize("channel")?);
        if row >= usize::from(self.inner.rows) || channel >= self.channels {
            return Err(raise::<ValidationError>(
                format!(
                    "cell ({row}, {channel}) is outside the pattern: {} rows of {} channels (0-based)",
                    self.inner.rows, self.channels
                ),
                Where::default(),
            ));
        }
        Ok(Cell::from_model(self.inner.cell(row, channel, self.channels)))
    }

    /// The cells of row `row`, one per channel.
    fn row(&self, row: Int) -> PyResult<Vec<Cell>> {
        (0..self.channels).map(|c| self.cell(row.clone(), Int::from(c as i64))).collect()
    }

    /// The number of items iteration gives.
    fn __len__(&self) -> usize {
        usize::from(self.inner.rows)
    }

    /// Iterates over the rows (each a list of cells).
    fn __iter__(slf: PyRef<'_, Self>) -> PyResult<Bound<'_, pyo3::types::PyIterator>> {
        let rows: Vec<Vec<Cell>> =
            (0..i64::from(slf.inner.rows)).map(|r| slf.row(Int::from(r))).collect::<PyResult<_>>()?;
        let list = pyo3::types::PyList::new(slf.py(), rows)?;
        list.try_iter()
    }

    /// The value as text, e.g. for the REPL.
    fn __repr__(&self) -> String {
        format!("Pattern(rows={}, channels={})", self.inner.rows, self.channels)
    }
}

/// An Oktalyzer module: every byte of the file is kept, so `to_bytes()` of an unchanged module
/// gives the file back.
#[pyclass(module = "groovekit.okt")]
pub struct Module {
    inner: model::Module,
    warnings: Vec<model::Warning>,
    path: Option<PathBuf>,
}

#[pymethods]
impl Module {
    /// Loads a module from a file. Raises FormatError (with the byte offset) or IoError.
    #[staticmethod]
    fn load(path: PathBuf) -> PyResult<Self> {
        let (inner, warnings) = crate::open_file(&path, model::Module::load, |e, f| load_error(&e, f))?;
        Ok(Self { inner, warnings, path: Some(path) })
    }

    /// Loads a module from bytes.
    #[staticmethod]
    fn from_bytes(data: &[u8]) -> PyResult<Self> {
        let (inner, warnings) = model::Module::load(data).map_err(|e| load_error(&e, None))?;
        Ok(Self { inner, warnings, path: None })
    }

    /// The module's bytes (identical to the file for an unchanged module).
    fn to_bytes<'py>(&self, py: Python<'py>) -> Bound<'py, pyo3::types::PyBytes> {
        pyo3::types::PyBytes::new(py, &self.inner.to_bytes())
    }

    /// Writes the module atomically to `path` (default: the file it was loaded from). With
    /// `backup`, an existing file is first copied to NAME.bak; returns that backup's path.
    #[pyo3(signature = (path=None, backup=true))]
    fn save(&mut self, path: Option<PathBuf>, backup: bool) -> PyResult<Option<String>> {
        crate::save_file(path, &mut self.path, "module", &self.inner.to_bytes(), backup)
    }

    /// The file the module was loaded from or last saved to.
    #[getter]
    fn path(&self) -> Option<String> {
        self.path.as_ref().map(|p| p.to_string_lossy().into_owned())
    }

    /// The magic: "OKTASONG" or "OKTASNG2".
    #[getter]
    fn variant(&self) -> &'static str {
        match self.inner.variant {
            Variant::Oktasong => "OKTASONG",
            Variant::Oktasng2 => "OKTASNG2",
        }
    }

    /// Logical channels (4 to 8: each split Paula channel counts twice).
    #[getter]
    fn channels(&self) -> usize {
        self.inner.channels()
    }

    /// The four Paula channel flags (1 = split into two voices).
    #[getter]
    fn channel_flags(&self) -> [u16; 4] {
        self.inner.channel_flags
    }

    /// Initial speed (ticks per row).
    #[getter]
    fn speed(&self) -> u16 {
        self.inner.speed
    }

    /// Sets the initial speed (ticks per row) stored in the SPEE chunk.
    #[setter]
    fn set_speed(&mut self, value: Int) -> PyResult<()> {
        self.inner.speed = value.get("speed")?;
        Ok(())
    }

    /// The song's order positions (pattern numbers), `song_length` entries.
    #[getter]
    fn order(&self) -> Vec<u8> {
        self.inner.song_order().to_vec()
    }

    /// The song length as stored.
    #[getter]
    fn song_length(&self) -> u16 {
        self.inner.song_length
    }

    /// The samples, in file order (copies).
    #[getter]
    fn samples(&self) -> Vec<Sample> {
        self.inner
            .samples
            .iter()
            .enumerate()
            .map(|(index, s)| Sample {
                index,
                name: s.name_text(),
                length: s.length,
                repeat_start: s.repeat_start,
                repeat_length: s.repeat_length,
                volume: s.volume,
                mode: s.mode,
                data: s.data.clone(),
                usable: s.usable().to_vec(),
                loop_bytes: s.loop_bytes(),
            })
            .collect()
    }

    /// The patterns (copies), in file order.
    #[getter]
    fn patterns(&self) -> Vec<Pattern> {
        let channels = self.inner.channels();
        self.inner.patterns.iter().map(|p| Pattern { inner: p.clone(), channels }).collect()
    }

    /// What the loader noticed and worked around.
    #[getter]
    fn warnings(&self) -> Vec<Warning> {
        self.warnings.iter().map(|w| Warning { offset: w.offset, message: w.message.clone() }).collect()
    }

    /// The song's length in seconds when played once.
    #[getter]
    fn duration(&self) -> f64 {
        render::duration_seconds(&self.inner)
    }

    /// The readable document (`groovekit dump`), sample data inline as hex: "yaml" or "json".
    #[pyo3(signature = (format="yaml"))]
    fn dump(&self, format: &str) -> PyResult<String> {
        let syntax = crate::generic::syntax(format)?;
        let doc = human::to_doc(&self.inner, &mut human::store_inline)
            .map_err(|e| raise::<FormatError>(e.to_string(), Where::file(self.path.as_deref())))?;
        groovekit_core::doc::to_text(&doc, syntax).map_err(|e| raise::<FormatError>(e.to_string(), Where::default()))
    }

    /// Renders the song as the original replayer plays it; returns float32 samples shaped
    /// (frames, channels). Options as `groovekit render`: `mute`/`solo` list logical channels
    /// from 1, as the CLI and Oktalyzer count them. The GIL is released while mixing.
    #[pyo3(signature = (rate=Int::from(48000), channels=Int::from(2), interpolation="linear",
        stereo_separation=Int::from(100), loops=Int::from(1), mute=Vec::new(), solo=Vec::new(), compat="original",
        pair_note_clamp=true, max_seconds=Int::from(1200), start_order=Int::from(0)),
        text_signature = "($self, rate=48000, channels=2, interpolation='linear', stereo_separation=100, loops=1, mute=..., solo=..., compat='original', pair_note_clamp=True, max_seconds=1200, start_order=0)")]
    #[allow(clippy::too_many_arguments)]
    fn render<'py>(
        &self,
        py: Python<'py>,
        rate: Int,
        channels: Int,
        interpolation: &str,
        stereo_separation: Int,
        loops: Int,
        mute: Vec<Int>,
        solo: Vec<Int>,
        compat: &str,
        pair_note_clamp: bool,
        max_seconds: Int,
        start_order: Int,
    ) -> PyResult<Bound<'py, PyArray2<f32>>> {
        let (rate, channels): (u32, u16) = (rate.get("rate")?, channels.get("channels")?);
        let (stereo_separation, loops): (u8, u32) = (stereo_separation.get("stereo_separation")?, loops.get("loops")?);
        let (max_seconds, start_order): (u32, usize) =
            (max_seconds.get("max_seconds")?, start_order.usize("start_order")?);
        let mute = mute.iter().map(|c| c.usize("muted channel")).collect::<PyResult<Vec<usize>>>()?;
        let solo = solo.iter().map(|c| c.usize("solo channel")).collect::<PyResult<Vec<usize>>>()?;
        let bad = |m: String| raise::<ValidationError>(m, Where::default());
        if !(1..=2).contains(&channels) {
            return Err(bad(format!("channels must be 1 or 2, not {channels}")));
        }
        if rate == 0 {
            return Err(bad("rate must be above 0 Hz".into()));
        }
        if stereo_separation > 100 {
            return Err(bad(format!("stereo_separation {stereo_separation} is outside 0..=100")));
        }
        let n = self.inner.channels();
        // Channels count from 1, as `groovekit render --mute/--solo` and Oktalyzer show them.
        if let Some(c) = mute.iter().chain(&solo).find(|&&c| c == 0 || c > n) {
            return Err(bad(format!(
                "channel {c} does not exist: this module has channels 1-{n} (numbered from 1 in pattern order, \
                 as Oktalyzer shows them; a split Paula channel has two)"
            )));
        }
        let compat: render::Compat = compat.parse().map_err(bad)?;
        let opts = render::RenderOptions {
            rate,
            channels,
            interpolation: interpolation.parse().map_err(bad)?,
            stereo_separation,
            loops,
            muted: (1..=n).map(|c| mute.contains(&c) || (!solo.is_empty() && !solo.contains(&c))).collect(),
            compat,
            max_seconds,
            start_order,
            pair_note_clamp,
            // The timing follows the compatibility mode, as `groovekit render --compat` does.
            timing: compat.timing(),
        };
        let module = &self.inner;
        // The player appends each tick straight to one buffer, which numpy then owns.
        let samples = py.detach(|| {
            let mut player = render::Player::new(module, opts);
            let mut out = Vec::new();
            while player.render_tick(&mut out) {}
            out
        });
        util::frames_array(py, samples, usize::from(channels))
    }

    /// The replayer's state tick by tick (as `groovekit okt trace --json`): a list of dicts with
    /// order, pattern, row, tick, speed, filter and per-channel note, period, volume, sample,
    /// position. `ticks` caps the count (default: the song played once).
    #[pyo3(signature = (start_order=Int::from(0), ticks=None), text_signature = "($self, start_order=0, ticks=None)")]
    fn trace<'py>(&self, py: Python<'py>, start_order: Int, ticks: Option<Int>) -> PyResult<Bound<'py, PyAny>> {
        let start_order = start_order.usize("start_order")?;
        let ticks = ticks.map(|t| t.usize("ticks").map(|t| t as u64)).transpose()?;
        if start_order >= self.inner.song_order().len().max(1) {
            return Err(raise::<ValidationError>(
                format!("start_order {start_order}: the song has {} order positions", self.inner.song_order().len()),
                Where::default(),
            ));
        }
        let module = &self.inner;
        let all = py.detach(|| {
            let opts = render::RenderOptions { rate: 50, start_order, ..render::RenderOptions::default() };
            let mut player = render::Player::new(module, opts);
            let mut all = Vec::new();
            while ticks.is_none_or(|t| (all.len() as u64) < t) {
                let Some(st) = player.tick(None) else { break };
                all.push(st);
            }
            all
        });
        util::to_py(py, &all)
    }

    /// The value as text, e.g. for the REPL.
    fn __repr__(&self) -> String {
        format!(
            "Module(variant={:?}, channels={}, samples={}, patterns={}, song_length={}{})",
            self.variant(),
            self.inner.channels(),
            self.inner.samples.len(),
            self.inner.patterns.len(),
            self.inner.song_length,
            self.path.as_ref().map(|p| format!(", path={:?}", p.display().to_string())).unwrap_or_default()
        )
    }
}

// `render`'s default cap is written as a literal in its signature so that Python shows it.
const _: () = assert!(render::DEFAULT_MAX_SECONDS == 1200);

/// Registers the classes of `groovekit.okt`.
pub fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Module>()?;
    m.add_class::<Sample>()?;
    m.add_class::<Pattern>()?;
    m.add_class::<Cell>()?;
    m.add_class::<Warning>()?;
    Ok(())
}
