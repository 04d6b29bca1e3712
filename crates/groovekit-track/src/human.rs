//! The readable summary of a song used by `groovekit inspect` (text and JSON).

use serde::Serialize;

use crate::model::{SampleKind, Song};

/// One pattern in a [`Summary`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PatternSummary {
    /// Name.
    pub name: String,
    /// LENGTH in units.
    pub length_units: f64,
    /// LENGTH in seconds at the song's tempo.
    pub length_seconds: f64,
    /// Number of events.
    pub events: usize,
    /// Distinct samples its events play, in order of first use.
    pub samples: Vec<String>,
    /// How many times the score triggers it.
    pub triggers: usize,
}

/// One sample in a [`Summary`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SampleSummary {
    /// Name.
    pub name: String,
    /// `asset` or `tone`.
    pub kind: &'static str,
    /// Fundamental frequency of a tone.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub freq_hz: Option<f64>,
    /// Whether a `SAMPLE` line declares it.
    pub declared: bool,
    /// OFFSET in seconds.
    pub offset_seconds: f64,
}

/// What `groovekit inspect` reports about a song.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Always `track-song`.
    pub kind: &'static str,
    /// Tempo.
    pub bpm: f64,
    /// Seconds per unit (4 beats).
    pub seconds_per_unit: f64,
    /// End of the last pattern instance, in seconds (voices may ring on after it).
    pub duration_seconds: f64,
    /// Patterns.
    pub patterns: Vec<PatternSummary>,
    /// Samples.
    pub samples: Vec<SampleSummary>,
    /// Names used without a `SAMPLE` line.
    pub undeclared: Vec<String>,
    /// Score triggers.
    pub triggers: usize,
    /// Voices (events of every triggered instance).
    pub voices: usize,
    /// HUMANIZE, when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub humanize: Option<crate::model::Humanize>,
}

/// Names joined by spaces; long lists end with "… and N more" (the JSON form has them all).
fn shorten(names: &[String]) -> String {
    const SHOWN: usize = 24;
    let mut s = names.iter().take(SHOWN).cloned().collect::<Vec<_>>().join(" ");
    if names.len() > SHOWN {
        s.push_str(&format!(" … and {} more", names.len() - SHOWN));
    }
    s
}

impl Summary {
    /// The summary of `song`.
    pub fn of(song: &Song) -> Self {
        let patterns = song
            .patterns
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let mut samples: Vec<String> = Vec::new();
                let mut seen = std::collections::BTreeSet::new();
                for e in &p.events {
                    if let Some(s) = song.samples.get(e.sample)
                        && seen.insert(e.sample)
                    {
                        samples.push(s.name.clone());
                    }
                }
                PatternSummary {
                    name: p.name.clone(),
                    length_units: p.length,
                    length_seconds: song.seconds(p.length),
                    events: p.events.len(),
                    samples,
                    triggers: song.score.iter().filter(|t| t.pattern == i).count(),
                }
            })
            .collect();
        let samples = song
            .samples
            .iter()
            .map(|s| SampleSummary {
                name: s.name.clone(),
                kind: match s.kind {
                    SampleKind::Asset => "asset",
                    SampleKind::Tone(_) => "tone",
                },
                freq_hz: match &s.kind {
                    SampleKind::Tone(t) => Some(t.freq),
                    SampleKind::Asset => None,
                },
                declared: s.declared,
                offset_seconds: s.offset,
            })
            .collect();
        Self {
            kind: "track-song",
            bpm: song.bpm,
            seconds_per_unit: song.seconds_per_unit(),
            duration_seconds: song.pattern_end_seconds(),
            patterns,
            samples,
            undeclared: song.undeclared().map(|s| s.name.clone()).collect(),
            triggers: song.score.len(),
            voices: song.voice_count(),
            humanize: song.humanize,
        }
    }

    /// The summary as lines of text.
    pub fn text(&self) -> String {
        let mut s = format!(
            ".track song: {} BPM (1 unit = {:.3} s), {:.3} s to the end of the last pattern, {} triggers, {} voices\n",
            self.bpm, self.seconds_per_unit, self.duration_seconds, self.triggers, self.voices
        );
        for p in &self.patterns {
            s.push_str(&format!(
                "pattern {}: LENGTH {} ({:.3} s), {} events, triggered {}x, samples: {}\n",
                p.name,
                p.length_units,
                p.length_seconds,
                p.events,
                p.triggers,
                shorten(&p.samples)
            ));
        }
        for x in &self.samples {
            let what = match x.freq_hz {
                Some(f) => format!("tone {f:.2} Hz"),
                None => "asset".to_string(),
            };
            s.push_str(&format!(
                "sample {}: {what}{}{}\n",
                x.name,
                if x.declared { "" } else { " (undeclared)" },
                if x.offset_seconds > 0.0 { format!(", OFFSET {} s", x.offset_seconds) } else { String::new() }
            ));
        }
        if !self.undeclared.is_empty() {
            s.push_str(&format!("undeclared: {}\n", shorten(&self.undeclared)));
        }
        if let Some(h) = &self.humanize {
            s.push_str(&format!("humanize: seed {}, timing {}%, volume {}%\n", h.seed, h.timing_pct, h.volume_pct));
        }
        s
    }
}
