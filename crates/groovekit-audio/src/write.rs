//! Streaming WAV and AIFF output, written atomically.
//!
//! [`PcmWriter`] writes plain RIFF/AIFF by hand rather than through hound: hound switches to
//! WAVE_FORMAT_EXTENSIBLE above 16 bits and cannot write a `smpl` chunk, while the Octatrack and
//! most samplers expect a plain `fmt ` chunk. Integer frames are written through
//! [`PcmWriter::write_int`] without passing through floating point, so a chain of 16-bit files is
//! a bit-exact copy of its inputs. Files go through the write layer (`groovekit_core::fs`): they
//! appear at their path only when [`PcmWriter::finish`] succeeds, or, with
//! [`PcmWriter::create_staged`] and [`PcmWriter::finish_staged`], together with the other files
//! of a [`Transaction`]; a writer dropped unfinished removes its staged file.

use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use groovekit_core::fs::{StageOptions, StagedFile, Transaction};

use crate::{AudioError, SampleFormat};

/// What a finished render wrote.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct WriteStats {
    /// Frames written.
    pub frames: u64,
    /// Highest absolute sample value before clipping (1.0 = full scale).
    pub peak: f32,
    /// Samples that were outside [-1, 1] and were clipped (integer formats only).
    pub clipped: u64,
    /// Samples that were NaN or infinite and were written as silence.
    pub non_finite: u64,
}

/// The container a [`PcmWriter`] writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FileFormat {
    /// RIFF WAVE with a plain `fmt ` chunk (format 1 PCM or 3 float).
    #[default]
    Wav,
    /// AIFF (16/24-bit) or AIFF-C `fl32` (32-bit float).
    Aiff,
}

impl FileFormat {
    /// The usual file extension.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Wav => "wav",
            Self::Aiff => "aif",
        }
    }
}

/// A sustain loop for the WAV `smpl` chunk, in frames (end inclusive, as the chunk defines it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SmplLoop {
    /// First frame of the loop.
    pub start: u32,
    /// Last frame of the loop.
    pub end: u32,
}

/// Largest data chunk a 32-bit RIFF/AIFF size field allows, with room for the headers.
const MAX_DATA_BYTES: u64 = u32::MAX as u64 - 1024;

fn io_err(action: &'static str, path: &Path, e: std::io::Error) -> AudioError {
    AudioError::Fs(groovekit_core::fs::FsError { action, path: path.to_path_buf(), source: e })
}

/// Streams interleaved frames to a WAV or AIFF file.
pub struct PcmWriter {
    out: Option<BufWriter<StagedFile>>,
    /// The finished file, between [`PcmWriter::finish_inner`] and [`PcmWriter::finish_staged`].
    staged: Option<StagedFile>,
    kind: FileFormat,
    format: SampleFormat,
    channels: u16,
    sample_rate: u32,
    target: PathBuf,
    data_bytes: u64,
    stats: WriteStats,
    smpl: Option<SmplLoop>,
    buf: Vec<u8>,
    /// Reused integer buffer for [`PcmWriter::write_f32`], so streaming renders allocate once.
    ints: Vec<i32>,
}

/// Lanes per block in the conversion loops: wide enough for the compiler to fill its SIMD
/// registers, independent so no lane waits on another.
const LANES: usize = 16;

/// Per-lane running statistics of a conversion (folded into [`WriteStats`] at the end).
struct LaneStats {
    peak: [f32; LANES],
    clipped: [u32; LANES],
    non_finite: [u32; LANES],
}

impl LaneStats {
    fn new() -> Self {
        Self { peak: [0.0; LANES], clipped: [0; LANES], non_finite: [0; LANES] }
    }

    fn fold_into(&self, stats: &mut WriteStats) {
        stats.peak = self.peak.iter().fold(stats.peak, |m, &p| m.max(p));
        stats.clipped += self.clipped.iter().map(|&k| u64::from(k)).sum::<u64>();
        stats.non_finite += self.non_finite.iter().map(|&k| u64::from(k)).sum::<u64>();
    }
}

