//! Amiga Oktalyzer: the handler for the generic commands and the `groovekit okt ...` subcommands.

use std::path::{Path, PathBuf};

use groovekit_audio::mix::Interpolation;
use groovekit_okt::human::{self, DataRef};
use groovekit_okt::model::{Module, Warning, note_name};
use groovekit_okt::render::{self, Compat, RenderOptions};
use miette::{IntoDiagnostic, WrapErr, miette};

use super::{Handler, Inspection, Outcome, Problem, RenderArgs, VerifyReport, read_file};

/// `groovekit okt ...` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum OktCommand {
    /// Write every non-empty sample as a WAV file (16-bit, the 8-bit data shifted exactly; loop
    /// points in a `smpl` chunk). Files are named `NN-name.wav` (NN = 0-based sample number).
    Samples {
        /// The module.
        module: PathBuf,
        /// The folder to write into (created if missing).
        #[arg(short, long)]
        output: PathBuf,
    },
    /// Print the replayer's state for every tick and channel: order, row, tick, note, period,
    /// volume, sample and play position.
    Trace {
        /// The module.
        module: PathBuf,
        /// The order position to start at.
        #[arg(long, default_value_t = 0)]
        from: usize,
        /// Stop after this many ticks (default: the whole song, played once).
        #[arg(long)]
        ticks: Option<u64>,
        /// Print JSON (one array of ticks).
        #[arg(long)]
        json: bool,
    },
}

/// Runs a `groovekit okt` subcommand.
pub fn run(command: OktCommand) -> miette::Result<Outcome> {
    match command {
        OktCommand::Samples { module, output } => samples(&module, &output),
        OktCommand::Trace { module, from, ticks, json } => trace(&module, from, ticks, json),
    }
}

/// Render options that only this format uses.
#[derive(Debug, Clone, clap::Args)]
pub struct OktRenderOpts {
    /// How voices are resampled: nearest, linear, cubic or sinc.
    #[arg(long, default_value = "linear", value_name = "nearest|linear|cubic|sinc")]
    pub interpolation: Interpolation,
    /// Stereo separation in percent (100 = hard left/right as on the Amiga: channels L R R L).
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u8).range(0..=100))]
    pub stereo_separation: u8,
    /// Output channels: 1 (mono) or 2 (stereo).
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u16).range(1..=2))]
    pub channels: u16,
    /// How many times to play the song (each pass ends at the first revisited position).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=100))]
    pub loops: u32,
    /// Play only these logical channels (0-based, repeatable).
    #[arg(long, value_name = "CHANNEL")]
    pub solo: Vec<usize>,
    /// Silence these logical channels (0-based, repeatable).
    #[arg(long, value_name = "CHANNEL")]
    pub mute: Vec<usize>,
    /// Imitate a reference player where it differs cheaply: original (7-bit samples as stored,
    /// hard LRRL), openmpt (as stored, pans 25/75 %) or xmp (7-bit doubled, pans 25/75 %).
    #[arg(long, default_value = "original", value_name = "original|openmpt|xmp")]
    pub compat: Compat,
    /// Play notes A#-3 and B-3 on split voices at their own pitch instead of A-3 (libopenmpt
    /// 0.6.9 and libxmp do; libopenmpt 0.7+ clamps, after the pair mixer's step table).
    #[arg(long)]
    pub no_pair_note_clamp: bool,
}

impl Default for OktRenderOpts {
    fn default() -> Self {
        Self {
            interpolation: Interpolation::Linear,
            stereo_separation: 100,
            channels: 2,
            loops: 1,
            solo: Vec::new(),
            mute: Vec::new(),
            compat: Compat::Original,
            no_pair_note_clamp: false,
        }
    }
}

/// The Amiga Oktalyzer handler.
struct OktHandler;

fn load(path: &Path, bytes: &[u8]) -> miette::Result<(Module, Vec<Warning>)> {
    Module::load(bytes).map_err(|e| miette!("{}: {e}", path.display()))
}

