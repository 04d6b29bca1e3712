//! Semantic differences between two banks, arrangements or markers files, as lines such as
//! `bank pattern 3 track 2 step 5: trig added` or `part 1 track 4: machine Flex -> Static`.
//!
//! Every modelled field is compared through the typed views; bytes no field covers are counted
//! from the documents' `unmodelled` patches, so no difference goes unreported.

use crate::human;
use crate::model::params::{self, AudioContext};
use crate::raw::arrangement::{self as arr, Arrangement, Block, row_type};
use crate::raw::bank::{Bank, PART_COUNT, PATTERN_COUNT, PartCopy};
use crate::raw::header::ChecksumState;
use crate::raw::markers::{MAX_SLICES, Markers, RECORD_COUNT, SlotRef};
use crate::raw::part::{self, Part};
use crate::raw::pattern::{self, STEPS, TRACK_SETTING_NAMES, Track};

/// A lock value as shown ([`params::show_audio_lock`] for audio records), `none` for no lock.
fn lock_text(f: usize, v: u8, audio: bool) -> String {
    match v {
        pattern::NO_LOCK => "none".to_string(),
        _ if audio => params::show_audio_lock(f, v).to_string(),
        _ => v.to_string(),
    }
}

/// The name of lock field `f`: audio names in the context of track `ctx` (the pattern's part in
/// the second bank), MIDI names when `ctx` is None.
fn lock_name(f: usize, ctx: Option<&AudioContext>) -> String {
    match ctx {
        Some(c) => params::audio_lock_name(f, c),
        None => params::midi_lock_name(f).to_string(),
    }
}

/// Bytes where `a` and `b` differ inside the ranges of either document's `unmodelled` patches
/// (the bytes no typed field covers), reported as one line.
fn unmodelled_line(a: &[u8], b: &[u8], pa: &[human::patch::Patch], pb: &[human::patch::Patch]) -> Option<String> {
    let mut offsets: Vec<usize> =
        pa.iter().chain(pb).flat_map(|p| p.at..p.at + p.hex.len() / 2).filter(|&i| a.get(i) != b.get(i)).collect();
    offsets.sort_unstable();
    offsets.dedup();
    let first = *offsets.first()?;
    Some(format!("{} unmodelled byte(s) differ (first at byte {first} = 0x{first:X})", offsets.len()))
}

fn checksum_line(sa: ChecksumState, sb: ChecksumState) -> Option<String> {
    let t = |s: ChecksumState| if s.is_valid() { "valid" } else { "wrong" };
    (sa.is_valid() != sb.is_valid()).then(|| format!("checksum: {} -> {}", t(sa), t(sb)))
}

fn track_diff(prefix: &str, a: &Track<&[u8]>, b: &Track<&[u8]>, ctx: Option<&AudioContext>, out: &mut Vec<String>) {
    for (i, &(name, _)) in a.layout().masks.iter().enumerate() {
        let (ma, mb) = (a.mask(i), b.mask(i));
        let label = match name {
            "trigs" => "trig".to_string(),
            "plock_trigs" => "p-lock trig".to_string(),
            "trigless" => "trigless trig".to_string(),
            other => format!("{other} trig"),
        };
        for s in pattern::steps_of(mb & !ma) {
            out.push(format!("{prefix} step {s}: {label} added"));
        }
        for s in pattern::steps_of(ma & !mb) {
            out.push(format!("{prefix} step {s}: {label} removed"));
        }
    }
    for (i, name) in TRACK_SETTING_NAMES.iter().enumerate() {
        if a.setting(i) != b.setting(i) {
            out.push(format!("{prefix}: {name} {} -> {}", a.setting(i), b.setting(i)));
        }
    }
    for s in 0..STEPS {
        let (ta, tb) = (a.timing(s), b.timing(s));
        if ta.condition != tb.condition {
            out.push(format!(
                "{prefix} step {}: condition {} -> {}",
                s + 1,
                pattern::condition_name(ta.condition),
                pattern::condition_name(tb.condition)
            ));
        }
        if ta.repeats != tb.repeats {
            out.push(format!("{prefix} step {}: repeats {} -> {}", s + 1, ta.repeats + 1, tb.repeats + 1));
        }
        if ta.micro != tb.micro {
            out.push(format!("{prefix} step {}: micro-timing {} -> {} (1/384)", s + 1, ta.micro, tb.micro));
        }
        for (f, (va, vb)) in a.plock(s).iter().zip(b.plock(s)).enumerate() {
            if va != vb {
                let audio = ctx.is_some();
                out.push(format!(
                    "{prefix} step {}: lock {} {} -> {}",
                    s + 1,
                    lock_name(f, ctx),
                    lock_text(f, *va, audio),
                    lock_text(f, *vb, audio)
                ));
            }
        }
    }
}

