"""A pathway drawn for people: the year-by-year table, the comparison, and the two charts.

    years_table(pathway, lang)       one row a year: what starts, joins, leaves or ends; the cash
    comparison_table(pathway, lang)  the big bang, the pathway and staying as we are, side by side
    gantt(pathway, lang)             pools as bars over the years, by domain
    cash_chart(pathway, lang)        cash a year and cumulative, with the break-even year

Money is what a year costs more than staying as we are: negative figures are savings.
"""

from __future__ import annotations

from typing import Any

import altair as alt
import pandas as pd

from inputs.labels import name
from optimizer.pathway import Pathway, Plan, Pool
from visuals.tables import euros

#: the words of the pathway's tables and charts, (English, Dutch)
WORDS: dict[str, tuple[str, str]] = {
    "year": ("Year", "Jaar"),
    "starts": ("Starts", "Start"),
    "joins": ("Joins", "Sluit aan"),
    "leaves": ("Leaves or ends", "Verlaat of stopt"),
    "one_off": ("One-off [EUR]", "Eenmalig [EUR]"),
    "running": ("Running [EUR/year]", "Lopend [EUR/jaar]"),
    "cash": ("Cash that year [EUR]", "Kasstroom dat jaar [EUR]"),
    "cumulative": ("Cumulative [EUR]", "Cumulatief [EUR]"),
    "changes": ("Changes", "Wijzigingen"),
    "option": ("Option", "Optie"),
    "big_bang": ("the big bang (everything in year 1)", "de big bang (alles in jaar 1)"),
    "pathway": ("the pathway", "het groeipad"),
    "stay": ("stay as we are", "blijven zoals we zijn"),
    "npv_cash": ("NPV cash [EUR]", "Contante waarde kas [EUR]"),
    "npv_weighted": ("NPV weighted [EUR]", "Contante waarde gewogen [EUR]"),
    "break_even": ("Break-even year", "Terugverdienjaar"),
    "never": ("never", "nooit"),
    "outside_caps": ("breaks the change caps", "overschrijdt de wijzigingslimieten"),
    "domain": ("Domain", "Taakveld"),
    "pool": ("Pool", "Pool"),
    "from": ("From year", "Vanaf jaar"),
    "to": ("To year", "Tot en met jaar"),
    "kind": ("Flow", "Stroom"),
    "amount": ("EUR", "EUR"),
    "learned": ("learnt", "geleerd"),
    "at": ("at", "bij"),
    "nothing": ("-", "-"),
    "optimum": ("the optimum", "het optimum"),
    "free_end": ("a free end state", "een vrij eindbeeld"),
    "end_state": ("the end state", "het eindbeeld"),
    "gantt_title": ("Pools over the years, by domain", "Pools door de jaren, per taakveld"),
    "cash_title": (
        "Cash against staying as we are (negative: saving)",
        "Kasstroom ten opzichte van blijven (negatief: besparing)",
    ),
}


def word(key: str, lang: str = "en") -> str:
    english, dutch = WORDS[key]
    return dutch if lang == "nl" else english


def pool_words(pathway: Pathway, pool: Pool, lang: str = "en", members: bool = True) -> str:
    """'taxes centre municipality at Bladel (Bladel, Eersel)', without the members in brackets where a
    pool ends whole."""
    instance = pathway.instance
    place = {code: instance.municipality[code].name for code in instance.codes}
    domains = ", ".join(name(d, lang) for d in pool.domains)
    where = f"{domains} {name(pool.structure, lang)} {word('at', lang)} {place.get(pool.host, pool.host)}"
    return f"{where} ({', '.join(place.get(c, c) for c in pool.members)})" if members else where


def _names(pathway: Pathway, codes: set[str]) -> str:
    instance = pathway.instance
    return ", ".join(sorted(instance.municipality[c].name if c in instance.municipality else c for c in codes))


def year_rows(pathway: Pathway, plan: Plan, lang: str = "en") -> list[dict[str, Any]]:
    """One record a year: its changes in words and its money (numbers, not text)."""
    rows = []
    cumulative = plan.cumulative
    for year, total in zip(plan.years, cumulative, strict=True):
        starts = [pool_words(pathway, p, lang) for p in year.started]
        joins = []
        leaves = [pool_words(pathway, p, lang, members=False) for p in year.ended]
        for before, after in year.moved:
            joined = set(after.members) - set(before.members)
            left = set(before.members) - set(after.members)
            where = pool_words(pathway, after, lang)
            if joined:
                joins.append(f"{_names(pathway, joined)} -> {where}")
            if left:
                leaves.append(f"{_names(pathway, left)} <- {where}")
            if not joined and not left:
                joins.append(where)
        rows.append(
            {
                "year": year.year,
                "starts": "; ".join(starts),
                "joins": "; ".join(joins),
                "leaves": "; ".join(leaves),
                "changes": year.change_count,
                "one_off": year.one_off + year.exit,
                "running": year.running_cash,
                "cash": year.cash,
                "cumulative": total,
            }
        )
    return rows


def years_frame(pathway: Pathway, lang: str = "en") -> pd.DataFrame:
    """The plan's years with the keys as columns (CSV and JSON keep the keys)."""
    assert pathway.plan is not None
    return pd.DataFrame(year_rows(pathway, pathway.plan, lang))


