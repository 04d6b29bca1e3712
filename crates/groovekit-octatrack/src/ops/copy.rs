//! `ot copy-bank`: copy a bank within a project, across projects and across Sets, with every sample
//! reference remapped (working and saved parts, sample locks), the sample files and their `.ot`
//! copied, markers records following their slots, checksums recomputed, a backup first and all or
//! nothing. The slot rules are in [`crate::ops::import`]; the references in [`crate::ops::refs`].
//!
//! Differences from the peers (reference §3, §10; docs/octatrack-ops.md): octatools remaps working
//! parts only, matches samples by name, never writes new Flex slots, skips a same-name file with
//! other content and leaves checksums stale; octatrack-manager dedupes by file name and treats
//! slot 1 (byte 0) of a part as "unassigned". groovekit remaps both part copies, reuses by content
//! and settings, renames on a name clash, and counts slot 1 as a slot.

use std::path::{Path, PathBuf};

use crate::OtError;
use crate::model::project::SlotType;
use crate::ops::backup::{self, Applied, ApplyOptions, Change};
use crate::ops::import::{self, Import, ImportOptions};
use crate::ops::project_dir::{ProjectDir, State, invalid, normalize};
use crate::ops::refs::{bank_refs, remap_bank};
use crate::raw::bank::{Bank, default_bank_bytes};

/// Options of [`copy_bank`].
#[derive(Debug, Clone, Copy, Default)]
pub struct CopyBankOptions {
    /// Replace a destination bank that is not blank.
    pub force: bool,
    /// Copy samples into the Set's `AUDIO` pool instead of the project folder.
    pub to_pool: bool,
    /// Also write `bankNN.strd` (from the source's `.strd` when it has one), `project.strd` and
    /// `markers.strd`: the device's PROJECT > RELOAD reads `.strd`.
    pub also_strd: bool,
    /// Compute and return the plan only.
    pub dry_run: bool,
    /// Fault injection for tests (see [`ApplyOptions`]).
    pub apply: ApplyOptions,
}

/// The plan (and, after a real run, the result) of a copy.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CopyPlan {
    /// Source project folder.
    pub source: PathBuf,
    /// Source bank, 1-16.
    pub source_bank: usize,
    /// Destination project folder.
    pub destination: PathBuf,
    /// Destination bank, 1-16.
    pub destination_bank: usize,
    /// What the destination bank held that the copy replaces (empty when it was blank).
    pub replaces: Vec<String>,
    /// Slot map, files to copy, warnings.
    #[serde(flatten)]
    pub import: Import,
    /// Every file the copy writes or creates, in order.
    pub writes: Vec<PathBuf>,
    /// Whether this was a dry run.
    pub dry_run: bool,
    /// The backup folder (after a real run).
    pub backup: Option<PathBuf>,
    /// Changes (not serialised).
    #[serde(skip)]
    pub changes: Vec<Change>,
}

/// What a non-blank bank holds, in words.
pub fn bank_contents(bank: &Bank) -> Vec<String> {
    let mut out = Vec::new();
    let pats = bank.patterns_with_trigs();
    if !pats.is_empty() {
        out.push(format!(
            "patterns with trigs: {}",
            pats.iter().map(|p| (p + 1).to_string()).collect::<Vec<_>>().join(", ")
        ));
    }
    if bank.as_bytes() != default_bank_bytes().as_slice() && out.is_empty() {
        out.push("edited parts or pattern settings (the bank differs from a blank one)".into());
    }
    out
}

/// Checks a bank number.
pub fn check_bank_number(n: usize) -> Result<(), OtError> {
    if (1..=16).contains(&n) {
        Ok(())
    } else {
        Err(OtError::Invalid { field: format!("bank {n}"), message: "banks are numbered 1-16".into() })
    }
}

/// Reads a bank that must exist.
pub fn need_bank(p: &ProjectDir, n: usize, state: State) -> Result<Bank, OtError> {
    p.read_bank(n, state)?.ok_or_else(|| invalid(&p.bank_path(n, state), "no such bank file"))
}

