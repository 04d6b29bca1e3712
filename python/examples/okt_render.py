"""Render an Oktalyzer module to a numpy array and plot its waveform (matplotlib if present).

    python okt_render.py MODULE.okta [OUT.png]

Notebook-friendly: `render(path)` returns the (frames, 2) float32 array and the rate.
"""

from __future__ import annotations

import importlib
import sys
from typing import Any

import numpy as np
import numpy.typing as npt

from groovekit import okt

RATE = 48000


def render(path: str) -> npt.NDArray[np.float32]:
    """The module as the original replayer plays it once through, stereo at RATE Hz."""
    return okt.Module.load(path).render(rate=RATE, interpolation="linear")


def describe(audio: npt.NDArray[np.float32]) -> str:
    """Length, peak and RMS of a render."""
    seconds = audio.shape[0] / RATE
    peak = float(np.abs(audio).max()) if audio.size else 0.0
    rms = float(np.sqrt(np.mean(np.square(audio, dtype=np.float64)))) if audio.size else 0.0
    return f"{audio.shape[0]} frames ({seconds:.1f} s), {audio.shape[1]} channels, peak {peak:.3f}, rms {rms:.3f}"


def plot(audio: npt.NDArray[np.float32], out: str) -> bool:
    """Plots both channels' waveforms to `out`; False when matplotlib is not installed."""
    try:
        matplotlib: Any = importlib.import_module("matplotlib")
    except ImportError:
        return False
    matplotlib.use("Agg")
    plt: Any = importlib.import_module("matplotlib.pyplot")
    t = np.arange(audio.shape[0]) / RATE
    fig, axes = plt.subplots(audio.shape[1], 1, sharex=True, figsize=(10, 4))
    for ch, ax in enumerate(np.atleast_1d(axes)):
        ax.plot(t, audio[:, ch], linewidth=0.3)
        ax.set_ylabel("LR"[ch] if audio.shape[1] == 2 else "mono")
    axes_list = np.atleast_1d(axes)
    axes_list[-1].set_xlabel("seconds")
    fig.savefig(out, dpi=100)
    return True


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    audio = render(argv[1])
    print(describe(audio))
    if len(argv) > 2:
        print(f"waveform written to {argv[2]}" if plot(audio, argv[2]) else "matplotlib is not installed: no plot")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
