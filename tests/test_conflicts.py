"""No solution explained: for each rule family that can make a scenario infeasible together with a
forced membership, the explanation names that family and its scenario keys, leaves out the rules
that play no part, and finds the smallest change to a limit that lifts the conflict."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from clirun import invoke

from inputs import load_scenario
from inputs.types import Scenario
from optimizer import optimize
from optimizer.conflicts import explain_infeasible

APART = (
    "politics.excluded_pairs=[[Eersel, Bladel], [Eersel, Oirschot], [Eersel, Reusel-De Mierden], [Eersel, Bergeijk]]"
)
#: a rule that plays no part in any of the conflicts below
UNRELATED = "politics.exclude={Oirschot: [enforcement]}"

CASES = {
    "pairs kept apart": (
        ["politics.force={Eersel: [hr]}", APART],
        {"politics.force.Eersel", "politics.excluded_pairs"},
        None,
    ),
    "travel limit": (
        # only Bladel (7.9 km) is within 10 km of Eersel, and the two never share a pool
        ["politics.force={Eersel: [hr]}", "politics.excluded_pairs=[[Eersel, Bladel]]", "limits.max_travel_km=10"],
        {"politics.force.Eersel", "politics.excluded_pairs", "limits.max_travel_km"},
        ("limits.max_travel_km", 12.9),
    ),
    "arrangements": (
        # 27 existing arrangements, one more allowed, two pools of one domain needed
        ["politics.force={Eersel: [hr, taxes]}", "structures=[centre]", "limits.max_arrangements=28"],
        {"politics.force.Eersel", "limits.max_arrangements"},
        ("limits.max_arrangements", 29),
    ),
    "pools": (
        ["politics.force={Eersel: [hr], Bladel: [taxes]}", "structures=[centre]", "limits.max_pools=1"],
        {"politics.force.Eersel", "politics.force.Bladel", "limits.max_pools"},
        ("limits.max_pools", 2),
    ),
    "members": (
        [
            "politics.force={Eersel: [hr], Bladel: [hr], Oirschot: [hr], Reusel-De Mierden: [hr], Bergeijk: [hr]}",
            "structures={centre: {max_members: 2}}",
        ],
        {"structures.centre.max_members"},
        ("structures.centre.max_members", 3),
    ),
    "matrix units": (
        ["politics.force={Eersel: [hr]}", "structures=[matrix]", "limits.max_matrix_units=1"],
        {"politics.force.Eersel", "limits.max_matrix_units"},
        ("limits.max_matrix_units", 2),
    ),
    "host capacity": (
        ["politics.force={Eersel: [hr]}", "structures=[centre]", "limits.host_capacity_factor=0.001"],
        {"politics.force.Eersel", "limits.host_capacity_factor"},
        ("limits.host_capacity_factor", None),
    ),
}


def solvable(scenario: Scenario) -> bool:
    """Whether the scenario has a solution, by a solve of its own that stops at the first one."""
    return optimize(scenario, replace(scenario.solver, gap=1.0)).report.has_solution


@pytest.mark.parametrize("case", sorted(CASES))
def test_the_explanation_names_the_conflicting_rules(case: str) -> None:
    overrides, keys, change = CASES[case]
    scenario = load_scenario("kempen", [*overrides, UNRELATED])
    result = optimize(scenario)
    assert str(result.report.status) == "infeasible", case
    conflict = explain_infeasible(scenario, scenario.solver)
    assert conflict.proven
    named = {rule.key for rule in conflict.rules}
    assert keys <= named, (case, named)
    assert "politics.exclude.Oirschot" not in named  # plays no part
    # irreducible: without any one of them the scenario has a solution
    for rule in conflict.rules:
        assert solvable(rule.relax(scenario)), (case, rule.key)
    if change is not None:
        key, needed = change
        found = {c.key: c for c in conflict.changes}
        assert key in found, (case, conflict.changes)
        if needed is not None:
            assert found[key].needed == pytest.approx(needed, rel=0.01, abs=0.15)
        # the change lifts the conflict, and it is the smallest (a limit 1 % or 1 tighter does not)
        rule = next(r for r in conflict.rules if r.key == key)
        assert rule.adjust is not None and rule.limit is not None
        assert solvable(rule.adjust(scenario, found[key].needed))
        used, _loose, whole = rule.limit
        if whole:  # one tighter still conflicts
            tighter = found[key].needed - 1 if found[key].needed > used else found[key].needed + 1
            assert not solvable(rule.adjust(scenario, tighter))


def test_the_command_line_says_which_rules_conflict() -> None:
    args = ["kempen", "--set", "politics.force={Eersel: [hr]}", "--set", APART]
    result = invoke("solve", *args, "--explain")
    assert result.exit_code == 1
    assert "These rules cannot all hold" in result.stderr
    assert "Eersel must pool hr (politics.force.Eersel)" in result.stderr
    assert "Eersel and Bladel never share a pool (politics.excluded_pairs)" in result.stderr
    document = json.loads(invoke("solve", *args, "--explain", "--format", "json").stdout)
    assert {r["key"] for r in document["conflict"]["rules"]} == {"politics.force.Eersel", "politics.excluded_pairs"}


def test_the_rules_read_in_dutch() -> None:
    from inputs.labels import speaking
    from optimizer.conflicts import rules

    scenario = load_scenario(
        "kempen",
        [
            "politics.force={Eersel: [hr]}",
            "politics.excluded_pairs=[[Eersel, Bladel]]",
            "politics.forced_pairs=[{members: [Oirschot, Bergeijk], domains: [taxes]}]",
            "limits.max_travel_km=12.5",
            "structures={centre: {max_members: 2}}",
        ],
    )
    with speaking("nl"):
        words = [(rule.key, rule.words) for rule in rules(scenario)]
    assert words == [
        ("politics.force.Eersel", "Eersel moet P&O in een pool brengen"),
        ("politics.excluded_pairs", "Eersel en Bladel delen nooit een pool"),
        ("politics.forced_pairs[0]", "Oirschot en Bergeijk moeten een pool delen voor belastingen"),
        ("limits.max_travel_km", "geen lid ligt verder dan 12,5 km van zijn gastheer"),
        ("limits.host_capacity_factor", "een gastheer neemt hoogstens 2,5 keer zijn eigen personeel op"),
        ("structures.centre.max_members", "een centrumgemeente heeft hoogstens 2 leden"),
    ]
