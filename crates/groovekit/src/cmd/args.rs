//! Argument values shared by every command, checked in one place.
//!
//! A value outside its range is a usage error: clap prints it with the option's name and the
//! command exits 2, before any file is read. Use these parsers with `#[arg(value_parser =
//! args::rate)]` (or the `u*`/`i*` range helpers) rather than checking a value inside a command.
//! A check that needs the input file (a channel the module does not have) cannot run in clap:
//! it returns [`usage`], which `main` also maps to exit 2.

use std::fmt;
use std::ops::RangeInclusive;

/// Lowest output sample rate of a render, in Hz (the `.track` renderer's limit, shared by all).
pub const MIN_RATE: u32 = groovekit_track::render::MIN_RATE;
/// Highest output sample rate of a render, in Hz.
pub const MAX_RATE: u32 = groovekit_track::render::MAX_RATE;

/// An error in the arguments that only the command could see (it needed the input): exit 2.
#[derive(Debug)]
pub struct Usage(pub String);

impl fmt::Display for Usage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Usage {}

/// The command that runs (`groovekit ot slots`), named in the help of a [`Usage`] error.
static COMMAND: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Records the command that runs (`main` does, once the arguments are parsed).
pub fn set_command(path: String) {
    let _ = COMMAND.set(path);
}

/// A usage error found by the command has the same `help:` line as clap's (issue 24: one error
/// style; see `arg_errors.rs`).
impl miette::Diagnostic for Usage {
    fn help<'a>(&'a self) -> Option<Box<dyn fmt::Display + 'a>> {
        let command = COMMAND.get()?;
        Some(Box::new(format!("`{command} --help` shows every option")))
    }
}

/// A usage error (exit 2) with `message`.
pub fn usage(message: impl Into<String>) -> miette::Report {
    miette::Report::new(Usage(message.into()))
}

/// Whether `report` is a usage error (exit 2).
pub fn is_usage(report: &miette::Report) -> bool {
    report.downcast_ref::<Usage>().is_some()
}

/// A range as musicians write it: `1-16`, or `-96 to 95` when an end is negative (issue 24).
pub fn range_text<T: fmt::Display>(low: T, high: T) -> String {
    let (low, high) = (low.to_string(), high.to_string());
    if low.starts_with('-') || high.starts_with('-') { format!("{low} to {high}") } else { format!("{low}-{high}") }
}

/// A number in `range`, with the range in the error.
fn in_range<T>(s: &str, range: RangeInclusive<T>, what: &str) -> Result<T, String>
where
    T: std::str::FromStr + PartialOrd + fmt::Display + Copy,
{
    let span = || range_text(*range.start(), *range.end());
    let v: T = s.trim().parse().map_err(|_| format!("`{s}` is not a number ({what}: {})", span()))?;
    if range.contains(&v) { Ok(v) } else { Err(format!("{v} is outside {} ({what})", span())) }
}

