#!/usr/bin/env bash
# Whole-process render speed: groovekit vs xmp vs openmpt123, side by side in one run, for every
# Oktalyzer fixture: 44.1 kHz, 16-bit, stereo, linear interpolation. Prints wall-clock means
# (hyperfine when installed, otherwise a best-of-N loop) and CPU time (user+sys), and the
# ratios xmp/groovekit and openmpt123/groovekit (above 1 = groovekit is faster).
#
# Output files go to a tmpfs folder (/dev/shm) so that disk flushing does not count: groovekit's
# atomic writer fsyncs its file (a no-op on tmpfs), the others do not.
#
# Usage: bench/okt-speed.sh [FIXTURE_DIR] [RUNS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
fixtures="${1:-${GROOVEKIT_FIXTURES:-$root/../shared/fixtures}/okt}"
runs="${2:-10}"
if ! command -v openmpt123 >/dev/null || ! command -v xmp >/dev/null; then
  apt-get update && apt-get install -y openmpt123 xmp
fi
cargo build --release -q -p groovekit --manifest-path "$root/Cargo.toml"
gk="$root/target/release/groovekit"
out="$(mktemp -d -p /dev/shm 2>/dev/null || mktemp -d)"
trap 'rm -rf "$out"' EXIT

# cpu_time CMD...: median user+sys seconds over $runs runs (GNU time).
cpu_time() {
  for _ in $(seq "$runs"); do /usr/bin/time -f "%U %S" "$@" 2>&1 >/dev/null | tail -1; done |
    awk '{print $1+$2}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
# wall_time CMD...: mean wall seconds (hyperfine) or median of a loop.
wall_time() {
  if command -v hyperfine >/dev/null; then
    hyperfine -N -w 1 -r "$runs" --export-json "$out/h.json" "$(printf '%q ' "$@")" >/dev/null 2>&1
    python3 -c "import json; print(round(json.load(open('$out/h.json'))['results'][0]['mean'], 4))"
  else
    for _ in $(seq "$runs"); do
      s=$(date +%s.%N); "$@" >/dev/null 2>&1; e=$(date +%s.%N); echo "$e - $s" | bc
    done | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
  fi
}

echo "44.1 kHz 16-bit stereo, linear; $runs runs each; $(nproc) cores; $(date -u +%Y-%m-%d)"
echo
echo "| module | groovekit wall s | xmp wall s | openmpt123 wall s | xmp/gk wall | openmpt/gk wall | groovekit cpu s | xmp cpu s | xmp/gk cpu |"
echo "|---|---|---|---|---|---|---|---|---|"
for f in "$fixtures"/*.okta "$fixtures"/*.okt; do
  [ -e "$f" ] || continue
  name="$(basename "$f")"
  cp "$f" "$out/$name"
  g=(env "$gk" render "$f" -o "$out/g.wav" --rate 44100 --bits 16 --interpolation linear)
  x=(xmp --norc -q -f 44100 -i linear -o "$out/x.wav" "$f")
  o=(openmpt123 --render --output-type wav --samplerate 44100 --no-float --filter 2 --ramping 0 --force "$out/$name")
  gw=$(wall_time "${g[@]}"); xw=$(wall_time "${x[@]}"); ow=$(wall_time "${o[@]}")
  gc=$(cpu_time "${g[@]}"); xc=$(cpu_time "${x[@]}")
  python3 -c "
gw,xw,ow,gc,xc=$gw,$xw,$ow,$gc,$xc
print(f'| $name | {gw:.3f} | {xw:.3f} | {ow:.3f} | {xw/gw:.2f}x | {ow/gw:.2f}x | {gc:.3f} | {xc:.3f} | {xc/max(gc,0.005):.2f}x |')"
done
