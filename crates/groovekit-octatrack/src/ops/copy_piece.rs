//! The finer copies of issue 13 item 2: `ot copy-pattern`, `ot copy-part`, `ot copy-track` and
//! `ot copy-slots`, within a bank, across banks and across projects, on the building blocks of
//! `ot copy-bank`: the references of the copied piece ([`crate::ops::refs`]), the slot import
//! ([`crate::ops::import`]: content-hash reuse, 128-slot limit checked before writing, unique
//! file names, `--to-pool`, markers following their slots) and the all-or-nothing apply with a
//! backup in the destination's `backups/` ([`crate::ops::backup`]).
//!
//! How a piece is copied: the source bank is cloned, every reference of the clone is remapped
//! through the slot map of the imported slots (the map holds only the slots the piece uses), and
//! then only the piece's bytes are moved from the clone into the destination bank. Every other
//! byte of the destination bank stays as it was (tests compare them).
//!
//! What a piece is (offsets in `raw::pattern` and `raw::part`):
//! - a pattern: its whole block (`PTRN`: 8 audio and 8 MIDI tracks with trigs, locks, conditions,
//!   micro-timing, track settings, and the pattern settings with the part assignment). Patterns
//!   have no number of their own inside the block (every pattern of a fresh bank is the same
//!   bytes), so the block moves as it is;
//! - a part: the whole part block of the working and (unless working-only) the saved copy, the
//!   part's name and its saved-state flag. Byte 8 of a part block is its number (0-3: every part
//!   of the device fixtures `real-device` and `bank-copy` has it), so it is set to the
//!   destination's;
//! - a track's steps: its track block (`TRAC`/`MTRA`: trigs, locks, conditions, length and
//!   scale); byte 8 is the track number (as in `raw::pattern::write_default_pattern`) and is set
//!   to the destination's;
//! - a track's part settings: every per-track byte of the part of the pattern, in both copies:
//!   machine, FX types, volumes, the 5 slot bytes, every group of `raw::part::AUDIO_GROUPS`
//!   (SRC/LFO/AMP/FX pages and setups, recorder setup, custom LFO) and the track's 32 scene-lock
//!   bytes of each of the 16 scenes (a scene lock's meaning follows the machine and FX, which
//!   move with it); for a MIDI track every group of `raw::part::MIDI_GROUPS`.
//!
//! A sample lock picks from the pool of the track's machine in the part its pattern plays. When
//! a copy leaves a lock on a track whose machine plays another pool in the destination than in
//! the source (a pattern copied without its part, a part copied under patterns with locks), the
//! plan says so in a warning: the bytes are what the device would have, the sound may differ.
//!
//! Differences from octatrack-manager (`user-guide/docs/features/copy-patterns.md`,
//! `copy-parts.md`, `copy-tracks.md`, `copy-sample-slots.md`): its pattern, part and track copies
//! copy "the reference to a sample slot id" only, not the slot or the file, so across projects a
//! copied pattern plays whatever the destination has in those slots; here the slots are imported
//! and every reference remapped. Its copies replace the destination without asking; here the
//! destination must be blank unless `force`. Its slot copy never copies `.ot` files; here they
//! follow their audio file, as in `ot copy-bank`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use crate::OtError;
use crate::model::project::{SampleSlot, SlotType};
use crate::ops::backup::{self, Applied, ApplyOptions, Change};
use crate::ops::content::ContentCache;
use crate::ops::copy::check_bank_number;
use crate::ops::import::{self, FileCopy, Import, ImportOptions, MissingSamples, SlotAction, SlotMove};
use crate::ops::project_dir::{ProjectDir, State, invalid, is_inside, markers_ref, normalize, relative_path};
use crate::ops::refs::{Site, SlotUse, bank_refs, remap_bank};
use crate::raw::bank::{Bank, PART_NAME_LEN, PART_NAMES, PARTS_SAVED_STATE, PartCopy, pattern_offset};
use crate::raw::markers::Markers;
use crate::raw::part::{self, PART_SIZE};
use crate::raw::pattern::{self, PATTERN_SIZE};

/// Options shared by the piece copies.
#[derive(Debug, Clone, Copy, Default)]
pub struct PieceOptions {
    /// Replace a destination piece that is not blank (a backup is kept).
    pub force: bool,
    /// Copy sample files into the Set's `AUDIO` pool instead of the project folder.
    pub to_pool: bool,
    /// Compute and return the plan only.
    pub dry_run: bool,
    /// What to do when source samples are missing (default: refuse; a dry run still plans).
    pub missing: MissingSamples,
    /// Fault injection for tests (see [`ApplyOptions`]).
    pub apply: ApplyOptions,
}

/// The plan (and, after a real run, the result) of a piece copy.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PiecePlan {
    /// `copy-pattern`, `copy-part`, `copy-track` or `copy-slots`.
    pub operation: String,
    /// Source project folder.
    pub source: PathBuf,
    /// The source piece in words, numbered as the device shows it (`bank 1 pattern 3`).
    pub from: String,
    /// Destination project folder.
    pub destination: PathBuf,
    /// The destination piece in words.
    pub to: String,
    /// What the destination held that the copy replaces (empty when it was blank).
    pub replaces: Vec<String>,
    /// Slot map, files to copy, warnings.
    #[serde(flatten)]
    pub import: Import,
    /// Every file the copy writes or creates, in order.
    pub writes: Vec<PathBuf>,
    /// Whether this was a dry run.
    pub dry_run: bool,
    /// Why a real run would refuse (a dry run only: source samples missing without
    /// [`MissingSamples::Keep`]); the plan is what the copy would do with `--missing keep`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<String>,
    /// The backup folder (after a real run).
    pub backup: Option<PathBuf>,
    /// Changes (not serialised).
    #[serde(skip)]
    pub changes: Vec<Change>,
}

