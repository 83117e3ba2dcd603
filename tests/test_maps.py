"""The map of the pools as a person reads it: pools told apart by hue, 'not taking part' apart from
'in house', one view per distinct set of pools; and the end states' labels clear of each other.
(tests/test_maps_browser.py opens the map in Chromium and measures the names as drawn.)"""

from __future__ import annotations

import json
from itertools import combinations
from typing import Any

import pandas as pd

from inputs import datasets, load_scenario
from optimizer import optimize
from visuals import charts, maps
from visuals.placement import Box, beside_points, shown_from, text_height, text_width


def _dataset(spec: dict[str, Any], column: str) -> list[dict[str, Any]]:
    """The chart's inline table that has `column` (the map's pools, its names or its legend)."""
    found = [rows for rows in spec["datasets"].values() if rows and column in rows[0]]
    assert len(found) == 1, f"{len(found)} tables with {column}"
    return found[0]


def _map(reference: str, overrides: list[str] | None = None, lang: str = "en") -> tuple[Any, dict[str, Any]]:
    scenario = load_scenario(reference, overrides or [])
    result = optimize(scenario)
    assert scenario.dataset is not None
    chart = charts.pool_map(
        result.municipalities(),
        result.pools(),
        datasets.boundaries(scenario.dataset),
        list(result.instance.domains),
        lang,
        charts.kept_out(result),
    )
    return result, chart.to_dict()


def test_not_taking_part_is_drawn_apart_from_in_house() -> None:
    # Oirschot takes part in nothing: the civil service of the other four goes on without it
    _result, spec = _map("kempen", ["politics.exclude.GM0823=all"])
    rows = _dataset(spec, "taking_part")
    oirschot = {(r["pool"], r["colour"], r["dash"]) for r in rows if r["code"] == "GM0823"}
    assert oirschot == {("not taking part", maps.NOT_TAKING_PART_COLOUR, 1)}
    others = {(r["pool"], r["colour"]) for r in rows if r["code"] != "GM0823"}
    assert len(others) == 1 and next(iter(others))[0] == "one civil service · Bladel"
    assert next(iter(others))[1] in maps.POOL_COLOURS
    legend = [r["text"] for r in _dataset(spec, "row")]
    assert legend == ["one civil service · Bladel", "not taking part"]
    # one view: every domain has the same pools, and the title says so
    assert "Pools, the same in all 5 domains" in json.dumps(spec)
    assert {r["view"] for r in rows} == {0}
    # in Dutch too
    _result, dutch = _map("kempen", ["politics.exclude.GM0823=all"], "nl")
    assert [r["text"] for r in _dataset(dutch, "row")] == ["één ambtelijke organisatie · Bladel", "doet niet mee"]
    assert "Pools, gelijk in alle 5 taakvelden" in json.dumps(dutch)


def test_in_house_is_grey_and_pools_of_a_view_differ_in_hue() -> None:
    # Drechtsteden: a centre municipality at Zwijndrecht, Dordrecht in house
    result, spec = _map("drechtsteden")
    rows = _dataset(spec, "taking_part")
    assert {r["colour"] for r in rows if r["pool"] == "in house"} == {maps.IN_HOUSE_COLOUR}
    for view in {r["view"] for r in rows}:
        pools = {r["pool"]: r["colour"] for r in rows if r["view"] == view and r["pooled"]}
        assert len(set(pools.values())) == len(pools), pools  # a hue per pool
        assert not set(pools.values()) & {maps.IN_HOUSE_COLOUR, maps.NOT_TAKING_PART_COLOUR}
    hosts = {r["code"] for r in rows if r["is_host"]}
    pools = result.pools()
    assert hosts == set(pools["host_code"])
    assert {r["outline"] for r in rows if r["is_host"]} == {3.0}


def test_a_view_per_distinct_set_of_pools_with_the_busiest_first() -> None:
    table = pd.DataFrame(
        [
            {"domain": d, "code": c, "pool": p, "pooled": p != "in house"}
            for d, pools in (
                ("hr", ["in house", "in house"]),
                ("taxes", ["a", "a"]),
                ("ict", ["in house", "in house"]),
            )
            for c, p in zip(("GM1", "GM2"), pools, strict=True)
        ]
    )
    assert maps.views(table, ["hr", "taxes", "ict"], "en") == [
        ("HR (P&O), ICT and e-government", ["hr", "ict"]),
        ("taxes", ["taxes"]),
    ]


def test_touching_pools_differ_in_hue_when_a_domain_has_more_pools_than_hues() -> None:
    # a row of twelve municipalities, each its own pool: neighbours differ, hues repeat further off
    count = len(maps.POOL_COLOURS) + 4
    table = pd.DataFrame(
        [{"domain": "taxes", "code": f"GM{n}", "pool": f"pool {n}", "pooled": True} for n in range(count)]
    )
    touching = {(f"GM{n}", f"GM{n + 1}") for n in range(count - 1)}
    colours = maps.pool_colours(table, touching)
    assert all(colours[f"pool {n}"] != colours[f"pool {n + 1}"] for n in range(count - 1))
    assert set(colours.values()) <= set(maps.POOL_COLOURS)


