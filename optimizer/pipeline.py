"""The pipeline: screen, build, solve, check and explain a scenario, with every option passed in.

    optimize(scenario, options)          one scenario (split by province when options.decompose says so)
    optimize_each(named, ...)            several (compare, end states), each with its options: every
                                         solve, split parts included, goes to one executor (no nesting)

A solve runs as a `SolveTask` through `run_task` (`optimizer.task.solve_task`), in this process or in
a worker; the parent then evaluates the chosen configuration with the independent evaluator and assembles the `Result`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from inputs.labels import language, number, says
from inputs.problems import InputError
from inputs.types import Scenario, SolverOptions
from optimizer.control import Progress, StopFlag
from optimizer.decompose import Part, join_parts, no_whole_bound, screen_split, split_by_province
from optimizer.evaluate import Evaluation, evaluate
from optimizer.executor import (
    GRACE_S,
    Ended,
    Executor,
    Outcome,
    ProcessExecutor,
    SerialExecutor,
    Task,
    WorkerDied,
    local_executor,
    lost_reason,
    outcome_words,
)
from optimizer.instance import Configuration, Instance
from optimizer.result import ModelSize, Result
from optimizer.screens import screen
from optimizer.solve import (
    OPTIMAL_GAP,
    Status,
    no_solution_reason,
    relative_gap,
    report_without_solution,
)
from optimizer.task import Solved, solve_task

#: services (municipalities x domains) above which a whole model is solved in a worker process that
#: can be ended: the whole national model has 2,736, a province at most 448
BIG = 1_000


@dataclass(frozen=True)
class SolveTask:
    """One model to build and solve in this process or a worker: a whole scenario, or one part of a
    split one."""

    scenario: Scenario
    options: SolverOptions
    write_lp: Path | None = None
    #: a configuration to start the solver from (the provinces' joined answer)
    start: Configuration | None = None


def run_task(task: SolveTask, stop: StopFlag, progress: Progress | None = None) -> Solved:
    """`solve_task` for an executor: screened first, since a scenario's rules may rule it out."""
    return solve_task(
        task.scenario,
        task.options,
        stop=stop,
        progress=progress,
        write_lp=task.write_lp,
        start=task.start,
        screen_first=True,
    )


def _result(instance: Instance, baseline: Evaluation, solved: Solved) -> Result:
    chosen = None if solved.configuration is None else evaluate(instance, solved.configuration)
    return Result(
        instance,
        solved.configuration,
        chosen,
        baseline,
        solved.report,
        solved.size,
        solved.build_seconds,
        wrote_lp=solved.wrote_lp,
    )


def _best_rejected(scenario: Scenario, options: SolverOptions, stop: StopFlag, seconds: float) -> Evaluation | None:
    """When nothing pays, the best configuration that pools at least one service (to show the margin),
    within what is left of the time limit; only a proven best is shown as such."""
    if seconds < 0.5:
        return None
    solved = solve_task(scenario, replace(options, time_limit=seconds), stop=stop, require_pooling=True)
    if solved.status is not Status.OPTIMAL or solved.configuration is None:
        return None
    return evaluate(Instance(scenario), solved.configuration)


@dataclass(frozen=True)
class _Plan:
    """How one scenario of a study is solved: its tasks (one, or one per province) and how to join them."""

    label: str
    instance: Instance
    baseline: Evaluation
    options: SolverOptions
    parts: tuple[Part, ...] | None  # None: one model for the whole scenario


class RuledOut(Exception):
    """The scenario's own rules make it impossible, as a screen says before any solving: for one
    scenario that is bad input; in a study it is an option without a solution."""

    def __init__(self, error: InputError) -> None:
        super().__init__(str(error))
        self.error = error


def _plan(label: str, scenario: Scenario, options: SolverOptions) -> tuple[_Plan, list[tuple[str, SolveTask]]]:
    instance = Instance(scenario)
    try:
        screen(instance)
    except InputError as error:
        raise RuledOut(error) from error
    baseline = evaluate(instance, instance.status_quo())
    if options.decompose in ("province", "province+whole"):
        screen_split(scenario)
        parts = split_by_province(scenario)
        part_options = replace(options, decompose="none")
        tasks = [
            (f"{label}: {part.name}" if label else part.name, SolveTask(part.scenario, part_options)) for part in parts
        ]
        return _Plan(label, instance, baseline, options, tuple(parts)), tasks
    return _Plan(label, instance, baseline, options, None), [(label, SolveTask(scenario, options))]


