"""The national scenario (`nl-2024`) and subsets of it, for the scaling study.

    python -m benchmarks.national [N ...]

A subset of N municipalities is the N nearest to the centre of the country (Utrecht), so every subset
is one connected stretch of the map and the largest is the whole country. The scenario is solved as it
ships (province by province); then, as a certificate, the LP relaxation of the whole model, which no
configuration can beat, is solved by interior point: the joined answer is within `gap_to_bound` of the
true optimum.
"""

from __future__ import annotations

import resource
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

CENTRE = (52.09, 5.12)


def _run(size: int) -> dict[str, Any]:
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
    # The provinces are solved in worker processes: the peak is the largest of this process and of them.
    peak = round(
        max(resource.getrusage(who).ru_maxrss for who in (resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN)) / 1024.0
    )
    bound, bound_s, whole = lp_bound(scenario)
    objective = report.objective
    return {
        "municipalities": size,
        "variables": result.model_size.variables,
        "binaries": result.model_size.binaries,
        "constraints": result.model_size.constraints,
        "build_s": round(result.build_seconds, 2),
        "solve_s": round(report.seconds, 2),
        "total_s": round(total, 2),
        "status": report.status,
        "gap": None if report.gap is None else round(report.gap, 5),
        "objective": objective,
        "peak_mb": peak,
        "whole_variables": whole,
        "lp_bound": bound,
        "lp_bound_s": round(bound_s, 1),
        "gap_to_bound": None if objective is None or bound is None else round((objective - bound) / objective, 5),
    }


def lp_bound(scenario: Any, time_limit: float = 900.0) -> tuple[float | None, float, int]:
    """The LP relaxation of the whole scenario as one model (interior point, no crossover), its time
    and the model's number of variables. HiGHS's default dual simplex is far slower on it."""
    import highspy
    import numpy as np

    from optimizer.formulation import build_model
    from optimizer.instance import Instance

    started = time.perf_counter()
    model = build_model(Instance(scenario))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "whole.mps"
        model.problem.writeMPS(str(path))
        highs = highspy.Highs()
        highs.setOptionValue("output_flag", False)
        highs.readModel(str(path))
    n = highs.getNumCol()
    highs.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.zeros(n, dtype=np.uint8))
    for key, value in (("solver", "ipx"), ("run_crossover", "off"), ("threads", 1), ("time_limit", time_limit)):
        highs.setOptionValue(key, value)
    highs.run()
    optimal = highs.getModelStatus() == highspy.HighsModelStatus.kOptimal
    # Without crossover the objective is the interior point's, exact to its 1e-8 relative tolerance;
    # lowering it by 1e-6 keeps the bound valid with room to spare.
    value = highs.getInfo().objective_function_value
    bound = value - 1e-6 * abs(value) if optimal else None
    return bound, time.perf_counter() - started, n


def run_national(size: int) -> dict[str, Any]:
    """Solve the national scenario restricted to `size` municipalities in a fresh process."""
    from optimizer.executor import in_fresh_process

    row: dict[str, Any] = in_fresh_process(_run, size)
    print(
        f"  {size} municipalities: {row['status']} gap {row['gap']} in {row['total_s']} s "
        f"(build {row['build_s']} s, {row['variables']} variables, peak {row['peak_mb']} MB); "
        f"whole-model LP bound {row['lp_bound']} in {row['lp_bound_s']} s, gap to it {row['gap_to_bound']}",
        flush=True,
    )
    return row


if __name__ == "__main__":
    for argument in sys.argv[1:] or ["342"]:
        run_national(int(argument))
