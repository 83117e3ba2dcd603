"""How an explanation's work budget trades proven answers against time.

    python -m benchmarks.explain kempen                  # the defaults (RUNNER_UP_WORK / RESOLVE_WORK)
    python -m benchmarks.explain kempen 100/12 60/8      # runner-up work / flip work, side by side

Prints, per budget, the seconds the explanation took, its re-solves, and how many runner-ups and
flip searches were proven. The budgets are the solver's check-ins (optimizer.control.Control), so the
proven counts repeat on any machine; only the seconds depend on it.
"""

from __future__ import annotations

import sys
import time

from inputs import load_scenario
from optimizer import optimize
from optimizer.explain import RESOLVE_WORK, RUNNER_UP_WORK, explain


def main(arguments: list[str]) -> None:
    name = arguments[0] if arguments else "kempen"
    budgets = [tuple(int(part) for part in item.split("/")) for item in arguments[1:]] or [
        (RUNNER_UP_WORK, RESOLVE_WORK)
    ]
    scenario = load_scenario(name)
    result = optimize(scenario, explain_rejection=False)
    assert result.chosen is not None and result.configuration is not None
    for runner_up_work, solve_work in budgets:
        started = time.perf_counter()
        explanation = explain(
            result.instance,
            result.chosen,
            result.configuration,
            result.baseline,
            result.report.options,
            solve_work=solve_work,
            runner_up_work=runner_up_work,
        )
        seconds = time.perf_counter() - started
        ups = sum(r.status.value == "optimal" for r in explanation.runner_ups)
        flips = sum(f.proven for f in explanation.flips)
        print(
            f"{name} work {runner_up_work}/{solve_work}: {seconds:.1f} s, {explanation.solves} re-solves, "
            f"runner-ups proven {ups} of {len(explanation.runner_ups)}, flips proven {flips} of "
            f"{len(explanation.flips)}",
            flush=True,
        )


if __name__ == "__main__":
    main(sys.argv[1:])
