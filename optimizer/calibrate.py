"""Valuations learned from observed choices: inverse optimisation (docs/model.md, "Calibration on
observed cooperations").

Given configurations observed in the world and figures to fit, find the values under which each
observed configuration is optimal, or as close to optimal as possible, inside the figures' plausible
ranges.

**Cases.** A file that lists the region it speaks for (the seed's regions as observed in 2007) is one
case: the scenario cut down to that region, with its pools and the services it keeps in house. A file
of pools alone (the tax offices) gives one case per pool: the scenario cut down to the pool's listed
municipalities and its partners, the pool beside whatever seta finds for the same members. A
municipality the file does not list is unknown, so it is in no case. Where the file gives no host,
the case asks whether the grouping is optimal, not the seat: the pool is hosted by the member under
which it keeps the rules and costs least.

**Figures the objective is linear in** (weights, governance, transition, the value of autonomy, a
domain's diseconomy above its scale, quality shares): a configuration C has f(C; theta) = f0(C) +
sum_k (theta_k - theta0_k) g_k(C), with f0 and the slopes g_k read off the evaluator. The cutting-plane
method for inverse MIP (Wang 2009, Operations Research Letters 37; Bodur, Chan & Zhu 2022, INFORMS
Journal on Computing) keeps a set K_r of configurations per case and solves the small LP

    min  sum_r eps_r / N_r  (+ a tie-break toward the scenario's values)
    s.t. f(obs_r; theta) - f(C; theta) <= eps_r   for every case r and C in K_r,   theta in its range

(N_r: the case's annual cash cost in the status quo), then solves every case forward at theta; a case
whose optimum beats its observed configuration by more than eps_r adds that optimum to K_r. When no
case adds one, eps_r is exactly how far the observed configuration is from optimal at theta.

**Figures that enter non-linearly** (a domain's scale, the quality curve, a failure rate): an outer search
over a grid of their range, the inner LP at every point, the point of the least total eps kept.

**Ranges.** For each linear figure, the least and the largest value (the others free in their ranges)
that keep every observed configuration within `within` of optimal (a share of the case's annual cash
cost; for a case the fit leaves further away, within `within` of that gap), against the
configurations found. A figure searched on a grid has no such range: its grid points are in the
progress.

Forward solves stop at their gap, so the same inputs give the same fit; the time limit is a safety
net, and a case it stops is marked as not proven. With an aggregate (`Aggregate`), the whole scenario
is solved at each point of the outer search, with its own solver settings.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from itertools import product

import numpy as np

from inputs.configuration import Observed, ObservedPool
from inputs.labels import figure as figure_text
from inputs.labels import language, number, percent, says
from inputs.problems import InputError, Problem
from inputs.types import Scenario, SolverOptions
from inputs.uncertainty import figure_value, with_values
from optimizer.agreement import Agreement, agreement, pooling_share
from optimizer.control import Progress, StopFlag
from optimizer.decompose import restrict
from optimizer.evaluate import evaluate
from optimizer.executor import Executor, SerialExecutor
from optimizer.instance import IN_HOUSE, Configuration, Instance, Placement
from optimizer.pipeline import optimize, optimize_each
from optimizer.solve import Status

#: figures a calibration may fit: valuations and the figures of a joint body and its domain
#: (section, key); `*` stands for any domain or structure of the scenario
FITTABLE: tuple[tuple[str, str], ...] = (
    ("weights", "quality"),
    ("weights", "vulnerability"),
    ("weights", "manageability"),
    ("weights", "autonomy"),
    ("economics", "autonomy_eur"),
    ("structures", "quality_share"),
    ("structures", "autonomy_loss"),
    ("structures", "failure_rate"),
    ("structures", "exit_per_fte"),
    ("structures", "agency_share"),
    ("structures", "governance_per_body"),
    ("structures", "governance_per_unit"),
    ("structures", "governance_per_member"),
    ("structures", "transition_per_body"),
    ("structures", "transition_per_unit"),
    ("structures", "transition_per_member"),
    ("structures", "transition_per_fte"),
    ("domains", "scale_inhabitants"),
    ("domains", "diseconomy_share"),
    ("domains", "core_fte"),
    ("domains", "quality_floor"),
    ("domains", "critical_mass_fte"),
)
#: the points of the outer search over a figure the objective is not linear in
GRID = 5
#: cutting-plane rounds at most (a limit on work)
MAX_ROUNDS = 40
#: a case's optimum counts as beating its observed configuration beyond this share of its cash cost
CUT_TOLERANCE = 1e-8


@dataclass(frozen=True)
class Figure:
    """One figure to fit: its path, the scenario's value and its plausible range."""

    path: str
    value: float
    low: float
    high: float
    linear: bool = True


