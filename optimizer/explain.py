"""Why this answer: runner-ups with their margins, near ties, and the figures that would flip it.

    explain(result, options)     for each chosen pool the best alternative host and structure (a
                                 re-solve with the choice forbidden), near ties, and for each decisive
                                 figure the value at which the recommended configuration changes

Every re-solve is a task on an executor (in this process or in worker processes). Margins are
differences of two solves' weighted objectives, each checked by the independent evaluator.

Flip points. Where a configuration's objective is linear in a figure (the weights, prices, shares),
the value at which the recommendation C* gives way is where its line crosses another configuration's:
the search solves at the far end of the range; if C* is still optimal there it is optimal throughout
(the best objective is concave in the figure, C*'s line is linear and touches it at both ends).
Otherwise it takes the nearest crossing with the configurations found so far and solves there: if C*
is still optimal at that point, that is the flip point; if not, the configuration found joins the
others and the nearest crossing moves closer. Where the objective is not linear in the figure (a
domain's cost-minimising scale), the evaluator locates the first point, on a 1 % grid, at which a
known configuration beats C*, and a solve on each side of it confirms the change; what a solve finds
on the way joins the known configurations.
"""

from __future__ import annotations

import math
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from inputs import schema
from inputs.labels import figure_words, language, name, says
from inputs.types import CRITERIA, DomainParams, Scenario, SolverOptions
from optimizer.control import Progress, StopFlag
from optimizer.evaluate import Evaluation, evaluate
from optimizer.executor import Ended, Executor, Outcome, SerialExecutor
from optimizer.formulation.model import Forbid
from optimizer.instance import IN_HOUSE, Configuration, Instance, Placement
from optimizer.result import quality_index, uncovered_days
from optimizer.solve import Status
from optimizer.task import Escalation, Solved, found_below, settled, solve_escalating, solve_task

#: a near tie, by default: an alternative within 2 % of the region's annual cash cost
TIE_SHARE = 0.02
#: weights are searched on 0-10 (the issue's range); other figures from a tenth to ten times their value
WEIGHT_RANGE = (0.0, 10.0)
SPAN = 10.0
#: precision of a searched flip point (relative)
STEP = 0.01
#: the work a re-solve of an explanation may do in a region of `SEED_SERVICES` services (more in
#: proportion for a larger one), in the solver's check-ins (`optimizer.control.Control.work_limit`:
#: about 20 to 60 a second here): a runner-up's margin is the answer to a question a council asks, a
#: flip search's step is one of many. Limits on work, not on seconds, so that the same inputs give
#: the same explanation on a busy machine and an idle one; only the user's --time-limit, on each
#: re-solve, is wall-clock. Measured on the Kempen (benchmarks/README.md, section 4): about what
#: 2.5 s and 0.4 s of an idle machine allowed before, and as many proven. A flip search's step starts
#: at the work it was first asked again with (12 x ESCALATE): most steps end within a few check-ins,
#: and a step that needs more than 12 spent its first try for nothing (Drechtsteden: 44 of 127).
RUNNER_UP_WORK = 100
RESOLVE_WORK = 96
SEED_SERVICES = 25
#: crossings tried before a linear search gives up (each one a solve)
MAX_ROUNDS = 12
#: a re-solve that stops at its work limit undecided (neither proven nor bounded past the question)
#: is asked again with ESCALATE times the work, at most ESCALATIONS times: a margin or flip point is
#: then proven wherever a little more work proves it, and only the hard ones cost more. Limits on
#: work still, so the answer repeats on any machine. A flip search's step, which starts at the work
#: of the first escalation, is asked again once less (at most 768 check-ins in the seed regions, as
#: before).
ESCALATE = 8
ESCALATIONS = 2


def _tries(work: int | None, escalations: int) -> tuple[int, ...] | None:
    """The work of each try of a re-solve that starts at `work` (None: one try without a limit)."""
    return None if work is None else tuple(work * ESCALATE**n for n in range(escalations + 1))


