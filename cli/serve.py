"""`seta serve`: a workshop page for one scenario. The room changes a control, the page re-solves.

A small threaded HTTP server from the standard library (docs/workshop.md says why): the page, the
Vega bundle that vl-convert ships (no network), and three JSON/text answers. Everything the page
may change comes through `inputs.workshop` (a fixed set of controls, validated as a scenario file
is); the server reads nothing but the scenario it was started with, its tables and seta's own data,
and writes nothing.

    GET /                     the page (its state in the query: the same controls as below)
    GET /vega.js              Vega, Vega-Lite and Vega-Embed
    GET /api/solve?...        the answer for a state: status, pools, map, gains, cash and valuations
    GET /api/explain?...      runner-ups and flip points for it (re-solves; asked for after the answer)
    GET /api/scenario.yaml?.. the state as a scenario file that `seta solve` reproduces

HEAD is answered as GET without the body; every other method gets 405. Solves run on a pool of
threads, not the request's, and each of those threads has its solve and its answer's tables and
charts made in a worker process of its own: in one process two HiGHS solves ran one after the other
and Python built one model or chart at a time, so two threads used at most one and a half cores. A
client's newer request stops its older one (`client=` in the query names the page, not part of the
state), in the worker too. The bounds below keep a busy or hostile room from taking the machine: a
queue that answers 503 when full, a time bound on each solve and explanation, a request whose client
has gone is stopped, and a request the server cannot read is refused (400).
"""

from __future__ import annotations

import collections
import ctypes
import ctypes.util
import html
import json
import multiprocessing
import re
import secrets
import select
import signal
import socket
import sys
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor, ThreadPoolExecutor, wait
from concurrent.futures import TimeoutError as WaitedEnough
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager, suppress
from dataclasses import dataclass, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from queue import SimpleQueue
from typing import Any, TypeVar
from urllib.parse import parse_qs, quote, urlsplit

from inputs import datasets, defaults
from inputs.labels import figure, name, short_name, speaking
from inputs.loader import Source
from inputs.problems import InputError
from inputs.types import Scenario, SolverOptions
from inputs.workshop import LIMITS, WEIGHTS, State, apply_state, parse_state, scenario_yaml
from optimizer import Result, optimize
from optimizer.control import Progress, StopFlag
from optimizer.executor import Closing, Ended, Outcome, Task, WorkerDied, died
from visuals import charts, tables, why
from visuals.business_case import council_lines
from visuals.report import STYLE, table_html, vega_javascript

#: threads that solve, each in a worker process of its own (the machine's two cores)
SOLVERS = 2
#: requests that may wait for a solver thread; one more is answered 503 "busy" (a room of ten pages
#: holds at most twenty: each page one solve and one explanation)
QUEUE = 24
#: a solve's bound in seconds (the scenario's own time limit when that is lower): then its best so far
SOLVE_SECONDS = 60.0
#: an explanation's bound in seconds (dozens of re-solves): past it the page says it was not explained
EXPLAIN_SECONDS = 120.0
#: what a busy server asks the page to wait before it asks again, in seconds
RETRY_AFTER = 5
#: the longest request target read; the page's own addresses stay far below it
MAX_TARGET = 8192
#: the most query parameters read (the page sends at most 17)
MAX_PARAMETERS = 64
#: connections served at once; one more is answered 503 "busy" and closed
MAX_CONNECTIONS = 64
#: a connection with no complete request for this long is closed (it holds a thread)
IDLE_SECONDS = 60.0
#: how often a waiting request looks whether its client is still there
POLL_SECONDS = 0.2
#: on Ctrl-C, how long answers in progress get to reach their pages
STOPPING_SECONDS = 5.0
#: proven answers and whole explanations kept, each kind, the least recently asked going first: a
#: room goes back and forth between settings, and twenty pages ask for the same ones (an answer is
#: about 16 KB)
KEPT = 256
#: proven answers kept for their explanations (a Result, unlike a document, holds the whole instance)
RESULTS = 16
METHODS = "GET, HEAD"
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")

T = TypeVar("T")


@dataclass(frozen=True)
class Reply:
    status: HTTPStatus
    body: bytes
    content_type: str
    headers: tuple[tuple[str, str], ...] = ()


class Refused(Exception):
    """A request the server will not work on (busy, stopping): the reply says why."""

    def __init__(self, reply: Reply) -> None:
        super().__init__(reply.status.phrase)
        self.reply = reply


def _json(
    document: Mapping[str, Any], status: HTTPStatus = HTTPStatus.OK, headers: tuple[tuple[str, str], ...] = ()
) -> Reply:
    return Reply(status, json.dumps(document).encode("utf-8"), "application/json; charset=utf-8", headers)


def _bad_input(error: InputError) -> Reply:
    """Bad settings: every problem with its place, as the command line gives them."""
    return _json(
        {"status": "bad input", "problems": [[p.place, p.message] for p in error.problems]}, HTTPStatus.BAD_REQUEST
    )


def _t(lang: str, en: str, nl: str) -> str:
    return nl if lang == "nl" else en


#: what the server says when it will not or cannot answer, in English and Dutch
REFUSALS: dict[HTTPStatus, tuple[str, str, str]] = {
    HTTPStatus.BAD_REQUEST: (
        "bad request",
        "The request cannot be read (its line, its encoding, or more than 8 KB or 64 parameters).",
        "Het verzoek is niet te lezen (de regel, de codering, of meer dan 8 KB of 64 parameters).",
    ),
    HTTPStatus.FORBIDDEN: (
        "forbidden",
        "This page needs the token that seta serve printed in its address (?token=...).",
        "Deze pagina vraagt het token dat seta serve in zijn adres afdrukte (?token=...).",
    ),
    HTTPStatus.NOT_FOUND: ("not found", "There is no such page here.", "Deze pagina bestaat hier niet."),
    HTTPStatus.METHOD_NOT_ALLOWED: (
        "method not allowed",
        "Only GET (and HEAD) are answered here.",
        "Hier worden alleen GET (en HEAD) beantwoord.",
    ),
    HTTPStatus.SERVICE_UNAVAILABLE: (
        "busy",
        f"The server is busy: try again in {RETRY_AFTER} seconds.",
        f"De server is bezig: probeer het over {RETRY_AFTER} seconden opnieuw.",
    ),
    HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE: (
        "bad request",
        "The request's headers are too long or too many.",
        "De kopregels van het verzoek zijn te lang of te veel.",
    ),
    HTTPStatus.HTTP_VERSION_NOT_SUPPORTED: (
        "bad request",
        "This HTTP version is not served here.",
        "Deze HTTP-versie wordt hier niet bediend.",
    ),
}


