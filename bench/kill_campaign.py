#!/usr/bin/env python3
"""SIGKILL campaign (issue 23): kills `ot restore`, `ot copy-bank --to-pool` and `ot unzip` at
random instants, then runs the next command (`groovekit verify` of the Set), and checks that every
user file is all old or all new and that nothing of the write layer is left (staged files,
journals, staging records, lock files, backup folders without a manifest, folders created by the
killed run).

Usage: kill_campaign.py GROOVEKIT_BIN FIXTURES [TRIALS_PER_OPERATION] [SAMPLE_MB]

Bounded: TRIALS_PER_OPERATION (default 40) trials of each of the three operations, each in a
fresh temporary folder with four samples of SAMPLE_MB (default 8) MB, so a run takes a few
minutes. Prints one JSON object: per operation the trials, how many were killed before, during
(the run had started writing) and after the write, how many ended all old / all new, the mixed
states and the leftovers (both must be 0). Exits 1 when any trial is mixed or left something.
"""

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time

NAMES = ["first-0", "second-0", "fourth-0", "fifth-0"]


def run(binary, *args, env=None):
    return subprocess.run([binary, *map(str, args)], capture_output=True, env=env)


def scene(binary, fixtures, root, mb):
    src = os.path.join(root, "SET", "SRC")
    os.makedirs(src)
    base = os.path.join(fixtures, "octatrack", "bank-copy", "BANK-COPY-SRC")
    for n in os.listdir(base):
        with open(os.path.join(base, n), "rb") as f, open(os.path.join(src, n), "wb") as g:
            g.write(f.read())
    os.makedirs(os.path.join(root, "SET", "AUDIO"))
    for i, n in enumerate(NAMES):
        with open(os.path.join(root, "SET", "AUDIO", n + ".wav"), "wb") as f:
            f.write(bytes([i]) * (mb * 1_000_000 + i))
    r = run(binary, "ot", "new-project", os.path.join(root, "OTHER", "NEW"))
    assert r.returncode == 0, r.stderr


def user_files(root):
    """Relative path -> bytes of every user file (no backups, no write-layer files)."""
    out = {}
    for d, _, files in os.walk(root):
        rel_d = os.path.relpath(d, root)
        if "backups" in rel_d.split(os.sep):
            continue
        for n in files:
            if ".bak" in n or "groovekit" in n:
                continue
            p = os.path.join(d, n)
            with open(p, "rb") as f:
                out[os.path.relpath(p, root)] = f.read()
    return out


def leftovers(root, empty_before):
    """Write-layer files, backup folders without a manifest, and new empty folders."""
    left = []
    for d, dirs, files in os.walk(root):
        rel = os.path.relpath(d, root)
        left += [os.path.join(rel, n) for n in files if "groovekit" in n]
        parts = rel.split(os.sep)
        if len(parts) >= 2 and parts[-2] == "backups" and "manifest.json" not in files:
            left.append(rel + " (backup folder without manifest)")
        if not dirs and not files and rel not in empty_before:
            left.append(rel + " (empty folder)")
    return left


def empty_dirs(root):
    return {os.path.relpath(d, root) for d, dirs, files in os.walk(root) if not dirs and not files}


def operations(binary, fixtures, scratch):
    """Per operation: (setup(root), argv(root), set_folder(root))."""
    zip_path = os.path.join(scratch, "src.zip")
    made = os.path.join(scratch, "made")
    scene(binary, fixtures, made, 1)
    r = run(binary, "ot", "zip", os.path.join(made, "SET", "SRC"), "-o", zip_path)
    assert r.returncode == 0, r.stderr

    def copied(root):
        r = run(binary, "ot", "copy-bank", os.path.join(root, "SET", "SRC") + ":1",
                os.path.join(root, "OTHER", "NEW") + ":2")
        assert r.returncode == 0, r.stderr

    def backup_of(root):
        b = os.path.join(root, "OTHER", "NEW", "backups")
        return os.path.join(b, sorted(os.listdir(b))[0])

    return {
        "ot restore": (
            copied,
            lambda root: ["ot", "restore", backup_of(root)],
            lambda root: os.path.join(root, "OTHER", "NEW"),
        ),
        "ot copy-bank --to-pool": (
            lambda root: None,
            lambda root: ["ot", "copy-bank", "--to-pool", os.path.join(root, "SET", "SRC") + ":1",
                          os.path.join(root, "OTHER", "NEW") + ":2"],
            lambda root: os.path.join(root, "OTHER"),
        ),
        "ot unzip": (
            lambda root: os.makedirs(os.path.join(root, "CARD")),
            lambda root: ["ot", "unzip", zip_path, os.path.join(root, "CARD")],
            lambda root: os.path.join(root, "CARD"),
        ),
    }


def main():
    if len(sys.argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    binary, fixtures = sys.argv[1], sys.argv[2]
    trials = int(sys.argv[3]) if len(sys.argv) > 3 else 40
    mb = int(sys.argv[4]) if len(sys.argv) > 4 else 8
    rng = random.Random(23)
    scratch = tempfile.mkdtemp(prefix="gk-kill-")
    results = {}
    bad = 0
    try:
        for name, (setup, argv, set_folder) in operations(binary, fixtures, scratch).items():
            # The new state and the time a whole run takes.
            root = tempfile.mkdtemp(dir=scratch)
            scene(binary, fixtures, root, mb)
            setup(root)
            old = user_files(root)
            t0 = time.perf_counter()
            r = run(binary, *argv(root))
            whole = time.perf_counter() - t0
            assert r.returncode == 0, r.stderr
            new = user_files(root)
            shutil.rmtree(root)
            stats = {"trials": trials, "whole_run_s": round(whole, 3), "killed": 0, "finished_anyway": 0,
                     "all_old": 0, "all_new": 0, "mixed": 0, "leftovers": 0, "recovery_notes": 0}
            for _ in range(trials):
                root = tempfile.mkdtemp(dir=scratch)
                scene(binary, fixtures, root, mb)
                setup(root)
                empty_before = empty_dirs(root)
                p = subprocess.Popen([binary, *argv(root)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(rng.uniform(0, whole * 1.1))
                if p.poll() is None:
                    p.send_signal(signal.SIGKILL)
                    stats["killed"] += 1
                else:
                    stats["finished_anyway"] += 1
                p.wait()
                nxt = run(binary, "verify", set_folder(root))
                if b"note:" in nxt.stderr:
                    stats["recovery_notes"] += 1
                after = user_files(root)
                if after == old:
                    stats["all_old"] += 1
                elif after == new:
                    stats["all_new"] += 1
                else:
                    stats["mixed"] += 1
                    bad += 1
                left = leftovers(root, empty_before)
                if left:
                    stats["leftovers"] += 1
                    bad += 1
                    print(f"{name}: leftovers {left}", file=sys.stderr)
                shutil.rmtree(root)
            results[name] = stats
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    results["load"] = os.getloadavg()
    print(json.dumps(results, indent=2))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
