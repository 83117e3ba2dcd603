"""One way to solve the pooling model, for every study.

    solve_task(scenario, options, ...) -> Solved

builds the model (`optimizer.formulation.build_model` chooses the formulation), solves it within the
options' limits (`optimizer.guarantee.solve_model`: the participation guarantee's cuts, the pools'
pricing), and checks the answer with the independent evaluator: a configuration that breaks a rule,
or whose value differs from the model's, is a seta bug (`ModelMismatch`), not an answer. Optimising,
the best rejected pool, explanations, alternatives and conflicts all solve through it; an explanation's
re-solves of one scenario go to `optimizer.resolve` instead of a new build, where it fits.

The control (deadline, Ctrl-C, work limit, progress) of a solve is made here and nowhere else.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pulp

from inputs.labels import says
from inputs.types import Scenario, SolverOptions
from optimizer.control import Control, Progress, StopFlag, Stopped
from optimizer.evaluate import Evaluation, evaluate
from optimizer.formulation import build_model
from optimizer.formulation.candidates import charges_coordination
from optimizer.formulation.model import Forbid, Model
from optimizer.formulation.pools import pool_fit
from optimizer.guarantee import solve_model
from optimizer.instance import Configuration, Instance
from optimizer.resolve import resolver_for
from optimizer.result import ModelSize
from optimizer.screens import screen
from optimizer.solve import (
    OPTIMAL_GAP,
    SolverReport,
    Status,
    no_solution_reason,
    relative_gap,
    report_without_solution,
    solve,
)

#: how far below the evaluator's value CBC's objective may lie on its tolerances alone (relative)
CBC_SLACK = 1e-5

#: the size of a model that was never built (stopped while building)
UNBUILT = ModelSize(0, 0, 0, "")


class ModelMismatch(RuntimeError):
    """The MIP's answer breaks a rule, or its objective differs from the evaluator's: a seta bug."""


@dataclass(frozen=True)
class Solved:
    """What one solve gives a study: the solver's report and, with a solution, the configuration and
    the evaluator's figures for it (not the model's: the evaluator is the reference)."""

    report: SolverReport
    configuration: Configuration | None = None
    #: the evaluator's weighted objective and annual cash cost of `configuration`
    objective: float | None = None
    cash: float | None = None
    size: ModelSize = UNBUILT
    build_seconds: float = 0.0
    wrote_lp: bool = False

    @property
    def status(self) -> Status:
        return self.report.status

    @property
    def bound(self) -> float | None:
        """The solver's bound on the best objective: a solve stopped early proves the best is at least this."""
        return self.report.bound


def solve_task(
    scenario: Scenario,
    options: SolverOptions,
    *,
    stop: StopFlag | None = None,
    progress: Progress | None = None,
    work: int | None = None,
    forbid: Sequence[Forbid] = (),
    cutoff: float | None = None,
    require_pooling: bool = False,
    formulation: str | None = None,
    start: Configuration | None = None,
    write_lp: Path | None = None,
    tuning: Mapping[str, Any] | None = None,
    shape: Callable[[Model], object] | None = None,
    base: Scenario | None = None,
    screen_first: bool = False,
) -> Solved:
    """Build, solve and check `scenario` within the options' `time_limit` (building included), `stop`
    and at most `work` of the solver's check-ins (each of its two solves, where the matrix is solved first).

    forbid           units closed (an explanation's "without")
    cutoff           only configurations whose weighted objective is at most this
    require_pooling  only configurations that pool at least one service
    formulation      instead of the options' (a row on the objective needs a whole model)
    start            a configuration the solver starts from (HiGHS)
    write_lp         the whole model written to this LP file first, whole or not at all
    tuning           HiGHS options for this solve
    shape            adds rows or sets another objective on the built model (alternatives); with
                     another objective, the model's value is not compared with the evaluator's
    base             the scenario this one varies in figures only: re-solved from base's model in
                     HiGHS (`optimizer.resolve`) where that fits, instead of a new build
    screen_first     screen the scenario for rules that rule it out before building (bad input)

    Where a matrix's coordination is charged and seta chooses the formulation, the scenario is first
    solved with every matrix unit closed, and the whole model starts from that answer (`matrix_first`).
    """
    instance = Instance(scenario)
    if screen_first:
        screen(instance)
    if base is not None and cutoff is None and not require_pooling and shape is None and write_lp is None:
        control = Control.within(options.time_limit, stop, progress, work_limit=work)
        resolved = _resolved(instance, options, control, forbid, base, start)
        if resolved is not None:
            return resolved
    first: Solved | None = None
    asked = options
    began = time.perf_counter()
    plain = start is None and cutoff is None and shape is None and write_lp is None
    if plain and matrix_first(instance, options, formulation or options.formulation, forbid):
        first = _solve_once(
            instance,
            options,
            solve_within=options.time_limit * FIRST_SHARE,
            stop=stop,
            progress=_first_progress(progress),
            work=work,
            forbid=(*forbid, *without_matrix(instance)),
            require_pooling=require_pooling,
            formulation=formulation,
            tuning=tuning,
        )
        if first.size.variables == 0:  # stopped while building: the whole model, larger, would not be built either
            return first
        start = first.configuration
        spent = time.perf_counter() - began
        options = replace(options, time_limit=max(options.time_limit - spent, 0.0))
    solved = _solve_once(
        instance,
        options,
        stop=stop,
        progress=progress,
        work=work,
        forbid=forbid,
        cutoff=cutoff,
        require_pooling=require_pooling,
        formulation=formulation,
        start=start,
        write_lp=write_lp,
        tuning=tuning,
        shape=shape,
    )
    if first is None:
        return solved
    stopped = (stop is not None and stop.is_set()) or time.perf_counter() - began >= asked.time_limit
    return _after_matrix_first(first, solved, asked, stopped)


