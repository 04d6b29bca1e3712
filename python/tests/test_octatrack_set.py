"""groovekit.octatrack.Set (issue 25): a Set indexed in one call, checked against the files made."""

import pathlib
import shutil
import struct

import groovekit.octatrack as ot


def _wav(path: pathlib.Path, rate: int, fill: int) -> None:
    data = bytes([fill]) * 400
    fmt = struct.pack("<IHHIIHH", 16, 1, 1, rate, rate * 2, 2, 16)
    path.write_bytes(b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt " + fmt + b"data" + struct.pack("<I", len(data)) + data)


def test_set_open_lists_projects_files_and_uses(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    s = tmp_path / "SET"
    shutil.copytree(fixtures / "octatrack" / "bank-copy" / "BANK-COPY-SRC", s / "SRC")
    (s / "AUDIO").mkdir()
    _wav(s / "AUDIO" / "first-0.wav", 44100, 1)
    _wav(s / "AUDIO" / "second-0.wav", 48000, 2)
    _wav(s / "AUDIO" / "fourth-0.wav", 44100, 3)
    _wav(s / "AUDIO" / "copy.wav", 44100, 3)  # the same bytes as fourth-0.wav, used by nothing

    st = ot.Set.open(s)
    assert [p["name"] for p in st.projects] == ["SRC"]
    assert [f["name"] for f in st.files] == ["AUDIO/copy.wav", "AUDIO/first-0.wav", "AUDIO/fourth-0.wav", "AUDIO/second-0.wav"]
    assert st.unused() == ["AUDIO/copy.wav"]
    assert st.unplayable() == ["AUDIO/second-0.wav"]
    assert [m["name"] for m in st.missing] == ["AUDIO/fifth-0.wav"]
    assert st.duplicates() == [["AUDIO/copy.wav", "AUDIO/fourth-0.wav"]]
    uses = st.usage(s / "AUDIO" / "first-0.wav")
    assert uses and all(u["project"] == "SRC" for u in uses)
    assert st.usage(s / "AUDIO" / "copy.wav") == []
    assert "1 projects" in repr(st)
