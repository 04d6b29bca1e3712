//! What plays and when: a pattern, a list of patterns or an arrangement expanded into timed
//! events on one integer tick grid (issue 21).
//!
//! The sequencer rules and their evidence are in [`rules`] (lengths, scales, swing,
//! micro-timing, trig conditions, MIDI note lengths) and in `docs/octatrack-timeline.md`; the
//! expansion itself is in `expand.rs`. Everything here reads the model ([`crate::model`]) and
//! never writes.
//!
//! ```no_run
//! use groovekit_octatrack::{Project, timeline};
//! # fn main() -> Result<(), groovekit_octatrack::OtError> {
//! let mut project = Project::open("MYPROJECT".as_ref())?;
//! let t = timeline::expand_patterns(&mut project, 1, &[1, 2], &timeline::Options { passes: 2, ..Default::default() })?;
//! for e in &t.events {
//!     println!("{} {:?} {:?}", e.tick, e.track, e.kind);
//! }
//! # Ok(()) }
//! ```
//!
//! Ticks: [`TICKS_PER_STEP`] ticks are one step at scale 1X (a sixteenth note), so a quarter
//! note is [`TICKS_PER_QUARTER`]. Ticks count musical time; the tempo of each stretch is in its
//! [`Segment`] (a tempo map), so seconds are `ticks / TICKS_PER_QUARTER * 60 / bpm` per segment.

mod expand;
pub mod rules;
pub mod silent;

use crate::OtError;
use crate::model::bank::{Bank, Condition};
use crate::model::project::{Project as ProjectFile, SlotType};
use crate::model::project_folder::Project;

pub use rules::{Scale, TICKS_PER_QUARTER, TICKS_PER_STEP};

/// How to expand.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// How many times each pattern plays (pattern passes; an arrangement row plays as often as
    /// its repeats say and ignores this). At least 1.
    pub passes: u32,
    /// The FILL switch: `fill` conditions are true and `!fill` false while it is on (manual
    /// 12.14 FILL MODE).
    pub fill: bool,
    /// Seed of the random numbers behind `%` conditions: the same seed gives the same run.
    pub seed: u64,
    /// How often an arrangement's endless loop (loop count 0, "forever") goes round before the
    /// expansion stops, and the bound on every loop count (the device accepts up to 100).
    pub max_loops: u32,
    /// Take every trig condition as true: what can play at all, in some pass (slot usage and
    /// `verify` ask this). One-shot trigs still play once.
    pub every_condition: bool,
}

impl Default for Options {
    fn default() -> Self {
        Self { passes: 1, fill: false, seed: 0, max_loops: 1, every_condition: false }
    }
}

/// A track of the timeline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(tag = "kind", content = "number", rename_all = "snake_case")]
pub enum TrackId {
    /// Audio track 1-8.
    Audio(u8),
    /// MIDI track 1-8.
    Midi(u8),
}

impl TrackId {
    /// `T1`..`T8` for audio tracks, `M1`..`M8` for MIDI tracks.
    pub fn name(self) -> String {
        match self {
            TrackId::Audio(n) => format!("T{n}"),
            TrackId::Midi(n) => format!("M{n}"),
        }
    }
}

/// One event: where, when and what.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Event {
    /// When, in ticks from the start of the timeline.
    pub tick: u64,
    /// Which track.
    pub track: TrackId,
    /// The index of the [`Segment`] it belongs to (in [`Timeline::segments`]).
    pub segment: usize,
    /// The step of the pattern that holds it, 1-64 (0 for events that belong to no step: the
    /// part's program change and CC values at the start of a segment).
    pub step: u8,
    /// The track's pass (1 = the first time the track plays its length since the pattern
    /// started): what `A:B`, `1ST` and one-shot trigs count.
    pub pass: u32,
    /// What happens.
    pub kind: EventKind,
}

/// What an event does.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum EventKind {
    /// A trig on an audio track (a sample trig, or a trigless lock trig).
    AudioTrig(AudioTrig),
    /// A note (or chord) on a MIDI track.
    Note(MidiNote),
    /// A CC, pitch bend or aftertouch value on a MIDI track.
    Control(Control),
    /// Bank select and program change of a MIDI track (from the part), at the start of a segment
    /// whose part differs from the previous segment's.
    Program(ProgramChange),
}

