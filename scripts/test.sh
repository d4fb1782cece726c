#!/usr/bin/env bash
# Runs every test (unit, WASI, CLI end-to-end) with CTest, building first if needed.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ ! -f build/build.ninja ]]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo
fi
ninja -C build -j2
ctest --test-dir build --output-on-failure -j2
