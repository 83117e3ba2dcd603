"""Regions proven: solver and end-to-end seconds of every built-in region, Zeeland and Limburg.

    python -m benchmarks.regions [NAME ...] [--time-limit S] [--cost-only | --both] [--against textbook]

Per scenario and weighting (the defaults, and cost only: every other weight 0) it prints the
formulation `auto` chose, the model's size, the seconds to build and to solve, and the status and
gap. With `--against F` each runs in formulation F too, side by side, with the ratio of the end-to-end
times (auto / F). Zeeland and Limburg are the engine issue's regions (benchmarks/scenarios/): the 13
and 31 municipalities of their province in 2024; zeeland-no-matrix is Zeeland without the matrix.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import replace
from pathlib import Path
from typing import cast

from inputs import load_scenario
from inputs.builtins import regional_names
from inputs.types import Formulation
from optimizer import optimize

HERE = Path(__file__).parent
REGIONS = regional_names()
ISSUE = [str(HERE / "scenarios" / f"{name}.yaml") for name in ("zeeland", "zeeland-no-matrix", "limburg")]
COST_ONLY = [f"weights.{key}=0" for key in ("quality", "vulnerability", "manageability", "autonomy")]


def run(
    reference: str, overrides: list[str], time_limit: float, formulation: Formulation = "auto"
) -> tuple[str, float]:
    started = time.perf_counter()
    scenario = load_scenario(reference, overrides)
    solver = replace(scenario.solver, time_limit=time_limit, formulation=formulation)
    result = optimize(replace(scenario, solver=solver), explain_rejection=False)
    total = time.perf_counter() - started
    report = result.report
    gap = "" if report.gap is None else f"{100 * report.gap:.3f} %"
    line = (
        f"{scenario.name:<22} {'cost' if overrides else 'default':<8} {result.model_size.formulation:<8} "
        f"{result.model_size.variables:>7} vars  build {result.build_seconds:6.2f} s  solve {report.seconds:7.2f} s  "
        f"total {total:7.2f} s  {report.status.value:<9} {gap}"
    )
    return line, total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("names", nargs="*")
    parser.add_argument("--time-limit", type=float, default=60.0)
    parser.add_argument("--cost-only", action="store_true")
    parser.add_argument("--both", action="store_true")
    parser.add_argument("--against", choices=["textbook", "pools", "radius"])
    arguments = parser.parse_args()
    names = arguments.names or [*REGIONS, *ISSUE]
    weightings = [COST_ONLY] if arguments.cost_only else [[], COST_ONLY] if arguments.both else [[]]
    for name in names:
        for overrides in weightings:
            line, total = run(name, overrides, arguments.time_limit)
            print(line, flush=True)
            if arguments.against:
                against = cast(Formulation, arguments.against)
                other, other_total = run(name, overrides, arguments.time_limit, against)
                print(f"{other}  auto/{arguments.against} {total / other_total:.2f}", flush=True)


if __name__ == "__main__":
    main()
