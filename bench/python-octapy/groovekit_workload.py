"""The groovekit side of the bench (groovekit.octatrack, the Python binding of the Rust model):
open a project, read every step of every audio and MIDI track of every pattern of the 16 banks,
write the project back. The same reads as octapy_workload.py (trig, trigless, condition on audio
steps; trig on MIDI steps), and the same count printed.

    python groovekit_workload.py PROJECT_DIR OUT_DIR
"""

import sys

from groovekit.octatrack import Project


def main(src: str, out: str) -> None:
    project = Project.open(src)
    seen = 0
    for bank in project:
        for pattern in bank:
            for track in pattern.audio_tracks:
                for step in track:
                    seen += step.trig + step.trigless + (step.condition is not None)
            for track in pattern.midi_tracks:
                for step in track:
                    seen += step.trig
    project.save(out)
    print(seen)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
