//! Typed view of `project.work` / `project.strd` (reference §1.1) over the lossless line layer
//! [`crate::raw::project`].
//!
//! [`Project::parse`] checks everything it knows (the `[META]` type, integer values of the
//! documented settings and states, every `[SAMPLE]` block) and reports problems with line and
//! column. Getters read the lines; setters rewrite only the line of the value they change, so
//! a file edited through this type differs from the original only where it was edited.

use crate::OtError;
use crate::raw::project::{Eol, Line, Node, ProjectText, Section};

/// The `TYPE=` value in `[META]` of every Octatrack project.
pub const PROJECT_TYPE: &str = "OCTATRACK DPS-1 PROJECT";

/// Number of `TRIG_MODE_MIDI` lines (one per MIDI track, in track order).
pub const MIDI_TRACKS: usize = 8;

/// The `[META]` keys and the values of an OS 1.40B project, in device order.
pub const DEFAULT_META: [(&str, &str); 3] =
    [("TYPE", PROJECT_TYPE), ("VERSION", "19"), ("OS_VERSION", "R0177     1.40B")];

/// The documented `[SETTINGS]` keys with the values of a new OS 1.40B project, in device order
/// (the eight `TRIG_MODE_MIDI` lines follow them; see [`MIDI_TRACKS`]).
pub const DEFAULT_SETTINGS: [(&str, i64); 56] = [
    ("WRITEPROTECTED", 0),
    ("TEMPOx24", 2880),
    ("PATTERN_TEMPO_ENABLED", 0),
    ("MIDI_CLOCK_SEND", 0),
    ("MIDI_CLOCK_RECEIVE", 0),
    ("MIDI_TRANSPORT_SEND", 0),
    ("MIDI_TRANSPORT_RECEIVE", 0),
    ("MIDI_PROGRAM_CHANGE_SEND", 0),
    ("MIDI_PROGRAM_CHANGE_SEND_CH", -1),
    ("MIDI_PROGRAM_CHANGE_RECEIVE", 0),
    ("MIDI_PROGRAM_CHANGE_RECEIVE_CH", -1),
    ("MIDI_TRIG_CH1", 0),
    ("MIDI_TRIG_CH2", 1),
    ("MIDI_TRIG_CH3", 2),
    ("MIDI_TRIG_CH4", 3),
    ("MIDI_TRIG_CH5", 4),
    ("MIDI_TRIG_CH6", 5),
    ("MIDI_TRIG_CH7", 6),
    ("MIDI_TRIG_CH8", 7),
    ("MIDI_AUTO_CHANNEL", 10),
    ("MIDI_SOFT_THRU", 0),
    ("MIDI_AUDIO_TRK_CC_IN", 1),
    ("MIDI_AUDIO_TRK_CC_OUT", 3),
    ("MIDI_AUDIO_TRK_NOTE_IN", 1),
    ("MIDI_AUDIO_TRK_NOTE_OUT", 3),
    ("MIDI_MIDI_TRK_CC_IN", 1),
    ("PATTERN_CHANGE_CHAIN_BEHAVIOR", 0),
    ("PATTERN_CHANGE_AUTO_SILENCE_TRACKS", 0),
    ("PATTERN_CHANGE_AUTO_TRIG_LFOS", 0),
    ("LOAD_24BIT_FLEX", 0),
    ("DYNAMIC_RECORDERS", 0),
    ("RECORD_24BIT", 0),
    ("RESERVED_RECORDER_COUNT", 8),
    ("RESERVED_RECORDER_LENGTH", 16),
    ("INPUT_DELAY_COMPENSATION", 0),
    ("GATE_AB", 127),
    ("GATE_CD", 127),
    ("GAIN_AB", 64),
    ("GAIN_CD", 64),
    ("DIR_AB", 0),
    ("DIR_CD", 0),
    ("PHONES_MIX", 64),
    ("MAIN_TO_CUE", 0),
    ("MASTER_TRACK", 0),
    ("CUE_STUDIO_MODE", 0),
    ("MAIN_LEVEL", 64),
    ("CUE_LEVEL", 64),
    ("METRONOME_TIME_SIGNATURE", 3),
    ("METRONOME_TIME_SIGNATURE_DENOMINATOR", 2),
    ("METRONOME_PREROLL", 0),
    ("METRONOME_CUE_VOLUME", 32),
    ("METRONOME_MAIN_VOLUME", 0),
    ("METRONOME_PITCH", 12),
    ("METRONOME_TONAL", 1),
    ("METRONOME_ENABLED", 0),
    ("TRIG_MODE_MIDI", 0),
];

/// The `[STATES]` keys, in device order (all 0 in a new project).
pub const STATE_KEYS: [&str; 15] = [
    "BANK",
    "PATTERN",
    "ARRANGEMENT",
    "ARRANGEMENT_MODE",
    "PART",
    "TRACK",
    "TRACK_OTHERMODE",
    "SCENE_A_MUTE",
    "SCENE_B_MUTE",
    "TRACK_CUE_MASK",
    "TRACK_MUTE_MASK",
    "TRACK_SOLO_MASK",
    "MIDI_TRACK_MUTE_MASK",
    "MIDI_TRACK_SOLO_MASK",
    "MIDI_MODE",
];

/// The first Flex slot number used by the eight recorder buffers (129..=136).
pub const FIRST_RECORDER_SLOT: u16 = 129;

/// The integer keys of a `[SAMPLE]` block after TYPE, SLOT and PATH, in device order.
const SAMPLE_INT_KEYS: [&str; 6] = ["BPMx24", "TRIM_BARSx100", "TSMODE", "LOOPMODE", "GAIN", "TRIGQUANTIZATION"];

/// The banner line (28 `#`).
const BANNER: &str = "############################";

/// Flex or Static sample slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SlotType {
    /// Flex machines (RAM): slots 1-128, plus the recorder buffers 129-136.
    Flex,
    /// Static machines (streamed from the card): slots 1-128.
    Static,
}

impl SlotType {
    /// The `TYPE=` text.
    pub const fn as_str(self) -> &'static str {
        match self {
            SlotType::Flex => "FLEX",
            SlotType::Static => "STATIC",
        }
    }

    /// The highest slot number of this type (Flex includes the recorder buffers).
    pub const fn max_slot(self) -> u16 {
        match self {
            SlotType::Flex => 136,
            SlotType::Static => 128,
        }
    }

    /// A lowercase name for messages ("flex", "static").
    pub const fn describe(self) -> &'static str {
        match self {
            SlotType::Flex => "flex",
            SlotType::Static => "static",
        }
    }
}

