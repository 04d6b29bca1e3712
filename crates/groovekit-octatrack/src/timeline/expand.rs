//! The expansion: segments (pattern passes, arrangement row passes), the tracks' loops inside
//! them, and the conditions evaluated in time order. The rules it applies are in [`super::rules`].

use std::collections::{BTreeSet, HashSet};

use super::rules::{self, ConditionContext, Draws, Scale};
use super::{
    AudioTrig, BankSource, Control, Controller, Event, EventKind, MidiNote, Options, ProgramChange, Segment, Timeline,
    TrackId,
};
use crate::OtError;
use crate::model::arrangement::Row;
use crate::model::bank::Bank;
use crate::model::project::SlotType;
use crate::raw::bank::PartCopy;
use crate::raw::part::MachineType;

/// More segments than this stop the expansion (an arrangement that loops forever with a large
/// loop bound); the cut is reported in `not_expanded`.
const MAX_SEGMENTS: usize = 65_536;

/// How long one track loops and how fast: its length in steps and the ticks of one step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct TrackLoop {
    pub(crate) steps: u32,
    pub(crate) step_ticks: u64,
}

impl TrackLoop {
    fn ticks(self) -> u64 {
        u64::from(self.steps) * self.step_ticks
    }
}

/// The lengths of a pattern as the device applies them (see [`super::PatternLengths`]).
pub(crate) fn loops(bank: &Bank, p: u8) -> Result<super::PatternLengths, OtError> {
    let s = bank.pattern(p)?;
    let [mult, len, pscale] = s.per_track_master;
    let scale_code = if s.per_track { pscale } else { s.master_scale };
    let master_scale = Scale::from_code(scale_code).unwrap_or(Scale::X1);
    let master = rules::master_steps(s.per_track, s.master_length, mult, len);
    let mut audio = [TrackLoop { steps: 16, step_ticks: rules::TICKS_PER_STEP }; 8];
    let mut midi = audio;
    for t in 1..=8u8 {
        let i = usize::from(t - 1);
        for (midi_track, out) in [(false, &mut audio), (true, &mut midi)] {
            let ts = if midi_track { bank.midi_track(p, t)? } else { bank.audio_track(p, t)? };
            let l = if s.per_track {
                TrackLoop {
                    steps: u32::from(ts.length.clamp(1, 64)),
                    step_ticks: Scale::from_code(ts.scale).unwrap_or(Scale::X1).step_ticks(),
                }
            } else {
                TrackLoop { steps: u32::from(s.master_length.clamp(1, 64)), step_ticks: master_scale.step_ticks() }
            };
            if let Some(x) = out.get_mut(i) {
                *x = l;
            }
        }
    }
    Ok(super::PatternLengths {
        per_track: s.per_track,
        master_steps: master,
        master_scale,
        audio_steps: audio.map(|l| l.steps as u8), // ok: clamped 1-64
        audio_step_ticks: audio.map(|l| l.step_ticks),
        midi_steps: midi.map(|l| l.steps as u8), // ok: clamped 1-64
        midi_step_ticks: midi.map(|l| l.step_ticks),
    })
}

/// The ticks of one pattern pass: the master length at the master scale; for INF, the longest
/// track loop (tracks then never restart).
fn pass_ticks(l: &super::PatternLengths) -> u64 {
    match l.master_steps {
        Some(m) => u64::from(m) * l.master_scale.step_ticks(),
        None => (0..8)
            .flat_map(|i| [l.audio_loop(i), l.midi_loop(i)])
            .map(TrackLoop::ticks)
            .max()
            .unwrap_or(rules::TICKS_PER_STEP * 16),
    }
}

/// What one segment plays.
struct Play {
    bank: u8,
    pattern: u8,
    /// Ticks into the pattern where the segment starts (an arrangement row's offset), when the
    /// tracks restart at the segment; None: the tracks run on from the previous segment (INF).
    restart_at: Option<u64>,
    /// Length in ticks.
    length: u64,
    pass: u32,
    row: Option<u16>,
    tempo: Option<f64>,
    mute_mask: u8,
    transpose: [i8; 8],
}

/// Controllers of a MIDI track in a fixed order: pitch bend, aftertouch, CC1-CC10.
const CONTROLLERS: usize = 12;

