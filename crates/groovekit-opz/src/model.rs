//! The `model` layer: typed views over a [`ProjectImage`], the full decoded [`ProjectModel`], and
//! the default (empty) project built from code.
//!
//! Indices are 0-based here (pattern 0..16, track 0..16, step 0..16); the CLI and the readable
//! documents number patterns and steps from 1 as the device does.

use crate::OpzError;
use crate::raw::{self, PATTERNS, POLYPHONY, ProjectImage, STEPS, TRACKS, header, pattern};

/// Track names in track order (the device's labels; the reference's older names in brackets:
/// perc = hihat, sample = sfx, motion = video).
pub const TRACK_NAMES: [&str; TRACKS] = [
    "kick", "snare", "perc", "sample", "bass", "lead", "arp", "chord", "fx1", "fx2", "tape", "master", "perform",
    "module", "lights", "motion",
];

/// The track index for a name (`kick`, `bass`, ...) or a 1-based number (`1`..`16`).
pub fn track_index(name: &str) -> Option<usize> {
    let lower = name.trim().to_ascii_lowercase();
    if let Some(i) = TRACK_NAMES.iter().position(|n| *n == lower) {
        return Some(i);
    }
    match lower.as_str() {
        "hihat" => return Some(2),
        "sfx" | "fx" => return Some(3),
        "video" => return Some(15),
        _ => {}
    }
    lower.parse::<usize>().ok().filter(|n| (1..=TRACKS).contains(n)).map(|n| n - 1)
}

/// The name of track `t` ("?" outside 0..16).
pub fn track_name(t: usize) -> &'static str {
    TRACK_NAMES.get(t).copied().unwrap_or("?")
}

/// Names of the 18 sound parameters (reference §3.7, order "to be confirmed" by the wiki; the
/// same order indexes parameter locks).
pub const SOUND_PARAM_NAMES: [&str; 18] = [
    "p1",
    "p2",
    "attack",
    "decay",
    "sustain",
    "release",
    "fx1_send",
    "fx2_send",
    "filter",
    "resonance",
    "pan",
    "level",
    "portamento",
    "lfo_depth",
    "lfo_rate",
    "lfo_destination",
    "lfo_shape",
    "note_style",
];

/// What a track's sound parameters mean, by track type (the OP-Z shows different names per type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrackKind {
    /// Kick, snare, perc (drum kits).
    Drum,
    /// The sample track.
    Sample,
    /// Bass, lead and chord (synth engines).
    Synth,
    /// The arpeggiator: its LFO page holds the arpeggio settings.
    Arp,
    /// FX 1 and FX 2.
    Fx,
    /// The tape track.
    Tape,
    /// The master track.
    Master,
    /// Perform, module, lights, motion.
    Control,
}

/// The kind of track `t`.
pub fn track_kind(t: usize) -> TrackKind {
    match t {
        0..=2 => TrackKind::Drum,
        3 => TrackKind::Sample,
        4 | 5 | 7 => TrackKind::Synth,
        6 => TrackKind::Arp,
        8 | 9 => TrackKind::Fx,
        10 => TrackKind::Tape,
        11 => TrackKind::Master,
        _ => TrackKind::Control,
    }
}

/// The names the device shows for the 18 sound parameters of track `t`, in storage order (the
/// same order as [`SOUND_PARAM_NAMES`], which documents keep as the stable key).
///
/// Sources: the OP-Z guide's parameter pages as opz-studio transcribes them
/// (`src/project/trackTypes.ts` `paramPages`): drums and the sample track have pitch on P1; the
/// arp's third page (the LFO page elsewhere) is speed, pattern, style, range; tape's P1/P2 are
/// coarse and fine speed; master's are chorus and drive, with its filter a low-pass/high-pass
/// sweep; lights' are colour, alternative colour, speed and intensity. What P1/P2 do on synths and
/// effects depends on the engine, so they stay "p1"/"p2" there.
pub fn sound_param_names(t: usize) -> [&'static str; 18] {
    let mut names = SOUND_PARAM_NAMES;
    match track_kind(t) {
        TrackKind::Drum | TrackKind::Sample => names[0] = "pitch",
        TrackKind::Arp => {
            names[13] = "arp_speed";
            names[14] = "arp_pattern";
            names[15] = "arp_style";
            names[16] = "arp_range";
        }
        TrackKind::Tape => {
            names[0] = "speed_coarse";
            names[1] = "speed_fine";
        }
        TrackKind::Master => {
            names[0] = "chorus";
            names[1] = "drive";
            names[8] = "filter_lp_hp";
        }
        TrackKind::Control if t == 14 => {
            names[0] = "colour";
            names[1] = "alt_colour";
            names[8] = "speed";
            names[9] = "intensity";
        }
        _ => {}
    }
    names
}

/// The OP-Z's own MIDI CC dial (0..16) for each sound parameter in storage order, `None` for the
/// two with no CC (portamento, note style). The device sends and receives the 16 dials on CCs
/// `parameter_cc_out[track][dial]` of `config/midi.json` (1..=16 by default, in every corpus
/// file); the dial order is the four pages P1, P2, filter, resonance / attack, decay, sustain,
/// release / LFO depth, speed, target, shape / FX 1, FX 2, pan, level (TE's MIDI chart as listed
/// in usercamp/midi `Teenage Engineering/OP-Z.csv`: CC 1 "Parameter 1" ... CC 16).
pub const PARAM_CC_DIAL: [Option<u8>; 18] = [
    Some(0),
    Some(1),
    Some(4),
    Some(5),
    Some(6),
    Some(7),
    Some(12),
    Some(13),
    Some(2),
    Some(3),
    Some(14),
    Some(15),
    None,
    Some(8),
    Some(9),
    Some(10),
    Some(11),
    None,
];