def comparison_rows(pathway: Pathway) -> list[dict[str, Any]]:
    """The big bang, the pathway and staying as we are: NPVs and break-even, by key."""
    options: list[tuple[str, Plan | None]] = [("big_bang", pathway.big_bang), ("pathway", pathway.plan)]
    options.append(("stay", pathway.stay))
    rows = []
    for key, plan in options:
        if plan is None:
            continue
        rows.append(
            {
                "option": key,
                "npv_cash": plan.npv_cash,
                "npv_weighted": plan.npv_weighted,
                "break_even": plan.break_even_year,
                "within_caps": not (key == "big_bang" and pathway.big_bang_breaks),
            }
        )
    return rows


def comparison_frame(pathway: Pathway) -> pd.DataFrame:
    return pd.DataFrame(comparison_rows(pathway))


def comparison_text_rows(pathway: Pathway, lang: str = "en") -> list[list[str]]:
    rows = []
    for row in comparison_rows(pathway):
        label = word(row["option"], lang)
        if not row["within_caps"]:
            label += f" ({word('outside_caps', lang)})"
        even = row["break_even"]
        rows.append(
            [
                label,
                euros(row["npv_cash"], lang),
                euros(row["npv_weighted"], lang),
                word("never", lang) if even is None else str(even),
            ]
        )
    return rows


def gantt_frame(pathway: Pathway, lang: str = "en") -> pd.DataFrame:
    """One bar per run of a pool: its domain, its words, its first and last year."""
    assert pathway.plan is not None
    runs: list[dict[str, Any]] = []
    open_runs: dict[Pool, dict[str, Any]] = {}
    for year in pathway.plan.years:
        current = set(year.pools)
        for pool in list(open_runs):
            if pool not in current:
                runs.append(open_runs.pop(pool))
        for pool in year.pools:
            if pool in open_runs:
                open_runs[pool]["to"] = year.year
            else:
                open_runs[pool] = {
                    "domain": ", ".join(name(d, lang) for d in pool.domains),
                    "pool": pool_words(pathway, pool, lang),
                    "from": year.year,
                    "to": year.year,
                }
    runs += open_runs.values()
    return pd.DataFrame(runs, columns=["domain", "pool", "from", "to"])


def gantt(pathway: Pathway, lang: str = "en") -> alt.Chart:
    frame = gantt_frame(pathway, lang)
    frame = frame.assign(end=frame["to"] + 1)
    return (
        alt.Chart(frame, title=word("gantt_title", lang))
        .mark_bar()
        .encode(
            x=alt.X("from:Q", title=word("year", lang), scale=alt.Scale(domain=[1, pathway.settings.years + 1])),
            x2="end:Q",
            y=alt.Y("pool:N", title=word("pool", lang), sort=alt.EncodingSortField("from")),
            color=alt.Color("domain:N", title=word("domain", lang)),
            tooltip=["pool", "from", "to"],
        )
    )


def cash_chart(pathway: Pathway, lang: str = "en") -> alt.TopLevelMixin:
    """Cash a year as bars, cumulative as a line, the break-even year as a rule."""
    assert pathway.plan is not None
    frame = years_frame(pathway, lang)
    bars = (
        alt.Chart(frame)
        .mark_bar(opacity=0.6)
        .encode(x=alt.X("year:O", title=word("year", lang)), y=alt.Y("cash:Q", title=word("amount", lang)))
    )
    line = alt.Chart(frame).mark_line(point=True, color="black").encode(x="year:O", y="cumulative:Q")
    layers: list[Any] = [bars, line]
    even = pathway.plan.break_even_year
    if even is not None:
        mark = pd.DataFrame({"year": [even], "label": [f"{word('break_even', lang)}: {even}"]})
        layers.append(alt.Chart(mark).mark_rule(color="green", strokeDash=[4, 4]).encode(x="year:O"))
        layers.append(alt.Chart(mark).mark_text(dy=-8, color="green").encode(x="year:O", text="label:N"))
    return alt.layer(*layers, title=word("cash_title", lang))


def sections(pathway: Pathway, lang: str = "en") -> list[Any]:
    """The report's pathway section: the year-by-year table with the Gantt chart, then the cash chart
    with the comparison of the big bang, the pathway and staying as we are."""
    from visuals.report import Section

    assert pathway.plan is not None
    frame = years_frame(pathway, lang)
    shown = frame.rename(columns={key: word(key, lang) for key in frame.columns})
    compared = pd.DataFrame(
        comparison_text_rows(pathway, lang),
        columns=[word(k, lang) for k in ("option", "npv_cash", "npv_weighted", "break_even")],
    )
    even = pathway.plan.break_even_year
    lead = [f"{word('break_even', lang)}: {word('never', lang) if even is None else even}"]
    return [
        Section(word("pathway", lang).capitalize(), chart=gantt(pathway, lang), table=shown, file="pathway-gantt"),
        Section(
            word("cash_title", lang), chart=cash_chart(pathway, lang), table=compared, lead=lead, file="pathway-cash"
        ),
    ]
