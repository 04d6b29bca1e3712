//! Octatrack banks, arrangements and markers in the generic commands: `inspect`, `verify`
//! (with `--fix` for checksums), `dump`, `build` and `diff`. The kind is detected by content
//! (the `DPS1BANK`/`DPS1ARRA`/`DPS1SAMP` magic), so `.work`, `.strd` and renamed copies all work.

use std::path::Path;

use groovekit_core::doc::Syntax;
use groovekit_octatrack::OtError;
use groovekit_octatrack::human;
use groovekit_octatrack::model::arrangement::Arrangement as ModelArrangement;
use groovekit_octatrack::model::params;
use groovekit_octatrack::ops::binary_diff;
use groovekit_octatrack::raw::arrangement::{self, Arrangement, Block};
use groovekit_octatrack::raw::bank::{self, Bank, PART_COUNT, PartCopy};
use groovekit_octatrack::raw::header::{BinaryKind, ChecksumState};
use groovekit_octatrack::raw::image::ChecksumPolicy;
use groovekit_octatrack::raw::markers::{self, Markers};
use groovekit_octatrack::raw::part;
use groovekit_octatrack::raw::pattern;
use miette::miette;
use serde_json::json;

use crate::cmd::{Handler, Inspection, VerifyReport};

/// The handlers for banks, arrangements and markers.
pub fn handlers() -> Vec<&'static dyn Handler> {
    vec![&BinaryHandler]
}

/// Banks, arrangements and markers (`.work` and `.strd`).
struct BinaryHandler;

/// The kinds this handler reads.
fn kind_of(bytes: &[u8]) -> Option<BinaryKind> {
    BinaryKind::sniff(bytes).filter(|k| matches!(k, BinaryKind::Bank | BinaryKind::Arrangement | BinaryKind::Markers))
}

/// Structure validation of any of the three kinds, without the checksum rule.
fn validate(kind: BinaryKind, bytes: &[u8]) -> Result<ChecksumState, OtError> {
    match kind {
        BinaryKind::Bank => bank::validate(bytes, ChecksumPolicy::Lenient),
        BinaryKind::Arrangement => arrangement::validate(bytes, ChecksumPolicy::Lenient),
        _ => markers::validate(bytes, ChecksumPolicy::Lenient),
    }
}

fn err(path: &Path, e: OtError) -> miette::Report {
    miette!("{}: {e}", path.display())
}

fn checksum_text(s: ChecksumState) -> String {
    if s.is_valid() {
        format!("checksum OK (0x{:04X})", s.stored)
    } else {
        format!("checksum WRONG: stored 0x{:04X}, computed 0x{:04X}", s.stored, s.computed)
    }
}

fn checksum_json(s: ChecksumState) -> serde_json::Value {
    json!({ "stored": s.stored, "computed": s.computed, "valid": s.is_valid() })
}

fn inspect_bank(path: &Path, bytes: &[u8]) -> miette::Result<Inspection> {
    let (b, state) = Bank::read_lenient(bytes).map_err(|e| err(path, e))?;
    let mut text = format!(
        "Octatrack bank ({}), datatype version {}, {}\n",
        path.display(),
        BinaryKind::Bank.version(),
        checksum_text(state)
    );
    let mut patterns = Vec::new();
    let with_trigs = b.patterns_with_trigs();
    if with_trigs.is_empty() {
        text.push_str("patterns: no trigs\n");
    }
    for p in with_trigs {
        let pat = b.pattern(p);
        let tracks: Vec<serde_json::Value> = (0..8)
            .map(|t| (t, pat.audio_track(t).trigs().count_ones()))
            .filter(|(_, n)| *n > 0)
            .map(|(t, n)| json!({ "track": t + 1, "trigs": n }))
            .collect();
        let midi: Vec<serde_json::Value> = (0..8)
            .map(|t| (t, pat.midi_track(t).trigs().count_ones()))
            .filter(|(_, n)| *n > 0)
            .map(|(t, n)| json!({ "track": t + 1, "trigs": n }))
            .collect();
        let locks = lock_summary(&b, p);
        let list = |v: &[serde_json::Value], prefix: &str| {
            v.iter().map(|x| format!("{prefix}{}:{}", x["track"], x["trigs"])).collect::<Vec<_>>().join(" ")
        };
        text.push_str(&format!(
            "pattern {:>2}: part {}, length {}, tempo {:.2} BPM, trigs {}{}{}\n",
            p + 1,
            u16::from(pat.part()) + 1,
            pat.master_length(),
            f64::from(pat.tempo_x24()) / 24.0,
            list(&tracks, "T"),
            if midi.is_empty() { "" } else { " " },
            list(&midi, "M")
        ));
        if locks.steps > 0 {
            text.push_str(&format!(
                "            p-locks on {} step{}: {}{}\n",
                locks.steps,
                if locks.steps == 1 { "" } else { "s" },
                locks.names.join(" "),
                if locks.samples.is_empty() {
                    String::new()
                } else {
                    format!(
                        "; sample locks: slots {}",
                        locks.samples.iter().map(u16::to_string).collect::<Vec<_>>().join(" ")
                    )
                }
            ));
        }
        patterns.push(json!({
            "pattern": p + 1,
            "part": u16::from(pat.part()) + 1,
            "master_length": pat.master_length(),
            "tempo_x24": pat.tempo_x24(),
            "audio_tracks": tracks,
            "midi_tracks": midi,
            "plock_steps": locks.steps,
            "plock_params": locks.names,
            "sample_lock_slots": locks.samples,
        }));
    }
    let mut parts = Vec::new();
    for i in 0..PART_COUNT {
        let machines: Vec<String> =
            (0..8).map(|t| part::machine_name(b.part(PartCopy::Working, i).machine(t))).collect();
        let saved = b.part_saved_state(i) != 0;
        text.push_str(&format!(
            "part {} {:<7}{}: {}\n",
            i + 1,
            b.part_name(i),
            if saved { " (saved)" } else { "" },
            machines.iter().enumerate().map(|(t, m)| format!("T{}={m}", t + 1)).collect::<Vec<_>>().join(" ")
        ));
        parts.push(json!({ "part": i + 1, "name": b.part_name(i), "saved": saved, "machines": machines }));
    }
    let json = json!({
        "kind": human::bank::KIND,
        "version": BinaryKind::Bank.version(),
        "checksum": checksum_json(state),
        "patterns_with_trigs": patterns,
        "parts": parts,
        "byte_0x9b4b2": b.disputed_0x9b4b2(),
    });
    Ok(Inspection { text, json })
}