/// The 14 step components, by bit number of the step chunk's enable mask (reference §3.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Component {
    /// Repeat the note on following steps.
    Pulse,
    /// Spark condition on parameter locks.
    ParameterSpark,
    /// Jump to another step.
    Jump,
    /// Velocity change.
    Velocity,
    /// Pitch ramp up.
    RampUp,
    /// Pitch ramp down.
    RampDown,
    /// Random note.
    Random,
    /// Glide (portamento).
    Glide,
    /// Ratchets.
    Multiply,
    /// Filter sweep.
    Sweep,
    /// Pulse with hold.
    PulseHold,
    /// Tonality change.
    Tonality,
    /// Spark condition on the trig.
    TriggerSpark,
    /// Spark condition on the other components.
    ComponentSpark,
}

impl Component {
    /// Every component, in bit order.
    pub const ALL: [Component; 14] = [
        Self::Pulse,
        Self::ParameterSpark,
        Self::Jump,
        Self::Velocity,
        Self::RampUp,
        Self::RampDown,
        Self::Random,
        Self::Glide,
        Self::Multiply,
        Self::Sweep,
        Self::PulseHold,
        Self::Tonality,
        Self::TriggerSpark,
        Self::ComponentSpark,
    ];

    /// The bit number in the enable mask (also the index of its parameter byte).
    pub fn bit(self) -> usize {
        self as usize
    }

    /// The name used in documents and the CLI.
    pub fn name(self) -> &'static str {
        match self {
            Self::Pulse => "pulse",
            Self::ParameterSpark => "parameter_spark",
            Self::Jump => "jump",
            Self::Velocity => "velocity",
            Self::RampUp => "ramp_up",
            Self::RampDown => "ramp_down",
            Self::Random => "random",
            Self::Glide => "glide",
            Self::Multiply => "multiply",
            Self::Sweep => "sweep",
            Self::PulseHold => "pulse_hold",
            Self::Tonality => "tonality",
            Self::TriggerSpark => "trigger_spark",
            Self::ComponentSpark => "component_spark",
        }
    }

    /// The component with this name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.name() == name)
    }

    /// Whether the parameter byte is a spark condition (high nibble mode, low nibble N).
    pub fn is_spark(self) -> bool {
        matches!(self, Self::ParameterSpark | Self::TriggerSpark | Self::ComponentSpark)
    }
}

/// The parameter bytes of an untouched step (16 bytes, index = component bit; bits 14 and 15 are
/// unused and 0), as in every empty pattern of the corpus.
pub const DEFAULT_COMPONENT_PARAMS: [u8; 16] = [4, 2, 4, 5, 4, 4, 4, 4, 2, 2, 4, 4, 2, 2, 0, 0];

/// A decoded spark condition byte (reference §3.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spark {
    /// High nibble: 0 = trigger on pass N, 1 = first pass of every N, 2 = all passes but N of every N.
    pub mode: u8,
    /// Low nibble: N.
    pub n: u8,
}

impl Spark {
    /// Splits a parameter byte into its nibbles.
    pub fn from_byte(b: u8) -> Self {
        Self { mode: b >> 4, n: b & 0x0F }
    }

    /// The parameter byte (`mode` and `n` are masked to a nibble each).
    pub fn to_byte(self) -> u8 {
        ((self.mode & 0x0F) << 4) | (self.n & 0x0F)
    }

    /// A short description, e.g. "1st of every 2".
    pub fn describe(self) -> String {
        match self.mode {
            0 => format!("on pass {}", self.n),
            1 => format!("1st of every {}", self.n),
            2 => format!("all but {} of every {}", self.n, self.n),
            m => format!("mode {m} n {}", self.n),
        }
    }
}

/// One 8-byte note slot (reference §3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NoteSlot {
    /// Note length in ticks (see [`crate::midi::TICKS_PER_STEP`]).
    pub duration: i32,
    /// MIDI note number; 0xFF marks an empty slot.
    pub note: u8,
    /// Velocity 1..=127 (100 by default).
    pub velocity: u8,
    /// Micro-timing, -96..=95 (192 units per step).
    pub micro: i8,
    /// Always 0 in known files ("age").
    pub age: u8,
}

/// The note byte of an empty slot.
pub const EMPTY_NOTE: u8 = 0xFF;
/// The lowest micro-timing value the device stores (half a step early).
pub const MICRO_MIN: i8 = -96;
/// The highest micro-timing value the device stores (just under half a step late).
pub const MICRO_MAX: i8 = 95;

impl NoteSlot {
    /// The canonical empty slot `00 0A 00 00 FF 64 00 00` that the device writes.
    pub const EMPTY: NoteSlot = NoteSlot { duration: 2560, note: EMPTY_NOTE, velocity: 100, micro: 0, age: 0 };

    /// Decodes 8 bytes.
    pub fn from_bytes(b: [u8; 8]) -> Self {
        Self {
            duration: i32::from_le_bytes([b[0], b[1], b[2], b[3]]),
            note: b[4],
            velocity: b[5],
            micro: i8::from_le_bytes([b[6]]),
            age: b[7],
        }
    }

    /// Encodes 8 bytes.
    pub fn to_bytes(self) -> [u8; 8] {
        let d = self.duration.to_le_bytes();
        [d[0], d[1], d[2], d[3], self.note, self.velocity, self.micro.to_le_bytes()[0], self.age]
    }

    /// Whether the slot holds no note.
    pub fn is_empty(self) -> bool {
        self.note == EMPTY_NOTE
    }
}