/// Clamps one sample to [-1, 1] (non-finite values become 0) and counts it into lane `i` of
/// `lanes`. Written with plain compares and selects (no `f32::max`/`clamp`, whose NaN rules
/// stop vectorisation); `a <= f32::MAX` is false exactly for NaN and the infinities.
#[inline(always)]
fn clamp_and_count(x: f32, lanes: &mut LaneStats, i: usize) -> f32 {
    let a = x.abs();
    let finite = a <= f32::MAX;
    let a = if finite { a } else { 0.0 };
    if let (Some(p), Some(k), Some(b)) = (lanes.peak.get_mut(i), lanes.clipped.get_mut(i), lanes.non_finite.get_mut(i))
    {
        *p = if a > *p { a } else { *p };
        *k += u32::from(a > 1.0);
        *b += u32::from(!finite);
    }
    let v = if finite { x } else { 0.0 };
    let v = if v > 1.0 { 1.0 } else { v };
    if v < -1.0 { -1.0 } else { v }
}

/// Rounds `q` to the nearest integer, halves away from zero, for `|q| < 2^22`.
///
/// Adding 1.5 × 2^23 puts the integer part in the low mantissa bits (round to nearest even),
/// read back through the bit pattern, so no float-to-int conversion is needed (Rust's
/// saturating `as` does not vectorise on x86-64 without AVX-512). The difference `q - n` is
/// exact; an exact tie (±0.5) on the even side is then moved away from zero. Tests compare it
/// with truncate-and-step around every integer and half up to 2^16 and on a stride through all
/// of `|q| <= 32767`; an ignored test covers every `f32` there.
#[inline(always)]
pub fn round_half_away(q: f32) -> i32 {
    const MAGIC: f32 = 12_582_912.0; // 1.5 × 2^23
    let s = q + MAGIC;
    let n = s.to_bits() as i32 - 0x4B40_0000; // the bit pattern of MAGIC
    let d = q - (s - MAGIC);
    n + i32::from(d == 0.5 && q > 0.0) - i32::from(d == -0.5 && q < 0.0)
}

/// Converts `f32` samples (full scale = 1.0) to integers `bits` deep (16 or 24) into `ints`, and
/// adds to `stats`: the peak of the finite input, the samples beyond full scale (clamped), the
/// non-finite ones (written as 0). Values are rounded half away from zero.
///
/// Written as branch-free passes over independent lanes so the compiler vectorises them: a
/// per-sample loop with a running maximum was half of a whole module render's time.
pub fn f32_to_int(samples: &[f32], bits: u16, ints: &mut Vec<i32>, stats: &mut WriteStats) {
    let full = ((1u32 << (bits.clamp(2, 32) - 1)) - 1) as f32;
    let mut lanes = LaneStats::new();
    ints.clear();
    ints.resize(samples.len(), 0);
    let round = |p: f32| {
        if full < 4_194_304.0 {
            round_half_away(p)
        } else {
            // Deeper than 22 bits: truncate, then step by the fraction, which `p - t` gives
            // exactly (Sterbenz).
            let t = p as i32;
            let frac = p - t as f32;
            t + i32::from(frac >= 0.5) - i32::from(frac <= -0.5)
        }
    };
    let mut chunks = samples.chunks_exact(LANES);
    let mut out = ints.chunks_exact_mut(LANES);
    for (c, o) in (&mut chunks).zip(&mut out) {
        for (i, (&x, o)) in c.iter().zip(o.iter_mut()).enumerate() {
            *o = round(clamp_and_count(x, &mut lanes, i) * full);
        }
    }
    for (&x, o) in chunks.remainder().iter().zip(out.into_remainder()) {
        *o = round(clamp_and_count(x, &mut lanes, 0) * full);
    }
    lanes.fold_into(stats);
}