def refusal(status: HTTPStatus, lang: str) -> Reply:
    """The answer to a request the server will not serve; the connection is closed after it, since
    what remains of the request (a body, a half-read line) cannot be trusted to start the next."""
    code, en, nl = REFUSALS.get(status, ("error", status.phrase, status.phrase))
    headers: tuple[tuple[str, str], ...] = (("Connection", "close"),)
    if status is HTTPStatus.METHOD_NOT_ALLOWED:
        headers += (("Allow", METHODS),)
    if status is HTTPStatus.SERVICE_UNAVAILABLE:
        headers += (("Retry-After", str(RETRY_AFTER)),)
    return _json({"status": code, "message": _t(lang, en, nl)}, status, headers)


def stopping(lang: str) -> Reply:
    return _json(
        {"status": "stopping", "message": _t(lang, "The server is stopping.", "De server stopt.")},
        HTTPStatus.SERVICE_UNAVAILABLE,
        (("Connection", "close"),),
    )


def _died_twice(dead: WorkerDied, lang: str) -> Reply:
    """The answer to a request whose worker process died under it twice (the server goes on)."""
    reason = dead.reason(lang)
    message = _t(
        lang,
        f"The worker process for this request ended abruptly twice ({reason}). The server goes on: "
        "change a setting or reload the page to ask again.",
        f"Het werkproces voor dit verzoek stopte twee keer abrupt ({reason}). De server gaat door: "
        "wijzig een instelling of laad de pagina opnieuw om het nog eens te vragen.",
    )
    return _json({"status": "error", "message": message}, HTTPStatus.INTERNAL_SERVER_ERROR)


def _never() -> bool:
    return False


def _release_memory() -> None:
    """Hand freed heap back to the system. Each solve allocates and frees some tens of MB across
    threads; glibc keeps what was freed in per-thread arenas, so the server's resident size kept
    rising with the number of requests without holding more. Where there is no glibc, nothing."""
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _libc() -> Any:
    if not sys.platform.startswith("linux"):
        return None
    try:
        library = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        library.malloc_trim  # noqa: B018 (musl has none)
    except (OSError, AttributeError):
        return None
    return library


_LIBC = _libc()


class Request:
    """One solve or explanation asked for: its stop flag, and its place in the solvers' queue."""

    def __init__(self, key: tuple[str, str] | None) -> None:
        self.key = key  # (page, kind), or None for a request that names no page
        self.stop = threading.Event()
        self.future: Future[Any] | None = None
        self.queued = False  # submitted, not yet taken up by a solver thread


class Kept[V]:
    """Documents (or the answers themselves) by the settings they answer, at most `size`, the least
    recently asked going first.
    Only what the same settings always give is kept: a proven answer and an explanation none of whose
    re-solves stopped (their limits are on work, not time), not an answer a time limit cut short."""

    def __init__(self, size: int = KEPT) -> None:
        self.size = size
        self._documents: collections.OrderedDict[str, V] = collections.OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str) -> V | None:
        with self._lock:
            found = self._documents.get(key)
            if found is not None:
                self._documents.move_to_end(key)
            return found

    def put(self, key: str, document: V) -> None:
        with self._lock:
            self._documents[key] = document
            self._documents.move_to_end(key)
            while len(self._documents) > self.size:
                self._documents.popitem(last=False)


def _settings_key(document: Mapping[str, Any], lang: str) -> str:
    """The scenario document the page's settings make, and the language: all an answer depends on."""
    return json.dumps([lang, document], sort_keys=True, default=str)