/// What `copy-track` copies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TrackPart {
    /// The track's steps in the pattern (trigs, locks, length, scale).
    #[default]
    Steps,
    /// The track's settings in the pattern's part (machine, slots, pages, scene locks).
    Settings,
    /// Both.
    Both,
}

impl TrackPart {
    fn steps(self) -> bool {
        matches!(self, TrackPart::Steps | TrackPart::Both)
    }

    fn settings(self) -> bool {
        matches!(self, TrackPart::Settings | TrackPart::Both)
    }
}

/// A track of a pattern: bank 1-16, pattern 1-16, track 1-8 (audio, or MIDI with `midi`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TrackAt {
    /// Bank, 1-16.
    pub bank: usize,
    /// Pattern, 1-16.
    pub pattern: usize,
    /// Track, 1-8.
    pub track: usize,
}

fn check(what: &str, n: usize, max: usize) -> Result<(), OtError> {
    if (1..=max).contains(&n) {
        Ok(())
    } else {
        Err(OtError::Invalid { field: format!("{what} {n}"), message: format!("{what}s are numbered 1-{max}") })
    }
}

/// The projects and banks of one piece copy.
struct Ctx {
    src: ProjectDir,
    dst: ProjectDir,
    src_bank: Bank,
    dst_bank: Bank,
    dst_bank_no: usize,
    same_bank: bool,
}

/// [`load`] for a copy of one numbered piece (`pattern` 1-16, `part` 1-4) of bank `sb` of
/// `src` to piece `di` of bank `db` of `dst`: both numbers checked, and a piece copied onto itself
/// refused.
fn load_pieces(
    kind: &str,
    max: usize,
    (src_dir, sb, si): (&Path, usize, usize),
    (dst_dir, db, di): (&Path, usize, usize),
) -> Result<Ctx, OtError> {
    check(kind, si, max)?;
    check(kind, di, max)?;
    let ctx = load(src_dir, sb, dst_dir, db)?;
    if ctx.same_bank && si == di {
        return Err(OtError::Invalid {
            field: format!("bank {sb} {kind} {si}"),
            message: format!("source and destination are the same {kind}"),
        });
    }
    Ok(ctx)
}

fn load(src_dir: &Path, sb: usize, dst_dir: &Path, db: usize) -> Result<Ctx, OtError> {
    check_bank_number(sb)?;
    check_bank_number(db)?;
    let src = ProjectDir::open(src_dir)?;
    let dst = ProjectDir::open(dst_dir)?;
    let src_bank = crate::ops::copy::need_bank(&src, sb, State::Work)?;
    let same_bank = normalize(src_dir) == normalize(dst_dir) && sb == db;
    let dst_bank =
        if same_bank { src_bank.clone() } else { dst.read_bank(db, State::Work)?.unwrap_or_else(Bank::new_default) };
    Ok(Ctx { src, dst, src_bank, dst_bank, dst_bank_no: db, same_bank })
}

/// Bank-absolute byte ranges (offset, length) of a piece.
type Ranges = Vec<(usize, usize)>;

/// The bytes of audio track `t` (0-7) in a part, part-relative (see the module docs).
pub fn audio_part_track_ranges(t: usize) -> Ranges {
    let mut v = vec![
        (part::FX1_TYPE + t, 1),
        (part::FX2_TYPE + t, 1),
        (part::VOLUMES + 2 * t, 2),
        (part::MACHINE_TYPE + t, 1),
        (part::SLOTS + 5 * t, 5),
    ];
    v.extend(part::AUDIO_GROUPS.iter().map(|g| (g.offset + t * g.stride, g.len)));
    v.extend((0..16).map(|s| (part::SCENES + s * part::SCENE_SIZE + t * 32, 32)));
    v
}

/// The bytes of MIDI track `t` (0-7) in a part, part-relative.
pub fn midi_part_track_ranges(t: usize) -> Ranges {
    part::MIDI_GROUPS.iter().map(|g| (g.offset + t * g.stride, g.len)).collect()
}

/// The bank-absolute range of pattern `p`'s track block (0-based).
fn track_block(p: usize, t: usize, midi: bool) -> (usize, usize) {
    if midi {
        (pattern_offset(p) + pattern::MIDI_TRACKS_OFFSET + t * pattern::MIDI_TRACK_SIZE, pattern::MIDI_TRACK_SIZE)
    } else {
        (pattern_offset(p) + pattern::AUDIO_TRACKS_OFFSET + t * pattern::AUDIO_TRACK_SIZE, pattern::AUDIO_TRACK_SIZE)
    }
}

fn bytes(bank: &Bank, (off, len): (usize, usize)) -> &[u8] {
    bank.as_bytes().get(off..off + len).unwrap_or_default()
}

/// Copies `len` bytes at `from` of `src` to `to` of `dst`.
fn move_bytes(src: &Bank, from: usize, dst: &mut Bank, to: usize, len: usize) {
    if let (Some(a), Some(b)) = (src.as_bytes().get(from..from + len), dst.bytes_mut().get_mut(to..to + len)) {
        b.copy_from_slice(a);
    }
}