@dataclass(frozen=True)
class Case:
    """One observed pool as a forward problem."""

    name: str
    scenario: Scenario
    observed: Configuration
    #: the case's listed municipalities x domains: where its distance is measured
    services: tuple[tuple[str, str], ...]
    #: N_r: the status quo's annual cash cost of the case
    scale: float
    #: some pool's host is not given by the file: a grouping found at another seat is the same grouping
    free_hosts: bool = False
    #: the hosts the file does give: a pool there keeps its seat in the comparison of groupings
    given_hosts: frozenset[str] = frozenset()


@dataclass
class CaseFit:
    name: str
    #: how far the observed configuration is from the case's optimum at the fit, a share of its cash cost
    gap: float
    found: Configuration
    distance: Agreement
    proven: bool
    #: the observed configuration as compared: re-hosted where the file gives no host
    observed: Configuration


@dataclass
class Fit:
    """The fitted values and how well they fit."""

    values: dict[str, float]
    cases: list[CaseFit]
    rounds: int
    #: path -> (least, largest) value keeping every observed configuration within `within` of optimal
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)
    interrupted: bool = False
    #: every forward solve reached its gap limit or optimum
    proven: bool = True
    #: per case, the configurations found on the way (the cuts): what the ranges are checked against
    found: list[list[Configuration]] = field(default_factory=list)
    #: with an aggregate: its share at the fit (None: not measured), and whether it is in range
    aggregate_share: float | None = None
    aggregate_holds: bool | None = None

    @property
    def total_gap(self) -> float:
        return sum(c.gap for c in self.cases)


@dataclass
class Fold:
    """Leave one cooperation out: fitted on the others, measured on it."""

    held_out: str
    values: dict[str, float]
    gap: float
    distance: Agreement
    #: what seta chose for the held-out case, and the observed configuration it is measured against
    found: Configuration = field(default_factory=dict)
    observed: Configuration = field(default_factory=dict)
    services: tuple[tuple[str, str], ...] = ()


@dataclass
class Calibration:
    figures: list[Figure]
    fit: Fit
    folds: list[Fold]
    within: float
    interrupted: bool = False
    aggregate: Aggregate | None = None


# -- cases ------------------------------------------------------------------------------------------


def cases_of(scenario: Scenario, observed: Observed) -> list[Case]:
    """The forward problems: a file that lists the region it speaks for (the seed's regions of 2007)
    is one case, pools and services kept in house alike; a file of pools alone (the tax offices) gives
    one case per pool, its members and partners."""
    if observed.region:
        codes = {*observed.covered, *(c for pool in observed.pools for c in _taking_part(pool))}
        return [_case(scenario, observed.name, codes, list(observed.pools), observed.domains)]
    return [_case(scenario, pool.name, _taking_part(pool), [pool], pool.domains) for pool in observed.pools]


def _taking_part(pool: ObservedPool) -> set[str]:
    """The pool's members and its partners."""
    return {*pool.members, *(code for code, _domains in pool.partner_places)}


def _case(scenario: Scenario, name: str, codes: set[str], pools: list[ObservedPool], domains: Sequence[str]) -> Case:
    case_scenario = replace(restrict(scenario, codes, name), solver=replace(scenario.solver, decompose="none"))
    instance = Instance(case_scenario)
    configuration = instance.status_quo()
    for pool in pools:
        # a host the file does not give: the case asks whether the grouping is optimal, not the seat
        hosts = [pool.host] if pool.host_given else [c for c in pool.members if c in instance.municipality_codes]
        ranked = []
        for host in hosts:
            choice = _with_pool(configuration, pool, host)
            evaluation = evaluate(instance, choice)
            ranked.append((bool(evaluation.violations), evaluation.objective, host, choice))
        configuration = min(ranked, key=lambda entry: entry[:3])[3]
    services = tuple((c, d) for c in instance.municipality_codes for d in domains)
    scale = evaluate(instance, instance.status_quo()).if_works["cost"]
    given = frozenset(p.host for p in pools if p.host_given)
    return Case(name, case_scenario, configuration, services, scale, any(not p.host_given for p in pools), given)


