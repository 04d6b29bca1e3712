//! Container parsing and streaming PCM for WAV, AIFF and AIFF-C, plus a FLAC probe.
//!
//! The chain and split operations copy sample data without ever converting it to floating point,
//! so they read frames as integers at the file's own depth through [`PcmReader`]. Files are
//! recognised by their content (`RIFF`/`WAVE`, `FORM`/`AIFF`/`AIFC`, `fLaC`), never by their
//! extension.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::AudioError;

/// The kind of container a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Container {
    /// RIFF WAVE.
    Wav,
    /// Apple/IFF AIFF (big-endian integer PCM).
    Aiff,
    /// AIFF-C (`NONE`, `twos`, `sowt`, `fl32`, `fl64`).
    AiffC,
    /// FLAC (read only, decoded through symphonia).
    Flac,
}

impl Container {
    /// A short name for messages and listings.
    pub fn name(self) -> &'static str {
        match self {
            Self::Wav => "WAV",
            Self::Aiff => "AIFF",
            Self::AiffC => "AIFF-C",
            Self::Flac => "FLAC",
        }
    }

    /// Recognises a container from the first 12 bytes of a file.
    pub fn sniff(head: &[u8]) -> Option<Container> {
        let id = head.get(..4)?;
        if id == b"fLaC" {
            return Some(Self::Flac);
        }
        let form = head.get(8..12)?;
        match (id, form) {
            (b"RIFF", b"WAVE") => Some(Self::Wav),
            (b"FORM", b"AIFF") => Some(Self::Aiff),
            (b"FORM", b"AIFC") => Some(Self::AiffC),
            _ => None,
        }
    }
}

/// How samples are stored in the data chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    /// Signed integers (unsigned for 8-bit WAV) of `bytes` bytes per sample.
    Int {
        /// Bytes per sample in the file (1 to 4).
        bytes: u8,
        /// Big-endian (AIFF `NONE`/`twos`) rather than little-endian (WAV, AIFF-C `sowt`).
        big_endian: bool,
        /// 8-bit WAV stores unsigned samples with 128 as silence.
        unsigned: bool,
    },
    /// IEEE floats of 4 or 8 bytes.
    Float {
        /// Bytes per sample (4 or 8).
        bytes: u8,
        /// Big-endian (AIFF-C `fl32`/`fl64`).
        big_endian: bool,
    },
    /// Compressed (FLAC): only [`crate::read::read_audio`] can decode it.
    Compressed,
}

/// What a file holds, found from its header alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AudioInfo {
    /// The container.
    pub container: Container,
    /// Channels (1 = mono, 2 = stereo).
    pub channels: u16,
    /// Frames per second.
    pub sample_rate: u32,
    /// Bits per sample as stored (the container width: 8, 16, 24, 32 or 64).
    pub bits: u16,
    /// Significant bits (WAVE_FORMAT_EXTENSIBLE `wValidBitsPerSample`, FLAC bits per sample),
    /// equal to `bits` when the file does not say.
    pub valid_bits: u16,
    /// Sample storage.
    pub encoding: Encoding,
    /// Frames in the file.
    pub frames: u64,
    /// Byte offset of the first frame (0 for FLAC).
    pub data_offset: u64,
}

impl AudioInfo {
    /// Whether samples are integer PCM.
    pub fn is_int(&self) -> bool {
        matches!(self.encoding, Encoding::Int { .. })
    }

    /// Whether samples are floating point.
    pub fn is_float(&self) -> bool {
        matches!(self.encoding, Encoding::Float { .. })
    }

    /// Bytes per frame in the data chunk (0 for FLAC).
    pub fn block_align(&self) -> usize {
        let b = match self.encoding {
            Encoding::Int { bytes, .. } | Encoding::Float { bytes, .. } => usize::from(bytes),
            Encoding::Compressed => 0,
        };
        b * usize::from(self.channels)
    }

    /// Duration in seconds.
    pub fn seconds(&self) -> f64 {
        if self.sample_rate == 0 { 0.0 } else { self.frames as f64 / f64::from(self.sample_rate) }
    }
}

fn decode_err(path: &Path, message: impl Into<String>) -> AudioError {
    AudioError::Decode { path: path.to_path_buf(), message: message.into() }
}

