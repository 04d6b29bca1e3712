//! An arrangement (`arrNN`) as typed rows: pattern rows, loop / jump / halt rows and reminder
//! rows, in the units the device shows (banks and patterns 1-16, rows 1-256, scenes 1-16, tempo
//! in BPM, MIDI transpose in semitones).
//!
//! Evidence, device files first: the real-device `arr01` (`fixtures/octatrack/real-device`) and
//! the blank project's arrangements are empty (row count 0, every row zero), which fixes the
//! blank state; the octatools fixtures `arrange/one_reminder_row.work` and `full_options.work`
//! (written on a device, reference §1.4) hold a reminder row, pattern rows with every field set and
//! loop rows. The row layout follows ot-tools-io 0.11.3 `src/arrangements.rs` (`ArrangeRow`:
//! `PatternRow { pattern_id, repetitions, mute_mask, tempo_1, tempo_2, scene_a, scene_b,
//! offset, length (stored as offset + length), midi_transpose }`, `LoopOrJumpOrHaltRow
//! { loop_count, row_target }` with "halts are loop_count 0 and the target is this row, jumps
//! are loop_count 0 and a target after this row", `ReminderRow`), with the bytes between the
//! fields (row bytes 3, 5, 10, 12, and 3-21 of loop rows) kept as they are. The tempo is a u16
//! big-endian BPM x 24 (`full_options` row 11 holds 0x1C20 = 300 BPM, the device's maximum; 0
//! = the row keeps the pattern's tempo).
//!
//! A row read and written back leaves the file byte-identical; an edit writes only the bytes of
//! the fields that changed (tests on every arrangement fixture).

use crate::OtError;
use crate::raw::arrangement::{self as raw_arr, Block, ROW_MAX, pattern_row as pr, row_type};

/// A pattern row: which pattern plays, how often, and what changes while it plays.
#[derive(Debug, Clone, PartialEq)]
pub struct PatternRow {
    /// Bank 1-16 (A-P).
    pub bank: u8,
    /// Pattern 1-16 within the bank.
    pub pattern: u8,
    /// Repetitions as stored, 0-63 (the device's REPS column).
    pub repeats: u8,
    /// Track mute mask as stored (bit per track).
    pub mute_mask: u8,
    /// Tempo in BPM while the row plays (None: the pattern's tempo; stored x 24, 0 = none).
    pub tempo: Option<f64>,
    /// Scene A, 1-16 (None: unchanged; stored 255).
    pub scene_a: Option<u8>,
    /// Scene B, 1-16.
    pub scene_b: Option<u8>,
    /// Start step offset as stored, 0-63 (0 = from step 1).
    pub offset: u8,
    /// Number of steps played (stored as offset + length).
    pub length: u8,
    /// MIDI transpose of the 8 MIDI tracks in semitones, -48..48.
    pub transpose: [i8; 8],
}

impl PatternRow {
    /// Pattern `pattern` (1-16) of bank `bank` (1-16), once, 16 steps, nothing else changed.
    pub fn new(bank: u8, pattern: u8) -> Self {
        Self {
            bank,
            pattern,
            repeats: 0,
            mute_mask: 0,
            tempo: None,
            scene_a: None,
            scene_b: None,
            offset: 0,
            length: 16,
            transpose: [0; 8],
        }
    }

    /// The pattern as the device names it (`A01`..`P16`).
    pub fn name(&self) -> String {
        format!("{}{:02}", char::from(b'A' + self.bank.saturating_sub(1).min(25)), self.pattern)
    }
}

/// A row of an arrangement.
#[derive(Debug, Clone, PartialEq)]
pub enum Row {
    /// Plays a pattern (type 0; every empty row reads as a pattern row of A01).
    Pattern(PatternRow),
    /// A loop, jump or halt (type 1): back to `target` `count` times (0 = forever); a halt
    /// targets its own row, a jump a later row with count 0 (see [`Row::describe`]).
    Loop {
        /// Loop count, 0 = forever.
        count: u8,
        /// The row it goes to, 1-256.
        target: u16,
    },
    /// A reminder (type 2): up to 15 characters of text.
    Reminder(String),
    /// A row type byte groovekit does not know (its bytes are kept).
    Other(u8),
}

