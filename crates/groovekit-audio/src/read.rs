//! Decoding audio files into interleaved `f32` frames.
//!
//! WAV (8/16/24/32-bit PCM, 32/64-bit float, WAVE_FORMAT_EXTENSIBLE), AIFF and AIFF-C (`NONE`,
//! `twos`, `sowt`, `fl32`, `fl64`) are parsed by [`crate::pcm`]; FLAC is decoded with symphonia.
//! The container is recognised by content, not by the file's extension. For bit-exact copies use
//! [`crate::pcm::PcmReader`] instead, which never goes through floating point.

use std::io::{Cursor, Read, Seek, SeekFrom};
use std::path::Path;

use symphonia::core::codecs::audio::AudioDecoderOptions;
use symphonia::core::formats::probe::Hint;
use symphonia::core::formats::{FormatOptions, TrackType};
use symphonia::core::io::{MediaSource, MediaSourceStream};
use symphonia::core::meta::MetadataOptions;

use crate::AudioError;
use crate::pcm::{AudioInfo, Container, Encoding, PcmReader};

/// A decoded audio file.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// Channel count (1 = mono, 2 = stereo).
    pub channels: u16,
    /// Frames per second.
    pub sample_rate: u32,
    /// Bits per sample in the source file.
    pub source_bits: u16,
    /// Interleaved samples, full scale = 1.0.
    pub samples: Vec<f32>,
}

impl Decoded {
    /// Number of frames.
    pub fn frames(&self) -> usize {
        self.samples.len() / usize::from(self.channels.max(1))
    }
}

/// The default cap on samples [`read_audio`] decodes into memory (about 50 minutes of 44.1 kHz
/// stereo); the current cap is [`crate::limits::max_decoded_samples`]. Stream longer files with
/// [`PcmReader`].
pub const MAX_DECODED_SAMPLES: u64 = crate::limits::DEFAULT_MAX_DECODED_SAMPLES;

fn decode_err(path: &Path, message: impl Into<String>) -> AudioError {
    AudioError::Decode { path: path.to_path_buf(), message: message.into() }
}

/// Reads an audio file (WAV, AIFF, AIFF-C or FLAC, recognised by content) into memory.
pub fn read_audio(path: &Path) -> Result<Decoded, AudioError> {
    let info = crate::pcm::probe(path)?;
    if info.container == Container::Flac {
        let file = std::fs::File::open(path).map_err(|e| {
            AudioError::Fs(groovekit_core::fs::FsError { action: "opening", path: path.into(), source: e })
        })?;
        return decode_flac(Box::new(file), path);
    }
    check_size(&info, path)?;
    let reader = PcmReader::open(path)?;
    decode_pcm(reader)
}

/// Decodes an audio file held in memory; `name` is used in messages only. Used by the fuzz
/// targets and by callers that already have the bytes.
pub fn read_audio_bytes(bytes: &[u8], name: &Path) -> Result<Decoded, AudioError> {
    let mut cursor = Cursor::new(bytes);
    let info = crate::pcm::probe_reader(&mut cursor, bytes.len() as u64, name)?;
    if info.container == Container::Flac {
        return decode_flac(Box::new(Cursor::new(bytes.to_vec())), name);
    }
    check_size(&info, name)?;
    cursor.seek(SeekFrom::Start(info.data_offset)).map_err(|e| decode_err(name, format!("seek: {e}")))?;
    decode_pcm(PcmReader::from_reader(cursor, info, name))
}

fn check_size(info: &AudioInfo, path: &Path) -> Result<(), AudioError> {
    let samples = info.frames.saturating_mul(u64::from(info.channels));
    if let Some(why) = crate::limits::decoded_problem(samples) {
        return Err(decode_err(path, format!("{} frames × {} channels: {why}", info.frames, info.channels)));
    }
    Ok(())
}

fn decode_pcm<R: Read>(mut reader: PcmReader<R>) -> Result<Decoded, AudioError> {
    let info = reader.info().clone();
    let mut samples = Vec::with_capacity((info.frames * u64::from(info.channels)) as usize);
    let mut chunk = Vec::new();
    while reader.read_f32(&mut chunk, 1 << 16)? > 0 {
        samples.extend_from_slice(&chunk);
    }
    Ok(Decoded {
        channels: info.channels,
        sample_rate: info.sample_rate,
        source_bits: if info.encoding == Encoding::Compressed { info.valid_bits } else { info.bits },
        samples,
    })
}

