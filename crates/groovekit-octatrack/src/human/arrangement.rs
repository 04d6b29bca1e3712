//! The readable arrangement document (`kind: octatrack-arrangement`): the name and the non-empty
//! rows of both blocks, typed by row kind, and an `unmodelled` hex block for the rest (stale bytes
//! after names and reminder texts, unknown bytes).
//!
//! ```yaml
//! kind: octatrack-arrangement
//! current:
//!   name: SONG
//!   row_count: 2
//!   rows:
//!   - row: 1
//!     pattern:
//!       pattern: A01
//!       repeats: 3
//!   - row: 2
//!     reminder: CHORUS
//! ```
//!
//! The base is the blank arrangement with no stale name bytes (as `arr06`): the stale name
//! tails of a fresh project's other arrangements appear as patches.

use serde::{Deserialize, Serialize};

use crate::OtError;
use crate::human::patch::{self, Flow, Patch, index, invalid};
use crate::raw::arrangement::{
    self, ARRANGEMENT_SIZE, Arrangement, Block, ROW_MAX, ROW_SIZE, Row, pattern_row as pr, row_type,
};

/// The `kind` of an arrangement document.
pub const KIND: &str = "octatrack-arrangement";

/// An arrangement as a readable document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ArrangementDoc {
    /// Always [`KIND`].
    pub kind: String,
    /// The current block (SYNC TO CARD), when not blank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<BlockDoc>,
    /// The saved block (ARRANGER SAVE), when not blank.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub saved: Option<BlockDoc>,
    /// The 8 trailing "has content" flag bytes, when not all 0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_flags: Option<Flow<Vec<u8>>>,
    /// The stored checksum, present only when it was wrong (kept so the file round-trips).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stored_checksum: Option<String>,
    /// Bytes that differ from the blank arrangement and no field above covers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unmodelled: Vec<Patch>,
}

/// One block: name, row count and rows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BlockDoc {
    /// The name (up to 15 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The stored row count byte.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row_count: Option<u8>,
    /// Rows that are not all zero (also rows past the row count, which keep stale content).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<RowDoc>,
}

/// One row; exactly one of `pattern`, `jump`, `reminder` or `row_type` is set.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RowDoc {
    /// Row number 1-256.
    pub row: usize,
    /// A pattern row (type 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pattern: Option<PatternRowDoc>,
    /// A loop/jump/halt row (type 1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jump: Option<JumpRowDoc>,
    /// A reminder row (type 2) with its text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reminder: Option<String>,
    /// A row of another type byte (kept raw; its bytes are in `unmodelled`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row_type: Option<u8>,
}

/// A pattern row. Fields left out are 0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields, default)]
pub struct PatternRowDoc {
    /// The pattern, `A01`..`P16` (bank letter, pattern number).
    pub pattern: String,
    /// Repetitions.
    #[serde(skip_serializing_if = "is_zero")]
    pub repeats: u8,
    /// Track mute mask.
    #[serde(skip_serializing_if = "is_zero")]
    pub mute_mask: u8,
    /// Tempo (u16 BE, BPM x 24 inferred).
    #[serde(skip_serializing_if = "is_zero16")]
    pub tempo: u16,
    /// Scene A byte (255 = none).
    #[serde(skip_serializing_if = "is_zero")]
    pub scene_a: u8,
    /// Scene B byte (255 = none).
    #[serde(skip_serializing_if = "is_zero")]
    pub scene_b: u8,
    /// Offset (start step).
    #[serde(skip_serializing_if = "is_zero")]
    pub offset: u8,
    /// Length byte (stored as offset + length).
    #[serde(skip_serializing_if = "is_zero")]
    pub length: u8,
    /// MIDI transpose of the 8 MIDI tracks (omitted when all 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transpose: Option<Flow<Vec<i8>>>,
}

/// A loop/jump/halt row.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JumpRowDoc {
    /// Loop count (0 = infinite).
    pub loops: u8,
    /// Target row, 1-256.
    pub target: u16,
}

fn is_zero(v: &u8) -> bool {
    *v == 0
}

fn is_zero16(v: &u16) -> bool {
    *v == 0
}

/// `A01`..`P16` for pattern byte 0-255.
pub fn pattern_name(b: u8) -> String {
    format!("{}{:02}", char::from(b'A' + b / 16), b % 16 + 1)
}

