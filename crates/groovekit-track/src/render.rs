//! Rendering a song to stereo audio: sources (decoded assets and generated tones, all at the
//! output rate), voices (one per event of every triggered pattern instance, with a start frame
//! and left/right gains), and a block mixer that streams to the WAV writer.
//!
//! Every voice's start frame is `round(seconds × rate)` computed in f64 from its absolute time
//! (trigger + event, minus the sample's OFFSET, plus humanize), so there is no drift however long
//! the song is. Voices are summed in a fixed order (start frame, then score order), so renders
//! are bit-identical from run to run.

use std::path::{Path, PathBuf};

use groovekit_audio::SampleFormat;
use groovekit_audio::mix::{PanLaw, pan_gains};
use groovekit_audio::read::Decoded;

use crate::assets::AssetLocator;
use crate::error::{Diagnostic, TrackError};
use crate::model::{SampleKind, Song};

/// Lowest accepted output rate.
pub const MIN_RATE: u32 = 8_000;
/// Highest accepted output rate.
pub const MAX_RATE: u32 = 192_000;
/// Most frames of generated tones held in memory at once (all distinct tones together).
pub const MAX_TONE_FRAMES: usize = 64 << 20;
/// Frames mixed per block.
pub const BLOCK_FRAMES: usize = 4096;

/// One sound, at the output rate: interleaved mono or stereo samples.
#[derive(Debug, Clone, PartialEq)]
pub struct Source {
    /// 1 or 2.
    pub channels: u16,
    /// Interleaved samples, full scale = 1.0, never NaN or infinite.
    pub data: Vec<f32>,
}

impl Source {
    /// Number of frames.
    pub fn frames(&self) -> usize {
        self.data.len() / usize::from(self.channels.max(1))
    }
}

/// One sounding of a source.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Voice {
    /// Output frame of the source's first frame (negative: the voice starts part-way through).
    pub start: i64,
    /// Index into [`Plan::sources`].
    pub source: usize,
    /// Gain applied to the left output (volume × pan law).
    pub gain_l: f32,
    /// Gain applied to the right output.
    pub gain_r: f32,
}

/// Everything needed to mix a song: sources, voices sorted by start, and the song's length.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Output frames per second.
    pub rate: u32,
    /// One per sample of the song (`None` for samples no event uses).
    pub sources: Vec<Option<Source>>,
    /// Sorted by start frame, then score order.
    pub voices: Vec<Voice>,
    /// Length of the output: the later of the last pattern instance's end and the last voice's end.
    pub frames: u64,
    /// NaN or infinite samples found in assets (replaced by silence).
    pub non_finite_input: u64,
}

/// Options of a render.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderOptions {
    /// Output rate in Hz.
    pub rate: u32,
    /// Output sample format.
    pub format: SampleFormat,
    /// Scale the mix so that its peak is exactly full scale.
    pub normalize: bool,
    /// `--assets DIR`.
    pub assets_dir: Option<PathBuf>,
}

impl Default for RenderOptions {
    fn default() -> Self {
        Self { rate: 48_000, format: SampleFormat::Int16, normalize: false, assets_dir: None }
    }
}

/// What a render wrote.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct RenderReport {
    /// Frames written.
    pub frames: u64,
    /// Seconds written.
    pub seconds: f64,
    /// Voices mixed.
    pub voices: usize,
    /// Peak of the mix before normalisation (1.0 = full scale).
    pub peak: f32,
    /// Gain applied by `--normalize` (1.0 otherwise).
    pub gain: f32,
    /// Samples clipped to full scale when writing integer samples.
    pub clipped: u64,
    /// NaN or infinite samples replaced by silence (in assets and in the mix).
    pub non_finite: u64,
}

/// A small deterministic PRNG (SplitMix64) for HUMANIZE.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator seeded with `seed`.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform value in [-1, 1).
    pub fn next_signed(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0
    }
}

