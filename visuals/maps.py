"""The map of the pools: one large map, the domain chosen in the page, municipalities named.

The boundaries are projected here (Mercator, fitted to the chart) and drawn by Vega-Lite with the
identity projection, so the place of every name is known before the chart is drawn: the names are
laid out here, larger municipalities first, each shown from the zoom at which it no longer overlaps
a name shown before it (`visuals.placement.shown_from`). At the first zoom, only names that fit are
shown; every municipality names itself on hover. Zoom with the wheel or the slider, pan by dragging
(the report's page wires the wheel and the drag; the slider works wherever the chart is embedded).
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from itertools import pairwise
from typing import TYPE_CHECKING, Any

import networkx as nx
import numpy as np
import pandas as pd

from inputs.labels import name
from visuals.placement import Box, shown_from, text_height, text_width

if TYPE_CHECKING:
    import altair as alt
else:
    from visuals.lazy import altair as alt

#: the map's size in pixels (its height follows the region's shape within these bounds)
WIDTH = 720
HEIGHT_RANGE = (360, 760)
MARGIN = 12
#: a municipality's name, and a host's (bold)
NAME_SIZE = 11
#: pools are told apart by hue; light enough that a black name reads on each
POOL_COLOURS = (
    "#80b1d3",  # blue
    "#fdb462",  # orange
    "#b3de69",  # green
    "#fb8072",  # red
    "#bc80bd",  # purple
    "#8dd3c7",  # teal
    "#ffed6f",  # yellow
    "#fccde5",  # pink
)
IN_HOUSE_COLOUR = "#d9d9d9"
NOT_TAKING_PART_COLOUR = "#ffffff"
OUTLINE = "#555555"
#: the most pools a legend lists; a domain with more names the rest on hover
LEGEND_ROWS = 24
ZOOM_RANGE = (1, 12)

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Pools by domain",
        "title_one": "Pools, the same in all {n} domains",
        "subtitle": "Hosts outlined in black and named in bold. Hover a municipality for its pool",
        "pan": "; zoom with the wheel or the slider, drag to pan",
        "domain": "Domain: ",
        "zoom": "Zoom: ",
        "all": "all domains",
        "not_taking_part": "not taking part",
        "municipality": "municipality",
        "pool": "pool",
        "host": "host",
        "more": "and {n} more pools (hover the map)",
        "repeat": "(hues repeat for pools that do not touch)",
    },
    "nl": {
        "title": "Pools per taakveld",
        "title_one": "Pools, gelijk in alle {n} taakvelden",
        "subtitle": "Gastheergemeenten zwart omlijnd en vet genoemd. Wijs een gemeente aan voor haar pool",
        "pan": "; vergroot met het muiswiel of de schuif, sleep om te verschuiven",
        "domain": "Taakveld: ",
        "zoom": "Vergroting: ",
        "all": "alle taakvelden",
        "not_taking_part": "doet niet mee",
        "municipality": "gemeente",
        "pool": "pool",
        "host": "gastheergemeente",
        "more": "en nog {n} pools (wijs de kaart aan)",
        "repeat": "(kleuren keren terug bij pools die elkaar niet raken)",
    },
}


def words(key: str, lang: str) -> str:
    return WORDS[lang][key]


# -- geometry ------------------------------------------------------------------------------------


def _rings(geometry: dict[str, Any]) -> list[list[list[list[float]]]]:
    """A geometry's polygons, each a list of rings (outer first)."""
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return list(geometry["coordinates"])


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    return math.radians(lon), math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


class Projection:
    """Mercator fitted to the features inside WIDTH x height pixels, y downward."""

    def __init__(self, features: Sequence[dict[str, Any]]) -> None:
        points = [
            _mercator(lon, lat)
            for feature in features
            for polygon in _rings(feature["geometry"])
            for lon, lat in polygon[0]
        ]
        xs, ys = [p[0] for p in points], [p[1] for p in points]
        self.x0, self.y1 = min(xs), max(ys)
        span_x, span_y = max(max(xs) - self.x0, 1e-9), max(self.y1 - min(ys), 1e-9)
        low, high = HEIGHT_RANGE
        self.height = round(min(high, max(low, (WIDTH - 2 * MARGIN) * span_y / span_x + 2 * MARGIN)))
        self.scale = min((WIDTH - 2 * MARGIN) / span_x, (self.height - 2 * MARGIN) / span_y)
        self.dx = (WIDTH - span_x * self.scale) / 2
        self.dy = (self.height - span_y * self.scale) / 2

    def __call__(self, lon: float, lat: float) -> tuple[float, float]:
        x, y = _mercator(lon, lat)
        return round(self.dx + (x - self.x0) * self.scale, 1), round(self.dy + (self.y1 - y) * self.scale, 1)

    def feature(self, feature: dict[str, Any]) -> dict[str, Any]:
        polygons = [
            [[list(self(lon, lat)) for lon, lat in ring] for ring in polygon] for polygon in _rings(feature["geometry"])
        ]
        return {
            "type": "Feature",
            "properties": feature["properties"],
            "geometry": {"type": "MultiPolygon", "coordinates": polygons},
        }


