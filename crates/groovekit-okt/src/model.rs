//! The module model: channel layout, samples, speed, order list and patterns, with every byte
//! that the format can hold kept so that [`Module::to_bytes`] reproduces files written by
//! Oktalyzer exactly (reference §1 and §1.8).

use crate::raw::{self, RawChunk, be16, be32, push_chunk};

/// The 36-entry Paula period table (reference §2.2): notes 1..36 = C-1..B-3.
pub const PERIODS: [u16; 36] = [
    856, 808, 762, 720, 678, 640, 604, 570, 538, 508, 480, 453, //
    428, 404, 381, 360, 339, 320, 302, 285, 269, 254, 240, 226, //
    214, 202, 190, 180, 170, 160, 151, 143, 135, 127, 120, 113,
];

/// Maximum sample headers in a SAMP chunk (Oktalyzer always writes 36).
pub const MAX_SAMPLES: usize = 36;
/// Size of one sample header.
pub const SAMPLE_HEADER_SIZE: usize = 32;
/// Size of the PATT order table as Oktalyzer writes it.
pub const ORDER_TABLE_SIZE: usize = 128;
/// The speed used when the SPEE chunk is missing.
pub const DEFAULT_SPEED: u16 = 6;

/// One pattern cell: 4 bytes (reference §1.4).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cell {
    /// 0 = none, 1..36 = C-1..B-3. Larger values are kept as stored.
    pub note: u8,
    /// 0-based sample index (meaningful only with a note).
    pub instrument: u8,
    /// Effect number (0..31 meaningful).
    pub effect: u8,
    /// Effect parameter.
    pub param: u8,
}

impl Cell {
    /// The cell from its 4 stored bytes.
    pub fn from_bytes(b: [u8; 4]) -> Self {
        Self { note: b[0], instrument: b[1], effect: b[2], param: b[3] }
    }
    /// The 4 stored bytes.
    pub fn to_bytes(self) -> [u8; 4] {
        [self.note, self.instrument, self.effect, self.param]
    }
}

/// One sample: the 32-byte header and the data of its SBOD chunk.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Sample {
    /// The 20 name bytes as stored (Amiga charset, not necessarily NUL-terminated).
    pub name: [u8; 20],
    /// Length in bytes as stored in the header (often odd; the data then holds `length & !1`).
    pub length: u32,
    /// Repeat start in words.
    pub repeat_start: u16,
    /// Repeat length in words (0 = no loop).
    pub repeat_length: u16,
    /// Volume 0..64 (a u16; the original replayer reads only the low byte).
    pub volume: u16,
    /// 0 = 7-bit, paired channels only; 1 = 8-bit, normal channels only; 2 = 7-bit, both.
    pub mode: u16,
    /// The SBOD data (signed 8-bit PCM) as stored; `None` when the file has no SBOD for it.
    pub data: Option<Vec<u8>>,
}

impl Sample {
    /// The header from its 32 stored bytes.
    pub fn from_header(h: &[u8]) -> Option<Self> {
        let mut name = [0u8; 20];
        name.copy_from_slice(h.get(..20)?);
        Some(Self {
            name,
            length: be32(h, 20)?,
            repeat_start: be16(h, 24)?,
            repeat_length: be16(h, 26)?,
            volume: be16(h, 28)?,
            mode: be16(h, 30)?,
            data: None,
        })
    }

    /// The 32 header bytes.
    pub fn header_bytes(&self) -> [u8; 32] {
        let mut h = [0u8; 32];
        h[..20].copy_from_slice(&self.name);
        h[20..24].copy_from_slice(&self.length.to_be_bytes());
        h[24..26].copy_from_slice(&self.repeat_start.to_be_bytes());
        h[26..28].copy_from_slice(&self.repeat_length.to_be_bytes());
        h[28..30].copy_from_slice(&self.volume.to_be_bytes());
        h[30..32].copy_from_slice(&self.mode.to_be_bytes());
        h
    }

    /// The name up to the first NUL, Latin-1 decoded, trailing spaces kept.
    pub fn name_text(&self) -> String {
        self.name.iter().take_while(|&&b| b != 0).map(|&b| b as char).collect()
    }

    /// The playable data: `min(length & !1, SBOD size)` bytes (reference §1.5).
    pub fn usable(&self) -> &[u8] {
        let data = self.data.as_deref().unwrap_or_default();
        let n = ((self.length & !1) as usize).min(data.len());
        data.get(..n).unwrap_or_default()
    }

