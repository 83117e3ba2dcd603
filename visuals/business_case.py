"""The workbook of `seta solve` as a business case: a summary first (the status quo against the
answer, and the answer in words), the cash flow over the write-off horizon with the present value of the change in cost
at the scenario's discount rate, then the tables by name, codes beside the names for scripts.
English or Dutch (`lang`).
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from inputs import schema
from inputs.labels import name, sign_rule
from inputs.sources_nl import source as cited
from optimizer.explain import Explanation
from optimizer.result import PARTS, Result
from visuals.tables import euros, inconclusive_sentence
from visuals.why import Namer, figure_label, groups_text
from visuals.workbook import Sheet

EUR = "#,##0"
YEARS = "0.0"
COUNT = "0"


def _t(lang: str, en: str, nl: str) -> str:
    return nl if lang == "nl" else en


def _listed(names: list[str], lang: str) -> str:
    """'A', 'A and B', 'A, B and C' (Dutch: 'en')."""
    if len(names) <= 1:
        return "".join(names)
    return f"{', '.join(names[:-1])} {_t(lang, 'and', 'en')} {names[-1]}"


def headline(result: Result, lang: str = "en") -> str:
    """The answer in words: each pool's domains, structure, host and members by name, and who stays out."""
    merged = result.merged_pools()
    if merged.empty:
        return _t(
            lang,
            "Every municipality keeps every service in house: no pool pays here.",
            "Elke gemeente houdt elke taak in eigen huis: geen pool loont hier.",
        )
    domains_in_play = len(result.instance.domains)
    # pools of one structure, host and members are one sentence, whatever the domains: a centre
    # municipality doing three domains for the same neighbours is one arrangement to a reader
    together: dict[tuple[str, str, str], list[str]] = {}
    for record in merged.to_dict("records"):
        key = (str(record["structure"]), str(record["host"]), str(record["members"]))
        together.setdefault(key, []).extend(str(record["domains"]).split())
    pools = []
    for (structure, host, members), keys in together.items():
        domains = ", ".join(name(d, lang) for d in keys)  # as visuals.why: 'ICT and e-government' has its own 'and'
        if len(set(keys)) == domains_in_play > 1:
            domains = _t(lang, f"all {domains_in_play} domains", f"alle {domains_in_play} taakvelden")
        others = _listed([m for m in members.split(", ") if m != host], lang)
        shape = name(structure, lang)
        pools.append(
            _t(
                lang,
                f"{domains}: {shape} hosted by {host}, with {others}",
                f"{domains}: {shape} met {host} als gastheergemeente, samen met {others}",
            )
        )
    out = stays_out(result)
    if not out:
        rest = _t(lang, "every municipality takes part", "alle gemeenten doen mee")
    elif len(out) == 1:
        rest = _t(lang, f"{out[0]} stays out", f"{out[0]} doet niet mee")
    else:
        rest = _t(lang, f"{_listed(out, lang)} stay out", f"{_listed(out, lang)} doen niet mee")
    return f"{_t(lang, 'Pool', 'Bundel')} {'; '.join(pools)}; {rest}."