/// One timing key of a `[SAMPLE]` block. The device writes `TRIM_BARSx100` for a sample it
/// measured in bars and `BPMx24` for a short hit (the rule: [`assign_timing`]); blocks written
/// by other tools carry both keys, in either order (octatrack-manager's
/// `src-tauri/tests/fixtures/source_project`: `TRIM_BARSx100=400` then `BPMx24=2880`;
/// `dest_project`: `BPMx24=2400` then `TRIM_BARSx100=200`). A [`SampleSlot`] keeps every timing
/// key of its block, in file order, and writes back exactly those.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SampleTiming {
    /// `BPMx24=`: the sample's tempo × 24.
    BpmX24(i64),
    /// `TRIM_BARSx100=`: the trimmed length in bars × 100.
    TrimBarsX100(i64),
}

impl SampleTiming {
    /// The file key (`BPMx24` or `TRIM_BARSx100`).
    pub const fn key(self) -> &'static str {
        match self {
            SampleTiming::BpmX24(_) => "BPMx24",
            SampleTiming::TrimBarsX100(_) => "TRIM_BARSx100",
        }
    }

    /// The stored integer.
    pub const fn value(self) -> i64 {
        match self {
            SampleTiming::BpmX24(v) | SampleTiming::TrimBarsX100(v) => v,
        }
    }
}

/// One `[SAMPLE]` block. Integer fields are `None` when the block lacks the key.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SampleSlot {
    /// Flex or Static.
    pub slot_type: SlotType,
    /// Slot number: 1-128, and 129-136 for the Flex recorder buffers.
    pub slot: u16,
    /// `PATH=` bytes, relative to the project folder (for example `../AUDIO/x.wav`); empty for
    /// an unused recorder buffer. Bytes, because names may not be UTF-8.
    pub path: Vec<u8>,
    /// Every timing key of the block (`BPMx24`, `TRIM_BARSx100`), in file order: none, one or
    /// both. Copies keep them as they are and write no key the source lacks.
    pub timing: Vec<SampleTiming>,
    /// `TSMODE`: 0 off, 2 normal, 3 beat.
    pub tsmode: Option<i64>,
    /// `LOOPMODE`: 0 off, 1 loop, 2 ping-pong.
    pub loopmode: Option<i64>,
    /// `GAIN`: 0-96, 48 = 0 dB (recorder buffers default to 72).
    pub gain: Option<i64>,
    /// `TRIGQUANTIZATION`: -1 = direct (other tools write 255).
    pub trig_quantization: Option<i64>,
}

impl SampleSlot {
    /// A slot with the device defaults of a new sample: 120 BPM, time-stretch normal, loop
    /// off, gain 0 dB, direct trig quantization.
    pub fn new(slot_type: SlotType, slot: u16, path: impl Into<Vec<u8>>) -> SampleSlot {
        SampleSlot {
            slot_type,
            slot,
            path: path.into(),
            timing: vec![SampleTiming::BpmX24(2880)],
            tsmode: Some(2),
            loopmode: Some(0),
            gain: Some(48),
            trig_quantization: Some(-1),
        }
    }

    /// The block the device writes when a sample is assigned to an empty slot and no `.ot` lies
    /// beside it: the timing and time-stretch of [`assign_timing`] (from the sample's length and
    /// file name), loop on for Flex and off for Static, gain 0 dB, direct trig quantization.
    ///
    /// Evidence: the 26 sample blocks of the real-device `project.work` (docs/octatrack-files.md,
    /// "The add-sample rule"; test `add_sample_reproduces_the_device_blocks` in
    /// `tests/project_model.rs`): all 13 Flex loops carry `TRIM_BARSx100`, `TSMODE=2`,
    /// `LOOPMODE=1`; the two long Static samples `TRIM_BARSx100`, `TSMODE=2`, `LOOPMODE=0`; the 11
    /// short Static hits `BPMx24=2880`, `TSMODE=0`, `LOOPMODE=0`. octatrack-manager
    /// (`src-tauri/src/project_reader.rs`, `default_attr_fields`, "matches what the hardware
    /// writes on assign") gives the same loop rule per pool.
    pub fn assigned(
        slot_type: SlotType,
        slot: u16,
        path: impl Into<Vec<u8>>,
        frames: u64,
        sample_rate: u32,
        file_name: &[u8],
    ) -> SampleSlot {
        let (timing, tsmode) = assign_timing(frames, sample_rate, file_name);
        SampleSlot {
            slot_type,
            slot,
            path: path.into(),
            timing: vec![timing],
            tsmode: Some(tsmode),
            loopmode: Some(match slot_type {
                SlotType::Flex => 1,
                SlotType::Static => 0,
            }),
            gain: Some(48),
            trig_quantization: Some(-1),
        }
    }

    /// The empty recorder buffer `n` (1..=8) of a new project: Flex slot 128 + n, no path,
    /// gain 72.
    pub fn recorder_buffer(n: u16) -> SampleSlot {
        SampleSlot { gain: Some(72), ..SampleSlot::new(SlotType::Flex, 128 + n, Vec::new()) }
    }

    /// The path for display (non-UTF-8 bytes replaced).
    pub fn path_lossy(&self) -> String {
        String::from_utf8_lossy(&self.path).into_owned()
    }

    /// The `BPMx24` value, when the block has one.
    pub fn bpm_x24(&self) -> Option<i64> {
        self.timing.iter().find_map(|t| match t {
            SampleTiming::BpmX24(v) => Some(*v),
            SampleTiming::TrimBarsX100(_) => None,
        })
    }

    /// The `TRIM_BARSx100` value, when the block has one.
    pub fn trim_bars_x100(&self) -> Option<i64> {
        self.timing.iter().find_map(|t| match t {
            SampleTiming::TrimBarsX100(v) => Some(*v),
            SampleTiming::BpmX24(_) => None,
        })
    }

    /// Whether this is one of the Flex recorder buffers (129-136).
    pub fn is_recorder_buffer(&self) -> bool {
        self.slot_type == SlotType::Flex && self.slot >= FIRST_RECORDER_SLOT
    }

    /// The key/value lines of this block in device order, with the slot zero-padded to three
    /// digits as the device writes it.
    pub fn entries(&self) -> Vec<(&'static str, Vec<u8>)> {
        let mut e = vec![
            ("TYPE", self.slot_type.as_str().as_bytes().to_vec()),
            ("SLOT", format!("{:03}", self.slot).into_bytes()),
            ("PATH", self.path.clone()),
        ];
        for t in &self.timing {
            e.push((t.key(), t.value().to_string().into_bytes()));
        }
        for (key, v) in [
            ("TSMODE", self.tsmode),
            ("LOOPMODE", self.loopmode),
            ("GAIN", self.gain),
            ("TRIGQUANTIZATION", self.trig_quantization),
        ] {
            if let Some(v) = v {
                e.push((key, v.to_string().into_bytes()));
            }
        }
        e
    }