def test_a_name_shows_from_the_zoom_at_which_it_overlaps_no_earlier_name() -> None:
    size = text_height(11)
    # three names 60 px wide at 0, 60 and 30 px: the first always, the second at zoom 1 too (60 px
    # from the first), the third, between them, from zoom 2 (60 px from each then)
    boxes = [Box(0, 0, 60, size), Box(60, 0, 60, size), Box(30, 0, 60, size)]
    starts = shown_from(boxes, gap=0)
    assert starts == [1.0, 1.0, 2.0]
    for zoom in (1.0, 1.5, 2.0, 3.0, 8.0):
        shown = [
            Box(b.x * zoom, b.y * zoom, b.width, b.height) for b, s in zip(boxes, starts, strict=True) if s <= zoom
        ]
        assert not any(a.overlaps(b) for a, b in combinations(shown, 2)), zoom


def test_end_state_labels_stand_clear_of_each_other_and_of_the_points() -> None:
    # two end states a pixel apart (Kempen's one civil service and amalgamation are that close)
    points = [(10.0, 20.0), (12.0, 21.0), (200.0, 150.0), (205.0, 150.0)]
    texts = ["one civil service = free optimum", "amalgamation", "matrix", "shared service centre"]
    placed = beside_points(points, texts, 11, 6.5, (520, 320))
    assert all(p.fits for p in placed)
    boxes = []
    for (x, y), text, p in zip(points, texts, placed, strict=True):
        width = text_width(text, 11)
        centre = x + p.dx + {"left": width / 2, "right": -width / 2, "center": 0}[p.align]
        boxes.append(Box(centre, y + p.dy, width, text_height(11)))
    assert not any(a.overlaps(b) for a, b in combinations(boxes, 2))
    dots = [Box(x, y, 13, 13) for x, y in points]
    assert not any(box.overlaps(dot) for box in boxes for dot in dots)
    assert all(b.x - b.width / 2 >= 0 and b.x + b.width / 2 <= 520 for b in boxes)


def test_the_end_state_chart_draws_each_label_once_at_its_place() -> None:
    table = pd.DataFrame(
        {
            "option": ["status_quo", "one_civil_service", "amalgamation", "free"],
            "annual_cost_eur": [8.10e6, 7.90e6, 7.902e6, 7.90e6],
            "quality_index": [0.856, 0.982, 0.981, 0.982],
            "objective": [4.95e6, 4.45e6, 4.8e6, 4.45e6],
        }
    )
    spec = charts.end_states(table).to_dict()
    rows = _dataset(spec, "shown")
    assert sorted(r["shown"] for r in rows if r["shown"]) == [
        "amalgamation",
        "one civil service = free optimum",
        "status quo",
    ]
    text_layers = [layer for layer in spec["layer"] if layer["mark"]["type"] == "text"]
    # each label is in exactly one text layer: the layers' filters split the rows by place
    places = {(layer["mark"]["dx"], layer["mark"]["dy"], layer["mark"]["align"]) for layer in text_layers}
    assert len(places) == len(text_layers)
    assert {(r["dx"], r["dy"], r["align"]) for r in rows if r["shown"]} == places
    legend = spec["layer"][0]["encoding"]["color"]["legend"]
    assert legend["titleLimit"] == 0  # 'weighted objective (EUR-equivalent)' whole


def test_the_regret_chart_draws_bars_with_width_or_says_why_there_is_none() -> None:
    from types import SimpleNamespace

    from visuals.robust import missing_chart, regret_chart

    def study(*regrets: tuple[float, float]) -> Any:
        return SimpleNamespace(comparable=[SimpleNamespace(regret=w, cash_regret=c) for w, c in regrets])

    # the recommendation is the best in every draw: no chart, and the note says so
    best_everywhere = study((0.0, 0.0), (0.0, 0.0), (0.0, 0.0))
    assert regret_chart(best_everywhere) is None
    assert missing_chart(best_everywhere, "regret") == (
        "the recommended configuration is the best in all 3 draws that can be compared: its regret is zero in "
        "each, so there is nothing to draw."
    )
    # Kempen's 20 draws: 17 without regret, three with; every bar has a width and a base at zero
    chart = regret_chart(study(*[(0.0, 0.0)] * 17, (22_310.0, 109_940.0), (14_635.0, 83_114.0), (59_280.0, 166_950.0)))
    assert chart is not None
    spec = chart.to_dict()
    bars = next(iter(spec["datasets"].values()))
    assert all(bar["end"] > bar["start"] for bar in bars)
    assert sum(bar["draws"] for bar in bars) == 40  # 20 draws, two measures
    assert spec["encoding"]["y2"] == {"datum": 0}
    # one measure without a spread (every weighted regret equal) still gets a bar with a width
    level = regret_chart(study((5.0, 0.0), (5.0, 10.0)))
    assert level is not None
    weighted = [b for b in next(iter(level.to_dict()["datasets"].values())) if b["measure"] == "weighted objective"]
    assert len(weighted) == 1 and weighted[0]["draws"] == 2 and weighted[0]["start"] < 5 <= weighted[0]["end"]