fn set_byte(bank: &mut Bank, at: usize, v: u8) {
    if let Some(b) = bank.bytes_mut().get_mut(at) {
        *b = v;
    }
}

/// The part (0-3) pattern `p` (0-based) plays, clamped like the device's 2-bit field.
fn part_of(bank: &Bank, p: usize) -> usize {
    usize::from(bank.pattern(p).part()).min(3)
}

fn tracks_with_trigs(bank: &Bank, p: usize, midi: bool) -> Vec<String> {
    let pat = bank.pattern(p);
    (0..8)
        .filter(|&t| if midi { pat.midi_track(t).trigs() != 0 } else { pat.audio_track(t).trigs() != 0 })
        .map(|t| (t + 1).to_string())
        .collect()
}

/// What a non-blank pattern holds, in words (empty when it is byte-identical to a fresh one).
fn pattern_contents(bank: &Bank, def: &Bank, p: usize) -> Vec<String> {
    let range = (pattern_offset(p), PATTERN_SIZE);
    if bytes(bank, range) == bytes(def, range) {
        return Vec::new();
    }
    let (a, m) = (tracks_with_trigs(bank, p, false), tracks_with_trigs(bank, p, true));
    let mut what = Vec::new();
    if !a.is_empty() {
        what.push(format!("trigs on audio tracks {}", a.join(", ")));
    }
    if !m.is_empty() {
        what.push(format!("trigs on MIDI tracks {}", m.join(", ")));
    }
    if what.is_empty() {
        what.push("locks or settings that differ from a fresh pattern".into());
    }
    vec![format!("pattern {}: {}", p + 1, what.join("; "))]
}

/// What a non-default part holds, in words.
fn part_contents(bank: &Bank, def: &Bank, i: usize, working_only: bool) -> Vec<String> {
    let copies: &[PartCopy] = if working_only { &[PartCopy::Working] } else { &[PartCopy::Working, PartCopy::Saved] };
    copies
        .iter()
        .filter(|&&c| bank.part(c, i).raw() != def.part(c, i).raw())
        .map(|&c| {
            format!(
                "part {} ({}{}) differs from a default part",
                i + 1,
                bank.part_name(i),
                if c == PartCopy::Saved { ", saved copy" } else { "" }
            )
        })
        .collect()
}

/// The sites of a bank's sample locks and the pool each picks from.
fn lock_pools(bank: &Bank) -> BTreeMap<(u8, u8, u8), SlotType> {
    bank_refs(bank)
        .uses
        .iter()
        .filter_map(|u| match u.site {
            Site::Lock { pattern, track, step } => Some(((pattern, track, step), u.slot_type)),
            Site::Part { .. } => None,
        })
        .collect()
}

/// Warnings for locks whose pool changed: `expected` holds the pool each lock of `after` should
/// pick from (the source's for copied locks, the destination's before for the others).
fn pool_warnings(after: &Bank, expected: &BTreeMap<(u8, u8, u8), SlotType>, bank_no: usize) -> Vec<String> {
    let now = lock_pools(after);
    let mut by_track: BTreeMap<(u8, u8), (usize, SlotType, Option<SlotType>)> = BTreeMap::new();
    for (&(p, t, s), &want) in expected {
        let got = now.get(&(p, t, s)).copied();
        if got != Some(want) {
            let e = by_track.entry((p, t)).or_insert((0, want, got));
            e.0 += 1;
        }
    }
    by_track
        .into_iter()
        .map(|((p, t), (n, want, got))| {
            format!(
                "bank {bank_no} pattern {p} track {t}: {n} sample lock(s) meant for the {} pool now {} (the track's machine in the part this pattern plays differs)",
                want.describe(),
                match got {
                    Some(g) => format!("pick from the {} pool", g.describe()),
                    None => "play nothing (the machine is not Flex or Static)".into(),
                }
            )
        })
        .collect()
}

/// The slots a set of references needs.
fn wanted_of(uses: &[SlotUse]) -> Vec<(SlotType, u16)> {
    uses.iter().map(|u| (u.slot_type, u.slot)).collect()
}

/// Imports `wanted`, moves the piece with `transplant` from the remapped source bank into the
/// destination bank, and applies (or, dry run, plans) the changes.
#[allow(clippy::too_many_arguments)]
fn finish(
    ctx: Ctx,
    operation: &str,
    from: String,
    to: String,
    wanted: &[(SlotType, u16)],
    replaces: Vec<String>,
    expected_pools: impl FnOnce(&Bank, &Bank) -> BTreeMap<(u8, u8, u8), SlotType>,
    transplant: impl FnOnce(&Bank, &mut Bank),
    opts: PieceOptions,
) -> Result<PiecePlan, OtError> {
    let bank_path = ctx.dst.bank_path(ctx.dst_bank_no, State::Work);
    if !replaces.is_empty() && !opts.force {
        return Err(invalid(
            &bank_path,
            format!(
                "{to} is not blank ({}): choose a blank one, or add --force to replace it (a backup is kept)",
                replaces.join("; ")
            ),
        ));
    }
    let mut import =
        import::import(&ctx.src, &ctx.dst, wanted, ImportOptions { to_pool: opts.to_pool, also_strd: false })?;
    let mut remapped = ctx.src_bank.clone();
    remap_bank(&mut remapped, &import.mapper());
    let mut out = ctx.dst_bank.clone();
    transplant(&remapped, &mut out);
    let expected = expected_pools(&ctx.src_bank, &ctx.dst_bank);
    import.warnings.extend(pool_warnings(&out, &expected, ctx.dst_bank_no));
    import.warnings.extend(silent_notes(&ctx, &import, &out));
    let mut changes = import.changes.clone();
    changes.push(Change::Write { path: bank_path, bytes: out.to_bytes() });
    plan(operation, &ctx.src, from, &ctx.dst, to, replaces, import, changes, opts)
}

