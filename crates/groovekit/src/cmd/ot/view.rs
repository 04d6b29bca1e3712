//! `groovekit ot pattern` and `groovekit ot part`: a pattern as a grid of steps, a part as its
//! machines, slots and pages, read through the typed model (`groovekit_octatrack::Project`), with
//! the parameter names of the one table (`model::params`).

use std::fmt::Write as _;
use std::path::PathBuf;

use groovekit_octatrack::Project;
use groovekit_octatrack::model::bank::{AudioStep, Bank, MidiStep};
use groovekit_octatrack::model::project::SlotType;
use groovekit_octatrack::raw::bank::PartCopy;
use groovekit_octatrack::raw::part::fx_name;
use miette::miette;
use serde_json::json;

use crate::cmd::Outcome;

/// Pattern and part views.
#[derive(Debug, clap::Subcommand)]
pub enum ViewCommand {
    /// Show a pattern as a grid: tracks by steps, trig kinds, conditions, micro-timing and locks
    /// marked, a bar every 16 steps, track lengths.
    Pattern {
        /// The project folder.
        #[arg(value_parser = crate::cmd::args::ot_project_dir)]
        project: PathBuf,
        /// Bank 1-16 or A-P.
        #[arg(long, value_parser = crate::cmd::args::ot_bank_u8)]
        bank: u8,
        /// Pattern 1-16 (default 1, as `groovekit opz pattern`).
        #[arg(long, default_value = "1", value_parser = crate::cmd::args::ranged(1u8, 16, "pattern"))]
        pattern: u8,
        /// Also draw the grid as an SVG file.
        #[arg(long)]
        svg: Option<PathBuf>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// With --svg: show what would be written; change nothing (applied by the write layer).
        #[arg(long)]
        dry_run: bool,
    },
    /// Show a part: machines, slots with sample names, pages by parameter name.
    Part {
        /// The project folder.
        #[arg(value_parser = crate::cmd::args::ot_project_dir)]
        project: PathBuf,
        /// Bank 1-16 or A-P.
        #[arg(long, value_parser = crate::cmd::args::ot_bank_u8)]
        bank: u8,
        /// Part 1-4.
        #[arg(long, value_parser = crate::cmd::args::ranged(1u8, 4, "part"))]
        part: u8,
        /// Show the saved copy (PART > RELOAD) instead of the working one.
        #[arg(long)]
        saved: bool,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
    },
}

/// Runs a view command.
pub fn run(command: ViewCommand) -> miette::Result<Outcome> {
    match command {
        ViewCommand::Pattern { project, bank, pattern, svg, json, .. } => {
            pattern_view(&project, bank, pattern, svg, json)
        }
        ViewCommand::Part { project, bank, part, saved, json } => part_view(&project, bank, part, saved, json),
    }
}

fn open(dir: &std::path::Path) -> miette::Result<Project> {
    Project::open(dir).map_err(|e| miette!("{}: {e}", dir.display()))
}

/// The one-character mark of an audio step: `X` trig, `O` one-shot trig, `t` trigless, `.` none.
fn audio_mark(s: &AudioStep) -> char {
    match (s.trig, s.oneshot, s.trigless) {
        (true, true, _) => 'O',
        (true, false, _) => 'X',
        (false, _, true) => 't',
        _ => '.',
    }
}

fn midi_mark(s: &MidiStep) -> char {
    match (s.trig, s.trigless) {
        (true, _) => 'X',
        (false, true) => 't',
        _ => '.',
    }
}

/// The details of a step worth listing under the grid (condition, micro-timing, repeats, locks).
fn details(condition: &str, micro: i8, repeats: u8, locks: Vec<(String, u16)>) -> Vec<String> {
    let mut d = Vec::new();
    if condition != "none" {
        d.push(format!("cond {condition}"));
    }
    if micro != 0 {
        d.push(format!("micro {micro:+}/384"));
    }
    if repeats != 1 {
        d.push(format!("repeats {repeats}"));
    }
    d.extend(locks.into_iter().map(|(n, v)| format!("{n}={v}")));
    d
}