    /// The volume the replayer uses: the low byte, at most 64.
    pub fn play_volume(&self) -> u8 {
        ((self.volume & 0xff) as u8).min(64)
    }

    /// The loop in bytes `(start, end)` within the usable data, when the sample loops. Loops of
    /// one word or less count as no loop (NostalgicPlayer, libxmp, libopenmpt); a loop running
    /// past the data is cut at its end.
    pub fn loop_bytes(&self) -> Option<(usize, usize)> {
        let len = self.usable().len();
        let start = usize::from(self.repeat_start) * 2;
        let end = (start + usize::from(self.repeat_length) * 2).min(len);
        (self.repeat_length > 1 && start < len && end > start + 2).then_some((start, end))
    }
}

/// One pattern: the row count and the cell bytes of its PBOD chunk.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Pattern {
    /// The row count as stored.
    pub rows: u16,
    /// The cell bytes as stored (normally rows × channels × 4; shorter in truncated files).
    pub data: Vec<u8>,
}

impl Pattern {
    /// The cell at `row`, `channel` for a module with `channels` logical channels; bytes missing
    /// from a truncated pattern read as an empty cell.
    pub fn cell(&self, row: usize, channel: usize, channels: usize) -> Cell {
        let off = (row * channels + channel) * 4;
        match self.data.get(off..off + 4) {
            Some(b) => Cell::from_bytes([b[0], b[1], b[2], b[3]]),
            None => Cell::default(),
        }
    }
}

/// Which magic the file has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Variant {
    /// `OKTASONG`: written by Oktalyzer.
    #[default]
    Oktasong,
    /// `OKTASNG2`: written by hitchhikr's modified Oktalyzer; volume effects on doubled channels
    /// are independent there (reference §1.1).
    Oktasng2,
}

/// A non-fatal observation made while loading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// Byte offset of the chunk concerned.
    pub offset: usize,
    /// What was found and what the loader did.
    pub message: String,
}

/// Identical warnings merged: a damaged file can repeat one observation thousands of times (a
/// megabyte of zeros after the last chunk is 131 072 empty chunks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WarningGroup {
    /// Offset of the first occurrence.
    pub offset: usize,
    /// Offset of the last occurrence.
    pub last_offset: usize,
    /// How many times it occurred.
    pub count: usize,
    /// The message.
    pub message: String,
}

/// Merges warnings with the same message, in the order of their first occurrence.
pub fn group_warnings(warnings: &[Warning]) -> Vec<WarningGroup> {
    let mut groups: Vec<WarningGroup> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for w in warnings {
        match index.get(w.message.as_str()).and_then(|&i| groups.get_mut(i)) {
            Some(g) => {
                g.count += 1;
                g.last_offset = w.offset;
            }
            None => {
                index.insert(&w.message, groups.len());
                groups.push(WarningGroup {
                    offset: w.offset,
                    last_offset: w.offset,
                    count: 1,
                    message: w.message.clone(),
                });
            }
        }
    }
    groups
}

impl std::fmt::Display for WarningGroup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.count {
            1 => write!(f, "at byte {}: {}", self.offset, self.message),
            n => write!(f, "at bytes {}..{} ({n} times): {}", self.offset, self.last_offset, self.message),
        }
    }
}

/// Why a module could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LoadError {
    /// The magic is missing.
    #[error(transparent)]
    Raw(#[from] raw::RawError),
    /// No usable CMOD chunk, so the channel layout (and the pattern layout) is unknown.
    #[error("no CMOD chunk with 8 bytes{}: the channel layout is unknown, so the patterns cannot be read; the file is not an Oktalyzer module or is damaged", match .offset { Some(o) => format!(" (the one at byte {o} is too short)"), None => String::new() })]
    NoChannels {
        /// The offset of a CMOD chunk that was too short.
        offset: Option<usize>,
    },
}

