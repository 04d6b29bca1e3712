"""Write a 16-step bass line and a four-on-the-floor kick into a new OP-Z project, then export it
as MIDI.

    python opz_bassline.py OUT.opz [OUT.mid]
"""

from __future__ import annotations

import sys

from groovekit import opz

BASS = [36, 0, 36, 48, 0, 36, 0, 39, 36, 0, 43, 0, 36, 48, 0, 46]  # 0 = rest


def build(tempo: int = 124) -> opz.Project:
    """A new project with pattern 1 filled in and chain 16 (the playing one) set to it."""
    project = opz.Project.new()
    project.tempo = tempo
    pattern = project.pattern(1)
    kick = pattern.track("kick")
    for step in (1, 5, 9, 13):
        kick.add_note(step, 60, velocity=110)
    bass = pattern.track("bass")
    for step, note in enumerate(BASS, start=1):
        if note:
            bass.add_note(step, note, velocity=100 if step % 4 == 1 else 80, duration=1536)
    project.set_chain(16, [1])
    return project


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    project = build()
    project.save(argv[1])
    notes = sum(len(t.notes) for t in project.pattern(1))
    print(f"wrote {argv[1]}: tempo {project.tempo}, {notes} notes in pattern 1")
    if len(argv) > 2:
        project.to_midi(argv[2], pattern=1)
        print(f"wrote {argv[2]}")
    problems = [p for p in project.check() if p["error"]]
    for p in problems:
        print(f"problem at byte {p['offset']}: {p['message']}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