def _resolved(
    instance: Instance,
    options: SolverOptions,
    control: Control,
    forbid: Sequence[Forbid],
    base: Scenario,
    start: Configuration | None,
) -> Solved | None:
    """`instance` re-solved in HiGHS from `base`'s model (`optimizer.resolve`), checked; None where
    that does not fit (a new build solves it)."""
    resolver = resolver_for(base, options)
    if resolver is None or not resolver.fits(instance):
        return None
    report, configuration = resolver.solve(instance, forbid, control, start)
    return _checked_answer(instance, Solved(report, configuration), compare=True)


@dataclass(frozen=True)
class Escalation:
    """A re-solve asked again with more work while its answer is not settled: tries of `budgets[0]`,
    `budgets[1]`, ... of the solver's check-ins, the last try's answer standing. Settled: proven
    optimal or infeasible, or, where the question is whether anything is better than `threshold`,
    something below it found or a bound at or above it. A margin or flip point is then proven
    wherever a little more work proves it, and only the hard ones cost more; limits on work, so the
    answer repeats on any machine."""

    budgets: tuple[int, ...]
    threshold: float | None = None

    def settled(self, solved: Solved) -> bool:
        return settled(solved, self.threshold)


def found_below(solved: Solved, threshold: float) -> bool:
    """Whether the answer is a configuration better than `threshold`."""
    return solved.configuration is not None and solved.objective is not None and solved.objective < threshold


def settled(solved: Solved, threshold: float | None) -> bool:
    """Proven optimal or infeasible, or, with a `threshold`, something below it found or a bound at
    or above it (nothing below it exists)."""
    if solved.status in (Status.OPTIMAL, Status.INFEASIBLE):
        return True
    if threshold is None:
        return False
    return found_below(solved, threshold) or (solved.bound is not None and solved.bound >= threshold)


def solve_escalating(
    scenario: Scenario,
    options: SolverOptions,
    escalation: Escalation,
    *,
    stop: StopFlag | None = None,
    forbid: Sequence[Forbid] = (),
    base: Scenario,
    start: Configuration | None = None,
    tuning: Mapping[str, Any] | None = None,
) -> tuple[Solved, int]:
    """`solve_task` with more work while the answer is not settled (`Escalation`); the answer, and the
    solver runs spent.

    Where the re-solve is one run of HiGHS on `base`'s model (`optimizer.resolve`), the tries are that
    one run, stopped at the check-in where a try would have ended with its answer settled, or, with a
    threshold, as soon as the bound reaches it: HiGHS's search does not depend on its work limit, so
    each try would have gone the way of the run to its end, and a new try spent its predecessor's
    work again. The Kempen explained at quality 0.5 and autonomy 1.93 with GM1728's procurement kept:
    the same explanation in 284 s and 97 runs against 461 s and 132 tries, side by side
    (benchmarks/README.md, section 4). Elsewhere (a model built anew, or solved in stages, whose work
    is not one search) each try is a solve of its own."""
    budgets = escalation.budgets
    instance = Instance(scenario)
    control = Control.within(options.time_limit, stop, work_limit=budgets[-1])
    control.escalated_at, control.threshold = budgets[:-1], escalation.threshold
    resolved = _resolved(instance, options, control, forbid, base, start)
    if resolved is not None:
        return resolved, 1
    runs = 0
    while True:
        solved = solve_task(scenario, options, stop=stop, work=budgets[runs], forbid=forbid, start=start, tuning=tuning)
        runs += 1
        if runs == len(budgets) or escalation.settled(solved) or (stop is not None and stop.is_set()):
            return solved, runs


