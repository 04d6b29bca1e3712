//! The readable document of a song (`groovekit dump song.track`, `kind: track-song`) and back
//! (`groovekit build`): one entry per line of the canonical layout, so that comments, blank
//! lines and the order of headers survive, and `build` of a dump of a canonical song gives the
//! same bytes.
//!
//! ```yaml
//! kind: track-song
//! lines:
//! - comment: '# a groove'
//! - bpm: 120
//! - sample: BASS
//!   tone: {freq: 55, dur: 0.4, amp: 0.7, attack: 0.004, harmonics: 8, decay: 0.2}
//! - pattern: groove
//!   length: 1.0
//! - event: {time: 0.25, sample: BASS, volume: 0.8, pan: 0.0}
//! - blank: true
//! - score: true
//! - trigger: {time: 0.0, pattern: groove}
//! ```
//!
//! Numbers keep their spelling (`0.00` stays `0.00`, so a build never rewrites a value): a
//! number is written as a YAML/JSON number when reading that number back gives the same
//! spelling (`120`, `0.25`, `1.0`), and as a string otherwise (`"0.00"`, `".5"`).

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

use crate::error::{Span, TrackError};
use crate::ops;
use crate::raw::{self, Ident, Num, Statement, ToneFields};

/// The `kind` of a song document.
pub const KIND: &str = "track-song";

/// A number as written in the song.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Number(pub String);

