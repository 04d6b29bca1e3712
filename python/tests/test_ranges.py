"""Integers out of range (issue 23, item 6): every integer parameter and setter raises
groovekit.ValidationError (also a ValueError) naming the field and its range, never PyO3's bare
OverflowError; and saving changes into a project folder that was deleted is refused."""

from __future__ import annotations

import pathlib
import shutil
from typing import Any, Callable

import pytest

import groovekit
from groovekit import octatrack as ot
from groovekit import okt, opz, track

HUGE = 2**70


def raises_named(call: Callable[[], Any], field: str) -> groovekit.ValidationError:
    with pytest.raises(groovekit.ValidationError) as e:
        call()
    assert isinstance(e.value, ValueError)
    assert field in str(e.value), (field, str(e.value))
    assert "integral type conversion" not in str(e.value)
    return e.value


def test_the_issue_examples_name_the_field_and_its_range(fixtures: pathlib.Path) -> None:
    p = ot.Project.open(fixtures / "octatrack" / "blank-project")
    pattern = p.bank(1).pattern(1)
    e = raises_named(lambda: setattr(pattern, "length", 1000), "pattern length 1000")
    assert "0-255" in str(e)
    step = pattern.audio_track(1).step(1)
    raises_named(lambda: step.locks.__setitem__("amp.vol", -1), "lock amp.vol -1")
    raises_named(lambda: setattr(step, "retrig", (999, 999)), "retrig count 999")
    raises_named(lambda: p.bank(HUGE), f"bank {HUGE}")
    o = opz.Project.open(fixtures / "opz" / "error-garden" / "project01.opz")
    raises_named(lambda: o.pattern(1).track("kick").add_note(step=1, note=36, velocity=300), "velocity 300")
    # Nothing changed.
    assert pattern.length != 1000 and "amp.vol" not in step.locks


