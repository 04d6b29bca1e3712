//! Pattern blocks of a bank (reference §1.2): a `PTRN` header, 8 audio tracks (`TRAC`), 8 MIDI
//! tracks (`MTRA`), the scale/length settings, the part assignment and the pattern tempo.
//!
//! The views here ([`Pattern`], and [`Track`] with the [`AUDIO_TRACK`] or [`MIDI_TRACK`]
//! layout) are offset tables over a byte slice: `Pattern<&[u8]>` reads, `Pattern<&mut [u8]>` also
//! writes. Nothing is copied and every byte that is not modelled is left as it is.

/// Size of one pattern block.
pub const PATTERN_SIZE: usize = 36_588;
/// Offset of the first audio track inside a pattern.
pub const AUDIO_TRACKS_OFFSET: usize = 8;
/// Size of one audio track block (`TRAC`).
pub const AUDIO_TRACK_SIZE: usize = 2_338;
/// Offset of the first MIDI track inside a pattern.
pub const MIDI_TRACKS_OFFSET: usize = 18_712;
/// Size of one MIDI track block (`MTRA`).
pub const MIDI_TRACK_SIZE: usize = 2_233;
/// Number of steps in a track.
pub const STEPS: usize = 64;
/// Size of a per-step p-lock record.
pub const PLOCK_SIZE: usize = 32;

/// Pattern-relative offset of the per-track length multiplier (upstream `len_per_track_multiplier`).
pub const LENGTH_MULTIPLIER: usize = 36_576;
/// Per-track length (per-track scale mode).
pub const PER_TRACK_LENGTH: usize = 36_577;
/// Per-track scale (per-track scale mode).
pub const PER_TRACK_SCALE: usize = 36_578;
/// Master length (16/32/48/64 in the bank-copy fixture).
pub const MASTER_LENGTH: usize = 36_579;
/// Master scale: 0 = 2x, 1 = 3/2x, 2 = 1x, 3 = 3/4x, 4 = 1/2x, 5 = 1/4x, 6 = 1/8x.
pub const MASTER_SCALE: usize = 36_580;
/// Scale mode: 0 normal, 1 per track. (octapy reads the part assignment here: wrong.)
pub const SCALE_MODE: usize = 36_581;
/// First chain-behaviour byte (upstream); not modelled, kept raw.
pub const CHAIN_BEHAVIOUR: usize = 36_582;
/// **The part assignment (0-3) as groovekit reads it.** Sources disagree (reference §1.2):
/// +36 583 holds 0,1,2,3 for patterns 1-4 in the device-made bank-copy fixture and OctaLib's
/// `OFFSET_PATTERN_PART_NUM = 0x8EE7` agrees, so groovekit uses it. ot-tools-io calls this byte
/// `chain_behaviour.use_project_setting` and reads the part at [`UPSTREAM_PART_ASSIGNMENT`];
/// octapy uses [`SCALE_MODE`]. The other bytes keep raw access through [`Pattern::raw`].
pub const PART_ASSIGNMENT: usize = 36_583;
/// Unknown byte between the part assignment and the upstream part byte.
pub const UNKNOWN_36584: usize = 36_584;
/// Where ot-tools-io puts `part_assignment` (0 in every fixture); kept raw.
pub const UPSTREAM_PART_ASSIGNMENT: usize = 36_585;
/// Pattern tempo, u16 big-endian BPM x 24 (inferred: 0x0B40 = 2880 = 120 BPM by default).
pub const TEMPO: usize = 36_586;

