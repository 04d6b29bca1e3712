//! `markers.work` / `markers.strd` (reference §1.3): 207 000 bytes, the sample-editor state
//! (trim, loop point, slices) of every sample slot: Flex 1-128, the 8 recorder buffers
//! (= Flex 129-136), then Static 1-128, 784 bytes each. A record has the layout of `.ot` bytes
//! 46-829 (all u32 big-endian).
//!
//! octapy reads these records 4 bytes late (at 0x1A) and so mislabels every field; groovekit
//! follows the layout the fixtures and ot-tools-io 0.11.3 agree on.

use crate::OtError;
use crate::raw::header::{BinaryKind, ChecksumState};
use crate::raw::image::{self, ChecksumPolicy};

/// Size of a markers file.
pub const MARKERS_SIZE: usize = 207_000;
/// Offset of the first slot record.
pub const RECORDS_OFFSET: usize = 22;
/// Size of a slot record.
pub const RECORD_SIZE: usize = 784;
/// Number of records: 128 Flex + 8 recorder buffers + 128 Static.
pub const RECORD_COUNT: usize = 264;
/// Maximum slices per slot.
pub const MAX_SLICES: usize = 64;
/// Record-relative offset of the slice count.
pub const SLICE_COUNT: usize = 780;
/// Slice loop value meaning "no loop".
pub const NO_LOOP: u32 = 0xFFFF_FFFF;

/// Which slot a record belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SlotRef {
    /// Flex slot 1-128.
    Flex(u8),
    /// Recorder buffer 1-8 (Flex slots 129-136).
    Recorder(u8),
    /// Static slot 1-128.
    Static(u8),
}

impl SlotRef {
    /// The slot of record `index` (0-263).
    pub fn from_index(index: usize) -> Option<Self> {
        let n = |i: usize| u8::try_from(i + 1).ok();
        match index {
            0..128 => n(index).map(Self::Flex),
            128..136 => n(index - 128).map(Self::Recorder),
            136..264 => n(index - 136).map(Self::Static),
            _ => None,
        }
    }

    /// The record index (0-263), or None when the number is out of range.
    pub fn index(self) -> Option<usize> {
        match self {
            Self::Flex(n @ 1..=128) => Some(usize::from(n) - 1),
            Self::Recorder(n @ 1..=8) => Some(127 + usize::from(n)),
            Self::Static(n @ 1..=128) => Some(135 + usize::from(n)),
            _ => None,
        }
    }

    /// `flex`, `recorder` or `static`.
    pub fn type_name(self) -> &'static str {
        match self {
            Self::Flex(_) => "flex",
            Self::Recorder(_) => "recorder",
            Self::Static(_) => "static",
        }
    }

    /// The 1-based number within the type.
    pub fn number(self) -> u8 {
        match self {
            Self::Flex(n) | Self::Recorder(n) | Self::Static(n) => n,
        }
    }

    /// Builds a slot from a type name and number.
    pub fn parse(type_name: &str, number: u8) -> Option<Self> {
        let s = match type_name.trim().to_ascii_lowercase().as_str() {
            "flex" => Self::Flex(number),
            "recorder" => Self::Recorder(number),
            "static" => Self::Static(number),
            _ => return None,
        };
        s.index().map(|_| s)
    }
}

impl std::fmt::Display for SlotRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} {}", self.type_name(), self.number())
    }
}

/// One slice: start, end (frames) and loop point (`None` = off).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Slice {
    /// Start frame.
    pub start: u32,
    /// End frame.
    pub end: u32,
    /// Loop point, or `None` (stored as 0xFFFFFFFF).
    pub loop_point: Option<u32>,
}

/// A view of one slot record.
#[derive(Debug)]
pub struct SlotRecord<B> {
    bytes: B,
}

fn be32(b: &[u8], off: usize) -> u32 {
    match b.get(off..off + 4) {
        Some(&[a, b2, c, d]) => u32::from_be_bytes([a, b2, c, d]),
        _ => 0,
    }
}

impl<B: AsRef<[u8]>> SlotRecord<B> {
    /// Wraps a [`RECORD_SIZE`]-byte record.
    pub fn new(bytes: B) -> Self {
        Self { bytes }
    }

    /// The raw bytes.
    pub fn raw(&self) -> &[u8] {
        self.bytes.as_ref()
    }

    /// Whether every byte is zero (an empty slot).
    pub fn is_empty(&self) -> bool {
        self.bytes.as_ref().iter().all(|&b| b == 0)
    }

    /// Trim start (frames).
    pub fn trim_start(&self) -> u32 {
        be32(self.bytes.as_ref(), 0)
    }

    /// Trim end (frames).
    pub fn trim_end(&self) -> u32 {
        be32(self.bytes.as_ref(), 4)
    }

    /// Loop point (frames).
    pub fn loop_point(&self) -> u32 {
        be32(self.bytes.as_ref(), 8)
    }

