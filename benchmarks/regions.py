"""Regions proven: solver and end-to-end seconds of every built-in region, Zeeland and Limburg.

    python -m benchmarks.regions [NAME ...] [--time-limit S] [--cost-only | --both]

Per scenario and weighting (the defaults, and cost only: every other weight 0) it prints the model's
size, the seconds to build and to solve, the status and gap, and the root LP bound's distance from
the optimum as a share of the whole cost (how weak the formulation is). Zeeland and Limburg are the
issue's regions (benchmarks/scenarios/): the 13 and 31 municipalities of their province in 2024.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path

from inputs import load_scenario
from inputs.builtins import regional_names
from optimizer import optimize

HERE = Path(__file__).parent
REGIONS = regional_names()
ISSUE = [str(HERE / "scenarios" / "zeeland.yaml"), str(HERE / "scenarios" / "limburg.yaml")]
COST_ONLY = [f"weights.{key}=0" for key in ("quality", "vulnerability", "manageability", "autonomy")]


def run(reference: str, overrides: list[str], time_limit: float) -> str:
    started = time.perf_counter()
    scenario = load_scenario(reference, overrides)
    scenario = replace(scenario, solver=replace(scenario.solver, time_limit=time_limit))
    result = optimize(scenario, explain_rejection=False)
    total = time.perf_counter() - started
    report = result.report
    gap = "" if report.gap is None else f"{100 * report.gap:.3f} %"
    return (
        f"{scenario.name:<16} {'cost' if overrides else 'default':<8} {result.model_size.variables:>7} vars  "
        f"build {result.build_seconds:6.2f} s  solve {report.seconds:7.2f} s  total {total:7.2f} s  "
        f"{report.status.value:<9} {gap}"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("names", nargs="*")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--cost-only", action="store_true")
    parser.add_argument("--both", action="store_true")
    arguments = parser.parse_args()
    names = arguments.names or [*REGIONS, *ISSUE]
    weightings = [COST_ONLY] if arguments.cost_only else [[], COST_ONLY] if arguments.both else [[]]
    for name in names:
        for overrides in weightings:
            print(run(name, overrides, arguments.time_limit), flush=True)


if __name__ == "__main__":
    main()
