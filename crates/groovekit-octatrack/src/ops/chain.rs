//! Sample chains: many audio files joined back to back into one WAV (or AIFF) with a `.ot` file
//! that slices it at the joins, so the Octatrack plays each input as a slice.
//!
//! Work happens in two steps so that nothing is written unless everything can be:
//! [`plan`] reads every input's header and checks it (readable, 44.1 kHz unless resampling,
//! mono or stereo, not empty, at most 64 × 999 inputs, output folder writable), and
//! [`write_chains`] streams the audio into temporary files that are moved into place only when
//! every chain of the batch is complete. Integer PCM is copied without passing through floating
//! point (mono inputs are duplicated to both channels of a stereo chain); only normalising,
//! fades, resampling and float inputs take the floating-point path. Memory stays bounded by the
//! copy buffer, whatever the size of the inputs (resampling decodes one input at a time).

use std::path::{Path, PathBuf};

use groovekit_audio::pcm::{AudioInfo, Container, Encoding, PcmReader, probe};
use groovekit_audio::write::{FileFormat, PcmWriter};
use groovekit_audio::{AudioError, SampleFormat};
use groovekit_core::fs::Transaction;
use serde::{Deserialize, Serialize};

use crate::OtError;
use crate::human::sample_settings::{Mode, parse_trig_quant};
use crate::model::sample_settings::{
    LoopMode, OCTATRACK_RATE, SampleSettings, Slice, Timestretch, TrigQuant, bars_x100,
};

/// Slices in one chain (the `.ot` limit).
pub const MAX_SLICES: usize = 64;
/// Chains one name can make (`NAME-1` … `NAME-999`).
pub const MAX_CHAINS: usize = 999;
/// Frames per read while copying.
const CHUNK_FRAMES: usize = 1 << 15;

