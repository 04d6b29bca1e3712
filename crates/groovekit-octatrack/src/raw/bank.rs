//! `bankNN.work` / `bankNN.strd` (reference §1.2): 636 113 bytes, 16 patterns, 4 working and
//! 4 saved parts, the saved-part flags, part names and the checksum.
//!
//! [`Bank`] keeps the whole byte image; patterns and parts are views over it
//! ([`crate::raw::pattern`], [`crate::raw::part`]), so bytes nobody understands yet survive.

use crate::OtError;
use crate::raw::header::{BinaryKind, ChecksumState};
use crate::raw::image::{self, ChecksumPolicy};
use crate::raw::part::{self, PART_SIZE, Part};
use crate::raw::pattern::{self, AUDIO_TRACK_SIZE, MIDI_TRACK_SIZE, PATTERN_SIZE, Pattern};

/// Size of a bank file.
pub const BANK_SIZE: usize = 636_113;
/// Offset of pattern 1; pattern `p` (0-based) is at `PATTERNS_OFFSET + p * PATTERN_SIZE`.
pub const PATTERNS_OFFSET: usize = 22;
/// Number of patterns.
pub const PATTERN_COUNT: usize = 16;
/// Number of parts (each in a working and a saved copy).
pub const PART_COUNT: usize = 4;
/// Offset of the working ("unsaved") parts: what plays and is edited.
pub const WORKING_PARTS_OFFSET: usize = 585_430;
/// Offset of the saved parts (restored by PART -> RELOAD).
pub const SAVED_PARTS_OFFSET: usize = 610_754;
/// `parts_saved_state`: one byte per part, 1 when a saved copy exists.
pub const PARTS_SAVED_STATE: usize = 636_078;
/// Byte 0x9B4B2: the parts edited since they were saved, one bit per part (bit 0 = part 1), as
/// ot-tools-io (`parts_edited_bitmask`) and octatrack-manager read it. octapy writes a count of
/// Flex machines there; the device files refute that (docs/octatrack-files.md, "The edited-parts
/// byte"; test `edited_parts_byte_of_the_device_banks` in `tests/bank.rs`):
/// - blank-project: 0, every working part equal to its saved copy;
/// - demo-set `BLANK/bank01`: 1, part 1's working copy differs from its saved copy (machine set to
///   Flex on the device), parts 2-4 do not;
/// - real-device `bank01`: 15, all four working parts differ from their saved copies; it has 10
///   Flex machines and 13 Flex samples, not 15;
/// - bank-copy `bank01`: 14 (parts 2-4) with every working part equal to its saved copy and 8
///   Flex machines: a bit stays set after an edit that was turned back, so it says "edited", not
///   "differs".
///
/// In every device file a part whose working copy differs from its saved copy has its bit set.
/// groovekit keeps that true: an operation that edits a working part sets its bit, PART SAVE and
/// PART RELOAD clear it, a copied part brings its source's bit.
pub const PARTS_EDITED: usize = 636_082;
/// The old name of [`PARTS_EDITED`] (the byte was disputed before the fixtures decided it).
pub const DISPUTED_0X9B4B2: usize = PARTS_EDITED;
/// Part names: 4 x 7 bytes, NUL-terminated with stale tails.
pub const PART_NAMES: usize = 636_083;
/// Length of a part name field.
pub const PART_NAME_LEN: usize = 7;

/// Which copy of a part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PartCopy {
    /// The working ("unsaved") part.
    Working,
    /// The saved part.
    Saved,
}

impl PartCopy {
    /// Offset of part `i` (0-3) of this copy.
    pub const fn offset(self, i: usize) -> usize {
        match self {
            Self::Working => WORKING_PARTS_OFFSET + i * PART_SIZE,
            Self::Saved => SAVED_PARTS_OFFSET + i * PART_SIZE,
        }
    }
}

/// Offset of pattern `p` (0-based).
pub const fn pattern_offset(p: usize) -> usize {
    PATTERNS_OFFSET + p * PATTERN_SIZE
}