/// A trig on an audio track.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AudioTrig {
    /// Whether it starts a sample: a sample trig (not trigless) on a Flex or Static machine, on a
    /// track that is not the master track.
    pub plays_sample: bool,
    /// The machine of the track in the pattern's part: `static`, `flex`, `thru`, `neighbor`,
    /// `pickup`, or `master` for track 8 as the master track (`MASTER_TRACK=1`).
    pub machine: String,
    /// The sample slot it plays (Flex or Static pool and slot 1-136): the sample lock or the
    /// part's slot; None for other machines.
    pub slot: Option<(SlotType, u16)>,
    /// Whether `slot` comes from a sample lock.
    pub sample_lock: bool,
    /// The slice lock (1-64), if any.
    pub slice: Option<u8>,
    /// A trigless (lock-only) trig: it changes locked parameters and plays nothing.
    pub trigless: bool,
    /// A one-shot trig (plays on the first pass only).
    pub oneshot: bool,
    /// A slide trig: locked parameters slide from the previous trig's values over one step.
    pub slide: bool,
    /// The AMP VOL lock, if any (the nearest thing to a velocity an audio trig has).
    pub volume: Option<u16>,
    /// The SRC retrig locks (RTRG as plays 1-128, RTIM as stored); not expanded into trigs.
    pub retrig: (Option<u8>, Option<u8>),
    /// The trig count (1-8, ot-tools-io "trig counts"; the micro-timing menu's TRIG COUNT):
    /// a count of N plays the trig N times, evenly spaced from the trig to the next step
    /// ([`rules::repeat_ticks`]), one event each.
    pub count: u8,
    /// 0 for the trig itself; 1 to `count - 1` for the trigs its count adds.
    pub repeat: u8,
    /// Micro-timing in 1/384 of a step (already applied to the tick).
    pub micro: i8,
    /// The condition that let it play (`none` when there is none).
    pub condition: String,
    /// Every lock of the step, by name, as the device shows it.
    pub locks: Vec<(String, u16)>,
}

/// A note on a MIDI track.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct MidiNote {
    /// MIDI channel 1-16 (the part's channel).
    pub channel: u8,
    /// The note 0-127 (lock, else the part's default note; plus an arrangement row's transpose).
    pub note: u8,
    /// Chord notes NOT2-NOT4 that sound with it (0-127), in that order; empty for a single note.
    pub chord: Vec<u8>,
    /// Velocity 1-127 (lock, else the part's default).
    pub velocity: u8,
    /// The LEN code as stored (lock, else the part's default).
    pub len_code: u8,
    /// How long it sounds, in ticks (an INF note lasts until the next note of the track or the
    /// end of the timeline).
    pub length: u64,
    /// Whether the LEN code is INF.
    pub infinite: bool,
    /// Micro-timing in 1/384 of a step (already applied to the tick).
    pub micro: i8,
    /// The condition that let it play.
    pub condition: String,
    /// 0 for the note itself; 1-7 for the notes its trig count adds (as for audio trigs; a
    /// repeated note lasts at most until the next repeat).
    pub repeat: u8,
}

/// Which controller a [`Control`] event sets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "controller", content = "number", rename_all = "snake_case")]
pub enum Controller {
    /// Control change with this CC number (from the part's CTRL1/CTRL2 setup).
    Cc(u8),
    /// Pitch bend (the value 0-127, 64 = centre).
    PitchBend,
    /// Channel aftertouch.
    Aftertouch,
}

/// A controller value on a MIDI track.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Control {
    /// MIDI channel 1-16.
    pub channel: u8,
    /// Which controller.
    pub controller: Controller,
    /// The value 0-127 as the device stores it.
    pub value: u8,
}