def every_integer_call(fixtures: pathlib.Path, tmp: pathlib.Path) -> list[tuple[str, Callable[[Any], Any]]]:
    """(field named in the error, a call taking the bad value) for every integer parameter."""
    p = ot.Project.open(fixtures / "octatrack" / "blank-project")
    bank = p.bank(1)
    pattern = bank.pattern(1)
    audio, midi = pattern.audio_track(1), pattern.midi_track(1)
    step, mstep = audio.step(1), midi.step(1)
    part = bank.part(1)
    pt, mpt = part.track(1), part.midi_track(1)
    arr = p.arrangement(1)
    o = opz.Project.open(fixtures / "opz" / "error-garden" / "project01.opz")
    t = o.pattern(1).track("kick")
    m = okt.Module.load(fixtures / "okt" / "kampfmodul.okta")
    song = track.Song.load(fixtures / "track" / "melody.track")
    data = (fixtures / "octatrack" / "blank-project" / "bank01.work").read_bytes()
    return [
        ("bank", lambda v: p.bank(v)),
        ("arrangement", lambda v: p.arrangement(v)),
        ("slot", lambda v: p.add_sample(fixtures / "octatrack" / "chain" / "sliced.wav", "flex", v)),
        ("pattern", lambda v: bank.pattern(v)),
        ("part", lambda v: bank.part(v)),
        ("bank", lambda v: ot.Bank.from_bytes(data, number=v)),
        ("arrangement", lambda v: ot.Arrangement.from_bytes((fixtures / "octatrack" / "blank-project" / "arr01.work").read_bytes(), number=v)),
        ("pattern part", lambda v: setattr(pattern, "part", v)),
        ("pattern length", lambda v: setattr(pattern, "length", v)),
        ("pattern scale", lambda v: setattr(pattern, "scale", v)),
        ("track", lambda v: pattern.audio_track(v)),
        ("MIDI track", lambda v: pattern.midi_track(v)),
        ("track length", lambda v: setattr(audio, "length", v)),
        ("track scale", lambda v: setattr(midi, "scale", v)),
        ("swing amount", lambda v: setattr(audio, "swing_amount", v)),
        ("step", lambda v: audio.step(v)),
        ("step", lambda v: midi.step(v)),
        ("micro-timing", lambda v: setattr(step, "micro", v)),
        ("repeats", lambda v: setattr(mstep, "repeats", v)),
        ("lock amp.vol", lambda v: setattr(step, "locks", {"amp.vol": v})),
        ("lock amp.vol", lambda v: step.locks.__setitem__("amp.vol", v)),
        ("sample lock", lambda v: setattr(step, "sample_lock", v)),
        ("slice lock", lambda v: setattr(step, "slice_lock", v)),
        ("retrig time", lambda v: setattr(step, "retrig", (1, v))),
        ("note", lambda v: setattr(mstep, "note", v)),
        ("velocity", lambda v: setattr(mstep, "velocity", v)),
        ("note length", lambda v: setattr(mstep, "length", v)),
        ("lock note.vel", lambda v: mstep.locks.__setitem__("note.vel", v)),
        ("track", lambda v: part.track(v)),
        ("track", lambda v: part.midi_track(v)),
        ("scene", lambda v: part.scene_lock(v, 1, "amp.vol")),
        ("scene lock amp.vol", lambda v: part.set_scene_lock(1, 1, "amp.vol", v)),
        ("FX1 type", lambda v: setattr(pt, "fx1", v)),
        ("FX2 type", lambda v: setattr(pt, "fx2", v)),
        ("cue volume", lambda v: setattr(pt, "volume", (100, v))),
        ("static slot", lambda v: setattr(pt, "static_slot", v)),
        ("flex slot", lambda v: setattr(pt, "flex_slot", v)),
        ("recorder slot", lambda v: setattr(pt, "recorder_slot", v)),
        ("amp.vol", lambda v: pt.set_param("amp.vol", v)),
        ("MIDI channel", lambda v: setattr(mpt, "channel", v)),
        ("bank select", lambda v: setattr(mpt, "bank", v)),
        ("program change", lambda v: setattr(mpt, "program", v)),
        ("default note", lambda v: setattr(mpt, "note", v)),
        ("default velocity", lambda v: setattr(mpt, "velocity", v)),
        ("default length", lambda v: setattr(mpt, "length", v)),
        ("bank", lambda v: arr.append_pattern(v, 1)),
        ("repeats", lambda v: arr.append_pattern(1, 1, repeats=v)),
        ("scene A", lambda v: arr.append_pattern(1, 1, scene_a=v)),
        ("mute mask", lambda v: arr.append_pattern(1, 1, mute_mask=v)),
        ("transpose", lambda v: arr.append_pattern(1, 1, transpose=[0, 0, 0, v, 0, 0, 0, 0])),
        ("loop target row", lambda v: arr.append_loop(v)),
        ("loop count", lambda v: arr.append_loop(1, v)),
        ("source bank", lambda v: ot.copy_bank(tmp, v, tmp, 1, dry_run=True)),
        ("destination pattern", lambda v: ot.copy_pattern(tmp, 1, 1, tmp, 1, v, dry_run=True)),
        ("source part", lambda v: ot.copy_part(tmp, 1, v, tmp, 1, 1, dry_run=True)),
        ("track", lambda v: ot.copy_track(tmp, (1, 1, v), tmp, (1, 1, 1), dry_run=True)),
        ("slot", lambda v: ot.copy_slots(tmp, tmp, [v], dry_run=True)),
        ("destination slot", lambda v: ot.copy_slots(tmp, tmp, [1], to=v, dry_run=True)),
        ("part", lambda v: ot.slots(tmp, part=v)),
        ("bank", lambda v: ot.clear(tmp, v, dry_run=True)),
        ("step", lambda v: t.add_note(step=v, note=36)),
        ("note", lambda v: t.add_note(step=1, note=v)),
        ("duration", lambda v: t.add_note(step=1, note=36, duration=v)),
        ("micro-timing", lambda v: t.add_note(step=1, note=36, micro=v)),
        ("step", lambda v: t.clear_step(v)),
        ("tempo", lambda v: setattr(o, "tempo", v)),
        ("chain", lambda v: o.chain(v)),
        ("pattern", lambda v: o.set_chain(16, [1, v])),
        ("pattern", lambda v: o.pattern(v)),
        ("track", lambda v: o.pattern(1).track(v)),
        ("pattern", lambda v: o.copy_pattern(opz.Project.open(fixtures / "opz" / "error-garden" / "project02.opz"), v, 1)),
        ("MIDI channel", lambda v: o.to_midi(channels=[0] * 15 + [v])),
        ("row", lambda v: m.patterns[0].cell(v, 0)),
        ("speed", lambda v: setattr(m, "speed", v)),
        ("rate", lambda v: m.render(rate=v, max_seconds=1)),
        ("stereo_separation", lambda v: m.render(stereo_separation=v, max_seconds=1)),
        ("muted channel", lambda v: m.render(mute=[v], max_seconds=1)),
        ("start_order", lambda v: m.trace(start_order=v)),
        ("rate", lambda v: song.render(rate=v)),
    ]


def test_every_integer_parameter_names_its_field_for_huge_and_negative_values(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    project = tmp_path / "P"
    shutil.copytree(fixtures / "octatrack" / "blank-project", project)
    calls = every_integer_call(fixtures, project)
    for field, call in calls:
        for bad in (HUGE, -HUGE):
            raises_named(lambda: call(bad), f"{field} {bad}")
    # Negative values do not fit unsigned fields either.
    for field, call in calls:
        try:
            call(-1)
        except groovekit.Error:
            pass
        except OverflowError as e:  # pragma: no cover - the failure this test is about
            raise AssertionError(f"{field}: OverflowError for -1: {e}") from e
    # Not an int at all: still a TypeError.
    with pytest.raises(TypeError):
        ot.Project.open(fixtures / "octatrack" / "blank-project").bank(1).pattern(1).length = 1.5  # type: ignore[assignment]


def test_saving_changes_into_a_deleted_project_folder_raises(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    folder = tmp_path / "P"
    shutil.copytree(fixtures / "octatrack" / "blank-project", folder)
    p = ot.Project.open(folder)
    p.bank(1).pattern(1).length = 32
    shutil.rmtree(folder)
    with pytest.raises(groovekit.ValidationError, match="no longer exists"):
        p.save()
    assert not folder.exists()
    # The whole project into a folder still works, and the edit is in it.
    p.save(tmp_path / "Q")
    assert ot.Project.open(tmp_path / "Q").bank(1).pattern(1).length == 32