/// A track's 12-byte settings chunk (reference §3.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrackSettings {
    /// The active engine or sample plug (opaque for user samples).
    pub plug: u32,
    /// Steps 1..=16 before the track loops.
    pub step_count: u8,
    /// Byte 5, meaning unknown (usually 5).
    pub unknown5: u8,
    /// Step length as a multiple of a 1/16 (0 = single step on external trig).
    pub step_length: u8,
    /// Quantize 0..=255.
    pub quantize: u8,
    /// Note style (always 0 in the corpus; the style lives in sound parameter 17).
    pub note_style: u8,
    /// Note length (64 by default).
    pub note_length: u8,
    /// Byte 10, meaning unknown (60 or 62 usually).
    pub unknown10: u8,
    /// Byte 11, meaning unknown.
    pub unknown11: u8,
}

impl TrackSettings {
    /// Decodes 12 bytes.
    pub fn from_bytes(b: [u8; 12]) -> Self {
        Self {
            plug: u32::from_le_bytes([b[0], b[1], b[2], b[3]]),
            step_count: b[4],
            unknown5: b[5],
            step_length: b[6],
            quantize: b[7],
            note_style: b[8],
            note_length: b[9],
            unknown10: b[10],
            unknown11: b[11],
        }
    }

    /// Encodes 12 bytes.
    pub fn to_bytes(self) -> [u8; 12] {
        let p = self.plug.to_le_bytes();
        [
            p[0],
            p[1],
            p[2],
            p[3],
            self.step_count,
            self.unknown5,
            self.step_length,
            self.quantize,
            self.note_style,
            self.note_length,
            self.unknown10,
            self.unknown11,
        ]
    }
}

/// A 54-byte step chunk: step components and parameter locks (reference §3.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// Component enable bits (bit = [`Component::bit`]).
    pub mask: u16,
    /// One parameter byte per component bit.
    pub params: [u8; 16],
    /// Parameter-lock values, one per sound parameter.
    pub lock_values: [u8; 18],
    /// Parameter-lock enable bytes (0x00 off, 0xFF on in known files).
    pub lock_mask: [u8; 18],
}

impl Step {
    /// The step chunk of an untouched step.
    pub const DEFAULT: Step =
        Step { mask: 0, params: DEFAULT_COMPONENT_PARAMS, lock_values: [0; 18], lock_mask: [0; 18] };

    /// Decodes 54 bytes.
    pub fn from_bytes(b: &[u8; 54]) -> Self {
        let (mask, rest) = b.split_at(2);
        let (params, rest) = rest.split_at(16);
        let (lock_values, lock_mask) = rest.split_at(18);
        Step {
            mask: u16::from_le_bytes([mask[0], mask[1]]),
            // ok: the splits above have exactly these lengths, so the fallbacks are never taken.
            params: params.try_into().unwrap_or([0; 16]),
            lock_values: lock_values.try_into().unwrap_or([0; 18]),
            lock_mask: lock_mask.try_into().unwrap_or([0; 18]),
        }
    }

    /// Writes the 54 bytes into `dst` (which must be 54 bytes long; shorter is left as is).
    pub fn write_to(&self, dst: &mut [u8]) {
        if dst.len() == 54 {
            dst[0..2].copy_from_slice(&self.mask.to_le_bytes());
            dst[2..18].copy_from_slice(&self.params);
            dst[18..36].copy_from_slice(&self.lock_values);
            dst[36..54].copy_from_slice(&self.lock_mask);
        }
    }

    /// Encodes 54 bytes.
    pub fn to_bytes(&self) -> [u8; 54] {
        let mut b = [0u8; 54];
        b[0..2].copy_from_slice(&self.mask.to_le_bytes());
        b[2..18].copy_from_slice(&self.params);
        b[18..36].copy_from_slice(&self.lock_values);
        b[36..54].copy_from_slice(&self.lock_mask);
        b
    }

    /// The enabled components and their parameter bytes, in bit order.
    pub fn components(&self) -> Vec<(Component, u8)> {
        Component::ALL
            .into_iter()
            .filter(|c| self.mask & (1 << c.bit()) != 0)
            .map(|c| (c, self.params.get(c.bit()).copied().unwrap_or(0)))
            .collect()
    }

    /// The enabled parameter locks: (sound parameter index, value).
    pub fn locks(&self) -> Vec<(usize, u8)> {
        (0..18).filter(|&i| self.lock_mask[i] != 0).map(|i| (i, self.lock_values[i])).collect()
    }

    /// Whether the step has components or locks.
    pub fn is_active(&self) -> bool {
        self.mask & 0x3FFF != 0 || self.lock_mask.iter().any(|&m| m != 0)
    }
}

/// The global settings in the header (reference §3.1), unknown bytes included.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    /// u32 file ID (0x49).
    pub file_id: u32,
    /// The 16 chains, 32 raw bytes each (see [`chain_entries`]).
    pub chains: [[u8; header::CHAIN_LEN]; header::CHAIN_COUNT],
    /// Mixer drum, synth, punch, master.
    pub mixer: [u8; 4],
    /// Tempo in BPM (u16; the device uses 40..=200 and the low byte only).
    pub tempo: u16,
    /// Bytes 522..565, not understood.
    pub unknown_522: [u8; header::UNKNOWN_522_LEN],
    /// Swing 0..=255.
    pub swing: u8,
    /// Metronome level.
    pub metronome_level: u8,
    /// Metronome sound.
    pub metronome_sound: u8,
    /// Byte 568: the selected saved chain, 0-based, 0xFF = none (see [`Header::selected_chain`]).
    pub selected_chain_raw: u8,
    /// Bytes 569..572 (`00 00 00` so far, not understood).
    pub unknown_569: [u8; 3],
}

impl Header {
    /// The selected saved chain (0-based, 0..=14), `None` for 0xFF or a value that is not a
    /// saved chain (such a byte is kept as it is in [`Header::selected_chain_raw`]).
    pub fn selected_chain(&self) -> Option<usize> {
        let c = usize::from(self.selected_chain_raw);
        (c < header::CHAIN_COUNT - 1).then_some(c)
    }
}

/// Mute groups in a pattern's 40 mute bytes (4 bytes each).
pub const MUTE_GROUPS: usize = 10;