/// What the copy newly leaves that can never sound (issue 21): data past a track's length, trigs
/// on the master track, trigs on slots empty in the destination after the import.
fn silent_notes(ctx: &Ctx, import: &Import, out: &Bank) -> Vec<String> {
    let project = &ctx.dst.project;
    let listed = |t: SlotType, s: u16| project.sample(t, s).is_some_and(|x| !x.path.is_empty());
    let imported = |t: SlotType, s: u16| {
        import
            .slots
            .iter()
            .any(|m| m.slot_type == t && m.to == s && matches!(m.action, SlotAction::New | SlotAction::Reuse))
    };
    let after = |t: SlotType, s: u16| listed(t, s) || imported(t, s);
    let master_track = project.setting("MASTER_TRACK") == Some(1);
    let bank_no = u8::try_from(ctx.dst_bank_no).unwrap_or(1);
    crate::timeline::silent::copy_notes(&ctx.dst_bank, out, bank_no, master_track, &listed, &after)
}

#[allow(clippy::too_many_arguments)]
fn plan(
    operation: &str,
    src: &ProjectDir,
    from: String,
    dst: &ProjectDir,
    to: String,
    replaces: Vec<String>,
    import: Import,
    changes: Vec<Change>,
    opts: PieceOptions,
) -> Result<PiecePlan, OtError> {
    if !opts.dry_run {
        opts.missing.check(&import.missing, &src.dir)?;
    }
    let mut plan = PiecePlan {
        operation: operation.into(),
        source: src.dir.clone(),
        from,
        destination: dst.dir.clone(),
        to,
        replaces,
        refused: opts.missing.refusal(&import.missing),
        import,
        writes: changes.iter().map(|c| c.target().to_path_buf()).collect(),
        dry_run: opts.dry_run,
        backup: None,
        changes,
    };
    if !opts.dry_run {
        let Applied { backup, .. } = backup::apply(&plan.destination, operation, &plan.changes, opts.apply)?;
        plan.backup = Some(backup);
    }
    Ok(plan)
}

/// Expected pools: the destination's other locks keep theirs; the copied ones (`copied`: source
/// site -> destination site) keep the source's.
fn expect(
    src: &Bank,
    dst_before: &Bank,
    dst_skip: impl Fn(u8, u8) -> bool,
    copied: impl Fn(u8, u8) -> Option<(u8, u8)>,
) -> BTreeMap<(u8, u8, u8), SlotType> {
    let mut e: BTreeMap<(u8, u8, u8), SlotType> =
        lock_pools(dst_before).into_iter().filter(|&((p, t, _), _)| !dst_skip(p, t)).collect();
    for ((p, t, s), pool) in lock_pools(src) {
        if let Some((dp, dt)) = copied(p, t) {
            e.insert((dp, dt, s), pool);
        }
    }
    e
}

/// Copies pattern `sp` of bank `sb` of `src_dir` to pattern `dp` of bank `db` of `dst_dir`
/// (numbers from 1): trigs, locks and settings, the part assignment kept, sample locks remapped
/// into the destination's slots. With `with_part`, the part the pattern plays is copied too, into
/// the same part number of the destination bank (working and saved copies, name).
#[allow(clippy::too_many_arguments)]
pub fn copy_pattern(
    src_dir: &Path,
    sb: usize,
    sp: usize,
    dst_dir: &Path,
    db: usize,
    dp: usize,
    with_part: bool,
    opts: PieceOptions,
) -> Result<PiecePlan, OtError> {
    let _lock =
        crate::ops::lock::unless_dry_run(opts.dry_run, || crate::ops::lock::lock_project(dst_dir, opts.to_pool))?;
    let ctx = load_pieces("pattern", 16, (src_dir, sb, sp), (dst_dir, db, dp))?;
    let (p, q) = (sp - 1, dp - 1);
    let part_no = part_of(&ctx.src_bank, p);
    // Within one bank the part is already the pattern's: nothing to bring.
    let with_part = with_part && !ctx.same_bank;
    let def = Bank::new_default();
    let mut replaces = pattern_contents(&ctx.dst_bank, &def, q);
    let refs = bank_refs(&ctx.src_bank);
    let mut uses = crate::ops::refs::uses_in(&refs, crate::ops::refs::Piece::Pattern(p));
    if with_part {
        replaces.extend(part_contents(&ctx.dst_bank, &def, part_no, false));
        uses.extend(crate::ops::refs::uses_in(&refs, crate::ops::refs::Piece::Part(part_no)));
    }
    let from = format!("bank {sb} pattern {sp}");
    let to = format!(
        "bank {db} pattern {dp}{}",
        if with_part { format!(" and part {}", part_no + 1) } else { String::new() }
    );
    let (pb, qb) = (p as u8 + 1, q as u8 + 1); // ok: < 16
    finish(
        ctx,
        "copy-pattern",
        from,
        to,
        &wanted_of(&uses),
        replaces,
        |src, before| {
            expect(
                src,
                before,
                // The destination's other patterns keep their pools; a part brought by
                // `with_part` may change them, which the warnings then report.
                |pat, _| pat == qb,
                |pat, t| (pat == pb).then_some((qb, t)),
            )
        },
        |src, out| {
            move_bytes(src, pattern_offset(p), out, pattern_offset(q), PATTERN_SIZE);
            if with_part {
                copy_part_bytes(src, part_no, out, part_no, false);
            }
        },
        opts,
    )
}

