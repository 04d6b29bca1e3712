//! OP-Z / OP-1 sample packs: AIFF (or AIFF-C) files whose `APPL` chunk carries the signature
//! `op-1` and a JSON object (reference §4.2).
//!
//! [`Aiff`] is a lossless chunk walker: every chunk, pad byte, declared size and trailing byte is
//! kept, so reading and writing an unedited file gives the same bytes. Editing the JSON replaces
//! only the `APPL` chunk's data (and the FORM size); the audio chunks are untouched.

use serde_json::Value;

use crate::OpzError;

/// The frame count that the slice positions' full scale stands for: 12 s at 44.1 kHz.
pub const KIT_FRAMES: u64 = 529_200;
/// The position value at [`KIT_FRAMES`] (yellowjacket's exact drum-patch math: position =
/// floor(frame x 2 147 483 646 / 529 200)).
pub const POSITION_SCALE: u64 = 2_147_483_646;
/// Sample rate of kits.
pub const KIT_RATE: u32 = 44_100;
/// Slices in a drum kit.
pub const KIT_SLICES: usize = 24;
/// Unity for `volume`, `playmode` and `reverse` entries (the values every factory kit uses).
pub const UNITY: i64 = 8192;

/// The position value of a frame.
pub fn frame_to_position(frame: u64) -> u64 {
    u64::try_from(u128::from(frame) * u128::from(POSITION_SCALE) / u128::from(KIT_FRAMES)).unwrap_or(u64::MAX)
}

/// The frame of a position value (rounded to the nearest frame).
pub fn position_to_frame(position: u64) -> u64 {
    let scaled = u128::from(position) * u128::from(KIT_FRAMES) + u128::from(POSITION_SCALE / 2);
    u64::try_from(scaled / u128::from(POSITION_SCALE)).unwrap_or(u64::MAX)
}

/// Whether `bytes` look like a sample pack: `FORM` + `AIFF`/`AIFC` and an `APPL` chunk whose data
/// starts with `op-1` among the chunk headers before the first one that does not fit in the file.
/// A kit whose later chunk (such as `SSND`) declares more bytes than remain is still recognised, so
/// that `inspect` and `verify` give [`Aiff::parse`]'s error with its offset rather than "not
/// recognised".
pub fn looks_like_kit(bytes: &[u8]) -> bool {
    if bytes.get(0..4) != Some(b"FORM") || !matches!(bytes.get(8..12), Some(b"AIFF") | Some(b"AIFC")) {
        return false;
    }
    let mut at = 12usize;
    while let (Some(id), Some(len)) = (bytes.get(at..at + 4), be_u32(bytes, at + 4)) {
        let start = at + 8;
        if id == b"APPL" && bytes.get(start..start + 4) == Some(b"op-1") {
            return true;
        }
        let len = len as usize;
        match start.checked_add(len).map(|e| e + len % 2) {
            Some(next) if next <= bytes.len() => at = next,
            _ => return false,
        }
    }
    false
}

/// One chunk of an AIFF file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// Four-character ID.
    pub id: [u8; 4],
    /// The chunk's data (its declared length).
    pub data: Vec<u8>,
    /// The pad byte after odd-length data, as stored (`None` when the file ends without it).
    pub pad: Option<u8>,
}

/// A whole AIFF/AIFF-C file as chunks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aiff {
    /// `AIFF` or `AIFC`.
    pub form_type: [u8; 4],
    /// The FORM size as stored.
    pub form_size: u32,
    /// The chunks in file order.
    pub chunks: Vec<Chunk>,
    /// Bytes after the last chunk that do not form a chunk header (kept as they are).
    pub trailing: Vec<u8>,
}

fn aiff_err(offset: usize, message: impl Into<String>) -> OpzError {
    OpzError::Aiff { offset: offset as u64, message: message.into() }
}

fn be_u32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

