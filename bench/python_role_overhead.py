#!/usr/bin/env python3
"""What a Python function as the judge costs: judge calls per second through evaluate() on
SummEval's test split in per-criterion mode (480 examples x 4 criteria = 1,920 calls, no cache)
with

  sim        the in-process simulator (C++, no Python in the call path),
  trivial    a Python function that returns a fixed reply (the pure overhead of a python
             role: the GIL taken per call, messages and params converted, the reply read),
  simulator  a Python function that calls judgeopt.Simulator (the simulator behind a python
             role: the overhead plus the same work as `sim`),

at concurrency 1 and 32. Each figure is the median of --repeat runs. Replies are SIMULATED or
fixed: these are speed figures, not findings about LLMs. Usage:

  PYTHONPATH=build/release/python python3 bench/python_role_overhead.py [--repeat 5]
"""

import argparse
import os
import platform
import statistics
import time

import judgeopt


def trivial_reply(criteria):
    replies = {c: f'{{"{c}": 3}}' for c in criteria}

    def trivial(messages, params):  # a per-criterion request's tag ends with its criterion
        return replies[params["tag"].rsplit("/", 1)[-1]]
    return trivial


def calls_per_second(dataset, concurrency, judge, repeat):
    rates = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = judgeopt.evaluate(None, dataset, "test", judge=judge, concurrency=concurrency,
                                   judge_mode="per-criterion", no_cache=True)
        elapsed = time.perf_counter() - start
        rates.append(result.calls["total"]["calls"] / elapsed)
    return statistics.median(rates)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    ds = judgeopt.load_dataset("summeval")
    sim = judgeopt.Simulator(ds)

    def simulator(messages, params):
        return sim(messages, params)

    judges = {"sim": None, "trivial": trivial_reply(ds.criterion_names), "simulator": simulator}
    print(f"judgeopt {judgeopt.version()}, Python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs; judge calls/s on summeval/test per criterion (1,920 calls), "
          f"median of "
          f"{args.repeat}")
    print(f"{'judge':<10} {'concurrency':>11} {'calls/s':>10}")
    for name, judge in judges.items():
        for concurrency in (1, 32):
            rate = calls_per_second(ds, concurrency, judge, args.repeat)
            print(f"{name:<10} {concurrency:>11} {rate:>10.0f}")


if __name__ == "__main__":
    main()