class Workshop:
    """One scenario served: its document, the solves in flight and who asked for them."""

    def __init__(
        self,
        source: Source,
        options: SolverOptions,
        lang: str = "en",
        *,
        queue: int = QUEUE,
        solve_seconds: float = SOLVE_SECONDS,
        explain_seconds: float = EXPLAIN_SECONDS,
    ) -> None:
        self.source = source
        self.base = source.scenario()
        self.options = replace(options, time_limit=min(options.time_limit, solve_seconds))
        self.lang = lang
        self.queue = queue
        self.explain_seconds = explain_seconds
        self._solvers = ThreadPoolExecutor(SOLVERS, thread_name_prefix="seta-solve")
        #: the worker processes, started with the first solve, and a stop flag for each solver thread
        self._processes: ProcessPoolExecutor | None = None
        self._flags: Any = multiprocessing.get_context("spawn").Array("b", SOLVERS, lock=False)
        self._slots: SimpleQueue[int] = SimpleQueue()
        for slot in range(SOLVERS):
            self._slots.put(slot)
        #: (page, kind) -> that page's latest request of that kind
        self._latest: dict[tuple[str, str], Request] = {}
        #: every request until it is answered (Ctrl-C stops them all)
        self._active: set[Request] = set()
        #: requests submitted to the solvers that no solver thread has taken up yet
        self.waiting = 0
        self.stopping = False
        self._lock = threading.Lock()
        self._answered = 0
        #: the last pool a dead worker broke, and how it died (`_replace`)
        self._broken: tuple[ProcessPoolExecutor, WorkerDied] | None = None
        self._replacing = threading.Lock()
        #: where the server's faults go, one line each (`serve` sets its own)
        self.log: Callable[[str], None] = _stderr
        #: answers and explanations given, by settings (`Kept`)
        self.answers: Kept[dict[str, Any]] = Kept()
        self.explanations: Kept[dict[str, Any]] = Kept()
        #: the proven answers themselves, by their settings in any language: the page asks for the
        #: explanation of the answer it just got, which then need not be solved again (0.3 s of 3)
        self.results: Kept[Result] = Kept(RESULTS)

    def close(self) -> None:
        with self._lock:
            self.stopping = True
            for request in self._active:
                request.stop.set()
        self._solvers.shutdown(wait=True, cancel_futures=True)
        with self._lock:
            processes, self._processes = self._processes, None
        if processes is not None:
            _end_processes(processes)

    def _in_process(
        self,
        job: Callable[..., T],
        *arguments: Any,
        stop: StopFlag,
        what: tuple[str, str],
        said: set[WorkerDied] | None = None,
    ) -> T:
        """`job(*arguments, slot)` in a worker process, from a solver thread, waited for here; `stop`
        reaches the job through its slot's flag. A worker process that dies (killed, out of memory, a
        crash in the solver) breaks the whole pool, and with it the job of the other solver thread:
        each such job logs the death, and runs once more in a new pool; dying again, it is
        `WorkerDied` (the request answers with an error, and the server goes on with a new pool).
        `said`: the deaths already logged for the request whose job this is (an explanation's
        re-solves are jobs of one request: one line for each death, not one for each of them)."""
        processes = self._pool()
        try:
            return self._wait(processes, job, arguments, stop)
        except BrokenProcessPool:
            dead = self._replace(processes)
        lang = self.lang
        if self._first_said(dead, said):
            self.log(
                _t(
                    lang,
                    f"a worker process died under {what[0]} ({dead.reason(lang)}); asked again in new worker processes",
                    f"een werkproces stierf onder {what[1]} ({dead.reason(lang)}); opnieuw gevraagd aan nieuwe "
                    "werkprocessen",
                )
            )
        processes = self._pool()
        try:
            return self._wait(processes, job, arguments, stop)
        except BrokenProcessPool:
            again = self._replace(processes)
        if self._first_said(again, said):
            self.log(
                _t(
                    lang,
                    f"a worker process died under {what[0]} again ({again.reason(lang)}); answered with an error",
                    f"een werkproces stierf opnieuw onder {what[1]} ({again.reason(lang)}); beantwoord met een fout",
                )
            )
        raise again

    def _first_said(self, dead: WorkerDied, said: set[WorkerDied] | None) -> bool:
        """Whether a death is news to the request (`said`): its jobs on other threads meet it too."""
        if said is None:
            return True
        with self._lock:
            first = dead not in said
            said.add(dead)
        return first

    def _pool(self) -> ProcessPoolExecutor:
        """The worker processes, started with the first job and after a pool was broken."""
        with self._lock:
            if self._processes is None:
                context = multiprocessing.get_context("spawn")
                self._processes = ProcessPoolExecutor(
                    SOLVERS, mp_context=context, initializer=_start_worker, initargs=(self._flags,)
                )
            return self._processes

    def _wait(self, processes: ProcessPoolExecutor, job: Callable[..., T], arguments: Any, stop: StopFlag) -> T:
        slot = self._slots.get()
        try:
            self._flags[slot] = stop.is_set()  # asked again after its page moved on: it stops at once
            future = processes.submit(job, *arguments, slot)
            while True:
                try:
                    return future.result(timeout=POLL_SECONDS)
                except WaitedEnough:
                    if stop.is_set():
                        self._flags[slot] = 1
        finally:
            self._slots.put(slot)

    def _replace(self, broken: ProcessPoolExecutor) -> WorkerDied:
        """A broken pool let go (the next job starts a new one); which of its processes died, and how.
        Both solver threads come here from the same broken pool: the first ends it, and both name the
        same death."""
        with self._replacing:
            if self._broken is None or self._broken[0] is not broken:
                with self._lock:
                    if self._processes is broken:
                        self._processes = None
                self._broken = (broken, died(_end_processes(broken)))
            return self._broken[1]

    # -- state ------------------------------------------------------------------------------------
    def state_of(self, query: Mapping[str, Sequence[str]]) -> tuple[State, dict[str, Any], Scenario]:
        """The state in a query, the changed document and its scenario (InputError, placed)."""
        with speaking(self.lang_of(query)):  # its problems in the page's language
            state = parse_state({k: v for k, v in query.items() if k not in ("client", "token")})
            document = apply_state(self.source.document, state)
            return state, document, self.source.scenario(document)

    def lang_of(self, query: Mapping[str, Sequence[str]]) -> str:
        """The language a query asks for, or the server's (for answers given before the state is read)."""
        given = query.get("lang") or [self.lang]
        return given[0] if given[0] in ("en", "nl") else self.lang

    # -- requests ---------------------------------------------------------------------------------
    def _claim(self, query: Mapping[str, Sequence[str]], kind: str) -> Request:
        """A request; the same page's older request of this kind is stopped, and leaves the queue at
        once if it is still waiting there (its place is the newer one's). A request that names no
        page stops nothing (two such requests need not come from the same page)."""
        client = (query.get("client") or [""])[0][:64]
        request = Request((client, kind) if client else None)
        with self._lock:
            if self.stopping:
                request.stop.set()
            self._active.add(request)
            if request.key is not None:
                older = self._latest.get(request.key)
                if older is not None:
                    older.stop.set()
                    self._dequeue(older)
                self._latest[request.key] = request
        return request

    def _dequeue(self, request: Request) -> None:
        """A waiting request out of the queue, if no solver has taken it up yet (the lock held)."""
        if request.queued and request.future is not None and request.future.cancel():
            request.queued = False
            self.waiting -= 1

    def _taken(self, request: Request) -> None:
        with self._lock:
            if request.queued:
                request.queued = False
                self.waiting -= 1

    def _release(self, request: Request) -> None:
        """Forget an answered request, unless a newer one of the page has taken its place."""
        with self._lock:
            self._active.discard(request)
            if request.key is not None and self._latest.get(request.key) is request:
                del self._latest[request.key]
            self._answered += 1
            trim = self._answered % 20 == 0
        if trim:
            _release_memory()

    def _run(
        self, job: Callable[[], T], request: Request, gone: Callable[[], bool], lang: str, bound: float | None
    ) -> tuple[T | None, bool]:
        """`job` on a solver thread, waited for here: (its value, or None when it was stopped before
        it started; whether it overran `bound`, seconds from its start, and was stopped for it).
        While it waits or runs, a client that has gone, a newer request of its page or Ctrl-C stops
        it; a request still in the queue then leaves it at once. Refused: the queue is full, or the
        server is stopping."""
        stop = request.stop
        began: list[float] = []

        def run() -> T | None:
            self._taken(request)
            began.append(time.monotonic())
            return None if stop.is_set() else job()

        with self._lock:
            if self.stopping:
                raise Refused(stopping(lang))
            if self.waiting >= self.queue:
                raise Refused(refusal(HTTPStatus.SERVICE_UNAVAILABLE, lang))
            try:
                future: Future[T | None] = self._solvers.submit(run)
            except RuntimeError:  # shut down since the check above
                raise Refused(stopping(lang)) from None
            self.waiting += 1
            request.queued, request.future = True, future
        overran = False
        # done(), not wait(): wait() counts a future cancelled in the queue as done only once a
        # solver thread has come to it
        while not future.done():
            wait([future], timeout=POLL_SECONDS)
            if not stop.is_set() and gone():
                stop.set()
            if bound is not None and began and time.monotonic() - began[0] > bound and not stop.is_set():
                overran = True
                stop.set()
            if stop.is_set():
                with self._lock:
                    self._dequeue(request)
        try:
            value = future.result()
        except CancelledError:  # left the queue: stopped by its page, its client or Ctrl-C
            self._taken(request)
            value = None
        if self.stopping:
            raise Refused(stopping(lang))
        return value, overran

    # -- answers ----------------------------------------------------------------------------------
    def answer(self, query: Mapping[str, Sequence[str]], gone: Callable[[], bool] = _never) -> Reply:
        started = time.perf_counter()
        try:
            state, settings, scenario = self.state_of(query)
        except InputError as error:
            return _bad_input(error)
        key = _settings_key(settings, state.lang)
        kept = self.answers.get(key)
        if kept is not None:
            self._release(self._claim(query, "solve"))  # the page's older request is stopped: this is newer
            return _json({**kept, "kept": True, "seconds": time.perf_counter() - started})
        request = self._claim(query, "solve")
        stop = request.stop
        dataset = self.base.dataset

        def answered() -> tuple[dict[str, Any], Result] | None:
            return self._in_process(
                _answer, scenario, self.options, dataset, state.lang, stop=stop, what=("a solve", "een berekening")
            )

        try:
            solved, _overran = self._run(answered, request, gone, state.lang, None)
        except InputError as error:  # a screen found the settings leave nothing: said as the CLI says it
            return _bad_input(error)
        except WorkerDied as dead:
            return _died_twice(dead, state.lang)
        finally:
            self._release(request)
        if solved is None:
            return _json({"status": "superseded"})
        document, result = solved
        if document["status"] == "optimal":
            self.answers.put(key, document)
            self.results.put(_settings_key(settings, ""), result)
        return _json({**document, "seconds": time.perf_counter() - started})

    def explain(self, query: Mapping[str, Sequence[str]], gone: Callable[[], bool] = _never) -> Reply:
        try:
            state, settings, scenario = self.state_of(query)
        except InputError as error:
            return _bad_input(error)
        key = _settings_key(settings, state.lang)
        kept = self.explanations.get(key)
        if kept is not None:
            self._release(self._claim(query, "explain"))
            return _json(kept)
        request = self._claim(query, "explain")
        stop = request.stop

        answered = self.results.get(_settings_key(settings, ""))

        def explained() -> dict[str, Any] | None:
            return self._explained(scenario, state.lang, stop, answered)

        try:
            document, overran = self._run(explained, request, gone, state.lang, self.explain_seconds)
        except InputError as error:
            return _bad_input(error)
        except WorkerDied as dead:
            return _died_twice(dead, state.lang)
        finally:
            self._release(request)
        if overran and document is None:
            text = _t(
                state.lang,
                f"Not explained: it takes longer than the server allows ({self.explain_seconds:g} s).",
                f"Niet uitgelegd: het duurt langer dan de server toestaat ({figure(self.explain_seconds, 'nl')} s).",
            )
            return _json({"status": "none", "text": text})
        if document is None:
            return _json({"status": "superseded"})
        if document.pop("whole", False):
            self.explanations.put(key, document)
        return _json(document)

    def _explained(
        self, scenario: Scenario, lang: str, stop: threading.Event, answered: Result | None
    ) -> dict[str, Any] | None:
        """The explanation's document, or None where it was stopped: the answer (`answered`, the one
        kept from the page's solve, or solved in a worker process), and its re-solves, each a job of
        its own on every worker free (`_Jobs`)."""
        from cli.why import explain_result

        said: set[WorkerDied] = set()  # its jobs' deaths, logged once
        # while one worker solves the answer, the other builds the model the re-solves share (each
        # worker needs it once)
        preparing = None
        if answered is None:
            preparing = threading.Thread(
                target=self._prepare, args=(scenario, stop, said), name="seta-prepare", daemon=True
            )
            preparing.start()
        try:
            result = answered
            if result is None:
                result = self._in_process(_solved, scenario, self.options, stop=stop, what=EXPLAINING, said=said)
            if result is None or stop.is_set():
                return None
            with speaking(lang):  # its parts' labels, where one failed or the time limit cut it short
                explanation = explain_result(result, True, 2.0, _Jobs(self, stop, said), lambda _line: None)
        finally:
            if preparing is not None:
                preparing.join()
        if stop.is_set():
            return None
        # whole: no part failed, and the time limit ended none of its re-solves: their limits were on
        # work, so the same settings give it again
        whole = explanation is not None and not explanation.failed and not explanation.timed_out
        return {**explanation_document(result, explanation, lang), "whole": whole}

    def _prepare(self, scenario: Scenario, stop: threading.Event, said: set[WorkerDied]) -> None:
        with suppress(WorkerDied):  # the re-solves meet it too, and answer for it
            self._in_process(_prepared, scenario, self.options, stop=stop, what=EXPLAINING, said=said)

    def scenario_file(self, query: Mapping[str, Sequence[str]], gone: Callable[[], bool] = _never) -> Reply:
        try:
            _state, document, _scenario = self.state_of(query)
        except InputError as error:
            text = "\n".join(f"{p.place}: {p.message}" for p in error.problems)
            return Reply(HTTPStatus.BAD_REQUEST, text.encode("utf-8"), "text/plain; charset=utf-8")
        stem = self.base.source.rsplit("/", 1)[-1].removesuffix(".yaml")
        return Reply(
            HTTPStatus.OK,
            scenario_yaml(document, self.base.source).encode("utf-8"),
            "application/x-yaml; charset=utf-8",
            (("Content-Disposition", f'attachment; filename="{stem}-workshop.yaml"'),),
        )

    def page(self, query: Mapping[str, Sequence[str]], gone: Callable[[], bool] = _never) -> Reply:
        token = (query.get("token") or [""])[0]
        return Reply(
            HTTPStatus.OK,
            page_html(self.base, self.lang_of(query), token).encode(),
            "text/html; charset=utf-8",
        )


