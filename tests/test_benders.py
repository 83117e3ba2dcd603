"""Benders decomposition of the radius formulation (optimizer/formulation/benders.py) against the radius MIP
itself, published OR-Library optima and brute force."""

from __future__ import annotations

import itertools
import math
import threading
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from benchmarks.orlib import HERE, pmedian_scenario, read_optima, scenario_for
from inputs.types import SolverOptions
from optimizer import optimize
from optimizer.control import Control
from optimizer.evaluate import evaluate
from optimizer.formulation import benders, build_model
from optimizer.formulation.benders import CountRow, Covering, covering_of, solve_benders, solve_covering
from optimizer.formulation.model import Model
from optimizer.instance import Instance
from optimizer.solve import Status, solve

OPTIMA = read_optima([HERE / "pmedopt.txt", HERE / "uncapopt.txt"])
OPTIONS = SolverOptions(time_limit=300.0, gap=0.0)


def radius_model(name: str) -> Model:
    model = build_model(Instance(scenario_for(HERE / f"{name}.txt", OPTIONS)), formulation="radius")
    assert model.formulation == "radius"
    return model


@pytest.mark.parametrize(
    "name", ["pmed1", "pmed2", "pmed3", "pmed4", "pmed5", "cap71", "cap72", "cap73", "cap74", "cap101"]
)
def test_benders_proves_the_radius_mips_optimum(name: str) -> None:
    """The same optimum as the radius MIP solved whole, the published one, and a configuration the
    evaluator prices at the reported objective."""
    benders_model = radius_model(name)
    benders = solve_benders(benders_model, OPTIONS, Control.within(300.0))
    whole_model = radius_model(name)
    whole = solve(whole_model.problem, OPTIONS, Control.within(300.0))
    assert benders.status is Status.OPTIMAL and whole.status is Status.OPTIMAL
    assert benders.objective == pytest.approx(whole.objective, abs=1e-6)
    assert benders.objective == pytest.approx(OPTIMA[name], abs=0.01)
    assert benders.bound is not None and benders.bound == pytest.approx(benders.objective, abs=1e-6)
    evaluation = evaluate(benders_model.instance, benders_model.configuration())
    assert evaluation.violations == []
    assert evaluation.objective == pytest.approx(benders.objective, abs=1e-6)