/// Order of the 8-step groups inside an 8-byte trig mask: entry `g` is the byte holding steps
/// `8g+1 ..= 8g+8` (bit 0 = lowest step). The order is fully reversed: file byte `i` holds steps
/// `8*(7-i)+1 ..= 8*(7-i)+8`, so steps 1-8 are in the last byte and 57-64 in the first.
///
/// Evidence (decided 2026-11, issue 10):
/// - the device-made fixture `real-device/bank01.work`: pattern 1 track 2's trig mask
///   `00 00 00 00 0f 11 0f 11` reads as two identical pages (1 5 9 10 11 12 | 17 21 25 26 27 28)
///   and track 6's `00 00 00 01 00 01 00 01` as one trig per page (1 17 33); the recorder masks
///   of tracks 2-4 repeat page by page in the same way (tests `real_device_*` in
///   `tests/bank.rs`);
/// - davidferlay/octatrack-manager `src-tauri/src/project_reader.rs` `BYTE_TO_STEP_OFFSET =
///   [56, 48, 40, 32, 24, 16, 8, 0]`, "verified against a real project where all 4 pages held
///   identical trigs";
/// - xuio/octatrack-exporter `docs/notes-formats.md`: "DEVICE-VERIFIED (2026-08): a bit in file
///   byte 4 fires steps 25-32 and byte 5 fires steps 17-24".
///
/// The order `[7, 6, 4, 5, 2, 3, 0, 1]` of an ot-tools-io doc comment (used by groovekit before
/// this fix, and by reference notes §1.2) is wrong for pages 2-4. The same order holds for every
/// 8-byte mask: trig, trigless, p-lock, one-shot, swing, slide, the four recorder masks, and the
/// MIDI masks.
pub const MASK_GROUP_BYTE: [usize; 8] = [7, 6, 5, 4, 3, 2, 1, 0];

/// The group order that groovekit used before the fix above (bank documents without a `version`
/// key were written with it; [`crate::human::bank`] converts documents marked `version: 1`).
pub const MASK_GROUP_BYTE_V1: [usize; 8] = [7, 6, 4, 5, 2, 3, 0, 1];

/// Decodes an 8-byte trig mask into a 64-bit set, bit `s` = step `s + 1`.
pub fn decode_mask(bytes: &[u8]) -> u64 {
    decode_mask_in(bytes, &MASK_GROUP_BYTE)
}

/// Encodes a 64-bit step set (bit `s` = step `s + 1`) into the 8-byte mask layout.
pub fn encode_mask(steps: u64, out: &mut [u8]) {
    encode_mask_in(steps, out, &MASK_GROUP_BYTE)
}

/// [`decode_mask`] with an explicit group order (for converting old documents).
pub fn decode_mask_in(bytes: &[u8], order: &[usize; 8]) -> u64 {
    let mut out = 0u64;
    for (group, &byte_index) in order.iter().enumerate() {
        let b = bytes.get(byte_index).copied().unwrap_or(0);
        out |= u64::from(b) << (group * 8);
    }
    out
}

/// [`encode_mask`] with an explicit group order (for converting old documents).
pub fn encode_mask_in(steps: u64, out: &mut [u8], order: &[usize; 8]) {
    for (group, &byte_index) in order.iter().enumerate() {
        if let Some(b) = out.get_mut(byte_index) {
            *b = (steps >> (group * 8)) as u8;
        }
    }
}

/// The step set that a step set read with the pre-fix order [`MASK_GROUP_BYTE_V1`] really is:
/// the same bytes decoded with [`MASK_GROUP_BYTE`].
pub fn convert_v1_steps(v1: u64) -> u64 {
    let mut bytes = [0u8; 8];
    encode_mask_in(v1, &mut bytes, &MASK_GROUP_BYTE_V1);
    decode_mask(&bytes)
}

/// The 1-based step numbers set in a 64-bit step set.
pub fn steps_of(set: u64) -> Vec<u8> {
    (0..64u8).filter(|s| set >> s & 1 == 1).map(|s| s + 1).collect()
}

/// The step set of 1-based step numbers (numbers outside 1..=64 are ignored by callers that
/// validated them first).
pub fn set_of(steps: &[u8]) -> u64 {
    steps.iter().filter(|&&s| (1..=64).contains(&s)).fold(0u64, |acc, &s| acc | 1u64 << (s - 1))
}

/// The per-step trig condition byte pair `[b0, b1]` (reference §1.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StepTiming {
    /// Retrig count minus one (`b0 >> 5`, 0-7 = 1-8 trigs).
    pub repeats: u8,
    /// Trig condition (`b1 & 0x7F`), see [`condition_name`].
    pub condition: u8,
    /// Micro-timing in 1/384 steps, -32..=31 (6-bit two's complement, inferred).
    pub micro: i8,
}

impl StepTiming {
    /// Decodes the byte pair.
    pub fn decode(b0: u8, b1: u8) -> Self {
        let raw = ((b0 & 0x1F) << 1) | (b1 >> 7);
        // 6-bit two's complement: values 32..63 are negative.
        let micro = if raw >= 32 { raw as i8 - 64 } else { raw as i8 };
        Self { repeats: b0 >> 5, condition: b1 & 0x7F, micro }
    }