/// A clap value parser for a whole number from `low` to `high` (`#[arg(value_parser =
/// args::ranged(1u8, 16, "pattern"))]`): the error names the range as `1-16`, and clap exits 2.
pub fn ranged<T>(low: T, high: T, what: &'static str) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync
where
    T: std::str::FromStr + PartialOrd + fmt::Display + Copy + Send + Sync + 'static,
{
    move |s: &str| in_range(s, low..=high, what)
}

/// A floating-point number in `range` (NaN and infinities refused).
fn f64_in(s: &str, range: RangeInclusive<f64>, what: &str) -> Result<f64, String> {
    let v = in_range(s, range, what)?;
    if v.is_finite() { Ok(v) } else { Err(format!("`{s}` is not a finite number")) }
}

/// `--rate`: an output sample rate in Hz.
pub fn rate(s: &str) -> Result<u32, String> {
    in_range(s, MIN_RATE..=MAX_RATE, "sample rate in Hz")
}

/// A slice count of an Octatrack `.ot` (the device holds 64 slices).
pub fn ot_slice_count(s: &str) -> Result<usize, String> {
    in_range(s, 1..=64, "slices")
}

/// An Octatrack tempo in BPM (the device's range).
pub fn ot_bpm(s: &str) -> Result<f64, String> {
    f64_in(s, 30.0..=300.0, "Octatrack tempo in BPM")
}

/// An Octatrack sample gain in dB, in 0.5 dB steps.
pub fn ot_gain_db(s: &str) -> Result<f64, String> {
    let v = f64_in(s, -24.0..=24.0, "gain in dB")?;
    if ((v * 2.0).round() - v * 2.0).abs() > 1e-9 {
        return Err(format!("{v} is not a multiple of 0.5 dB"));
    }
    Ok(v)
}

/// A percentage, 0-100.
pub fn percent(s: &str) -> Result<f64, String> {
    f64_in(s, 0.0..=100.0, "percent")
}

/// A bit depth the Octatrack plays: 16 or 24.
pub fn ot_bit_depth(s: &str) -> Result<u16, String> {
    match s.trim() {
        "16" => Ok(16),
        "24" => Ok(24),
        _ => Err(format!("`{s}`: the Octatrack plays 16 or 24 bits")),
    }
}

/// An Octatrack trig quantisation: `direct`, `pattern-length` or a step count the device offers.
pub fn ot_trig_quant(s: &str) -> Result<String, String> {
    use groovekit_octatrack::human::sample_settings::{Mode, parse_trig_quant};
    use groovekit_octatrack::model::sample_settings::TrigQuant;
    match parse_trig_quant(&Mode::Name(s.to_string())) {
        Ok(TrigQuant::Other(_)) | Err(_) => Err(format!(
            "`{s}`: use direct, pattern-length or 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128, 192, 256"
        )),
        Ok(_) => Ok(s.to_string()),
    }
}

/// A width of a chain preview, in pixels.
pub fn preview_width(s: &str) -> Result<usize, String> {
    in_range(s, 16..=16_384, "width in pixels")
}

/// A height of a chain preview, in pixels.
pub fn preview_height(s: &str) -> Result<usize, String> {
    in_range(s, 40..=4096, "height in pixels")
}

/// An Octatrack bank: 1-16, or the letter A-P the device shows.
pub fn ot_bank(s: &str) -> Result<usize, String> {
    let t = s.trim();
    if let [c] = t.as_bytes()
        && c.is_ascii_alphabetic()
    {
        let n = usize::from(c.to_ascii_uppercase() - b'A') + 1;
        return if n <= 16 { Ok(n) } else { Err(format!("`{s}`: banks are A-P (or 1-16)")) };
    }
    in_range(t, 1..=16, "bank, or A-P")
}

/// An Octatrack bank as a `u8` (1-16 or A-P), for commands that keep banks in bytes.
pub fn ot_bank_u8(s: &str) -> Result<u8, String> {
    ot_bank(s).and_then(|n| u8::try_from(n).map_err(|e| e.to_string()))
}

/// What a file is, by its name, for the hint of [`ot_project_dir`].
fn file_kind_by_name(path: &std::path::Path) -> &'static str {
    let name = path.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase()).unwrap_or_default();
    let stem = name.split('.').next().unwrap_or_default();
    let numbered =
        |prefix: &str| stem.strip_prefix(prefix).is_some_and(|n| n.len() == 2 && n.bytes().all(|b| b.is_ascii_digit()));
    if numbered("bank") {
        "an Octatrack bank file"
    } else if numbered("arr") {
        "an Octatrack arrangement file"
    } else if stem == "markers" {
        "the project's markers file"
    } else if stem == "project" {
        "the project file"
    } else if name.ends_with(".ot") {
        "a sample settings file"
    } else {
        "a file"
    }
}

/// An Octatrack project folder (or Set) argument: a file given where the folder belongs
/// (`MYSET/MYPROJECT/bank01.work`) is a usage error whose hint names the folder (issue 24).
pub fn ot_project_dir(s: &str) -> Result<std::path::PathBuf, String> {
    let p = std::path::PathBuf::from(s);
    if !p.is_file() {
        return Ok(p);
    }
    let parent = match p.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.display().to_string(),
        _ => ".".to_string(),
    };
    Err(format!("`{s}` is {}; give its project folder, {parent}", file_kind_by_name(&p)))
}