/// Converts `f32` samples straight to 16-bit PCM bytes appended to `out` (little- or
/// big-endian), with the same clamping, rounding and statistics as [`f32_to_int`], in one pass:
/// the common render path (16-bit WAV) touches each sample once.
pub fn f32_to_i16_bytes(samples: &[f32], big_endian: bool, out: &mut Vec<u8>, stats: &mut WriteStats) {
    let start = out.len();
    out.resize(start + samples.len() * 2, 0);
    let Some(bytes) = out.get_mut(start..) else { return };
    // One loop per byte order, so the order is not tested per sample.
    let lanes = if big_endian { i16_bytes::<true>(samples, bytes) } else { i16_bytes::<false>(samples, bytes) };
    lanes.fold_into(stats);
}

/// The loop of [`f32_to_i16_bytes`] for one byte order; `bytes` is twice as long as `samples`.
fn i16_bytes<const BIG_ENDIAN: bool>(samples: &[f32], bytes: &mut [u8]) -> LaneStats {
    const FULL: f32 = 32_767.0;
    let encode = |v: i32| if BIG_ENDIAN { (v as i16).to_be_bytes() } else { (v as i16).to_le_bytes() };
    let mut lanes = LaneStats::new();
    let mut chunks = samples.chunks_exact(LANES);
    let mut dst = bytes.chunks_exact_mut(2 * LANES);
    for (c, d) in (&mut chunks).zip(&mut dst) {
        for (i, (&x, d)) in c.iter().zip(d.chunks_exact_mut(2)).enumerate() {
            d.copy_from_slice(&encode(round_half_away(clamp_and_count(x, &mut lanes, i) * FULL)));
        }
    }
    for (&x, d) in chunks.remainder().iter().zip(dst.into_remainder().chunks_exact_mut(2)) {
        d.copy_from_slice(&encode(round_half_away(clamp_and_count(x, &mut lanes, 0) * FULL)));
    }
    lanes
}

/// Encodes `f32` samples as 32-bit float bytes (non-finite values as 0; values beyond full scale
/// are kept, as float files allow), counting peak and non-finite samples; `bytes` is four times
/// as long as `samples`.
fn f32_bytes<const BIG_ENDIAN: bool>(samples: &[f32], bytes: &mut [u8]) -> LaneStats {
    let mut lanes = LaneStats::new();
    let mut chunks = samples.chunks_exact(LANES);
    let mut dst = bytes.chunks_exact_mut(4 * LANES);
    let one = |x: f32, lanes: &mut LaneStats, i: usize, d: &mut [u8]| {
        let a = x.abs();
        let finite = a <= f32::MAX;
        if let (Some(p), Some(b)) = (lanes.peak.get_mut(i), lanes.non_finite.get_mut(i)) {
            let a = if finite { a } else { 0.0 };
            *p = if a > *p { a } else { *p };
            *b += u32::from(!finite);
        }
        let v = if finite { x } else { 0.0 };
        d.copy_from_slice(&if BIG_ENDIAN { v.to_be_bytes() } else { v.to_le_bytes() });
    };
    for (c, d) in (&mut chunks).zip(&mut dst) {
        for (i, (&x, d)) in c.iter().zip(d.chunks_exact_mut(4)).enumerate() {
            one(x, &mut lanes, i, d);
        }
    }
    for (&x, d) in chunks.remainder().iter().zip(dst.into_remainder().chunks_exact_mut(4)) {
        one(x, &mut lanes, 0, d);
    }
    lanes
}

impl PcmWriter {
    /// Starts a file at `path` (an existing file is replaced, missing folders are created);
    /// nothing is visible at `path` until [`PcmWriter::finish`].
    pub fn create(
        path: &Path,
        kind: FileFormat,
        channels: u16,
        sample_rate: u32,
        format: SampleFormat,
    ) -> Result<Self, AudioError> {
        Self::check_layout(channels, sample_rate, format)?;
        let staged = StagedFile::begin(path, &StageOptions::default())?;
        Self::create_staged(staged, kind, channels, sample_rate, format)
    }