fn samples_dir_for(doc: &Path) -> PathBuf {
    let name = doc.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "okt".into());
    doc.with_file_name(format!("{name}.samples"))
}

fn duration_text(seconds: f64) -> String {
    let s = seconds.max(0.0);
    format!("{}:{:05.2}", (s / 60.0).floor() as u64, s % 60.0)
}

impl Handler for OktHandler {
    fn name(&self) -> &'static str {
        "okt"
    }

    fn sniff(&self, _path: &Path, bytes: &[u8]) -> bool {
        groovekit_okt::raw::has_magic(bytes)
    }

    fn inspect(&self, path: &Path, bytes: &[u8]) -> miette::Result<Inspection> {
        let (m, warnings) = load(path, bytes)?;
        let flags = m.channel_flags.map(|f| f.to_string()).join(",");
        let duration = render::duration_seconds(&m);
        let mut t = String::new();
        t.push_str(&format!("{}: Oktalyzer module ({:?})\n", path.display(), m.variant));
        t.push_str(&format!("channels: {} (CMOD {flags}; LRRL)\n", m.channels()));
        t.push_str(&format!("speed: {} ticks per row (50 Hz)\n", m.speed));
        t.push_str(&format!("patterns: {} (rows: {})\n", m.patterns.len(), {
            let rows: Vec<String> = m.patterns.iter().map(|p| p.rows.to_string()).collect();
            rows.join(" ")
        }));
        t.push_str(&format!(
            "order ({}): {}\n",
            m.song_length,
            m.song_order().iter().map(|o| o.to_string()).collect::<Vec<_>>().join(" ")
        ));
        t.push_str(&format!("duration: {} (played once)\n", duration_text(duration)));
        t.push_str("samples:\n  ## name                  length  loop start+len  vol mode\n");
        let mut js = Vec::new();
        for (k, s) in m.samples.iter().enumerate() {
            if s.length == 0 && s.name.iter().all(|&b| b == 0) {
                continue;
            }
            let mode = match s.mode {
                0 => "8 (7-bit, pairs)".to_string(),
                1 => "4 (8-bit, normal)".to_string(),
                2 => "B (7-bit, both)".to_string(),
                x => format!("{x} (unknown)"),
            };
            let lp = if s.repeat_length > 0 {
                format!("{}+{}", u32::from(s.repeat_start) * 2, u32::from(s.repeat_length) * 2)
            } else {
                "-".into()
            };
            t.push_str(&format!("  {k:02} {:<20} {:>7}  {lp:>14}  {:>3} {mode}\n", s.name_text(), s.length, s.volume));
            js.push(serde_json::json!({
                "index": k, "name": s.name_text(), "length": s.length,
                "repeat_start_bytes": u32::from(s.repeat_start) * 2, "repeat_length_bytes": u32::from(s.repeat_length) * 2,
                "volume": s.volume, "mode": s.mode,
            }));
        }
        for w in &warnings {
            t.push_str(&format!("warning @{}: {}\n", w.offset, w.message));
        }
        let json = serde_json::json!({
            "kind": "oktalyzer-module",
            "variant": format!("{:?}", m.variant),
            "channels": m.channels(),
            "channel_flags": m.channel_flags,
            "speed": m.speed,
            "song_length": m.song_length,
            "order": m.song_order(),
            "pattern_rows": m.patterns.iter().map(|p| p.rows).collect::<Vec<_>>(),
            "duration_seconds": duration,
            "samples": js,
            "warnings": warnings.iter().map(|w| serde_json::json!({"offset": w.offset, "message": w.message})).collect::<Vec<_>>(),
        });
        Ok(Inspection { text: t, json })
    }

    fn verify_file(&self, path: &Path, bytes: &[u8], _fix: bool) -> miette::Result<VerifyReport> {
        let mut report = VerifyReport::default();
        let problem =
            |offset: Option<u64>, message: String| Problem { path: path.to_path_buf(), offset, message, fixed: false };
        let (m, warnings) = match Module::load(bytes) {
            Ok(x) => x,
            Err(e) => {
                report.problems.push(problem(None, e.to_string()));
                return Ok(report);
            }
        };
        report.checked.push((path.to_path_buf(), "oktalyzer-module".into()));
        for w in warnings {
            report.warnings.push(problem(Some(w.offset as u64), w.message));
        }
        for (k, &o) in m.song_order().iter().enumerate() {
            if usize::from(o) >= m.patterns.len() {
                report
                    .problems
                    .push(problem(None, format!("order position {k} refers to pattern {o}, which does not exist")));
            }
        }
        let channels = m.channels();
        let (mut high_fx, mut high_note, mut bad_inst) = (0usize, 0usize, 0usize);
        for p in &m.patterns {
            // Rows beyond the stored bytes are empty: no need to look at them.
            let present = p.data.len().div_ceil(channels * 4).min(usize::from(p.rows));
            for r in 0..present {
                for c in 0..channels {
                    let cell = p.cell(r, c, channels);
                    high_fx += usize::from(cell.effect >= 32);
                    high_note += usize::from(cell.note > 36);
                    bad_inst += usize::from(cell.note != 0 && usize::from(cell.instrument) >= m.samples.len());
                }
            }
        }
        if high_fx > 0 {
            report.problems.push(problem(
                None,
                format!("{high_fx} cells have effect bytes of 32 or more; libxmp refuses the whole module"),
            ));
        }
        if high_note > 0 {
            report
                .problems
                .push(problem(None, format!("{high_note} cells have notes above 36 (B-3); players ignore them")));
        }
        if bad_inst > 0 {
            report.problems.push(problem(
                None,
                format!("{bad_inst} notes use an instrument beyond the sample table; they are ignored"),
            ));
        }
        for (k, s) in m.samples.iter().enumerate() {
            if s.mode != 1 && s.usable().iter().any(|&b| !(-64..=63).contains(&(b as i8))) {
                report.warnings.push(problem(
                    None,
                    format!("sample {k} is 7-bit (mode {}) but holds data outside -64..63", s.mode),
                ));
            }
        }
        Ok(report)
    }

    fn dump(
        &self,
        path: &Path,
        bytes: &[u8],
        syntax: groovekit_core::doc::Syntax,
        output: Option<&Path>,
    ) -> miette::Result<String> {
        let (m, _) = load(path, bytes)?;
        let doc = match output {
            Some(out) => {
                let dir = samples_dir_for(out);
                let rel = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
                std::fs::create_dir_all(&dir)
                    .into_diagnostic()
                    .wrap_err_with(|| format!("creating {}", dir.display()))?;
                let mut store = |label: &str, data: &[u8]| -> Result<DataRef, String> {
                    let name = format!("{label}.raw");
                    groovekit_core::fs::write_atomic(&dir.join(&name), data).map_err(|e| e.to_string())?;
                    Ok(DataRef { bytes: data.len(), file: Some(format!("{rel}/{name}")), hex: None })
                };
                human::to_doc(&m, &mut store)
            }
            None => human::to_doc(&m, &mut human::store_inline),
        }
        .map_err(|e| miette!("{}: {e}", path.display()))?;
        groovekit_core::doc::to_text(&doc, syntax).map_err(|e| miette!("{}: {e}", path.display()))
    }

    fn doc_kinds(&self) -> &'static [&'static str] {
        &[human::KIND]
    }

    fn build(&self, _kind: &str, text: &str, input: &Path) -> miette::Result<Vec<u8>> {
        let doc: human::Doc = groovekit_core::doc::from_text(text).map_err(|e| miette!("{e}"))?;
        let base = input.parent().map(Path::to_path_buf).unwrap_or_default();
        let mut fetch = |_at: &str, r: &DataRef| -> Result<Vec<u8>, String> {
            match (&r.file, &r.hex) {
                (Some(f), _) => {
                    let p = base.join(f);
                    std::fs::read(&p).map_err(|e| format!("cannot read {}: {e}", p.display()))
                }
                (None, Some(h)) => human::from_hex(h).ok_or_else(|| "hex data is not valid hex".to_string()),
                (None, None) => Err("neither `file` nor `hex` is given".into()),
            }
        };
        let m = human::from_doc(&doc, &mut fetch).map_err(|e| miette!("{e}"))?;
        Ok(m.to_bytes())
    }

    fn renders(&self) -> bool {
        true
    }

    fn render(&self, args: &RenderArgs, bytes: &[u8]) -> miette::Result<Outcome> {
        let (m, _) = load(&args.input, bytes)?;
        let o = &args.okt;
        let channels = m.channels();
        for &c in o.solo.iter().chain(&o.mute) {
            if c >= channels {
                // A value the module rules out is a usage error (exit 2), like clap's ranges.
                return Err(super::args::usage(format!(
                    "channel {c} does not exist: this module has {channels} channels \
                     (numbered from 0 in pattern order; a split Paula channel has two)"
                )));
            }
        }
        let muted: Vec<bool> =
            (0..channels).map(|c| o.mute.contains(&c) || (!o.solo.is_empty() && !o.solo.contains(&c))).collect();
        let opts = RenderOptions {
            rate: args.rate,
            channels: o.channels,
            interpolation: o.interpolation,
            stereo_separation: o.stereo_separation,
            loops: o.loops,
            muted,
            compat: o.compat,
            pair_note_clamp: !o.no_pair_note_clamp,
            ..RenderOptions::default()
        };
        let mut w = groovekit_audio::write::WavWriter::create(&args.output, o.channels, args.rate, args.bits)
            .map_err(|e| miette!("{e}"))?;
        // The mix runs here while a second thread converts and writes the previous batch. The
        // player mixes straight into the batch; batches of 32 K samples stay in cache and, as
        // they come back for reuse, the render faults in well under a megabyte.
        const BATCH: usize = 1 << 15;
        let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<f32>>(2);
        let (back_tx, back_rx) = std::sync::mpsc::channel::<Vec<f32>>();
        let (stats, ws) = std::thread::scope(|scope| {
            let writer = scope.spawn(move || -> miette::Result<groovekit_audio::write::WriteStats> {
                for mut buf in rx {
                    w.write(&buf).map_err(|e| miette!("{e}"))?;
                    buf.clear();
                    let _ = back_tx.send(buf);
                }
                w.finish().map_err(|e| miette!("{e}"))
            });
            let mut player = render::Player::new(&m, opts);
            let mut batch = Vec::with_capacity(BATCH + 4096);
            // A closed channel means the writer failed; its error is reported below.
            let mut writer_open = true;
            while writer_open && player.render_tick(&mut batch) {
                if batch.len() >= BATCH {
                    let next = back_rx.try_recv().unwrap_or_else(|_| Vec::with_capacity(BATCH + 4096));
                    writer_open = tx.send(std::mem::replace(&mut batch, next)).is_ok();
                }
            }
            if writer_open && !batch.is_empty() {
                writer_open = tx.send(batch).is_ok();
            }
            drop(tx);
            let written = writer.join().map_err(|_| miette!("the WAV writer thread panicked"))?;
            let ws = written?;
            if !writer_open {
                return Err(miette!("rendering stopped: the WAV writer closed"));
            }
            Ok::<_, miette::Report>((player.stats().clone(), ws))
        })?;
        eprintln!(
            "rendered {} ({} ticks, {:?}) to {}; peak {:.3}, {} samples clipped",
            duration_text(stats.frames as f64 / f64::from(args.rate.max(1))),
            stats.ticks,
            stats.end,
            args.output.display(),
            ws.peak,
            ws.clipped
        );
        if stats.mode_mismatches + stats.invalid_notes + stats.invalid_orders > 0 {
            eprintln!(
                "note: ignored {} notes whose sample mode does not fit the channel (as the original replayer does), {} notes with no playable sample or a note above 36, {} order entries without a pattern",
                stats.mode_mismatches, stats.invalid_notes, stats.invalid_orders
            );
        }
        if stats.end == render::EndReason::Cap {
            eprintln!("note: stopped at the {}-second cap", render::DEFAULT_MAX_SECONDS);
        }
        Ok(Outcome::Ok)
    }
}

