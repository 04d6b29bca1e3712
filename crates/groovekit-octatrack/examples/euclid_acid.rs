//! Builds an Octatrack project from scratch: a Euclidean drum pattern on Flex tracks, one per WAV
//! given on the command line, and an acid line on MIDI track 1, with trig conditions,
//! micro-timing and parameter locks.
//!
//! ```sh
//! cargo run -p groovekit-octatrack --example euclid_acid -- MYSET/EUCLID kick.wav snare.wav hat.wav
//! groovekit ot pattern MYSET/EUCLID --bank 1 --pattern 1
//! ```

use std::path::{Path, PathBuf};

use groovekit_octatrack::model::bank::Condition;
use groovekit_octatrack::model::project::SlotType;
use groovekit_octatrack::raw::bank::PartCopy;
use groovekit_octatrack::raw::part::MachineType;
use groovekit_octatrack::{OtError, Project};

/// Steps 1-16 of a Euclidean rhythm of `hits` in 16, rotated by `rotate`.
fn euclid(hits: u8, rotate: u8) -> Vec<u8> {
    (0..16u8)
        .filter(|i| (u16::from(*i) * u16::from(hits)) % 16 < u16::from(hits))
        .map(|i| (i + rotate) % 16 + 1)
        .collect()
}

/// Writes the project into `dir` from the samples `wavs`.
pub fn run(dir: &Path, wavs: &[PathBuf]) -> Result<(), OtError> {
    let mut project = Project::create(dir);
    project.set_tempo(124.0)?;
    let mut slots = Vec::new();
    for wav in wavs.iter().take(7) {
        slots.push(project.add_sample(wav, SlotType::Flex, None)?);
    }
    let bank = project.bank_mut(1)?;
    for (i, &slot) in slots.iter().enumerate() {
        let t = i as u8 + 1;
        let mut track = bank.part_track(1, PartCopy::Working, t)?;
        track.set_machine(MachineType::Flex);
        track.flex_slot = slot;
        track.set_param("setup.loop", 0)?; // SRC setup: play each hit once, no loop
        track.set_param("amp.rel", 64)?; // a shorter release than the default 127
        bank.set_part_track(1, PartCopy::Working, t, &track)?;
        let hits = [4u8, 3, 7, 5, 2, 6, 9][i]; // ok: i < 7
        for s in euclid(hits, i as u8) {
            let mut step = bank.audio_step(1, t, s)?;
            step.trig = true;
            if s % 4 == 3 {
                step.condition = Condition::parse("50%")?;
            }
            if t == 3 {
                step.micro = if s % 2 == 0 { 6 } else { -3 }; // a loose hat
                step.set_lock("amp.vol", Some(80 + 3 * u16::from(s)))?;
            }
            bank.set_audio_step(1, t, s, &step)?;
        }
    }
    // Acid line: MIDI track 1, 16 notes, slides as legato length, accents as velocity.
    let notes = [36u8, 36, 48, 36, 39, 36, 51, 36, 36, 43, 36, 46, 36, 48, 39, 41];
    for (i, &n) in notes.iter().enumerate() {
        let s = i as u8 + 1;
        let mut step = bank.midi_step(1, 1, s)?;
        step.trig = i % 3 != 2;
        step.set_note(Some(n), Some(if i % 4 == 0 { 120 } else { 90 }), None)?;
        if i % 8 == 7 {
            step.condition = Condition::parse("fill")?;
        }
        if i == 5 {
            step.micro = 4;
        }
        bank.set_midi_step(1, 1, s, &step)?;
    }
    let mut midi = bank.midi_part_track(1, PartCopy::Working, 1)?;
    midi.channel = 2;
    midi.set_param("ctrl1_setup.cc1", 74)?; // CC 1 of the CTRL1 page sends the filter cutoff
    bank.set_midi_part_track(1, PartCopy::Working, 1, &midi)?;
    project.save()?;
    Ok(())
}

#[allow(dead_code)]
fn main() {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let Some((dir, wavs)) = args.split_first().filter(|(_, w)| !w.is_empty()) else {
        eprintln!("usage: euclid_acid PROJECT_DIR SAMPLE.wav [SAMPLE.wav ...]");
        std::process::exit(2);
    };
    if let Err(e) = run(dir, wavs) {
        eprintln!("error: {e}");
        std::process::exit(1);
    }
    println!("wrote {}", dir.display());
}
