#!/usr/bin/env python3
"""Where groovekit departs from each reference player, per module and per 2-second window, with
the effects at the rows of that window, so that a departure is explained rather than averaged away.

For every module: groovekit renders with `--compat openmpt` (compared with openmpt123) and with
`--compat xmp` (compared with xmp), so the timing and the cheap switches match each player and
what remains are the rules that differ. All renders are mono at RATE with linear interpolation
(openmpt123 --channels 1 --filter 2 --ramping 0; xmp in stereo averaged to mono, because xmp
4.1.0's own -m mix inverts the polarity of some split-pair voices). Each window's Pearson
correlation is level-independent; windows below THRESHOLD are listed with the order positions and
rows they cover (from `groovekit okt trace --compat ... --json`) and the effects in those rows
(counted per effect as Oktalyzer shows it, with the channels, 1-based).

Usage: bench/okt-compare-windows.py GROOVEKIT FIXTURE_DIR [RATE] [THRESHOLD]
Needs openmpt123 and xmp on PATH. Pure Python (no numpy). RATE must be a multiple of 50
(default 44100) so that a tick is a whole number of frames in every player; otherwise their
tick rounding drifts apart.
"""
import json
import os
import subprocess
import sys
import tempfile
import array
import math
import wave
from collections import Counter

WINDOW = 2.0
EFFECTS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def read_mono(path):
    with wave.open(path, "rb") as w:
        n, ch, width = w.getnframes(), w.getnchannels(), w.getsampwidth()
        raw = w.readframes(n)
    if width == 2:
        x = array.array("h", raw)
    elif width == 4:
        x = array.array("f", raw)
    else:
        raise SystemExit(f"{path}: unsupported sample width {width}")
    if sys.byteorder != "little":
        x.byteswap()
    if ch == 1:
        return list(x)
    return [sum(x[i:i + ch]) / ch for i in range(0, len(x), ch)]


def corr(x, y):
    """Pearson correlation and whether each side is silent."""
    n = len(x)
    mx, my = sum(x) / n, sum(y) / n
    sxy = sxx = syy = 0.0
    for a, b in zip(x, y):
        a -= mx
        b -= my
        sxy += a * b
        sxx += a * a
        syy += b * b
    return (sxy / math.sqrt(sxx * syy) if sxx > 0 and syy > 0 else None), sxx == 0, syy == 0


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, **kw).stdout


def row_effects(gk, module):
    """{(pattern, row): [(effect char, channel 1-based), ...]} from the dump document."""
    doc = json.loads(run([gk, "dump", "--format", "json", module]))
    out = {}
    for p, pat in enumerate(doc.get("patterns", [])):
        for r, text in enumerate(pat.get("cells", [])):
            cells = [c.strip() for c in text.split("|")]
            fx = []
            for ch, cell in enumerate(cells):
                parts = cell.split()
                if len(parts) == 3 and parts[2] not in ("000",) and parts[2][0] != "0":
                    fx.append((parts[2][0], ch + 1))
            out[(p, r)] = fx
    return out


def tick_rows(gk, module, compat):
    """Per tick: (order, pattern, row)."""
    ticks = json.loads(run([gk, "okt", "trace", "--json", "--compat", compat, module]))
    return [(t["order"], t["pattern"], t["row"]) for t in ticks]


def windows(a, b, rate):
    n = min(len(a), len(b))
    size = int(WINDOW * rate)
    for start in range(0, n, size):
        x, y = a[start:start + size], b[start:start + size]
        if len(x) < size // 4:
            break
        c, silent_x, silent_y = corr(x, y)
        if silent_x and silent_y:
            yield start / rate, 1.0, "silent"
        elif c is None:
            yield start / rate, 0.0, "groovekit silent" if silent_x else "player silent"
        else:
            yield start / rate, c, ""


def explain(t0, ticks, effects, tick_rate=50.0):
    first, last = int(t0 * tick_rate), int((t0 + WINDOW) * tick_rate)
    span = ticks[first:last]
    if not span:
        return "past the end of groovekit's trace", ""
    rows = sorted({(p, r) for (_, p, r) in span if r >= 0})
    orders = sorted({o for (o, _, _) in span})
    fx = Counter()
    chans = {}
    for key in rows:
        for e, ch in effects.get(key, []):
            fx[e] += 1
            chans.setdefault(e, set()).add(ch)
    where = f"orders {orders[0]}-{orders[-1]}" if orders else "-"
    what = ", ".join(f"{e}x{n} (ch {','.join(map(str, sorted(chans[e])))})" for e, n in fx.most_common()) or "no effects"
    return where, what


def main():
    if len(sys.argv) < 3:
        print(__doc__)
        sys.exit(2)
    gk, fixtures = sys.argv[1], sys.argv[2]
    rate = int(sys.argv[3]) if len(sys.argv) > 3 else 44100
    threshold = float(sys.argv[4]) if len(sys.argv) > 4 else 0.95
    tmp = tempfile.mkdtemp()
    names = sorted(f for f in os.listdir(fixtures) if f.endswith((".okta", ".okt")))
    print(f"{WINDOW:.0f}-second windows below correlation {threshold}, mono {rate} Hz linear")
    for name in names:
        module = os.path.join(fixtures, name)
        effects = row_effects(gk, module)
        local = os.path.join(tmp, name)
        with open(module, "rb") as src, open(local, "wb") as dst:
            dst.write(src.read())
        run(["openmpt123", "--render", "--output-type", "wav", "--samplerate", str(rate), "--channels", "1",
             "--filter", "2", "--ramping", "0", "--no-float", "--dither", "0", "--repeat", "0", "--force", local])
        om = read_mono(local + ".wav")
        xm_path = os.path.join(tmp, name + ".xmp.wav")
        subprocess.run(["xmp", "--norc", "-q", "-f", str(rate), "-i", "linear", "-a", "0", "-o", xm_path, module],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        players = [("openmpt", om)]
        if os.path.exists(xm_path):
            players.append(("xmp", read_mono(xm_path)))
        print(f"\n## {name}")
        for compat, ref in players:
            out = os.path.join(tmp, f"{name}.{compat}.gk.wav")
            run([gk, "render", module, "-o", out, "--rate", str(rate), "--channels", "1", "--interpolation",
                 "linear", "--compat", compat])
            g = read_mono(out)
            ticks = tick_rows(gk, module, compat)
            bad = [(t0, c, note) for (t0, c, note) in windows(g, ref, rate) if c < threshold]
            total = math.ceil(min(len(g), len(ref)) / rate / WINDOW)
            print(f"- vs {compat}: {len(bad)} of {total} windows below {threshold}"
                  f" (durations {len(g) / rate:.2f} s / {len(ref) / rate:.2f} s)")
            for t0, c, note in bad:
                where, what = explain(t0, ticks, effects)
                extra = f", {note}" if note else ""
                print(f"  - {t0:6.1f} s: corr {c:.3f}{extra}; {where}; effects: {what}")


if __name__ == "__main__":
    main()
