#!/usr/bin/env bash
# Octatrack patterns as MIDI, whole process (issue 21 "Speed"):
# 1. export: every pattern of all 16 banks of a project (256 patterns, 4 passes each) to one MIDI
#    file with one command (`groovekit ot midi PROJECT --passes 4 -o OUT.mid`); the banks are the
#    real-device bank01 (dense trigs, per-track lengths, micro-timing) copied to all 16, with a MIDI
#    track of chords, locks and CCs added to every pattern of bank 1. Target: < 1 s on 2 cores.
#    Prints the median wall time and events per second (from the report: notes on and off,
#    controls, tempo, markers).
# 2. import: a 10 000-note MIDI file (8 tracks, chords, off-grid notes) into 16 patterns with
#    `ot import-midi --dry-run` (read, place, plan; nothing written). Target: < 100 ms.
# Needs the fixture corpus ($GROOVEKIT_FIXTURES). Copy the printed numbers to BENCHMARKS.md with
# the machine, load and date.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
runs="${RUNS:-7}"
fx="${GROOVEKIT_FIXTURES:-$root/../shared/fixtures}"
# GK=path/to/groovekit skips the build (the release build is slow on a shared machine).
if [ -z "${GK:-}" ]; then
  cargo build --release -q -p groovekit --manifest-path "$root/Cargo.toml"
fi
gk="${GK:-$root/target/release/groovekit}"
echo "binary: $gk"
echo "machine: $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

mkdir -p "$work/P"
cp "$fx/octatrack/real-device/project.work" "$fx/octatrack/real-device/markers.work" "$work/P/"
for b in $(seq -w 1 16); do cp "$fx/octatrack/real-device/bank01.work" "$work/P/bank$b.work"; done
python3 "$here/make.py" "$work"
"$gk" ot import-midi "$work/chords.mid" "$work/P" --bank 1 --pattern 1 --length 64 --force -q >/dev/null 2>&1 || true

python3 - "$gk" "$work" "$runs" <<'PY'
import json, resource, statistics, subprocess, sys, time
gk, work, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
def timed(args):
    # Wall time and the child's CPU time (user + system): on a loaded machine the wall time is
    # mostly waiting for a core, the CPU time is the work.
    wall, cpu = [], []
    out = None
    for _ in range(runs):
        r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
        s = time.perf_counter()
        r = subprocess.run(args, capture_output=True, text=True)
        wall.append(time.perf_counter() - s)
        r1 = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append(r1.ru_utime - r0.ru_utime + r1.ru_stime - r0.ru_stime)
        if r.returncode != 0:
            sys.exit(f"{' '.join(args)}: exit {r.returncode}: {r.stderr}")
        out = r.stdout
    return statistics.median(wall), statistics.median(cpu), out
wall, cpu, out = timed([gk, "ot", "midi", f"{work}/P", "--passes", "4", "--json", "-o", f"{work}/all.mid"])
rep = json.loads(out)["report"]
print(f"export 256 patterns x 4 passes: median wall {wall:.3f} s, CPU {cpu:.3f} s over {runs} runs; "
      f"{rep['segments']} segments, {rep['notes']} notes, {rep['events']} events, "
      f"{rep['events'] / wall:,.0f} events/s of wall time, {rep['events'] / max(cpu, 1e-9):,.0f} of CPU time; "
      f"file {len(open(f'{work}/all.mid','rb').read()):,} bytes")
wall, cpu, out = timed([gk, "ot", "import-midi", f"{work}/10k.mid", f"{work}/P", "--bank", "2", "--pattern", "1",
                        "--force", "--dry-run", "--json"])
rep = json.loads(out)
print(f"import 10 000 notes (dry run): median wall {wall * 1000:.1f} ms, CPU {cpu * 1000:.1f} ms; "
      f"{rep['notes']} notes, {rep['placed']} placed onto {len(rep['patterns'])} patterns, "
      f"{len(rep['not_imported'])} lines not imported")
PY
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
