"""The pool formulation (optimizer/formulation/pools.py) against the textbook model it replaces where it applies:
the same optimum on random scenarios, a column's cost equal to what the textbook's auxiliary
variables add, a start that picks the column of the configuration, and a fallback that names its
rule. (The brute-force property test runs `auto`, which takes pools where they apply, and the
golden region figures were recorded with the textbook model.)"""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import pytest
from clirun import invoke
from hypothesis import HealthCheck, assume, event, given, settings

from inputs import load_scenario
from inputs.types import Scenario
from optimizer.control import Control
from optimizer.formulation import build_model
from optimizer.formulation.pools import PoolFit, PoolModel, build_pools, pool_fit
from optimizer.guarantee import solve_model
from optimizer.instance import Instance
from strategies import scenarios


def _optimum(scenario: Scenario, formulation: str) -> tuple[str, float | None, str]:
    instance = Instance(scenario)
    if formulation == "priced":  # no pool listed up front: every one beyond the first few is priced
        model = build_pools(instance, Control(), list_all=0)
        assert isinstance(model, PoolModel)
        formulation = "priced" if model.priced else "priced, all listed"
    else:
        model = build_model(instance, formulation=formulation)
    report = solve_model(model, replace(scenario.solver, time_limit=120), Control())
    assert model.formulation == ("textbook" if formulation == "textbook" else "pools")
    return formulation, report.objective, report.status.value


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_pools_listed_or_priced_and_textbook_agree(scenario: Scenario) -> None:
    assume(pool_fit(Instance(scenario)).not_applicable is None)
    textbook = _optimum(scenario, "textbook")
    for formulation in ("pools", "priced"):
        pools = _optimum(scenario, formulation)
        event(pools[0])
        assert pools[2] == textbook[2], (pools, textbook)
        if textbook[1] is not None:
            assert pools[1] is not None
            assert math.isclose(pools[1], textbook[1], rel_tol=1e-7, abs_tol=1e-3), (pools, textbook)


def test_every_column_costs_what_the_textbook_model_adds_for_its_members() -> None:
    """Fix Helden's textbook model to each of a unit's member sets: its optimum then equals the pool
    model's for the same set (the column's cost plus the same linear terms)."""
    scenario = load_scenario("helden")
    pools = build_model(Instance(scenario), formulation="pools")
    assert isinstance(pools, PoolModel) and pools.catalogues
    catalogue = max(pools.catalogues, key=lambda c: len(c.masks))
    unit = catalogue.units[0]
    for mask in catalogue.masks:
        values = []
        for formulation in ("pools", "textbook"):
            model = build_model(Instance(scenario), formulation=formulation)
            twin = next(u for u in model.variables.units if u.index == unit.index)
            for code, chosen in zip(catalogue.members, mask, strict=True):
                twin.members[code].lowBound = twin.members[code].upBound = 1 if chosen else 0
            report = solve_model(model, scenario.solver, Control())
            values.append(report.objective)
        assert values[0] is not None and values[1] is not None
        assert math.isclose(values[0], values[1], rel_tol=1e-9, abs_tol=1e-4), (mask, values)
    assert len(catalogue.masks) >= 3


def _chosen_pools(model: PoolModel) -> set[str]:
    return {var.name for c in model.catalogues for var in c.columns.values() if (var.varValue or 0) > 0.5}


def test_a_start_lists_and_picks_the_pools_of_its_configuration() -> None:
    """A start from a configuration sets the column of each of its pools, listing it where it was
    not (a priced model starts with the small pools only)."""
    scenario = load_scenario("kempen")
    model = build_model(Instance(scenario), formulation="pools")
    assert isinstance(model, PoolModel)
    report = solve_model(model, scenario.solver, Control())
    assert report.status.value == "optimal"
    chosen = _chosen_pools(model)
    assert chosen
    fresh = build_pools(Instance(scenario), Control(), list_all=0)
    assert isinstance(fresh, PoolModel) and fresh.priced
    fresh.start_from(model.configuration())
    assert _chosen_pools(fresh) == chosen


def test_auto_takes_pools_on_the_regions_and_textbook_where_they_cannot_be_listed() -> None:
    kempen = build_model(Instance(load_scenario("kempen")))
    assert kempen.formulation == "pools"
    guaranteed = Instance(load_scenario("kempen", ["politics.participation.key=use"]))
    assert pool_fit(guaranteed).not_applicable == (
        "every member's share of its pool is bounded (politics.participation)"
    )
    assert build_model(guaranteed).formulation == "textbook"


def test_forcing_pools_where_they_do_not_apply_is_bad_input() -> None:
    result = invoke("solve", "kempen", "--formulation", "pools", "--participation", "use")
    assert result.exit_code == 2
    assert (
        "solver.formulation: pools does not apply here: every member's share of its pool is bounded "
        "(politics.participation); use auto or textbook" in result.stderr
    )