def _with_pool(configuration: Configuration, pool: ObservedPool, host: str) -> Configuration:
    placed = {(c, d): Placement(host, pool.structure) for c in pool.members for d in pool.domains}
    placed |= {(c, d): Placement(host, pool.structure) for c, domains in pool.partner_places for d in domains}
    return configuration | placed


# -- figures ----------------------------------------------------------------------------------------


def check_figures(scenario: Scenario, paths: Sequence[str], cases: Sequence[Case]) -> list[Figure]:
    """The figures to fit with their ranges, each checked (InputError with every problem at once):
    a valuation or joint-body figure of the scenario, with a plausible range that leaves room to fit."""
    problems: list[Problem] = []
    ranges = {u.path: (u.low, u.high) for u in scenario.uncertainty.figures}
    allowed = sorted({f"{s}.{k}" if s not in ("domains", "structures") else f"{s}.*.{k}" for s, k in FITTABLE})
    figures = []
    for path in dict.fromkeys(paths):
        parts = path.split(".")
        key = (parts[0], parts[-1])
        shape_ok = len(parts) == (3 if parts[0] in ("domains", "structures") else 2)
        if key not in FITTABLE or not shape_ok:
            problems.append(
                Problem(
                    f"--fit {path}",
                    says(
                        "not a valuation or joint-body figure seta can fit; expected one of: ",
                        "geen waardering of kengetal van een gemeenschappelijk orgaan dat seta kan fitten; "
                        "verwacht een van: ",
                    )
                    + ", ".join(allowed),
                )
            )
            continue
        try:
            value = figure_value(scenario, path)
        except StopIteration:
            problems.append(Problem(f"--fit {path}", not_in_play(parts[1], scenario.name)))
            continue
        if value is None or path not in ranges:
            problems.append(
                Problem(
                    f"--fit {path}",
                    says(
                        "no plausible range to fit in (give one in the scenario's uncertainty: block, e.g. "
                        f"{path}: {{low: ..., high: ...}})",
                        "geen aannemelijk bereik om in te fitten (geef er een in het uncertainty:-blok van het "
                        f"scenario, bijv. {path}: {{low: ..., high: ...}})",
                    ),
                )
            )
            continue
        low, high = ranges[path]
        if not high > low:
            problems.append(
                Problem(
                    f"--fit {path}",
                    says(
                        f"its range {low:g}-{high:g} leaves nothing to fit",
                        f"het bereik {figure_text(low, 'nl')}-{figure_text(high, 'nl')} laat niets te fitten over",
                    ),
                )
            )
            continue
        figures.append(Figure(path, float(value), low, high, _is_linear(path, float(value), low, high, cases)))
    if not paths:
        problems.append(
            Problem(
                "--fit",
                says(
                    "nothing to fit (expected at least one figure)", "niets te fitten (verwacht minstens één kengetal)"
                ),
            )
        )
    if problems:
        raise InputError(problems)
    linear = [f for f in figures if f.linear]
    for a, b in _products(linear, cases):
        problems.append(
            Problem(
                says(f"--fit {a} and --fit {b}", f"--fit {a} en --fit {b}"),
                says(
                    "the objective holds their product: fit one of them (they are one lever)",
                    "de doelfunctie bevat hun product: fit er één (ze zijn één hefboom)",
                ),
            )
        )
    if sum(not f.linear for f in figures) > 2:
        problems.append(
            Problem(
                "--fit",
                says(
                    "at most two figures the objective is not linear in (each is a grid search)",
                    "hoogstens twee kengetallen waarin de doelfunctie niet lineair is "
                    "(elk is een zoektocht over een rooster)",
                ),
            )
        )
    if problems:
        raise InputError(problems)
    return figures


def _objective(scenario: Scenario, configuration: Configuration, values: dict[str, float]) -> float:
    return evaluate(Instance(with_values(scenario, values)), configuration).objective


def _probes(cases: Sequence[Case]) -> list[tuple[Scenario, Configuration]]:
    """Configurations to test linearity on: each case's observed configuration, its status quo, and
    everyone in one pool of each structure at its largest member (rules aside: only the objective's
    shape is asked), so that every criterion a figure can feed is in play."""
    probes = []
    for case in cases[:3]:
        instance = Instance(case.scenario)
        probes += [(case.scenario, case.observed), (case.scenario, instance.status_quo())]
        hosts = instance.municipality_codes
        host = max(hosts, key=lambda c: instance.municipality[c].population)
        for structure in instance.structures:
            probes.append(
                (case.scenario, {(c, d): Placement(host, structure) for c in instance.codes for d in instance.domains})
            )
    return probes