/// What can go wrong making, splitting or slicing chains.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
    /// Reading or writing audio failed.
    #[error(transparent)]
    Audio(#[from] AudioError),
    /// A `.ot` file is invalid.
    #[error(transparent)]
    Ot(#[from] OtError),
    /// Writing the files failed; nothing changed.
    #[error(transparent)]
    Fs(#[from] groovekit_core::fs::FsError),
    /// One or more inputs cannot be used; nothing was written.
    #[error("{} input(s) cannot be used, nothing was written:\n{}", .0.len(), .0.join("\n"))]
    Inputs(Vec<String>),
    /// The request itself is wrong (options, counts, names).
    #[error("{0}")]
    Invalid(String),
    /// The output folder cannot be written.
    #[error("output folder {path}: {message}")]
    Output {
        /// The folder.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

/// How chains are made (the settings written to the `.ot` and the audio processing).
#[derive(Debug, Clone, PartialEq)]
pub struct ChainOptions {
    /// Tempo × 24.
    pub tempo_x24: u32,
    /// Gain, 0..=96 (48 = 0 dB).
    pub gain: u16,
    /// Timestretch mode.
    pub timestretch: Timestretch,
    /// Loop mode.
    pub loop_mode: LoopMode,
    /// Trig quantisation.
    pub trig_quant: TrigQuant,
    /// Output depth; `None` = the deepest input (8-bit → 16, 32-bit and float → 24).
    pub bit_depth: Option<SampleFormat>,
    /// Scale each input so its peak reaches full scale.
    pub normalize: bool,
    /// Fade-in length as a fraction (0..=1) of each slice.
    pub fade_in: f64,
    /// Fade-out length as a fraction (0..=1) of each slice.
    pub fade_out: f64,
    /// Resample inputs that are not 44.1 kHz instead of refusing them.
    pub resample: bool,
    /// WAV or AIFF output.
    pub format: FileFormat,
}

impl Default for ChainOptions {
    /// octatools' defaults: 120 BPM, 0 dB, timestretch normal, loop off, trig quantisation
    /// direct; WAV; depth of the inputs; no processing.
    fn default() -> Self {
        Self {
            tempo_x24: 120 * 24,
            gain: 48,
            timestretch: Timestretch::Normal,
            loop_mode: LoopMode::Off,
            trig_quant: TrigQuant::Direct,
            bit_depth: None,
            normalize: false,
            fade_in: 0.0,
            fade_out: 0.0,
            resample: false,
            format: FileFormat::Wav,
        }
    }
}

/// Chain options as written in a config file or on the command line; absent values fall back
/// to the batch's `defaults`, then to [`ChainOptions::default`].
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionsDoc {
    /// Tempo in BPM (30..=300).
    #[serde(default)]
    pub bpm: Option<f64>,
    /// Gain in dB (-24..=24, 0.5 dB steps).
    #[serde(default)]
    pub gain_db: Option<f64>,
    /// `off`, `normal` or `beat`.
    #[serde(default)]
    pub timestretch: Option<String>,
    /// `off`, `normal` or `ping-pong`.
    #[serde(default, rename = "loop")]
    pub loop_mode: Option<String>,
    /// `direct`, `pattern-length` or a step count.
    #[serde(default)]
    pub trig_quantization: Option<Mode>,
    /// 16 or 24.
    #[serde(default)]
    pub bit_depth: Option<u16>,
    /// Normalise each input to full scale.
    #[serde(default)]
    pub normalize: Option<bool>,
    /// Fade in, percent of each slice.
    #[serde(default)]
    pub fade_in: Option<f64>,
    /// Fade out, percent of each slice.
    #[serde(default)]
    pub fade_out: Option<f64>,
    /// Resample inputs that are not 44.1 kHz.
    #[serde(default)]
    pub resample: Option<bool>,
    /// `wav` or `aiff`.
    #[serde(default)]
    pub format: Option<String>,
}

impl OptionsDoc {
    /// This document's values over `base` (values here win).
    pub fn over(&self, base: &OptionsDoc) -> OptionsDoc {
        OptionsDoc {
            bpm: self.bpm.or(base.bpm),
            gain_db: self.gain_db.or(base.gain_db),
            timestretch: self.timestretch.clone().or_else(|| base.timestretch.clone()),
            loop_mode: self.loop_mode.clone().or_else(|| base.loop_mode.clone()),
            trig_quantization: self.trig_quantization.clone().or_else(|| base.trig_quantization.clone()),
            bit_depth: self.bit_depth.or(base.bit_depth),
            normalize: self.normalize.or(base.normalize),
            fade_in: self.fade_in.or(base.fade_in),
            fade_out: self.fade_out.or(base.fade_out),
            resample: self.resample.or(base.resample),
            format: self.format.clone().or_else(|| base.format.clone()),
        }
    }

    /// The checked options.
    pub fn resolve(&self) -> Result<ChainOptions, ChainError> {
        let bad = |m: String| ChainError::Invalid(m);
        let mut o = ChainOptions::default();
        if let Some(bpm) = self.bpm {
            if !(30.0..=300.0).contains(&bpm) {
                return Err(bad(format!("bpm {bpm}: the Octatrack's range is 30..300")));
            }
            o.tempo_x24 = (bpm * 24.0).round() as u32;
        }
        if let Some(db) = self.gain_db {
            if !(-24.0..=24.0).contains(&db) || ((db * 2.0).round() - db * 2.0).abs() > 1e-9 {
                return Err(bad(format!("gain_db {db}: use -24..24 in 0.5 dB steps")));
            }
            o.gain = ((db * 2.0).round() + 48.0) as u16;
        }
        if let Some(t) = &self.timestretch {
            o.timestretch = match t.as_str() {
                "off" => Timestretch::Off,
                "normal" => Timestretch::Normal,
                "beat" => Timestretch::Beat,
                _ => return Err(bad(format!("timestretch `{t}`: use off, normal or beat"))),
            };
        }
        if let Some(l) = &self.loop_mode {
            o.loop_mode = match l.as_str() {
                "off" => LoopMode::Off,
                "normal" | "on" => LoopMode::Normal,
                "ping-pong" => LoopMode::PingPong,
                _ => return Err(bad(format!("loop `{l}`: use off, normal or ping-pong"))),
            };
        }
        if let Some(tq) = &self.trig_quantization {
            o.trig_quant = parse_trig_quant(tq)?;
            if matches!(o.trig_quant, TrigQuant::Other(_)) {
                return Err(bad("trig_quantization: use direct, pattern-length or a step count".into()));
            }
        }
        if let Some(b) = self.bit_depth {
            o.bit_depth = Some(match b {
                16 => SampleFormat::Int16,
                24 => SampleFormat::Int24,
                _ => return Err(bad(format!("bit_depth {b}: the Octatrack plays 16 or 24 bits"))),
            });
        }
        o.normalize = self.normalize.unwrap_or(false);
        for (v, name, slot) in [(self.fade_in, "fade_in", &mut o.fade_in), (self.fade_out, "fade_out", &mut o.fade_out)]
        {
            if let Some(p) = v {
                if !(0.0..=100.0).contains(&p) {
                    return Err(bad(format!("{name} {p}: a percentage of each slice, 0..100")));
                }
                *slot = p / 100.0;
            }
        }
        if o.fade_in + o.fade_out > 1.0 {
            return Err(bad("fade_in + fade_out is more than 100% of a slice".into()));
        }
        o.resample = self.resample.unwrap_or(false);
        if let Some(f) = &self.format {
            o.format = match f.to_ascii_lowercase().as_str() {
                "wav" => FileFormat::Wav,
                "aif" | "aiff" => FileFormat::Aiff,
                _ => return Err(bad(format!("format `{f}`: use wav or aiff"))),
            };
        }
        Ok(o)
    }
}

/// One chain request in a config file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainDoc {
    /// Chain name (file stem).
    pub name: String,
    /// Input files (relative to the config file's folder).
    pub files: Vec<PathBuf>,
    /// Output folder (relative to the config file's folder); the batch's `output` otherwise.
    #[serde(default)]
    pub output: Option<PathBuf>,
    /// Options for this chain (over the batch's `defaults`).
    #[serde(default)]
    pub options: OptionsDoc,
}

/// A `chains.yaml` file: a batch of chains.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChainConfig {
    /// Default output folder (relative to the config file's folder).
    #[serde(default)]
    pub output: Option<PathBuf>,
    /// Options every chain starts from.
    #[serde(default)]
    pub defaults: OptionsDoc,
    /// The chains.
    pub chains: Vec<ChainDoc>,
}

/// One chain to make.
#[derive(Debug, Clone)]
pub struct ChainJob {
    /// Chain name (the output file stem; `-1`, `-2`… are added when it needs several files).
    pub name: String,
    /// Inputs in slice order.
    pub files: Vec<PathBuf>,
    /// Output folder.
    pub out_dir: PathBuf,
    /// Options.
    pub options: ChainOptions,
}

impl ChainConfig {
    /// Reads a config document (YAML or JSON) and turns it into jobs, with paths relative to
    /// `base` (the config file's folder). `out_override` replaces every output folder.
    pub fn jobs(text: &str, base: &Path, out_override: Option<&Path>) -> Result<Vec<ChainJob>, ChainError> {
        let cfg: ChainConfig = groovekit_core::doc::from_text(text).map_err(OtError::from)?;
        let mut jobs = Vec::new();
        for c in &cfg.chains {
            let out = out_override
                .map(Path::to_path_buf)
                .or_else(|| c.output.as_ref().or(cfg.output.as_ref()).map(|o| base.join(o)))
                .ok_or_else(|| {
                    ChainError::Invalid(format!("chain `{}`: no output folder (set `output` or use -o)", c.name))
                })?;
            let options = c
                .options
                .over(&cfg.defaults)
                .resolve()
                .map_err(|e| ChainError::Invalid(format!("chain `{}`: {e}", c.name)))?;
            jobs.push(ChainJob {
                name: c.name.clone(),
                files: c.files.iter().map(|f| base.join(f)).collect(),
                out_dir: out,
                options,
            });
        }
        Ok(jobs)
    }
}

/// An input with its header facts and its length in the chain.
#[derive(Debug, Clone)]
pub struct PlannedInput {
    /// The file.
    pub path: PathBuf,
    /// Its header.
    pub info: AudioInfo,
    /// Frames it takes in the chain (after resampling).
    pub frames: u64,
}

/// One chain file to write, fully checked.
#[derive(Debug, Clone)]
pub struct PlannedChain {
    /// The audio file.
    pub audio: PathBuf,
    /// The `.ot` file.
    pub ot: PathBuf,
    /// Inputs in slice order.
    pub inputs: Vec<PlannedInput>,
    /// 1 or 2.
    pub channels: u16,
    /// Output depth.
    pub format: SampleFormat,
    /// Options.
    pub options: ChainOptions,
    /// The `.ot` contents.
    pub settings: SampleSettings,
}

impl PlannedChain {
    /// Total frames.
    pub fn frames(&self) -> u64 {
        self.inputs.iter().map(|i| i.frames).sum()
    }
}

fn check_name(name: &str) -> Result<(), ChainError> {
    if name.is_empty() || name.contains(['/', '\\', '\0']) || name == "." || name == ".." || name.starts_with('.') {
        return Err(ChainError::Invalid(format!(
            "chain name `{name}`: use a plain file name (no folders, not starting with a dot)"
        )));
    }
    Ok(())
}

/// Whether an input must go through floating point (anything but a plain integer copy).
fn needs_float(info: &AudioInfo, o: &ChainOptions) -> bool {
    info.is_float() || info.sample_rate != OCTATRACK_RATE as u32 || o.normalize || o.fade_in > 0.0 || o.fade_out > 0.0
}

/// Checks one input; returns its facts or what is wrong.
fn check_input(path: &Path, o: &ChainOptions) -> Result<PlannedInput, String> {
    let show = path.display();
    let info = probe(path).map_err(|e| match e {
        AudioError::Decode { message, .. } => format!("  {show}: {message}"),
        other => format!("  {show}: {other}"),
    })?;
    if info.container == Container::Flac {
        return Err(format!("  {show}: FLAC inputs are not chained; convert to WAV or AIFF first"));
    }
    if !(1..=2).contains(&info.channels) {
        return Err(format!("  {show}: {} channels; the Octatrack plays mono or stereo", info.channels));
    }
    if info.frames == 0 {
        return Err(format!("  {show}: no audio (0 frames)"));
    }
    let rate = OCTATRACK_RATE as u32;
    let frames = if info.sample_rate == rate {
        info.frames
    } else if o.resample {
        ((u128::from(info.frames) * u128::from(rate) + u128::from(info.sample_rate) / 2) / u128::from(info.sample_rate))
            as u64
    } else {
        return Err(format!(
            "  {show}: {} Hz; the Octatrack plays 44100 Hz (convert it, or pass --resample)",
            info.sample_rate
        ));
    };
    if let Encoding::Int { bytes, .. } = info.encoding
        && !(1..=4).contains(&bytes)
    {
        return Err(format!("  {show}: unsupported {}-bit PCM", info.bits));
    }
    Ok(PlannedInput { path: path.to_path_buf(), info, frames })
}

/// Checks a batch and works out every file it will write. Nothing is written.
pub fn plan(jobs: &[ChainJob]) -> Result<Vec<PlannedChain>, ChainError> {
    let mut problems = Vec::new();
    let mut out = Vec::new();
    for job in jobs {
        check_name(&job.name)?;
        if job.files.is_empty() {
            return Err(ChainError::Invalid(format!("chain `{}`: no input files", job.name)));
        }
        let max = MAX_SLICES * MAX_CHAINS;
        if job.files.len() > max {
            return Err(ChainError::Invalid(format!(
                "chain `{}`: {} inputs; at most {max} (64 slices × 999 chains)",
                job.name,
                job.files.len()
            )));
        }
        let inputs: Vec<PlannedInput> =
            job.files.iter().filter_map(|f| check_input(f, &job.options).map_err(|e| problems.push(e)).ok()).collect();
        if !problems.is_empty() {
            continue;
        }
        let groups: Vec<&[PlannedInput]> = inputs.chunks(MAX_SLICES).collect();
        let several = groups.len() > 1;
        for (k, group) in groups.iter().enumerate() {
            let stem = if several { format!("{}-{}", job.name, k + 1) } else { job.name.clone() };
            let channels = group.iter().map(|i| i.info.channels).max().unwrap_or(1);
            let format = job.options.bit_depth.unwrap_or_else(|| {
                let deep = group.iter().any(|i| i.info.is_float() || i.info.bits > 16);
                if deep { SampleFormat::Int24 } else { SampleFormat::Int16 }
            });
            let total: u64 = group.iter().map(|i| i.frames).sum();
            let bytes = total * u64::from(channels) * u64::from(format.bits() / 8);
            if total > u64::from(u32::MAX) || bytes > u64::from(u32::MAX) - 4096 {
                return Err(ChainError::Invalid(format!(
                    "chain `{stem}`: {total} frames do not fit one WAV/AIFF file (4 GB); use fewer inputs per chain"
                )));
            }
            let mut slices = Vec::with_capacity(group.len());
            let mut at = 0u32;
            for i in group.iter() {
                let end = at + i.frames as u32; // ok: total checked to fit u32 above
                slices.push(Slice { start: at, end, loop_point: None });
                at = end;
            }
            let o = &job.options;
            let settings = SampleSettings {
                tempo_x24: o.tempo_x24,
                trim_length_x100: bars_x100(total, o.tempo_x24),
                loop_length_x100: bars_x100(total, o.tempo_x24),
                timestretch: o.timestretch,
                loop_mode: o.loop_mode,
                gain: o.gain,
                trig_quant: o.trig_quant,
                trim_start: 0,
                trim_end: at,
                loop_point: 0,
                slices,
                unused_slots: Vec::new(),
                unknown_22: 0,
            };
            out.push(PlannedChain {
                audio: job.out_dir.join(format!("{stem}.{}", o.format.extension())),
                ot: job.out_dir.join(format!("{stem}.ot")),
                inputs: group.to_vec(),
                channels,
                format,
                options: o.clone(),
                settings,
            });
        }
    }
    if !problems.is_empty() {
        return Err(ChainError::Inputs(problems));
    }
    let mut seen = std::collections::HashSet::new();
    for c in &out {
        if !seen.insert(c.audio.clone()) {
            return Err(ChainError::Invalid(format!("two chains would write {}", c.audio.display())));
        }
    }
    Ok(out)
}

/// Makes sure `dir` is a folder or can become one (the write layer creates it with the files,
/// and removes it again if writing fails).
pub fn check_output_dir(dir: &Path) -> Result<(), ChainError> {
    let err = |m: String| ChainError::Output { path: dir.to_path_buf(), message: m };
    if dir.exists() && !dir.is_dir() {
        return Err(err("exists and is not a folder".into()));
    }
    let mut up = dir.parent();
    while let Some(p) = up {
        if p.as_os_str().is_empty() || p.is_dir() {
            break;
        }
        if p.exists() {
            return Err(err(format!("cannot create it: {} is not a folder", p.display())));
        }
        up = p.parent();
    }
    Ok(())
}

/// Writes every planned chain, then moves all files into place together (existing files are
/// replaced). `progress` receives the number of frames written so far. On any error no chain
/// file appears and nothing changes. Returns the files written.
pub fn write_chains(plans: &[PlannedChain], progress: &mut dyn FnMut(u64)) -> Result<Vec<PathBuf>, ChainError> {
    let mut tx = Transaction::new();
    let written = write_chains_in(&mut tx, plans, progress)?;
    tx.commit()?;
    Ok(written)
}

/// Stages every planned chain (WAV and `.ot`) in `tx`, which the caller commits (with its own
/// backup and dry-run settings): all chains appear together or none. Returns the files staged.
pub fn write_chains_in(
    tx: &mut Transaction,
    plans: &[PlannedChain],
    progress: &mut dyn FnMut(u64),
) -> Result<Vec<PathBuf>, ChainError> {
    let mut dirs: Vec<&Path> = plans.iter().filter_map(|p| p.audio.parent()).collect();
    dirs.dedup();
    for d in dirs {
        check_output_dir(if d.as_os_str().is_empty() { Path::new(".") } else { d })?;
    }
    let mut written = Vec::new();
    let mut done = 0u64;
    for p in plans {
        let staged = tx.create(&p.audio)?;
        let mut w = PcmWriter::create_staged(staged, p.options.format, p.channels, OCTATRACK_RATE as u32, p.format)?;
        if !tx.is_dry_run() {
            for input in &p.inputs {
                if needs_float(&input.info, &p.options) {
                    copy_float(&mut w, input, &p.options, &mut |n| {
                        done += n;
                        progress(done)
                    })?;
                } else {
                    copy_int(&mut w, input, &mut |n| {
                        done += n;
                        progress(done)
                    })?;
                }
            }
        }
        let (file, stats) = w.finish_staged()?;
        if !tx.is_dry_run() && stats.frames != p.frames() {
            return Err(ChainError::Invalid(format!(
                "{}: wrote {} frames, expected {} (an input changed while it was read?)",
                p.audio.display(),
                stats.frames,
                p.frames()
            )));
        }
        tx.add(file)?;
        tx.write(&p.ot, &p.settings.to_bytes()?)?;
        written.push(p.audio.clone());
        written.push(p.ot.clone());
    }
    Ok(written)
}

/// Copies an integer input without conversion (mono duplicated when the chain is stereo).
fn copy_int(w: &mut PcmWriter, input: &PlannedInput, progress: &mut dyn FnMut(u64)) -> Result<(), ChainError> {
    let mut r = PcmReader::open(&input.path)?;
    let bits = match input.info.encoding {
        Encoding::Int { bytes, .. } => u16::from(bytes) * 8,
        _ => 16,
    };
    let stereo_out = w.channels() == 2 && input.info.channels == 1;
    let mut buf = Vec::new();
    let mut wide = Vec::new();
    loop {
        let n = r.read_int(&mut buf, CHUNK_FRAMES)?;
        if n == 0 {
            break;
        }
        if stereo_out {
            wide.clear();
            wide.extend(buf.iter().flat_map(|&v| [v, v]));
            w.write_int(&wide, bits)?;
        } else {
            w.write_int(&buf, bits)?;
        }
        progress(n as u64);
    }
    Ok(())
}

/// The gain of sample `i` of `n` frames under the fades.
fn fade_gain(i: u64, n: u64, fade_in: f64, fade_out: f64) -> f32 {
    let fi = (fade_in * n as f64) as u64;
    let fo = (fade_out * n as f64) as u64;
    let mut g = 1.0f64;
    if fi > 0 && i < fi {
        g *= i as f64 / fi as f64;
    }
    if fo > 0 && i + fo >= n {
        g *= (n - 1 - i) as f64 / fo as f64;
    }
    g as f32
}

/// Copies an input through floating point: float inputs, resampling, normalising, fades.
fn copy_float(
    w: &mut PcmWriter,
    input: &PlannedInput,
    o: &ChainOptions,
    progress: &mut dyn FnMut(u64),
) -> Result<(), ChainError> {
    let ch = usize::from(input.info.channels);
    let stereo_out = w.channels() == 2 && ch == 1;
    let n = input.frames;
    let mut emit = |w: &mut PcmWriter, samples: &[f32], first: u64, gain: f32| -> Result<(), ChainError> {
        let mut out = Vec::with_capacity(samples.len() * if stereo_out { 2 } else { 1 });
        for (k, frame) in samples.chunks_exact(ch).enumerate() {
            let g = gain * fade_gain(first + k as u64, n, o.fade_in, o.fade_out);
            for &s in frame {
                out.push(s * g);
                if stereo_out {
                    out.push(s * g);
                }
            }
        }
        w.write_f32(&out)?;
        progress((samples.len() / ch) as u64);
        Ok(())
    };
    if input.info.sample_rate != OCTATRACK_RATE as u32 {
        // Resampling needs the whole input: decode it, convert, then write.
        let decoded = groovekit_audio::read::read_audio(&input.path)?;
        let mut d = groovekit_audio::resample::resample(&decoded, OCTATRACK_RATE as u32)?;
        d.samples.resize(n as usize * ch, 0.0);
        let peak = d.samples.iter().fold(0.0f32, |m, s| m.max(s.abs()));
        let gain = if o.normalize && peak > 0.0 { 1.0 / peak } else { 1.0 };
        for (k, chunk) in d.samples.chunks(CHUNK_FRAMES * ch).enumerate() {
            emit(w, chunk, (k * CHUNK_FRAMES) as u64, gain)?;
        }
        return Ok(());
    }
    let mut gain = 1.0f32;
    let mut buf = Vec::new();
    if o.normalize {
        let mut r = PcmReader::open(&input.path)?;
        let mut peak = 0.0f32;
        while r.read_f32(&mut buf, CHUNK_FRAMES)? > 0 {
            peak = buf.iter().fold(peak, |m, s| m.max(s.abs()));
        }
        if peak > 0.0 {
            gain = 1.0 / peak;
        }
    }
    let mut r = PcmReader::open(&input.path)?;
    let mut at = 0u64;
    loop {
        let k = r.read_f32(&mut buf, CHUNK_FRAMES)?;
        if k == 0 {
            break;
        }
        emit(w, &buf, at, gain)?;
        at += k as u64;
    }
    Ok(())
}

#[cfg(test)]
#[path = "chain_tests.rs"]
mod tests;