/// The p-locks of one pattern: how many steps carry locks (audio and MIDI), which parameters
/// (named as in the API and documents, [`params`], for the track's machine and FX types in the
/// pattern's part; MIDI ones prefixed `M`), and the slots of its sample locks (1-128, sorted).
struct LockSummary {
    steps: usize,
    names: Vec<String>,
    samples: Vec<u16>,
}

fn lock_summary(b: &Bank, p: usize) -> LockSummary {
    let pat = b.pattern(p);
    let part = usize::from(pat.part());
    let ctx: [params::AudioContext; 8] = if part < PART_COUNT {
        let pt = b.part(PartCopy::Working, part);
        std::array::from_fn(|t| params::AudioContext::of_part(&pt, t))
    } else {
        [params::AudioContext::default(); 8]
    };
    let (mut steps, mut names, mut samples) = (0, std::collections::BTreeSet::new(), std::collections::BTreeSet::new());
    for t in 0..8 {
        for (midi, track) in [(false, pat.audio_track(t)), (true, pat.midi_track(t))] {
            for s in 0..pattern::STEPS {
                let rec = track.plock(s);
                if rec.iter().all(|&x| x == pattern::NO_LOCK) {
                    continue;
                }
                steps += 1;
                for (f, &x) in rec.iter().enumerate().filter(|(_, x)| **x != pattern::NO_LOCK) {
                    if midi {
                        names.insert(format!("M{}", params::midi_lock_name(f)));
                    } else if f == params::SAMPLE_LOCK {
                        samples.insert(params::show_audio_lock(f, x));
                    } else {
                        names
                            .insert(params::audio_lock_name(f, ctx.get(t).unwrap_or(&params::AudioContext::default())));
                    }
                }
            }
        }
    }
    LockSummary { steps, names: names.into_iter().collect(), samples: samples.into_iter().collect() }
}

fn inspect_arrangement(path: &Path, bytes: &[u8]) -> miette::Result<Inspection> {
    let (a, state) = Arrangement::read(bytes).map_err(|e| err(path, e))?;
    let mut text = format!(
        "Octatrack arrangement ({}), datatype version {}, {}{}\n",
        path.display(),
        BinaryKind::Arrangement.version(),
        checksum_text(state),
        if state.is_valid() { "" } else { " (tolerated for arrangements)" }
    );
    let mut blocks = Vec::new();
    for (block, label) in [(Block::Current, "current"), (Block::Saved, "saved")] {
        // The typed rows (model::arrangement): pattern, loop / jump / halt, reminder.
        let typed = ModelArrangement::from_raw(a.clone(), 1);
        text.push_str(&format!("{label}: name {:?}, {} rows\n", a.name(block), a.row_count(block)));
        let rows: Vec<String> =
            typed.rows(block).iter().enumerate().map(|(r, row)| row.describe(r as u16 + 1)).collect();
        for (r, t) in rows.iter().enumerate() {
            text.push_str(&format!("  {:>3}: {t}\n", r + 1));
        }
        blocks.push(json!({ "block": label, "name": a.name(block), "row_count": a.row_count(block), "rows": rows }));
    }
    let json = json!({
        "kind": human::arrangement::KIND,
        "version": BinaryKind::Arrangement.version(),
        "checksum": checksum_json(state),
        "blocks": blocks,
    });
    Ok(Inspection { text, json })
}