def _is_linear(path: str, value: float, low: float, high: float, cases: Sequence[Case]) -> bool:
    """The objective is affine in the figure: its second difference over the range vanishes."""
    points = (low, (low + high) / 2, high)
    for scenario, configuration in _probes(cases):
        f = [_objective(scenario, configuration, {path: p}) for p in points]
        if abs(f[0] - 2 * f[1] + f[2]) > 1e-6 * max(1.0, abs(f[1])):
            return False
    return True


def _products(figures: Sequence[Figure], cases: Sequence[Case]) -> list[tuple[str, str]]:
    """Pairs of linear figures whose mixed second difference does not vanish (a product in f)."""
    found = []
    for i, a in enumerate(figures):
        for b in figures[i + 1 :]:
            for scenario, configuration in _probes(cases):
                corner = {a.path: a.high, b.path: b.high}
                f11 = _objective(scenario, configuration, corner)
                f10 = _objective(scenario, configuration, {a.path: a.high, b.path: b.low})
                f01 = _objective(scenario, configuration, {a.path: a.low, b.path: b.high})
                f00 = _objective(scenario, configuration, {a.path: a.low, b.path: b.low})
                if abs(f11 - f10 - f01 + f00) > 1e-6 * max(1.0, abs(f00)):
                    found.append((a.path, b.path))
                    break
    return found


# -- the fit ----------------------------------------------------------------------------------------


@dataclass
class _Cuts:
    """The configurations found per case, with their affine objective in the linear figures."""

    configurations: list[list[Configuration]]

    def add(self, index: int, configuration: Configuration) -> bool:
        if configuration in self.configurations[index]:
            return False
        self.configurations[index].append(configuration)
        return True


def _affine(case: Case, configuration: Configuration, base: dict[str, float], linear: Sequence[Figure]) -> np.ndarray:
    """[f0, g_1, ..., g_k]: the objective at the base values and its slope in each linear figure."""
    f0 = _objective(case.scenario, configuration, base)
    row = [f0]
    for figure in linear:
        step = (figure.high - figure.low) / 2 or 1.0
        moved = _objective(case.scenario, configuration, {**base, figure.path: base[figure.path] + step})
        row.append((moved - f0) / step)
    return np.array(row)


def _inverse_lp(
    cases: Sequence[Case],
    observed_rows: list[np.ndarray],
    cut_rows: list[list[np.ndarray]],
    linear: Sequence[Figure],
    base: dict[str, float],
) -> tuple[dict[str, float], list[float]]:
    """The LP of the cutting-plane method, lexicographically: first the least sum of eps_r / N_r, then,
    among the theta that reach it, the one nearest the scenario's values (the fit moves a figure no
    further than the observations ask). Returns theta and eps (EUR a year)."""
    from scipy.optimize import linprog

    k, r = len(linear), len(cases)
    # variables: theta (k), eps (r), and |theta - value| as two parts (2k)
    n = k + r + 2 * k
    rows, rhs = [], []
    for j, (observed, found) in enumerate(zip(observed_rows, cut_rows, strict=True)):
        for row in found:
            # f0(obs) - f0(C) + sum (theta - base)(g(obs) - g(C)) <= eps
            a = np.zeros(n)
            slope = observed[1:] - row[1:]
            a[:k] = slope
            a[k + j] = -1.0
            rows.append(a)
            rhs.append(-(observed[0] - row[0]) + float(np.dot(slope, [base[f.path] for f in linear])))
    for i, figure in enumerate(linear):  # theta - value = plus - minus
        a = np.zeros(n)
        a[i], a[k + r + i], a[k + r + k + i] = 1.0, -1.0, 1.0
        rows += [a, -a]
        rhs += [figure.value, -figure.value]
    limits = [*((f.low, f.high) for f in linear), *([(0.0, None)] * (r + 2 * k))]
    gaps = np.zeros(n)
    gaps[k : k + r] = [1.0 / case.scale for case in cases]
    first = linprog(gaps, A_ub=np.array(rows), b_ub=np.array(rhs), bounds=limits, method="highs")
    if not first.success:
        raise RuntimeError(f"the inverse LP failed: {first.message}")
    nearness = np.zeros(n)
    for i, figure in enumerate(linear):
        nearness[k + r + i] = nearness[k + r + k + i] = 1.0 / (figure.high - figure.low)
    least = float(first.fun)
    second = linprog(
        nearness,
        A_ub=np.vstack([np.array(rows), gaps]),
        b_ub=np.array([*rhs, least + 1e-9 + 1e-9 * abs(least)]),
        bounds=limits,
        method="highs",
    )
    solved = second if second.success else first
    theta = {f.path: float(solved.x[i]) for i, f in enumerate(linear)}
    eps = [float(solved.x[k + j]) for j in range(r)]
    return theta, eps


