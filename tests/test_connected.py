"""Pools in one piece of the map (`limits.connected_pools`): the evaluator names a pool that falls
apart; the textbook model (cuts while solving) and the pool formulation (only connected member sets)
both equal brute force through the evaluator on random tiny instances with random borders; the radius
formulation says it cannot represent the rule; the option keeps a real region's pools together."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from bruteforce import best, count
from inputs import load_scenario
from inputs.problems import InputError
from inputs.types import Scenario, SolverOptions
from optimizer import optimize
from optimizer.evaluate import evaluate
from optimizer.formulation.radius import radius_applies
from optimizer.instance import Configuration, Instance, Placement
from strategies import scenarios

MAX_CONFIGURATIONS = 20_000


def connected(scenario: Scenario, borders: list[tuple[int, int]]) -> Scenario:
    codes = [m.code for m in scenario.municipalities]
    pairs = frozenset(tuple(sorted((codes[a], codes[b]))) for a, b in borders if a < len(codes) and b < len(codes))
    return replace(scenario, adjacency=pairs, limits=replace(scenario.limits, connected_pools=True))


@settings(
    max_examples=60,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow],
)
@given(
    scenarios(),
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 3)).filter(lambda p: p[0] != p[1]), max_size=4),
    st.sampled_from(["textbook", "pools"]),
)
def test_connected_pools_equal_brute_force(base: Scenario, borders: list[tuple[int, int]], formulation: str) -> None:
    scenario = connected(base, borders)
    instance = Instance(scenario)
    assume(count(instance) <= MAX_CONFIGURATIONS)
    winner, _feasible = best(instance)
    options = replace(scenario.solver, formulation=formulation)
    try:
        result = optimize(scenario, options, explain_rejection=False)
    except InputError as error:
        if "does not apply" in str(error):  # the pool formulation cannot hold every scenario
            return
        assert winner is None, "a screen rejected a feasible scenario"
        return
    if winner is None:
        assert result.report.status == "infeasible", result.report
        return
    assert result.report.status == "optimal", result.report
    assert result.chosen is not None and result.chosen.violations == []
    assert math.isclose(result.chosen.objective, winner.objective, rel_tol=1e-7, abs_tol=1e-3)
    for pool in result.chosen.pools():
        assert len(instance.pieces(pool.members)) == 1, pool


def test_a_pool_in_two_pieces_is_named() -> None:
    scenario = load_scenario("kempen")
    codes = {m.name: m.code for m in scenario.municipalities}
    scenario = replace(scenario, limits=replace(scenario.limits, connected_pools=True))
    instance = Instance(scenario)
    members = [codes["Oirschot"], codes["Bergeijk"]]
    assert len(instance.pieces(members)) == 2
    configuration: Configuration = {
        (code, domain): Placement(code, "in_house") for code in instance.codes for domain in instance.domains
    }
    for code in members:
        configuration[code, "taxes"] = Placement(codes["Oirschot"], "centre")
    found = evaluate(instance, configuration).violations
    first, second = sorted(members, key=instance.codes.index)  # the pieces come in the region's order
    assert found == [
        f"taxes centre pool hosted by {codes['Oirschot']}: its members share no borders between "
        f"{first} | {second} (limits.connected_pools)"
    ]


def test_the_radius_formulation_says_it_cannot_keep_pools_together() -> None:
    from pathlib import Path

    from benchmarks.orlib import scenario_for

    scenario = scenario_for(Path(__file__).parent.parent / "benchmarks" / "orlib" / "cap71.txt", SolverOptions())
    assert radius_applies(Instance(scenario)) is None
    together = replace(scenario, limits=replace(scenario.limits, connected_pools=True))
    assert radius_applies(Instance(together)) == "every pool must be one piece of the map (limits.connected_pools)"


@pytest.mark.parametrize(
    ("formulation", "overrides"),
    [
        # the two domains whose centres the free answer splits (finance and ICT, each hosted in three
        # towns in two pieces): the textbook model adds its cuts for both and proves the optimum in a
        # second, where with all six domains it took half a minute for the same cuts
        ("textbook", ["domains=[finance, ict]"]),
        ("pools", []),
    ],
)
def test_the_option_keeps_a_real_regions_pools_in_one_piece(formulation: str, overrides: list[str]) -> None:
    scenario = load_scenario("drechtsteden", overrides)
    free = optimize(scenario, explain_rejection=False)
    assert free.chosen is not None
    instance = Instance(scenario)
    split = [pool for pool in free.chosen.pools() if len(instance.pieces(pool.members)) > 1]
    together = replace(scenario, limits=replace(scenario.limits, connected_pools=True))
    # a generous limit: under a loaded CI the proof must not stop short (the limit only catches a hang)
    solver = replace(together.solver, formulation=formulation, time_limit=900)
    result = optimize(together, solver, explain_rejection=False)
    assert result.report.status == "optimal" and result.chosen is not None
    assert all(len(instance.pieces(pool.members)) == 1 for pool in result.chosen.pools())
    assert split, "the default answer has no pool in two pieces: the test would not bind"
    assert result.chosen.objective > free.chosen.objective  # keeping the pools together costs something