def _area(ring: Sequence[Sequence[float]]) -> float:
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in pairwise(ring)) / 2


def _centroid(ring: Sequence[Sequence[float]]) -> tuple[float, float]:
    area = _area(ring)
    if abs(area) < 1e-9:
        return sum(p[0] for p in ring) / len(ring), sum(p[1] for p in ring) / len(ring)
    cx = sum((a[0] + b[0]) * (a[0] * b[1] - b[0] * a[1]) for a, b in pairwise(ring))
    cy = sum((a[1] + b[1]) * (a[0] * b[1] - b[0] * a[1]) for a, b in pairwise(ring))
    return cx / (6 * area), cy / (6 * area)


def _inside(xs: np.ndarray, ys: np.ndarray, rings: Sequence[Sequence[Sequence[float]]]) -> np.ndarray:
    """Which points lie inside the polygon (even-odd over its rings)."""
    inside = np.zeros(len(xs), dtype=bool)
    for ring in rings:
        ring_array = np.asarray(ring, dtype=float)
        a, b = ring_array[:-1], ring_array[1:]
        for (ax, ay), (bx, by) in zip(a, b, strict=True):
            if ay == by:
                continue
            crosses = (ay > ys) != (by > ys)
            at = ax + (ys - ay) * (bx - ax) / (by - ay)
            inside ^= crosses & (xs < at)
    return inside


def _clearance(xs: np.ndarray, ys: np.ndarray, rings: Sequence[Sequence[Sequence[float]]]) -> np.ndarray:
    """Each point's distance to the polygon's nearest edge."""
    edges = np.concatenate([np.hstack([np.asarray(r[:-1], float), np.asarray(r[1:], float)]) for r in rings])
    ax, ay, bx, by = (edges[:, i][None, :] for i in range(4))
    px, py = xs[:, None], ys[:, None]
    ex, ey = bx - ax, by - ay
    length = np.maximum(ex * ex + ey * ey, 1e-12)
    t = np.clip(((px - ax) * ex + (py - ay) * ey) / length, 0, 1)
    distance: np.ndarray = np.hypot(px - ax - t * ex, py - ay - t * ey).min(axis=1)
    return distance


def inside_point(polygons: Sequence[Sequence[Sequence[Sequence[float]]]]) -> tuple[float, float]:
    """Where a municipality's name reads best: the point of its largest polygon farthest from the
    boundary (searched on a grid, then finer around the best), so a bent or hollow shape has its name
    inside it, not on a border; the centroid when the shape is too small for the grid."""
    largest = max(polygons, key=lambda polygon: abs(_area(polygon[0])))
    ring = np.asarray(largest[0], dtype=float)
    left, top = ring.min(axis=0)
    right, bottom = ring.max(axis=0)
    best, step = None, max(right - left, bottom - top) / 24
    if step <= 0:
        return _centroid(largest[0])
    centre_x, centre_y = (left + right) / 2, (top + bottom) / 2
    reach = max(right - left, bottom - top) / 2
    for _round in range(3):
        grid = np.arange(-reach, reach + step / 2, step)
        xs, ys = (a.ravel() for a in np.meshgrid(centre_x + grid, centre_y + grid))
        inside = _inside(xs, ys, largest)
        if not inside.any():
            break
        xs, ys = xs[inside], ys[inside]
        clearance = _clearance(xs, ys, largest)
        index = int(clearance.argmax())
        best = (float(xs[index]), float(ys[index]))
        centre_x, centre_y, reach, step = best[0], best[1], step * 2, step / 6
    if best is None:
        return _centroid(largest[0])
    return round(best[0], 1), round(best[1], 1)


