//! The one table of parameter names: p-locks, scene locks and part pages, by page and by the
//! machine or FX type of the track. `groovekit inspect`, `dump`, `diff` and the typed API
//! ([`crate::model::bank`]) all name parameters through this module, so a name means the same
//! byte everywhere.
//!
//! A 32-byte audio lock record (a step's p-locks, or one track of a scene) holds, in order: the
//! machine's SRC page (6), LFO (6), AMP (6), FX1 (6), FX2 (6), one more slot byte (kept
//! raw) and the sample lock. Names are `page.param` in lower case with the device's abbreviations: `src.strt`,
//! `amp.vol`, `fx1.base`, `lfo.dep2`. The SRC names follow the track's machine and the FX names the
//! track's FX type in the pattern's part; a position with no name for that machine or type (or an
//! FX id without an undisputed name) is `src.p3`, `fx1.p5`, ..., and those generic names are also
//! accepted for any machine.
//!
//! Name evidence: the Octatrack manual's page abbreviations; the per-machine and per-FX positions
//! agree with octapy `octapy/api/core/_page.py` (`SRC_PARAM_NAMES`, `FX_PARAM_NAMES`, commit
//! be02e0a), which spells them out in words.

use crate::OtError;
use crate::raw::part::MachineType;
use crate::raw::pattern::{NO_LOCK, PLOCK_SIZE};

/// Byte of the audio lock record that holds the sample lock (0-based slot, 255 = none): the
/// last byte, for Flex and Static machines alike; the pool (Flex or Static) is the track's
/// machine in the pattern's part.
///
/// Decided from device files first: the device-made bank
/// `fixtures/octatrack/bank-copy/BANK-COPY-SRC/bank01.work` (and its `.strd`, and the DEST bank)
/// holds 40 sample locks, every one in byte 31 (values 1 and 126), on Flex and Static tracks alike,
/// and byte 30 is 255 in every record (test `sample_locks_of_the_device_bank_are_in_byte_31` in
/// `tests/bank.rs`). The peers agree once their field order is read: ot-tools-io 0.11.3 declares
/// `static_slot_id` then `flex_slot_id` at the end of its lock record (so `flex_slot_id` is byte
/// 31), and davidferlay/octatrack-manager `src-tauri/src/project_reader.rs` reads every sample lock
/// from `flex_slot_id` "for both machine types; the pool is decided by the track's machine type in
/// the pattern's assigned part" (`compute_sample_usage`). Reference §10 said byte 30; the device
/// file disagrees. Byte 30 keeps its raw value under the name [`BYTE30`].
pub const SAMPLE_LOCK: usize = 31;
/// The other slot byte of the audio lock record (`static_slot_id` in ot-tools-io 0.11.3), never
/// seen set in a device file. Kept raw under this name.
pub const BYTE30: &str = "byte30";
/// The fields of a 32-byte lock record a scene can lock: the first 30 (SRC, LFO, AMP, FX1, FX2
/// pages). Bytes 30 and 31 (the sample lock of a step record) are not scene locks: octapy
/// `octapy/_io/bank.py` (`SceneParamsOffset`, commit be02e0a) names offsets
/// 0-29 of a scene track and calls 30-31 "Unknown/reserved", and in every device bank fixture
/// bytes 30 and 31 of all 16 × 8 scene records of all 8 part copies are 255 (test
/// `scene_bytes_30_31_are_never_set_on_the_device` in `tests/bank.rs`).
pub const SCENE_LOCK_FIELDS: usize = 30;
/// The name of the sample lock in documents and the API; shown as the slot number 1-128.
pub const SAMPLE: &str = "sample";

/// SRC page names of Flex and Static machines.
pub const SAMPLER_SRC: [Option<&str>; 6] =
    [Some("ptch"), Some("strt"), Some("len"), Some("rate"), Some("rtrg"), Some("rtim")];
/// SRC page names of the Thru machine (positions 3 and 6 unused, as octapy).
pub const THRU_SRC: [Option<&str>; 6] = [Some("inab"), Some("vol_ab"), None, Some("incd"), Some("vol_cd"), None];
/// SRC page of the Neighbor machine: no parameters.
pub const NEIGHBOR_SRC: [Option<&str>; 6] = [None; 6];
/// SRC page names of the Pickup machine.
pub const PICKUP_SRC: [Option<&str>; 6] = [Some("ptch"), Some("dir"), Some("len"), None, Some("gain"), Some("op")];
/// LFO page (speeds and depths of LFO 1-3).
pub const LFO: [&str; 6] = ["spd1", "spd2", "spd3", "dep1", "dep2", "dep3"];
/// AMP page. The sixth byte has no name on the device page (octapy: unused); kept as `amp.f`, the
/// name the octatools snapshot gave it.
pub const AMP: [&str; 6] = ["atk", "hold", "rel", "vol", "bal", "f"];

