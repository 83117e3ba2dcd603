"""The valuations issue: the quality curve and the diagnosis, the risk that a cooperation fails with
the seed's conditions, the cash-alone headline, and their bad input (docs/model.md, "Quality",
"The risk that a cooperation fails", "Valuations a council can read")."""

from __future__ import annotations

import itertools
import json
import math
from dataclasses import replace
from pathlib import Path

import pytest
from clirun import invoke

from cli.main import json_document
from inputs import defaults, load_scenario
from inputs.types import Conditions
from optimizer import optimize
from optimizer.curves import QUALITY_TOLERANCE, quality_curve
from optimizer.evaluate import evaluate
from optimizer.explain import explain
from optimizer.instance import IN_HOUSE, Instance, Placement
from visuals.tables import headline
from visuals.why import cash_headline

# -- quality -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("floor", [0.0, 0.6, 0.9])
def test_the_quality_curve_has_a_floor_diminishing_returns_and_a_bounded_gain(floor: float) -> None:
    mass = 6.0
    curve = quality_curve(floor, mass)
    grid = [mass * k / 200 for k in range(0, 1200)]
    values = [curve.value(w) for w in grid]
    assert values[0] == pytest.approx(floor)
    assert all(floor - 1e-12 <= v <= 1 + 1e-12 for v in values)
    steps = [b - a for a, b in itertools.pairwise(values)]
    assert all(s >= -1e-12 for s in steps)  # more work never lowers quality
    assert all(later <= earlier + 1e-12 for earlier, later in itertools.pairwise(steps))  # concave
    for w, v in zip(grid, values, strict=True):
        assert abs(v - (floor + (1 - floor) * (1 - math.exp(-3 * w / mass)))) <= QUALITY_TOLERANCE + 1e-12
    # size has added 95 % of what it can at the critical mass
    assert curve.value(mass) == pytest.approx(floor + (1 - floor) * 0.95, abs=QUALITY_TOLERANCE)


def test_a_diagnosis_sets_quality_and_a_strong_host_lifts_its_centre() -> None:
    helden = load_scenario("helden")
    instance = Instance(helden)
    codes = {m.name: m.code for m in helden.municipalities}
    strong = float(defaults.DIAGNOSIS_LEVELS["strong"].value)  # type: ignore[arg-type]
    weak = float(defaults.DIAGNOSIS_LEVELS["weak"].value)  # type: ignore[arg-type]
    assert instance.baseline_quality[codes["Helden"], "hr"] == strong
    assert instance.baseline_quality[codes["Meijel"], "hr"] == weak
    assert instance.diagnosed(codes["Kessel"], "taxes")
    # a centre municipality at Helden for HR: the pool is Helden's department grown by the others'
    configuration = instance.status_quo()
    for code in codes.values():
        configuration[code, "hr"] = Placement(codes["Helden"], "centre")
    evaluation = evaluate(instance, configuration)
    centre = instance.structures["centre"]
    work = sum(instance.workload[c, "hr"] for c in codes.values())
    lift = strong - instance.size_quality("hr", instance.workload[codes["Helden"], "hr"])
    pool = min(1.0, instance.size_quality("hr", work) + lift)
    share = centre.quality_share
    got = evaluation.services[codes["Meijel"], "hr"].quality
    assert got == pytest.approx((1 - share) * weak + share * pool)
    # the same pool at a host whose quality is only estimated from its size gets no lift
    undiagnosed = Instance(replace(helden, municipalities=tuple(replace(m, quality={}) for m in helden.municipalities)))
    plain = evaluate(undiagnosed, configuration).services[codes["Meijel"], "hr"]
    meijel_size = undiagnosed.baseline_quality[codes["Meijel"], "hr"]
    assert plain.quality == pytest.approx((1 - share) * meijel_size + share * undiagnosed.size_quality("hr", work))


def test_the_output_says_when_quality_is_estimated_from_size() -> None:
    kempen = invoke("solve", "kempen", "--format", "json")
    assert kempen.exit_code == 0, kempen.output
    summary = json.loads(kempen.stdout)["summary"]
    assert summary["diagnosed_services"] == 0 and summary["services"] == 25
    text = invoke("solve", "kempen")
    assert "Quality is estimated from size: the scenario gives no diagnosis." in text.stdout
    result = optimize(load_scenario("kempen"), explain_rejection=False)
    dutch = headline(result.summary(), "nl")
    assert "De kwaliteit is geschat uit de omvang: het scenario geeft geen diagnose." in dutch
    helden = invoke("solve", "helden")
    assert "estimated from size" not in helden.stdout