/// Checks an output rate against [`MIN_RATE`]..=[`MAX_RATE`].
pub fn check_rate(rate: u32) -> Result<(), TrackError> {
    if (MIN_RATE..=MAX_RATE).contains(&rate) {
        Ok(())
    } else {
        Err(TrackError::Limit(format!("output rate {rate} Hz is outside {MIN_RATE}..={MAX_RATE} Hz")))
    }
}

/// Converts a decoded asset to a [`Source`] at `rate`: resampled once, NaN/Inf replaced by
/// silence (counted in the returned number). Assets with more than two channels are refused.
pub fn source_from_decoded(decoded: &Decoded, rate: u32, path: &Path) -> Result<(Source, u64), TrackError> {
    if !(1..=2).contains(&decoded.channels) {
        return Err(TrackError::Limit(format!(
            "{}: {} channels; assets must be mono or stereo",
            path.display(),
            decoded.channels
        )));
    }
    let at_rate =
        if decoded.sample_rate == rate { None } else { Some(groovekit_audio::resample::resample(decoded, rate)?) };
    let d = at_rate.as_ref().unwrap_or(decoded);
    let mut bad = 0u64;
    let data = d
        .samples
        .iter()
        .map(|&s| {
            if s.is_finite() {
                s
            } else {
                bad += 1;
                0.0
            }
        })
        .collect();
    Ok((Source { channels: d.channels, data }, bad))
}

/// Loads every source the song uses: assets decoded once through `groovekit_audio::read` and
/// resampled once to `rate`; generated tones synthesised once. Unused samples get `None`.
pub fn load_sources(song: &Song, locator: &AssetLocator, rate: u32) -> Result<(Vec<Option<Source>>, u64), TrackError> {
    check_rate(rate)?;
    let (files, diags) = locator.resolve(song);
    let needed: Vec<bool> = song.samples.iter().map(|s| s.used).collect();
    // Only assets some event uses must exist (a set: a song may name very many samples).
    let used_spans: std::collections::BTreeSet<usize> =
        song.samples.iter().filter(|s| s.used).map(|s| s.span.start).collect();
    let missing: Vec<_> = diags.into_iter().filter(|d| used_spans.contains(&d.span.start)).collect();
    if !missing.is_empty() {
        return Err(TrackError::Invalid(crate::error::cap_repeated(missing, crate::error::MAX_REPEATS)));
    }
    let mut tone_frames = 0usize;
    let mut asset_samples = 0u64;
    let mut bad = 0u64;
    let mut sources = Vec::with_capacity(song.samples.len());
    for ((s, file), need) in song.samples.iter().zip(files).zip(needed) {
        if !need {
            sources.push(None);
            continue;
        }
        let src = match (&s.kind, file) {
            (SampleKind::Tone(p), _) => {
                tone_frames = tone_frames.saturating_add(crate::synth::tone_frames(p.dur, rate));
                if tone_frames > MAX_TONE_FRAMES {
                    return Err(TrackError::Invalid(vec![
                        Diagnostic::error(
                            s.span,
                            format!("with `{}` the generated tones hold more than {MAX_TONE_FRAMES} frames", s.name),
                        )
                        .with_help("shorten the tones' durations or use fewer distinct tones"),
                    ]));
                }
                Source { channels: 1, data: crate::synth::tone(p, rate) }
            }
            (SampleKind::Asset, Some(path)) => {
                // Errors point at the sample's first use or declaration, with the file's own message.
                let at = |e: TrackError| {
                    TrackError::Invalid(vec![
                        Diagnostic::error(s.span, format!("asset `{}`: {e}", s.name))
                            .with_help("assets are WAV (16/24-bit or float), AIFF or FLAC, mono or stereo"),
                    ])
                };
                let decoded = groovekit_audio::read::read_audio(&path).map_err(|e| at(e.into()))?;
                let (src, n) = source_from_decoded(&decoded, rate, &path).map_err(at)?;
                bad += n;
                // Every asset is held in memory at once: the decode cap bounds their sum, not
                // only each one (issue 11: many long assets would otherwise add up unbounded).
                asset_samples = asset_samples.saturating_add(src.data.len() as u64);
                if let Some(why) = groovekit_audio::limits::decoded_problem(asset_samples) {
                    return Err(at(TrackError::Limit(format!("the assets up to this one hold {why}"))));
                }
                src
            }
            // Unreachable in practice (every used asset without a file was reported above); pushing
            // `None` keeps the sources aligned with the samples either way.
            (SampleKind::Asset, None) => {
                sources.push(None);
                continue;
            }
        };
        sources.push(Some(src));
    }
    Ok((sources, bad))
}