    /// Encodes the byte pair. Out-of-range fields are masked to their bit widths.
    pub fn encode(self) -> [u8; 2] {
        let micro = (self.micro as u8) & 0x3F;
        let b0 = ((self.repeats & 0x07) << 5) | (micro >> 1);
        let b1 = ((micro & 1) << 7) | (self.condition & 0x7F);
        [b0, b1]
    }
}

/// Names of trig conditions 1-8; 9-29 are probabilities, 30-64 are A:B ratios.
const CONDITION_NAMES: [&str; 8] = ["fill", "!fill", "pre", "!pre", "nei", "!nei", "1st", "!1st"];
/// Probabilities of conditions 9-29, in percent.
const PROBABILITIES: [u8; 21] = [1, 2, 4, 6, 9, 13, 19, 25, 33, 41, 50, 59, 67, 75, 81, 87, 91, 94, 96, 98, 99];

/// The readable name of a trig condition: `none`, `fill`, `!pre`, `50%`, `3:4`, or `#NN` for a
/// value with no known meaning (kept so it round-trips).
pub fn condition_name(value: u8) -> String {
    match value {
        0 => "none".to_string(),
        1..=8 => CONDITION_NAMES[usize::from(value - 1)].to_string(), // ok: 1..=8 indexes 0..8
        9..=29 => format!("{}%", PROBABILITIES[usize::from(value - 9)]), // ok: 9..=29 indexes 0..21
        30..=64 => {
            // A:B ratios in device order 1:2, 2:2, 1:3, 2:3, 3:3, 1:4 ... 8:8.
            let mut n = value - 30;
            let mut b = 2u8;
            while n >= b {
                n -= b;
                b += 1;
            }
            format!("{}:{}", n + 1, b)
        }
        _ => format!("#{value}"),
    }
}

/// Parses a name written by [`condition_name`] (case-insensitive).
pub fn parse_condition(name: &str) -> Option<u8> {
    let s = name.trim().to_ascii_lowercase();
    if s == "none" || s.is_empty() {
        return Some(0);
    }
    if let Some(i) = CONDITION_NAMES.iter().position(|n| *n == s) {
        return u8::try_from(i + 1).ok();
    }
    if let Some(p) = s.strip_suffix('%') {
        let p: u8 = p.trim().parse().ok()?;
        let i = PROBABILITIES.iter().position(|&x| x == p)?;
        return u8::try_from(i + 9).ok();
    }
    if let Some((a, b)) = s.split_once(':') {
        let (a, b): (u8, u8) = (a.trim().parse().ok()?, b.trim().parse().ok()?);
        if !(2..=8).contains(&b) || a == 0 || a > b {
            return None;
        }
        let before: u8 = (2..b).sum();
        return Some(30 + before + a - 1);
    }
    if let Some(n) = s.strip_prefix('#') {
        let v: u8 = n.parse().ok()?;
        return (v <= 0x7F).then_some(v);
    }
    None
}

/// The names bank documents without a format version used for the 32 fields of an audio p-lock
/// record (kept to convert `version: 1` documents; the names now come from
/// [`crate::model::params`]). Byte 30 was called `static_slot` and 31 `flex_slot`, both 0-based.
pub const AUDIO_LOCK_NAMES_V1: [&str; PLOCK_SIZE] = [
    "src1",
    "src2",
    "src3",
    "src4",
    "src5",
    "src6",
    "lfo_spd1",
    "lfo_spd2",
    "lfo_spd3",
    "lfo_dep1",
    "lfo_dep2",
    "lfo_dep3",
    "amp_atk",
    "amp_hold",
    "amp_rel",
    "amp_vol",
    "amp_bal",
    "amp_f",
    "fx1_1",
    "fx1_2",
    "fx1_3",
    "fx1_4",
    "fx1_5",
    "fx1_6",
    "fx2_1",
    "fx2_2",
    "fx2_3",
    "fx2_4",
    "fx2_5",
    "fx2_6",
    "static_slot",
    "flex_slot",
];