/// Parses `A01`..`P16` (or a plain number 0-255).
pub fn parse_pattern_name(s: &str) -> Option<u8> {
    let t = s.trim();
    if let Ok(n) = t.parse::<u8>() {
        return Some(n);
    }
    let mut chars = t.chars();
    let bank = chars.next()?.to_ascii_uppercase();
    let num: u8 = chars.as_str().parse().ok()?;
    if !('A'..='P').contains(&bank) || !(1..=16).contains(&num) {
        return None;
    }
    Some((bank as u8 - b'A') * 16 + (num - 1))
}

/// The blank arrangement all documents are diffs against.
fn base_image() -> Vec<u8> {
    arrangement::default_arrangement_bytes(0)
}

// ---------------------------------------------------------------------------------------------
// dump

/// The document of an arrangement image (a wrong checksum is kept in `stored_checksum`).
pub fn dump(bytes: &[u8]) -> Result<ArrangementDoc, OtError> {
    let (arr, state) = Arrangement::read(bytes)?;
    let flags = arr.content_flags();
    let mut doc = ArrangementDoc {
        kind: KIND.to_string(),
        current: block_doc(&arr, Block::Current),
        saved: block_doc(&arr, Block::Saved),
        content_flags: flags.iter().any(|&b| b != 0).then(|| Flow(flags.to_vec())),
        stored_checksum: None,
        unmodelled: Vec::new(),
    };
    let mut modelled_only = base_image();
    apply_modelled(&mut modelled_only, &doc)?;
    doc.unmodelled = patch::diff(&modelled_only, arr.as_bytes(), 0..ARRANGEMENT_SIZE - 2);
    if !state.is_valid() {
        doc.stored_checksum = Some(patch::checksum_text(state.stored));
    }
    Ok(doc)
}

fn block_doc(arr: &Arrangement, b: Block) -> Option<BlockDoc> {
    let name = arr.name(b);
    let rows: Vec<RowDoc> = (0..ROW_MAX)
        .filter(|&r| arr.row(b, r).raw().iter().any(|&x| x != 0))
        .map(|r| row_doc(&arr.row(b, r), r))
        .collect();
    let doc = BlockDoc {
        name: (!name.is_empty()).then_some(name),
        row_count: Some(arr.row_count(b)).filter(|&n| n != 0),
        rows,
    };
    (doc.name.is_some() || doc.row_count.is_some() || !doc.rows.is_empty()).then_some(doc)
}

fn row_doc(row: &Row<&[u8]>, r: usize) -> RowDoc {
    let mut doc = RowDoc { row: r + 1, pattern: None, jump: None, reminder: None, row_type: None };
    match row.kind() {
        row_type::PATTERN => {
            let transpose: Vec<i8> = (0..8).map(|k| row.byte(pr::TRANSPOSE + k) as i8).collect();
            doc.pattern = Some(PatternRowDoc {
                pattern: pattern_name(row.byte(pr::PATTERN)),
                repeats: row.byte(pr::REPEATS),
                mute_mask: row.byte(pr::MUTE_MASK),
                tempo: row.tempo(),
                scene_a: row.byte(pr::SCENE_A),
                scene_b: row.byte(pr::SCENE_B),
                offset: row.byte(pr::OFFSET),
                length: row.byte(pr::LENGTH),
                transpose: transpose.iter().any(|&x| x != 0).then_some(Flow(transpose)),
            });
        }
        row_type::LOOP => doc.jump = Some(JumpRowDoc { loops: row.byte(1), target: u16::from(row.byte(2)) + 1 }),
        row_type::REMINDER => doc.reminder = Some(row.reminder_text()),
        other => doc.row_type = Some(other),
    }
    doc
}

// ---------------------------------------------------------------------------------------------
// build

/// Builds the arrangement bytes a document describes.
pub fn build(doc: &ArrangementDoc) -> Result<Vec<u8>, OtError> {
    if doc.kind != KIND {
        return Err(invalid("kind", format!("{:?}: an arrangement document has `kind: {KIND}`", doc.kind)));
    }
    let mut image = base_image();
    patch::apply(&mut image, &doc.unmodelled, ARRANGEMENT_SIZE - 2)?;
    apply_modelled(&mut image, doc)?;
    patch::finish_checksum(&mut image, doc.stored_checksum.as_deref())?;
    Ok(image)
}