def _solve_once(
    instance: Instance,
    options: SolverOptions,
    *,
    stop: StopFlag | None = None,
    progress: Progress | None = None,
    work: int | None = None,
    forbid: Sequence[Forbid] = (),
    cutoff: float | None = None,
    require_pooling: bool = False,
    formulation: str | None = None,
    start: Configuration | None = None,
    write_lp: Path | None = None,
    tuning: Mapping[str, Any] | None = None,
    shape: Callable[[Model], object] | None = None,
    solve_within: float | None = None,
) -> Solved:
    """One build and solve of `solve_task`, checked by the evaluator; the solve ends `solve_within`
    seconds after the start at the latest (the building has the whole time limit)."""
    control = Control.within(options.time_limit, stop, progress, work_limit=work)
    started = time.perf_counter()
    try:
        model = build_model(
            instance,
            require_pooling=require_pooling,
            formulation=formulation or options.formulation,
            control=control,
            forbid=forbid,
            whole=write_lp is not None or cutoff is not None,
        )
    except Stopped as stopped:
        seconds = time.perf_counter() - started
        report = report_without_solution(
            options, Status.ERROR, str(stopped), seconds, stopped.reason == "Interrupted", stopped.reason == "TimeLimit"
        )
        return Solved(report, size=ModelSize(0, 0, 0, formulation or options.formulation), build_seconds=seconds)
    build_seconds = time.perf_counter() - started
    if solve_within is not None and control.deadline is not None:
        control.deadline = min(control.deadline, control.started + solve_within)
    size = ModelSize(**model.size, formulation=model.formulation)
    objective = model.problem.objective
    if cutoff is not None:
        assert objective is not None
        model.problem.addConstraint(objective <= cutoff, "within")
    if shape is not None:
        shape(model)
    wrote_lp = write_lp is not None
    if write_lp is not None:
        _write(model, write_lp)
    if start is not None and options.name == "highs":
        model.start_from(start)
        tuning = {"warmStart": True, **(tuning or {})}
    report = solve_model(model, options, control, tuning)
    configuration = model.configuration() if report.has_solution else None
    solved = Solved(report, configuration, size=size, build_seconds=build_seconds, wrote_lp=wrote_lp)
    return _checked_answer(instance, solved, compare=model.problem.objective is objective)


# -- a first answer without the matrix ----------------------------------------------------------------


#: the share of the time limit by which the answer without the matrix ends its solve (its building may
#: take longer: a model stopped while building is no answer), so that the whole model always
#: has the rest to find or prove better (and a bound)
FIRST_SHARE = 0.5


def matrix_first(instance: Instance, options: SolverOptions, formulation: str, forbid: Sequence[Forbid] = ()) -> bool:
    """Whether `solve_task` first solves with every matrix unit closed: where a matrix's coordination
    is charged, the formulation is seta's to choose, and either the pool formulation takes the model
    or a unit has too many candidates to list its pools. Closed, the pool formulation's relaxation is
    exact or nearly so and that answer comes in a fraction of a second; the whole model started from it
    proves its optimum far sooner than from nothing, since HiGHS fixes by reduced cost from the first
    node: Drechtsteden 0.44 s against 3.3 s, Zeeland (13 x 5) 5.9 s against 7.4 s (benchmarks/README.md,
    section 10). Where the textbook model takes such a large scenario, the answer without the matrix
    is the better half of the search: Limburg (31 x 5) at 60 s is within 0.1 % of its bound, against
    1.0-1.8 % from nothing. A small one that the textbook model takes for its rules (the participation
    guarantee) is proven as soon without, and an explanation's work limit, spent on two solves, left
    one of Drechtsteden's margins unproven. An answer without the matrix is one of the whole, so the
    optimum and its proof are the whole model's. Not for the textbook model asked by name (the
    cross-check solves the model as written), nor where `forbid` already closes every matrix unit:
    that is the first solve."""
    if options.name != "highs" or formulation not in ("auto", "pools") or not charges_coordination(instance):
        return False
    every = frozenset(instance.domains)
    closed = {rule.structure for rule in forbid if rule.host is None and rule.domains >= every}
    if all(s.key in closed for s in instance.structures.values() if s.coordinated):
        return False
    fit = pool_fit(instance)
    return (fit.not_applicable is None and fit.pays) or fit.large


def _first_progress(progress: Progress | None) -> Progress | None:
    """The first solve's progress lines, marked as such: its best and gap are those without the matrix."""
    if progress is None:
        return None
    mark = says("  (first without a matrix)", "  (eerst zonder matrix)")
    return lambda line: progress(line + mark)