    fn check_range(&self) -> Result<(), OtError> {
        if self.slot == 0 || self.slot > self.slot_type.max_slot() {
            return Err(OtError::Invalid {
                field: format!("{} slot {}", self.slot_type.describe(), self.slot),
                message: format!(
                    "slot number out of range: {} slots are 1-{}",
                    self.slot_type.describe(),
                    self.slot_type.max_slot()
                ),
            });
        }
        if breaks_line(&self.path) {
            return Err(OtError::Invalid {
                field: format!("{} slot {} path", self.slot_type.describe(), self.slot),
                message: "a path cannot contain a line break".into(),
            });
        }
        Ok(())
    }
}

/// The tempo range (BPM) the device folds its first tempo guess into: at least the first, below
/// the second (the manual, "ORIGINAL TEMPO": "The 'normal' BPM range the Octatrack uses to make its
/// initial BPM guess is 85 BPM-170 BPM"; octatrack-manager's `compute_assign_timing` folds into
/// `[85, 170)`).
pub const TEMPO_GUESS_RANGE: (f64, f64) = (85.0, 170.0);

/// Samples shorter than this (seconds) are not measured in bars: the device writes `BPMx24=2880`
/// (120 BPM) and time-stretch off. The real-device project bounds the limit: its 11 hits of
/// 0.027-0.532 s have `BPMx24=2880`, `TSMODE=0`, its shortest measured sample (2.000 s) has
/// `TRIM_BARSx100=100`. 1 s is octatrack-manager's limit (`compute_assign_timing`: "Samples
/// shorter than one second use the 120 BPM default"), which lies inside that bound.
pub const SHORT_SAMPLE_SECONDS: f64 = 1.0;

/// The timing key and `TSMODE` the device writes when a sample of `frames` frames at
/// `sample_rate` Hz, named `file_name`, is assigned to a slot (reference: docs/octatrack-files.md,
/// "The add-sample rule"):
///
/// 1. shorter than [`SHORT_SAMPLE_SECONDS`]: `BPMx24=2880`, `TSMODE=0`;
/// 2. otherwise the whole sample is one bar, and the tempo is doubled (bars doubled) or halved
///    (bars halved) until it lies in [`TEMPO_GUESS_RANGE`];
/// 3. the file name is searched for that tempo × 2, then ÷ 2, rounded to an integer, anywhere in
///    the name (the manual: "analyzes the sample filename for tempo figures, checking if the
///    initial guess is off by a factor 0.5 or 2.0 ... if the number 70 is found anywhere in the
///    filename, the octatrack will use 70 BPM"); the first found wins;
/// 4. `TRIM_BARSx100` = bars × 100, `TSMODE=2`.
///
/// The device file shows step 3 at work: `JM_172_G_Atmos.wav` (22.33 s) folds to 86 BPM, 8 bars,
/// finds "172" and is written 16 bars; `IC1_172_Organic_07.wav` (2.79 s) 86 BPM, 1 bar -> 2 bars;
/// `JM_172_D_Atmos.wav` (53.02 s) folds to 144.8 BPM, 32 bars, finds "72" inside "172" and is
/// written 16 bars.
pub fn assign_timing(frames: u64, sample_rate: u32, file_name: &[u8]) -> (SampleTiming, i64) {
    let seconds = if sample_rate == 0 { 0.0 } else { frames as f64 / f64::from(sample_rate) };
    if seconds < SHORT_SAMPLE_SECONDS {
        return (SampleTiming::BpmX24(2880), 0);
    }
    let (low, high) = TEMPO_GUESS_RANGE;
    let mut bpm = 240.0 / seconds;
    let mut bars: f64 = 1.0;
    while bpm < low {
        bpm *= 2.0;
        bars *= 2.0;
    }
    while bpm >= high {
        bpm /= 2.0;
        bars /= 2.0;
    }
    let named = |tempo: f64| {
        let digits = format!("{}", tempo.round() as i64);
        file_name.windows(digits.len()).any(|w| w == digits.as_bytes())
    };
    if named(bpm * 2.0) {
        bars *= 2.0;
    } else if named(bpm / 2.0) {
        bars /= 2.0;
    }
    (SampleTiming::TrimBarsX100((bars * 100.0).round() as i64), 2)
}

/// The `[META]` values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Meta {
    /// `TYPE=` (always [`PROJECT_TYPE`] in a file that parsed).
    pub project_type: String,
    /// `VERSION=` (19 for OS 1.40).
    pub version: Option<i64>,
    /// `OS_VERSION=` verbatim, spaces included (`R0177     1.40B`).
    pub os_version: Option<String>,
}

/// Whether a value cannot be written on one line: it contains a line feed, or ends with a
/// carriage return (which would merge with the line ending). A carriage return inside a value
/// is kept as found.
pub fn breaks_line(value: &[u8]) -> bool {
    value.contains(&b'\n') || value.last() == Some(&b'\r')
}

/// Parses an integer value: optional `-`, ASCII digits (leading zeros allowed, as in `001`).
pub fn parse_int(value: &[u8]) -> Option<i64> {
    let digits = value.strip_prefix(b"-").unwrap_or(value);
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    std::str::from_utf8(value).ok()?.parse().ok()
}

fn int_at(line: &Line, what: &str) -> Result<i64, OtError> {
    let value = line.value().unwrap_or_default();
    parse_int(value).ok_or_else(|| OtError::Text {
        line: line.number,
        column: line.value_column(),
        message: format!(
            "{what}: expected an integer, found `{}`",
            String::from_utf8_lossy(value).chars().take(40).collect::<String>()
        ),
    })
}

/// Refuses a key that cannot be written as `KEY=VALUE` on one line.
fn check_key(key: &str) -> Result<(), OtError> {
    if crate::raw::project::valid_key(key.as_bytes()) {
        return Ok(());
    }
    Err(OtError::Invalid {
        field: format!("key `{key}`"),
        message: "keys are 1-64 printable ASCII characters without `=` or `[`, not starting with `#`".into(),
    })
}

fn text_error(line: usize, column: usize, message: String) -> OtError {
    OtError::Text { line, column, message }
}

/// Type and number of a `[SAMPLE]` block, from its TYPE and SLOT lines only: lookups by slot
/// read these two lines of each block and decode only the block they find (bench/ot-ops: a
/// 64-slot bank copy spent 4% of its time decoding every block on every lookup).
fn slot_key(s: &Section) -> Option<(SlotType, u16)> {
    let slot_type = match s.get("TYPE")?.value()? {
        b"FLEX" => SlotType::Flex,
        b"STATIC" => SlotType::Static,
        _ => return None,
    };
    let slot = u16::try_from(parse_int(s.get("SLOT")?.value()?)?).ok()?;
    Some((slot_type, slot))
}