# -- what was chosen, and how other configurations place the same services --------------------------


@dataclass(frozen=True)
class Choice:
    """One chosen pool as a person counts it: a unit of one domain, or a body (shared service centre,
    one civil service) with its domains."""

    structure: str
    host: str
    domains: tuple[str, ...]
    members: tuple[str, ...]


@dataclass(frozen=True)
class Group:
    """Services placed alike: in house (host None), or in a pool of `structure` at `host`."""

    structure: str
    host: str | None
    domains: tuple[str, ...]
    members: tuple[str, ...]


def choices(instance: Instance, chosen: Evaluation) -> list[Choice]:
    """The chosen pools: one per unit of a one-domain structure, one per body of the others."""
    found = [
        Choice(u.structure, u.host, (u.domain,), u.members)
        for u in chosen.pools()
        if instance.structures[u.structure].scope == "domain"
    ]
    found += [Choice(b.structure, b.host, b.domains, b.members) for b in chosen.bodies]
    return found


def groups(instance: Instance, configuration: Configuration, services: Sequence[tuple[str, str]]) -> tuple[Group, ...]:
    """How `configuration` places `services`: grouped by where they go and who goes there together."""
    by_place: dict[tuple[str, str | None], dict[str, list[str]]] = {}
    for code, domain in services:
        placement = configuration[code, domain]
        host = None if placement.structure == IN_HOUSE else placement.host
        by_place.setdefault((placement.structure, host), {}).setdefault(domain, []).append(code)
    result = []
    for (structure, host), per_domain in by_place.items():
        by_members: dict[tuple[str, ...], list[str]] = {}
        for domain in instance.domains:
            if domain in per_domain:
                by_members.setdefault(tuple(sorted(per_domain[domain])), []).append(domain)
        for members, domains in by_members.items():
            result.append(Group(structure, host, tuple(domains), members))
    order = {code: n for n, code in enumerate(instance.codes)}
    return tuple(
        sorted(result, key=lambda g: (g.structure == IN_HOUSE, g.structure, str(g.host), order.get(g.members[0], 0)))
    )


def changed_services(before: Configuration, after: Configuration) -> list[tuple[str, str]]:
    return [service for service, placement in before.items() if after.get(service) != placement]


def _key(configuration: Configuration) -> frozenset[tuple[tuple[str, str], tuple[str, str]]]:
    return frozenset((service, (p.host, p.structure)) for service, p in configuration.items())


# -- one re-solve --------------------------------------------------------------------------------------


#: HiGHS for the many small re-solves of an explanation: its presolve costs four fifths of a seed
#: region's solve and gains nothing there (the root LP is tight), so it is left out
RESOLVE_TUNING = {"presolve": "off"}


def resolve(
    scenario: Scenario,
    options: SolverOptions,
    stop: StopFlag | None,
    forbid: Sequence[Forbid] = (),
    *,
    work: int | None,
    base: Scenario,
    start: Configuration | None = None,
    escalations: int | None = None,
    threshold: float | None = None,
) -> tuple[Solved, int]:
    """One re-solve of an explanation: `scenario` (the explained `base`, or it with figures changed)
    with `forbid` taken away, within at most `work` of the solver's check-ins, asked again with
    `ESCALATE` times the work, at most `escalations` (`ESCALATIONS`) times, while it is neither proven
    nor, with a `threshold`, settled against it (`optimizer.task.Escalation`); the answer, and the
    solver runs spent."""
    tries = _tries(work, ESCALATIONS if escalations is None else escalations)
    if tries is None:
        return solve_task(scenario, options, stop=stop, forbid=forbid, base=base, start=start, tuning=RESOLVE_TUNING), 1
    escalation = Escalation(tries, threshold)
    return solve_escalating(
        scenario, options, escalation, stop=stop, forbid=forbid, base=base, start=start, tuning=RESOLVE_TUNING
    )


