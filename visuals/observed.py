"""An observed configuration beside the optimum, in words and as a table (English and Dutch): for the
terminal (`seta solve --given`) and the report's section on what the region did."""

from __future__ import annotations

import pandas as pd

from inputs.labels import name, percent
from inputs.labels import text as _t
from optimizer.observed import ObservedComparison
from visuals.tables import euros, number, signed

#: the Dutch plurals _count needs (Dutch has no one rule: gemeenten, taakvelden, pools, regels)
DUTCH_PLURALS = {"gemeente": "gemeenten", "taakveld": "taakvelden", "pool": "pools", "regel": "regels"}


def _count(count: int, english: str, dutch: str, lang: str) -> str:
    """'1 pool' / '3 pools', '1 gemeente' / '3 gemeenten'."""
    words = (english, english + "s") if lang == "en" else (dutch, DUTCH_PLURALS[dutch])
    if lang == "en" and english.endswith("y"):
        words = (english, english[:-1] + "ies")
    return f"{count} {words[0] if count == 1 else words[1]}"


def observed_title(comparison: ObservedComparison, lang: str = "en") -> str:
    observed = comparison.observed
    year = f" ({observed.year})" if observed.year and observed.year not in observed.name else ""
    return _t(
        lang,
        f"Observed: {observed.name}{year}, beside the optimum",
        f"Waargenomen: {observed.name}{year}, naast het optimum",
    )


def observed_table(comparison: ObservedComparison, objective: float | None, lang: str = "en") -> pd.DataFrame:
    """The covered services' figures, observed and in the optimum (the weighted objective too when the
    file covers the whole scenario and `objective`, the optimum's, is given)."""
    real, best = comparison.reality, comparison.optimum
    rows = [
        (
            _t(lang, "Annual cost if it works", "Jaarlijkse kosten als het werkt"),
            real.cash_if_works,
            best.cash_if_works,
        ),
        (
            _t(lang, "Annual cost, expected with the risk", "Jaarlijkse kosten, verwacht met het risico"),
            real.cash_expected,
            best.cash_expected,
        ),
        (_t(lang, "One-off transition cost", "Eenmalige transitiekosten"), real.one_off, best.one_off),
    ]
    table = [
        {
            "": label,
            _t(lang, "Observed", "Waargenomen"): euros(a, lang),
            _t(lang, "Optimum", "Optimum"): euros(b, lang),
            _t(lang, "Optimum - observed", "Optimum - waargenomen"): signed(b - a, lang),
        }
        for label, a, b in rows
    ]
    table.append(
        {
            "": _t(lang, "Quality index (0-100)", "Kwaliteitsindex (0-100)"),
            _t(lang, "Observed", "Waargenomen"): number(real.quality, 0, lang),
            _t(lang, "Optimum", "Optimum"): number(best.quality, 0, lang),
            _t(lang, "Optimum - observed", "Optimum - waargenomen"): f"{best.quality - real.quality:+.0f}",
        }
    )
    table.append(
        {
            "": _t(lang, "Services pooled", "Gedeelde taken"),
            _t(lang, "Observed", "Waargenomen"): str(real.pooled_services),
            _t(lang, "Optimum", "Optimum"): str(best.pooled_services),
            _t(
                lang, "Optimum - observed", "Optimum - waargenomen"
            ): f"{best.pooled_services - real.pooled_services:+d}",
        }
    )
    if comparison.whole and objective is not None:
        table.append(
            {
                "": _t(
                    lang,
                    "Weighted objective, expected (EUR-equivalent)",
                    "Gewogen doelfunctie, verwacht (EUR-equivalent)",
                ),
                _t(lang, "Observed", "Waargenomen"): euros(comparison.evaluation.objective, lang),
                _t(lang, "Optimum", "Optimum"): euros(objective, lang),
                _t(lang, "Optimum - observed", "Optimum - waargenomen"): signed(
                    objective - comparison.evaluation.objective, lang
                ),
            }
        )
    return pd.DataFrame(table)


