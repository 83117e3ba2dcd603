"""The pipeline: screen, build, solve, check and explain a scenario, with every option passed in.

    optimize(scenario, options)          one scenario (split by province when options.decompose says so)
    optimize_each(named, ...)            several (compare, end states), each with its options: every
                                         solve, split parts included, goes to one executor (no nesting)

A solve runs as a `SolveTask` through `solve_task`, in this process or in a worker; the parent then
evaluates the chosen configuration with the independent evaluator and assembles the `Result`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from inputs.problems import InputError
from inputs.types import Scenario, SolverOptions
from optimizer.control import Control, Progress, StopFlag, Stopped
from optimizer.decompose import Part, join_parts, screen_split, split_by_province
from optimizer.evaluate import Evaluation, evaluate
from optimizer.executor import GRACE_S, Executor, Outcome, ProcessExecutor, SerialExecutor, local_executor
from optimizer.instance import Configuration, Instance
from optimizer.model import build_model
from optimizer.result import ModelSize, Result
from optimizer.screens import screen
from optimizer.solve import (
    SolverReport,
    Status,
    no_solution_reason,
    relative_gap,
    report_without_solution,
    solve,
)

#: services (municipalities x domains) above which a whole model is solved in a worker process that
#: can be ended: the whole national model has 2,736, a province at most 448
BIG = 1_000


class ModelMismatch(RuntimeError):
    """The MIP's objective differs from the evaluator's for the MIP's own solution: a seta bug."""


@dataclass(frozen=True)
class SolveTask:
    """One model to build and solve: a whole scenario, or one part of a split one."""

    scenario: Scenario
    options: SolverOptions
    write_lp: Path | None = None


@dataclass(frozen=True)
class Solved:
    configuration: Configuration | None
    report: SolverReport
    size: ModelSize
    build_seconds: float


def solve_task(task: SolveTask, stop: StopFlag, progress: Progress | None = None) -> Solved:
    """Screen, build and solve one model within `time_limit` (building included); check the answer."""
    options = task.options
    control = Control.within(options.time_limit, stop, progress)
    instance = Instance(task.scenario)
    screen(instance)
    started = time.perf_counter()
    try:
        model = build_model(instance, formulation=options.formulation, control=control)
    except Stopped as stopped:
        seconds = time.perf_counter() - started
        report = report_without_solution(options, Status.ERROR, str(stopped), seconds, stopped.reason == "Interrupted")
        return Solved(None, report, ModelSize(0, 0, 0, options.formulation), seconds)
    build_seconds = time.perf_counter() - started
    size = ModelSize(**model.size, formulation=model.formulation)
    if task.write_lp is not None:
        model.problem.writeLP(str(task.write_lp))
    report = solve(model.problem, options, control)
    configuration = None
    if report.has_solution:
        configuration = model.configuration()
        chosen = evaluate(instance, configuration)
        if chosen.violations:
            raise ModelMismatch("the solver's configuration breaks rules: " + "; ".join(chosen.violations))
        report = _checked(report, chosen)
    return Solved(configuration, report, size, build_seconds)


def _checked(report: SolverReport, chosen: Evaluation) -> SolverReport:
    """Compare the MIP's objective with the evaluator's value of the MIP's configuration.

    At a proven optimum the epigraph variables (vulnerability, coordination, memberships) are tight,
    so the two agree. An incumbent of a stopped run may carry slack in them, so its model objective
    can only overstate the configuration's true value: report the evaluator's value and its gap.
    """
    assert report.objective is not None
    tolerance = 1e-6 * max(1.0, abs(chosen.objective)) + 1e-3
    difference = report.objective - chosen.objective
    if abs(difference) <= tolerance:
        return report
    if report.status is Status.FEASIBLE and difference > 0:
        return replace(report, objective=chosen.objective, gap=relative_gap(chosen.objective, report.bound))
    raise ModelMismatch(f"model objective {report.objective:.6f} differs from the evaluator's {chosen.objective:.6f}")


