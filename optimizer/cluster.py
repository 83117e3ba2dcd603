"""The Dask back end of the executor: a study's solves on a `dask.distributed` cluster.

    DaskExecutor(address="tcp://host:8786")   an existing cluster, by its scheduler's address
    DaskExecutor(workers=4)                    a LocalCluster of 4 worker processes on this machine

Each task is one solve (or one flip search, one province part), submitted as it is: a study whose
solves are themselves split (a national draw is 12 province parts) submits the parts, so nothing
nests. Every way the cluster can fail ends in words, within a bound, never in a hang:

- an address that is not one is `BadAddress` before anything is tried;
- a scheduler that does not answer within `connect_s` (refused, or a port that accepts and then
  says nothing) is `Unreachable`; one that has no worker for `no_workers_s` is `NoWorkers`;
- a worker that dies mid-task has its task run again on another: the scheduler resubmits it (up to
  distributed's `allowed-failures`; a task that kills its workers every time is lost);
- when the last worker is gone for `no_workers_s`, or the scheduler is lost, the run ends: what
  finished is kept, the rest is `Ended.LOST`, and `lost` says why.

Ctrl-C cancels what has not started and keeps what finished.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from typing import Any

from inputs.labels import figure, language, says
from optimizer.control import NeverStop, Progress, StopFlag
from optimizer.executor import Closing, Ended, Outcome, R, T, Task, _line

#: seconds to reach a scheduler and hear its answer before saying none answered
CONNECT_S = 10.0
#: seconds a run waits for a worker, at the start or after the last one left, before it ends
NO_WORKERS_S = 30.0
#: times a task that raised is run again (a worker that died is the scheduler's to resubmit)
RETRIES = 2
#: how often the run looks at its stop flag and its futures while it waits
POLL_S = 0.2
#: how often the run asks the scheduler how many workers it has
WORKERS_POLL_S = 1.0
#: the port `dask scheduler` listens on unless told otherwise (its dashboard is on 8787)
DEFAULT_PORT = 8786


def expected() -> str:
    """What an address looks like, in the run's language."""
    return says(
        f"expected tcp://HOST:PORT, e.g. tcp://10.0.0.5:{DEFAULT_PORT}",
        f"verwacht tcp://HOST:POORT, bijv. tcp://10.0.0.5:{DEFAULT_PORT}",
    )


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


class BadAddress(ValueError):
    """What was given is not a scheduler's address; the message says what is expected."""


class ClusterError(Exception):
    """The cluster cannot take the run: the message names the address and what was missing."""


class Unreachable(ClusterError):
    """No scheduler answered at the address in time."""


class NoWorkers(ClusterError):
    """The scheduler answered but had no worker to run anything."""


_HOST = re.compile(r"\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_]([A-Za-z0-9_.-]*[A-Za-z0-9_])?")


def scheduler_address(text: str) -> str:
    """tcp://HOST:PORT from what was given (HOST:PORT alone means tcp), or `BadAddress` saying what
    is expected: Dask itself takes most malformed addresses for a host name and waits, or fails
    with a traceback."""
    given = text.strip()
    scheme, separator, rest = given.partition("://")
    if not separator:
        scheme, rest = "tcp", given
    scheme = scheme.lower()
    if scheme in ("http", "https"):
        raise BadAddress(
            says(
                f"{text!r} is a web address: a scheduler's dashboard is there, not the scheduler itself "
                f"({expected()}; the scheduler listens on port {DEFAULT_PORT} unless told otherwise)",
                f"{text!r} is een webadres: daar staat het dashboard van een scheduler, niet de scheduler zelf "
                f"({expected()}; de scheduler luistert op poort {DEFAULT_PORT} tenzij anders opgegeven)",
            )
        )
    if scheme != "tcp":
        raise BadAddress(
            says(
                f"{text!r}: seta reaches a scheduler over tcp:// only ({expected()})",
                f"{text!r}: seta bereikt een scheduler alleen via tcp:// ({expected()})",
            )
        )
    host, colon, port = rest.removesuffix("/").rpartition(":")
    if not colon or not _HOST.fullmatch(host) or not port.isascii() or not port.isdigit():
        raise BadAddress(
            says(
                f"{text!r} is not a scheduler address ({expected()})",
                f"{text!r} is geen adres van een scheduler ({expected()})",
            )
        )
    if not 1 <= int(port) <= 65535:
        raise BadAddress(
            says(f"{text!r}: a port is 1-65535 ({expected()})", f"{text!r}: een poort is 1-65535 ({expected()})")
        )
    return f"tcp://{host}:{int(port)}"


