//! Every sample-slot reference a bank holds, as a small walker over the raw bank image, and the
//! rewrite of those references through a slot map. The copy, listing and clean-up operations use
//! only this interface, so moving them onto the typed model later changes this file alone.
//!
//! What refers to a slot (reference §1.2, §10):
//! - each audio track of each part, in the working **and** the saved copy, has a Static slot and a
//!   Flex slot (both kept, whichever machine the track has: switching the machine brings the other
//!   back) and a recorder slot (Flex 129-136, never remapped: the buffers belong to every project);
//! - each step of each audio track of each pattern has a p-lock record whose byte
//!   [`SAMPLE_LOCK`] is the sample lock (0-based slot, 255 = none). The lock has no type of its
//!   own: it picks from the pool of the track's machine in the pattern's (working) part, and a
//!   lock on a Thru, Neighbor or Pickup track plays nothing.

use crate::model::project::SlotType;
use crate::raw::bank::{Bank, PART_COUNT, PATTERN_COUNT, PartCopy};
use crate::raw::part::{self, MachineType};
use crate::raw::pattern::{self, NO_LOCK, STEPS};

/// The p-lock byte holding the per-trig sample lock: byte 31 of the 32-byte record (0-based).
///
/// Evidence, in order: the device-made bank `fixtures/octatrack/bank-copy/BANK-COPY-SRC/bank01.work`
/// has 40 sample locks, all in byte 31 (values 1 and 126) on Static and Flex tracks alike, and
/// byte 30 is 255 everywhere; ot-tools-io declares `static_slot_id` then `flex_slot_id` at the end
/// of `AudioTrackParameterLocks` (so `flex_slot_id` is byte 31), and octatrack-manager
/// (`src-tauri/src/project_reader.rs`, `collect_referenced_slots` and
/// `remap_bank_slot_references`) reads the lock from `flex_slot_id` "for both machine types".
/// Reference §10 calls it byte 30; the fixture disagrees, so groovekit follows the fixture.
pub const SAMPLE_LOCK: usize = crate::model::params::SAMPLE_LOCK;
/// The other slot byte of the p-lock record (`static_slot_id` upstream). Never seen set in a
/// device file; kept raw and never rewritten (see [`BankRefs::other_lock_bytes`]).
pub const OTHER_SLOT_LOCK: usize = 30;

/// Where a reference sits in a bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Site {
    /// A part's machine slot: `part` 1-4, `track` 1-8, `saved` for the saved copy.
    Part {
        /// Part number, 1-4.
        part: u8,
        /// Whether this is the saved copy of the part (PART > RELOAD).
        saved: bool,
        /// Audio track, 1-8.
        track: u8,
    },
    /// A sample lock: `pattern` 1-16, `track` 1-8, `step` 1-64.
    Lock {
        /// Pattern number, 1-16.
        pattern: u8,
        /// Audio track, 1-8.
        track: u8,
        /// Step, 1-64.
        step: u8,
    },
}

/// One reference to a sample slot.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct SlotUse {
    /// Where it is.
    #[serde(flatten)]
    pub site: Site,
    /// The pool: Flex or Static.
    pub slot_type: SlotType,
    /// The slot, 1-based as the device shows it (1-128; Flex 129-136 are the recorder buffers).
    pub slot: u16,
    /// Whether this is the slot the track's machine plays: always for a lock; for a part, the
    /// Static slot of a Static machine or the Flex slot of a Flex machine.
    pub active: bool,
    /// Whether it plays: the timeline ([`crate::timeline`], every condition taken as true) has
    /// a sample trig through it. A lock plays when its step's trig plays (a trig within the
    /// track's length, not trigless, not on the master track); a part's slot when a pattern that
    /// plays the part has such a trig on the track without a sample lock. Everything else is only
    /// *referenced*: steps past the track's length (the multipart bank's step 49 of 16-step
    /// tracks), track 8 as the master track, locks on trigless steps, the saved part copy, the
    /// other machine's slot.
    pub audible: bool,
    /// The patterns (bit `p - 1` = pattern `p`) in which it plays.
    #[serde(rename = "plays_in", serialize_with = "pattern_list")]
    pub played_by: u16,
}

/// A pattern bit set as the list of pattern numbers.
fn pattern_list<S: serde::Serializer>(bits: &u16, s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq((1..=16u8).filter(|p| bits >> (p - 1) & 1 == 1))
}

/// The references of one bank image.
#[derive(Debug, Clone, Default)]
pub struct BankRefs {
    /// Every reference, parts first (working, then saved), then locks by pattern, track, step.
    pub uses: Vec<SlotUse>,
    /// P-lock records whose [`OTHER_SLOT_LOCK`] byte is set: (pattern, track, step, value), kept
    /// as they are and reported, since no device file shows what they mean.
    pub other_lock_bytes: Vec<(u8, u8, u8, u8)>,
}