struct Row {
    label: String,
    length: u8,
    marks: Vec<char>,
    notes: Vec<(u8, Vec<String>)>,
}

fn rows(b: &Bank, p: u8) -> miette::Result<(Vec<Row>, u8, bool)> {
    let e = |e: groovekit_octatrack::OtError| miette!("{e}");
    let settings = b.pattern(p).map_err(e)?;
    let mut out = Vec::new();
    for t in 1..=8u8 {
        let len = if settings.per_track { b.audio_track(p, t).map_err(e)?.length } else { settings.master_length };
        let mut row = Row { label: format!("T{t}"), length: len, marks: Vec::new(), notes: Vec::new() };
        for s in 1..=64u8 {
            let st = b.audio_step(p, t, s).map_err(e)?;
            row.marks.push(audio_mark(&st));
            let d = details(&st.condition.name(), st.micro, st.repeats, st.locks());
            if !d.is_empty() && (st.trig || st.trigless) {
                row.notes.push((s, d));
            }
        }
        out.push(row);
    }
    for t in 1..=8u8 {
        let len = if settings.per_track { b.midi_track(p, t).map_err(e)?.length } else { settings.master_length };
        let mut row = Row { label: format!("M{t}"), length: len, marks: Vec::new(), notes: Vec::new() };
        let mut any = false;
        for s in 1..=64u8 {
            let st = b.midi_step(p, t, s).map_err(e)?;
            any |= st.trig || st.trigless;
            row.marks.push(midi_mark(&st));
            let locks = st.locks().into_iter().map(|(n, v)| (n.to_string(), u16::from(v))).collect();
            let d = details(&st.condition.name(), st.micro, st.repeats, locks);
            if !d.is_empty() && (st.trig || st.trigless) {
                row.notes.push((s, d));
            }
        }
        if any {
            out.push(row);
        }
    }
    Ok((out, settings.master_length, settings.per_track))
}

fn pattern_view(
    dir: &std::path::Path,
    bank: u8,
    pattern: u8,
    svg: Option<PathBuf>,
    as_json: bool,
) -> miette::Result<Outcome> {
    let mut project = open(dir)?;
    let b = project.bank(bank).map_err(|e| miette!("{}: {e}", dir.display()))?;
    let settings = b.pattern(pattern).map_err(|e| miette!("{e}"))?;
    let (rows, master, per_track) = rows(b, pattern)?;
    let shown = if per_track { rows.iter().map(|r| r.length).max().unwrap_or(16) } else { master }.clamp(1, 64);
    if let Some(path) = &svg {
        let text = svg_grid(&rows, usize::from(shown), bank, pattern);
        groovekit_core::fs::write_atomic(path, text.as_bytes()).map_err(|e| miette!("{e}"))?;
    }
    if as_json {
        let tracks: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| {
                json!({
                    "track": r.label,
                    "length": r.length,
                    "steps": r.marks.iter().take(usize::from(shown)).collect::<String>(),
                    "details": r.notes.iter().map(|(s, d)| json!({"step": s, "details": d})).collect::<Vec<_>>(),
                })
            })
            .collect();
        let v = json!({
            "bank": bank, "pattern": pattern, "part": settings.part, "master_length": master,
            "per_track": per_track, "tempo": settings.tempo, "tracks": tracks,
        });
        println!("{}", serde_json::to_string_pretty(&v).map_err(|e| miette!("{e}"))?);
        return Ok(Outcome::Ok);
    }
    let mut text = format!(
        "bank {bank} pattern {pattern}: part {}, length {master}{}, tempo {} BPM\n",
        settings.part,
        if per_track { " (per-track scale)" } else { "" },
        settings.tempo
    );
    text.push_str("X trig, O one-shot, t trigless, . none, lower case past the track length; | every 16 steps\n");
    for line in ruler(shown) {
        let _ = writeln!(text, "{}", line.trim_end());
    }
    for r in &rows {
        let mut line = format!("{:<4} ", r.label);
        for (i, m) in r.marks.iter().take(usize::from(shown)).enumerate() {
            if i > 0 && i % 16 == 0 {
                line.push('|');
            }
            // Past the track's length the device does not play: trigs there are shown in lower
            // case, empty steps blank.
            line.push(match (i >= usize::from(r.length), *m) {
                (false, c) => c,
                (true, '.') => ' ',
                (true, c) => c.to_ascii_lowercase(),
            });
        }
        let _ = writeln!(text, "{line}  len {}", r.length);
    }
    for r in &rows {
        for (s, d) in &r.notes {
            let _ = writeln!(text, "{} step {s}: {}", r.label, d.join(", "));
        }
    }
    print!("{text}");
    Ok(Outcome::Ok)
}

