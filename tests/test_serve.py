"""The workshop page (`seta serve`) in a real headless Chromium driven by Debian's chromedriver: a
control changes, the page re-solves to what `seta solve` gives for the same settings, the settings
download as a scenario file that solves to the same objective, and bad values in the URL get the
page's placed message, never a server error."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

SETA = str(Path(sys.executable).with_name("seta"))
CHROMEDRIVER = shutil.which("chromedriver")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """`seta serve kempen` on a free port of this machine; its address."""
    process = subprocess.Popen(
        [SETA, "serve", "kempen", "--port", "0"], stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True
    )
    assert process.stderr is not None
    address = ""
    deadline = time.monotonic() + 60
    while not address and time.monotonic() < deadline:
        line = process.stderr.readline()
        found = re.search(r"at (http://127\.0\.0\.1:\d+/)", line)
        if found:
            address = found.group(1)
        elif not line and process.poll() is not None:
            break
    assert address, "seta serve did not say where it listens"
    try:
        yield address
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    assert CHROMEDRIVER is not None, "chromedriver is missing: `make test` installs Debian's chromium-driver"
    options = webdriver.ChromeOptions()
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    options.binary_location = shutil.which("chromium") or ""
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=120) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def _wait_for_answer(driver: Any, previous: str | None = None) -> dict[str, Any]:
    """The page's answer once it has one (and, given `previous`, once it differs from it)."""
    from selenium.webdriver.support.ui import WebDriverWait

    def ready(d: Any) -> bool:
        body = d.find_element("tag name", "body")
        status = body.get_attribute("data-status")
        pools = body.get_attribute("data-pools")
        return status in ("optimal", "bad input") and (previous is None or pools != previous)

    WebDriverWait(driver, 120, poll_frequency=0.2).until(ready)
    body = driver.find_element("tag name", "body")
    return {
        "status": body.get_attribute("data-status"),
        "pools": body.get_attribute("data-pools"),
        "objective": body.get_attribute("data-objective"),
    }


def _cli_solve(*arguments: str) -> dict[str, Any]:
    done = subprocess.run(
        [SETA, "solve", *arguments, "--no-explain", "--format", "json"], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def _pool_set(rows: list[dict[str, Any]]) -> set[tuple[str, str, str, str]]:
    return {(r["domain"], r["structure"], r["host_code"], r["member_codes"]) for r in rows}


def test_a_control_re_solves_to_what_the_command_line_gives(server: str, browser: Any, tmp_path: Path) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(server)
    first = _wait_for_answer(browser)
    assert first["status"] == "optimal"
    plain = _cli_solve("kempen")
    assert _pool_set(json.loads(first["pools"])) == _pool_set(plain["pools"])
    # Oirschot keeps enforcement in house: one civil service (every domain) can no longer include it
    browser.find_element("css selector", "input[data-keep][value='GM0823.enforcement']").click()
    changed = _wait_for_answer(browser, previous=first["pools"])
    assert "keep=GM0823.enforcement" in browser.current_url
    expected = _cli_solve("kempen", "--set", "politics.exclude.GM0823=[enforcement]")
    assert _pool_set(json.loads(changed["pools"])) == _pool_set(expected["pools"])
    assert float(changed["objective"]) == pytest.approx(expected["summary"]["after"]["objective"], rel=1e-9)
    WebDriverWait(browser, 60).until(lambda d: d.find_elements("css selector", "#map svg"))
    # the table the room reads changed with it: the civil service goes on without Oirschot
    assert "Eersel, Bladel, Reusel-De Mierden, Bergeijk" in browser.find_element("id", "pools").text
    # the settings as a scenario file: seta solve gives the same objective
    link = browser.find_element("id", "download").get_attribute("href")
    status, text = _get(link)
    assert status == 200
    path = tmp_path / "workshop.yaml"
    path.write_bytes(text)
    again = _cli_solve(str(path))
    assert again["summary"]["after"]["objective"] == pytest.approx(float(changed["objective"]), rel=1e-9)
    # the address is the state: opened afresh, it shows the same answer
    browser.get(browser.current_url)
    shared = _wait_for_answer(browser)
    assert _pool_set(json.loads(shared["pools"])) == _pool_set(expected["pools"])


def test_a_bad_value_in_the_address_gets_the_placed_message(server: str, browser: Any) -> None:
    browser.get(server + "?cost=abc")
    answer = _wait_for_answer(browser)
    assert answer["status"] == "bad input"
    assert "weights.cost: 'abc' is not a number" in browser.find_element("id", "problems").text
    for query, message in (
        ("cost=abc", "'abc' is not a number"),
        ("keep=Nowhere.hr", "unknown municipality 'Nowhere'"),
        ("municipalities.table=/etc/passwd", "URL, municipalities.table"),
        ("lang=fr", "expected en or nl"),
    ):
        status, body = _get(f"{server}api/solve?{query}")
        assert status == 400, (query, body[:300])
        document = json.loads(body)
        assert document["status"] == "bad input"
        assert any(message in f"{place}: {text}" for place, text in document["problems"]), document
    assert _get(server + "../../etc/passwd")[0] == 404
    assert _get(server + "api/other")[0] == 404


def test_the_page_speaks_dutch(server: str, browser: Any) -> None:
    status, body = _get(server + "?lang=nl")
    assert status == 200
    assert "Wie doet mee" in body.decode("utf-8") and "Deze instellingen downloaden" in body.decode("utf-8")
    browser.get(server + "?lang=nl")
    assert _wait_for_answer(browser)["status"] == "optimal"
    assert "alle 5 taakvelden" in browser.find_element("id", "pools").text
    assert "één ambtelijke organisatie" in browser.find_element("id", "pools").text
    # the switch to English keeps the settings
    browser.find_element("css selector", "input[data-member][value='GM1667']").click()
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 60).until(lambda d: "out=GM1667" in d.find_element("id", "language").get_attribute("href"))
    assert "lang=en" in browser.find_element("id", "language").get_attribute("href")


