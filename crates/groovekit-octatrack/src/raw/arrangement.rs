//! `arrNN.work` / `arrNN.strd` (reference §1.4): 11 336 bytes, one arrangement in two copies
//! (the "current" block written by SYNC TO CARD and the block written by ARRANGER SAVE), each a
//! name and 256 rows of 22 bytes.
//!
//! Arrangement checksums are **tolerated**: the device is not known to check them and a fixture
//! (`full_options.work`) has a wrong one. [`Arrangement::read`] accepts a mismatch and reports
//! it; [`Arrangement::to_bytes`] keeps a stored checksum while the image is unchanged (so such a
//! file round-trips) and recomputes it as soon as anything is edited.

use crate::OtError;
use crate::raw::header::{BinaryKind, ChecksumState};
use crate::raw::image::{self, ChecksumPolicy};

/// Size of an arrangement file.
pub const ARRANGEMENT_SIZE: usize = 11_336;
/// Unknown 2 bytes before the first block (0 in every fixture).
pub const UNKNOWN_HEAD: usize = 22;
/// Offset of the current block.
pub const CURRENT_BLOCK: usize = 24;
/// Unknown 2 bytes between the blocks (a stale name byte in one device file).
pub const UNKNOWN_MIDDLE: usize = 5_674;
/// Offset of the saved block.
pub const SAVED_BLOCK: usize = 5_676;
/// Size of a block.
pub const BLOCK_SIZE: usize = 5_650;
/// "Has content" flags of the 8 arrangements (meaning inferred from fixtures).
pub const CONTENT_FLAGS: usize = 11_326;
/// Length of the name field.
pub const NAME_LEN: usize = 15;
/// Block-relative offset of the 2 unknown bytes after the name.
pub const BLOCK_UNKNOWN: usize = 15;
/// Block-relative offset of the row count (256 rows are reportedly stored as 0).
pub const ROW_COUNT: usize = 17;
/// Block-relative offset of row 1.
pub const ROWS: usize = 18;
/// Size of a row.
pub const ROW_SIZE: usize = 22;
/// Number of rows.
pub const ROW_MAX: usize = 256;
/// Length of a reminder row's text (row bytes 1-15).
pub const REMINDER_LEN: usize = 15;

/// Which block of the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Block {
    /// The current arrangement (SYNC TO CARD).
    Current,
    /// The saved arrangement (ARRANGER SAVE).
    Saved,
}

impl Block {
    /// Both blocks.
    pub const ALL: [Block; 2] = [Block::Current, Block::Saved];

    /// File offset of the block.
    pub const fn offset(self) -> usize {
        match self {
            Self::Current => CURRENT_BLOCK,
            Self::Saved => SAVED_BLOCK,
        }
    }
}

/// Row types (byte 0 of a row).
pub mod row_type {
    /// Pattern row (also every empty row).
    pub const PATTERN: u8 = 0;
    /// Loop / jump / halt row.
    pub const LOOP: u8 = 1;
    /// Reminder (text) row.
    pub const REMINDER: u8 = 2;
}

/// Row-relative offsets of a pattern row's fields.
pub mod pattern_row {
    /// Pattern 0-255 (A01..P16).
    pub const PATTERN: usize = 1;
    /// Repetitions (<= 63).
    pub const REPEATS: usize = 2;
    /// Track mute mask.
    pub const MUTE_MASK: usize = 4;
    /// Tempo, u16 BE (BPM x 24, inferred).
    pub const TEMPO: usize = 6;
    /// Scene A (255 = none).
    pub const SCENE_A: usize = 8;
    /// Scene B (255 = none).
    pub const SCENE_B: usize = 9;
    /// Offset (start step).
    pub const OFFSET: usize = 11;
    /// Length (stored as offset + length).
    pub const LENGTH: usize = 13;
    /// MIDI transpose, 8 x i8.
    pub const TRANSPOSE: usize = 14;
}

/// A view of one 22-byte row.
#[derive(Debug)]
pub struct Row<B> {
    bytes: B,
}

impl<B: AsRef<[u8]>> Row<B> {
    /// Wraps 22 row bytes.
    pub fn new(bytes: B) -> Self {
        Self { bytes }
    }

    /// The raw row bytes.
    pub fn raw(&self) -> &[u8] {
        self.bytes.as_ref()
    }

    /// Byte `i` of the row (0 past the end).
    pub fn byte(&self, i: usize) -> u8 {
        self.bytes.as_ref().get(i).copied().unwrap_or(0)
    }

    /// The row type byte ([`row_type`]).
    pub fn kind(&self) -> u8 {
        self.byte(0)
    }

    /// A pattern row's tempo (u16 BE).
    pub fn tempo(&self) -> u16 {
        u16::from_be_bytes([self.byte(pattern_row::TEMPO), self.byte(pattern_row::TEMPO + 1)])
    }

    /// A reminder row's text (up to the NUL; stale bytes after it are kept in the image).
    pub fn reminder_text(&self) -> String {
        image::read_name(self.bytes.as_ref().get(1..1 + REMINDER_LEN).unwrap_or(&[]))
    }
}

impl<B: AsRef<[u8]> + AsMut<[u8]>> Row<B> {
    /// Sets byte `i` of the row.
    pub fn set_byte(&mut self, i: usize, v: u8) {
        if let Some(b) = self.bytes.as_mut().get_mut(i) {
            *b = v;
        }
    }

    /// Sets a pattern row's tempo.
    pub fn set_tempo(&mut self, v: u16) {
        let [a, b] = v.to_be_bytes();
        self.set_byte(pattern_row::TEMPO, a);
        self.set_byte(pattern_row::TEMPO + 1, b);
    }

