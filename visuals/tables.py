"""The report's words and tables: a headline, and result tables with human labels, units and the
number format of the reader's language (1,234.5 in English, 1.234,5 in Dutch).

Everything is read from the result tables and the summary; nothing here touches the solver model.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from inputs.labels import column, euros, name, number, signed
from optimizer.result import Summary
from optimizer.solve import Status


def _labelled(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    return frame.rename(columns={c: column(c, lang) for c in frame.columns})


def inconclusive_sentence(summary: Summary, lang: str = "en") -> str:
    """'Not conclusive: ...' when the solver's proven gap is no smaller than the change the answer
    reports (docs/model.md, "Answers precise enough to mean something"); empty otherwise."""
    if summary.conclusive is not False or summary.change is None:
        return ""
    gap, change = summary.solver.gap_eur, abs(summary.change.objective)
    within = summary.solver.gap_scope == "provinces"
    if lang == "nl":
        if gap is None:
            return (
                f"Niet overtuigend: de afstand van de solver tot het best mogelijke is onbekend, en de verandering "
                f"is {euros(change, lang)} per jaar; dit is geen advies."
            )
        scope = " binnen de provincies" if within else ""
        return (
            f"Niet overtuigend: de afstand van de solver{scope} ({euros(gap, lang)} per jaar) is groter dan de "
            f"verandering die hij meldt ({euros(change, lang)} per jaar); dit is geen advies."
        )
    if gap is None:
        return (
            f"Not conclusive: the solver's gap to the best possible is unknown, against a change of "
            f"{euros(change, lang)} a year; this is not advice."
        )
    scope = " within the provinces" if within else ""
    return (
        f"Not conclusive: the solver's gap{scope} ({euros(gap, lang)} a year) exceeds the change it reports "
        f"({euros(change, lang)} a year); this is not advice."
    )


def gap_sentence(summary: Summary, lang: str = "en") -> str:
    """Where the answer is not proven: its gap in EUR a year and as a share of the change it reports
    (the gap against the whole cost hides what matters when pooling moves it by under 1 %); empty
    when proven or without a gap."""
    share, gap = summary.gap_of_change, summary.solver.gap_eur
    if summary.status == Status.OPTIMAL or share is None or gap is None or share == 0:
        return ""
    percent = number(100 * share, 1, lang)
    if lang == "nl":
        return f"afstand {euros(gap, lang)} per jaar, {percent} % van de verandering die het antwoord meldt"
    return f"gap {euros(gap, lang)} a year, {percent} % of the change the answer reports"


def headline(summary: Summary, lang: str = "en") -> str:
    """The answer in two sentences: what pooling saves or costs in cash, its payback, the quality change;
    first, where the solver's gap exceeds the change, that it is not conclusive."""
    warning = inconclusive_sentence(summary, lang)
    return f"{warning} {_headline(summary, lang)}" if warning else _headline(summary, lang)


def _headline(summary: Summary, lang: str = "en") -> str:
    after, change = summary.after, summary.change
    if after is None or change is None:
        return (
            f"No configuration could be found: {summary.status_text}."
            if lang == "en"
            else f"Er is geen configuratie gevonden: {summary.status_text}."
        )
    before = summary.before
    if after.pools == 0:
        return (
            "Pooling does not pay here: keeping every service in house scores best on the weighted criteria."
            if lang == "en"
            else "Samenwerken loont hier niet: alle taken in eigen huis houden scoort het best op de gewogen criteria."
        )
    saving = -change.annual_cost_eur
    share = 100 * saving / before.annual_cost_eur if before.annual_cost_eur else 0.0
    payback = summary.payback_years
    quality = (number(before.quality_index, 0, lang), number(after.quality_index, 0, lang))
    if lang == "nl":
        cash = (
            f"De jaarlijkse kosten dalen met {euros(saving, lang)} ({number(share, 1, lang)} %)"
            if saving >= 0
            else f"De jaarlijkse kosten stijgen met {euros(-saving, lang)} ({number(-share, 1, lang)} %)"
        )
        back = (
            f"; de eenmalige transitie van {euros(after.transition_one_off_eur, lang)} is in "
            f"{number(payback, 1, lang)} jaar terugverdiend"
            if payback is not None
            else f"; de eenmalige transitie kost {euros(after.transition_one_off_eur, lang)}"
        )
        return (
            f"De beste configuratie vormt {after.pools} pool{'s' if after.pools != 1 else ''}. {cash}{back}. "
            f"De kwaliteitsindex gaat van {quality[0]} naar {quality[1]} "
            f"(0-100), de dagen zonder bezetting van {number(before.uncovered_days, 1, lang)} naar "
            f"{number(after.uncovered_days, 1, lang)}.{risk_sentence(summary, lang)}{diagnosis_note(summary, lang)}"
        )
    cash = (
        f"Annual cost falls by {euros(saving, lang)} ({number(share, 1, lang)} %)"
        if saving >= 0
        else f"Annual cost rises by {euros(-saving, lang)} ({number(-share, 1, lang)} %)"
    )
    back = (
        f"; the one-off transition of {euros(after.transition_one_off_eur, lang)} pays back in "
        f"{number(payback, 1, lang)} years"
        if payback is not None
        else f"; the one-off transition costs {euros(after.transition_one_off_eur, lang)}"
    )
    return (
        f"The best configuration forms {after.pools} pool{'s' if after.pools != 1 else ''}. {cash}{back}. "
        "The quality index moves from "
        f"{quality[0]} to {quality[1]} (0-100), days without any staff from {number(before.uncovered_days, 1, lang)} "
        f"to {number(after.uncovered_days, 1, lang)}.{risk_sentence(summary, lang)}{diagnosis_note(summary, lang)}"
    )


