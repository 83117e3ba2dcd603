"""Why this order: what a pathway loses when a step comes a year later, and what flips the order.

    explain_pathway(pathway, options, ...) -> PathwayExplanation

Delays. For each step of the plan (a pool that starts, or that a move makes, in year t) the pathway
MIP is solved again with that pool kept from running in years 1..t (an upper bound of 0 on its run
variables): the best plan in which it comes at least a year later, the rest of the plan free to
follow. The NPV lost is that plan's weighted present value less the plan's, both costed by
`optimizer.pathway.account`; only a proven re-solve gives one. A delay the rules do not allow (the
end state needs the pool by year N, or the caps leave no room) says so.

Flips. The order of a plan is the set of its steps (year, pool). For the discount rate (searched on
RATE_RANGE) and the region's cap on changes a year (from 1 to no cap), the search solves at the far
end of the range: the same order there says that it does not change within the range (as far as
bisection tells: an order that changes and changes back is not seen); else bisection between the
used value and that end brackets the value at which it changes, to RATE_STEP or one change. Only
proven solves move a bracket: a solve stopped at its work limit ends the search with the bracket it
has, marked so.

Limits on work, not on seconds: each re-solve may do at most `work` of the solver's check-ins
(`optimizer.control.Control.work_limit`; by default WORK_FACTOR times what the plan itself took, at
least MIN_WORK), so that the same inputs give the same explanation on a busy machine and an idle
one; only the options' `time_limit`, on each re-solve, is wall-clock. The re-solves are tasks on an
executor (this process, or worker processes).
"""

from __future__ import annotations

import copy
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Literal

from inputs.types import Scenario, SolverOptions
from optimizer.control import Progress, StopFlag
from optimizer.executor import Ended, Executor, Outcome, SerialExecutor
from optimizer.instance import Configuration, Instance
from optimizer.pathway import Figures, Pathway, Plan, Pool, Settings, _Model, solve_plan
from optimizer.solve import SolverReport, Status
from optimizer.task import study_control

#: the discount rates a flip search looks at (the issue: 0-10 %), and its precision
RATE_RANGE = (0.0, 0.10)
RATE_STEP = 0.0005
#: the work of one re-solve: WORK_FACTOR times the plan's own, at least MIN_WORK check-ins (about
#: 20 to 60 a second); the plan itself of Kempen from its 2007 matrix takes about 10
MIN_WORK = 200
WORK_FACTOR = 4
#: bisections of one flip search at most (a rate bracket of 10 % halves to RATE_STEP in 8)
MAX_BISECTIONS = 12

#: a step of a plan: in year t, this pool starts (or a pool moves to it)
Step = tuple[int, Pool]
Figure = Literal["economics.discount_rate", "limits.max_changes_per_year"]
PROVEN = (Status.OPTIMAL, Status.INFEASIBLE)


def steps_of(plan: Plan) -> tuple[Step, ...]:
    """The plan's steps in order: each year's starts and moves."""
    found = [(year.year, pool) for year in plan.years for pool in year.started]
    found += [(year.year, after) for year in plan.years for _before, after in year.moved]
    return tuple(sorted(found, key=lambda step: (step[0], step[1].describe())))


@dataclass(frozen=True)
class PlanInputs:
    """What a re-solve needs, sent to a worker whole: the pathway's own inputs and what it found."""

    scenario: Scenario
    today: Configuration
    target: Configuration | None
    candidates: tuple[Pool, ...]
    settings: Settings
    options: SolverOptions
    steps: frozenset[Step]
    npv_weighted: float
    npv_cash: float
    work: int | None
    #: the plan's most changes in one year: a cap at which it is still the best (it keeps it)
    most_changes: int
    #: names the figures of these inputs in a process's cache (`_figures`)
    token: str


@dataclass(frozen=True)
class DelayTask:
    inputs: PlanInputs
    year: int
    pool: Pool


@dataclass(frozen=True)
class FlipTask:
    inputs: PlanInputs
    figure: Figure
    direction: Literal["down", "up"]
    #: the value the plan was made with (a cap of None: no cap, taken as the plan's most changes a year)
    used: float
    #: the far end of the range (None: no cap)
    end: float | None


@dataclass(frozen=True)
class Delay:
    """What the plan loses when a step comes at least a year later."""

    year: int
    pool: Pool
    status: Status
    #: the delayed plan's weighted and cash present value less the plan's (None: no proven answer)
    lost_weighted: float | None = None
    lost_cash: float | None = None
    #: the first year the pool runs in the delayed plan (None: not within the horizon)
    comes: int | None = None
    #: why there is no figure: 'infeasible' (the rules leave no room for the delay), 'stopped'
    #: (Ctrl-C), or the solve's status where it was not proven
    reason: str = ""
    #: not proven because the wall-clock time limit ended its solve (not its limit on work): the one
    #: answer that may read otherwise on another machine
    timed_out: bool = False


