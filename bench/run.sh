#!/usr/bin/env bash
# Benchmarks Lantern against native code: each guest in bench/guests is built with clang-19 -O2
# natively and for wasm32-wasi, both are run in the same session (best of RUNS runs),
# their outputs must match, and the ratio lantern/native of CPU time is printed with the
# geometric mean.
#
# Usage: bash bench/run.sh [RUNS]        (default 3; needs build/lantern from scripts/setup.sh)
# Env:   LANTERN=path/to/lantern  BENCH_GUESTS="fib sha256 nbody"  BENCH_OUT=dir
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${1:-3}"
lantern="${LANTERN:-$root/build/lantern}"
guests=(${BENCH_GUESTS:-fib sha256 nbody})
out="${BENCH_OUT:-$root/build/bench}"
clang="${CLANG:-clang-19}"

[[ -x "$lantern" ]] || { echo "error: $lantern not found; run scripts/setup.sh first" >&2; exit 1; }
mkdir -p "$out"

for guest in "${guests[@]}"; do
  src="$root/bench/guests/$guest.c"
  "$clang" -O2 "$src" -o "$out/$guest.native" -lm
  "$clang" --target=wasm32-wasi -O2 "$src" -o "$out/$guest.wasm"
done

# best_of CMD...: runs the command $runs times (stdout to $out/last.out) and prints the best
# CPU time (user + sys, seconds) and the best wall time. CPU time is the figure compared: it
# stays meaningful when other work shares the machine's cores.
best_of() {
  local best_cpu="" best_wall="" line
  local TIMEFORMAT='%3R %3U %3S'
  for ((i = 0; i < runs; i++)); do
    line=$({ time "$@" > "$out/last.out" 2> "$out/last.err"; } 2>&1)
    read -r wall user sys <<< "$line"
    cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.3f", u + s }')
    if [[ -z "$best_cpu" ]] || awk -v a="$cpu" -v b="$best_cpu" 'BEGIN { exit !(a < b) }'; then
      best_cpu=$cpu
    fi
    if [[ -z "$best_wall" ]] || awk -v a="$wall" -v b="$best_wall" 'BEGIN { exit !(a < b) }'; then
      best_wall=$wall
    fi
  done
  echo "$best_cpu $best_wall"
}

printf "%-8s %14s %14s %8s   %s\n" guest "native cpu(s)" "lantern cpu(s)" ratio "(wall: native / lantern)"
ratios=()
status=0
for guest in "${guests[@]}"; do
  read -r native_cpu native_wall <<< "$(best_of "$out/$guest.native")"
  cp "$out/last.out" "$out/$guest.native.out"
  read -r wasm_cpu wasm_wall <<< "$(best_of "$lantern" run "$out/$guest.wasm")"
  cp "$out/last.out" "$out/$guest.wasm.out"
  if ! cmp -s "$out/$guest.native.out" "$out/$guest.wasm.out"; then
    echo "error: $guest: lantern output differs from native:" >&2
    diff "$out/$guest.native.out" "$out/$guest.wasm.out" >&2 || true
    cat "$out/last.err" >&2
    status=1
  fi
  ratio=$(awk -v w="$wasm_cpu" -v n="$native_cpu" 'BEGIN { printf "%.2f", w / n }')
  ratios+=("$ratio")
  printf "%-8s %14s %14s %8s   (%s / %s)\n" "$guest" "$native_cpu" "$wasm_cpu" "$ratio" \
    "$native_wall" "$wasm_wall"
done

printf '%s\n' "${ratios[@]}" |
  awk '{ sum += log($1); n++ } END { printf "geometric mean ratio (lantern / native): %.2f\n", exp(sum / n) }'
echo "best of $runs runs each; outputs in $out"
exit $status