def _finish(plan: _Plan, outcomes: Sequence[Outcome[Solved]], seconds: float) -> Result:
    for outcome in outcomes:
        if outcome.error is not None:
            raise outcome.error
    if plan.parts is None:
        outcome = outcomes[0]
        if outcome.value is None:
            if outcome.ended is Ended.OVERRAN:
                limit, spent = f"{plan.options.time_limit:g}", number(seconds, 0, language())
                reason = says(
                    f"the solver did not stop at the {limit} s time limit (it was in a step it cannot leave) "
                    f"and was ended after {spent} s",
                    f"de solver stopte niet bij de tijdslimiet van {limit} s (hij zat in een stap die hij niet kan "
                    f"verlaten) en is na {spent} s beëindigd",
                )
            elif outcome.ended is Ended.LOST:
                reason = lost_reason()
            else:
                reason = no_solution_reason("Interrupted", plan.options)
            # cut short either way: a study keeps what finished and leaves this one out
            stopped = outcome.ended in (Ended.STOPPED, Ended.LOST)
            report = report_without_solution(
                plan.options, Status.ERROR, reason, seconds, stopped, outcome.ended is Ended.OVERRAN
            )
            return Result(plan.instance, None, None, plan.baseline, report, ModelSize(0, 0, 0, ""), 0.0)
        return _result(plan.instance, plan.baseline, outcome.value)
    return join_parts(plan.instance, plan.baseline, plan.options, plan.parts, outcomes, seconds)


def _describe(solved: Solved) -> str:
    return solved.report.describe(language())


def optimize(
    scenario: Scenario,
    options: SolverOptions | None = None,
    *,
    progress: Progress | None = None,
    stop: StopFlag | None = None,
    write_lp: Path | None = None,
    explain_rejection: bool = True,
    executor: Executor | None = None,
) -> Result:
    """Screen, build, solve and evaluate one scenario; the status quo is evaluated as the baseline.

    `options` defaults to the scenario file's own. A scenario split by province solves its parts on
    `executor` (worker processes on every core by default); a whole one solves here, with progress."""
    options = options or scenario.solver
    serial = SerialExecutor(stop)
    try:
        plan, tasks = _plan("", scenario, options)
    except RuledOut as ruled:
        raise ruled.error from None
    started = time.perf_counter()
    if plan.parts is None:
        outcomes = _run(serial, [(label, replace(task, write_lp=write_lp)) for label, task in tasks], progress)
    else:
        if progress is not None:
            progress(
                says(
                    f"  solving {len(tasks)} provinces side by side", f"  {len(tasks)} provincies naast elkaar oplossen"
                )
            )
        if executor is not None:
            outcomes = _run(executor, tasks, progress)
        else:
            with local_executor(stop=serial.stop) as own:
                outcomes = _run(own, tasks, progress)
    result = _finish(plan, outcomes, time.perf_counter() - started)
    if options.decompose == "province+whole" and result.configuration is not None and not serial.stop.is_set():
        result = _whole_from(scenario, options, result, serial.stop, progress)
    if (
        explain_rejection
        and plan.parts is None
        and result.report.status is Status.OPTIMAL
        and result.chosen is not None
        and not result.chosen.pools()
    ):
        left = options.time_limit - (time.perf_counter() - started)
        result = replace(result, rejected=_best_rejected(plan.instance.scenario, options, serial.stop, left))
    return result