/// Every section header with its offset: 16 x (`PTRN`, 8 `TRAC`, 8 `MTRA`), then 8 `PART`.
pub fn section_headers() -> impl Iterator<Item = (usize, &'static str)> {
    let patterns = (0..PATTERN_COUNT).flat_map(|p| {
        let base = pattern_offset(p);
        std::iter::once((base, "PTRN"))
            .chain((0..8).map(move |t| (base + pattern::AUDIO_TRACKS_OFFSET + t * AUDIO_TRACK_SIZE, "TRAC")))
            .chain((0..8).map(move |t| (base + pattern::MIDI_TRACKS_OFFSET + t * MIDI_TRACK_SIZE, "MTRA")))
    });
    let parts = [PartCopy::Working, PartCopy::Saved]
        .into_iter()
        .flat_map(|c| (0..PART_COUNT).map(move |i| (c.offset(i), "PART")));
    patterns.chain(parts)
}

/// Validates a bank image: size, magic, version, every section header, and the checksum under
/// `policy`.
pub fn validate(bytes: &[u8], policy: ChecksumPolicy) -> Result<ChecksumState, OtError> {
    let state = image::validate(bytes, BinaryKind::Bank, ChecksumPolicy::Lenient)?;
    for (offset, tag) in section_headers() {
        image::check_section(bytes, BinaryKind::Bank, offset, tag)?;
    }
    image::enforce(state, BinaryKind::Bank, policy)?;
    Ok(state)
}

/// A bank: the whole byte image with typed views.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bank {
    image: image::Image,
}

impl Bank {
    /// Reads a bank, refusing a wrong checksum.
    pub fn read(bytes: &[u8]) -> Result<Self, OtError> {
        image::Image::read(bytes, validate).map(|image| Self { image })
    }

    /// Reads a bank whatever its checksum; returns the checksum state for the caller to report.
    pub fn read_lenient(bytes: &[u8]) -> Result<(Self, ChecksumState), OtError> {
        image::Image::read_lenient(bytes, validate).map(|(image, state)| (Self { image }, state))
    }

    /// The default bank of a fresh OS 1.40 project.
    pub fn new_default() -> Self {
        Self { image: image::Image::new(default_bank_bytes(), true) }
    }

    /// The bytes as they are now (the checksum is whatever was last read or written).
    pub fn as_bytes(&self) -> &[u8] {
        self.image.as_bytes()
    }