impl Aiff {
    /// Reads the chunks of an AIFF or AIFF-C file.
    pub fn parse(bytes: &[u8]) -> Result<Self, OpzError> {
        if bytes.len() < 12 {
            return Err(aiff_err(0, format!("{} bytes is too short for an AIFF header (12)", bytes.len())));
        }
        if bytes.get(0..4) != Some(b"FORM") {
            return Err(aiff_err(0, "does not start with FORM: not an AIFF file"));
        }
        let form_type: [u8; 4] = bytes.get(8..12).and_then(|s| s.try_into().ok()).unwrap_or([0; 4]);
        if &form_type != b"AIFF" && &form_type != b"AIFC" {
            return Err(aiff_err(
                8,
                format!("form type {:?} is not AIFF or AIFC", String::from_utf8_lossy(&form_type)),
            ));
        }
        let form_size = be_u32(bytes, 4).unwrap_or(0);
        let mut chunks = Vec::new();
        let mut at = 12usize;
        while bytes.len() - at >= 8 {
            let id: [u8; 4] = bytes.get(at..at + 4).and_then(|s| s.try_into().ok()).unwrap_or([0; 4]);
            if !id.iter().all(|b| (0x20..0x7F).contains(b)) {
                break; // not a chunk header: keep the rest as trailing bytes
            }
            let len = be_u32(bytes, at + 4).unwrap_or(0) as usize;
            let start = at + 8;
            let data = bytes.get(start..start.saturating_add(len)).ok_or_else(|| {
                aiff_err(
                    at,
                    format!(
                        "chunk {} declares {len} bytes but only {} remain: the file is truncated",
                        String::from_utf8_lossy(&id),
                        bytes.len() - start
                    ),
                )
            })?;
            let mut next = start + len;
            let pad = if len % 2 == 1 {
                let p = bytes.get(next).copied();
                if p.is_some() {
                    next += 1;
                }
                p
            } else {
                None
            };
            chunks.push(Chunk { id, data: data.to_vec(), pad });
            at = next;
        }
        Ok(Self { form_type, form_size, chunks, trailing: bytes.get(at..).unwrap_or(&[]).to_vec() })
    }

    /// The file bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(12 + self.chunks.iter().map(|c| c.data.len() + 9).sum::<usize>());
        out.extend_from_slice(b"FORM");
        out.extend_from_slice(&self.form_size.to_be_bytes());
        out.extend_from_slice(&self.form_type);
        for c in &self.chunks {
            out.extend_from_slice(&c.id);
            out.extend_from_slice(&(c.data.len() as u32).to_be_bytes());
            out.extend_from_slice(&c.data);
            if let Some(p) = c.pad {
                out.push(p);
            }
        }
        out.extend_from_slice(&self.trailing);
        out
    }

    /// Sets the FORM size to what the chunks add up to (after an edit).
    pub fn fix_form_size(&mut self) {
        let body: usize =
            4 + self.chunks.iter().map(|c| 8 + c.data.len() + usize::from(c.pad.is_some())).sum::<usize>();
        self.form_size = u32::try_from(body).unwrap_or(u32::MAX);
    }

    /// The first chunk with this ID.
    pub fn chunk(&self, id: &[u8; 4]) -> Option<&Chunk> {
        self.chunks.iter().find(|c| &c.id == id)
    }

    /// The index of the `APPL` chunk with the `op-1` signature.
    fn op1_index(&self) -> Option<usize> {
        self.chunks.iter().position(|c| &c.id == b"APPL" && c.data.starts_with(b"op-1"))
    }

    /// The audio format from `COMM` (and the compression type of AIFF-C).
    pub fn format(&self) -> Result<AudioFormat, OpzError> {
        let comm = self.chunk(b"COMM").ok_or_else(|| aiff_err(12, "no COMM chunk"))?;
        let d = &comm.data;
        if d.len() < 18 {
            return Err(aiff_err(12, format!("COMM chunk is {} bytes; it needs 18", d.len())));
        }
        let channels = u16::from_be_bytes([d[0], d[1]]);
        let frames = u32::from_be_bytes([d[2], d[3], d[4], d[5]]);
        let bits = u16::from_be_bytes([d[6], d[7]]);
        let rate = extended_to_f64(&[d[8], d[9], d[10], d[11], d[12], d[13], d[14], d[15], d[16], d[17]]);
        let little_endian = &self.form_type == b"AIFC" && d.get(18..22) == Some(b"sowt");
        Ok(AudioFormat { channels, frames, bits, rate, little_endian })
    }

    /// The sample frames as interleaved `i32` values at the file's bit depth, from `SSND`.
    pub fn samples(&self) -> Result<Vec<i32>, OpzError> {
        let f = self.format()?;
        let ssnd = self.chunk(b"SSND").ok_or_else(|| aiff_err(12, "no SSND chunk"))?;
        let offset = be_u32(&ssnd.data, 0).unwrap_or(0) as usize;
        let width = usize::from(f.bits.div_ceil(8));
        if !(1..=4).contains(&width) {
            return Err(aiff_err(12, format!("{} bits per sample is not supported", f.bits)));
        }
        let data = ssnd.data.get(8usize.saturating_add(offset)..).unwrap_or(&[]);
        let wanted = (f.frames as usize).saturating_mul(usize::from(f.channels)).saturating_mul(width);
        let data = data.get(..wanted.min(data.len())).unwrap_or(&[]);
        Ok(data
            .chunks_exact(width)
            .map(|s| {
                let mut v: i32 = 0;
                for i in 0..width {
                    let b = if f.little_endian { s[width - 1 - i] } else { s[i] };
                    v = (v << 8) | i32::from(b);
                }
                let shift = 32 - 8 * width as u32;
                (v << shift) >> shift
            })
            .collect())
    }
}