# -- runner-ups ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RunnerUp:
    """The best configuration without one part of a chosen pool: its host, or its structure."""

    choice: Choice
    forbidden: Literal["host", "structure"]
    status: Status
    #: weighted objective and annual cash cost of the runner-up, minus the recommendation's
    margin: float | None
    cash_margin: float | None
    #: where the re-solve stopped early: the margin is at least this (the solver's bound)
    margin_at_least: float | None
    #: how the runner-up places the chosen pool's services
    instead: tuple[Group, ...]
    #: the margin is below the tie threshold
    near_tie: bool
    #: its re-solve was not settled when the wall-clock time limit ended it (its note depends on the
    #: machine: more time would settle it)
    timed_out: bool = False


@dataclass(frozen=True)
class RunnerUpTask:
    scenario: Scenario
    options: SolverOptions
    choice: Choice
    forbidden: Literal["host", "structure"]
    work: int | None = None


def _forbid(task: RunnerUpTask) -> Forbid:
    host = task.choice.host if task.forbidden == "host" else None
    return Forbid(task.choice.structure, frozenset(task.choice.domains), host)


def runner_up_task(task: RunnerUpTask, stop: StopFlag, progress: Progress | None = None) -> Solved:
    solved, _runs = resolve(task.scenario, task.options, stop, [_forbid(task)], work=task.work, base=task.scenario)
    return solved


# -- flip points ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figure:
    """A decisive figure: where it lives in a scenario (`key`, as `--set` writes it), its value, and
    the range searched."""

    key: str
    used: float
    low: float
    high: float
    linear: bool


def _within(spec: schema.Spec, low: float, high: float) -> tuple[float, float]:
    if spec.low is not None:
        low = max(low, spec.low)
    if spec.high is not None:
        high = min(high, spec.high)
    return low, high


def decisive_figures(instance: Instance) -> list[Figure]:
    """Each weight, each domain's cost-minimising scale, the matrix's coordination price, the cover
    premium (what a service standing empty costs, all domains together), each structure's quality
    share and its failure rate. A weight whose criterion cannot change (manageability without a priced
    matrix) is left out."""
    scenario = instance.scenario
    figures = []
    matrix = instance.matrix
    priced_matrix = matrix is not None and matrix.coordination_per_interface > 0
    for criterion in CRITERIA:
        if criterion == "manageability" and not priced_matrix:
            continue
        figures.append(Figure(f"weights.{criterion}", getattr(scenario.weights, criterion), *WEIGHT_RANGE, True))

    def spread(key: str, used: float, spec: schema.Spec, linear: bool) -> None:
        if used > 0:
            figures.append(Figure(key, used, *_within(spec, used / SPAN, used * SPAN), linear))

    for domain in instance.domains.values():
        if domain.fte_per_1000 > 0:
            spread(
                f"domains.{domain.key}.scale_inhabitants",
                domain.scale_inhabitants,
                schema.DOMAIN["scale_inhabitants"],
                False,
            )
    if matrix is not None:
        spread(
            f"structures.{matrix.key}.coordination_per_interface",
            matrix.coordination_per_interface,
            schema.STRUCTURE["coordination_per_interface"],
            True,
        )
    premiums = {d.cover_premium for d in instance.domains.values()}
    spread(
        "domains.*.cover_premium", premiums.pop() if len(premiums) == 1 else 1.0, schema.DOMAIN["cover_premium"], True
    )
    for structure in instance.structures.values():
        spread(
            f"structures.{structure.key}.quality_share",
            structure.quality_share,
            schema.STRUCTURE["quality_share"],
            True,
        )
    for structure in instance.structures.values():  # the risk: not linear (it runs for a share of the horizon)
        spread(
            f"structures.{structure.key}.failure_rate",
            structure.failure_rate,
            schema.STRUCTURE["failure_rate"],
            False,
        )
    return figures


