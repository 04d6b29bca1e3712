//! Standard MIDI File export of a project, played as the device plays it: one MIDI track per
//! OP-Z track, the tempo, each track's own loop (step count x step length, i.e. polymeter),
//! micro-timing, swing, mutes, trigger sparks over several loops, ratchets (multiply) and
//! parameter locks as control changes on the OP-Z's own CC numbers, for one pattern or a chain
//! of patterns; every track ends at the chain's end. What cannot be expressed in MIDI is listed in
//! the [`ExportReport`]. The file itself is written by [`groovekit_audio::midi`].

use std::collections::BTreeMap;

use groovekit_audio::midi::{MidiControl, MidiNote, MidiSong, MidiTrack};

use crate::OpzError;
use crate::model::{self, Component, MICRO_MAX, MICRO_MIN, PARAM_CC_DIAL, Project, Spark, TRACK_NAMES};
use crate::raw::{PATTERNS, STEPS, TRACKS};

/// Ticks of the note-duration field per 1/16 step: **3 072** (hypothesis H-B of the reference
/// notes, §3.6). This one constant decides every note length in the export.
///
/// Evidence, measured on the corpus (see docs/opz.md):
/// - the most common durations (12 288, 24 576, 18 432, 49 152, 36 864) are exactly 4, 8, 6, 16
///   and 12 steps at 3 072; under yellowjacket's 2 560 they would be 4.8, 9.6, ... steps;
/// - schollz/error-garden `project05.opz`, pattern 1, kick track (step length 4): 16 notes, one on
///   every step, each 12 288 ticks long = exactly one of its 4/16 steps (4 x 3 072); its sample
///   track holds 36 864 and 49 152 (3 and 4 of its steps) and its arp/chord tracks 24 576 (2 steps);
/// - micro-timing spans -96..=95 = 192 units per step, so one micro unit is 3 072 / 192 = 16 ticks.
///
/// Not yet confirmed on a device (reference §8, question 1).
pub const TICKS_PER_STEP: u32 = 3_072;

/// MIDI resolution of the export: 4 steps per quarter note, so file ticks equal OP-Z ticks.
pub const PPQ: u16 = 4 * TICKS_PER_STEP as u16;

/// Micro-timing units per step (the stored range -96..=95 is ±½ step).
pub const MICRO_PER_STEP: u32 = 192;

/// The swing byte of a straight groove (the default project's value).
pub const SWING_STRAIGHT: u8 = 127;

/// How late the device plays odd sixteenths, in ticks per swing unit above [`SWING_STRAIGHT`]:
/// **8**, i.e. `delay = (swing - 127) x 8` ticks, so swing 255 delays odd sixteenths by 1 024
/// ticks = 1/3 of a sixteenth (a triplet feel) and swing 0 would play them 1 016 ticks early.
///
/// Fitted to device evidence (docs/opz.md, "Swing"): chrisrauh/opz-collab
/// `bounces/bounce03/bounce.wav` is the device's recording of its own `project.opz` (59 BPM,
/// swing 178, one pattern, 4.068 s = exactly 16 sixteenths). Onsets of the four odd sixteenths
/// that hold notes without micro-timing (steps 4, 6, 10, 12) come 28.6, 39.1, 36.2 and 32.7 ms
/// after the straight grid (mean 34.2 ms), once the mean latency of the even sixteenths (4.7 ms)
/// is removed; this law predicts 408 ticks = 33.8 ms. Error: within 5.3 ms (RMS 3.8 ms), about
/// 1/50 of a sixteenth. One swing value was measured, so the straight-line law through 127 and
/// the value below 127 are an assumption.
pub const SWING_TICKS_PER_UNIT: i64 = 8;

/// The delay of odd sixteenths at `swing`, in ticks (negative below 127: early).
pub fn swing_delay(swing: u8) -> i64 {
    (i64::from(swing) - i64::from(SWING_STRAIGHT)) * SWING_TICKS_PER_UNIT
}

/// The most times an export may repeat its patterns (`loops=N`).
pub const MAX_LOOPS: u32 = 64;

/// What to export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// One pattern (0-based).
    Pattern(usize),
    /// The patterns of chain N (0-based; 15 = the playing chain), in order.
    Chain(usize),
}

