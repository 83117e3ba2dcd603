"""The Dask back end against local worker processes, side by side in one run.

    python -m benchmarks.cluster [--runs 1] [--scenario nl-2024] [--workers 2]

Times `seta solve SCENARIO` end to end (Python start-up included) with local worker processes
(`--jobs N`) and with a local Dask cluster of as many workers (`--workers N`), interleaved so both see
the same machine, and prints each median and the ratio Dask / local: the back end's overhead on the
12 province parts of nl-2024 (the issue's bound: at most 10 %).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path


def timed(arguments: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(arguments, check=True, capture_output=True)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.cluster")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--scenario", default="nl-2024")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    seta = str(Path(sys.executable).with_name("seta"))
    base = [seta, "solve", args.scenario, "--no-explain"]
    variants = {
        f"local processes (--jobs {args.workers})": [*base, "--jobs", str(args.workers)],
        f"Dask LocalCluster (--workers {args.workers})": [*base, "--workers", str(args.workers)],
    }
    times: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(args.runs):
        for name, command in variants.items():
            times[name].append(timed(command))
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, median in medians.items():
        each = ", ".join(f"{value:.1f}" for value in times[name])
        print(f"{args.scenario}, {name}: median {median:.1f} s over {args.runs} run(s) ({each})")
    local, dask = medians.values()
    print(f"ratio Dask / local: {dask / local:.3f} (overhead {100 * (dask / local - 1):+.1f} %)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
