//! Pattern views: a step grid per track as terminal text or as SVG, with notes, step components
//! and parameter locks. The library builds strings; the CLI prints or writes them.

use std::fmt::Write as _;

use crate::OpzError;
use crate::human::note_name;
use crate::midi::TICKS_PER_STEP;
use crate::model::{self, Component, Project, Spark, Step, TRACK_NAMES, sound_param_names};
use crate::raw::{STEPS, TRACKS};

/// One-letter codes of the step components in the grid (bit order).
pub const COMPONENT_CODES: [char; 14] = ['P', 'S', 'J', 'V', 'U', 'D', 'R', 'G', 'M', 'W', 'H', 'N', 'T', 'C'];

/// Everything the grid shows about one step of one track.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Cell {
    /// Notes: (note number, velocity, length in ticks, micro).
    pub notes: Vec<(u8, u8, i32, i8)>,
    /// Enabled components with their parameter bytes.
    pub components: Vec<(Component, u8)>,
    /// Parameter locks: (sound parameter index, value).
    pub locks: Vec<(usize, u8)>,
    /// Whether the step is past the track's step count (it does not play).
    pub inactive: bool,
}

/// A track row of the grid.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// Track index.
    pub track: usize,
    /// Step count.
    pub step_count: u8,
    /// Step length in 1/16.
    pub step_length: u8,
    /// Whether the track is muted in the pattern's active mute group (the device does not play it).
    pub muted: bool,
    /// The 16 cells.
    pub cells: Vec<Cell>,
}

impl Row {
    /// Whether the track has notes, components or locks.
    pub fn has_content(&self) -> bool {
        self.cells.iter().any(|c| !c.notes.is_empty() || !c.components.is_empty() || !c.locks.is_empty())
    }
}

/// The grid of pattern `p` (0-based).
pub fn grid(project: &Project, p: usize) -> Result<Vec<Row>, OpzError> {
    let mut rows = Vec::with_capacity(TRACKS);
    for t in 0..TRACKS {
        let settings = project.track(p, t)?;
        let mut cells = vec![Cell::default(); STEPS];
        for n in project.notes(p, t)? {
            if let Some(c) = cells.get_mut(n.step) {
                c.notes.push((n.slot.note, n.slot.velocity, n.slot.duration, n.slot.micro));
            }
        }
        for (s, cell) in cells.iter_mut().enumerate() {
            let step: Step = project.step(p, t, s)?;
            cell.components = step.components();
            cell.locks = step.locks();
            cell.inactive = s >= usize::from(settings.step_count);
        }
        rows.push(Row {
            track: t,
            step_count: settings.step_count,
            step_length: settings.step_length,
            muted: project.muted(p, t)?,
            cells,
        });
    }
    Ok(rows)
}

fn component_text(c: Component, v: u8) -> String {
    if c.is_spark() { format!("{} {}", c.name(), Spark::from_byte(v).describe()) } else { format!("{} {v}", c.name()) }
}

/// A note length for people: sixteenths (whatever the track's step length) and the stored ticks,
/// e.g. "6 sixteenths (18432 ticks)".
pub fn length_text(ticks: i32) -> String {
    let sixteenths = f64::from(ticks) / f64::from(TICKS_PER_STEP);
    let n = format!("{sixteenths:.2}").trim_end_matches('0').trim_end_matches('.').to_string();
    let unit = if n == "1" { "sixteenth" } else { "sixteenths" };
    format!("{n} {unit} ({ticks} ticks)")
}