fn inspect_markers(path: &Path, bytes: &[u8]) -> miette::Result<Inspection> {
    let (m, state) = Markers::read_lenient(bytes).map_err(|e| err(path, e))?;
    let mut text = format!(
        "Octatrack markers ({}), datatype version {}, {}\n",
        path.display(),
        BinaryKind::Markers.version(),
        checksum_text(state)
    );
    let used = m.used_slots();
    if used.is_empty() {
        text.push_str("no slot has markers\n");
    }
    let mut slots = Vec::new();
    for s in used {
        let Some(i) = s.index() else { continue };
        let r = m.record(i);
        let count = r.slice_count();
        let slices: Vec<serde_json::Value> = (0..usize::try_from(count).unwrap_or(0).min(markers::MAX_SLICES))
            .map(|k| {
                let sl = r.slice(k);
                json!({ "start": sl.start, "end": sl.end, "loop": sl.loop_point })
            })
            .collect();
        text.push_str(&format!(
            "{s}: trim {}..{}, loop point {}, {} slices\n",
            r.trim_start(),
            r.trim_end(),
            r.loop_point(),
            count
        ));
        slots.push(json!({
            "slot": s.to_string(),
            "trim_start": r.trim_start(),
            "trim_end": r.trim_end(),
            "loop_point": r.loop_point(),
            "slice_count": count,
            "slices": slices,
        }));
    }
    let json = json!({
        "kind": human::markers::KIND,
        "version": BinaryKind::Markers.version(),
        "checksum": checksum_json(state),
        "slots": slots,
    });
    Ok(Inspection { text, json })
}

impl Handler for BinaryHandler {
    fn name(&self) -> &'static str {
        "octatrack"
    }

    fn sniff(&self, _path: &Path, bytes: &[u8]) -> bool {
        kind_of(bytes).is_some()
    }

    fn inspect(&self, path: &Path, bytes: &[u8]) -> miette::Result<Inspection> {
        match kind_of(bytes) {
            Some(BinaryKind::Bank) => inspect_bank(path, bytes),
            Some(BinaryKind::Arrangement) => inspect_arrangement(path, bytes),
            Some(_) => inspect_markers(path, bytes),
            None => Err(miette!("{}: not an Octatrack bank, arrangement or markers file", path.display())),
        }
    }

    fn verify_file(&self, path: &Path, bytes: &[u8], fix: bool) -> miette::Result<VerifyReport> {
        Ok(groovekit_octatrack::ops::verify::verify_file(path, bytes, fix).unwrap_or_default())
    }

    fn dump(&self, path: &Path, bytes: &[u8], syntax: Syntax, _output: Option<&Path>) -> miette::Result<String> {
        let text = match kind_of(bytes) {
            Some(BinaryKind::Bank) => human::bank::to_text(bytes, syntax),
            Some(BinaryKind::Arrangement) => human::arrangement::to_text(bytes, syntax),
            Some(_) => human::markers::to_text(bytes, syntax),
            None => return Err(miette!("{}: not an Octatrack bank, arrangement or markers file", path.display())),
        };
        text.map_err(|e| err(path, e))
    }

    fn doc_kinds(&self) -> &'static [&'static str] {
        &[human::bank::KIND, human::arrangement::KIND, human::markers::KIND]
    }

    fn build(&self, kind: &str, text: &str, input: &Path) -> miette::Result<Vec<u8>> {
        let out = match kind {
            human::bank::KIND => human::bank::from_text(text),
            human::arrangement::KIND => human::arrangement::from_text(text),
            _ => human::markers::from_text(text),
        };
        out.map_err(|e| err(input, e))
    }

    fn diff(&self, a: (&Path, &[u8]), b: (&Path, &[u8])) -> miette::Result<Vec<String>> {
        let (ka, kb) = (kind_of(a.1), kind_of(b.1));
        if ka != kb {
            return Err(miette!(
                "{} is a {} file but {} is a {} file",
                a.0.display(),
                ka.map_or("different", |k| k.describe()),
                b.0.display(),
                kb.map_or("different", |k| k.describe())
            ));
        }
        // Validate each side first so that an error names the right file.
        for (p, bytes) in [a, b] {
            if let Some(k) = kind_of(bytes) {
                validate(k, bytes).map_err(|e| err(p, e))?;
            }
        }
        let lines = match ka {
            Some(BinaryKind::Bank) => binary_diff::banks(a.1, b.1),
            Some(BinaryKind::Arrangement) => binary_diff::arrangements(a.1, b.1),
            _ => binary_diff::markers(a.1, b.1),
        };
        lines.map_err(|e| miette!("{} vs {}: {e}", a.0.display(), b.0.display()))
    }
}