/// The format of a kit's audio.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct AudioFormat {
    /// Channels.
    pub channels: u16,
    /// Frames.
    pub frames: u32,
    /// Bits per sample.
    pub bits: u16,
    /// Sample rate in Hz.
    pub rate: f64,
    /// AIFF-C `sowt` (little-endian samples).
    pub little_endian: bool,
}

/// Decodes an 80-bit IEEE extended float (COMM's sample rate).
pub fn extended_to_f64(b: &[u8; 10]) -> f64 {
    let exp = (i32::from(b[0] & 0x7F) << 8) | i32::from(b[1]);
    let mant = u64::from_be_bytes([b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9]]);
    if exp == 0 && mant == 0 {
        return 0.0;
    }
    let v = mant as f64 * 2f64.powi(exp - 16383 - 63);
    if b[0] & 0x80 != 0 { -v } else { v }
}

/// Encodes a whole-number rate as an 80-bit IEEE extended float.
pub fn f64_to_extended(rate: u32) -> [u8; 10] {
    let mut out = [0u8; 10];
    if rate == 0 {
        return out;
    }
    let shift = rate.leading_zeros();
    let exp = 16383 + 31 - shift;
    let mant = u64::from(rate) << (32 + shift);
    out[0..2].copy_from_slice(&(exp as u16).to_be_bytes());
    out[2..10].copy_from_slice(&mant.to_be_bytes());
    out
}

/// A sample pack: the AIFF chunks plus access to the `op-1` JSON.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kit {
    /// The file's chunks.
    pub aiff: Aiff,
}

/// One drum slice, decoded from the JSON arrays.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Slice {
    /// Start position (JSON value).
    pub start: i64,
    /// End position (JSON value).
    pub end: i64,
    /// Pitch (512 per semitone).
    pub pitch: i64,
    /// Volume (8192 = unity).
    pub volume: i64,
    /// Play mode.
    pub playmode: i64,
    /// Reverse (8192 = forward in factory kits).
    pub reverse: i64,
}

impl Slice {
    /// Start frame.
    pub fn start_frame(&self) -> u64 {
        position_to_frame(self.start.max(0) as u64)
    }
    /// End frame.
    pub fn end_frame(&self) -> u64 {
        position_to_frame(self.end.max(0) as u64)
    }
}

