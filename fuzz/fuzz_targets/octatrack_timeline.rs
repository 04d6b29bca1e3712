//! Fuzz the timeline: any pattern and part bytes, any options, must expand (or give an error),
//! never panic; events stay sorted and inside the timeline's end (a negative micro-timing on the
//! first step is clamped to 0). The input's first bytes are the options, the rest is laid over
//! pattern 1 (settings at the end of the block, then the tracks) and part 1 of a default bank.
#![no_main]

use groovekit_octatrack::model::bank::Bank;
use groovekit_octatrack::model::project::Project as ProjectFile;
use groovekit_octatrack::raw::bank::{self, PartCopy};
use groovekit_octatrack::raw::pattern::PATTERN_SIZE;
use groovekit_octatrack::raw::part::PART_SIZE;
use groovekit_octatrack::timeline::{self, OneBank, Options};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&[passes, flags, seed, loops], rest)) = data.split_first_chunk::<4>() else { return };
    let mut image = bank::Bank::new_default();
    let pattern = bank::pattern_offset(0);
    let part = PartCopy::Working.offset(0);
    {
        let bytes = image.bytes_mut();
        // The pattern settings first (lengths, scales, mode, part, tempo), then spread the rest
        // over the pattern's tracks and the part.
        for (i, &b) in rest.iter().take(12).enumerate() {
            bytes[pattern + PATTERN_SIZE - 12 + i] = b;
        }
        for (i, &b) in rest.iter().skip(12).take(8192).enumerate() {
            let at = if i % 3 == 2 { part + (i * 37) % PART_SIZE } else { pattern + 8 + (i * 97) % (PATTERN_SIZE - 20) };
            bytes[at] = b;
        }
    }
    let model = Bank::from_raw(image, 1);
    let mut settings = ProjectFile::new_default();
    if flags & 4 != 0 {
        let _ = settings.set_setting("MASTER_TRACK", 1);
    }
    let opts = Options {
        passes: u32::from(passes % 9),
        fill: flags & 1 != 0,
        seed: u64::from(seed),
        max_loops: u32::from(loops % 4),
        every_condition: flags & 2 != 0,
    };
    let mut src = OneBank { bank: &model, settings: &settings };
    if let Ok(t) = timeline::expand_patterns_from(&mut src, 1, &[1, 1], &opts) {
        assert!(t.events.windows(2).all(|w| w[0].tick <= w[1].tick));
        assert!(t.events.iter().all(|e| e.tick <= t.end + timeline::TICKS_PER_STEP * 8));
    }
    let _ = timeline::silent::pattern_notes(&model, 1, flags & 4 != 0);
    let _ = timeline::pattern_lengths(&model, 1).map(|l| l.playable_steps(timeline::TrackId::Midi(8)));
});
