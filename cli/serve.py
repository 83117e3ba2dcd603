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

Solves run on a pool of threads, not the request's; a client's newer request stops its older one
(`client=` in the query names the page, not part of the state).
"""

from __future__ import annotations

import html
import json
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from inputs import datasets, defaults
from inputs.labels import name
from inputs.loader import Source
from inputs.problems import InputError
from inputs.types import Scenario, SolverOptions
from inputs.workshop import LIMITS, WEIGHTS, State, apply_state, parse_state, scenario_yaml
from optimizer import Result, optimize
from optimizer.executor import SerialExecutor
from visuals import charts, tables, why
from visuals.report import STYLE, table_html, vega_javascript

#: threads that solve (the machine's two cores; more would only queue inside HiGHS)
SOLVERS = 2


@dataclass(frozen=True)
class Reply:
    status: HTTPStatus
    body: bytes
    content_type: str
    headers: tuple[tuple[str, str], ...] = ()


def _json(document: Mapping[str, Any], status: HTTPStatus = HTTPStatus.OK) -> Reply:
    return Reply(status, json.dumps(document).encode("utf-8"), "application/json; charset=utf-8")


def _bad_input(error: InputError) -> Reply:
    """Bad settings: every problem with its place, as the command line gives them."""
    return _json({"status": "bad input", "problems": [[p.place, p.message] for p in error.problems]})


def _t(lang: str, en: str, nl: str) -> str:
    return nl if lang == "nl" else en


class Workshop:
    """One scenario served: its document, the solves in flight and who asked for them."""

    def __init__(self, source: Source, options: SolverOptions, lang: str = "en") -> None:
        self.source = source
        self.base = source.scenario()
        self.options = options
        self.lang = lang
        self.geo = datasets.boundaries(self.base.dataset) if self.base.dataset else None
        self._solvers = ThreadPoolExecutor(SOLVERS, thread_name_prefix="seta-solve")
        self._latest: dict[tuple[str, str], threading.Event] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        with self._lock:
            for stop in self._latest.values():
                stop.set()
        self._solvers.shutdown(wait=True, cancel_futures=True)

    # -- state ------------------------------------------------------------------------------------
    def state_of(self, query: Mapping[str, Sequence[str]]) -> tuple[State, dict[str, Any], Scenario]:
        """The state in a query, the changed document and its scenario (InputError, placed)."""
        state = parse_state({k: v for k, v in query.items() if k != "client"})
        document = apply_state(self.source.document, state)
        return state, document, self.source.scenario(document)

    def _claim(self, query: Mapping[str, Sequence[str]], kind: str) -> tuple[tuple[str, str], threading.Event]:
        """A stop flag for this request; the same page's older request of this kind is stopped."""
        key = ((query.get("client") or ["-"])[0][:64], kind)
        stop = threading.Event()
        with self._lock:
            older = self._latest.get(key)
            if older is not None:
                older.set()
            self._latest[key] = stop
        return key, stop

    def _release(self, key: tuple[str, str], stop: threading.Event) -> None:
        """Forget a finished request, unless a newer one of the page has taken its place."""
        with self._lock:
            if self._latest.get(key) is stop:
                del self._latest[key]

    def _solve(self, scenario: Scenario, stop: threading.Event) -> Result | None:
        if stop.is_set():
            return None
        return optimize(scenario, self.options, stop=stop, explain_rejection=False)

    # -- answers ----------------------------------------------------------------------------------
    def answer(self, query: Mapping[str, Sequence[str]]) -> Reply:
        started = time.perf_counter()
        try:
            state, _document, scenario = self.state_of(query)
        except InputError as error:
            return _bad_input(error)
        key, stop = self._claim(query, "solve")
        try:
            result = self._solvers.submit(self._solve, scenario, stop).result()
        except InputError as error:  # a screen found the settings leave nothing: said as the CLI says it
            return _bad_input(error)
        finally:
            self._release(key, stop)
        if result is None or (stop.is_set() and result.report.interrupted):
            return _json({"status": "superseded"})
        return _json({**answer_document(result, self.geo, state.lang), "seconds": time.perf_counter() - started})

    def explain(self, query: Mapping[str, Sequence[str]]) -> Reply:
        from cli.why import explain_result

        try:
            state, _document, scenario = self.state_of(query)
        except InputError as error:
            return _bad_input(error)
        key, stop = self._claim(query, "explain")

        def explained() -> dict[str, Any] | None:
            result = self._solve(scenario, stop)
            if result is None or stop.is_set():
                return None
            explanation = explain_result(result, True, 2.0, SerialExecutor(stop), lambda _line: None)
            if stop.is_set():
                return None
            return explanation_document(result, explanation, state.lang)

        try:
            document = self._solvers.submit(explained).result()
        except InputError as error:
            return _bad_input(error)
        finally:
            self._release(key, stop)
        return _json({"status": "superseded"} if document is None else document)

    def scenario_file(self, query: Mapping[str, Sequence[str]]) -> Reply:
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

    def page(self, query: Mapping[str, Sequence[str]]) -> Reply:
        lang = (query.get("lang") or [self.lang])[0]
        return Reply(
            HTTPStatus.OK,
            page_html(self.base, lang if lang in ("en", "nl") else "en").encode(),
            "text/html; charset=utf-8",
        )