def test_a_newer_change_stops_the_older_solve_of_the_same_page() -> None:
    """In process: a slow solve (matrix and centre only, at most two matrix units: seconds to prove)
    is overtaken by the same page's next change, which stops it; another page is left alone."""
    import threading

    from cli.serve import Workshop
    from inputs.loader import read_source

    source = read_source("kempen")
    workshop = Workshop(source, source.scenario().solver)
    slow = {"structures": ["matrix,centre"], "max_matrix_units": ["2"]}
    answers: dict[str, dict[str, Any]] = {}

    def ask(name: str, query: dict[str, list[str]]) -> None:
        answers[name] = json.loads(workshop.answer(query).body)

    try:
        older = threading.Thread(target=ask, args=("older", {**slow, "client": ["a"]}))
        other = threading.Thread(target=ask, args=("other page", {**slow, "client": ["b"]}))
        older.start()
        other.start()
        time.sleep(0.5)
        ask("newer", {"quality": ["0.5"], "client": ["a"]})
        older.join(timeout=120)
        other.join(timeout=120)
    finally:
        workshop.close()
    assert not workshop._latest, "finished requests are forgotten"
    assert answers["older"]["status"] == "superseded"
    assert answers["newer"]["status"] == "optimal"
    assert answers["other page"]["status"] == "optimal"


def test_the_state_applies_to_the_document_and_round_trips_as_a_file(tmp_path: Path) -> None:
    """Every control changes the scenario as the same settings in a file would; the written file
    reads back to the same scenario (the same content hash)."""
    from inputs import load_scenario
    from inputs.loader import read_source
    from inputs.problems import InputError
    from inputs.workshop import apply_state, parse_state, scenario_yaml

    source = read_source("kempen")
    query = {
        "out": ["GM1667"],
        "keep": ["GM0823.enforcement,GM0823.hr"],
        "apart": ["GM0770-GM1728"],
        "domains": ["hr,taxes,enforcement"],
        "structures": ["centre,ssc"],
        "quality": ["0.5"],
        "max_travel_km": [""],
        "max_matrix_units": ["3"],
    }
    scenario = source.scenario(apply_state(source.document, parse_state(query)))
    assert scenario.politics.excluded == {
        "GM1667": frozenset({"hr", "taxes", "enforcement"}),
        "GM0823": frozenset({"enforcement", "hr"}),
    }
    assert scenario.politics.excluded_pairs == frozenset({("GM0770", "GM1728")})
    assert [d.key for d in scenario.domains] == ["hr", "taxes", "enforcement"]
    assert [s.key for s in scenario.structures] == ["centre", "ssc"]
    assert scenario.weights.quality == 0.5
    assert scenario.limits.max_travel_km is None and scenario.limits.max_matrix_units == 3
    path = tmp_path / "workshop.yaml"
    path.write_text(scenario_yaml(apply_state(source.document, parse_state(query)), "kempen"), encoding="utf-8")
    assert load_scenario(str(path)).content_hash() == scenario.content_hash()
    for bad, message in (
        ({"keep": ["GM0823"]}, "URL, keep: 'GM0823' is not MUNICIPALITY.DOMAIN"),
        ({"apart": ["GM0770"]}, "URL, apart: 'GM0770' is not MUNICIPALITY-MUNICIPALITY"),
        ({"out": ["a"], "bogus": ["1"]}, "URL, bogus: unknown control"),
        ({"lang": ["en", "nl"]}, "URL, lang: given 2 times (expected once)"),
    ):
        with pytest.raises(InputError) as raised:
            parse_state(bad)
        assert message in str(raised.value)


FORCED = """name: forced
municipalities:
  dataset: nl-2007
  members: [Eersel, Bladel, Oirschot]
domains: [taxes, hr]
structures: [centre]
politics:
  force: {Eersel: [taxes]}
"""


def test_settings_that_a_screen_rules_out_get_the_placed_message(tmp_path: Path) -> None:
    """In process: settings that pass the file's checks but leave a forced service nowhere to go are
    bad input with the screen's words, never a server error."""
    from cli.serve import Workshop
    from inputs.loader import read_source

    path = tmp_path / "forced.yaml"
    path.write_text(FORCED, encoding="utf-8")
    source = read_source(str(path))
    workshop = Workshop(source, source.scenario().solver)
    try:
        for query, message in (
            ({"keep": ["GM0770.taxes"]}, "Eersel must pool taxes but is also excluded from pooling it"),
            ({"out": ["GM1728,GM0823"]}, "Eersel must pool taxes, but no allowed structure has enough"),
        ):
            for reply in (workshop.answer(query), workshop.explain(query)):
                assert reply.status == 400
                document = json.loads(reply.body)
                assert document["status"] == "bad input"
                assert any(
                    place == "forced.yaml, politics.force.Eersel" and message in text
                    for place, text in document["problems"]
                )
    finally:
        workshop.close()