/// The header facts of a FLAC stream, for [`crate::pcm::probe`].
pub(crate) fn probe_flac<R: Read + Seek>(r: &mut R, path: &Path) -> Result<AudioInfo, AudioError> {
    // STREAMINFO is the mandatory first metadata block: "fLaC", 4-byte block header, then
    // min/max block (4), min/max frame (6), then 20 bits rate, 3 bits channels-1,
    // 5 bits bits-1, 36 bits total samples.
    let mut b = [0u8; 4 + 4 + 18];
    r.seek(SeekFrom::Start(0)).map_err(|e| decode_err(path, format!("seek: {e}")))?;
    r.read_exact(&mut b).map_err(|_| {
        decode_err(
            path,
            "truncated FLAC header: the file ends before byte 26, inside the STREAMINFO block (bytes 8 to 41)",
        )
    })?;
    if b[4] & 0x7F != 0 {
        return Err(decode_err(
            path,
            format!("the first FLAC metadata block (byte 4) is of type {}, not STREAMINFO (0)", b[4] & 0x7F),
        ));
    }
    let s = &b[8..];
    let rate = (u32::from(s[10]) << 12) | (u32::from(s[11]) << 4) | (u32::from(s[12]) >> 4);
    let channels = u16::from((s[12] >> 1) & 0x07) + 1;
    let bits = ((u16::from(s[12] & 1) << 4) | u16::from(s[13] >> 4)) + 1;
    let frames = (u64::from(s[13] & 0x0F) << 32) | u64::from(u32::from_be_bytes([s[14], s[15], s[16], s[17]]));
    if let Some(why) = crate::limits::rate_problem(rate) {
        return Err(decode_err(path, format!("FLAC STREAMINFO (rate field at byte 18): {why}")));
    }
    Ok(AudioInfo {
        container: Container::Flac,
        channels,
        sample_rate: rate,
        bits: bits.div_ceil(8) * 8,
        valid_bits: bits,
        encoding: Encoding::Compressed,
        frames,
        data_offset: 0,
    })
}

fn decode_flac(source: Box<dyn MediaSource>, path: &Path) -> Result<Decoded, AudioError> {
    let err = |m: String| decode_err(path, m);
    let mss = MediaSourceStream::new(source, Default::default());
    let mut format = symphonia::default::get_probe()
        .probe(&Hint::new(), mss, FormatOptions::default(), MetadataOptions::default())
        .map_err(|e| err(format!("not a readable FLAC file: {e}")))?;
    let track = format.default_track(TrackType::Audio).ok_or_else(|| err("no audio track".into()))?;
    let track_id = track.id;
    let params = track
        .codec_params
        .as_ref()
        .and_then(|p| p.audio())
        .ok_or_else(|| err("no audio codec parameters".into()))?
        .clone();
    let sample_rate = params.sample_rate.ok_or_else(|| err("no sample rate".into()))?;
    if let Some(why) = crate::limits::rate_problem(sample_rate) {
        return Err(err(why));
    }
    let channels =
        params.channels.as_ref().map(|c| c.count()).filter(|&c| c > 0).ok_or_else(|| err("no channels".into()))?;
    let channels = u16::try_from(channels).map_err(|_| err(format!("{channels} channels")))?;
    let source_bits = params.bits_per_sample.and_then(|b| u16::try_from(b).ok()).unwrap_or(16);
    let mut decoder = symphonia::default::get_codecs()
        .make_audio_decoder(&params, &AudioDecoderOptions::default())
        .map_err(|e| err(format!("cannot decode: {e}")))?;
    let mut samples: Vec<f32> = Vec::new();
    let mut chunk: Vec<f32> = Vec::new();
    loop {
        let packet = match format.next_packet() {
            Ok(Some(p)) => p,
            Ok(None) => break,
            Err(e) => return Err(err(format!("corrupt FLAC stream: {e}"))),
        };
        if packet.track_id != track_id {
            continue;
        }
        let buf = decoder.decode(&packet).map_err(|e| err(format!("corrupt FLAC frame: {e}")))?;
        if buf.spec().channels().count() != usize::from(channels) {
            return Err(err("channel count changes inside the stream".into()));
        }
        buf.copy_to_vec_interleaved(&mut chunk);
        if let Some(why) = crate::limits::decoded_problem((samples.len() + chunk.len()) as u64) {
            return Err(err(why));
        }
        samples.extend_from_slice(&chunk);
    }
    Ok(Decoded { channels, sample_rate, source_bits, samples })
}
