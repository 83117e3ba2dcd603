"""The explanation of an answer: margins are differences of independent solves, flip points flip
just past them and not just before, cash and valuations add up, and its options are checked."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from clirun import invoke

from inputs import load_scenario
from inputs.types import Scenario
from optimizer import evaluate, optimize
from optimizer.explain import Explanation, explain, with_figure

#: one domain, two structures: forbidding a host or a structure is then also a plain scenario change
TAXES = ["domains=[taxes]", "structures=[centre, working_group]"]
#: two domains: flips of weights and shares that the search proves within its limits
TWO = ["domains=[taxes, hr]", "structures=[centre, working_group]"]


def explained(scenario: Scenario) -> tuple[float, Explanation]:
    result = optimize(scenario)
    assert result.chosen is not None and result.configuration is not None
    explanation = explain(
        result.instance, result.chosen, result.configuration, result.baseline, scenario.solver, solve_work=100_000
    )
    return result.chosen.objective, explanation


def objective(scenario: Scenario) -> float:
    result = optimize(scenario)
    assert result.chosen is not None and str(result.report.status) == "optimal"
    return result.chosen.objective


def test_each_runner_up_margin_is_the_difference_of_two_independent_solves() -> None:
    scenario = load_scenario("kempen", TAXES)
    best, explanation = explained(scenario)
    assert best == pytest.approx(objective(scenario))
    by_kind = {r.forbidden: r for r in explanation.runner_ups}
    assert set(by_kind) == {"host", "structure"}
    host = by_kind["host"].choice.host
    # the host forbidden: here the same as that municipality hosting nothing
    no_host = replace(
        scenario,
        municipalities=tuple(replace(m, may_host=False) if m.code == host else m for m in scenario.municipalities),
    )
    assert by_kind["host"].margin == pytest.approx(objective(no_host) - best, abs=1e-3)
    # the structure forbidden: here the same as the other structure alone
    others = tuple(s for s in scenario.structures if s.key != by_kind["structure"].choice.structure)
    assert by_kind["structure"].margin == pytest.approx(
        objective(replace(scenario, structures=others)) - best, abs=1e-3
    )
    for runner_up in explanation.runner_ups:
        assert runner_up.margin is not None and runner_up.margin >= -1e-6
        assert runner_up.near_tie == (runner_up.margin < explanation.tie_eur)


def test_a_flip_point_flips_just_past_it_and_not_just_before() -> None:
    scenario = load_scenario("kempen", TWO)
    result = optimize(scenario)
    assert result.configuration is not None
    _best, explanation = explained(scenario)
    flips = [f for f in explanation.flips if f.at is not None and f.proven]
    assert len(flips) >= 3, explanation.flips
    for flip in flips:
        assert flip.at is not None
        for factor, flipped in ((0.99, False), (1.01, True)):
            moved = flip.figure.used + factor * (flip.at - flip.figure.used)
            if flip.figure.linear:  # exact crossing: 1 % of the way either side
                value = moved
            else:  # a grid point 1 % apart: the point before, and the point itself
                value = flip.at / (1.01 if flipped is False else 1.0) ** (1 if flip.direction == "up" else -1)
            changed = with_figure(scenario, flip.figure, value)
            chosen_there = evaluate(optimize(changed).instance, result.configuration).objective
            best_there = objective(changed)
            assert (best_there < chosen_there - 1e-6 * abs(chosen_there)) is flipped, (flip.figure.key, value)


def test_cash_and_valuations_add_up_to_the_weighted_change() -> None:
    summary = optimize(load_scenario("kempen")).summary()
    split = summary.cash_and_valuations
    assert split is not None and summary.change is not None
    assert split.cash_change_eur == pytest.approx(summary.change.expected_annual_cost_eur)
    assert split.weighted_change == pytest.approx(summary.change.objective)
    weights = summary.weights
    assert split.weighted_change == pytest.approx(weights.cost * split.cash_change_eur + split.valuations_change)


def test_solve_explains_in_json_and_plain_solve_does_not() -> None:
    args = ["kempen", *[part for item in TAXES for part in ("--set", item)], "--format", "json"]
    explained_run = invoke("solve", *args, "--explain")
    assert explained_run.exit_code == 0, explained_run.output
    document = json.loads(explained_run.stdout)
    kinds = {r["forbidden"] for r in document["explanation"]["runner_ups"]}
    assert kinds == {"host", "structure"}
    assert "alt_host_margin_eur" in document["pools"][0]
    assert document["summary"]["cash_and_valuations"]["cash_change_eur"] == pytest.approx(
        document["summary"]["change"]["expected_annual_cost_eur"]
    )
    plain = invoke("solve", *args, "--no-explain")
    assert plain.exit_code == 0 and "explanation" not in json.loads(plain.stdout)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("200", "Invalid value for '--tie': 200.0 is not in the range 0<=x<=100."),
        ("much", "Invalid value for '--tie': 'much' is not a valid float range."),
    ],
)
def test_bad_tie_is_bad_input(value: str, message: str) -> None:
    result = invoke("solve", "kempen", "--tie", value)
    assert result.exit_code == 2
    assert message in result.output


def test_alternatives_are_within_the_band_and_pairwise_different() -> None:
    from optimizer.alternatives import alternatives, distance

    scenario = load_scenario("kempen", TWO)
    best = optimize(scenario)
    assert best.chosen is not None and best.configuration is not None
    found = alternatives(best, scenario.solver, within=0.02, count=4)
    assert len(found) == 4
    ceiling = best.chosen.objective * 1.02
    configurations = [best.configuration]
    for alternative in found:
        chosen, configuration = alternative.result.chosen, alternative.result.configuration
        assert chosen is not None and configuration is not None and not chosen.violations
        # the evaluator's own figures, not the solver's: within 2 % of the optimum
        again = evaluate(best.instance, configuration)
        assert best.chosen.objective - 1e-6 <= again.objective <= ceiling + 1e-6
        assert alternative.from_optimum == distance(configuration, best.configuration)
        assert alternative.from_nearest == min(distance(configuration, c) for c in configurations) >= 1
        configurations.append(configuration)
    # each as far as possible: the first is as far from the optimum as any configuration in the band
    assert found[0].from_optimum == 2 * len(best.instance.codes)  # both domains move: 10 services


def test_alternatives_on_the_command_line(tmp_path: Path) -> None:
    args = ["kempen", *[part for item in TWO for part in ("--set", item)], "-k", "2"]
    result = invoke("alternatives", *args, "--format", "json", "--out", tmp_path / "alt")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert len(document["alternatives"]) == 2 and document["within_percent"] == 2
    assert (tmp_path / "alt" / "alternatives.csv").exists() and (tmp_path / "alt" / "alternatives.json").exists()
    for option, value, message in (
        ("-k", "0", "Invalid value for '-k': 0 is not in the range 1<=x<=20."),
        ("--within", "0", "Invalid value for '--within': 0.0 is not in the range 0<x<=100."),
    ):
        bad = invoke("alternatives", "kempen", option, value)
        assert bad.exit_code == 2 and message in bad.output