def answer_document(result: Result, geo: dict[str, Any] | None, lang: str) -> dict[str, Any]:
    """What the page shows for a solve: status, the pools, the map, gains per member, cash apart
    from valuations; the objective (to compare with `seta solve`)."""
    report = result.report
    document: dict[str, Any] = {
        "status": report.status.value,
        "status_text": report.describe(),
        "objective": None if result.chosen is None else result.chosen.objective,
        "solve_seconds": report.seconds,
    }
    if result.chosen is None:
        return document
    summary = result.summary()
    municipalities, pools, merged = result.municipalities(), result.pools(), result.merged_pools()
    domains = list(result.instance.domains)
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
    document["charts"] = {"effects": charts.municipality_effects(municipalities, lang).to_dict(validate=False)}
    if geo is not None:
        document["charts"]["map"] = charts.pool_map(municipalities, pools, geo, domains, lang).to_dict(validate=False)
    if summary.cash_and_valuations is not None:
        document["split"] = f"<p>{html.escape(why.split_sentence(summary, lang))}</p>" + table_html(
            why.split_table(summary, lang)
        )
    return document


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
.busy { opacity: 0.55; } input[type=number] { width: 6em; }
"""

#: the page's behaviour, read once (a file of its own, so it reads as JavaScript)
SCRIPT = (Path(__file__).with_name("workshop.js")).read_text(encoding="utf-8")


LIMIT_LABELS = {
    "max_matrix_units": ("matrix units at most", "hooguit matrixeenheden"),
    "max_travel_km": ("km from member to host at most", "hooguit km van lid tot gastgemeente"),
    "max_arrangements": ("arrangements per member at most", "hooguit regelingen per lid"),
}


def _checkbox(attribute: str, value: str, label: str, checked: bool) -> str:
    mark = " checked" if checked else ""
    return (
        f"<label><input type='checkbox' data-{attribute} value='{html.escape(value)}'{mark}> "
        f"{html.escape(label)}</label>"
    )


def page_html(scenario: Scenario, lang: str) -> str:
    """The page: controls for what a room argues about, and places for the answer."""
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
        + "".join(f"<th title='{html.escape(name(d, lang))}'>{html.escape(d)}</th>" for d in domains_in)
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
    }
    other = "nl" if lang == "en" else "en"
    script = (
        f"const LANG = {json.dumps(lang)}; const TEXT = {json.dumps(text)}; "
        f"const NAMES = {json.dumps(dict(members))};" + SCRIPT
    )
    answer = (
        f"<p id='status' role='status'></p><pre id='problems'></pre><p id='headline'></p>"
        f"<h2>{_t(lang, 'Chosen pools', 'Gekozen pools')}</h2><div id='pools'></div><div id='map' class='chart'></div>"
        f"<h2>{_t(lang, 'Cash and valuations', 'Geld en waarderingen')}</h2><div id='split'></div>"
        f"<h2>{_t(lang, 'Where each municipality gains or pays', 'Waar elke gemeente wint of betaalt')}</h2>"
        f"<div id='effects' class='chart'></div><div id='gains'></div>"
        f"<h2>{_t(lang, 'Why this answer', 'Waarom dit antwoord')}</h2><div id='why'></div>"
    )
    return (
        f"<!DOCTYPE html>\n<html lang='{lang}'><head><meta charset='utf-8'><title>seta: "
        f"{html.escape(scenario.name)}</title><link rel='icon' href='data:,'><style>{STYLE}{PAGE_STYLE}</style>"
        "<script src='vega.js'></script>"
        f"</head><body><h1>seta: {html.escape(scenario.name)}</h1><p class='muted'>"
        f"<a id='download' href='api/scenario.yaml'>"
        f"{_t(lang, 'Download these settings (YAML)', 'Deze instellingen downloaden (YAML)')}</a>"
        f" · <a id='language' href='?lang={other}'>{'Nederlands' if lang == 'en' else 'English'}</a></p>"
        f"<div class='layout'><form id='controls'>{''.join(controls)}</form><main id='answer'>{answer}</main></div>"
        f"<script>{script}</script></body></html>\n"
    )


# -- HTTP -----------------------------------------------------------------------------------------


def handler_for(workshop: Workshop, log: Callable[[str], None]) -> type[BaseHTTPRequestHandler]:
    routes: dict[str, Callable[[Mapping[str, Sequence[str]]], Reply]] = {
        "/": workshop.page,
        "/api/solve": workshop.answer,
        "/api/explain": workshop.explain,
        "/api/scenario.yaml": workshop.scenario_file,
    }
    bundle = vega_javascript().encode("utf-8")

    class Handler(BaseHTTPRequestHandler):
        server_version = "seta"
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            url = urlsplit(self.path)
            if url.path == "/vega.js":
                reply = Reply(HTTPStatus.OK, bundle, "text/javascript", (("Cache-Control", "max-age=86400"),))
            elif url.path in routes:
                try:
                    reply = routes[url.path](parse_qs(url.query, keep_blank_values=True))
                except Exception as error:  # a seta bug: said plainly, the server goes on
                    log(f"internal error on {url.path}: {type(error).__name__}: {error}")
                    reply = _json(
                        {"status": "error", "problems": [["seta", f"internal error: {error}"]]},
                        HTTPStatus.INTERNAL_SERVER_ERROR,
                    )
            else:
                reply = Reply(HTTPStatus.NOT_FOUND, b"not found", "text/plain")
            self.send_response(reply.status)
            self.send_header("Content-Type", reply.content_type)
            self.send_header("Content-Length", str(len(reply.body)))
            self.send_header("X-Content-Type-Options", "nosniff")
            for header, value in reply.headers:
                self.send_header(header, value)
            self.end_headers()
            self.wfile.write(reply.body)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: a workshop does not want a line per click."""

    return Handler


def serve(workshop: Workshop, host: str, port: int, ready: Callable[[str], None], stop: threading.Event) -> None:
    """Serve until `stop` is set (Ctrl-C)."""
    server = ThreadingHTTPServer((host, port), handler_for(workshop, ready))
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.2}, daemon=True)
    thread.start()
    shown = f"[{host}]" if ":" in host else host
    ready(f"http://{shown}:{server.server_address[1]}/")
    try:
        stop.wait()
    finally:
        server.shutdown()
        server.server_close()
        workshop.close()