/// A whole module.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Module {
    /// Which magic the file has.
    pub variant: Variant,
    /// CMOD: per Paula channel 0..3, 0 = normal, nonzero = split into two voices.
    pub channel_flags: [u16; 4],
    /// Sample headers (SAMP size / 32, at most 36) with their data.
    pub samples: Vec<Sample>,
    /// Bytes of the SAMP chunk after the last whole header (normally none).
    pub samp_tail: Vec<u8>,
    /// Initial speed (ticks per row).
    pub speed: u16,
    /// SLEN as stored: the number of patterns Oktalyzer wrote.
    pub pattern_count: u16,
    /// PLEN as stored: the number of valid order positions.
    pub song_length: u16,
    /// The PATT bytes as stored (normally 128; the entries past PLEN are kept verbatim).
    pub order: Vec<u8>,
    /// Patterns in PBOD order.
    pub patterns: Vec<Pattern>,
    /// SBOD chunks beyond the number of non-empty samples (ignored by players, kept here).
    pub extra_sbods: Vec<Vec<u8>>,
    /// Chunks that are not part of the module (unknown ids, duplicates), in file order. They are
    /// written after the sample data, where Oktalyzer files carry junk.
    pub extra_chunks: Vec<RawChunk>,
    /// Bytes after the last chunk, too few for a chunk header.
    pub trailing: Vec<u8>,
}

impl Module {
    /// The number of logical channels: 4 + the number of split Paula channels.
    pub fn channels(&self) -> usize {
        4 + self.channel_flags.iter().filter(|&&f| f != 0).count()
    }

    /// For each logical channel, its Paula channel (0..3) and whether it is one voice of a pair.
    pub fn channel_map(&self) -> Vec<(usize, bool)> {
        let mut map = Vec::with_capacity(8);
        for (paula, &flag) in self.channel_flags.iter().enumerate() {
            if flag != 0 {
                map.push((paula, true));
                map.push((paula, true));
            } else {
                map.push((paula, false));
            }
        }
        map
    }

    /// The valid order entries (the first PLEN, at most the stored table).
    pub fn song_order(&self) -> &[u8] {
        let n = usize::from(self.song_length).min(self.order.len());
        self.order.get(..n).unwrap_or_default()
    }

