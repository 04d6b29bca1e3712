//! Opens a project and transposes one bank: every MIDI note lock and every pitch (`src.ptch`)
//! lock of Flex, Static and Pickup tracks moves by the given number of semitones (one PTCH step
//! is taken as one semitone).
//!
//! ```sh
//! cargo run -p groovekit-octatrack --example transpose_bank -- MYPROJECT 1 -2
//! ```

use std::path::Path;

use groovekit_octatrack::{OtError, Project};

/// Transposes bank `bank` of the project in `dir` by `semitones`; returns how many locks moved.
pub fn run(dir: &Path, bank: u8, semitones: i16) -> Result<usize, OtError> {
    let mut project = Project::open(dir)?;
    let b = project.bank_mut(bank)?;
    let mut moved = 0;
    let shift = |v: u16| (i32::from(v) + i32::from(semitones)).clamp(0, 127) as u16;
    for p in 1..=16 {
        for t in 1..=8 {
            for s in 1..=64 {
                let mut m = b.midi_step(p, t, s)?;
                if let Some(n) = m.note() {
                    m.set_lock("note.note", Some(shift(u16::from(n)) as u8))?;
                    b.set_midi_step(p, t, s, &m)?;
                    moved += 1;
                }
                let mut a = b.audio_step(p, t, s)?;
                if let Ok(Some(v)) = a.lock("src.ptch") {
                    a.set_lock("src.ptch", Some(shift(v)))?;
                    b.set_audio_step(p, t, s, &a)?;
                    moved += 1;
                }
            }
        }
    }
    project.save()?;
    Ok(moved)
}

#[allow(dead_code)]
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let parsed = match args.as_slice() {
        [dir, bank, semis] => bank.parse::<u8>().ok().zip(semis.parse::<i16>().ok()).map(|(b, s)| (dir, b, s)),
        _ => None,
    };
    let Some((dir, bank, semis)) = parsed else {
        eprintln!("usage: transpose_bank PROJECT_DIR BANK(1-16) SEMITONES");
        std::process::exit(2);
    };
    match run(Path::new(dir), bank, semis) {
        Ok(n) => println!("moved {n} locks"),
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(1);
        }
    }
}