# -- in the worker processes ------------------------------------------------------------------------

#: the workshop's stop flags, one per solver thread (`Workshop._in_process`)
_worker_flags: Any = None
#: dataset -> its boundaries, read once per worker
_worker_geo: dict[str, dict[str, Any] | None] = {}
_worker_jobs = [0]


class _Slot:
    """The stop flag of the job in a solver thread's slot, as the workshop sets it."""

    def __init__(self, slot: int) -> None:
        self.slot = slot

    def is_set(self) -> bool:
        return bool(_worker_flags[self.slot])


def _start_worker(flags: Any) -> None:
    """In each worker: Ctrl-C is the server's to handle (it stops the jobs through their flags)."""
    global _worker_flags
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_flags = flags


def _done_job() -> None:
    _worker_jobs[0] += 1
    if _worker_jobs[0] % 20 == 0:
        _release_memory()


def _answer(
    scenario: Scenario, options: SolverOptions, dataset: str | None, lang: str, slot: int
) -> tuple[dict[str, Any], Result] | None:
    """The answer's document and the answer, or None where it was stopped before it had one."""
    stop = _Slot(slot)
    try:
        result = optimize(scenario, options, stop=stop, explain_rejection=False)
        if stop.is_set() and result.report.interrupted:
            return None
        if dataset and dataset not in _worker_geo:
            _worker_geo[dataset] = datasets.boundaries(dataset)
        return answer_document(result, _worker_geo.get(dataset) if dataset else None, lang), result
    finally:
        _done_job()


#: what a worker process that died was doing, in the log's words
EXPLAINING = ("an explanation", "een uitleg")