/// Each byte of `params` (track `t`) that differs, by the name the API and bank documents use
/// (`flex.ptch 64 -> 70`), as stored.
fn params_diff(
    prefix: &str,
    a: &Part<&[u8]>,
    b: &Part<&[u8]>,
    params: &[params::PartParam],
    t: usize,
    out: &mut Vec<String>,
) {
    for p in params {
        let off = p.offset + t * p.stride;
        let (x, y) = (a.byte(off), b.byte(off));
        if x != y {
            out.push(format!("{prefix}: {} {x} -> {y}", p.name));
        }
    }
}

fn part_diff(label: &str, a: &Part<&[u8]>, b: &Part<&[u8]>, out: &mut Vec<String>) {
    for (off, name) in [(part::ACTIVE_SCENE_A, "active scene A"), (part::ACTIVE_SCENE_B, "active scene B")] {
        if a.byte(off) != b.byte(off) {
            out.push(format!("{label}: {name} {} -> {}", u16::from(a.byte(off)) + 1, u16::from(b.byte(off)) + 1));
        }
    }
    for t in 0..8 {
        let prefix = format!("{label} track {}", t + 1);
        if a.machine(t) != b.machine(t) {
            out.push(format!(
                "{prefix}: machine {} -> {}",
                part::machine_name(a.machine(t)),
                part::machine_name(b.machine(t))
            ));
        }
        for (off, name) in [(part::FX1_TYPE, "fx1"), (part::FX2_TYPE, "fx2")] {
            let (x, y) = (a.byte(off + t), b.byte(off + t));
            if x != y {
                out.push(format!("{prefix}: {name} {} -> {}", part::fx_name(x), part::fx_name(y)));
            }
        }
        for (k, name) in [(0, "main volume"), (1, "cue volume")] {
            let off = part::VOLUMES + 2 * t + k;
            if a.byte(off) != b.byte(off) {
                out.push(format!("{prefix}: {name} {} -> {}", a.byte(off), b.byte(off)));
            }
        }
        for (k, name) in [(0, "static slot"), (1, "flex slot"), (4, "recorder slot")] {
            let off = part::SLOTS + 5 * t + k;
            if a.byte(off) != b.byte(off) {
                out.push(format!("{prefix}: {name} {} -> {}", u16::from(a.byte(off)) + 1, u16::from(b.byte(off)) + 1));
            }
        }
        // FX names follow the FX types of the new part (a changed type is reported above).
        let ctx = AudioContext::of_part(b, t);
        params_diff(&prefix, a, b, &params::part_params(params::AUDIO_PART_PAGES, &ctx), t, out);
        let midi = params::part_params(params::MIDI_PART_PAGES, &ctx);
        params_diff(&format!("{label} MIDI track {}", t + 1), a, b, &midi, t, out);
    }
    for s in 0..16 {
        for t in 0..8 {
            let (la, lb) = (a.scene_locks(s, t), b.scene_locks(s, t));
            let ctx = AudioContext::of_part(b, t);
            for (f, (va, vb)) in la.iter().zip(lb).enumerate() {
                if va != vb {
                    out.push(format!(
                        "{label} scene {} track {}: lock {} {} -> {}",
                        s + 1,
                        t + 1,
                        params::audio_lock_name(f, &ctx),
                        lock_text(f, *va, true),
                        lock_text(f, *vb, true)
                    ));
                }
            }
        }
        let off = part::SCENE_XLV + s * part::SCENE_XLV_SIZE;
        let (xa, xb) = (a.raw().get(off..off + 10), b.raw().get(off..off + 10));
        if xa != xb {
            out.push(format!("{label} scene {}: crossfader bytes {:?} -> {:?}", s + 1, xa, xb));
        }
    }
}

