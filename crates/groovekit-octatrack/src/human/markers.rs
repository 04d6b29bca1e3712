//! The readable markers document (`kind: octatrack-markers`): the slots whose record is not
//! empty, with trim, loop point and slices.
//!
//! ```yaml
//! kind: octatrack-markers
//! slots:
//! - slot: recorder 1
//!   trim: [0, 611561]
//! - slot: flex 3
//!   trim: [0, 88200]
//!   slice_count: 2
//!   slices:
//!   - start: 0
//!     end: 44100
//!   - start: 44100
//!     end: 88200
//!     loop: 50000
//! ```

use serde::{Deserialize, Serialize};

use crate::OtError;
use crate::human::patch::{self, Flow, Patch, invalid};
use crate::raw::markers::{self, MARKERS_SIZE, MAX_SLICES, Markers, RECORD_COUNT, Slice, SlotRecord, SlotRef};

/// The `kind` of a markers document.
pub const KIND: &str = "octatrack-markers";

/// A markers file as a readable document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MarkersDoc {
    /// Always [`KIND`].
    pub kind: String,
    /// Slots whose record is not all zeros.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub slots: Vec<SlotDoc>,
    /// The stored checksum, present only when it was wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stored_checksum: Option<String>,
    /// Bytes that differ from the default and no field above covers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmodelled: Vec<Patch>,
}

/// One slot's sample-editor state (frames).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlotDoc {
    /// `flex N` (1-128), `recorder N` (1-8) or `static N` (1-128).
    pub slot: String,
    /// [trim start, trim end].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trim: Option<Flow<Vec<u32>>>,
    /// Loop point.
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "loop")]
    pub loop_point: Option<u32>,
    /// The stored slice count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slice_count: Option<u32>,
    /// Slices 1.. up to the last non-zero one (also past the count: the device keeps them).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub slices: Vec<SliceDoc>,
}

/// One slice.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SliceDoc {
    /// Start frame.
    pub start: u32,
    /// End frame.
    pub end: u32,
    /// Loop point (absent = off, stored as 0xFFFFFFFF).
    #[serde(default, skip_serializing_if = "Option::is_none", rename = "loop")]
    pub loop_point: Option<u32>,
}

fn parse_slot(s: &str) -> Result<SlotRef, OtError> {
    let bad = || invalid(format!("slot {s:?}"), "use `flex N` (1-128), `recorder N` (1-8) or `static N` (1-128)");
    let (t, n) = s.trim().split_once(' ').ok_or_else(bad)?;
    let n: u8 = n.trim().parse().map_err(|_| bad())?;
    SlotRef::parse(t, n).ok_or_else(bad)
}

/// The document of a markers image (a wrong checksum is kept in `stored_checksum`).
pub fn dump(bytes: &[u8]) -> Result<MarkersDoc, OtError> {
    let (m, state) = Markers::read_lenient(bytes)?;
    let slots = (0..RECORD_COUNT)
        .filter(|&i| !m.record(i).is_empty())
        .filter_map(|i| SlotRef::from_index(i).map(|s| slot_doc(&m.record(i), s)))
        .collect();
    let mut doc = MarkersDoc { kind: KIND.to_string(), slots, stored_checksum: None, unmodelled: Vec::new() };
    let mut modelled_only = markers::default_markers_bytes();
    apply_modelled(&mut modelled_only, &doc)?;
    doc.unmodelled = patch::diff(&modelled_only, m.as_bytes(), 0..MARKERS_SIZE - 2);
    if !state.is_valid() {
        doc.stored_checksum = Some(patch::checksum_text(state.stored));
    }
    Ok(doc)
}

fn slot_doc(r: &SlotRecord<&[u8]>, s: SlotRef) -> SlotDoc {
    let last = (0..MAX_SLICES).rev().find(|&i| r.slice(i) != Slice { start: 0, end: 0, loop_point: Some(0) });
    let slices = match last {
        Some(l) => (0..=l)
            .map(|i| {
                let sl = r.slice(i);
                SliceDoc { start: sl.start, end: sl.end, loop_point: sl.loop_point }
            })
            .collect(),
        None => Vec::new(),
    };
    SlotDoc {
        slot: s.to_string(),
        trim: (r.trim_start() != 0 || r.trim_end() != 0).then(|| Flow(vec![r.trim_start(), r.trim_end()])),
        loop_point: Some(r.loop_point()).filter(|&v| v != 0),
        slice_count: Some(r.slice_count()).filter(|&v| v != 0),
        slices,
    }
}

/// Builds the markers bytes a document describes.
pub fn build(doc: &MarkersDoc) -> Result<Vec<u8>, OtError> {
    if doc.kind != KIND {
        return Err(invalid("kind", format!("{:?}: a markers document has `kind: {KIND}`", doc.kind)));
    }
    let mut image = markers::default_markers_bytes();
    patch::apply(&mut image, &doc.unmodelled, MARKERS_SIZE - 2)?;
    apply_modelled(&mut image, doc)?;
    patch::finish_checksum(&mut image, doc.stored_checksum.as_deref())?;
    Ok(image)
}

fn apply_modelled(image: &mut [u8], doc: &MarkersDoc) -> Result<(), OtError> {
    for slot in &doc.slots {
        let s = parse_slot(&slot.slot)?;
        let i = s.index().ok_or_else(|| invalid(&slot.slot, "no such slot"))?;
        let off = markers::RECORDS_OFFSET + i * markers::RECORD_SIZE;
        let bytes = image.get_mut(off..off + markers::RECORD_SIZE).ok_or_else(|| invalid(&slot.slot, "short image"))?;
        let mut r = SlotRecord::new(bytes);
        if let Some(Flow(trim)) = &slot.trim {
            let [a, b] = trim[..] else {
                return Err(invalid(format!("{} trim", slot.slot), "needs [start, end]"));
            };
            r.set_trim_start(a);
            r.set_trim_end(b);
        }
        if let Some(l) = slot.loop_point {
            r.set_loop_point(l);
        }
        if let Some(c) = slot.slice_count {
            r.set_slice_count(c);
        }
        if slot.slices.len() > MAX_SLICES {
            return Err(invalid(format!("{} slices", slot.slot), format!("at most {MAX_SLICES}")));
        }
        for (k, sl) in slot.slices.iter().enumerate() {
            r.set_slice(k, Slice { start: sl.start, end: sl.end, loop_point: sl.loop_point });
        }
    }
    Ok(())
}

/// Dumps a markers image to YAML or JSON text.
pub fn to_text(bytes: &[u8], syntax: groovekit_core::doc::Syntax) -> Result<String, OtError> {
    Ok(groovekit_core::doc::to_text(&dump(bytes)?, syntax)?)
}

/// Builds markers bytes from YAML or JSON text.
pub fn from_text(text: &str) -> Result<Vec<u8>, OtError> {
    build(&groovekit_core::doc::from_text::<MarkersDoc>(text)?)
}
