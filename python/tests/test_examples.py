"""The examples under python/examples run, and what they write reads back and checks clean."""

from __future__ import annotations

import pathlib
import subprocess
import sys

import groovekit
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


def test_web_dump_answers_an_upload_with_its_json_document(fixtures: pathlib.Path) -> None:
    import json
    import urllib.error
    import urllib.request

    script = EXAMPLES / "web_dump.py"
    # The README shows the example as it is in the file.
    readme = (EXAMPLES.parents[1] / "README.md").read_text()
    assert script.read_text().strip() in readme
    server = subprocess.Popen([sys.executable, str(script), "0"], stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None
        url = server.stdout.readline().split()[-1]
        assert url.startswith("http://127.0.0.1:"), url

        def post(data: bytes, query: str = "") -> tuple[int, object]:
            req = urllib.request.Request(url + query, data=data, method="POST")
            try:
                with urllib.request.urlopen(req, timeout=60) as r:
                    return r.status, json.loads(r.read())
            except urllib.error.HTTPError as e:
                return e.code, json.loads(e.read())

        for f in [
            fixtures / "octatrack" / "real-device" / "bank01.work",
            fixtures / "opz" / "error-garden" / "project01.opz",
            fixtures / "track" / "melody.track",
        ]:
            assert post(f.read_bytes()) == (200, json.loads(groovekit.dump(f, format="json"))), f
        bank = bytearray((fixtures / "octatrack" / "blank-project" / "bank01.work").read_bytes())
        status, err = post(bytes(bank[:1000]), "?name=bank01.work")
        assert status == 400 and isinstance(err, dict) and err["offset"] == 1000 and "truncated" in err["error"], err
        status, err = post(b"BPM 120\nFOO 1\n", "?name=x.track")
        assert status == 400 and isinstance(err, dict) and (err["line"], err["col"]) == (2, 1), err
        assert "unknown statement" in str(err["error"]), err
    finally:
        server.terminate()
        server.wait(timeout=30)