/// Whether track `t` is muted, from a pattern's 40 mute bytes and its active mute group: bit
/// `(t % 4) * 2 + 1` of byte `group * 4 + t / 4`. Sources: libopz `include/libopz/opz_project.h`
/// (`opz_mute_masks = {0x02, 0x08, 0x20, 0x80}`, byte `t / 4`), opz-studio
/// `src/project/patternBank.ts` `setMuted` (the active group's 4 bytes, group clamped to 9); in the
/// corpus these are the only bits ever set (448 times). The low bit of each pair is not understood
/// and is ignored.
pub fn is_muted(mutes: &[u8; pattern::MUTES_LEN], active_group: u8, t: usize) -> bool {
    let group = usize::from(active_group).min(MUTE_GROUPS - 1);
    let bit = 1u8 << ((t % 4) * 2 + 1);
    mutes.get(group * 4 + t / 4).is_some_and(|b| b & bit != 0)
}

/// The pattern numbers (0-based) of a 32-byte chain: entries up to the first byte above 15.
pub fn chain_entries(raw: &[u8]) -> Vec<u8> {
    raw.iter().copied().take_while(|&b| usize::from(b) < PATTERNS).collect()
}

/// One pattern, fully decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    /// Track settings.
    pub tracks: [TrackSettings; TRACKS],
    /// The 880 note slots in file order (index = step x 55 + slot offset of the track + k).
    pub slots: Vec<NoteSlot>,
    /// The 256 step chunks, track-major.
    pub steps: Vec<Step>,
    /// 18 sound parameters per track.
    pub sound: [[u8; 18]; TRACKS],
    /// The 40 mute bytes.
    pub mutes: [u8; pattern::MUTES_LEN],
    /// Send-to-tape bits (bit n = track n).
    pub send_tape: u16,
    /// Send-to-master bits.
    pub send_master: u16,
    /// Active mute group.
    pub active_mute_group: u8,
    /// The last three bytes.
    pub unused: [u8; 3],
}

/// A whole project, fully decoded into owned values (every byte of the file is in a field).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProjectModel {
    /// Global settings.
    pub header: Header,
    /// The 16 patterns.
    pub patterns: Vec<Pattern>,
    /// The trailer (absent in old files).
    pub trailer: Option<u32>,
}

/// Checks a pattern, track, step triple.
fn check(p: usize, t: usize, s: usize) -> Result<(), OpzError> {
    if p >= PATTERNS {
        return Err(OpzError::Index(format!("pattern {} does not exist (1..=16)", p + 1)));
    }
    if t >= TRACKS {
        return Err(OpzError::Index(format!("track {} does not exist (1..=16)", t + 1)));
    }
    if s >= STEPS {
        return Err(OpzError::Index(format!("step {} does not exist (1..=16)", s + 1)));
    }
    Ok(())
}

/// The polyphony (note slots per step) of track `t`.
pub fn polyphony(t: usize) -> usize {
    POLYPHONY.get(t).map_or(0, |&p| usize::from(p))
}

/// A note found in a pattern: where it is and its slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PlacedNote {
    /// Step 0..16.
    pub step: usize,
    /// Slot 0..polyphony of the track.
    pub k: usize,
    /// The slot.
    pub slot: NoteSlot,
}

/// A project: the whole file image with typed views over it. Reading and writing a field touches
/// only that field's bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    image: ProjectImage,
}

impl Project {
    /// Reads a project file.
    ///
    /// # Errors
    /// [`OpzError::Empty`] or [`OpzError::Size`] when the bytes are not a whole project.
    pub fn parse(bytes: &[u8]) -> Result<Self, OpzError> {
        Ok(Self { image: ProjectImage::parse(bytes)? })
    }

    /// Wraps an image.
    pub fn from_image(image: ProjectImage) -> Self {
        Self { image }
    }