@dataclass(frozen=True)
class Aggregate:
    """A share of all the scenario's municipalities that pool a domain, as practice counts it: the
    fit keeps it in range where the figures allow, by solving the whole scenario at each point of the
    outer search (the observed pools alone leave out every municipality that chose not to pool)."""

    scenario: Scenario
    domain: str
    low: float
    high: float

    def share(self, values: dict[str, float], executor: Executor | None, stop: StopFlag | None) -> float | None:
        scenario = with_values(self.scenario, values)
        result = optimize(scenario, executor=executor, stop=stop, explain_rejection=False)
        if result.configuration is None:
            return None
        return pooling_share(result.configuration, Instance(scenario).municipality_codes, self.domain)

    def holds(self, share: float | None) -> bool:
        return share is not None and self.low - 1e-9 <= share <= self.high + 1e-9


#: steps of bisection toward the edge of the aggregate's range, after the grid
EDGE_STEPS = 6


def fit(
    cases: Sequence[Case],
    figures: Sequence[Figure],
    options: SolverOptions,
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
    stop: StopFlag | None = None,
    label: str = "",
    aggregate: Aggregate | None = None,
) -> Fit:
    """The values of `figures` under which the cases' observed configurations are closest to optimal;
    with an aggregate, the least gap among the points of the outer search that keep it in range (where
    none does, the point nearest the range), the edge found by bisection on a single outer figure."""
    linear = [f for f in figures if f.linear]
    outer = [f for f in figures if not f.linear]
    cuts = _Cuts([[Instance(c.scenario).status_quo()] for c in cases])

    def at(point: tuple[float, ...]) -> Fit:
        fixed = {f.path: v for f, v in zip(outer, point, strict=True)}
        found = _inner(cases, linear, fixed, cuts, options, executor, progress, stop, label)
        if aggregate is not None and outer and not found.interrupted:
            found.aggregate_share = aggregate.share(found.values, executor, stop)
            if progress is not None:
                lang = language()
                shown = (
                    says("none", "geen") if found.aggregate_share is None else percent(found.aggregate_share, lang, 1)
                )
                where = f"{label}: " if label else ""
                progress(
                    says(
                        f"  {where}{_point_text(fixed)}: {aggregate.domain} pooled by {shown}",
                        f"  {where}{_point_text(fixed)}: {aggregate.domain} gepoold door {shown}",
                    )
                )
        return found

    points = list(product(*[_grid(f) for f in outer])) if outer else [()]
    tried: dict[tuple[float, ...], Fit] = {}
    for point in points:
        tried[point] = at(point)
        if tried[point].interrupted:
            break
    if aggregate is not None and len(outer) == 1 and not any(f.interrupted for f in tried.values()):
        _bisect_edge(tried, aggregate, at)
    best = min(tried.values(), key=lambda f: _rank(f, aggregate))
    best.rounds = sum(f.rounds for f in tried.values())  # the work of the whole search
    if aggregate is not None and outer:
        best.aggregate_holds = aggregate.holds(best.aggregate_share)
    return best


def _point_text(fixed: dict[str, float]) -> str:
    return ", ".join(f"{path.rsplit('.', 1)[-1]} {figure_text(value, language())}" for path, value in fixed.items())


def not_in_play(domain: str, scenario_name: str) -> str:
    return says(f"'{domain}' is not in play in {scenario_name}", f"'{domain}' speelt niet mee in {scenario_name}")