def _solved(scenario: Scenario, options: SolverOptions, slot: int) -> Result | None:
    """The answer an explanation explains, or None where it was stopped."""
    stop = _Slot(slot)
    try:
        result = optimize(scenario, options, stop=stop, explain_rejection=False)
        return None if stop.is_set() else result
    finally:
        _done_job()


def _prepared(scenario: Scenario, options: SolverOptions, slot: int) -> None:
    """The model an explanation's re-solves share, built in this worker process ahead of them, while
    another solves the answer (`optimizer.resolve.resolver_for` keeps it for the re-solves here)."""
    from optimizer.resolve import resolver_for

    try:
        resolver_for(scenario, options)
    finally:
        _done_job()


def _task[R](function: Task[Any, R], task: Any, slot: int) -> R:
    """One re-solve of an explanation in a worker process, stopped through its slot's flag."""
    try:
        return function(task, _Slot(slot), None)
    finally:
        _done_job()


class _Jobs(Closing):
    """An explanation's re-solves, each a job of its own on the workshop's worker processes, as many at
    once as there are solver slots: alone on the server an explanation has every core (the Kempen's
    at quality 0.5, autonomy 1.5 with GM1724's enforcement kept: 5.6 s in one process), and a solve
    asked for meanwhile waits for one re-solve, not for the whole explanation. Each re-solve's answer
    depends on its task alone, so the explanation is the one a single process gives
    (tests/test_serve.py, tests/test_explain_repeats.py). A worker process that dies under a re-solve
    is replaced and the re-solve asked again (`Workshop._in_process`); dying twice, it ends the
    explanation with that death."""

    def __init__(self, workshop: Workshop, stop: threading.Event, said: set[WorkerDied] | None = None) -> None:
        self.workshop = workshop
        self.said: set[WorkerDied] = set() if said is None else said
        self.stop: StopFlag = stop
        self.lost: str | None = None

    def close(self) -> None:
        """Nothing to let go of: the workshop's worker processes are its own."""

    def run[X, R](
        self,
        function: Task[X, R],
        tasks: Sequence[tuple[str, X]],
        progress: Progress | None = None,
        describe: Callable[[R], str] = str,
        limit_s: float | None = None,
    ) -> list[Outcome[R]]:
        outcomes: list[Outcome[R]] = [Outcome(label, ended=Ended.STOPPED) for label, _given in tasks]
        following = iter(range(len(tasks)))
        lock = threading.Lock()
        deaths: list[WorkerDied] = []

        def work() -> None:
            while True:
                with lock:
                    n = next(following, None)
                if n is None or self.stop.is_set() or deaths:
                    return
                label, task = tasks[n]
                try:
                    value = self.workshop._in_process(
                        _task, function, task, stop=self.stop, what=EXPLAINING, said=self.said
                    )
                except WorkerDied as dead:
                    deaths.append(dead)
                    return
                except Exception as error:  # the explanation names the part and its reason
                    outcomes[n] = Outcome(label, error=error)
                else:
                    outcomes[n] = Outcome(label, value=value)

        helpers = [threading.Thread(target=work, name="seta-explain", daemon=True) for _ in range(SOLVERS - 1)]
        for helper in helpers:
            helper.start()
        work()
        for helper in helpers:
            helper.join()
        if deaths:
            raise deaths[0]
        return outcomes


def _end_processes(processes: ProcessPoolExecutor) -> list[multiprocessing.process.BaseProcess]:
    """Shut the workers down without waiting for one that does not stop; the processes, ended."""
    workers = list((getattr(processes, "_processes", None) or {}).values())
    processes.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        worker.join(timeout=STOPPING_SECONDS)
        if worker.is_alive():
            worker.terminate()
            worker.join(timeout=STOPPING_SECONDS)
    return workers


def answer_document(result: Result, geo: dict[str, Any] | None, lang: str) -> dict[str, Any]:
    """What the page shows for a solve: status, the pools, the map, gains per member, cash apart
    from valuations; the objective (to compare with `seta solve`)."""
    report = result.report
    document: dict[str, Any] = {
        "status": report.status.value,
        "status_text": report.describe(lang),
        "objective": None if result.chosen is None else result.chosen.objective,
        "solve_seconds": report.seconds,
    }
    if result.chosen is None:
        return document
    summary = result.summary(lang)
    municipalities, pools, merged = result.municipalities(), result.pools(), result.merged_pools()
    domains = list(result.instance.domains)
    # what a council reads first, as in `seta solve` and the report, then the figures behind it
    document["council"] = council_lines(result, lang)
    document["headline"] = tables.headline(summary, lang)
    document["pools"] = (
        table_html(tables.pools_table(merged, len(domains), lang))
        if not merged.empty
        else f"<p>{_t(lang, 'Every service stays in house.', 'Alle taken blijven in eigen huis.')}</p>"
    )
    document["pool_rows"] = [
        {"domain": row.domain, "structure": row.structure, "host_code": row.host_code, "member_codes": row.member_codes}
        for row in pools.itertuples(index=False)
    ]
    document["gains"] = table_html(tables.municipalities_table(municipalities, lang))
    document["charts"] = {"effects": _described_chart(charts.municipality_effects(municipalities, lang))}
    if geo is not None:
        kept_out = charts.kept_out(result)
        key = _map_key(municipalities, pools, domains, lang, kept_out)
        drawn = _maps.get(key)
        if drawn is None:
            drawn = _described_chart(charts.pool_map(municipalities, pools, geo, domains, lang, kept_out))
            _maps.put(key, drawn)
        document["charts"]["map"] = drawn
    if summary.cash_and_valuations is not None:
        document["split"] = f"<p>{html.escape(why.split_sentence(summary, lang))}</p>" + table_html(
            why.split_table(summary, lang)
        )
    return document


#: maps drawn in this process: settings that differ in weights alone mostly give the same pools, and
#: drawing the map was half of an answer's tables and charts (the map's boundaries are its own, one
#: scenario's, so a process keeps few)
_maps: Kept[dict[str, Any]] = Kept(64)

#: what `charts.pool_map` reads of the result's tables
MAP_MUNICIPALITIES = ["code", "name", "lat", "lon", "population"]
MAP_POOLS = ["domain", "structure", "host", "host_code", "member_codes"]


def _map_key(
    municipalities: Any, pools: Any, domains: list[str], lang: str, kept_out: frozenset[tuple[str, str]]
) -> str:
    """Everything the map is drawn from, but the boundaries (one scenario's, the same every time)."""
    return json.dumps(
        [
            lang,
            domains,
            sorted(kept_out),
            municipalities[MAP_MUNICIPALITIES].to_dict("split")["data"],
            pools[MAP_POOLS].to_dict("split")["data"],
        ],
        default=str,
    )