@dataclass(frozen=True)
class OrderFlip:
    """Where the order of the plan changes as one figure moves from its value towards an end."""

    figure: Figure
    direction: Literal["down", "up"]
    used: float
    end: float | None
    #: the value nearest the end at which a proven solve kept the order
    same_at: float
    #: the value nearest `same_at` at which a proven solve changed it (None: no change within the range)
    changes_at: float | None
    solves: int
    #: False where a solve on the way was not proven: the bracket is what the proven ones gave
    narrowed: bool = True
    #: no plan at `changes_at` (the rules leave none), rather than another order
    no_plan: bool = False
    #: the plan was made without a cap: `used` is its most changes a year, a cap it keeps
    uncapped: bool = False
    reason: str = ""
    #: a solve on the way was not proven because the wall-clock time limit ended it (not its limit on
    #: work): the bracket may read otherwise on another machine
    timed_out: bool = False


@dataclass(frozen=True)
class PathwayExplanation:
    delays: tuple[Delay, ...]
    flips: tuple[OrderFlip, ...]
    seconds: float
    solves: int
    work: int | None
    #: tasks without an answer: (label, why) with why 'stopped' (Ctrl-C), 'overran', or the error
    failed: tuple[tuple[str, str], ...] = ()


# -- one process's figures, computed once per pathway -----------------------------------------------

_FIGURES: dict[str, Figures] = {}


def _figures(inputs: PlanInputs, settings: Settings) -> Figures:
    """The evaluator's figures of the pathway's instance (kept for the next task of the same pathway),
    under `settings`: the figures of a pool do not depend on the rate or the caps."""
    known = _FIGURES.get(inputs.token)
    if known is None:
        _FIGURES.clear()
        known = _FIGURES[inputs.token] = Figures(Instance(inputs.scenario), inputs.settings)
    if settings == known.settings:
        return known
    varied = copy.copy(known)
    varied.settings = settings
    return varied


def _resolve(
    inputs: PlanInputs,
    stop: StopFlag,
    settings: Settings | None = None,
    shape: Callable[[_Model], None] | None = None,
) -> tuple[Plan | None, SolverReport]:
    figures = _figures(inputs, settings or inputs.settings)
    control = study_control(inputs.options, stop, work=inputs.work)
    plan, report, _rounds = solve_plan(
        figures, inputs.candidates, inputs.today, inputs.target, inputs.options, control, shape
    )
    return plan, report


def delay_task(task: DelayTask, stop: StopFlag, progress: Progress | None = None) -> Delay:
    """The best plan in which `task.pool` runs in none of the years 1..`task.year`."""
    inputs = task.inputs
    index = inputs.candidates.index(task.pool)

    def later(model: _Model) -> None:
        for year in range(1, task.year + 1):
            model.run[index, year].upBound = 0

    plan, report = _resolve(inputs, stop, shape=later)
    if report.interrupted:
        return Delay(task.year, task.pool, report.status, reason="stopped")
    if report.status is Status.INFEASIBLE:
        return Delay(task.year, task.pool, report.status, reason="infeasible")
    if plan is None or report.status is not Status.OPTIMAL:
        return Delay(task.year, task.pool, report.status, reason=report.describe(), timed_out=report.timed_out)
    comes = next((year.year for year in plan.years if task.pool in year.pools), None)
    return Delay(
        task.year,
        task.pool,
        report.status,
        plan.npv_weighted - inputs.npv_weighted,
        plan.npv_cash - inputs.npv_cash,
        comes,
    )


def _with(settings: Settings, figure: Figure, value: float | None) -> Settings:
    if figure == "economics.discount_rate":
        assert value is not None
        return replace(settings, discount_rate=value)
    return replace(settings, max_changes_per_year=None if value is None else round(value))


def flip_task(task: FlipTask, stop: StopFlag, progress: Progress | None = None) -> OrderFlip:
    """Bisection between the used value (the plan's order) and the end of the range."""
    inputs = task.inputs
    solves = 0
    timed_out = False

    def order_at(value: float | None) -> tuple[frozenset[Step] | None, Status, Plan | None]:
        nonlocal solves, timed_out
        solves += 1
        plan, report = _resolve(inputs, stop, _with(inputs.settings, task.figure, value))
        timed_out = timed_out or (report.status not in PROVEN and report.timed_out)
        return (frozenset(steps_of(plan)) if plan is not None else None), report.status, plan

    def flip(
        same: float, changes: float | None, narrowed: bool = True, no_plan: bool = False, reason: str = ""
    ) -> OrderFlip:
        uncapped = task.figure == "limits.max_changes_per_year" and inputs.settings.max_changes_per_year is None
        return OrderFlip(
            task.figure,
            task.direction,
            task.used,
            task.end,
            same,
            changes,
            solves,
            narrowed,
            no_plan,
            uncapped,
            reason,
            timed_out,
        )

    order, status, plan = order_at(task.end)
    if status not in PROVEN:
        return flip(task.used, None, narrowed=False, reason=f"the solve at the end of the range: {status.value}")
    if order == inputs.steps:
        return flip(task.end if task.end is not None else task.used, None)
    integer = task.figure == "limits.max_changes_per_year"
    if task.end is None:
        # without a cap the plan's most changes a year is a cap at which that plan is still the best
        assert plan is not None
        changes: float = max(year.change_count for year in plan.years)
    else:
        changes = task.end
    no_plan = order is None
    same = task.used
    narrowed = True
    for _ in range(MAX_BISECTIONS):
        if abs(changes - same) <= (1 if integer else RATE_STEP):
            break
        middle = (same + changes) / 2
        if integer:
            middle = float(int(middle)) if changes > same else float(-int(-middle))
        order, status, _plan = order_at(middle)
        if status not in PROVEN:
            narrowed = False
            break
        if order == inputs.steps:
            same = middle
        else:
            changes, no_plan = middle, order is None
    return flip(same, changes, narrowed=narrowed, no_plan=no_plan)