# -- risk ---------------------------------------------------------------------------------------------


def _integral(rate: float, horizon: float, steps: int = 20_000) -> float:
    """The share of the horizon a part runs, by the midpoint rule: (1/H) int_0^H (1 - rate)^t dt."""
    h = horizon / steps
    return sum((1 - rate) ** ((k + 0.5) * h) for k in range(steps)) * h / horizon


@pytest.mark.parametrize("rate", [0.0, 0.03, 0.2, 0.54, 1.0])
def test_the_running_share_and_the_failure_chance_follow_the_yearly_rate(rate: float) -> None:
    scenario = load_scenario("kempen", ["structures.centre.failure_rate=" + str(rate), "conditions={}"])
    instance = Instance(scenario)
    centre, code = instance.structures["centre"], instance.codes[0]
    horizon = scenario.economics.horizon_years
    assert instance.failure_rate(code, centre) == rate
    expected_share = 0.0 if rate == 1 else _integral(rate, horizon)
    assert instance.running_share(code, centre) == pytest.approx(expected_share, abs=1e-6)
    assert instance.failure_chance(code, centre) == pytest.approx(1 - (1 - rate) ** horizon)


def test_stated_conditions_move_the_rate_by_their_factors_and_unknown_ones_do_not() -> None:
    base = load_scenario("kempen", ["conditions={}"])
    structure = Instance(base).structures["one_civil_service"]
    code = base.municipalities[0].code
    rate = structure.failure_rate
    stated = replace(base, conditions=Conditions(region={"quick_wins": False, "formalised": True}))
    factors = defaults.CONDITIONS["quick_wins"].unmet * defaults.CONDITIONS["formalised"].met
    assert Instance(stated).failure_rate(code, structure) == pytest.approx(rate * factors)
    assert Instance(base).failure_rate(code, structure) == rate  # nothing stated: unknown, factor 1
    # a member's own statement replaces the region's for its part only
    own = replace(stated, conditions=Conditions(region={"quick_wins": False}, members={code: {"quick_wins": True}}))
    other = base.municipalities[1].code
    assert Instance(own).failure_rate(code, structure) == pytest.approx(rate * defaults.CONDITIONS["quick_wins"].met)
    assert Instance(own).failure_rate(other, structure) == pytest.approx(rate * defaults.CONDITIONS["quick_wins"].unmet)
    # never above 1
    every = {key: False for key in defaults.CONDITIONS}
    assert Instance(replace(base, conditions=Conditions(region=every))).failure_rate(code, structure) == 1.0


def test_a_pool_that_surely_fails_is_never_chosen() -> None:
    kempen = load_scenario("kempen")
    doomed = replace(
        kempen,
        structures=tuple(replace(s, failure_rate=1.0) for s in kempen.structures),
        conditions=Conditions(),  # Kempen's conditions, all met, would lower the rate below 1
    )
    result = optimize(doomed, explain_rejection=False)
    assert result.chosen is not None
    assert all(s.placement.structure == IN_HOUSE for s in result.chosen.services.values())


def test_expected_and_if_it_works_differ_by_the_risk_and_agree_without_it() -> None:
    kempen = load_scenario("kempen")
    result = optimize(kempen, explain_rejection=False)
    assert result.chosen is not None and result.configuration is not None
    chosen = result.chosen
    assert chosen.risk["cost"] > 0  # undoing costs, and the gains stop
    assert chosen.objective > chosen.objective_if_works
    sure = replace(kempen, structures=tuple(replace(s, failure_rate=0.0, exit_per_fte=0.0) for s in kempen.structures))
    again = evaluate(Instance(sure), result.configuration)
    assert again.objective == pytest.approx(chosen.objective_if_works, rel=1e-12)
    assert again.criteria == pytest.approx(chosen.if_works, rel=1e-12)
    assert all(v == 0 for v in again.risk.values())
    # each service's cash risk adds up to the region's
    assert sum(s.risk_eur for s in chosen.services.values()) == pytest.approx(chosen.risk["cost"], rel=1e-9)