    /// Starts a file in a staged file of a transaction (`Transaction::create`), to be handed back
    /// with [`PcmWriter::finish_staged`] and `Transaction::add`.
    pub fn create_staged(
        staged: StagedFile,
        kind: FileFormat,
        channels: u16,
        sample_rate: u32,
        format: SampleFormat,
    ) -> Result<Self, AudioError> {
        Self::check_layout(channels, sample_rate, format)?;
        let mut w = Self {
            target: staged.target().to_path_buf(),
            out: Some(BufWriter::with_capacity(1 << 16, staged)),
            staged: None,
            kind,
            format,
            channels,
            sample_rate,
            data_bytes: 0,
            stats: WriteStats::default(),
            smpl: None,
            buf: Vec::new(),
            ints: Vec::new(),
        };
        let header = w.header(0);
        w.put(&header)?;
        Ok(w)
    }

    fn check_layout(channels: u16, sample_rate: u32, format: SampleFormat) -> Result<(), AudioError> {
        if channels == 0 || sample_rate == 0 {
            return Err(AudioError::Invalid("an audio file needs at least one channel and a sample rate".into()));
        }
        if u32::from(channels) * u32::from(format.bits() / 8) > u32::from(u16::MAX) {
            return Err(AudioError::Invalid(format!("{channels} channels do not fit a WAV/AIFF frame")));
        }
        Ok(())
    }

    /// Adds a `smpl` chunk with one forward loop (WAV only; ignored for AIFF).
    pub fn set_loop(&mut self, lp: Option<SmplLoop>) {
        self.smpl = lp;
    }

    /// Channels per frame.
    pub fn channels(&self) -> u16 {
        self.channels
    }

    /// Bytes per sample in the file.
    fn sample_bytes(&self) -> u16 {
        self.format.bits() / 8
    }

    /// Bytes per frame in the file.
    fn frame_bytes(&self) -> u64 {
        u64::from(self.sample_bytes()) * u64::from(self.channels)
    }

    /// The header for `data_bytes` bytes of sample data (written twice: placeholder, then final).
    fn header(&self, data_bytes: u64) -> Vec<u8> {
        let d = data_bytes as u32; // ok: checked against MAX_DATA_BYTES before finishing
        let frames = (data_bytes / self.frame_bytes()) as u32;
        let bits = self.format.bits();
        let mut h = Vec::with_capacity(64);
        match self.kind {
            FileFormat::Wav => {
                let pad = d & 1;
                let smpl_len = if self.smpl.is_some() { 8 + 60 } else { 0 };
                h.extend_from_slice(b"RIFF");
                h.extend_from_slice(&(4 + 24 + 8 + d + pad + smpl_len).to_le_bytes());
                h.extend_from_slice(b"WAVEfmt ");
                h.extend_from_slice(&16u32.to_le_bytes());
                let tag: u16 = if self.format == SampleFormat::Float32 { 3 } else { 1 };
                let align = self.frame_bytes() as u16; // ok: create() keeps it within u16
                h.extend_from_slice(&tag.to_le_bytes());
                h.extend_from_slice(&self.channels.to_le_bytes());
                h.extend_from_slice(&self.sample_rate.to_le_bytes());
                h.extend_from_slice(&(self.sample_rate.wrapping_mul(u32::from(align))).to_le_bytes());
                h.extend_from_slice(&align.to_le_bytes());
                h.extend_from_slice(&bits.to_le_bytes());
                h.extend_from_slice(b"data");
                h.extend_from_slice(&d.to_le_bytes());
            }
            FileFormat::Aiff => {
                let float = self.format == SampleFormat::Float32;
                // AIFF-C for float: FVER chunk, COMM with compression type and a padded pstring.
                let comm_len: u32 = if float { 18 + 4 + 22 } else { 18 };
                let fver_len: u32 = if float { 12 } else { 0 };
                h.extend_from_slice(b"FORM");
                h.extend_from_slice(&(4 + fver_len + 8 + comm_len + 8 + 8 + d + (d & 1)).to_be_bytes());
                h.extend_from_slice(if float { b"AIFC" } else { b"AIFF" });
                if float {
                    h.extend_from_slice(b"FVER");
                    h.extend_from_slice(&4u32.to_be_bytes());
                    h.extend_from_slice(&0xA280_5140u32.to_be_bytes());
                }
                h.extend_from_slice(b"COMM");
                h.extend_from_slice(&comm_len.to_be_bytes());
                h.extend_from_slice(&self.channels.to_be_bytes());
                h.extend_from_slice(&frames.to_be_bytes());
                h.extend_from_slice(&bits.to_be_bytes());
                h.extend_from_slice(&crate::pcm::u32_to_extended(self.sample_rate));
                if float {
                    h.extend_from_slice(b"fl32");
                    let name = b"32-bit floating point"; // 21 chars: count byte + 21 = 22, even
                    h.push(name.len() as u8);
                    h.extend_from_slice(name);
                }
                h.extend_from_slice(b"SSND");
                h.extend_from_slice(&(8 + d).to_be_bytes());
                h.extend_from_slice(&[0u8; 8]);
            }
        }
        h
    }