/// The terminal grid of pattern `p`: a header, a row per track with content (all tracks with
/// `all`), a component/lock line under rows that have them, and the details of every step.
pub fn text(project: &Project, p: usize, all: bool) -> Result<String, OpzError> {
    let rows = grid(project, p)?;
    let mut out = String::new();
    let chain: Vec<String> = project.chain(15).iter().map(|e| (e + 1).to_string()).collect();
    let h = project.header();
    let selected = h.selected_chain().map_or("none".to_string(), |c| (c + 1).to_string());
    let _ = writeln!(
        out,
        "pattern {} - tempo {} BPM - swing {} - playing chain: {} - selected saved chain: {selected}",
        p + 1,
        project.tempo(),
        h.swing,
        if chain.is_empty() { "(empty)".to_string() } else { chain.join(" ") }
    );
    let _ = write!(out, "{:<8} {:>5}  ", "track", "steps");
    for s in 1..=STEPS {
        let _ = write!(out, "{s:<6}");
    }
    out.push('\n');
    let mut details = String::new();
    for row in rows.iter().filter(|r| all || r.has_content()) {
        let name = model::track_name(row.track);
        let params = sound_param_names(row.track);
        let mark = if row.muted { '*' } else { ' ' };
        let _ = write!(out, "{name:<8} {:>5}{mark} ", format!("{}x{}", row.step_count, row.step_length));
        for cell in &row.cells {
            let text = match cell.notes.as_slice() {
                [] if cell.inactive => "-".to_string(),
                [] => ".".to_string(),
                [(n, ..)] => note_name(*n),
                [(n, ..), rest @ ..] => format!("{}+{}", note_name(*n), rest.len()),
            };
            let _ = write!(out, "{text:<6}");
        }
        out.push('\n');
        if row.cells.iter().any(|c| !c.components.is_empty() || !c.locks.is_empty()) {
            let _ = write!(out, "{:<8} {:>5}  ", "", "");
            for cell in &row.cells {
                let mut code: String = cell.components.iter().map(|(c, _)| COMPONENT_CODES[c.bit()]).collect();
                if !cell.locks.is_empty() {
                    code.push('L');
                }
                if code.is_empty() {
                    code.push(' ');
                }
                let _ = write!(out, "{:<6}", code.chars().take(5).collect::<String>());
            }
            out.push('\n');
        }
        for (s, cell) in row.cells.iter().enumerate() {
            let mut parts: Vec<String> = cell
                .notes
                .iter()
                .map(|&(n, v, d, m)| {
                    format!(
                        "{} vel {v} len {}{}",
                        note_name(n),
                        length_text(d),
                        if m != 0 { format!(" micro {m:+}") } else { String::new() }
                    )
                })
                .collect();
            parts.extend(cell.components.iter().map(|&(c, v)| component_text(c, v)));
            parts.extend(cell.locks.iter().map(|&(i, v)| format!("lock {}={v}", params[i])));
            if !parts.is_empty() {
                let _ = writeln!(details, "  {name} step {}: {}", s + 1, parts.join("; "));
            }
        }
        if row.muted && row.has_content() {
            let _ = writeln!(details, "  {name}: muted (the device does not play it)");
        }
    }
    out.push_str(
        "\n. empty step, - past the step count, * muted track; steps x step length in sixteenths; components: ",
    );
    for c in Component::ALL {
        let _ = write!(out, "{}={} ", COMPONENT_CODES[c.bit()], c.name());
    }
    out.push_str("L=parameter lock\n");
    if !details.is_empty() {
        out.push_str("\nsteps (note lengths in sixteenths, 3072 ticks each):\n");
        out.push_str(&details);
    }
    Ok(out)
}