/// The SRC page names of a machine.
pub fn src_names(machine: Option<MachineType>) -> [Option<&'static str>; 6] {
    match machine {
        Some(MachineType::Flex | MachineType::Static) => SAMPLER_SRC,
        Some(MachineType::Thru) => THRU_SRC,
        Some(MachineType::Neighbor) => NEIGHBOR_SRC,
        Some(MachineType::Pickup) => PICKUP_SRC,
        None => [None; 6],
    }
}

/// The parameter names of an FX type id (the FX1/FX2 type byte of a part); unnamed for ids
/// without an undisputed name (see [`crate::raw::part::fx_name`]).
pub fn fx_names(fx: u8) -> [Option<&'static str>; 6] {
    let n = |a: [&'static str; 6]| a.map(|s| (!s.is_empty()).then_some(s));
    match fx {
        4 => n(["base", "width", "q", "depth", "atk", "dec"]),
        5 => n(["inp", "dpth", "width", "hp", "lp", "send"]),
        8 => n(["time", "fb", "vol", "base", "width", "send"]),
        12 => n(["frq1", "gain1", "q1", "frq2", "gain2", "q2"]),
        13 => n(["lsf", "", "hsf", "lowg", "midg", "hig"]),
        16 => n(["cntr", "dep", "spd", "fb", "wid", "mix"]),
        17 | 18 => n(["del", "dep", "spd", "fb", "wid", "mix"]),
        19 => n(["ptch", "tune", "lp", "fb", "", "mix"]),
        20 => n(["time", "damp", "gate", "hp", "lp", "mix"]),
        21 => n(["time", "", "", "hp", "lp", "mix"]),
        22 => n(["time", "shvg", "shvf", "hp", "lp", "mix"]),
        24 => n(["atk", "rel", "thrs", "rat", "gain", "mix"]),
        _ => [None; 6],
    }
}

/// What names an audio track's locks: its machine and FX types (from the part the pattern
/// plays). `AudioContext::default()` names everything generically.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AudioContext {
    /// The machine (None: unknown byte, generic SRC names).
    pub machine: Option<MachineType>,
    /// FX1 type id (0 = off).
    pub fx1: u8,
    /// FX2 type id.
    pub fx2: u8,
}

impl AudioContext {
    /// The context of audio track `t` (0-7) of a part.
    pub fn of_part<B: AsRef<[u8]>>(part: &crate::raw::part::Part<B>, t: usize) -> Self {
        Self { machine: MachineType::from_byte(part.machine(t)), fx1: part.fx1(t), fx2: part.fx2(t) }
    }
}

fn paged(page: &str, name: Option<&str>, i: usize) -> String {
    match name {
        Some(n) => format!("{page}.{n}"),
        None => format!("{page}.p{}", i + 1),
    }
}

/// The name of field `field` (0-31) of an audio lock record in `ctx`.
pub fn audio_lock_name(field: usize, ctx: &AudioContext) -> String {
    let i = field % 6;
    match field {
        0..=5 => paged("src", src_names(ctx.machine)[i], i), // ok: i < 6
        6..=11 => format!("lfo.{}", LFO[i]),                 // ok: i < 6
        12..=17 => format!("amp.{}", AMP[i]),                // ok: i < 6
        18..=23 => paged("fx1", fx_names(ctx.fx1)[i], i),    // ok: i < 6
        24..=29 => paged("fx2", fx_names(ctx.fx2)[i], i),    // ok: i < 6
        SAMPLE_LOCK => SAMPLE.to_string(),
        _ => BYTE30.to_string(),
    }
}

/// The field (0-31) an audio lock name means in `ctx`: the names of [`audio_lock_name`] and the
/// generic `src.pN`/`fx1.pN`/`fx2.pN` (case-insensitive).
pub fn audio_lock_field(name: &str, ctx: &AudioContext) -> Option<usize> {
    let name = name.trim().to_ascii_lowercase();
    (0..PLOCK_SIZE).find(|&f| audio_lock_name(f, ctx) == name).or_else(|| {
        let (page, p) = name.split_once('.')?;
        let n: usize = p.strip_prefix('p')?.parse().ok()?;
        let base = match page {
            "src" => 0,
            "fx1" => 18,
            "fx2" => 24,
            _ => return None,
        };
        (1..=6).contains(&n).then_some(base + n - 1)
    })
}

