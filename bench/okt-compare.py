#!/usr/bin/env python3
"""Compares groovekit's Oktalyzer render with openmpt123's and xmp's (16-bit mono WAVs).

Usage: okt-compare.py NAME GK.wav GK_NOCLAMP.wav OPENMPT.wav XMP.wav GK_SECONDS OPENMPT_SECONDS ROW_SECONDS

Prints one table row: durations, the difference to openmpt123's --info in rows, and the
Pearson correlation of groovekit's output with each player's (correlation ignores level, so
it is "level-matched"; groovekit's RMS relative to the player's is printed beside it), for
groovekit's default render and for one with --no-pair-note-clamp (neither libopenmpt 0.6.9
nor libxmp clamps A#-3/B-3 on split voices). Stereo files are averaged to mono first. Uses
numpy when present and plain Python otherwise.
"""
import array
import math
import sys
import wave

try:
    import numpy as np
except ImportError:  # plain Python fallback: slower, same numbers
    np = None


def read(path):
    with wave.open(path, "rb") as w:
        assert w.getsampwidth() == 2, f"{path}: expected 16-bit PCM"
        ch = w.getnchannels()
        a = array.array("h")
        a.frombytes(w.readframes(w.getnframes()))
        if sys.byteorder == "big":
            a.byteswap()
        if ch > 1:  # xmp is rendered in stereo (see okt-compare.sh) and averaged here
            if np is not None:
                m = np.frombuffer(a, dtype=np.int16).reshape(-1, ch).astype(np.int32).sum(1) // ch
                a = array.array("h", m.astype(np.int16).tobytes())
            else:
                a = array.array("h", [sum(a[i:i + ch]) // ch for i in range(0, len(a), ch)])
        return a, w.getframerate()


def corr(a, b):
    n = min(len(a), len(b))
    if n == 0:
        return float("nan"), float("nan")
    if np is not None:
        x = np.frombuffer(a, dtype=np.int16)[:n].astype(np.float64)
        y = np.frombuffer(b, dtype=np.int16)[:n].astype(np.float64)
        x -= x.mean()
        y -= y.mean()
        sxy, sxx, syy = float(x @ y), float(x @ x), float(y @ y)
    else:
        x, y = a[:n], b[:n]
        mx, my = sum(x) / n, sum(y) / n
        sxx = math.fsum(v * v for v in x) - n * mx * mx
        syy = math.fsum(v * v for v in y) - n * my * my
        sxy = math.fsum(map(lambda p, q: p * q, x, y)) - n * mx * my
    if sxx <= 0 or syy <= 0:
        return float("nan"), float("nan")
    return sxy / math.sqrt(sxx * syy), math.sqrt(sxx / syy)


def main():
    name, gk, gk2, om, xm, gk_s, om_s, row_s = sys.argv[1:9]
    g, rate = read(gk)
    g2, _ = read(gk2)
    o, _ = read(om)
    x, _ = read(xm)
    c_o, r_o = corr(g, o)
    c_x, r_x = corr(g, x)
    c_o2, _ = corr(g2, o)
    c_x2, _ = corr(g2, x)
    d = float(gk_s) - float(om_s)
    rows = d / float(row_s)
    print(
        f"| {name} | {float(gk_s):.2f} | {float(om_s):.2f} | {len(x) / rate:.2f} | {d:+.2f} ({rows:+.1f} rows) "
        f"| {c_o:.3f} / {c_o2:.3f} (rms x{r_o:.2f}) | {c_x:.3f} / {c_x2:.3f} (rms x{r_x:.2f}) |"
    )


if __name__ == "__main__":
    main()
