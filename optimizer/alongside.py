"""Many small solves in this process and in worker processes beside it (issue 22: an explanation's
re-solves on every core).

    AlongsideExecutor(workers, stop)   one task at a time here, on a thread of this process, and
                                       one at a time in each of `workers - 1` worker processes

A worker process first starts an interpreter, imports seta and builds its own model before its first
re-solve: on the Kempen as long as half of the explanation. This process has all that at hand, so
it starts on the tasks at once, and the workers join in as they come up. HiGHS lets go of Python's
lock while it solves, so the thread here solves beside the caller's; but two HiGHS solves on two
threads of one process ran one after the other (benchmarks/README.md, section 4), hence one thread
here and processes for the other cores. Each task's answer depends on its inputs alone, so the answers are the same
wherever a task runs and whatever the load.
"""

from __future__ import annotations

import importlib
import multiprocessing
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from optimizer.control import Progress, StopFlag
from optimizer.executor import (
    GRACE_S,
    POLL_S,
    Closing,
    Ended,
    Outcome,
    ProcessExecutor,
    Task,
    _end,
    _in_worker,
    _line,
    _outcome,
)
from optimizer.executor import _start_worker as _start_process

T = TypeVar("T")
R = TypeVar("R")

#: tasks handed to each worker process ahead of the one it solves, so that it never waits for the
#: next while this process finishes one of its own
AHEAD = 1


class AlongsideExecutor(Closing):
    """Tasks in the order given (put the long ones first), taken one at a time by this process and by
    `workers - 1` worker processes; after a stop the tasks not begun are not run, and a worker that
    does not hand back within `GRACE_S` is ended. A task whose worker process died under it (killed,
    out of memory, a crash in the solver) runs again in a process of its own, so that one that kills
    its process every time is reported with the reason and takes nothing else with it; the tasks after
    it go on here. The task here cannot be ended (`limit_s` holds for
    the workers only), as in `SerialExecutor`."""

    def __init__(self, workers: int, stop: StopFlag | None = None) -> None:
        self.processes = max(0, workers - 1)
        self.stop: StopFlag = stop if stop is not None else threading.Event()
        self.lost: str | None = None
        self._pool: tuple[ProcessPoolExecutor, Any] | None = None

    def start(self, module: str) -> None:
        """Start the worker processes now and have them import `module`, while the caller does other
        work (the solve the run explains)."""
        if self._pool is None and self.processes:
            self._pool = self._new_pool()
            for _ in range(self.processes):
                self._pool[0].submit(importlib.import_module, module)

    def adopt(self, pool: ProcessPoolExecutor, stop: Any) -> None:
        """Take worker processes already started (`cli.early`): `pool` of `processes` workers, each
        set up as this executor's are, with `stop` their stop flag."""
        self.close()
        self._pool = (pool, stop)

    def _new_pool(self) -> tuple[ProcessPoolExecutor, Any]:
        context = multiprocessing.get_context("spawn")
        worker_stop = context.Event()
        pool = ProcessPoolExecutor(
            self.processes, mp_context=context, initializer=_start_process, initargs=(worker_stop, None)
        )
        return pool, worker_stop

    def close(self) -> None:
        if self._pool is not None:
            _end(self._pool[0])
            self._pool = None

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
        started = time.monotonic()
        outcomes: dict[int, Outcome[R]] = {}
        lock = threading.Lock()
        waiting = iter(range(len(tasks)))
        # set when run returns before the thread here is done (the limit ran out): the task in hand
        # cannot be ended, but the thread takes no other and reports nothing more
        returned = threading.Event()

        def take() -> int | None:
            with lock:
                return None if self.stop.is_set() or returned.is_set() else next(waiting, None)

        def record(index: int, outcome: Outcome[R]) -> None:
            with lock:
                if returned.is_set():
                    return
                outcomes[index] = outcome
                if progress is not None and len(tasks) > 1:
                    progress(_line(started, len(outcomes), len(tasks), outcome, describe))

        def solve_here(index: int) -> None:
            label, task = tasks[index]
            try:
                outcome: Outcome[R] = Outcome(label, value=function(task, self.stop, None))
            except Exception as error:  # the caller decides: an input error, or a bug
                outcome = Outcome(label, error=error)
            record(index, outcome)

        def here() -> None:
            while (index := take()) is not None:
                solve_here(index)

        local = threading.Thread(target=here, name="seta-alongside", daemon=True)
        local.start()
        pool = None
        if self.processes:
            pool, worker_stop = self._pool or self._new_pool()
            self._pool = None
        futures: dict[Future[R], int] = {}
        lost: list[int] = []
        ended = Ended.STOPPED
        started_pool = pool
        try:
            stopping_since: float | None = None
            while local.is_alive() or futures:
                while pool is not None and len(futures) < self.processes * (1 + AHEAD):
                    index = take()
                    if index is None:
                        break
                    futures[pool.submit(_in_worker, function, tasks[index][1])] = index
                if futures:
                    done, _pending = wait(futures, timeout=POLL_S, return_when=FIRST_COMPLETED)
                    for future in sorted(done, key=futures.__getitem__):
                        index = futures.pop(future)
                        outcome = _outcome(tasks[index][0], future, self.stop.is_set())
                        if isinstance(outcome.error, BrokenProcessPool):
                            lost.append(index)  # its worker died under it: asked again here
                            pool = None  # and no more tasks for the workers, which died with it
                        else:
                            record(index, outcome)
                else:
                    local.join(POLL_S)
                if limit_s is not None and time.monotonic() - started > limit_s:
                    ended = Ended.OVERRAN
                    break
                if self.stop.is_set() and stopping_since is None:
                    stopping_since = time.monotonic()
                    if pool is not None:
                        worker_stop.set()
                if stopping_since is not None and time.monotonic() - stopping_since > GRACE_S:
                    break  # a worker that does not hand back in time is ended below
        finally:
            if started_pool is not None:
                _end(started_pool)
        if ended is Ended.OVERRAN:
            with lock:
                returned.set()
                return [outcomes.get(index, Outcome(label, ended=ended)) for index, (label, _task) in enumerate(tasks)]
        local.join()
        for index in lost:  # a task whose worker died: again, in a process of its own
            if not self.stop.is_set():
                with ProcessExecutor(1, self.stop, run_again=False) as alone:
                    record(index, alone.run(function, [tasks[index]])[0])
        return [outcomes.get(index, Outcome(label, ended=ended)) for index, (label, _task) in enumerate(tasks)]