/// The part's bank select and program change of a MIDI track.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ProgramChange {
    /// MIDI channel 1-16.
    pub channel: u8,
    /// Bank select (CC 0), None when the part has it off.
    pub bank: Option<u8>,
    /// Program 0-127, None when off.
    pub program: Option<u8>,
}

/// One pattern pass, or one pass of an arrangement row: for markers and the tempo map.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Segment {
    /// First tick.
    pub start: u64,
    /// Length in ticks.
    pub length: u64,
    /// Tempo in BPM while it plays.
    pub tempo: f64,
    /// Bank 1-16.
    pub bank: u8,
    /// Pattern 1-16.
    pub pattern: u8,
    /// The part the pattern plays, 1-4.
    pub part: u8,
    /// Which pass of this pattern (or of this row's repeats), 1-based.
    pub pass: u32,
    /// The arrangement row (1-256), None outside an arrangement.
    pub row: Option<u16>,
    /// A label for a marker: `A01` or `row 3: A01`.
    pub label: String,
}

/// An expanded pattern, list of patterns or arrangement.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct Timeline {
    /// Every event, sorted by tick (then track, then step).
    pub events: Vec<Event>,
    /// The segments in play order.
    pub segments: Vec<Segment>,
    /// The tick where the timeline ends (the end of the last segment).
    pub end: u64,
    /// What the timeline holds but did not expand, by name (`arpeggiator (M1)`, `LFOs`,
    /// `scenes`, ...), each once.
    pub not_expanded: Vec<String>,
}

impl Timeline {
    /// The events of one track, in order.
    pub fn track(&self, track: TrackId) -> impl Iterator<Item = &Event> {
        self.events.iter().filter(move |e| e.track == track)
    }
}

/// The lengths of a pattern as the device applies them (see [`rules::master_steps`]): in
/// normal scale mode every track has the master length and scale; in per-track mode each track
/// has its own, and a finite master length restarts every track when it ends.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PatternLengths {
    /// Per-track scale mode.
    pub per_track: bool,
    /// The master length in steps (normal mode 1-64; per-track mode 2-1024), None = INF.
    pub master_steps: Option<u32>,
    /// The master scale (per-track mode: the scale the master length counts in).
    pub master_scale: Scale,
    /// Length of audio tracks 1-8 in steps (1-64).
    pub audio_steps: [u8; 8],
    /// Ticks of one step of audio tracks 1-8 (their scale).
    pub audio_step_ticks: [u64; 8],
    /// Length of MIDI tracks 1-8 in steps.
    pub midi_steps: [u8; 8],
    /// Ticks of one step of MIDI tracks 1-8.
    pub midi_step_ticks: [u64; 8],
}

impl PatternLengths {
    /// The ticks of the master length (None for INF).
    pub fn master_ticks(&self) -> Option<u64> {
        self.master_steps.map(|m| u64::from(m) * self.master_scale.step_ticks())
    }

    /// How many steps of a track can ever sound (from step 1): its length, cut where a finite
    /// master length restarts the track first. A step past this never plays (issue 21: the
    /// multipart bank's trig on step 49 of a 16-step track).
    pub fn playable_steps(&self, track: TrackId) -> u8 {
        let (steps, ticks) = match track {
            TrackId::Audio(n) => {
                (self.audio_steps.get(usize::from(n.max(1) - 1)), self.audio_step_ticks.get(usize::from(n.max(1) - 1)))
            }
            TrackId::Midi(n) => {
                (self.midi_steps.get(usize::from(n.max(1) - 1)), self.midi_step_ticks.get(usize::from(n.max(1) - 1)))
            }
        };
        let (steps, ticks) = (steps.copied().unwrap_or(16), ticks.copied().unwrap_or(TICKS_PER_STEP).max(1));
        match self.master_ticks() {
            Some(m) => {
                let fit = m.div_ceil(ticks).min(64) as u8; // ok: at most 64
                steps.min(fit)
            }
            None => steps,
        }
    }

    pub(crate) fn audio_loop(&self, i: usize) -> expand::TrackLoop {
        expand::TrackLoop {
            steps: u32::from(self.audio_steps.get(i).copied().unwrap_or(16)),
            step_ticks: self.audio_step_ticks.get(i).copied().unwrap_or(TICKS_PER_STEP),
        }
    }