impl Row {
    /// What the row does at row number `at` (1-256): `pattern A01 x3`, `loop to 2 x4`, `jump to
    /// 9`, `halt`, `reminder "CHORUS"`.
    pub fn describe(&self, at: u16) -> String {
        match self {
            Row::Pattern(p) => format!("pattern {} x{}", p.name(), p.repeats),
            Row::Loop { target, .. } if *target == at => "halt".into(),
            Row::Loop { count: 0, target } if *target > at => format!("jump to {target}"),
            Row::Loop { count: 0, target } => format!("loop to {target} forever"),
            Row::Loop { count, target } => format!("loop to {target} x{count}"),
            Row::Reminder(t) => format!("reminder {t:?}"),
            Row::Other(t) => format!("row type {t}"),
        }
    }
}

/// An arrangement with typed rows over its bytes (kept whole: names, stale bytes, flags).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrangement {
    raw: raw_arr::Arrangement,
    number: u8,
}

fn bad(place: &str, message: String) -> OtError {
    OtError::Invalid { field: place.to_string(), message }
}

fn range(place: &str, what: &str, v: i32, lo: i32, hi: i32) -> Result<(), OtError> {
    if (lo..=hi).contains(&v) { Ok(()) } else { Err(bad(place, format!("{what} {v}: must be {lo}-{hi}"))) }
}

impl Arrangement {
    /// Wraps a raw arrangement as arrangement `number` (1-8, for error places).
    pub fn from_raw(raw: raw_arr::Arrangement, number: u8) -> Self {
        Self { raw, number }
    }

    /// The raw arrangement (every byte).
    pub fn raw(&self) -> &raw_arr::Arrangement {
        &self.raw
    }

    /// The raw arrangement, writable.
    pub fn raw_mut(&mut self) -> &mut raw_arr::Arrangement {
        &mut self.raw
    }