/// Reads one `[SAMPLE]` block, with line:column errors.
fn sample_from_section(s: &Section) -> Result<SampleSlot, OtError> {
    let n = s.open.number;
    let type_line = s.get("TYPE").ok_or_else(|| text_error(n, 1, "[SAMPLE] block without a TYPE= line".into()))?;
    let slot_type = match type_line.value().unwrap_or_default() {
        b"FLEX" => SlotType::Flex,
        b"STATIC" => SlotType::Static,
        other => {
            return Err(text_error(
                type_line.number,
                type_line.value_column(),
                format!("sample TYPE must be FLEX or STATIC, found `{}`", String::from_utf8_lossy(other)),
            ));
        }
    };
    let slot_line = s.get("SLOT").ok_or_else(|| text_error(n, 1, "[SAMPLE] block without a SLOT= line".into()))?;
    let slot_value = int_at(slot_line, "SLOT")?;
    let slot = u16::try_from(slot_value).ok().filter(|&v| v >= 1 && v <= slot_type.max_slot()).ok_or_else(|| {
        text_error(
            slot_line.number,
            slot_line.value_column(),
            format!("{} slot {slot_value} out of range 1-{}", slot_type.describe(), slot_type.max_slot()),
        )
    })?;
    let path = s
        .get("PATH")
        .and_then(Line::value)
        .ok_or_else(|| text_error(n, 1, format!("[SAMPLE] {} slot {slot} without a PATH= line", slot_type.describe())))?
        .to_vec();
    let mut ints = [None; SAMPLE_INT_KEYS.len()];
    for (i, key) in SAMPLE_INT_KEYS.iter().enumerate() {
        if let (Some(line), Some(cell)) = (s.get(key), ints.get_mut(i)) {
            *cell = Some(int_at(line, key)?);
        }
    }
    let [_, _, tsmode, loopmode, gain, tq] = ints;
    // Every timing line, in file order (the first of each key, as `get` reads).
    let mut timing: Vec<SampleTiming> = Vec::new();
    for line in &s.body {
        let t = match line.key() {
            Some(b"BPMx24") => SampleTiming::BpmX24(int_at(line, "BPMx24")?),
            Some(b"TRIM_BARSx100") => SampleTiming::TrimBarsX100(int_at(line, "TRIM_BARSx100")?),
            _ => continue,
        };
        if !timing.iter().any(|x| x.key() == t.key()) {
            timing.push(t);
        }
    }
    Ok(SampleSlot { slot_type, slot, path, timing, tsmode, loopmode, gain, trig_quantization: tq })
}

/// Declares a struct with one `Option<i64>` field per key of a section, read and written
/// through the lines of a [`Project`].
macro_rules! section_struct {
    ($(#[$meta:meta])* $name:ident, $section:literal, { $($field:ident = $key:literal,)* }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
        pub struct $name {
            $(
                #[doc = concat!("`", $key, "=` (`None` when the file has no such line).")]
                pub $field: Option<i64>,
            )*
        }

        impl $name {
            /// The file keys, in device order.
            pub const KEYS: &'static [&'static str] = &[$($key),*];

            fn read(p: &Project) -> $name {
                let s = p.text.section($section);
                let get = |k: &str| s.and_then(|s| s.get(k)).and_then(Line::value).and_then(parse_int);
                $name { $($field: get($key),)* }
            }

            /// Writes the fields that are `Some` and differ from the file; only those lines change.
            fn write(&self, p: &mut Project) -> Result<(), OtError> {
                let current = $name::read(p);
                $(
                    if let Some(v) = self.$field
                        && current.$field != Some(v)
                    {
                        p.section_or_err($section)?.set($key, v.to_string().as_bytes());
                    }
                )*
                Ok(())
            }
        }
    };
}

section_struct!(
    /// The documented `[SETTINGS]` values, by name (the eight `TRIG_MODE_MIDI` lines are read
    /// with [`Project::trig_mode_midi`]). `tempo_x24` is BPM × 24; `*_CH` values of -1 mean auto.
    Settings,
    "SETTINGS",
    {
        write_protected = "WRITEPROTECTED",
        tempo_x24 = "TEMPOx24",
        pattern_tempo_enabled = "PATTERN_TEMPO_ENABLED",
        midi_clock_send = "MIDI_CLOCK_SEND",
        midi_clock_receive = "MIDI_CLOCK_RECEIVE",
        midi_transport_send = "MIDI_TRANSPORT_SEND",
        midi_transport_receive = "MIDI_TRANSPORT_RECEIVE",
        midi_program_change_send = "MIDI_PROGRAM_CHANGE_SEND",
        midi_program_change_send_ch = "MIDI_PROGRAM_CHANGE_SEND_CH",
        midi_program_change_receive = "MIDI_PROGRAM_CHANGE_RECEIVE",
        midi_program_change_receive_ch = "MIDI_PROGRAM_CHANGE_RECEIVE_CH",
        midi_trig_ch1 = "MIDI_TRIG_CH1",
        midi_trig_ch2 = "MIDI_TRIG_CH2",
        midi_trig_ch3 = "MIDI_TRIG_CH3",
        midi_trig_ch4 = "MIDI_TRIG_CH4",
        midi_trig_ch5 = "MIDI_TRIG_CH5",
        midi_trig_ch6 = "MIDI_TRIG_CH6",
        midi_trig_ch7 = "MIDI_TRIG_CH7",
        midi_trig_ch8 = "MIDI_TRIG_CH8",
        midi_auto_channel = "MIDI_AUTO_CHANNEL",
        midi_soft_thru = "MIDI_SOFT_THRU",
        midi_audio_trk_cc_in = "MIDI_AUDIO_TRK_CC_IN",
        midi_audio_trk_cc_out = "MIDI_AUDIO_TRK_CC_OUT",
        midi_audio_trk_note_in = "MIDI_AUDIO_TRK_NOTE_IN",
        midi_audio_trk_note_out = "MIDI_AUDIO_TRK_NOTE_OUT",
        midi_midi_trk_cc_in = "MIDI_MIDI_TRK_CC_IN",
        pattern_change_chain_behavior = "PATTERN_CHANGE_CHAIN_BEHAVIOR",
        pattern_change_auto_silence_tracks = "PATTERN_CHANGE_AUTO_SILENCE_TRACKS",
        pattern_change_auto_trig_lfos = "PATTERN_CHANGE_AUTO_TRIG_LFOS",
        load_24bit_flex = "LOAD_24BIT_FLEX",
        dynamic_recorders = "DYNAMIC_RECORDERS",
        record_24bit = "RECORD_24BIT",
        reserved_recorder_count = "RESERVED_RECORDER_COUNT",
        reserved_recorder_length = "RESERVED_RECORDER_LENGTH",
        input_delay_compensation = "INPUT_DELAY_COMPENSATION",
        gate_ab = "GATE_AB",
        gate_cd = "GATE_CD",
        gain_ab = "GAIN_AB",
        gain_cd = "GAIN_CD",
        dir_ab = "DIR_AB",
        dir_cd = "DIR_CD",
        phones_mix = "PHONES_MIX",
        main_to_cue = "MAIN_TO_CUE",
        master_track = "MASTER_TRACK",
        cue_studio_mode = "CUE_STUDIO_MODE",
        main_level = "MAIN_LEVEL",
        cue_level = "CUE_LEVEL",
        metronome_time_signature = "METRONOME_TIME_SIGNATURE",
        metronome_time_signature_denominator = "METRONOME_TIME_SIGNATURE_DENOMINATOR",
        metronome_preroll = "METRONOME_PREROLL",
        metronome_cue_volume = "METRONOME_CUE_VOLUME",
        metronome_main_volume = "METRONOME_MAIN_VOLUME",
        metronome_pitch = "METRONOME_PITCH",
        metronome_tonal = "METRONOME_TONAL",
        metronome_enabled = "METRONOME_ENABLED",
    }
);

