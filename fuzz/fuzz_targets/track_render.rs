//! Parse plus render never panics and stays bounded: songs whose pattern instances end within
//! 10 s are rendered (generated tones only: assets are looked up in a folder that does not exist)
//! at 8 kHz into memory.
#![no_main]
use std::path::Path;

use groovekit_track::render::{self, RenderOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Some(song) = groovekit_track::check(text).song else { return };
    if song.pattern_end_seconds() > 10.0 || song.voice_count() > 10_000 {
        return;
    }
    let opts = RenderOptions { rate: 8_000, ..RenderOptions::default() };
    if let Ok(plan) = render::prepare(&song, Path::new("/nonexistent-groovekit-fuzz"), &opts) {
        let out = plan.render_vec();
        assert_eq!(out.len() as u64, plan.frames * 2);
    }
});
