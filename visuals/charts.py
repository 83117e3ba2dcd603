"""Altair charts drawn from result tables only (pools, municipalities, comparisons), never the model.

Every function takes tidy pandas tables as `optimizer.result` writes them and returns an Altair chart.
Labels are English by default; `lang="nl"` gives Dutch labels (numbers take the Dutch format when the
chart is rendered with `render_options`).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING, Any

import networkx as nx
import pandas as pd

from inputs.labels import name
from optimizer.result import RUNNING_PARTS, Result
from visuals import maps
from visuals.placement import beside_points

if TYPE_CHECKING:
    import altair as alt
else:
    from visuals.lazy import altair as alt

CREDIT = "Bron: CBS / Kadaster (CBS Gebiedsindelingen), CC BY 4.0"

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "pool": "pool",
        "host": "host",
        "municipality": "municipality",
        "domain": "domain",
        "structure": "structure",
        "members": "members",
        "map_title": "Pools by domain (hosts marked)",
        "network_title": "Cooperation network: municipalities and the pools they join",
        "cost_title": "Change in annual cost per municipality, by source",
        "quality_title": "Quality index per municipality, before and after",
        "cost_change": "change in annual cost (EUR)",
        "quality": "quality index (0-100)",
        "before": "status quo",
        "after": "chosen",
        "part": "source",
        "option": "option",
        "annual_cost_eur": "annual cost (EUR)",
        "quality_index": "quality index (0-100)",
        "uncovered_days": "days without any staff",
        "manageability_eur": "matrix coordination (EUR/year)",
        "objective": "weighted objective (EUR-equivalent)",
        "compare_title": "Options on the same axes",
        "endstates_title": "End states: annual cost against quality",
        "kind": "kind",
        "population": "inhabitants",
        "eur": "EUR a year",
        "spread": "from status quo to chosen",
    },
    "nl": {
        "pool": "pool",
        "host": "gastheergemeente",
        "municipality": "gemeente",
        "domain": "taakveld",
        "structure": "vorm",
        "members": "deelnemers",
        "map_title": "Pools per taakveld (gastheergemeenten gemarkeerd)",
        "network_title": "Samenwerkingsnetwerk: gemeenten en hun pools",
        "cost_title": "Verandering in jaarlijkse kosten per gemeente, naar bron",
        "quality_title": "Kwaliteitsindex per gemeente, voor en na",
        "cost_change": "verandering jaarlijkse kosten (EUR)",
        "quality": "kwaliteitsindex (0-100)",
        "before": "huidige situatie",
        "after": "gekozen",
        "part": "bron",
        "option": "optie",
        "annual_cost_eur": "jaarlijkse kosten (EUR)",
        "quality_index": "kwaliteitsindex (0-100)",
        "uncovered_days": "dagen zonder bezetting",
        "manageability_eur": "matrixcoördinatie (EUR/jaar)",
        "objective": "gewogen doelfunctie (EUR-equivalent)",
        "compare_title": "Opties op dezelfde assen",
        "endstates_title": "Eindbeelden: jaarlijkse kosten tegen kwaliteit",
        "kind": "soort",
        "population": "inwoners",
        "eur": "EUR per jaar",
        "spread": "van huidige situatie naar gekozen",
    },
}


def label(key: str, lang: str = "en") -> str:
    """A chart's own words; domains, structures, end states and cost parts from `inputs.labels`."""
    return LABELS[lang].get(key) or name(key, lang)


def kept_out(result: Result) -> frozenset[tuple[str, str]]:
    """(code, domain) of every municipality that does not take part in a domain (politics keeps it out,
    or a partner without that domain): the map draws it apart from 'in house'."""
    instance = result.instance
    return frozenset(
        (code, domain) for code in instance.codes for domain in instance.domains if instance.excluded(code, domain)
    )


