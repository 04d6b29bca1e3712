#!/usr/bin/env bash
# groovekit serve speed (issue 25): Set index of a generated Set (16 projects, 5 000 samples of
# mixed formats) warm, with the peak memory of a process that only indexes it; the Set page and
# the pattern page server time (App::handle, no socket); peaks of a one-minute WAV. Targets:
# index < 1 s, pattern page < 20 ms, Set page < 300 ms, peaks < 50 ms. Release build.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
echo "machine: $(uname -srm), $(nproc) cores; date: $(date -u '+%Y-%m-%d %H:%M UTC'); load: $(cut -d' ' -f1-3 /proc/loadavg)"
cargo build --release -q --example bench_serve -p groovekit-serve --manifest-path "$root/Cargo.toml"
bin="$root/target/release/examples/bench_serve"
out="$(KEEP=1 "$bin")"
echo "$out"
set_dir="$(echo "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["set_dir"])')"
"$bin" index "$set_dir"
rm -rf "$(dirname "$set_dir")"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