/// The names `version: 1` bank documents used for the 32 fields of a MIDI p-lock record.
pub const MIDI_LOCK_NAMES_V1: [&str; PLOCK_SIZE] = [
    "note",
    "vel",
    "len",
    "not2",
    "not3",
    "not4",
    "lfo_spd1",
    "lfo_spd2",
    "lfo_spd3",
    "lfo_dep1",
    "lfo_dep2",
    "lfo_dep3",
    "arp_tran",
    "arp_leg",
    "arp_mode",
    "arp_spd",
    "arp_rnge",
    "arp_nlen",
    "pb",
    "at",
    "cc1",
    "cc2",
    "cc3",
    "cc4",
    "cc5",
    "cc6",
    "cc7",
    "cc8",
    "cc9",
    "cc10",
    "unknown_30",
    "unknown_31",
];

/// "No lock" in a p-lock or scene record.
pub const NO_LOCK: u8 = 255;

/// The layout of one kind of track block: where its parts are.
#[derive(Debug, Clone, Copy)]
pub struct TrackLayout {
    /// The 4-byte header.
    pub header: &'static [u8; 4],
    /// Block size.
    pub size: usize,
    /// Offsets of the trig masks, with their readable names.
    pub masks: &'static [(&'static str, usize)],
    /// Offset of the 8 settings bytes (length, scale, swing amount, start silent, plays free,
    /// trig mode, trig quant, oneshot track).
    pub settings: usize,
    /// Offset of the 64 p-lock records.
    pub plocks: usize,
    /// Offset of the 64 condition byte pairs.
    pub conditions: usize,
    /// True for MIDI tracks (their p-lock records have the MIDI layout).
    pub midi: bool,
}

/// Names of the 8 settings bytes of a track.
pub const TRACK_SETTING_NAMES: [&str; 8] =
    ["length", "scale", "swing_amount", "start_silent", "plays_free", "trig_mode", "trig_quant", "oneshot_trk"];

/// Layout of an audio track (`TRAC`). Bytes 4-7, 97 and 2 146-2 209 are not modelled and kept raw.
///
/// Bytes 41-72 are four recorder masks (octatrack-manager `project_reader.rs`
/// `decode_recorder_masks`: "one per recording source (INAB, INCD, SRC3) plus one marking which
/// recorder trigs are one-shot"), each with the step order of [`MASK_GROUP_BYTE`]. The device
/// fixture `real-device/bank01.work` agrees on the step order (tracks 2-4 hold the same recorder
/// trigs on every page); it sets all three sources alike, so the source order is the peer's.
pub const AUDIO_TRACK: TrackLayout = TrackLayout {
    header: b"TRAC",
    size: AUDIO_TRACK_SIZE,
    masks: &[
        ("trigs", 9),
        ("trigless", 17),
        ("plock_trigs", 25),
        ("oneshot", 33),
        ("recorder_ab", 41),
        ("recorder_cd", 49),
        ("recorder_src3", 57),
        ("recorder_oneshot", 65),
        ("swing", 73),
        ("slide", 81),
    ],
    settings: 89,
    plocks: 98,
    conditions: 2_210,
    midi: false,
};

/// Layout of a MIDI track (`MTRA`). Bytes 4-7 and 57's neighbours outside the listed parts are
/// kept raw.
pub const MIDI_TRACK: TrackLayout = TrackLayout {
    header: b"MTRA",
    size: MIDI_TRACK_SIZE,
    masks: &[("trigs", 9), ("trigless", 17), ("plock_trigs", 25), ("swing", 33), ("mask5", 41)],
    settings: 49,
    plocks: 57,
    conditions: 2_105,
    midi: true,
};

/// A view of one track block (audio or MIDI, depending on `layout`).
#[derive(Debug)]
pub struct Track<B> {
    bytes: B,
    layout: &'static TrackLayout,
}

impl<B: AsRef<[u8]>> Track<B> {
    /// Wraps a block of `layout.size` bytes.
    pub fn new(bytes: B, layout: &'static TrackLayout) -> Self {
        Self { bytes, layout }
    }

