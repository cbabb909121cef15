#!/usr/bin/env bash
# Builds and runs every benchmark in bench/ against the build dir given (default build/release):
# the *_bench.cc binaries, then the *_bench.sh scripts that time whole commands (they need the
# judgeopt executable), then bench/python_role_overhead.py where the Python module was built.
# `make bench` calls this; figures go to stdout. Run it on an otherwise idle
# machine: the latency benchmarks measure scheduling overhead, which other load inflates.
set -euo pipefail
build_dir="${1:-build/release}"
for src in bench/*_bench.cc; do
  name="$(basename "$src" .cc)"
  cmake --build "$build_dir" --target "$name" >/dev/null
  echo "== $name"
  "$build_dir/bench/$name"
done
cmake --build "$build_dir" --target judgeopt >/dev/null
for script in bench/*_bench.sh; do
  echo "== $(basename "$script" .sh)"
  bash "$script" "$build_dir"
done
# The overhead of a Python function as a role (docs/python.md), where the module was built.
if [[ -d "$build_dir/python/judgeopt" ]]; then
  echo "== python_role_overhead"
  PYTHONPATH="$build_dir/python" "${PYTHON:-$(command -v /usr/bin/python3 || echo python3)}" \
    bench/python_role_overhead.py
fi
