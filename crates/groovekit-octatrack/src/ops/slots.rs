//! `ot slots`: every sample slot of a project with its type, path and settings, where each is
//! used (bank / part / pattern / track / step), which files are missing, which slots nothing
//! uses, and the references to slots the project does not list (dangling: what a bank copied by
//! hand leaves behind, and what `verify` reports).

use std::path::PathBuf;

use crate::OtError;
use crate::model::project::{SampleSlot, SampleTiming, SlotType};
use crate::ops::project_dir::{ProjectDir, State};
use crate::ops::refs::{Site, SlotUse, bank_refs_with};

/// A use of a slot in one bank.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Usage {
    /// Bank, 1-16.
    pub bank: u8,
    /// The reference.
    #[serde(flatten)]
    pub at: SlotUse,
}

/// One slot of the listing.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SlotInfo {
    /// Flex or Static.
    pub slot_type: SlotType,
    /// 1-based (Flex 129-136 = recorder buffers).
    pub slot: u16,
    /// `PATH=` (lossy UTF-8); empty for an empty recorder buffer or a dangling slot.
    pub path: String,
    /// Whether the project lists this slot.
    pub listed: bool,
    /// The file on disk.
    pub file: Option<PathBuf>,
    /// Whether the file is missing (listed with a path that does not exist).
    pub missing: bool,
    /// Settings as written in `project.work` (`bpm_x24` or `trim_bars_x100`, `tsmode`, ...).
    pub settings: serde_json::Value,
    /// Every reference to it.
    pub uses: Vec<Usage>,
}

impl SlotInfo {
    /// Whether something plays through this slot (see [`SlotUse::audible`]: what the timeline
    /// plays, not what is only referenced).
    pub fn audible(&self) -> bool {
        self.uses.iter().any(|u| u.at.audible)
    }
}

/// Which references to list.
#[derive(Debug, Clone, Copy, Default)]
pub struct SlotsFilter {
    /// Only this bank (1-16).
    pub bank: Option<usize>,
    /// Only this part (1-4) of the bank.
    pub part: Option<u8>,
    /// Only this pattern (1-16) of the bank.
    pub pattern: Option<u8>,
}

/// The listing.
#[derive(Debug, Clone, serde::Serialize)]
pub struct SlotsReport {
    /// Project folder.
    pub project: PathBuf,
    /// Listed slots first (Flex then Static, by number), then dangling references.
    pub slots: Vec<SlotInfo>,
    /// P-lock records with their other slot byte set (bank, pattern, track, step, value).
    pub other_lock_bytes: Vec<(u8, u8, u8, u8, u8)>,
}

impl SlotsReport {
    /// Slots nothing refers to (any reference, audible or not, in either part copy).
    pub fn unused(&self) -> impl Iterator<Item = &SlotInfo> {
        self.slots.iter().filter(|s| s.listed && !s.path.is_empty() && s.uses.is_empty())
    }

    /// Listed slots whose file is missing.
    pub fn missing(&self) -> impl Iterator<Item = &SlotInfo> {
        self.slots.iter().filter(|s| s.missing)
    }

    /// Audible references to slots the project does not list (or lists with no path).
    pub fn dangling(&self) -> impl Iterator<Item = &SlotInfo> {
        self.slots
            .iter()
            .filter(|s| s.path.is_empty() && s.audible() && !(s.slot_type == SlotType::Flex && s.slot > 128))
    }
}

fn settings_json(s: &SampleSlot) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    // Every timing key the block has (other tools write both).
    for t in &s.timing {
        let key = match t {
            SampleTiming::BpmX24(_) => "bpm_x24",
            SampleTiming::TrimBarsX100(_) => "trim_bars_x100",
        };
        m.insert(key.into(), t.value().into());
    }
    for (k, v) in
        [("tsmode", s.tsmode), ("loopmode", s.loopmode), ("gain", s.gain), ("trig_quantization", s.trig_quantization)]
    {
        if let Some(v) = v {
            m.insert(k.into(), v.into());
        }
    }
    serde_json::Value::Object(m)
}

