"""Solving province by province: exact when no pool can cross a border, never better than the whole
model, pools inside provinces, and refused where a rule spans provinces."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli.main import cli
from inputs import load_scenario
from inputs.labels import speaking
from inputs.problems import InputError
from inputs.types import ForcedPair, Scenario, SolverOptions
from optimizer import optimize
from optimizer.decompose import screen_split

DOMAINS = ("hr", "taxes", "ict")


def provinces(*names: str) -> Scenario:
    """The national scenario cut down to some provinces and three domains, solved to optimality."""
    national = load_scenario("nl-2024")
    kept = tuple(m for m in national.municipalities if m.province in names)
    codes = {m.code for m in kept}
    return replace(
        national,
        municipalities=kept,
        # every domain within the national 25 km: taxes' own 80 km reach would make the whole model slow
        domains=tuple(replace(d, max_travel_km=None) for d in national.domains if d.key in DOMAINS),
        adjacency=frozenset(p for p in national.adjacency if p[0] in codes and p[1] in codes),
        solver=replace(national.solver, gap=0.0, time_limit=120),
    )


def test_far_apart_provinces_give_the_whole_models_optimum() -> None:
    # Zeeland and Flevoland lie far more than the 25 km travel limit apart: no pool can span them.
    scenario = provinces("Zeeland", "Flevoland")
    whole = optimize(scenario, replace(scenario.solver, decompose="none"))
    split = optimize(scenario)
    assert whole.report.status == "optimal"
    assert split.report.status == "feasible"
    assert split.report.reason.startswith("solved as 2 provinces (2 proven optimal")
    assert split.report.objective == pytest.approx(whole.report.objective, rel=1e-9)
    # both parts proven: the gap within the provinces is nil, and says where it holds
    assert split.summary().solver.gap_scope == "provinces"
    assert split.summary().solver.gap_eur == pytest.approx(0.0, abs=1e-3)


def test_neighbouring_provinces_keep_pools_inside_and_never_beat_the_whole() -> None:
    scenario = provinces("Groningen", "Drenthe")
    whole = optimize(scenario, replace(scenario.solver, decompose="none"))
    split = optimize(scenario)
    assert whole.report.status == "optimal"
    assert split.configuration is not None and split.chosen is not None
    assert split.chosen.violations == []
    assert split.report.objective is not None and whole.report.objective is not None
    assert split.report.objective >= whole.report.objective - 1e-6 * abs(whole.report.objective)
    province = {m.code: m.province for m in scenario.municipalities}
    crossing = [(code, p.host) for (code, _d), p in split.configuration.items() if province[code] != province[p.host]]
    assert crossing == []
    pooled = [code for (code, _d), p in split.configuration.items() if p.host != code]
    assert len(pooled) >= 5  # there are pools to check


def test_a_rule_spanning_provinces_refuses_the_split() -> None:
    scenario = provinces("Groningen", "Drenthe")
    groningen = [m for m in scenario.municipalities if m.province == "Groningen"]
    drenthe = [m for m in scenario.municipalities if m.province == "Drenthe"]
    # the nearest pair across the border, so that only the split (not the travel limit) refuses it
    a, b = min(
        ((g, d) for g in groningen for d in drenthe),
        key=lambda pair: (pair[0].lat - pair[1].lat) ** 2 + (pair[0].lon - pair[1].lon) ** 2,
    )
    spanning = replace(
        scenario,
        limits=replace(scenario.limits, max_pools=3),
        politics=replace(scenario.politics, forced_pairs=(ForcedPair(a.code, b.code, ("hr",)),)),
    )
    with pytest.raises(InputError) as raised:
        optimize(spanning)
    assert [str(p) for p in raised.value.problems] == [
        "nl-2024, solver.decompose: limits.max_pools counts across the whole scenario; it cannot be split by province",
        f"nl-2024, solver.decompose: the forced pair {a.code}-{b.code} crosses a province border",
    ]
    with speaking("nl"), pytest.raises(InputError) as raised:
        screen_split(spanning)
    assert [str(p) for p in raised.value.problems] == [
        "nl-2024, solver.decompose: limits.max_pools telt over het hele scenario; het kan niet per provincie "
        "worden gesplitst",
        f"nl-2024, solver.decompose: het verplichte paar {a.code}-{b.code} ligt over een provinciegrens",
    ]


def test_unknown_decomposition_and_write_lp_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(
        "municipalities:\n  dataset: nl-2024\n  members: [Assen, Tynaarlo]\nsolver:\n  decompose: county\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["validate", str(path)])
    assert result.exit_code == 2
    assert "solver.decompose: unknown decompose 'county'; expected one of: none, province" in result.stderr
    result = CliRunner().invoke(cli, ["solve", "nl-2024", "--write-lp", str(tmp_path / "m.lp")])
    assert result.exit_code == 2
    assert "--write-lp writes one model; add --decompose none to write the whole scenario's" in result.stderr
    assert not (tmp_path / "m.lp").exists()


def test_the_status_quo_splits() -> None:
    # max_pools = 0 (the status-quo end state) holds in every province, unlike a positive count
    scenario = provinces("Zeeland", "Flevoland")
    result = optimize(replace(scenario, limits=replace(scenario.limits, max_pools=0)))
    assert result.configuration is not None and result.chosen is not None
    assert all(placement.host == code for (code, _d), placement in result.configuration.items())
    assert result.chosen.objective == pytest.approx(result.baseline.objective, rel=1e-12)


def test_a_part_without_a_known_gap_is_not_called_within_zero() -> None:
    from optimizer.decompose import Part, _reason
    from optimizer.result import ModelSize
    from optimizer.solve import SolverReport, Status
    from optimizer.task import Solved

    scenario = provinces("Zeeland")
    options = scenario.solver
    proven = SolverReport(Status.OPTIMAL, "highs", "1", 10.0, 10.0, 0.0, 1.0, options, "Optimal")
    unknown = SolverReport(Status.FEASIBLE, "cbc", "1", 10.0, None, None, 1.0, options, "TimeLimit")
    size = ModelSize(1, 1, 1, "textbook")
    parts = [
        (Part("A", scenario), Solved(proven, {}, size=size, build_seconds=0.1)),
        (Part("B", scenario), Solved(unknown, {}, size=size, build_seconds=0.1)),
    ]
    text = _reason(parts, [], 2, set())
    assert text.startswith("solved as 2 provinces (1 proven optimal, 1 without a known gap)")
    assert "0.00 %" not in text


def test_input_errors_from_a_worker_process_keep_their_problems() -> None:
    # a province's own screen runs in a worker; its InputError crosses the process boundary by pickling
    import pickle

    from inputs.problems import Problem

    error = pickle.loads(pickle.dumps(InputError([Problem("nl-2024, politics.force", "Urk must pool hr")])))
    assert str(error) == "1 problem in the inputs:\n  - nl-2024, politics.force: Urk must pool hr"


def test_a_region_wide_matrix_limit_refuses_the_split_as_bad_input(tmp_path: Path) -> None:
    # it used to reach the solver and end as "internal error: the joined provinces break rules"
    path = tmp_path / "two.yaml"
    path.write_text(
        "municipalities:\n  dataset: nl-2024\n  members: [Assen, Tynaarlo, Groningen, Midden-Groningen]\n"
        "limits: {max_matrix_units: 2}\nsolver: {decompose: province}\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["solve", str(path), "--no-explain"])
    assert result.exit_code == 2, result.output
    assert (
        "two.yaml, solver.decompose: limits.max_matrix_units counts across the whole scenario; "
        "it cannot be split by province" in result.stderr
    )


def taxes_of(*names: str) -> Scenario:
    """The national tax study cut down to some provinces (their water boards among the partners)."""
    listed = ", ".join(names)
    return load_scenario("nl-2024-taxes", [f"municipalities.members={{province: [{listed}]}}", "solver.gap=0"])


def test_province_then_whole_crosses_a_border_where_that_pays_and_proves_it() -> None:
    """Groningen and Drenthe: a tax office across their border beats the provinces' answer; the whole
    model, started from that answer, finds it and proves it, as the whole model alone does."""
    scenario = taxes_of("Groningen", "Drenthe")
    split = optimize(scenario, replace(scenario.solver, decompose="province"))
    staged = optimize(scenario, replace(scenario.solver, decompose="province+whole"))
    whole = optimize(scenario, replace(scenario.solver, decompose="none"))
    assert split.report.objective is not None and staged.report.objective is not None
    assert staged.report.status == "optimal" and staged.summary().solver.gap_scope == "whole"
    assert staged.report.objective == pytest.approx(whole.report.objective, rel=1e-9)
    assert staged.report.objective < split.report.objective
    assert staged.configuration is not None and staged.chosen is not None and staged.chosen.violations == []
    province = {m.code: m.province for m in scenario.municipalities}
    crossing = [c for (c, _d), p in staged.configuration.items() if province[c] != province[p.host]]
    assert crossing


def test_province_then_whole_keeps_the_provinces_answer_and_bounds_it_for_the_whole() -> None:
    """Zeeland and Flevoland lie beyond each other's reach: nothing crosses, the provinces' answer
    stands, and the whole model's bound now holds for the whole."""
    scenario = provinces("Zeeland", "Flevoland")
    split = optimize(scenario)
    staged = optimize(scenario, replace(scenario.solver, decompose="province+whole"))
    assert split.configuration == staged.configuration
    assert staged.report.status == "optimal" and staged.report.bound is not None
    assert staged.summary().solver.gap_scope == "whole"


def test_a_start_sets_what_opens_in_either_formulation() -> None:
    """The warm start of province+whole: the units open in the start are those its configuration
    uses, in the radius formulation (whose units list no members) as in the textbook one."""
    from pathlib import Path

    from benchmarks.orlib import scenario_for
    from optimizer.formulation import build_model
    from optimizer.instance import Instance

    scenario = scenario_for(Path(__file__).parent.parent / "benchmarks" / "orlib" / "cap71.txt", SolverOptions())
    solved = optimize(scenario)
    assert solved.configuration is not None
    used = {(p.host, p.structure, d) for (_c, d), p in solved.configuration.items() if p.structure != "in_house"}
    for formulation in ("radius", "textbook"):
        model = build_model(Instance(scenario), formulation=formulation)
        model.start_from(solved.configuration)
        started = {unit.key for unit in model.variables.units if unit.is_open.varValue == 1.0}
        assert started == used, formulation
