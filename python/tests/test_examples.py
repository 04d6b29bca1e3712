"""The examples under python/examples run, and what they write reads back and checks clean."""

from __future__ import annotations

import pathlib
import subprocess
import sys

from groovekit import okt, opz

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"


def run(*args: str) -> str:
    r = subprocess.run([sys.executable, *args], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout


def test_opz_bassline(tmp_path: pathlib.Path) -> None:
    out, mid = tmp_path / "b.opz", tmp_path / "b.mid"
    run(str(EXAMPLES / "opz_bassline.py"), str(out), str(mid))
    p = opz.Project.open(out)
    assert p.tempo == 124 and p.chain(16) == [1]
    assert len(p.pattern(1).track("kick").notes) == 4
    assert len(p.pattern(1).track("bass").notes) == 10
    assert not [f for f in p.check() if f["error"]]
    assert mid.read_bytes() == p.to_midi(pattern=1)


def test_okt_render(fixtures: pathlib.Path) -> None:
    src = fixtures / "okt" / "demosong_3.okta"
    text = run(str(EXAMPLES / "okt_render.py"), str(src))
    frames = okt.Module.load(src).render().shape[0]
    assert text.startswith(f"{frames} frames"), text