/// What carries over from segment to segment while the same pattern plays.
#[derive(Default)]
struct RunState {
    key: Option<(u8, u8)>,
    /// Local time of each track (audio 0-7, MIDI 8-15) at the start of the next segment.
    tau: [u64; 16],
    /// Loops started so far by each track.
    started: [u32; 16],
    /// The most recent condition result of each track (PRE reads its own, NEI its neighbour's).
    last: [Option<bool>; 16],
    /// One-shot trigs that have played (track index, step index).
    oneshots: HashSet<(usize, usize)>,
}

/// What a trig does once its condition holds.
enum Payload {
    Audio { trig: AudioTrig, muted: bool },
    Midi { note: Option<MidiNote>, controls: [Option<u8>; CONTROLLERS] },
}

/// A trig waiting for its condition.
struct Candidate {
    tick: i64,
    ti: usize,
    step: usize,
    pass: u32,
    condition: u8,
    oneshot: bool,
    /// The trig count (1-8) and where the next step starts: the trig sounds `repeats` times
    /// before it ([`rules::repeat_ticks`]).
    repeats: u8,
    next_step: i64,
    payload: Payload,
}

/// The MIDI side of a track in the current part: channel and controllers with their defaults.
#[derive(Clone, Copy)]
struct MidiSetup {
    channel: u8,
    controllers: [(Controller, u8); CONTROLLERS],
}

struct Builder<'a> {
    source: &'a mut dyn BankSource,
    opts: &'a Options,
    draws: Draws,
    master_track: bool,
    project_tempo: f64,
    pattern_tempo: bool,
    run: RunState,
    out: Timeline,
    not_expanded: BTreeSet<String>,
    /// The (bank, part) of the previous segment, for program changes and controller defaults.
    last_part: Option<(u8, u8)>,
    /// The controller values each MIDI track sent last.
    sent: [[Option<u8>; CONTROLLERS]; 8],
}

pub(crate) fn patterns(
    source: &mut dyn BankSource,
    bank: u8,
    patterns: &[u8],
    opts: &Options,
) -> Result<Timeline, OtError> {
    let mut b = Builder::new(source, opts);
    for &p in patterns {
        let lengths = loops(b.source.bank(bank)?, p)?;
        let length = pass_ticks(&lengths);
        for pass in 1..=opts.passes.max(1) {
            // A finite master length restarts every track at each pass (manual 12.15: in PER
            // TRACK mode the tracks restart when the master length is reached); INF lets them run.
            let restart_at = lengths.master_steps.map(|_| 0);
            b.segment(&Play {
                bank,
                pattern: p,
                restart_at,
                length,
                pass,
                row: None,
                tempo: None,
                mute_mask: 0,
                transpose: [0; 8],
            })?;
        }
    }
    Ok(b.finish())
}