section_struct!(
    /// The `[STATES]` values (what was selected when the project was saved), by name.
    States,
    "STATES",
    {
        bank = "BANK",
        pattern = "PATTERN",
        arrangement = "ARRANGEMENT",
        arrangement_mode = "ARRANGEMENT_MODE",
        part = "PART",
        track = "TRACK",
        track_othermode = "TRACK_OTHERMODE",
        scene_a_mute = "SCENE_A_MUTE",
        scene_b_mute = "SCENE_B_MUTE",
        track_cue_mask = "TRACK_CUE_MASK",
        track_mute_mask = "TRACK_MUTE_MASK",
        track_solo_mask = "TRACK_SOLO_MASK",
        midi_track_mute_mask = "MIDI_TRACK_MUTE_MASK",
        midi_track_solo_mask = "MIDI_TRACK_SOLO_MASK",
        midi_mode = "MIDI_MODE",
    }
);

/// A parsed and validated `project.work`. The lines are kept as read; see the module docs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Project {
    text: ProjectText,
}

impl Project {
    /// Parses and validates a whole file.
    pub fn parse(bytes: &[u8]) -> Result<Project, OtError> {
        Project::from_text(ProjectText::parse(bytes)?)
    }

    /// Validates an already parsed line layer.
    pub fn from_text(text: ProjectText) -> Result<Project, OtError> {
        let meta = text.section("META").ok_or_else(|| {
            text_error(1, 1, "no [META] section: this is not an Octatrack project file (project.work)".into())
        })?;
        match meta.get("TYPE") {
            Some(l) if l.value() == Some(PROJECT_TYPE.as_bytes()) => {}
            Some(l) => {
                return Err(text_error(
                    l.number,
                    l.value_column(),
                    format!(
                        "[META] TYPE is `{}`, expected `{PROJECT_TYPE}`",
                        String::from_utf8_lossy(l.value().unwrap_or_default())
                    ),
                ));
            }
            None => return Err(text_error(meta.open.number, 1, "[META] has no TYPE= line".into())),
        }
        if let Some(l) = meta.get("VERSION") {
            int_at(l, "VERSION")?;
        }
        for name in ["SETTINGS", "STATES"] {
            for s in text.sections().filter(|s| s.name == name) {
                for line in s.entries() {
                    let key = line.key().unwrap_or_default();
                    let known = match name {
                        "SETTINGS" => DEFAULT_SETTINGS.iter().any(|(k, _)| k.as_bytes() == key),
                        _ => STATE_KEYS.iter().any(|k| k.as_bytes() == key),
                    };
                    if known {
                        int_at(line, &String::from_utf8_lossy(key))?;
                    }
                }
            }
        }
        let mut seen: Vec<(SlotType, u16, usize)> = Vec::new();
        for s in text.sections().filter(|s| s.name == "SAMPLE") {
            let slot = sample_from_section(s)?;
            if let Some((_, _, first)) = seen.iter().find(|(t, n, _)| *t == slot.slot_type && *n == slot.slot) {
                return Err(text_error(
                    s.open.number,
                    1,
                    format!(
                        "{} slot {} is listed twice (first at line {first}); remove one block",
                        slot.slot_type.describe(),
                        slot.slot
                    ),
                ));
            }
            seen.push((slot.slot_type, slot.slot, s.open.number));
        }
        Ok(Project { text })
    }

    /// A new OS 1.40B project, as the device writes it: default settings, states 0, the eight
    /// empty recorder buffers. Byte-identical to a blank project made on the device.
    pub fn new_default() -> Project {
        let meta: Vec<(&str, Vec<u8>)> = DEFAULT_META.iter().map(|(k, v)| (*k, v.as_bytes().to_vec())).collect();
        let mut settings: Vec<(&str, Vec<u8>)> =
            DEFAULT_SETTINGS.iter().map(|(k, v)| (*k, v.to_string().into_bytes())).collect();
        for _ in 1..MIDI_TRACKS {
            settings.push(("TRIG_MODE_MIDI", b"0".to_vec()));
        }
        let states: Vec<(&str, Vec<u8>)> = STATE_KEYS.iter().map(|k| (*k, b"0".to_vec())).collect();
        let samples: Vec<Vec<(&str, Vec<u8>)>> = (1..=8).map(|n| SampleSlot::recorder_buffer(n).entries()).collect();
        Project { text: canonical_text(&meta, &settings, &states, &samples) }
    }