def _rank(found: Fit, aggregate: Aggregate | None) -> tuple[float, float]:
    """Admissible points first (by how far the aggregate lies outside its range), then the least gap."""
    if aggregate is None or found.aggregate_share is None:
        return (0.0 if aggregate is None else math.inf, found.total_gap)
    share = found.aggregate_share
    outside = max(0.0, aggregate.low - share, share - aggregate.high)
    return (outside, found.total_gap)


def _bisect_edge(
    tried: dict[tuple[float, ...], Fit], aggregate: Aggregate, at: Callable[[tuple[float, ...]], Fit]
) -> None:
    """Between the best admissible grid point and a neighbour with a smaller gap that breaks the
    aggregate, the edge of the range by bisection: the observations pull one way, the aggregate holds
    them back."""
    for _ in range(EDGE_STEPS):
        ordered = sorted(tried)
        admissible = [p for p in ordered if aggregate.holds(tried[p].aggregate_share)]
        if not admissible:
            return
        best = min(admissible, key=lambda p: tried[p].total_gap)
        index = ordered.index(best)
        neighbours = [ordered[i] for i in (index - 1, index + 1) if 0 <= i < len(ordered)]
        better = [
            p
            for p in neighbours
            if not aggregate.holds(tried[p].aggregate_share) and tried[p].total_gap < tried[best].total_gap
        ]
        if not better:
            return
        target = min(better, key=lambda p: tried[p].total_gap)
        middle = ((best[0] + target[0]) / 2,)
        tried[middle] = at(middle)
        if tried[middle].interrupted:
            return


def _grid(figure: Figure) -> list[float]:
    """GRID points over the range, the scenario's own value among them where it lies inside."""
    points = [figure.low + (figure.high - figure.low) * i / (GRID - 1) for i in range(GRID)]
    if figure.low <= figure.value <= figure.high:
        nearest = min(range(GRID), key=lambda i: abs(points[i] - figure.value))
        points[nearest] = figure.value
    return points


def _solve_cases(
    cases: Sequence[Case], values: dict[str, float], options: SolverOptions, executor: Executor | None
) -> list[tuple[Configuration | None, bool]]:
    named = [(case.name, with_values(case.scenario, values), options) for case in cases]
    results = optimize_each(named, executor=executor or SerialExecutor())
    return [(result.configuration, result.report.status is Status.OPTIMAL) for _label, result in results]


def _inner(
    cases: Sequence[Case],
    linear: Sequence[Figure],
    fixed: dict[str, float],
    cuts: _Cuts,
    options: SolverOptions,
    executor: Executor | None,
    progress: Progress | None,
    stop: StopFlag | None,
    label: str,
) -> Fit:
    base = {**{f.path: f.value for f in linear}, **fixed}
    observed = [c.observed for c in cases]
    observed_rows = [_affine(c, c.observed, base, linear) for c in cases]
    values = dict(base)
    eps = [0.0] * len(cases)
    found: list[tuple[Configuration | None, bool]] = []
    rounds = 0
    interrupted = False
    while rounds < MAX_ROUNDS:
        rounds += 1
        cut_rows = [[_affine(c, cfg, base, linear) for cfg in cuts.configurations[j]] for j, c in enumerate(cases)]
        theta, eps = _inverse_lp(cases, observed_rows, cut_rows, linear, base)
        values = {**theta, **fixed}
        found = _solve_cases(cases, values, options, executor)
        added = 0
        for j, (case, (configuration, _proven)) in enumerate(zip(cases, found, strict=True)):
            if configuration is None:
                continue
            same = _groups(configuration, case.given_hosts) == _groups(observed[j], case.given_hosts)
            if case.free_hosts and configuration != observed[j] and same:
                # the same grouping at another seat: the file does not know the seat, so the grouping
                # stands, hosted where it costs least at these values
                observed[j] = configuration
                observed_rows[j] = _affine(case, configuration, base, linear)
                added += 1
                continue
            beaten = _objective(case.scenario, observed[j], values) - _objective(case.scenario, configuration, values)
            if beaten > eps[j] + CUT_TOLERANCE * case.scale and cuts.add(j, configuration):
                added += 1
        if progress is not None:
            where = f"{label}: " if label else ""
            fixed_text = "".join(f", {p.rsplit('.', 1)[-1]} {figure_text(v, language())}" for p, v in fixed.items())
            share = sum(e / c.scale for e, c in zip(eps, cases, strict=True))
            gaps = number(100 * share, 3, language())
            progress(
                says(
                    f"  {where}round {rounds}{fixed_text}: {added} observed pool(s) beaten beyond their gap, "
                    f"gaps {gaps} % of the cases' cash cost in all",
                    f"  {where}ronde {rounds}{fixed_text}: {added} waargenomen pool(s) voorbij hun afstand verslagen, "
                    f"afstanden samen {gaps} % van de kasuitgaven van de gevallen",
                )
            )
        if added == 0:
            break
        if stop is not None and stop.is_set():
            interrupted = True
            break
    case_fits = []
    for case, seen, (configuration, proven) in zip(cases, observed, found, strict=True):
        chosen = configuration if configuration is not None else seen
        gap = max(0.0, _objective(case.scenario, seen, values) - _objective(case.scenario, chosen, values))
        case_fits.append(
            CaseFit(case.name, gap / case.scale, chosen, agreement(chosen, seen, list(case.services)), proven, seen)
        )
    return Fit(
        values,
        case_fits,
        rounds,
        interrupted=interrupted,
        proven=all(c.proven for c in case_fits),
        found=[list(configurations) for configurations in cuts.configurations],
    )