/// Lists the slots of the project in `dir` (banks read from `.work`).
pub fn list_slots(dir: &std::path::Path, filter: SlotsFilter) -> Result<SlotsReport, OtError> {
    let p = ProjectDir::open(dir)?;
    let mut slots: Vec<SlotInfo> = p
        .project
        .samples()
        .into_iter()
        .map(|s| {
            let file = p.sample_path(&s);
            SlotInfo {
                slot_type: s.slot_type,
                slot: s.slot,
                path: s.path_lossy(),
                listed: true,
                missing: file.as_ref().is_some_and(|f| !f.is_file()),
                file,
                settings: settings_json(&s),
                uses: Vec::new(),
            }
        })
        .collect();
    let mut other = Vec::new();
    let banks: Vec<usize> = match filter.bank {
        Some(b) => vec![b],
        None => (1..=16).collect(),
    };
    // `MASTER_TRACK=1`: track 8 is the master track and plays no sample.
    let master_track = p.project.setting("MASTER_TRACK") == Some(1);
    for b in banks {
        let Some(bank) = p.read_bank(b, State::Work)? else { continue };
        let refs = bank_refs_with(&bank, master_track);
        let bank_no = b as u8; // ok: 1-16
        other.extend(refs.other_lock_bytes.iter().map(|&(pa, t, s, v)| (bank_no, pa, t, s, v)));
        // With --pattern, a part's slots count when the pattern plays that part, and they play
        // only when this pattern plays them.
        let pattern_part = filter
            .pattern
            .and_then(|x| usize::from(x).checked_sub(1))
            .filter(|&i| i < 16)
            .map(|i| bank.pattern(i).part().saturating_add(1));
        for mut u in refs.uses {
            let keep = match u.site {
                Site::Part { part, .. } => match filter.pattern {
                    Some(_) => pattern_part == Some(part) && filter.part.is_none_or(|x| x == part),
                    None => filter.part.is_none_or(|x| x == part),
                },
                Site::Lock { pattern, .. } => filter.part.is_none() && filter.pattern.is_none_or(|x| x == pattern),
            };
            if !keep {
                continue;
            }
            if let Some(x) = filter.pattern {
                u.played_by &= 1u16 << (x.clamp(1, 16) - 1);
                u.audible = u.played_by != 0;
            }
            let usage = Usage { bank: bank_no, at: u };
            match slots.iter_mut().find(|s| s.slot_type == u.slot_type && s.slot == u.slot) {
                Some(s) => s.uses.push(usage),
                None => slots.push(SlotInfo {
                    slot_type: u.slot_type,
                    slot: u.slot,
                    path: String::new(),
                    listed: false,
                    file: None,
                    missing: false,
                    settings: serde_json::Value::Null,
                    uses: vec![usage],
                }),
            }
        }
    }
    slots.sort_by_key(|s| (!s.listed, s.slot_type, s.slot));
    Ok(SlotsReport { project: p.dir, slots, other_lock_bytes: other })
}

/// What `verify` reports about slot references: trigs that play slots the project does not list
/// (one line each). The device plays them as silent trigs, so `verify` makes them warnings, not
/// problems (issue 21).
pub fn verify_slot_references(dir: &std::path::Path) -> Result<Vec<String>, OtError> {
    let report = list_slots(dir, SlotsFilter::default())?;
    let mut out = Vec::new();
    for s in report.dangling() {
        let first: Vec<String> = s.uses.iter().filter(|u| u.at.audible).take(3).map(describe_use).collect();
        out.push(format!(
            "{} slot {} is used ({}{}) but the project has no sample in it: copy the bank with `groovekit ot copy-bank`, or load a sample into the slot",
            s.slot_type.describe(),
            s.slot,
            first.join("; "),
            if s.uses.iter().filter(|u| u.at.audible).count() > 3 { "; ..." } else { "" }
        ));
    }
    Ok(out)
}

/// A use in words, numbered as the device shows them.
pub fn describe_use(u: &Usage) -> String {
    match u.at.site {
        Site::Part { part, saved, track } => {
            format!("bank {} part {part}{} track {track}", u.bank, if saved { " (saved)" } else { "" })
        }
        Site::Lock { pattern, track, step } => {
            format!("bank {} pattern {pattern} track {track} step {step} lock", u.bank)
        }
    }
}
