"""groovekit.track on the .track fixtures: diagnostics with line:col, renders equal to the CLI."""

from __future__ import annotations

import pathlib

import numpy as np
import pytest

import groovekit
from groovekit import track

from conftest import read_float_wav, run_cli


def songs(fixtures: pathlib.Path) -> list[pathlib.Path]:
    found = sorted((fixtures / "track").glob("*.track"))
    assert len(found) >= 3, found
    return found


def test_every_fixture_parses(fixtures: pathlib.Path) -> None:
    for path in songs(fixtures):
        s = track.Song.load(path)
        assert s.bpm > 0 and s.voice_count > 0, path
        assert track.Song.parse(path.read_text()).to_dict() == s.to_dict()
        assert track.check(path.read_text()) == [] or all(not d.is_error for d in track.check(path.read_text()))


def test_errors_carry_line_and_col() -> None:
    text = "BPM 120\nPATTERN a LENGTH 1\n  0 NOTE_C4\nSCORE\n  0 b\n"
    diags = track.check(text)
    errors = [d for d in diags if d.is_error]
    assert errors, diags
    with pytest.raises(groovekit.ValidationError) as e:
        track.Song.parse(text)
    first = errors[0]
    assert (e.value.line, e.value.col) == (first.line, first.col)
    assert e.value.offset == first.start
    assert [str(d) for d in e.value.diagnostics] == [str(d) for d in diags]
    assert str(first).startswith(f"{first.line}:{first.col}: error: ")


def test_bpm_out_of_range_points_at_the_number() -> None:
    with pytest.raises(groovekit.ValidationError) as e:
        track.Song.parse("BPM 0\n")
    assert e.value.line == 1 and e.value.col == 5


def test_render_equals_the_cli_wav(fixtures: pathlib.Path, cli: pathlib.Path, tmp_path: pathlib.Path) -> None:
    for path in songs(fixtures):
        for rate in (48000, 44100):
            wav = tmp_path / "out.wav"
            run_cli(cli, "render", str(path), "-o", str(wav), "--bits", "32f", "--rate", str(rate))
            expected = read_float_wav(wav)
            got = track.Song.load(path).render(rate=rate)
            assert got.dtype == np.float32 and got.shape == expected.shape, (path, got.shape, expected.shape)
            np.testing.assert_array_equal(got, expected)
            assert np.abs(got).max() > 0.01


def test_render_of_parsed_text_uses_song_dir(fixtures: pathlib.Path) -> None:
    path = fixtures / "track" / "kick_snare.track"
    a = track.Song.load(path).render()
    b = track.Song.parse(path.read_text()).render(song_dir=path.parent)
    np.testing.assert_array_equal(a, b)


def test_missing_asset_is_an_error(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    path = fixtures / "track" / "kick_snare.track"
    with pytest.raises(groovekit.Error):
        track.Song.parse(path.read_text()).render(song_dir=tmp_path)


def test_format_is_idempotent(fixtures: pathlib.Path) -> None:
    for path in songs(fixtures):
        once = track.format(path.read_text())
        assert track.format(once) == once
