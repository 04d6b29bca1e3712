//! Synthesises the drum samples of `examples/demo.track` (this repo's own work, no outside files):
//! `cargo run -p groovekit-track --example drum_kit -- examples/assets`.
//!
//! - kick: a sine whose pitch falls from 150 Hz to 45 Hz, with an exponential decay (0.45 s);
//! - snare: a 190 Hz body plus noise, both decaying (0.25 s);
//! - hat: high-passed noise (difference of successive noise values), short decay (0.08 s).
//!
//! All mono, 16-bit, 48 kHz, deterministic (fixed-seed noise), so the committed files can be
//! regenerated bit for bit.

use std::f64::consts::TAU;
use std::path::PathBuf;

use groovekit_audio::SampleFormat;
use groovekit_audio::write::write_wav;
use groovekit_track::render::SplitMix64;

const RATE: u32 = 48_000;

fn frames(seconds: f64) -> usize {
    (seconds * f64::from(RATE)) as usize
}

fn kick() -> Vec<f32> {
    let mut phase = 0.0f64;
    (0..frames(0.45))
        .map(|n| {
            let t = n as f64 / f64::from(RATE);
            let f = 45.0 + 105.0 * (-t / 0.04).exp();
            phase += TAU * f / f64::from(RATE);
            (0.9 * phase.sin() * (-t / 0.12).exp()) as f32
        })
        .collect()
}

fn snare() -> Vec<f32> {
    let mut rng = SplitMix64::new(2);
    (0..frames(0.25))
        .map(|n| {
            let t = n as f64 / f64::from(RATE);
            let body = (TAU * 190.0 * t).sin() * (-t / 0.05).exp();
            let noise = rng.next_signed() * (-t / 0.07).exp();
            (0.45 * body + 0.35 * noise) as f32
        })
        .collect()
}

fn hat() -> Vec<f32> {
    let mut rng = SplitMix64::new(3);
    let mut prev = 0.0;
    (0..frames(0.08))
        .map(|n| {
            let t = n as f64 / f64::from(RATE);
            let x = rng.next_signed();
            let hp = x - prev;
            prev = x;
            (0.2 * hp * (-t / 0.02).exp()) as f32
        })
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = PathBuf::from(std::env::args().nth(1).unwrap_or_else(|| "examples/assets".into()));
    std::fs::create_dir_all(&dir)?;
    for (name, data) in [("kick", kick()), ("snare", snare()), ("hat", hat())] {
        let path = dir.join(format!("{name}.wav"));
        write_wav(&path, &data, 1, RATE, SampleFormat::Int16)?;
        println!("wrote {}", path.display());
    }
    Ok(())
}