    /// The file bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.image.as_bytes()
    }

    /// The file bytes, by value.
    pub fn into_bytes(self) -> Vec<u8> {
        self.image.into_bytes()
    }

    /// The image.
    pub fn image(&self) -> &ProjectImage {
        &self.image
    }

    /// The image, for raw edits.
    pub fn image_mut(&mut self) -> &mut ProjectImage {
        &mut self.image
    }

    /// The trailer.
    pub fn trailer(&self) -> Option<u32> {
        self.image.trailer()
    }

    /// The header fields.
    pub fn header(&self) -> Header {
        let i = &self.image;
        let mut chains = [[0u8; header::CHAIN_LEN]; header::CHAIN_COUNT];
        for (c, chain) in chains.iter_mut().enumerate() {
            *chain = i.array(header::CHAINS + c * header::CHAIN_LEN);
        }
        Header {
            file_id: i.u32_at(header::FILE_ID),
            chains,
            mixer: i.array(header::MIXER),
            tempo: i.u16_at(header::TEMPO),
            unknown_522: i.array(header::UNKNOWN_522),
            swing: i.u8_at(header::SWING),
            metronome_level: i.u8_at(header::METRONOME_LEVEL),
            metronome_sound: i.u8_at(header::METRONOME_SOUND),
            selected_chain_raw: i.u8_at(header::SELECTED_CHAIN),
            unknown_569: i.array(header::UNKNOWN_569),
        }
    }

    /// Writes every header field.
    pub fn set_header(&mut self, h: &Header) {
        let i = &mut self.image;
        i.put(header::FILE_ID, &h.file_id.to_le_bytes());
        for (c, chain) in h.chains.iter().enumerate() {
            i.put(header::CHAINS + c * header::CHAIN_LEN, chain);
        }
        i.put(header::MIXER, &h.mixer);
        i.put(header::TEMPO, &h.tempo.to_le_bytes());
        i.put(header::UNKNOWN_522, &h.unknown_522);
        i.put(header::SWING, &[h.swing, h.metronome_level, h.metronome_sound]);
        i.put(header::SELECTED_CHAIN, &[h.selected_chain_raw]);
        i.put(header::UNKNOWN_569, &h.unknown_569);
    }

    /// Tempo in BPM.
    pub fn tempo(&self) -> u16 {
        self.image.u16_at(header::TEMPO)
    }

    /// The selected saved chain (0-based, 0..=14), `None` when byte 568 is 0xFF.
    pub fn selected_chain(&self) -> Option<usize> {
        let c = usize::from(self.image.u8_at(header::SELECTED_CHAIN));
        (c < header::CHAIN_COUNT - 1).then_some(c)
    }

    /// Whether track `t` is muted in pattern `p` (see [`is_muted`]).
    pub fn muted(&self, p: usize, t: usize) -> Result<bool, OpzError> {
        check(p, t, 0)?;
        let base = raw::pattern_offset(p);
        let mutes: [u8; pattern::MUTES_LEN] = self.image.array(base + pattern::MUTES);
        Ok(is_muted(&mutes, self.image.u8_at(base + pattern::ACTIVE_MUTE_GROUP), t))
    }

    /// The 0-based pattern numbers of chain `c` (chain 15 is the one playing).
    pub fn chain(&self, c: usize) -> Vec<u8> {
        if c >= header::CHAIN_COUNT {
            return Vec::new();
        }
        chain_entries(self.image.slice(header::CHAINS + c * header::CHAIN_LEN, header::CHAIN_LEN))
    }

    /// Track settings of pattern `p`, track `t`.
    pub fn track(&self, p: usize, t: usize) -> Result<TrackSettings, OpzError> {
        check(p, t, 0)?;
        Ok(TrackSettings::from_bytes(self.image.array(raw::track_offset(p, t))))
    }

    /// Writes track settings.
    pub fn set_track(&mut self, p: usize, t: usize, settings: TrackSettings) -> Result<(), OpzError> {
        check(p, t, 0)?;
        self.image.put(raw::track_offset(p, t), &settings.to_bytes());
        Ok(())
    }

    /// Note slot `k` of track `t` on step `s` of pattern `p`.
    pub fn slot(&self, p: usize, t: usize, s: usize, k: usize) -> Result<NoteSlot, OpzError> {
        check(p, t, s)?;
        if k >= polyphony(t) {
            return Err(OpzError::Index(format!("track {} has {} note slots per step", track_name(t), polyphony(t))));
        }
        Ok(NoteSlot::from_bytes(self.image.array(raw::note_offset(p, t, s, k))))
    }

    /// Writes note slot `k` of track `t` on step `s` of pattern `p`.
    pub fn set_slot(&mut self, p: usize, t: usize, s: usize, k: usize, slot: NoteSlot) -> Result<(), OpzError> {
        check(p, t, s)?;
        if k >= polyphony(t) {
            return Err(OpzError::Index(format!("track {} has {} note slots per step", track_name(t), polyphony(t))));
        }
        self.image.put(raw::note_offset(p, t, s, k), &slot.to_bytes());
        Ok(())
    }

    /// Every note (non-empty slot) of track `t` in pattern `p`, by step then slot.
    pub fn notes(&self, p: usize, t: usize) -> Result<Vec<PlacedNote>, OpzError> {
        let mut out = Vec::new();
        for step in 0..STEPS {
            for k in 0..polyphony(t) {
                let slot = self.slot(p, t, step, k)?;
                if !slot.is_empty() {
                    out.push(PlacedNote { step, k, slot });
                }
            }
        }
        Ok(out)
    }

    /// The step chunk of (`t`, `s`) in pattern `p`.
    pub fn step(&self, p: usize, t: usize, s: usize) -> Result<Step, OpzError> {
        check(p, t, s)?;
        Ok(Step::from_bytes(&self.image.array(raw::step_offset(p, t, s))))
    }

    /// Writes a step chunk.
    pub fn set_step(&mut self, p: usize, t: usize, s: usize, step: &Step) -> Result<(), OpzError> {
        check(p, t, s)?;
        self.image.put(raw::step_offset(p, t, s), &step.to_bytes());
        Ok(())
    }

    /// Sound parameters of track `t` in pattern `p`.
    pub fn sound(&self, p: usize, t: usize) -> Result<[u8; 18], OpzError> {
        check(p, t, 0)?;
        Ok(self.image.array(raw::sound_offset(p, t)))
    }

    /// The raw bytes of pattern `p`.
    pub fn pattern_bytes(&self, p: usize) -> Result<&[u8], OpzError> {
        check(p, 0, 0)?;
        Ok(self.image.slice(raw::pattern_offset(p), raw::PATTERN_LEN))
    }

    /// Replaces pattern `p` with raw pattern bytes (which must be one whole pattern).
    pub fn set_pattern_bytes(&mut self, p: usize, bytes: &[u8]) -> Result<(), OpzError> {
        check(p, 0, 0)?;
        if bytes.len() != raw::PATTERN_LEN {
            return Err(OpzError::Index(format!("a pattern is {} bytes, not {}", raw::PATTERN_LEN, bytes.len())));
        }
        self.image.put(raw::pattern_offset(p), bytes);
        Ok(())
    }

    /// Decodes pattern `p`.
    pub fn pattern(&self, p: usize) -> Result<Pattern, OpzError> {
        check(p, 0, 0)?;
        let i = &self.image;
        let base = raw::pattern_offset(p);
        let mut tracks = [TrackSettings::from_bytes([0; 12]); TRACKS];
        let mut sound = [[0u8; 18]; TRACKS];
        for t in 0..TRACKS {
            tracks[t] = TrackSettings::from_bytes(i.array(raw::track_offset(p, t)));
            sound[t] = i.array(raw::sound_offset(p, t));
        }
        let notes = i.slice(base + pattern::NOTES, 880 * pattern::NOTE_LEN);
        let slots = notes
            .chunks_exact(pattern::NOTE_LEN)
            .map(|c| {
                let mut b = [0u8; 8];
                b.copy_from_slice(c);
                NoteSlot::from_bytes(b)
            })
            .collect();
        let step_bytes = i.slice(base + pattern::STEPS, 256 * pattern::STEP_LEN);
        let steps = step_bytes
            .chunks_exact(pattern::STEP_LEN)
            .map(|c| {
                let mut b = [0u8; 54];
                b.copy_from_slice(c);
                Step::from_bytes(&b)
            })
            .collect();
        Ok(Pattern {
            tracks,
            slots,
            steps,
            sound,
            mutes: i.array(base + pattern::MUTES),
            send_tape: i.u16_at(base + pattern::SEND_TAPE),
            send_master: i.u16_at(base + pattern::SEND_MASTER),
            active_mute_group: i.u8_at(base + pattern::ACTIVE_MUTE_GROUP),
            unused: i.array(base + pattern::UNUSED),
        })
    }

    /// Writes every field of a decoded pattern into pattern `p`.
    pub fn set_pattern(&mut self, p: usize, pat: &Pattern) -> Result<(), OpzError> {
        check(p, 0, 0)?;
        if pat.slots.len() != 880 || pat.steps.len() != 256 {
            return Err(OpzError::Index(format!(
                "a pattern has 880 note slots and 256 steps, not {} and {}",
                pat.slots.len(),
                pat.steps.len()
            )));
        }
        let base = raw::pattern_offset(p);
        let i = &mut self.image;
        for t in 0..TRACKS {
            i.put(raw::track_offset(p, t), &pat.tracks[t].to_bytes());
            i.put(raw::sound_offset(p, t), &pat.sound[t]);
        }
        for (n, slot) in pat.slots.iter().enumerate() {
            i.put(base + pattern::NOTES + n * pattern::NOTE_LEN, &slot.to_bytes());
        }
        for (n, step) in pat.steps.iter().enumerate() {
            i.put(base + pattern::STEPS + n * pattern::STEP_LEN, &step.to_bytes());
        }
        i.put(base + pattern::MUTES, &pat.mutes);
        i.put(base + pattern::SEND_TAPE, &pat.send_tape.to_le_bytes());
        i.put(base + pattern::SEND_MASTER, &pat.send_master.to_le_bytes());
        i.put(base + pattern::ACTIVE_MUTE_GROUP, &[pat.active_mute_group]);
        i.put(base + pattern::UNUSED, &pat.unused);
        Ok(())
    }

    /// Decodes the whole project into owned values.
    pub fn decode(&self) -> Result<ProjectModel, OpzError> {
        ProjectModel::from_bytes(self.as_bytes())
    }
}