def _whole_from(
    scenario: Scenario, options: SolverOptions, split: Result, stop: StopFlag, progress: Progress | None
) -> Result:
    """The whole model, started from the provinces' joined answer: pools may cross borders, and its
    bound holds for the whole. Its answer replaces the provinces' only where it is better; either way
    the whole bound says how far the answer can be from the national optimum."""
    assert split.configuration is not None and split.chosen is not None and split.report.objective is not None
    if progress is not None:
        progress(
            says(
                "  the whole model, started from the provinces' answer (pools may cross borders)",
                "  het hele model, gestart vanuit het antwoord van de provincies (pools mogen grenzen overschrijden)",
            )
        )
    task = SolveTask(scenario, replace(options, decompose="none"), start=split.configuration)
    started = time.perf_counter()
    [outcome] = _run(SerialExecutor(stop), [("whole", task)], progress)
    if outcome.error is not None and not isinstance(outcome.error, SolveLost):
        raise outcome.error
    seconds = split.report.seconds + time.perf_counter() - started
    whole = outcome.value
    bound = whole.report.bound if whole is not None else None
    if whole is not None and whole.report.interrupted:
        bound = None  # a stop before the bound settled: the provinces' answer stands as it was
    if whole is None:  # ended (Ctrl-C, or it overran its limit in a step it cannot leave), or its process died twice
        if outcome.error is not None:  # the provinces' answer is whole and checked: it stands
            ended = says(f"could not be solved: {outcome.error}", f"kon niet worden opgelost: {outcome.error}")
        elif outcome.ended is Ended.STOPPED:
            ended = says("was stopped", "is gestopt")
        else:
            ended = says("overran its time limit and was ended", "ging over zijn tijdslimiet heen en is beëindigd")
        then = says("; the whole model, started from that answer, ", "; het hele model, gestart vanuit dat antwoord, ")
        reason = f"{split.report.reason}{then}{ended}"
        return replace(split, report=replace(split.report, seconds=seconds, reason=reason))
    kept = split.report.objective
    found = whole.report.objective if whole is not None and whole.configuration is not None else None
    if whole is not None and found is not None and found < kept - 1e-6 * max(1.0, abs(kept)):
        better = _result(split.instance, split.baseline, whole)
        reason = says(
            "the whole model, started from the provinces' answer, found a better one across borders "
            f"({whole.report.stop_words(language())})",
            "het hele model, gestart vanuit het antwoord van de provincies, vond een beter antwoord over de "
            f"grenzen heen ({whole.report.stop_words(language())})",
        )
        report = replace(better.report, seconds=seconds, options=options, reason=reason)
        return replace(better, report=report, model_size=replace(whole.size, parts=split.model_size.parts))
    if bound is None:
        return split
    gap = relative_gap(kept, bound)
    proven = gap is not None and gap <= OPTIMAL_GAP
    reason = split.report.reason.removesuffix(no_whole_bound()) + says(
        "; then the whole model, started from that answer, found nothing better (pools may cross borders there), "
        "and its bound holds for the whole",
        "; daarna vond het hele model, gestart vanuit dat antwoord, niets beters (pools mogen daar over grenzen), "
        "en zijn grens geldt voor het geheel",
    )
    report = replace(
        split.report,
        status=Status.OPTIMAL if proven else Status.FEASIBLE,
        bound=bound,
        gap=gap,
        parts_bound=None,
        seconds=seconds,
        reason="Optimal" if proven else reason,
        options=options,
    )
    return replace(split, report=report)


def _is_big(task: SolveTask) -> bool:
    return len(task.scenario.municipalities) * len(task.scenario.domains) > BIG


def _run(runner: Executor, tasks: Sequence[tuple[str, SolveTask]], progress: Progress | None) -> list[Outcome[Solved]]:
    """Every task on `runner`, but a whole model too big to trust HiGHS's clock (on the national model
    it spends half a minute after presolve in a step it cannot leave) runs in a worker process of its
    own, which is ended when it overruns its time limit or does not stop after Ctrl-C."""
    outcomes: dict[int, Outcome[Solved]] = {}
    small = [index for index, (_label, task) in enumerate(tasks) if not _is_big(task)]
    if small:
        done = runner.run(run_task, [tasks[i] for i in small], progress, _describe)
        outcomes.update(zip(small, done, strict=True))
    for index, (label, task) in enumerate(tasks):
        if index in outcomes:
            continue
        if runner.stop.is_set():
            outcomes[index] = Outcome(label, ended=Ended.STOPPED)
            continue
        own = progress if len(tasks) == 1 else None
        outcomes[index] = solve_alone(run_task, label, task, runner.stop, own, progress)
        if progress is not None and len(tasks) > 1:
            progress(f"  {label}: {outcome_words(outcomes[index], _describe)}")
    return [outcomes[index] for index in range(len(tasks))]


class SolveLost(RuntimeError):
    """A whole model's worker process died under it and it could not be solved again: it died a second
    time, or no time was left of the limit. Not bad input and no answer: an internal error (exit 70)."""

    def __init__(self, label: str, deaths: Sequence[WorkerDied], time_limit: float) -> None:
        self.deaths = tuple(deaths)
        what = f"'{label}'" if label else says("the model", "het model")
        first = self.deaths[0].reason(language())
        if len(self.deaths) > 1:
            second = self.deaths[1].reason(language())
            message = says(
                f"solving {what} in a worker process of its own failed twice: first {first}, then {second}",
                f"het oplossen van {what} in een eigen werkproces mislukte twee keer: eerst {first}, daarna {second}",
            )
        else:
            message = says(
                f"solving {what} in a worker process of its own failed ({first}) with nothing left of the "
                f"{time_limit:g} s time limit to solve it again",
                f"het oplossen van {what} in een eigen werkproces mislukte ({first}) en er was niets meer over "
                f"van de tijdslimiet van {time_limit:g} s om het opnieuw te doen",
            )
        super().__init__(message)