def with_figure(scenario: Scenario, figure: Figure, value: float) -> Scenario:
    """`scenario` with the figure at `value` (the cover premium of every domain scaled together)."""
    section, *rest = figure.key.split(".")
    if section == "weights":
        return replace(scenario, weights=replace(scenario.weights, **{rest[0]: value}))
    if section == "domains":
        which, field_name = rest
        factor = value / figure.used

        def changed(domain: DomainParams) -> DomainParams:
            figures: dict[str, Any] = {field_name: value if which != "*" else getattr(domain, field_name) * factor}
            return replace(domain, **figures)

        domains = tuple(changed(d) if which in ("*", d.key) else d for d in scenario.domains)
        return replace(scenario, domains=domains)
    which, field_name = rest
    figures: dict[str, Any] = {field_name: value}
    structures = tuple(replace(s, **figures) if s.key == which else s for s in scenario.structures)
    return replace(scenario, structures=structures)


@dataclass(frozen=True)
class Flip:
    """Where the recommendation changes when one figure moves in one direction (None: not within the
    range searched)."""

    figure: Figure
    direction: Literal["down", "up"]
    searched_to: float
    at: float | None
    #: how the configuration after the flip places the services that change
    to: tuple[Group, ...]
    #: False when a solve on the way stopped early, undecided: the point is then not proven
    proven: bool
    solves: int
    #: the wall-clock time limit, not the limit on work, ended a solve on the way: the point and what
    #: the advice flips to depend on the machine, and more time would settle them
    timed_out: bool = False


@dataclass(frozen=True)
class FlipTask:
    scenario: Scenario
    options: SolverOptions
    figure: Figure
    direction: Literal["down", "up"]
    chosen: Configuration
    #: configurations known before the search (the status quo, the recommendation less one pool)
    seeds: tuple[Configuration, ...] = ()
    #: the work each of its solves may do (RESOLVE_WORK)
    work: int | None = None


class _Search:
    """The state of one flip search: the known configurations and the solves spent."""

    def __init__(self, task: FlipTask, stop: StopFlag) -> None:
        self.task = task
        self.stop = stop
        chosen = _key(task.chosen)
        self.known = {_key(c): c for c in task.seeds if _key(c) != chosen}
        self.solves = 0
        self.proven = True
        self.timed_out = False
        self._instances: dict[float, Instance] = {}

    def instance(self, value: float) -> Instance:
        found = self._instances.get(value)
        if found is None:
            found = self._instances[value] = Instance(with_figure(self.task.scenario, self.task.figure, value))
        return found

    def objective(self, configuration: Configuration, value: float) -> float:
        return evaluate(self.instance(value), configuration).objective

    def known_beat(self, value: float) -> Configuration | None:
        """The known configuration that beats the recommendation most at `value` (the evaluator's
        figures, exact), or None."""
        reference = self.objective(self.task.chosen, value)
        best: tuple[float, Configuration] | None = None
        for configuration in self.known.values():
            objective = self.objective(configuration, value)
            if objective < reference - _tolerance(reference) and (best is None or objective < best[0]):
                best = (objective, configuration)
        return None if best is None else best[1]

    def beaten_at(self, value: float) -> bool:
        """Whether some configuration beats the recommendation at `value`: the best there, solved (it
        joins the known configurations if it beats the recommendation). A solve that stops at its
        limit without one and with a bound below the recommendation leaves the answer unproven (no).
        (Asking only for a better configuration, the objective as a row, was slower with the pool
        formulation, whose optimum is cheap: 8.4 s against 6.7 s on the Kempen, and as often proven.)"""
        reference = self.objective(self.task.chosen, value)
        threshold = reference - _tolerance(reference)
        # a fresh model for each value: one built for 0 leaves out what 0 switches off, and is easier
        scenario = with_figure(self.task.scenario, self.task.figure, value)
        task = self.task
        solved, runs = resolve(
            scenario,
            task.options,
            self.stop,
            work=task.work,
            base=task.scenario,
            start=task.chosen,
            escalations=max(0, ESCALATIONS - 1),
            threshold=threshold,
        )
        self.solves += runs
        # a solve the clock ended may also have found another configuration, or none, with more time
        self.timed_out = self.timed_out or solved.report.timed_out
        if found_below(solved, threshold):
            assert solved.configuration is not None
            self.known.setdefault(_key(solved.configuration), solved.configuration)
            return True
        if not settled(solved, threshold):
            self.proven = False
        return False

    def flip(self, at: float | None, to: Configuration | None) -> Flip:
        task = self.task
        end = task.figure.low if task.direction == "down" else task.figure.high
        shown = () if to is None else groups(self.instance(end), to, changed_services(task.chosen, to))
        return Flip(task.figure, task.direction, end, at, shown, self.proven, self.solves, self.timed_out)


