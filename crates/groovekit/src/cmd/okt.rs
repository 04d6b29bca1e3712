//! Amiga Oktalyzer: the handler for the generic commands and the `groovekit okt ...` subcommands.

use std::path::{Path, PathBuf};

use groovekit_audio::mix::Interpolation;
use groovekit_okt::human::{self, DataRef};
use groovekit_okt::model::{Module, Warning, group_warnings, note_name};
use groovekit_okt::ops::sample_label;
use groovekit_okt::render::{self, Compat, RenderOptions};
use miette::{IntoDiagnostic, miette};

use super::{Handler, Inspection, Outcome, RenderArgs, VerifyReport, read_file};

/// `groovekit okt ...` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum OktCommand {
    /// Write every non-empty sample as a WAV file (16-bit, the 8-bit data shifted exactly; loop
    /// points in a `smpl` chunk). Files are named `S-name.wav`, S the sample as Oktalyzer shows
    /// it (0-9, A-Z).
    Samples {
        /// The module.
        module: PathBuf,
        /// The folder to write into (created if missing).
        #[arg(short, long)]
        output: PathBuf,
        /// Show what would be written; change nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// Print the replayer's state for every tick and channel: order, row, tick, note, period,
    /// volume, sample and play position.
    Trace {
        /// The module.
        module: PathBuf,
        /// Play as the original (default) or as a reference player (openmpt, xmp), as `render`.
        #[arg(long, default_value = "original", value_name = "original|openmpt|xmp")]
        compat: Compat,
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
        OktCommand::Samples { module, output, .. } => samples(&module, &output),
        OktCommand::Trace { module, compat, from, ticks, json } => trace(&module, compat, from, ticks, json),
    }
}

/// Render options that only this format uses.
#[derive(Debug, Clone, clap::Args)]
pub struct OktRenderOpts {
    /// How voices are resampled: nearest, linear, cubic or sinc.
    #[arg(long, default_value = "linear", value_name = "nearest|linear|cubic|sinc")]
    pub interpolation: Interpolation,
    /// Stereo separation in percent (100 = hard left/right as on the Amiga: channels L R R L).
    #[arg(long, default_value_t = 100, value_parser = super::args::ranged(0u8, 100, "stereo separation in percent"))]
    pub stereo_separation: u8,
    /// Output channels: 1 (mono) or 2 (stereo).
    #[arg(long, default_value_t = 2, value_parser = super::args::ranged(1u16, 2, "output channels"))]
    pub channels: u16,
    /// How many times to play the song (each pass ends at the first revisited position).
    #[arg(long, default_value_t = 1, value_parser = super::args::ranged(1u32, 100, "loops"))]
    pub loops: u32,
    /// Play only these channels (numbered 1-8 in pattern order as Oktalyzer shows them; a
    /// split Paula channel has two; repeatable).
    #[arg(long, value_name = "CHANNEL", value_parser = super::args::ranged(1u8, 8, "channel"))]
    pub solo: Vec<u8>,
    /// Silence these channels (1-8, as --solo; repeatable).
    #[arg(long, value_name = "CHANNEL", value_parser = super::args::ranged(1u8, 8, "channel"))]
    pub mute: Vec<u8>,
    /// Play as the original Oktalyzer 1.57 replayer (default) or as a reference player does:
    /// openmpt (50 Hz ticks, row 0 first, notes on their tick, portamento on split voices, R
    /// releases, pans 25/75 %) or xmp (the same timing, R ignored, 7-bit samples doubled, pans
    /// 25/75 %). docs/oktalyzer.md lists every difference.
    #[arg(long, default_value = "original", value_name = "original|openmpt|xmp")]
    pub compat: Compat,
    /// Play notes A#-3 and B-3 on split voices at their own pitch instead of limiting them to
    /// A-3 (the original limits when mixing, libopenmpt 0.8+ when the note triggers; libopenmpt
    /// 0.6.9 and libxmp do not).
    #[arg(long)]
    pub no_pair_note_clamp: bool,
    /// Refuse to render more than this many seconds of audio (a hostile module can ask for
    /// hours; the longest real songs last about 16 minutes).
    #[arg(long, default_value_t = render::DEFAULT_MAX_SECONDS, value_parser = super::args::ranged(1u32, 86_400, "seconds"))]
    pub max_seconds: u32,
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
            max_seconds: render::DEFAULT_MAX_SECONDS,
        }
    }
}

