"""A first answer without the matrix (`optimizer.task.matrix_first`): the whole model started from it
gives the whole model's optimum, whether or not that optimum holds a matrix, and where the whole
model finds nothing the first answer stands as feasible, never as optimal."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from inputs import load_scenario
from inputs.types import SolverOptions
from optimizer.formulation import pools
from optimizer.formulation.pools import pool_fit
from optimizer.instance import Instance
from optimizer.solve import Status
from optimizer.task import Solved, _after_matrix_first, matrix_first, solve_task, without_matrix

OPTIONS = SolverOptions(time_limit=120.0, gap=0.0)


@pytest.mark.parametrize(
    ("overrides", "holds_matrix"),
    [
        ([], False),  # one civil service wins
        (["weights.autonomy=5"], True),  # a matrix of units wins
        (["structures=[working_group, centre, matrix]", "weights.autonomy=3"], True),
    ],
)
def test_the_optimum_is_the_textbook_models(overrides: list[str], holds_matrix: bool) -> None:
    scenario = load_scenario("kempen", overrides)
    assert matrix_first(Instance(scenario), OPTIONS, "auto")
    first = solve_task(scenario, OPTIONS)
    textbook = solve_task(scenario, OPTIONS, formulation="textbook")
    assert first.status is Status.OPTIMAL and textbook.status is Status.OPTIMAL
    assert first.objective == pytest.approx(textbook.objective, rel=1e-9)
    assert first.configuration is not None
    structures = {placement.structure for placement in first.configuration.values()}
    assert ("matrix" in structures) is holds_matrix


def test_drechtsteden_is_proven_from_its_answer_without_the_matrix() -> None:
    scenario = load_scenario("drechtsteden")
    closed = solve_task(scenario, OPTIONS, forbid=without_matrix(Instance(scenario)))
    whole = solve_task(scenario, OPTIONS)
    textbook = solve_task(scenario, OPTIONS, formulation="textbook")
    assert whole.status is Status.OPTIMAL
    assert whole.objective == pytest.approx(textbook.objective, rel=1e-9)
    assert closed.objective is not None and whole.objective is not None
    assert whole.objective <= closed.objective + 1e-6


def test_a_large_scenario_in_the_textbook_model_keeps_its_optimum(monkeypatch: pytest.MonkeyPatch) -> None:
    scenario = load_scenario("kempen", ["weights.autonomy=5"])
    # the optimum from the other formulation, every unit's pools listed (proven at gap 0 in half a
    # second; the textbook model proves the same optimum in the test above, in some 14 s)
    listed = solve_task(scenario, OPTIONS, formulation="pools")
    assert listed.status is Status.OPTIMAL and listed.size.formulation == "pools"
    assert listed.configuration is not None
    assert "matrix" in {placement.structure for placement in listed.configuration.values()}
    # every unit with more than 3 candidates besides its host counts as too large to list: auto
    # builds the textbook model, first without the matrix
    monkeypatch.setattr(pools, "MAX_CANDIDATES", 3)
    instance = Instance(scenario)
    assert pool_fit(instance).large and not pool_fit(instance).pays
    assert matrix_first(instance, OPTIONS, "auto")
    first = solve_task(scenario, OPTIONS)
    assert first.status is Status.OPTIMAL
    assert first.size.formulation == "textbook"
    assert first.objective == pytest.approx(listed.objective, rel=1e-9)


@pytest.mark.parametrize(
    ("overrides", "options", "formulation"),
    [
        (["weights.manageability=0"], OPTIONS, "auto"),  # coordination costs nothing
        ([], replace(OPTIONS, name="cbc"), "auto"),  # only HiGHS takes a start
        ([], OPTIONS, "textbook"),  # asked for by name
        (["structures=[working_group, centre, ssc]"], OPTIONS, "auto"),  # no matrix at all
        (["politics.participation.key=use"], OPTIONS, "auto"),  # small, and textbook for its rules
    ],
)
def test_only_where_a_matrix_is_charged_and_pools_or_size_take_it(
    overrides: list[str], options: SolverOptions, formulation: str
) -> None:
    assert not matrix_first(Instance(load_scenario("kempen", overrides)), options, formulation)


def test_not_where_the_matrix_is_closed_already() -> None:
    instance = Instance(load_scenario("kempen"))
    assert matrix_first(instance, OPTIONS, "auto")
    assert not matrix_first(instance, OPTIONS, "auto", without_matrix(instance))


def test_a_whole_model_stopped_at_once_leaves_the_first_answer_feasible_without_a_bound() -> None:
    scenario = load_scenario("kempen")
    instance = Instance(scenario)
    first = solve_task(scenario, OPTIONS, forbid=without_matrix(instance))
    assert first.status is Status.OPTIMAL and first.configuration is not None
    report = replace(first.report, status=Status.ERROR, objective=None, bound=None, gap=None, seconds=0.5)
    stopped = Solved(replace(report, reason="interrupted by the user", interrupted=True))
    answer = _after_matrix_first(first, stopped, OPTIONS, stopped=True)
    assert answer.status is Status.FEASIBLE
    assert answer.configuration == first.configuration
    assert answer.objective == first.objective
    assert answer.bound is None and answer.report.gap is None
    assert answer.report.interrupted
    assert answer.report.seconds == pytest.approx(first.report.seconds + 0.5)
    assert answer.report.options == OPTIONS


def test_the_report_carries_the_time_limit_asked_for() -> None:
    solved = solve_task(load_scenario("drechtsteden"), OPTIONS)
    assert solved.report.options.time_limit == OPTIONS.time_limit


def test_a_time_limit_that_ends_the_whole_model_says_so_with_the_limit_asked_for() -> None:
    """Zeeland (13 x 5): its answer without the matrix comes in about a second, the whole model's
    proof takes several; stopped at 2 s, the line names the 2 s asked for, not what the whole model had
    left after the first answer."""
    scenario = load_scenario(str(Path(__file__).parent.parent / "benchmarks" / "scenarios" / "zeeland.yaml"))
    solved = solve_task(scenario, replace(OPTIONS, time_limit=2.0))
    assert solved.report.options.time_limit == 2.0
    words = solved.report.describe()
    if solved.status is Status.FEASIBLE:
        assert words.endswith("stopped at the 2 s limit"), words
    elif solved.status is not Status.OPTIMAL:  # a machine too slow for the first answer too
        assert words == "no solution: nothing found within the 2 s time limit", words
