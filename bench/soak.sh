#!/usr/bin/env bash
# Soak run (issue 18, point 7): a 16-run grid through `judgeopt sim-server` with injected faults
# (--fail-rate 0.1 --malformed-rate 0.05), killed with SIGKILL at 5 random moments and resumed,
# must end with exports identical to a fault-free, uninterrupted grid. Samples the grid process's
# resident memory and open file descriptors every 0.5 s and prints them per phase. Replies are
# SIMULATED.
#
#   bash bench/soak.sh BUILD_DIR [WORK_DIR] [SEED]
set -euo pipefail

BUILD_DIR="${1:?usage: soak.sh BUILD_DIR [WORK_DIR] [SEED]}"
WORK="${2:-$(mktemp -d /tmp/judgeopt-soak.XXXXXX)}"
SEED="${3:-1}"
JO="$(cd "$BUILD_DIR" && pwd)/judgeopt"
RANDOM=$SEED
mkdir -p "$WORK"
cd "$WORK"

cat > grid.toml <<'EOF'
[grid]
name = "soak"
datasets = ["summeval"]
modes = ["SSS", "SSC", "SCC", "CCC"]
gates = ["none", "mae"]
seeds = [1, 2]

[optimize]
steps = 3
EOF

SERVERS=()
cleanup() { for pid in "${SERVERS[@]}"; do kill "$pid" 2>/dev/null || true; done; }
trap cleanup EXIT

# Starts a sim-server with the given flags; sets URL.
start_server() {
  local log="server$(( ${#SERVERS[@]} )).txt"
  "$JO" sim-server --dataset summeval --port 0 "$@" >"$log" 2>/dev/null &
  SERVERS+=($!)
  for _ in $(seq 100); do [[ -s "$log" ]] && break; sleep 0.05; done
  URL="$(head -n 1 "$log")"
}


# Prints "rss_kb fds" of PID, or nothing once it is gone.
sample() {
  local rss fds
  rss=$(awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null) || return 0
  fds=$(ls "/proc/$1/fd" 2>/dev/null | wc -l)
  [[ -n "$rss" ]] && echo "$rss $fds"
}

# Runs the grid in the background, sampling it; kills it with SIGKILL after $3 seconds (0 = let
# it finish). Appends samples to $4.
run_sampled() {
  local ws="$1" url="$2" kill_after="$3" samples="$4"
  (exec "$JO" grid -q --config grid.toml --backend openai --base-url "$url" \
     --model judgeopt-sim --workspace "$ws" >>"$ws.out" 2>>"$ws.err") &
  local gpid=$! start=$SECONDS
  local child=$gpid
  while kill -0 "$gpid" 2>/dev/null; do
    sample "$child" >>"$samples"
    if [[ "$kill_after" != 0 ]] && (( SECONDS - start >= kill_after )); then
      kill -9 "$child" 2>/dev/null || true
      wait "$gpid" 2>/dev/null || true
      return 0
    fi
    sleep 0.5
  done
  wait "$gpid"
}

summary() {  # summary LABEL SAMPLES
  [[ -s "$2" ]] || { echo "$1: no samples"; return; }
  awk -v label="$1" '{ if ($1 > rss) rss = $1; if ($2 > fd) fd = $2; n++ }
    END { printf "%-28s samples %4d  peak RSS %7.1f MiB  peak fds %3d\n", label, n, rss / 1024, fd }' "$2"
}

echo "soak: work dir $WORK, seed $SEED"
start_server
CLEAN_URL="$URL"
t0=$SECONDS
run_sampled ref "$CLEAN_URL" 0 ref.samples
echo "soak: reference grid (no faults, uninterrupted): $(( SECONDS - t0 )) s"

start_server --fail-rate 0.1 --malformed-rate 0.05 --stall-ms 3000 --seed "$SEED"
FAULTY_URL="$URL"
t0=$SECONDS
for kill in 1 2 3 4 5; do
  after=$(( 2 + RANDOM % 6 ))
  run_sampled soak "$FAULTY_URL" "$after" "kill$kill.samples"
  echo "soak: kill $kill: SIGKILL after ${after} s"
done
run_sampled soak "$FAULTY_URL" 0 final.samples
echo "soak: faulty grid, 5 kills and the final resume: $(( SECONDS - t0 )) s"

summary "reference" ref.samples
for kill in 1 2 3 4 5; do summary "before kill $kill" "kill$kill.samples"; done
summary "final resume" final.samples

# Every run of the reference grid, exported comparably from both workspaces. A run id ends with a
# hash that includes the endpoint (the two servers listen on different ports), so runs are paired
# by the id without that hash: dataset, mode, gate and seed.
ids() { "$JO" runs list --workspace "$1" | awk '$1 ~ /^summeval-/ {print $1}' | sort; }
count=0
mkdir -p export/ref export/soak
for run in $(ids ref); do
  cell="${run%-*}"
  twin=$(ids soak | grep -m 1 "^${cell}-" || true)
  [[ -n "$twin" ]] || { echo "soak: FAIL: no run $cell in the soak workspace"; exit 1; }
  "$JO" runs export "$run" --format csv --comparable --workspace ref --out "export/ref/$cell" >/dev/null
  "$JO" runs export "$twin" --format csv --comparable --workspace soak --out "export/soak/$cell" >/dev/null
  count=$(( count + 1 ))
done
if (( count >= 16 )) && diff -r export/ref export/soak >/dev/null; then
  echo "soak: PASS: $count runs, exports identical to the fault-free uninterrupted grid"
else
  echo "soak: FAIL: $count runs compared; diff -r $WORK/export/ref $WORK/export/soak"
  exit 1
fi
