"""Every file kind from bytes and to bytes (issue 26): the `*_bytes` functions give what the path
functions give for every fixture, with the same errors minus the file; Octatrack banks,
arrangements, project files and whole projects (zip archives) in memory."""

from __future__ import annotations

import io
import pathlib
import zipfile
from typing import Any, Callable

import pytest

import groovekit
from groovekit import octatrack as ot


def every_fixture(fixtures: pathlib.Path) -> list[pathlib.Path]:
    found = sorted(p for p in fixtures.rglob("*") if p.is_file() and p.name != "SOURCES.md")
    assert len(found) > 100, found
    return found


def outcome(call: Callable[[], Any]) -> tuple[str, Any]:
    """("ok", result) or ("error", (class, message, offset, line, col)) of a call."""
    try:
        return "ok", call()
    except groovekit.Error as e:
        return "error", (type(e), e.message, e.offset, e.line, e.col)


def problems(found: list[groovekit.Problem]) -> list[tuple[Any, ...]]:
    return [(p.path, p.offset, p.line, p.col, p.message, p.severity) for p in found]


def test_every_fixture_reads_from_bytes_as_from_its_file(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    kinds = set()
    for f in every_fixture(fixtures):
        data = f.read_bytes()
        kind = groovekit.detect(f)
        assert groovekit.detect_bytes(data, name=f.name) == kind, f
        # Without a name only the content decides: the same kind for every non-empty fixture.
        if data:
            assert groovekit.detect_bytes(data) == kind, f
        for fmt in ("yaml", "json"):
            by_path = outcome(lambda: groovekit.dump(f, format=fmt))
            by_bytes = outcome(lambda: groovekit.dump_bytes(data, format=fmt, name=f.name))
            assert by_bytes == by_path, (f, fmt)
            if by_path[0] == "ok":
                kinds.add(kind)
                assert groovekit.dump_bytes(bytearray(data), format=fmt) == by_path[1], f
                built = groovekit.build_bytes(by_path[1])
                assert isinstance(built, bytes), f
                if f.relative_to(fixtures).parent == pathlib.Path("okt/malformed"):
                    # Fuzzer-found broken modules (duplicate chunks, chunks out of order): the
                    # document describes the module the reader recovers, not the damage, with the
                    # path functions as with these (the module object keeps every byte).
                    out = tmp_path / f"{f.name}.{fmt}"
                    groovekit.build(by_path[1], out)
                    assert built == out.read_bytes() != data, f
                    continue
                assert built == data, (f, fmt)
        info = outcome(lambda: groovekit.inspect(f))
        info_bytes = outcome(lambda: groovekit.inspect_bytes(data, name=f.name))
        if info[0] == "ok":
            assert info_bytes[0] == "ok" and info_bytes[1]["path"] is None, f
            assert {**info_bytes[1], "path": str(f)} == info[1], f
        else:
            assert info_bytes == info, f
        assert problems(groovekit.verify_bytes(data, name=str(f))) == problems(groovekit.verify(f)), f
    assert kinds >= {
        "octatrack-bank",
        "octatrack-arrangement",
        "octatrack-markers",
        "octatrack-project",
        "octatrack-sample-settings",
        "oktalyzer-module",
        "opz-project",
        "opz-kit",
        "track-song",
    }, kinds


def damaged(fixtures: pathlib.Path) -> list[tuple[str, bytes]]:
    """(file name, bytes) of broken files of every kind."""
    ot_dir = fixtures / "octatrack" / "blank-project"
    bank = (ot_dir / "bank01.work").read_bytes()
    arr = (ot_dir / "arr01.work").read_bytes()
    markers = (ot_dir / "markers.work").read_bytes()
    opz = (fixtures / "opz" / "error-garden" / "project01.opz").read_bytes()
    kit = (fixtures / "opz" / "samplepacks" / "kick-combo_patch.aif").read_bytes()
    okt = (fixtures / "okt" / "kampfmodul.okta").read_bytes()
    flipped = bytearray(bank)
    flipped[0] ^= 0xFF
    return [
        ("bank01.work", bank[:1000]),
        ("bank01.work", bank + b"\0"),
        ("bank01.work", bytes(flipped)),
        ("arr01.work", arr[:-7]),
        ("markers.work", markers[:300]),
        ("project.work", (ot_dir / "project.work").read_bytes()[:200]),
        ("project01.opz", opz[:-9]),
        ("project01.opz", b""),
        ("kick.aif", kit[: len(kit) // 2]),
        ("song.okta", okt[:20]),
        ("bad.track", b"BPM 0\nSAMPLE\n"),
        ("bad.track", b"BPM 120\n\xff\xfe\n"),
        ("notes.txt", b"hello"),
    ]


def test_bad_bytes_raise_what_the_file_raises_without_the_file(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    for name, data in damaged(fixtures):
        f = tmp_path / name
        f.write_bytes(data)
        for call_path, call_bytes in [
            (lambda: groovekit.dump(f), lambda: groovekit.dump_bytes(data, name=name)),
            (lambda: groovekit.inspect(f), lambda: groovekit.inspect_bytes(data, name=name)),
        ]:
            by_path = outcome(call_path)
            assert by_path[0] == "error", (name, by_path)
            try:
                call_bytes()
            except groovekit.Error as e:
                assert e.file is None, (name, e.file)
                assert (type(e), e.message, e.offset, e.line, e.col) == by_path[1], name
                assert str(tmp_path) not in str(e), (name, str(e))
            else:
                raise AssertionError(f"{name}: no error from bytes")
        found = problems(groovekit.verify_bytes(data, name=str(f)))
        assert found == problems(groovekit.verify(f)) and found, name
        assert [p[1:] for p in problems(groovekit.verify_bytes(data, name=name))] == [p[1:] for p in found], name


def test_bytes_without_a_name_need_none(fixtures: pathlib.Path) -> None:
    bank = bytearray((fixtures / "octatrack" / "blank-project" / "bank01.work").read_bytes())
    bank[0] ^= 0xFF
    with pytest.raises(groovekit.FormatError) as e:
        groovekit.dump_bytes(bytes(bank))
    assert e.value.offset == 0 and e.value.file is None
    (p,) = [p for p in groovekit.verify_bytes(b"BPM 0\n") if p.severity == "problem"]
    assert p.path is None and (p.line, p.col) == (1, 5) and str(p).startswith("1:5: ")
    assert groovekit.detect_bytes(b"# a song\nBPM 120\n") == "track-song"
    assert groovekit.detect_bytes(b"hello") is None
    with pytest.raises(groovekit.FormatError, match="kind"):
        groovekit.build_bytes("hello: 1\n")


def test_data_in_files_beside_a_document_is_refused_in_memory(fixtures: pathlib.Path, cli: pathlib.Path, tmp_path: pathlib.Path) -> None:
    import subprocess

    out = tmp_path / "song.yaml"
    r = subprocess.run([str(cli), "dump", str(fixtures / "okt" / "kampfmodul.okta"), "-o", str(out)], capture_output=True)
    assert r.returncode == 0, r.stderr
    with pytest.raises(groovekit.FormatError, match="no folder"):
        groovekit.build_bytes(out.read_text())
    built = tmp_path / "song.okta"
    groovekit.build(out.read_text(), built, base=tmp_path)
    assert built.read_bytes() == (fixtures / "okt" / "kampfmodul.okta").read_bytes()


def test_banks_and_arrangements_from_bytes(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    for name in ("bank01.work", "bank01.strd"):
        data = (fixtures / "octatrack" / "real-device" / name).read_bytes()
        bank = ot.Bank.from_bytes(data)
        assert bank.number == 1 and bank.to_bytes() == data
        assert ot.Bank.from_bytes(bytearray(data), number=5).number == 5
    bank = ot.Bank.from_bytes((fixtures / "octatrack" / "blank-project" / "bank02.work").read_bytes(), number=2)
    bank.pattern(3).length = 48
    edited = bank.to_bytes()
    assert ot.Bank.from_bytes(edited).pattern(3).length == 48
    for n in (0, 17):
        with pytest.raises(groovekit.ValidationError):
            ot.Bank.from_bytes(edited, number=n)
    arr = (fixtures / "octatrack" / "arrangements" / "full_options.work").read_bytes()
    a = ot.Arrangement.from_bytes(arr, number=3)
    assert a.number == 3 and a.rows and a.rows == ot.Arrangement.from_bytes(arr).rows
    # Damaged: FormatError with the offset the project folder's reader reports.
    broken = arr[:-7]
    project = tmp_path / "P"
    project.mkdir()
    for f in (fixtures / "octatrack" / "blank-project").iterdir():
        (project / f.name).write_bytes(f.read_bytes())
    (project / "arr01.work").write_bytes(broken)
    (project / "bank01.work").write_bytes(edited[:5000])
    with pytest.raises(groovekit.FormatError) as from_folder:
        ot.Project.open(project).arrangement(1)
    with pytest.raises(groovekit.FormatError) as from_bytes:
        ot.Arrangement.from_bytes(broken)
    assert from_bytes.value.offset == from_folder.value.offset is not None
    assert from_bytes.value.file is None and "arr01.work" in str(from_bytes.value)
    with pytest.raises(groovekit.FormatError) as from_folder:
        ot.Project.open(project).bank(1)
    with pytest.raises(groovekit.FormatError) as from_bytes:
        ot.Bank.from_bytes(edited[:5000])
    assert from_bytes.value.offset == from_folder.value.offset is not None


def test_a_project_from_its_files_and_back(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    src = fixtures / "octatrack" / "real-device"
    files = {f.name: f.read_bytes() for f in src.iterdir() if f.suffix == ".work"}
    p = ot.Project.from_files(files)
    assert p.path is None and p.tempo == ot.Project.open(src).tempo
    out = p.to_files()
    assert len(out) == 26 and all(out[n] == b for n, b in files.items())
    assert len(p.to_files(also_strd=True)) == 52
    # The project file alone: settings and slots, the rest blank.
    only = ot.Project.from_bytes(files["project.work"])
    assert [s.path for s in only.samples] == [s.path for s in p.samples]
    assert only.to_files()["project.work"] == files["project.work"]
    # Markers in memory too, and a damaged one named with its offset.
    assert ot.Project.from_files({"markers.work": files["markers.work"]}).to_files()["markers.work"] == files["markers.work"]
    with pytest.raises(groovekit.FormatError) as e:
        ot.Project.from_files({"markers.work": files["markers.work"][:100]})
    assert e.value.offset is not None and "markers.work" in str(e.value)
    with pytest.raises(groovekit.ValidationError, match="not a project file"):
        ot.Project.from_files({"kick.wav": b""})
    # Saved into a folder: every file as given.
    p.save(tmp_path / "OUT")
    assert all((tmp_path / "OUT" / n).read_bytes() == b for n, b in files.items())


def zip_entries(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def test_a_whole_project_as_zip_bytes(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    src = fixtures / "octatrack" / "blank-project"
    on_disk = tmp_path / "p.zip"
    ot.Project.open(src).save_zip(on_disk)
    data = ot.Project.open(src).to_zip_bytes()
    assert zip_entries(data) == zip_entries(on_disk.read_bytes())
    p = ot.Project.from_zip_bytes(on_disk.read_bytes())
    assert p.name == "blank-project" and p.path is None
    assert p.to_files() == ot.Project.open_zip(on_disk).to_files()
    p.tempo = 99.0
    again = zip_entries(p.to_zip_bytes(name="RENAMED", also_strd=True))
    assert ot.Project.from_zip_bytes(p.to_zip_bytes()).tempo == 99.0
    assert "RENAMED/project.strd" in again and len(again) == 52
    # An archive with samples: carried over from memory.
    with_sample = io.BytesIO()
    with zipfile.ZipFile(with_sample, "w") as z:
        for name, b in zip_entries(data).items():
            z.writestr(name, b)
        z.writestr("AUDIO/kick.wav", b"RIFF....WAVE")
    q = ot.Project.from_zip_bytes(with_sample.getvalue())
    assert zip_entries(q.to_zip_bytes())["AUDIO/kick.wav"] == b"RIFF....WAVE"
    assert "AUDIO/kick.wav" not in zip_entries(q.to_zip_bytes(samples=False))
    for bad in (b"", b"PK junk", data[: len(data) // 2]):
        with pytest.raises(groovekit.Error):
            ot.Project.from_zip_bytes(bad)
