"""groovekit.opz on the OP-Z fixtures: byte-exact round trips, edits equal to the CLI's, errors."""

from __future__ import annotations

import pathlib
import shutil

import pytest

import groovekit
from groovekit import opz

from conftest import files, run_cli


def projects(fixtures: pathlib.Path) -> list[pathlib.Path]:
    found = [p for p in files(fixtures / "opz", ".opz") if p.stat().st_size > 0]
    assert len(found) >= 15, found
    return found


def test_every_project_round_trips(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    for path in projects(fixtures):
        p = opz.Project.open(path)
        assert p.to_bytes() == path.read_bytes(), path
        out = tmp_path / "p.opz"
        p.save(out, backup=False)
        assert out.read_bytes() == path.read_bytes()


def test_empty_project_raises_format_error(fixtures: pathlib.Path) -> None:
    empty = fixtures / "opz" / "sample-manager" / "bounces" / "bounce02" / "project.opz"
    assert empty.stat().st_size == 0
    with pytest.raises(groovekit.FormatError, match="empty") as e:
        opz.Project.open(empty)
    assert e.value.file == str(empty)


def test_views(fixtures: pathlib.Path) -> None:
    p = opz.Project.open(fixtures / "opz" / "error-garden" / "project01.opz")
    assert 40 <= p.tempo <= 200
    assert len(p.patterns) == 16 and len(list(p)) == 16
    total = sum(len(t.notes) for pat in p for t in pat)
    assert total > 500
    kick = p.pattern(1).track("kick")
    assert kick.number == 1 and kick.name == "kick"
    assert p.pattern(1).track(1).notes == kick.notes or [repr(n) for n in p.pattern(1).track(1).notes] == [repr(n) for n in kick.notes]
    for n in kick.notes:
        assert 1 <= n.step <= 16 and 1 <= n.slot <= kick.polyphony
    assert all(1 <= x <= 16 for x in p.chain(16))
    with pytest.raises(groovekit.ValidationError, match="pattern 0"):
        p.pattern(0)
    with pytest.raises(groovekit.ValidationError, match="unknown track"):
        p.pattern(1).track("banjo")


def test_tempo_edit_matches_the_cli(fixtures: pathlib.Path, cli: pathlib.Path, tmp_path: pathlib.Path) -> None:
    src = fixtures / "opz" / "error-garden" / "project02.opz"
    via_cli = tmp_path / "cli.opz"
    shutil.copy(src, via_cli)
    run_cli(cli, "opz", "set-tempo", str(via_cli), "97")
    p = opz.Project.open(src)
    p.tempo = 97
    assert p.to_bytes() == via_cli.read_bytes()
    with pytest.raises(groovekit.ValidationError, match="tempo|40"):
        p.tempo = 300


def test_add_note_and_save(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    p = opz.Project.new()
    bass = p.pattern(2).track("bass")
    assert bass.notes == []
    assert bass.add_note(3, 48, velocity=90) == 1
    assert bass.add_note(3, 52) == 2
    out = tmp_path / "new.opz"
    p.save(out)
    again = opz.Project.open(out).pattern(2).track("bass").notes
    assert [(n.step, n.slot, n.note, n.velocity) for n in again] == [(3, 1, 48, 90), (3, 2, 52, 100)]
    with pytest.raises(groovekit.ValidationError):
        bass.add_note(17, 60)
    with pytest.raises(groovekit.ValidationError, match="velocity"):
        bass.add_note(4, 60, velocity=0)


def test_to_midi_equals_the_cli(fixtures: pathlib.Path, cli: pathlib.Path, tmp_path: pathlib.Path) -> None:
    src = fixtures / "opz" / "error-garden" / "project03.opz"
    mid = tmp_path / "cli.mid"
    run_cli(cli, "convert", str(src), str(mid), "--option", "pattern=2")
    # The CLI takes the channels from config/midi.json beside the project.
    channels = opz.midi_channels((src.parent / "config" / "midi.json").read_text())
    got = opz.Project.open(src).to_midi(pattern=2, path=tmp_path / "py.mid", channels=channels)
    assert got[:4] == b"MThd"
    assert got == mid.read_bytes() == (tmp_path / "py.mid").read_bytes()


def test_kits(fixtures: pathlib.Path) -> None:
    for path in files(fixtures / "opz" / "samplepacks", ".aif"):
        k = opz.Kit.open(path)
        assert k.to_bytes() == path.read_bytes()
        assert k.kit_type == k.json["type"]
        if k.kit_type == "drum":
            assert k.slices and all(s["end_frame"] >= s["start_frame"] for s in k.slices)


def test_copy_pattern_inside_one_project(fixtures: pathlib.Path) -> None:
    """A project may be its own source (it raised "Already mutably borrowed" before)."""
    p = opz.Project.open(fixtures / "opz" / "error-garden" / "project01.opz")
    notes = [repr(n) for t in p.pattern(1) for n in t.notes]
    assert notes
    p.copy_pattern(p, 1, 2)
    assert [repr(n) for t in p.pattern(2) for n in t.notes] == notes
    other = opz.Project.open(fixtures / "opz" / "error-garden" / "project02.opz")
    other.copy_pattern(p, 2, 3)
    assert [repr(n) for t in other.pattern(3) for n in t.notes] == notes