/// What to do with the notes of muted tracks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mutes {
    /// Leave them out, as the device plays (the default).
    Skip,
    /// Export them anyway.
    Keep,
}

/// What to do with notes the device cannot store (note number over 127, micro-timing outside
/// -96..=95), which `verify` reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvalidNotes {
    /// Fail, naming them (the default: nothing is dropped silently).
    Refuse,
    /// Leave them out and list them in the report.
    Skip,
}

/// Export options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExportOptions {
    /// Which patterns, in which order.
    pub order: Order,
    /// MIDI channel per track (0-based; default: the track index, as in the factory midi.json).
    pub channels: [u8; TRACKS],
    /// Mutes: as the device plays (skip) or keep.
    pub mutes: Mutes,
    /// Whether to apply the project's swing.
    pub swing: bool,
    /// How many times the order plays (sparks count passes across loops).
    pub loops: u32,
    /// Whether to play the step components that map to MIDI (sparks, multiply, velocity mute).
    pub components: bool,
    /// Whether to write parameter locks as control changes.
    pub locks: bool,
    /// CC number per track and dial (`parameter_cc_out` of midi.json; default 1..=16).
    pub ccs: [[u8; 16]; TRACKS],
    /// Notes the device cannot store.
    pub invalid: InvalidNotes,
}

impl Default for ExportOptions {
    fn default() -> Self {
        let mut channels = [0u8; TRACKS];
        for (i, c) in channels.iter_mut().enumerate() {
            *c = i as u8;
        }
        let mut dials = [0u8; 16];
        for (i, d) in dials.iter_mut().enumerate() {
            *d = i as u8 + 1;
        }
        Self {
            order: Order::Chain(15),
            channels,
            mutes: Mutes::Skip,
            swing: true,
            loops: 1,
            components: true,
            locks: true,
            ccs: [dials; TRACKS],
            invalid: InvalidNotes::Refuse,
        }
    }
}

/// The options `convert` takes, for messages.
pub const OPTIONS_HELP: &str = "pattern=N, chain=N (1..=16; 16 = the playing chain), mutes=skip|keep, swing=on|off, \
     loops=N (1..=64), components=on|off, locks=on|off, invalid=refuse|skip";

fn on_off(key: &str, value: &str) -> Result<bool, OpzError> {
    match value {
        "on" | "yes" | "true" => Ok(true),
        "off" | "no" | "false" => Ok(false),
        _ => Err(OpzError::Document(format!("option {key}={value}: use {key}=on or {key}=off"))),
    }
}

fn number(key: &str, value: &str, max: u32) -> Result<u32, OpzError> {
    value
        .parse::<u32>()
        .ok()
        .filter(|n| (1..=max).contains(n))
        .ok_or_else(|| OpzError::Document(format!("option {key}={value}: {key} is a number 1..={max}")))
}

/// Parses `KEY=VALUE` options (see [`OPTIONS_HELP`]).
pub fn parse_options(options: &[String]) -> Result<ExportOptions, OpzError> {
    let mut out = ExportOptions::default();
    for o in options {
        let (key, value) = o
            .split_once('=')
            .map(|(k, v)| (k.trim(), v.trim()))
            .ok_or_else(|| OpzError::Document(format!("option `{o}` is not KEY=VALUE (options: {OPTIONS_HELP})")))?;
        match key {
            "pattern" => out.order = Order::Pattern(number(key, value, 16)? as usize - 1),
            "chain" => out.order = Order::Chain(number(key, value, 16)? as usize - 1),
            "loops" => out.loops = number(key, value, MAX_LOOPS)?,
            "swing" => out.swing = on_off(key, value)?,
            "components" => out.components = on_off(key, value)?,
            "locks" => out.locks = on_off(key, value)?,
            "mutes" => {
                out.mutes = match value {
                    "skip" => Mutes::Skip,
                    "keep" => Mutes::Keep,
                    _ => return Err(OpzError::Document(format!("option mutes={value}: use mutes=skip or mutes=keep"))),
                }
            }
            "invalid" => {
                out.invalid = match value {
                    "refuse" => InvalidNotes::Refuse,
                    "skip" => InvalidNotes::Skip,
                    _ => {
                        return Err(OpzError::Document(format!(
                            "option invalid={value}: use invalid=refuse or invalid=skip"
                        )));
                    }
                }
            }
            other => return Err(OpzError::Document(format!("unknown option `{other}` (options: {OPTIONS_HELP})"))),
        }
    }
    Ok(out)
}