def _tolerance(value: float) -> float:
    return 1e-6 * max(1.0, abs(value)) + 1e-3


def flip_task(task: FlipTask, stop: StopFlag, progress: Progress | None = None) -> Flip:
    """Where the recommendation changes as the figure moves from its value to the end of its range."""
    search = _Search(task, stop)
    figure = task.figure
    end = figure.low if task.direction == "down" else figure.high
    if search.known_beat(end) is None and not search.beaten_at(end):
        return search.flip(None, None)
    if figure.linear:
        return _linear_flip(search, end)
    return _searched_flip(search, end)


def _linear_flip(search: _Search, end: float) -> Flip:
    """Crossings of the recommendation's line with the known configurations', nearest first."""
    task = search.task
    start = task.figure.used
    chosen_start, chosen_end = search.objective(task.chosen, start), search.objective(task.chosen, end)
    for _ in range(MAX_ROUNDS):
        nearest: tuple[float, Configuration] | None = None
        for configuration in search.known.values():
            ahead = search.objective(configuration, start) - chosen_start
            behind = search.objective(configuration, end) - chosen_end
            if behind >= -_tolerance(chosen_end):
                continue
            share = max(0.0, ahead) / (max(0.0, ahead) - behind)
            if nearest is None or share < nearest[0]:
                nearest = (share, configuration)
        if nearest is None:  # only when a solve stopped early; say what was found
            return search.flip(None, None)
        share, configuration = nearest
        point = start + share * (end - start)
        if not search.beaten_at(point):
            return search.flip(point, configuration)
        if search.stop.is_set():
            break
    return search.flip(None, None)


def _grid(start: float, end: float) -> list[float]:
    """Points from `start` (excluded) to `end` (included) a factor 1 + STEP apart (or STEP x the range
    apart from 0)."""
    if start > 0 and end > 0:
        count = max(1, math.ceil(abs(math.log(end / start)) / math.log(1 + STEP)))
        return [start * (end / start) ** (k / count) for k in range(1, count + 1)]
    count = math.ceil(1 / STEP)
    return [start + (end - start) * k / count for k in range(1, count + 1)]


def _searched_flip(search: _Search, end: float) -> Flip:
    """The first grid point at which a known configuration beats the recommendation (the evaluator's
    figures), confirmed by a solve at the point before it, where the recommendation must still be
    optimal; what that solve finds instead joins the known configurations."""
    task = search.task
    grid = _grid(task.figure.used, end)
    for _ in range(MAX_ROUNDS):
        first = _first_beaten(search, grid)
        if first is None:
            return search.flip(None, None)
        beater = search.known_beat(grid[first])  # the evaluator's figures: beaten for certain there
        if first == 0 or not search.beaten_at(grid[first - 1]):
            return search.flip(grid[first], beater)
        if search.stop.is_set():
            break
    return search.flip(None, None)


def _first_beaten(search: _Search, grid: list[float]) -> int | None:
    """Index of the first grid point where a known configuration beats the recommendation: a coarse
    scan (every tenth point), then the points of the first coarse step that holds one."""

    def beaten(index: int) -> bool:
        return search.known_beat(grid[index]) is not None

    coarse = list(range(9, len(grid), 10))
    if not coarse or coarse[-1] != len(grid) - 1:
        coarse.append(len(grid) - 1)
    previous = -1
    for index in coarse:
        if beaten(index):
            return next(k for k in range(previous + 1, index + 1) if beaten(k))
        previous = index
    return None


