//! The meaning of a song: tempo, samples, patterns, score and humanize, validated against the
//! rules of `docs/track-format.md` and the documented limits. Built from [`crate::raw`].

use std::collections::BTreeMap;

use crate::error::{Diagnostic, Span, TrackError};
use crate::raw::{self, Document, Num, Statement};

/// Tempo when the song has no `BPM` line.
pub const DEFAULT_BPM: f64 = 120.0;
/// Lowest accepted tempo.
pub const MIN_BPM: f64 = 1.0;
/// Highest accepted tempo.
pub const MAX_BPM: f64 = 1000.0;
/// Pattern length when `LENGTH` is omitted, in units.
pub const DEFAULT_LENGTH: f64 = 1.0;
/// Longest pattern, in units (64 units = 256 beats).
pub const MAX_LENGTH_UNITS: f64 = 64.0;
/// Latest time any pattern instance may end, in seconds (one hour).
pub const MAX_SONG_SECONDS: f64 = 3600.0;
/// Most voices (events after expanding every trigger) in one song.
pub const MAX_VOICES: usize = 4_000_000;
/// Largest event volume (linear gain).
pub const MAX_VOLUME: f64 = 16.0;
/// Longest generated tone, in seconds.
pub const MAX_TONE_SECONDS: f64 = 60.0;
/// Most harmonics of a generated tone.
pub const MAX_HARMONICS: u32 = 256;
/// Highest generated frequency, in Hz.
pub const MAX_FREQ: f64 = 100_000.0;
/// Largest `OFFSET`, in seconds.
pub const MAX_OFFSET_SECONDS: f64 = 60.0;
/// Largest amplitude of a generated tone.
pub const MAX_AMP: f64 = 16.0;

/// Parameters of a generated (harmonic) tone. Times are in seconds.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct ToneParams {
    /// Fundamental frequency in Hz.
    pub freq: f64,
    /// Length of the tone.
    pub dur: f64,
    /// Peak amplitude (linear, 1.0 = full scale).
    pub amp: f64,
    /// Linear rise from silence to the peak.
    pub attack: f64,
    /// Number of harmonics (partial k has amplitude 1/k); partials at or above Nyquist are left out.
    pub harmonics: u32,
    /// Exponential decay time constant after the attack (0 = no decay).
    pub decay: f64,
}

impl ToneParams {
    /// The defaults of a `NOTE_*` sample at `freq`: 0.5 s long, amplitude 0.5, 5 ms attack,
    /// 6 harmonics, 0.2 s decay.
    pub fn note(freq: f64) -> Self {
        Self { freq, dur: 0.5, amp: 0.5, attack: 0.005, harmonics: 6, decay: 0.2 }
    }
}

/// Where a sample's sound comes from.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SampleKind {
    /// An audio file (`ASSET_*`), found by [`crate::assets`].
    Asset,
    /// A generated tone (`NOTE_*` or a long-form `SAMPLE`).
    Tone(ToneParams),
}

/// A sample the song uses or declares.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SampleDef {
    /// The name (`ASSET_KICK_1`, `NOTE_C4`, ...).
    pub name: String,
    /// Asset or generated.
    pub kind: SampleKind,
    /// `OFFSET` in seconds: the sample starts this much before its events' times.
    pub offset: f64,
    /// Whether a `SAMPLE` line declares it.
    pub declared: bool,
    /// The declaration, or the first event that uses it.
    pub span: Span,
    /// Whether any event uses it.
    pub used: bool,
}

/// One event of a pattern.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Event {
    /// Units from the pattern's trigger, in [0, LENGTH].
    pub time: f64,
    /// Index into [`Song::samples`].
    pub sample: usize,
    /// Linear gain >= 0.
    pub volume: f64,
    /// Pan in [-1, 1].
    pub pan: f64,
    /// The event's time field.
    pub span: Span,
}

