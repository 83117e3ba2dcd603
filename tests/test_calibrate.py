"""seta calibrate: the inverse problem against brute force, its ranges, leave-one-out, and bad input."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from clirun import invoke

from bruteforce import best
from inputs import load_scenario
from inputs.configuration import read_observed
from inputs.labels import speaking
from inputs.problems import InputError
from inputs.uncertainty import with_values
from optimizer.calibrate import calibrate, cases_of, pooled
from optimizer.evaluate import evaluate
from optimizer.instance import Instance

PAIR = """\
name: Eersel and Bladel
municipalities: {dataset: nl-2007, members: [Eersel, Bladel]}
domains: [taxes]
structures: [centre]
uncertainty:
  weights:
    autonomy: {low: 0, high: 50}
"""
ALONE = "municipalities: [Eersel, Bladel]\ndomains: [taxes]\npools: []\n"
TOGETHER = (
    "municipalities: [Eersel, Bladel]\ndomains: [taxes]\npools:\n"
    "  - {domains: [taxes], structure: centre, members: all}\n"
)


def files(folder: Path, observed: str) -> tuple[Path, Path]:
    scenario, given = folder / "pair.yaml", folder / "observed.yaml"
    scenario.write_text(PAIR, encoding="utf-8")
    given.write_text(observed, encoding="utf-8")
    return scenario, given


def in_house_is_best(scenario_path: Path, weight: float) -> bool:
    """By brute force: at this autonomy weight nobody pooling is (one of) the best configurations."""
    scenario = with_values(load_scenario(str(scenario_path)), {"weights.autonomy": weight})
    instance = Instance(scenario)
    winner, _feasible = best(instance)
    assert winner is not None
    status_quo = evaluate(instance, instance.status_quo()).objective
    return status_quo <= winner.objective + 1e-12 * abs(status_quo)


def threshold(scenario_path: Path) -> float:
    """The least autonomy weight at which keeping taxes in house is optimal, by bisection on brute force."""
    low, high = 0.0, 50.0
    assert not in_house_is_best(scenario_path, low) and in_house_is_best(scenario_path, high)
    for _ in range(50):
        middle = (low + high) / 2
        low, high = (low, middle) if in_house_is_best(scenario_path, middle) else (middle, high)
    return high


def test_the_fit_makes_an_observed_refusal_optimal_with_the_least_change(tmp_path: Path) -> None:
    """Two municipalities that keep their taxes in house: the fitted autonomy weight is the least at which
    that is optimal (the fit moves the scenario's value no further than it must), and every weight from
    there to the top of the range keeps it optimal: the range at 0 %."""
    scenario_path, given = files(tmp_path, ALONE)
    scenario = load_scenario(str(scenario_path))
    result = calibrate(scenario, read_observed(given, scenario), ["weights.autonomy"], scenario.solver, within=0.0)
    expected = threshold(scenario_path)
    assert result.fit.values["weights.autonomy"] == pytest.approx(expected, rel=1e-6)
    assert result.fit.cases[0].gap == pytest.approx(0.0, abs=1e-8)
    low, high = result.fit.ranges["weights.autonomy"]
    assert low == pytest.approx(expected, rel=1e-6) and high == pytest.approx(50.0)
    assert result.folds == []  # one case: nothing to leave out


def test_a_pool_already_optimal_keeps_the_scenarios_value_and_its_range_ends_where_it_stops_being(
    tmp_path: Path,
) -> None:
    scenario_path, given = files(tmp_path, TOGETHER)
    scenario = load_scenario(str(scenario_path))
    result = calibrate(scenario, read_observed(given, scenario), ["weights.autonomy"], scenario.solver, within=0.0)
    assert result.fit.values["weights.autonomy"] == pytest.approx(1.0)
    assert result.fit.cases[0].gap == pytest.approx(0.0, abs=1e-8)
    assert result.fit.cases[0].distance.recall == 1.0
    low, high = result.fit.ranges["weights.autonomy"]
    assert low == pytest.approx(0.0, abs=1e-9)
    assert high == pytest.approx(threshold(scenario_path), rel=1e-6)


def test_leaving_one_cooperation_out_measures_each_on_a_fit_without_it() -> None:
    """Zeeland and Overijssel hold two training offices (SaBeWa, GBTwente): each fold is the fit on the
    other office alone, measured on the one left out."""
    from optimizer.calibrate import _solve_cases, fit

    zeeland_overijssel = "municipalities.members={province: [Zeeland, Overijssel]}"
    scenario = load_scenario("nl-2024", ["domains=[taxes]", "structures=[centre, joint_body]", zeeland_overijssel])
    observed = read_observed("tax-cooperations", scenario, partners_needed=False)
    options = replace(scenario.solver, decompose="none", gap=0.0)
    figure = "structures.joint_body.governance_per_unit"
    result = calibrate(scenario, observed, [figure], options)
    cases = cases_of(scenario, observed)
    assert sorted(c.name for c in cases) == [
        "Belastingsamenwerking SaBeWa Zeeland",
        "Gemeentelijk Belastingkantoor Twente",
    ]
    assert [f.held_out for f in result.folds] == [c.name for c in cases]
    for fold, held, other in zip(result.folds, cases, reversed(cases), strict=True):
        alone = fit([other], result.figures, options)
        assert fold.values[figure] == pytest.approx(alone.values[figure])
        [(found, _proven)] = _solve_cases([held], alone.values, options, None)
        assert found is not None
        assert fold.distance.recall == pytest.approx(agreement_of(found, held))
    low, high = result.fit.ranges[figure]
    assert low <= result.fit.values[figure] <= high
    # together, the held-out offices are 16 municipalities in two offices: pairs are counted over both
    together = pooled(result.folds)
    assert together is not None and together.services == 16
    assert together.real_pairs == 2 * 28
    assert together.shared_pairs == sum(f.distance.shared_pairs for f in result.folds)


def agreement_of(found: dict, case: object) -> float | None:
    from optimizer.agreement import agreement

    return agreement(found, case.observed, list(case.services)).recall  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("fit", "message"),
    [
        ("limits.max_travel_km", "--fit limits.max_travel_km: not a valuation or joint-body figure seta can fit"),
        ("structures.ssc.governance_per_body", "--fit structures.ssc.governance_per_body: 'ssc' is not in play"),
        ("weights.quality", "--fit weights.quality: no plausible range to fit in"),
    ],
)
def test_a_figure_that_cannot_be_fitted_is_bad_input(tmp_path: Path, fit: str, message: str) -> None:
    scenario_path, given = files(tmp_path, ALONE)
    (tmp_path / "pair.yaml").write_text(PAIR + "  defaults: false\n", encoding="utf-8")
    scenario = load_scenario(str(scenario_path))
    with pytest.raises(InputError) as raised:
        calibrate(scenario, read_observed(given, scenario), [fit], scenario.solver)
    assert message in str(raised.value)


def test_two_figures_that_multiply_are_one_lever(tmp_path: Path) -> None:
    scenario_path, given = files(tmp_path, ALONE)
    (tmp_path / "pair.yaml").write_text(
        PAIR + "  economics:\n    autonomy_eur: {low: 10000, high: 30000}\n", encoding="utf-8"
    )
    scenario = load_scenario(str(scenario_path))
    with pytest.raises(InputError) as raised:
        calibrate(
            scenario, read_observed(given, scenario), ["weights.autonomy", "economics.autonomy_eur"], scenario.solver
        )
    assert "--fit weights.autonomy and --fit economics.autonomy_eur: the objective holds their product" in str(
        raised.value
    )
    with speaking("nl"), pytest.raises(InputError) as raised:
        calibrate(
            scenario, read_observed(given, scenario), ["weights.autonomy", "economics.autonomy_eur"], scenario.solver
        )
    assert (
        "--fit weights.autonomy en --fit economics.autonomy_eur: de doelfunctie bevat hun product: fit er één "
        "(ze zijn één hefboom)"
    ) in str(raised.value)


def test_a_range_that_leaves_nothing_to_fit_is_bad_input(tmp_path: Path) -> None:
    scenario_path, given = files(tmp_path, ALONE)
    (tmp_path / "pair.yaml").write_text(PAIR.replace("{low: 0, high: 50}", "{low: 1, high: 1}"), encoding="utf-8")
    scenario = load_scenario(str(scenario_path))
    with pytest.raises(InputError) as raised:
        calibrate(scenario, read_observed(given, scenario), ["weights.autonomy"], scenario.solver)
    assert "--fit weights.autonomy: its range 1-1 leaves nothing to fit" in str(raised.value)
    with speaking("nl"), pytest.raises(InputError) as raised:
        calibrate(scenario, read_observed(given, scenario), ["weights.autonomy"], scenario.solver)
    assert str(raised.value) == (
        "1 probleem in de invoer:\n  - --fit weights.autonomy: het bereik 1-1 laat niets te fitten over"
    )


def test_the_command_writes_its_tables_and_says_what_it_fitted(tmp_path: Path) -> None:
    scenario_path, given = files(tmp_path, ALONE)
    out = tmp_path / "out"
    result = invoke(
        "calibrate", scenario_path, "--given", given, "--fit", "weights.autonomy", "--format", "json", "--out", out
    )
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert [f["figure"] for f in document["figures"]] == ["weights.autonomy"]
    assert document["cases"][0]["gap_share_of_cash"] == pytest.approx(0.0, abs=1e-8)
    assert sorted(p.name for p in out.iterdir()) == [
        "calibration.json",
        "cases.csv",
        "figures.csv",
        "leave_one_out.csv",
        "seta.xlsx",
    ]
    assert "Fitting weights.autonomy (linear) on 1 observed pools" in result.stderr
    table = invoke("calibrate", scenario_path, "--given", given, "--fit", "weights.autonomy", "--lang", "nl")
    assert table.exit_code == 0 and "Gefitte kengetallen" in table.stdout


def test_an_unknown_figure_on_the_command_line_is_exit_2(tmp_path: Path) -> None:
    scenario_path, given = files(tmp_path, ALONE)
    result = invoke("calibrate", scenario_path, "--given", given, "--fit", "weights.autonomie")
    assert result.exit_code == 2
    assert "--fit weights.autonomie: not a valuation or joint-body figure seta can fit" in result.stderr


def test_ctrl_c_keeps_the_rounds_done(tmp_path: Path) -> None:
    """A stop after the first round ends the fit there, marked interrupted, with that round's values."""
    import threading

    scenario_path, given = files(tmp_path, ALONE)
    scenario = load_scenario(str(scenario_path))
    stop = threading.Event()

    def progress(line: str) -> None:
        if "round 1" in line:
            stop.set()

    result = calibrate(
        scenario, read_observed(given, scenario), ["weights.autonomy"], scenario.solver, progress=progress, stop=stop
    )
    assert result.interrupted and result.fit.rounds == 1 and result.folds == []
    # the first round's LP knows only the status quo, so it keeps the scenario's value
    assert result.fit.values["weights.autonomy"] == pytest.approx(1.0)
    out = tmp_path / "out"
    from clirun import invoke

    done = invoke("calibrate", scenario_path, "--given", given, "--fit", "weights.autonomy", "--out", out)
    assert done.exit_code == 0 and (out / "figures.csv").exists()


def test_an_aggregate_holds_the_outer_search_where_the_observations_pull_past_it() -> None:
    """Zeeland's municipalities and SaBeWa: the scale of tax work searched on a grid, with the share of
    municipalities pooling taxes kept at most at what the grid's middle point gives. The fit lands
    inside the range, and no admissible grid point fits the office better."""
    from optimizer.calibrate import Aggregate, Figure, _grid, fit

    zeeland = "municipalities.members={province: Zeeland}"
    scenario = load_scenario(
        "nl-2024",
        [
            "domains=[taxes]",
            "structures=[centre, joint_body]",
            zeeland,
            "uncertainty.domains.taxes.scale_inhabitants={low: 20000, high: 220000, distribution: uniform}",
        ],
    )
    observed = read_observed("tax-cooperations", scenario, partners_needed=False)
    options = replace(scenario.solver, decompose="none", gap=0.0)
    cases = cases_of(scenario, observed)
    figure = Figure("domains.taxes.scale_inhabitants", 460_000.0, 20_000.0, 220_000.0, linear=False)
    grid = _grid(figure)
    probe = Aggregate(scenario, "taxes", 0.0, 1.0)
    shares = {p: probe.share({figure.path: p}, None, None) for p in grid}
    gaps = {
        p: fit([replace(c, scenario=with_values(c.scenario, {figure.path: p})) for c in cases], [], options).total_gap
        for p in grid
    }
    # a ceiling between the two largest shares the grid gives: the points that fit the office best
    # (the largest scales, where everyone pools) break it
    top, below = sorted({s for s in shares.values() if s is not None})[-2:][::-1]
    ceiling = (top + below) / 2
    aggregate = Aggregate(scenario, "taxes", 0.0, ceiling)
    result = fit(cases, [figure], options, aggregate=aggregate)
    assert result.aggregate_holds is True and result.aggregate_share is not None
    assert result.aggregate_share <= ceiling
    admissible = [p for p in grid if shares[p] is not None and shares[p] <= ceiling]
    assert result.total_gap <= min(gaps[p] for p in admissible) + 1e-12
    # the best admissible grid point has a neighbour that fits better and breaks the ceiling: the fit
    # moved from it toward that edge, by bisection
    best = min(admissible, key=lambda p: gaps[p])
    edge = min(p for p in grid if p > best)
    assert gaps[edge] < gaps[best] and shares[edge] is not None and shares[edge] > ceiling
    assert best < result.values[figure.path] < edge


@pytest.mark.parametrize("share", ["taxes=80-40", "taxes", "taxes=40-180", "=40-80"])
def test_a_share_that_is_not_a_range_is_bad_input(tmp_path: Path, share: str) -> None:
    scenario_path, given = files(tmp_path, ALONE)
    result = invoke("calibrate", scenario_path, "--given", given, "--fit", "weights.autonomy", "--share", share)
    assert result.exit_code == 2
    assert f"--share {share}: expected DOMAIN=LOW-HIGH in percent, e.g. taxes=40-80 (or none)" in result.stderr


def test_a_share_of_a_domain_not_in_play_is_bad_input(tmp_path: Path) -> None:
    scenario_path, given = files(tmp_path, ALONE)
    result = invoke("calibrate", scenario_path, "--given", given, "--fit", "weights.autonomy", "--share", "hr=40-80")
    assert result.exit_code == 2
    assert "--share hr: 'hr' is not in play in Eersel and Bladel" in result.stderr
