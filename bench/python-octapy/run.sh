#!/usr/bin/env bash
# groovekit's Python package against octapy (pure Python, github jhw/octapy) on the same project,
# in one run: open the project, read every step of every audio and MIDI track of every pattern of
# the 16 banks, write the project back. Whole processes (interpreter start and imports included),
# round-robin (bench/interleaved_timer.py); the headline is the median of the per-round ratios
# octapy/groovekit.
#
# octapy is not on PyPI: pass the path of a checkout of its public repository. It is installed
# into this bench's own venv (target/bench-python-octapy/venv), with groovekit from ./python;
# none of octapy's code enters this repository.
#
# Usage: bench/python-octapy/run.sh OCTAPY_CHECKOUT [PROJECT_DIR|dense] [RUNS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$(dirname "$here")")"
octapy="${1:?usage: run.sh OCTAPY_CHECKOUT [PROJECT_DIR|dense] [RUNS]}"
fixtures="${GROOVEKIT_FIXTURES:-$root/../shared/fixtures}"
project="${2:-dense}"
runs="${3:-10}"
venv="$root/target/bench-python-octapy/venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet "$octapy"
# groovekit is built (release, a few minutes) unless the venv has it already; set
# GROOVEKIT_REINSTALL=1 after changing python/ or the crates.
if [ -n "${GROOVEKIT_REINSTALL:-}" ] || ! "$venv/bin/python" -c "import groovekit.octatrack" 2>/dev/null; then
  "$venv/bin/pip" install --quiet "$root/python"
fi
out="$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)"
trap 'rm -rf "$out"' EXIT
# The default project: the blank device project with the real-device bank (dense trigs, micro-
# timing, locks, conditions) in all 16 banks, so that every bank has steps to read.
if [ "$project" = dense ]; then
  project="$out/DENSE"
  cp -r "$fixtures/octatrack/blank-project" "$project"
  for n in 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16; do
    cp "$fixtures/octatrack/real-device/bank01.work" "$project/bank$n.work"
  done
fi
json_argv() { python3 -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "$@"; }
py="$venv/bin/python"
# Both must see the same steps: compare their counts once before timing.
a="$("$py" "$here/groovekit_workload.py" "$project" "$out/gk")"
b="$("$py" "$here/octapy_workload.py" "$project" "$out/octapy")"
echo "steps seen: groovekit $a, octapy $b"
if [ "$a" != "$b" ]; then
  echo "the two sides read different steps: not comparable" >&2
  exit 1
fi
echo "$runs interleaved rounds; $(nproc) cores; $(date -u +%Y-%m-%d); project $project; $(uptime)"
python3 "$root/bench/interleaved_timer.py" "$runs" 1 \
  "groovekit=$(json_argv "$py" "$here/groovekit_workload.py" "$project" "$out/gk")" \
  "octapy=$(json_argv "$py" "$here/octapy_workload.py" "$project" "$out/octapy")"
