//! The `ops` layer: validated edits of a project and whole-project checks.
//!
//! Every edit works on the byte image through the typed views, so it changes only the bytes of
//! the fields it edits; it checks its arguments first and leaves the project untouched when they
//! are invalid. Patterns, tracks and steps are 0-based here; messages number them from 1 as the
//! device does.

use crate::OpzError;
use crate::model::{self, EMPTY_NOTE, MICRO_MAX, MICRO_MIN, NoteSlot, Project, Step, track_name};
use crate::raw::{self, PATTERNS, STEPS, TRACKS, header};

/// The lowest tempo the device accepts, in BPM.
pub const TEMPO_MIN: u16 = 40;
/// The highest tempo the device accepts, in BPM.
pub const TEMPO_MAX: u16 = 200;
/// The most entries a 32-byte chain can hold.
pub const CHAIN_MAX_LEN: usize = header::CHAIN_LEN;

/// "pattern 3, track bass, step 5" (1-based, as on the device).
pub fn place(p: usize, t: usize, s: usize) -> String {
    format!("pattern {}, track {}, step {}", p + 1, track_name(t), s + 1)
}

/// Sets the tempo (whole BPM, 40..=200).
pub fn set_tempo(project: &mut Project, bpm: u16) -> Result<(), OpzError> {
    if !(TEMPO_MIN..=TEMPO_MAX).contains(&bpm) {
        return Err(OpzError::invalid(
            "tempo",
            format!("{bpm} BPM is outside the OP-Z's range {TEMPO_MIN}..={TEMPO_MAX}"),
        ));
    }
    project.image_mut().put(header::TEMPO, &bpm.to_le_bytes());
    Ok(())
}

/// Checks chain entries (0-based pattern numbers): at most 32, each 0..=15.
pub fn check_chain(chain: usize, entries: &[u8]) -> Result<(), OpzError> {
    let where_ = format!("chain {}", chain + 1);
    if chain >= header::CHAIN_COUNT {
        return Err(OpzError::Index(format!("{where_} does not exist (1..=16; 16 is the playing chain)")));
    }
    if entries.len() > CHAIN_MAX_LEN {
        return Err(OpzError::invalid(
            where_,
            format!("{} entries; a chain holds at most {CHAIN_MAX_LEN}", entries.len()),
        ));
    }
    if let Some((i, &e)) = entries.iter().enumerate().find(|&(_, &e)| usize::from(e) >= PATTERNS) {
        return Err(OpzError::invalid(
            format!("{where_}, entry {}", i + 1),
            format!("pattern index {e} is above 15 (patterns are 1..=16 on the device, stored as 0..=15)"),
        ));
    }
    Ok(())
}

/// Replaces chain `chain` (0..16) with `entries` (0-based pattern numbers); the rest of the
/// chain's 32 bytes is filled with 0xFF, as the device does for its playing chain.
pub fn set_chain(project: &mut Project, chain: usize, entries: &[u8]) -> Result<(), OpzError> {
    check_chain(chain, entries)?;
    let mut raw = [0xFFu8; header::CHAIN_LEN];
    raw[..entries.len()].copy_from_slice(entries);
    project.image_mut().put(header::CHAINS + chain * header::CHAIN_LEN, &raw);
    Ok(())
}

/// Selects saved chain `chain` (0-based, 0..=14), or none (header byte 568 = 0xFF).
pub fn select_chain(project: &mut Project, chain: Option<usize>) -> Result<(), OpzError> {
    let byte = match chain {
        None => header::NO_SELECTED_CHAIN,
        Some(c) if c < header::CHAIN_COUNT - 1 => c as u8,
        Some(c) => {
            return Err(OpzError::Index(format!(
                "saved chain {} does not exist (1..=15; chain 16 is the playing chain)",
                c + 1
            )));
        }
    };
    project.image_mut().put(header::SELECTED_CHAIN, &[byte]);
    Ok(())
}

/// Copies pattern `src_p` of `src` over pattern `dst_p` of `dst` (every byte of the pattern:
/// tracks, notes, steps, sounds, mutes, sends).
pub fn copy_pattern(src: &Project, src_p: usize, dst: &mut Project, dst_p: usize) -> Result<(), OpzError> {
    let bytes = src.pattern_bytes(src_p)?.to_vec();
    dst.set_pattern_bytes(dst_p, &bytes)
}

/// Clears pattern `p`: every note slot becomes the canonical empty slot and every step chunk the
/// untouched step (no components, no locks). Track settings, sounds, mutes and sends stay.
pub fn clear_pattern(project: &mut Project, p: usize) -> Result<(), OpzError> {
    if p >= PATTERNS {
        return Err(OpzError::Index(format!("pattern {} does not exist (1..=16)", p + 1)));
    }
    for t in 0..TRACKS {
        for s in 0..STEPS {
            for k in 0..model::polyphony(t) {
                project.set_slot(p, t, s, k, NoteSlot::EMPTY)?;
            }
            project.set_step(p, t, s, &Step::DEFAULT)?;
        }
    }
    Ok(())
}

/// A note to place with [`add_note`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NewNote {
    /// MIDI note number 0..=127.
    pub note: u8,
    /// Velocity 1..=127.
    pub velocity: u8,
    /// Length in ticks (3 072 per 1/16 step, see [`crate::midi::TICKS_PER_STEP`]).
    pub duration: i32,
    /// Micro-timing -96..=95.
    pub micro: i8,
}