# -- the study ----------------------------------------------------------------------------------------


def plan_inputs(pathway: Pathway, options: SolverOptions, work: int | None = None) -> PlanInputs:
    """The pathway's inputs for its re-solves; `work` by default WORK_FACTOR times the plan's own."""
    plan = pathway.plan
    assert plan is not None
    if work is None:
        work = max(MIN_WORK, WORK_FACTOR * pathway.work_done)
    inputs = PlanInputs(
        pathway.instance.scenario,
        plan.today,
        pathway.target,
        pathway.candidates,
        pathway.settings,
        # a re-solve counts only when proven: a requested gap would stop it short of that
        replace(options, gap=0.0),
        frozenset(steps_of(plan)),
        plan.npv_weighted,
        plan.npv_cash,
        work,
        max((year.change_count for year in plan.years), default=0),
        uuid.uuid4().hex,
    )
    if pathway.figures is not None:  # this process has them: a serial run reuses them
        _FIGURES.clear()
        _FIGURES[inputs.token] = pathway.figures
    return inputs


def explanation_tasks(inputs: PlanInputs) -> list[DelayTask | FlipTask]:
    """A delay per step; the discount rate down to 0 and up to the top of RATE_RANGE, and the cap on
    changes a year down to 1 and (where there is one) up to no cap."""
    settings = inputs.settings
    steps = sorted(inputs.steps, key=_order)
    tasks: list[DelayTask | FlipTask] = [DelayTask(inputs, year, pool) for year, pool in steps]
    rate = settings.discount_rate
    low, high = RATE_RANGE
    if rate > low:
        tasks.append(FlipTask(inputs, "economics.discount_rate", "down", rate, low))
    if rate < high:
        tasks.append(FlipTask(inputs, "economics.discount_rate", "up", rate, high))
    cap = settings.max_changes_per_year
    if inputs.steps:
        if cap is None:
            tasks.append(FlipTask(inputs, "limits.max_changes_per_year", "down", inputs.most_changes, 1))
        else:
            if cap > 1:
                tasks.append(FlipTask(inputs, "limits.max_changes_per_year", "down", cap, 1))
            tasks.append(FlipTask(inputs, "limits.max_changes_per_year", "up", cap, None))
    return tasks


def _order(step: Step) -> tuple[int, str]:
    return step[0], step[1].describe()


def run_task(task: DelayTask | FlipTask, stop: StopFlag, progress: Progress | None = None) -> Delay | OrderFlip:
    if isinstance(task, DelayTask):
        return delay_task(task, stop, progress)
    return flip_task(task, stop, progress)


def explain_pathway(
    pathway: Pathway,
    options: SolverOptions,
    *,
    work: int | None = None,
    executor: Executor | None = None,
    progress: Progress | None = None,
    label: Callable[[DelayTask | FlipTask], str] = lambda task: type(task).__name__,
    describe: Callable[[Delay | OrderFlip], str] = str,
) -> PathwayExplanation:
    """The NPV lost by each step a year later, and where the discount rate and the change cap flip the
    order; each re-solve within `work` of the solver's check-ins and the options' time limit."""
    started = time.perf_counter()
    inputs = plan_inputs(pathway, options, work)
    tasks = explanation_tasks(inputs)
    runner = executor or SerialExecutor()
    outcomes: Sequence[Outcome[Delay | OrderFlip]] = runner.run(
        run_task, [(label(task), task) for task in tasks], progress, describe
    )
    delays = tuple(o.value for o in outcomes if isinstance(o.value, Delay))
    flips = tuple(o.value for o in outcomes if isinstance(o.value, OrderFlip))
    solves = len(delays) + sum(f.solves for f in flips)
    failed = tuple((o.label, _why_not(o)) for o in outcomes if o.value is None)
    return PathwayExplanation(delays, flips, time.perf_counter() - started, solves, inputs.work, failed)


def _why_not(outcome: Outcome[Delay | OrderFlip]) -> str:
    """'stopped', 'overran', 'lost', or the error a task raised (a seta bug: said as it is)."""
    if outcome.error is not None:
        return f"{type(outcome.error).__name__}: {outcome.error}"
    return str(outcome.ended or Ended.STOPPED)
