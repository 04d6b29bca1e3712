//! Part blocks of a bank (reference §1.2): 6 331 bytes per part, 4 working ("unsaved") and 4
//! saved copies. A part holds, per audio track, the machine, its parameters and setup, FX types,
//! volumes and sample slots; per MIDI track the note/arp/CC setup; 16 scenes and the custom LFOs
//! and arpeggiator sequences.
//!
//! Most of a part is groups of per-track bytes. [`AUDIO_GROUPS`] and [`MIDI_GROUPS`] name them
//! (offset, stride per track, length): the default part is built from the per-group defaults
//! here, and version 1-2 bank documents used them. Each byte by its device name is in
//! [`crate::model::params::AUDIO_PART_PAGES`] / [`crate::model::params::MIDI_PART_PAGES`].

/// Size of one part block.
pub const PART_SIZE: usize = 6_331;
/// FX1 type per track (8 bytes).
pub const FX1_TYPE: usize = 9;
/// FX2 type per track (8 bytes).
pub const FX2_TYPE: usize = 17;
/// Active scene A (0-15).
pub const ACTIVE_SCENE_A: usize = 25;
/// Active scene B (0-15).
pub const ACTIVE_SCENE_B: usize = 26;
/// Volumes, (main, cue) per track.
pub const VOLUMES: usize = 27;
/// Machine type per track, see [`MachineType`].
pub const MACHINE_TYPE: usize = 43;
/// Sample slots per track: static, flex, 2 unused, recorder (5 bytes per track, 0-based slots).
pub const SLOTS: usize = 723;
/// Scenes: 16 scenes x 8 tracks x 32 bytes, the p-lock record layout, 255 = no lock.
pub const SCENES: usize = 1_643;
/// Size of one scene (8 track records).
pub const SCENE_SIZE: usize = 8 * 32;
/// Scene crossfader/XLV bytes: 16 x 10.
pub const SCENE_XLV: usize = 5_739;
/// Length of one scene's XLV record.
pub const SCENE_XLV_SIZE: usize = 10;

/// A named group of per-track bytes: track `t` has bytes `offset + t*stride .. + len`.
#[derive(Debug, Clone, Copy)]
pub struct Group {
    /// Name in the human form.
    pub name: &'static str,
    /// Offset of track 1's bytes in the part.
    pub offset: usize,
    /// Distance between tracks.
    pub stride: usize,
    /// Number of bytes.
    pub len: usize,
    /// The default bytes (the same for every track).
    pub default: &'static [u8],
}

const fn g(name: &'static str, offset: usize, stride: usize, default: &'static [u8]) -> Group {
    Group { name, offset, stride, len: default.len(), default }
}

/// Per-audio-track groups (besides FX types, volumes, machine type and slots, which have typed
/// fields). Defaults are those of a fresh OS 1.40B project.
pub const AUDIO_GROUPS: &[Group] = &[
    // Machine SRC parameter values, 6 per machine (static, flex, thru, neighbor, pickup).
    g("src_static", 51, 30, &[64, 0, 0, 127, 0, 79]),
    g("src_flex", 57, 30, &[64, 0, 0, 127, 0, 79]),
    g("src_thru", 63, 30, &[0, 64, 0, 0, 64, 0]),
    g("src_neighbor", 69, 30, &[0, 0, 0, 0, 0, 0]),
    g("src_pickup", 75, 30, &[64, 2, 1, 127, 64, 1]),
    // LFO (spd1-3, dep1-3), AMP (atk, hold, rel, vol, bal, F), FX1 and FX2 parameter values.
    g("lfo", 291, 24, &[32, 32, 32, 0, 0, 0]),
    g("amp", 297, 24, &[0, 127, 127, 64, 64, 127]),
    g("fx1", 303, 24, &[0, 127, 0, 64, 0, 64]),
    g("fx2", 309, 24, &[47, 0, 127, 0, 127, 0]),
    // Machine setup pages, 6 per machine.
    g("setup_static", 483, 30, &[1, 0, 0, 0, 1, 64]),
    g("setup_flex", 489, 30, &[1, 0, 0, 0, 1, 64]),
    g("setup_thru", 495, 30, &[0, 0, 0, 0, 0, 0]),
    g("setup_neighbor", 501, 30, &[0, 0, 0, 0, 0, 0]),
    g("setup_pickup", 507, 30, &[0, 0, 0, 0, 1, 64]),
    // Setup pages. These group names are kept for version 1-2 bank documents and diffs, but
    // they are one page off: +763 is LFO setup 1 (PMTR, WAVE), +769 the AMP setup, +775 FX1
    // setup, +781 FX2 setup, +787 LFO setup 2 (MULT, TRIG). The names by page are in
    // `model::params::AUDIO_PART_PAGES` (evidence there).
    g("setup_lfo1", 763, 30, &[0, 0, 0, 0, 0, 0]),
    g("setup_lfo2", 769, 30, &[1, 1, 0, 0, 0, 0]),
    g("setup_amp", 775, 30, &[0, 0, 1, 0, 3, 0]),
    g("setup_fx1", 781, 30, &[0, 1, 127, 1, 0, 0]),
    g("setup_fx2", 787, 30, &[0, 0, 0, 0, 0, 0]),
    // Recorder setup: INAB, INCD, RLEN, TRIG, SRC3, LOOP / FIN, FOUT, AB, QREC, QPL, CD.
    g("recorder", 1_547, 12, &[1, 1, 64, 0, 0, 1]),
    g("recorder_processing", 1_553, 12, &[0, 0, 0, 255, 255, 0]),
    // Custom LFO designs (16 steps) and their interpolation masks.
    g("custom_lfo", 5_899, 16, &[0; 16]),
    g("custom_lfo_interpolation", 6_027, 2, &[0, 0]),
];