def council_lines(result: Result, lang: str = "en") -> list[str]:
    """What a council reads first: the answer in words, its cash with the figures the payback is
    computed from, what the valuations add, and the warnings a board must not miss (a payback beyond
    the write-off horizon; a solver's gap larger than the change). Empty without a solution."""
    summary = result.summary(lang)
    flow = result.cash_flow()
    if summary.change is None or flow is None or result.chosen is None:
        return []
    lines = [headline(result, lang)]
    if not result.chosen.pools():
        return lines
    horizon = flow.horizon_years
    saving, one_off = flow.yearly, flow.one_off
    cash = _t(
        lang,
        f"Cash, if every pool works: running cost {_signed(-saving, lang)} a year, one-off {euros(one_off, lang)}",
        f"Geld, als elke pool werkt: lopende kosten {_signed(-saving, lang)} per jaar, eenmalig {euros(one_off, lang)}",
    )
    payback = summary.payback_years
    if payback is not None:
        cash += _t(
            lang,
            f"; payback {euros(one_off, lang)} / {euros(saving, lang)} = {_years(payback, lang)} years",
            f"; terugverdiend in {euros(one_off, lang)} / {euros(saving, lang)} = {_years(payback, lang)} jaar",
        )
    else:
        cash += _t(lang, "; it never pays back in cash", "; het verdient zich in geld nooit terug")
    lines.append(cash + ".")
    cash_change = summary.change.expected_annual_cost_eur
    valuations = summary.change.objective - cash_change
    lines.append(
        _t(
            lang,
            f"Beside the cash change of {_signed(cash_change, lang)} a year (expected, with the risk of failure), "
            "the valuations (quality, vulnerability, manageability, autonomy, weighted) move the objective by "
            f"{_signed(valuations, lang)} a year (negative is better).",
            f"Naast de verandering in geld van {_signed(cash_change, lang)} per jaar (verwacht, met de kans op "
            "mislukken) verschuiven de waarderingen (kwaliteit, kwetsbaarheid, bestuurbaarheid, autonomie, gewogen) "
            f"de doelfunctie met {_signed(valuations, lang)} per jaar (negatief is beter).",
        )
    )
    if payback is None or payback > horizon:
        lines.append(
            _t(
                lang,
                f"Warning: the one-off cost is not paid back within the write-off horizon of {_years(horizon, lang)} "
                "years; the advice rests on the valuations, not on cash.",
                f"Let op: de eenmalige kosten zijn niet terugverdiend binnen de afschrijvingstermijn van "
                f"{_years(horizon, lang)} jaar; het advies steunt op de waarderingen, niet op geld.",
            )
        )
    warning = inconclusive_sentence(summary, lang)
    if warning:
        lines.append(warning)
    return lines


def _signed(value: float, lang: str) -> str:
    return ("+" if value > 0 else "") + euros(value, lang)


def _years(value: float, lang: str) -> str:
    text = f"{value:.1f}"
    return text.replace(".", ",") if lang == "nl" else text


def stays_out(result: Result) -> list[str]:
    """The municipalities that pool nothing in the answer, by name."""
    table = result.municipalities()
    return [str(n) for n in table.loc[table["pooled_domains"] == 0, "name"]]