/// The step ruler above the grid: every step's number written downwards, tens over units
/// (`1` over `0` is step 10), with the page breaks of the grid, so each column reads as its step
/// number for all 64 steps.
fn ruler(shown: u8) -> [String; 2] {
    let (mut tens, mut units) = (String::from("     "), String::from("     "));
    for s in 1..=shown {
        if s > 1 && (s - 1) % 16 == 0 {
            tens.push('|');
            units.push('|');
        }
        tens.push(if s >= 10 { char::from(b'0' + s / 10) } else { ' ' });
        units.push(char::from(b'0' + s % 10));
    }
    [tens, units]
}

/// The grid as SVG: a cell per step, filled by trig kind, a dot for steps with details.
fn svg_grid(rows: &[Row], shown: usize, bank: u8, pattern: u8) -> String {
    let (cell, left, top) = (18usize, 40usize, 30usize);
    let gap = |i: usize| (i / 16) * 6;
    let width = left + shown * cell + gap(shown.saturating_sub(1)) + 80;
    let height = top + rows.len() * cell + 10;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" font-family=\"monospace\" font-size=\"11\">\n\
         <text x=\"4\" y=\"14\">bank {bank} pattern {pattern}</text>\n"
    );
    for (ri, r) in rows.iter().enumerate() {
        let y = top + ri * cell;
        let _ = writeln!(s, "<text x=\"4\" y=\"{}\">{}</text>", y + 13, r.label);
        let noted: Vec<u8> = r.notes.iter().map(|(st, _)| *st).collect();
        for (i, m) in r.marks.iter().take(shown).enumerate() {
            let x = left + i * cell + gap(i);
            let fill = match (i < usize::from(r.length), m) {
                (false, _) => "#f4f4f4",
                (true, 'X') => "#d33",
                (true, 'O') => "#e80",
                (true, 't') => "#59c",
                _ => "#ddd",
            };
            let _ = writeln!(
                s,
                "<rect x=\"{x}\" y=\"{y}\" width=\"{}\" height=\"{}\" fill=\"{fill}\"><title>{} step {}</title></rect>",
                cell - 2,
                cell - 2,
                r.label,
                i + 1
            );
            if noted.contains(&((i + 1) as u8)) {
                let _ = writeln!(
                    s,
                    "<circle cx=\"{}\" cy=\"{}\" r=\"3\" fill=\"#000\"/>",
                    x + cell / 2 - 1,
                    y + cell / 2 - 1
                );
            }
        }
        let x = left + shown * cell + gap(shown.saturating_sub(1)) + 6;
        let _ = writeln!(s, "<text x=\"{x}\" y=\"{}\">len {}</text>", y + 13, r.length);
    }
    s.push_str("</svg>\n");
    s
}