    /// Loads a module, returning it with the warnings about what was tolerated.
    pub fn load(bytes: &[u8]) -> Result<(Module, Vec<Warning>), LoadError> {
        let file = raw::split(bytes)?;
        let mut warnings = Vec::new();
        let mut m = Module {
            variant: if &file.magic == raw::MAGIC2 { Variant::Oktasng2 } else { Variant::Oktasong },
            speed: DEFAULT_SPEED,
            trailing: file.trailing.clone(),
            ..Module::default()
        };
        if m.variant == Variant::Oktasng2 {
            warnings.push(Warning {
                offset: 0,
                message: "OKTASNG2 magic: written by hitchhikr's modified Oktalyzer; other players reject it".into(),
            });
        }
        let (mut cmod, mut samp, mut spee, mut slen, mut plen, mut patt) = (None, None, None, None, None, None);
        let mut short_cmod = None;
        let mut pbods: Vec<&RawChunk> = Vec::new();
        let mut sbods: Vec<&RawChunk> = Vec::new();
        for c in &file.chunks {
            if c.is_truncated() {
                warnings.push(Warning {
                    offset: c.offset,
                    message: format!(
                        "chunk '{}' declares {} bytes but only {} remain in the file; read as far as the data goes",
                        c.id_text(),
                        c.declared_size,
                        c.data.len()
                    ),
                });
            }
            let slot = match &c.id {
                b"CMOD" if c.data.len() < 8 => {
                    short_cmod.get_or_insert(c.offset);
                    None
                }
                b"CMOD" => Some(&mut cmod),
                b"SAMP" => Some(&mut samp),
                b"SPEE" if c.data.len() >= 2 => Some(&mut spee),
                b"SLEN" if c.data.len() >= 2 => Some(&mut slen),
                b"PLEN" if c.data.len() >= 2 => Some(&mut plen),
                b"PATT" => Some(&mut patt),
                b"PBOD" => {
                    pbods.push(c);
                    continue;
                }
                b"SBOD" => {
                    sbods.push(c);
                    continue;
                }
                _ => None,
            };
            match slot {
                Some(s) if s.is_none() => *s = Some(c),
                Some(_) => {
                    warnings.push(Warning {
                        offset: c.offset,
                        message: format!("duplicate '{}' chunk ignored (the first one wins)", c.id_text()),
                    });
                    m.extra_chunks.push(c.clone());
                }
                None => {
                    warnings.push(Warning {
                        offset: c.offset,
                        message: format!(
                            "unknown or unusable chunk '{}' ({} bytes) ignored",
                            c.id_text(),
                            c.data.len()
                        ),
                    });
                    m.extra_chunks.push(c.clone());
                }
            }
        }
        let cmod = cmod.ok_or(LoadError::NoChannels { offset: short_cmod })?;
        for (i, f) in m.channel_flags.iter_mut().enumerate() {
            *f = be16(&cmod.data, i * 2).unwrap_or(0);
        }
        if cmod.data.len() != 8 {
            warnings.push(Warning {
                offset: cmod.offset,
                message: format!("CMOD has {} bytes instead of 8; the first 8 are used", cmod.data.len()),
            });
        }
        match samp {
            Some(s) => {
                let n = (s.data.len() / SAMPLE_HEADER_SIZE).min(MAX_SAMPLES);
                for k in 0..n {
                    let h = s.data.get(k * SAMPLE_HEADER_SIZE..(k + 1) * SAMPLE_HEADER_SIZE).unwrap_or_default();
                    if let Some(smp) = Sample::from_header(h) {
                        m.samples.push(smp);
                    }
                }
                m.samp_tail = s.data.get(n * SAMPLE_HEADER_SIZE..).unwrap_or_default().to_vec();
                if s.data.len() != MAX_SAMPLES * SAMPLE_HEADER_SIZE {
                    warnings.push(Warning {
                        offset: s.offset,
                        message: format!("SAMP has {} bytes instead of 1152; {n} sample headers read", s.data.len()),
                    });
                }
            }
            None => warnings.push(Warning { offset: 8, message: "no SAMP chunk: the module has no samples".into() }),
        }
        if let Some(c) = spee {
            m.speed = be16(&c.data, 0).unwrap_or(DEFAULT_SPEED);
        }
        m.pattern_count = slen.and_then(|c| be16(&c.data, 0)).unwrap_or(pbods.len() as u16);
        m.song_length = plen.and_then(|c| be16(&c.data, 0)).unwrap_or(1);
        m.order = patt.map(|c| c.data.clone()).unwrap_or_else(|| vec![0; ORDER_TABLE_SIZE]);
        for c in pbods {
            let Some(rows) = be16(&c.data, 0) else {
                warnings.push(Warning {
                    offset: c.offset,
                    message: "PBOD with fewer than 2 bytes: read as an empty 64-row pattern".into(),
                });
                m.patterns.push(Pattern { rows: 64, data: Vec::new() });
                continue;
            };
            let data = c.data.get(2..).unwrap_or_default().to_vec();
            let want = usize::from(rows) * m.channels() * 4;
            if data.len() < want {
                warnings.push(Warning {
                    offset: c.offset,
                    message: format!(
                        "pattern {} is truncated: {} of {want} cell bytes; missing cells are empty",
                        m.patterns.len(),
                        data.len()
                    ),
                });
            }
            m.patterns.push(Pattern { rows, data });
        }
        // SBOD k belongs to the k-th sample whose header length is not zero (reference §1.5).
        let mut sbods = sbods.into_iter();
        for (k, s) in m.samples.iter_mut().enumerate() {
            if s.length == 0 {
                continue;
            }
            match sbods.next() {
                Some(c) => {
                    if c.data.len() < (s.length & !1) as usize {
                        warnings.push(Warning {
                            offset: c.offset,
                            message: format!(
                                "sample {}: header says {} bytes but its SBOD holds {}; the shorter length is played",
                                crate::ops::sample_label(k),
                                s.length,
                                c.data.len()
                            ),
                        });
                    }
                    s.data = Some(c.data.clone());
                }
                None => warnings.push(Warning {
                    offset: bytes.len(),
                    message: format!(
                        "sample {} has length {} but no SBOD chunk: it is silent",
                        crate::ops::sample_label(k),
                        s.length
                    ),
                }),
            }
        }
        for c in sbods {
            warnings.push(Warning {
                offset: c.offset,
                message: "SBOD chunk beyond the number of non-empty samples ignored".into(),
            });
            m.extra_sbods.push(c.data.clone());
        }
        Ok((m, warnings))
    }