/// Every name [`audio_lock_field`] accepts in `ctx` (for error messages).
pub fn audio_lock_names(ctx: &AudioContext) -> Vec<String> {
    (0..PLOCK_SIZE).map(|f| audio_lock_name(f, ctx)).collect()
}

/// MIDI lock record names: NOTE (note, velocity, length, chord notes 2-4), LFO, ARP, CTRL1
/// (pitch bend, aftertouch, CC 1-4), CTRL2 (CC 5-10), and two unknown bytes kept raw.
pub const MIDI_LOCKS: [&str; PLOCK_SIZE] = [
    "note.note",
    "note.vel",
    "note.len",
    "note.not2",
    "note.not3",
    "note.not4",
    "lfo.spd1",
    "lfo.spd2",
    "lfo.spd3",
    "lfo.dep1",
    "lfo.dep2",
    "lfo.dep3",
    "arp.tran",
    "arp.leg",
    "arp.mode",
    "arp.spd",
    "arp.rnge",
    "arp.nlen",
    "ctrl1.pb",
    "ctrl1.at",
    "ctrl1.cc1",
    "ctrl1.cc2",
    "ctrl1.cc3",
    "ctrl1.cc4",
    "ctrl2.cc5",
    "ctrl2.cc6",
    "ctrl2.cc7",
    "ctrl2.cc8",
    "ctrl2.cc9",
    "ctrl2.cc10",
    "unknown.30",
    "unknown.31",
];

/// The name of field `field` of a MIDI lock record.
pub fn midi_lock_name(field: usize) -> &'static str {
    MIDI_LOCKS.get(field).copied().unwrap_or("unknown")
}

/// The field a MIDI lock name means (case-insensitive).
pub fn midi_lock_field(name: &str) -> Option<usize> {
    let name = name.trim().to_ascii_lowercase();
    MIDI_LOCKS.iter().position(|n| *n == name)
}

/// The value a musician sees for a stored lock byte of an audio record: the sample lock as its
/// slot number 1-128 (the device counts slots from 1), every other field as stored.
pub fn show_audio_lock(field: usize, raw: u8) -> u16 {
    if field == SAMPLE_LOCK && raw != NO_LOCK { u16::from(raw) + 1 } else { u16::from(raw) }
}

/// The byte to store for a value shown by [`show_audio_lock`]; `what` names the place for the
/// error.
pub fn store_audio_lock(field: usize, shown: u16, what: &str) -> Result<u8, OtError> {
    let bad = |m: String| OtError::Invalid { field: what.to_string(), message: m };
    if field == SAMPLE_LOCK {
        return match shown {
            1..=255 => Ok((shown - 1) as u8), // ok: 1..=255 - 1 fits
            _ => Err(bad(format!("{shown}: sample slots are 1-128 (129-136 are the recorder buffers)"))),
        };
    }
    u8::try_from(shown).map_err(|_| bad(format!("{shown}: a lock value is 0-255 (255 = no lock)")))
}

// ---------------------------------------------------------------------------------------------
// Part pages: the per-track bytes of a part, by name.

/// One page of per-track bytes of a part: track `t` (0-7) has its bytes at
/// `offset + t * stride ..` (part-relative). `names` are the device's abbreviations in lower
/// case; an empty name is a byte without a name (shown `page.pN`, N from 1). Every byte of the
/// page is a stored byte 0-255; setters accept `0..=max` (a stored value outside it is kept, and
/// only refused when changed).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PartPage {
    /// The page prefix: `flex`, `flex_setup`, `amp`, `amp_setup`, `rec`, ...
    pub page: &'static str,
    /// Part-relative offset of track 1's first byte.
    pub offset: usize,
    /// Distance between tracks.
    pub stride: usize,
    /// The names of the page's bytes, in order.
    pub names: &'static [&'static str],
    /// The highest value a setter accepts.
    pub max: u8,
}

