//! Operations on song texts: canonical formatting (`groovekit track fmt`) and name suggestions.

use crate::error::{Diagnostic, TrackError};
use crate::raw::{self, Statement};

/// Levenshtein distance between two strings, compared case-insensitively (ASCII).
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        if let Some(c0) = cur.first_mut() {
            *c0 = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            if let Some(c) = cur.get_mut(j + 1) {
                *c = sub.min(del).min(ins);
            }
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev.last().copied().unwrap_or(0)
}

/// The (at most three) candidates nearest to `word`, best first, among those within an edit
/// distance of max(2, a third of the word's length). Names longer than 64 characters are not
/// compared (the cost grows with the product of the lengths).
pub fn nearest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Vec<String> {
    if word.len() > 64 {
        return Vec::new();
    }
    let limit = (word.chars().count() / 3).max(2);
    let mut scored: Vec<(usize, &str)> = candidates
        .filter(|c| c.len() <= 64 && *c != word)
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, _)| *d <= limit)
        .collect();
    scored.sort();
    scored.dedup();
    scored.into_iter().take(3).map(|(_, c)| c.to_string()).collect()
}

/// The canonical text of one statement.
pub fn statement_text(st: &Statement) -> String {
    match st {
        Statement::Bpm { bpm } => format!("BPM {}", bpm.text),
        Statement::Sample { name, tone, offset } => {
            let mut s = format!("SAMPLE {}", name.text);
            if let Some(t) = tone {
                s.push_str(&format!(
                    ", {}, {}, {}, {}, {}, {}",
                    t.freq.text, t.dur.text, t.amp.text, t.attack.text, t.harmonics.text, t.decay.text
                ));
            }
            if let Some(o) = offset {
                s.push_str(&format!(" OFFSET {}", o.text));
            }
            s
        }
        Statement::Pattern { name, length } => match length {
            Some(l) => format!("PATTERN {} LENGTH {}", name.text, l.text),
            None => format!("PATTERN {}", name.text),
        },
        Statement::Event { time, sample, volume, pan } => {
            format!("{}, {}, {}, {}", time.text, sample.text, volume.text, pan.text)
        }
        Statement::Score => "SCORE".to_string(),
        Statement::Trigger { time, pattern } => format!("{}, {}", time.text, pattern.text),
        Statement::Humanize { seed, timing, volume } => {
            format!("HUMANIZE SEED {} TIMING {} VOLUME {}", seed.text, timing.text, volume.text)
        }
    }
}

/// Formats a song in the canonical layout: keywords in capitals, fields separated by `, `
/// (headers by one space), no indentation, one space before a trailing comment, comments kept
/// verbatim, runs of blank lines folded into one, no leading or trailing blank lines, `\n` line
/// ends and a final line break. Numbers and names keep their spelling, so formatting never
/// changes what a song means. Idempotent. Refuses a text with syntax errors (it would lose them).
pub fn format(text: &str) -> Result<String, TrackError> {
    let (doc, diags) = raw::parse(text);
    let errors: Vec<Diagnostic> = diags.into_iter().filter(Diagnostic::is_error).collect();
    if !errors.is_empty() {
        return Err(TrackError::Invalid(crate::error::cap_repeated(errors, crate::error::MAX_REPEATS)));
    }
    let mut out = String::with_capacity(text.len());
    let mut pending_blank = false;
    for line in &doc.lines {
        let body = line.statement.as_ref().map(statement_text);
        let piece = match (body, &line.comment) {
            (Some(b), Some(c)) => format!("{b} {c}"),
            (Some(b), None) => b,
            (None, Some(c)) => c.clone(),
            (None, None) => {
                pending_blank = !out.is_empty();
                continue;
            }
        };
        if pending_blank {
            out.push('\n');
            pending_blank = false;
        }
        out.push_str(&piece);
        out.push('\n');
    }
    Ok(out)
}

#[cfg(test)]
#[path = "ops_tests.rs"]
mod tests;
