//! The one table of parameter names: p-locks, scene locks and part pages, by page and by the
//! machine or FX type of the track. `groovekit inspect`, `dump`, `diff` and the typed API
//! ([`crate::model::bank`]) all name parameters through this module, so a name means the same
//! byte everywhere.
//!
//! A 32-byte audio lock record (a step's p-locks, or one track of a scene) holds, in order: the
//! machine's SRC page (6), LFO (6), AMP (6), FX1 (6), FX2 (6), the sample lock and one more slot
//! byte. Names are `page.param` in lower case with the device's abbreviations: `src.strt`,
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

/// Byte of the audio lock record that holds the sample lock (0-based slot, 255 = none).
///
/// Decided from the peers, not yet from a device file (the real-device fixture has no sample
/// locks): davidferlay/octatrack-manager `src-tauri/src/project_reader.rs` reads every sample lock
/// from this byte "for both machine types; the pool is decided by the track's machine type in the
/// pattern's assigned part" (`compute_sample_usage`); ot-tools-io 0.11.3 names byte 30
/// `flex_slot_id`; xuio/octatrack-exporter leaves byte 31 at 255 and plays the track's default
/// sample. groovekit before issue 10 called byte 30 `static_slot`, following the octatools
/// snapshot. Byte 31 keeps its raw value under the name [`BYTE31`].
pub const SAMPLE_LOCK: usize = 30;
/// The last byte of the audio lock record: `static_slot_id` in ot-tools-io 0.11.3; no reader
/// that checked on a device uses it. Kept raw under this name.
pub const BYTE31: &str = "byte31";
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
        _ => BYTE31.to_string(),
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

#[cfg(test)]
#[path = "params_tests.rs"]
mod tests;