def risk_sentence(summary: Summary, lang: str = "en") -> str:
    """' If it works, ...; expected, with the risk that pools are undone, ...': both cash figures."""
    change = summary.change
    if change is None or not summary.risky:
        return ""
    works, expected = change.annual_cost_eur, change.expected_annual_cost_eur
    weighted_works, weighted = signed(change.objective_if_works, lang), signed(change.objective, lang)
    if lang == "nl":
        return (
            f" Als het werkt verandert de jaarlijkse kost met {signed(works, lang)}; verwacht, met de kans dat "
            f"pools worden teruggedraaid, met {signed(expected, lang)} (gewogen {weighted_works} als het werkt, "
            f"{weighted} verwacht)."
        )
    return (
        f" If it works, annual cost changes by {signed(works, lang)}; expected, with the chance that pools are "
        f"undone, by {signed(expected, lang)} (weighted {weighted_works} if it works, {weighted} expected)."
    )


def diagnosis_note(summary: Summary, lang: str = "en") -> str:
    """Where the scenario gives no diagnosis, quality is estimated from size, and the reader is told."""
    if summary.services == 0 or summary.diagnosed_services == summary.services:
        return ""
    if summary.diagnosed_services == 0:
        return (
            " Quality is estimated from size: the scenario gives no diagnosis."
            if lang == "en"
            else " De kwaliteit is geschat uit de omvang: het scenario geeft geen diagnose."
        )
    count = summary.services - summary.diagnosed_services
    return (
        f" Quality of {count} of {summary.services} services is estimated from size (no diagnosis)."
        if lang == "en"
        else f" De kwaliteit van {count} van {summary.services} taken is geschat uit de omvang (geen diagnose)."
    )


def pools_table(merged: pd.DataFrame, domains_in_play: int, lang: str = "en") -> pd.DataFrame:
    """The chosen pools as in the terminal: one row per pool, a body's domains together."""
    rows = []
    for record in merged.to_dict("records"):
        if record["all_domains"]:
            domains = f"all {domains_in_play} domains" if lang == "en" else f"alle {domains_in_play} taakvelden"
        else:
            domains = ", ".join(name(d, lang) for d in str(record["domains"]).split())
        rows.append(
            {
                "domain": domains,
                "structure": name(str(record["structure"]), lang),
                "host": record["host"],
                "members": record["members"],
                "staff_fte": number(record["staff_fte"], 1, lang),
                "annual_cost_eur": number(record["annual_cost_eur"], 0, lang),
                "transition_one_off_eur": number(record["transition_one_off_eur"], 0, lang),
            }
        )
    frame = pd.DataFrame(
        rows,
        columns=["domain", "structure", "host", "members", "staff_fte", "annual_cost_eur", "transition_one_off_eur"],
    )
    return _labelled(frame, lang)


def municipalities_table(municipalities: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Where each municipality gains or pays: cost, quality (0-100) and days without staff."""
    frame = pd.DataFrame(
        {
            "name": municipalities["name"],
            "cost_before_eur": [number(v, 0, lang) for v in municipalities["cost_before_eur"]],
            "cost_after_eur": [number(v, 0, lang) for v in municipalities["cost_after_eur"]],
            "cost_change_eur": [number(v, 0, lang) for v in municipalities["cost_change_eur"]],
            "quality_before": [number(v, 0, lang) for v in municipalities["quality_before"]],
            "quality_after": [number(v, 0, lang) for v in municipalities["quality_after"]],
            "uncovered_days_before": [number(v, 1, lang) for v in municipalities["uncovered_days_before"]],
            "uncovered_days_after": [number(v, 1, lang) for v in municipalities["uncovered_days_after"]],
        }
    )
    return _labelled(frame, lang)


def options_table(table: pd.DataFrame, lang: str = "en") -> pd.DataFrame:
    """Options (end states, variants) on the same axes; an option without a solution shows '-'."""
    rows = []
    for record in table.to_dict("records"):
        forms = [name(s, lang) for s in str(record["structures"]).split(", ") if s not in ("none", "-")]
        rows.append(
            {
                "option": name(str(record["option"]), lang),
                "status": name(str(record["status"]), lang),
                "structures": ", ".join(forms) or "-",
                "annual_cost_eur": number(record["annual_cost_eur"], 0, lang),
                "cost_change_eur_option": number(record["cost_change_eur"], 0, lang),
                "transition_one_off_eur": number(record["transition_one_off_eur"], 0, lang),
                "quality_index": number(record["quality_index"], 0, lang),
                "uncovered_days": number(record["uncovered_days"], 1, lang),
                "pools": number(record["pools"], 0, lang),
                "matrix_interfaces": number(record["matrix_interfaces"], 0, lang),
                "objective": number(record["objective"], 0, lang),
            }
        )
    return _labelled(pd.DataFrame(rows), lang)


def assumptions_table(rows: list[dict[str, Any]], lang: str = "en") -> pd.DataFrame:
    """The figures a scenario runs on, with their units and sources."""
    shown = [
        {
            "where": row["where"],
            "figure": row["figure"],
            "value": row["value"] if isinstance(row["value"], str) else _figure_value(row["value"], lang),
            "unit": row["unit"],
            "source": row["source"],
        }
        for row in rows
    ]
    return _labelled(pd.DataFrame(shown, columns=["where", "figure", "value", "unit", "source"]), lang)


def _figure_value(value: Any, lang: str) -> str:
    if value is None:
        return "geen" if lang == "nl" else "none"
    if isinstance(value, bool):
        return ("ja" if value else "nee") if lang == "nl" else ("yes" if value else "no")
    if float(value).is_integer():
        return number(value, 0, lang)
    decimals = min(4, max(1, len(f"{float(value):g}".split(".")[-1])))
    return number(value, decimals, lang)