/// Places every voice: one per event of every trigger, in score order then pattern order.
pub fn plan(song: &Song, sources: Vec<Option<Source>>, rate: u32) -> Plan {
    let sr = f64::from(rate);
    let mut rng = song.humanize.map(|h| (SplitMix64::new(h.seed), h));
    let mut voices = Vec::with_capacity(song.voice_count());
    let mut end = (song.pattern_end_seconds() * sr).round().max(0.0) as i64;
    for trig in &song.score {
        let Some(pattern) = song.patterns.get(trig.pattern) else { continue };
        for ev in &pattern.events {
            let Some(sample) = song.samples.get(ev.sample) else { continue };
            let mut units = trig.time + ev.time;
            let mut volume = ev.volume;
            if let Some((r, h)) = rng.as_mut() {
                // Two draws per event, always, so one setting does not shift the other's sequence.
                let dt = r.next_signed();
                let dv = r.next_signed();
                units += dt * h.timing_pct / 100.0 * 0.25;
                volume = (volume * (1.0 + dv * h.volume_pct / 100.0)).max(0.0);
            }
            let seconds = units * 240.0 / song.bpm - sample.offset;
            let start = (seconds * sr).round() as i64;
            let Some(Some(src)) = sources.get(ev.sample) else { continue };
            let len = src.frames() as i64;
            if start + len <= 0 {
                continue;
            }
            end = end.max(start + len);
            let (l, r) = pan_gains(ev.pan as f32, PanLaw::ConstantPower);
            let g = volume as f32;
            voices.push(Voice { start, source: ev.sample, gain_l: g * l, gain_r: g * r });
        }
    }
    // Stable: equal starts keep score order.
    voices.sort_by_key(|v| v.start);
    Plan { rate, sources, voices, frames: end.max(0) as u64, non_finite_input: 0 }
}

impl Plan {
    /// Mixes the song block by block, calling `sink` with each block of interleaved stereo
    /// samples (multiplied by `gain`).
    pub fn mix<E>(&self, gain: f32, mut sink: impl FnMut(&[f32]) -> Result<(), E>) -> Result<(), E> {
        let total = self.frames;
        let mut buf = vec![0f32; BLOCK_FRAMES * 2];
        let mut active: Vec<usize> = Vec::new();
        let mut next = 0usize;
        let mut b0: u64 = 0;
        while b0 < total {
            let n = (total - b0).min(BLOCK_FRAMES as u64) as usize;
            let b0i = b0 as i64;
            let b1i = b0i + n as i64;
            while let Some(v) = self.voices.get(next) {
                if v.start >= b1i {
                    break;
                }
                active.push(next);
                next += 1;
            }
            let out = buf.get_mut(..n * 2).unwrap_or_default();
            out.fill(0.0);
            for &vi in &active {
                let Some(v) = self.voices.get(vi) else { continue };
                let Some(Some(src)) = self.sources.get(v.source) else { continue };
                let len = src.frames() as i64;
                let from = v.start.max(b0i);
                let to = (v.start + len).min(b1i);
                if from >= to {
                    continue;
                }
                let (s0, s1) = ((from - v.start) as usize, (to - v.start) as usize);
                let (o0, o1) = ((from - b0i) as usize, (to - b0i) as usize);
                let Some(dst) = out.get_mut(o0 * 2..o1 * 2) else { continue };
                let (gl, gr) = (v.gain_l, v.gain_r);
                if src.channels == 2 {
                    let Some(s) = src.data.get(s0 * 2..s1 * 2) else { continue };
                    for (d, x) in dst.chunks_exact_mut(2).zip(s.chunks_exact(2)) {
                        if let ([dl, dr], [xl, xr]) = (d, x) {
                            *dl += xl * gl;
                            *dr += xr * gr;
                        }
                    }
                } else {
                    let Some(s) = src.data.get(s0..s1) else { continue };
                    for (d, &x) in dst.chunks_exact_mut(2).zip(s) {
                        if let [dl, dr] = d {
                            *dl += x * gl;
                            *dr += x * gr;
                        }
                    }
                }
            }
            active.retain(|&vi| {
                self.voices.get(vi).is_some_and(|v| {
                    let len = self.sources.get(v.source).and_then(Option::as_ref).map_or(0, |s| s.frames() as i64);
                    v.start + len > b1i
                })
            });
            if gain != 1.0 {
                for x in out.iter_mut() {
                    *x *= gain;
                }
            }
            sink(out)?;
            b0 += n as u64;
        }
        Ok(())
    }

