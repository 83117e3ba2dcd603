"""The map's names as a browser draws them: real headless Chromium (Debian's chromedriver) opens the
report offline and measures every name. One text per municipality, no two names overlapping, none
wider than the layout assumed; the same after choosing another domain and zooming in with the wheel;
and a screenshot of the map is a picture of a sensible size."""

from __future__ import annotations

import struct
from collections import Counter
from collections.abc import Iterator
from itertools import combinations
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from browser import chromium
from click.testing import CliRunner

from cli.main import cli
from inputs import datasets, load_scenario
from visuals import charts, maps
from visuals.placement import text_width
from visuals.report import Section, build_report

#: names of the map's text marks (visuals.maps): plain names and hosts' bold names
NAMES = "#map-chart g.mark-text.role-mark[class*='municipality_names'] text"
HOST_NAMES = "#map-chart g.mark-text.role-mark[class*='host_names'] text"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    # the page needs nothing from outside: every other request goes to a closed port
    offline = ("--proxy-server=127.0.0.1:9", "--host-resolver-rules=MAP * ~NOTFOUND")
    with chromium("--window-size=1400,1200", *offline, page_load_seconds=120) as driver:
        yield driver


def _open_map(driver: Any, page: Path) -> Any:
    """The page opened, its map drawn; the map's element (given the id map-chart)."""
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(page.as_uri())
    WebDriverWait(driver, 120, poll_frequency=0.2).until(
        lambda d: d.execute_script(
            "const m = [...document.querySelectorAll('.chart')].find("
            "  (c) => c.querySelector(\"g[class*='municipality_names']\"));"
            "if (m) m.id = 'map-chart'; return !!m;"
        )
    )
    errors = driver.execute_script("return document.getElementById('render-errors').textContent")
    assert errors.strip() == ""
    return driver.find_element("id", "map-chart")


def _names(driver: Any) -> list[dict[str, Any]]:
    """Every name drawn on the map: its text, whether bold, and its box on the screen."""
    boxes: list[dict[str, Any]] = driver.execute_script(
        """
        const out = [];
        for (const [selector, bold] of [[arguments[0], false], [arguments[1], true]]) {
          for (const t of document.querySelectorAll(selector)) {
            const r = t.getBoundingClientRect();
            out.push({text: t.textContent, bold: bold, left: r.left, top: r.top, right: r.right, bottom: r.bottom});
          }
        }
        return out;
        """,
        NAMES,
        HOST_NAMES,
    )
    return boxes