def summary_sheet(result: Result, lang: str = "en") -> Sheet:
    """The status quo against the answer, in the figures a board weighs, under the answer in words."""
    summary = result.summary(lang)
    before, after, change = summary.before, summary.after, summary.change
    assert after is not None and change is not None, "the workbook is written for an answer"
    flow = result.cash_flow()
    assert flow is not None
    eur_year, eur_once = _t(lang, "EUR/year", "EUR/jaar"), _t(lang, "EUR one-off", "EUR eenmalig")
    rows: list[tuple[str, str, Any, Any, Any, str]] = [
        (
            _t(lang, "Annual cash cost, if every pool works", "Jaarlijkse kosten in geld, als elke pool werkt"),
            eur_year,
            before.annual_cost_eur,
            after.annual_cost_eur,
            change.annual_cost_eur,
            EUR,
        )
    ]
    if summary.risky:
        rows.append(
            (
                _t(
                    lang,
                    "Annual cash cost, expected with the risk",
                    "Jaarlijkse kosten in geld, verwacht met het risico",
                ),
                eur_year,
                before.expected_annual_cost_eur,
                after.expected_annual_cost_eur,
                change.expected_annual_cost_eur,
                EUR,
            )
        )
    rate = f"{100 * flow.discount_rate:g} %"
    rows += [
        (
            _t(lang, "Weighted objective", "Gewogen doelfunctie"),
            _t(lang, "EUR-equivalent/year", "EUR-equivalent/jaar"),
            before.objective,
            after.objective,
            change.objective,
            EUR,
        ),
        (
            _t(lang, "One-off transition cost", "Eenmalige transitiekosten"),
            eur_once,
            before.transition_one_off_eur,
            after.transition_one_off_eur,
            change.transition_one_off_eur,
            EUR,
        ),
        (
            _t(
                lang,
                "Running cost (transition not written off)",
                "Lopende kosten (zonder afschrijving)",
            ),
            eur_year,
            None,
            None,
            -flow.yearly,
            EUR,
        ),
        (
            _t(lang, "Payback of the one-off cost", "Terugverdientijd van de eenmalige kosten"),
            _t(lang, "years", "jaar"),
            None,
            summary.payback_years,
            None,
            YEARS,
        ),
        (
            _t(
                lang,
                f"Present value of the change in cost over {flow.years} years at {rate}",
                f"Contante waarde van de verandering in kosten over {flow.years} jaar tegen {rate}",
            ),
            "EUR",
            None,
            None,
            -flow.net_present_value or 0.0,
            EUR,
        ),
        (
            _t(lang, "Quality", "Kwaliteit"),
            "0-100",
            before.quality_index,
            after.quality_index,
            change.quality_index,
            "0.0",
        ),
        (
            _t(lang, "Days without staff", "Dagen zonder bezetting"),
            _t(lang, "days/year", "dagen/jaar"),
            before.uncovered_days,
            after.uncovered_days,
            change.uncovered_days,
            "#,##0.0",
        ),
        (_t(lang, "Pools", "Pools"), "", before.pools, after.pools, change.pools, COUNT),
        (
            _t(lang, "New arrangements", "Nieuwe regelingen"),
            "",
            before.new_arrangements,
            after.new_arrangements,
            change.new_arrangements,
            COUNT,
        ),
    ]
    columns = [
        _t(lang, "Figure", "Kengetal"),
        _t(lang, "Unit", "Eenheid"),
        _t(lang, "Status quo", "Huidige situatie"),
        _t(lang, "Answer", "Advies"),
        _t(lang, "Change", "Verandering"),
    ]
    frame = pd.DataFrame([row[:5] for row in rows], columns=columns)
    lead = (
        (_t(lang, "Answer", "Advies"), headline(result, lang), None),
        ("Scenario", summary.scenario, None),
        (_t(lang, "Solver", "Solver"), _status(summary.status, summary.status_text, lang), None),
        (_t(lang, "Signs", "Tekens"), sign_rule(lang), None),
    )
    return Sheet(_t(lang, "Summary", "Samenvatting"), frame, lead=lead, row_formats=tuple(row[5] for row in rows))


def _status(status: str, text: str, lang: str) -> str:
    """'optimal', or 'feasible (time limit reached, gap 0.4 %)': the solver's words where they add something."""
    return name(str(status), lang) + ("" if text == str(status) else f" ({text})")


