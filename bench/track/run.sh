#!/usr/bin/env bash
# .track render speed: groovekit vs sox on the same resolved event list (see gen.py).
# Usage: bench/track/run.sh   (from anywhere; needs python3; installs sox, time and bc if missing)
# Prints the wall-clock time of each (best of 3), the real-time factors and the ratio.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
work="${TMPDIR:-/tmp}/groovekit-track-bench"
rm -rf "$work" && mkdir -p "$work"
# Installs what it needs (sox, GNU time, bc) when missing.
need=()
command -v sox >/dev/null || need+=(sox)
[ -x /usr/bin/time ] || need+=(time)
command -v bc >/dev/null || need+=(bc)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi
python3 "$here/gen.py" "$work"
cargo build --release -q -p groovekit --manifest-path "$root/Cargo.toml"
gk="$root/target/release/groovekit"
song_seconds=180

# Runs a command 3 times; prints "best_wall best_cpu" (cpu = user + sys, children included).
measure() {
  local walls=() cpus=()
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %U %S" -o "$work/time.txt" "$@" >/dev/null 2>&1
    read -r w u s < "$work/time.txt"
    walls+=("$w"); cpus+=("$(echo "$u + $s" | bc -l)")
  done
  echo "$(printf '%s\n' "${walls[@]}" | sort -g | head -1) $(printf '%s\n' "${cpus[@]}" | sort -g | head -1)"
}

# groovekit: end to end (process start, parse, decode, mix, 16-bit WAV write with fsync).
read -r gk_wall gk_cpu <<< "$(measure "$gk" render "$work/song.track" -o "$work/groovekit.wav")"

# sox: the same events. Each voice's events are back to back (0.5 s samples every 0.5 s), which
# the script checks; so one `sox` call per voice concatenates its events with their gains, and a
# final `sox -m` mixes the 16 voice tracks to stereo. This is sox's cheapest exact route for this
# list (a `pad` pipe per event would cost ~5 760 processes and pad every input to full length).
python3 - "$work" <<'PY'
import csv, sys, collections
work = sys.argv[1]
rows = list(csv.DictReader(open(f"{work}/events.csv")))
by_file = collections.defaultdict(list)
for r in rows:
    by_file[r["file"]].append((float(r["start_seconds"]), float(r["gain"])))
with open(f"{work}/sox.sh", "w") as f:
    f.write("set -e\ncd " + work + "\n")
    outs = []
    for i, (file, evs) in enumerate(sorted(by_file.items())):
        evs.sort()
        for k, (s, _) in enumerate(evs):
            assert abs(s - 0.5 * k) < 1e-9, "voice events are not back to back"
        args = " ".join(f"-v {g} {file}" for _, g in evs)
        f.write(f"sox {args} -b 32 -e floating-point voice{i:02}.wav\n")
        outs.append(f"-v 1 voice{i:02}.wav")
    f.write(f"sox -m {' '.join(outs)} -b 16 -c 2 sox.wav\n")
PY
read -r sox_wall sox_cpu <<< "$(measure bash "$work/sox.sh")"

rtf() { printf '%.0f' "$(echo "$song_seconds / $1" | bc -l)"; }
printf 'song: %s s, 16 voices, 5760 events, 48 kHz stereo 16-bit; load average: %s\n' "$song_seconds" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'groovekit: wall %.3f s (%sx real time), cpu %.3f s (%sx real time)\n' "$gk_wall" "$(rtf "$gk_wall")" "$gk_cpu" "$(rtf "$gk_cpu")"
printf 'sox:       wall %.3f s (%sx real time), cpu %.3f s (%sx real time)\n' "$sox_wall" "$(rtf "$sox_wall")" "$sox_cpu" "$(rtf "$sox_cpu")"
printf 'ratio sox / groovekit: wall %.1fx, cpu %.1fx\n' "$(echo "$sox_wall / $gk_wall" | bc -l)" "$(echo "$sox_cpu / $gk_cpu" | bc -l)"
# Same event list, same result: largest sample difference between the two renders (sox has no
# pan law: groovekit's centre gain is cos(pi/4), so groovekit is compared after dividing by it).
python3 - "$work" <<'PY'
import struct, sys, wave
def read(p):
    w = wave.open(p); n = w.getnframes(); d = w.readframes(n)
    return struct.unpack(f"<{n * w.getnchannels()}h", d)
work = sys.argv[1]
a = read(f"{work}/groovekit.wav"); b = read(f"{work}/sox.wav")
g = 2 ** 0.5
diff = max(abs(x * g - y) for x, y in zip(a, b))
print(f"frames: groovekit {len(a)//2}, sox {len(b)//2}; max |groovekit*sqrt2 - sox| = {diff:.0f} LSB of 32767")
PY
