//! Loading plus up to 10 s of rendering never panics and stays bounded in time and memory.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok((m, _)) = groovekit_okt::model::Module::load(data) {
        // A low rate keeps each run short; the caps in docs/oktalyzer.md bound the rest.
        let opts = groovekit_okt::render::RenderOptions {
            rate: 8000,
            max_seconds: 10,
            interpolation: groovekit_audio::mix::Interpolation::Linear,
            ..Default::default()
        };
        let mut frames = 0usize;
        let _ = groovekit_okt::render::render(&m, opts, |b| {
            frames += b.len();
            assert!(b.iter().all(|s| s.is_finite()));
            Ok::<_, ()>(())
        });
        assert!(frames <= 2 * 8000 * 11);
    }
});
