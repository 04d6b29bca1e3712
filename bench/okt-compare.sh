#!/usr/bin/env bash
# Renders every Oktalyzer fixture with groovekit, openmpt123 and xmp at the same rate and
# interpolation, in mono (removing pan-law differences), and prints the duration difference to
# openmpt123 --info and the correlation of groovekit's output with each player's.
# xmp is rendered in stereo and averaged to mono by the helper: xmp 4.1.0's own -m mono mix
# inverts the polarity of some split-pair voices (measured on yes-part-ii.okt), which would
# measure that bug instead of the replay. Both players' pans are linear, so the average removes
# the pan law as a mono render would.
#
# Usage: bench/okt-compare.sh [FIXTURE_DIR] [RATE] [INTERPOLATION: nearest|linear]
# Needs: openmpt123 and xmp (installed with apt-get when missing), python3 (numpy optional).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
fixtures="${1:-${GROOVEKIT_FIXTURES:-$root/../shared/fixtures}/okt}"
rate="${2:-44100}"
interp="${3:-linear}"
case "$interp" in
  nearest) taps=1 ;;
  linear) taps=2 ;;
  *) echo "interpolation must be nearest or linear (the players share only those)" >&2; exit 2 ;;
esac
if ! command -v openmpt123 >/dev/null || ! command -v xmp >/dev/null; then
  apt-get update && apt-get install -y openmpt123 xmp
fi
cargo build --release -q -p groovekit --manifest-path "$root/Cargo.toml"
gk="$root/target/release/groovekit"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
echo "rate $rate Hz, $interp interpolation, mono; openmpt123 $(openmpt123 --version 2>&1 | head -1 | awk '{print $2}'), $(xmp --version 2>&1 | head -1)"
echo
echo "corr columns: groovekit --compat openmpt / the same with --no-pair-note-clamp; rms = groovekit level relative to the player"
echo
echo "| module | groovekit s | openmpt --info s | xmp s | diff to openmpt | corr openmpt | corr xmp |"
echo "|---|---|---|---|---|---|---|"
for f in "$fixtures"/*.okta "$fixtures"/*.okt; do
  [ -e "$f" ] || continue
  name="$(basename "$f")"
  cp "$f" "$tmp/$name"
  # The players' timing (50 Hz, row 0 first, notes on their tick): the original's PAL frame rate
  # would drift 0.16 % away from both players and decorrelate everything (docs/oktalyzer.md).
  "$gk" render "$f" -o "$tmp/$name.gk.wav" --rate "$rate" --interpolation "$interp" --channels 1 \
    --compat openmpt 2>/dev/null
  "$gk" render "$f" -o "$tmp/$name.gk2.wav" --rate "$rate" --interpolation "$interp" --channels 1 \
    --compat openmpt --no-pair-note-clamp 2>/dev/null
  # openmpt123 writes <input>.wav next to its input.
  openmpt123 --render --output-type wav --samplerate "$rate" --channels 1 --filter "$taps" --ramping 0 \
    --no-float --dither 0 --repeat 0 --end-time 0 --force "$tmp/$name" >/dev/null 2>&1
  mv "$tmp/$name.wav" "$tmp/$name.om.wav"
  xmp --norc -q -f "$rate" -i "$interp" -a 0 -o "$tmp/$name.xmp.wav" "$f" >/dev/null 2>&1 || true
  gk_s="$("$gk" inspect --json "$f" | python3 -c 'import json,sys; print(json.load(sys.stdin)["duration_seconds_players"])')"
  speed="$("$gk" inspect --json "$f" | python3 -c 'import json,sys; print(json.load(sys.stdin)["speed"])')"
  om_s="$(openmpt123 --info "$f" 2>&1 | sed -n 's/^Duration\.*: *//p' | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')"
  python3 "$here/okt-compare.py" "$name" "$tmp/$name.gk.wav" "$tmp/$name.gk2.wav" "$tmp/$name.om.wav" "$tmp/$name.xmp.wav" \
    "$gk_s" "$om_s" "$(python3 -c "print($speed/50)")"
done

# Where each departure is: per 2-second window, with the effects at those rows.
if [ "${OKT_WINDOWS:-1}" = 1 ]; then
  echo
  python3 "$here/okt-compare-windows.py" "$gk" "$fixtures" "$rate" 0.95
fi