    /// Sets a reminder row's text, keeping stale bytes after the NUL.
    pub fn set_reminder_text(&mut self, text: &str, what: &str) -> Result<(), OtError> {
        let field = self.bytes.as_mut().get_mut(1..1 + REMINDER_LEN).unwrap_or(&mut []);
        image::write_name(field, text, what)
    }
}

/// Validates an arrangement image (size, magic, version; the checksum only under `policy`).
pub fn validate(bytes: &[u8], policy: ChecksumPolicy) -> Result<ChecksumState, OtError> {
    image::validate(bytes, BinaryKind::Arrangement, policy)
}

/// An arrangement: the whole byte image with typed views.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrangement {
    bytes: Vec<u8>,
    /// True while the image is as read and its stored checksum was wrong: writing keeps it.
    keep_stored_checksum: bool,
}

impl Arrangement {
    /// Reads an arrangement. A checksum mismatch is tolerated (see the module docs); check the
    /// returned state to warn about it.
    pub fn read(bytes: &[u8]) -> Result<(Self, ChecksumState), OtError> {
        let state = validate(bytes, ChecksumPolicy::Lenient)?;
        Ok((Self { bytes: bytes.to_vec(), keep_stored_checksum: !state.is_valid() }, state))
    }

    /// Default arrangement `number` (1-8) of a fresh OS 1.40B project.
    pub fn new_default(number: u8) -> Self {
        Self { bytes: default_arrangement_bytes(number), keep_stored_checksum: false }
    }

    /// The bytes as they are now.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The file bytes: the checksum recomputed, unless the image is unchanged since a read that
    /// found a wrong one (then it is kept, so the file round-trips).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = self.bytes.clone();
        if !self.keep_stored_checksum {
            image::update_checksum(&mut out);
        }
        out
    }

    /// The raw image, writable (the next write recomputes the checksum).
    pub fn bytes_mut(&mut self) -> &mut [u8] {
        self.keep_stored_checksum = false;
        &mut self.bytes
    }

    fn block(&self, b: Block) -> &[u8] {
        self.bytes.get(b.offset()..b.offset() + BLOCK_SIZE).unwrap_or(&[])
    }

    /// The raw 15-byte name field of a block.
    pub fn name_raw(&self, b: Block) -> &[u8] {
        self.block(b).get(..NAME_LEN).unwrap_or(&[])
    }

    /// The name of a block, up to the NUL.
    pub fn name(&self, b: Block) -> String {
        image::read_name(self.name_raw(b))
    }

    /// Renames a block, keeping stale bytes after the NUL.
    pub fn set_name(&mut self, b: Block, name: &str) -> Result<(), OtError> {
        let off = b.offset();
        let field = self.bytes_mut().get_mut(off..off + NAME_LEN).unwrap_or(&mut []);
        image::write_name(field, name, "arrangement name")
    }

    /// The row count byte of a block.
    pub fn row_count(&self, b: Block) -> u8 {
        self.block(b).get(ROW_COUNT).copied().unwrap_or(0)
    }

    /// Sets the row count byte of a block.
    pub fn set_row_count(&mut self, b: Block, n: u8) {
        let off = b.offset() + ROW_COUNT;
        if let Some(x) = self.bytes_mut().get_mut(off) {
            *x = n;
        }
    }

    /// Row `r` (0-255) of a block.
    pub fn row(&self, b: Block, r: usize) -> Row<&[u8]> {
        let off = ROWS + r * ROW_SIZE;
        Row::new(self.block(b).get(off..off + ROW_SIZE).unwrap_or(&[]))
    }

    /// Row `r` (0-255) of a block, writable.
    pub fn row_mut(&mut self, b: Block, r: usize) -> Row<&mut [u8]> {
        let off = b.offset() + ROWS + r * ROW_SIZE;
        Row::new(self.bytes_mut().get_mut(off..off + ROW_SIZE).unwrap_or(&mut []))
    }

    /// The 8 "has content" flags.
    pub fn content_flags(&self) -> &[u8] {
        self.bytes.get(CONTENT_FLAGS..CONTENT_FLAGS + 8).unwrap_or(&[])
    }
}

/// Stale bytes after the NUL of each default arrangement's name (arr01..arr08), written at name
/// bytes 1.. of both blocks. A fresh OS 1.40B project carries the names of the factory
/// arrangements it was copied from ("D-UNOTHER-MAIN", "DRAWING FEAR", "EXIT", "SPECTRA", "D-UNOTHER-BAK1", ...) with
/// the first byte set to NUL, which is how the device blanks a name. These are the only non-zero
/// bytes of a default arrangement besides magic, version and checksum.
const DEFAULT_STALE_NAME_TAILS: [&[u8]; 8] =
    [b"-UNOTHER-MAIN", b"-UNOTHER", b"RAWING FEAR", b"XIT", b"PECTRA", b"", b"", b"-UNOTHER-BAK1"];

/// The bytes of default arrangement `number` (1-8; other values give the blank arrangement with
/// no stale name bytes, as arr06) of a fresh OS 1.40B project, byte-identical to the device's
/// `arr01..08.work`: empty name, no rows (every row zero), checksum recomputed.
pub fn default_arrangement_bytes(number: u8) -> Vec<u8> {
    let mut v = image::new_image(BinaryKind::Arrangement);
    let tail = usize::from(number).checked_sub(1).and_then(|i| DEFAULT_STALE_NAME_TAILS.get(i)).copied().unwrap_or(b"");
    for block in Block::ALL {
        let at = block.offset() + 1;
        if let Some(f) = v.get_mut(at..at + tail.len()) {
            f.copy_from_slice(tail);
        }
    }
    image::update_checksum(&mut v);
    v
}
