"""The explanation's worker processes for `seta solve`, started before seta's own imports.

Each worker process starts an interpreter and imports seta (about 0.8 s on two cores); started where
the explanation's executor is made (`cli.why.explainer`), after seta's imports and the scenario, they
joined the Kempen's explanation half-way. Started here, as the command line is read, they are ready
when it begins. Only the standard library is imported here, so a command that does not explain pays
nothing; a run that ends before the explanation ends them (`end`, also at exit).
"""

from __future__ import annotations

import atexit
import importlib
import multiprocessing
import os
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

#: options after which `seta solve` explains in no worker process of this machine, or not at all
NOT_HERE = ("--no-explain", "--scheduler", "--workers", "--jobs", "--write-lp", "--help", "-h")

_started: tuple[ProcessPoolExecutor, Any, int] | None = None


def _ready(stop: Any, lines: Any) -> None:
    """In each worker: as every worker of seta's executors (`optimizer.executor`)."""
    from optimizer.executor import _start_worker

    _start_worker(stop, lines)


def begin(argv: Sequence[str]) -> None:
    """Start the workers of `seta solve`'s explanation (one per core but this process's) when the
    command line asks for a solve that may be explained on this machine."""
    global _started
    if multiprocessing.current_process().name != "MainProcess":  # a worker, importing the command's module
        return
    if len(argv) < 2 or argv[1] != "solve" or _started is not None or os.environ.get("SETA_SCHEDULER"):
        return
    if any(word.split("=")[0] in NOT_HERE for word in argv[2:]):
        return
    processes = (os.cpu_count() or 1) - 1
    if processes < 1:
        return
    context = multiprocessing.get_context("spawn")
    stop = context.Event()
    pool = ProcessPoolExecutor(processes, mp_context=context, initializer=_ready, initargs=(stop, None))
    for _ in range(processes):
        pool.submit(importlib.import_module, "optimizer.explain")
    _started = (pool, stop, processes)
    atexit.register(end)


def take(processes: int) -> tuple[ProcessPoolExecutor, Any] | None:
    """The workers started by `begin` (pool and their stop flag), when there are `processes` of them;
    else none, and any started are ended."""
    global _started
    if _started is None or _started[2] != processes:
        end()
        return None
    pool, stop, _count = _started
    _started = None
    return pool, stop


def end() -> None:
    """End the workers `begin` started that nobody took."""
    global _started
    if _started is not None:
        from optimizer.executor import _end

        _end(_started[0])
        _started = None