def neighbours(features: Iterable[dict[str, Any]]) -> set[tuple[str, str]]:
    """Pairs of municipalities that share a boundary point (the boundaries are simplified together,
    so neighbours share their vertices)."""
    at: dict[tuple[float, float], set[str]] = {}
    for feature in features:
        code = feature["properties"]["code"]
        for polygon in _rings(feature["geometry"]):
            for ring in polygon:
                for lon, lat in ring:
                    at.setdefault((round(lon, 4), round(lat, 4)), set()).add(code)
    pairs = set()
    for codes in at.values():
        for a in codes:
            for b in codes:
                if a < b:
                    pairs.add((a, b))
    return pairs


# -- the pools in each domain --------------------------------------------------------------------


def pool_label(structure: str, host: str, lang: str) -> str:
    return f"{name(structure, lang)} · {host}"


def assignments(
    municipalities: pd.DataFrame,
    pools: pd.DataFrame,
    domains: list[str],
    lang: str,
    kept_out: Collection[tuple[str, str]] = (),
) -> pd.DataFrame:
    """Municipality x domain -> the pool it is in, 'in house', or 'not taking part' (kept out of the
    domain, as `kept_out` (code, domain) pairs say), from the result tables."""
    rows = []
    for domain in domains:
        member_of: dict[str, tuple[str, str, str]] = {}
        for record in pools[pools["domain"] == domain].to_dict("records"):
            for code in str(record["member_codes"]).split():
                member_of[code] = (str(record["structure"]), str(record["host"]), str(record["host_code"]))
        for record in municipalities.to_dict("records"):
            code = str(record["code"])
            structure, host, host_code = member_of.get(code, ("in_house", "", ""))
            if structure != "in_house":
                pool = pool_label(structure, host, lang)
            elif (code, domain) in kept_out:
                pool = words("not_taking_part", lang)
            else:
                pool = name("in_house", lang)
            rows.append(
                {
                    "domain": domain,
                    "code": code,
                    "name": record["name"],
                    "pool": pool,
                    "pooled": structure != "in_house",
                    "taking_part": (code, domain) not in kept_out,
                    "is_host": structure != "in_house" and host_code == code,
                    "host": host,
                    "lat": record["lat"],
                    "lon": record["lon"],
                }
            )
    return pd.DataFrame(
        rows,
        columns=["domain", "code", "name", "pool", "pooled", "taking_part", "is_host", "host", "lat", "lon"],
    )


def pool_colours(table: pd.DataFrame, touching: set[tuple[str, str]]) -> dict[str, str]:
    """A hue for each pool: pools of one domain differ when the domain has no more pools than hues,
    else pools that touch differ (a map needs four hues at most for that); a pool keeps its hue in
    every domain."""
    pooled = table[table["pooled"]]
    graph: nx.Graph[str] = nx.Graph()
    graph.add_nodes_from(pooled["pool"].unique())
    for _domain, rows in pooled.groupby("domain", sort=False):
        names = list(rows["pool"].unique())
        if len(names) <= len(POOL_COLOURS):
            graph.add_edges_from((a, b) for a in names for b in names if a < b)
            continue
        pool_of = dict(zip(rows["code"], rows["pool"], strict=True))
        graph.add_edges_from(
            (pool_of[a], pool_of[b]) for a, b in touching if a in pool_of and b in pool_of and pool_of[a] != pool_of[b]
        )
    order = {pool: n for n, pool in enumerate(pooled["pool"].unique())}
    colouring = nx.greedy_color(graph, strategy=lambda g, _colors: sorted(g, key=lambda p: (-g.degree(p), order[p])))
    return {pool: POOL_COLOURS[index % len(POOL_COLOURS)] for pool, index in colouring.items()}


def views(table: pd.DataFrame, domains: list[str], lang: str) -> list[tuple[str, list[str]]]:
    """The maps worth choosing between: domains whose pools are the same share one (a single view
    when every domain has the same pools, as under one civil service), named by their domains."""
    by_pattern: dict[tuple[str, ...], list[str]] = {}
    for domain in domains:
        rows = table[table["domain"] == domain]
        by_pattern.setdefault(tuple(rows["pool"]), []).append(domain)
    shown = []
    for members in by_pattern.values():
        every = len(members) == len(domains) > 1
        label = words("all", lang) if every else ", ".join(name(d, lang) for d in members)
        shown.append((label, members))
    return shown


# -- the chart -----------------------------------------------------------------------------------