impl Serialize for Number {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let t = self.0.as_str();
        // Integers as integers; other values as floats when the float reads back the same
        // (serde writes floats in their shortest form with a `.0` for whole numbers).
        if let Ok(i) = t.parse::<i64>()
            && i.to_string() == t
        {
            return s.serialize_i64(i);
        }
        if let Ok(f) = t.parse::<f64>()
            && f.is_finite()
            && format!("{f:?}") == t
        {
            return s.serialize_f64(f);
        }
        s.serialize_str(t)
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Number;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a number, or a number's spelling as a string")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Number, E> {
                Ok(Number(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Number, E> {
                Ok(Number(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Number, E> {
                Ok(Number(format!("{v:?}")))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Number, E> {
                Ok(Number(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

impl From<&Num> for Number {
    fn from(n: &Num) -> Self {
        Number(n.text.clone())
    }
}

/// The six parameters of a generated tone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tone {
    /// Frequency in Hz.
    pub freq: Number,
    /// Duration in seconds.
    pub dur: Number,
    /// Peak amplitude.
    pub amp: Number,
    /// Attack in seconds.
    pub attack: Number,
    /// Harmonics.
    pub harmonics: Number,
    /// Decay time constant in seconds.
    pub decay: Number,
}

/// An event: `time, sample, volume, pan`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventDoc {
    /// Units from the pattern's trigger.
    pub time: Number,
    /// Sample name.
    pub sample: String,
    /// Linear gain.
    pub volume: Number,
    /// Pan, -1..1.
    pub pan: Number,
}

/// A score trigger: `time, pattern`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriggerDoc {
    /// Units from the start of the song.
    pub time: Number,
    /// Pattern name.
    pub pattern: String,
}

/// `HUMANIZE`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HumanizeDoc {
    /// Seed.
    pub seed: Number,
    /// Timing jitter, percent of a beat.
    pub timing: Number,
    /// Volume jitter, percent.
    pub volume: Number,
}

/// One line. Exactly one of the statement keys (or `blank`, or only `comment`) is set.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineDoc {
    /// `BPM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bpm: Option<Number>,
    /// `SAMPLE <name>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sample: Option<String>,
    /// The long form of `SAMPLE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tone: Option<Tone>,
    /// `OFFSET` of a `SAMPLE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub offset: Option<Number>,
    /// `PATTERN <name>`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<String>,
    /// `LENGTH` of a `PATTERN`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<Number>,
    /// An event line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub event: Option<EventDoc>,
    /// `SCORE`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub score: bool,
    /// A score line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trigger: Option<TriggerDoc>,
    /// `HUMANIZE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub humanize: Option<HumanizeDoc>,
    /// A blank line.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub blank: bool,
    /// The comment, from its `#`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

/// A song document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SongDoc {
    /// Always [`KIND`].
    pub kind: String,
    /// The lines of the canonical layout.
    pub lines: Vec<LineDoc>,
}

fn line_doc(st: Option<&Statement>, comment: Option<&String>) -> LineDoc {
    let mut l = LineDoc { comment: comment.cloned(), ..LineDoc::default() };
    match st {
        None => l.blank = comment.is_none(),
        Some(Statement::Bpm { bpm }) => l.bpm = Some(bpm.into()),
        Some(Statement::Sample { name, tone, offset }) => {
            l.sample = Some(name.text.clone());
            l.tone = tone.as_ref().map(|t| Tone {
                freq: (&t.freq).into(),
                dur: (&t.dur).into(),
                amp: (&t.amp).into(),
                attack: (&t.attack).into(),
                harmonics: (&t.harmonics).into(),
                decay: (&t.decay).into(),
            });
            l.offset = offset.as_ref().map(Number::from);
        }
        Some(Statement::Pattern { name, length }) => {
            l.pattern = Some(name.text.clone());
            l.length = length.as_ref().map(Number::from);
        }
        Some(Statement::Event { time, sample, volume, pan }) => {
            l.event = Some(EventDoc {
                time: time.into(),
                sample: sample.text.clone(),
                volume: volume.into(),
                pan: pan.into(),
            });
        }
        Some(Statement::Score) => l.score = true,
        Some(Statement::Trigger { time, pattern }) => {
            l.trigger = Some(TriggerDoc { time: time.into(), pattern: pattern.text.clone() })
        }
        Some(Statement::Humanize { seed, timing, volume }) => {
            l.humanize = Some(HumanizeDoc { seed: seed.into(), timing: timing.into(), volume: volume.into() })
        }
    }
    l
}

/// The document of a song text (in its canonical layout). Refuses a text with syntax errors,
/// as `track fmt` does.
pub fn from_song_text(text: &str) -> Result<SongDoc, TrackError> {
    let canonical = ops::format(text)?;
    let (doc, _) = raw::parse(&canonical);
    let lines = doc.lines.iter().map(|l| line_doc(l.statement.as_ref(), l.comment.as_ref())).collect();
    Ok(SongDoc { kind: KIND.to_string(), lines })
}

/// Writes a document of a song in `syntax`.
pub fn to_text(song_text: &str, syntax: groovekit_core::doc::Syntax) -> Result<String, TrackError> {
    let doc = from_song_text(song_text)?;
    groovekit_core::doc::to_text(&doc, syntax).map_err(|e| TrackError::Document(e.to_string()))
}

fn num(n: &Number) -> Num {
    Num { text: n.0.clone(), value: 0.0, span: Span::default() }
}

fn ident(s: &str) -> Ident {
    Ident { text: s.to_string(), span: Span::default() }
}

/// A document error: which line (1-based entry of `lines`) and what.
fn bad(index: usize, what: impl Into<String>) -> TrackError {
    TrackError::Document(format!("lines[{}]: {}", index + 1, what.into()))
}

/// Names and numbers are single tokens: whitespace, commas or a leading `#` would change what
/// the line says when it is read back.
fn check_tokens(i: usize, l: &LineDoc) -> Result<(), TrackError> {
    let mut tokens: Vec<&str> = Vec::new();
    tokens.extend([&l.sample, &l.pattern].into_iter().flatten().map(String::as_str));
    tokens.extend([&l.bpm, &l.offset, &l.length].into_iter().flatten().map(|n| n.0.as_str()));
    if let Some(t) = &l.tone {
        tokens.extend([&t.freq, &t.dur, &t.amp, &t.attack, &t.harmonics, &t.decay].map(|n| n.0.as_str()));
    }
    if let Some(e) = &l.event {
        tokens.extend([e.time.0.as_str(), e.sample.as_str(), e.volume.0.as_str(), e.pan.0.as_str()]);
    }
    if let Some(t) = &l.trigger {
        tokens.extend([t.time.0.as_str(), t.pattern.as_str()]);
    }
    if let Some(h) = &l.humanize {
        tokens.extend([h.seed.0.as_str(), h.timing.0.as_str(), h.volume.0.as_str()]);
    }
    match tokens
        .iter()
        .find(|t| t.is_empty() || t.starts_with('#') || t.contains(|c: char| c.is_whitespace() || c == ','))
    {
        Some(t) => Err(bad(i, format!("`{t}` is not one word (no spaces or commas, no leading `#`)"))),
        None => Ok(()),
    }
}

/// The statement of one document line.
fn statement(i: usize, l: &LineDoc) -> Result<Option<Statement>, TrackError> {
    check_tokens(i, l)?;
    let mut found: Vec<Statement> = Vec::new();
    if let Some(b) = &l.bpm {
        found.push(Statement::Bpm { bpm: num(b) });
    }
    if let Some(name) = &l.sample {
        let tone = l.tone.as_ref().map(|t| {
            Box::new(ToneFields {
                freq: num(&t.freq),
                dur: num(&t.dur),
                amp: num(&t.amp),
                attack: num(&t.attack),
                harmonics: num(&t.harmonics),
                decay: num(&t.decay),
            })
        });
        found.push(Statement::Sample { name: ident(name), tone, offset: l.offset.as_ref().map(num) });
    } else if l.tone.is_some() || l.offset.is_some() {
        return Err(bad(i, "`tone` and `offset` belong to a `sample` line"));
    }
    if let Some(name) = &l.pattern {
        found.push(Statement::Pattern { name: ident(name), length: l.length.as_ref().map(num) });
    } else if l.length.is_some() {
        return Err(bad(i, "`length` belongs to a `pattern` line"));
    }
    if let Some(e) = &l.event {
        found.push(Statement::Event {
            time: num(&e.time),
            sample: ident(&e.sample),
            volume: num(&e.volume),
            pan: num(&e.pan),
        });
    }
    if l.score {
        found.push(Statement::Score);
    }
    if let Some(t) = &l.trigger {
        found.push(Statement::Trigger { time: num(&t.time), pattern: ident(&t.pattern) });
    }
    if let Some(h) = &l.humanize {
        found.push(Statement::Humanize { seed: num(&h.seed), timing: num(&h.timing), volume: num(&h.volume) });
    }
    if found.len() > 1 {
        return Err(bad(i, "one statement per line (bpm, sample, pattern, event, score, trigger or humanize)"));
    }
    if l.blank && (!found.is_empty() || l.comment.is_some()) {
        return Err(bad(i, "a `blank` line has nothing else"));
    }
    Ok(found.pop())
}

/// The song text of a document, in the canonical layout. Every number and name is checked by
/// the song parser, so an error names the song line it would have been.
pub fn to_song_text(doc: &SongDoc) -> Result<String, TrackError> {
    if doc.kind != KIND {
        return Err(TrackError::Document(format!("kind `{}`: a song document has `kind: {KIND}`", doc.kind)));
    }
    let mut text = String::new();
    for (i, l) in doc.lines.iter().enumerate() {
        if let Some(c) = &l.comment
            && (!c.starts_with('#') || c.contains('\n'))
        {
            return Err(bad(i, "a comment starts with `#` and is one line"));
        }
        let body = statement(i, l)?.map(|st| ops::statement_text(&st));
        let line = match (body, &l.comment) {
            (Some(b), Some(c)) => format!("{b} {c}"),
            (Some(b), None) => b,
            (None, Some(c)) => c.clone(),
            (None, None) => String::new(),
        };
        if line.contains('\n') {
            return Err(bad(i, "names and numbers are one line"));
        }
        text.push_str(&line);
        text.push('\n');
    }
    ops::format(&text)
}

/// Reads a document (YAML or JSON) and gives the song text.
pub fn from_text(text: &str) -> Result<String, TrackError> {
    let doc: SongDoc = groovekit_core::doc::from_text(text).map_err(|e| TrackError::Document(e.to_string()))?;
    to_song_text(&doc)
}

#[cfg(test)]
#[path = "doc_tests.rs"]
mod tests;