/// A pattern.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Pattern {
    /// Its name.
    pub name: String,
    /// How long an instance is active, in units.
    pub length: f64,
    /// Events in file order.
    pub events: Vec<Event>,
    /// The name in the `PATTERN` line.
    pub span: Span,
}

/// One pattern trigger of the score.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Trigger {
    /// Units from the start of the song.
    pub time: f64,
    /// Index into [`Song::patterns`].
    pub pattern: usize,
    /// The trigger's time field.
    pub span: Span,
}

/// `HUMANIZE`: deterministic per-event jitter.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Humanize {
    /// PRNG seed.
    pub seed: u64,
    /// Largest timing shift, percent of a beat (a quarter unit), either way.
    pub timing_pct: f64,
    /// Largest gain change, percent, either way.
    pub volume_pct: f64,
}

/// A validated song.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Song {
    /// Tempo.
    pub bpm: f64,
    /// Samples: declared ones in file order, then undeclared ones in order of first use.
    pub samples: Vec<SampleDef>,
    /// Patterns in file order.
    pub patterns: Vec<Pattern>,
    /// Score triggers in file order.
    pub score: Vec<Trigger>,
    /// Humanize settings.
    pub humanize: Option<Humanize>,
}

/// The result of checking a song text: the song when it has no errors, and every diagnostic.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The song, `None` when there is any error.
    pub song: Option<Song>,
    /// What could be built despite errors (lines with errors left out): lets a checker go on to
    /// look for missing assets.
    pub draft: Song,
    /// Errors and warnings, sorted by position; repeated ones capped
    /// ([`crate::error::cap_repeated`]: count with [`Diagnostic::count`]).
    pub diagnostics: Vec<Diagnostic>,
}

impl Song {
    /// Seconds per unit at this song's tempo (1 unit = 4 beats).
    pub fn seconds_per_unit(&self) -> f64 {
        240.0 / self.bpm
    }

    /// Seconds from the start of the song to `units`.
    pub fn seconds(&self, units: f64) -> f64 {
        units * 240.0 / self.bpm
    }

    /// Parses and validates a song; errors (with every diagnostic) when it has any error.
    pub fn parse(text: &str) -> Result<Song, TrackError> {
        let c = check(text);
        match c.song {
            Some(s) => Ok(s),
            None => Err(TrackError::Invalid(c.diagnostics)),
        }
    }

    /// End of the last pattern instance (trigger + LENGTH), in seconds.
    pub fn pattern_end_seconds(&self) -> f64 {
        self.score
            .iter()
            .filter_map(|t| self.patterns.get(t.pattern).map(|p| self.seconds(t.time + p.length)))
            .fold(0.0, f64::max)
    }

    /// Samples the song uses without a `SAMPLE` line.
    pub fn undeclared(&self) -> impl Iterator<Item = &SampleDef> {
        self.samples.iter().filter(|s| !s.declared)
    }

    /// Number of voices (events of every triggered pattern instance).
    pub fn voice_count(&self) -> usize {
        self.score.iter().map(|t| self.patterns.get(t.pattern).map_or(0, |p| p.events.len())).sum()
    }
}

/// The MIDI note number of a `NOTE_<A-G>[#|b]<octave -1..9>` name (C4 = 60, A4 = 69).
pub fn note_number(name: &str) -> Option<i32> {
    let rest = name.strip_prefix("NOTE_")?;
    let mut chars = rest.chars();
    let semitone = match chars.next()? {
        'C' => 0,
        'D' => 2,
        'E' => 4,
        'F' => 5,
        'G' => 7,
        'A' => 9,
        'B' => 11,
        _ => return None,
    };
    let rest = chars.as_str();
    let (acc, rest) = if let Some(r) = rest.strip_prefix('#') {
        (1, r)
    } else if let Some(r) = rest.strip_prefix('b') {
        (-1, r)
    } else {
        (0, rest)
    };
    let octave = match rest.as_bytes() {
        [b'-', b'1'] => -1,
        [d] if d.is_ascii_digit() => i32::from(*d - b'0'),
        _ => return None,
    };
    Some((octave + 1) * 12 + semitone + acc)
}