def _result(instance: Instance, baseline: Evaluation, solved: Solved) -> Result:
    chosen = None if solved.configuration is None else evaluate(instance, solved.configuration)
    return Result(instance, solved.configuration, chosen, baseline, solved.report, solved.size, solved.build_seconds)


def _best_rejected(instance: Instance, options: SolverOptions, stop: StopFlag) -> Evaluation | None:
    """When nothing pays, the best configuration that pools at least one service (to show the margin)."""
    control = Control.within(options.time_limit, stop)
    try:
        model = build_model(instance, require_pooling=True, control=control)
    except Stopped:
        return None
    report = solve(model.problem, options, control)
    if not report.has_solution:
        return None
    evaluation = evaluate(instance, model.configuration())
    return evaluation if not evaluation.violations else None


@dataclass(frozen=True)
class _Plan:
    """How one scenario of a study is solved: its tasks (one, or one per province) and how to join them."""

    label: str
    instance: Instance
    baseline: Evaluation
    options: SolverOptions
    parts: tuple[Part, ...] | None  # None: one model for the whole scenario


def _plan(label: str, scenario: Scenario, options: SolverOptions) -> tuple[_Plan, list[tuple[str, SolveTask]]]:
    instance = Instance(scenario)
    screen(instance)
    baseline = evaluate(instance, instance.status_quo())
    if options.decompose == "province":
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
            if outcome.ended == "overran":
                reason = (
                    f"the solver did not stop at the {plan.options.time_limit:g} s time limit "
                    f"(it was in a step it cannot leave) and was ended after {seconds:.0f} s"
                )
            else:
                reason = no_solution_reason("Interrupted", plan.options)
            stopped = outcome.ended == "stopped"
            report = report_without_solution(plan.options, Status.ERROR, reason, seconds, stopped)
            return Result(plan.instance, None, None, plan.baseline, report, ModelSize(0, 0, 0, ""), 0.0)
        return _result(plan.instance, plan.baseline, outcome.value)
    return join_parts(plan.instance, plan.baseline, plan.options, plan.parts, outcomes, seconds)


def _describe(solved: Solved) -> str:
    return solved.report.describe()


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
    plan, tasks = _plan("", scenario, options)
    started = time.perf_counter()
    if plan.parts is None:
        task = replace(tasks[0][1], write_lp=write_lp)
        if len(plan.instance.codes) * len(plan.instance.domains) > BIG:
            # HiGHS has steps it cannot leave (on the whole national model, half a minute after
            # presolve): a worker process can be ended when it overruns the limit or Ctrl-C
            worker = ProcessExecutor(1, serial.stop)
            outcomes = worker.run(solve_task, [("", task)], progress, limit_s=options.time_limit + GRACE_S)
        else:
            outcomes = serial.run(solve_task, [("", task)], progress)
    else:
        if progress is not None:
            progress(f"  solving {len(tasks)} provinces side by side")
        runner = executor or local_executor(stop=serial.stop)
        outcomes = runner.run(solve_task, tasks, progress, _describe)
    result = _finish(plan, outcomes, time.perf_counter() - started)
    if (
        explain_rejection
        and plan.parts is None
        and result.report.status is Status.OPTIMAL
        and result.chosen is not None
        and not result.chosen.pools()
    ):
        result = replace(result, rejected=_best_rejected(plan.instance, options, serial.stop))
    return result


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
        try:
            plan, own = _plan(label, scenario, options)
        except InputError as error:
            # an option that a rule makes impossible (the status quo of a region that must pool) is a
            # row without a solution, not a reason to drop the whole comparison
            plans.append(_screened_out(scenario, options, error))
            spans.append((len(tasks), len(tasks)))
            continue
        plans.append(plan)
        spans.append((len(tasks), len(tasks) + len(own)))
        tasks += own
    started = time.perf_counter()
    outcomes = runner.run(solve_task, tasks, progress, _describe)
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