/// Per-MIDI-track groups.
pub const MIDI_GROUPS: &[Group] = &[
    // Values: NOTE page (note, vel, len, not2, not3, not4), LFO, ARP, CTRL1, CTRL2, 2 unknown.
    g("note", 1_003, 32, &[48, 100, 6, 64, 64, 64]),
    g("lfo", 1_009, 32, &[32, 32, 32, 0, 0, 0]),
    g("arp", 1_015, 32, &[64, 0, 0, 5, 0, 6]),
    g("ctrl1", 1_021, 32, &[64, 0, 127, 0, 0, 64]),
    g("ctrl2", 1_027, 32, &[0, 0, 0, 0, 0, 0]),
    g("values_unknown", 1_033, 32, &[0, 0]),
    // Setup: channel, bank, prog, -, sbank, - / LFO setup / arp setup / CC numbers / LFO mult-trig.
    g("setup_note", 1_259, 36, &[0, 128, 128, 0, 128, 0]),
    g("setup_lfo1", 1_265, 36, &[0, 0, 0, 0, 0, 0]),
    g("setup_arp", 1_271, 36, &[0, 0, 7, 0, 0, 0]),
    g("setup_ctrl1", 1_277, 36, &[0, 0, 7, 1, 2, 10]),
    g("setup_ctrl2", 1_283, 36, &[71, 72, 73, 74, 75, 76]),
    g("setup_lfo2", 1_289, 36, &[0, 0, 0, 0, 0, 0]),
    // Custom LFO designs, interpolation masks, arpeggiator mute masks and sequences.
    g("custom_lfo", 6_043, 16, &[0; 16]),
    g("custom_lfo_interpolation", 6_171, 2, &[0, 0]),
    g("arp_mute", 6_187, 2, &[255, 255]),
    g("arp_sequence", 6_203, 16, &[0; 16]),
];

/// Machine types (byte values 0-4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MachineType {
    /// 0: Static (sample streamed from the card).
    Static,
    /// 1: Flex (sample in RAM).
    Flex,
    /// 2: Thru (live input).
    Thru,
    /// 3: Neighbor (the previous track's output).
    Neighbor,
    /// 4: Pickup (looper).
    Pickup,
}

impl MachineType {
    /// All machine types, by byte value.
    pub const ALL: [MachineType; 5] = [Self::Static, Self::Flex, Self::Thru, Self::Neighbor, Self::Pickup];

    /// The machine of a byte value.
    pub fn from_byte(b: u8) -> Option<Self> {
        Self::ALL.get(usize::from(b)).copied()
    }

    /// The byte value.
    pub fn to_byte(self) -> u8 {
        self as u8
    }

    /// The name as the device shows it.
    pub fn name(self) -> &'static str {
        match self {
            Self::Static => "Static",
            Self::Flex => "Flex",
            Self::Thru => "Thru",
            Self::Neighbor => "Neighbor",
            Self::Pickup => "Pickup",
        }
    }
}