/// Moves part `i` of `src` to part `j` of `out` (working, saved unless `working_only`), with
/// its name, saved-state flag and number byte.
///
/// The edited-parts byte ([`crate::raw::bank::PARTS_EDITED`]): a part copied whole (both copies)
/// brings its source's bit, as octatrack-manager's part copy does (`project_reader.rs`, "Mirror
/// the source's edited bitmask"); a working copy alone is an edit of the destination part, which
/// sets its bit when the bytes changed.
fn copy_part_bytes(src: &Bank, i: usize, out: &mut Bank, j: usize, working_only: bool) {
    let before = out.part(PartCopy::Working, j).raw().to_vec();
    let copies: &[PartCopy] = if working_only { &[PartCopy::Working] } else { &[PartCopy::Working, PartCopy::Saved] };
    for &c in copies {
        move_bytes(src, c.offset(i), out, c.offset(j), PART_SIZE);
        set_byte(out, c.offset(j) + 8, j as u8); // ok: j < 4
    }
    move_bytes(src, PART_NAMES + i * PART_NAME_LEN, out, PART_NAMES + j * PART_NAME_LEN, PART_NAME_LEN);
    if !working_only {
        set_byte(out, PARTS_SAVED_STATE + j, src.part_saved_state(i));
        out.set_part_edited(j, src.parts_edited() & (1 << i) != 0);
    } else if out.part(PartCopy::Working, j).raw() != before.as_slice() {
        out.set_part_edited(j, true);
    }
}

/// Copies part `si` (1-4) of bank `sb` of `src_dir` to part `di` of bank `db` of `dst_dir`: the
/// data of all tracks, working and (unless `working_only`) saved copies, the name, slots
/// remapped into the destination's.
#[allow(clippy::too_many_arguments)]
pub fn copy_part(
    src_dir: &Path,
    sb: usize,
    si: usize,
    dst_dir: &Path,
    db: usize,
    di: usize,
    working_only: bool,
    opts: PieceOptions,
) -> Result<PiecePlan, OtError> {
    let _lock =
        crate::ops::lock::unless_dry_run(opts.dry_run, || crate::ops::lock::lock_project(dst_dir, opts.to_pool))?;
    let ctx = load_pieces("part", 4, (src_dir, sb, si), (dst_dir, db, di))?;
    let (i, j) = (si - 1, di - 1);
    let def = Bank::new_default();
    let replaces = part_contents(&ctx.dst_bank, &def, j, working_only);
    let refs = bank_refs(&ctx.src_bank);
    let uses: Vec<SlotUse> = crate::ops::refs::uses_in(&refs, crate::ops::refs::Piece::Part(i))
        .into_iter()
        .filter(|u| !working_only || !matches!(u.site, Site::Part { saved: true, .. }))
        .collect();
    let from = format!("bank {sb} part {si}");
    let to = format!("bank {db} part {di}{}", if working_only { " (working copy)" } else { "" });
    finish(
        ctx,
        "copy-part",
        from,
        to,
        &wanted_of(&uses),
        replaces,
        |_, before| expect(before, before, |_, _| false, |_, _| None),
        |src, out| copy_part_bytes(src, i, out, j, working_only),
        opts,
    )
}

