"""One way to run many independent solves: submit tasks, gather results in order, report progress,
and stop cleanly on Ctrl-C, keeping what finished.

Every multi-solve study goes through an `Executor`: the province split, end states and compare. Two
back ends live here: `SerialExecutor` runs the tasks one after the other in this process;
`ProcessExecutor` runs them side by side in fresh worker processes (spawned, so a worker shares no
solver state with its parent). The Dask back end, for a cluster, is `optimizer.cluster.DaskExecutor`.

A task function has the form `function(task, stop, progress) -> result`, defined at module level so
that it can be sent to a worker. `stop` is set when the run should end: the function should then
return what it has (a solver's incumbent) rather than raise. `progress` carries the task's own lines
(model building, the solver's best bound) when a run has one task; with many, the executor reports
each finished task instead.

Every executor is a context manager, and whoever opens one closes it with `with`: leaving the block,
by its end, an error, bad input found half-way or Ctrl-C, ends the worker processes it started
(tests/test_executor.py counts them).
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import queue
import signal
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any, Protocol, Self, TypeVar

from inputs.labels import clock, language, name, says, text
from optimizer.control import Progress, StopFlag

T = TypeVar("T")
R = TypeVar("R")

Task = Callable[[T, StopFlag, Progress | None], R]

#: what a task lost with its cluster says in place of an answer, in English and Dutch (a study looks
#: for either: `was_lost`)
LOST_MARKS = ("lost with the Dask cluster", "verloren met het Dask-cluster")


def lost_mark() -> str:
    return says(*LOST_MARKS)


def lost_reason() -> str:
    return says(f"{LOST_MARKS[0]} before it was solved", f"{LOST_MARKS[1]} voordat het was opgelost")


def was_lost(reason: str) -> bool:
    """Whether a report's reason says its task (or one of its parts) was lost with the cluster."""
    return any(mark in reason for mark in LOST_MARKS)


#: after a stop request, how long running tasks get to hand back what they have before they are ended
GRACE_S = 10.0
#: how often the parent looks at its stop flag (and a worker's progress lines) while it waits
POLL_S = 0.2


class WorkerDied(BrokenProcessPool):
    """A worker process ended under its task without handing anything back (killed, out of memory, a
    crash inside the solver), named with how it ended: its exit code or the signal that ended it."""

    def __init__(self, pid: int | None, exitcode: int | None) -> None:
        self.pid = pid
        self.exitcode = exitcode
        super().__init__(self.reason(language()))

    def reason(self, lang: str) -> str:
        """How the process ended, in `lang`: 'worker process 4242 was killed by signal 9 (SIGKILL)'."""
        who = text(lang, "worker process", "werkproces") + ("" if self.pid is None else f" {self.pid}")
        code = self.exitcode
        if code is None:
            return text(lang, f"{who} ended without an exit code", f"{who} stopte zonder afsluitcode")
        if code < 0:
            try:
                signal_name = f" ({signal.Signals(-code).name})"
            except ValueError:
                signal_name = ""
            return text(
                lang,
                f"{who} was killed by signal {-code}{signal_name}",
                f"{who} is gestopt door signaal {-code}{signal_name}",
            )
        return text(lang, f"{who} exited with code {code}", f"{who} stopte met afsluitcode {code}")


def died(processes: Sequence[multiprocessing.process.BaseProcess]) -> WorkerDied:
    """Which of a broken pool's processes died first, and how: the pool itself ends the others with
    SIGTERM once one has died, so a process that ended any other way is the one that broke it."""
    ended = [process for process in processes if process.exitcode is not None]
    first = [process for process in ended if process.exitcode not in (0, -signal.SIGTERM)] or ended
    if not first:
        return WorkerDied(None, None)
    return WorkerDied(first[0].pid, first[0].exitcode)


class Ended(StrEnum):
    """Why a task has no value although it raised nothing."""

    STOPPED = "stopped"  # Ctrl-C came before it finished (or before it started)
    OVERRAN = "overran"  # it ran past the run's hard limit and its process was ended
    LOST = "lost"  # the cluster it ran on failed under it (its scheduler, or every worker, went away)