pub(crate) fn arrangement(source: &mut dyn BankSource, rows: &[Row], opts: &Options) -> Result<Timeline, OtError> {
    let mut b = Builder::new(source, opts);
    let mut loop_counts = vec![0u32; rows.len()];
    let mut i = 0usize;
    while let Some(row) = rows.get(i) {
        if b.out.segments.len() >= MAX_SEGMENTS {
            b.not_expanded.insert(format!("arrangement rows after {MAX_SEGMENTS} segments"));
            break;
        }
        let at = u16::try_from(i + 1).unwrap_or(u16::MAX);
        match row {
            Row::Pattern(r) => {
                let lengths = loops(b.source.bank(r.bank)?, r.pattern)?;
                let master_step = lengths.master_scale.step_ticks();
                // The row plays LEN steps of the master from step OFFSET + 1 (ot-tools-io: the
                // length is stored as offset + length); LEN 0 would play nothing, so it means the
                // whole master length here.
                let steps = if r.length == 0 { lengths.master_steps.unwrap_or(16) } else { u32::from(r.length) };
                if r.scene_a.is_some() || r.scene_b.is_some() {
                    b.not_expanded.insert("scenes (arrangement rows)".into());
                }
                // REPS: the row plays `repeats + 1` times (stored 0 = once; inferred).
                for pass in 1..=u32::from(r.repeats) + 1 {
                    b.segment(&Play {
                        bank: r.bank,
                        pattern: r.pattern,
                        restart_at: Some(u64::from(r.offset) * master_step),
                        length: u64::from(steps) * master_step,
                        pass,
                        row: Some(at),
                        tempo: r.tempo,
                        mute_mask: r.mute_mask,
                        transpose: r.transpose,
                    })?;
                }
                i += 1;
            }
            Row::Loop { count, target } => {
                let target = usize::from(*target).saturating_sub(1);
                if target == i {
                    break; // a halt: its target is its own row
                }
                if *count == 0 && target > i {
                    i = target; // a jump: count 0 and a later row
                    continue;
                }
                let bound = if *count == 0 { opts.max_loops } else { u32::from(*count).min(opts.max_loops.max(1)) };
                if *count == 0 || u32::from(*count) > opts.max_loops.max(1) {
                    b.not_expanded.insert(format!("loop at row {at} beyond {} round(s)", opts.max_loops));
                }
                match loop_counts.get_mut(i) {
                    Some(c) if *c < bound => {
                        *c += 1;
                        i = target;
                    }
                    Some(c) => {
                        *c = 0;
                        i += 1;
                    }
                    None => break,
                }
            }
            Row::Reminder(_) | Row::Other(_) => i += 1,
        }
    }
    Ok(b.finish())
}

fn machine_name(m: Option<MachineType>) -> &'static str {
    match m {
        Some(MachineType::Static) => "static",
        Some(MachineType::Flex) => "flex",
        Some(MachineType::Thru) => "thru",
        Some(MachineType::Neighbor) => "neighbor",
        Some(MachineType::Pickup) => "pickup",
        None => "unknown",
    }
}

/// The loops of track `ti` that fall in the segment: calls `f(step index, pass, grid tick)` for
/// every step of every loop whose grid position lies in the segment (micro-timing and swing
/// never move a step into another segment), and moves the track on.
fn walk(
    run: &mut RunState,
    play: &Play,
    start: u64,
    ti: usize,
    l: TrackLoop,
    mut f: impl FnMut(usize, u32, u64) -> Option<Candidate>,
) -> Vec<Candidate> {
    let mut out = Vec::new();
    let (Some(tau_slot), Some(started_slot)) = (run.tau.get_mut(ti), run.started.get_mut(ti)) else { return out };
    let loop_ticks = l.ticks().max(1);
    let (tau0, fresh) = match play.restart_at {
        Some(o) => (o, true),
        None => (*tau_slot, *tau_slot % loop_ticks == 0),
    };
    let end = tau0 + play.length;
    let k_first = tau0 / loop_ticks;
    let k_last = end.saturating_sub(1) / loop_ticks;
    let base = *started_slot;
    let pass_of = |k: u64| base + u32::try_from(k - k_first).unwrap_or(u32::MAX) + u32::from(fresh);
    for k in k_first..=k_last {
        for s in 0..l.steps.min(64) {
            let tau = k * loop_ticks + u64::from(s) * l.step_ticks;
            if tau < tau0 || tau >= end {
                continue;
            }
            if let Some(c) = f(s as usize, pass_of(k), start + (tau - tau0)) {
                out.push(c);
            }
        }
    }
    if play.length > 0 {
        *started_slot = pass_of(k_last);
    }
    *tau_slot = end;
    out
}

/// Where a trig sounds: its grid position, late by the swing when its swing trig is set, moved
/// by its micro-timing (may be before the segment's start; the caller clamps at 0).
fn trig_tick(grid: u64, swing: Option<u8>, micro: i8, step_ticks: u64) -> i64 {
    let off = swing.map_or(0, |a| rules::swing_ticks(a, step_ticks));
    i64::try_from(grid + off).unwrap_or(i64::MAX) + rules::micro_ticks(micro, step_ticks)
}

/// Calls `emit(tick, repeat index, value)` for each of `ticks` (the trig and the trigs its count
/// adds): clones of `value` for all but the last, which gets `value` itself, so that a trig
/// without a count (nearly all) is not cloned.
fn each_repeat<T: Clone>(ticks: &[u64], value: T, mut emit: impl FnMut(u64, u8, T)) {
    let Some((&last, rest)) = ticks.split_last() else { return };
    for (k, &at) in rest.iter().enumerate() {
        emit(at, k as u8, value.clone()); // ok: at most 7 added trigs
    }
    emit(last, rest.len() as u8, value); // ok: at most 7
}