/// Copies one track: its steps in the pattern (`TrackPart::Steps`), its settings in the
/// pattern's part (`Settings`, both part copies), or both. Audio tracks, or MIDI with `midi`.
pub fn copy_track(
    src_dir: &Path,
    from: TrackAt,
    dst_dir: &Path,
    to: TrackAt,
    what: TrackPart,
    midi: bool,
    opts: PieceOptions,
) -> Result<PiecePlan, OtError> {
    let _lock =
        crate::ops::lock::unless_dry_run(opts.dry_run, || crate::ops::lock::lock_project(dst_dir, opts.to_pool))?;
    for a in [from, to] {
        check("pattern", a.pattern, 16)?;
        check("track", a.track, 8)?;
    }
    let ctx = load(src_dir, from.bank, dst_dir, to.bank)?;
    let (p, t, q, u) = (from.pattern - 1, from.track - 1, to.pattern - 1, to.track - 1);
    let (a, b) = (part_of(&ctx.src_bank, p), part_of(&ctx.dst_bank, q));
    let same_steps = !what.steps() || (p == q && t == u);
    let same_settings = !what.settings() || (a == b && t == u);
    if ctx.same_bank && same_steps && same_settings {
        return Err(OtError::Invalid {
            field: format!("bank {} pattern {} track {}", from.bank, from.pattern, from.track),
            message: "source and destination are the same track".into(),
        });
    }
    let kind = if midi { "MIDI track" } else { "track" };
    let def = Bank::new_default();
    let mut replaces = Vec::new();
    let ranges = if midi { midi_part_track_ranges(u) } else { audio_part_track_ranges(u) };
    if what.steps() {
        let blk = track_block(q, u, midi);
        if bytes(&ctx.dst_bank, blk) != bytes(&def, blk) {
            replaces.push(format!("pattern {} {kind} {}: steps or track settings", to.pattern, to.track));
        }
    }
    if what.settings() {
        for c in [PartCopy::Working, PartCopy::Saved] {
            let (x, y) = (ctx.dst_bank.part(c, b), def.part(c, b));
            if ranges.iter().any(|&(o, n)| x.raw().get(o..o + n) != y.raw().get(o..o + n)) {
                replaces.push(format!(
                    "part {} {kind} {}{}: settings differ from a default part",
                    b + 1,
                    to.track,
                    if c == PartCopy::Saved { " (saved copy)" } else { "" }
                ));
            }
        }
    }
    let refs = bank_refs(&ctx.src_bank);
    let (pb, tb, qb, ub) = (p as u8 + 1, t as u8 + 1, q as u8 + 1, u as u8 + 1); // ok: < 16
    let uses: Vec<SlotUse> = if midi {
        Vec::new()
    } else {
        refs.uses
            .iter()
            .filter(|x| match x.site {
                Site::Lock { pattern, track, .. } => what.steps() && pattern == pb && track == tb,
                Site::Part { part, track, .. } => what.settings() && usize::from(part) == a + 1 && track == tb,
            })
            .copied()
            .collect()
    };
    let from_s = format!("bank {} pattern {} {kind} {}", from.bank, from.pattern, from.track);
    let what_s = match what {
        TrackPart::Steps => "steps".to_string(),
        TrackPart::Settings => format!("settings in part {}", b + 1),
        TrackPart::Both => format!("steps and settings in part {}", b + 1),
    };
    let to_s = format!("bank {} pattern {} {kind} {} ({what_s})", to.bank, to.pattern, to.track);
    let src_ranges = if midi { midi_part_track_ranges(t) } else { audio_part_track_ranges(t) };
    finish(
        ctx,
        "copy-track",
        from_s,
        to_s,
        &wanted_of(&uses),
        replaces,
        |src, before| {
            expect(
                src,
                before,
                |pat, tr| what.steps() && !midi && pat == qb && tr == ub,
                |pat, tr| (what.steps() && !midi && pat == pb && tr == tb).then_some((qb, ub)),
            )
        },
        |src, out| {
            if what.steps() {
                let (s_off, len) = track_block(p, t, midi);
                let (d_off, _) = track_block(q, u, midi);
                move_bytes(src, s_off, out, d_off, len);
                set_byte(out, d_off + 8, u as u8); // ok: u < 8
            }
            if what.settings() {
                let before = out.part(PartCopy::Working, b).raw().to_vec();
                for c in [PartCopy::Working, PartCopy::Saved] {
                    for (&(so, n), &(d, _)) in src_ranges.iter().zip(&ranges) {
                        move_bytes(src, c.offset(a) + so, out, c.offset(b) + d, n);
                    }
                }
                // An edit of the destination part (its working copy changed): its edited bit.
                if out.part(PartCopy::Working, b).raw() != before.as_slice() {
                    out.set_part_edited(b, true);
                }
            }
        },
        opts,
    )
}

/// The markers record of a slot, or `None` when there is no markers file.
fn record(m: Option<&Markers>, slot_type: SlotType, slot: u16) -> Option<Vec<u8>> {
    let i = markers_ref(slot_type, slot)?.index()?;
    m.map(|m| m.record(i).raw().to_vec())
}

/// The projects, pools and sorted slot list of a slot copy: numbers checked (1-128), and a copy
/// within one project without `to` refused (`hint` says what to give).
#[allow(clippy::type_complexity)]
fn open_slots(
    src_dir: &Path,
    dst_dir: &Path,
    slots: &[u16],
    pool: Option<SlotType>,
    to: Option<u16>,
    hint: &str,
) -> Result<(ProjectDir, ProjectDir, Vec<SlotType>, Vec<u16>), OtError> {
    for &s in slots.iter().chain(&to) {
        check("slot", usize::from(s), 128)?;
    }
    let src = ProjectDir::open(src_dir)?;
    let dst = ProjectDir::open(dst_dir)?;
    if normalize(src_dir) == normalize(dst_dir) && to.is_none() {
        return Err(invalid(&src.dir, format!("source and destination are the same project: {hint}")));
    }
    let pools = match pool {
        Some(p) => vec![p],
        None => vec![SlotType::Flex, SlotType::Static],
    };
    let mut listed: Vec<u16> = slots.to_vec();
    listed.sort_unstable();
    listed.dedup();
    Ok((src, dst, pools, listed))
}

