#!/usr/bin/env python3
"""Prints the methods table of docs/methods.md from a report bench/methods_grid.sh made.

For each dataset and each mode, method or variant of the two methods grids: the final and the
best average test Spearman over the seeds (mean +- sample sd), and the final's difference from
SSS and from the single-task ceiling (ST: each criterion optimized and judged alone). A method
"beats" a reference when its final mean is higher by more than the larger of the two sds.
SIMULATED numbers: consequences of the simulator's rules (docs/simulator.md), not findings
about LLMs.

    bench/methods_summary.py REPORT_DIR
"""
import csv
import sys
from pathlib import Path


def rows(report, dataset):
    path = Path(report) / f"table1-{dataset}.csv"
    return {r["mode"]: r for r in csv.DictReader(open(path))}


def verdict(row, ref):
    diff = float(row["final_mean"]) - float(ref["final_mean"])
    margin = max(float(row["final_std"] or 0), float(ref["final_std"] or 0))
    word = "beats" if diff > margin else "below" if diff < -margin else "ties"
    return f"{diff:+.3f} ({word})"


def main():
    report = sys.argv[1]
    print("[SIMULATED] methods grids: final and best average test Spearman, mean +- sd over "
          "3 seeds (8 steps, MAE gate)")
    for dataset in ["summeval", "brighter"]:
        table = rows(report, dataset)
        sss, st = table["SSS"], table["ST"]
        order = sorted(table, key=lambda m: -float(table[m]["final_mean"]))
        print(f"\n{dataset}\n")
        print("| mode / method | final ρ | best ρ | vs SSS | vs ST ceiling |")
        print("|---|---|---|---|---|")
        for mode in order:
            r = table[mode]
            vs_sss = "—" if mode == "SSS" else verdict(r, sss)
            vs_st = "—" if mode == "ST" else verdict(r, st)
            print(f"| {mode} | {float(r['final_mean']):.3f} ± {float(r['final_std']):.3f} | "
                  f"{float(r['best_mean']):.3f} ± {float(r['best_std']):.3f} | {vs_sss} | {vs_st} |")


if __name__ == "__main__":
    main()