    /// The layout of this track kind.
    pub fn layout(&self) -> &'static TrackLayout {
        self.layout
    }

    /// The raw bytes of the block.
    pub fn raw(&self) -> &[u8] {
        self.bytes.as_ref()
    }

    fn byte(&self, rel: usize) -> u8 {
        self.bytes.as_ref().get(rel).copied().unwrap_or(0)
    }

    /// The track id byte (0-7).
    pub fn id(&self) -> u8 {
        self.byte(8)
    }

    /// A trig mask by index into `layout.masks`, as a step set (bit `s` = step `s+1`).
    pub fn mask(&self, index: usize) -> u64 {
        match self.layout.masks.get(index) {
            Some(&(_, off)) => decode_mask(self.bytes.as_ref().get(off..off + 8).unwrap_or(&[])),
            None => 0,
        }
    }

    /// The trigger mask.
    pub fn trigs(&self) -> u64 {
        self.mask(0)
    }

    /// Settings byte `i` (see [`TRACK_SETTING_NAMES`]).
    pub fn setting(&self, i: usize) -> u8 {
        self.byte(self.layout.settings + i)
    }

    /// The p-lock record of step `step` (0-based), 32 bytes, 255 = not locked.
    pub fn plock(&self, step: usize) -> &[u8] {
        let off = self.layout.plocks + step * PLOCK_SIZE;
        self.bytes.as_ref().get(off..off + PLOCK_SIZE).unwrap_or(&[])
    }

    /// Condition, repeats and micro-timing of step `step` (0-based).
    pub fn timing(&self, step: usize) -> StepTiming {
        let off = self.layout.conditions + step * 2;
        StepTiming::decode(self.byte(off), self.byte(off + 1))
    }
}

impl<B: AsRef<[u8]> + AsMut<[u8]>> Track<B> {
    fn set_byte(&mut self, rel: usize, v: u8) {
        if let Some(b) = self.bytes.as_mut().get_mut(rel) {
            *b = v;
        }
    }

    /// Sets a trig mask by index into `layout.masks`.
    pub fn set_mask(&mut self, index: usize, steps: u64) {
        if let Some(&(_, off)) = self.layout.masks.get(index)
            && let Some(out) = self.bytes.as_mut().get_mut(off..off + 8)
        {
            encode_mask(steps, out);
        }
    }

    /// Sets settings byte `i`.
    pub fn set_setting(&mut self, i: usize, v: u8) {
        if i < 8 {
            self.set_byte(self.layout.settings + i, v);
        }
    }

    /// Sets p-lock field `field` (0-31) of step `step` (0-based); 255 clears it.
    pub fn set_plock(&mut self, step: usize, field: usize, v: u8) {
        if step < STEPS && field < PLOCK_SIZE {
            self.set_byte(self.layout.plocks + step * PLOCK_SIZE + field, v);
        }
    }

    /// Sets condition, repeats and micro-timing of step `step` (0-based).
    pub fn set_timing(&mut self, step: usize, t: StepTiming) {
        if step < STEPS {
            let [b0, b1] = t.encode();
            let off = self.layout.conditions + step * 2;
            self.set_byte(off, b0);
            self.set_byte(off + 1, b1);
        }
    }
}

/// A view of one pattern block.
#[derive(Debug)]
pub struct Pattern<B> {
    bytes: B,
}

impl<B: AsRef<[u8]>> Pattern<B> {
    /// Wraps a block of [`PATTERN_SIZE`] bytes.
    pub fn new(bytes: B) -> Self {
        Self { bytes }
    }

    /// The raw bytes (for the disputed bytes: [`CHAIN_BEHAVIOUR`], [`UNKNOWN_36584`],
    /// [`UPSTREAM_PART_ASSIGNMENT`]).
    pub fn raw(&self) -> &[u8] {
        self.bytes.as_ref()
    }

    /// A byte at a pattern-relative offset (0 past the end).
    pub fn byte(&self, rel: usize) -> u8 {
        self.bytes.as_ref().get(rel).copied().unwrap_or(0)
    }

    /// Audio track `t` (0-7).
    pub fn audio_track(&self, t: usize) -> Track<&[u8]> {
        let off = AUDIO_TRACKS_OFFSET + t * AUDIO_TRACK_SIZE;
        Track::new(self.bytes.as_ref().get(off..off + AUDIO_TRACK_SIZE).unwrap_or(&[]), &AUDIO_TRACK)
    }

    /// MIDI track `t` (0-7).
    pub fn midi_track(&self, t: usize) -> Track<&[u8]> {
        let off = MIDI_TRACKS_OFFSET + t * MIDI_TRACK_SIZE;
        Track::new(self.bytes.as_ref().get(off..off + MIDI_TRACK_SIZE).unwrap_or(&[]), &MIDI_TRACK)
    }

    /// The part (0-3) this pattern plays, read at [`PART_ASSIGNMENT`].
    pub fn part(&self) -> u8 {
        self.byte(PART_ASSIGNMENT)
    }

