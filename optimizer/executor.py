"""One way to run many independent solves: submit tasks, gather results in order, report progress,
and stop cleanly on Ctrl-C, keeping what finished.

Every multi-solve study goes through an `Executor`: the province split, end states, compare (and the
studies that later re-solve many times). Two back ends live here: `SerialExecutor` runs the tasks one
after the other in this process; `ProcessExecutor` runs them side by side in fresh worker processes
(spawned, so a worker shares no solver state with its parent). A back end for a cluster can stand
behind the same `run`.

A task function has the form `function(task, stop) -> result`, defined at module level so that it can
be sent to a worker; `stop` is set when the run should end, and the function should then return
what it has (a solver's incumbent) rather than raise.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from optimizer.control import Progress, StopFlag

T = TypeVar("T")
R = TypeVar("R")

#: after a stop request, how long running tasks get to hand back what they have before they are ended
GRACE_S = 10.0
#: how often the parent looks at its stop flag while it waits for workers
POLL_S = 0.2


@dataclass(frozen=True)
class Outcome[R]:
    """What became of one task: its value, the error it raised, or nothing (cancelled by a stop)."""

    label: str
    value: R | None = None
    error: BaseException | None = None
    cancelled: bool = False

    @property
    def done(self) -> bool:
        return not self.cancelled and self.error is None


class Executor(Protocol):
    stop: StopFlag

    def run(
        self,
        function: Callable[[T, StopFlag], R],
        tasks: Sequence[tuple[str, T]],
        progress: Progress | None = None,
        describe: Callable[[R], str] = str,
    ) -> list[Outcome[R]]:
        """Run `function` on every task; outcomes in the order of `tasks`."""
        ...


def _line(started: float, number: int, total: int, outcome: Outcome[Any], describe: Callable[[Any], str]) -> str:
    if outcome.error is not None:
        what = f"failed: {outcome.error}"
    elif outcome.cancelled:
        what = "not run (stopped)"
    else:
        what = describe(outcome.value)
    return f"  {time.monotonic() - started:6.1f} s  {number}/{total} {outcome.label}: {what}"


class SerialExecutor:
    """Tasks one after the other, in this process; after a stop the rest are not run."""

    def __init__(self, stop: StopFlag | None = None) -> None:
        self.stop: StopFlag = stop if stop is not None else threading.Event()

    def run(
        self,
        function: Callable[[T, StopFlag], R],
        tasks: Sequence[tuple[str, T]],
        progress: Progress | None = None,
        describe: Callable[[R], str] = str,
    ) -> list[Outcome[R]]:
        started = time.monotonic()
        outcomes: list[Outcome[R]] = []
        for number, (label, task) in enumerate(tasks, start=1):
            if self.stop.is_set():
                outcome: Outcome[R] = Outcome(label, cancelled=True)
            else:
                try:
                    outcome = Outcome(label, value=function(task, self.stop))
                except Exception as error:  # the caller decides: an input error, or a bug
                    outcome = Outcome(label, error=error)
            outcomes.append(outcome)
            if progress is not None and len(tasks) > 1:
                progress(_line(started, number, len(tasks), outcome, describe))
        return outcomes


# -- worker processes ----------------------------------------------------------------------------

_worker_stop: StopFlag | None = None


def _start_worker(stop: StopFlag) -> None:
    """In each worker: Ctrl-C is the parent's to handle (it sets `stop`), so the worker ignores SIGINT
    and finishes its solve with what it has when `stop` is set."""
    global _worker_stop
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_stop = stop


def _in_worker[T, R](function: Callable[[T, StopFlag], R], task: T) -> R:
    assert _worker_stop is not None
    return function(task, _worker_stop)


class ProcessExecutor:
    """Tasks side by side in `workers` spawned processes (each solve single-threaded, as HiGHS is
    fastest and repeatable that way). `stop` is the parent's flag (set by Ctrl-C); the workers see it
    through an event of their own."""

    def __init__(self, workers: int | None = None, stop: StopFlag | None = None) -> None:
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.stop: StopFlag = stop if stop is not None else threading.Event()

    def run(
        self,
        function: Callable[[T, StopFlag], R],
        tasks: Sequence[tuple[str, T]],
        progress: Progress | None = None,
        describe: Callable[[R], str] = str,
    ) -> list[Outcome[R]]:
        if not tasks:
            return []
        context = multiprocessing.get_context("spawn")
        worker_stop = context.Event()
        started = time.monotonic()
        workers = min(self.workers, len(tasks))
        outcomes: dict[int, Outcome[R]] = {}
        pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(worker_stop,))
        futures: dict[Future[R], int] = {}
        try:
            for index, (_label, task) in enumerate(tasks):
                futures[pool.submit(_in_worker, function, task)] = index
            pending = set(futures)
            stopping_since: float | None = None
            while pending:
                done, pending = wait(pending, timeout=POLL_S, return_when=FIRST_COMPLETED)
                for future in sorted(done, key=futures.__getitem__):
                    index = futures[future]
                    outcomes[index] = _outcome(tasks[index][0], future, self.stop.is_set())
                    if progress is not None:
                        progress(_line(started, len(outcomes), len(tasks), outcomes[index], describe))
                if self.stop.is_set() and stopping_since is None:
                    stopping_since = time.monotonic()
                    worker_stop.set()
                    for future in pending:
                        future.cancel()
                if stopping_since is not None and time.monotonic() - stopping_since > GRACE_S:
                    break  # a worker that does not hand back in time is ended below
        finally:
            _end(pool)
        return [outcomes.get(index, Outcome(label, cancelled=True)) for index, (label, _task) in enumerate(tasks)]


def _outcome(label: str, future: Future[Any], stopping: bool) -> Outcome[Any]:
    if future.cancelled():
        return Outcome(label, cancelled=True)
    error = future.exception()
    if isinstance(error, BrokenProcessPool) and stopping:
        return Outcome(label, cancelled=True)  # a worker caught by Ctrl-C while it was starting
    if error is not None:
        return Outcome(label, error=error)
    return Outcome(label, value=future.result())


def _end(pool: ProcessPoolExecutor) -> None:
    """Shut the pool down without waiting for a worker that is still busy."""
    processes = list(getattr(pool, "_processes", {}).values())  # Python 3.14 has terminate_workers()
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)


def local_executor(workers: int | None = None, stop: StopFlag | None = None) -> Executor:
    """Worker processes when more than one worker is wanted (and the machine has the cores), else this
    process."""
    count = workers if workers is not None else (os.cpu_count() or 1)
    if count <= 1:
        return SerialExecutor(stop)
    return ProcessExecutor(count, stop)