/// Reads the MIDI channels of the tracks from the device's `config/midi.json` (`track_channels`).
pub fn channels_from_midi_json(text: &str) -> Result<[u8; TRACKS], OpzError> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| OpzError::Document(format!("midi.json: {e}")))?;
    let list = v
        .get("track_channels")
        .and_then(|c| c.as_array())
        .ok_or_else(|| OpzError::Document("midi.json has no `track_channels` list".into()))?;
    let mut out = ExportOptions::default().channels;
    for (slot, c) in out.iter_mut().zip(list) {
        *slot = c
            .as_u64()
            .filter(|&c| c < 16)
            .map(|c| c as u8)
            .ok_or_else(|| OpzError::Document(format!("midi.json: channel {c} is not 0..=15")))?;
    }
    Ok(out)
}

/// Reads the CC numbers of the 16 dials per track from `config/midi.json` (`parameter_cc_out`);
/// absent, the defaults (1..=16) stay.
pub fn ccs_from_midi_json(text: &str) -> Result<[[u8; 16]; TRACKS], OpzError> {
    let v: serde_json::Value = serde_json::from_str(text).map_err(|e| OpzError::Document(format!("midi.json: {e}")))?;
    let mut out = ExportOptions::default().ccs;
    let Some(rows) = v.get("parameter_cc_out").and_then(|c| c.as_array()) else { return Ok(out) };
    for (t, (dst, row)) in out.iter_mut().zip(rows).enumerate() {
        let row = row
            .as_array()
            .ok_or_else(|| OpzError::Document(format!("midi.json: parameter_cc_out[{t}] is not a list")))?;
        for (d, cc) in dst.iter_mut().zip(row) {
            *d = cc
                .as_u64()
                .filter(|&c| c < 128)
                .map(|c| c as u8)
                .ok_or_else(|| OpzError::Document(format!("midi.json: CC {cc} is not 0..=127")))?;
        }
    }
    Ok(out)
}

/// The patterns an order plays (0-based). An empty chain plays pattern 1.
pub fn patterns_in_order(project: &Project, order: Order) -> Vec<usize> {
    match order {
        Order::Pattern(p) => vec![p],
        Order::Chain(c) => {
            let entries: Vec<usize> = project.chain(c).into_iter().map(usize::from).collect();
            if entries.is_empty() { vec![0] } else { entries }
        }
    }
}

/// A track's step length in 1/16 notes (0, "single step on external trig", counts as 1).
fn step_length(settings: &model::TrackSettings) -> u64 {
    u64::from(settings.step_length.max(1))
}

/// A track's loop length in 1/16 notes: step count (1..=16) x step length.
fn loop_length(settings: &model::TrackSettings) -> u64 {
    u64::from(settings.step_count.clamp(1, 16)) * step_length(settings)
}

/// How long pattern `p` plays, in 1/16 notes: the longest loop among the tracks that hold notes
/// (muted or not), at least one bar. Device evidence: a bounce lasts exactly that (reference notes,
/// "Later findings"; romangarms/OP-1Z-Sample-Manager bounce04 lasts 8.0 s = 64 sixteenths at 120 BPM).
pub fn pattern_length(project: &Project, p: usize) -> Result<u64, OpzError> {
    let mut len = STEPS as u64;
    for t in 0..TRACKS {
        if !project.notes(p, t)?.is_empty() {
            len = len.max(loop_length(&project.track(p, t)?));
        }
    }
    Ok(len)
}

/// Whether a step with spark condition byte `b` plays on `pass` (1-based). The nibble decoding is
/// the reference's (§3.5: mode 0 = on pass N, 1 = first of every N, 2 = all but the Nth of every N);
/// N = 0 always plays. Not yet checked on a device (docs/opz.md).
pub fn spark_plays(b: u8, pass: u64) -> bool {
    let spark = Spark::from_byte(b);
    let n = u64::from(spark.n);
    if n == 0 {
        return true;
    }
    let i = pass.saturating_sub(1) % n;
    match spark.mode {
        0 => i == n - 1,
        1 => i == 0,
        2 => i != n - 1,
        _ => true,
    }
}