/// The pool a machine plays from.
fn pool_of(machine: u8) -> Option<SlotType> {
    match MachineType::from_byte(machine) {
        Some(MachineType::Static) => Some(SlotType::Static),
        Some(MachineType::Flex) => Some(SlotType::Flex),
        _ => None,
    }
}

/// The part (0-3) pattern `p` plays, clamped like the device's 2-bit field.
fn pattern_part(bank: &Bank, p: usize) -> usize {
    usize::from(bank.pattern(p).part()).min(PART_COUNT - 1)
}

/// Lists every slot reference of a bank (see the module docs), with what plays as if track 8
/// were a normal track (see [`bank_refs_with`]).
pub fn bank_refs(bank: &Bank) -> BankRefs {
    bank_refs_with(bank, false)
}

/// What the timeline plays in each pattern: for every audio track, the steps whose sample trig
/// plays (as a step set, bit `s` = step `s + 1`) and whether it plays through a sample lock.
struct Played {
    /// Per pattern: per track, the steps that play a sample.
    steps: [[u64; 8]; PATTERN_COUNT],
    /// Per pattern: per track, the steps that play through a sample lock.
    locked: [[u64; 8]; PATTERN_COUNT],
}

fn played(bank: &Bank, master_track: bool) -> Played {
    use crate::timeline::{EventKind, OneBank, Options, TrackId, expand_patterns_from};
    let mut out = Played { steps: [[0; 8]; PATTERN_COUNT], locked: [[0; 8]; PATTERN_COUNT] };
    let model = crate::model::bank::Bank::from_raw(bank.clone(), 1);
    let mut settings = crate::model::project::Project::new_default();
    if master_track {
        // The default project has the key; a failure leaves track 8 a normal track.
        let _ = settings.set_setting("MASTER_TRACK", 1);
    }
    let opts = Options { every_condition: true, ..Options::default() };
    for p in 0..PATTERN_COUNT {
        let mut src = OneBank { bank: &model, settings: &settings };
        let Ok(t) = expand_patterns_from(&mut src, 1, &[p as u8 + 1], &opts) else { continue }; // ok: p < 16
        for e in &t.events {
            let (TrackId::Audio(n), EventKind::AudioTrig(a)) = (e.track, &e.kind) else { continue };
            if !a.plays_sample || e.step == 0 {
                continue;
            }
            let (ti, bit) = (usize::from(n - 1).min(7), 1u64 << (e.step - 1).min(63));
            if let Some(x) = out.steps.get_mut(p).and_then(|r| r.get_mut(ti)) {
                *x |= bit;
            }
            if a.sample_lock
                && let Some(x) = out.locked.get_mut(p).and_then(|r| r.get_mut(ti))
            {
                *x |= bit;
            }
        }
    }
    out
}

/// Lists every slot reference of a bank; `master_track`: the project's `MASTER_TRACK=1` (track 8
/// is the master track and plays no sample).
pub fn bank_refs_with(bank: &Bank, master_track: bool) -> BankRefs {
    let mut out = BankRefs::default();
    let played = played(bank, master_track);
    // Which patterns play a part's own slot on a track: a playing trig without a sample lock.
    let mut part_played = [[0u16; 8]; PART_COUNT];
    for (p, (steps, locked)) in played.steps.iter().zip(&played.locked).enumerate() {
        let part = pattern_part(bank, p);
        for (t, (s, l)) in steps.iter().zip(locked).enumerate() {
            if s & !l != 0 {
                part_played[part][t] |= 1 << p; // ok: part < 4, t < 8
            }
        }
    }
    for copy in [PartCopy::Working, PartCopy::Saved] {
        for (i, by_track) in part_played.iter().enumerate() {
            let part = bank.part(copy, i);
            for (t, &by) in by_track.iter().enumerate() {
                let machine = pool_of(part.machine(t));
                for (slot_type, raw) in [(SlotType::Static, part.static_slot(t)), (SlotType::Flex, part.flex_slot(t))] {
                    let active = machine == Some(slot_type);
                    let plays = active && copy == PartCopy::Working && by != 0;
                    out.uses.push(SlotUse {
                        site: Site::Part { part: i as u8 + 1, saved: copy == PartCopy::Saved, track: t as u8 + 1 }, // ok: < 8
                        slot_type,
                        slot: u16::from(raw) + 1,
                        active,
                        audible: plays,
                        played_by: if plays { by } else { 0 },
                    });
                }
            }
        }
    }
    for p in 0..PATTERN_COUNT {
        let part = bank.part(PartCopy::Working, pattern_part(bank, p));
        let pat = bank.pattern(p);
        for t in 0..8 {
            let track = pat.audio_track(t);
            let pool = pool_of(part.machine(t));
            for s in 0..STEPS {
                let rec = track.plock(s);
                let lock = rec.get(SAMPLE_LOCK).copied().unwrap_or(NO_LOCK);
                let other = rec.get(OTHER_SLOT_LOCK).copied().unwrap_or(NO_LOCK);
                let site = (p as u8 + 1, t as u8 + 1, s as u8 + 1); // ok: p < 16, t < 8, s < 64
                if other != NO_LOCK {
                    out.other_lock_bytes.push((site.0, site.1, site.2, other));
                }
                if lock == NO_LOCK {
                    continue;
                }
                if let Some(slot_type) = pool {
                    let plays = played.locked[p][t] >> s & 1 == 1; // ok: p < 16, t < 8
                    out.uses.push(SlotUse {
                        site: Site::Lock { pattern: site.0, track: site.1, step: site.2 },
                        slot_type,
                        slot: u16::from(lock) + 1,
                        active: true,
                        audible: plays,
                        played_by: if plays { 1 << p } else { 0 },
                    });
                }
            }
        }
    }
    out
}