    /// The file bytes (checksum recomputed once edited, see [`raw_arr::Arrangement::to_bytes`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        self.raw.to_bytes()
    }

    fn place(&self, b: Block) -> String {
        format!("arrangement {} {}", self.number, if b == Block::Current { "current" } else { "saved" })
    }

    /// The name of a block.
    pub fn name(&self, b: Block) -> String {
        self.raw.name(b)
    }

    /// Renames a block (up to 15 characters; stale bytes after the NUL are kept).
    pub fn set_name(&mut self, b: Block, name: &str) -> Result<(), OtError> {
        if self.raw.name(b) == name {
            return Ok(());
        }
        self.raw.set_name(b, name)
    }

    /// The number of rows of a block: the stored row count, except that a count of 0 with a
    /// row 1 that is not blank means 256 (how 256 rows are reportedly stored, reference §1.4).
    pub fn len(&self, b: Block) -> usize {
        match self.raw.row_count(b) {
            0 if self.raw.row(b, 0).raw().iter().any(|&x| x != 0) => ROW_MAX,
            n => usize::from(n),
        }
    }

    /// True when the block has no rows.
    pub fn is_empty(&self, b: Block) -> bool {
        self.len(b) == 0
    }

    /// Sets the row count (0-256; 256 is stored as 0; rows past it keep their bytes).
    pub fn set_len(&mut self, b: Block, n: usize) -> Result<(), OtError> {
        if n == self.len(b) {
            return Ok(());
        }
        if n > ROW_MAX {
            return Err(bad(&self.place(b), format!("row count {n}: must be 0-{ROW_MAX}")));
        }
        let v = (n % ROW_MAX) as u8; // ok: n <= 256, 256 -> 0
        if v != self.raw.row_count(b) {
            self.raw.set_row_count(b, v);
        }
        Ok(())
    }

    /// Removes every row of a block: the row count goes to 0 and row 1 is blanked (a count of 0
    /// with a non-blank row 1 reads as 256 rows, see [`Arrangement::len`]); rows 2.. keep their
    /// bytes, unread past the count, as stale rows are on the device.
    pub fn clear(&mut self, b: Block) {
        self.raw.set_row_count(b, 0);
        let mut row = self.raw.row_mut(b, 0);
        for i in 0..raw_arr::ROW_SIZE {
            row.set_byte(i, 0);
        }
    }

    /// The rows 1..=len of a block.
    pub fn rows(&self, b: Block) -> Vec<Row> {
        (1..=self.len(b) as u16).filter_map(|n| self.row(b, n).ok()).collect()
    }

    /// Row `n` (1-256) of a block, whether or not it is within the row count.
    pub fn row(&self, b: Block, n: u16) -> Result<Row, OtError> {
        let r = self.row_index(b, n)?;
        let row = self.raw.row(b, r);
        let x = |i: usize| row.byte(i);
        Ok(match row.kind() {
            row_type::PATTERN => Row::Pattern(PatternRow {
                bank: x(pr::PATTERN) / 16 + 1,
                pattern: x(pr::PATTERN) % 16 + 1,
                repeats: x(pr::REPEATS),
                mute_mask: x(pr::MUTE_MASK),
                tempo: Some(row.tempo()).filter(|&t| t != 0).map(|t| f64::from(t) / 24.0),
                scene_a: Some(x(pr::SCENE_A)).filter(|&s| s != 255).map(|s| s.wrapping_add(1)),
                scene_b: Some(x(pr::SCENE_B)).filter(|&s| s != 255).map(|s| s.wrapping_add(1)),
                offset: x(pr::OFFSET),
                length: x(pr::LENGTH).wrapping_sub(x(pr::OFFSET)),
                transpose: std::array::from_fn(|k| x(pr::TRANSPOSE + k) as i8),
            }),
            row_type::LOOP => Row::Loop { count: x(1), target: u16::from(x(2)) + 1 },
            row_type::REMINDER => Row::Reminder(row.reminder_text()),
            other => Row::Other(other),
        })
    }

    fn row_index(&self, b: Block, n: u16) -> Result<usize, OtError> {
        if n == 0 || usize::from(n) > ROW_MAX {
            return Err(bad(&self.place(b), format!("row {n}: rows are numbered 1-{ROW_MAX}")));
        }
        Ok(usize::from(n) - 1)
    }

    /// Writes row `n` (1-256) of a block: validated (bank/pattern 1-16, repeats 0-63, tempo
    /// 30-300 BPM, scenes 1-16, offset 0-63, length 1-64, transpose -48..48, loop count 0-100,
    /// target 1-256, reminder up to 15 characters); writes the type byte and the bytes of the
    /// fields that changed, nothing else.
    pub fn set_row(&mut self, b: Block, n: u16, v: &Row) -> Result<(), OtError> {
        let r = self.row_index(b, n)?;
        let place = format!("{} row {n}", self.place(b));
        let old = self.row(b, n)?;
        let mut writes: Vec<(usize, u8)> = Vec::new();
        let kind = match v {
            Row::Pattern(p) => {
                let o = match &old {
                    Row::Pattern(o) => Some(o),
                    _ => None,
                };
                let changed = |f: &dyn Fn(&PatternRow) -> bool| o.is_none_or(|o| !f(o));
                range(&place, "bank", p.bank.into(), 1, 16)?;
                range(&place, "pattern", p.pattern.into(), 1, 16)?;
                if changed(&|o| o.repeats == p.repeats) {
                    range(&place, "repeats", p.repeats.into(), 0, 63)?;
                }
                let tempo = match p.tempo {
                    None => 0,
                    Some(t) => {
                        let x24 = (t * 24.0).round();
                        if changed(&|o| o.tempo == p.tempo) && !(720.0..=7200.0).contains(&x24) {
                            return Err(bad(&place, format!("tempo {t}: must be 30-300 BPM")));
                        }
                        x24 as u16 // ok: checked, or as read
                    }
                };
                for (what, s, same) in [
                    ("scene A", p.scene_a, o.is_some_and(|o| o.scene_a == p.scene_a)),
                    ("scene B", p.scene_b, o.is_some_and(|o| o.scene_b == p.scene_b)),
                ] {
                    if let Some(s) = s
                        && !same
                    {
                        range(&place, what, s.into(), 1, 16)?;
                    }
                }
                if changed(&|o| o.offset == p.offset) {
                    range(&place, "offset", p.offset.into(), 0, 63)?;
                }
                if changed(&|o| o.length == p.length && o.offset == p.offset) {
                    range(&place, "length", p.length.into(), 1, 64)?;
                }
                for (k, &t) in p.transpose.iter().enumerate() {
                    if changed(&|o| o.transpose[k] == t) {
                        range(&place, &format!("MIDI track {} transpose", k + 1), t.into(), -48, 48)?;
                    }
                }
                let [t0, t1] = tempo.to_be_bytes();
                let scene = |s: Option<u8>| s.map_or(255, |s| s.wrapping_sub(1));
                writes.extend([
                    (pr::PATTERN, (p.bank - 1) * 16 + (p.pattern - 1)), // ok: 1-16 checked
                    (pr::REPEATS, p.repeats),
                    (pr::MUTE_MASK, p.mute_mask),
                    (pr::TEMPO, t0),
                    (pr::TEMPO + 1, t1),
                    (pr::SCENE_A, scene(p.scene_a)),
                    (pr::SCENE_B, scene(p.scene_b)),
                    (pr::OFFSET, p.offset),
                    (pr::LENGTH, p.offset.wrapping_add(p.length)),
                ]);
                writes.extend(p.transpose.iter().enumerate().map(|(k, &t)| (pr::TRANSPOSE + k, t as u8)));
                row_type::PATTERN
            }
            Row::Loop { count, target } => {
                if !matches!(old, Row::Loop { count: c, .. } if c == *count) {
                    range(&place, "loop count", (*count).into(), 0, 100)?;
                }
                range(&place, "target row", (*target).into(), 1, ROW_MAX as i32)?;
                writes.extend([(1, *count), (2, (*target - 1) as u8)]); // ok: 1-256 checked
                row_type::LOOP
            }
            Row::Reminder(text) => {
                if old != *v {
                    let mut row = self.raw.row_mut(b, r);
                    // The text first: a text that does not fit changes nothing.
                    row.set_reminder_text(text, &place)?;
                    row.set_byte(0, row_type::REMINDER);
                }
                return Ok(());
            }
            Row::Other(t) => *t,
        };
        let current = self.raw.row(b, r).raw().to_vec();
        let mut all = vec![(0usize, kind)];
        all.extend(writes);
        if all.iter().all(|&(i, v)| current.get(i) == Some(&v)) {
            return Ok(());
        }
        let mut row = self.raw.row_mut(b, r);
        for (i, v) in all {
            if current.get(i) != Some(&v) {
                row.set_byte(i, v);
            }
        }
        Ok(())
    }

    /// Appends a row after the last one (the row count grows by one).
    pub fn push_row(&mut self, b: Block, v: &Row) -> Result<u16, OtError> {
        let n = self.len(b) + 1;
        if n > ROW_MAX {
            return Err(bad(&self.place(b), format!("{ROW_MAX} rows: the arrangement is full")));
        }
        self.set_row(b, n as u16, v)?; // ok: n <= 256
        self.set_len(b, n)?;
        Ok(n as u16) // ok: n <= 256
    }
}

#[cfg(test)]
#[path = "arrangement_tests.rs"]
mod tests;