    fn put(&mut self, bytes: &[u8]) -> Result<(), AudioError> {
        let Some(out) = self.out.as_mut() else {
            return Err(AudioError::Invalid("writer already finished".into()));
        };
        out.write_all(bytes).map_err(|e| io_err("writing", &self.target, e))
    }

    fn push_data(&mut self) -> Result<(), AudioError> {
        let n = self.buf.len() as u64;
        if self.data_bytes + n > MAX_DATA_BYTES {
            return Err(AudioError::Invalid(format!(
                "{}: more than 4 GB of audio does not fit a WAV/AIFF file",
                self.target.display()
            )));
        }
        let buf = std::mem::take(&mut self.buf);
        let r = self.put(&buf);
        self.buf = buf;
        self.buf.clear();
        self.data_bytes += n;
        self.stats.frames += n / self.frame_bytes();
        r
    }

    fn encode_int(&mut self, v: i32) {
        let be = self.kind == FileFormat::Aiff;
        match self.format {
            SampleFormat::Int16 => {
                let b = (v as i16).to_le_bytes();
                if be { self.buf.extend_from_slice(&[b[1], b[0]]) } else { self.buf.extend_from_slice(&b) }
            }
            SampleFormat::Int24 => {
                let b = v.to_le_bytes();
                if be { self.buf.extend_from_slice(&[b[2], b[1], b[0]]) } else { self.buf.extend_from_slice(&b[..3]) }
            }
            SampleFormat::Float32 => {
                let b = (v as f32).to_bits().to_le_bytes();
                if be { self.buf.extend_from_slice(&[b[3], b[2], b[1], b[0]]) } else { self.buf.extend_from_slice(&b) }
            }
        }
    }

