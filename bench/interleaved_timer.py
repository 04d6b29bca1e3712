#!/usr/bin/env python3
"""Times several commands round-robin, so that a shared machine's slow spells hit all of them.

Usage: interleaved_timer.py RUNS WARMUP NAME=JSON_ARGV [NAME=JSON_ARGV ...]

Each round runs every command once, in order, timing the wall clock around posix_spawn and
wait4 (no shell, no Python subprocess machinery) and reading the child's user+system CPU from
wait4. Prints one JSON object: per command the mean, median and minimum wall seconds and the
mean CPU seconds, and per pair of commands (other/first) the median of the per-round wall ratios.
A command that fails makes the script exit non-zero.
"""

import json
import os
import statistics
import sys
import time


def run_once(argv):
    """Runs argv with stdout/stderr to /dev/null; returns (wall_s, cpu_s)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        actions = [
            (os.POSIX_SPAWN_DUP2, devnull, 1),
            (os.POSIX_SPAWN_DUP2, devnull, 2),
        ]
        start = time.perf_counter_ns()
        pid = os.posix_spawnp(argv[0], argv, os.environ, file_actions=actions)
        _, status, usage = os.wait4(pid, 0)
        wall = (time.perf_counter_ns() - start) / 1e9
    finally:
        os.close(devnull)
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"command failed ({os.waitstatus_to_exitcode(status)}): {' '.join(argv)}")
    return wall, usage.ru_utime + usage.ru_stime


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    runs, warmup = int(sys.argv[1]), int(sys.argv[2])
    commands = []
    for spec in sys.argv[3:]:
        name, _, argv = spec.partition("=")
        commands.append((name, json.loads(argv)))
    for _ in range(warmup):
        for _, argv in commands:
            run_once(argv)
    walls = {name: [] for name, _ in commands}
    cpus = {name: [] for name, _ in commands}
    for _ in range(runs):
        for name, argv in commands:
            wall, cpu = run_once(argv)
            walls[name].append(wall)
            cpus[name].append(cpu)
    first = commands[0][0]
    result = {
        name: {
            "mean": statistics.mean(walls[name]),
            "median": statistics.median(walls[name]),
            "min": min(walls[name]),
            "cpu": statistics.mean(cpus[name]),
            "ratio_to_first": statistics.median(o / f for o, f in zip(walls[name], walls[first])),
        }
        for name, _ in commands
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
