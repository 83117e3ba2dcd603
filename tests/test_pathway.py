"""The pathway over the years equals brute force over every sequence of configurations on tiny cases.

Each year of a sequence is a configuration that keeps every rule (the evaluator says which); a
sequence is costed by `optimizer.pathway.account` from its configurations alone. The MIP gets the
pools of every such configuration as candidates, so that its plan is the best of all sequences, not
of a heuristic's few."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from inputs.types import Economics, Limits, Municipality, Scenario, SolverOptions, StructureParams, Weights
from optimizer.evaluate import evaluate
from optimizer.instance import IN_HOUSE, Configuration, Instance
from optimizer.pathway import Figures, Plan, Pool, Settings, account, plan_pathway, pools_of
from optimizer.pathway_explain import explain_pathway
from optimizer.task import solve_task
from tests.bruteforce import configurations
from tests.strategies import default_domain, default_structure

YEARS = 3


def tiny(codes: int, structures: tuple[str, ...], **economics: float | int) -> Scenario:
    """`codes` municipalities a few km apart, HR and taxes, the given structures at their defaults
    but a tenth as dear to set up (so that pooling pays within three years)."""
    towns = tuple(
        Municipality(
            code=f"GM{n:04d}",
            name=f"Town {n}",
            population=(9_000, 21_000, 14_000)[n - 1],
            lat=52.0 + 0.04 * n,
            lon=5.0 + 0.03 * n,
        )
        for n in range(1, codes + 1)
    )
    chosen = []
    for key in structures:
        structure = default_structure(key)
        changes: dict[str, object] = {
            name: getattr(structure, name) / 10
            for name in ("transition_per_fte", "transition_per_unit", "transition_per_member", "transition_per_body")
        }
        if key == "matrix":
            changes["coordination_per_interface"] = 5_000.0
        chosen.append(replace(structure, **changes))  # type: ignore[arg-type]
    return Scenario(
        name="tiny",
        municipalities=towns,
        domains=(default_domain("hr"), default_domain("taxes")),
        structures=tuple(chosen),
        limits=Limits(max_travel_km=None, host_capacity_factor=None),
        weights=Weights(),
        economics=replace(Economics(), horizon_years=YEARS, **economics),  # type: ignore[arg-type]
        solver=SolverOptions(time_limit=120.0),
    )


def feasible(instance: Instance) -> list[Configuration]:
    return [c for c in configurations(instance) if not evaluate(instance, c).violations]


def brute_force(scenario: Scenario, settings: Settings, today: Configuration, last: Configuration | None) -> Plan:
    """The best of every sequence of rule-abiding configurations (ending at `last` where given) whose
    changes keep the caps."""
    instance = Instance(scenario)
    figures = Figures(instance, settings)
    choices = feasible(instance)
    best: Plan | None = None
    ends = [last] if last is not None else choices
    for head in itertools.product(choices, repeat=settings.years - 1):
        for end in ends:
            plan = account(figures, today, [*head, end])
            if plan.cap_breaches():
                continue
            if best is None or plan.npv_weighted < best.npv_weighted - 1e-9:
                best = plan
    assert best is not None
    return best


def planned(scenario: Scenario, settings: Settings, today: Configuration, target: Configuration | None) -> Plan:
    instance = Instance(scenario)
    pathway = plan_pathway(scenario, today, target, settings, scenario.solver, more=feasible(instance))
    assert pathway.plan is not None, pathway.report.describe()
    assert pathway.report.status.value == "optimal"
    return pathway.plan


def _close(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


@pytest.mark.parametrize(
    ("structures", "rate"),
    [(("centre", "working_group"), 0.0225), (("matrix",), 0.05), (("one_civil_service", "centre"), 0.0)],
)
def test_a_free_pathway_of_two_municipalities_is_the_best_of_every_sequence(
    structures: tuple[str, ...], rate: float
) -> None:
    scenario = tiny(2, structures, discount_rate=rate)
    settings = replace(Settings.of(scenario, YEARS), learning_years=1)
    today = Instance(scenario).status_quo()
    plan = planned(scenario, settings, today, None)
    best = brute_force(scenario, settings, today, None)
    assert _close(plan.npv_weighted, best.npv_weighted), (plan.npv_weighted, best.npv_weighted)
    assert any(year.pools for year in best.years), "a case where nothing pools would prove little"


def _optimum(scenario: Scenario) -> Configuration:
    solved = solve_task(scenario, scenario.solver)
    assert solved.configuration is not None
    return solved.configuration


def test_with_one_change_a_year_the_pathway_is_the_best_order_of_every_sequence() -> None:
    scenario = tiny(3, ("centre",))
    settings = replace(Settings.of(scenario, YEARS), max_changes_per_year=2, max_changes_per_municipality=1)
    target = _optimum(scenario)
    today = Instance(scenario).status_quo()
    plan = planned(scenario, settings, today, target)
    best = brute_force(scenario, settings, today, target)
    assert _close(plan.npv_weighted, best.npv_weighted), (plan.npv_weighted, best.npv_weighted)
    assert all(year.change_count <= 2 for year in plan.years)


def test_a_cap_of_one_change_a_year_grows_a_pool_one_member_at_a_time() -> None:
    scenario = tiny(3, ("centre", "working_group"))
    instance = Instance(scenario)
    settings = replace(Settings.of(scenario, YEARS), max_changes_per_year=1)
    target = _optimum(scenario)
    whole = next(pool for pool in pools_of(instance, target) if len(pool.members) == 3)
    leaver = next(code for code in whole.members if code != whole.host)
    today = instance.status_quo() | {
        key: placement for key, placement in whole.configuration().items() if key[0] != leaver
    }
    plan = planned(scenario, settings, today, target)
    best = brute_force(scenario, settings, today, target)
    assert _close(plan.npv_weighted, best.npv_weighted), (plan.npv_weighted, best.npv_weighted)
    assert all(year.change_count <= 1 for year in plan.years)
    assert any(year.moved for year in plan.years), "the pool of two grows into the pool of three"


def test_without_discounting_ramp_up_or_learning_the_pathway_jumps_straight_to_the_end_state() -> None:
    scenario = tiny(3, ("centre", "working_group"), discount_rate=0.0, ramp_up_share=1.0, learning_reduction=0.0)
    settings = Settings.of(scenario, YEARS)
    target = _optimum(scenario)
    assert any(p.structure != IN_HOUSE for p in target.values())
    today = Instance(scenario).status_quo()
    pathway = plan_pathway(scenario, today, target, settings, scenario.solver)
    assert pathway.plan is not None and pathway.big_bang is not None
    assert [year.configuration for year in pathway.plan.years] == [target] * YEARS
    assert _close(pathway.plan.npv_weighted, pathway.big_bang.npv_weighted)


def _best_without(
    scenario: Scenario, settings: Settings, today: Configuration, pool: Pool, year: int, last: Configuration | None
) -> Plan | None:
    """The best sequence in which `pool` runs in none of the years 1..`year` (None: there is none)."""
    instance = Instance(scenario)
    figures = Figures(instance, settings)
    choices = feasible(instance)
    best: Plan | None = None
    for sequence in itertools.product(choices, repeat=settings.years):
        if last is not None and sequence[-1] != last:
            continue
        if any(pool in pools_of(instance, c) for c in sequence[:year]):
            continue
        plan = account(figures, today, list(sequence))
        if plan.cap_breaches():
            continue
        if best is None or plan.npv_weighted < best.npv_weighted - 1e-9:
            best = plan
    return best


@pytest.mark.parametrize(
    ("codes", "structures", "caps", "fixed"),
    [(2, ("centre", "working_group"), None, False), (3, ("centre",), 2, True)],
)
def test_the_npv_lost_by_a_step_a_year_later_is_the_difference_of_two_brute_force_optima(
    codes: int, structures: tuple[str, ...], caps: int | None, fixed: bool
) -> None:
    scenario = tiny(codes, structures, discount_rate=0.05)
    settings = replace(Settings.of(scenario, YEARS), learning_years=1, max_changes_per_year=caps)
    instance = Instance(scenario)
    today = instance.status_quo()
    target = _optimum(scenario) if fixed else None
    pathway = plan_pathway(scenario, today, target, settings, scenario.solver, more=feasible(instance))
    assert pathway.plan is not None and pathway.report.status.value == "optimal"
    best = brute_force(scenario, settings, today, target)
    explanation = explain_pathway(pathway, scenario.solver)
    assert explanation.delays and not explanation.failed
    for delay in explanation.delays:
        delayed = _best_without(scenario, settings, today, delay.pool, delay.year, target)
        if delayed is None:
            assert delay.reason == "infeasible", delay
            continue
        assert delay.lost_weighted is not None, delay
        assert _close(delay.lost_weighted, delayed.npv_weighted - best.npv_weighted), (delay, delayed.npv_weighted)
    assert any(d.lost_weighted for d in explanation.delays), "a case where no delay costs anything proves little"


def test_the_change_cap_flips_the_order_where_the_plan_no_longer_fits_and_brute_force_agrees() -> None:
    scenario = tiny(3, ("centre",))
    settings = replace(Settings.of(scenario, YEARS), learning_years=1)
    instance = Instance(scenario)
    today = instance.status_quo()
    target = _optimum(scenario)
    pathway = plan_pathway(scenario, today, target, settings, scenario.solver, more=feasible(instance))
    assert pathway.plan is not None
    explanation = explain_pathway(pathway, scenario.solver)
    flip = next(f for f in explanation.flips if f.figure == "limits.max_changes_per_year")
    most = max(year.change_count for year in pathway.plan.years)
    assert flip.direction == "down" and flip.used == most and flip.changes_at is not None
    configurations = [year.configuration for year in pathway.plan.years]
    for cap in (flip.same_at, flip.changes_at):
        capped = replace(settings, max_changes_per_year=round(cap))
        breaks = account(Figures(instance, capped), today, configurations).cap_breaches()
        best = brute_force(scenario, capped, today, target)
        if cap == flip.same_at:
            assert not breaks and _close(best.npv_weighted, pathway.plan.npv_weighted)
        else:
            assert breaks, "the order changes where the plan no longer fits the cap"
            assert best.npv_weighted > pathway.plan.npv_weighted + 1e-6


def _records(chart_spec: dict[str, object], layer: dict[str, object]) -> list[dict[str, object]]:
    data = layer.get("data") or chart_spec.get("data")
    assert isinstance(data, dict)
    datasets = chart_spec["datasets"]
    assert isinstance(datasets, dict)
    return list(datasets[data["name"]])


def test_the_gantt_has_a_bar_per_pool_run_and_the_cash_line_ends_at_the_plans_cumulative_cash() -> None:
    from cli.pathway import target_of
    from inputs import load_scenario
    from visuals.pathway import cash_chart, gantt, word

    # the Kempen's centre municipalities with one change a municipality a year start in different years
    scenario = replace(
        load_scenario("kempen"), limits=replace(load_scenario("kempen").limits, max_changes_per_municipality=1)
    )
    costed, target, _more, _words = target_of(scenario, "centre", scenario.solver)
    pathway = plan_pathway(costed, Instance(costed).status_quo(), target, Settings.of(scenario), scenario.solver)
    assert pathway.plan is not None
    runs: dict[Pool, list[int]] = {}
    for year in pathway.plan.years:
        for pool in year.pools:
            runs.setdefault(pool, []).append(year.year)
    assert all(years == list(range(years[0], years[-1] + 1)) for years in runs.values()), "no pool stops and restarts"
    spec = gantt(pathway).to_dict()
    bars = _records(spec, spec)
    assert len(bars) == len(runs) >= 2
    assert sorted((bar["from"], bar["to"], bar["end"]) for bar in bars) == sorted(
        (years[0], years[-1], years[-1] + 1) for years in runs.values()
    )
    spec = cash_chart(pathway).to_dict()
    bars_layer, line_layer = spec["layer"][:2]
    yearly = _records(spec, bars_layer)
    line = _records(spec, line_layer)
    assert [row["amount"] for row in yearly] == pytest.approx([year.cash for year in pathway.plan.years])
    assert {row["flow"] for row in line} == {word("cumulative")}
    assert line[-1]["year"] == pathway.settings.years
    assert line[-1]["amount"] == pytest.approx(pathway.plan.cumulative[-1])
    assert line[-1]["amount"] == pytest.approx(sum(year.cash for year in pathway.plan.years))


def test_a_free_end_state_under_a_change_cap_is_never_worse_than_the_plan_to_the_optimum() -> None:
    # as `seta pathway --to free` plans it: the optimum's pools the candidates, with their chains
    scenario = tiny(3, ("centre",))
    settings = replace(Settings.of(scenario, YEARS), max_changes_per_year=2)
    instance = Instance(scenario)
    today, target = instance.status_quo(), _optimum(scenario)
    to_optimum = plan_pathway(scenario, today, target, settings, scenario.solver).plan
    free = plan_pathway(scenario, today, None, settings, scenario.solver, more=[target]).plan
    assert to_optimum is not None and free is not None
    assert to_optimum.npv_weighted < -1e-6, "a case where the optimum's plan saves nothing proves little"
    assert free.npv_weighted <= to_optimum.npv_weighted + 1e-6, (free.npv_weighted, to_optimum.npv_weighted)


def test_the_years_a_plan_needs_to_pay_keep_its_end_state_at_its_full_yearly_effect() -> None:
    cheap = tiny(3, ("centre",), learning_reduction=0.0)
    # set up at its default cost, so that the first year does not pay
    scenario = replace(cheap, structures=tuple(_dearer(s, 10) for s in cheap.structures))
    settings = Settings.of(scenario, 1)
    instance = Instance(scenario)
    today, target = instance.status_quo(), _optimum(scenario)
    figures = Figures(instance, settings)
    plan = account(figures, today, [target])
    assert plan.npv_weighted > 0, "a plan that pays in its first year would prove little"
    # the same end state costed over ever more years: the first horizon at which it pays
    kept = next(
        years
        for years in range(2, 50)
        if account(Figures(instance, Settings.of(scenario, years)), today, [target] * years).npv_weighted <= 0
    )
    assert plan.paying_horizon(50) == kept


def _dearer(structure: StructureParams, times: float) -> StructureParams:
    names = ("transition_per_fte", "transition_per_unit", "transition_per_member", "transition_per_body")
    return replace(structure, **{name: getattr(structure, name) * times for name in names})


def test_a_pool_never_learns_from_itself_one_member_ago_and_keeps_what_it_learnt_as_it_grows() -> None:
    scenario = tiny(3, ("centre", "working_group"))
    settings = replace(Settings.of(scenario, 4), learning_years=1)
    instance = Instance(scenario)
    today = instance.status_quo()
    whole = next(
        pool
        for configuration in feasible(instance)
        for pool in pools_of(instance, configuration)
        if pool.structure == "centre" and len(pool.members) == 3
    )
    leaver = next(code for code in whole.members if code != whole.host)
    smaller = replace(whole, placements=frozenset(k for k in whole.placements if k[0] != leaver))
    figures = Figures(instance, settings)
    assert figures.learning_bonus(smaller) != (0.0, 0.0), "a pool that gains nothing by learning proves little"
    # the pool of three, one member leaves, joins again: always the same pool, which had no teacher
    sequence = [figures.with_pools([p]) for p in (whole, smaller, whole)]
    assert [year.learned for year in account(figures, today, sequence).years] == [[], [], []]
    # a working group among the three teaches the centre that starts after it, which keeps that as it grows
    group = replace(whole, structure="working_group", scope=instance.structures["working_group"].scope)
    group = next(iter(pools_of(instance, figures.with_pools([group]))))
    plan = account(figures, today, [figures.with_pools([p]) for p in (group, smaller, whole, whole)])
    assert [year.learned for year in plan.years] == [[], [smaller], [whole], [whole]]


def test_what_the_time_limit_cuts_short_in_a_pathways_explanation_says_so() -> None:
    """Its re-solves are bounded by work; the time limit, the one wall-clock bound, is named where it
    ended one (its answer may read otherwise on another machine), and only there."""
    from visuals.pathway import delay_rows, explanation_lines

    scenario = tiny(3, ("centre",))
    settings = replace(Settings.of(scenario, YEARS), learning_years=1)
    instance = Instance(scenario)
    today = instance.status_quo()
    pathway = plan_pathway(scenario, today, _optimum(scenario), settings, scenario.solver, more=feasible(instance))
    ample = explain_pathway(pathway, scenario.solver)
    assert not any(d.timed_out for d in ample.delays) and not any(f.timed_out for f in ample.flips)
    assert not any("time limit" in line for line in explanation_lines(ample))
    cut = explain_pathway(pathway, replace(scenario.solver, time_limit=1e-6))  # met by every re-solve
    assert cut.delays and all(d.timed_out and d.lost_weighted is None for d in cut.delays)
    assert cut.flips and all(f.timed_out and not f.narrowed for f in cut.flips)
    assert {row["note"] for row in delay_rows(pathway, cut)} == {"not proven (error, time limit)"}
    lines = explanation_lines(cut)
    assert lines[0] == (
        "Discount rate from 2.25 % to 0 %: not known (the time limit ended the solve there before it was proven)."
    )
    assert lines[-1].startswith("What the time limit cut short (it says so above), not the limit on work")
    assert explanation_lines(cut, "nl")[-1].startswith("Wat de tijdslimiet afbrak")
