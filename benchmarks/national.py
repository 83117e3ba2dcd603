"""The national scenario (`nl-2024`) and subsets of it, for the scaling study.

    python -m benchmarks.national [N ...]

A subset of N municipalities is the N nearest to the centre of the country (Utrecht), so every subset
is one connected stretch of the map and the largest is the whole country.
"""

from __future__ import annotations

import multiprocessing
import resource
import sys
import time
from dataclasses import replace
from typing import Any

CENTRE = (52.09, 5.12)


def _run(size: int, queue: Any) -> None:
    from inputs import load_scenario
    from optimizer import optimize

    started = time.perf_counter()
    scenario = load_scenario("nl-2024")
    if size < len(scenario.municipalities):
        nearest = sorted(scenario.municipalities, key=lambda m: (m.lat - CENTRE[0]) ** 2 + (m.lon - CENTRE[1]) ** 2)[
            :size
        ]
        codes = {m.code for m in nearest}
        scenario = replace(
            scenario,
            municipalities=tuple(m for m in scenario.municipalities if m.code in codes),
            adjacency=frozenset(p for p in scenario.adjacency if p[0] in codes and p[1] in codes),
        )
    result = optimize(scenario)
    total = time.perf_counter() - started
    report = result.report
    queue.put(
        {
            "municipalities": size,
            "variables": result.model_size["variables"],
            "binaries": result.model_size["binaries"],
            "constraints": result.model_size["constraints"],
            "build_s": round(result.build_seconds, 2),
            "solve_s": round(report.seconds, 2),
            "total_s": round(total, 2),
            "status": report.status,
            "gap": None if report.gap is None else round(report.gap, 5),
            "objective": report.objective,
            "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0),
        }
    )


def run_national(size: int) -> dict[str, Any]:
    """Solve the national scenario restricted to `size` municipalities in a fresh process."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    process = context.Process(target=_run, args=(size, queue))
    process.start()
    row: dict[str, Any] = queue.get()
    process.join()
    print(
        f"  {size} municipalities: {row['status']} gap {row['gap']} in {row['total_s']} s "
        f"(build {row['build_s']} s, {row['variables']} variables, peak {row['peak_mb']} MB)",
        flush=True,
    )
    return row


if __name__ == "__main__":
    for argument in sys.argv[1:] or ["342"]:
        run_national(int(argument))