/// Where the step after a step at grid position `grid` starts (for trig counts).
fn next_step(grid: u64, step_ticks: u64) -> i64 {
    i64::try_from(grid + step_ticks).unwrap_or(i64::MAX)
}

impl<'a> Builder<'a> {
    fn new(source: &'a mut dyn BankSource, opts: &'a Options) -> Self {
        let s = source.settings();
        // `MASTER_TRACK=1` in project.work makes audio track 8 the master track; it then plays
        // no sample (manual 8.5 MIXER: "If track 8 has been turned into a master track it won't
        // be affected by mutes"; 5 THE USER INTERFACE: "M" = Master track). The real-device
        // project holds MASTER_TRACK=1.
        let master_track = s.setting("MASTER_TRACK") == Some(1);
        // PATTERN_TEMPO_ENABLED=1: each pattern plays at its own tempo (pattern bytes +36 586);
        // otherwise the project tempo (TEMPOx24) holds for every pattern.
        let pattern_tempo = s.setting("PATTERN_TEMPO_ENABLED") == Some(1);
        let project_tempo = s.tempo_bpm().unwrap_or(120.0);
        Self {
            source,
            opts,
            draws: Draws::new(opts.seed),
            master_track,
            project_tempo,
            pattern_tempo,
            run: RunState::default(),
            out: Timeline::default(),
            not_expanded: BTreeSet::new(),
            last_part: None,
            sent: [[None; CONTROLLERS]; 8],
        }
    }

    fn finish(mut self) -> Timeline {
        let end = self.out.segments.last().map_or(0, |s| s.start + s.length);
        self.out.end = end;
        self.out.events.sort_by_key(|a| (a.tick, a.track, a.step));
        // An INF note lasts until the track's next note, or the end of the timeline.
        let mut next: [Option<u64>; 8] = [None; 8];
        for e in self.out.events.iter_mut().rev() {
            if let (TrackId::Midi(n), EventKind::Note(note)) = (e.track, &mut e.kind) {
                let i = usize::from(n.saturating_sub(1)).min(7);
                if note.infinite {
                    note.length = next.get(i).copied().flatten().unwrap_or(end).saturating_sub(e.tick).max(1);
                }
                if let Some(x) = next.get_mut(i) {
                    *x = Some(e.tick);
                }
            }
        }
        self.out.not_expanded = self.not_expanded.into_iter().collect();
        self.out
    }

