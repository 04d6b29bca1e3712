//! Waveform peaks of an audio file: for each of `n` equal columns, the lowest and highest sample
//! over all channels. Streamed through `groovekit_audio::pcm::PcmReader` in blocks, so memory
//! stays at one block whatever the file's length; FLAC (compressed) is decoded whole by
//! `read_audio`, within the library's decode limit.

use std::path::Path;

use groovekit_audio::pcm::{Encoding, PcmReader, probe};

/// Peaks of a file.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Peaks {
    /// Frames in the file.
    pub frames: u64,
    /// Sample rate.
    pub sample_rate: u32,
    /// Channels.
    pub channels: u16,
    /// (min, max) per column, each -1..1.
    pub columns: Vec<(f32, f32)>,
}

/// Most columns one request may ask for.
pub const MAX_COLUMNS: usize = 8192;

fn fold(columns: &mut [(f32, f32)], frames: u64, first_frame: u64, samples: &[f32], channels: usize) {
    let n = columns.len() as u64;
    for (i, frame) in samples.chunks(channels.max(1)).enumerate() {
        let at = first_frame + i as u64;
        let col = (at * n).checked_div(frames).map_or(0, |c| c.min(n - 1) as usize);
        if let Some(c) = columns.get_mut(col) {
            for &s in frame {
                c.0 = c.0.min(s);
                c.1 = c.1.max(s);
            }
        }
    }
}

/// Computes `n` columns of peaks (1..=[`MAX_COLUMNS`]).
pub fn peaks(path: &Path, n: usize) -> Result<Peaks, String> {
    let n = n.clamp(1, MAX_COLUMNS);
    let info = probe(path).map_err(|e| e.to_string())?;
    let mut columns = vec![(0.0f32, 0.0f32); n];
    let channels = usize::from(info.channels);
    if matches!(info.encoding, Encoding::Compressed) {
        let d = groovekit_audio::read::read_audio(path).map_err(|e| e.to_string())?;
        let frames = d.frames() as u64;
        fold(&mut columns, frames, 0, &d.samples, usize::from(d.channels));
        return Ok(Peaks { frames, sample_rate: d.sample_rate, channels: d.channels, columns });
    }
    let mut r = PcmReader::open(path).map_err(|e| e.to_string())?;
    let mut buf = Vec::new();
    let mut at = 0u64;
    loop {
        buf.clear();
        let got = r.read_f32(&mut buf, 16_384).map_err(|e| e.to_string())?;
        if got == 0 {
            break;
        }
        fold(&mut columns, info.frames, at, &buf, channels);
        at += got as u64;
    }
    Ok(Peaks { frames: info.frames, sample_rate: info.sample_rate, channels: info.channels, columns })
}