/// What an export did that a listener would want to know, and what it could not express.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportReport {
    /// The patterns played (0-based), once through; the export plays them `loops` times.
    pub patterns: Vec<usize>,
    /// How many times the patterns play.
    pub loops: u32,
    /// The song's length in sixteenths, and in ticks (every track ends there).
    pub sixteenths: u64,
    /// The end tick of every track.
    pub end_tick: u64,
    /// The swing delay applied to odd sixteenths, in ticks (0 when straight or `swing=off`).
    pub swing_ticks: i64,
    /// Muted tracks that hold notes: (pattern, track), 0-based.
    pub muted: Vec<(usize, usize)>,
    /// Notes left out because their track is muted (counted per play).
    pub muted_notes: usize,
    /// Notes left out by trigger sparks or the velocity component's mute (counted per play).
    pub sparked_out: usize,
    /// Extra notes played by ratchets (multiply).
    pub ratchet_notes: usize,
    /// Control changes written for parameter locks.
    pub lock_ccs: usize,
    /// What cannot map to MIDI, with how many steps use it (components by name and value, locks
    /// on parameters that have no CC).
    pub unmapped: BTreeMap<String, usize>,
    /// Notes the device cannot store, left out (`invalid=skip`): their places.
    pub invalid: Vec<String>,
    /// Notes whose note-off was moved to the song's end.
    pub clipped: usize,
    /// Notes that start at or after the song's end (late micro-timing or swing on the last step)
    /// and were moved to its start, where the device plays them on the next pass.
    pub wrapped: usize,
}

/// A finished export: the song and what happened.
#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    /// The MIDI song.
    pub song: MidiSong,
    /// The report.
    pub report: ExportReport,
}

/// Builds the MIDI song of a project (see [`render`] for the report).
pub fn export(project: &Project, options: &ExportOptions) -> Result<MidiSong, OpzError> {
    Ok(render(project, options)?.song)
}

/// Notes the device cannot store in the patterns of `order`, with their places (for `invalid=refuse`).
fn invalid_notes(project: &Project, order: &[usize]) -> Result<Vec<String>, OpzError> {
    let mut out = Vec::new();
    let mut seen = Vec::new();
    for &p in order {
        if seen.contains(&p) {
            continue;
        }
        seen.push(p);
        for t in 0..TRACKS {
            for n in project.notes(p, t)? {
                if n.slot.note > 127 {
                    out.push(format!("{}: note number {} is over 127", crate::ops::place(p, t, n.step), n.slot.note));
                } else if !(MICRO_MIN..=MICRO_MAX).contains(&n.slot.micro) {
                    out.push(format!(
                        "{}: micro-timing {} is outside -96..=95",
                        crate::ops::place(p, t, n.step),
                        n.slot.micro
                    ));
                }
            }
        }
    }
    Ok(out)
}

/// The description of a component that does not map to MIDI, or `None` when the export plays it.
fn unmapped_component(c: Component, value: u8, locks: bool) -> Option<String> {
    match c {
        Component::TriggerSpark | Component::ComponentSpark => None,
        Component::ParameterSpark if locks => None,
        Component::Multiply if (1..=8).contains(&value) => None,
        Component::Velocity if value == 5 || value == 9 => None,
        Component::Multiply if value == 9 => Some("multiply: broken chord".into()),
        Component::Multiply => Some(format!("multiply {value} (quantize)")),
        Component::Velocity => Some(format!("velocity {value} (a velocity change of unknown size)")),
        other => Some(format!("{} (changes what plays in ways MIDI notes cannot carry)", other.name())),
    }
}

