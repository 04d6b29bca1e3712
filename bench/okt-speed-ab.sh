#!/usr/bin/env bash
# Before/after timing of two groovekit binaries, interleaved with xmp (bench/interleaved_timer.py):
# OLD and NEW render every fixture at 44.1 kHz 16-bit stereo linear; NEW also with --compat openmpt.
# Usage: bench/okt-speed-ab.sh OLD_BINARY NEW_BINARY [RUNS]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
old="$1"; new="$2"
fixtures="${GROOVEKIT_FIXTURES:-$here/../../shared/fixtures}/okt"
out="$(mktemp -d -p /dev/shm)"
runs="${3:-8}"
j() { python3 -c 'import json, sys; print(json.dumps(sys.argv[1:]))' "$@"; }
echo "| module | old gk s | new gk s (default) | new gk s (--compat openmpt) | new/old default | new openmpt/old | xmp/new (ratio of medians) |"
echo "|---|---|---|---|---|---|---|"
for f in "$fixtures"/*.okta "$fixtures"/*.okt; do
  n=$(basename "$f")
  o=$(j "$old" render "$f" -o "$out/o.wav" --rate 44100 --bits 16 --interpolation linear)
  d=$(j "$new" render "$f" -o "$out/d.wav" --rate 44100 --bits 16 --interpolation linear)
  c=$(j "$new" render "$f" -o "$out/c.wav" --rate 44100 --bits 16 --interpolation linear --compat openmpt)
  x=$(j xmp --norc -q -f 44100 -i linear -o "$out/x.wav" "$f")
  python3 "$here/interleaved_timer.py" "$runs" 2 "o=$o" "d=$d" "c=$c" "x=$x" | python3 -c "
import json, sys
r = json.load(sys.stdin)
o, d, c, x = r['o'], r['d'], r['c'], r['x']
print(f\"| $n | {o['median']:.4f} | {d['median']:.4f} | {c['median']:.4f} | {d['median']/o['median']:.3f} | {c['median']/o['median']:.3f} | {x['median']/d['median']:.2f}x |\")"
done
rm -rf "$out"