def cash_flow_sheet(result: Result, lang: str = "en") -> Sheet:
    """The answer's cash against the status quo, year 0 to the horizon, and the present value of the change in cost."""
    flow = result.cash_flow()
    assert flow is not None, "the workbook is written for an answer"
    eur = "EUR"  # the same word in both languages
    columns = [
        _t(lang, "Year", "Jaar"),
        _t(lang, f"One-off transition [{eur}]", f"Eenmalige transitie [{eur}]"),
        _t(lang, f"Change in running cost [{eur}]", f"Verandering lopende kosten [{eur}]"),
        _t(lang, f"Change in cost [{eur}]", f"Verandering in kosten [{eur}]"),
        _t(lang, f"Cumulative [{eur}]", f"Cumulatief [{eur}]"),
        _t(lang, "Discount factor", "Disconteringsfactor"),
        _t(lang, f"Present value [{eur}]", f"Contante waarde [{eur}]"),
        _t(lang, f"Cumulative present value [{eur}]", f"Cumulatieve contante waarde [{eur}]"),
    ]
    rows = []
    total = present = 0.0
    # the flows are what the region keeps; shown as changes in cost, the sign of every other output
    for year, kept in enumerate(flow.flows):
        change = -kept or 0.0  # never a negative zero in a cell
        total += change
        value = change * flow.factor(year)
        present += value
        one_off, running = (flow.one_off, 0.0) if year == 0 else (0.0, -flow.yearly or 0.0)
        rows.append([year, one_off, running, change, total, flow.factor(year), value, present])
    default = schema.ECONOMICS["discount_rate"].default
    assert default is not None
    source = (
        cited(default.source, lang)
        if flow.discount_rate == default.value
        else _t(lang, "the scenario's own figure (economics.discount_rate)", "het eigen kengetal van het scenario")
    )
    lead = (
        (
            _t(
                lang,
                "Present value of the change in cost [EUR] (negative: the region gains)",
                "Contante waarde van de verandering in kosten [EUR] (negatief: de regio wint)",
            ),
            -flow.net_present_value or 0.0,
            EUR,
        ),
        (_t(lang, "Discount rate (real, a year)", "Discontovoet (reëel, per jaar)"), flow.discount_rate, "0.00%"),
        (_t(lang, "Source of the rate", "Bron van de discontovoet"), source, None),
        (_t(lang, "Write-off horizon [years]", "Afschrijvingstermijn [jaar]"), flow.horizon_years, None),
        (
            _t(lang, "What the years hold", "Wat de jaren bevatten"),
            _t(
                lang,
                "year 0 pays the one-off transition; every year after changes the running cost by the answer's "
                "minus the status quo's, if every pool works (transition not written off)",
                "jaar 0 betaalt de eenmalige transitie; elk jaar daarna veranderen de lopende kosten met die van "
                "het advies min die van de huidige situatie, als elke pool werkt (transitie niet afgeschreven)",
            ),
            None,
        ),
        (
            _t(lang, "Signs", "Tekens"),
            sign_rule(lang),
            None,
        ),
    )
    return Sheet(
        _t(lang, "Cash flow", "Kasstroom"),
        pd.DataFrame(rows, columns=columns),
        lead=lead,
        column_formats=((columns[0], COUNT), (columns[5], "0.0000")),
    )


def pools_sheet(pools: pd.DataFrame, lang: str = "en") -> Sheet:
    """The pools table (with its runner-ups when explained) by name: domains and structures in words,
    the hosts' and members' codes beside their names for scripts."""
    headers = {
        "domain": _t(lang, "Domain", "Taakveld"),
        "structure": _t(lang, "Structure", "Vorm"),
        "host": _t(lang, "Host", "Gastgemeente"),
        "host_code": _t(lang, "Host code", "Code gastheergemeente"),
        "members": _t(lang, "Members", "Deelnemers"),
        "member_codes": _t(lang, "Member codes", "Codes deelnemers"),
        "n_members": _t(lang, "Members (number)", "Deelnemers (aantal)"),
        "staff_fte": _t(lang, "Staff [FTE]", "Personeel [fte]"),
        "annual_cost_eur": _t(lang, "Annual cost [EUR/year]", "Jaarlijkse kosten [EUR/jaar]"),
        "transition_one_off_eur": _t(lang, "One-off transition [EUR one-off]", "Eenmalige transitie [EUR eenmalig]"),
        "alt_host_instead": _t(lang, "Best other host", "Beste andere gastheergemeente"),
        "alt_host_margin_eur": _t(
            lang, "Other host: margin, weighted [EUR/year]", "Andere gastheergemeente: marge, gewogen [EUR/jaar]"
        ),
        "alt_host_cash_margin_eur": _t(
            lang, "Other host: margin in cash [EUR/year]", "Andere gastheergemeente: marge in geld [EUR/jaar]"
        ),
        "alt_structure_instead": _t(lang, "Best other structure", "Beste andere vorm"),
        "alt_structure_margin_eur": _t(
            lang, "Other structure: margin, weighted [EUR/year]", "Andere vorm: marge, gewogen [EUR/jaar]"
        ),
        "alt_structure_cash_margin_eur": _t(
            lang, "Other structure: margin in cash [EUR/year]", "Andere vorm: marge in geld [EUR/jaar]"
        ),
    }
    shown = pools.assign(
        domain=[name(d, lang) for d in pools["domain"]],
        structure=[name(s, lang) for s in pools["structure"]],
    )
    order = [c for c in headers if c in shown.columns]
    return Sheet("Pools", shown[order].rename(columns=headers))