/// The handlers of this format family, for detection.
pub fn handlers() -> Vec<&'static dyn Handler> {
    vec![&OktHandler]
}

/// `groovekit okt samples MOD -o DIR`.
fn samples(module: &Path, dir: &Path) -> miette::Result<Outcome> {
    let bytes = read_file(module)?;
    let (m, _) = load(module, &bytes)?;
    std::fs::create_dir_all(dir).into_diagnostic().wrap_err_with(|| format!("creating {}", dir.display()))?;
    let mut n = 0;
    for (k, s) in m.samples.iter().enumerate() {
        let data = s.usable();
        if data.is_empty() {
            continue;
        }
        let name: String = s
            .name_text()
            .trim()
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '_' })
            .collect();
        let path = dir.join(if name.is_empty() { format!("{k:02}.wav") } else { format!("{k:02}-{name}.wav") });
        // C-3 (period 214) is the note Oktalyzer plays a sample at its "natural" rate; the
        // WAV carries the rate of C-2 (period 428, 8287 Hz), the Amiga sampling convention.
        let rate = (render::PAULA_CLOCK / 428.0).round() as u32;
        let mut w = groovekit_audio::write::PcmWriter::create(
            &path,
            groovekit_audio::write::FileFormat::Wav,
            1,
            rate,
            groovekit_audio::SampleFormat::Int16,
        )
        .map_err(|e| miette!("{e}"))?;
        w.set_loop(
            s.loop_bytes().map(|(a, b)| groovekit_audio::write::SmplLoop { start: a as u32, end: b as u32 - 1 }),
        );
        let ints: Vec<i32> = data.iter().map(|&b| i32::from(b as i8)).collect();
        w.write_int(&ints, 8).map_err(|e| miette!("{e}"))?;
        w.finish().map_err(|e| miette!("{e}"))?;
        println!("{}", path.display());
        n += 1;
    }
    eprintln!("{n} samples written to {}", dir.display());
    Ok(Outcome::Ok)
}

