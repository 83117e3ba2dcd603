"""What makes a matrix hard to prove: the pool formulation's LP bound and MIP time without each of
the matrix's rules.

    python -m benchmarks.matrix_rules SCENARIO [--set KEY=VALUE ...] [--time-limit S]

Builds the scenario's pool formulation (where it lists every pool: the seed regions), hands
it to HiGHS and solves it as it is, without the rows that make every member of a matrix unit host one
itself (`matrix_hosts`), without the spread rows (`matrix_spread`: no host carries two more than a
fellow member), and with every matrix unit closed. For each: the LP relaxation, the MIP's optimum,
their gap, and the MIP's seconds. A rule whose rows, taken away, change the optimum binds; one that
also leaves the MIP fast is what the solver spends its time on. Dropping rows is an experiment, not
a model seta solves: the optima without a rule are not answers.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import numpy as np
import pulp

from inputs import load_scenario
from optimizer.control import Control
from optimizer.formulation import build_model
from optimizer.formulation.pools import pool_fit
from optimizer.instance import Instance
from optimizer.solve import quiet_stdout
from optimizer.task import without_matrix


def _highs(problem: pulp.LpProblem, time_limit: float) -> Any:
    solver = pulp.HiGHS(msg=False, threads=1, mip_rel_gap=0.0, time_limit=time_limit)
    with quiet_stdout():
        solver.createAndConfigureSolver(problem)
        solver.buildSolverModel(problem)
    return problem.solverModel


def measure(instance: Instance, dropped: tuple[str, ...], closed: bool, time_limit: float) -> str:
    forbid = without_matrix(instance) if closed else ()
    model = build_model(instance, formulation="pools", control=Control(), forbid=forbid)
    problem = model.problem
    gone = [n for n, row in enumerate(problem.constraints()) if row.name.split("(")[0] in dropped]
    figures = []
    for relaxed in (True, False):
        highs = _highs(problem, time_limit)
        if gone:
            highs.deleteRows(len(gone), np.array(gone, dtype=np.int32))
        if relaxed:
            count = highs.getNumCol()
            highs.changeColsIntegrality(count, np.arange(count, dtype=np.int32), np.zeros(count, dtype=np.uint8))
        started = time.perf_counter()
        with quiet_stdout():
            highs.run()
        figures.append((highs.getInfo().objective_function_value, time.perf_counter() - started, highs.getInfo()))
    (bound, _, _), (optimum, seconds, info) = figures
    proven = "proven" if info.mip_gap <= 1e-9 else f"gap {100 * info.mip_gap:.3f} % at the limit"
    return (
        f"LP {bound:>14,.0f}  MIP {optimum:>14,.0f}  LP gap {100 * (optimum - bound) / abs(optimum):6.3f} %  "
        f"MIP {seconds:6.2f} s ({proven})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("scenario")
    parser.add_argument("--set", dest="overrides", action="append", default=[])
    parser.add_argument("--time-limit", type=float, default=120.0)
    arguments = parser.parse_args()
    instance = Instance(load_scenario(arguments.scenario, arguments.overrides))
    if not pool_fit(instance).whole:
        raise SystemExit(
            "the pool formulation does not list every pool of this scenario: its MIP would not be the whole"
        )
    variants = {
        "as it is": ((), False),
        "without matrix_hosts": (("matrix_hosts",), False),
        "without matrix_spread": (("matrix_spread",), False),
        "every matrix unit closed": ((), True),
    }
    for name, (dropped, closed) in variants.items():
        print(f"{name:<26} {measure(instance, dropped, closed, arguments.time_limit)}", flush=True)


if __name__ == "__main__":
    main()
