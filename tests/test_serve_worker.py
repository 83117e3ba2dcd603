"""`seta serve` when a worker process dies mid-request (killed, out of memory, a crash in the
solver): the broken pool is replaced, the requests it took down are answered by running them once
more, a log line names the death, and the server goes on. Workers are killed for real (SIGKILL from
outside, or a job that ends its own process); no pool is mocked."""

from __future__ import annotations

import json
import os
import re
import signal
import threading
from typing import Any

import pytest
from browser import started_serve
from killer import Killer, workers_of
from test_serve import _request, _Served


def test_a_worker_killed_mid_request_is_replaced_and_both_requests_it_took_down_are_answered() -> None:
    """Two explanations at once on the real server; the first worker process is killed while they
    run, which breaks the pool under both: each is asked again, and each answers as a quiet server does."""
    process, lines = started_serve("kempen", "--port", "0")
    try:
        found = re.search(r"at (http://127\.0\.0\.1:\d+/)", lines[-1])
        assert found, lines
        base = found.group(1)
        answers: dict[str, tuple[int, dict[str, str], bytes]] = {}

        def ask(client: str) -> None:
            answers[client] = _request(f"{base}api/explain?client={client}&quality=0.3")

        asking = [threading.Thread(target=ask, args=(client,), daemon=True) for client in ("a", "b")]
        # a pool starts its second worker for the second job it is given: both are in the pool
        with Killer(1, parent=process.pid, after_s=0.5, among=2) as killer:
            for thread in asking:
                thread.start()
            for thread in asking:
                thread.join(timeout=300)
        assert len(killer.killed) == 1
        status, _headers, body = _request(f"{base}api/explain?client=c&quality=0.3")
        assert status == 200
        quiet = json.loads(body)
        assert quiet["status"] == "explained"
        for client in ("a", "b"):
            status, _headers, body = answers[client]
            assert status == 200, body
            assert json.loads(body) == quiet
        # the server goes on: a solve is answered too
        status, _headers, body = _request(f"{base}api/solve?client=d&quality=0.3")
        assert status == 200 and json.loads(body)["status"] == "optimal"
    finally:
        process.send_signal(signal.SIGINT)
        rest = process.communicate(timeout=60)[1]
    assert "Traceback" not in rest, rest
    death = (
        f"seta serve: a worker process died under an explanation (worker process {killer.killed[0]} was killed "
        "by signal 9 (SIGKILL)); asked again in new worker processes"
    )
    assert rest.splitlines().count(death) == 2, rest
    assert workers_of(os.getpid()) == []


def always_dies(*_arguments: Any) -> Any:
    """A job that ends its worker process every time (a crash inside the solver on these settings)."""
    os._exit(7)


def test_a_request_whose_worker_dies_twice_gets_an_error_and_the_server_serves_on(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from cli import serve
    from inputs.loader import read_source

    source = read_source("kempen")
    workshop = serve.Workshop(source, source.scenario().solver, "nl")  # its log in Dutch
    served = _Served(workshop)
    try:
        monkeypatch.setattr(serve, "_answer", always_dies)
        answers = {lang: _request(f"{served.address}api/solve?quality=0.3&lang={lang}") for lang in ("en", "nl")}
        monkeypatch.undo()
        status, _headers, body = _request(served.address + "api/solve?quality=0.3")
        assert status == 200 and json.loads(body)["status"] == "optimal"
    finally:
        served.close()
    pid = r"(\d+)"
    for lang, message in (
        (
            "en",
            rf"The worker process for this request ended abruptly twice \(worker process {pid} exited with code 7\)\. "
            r"The server goes on: change a setting or reload the page to ask again\.",
        ),
        (
            "nl",
            rf"Het werkproces voor dit verzoek stopte twee keer abrupt \(werkproces {pid} stopte met afsluitcode 7\)\. "
            r"De server gaat door: wijzig een instelling of laad de pagina opnieuw om het nog eens te vragen\.",
        ),
    ):
        status, _headers, body = answers[lang]
        assert status == 500
        document = json.loads(body)
        assert document["status"] == "error" and re.fullmatch(message, document["message"]), document
    assert len(served.log) == 4, served.log
    for first, then in (served.log[0:2], served.log[2:4]):
        assert re.fullmatch(
            rf"seta serve: een werkproces stierf onder een berekening \(werkproces {pid} stopte met afsluitcode 7\); "
            "opnieuw gevraagd aan nieuwe werkprocessen",
            first,
        ), first
        assert re.fullmatch(
            rf"seta serve: een werkproces stierf opnieuw onder een berekening \(werkproces {pid} stopte met "
            r"afsluitcode 7\); beantwoord met een fout",
            then,
        ), then
    assert workers_of(os.getpid()) == []


def test_an_explanation_whose_re_solve_kills_its_worker_twice_gets_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its re-solves are jobs of their own: one whose worker process dies twice ends the explanation
    with the same error as a solve's, and the server goes on."""
    from cli import serve
    from inputs.loader import read_source

    source = read_source("kempen")
    workshop = serve.Workshop(source, source.scenario().solver)
    served = _Served(workshop)
    try:
        monkeypatch.setattr(serve, "_task", always_dies)
        status, _headers, body = _request(f"{served.address}api/explain?quality=0.3")
        monkeypatch.undo()
        again, _headers, explained = _request(served.address + "api/explain?quality=0.3")
    finally:
        served.close()
    assert status == 500
    document = json.loads(body)
    assert document["status"] == "error"
    assert document["message"].startswith("The worker process for this request ended abruptly twice (worker process ")
    assert again == 200 and json.loads(explained)["status"] == "explained"
    assert any(" died under an explanation again " in line for line in served.log), served.log
    assert workers_of(os.getpid()) == []
