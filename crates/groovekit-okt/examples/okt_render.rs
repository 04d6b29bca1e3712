//! Renders a module with the library alone (no CLI): `okt_render IN OUT.wav [RATE] [CHANNELS]`.
//! Handy for comparing against other players while the CLI is being rebuilt.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (Some(input), Some(output)) = (args.get(1), args.get(2)) else {
        eprintln!("usage: okt_render IN OUT.wav [RATE] [CHANNELS]");
        std::process::exit(2);
    };
    let rate: u32 = args.get(3).map_or(Ok(44_100), |s| s.parse())?;
    let channels: u16 = args.get(4).map_or(Ok(2), |s| s.parse())?;
    let bytes = std::fs::read(input)?;
    let (module, _) = groovekit_okt::model::Module::load(&bytes)?;
    // OKT_SOLO=N plays only logical channel N (for per-channel comparisons).
    let solo: Option<usize> = std::env::var("OKT_SOLO").ok().and_then(|s| s.parse().ok());
    let muted = solo.map(|s| (0..8).map(|c| c != s).collect()).unwrap_or_default();
    let opts = groovekit_okt::render::RenderOptions { rate, channels, muted, ..Default::default() };
    let mut w = groovekit_audio::write::WavWriter::create(
        std::path::Path::new(output),
        channels,
        rate,
        groovekit_audio::SampleFormat::Int16,
    )?;
    let stats = groovekit_okt::render::render(&module, opts, |b| w.write(b))?;
    w.finish()?;
    eprintln!("{stats:?}");
    Ok(())
}