/// A fixed-size array from the front of `bytes` (zeros if it is shorter, which callers rule out
/// by checking the file size first).
fn take<const N: usize>(bytes: &[u8], at: usize) -> [u8; N] {
    bytes.get(at..at + N).and_then(|s| <[u8; N]>::try_from(s).ok()).unwrap_or([0; N])
}

impl Pattern {
    /// Decodes one pattern chunk (`bytes` holds at least [`raw::PATTERN_LEN`] bytes).
    fn from_bytes(b: &[u8]) -> Self {
        let mut tracks = [TrackSettings::from_bytes([0; 12]); TRACKS];
        let mut sound = [[0u8; 18]; TRACKS];
        for t in 0..TRACKS {
            tracks[t] = TrackSettings::from_bytes(take(b, pattern::TRACKS + t * pattern::TRACK_LEN));
            sound[t] = take(b, pattern::SOUND + t * pattern::SOUND_LEN);
        }
        let notes = b.get(pattern::NOTES..pattern::STEPS).unwrap_or(&[]);
        let slots = notes
            .chunks_exact(pattern::NOTE_LEN)
            .map(|c| NoteSlot::from_bytes(c.try_into().unwrap_or([0; 8])))
            .collect();
        let steps = b.get(pattern::STEPS..pattern::SOUND).unwrap_or(&[]);
        let steps =
            steps.chunks_exact(pattern::STEP_LEN).map(|c| Step::from_bytes(c.try_into().unwrap_or(&[0; 54]))).collect();
        Pattern {
            tracks,
            slots,
            steps,
            sound,
            mutes: take(b, pattern::MUTES),
            send_tape: u16::from_le_bytes(take(b, pattern::SEND_TAPE)),
            send_master: u16::from_le_bytes(take(b, pattern::SEND_MASTER)),
            active_mute_group: b.get(pattern::ACTIVE_MUTE_GROUP).copied().unwrap_or(0),
            unused: take(b, pattern::UNUSED),
        }
    }

    /// Writes the pattern's 21 392 bytes into `out` (exactly one pattern long), in file order.
    fn write(&self, out: &mut [u8]) {
        let (tracks, rest) = out.split_at_mut(pattern::NOTES.min(out.len()));
        for (dst, t) in tracks.chunks_exact_mut(pattern::TRACK_LEN).zip(&self.tracks) {
            dst.copy_from_slice(&t.to_bytes());
        }
        let (notes, rest) = rest.split_at_mut((pattern::STEPS - pattern::NOTES).min(rest.len()));
        for (dst, s) in notes.chunks_exact_mut(pattern::NOTE_LEN).zip(&self.slots) {
            dst.copy_from_slice(&s.to_bytes());
        }
        let (steps, rest) = rest.split_at_mut((pattern::SOUND - pattern::STEPS).min(rest.len()));
        for (dst, s) in steps.chunks_exact_mut(pattern::STEP_LEN).zip(&self.steps) {
            s.write_to(dst);
        }
        let (sound, rest) = rest.split_at_mut((pattern::MUTES - pattern::SOUND).min(rest.len()));
        for (dst, s) in sound.chunks_exact_mut(pattern::SOUND_LEN).zip(&self.sound) {
            dst.copy_from_slice(s);
        }
        let mut tail = [0u8; raw::PATTERN_LEN - pattern::MUTES];
        tail[..40].copy_from_slice(&self.mutes);
        tail[40..42].copy_from_slice(&self.send_tape.to_le_bytes());
        tail[42..44].copy_from_slice(&self.send_master.to_le_bytes());
        tail[44] = self.active_mute_group;
        tail[45..48].copy_from_slice(&self.unused);
        if rest.len() == tail.len() {
            rest.copy_from_slice(&tail);
        }
    }
}