    /// The file bytes.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.text.to_bytes()
    }

    /// The line layer (read-only: edits go through the typed setters so the file stays valid).
    pub fn text(&self) -> &ProjectText {
        &self.text
    }

    /// The `[META]` values.
    pub fn meta(&self) -> Meta {
        let m = self.text.section("META");
        let get = |k: &str| m.and_then(|s| s.get(k)).and_then(Line::value);
        Meta {
            project_type: String::from_utf8_lossy(get("TYPE").unwrap_or_default()).into_owned(),
            version: get("VERSION").and_then(parse_int),
            os_version: get("OS_VERSION").map(|v| String::from_utf8_lossy(v).into_owned()),
        }
    }

    /// The OS release from `OS_VERSION` (`1.40B` from `R0177     1.40B`): its last
    /// space-separated word.
    pub fn os_release(&self) -> Option<String> {
        self.meta().os_version.and_then(|v| v.split_whitespace().last().map(str::to_string))
    }

    /// The value of the first `[SETTINGS]` line with this key, as bytes.
    pub fn setting_raw(&self, key: &str) -> Option<&[u8]> {
        self.text.section("SETTINGS")?.get(key)?.value()
    }

    /// The first `[SETTINGS]` line with this key, as an integer.
    pub fn setting(&self, key: &str) -> Option<i64> {
        self.setting_raw(key).and_then(parse_int)
    }

    /// Sets an integer setting (appending the line when missing). `TRIG_MODE_MIDI` has its own
    /// setter ([`Project::set_trig_mode_midi`]). Only that line changes.
    pub fn set_setting(&mut self, key: &str, value: i64) -> Result<(), OtError> {
        if key == "TRIG_MODE_MIDI" {
            return Err(OtError::Invalid {
                field: key.into(),
                message: "TRIG_MODE_MIDI is repeated once per MIDI track: use set_trig_mode_midi".into(),
            });
        }
        check_key(key)?;
        self.section_or_err("SETTINGS")?.set(key, value.to_string().as_bytes());
        Ok(())
    }

    /// The documented `[SETTINGS]` values, by name.
    pub fn settings(&self) -> Settings {
        Settings::read(self)
    }

    /// Writes every `Some` field of `settings` that differs from the file: only those lines
    /// change (a missing line is appended to the section).
    pub fn set_settings(&mut self, settings: &Settings) -> Result<(), OtError> {
        settings.write(self)
    }

    /// The `[STATES]` values, by name.
    pub fn states(&self) -> States {
        States::read(self)
    }

    /// Writes every `Some` field of `states` that differs from the file (only those lines change).
    pub fn set_states(&mut self, states: &States) -> Result<(), OtError> {
        states.write(self)
    }

    /// Project tempo × 24 (`TEMPOx24`).
    pub fn tempo_x24(&self) -> Option<i64> {
        self.setting("TEMPOx24")
    }

    /// Project tempo in BPM (`TEMPOx24 / 24`).
    pub fn tempo_bpm(&self) -> Option<f64> {
        self.tempo_x24().map(|t| t as f64 / 24.0)
    }

    /// Sets the tempo in BPM, stored as `round(bpm × 24)`. The device range is 30-300 BPM.
    pub fn set_tempo_bpm(&mut self, bpm: f64) -> Result<(), OtError> {
        if !(30.0..=300.0).contains(&bpm) {
            return Err(OtError::Invalid {
                field: "tempo".into(),
                message: format!("{bpm} BPM is outside the Octatrack's 30-300 BPM"),
            });
        }
        self.set_setting("TEMPOx24", (bpm * 24.0).round() as i64)
    }

    /// The `TRIG_MODE_MIDI` values, one per line in order (MIDI tracks 1..8).
    pub fn trig_mode_midi(&self) -> Vec<i64> {
        self.text
            .section("SETTINGS")
            .map(|s| s.get_all("TRIG_MODE_MIDI").filter_map(|l| l.value().and_then(parse_int)).collect())
            .unwrap_or_default()
    }

    /// Sets `TRIG_MODE_MIDI` of MIDI track `track` (1..=8): the `track`-th such line.
    pub fn set_trig_mode_midi(&mut self, track: usize, value: i64) -> Result<(), OtError> {
        let bad = || OtError::Invalid {
            field: format!("TRIG_MODE_MIDI track {track}"),
            message: "no such line: MIDI tracks are 1-8 and the file has one TRIG_MODE_MIDI line per track".into(),
        };
        let idx = track.checked_sub(1).ok_or_else(bad)?;
        let s = self.section_or_err("SETTINGS")?;
        let line = s.body.iter_mut().filter(|l| l.key() == Some(&b"TRIG_MODE_MIDI"[..])).nth(idx).ok_or_else(bad)?;
        line.set_value(value.to_string().as_bytes());
        Ok(())
    }

    /// A `[STATES]` value.
    pub fn state(&self, key: &str) -> Option<i64> {
        self.text.section("STATES")?.get(key)?.value().and_then(parse_int)
    }

    /// Sets a `[STATES]` value (appending the line when missing).
    pub fn set_state(&mut self, key: &str, value: i64) -> Result<(), OtError> {
        check_key(key)?;
        self.section_or_err("STATES")?.set(key, value.to_string().as_bytes());
        Ok(())
    }

    fn section_or_err(&mut self, name: &str) -> Result<&mut Section, OtError> {
        self.text.section_mut(name).ok_or_else(|| OtError::Invalid {
            field: format!("[{name}]"),
            message: "the file has no such section".into(),
        })
    }

    /// Every sample slot, in file order.
    pub fn samples(&self) -> Vec<SampleSlot> {
        // Every block was validated by `from_text` and setters keep them valid.
        self.text.sections().filter(|s| s.name == "SAMPLE").filter_map(|s| sample_from_section(s).ok()).collect()
    }

    /// Type and number of every `[SAMPLE]` block, in file order (the order of [`Project::samples`]).
    fn sample_keys(&self) -> Vec<Option<(SlotType, u16)>> {
        self.text.sections().filter(|s| s.name == "SAMPLE").map(slot_key).collect()
    }

    /// The index (file order, as used by [`Project::set_sample_at`]) of a slot's block.
    pub fn sample_index(&self, slot_type: SlotType, slot: u16) -> Option<usize> {
        self.sample_keys().iter().position(|k| *k == Some((slot_type, slot)))
    }

    /// One slot.
    pub fn sample(&self, slot_type: SlotType, slot: u16) -> Option<SampleSlot> {
        // Every block was validated by `from_text` and setters keep them valid.
        self.text
            .sections()
            .filter(|s| s.name == "SAMPLE")
            .find(|s| slot_key(s) == Some((slot_type, slot)))
            .and_then(|s| sample_from_section(s).ok())
    }

    /// Indices in `nodes` of the `[SAMPLE]` sections, in order.
    fn sample_nodes(&self) -> Vec<usize> {
        self.text
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| matches!(n, Node::Section(s) if s.name == "SAMPLE"))
            .map(|(i, _)| i)
            .collect()
    }

    /// Replaces the `index`-th sample block (file order) by `slot`, rewriting only the lines
    /// whose values differ. A zero-padded `SLOT=001` stays padded.
    pub fn set_sample_at(&mut self, index: usize, slot: &SampleSlot) -> Result<(), OtError> {
        slot.check_range()?;
        let nodes = self.sample_nodes();
        if let Some(other) =
            self.sample_keys().iter().enumerate().find(|(i, k)| *i != index && **k == Some((slot.slot_type, slot.slot)))
        {
            return Err(OtError::Invalid {
                field: format!("{} slot {}", slot.slot_type.describe(), slot.slot),
                message: format!("already used by sample block {}", other.0 + 1),
            });
        }
        let Some(Node::Section(section)) = nodes.get(index).and_then(|&i| self.text.nodes.get_mut(i)) else {
            return Err(OtError::Invalid {
                field: format!("sample block {}", index + 1),
                message: "no such block".into(),
            });
        };
        let Ok(current) = sample_from_section(section) else {
            return Err(OtError::Invalid {
                field: format!("sample block {}", index + 1),
                message: "invalid block".into(),
            });
        };
        edit_sample_section(section, &current, slot);
        Ok(())
    }

    /// Sets a slot: edits the block with the same type and number, or inserts a new block where
    /// the device would list it (Flex before Static, by slot number).
    pub fn set_sample(&mut self, slot: &SampleSlot) -> Result<(), OtError> {
        slot.check_range()?;
        let keys = self.sample_keys();
        let key = (slot.slot_type, slot.slot);
        if let Some(i) = keys.iter().position(|k| *k == Some(key)) {
            return self.set_sample_at(i, slot);
        }
        let nodes = self.sample_nodes();
        let mut section = Section::new("SAMPLE");
        for (k, v) in slot.entries() {
            section.set(k, &v);
        }
        let blank = || Node::Line(Line { text: Vec::new(), eol: Eol::CrLf, number: 0 });
        let later = keys.iter().position(|k| k.is_some_and(|k| k > key));
        match (later.and_then(|i| nodes.get(i)), nodes.last()) {
            (Some(&at), _) => {
                self.text.nodes.splice(at..at, [Node::Section(section), blank()]);
            }
            (None, Some(&last)) => {
                self.text.nodes.splice(last + 1..last + 1, [blank(), Node::Section(section)]);
            }
            (None, None) => {
                // No blocks yet: before the closing banner that ends the samples part, if any.
                let last_section = self.text.nodes.iter().rposition(|n| matches!(n, Node::Section(_)));
                let at = self
                    .text
                    .nodes
                    .iter()
                    .enumerate()
                    .skip(last_section.map_or(0, |i| i + 1))
                    .filter(|(_, n)| matches!(n, Node::Line(l) if l.text.starts_with(b"#")))
                    .map(|(i, _)| i)
                    .next_back()
                    .unwrap_or(self.text.nodes.len());
                self.text.nodes.splice(at..at, [Node::Section(section), blank()]);
            }
        }
        Ok(())
    }

    /// Removes the `index`-th sample block and the blank line after it. Returns false when
    /// there is no such block.
    pub fn remove_sample_at(&mut self, index: usize) -> bool {
        let Some(&at) = self.sample_nodes().get(index) else {
            return false;
        };
        let blank_after = matches!(self.text.nodes.get(at + 1), Some(Node::Line(l)) if l.text.is_empty());
        self.text.nodes.drain(at..if blank_after { at + 2 } else { at + 1 });
        true
    }

    /// Removes a slot. Returns false when it is not listed.
    pub fn remove_sample(&mut self, slot_type: SlotType, slot: u16) -> bool {
        match self.samples().iter().position(|s| s.slot_type == slot_type && s.slot == slot) {
            Some(i) => self.remove_sample_at(i),
            None => false,
        }
    }

    /// Sets (or appends) a raw `KEY=VALUE` in a section, removing nothing else; for the human
    /// layer's overlay. The result is validated: on error nothing changes.
    pub fn set_raw_occurrence(
        &mut self,
        section: &str,
        key: &str,
        occurrence: usize,
        value: &[u8],
    ) -> Result<(), OtError> {
        check_key(key)?;
        let mut copy = self.text.clone();
        let s = copy.section_mut(section).ok_or_else(|| OtError::Invalid {
            field: format!("[{section}]"),
            message: "the file has no such section".into(),
        })?;
        match s.body.iter_mut().filter(|l| l.key() == Some(key.as_bytes())).nth(occurrence) {
            Some(line) => {
                line.set_value(value);
            }
            None => {
                let mut text = key.as_bytes().to_vec();
                text.push(b'=');
                text.extend_from_slice(value);
                let eol = s.open.eol;
                s.body.push(Line { text, eol, number: 0 });
            }
        }
        if breaks_line(value) {
            return Err(OtError::Invalid { field: key.into(), message: "a value cannot contain a line break".into() });
        }
        *self = Project::from_text(copy)?;
        Ok(())
    }

    /// Removes the `occurrence`-th `key` line of a section; false when there is none.
    pub fn remove_raw_occurrence(&mut self, section: &str, key: &str, occurrence: usize) -> bool {
        let Some(s) = self.text.section_mut(section) else {
            return false;
        };
        let Some(pos) =
            s.body.iter().enumerate().filter(|(_, l)| l.key() == Some(key.as_bytes())).map(|(i, _)| i).nth(occurrence)
        else {
            return false;
        };
        s.body.remove(pos);
        true
    }

    /// The differences from `other`, one readable line each ("tempo 120 -> 128",
    /// "flex slot 3: path a.wav -> b.wav"); empty when the two mean the same.
    pub fn differences(&self, other: &Project) -> Vec<String> {
        let mut out = Vec::new();
        let (ma, mb) = (self.meta(), other.meta());
        if ma.os_version != mb.os_version {
            out.push(format!("os version {:?} -> {:?}", ma.os_version, mb.os_version));
        }
        if ma.version != mb.version {
            out.push(format!("version {:?} -> {:?}", ma.version, mb.version));
        }
        for name in ["SETTINGS", "STATES"] {
            let lines = |p: &Project| -> Vec<(String, usize, String)> {
                let mut v: Vec<(String, usize, String)> = Vec::new();
                for s in p.text.sections().filter(|s| s.name == name) {
                    for l in s.entries() {
                        let k = String::from_utf8_lossy(l.key().unwrap_or_default()).into_owned();
                        let n = v.iter().filter(|(kk, _, _)| *kk == k).count();
                        v.push((k, n, String::from_utf8_lossy(l.value().unwrap_or_default()).into_owned()));
                    }
                }
                v
            };
            let (la, lb) = (lines(self), lines(other));
            let label = |k: &str, n: usize| {
                if k == "TRIG_MODE_MIDI" { format!("{k} (MIDI track {})", n + 1) } else { k.to_string() }
            };
            for (k, n, va) in &la {
                match lb.iter().find(|(kb, nb, _)| kb == k && nb == n) {
                    Some((_, _, vb)) if vb == va => {}
                    Some((_, _, vb)) if k == "TEMPOx24" => {
                        let bpm = |v: &str| parse_int(v.as_bytes()).map_or(v.to_string(), fmt_bpm);
                        out.push(format!("tempo {} -> {}", bpm(va), bpm(vb)));
                    }
                    Some((_, _, vb)) => out.push(format!("{} {}: {va} -> {vb}", name.to_lowercase(), label(k, *n))),
                    None => out.push(format!("{} {}: removed (was {va})", name.to_lowercase(), label(k, *n))),
                }
            }
            for (k, n, vb) in &lb {
                if !la.iter().any(|(ka, na, _)| ka == k && na == n) {
                    out.push(format!("{} {}: added ({vb})", name.to_lowercase(), label(k, *n)));
                }
            }
        }
        let (sa, sb) = (self.samples(), other.samples());
        for a in &sa {
            let name = format!("{} slot {}", a.slot_type.describe(), a.slot);
            match sb.iter().find(|b| b.slot_type == a.slot_type && b.slot == a.slot) {
                None => out.push(format!("{name}: removed (was {})", a.path_lossy())),
                Some(b) => {
                    let fields = |s: &SampleSlot| {
                        [
                            ("path", s.path_lossy()),
                            ("timing", fmt_timing(&s.timing)),
                            ("tsmode", fmt_opt(s.tsmode)),
                            ("loopmode", fmt_opt(s.loopmode)),
                            ("gain", fmt_opt(s.gain)),
                            ("trig quantization", fmt_opt(s.trig_quantization)),
                        ]
                    };
                    for ((field, va), (_, vb)) in fields(a).into_iter().zip(fields(b)) {
                        if va != vb {
                            out.push(format!("{name}: {field} {va} -> {vb}"));
                        }
                    }
                }
            }
        }
        for b in &sb {
            if !sa.iter().any(|a| a.slot_type == b.slot_type && a.slot == b.slot) {
                out.push(format!("{} slot {}: added ({})", b.slot_type.describe(), b.slot, b.path_lossy()));
            }
        }
        out
    }
}