/// The readable name of a machine byte (`Flex`, ..., or `#NN` for an unknown value).
pub fn machine_name(b: u8) -> String {
    MachineType::from_byte(b).map(|m| m.name().to_string()).unwrap_or_else(|| format!("#{b}"))
}

/// Parses a machine name written by [`machine_name`] (case-insensitive).
pub fn parse_machine(s: &str) -> Option<u8> {
    let t = s.trim();
    if let Some(n) = t.strip_prefix('#') {
        return n.parse().ok();
    }
    MachineType::ALL.iter().find(|m| m.name().eq_ignore_ascii_case(t)).map(|m| m.to_byte())
}

/// FX type ids (reference §1.2). LoFi is disputed (octapy 25, an octatools comment 24 = the
/// compressor's id, a note citing OctaLib 0x1C = 28); groovekit names only the undisputed ids and
/// shows any other value as `#NN`, so a LoFi in a real file keeps its byte whatever it is.
const FX_NAMES: [(u8, &str); 14] = [
    (0, "off"),
    (4, "filter"),
    (5, "spatializer"),
    (8, "delay"),
    (12, "eq"),
    (13, "dj-eq"),
    (16, "phaser"),
    (17, "flanger"),
    (18, "chorus"),
    (19, "comb"),
    (20, "plate"),
    (21, "spring"),
    (22, "dark-reverb"),
    (24, "compressor"),
];

/// The readable name of an FX type byte (`#NN` when not one of the undisputed ids).
pub fn fx_name(b: u8) -> String {
    FX_NAMES.iter().find(|(v, _)| *v == b).map(|(_, n)| (*n).to_string()).unwrap_or_else(|| format!("#{b}"))
}

/// Parses an FX name written by [`fx_name`] (case-insensitive).
pub fn parse_fx(s: &str) -> Option<u8> {
    let t = s.trim();
    if let Some(n) = t.strip_prefix('#') {
        return n.parse().ok();
    }
    FX_NAMES.iter().find(|(_, n)| n.eq_ignore_ascii_case(t)).map(|(v, _)| *v)
}

/// A view of one part block.
#[derive(Debug)]
pub struct Part<B> {
    bytes: B,
}

impl<B: AsRef<[u8]>> Part<B> {
    /// Wraps a block of [`PART_SIZE`] bytes.
    pub fn new(bytes: B) -> Self {
        Self { bytes }
    }

    /// The raw bytes.
    pub fn raw(&self) -> &[u8] {
        self.bytes.as_ref()
    }

    /// A byte at a part-relative offset (0 past the end).
    pub fn byte(&self, rel: usize) -> u8 {
        self.bytes.as_ref().get(rel).copied().unwrap_or(0)
    }

    /// The bytes of `group` for track `t` (0-7).
    pub fn group(&self, group: &Group, t: usize) -> &[u8] {
        let off = group.offset + t * group.stride;
        self.bytes.as_ref().get(off..off + group.len).unwrap_or(&[])
    }

    /// Machine byte of audio track `t`.
    pub fn machine(&self, t: usize) -> u8 {
        self.byte(MACHINE_TYPE + t)
    }

    /// FX1 type byte of audio track `t` (see [`fx_name`]).
    pub fn fx1(&self, t: usize) -> u8 {
        self.byte(FX1_TYPE + t)
    }

    /// FX2 type byte of audio track `t`.
    pub fn fx2(&self, t: usize) -> u8 {
        self.byte(FX2_TYPE + t)
    }

    /// (main, cue) volume of audio track `t`.
    pub fn volume(&self, t: usize) -> (u8, u8) {
        (self.byte(VOLUMES + 2 * t), self.byte(VOLUMES + 2 * t + 1))
    }

    /// Static sample slot of audio track `t`, 0-based (slot 1 = 0).
    pub fn static_slot(&self, t: usize) -> u8 {
        self.byte(SLOTS + 5 * t)
    }

    /// Flex sample slot of audio track `t`, 0-based (128-135 = recorder buffers).
    pub fn flex_slot(&self, t: usize) -> u8 {
        self.byte(SLOTS + 5 * t + 1)
    }

    /// Recorder buffer slot of audio track `t`, 0-based (default 128 + t).
    pub fn recorder_slot(&self, t: usize) -> u8 {
        self.byte(SLOTS + 5 * t + 4)
    }

