"""The solver layer: HiGHS (default) or CBC, with an honest status.

A run is "optimal" only when the solver proved it (gap at most `OPTIMAL_GAP`); a run that stopped
early with a solution is "feasible" with its gap; "infeasible" when proven so; "error" otherwise
(including a time limit without any solution).
"""

from __future__ import annotations

import contextlib
import functools
import math
import os
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from importlib import metadata
from typing import Any

import pulp

from inputs.labels import clock, figure, language, number, says, text
from inputs.types import SolverOptions
from optimizer.control import PROGRESS_EVERY_S, Control

OPTIMAL_GAP = 1e-6


class Status(StrEnum):
    OPTIMAL = "optimal"  # proven: gap at most OPTIMAL_GAP
    FEASIBLE = "feasible"  # a solution, stopped before proof (time or gap limit, Ctrl-C, a split scenario)
    INFEASIBLE = "infeasible"  # proven: no configuration satisfies every rule
    ERROR = "error"  # no solution and no proof that none exists

    @property
    def has_solution(self) -> bool:
        return self in (Status.OPTIMAL, Status.FEASIBLE)


@dataclass(frozen=True)
class SolverReport:
    status: Status
    solver: str
    solver_version: str
    objective: float | None
    bound: float | None
    gap: float | None
    seconds: float
    options: SolverOptions
    reason: str  # the solver's own stop reason, e.g. "TimeLimit", or a sentence when there is no solution
    #: stopped by Ctrl-C (what it found is kept and reported as feasible)
    interrupted: bool = False
    #: solved by parts (provinces): the sum of the parts' bounds, a bound for pools that stay inside
    #: the parts, not for the whole (where pools may cross)
    parts_bound: float | None = None
    #: the wall-clock time limit ended it: the one stop whose answer depends on the machine's speed
    #: and load (a limit on work, a gap or Ctrl-C are not this)
    timed_out: bool = False

    @property
    def gap_eur(self) -> float | None:
        """EUR a year between the answer and the best possible: the whole model's bound, else that of
        the parts; None when no bound is known."""
        bound = self.bound if self.bound is not None else self.parts_bound
        if self.objective is None or bound is None:
            return None
        return max(0.0, self.objective - bound)

    @property
    def has_solution(self) -> bool:
        return self.status.has_solution

    def stop_words(self, lang: str = "en") -> str:
        """What stopped a feasible run, in words ('stopped at the 60 s limit'): the reason's own
        words where it is not one of the solver's."""
        limit, requested = figure(self.options.time_limit, lang), figure(100 * self.options.gap, lang)
        at_gap = text(
            lang,
            f"stopped at the requested gap of {requested} %",
            f"gestopt bij de gevraagde afstand van {requested} %",
        )
        return {
            "TimeLimit": text(lang, f"stopped at the {limit} s limit", f"gestopt bij de limiet van {limit} s"),
            "GapLimit": at_gap,
            # HiGHS calls a run that met its gap limit optimal
            "Optimal": at_gap,
            "Interrupted": text(lang, "interrupted by the user", "onderbroken door de gebruiker"),
        }.get(self.reason, self.reason)

    def describe(self, lang: str = "en") -> str:
        """The status in words, e.g. 'feasible, within 0.8 % of the best possible, stopped at the 60 s limit'
        (Dutch with lang 'nl')."""
        if self.status == Status.OPTIMAL:
            return text(lang, "optimal", "optimaal")
        if self.status == Status.FEASIBLE:
            if self.gap is None:
                gap = text(lang, "gap unknown", "afstand onbekend")
            elif self.gap < 1:
                within = number(100 * self.gap, 2, lang)
                gap = text(lang, f"within {within} % of the best possible", f"binnen {within} % van het best mogelijke")
            else:
                share = number(100 * self.gap, 0, lang)
                gap = text(
                    lang, f"no useful bound yet (gap {share} %)", f"nog geen bruikbare grens (afstand {share} %)"
                )
            stop = self.stop_words(lang)
            return text(lang, f"feasible, {gap}, {stop}", f"toelaatbaar, {gap}, {stop}")
        if self.status == Status.INFEASIBLE:
            if self.reason and self.reason != "Infeasible":  # a screen's words, before any solving
                return text(lang, f"infeasible: {self.reason}", f"onmogelijk: {self.reason}")
            return text(
                lang,
                "infeasible: no configuration satisfies every rule",
                "onmogelijk: geen configuratie voldoet aan elke regel",
            )
        return text(lang, f"no solution: {self.reason}", f"geen oplossing: {self.reason}")