@dataclass(frozen=True)
class Outcome[R]:
    """What became of one task: its value, the error it raised, or why it has neither."""

    label: str
    value: R | None = None
    error: BaseException | None = None
    ended: Ended | None = None

    @property
    def cancelled(self) -> bool:
        return self.ended is not None


class Executor(Protocol):
    stop: StopFlag
    #: None, or why tasks were lost: the back end failed under a run (only a cluster can)
    lost: str | None

    def run(
        self,
        function: Task[T, R],
        tasks: Sequence[tuple[str, T]],
        progress: Progress | None = None,
        describe: Callable[[R], str] = str,
        limit_s: float | None = None,
    ) -> list[Outcome[R]]:
        """Run `function` on every task; outcomes in the order of `tasks`. `limit_s` is a hard bound
        on the whole run, for back ends that can end a task that does not stop by itself."""
        ...

    def close(self) -> None:
        """Let go of workers started ahead of a run that did not come."""
        ...

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...


class Closing:
    """An executor as a context manager: `with local_executor(...) as executor:` closes it on leaving."""

    def close(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def outcome_words(outcome: Outcome[Any], describe: Callable[[Any], str]) -> str:
    """How a task ended, in the run's language: its answer described, its failure, or why it has none."""
    if outcome.error is not None:
        return says("failed: ", "mislukt: ") + str(outcome.error)
    if outcome.ended is not None:
        return {
            Ended.STOPPED: says("not run (stopped)", "niet gedaan (gestopt)"),
            Ended.OVERRAN: says("ended: it overran the time limit", "beëindigd: de tijdslimiet was overschreden"),
            Ended.LOST: says("lost with the cluster", "verloren met het cluster"),
        }[outcome.ended]
    return describe(outcome.value)


def _line(started: float, number: int, total: int, outcome: Outcome[Any], describe: Callable[[Any], str]) -> str:
    what = outcome_words(outcome, describe)
    seconds = time.monotonic() - started
    # a label that is a key (an end state) in words
    return f"  {clock(seconds)}  {number}/{total} {name(outcome.label, language())}: {what}"


class SerialExecutor(Closing):
    """Tasks one after the other, in this process; after a stop the rest are not run. A task that
    does not stop by itself cannot be ended here (`limit_s` is not enforced)."""

    def __init__(self, stop: StopFlag | None = None) -> None:
        self.stop: StopFlag = stop if stop is not None else threading.Event()
        self.lost: str | None = None

    def close(self) -> None:
        """Nothing to let go of: tasks run in this process."""

    def run(
        self,
        function: Task[T, R],
        tasks: Sequence[tuple[str, T]],
        progress: Progress | None = None,
        describe: Callable[[R], str] = str,
        limit_s: float | None = None,
    ) -> list[Outcome[R]]:
        started = time.monotonic()
        outcomes: list[Outcome[R]] = []
        own = progress if len(tasks) == 1 else None
        for number, (label, task) in enumerate(tasks, start=1):
            if self.stop.is_set():
                outcome: Outcome[R] = Outcome(label, ended=Ended.STOPPED)
            else:
                try:
                    outcome = Outcome(label, value=function(task, self.stop, own))
                except Exception as error:  # the caller decides: an input error, or a bug
                    outcome = Outcome(label, error=error)
            outcomes.append(outcome)
            if progress is not None and len(tasks) > 1:
                progress(_line(started, number, len(tasks), outcome, describe))
        return outcomes


# -- worker processes ----------------------------------------------------------------------------

_worker_stop: StopFlag | None = None
_worker_lines: Any = None


def _start_worker(stop: StopFlag, lines: Any) -> None:
    """In each worker: Ctrl-C is the parent's to handle (it sets `stop`), so the worker ignores SIGINT
    and finishes its solve with what it has when `stop` is set."""
    global _worker_stop, _worker_lines
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_stop, _worker_lines = stop, lines


def _in_worker[T, R](function: Task[T, R], task: T) -> R:
    assert _worker_stop is not None
    return function(task, _worker_stop, None if _worker_lines is None else _worker_lines.put)


class ProcessExecutor(Closing):
    """Tasks side by side in `workers` spawned processes (each solve single-threaded, as HiGHS is
    fastest and repeatable that way). `stop` is the parent's flag (set by Ctrl-C); the workers see it
    through an event of their own. A worker that does not hand back within `GRACE_S` of a stop, or
    runs past `limit_s`, is ended: its task is reported, never silently dropped."""

    def __init__(self, workers: int | None = None, stop: StopFlag | None = None, *, run_again: bool = True) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.stop: StopFlag = stop if stop is not None else threading.Event()
        self.lost: str | None = None
        #: a task lost with its worker process runs once more in a fresh one (`_run_again`)
        self.run_again = run_again
        self._started: tuple[ProcessPoolExecutor, Any] | None = None

    def start(self, module: str) -> None:
        """Start the workers now and have them import `module`, so that the next run finds them ready:
        a run of many small solves otherwise first waits a second for them (started while the caller
        does other work, such as the solve that the run explains)."""
        context = multiprocessing.get_context("spawn")
        worker_stop = context.Event()
        pool = ProcessPoolExecutor(
            self.workers, mp_context=context, initializer=_start_worker, initargs=(worker_stop, None)
        )
        for _ in range(self.workers):
            pool.submit(importlib.import_module, module)
        self._started = (pool, worker_stop)

    def close(self) -> None:
        """End workers started by `start` that no run took."""
        if self._started is not None:
            _end(self._started[0])
            self._started = None

    def run(
        self,
        function: Task[T, R],
        tasks: Sequence[tuple[str, T]],
        progress: Progress | None = None,
        describe: Callable[[R], str] = str,
        limit_s: float | None = None,
    ) -> list[Outcome[R]]:
        if not tasks:
            return []
        context = multiprocessing.get_context("spawn")
        lines = context.Queue() if progress is not None and len(tasks) == 1 else None
        started = time.monotonic()
        outcomes: dict[int, Outcome[R]] = {}
        if self._started is not None and lines is None:
            pool, worker_stop = self._started
            self._started = None
        else:
            self.close()
            worker_stop = context.Event()
            pool = ProcessPoolExecutor(
                min(self.workers, len(tasks)),
                mp_context=context,
                initializer=_start_worker,
                initargs=(worker_stop, lines),
            )
        futures: dict[Future[R], int] = {}
        ended = Ended.STOPPED
        try:
            for index, (_label, task) in enumerate(tasks):
                futures[pool.submit(_in_worker, function, task)] = index
            pending = set(futures)
            stopping_since: float | None = None
            while pending:
                done, pending = wait(pending, timeout=POLL_S, return_when=FIRST_COMPLETED)
                _relay(lines, progress)
                for future in sorted(done, key=futures.__getitem__):
                    index = futures[future]
                    outcomes[index] = _outcome(tasks[index][0], future, self.stop.is_set())
                    if progress is not None and len(tasks) > 1:
                        progress(_line(started, len(outcomes), len(tasks), outcomes[index], describe))
                if limit_s is not None and time.monotonic() - started > limit_s:
                    ended = Ended.OVERRAN
                    break
                if self.stop.is_set() and stopping_since is None:
                    stopping_since = time.monotonic()
                    worker_stop.set()
                    for future in pending:
                        future.cancel()
                if stopping_since is not None and time.monotonic() - stopping_since > GRACE_S:
                    break  # a worker that does not hand back in time is ended below
        finally:
            processes = _end(pool)
        _relay(lines, progress)
        _name_the_dead(outcomes, processes)
        if self.run_again:
            self._run_again(function, tasks, outcomes, progress, describe, limit_s, started)
        return [outcomes.get(index, Outcome(label, ended=ended)) for index, (label, _task) in enumerate(tasks)]

    def _run_again(
        self,
        function: Task[T, R],
        tasks: Sequence[tuple[str, T]],
        outcomes: dict[int, Outcome[R]],
        progress: Progress | None,
        describe: Callable[[R], str],
        limit_s: float | None,
        started: float,
    ) -> None:
        """The tasks a worker process took down with it when it died (killed, out of memory, a crash in
        the solver; the pool then ends every task it had) run once more in fresh worker processes; those
        lost again run once more each in a process of its own, so that a task that kills its process
        every time takes no other with it, and is reported with the reason."""
        lost = _lost_with_process(outcomes)
        left = None if limit_s is None else limit_s - (time.monotonic() - started)
        if not lost or self.stop.is_set() or (left is not None and left <= 0):
            return  # the run's hard limit holds for the tasks asked again too
        if progress is not None:
            reason = str(outcomes[lost[0]].error)
            progress(
                says(
                    f"  a worker process ended abruptly ({reason}); {len(lost)} task(s) run again in new ones",
                    f"  een werkproces stopte abrupt ({reason}); {len(lost)} taak/taken opnieuw in nieuwe",
                )
            )
        with ProcessExecutor(self.workers, self.stop, run_again=False) as fresh:
            again = fresh.run(function, [tasks[index] for index in lost], None, describe, left)
        outcomes.update(zip(lost, again, strict=True))
        alone = _lost_with_process({index: outcomes[index] for index in lost}) if len(lost) > 1 else []
        for index in alone:
            left = None if limit_s is None else limit_s - (time.monotonic() - started)
            if self.stop.is_set() or (left is not None and left <= 0):
                break
            with ProcessExecutor(1, self.stop, run_again=False) as own:
                outcomes[index] = own.run(function, [tasks[index]], None, describe, left)[0]
        if progress is not None and len(tasks) > 1:
            for index in lost:
                progress(_line(started, len(tasks), len(tasks), outcomes[index], describe))


def _lost_with_process(outcomes: Mapping[int, Outcome[Any]]) -> list[int]:
    """The tasks whose worker process died under them (or under a sibling in the same pool)."""
    return [index for index, outcome in sorted(outcomes.items()) if isinstance(outcome.error, BrokenProcessPool)]


def _name_the_dead(outcomes: dict[int, Outcome[Any]], processes: Sequence[multiprocessing.process.BaseProcess]) -> None:
    """The pool's own error for tasks lost with a worker process says only that one ended abruptly:
    they say which, and how (its exit code or signal)."""
    lost = _lost_with_process(outcomes)
    if lost:
        dead = died(processes)
        for index in lost:
            if not isinstance(outcomes[index].error, WorkerDied):
                outcomes[index] = replace(outcomes[index], error=dead)


def _relay(lines: Any, progress: Progress | None) -> None:
    """A worker's progress lines, printed by the parent."""
    if lines is None or progress is None:
        return
    while True:
        try:
            progress(lines.get_nowait())
        except (queue.Empty, OSError, ValueError):
            return


def _outcome(label: str, future: Future[Any], stopping: bool) -> Outcome[Any]:
    if future.cancelled():
        return Outcome(label, ended=Ended.STOPPED)
    error = future.exception()
    if isinstance(error, BrokenProcessPool) and stopping:
        return Outcome(label, ended=Ended.STOPPED)  # a worker caught by Ctrl-C while it was starting
    if error is not None:
        return Outcome(label, error=error)
    return Outcome(label, value=future.result())


def _end(pool: ProcessPoolExecutor) -> list[multiprocessing.process.BaseProcess]:
    """Shut the pool down without waiting for a worker that is still busy; its processes, ended (their
    exit codes say how a dead one died)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # Python 3.14 has terminate_workers()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
    return processes


def _call[R](task: tuple[Callable[..., R], tuple[Any, ...]], stop: StopFlag, progress: Progress | None) -> R:
    function, args = task
    return function(*args)


def in_fresh_process[R](function: Callable[..., R], *args: Any) -> R:
    """`function(*args)` in a new worker process, so that its time and peak memory are its own (the
    benchmarks); an error it raises is raised here."""
    with ProcessExecutor(1) as executor:
        outcome = executor.run(_call, [(getattr(function, "__name__", "task"), (function, args))])[0]
    if outcome.error is not None:
        raise outcome.error
    assert outcome.value is not None
    return outcome.value


def local_executor(workers: int | None = None, stop: StopFlag | None = None) -> Executor:
    """Worker processes when more than one worker is wanted (and the machine has the cores), else this
    process."""
    count = workers if workers is not None else (os.cpu_count() or 1)
    if count <= 1:
        return SerialExecutor(stop)
    return ProcessExecutor(count, stop)
