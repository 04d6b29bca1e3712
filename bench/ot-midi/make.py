"""Writes the benchmark's MIDI files (plain Python, no library): `10k.mid`, 10 000 notes on 8
tracks over 16 patterns of 64 steps at 480 ticks a quarter (chords of 1-3 notes, a quarter of the
notes 1-30 ticks off the grid), and `chords.mid`, one pattern of 4-note chords on M1."""

import random
import struct
import sys


def vlq(n: int) -> bytes:
    out = [n & 0x7F]
    n >>= 7
    while n:
        out.append(0x80 | (n & 0x7F))
        n >>= 7
    return bytes(reversed(out))


def track(name: str, events: list[tuple[int, bytes]]) -> bytes:
    body = b"\x00\xff\x03" + vlq(len(name)) + name.encode()
    last = 0
    for tick, msg in sorted(events, key=lambda e: (e[0], e[1][0] & 0xF0 == 0x90)):
        body += vlq(tick - last) + msg
        last = tick
    body += b"\x00\xff\x2f\x00"
    return b"MTrk" + struct.pack(">I", len(body)) + body


def smf(tracks: list[bytes], ppq: int) -> bytes:
    head = b"MThd" + struct.pack(">IHHH", 6, 1, len(tracks), ppq)
    return head + b"".join(tracks)


def main(work: str) -> None:
    rng = random.Random(21)
    ppq, step = 480, 120
    notes_per_track = 1250
    tracks = []
    for t in range(8):
        ev: list[tuple[int, bytes]] = []
        n = 0
        s = 0
        while n < notes_per_track:
            size = min(rng.choice([1, 1, 2, 3]), notes_per_track - n)
            start = s * step + (rng.randint(1, 30) if rng.random() < 0.25 else 0)
            for k in range(size):
                key = 48 + rng.randint(0, 24) + 4 * k
                ev.append((start, bytes([0x90 | t, key, rng.randint(40, 127)])))
                ev.append((start + step * rng.randint(1, 4), bytes([0x80 | t, key, 0])))
            n += size
            s = (s + 1) % (16 * 64)
        tracks.append(track(f"M{t + 1}", ev))
    open(f"{work}/10k.mid", "wb").write(smf(tracks, ppq))
    ev = []
    for s in range(64):
        for k, key in enumerate((60, 64, 67, 71)):
            ev.append((s * step, bytes([0x90, key - 12 * (s % 2), 90])))
            ev.append((s * step + step, bytes([0x80, key - 12 * (s % 2), 0])))
    open(f"{work}/chords.mid", "wb").write(smf([track("M1", ev)], ppq))


if __name__ == "__main__":
    main(sys.argv[1])
