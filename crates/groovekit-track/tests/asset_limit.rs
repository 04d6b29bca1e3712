//! Issue 11: every asset of a song is held in memory at once, so the decode cap bounds their
//! sum, not only each one. Its own test binary: the cap is process-wide.

use std::path::Path;

use groovekit_track::render::{self, RenderOptions};

#[test]
fn the_decode_cap_bounds_the_sum_of_the_assets() {
    let Some(fx) = groovekit_core::fixtures::fixtures_or_skip(env!("CARGO_MANIFEST_DIR"), "asset_limit") else {
        return;
    };
    let dir = fx.join("track");
    let rate = 48_000;
    // Each asset's samples at the render rate, as the renderer holds them.
    let lens: Vec<u64> = ["kick_1.wav", "snare_1.wav"]
        .iter()
        .map(|n| {
            let p = dir.join("assets").join(n);
            let d = groovekit_audio::read::read_audio(&p).unwrap();
            render::source_from_decoded(&d, rate, &p).unwrap().0.data.len() as u64
        })
        .collect();
    let song = groovekit_track::check(&std::fs::read_to_string(dir.join("kick_snare.track")).unwrap()).song.unwrap();
    let opts = RenderOptions { rate, ..RenderOptions::default() };
    // Each fits alone, both together do not.
    groovekit_audio::limits::set_max_decoded_samples(lens[0] + lens[1] - 1);
    let Err(e) = render::prepare(&song, Path::new(&dir), &opts) else { panic!("over the cap, yet prepared") };
    let e = e.to_string();
    assert!(e.contains("the assets up to this one hold"), "{e}");
    groovekit_audio::limits::set_max_decoded_samples(lens[0] + lens[1]);
    assert!(render::prepare(&song, Path::new(&dir), &opts).is_ok());
}