/// The differences between two bank images (read leniently: a wrong checksum is a difference,
/// not an error).
pub fn banks(a: &[u8], b: &[u8]) -> Result<Vec<String>, crate::OtError> {
    let (ba, sa) = Bank::read_lenient(a)?;
    let (bb, sb) = Bank::read_lenient(b)?;
    let mut out = Vec::new();
    for p in 0..PATTERN_COUNT {
        let (pa, pb) = (ba.pattern(p), bb.pattern(p));
        let label = format!("bank pattern {}", p + 1);
        if pa.part() != pb.part() {
            out.push(format!("{label}: part {} -> {}", u16::from(pa.part()) + 1, u16::from(pb.part()) + 1));
        }
        if pa.tempo_x24() != pb.tempo_x24() {
            out.push(format!("{label}: tempo x24 {} -> {}", pa.tempo_x24(), pb.tempo_x24()));
        }
        for (off, name) in [
            (pattern::LENGTH_MULTIPLIER, "length multiplier"),
            (pattern::PER_TRACK_LENGTH, "per-track length"),
            (pattern::PER_TRACK_SCALE, "per-track scale"),
            (pattern::MASTER_LENGTH, "master length"),
            (pattern::MASTER_SCALE, "master scale"),
            (pattern::SCALE_MODE, "scale mode"),
        ] {
            if pa.byte(off) != pb.byte(off) {
                out.push(format!("{label}: {name} {} -> {}", pa.byte(off), pb.byte(off)));
            }
        }
        let part_b = usize::from(pb.part());
        for t in 0..8 {
            let ctx = if part_b < PART_COUNT {
                AudioContext::of_part(&bb.part(PartCopy::Working, part_b), t)
            } else {
                AudioContext::default()
            };
            let (ta, tb) = (pa.audio_track(t), pb.audio_track(t));
            track_diff(&format!("{label} track {}", t + 1), &ta, &tb, Some(&ctx), &mut out);
            track_diff(&format!("{label} MIDI track {}", t + 1), &pa.midi_track(t), &pb.midi_track(t), None, &mut out);
        }
    }
    for i in 0..PART_COUNT {
        if ba.part_name(i) != bb.part_name(i) {
            out.push(format!("part {}: name {:?} -> {:?}", i + 1, ba.part_name(i), bb.part_name(i)));
        }
        if ba.part_saved_state(i) != bb.part_saved_state(i) {
            out.push(format!("part {}: saved state {} -> {}", i + 1, ba.part_saved_state(i), bb.part_saved_state(i)));
        }
        part_diff(&format!("part {}", i + 1), &ba.part(PartCopy::Working, i), &bb.part(PartCopy::Working, i), &mut out);
        part_diff(
            &format!("saved part {}", i + 1),
            &ba.part(PartCopy::Saved, i),
            &bb.part(PartCopy::Saved, i),
            &mut out,
        );
    }
    if ba.disputed_0x9b4b2() != bb.disputed_0x9b4b2() {
        out.push(format!("byte 0x9B4B2: {} -> {}", ba.disputed_0x9b4b2(), bb.disputed_0x9b4b2()));
    }
    let (da, db) = (human::bank::dump(a)?, human::bank::dump(b)?);
    out.extend(unmodelled_line(a, b, &da.unmodelled, &db.unmodelled));
    out.extend(checksum_line(sa, sb));
    Ok(out)
}