    /// Slice `i` (0-63), as stored (also past the slice count).
    pub fn slice(&self, i: usize) -> Slice {
        let off = 12 + i * 12;
        let b = self.bytes.as_ref();
        let lp = be32(b, off + 8);
        Slice { start: be32(b, off), end: be32(b, off + 4), loop_point: (lp != NO_LOOP).then_some(lp) }
    }

    /// The stored slice count.
    pub fn slice_count(&self) -> u32 {
        be32(self.bytes.as_ref(), SLICE_COUNT)
    }
}

impl<B: AsRef<[u8]> + AsMut<[u8]>> SlotRecord<B> {
    fn put32(&mut self, off: usize, v: u32) {
        if let Some(d) = self.bytes.as_mut().get_mut(off..off + 4) {
            d.copy_from_slice(&v.to_be_bytes());
        }
    }

    /// Sets the trim start.
    pub fn set_trim_start(&mut self, v: u32) {
        self.put32(0, v);
    }

    /// Sets the trim end.
    pub fn set_trim_end(&mut self, v: u32) {
        self.put32(4, v);
    }

    /// Sets the loop point.
    pub fn set_loop_point(&mut self, v: u32) {
        self.put32(8, v);
    }

    /// Sets slice `i` (0-63).
    pub fn set_slice(&mut self, i: usize, s: Slice) {
        if i < MAX_SLICES {
            let off = 12 + i * 12;
            self.put32(off, s.start);
            self.put32(off + 4, s.end);
            self.put32(off + 8, s.loop_point.unwrap_or(NO_LOOP));
        }
    }

    /// Sets the slice count.
    pub fn set_slice_count(&mut self, v: u32) {
        self.put32(SLICE_COUNT, v);
    }
}

/// Validates a markers image.
pub fn validate(bytes: &[u8], policy: ChecksumPolicy) -> Result<ChecksumState, OtError> {
    image::validate(bytes, BinaryKind::Markers, policy)
}

/// A markers file: the whole byte image with typed views.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Markers {
    image: image::Image,
}

impl Markers {
    /// Reads a markers file, refusing a wrong checksum.
    pub fn read(bytes: &[u8]) -> Result<Self, OtError> {
        image::Image::read(bytes, validate).map(|image| Self { image })
    }

    /// Reads a markers file whatever its checksum.
    pub fn read_lenient(bytes: &[u8]) -> Result<(Self, ChecksumState), OtError> {
        image::Image::read_lenient(bytes, validate).map(|(image, state)| (Self { image }, state))
    }

    /// The default (empty) markers file.
    pub fn new_default() -> Self {
        Self { image: image::Image::new(default_markers_bytes(), true) }
    }

    /// The bytes as they are now.
    pub fn as_bytes(&self) -> &[u8] {
        self.image.as_bytes()
    }

    /// The file bytes with a correct checksum (recomputed unless the image is unchanged since a
    /// read that verified it).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.image.to_bytes()
    }

    /// The raw image, writable.
    pub fn bytes_mut(&mut self) -> &mut [u8] {
        self.image.bytes_mut()
    }

    /// Record `index` (0-263, see [`SlotRef`]).
    pub fn record(&self, index: usize) -> SlotRecord<&[u8]> {
        let off = RECORDS_OFFSET + index * RECORD_SIZE;
        SlotRecord::new(self.image.as_bytes().get(off..off + RECORD_SIZE).unwrap_or(&[]))
    }

    /// Record `index`, writable.
    pub fn record_mut(&mut self, index: usize) -> SlotRecord<&mut [u8]> {
        let off = RECORDS_OFFSET + index * RECORD_SIZE;
        SlotRecord::new(self.bytes_mut().get_mut(off..off + RECORD_SIZE).unwrap_or(&mut []))
    }

    /// Replaces record `index` by `bytes` (a `.ot`'s bytes 46-829 have this layout). Returns
    /// false, changing nothing, when `bytes` is not [`RECORD_SIZE`] long or `index` is out of
    /// range.
    pub fn set_record_bytes(&mut self, index: usize, bytes: &[u8]) -> bool {
        let off = RECORDS_OFFSET + index * RECORD_SIZE;
        match self.bytes_mut().get_mut(off..off + RECORD_SIZE) {
            Some(rec) if bytes.len() == RECORD_SIZE && index < RECORD_COUNT => {
                rec.copy_from_slice(bytes);
                true
            }
            _ => false,
        }
    }

    /// The slots whose record is not all zeros.
    pub fn used_slots(&self) -> Vec<SlotRef> {
        (0..RECORD_COUNT).filter(|&i| !self.record(i).is_empty()).filter_map(SlotRef::from_index).collect()
    }
}

/// The bytes of the default markers file of a fresh OS 1.40B project: every record zero,
/// byte-identical to the device's `markers.work`.
pub fn default_markers_bytes() -> Vec<u8> {
    let mut v = image::new_image(BinaryKind::Markers);
    image::update_checksum(&mut v);
    v
}
