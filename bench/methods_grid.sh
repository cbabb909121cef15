#!/usr/bin/env bash
# Issue 17, point 5: runs the two methods grids (configs/methods-grid.toml and
# configs/methods-variants-grid.toml: SummEval and BRIGHTER, 3 seeds, 8 steps, MAE gate) on the
# simulator, writes their joint report and prints the methods table of docs/methods.md.
# SIMULATED numbers. About 15 minutes on a 2-core machine; reruns reuse the workspace.
#
#   bench/methods_grid.sh [JUDGEOPT_BINARY] [WORKSPACE]
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
bin="${1:-$repo/build/dev/judgeopt}"
ws="${2:-$(mktemp -d /tmp/jo-methods.XXXXXX)}"
mkdir -p "$ws"
cd "$repo"
"$bin" grid --config configs/methods-grid.toml --workspace "$ws" > "$ws/grid.out" 2> "$ws/grid.err"
"$bin" grid --config configs/methods-variants-grid.toml --workspace "$ws" \
  >> "$ws/grid.out" 2>> "$ws/grid.err"
"$bin" report methods methods-variants --workspace "$ws" --out "$ws/report" > /dev/null \
  2>> "$ws/grid.err"
python3 "$repo/bench/methods_summary.py" "$ws/report"
