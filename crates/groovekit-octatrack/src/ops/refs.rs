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
    /// Whether it can sound: a lock, or an active part slot whose track has trigs in a pattern
    /// that plays this part (working copy).
    pub audible: bool,
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

/// Lists every slot reference of a bank (see the module docs).
pub fn bank_refs(bank: &Bank) -> BankRefs {
    let mut out = BankRefs::default();
    // Which (part, track) has trigs in some pattern that plays it.
    let mut trigged = [[false; 8]; PART_COUNT];
    for p in 0..PATTERN_COUNT {
        let part = pattern_part(bank, p);
        let pat = bank.pattern(p);
        for (t, hit) in trigged[part].iter_mut().enumerate() {
            *hit |= pat.audio_track(t).trigs() != 0;
        }
    }
    for copy in [PartCopy::Working, PartCopy::Saved] {
        for (i, trigged) in trigged.iter().enumerate() {
            let part = bank.part(copy, i);
            for (t, &trigged) in trigged.iter().enumerate() {
                let machine = pool_of(part.machine(t));
                for (slot_type, raw) in [(SlotType::Static, part.static_slot(t)), (SlotType::Flex, part.flex_slot(t))] {
                    let active = machine == Some(slot_type);
                    out.uses.push(SlotUse {
                        site: Site::Part { part: i as u8 + 1, saved: copy == PartCopy::Saved, track: t as u8 + 1 }, // ok: < 8
                        slot_type,
                        slot: u16::from(raw) + 1,
                        active,
                        audible: active && copy == PartCopy::Working && trigged,
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
                    out.uses.push(SlotUse {
                        site: Site::Lock { pattern: site.0, track: site.1, step: site.2 },
                        slot_type,
                        slot: u16::from(lock) + 1,
                        active: true,
                        audible: true,
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
