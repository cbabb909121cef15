#!/usr/bin/env bash
# Runs every libFuzzer target of tests/fuzz (built by `make fuzz` in BUILD_DIR) for SECONDS each,
# one after the other, from its checked-in seeds (tests/fuzz/corpus/<target>/, never modified) plus
# the corpus it grew before (BUILD_DIR/corpus/<target>/). A crash, a hang (-timeout), a leak or a
# sanitizer report stops the run with a non-zero status; the input is saved under
# BUILD_DIR/artifacts/. Prints one line per target: executions, coverage (cov), features (ft) and
# corpus size, from libFuzzer's final report.
#
#   scripts/fuzz.sh BUILD_DIR SECONDS [TARGET...]
set -euo pipefail

BUILD_DIR="${1:?usage: fuzz.sh BUILD_DIR SECONDS [TARGET...]}"
SECONDS_EACH="${2:?usage: fuzz.sh BUILD_DIR SECONDS [TARGET...]}"
shift 2
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
if [[ $# -gt 0 ]]; then
  targets=("$@")
else
  mapfile -t targets < <(ls "$ROOT/tests/fuzz" | sed -n 's/^\(fuzz_.*\)\.cc$/\1/p')
fi

mkdir -p "$BUILD_DIR/artifacts" "$BUILD_DIR/logs"
for t in "${targets[@]}"; do
  corpus="$BUILD_DIR/corpus/$t"
  log="$BUILD_DIR/logs/$t.log"
  mkdir -p "$corpus"
  # detect_leaks: a leak fails the run as a crash does.
  if ! ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      "$BUILD_DIR/tests/fuzz/$t" -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 \
      -max_len=8192 -print_final_stats=1 -artifact_prefix="$BUILD_DIR/artifacts/$t-" \
      "$corpus" "$ROOT/tests/fuzz/corpus/$t" >"$log" 2>&1; then
    tail -n 60 "$log" >&2
    echo "fuzz: $t FAILED (log $log, input under $BUILD_DIR/artifacts/)" >&2
    exit 1
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  final=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$final")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$final")
  corp=$(sed -n 's/.* corp: \([0-9]*\).*/\1/p' <<<"$final")
  printf 'fuzz: %-22s %4ss  execs %9s  cov %5s  ft %6s  corpus %5s  ok\n' \
    "$t" "$SECONDS_EACH" "$execs" "$cov" "$ft" "$corp"
done