/// Copies sample slots `slots` (1-128) of `pool` (both pools when `None`) from `src_dir` to
/// `dst_dir`, with their settings, markers records and files (and `.ot`). Without `to`, the
/// import rules of [`crate::ops::import`] place them (reuse of identical slots, the same number
/// when free, else the lowest free one); with `to = Some(n)`, the listed slots of each pool go to
/// `n`, `n+1`, ... in order, which must be empty unless `force` (then they are replaced). Within
/// one project only `to` makes sense (it duplicates slots).
pub fn copy_slots(
    src_dir: &Path,
    dst_dir: &Path,
    slots: &[u16],
    pool: Option<SlotType>,
    to: Option<u16>,
    opts: PieceOptions,
) -> Result<PiecePlan, OtError> {
    let _lock =
        crate::ops::lock::unless_dry_run(opts.dry_run, || crate::ops::lock::lock_project(dst_dir, opts.to_pool))?;
    let (src, dst, pools, listed) =
        open_slots(src_dir, dst_dir, slots, pool, to, "give --to N to duplicate the slots to N, N+1, ...")?;
    let mut wanted = Vec::new();
    let mut skipped = Vec::new();
    for &t in &pools {
        for &s in &listed {
            if src.project.sample(t, s).is_some_and(|x| !x.path.is_empty()) {
                wanted.push((t, s));
            } else {
                skipped.push(format!("{} slot {s}", t.describe()));
            }
        }
    }
    if wanted.is_empty() {
        return Err(invalid(&src.dir, format!("the source has no sample in {}: nothing to copy", skipped.join(", "))));
    }
    let slot_list = |v: &[u16]| v.iter().map(u16::to_string).collect::<Vec<_>>().join(",");
    let from = format!(
        "{} slots {}",
        pool.map(|p| p.describe().to_string()).unwrap_or_else(|| "flex and static".into()),
        slot_list(&listed)
    );
    let (mut import, replaces, to_s) = match to {
        None => {
            let import =
                import::import(&src, &dst, &wanted, ImportOptions { to_pool: opts.to_pool, also_strd: false })?;
            (import, Vec::new(), "free slots (identical ones reused)".to_string())
        }
        Some(n) => {
            let (import, replaces) = import_at(&src, &dst, &wanted, n, opts)?;
            (import, replaces, format!("slots from {n} on"))
        }
    };
    if !skipped.is_empty() {
        import.warnings.push(format!("empty in the source, not copied: {}", skipped.join(", ")));
    }
    if !replaces.is_empty() && !opts.force {
        return Err(invalid(
            &dst.file("project", State::Work),
            format!(
                "destination slots are not empty ({}): choose another --to, or add --force to replace them (a backup is kept)",
                replaces.join("; ")
            ),
        ));
    }
    let changes = import.changes.clone();
    plan("copy-slots", &src, from, &dst, to_s, replaces, import, changes, opts)
}

/// `ot copy-slots --settings-only`: copies the Audio Editor settings of sample slots `slots`
/// (1-128) of `pool` (both pools when `None`) onto existing destination slots: the timing keys
/// (`BPMx24`, `TRIM_BARSx100`, as the source block has them), time-stretch, loop mode, gain and
/// trig quantisation in `project.work`, and the markers record (trim, loop point, slices) in
/// `markers.work`. Paths and files are untouched. Slot `s` goes to `s`, or to `to`, `to+1`, ...
/// in order; every destination slot must hold a sample (refused otherwise: there is nothing to
/// set), and a source slot must be listed (its file may be missing: it is not read).
///
/// octatrack-manager has the same copy ("Sample Assignments: Don't Copy" with "Sample Attributes:
/// Copy", `user-guide/docs/features/copy-sample-slots.md`); it also reads a source `.ot` first,
/// which groovekit does not: `project.work` and `markers.work` are what the device plays from
/// once the sample is loaded.
pub fn copy_slot_settings(
    src_dir: &Path,
    dst_dir: &Path,
    slots: &[u16],
    pool: Option<SlotType>,
    to: Option<u16>,
    opts: PieceOptions,
) -> Result<PiecePlan, OtError> {
    // Held for the whole read-plan-write, as every copy (issue 23): apply takes it again (re-entrant).
    let _lock =
        crate::ops::lock::unless_dry_run(opts.dry_run, || crate::ops::lock::lock_project(dst_dir, opts.to_pool))?;
    let (src, dst, pools, listed) =
        open_slots(src_dir, dst_dir, slots, pool, to, "give --to N to copy the settings onto slots N, N+1, ...")?;
    let mut project = dst.project.clone();
    let src_markers = src.read_markers(State::Work)?;
    let before_markers = dst.read_markers(State::Work)?;
    let mut markers = before_markers.clone();
    let mut out = Import::default();
    let mut problems = Vec::new();
    let mut skipped = Vec::new();
    for &t in &pools {
        let mut next = to;
        for &s in &listed {
            let Some(from) = src.project.sample(t, s) else {
                skipped.push(format!("{} slot {s}", t.describe()));
                continue;
            };
            let target = next.unwrap_or(s);
            next = next.map(|n| n + 1);
            if target > 128 {
                problems.push(format!("{} slot {s} would go to {target} (slots are 1-128)", t.describe()));
                continue;
            }
            let Some(mut slot) = dst.project.sample(t, target).filter(|x| !x.path.is_empty()) else {
                problems.push(format!("destination {} slot {target} holds no sample", t.describe()));
                continue;
            };
            slot.timing = from.timing.clone();
            slot.tsmode = from.tsmode;
            slot.loopmode = from.loopmode;
            slot.gain = from.gain;
            slot.trig_quantization = from.trig_quantization;
            let rec = record(src_markers.as_ref(), t, s);
            put_slot(&mut project, &mut markers, &slot, (s, &rec), SlotAction::Reuse, &mut out)?;
        }
    }
    if !problems.is_empty() {
        return Err(invalid(
            &dst.file("project", State::Work),
            format!(
                "nothing was changed: {} (a settings-only copy sets existing slots: load samples there first, or copy the slots without --settings-only)",
                problems.join("; ")
            ),
        ));
    }
    if out.slots.is_empty() {
        return Err(invalid(&src.dir, format!("the source lists none of {}: nothing to copy", skipped.join(", "))));
    }
    if !skipped.is_empty() {
        out.warnings.push(format!("not listed in the source, not copied: {}", skipped.join(", ")));
    }
    let mut changes = Vec::new();
    if project.to_bytes() != dst.project.to_bytes() {
        changes.push(Change::Write { path: dst.file("project", State::Work), bytes: project.to_bytes() });
    }
    changes.extend(markers_change(&dst, &markers, &before_markers));
    if changes.is_empty() {
        out.warnings.push("the destination slots already have these settings: nothing to write".into());
    }
    let slot_list = listed.iter().map(u16::to_string).collect::<Vec<_>>().join(",");
    let from = format!(
        "{} slot settings {slot_list}",
        pool.map(|p| p.describe().to_string()).unwrap_or_else(|| "flex and static".into())
    );
    let to_s = match to {
        Some(n) => format!("slots from {n} on (settings only)"),
        None => "the same slots (settings only)".to_string(),
    };
    plan("copy-slots", &src, from, &dst, to_s, Vec::new(), out, changes, opts)
}

