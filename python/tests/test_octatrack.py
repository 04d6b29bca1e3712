"""groovekit.octatrack on the Octatrack fixtures: byte-exact round trips, every property through
save and open, Python edits equal to the same edits in Rust (the euclid_acid example), errors
with their place and offset, and the operations (copy_bank with a dry run, slots, restore)."""

from __future__ import annotations

import hashlib
import os
import pathlib
import shutil
import subprocess
import sys

import pytest

import groovekit
from groovekit import octatrack as ot

from conftest import REPO, _missing

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"


def project_files(d: pathlib.Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(d.iterdir()) if p.is_file()}


def tree_digest(d: pathlib.Path) -> dict[str, str]:
    return {
        str(p.relative_to(d)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(d.rglob("*")) if p.is_file()
    }


def test_every_fixture_project_round_trips(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    for name in ("blank-project", "real-device"):
        src = fixtures / "octatrack" / name
        p = ot.Project.open(src)
        # Read every step of every bank so that every bank is loaded and written.
        for bank in p:
            for pattern in bank:
                for track in pattern:
                    for step in track:
                        step.trig
        out = tmp_path / name
        written = p.save(out)
        assert written, name
        got = project_files(out)
        for fname, data in project_files(src).items():
            if fname.endswith(".work"):
                assert got[fname] == data, f"{name}/{fname} changed in a round trip"


def test_views_read_the_real_device_bank(fixtures: pathlib.Path) -> None:
    p = ot.Project.open(fixtures / "octatrack" / "real-device")
    assert p.tempo is not None and 30 <= p.tempo <= 300
    assert len([s for s in p.samples if s.path]) == 26  # and the 8 recorder buffers
    assert {s.pool for s in p.samples} == {"flex", "static"}
    bank = p.bank(1)
    trigs = [(pat.number, t.number, s.number) for pat in bank for t in pat.audio_tracks for s in t if s.trig]
    # Dense trigs over 4 pages (fixtures/SOURCES.md).
    assert len(trigs) > 30 and max(s for _, _, s in trigs) > 32
    micro = [s.micro for pat in bank for t in pat.audio_tracks for s in t if s.micro]
    assert micro, "the real-device bank has micro-timing"
    assert all(-23 <= m <= 23 for m in micro)
    assert p.loaded_banks == [1]
    parts = [pt.machine for pt in bank.part(1)]
    assert len(parts) == 8 and set(parts) <= {"Static", "Flex", "Thru", "Neighbor", "Pickup"}
    assert "Pattern(bank=1, pattern=1" in repr(bank.pattern(1))
    step = bank.pattern(1).audio_track(1).step(1)
    assert repr(step).startswith("AudioStep(bank=1, pattern=1, track=1, step=1, trig=")


def test_sample_locks_of_the_bank_copy_fixture(fixtures: pathlib.Path) -> None:
    # The device bank has 40 sample locks (docs/octatrack-api.md, evidence table).
    p = ot.Project.open(fixtures / "octatrack" / "bank-copy" / "BANK-COPY-SRC")
    locks = [s.sample_lock for pat in p.bank(1) for t in pat.audio_tracks for s in t if s.sample_lock is not None]
    assert len(locks) == 40
    assert all(1 <= x <= 128 for x in locks)
    assert all("sample" in s.locks for pat in p.bank(1) for t in pat.audio_tracks for s in t if s.sample_lock)


def test_every_property_round_trips_through_save_and_open(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    work = tmp_path / "P"
    shutil.copytree(fixtures / "octatrack" / "real-device", work)
    p = ot.Project.open(work)
    p.tempo = 133.5
    pat = p.bank(2).pattern(5)
    pat.part = 3
    pat.length = 48
    pat.scale = 4
    pat.tempo = 97.0
    at = pat.audio_track(3)
    at.length, at.scale, at.swing_amount = 32, 3, 12
    s = at.step(17)
    s.trig, s.trigless, s.plock_trig, s.oneshot, s.swing, s.slide = True, True, True, True, True, True
    s.recorder = [True, False, True, False]
    s.condition = "3:4"
    s.micro = -7
    s.repeats = 5
    s.locks["amp.vol"] = 100
    s.sample_lock = 12
    s.retrig = (4, 20)
    ms = pat.midi_track(2).step(33)
    ms.trig, ms.swing, ms.mask5 = True, True, True
    ms.condition = "fill"
    ms.micro = 9
    ms.note, ms.velocity, ms.length = 60, 101, 7
    ms.locks["ctrl1.cc1"] = 64
    part = p.bank(2).part(3)
    part.name = "ACID"
    pt = part.track(4)
    pt.machine = "Static"
    pt.static_slot, pt.flex_slot = 7, 9
    pt.volume = (100, 90)
    pt.set_param("amp.atk", 55)
    part.set_scene_lock(5, 4, "amp.vol", 77)
    mp = part.midi_track(6)
    mp.channel, mp.bank, mp.program, mp.note, mp.velocity, mp.length = 11, 3, None, 62, 99, 8
    p.save()

    q = ot.Project.open(work)
    assert q.tempo == 133.5
    pat = q.bank(2).pattern(5)
    assert (pat.part, pat.length, pat.scale, pat.tempo) == (3, 48, 4, 97.0)
    at = pat.audio_track(3)
    assert (at.length, at.scale, at.swing_amount) == (32, 3, 12)
    s = at.step(17)
    assert (s.trig, s.trigless, s.plock_trig, s.oneshot, s.swing, s.slide) == (True,) * 6
    assert s.recorder == [True, False, True, False]
    assert (s.condition, s.micro, s.repeats) == ("3:4", -7, 5)
    assert s.locks["amp.vol"] == 100 and s.sample_lock == 12 and s.retrig == (4, 20)
    ms = q.bank(2).pattern(5).midi_track(2).step(33)
    assert (ms.trig, ms.swing, ms.mask5, ms.condition, ms.micro) == (True, True, True, "fill", 9)
    assert (ms.note, ms.velocity, ms.length) == (60, 101, 7)
    assert ms.locks.to_dict() == {"note.note": 60, "note.vel": 101, "note.len": 7, "ctrl1.cc1": 64}
    part = q.bank(2).part(3)
    assert part.name == "ACID"
    pt = part.track(4)
    assert (pt.machine, pt.static_slot, pt.flex_slot, pt.volume) == ("Static", 7, 9, (100, 90))
    assert pt.param("amp.atk") == 55
    assert part.scene_lock(5, 4, "amp.vol") == 77
    mp = part.midi_track(6)
    assert (mp.channel, mp.bank, mp.program, mp.note, mp.velocity, mp.length) == (11, 3, None, 62, 99, 8)
    # Bank 1 was not touched: written as read.
    assert (work / "bank01.work").read_bytes() == (fixtures / "octatrack" / "real-device" / "bank01.work").read_bytes()


def test_an_edit_changes_only_its_bytes(fixtures: pathlib.Path) -> None:
    p = ot.Project.open(fixtures / "octatrack" / "real-device")
    before = p.bank(1).to_bytes()
    step = p.bank(1).pattern(1).audio_track(1).step(64)
    step.trig = not step.trig
    after = p.bank(1).to_bytes()
    diff = [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
    # One bit of a trig mask, and the checksum (the file's last two bytes).
    assert len(diff) - len([i for i in diff if i >= len(before) - 2]) == 1, diff


def test_handles_write_through(fixtures: pathlib.Path) -> None:
    p = ot.Project.open(fixtures / "octatrack" / "blank-project")
    a = p.bank(3).pattern(2).audio_track(4).step(9)
    b = p.bank(3).pattern(2).audio_track(4).step(9)
    assert a.trig is False and dict(b.locks.items()) == {}
    a.trig = True
    a.locks["amp.vol"] = 90
    assert b.trig is True and b.locks["amp.vol"] == 90
    b.locks = {"lfo.spd1": 3}
    assert a.locks.to_dict() == {"lfo.spd1": 3}
    del a.locks["lfo.spd1"]
    assert len(b.locks) == 0 and "lfo.spd1" not in b.locks
    with pytest.raises(KeyError):
        b.locks["amp.vol"]


def test_iterated_steps_equal_single_reads_and_stay_live(fixtures: pathlib.Path) -> None:
    # `for step in track` reads the 64 steps at once (issue 15); each is still a live view.
    p = ot.Project.open(fixtures / "octatrack" / "real-device")
    for pat in p.bank(1):
        for t in pat.audio_tracks:
            assert [repr(s) for s in t] == [repr(t.step(n)) for n in range(1, 65)]
        for m in pat.midi_tracks:
            assert [repr(s) for s in m.steps] == [repr(m.step(n)) for n in range(1, 65)]
    track = p.bank(2).pattern(5).audio_track(3)
    steps = list(track)
    assert [s.number for s in steps] == list(range(1, 65))
    assert steps[9].condition is None and steps[9].trig is False
    other = track.step(10)
    other.trig = True
    other.condition = "fill"
    assert steps[9].trig is True and steps[9].condition == "fill"
    track.step(10).locks["amp.vol"] = 33  # an edit through a Locks handle is seen too
    assert '"amp.vol": 33' in repr(steps[9])
    midi = list(p.bank(2).pattern(5).midi_track(2))
    midi[0].note = 61
    assert p.bank(2).pattern(5).midi_track(2).step(1).note == 61 and midi[0].trig is False


def test_iterated_steps_are_live_views_too(fixtures: pathlib.Path) -> None:
    """Steps built together (iterating a track) see edits made through any handle, and their
    own edits reach the others."""
    p = ot.Project.open(fixtures / "octatrack" / "blank-project")
    track = p.bank(2).pattern(1).audio_track(1)
    steps = list(track)
    assert [s.number for s in steps] == list(range(1, 65))
    assert not any(s.trig for s in steps)
    track.step(17).trig = True
    p.bank(2).pattern(1).audio_track(1).step(33).condition = "fill"
    assert [s.number for s in steps if s.trig] == [17]
    assert steps[32].condition == "fill"
    steps[0].micro = 5
    assert track.step(1).micro == 5 and list(track)[0].micro == 5


def test_python_edits_equal_the_rust_example(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    exe = REPO / "target" / "debug" / "examples" / "euclid_acid"
    if not exe.is_file():
        _missing(f"{exe} (build it with `cargo build -p groovekit-octatrack --examples`)")
    wavs = sorted((fixtures / "audio" / "hats").glob("*.wav"))[:4]
    audio = tmp_path / "AUDIO"
    audio.mkdir()
    for w in wavs:
        shutil.copy(w, audio / w.name)
    samples = [str(audio / w.name) for w in wavs]
    rust, py = tmp_path / "rust" / "EUCLID", tmp_path / "py" / "EUCLID"
    rust.parent.mkdir()
    py.parent.mkdir()
    r = subprocess.run([str(exe), str(rust), *samples], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    r = subprocess.run([sys.executable, str(EXAMPLES / "ot_euclid_acid.py"), str(py), *samples], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    rf, pf = project_files(rust), project_files(py)
    assert sorted(rf) == sorted(pf)
    assert len(rf) == 26
    for name in rf:
        assert pf[name] == rf[name], f"{name} differs between the Rust and the Python example"
    assert not [x for x in groovekit.verify(py) if x.severity == "problem"]
    step = ot.Project.open(py).bank(1).pattern(1).audio_track(3).step(3)
    assert step.trig and step.locks["amp.vol"] == 89


def test_errors_name_the_place_and_offset(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    p = ot.Project.open(fixtures / "octatrack" / "blank-project")
    step = p.bank(2).pattern(5).audio_track(3).step(17)
    with pytest.raises(groovekit.ValidationError, match="bank 2 pattern 5 track 3 step 17: micro-timing 30"):
        step.micro = 30
    assert step.micro == 0
    with pytest.raises(groovekit.ValidationError, match="pattern 17"):
        p.bank(2).pattern(17)
    with pytest.raises(groovekit.ValidationError, match="does not exist"):
        p.bank(0)
    with pytest.raises(groovekit.ValidationError, match="condition|use none"):
        step.condition = "sometimes"
    with pytest.raises(groovekit.ValidationError, match="unknown parameter"):
        step.locks["amp.nope"] = 3
    with pytest.raises(groovekit.ValidationError, match="pool"):
        p.add_sample(fixtures / "octatrack" / "chain" / "sliced.wav", "ram")
    # A truncated bank: FormatError with the file and the byte offset where it ends.
    work = tmp_path / "P"
    shutil.copytree(fixtures / "octatrack" / "blank-project", work)
    bank = work / "bank04.work"
    data = bank.read_bytes()
    bank.write_bytes(data[:1000])
    q = ot.Project.open(work)
    with pytest.raises(groovekit.FormatError, match="truncated") as e:
        q.bank(4)
    assert e.value.file == str(bank) and e.value.offset == 1000
    # A bad magic at byte 0.
    bank.write_bytes(b"XXXX" + data[4:])
    with pytest.raises(groovekit.FormatError, match="magic") as e:
        ot.Project.open(work).bank(4)
    assert e.value.file == str(bank) and e.value.offset == 0
    with pytest.raises(groovekit.ValidationError, match="not an Octatrack project folder"):
        ot.Project.open(tmp_path)


def test_add_sample_and_new_project(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    wav = tmp_path / "AUDIO" / "chain.wav"
    wav.parent.mkdir()
    shutil.copy(fixtures / "octatrack" / "chain" / "sliced.wav", wav)
    p = ot.Project.new()
    assert p.path is None and p.source == "new"
    with pytest.raises(groovekit.ValidationError):
        p.add_sample(wav, "flex")
    folder = tmp_path / "NEW"
    p.save(folder)
    assert p.path == str(folder)
    assert p.add_sample(wav, "static", slot=5) == 5
    assert p.add_sample(wav, "flex") == 1
    p.save()
    q = ot.Project.open(folder)
    assert sorted((s.pool, s.slot, s.path) for s in q.samples if s.path) == [
        ("flex", 1, "../AUDIO/chain.wav"),
        ("static", 5, "../AUDIO/chain.wav"),
    ]
    assert q.arrangement(1).number == 1
    assert q.arrangement(1).rows == [], "a new project's arrangement has no rows"
    assert isinstance(q.arrangement(1).document, dict)


def test_arrangement_rows(fixtures: pathlib.Path) -> None:
    a = ot.Project.open(fixtures / "octatrack" / "real-device").arrangement(1)
    doc = a.document
    assert isinstance(doc, dict)
    assert a.to_bytes() == (fixtures / "octatrack" / "real-device" / "arr01.work").read_bytes()
    assert all(isinstance(r, str) and r for r in a.rows)


def test_arrangement_edits_save_and_read_back(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    work = tmp_path / "P"
    shutil.copytree(fixtures / "octatrack" / "blank-project", work)
    before = (work / "arr02.work").read_bytes()
    p = ot.Project.open(work)
    a = p.arrangement(2)
    a.name = "LIVE SET"
    assert a.append_pattern(1, 1, repeats=3) == 1
    assert a.append_pattern(2, 5, length=32, tempo=126.0, scene_a=2) == 2
    assert a.append_reminder("CHORUS") == 3
    assert a.append_loop(1, count=4) == 4
    assert len(a) == 4
    assert a.rows == ["pattern A01 x3", "pattern B05 x0", 'reminder "CHORUS"', "loop to 1 x4"]
    # Out of range: refused, nothing changed.
    with pytest.raises(groovekit.ValidationError, match="bank"):
        a.append_pattern(17, 1)
    assert len(a) == 4
    # Another handle of the same arrangement sees the edits; save writes them.
    assert p.arrangement(2).name == "LIVE SET"
    p.save()
    assert (work / "arr02.work").read_bytes() != before
    q = ot.Project.open(work).arrangement(2)
    assert q.name == "LIVE SET" and q.rows == a.rows
    assert q.to_bytes() == (work / "arr02.work").read_bytes()
    q.clear()
    assert len(q) == 0 and q.rows == []
    assert (work / "arr01.work").read_bytes() == (fixtures / "octatrack" / "blank-project" / "arr01.work").read_bytes()


def test_save_also_strd(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    work = tmp_path / "P"
    shutil.copytree(fixtures / "octatrack" / "blank-project", work)
    p = ot.Project.open(work)
    p.bank(7).pattern(1).audio_track(1).step(1).trig = True
    written = p.save(also_strd=True)
    assert sorted(pathlib.Path(w).name for w in written) == ["bank07.strd", "bank07.work"]
    assert (work / "bank07.strd").read_bytes() == (work / "bank07.work").read_bytes()
    assert (work / "bank07.work.bak").read_bytes() == (fixtures / "octatrack" / "blank-project" / "bank07.work").read_bytes()


def test_save_warns_about_trigs_that_never_play(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    """Issue 21: an edit that can never sound (a trig on step 17 of a 16-step pattern) says so."""
    work = tmp_path / "P"
    shutil.copytree(fixtures / "octatrack" / "blank-project", work)
    p = ot.Project.open(work)
    p.bank(1).pattern(1).audio_track(3).step(17).trig = True
    with pytest.warns(UserWarning, match=r"pattern 1 track T3: step\(s\) 17 hold data that never plays"):
        p.save()
    assert p.bank(1).pattern(1).audio_track(3).step(17).trig


def problems(path: pathlib.Path) -> set[str]:
    return {x.message for x in groovekit.verify(path) if x.severity == "problem"}


def copy_set(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> tuple[pathlib.Path, pathlib.Path]:
    root = tmp_path / "SET"
    shutil.copytree(fixtures / "octatrack" / "bank-copy", root)
    # The four samples the source project names, in the Set's pool (as crates/groovekit/tests/ot_ops.rs).
    (root / "AUDIO").mkdir()
    for i, name in enumerate(["first-0", "second-0", "fourth-0", "fifth-0"]):
        (root / "AUDIO" / f"{name}.wav").write_bytes(bytes([i]) * (1000 + i))
    return root / "BANK-COPY-SRC", root / "BANK-COPY-DEST"


def test_copy_bank_dry_run_then_apply_then_restore(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    src, dst = copy_set(fixtures, tmp_path)
    before = tree_digest(dst)
    # The fixture's destination lacks banks 2-16 (verify names each); the copy adds no problem.
    known = problems(dst)
    plan = ot.copy_bank(src, 1, dst, 2, dry_run=True)
    assert plan.dry_run and plan.backup is None
    assert tree_digest(dst) == before, "a dry run changed files"
    assert plan.slots and all({"slot_type", "from", "to", "action", "path"} <= set(s) for s in plan.slots)
    text = str(plan)
    assert "copy bank 1" in text and "(dry run)" in text
    first = plan.slots[0]
    assert f"{first['slot_type']} {first['from']} -> {first['to']}" in repr(plan)
    backup = plan.apply()
    assert not plan.dry_run and backup and pathlib.Path(backup).is_dir()
    with pytest.raises(groovekit.ValidationError):
        plan.apply()
    assert tree_digest(dst) != before
    assert problems(dst) < known
    # The copied bank's sample locks point at the destination's slots of the same files.
    q = ot.Project.open(dst)
    locks = [s.sample_lock for pat in q.bank(2) for t in pat.audio_tracks for s in t if s.sample_lock]
    assert len(locks) == 40
    report = ot.slots(dst, bank=2)
    # Every audible reference of the copied bank points at a slot the destination lists.
    assert report["slots"]
    assert not [s for s in report["slots"] if not s["listed"] and any(u["audible"] for u in s["uses"])]
    assert [s for s in report["slots"] if s["listed"] and any(u["kind"] == "lock" for u in s["uses"])]
    preview = ot.restore(backup, dry_run=True)
    assert preview["restore"] or preview["remove"]
    ot.restore(backup)
    after = {k: v for k, v in tree_digest(dst).items() if not k.startswith("backups")}
    assert after == before


def test_copy_bank_refuses_a_bank_in_use(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    src, dst = copy_set(fixtures, tmp_path)
    before = tree_digest(dst)
    with pytest.raises(groovekit.ValidationError, match="not blank"):
        ot.copy_bank(src, 1, dst, 1)
    assert tree_digest(dst) == before
    with pytest.raises(groovekit.ValidationError, match="bank 17"):
        ot.copy_bank(src, 17, dst, 2)


def test_copy_bank_example(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    src, dst = copy_set(fixtures, tmp_path)
    known = problems(dst)
    r = subprocess.run(
        [sys.executable, str(EXAMPLES / "ot_copy_bank.py"), str(src), "1", str(dst), "3"],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    assert "(dry run)" in r.stdout and "backup in" in r.stdout
    assert problems(dst) < known
    assert any(s.trig for pat in ot.Project.open(dst).bank(3) for t in pat.audio_tracks for s in t)


def test_copy_pattern_dry_run_then_apply(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    src, dst = copy_set(fixtures, tmp_path)
    before = tree_digest(dst)
    plan = ot.copy_pattern(src, 1, 1, dst, 1, 5, dry_run=True)
    assert plan.dry_run and plan.operation == "copy-pattern"
    assert tree_digest(dst) == before, "a dry run changed files"
    source = ot.Project.open(src).bank(1).pattern(1)
    want = [(t.number, s.number) for t in source.audio_tracks for s in t if s.trig]
    assert want
    backup = plan.apply()
    assert pathlib.Path(backup).is_dir() and not plan.dry_run
    got = ot.Project.open(dst).bank(1).pattern(5)
    assert [(t.number, s.number) for t in got.audio_tracks for s in t if s.trig] == want
    ot.restore(backup)
    assert {k: v for k, v in tree_digest(dst).items() if not k.startswith("backups")} == before


def test_copy_track_rejects_a_bad_part_name(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    src, dst = copy_set(fixtures, tmp_path)
    with pytest.raises(groovekit.ValidationError, match="what"):
        ot.copy_track(src, (1, 1, 1), dst, (1, 1, 2), what="everything")


def test_clean_up_operations_plan_apply_and_restore(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    src, dst = copy_set(fixtures, tmp_path)
    # clear: a dry run changes nothing; the real run leaves bank 1 without a trig; restore undoes.
    before = tree_digest(src)
    assert any(s.trig for pat in ot.Project.open(src).bank(1) for t in pat.audio_tracks for s in t)
    plan = ot.clear(src, 1, patterns=True, dry_run=True)
    assert plan["operation"] == "clear" and plan["dry_run"] and plan["cleared"]
    assert tree_digest(src) == before
    done = ot.clear(src, 1, patterns=True)
    assert done["backup"] and not done["dry_run"]
    assert not any(s.trig for pat in ot.Project.open(src).bank(1) for t in pat.audio_tracks for s in t)
    ot.restore(done["backup"])
    assert {k: v for k, v in tree_digest(src).items() if not k.startswith("backups")} == before
    with pytest.raises(groovekit.ValidationError):
        ot.clear(src, 17)
    # purge_slots: whatever the plan lists as cleared is gone afterwards, and a second run finds nothing.
    plan = ot.purge_slots(dst, dry_run=True)
    listed = {(s["slot_type"], s["slot"]) for s in plan["slots"]} if plan["slots"] else set()
    ot.purge_slots(dst)
    remaining = {(s.pool, s.slot) for s in ot.Project.open(dst).samples}
    assert not (listed & remaining)
    assert not ot.purge_slots(dst, dry_run=True)["slots"]
    # The read-only planners of the other operations answer with the same plan shape.
    for p in (ot.collect(dst, dry_run=True), ot.dedupe(dst.parent, dry_run=True), ot.purge_files(dst, dry_run=True)):
        assert {"operation", "root", "slots", "files", "writes", "dry_run"} <= set(p) and p["dry_run"]
    missing = ot.relink(dst, tmp_path, dry_run=True)
    assert missing["operation"] == "relink"


def test_zip_round_trip_with_samples_and_unzip(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    """octapy's from_zip/to_zip: save_zip puts the project and the Set's samples in, open_zip reads
    it back, unzip unpacks it into a Set where the project is the same bytes."""
    set_dir = tmp_path / "SET"
    shutil.copytree(fixtures / "octatrack" / "bank-copy" / "BANK-COPY-SRC", set_dir / "SRC")
    (set_dir / "AUDIO").mkdir()
    for i, n in enumerate(["first-0", "second-0", "fourth-0", "fifth-0"]):
        (set_dir / "AUDIO" / f"{n}.wav").write_bytes(bytes([i]) * (1000 + i))
    p = ot.Project.open(set_dir / "SRC")
    assert p.name == "SRC"
    archive = tmp_path / "share.zip"
    dry = p.save_zip(archive, dry_run=True)
    assert dry["dry_run"] and not archive.exists()
    report = p.save_zip(archive)
    assert [s["entry"] for s in report["samples"]] == [
        "AUDIO/first-0.wav",
        "AUDIO/second-0.wav",
        "AUDIO/fourth-0.wav",
        "AUDIO/fifth-0.wav",
    ]
    assert report["missing"] == [] and report["bytes"] == archive.stat().st_size
    back = ot.Project.open_zip(archive)
    assert back.name == "SRC" and back.path is None
    assert back.tempo == p.tempo
    out = ot.unzip(archive, tmp_path / "SET2")
    assert out["projects"] == [str(tmp_path / "SET2" / "SRC")]
    assert tree_digest(tmp_path / "SET2" / "AUDIO") == tree_digest(set_dir / "AUDIO")
    for f in ("project.work", "bank01.work"):
        assert (tmp_path / "SET2" / "SRC" / f).read_bytes() == (set_dir / "SRC" / f).read_bytes()
    (tmp_path / "SET2" / "AUDIO" / "first-0.wav").write_bytes(b"re-recorded")
    with pytest.raises(groovekit.Error, match="force"):
        ot.unzip(archive, tmp_path / "SET2")
    assert (tmp_path / "SET2" / "AUDIO" / "first-0.wav").read_bytes() == b"re-recorded"
    with pytest.raises(groovekit.Error, match="not a readable zip"):
        ot.Project.open_zip(set_dir / "AUDIO" / "first-0.wav")


# --- MIDI files (issue 21) -------------------------------------------------------------------


def _copy_project(fixtures: pathlib.Path, tmp_path: pathlib.Path, name: str) -> pathlib.Path:
    dst = tmp_path / "P"
    shutil.copytree(fixtures / "octatrack" / name, dst)
    return dst


def test_pattern_to_midi_reads_back_with_mido(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    mido = pytest.importorskip("mido")
    p = ot.Project.open(_copy_project(fixtures, tmp_path, "real-device"))
    out = tmp_path / "a01.mid"
    report = p.bank(1).pattern(1).to_midi(out, passes=2)
    assert report["ppq"] == 9216 and report["segments"] == 2
    m = mido.MidiFile(out)
    assert m.type == 1 and m.ticks_per_beat == 9216
    step = 9216 // 4
    ends = []
    starts: dict[str, list[int]] = {}
    for track in m.tracks:
        tick = 0
        for msg in track:
            tick += msg.time
            if msg.type == "note_on" and msg.velocity > 0:
                starts.setdefault(track.name.split()[0], []).append(tick)
        ends.append(tick)
    # Every track ends at 2 passes of 64 steps; T6 (64 steps) plays steps 1, 17, 33 each pass.
    assert set(ends) == {2 * 64 * step}
    assert starts["T6"] == [0, 16 * step, 32 * step, 64 * step, 80 * step, 96 * step]
    # T2 step 1 has +1/384 of a step: 6 ticks.
    assert starts["T2"][0] == 6
    assert sum(len(v) for v in starts.values()) == report["notes"]


def test_timeline_yields_the_events(fixtures: pathlib.Path) -> None:
    p = ot.Project.open(fixtures / "octatrack" / "real-device")
    events = p.bank(1).pattern(1).timeline(passes=1)
    t2 = [e for e in events if e["track"] == {"kind": "audio", "number": 2} and e["type"] == "audio_trig"]
    assert len(t2) == 31  # 12-step track in 64 steps: 5 loops of 6 trigs and one more
    assert t2[0]["tick"] == 57600 // 384 and t2[0]["micro"] == 1
    assert all(e["tick"] < 64 * 57600 for e in events)


def test_a_file_written_by_mido_imports_as_expected(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    mido = pytest.importorskip("mido")
    proj_dir = _copy_project(fixtures, tmp_path, "blank-project")
    m = mido.MidiFile(type=1, ticks_per_beat=480)
    lead = mido.MidiTrack()
    lead.append(mido.MetaMessage("track_name", name="lead", time=0))
    lead.append(mido.MetaMessage("set_tempo", tempo=mido.bpm2tempo(100), time=0))
    # A C major triad on step 1 (2 steps long, velocity 80), a D on step 3, 5 ticks late.
    for key in (60, 64, 67):
        lead.append(mido.Message("note_on", note=key, velocity=80, time=0))
    lead.append(mido.Message("note_off", note=60, velocity=0, time=240))
    lead.append(mido.Message("note_off", note=64, velocity=0, time=0))
    lead.append(mido.Message("note_off", note=67, velocity=0, time=0))
    lead.append(mido.Message("note_on", note=62, velocity=100, time=5))
    lead.append(mido.Message("note_on", note=62, velocity=0, time=120))  # running status, vel 0
    m.tracks.append(lead)
    drums = mido.MidiTrack()
    drums.append(mido.Message("note_on", channel=9, note=36, velocity=127, time=0))
    drums.append(mido.Message("note_off", channel=9, note=36, velocity=0, time=60))
    m.tracks.append(drums)
    path = tmp_path / "mido.mid"
    m.save(path)
    p = ot.Project.open(proj_dir)
    report = ot.import_midi(path, p, bank=1, pattern=1, track_map=["ch10:36=T1"])
    assert report["placed"] == 5 and report["notes"] == 5
    assert report["tempo"] == 100.0 and report["length"] == 4
    step1 = p.bank(1).pattern(1).midi_track(1).step(1)
    assert step1.trig and step1.note == 60
    step3 = p.bank(1).pattern(1).midi_track(1).step(3)
    assert step3.trig and step3.micro == 16  # 5 ticks at 480 = 16/384 of a step
    assert p.bank(1).pattern(1).audio_track(1).step(1).trig
    p.save()
    # Written back and exported again, the notes come out where mido put them (in 9216 ppq).
    out = tmp_path / "again.mid"
    ot.Project.open(proj_dir).bank(1).pattern(1).to_midi(out)
    again = mido.MidiFile(out)
    notes = []
    for track in again.tracks:
        tick = 0
        for msg in track:
            tick += msg.time
            if msg.type == "note_on" and msg.velocity > 0:
                notes.append((track.name.split()[0], tick, msg.note, msg.velocity))
    d = 2 * (9216 // 4) + 16 * 6  # step 3 + 16/384 of a step = 245 ticks at 480 = 4704 at 9216
    assert sorted(notes) == sorted(
        [("M1", 0, 60, 80), ("M1", 0, 64, 80), ("M1", 0, 67, 80), ("M1", d, 62, 100), ("T1", 0, 60, 127)]  # velocity -> AMP VOL -> velocity
    )