def report_without_solution(
    options: SolverOptions,
    status: Status,
    reason: str,
    seconds: float,
    interrupted: bool = False,
    timed_out: bool = False,
) -> SolverReport:
    """A run that ended before the solver found anything (stopped while building, or never started)."""
    return SolverReport(
        status=status,
        solver=options.name,
        solver_version=solver_version(options.name),
        objective=None,
        bound=None,
        gap=None,
        seconds=seconds,
        options=options,
        reason=reason,
        interrupted=interrupted,
        timed_out=timed_out,
    )


def relative_gap(objective: float | None, bound: float | None) -> float | None:
    if objective is None or bound is None or not math.isfinite(bound):
        return None
    return abs(objective - bound) / max(abs(objective), 1e-9)


_quiet_lock = threading.Lock()
#: solves in this process inside quiet_stdout, and the stdout they share while any is
_quiet: dict[str, int] = {"depth": 0, "saved": -1}


@contextlib.contextmanager
def quiet_stdout() -> Iterator[None]:
    """HiGHS prints a banner on the C-level stdout even with logging off; stdout is kept for the data
    the user asked for (JSON, CSV), so the solver's stdout goes to the null device. seta's own
    progress lines go to stderr and are not affected. Solves on several threads (seta serve) share
    one redirection: the first saves the real stdout and the last puts it back (each saving its own
    lost it for good when two overlapped: the second saved the null device)."""
    try:
        stdout_fd = sys.stdout.fileno()
    except (AttributeError, OSError, ValueError):  # no real file descriptor (e.g. under CliRunner)
        yield
        return
    with _quiet_lock:
        if _quiet["depth"] == 0:
            sys.stdout.flush()
            _quiet["saved"] = os.dup(stdout_fd)
            null = os.open(os.devnull, os.O_WRONLY)
            os.dup2(null, stdout_fd)
            os.close(null)
        _quiet["depth"] += 1
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet["depth"] -= 1
            if _quiet["depth"] == 0:
                os.dup2(_quiet["saved"], stdout_fd)
                os.close(_quiet["saved"])


_threads_in_use: int | None = None


def use_threads(threads: int) -> None:
    """Before a HiGHS solve with `threads`: HiGHS keeps one scheduler per process, and a solve with
    another number of threads than the last one's returns NotSolved unless the scheduler is reset."""
    import highspy

    global _threads_in_use
    if _threads_in_use is not None and _threads_in_use != threads:
        highspy.Highs.resetGlobalScheduler(True)
    _threads_in_use = threads


def highs_callback(
    control: Control, stopped_by: list[str], whole: Callable[[Any], Any] | None = None
) -> tuple[Any, list[Any]]:
    """A HiGHS callback that stops the solver at the wall-clock deadline, on request or past the work
    limit (the reason goes into `stopped_by`), and reports progress; with the kinds to activate. It
    is asked in the MIP search and inside LP solves (simplex and interior point), so a stop also
    reaches a long root LP. Where this MIP is one part of a larger search (`optimizer.hosting`),
    `whole` turns its bounds into the whole search's, which decide whether the question is settled."""
    import highspy

    mip = highspy.cb.HighsCallbackType.kCallbackMipInterrupt

    def callback(kind: Any, message: str, data_out: Any, data_in: Any, user_data: Any) -> None:
        reason = control.should_stop()
        if reason is not None:
            if not stopped_by:
                stopped_by.append(reason)
            data_in.user_interrupt = True
            return
        if kind != mip:
            return
        seen = data_out if whole is None else whole(data_out)
        if not control.spend() or control.settles(seen):
            if not stopped_by:
                stopped_by.append("WorkLimit")
            data_in.user_interrupt = True
            return
        best = seen.mip_primal_bound
        gap = data_out.mip_gap
        if whole is not None:  # the whole search's gap
            found = relative_gap(best, seen.mip_dual_bound) if math.isfinite(best) else None
            gap = math.inf if found is None else found
        lang = language()
        best_text = number(best, 0, lang) if math.isfinite(best) else says("none yet", "nog geen")
        gap_text = f"{number(100 * gap, 2, lang)} %" if math.isfinite(gap) else "-"
        best_word, gap_word = says("best", "beste"), says("gap", "afstand")
        control.say(
            f"  {clock(control.elapsed())}  {best_word} {best_text}  {gap_word} {gap_text}", every=PROGRESS_EVERY_S
        )

    kinds = [
        mip,
        highspy.cb.HighsCallbackType.kCallbackSimplexInterrupt,
        highspy.cb.HighsCallbackType.kCallbackIpmInterrupt,
    ]
    return callback, kinds