def _groups(
    configuration: Configuration, seats: frozenset[str] = frozenset()
) -> set[tuple[str, str, str, frozenset[str]]]:
    """The pools of a configuration as (host, domain, structure, members), the host left out (blank)
    unless it is among `seats`, the hosts a file gives."""
    members: dict[tuple[str, str, str], set[str]] = {}
    for (code, domain), placement in configuration.items():
        if placement.structure != IN_HOUSE:
            members.setdefault((placement.host, placement.structure, domain), set()).add(code)
    return {
        (host if host in seats else "", domain, structure, frozenset(codes))
        for (host, structure, domain), codes in members.items()
    }


def ranges(
    cases: Sequence[Case], figures: Sequence[Figure], result: Fit, within: float
) -> dict[str, tuple[float, float]]:
    """For each linear figure, the least and largest value that keeps every case within `within` of
    optimal (a share of its cash cost) against the configurations found, the others free in their
    ranges and the non-linear ones at their fitted values."""
    from scipy.optimize import linprog

    linear = [f for f in figures if f.linear]
    base = {**{f.path: f.value for f in linear}, **{f.path: result.values[f.path] for f in figures if not f.linear}}
    found: dict[str, tuple[float, float]] = {}
    configurations = [[*cuts, cf.found] for cuts, cf in zip(result.found, result.cases, strict=True)]
    rows, rhs = [], []
    k = len(linear)
    for case, case_fit, configs in zip(cases, result.cases, configurations, strict=True):
        observed = _affine(case, case_fit.observed, base, linear)
        fitted = case_fit.gap
        for configuration in configs:
            row = _affine(case, configuration, base, linear)
            slope = observed[1:] - row[1:]
            # within `within` of optimal where the fit reaches that, else within `within` of its own gap:
            # a band around the fit, not an empty set, where the observations cannot all be optimal
            allowed = (fitted + within if fitted > within else within) * case.scale
            rows.append(slope)
            rhs.append(allowed - (observed[0] - row[0]) + float(np.dot(slope, [base[f.path] for f in linear])))
    box = [(f.low, f.high) for f in linear]
    for i, figure in enumerate(linear):
        ends = []
        for sign in (1.0, -1.0):
            cost = np.zeros(k)
            cost[i] = sign
            solved = linprog(cost, A_ub=np.array(rows), b_ub=np.array(rhs), bounds=box, method="highs")
            ends.append(float(solved.x[i]) if solved.success else math.nan)
        found[figure.path] = (ends[0], ends[1])
    return found