/// `groovekit okt trace MOD`.
fn trace(module: &Path, from: usize, ticks: Option<u64>, json: bool) -> miette::Result<Outcome> {
    let bytes = read_file(module)?;
    let (m, _) = load(module, &bytes)?;
    if from >= m.song_order().len().max(1) {
        return Err(miette!("--from {from}: the song has {} order positions", m.song_order().len()));
    }
    let opts = RenderOptions { rate: 50, start_order: from, ..RenderOptions::default() };
    let mut player = render::Player::new(&m, opts);
    let limit = ticks.unwrap_or(u64::MAX);
    let mut all = Vec::new();
    let mut out = String::new();
    let mut n = 0u64;
    use std::fmt::Write as _;
    while n < limit {
        let Some(st) = player.tick(None) else { break };
        n += 1;
        if json {
            all.push(st);
            continue;
        }
        let _ = write!(out, "{:03}:{:02}:{:03}.{:02}", st.order, st.pattern, st.row, st.tick);
        for c in &st.channels {
            let note = if c.sample.is_some() { note_or_raw(c.note) } else { "---".into() };
            let _ = write!(
                out,
                " | {note} p{:>3} v{:02} s{} @{}",
                c.period,
                c.volume,
                c.sample.map_or("--".into(), |s| format!("{s:02}")),
                c.position.map_or("-".into(), |p| p.to_string())
            );
        }
        out.push('\n');
        if out.len() > 1 << 16 {
            print!("{out}");
            out.clear();
        }
    }
    if json {
        println!("{}", serde_json::to_string(&all).into_diagnostic()?);
    } else {
        print!("{out}");
        println!("# order:pattern:row.tick | note period volume sample @position (per logical channel)");
    }
    Ok(Outcome::Ok)
}

fn note_or_raw(note: i32) -> String {
    match u8::try_from(note) {
        Ok(n @ 1..=36) => note_name(n),
        _ => format!("n{note}"),
    }
}