def _probe(address: str, seconds: float) -> int:
    """How many workers the scheduler at `address` has, asked within `seconds` in all. distributed's
    own connect waits for the scheduler's handshake without a bound: a port that accepts and says
    nothing held `Client(address, timeout=...)` for good."""
    from distributed.comm import connect
    from distributed.core import send_recv

    async def ask() -> int:
        comm = await connect(address, timeout=seconds)
        try:
            info = await send_recv(comm, op="identity", n_workers=0, reply=True)
        finally:
            comm.abort()
        return int(info["n_workers"])

    try:
        return asyncio.run(asyncio.wait_for(ask(), seconds))
    except (OSError, TimeoutError) as error:
        raise Unreachable(_no_answer(address, seconds)) from error
    except Exception as error:  # something answered, in a language that is not a scheduler's
        why = f"{type(error).__name__}: {error}"
        raise Unreachable(
            says(
                f"what answered at {address} is not a Dask scheduler ({why})",
                f"wat op {address} antwoordde, is geen Dask-scheduler ({why})",
            )
        ) from error


def _no_answer(address: str, seconds: float) -> str:
    return says(
        f"no scheduler answered at {address} within {seconds:g} s",
        f"geen scheduler antwoordde op {address} binnen {figure(seconds, language())} s",
    )