def observed_lines(comparison: ObservedComparison, municipalities: int, scenario: str, lang: str = "en") -> list[str]:
    """The distance and the notes, in words: what the measures are over, and what the file left open."""
    observed, distance = comparison.observed, comparison.distance
    listed = len(observed.covered)
    places = _count(listed, "municipality", "gemeente", lang)
    domains = _count(len(observed.domains), "domain", "taakveld", lang)
    recall, precision = percent(distance.recall, lang), percent(distance.precision, lang)
    rand = number(distance.adjusted_rand, 2, lang)
    same = percent(distance.same_structure, lang)
    if lang == "nl":
        lines = [
            f"Afstand over de {places} x {domains} van het bestand ({distance.services} taken): van de "
            f"{distance.real_pairs} paren die in werkelijkheid een pool delen, houdt het optimum er {recall} bij "
            f"elkaar (recall); van zijn {distance.model_pairs} paren daartussen zijn er {precision} ook in "
            f"werkelijkheid samen (precisie); aangepaste Rand-index {rand} (1: dezelfde indeling, 0: niet beter dan "
            f"toeval); {same} van de taken in dezelfde vorm."
        ]
    else:
        lines = [
            f"Distance over the file's {places} x {domains} ({distance.services} services): of the "
            f"{distance.real_pairs} pairs that share a pool in reality, the optimum keeps {recall} together (recall); "
            f"of its {distance.model_pairs} pairs among them, {precision} are together in reality (precision); "
            f"adjusted Rand index {rand} (1: the same grouping, 0: no better than chance); {same} of the services in "
            "the same structure."
        ]
    shares = "; ".join(
        _t(
            lang,
            f"{name(domain, lang)} {percent(best, lang)} in the optimum, {percent(real, lang)} in reality",
            f"{name(domain, lang)} {percent(best, lang)} in het optimum, {percent(real, lang)} in werkelijkheid",
        )
        for domain, (best, real) in comparison.shares.items()
    )
    everyone = _count(municipalities, "municipality", "gemeente", lang)
    lines.append(
        _t(
            lang,
            f"Share pooling (the optimum: of all {everyone}; reality: of the file's {listed}): {shares}.",
            f"Aandeel dat deelt (het optimum: van alle {everyone}; werkelijkheid: van de {listed} in het bestand): "
            f"{shares}.",
        )
    )
    open_host = sum(not p.host_given for p in observed.pools)
    open_structure = sum(not p.structure_given for p in observed.pools)
    if open_host:
        lines.append(
            _t(
                lang,
                f"The file names no host for {_count(open_host, 'pool', 'pool', lang)}: hosted by the largest member.",
                f"Het bestand noemt geen gastheer voor {open_host} pool(s): de grootste deelnemer is gastheer.",
            )
        )
    if open_structure:
        lines.append(
            _t(
                lang,
                f"The file names no structure for {_count(open_structure, 'pool', 'pool', lang)}: read as a "
                "single-domain joint body.",
                f"Het bestand noemt geen vorm voor {open_structure} pool(s): gelezen als bedrijfsvoeringsorganisatie "
                "voor één taakveld.",
            )
        )
    if observed.outside_pools:
        lines.append(
            _t(
                lang,
                f"Left out, outside {scenario}: {_count(len(observed.outside_pools), 'pool', 'pool', lang)} "
                f"({observed.outside_members} members).",
                f"Weggelaten, buiten {scenario}: {len(observed.outside_pools)} pool(s) ({observed.outside_members} "
                "deelnemers).",
            )
        )
    if not comparison.whole:
        lines.append(
            _t(
                lang,
                "Services the file does not list are unknown, not alone: the figures above are those of the services "
                "it lists, and the measures leave the others out.",
                "Taken die het bestand niet noemt zijn onbekend, niet alleen: de cijfers hierboven gaan over de taken "
                "die het noemt, en de maten laten de andere weg.",
            )
        )
    if comparison.violations:
        shown = "; ".join(comparison.violations[:5])
        more = len(comparison.violations) - 5
        lines.append(
            _t(
                lang,
                f"The observed configuration breaks {_count(len(comparison.violations), 'rule', 'regel', lang)} of "
                f"the scenario, its figures computed all the same: {shown}"
                + (f" (and {more} more)." if more > 0 else "."),
                f"De waargenomen configuratie breekt {len(comparison.violations)} regel(s) van het scenario; de "
                f"cijfers zijn toch berekend: {shown}" + (f" (en nog {more})." if more > 0 else "."),
            )
        )
    return lines
