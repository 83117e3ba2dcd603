"""Property: on random tiny instances the MIP optimum equals brute-force enumeration through the
independent evaluator, and the MIP's configuration obeys every rule."""

from __future__ import annotations

import math

from hypothesis import HealthCheck, assume, given, settings

from bruteforce import best, count
from inputs.problems import InputError
from inputs.types import Scenario
from optimizer import optimize
from optimizer.instance import Instance
from strategies import scenarios

#: instances with more configurations than this are skipped (the evaluator runs once per configuration)
MAX_CONFIGURATIONS = 40_000


@settings(
    max_examples=200,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(scenarios())
def test_mip_equals_brute_force(scenario: Scenario) -> None:
    instance = Instance(scenario)
    assume(count(instance) <= MAX_CONFIGURATIONS)
    winner, feasible = best(instance)
    try:
        result = optimize(scenario)
    except InputError:
        # A screen may reject a scenario only when no configuration is feasible.
        assert winner is None, "a feasibility screen rejected a feasible scenario"
        return
    if winner is None:
        assert result.report.status == "infeasible", result.report
        return
    assert result.report.status == "optimal", result.report
    assert result.chosen is not None and result.chosen.violations == []
    assert math.isclose(result.chosen.objective, winner.objective, rel_tol=1e-7, abs_tol=1e-3), (
        result.chosen.objective,
        winner.objective,
        feasible,
    )
    assert result.report.objective is not None
    assert math.isclose(result.report.objective, result.chosen.objective, rel_tol=1e-7, abs_tol=1e-3)
