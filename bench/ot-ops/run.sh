#!/usr/bin/env bash
# Octatrack project operations, whole process (issue 13 "Speed"):
# 1. copy a bank that references 64 samples (1 MB each) between two projects in two Sets, against
#    a plain `cp` of the same 64 files (+ .ot); both commands first reset the destination from the
#    same template, so the ratio compares the operation only on top of an equal reset;
# 2. `ot slots` and `verify` on a Set of 32 projects (16 banks each).
# Runs round-robin with bench/interleaved_timer.py. Prints the timer's JSON; copy the numbers to
# BENCHMARKS.md with the machine and date.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
runs="${RUNS:-15}"
# GK=path/to/groovekit skips the build (the release build is slow on a shared machine).
if [ -z "${GK:-}" ]; then
  cargo build --release -q -p groovekit --manifest-path "$root/Cargo.toml"
fi
gk="${GK:-$root/target/release/groovekit}"
echo "machine: $(uname -srm), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo "date: $(date -u '+%Y-%m-%d %H:%M UTC'), load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Source Set: project SRC with 64 Flex slots, each a 1 MB WAV, bank 1 locks every slot.
mkdir -p "$work/A/AUDIO/samples"
"$gk" ot new-project "$work/A/SRC" >/dev/null
python3 - "$work/A" <<'PY'
import os, sys, struct
root = sys.argv[1]
proj = os.path.join(root, "SRC", "project.work")
text = open(proj, "rb").read()
blocks = b""
for i in range(1, 65):
    name = f"s{i:02d}.wav"
    data = os.urandom(1_000_000 - 44)
    hdr = b"RIFF" + struct.pack("<I", 36 + len(data)) + b"WAVEfmt " + struct.pack("<IHHIIHH", 16, 1, 1, 44100, 88200, 2, 16) + b"data" + struct.pack("<I", len(data))
    open(os.path.join(root, "AUDIO", "samples", name), "wb").write(hdr + data)
    blocks += (f"[SAMPLE]\r\nTYPE=FLEX\r\nSLOT={i:03d}\r\nPATH=../AUDIO/samples/{name}\r\nBPMx24=2880\r\nTSMODE=2\r\n"
               f"LOOPMODE=0\r\nGAIN=48\r\nTRIGQUANTIZATION=-1\r\n[/SAMPLE]\r\n\r\n").encode()
i = text.index(b"[SAMPLE]")
open(proj, "wb").write(text[:i] + blocks + text[i:])
# Bank 1: track 1 Flex, a sample lock (p-lock byte 31) on every step of tracks 1 (slots 1-64).
bank = bytearray(open(os.path.join(root, "SRC", "bank01.work"), "rb").read())
part = 585_430
bank[part + 43] = 1
for s in range(64):
    bank[22 + 8 + 98 + s * 32 + 31] = s
total = sum(bank[16:-2]) & 0xFFFF
bank[-2:] = total.to_bytes(2, "big")
open(os.path.join(root, "SRC", "bank01.work"), "wb").write(bank)
PY
"$gk" ot new-project "$work/B/DSTTEMPLATE" >/dev/null
cat > "$work/copy-bank.sh" <<SH
#!/bin/sh
rm -rf "$work/B/DST" && cp -r "$work/B/DSTTEMPLATE" "$work/B/DST" && exec "$gk" ot copy-bank "$work/A/SRC:1" "$work/B/DST:1"
SH
cat > "$work/cp.sh" <<SH
#!/bin/sh
rm -rf "$work/B/DST" && cp -r "$work/B/DSTTEMPLATE" "$work/B/DST" && exec cp "$work"/A/AUDIO/samples/*.wav "$work/B/DST/"
SH
# The same cp, then the file system synced (`sync -f`): what groovekit's fsyncs add, shown
# beside the plain cp that the target is read against.
cat > "$work/cp-sync.sh" <<SH
#!/bin/sh
"$work/cp.sh" && exec sync -f "$work/B/DST"
SH
chmod +x "$work"/*.sh
echo "copy-bank (64 x 1 MB) vs cp, and cp + sync:"
python3 "$root/bench/interleaved_timer.py" "$runs" 2 \
  "cp=[\"$work/cp.sh\"]" "groovekit=[\"$work/copy-bank.sh\"]" "cp+sync=[\"$work/cp-sync.sh\"]"

# A Set of 32 projects with 16 banks each (copies of SRC, whose bank 1 has 64 locks).
mkdir -p "$work/SET/AUDIO"
cp -r "$work/A/AUDIO/samples" "$work/SET/AUDIO/"
for n in $(seq -w 1 32); do
  cp -r "$work/A/SRC" "$work/SET/P$n"
  for b in $(seq -w 2 16); do cp "$work/A/SRC/bank01.work" "$work/SET/P$n/bank$b.work"; done
done
cat > "$work/slots-all.sh" <<SH
#!/bin/sh
for p in "$work"/SET/P*; do "$gk" ot slots "\$p" --json > /dev/null || exit 1; done
SH
chmod +x "$work/slots-all.sh"
echo "ot slots on 32 projects (one process each) and verify on the Set:"
python3 "$root/bench/interleaved_timer.py" 5 1 \
  "slots=[\"$work/slots-all.sh\"]" "verify=[\"$gk\", \"verify\", \"$work/SET\"]"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