/// The Amiga Oktalyzer handler.
struct OktHandler;

/// Loads a module; an error names the file and the byte it concerns.
fn load(path: &Path, bytes: &[u8]) -> miette::Result<(Module, Vec<Warning>)> {
    Module::load(bytes).map_err(|e| miette!("{}", groovekit_okt::verify::load_problem(path, bytes, &e).line()))
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
        let players = RenderOptions { timing: render::Timing::PLAYERS, ..RenderOptions::default() };
        let duration_players = render::duration_with(&m, &players);
        let mut t = String::new();
        t.push_str(&format!("{}: Oktalyzer module ({:?})\n", path.display(), m.variant));
        t.push_str(&format!("channels: {} (CMOD {flags}; LRRL)\n", m.channels()));
        t.push_str(&format!("speed: {} ticks per row (PAL frames, 49.92 Hz)\n", m.speed));
        t.push_str(&format!("patterns: {} (rows: {})\n", m.patterns.len(), {
            let rows: Vec<String> = m.patterns.iter().map(|p| p.rows.to_string()).collect();
            rows.join(" ")
        }));
        t.push_str(&format!(
            "order ({}): {}\n",
            m.song_length,
            m.song_order().iter().map(|o| o.to_string()).collect::<Vec<_>>().join(" ")
        ));
        t.push_str(&format!(
            "duration: {} (played once, as the original; {} at the players' 50 Hz)\n",
            duration_text(duration),
            duration_text(duration_players)
        ));
        t.push_str("samples:\n  # name                  length  loop start+len  vol mode\n");
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
            t.push_str(&format!(
                "  {} {:<20} {:>7}  {lp:>14}  {:>3} {mode}\n",
                sample_label(k),
                s.name_text(),
                s.length,
                s.volume
            ));
            js.push(serde_json::json!({
                "index": k, "label": sample_label(k), "name": s.name_text(), "length": s.length,
                "repeat_start_bytes": u32::from(s.repeat_start) * 2, "repeat_length_bytes": u32::from(s.repeat_length) * 2,
                "volume": s.volume, "mode": s.mode,
            }));
        }
        let groups = group_warnings(&warnings);
        for w in &groups {
            t.push_str(&format!("warning {w}\n"));
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
            "duration_seconds_players": duration_players,
            "samples": js,
            "warnings": groups.iter().map(|w| serde_json::json!({"offset": w.offset, "last_offset": w.last_offset, "count": w.count, "message": w.message})).collect::<Vec<_>>(),
        });
        Ok(Inspection { text: t, json })
    }

    fn verify_file(&self, path: &Path, bytes: &[u8], _fix: bool) -> miette::Result<VerifyReport> {
        // The checks live in the library (the Python package runs the same ones).
        Ok(groovekit_okt::verify::verify(path, bytes))
    }

    fn dump(
        &self,
        path: &Path,
        bytes: &[u8],
        syntax: groovekit_core::doc::Syntax,
        output: Option<&Path>,
    ) -> miette::Result<String> {
        match output {
            // The samples beside the document: written together in one transaction.
            Some(out) => {
                let (text, files) = self.dump_with_files(path, bytes, syntax, out)?;
                let mut tx = groovekit_core::fs::Transaction::new();
                for (p, b) in &files {
                    tx.write(p, b).map_err(|e| miette!("{e}"))?;
                }
                tx.commit().map_err(|e| miette!("{e}"))?;
                Ok(text)
            }
            None => {
                let (m, _) = load(path, bytes)?;
                let doc =
                    human::to_doc(&m, &mut human::store_inline).map_err(|e| miette!("{}: {e}", path.display()))?;
                groovekit_core::doc::to_text(&doc, syntax).map_err(|e| miette!("{}: {e}", path.display()))
            }
        }
    }

    /// The document with every sample's data as `DOC.samples/NN.raw` beside it (returned, not
    /// written: `dump` writes them and the document in one transaction).
    fn dump_with_files(
        &self,
        path: &Path,
        bytes: &[u8],
        syntax: groovekit_core::doc::Syntax,
        output: &Path,
    ) -> miette::Result<(String, super::SideFiles)> {
        let (m, _) = load(path, bytes)?;
        let dir = samples_dir_for(output);
        let rel = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let mut files = Vec::new();
        let mut store = |label: &str, data: &[u8]| -> Result<DataRef, String> {
            let name = format!("{label}.raw");
            files.push((dir.join(&name), data.to_vec()));
            Ok(DataRef { bytes: data.len(), file: Some(format!("{rel}/{name}")), hex: None })
        };
        let doc = human::to_doc(&m, &mut store).map_err(|e| miette!("{}: {e}", path.display()))?;
        let text = groovekit_core::doc::to_text(&doc, syntax).map_err(|e| miette!("{}: {e}", path.display()))?;
        Ok((text, files))
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
            if usize::from(c) > channels {
                // A value the module rules out is a usage error (exit 2), like clap's ranges.
                return Err(super::args::usage(format!(
                    "channel {c} does not exist: this module has {channels} channels \
                     (numbered from 1 in pattern order, as Oktalyzer shows them; a split Paula channel has two)"
                )));
            }
        }
        let is_on = |list: &[u8], c: usize| list.iter().any(|&x| usize::from(x) == c + 1);
        let muted: Vec<bool> =
            (0..channels).map(|c| is_on(&o.mute, c) || (!o.solo.is_empty() && !is_on(&o.solo, c))).collect();
        let opts = RenderOptions {
            rate: args.rate,
            channels: o.channels,
            interpolation: o.interpolation,
            stereo_separation: o.stereo_separation,
            loops: o.loops,
            muted,
            compat: o.compat,
            pair_note_clamp: !o.no_pair_note_clamp,
            timing: o.compat.timing(),
            max_seconds: o.max_seconds,
            ..RenderOptions::default()
        };
        // Play the song once without mixing first (milliseconds): a song that plays nothing or
        // runs past the cap fails here, before any file is written.
        let plan = render::plan(&m, &opts);
        match plan.end {
            render::EndReason::NoPatterns => {
                return Err(miette!(
                    help = "check the order list with `groovekit inspect`; the module may be damaged",
                    "{}: nothing to render: no order position refers to an existing pattern (order list {:?}, {} patterns)",
                    args.input.display(),
                    m.song_order(),
                    m.patterns.len()
                ));
            }
            render::EndReason::Cap => {
                return Err(miette!(
                    help = format!(
                        "raise the limit with --max-seconds (up to 86400) if the module really is that long; \
                         `groovekit okt trace` shows where it goes"
                    ),
                    "{}: the song plays for more than {} (the --max-seconds limit) before it repeats",
                    args.input.display(),
                    duration_text(f64::from(o.max_seconds))
                ));
            }
            render::EndReason::Revisited => {}
        }
        let total_frames = plan.frames.max(1);
        // Renders that can pass a second get a bar: sinc and cubic always, the fast mixers on
        // songs longer than about ten minutes of audio.
        let slow = matches!(o.interpolation, Interpolation::Sinc | Interpolation::Cubic)
            || plan.frames > 600 * u64::from(args.rate);
        let bar = slow.then(|| crate::progress::bar(total_frames, "rendering"));
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
                    if let Some(b) = &bar {
                        b.set_position(player.stats().frames);
                    }
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
        if let Some(b) = bar {
            b.finish_and_clear();
        }
        let seconds = stats.frames as f64 / f64::from(args.rate.max(1));
        let summary = serde_json::json!({
            "input": args.input.display().to_string(),
            "output": args.output.display().to_string(),
            "format": "oktalyzer-module",
            "compat": format!("{:?}", o.compat).to_lowercase(),
            "rate": args.rate,
            "channels": o.channels,
            "frames": stats.frames,
            "seconds": seconds,
            "ticks": stats.ticks,
            "end": end_text(stats.end),
            "peak": ws.peak,
            "clipped_samples": ws.clipped,
            "ignored": {
                "mode_mismatches": stats.mode_mismatches,
                "invalid_notes": stats.invalid_notes,
                "invalid_orders": stats.invalid_orders,
                "split_portamentos": stats.split_portamentos,
                "releases": if o.compat == Compat::Openmpt { 0 } else { stats.releases },
            },
        });
        if args.json {
            println!("{summary}");
        }
        // Summaries and notes on stderr, silent with --quiet (the WAV is the result).
        if super::quiet() {
            return Ok(Outcome::Ok);
        }
        eprintln!(
            "rendered {} ({} ticks, {}) to {}; peak {:.3}, {}",
            duration_text(seconds),
            stats.ticks,
            end_text(stats.end),
            args.output.display(),
            ws.peak,
            count(ws.clipped, "sample clipped", "samples clipped")
        );
        let ignored = [
            (
                stats.mode_mismatches,
                "note whose sample mode does not fit the channel",
                "notes whose sample mode does not fit the channel",
            ),
            (
                stats.invalid_notes,
                "note with no playable sample or a note above B-3",
                "notes with no playable sample or a note above B-3",
            ),
            (stats.invalid_orders, "order position without a pattern", "order positions without a pattern"),
            (stats.split_portamentos, "portamento (1, 2) on a split voice", "portamentos (1, 2) on split voices"),
        ];
        for (n, one, many) in ignored.into_iter().filter(|(n, _, _)| *n > 0) {
            eprintln!("note: ignored {} (as the original replayer does)", count(n, one, many));
        }
        if stats.releases > 0 && o.compat != Compat::Openmpt {
            eprintln!(
                "note: ignored {} (Oktalyzer 1.57 ignores R; --compat openmpt releases the loop as libopenmpt and the V1.1 replayer do)",
                count(stats.releases, "release (R)", "releases (R)")
            );
        }
        Ok(Outcome::Ok)
    }

    fn diff(&self, a: (&Path, &[u8]), b: (&Path, &[u8])) -> miette::Result<Vec<String>> {
        let (ma, _) = load(a.0, a.1)?;
        let (mb, _) = load(b.0, b.1)?;
        Ok(groovekit_okt::ops::diff(&ma, &mb).iter().map(ToString::to_string).collect())
    }
}