def without_matrix(instance: Instance) -> tuple[Forbid, ...]:
    """Every unit of a coordinated (matrix) structure closed."""
    domains = frozenset(instance.domains)
    return tuple(Forbid(s.key, domains) for s in instance.structures.values() if s.coordinated)


def _after_matrix_first(first: Solved, solved: Solved, options: SolverOptions, stopped: bool) -> Solved:
    """The whole model's answer, its solver seconds counting the first solve's too, under the options
    asked for (the whole model had the time limit less the first solve's seconds). Where the whole
    model found nothing (stopped at once), the answer without the matrix stands, as feasible: no bound
    of the whole holds for it. `stopped`: the limit asked for ran out, or Ctrl-C came."""
    seconds = first.report.seconds + solved.report.seconds
    if solved.configuration is not None or first.configuration is None:
        report = replace(solved.report, seconds=seconds, options=options)
        if first.configuration is None and solved.report.status is Status.ERROR and stopped:
            # its words named what the whole model had left of the limit, not the limit asked for
            report = replace(
                report,
                reason=no_solution_reason("Interrupted" if report.interrupted else "TimeLimit", options),
                timed_out=not report.interrupted,
            )
        return replace(solved, report=report)
    report = replace(
        solved.report,
        status=Status.FEASIBLE,
        objective=first.objective,
        bound=None,
        gap=None,
        seconds=seconds,
        options=options,
        reason="Interrupted" if solved.report.interrupted else "TimeLimit",  # what stopped the whole model
        timed_out=not solved.report.interrupted,
    )
    return replace(first, report=report, size=solved.size, build_seconds=first.build_seconds + solved.build_seconds)


def solve_problem(
    problem: pulp.LpProblem,
    options: SolverOptions,
    *,
    stop: StopFlag | None = None,
    progress: Progress | None = None,
    control: Control | None = None,
) -> SolverReport:
    """A model of another shape than the one-year pooling model (a pathway over the years) solved
    under the same control: the options' `time_limit`, `stop` and progress. The caller checks the
    answer with the evaluator, as `solve_task` does for the one-year model. A `control` from an
    earlier call (`study_control`) shares its deadline across re-solves."""
    return solve(problem, options, control or study_control(options, stop, progress))


def study_control(
    options: SolverOptions, stop: StopFlag | None = None, progress: Progress | None = None, work: int | None = None
) -> Control:
    """The control of a study that solves several models of its own under one `time_limit` and, with
    `work`, at most that many of the solver's check-ins in all (an explanation's re-solve)."""
    return Control.within(options.time_limit, stop, progress, work_limit=work)


def _write(model: Model, path: Path) -> None:
    """The model's LP file, written aside and renamed: the file is whole or not there."""
    aside = path.with_name(f".{path.name}.tmp")
    try:
        model.problem.writeLP(str(aside))
        aside.replace(path)
    except pulp.PulpError as error:
        raise _os_error(error, path) from None
    finally:
        aside.unlink(missing_ok=True)


def _os_error(error: pulp.PulpError, path: Path) -> Exception:
    """PuLP's LP writer (in Rust) hands an OS error back as text alone, 'No space left on device (os
    error 28)': the OSError it was, with the file named, so that a full disk reads as one."""
    found = re.search(r"\(os error (\d+)\)", str(error))
    if found is None:
        return error
    number = int(found.group(1))
    return OSError(number, os.strerror(number), str(path))


def _checked_answer(instance: Instance, solved: Solved, compare: bool) -> Solved:
    """The evaluator's figures for the solver's configuration; a broken rule is a seta bug. `compare`:
    the model's objective is the scenario's, so it must agree with the evaluator's too."""
    if solved.configuration is None:
        return solved
    chosen = evaluate(instance, solved.configuration)
    if chosen.violations:
        raise ModelMismatch("the solver's configuration breaks rules: " + "; ".join(chosen.violations))
    report = checked_report(solved.report, chosen) if compare else solved.report
    return replace(solved, report=report, objective=chosen.objective, cash=chosen.criteria["cost"])


def checked_report(report: SolverReport, chosen: Evaluation) -> SolverReport:
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
    if report.solver == "cbc" and 0 < -difference <= CBC_SLACK * max(1.0, abs(chosen.objective)):
        # CBC's values carry its tolerances (a binary at 1.000004, an epigraph a hair under its line):
        # the configuration is what it is, and the evaluator says what it costs
        objective = chosen.objective
        gap = relative_gap(objective, report.bound)
        optimal = report.bound is not None and gap is not None and gap <= OPTIMAL_GAP
        return replace(report, objective=objective, gap=gap, status=Status.OPTIMAL if optimal else Status.FEASIBLE)
    raise ModelMismatch(f"model objective {report.objective:.6f} differs from the evaluator's {chosen.objective:.6f}")