/// Writes `slot` into `project`, the source slot's markers record (`from`: source slot number and
/// record) into `markers`, and the move into the plan.
fn put_slot(
    project: &mut crate::model::project::Project,
    markers: &mut Option<Markers>,
    slot: &SampleSlot,
    (from, rec): (u16, &Option<Vec<u8>>),
    action: SlotAction,
    out: &mut Import,
) -> Result<(), OtError> {
    project.set_sample(slot)?;
    import::copy_record(markers, rec, slot.slot_type, from, slot.slot, out);
    out.slots.push(SlotMove { slot_type: slot.slot_type, from, to: slot.slot, action, path: slot.path_lossy() });
    Ok(())
}

/// The write of `markers.work` when `markers` differs from `before`.
fn markers_change(dst: &ProjectDir, markers: &Option<Markers>, before: &Option<Markers>) -> Option<Change> {
    let m = markers.as_ref()?;
    (Some(m.as_bytes()) != before.as_ref().map(Markers::as_bytes))
        .then(|| Change::Write { path: dst.file("markers", State::Work), bytes: m.to_bytes() })
}

/// Places `wanted` at `n`, `n+1`, ... of each pool; returns the import and the replaced slots.
fn import_at(
    src: &ProjectDir,
    dst: &ProjectDir,
    wanted: &[(SlotType, u16)],
    n: u16,
    opts: PieceOptions,
) -> Result<(Import, Vec<String>), OtError> {
    let mut out = Import::default();
    let mut replaces = Vec::new();
    let mut project = dst.project.clone();
    let src_markers = src.read_markers(State::Work)?;
    let before_markers = dst.read_markers(State::Work)?;
    let mut markers = before_markers.clone();
    let mut cache = ContentCache::new();
    let mut planned: HashMap<PathBuf, PathBuf> = HashMap::new();
    let mut next: BTreeMap<SlotType, u16> = BTreeMap::new();
    let mut too_far = Vec::new();
    for &(t, s) in wanted {
        let target = *next.entry(t).or_insert(n);
        next.insert(t, target + 1);
        if target > 128 {
            too_far.push(format!("{} slot {s} would go to {target}", t.describe()));
            continue;
        }
        let Some(slot) = src.project.sample(t, s) else { continue };
        let file = src.sample_path(&slot).unwrap_or_default();
        if let Some(old) = dst.project.sample(t, target).filter(|x| !x.path.is_empty()) {
            replaces.push(format!("{} slot {target} ({})", t.describe(), old.path_lossy()));
        }
        let found = file.is_file();
        if !found {
            // Kept with its PATH text, no file copied (refused later unless `--missing keep`).
            out.missing.push(format!("{} slot {s}: {}", t.describe(), file.display()));
        }
        let in_place = !found || is_inside(&file, &dst.dir) || is_inside(&file, &dst.pool());
        let placed = if in_place {
            file.clone()
        } else {
            let name = file.file_name().map(PathBuf::from).unwrap_or_default();
            let base = if opts.to_pool {
                let sub = is_inside(&file, &src.pool())
                    .then(|| normalize(&file).strip_prefix(normalize(&src.pool())).map(Path::to_path_buf).ok())
                    .flatten();
                dst.pool().join(sub.unwrap_or(name))
            } else {
                dst.dir.join(name)
            };
            import::place(&mut cache, &mut planned, &file, &base, &mut out)?
        };
        let mut new_slot: SampleSlot = slot.clone();
        new_slot.slot = target;
        if found {
            new_slot.path = relative_path(&dst.dir, &placed);
        }
        let rec = record(src_markers.as_ref(), t, s);
        put_slot(&mut project, &mut markers, &new_slot, (s, &rec), SlotAction::New, &mut out)?;
    }
    if !too_far.is_empty() {
        return Err(invalid(
            &dst.dir,
            format!("slots are numbered 1-128, nothing was changed: {} (choose a lower --to)", too_far.join("; ")),
        ));
    }
    let mut changes: Vec<Change> =
        out.files.iter().map(|f: &FileCopy| Change::Copy { from: f.from.clone(), to: f.to.clone() }).collect();
    changes.push(Change::Write { path: dst.file("project", State::Work), bytes: project.to_bytes() });
    changes.extend(markers_change(dst, &markers, &before_markers));
    out.changes = changes;
    Ok((out, replaces))
}
