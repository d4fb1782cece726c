#!/usr/bin/env bash
# One command for a fresh Debian bookworm machine (run as root, no input needed): installs the
# Debian packages Lantern needs, builds it into build/ and runs the bundled example.
# Safe to re-run: installed packages are skipped and the build is incremental.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential g++ cmake ninja-build                # C++ toolchain
  libfmt-dev libcli11-dev nlohmann-json3-dev           # libraries
  libgtest-dev libgmock-dev libbenchmark-dev           # tests and benchmarks
  clang-19 lld-19 wasi-libc libclang-rt-19-dev-wasm32  # C -> wasm32-wasi guests
  rustc libstd-rust-dev-wasm32                         # Rust -> wasm32-wasi guests
  wabt                                                 # wat2wasm, wast2json for tests
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done
if ((${#missing[@]} > 0)); then
  echo "setup: installing ${missing[*]}"
  sudo=""
  if [[ "$(id -u)" -ne 0 ]]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  # A broken third-party source must not stop the install of Debian's own packages.
  $sudo apt-get update -qq || echo "setup: apt-get update reported errors; installing anyway"
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if [[ ! -f build/build.ninja ]]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
ninja -C build -j2

# The bundled example (built here, never committed).
example=examples/hello
if [[ ! -f $example/hello.wasm || $example/hello.c -nt $example/hello.wasm ]]; then
  clang-19 --target=wasm32-wasi -O2 $example/hello.c -o $example/hello.wasm
fi
build/lantern run $example/hello.wasm
