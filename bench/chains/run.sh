#!/usr/bin/env bash
# Sample-chain speed and memory: groovekit (release) against sox concatenating the same inputs
# into one WAV, in the same run. Generates its own inputs (deterministic noise):
#   short: 256 stereo 16-bit files of ~1 s (4 chains of 64 slices)
#   long:  64 stereo 16-bit files of 30 s (one chain, ~320 MB of audio)
# Prints wall time, the groovekit/sox ratio and peak memory (max RSS, /usr/bin/time -v).
# Usage: bench/chains/run.sh [WORKDIR]   (default: a temp dir, removed at the end)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
if [ $# -ge 1 ]; then
  work="$1"; mkdir -p "$work"
else
  work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
fi

need() { command -v "$1" >/dev/null 2>&1; }
if ! need sox || [ ! -x /usr/bin/time ]; then
  echo "installing sox and time" >&2
  apt-get update >/dev/null && apt-get install -y sox time >/dev/null
fi

echo "building groovekit (release)" >&2
(cd "$root" && cargo build --release -q -p groovekit)
gk="$root/target/release/groovekit"

gen() { # dir count seconds
  mkdir -p "$1"
  for i in $(seq -w 1 "$2"); do
    [ -f "$1/in$i.wav" ] || sox -R -n -r 44100 -c 2 -b 16 "$1/in$i.wav" synth "$3" whitenoise vol 0.5
  done
}
echo "generating inputs in $work" >&2
gen "$work/short" 256 1.0
gen "$work/long" 64 30

# time_of CMD...: prints "seconds max_rss_kb"
time_of() {
  local log; log="$(mktemp)"
  /usr/bin/time -v "$@" >/dev/null 2>"$log" || { cat "$log" >&2; rm -f "$log"; return 1; }
  local wall rss
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  rm -f "$log"
  # h:mm:ss or m:ss.cc → seconds
  awk -v t="$wall" -v r="$rss" 'BEGIN { n = split(t, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.3f %d\n", s, r }'
}

run() { # label dir
  local label="$1" dir="$2"
  rm -rf "$work/out-gk" "$work/out-sox.wav"; mkdir -p "$work/out-gk"
  # Warm the page cache once so neither tool pays for the first read.
  cat "$dir"/*.wav >/dev/null
  local best_gk="" best_sox="" rss_gk=0 rss_sox=0
  for _ in 1 2 3; do
    read -r t r < <(time_of "$gk" ot chain bench -o "$work/out-gk" "$dir"/*.wav)
    if [ -z "$best_gk" ] || awk -v a="$t" -v b="$best_gk" 'BEGIN{exit !(a<b)}'; then best_gk=$t; fi
    [ "$r" -gt "$rss_gk" ] && rss_gk=$r
    read -r t r < <(time_of sox "$dir"/*.wav "$work/out-sox.wav")
    if [ -z "$best_sox" ] || awk -v a="$t" -v b="$best_sox" 'BEGIN{exit !(a<b)}'; then best_sox=$t; fi
    [ "$r" -gt "$rss_sox" ] && rss_sox=$r
  done
  # Same audio? (sox writes one file; groovekit one per 64 inputs.)
  local frames_gk=0 f
  for f in "$work"/out-gk/*.wav; do frames_gk=$((frames_gk + $(soxi -s "$f"))); done
  local frames_sox; frames_sox=$(soxi -s "$work/out-sox.wav")
  [ "$frames_gk" = "$frames_sox" ] || { echo "frame counts differ: $frames_gk vs $frames_sox" >&2; exit 1; }
  awk -v l="$label" -v g="$best_gk" -v s="$best_sox" -v rg="$rss_gk" -v rs="$rss_sox" -v fr="$frames_gk" 'BEGIN {
    printf "%-6s %9d frames  groovekit %7.3f s  sox %7.3f s  ratio %.2fx  peak RSS groovekit %6.1f MB  sox %6.1f MB\n",
      l, fr, g, s, (s > 0 ? g / s : 0), rg / 1024, rs / 1024 }'
}

echo "best of 3 runs; ratio = groovekit time / sox time (lower is better)"
run short "$work/short"
run long "$work/long"