/// 12-TET frequency of a MIDI note number, A4 (69) = 440 Hz.
pub fn note_hz(number: i32) -> f64 {
    440.0 * 2f64.powf(f64::from(number - 69) / 12.0)
}

/// Parses and validates a song text, collecting every problem.
pub fn check(text: &str) -> Checked {
    let (doc, mut diags) = raw::parse(text);
    let draft = build(&doc, &mut diags);
    diags.sort_by_key(|d| (d.span.start, d.severity));
    let diags = crate::error::cap_repeated(diags, crate::error::MAX_REPEATS);
    let ok = !diags.iter().any(Diagnostic::is_error);
    Checked { song: ok.then(|| draft.clone()), draft, diagnostics: diags }
}

fn range_check(diags: &mut Vec<Diagnostic>, n: &Num, what: &str, lo: f64, hi: f64, help: &str) -> bool {
    if n.value < lo || n.value > hi {
        diags.push(Diagnostic::error(n.span, format!("{what} {} is outside [{lo}, {hi}]", n.text)).with_help(help));
        false
    } else {
        true
    }
}

fn tone_from(diags: &mut Vec<Diagnostic>, t: &raw::ToneFields) -> Option<ToneParams> {
    let mut ok = range_check(diags, &t.freq, "frequency", f64::MIN_POSITIVE, MAX_FREQ, "Hz, above 0");
    ok &= range_check(diags, &t.dur, "duration", 0.0, MAX_TONE_SECONDS, "seconds");
    ok &= range_check(diags, &t.amp, "amplitude", 0.0, MAX_AMP, "linear gain");
    ok &= range_check(diags, &t.attack, "attack", 0.0, MAX_TONE_SECONDS, "seconds");
    ok &= range_check(diags, &t.decay, "decay", 0.0, MAX_TONE_SECONDS, "seconds; 0 = no decay");
    let h = t.harmonics.value;
    if h.fract() != 0.0 || !(1.0..=f64::from(MAX_HARMONICS)).contains(&h) {
        diags.push(Diagnostic::error(
            t.harmonics.span,
            format!("harmonics {} must be a whole number from 1 to {MAX_HARMONICS}", t.harmonics.text),
        ));
        ok = false;
    }
    ok.then_some(ToneParams {
        freq: t.freq.value,
        dur: t.dur.value,
        amp: t.amp.value,
        attack: t.attack.value,
        harmonics: h as u32,
        decay: t.decay.value,
    })
}

const NOTE_HELP: &str = "notes are NOTE_<A-G>[#|b]<octave -1..9>, for example NOTE_C4, NOTE_A#3, NOTE_Eb2";

