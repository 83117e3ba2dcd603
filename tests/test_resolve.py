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
from optimizer.task import Escalation, solve_escalating, solve_task


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


#: the Kempen where a matrix pays: its re-solves need more than one try of an explanation's work
MATRIX_PAYS = ["weights.quality=0.5", "weights.autonomy=1.93", "politics.exclude={GM1728: [procurement]}"]


def test_an_escalated_re_solve_in_one_run_settles_as_its_tries_would() -> None:
    """`solve_escalating` runs HiGHS once where the tries would each run it anew, and must end as the
    tries end. Asked for the optimum (no threshold): with the very report of the last try. Asked
    whether anything beats a threshold: with the same yes or no, the same configuration where yes,
    and settled or not alike, for a threshold the first try finds something below, one only the
    second try does, one the first try's bound passes, and one that neither settles."""
    base = load_scenario("kempen", MATRIX_PAYS)
    options = base.solver
    tries = (4, 16)
    first, last = (solve_task(base, options, work=budget, base=base) for budget in tries)
    assert first.objective is not None and last.objective is not None and first.bound is not None
    assert last.bound is not None and last.objective < first.objective  # the second try finds better
    thresholds = {
        "optimum asked (not proven within the tries)": None,
        "found by the first try": first.objective + 1.0,
        "found by the second try": (first.objective + last.objective) / 2,
        "passed by the first try's bound": first.bound - 1.0,
        "settled by neither": (last.bound + last.objective) / 2,
    }
    for label, threshold in thresholds.items():
        escalation = Escalation(tries, threshold)
        one, runs = solve_escalating(base, options, escalation, base=base)
        assert runs == 1, label
        each = first if escalation.settled(first) else last
        settles = threshold is not None and label != "settled by neither"
        assert escalation.settled(one) == escalation.settled(each) == settles, label
        if threshold is None:
            assert one.report.status is each.report.status, label
            assert (one.objective, one.bound, one.configuration) == (each.objective, each.bound, each.configuration)
            continue
        beats = [s.objective is not None and s.objective < threshold for s in (one, each)]
        assert beats[0] == beats[1] == label.startswith("found"), label
        if beats[0]:
            assert one.configuration == each.configuration, label


#: (scenario, overrides, figure changed, value, a matrix closed at this host): where the search must
#: look beyond its first dive (a search down the side its relaxation leans to alone misses the
#: Drechtsteden's optimum at each), or where a matrix pays or is lost
HOST_SEARCH_CASES = [
    ("kempen", MATRIX_PAYS, "weights.autonomy", "low", None),
    ("kempen", MATRIX_PAYS, "structures.matrix.coordination_per_interface", "low", None),
    ("kempen", MATRIX_PAYS, "structures.matrix.coordination_per_interface", "high", None),
    ("kempen", MATRIX_PAYS, None, None, "GM0770"),
    ("drechtsteden", [], "structures.matrix.coordination_per_interface", 250.0, None),
    ("drechtsteden", [], "structures.matrix.failure_rate", 0.004, None),
    ("drechtsteden", [], "structures.centre.failure_rate", 0.3, None),
    ("drechtsteden", [], "structures.matrix.quality_share", 1.0, None),
]


def test_the_host_search_gives_the_fresh_models_answer_where_a_matrix_pays() -> None:
    """Where a matrix's coordination is charged, a re-solve first decides who hosts it
    (optimizer/hosting.py): the same optimum as a model built afresh, proven, at figures that keep a
    matrix and lose it and without it at one host; answers with a matrix and without."""
    resolvers: dict[str, tuple[Scenario, Resolver]] = {}
    matrices = 0
    for name, overrides, key, value, closed in HOST_SEARCH_CASES:
        if name not in resolvers:
            base = load_scenario(name, overrides)
            resolvers[name] = (base, Resolver(base, base.solver))
        base, resolver = resolvers[name]
        assert resolver.hosting is not None
        scenario = base
        if key is not None:
            figure = next(f for f in decisive_figures(Instance(base)) if f.key == key)
            at = figure.low if value == "low" else figure.high if value == "high" else float(value)
            scenario = with_figure(base, figure, at)
        domains = frozenset(Instance(base).domains)
        forbid = () if closed is None else (Forbid("matrix", domains, closed),)
        label = f"{name} {key}={value} without a matrix at {closed}"
        report, configuration = resolver.solve(Instance(scenario), forbid, Control())
        assert report.status is Status.OPTIMAL and report.bound == report.objective, label
        status, objective = _fresh(scenario, forbid)
        assert status is Status.OPTIMAL and configuration is not None and objective is not None, label
        mine = evaluate(Instance(scenario), configuration).objective
        assert math.isclose(mine, objective, rel_tol=1e-7, abs_tol=1e-3), (label, mine, objective)
        matrices += any(placement.structure == "matrix" for placement in configuration.values())
    assert 0 < matrices < len(HOST_SEARCH_CASES)  # answers with a matrix and without one