const fn pg(page: &'static str, offset: usize, stride: usize, names: &'static [&'static str], max: u8) -> PartPage {
    PartPage { page, offset, stride, names, max }
}

const P6: &[&str] = &["", "", "", "", "", ""];
const SAMPLER_SETUP: &[&str] = &["loop", "slic", "len", "rate", "tstr", "tsns"];
const STEPS16: &[&str] = &[
    "step1", "step2", "step3", "step4", "step5", "step6", "step7", "step8", "step9", "step10", "step11", "step12",
    "step13", "step14", "step15", "step16",
];

/// The per-track pages of an audio track of a part, in file order.
///
/// Positions and evidence:
/// - SRC values (+51, 30 per track: Static, Flex, Thru, Neighbor, Pickup, 6 each) and SRC setup
///   (+483, same shape): octapy `octapy/_io/bank.py` (`PartOffset.AUDIO_TRACK_MACHINE_PARAMS_VALUES`
///   / `_SETUP`, `MachineParamsOffset`, `FlexStaticSetupOffset` LOOP SLIC LEN RATE TSTR TSNS,
///   `PickupSetupOffset` TSTR TSNS at 5-6, commit be02e0a) and ot-tools-io 0.11.3
///   `parts/tracks/audio.rs` (`AudioTrackMachinesParamsValues`/`Setup`). Thru and Neighbor have no
///   setup parameters (octapy `SRC_SETUP_PARAM_NAMES`), their bytes are kept as `pN`.
/// - LFO, AMP, FX1, FX2 values (+291, 24 per track): as the lock record ([`LFO`], [`AMP`],
///   [`fx_names`]).
/// - Setup pages (+763, 30 per track): LFO setup 1 (PMTR and WAVE of LFO 1-3), AMP setup (AMP,
///   SYNC, ATCK, FX1, FX2, one unnamed byte), FX1 setup, FX2 setup (6 bytes each, unnamed by
///   every peer), LFO setup 2 (MULT and TRIG of LFO 1-3): ot-tools-io 0.11.3
///   `AudioTrackParamsSetup { lfo_setup_1, amp, fx1, fx2, lfo_setup_2 }`, whose defaults (AMP
///   setup 1 1 0 0 0 0, FX1 setup 0 0 1 0 3 0, FX2 setup 0 1 127 1 0 0) are the bytes of the
///   device's blank bank (`fixtures/octatrack/blank-project`, test
///   `setup_pages_of_the_blank_bank_are_the_peers_defaults`).
/// - Recorder setup (+1 547, 12 per track): INAB INCD RLEN TRIG SRC3 LOOP, FIN FOUT AB QREC QPL
///   CD: octapy `RecorderSetupOffset`, ot-tools-io `RecorderSetupSources`/`Processing`
///   (RLEN 64 = MAX; QREC/QPL 255 = OFF).
/// - The LFO designer (+5 899, 16 steps per track, 0-127 above the line, 255..128 below) and its
///   interpolation mask (+6 027, 2 bytes): ot-tools-io `CustomLfoDesign`,
///   `CustomLfoInterpolationMask`.
pub const AUDIO_PART_PAGES: &[PartPage] = &[
    pg("static", 51, 30, &["ptch", "strt", "len", "rate", "rtrg", "rtim"], 127),
    pg("flex", 57, 30, &["ptch", "strt", "len", "rate", "rtrg", "rtim"], 127),
    pg("thru", 63, 30, &["inab", "vol_ab", "", "incd", "vol_cd", ""], 127),
    pg("neighbor", 69, 30, P6, 127),
    pg("pickup", 75, 30, &["ptch", "dir", "len", "", "gain", "op"], 127),
    pg("lfo", 291, 24, &["spd1", "spd2", "spd3", "dep1", "dep2", "dep3"], 127),
    pg("amp", 297, 24, &["atk", "hold", "rel", "vol", "bal", "f"], 127),
    pg("fx1", 303, 24, P6, 127),
    pg("fx2", 309, 24, P6, 127),
    pg("static_setup", 483, 30, SAMPLER_SETUP, 127),
    pg("flex_setup", 489, 30, SAMPLER_SETUP, 127),
    pg("thru_setup", 495, 30, P6, 127),
    pg("neighbor_setup", 501, 30, P6, 127),
    pg("pickup_setup", 507, 30, &["", "", "", "", "tstr", "tsns"], 127),
    pg("lfo_setup", 763, 30, &["pmtr1", "pmtr2", "pmtr3", "wave1", "wave2", "wave3"], 127),
    pg("amp_setup", 769, 30, &["amp", "sync", "atck", "fx1", "fx2", ""], 127),
    pg("fx1_setup", 775, 30, P6, 127),
    pg("fx2_setup", 781, 30, P6, 127),
    pg("lfo_setup", 787, 30, &["mult1", "mult2", "mult3", "trig1", "trig2", "trig3"], 127),
    pg(
        "rec",
        1_547,
        12,
        &["inab", "incd", "rlen", "trig", "src3", "loop", "fin", "fout", "ab", "qrec", "qpl", "cd"],
        255,
    ),
    pg("lfo_design", 5_899, 16, STEPS16, 255),
    pg("lfo_design", 6_027, 2, &["interp1", "interp2"], 255),
];

/// The per-track pages of a MIDI track of a part, in file order.
///
/// Positions: octapy `octapy/_io/bank.py` (`MidiTrackValuesOffset`, `MidiTrackSetupOffset`,
/// `MidiPartOffset`) and ot-tools-io 0.11.3 `MidiTrackParamsValues`/`MidiTrackParamsSetup`
/// (NOTE setup: CHAN BANK PROG, SBANK; ARP setup: LEN and KEY; CTRL setup: the CC numbers;
/// LFO setup 1 and 2 as audio tracks), the LFO designer (+6 043), its interpolation mask
/// (+6 171), the arpeggiator's mute mask (+6 187) and sequence (+6 203).
/// `note_setup.chan` is shown 1-16 (stored 0-15); bank/prog/sbank 128 = off.
pub const MIDI_PART_PAGES: &[PartPage] = &[
    pg("note", 1_003, 32, &["note", "vel", "len", "not2", "not3", "not4"], 127),
    pg("lfo", 1_009, 32, &["spd1", "spd2", "spd3", "dep1", "dep2", "dep3"], 127),
    pg("arp", 1_015, 32, &["tran", "leg", "mode", "spd", "rnge", "nlen"], 127),
    pg("ctrl1", 1_021, 32, &["pb", "at", "cc1", "cc2", "cc3", "cc4"], 127),
    pg("ctrl2", 1_027, 32, &["cc5", "cc6", "cc7", "cc8", "cc9", "cc10"], 127),
    pg("unknown", 1_033, 32, &["30", "31"], 255),
    pg("note_setup", 1_259, 36, &["chan", "bank", "prog", "", "sbank", ""], 128),
    pg("lfo_setup", 1_265, 36, &["pmtr1", "pmtr2", "pmtr3", "wave1", "wave2", "wave3"], 127),
    pg("arp_setup", 1_271, 36, &["", "", "len", "", "", "key"], 127),
    pg("ctrl1_setup", 1_277, 36, &["", "", "cc1", "cc2", "cc3", "cc4"], 127),
    pg("ctrl2_setup", 1_283, 36, &["cc5", "cc6", "cc7", "cc8", "cc9", "cc10"], 127),
    pg("lfo_setup", 1_289, 36, &["mult1", "mult2", "mult3", "trig1", "trig2", "trig3"], 127),
    pg("lfo_design", 6_043, 16, STEPS16, 255),
    pg("lfo_design", 6_171, 2, &["interp1", "interp2"], 255),
    pg("arp_seq", 6_187, 2, &["mute1", "mute2"], 255),
    pg(
        "arp_seq",
        6_203,
        16,
        &[
            "note1", "note2", "note3", "note4", "note5", "note6", "note7", "note8", "note9", "note10", "note11",
            "note12", "note13", "note14", "note15", "note16",
        ],
        255,
    ),
];

/// Names whose value is shown from 1 (stored 0-based): the MIDI channel.
pub const SHOWN_FROM_1: &[&str] = &["note_setup.chan"];

/// Names with a narrower range than their page: the MIDI channel (stored 0-15).
pub const NAME_MAX: &[(&str, u8)] = &[("note_setup.chan", 15)];

/// One named byte of a part track: its name in a context, where it is and what a setter
/// accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartParam {
    /// `page.name` (`flex.ptch`, `amp_setup.sync`, `rec.rlen`, `fx1.base`).
    pub name: String,
    /// Index in the table order (0.. over every byte of every page).
    pub index: usize,
    /// Part-relative offset of the byte for track 1.
    pub offset: usize,
    /// Distance between tracks.
    pub stride: usize,
    /// The highest stored value a setter accepts.
    pub max: u8,
}