fn describe_row(a: &arr::Row<&[u8]>) -> String {
    use arr::pattern_row as pr;
    match a.kind() {
        row_type::PATTERN if a.raw().iter().all(|&x| x == 0) => "empty".to_string(),
        row_type::PATTERN => format!(
            "pattern {} x{} (scenes {}/{}, offset {}, length {}, tempo x24 {}, mutes {:08b})",
            human::arrangement::pattern_name(a.byte(pr::PATTERN)),
            a.byte(pr::REPEATS),
            a.byte(pr::SCENE_A),
            a.byte(pr::SCENE_B),
            a.byte(pr::OFFSET),
            a.byte(pr::LENGTH),
            a.tempo(),
            a.byte(pr::MUTE_MASK)
        ),
        row_type::LOOP => format!("loop {} times to row {}", a.byte(1), u16::from(a.byte(2)) + 1),
        row_type::REMINDER => format!("reminder {:?}", a.reminder_text()),
        other => format!("row type {other}"),
    }
}

/// The differences between two arrangement images.
pub fn arrangements(a: &[u8], b: &[u8]) -> Result<Vec<String>, crate::OtError> {
    let (aa, sa) = Arrangement::read(a)?;
    let (ab, sb) = Arrangement::read(b)?;
    let mut out = Vec::new();
    for (block, label) in [(Block::Current, "arrangement"), (Block::Saved, "saved arrangement")] {
        if aa.name(block) != ab.name(block) {
            out.push(format!("{label}: name {:?} -> {:?}", aa.name(block), ab.name(block)));
        }
        if aa.row_count(block) != ab.row_count(block) {
            out.push(format!("{label}: row count {} -> {}", aa.row_count(block), ab.row_count(block)));
        }
        for r in 0..arr::ROW_MAX {
            let (ra, rb) = (aa.row(block, r), ab.row(block, r));
            let (da, db) = (describe_row(&ra), describe_row(&rb));
            if da != db {
                out.push(format!("{label} row {}: {da} -> {db}", r + 1));
            } else if ra.raw() != rb.raw() && ra.kind() == row_type::PATTERN {
                let ta: Vec<i8> = ra.raw().get(14..22).unwrap_or(&[]).iter().map(|&x| x as i8).collect();
                let tb: Vec<i8> = rb.raw().get(14..22).unwrap_or(&[]).iter().map(|&x| x as i8).collect();
                if ta != tb {
                    out.push(format!("{label} row {}: MIDI transpose {ta:?} -> {tb:?}", r + 1));
                }
            }
        }
    }
    if aa.content_flags() != ab.content_flags() {
        out.push(format!("content flags {:?} -> {:?}", aa.content_flags(), ab.content_flags()));
    }
    let (da, db) = (human::arrangement::dump(a)?, human::arrangement::dump(b)?);
    out.extend(unmodelled_line(a, b, &da.unmodelled, &db.unmodelled));
    out.extend(checksum_line(sa, sb));
    Ok(out)
}

/// The differences between two markers images.
pub fn markers(a: &[u8], b: &[u8]) -> Result<Vec<String>, crate::OtError> {
    let (ma, sa) = Markers::read_lenient(a)?;
    let (mb, sb) = Markers::read_lenient(b)?;
    let mut out = Vec::new();
    for i in 0..RECORD_COUNT {
        let (ra, rb) = (ma.record(i), mb.record(i));
        if ra.raw() == rb.raw() {
            continue;
        }
        let Some(slot) = SlotRef::from_index(i) else { continue };
        let label = format!("markers {slot}");
        let pairs = [
            ("trim start", ra.trim_start(), rb.trim_start()),
            ("trim end", ra.trim_end(), rb.trim_end()),
            ("loop point", ra.loop_point(), rb.loop_point()),
            ("slice count", ra.slice_count(), rb.slice_count()),
        ];
        for (name, x, y) in pairs {
            if x != y {
                out.push(format!("{label}: {name} {x} -> {y}"));
            }
        }
        for s in 0..MAX_SLICES {
            let (x, y) = (ra.slice(s), rb.slice(s));
            if x != y {
                out.push(format!("{label} slice {}: {x:?} -> {y:?}", s + 1));
            }
        }
    }
    out.extend(checksum_line(sa, sb));
    Ok(out)
}

#[cfg(test)]
#[path = "binary_diff_tests.rs"]
mod tests;