fn u16_le(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}
fn u32_le(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}
fn u16_be(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}
fn u32_be(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Decodes an 80-bit IEEE extended float (AIFF `COMM` sample rate) to the nearest integer.
/// Returns `None` for negative, zero, infinite or absurd (> 2^32) values.
pub fn extended_to_u32(b: &[u8; 10]) -> Option<u32> {
    let sign_exp = u16::from_be_bytes([b[0], b[1]]);
    let mantissa = u64::from_be_bytes([b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9]]);
    if sign_exp & 0x8000 != 0 || mantissa == 0 {
        return None;
    }
    let exp = i32::from(sign_exp & 0x7FFF) - 16383;
    if !(0..32).contains(&exp) {
        return None;
    }
    // value = mantissa * 2^(exp - 63); round half up.
    let shift = 63 - exp as u32; // 32..=63
    let whole = mantissa >> shift;
    let half = 1u64 << (shift - 1);
    let rounded = whole + u64::from(mantissa & ((1u64 << shift) - 1) >= half);
    u32::try_from(rounded).ok()
}

/// Encodes an integer sample rate as an 80-bit IEEE extended float for an AIFF `COMM` chunk.
pub fn u32_to_extended(rate: u32) -> [u8; 10] {
    let mut out = [0u8; 10];
    if rate == 0 {
        return out;
    }
    let v = u64::from(rate);
    let lz = v.leading_zeros();
    let mantissa = v << lz;
    let exp = 16383 + 63 - lz as u16;
    out[..2].copy_from_slice(&exp.to_be_bytes());
    out[2..].copy_from_slice(&mantissa.to_be_bytes());
    out
}

/// Reads the header of the audio file at `path` (any supported container) without decoding it.
pub fn probe(path: &Path) -> Result<AudioInfo, AudioError> {
    let mut f = open(path)?;
    let len = file_len(&f, path)?;
    probe_reader(&mut f, len, path)
}

fn open(path: &Path) -> Result<File, AudioError> {
    File::open(path)
        .map_err(|e| AudioError::Fs(groovekit_core::fs::FsError { action: "opening", path: path.into(), source: e }))
}

fn file_len(f: &File, path: &Path) -> Result<u64, AudioError> {
    f.metadata()
        .map(|m| m.len())
        .map_err(|e| AudioError::Fs(groovekit_core::fs::FsError { action: "reading", path: path.into(), source: e }))
}

/// Reads the header of an audio file from any seekable reader of `len` bytes. `path` is used in
/// messages only.
pub fn probe_reader<R: Read + Seek>(r: &mut R, len: u64, path: &Path) -> Result<AudioInfo, AudioError> {
    let mut head = [0u8; 12];
    let got = read_up_to(r, &mut head).map_err(|e| decode_err(path, format!("cannot read: {e}")))?;
    if got == 0 {
        return Err(decode_err(path, "empty file (0 bytes): not an audio file"));
    }
    match Container::sniff(&head[..got]) {
        Some(Container::Wav) => parse_wav(r, len, path),
        Some(c @ (Container::Aiff | Container::AiffC)) => parse_aiff(r, len, path, c),
        Some(Container::Flac) => crate::read::probe_flac(r, path),
        None => Err(decode_err(
            path,
            // The audio crate serves every format (OP-Z kits, .track assets, Octatrack chains), so the
            // message names no device: it says what was found, as text and as bytes.
            format!(
                "not a WAV, AIFF or FLAC file: it starts with \"{}\" ({:02X?}) where a RIFF, FORM or fLaC header \
                 was expected at byte 0",
                head[..got.min(4)]
                    .iter()
                    .map(|&b| if b.is_ascii_graphic() { b as char } else { '.' })
                    .collect::<String>(),
                &head[..got]
            ),
        )),
    }
}

