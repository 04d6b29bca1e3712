//! Slices of a chain: splitting a chain back into one file per slice (losslessly), and making
//! linear or random slice grids for an audio file.

use std::path::{Path, PathBuf};

use groovekit_audio::SampleFormat;
use groovekit_audio::pcm::{Container, Encoding, PcmReader, probe};
use groovekit_audio::write::{FileFormat, PcmWriter};
use groovekit_core::fs::Transaction;

use crate::model::sample_settings::{SampleSettings, Slice, bars_x100};
use crate::ops::chain::{ChainError, check_output_dir};

/// Shortest random slice, in frames (as octatools requires).
pub const MIN_RANDOM_SLICE: u64 = 128;

/// The `.ot` file that belongs to an audio file: same folder and stem (`chain.wav` →
/// `chain.ot`), as the Octatrack looks for it.
pub fn ot_path_for(audio: &Path) -> PathBuf {
    audio.with_extension("ot")
}

/// One file written by [`split`].
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SplitFile {
    /// Slice number, 1-based.
    pub slice: usize,
    /// The file.
    pub path: PathBuf,
    /// Its length in frames.
    pub frames: u64,
}

/// Writes each slice of `chain` (as described by `settings`) to `<out_dir>/<stem>-NN.wav`,
/// sample for sample: integer PCM is copied at its own depth (8-bit becomes 16-bit, exactly),
/// float stays float. Every slice is checked against the audio first; files appear only when
/// all are written.
pub fn split(chain: &Path, settings: &SampleSettings, out_dir: &Path) -> Result<Vec<SplitFile>, ChainError> {
    let info = probe(chain)?;
    if info.container == Container::Flac {
        return Err(ChainError::Invalid(format!("{}: FLAC chains are not split; convert to WAV", chain.display())));
    }
    let (format, bits) = match info.encoding {
        Encoding::Int { bytes: 1 | 2, .. } => (SampleFormat::Int16, info.bits),
        Encoding::Int { bytes: 3, .. } => (SampleFormat::Int24, 24),
        Encoding::Float { .. } => (SampleFormat::Float32, 32),
        _ => {
            return Err(ChainError::Invalid(format!(
                "{}: {}-bit integer audio cannot be split losslessly (16 and 24 bits can)",
                chain.display(),
                info.bits
            )));
        }
    };
    if settings.slices.is_empty() {
        return Err(ChainError::Invalid(format!("{}: the .ot has no slices", chain.display())));
    }
    for (i, s) in settings.slices.iter().enumerate() {
        if s.end <= s.start || u64::from(s.end) > info.frames {
            return Err(ChainError::Invalid(format!(
                "slice {}: frames {}..{} are not inside the audio's {} frames",
                i + 1,
                s.start,
                s.end,
                info.frames
            )));
        }
    }
    check_output_dir(out_dir)?;
    let stem = chain.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "slice".into());
    let mut reader = PcmReader::open(chain)?;
    let mut tx = Transaction::new();
    let mut files = Vec::new();
    let mut buf = Vec::new();
    let mut fbuf = Vec::new();
    for (i, s) in settings.slices.iter().enumerate() {
        let path = out_dir.join(format!("{stem}-{:02}.wav", i + 1));
        let mut w =
            PcmWriter::create_staged(tx.create(&path)?, FileFormat::Wav, info.channels, info.sample_rate, format)?;
        reader.seek_frame(u64::from(s.start))?;
        let mut left = u64::from(s.len());
        while left > 0 {
            let want = left.min(1 << 15) as usize;
            let n = if format == SampleFormat::Float32 {
                let n = reader.read_f32(&mut fbuf, want)?;
                w.write_f32(&fbuf)?;
                n
            } else {
                let n = reader.read_int(&mut buf, want)?;
                w.write_int(&buf, bits)?;
                n
            };
            if n == 0 {
                break;
            }
            left -= n as u64;
        }
        let (file, stats) = w.finish_staged()?;
        tx.add(file)?;
        files.push(SplitFile { slice: i + 1, path, frames: stats.frames });
    }
    tx.commit()?;
    Ok(files)
}

/// `n` equal slices covering `frames` (the remainder spread so lengths differ by at most one).
pub fn grid_linear(frames: u64, n: usize) -> Result<Vec<Slice>, ChainError> {
    check_grid(frames, n, 1)?;
    let n64 = n as u64;
    Ok((0..n64)
        .map(|i| Slice { start: (i * frames / n64) as u32, end: ((i + 1) * frames / n64) as u32, loop_point: None })
        .collect())
}

fn check_grid(frames: u64, n: usize, min: u64) -> Result<(), ChainError> {
    if n == 0 || n > 64 {
        return Err(ChainError::Invalid(format!("{n} slices: use 1..64")));
    }
    if frames > u64::from(u32::MAX) {
        return Err(ChainError::Invalid(format!("{frames} frames is too long for a .ot file")));
    }
    if frames < min * n as u64 {
        return Err(ChainError::Invalid(format!(
            "{frames} frames is too short for {n} slices of at least {min} frames"
        )));
    }
    Ok(())
}

/// A small seeded generator (SplitMix64), so grids are reproducible without a dependency.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }
}

/// `n` back-to-back slices of random lengths (each at least [`MIN_RANDOM_SLICE`] frames)
/// covering `frames`, the same for the same `seed`.
pub fn grid_random(frames: u64, n: usize, seed: u64) -> Result<Vec<Slice>, ChainError> {
    check_grid(frames, n, MIN_RANDOM_SLICE)?;
    let spare = frames - MIN_RANDOM_SLICE * n as u64;
    let mut rng = SplitMix(seed);
    let mut cuts: Vec<u64> = (0..n - 1).map(|_| rng.below(spare + 1)).collect();
    cuts.sort_unstable();
    let mut slices = Vec::with_capacity(n);
    let mut start = 0u64;
    let mut prev = 0u64;
    for k in 0..n {
        let cut = cuts.get(k).copied().unwrap_or(spare);
        let len = MIN_RANDOM_SLICE + (cut - prev);
        prev = cut;
        slices.push(Slice { start: start as u32, end: (start + len) as u32, loop_point: None });
        start += len;
    }
    Ok(slices)
}

/// The settings for an audio file of `frames` frames with `slices`: `existing` settings (an
/// existing `.ot`) keep everything but the slices, trim and lengths; otherwise defaults.
pub fn with_slices(existing: Option<SampleSettings>, frames: u64, slices: Vec<Slice>) -> SampleSettings {
    let mut s = existing.unwrap_or_default();
    s.trim_start = 0;
    s.trim_end = frames.min(u64::from(u32::MAX)) as u32;
    s.trim_length_x100 = bars_x100(frames, s.tempo_x24);
    s.loop_length_x100 = s.trim_length_x100;
    s.unused_slots.clear();
    s.slices = slices;
    s
}

/// Stages `.ot` bytes for `path` in a transaction the caller commits.
pub fn stage_ot(tx: &mut Transaction, path: &Path, settings: &SampleSettings) -> Result<(), ChainError> {
    Ok(tx.write(path, &settings.to_bytes()?)?)
}

#[cfg(test)]
#[path = "slices_tests.rs"]
mod tests;