    /// Appends interleaved integer samples that are `source_bits` deep (16 → -32768..=32767).
    /// Same depth: copied bit for bit. Deeper output: shifted left (exact). Shallower output:
    /// rounded to nearest and clamped (clipped samples are counted). Float output: scaled so
    /// that full scale is 1.0.
    pub fn write_int(&mut self, samples: &[i32], source_bits: u16) -> Result<(), AudioError> {
        if !(1..=32).contains(&source_bits) {
            return Err(AudioError::Invalid(format!("source bit depth {source_bits} is not 1..=32")));
        }
        let channels = usize::from(self.channels);
        if !samples.len().is_multiple_of(channels) {
            return Err(AudioError::Invalid(format!(
                "{} samples is not a whole number of {channels}-channel frames",
                samples.len()
            )));
        }
        let target = self.format.bits();
        let full = (1u64 << (source_bits - 1)) as f32;
        self.buf.reserve(samples.len() * usize::from(self.sample_bytes()));
        let be = self.kind == FileFormat::Aiff;
        // The common case (16-bit to 16-bit WAV) gets a tight loop.
        if self.format == SampleFormat::Int16 && source_bits == 16 && !be {
            let start = self.buf.len();
            self.buf.resize(start + samples.len() * 2, 0);
            if let Some(out) = self.buf.get_mut(start..) {
                for (d, &v) in out.chunks_exact_mut(2).zip(samples) {
                    d.copy_from_slice(&(v as i16).to_le_bytes());
                }
            }
            if let Some(p) = samples.iter().map(|v| v.unsigned_abs()).max() {
                self.stats.peak = self.stats.peak.max(p as f32 / full);
            }
            return self.push_data();
        }
        for &v in samples {
            let a = v.unsigned_abs() as f32 / full;
            if a > self.stats.peak {
                self.stats.peak = a;
            }
            match self.format {
                SampleFormat::Float32 => {
                    let f = v as f32 / full;
                    let b = f.to_bits().to_le_bytes();
                    if be {
                        self.buf.extend_from_slice(&[b[3], b[2], b[1], b[0]])
                    } else {
                        self.buf.extend_from_slice(&b)
                    }
                }
                _ => {
                    let out = if source_bits <= target {
                        v << (target - source_bits)
                    } else {
                        let shift = source_bits - target;
                        let max = (1i64 << (target - 1)) - 1;
                        let r = (i64::from(v) + (1i64 << (shift - 1))) >> shift;
                        if r > max {
                            self.stats.clipped += 1;
                        }
                        r.clamp(-max - 1, max) as i32
                    };
                    self.encode_int(out);
                }
            }
        }
        self.push_data()
    }

    /// Appends interleaved `f32` samples (full scale = 1.0). Integer formats clip to full scale
    /// (counted) and write non-finite values as silence (counted).
    pub fn write_f32(&mut self, samples: &[f32]) -> Result<(), AudioError> {
        let channels = usize::from(self.channels);
        if !samples.len().is_multiple_of(channels) {
            return Err(AudioError::Invalid(format!(
                "{} samples is not a whole number of {channels}-channel frames",
                samples.len()
            )));
        }
        if self.format == SampleFormat::Int16 {
            let n = samples.len();
            self.buf.reserve(n * 2);
            f32_to_i16_bytes(samples, self.kind == FileFormat::Aiff, &mut self.buf, &mut self.stats);
            return self.push_data();
        }
        if self.format != SampleFormat::Float32 {
            // Convert in one vectorised pass, then take the integer path (same-depth copy).
            let bits = self.format.bits();
            let mut ints = std::mem::take(&mut self.ints);
            f32_to_int(samples, bits, &mut ints, &mut self.stats);
            let written = self.write_int(&ints, bits);
            self.ints = ints;
            return written;
        }
        let start = self.buf.len();
        self.buf.resize(start + samples.len() * 4, 0);
        if let Some(bytes) = self.buf.get_mut(start..) {
            let lanes = if self.kind == FileFormat::Aiff {
                f32_bytes::<true>(samples, bytes)
            } else {
                f32_bytes::<false>(samples, bytes)
            };
            lanes.fold_into(&mut self.stats);
        }
        self.push_data()
    }

    /// Writes the final sizes (and the `smpl` chunk), syncs, and moves the file into place.
    pub fn finish(self) -> Result<WriteStats, AudioError> {
        let (staged, stats) = self.finish_staged()?;
        let mut tx = Transaction::new();
        tx.add(staged)?;
        tx.commit()?;
        Ok(stats)
    }

