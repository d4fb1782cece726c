#!/usr/bin/env bash
# Benchmarks Lantern against native code: each guest in bench/guests is built with clang-19 -O2
# natively and for wasm32-wasi, both are run in the same session (best wall time of RUNS runs),
# their outputs must match, and the ratio lantern/native is printed with the geometric mean.
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

now_ns() { date +%s%N; }

# best_of CMD...: runs the command $runs times, stdout to $out/last.out; prints the best seconds.
best_of() {
  local best="" start end elapsed
  for ((i = 0; i < runs; i++)); do
    start=$(now_ns)
    "$@" > "$out/last.out"
    end=$(now_ns)
    elapsed=$((end - start))
    if [[ -z "$best" || $elapsed -lt $best ]]; then best=$elapsed; fi
  done
  awk -v ns="$best" 'BEGIN { printf "%.3f", ns / 1e9 }'
}

printf "%-8s %12s %12s %8s\n" guest "native (s)" "lantern (s)" ratio
ratios=()
status=0
for guest in "${guests[@]}"; do
  native_time=$(best_of "$out/$guest.native")
  cp "$out/last.out" "$out/$guest.native.out"
  wasm_time=$(best_of "$lantern" run "$out/$guest.wasm")
  cp "$out/last.out" "$out/$guest.wasm.out"
  if ! cmp -s "$out/$guest.native.out" "$out/$guest.wasm.out"; then
    echo "error: $guest: lantern output differs from native:" >&2
    diff "$out/$guest.native.out" "$out/$guest.wasm.out" >&2 || true
    status=1
  fi
  ratio=$(awk -v w="$wasm_time" -v n="$native_time" 'BEGIN { printf "%.2f", w / n }')
  ratios+=("$ratio")
  printf "%-8s %12s %12s %8s\n" "$guest" "$native_time" "$wasm_time" "$ratio"
done

printf '%s\n' "${ratios[@]}" |
  awk '{ sum += log($1); n++ } END { printf "geometric mean ratio (lantern / native): %.2f\n", exp(sum / n) }'
echo "best of $runs runs each; outputs in $out"
exit $status