impl ProjectModel {
    /// Decodes a whole project file straight from its bytes.
    ///
    /// # Errors
    /// [`OpzError::Empty`] or [`OpzError::Size`] when the bytes are not a whole project.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, OpzError> {
        let trailer = match bytes.len() {
            0 => return Err(OpzError::Empty),
            raw::LEN_WITH_TRAILER => Some(u32::from_le_bytes(take(bytes, raw::LEN_WITHOUT_TRAILER))),
            raw::LEN_WITHOUT_TRAILER => None,
            len => return Err(OpzError::Size { len }),
        };
        let mut chains = [[0u8; header::CHAIN_LEN]; header::CHAIN_COUNT];
        for (c, chain) in chains.iter_mut().enumerate() {
            *chain = take(bytes, header::CHAINS + c * header::CHAIN_LEN);
        }
        let h = Header {
            file_id: u32::from_le_bytes(take(bytes, header::FILE_ID)),
            chains,
            mixer: take(bytes, header::MIXER),
            tempo: u16::from_le_bytes(take(bytes, header::TEMPO)),
            unknown_522: take(bytes, header::UNKNOWN_522),
            swing: bytes.get(header::SWING).copied().unwrap_or(0),
            metronome_level: bytes.get(header::METRONOME_LEVEL).copied().unwrap_or(0),
            metronome_sound: bytes.get(header::METRONOME_SOUND).copied().unwrap_or(0),
            selected_chain_raw: bytes.get(header::SELECTED_CHAIN).copied().unwrap_or(0),
            unknown_569: take(bytes, header::UNKNOWN_569),
        };
        let patterns =
            (0..PATTERNS).map(|p| Pattern::from_bytes(bytes.get(raw::pattern_offset(p)..).unwrap_or(&[]))).collect();
        Ok(Self { header: h, patterns, trailer })
    }

    /// Encodes the model into file bytes, field by field in file order.
    pub fn to_bytes(&self) -> Result<Vec<u8>, OpzError> {
        let mut out = Vec::with_capacity(raw::LEN_WITH_TRAILER);
        self.write_into(&mut out)?;
        Ok(out)
    }

    /// Encodes the model into `out` (cleared first), reusing its allocation: for callers that
    /// encode many projects.
    pub fn write_into(&self, out: &mut Vec<u8>) -> Result<(), OpzError> {
        out.clear();
        if self.patterns.len() != PATTERNS {
            return Err(OpzError::Index(format!("a project has 16 patterns, not {}", self.patterns.len())));
        }
        if let Some(pat) = self.patterns.iter().find(|p| p.slots.len() != 880 || p.steps.len() != 256) {
            return Err(OpzError::Index(format!(
                "a pattern has 880 note slots and 256 steps, not {} and {}",
                pat.slots.len(),
                pat.steps.len()
            )));
        }
        let h = &self.header;
        out.reserve(raw::LEN_WITH_TRAILER);
        out.extend_from_slice(&h.file_id.to_le_bytes());
        for c in &h.chains {
            out.extend_from_slice(c);
        }
        out.extend_from_slice(&h.mixer);
        out.extend_from_slice(&h.tempo.to_le_bytes());
        out.extend_from_slice(&h.unknown_522);
        out.extend_from_slice(&[h.swing, h.metronome_level, h.metronome_sound]);
        out.push(h.selected_chain_raw);
        out.extend_from_slice(&h.unknown_569);
        for pat in &self.patterns {
            // Grow by one pattern and fill it while it is still in cache.
            let start = out.len();
            out.resize(start + raw::PATTERN_LEN, 0);
            if let Some(dst) = out.get_mut(start..) {
                pat.write(dst);
            }
        }
        if let Some(t) = self.trailer {
            out.extend_from_slice(&t.to_le_bytes());
        }
        Ok(())
    }

    /// Encodes the model into a project (every byte comes from a field).
    pub fn encode(&self) -> Result<Project, OpzError> {
        Ok(Project::from_image(ProjectImage::from_vec(self.to_bytes()?)?))
    }
}

/// Plug IDs of the default project's tracks. Tracks 1-8 carry the 32-bit sample-pack IDs of the
/// factory packs of the template disk (romangarms/OP-1Z-Sample-Manager, `project06.opz`); the
/// others are engine and plug numbers (43 fx, 38 tape, 39 master, 146-149 non-sound tracks).
const DEFAULT_PLUGS: [u32; TRACKS] = [
    0xE073_9A27,
    0x8600_D6BC,
    0x04A9_743D,
    0xDCB3_952A,
    0x57ED_E918,
    0x4D1E_A68C,
    0xA5A8_09DF,
    0xA3C5_D3E8,
    43,
    43,
    38,
    39,
    147,
    148,
    146,
    149,
];