    /// The file bytes with a correct checksum (recomputed unless the image is unchanged since a
    /// read that verified it).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.image.to_bytes()
    }

    /// The raw image, writable. Section headers are not re-checked: callers own what they write.
    pub fn bytes_mut(&mut self) -> &mut [u8] {
        self.image.bytes_mut()
    }

    /// Pattern `p` (0-15).
    pub fn pattern(&self, p: usize) -> Pattern<&[u8]> {
        let off = pattern_offset(p);
        Pattern::new(self.image.as_bytes().get(off..off + PATTERN_SIZE).unwrap_or(&[]))
    }

    /// Pattern `p` (0-15), writable.
    pub fn pattern_mut(&mut self, p: usize) -> Pattern<&mut [u8]> {
        let off = pattern_offset(p);
        Pattern::new(self.bytes_mut().get_mut(off..off + PATTERN_SIZE).unwrap_or(&mut []))
    }

    /// Part `i` (0-3) of `copy`.
    pub fn part(&self, copy: PartCopy, i: usize) -> Part<&[u8]> {
        let off = copy.offset(i);
        Part::new(self.image.as_bytes().get(off..off + PART_SIZE).unwrap_or(&[]))
    }

    /// Part `i` (0-3) of `copy`, writable.
    pub fn part_mut(&mut self, copy: PartCopy, i: usize) -> Part<&mut [u8]> {
        let off = copy.offset(i);
        Part::new(self.bytes_mut().get_mut(off..off + PART_SIZE).unwrap_or(&mut []))
    }

    /// The raw 7-byte name field of part `i` (0-3).
    pub fn part_name_raw(&self, i: usize) -> &[u8] {
        let off = PART_NAMES + i * PART_NAME_LEN;
        self.image.as_bytes().get(off..off + PART_NAME_LEN).unwrap_or(&[])
    }

    /// The name of part `i` (0-3), up to the NUL.
    pub fn part_name(&self, i: usize) -> String {
        image::read_name(self.part_name_raw(i))
    }

    /// Renames part `i`, keeping the stale bytes after the new NUL.
    pub fn set_part_name(&mut self, i: usize, name: &str) -> Result<(), OtError> {
        let off = PART_NAMES + i * PART_NAME_LEN;
        let field = self.bytes_mut().get_mut(off..off + PART_NAME_LEN).ok_or_else(|| OtError::Invalid {
            field: format!("part {}", i + 1),
            message: "parts are numbered 1-4".into(),
        })?;
        image::write_name(field, name, &format!("part {} name", i + 1))
    }

    /// `parts_saved_state` of part `i` (1 = a saved copy exists).
    pub fn part_saved_state(&self, i: usize) -> u8 {
        self.image.as_bytes().get(PARTS_SAVED_STATE + i).copied().unwrap_or(0)
    }

    /// The byte at 0x9B4B2 (the old name of [`Bank::parts_edited`]).
    pub fn disputed_0x9b4b2(&self) -> u8 {
        self.parts_edited()
    }

    /// The edited-parts byte ([`PARTS_EDITED`]): bit `i` set when part `i + 1` was edited since
    /// it was saved.
    pub fn parts_edited(&self) -> u8 {
        self.image.as_bytes().get(PARTS_EDITED).copied().unwrap_or(0)
    }

    /// Sets or clears the edited bit of part `i` (0-3); other parts' bits and the byte's upper
    /// four bits stay as they are.
    pub fn set_part_edited(&mut self, i: usize, edited: bool) {
        if i >= PART_COUNT {
            return;
        }
        let bit = 1u8 << i;
        if let Some(b) = self.bytes_mut().get_mut(PARTS_EDITED) {
            *b = if edited { *b | bit } else { *b & !bit };
        }
    }

    /// Sets the edited bit of every part whose working copy differs from `before`'s (what the
    /// device does when a part is edited); bits already set stay set.
    pub fn mark_edited_parts(&mut self, before: &Bank) {
        for i in 0..PART_COUNT {
            if self.part(PartCopy::Working, i).raw() != before.part(PartCopy::Working, i).raw() {
                self.set_part_edited(i, true);
            }
        }
    }

    /// The patterns (0-based) with at least one trig on any audio or MIDI track.
    pub fn patterns_with_trigs(&self) -> Vec<usize> {
        (0..PATTERN_COUNT)
            .filter(|&p| {
                let pat = self.pattern(p);
                (0..8).any(|t| pat.audio_track(t).trigs() != 0 || pat.midi_track(t).trigs() != 0)
            })
            .collect()
    }
}

/// The default names of the 4 parts.
const DEFAULT_PART_NAMES: [&str; 4] = ["ONE", "TWO", "THREE", "FOUR"];

/// The bytes of the default bank of a fresh OS 1.40B project, byte-identical to the device's
/// `bank01..16.work`. Built from the field defaults, not a template.
pub fn default_bank_bytes() -> Vec<u8> {
    let mut v = image::new_image(BinaryKind::Bank);
    if let Some(first) = v.get_mut(pattern_offset(0)..pattern_offset(1)) {
        pattern::write_default_pattern(first);
    }
    for p in 1..PATTERN_COUNT {
        v.copy_within(pattern_offset(0)..pattern_offset(1), pattern_offset(p));
    }
    for copy in [PartCopy::Working, PartCopy::Saved] {
        for i in 0..PART_COUNT {
            let off = copy.offset(i);
            if let Some(block) = v.get_mut(off..off + PART_SIZE) {
                part::write_default_part(block, i as u8); // ok: i < 4
            }
        }
    }
    for (i, name) in DEFAULT_PART_NAMES.iter().enumerate() {
        let off = PART_NAMES + i * PART_NAME_LEN;
        if let Some(field) = v.get_mut(off..off + name.len()) {
            field.copy_from_slice(name.as_bytes());
        }
    }
    image::update_checksum(&mut v);
    v
}