    /// Completes the file without moving it into place: hand it to `Transaction::add`, so that
    /// a caller writing several files puts them in place only once every one succeeded.
    pub fn finish_staged(mut self) -> Result<(StagedFile, WriteStats), AudioError> {
        let stats = self.finish_inner()?;
        let staged = self.staged.take().ok_or_else(|| AudioError::Invalid("writer already finished".into()))?;
        Ok((staged, stats))
    }

    fn finish_inner(&mut self) -> Result<WriteStats, AudioError> {
        if self.data_bytes & 1 == 1 {
            self.put(&[0])?;
        }
        if let (FileFormat::Wav, Some(lp)) = (self.kind, self.smpl) {
            let mut c = Vec::with_capacity(68);
            c.extend_from_slice(b"smpl");
            c.extend_from_slice(&60u32.to_le_bytes());
            let period_ns = 1_000_000_000u32 / self.sample_rate.max(1);
            for v in [0u32, 0, period_ns, 60, 0, 0, 0, 1, 0] {
                c.extend_from_slice(&v.to_le_bytes());
            }
            for v in [0u32, 0, lp.start, lp.end, 0, 0] {
                c.extend_from_slice(&v.to_le_bytes());
            }
            self.put(&c)?;
        }
        let header = self.header(self.data_bytes);
        let target = self.target.clone();
        let mut out = self.out.take().ok_or_else(|| AudioError::Invalid("writer already finished".into()))?;
        out.seek(SeekFrom::Start(0)).map_err(|e| io_err("writing", &target, e))?;
        out.write_all(&header).map_err(|e| io_err("writing", &target, e))?;
        let file = out.into_inner().map_err(|e| io_err("writing", &target, e.into_error()))?;
        self.staged = Some(file);
        Ok(self.stats)
    }
}

/// Writes interleaved `f32` frames to a WAV file. The file appears at its path only when
/// [`WavWriter::finish`] succeeds (it is written to a temporary sibling and renamed).
pub struct WavWriter {
    inner: PcmWriter,
}

impl WavWriter {
    /// Starts a WAV file at `path` with the given layout.
    pub fn create(path: &Path, channels: u16, sample_rate: u32, format: SampleFormat) -> Result<Self, AudioError> {
        Ok(Self { inner: PcmWriter::create(path, FileFormat::Wav, channels, sample_rate, format)? })
    }

    /// Appends interleaved frames (`samples.len()` must be a multiple of the channel count).
    pub fn write(&mut self, samples: &[f32]) -> Result<(), AudioError> {
        self.inner.write_f32(samples)
    }

    /// Finishes the file and moves it into place.
    pub fn finish(self) -> Result<WriteStats, AudioError> {
        self.inner.finish()
    }
}

/// Writes a whole interleaved buffer to `path` in one call.
pub fn write_wav(
    path: &Path,
    samples: &[f32],
    channels: u16,
    sample_rate: u32,
    format: SampleFormat,
) -> Result<WriteStats, AudioError> {
    let mut w = WavWriter::create(path, channels, sample_rate, format)?;
    w.write(samples)?;
    w.finish()
}

/// What [`transcode_to_wav`] wrote.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transcoded {
    /// The WAV's sample format.
    pub format: SampleFormat,
    /// Channels (the source's).
    pub channels: u16,
    /// Frames per second (the source's).
    pub sample_rate: u32,
    /// Frames written (the source's).
    pub frames: u64,
    /// Whether every sample has the source's value exactly (false for 32-bit integer and 64-bit
    /// float sources, rounded to 32-bit float).
    pub exact: bool,
}

