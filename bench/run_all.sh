#!/usr/bin/env bash
# Builds and runs every benchmark in bench/ against the build dir given (default build/release).
# `make bench` calls this; figures go to stdout. Run it on an otherwise idle machine: the latency
# benchmark (b) measures scheduling overhead, which other load inflates.
set -euo pipefail
build_dir="${1:-build/release}"
for src in bench/*_bench.cc; do
  name="$(basename "$src" .cc)"
  cmake --build "$build_dir" --target "$name" >/dev/null
  echo "== $name"
  "$build_dir/bench/$name"
done