# -- cash alone -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CashAloneTask:
    """The scenario solved on cash alone (every weight but cost at 0): what the valuations change."""

    scenario: Scenario
    options: SolverOptions
    work: int | None = None


@dataclass(frozen=True)
class CashAlone:
    """The best configuration on cash alone, judged by the evaluator under the scenario's own weights,
    against the recommendation: what the recommendation pays in cash for what the valuations buy."""

    status: Status
    #: its pools (and services kept in house) as groups; the same as the recommendation's or not
    pools: tuple[Group, ...]
    same: bool
    #: its annual cash change against the status quo, expected with the risk, and if it works
    cash_change_eur: float
    cash_change_if_works_eur: float
    #: the recommendation's expected annual cash cost minus this one's (what the valuations cost)
    extra_cash_eur: float
    #: the recommendation minus this one: quality index (0-100), days without staff, and each
    #: valuation criterion, weighted (EUR-equivalent a year; negative is better)
    quality_index: float
    uncovered_days: float
    valuations: dict[str, float]


def cash_alone_task(task: CashAloneTask, stop: StopFlag, progress: Progress | None = None) -> Solved:
    cash_only = replace(task.scenario.weights, **{c: 0.0 for c in CRITERIA if c != "cost"}, cost=1.0)
    cash = replace(task.scenario, weights=cash_only)
    solved, _runs = resolve(cash, task.options, stop, work=task.work, base=task.scenario)
    return solved


def _cash_alone(
    instance: Instance, chosen: Evaluation, configuration: Configuration, baseline: Evaluation, solved: Solved
) -> CashAlone | None:
    if solved.configuration is None:
        return None
    other = evaluate(instance, solved.configuration)
    weights = instance.scenario.weights
    pooled = [service for service, placement in solved.configuration.items() if placement.structure != IN_HOUSE]
    return CashAlone(
        status=solved.status,
        pools=groups(instance, solved.configuration, pooled),
        same=_key(solved.configuration) == _key(configuration),
        cash_change_eur=other.criteria["cost"] - baseline.criteria["cost"],
        cash_change_if_works_eur=other.if_works["cost"] - baseline.criteria["cost"],
        extra_cash_eur=chosen.criteria["cost"] - other.criteria["cost"],
        quality_index=quality_index(instance, chosen) - quality_index(instance, other),
        uncovered_days=uncovered_days(chosen) - uncovered_days(other),
        valuations={c: getattr(weights, c) * (chosen.criteria[c] - other.criteria[c]) for c in CRITERIA if c != "cost"},
    )


# -- the whole explanation -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Explanation:
    runner_ups: tuple[RunnerUp, ...]
    flips: tuple[Flip, ...]
    #: a near tie: an alternative within this many EUR a year (`tie_share` of the annual cash cost)
    tie_eur: float
    tie_share: float
    seconds: float
    solves: int
    #: tasks that raised or were stopped, by label with the reason (never a silently shorter table)
    failed: tuple[str, ...] = field(default_factory=tuple)
    #: the best configuration on cash alone, against the recommendation (None: its solve failed)
    cash_alone: CashAlone | None = None
    #: tasks (by label) one of whose re-solves the wall-clock time limit ended before its limit on work
    #: did: the only parts whose answer depends on the machine's speed and load
    timed_out: tuple[str, ...] = field(default_factory=tuple)
    #: the time limit each re-solve had (seconds)
    time_limit: float | None = None

    @property
    def near_ties(self) -> tuple[RunnerUp, ...]:
        return tuple(r for r in self.runner_ups if r.near_tie)