def leave_one_out(
    cases: Sequence[Case],
    figures: Sequence[Figure],
    options: SolverOptions,
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
    stop: StopFlag | None = None,
    fixed: dict[str, float] | None = None,
) -> list[Fold]:
    """Fit on all cases but one, measure on it: a case of fewer than two listed municipalities is no
    fold (nothing to pair), but it trains the others. `fixed` holds figures at given values in every
    fold (those an aggregate set: a property of the whole map, which leaving out one office does not
    change), the others refitted."""
    folds: list[Fold] = []
    if len(cases) < 2:  # nothing to train on without the one held out
        return folds
    for index, held in enumerate(cases):
        if len({c for c, _d in held.services}) < 2:
            continue
        if stop is not None and stop.is_set():
            break
        others = [c for j, c in enumerate(cases) if j != index]
        free = [f for f in figures if f.path not in (fixed or {})]
        if fixed:
            others = [replace(case, scenario=with_values(case.scenario, fixed)) for case in others]
        trained = fit(
            others,
            free,
            options,
            executor=executor,
            progress=progress,
            stop=stop,
            label=f"without {held.name}",
        )
        trained.values = {**(fixed or {}), **trained.values}
        [(configuration, _proven)] = _solve_cases([held], trained.values, options, executor)
        chosen = configuration if configuration is not None else held.observed
        same = _groups(chosen, held.given_hosts) == _groups(held.observed, held.given_hosts)
        seen = chosen if held.free_hosts and same else held.observed
        gap = _objective(held.scenario, seen, trained.values) - _objective(held.scenario, chosen, trained.values)
        distance = agreement(chosen, seen, list(held.services))
        folds.append(Fold(held.name, trained.values, max(0.0, gap) / held.scale, distance, chosen, seen, held.services))
    return folds


def pooled(folds: Sequence[Fold]) -> Agreement | None:
    """The distance over every held-out case at once: each fold's choice for its own members, against
    what they did. One office alone is one cluster, whose adjusted Rand index is 0 whenever it is not
    reproduced whole; pooled, the folds' offices tell each other apart, as on the map."""
    if not folds:
        return None
    found: Configuration = {}
    observed: Configuration = {}
    services: list[tuple[str, str]] = []
    for fold in folds:  # the cases' members are disjoint: an office's members are in no other case
        found |= {key: fold.found[key] for key in fold.services}
        observed |= {key: fold.observed[key] for key in fold.services}
        services += fold.services
    return agreement(found, observed, services)


def calibrate(
    scenario: Scenario,
    observed: Observed,
    paths: Sequence[str],
    options: SolverOptions,
    *,
    within: float = 0.01,
    folds: bool = True,
    executor: Executor | None = None,
    progress: Progress | None = None,
    stop: StopFlag | None = None,
    share: tuple[str, float, float] | None = None,
) -> Calibration:
    """Fit `paths` on the observed configuration, with ranges and (when asked) leave-one-out folds.
    `share` (domain, low, high): the share of all the scenario's municipalities that pool the domain,
    kept in range where a figure of the outer search allows (else reported beside the fit)."""
    cases = cases_of(scenario, observed)
    if not cases:
        raise InputError(
            [
                Problem(
                    observed.label,
                    says(
                        f"no observed pool lies in {scenario.name}: nothing to fit on",
                        f"geen waargenomen pool ligt in {scenario.name}: niets om op te fitten",
                    ),
                )
            ]
        )
    figures = check_figures(scenario, paths, cases)
    aggregate = None
    if share is not None:
        domain, low, high = share
        if domain not in {d.key for d in scenario.domains}:
            raise InputError([Problem(f"--share {domain}", not_in_play(domain, scenario.name))])
        aggregate = Aggregate(scenario, domain, low, high)
    if progress is not None:
        linear_word, grid_word = says("linear", "lineair"), says("grid", "rooster")
        kinds = ", ".join(f"{f.path} ({linear_word if f.linear else grid_word})" for f in figures)
        progress(
            says(
                f"Fitting {kinds} on {len(cases)} observed pools",
                f"{kinds} fitten op {len(cases)} waargenomen pools",
            )
        )
    result = fit(cases, figures, options, executor=executor, progress=progress, stop=stop, aggregate=aggregate)
    result.ranges = ranges(cases, figures, result, within)
    interrupted = result.interrupted or bool(stop is not None and stop.is_set())
    if aggregate is not None and result.aggregate_share is None and not interrupted:
        result.aggregate_share = aggregate.share(result.values, executor, stop)  # reported, not enforced
        result.aggregate_holds = aggregate.holds(result.aggregate_share)
    found_folds: list[Fold] = []
    if folds and not interrupted:
        if progress is not None:
            progress(says("Leaving one cooperation out at a time", "Steeds één samenwerking weglaten"))
        fixed = {f.path: result.values[f.path] for f in figures if not f.linear} if aggregate is not None else None
        found_folds = leave_one_out(
            cases, figures, options, executor=executor, progress=progress, stop=stop, fixed=fixed or None
        )
        interrupted = bool(stop is not None and stop.is_set())
    return Calibration(list(figures), result, found_folds, within, interrupted, aggregate)