fn build(doc: &Document, diags: &mut Vec<Diagnostic>) -> Song {
    let mut bpm: Option<&Num> = None;
    let mut humanize = None;
    let mut humanize_seen = false;
    let mut samples: Vec<SampleDef> = Vec::new();
    let mut sample_index: BTreeMap<String, usize> = BTreeMap::new();
    let mut patterns: Vec<Pattern> = Vec::new();
    let mut pattern_index: BTreeMap<String, usize> = BTreeMap::new();
    let mut score_seen = false;
    // Event lines per pattern as written, for the voice limit (counted before events are checked).
    let mut event_lines: Vec<usize> = Vec::new();
    let mut block: Option<usize> = None;

    // Pass 1: headers (order-independent): tempo, samples, pattern names, humanize.
    for line in &doc.lines {
        let Some(st) = &line.statement else { continue };
        match st {
            Statement::Event { .. } => {
                if let Some(n) = block.and_then(|b| event_lines.get_mut(b)) {
                    *n += 1;
                }
                continue;
            }
            Statement::Trigger { .. } => continue,
            _ => block = None,
        }
        match st {
            Statement::Bpm { bpm: n } => {
                if bpm.is_some() {
                    diags.push(Diagnostic::error(n.span, "BPM is given twice").with_help("keep one BPM line"));
                } else if range_check(diags, n, "BPM", MIN_BPM, MAX_BPM, "beats per minute") {
                    bpm = Some(n);
                }
            }
            Statement::Sample { name, tone, offset } => {
                if sample_index.contains_key(&name.text) {
                    diags.push(
                        Diagnostic::error(name.span, format!("sample `{}` is declared twice", name.text))
                            .with_help("keep one SAMPLE line per name"),
                    );
                    continue;
                }
                let offset_sec = match offset {
                    Some(o) if range_check(diags, o, "OFFSET", 0.0, MAX_OFFSET_SECONDS, "seconds") => o.value,
                    Some(_) => continue,
                    None => 0.0,
                };
                let kind = if name.text.starts_with("ASSET_") {
                    if tone.is_some() {
                        diags.push(
                            Diagnostic::error(
                                name.span,
                                format!("`{}` is an audio file: it takes no tone values", name.text),
                            )
                            .with_help(
                                "write `SAMPLE ASSET_NAME [OFFSET <sec>]`, or use another name for a generated tone",
                            ),
                        );
                        continue;
                    }
                    if name.text.len() == "ASSET_".len() {
                        diags.push(Diagnostic::error(name.span, "`ASSET_` needs a name after it"));
                        continue;
                    }
                    SampleKind::Asset
                } else if let Some(t) = tone {
                    match tone_from(diags, t) {
                        Some(p) => SampleKind::Tone(p),
                        None => continue,
                    }
                } else if let Some(n) = note_number(&name.text) {
                    SampleKind::Tone(ToneParams::note(note_hz(n)))
                } else if name.text.starts_with("NOTE_") {
                    diags.push(
                        Diagnostic::error(name.span, format!("`{}` is not a note name", name.text))
                            .with_help(NOTE_HELP),
                    );
                    continue;
                } else {
                    diags.push(
                        Diagnostic::error(
                            name.span,
                            format!("`{}` is neither an ASSET_ nor a NOTE_ name, so it needs tone values", name.text),
                        )
                        .with_help("write `SAMPLE NAME, freq, dur, amp, attack, harmonics, decay`"),
                    );
                    continue;
                };
                sample_index.insert(name.text.clone(), samples.len());
                samples.push(SampleDef {
                    name: name.text.clone(),
                    kind,
                    offset: offset_sec,
                    declared: true,
                    span: name.span,
                    used: false,
                });
            }
            Statement::Pattern { name, length } => {
                if pattern_index.contains_key(&name.text) {
                    diags.push(
                        Diagnostic::error(name.span, format!("pattern `{}` is defined twice", name.text))
                            .with_help("rename one of them"),
                    );
                    continue;
                }
                let len = match length {
                    Some(l) => {
                        if l.value <= 0.0 || l.value > MAX_LENGTH_UNITS {
                            diags.push(
                                Diagnostic::error(
                                    l.span,
                                    format!("LENGTH {} must be above 0 and at most {MAX_LENGTH_UNITS} units", l.text),
                                )
                                .with_help("1 unit = 4 beats"),
                            );
                        }
                        l.value
                    }
                    None => DEFAULT_LENGTH,
                };
                pattern_index.insert(name.text.clone(), patterns.len());
                block = Some(patterns.len());
                event_lines.push(0);
                patterns.push(Pattern { name: name.text.clone(), length: len, events: Vec::new(), span: name.span });
            }
            Statement::Humanize { seed, timing, volume } => {
                if humanize_seen {
                    diags.push(
                        Diagnostic::error(line.span, "HUMANIZE is given twice").with_help("keep one HUMANIZE line"),
                    );
                    continue;
                }
                humanize_seen = true;
                let mut ok = true;
                if seed.value.fract() != 0.0 || !(0.0..=9_007_199_254_740_992.0).contains(&seed.value) {
                    diags.push(Diagnostic::error(
                        seed.span,
                        format!("SEED {} must be a whole number from 0 to 2^53", seed.text),
                    ));
                    ok = false;
                }
                ok &= range_check(diags, timing, "TIMING", 0.0, 100.0, "percent of a beat");
                ok &= range_check(diags, volume, "VOLUME", 0.0, 100.0, "percent");
                if ok {
                    humanize =
                        Some(Humanize { seed: seed.value as u64, timing_pct: timing.value, volume_pct: volume.value });
                }
            }
            Statement::Score => score_seen = true,
            Statement::Event { .. } | Statement::Trigger { .. } => {}
        }
    }
    let bpm_value = bpm.map_or(DEFAULT_BPM, |n| n.value);
    let sec_per_unit = 240.0 / bpm_value;

    // Pass 2: events and triggers.
    let mut current: Option<usize> = None;
    let mut score: Vec<Trigger> = Vec::new();
    let mut voices = 0usize;
    let mut voice_limit_hit = false;
    for line in &doc.lines {
        let Some(st) = &line.statement else { continue };
        match st {
            Statement::Pattern { name, .. } => {
                // A duplicate definition gets no events (its events were already reported with it).
                current = pattern_index
                    .get(&name.text)
                    .copied()
                    .filter(|&i| patterns.get(i).is_some_and(|p| p.span == name.span));
            }
            Statement::Event { time, sample, volume, pan } => {
                let Some(pi) = current else { continue };
                let length = patterns.get(pi).map_or(DEFAULT_LENGTH, |p| p.length);
                let mut ok = true;
                if time.value < 0.0 || time.value > length {
                    diags.push(
                        Diagnostic::error(time.span, format!("event time {} is outside the pattern [0, {length}]", time.text))
                            .with_help("event times are absolute units from the pattern's start (1 unit = 4 beats), at most LENGTH"),
                    );
                    ok = false;
                }
                ok &= range_check(diags, volume, "volume", 0.0, MAX_VOLUME, "linear gain: 1.0 = unchanged, 0 = silent");
                ok &= range_check(diags, pan, "pan", -1.0, 1.0, "-1 = left, 0 = centre, 1 = right");
                let si = match sample_index.get(&sample.text) {
                    Some(&i) => Some(i),
                    None => {
                        let kind = if sample.text.starts_with("NOTE_") {
                            match note_number(&sample.text) {
                                Some(n) => Some(SampleKind::Tone(ToneParams::note(note_hz(n)))),
                                None => {
                                    diags.push(
                                        Diagnostic::error(sample.span, format!("`{}` is not a note name", sample.text))
                                            .with_help(NOTE_HELP),
                                    );
                                    None
                                }
                            }
                        } else if sample.text.starts_with("ASSET_") && sample.text.len() > "ASSET_".len() {
                            Some(SampleKind::Asset)
                        } else {
                            let near = crate::ops::nearest(&sample.text, samples.iter().map(|s| s.name.as_str()));
                            let help = if near.is_empty() {
                                "samples are ASSET_<NAME> (audio files), NOTE_<note><octave>, or declared with SAMPLE"
                                    .to_string()
                            } else {
                                format!("did you mean {}?", near.join(", "))
                            };
                            diags.push(
                                Diagnostic::error(sample.span, format!("unknown sample `{}`", sample.text))
                                    .with_help(help),
                            );
                            None
                        };
                        kind.map(|kind| {
                            let i = samples.len();
                            sample_index.insert(sample.text.clone(), i);
                            samples.push(SampleDef {
                                name: sample.text.clone(),
                                kind,
                                offset: 0.0,
                                declared: false,
                                span: sample.span,
                                used: false,
                            });
                            i
                        })
                    }
                };
                if let (true, Some(si), Some(p)) = (ok, si, patterns.get_mut(pi)) {
                    if let Some(s) = samples.get_mut(si) {
                        s.used = true;
                    }
                    p.events.push(Event {
                        time: time.value,
                        sample: si,
                        volume: volume.value,
                        pan: pan.value,
                        span: time.span,
                    });
                }
            }
            Statement::Trigger { time, pattern } => {
                let Some(&pi) = pattern_index.get(&pattern.text) else {
                    let near = crate::ops::nearest(&pattern.text, patterns.iter().map(|p| p.name.as_str()));
                    let help = if near.is_empty() {
                        "define it with `PATTERN <name>`".to_string()
                    } else {
                        format!("did you mean {}?", near.join(", "))
                    };
                    diags.push(
                        Diagnostic::error(pattern.span, format!("unknown pattern `{}`", pattern.text)).with_help(help),
                    );
                    continue;
                };
                let length = patterns.get(pi).map_or(DEFAULT_LENGTH, |p| p.length);
                let end = (time.value + length) * sec_per_unit;
                if time.value < 0.0 {
                    diags.push(
                        Diagnostic::error(time.span, format!("trigger time {} is negative", time.text))
                            .with_help("score times are units from the start of the song"),
                    );
                    continue;
                }
                if end > MAX_SONG_SECONDS {
                    diags.push(
                        Diagnostic::error(
                            time.span,
                            format!("this pattern instance would end at {end:.1} s; the limit is {MAX_SONG_SECONDS} s"),
                        )
                        .with_help(format!("at {bpm_value} BPM one unit is {sec_per_unit} s")),
                    );
                    continue;
                }
                voices = voices.saturating_add(event_lines.get(pi).copied().unwrap_or(0));
                if voices > MAX_VOICES && !voice_limit_hit {
                    voice_limit_hit = true;
                    diags.push(
                        Diagnostic::error(
                            time.span,
                            format!("the song has more than {MAX_VOICES} voices from here on"),
                        )
                        .with_help("that is the documented limit of events times triggers"),
                    );
                }
                score.push(Trigger { time: time.value, pattern: pi, span: time.span });
            }
            _ => current = None,
        }
    }

    // Warnings that do not stop a render.
    let triggered: std::collections::BTreeSet<usize> = score.iter().map(|t| t.pattern).collect();
    for (i, p) in patterns.iter().enumerate() {
        if !triggered.contains(&i) && score_seen {
            diags.push(Diagnostic::warning(p.span, format!("pattern `{}` is never triggered in the SCORE", p.name)));
        }
    }
    if !score_seen && !patterns.is_empty() {
        let sp = patterns.first().map(|p| p.span).unwrap_or_default();
        diags.push(
            Diagnostic::warning(sp, "the song has no SCORE, so it renders as silence")
                .with_help("add `SCORE` and lines `<time>, <pattern>`"),
        );
    }
    for s in &samples {
        if s.declared && !s.used {
            diags.push(Diagnostic::warning(s.span, format!("sample `{}` is declared but never used", s.name)));
        }
    }
    Song { bpm: bpm_value, samples, patterns, score, humanize }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn note_names() {
        assert_eq!(note_number("NOTE_C4"), Some(60));
        assert_eq!(note_number("NOTE_A4"), Some(69));
        assert_eq!(note_number("NOTE_A#3"), Some(58));
        assert_eq!(note_number("NOTE_Eb2"), Some(39));
        assert_eq!(note_number("NOTE_C-1"), Some(0));
        assert_eq!(note_number("NOTE_G9"), Some(127));
        for bad in ["NOTE_H4", "NOTE_C10", "NOTE_C", "NOTE_c4", "NOTE_C#", "NOTE_C-2", "KICK"] {
            assert_eq!(note_number(bad), None, "{bad}");
        }
        assert!((note_hz(69) - 440.0).abs() < 1e-12);
        // C4 = 440 * 2^(-9/12) = 261.6256 Hz.
        assert!((note_hz(60) - 261.625_565_300_6).abs() < 1e-9);
    }
}