def explain(
    instance: Instance,
    chosen: Evaluation,
    configuration: Configuration,
    baseline: Evaluation,
    options: SolverOptions,
    *,
    tie_share: float = TIE_SHARE,
    solve_work: int | None = None,
    runner_up_work: int | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> Explanation:
    """Runner-ups for every chosen pool (a re-solve of at most `runner_up_work` of the solver's
    check-ins each) and flip points for every decisive figure (re-solves of at most `solve_work`;
    both by default in proportion to the region's size); a solve stopped at its limit undecided is
    asked again with more work (`ESCALATE`, `ESCALATIONS`), and one still undecided leaves its answer
    marked unproven. Each re-solve also stops at the options' time limit, the one wall-clock
    bound."""
    started = time.perf_counter()
    runner = executor or SerialExecutor()
    scenario = instance.scenario
    picked = choices(instance, chosen)
    scale = max(1.0, len(instance.codes) * len(instance.domains) / SEED_SERVICES)
    solve_work = round(RESOLVE_WORK * scale) if solve_work is None else solve_work
    runner_up_work = round(RUNNER_UP_WORK * scale) if runner_up_work is None else runner_up_work
    seeds = tuple(_seeds(instance, configuration, picked))
    # labels in words: they are the progress lines and the reasons a part stays unexplained
    lang = language()  # the run's: these labels are its progress lines
    up_tasks = [
        (
            says(
                f"without the {name(c.structure)} at {instance.municipality[c.host].name}",
                f"zonder de {name(c.structure, lang)} in {instance.municipality[c.host].name}",
            )
            if how == "host" and c.host in instance.municipality
            else says(
                f"without the {name(c.structure)} for {', '.join(name(d) for d in c.domains)}",
                f"zonder de {name(c.structure, lang)} voor {', '.join(name(d, lang) for d in c.domains)}",
            ),
            RunnerUpTask(scenario, options, c, how, runner_up_work),
        )
        for c in picked
        for how in ("host", "structure")
    ]
    flip_tasks = [
        (
            f"{figure_words(f.key, lang)}, "
            + (says("lower", "lager") if direction == "down" else says("higher", "hoger")),
            FlipTask(scenario, options, f, direction, configuration, seeds, solve_work),
        )
        for f in decisive_figures(instance)
        for direction in ("down", "up")
        if (f.low < f.used if direction == "down" else f.high > f.used)
    ]
    tie_eur = tie_share * baseline.criteria["cost"]
    tasks: list[tuple[str, RunnerUpTask | FlipTask | CashAloneTask]] = [
        (says("on cash alone", "alleen op geld"), CashAloneTask(scenario, options, runner_up_work)),
        *up_tasks,
        *flip_tasks,
    ]
    # the likely long tasks first, so that no core waits alone for one at the end; the answers are
    # each task's own, in the order of `tasks`
    coordinated = {s.key for s in instance.structures.values() if s.coordinated}
    order = sorted(range(len(tasks)), key=lambda n: _later(tasks[n][1], picked, coordinated))
    ran = runner.run(_explain_task, [tasks[n] for n in order], progress, _describe)
    outcomes = [outcome for _n, outcome in sorted(zip(order, ran, strict=True), key=lambda pair: pair[0])]
    failed = tuple(f"{o.label} ({_why_not(o)})" for o in outcomes if o.value is None)
    runner_ups, flips, solves, timed_out = [], [], 0, []
    cash_alone = None
    for (label, task), outcome in zip(tasks, outcomes, strict=True):
        value = outcome.value
        if value is None:
            continue
        if isinstance(task, CashAloneTask):
            assert isinstance(value, Solved)
            solves += 1
            cash_alone = _cash_alone(instance, chosen, configuration, baseline, value)
            if value.status is not Status.OPTIMAL and value.report.timed_out:
                timed_out.append(label)
            continue
        if isinstance(value, Flip):
            flips.append(value)
            solves += value.solves
            if value.timed_out:
                timed_out.append(label)
            continue
        assert isinstance(task, RunnerUpTask)
        solves += 1
        runner_ups.append(_runner_up(instance, chosen, configuration, task, value, tie_eur))
        if runner_ups[-1].timed_out:
            timed_out.append(label)
    return Explanation(
        tuple(runner_ups),
        tuple(flips),
        tie_eur,
        tie_share,
        time.perf_counter() - started,
        solves,
        failed,
        cash_alone,
        tuple(timed_out),
        options.time_limit,
    )


def _later(task: RunnerUpTask | FlipTask | CashAloneTask, picked: Sequence[Choice], coordinated: set[str]) -> bool:
    """Whether a task is likely short: a flip search of a domain's figure or of a structure the
    recommendation does not use. The weights and the figures of its own structures are where the
    recommendation sits near a tie, and their checks are the long ones (on the Kempen: two thirds of
    the time in 9 of 47 tasks). So are those of a structure whose units coordinate (the matrix), used
    or not: moving one towards it opens the search over who hosts it (on three of the workshop's
    Kempen settings, the longest or second longest task, 0.5-0.8 s, had been left to the end, and one
    core waited alone for it)."""
    if not isinstance(task, FlipTask):
        return False
    section, *rest = task.figure.key.split(".")
    early = {c.structure for c in picked} | coordinated
    return section != "weights" and not (section == "structures" and rest[0] in early)


def _seeds(instance: Instance, configuration: Configuration, picked: Sequence[Choice]) -> list[Configuration]:
    """Configurations a flip search knows from the start: the status quo, and the recommendation
    with one of its pools back in house, where the rules allow it."""
    candidates = [instance.status_quo()]
    for choice in picked:
        without = dict(configuration)
        for domain in choice.domains:
            for code in choice.members:
                without[code, domain] = Placement(code, IN_HOUSE)
        candidates.append(without)
    return [c for c in candidates if not evaluate(instance, c).violations]


def _explain_task(
    task: RunnerUpTask | FlipTask | CashAloneTask, stop: StopFlag, progress: Progress | None = None
) -> Solved | Flip:
    if isinstance(task, RunnerUpTask):
        return runner_up_task(task, stop, progress)
    if isinstance(task, CashAloneTask):
        return cash_alone_task(task, stop, progress)
    return flip_task(task, stop, progress)


def _why_not(outcome: Outcome[Solved | Flip]) -> str:
    """Why a task of the explanation has no answer, in a few words: never a bare label."""
    if outcome.error is not None:
        return f"failed: {type(outcome.error).__name__}: {outcome.error}"
    if outcome.ended is None:
        return "no answer"
    return {
        Ended.STOPPED: "stopped by Ctrl-C",
        Ended.OVERRAN: "ran past the run's limit",
        Ended.LOST: "lost with the Dask cluster",
    }[outcome.ended]


def _describe(value: Solved | Flip) -> str:
    if isinstance(value, Flip):
        if value.at is None:
            return says("no change in range", "geen omslag binnen het bereik")
        return says(f"changes at {value.at:.4g}", f"slaat om bij {value.at:.4g}".replace(".", ","))
    return name(str(value.status), language())


def _runner_up(
    instance: Instance,
    chosen: Evaluation,
    configuration: Configuration,
    task: RunnerUpTask,
    solved: Solved,
    tie_eur: float,
) -> RunnerUp:
    if solved.configuration is None or solved.objective is None or solved.cash is None:
        return RunnerUp(
            task.choice, task.forbidden, solved.status, None, None, None, (), False, solved.report.timed_out
        )
    services = [(code, domain) for domain in task.choice.domains for code in task.choice.members]
    margin = solved.objective - chosen.objective
    at_least = None
    if solved.status is not Status.OPTIMAL and solved.bound is not None and math.isfinite(solved.bound):
        at_least = max(0.0, solved.bound - chosen.objective)
    return RunnerUp(
        task.choice,
        task.forbidden,
        solved.status,
        margin,
        solved.cash - chosen.criteria["cost"],
        at_least,
        groups(instance, solved.configuration, services),
        margin < tie_eur,
        solved.status is not Status.OPTIMAL and solved.report.timed_out,
    )