def pool_map(
    municipalities: pd.DataFrame,
    pools: pd.DataFrame,
    geojson: dict[str, Any],
    domains: list[str],
    lang: str = "en",
    kept_out: Collection[tuple[str, str]] = (),
    credit: str = "",
    view: int | None = None,
) -> alt.TopLevelMixin:
    """One large map: municipalities coloured by pool (hue), 'in house' grey, 'not taking part' white
    with a dashed outline; hosts outlined in black and named in bold; every municipality named where
    the name fits, and on hover; a domain selector when domains differ; its own legend, whole.
    `view` is the domain group shown first (the PNG and the printed page show that one); by default
    the one where most municipalities pool."""
    codes = set(municipalities["code"])
    features = [f for f in geojson["features"] if f["properties"]["code"] in codes]
    table = assignments(municipalities, pools, domains, lang, kept_out)
    groups = views(table, domains, lang)
    view_of = {domain: index for index, (_label, members) in enumerate(groups) for domain in members}
    table = table[table["domain"].isin([members[0] for _label, members in groups])].copy()
    table["view"] = table["domain"].map(view_of)
    if view is None:
        pooled = table.groupby("view")["pooled"].sum()
        view = int(pooled.to_numpy().argmax()) if len(pooled) else 0  # views are numbered 0, 1, ...
    colours = pool_colours(table, neighbours(features))
    table["colour"] = [
        colours.get(pool, IN_HOUSE_COLOUR if taking else NOT_TAKING_PART_COLOUR)
        for pool, taking in zip(table["pool"], table["taking_part"], strict=True)
    ]
    table["outline"] = [3.0 if host else 0.8 for host in table["is_host"]]
    table["dash"] = [0 if taking else 1 for taking in table["taking_part"]]
    if not features:
        return alt.Chart(pd.DataFrame({"text": [""]})).mark_text().encode(text="text:N")
    projection = Projection(features)
    projected = [projection.feature(f) for f in features]
    labels = _labels(municipalities, features, projection, table)

    if len(groups) > 1:
        choose = alt.binding_select(
            options=list(range(len(groups))), labels=[label for label, _members in groups], name=words("domain", lang)
        )
        selector = alt.param(name="view", value=view, bind=choose)
    else:
        selector = alt.param(name="view", value=view)
    zoom = alt.param(
        name="zoom",
        value=1,
        bind=alt.binding_range(min=ZOOM_RANGE[0], max=ZOOM_RANGE[1], step=0.25, name=words("zoom", lang)),
    )
    pan_x, pan_y = alt.param(name="pan_x", value=0), alt.param(name="pan_y", value=0)
    height = projection.height
    identity = alt.Projection(
        type="identity",
        scale=alt.ExprRef(expr="zoom"),
        translate=alt.ExprRef(expr=f"[{WIDTH / 2} * (1 - zoom) + pan_x, {height / 2} * (1 - zoom) + pan_y]"),
    )
    tooltip = [
        alt.Tooltip("name:N", title=words("municipality", lang)),
        alt.Tooltip("pool:N", title=words("pool", lang)),
    ]
    shapes = (
        alt.Chart(table)
        .transform_filter("datum.view == view")
        .transform_lookup(
            lookup="code", from_=alt.LookupData(alt.NamedData("boundaries"), "properties.code"), as_="geo"
        )
        .mark_geoshape(stroke="#222", clip=True)
        .encode(
            shape="geo:G",
            color=alt.Color("colour:N", scale=None),
            strokeWidth=alt.StrokeWidth("outline:Q", scale=None),
            strokeDash=alt.condition("datum.dash == 1", alt.value([4, 3]), alt.value([1, 0])),
            tooltip=tooltip,
        )
    )
    host_views = table[table["is_host"]].groupby("code")["view"].agg(lambda views: "|".join(map(str, views)))
    labels["hosts_in"] = ["|" + host_views.get(code, "") + "|" for code in labels["code"]]
    is_host_here = "indexof(datum.hosts_in, '|' + view + '|') >= 0"
    name_tip = [alt.Tooltip("name:N", title=words("municipality", lang))]
    # a host's name is bold in the views where it hosts, plain elsewhere: each name is drawn once
    plain = (
        alt.Chart(labels)
        .transform_filter(f"datum.from_zoom <= zoom && !({is_host_here})")
        .mark_text(fontSize=NAME_SIZE, clip=True, color="#111")
        .encode(longitude="x:Q", latitude="y:Q", text="name:N", tooltip=name_tip)
        .properties(name="municipality_names")
    )
    bold = (
        alt.Chart(labels)
        .transform_filter(f"datum.from_zoom <= zoom && {is_host_here}")
        .mark_text(fontSize=NAME_SIZE, fontWeight="bold", clip=True, color="#000")
        .encode(longitude="x:Q", latitude="y:Q", text="name:N", tooltip=name_tip)
        .properties(name="host_names")
    )
    the_map = (
        alt.layer(shapes, plain, bold)
        .add_params(selector, zoom, pan_x, pan_y)
        .properties(width=WIDTH, height=height, projection=identity, view=alt.ViewBackground(stroke=None))
    )
    legend = _legend(table, groups, lang)
    subtitle = words("subtitle", lang) + words("pan", lang) + "."
    title = words("title", lang) if len(groups) > 1 else words("title_one", lang).format(n=len(domains))
    return alt.hconcat(the_map, legend, datasets={"boundaries": projected}, spacing=24).properties(
        title=alt.TitleParams(title, subtitle=[subtitle, credit] if credit else subtitle, anchor="start")
    )