/// How a render ended, in words.
fn end_text(end: render::EndReason) -> &'static str {
    match end {
        render::EndReason::Revisited => "the song repeats",
        render::EndReason::NoPatterns => "no playable pattern",
        render::EndReason::Cap => "stopped at the time limit",
    }
}

/// `n` and the noun in the number that agrees with it.
fn count(n: u64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The handlers of this format family, for detection.
pub fn handlers() -> Vec<&'static dyn Handler> {
    vec![&OktHandler]
}

/// `groovekit okt samples MOD -o DIR`.
fn samples(module: &Path, dir: &Path) -> miette::Result<Outcome> {
    let bytes = read_file(module)?;
    let (m, _) = load(module, &bytes)?;
    let working = crate::progress::working("writing samples");
    // All samples in one transaction: every file appears, or none.
    let mut tx = groovekit_core::fs::Transaction::new();
    let mut written = Vec::new();
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
        let label = sample_label(k);
        let path = dir.join(if name.is_empty() { format!("{label}.wav") } else { format!("{label}-{name}.wav") });
        // C-3 (period 214) is the note Oktalyzer plays a sample at its "natural" rate; the
        // WAV carries the rate of C-2 (period 428, 8287 Hz), the Amiga sampling convention.
        let rate = (render::PAULA_CLOCK / 428.0).round() as u32;
        let mut w = groovekit_audio::write::PcmWriter::create_staged(
            tx.create(&path).map_err(|e| miette!("{e}"))?,
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
        let (staged, _) = w.finish_staged().map_err(|e| miette!("{e}"))?;
        tx.add(staged).map_err(|e| miette!("{e}"))?;
        written.push(path);
    }
    tx.commit().map_err(|e| miette!("{e}"))?;
    drop(working);
    for p in &written {
        println!("{}", p.display());
    }
    let n = written.len();
    if !super::quiet() {
        eprintln!("{n} samples written to {}", dir.display());
    }
    Ok(Outcome::Ok)
}

/// `groovekit okt trace MOD`.
fn trace(module: &Path, compat: Compat, from: usize, ticks: Option<u64>, json: bool) -> miette::Result<Outcome> {
    let bytes = read_file(module)?;
    let (m, _) = load(module, &bytes)?;
    if from >= m.song_order().len().max(1) {
        return Err(miette!("--from {from}: the song has {} order positions", m.song_order().len()));
    }
    let opts =
        RenderOptions { rate: 50, start_order: from, compat, timing: compat.timing(), ..RenderOptions::default() };
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
                c.sample.map_or("-".into(), |s| sample_label(usize::from(s))),
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
        println!(
            "# order:pattern:row.tick | note period volume sample @position, for channels 1..{} (row -1: the silent row the original plays first; sample as Oktalyzer shows it, 0-9 A-Z)",
            m.channels()
        );
    }
    Ok(Outcome::Ok)
}

fn note_or_raw(note: i32) -> String {
    match u8::try_from(note) {
        Ok(n @ 1..=36) => note_name(n),
        _ => format!("n{note}"),
    }
}
