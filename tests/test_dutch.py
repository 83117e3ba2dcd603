"""Dutch everywhere (issue 23): the same commands run in English and in Dutch, and no word of the Dutch
output may also be a word of the English output, but for names and a short list of words that Dutch
shares with English (units, codes, 'matrix', 'shared service centre', 'pool')."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
import test_serve
from clirun import invoke

from inputs import defaults, schema
from inputs.schema import Figure
from inputs.sources_nl import SOURCES_NL

#: words and phrases the two languages share: Dutch practice uses them as they are
SHARED = (
    "shared service centre",
    "matrix",
    "pool",
    "pools",
    "solver",
    "status",
    "threads",
    "highs",
    "seta",
    "scenario",
    "fte",
    "eur",
    "eur-equivalent",
    "s",
    "km",
    "wmo",
    "wgr",
    "ict",
    "p&o",
    "lhs",
    "sobol",
    "shapley",
    "spearman",
    # Dutch words spelt as English ones
    "over",
    "best",
    "optimum",
    "overhead",
    "plus",
    "rest",
    "door",
    "plan",
    "contract",
    "code",
    "codes",
    "per",
    "matrices",
    "recall",
    "yaml",
    "taken",
    "effect",
    "later",
    # the seed article's own borrowings
    "quick wins",
    "winning mood",
)
#: names in the sources and the article's title, which both languages cite as they are
CITED = (
    "Samen sterk is beter dan zwak en alleen",
    "Bron: CBS / Kadaster (CBS Gebiedsindelingen; Gebieden in Nederland 2024), CC BY 4.0",
    "Werkgroep discontovoet",
    "Rapport werkgroep discontovoet",
    "Ministerie van Financien",
    "CAO Gemeenten",
    "A&O-fonds Personeelsmonitor",
    "Personeelsmonitor",
    "De Kompanjie",
    "RTV Noord",
    "UW Samenwerking",
    "Binnenlands Bestuur",
    "Korsten & van de Laar",
    "Allers & de Greef",
    "Allers, Geertsema & van Ommeren",
    "Allers & Geertsema",
    "Niaounakis & Blank",
    "Bogetoft & Wittrup",
    "Berenschot",
    "IPSE",
    "COELO",
    "BUCH",
    "MKBA",
    "DVO",
    "Duivenvoorde",
    "Servicepunt71",
    "GBTwente",
    "BsGW",
    "Veendam",
    "Pekela",
    "IJsselstein",
    "Montfoort",
    "Utrecht",
    "Calibration",
    "Helden",
    "Beemster",
    "Schagen",
    "Drechtsteden",
    "Bron: CBS / Kadaster (CBS Gebiedsindelingen), CC BY 4.0",
)
#: the workshop page's fixtures: `seta serve kempen` and headless Chromium
server = test_serve.server
browser = test_serve.browser

#: a word, or a code (a hash, a number with its unit) which `_words` drops
TOKEN = re.compile(r"\||[\w&'’.=/-]+")


def _words(line: str, names: Iterable[str]) -> list[list[str]]:
    """The runs of words of a line, lower case, with names and shared words taken out (each one
    ends a run: a word sequence does not reach across a name)."""
    lowered = line.lower()
    # a name may be broken over two lines of a table: its words are names too
    named = {part for n in names for part in (n.lower(), *n.lower().split())} | {c.lower() for c in CITED}
    lowered = re.sub(r"`[^`]*`|\bseta [a-z]+", " | ", lowered)  # a command or a key as typed
    for phrase in sorted({*named, *SHARED}, key=len, reverse=True):
        lowered = re.sub(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", " | ", lowered)
    runs: list[list[str]] = [[]]
    for token in TOKEN.findall(lowered):
        token = token.rstrip(".")
        if token == "|" or token.startswith("--") or any(c.isdigit() or c in "./=_" for c in token):
            # a code, a key, an option, a file or a number
            runs.append([])
        elif token.strip("-'’&"):
            runs[-1].append(token.strip("-'’&"))
    return [run for run in runs if run]


def english_left(dutch: str, english: str, names: Iterable[str] = ()) -> list[tuple[str, list[str]]]:
    """Each line of `dutch` that holds a word, or a sequence of two words, of `english`; with the words."""
    names = list(names)
    english_words: set[str] = set()
    english_pairs: set[tuple[str, str]] = set()
    for line in english.splitlines():
        for run in _words(line, names):
            english_words.update(w for w in run if len(w) > 3)
            # two short words ('is in') are Dutch as often as English; a pair with a longer one is not
            english_pairs.update((a, b) for a, b in itertools.pairwise(run) if max(len(a), len(b)) > 3)
    found = []
    for line in dutch.splitlines():
        left = []
        for run in _words(line, names):
            left += [w for w in run if w in english_words]
            left += [f"{a} {b}" for a, b in itertools.pairwise(run) if (a, b) in english_pairs]
        if left:
            found.append((line, left))
    return found


#: the municipalities of the regions the tests run, and the regions' names
NAMES = (
    "Beek e.o.",
    "Beek",
    "Valkenburg aan de Geul",
    "Meerssen",
    "Nuth",
    "Kempen",
    "Eersel",
    "Bladel",
    "Oirschot",
    "Reusel-De Mierden",
    "Bergeijk",
)


@pytest.fixture(autouse=True)
def _run_language_restored(monkeypatch: pytest.MonkeyPatch) -> None:
    """--lang sets the language of progress lines for the process (inputs.labels.set_language): the
    tests after these run in the language they started in."""
    monkeypatch.setenv("SETA_LANG", "en")


def _both(*arguments: str) -> tuple[str, str]:
    """A command's output (stdout and stderr) in English and in Dutch; both must end as a solve does."""
    outputs = []
    for lang in ("en", "nl"):
        done = invoke(*arguments, "--lang", lang)
        assert done.exit_code == 0, done.output
        outputs.append(done.output)
    return outputs[0], outputs[1]


