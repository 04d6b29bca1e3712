//! The meaningful differences between two songs (`groovekit diff a.track b.track`): tempo,
//! humanize, samples by name, patterns by name and their events, and the score. Events are
//! matched by time and sample within a pattern (a pattern may hold the same pair twice: the
//! n-th occurrence matches the n-th), so a moved event reads as one removed and one added.

use crate::model::{SampleKind, Song};

/// A number in a message: as short as Rust writes it.
fn n(x: f64) -> String {
    format!("{x}")
}

fn sample_text(song: &Song, index: usize) -> String {
    song.samples.get(index).map_or_else(|| "?".to_string(), |s| s.name.clone())
}

fn pattern_text(song: &Song, index: usize) -> String {
    song.patterns.get(index).map_or_else(|| "?".to_string(), |p| p.name.clone())
}

/// Matches items of two lists by key; returns (only in a, only in b, pairs). The n-th item of
/// a key in `a` pairs with the n-th of the same key in `b`.
fn match_by<T, K: PartialEq>(a: &[T], b: &[T], key: impl Fn(&T) -> K) -> (Vec<usize>, Vec<usize>, Vec<(usize, usize)>) {
    let mut used = vec![false; b.len()];
    let (mut only_a, mut pairs) = (Vec::new(), Vec::new());
    for (i, x) in a.iter().enumerate() {
        let k = key(x);
        let found = b.iter().enumerate().position(|(j, y)| !used.get(j).copied().unwrap_or(true) && key(y) == k);
        match found {
            Some(j) => {
                if let Some(u) = used.get_mut(j) {
                    *u = true;
                }
                pairs.push((i, j));
            }
            None => only_a.push(i),
        }
    }
    let only_b = used.iter().enumerate().filter(|(_, u)| !**u).map(|(j, _)| j).collect();
    (only_a, only_b, pairs)
}

fn describe_kind(k: &SampleKind) -> String {
    match k {
        SampleKind::Asset => "asset".into(),
        SampleKind::Tone(t) => format!(
            "tone {} Hz, {} s, amp {}, attack {}, {} harmonics, decay {}",
            n(t.freq),
            n(t.dur),
            n(t.amp),
            n(t.attack),
            t.harmonics,
            n(t.decay)
        ),
    }
}

/// The differences from `a` to `b`, one line each; empty when the songs mean the same.
pub fn diff(a: &Song, b: &Song) -> Vec<String> {
    let mut out = Vec::new();
    if a.bpm != b.bpm {
        out.push(format!("bpm {} -> {}", n(a.bpm), n(b.bpm)));
    }
    if a.humanize != b.humanize {
        let h = |x: &Option<crate::model::Humanize>| match x {
            Some(h) => format!("seed {} timing {}% volume {}%", h.seed, n(h.timing_pct), n(h.volume_pct)),
            None => "none".into(),
        };
        out.push(format!("humanize {} -> {}", h(&a.humanize), h(&b.humanize)));
    }
    let (gone, new, same) = match_by(&a.samples, &b.samples, |s| s.name.clone());
    for i in gone {
        out.push(format!("sample {}: removed", sample_text(a, i)));
    }
    for j in new {
        out.push(format!(
            "sample {}: added ({})",
            sample_text(b, j),
            b.samples.get(j).map_or(String::new(), |s| describe_kind(&s.kind))
        ));
    }
    for (i, j) in same {
        let (Some(x), Some(y)) = (a.samples.get(i), b.samples.get(j)) else { continue };
        if x.kind != y.kind {
            out.push(format!("sample {}: {} -> {}", x.name, describe_kind(&x.kind), describe_kind(&y.kind)));
        }
        if x.offset != y.offset {
            out.push(format!("sample {}: offset {} -> {} s", x.name, n(x.offset), n(y.offset)));
        }
    }
    let (gone, new, same) = match_by(&a.patterns, &b.patterns, |p| p.name.clone());
    for i in gone {
        out.push(format!("pattern {}: removed", pattern_text(a, i)));
    }
    for j in new {
        let events = b.patterns.get(j).map_or(0, |p| p.events.len());
        out.push(format!(
            "pattern {}: added ({} event{})",
            pattern_text(b, j),
            events,
            if events == 1 { "" } else { "s" }
        ));
    }
    for (i, j) in same {
        let (Some(x), Some(y)) = (a.patterns.get(i), b.patterns.get(j)) else { continue };
        if x.length != y.length {
            out.push(format!("pattern {}: length {} -> {}", x.name, n(x.length), n(y.length)));
        }
        // Events match by time and sample name (indices differ between songs).
        let key_a = |e: &crate::model::Event| (e.time.to_bits(), sample_text(a, e.sample));
        let key_b = |e: &crate::model::Event| (e.time.to_bits(), sample_text(b, e.sample));
        let ka: Vec<_> = x.events.iter().map(key_a).collect();
        let kb: Vec<_> = y.events.iter().map(key_b).collect();
        let (gone, new, pairs) = match_by(&ka, &kb, |k| k.clone());
        for e in gone.iter().filter_map(|&i| x.events.get(i)) {
            out.push(format!(
                "pattern {} event at {}: {} removed (volume {}, pan {})",
                x.name,
                n(e.time),
                sample_text(a, e.sample),
                n(e.volume),
                n(e.pan)
            ));
        }
        for e in new.iter().filter_map(|&j| y.events.get(j)) {
            out.push(format!(
                "pattern {} event at {}: {} added (volume {}, pan {})",
                y.name,
                n(e.time),
                sample_text(b, e.sample),
                n(e.volume),
                n(e.pan)
            ));
        }
        for (i, j) in pairs {
            let (Some(e), Some(f)) = (x.events.get(i), y.events.get(j)) else { continue };
            let name = sample_text(a, e.sample);
            if e.volume != f.volume {
                out.push(format!(
                    "pattern {} event at {} {name}: volume {} -> {}",
                    x.name,
                    n(e.time),
                    n(e.volume),
                    n(f.volume)
                ));
            }
            if e.pan != f.pan {
                out.push(format!("pattern {} event at {} {name}: pan {} -> {}", x.name, n(e.time), n(e.pan), n(f.pan)));
            }
        }
    }
    let ta: Vec<_> = a.score.iter().map(|t| (t.time.to_bits(), pattern_text(a, t.pattern))).collect();
    let tb: Vec<_> = b.score.iter().map(|t| (t.time.to_bits(), pattern_text(b, t.pattern))).collect();
    let (gone, new, _) = match_by(&ta, &tb, |k| k.clone());
    for t in gone.iter().filter_map(|&i| a.score.get(i)) {
        out.push(format!("score at {}: {} removed", n(t.time), pattern_text(a, t.pattern)));
    }
    for t in new.iter().filter_map(|&j| b.score.get(j)) {
        out.push(format!("score at {}: {} added", n(t.time), pattern_text(b, t.pattern)));
    }
    out
}

#[cfg(test)]
#[path = "diff_tests.rs"]
mod tests;
