"""When a run must stop, and who hears how it goes: a wall-clock deadline, a stop request, progress.

One `Control` travels with a solve from model building into the solver's callback, so `time_limit`
bounds building and solving together and Ctrl-C (or, in a worker process, the parent's stop event)
reaches whichever of the two is running. Model building checks in at `checkpoint`; the solver's
callback asks `should_stop`.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from types import FrameType
from typing import Any, Protocol

from inputs.labels import clock, language, number, says

Progress = Callable[[str], None]

#: seconds between two progress lines of one solve, and before the first (a quick solve says nothing)
PROGRESS_EVERY_S = 2.0
FIRST_PROGRESS_S = 1.0


class StopFlag(Protocol):
    """Anything with `is_set()`: a `threading.Event`, or a `multiprocessing` one shared with workers."""

    def is_set(self) -> bool: ...


class NeverStop:
    """The stop flag of a task that nothing can stop but its own deadline (a task on a Dask worker:
    cancelling it is the scheduler's business). The solver then needs no callback into Python, which
    would wait for the interpreter lock held by the worker's own threads."""

    def is_set(self) -> bool:
        return False


class Stopped(Exception):
    """Model building stopped early: `reason` is 'TimeLimit' or 'Interrupted'."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass
class Control:
    deadline: float | None = None  # time.monotonic() by which the solve must end
    stop: StopFlag = field(default_factory=threading.Event)
    progress: Progress | None = None
    started: float = field(default_factory=time.monotonic)
    _last_progress: float | None = None
    #: a bound on the solver's work, in its check-ins (HiGHS calls back at fixed points of its search,
    #: a few dozen times a second): the same model stops at the same point on a busy machine and an
    #: idle one, which a deadline cannot promise. None: no bound but the deadline.
    work_limit: int | None = None
    work_done: int = 0
    #: a re-solve that asks one question of the optimum (`Escalation.threshold`) may stop before its
    #: work limit: as soon as the bound reaches the threshold, and at each of `escalated_at` (the
    #: check-ins at which a try with less work would have ended) where the best found is below it
    escalated_at: tuple[int, ...] = ()
    threshold: float | None = None

    @classmethod
    def within(
        cls,
        seconds: float,
        stop: StopFlag | None = None,
        progress: Progress | None = None,
        work_limit: int | None = None,
    ) -> Control:
        """A control whose deadline lies `seconds` from now."""
        now = time.monotonic()
        return cls(now + seconds, stop if stop is not None else threading.Event(), progress, now, work_limit=work_limit)

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    @property
    def interruptible(self) -> bool:
        """Whether anything but the deadline (which the solver keeps itself) can stop the run or wants
        progress from it."""
        return self.progress is not None or self.work_limit is not None or not isinstance(self.stop, NeverStop)

    def remaining(self) -> float | None:
        return None if self.deadline is None else self.deadline - time.monotonic()

    def expired(self) -> bool:
        remaining = self.remaining()
        return remaining is not None and remaining <= 0

    def should_stop(self) -> str | None:
        """'Interrupted', 'TimeLimit', or None to go on."""
        if self.stop.is_set():
            return "Interrupted"
        if self.expired():
            return "TimeLimit"
        return None

    def spend(self) -> bool:
        """One check-in of the solver's work; False once the work limit is spent."""
        self.work_done += 1
        return self.work_limit is None or self.work_done <= self.work_limit

    def settles(self, search: Any) -> bool:
        """Whether the MIP search at this check-in (HiGHS's callback data: `mip_dual_bound`,
        `mip_primal_bound`) settles the question asked (`threshold`): nothing below it can be found,
        or, where a try with less work would have ended here (the check-in after its last), something
        below it is found. Asked after `spend`."""
        if self.threshold is None:
            return False
        if search.mip_dual_bound >= self.threshold:
            return True
        return self.work_done - 1 in self.escalated_at and search.mip_primal_bound < self.threshold

    def say(self, line: str, every: float = 0.0) -> None:
        """A progress line, at most one per `every` seconds."""
        now = time.monotonic()
        if self._last_progress is None:
            due = now - self.started >= min(every, FIRST_PROGRESS_S)
        else:
            due = now - self._last_progress >= every
        if self.progress is not None and due:
            self._last_progress = now
            self.progress(line)

    def checkpoint(self, step: str) -> None:
        """Between two steps of model building: stop when asked or past the deadline; say where we are."""
        reason = self.should_stop()
        if reason == "Interrupted":
            raise Stopped(
                reason,
                says(
                    f"interrupted by the user while building the model ({step})",
                    f"onderbroken door de gebruiker tijdens het bouwen van het model ({step})",
                ),
            )
        if reason == "TimeLimit":
            seconds = number(self.elapsed(), 1, language())
            raise Stopped(
                reason,
                says(
                    f"the time limit ran out after {seconds} s while building the model ({step}); "
                    "allow more time (--time-limit) or split the scenario (--decompose province)",
                    f"de tijdslimiet liep af na {seconds} s tijdens het bouwen van het model ({step}); "
                    "geef meer tijd (--time-limit) of splits het scenario (--decompose province)",
                ),
            )
        self.say(
            f"  {clock(self.elapsed())}  {says('building the model', 'het model bouwen')}: {step}",
            every=PROGRESS_EVERY_S,
        )


@contextlib.contextmanager
def ctrl_c_sets(flag: threading.Event) -> Iterator[None]:
    """Ctrl-C sets `flag` (the run stops and keeps what it has) instead of raising; a second Ctrl-C
    raises KeyboardInterrupt at once. Outside the main thread signals cannot be caught: no change."""

    def handle(signum: int, frame: FrameType | None) -> None:
        if flag.is_set():
            raise KeyboardInterrupt
        flag.set()

    previous: Any = None
    try:
        previous = signal.signal(signal.SIGINT, handle)
    except ValueError:  # not the main thread
        previous = None
    try:
        yield
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