def solve_alone(
    function: Task[SolveTask, Solved],
    label: str,
    task: SolveTask,
    stop: StopFlag,
    progress: Progress | None,
    say: Progress | None = None,
) -> Outcome[Solved]:
    """`function(task)` in a worker process of its own, ended when it runs `GRACE_S` past the task's
    time limit. A process that dies under it (killed, out of memory, a crash inside HiGHS) is named
    on `say` with how it ended, and the task runs once more in a fresh process with what is left of
    the time limit, within the same hard bound: a second death, or none of the limit left, is
    `SolveLost`. Not more than once: a whole model takes minutes, and the limit holds for all of it."""
    started = time.monotonic()
    limit = task.options.time_limit + GRACE_S
    with ProcessExecutor(1, stop, run_again=False) as worker:
        outcome = worker.run(function, [(label, task)], progress, limit_s=limit)[0]
    if not isinstance(outcome.error, WorkerDied) or stop.is_set():
        return outcome
    first = outcome.error
    spent = time.monotonic() - started
    left = task.options.time_limit - spent
    if left <= 0:
        return Outcome(label, error=SolveLost(label, [first], task.options.time_limit))
    if say is not None:
        reason = first.reason(language())
        seconds = number(left, 1, language())
        say(
            says(
                f"  the worker process solving the model ended abruptly ({reason}); solving it again in a new "
                f"one within the {seconds} s left of the time limit",
                f"  het werkproces dat het model oploste stopte abrupt ({reason}); opnieuw in een nieuw, binnen "
                f"de {seconds} s die van de tijdslimiet over zijn",
            )
        )
    again_task = replace(task, options=replace(task.options, time_limit=left))
    with ProcessExecutor(1, stop, run_again=False) as worker:
        again = worker.run(function, [(label, again_task)], progress, limit_s=limit - spent)[0]
    if isinstance(again.error, WorkerDied):
        return Outcome(label, error=SolveLost(label, [first, again.error], task.options.time_limit))
    if again.value is not None:  # the report speaks of the user's limit and the time both attempts took
        report = replace(again.value.report, options=task.options, seconds=again.value.report.seconds + spent)
        return replace(again, value=replace(again.value, report=report))
    return again


def optimize_each(
    named: Sequence[tuple[str, Scenario, SolverOptions]],
    *,
    executor: Executor | None = None,
    progress: Progress | None = None,
) -> list[tuple[str, Result]]:
    """Several scenarios (options compared, end states), each with its options, every solve on one
    executor: the parts of a scenario split by province are tasks of their own beside the others. All
    are screened before the first is solved; `progress` hears of each solve as it finishes."""
    runner = executor or SerialExecutor()
    plans: list[_Plan | Result] = []
    tasks: list[tuple[str, SolveTask]] = []
    spans: list[tuple[int, int]] = []
    for label, scenario, options in named:
        if options.decompose == "province+whole":  # a study's options solve side by side, without the
            options = replace(options, decompose="province")  # whole stage: the report says province
        try:
            plan, own = _plan(label, scenario, options)
        except RuledOut as ruled:
            # an option that a rule makes impossible (the status quo of a region that must pool) is a
            # row without a solution, not a reason to drop the whole comparison
            plans.append(_screened_out(scenario, options, ruled.error))
            spans.append((len(tasks), len(tasks)))
            continue
        plans.append(plan)
        spans.append((len(tasks), len(tasks) + len(own)))
        tasks += own
    started = time.perf_counter()
    outcomes = _run(runner, tasks, progress)
    seconds = time.perf_counter() - started
    results = []
    for (label, _scenario, _options), planned, (a, b) in zip(named, plans, spans, strict=True):
        done = planned if isinstance(planned, Result) else _finish(planned, outcomes[a:b], seconds)
        results.append((label, done))
    return results


def _screened_out(scenario: Scenario, options: SolverOptions, error: InputError) -> Result:
    instance = Instance(scenario)
    reason = "; ".join(p.message for p in error.problems)
    report = report_without_solution(options, Status.INFEASIBLE, reason, 0.0)
    return Result(instance, None, None, evaluate(instance, instance.status_quo()), report, ModelSize(0, 0, 0, ""), 0.0)