    /// Writes the module in Oktalyzer's chunk order (reference §1.8). Files written by Oktalyzer
    /// come back byte for byte; chunks that were not part of the module go after the samples.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(match self.variant {
            Variant::Oktasong => raw::MAGIC,
            Variant::Oktasng2 => raw::MAGIC2,
        });
        let mut cmod = Vec::with_capacity(8);
        for f in self.channel_flags {
            cmod.extend_from_slice(&f.to_be_bytes());
        }
        push_chunk(&mut out, b"CMOD", 8, &cmod);
        let mut samp = Vec::with_capacity(self.samples.len() * SAMPLE_HEADER_SIZE + self.samp_tail.len());
        for s in &self.samples {
            samp.extend_from_slice(&s.header_bytes());
        }
        samp.extend_from_slice(&self.samp_tail);
        push_chunk(&mut out, b"SAMP", samp.len() as u32, &samp);
        push_chunk(&mut out, b"SPEE", 2, &self.speed.to_be_bytes());
        push_chunk(&mut out, b"SLEN", 2, &self.pattern_count.to_be_bytes());
        push_chunk(&mut out, b"PLEN", 2, &self.song_length.to_be_bytes());
        push_chunk(&mut out, b"PATT", self.order.len() as u32, &self.order);
        for p in &self.patterns {
            let mut body = Vec::with_capacity(2 + p.data.len());
            body.extend_from_slice(&p.rows.to_be_bytes());
            body.extend_from_slice(&p.data);
            push_chunk(&mut out, b"PBOD", body.len() as u32, &body);
        }
        for s in &self.samples {
            if let (true, Some(d)) = (s.length != 0, &s.data) {
                push_chunk(&mut out, b"SBOD", d.len() as u32, d);
            }
        }
        for d in &self.extra_sbods {
            push_chunk(&mut out, b"SBOD", d.len() as u32, d);
        }
        for c in &self.extra_chunks {
            push_chunk(&mut out, &c.id, c.declared_size, &c.data);
        }
        out.extend_from_slice(&self.trailing);
        out
    }
}

/// The note name of a stored note byte: `C-1`..`B-3`, `---` for none, `?NN` (hex) beyond 36.
pub fn note_name(note: u8) -> String {
    const NAMES: [&str; 12] = ["C-", "C#", "D-", "D#", "E-", "F-", "F#", "G-", "G#", "A-", "A#", "B-"];
    match note {
        0 => "---".into(),
        1..=36 => {
            let n = usize::from(note - 1);
            format!("{}{}", NAMES[n % 12], n / 12 + 1) // ok: n % 12 < 12
        }
        _ => format!("?{note:02X}"),
    }
}

/// The inverse of [`note_name`].
pub fn parse_note(s: &str) -> Option<u8> {
    const NAMES: [&str; 12] = ["C-", "C#", "D-", "D#", "E-", "F-", "F#", "G-", "G#", "A-", "A#", "B-"];
    if s == "---" {
        return Some(0);
    }
    if let Some(h) = s.strip_prefix('?') {
        return u8::from_str_radix(h, 16).ok().filter(|&n| n > 36);
    }
    let name = s.get(..2)?;
    let octave: u8 = s.get(2..)?.parse().ok()?;
    let idx = NAMES.iter().position(|&n| n == name)? as u8;
    (1..=3).contains(&octave).then(|| (octave - 1) * 12 + idx + 1)
}

/// The GUI character of an effect number (0-9, A-Z), or `None` beyond 35.
pub fn effect_char(effect: u8) -> Option<char> {
    match effect {
        0..=9 => Some((b'0' + effect) as char),
        10..=35 => Some((b'A' + effect - 10) as char),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn note_names_round_trip() {
        for n in 0..=255u8 {
            assert_eq!(parse_note(&note_name(n)), Some(n), "{n}");
        }
        assert_eq!(note_name(1), "C-1");
        assert_eq!(note_name(25), "C-3");
        assert_eq!(note_name(36), "B-3");
    }

    #[test]
    fn loops_and_usable_length() {
        let s = Sample { length: 11, repeat_start: 1, repeat_length: 3, data: Some(vec![0; 12]), ..Sample::default() };
        assert_eq!(s.usable().len(), 10);
        assert_eq!(s.loop_bytes(), Some((2, 8)));
        let s = Sample { length: 11, repeat_start: 1, repeat_length: 1, data: Some(vec![0; 4]), ..Sample::default() };
        assert_eq!(s.usable().len(), 4);
        assert_eq!(s.loop_bytes(), None);
    }
}