def _highs(
    options: SolverOptions, seconds: float, control: Control, stopped_by: list[str], tuning: Mapping[str, Any]
) -> pulp.LpSolver:
    """HiGHS with `highs_callback` where the control can stop it; HiGHS's own time limit is set too,
    for what it checks itself."""
    use_threads(options.threads)
    callbacks: dict[str, Any] = {}
    if control.interruptible:  # else HiGHS keeps its own time limit and nothing else needs to reach it
        callback, kinds = highs_callback(control, stopped_by)
        callbacks = {"callbackTuple": (callback, None), "callbacksToActivate": kinds}
    return pulp.HiGHS(
        msg=False,
        timeLimit=seconds,
        gapRel=options.gap,
        threads=options.threads,
        random_seed=options.seed,
        **callbacks,
        **tuning,
    )


def _cbc(options: SolverOptions, seconds: float) -> pulp.LpSolver:
    solver = pulp.COIN_CMD(
        msg=False,
        timeLimit=seconds,
        gapRel=options.gap if options.gap > 0 else None,
        threads=options.threads,
        randomSeed=options.seed,
    )
    if not solver.available():
        raise SolverUnavailable("CBC is not installed; install it with: pip install 'pulp[cbc]'")
    return solver


class SolverUnavailable(RuntimeError):
    pass


@functools.cache  # read from the installed package's metadata: once a run, not once a re-solve
def solver_version(solver: str) -> str:
    package = "highspy" if solver == "highs" else "cbcbox"
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "unknown"


def classify(
    solver_status: pulp.LpSolveStatus,
    has_solution: bool,
    objective: float | None,
    bound: float | None,
    options: SolverOptions,
) -> tuple[Status, float | None, str]:
    """(status, gap, reason): optimal only when proven, feasible with its gap when stopped early."""
    reason = solver_status.name
    gap = relative_gap(objective, bound)
    if has_solution:
        optimal = solver_status == pulp.LpSolveStatus.Optimal and (
            (gap is not None and gap <= OPTIMAL_GAP) or (bound is None and options.gap == 0)
        )
        # CBC reports GapLimit whenever a gap was set, even when it closed the gap entirely.
        closed = solver_status == pulp.LpSolveStatus.GapLimit and gap is not None and gap <= OPTIMAL_GAP
        if optimal or closed:
            return Status.OPTIMAL, 0.0 if gap is None else gap, reason
        return Status.FEASIBLE, gap, reason
    if solver_status == pulp.LpSolveStatus.Infeasible:
        return Status.INFEASIBLE, None, reason
    return Status.ERROR, None, no_solution_reason(reason, options)


def no_solution_reason(reason: str, options: SolverOptions) -> str:
    """Why a run has no solution, in the run's language (the reason is part of the status line)."""
    limit = figure(options.time_limit, language())
    return {
        "TimeLimit": says(
            f"nothing found within the {limit} s time limit", f"niets gevonden binnen de tijdslimiet van {limit} s"
        ),
        "Interrupted": says(
            "interrupted by the user before anything was found",
            "onderbroken door de gebruiker voordat er iets gevonden was",
        ),
    }.get(reason, says(f"the solver stopped without one ({reason})", f"de solver stopte zonder oplossing ({reason})"))