    /// Active scenes (A, B), 0-based.
    pub fn active_scenes(&self) -> (u8, u8) {
        (self.byte(ACTIVE_SCENE_A), self.byte(ACTIVE_SCENE_B))
    }

    /// Scene `s` (0-15), track `t` (0-7): 32 lock bytes.
    pub fn scene_locks(&self, s: usize, t: usize) -> &[u8] {
        let off = SCENES + s * SCENE_SIZE + t * 32;
        self.bytes.as_ref().get(off..off + 32).unwrap_or(&[])
    }
}

impl<B: AsRef<[u8]> + AsMut<[u8]>> Part<B> {
    /// Sets a byte at a part-relative offset (ignored past the end).
    pub fn set_byte(&mut self, rel: usize, v: u8) {
        if let Some(b) = self.bytes.as_mut().get_mut(rel) {
            *b = v;
        }
    }

    /// Sets the bytes of `group` for track `t` (extra input bytes are ignored).
    pub fn set_group(&mut self, group: &Group, t: usize, values: &[u8]) {
        let off = group.offset + t * group.stride;
        for (i, &v) in values.iter().take(group.len).enumerate() {
            self.set_byte(off + i, v);
        }
    }

    /// Sets the FX1 and FX2 type bytes of audio track `t`.
    pub fn set_fx(&mut self, t: usize, fx1: u8, fx2: u8) {
        if t < 8 {
            self.set_byte(FX1_TYPE + t, fx1);
            self.set_byte(FX2_TYPE + t, fx2);
        }
    }

    /// Sets the (main, cue) volume of audio track `t`.
    pub fn set_volume(&mut self, t: usize, main: u8, cue: u8) {
        if t < 8 {
            self.set_byte(VOLUMES + 2 * t, main);
            self.set_byte(VOLUMES + 2 * t + 1, cue);
        }
    }

    /// Sets the static, flex and recorder slots (0-based) of audio track `t`; the two unused
    /// bytes between them are kept.
    pub fn set_slots(&mut self, t: usize, static_slot: u8, flex_slot: u8, recorder_slot: u8) {
        if t < 8 {
            self.set_byte(SLOTS + 5 * t, static_slot);
            self.set_byte(SLOTS + 5 * t + 1, flex_slot);
            self.set_byte(SLOTS + 5 * t + 4, recorder_slot);
        }
    }

    /// Sets lock `field` (0-31, [`crate::raw::pattern::AUDIO_LOCK_NAMES`]) of track `t` in scene
    /// `s`; 255 clears it.
    pub fn set_scene_lock(&mut self, s: usize, t: usize, field: usize, v: u8) {
        if s < 16 && t < 8 && field < 32 {
            self.set_byte(SCENES + s * SCENE_SIZE + t * 32 + field, v);
        }
    }

    /// Sets the machine of audio track `t`.
    pub fn set_machine(&mut self, t: usize, m: u8) {
        if t < 8 {
            self.set_byte(MACHINE_TYPE + t, m);
        }
    }
}

/// Writes the OS 1.40 default part `id` (0-3) into `out` ([`PART_SIZE`] bytes).
pub fn write_default_part(out: &mut [u8], id: u8) {
    out.fill(0);
    if let Some(h) = out.get_mut(..4) {
        h.copy_from_slice(b"PART");
    }
    let mut p = Part::new(out);
    p.set_byte(8, id);
    for t in 0..8usize {
        p.set_byte(FX1_TYPE + t, 4); // filter
        p.set_byte(FX2_TYPE + t, 8); // delay
        p.set_byte(VOLUMES + 2 * t, 108);
        p.set_byte(VOLUMES + 2 * t + 1, 108);
        // Slots: static = flex = track, recorder = 128 + track (0-based).
        let tb = t as u8; // ok: t < 8
        p.set_byte(SLOTS + 5 * t, tb);
        p.set_byte(SLOTS + 5 * t + 1, tb);
        p.set_byte(SLOTS + 5 * t + 4, 128 + tb);
        for group in AUDIO_GROUPS.iter().chain(MIDI_GROUPS) {
            p.set_group(group, t, group.default);
        }
    }
    p.set_byte(ACTIVE_SCENE_B, 8);
    if let Some(s) = p.bytes.get_mut(SCENES..SCENE_XLV + 16 * SCENE_XLV_SIZE) {
        s.fill(255);
    }
}