def _labels(
    municipalities: pd.DataFrame, features: list[dict[str, Any]], projection: Projection, table: pd.DataFrame
) -> pd.DataFrame:
    """Each municipality's name at a point inside it, larger municipalities first, with the zoom from
    which it shows."""
    population = dict(zip(municipalities["code"], municipalities["population"], strict=True))
    rows = []
    for feature in features:
        code = feature["properties"]["code"]
        shape = projection.feature(feature)["geometry"]["coordinates"]
        x, y = inside_point(shape)
        rows.append({"code": code, "x": x, "y": y, "population": population.get(code, 0)})
    names = dict(zip(municipalities["code"], municipalities["name"], strict=True))
    rows.sort(key=lambda row: (-row["population"], row["code"]))
    boxes = [
        Box(row["x"], row["y"], text_width(names[row["code"]], NAME_SIZE, bold=True), text_height(NAME_SIZE))
        for row in rows
    ]
    for row, start in zip(rows, shown_from(boxes), strict=True):
        row["name"] = names[row["code"]]
        row["from_zoom"] = round(start, 3) if math.isfinite(start) else ZOOM_RANGE[1] + 1
    return pd.DataFrame(rows, columns=["code", "name", "x", "y", "population", "from_zoom"])


def _legend(table: pd.DataFrame, groups: list[tuple[str, list[str]]], lang: str) -> alt.LayerChart:
    """The chosen view's pools, each with its hue, then 'in house' and 'not taking part' where they
    occur; whole names (a legend of Vega-Lite cuts them)."""
    rows = []
    for view in range(len(groups)):
        shown = table[table["view"] == view]
        pooled = shown[shown["pooled"]]
        sizes = pooled.groupby("pool", sort=False).size().sort_values(ascending=False, kind="stable")
        entries = [(pool, str(pooled[pooled["pool"] == pool]["colour"].iloc[0])) for pool in sizes.index]
        more = len(entries) - LEGEND_ROWS
        if more > 0:
            entries = entries[:LEGEND_ROWS]
        if (~shown["pooled"] & shown["taking_part"]).any():
            entries.append((name("in_house", lang), IN_HOUSE_COLOUR))
        if (~shown["taking_part"]).any():
            entries.append((words("not_taking_part", lang), NOT_TAKING_PART_COLOUR))
        for row, (text, colour) in enumerate(entries):
            rows.append({"view": view, "row": row, "text": text, "colour": colour})
        notes = [words("more", lang).format(n=more)] if more > 0 else []
        if len(sizes) > len(POOL_COLOURS):
            notes.append(words("repeat", lang))
        for offset, note in enumerate(notes):
            rows.append({"view": view, "row": len(entries) + offset, "text": note, "colour": ""})
    frame = pd.DataFrame(rows, columns=["view", "row", "text", "colour"])
    base = alt.Chart(frame).transform_filter("datum.view == view")
    y = alt.Y("row:O", axis=None)
    squares = (
        base.transform_filter("datum.colour != ''")
        .mark_square(size=160, stroke=OUTLINE, strokeWidth=0.8, opacity=1)
        .encode(y=y, x=alt.value(8), color=alt.Color("colour:N", scale=None))
    )
    texts = base.mark_text(align="left", fontSize=12, dx=0).encode(y=y, x=alt.value(22), text="text:N")
    width = max((text_width(str(text), 12) for text in frame["text"]), default=0) + 30
    return alt.layer(squares, texts).properties(  # type: ignore[return-value]
        width=width,
        height=alt.Step(20),
        title=alt.TitleParams(words("pool", lang), anchor="start"),
        view=alt.ViewBackground(stroke=None),
    )