def _described_chart(chart: Any) -> dict[str, Any]:
    """A chart's spec with its titles (a chart of charts: theirs) as its description: vega-embed reads
    the description to a screen reader, and says 'Vega visualization' in English without one."""
    spec: dict[str, Any] = chart.to_dict(validate=False)
    if "description" not in spec:
        spec["description"] = "; ".join(_titles(spec))
    return spec


def _titles(spec: Mapping[str, Any]) -> list[str]:
    title = spec.get("title")
    text = title.get("text") if isinstance(title, dict) else title
    if text:
        return [" ".join(text) if isinstance(text, list) else str(text)]
    parts = [part for key in ("vconcat", "hconcat", "concat", "layer") for part in spec.get(key, ())]
    return [found for part in parts for found in _titles(part)]


def explanation_document(result: Result, explanation: Any, lang: str) -> dict[str, Any]:
    if explanation is None:
        reason = _t(lang, "Not explained: the answer is not proven optimal.", "Niet uitgelegd: niet bewezen optimaal.")
        return {"status": "none", "text": reason}
    namer, domains = result.name_of, len(result.instance.domains)
    headline = why.cash_headline(result, explanation, lang)
    parts = [f"<p><strong>{html.escape(headline)}</strong></p>"] if headline else []
    parts += [f"<p>{html.escape(line)}</p>" for line in why.near_tie_lines(explanation, namer, domains, lang)]
    if explanation.runner_ups:
        parts.append(table_html(why.runner_up_table(explanation, namer, domains, lang)))
    flips = why.flip_table(explanation, namer, domains, lang)
    if not flips.empty:
        parts.append(f"<h3>{_t(lang, 'What would flip the advice', 'Wat het advies zou doen omslaan')}</h3>")
        parts.append(table_html(flips))
    parts.append(f"<p class='muted'>{html.escape(why.steady_text(explanation, lang))}</p>")
    clock = why.clock_text(explanation, lang)
    if clock:
        parts.append(f"<p>{html.escape(clock)}</p>")
    return {"status": "explained", "html": "".join(parts)}


# -- the page -------------------------------------------------------------------------------------

PAGE_STYLE = """
body { max-width: none; } .layout { display: grid; grid-template-columns: 360px minmax(0, 1fr); gap: 1.5rem; }
main { overflow-x: auto; } #controls { font-size: 0.9rem; }
fieldset { border: 1px solid #ddd; margin: 0 0 0.8rem; padding: 0.4rem 0.6rem; }
legend { font-weight: 600; } label { display: block; font-size: 0.9rem; }
.weight input { width: 140px; vertical-align: middle; } .weight output { display: inline-block; width: 3.5em; }
.grid td, .grid th { padding: 0.1rem 0.3rem; font-size: 0.8rem; text-align: center; }
#status { font-weight: 600; } #problems { color: #a00; white-space: pre-wrap; }
.busy { opacity: 0.55; } input[type=number] { width: 6em; } #headline .answer { font-weight: 600; font-size: 1.05rem; }
"""

#: the page's behaviour, read once (a file of its own, so it reads as JavaScript)
SCRIPT = (Path(__file__).with_name("workshop.js")).read_text(encoding="utf-8")


LIMIT_LABELS = {
    "max_matrix_units": ("matrix units at most", "hooguit matrixeenheden"),
    "max_travel_km": ("km from member to host at most", "hooguit km van lid tot gastheergemeente"),
    "max_arrangements": ("arrangements per member at most", "hooguit regelingen per lid"),
}


def _checkbox(attribute: str, value: str, label: str, checked: bool) -> str:
    mark = " checked" if checked else ""
    return (
        f"<label><input type='checkbox' data-{attribute} value='{html.escape(value)}'{mark}> "
        f"{html.escape(label)}</label>"
    )