/// The WAV sample format [`PcmWriter`] can write that holds the samples of `info`, and whether
/// it holds them exactly: 8- and 16-bit integers as 16-bit (8-bit values shifted up, exact),
/// 24-bit as 24-bit, 32-bit float as 32-bit float; 32-bit integers and 64-bit floats as 32-bit
/// float, rounded (the writer has no 32-bit integer or 64-bit float output). FLAC by its
/// significant bits.
pub fn wav_format_for(info: &crate::pcm::AudioInfo) -> (SampleFormat, bool) {
    use crate::pcm::Encoding;
    match info.encoding {
        Encoding::Int { bytes: 1 | 2, .. } => (SampleFormat::Int16, true),
        Encoding::Int { bytes: 3, .. } => (SampleFormat::Int24, true),
        Encoding::Int { .. } => (SampleFormat::Float32, false),
        Encoding::Float { bytes, .. } => (SampleFormat::Float32, bytes == 4),
        Encoding::Compressed => match info.valid_bits {
            0..=16 => (SampleFormat::Int16, true),
            17..=24 => (SampleFormat::Int24, true),
            _ => (SampleFormat::Float32, false),
        },
    }
}

/// Frames per block when [`transcode_to_wav`] streams.
const TRANSCODE_BLOCK: usize = 1 << 15;

/// Writes the audio of `src` (WAV, AIFF, AIFF-C or FLAC, recognised by content) to a WAV at
/// `out` with the same rate and channels and the sample format of [`wav_format_for`]. Integer
/// PCM is copied as integers (never through floating point); WAV, AIFF and AIFF-C stream in
/// blocks (memory stays at one block), FLAC is decoded whole by
/// [`crate::read::read_audio`] within its decode limit. For browsers, which do not play AIFF.
pub fn transcode_to_wav(src: &Path, out: &Path) -> Result<Transcoded, AudioError> {
    use crate::pcm::{Encoding, PcmReader, probe};
    let info = probe(src)?;
    let (format, exact) = wav_format_for(&info);
    let stats = match info.encoding {
        Encoding::Compressed => {
            let d = crate::read::read_audio(src)?;
            let mut w = PcmWriter::create(out, FileFormat::Wav, d.channels, d.sample_rate, format)?;
            if format == SampleFormat::Float32 {
                w.write_f32(&d.samples)?;
            } else {
                // Back to the integers the decoder scaled (value / 2^(bits-1), exact in f32 up
                // to 24 bits): `write_f32` scales by 2^(bits-1) - 1, which is not their inverse.
                let bits = format.bits();
                let full = f64::from(1u32 << (bits - 1));
                let channels = usize::from(d.channels.max(1));
                let mut ints = Vec::with_capacity(TRANSCODE_BLOCK * channels);
                for block in d.samples.chunks(TRANSCODE_BLOCK * channels) {
                    ints.clear();
                    // Clamped to the integer range before the cast.
                    ints.extend(block.iter().map(|&x| (f64::from(x) * full).round().clamp(-full, full - 1.0) as i32));
                    w.write_int(&ints, bits)?;
                }
            }
            w.finish()?
        }
        encoding => {
            let mut r = PcmReader::open(src)?;
            let mut w = PcmWriter::create(out, FileFormat::Wav, info.channels, info.sample_rate, format)?;
            let (mut ints, mut floats) = (Vec::new(), Vec::new());
            loop {
                let n = match encoding {
                    Encoding::Int { bytes, .. } if format != SampleFormat::Float32 => {
                        let n = r.read_int(&mut ints, TRANSCODE_BLOCK)?;
                        w.write_int(&ints, u16::from(bytes) * 8)?;
                        n
                    }
                    _ => {
                        let n = r.read_f32(&mut floats, TRANSCODE_BLOCK)?;
                        w.write_f32(&floats)?;
                        n
                    }
                };
                if n == 0 {
                    break;
                }
            }
            w.finish()?
        }
    };
    Ok(Transcoded { format, channels: info.channels, sample_rate: info.sample_rate, frames: stats.frames, exact })
}

#[cfg(test)]
#[path = "write_tests.rs"]
mod tests;
