"""groovekit.detect / inspect / verify / dump / build on every format's fixtures."""

from __future__ import annotations

import json
import pathlib
import shutil

import pytest

import groovekit

from conftest import files, run_cli


def samples(fixtures: pathlib.Path) -> dict[str, pathlib.Path]:
    ot = fixtures / "octatrack"
    return {
        "octatrack-bank": ot / "blank-project" / "bank01.work",
        "octatrack-arrangement": ot / "blank-project" / "arr01.work",
        "octatrack-markers": ot / "blank-project" / "markers.work",
        "octatrack-project": ot / "blank-project" / "project.work",
        "octatrack-sample-settings": ot / "chain" / "sliced.ot",
        "oktalyzer-module": fixtures / "okt" / "kampfmodul.okta",
        "opz-project": fixtures / "opz" / "error-garden" / "project01.opz",
        "opz-kit": fixtures / "opz" / "samplepacks" / "kick-combo_patch.aif",
        "track-song": fixtures / "track" / "kick_snare.track",
    }


def test_detect(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    for kind, path in samples(fixtures).items():
        assert groovekit.detect(path) == kind, path
    other = tmp_path / "notes.txt"
    other.write_text("hello")
    assert groovekit.detect(other) is None


def test_dump_equals_the_cli_and_build_round_trips(fixtures: pathlib.Path, cli: pathlib.Path, tmp_path: pathlib.Path) -> None:
    for kind, path in samples(fixtures).items():
        for fmt in ("yaml", "json"):
            text = groovekit.dump(path, format=fmt)
            # The CLI writes Oktalyzer sample data to files beside its output, and has no .track dump yet.
            if kind not in ("oktalyzer-module", "track-song"):
                assert text == run_cli(cli, "dump", str(path), "--format", fmt).stdout, (kind, fmt)
            out = tmp_path / f"{kind}.{fmt}.bin"
            assert groovekit.build(text, out) is None
            assert out.read_bytes() == path.read_bytes(), (kind, fmt)
        assert json.loads(groovekit.dump(path, "json"))["kind"] == kind


def test_build_backs_up_an_existing_file(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    src = fixtures / "octatrack" / "blank-project" / "bank02.work"
    out = tmp_path / "bank02.work"
    out.write_bytes(b"old")
    backup = groovekit.build(groovekit.dump(src), out)
    assert backup is not None and pathlib.Path(backup).read_bytes() == b"old"
    assert out.read_bytes() == src.read_bytes()
    with pytest.raises(groovekit.FormatError, match="kind"):
        groovekit.build("hello: 1\n", tmp_path / "x")


def test_inspect(fixtures: pathlib.Path) -> None:
    for kind, path in samples(fixtures).items():
        info = groovekit.inspect(path)
        assert info["kind"] == kind and info["path"] == str(path)
        assert info["document"], kind
    assert groovekit.inspect(samples(fixtures)["track-song"])["document"]["bpm"] > 0


def test_verify_clean_fixtures(fixtures: pathlib.Path) -> None:
    for kind, path in samples(fixtures).items():
        problems = [p for p in groovekit.verify(path) if p.severity == "problem"]
        assert problems == [], (kind, [str(p) for p in problems])
    assert [p for p in groovekit.verify(fixtures / "octatrack" / "blank-project") if p.severity == "problem"] == []


def test_verify_finds_a_damaged_bank_with_its_offset(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    bank = tmp_path / "bank01.work"
    data = bytearray((fixtures / "octatrack" / "blank-project" / "bank01.work").read_bytes())
    data[0] ^= 0xFF
    bank.write_bytes(bytes(data))
    found = groovekit.verify(bank)
    assert found and found[0].severity == "problem" and found[0].offset == 0, [str(p) for p in found]


def test_verify_track_points_at_line_and_col(tmp_path: pathlib.Path) -> None:
    song = tmp_path / "bad.track"
    song.write_text("BPM 0\n")
    (p,) = [p for p in groovekit.verify(song) if p.severity == "problem"]
    assert (p.line, p.col) == (1, 5) and str(p).startswith(f"{song}:1:5: ")


def test_verify_a_folder_lists_unrecognised_files(tmp_path: pathlib.Path, fixtures: pathlib.Path) -> None:
    shutil.copy(fixtures / "okt" / "kampfmodul.okta", tmp_path)
    (tmp_path / "readme.txt").write_text("hi")
    found = groovekit.verify(tmp_path)
    assert [(pathlib.Path(p.path).name, p.severity) for p in found if p.severity != "warning"] == [("readme.txt", "unrecognised")]
    with pytest.raises(groovekit.IoError):
        groovekit.verify(tmp_path / "missing")