fn int_array(v: &Value, key: &str) -> Vec<i64> {
    v.get(key)
        .and_then(Value::as_array)
        .map(|a| a.iter().map(|x| x.as_i64().unwrap_or(0)).collect())
        .unwrap_or_default()
}

impl Kit {
    /// Reads a kit: an AIFF whose chunks include `APPL` `op-1`.
    pub fn parse(bytes: &[u8]) -> Result<Self, OpzError> {
        let aiff = Aiff::parse(bytes)?;
        if aiff.op1_index().is_none() {
            return Err(aiff_err(12, "no APPL chunk with the op-1 signature: not an OP-Z/OP-1 sample pack"));
        }
        Ok(Self { aiff })
    }

    /// The file bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.aiff.to_bytes()
    }

    /// The raw bytes of the op-1 chunk after the signature.
    pub fn json_bytes(&self) -> &[u8] {
        self.aiff.op1_index().and_then(|i| self.aiff.chunks.get(i)).and_then(|c| c.data.get(4..)).unwrap_or(&[])
    }

    /// The op-1 JSON object (bytes after the object, such as padding, are ignored here and kept in
    /// the file).
    pub fn json(&self) -> Result<Value, OpzError> {
        let bytes = self.json_bytes();
        let mut stream = serde_json::Deserializer::from_slice(bytes).into_iter::<Value>();
        match stream.next() {
            Some(Ok(v @ Value::Object(_))) => Ok(v),
            Some(Ok(_)) => Err(OpzError::KitJson("the op-1 chunk holds JSON that is not an object".into())),
            Some(Err(e)) => Err(OpzError::KitJson(format!("{e} (APPL chunk, after `op-1`)"))),
            None => Err(OpzError::KitJson("the op-1 chunk is empty".into())),
        }
    }

    /// Replaces the op-1 JSON (compact JSON, as most kit tools write it); the audio chunks and
    /// every other chunk stay as they are.
    pub fn set_json(&mut self, value: &Value) -> Result<(), OpzError> {
        if !value.is_object() {
            return Err(OpzError::KitJson("the op-1 JSON must be an object".into()));
        }
        let text = serde_json::to_string(value).map_err(|e| OpzError::KitJson(e.to_string()))?;
        let i = self.aiff.op1_index().ok_or_else(|| OpzError::KitJson("no op-1 chunk".into()))?;
        let mut data = b"op-1".to_vec();
        data.extend_from_slice(text.as_bytes());
        if let Some(c) = self.aiff.chunks.get_mut(i) {
            c.pad = (data.len() % 2 == 1).then_some(0);
            c.data = data;
        }
        self.aiff.fix_form_size();
        Ok(())
    }

    /// `"drum"`, `"sampler"` or whatever the JSON's `type` says.
    pub fn kit_type(&self) -> Result<String, OpzError> {
        Ok(self.json()?.get("type").and_then(Value::as_str).unwrap_or("").to_string())
    }

    /// The drum slices (24 in a drum kit; empty for other types).
    pub fn slices(&self) -> Result<Vec<Slice>, OpzError> {
        let v = self.json()?;
        let (start, end) = (int_array(&v, "start"), int_array(&v, "end"));
        let (pitch, volume) = (int_array(&v, "pitch"), int_array(&v, "volume"));
        let (playmode, reverse) = (int_array(&v, "playmode"), int_array(&v, "reverse"));
        Ok((0..start.len().min(end.len()))
            .map(|i| Slice {
                start: start[i],
                end: end[i],
                pitch: pitch.get(i).copied().unwrap_or(0),
                volume: volume.get(i).copied().unwrap_or(UNITY),
                playmode: playmode.get(i).copied().unwrap_or(UNITY),
                reverse: reverse.get(i).copied().unwrap_or(UNITY),
            })
            .collect())
    }

    /// Writes drum slices back into the JSON arrays (start, end, pitch, volume, playmode,
    /// reverse); other keys are kept.
    pub fn set_slices(&mut self, slices: &[Slice]) -> Result<(), OpzError> {
        let mut v = self.json()?;
        if let Some(obj) = v.as_object_mut() {
            let put = |obj: &mut serde_json::Map<String, Value>, key: &str, f: &dyn Fn(&Slice) -> i64| {
                obj.insert(key.into(), Value::Array(slices.iter().map(|s| Value::from(f(s))).collect()));
            };
            put(obj, "start", &|s| s.start);
            put(obj, "end", &|s| s.end);
            put(obj, "pitch", &|s| s.pitch);
            put(obj, "volume", &|s| s.volume);
            put(obj, "playmode", &|s| s.playmode);
            put(obj, "reverse", &|s| s.reverse);
        }
        self.set_json(&v)
    }
}