def test_pricing_ends_with_no_negative_reduced_cost_and_completion_lists_every_pool_within_the_gap() -> None:
    """The proof behind a priced model's bound: the relaxation's duals price every pool (the reduced
    costs computed here are HiGHS's own for the pools in the LP), no pool left out has a negative
    one, and after completion every pool whose reduced cost is within the gap is in the problem."""
    import numpy as np

    from optimizer.formulation.pools import _rows, complete, relax

    scenario = load_scenario("kempen")
    model = build_pools(Instance(scenario), Control(), list_all=0)
    assert isinstance(model, PoolModel) and model.priced
    relaxation = relax(model, Control())
    assert relaxation is not None and relaxation.rounds > 1
    highs = model.problem.solverModel
    column_duals = np.asarray(highs.getSolution().col_dual)
    rows = _rows(model.problem)
    index = {var.name: n for n, var in enumerate(model.problem.variables())}

    def reduced(catalogue: object) -> np.ndarray:
        assert isinstance(catalogue, type(model.catalogues[0]))
        own = np.array([rows[row.name] for row in catalogue.member_rows])
        return catalogue.reduced_costs(relaxation.duals[own], 0.0)

    checked = 0
    for catalogue in model.catalogues:
        costs = reduced(catalogue)
        assert (costs[~catalogue.listed] >= -1e-6).all()
        for n, column in catalogue.columns.items():
            if column.name in index and index[column.name] < len(column_duals):
                assert math.isclose(costs[n], column_duals[index[column.name]], abs_tol=1e-5)
                checked += 1
    assert checked > 100
    incumbent = relaxation.bound + 2_000.0
    complete(model, relaxation, incumbent)
    for catalogue in model.catalogues:
        within = reduced(catalogue) <= incumbent - relaxation.bound
        assert catalogue.listed[within].all()
    assert sum(int(c.listed.sum()) for c in model.catalogues) < sum(len(c.masks) for c in model.catalogues)


def test_alternatives_reach_the_same_distances_and_objectives_in_either_formulation(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """`seta alternatives` takes the pool formulation where every pool is listed: each alternative
    is as far from the ones before and as good as the textbook model's (ties may differ in hosts)."""
    import optimizer.alternatives as module
    from optimizer import optimize

    scenario = load_scenario("helden")
    best = optimize(scenario)
    assert pool_fit(best.instance).whole

    def figures() -> list[tuple[int, int, float]]:
        found = module.alternatives(best, scenario.solver, within=0.05, count=3)
        assert found
        return [(a.from_optimum, a.from_nearest, round(a.result.report.objective or 0.0, 3)) for a in found]

    pools = figures()
    monkeypatch.setattr(module, "pool_fit", lambda instance: PoolFit(None, listed=False, pays=False))
    assert figures() == pools


def test_an_lp_file_holds_the_whole_model_even_where_pools_are_priced(tmp_path: Path) -> None:
    """A priced model lists only some pools: --write-lp then writes the textbook model under auto,
    and forcing the pool formulation is bad input that says why."""
    zeeland = str(Path(__file__).parent.parent / "benchmarks" / "scenarios" / "zeeland-no-matrix.yaml")
    assert build_model(Instance(load_scenario(zeeland))).formulation == "pools"
    lp = tmp_path / "zeeland.lp"
    result = invoke("solve", zeeland, "--write-lp", lp, "--time-limit", "1")
    assert result.exit_code in (0, 1), result.output
    text = lp.read_text(encoding="utf-8")
    assert "pool(" not in text and "q(" in text  # the textbook model: a pool's quality variable
    forced = invoke("solve", zeeland, "--write-lp", tmp_path / "forced.lp", "--formulation", "pools")
    assert forced.exit_code == 2
    assert "--write-lp: the pool formulation prices this scenario's pools and lists only some" in forced.stderr
    assert not (tmp_path / "forced.lp").exists()


def test_a_solve_whose_pricing_ran_out_of_time_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    """Pricing has half the time left (`PRICING_SHARE`); where it runs out, the MIP over the pools
    listed so far gives the answer, often proven optimal over that list. The answer is feasible, and
    what stopped it is the time limit: not "stopped at the requested gap", the words of a MIP that
    ended "optimal" (a fresh clone's Zeeland at 2 s said so)."""
    import time as clock

    from optimizer.formulation import pools

    scenario = load_scenario("kempen")
    model = build_pools(Instance(scenario), Control(), list_all=0)
    assert isinstance(model, PoolModel) and model.priced
    # the time for pricing already spent; the solve itself has its 60 s
    monkeypatch.setattr(pools, "_pricing_control", lambda control: replace(control, deadline=clock.monotonic()))
    options = replace(scenario.solver, time_limit=60.0)
    report = solve_model(model, options, Control.within(60.0))
    assert report.status.value == "feasible" and report.bound is None
    assert report.describe() == "feasible, gap unknown, stopped at the 60 s limit"
    assert report.describe("nl") == "toelaatbaar, afstand onbekend, gestopt bij de limiet van 60 s"


def test_an_answer_proven_over_the_pools_listed_only_says_why_it_is_feasible() -> None:
    """Where a unit's pricing MIP found more pools than completion lists, the MIP's "optimal" holds for
    the pools listed; against the relaxation's bound the answer is feasible, and its words say why,
    not "stopped at the requested gap of 0 %". A gap the user asked for keeps its own words."""
    from optimizer.formulation.pools import _unproven
    from optimizer.solve import SolverReport, Status

    options = replace(load_scenario("kempen").solver, gap=0.0)
    listed = SolverReport(Status.OPTIMAL, "highs", "1", 100.0, 100.0, 0.0, 1.0, options, "Optimal")
    report = _unproven(listed, 99.0, 2.0)
    assert report.status is Status.FEASIBLE and report.bound == 99.0
    assert report.describe() == (
        "feasible, within 1.00 % of the best possible, a unit has more pools than can be listed, so the bound is "
        "the relaxation's"
    )
    asked = replace(listed, options=replace(options, gap=0.05))
    assert _unproven(asked, 99.0, 2.0).describe() == (
        "feasible, within 1.00 % of the best possible, stopped at the requested gap of 5 %"
    )
    assert _unproven(listed, 100.0, 2.0).status is Status.OPTIMAL
