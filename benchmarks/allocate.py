"""Fair shares end to end: `seta allocate` per region, and what the participation guarantee costs.

    python -m benchmarks.allocate [--runs 3] [--scenarios kempen drechtsteden]

Each command is the real one (Python start-up included), run `runs` times interleaved; printed: the
median time of `seta allocate` (the issue asks under 15 s for kempen and 60 s for drechtsteden on 2
cores), and for each key of the guarantee the time of `seta solve --participation KEY` against the
plain solve in the same run (a ratio) with the price the command states.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path


def run(arguments: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    done = subprocess.run(arguments, capture_output=True, text=True)
    return time.perf_counter() - started, done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scenarios", nargs="+", default=["kempen", "drechtsteden"])
    parser.add_argument("--keys", nargs="+", default=["use", "inhabitants", "equal"])
    args = parser.parse_args()
    seta = str(Path(sys.executable).with_name("seta"))
    for scenario in args.scenarios:
        times = []
        for _ in range(args.runs):
            seconds, done = run([seta, "allocate", scenario, "--format", "json"])
            assert done.returncode == 0, done.stderr
            times.append(seconds)
        members = len({row["code"] for row in json.loads(done.stdout)["allocation"]})
        print(
            f"seta allocate {scenario} ({members} members, {2**members - 1} coalitions): median "
            f"{statistics.median(times):.1f} s over {args.runs} run(s)"
        )
    for scenario in args.scenarios:
        for key in args.keys:
            plain, guarded = [], []
            stated = ""
            for _ in range(args.runs):
                seconds, done = run([seta, "solve", scenario, "--no-explain", "--format", "json"])
                plain.append(seconds)
                seconds, done = run(
                    [seta, "solve", scenario, "--no-explain", "--participation", key, "--format", "json"]
                )
                guarded.append(seconds)
                if done.returncode == 0:
                    part = json.loads(done.stdout)["participation"]
                    stated = (
                        f"price EUR {part['price_weighted']:,.0f} a year weighted, EUR "
                        f"{part['cash'] - part['cash_without']:+,.0f} cash"
                    )
                else:
                    stated = f"exit {done.returncode}: {done.stderr.strip().splitlines()[-1]}"
            ratio = statistics.median(guarded) / statistics.median(plain)
            print(
                f"seta solve {scenario} --participation {key}: median {statistics.median(guarded):.1f} s, "
                f"{ratio:.1f} x the plain solve ({statistics.median(plain):.1f} s, which the guarded command "
                f"also runs for the price); {stated}"
            )


if __name__ == "__main__":
    main()