/// The fields of a synth sampler pack (`type: sampler`, tracks 5-8) that groovekit types.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SynthFields {
    /// `synth_version` (2 or 3 in known packs).
    pub synth_version: Option<i64>,
    /// `base_freq`: the pitch of the recording in Hz (the field the OP-Z honours).
    pub base_freq: Option<f64>,
    /// `adsr`: 8 envelope values.
    pub adsr: Vec<i64>,
    /// `knobs`: 8 engine parameters.
    pub knobs: Vec<i64>,
}

impl Kit {
    /// The synth sampler fields (absent ones are `None` or empty).
    pub fn synth(&self) -> Result<SynthFields, OpzError> {
        let v = self.json()?;
        Ok(SynthFields {
            synth_version: v.get("synth_version").and_then(Value::as_i64),
            base_freq: v.get("base_freq").and_then(Value::as_f64),
            adsr: int_array(&v, "adsr"),
            knobs: int_array(&v, "knobs"),
        })
    }

    /// Writes the synth sampler fields that are set (other keys are kept).
    pub fn set_synth(&mut self, f: &SynthFields) -> Result<(), OpzError> {
        let mut v = self.json()?;
        if let Some(obj) = v.as_object_mut() {
            if let Some(ver) = f.synth_version {
                obj.insert("synth_version".into(), Value::from(ver));
            }
            if let Some(hz) = f.base_freq {
                let n = serde_json::Number::from_f64(hz)
                    .ok_or_else(|| OpzError::KitJson(format!("base_freq {hz} is not a finite number")))?;
                obj.insert("base_freq".into(), Value::Number(n));
            }
            if !f.adsr.is_empty() {
                obj.insert("adsr".into(), Value::from(f.adsr.clone()));
            }
            if !f.knobs.is_empty() {
                obj.insert("knobs".into(), Value::from(f.knobs.clone()));
            }
        }
        self.set_json(&v)
    }
}

/// One input of [`build_drum_kit`]: mono 16-bit frames at 44.1 kHz.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KitSample {
    /// Slice name (for messages).
    pub name: String,
    /// Mono 16-bit frames.
    pub frames: Vec<i16>,
}