/// A place in an Octatrack project: `PROJECT:BANK[:N[:M]]` (numbers from 1, as the device shows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OtAt {
    /// The project folder.
    pub project: std::path::PathBuf,
    /// Bank, 1-16.
    pub bank: usize,
    /// The numbers after the bank (pattern, part, track), checked against their ranges.
    pub numbers: Vec<usize>,
}

/// Parses `PROJECT:BANK:...` with one number per `(name, max)` after the bank (the project
/// folder may itself hold colons: the numbers are taken from the right).
fn ot_at(s: &str, names: &[(&str, usize)]) -> Result<OtAt, String> {
    let shape: String = names.iter().map(|(n, _)| format!(":{}", n.to_uppercase())).collect();
    let bad = || format!("`{s}`: expected PROJECT:BANK{shape} (e.g. `SET/LIVE:A{}`)", ":1".repeat(names.len()));
    let mut parts: Vec<&str> = s.rsplitn(names.len() + 2, ':').collect();
    if parts.len() != names.len() + 2 {
        return Err(bad());
    }
    parts.reverse();
    let project = parts.first().filter(|p| !p.is_empty()).ok_or_else(bad)?;
    ot_project_dir(project)?;
    let bank = ot_bank(parts.get(1).ok_or_else(bad)?).map_err(|e| format!("`{s}`: {e}"))?;
    let mut numbers = Vec::new();
    for ((name, max), v) in names.iter().zip(parts.iter().skip(2)) {
        numbers.push(in_range(v, 1..=*max, name).map_err(|e| format!("`{s}`: {e}"))?);
    }
    Ok(OtAt { project: project.into(), bank, numbers })
}

/// `PROJECT:BANK:PATTERN` (pattern 1-16).
pub fn ot_pattern_at(s: &str) -> Result<OtAt, String> {
    ot_at(s, &[("pattern", 16)])
}

/// `PROJECT:BANK:PART` (part 1-4).
pub fn ot_part_at(s: &str) -> Result<OtAt, String> {
    ot_at(s, &[("part", 4)])
}

/// `PROJECT:BANK:PATTERN:TRACK` (pattern 1-16, track 1-8).
pub fn ot_track_at(s: &str) -> Result<OtAt, String> {
    ot_at(s, &[("pattern", 16), ("track", 8)])
}

/// An Octatrack sample slot, 1-128.
pub fn ot_slot(s: &str) -> Result<u16, String> {
    in_range(s, 1..=128, "sample slot")
}

/// A list of sample slots: `1-4,9` (ranges and single slots, 1-128).
pub fn ot_slot_list(s: &str) -> Result<Vec<u16>, String> {
    let mut out = Vec::new();
    for item in s.split(',').map(str::trim).filter(|x| !x.is_empty()) {
        match item.split_once('-') {
            Some((a, b)) => {
                let (a, b) = (ot_slot(a)?, ot_slot(b)?);
                if a > b {
                    return Err(format!("`{item}`: a range goes from low to high"));
                }
                out.extend(a..=b);
            }
            None => out.push(ot_slot(item)?),
        }
    }
    if out.is_empty() {
        return Err(format!("`{s}`: no slot (e.g. `1-4,9`)"));
    }
    out.sort_unstable();
    out.dedup();
    Ok(out)
}

/// Counts in words that agree in number: `count(1, "problem")` is "1 problem", `count(2,
/// "problem")` "2 problems" (nouns whose plural is `+s`).
pub fn count(n: usize, noun: &str) -> String {
    if n == 1 { format!("1 {noun}") } else { format!("{n} {noun}s") }
}

/// An age such as `30d`, `12h`, `2w`, `90m` or `45s` (`--older-than`), in seconds: a whole number
/// of 1 to 100 000 with one unit (s, m, h, d, w).
pub fn age(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (num, unit) = t.split_at(split);
    let n: u64 = num.parse().map_err(|_| format!("`{s}`: expected a number with a unit, such as 30d or 12h"))?;
    if !(1..=100_000).contains(&n) {
        return Err(format!("`{s}`: the number must be 1-100000"));
    }
    let per = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 604_800,
        _ => return Err(format!("`{s}`: the unit must be s, m, h, d or w (30d = 30 days)")),
    };
    Ok(n * per)
}

#[cfg(test)]
#[path = "args_tests.rs"]
mod tests;