def test_seta_robust_varies_the_weights_and_the_risk_by_default() -> None:
    uncertainty = load_scenario("kempen").uncertainty
    paths = {f.path: f.group for f in uncertainty.figures}
    for weight in ("quality", "vulnerability", "manageability", "autonomy"):
        assert paths[f"weights.{weight}"] == "valuations"
    assert paths["structures.one_civil_service.failure_rate"] == "failure"
    assert paths["structures.centre.exit_per_fte"] == "transition"
    assert paths["domains.hr.quality_floor"] == "critical_mass"
    assert "weights.cost" not in paths


# -- the cash-alone headline --------------------------------------------------------------------------


def test_the_headline_says_what_cash_alone_would_choose() -> None:
    result = optimize(load_scenario("kempen"))
    assert result.chosen is not None and result.configuration is not None
    explanation = explain(result.instance, result.chosen, result.configuration, result.baseline, result.report.options)
    alone = explanation.cash_alone
    assert alone is not None and not alone.same
    # what cash alone picks is the scenario solved with every weight but cost at 0
    cash_only = replace(result.instance.scenario.weights, quality=0, vulnerability=0, manageability=0, autonomy=0)
    best_cash = optimize(replace(result.instance.scenario, weights=cash_only), explain_rejection=False)
    assert best_cash.chosen is not None
    assert alone.cash_change_eur == pytest.approx(best_cash.chosen.criteria["cost"] - result.baseline.criteria["cost"])
    assert alone.extra_cash_eur == pytest.approx(result.chosen.criteria["cost"] - best_cash.chosen.criteria["cost"])
    assert alone.extra_cash_eur > 0
    document = json_document(result, explanation)
    text = document["explanation"]["cash_headline"]
    assert document["explanation"]["cash_alone"]["same"] is False
    assert text.startswith("In cash alone the best is centre municipality at Bladel")
    assert "with the valuations it is" in text and "a year more in cash for" in text
    assert cash_headline(result, explanation, "nl").startswith("Op geld alleen is het beste: centrumgemeente")


# -- bad input ----------------------------------------------------------------------------------------

REGION = "name: t\nmunicipalities:\n  dataset: nl-2007\n  members: [Eersel, Bladel]\ndomains: [hr, taxes]\n"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("conditions: {quick_win: false}", "conditions.quick_win: unknown key; did you mean 'quick_wins'?"),
        (
            "conditions: {quick_wins: maybe}",
            "conditions.quick_wins: expected true (met), false (not met) or unknown, got the text 'maybe'",
        ),
        (
            "conditions: {members: {Atlantis: {trust: true}}}",
            "conditions.members.Atlantis: unknown municipality 'Atlantis' (not in the region)",
        ),
        ("diagnosis: {Atlantis: weak}", "diagnosis.Atlantis: unknown municipality 'Atlantis' (not in the region)"),
        (
            "diagnosis: {Eersel: {social_support: weak}}",
            "diagnosis.Eersel.social_support: domain 'social_support' is not in play; expected one of: hr, taxes",
        ),
        (
            "diagnosis: {Eersel: poor}",
            "diagnosis.Eersel: unknown diagnosis 'poor'; expected weak, adequate, strong, or a quality figure "
            "from 0 to 1",
        ),
        ("diagnosis: {Eersel: 1.5}", "diagnosis.Eersel: 1.5 is out of range (expected a number from 0 to 1)"),
        (
            "structures: {centre: {failure_rate: 1.5}}",
            "structures.centre.failure_rate: 1.5 is out of range (expected a number from 0 to 1)",
        ),
        (
            "structures: {centre: {exit_per_fte: -1}}",
            "structures.centre.exit_per_fte: -1 is out of range (expected a number from 0 to 10,000,000",
        ),
        ("conditions: [formalised]", "conditions: expected a mapping, got a list"),
    ],
)
def test_bad_conditions_and_diagnoses_are_placed(tmp_path: Path, extra: str, message: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(REGION + extra + "\n", encoding="utf-8")
    run = invoke("solve", str(path))
    assert run.exit_code == 2, run.output
    assert f"bad.yaml, {message}" in run.stderr
    assert "Traceback" not in run.output


def test_seta_init_writes_the_conditions_as_commented_keys(tmp_path: Path) -> None:
    assert invoke("init", str(tmp_path / "study"), "--from", "beek").exit_code == 0
    text = (tmp_path / "study" / "scenario.yaml").read_text(encoding="utf-8")
    assert "  formalised: false  # formalised" in text
    assert "  # trust: true  # trust and prior ties that survive turnover" in text
    again = load_scenario(str(tmp_path / "study" / "scenario.yaml"))
    assert dict(again.conditions.region) == dict(load_scenario("beek").conditions.region)