    /// The whole mix in memory (interleaved stereo), for tests and small songs.
    pub fn render_vec(&self) -> Vec<f32> {
        let mut all = Vec::with_capacity((self.frames as usize).saturating_mul(2));
        let _ = self.mix::<()>(1.0, |b| {
            all.extend_from_slice(b);
            Ok(())
        });
        all
    }

    /// The largest absolute finite sample of the mix.
    pub fn peak(&self) -> f32 {
        let mut peak = 0f32;
        let _ = self.mix::<()>(1.0, |b| {
            for x in b {
                if x.is_finite() {
                    peak = peak.max(x.abs());
                }
            }
            Ok(())
        });
        peak
    }
}

/// Loads the song's sources and places its voices.
pub fn prepare(song: &Song, song_dir: &Path, opts: &RenderOptions) -> Result<Plan, TrackError> {
    check_rate(opts.rate)?;
    let locator = AssetLocator::new(song_dir, opts.assets_dir.as_deref())?;
    let (sources, bad) = load_sources(song, &locator, opts.rate)?;
    let mut p = plan(song, sources, opts.rate);
    p.non_finite_input = bad;
    Ok(p)
}

/// Renders `song` (whose file is in `song_dir`) to a stereo WAV at `out`, atomically.
pub fn render_file(song: &Song, song_dir: &Path, opts: &RenderOptions, out: &Path) -> Result<RenderReport, TrackError> {
    let plan = prepare(song, song_dir, opts)?;
    write_plan(&plan, opts, out)
}

/// Writes a prepared plan to `out`: with `normalize`, a first pass finds the peak and the second
/// writes the mix scaled to full scale; otherwise integer formats clip at full scale.
pub fn write_plan(plan: &Plan, opts: &RenderOptions, out: &Path) -> Result<RenderReport, TrackError> {
    use groovekit_audio::write::{FileFormat, PcmWriter};
    let (peak, gain) = if opts.normalize {
        let p = plan.peak();
        (p, if p > 0.0 { 1.0 / p } else { 1.0 })
    } else {
        (f32::NAN, 1.0)
    };
    let mut w = PcmWriter::create(out, FileFormat::Wav, 2, plan.rate, opts.format)?;
    let normalize = opts.normalize;
    let mut floats: Vec<f32> = Vec::new();
    // The writer converts, clips and counts (peak, clipped, non-finite) in one vectorised pass.
    plan.mix(gain, |b| {
        let b = if normalize {
            // 1/peak × peak can round a hair above 1.0: that is not clipping.
            floats.clear();
            floats.extend(b.iter().map(|x| x.clamp(-1.0, 1.0)));
            floats.as_slice()
        } else {
            b
        };
        w.write_f32(b)
    })?;
    let stats = w.finish()?;
    Ok(RenderReport {
        frames: stats.frames,
        seconds: stats.frames as f64 / f64::from(plan.rate),
        voices: plan.voices.len(),
        peak: if opts.normalize { peak } else { stats.peak },
        gain,
        clipped: stats.clipped,
        non_finite: stats.non_finite + plan.non_finite_input,
    })
}
