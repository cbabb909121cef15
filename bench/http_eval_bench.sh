#!/usr/bin/env bash
# Times whole `judgeopt eval` commands as a user runs them, through `judgeopt sim-server` on a
# loopback port (issue 15, point 3): the BRIGHTER test split, 50 ms per reply, --concurrency 32,
# no response cache. Runs: no faults; --fail-rate 0.05 (429 with Retry-After 1 s, 500, 503, drop,
# and a stall past the judge's 60 s timeout); the same faults with the judge's timeout_s at 1 s.
# Prints per run: judge calls n, wall, ideal = ceil(n/32) x 50 ms, wall/ideal, per-call p50/p99
# (from eval's "judge call time" line) and the examples lost. All figures are SIMULATED.
# Usage: bench/http_eval_bench.sh [build_dir] (default build/release). Exits non-zero when the
# server does not start or an eval fails.
set -euo pipefail
build_dir="${1:-build/release}"
bin="$build_dir/judgeopt"
concurrency=32
latency_ms=50
[[ -x "$bin" ]] || { echo "http_eval_bench: $bin not found (build the judgeopt target)" >&2; exit 1; }

tmp="$(mktemp -d)"
server_pid=""
stop_server() {
  if [[ -n "$server_pid" ]]; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
    server_pid=""
  fi
}
trap 'stop_server; rm -rf "$tmp"' EXIT
die() { echo "http_eval_bench: $*" >&2; exit 1; }

# Starts the server with the given extra flags; sets server_pid and base_url.
start_server() {
  "$bin" sim-server --quiet --port 0 --dataset brighter --latency-ms "$latency_ms" "$@" \
    >"$tmp/server.out" 2>"$tmp/server.err" &
  server_pid=$!
  for _ in $(seq 100); do
    base_url="$(head -n 1 "$tmp/server.out" 2>/dev/null || true)"
    [[ "$base_url" == http://127.0.0.1:* ]] && return 0
    kill -0 "$server_pid" 2>/dev/null || break
    sleep 0.1
  done
  die "sim-server did not start: $(cat "$tmp/server.err")"
}

# Runs one eval against the server; prints its figures. $1 = label, the rest = eval flags.
run_eval() {
  local label="$1"
  shift
  local t0 t1
  t0="$(date +%s.%N)"
  if ! "$bin" eval --dataset brighter --split test --backend openai --base-url "$base_url" \
      --model judgeopt-sim --concurrency "$concurrency" --no-cache "$@" \
      >"$tmp/eval.out" 2>"$tmp/eval.err"; then
    die "eval ($label) failed: $(tail -n 5 "$tmp/eval.err")"
  fi
  t1="$(date +%s.%N)"
  local n lost p50 p99
  n="$(sed -n 's/^judge mode [^:]*: \([0-9]*\) judge calls.*/\1/p' "$tmp/eval.out")"
  lost="$(sed -n 's/^\([0-9]*\) examples gave no usable score.*/\1/p' "$tmp/eval.out")"
  p50="$(sed -n 's/.*judge call time p50 \([0-9.]*\) ms.*/\1/p' "$tmp/eval.err")"
  p99="$(sed -n 's/.*judge call time .* p99 \([0-9.]*\) ms.*/\1/p' "$tmp/eval.err")"
  [[ -n "$n" && -n "$p99" ]] || die "eval ($label): no call count or call times in its output"
  awk -v label="$label" -v n="$n" -v t0="$t0" -v t1="$t1" -v c="$concurrency" \
      -v lat="$latency_ms" -v p50="$p50" -v p99="$p99" -v lost="${lost:-0}" 'BEGIN {
    wall = t1 - t0; waves = int((n + c - 1) / c); ideal = waves * lat / 1000.0
    printf "SIMULATED (sim-server) %-34s n=%d judge calls  wall %.2f s  ideal %.2f s" \
           "  ratio %.2f  per call p50 %.0f ms p99 %.0f ms  lost examples %d\n",
           label, n, wall, ideal, wall / ideal, p50, p99, lost
  }'
  grep -h "model calls" "$tmp/eval.err" | sed 's/^/    SIMULATED /' || true
}

printf '[llm.judge]\ntimeout_s = 1.0\n' >"$tmp/timeout1.toml"
echo "http_eval_bench: brighter/test, latency ${latency_ms} ms, concurrency ${concurrency};" \
     "target for fail-rate 0: ratio <= 1.10 (SIMULATED figures)"
start_server
run_eval "fail-rate 0"
stop_server
start_server --fail-rate 0.05
run_eval "fail-rate 0.05"
stop_server
start_server --fail-rate 0.05
run_eval "fail-rate 0.05, judge timeout_s 1" --config "$tmp/timeout1.toml"
stop_server
