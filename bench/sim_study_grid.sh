#!/usr/bin/env bash
# Issue 17: runs the study's SummEval grid on the simulator (TextGrad; ST, SSS, SSC, SCC, CCC x
# gate none and mae x seeds 1-3; 12 steps of 3 examples) and prints the calibration quantities
# the simulator is tuned to (docs/simulator.md, "Calibration to the study"). SIMULATED numbers.
#
#   bench/sim_study_grid.sh [JUDGEOPT_BINARY] [WORKSPACE]
#
# Reruns reuse the workspace's runs (zero calls for what is stored).
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$repo/build/dev/judgeopt}"
ws="${2:-$(mktemp -d /tmp/jo-sim-study.XXXXXX)}"
mkdir -p "$ws"
cfg="$ws/grid.toml"
# The study grid without OPRO (the study reports TextGrad only).
sed -e 's/^algorithms = .*/algorithms = ["textgrad"]/' -e '/^\[grid.per_algorithm.opro\]/,/^$/d' \
  "$repo/configs/summeval-grid.toml" > "$cfg"
cd "$repo"
"$bin" grid --config "$cfg" --workspace "$ws" > "$ws/grid.out" 2> "$ws/grid.err"
groups=$("$bin" runs list --workspace "$ws" | grep -o 'summeval-st-[A-Za-z0-9_-]*' | sort -u)
# The study picked from every single-task run (3 runs x steps 0-12): all groups at once.
"$bin" cherrypick $groups --workspace "$ws" --oracle --json "$ws/cherry.json" \
  > /dev/null 2>> "$ws/grid.err"
"$bin" diagnose specificity summeval-main --workspace "$ws" --json "$ws/spec.json" \
  > /dev/null 2>> "$ws/grid.err"
"$bin" diagnose adherence summeval-main --workspace "$ws" --json "$ws/adh.json" \
  > /dev/null 2>> "$ws/grid.err"
"$bin" report summeval-main --workspace "$ws" --out "$ws/report" > /dev/null 2>> "$ws/grid.err"
python3 "$repo/bench/sim_study_summary.py" "$ws"