def _assert_dutch(english: str, dutch: str) -> None:
    left = english_left(dutch, english, NAMES)
    assert not left, "English in the Dutch output:\n" + "\n".join(f"{words}: {line.strip()}" for line, words in left)


def test_the_comparison_finds_english_left_in_dutch() -> None:
    english = "Annual cost falls by EUR 12 k in house at Bladel."
    assert english_left("De jaarlijkse kosten dalen met € 12.000 in eigen huis.", english, NAMES) == []
    found = english_left("De kosten dalen; in house bij Bladel.\nAnnual cost: € 12.000", english, NAMES)
    assert [words for _line, words in found] == [["house", "in house"], ["annual", "cost", "annual cost"]]


def test_every_default_figure_cites_its_source_in_dutch() -> None:
    cited: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, Figure):
            cited.append(value.source)
        elif isinstance(value, dict):
            for item in value.values():
                walk(item)

    for table in (defaults.DOMAINS, defaults.STRUCTURES, defaults.ECONOMICS, defaults.WEIGHTS, defaults.LIMITS):
        walk(table)
    for specs in (schema.DOMAIN, schema.STRUCTURE, schema.ECONOMICS, schema.WEIGHTS, schema.LIMITS, schema.SOLVER):
        walk({key: spec.default for key, spec in specs.items()})
    assert len(cited) > 100
    assert sorted({text for text in cited if text not in SOURCES_NL}) == []


@pytest.mark.parametrize(
    "arguments",
    [
        ("solve", "kempen", "--no-explain"),
        ("compare", "kempen", "--set", "weights.quality=0.5"),
        ("endstates", "beek"),
        ("alternatives", "beek"),
        ("allocate", "beek"),
        ("robust", "beek", "--draws", "8"),
        ("validate", "beek"),
    ],
    ids=lambda arguments: arguments[0],
)
def test_the_terminal_speaks_dutch(arguments: tuple[str, ...]) -> None:
    english, dutch = _both(*arguments)
    _assert_dutch(english, dutch)


def test_the_explanation_speaks_dutch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "400")  # wide enough that no name is broken over two lines of a table
    english, dutch = _both("solve", "kempen", "--explain")
    assert "Waarom deze gastheergemeente en deze vorm" in dutch
    _assert_dutch(english, dutch)


class _Visible(HTMLParser):
    """The text a reader sees in a page: no scripts or styles."""

    def __init__(self) -> None:
        super().__init__()
        self.hidden = 0
        self.lines: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.hidden += tag in ("script", "style")

    def handle_endtag(self, tag: str) -> None:
        self.hidden -= tag in ("script", "style")

    def handle_data(self, data: str) -> None:
        if not self.hidden and data.strip():
            self.lines.append(data.strip())


def test_the_report_speaks_dutch(tmp_path: Path) -> None:
    pages = []
    for lang in ("en", "nl"):
        path = tmp_path / f"report-{lang}.html"
        done = invoke("report", "kempen", "--no-explain", "--no-endstates", "--lang", lang, "--out", path)
        assert done.exit_code == 0, done.output
        visible = _Visible()
        visible.feed(path.read_text(encoding="utf-8"))
        pages.append("\n".join(visible.lines))
    assert "AANNAME gekalibreerd op" in pages[1] and "€" in pages[1]
    _assert_dutch(*pages)


