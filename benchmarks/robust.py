"""`seta robust` end to end: local processes, and the Dask back end with 1 and 2 workers, side by side.

    python -m benchmarks.robust [--draws 200] [--scenario kempen] [--runs 1]
    python -m benchmarks.robust --national [--draws 8]

Each variant is the real command (Python start-up included), interleaved run by run so all see the
same machine. Printed: each median, the Dask speed-up from 1 to 2 workers (the issue asks at least
1.7) and, with --national, the time per draw of nl-2024 (12 province parts each) and what a cluster
of 32 workers would take, extrapolated from the parallel efficiency measured here (labelled so).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path


def timed(arguments: list[str]) -> tuple[float, dict[str, object]]:
    started = time.perf_counter()
    done = subprocess.run(arguments, check=True, capture_output=True, text=True)
    seconds = time.perf_counter() - started
    return seconds, json.loads(done.stdout)["summary"]


def local_against_dask(seta: str, scenario: str, draws: int, runs: int) -> None:
    base = [seta, "robust", scenario, "--draws", str(draws), "--format", "json"]
    variants = {
        "local processes (default)": base,
        "Dask, 1 worker": [*base, "--workers", "1"],
        "Dask, 2 workers": [*base, "--workers", "2"],
    }
    times: dict[str, list[float]] = {name: [] for name in variants}
    summaries: dict[str, dict[str, object]] = {}
    for _ in range(runs):
        for name, command in variants.items():
            seconds, summaries[name] = timed(command)
            times[name].append(seconds)
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name, median in medians.items():
        print(f"seta robust {scenario} --draws {draws}, {name}: median {median:.1f} s over {runs} run(s)")
    one, two = medians["Dask, 1 worker"], medians["Dask, 2 workers"]
    print(f"Dask speed-up 1 -> 2 workers: {one / two:.2f} (parallel efficiency {one / two / 2:.0%})")
    answers = {json.dumps({k: s[k] for k in ("nominal_optimal", "regret_eur")}) for s in summaries.values()}
    print(f"the same answer on every back end: {len(answers) == 1}")


def national(seta: str, draws: int) -> None:
    """nl-2024: the serial work of one solve (its 12 province parts one after the other in one
    process), then `draws` draws on 2 Dask workers; the efficiency of the 2 workers follows, and from
    it (assumed to hold) what 32 workers would take."""
    started = time.perf_counter()
    subprocess.run([seta, "solve", "nl-2024", "--jobs", "1", "--no-explain"], check=True, capture_output=True)
    serial = time.perf_counter() - started
    print(f"seta solve nl-2024 --jobs 1 (12 province parts in one process): {serial:.0f} s")
    command = [seta, "robust", "nl-2024", "--draws", str(draws), "--workers", "2", "--format", "json"]
    seconds, summary = timed(command)
    solves = draws + 1  # and the nominal solve
    efficiency = solves * serial / (2 * seconds)
    print(
        f"seta robust nl-2024 --draws {draws} on 2 Dask workers: {seconds:.0f} s end to end, "
        f"{seconds / solves:.0f} s per solve; {summary['draws_solved']} of {draws} draws solved "
        f"({summary['draws_unproven']} not proven optimal: a province split has no bound for the whole)"
    )
    print(f"parallel efficiency of 2 workers against one process: {efficiency:.0%}")
    # a draw is 12 province parts and the longest stops at its 45 s limit: no number of workers gets
    # a study below that
    longest = 45.0
    for workers, count in ((32, draws), (32, 32), (32, 320)):
        estimate = max((count + 1) * serial / (workers * efficiency), longest)
        print(
            f"EXTRAPOLATED, not measured: {count} draws on {workers} workers about {estimate / 60:.1f} min "
            f"(assuming the efficiency measured on 2 workers holds)"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.robust")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--scenario", default="kempen")
    parser.add_argument("--draws", type=int, default=None)
    parser.add_argument("--national", action="store_true", help="nl-2024 instead (8 draws unless --draws)")
    args = parser.parse_args(argv)
    seta = str(Path(sys.executable).with_name("seta"))
    if args.national:
        national(seta, args.draws or 8)
    else:
        local_against_dask(seta, args.scenario, args.draws or 200, args.runs)
    return 0


if __name__ == "__main__":
    sys.exit(main())