/// The pattern as JSON (`opz pattern --json`): tracks with their settings, mute state, notes
/// (length in ticks and sixteenths), components and locks by the track type's parameter names.
pub fn json(project: &Project, p: usize, all: bool) -> Result<serde_json::Value, OpzError> {
    let rows = grid(project, p)?;
    let h = project.header();
    let tracks: Vec<serde_json::Value> = rows
        .iter()
        .filter(|r| all || r.has_content())
        .map(|row| {
            let params = sound_param_names(row.track);
            let steps: Vec<serde_json::Value> = row
                .cells
                .iter()
                .enumerate()
                .filter(|(_, c)| !c.notes.is_empty() || !c.components.is_empty() || !c.locks.is_empty())
                .map(|(s, c)| {
                    serde_json::json!({
                        "step": s + 1,
                        "plays": !c.inactive,
                        "notes": c.notes.iter().map(|&(n, v, d, m)| serde_json::json!({
                            "note": note_name(n), "number": n, "velocity": v, "length_ticks": d,
                            "length_sixteenths": f64::from(d) / f64::from(TICKS_PER_STEP), "micro": m,
                        })).collect::<Vec<_>>(),
                        "components": c.components.iter().map(|&(comp, v)| serde_json::json!({
                            "component": comp.name(), "value": v, "text": component_text(comp, v),
                        })).collect::<Vec<_>>(),
                        "locks": c.locks.iter().map(|&(i, v)| serde_json::json!({
                            "parameter": params[i], "value": v,
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            serde_json::json!({
                "track": model::track_name(row.track),
                "number": row.track + 1,
                "step_count": row.step_count,
                "step_length_sixteenths": row.step_length,
                "muted": row.muted,
                "steps": steps,
            })
        })
        .collect();
    Ok(serde_json::json!({
        "pattern": p + 1,
        "tempo": project.tempo(),
        "swing": h.swing,
        "playing_chain": project.chain(15).iter().map(|e| e + 1).collect::<Vec<_>>(),
        "selected_chain": h.selected_chain().map(|c| c + 1),
        "tracks": tracks,
    }))
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// The SVG drawing of pattern `p`: one row per track (all 16), one column per step; notes as
/// filled cells labelled with the note name (velocity as opacity, micro-timing as a tick),
/// component codes in orange and parameter locks as a blue bar, steps past the step count hatched.
pub fn svg(project: &Project, p: usize) -> Result<String, OpzError> {
    let rows = grid(project, p)?;
    let (left, top, cw, ch) = (96.0f64, 56.0f64, 52.0f64, 34.0f64);
    let width = left + cw * STEPS as f64 + 16.0;
    let height = top + ch * TRACKS as f64 + 52.0;
    let mut s = String::new();
    let _ = writeln!(
        s,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="monospace" font-size="11">"##
    );
    let _ = writeln!(s, r##"<rect width="100%" height="100%" fill="#ffffff"/>"##);
    let _ = writeln!(
        s,
        r##"<text x="8" y="22" font-size="15" font-weight="bold">OP-Z pattern {} - {} BPM</text>"##,
        p + 1,
        project.tempo()
    );
    for st in 0..STEPS {
        let x = left + cw * st as f64;
        let _ = writeln!(
            s,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#555">{}</text>"##,
            x + cw / 2.0,
            top - 8.0,
            st + 1
        );
    }
    for row in &rows {
        let y = top + ch * row.track as f64;
        let _ = writeln!(
            s,
            r##"<text x="8" y="{:.1}">{}</text><text x="8" y="{:.1}" font-size="9" fill="#777">{}x{}</text>"##,
            y + 14.0,
            TRACK_NAMES[row.track],
            y + 26.0,
            row.step_count,
            row.step_length
        );
        for (st, cell) in row.cells.iter().enumerate() {
            let x = left + cw * st as f64;
            let base = if cell.inactive {
                "#d4d4d4"
            } else if st % 4 == 0 {
                "#f2f2f2"
            } else {
                "#fafafa"
            };
            let _ = writeln!(
                s,
                r##"<rect x="{x:.1}" y="{y:.1}" width="{:.1}" height="{:.1}" fill="{base}" stroke="#cccccc"/>"##,
                cw - 1.0,
                ch - 1.0
            );
            if let Some(&(n, v, _, m)) = cell.notes.first() {
                let opacity = 0.35 + 0.65 * f64::from(v.min(127)) / 127.0;
                let _ = writeln!(
                    s,
                    r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" rx="3" fill="#2a7fd4" fill-opacity="{opacity:.2}"/>"##,
                    x + 3.0,
                    y + 3.0,
                    cw - 7.0,
                    ch - 16.0
                );
                let label = match cell.notes.len() {
                    1 => note_name(n),
                    k => format!("{}+{}", note_name(n), k - 1),
                };
                let _ = writeln!(
                    s,
                    r##"<text x="{:.1}" y="{:.1}" fill="#ffffff" text-anchor="middle">{}</text>"##,
                    x + cw / 2.0,
                    y + 15.0,
                    esc(&label)
                );
                if m != 0 {
                    // Micro-timing: a tick under the note, offset from the step's centre by
                    // micro/192 of a step (half a cell at the extremes).
                    let mx = x + cw / 2.0 + f64::from(m) / 192.0 * (cw - 8.0);
                    let _ = writeln!(
                        s,
                        r##"<line x1="{mx:.1}" y1="{:.1}" x2="{mx:.1}" y2="{:.1}" stroke="#1b4f86" stroke-width="2"/>"##,
                        y + ch - 13.0,
                        y + ch - 9.0
                    );
                }
            }
            let codes: String = cell.components.iter().map(|(c, _)| COMPONENT_CODES[c.bit()]).collect();
            if !codes.is_empty() {
                let _ = writeln!(
                    s,
                    r##"<text x="{:.1}" y="{:.1}" font-size="9" fill="#d46a00">{}</text>"##,
                    x + 3.0,
                    y + ch - 4.0,
                    esc(&codes)
                );
            }
            if !cell.locks.is_empty() {
                let _ = writeln!(
                    s,
                    r##"<rect x="{:.1}" y="{:.1}" width="{:.1}" height="4" fill="#7b3fc4"><title>{}</title></rect>"##,
                    x + cw - 16.0,
                    y + ch - 9.0,
                    12.0,
                    esc(&cell
                        .locks
                        .iter()
                        .map(|&(i, v)| format!("{}={v}", sound_param_names(row.track)[i]))
                        .collect::<Vec<_>>()
                        .join(" "))
                );
            }
        }
    }
    let legend_y = top + ch * TRACKS as f64 + 24.0;
    let legend: Vec<String> =
        Component::ALL.iter().map(|c| format!("{}={}", COMPONENT_CODES[c.bit()], c.name())).collect();
    let _ = writeln!(
        s,
        r##"<text x="8" y="{legend_y:.1}" font-size="9" fill="#555">components: {}</text>"##,
        legend.join(" ")
    );
    let _ = writeln!(
        s,
        r##"<text x="8" y="{:.1}" font-size="9" fill="#555">purple bar: parameter locks - dark tick: micro-timing - darker cells: past the step count - opacity: velocity</text>"##,
        legend_y + 14.0
    );
    s.push_str("</svg>\n");
    Ok(s)
}

#[cfg(test)]
#[path = "view_tests.rs"]
mod tests;
