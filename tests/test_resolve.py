"""Re-solves in HiGHS (optimizer/resolve.py) against models built afresh: the same answers for every
decisive figure at both ends of its range, without a structure, and on cash alone; every re-solve
keeps its own work limit; a scenario with other rows is refused."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from inputs import load_scenario
from inputs.types import CRITERIA, Scenario
from optimizer.control import Control
from optimizer.evaluate import evaluate
from optimizer.explain import decisive_figures, with_figure
from optimizer.formulation import build_model
from optimizer.formulation.model import Forbid
from optimizer.instance import Instance
from optimizer.resolve import Resolver
from optimizer.solve import Status
from optimizer.task import solve_task


def _fresh(scenario: Scenario, forbid: tuple[Forbid, ...] = ()) -> tuple[Status, float | None]:
    """A model built for the scenario, solved."""
    solved = solve_task(scenario, scenario.solver, forbid=forbid)
    return solved.status, solved.objective


def _variants(base: Scenario) -> list[tuple[str, Scenario, tuple[Forbid, ...]]]:
    instance = Instance(base)
    variants: list[tuple[str, Scenario, tuple[Forbid, ...]]] = [("base", base, ())]
    for figure in decisive_figures(instance):
        for value in (figure.low, figure.high):
            variants.append((f"{figure.key}={value:g}", with_figure(base, figure, value), ()))
    cash = replace(base.weights, **{c: 0.0 for c in CRITERIA if c != "cost"})
    variants.append(("cash alone", replace(base, weights=cash), ()))
    for structure in ("one_civil_service", "ssc", "centre"):
        variants.append((f"without {structure}", base, (Forbid(structure, frozenset(instance.domains)),)))
    return variants


def test_every_re_solve_gives_the_fresh_models_answer() -> None:
    base = load_scenario("kempen")
    resolver = Resolver(base, base.solver)
    checked = 0
    for label, scenario, forbid in _variants(base):
        assert resolver.fits(Instance(scenario)), label
        report, configuration = resolver.solve(Instance(scenario), forbid, Control())
        status, objective = _fresh(scenario, forbid)
        assert report.status is status, label
        assert configuration is not None and objective is not None, label
        mine = evaluate(Instance(scenario), configuration).objective
        assert math.isclose(mine, objective, rel_tol=1e-7, abs_tol=1e-3), (label, mine, objective)
        assert report.objective is not None and math.isclose(report.objective, mine, rel_tol=1e-7), label
        checked += 1
    assert checked >= 40


def test_each_re_solve_keeps_its_own_work_limit() -> None:
    """The callback of every re-solve is live: a limit of one check-in stops the first and the third
    solve alike (a stale or inactive callback would let them run to the proof)."""
    base = load_scenario("kempen")
    hard = with_figure(base, next(f for f in decisive_figures(Instance(base)) if f.key == "weights.autonomy"), 3.8)
    resolver = Resolver(base, base.solver)
    reasons = []
    for work_limit in (1, None, 1):
        report, _ = resolver.solve(Instance(hard), (), Control(work_limit=work_limit))
        reasons.append((report.status, report.reason))
    assert reasons[0] == reasons[2], reasons
    assert reasons[0][0] is not Status.OPTIMAL and "IterationLimit" in reasons[0][1], reasons
    assert reasons[1][0] is Status.OPTIMAL


@pytest.mark.parametrize(
    "change",
    [["limits.max_travel_km=5"], ["structures.centre.max_members=2"], ["politics.excluded_pairs=[[Eersel, Bladel]]"]],
)
def test_a_scenario_with_other_rows_is_refused(change: list[str]) -> None:
    base = load_scenario("kempen")
    other = load_scenario("kempen", change)
    assert not Resolver(base, base.solver).fits(Instance(other))
    assert build_model(Instance(other)).formulation == "pools"  # and resolve builds it afresh


@pytest.mark.parametrize("name", ["kempen", "drechtsteden"])
def test_recomputing_only_what_a_figure_reads_gives_every_coefficient_to_the_last_bit(name: str) -> None:
    """A figure moves only the parts of the objective that read it (`Resolver._refigured`): for every
    decisive figure at both ends of its range, and for all of them moved at once, the coefficients
    are those of a computation of the whole objective."""
    base = load_scenario(name)
    resolver = Resolver(base, base.solver)
    assert resolver._parts is not None  # the parts make up the whole objective, or none is trusted
    figures = decisive_figures(Instance(base))
    everything = base
    for figure in figures:
        everything = with_figure(everything, figure, (figure.used + figure.high) / 2)
    scenarios = [with_figure(base, figure, value) for figure in figures for value in (figure.low, figure.high)]
    for scenario in [*scenarios, everything]:
        instance = Instance(scenario)
        whole, refigured = resolver._criteria(instance), resolver._refigured(instance)
        for criterion in CRITERIA:
            assert np.array_equal(whole[criterion], refigured[criterion]), criterion