def page_html(scenario: Scenario, lang: str, token: str = "") -> str:
    """The page: controls for what a room argues about, and places for the answer. `token`: the
    server's, when it asks for one (the page's script adds it to every request it makes)."""
    members = [(m.code, m.name) for m in scenario.municipalities]
    domains_in = [d.key for d in scenario.domains]
    structures_in = [s.key for s in scenario.structures]
    domains = [*domains_in, *(k for k in defaults.DOMAINS if k not in domains_in)]
    structures = [*structures_in, *(k for k in defaults.STRUCTURES if k not in structures_in)]
    weights = scenario.weights
    limits = scenario.limits
    controls = [f"<fieldset><legend>{_t(lang, 'Who takes part', 'Wie doet mee')}</legend>"]
    controls += [_checkbox("member", code, title, True) for code, title in members]
    controls.append(f"</fieldset><fieldset><legend>{_t(lang, 'Domains in play', 'Taakvelden')}</legend>")
    controls += [_checkbox("domains", key, name(key, lang), key in domains_in) for key in domains]
    controls.append(f"</fieldset><fieldset><legend>{_t(lang, 'Structures allowed', 'Vormen')}</legend>")
    controls += [_checkbox("structures", key, name(key, lang), key in structures_in) for key in structures]
    controls.append(f"</fieldset><fieldset><legend>{_t(lang, 'Weights', 'Gewichten')}</legend>")
    for key in WEIGHTS:
        value = getattr(weights, key)
        controls.append(
            f"<label class='weight'>{html.escape(name(key, lang))}<br><input type='range' data-figure name='{key}' "
            f"min='0' max='5' step='0.05' value='{value:g}'><output>{value:g}</output></label>"
        )
    controls.append(f"</fieldset><fieldset><legend>{_t(lang, 'Limits (empty: none)', 'Grenzen (leeg: geen)')}</legend>")
    for key in LIMITS:
        value = getattr(limits, key)
        controls.append(
            f"<label>{html.escape(LIMIT_LABELS[key][lang == 'nl'])} <input type='text' data-figure name='{key}' "
            f"value='{'' if value is None else f'{value:g}'}' inputmode='decimal' size='6'></label>"
        )
    controls.append(
        f"</fieldset><fieldset><legend>{_t(lang, 'Keeps in house', 'Houdt in eigen huis')}</legend>"
        "<table class='grid'><tr><th></th>"
        + "".join(
            f"<th title='{html.escape(name(d, lang))}'>{html.escape(short_name(d, lang))}</th>" for d in domains_in
        )
        + "</tr>"
    )
    for code, title in members:
        cells = "".join(
            f"<td><input type='checkbox' data-keep value='{code}.{d}' "
            f"aria-label='{html.escape(title)} {html.escape(name(d, lang))}'></td>"
            for d in domains_in
        )
        controls.append(f"<tr><th>{html.escape(title)}</th>{cells}</tr>")
    options = "".join(f"<option value='{code}'>{html.escape(title)}</option>" for code, title in members)
    controls.append(
        f"</table></fieldset><fieldset><legend>{_t(lang, 'Will not work together', 'Werken niet samen')}</legend>"
        f"<select id='pair-a'>{options}</select> <select id='pair-b'>{options}</select> "
        f"<button type='button' id='add-pair'>+</button><ul id='apart'></ul></fieldset>"
    )
    text = {
        "solving": _t(lang, "Solving...", "Bezig met rekenen..."),
        "bad": _t(lang, "Bad input: nothing solved", "Ongeldige invoer: niets berekend"),
        "explaining": _t(lang, "Runner-ups and flip points follow...", "Alternatieven en omslagpunten volgen..."),
        "busy": _t(lang, "The server is busy: trying again in {s} s...", "De server is bezig: over {s} s opnieuw..."),
        "unreachable": _t(lang, "The server cannot be reached", "De server is niet bereikbaar"),
        # a status the server sent without a message of its own
        "error": _t(lang, "internal error (a fault in seta)", "interne fout (een fout in seta)"),
        "stopping": _t(lang, "The server is stopping.", "De server stopt."),
        "none": _t(lang, "Not explained.", "Niet uitgelegd."),
    }
    other = "nl" if lang == "en" else "en"
    script = (
        f"const LANG = {json.dumps(lang)}; const TEXT = {json.dumps(text)}; "
        f"const NAMES = {json.dumps(dict(members))};" + SCRIPT
    )
    answer = (
        f"<p id='status' role='status'></p><pre id='problems'></pre><div id='headline'></div>"
        f"<h2>{_t(lang, 'Chosen pools', 'Gekozen pools')}</h2><div id='pools'></div><div id='map' class='chart'></div>"
        f"<h2>{_t(lang, 'Cash and valuations', 'Geld en waarderingen')}</h2><div id='split'></div>"
        f"<h2>{_t(lang, 'Where each municipality gains or pays', 'Waar elke gemeente wint of betaalt')}</h2>"
        f"<div id='effects' class='chart'></div><div id='gains'></div>"
        f"<h2>{_t(lang, 'Why this answer', 'Waarom dit antwoord')}</h2><div id='why'></div>"
    )
    return (
        f"<!DOCTYPE html>\n<html lang='{lang}'><head><meta charset='utf-8'><title>seta: "
        f"{html.escape(scenario.name)}</title><link rel='icon' href='data:,'><style>{STYLE}{PAGE_STYLE}</style>"
        f"<script src='vega.js{'?token=' + html.escape(quote(token, safe='')) if token else ''}'></script>"
        f"</head><body><h1>seta: {html.escape(scenario.name)}</h1><p class='muted'>"
        f"<a id='download' href='api/scenario.yaml'>"
        f"{_t(lang, 'Download these settings (YAML)', 'Deze instellingen downloaden (YAML)')}</a>"
        f" · <a id='language' href='?lang={other}'>{'Nederlands' if lang == 'en' else 'English'}</a></p>"
        f"<div class='layout'><form id='controls'>{''.join(controls)}</form><main id='answer'>{answer}</main></div>"
        f"<script>{script}</script></body></html>\n"
    )


# -- HTTP -----------------------------------------------------------------------------------------

#: a percent sign not followed by two hex digits (parse_qs would keep it as it is)
BAD_PERCENT = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _shown(text: str, limit: int = 120) -> str:
    """Text from a request or an error as one printable log line of bounded length."""
    printable = "".join(c if c.isprintable() else "?" for c in text[: limit + 1])
    return printable if len(printable) <= limit else printable[:limit] + "..."


def read_query(target: str) -> tuple[str, dict[str, list[str]]] | None:
    """The path and query of a request target; None when it cannot be read: too long, a percent
    sign without two hex digits, percent-encoded bytes that are not UTF-8, too many parameters."""
    if len(target) > MAX_TARGET:
        return None
    try:
        url = urlsplit(target)
        if BAD_PERCENT.search(url.query):
            return None
        query = parse_qs(url.query, keep_blank_values=True, errors="strict", max_num_fields=MAX_PARAMETERS)
    except (ValueError, UnicodeDecodeError):
        return None
    return url.path, query