    /// Master length in steps.
    pub fn master_length(&self) -> u8 {
        self.byte(MASTER_LENGTH)
    }

    /// Pattern tempo as BPM x 24.
    pub fn tempo_x24(&self) -> u16 {
        u16::from_be_bytes([self.byte(TEMPO), self.byte(TEMPO + 1)])
    }
}

impl<B: AsRef<[u8]> + AsMut<[u8]>> Pattern<B> {
    /// Sets a byte at a pattern-relative offset (ignored past the end).
    pub fn set_byte(&mut self, rel: usize, v: u8) {
        if let Some(b) = self.bytes.as_mut().get_mut(rel) {
            *b = v;
        }
    }

    /// Audio track `t` (0-7), writable.
    pub fn audio_track_mut(&mut self, t: usize) -> Track<&mut [u8]> {
        let off = AUDIO_TRACKS_OFFSET + t * AUDIO_TRACK_SIZE;
        Track::new(self.bytes.as_mut().get_mut(off..off + AUDIO_TRACK_SIZE).unwrap_or(&mut []), &AUDIO_TRACK)
    }

    /// MIDI track `t` (0-7), writable.
    pub fn midi_track_mut(&mut self, t: usize) -> Track<&mut [u8]> {
        let off = MIDI_TRACKS_OFFSET + t * MIDI_TRACK_SIZE;
        Track::new(self.bytes.as_mut().get_mut(off..off + MIDI_TRACK_SIZE).unwrap_or(&mut []), &MIDI_TRACK)
    }

    /// Sets the part (0-3) at [`PART_ASSIGNMENT`].
    pub fn set_part(&mut self, part: u8) {
        self.set_byte(PART_ASSIGNMENT, part);
    }

    /// Sets the pattern tempo (BPM x 24).
    pub fn set_tempo_x24(&mut self, v: u16) {
        let [a, b] = v.to_be_bytes();
        self.set_byte(TEMPO, a);
        self.set_byte(TEMPO + 1, b);
    }
}

/// Writes the OS 1.40 default of a track block (as in a fresh project) into `out`.
fn write_default_track(out: &mut [u8], layout: &TrackLayout, id: u8) {
    out.fill(0);
    if let Some(h) = out.get_mut(..4) {
        h.copy_from_slice(layout.header);
    }
    if let Some(b) = out.get_mut(8) {
        *b = id;
    }
    // Swing trig mask: every second step (0xAA in every byte).
    for &(name, off) in layout.masks {
        if name == "swing"
            && let Some(m) = out.get_mut(off..off + 8)
        {
            m.fill(0xAA);
        }
    }
    // length 16, scale 2 (= 1x), swing amount 0, start silent 255 (off), the rest 0.
    if let Some(s) = out.get_mut(layout.settings..layout.settings + 4) {
        s.copy_from_slice(&[16, 2, 0, 255]);
    }
    let plocks = layout.plocks..layout.plocks + STEPS * PLOCK_SIZE;
    if let Some(p) = out.get_mut(plocks) {
        p.fill(NO_LOCK);
    }
}

/// Writes the OS 1.40 default pattern block into `out` ([`PATTERN_SIZE`] bytes).
pub fn write_default_pattern(out: &mut [u8]) {
    out.fill(0);
    if let Some(h) = out.get_mut(..4) {
        h.copy_from_slice(b"PTRN");
    }
    for t in 0..8u8 {
        let off = AUDIO_TRACKS_OFFSET + usize::from(t) * AUDIO_TRACK_SIZE;
        if let Some(block) = out.get_mut(off..off + AUDIO_TRACK_SIZE) {
            write_default_track(block, &AUDIO_TRACK, t);
        }
        let off = MIDI_TRACKS_OFFSET + usize::from(t) * MIDI_TRACK_SIZE;
        if let Some(block) = out.get_mut(off..off + MIDI_TRACK_SIZE) {
            write_default_track(block, &MIDI_TRACK, t);
        }
    }
    let mut p = Pattern::new(out);
    p.set_byte(PER_TRACK_LENGTH, 16);
    p.set_byte(PER_TRACK_SCALE, 2);
    p.set_byte(MASTER_LENGTH, 16);
    p.set_byte(MASTER_SCALE, 2);
    p.set_tempo_x24(120 * 24);
}

#[cfg(test)]
#[path = "pattern_tests.rs"]
mod tests;