impl PartParam {
    /// The part-relative offset of this byte for track `t` (0-7).
    pub fn at(&self, t: usize) -> usize {
        self.offset + t * self.stride
    }

    /// The value shown for a stored byte.
    pub fn show(&self, raw: u8) -> u16 {
        u16::from(raw) + u16::from(SHOWN_FROM_1.contains(&self.name.as_str()))
    }

    /// The byte stored for a shown value, validated (`place` names the error's place).
    pub fn store(&self, shown: u16, place: &str) -> Result<u8, OtError> {
        let shift = u16::from(SHOWN_FROM_1.contains(&self.name.as_str()));
        let lo = shift;
        let hi = u16::from(self.max) + shift;
        if !(lo..=hi).contains(&shown) {
            return Err(OtError::Invalid {
                field: place.to_string(),
                message: format!("{} {shown}: must be {lo}-{hi}", self.name),
            });
        }
        Ok((shown - shift) as u8) // ok: shown - shift <= max <= 255
    }
}

/// Every named byte of `pages` (audio: [`AUDIO_PART_PAGES`], MIDI: [`MIDI_PART_PAGES`]) in table
/// order, named for `ctx` (the FX pages follow the track's FX types; `ctx` is ignored for MIDI
/// pages).
pub fn part_params(pages: &[PartPage], ctx: &AudioContext) -> Vec<PartParam> {
    let mut out = Vec::new();
    let mut first = 0;
    for p in pages {
        out.extend(page_params(p, ctx, first));
        first += p.names.len();
    }
    out
}