def handler_for(workshop: Workshop, log: Callable[[str], None], token: str | None) -> type[BaseHTTPRequestHandler]:
    routes: dict[str, Callable[[Mapping[str, Sequence[str]], Callable[[], bool]], Reply]] = {
        "/": workshop.page,
        "/api/solve": workshop.answer,
        "/api/explain": workshop.explain,
        "/api/scenario.yaml": workshop.scenario_file,
    }
    bundle = vega_javascript().encode("utf-8")
    secret = None if token is None else token.encode("ascii")

    class Handler(BaseHTTPRequestHandler):
        server_version = "seta"
        protocol_version = "HTTP/1.1"
        timeout = IDLE_SECONDS
        left = False

        def handle_one_request(self) -> None:
            """The standard library's, with every method dispatched here (405 but for GET and HEAD)."""
            self.left = False
            try:
                self.raw_requestline = self.rfile.readline(65537)
                if not self.raw_requestline:
                    self.close_connection = True
                    return
                if len(self.raw_requestline) > 65536:
                    self.requestline, self.request_version, self.command = "", "", ""
                    self.send_error(HTTPStatus.BAD_REQUEST)
                    return
                if not self.parse_request():
                    return  # parse_request answered through send_error
                with working(self.server):
                    self.respond()
                    self.wfile.flush()
            except TimeoutError:  # idle or too slow: its thread is wanted elsewhere
                self.close_connection = True
            except OSError:  # the client left early (reset, broken pipe): nobody to tell
                self.close_connection = True

        def respond(self) -> None:
            if self.request_version == "HTTP/0.9":  # "GET /" alone: no headers, no status line
                self.send_error(HTTPStatus.BAD_REQUEST)
                return
            if self.command not in ("GET", "HEAD"):
                self.send(refusal(HTTPStatus.METHOD_NOT_ALLOWED, workshop.lang))
                return
            read = read_query(self.path)
            if read is None:
                self.send(refusal(HTTPStatus.BAD_REQUEST, workshop.lang))
                return
            path, query = read
            lang = workshop.lang_of(query)
            given = query.get("token", [])
            if secret is not None and not (len(given) == 1 and _same(given[0], secret)):
                self.send(refusal(HTTPStatus.FORBIDDEN, lang))
                return
            if path == "/vega.js":
                reply = Reply(HTTPStatus.OK, bundle, "text/javascript", (("Cache-Control", "max-age=86400"),))
            elif path in routes:
                reply = self.route(routes[path], query, lang)
            else:
                reply = refusal(HTTPStatus.NOT_FOUND, lang)
            self.send(reply)

        def route(
            self,
            answer: Callable[[Mapping[str, Sequence[str]], Callable[[], bool]], Reply],
            query: Mapping[str, Sequence[str]],
            lang: str,
        ) -> Reply:
            try:
                return answer(query, self.gone)
            except Refused as refused:
                return refused.reply
            except InputError as error:
                return _bad_input(error)
            except Exception as error:  # a seta bug: one line in the log, the server goes on
                where = f"{self.command} {_shown(self.path.split('?', 1)[0])}"
                log(
                    _t(
                        workshop.lang,
                        f"internal error on {where}: {_described(error)}",
                        f"interne fout bij {where}: {_described(error)}",
                    )
                )
                message = _t(lang, "internal error (a fault in seta)", "interne fout (een fout in seta)")
                return _json(
                    {"status": "error", "problems": [["seta", f"{message}: {_described(error)}"]]},
                    HTTPStatus.INTERNAL_SERVER_ERROR,
                )

        def gone(self) -> bool:
            """Whether the client has closed its side: the socket reads as ended (or fails). A page
            that moves on or closes, or a script that gives up, stops the work it asked for."""
            if not self.left:
                try:
                    self.left = _readable(self.connection) and self.connection.recv(1, socket.MSG_PEEK) == b""
                except OSError:  # reset: gone as well
                    self.left = True
            return self.left

        def send(self, reply: Reply) -> None:
            if self.left:  # nobody to answer; the connection cannot carry another request either
                self.close_connection = True
                return
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            for header, value in reply.headers:
                self.send_header(header, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(reply.body)

        def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
            """What parse_request refuses (a bad request line, HTTP version or headers) in the
            server's own words, the connection closed after it."""
            status = HTTPStatus(code)
            if status is HTTPStatus.REQUEST_URI_TOO_LONG:
                status = HTTPStatus.BAD_REQUEST
            self.command = "GET"  # the body is sent whatever the request said
            self.request_version = "HTTP/1.1"  # and the status line (HTTP/0.9 has none)
            self.send(refusal(status, workshop.lang))

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: a workshop does not want a line per click."""

    return Handler


def _readable(connection: socket.socket) -> bool:
    """Whether a socket has something to read (data, or its end) now; poll() where there is one,
    since select() fails for descriptors past 1023."""
    if hasattr(select, "poll"):
        poller = select.poll()
        poller.register(connection, select.POLLIN)
        return bool(poller.poll(0))
    try:
        return bool(select.select([connection], [], [], 0)[0])
    except ValueError:  # a descriptor select() cannot watch: the client is taken to be there
        return False


def _same(given: str, secret: bytes) -> bool:
    try:
        return secrets.compare_digest(given.encode("ascii"), secret)
    except UnicodeEncodeError:
        return False


def _described(error: BaseException) -> str:
    """An exception as one bounded line (its text may be long or span lines)."""
    try:
        text = str(error)
    except Exception:  # an exception whose text itself fails
        text = ""
    return _shown(f"{type(error).__name__}: {text}" if text else type(error).__name__, 300)


class WorkshopServer(ThreadingHTTPServer):
    """A thread per connection, at most MAX_CONNECTIONS of them; a fault in a connection's thread
    is one line in the log, and a client that left early none."""

    daemon_threads = True

    def __init__(
        self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], log: Callable[[str], None], lang: str
    ) -> None:
        self.log = log
        self.lang = lang
        self.connections = 0
        #: requests being answered (not connections waiting for their next request)
        self.working = 0
        self._count = threading.Condition()
        super().__init__(address, handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._count:
            full = self.connections >= MAX_CONNECTIONS
            if not full:
                self.connections += 1
        if full:
            self._turn_away(request)
            return
        try:
            super().process_request(request, client_address)
        except RuntimeError:  # no thread to be had: the connection is turned away like one too many
            self._left(request)
            self._turn_away(request)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._left(request)

    def _left(self, request: Any) -> None:
        with self._count:
            self.connections -= 1
            self._count.notify_all()

    def _turn_away(self, request: Any) -> None:
        reply = refusal(HTTPStatus.SERVICE_UNAVAILABLE, self.lang)
        head = "".join(f"{k}: {v}\r\n" for k, v in (("Content-Type", reply.content_type), *reply.headers))
        try:
            request.settimeout(1.0)
            request.sendall(
                f"HTTP/1.1 503 Service Unavailable\r\n{head}Content-Length: {len(reply.body)}\r\n\r\n".encode()
                + reply.body
            )
        except OSError:
            pass
        self.shutdown_request(request)

    def wait_idle(self, seconds: float) -> None:
        """Until no request is being answered, or `seconds` have passed."""
        deadline = time.monotonic() + seconds
        with self._count:
            while self.working and time.monotonic() < deadline:
                self._count.wait(max(0.0, deadline - time.monotonic()))

    def started(self) -> None:
        with self._count:
            self.working += 1

    def ended(self) -> None:
        with self._count:
            self.working -= 1
            self._count.notify_all()

    def handle_error(self, request: Any, client_address: Any) -> None:
        error = sys.exc_info()[1]
        if error is None or isinstance(error, (ConnectionError, TimeoutError)):
            return
        self.log(
            _t(
                self.lang,
                f"internal error on a connection: {_described(error)}",
                f"interne fout bij een verbinding: {_described(error)}",
            )
        )


@contextmanager
def working(server: Any) -> Iterator[None]:
    """A request being answered, counted by its server (Ctrl-C waits for such, not for idle ones)."""
    if not isinstance(server, WorkshopServer):
        yield
        return
    server.started()
    try:
        yield
    finally:
        server.ended()


def needs_token(host: str) -> bool:
    """Whether an address lets in more than this machine (anything but the loopback names)."""
    return host not in LOCAL_HOSTS


def _stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def serve(
    workshop: Workshop,
    host: str,
    port: int,
    ready: Callable[[str], None],
    stop: threading.Event,
    log: Callable[[str], None] | None = None,
    token: str | None = None,
) -> None:
    """Serve until `stop` is set (Ctrl-C). `ready` hears the address once the server listens (with
    its token); `log` hears each fault, one line each. A host beyond this machine gets a random
    token unless one is given: every request must carry it (`?token=`)."""
    say = log or _stderr
    if token is None and needs_token(host):
        token = secrets.token_urlsafe(16)

    def logged(line: str) -> None:
        say(f"seta serve: {line}")

    workshop.log = logged
    server = WorkshopServer((host, port), handler_for(workshop, logged, token), logged, workshop.lang)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    shown = f"[{host}]" if ":" in host else host
    ready(f"http://{shown}:{server.server_address[1]}/" + (f"?token={quote(token)}" if token else ""))
    try:
        stop.wait()
    finally:
        server.shutdown()
        server.server_close()
        workshop.close()  # stops the solves: the requests waiting for them answer "stopping"
        server.wait_idle(STOPPING_SECONDS)