def solve(
    problem: pulp.LpProblem,
    options: SolverOptions,
    control: Control,
    tuning: Mapping[str, Any] | None = None,
) -> SolverReport:
    """Solve `problem` in place (variables get their values) and report honestly how it went.

    The solver gets what is left of the control's deadline (the whole `time_limit` without one).
    `tuning` holds HiGHS options for this solve (CBC ignores them)."""
    started = time.perf_counter()
    stopped_by: list[str] = []
    remaining = control.remaining()
    seconds = options.time_limit if remaining is None else max(0.01, min(options.time_limit, remaining))
    if options.name == "highs":
        solver = _highs(options, seconds, control, stopped_by, tuning or {})
    else:
        solver = _cbc(options, seconds)
    with quiet_stdout():
        stats = problem.solve(solver)
    objective = stats.objective if stats.has_solution else None
    bound = stats.best_bound
    if options.name == "cbc" and bound is not None and problem.objective is not None:
        # PuLP reads CBC's bound from its log, which leaves out the objective's constant term
        bound += problem.objective.constant
    return report_of(stats.status, stats.has_solution, objective, bound, stopped_by, options, started)


def report_of(
    solver_status: pulp.LpSolveStatus,
    has_solution: bool,
    objective: float | None,
    bound: float | None,
    stopped_by: list[str],
    options: SolverOptions,
    started: float,
) -> SolverReport:
    """The report of a solve that began at `started` (perf_counter) and ended as the solver says."""
    elapsed = time.perf_counter() - started
    if stopped_by and solver_status == pulp.LpSolveStatus.Interrupted:
        # our callback stopped it: at the deadline that is the time limit, at the work limit (PuLP has
        # no word for it: an iteration limit is the nearest), else the user
        reason = "IterationLimit" if stopped_by[0] == "WorkLimit" else stopped_by[0]
        solver_status = pulp.LpSolveStatus[reason]
    status, gap, reason = classify(solver_status, has_solution, objective, bound, options)
    return SolverReport(
        status=status,
        solver=options.name,
        solver_version=solver_version(options.name),
        objective=objective,
        bound=bound,
        gap=gap,
        seconds=elapsed,
        options=options,
        reason=reason,
        interrupted=solver_status == pulp.LpSolveStatus.Interrupted,
        timed_out=solver_status == pulp.LpSolveStatus.TimeLimit,
    )


def highs_outcome(highs: Any) -> tuple[pulp.LpSolveStatus, bool, float | None, float | None]:
    """(status, has a solution, objective, bound) of a MIP solved in a `highspy.Highs` of our own, as
    PuLP reads them off one it built."""
    import highspy

    status = highs.getModelStatus()
    known = highspy.HighsModelStatus
    statuses = {
        known.kOptimal: pulp.LpSolveStatus.Optimal,
        known.kInfeasible: pulp.LpSolveStatus.Infeasible,
        known.kUnbounded: pulp.LpSolveStatus.Unbounded,
        known.kObjectiveBound: pulp.LpSolveStatus.GapLimit,
        known.kObjectiveTarget: pulp.LpSolveStatus.GapLimit,
        known.kInterrupt: pulp.LpSolveStatus.Interrupted,
        known.kTimeLimit: pulp.LpSolveStatus.TimeLimit,
        known.kIterationLimit: pulp.LpSolveStatus.IterationLimit,
        known.kSolutionLimit: pulp.LpSolveStatus.SolutionLimit,
        known.kMemoryLimit: pulp.LpSolveStatus.MemoryLimit,
    }
    solver_status = statuses.get(status, pulp.LpSolveStatus.Undefined)
    objective = highs.getObjectiveValue()
    stopped_early = solver_status in (
        pulp.LpSolveStatus.GapLimit,
        pulp.LpSolveStatus.Interrupted,
        pulp.LpSolveStatus.TimeLimit,
        pulp.LpSolveStatus.IterationLimit,
        pulp.LpSolveStatus.SolutionLimit,
        pulp.LpSolveStatus.MemoryLimit,
    )
    has_solution = status == known.kOptimal or (stopped_early and math.isfinite(objective))
    bound = highs.getInfo().mip_dual_bound
    return solver_status, has_solution, objective if has_solution else None, bound if math.isfinite(bound) else None
