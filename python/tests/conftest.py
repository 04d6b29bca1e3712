"""Shared test helpers: the fixture corpus (same lookup as the Rust tests), the CLI binary for
cross-checks, and a float WAV reader."""

from __future__ import annotations

import os
import pathlib
import shutil
import struct
import subprocess
from typing import Iterator

import numpy as np
import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]
IN_CI = os.environ.get("CI") == "true"


def _missing(what: str) -> None:
    """Skip with a notice, or fail under CI=true (CI must never pass by skipping)."""
    if IN_CI:
        pytest.fail(f"{what} not found; CI=true makes this a failure")
    pytest.skip(f"{what} not found")


@pytest.fixture(scope="session")
def fixtures() -> pathlib.Path:
    """$GROOVEKIT_FIXTURES, else <repo>/../shared/fixtures (as groovekit_core::fixtures)."""
    env = os.environ.get("GROOVEKIT_FIXTURES")
    d = pathlib.Path(env) if env else REPO.parent / "shared" / "fixtures"
    if not d.is_dir():
        _missing(f"fixture corpus ({d}; set GROOVEKIT_FIXTURES)")
    return d


@pytest.fixture(scope="session")
def cli() -> pathlib.Path:
    """The groovekit CLI: $GROOVEKIT_BIN, else target/release or target/debug of the repo."""
    env = os.environ.get("GROOVEKIT_BIN")
    candidates = [pathlib.Path(env)] if env else [REPO / "target" / p / "groovekit" for p in ("release", "debug")]
    for c in candidates:
        if c.is_file():
            return c
    found = shutil.which("groovekit")
    if found:
        return pathlib.Path(found)
    _missing("groovekit CLI binary (build it with `cargo build -p groovekit` or set GROOVEKIT_BIN)")
    raise AssertionError("unreachable")


def run_cli(cli: pathlib.Path, *args: str) -> subprocess.CompletedProcess[str]:
    """Runs the CLI and fails the test with its stderr when it exits non-zero."""
    r = subprocess.run([str(cli), *args], capture_output=True, text=True)
    assert r.returncode == 0, f"groovekit {' '.join(args)} exited {r.returncode}: {r.stderr}"
    return r


def read_float_wav(path: pathlib.Path) -> np.ndarray:
    """A 32-bit float WAV as a (frames, channels) float32 array (the stdlib `wave` module reads
    integer PCM only)."""
    data = path.read_bytes()
    assert data[:4] == b"RIFF" and data[8:12] == b"WAVE", f"{path} is not a WAV file"
    pos, channels, fmt_tag, bits, pcm = 12, 0, 0, 0, None
    while pos + 8 <= len(data):
        cid, size = data[pos : pos + 4], struct.unpack("<I", data[pos + 4 : pos + 8])[0]
        body = data[pos + 8 : pos + 8 + size]
        if cid == b"fmt ":
            fmt_tag, channels = struct.unpack("<HH", body[:4])
            bits = struct.unpack("<H", body[14:16])[0]
            if fmt_tag == 0xFFFE:  # WAVE_FORMAT_EXTENSIBLE: the sub-format's first two bytes
                fmt_tag = struct.unpack("<H", body[24:26])[0]
        elif cid == b"data":
            pcm = body
        pos += 8 + size + (size & 1)
    assert fmt_tag == 3 and bits == 32, f"{path}: not 32-bit float (format {fmt_tag}, {bits} bits)"
    assert pcm is not None, f"{path}: no data chunk"
    return np.frombuffer(pcm, dtype="<f4").reshape(-1, channels)


def files(d: pathlib.Path, *suffixes: str) -> Iterator[pathlib.Path]:
    """Regular files below d with one of the suffixes, sorted."""
    return iter(sorted(p for p in d.rglob("*") if p.is_file() and p.suffix in suffixes))
