"""Worker processes ended for real, from outside, as the kernel's out-of-memory killer ends them: a
thread that sends SIGKILL to a process's spawned workers as they appear."""

from __future__ import annotations

import os
import signal
import threading
import time

import psutil


def workers_of(parent: int) -> list[psutil.Process]:
    """The worker processes `parent` has spawned (multiprocessing's `spawn_main`), oldest first."""
    found = []
    for child in psutil.Process(parent).children(recursive=True):
        try:
            if child.status() != psutil.STATUS_ZOMBIE and "spawn_main" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.NoSuchProcess:
            pass
    return sorted(found, key=lambda child: child.create_time())


class Killer:
    """Kills the first `times` workers of `parent` that appear (each once it has lived `after_s`, and
    once `parent` has `among` workers at once), from a thread of its own; `killed` holds their process
    ids, in order."""

    def __init__(self, times: int, parent: int | None = None, after_s: float = 0.0, among: int = 1) -> None:
        self.times = times
        self.among = among
        self.parent = os.getpid() if parent is None else parent
        self.after_s = after_s
        self.killed: list[int] = []
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> Killer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join(timeout=60)

    def _watch(self) -> None:
        while len(self.killed) < self.times and not self._done.is_set():
            workers = workers_of(self.parent)
            for worker in workers if len(workers) >= self.among else []:
                if worker.pid in self.killed or len(self.killed) >= self.times:
                    continue
                try:
                    if time.time() - worker.create_time() >= self.after_s:
                        os.kill(worker.pid, signal.SIGKILL)
                        self.killed.append(worker.pid)
                except (psutil.NoSuchProcess, ProcessLookupError):
                    pass
            time.sleep(0.01)