/// The named bytes of one page of a table, numbered from `first` (the count of bytes of the
/// pages before it), named for `ctx`.
fn page_params(p: &PartPage, ctx: &AudioContext, first: usize) -> impl Iterator<Item = PartParam> {
    let fx = match p.page {
        "fx1" => Some(fx_names(ctx.fx1)),
        "fx2" => Some(fx_names(ctx.fx2)),
        _ => None,
    };
    p.names.iter().enumerate().map(move |(i, n)| {
        let named = match fx {
            Some(f) => f.get(i).copied().flatten(),
            None => Some(*n).filter(|s| !s.is_empty()),
        };
        let name = paged(p.page, named, i);
        let max = NAME_MAX.iter().find(|(n, _)| *n == name).map_or(p.max, |(_, m)| *m);
        PartParam { name, index: first + i, offset: p.offset + i, stride: p.stride, max }
    })
}

/// The page prefix of a machine's SRC values and SRC setup (`flex`, `flex_setup`).
pub fn machine_pages(machine: Option<MachineType>) -> Option<(&'static str, &'static str)> {
    Some(match machine? {
        MachineType::Static => ("static", "static_setup"),
        MachineType::Flex => ("flex", "flex_setup"),
        MachineType::Thru => ("thru", "thru_setup"),
        MachineType::Neighbor => ("neighbor", "neighbor_setup"),
        MachineType::Pickup => ("pickup", "pickup_setup"),
    })
}

/// The named byte `name` means among `pages` in `ctx` (case-insensitive): a name of
/// [`part_params`], a generic `page.pN`, or for audio tracks `src.X`/`setup.X`, the SRC and SRC
/// setup names of the track's machine (`src.ptch` of a Flex track is `flex.ptch`).
pub fn part_param(name: &str, pages: &[PartPage], ctx: &AudioContext) -> Option<PartParam> {
    let name = name.trim().to_ascii_lowercase();
    let name = match name.split_once('.') {
        Some(("src", rest)) => format!("{}.{rest}", machine_pages(ctx.machine)?.0),
        Some(("setup", rest)) => format!("{}.{rest}", machine_pages(ctx.machine)?.1),
        _ => name,
    };
    let (page, rest) = name.split_once('.')?;
    // Only the pages of the name's prefix can hold it: naming just those keeps a lookup cheap
    // (the MIDI timeline looks up ~30 names per track and segment).
    let mut first = 0;
    let mut prefix_pages = Vec::new();
    for def in pages {
        if def.page == page {
            prefix_pages.push((def, first));
        }
        first += def.names.len();
    }
    if let Some(p) = prefix_pages.iter().find_map(|&(def, first)| page_params(def, ctx, first).find(|p| p.name == name))
    {
        return Some(p);
    }
    // Generic `page.pN`: the N-th byte of the first page of that prefix with N bytes.
    let n: usize = rest.strip_prefix('p')?.parse().ok()?;
    let &(def, first) = prefix_pages.first()?;
    if n >= 1 && n <= def.names.len() {
        return page_params(def, ctx, first).nth(n - 1);
    }
    None
}

/// The number of named bytes per track of `pages`.
pub fn part_param_count(pages: &[PartPage]) -> usize {
    pages.iter().map(|p| p.names.len()).sum()
}

#[cfg(test)]
#[path = "params_tests.rs"]
mod tests;
