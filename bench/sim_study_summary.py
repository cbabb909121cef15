#!/usr/bin/env python3
"""Prints the calibration quantities of issue 17 from a workspace bench/sim_study_grid.sh filled.

SIMULATED numbers. Targets (docs/simulator.md, "Calibration to the study") are printed beside
each quantity; the study's own values come from shared/spec/paper-results.md.
"""
import csv
import json
import statistics
import sys
from pathlib import Path

MULTI = ["SSS", "SSC", "SCC", "CCC"]


def table1(ws):
    rows = list(csv.DictReader(open(ws / "report" / "table1.csv")))
    return {(r["mode"], r["gate"]): r for r in rows}


def by_mode(path):
    return {m["mode"]: m["mean"] for m in json.load(open(path))["by_mode"]}


def main():
    ws = Path(sys.argv[1])
    t1 = table1(ws)
    initial = statistics.mean(float(r["initial_mean"]) for r in t1.values())
    print("[SIMULATED] issue 17 calibration quantities (SummEval, 3 seeds, 12 steps)")
    print(f"initial avg rho (all configurations): {initial:.3f}   target 0.26-0.31")
    print("gate mae, best-step gain:   " + "  ".join(
        f"{m} {float(t1[(m, 'mae')]['delta']):+.3f}" for m in ["ST"] + MULTI)
        + "   target ST +0.01..+0.08, others <= +0.05")
    ends = {m: float(t1[(m, "none")]["final_mean"]) - float(t1[(m, "none")]["initial_mean"])
            for m in ["ST"] + MULTI}
    below = sum(1 for m in MULTI if ends[m] < 0)
    print("gate none, final - initial: " + "  ".join(f"{m} {d:+.3f}" for m, d in ends.items())
          + f"   ({below} multi-criteria modes below; target >= 2)")
    rows = json.load(open(ws / "cherry.json"))["rows"]
    single = statistics.mean(r["single"]["spearman"] for r in rows)
    stitched = statistics.mean(r["stitched"]["spearman"] for r in rows)
    print(f"stitching (oracle picks): single {single:.3f} -> stitched {stitched:.3f}, "
          f"{stitched - single:+.3f}   target <= -0.04")
    spec = by_mode(ws / "spec.json")
    sep = statistics.mean(spec[m] for m in ["Single", "SSS", "SSC"] if m in spec)
    comb = statistics.mean(spec[m] for m in ["SCC", "CCC"] if m in spec)
    print(f"specificity: separate {sep:.2f} / combined {comb:.2f} = {sep / comb:.2f}   "
          "target >= 2 (" + ", ".join(f"{m} {v:.2f}" for m, v in spec.items()) + ")")
    adh = by_mode(ws / "adh.json")
    print("adherence: " + ", ".join(f"{m} {v:.2f}" for m, v in adh.items())
          + "   target >= 7 in every mode")


if __name__ == "__main__":
    main()
