"""The octapy side of the bench (run inside the bench's own venv where octapy is installed from a
checkout of its public repository): open a project, read every step of every audio and MIDI
track of every pattern of the 16 banks, write the project back.

    python octapy_workload.py PROJECT_DIR OUT_DIR
"""

import sys

from octapy import Project


def main(src: str, out: str) -> None:
    project = Project.from_directory(src)
    seen = 0
    for b in range(1, 17):
        bank = project.bank(b)
        for p in range(1, 17):
            pattern = bank.pattern(p)
            for t in range(1, 9):
                track = pattern.audio_track(t)
                for s in range(1, 65):
                    step = track.step(s)
                    # octapy's condition is a TrigCondition IntEnum, NONE (0) when there is none.
                    seen += bool(step.active) + bool(step.trigless) + bool(step.condition)
                midi = pattern.midi_track(t)
                for s in range(1, 65):
                    step = midi.step(s)
                    seen += bool(step.active)
    project.to_directory(out)
    print(seen)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
