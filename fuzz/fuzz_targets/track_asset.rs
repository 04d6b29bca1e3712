//! `.track` assets: arbitrary bytes as the file behind `ASSET_X` (found by `assets.rs`'s locator
//! as `assets/x.wav` beside the song), decoded, resampled to the render rate and mixed, as
//! `groovekit render song.track` does. Never panics; a render that is prepared has the length it
//! says. The first input byte picks the render rate (8, 44.1, 48 or 192 kHz), the rest is the file.
#![no_main]
use std::sync::OnceLock;

use groovekit_track::render::{self, RenderOptions};
use libfuzzer_sys::fuzz_target;

const SONG: &str = "BPM 120\nSAMPLE ASSET_X\nPATTERN p LENGTH 1.0\n0.0, ASSET_X, 1.0, 0.0\nSCORE\n0.0, p\n";

static DIR: OnceLock<Option<tempfile::TempDir>> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let Some((&pick, file)) = data.split_first() else { return };
    let rate = [8_000, 44_100, 48_000, 192_000][usize::from(pick & 3)];
    // One folder per process, the asset rewritten each run (plain writes: this is a test harness,
    // and an fsync per run would slow the fuzzer down a hundredfold).
    let Some(dir) = DIR.get_or_init(|| {
        let d = tempfile::tempdir().ok()?;
        std::fs::create_dir(d.path().join("assets")).ok()?;
        Some(d)
    }) else {
        return;
    };
    if std::fs::write(dir.path().join("assets/x.wav"), file).is_err() {
        return;
    }
    let Some(song) = groovekit_track::check(SONG).song else { return };
    let opts = RenderOptions { rate, ..RenderOptions::default() };
    let Ok(plan) = render::prepare(&song, dir.path(), &opts) else { return };
    if plan.frames > 30 * u64::from(rate) {
        return;
    }
    let out = plan.render_vec();
    assert_eq!(out.len() as u64, plan.frames * 2);
});