def municipalities_sheet(table: pd.DataFrame, lang: str = "en") -> Sheet:
    """Every municipality before and after by name (its code beside it), quality on 0-100."""
    eur_year = _t(lang, "EUR/year", "EUR/jaar")
    headers = {
        "name": _t(lang, "Municipality", "Gemeente"),
        "code": "Code",
        "population": _t(lang, "Inhabitants", "Inwoners"),
        "population_estimated": _t(lang, "Inhabitants estimated", "Inwoners geschat"),
        "cost_before_eur": _t(lang, f"Annual cost, status quo [{eur_year}]", f"Jaarlijkse kosten, huidig [{eur_year}]"),
        "cost_after_eur": _t(lang, f"Annual cost, answer [{eur_year}]", f"Jaarlijkse kosten, advies [{eur_year}]"),
        "cost_change_eur": _t(
            lang, f"Change in annual cost [{eur_year}]", f"Verandering jaarlijkse kosten [{eur_year}]"
        ),
        "quality_before": _t(lang, "Quality, status quo [0-100]", "Kwaliteit, huidig [0-100]"),
        "quality_after": _t(lang, "Quality, answer [0-100]", "Kwaliteit, advies [0-100]"),
        "uncovered_days_before": _t(
            lang, "Days without staff, status quo [days/year]", "Dagen zonder bezetting, huidig [dagen/jaar]"
        ),
        "uncovered_days_after": _t(
            lang, "Days without staff, answer [days/year]", "Dagen zonder bezetting, advies [dagen/jaar]"
        ),
        "pooled_domains": _t(lang, "Pooled domains", "Gedeelde taakvelden"),
        "transition_one_off_eur": _t(lang, "One-off transition [EUR one-off]", "Eenmalige transitie [EUR eenmalig]"),
    }
    for part in PARTS:
        headers[f"{part}_change_eur"] = _t(
            lang, f"Change: {name(part, lang)} [{eur_year}]", f"Verandering: {name(part, lang)} [{eur_year}]"
        )
    shown = table
    return Sheet(
        _t(lang, "Municipalities", "Gemeenten"),
        shown[[c for c in headers if c in shown.columns]].rename(columns=headers),
        column_formats=((headers["population"], "#,##0"),),
    )


def flips_sheet(explanation: Explanation, namer: Namer, domains_in_play: int, lang: str = "en") -> Sheet:
    """Each figure that flips the advice within its range: the value used and the flip point as
    numbers (three significant digits, as far as the search is sure), a note where it is not proven."""
    columns = [
        _t(lang, "Assumption", "Aanname"),
        _t(lang, "Value used", "Gebruikte waarde"),
        _t(lang, "Flips at", "Kantelt bij"),
        _t(lang, "Note", "Opmerking"),
        _t(lang, "To what (what changes)", "Naar (wat verandert)"),
    ]
    rows = []
    for flip in explanation.flips:
        if flip.at is None:
            continue
        note = "" if flip.proven else _t(lang, "or sooner (not proven)", "of eerder (niet bewezen)")
        to = groups_text(flip.to, namer, domains_in_play, lang)
        rows.append([figure_label(flip.figure, lang), flip.figure.used, _significant(flip.at), note, to])
    return Sheet(_t(lang, "Flips", "Kantelpunten"), pd.DataFrame(rows, columns=columns))


def _significant(value: float) -> float:
    """Three significant digits: a flip point is found to about that precision."""
    if value == 0 or not math.isfinite(value):
        return value
    return round(value, 2 - math.floor(math.log10(abs(value))))


def solve_sheets(
    result: Result, pools: pd.DataFrame, explanation: Explanation | None = None, lang: str = "en"
) -> list[Sheet]:
    """The workbook of `seta solve`: the summary first, the cash flow, then the tables by name."""
    sheets = [
        summary_sheet(result, lang),
        cash_flow_sheet(result, lang),
        pools_sheet(pools, lang),
        municipalities_sheet(result.municipalities(), lang),
    ]
    if explanation is not None:
        sheets.append(flips_sheet(explanation, result.name_of, len(result.instance.domains), lang))
    return sheets