def pool_map(
    municipalities: pd.DataFrame,
    pools: pd.DataFrame,
    geojson: dict[str, Any],
    domains: list[str],
    lang: str = "en",
    kept_out: Collection[tuple[str, str]] = (),
    view: int | None = None,
) -> alt.TopLevelMixin:
    """One large map of the pools, municipalities named, a domain selector where domains differ;
    CBS/Kadaster credited (`visuals.maps.pool_map`)."""
    return maps.pool_map(municipalities, pools, geojson, domains, lang, kept_out, credit=CREDIT, view=view)


def cooperation_network(municipalities: pd.DataFrame, pools: pd.DataFrame, lang: str = "en") -> alt.TopLevelMixin:
    """Municipalities (circles, sized by population) linked to the pools they join (squares)."""
    graph = nx.Graph()
    names = dict(zip(municipalities["code"], municipalities["name"], strict=True))
    for code in municipalities["code"]:
        graph.add_node(code)
    pool_nodes: dict[str, dict[str, Any]] = {}
    for record in pools.to_dict("records"):
        key = f"{record['structure']}|{record['host_code']}|{record['member_codes']}"
        node = pool_nodes.setdefault(
            key, {"structure": str(record["structure"]), "host": str(record["host"]), "domains": []}
        )
        node["domains"].append(str(record["domain"]))
        for code in str(record["member_codes"]).split():
            graph.add_edge(code, key)
    positions = nx.spring_layout(graph, seed=7) if graph.number_of_nodes() else {}
    nodes = [
        {
            "id": code,
            "label": names[code],
            "kind": label("municipality", lang),
            "x": float(positions[code][0]),
            "y": float(positions[code][1]),
            "population": float(population),
        }
        for code, population in zip(municipalities["code"], municipalities["population"], strict=True)
    ]
    squares = [
        {
            "id": key,
            "label": f"{label(node['structure'], lang)}: {', '.join(name(d, lang) for d in node['domains'])}",
            "kind": label(node["structure"], lang),
            "x": float(positions[key][0]),
            "y": float(positions[key][1]),
        }
        for key, node in pool_nodes.items()
    ]
    edges = [
        {
            "x": float(positions[a][0]),
            "y": float(positions[a][1]),
            "x2": float(positions[b][0]),
            "y2": float(positions[b][1]),
        }
        for a, b in graph.edges
    ]
    axis = alt.Axis(labels=False, ticks=False, title=None, grid=False, domain=False)
    lines = (
        alt.Chart(pd.DataFrame(edges, columns=["x", "y", "x2", "y2"]))
        .mark_rule(color="#999")
        .encode(x=alt.X("x:Q", axis=axis), y=alt.Y("y:Q", axis=axis), x2="x2:Q", y2="y2:Q")
    )
    towns = (
        alt.Chart(pd.DataFrame(nodes))
        .mark_circle(color="#4c78a8", opacity=0.9)
        .encode(
            x="x:Q",
            y="y:Q",
            size=alt.Size("population:Q", legend=None),
            tooltip=[
                alt.Tooltip("label:N", title=label("municipality", lang)),
                alt.Tooltip("population:Q", title=label("population", lang), format=","),
            ],
        )
    )
    names_layer = alt.Chart(pd.DataFrame(nodes)).mark_text(dy=-12, fontSize=11).encode(x="x:Q", y="y:Q", text="label:N")
    pool_layer = (
        alt.Chart(pd.DataFrame(squares, columns=["id", "label", "kind", "x", "y"]))
        .mark_square(size=160)
        .encode(
            x="x:Q",
            y="y:Q",
            color=alt.Color("kind:N", title=label("structure", lang)),
            tooltip=[alt.Tooltip("label:N", title=label("pool", lang))],
        )
    )
    return alt.layer(lines, towns, names_layer, pool_layer).properties(
        title=label("network_title", lang), width=520, height=380
    )