def test_optimize_solves_radius_models_by_benders_and_cbc_by_the_mip(monkeypatch: pytest.MonkeyPatch) -> None:
    import optimizer.guarantee as guarantee

    calls: list[str] = []
    original = guarantee.solve_benders

    def counted(model: Model, *args: object, **kwargs: object) -> object:
        calls.append(model.formulation)
        return original(model, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(guarantee, "solve_benders", counted)
    for options in (OPTIONS, SolverOptions(name="cbc", time_limit=60.0)):
        result = optimize(scenario_for(HERE / "cap71.txt", options), options)
        assert result.report.status == "optimal"
        assert result.report.objective == pytest.approx(OPTIMA["cap71"], abs=0.01)
    assert calls == ["radius"]


def brute_force(covering: Covering) -> float:
    """The best objective over every integer y within the bounds and rows (inf when none serves all)."""
    best = math.inf
    for bits in itertools.product((0.0, 1.0), repeat=covering.units):
        y = np.array(bits)
        if covering.feasible(y):
            best = min(best, covering.cost_of(y)[0])
    return best


@st.composite
def coverings(draw: st.DrawFn) -> Covering:
    """Small random coverings: some services with their own department, fixed opening costs, some
    units closed or forced open, a row of at most p units and sometimes one of at least q."""
    units = draw(st.integers(1, 9))
    services = draw(st.integers(1, 12))
    starts, costs, chosen = [0], [], []
    for _ in range(services):
        options = draw(st.lists(st.integers(0, units - 1), min_size=1, max_size=units, unique=True))
        values = draw(st.lists(st.integers(0, 40), min_size=len(options), max_size=len(options)))
        pairs = list(zip(values, options, strict=True))
        if draw(st.booleans()):
            own = draw(st.integers(0, 45))
            pairs = [(c, u) for c, u in pairs if c <= own] + [(own, units)]
        pairs.sort(key=lambda pair: pair[0])
        costs += [float(c) for c, _u in pairs]
        chosen += [u for _c, u in pairs]
        starts.append(len(costs))
    opening = draw(st.lists(st.integers(0, 30), min_size=units, max_size=units))
    lower = np.zeros(units)
    upper = np.ones(units)
    for u in range(units):
        state = draw(st.sampled_from(["free", "free", "free", "closed", "open"]))
        if state == "closed":
            upper[u] = 0.0
        elif state == "open":
            lower[u] = 1.0
    rows = []
    if draw(st.booleans()):
        rows.append(CountRow(np.arange(units), np.ones(units), -math.inf, float(draw(st.integers(1, units)))))
    if draw(st.booleans()):
        rows.append(CountRow(np.arange(units), np.ones(units), float(draw(st.integers(0, units))), math.inf))
    return Covering(
        np.array(opening, dtype=float),
        lower,
        upper,
        np.array(starts),
        np.array(costs),
        np.array(chosen),
        tuple(rows),
        float(draw(st.integers(-5, 5))),
    )


def no_heuristic(covering: Covering, is_open: np.ndarray, deadline: object) -> np.ndarray:
    return is_open


@pytest.mark.parametrize("heuristic", [True, False])
@settings(max_examples=150, deadline=None, derandomize=True)
@given(covering=coverings())
def test_benders_equals_brute_force_on_random_coverings(covering: Covering, heuristic: bool) -> None:
    """The optimum, and a bound never above it; without the interchange heuristic (which finds the
    optimum of most small instances by itself) the master has to find it."""
    best = brute_force(covering)
    with pytest.MonkeyPatch.context() as patch:
        if not heuristic:
            patch.setattr(benders, "interchange", no_heuristic)
        report, answer = solve_covering(covering, OPTIONS, Control.within(60.0))
    if math.isinf(best):
        assert report.status is Status.INFEASIBLE
        assert answer is None
        return
    assert report.status is Status.OPTIMAL
    assert answer is not None and covering.feasible(answer)
    assert report.objective == pytest.approx(best, abs=1e-6)
    assert report.bound is not None and report.bound <= best + 1e-6
    assert covering.cost_of(answer)[0] == pytest.approx(best, abs=1e-6)


@settings(max_examples=40, deadline=None, derandomize=True)
@given(
    st.integers(3, 8).flatmap(
        lambda n: st.tuples(
            st.lists(st.lists(st.integers(0, 30), min_size=n, max_size=n), min_size=n, max_size=n),
            st.integers(1, n),
        )
    )
)
def test_benders_equals_brute_force_and_the_radius_mip_on_random_pmedian(data: tuple[list[list[int]], int]) -> None:
    matrix, p = data
    dist = np.array(matrix, dtype=float)
    np.fill_diagonal(dist, 0.0)
    n = len(dist)
    best = min(
        dist[:, list(chosen)].min(axis=1).sum()
        for k in range(1, p + 1)
        for chosen in itertools.combinations(range(n), k)
    )
    scenario = pmedian_scenario("random", dist, p, OPTIONS)
    benders = solve_benders(build_model(Instance(scenario), formulation="radius"), OPTIONS, Control.within(60.0))
    whole = solve(build_model(Instance(scenario), formulation="radius").problem, OPTIONS, Control.within(60.0))
    assert benders.status is Status.OPTIMAL
    assert benders.objective == pytest.approx(best, abs=1e-6)
    assert whole.objective == pytest.approx(best, abs=1e-6)


def test_the_cuts_are_the_radius_relaxation() -> None:
    """Each service's cut at the level where a fractional y first covers it is the radius chain's LP
    cost there: the most violated cut, and no cut is above it (a cut never overstates a cost)."""
    model = radius_model("pmed1")
    covering = covering_of(model)
    assert covering is not None
    rng = np.random.default_rng(7)
    for _ in range(20):
        y = rng.dirichlet(np.ones(covering.units)) * 5
        y = np.minimum(y, 1.0)
        _position, level, level_start = covering.reach(y)
        value = covering.cut_values(y, level, level_start)
        for i in rng.choice(covering.services, 10, replace=False):
            first, last = covering.first[i], covering.start[i + 1]
            cost = covering.cost[first:last]
            weight = y[covering.unit[first:last]]
            levels = np.unique(cost)
            chain = levels[0] + sum(
                (levels[k + 1] - levels[k]) * max(0.0, 1.0 - weight[cost <= levels[k]].sum())
                for k in range(len(levels) - 1)
            )
            assert value[i] == pytest.approx(chain, abs=1e-9)
            for d in levels:  # every other level's cut at y is at most the chain's cost
                assert d - ((d - cost[cost < d]) * weight[cost < d]).sum() <= chain + 1e-9


def test_a_stopped_run_reports_feasible_with_its_gap(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stopped (as by Ctrl-C) once the LP phase is done: pmed2's LP bound (4,088.5) is below its
    optimum (4,093), so the answer is feasible with a gap, never optimal."""
    stop = threading.Event()
    mip_phase = benders._mip_phase

    def stopped_first(*args: Any) -> bool:
        stop.set()
        return mip_phase(*args)

    monkeypatch.setattr(benders, "_mip_phase", stopped_first)
    model = radius_model("pmed2")
    report = solve_benders(model, OPTIONS, Control.within(300.0, stop=stop))
    assert stop.is_set()
    assert report.status is Status.FEASIBLE
    assert report.interrupted and report.reason == "Interrupted"
    assert report.objective is not None and report.bound is not None and report.gap is not None
    assert report.bound <= OPTIMA["pmed2"] + 1e-6 <= report.objective + 2e-6
    assert report.gap > 0
    assert report.describe().startswith("feasible, within")
    evaluation = evaluate(model.instance, model.configuration())
    assert evaluation.objective == pytest.approx(report.objective, abs=1e-6)


def test_a_run_out_of_time_before_any_answer_has_no_solution() -> None:
    report = solve_benders(radius_model("pmed1"), OPTIONS, Control.within(0.0))
    assert report.status is Status.ERROR
    assert not report.has_solution and report.objective is None


@pytest.mark.parametrize("name", ["pmed2", "pmed3", "pmed4", "pmed5", "cap74"])
def test_benders_without_the_heuristic_still_proves_the_optimum(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where the first answers are poor (the LP optimum rounded, then the masters' answers), reduced-
    cost fixing and the masters must still find and prove the published optimum."""
    monkeypatch.setattr(benders, "interchange", no_heuristic)
    report = solve_benders(radius_model(name), OPTIONS, Control.within(300.0))
    assert report.status is Status.OPTIMAL
    assert report.objective == pytest.approx(OPTIMA[name], abs=0.01)


@settings(max_examples=150, deadline=None, derandomize=True)
@given(covering=coverings(), slack=st.integers(0, 6))
def test_reduced_cost_fixing_keeps_every_configuration_as_good_as_the_best(covering: Covering, slack: int) -> None:
    """After the LP phase, with a best answer worth `slack` more than the optimum, fixing closes (or
    keeps open) no unit against any configuration that is at least as good as that answer."""
    configurations = []
    for bits in itertools.product((0.0, 1.0), repeat=covering.units):
        y = np.array(bits)
        if covering.feasible(y) and math.isfinite(covering.cost_of(y)[0]):
            configurations.append((covering.cost_of(y)[0], y))
    if not configurations:
        return
    optimum = min(value for value, _y in configurations)
    master = benders._Master(covering, OPTIONS)
    run = benders._Progress(0.0)
    reduced = benders._lp_phase(master, run, Control.within(60.0))
    assert reduced is not None
    lp_bound = master.highs.getInfo().objective_function_value
    assert lp_bound <= optimum + 1e-6
    run.best = optimum + slack
    benders._fix(master, run, reduced, lp_bound)
    lp = master.highs.getLp()
    lower, upper = np.asarray(lp.col_lower_)[: covering.units], np.asarray(lp.col_upper_)[: covering.units]
    for value, y in configurations:
        if value <= run.best:
            assert (y >= lower).all() and (y <= upper).all(), (value, y, lower, upper)


@pytest.mark.parametrize("name", ["pmed2", "pmed4", "cap71", "cap131"])
def test_the_lp_phase_reaches_the_radius_relaxation(name: str) -> None:
    """The cut loop's bound is the radius model's LP relaxation, solved whole."""
    import pulp

    model = radius_model(name)
    covering = covering_of(model)
    assert covering is not None
    master = benders._Master(covering, OPTIONS)
    run = benders._Progress(0.0)
    assert benders._lp_phase(master, run, Control.within(60.0)) is not None
    relaxation = model.problem.solve(pulp.HiGHS(mip=False, msg=False))
    assert relaxation.status == pulp.LpSolveStatus.Optimal
    assert master.highs.getInfo().objective_function_value == pytest.approx(relaxation.objective, rel=1e-7)


def test_a_radius_model_changed_beyond_the_master_is_solved_whole() -> None:
    """A row over a chain variable, or another objective, is nothing the master represents: the
    model is then solved as it is (the MIP), and its answer is that model's."""
    import pulp

    model = radius_model("cap71")
    assert covering_of(model) is not None
    chain = next(var for var in model.problem.variables() if var.name.startswith("z("))
    model.problem.addConstraint(pulp.lpSum_vars([chain]) >= 1, "extra")
    assert covering_of(model) is None
    report = solve_benders(model, OPTIONS, Control.within(60.0))
    assert report.status is Status.OPTIMAL and report.objective is not None
    assert report.objective > OPTIMA["cap71"] + 1.0  # the row costs something: it was kept
    assert report.objective == pytest.approx(solve(model.problem, OPTIONS, Control()).objective, abs=1e-6)

    other = radius_model("cap71")
    first = other.variables.units[0].is_open
    other.problem.setObjective(pulp.lpSum_vars_coefs([(first, 1.0)]))
    assert covering_of(other) is None
    assert solve_benders(other, OPTIONS, Control.within(60.0)).objective == pytest.approx(0.0, abs=1e-9)


def test_a_requested_gap_stops_there_and_says_so() -> None:
    """With a 5 % gap asked for, pmed2 stops once its bound (the LP's, 4,088.5) is within 5 % of the
    best answer: feasible at the requested gap, not optimal unless the gap closed."""
    options = SolverOptions(time_limit=300.0, gap=0.05)
    report = solve_benders(radius_model("pmed2"), options, Control.within(300.0))
    assert report.objective is not None and report.bound is not None and report.gap is not None
    assert report.bound <= OPTIMA["pmed2"] + 1e-6 <= report.objective + 2e-6
    assert report.gap <= 0.05
    if report.gap > 1e-6:
        assert report.status is Status.FEASIBLE and report.reason == "GapLimit"
        assert "stopped at the requested gap of 5 %" in report.describe()
    else:
        assert report.status is Status.OPTIMAL