/// Rewrites every reference of `bank` through `map` (type, old 1-based slot) -> new 1-based slot;
/// `None` keeps a reference as it is. Recorder buffers (Flex 129-136) are never passed to `map`.
/// Returns how many bytes changed.
pub fn remap_bank(bank: &mut Bank, map: &dyn Fn(SlotType, u16) -> Option<u16>) -> usize {
    let apply = |slot_type: SlotType, raw: u8| -> Option<u8> {
        let old = u16::from(raw) + 1;
        if slot_type == SlotType::Flex && old > 128 {
            return None;
        }
        map(slot_type, old).and_then(|new| u8::try_from(new.checked_sub(1)?).ok()).filter(|&b| b != raw)
    };
    let mut changed = 0;
    // Lock pools come from the working parts as they were before the rewrite (machines do not
    // change here, only slots, so the order does not matter; read them first anyway).
    let pools: Vec<[Option<SlotType>; 8]> = (0..PATTERN_COUNT)
        .map(|p| {
            let part = bank.part(PartCopy::Working, pattern_part(bank, p));
            std::array::from_fn(|t| pool_of(part.machine(t)))
        })
        .collect();
    for copy in [PartCopy::Working, PartCopy::Saved] {
        for i in 0..PART_COUNT {
            let mut part = bank.part_mut(copy, i);
            for t in 0..8 {
                if let Some(b) = apply(SlotType::Static, part.static_slot(t)) {
                    part.set_byte(part::SLOTS + 5 * t, b);
                    changed += 1;
                }
                if let Some(b) = apply(SlotType::Flex, part.flex_slot(t)) {
                    part.set_byte(part::SLOTS + 5 * t + 1, b);
                    changed += 1;
                }
            }
        }
    }
    for (p, pool) in pools.iter().enumerate() {
        let mut pat = bank.pattern_mut(p);
        for (t, pool) in pool.iter().enumerate() {
            let Some(slot_type) = *pool else { continue };
            let mut track = pat.audio_track_mut(t);
            for s in 0..STEPS {
                let lock = track.plock(s).get(SAMPLE_LOCK).copied().unwrap_or(NO_LOCK);
                if lock == NO_LOCK {
                    continue;
                }
                if let Some(b) = apply(slot_type, lock) {
                    track.set_plock(s, SAMPLE_LOCK, b);
                    changed += 1;
                }
            }
        }
    }
    changed
}

/// Which bank pieces a partial copy takes: used by copy-pattern / copy-part / copy-track.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece {
    /// One pattern (0-15): its locks.
    Pattern(usize),
    /// One part (0-3), working and saved copies: its machine slots.
    Part(usize),
}

/// The references of `refs` that belong to `piece`.
pub fn uses_in(refs: &BankRefs, piece: Piece) -> Vec<SlotUse> {
    refs.uses
        .iter()
        .filter(|u| match (piece, u.site) {
            (Piece::Pattern(p), Site::Lock { pattern, .. }) => usize::from(pattern) == p + 1,
            (Piece::Part(i), Site::Part { part, .. }) => usize::from(part) == i + 1,
            _ => false,
        })
        .copied()
        .collect()
}

/// The pattern-relative byte offset of audio track `t`'s step `s` lock (for tests and dumps).
pub const fn lock_offset(t: usize, s: usize) -> usize {
    pattern::AUDIO_TRACKS_OFFSET + t * pattern::AUDIO_TRACK_SIZE + pattern::AUDIO_TRACK.plocks + s * 32 + SAMPLE_LOCK
}

#[cfg(test)]
#[path = "refs_tests.rs"]
mod tests;