class _Drop(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return False


class _DropDistributed(logging.Filter):
    """asyncio's "Task exception was never retrieved" for a task of distributed's client (its
    `AllExit` when the last worker is lost mid-gather): the executor has said what happened."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        return error is None or not type(error).__module__.startswith("distributed")


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """distributed writes its connection troubles to stderr as tracebacks (a lost scheduler gives an
    `asyncio.CancelledError` trace from the client's reconnect): the executor says what happened in
    one line instead, so those records are dropped while it lives."""
    handlers = logging.getLogger("distributed").handlers
    drop = _Drop()
    for handler in handlers:
        handler.addFilter(drop)
    # asyncio reports a task's unretrieved exception when the task is collected, which may be after
    # the executor is gone: that filter stays (it drops nothing but distributed's own exceptions)
    tasks = logging.getLogger("asyncio")
    if not any(isinstance(f, _DropDistributed) for f in tasks.filters):
        tasks.addFilter(_DropDistributed())
    try:
        yield
    finally:
        for handler in handlers:
            handler.removeFilter(drop)


def _on_worker[U, V](function: Task[U, V], task: U) -> V:
    """A task on a Dask worker: it has no stop flag of its own (a cancelled task is dropped by the
    scheduler; one already running finishes within its solve's time limit)."""
    return function(task, NeverStop(), None)


class DaskExecutor(Closing):
    """Runs tasks on a Dask cluster. `lost` is None while the cluster is whole, and after it failed
    under a run, why (the scheduler was lost, or no worker was left): later runs lose every task."""

    def __init__(
        self,
        address: str | None = None,
        workers: int | None = None,
        stop: StopFlag | None = None,
        *,
        connect_s: float = CONNECT_S,
        no_workers_s: float = NO_WORKERS_S,
        quiet: bool = True,
    ) -> None:
        import dask
        from distributed import Client, LocalCluster

        self.stop: StopFlag = stop if stop is not None else threading.Event()
        self.connect_s = connect_s
        self.no_workers_s = no_workers_s
        self.lost: str | None = None
        self._cluster: Any = None
        self._quiet = contextlib.ExitStack()
        if quiet:
            self._quiet.enter_context(_quiet())
        try:
            if address:
                address = scheduler_address(address)
                _probe(address, connect_s)
                try:
                    self.client = Client(address, timeout=f"{connect_s:g}s", set_as_default=False)
                except (OSError, TimeoutError) as error:
                    raise Unreachable(_no_answer(address, connect_s)) from error
                self.address = address
                self._wait_for_a_worker()
            else:
                with dask.config.set(LOCAL_CONFIG):
                    self._cluster = LocalCluster(
                        n_workers=workers or 1, threads_per_worker=1, processes=True, dashboard_address=None
                    )
                self.client = Client(self._cluster, set_as_default=False)
                self.address = self.client.scheduler.address
        except BaseException:
            self.close()
            raise

    @property
    def workers(self) -> int:
        return self._count() or 0

    def _count(self) -> int | None:
        """The scheduler's workers now, or None when it does not say within `connect_s`."""
        try:
            info = self.client.sync(self.client.scheduler.identity, n_workers=0, callback_timeout=self.connect_s)
            return int(info["n_workers"])
        except (Exception, asyncio.CancelledError):
            return None

    def _wait_for_a_worker(self) -> None:
        """A scheduler without workers would hold every task for ever: wait `no_workers_s` for one
        (Ctrl-C ends the wait; the run that follows then stops at once)."""
        deadline = time.monotonic() + self.no_workers_s
        while not self.stop.is_set():
            if self._count():
                return
            if time.monotonic() > deadline:
                waited = self.no_workers_s
                raise NoWorkers(
                    says(
                        f"the scheduler at {self.address} has no workers (waited {waited:g} s)",
                        f"de scheduler op {self.address} heeft geen werkers ({figure(waited, language())} s gewacht)",
                    )
                )
            time.sleep(min(0.5, self.no_workers_s / 10))

    def close(self) -> None:
        client = getattr(self, "client", None)
        try:
            if client is not None:
                with contextlib.suppress(Exception, asyncio.CancelledError):
                    client.close(timeout=self.connect_s)
            if self._cluster is not None:
                with contextlib.suppress(Exception, asyncio.CancelledError):
                    self._cluster.close(timeout=self.connect_s)
        finally:
            self._quiet.close()

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
        if self.lost is not None:
            return [Outcome(label, ended=Ended.LOST) for label, _task in tasks]
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
        watch = _Watch(self)
        dropped = 0  # tasks the cluster cancelled or could not hand back
        while pending:
            if self.stop.is_set():
                break
            if limit_s is not None and time.monotonic() - started > limit_s:
                ended = Ended.OVERRAN
                break
            self.lost = watch.lost()
            if self.lost is not None:
                ended = Ended.LOST
                break
            done = [future for future in pending if future.done()]
            if not done:
                time.sleep(POLL_S)
                continue
            pending.difference_update(done)
            for future in sorted(done, key=lambda f: index_of[f.key]):
                index = index_of[future.key]
                outcomes[index], was_dropped = self._outcome(tasks[index][0], future)
                dropped += was_dropped
                if progress is not None:
                    progress(_line(started, len(outcomes), len(tasks), outcomes[index], describe))
        if dropped and self.lost is None:
            self.lost = self._why_dropped(watch, dropped)
        if self.client.status == "running":
            for future in pending:
                with contextlib.suppress(Exception):
                    future.cancel()
        return [outcomes.get(index, Outcome(label, ended=ended)) for index, (label, _task) in enumerate(tasks)]

    def _why_dropped(self, watch: _Watch, count: int) -> str:
        """Why tasks came back cancelled or unfetchable: when the scheduler is killed, its futures
        can all end before the client's status says so (seen under load: five of six options lost,
        and the run ended 0). The watch is asked until it knows, for at most the connect time."""
        waited = time.monotonic()
        while time.monotonic() - waited < self.connect_s:
            watch.asked = 0.0  # ask the scheduler now, not at the next poll
            reason = watch.lost()
            if reason is not None:
                return reason
            time.sleep(POLL_S)
        return says(
            f"the scheduler at {self.address} dropped {count} task(s)",
            f"de scheduler op {self.address} liet {count} taak/taken vallen",
        )

    def _outcome(self, label: str, future: Any) -> tuple[Outcome[Any], bool]:
        """A finished future's outcome, its value fetched now: a value still on a worker when the
        scheduler goes is lost with it; and whether the cluster dropped it (cancelled, or its value
        could not be fetched) rather than the task failing on its own."""
        from distributed import KilledWorker

        try:
            if future.status == "error":
                error = future.exception(timeout=self.connect_s)
                if isinstance(error, KilledWorker):  # it took down every worker that ran it
                    return Outcome(label, ended=Ended.LOST), False
                return Outcome(label, error=error), False
            if future.status == "cancelled":  # only distributed cancels while the run waits
                return Outcome(label, ended=Ended.LOST), True
            return Outcome(label, value=future.result(timeout=self.connect_s)), False
        except (Exception, asyncio.CancelledError):
            return Outcome(label, ended=Ended.LOST), True


class _Watch:
    """Whether the cluster under a run has failed: the client lost its scheduler, the scheduler
    stopped answering, or it has had no worker for the executor's `no_workers_s`."""

    def __init__(self, executor: DaskExecutor) -> None:
        self.executor = executor
        self.asked = 0.0
        self.answered = time.monotonic()
        self.workers_seen = time.monotonic()

    def lost(self) -> str | None:
        executor = self.executor
        if executor.client.status != "running":
            return says(
                f"the scheduler at {executor.address} was lost", f"de scheduler op {executor.address} is weggevallen"
            )
        now = time.monotonic()
        if now - self.asked < WORKERS_POLL_S:
            return None
        count = executor._count()
        self.asked = now = time.monotonic()
        if executor.client.status != "running":
            return says(
                f"the scheduler at {executor.address} was lost", f"de scheduler op {executor.address} is weggevallen"
            )
        if count is None:
            if now - self.answered > executor.connect_s:
                return says(
                    f"the scheduler at {executor.address} stopped answering (waited {executor.connect_s:g} s)",
                    f"de scheduler op {executor.address} antwoordt niet meer (gewacht {executor.connect_s:g} s)",
                )
            return None
        self.answered = now
        if count:
            self.workers_seen = now
        elif now - self.workers_seen > executor.no_workers_s:
            return says(
                f"the scheduler at {executor.address} has no workers left (waited {executor.no_workers_s:g} s)",
                f"de scheduler op {executor.address} heeft geen workers meer (gewacht {executor.no_workers_s:g} s)",
            )
        return None