fn read_up_to<R: Read>(r: &mut R, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match r.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

/// Walks the chunks of an IFF-style file from byte 12, calling `visit(id, offset, size)`; sizes
/// are read with `be` byte order. Chunks are padded to even sizes.
fn walk_chunks<R: Read + Seek>(
    r: &mut R,
    len: u64,
    be: bool,
    path: &Path,
    mut visit: impl FnMut(&mut R, [u8; 4], u64, u64) -> Result<bool, AudioError>,
) -> Result<(), AudioError> {
    let mut pos = 12u64;
    while pos + 8 <= len {
        r.seek(SeekFrom::Start(pos)).map_err(|e| decode_err(path, format!("seek to byte {pos}: {e}")))?;
        let mut h = [0u8; 8];
        r.read_exact(&mut h).map_err(|e| decode_err(path, format!("chunk header at byte {pos}: {e}")))?;
        let id = [h[0], h[1], h[2], h[3]];
        let size = if be {
            u32::from_be_bytes([h[4], h[5], h[6], h[7]])
        } else {
            u32::from_le_bytes([h[4], h[5], h[6], h[7]])
        };
        let body = pos + 8;
        if !visit(r, id, body, u64::from(size))? {
            return Ok(());
        }
        pos = body + u64::from(size) + u64::from(size & 1);
    }
    Ok(())
}

fn read_chunk<R: Read + Seek>(r: &mut R, at: u64, size: u64, cap: u64, path: &Path) -> Result<Vec<u8>, AudioError> {
    let n = size.min(cap) as usize;
    let mut v = vec![0u8; n];
    r.seek(SeekFrom::Start(at)).map_err(|e| decode_err(path, format!("seek to byte {at}: {e}")))?;
    r.read_exact(&mut v).map_err(|_| decode_err(path, format!("truncated chunk at byte {at}")))?;
    Ok(v)
}

fn parse_wav<R: Read + Seek>(r: &mut R, len: u64, path: &Path) -> Result<AudioInfo, AudioError> {
    let mut fmt: Option<Vec<u8>> = None;
    let mut fmt_at = 0u64;
    let mut data: Option<(u64, u64)> = None;
    walk_chunks(r, len, false, path, |r, id, at, size| {
        match &id {
            b"fmt " => {
                fmt = Some(read_chunk(r, at, size, 64, path)?);
                fmt_at = at;
            }
            b"data" => {
                data = Some((at, size));
                return Ok(fmt.is_none()); // keep looking only if fmt comes after data
            }
            _ => {}
        }
        Ok(true)
    })?;
    let fmt = fmt
        .ok_or_else(|| decode_err(path, format!("WAV file has no `fmt ` chunk (chunks read from byte 12 to {len})")))?;
    let (data_at, data_size) = data.ok_or_else(|| {
        decode_err(path, format!("WAV file has no `data` chunk (no audio; chunks read from byte 12 to {len})"))
    })?;
    let bad_fmt = || decode_err(path, format!("`fmt ` chunk at byte {fmt_at} is too short ({} bytes)", fmt.len()));
    let mut tag = u16_le(&fmt, 0).ok_or_else(bad_fmt)?;
    let channels = u16_le(&fmt, 2).ok_or_else(bad_fmt)?;
    let sample_rate = u32_le(&fmt, 4).ok_or_else(bad_fmt)?;
    let block_align = u16_le(&fmt, 12).ok_or_else(bad_fmt)?;
    let bits = u16_le(&fmt, 14).ok_or_else(bad_fmt)?;
    let mut valid_bits = bits;
    if tag == 0xFFFE {
        // WAVE_FORMAT_EXTENSIBLE: valid bits at 18, sub-format GUID at 24 (its first two bytes
        // are the plain format tag).
        valid_bits = u16_le(&fmt, 18).filter(|&v| v != 0).unwrap_or(bits);
        tag = u16_le(&fmt, 24).ok_or_else(|| {
            decode_err(path, format!("WAVE_FORMAT_EXTENSIBLE `fmt ` chunk at byte {fmt_at} is too short"))
        })?;
    }
    if channels == 0 {
        return Err(decode_err(
            path,
            format!("`fmt ` chunk at byte {fmt_at}: 0 channels (field at byte {})", fmt_at + 2),
        ));
    }
    if let Some(why) = crate::limits::rate_problem(sample_rate) {
        return Err(decode_err(
            path,
            format!("`fmt ` chunk at byte {fmt_at}, rate field at byte {}: {why}", fmt_at + 4),
        ));
    }
    let bytes = bits.div_ceil(8);
    let encoding = match (tag, bytes) {
        (1, 1..=4) => Encoding::Int { bytes: bytes as u8, big_endian: false, unsigned: bytes == 1 },
        (3, 4 | 8) => Encoding::Float { bytes: bytes as u8, big_endian: false },
        (1, _) => {
            return Err(decode_err(path, format!("unsupported PCM bit depth {bits} (byte {})", fmt_at + 14)));
        }
        (3, _) => {
            return Err(decode_err(path, format!("unsupported float bit depth {bits} (byte {})", fmt_at + 14)));
        }
        (t, _) => {
            let tag_at = if u16_le(&fmt, 0) == Some(0xFFFE) { fmt_at + 24 } else { fmt_at };
            return Err(decode_err(
                path,
                format!(
                    "unsupported WAV encoding (format tag 0x{t:04X} at byte {tag_at}); only PCM and IEEE float are read"
                ),
            ));
        }
    };
    let frame = u64::from(bytes) * u64::from(channels);
    if u64::from(block_align) != frame {
        return Err(decode_err(
            path,
            format!(
                "WAV block align {block_align} (byte {}) does not match {channels} channels of {bits} bits",
                fmt_at + 12
            ),
        ));
    }
    let available = len.saturating_sub(data_at);
    if data_size > available {
        return Err(decode_err(
            path,
            format!(
                "truncated: the `data` chunk at byte {} claims {data_size} bytes but only {available} are present",
                data_at - 8
            ),
        ));
    }
    Ok(AudioInfo {
        container: Container::Wav,
        channels,
        sample_rate,
        bits: bytes * 8,
        valid_bits: valid_bits.min(bytes * 8),
        encoding,
        frames: data_size / frame,
        data_offset: data_at,
    })
}

fn parse_aiff<R: Read + Seek>(r: &mut R, len: u64, path: &Path, container: Container) -> Result<AudioInfo, AudioError> {
    let mut comm: Option<(Vec<u8>, u64)> = None;
    let mut ssnd: Option<(u64, u64)> = None;
    walk_chunks(r, len, true, path, |r, id, at, size| {
        match &id {
            b"COMM" => comm = Some((read_chunk(r, at, size, 128, path)?, at)),
            b"SSND" => ssnd = Some((at, size)),
            _ => {}
        }
        Ok(true)
    })?;
    let (comm, comm_at) = comm.ok_or_else(|| {
        decode_err(path, format!("AIFF file has no `COMM` chunk (chunks read from byte 12 to {len})"))
    })?;
    let bad = || decode_err(path, format!("`COMM` chunk at byte {comm_at} is too short ({} bytes)", comm.len()));
    let channels = u16_be(&comm, 0).ok_or_else(bad)?;
    let frames_declared = u32_be(&comm, 2).ok_or_else(bad)?;
    let bits = u16_be(&comm, 6).ok_or_else(bad)?;
    let ext: [u8; 10] = comm.get(8..18).and_then(|s| s.try_into().ok()).ok_or_else(bad)?;
    let sample_rate = extended_to_u32(&ext)
        .ok_or_else(|| decode_err(path, format!("invalid sample rate in `COMM` at byte {}", comm_at + 8)))?;
    let compression: [u8; 4] = if container == Container::AiffC {
        comm.get(18..22).and_then(|s| s.try_into().ok()).ok_or_else(bad)?
    } else {
        *b"NONE"
    };
    if channels == 0 {
        return Err(decode_err(path, format!("`COMM` chunk at byte {comm_at}: 0 channels (field at byte {comm_at})")));
    }
    if let Some(why) = crate::limits::rate_problem(sample_rate) {
        return Err(decode_err(
            path,
            format!("`COMM` chunk at byte {comm_at}, rate field at byte {}: {why}", comm_at + 8),
        ));
    }
    let int_bytes = bits.div_ceil(8);
    let encoding = match &compression {
        b"NONE" | b"twos" if (1..=4).contains(&int_bytes) => {
            Encoding::Int { bytes: int_bytes as u8, big_endian: true, unsigned: false }
        }
        b"sowt" if (1..=4).contains(&int_bytes) => {
            Encoding::Int { bytes: int_bytes as u8, big_endian: false, unsigned: false }
        }
        b"fl32" | b"FL32" => Encoding::Float { bytes: 4, big_endian: true },
        b"fl64" | b"FL64" => Encoding::Float { bytes: 8, big_endian: true },
        b"NONE" | b"twos" | b"sowt" => {
            return Err(decode_err(path, format!("unsupported AIFF bit depth {bits} (byte {})", comm_at + 6)));
        }
        other => {
            return Err(decode_err(
                path,
                format!(
                    "unsupported AIFF-C compression '{}' (byte {}); only NONE, twos, sowt, fl32 and fl64 are read",
                    String::from_utf8_lossy(other),
                    comm_at + 18
                ),
            ));
        }
    };
    let (bytes, bits_out) = match encoding {
        Encoding::Float { bytes, .. } => (u64::from(bytes), u16::from(bytes) * 8),
        _ => (u64::from(int_bytes), int_bytes * 8),
    };
    let frame = bytes * u64::from(channels);
    // An empty AIFF legally has no SSND chunk.
    let data_offset = if frames_declared == 0 {
        ssnd.map(|(a, _)| a + 8).unwrap_or(0)
    } else {
        let (ssnd_at, ssnd_size) = ssnd.ok_or_else(|| {
            decode_err(path, format!("AIFF file has no `SSND` chunk (no audio; chunks read from byte 12 to {len})"))
        })?;
        let head = read_chunk(r, ssnd_at, 8, 8, path)?;
        let offset = u32_be(&head, 0).unwrap_or(0);
        let data_offset = ssnd_at + 8 + u64::from(offset);
        let need = u64::from(frames_declared) * frame;
        let in_chunk = ssnd_size.saturating_sub(8 + u64::from(offset));
        let available = len.saturating_sub(data_offset).min(in_chunk);
        if need > available {
            return Err(decode_err(
                path,
                format!(
                    "truncated: `COMM` declares {frames_declared} frames ({need} bytes) but the `SSND` chunk at byte {} holds {available}",
                    ssnd_at - 8
                ),
            ));
        }
        data_offset
    };
    Ok(AudioInfo {
        container,
        channels,
        sample_rate,
        bits: bits_out,
        valid_bits: bits.min(bits_out),
        encoding,
        frames: u64::from(frames_declared),
        data_offset,
    })
}

/// Streams frames from a WAV or AIFF file, as integers at the file's own depth or as `f32`.
pub struct PcmReader<R: Read = BufReader<File>> {
    inner: R,
    info: AudioInfo,
    remaining: u64,
    path: PathBuf,
    raw: Vec<u8>,
}

impl PcmReader {
    /// Opens a WAV or AIFF file and positions it at its first frame.
    pub fn open(path: &Path) -> Result<Self, AudioError> {
        let mut f = open(path)?;
        let len = file_len(&f, path)?;
        let info = probe_reader(&mut f, len, path)?;
        if info.encoding == Encoding::Compressed {
            return Err(decode_err(path, "FLAC cannot be streamed as PCM; decode it with read_audio"));
        }
        f.seek(SeekFrom::Start(info.data_offset)).map_err(|e| decode_err(path, format!("seek: {e}")))?;
        Ok(Self {
            inner: BufReader::with_capacity(1 << 16, f),
            remaining: info.frames,
            info,
            path: path.to_path_buf(),
            raw: Vec::new(),
        })
    }
}

impl<R: Read + Seek> PcmReader<R> {
    /// Moves to frame `frame` (clamped to the end); the next read starts there.
    pub fn seek_frame(&mut self, frame: u64) -> Result<(), AudioError> {
        let frame = frame.min(self.info.frames);
        let at = self.info.data_offset + frame * self.info.block_align() as u64;
        self.inner
            .seek(SeekFrom::Start(at))
            .map_err(|e| decode_err(&self.path, format!("seek to frame {frame}: {e}")))?;
        self.remaining = self.info.frames - frame;
        Ok(())
    }
}

impl<R: Read> PcmReader<R> {
    /// Wraps a reader already positioned at the first frame of data described by `info`.
    pub fn from_reader(inner: R, info: AudioInfo, path: &Path) -> Self {
        Self { inner, remaining: info.frames, info, path: path.to_path_buf(), raw: Vec::new() }
    }

    /// The header information.
    pub fn info(&self) -> &AudioInfo {
        &self.info
    }

    /// Frames not read yet.
    pub fn remaining_frames(&self) -> u64 {
        self.remaining
    }

    /// Reads up to `max_frames` frames of raw sample bytes, as stored in the file.
    pub fn read_raw(&mut self, max_frames: usize) -> Result<&[u8], AudioError> {
        let n = (max_frames as u64).min(self.remaining) as usize;
        let bytes = n * self.info.block_align();
        self.raw.resize(bytes, 0);
        self.inner.read_exact(&mut self.raw).map_err(|e| {
            decode_err(&self.path, format!("truncated sample data ({} frames short): {e}", self.remaining))
        })?;
        self.remaining -= n as u64;
        Ok(&self.raw)
    }

    /// Reads up to `max_frames` interleaved frames as integers at the file's depth (a 16-bit file
    /// gives -32768..=32767, 8-bit WAV is re-centred to -128..=127). Returns the frames read (0
    /// at the end). Floating-point files are refused: converting them is a choice for the caller.
    pub fn read_int(&mut self, out: &mut Vec<i32>, max_frames: usize) -> Result<usize, AudioError> {
        let Encoding::Int { bytes, big_endian, unsigned } = self.info.encoding else {
            return Err(decode_err(&self.path, "floating-point samples cannot be copied as integer PCM"));
        };
        let channels = usize::from(self.info.channels);
        let raw = self.read_raw(max_frames)?;
        out.clear();
        out.reserve(raw.len() / usize::from(bytes));
        match (bytes, big_endian) {
            (1, _) => out.extend(raw.iter().map(|&b| if unsigned { i32::from(b) - 128 } else { i32::from(b as i8) })),
            (2, false) => out.extend(raw.chunks_exact(2).map(|c| i32::from(i16::from_le_bytes([c[0], c[1]])))),
            (2, true) => out.extend(raw.chunks_exact(2).map(|c| i32::from(i16::from_be_bytes([c[0], c[1]])))),
            (3, false) => out.extend(raw.chunks_exact(3).map(|c| i32::from_le_bytes([0, c[0], c[1], c[2]]) >> 8)),
            (3, true) => out.extend(raw.chunks_exact(3).map(|c| i32::from_be_bytes([c[0], c[1], c[2], 0]) >> 8)),
            (4, false) => out.extend(raw.chunks_exact(4).map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]]))),
            (_, _) => out.extend(raw.chunks_exact(4).map(|c| i32::from_be_bytes([c[0], c[1], c[2], c[3]]))),
        }
        Ok(out.len() / channels.max(1))
    }

    /// Reads up to `max_frames` interleaved frames as `f32` (full scale = 1.0).
    pub fn read_f32(&mut self, out: &mut Vec<f32>, max_frames: usize) -> Result<usize, AudioError> {
        match self.info.encoding {
            Encoding::Int { bytes, .. } => {
                let mut ints = Vec::new();
                let n = self.read_int(&mut ints, max_frames)?;
                let scale = 1.0 / (1u64 << (u32::from(bytes) * 8 - 1)) as f32;
                out.clear();
                out.extend(ints.iter().map(|&v| v as f32 * scale));
                Ok(n)
            }
            Encoding::Float { bytes, big_endian } => {
                let channels = usize::from(self.info.channels);
                let raw = self.read_raw(max_frames)?;
                out.clear();
                match (bytes, big_endian) {
                    (4, false) => out.extend(raw.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))),
                    (4, true) => out.extend(raw.chunks_exact(4).map(|c| f32::from_be_bytes([c[0], c[1], c[2], c[3]]))),
                    (_, false) => out.extend(
                        raw.chunks_exact(8)
                            .map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]) as f32),
                    ),
                    (_, true) => out.extend(
                        raw.chunks_exact(8)
                            .map(|c| f64::from_be_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]) as f32),
                    ),
                }
                Ok(out.len() / channels.max(1))
            }
            Encoding::Compressed => Err(decode_err(&self.path, "compressed audio cannot be streamed as PCM")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extended_round_trips_common_rates() {
        for rate in [1u32, 8000, 22050, 44100, 48000, 96000, 192_000, u32::MAX] {
            assert_eq!(extended_to_u32(&u32_to_extended(rate)), Some(rate), "{rate}");
        }
        // 44100 as written by every AIFF encoder.
        assert_eq!(u32_to_extended(44100), [0x40, 0x0E, 0xAC, 0x44, 0, 0, 0, 0, 0, 0]);
        assert_eq!(extended_to_u32(&[0; 10]), None);
    }

    #[test]
    fn sniffs_by_content() {
        assert_eq!(Container::sniff(b"RIFF\0\0\0\0WAVE"), Some(Container::Wav));
        assert_eq!(Container::sniff(b"FORM\0\0\0\0AIFC"), Some(Container::AiffC));
        assert_eq!(Container::sniff(b"fLaC"), Some(Container::Flac));
        assert_eq!(Container::sniff(b"RIFF\0\0\0\0AVI "), None);
        assert_eq!(Container::sniff(b"RI"), None);
    }
}
