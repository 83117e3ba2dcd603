"""Advice under uncertain figures, in words, tables and charts (`seta robust`, the report's section).

Everything is read from the study's tables (`optimizer.robust.Study`); English or Dutch (`lang`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import pandas as pd

from inputs.labels import name, percent
from optimizer.robust import IN_HOUSE_TEXT, Study
from visuals.tables import euros, number
from visuals.why import _t, signed

if TYPE_CHECKING:
    import altair as alt
else:
    from visuals.lazy import altair as alt


def choice_text(choice: str, study: Study, lang: str = "en") -> str:
    """'one civil service at Bladel' for 'one_civil_service@GM1728'; 'in house'."""
    if choice == IN_HOUSE_TEXT:
        return name("in_house", lang)
    if not choice:
        return _t(lang, "no solution", "geen oplossing")
    structure, host = choice.split("@")
    return f"{name(structure, lang)} {_t(lang, 'at', 'in')} {study.nominal.name_of(host)}"


def headline(study: Study, lang: str = "en") -> str:
    """How often the nominal answer is best, what it costs where it is not, and what is left out."""
    summary = study.summary()
    comparable = len(study.comparable)
    lines = []
    if comparable:
        optimal, share = summary["nominal_optimal"], summary["nominal_optimal_share"]
        regret, cash = summary["regret_eur"], summary["cash_regret_eur"]
        if optimal == comparable:
            lines.append(
                _t(
                    lang,
                    f"The recommended configuration is the best in all {comparable} plausible worlds drawn: it has "
                    "no regret.",
                    f"De aanbevolen configuratie is de beste in alle {comparable} getrokken plausibele werelden: ze "
                    "kent geen spijt.",
                )
            )
        else:
            lines.append(
                _t(
                    lang,
                    f"The recommended configuration is the best in {optimal} of {comparable} plausible worlds "
                    f"({percent(share, lang)}). Where it is not, it scores at most {euros(regret['worst'], lang)} a "
                    f"year worse than that world's best on the weighted objective (median over the draws "
                    f"{euros(regret['median'], lang)}, 95th percentile {euros(regret['p95'], lang)}); its annual "
                    f"cash cost against that world's best ranges from {signed(cash['best'], lang)} to "
                    f"{signed(cash['worst'], lang)}.",
                    f"De aanbevolen configuratie is de beste in {optimal} van {comparable} plausibele werelden "
                    f"({percent(share, lang)}). Waar ze dat niet is, scoort ze hooguit {euros(regret['worst'], lang)} "
                    f"per jaar slechter dan de beste van die wereld op de gewogen doelfunctie (mediaan over de "
                    f"trekkingen {euros(regret['median'], lang)}, 95e percentiel {euros(regret['p95'], lang)}); haar "
                    f"jaarlijkse kosten in geld liggen tussen {signed(cash['best'], lang)} en "
                    f"{signed(cash['worst'], lang)} ten opzichte van de beste van die wereld.",
                )
            )
    left = []
    if summary["draws_without_solution"]:
        left.append(
            _t(
                lang,
                f"{summary['draws_without_solution']} draws have no solution at all",
                f"{summary['draws_without_solution']} trekkingen hebben geen oplossing",
            )
        )
    if summary["nominal_breaks_rules"]:
        left.append(
            _t(
                lang,
                f"in {summary['nominal_breaks_rules']} the recommended configuration breaks a rule",
                f"in {summary['nominal_breaks_rules']} breekt de aanbevolen configuratie een regel",
            )
        )
    if summary["draws_unproven"]:
        left.append(
            _t(
                lang,
                f"{summary['draws_unproven']} draws are not proven optimal (a time or gap limit, or a province "
                "split), so the regret there may be understated",
                f"{summary['draws_unproven']} trekkingen zijn niet bewezen optimaal (een tijds- of gaplimiet, of een "
                "splitsing per provincie), dus de spijt daar is mogelijk onderschat",
            )
        )
    if left:
        lines.append(_t(lang, "Counted apart: ", "Apart geteld: ") + "; ".join(left) + ".")
    if summary.get("lost"):
        lines.append(
            _t(
                lang,
                f"Incomplete: {summary['draws_run']} of {summary['draws_planned']} draws finished, "
                f"{summary['draws_lost']} were lost with the Dask cluster ({summary['lost']}); the figures are over "
                "those that finished.",
                f"Onvolledig: {summary['draws_run']} van {summary['draws_planned']} trekkingen klaar, "
                f"{summary['draws_lost']} verloren gegaan met het Dask-cluster; de cijfers gaan over de trekkingen die "
                "klaar zijn.",
            )
        )
    elif summary["draws_run"] < summary["draws_planned"]:
        lines.append(
            _t(
                lang,
                f"Interrupted: {summary['draws_run']} of {summary['draws_planned']} draws finished; the figures are "
                "over those.",
                f"Onderbroken: {summary['draws_run']} van {summary['draws_planned']} trekkingen klaar; de cijfers gaan "
                "daarover.",
            )
        )
    lines.append(
        _t(
            lang,
            f"{summary['draws_run']} draws ({summary['sampling'].upper()}, seed {summary['seed']}) over "
            f"{summary['dimensions']} uncertain groups of figures.",
            f"{summary['draws_run']} trekkingen ({summary['sampling'].upper()}, startgetal {summary['seed']}) over "
            f"{summary['dimensions']} onzekere groepen kengetallen.",
        )
    )
    return " ".join(lines)


def domains_text(domains: list[str], study: Study, lang: str) -> str:
    if len(domains) == len(study.nominal.instance.domains) > 1:
        return _t(lang, "all domains", "alle taakvelden")
    return ", ".join(name(d, lang) for d in domains)


def merged_pools(study: Study, lang: str = "en", limit: int | None = None) -> list[dict[str, Any]]:
    """How often each pool is chosen, the domains of one body (same structure, host and share) on one
    row, with the group whose draw goes most with choosing it."""
    merged: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in study.pools_table().to_dict("records"):
        key = (row["structure"], row["host_code"], row["in_nominal"], row["share"], row["driver"])
        entry = merged.setdefault(key, {**{str(k): v for k, v in row.items()}, "domains": []})
        entry["domains"].append(str(row["domain"]))
    rows = []
    for entry in list(merged.values())[:limit]:
        where = f"{name(str(entry['structure']), lang)} · {entry['host']}"
        rows.append(
            {
                "pool": f"{domains_text(entry['domains'], study, lang)}: {where}",
                "in_nominal": bool(entry["in_nominal"]),
                "share": float(entry["share"]),
                "goes_with": _driver_text(study, entry, lang),
            }
        )
    return rows


def pools_frame(study: Study, lang: str = "en", limit: int | None = None) -> pd.DataFrame:
    """How often each pool is chosen, with the group that goes most with choosing it."""
    return pd.DataFrame(
        [
            {
                _t(lang, "Pool", "Pool"): row["pool"],
                _t(lang, "Recommended", "Aanbevolen"): _t(lang, "yes", "ja") if row["in_nominal"] else "",
                _t(lang, "Chosen in", "Gekozen in"): percent(row["share"], lang),
                _t(lang, "Goes with", "Hangt samen met"): row["goes_with"],
            }
            for row in merged_pools(study, lang, limit)
        ]
    )


def _driver_text(study: Study, row: Mapping[str, Any], lang: str) -> str:
    rho = float(row["driver_rho"])
    if math.isnan(rho) or abs(rho) < 0.2:
        return ""
    direction = _t(lang, "high", "hoog") if rho > 0 else _t(lang, "low", "laag")
    return f"{study.uncertainty.label(str(row['driver']), lang)} {direction} (ρ = {number(rho, 2, lang)})"


def decisions_frame(study: Study, lang: str = "en", below: float = 0.9) -> pd.DataFrame:
    """The decisions (a municipality's domains with the same choice on one row) that a draw changes
    more often than 1 - `below`."""
    table = study.decisions_table()
    table = table[table["nominal_share"] < below]
    merged: dict[tuple[Any, ...], list[str]] = {}
    for row in table.to_dict("records"):
        key = (row["code"], row["nominal"], row["nominal_share"], row["most_often"], row["most_often_share"])
        merged.setdefault(key, []).append(str(row["domain"]))
    rows = []
    for (code, nominal, nominal_share, common, common_share), domains in merged.items():
        rows.append(
            {
                _t(lang, "Municipality", "Gemeente"): study.nominal.name_of(code),
                _t(lang, "Domains", "Taakvelden"): domains_text(domains, study, lang),
                _t(lang, "Recommended", "Aanbevolen"): choice_text(nominal, study, lang),
                _t(lang, "Kept in", "Behouden in"): percent(nominal_share, lang),
                _t(lang, "Most often", "Meestal"): choice_text(common, study, lang),
                _t(lang, "Share", "Aandeel"): percent(common_share, lang),
            }
        )
    return pd.DataFrame(rows)


def drivers_frame(study: Study, lang: str = "en") -> pd.DataFrame:
    """Each group's rank correlation with the regret, the best answer's cash change and its objective."""
    rows = []
    for row in study.drivers_table().to_dict("records"):
        rows.append(
            {
                _t(lang, "Uncertain figures", "Onzekere kengetallen"): study.uncertainty.label(str(row["group"]), lang),
                _t(lang, "ρ with regret", "ρ met spijt"): _rho(row["rho_regret"], row["p_regret"], lang),
                _t(lang, "ρ with cash change", "ρ met verandering in geld"): _rho(
                    row["rho_cash_change"], row["p_cash_change"], lang
                ),
                _t(lang, "ρ with the best objective", "ρ met de beste doelfunctie"): _rho(
                    row["rho_objective"], row["p_objective"], lang
                ),
            }
        )
    return pd.DataFrame(rows)


def _rho(rho: float, p: float, lang: str) -> str:
    if math.isnan(rho):
        return _t(lang, "no variation", "geen variatie")
    return number(rho, 2, lang) + (" *" if p < 0.05 else "")


def drivers_note(study: Study, lang: str = "en") -> str:
    runs = len(study.solved)
    noise = 2 / math.sqrt(runs) if runs else math.nan
    if not noise < 1:  # a correlation is at most 1 in size: too few draws to tell any from noise
        threshold = _t(
            lang,
            f"With {runs} draws no coefficient can be told from noise (that takes at least 5).",
            f"Met {runs} trekkingen is geen coëfficiënt van ruis te onderscheiden (daarvoor zijn er minstens 5 nodig).",
        )
    else:
        threshold = _t(
            lang,
            f"Below about {number(noise, 2, lang)} in size a coefficient is indistinguishable from noise.",
            f"Onder ongeveer {number(noise, 2, lang)} is een coëfficiënt niet van ruis te onderscheiden.",
        )
    return _t(
        lang,
        f"Spearman's rank correlation of each group's draw with the outcome, over {runs} draws; * marks p < 0.05. "
        f"{threshold} The regret is the recommended configuration's weighted objective minus that draw's best.",
        f"Spearmans rangcorrelatie van de trekking van elke groep met de uitkomst, over {runs} trekkingen; "
        f"* betekent p < 0,05. {threshold} De spijt is de gewogen doelfunctie van de aanbevolen configuratie min "
        "de beste van die trekking.",
    )


# -- charts ---------------------------------------------------------------------------------------
# A chart without a single mark has no size, and vl-convert refuses it ("SVG has an invalid size"): a
# run of one or two draws, or one cut short by Ctrl-C, has such charts. Each chart is then None, and
# `missing_chart` says why in its place.


def missing_chart(study: Study, chart: str, lang: str = "en") -> str:
    """Why `chart` ('pools', 'regret' or 'drivers') is not drawn for this study."""
    if chart == "pools":
        return _t(lang, "no draw has a solution.", "geen enkele trekking heeft een oplossing.")
    if chart == "regret" and study.comparable:
        count = len(study.comparable)
        return _t(
            lang,
            f"the recommended configuration is the best in all {count} draws that can be compared: its regret is "
            "zero in each, so there is nothing to draw.",
            f"de aanbevolen configuratie is de beste in alle {count} vergelijkbare trekkingen: haar spijt is in "
            "elk nul, dus er valt niets te tekenen.",
        )
    if chart == "regret":
        return _t(
            lang,
            "there is no draw in which the recommended configuration has a regret (every draw either has no "
            "solution or the recommendation breaks one of its rules).",
            "er is geen trekking waarin de aanbevolen configuratie een spijt heeft (elke trekking heeft geen "
            "oplossing, of het advies breekt er een regel).",
        )
    solved = len(study.solved)
    return _t(
        lang,
        f"a rank correlation takes at least three draws with a solution, with outcomes that differ; this run "
        f"has {solved}.",
        f"een rangcorrelatie vraagt minstens drie trekkingen met een oplossing, met uitkomsten die verschillen; "
        f"deze run heeft er {solved}.",
    )


def pools_chart(study: Study, lang: str = "en", limit: int = 25) -> alt.Chart | None:
    """How often each pool is chosen; None without a solved draw (no share to draw)."""
    if not study.solved:
        return None
    rows = merged_pools(study, lang, limit)
    frame = pd.DataFrame(
        {
            "pool": [row["pool"] for row in rows],
            "share": [row["share"] for row in rows],
            "recommended": [
                _t(lang, "recommended", "aanbevolen") if row["in_nominal"] else _t(lang, "other", "ander")
                for row in rows
            ],
        }
    )
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("share:Q", title=_t(lang, "share of draws", "aandeel trekkingen"), axis=alt.Axis(format="%")),
            y=alt.Y("pool:N", sort=list(frame["pool"]), title=None),
            color=alt.Color("recommended:N", title=None),
            tooltip=[
                alt.Tooltip("pool:N", title="pool"),
                alt.Tooltip("share:Q", title=_t(lang, "share of draws", "aandeel trekkingen"), format=".0%"),
            ],
        )
        .properties(title=_t(lang, "How often each pool is chosen", "Hoe vaak elke pool gekozen wordt"), width=420)
    )


def regret_chart(study: Study, lang: str = "en") -> alt.Chart | None:
    """The regret over the draws, weighted and in cash, as histograms with their own bins; None when
    no draw has a regret to show (none comparable, or the recommendation the best in every draw).

    The bins are counted here rather than by Vega-Lite: its bins over values that are all equal have
    no width, and the chart came out as an empty frame (issue 23)."""
    if not study.comparable or all(d.regret == 0 and d.cash_regret == 0 for d in study.comparable):
        return None
    weighted, cash = _t(lang, "weighted objective", "gewogen doelfunctie"), _t(lang, "cash", "geld")
    rows = []
    for measure, values in (
        (weighted, [d.regret or 0.0 for d in study.comparable]),  # a comparable draw has both
        (cash, [d.cash_regret or 0.0 for d in study.comparable]),
    ):
        rows += _histogram(measure, values)
    frame = pd.DataFrame(rows, columns=["measure", "start", "end", "draws"])
    return (
        alt.Chart(frame)
        .mark_bar(binSpacing=1)
        .encode(
            x=alt.X(
                "start:Q",
                title=_t(lang, "regret (EUR a year)", "spijt (EUR per jaar)"),
                axis=alt.Axis(format=",.0f"),
            ),
            x2="end:Q",
            y=alt.Y("draws:Q", title=_t(lang, "draws", "trekkingen"), axis=alt.Axis(tickMinStep=1)),
            y2=alt.datum(0),
            color=alt.Color("measure:N", title=None, legend=None),
            row=alt.Row("measure:N", title=None, header=alt.Header(labelAngle=0, labelAlign="left")),
            tooltip=[
                alt.Tooltip("measure:N", title=_t(lang, "measure", "maat")),
                alt.Tooltip("start:Q", format=",.0f", title=_t(lang, "from", "van")),
                alt.Tooltip("end:Q", format=",.0f", title=_t(lang, "to", "tot")),
                alt.Tooltip("draws:Q", title=_t(lang, "draws", "trekkingen")),
            ],
        )
        .properties(
            title=_t(
                lang,
                "Regret of the recommendation: its cost over each draw's best",
                "Spijt van het advies: wat het meer kost dan de beste per trekking",
            ),
            width=420,
            height=120,
        )
    )


def _histogram(measure: str, values: list[float], bins: int = 30) -> list[dict[str, Any]]:
    """Counts over equal bins from the smallest value (or 0) to the largest; values that are all
    equal get one bin a little wider than nothing, so the bar has a width to be seen."""
    low, high = min(0.0, *values), max(0.0, *values)
    if high - low < 1e-9:
        width = max(abs(high) * 0.01, 1.0)
        return [{"measure": measure, "start": low - width, "end": high + width, "draws": len(values)}]
    step = (high - low) / bins
    counts = [0] * bins
    for value in values:
        counts[min(int((value - low) / step), bins - 1)] += 1
    return [
        {"measure": measure, "start": low + n * step, "end": low + (n + 1) * step, "draws": count}
        for n, count in enumerate(counts)
        if count
    ]


def drivers_chart(study: Study, lang: str = "en") -> alt.Chart | None:
    """Each group's rank correlations; None when none is defined (under three solved draws, or no
    outcome varies)."""
    table = study.drivers_table()
    outcomes = {
        "rho_regret": _t(lang, "regret", "spijt"),
        "rho_cash_change": _t(lang, "cash change", "verandering in geld"),
        "rho_objective": _t(lang, "best objective", "beste doelfunctie"),
    }
    rows = [
        {"group": study.uncertainty.label(str(row["group"]), lang), "outcome": label, "rho": row[column]}
        for row in table.to_dict("records")
        for column, label in outcomes.items()
        if not math.isnan(float(row[column]))
    ]
    frame = pd.DataFrame(rows, columns=["group", "outcome", "rho"])
    if frame.empty:
        return None
    order = [study.uncertainty.label(str(g), lang) for g in table["group"]] if len(table) else []
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            x=alt.X("rho:Q", title=_t(lang, "rank correlation ρ", "rangcorrelatie ρ"), scale=alt.Scale(domain=[-1, 1])),
            y=alt.Y("group:N", sort=order, title=None),
            color=alt.Color("outcome:N", title=None),
            yOffset="outcome:N",
            tooltip=[
                alt.Tooltip("group:N", title=_t(lang, "figures", "kengetallen")),
                alt.Tooltip("outcome:N", title=_t(lang, "outcome", "uitkomst")),
                alt.Tooltip("rho:Q", title=_t(lang, "rank correlation ρ", "rangcorrelatie ρ"), format=".2f"),
            ],
        )
        .properties(title=_t(lang, "What drives the variation", "Wat de variatie drijft"), width=420)
    )