    pub(crate) fn midi_loop(&self, i: usize) -> expand::TrackLoop {
        expand::TrackLoop {
            steps: u32::from(self.midi_steps.get(i).copied().unwrap_or(16)),
            step_ticks: self.midi_step_ticks.get(i).copied().unwrap_or(TICKS_PER_STEP),
        }
    }
}

/// The lengths of pattern `pattern` (1-16) of `bank` as the device applies them.
pub fn pattern_lengths(bank: &Bank, pattern: u8) -> Result<PatternLengths, OtError> {
    expand::loops(bank, pattern)
}

/// Where the expansion gets banks and the project settings (the tempo, `MASTER_TRACK`,
/// `PATTERN_TEMPO_ENABLED`).
pub trait BankSource {
    /// Bank `n` (1-16).
    fn bank(&mut self, n: u8) -> Result<&Bank, OtError>;
    /// The project's settings.
    fn settings(&self) -> &ProjectFile;
}

impl BankSource for Project {
    fn bank(&mut self, n: u8) -> Result<&Bank, OtError> {
        Project::bank(self, n)
    }

    fn settings(&self) -> &ProjectFile {
        Project::settings(self)
    }
}

/// One bank and the project settings, for callers that hold a bank already.
#[derive(Debug, Clone, Copy)]
pub struct OneBank<'a> {
    /// The bank (its number is [`Bank::number`]).
    pub bank: &'a Bank,
    /// The project settings.
    pub settings: &'a ProjectFile,
}

impl BankSource for OneBank<'_> {
    fn bank(&mut self, n: u8) -> Result<&Bank, OtError> {
        if n == self.bank.number() {
            Ok(self.bank)
        } else {
            Err(OtError::Invalid {
                field: format!("bank {n}"),
                message: format!("only bank {} is loaded here", self.bank.number()),
            })
        }
    }

    fn settings(&self) -> &ProjectFile {
        self.settings
    }
}

/// Expands patterns `patterns` (1-16, played in this order, each [`Options::passes`] times) of
/// bank `bank` (1-16) of `project`.
pub fn expand_patterns(project: &mut Project, bank: u8, patterns: &[u8], opts: &Options) -> Result<Timeline, OtError> {
    expand_patterns_from(project, bank, patterns, opts)
}

/// [`expand_patterns`] over any [`BankSource`] (a [`OneBank`], for instance).
pub fn expand_patterns_from(
    source: &mut dyn BankSource,
    bank: u8,
    patterns: &[u8],
    opts: &Options,
) -> Result<Timeline, OtError> {
    expand::patterns(source, bank, patterns, opts)
}

/// Expands arrangement `arrangement` (1-8) of `project`: its current block (what SYNC TO CARD
/// wrote), row by row, following loops and jumps until a halt, the last row, or the loop bound
/// of [`Options::max_loops`].
pub fn expand_arrangement(project: &mut Project, arrangement: u8, opts: &Options) -> Result<Timeline, OtError> {
    let rows = project.arrangement(arrangement)?.rows(crate::raw::arrangement::Block::Current);
    expand::arrangement(project, &rows, opts)
}

/// Expands arrangement rows (as [`crate::model::arrangement::Arrangement::rows`] returns them)
/// over any [`BankSource`].
pub fn expand_rows_from(
    source: &mut dyn BankSource,
    rows: &[crate::model::arrangement::Row],
    opts: &Options,
) -> Result<Timeline, OtError> {
    expand::arrangement(source, rows, opts)
}

/// Whether the condition lets a trig play, given what the evaluation knows: the track's pass,
/// the fill switch, the previous result on the same track (PRE), on the neighbour track (NEI),
/// and a random draw 0-99 for `%` conditions. Exposed for tests and for users' own code.
pub fn condition_holds(c: Condition, ctx: &rules::ConditionContext) -> bool {
    rules::condition_holds(c.0, ctx)
}

#[cfg(test)]
#[path = "timeline_tests.rs"]
mod tests;