fn apply_modelled(image: &mut [u8], doc: &ArrangementDoc) -> Result<(), OtError> {
    for (b, block) in [(Block::Current, &doc.current), (Block::Saved, &doc.saved)] {
        let Some(block) = block else { continue };
        let what = if b == Block::Current { "current" } else { "saved" };
        let off = b.offset();
        if let Some(name) = &block.name {
            let field = image.get_mut(off..off + arrangement::NAME_LEN).ok_or_else(|| invalid(what, "short image"))?;
            crate::raw::image::write_name(field, name, &format!("{what} name"))?;
        }
        if let Some(n) = block.row_count
            && let Some(x) = image.get_mut(off + arrangement::ROW_COUNT)
        {
            *x = n;
        }
        for row in &block.rows {
            let r = index(&format!("{what} row"), row.row, ROW_MAX)?;
            let at = off + arrangement::ROWS + r * ROW_SIZE;
            let bytes = image.get_mut(at..at + ROW_SIZE).ok_or_else(|| invalid(what, "short image"))?;
            apply_row(&mut Row::new(bytes), row, &format!("{what} row {}", row.row))?;
        }
    }
    if let Some(Flow(flags)) = &doc.content_flags {
        if flags.len() != 8 {
            return Err(invalid("content_flags", "needs 8 values"));
        }
        image
            .get_mut(arrangement::CONTENT_FLAGS..arrangement::CONTENT_FLAGS + 8)
            .ok_or_else(|| invalid("content_flags", "short image"))?
            .copy_from_slice(flags);
    }
    Ok(())
}

fn apply_row(row: &mut Row<&mut [u8]>, doc: &RowDoc, what: &str) -> Result<(), OtError> {
    let set = [doc.pattern.is_some(), doc.jump.is_some(), doc.reminder.is_some(), doc.row_type.is_some()];
    if set.iter().filter(|&&x| x).count() != 1 {
        return Err(invalid(what, "a row needs exactly one of `pattern`, `jump`, `reminder`, `row_type`"));
    }
    if let Some(p) = &doc.pattern {
        let pat = parse_pattern_name(&p.pattern)
            .ok_or_else(|| invalid(format!("{what} pattern"), format!("{:?}: use A01..P16", p.pattern)))?;
        row.set_byte(0, row_type::PATTERN);
        row.set_byte(pr::PATTERN, pat);
        row.set_byte(pr::REPEATS, p.repeats);
        row.set_byte(pr::MUTE_MASK, p.mute_mask);
        row.set_tempo(p.tempo);
        row.set_byte(pr::SCENE_A, p.scene_a);
        row.set_byte(pr::SCENE_B, p.scene_b);
        row.set_byte(pr::OFFSET, p.offset);
        row.set_byte(pr::LENGTH, p.length);
        let transpose = p.transpose.as_ref().map(|t| t.0.clone()).unwrap_or_else(|| vec![0; 8]);
        if transpose.len() != 8 {
            return Err(invalid(format!("{what} transpose"), "needs 8 values (one per MIDI track)"));
        }
        for (k, v) in transpose.into_iter().enumerate() {
            row.set_byte(pr::TRANSPOSE + k, v as u8);
        }
    }
    if let Some(j) = &doc.jump {
        let target = j
            .target
            .checked_sub(1)
            .and_then(|t| u8::try_from(t).ok())
            .ok_or_else(|| invalid(format!("{what} target"), format!("{}: rows are 1-256", j.target)))?;
        row.set_byte(0, row_type::LOOP);
        row.set_byte(1, j.loops);
        row.set_byte(2, target);
    }
    if let Some(text) = &doc.reminder {
        row.set_byte(0, row_type::REMINDER);
        row.set_reminder_text(text, &format!("{what} reminder"))?;
    }
    if let Some(t) = doc.row_type {
        row.set_byte(0, t);
    }
    Ok(())
}

/// Dumps an arrangement image to YAML or JSON text.
pub fn to_text(bytes: &[u8], syntax: groovekit_core::doc::Syntax) -> Result<String, OtError> {
    Ok(groovekit_core::doc::to_text(&dump(bytes)?, syntax)?)
}

/// Builds arrangement bytes from YAML or JSON text.
pub fn from_text(text: &str) -> Result<Vec<u8>, OtError> {
    build(&groovekit_core::doc::from_text::<ArrangementDoc>(text)?)
}
