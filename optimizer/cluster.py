"""The Dask back end of the executor: a study's solves on a `dask.distributed` cluster.

    DaskExecutor(address="tcp://host:8786")   an existing cluster, by its scheduler's address
    DaskExecutor(workers=4)                    a LocalCluster of 4 worker processes on this machine

Each task is one solve (or one flip search, one province part), submitted as it is: a study whose
solves are themselves split (a national draw is 12 province parts) submits the parts, so nothing
nests. A worker that dies mid-task has its task retried on another (`RETRIES`); a task that fails
again is reported by its label, never dropped. An unreachable scheduler is an `Unreachable` error
within `CONNECT_S` seconds, not a hang. Ctrl-C cancels what has not started and keeps what finished.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from optimizer.control import NeverStop, Progress, StopFlag
from optimizer.executor import Ended, Outcome, R, T, Task, _line

#: seconds to reach a scheduler before saying it cannot be reached
CONNECT_S = 5.0
#: times a task is run again after its worker died
RETRIES = 2
#: how often the run looks at its stop flag while it waits
POLL_S = 0.2


#: a local cluster for solves: tasks wait at the scheduler until a worker is free, rather than queue
#: behind a long solve at a busy worker while another stands idle; no statistical profiler and slow
#: monitors, whose threads take the interpreter lock from the solver (on 4 provinces of nl-2024, 2
#: workers: 29.3 s with Dask's defaults, 27.1 s without, 24.7 s on local processes); and glibc's own
#: trim threshold rather than Dask's 64 KiB, at which malloc hands memory back so eagerly that model
#: building and HiGHS take about 9 % more CPU (Limburg's solve: 12.7 s against 13.9 s)
LOCAL_CONFIG = {
    "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
    "distributed.scheduler.worker-saturation": 1.0,
    "distributed.worker.profile.enabled": False,
    "distributed.admin.system-monitor.interval": "5s",
    "distributed.worker.memory.monitor-interval": "5s",
}


class Unreachable(OSError):
    """The scheduler did not answer at its address."""


def _on_worker[U, V](function: Task[U, V], task: U) -> V:
    """A task on a Dask worker: it has no stop flag of its own (a cancelled task is dropped by the
    scheduler; one already running finishes within its solve's time limit)."""
    return function(task, NeverStop(), None)


class DaskExecutor:
    def __init__(self, address: str | None = None, workers: int | None = None, stop: StopFlag | None = None) -> None:
        import dask
        from distributed import Client, LocalCluster

        self.stop: StopFlag = stop if stop is not None else threading.Event()
        self._cluster: Any = None
        if address:
            try:
                self.client = Client(address, timeout=f"{CONNECT_S:g}s", set_as_default=False)
            except (OSError, TimeoutError) as error:
                raise Unreachable(
                    f"cannot reach the Dask scheduler at {address} within {CONNECT_S:g} s ({error})"
                ) from None
        else:
            with dask.config.set(LOCAL_CONFIG):
                self._cluster = LocalCluster(
                    n_workers=workers or 1, threads_per_worker=1, processes=True, dashboard_address=None
                )
            self.client = Client(self._cluster, set_as_default=False)
        self.address = self.client.scheduler.address

    @property
    def workers(self) -> int:
        return len(self.client.scheduler_info()["workers"])

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

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
        # all tasks in one message and one task group (the key's prefix): the scheduler then queues
        # them and hands each to the next free worker in the order given (keys sort as they are
        # given). Submitted one by one, the first few reach the scheduler while the group is still
        # small and are placed on a worker at once, blind to their length: on nl-2024's provinces,
        # Zuid-Holland (45 s) waited behind Noord-Brabant (46 s) while the other worker ran the rest.
        run = uuid.uuid4().hex[:8]
        futures = self.client.map(
            _on_worker,
            [function] * len(tasks),
            [task for _label, task in tasks],
            key=[f"seta_solve-{index:06d}-{run}" for index in range(len(tasks))],
            pure=False,
            retries=RETRIES,
        )
        index_of = {future.key: index for index, future in enumerate(futures)}
        outcomes: dict[int, Outcome[R]] = {}
        pending = set(futures)
        ended = Ended.STOPPED
        while pending:
            if self.stop.is_set():
                break
            if limit_s is not None and time.monotonic() - started > limit_s:
                ended = Ended.OVERRAN
                break
            done = [future for future in pending if future.done()]
            if not done:
                time.sleep(POLL_S)
                continue
            pending.difference_update(done)
            for future in sorted(done, key=lambda f: index_of[f.key]):
                index = index_of[future.key]
                label = tasks[index][0]
                if future.status == "error":
                    outcomes[index] = Outcome(label, error=future.exception())
                elif future.status == "cancelled":
                    outcomes[index] = Outcome(label, ended=Ended.STOPPED)
                else:
                    outcomes[index] = Outcome(label, value=future.result())
                if progress is not None:
                    progress(_line(started, len(outcomes), len(tasks), outcomes[index], describe))
        for future in pending:
            future.cancel()
        return [outcomes.get(index, Outcome(label, ended=ended)) for index, (label, _task) in enumerate(tasks)]