def test_the_workbook_speaks_dutch(tmp_path: Path) -> None:
    import openpyxl

    books = []
    for lang in ("en", "nl"):
        done = invoke("solve", "kempen", "--lang", lang, "--out", tmp_path / lang)
        assert done.exit_code == 0, done.output
        book = openpyxl.load_workbook(tmp_path / lang / "seta.xlsx")
        cells = [sheet.title for sheet in book.worksheets]
        cells += [
            v
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for v in row
            if isinstance(v, str)
        ]
        books.append("\n".join(cells))
    _assert_dutch(*books)


def _page_text(browser: Any, address: str) -> str:
    """The text the workshop page shows once its answer and its explanation are in (the charts' SVG
    text included), and the labels and hover titles of the page's own elements (the charts' ARIA
    descriptions are Vega's words around the titles that test_the_charts_speak_dutch reads)."""
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(address)
    WebDriverWait(browser, 300, poll_frequency=0.2).until(
        lambda d: (
            d.find_element("tag name", "body").get_attribute("data-explained") == "yes"
            and d.find_elements("css selector", "#map svg")
            and d.find_elements("css selector", "#effects svg")
        )
    )
    shown = browser.find_element("tag name", "body").text
    labels = browser.execute_script(
        "return [...document.querySelectorAll('[aria-label], [title]')].filter(e => !e.closest('svg'))"
        ".map(e => e.getAttribute('aria-label') || e.getAttribute('title')).join('\\n')"
    )
    return f"{shown}\n{labels}"


def test_the_workshop_page_speaks_dutch(server: str, browser: Any) -> None:
    english, dutch = (_page_text(browser, f"{server}?lang={lang}") for lang in ("en", "nl"))
    assert "Waarom dit antwoord" in dutch and "Wat het advies zou doen omslaan" in dutch
    # the link to the other language names it in its own words
    left = english_left(dutch, english, (*NAMES, "English", "Nederlands"))
    assert not left, "English in the Dutch page:\n" + "\n".join(f"{words}: {line.strip()}" for line, words in left)


#: a chart's embedding in a page seta writes: `vegaEmbed('#id', SPEC, OPTIONS)`
EMBEDDED = re.compile(r"vegaEmbed\('#[\w-]+', (\{.*?\}), OPTIONS\)")
#: encoding channels whose field names itself as the axis or legend title when no title is given
TITLED_CHANNELS = ("x", "y", "x2", "y2", "color", "fill", "stroke", "size", "shape", "opacity", "theta", "radius")


