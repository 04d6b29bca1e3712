"""Issue 22 in the bindings: copies and zips of a project whose samples are missing (the
real-device project, taken off a card without its AUDIO folder) refuse unless missing="keep",
dry runs plan with the missing list, and copy_slots(settings_only=True)."""

from __future__ import annotations

import pathlib
import shutil

import pytest

import groovekit
from groovekit import octatrack as ot


def real_device_set(fixtures: pathlib.Path, tmp: pathlib.Path) -> tuple[pathlib.Path, pathlib.Path]:
    src = tmp / "MYSET" / "MYPROJECT"
    shutil.copytree(fixtures / "octatrack" / "real-device", src)
    dst = tmp / "MYSET" / "LIVE"
    ot.Project.new().save(dst)
    return src, dst


def test_copies_and_zip_take_missing_keep(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    src, dst = real_device_set(fixtures, tmp_path)
    with pytest.raises(groovekit.ValidationError, match="--missing keep"):
        ot.copy_bank(src, 1, dst, 7)
    plan = ot.copy_bank(src, 1, dst, 7, dry_run=True)
    assert plan.refused and "--missing keep" in plan.refused
    assert len(plan.missing) == 9
    with pytest.raises(groovekit.ValidationError, match="--missing keep"):
        plan.apply()
    kept = ot.copy_bank(src, 1, dst, 7, missing="keep")
    assert kept.refused is None and len(kept.missing) == 9 and kept.backup
    piece = ot.copy_part(src, 1, 1, dst, 1, 2, missing="keep")
    assert piece.missing and piece.refused is None
    with pytest.raises(groovekit.ValidationError, match="refuse"):
        ot.copy_part(src, 1, 1, dst, 1, 3, missing="maybe")
    p = ot.Project.open(src)
    with pytest.raises(groovekit.ValidationError, match="--missing keep"):
        p.save_zip(tmp_path / "p.zip")
    report = p.save_zip(tmp_path / "p.zip", missing="keep")
    assert len(report["missing"]) == 26 and (tmp_path / "p.zip").is_file()


def test_copy_slots_settings_only(fixtures: pathlib.Path, tmp_path: pathlib.Path) -> None:
    src, dst = real_device_set(fixtures, tmp_path)
    # Put flex slot 33 into the destination (kept with its path), then copy slot 34's settings
    # onto it: the path stays, the timing and gain follow slot 34.
    ot.copy_slots(src, dst, [33], pool="flex", to=5, missing="keep")
    before = (dst / "project.work").read_bytes()
    plan = ot.copy_slots(src, dst, [35], pool="flex", to=5, settings_only=True)
    assert plan.backup and not plan.to_dict()["files"]
    text = (dst / "project.work").read_text(encoding="latin-1")
    assert "JM_172_D_Atmos.wav" in text and "KAS_170_G_PAD_15.wav" not in text
    assert (dst / "project.work").read_bytes() != before
    assert "TRIM_BARSx100=800" in text.split("SLOT=005")[1].split("[/SAMPLE]")[0]
    with pytest.raises(groovekit.ValidationError, match="holds no sample"):
        ot.copy_slots(src, dst, [35], pool="flex", to=60, settings_only=True)
