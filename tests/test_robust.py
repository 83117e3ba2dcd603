"""`seta robust`: draws of the uncertain figures, each solved to the brute-force optimum; the
recommendation's regret; the named drivers; bad uncertainty input; files, JSON, and Ctrl-C."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from clirun import invoke

from bruteforce import best
from inputs import defaults, load_scenario
from inputs.types import Scenario
from inputs.uncertainty import draw_values, quantiles, values_at
from optimizer.evaluate import evaluate
from optimizer.executor import SerialExecutor
from optimizer.instance import Instance
from optimizer.robust import Study, draw_scenarios, run

THREE = """name: three
municipalities:
  dataset: nl-2007
  members: [Eersel, Bladel, Oirschot]
domains: [taxes, hr]
structures: [centre]
"""

#: pooling pays at a low governance cost per member and not at a high one; the value of control
#: moves too, but too little to matter
DECISIVE = (
    THREE
    + """uncertainty:
  defaults: false
  structures:
    centre:
      governance_per_member: {low: 0, high: 200000, distribution: uniform}
  economics:
    autonomy_eur: {low: 19000, high: 21000}
"""
)


def scenario_from(folder: Path, text: str) -> Scenario:
    path = folder / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return load_scenario(str(path))


def study_of(scenario: Scenario, draws: int, seed: int = 0) -> Study:
    return run(scenario, scenario.solver, draws, seed=seed, executor=SerialExecutor())


def test_every_draw_is_solved_to_the_brute_force_optimum_and_its_regret_is_exact(tmp_path: Path) -> None:
    scenario = scenario_from(tmp_path, THREE)  # every default spread that applies to it
    # every default group but those with nothing to move here: no matrix (coordination), no prior ties
    assert set(defaults.SPREADS) - set(scenario.uncertainty.groups) == {"coordination", "ties"}
    study = study_of(scenario, 6, seed=3)
    _points, drawn = draw_scenarios(scenario, 6, 3, "lhs")
    assert study.nominal.configuration is not None
    for draw, figures in zip(study.draws, drawn, strict=True):
        instance = Instance(figures)
        optimum, _count = best(instance)
        assert optimum is not None
        assert draw.objective == pytest.approx(optimum.objective, rel=1e-9)
        nominal = evaluate(instance, study.nominal.configuration)
        assert draw.nominal_objective == pytest.approx(nominal.objective, rel=1e-12)
        assert draw.nominal_cash == pytest.approx(nominal.criteria["cost"], rel=1e-12)
        assert draw.regret is not None and draw.regret >= -1e-6
        assert draw.nominal_optimal == (draw.regret <= 0.01 + 1e-6 * abs(optimum.objective))


def test_the_decisive_figure_is_named_the_driver(tmp_path: Path) -> None:
    study = study_of(scenario_from(tmp_path, DECISIVE), 12)
    summary = study.summary()
    assert 0 < summary["nominal_optimal"] < 12  # pooling wins in some draws and loses in others
    assert summary["regret_eur"]["worst"] > 100_000
    drivers = study.drivers_table()
    top = drivers.iloc[0]
    assert top["group"] == "structures.centre.governance_per_member"
    assert top["rho_regret"] > 0.7 and top["p_regret"] < 0.01  # the dearer the pool, the more the advice costs
    other = drivers[drivers["group"] == "economics.autonomy_eur"].iloc[0]
    assert abs(other["rho_regret"]) < abs(top["rho_regret"])
    pools = study.pools_table()
    assert (pools["driver"] == "structures.centre.governance_per_member").all()
    assert (pools["driver_rho"] < -0.5).all()  # each pool is chosen when governance is cheap
    assert len(study.draws_table()) == 12


def test_ranges_without_width_leave_the_advice_optimal_everywhere(tmp_path: Path) -> None:
    text = THREE + (
        "uncertainty:\n  defaults: false\n  structures:\n    centre:\n"
        "      governance_per_member: {low: 12000, high: 12000}\n"
    )
    study = study_of(scenario_from(tmp_path, text), 3)
    summary = study.summary()
    assert summary["nominal_optimal"] == 3 and summary["nominal_optimal_share"] == 1.0
    assert summary["regret_eur"]["worst"] == 0.0 and summary["cash_regret_eur"]["worst"] == 0.0
    assert all(d.objective == pytest.approx(study.nominal.report.objective, rel=1e-12) for d in study.draws)


def test_latin_hypercube_draws_fill_every_stratum_and_repeat_with_their_seed() -> None:
    points = quantiles(4, 50, seed=7)
    for column in points.T:
        assert sorted(np.floor(column * 50).astype(int)) == list(range(50))
    assert np.array_equal(points, quantiles(4, 50, seed=7))
    assert not np.array_equal(points, quantiles(4, 50, seed=8))
    sobol = quantiles(3, 64, seed=1, sampling="sobol")
    assert sobol.shape == (64, 3) and ((sobol >= 0) & (sobol < 1)).all()


def test_a_group_moves_its_figures_together_within_their_ranges() -> None:
    scenario = load_scenario("kempen")
    uncertainty = scenario.uncertainty
    values = draw_values(uncertainty, quantiles(len(uncertainty.groups), 40, seed=0))
    transition = [f for f in uncertainty.figures if f.group == "transition"]
    assert len(transition) >= 8
    for draw in values:
        factors = {round(draw[f.path] / f.value, 9) for f in transition if f.value}
        assert len(factors) == 1  # one multiplier for every transition figure
        (factor,) = factors
        assert 0.7 <= factor <= 2.0
    for figure in uncertainty.figures:
        drawn = [draw[figure.path] for draw in values]
        assert figure.low <= min(drawn) and max(drawn) <= figure.high


def test_a_triangular_range_peaks_at_the_scenario_value() -> None:
    scenario = load_scenario("kempen")
    figure = next(f for f in scenario.uncertainty.figures if f.path == "domains.taxes.scale_inhabitants")
    assert (figure.low, figure.value, figure.high) == (0.6 * 83_000, 83_000, 1.5 * 83_000)
    many = values_at(figure, (np.arange(20_000) + 0.5) / 20_000)
    assert many.mean() == pytest.approx((figure.low + figure.value + figure.high) / 3, rel=1e-3)
    assert values_at(figure, np.array([0.0, 1.0])).tolist() == pytest.approx([figure.low, figure.high])


def test_ctrl_c_keeps_the_finished_draws(tmp_path: Path) -> None:
    scenario = scenario_from(tmp_path, DECISIVE)
    stop = threading.Event()
    finished: list[str] = []

    def stop_after_three(line: str) -> None:
        finished.append(line)
        if len(finished) == 3:  # the nominal solve and two draws
            stop.set()

    study = run(scenario, scenario.solver, 8, executor=SerialExecutor(stop), progress=stop_after_three)
    assert [d.index for d in study.draws] == [1, 2]
    assert study.summary()["draws_run"] == 2 and study.summary()["draws_planned"] == 8
    whole = study_of(scenario, 8)
    assert [d.regret for d in study.draws] == [d.regret for d in whole.draws[:2]]


def test_robust_writes_complete_files_and_the_same_figures_as_json(tmp_path: Path) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text(DECISIVE, encoding="utf-8")
    out = tmp_path / "out"
    result = invoke("robust", str(path), "--draws", "6", "--jobs", "1", "--out", str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["summary"]["draws_run"] == 6 and document["summary"]["dimensions"] == 2
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [
            "draws.csv",
            "pools.csv",
            "decisions.csv",
            "drivers.csv",
            "ranges.csv",
            "robust.json",
            "robust-pools.png",
            "robust-regret.png",
            "robust-drivers.png",
            "robust.html",
            "seta.xlsx",
        ]
    )
    draws = pd.read_csv(out / "draws.csv")
    assert draws["regret_eur"].tolist() == pytest.approx([d["regret_eur"] for d in document["draws"]])
    assert json.loads((out / "robust.json").read_text(encoding="utf-8"))["summary"] == document["summary"]
    table = invoke("robust", str(path), "--draws", "6", "--jobs", "1")
    assert f"best in {document['summary']['nominal_optimal']} of 6 plausible worlds" in table.stdout
    assert "What drives the variation" in table.stdout


BAD = [
    (
        "  domains:\n    taxes:\n      fte_per_1000: {low: 0.2, high: 0.1}\n",
        "uncertainty.domains.taxes.fte_per_1000: low 0.2 is above high 0.1 (expected low at most high)",
    ),
    (
        "  domains:\n    taxes:\n      fte_per_100: {low: 0.1, high: 0.2}\n",
        "uncertainty.domains.taxes.fte_per_100: unknown figure; did you mean 'fte_per_1000'?",
    ),
    (
        "  domains:\n    finance:\n      fte_per_1000: {low: 0.1, high: 0.2}\n",
        "uncertainty.domains.finance: domain 'finance' is not in play in this scenario (in play: taxes, hr)",
    ),
    (
        "  groups:\n    transitions: off\n",
        "uncertainty.groups.transitions: unknown key; did you mean 'transition'?",
    ),
    (
        "  groups:\n    transition: {low: 3}\n",
        "uncertainty.groups.transition: low 3 is above high 2 (expected low at most high)",
    ),
    (
        "  domains:\n    taxes:\n      front_line: {low: 0, high: 1}\n",
        "uncertainty.domains.taxes.front_line: front_line is true or false, not a number that can vary",
    ),
    (
        "  domains:\n    taxes:\n      absence_share: {low: 0.1, high: 1.5}\n",
        "uncertainty.domains.taxes.absence_share.high: 1.5 is out of range (expected a number above 0 and at most 0.9)",
    ),
    (
        "  weights:\n    quality: {low: 0.6, high: 0.7}\n",
        "uncertainty.weights.quality: a triangular range peaks at the scenario's value 0.5, which lies outside "
        "0.6-0.7; widen the range or give distribution: uniform",
    ),
    (
        "  economics:\n    autonomy_eur: {low: 1, high: 2, distribution: normal}\n",
        "uncertainty.economics.autonomy_eur.distribution: unknown distribution 'normal'; expected one of: "
        "triangular, uniform",
    ),
    (
        "  economics:\n    autonomy_eur: {low: 1}\n",
        "uncertainty.economics.autonomy_eur: missing high (expected a range such as {low: 1, high: 2})",
    ),
]


@pytest.mark.parametrize(("block", "message"), BAD)
def test_bad_uncertainty_is_bad_input_with_its_place(tmp_path: Path, block: str, message: str) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text(THREE + "uncertainty:\n" + block, encoding="utf-8")
    result = invoke("validate", str(path))
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert f"  - scenario.yaml, {message}" in result.stderr


@pytest.mark.parametrize("draws", ["0", "-4"])
def test_draws_must_be_positive(draws: str) -> None:
    result = invoke("robust", "beek", "--draws", draws)
    assert result.exit_code == 2
    assert f"Invalid value for '--draws': {draws} is not in the range 1<=x<=100000." in result.stderr


def test_a_study_with_nothing_uncertain_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text(THREE + "uncertainty:\n  defaults: false\n", encoding="utf-8")
    result = invoke("robust", str(path), "--draws", "3")
    assert result.exit_code == 2
    assert "uncertainty: no figure is uncertain (expected the default ranges, or ranges of the scenario's own)" in (
        result.stderr
    )


def test_the_report_says_whether_the_advice_holds(tmp_path: Path) -> None:
    path = tmp_path / "scenario.yaml"
    path.write_text(DECISIVE, encoding="utf-8")
    page = tmp_path / "report.html"
    result = invoke(
        "report", str(path), "--draws", "4", "--jobs", "1", "--no-explain", "--out", str(page), "--lang", "nl"
    )
    assert result.exit_code == 0, result.output
    text = page.read_text(encoding="utf-8")
    assert "Houdt het advies stand als de cijfers bewegen?" in text
    assert "plausibele werelden" in text and "Wat de variatie drijft" in text


def test_progress_off_a_terminal_is_a_line_every_tenth_and_skips_solves_never_run() -> None:
    import io

    from rich.console import Console

    from cli.robust import TaskBar

    sink = io.StringIO()
    with TaskBar(Console(file=sink, width=200), "solves") as bar:
        for done in range(1, 21):
            bar(f"     {done / 10:.1f} s  {done}/20 draw {done}: optimal")
        bar("     2.1 s  20/20 draw 20: not run (stopped)")
        bar("  Note: something else")
    lines = sink.getvalue().splitlines()
    assert [line.split(" solves")[0].strip() for line in lines[:-1]] == [f"{2 * n}/20" for n in range(1, 11)]
    assert lines[-1] == "  Note: something else"