    fn segment(&mut self, play: &Play) -> Result<(), OtError> {
        let start = self.out.segments.last().map_or(0, |s| s.start + s.length);
        let key = Some((play.bank, play.pattern));
        if self.run.key != key {
            // Conditions count from the pattern's start: a new pattern starts them again.
            self.run = RunState { key, ..RunState::default() };
        }
        let bank = self.source.bank(play.bank)?;
        let settings = bank.pattern(play.pattern)?;
        let lengths = loops(bank, play.pattern)?;
        let part = settings.part.clamp(1, 4);
        let tempo = play.tempo.unwrap_or(if self.pattern_tempo { settings.tempo } else { self.project_tempo });
        let seg_index = self.out.segments.len();
        let letter = char::from(b'A' + play.bank.saturating_sub(1).min(15));
        let name = format!("{letter}{:02}", play.pattern);
        self.out.segments.push(Segment {
            start,
            length: play.length,
            tempo,
            bank: play.bank,
            pattern: play.pattern,
            part,
            pass: play.pass,
            row: play.row,
            label: match play.row {
                Some(r) => format!("row {r}: {name}"),
                None => name,
            },
        });

        let mut cands: Vec<Candidate> = Vec::new();
        for t in 1..=8u8 {
            let ti = usize::from(t - 1);
            let pt = bank.part_track(part, PartCopy::Working, t)?;
            let machine = pt.machine_type();
            let is_master = self.master_track && t == 8;
            let depth: u32 =
                ["lfo.dep1", "lfo.dep2", "lfo.dep3"].iter().map(|n| u32::from(pt.param(n).unwrap_or(0))).sum();
            let track_loop = lengths.audio_loop(ti);
            let swing = bank.audio_track(play.pattern, t)?.swing_amount;
            let steps = bank.audio_steps(play.pattern, t)?;
            let muted = play.mute_mask >> ti & 1 == 1;
            let notes = &mut self.not_expanded;
            let found = walk(&mut self.run, play, start, ti, track_loop, |step, pass, grid| {
                let s = steps.get(step)?;
                if !(s.trig || s.trigless) {
                    return None;
                }
                if depth > 0 {
                    notes.insert("LFOs".into());
                }
                if s.recorder.iter().take(3).any(|&r| r) {
                    notes.insert("recorder trigs".into());
                }
                let (rtrg, rtim) = s.retrig();
                if rtrg.is_some() || rtim.is_some() {
                    notes.insert("retrigs (RTRG/RTIM locks)".into());
                }
                if s.slide {
                    notes.insert("slide interpolation".into());
                }
                let pool = match machine {
                    Some(MachineType::Static) => Some(SlotType::Static),
                    Some(MachineType::Flex) => Some(SlotType::Flex),
                    _ => None,
                };
                let lock = s.sample_lock();
                let slot = if is_master {
                    None
                } else {
                    pool.map(|p| (p, lock.unwrap_or(if p == SlotType::Static { pt.static_slot } else { pt.flex_slot })))
                };
                // AMP VOL is field 15 of the lock record (12 AMP ATK .. 17 AMP F).
                let vol = s.raw_locks().get(15).copied().filter(|&v| v != crate::raw::pattern::NO_LOCK);
                let trig = AudioTrig {
                    plays_sample: s.trig && !is_master && slot.is_some(),
                    machine: if is_master { "master".into() } else { machine_name(machine).into() },
                    slot,
                    sample_lock: lock.is_some() && slot.is_some(),
                    slice: s.slice_lock(),
                    trigless: !s.trig,
                    oneshot: s.oneshot,
                    slide: s.slide,
                    volume: vol.map(u16::from),
                    retrig: (rtrg, rtim),
                    count: s.repeats,
                    micro: s.micro,
                    condition: s.condition.name(),
                    locks: s.locks(),
                    repeat: 0,
                };
                let tick = trig_tick(grid, s.swing.then_some(swing), s.micro, track_loop.step_ticks);
                Some(Candidate {
                    tick,
                    ti,
                    step,
                    pass,
                    condition: s.condition.0,
                    oneshot: s.oneshot,
                    repeats: s.repeats,
                    next_step: next_step(grid, track_loop.step_ticks),
                    payload: Payload::Audio { trig, muted },
                })
            });
            cands.extend(found);
        }

        let part_changed = self.last_part != Some((play.bank, part));
        self.last_part = Some((play.bank, part));
        let mut setups = Vec::with_capacity(8);
        for t in 1..=8u8 {
            let mi = usize::from(t - 1);
            let ti = mi + 8;
            let mp = bank.midi_part_track(part, PartCopy::Working, t)?;
            let channel = mp.channel.clamp(1, 16);
            if mp.param("arp.mode").unwrap_or(0) != 0 {
                self.not_expanded.insert(format!("arpeggiator (M{t})"));
            }
            let depth: u32 =
                ["lfo.dep1", "lfo.dep2", "lfo.dep3"].iter().map(|n| u32::from(mp.param(n).unwrap_or(0))).sum();
            let byte = |name: &str| mp.param(name).unwrap_or(0).min(127) as u8; // ok: at most 127
            // CTRL1/CTRL2 setup holds the CC number each of CC1-CC10 sends; the CTRL pages hold
            // the values (reference §1.2 part block: "MIDI setup ... CC numbers").
            let mut controllers = [(Controller::PitchBend, byte("ctrl1.pb")); CONTROLLERS];
            if let Some(x) = controllers.get_mut(1) {
                *x = (Controller::Aftertouch, byte("ctrl1.at"));
            }
            for k in 1..=10usize {
                let page = if k <= 4 { "ctrl1" } else { "ctrl2" };
                let number = byte(&format!("{page}_setup.cc{k}"));
                if let Some(x) = controllers.get_mut(k + 1) {
                    *x = (Controller::Cc(number), byte(&format!("{page}.cc{k}")));
                }
            }
            setups.push(MidiSetup { channel, controllers });
            let track_loop = lengths.midi_loop(mi);
            let swing = bank.midi_track(play.pattern, t)?.swing_amount;
            let steps = bank.midi_steps(play.pattern, t)?;
            let transpose = i16::from(play.transpose.get(mi).copied().unwrap_or(0));
            let used = steps.iter().take(track_loop.steps as usize).any(|s| s.trig || s.trigless);
            if part_changed && let Some(sent) = self.sent.get_mut(mi) {
                *sent = [None; CONTROLLERS];
            }
            if part_changed && used {
                // The part's program change and controller values start the segment, so a
                // recording starts from the part's sound (inferred; the device sends the
                // program change on a part change when PROG is set).
                if mp.bank.is_some() || mp.program.is_some() {
                    self.out.events.push(Event {
                        tick: start,
                        track: TrackId::Midi(t),
                        segment: seg_index,
                        step: 0,
                        pass: 0,
                        kind: EventKind::Program(ProgramChange { channel, bank: mp.bank, program: mp.program }),
                    });
                }
                for (k, &(controller, value)) in controllers.iter().enumerate() {
                    self.out.events.push(Event {
                        tick: start,
                        track: TrackId::Midi(t),
                        segment: seg_index,
                        step: 0,
                        pass: 0,
                        kind: EventKind::Control(Control { channel, controller, value }),
                    });
                    if let Some(x) = self.sent.get_mut(mi).and_then(|s| s.get_mut(k)) {
                        *x = Some(value);
                    }
                }
            }
            let part_note = mp.note;
            let part_chord: Vec<u8> =
                (2..=4).map(|k| mp.param(&format!("note.not{k}")).unwrap_or(64).min(127) as u8).collect(); // ok: min 127
            let notes = &mut self.not_expanded;
            let found = walk(&mut self.run, play, start, ti, track_loop, |step, pass, grid| {
                let s = steps.get(step)?;
                if !(s.trig || s.trigless) {
                    return None;
                }
                if depth > 0 {
                    notes.insert("LFOs".into());
                }
                let lock = |f: usize| s.raw_locks().get(f).copied().filter(|&v| v != crate::raw::pattern::NO_LOCK);
                let base = i16::from(lock(0).unwrap_or(part_note)) + transpose;
                // NOT2-NOT4: offsets around 64 from the note (64 = no extra note, the default of
                // every part in the real-device bank).
                let chord: Vec<u8> = (0..3)
                    .filter_map(|k| {
                        let v = lock(3 + k).or_else(|| part_chord.get(k).copied())?;
                        (v != 64).then(|| (base + i16::from(v) - 64).clamp(0, 127) as u8) // ok: clamped
                    })
                    .collect();
                let len_code = lock(2).unwrap_or(mp.length);
                let length = rules::note_length_ticks(len_code, track_loop.step_ticks);
                let note = s.trig.then(|| MidiNote {
                    channel,
                    note: base.clamp(0, 127) as u8, // ok: clamped
                    chord,
                    velocity: lock(1).unwrap_or(mp.velocity).clamp(1, 127),
                    len_code,
                    length: length.unwrap_or(0),
                    infinite: length.is_none(),
                    micro: s.micro,
                    condition: s.condition.name(),
                    repeat: 0,
                });
                // Locks 18-29: PB, AT, CC1-CC10, in the order of `controllers`.
                let controls: [Option<u8>; CONTROLLERS] = std::array::from_fn(|k| lock(18 + k));
                let tick = trig_tick(grid, s.swing.then_some(swing), s.micro, track_loop.step_ticks);
                Some(Candidate {
                    tick,
                    ti,
                    step,
                    pass,
                    condition: s.condition.0,
                    oneshot: false,
                    repeats: s.repeats,
                    next_step: next_step(grid, track_loop.step_ticks),
                    payload: Payload::Midi { note, controls },
                })
            });
            cands.extend(found);
        }
        self.evaluate(cands, seg_index, &setups);
        Ok(())
    }