/// Default sound parameters per track (template project, every pattern).
const DEFAULT_SOUND: [[u8; 18]; TRACKS] = {
    const DRUM: [u8; 18] = [127, 0, 0, 0, 255, 0, 0, 0, 127, 0, 127, 128, 0, 128, 100, 255, 0, 0];
    const SYNTH: [u8; 18] = [0, 0, 1, 20, 255, 60, 0, 0, 127, 0, 127, 128, 0, 128, 100, 255, 0, 0];
    const ARP: [u8; 18] = [0, 0, 1, 20, 255, 60, 0, 0, 127, 0, 127, 128, 0, 118, 0, 0, 0, 0];
    const FX: [u8; 18] = [114, 52, 0, 0, 0, 0, 0, 0, 112, 0, 127, 255, 255, 128, 100, 255, 0, 0];
    [
        DRUM,
        DRUM,
        DRUM,
        DRUM,
        SYNTH,
        SYNTH,
        ARP,
        SYNTH,
        FX,
        FX,
        [0, 127, 0, 127, 127, 127, 0, 0, 127, 0, 127, 255, 0, 127, 182, 232, 128, 0],
        [0, 0, 127, 127, 127, 255, 127, 127, 127, 0, 127, 128, 0, 127, 182, 232, 128, 0],
        [0, 0, 0, 0, 0, 127, 0, 0, 0, 255, 0, 255, 0, 128, 128, 8, 0, 0],
        [0, 0, 0, 20, 0, 127, 0, 0, 127, 0, 127, 180, 255, 128, 100, 255, 0, 0],
        [167, 124, 0, 20, 0, 127, 0, 0, 187, 255, 0, 255, 0, 128, 128, 8, 0, 0],
        [127, 127, 0, 0, 0, 0, 0, 0, 127, 127, 0, 0, 0, 128, 128, 8, 0, 0],
    ]
};

/// The empty project a factory OP-Z writes, built from code (no template file): byte-identical to
/// the template disk's `project06.opz` (see docs/opz.md for the provenance of each field).
///
/// Quirks kept on purpose because the device wrote them: chains 1-15 are 16 x 0xFF followed by 16
/// zero bytes while chain 16 (the playing chain) is 32 x 0xFF; track 1 of pattern 1 has byte 10 =
/// 62 (60 elsewhere, 36 on bass); the lights track's first step chunk is all zero.
pub fn default_project() -> Project {
    let mut project = Project::from_image(ProjectImage::zeroed());
    let mut chains = [[0u8; header::CHAIN_LEN]; header::CHAIN_COUNT];
    for (c, chain) in chains.iter_mut().enumerate() {
        let fill = if c == header::CHAIN_COUNT - 1 { header::CHAIN_LEN } else { 16 };
        chain[..fill].fill(0xFF);
    }
    project.set_header(&Header {
        file_id: raw::FILE_ID,
        chains,
        mixer: [128, 128, 0, 0],
        tempo: 120,
        unknown_522: [0; header::UNKNOWN_522_LEN],
        swing: 127,
        metronome_level: 100,
        metronome_sound: 0,
        selected_chain_raw: header::NO_SELECTED_CHAIN,
        unknown_569: [0; 3],
    });
    for p in 0..PATTERNS {
        let mut tracks = [TrackSettings::from_bytes([0; 12]); TRACKS];
        for (t, track) in tracks.iter_mut().enumerate() {
            *track = TrackSettings {
                plug: DEFAULT_PLUGS[t],
                step_count: 16,
                unknown5: 5,
                step_length: 1,
                quantize: if t == 6 { 255 } else { 0 },
                note_style: 0,
                note_length: 64,
                unknown10: match (p, t) {
                    (0, 0) => 62,
                    (_, 4) => 36,
                    _ => 60,
                },
                unknown11: 0,
            };
        }
        let mut steps = vec![Step::DEFAULT; 256];
        steps[14 * STEPS] = Step::from_bytes(&[0; 54]);
        let pat = Pattern {
            tracks,
            slots: vec![NoteSlot::EMPTY; 880],
            steps,
            sound: DEFAULT_SOUND,
            mutes: [0; pattern::MUTES_LEN],
            send_tape: 0x00FF,
            send_master: 0x00F0,
            active_mute_group: 0,
            unused: [0; 3],
        };
        // ok: p < PATTERNS and the pattern has 880 slots and 256 steps, so this cannot fail.
        let _ = project.set_pattern(p, &pat);
    }
    project.image_mut().set_trailer(Some(raw::NEW_TRAILER));
    project
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_and_steps_round_trip_their_bytes() {
        let b = [0x00, 0x30, 0, 0, 60, 90, 0xA0, 0];
        let s = NoteSlot::from_bytes(b);
        assert_eq!((s.duration, s.note, s.velocity, s.micro), (12_288, 60, 90, -96));
        assert_eq!(s.to_bytes(), b);
        assert_eq!(NoteSlot::EMPTY.to_bytes(), [0x00, 0x0A, 0, 0, 0xFF, 0x64, 0, 0]);
        let mut raw = [0u8; 54];
        raw[0] = 0b0000_0101;
        raw[1] = 0b0001_0000;
        raw[2] = 7;
        raw[4] = 3;
        raw[2 + 12] = 0x12;
        raw[18 + 8] = 200;
        raw[36 + 8] = 0xFF;
        let step = Step::from_bytes(&raw);
        assert_eq!(step.to_bytes(), raw);
        assert_eq!(
            step.components(),
            vec![(Component::Pulse, 7), (Component::Jump, 3), (Component::TriggerSpark, 0x12)]
        );
        assert_eq!(step.locks(), vec![(8, 200)]);
        assert_eq!(Spark::from_byte(0x12), Spark { mode: 1, n: 2 });
        assert_eq!(Spark::from_byte(0x12).describe(), "1st of every 2");
    }

    #[test]
    fn track_names_and_numbers() {
        assert_eq!(track_index("Bass"), Some(4));
        assert_eq!(track_index("16"), Some(15));
        assert_eq!(track_index("hihat"), Some(2));
        assert_eq!(track_index("17"), None);
        assert_eq!(track_name(6), "arp");
    }
}