def municipality_effects(municipalities: pd.DataFrame, lang: str = "en") -> alt.HConcatChart:
    """Where each municipality gains or pays (by source), and its quality before and after."""
    parts = list(RUNNING_PARTS)
    cost = municipalities.melt(
        id_vars=["name"], value_vars=[f"{p}_change_eur" for p in parts], var_name="part", value_name="eur"
    )
    cost["part"] = cost["part"].str.removesuffix("_change_eur").map(lambda p: label(p, lang))
    bars = (
        alt.Chart(cost)
        .mark_bar()
        .encode(
            y=alt.Y("name:N", title=None),
            x=alt.X("sum(eur):Q", title=label("cost_change", lang), axis=alt.Axis(format=",.0f")),
            color=alt.Color("part:N", title=label("part", lang)),
            tooltip=[
                alt.Tooltip("name:N", title=label("municipality", lang)),
                alt.Tooltip("part:N", title=label("part", lang)),
                alt.Tooltip("eur:Q", title=label("cost_change", lang), format=",.0f"),
            ],
        )
        .properties(title=label("cost_title", lang), width=360)
    )
    quality = municipalities[["name", "quality_before", "quality_after"]].rename(
        columns={"quality_before": label("before", lang), "quality_after": label("after", lang)}
    )
    long = quality.melt(id_vars=["name"], var_name="when", value_name="quality")
    span = (
        alt.Chart(quality)
        .mark_rule(color="#aaa")
        .encode(
            y=alt.Y("name:N", title=None),
            x=alt.X(f"{label('before', lang)}:Q", title=label("spread", lang)),
            x2=f"{label('after', lang)}:Q",
        )
    )
    dots = (
        alt.Chart(long)
        .mark_circle(size=90)
        .encode(
            y=alt.Y("name:N", title=None),
            x=alt.X("quality:Q", title=label("quality", lang), scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("when:N", title=None),
            tooltip=[
                alt.Tooltip("name:N", title=label("municipality", lang)),
                alt.Tooltip("when:N", title=label("kind", lang)),
                alt.Tooltip("quality:Q", title=label("quality", lang), format=".0f"),
            ],
        )
    )
    return alt.hconcat(
        bars, alt.layer(span, dots).properties(title=label("quality_title", lang), width=300)
    ).resolve_scale(color="independent")


def comparison(table: pd.DataFrame, lang: str = "en") -> alt.HConcatChart:
    """Several options on the same axes: cost, quality, vulnerability, manageability."""
    frame = table.copy()
    frame["option"] = frame["option"].map(lambda o: label(o, lang))
    order = list(frame["option"])
    charts = []
    for column, fmt in (
        ("annual_cost_eur", ",.0f"),
        ("quality_index", ".0f"),
        ("uncovered_days", ",.1f"),
        ("manageability_eur", ",.0f"),
    ):
        charts.append(
            alt.Chart(frame)
            .mark_bar()
            .encode(
                x=alt.X("option:N", sort=order, title=None, axis=alt.Axis(labelAngle=-40)),
                y=alt.Y(f"{column}:Q", title=label(column, lang), axis=alt.Axis(format=fmt)),
                tooltip=[
                    alt.Tooltip("option:N", title=label("option", lang)),
                    alt.Tooltip(f"{column}:Q", title=label(column, lang), format=fmt),
                ],
            )
            .properties(width=170, height=200)
        )
    return alt.hconcat(*charts).properties(title=label("compare_title", lang))


#: the end-state chart's plot, in pixels, and its points' size (area) and radius
END_WIDTH, END_HEIGHT, END_POINT = 520, 320, 120
END_RADIUS = 6.5
END_TEXT = 11


def _padded(values: pd.Series, share: float = 0.06) -> tuple[float, float]:
    """A scale's domain around the values with room at both ends (a single value gets room too)."""
    low, high = float(values.min()), float(values.max())
    room = (high - low) * share or max(abs(high) * 0.01, 1e-6)
    return low - room, high + room


def end_states(table: pd.DataFrame, lang: str = "en") -> alt.TopLevelMixin:
    """Annual cost against quality for every end state; labels name the form, each placed beside its
    point where it overlaps no other label or point (`visuals.placement.beside_points`), best first."""
    frame = table.copy()
    frame["option"] = frame["option"].map(lambda o: label(o, lang))
    # options that land on the same configuration share one point and one label ("a = b")
    spot = frame["annual_cost_eur"].round(0).astype(str) + "|" + frame["quality_index"].round(4).astype(str)
    names = frame.groupby(spot)["option"].transform(lambda options: " = ".join(options))
    frame["shown"] = names.where(~spot.duplicated(), "")
    x_domain, y_domain = _padded(frame["annual_cost_eur"]), _padded(frame["quality_index"])

    def pixels(row: pd.Series) -> tuple[float, float]:
        x = (row["annual_cost_eur"] - x_domain[0]) / (x_domain[1] - x_domain[0]) * END_WIDTH
        y = END_HEIGHT - (row["quality_index"] - y_domain[0]) / (y_domain[1] - y_domain[0]) * END_HEIGHT
        return float(x), float(y)

    order = frame[frame["shown"] != ""].sort_values("objective", kind="stable")
    places = beside_points(
        [pixels(row) for _index, row in order.iterrows()],
        list(order["shown"]),
        END_TEXT,
        END_RADIUS,
        (END_WIDTH, END_HEIGHT),
    )
    place_of = dict(zip(order.index, places, strict=True))
    frame["dx"] = [place_of[i].dx if i in place_of else 0.0 for i in frame.index]
    frame["dy"] = [place_of[i].dy if i in place_of else 0.0 for i in frame.index]
    frame["align"] = [place_of[i].align if i in place_of else "left" for i in frame.index]
    base = alt.Chart(frame).encode(
        x=alt.X(
            "annual_cost_eur:Q",
            title=label("annual_cost_eur", lang),
            scale=alt.Scale(domain=list(x_domain), nice=False, zero=False),
            axis=alt.Axis(format=",.0f"),
        ),
        y=alt.Y(
            "quality_index:Q",
            title=label("quality_index", lang),
            scale=alt.Scale(domain=list(y_domain), nice=False, zero=False),
        ),
    )
    points = base.mark_circle(size=END_POINT, opacity=1).encode(
        color=alt.Color(
            "objective:Q",
            title=label("objective", lang),
            scale=alt.Scale(scheme="viridis", reverse=True),
            legend=alt.Legend(format=",.0f", titleLimit=0, labelLimit=0),
        ),
        tooltip=[
            alt.Tooltip("option:N", title=label("option", lang)),
            *(
                alt.Tooltip(f"{column}:Q", title=label(column, lang), format=fmt)
                for column, fmt in (("annual_cost_eur", ",.0f"), ("quality_index", ".0f"), ("objective", ",.0f"))
            ),
        ],
    )
    # one text layer per place around the points (Vega-Lite's dx, dy and align are the mark's, not data)
    texts = [
        base.transform_filter(
            alt.FieldEqualPredicate(field="dx", equal=dx)
            & alt.FieldEqualPredicate(field="dy", equal=dy)
            & alt.FieldEqualPredicate(field="align", equal=align)
        )
        .transform_filter("datum.shown != ''")
        .mark_text(dx=dx, dy=dy, align=align, baseline="middle", fontSize=END_TEXT)  # type: ignore[arg-type]
        .encode(text="shown:N")
        for dx, dy, align in sorted({(p.dx, p.dy, p.align) for p in places})
    ]
    return alt.layer(points, *texts).properties(
        title=label("endstates_title", lang), width=END_WIDTH, height=END_HEIGHT
    )


def render_options(lang: str) -> dict[str, Any]:
    """Vega-Embed options: Dutch number format for Dutch charts."""
    if lang == "nl":
        import vl_convert

        return {
            "formatLocale": vl_convert.get_format_locale("nl-NL"),
            "timeFormatLocale": vl_convert.get_time_format_locale("nl-NL"),
        }
    return {}


def save_png(chart: alt.TopLevelMixin, path: str, lang: str = "en") -> None:
    """PNG through vl-convert, offline; Dutch number format for Dutch charts."""
    import vl_convert

    if lang == "nl":
        data = vl_convert.vegalite_to_png(chart.to_dict(), scale=2, format_locale="nl-NL")
    else:
        data = vl_convert.vegalite_to_png(chart.to_dict(), scale=2)
    with open(path, "wb") as handle:
        handle.write(data)
