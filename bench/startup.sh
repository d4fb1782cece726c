#!/usr/bin/env bash
# Start-up time of `lantern run` on the hello-world WASI guest (examples/hello/hello.c): wall time
# of the whole process (exec, dynamic loading, decode, validation, lowering of what runs,
# instantiation, the guest, exit), over RUNS runs after a warm-up. Prints mean and median in ms.
#
# Usage: bash bench/startup.sh [RUNS]        (default 200; needs build/lantern)
# Env:   LANTERN=path/to/lantern  STARTUP_OUT=dir (default build/bench)  CLANG=clang-19
# Uses hyperfine when installed, otherwise a timed shell loop.
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-200}"
lantern="${LANTERN:-$root/build/lantern}"
out="${STARTUP_OUT:-$root/build/bench}"
clang="${CLANG:-clang-19}"
src="$root/examples/hello/hello.c"
wasm="$out/hello.wasm"
warmup=20

[[ -x "$lantern" ]] || { echo "error: $lantern not found; run scripts/setup.sh first" >&2; exit 1; }
mkdir -p "$out"
if [[ ! -f "$wasm" || "$src" -nt "$wasm" ]]; then
  "$clang" --target=wasm32-wasi -O2 "$src" -o "$wasm"
fi
if ! "$lantern" run "$wasm" | grep -q "Hello from WebAssembly"; then
  echo "error: $lantern run $wasm did not greet" >&2
  exit 1
fi

echo "lantern: $lantern"
if ldd "$lantern" 2> /dev/null | grep -q 'libstdc++'; then
  echo "         (links libstdc++.so: built with LANTERN_STATIC_CXX_RUNTIME off, or before it)"
fi
echo "guest:   $wasm ($(stat -c %s "$wasm") bytes)"

if command -v hyperfine > /dev/null; then
  json="$out/startup.json"
  # Its outlier warnings go to the log: on a shared machine they come with most runs.
  if ! hyperfine --shell=none --warmup "$warmup" --runs "$runs" --export-json "$json" \
    "$lantern run $wasm" > "$out/startup.log" 2>&1; then
    cat "$out/startup.log" >&2
    exit 1
  fi
  field() { grep -o "\"$1\": *[0-9.e+-]*" "$json" | head -1 | sed 's/.*: *//'; }
  awk -v mean="$(field mean)" -v median="$(field median)" -v sd="$(field stddev)" \
    -v min="$(field min)" -v max="$(field max)" -v runs="$runs" 'BEGIN {
      printf "mean %.2f ms  median %.2f ms  (sd %.2f, min %.2f, max %.2f; %d runs, hyperfine)\n",
        mean * 1e3, median * 1e3, sd * 1e3, min * 1e3, max * 1e3, runs }'
  exit 0
fi

# No hyperfine: time each run from the shell, with $EPOCHREALTIME (bash 5, no fork) when there
# is one, else date(1). Each sample includes the shell's own fork and exec (about 1 ms more than
# hyperfine reports here), so compare binaries with the same tool.
for ((i = 0; i < warmup; i++)); do "$lantern" run "$wasm" > /dev/null; done
samples="$out/startup.samples"
: > "$samples"
for ((i = 0; i < runs; i++)); do
  if [[ -n "${EPOCHREALTIME:-}" ]]; then
    t0=${EPOCHREALTIME/[.,]/}
    "$lantern" run "$wasm" > /dev/null
    t1=${EPOCHREALTIME/[.,]/}
  else
    t0=$(($(date +%s%N) / 1000))
    "$lantern" run "$wasm" > /dev/null
    t1=$(($(date +%s%N) / 1000))
  fi
  echo $((10#$t1 - 10#$t0)) >> "$samples"
done
sort -n "$samples" | awk -v runs="$runs" '{ t[NR] = $1; sum += $1 } END {
  median = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
  printf "mean %.2f ms  median %.2f ms  (min %.2f, max %.2f; %d runs, shell loop)\n",
    sum / NR / 1e3, median / 1e3, t[1] / 1e3, t[NR] / 1e3, runs }'
