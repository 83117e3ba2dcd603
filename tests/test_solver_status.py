"""Honest status: a run is optimal only when proven; a stopped run is feasible with its gap."""

from __future__ import annotations

from dataclasses import replace

import pulp
import pytest

from inputs import load_scenario
from inputs.types import SolverOptions
from optimizer import optimize
from optimizer.solve import SolverReport, Status, classify

S = pulp.LpSolveStatus
OPTIONS = SolverOptions(time_limit=60.0, gap=0.0)


@pytest.mark.parametrize(
    ("solver_status", "has_solution", "objective", "bound", "gap_option", "expected"),
    [
        (S.Optimal, True, 100.0, 100.0, 0.0, "optimal"),
        (S.Optimal, True, 100.0, 99.0, 0.02, "feasible"),  # HiGHS calls a run within its gap limit optimal
        (S.TimeLimit, True, 100.0, 95.0, 0.0, "feasible"),
        (S.TimeLimit, True, 100.0, 100.0, 0.0, "feasible"),  # stopped by the clock: not proven
        (S.GapLimit, True, 100.0, 100.0, 0.01, "optimal"),  # CBC with a gap set, gap closed
        (S.GapLimit, True, 100.0, 99.5, 0.01, "feasible"),
        (S.Interrupted, True, 100.0, 90.0, 0.0, "feasible"),
        (S.Infeasible, False, None, None, 0.0, "infeasible"),
        (S.TimeLimit, False, None, None, 0.0, "error"),
        (S.Optimal, True, 100.0, None, 0.0, "optimal"),  # CBC reports no bound
        (S.Optimal, True, 100.0, None, 0.05, "feasible"),  # no bound and a gap limit: not proven
    ],
)
def test_classify(
    solver_status: pulp.LpSolveStatus,
    has_solution: bool,
    objective: float | None,
    bound: float | None,
    gap_option: float,
    expected: str,
) -> None:
    status, gap, _reason = classify(solver_status, has_solution, objective, bound, replace(OPTIONS, gap=gap_option))
    assert status == expected
    if status == "feasible" and bound is not None and objective is not None:
        assert gap == pytest.approx(abs(objective - bound) / abs(objective))


def test_describe_says_how_far_and_why() -> None:
    report = SolverReport(Status.FEASIBLE, "highs", "1.16.0", 100.0, 99.2, 0.008, 60.0, OPTIONS, "TimeLimit")
    assert report.describe() == "feasible, within 0.80 % of the best possible, stopped at the 60 s limit"
    nothing = SolverReport(
        Status.ERROR, "highs", "1.16.0", None, None, None, 0.1, OPTIONS, "nothing found within the 0.1 s time limit"
    )
    assert nothing.describe() == "no solution: nothing found within the 0.1 s time limit"


def test_a_time_limited_run_is_never_called_optimal() -> None:
    scenario = load_scenario("drechtsteden")
    result = optimize(scenario, replace(scenario.solver, time_limit=0.001))
    assert result.report.status in ("feasible", "error")
    if result.report.status == "error":
        assert result.chosen is None
        assert "time limit" in result.report.reason
    else:
        assert result.report.gap is not None


def test_a_gap_limit_run_reports_its_gap() -> None:
    scenario = load_scenario("kempen")
    result = optimize(scenario, replace(scenario.solver, gap=0.5))
    assert result.report.status in ("optimal", "feasible")
    assert result.report.gap is not None and result.report.gap <= 0.5
    if result.report.status == "optimal":
        assert result.report.gap <= 1e-6


def test_a_stopped_run_reports_the_true_value_of_its_configuration() -> None:
    """An incumbent may carry slack in its epigraph variables; seta reports the evaluator's value."""
    scenario = load_scenario("kempen")
    result = optimize(scenario, replace(scenario.solver, gap=0.5))
    assert result.chosen is not None and result.report.objective is not None
    assert result.report.objective == pytest.approx(result.chosen.objective, rel=1e-7)
    if result.report.status == "feasible":
        assert result.report.describe().startswith("feasible, within ")
        assert "stopped at the requested gap of 50 %" in result.report.describe()


def test_cbc_proves_the_optimum_of_a_model_with_an_objective_constant() -> None:
    """The radius formulation has a constant term; CBC's logged bound leaves it out (PuLP reads the
    log), so seta adds it back before judging the gap."""
    from benchmarks.orlib import HERE, read_warehouse, warehouse_scenario

    fixed, cost = read_warehouse(HERE / "cap71.txt")
    options = SolverOptions(name="cbc", time_limit=60.0)
    result = optimize(warehouse_scenario("cap71", fixed, cost, options), options)
    assert result.model_size.formulation == "radius"
    assert result.report.status == "optimal"
    assert result.report.bound == pytest.approx(932615.75, abs=0.01)