/// BPM × 24 as a readable BPM (`120`, `120.5`).
pub fn fmt_bpm(x24: i64) -> String {
    if x24 % 24 == 0 { (x24 / 24).to_string() } else { format!("{}", x24 as f64 / 24.0) }
}

fn fmt_opt(v: Option<i64>) -> String {
    v.map_or_else(|| "(none)".to_string(), |v| v.to_string())
}

fn fmt_timing(t: &[SampleTiming]) -> String {
    if t.is_empty() {
        return "(none)".into();
    }
    t.iter()
        .map(|t| match *t {
            SampleTiming::BpmX24(v) => format!("{} BPM", fmt_bpm(v)),
            SampleTiming::TrimBarsX100(v) => format!("{} bars", v as f64 / 100.0),
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

/// Whether a line key is a timing key (`BPMx24`, `TRIM_BARSx100`).
fn is_timing_key(key: Option<&[u8]>) -> bool {
    matches!(key, Some(b"BPMx24") | Some(b"TRIM_BARSx100"))
}

/// Rewrites the lines of `section` (currently `current`) that differ from `new`.
fn edit_sample_section(section: &mut Section, current: &SampleSlot, new: &SampleSlot) {
    if current.slot_type != new.slot_type {
        section.set("TYPE", new.slot_type.as_str().as_bytes());
    }
    if current.slot != new.slot {
        let padded =
            section.get("SLOT").and_then(Line::value).is_some_and(|v| v.len() >= 3 && v.first() == Some(&b'0'))
                || new.slot >= 100;
        let text = if padded { format!("{:03}", new.slot) } else { new.slot.to_string() };
        section.set("SLOT", text.as_bytes());
    }
    if current.path != new.path {
        section.set("PATH", &new.path);
    }
    if current.timing != new.timing {
        // The new timing lines take the place of the old ones (or follow PATH): every timing
        // key the new slot has, in its order, and none it lacks.
        let first = section.body.iter().position(|l| is_timing_key(l.key()));
        section.body.retain(|l| !is_timing_key(l.key()));
        let at = first
            .map(|p| p.min(section.body.len()))
            .unwrap_or_else(|| section.body.iter().position(|l| l.key() == Some(b"PATH")).map_or(0, |p| p + 1));
        let eol = section.open.eol;
        let lines =
            new.timing.iter().map(|t| Line { text: format!("{}={}", t.key(), t.value()).into_bytes(), eol, number: 0 });
        section.body.splice(at..at, lines);
    }
    for (key, a, b) in [
        ("TSMODE", current.tsmode, new.tsmode),
        ("LOOPMODE", current.loopmode, new.loopmode),
        ("GAIN", current.gain, new.gain),
        ("TRIGQUANTIZATION", current.trig_quantization, new.trig_quantization),
    ] {
        if a != b {
            match b {
                Some(v) => section.set(key, v.to_string().as_bytes()),
                None => section.body.retain(|l| l.key() != Some(key.as_bytes())),
            }
        }
    }
}

/// Lays out a project as the device does: banners, `[META]`, `[SETTINGS]`, `[STATES]`, the
/// `[SAMPLE]` blocks each followed by a blank line, and the closing banner; CRLF throughout.
pub fn canonical_text(
    meta: &[(&str, Vec<u8>)],
    settings: &[(&str, Vec<u8>)],
    states: &[(&str, Vec<u8>)],
    samples: &[Vec<(&str, Vec<u8>)>],
) -> ProjectText {
    let mut nodes = Vec::new();
    let line = |t: &str| Node::Line(Line::new(t));
    let section = |name: &str, entries: &[(&str, Vec<u8>)]| {
        let mut s = Section::new(name);
        for (k, v) in entries {
            let mut text = k.as_bytes().to_vec();
            text.push(b'=');
            text.extend_from_slice(v);
            s.body.push(Line::new(text));
        }
        Node::Section(s)
    };
    nodes.extend([line(BANNER), line("# Project Settings"), line(BANNER), line("")]);
    nodes.extend([section("META", meta), line(""), section("SETTINGS", settings), line("")]);
    nodes.extend([line(BANNER), line("# Project States"), line(BANNER), line("")]);
    nodes.extend([section("STATES", states), line("")]);
    nodes.extend([line(BANNER), line("# Samples"), line(BANNER), line("")]);
    for s in samples {
        nodes.extend([section("SAMPLE", s), line("")]);
    }
    nodes.extend([line(BANNER), line("")]);
    ProjectText { nodes }
}

#[cfg(test)]
#[path = "project_tests.rs"]
mod tests;