/// Builds a drum kit from up to 24 mono 16-bit 44.1 kHz samples (at most 12 s together), one
/// slice each, in order. Unused slices are empty (start = end = the end of the audio).
pub fn build_drum_kit(samples: &[KitSample], name: &str) -> Result<Kit, OpzError> {
    if samples.is_empty() {
        return Err(OpzError::Audio("a kit needs at least one sample".into()));
    }
    if samples.len() > KIT_SLICES {
        return Err(OpzError::Audio(format!("{} samples; a drum kit holds at most {KIT_SLICES}", samples.len())));
    }
    let total: usize = samples.iter().map(|s| s.frames.len()).sum();
    if total as u64 > KIT_FRAMES {
        return Err(OpzError::Audio(format!(
            "the samples last {:.2} s together; a drum kit holds at most 12 s ({KIT_FRAMES} frames at 44.1 kHz)",
            total as f64 / f64::from(KIT_RATE)
        )));
    }
    let mut starts = Vec::with_capacity(KIT_SLICES);
    let mut ends = Vec::with_capacity(KIT_SLICES);
    let mut at = 0u64;
    for s in samples {
        starts.push(frame_to_position(at) as i64);
        at += s.frames.len() as u64;
        ends.push(frame_to_position(at) as i64);
    }
    while starts.len() < KIT_SLICES {
        starts.push(frame_to_position(at) as i64);
        ends.push(frame_to_position(at) as i64);
    }
    let json = serde_json::json!({
        "drum_version": 2,
        "dyna_env": [0, 8192, 0, 0, 0, 0, 0, 0],
        "end": ends,
        "fx_active": false,
        "fx_params": [8000, 8000, 8000, 8000, 8000, 8000, 8000, 8000],
        "fx_type": "delay",
        "lfo_active": false,
        "lfo_params": [0, 0, 0, 0, 0, 0, 0, 0],
        "lfo_type": "tremolo",
        "name": name,
        "octave": 0,
        "pitch": vec![0; KIT_SLICES],
        "playmode": vec![UNITY; KIT_SLICES],
        "reverse": vec![UNITY; KIT_SLICES],
        "start": starts,
        "type": "drum",
        "volume": vec![UNITY; KIT_SLICES],
    });
    let mut comm = Vec::with_capacity(18);
    comm.extend_from_slice(&1u16.to_be_bytes());
    comm.extend_from_slice(&(total as u32).to_be_bytes());
    comm.extend_from_slice(&16u16.to_be_bytes());
    comm.extend_from_slice(&f64_to_extended(KIT_RATE));
    let mut ssnd = Vec::with_capacity(8 + total * 2);
    ssnd.extend_from_slice(&[0; 8]);
    for s in samples {
        for f in &s.frames {
            ssnd.extend_from_slice(&f.to_be_bytes());
        }
    }
    let mut aiff = Aiff {
        form_type: *b"AIFF",
        form_size: 0,
        chunks: vec![
            Chunk { id: *b"COMM", data: comm, pad: None },
            Chunk { id: *b"APPL", data: b"op-1{}".to_vec(), pad: None },
            Chunk { id: *b"SSND", data: ssnd, pad: None },
        ],
        trailing: Vec::new(),
    };
    aiff.fix_form_size();
    let mut kit = Kit { aiff };
    kit.set_json(&json)?;
    Ok(kit)
}

/// A mono 16-bit PCM WAV file of `frames` at `rate` (the form `kit split` writes each slice in).
pub fn wav_bytes(frames: &[i16], rate: u32) -> Vec<u8> {
    let data_len = u32::try_from(frames.len() * 2).unwrap_or(u32::MAX - 36);
    let mut out = Vec::with_capacity(44 + frames.len() * 2);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&rate.to_le_bytes());
    out.extend_from_slice(&(rate * 2).to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    for f in frames {
        out.extend_from_slice(&f.to_le_bytes());
    }
    out
}

/// The mono 16-bit frames of each non-empty slice of a drum kit, clamped to the audio (some
/// device-written kits point past their last frame). Multi-channel audio is mixed to mono.
pub fn slice_frames(kit: &Kit) -> Result<Vec<(usize, Vec<i16>)>, OpzError> {
    let f = kit.aiff.format()?;
    let samples = kit.aiff.samples()?;
    let ch = usize::from(f.channels.max(1));
    let shift = i32::from(f.bits.clamp(1, 32)) - 16;
    let mono: Vec<i16> = samples
        .chunks_exact(ch)
        .map(|fr| {
            let sum: i64 = fr.iter().map(|&v| i64::from(v)).sum();
            let v = sum / ch as i64;
            let v = if shift >= 0 { v >> shift } else { v << -shift };
            v.clamp(i64::from(i16::MIN), i64::from(i16::MAX)) as i16
        })
        .collect();
    let mut out = Vec::new();
    for (i, s) in kit.slices()?.iter().enumerate() {
        let start = (s.start_frame() as usize).min(mono.len());
        let end = (s.end_frame() as usize).min(mono.len());
        if end > start {
            out.push((i, mono.get(start..end).unwrap_or(&[]).to_vec()));
        }
    }
    Ok(out)
}

#[cfg(test)]
#[path = "kit_tests.rs"]
mod tests;