    /// Evaluates the conditions in time order (PRE and NEI read earlier results) and emits what
    /// plays.
    fn evaluate(&mut self, mut cands: Vec<Candidate>, seg_index: usize, setups: &[MidiSetup]) {
        cands.sort_by_key(|c| (c.tick, c.ti, c.step));
        for c in cands {
            let neighbour = match c.ti {
                0 | 8 => None,
                i => self.run.last.get(i - 1).copied().flatten(),
            };
            let draw = if (9..=29).contains(&c.condition) { self.draws.next_percent() } else { 0 };
            let ctx = ConditionContext {
                pass: c.pass,
                fill: self.opts.fill,
                previous: self.run.last.get(c.ti).copied().flatten(),
                neighbour,
                draw,
            };
            let holds = self.opts.every_condition || rules::condition_holds(c.condition, &ctx);
            if c.condition != 0
                && !rules::reads_other_results(c.condition)
                && let Some(x) = self.run.last.get_mut(c.ti)
            {
                *x = Some(holds);
            }
            if !holds {
                continue;
            }
            // A one-shot trig plays once after the pattern starts (manual 12.4 TRIG TYPES).
            if c.oneshot && !self.run.oneshots.insert((c.ti, c.step)) {
                continue;
            }
            let tick = u64::try_from(c.tick).unwrap_or(0);
            let step = u8::try_from(c.step + 1).unwrap_or(64);
            // The trig and the trigs its count adds (a count of 1: the trig alone); at most 8,
            // kept on the stack: this runs for every trig that plays.
            let mut ticks = [0u64; 8];
            let mut count = 0;
            for (slot, t) in ticks.iter_mut().zip(rules::repeat_ticks(c.tick, c.next_step, c.repeats)) {
                *slot = u64::try_from(t).unwrap_or(0);
                count += 1;
            }
            let repeats = ticks.get(..count).unwrap_or_default();
            let spacing = match repeats {
                [a, b, ..] => Some(b - a),
                _ => None,
            };
            match c.payload {
                Payload::Audio { muted: true, .. } => {}
                Payload::Audio { trig, muted: false } => {
                    let track = TrackId::Audio(u8::try_from(c.ti + 1).unwrap_or(8));
                    each_repeat(repeats, trig, |at, repeat, trig| {
                        self.out.events.push(Event {
                            tick: at,
                            track,
                            segment: seg_index,
                            step,
                            pass: c.pass,
                            kind: EventKind::AudioTrig(AudioTrig { repeat, ..trig }),
                        });
                    });
                }
                Payload::Midi { note, controls } => {
                    let mi = c.ti.saturating_sub(8);
                    let track = TrackId::Midi(u8::try_from(mi + 1).unwrap_or(8));
                    let Some(setup) = setups.get(mi) else { continue };
                    // A lock holds for its trig; the next trig without one goes back to the
                    // part's value. A value is sent when it differs from the last one sent.
                    for (k, &(controller, default)) in setup.controllers.iter().enumerate() {
                        let value = controls.get(k).copied().flatten().unwrap_or(default);
                        let Some(sent) = self.sent.get_mut(mi).and_then(|s| s.get_mut(k)) else { continue };
                        if *sent == Some(value) {
                            continue;
                        }
                        *sent = Some(value);
                        self.out.events.push(Event {
                            tick,
                            track,
                            segment: seg_index,
                            step,
                            pass: c.pass,
                            kind: EventKind::Control(Control { channel: setup.channel, controller, value }),
                        });
                    }
                    if let Some(n) = note {
                        each_repeat(repeats, n, |at, repeat, mut n| {
                            n.repeat = repeat;
                            // A repeated note ends at the next repeat at the latest, so that the
                            // same key is never struck while it still sounds (inferred).
                            if let Some(gap) = spacing
                                && !n.infinite
                            {
                                n.length = n.length.min(gap).max(1);
                            }
                            self.out.events.push(Event {
                                tick: at,
                                track,
                                segment: seg_index,
                                step,
                                pass: c.pass,
                                kind: EventKind::Note(n),
                            });
                        });
                    }
                }
            }
        }
    }
}