def _overlapping(boxes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    slack = 0.5  # a rounding of the layout, not an overlap a reader sees
    return [
        (a["text"], b["text"])
        for a, b in combinations(boxes, 2)
        if a["left"] < b["right"] - slack
        and b["left"] < a["right"] - slack
        and a["top"] < b["bottom"] - slack
        and b["top"] < a["bottom"] - slack
    ]


def _check_names(driver: Any, expected: set[str] | None = None) -> list[dict[str, Any]]:
    boxes = _names(driver)
    counts = Counter(box["text"] for box in boxes)
    assert all(count == 1 for count in counts.values()), [t for t, c in counts.items() if c > 1]
    if expected is not None:
        assert set(counts) == expected
    assert _overlapping(boxes) == []
    # the layout's estimate is never narrower than the name as drawn (else it could place two too close)
    too_wide = [
        b["text"] for b in boxes if b["right"] - b["left"] > text_width(b["text"], maps.NAME_SIZE, bold=True) + 0.5
    ]
    assert too_wide == []
    return boxes


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def _zoom_with_wheel(driver: Any, element: Any, steps: int) -> float:
    """Wheel events over the map, as a reader zooms in; the zoom the chart then has."""
    from selenium.webdriver.support.ui import WebDriverWait

    before = driver.execute_script("return document.querySelector('#map-chart input[type=range]').value")
    driver.execute_script(
        """
        const svg = arguments[0].querySelector('svg');
        const r = svg.getBoundingClientRect();
        for (let i = 0; i < arguments[1]; i++) {
          svg.dispatchEvent(new WheelEvent('wheel', {deltaY: -250, bubbles: true, cancelable: true,
                                                     clientX: r.left + 300, clientY: r.top + 300}));
        }
        """,
        element,
        steps,
    )
    WebDriverWait(driver, 30).until(
        lambda d: d.execute_script("return document.querySelector('#map-chart input[type=range]').value") != before
    )
    return float(driver.execute_script("return document.querySelector('#map-chart input[type=range]').value"))


def test_every_zeeland_municipality_is_named_once_without_overlap(browser: Any, tmp_path: Path) -> None:
    scenario = tmp_path / "zeeland.yaml"
    scenario.write_text(
        "name: Zeeland\nmunicipalities: {dataset: nl-2024, members: {province: Zeeland}}\n"
        "domains: [taxes, enforcement]\n",
        encoding="utf-8",
    )
    page = tmp_path / "report.html"
    run = CliRunner().invoke(
        cli, ["report", str(scenario), "--out", str(page), "--no-explain", "--no-endstates", "--png", str(tmp_path)]
    )
    assert run.exit_code == 0, run.output
    names = {m.name for m in load_scenario(str(scenario)).municipalities}
    assert len(names) == 13
    element = _open_map(browser, page)
    first = _check_names(browser, names)
    # the shown view's hosts in bold, and only they
    bold = {b["text"] for b in first if b["bold"]}
    assert bold and bold < names

    # the other domain: the same names, once each, bold where that domain's pools are hosted
    from selenium.webdriver.support.ui import Select

    select = Select(element.find_element("css selector", "select"))
    assert [o.text for o in select.options] == ["taxes", "enforcement"]
    shown = select.first_selected_option.text
    select.select_by_visible_text("enforcement" if shown == "taxes" else "taxes")
    other = _check_names(browser, names)
    assert {b["text"] for b in other if b["bold"]} != bold

    # zoomed in with the wheel: the names move apart, none overlaps, none is drawn twice
    zoom = _zoom_with_wheel(browser, element, 4)
    assert zoom > 1.5
    zoomed = _check_names(browser)
    assert set(b["text"] for b in zoomed) <= names

    shot = tmp_path / "shots" / "zeeland-map.png"
    shot.parent.mkdir()
    assert element.screenshot(str(shot))
    width, height = _png_size(shot)
    assert 700 <= width <= 2000 and 400 <= height <= 2000, (width, height)
    assert shot.stat().st_size > 20_000  # a drawn map, not a blank
    # the PNG that --png writes is the map at its first zoom, as large
    width, height = _png_size(tmp_path / "pool-map.png")
    assert width >= 1400 and height >= 800, (width, height)


def test_the_national_map_names_what_fits_and_more_when_zoomed(browser: Any, tmp_path: Path) -> None:
    """342 municipalities: at the first zoom only names that fit; zooming in shows more, still apart."""
    municipalities = pd.DataFrame(
        [
            {"code": m.code, "name": m.name, "population": m.population, "lat": m.lat, "lon": m.lon}
            for m in datasets.municipalities("nl-2024").values()
        ]
    )
    assert len(municipalities) == 342
    pools = pd.DataFrame(columns=["domain", "structure", "host_code", "host", "member_codes"])
    chart = charts.pool_map(municipalities, pools, datasets.boundaries("nl-2024"), ["taxes"], "en")
    page = tmp_path / "national.html"
    page.write_text(build_report("national", "", [Section("map", chart=chart)]), encoding="utf-8")
    element = _open_map(browser, page)
    first = _check_names(browser)
    assert 40 <= len(first) < 342  # names where they fit; the rest on hover
    assert {"Amsterdam", "Rotterdam", "'s-Gravenhage", "Utrecht"} <= {b["text"] for b in first}
    _zoom_with_wheel(browser, element, 6)
    zoomed = _check_names(browser)
    assert len(zoomed) > len(first)
