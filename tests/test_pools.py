"""The pool formulation (optimizer/pools.py) against the textbook model it replaces where it applies:
the same optimum on random scenarios, a column's cost equal to what the textbook's auxiliary
variables add, a start that picks the column of the configuration, and a fallback that names its
rule. (The brute-force property test runs `auto`, which takes pools where they apply, and the
golden region figures were recorded with the textbook model.)"""

from __future__ import annotations

import math
from dataclasses import replace

from clirun import invoke
from hypothesis import HealthCheck, assume, given, settings

from inputs import load_scenario
from inputs.types import Scenario
from optimizer.guarantee import solve_model
from optimizer.instance import Instance
from optimizer.model import build_model
from optimizer.pools import PoolModel, pools_apply
from strategies import scenarios


def _optimum(scenario: Scenario, formulation: str) -> tuple[str, float | None, str]:
    model = build_model(Instance(scenario), formulation=formulation)
    report = solve_model(model, replace(scenario.solver, time_limit=120))
    return model.formulation, report.objective, report.status.value


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(scenarios())
def test_pools_and_textbook_agree(scenario: Scenario) -> None:
    assume(pools_apply(Instance(scenario)) is None)
    pools = _optimum(scenario, "pools")
    textbook = _optimum(scenario, "textbook")
    assert pools[0] == "pools" and textbook[0] == "textbook"
    assert pools[2] == textbook[2]
    if textbook[1] is not None:
        assert pools[1] is not None
        assert math.isclose(pools[1], textbook[1], rel_tol=1e-7, abs_tol=1e-3), (pools, textbook)


def test_every_column_costs_what_the_textbook_model_adds_for_its_members() -> None:
    """Fix the Kempen's textbook model to each of a unit's member sets: its optimum then equals the
    pool model's for the same set (the column's cost plus the same linear terms)."""
    scenario = load_scenario("helden")
    pools = build_model(Instance(scenario), formulation="pools")
    assert isinstance(pools, PoolModel) and pools.columns
    group = max(pools.columns, key=lambda g: len(g.masks))
    unit = group.units[0]
    checked = 0
    for mask in group.masks:
        values = []
        for formulation in ("pools", "textbook"):
            model = build_model(Instance(scenario), formulation=formulation)
            twin = next(u for u in model.variables.units if u.index == unit.index)
            for code, chosen in zip(group.members, mask, strict=True):
                twin.members[code].lowBound = twin.members[code].upBound = 1 if chosen else 0
            report = solve_model(model, scenario.solver)
            values.append(report.objective)
        assert values[0] is not None and values[1] is not None
        assert math.isclose(values[0], values[1], rel_tol=1e-9, abs_tol=1e-4), (mask, values)
        checked += 1
    assert checked == len(group.masks) >= 3


def test_a_start_picks_the_column_of_its_configuration() -> None:
    scenario = load_scenario("kempen")
    model = build_model(Instance(scenario), formulation="pools")
    report = solve_model(model, scenario.solver)
    assert report.status.value == "optimal"
    configuration = model.configuration()
    chosen = {var.name for group in model.columns for var in group.variables if (var.varValue or 0) > 0.5}
    fresh = build_model(Instance(scenario), formulation="pools")
    assert isinstance(fresh, PoolModel)
    fresh.start_from(configuration)
    started = {var.name for group in fresh.columns for var in group.variables if var.varValue == 1.0}
    assert started == chosen and chosen


def test_auto_takes_pools_on_the_regions_and_textbook_where_they_cannot_be_listed() -> None:
    kempen = build_model(Instance(load_scenario("kempen")))
    assert kempen.formulation == "pools"
    guaranteed = Instance(load_scenario("kempen", ["politics.participation.key=use"]))
    assert pools_apply(guaranteed) == "every member's share of its pool is bounded (politics.participation)"
    assert build_model(guaranteed).formulation == "textbook"


def test_forcing_pools_where_they_do_not_apply_is_bad_input() -> None:
    result = invoke("solve", "kempen", "--formulation", "pools", "--participation", "use")
    assert result.exit_code == 2
    assert (
        "solver.formulation: pools does not apply here: every member's share of its pool is bounded "
        "(politics.participation); use auto or textbook" in result.stderr
    )