/// Plans a bank copy: everything is computed, nothing written.
pub fn plan_copy_bank(
    src_dir: &Path,
    n: usize,
    dst_dir: &Path,
    m: usize,
    opts: CopyBankOptions,
) -> Result<CopyPlan, OtError> {
    check_bank_number(n)?;
    check_bank_number(m)?;
    let src = ProjectDir::open(src_dir)?;
    let dst = ProjectDir::open(dst_dir)?;
    if normalize(src_dir) == normalize(dst_dir) && n == m {
        return Err(OtError::Invalid {
            field: format!("bank {n}"),
            message: "source and destination are the same bank".into(),
        });
    }
    let src_work = need_bank(&src, n, State::Work)?;
    let src_strd = if opts.also_strd { src.read_bank(n, State::Strd)? } else { None };
    let replaces = match dst.read_bank(m, State::Work)? {
        Some(b) => bank_contents(&b),
        None => Vec::new(),
    };
    if !replaces.is_empty() && !opts.force {
        return Err(invalid(
            &dst.bank_path(m, State::Work),
            format!(
                "bank {m} is not blank ({}): choose a blank bank, or add --force to replace it (a backup is kept)",
                replaces.join("; ")
            ),
        ));
    }
    let mut wanted: Vec<(SlotType, u16)> = bank_refs(&src_work).uses.iter().map(|u| (u.slot_type, u.slot)).collect();
    if let Some(s) = &src_strd {
        wanted.extend(bank_refs(s).uses.iter().map(|u| (u.slot_type, u.slot)));
    }
    let import =
        import::import(&src, &dst, &wanted, ImportOptions { to_pool: opts.to_pool, also_strd: opts.also_strd })?;
    let mut changes = import.changes.clone();
    let mut work = src_work.clone();
    remap_bank(&mut work, &import.mapper());
    changes.push(Change::Write { path: dst.bank_path(m, State::Work), bytes: work.to_bytes() });
    if opts.also_strd {
        let mut strd = src_strd.unwrap_or(src_work);
        remap_bank(&mut strd, &import.mapper());
        changes.push(Change::Write { path: dst.bank_path(m, State::Strd), bytes: strd.to_bytes() });
    }
    let writes = changes.iter().map(|c| c.target().to_path_buf()).collect();
    Ok(CopyPlan {
        source: src.dir.clone(),
        source_bank: n,
        destination: dst.dir.clone(),
        destination_bank: m,
        replaces,
        import,
        writes,
        dry_run: opts.dry_run,
        backup: None,
        changes,
    })
}

/// Copies bank `n` of `src_dir` to bank `m` of `dst_dir` (see the module docs). With
/// `opts.dry_run`, returns the plan and changes nothing.
pub fn copy_bank(
    src_dir: &Path,
    n: usize,
    dst_dir: &Path,
    m: usize,
    opts: CopyBankOptions,
) -> Result<CopyPlan, OtError> {
    // Held for the whole read-plan-write (issue 23): a concurrent operation cannot lose this one's slots.
    let _lock =
        crate::ops::lock::unless_dry_run(opts.dry_run, || crate::ops::lock::lock_project(dst_dir, opts.to_pool))?;
    let mut plan = plan_copy_bank(src_dir, n, dst_dir, m, opts)?;
    if !opts.dry_run {
        let Applied { backup, .. } = backup::apply(&plan.destination, "copy-bank", &plan.changes, opts.apply)?;
        plan.backup = Some(backup);
    }
    Ok(plan)
}

/// One copy of a `--config` batch file.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CopyBankJob {
    /// Source project folder.
    pub source: PathBuf,
    /// Source bank, 1-16.
    pub source_bank: usize,
    /// Destination project folder.
    pub destination: PathBuf,
    /// Destination bank, 1-16.
    pub destination_bank: usize,
    /// As `--force`.
    #[serde(default)]
    pub force: bool,
    /// As `--to-pool`.
    #[serde(default)]
    pub to_pool: bool,
    /// As `--also-strd`.
    #[serde(default)]
    pub also_strd: bool,
}

/// A `--config` batch: `kind: octatrack-copy-bank-batch`, `copies: [...]`, run in order, each copy
/// all-or-nothing. Relative folders are relative to the batch file's folder.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CopyBankBatch {
    /// Must be `octatrack-copy-bank-batch`.
    pub kind: String,
    /// The copies.
    pub copies: Vec<CopyBankJob>,
}

/// The `kind` of a batch document.
pub const BATCH_KIND: &str = "octatrack-copy-bank-batch";

/// Reads a batch document; relative folders are made relative to `base`.
pub fn read_batch(text: &str, base: &Path) -> Result<CopyBankBatch, OtError> {
    let mut batch: CopyBankBatch = groovekit_core::doc::from_text(text)?;
    if batch.kind != BATCH_KIND {
        return Err(OtError::Invalid {
            field: "kind".into(),
            message: format!("`{}`, expected `{BATCH_KIND}`", batch.kind),
        });
    }
    for j in &mut batch.copies {
        if j.source.is_relative() {
            j.source = base.join(&j.source);
        }
        if j.destination.is_relative() {
            j.destination = base.join(&j.destination);
        }
    }
    Ok(batch)
}