fn part_view(dir: &std::path::Path, bank: u8, part: u8, saved: bool, as_json: bool) -> miette::Result<Outcome> {
    let mut project = open(dir)?;
    let samples = project.samples();
    let name_of = |pool: SlotType, slot: u16| {
        samples.iter().find(|s| s.slot_type == pool && s.slot == slot).map(|s| s.path_lossy())
    };
    let b = project.bank(bank).map_err(|e| miette!("{}: {e}", dir.display()))?;
    let copy = if saved { PartCopy::Saved } else { PartCopy::Working };
    let e = |e: groovekit_octatrack::OtError| miette!("{e}");
    let mut text = format!(
        "bank {bank} part {part} {:?} ({} copy)\n",
        b.part_name(part).map_err(e)?,
        if saved { "saved" } else { "working" }
    );
    let mut tracks = Vec::new();
    for t in 1..=8u8 {
        let pt = b.part_track(part, copy, t).map_err(e)?;
        let machine = pt.machine_type().map_or_else(|| format!("#{}", pt.machine), |m| m.name().to_string());
        let (pool, slot) = match pt.machine_type() {
            Some(groovekit_octatrack::raw::part::MachineType::Static) => (Some(SlotType::Static), pt.static_slot),
            Some(groovekit_octatrack::raw::part::MachineType::Flex) => (Some(SlotType::Flex), pt.flex_slot),
            _ => (None, 0),
        };
        let sample = pool.and_then(|p| name_of(p, slot));
        // Every page of the track by name: the machine's SRC and SRC setup, then the pages
        // every machine has, in the device's order (other machines' pages are kept in the file
        // but not shown).
        let page_names =
            ["src", "setup", "amp", "amp_setup", "lfo", "lfo_setup", "fx1", "fx1_setup", "fx2", "fx2_setup", "rec"];
        let pages: Vec<Vec<(String, u8)>> = page_names.iter().map(|p| pt.page(p)).filter(|v| !v.is_empty()).collect();
        let _ = writeln!(
            text,
            "T{t} {machine:<8} {} fx1 {} fx2 {}  vol {}/{}",
            match pool {
                Some(p) =>
                    format!("{} slot {slot:>3} {}", p.describe(), sample.clone().unwrap_or_else(|| "(empty)".into())),
                None => String::from("-"),
            },
            fx_name(pt.fx1),
            fx_name(pt.fx2),
            pt.volume.0,
            pt.volume.1
        );
        for page in &pages {
            let _ = writeln!(text, "   {}", page.iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join(" "));
        }
        tracks.push(json!({
            "track": t, "machine": machine, "fx1": fx_name(pt.fx1), "fx2": fx_name(pt.fx2),
            "volume": [pt.volume.0, pt.volume.1], "static_slot": pt.static_slot, "flex_slot": pt.flex_slot,
            "recorder_slot": pt.recorder_slot, "sample": sample,
            "pages": pages.iter().flatten().map(|(n, v)| (n.clone(), json!(v))).collect::<serde_json::Map<_, _>>(),
            "lfo_design": pt.page("lfo_design").iter().map(|(_, v)| *v).collect::<Vec<_>>(),
        }));
    }
    let mut midi = Vec::new();
    for t in 1..=8u8 {
        let m = b.midi_part_track(part, copy, t).map_err(e)?;
        let _ = writeln!(
            text,
            "M{t} channel {} note {} velocity {}{}{}",
            m.channel,
            m.note,
            m.velocity,
            m.bank.map(|x| format!(" bank {x}")).unwrap_or_default(),
            m.program.map(|x| format!(" program {x}")).unwrap_or_default()
        );
        let shown: Vec<(String, u16)> = m
            .params()
            .into_iter()
            .filter(|(n, _)| ["arp.", "arp_setup.", "ctrl1_setup.", "ctrl2_setup."].iter().any(|p| n.starts_with(p)))
            .filter(|(n, _)| !n.contains(".p"))
            .collect();
        let _ = writeln!(text, "   {}", shown.iter().map(|(n, v)| format!("{n}={v}")).collect::<Vec<_>>().join(" "));
        midi.push(json!({"track": t, "channel": m.channel, "note": m.note, "velocity": m.velocity,
            "bank": m.bank, "program": m.program,
            "pages": m.params().into_iter().map(|(n, v)| (n, json!(v))).collect::<serde_json::Map<_, _>>()}));
    }
    if as_json {
        let v = json!({"bank": bank, "part": part, "copy": if saved { "saved" } else { "working" },
            "name": b.part_name(part).map_err(e)?, "tracks": tracks, "midi_tracks": midi});
        println!("{}", serde_json::to_string_pretty(&v).map_err(|e| miette!("{e}"))?);
    } else {
        print!("{text}");
    }
    Ok(Outcome::Ok)
}