/// Renders the order (`loops` times) into a MIDI song, as the device plays it.
///
/// # Errors
/// A pattern number outside 1..=16, or notes the device cannot store with `invalid=refuse`.
pub fn render(project: &Project, options: &ExportOptions) -> Result<Export, OpzError> {
    let order = patterns_in_order(project, options.order);
    if let Some(&p) = order.iter().find(|&&p| p >= PATTERNS) {
        return Err(OpzError::Index(format!("pattern {} does not exist (1..=16)", p + 1)));
    }
    let invalid = invalid_notes(project, &order)?;
    if !invalid.is_empty() && options.invalid == InvalidNotes::Refuse {
        let shown: Vec<&str> = invalid.iter().take(5).map(String::as_str).collect();
        return Err(OpzError::invalid(
            format!("{} notes the device cannot store", invalid.len()),
            format!(
                "{}{}; `groovekit verify` lists them all. Fix them, or export without them with --option invalid=skip",
                shown.join("; "),
                if invalid.len() > 5 { "; ..." } else { "" }
            ),
        ));
    }
    let loops = options.loops.clamp(1, MAX_LOOPS);
    let tps = i64::from(TICKS_PER_STEP);
    let micro_ticks = i64::from(TICKS_PER_STEP / MICRO_PER_STEP);
    let swing = if options.swing { swing_delay(project.header().swing) } else { 0 };
    let mut report = ExportReport { patterns: order.clone(), loops, swing_ticks: swing, ..Default::default() };
    let mut lengths = Vec::with_capacity(order.len());
    for &p in &order {
        lengths.push(pattern_length(project, p)?);
    }
    let once: u64 = lengths.iter().sum();
    report.sixteenths = once * u64::from(loops);
    let end = (report.sixteenths * u64::from(TICKS_PER_STEP)) as i64;
    report.end_tick = end as u64;

    // What cannot map, counted once per step of each pattern in the order.
    let mut seen = Vec::new();
    for &p in &order {
        if seen.contains(&p) {
            continue;
        }
        seen.push(p);
        for t in 0..TRACKS {
            let count = usize::from(project.track(p, t)?.step_count.clamp(1, 16));
            for s in 0..count {
                let step = project.step(p, t, s)?;
                if options.components {
                    for (c, v) in step.components() {
                        if let Some(what) = unmapped_component(c, v, options.locks) {
                            *report.unmapped.entry(what).or_default() += 1;
                        }
                    }
                }
                if options.locks {
                    for (i, _) in step.locks() {
                        if PARAM_CC_DIAL.get(i).copied().flatten().is_none() {
                            let what = format!("lock on {} (no MIDI CC)", model::SOUND_PARAM_NAMES[i]);
                            *report.unmapped.entry(what).or_default() += 1;
                        }
                    }
                }
            }
        }
    }

    let mut tracks: Vec<MidiTrack> = (0..TRACKS)
        .map(|t| MidiTrack {
            name: TRACK_NAMES[t].to_string(),
            channel: options.channels[t],
            notes: Vec::new(),
            controls: Vec::new(),
            events: Vec::new(),
        })
        .collect();
    let mut passes: BTreeMap<(usize, usize), u64> = BTreeMap::new();
    // The last CC value written per (track, sound parameter), so only changes are written.
    let mut cc_state: BTreeMap<(usize, usize), u8> = BTreeMap::new();
    let mut position = 0u64; // in 1/16 notes
    for _ in 0..loops {
        for (&p, &length) in order.iter().zip(&lengths) {
            for (t, track) in tracks.iter_mut().enumerate() {
                let settings = project.track(p, t)?;
                let (step_len, loop_len) = (step_length(&settings), loop_length(&settings));
                let step_count = usize::from(settings.step_count.clamp(1, 16));
                let notes = project.notes(p, t)?;
                let muted = project.muted(p, t)?;
                if muted && !notes.is_empty() && !report.muted.contains(&(p, t)) {
                    report.muted.push((p, t));
                }
                let silent = muted && options.mutes == Mutes::Skip;
                let sound = project.sound(p, t)?;
                let steps: Vec<model::Step> = (0..STEPS).map(|s| project.step(p, t, s)).collect::<Result<_, _>>()?;
                // CC lanes: parameters with a CC that are locked on a playing step.
                let lanes: Vec<usize> = (0..18)
                    .filter(|&i| PARAM_CC_DIAL[i].is_some())
                    .filter(|&i| steps.iter().take(step_count).any(|st| st.lock_mask[i] != 0))
                    .collect();
                let step_ticks = step_len as i64 * tps;
                let mut at = 0u64;
                while at < length {
                    let pass = {
                        let n = passes.entry((p, t)).or_insert(0);
                        *n += 1;
                        *n
                    };
                    for (s, step) in steps.iter().enumerate().take(step_count) {
                        let step_at = at + s as u64 * step_len;
                        if step_at >= length {
                            break;
                        }
                        let sixteenth = position + step_at;
                        let nominal = sixteenth as i64 * tps + if sixteenth % 2 == 1 { swing } else { 0 };
                        let comps = if options.components { step.components() } else { Vec::new() };
                        let param = |c: Component| comps.iter().find(|(x, _)| *x == c).map(|&(_, v)| v);
                        let plays = param(Component::TriggerSpark).is_none_or(|b| spark_plays(b, pass));
                        let comp_gate = param(Component::ComponentSpark).is_none_or(|b| spark_plays(b, pass));
                        let lock_gate = param(Component::ParameterSpark).is_none_or(|b| spark_plays(b, pass));
                        let here: Vec<_> = notes.iter().filter(|n| n.step == s).collect();
                        if silent {
                            report.muted_notes += here.len();
                            continue;
                        }
                        if options.locks && !lanes.is_empty() {
                            let earliest = here
                                .iter()
                                .map(|n| i64::from(n.slot.micro) * micro_ticks * step_len as i64)
                                .min()
                                .unwrap_or(0)
                                .min(0);
                            let tick = (nominal + earliest).clamp(0, end.max(1) - 1) as u64;
                            for &i in &lanes {
                                let locked = step.lock_mask[i] != 0 && lock_gate;
                                let value = if locked { step.lock_values[i] } else { sound[i] } >> 1;
                                if cc_state.get(&(t, i)) != Some(&value) {
                                    cc_state.insert((t, i), value);
                                    let dial = usize::from(PARAM_CC_DIAL[i].unwrap_or(0));
                                    let controller = options.ccs[t][dial];
                                    track.controls.push(MidiControl { tick, controller, value });
                                    if locked {
                                        report.lock_ccs += 1;
                                    }
                                }
                            }
                        }
                        if !plays {
                            report.sparked_out += here.len();
                            continue;
                        }
                        let velocity_mute = comp_gate && param(Component::Velocity) == Some(9);
                        let ratchets = match param(Component::Multiply) {
                            Some(r @ 1..=8) if comp_gate => i64::from(r),
                            _ => 1,
                        };
                        for n in here {
                            if n.slot.note > 127 || !(MICRO_MIN..=MICRO_MAX).contains(&n.slot.micro) {
                                continue; // listed in the report (invalid=skip) or refused above
                            }
                            if velocity_mute {
                                report.sparked_out += 1;
                                continue;
                            }
                            let first = nominal + i64::from(n.slot.micro) * micro_ticks * step_len as i64;
                            let duration = i64::from(n.slot.duration).max(1);
                            for k in 0..ratchets {
                                let mut start = first + k * step_ticks / ratchets;
                                let length = if ratchets > 1 { duration.min(step_ticks / ratchets) } else { duration };
                                let mut stop = start + length;
                                if start >= end && end > 0 {
                                    start -= end;
                                    stop -= end;
                                    report.wrapped += 1;
                                }
                                // A note before the song's start begins at 0 but ends when it
                                // would have (issue 16: its note-off stays where the device has it).
                                let start = start.max(0);
                                if stop > end {
                                    stop = end;
                                    report.clipped += 1;
                                }
                                track.notes.push(MidiNote {
                                    start: start as u64,
                                    length: (stop - start).max(1) as u64,
                                    key: n.slot.note,
                                    velocity: n.slot.velocity.clamp(1, 127),
                                });
                                if k > 0 {
                                    report.ratchet_notes += 1;
                                }
                            }
                        }
                    }
                    at += loop_len;
                }
            }
            position += length;
        }
    }
    if options.invalid == InvalidNotes::Skip {
        report.invalid = invalid;
    }
    // A 1-tick note at the very end would end after it; keep every event inside the song.
    for track in &mut tracks {
        for n in &mut track.notes {
            if n.start + n.length > report.end_tick && n.start < report.end_tick {
                n.length = report.end_tick - n.start;
            }
        }
        track.notes.retain(|n| n.length > 0 && n.start < report.end_tick);
    }
    let song = MidiSong {
        ppq: PPQ,
        bpm: f64::from(project.tempo().max(1)),
        name: String::new(),
        tracks,
        end: Some(report.end_tick),
        ..MidiSong::default()
    };
    Ok(Export { song, report })
}

#[cfg(test)]
#[path = "midi_tests.rs"]
mod tests;
