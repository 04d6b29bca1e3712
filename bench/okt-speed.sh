#!/usr/bin/env bash
# Whole-process render speed: groovekit vs xmp vs openmpt123, side by side in one run, for every
# Oktalyzer fixture both players load (neither loads OKTASNG2, so 45.okt2 is left out): 44.1 kHz,
# 16-bit, stereo, linear interpolation.
#
# The three commands run round-robin (bench/interleaved_timer.py), so a shared machine's slow
# spell hits all of them alike, and the headline ratio is the median of the per-round ratios
# xmp/groovekit. Also printed: median wall times, the ratio of the mean wall times, mean
# user+system CPU and its ratio (above 1 = groovekit is faster).
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

json_argv() { python3 -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "$@"; }

echo "44.1 kHz 16-bit stereo, linear; $runs interleaved rounds; $(nproc) cores; $(date -u +%Y-%m-%d)"
echo
echo "| module | groovekit s | xmp s | openmpt123 s | xmp/gk (median of rounds) | xmp/gk (means) | openmpt/gk | groovekit cpu s | xmp cpu s | xmp/gk cpu |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for f in "$fixtures"/*.okta "$fixtures"/*.okt; do
  [ -e "$f" ] || continue
  name="$(basename "$f")"
  cp "$f" "$out/$name"
  g=$(json_argv "$gk" render "$f" -o "$out/g.wav" --rate 44100 --bits 16 --interpolation linear)
  x=$(json_argv xmp --norc -q -f 44100 -i linear -o "$out/x.wav" "$f")
  o=$(json_argv openmpt123 --render --output-type wav --samplerate 44100 --no-float --filter 2 --ramping 0 --force "$out/$name")
  python3 "$here/interleaved_timer.py" "$runs" 2 "g=$g" "x=$x" "o=$o" | python3 -c "
import json, sys
r = json.load(sys.stdin)
g, x, o = r['g'], r['x'], r['o']
print(f\"| $name | {g['median']:.4f} | {x['median']:.4f} | {o['median']:.3f} | {x['ratio_to_first']:.2f}x | {x['mean'] / g['mean']:.2f}x | {o['ratio_to_first']:.2f}x | {g['cpu']:.4f} | {x['cpu']:.4f} | {x['cpu'] / g['cpu']:.2f}x |\")"
done
