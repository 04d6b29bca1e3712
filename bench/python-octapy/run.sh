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
# Usage: bench/python-octapy/run.sh OCTAPY_CHECKOUT [PROJECT_DIR] [RUNS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$(dirname "$here")")"
octapy="${1:?usage: run.sh OCTAPY_CHECKOUT [PROJECT_DIR] [RUNS]}"
project="${2:-${GROOVEKIT_FIXTURES:-$root/../shared/fixtures}/octatrack/blank-project}"
runs="${3:-10}"
venv="$root/target/bench-python-octapy/venv"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet "$octapy" "$root/python"
out="$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)"
trap 'rm -rf "$out"' EXIT
json_argv() { python3 -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "$@"; }
py="$venv/bin/python"
# Both must see the same steps: compare their counts once before timing.
a="$("$py" "$here/groovekit_workload.py" "$project" "$out/gk")"
b="$("$py" "$here/octapy_workload.py" "$project" "$out/octapy")"
echo "steps seen: groovekit $a, octapy $b"
echo "$runs interleaved rounds; $(nproc) cores; $(date -u +%Y-%m-%d); project $project"
python3 "$root/bench/interleaved_timer.py" "$runs" 1 \
  "groovekit=$(json_argv "$py" "$here/groovekit_workload.py" "$project" "$out/gk")" \
  "octapy=$(json_argv "$py" "$here/octapy_workload.py" "$project" "$out/octapy")"
