"""Builds an Octatrack project from scratch: a Euclidean drum pattern on Flex tracks, one per WAV
given on the command line, and an acid line on MIDI track 1, with trig conditions, micro-timing
and parameter locks. The Python twin of the Rust example
crates/groovekit-octatrack/examples/euclid_acid.rs: the same calls give the same bytes.

    python ot_euclid_acid.py MYSET/EUCLID kick.wav snare.wav hat.wav
    groovekit ot pattern MYSET/EUCLID --bank 1 --pattern 1
"""

from __future__ import annotations

import sys
from pathlib import Path

from groovekit import octatrack

HITS = [4, 3, 7, 5, 2, 6, 9]
ACID = [36, 36, 48, 36, 39, 36, 51, 36, 36, 43, 36, 46, 36, 48, 39, 41]


def euclid(hits: int, rotate: int) -> list[int]:
    """Steps 1-16 of a Euclidean rhythm of `hits` in 16, rotated by `rotate`."""
    return [(i + rotate) % 16 + 1 for i in range(16) if (i * hits) % 16 < hits]


def build(folder: Path, wavs: list[Path]) -> octatrack.Project:
    """Writes the project into `folder` from the samples `wavs` (at most 7 are used)."""
    project = octatrack.Project.create(folder)
    project.tempo = 124.0
    slots = [project.add_sample(wav, "flex") for wav in wavs[:7]]
    bank = project.bank(1)
    part = bank.part(1)
    pattern = bank.pattern(1)
    for i, slot in enumerate(slots):
        t = i + 1
        machine = part.track(t)
        machine.machine = "Flex"
        machine.flex_slot = slot
        machine.set_param("setup.loop", 0)  # SRC setup: play each hit once, no loop
        machine.set_param("amp.rel", 64)  # a shorter release than the default 127
        track = pattern.audio_track(t)
        for s in euclid(HITS[i], i):
            step = track.step(s)
            step.trig = True
            if s % 4 == 3:
                step.condition = "50%"
            if t == 3:
                step.micro = 6 if s % 2 == 0 else -3  # a loose hat
                step.locks["amp.vol"] = 80 + 3 * s
    # Acid line: MIDI track 1, 16 notes, accents as velocity.
    midi = pattern.midi_track(1)
    for i, note in enumerate(ACID):
        m = midi.step(i + 1)
        m.trig = i % 3 != 2
        m.note = note
        m.velocity = 120 if i % 4 == 0 else 90
        if i % 8 == 7:
            m.condition = "fill"
        if i == 5:
            m.micro = 4
    midi_part = part.midi_track(1)
    midi_part.channel = 2
    midi_part.set_param("ctrl1_setup.cc1", 74)  # CC 1 of the CTRL1 page sends the filter cutoff
    project.save()
    return project


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print("usage: ot_euclid_acid.py PROJECT_DIR SAMPLE.wav [SAMPLE.wav ...]", file=sys.stderr)
        return 2
    build(Path(argv[0]), [Path(a) for a in argv[1:]])
    print(f"wrote {argv[0]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