def chart_words(spec: Any) -> list[str]:
    """The words a chart shows of its own (not its data): titles, subtitles and descriptions, axis,
    legend and tooltip titles (a field without a title shows its name), and the names of its
    controls."""
    found: list[str] = []

    def text(value: Any) -> None:
        if isinstance(value, str):
            found.append(value)
        elif isinstance(value, list):
            found.extend(str(line) for line in value)
        elif isinstance(value, dict):
            text(value.get("text"))
            text(value.get("subtitle"))

    def untitled(entry: Any, shows_name: bool) -> None:
        """A field without a title: Vega-Lite shows its name, unless its axis or legend is off."""
        if isinstance(entry, dict) and "title" not in entry and "field" in entry and shows_name:
            found.append(str(entry["field"]).replace("_", " "))  # 'annual_cost_eur' reads as words

    def walk(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
            return
        if not isinstance(node, dict):
            return
        for key, value in node.items():
            if key in ("title", "description"):
                text(value)
            elif key == "bind" and isinstance(value, dict):
                text(value.get("name"))
            elif key == "encoding" and isinstance(value, dict):
                for channel, entry in value.items():
                    if channel == "tooltip":
                        for item in entry if isinstance(entry, list) else [entry]:
                            untitled(item, True)
                    elif channel in TITLED_CHANNELS:
                        # no axis, no legend, or no scale (colours given as data): no title shown
                        shown = isinstance(entry, dict) and all(
                            entry.get(part, {}) is not None for part in ("axis", "legend", "scale")
                        )
                        untitled(entry, shown)
            if key not in ("data", "datasets", "values"):
                walk(value)

    walk(spec)
    return found


def _charts_of(page: Path) -> str:
    import json

    specs = [json.loads(found) for found in EMBEDDED.findall(page.read_text(encoding="utf-8"))]
    assert specs, f"no chart in {page.name}"
    return "\n".join(word for spec in specs for word in chart_words(spec))


def test_the_chart_walk_finds_untitled_fields() -> None:
    spec = {
        "title": {"text": "Cost", "subtitle": ["by source"]},
        "encoding": {
            "x": {"field": "annual_eur", "type": "quantitative"},
            "color": {"field": "colour", "scale": None},
            "y": {"field": "name", "axis": None},
            "tooltip": [{"field": "part"}, {"field": "eur", "title": "Annual cost"}],
        },
        "params": [{"name": "zoom", "bind": {"input": "range", "name": "Zoom: "}}],
        "data": {"values": [{"title": "not a title"}]},
    }
    assert chart_words(spec) == ["Cost", "by source", "annual eur", "part", "Annual cost", "Zoom: "]


@pytest.mark.parametrize(
    ("arguments", "page"),
    [
        (("report", "kempen", "--no-explain"), "report.html"),
        (("endstates", "beek"), "end-states.html"),
        (("compare", "kempen", "--set", "weights.quality=0.5"), "options.html"),
        (("robust", "beek", "--draws", "8"), "robust.html"),
        (("allocate", "beek"), "shares.html"),
    ],
    ids=lambda value: value[0] if isinstance(value, tuple) else value,
)
def test_the_charts_speak_dutch(arguments: tuple[str, ...], page: str, tmp_path: Path) -> None:
    """The Vega-Lite specs the pages embed, in English and in Dutch: their titles, axes, legends,
    tooltips and controls."""
    words = []
    for lang in ("en", "nl"):
        where = tmp_path / lang
        where.mkdir()
        out = (where / page) if arguments[0] == "report" else where
        done = invoke(*arguments, "--lang", lang, "--out", out)
        assert done.exit_code == 0, done.output
        words.append(_charts_of(where / page))
    assert words[1].strip()
    _assert_dutch(*words)


BAD_SCENARIO = """name: Bad
municipalities:
  dataset: nl-2024
  members: [Eersel, Bladl, Oirschot]
domains: [hr, taxez]
weights:
  cost: abc
  quality: -1
limits:
  max_travel_km: lots
economics:
  discount_rate: 2
unknown_key: 1
"""


def _messages(output: str) -> tuple[str, list[str]]:
    """A problems list without its places, and the keys it names (which stay as the user wrote them)."""
    places, messages = [], []
    for line in output.splitlines():
        place, _colon, message = line.removeprefix("  - ").partition(": ")
        if line.startswith("  - "):
            places.append(place)
            messages.append(message)
        else:
            messages.append(line)
    keys = re.findall(r"[a-z_]+", " ".join(places))
    keys += [key for found in re.findall(r": ([a-z_, ]+)$", output, re.MULTILINE) for key in found.split(", ")]
    return "\n".join(messages), keys


@pytest.mark.parametrize(
    "arguments",
    [
        ("validate", "{bad}"),
        ("solve", "kempen", "--set", "weights.cost=x", "--set", "foo.bar=1", "--set", "limits.max_travel_km=-3"),
    ],
    ids=["validate", "--set"],
)
def test_input_problems_speak_dutch(arguments: tuple[str, ...], tmp_path: Path) -> None:
    """Every problem keeps its place (file and key as written) and says in Dutch what is wrong and
    what is expected."""
    bad = tmp_path / "bad.yaml"
    bad.write_text(BAD_SCENARIO, encoding="utf-8")
    outputs = []
    for lang in ("en", "nl"):
        done = invoke(*(a.format(bad=bad) for a in arguments), "--lang", lang)
        assert done.exit_code == 2, done.output
        outputs.append(done.output)
    english, dutch = outputs
    places = [line.partition(": ")[0] for line in english.splitlines() if line.startswith("  - ")]
    assert places == [line.partition(": ")[0] for line in dutch.splitlines() if line.startswith("  - ")]
    assert len(places) >= 3 and "problemen in de invoer" in dutch
    (english_text, keys), (dutch_text, _keys) = _messages(english), _messages(dutch)
    left = english_left(
        dutch_text,
        english_text,
        (*NAMES, *keys, "dataset", "nl-2024", "Bladl", "Bladel", "taxez", "taxes", "lots", "abc"),
    )
    assert not left, "English in the Dutch problems:\n" + "\n".join(f"{w}: {line}" for line, w in left)