/// Checks one note's values at `place`.
pub fn check_note(place: &str, note: u8, velocity: u8, micro: i8, duration: i32) -> Result<(), OpzError> {
    if note > 127 {
        return Err(OpzError::invalid(place, format!("note number {note} is over 127")));
    }
    if !(1..=127).contains(&velocity) {
        return Err(OpzError::invalid(place, format!("velocity {velocity} is outside 1..=127")));
    }
    if !(MICRO_MIN..=MICRO_MAX).contains(&micro) {
        return Err(OpzError::invalid(
            place,
            format!("micro-timing {micro} is outside {MICRO_MIN}..={MICRO_MAX} (192 units per step)"),
        ));
    }
    if duration <= 0 {
        return Err(OpzError::invalid(place, format!("note length {duration} ticks must be positive")));
    }
    Ok(())
}

/// Places a note in the first free slot of (`t`, `s`) in pattern `p`, and returns the slot.
///
/// # Errors
/// Out-of-range values, or no free slot (the track's polyphony is used up), naming the pattern,
/// track and step.
pub fn add_note(project: &mut Project, p: usize, t: usize, s: usize, n: NewNote) -> Result<usize, OpzError> {
    project.track(p, t)?;
    if s >= STEPS {
        return Err(OpzError::Index(format!("step {} does not exist (1..=16)", s + 1)));
    }
    let where_ = place(p, t, s);
    check_note(&where_, n.note, n.velocity, n.micro, n.duration)?;
    for k in 0..model::polyphony(t) {
        if project.slot(p, t, s, k)?.is_empty() {
            let slot = NoteSlot { duration: n.duration, note: n.note, velocity: n.velocity, micro: n.micro, age: 0 };
            project.set_slot(p, t, s, k, slot)?;
            return Ok(k);
        }
    }
    Err(OpzError::invalid(
        where_,
        format!(
            "all {} note slots are taken: the {} track plays at most {} notes per step",
            model::polyphony(t),
            track_name(t),
            model::polyphony(t)
        ),
    ))
}

/// Removes every note of (`t`, `s`) in pattern `p`, writing canonical empty slots.
pub fn clear_step_notes(project: &mut Project, p: usize, t: usize, s: usize) -> Result<(), OpzError> {
    for k in 0..model::polyphony(t) {
        project.set_slot(p, t, s, k, NoteSlot::EMPTY)?;
    }
    Ok(())
}

/// One finding of [`check_project`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Byte offset of the field.
    pub offset: usize,
    /// What is wrong, where.
    pub message: String,
    /// `false` for observations that the device tolerates (unusual but seen in real files).
    pub error: bool,
}

/// Checks a project for values the device would not write: notes over 127, micro-timing out of
/// range, step counts outside 1..=16; and notes unusual values (file ID, trailer).
pub fn check_project(project: &Project) -> Vec<Finding> {
    let mut out = Vec::new();
    let h = project.header();
    if h.file_id != raw::FILE_ID {
        out.push(Finding {
            offset: header::FILE_ID,
            message: format!("file ID {:#x}; every known project has 0x49", h.file_id),
            error: false,
        });
    }
    if let Some(t) = project.trailer().filter(|t| ![4, 5, 7].contains(t)) {
        out.push(Finding {
            offset: raw::LEN_WITHOUT_TRAILER,
            message: format!("trailer {t}; known files have 4, 5 or 7"),
            error: false,
        });
    }
    if !(TEMPO_MIN..=TEMPO_MAX).contains(&h.tempo) {
        out.push(Finding {
            offset: header::TEMPO,
            message: format!("tempo {} BPM is outside {TEMPO_MIN}..={TEMPO_MAX}", h.tempo),
            error: true,
        });
    }
    for p in 0..PATTERNS {
        for t in 0..TRACKS {
            if let Ok(tr) = project.track(p, t)
                && !(1..=16).contains(&tr.step_count)
            {
                out.push(Finding {
                    offset: raw::track_offset(p, t) + 4,
                    message: format!(
                        "pattern {}, track {}: step count {} is outside 1..=16",
                        p + 1,
                        track_name(t),
                        tr.step_count
                    ),
                    error: true,
                });
            }
            for s in 0..STEPS {
                for k in 0..model::polyphony(t) {
                    let Ok(slot) = project.slot(p, t, s, k) else { continue };
                    let offset = raw::note_offset(p, t, s, k);
                    if slot.note != EMPTY_NOTE && slot.note > 127 {
                        out.push(Finding {
                            offset: offset + 4,
                            message: format!("{}: note number {} is over 127", place(p, t, s), slot.note),
                            error: true,
                        });
                    }
                    if !slot.is_empty() && !(MICRO_MIN..=MICRO_MAX).contains(&slot.micro) {
                        out.push(Finding {
                            offset: offset + 6,
                            message: format!("{}: micro-timing {} is outside -96..=95", place(p, t, s), slot.micro),
                            error: true,
                        });
                    }
                }
            }
        }
    }
    out
}

#[cfg(test)]
#[path = "ops_tests.rs"]
mod tests;
