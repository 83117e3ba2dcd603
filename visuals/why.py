"""Why this answer, in words and tables: cash and valuations apart, runner-ups with their margins,
near ties, and the figures that would flip the advice. English or Dutch (`lang`).

The terminal (`cli.render`) and the report (`cli.studies`) both read these tables, so they say the
same thing. Nothing here touches the solver model.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import pandas as pd

from inputs import defaults
from inputs.labels import figure, figure_words, name
from optimizer.alternatives import Alternative
from optimizer.explain import CashAlone, Choice, Explanation, Figure, Flip, Group, RunnerUp, groups
from optimizer.instance import IN_HOUSE
from optimizer.result import Result, Summary
from visuals.tables import euros, number, signed

#: code -> display name (a municipality or a provider)
Namer = Callable[[str], str]


def _t(lang: str, en: str, nl: str) -> str:
    return nl if lang == "nl" else en


def significant(value: float, lang: str = "en") -> str:
    """A figure to three significant digits, as a reader writes it (0.0154, 6.18, 66,000)."""
    if value == 0 or not math.isfinite(value):
        return number(value, 0, lang)
    digits = 3 - 1 - math.floor(math.log10(abs(value)))
    rounded = round(value, digits)
    return number(rounded, max(0, digits), lang)


# -- cash and valuations -----------------------------------------------------------------------------


def split_table(summary: Summary, lang: str = "en") -> pd.DataFrame:
    """Each criterion's change against the status quo, unweighted and weighted; cash first."""
    split = summary.cash_and_valuations
    columns = [
        _t(lang, "Criterion", "Criterium"),
        _t(lang, "Change (EUR/year)", "Verandering (EUR/jaar)"),
        _t(lang, "Weight", "Gewicht"),
        _t(lang, "Weighted change", "Gewogen verandering"),
    ]
    if split is None:
        return pd.DataFrame(columns=columns)
    rows = []
    for line in split.criteria:
        label = name(line.criterion, lang)
        if line.criterion == "cost":
            label = _t(lang, "cost: cash", "kosten: geld")
        rows.append(
            [label, signed(line.change, lang), number(line.weight, 2, lang), signed(line.weighted_change, lang)]
        )
    rows.append([_t(lang, "weighted objective", "gewogen doelfunctie"), "", "", signed(split.weighted_change, lang)])
    return pd.DataFrame(rows, columns=columns)


def split_sentence(summary: Summary, lang: str = "en") -> str:
    """How much of the answer is money: the cash line next to the weighted one."""
    split = summary.cash_and_valuations
    if split is None:
        return ""
    cash = split.cash_change_eur
    if lang == "nl":
        money = (
            f"In geld bespaart de regio {euros(-cash, lang)} per jaar"
            if cash <= 0
            else f"In geld betaalt de regio {euros(cash, lang)} per jaar meer"
        )
        return (
            f"{money}; de gewichten voegen {signed(split.valuations_change, lang)} aan waarderingen toe "
            f"(kwaliteit, kwetsbaarheid, bestuurbaarheid, autonomie), samen {signed(split.weighted_change, lang)} "
            "op de gewogen doelfunctie."
        )
    money = (
        f"In cash the region saves {euros(-cash, lang)} a year"
        if cash <= 0
        else f"In cash the region pays {euros(cash, lang)} a year more"
    )
    return (
        f"{money}; the weights add {signed(split.valuations_change, lang)} of valuations (quality, "
        f"vulnerability, manageability, autonomy), {signed(split.weighted_change, lang)} on the weighted "
        "objective in all."
    )


def cash_headline(result: Result, explanation: Explanation, lang: str = "en") -> str:
    """'In cash alone the best is X (EUR a a year); with the valuations it is Y, EUR b a year more in
    cash for <what the valuations buy>.' Or that the two agree."""
    alone = explanation.cash_alone
    if alone is None:
        return ""
    namer, domains = result.name_of, len(result.instance.domains)
    chosen = [s for s, p in (result.configuration or {}).items() if p.structure != IN_HOUSE]
    mine = groups_text(groups(result.instance, result.configuration or {}, chosen), namer, domains, lang)
    theirs = (
        groups_text(alone.pools, namer, domains, lang)
        if alone.pools
        else _t(lang, "nobody pools", "niemand werkt samen")
    )
    mine = mine if chosen else _t(lang, "nobody pools", "niemand werkt samen")
    cash = signed(alone.cash_change_eur, lang)
    if alone.same:
        return _t(
            lang,
            f"Cash alone and the valuations agree: {mine} ({cash} a year in cash, expected with the risk).",
            f"Geld alleen en de waarderingen zijn het eens: {mine} ({cash} per jaar in geld, verwacht met het risico).",
        )
    bought = _bought(alone, lang)
    extra = alone.extra_cash_eur
    if lang == "nl":
        more = f"{euros(extra, lang)} per jaar meer in geld" if extra >= 0 else f"{euros(-extra, lang)} per jaar minder"
        return (
            f"Op geld alleen is het beste: {theirs} ({cash} per jaar); met de waarderingen is het {mine}, {more} "
            f"voor {bought}."
        )
    more = f"{euros(extra, lang)} a year more in cash" if extra >= 0 else f"{euros(-extra, lang)} a year less in cash"
    return f"In cash alone the best is {theirs} ({cash} a year); with the valuations it is {mine}, {more} for {bought}."


def _bought(alone: CashAlone, lang: str) -> str:
    """What the recommendation buys beyond the cash-alone best, in the units a council reads."""
    parts = []
    if abs(alone.quality_index) >= 0.5:
        points = number(alone.quality_index, 0, lang)
        parts.append(
            _t(
                lang,
                f"quality {'+' if alone.quality_index > 0 else ''}{points} points",
                f"kwaliteit {'+' if alone.quality_index > 0 else ''}{points} punten",
            )
        )
    if abs(alone.uncovered_days) >= 1:
        days = number(abs(alone.uncovered_days), 0, lang)
        parts.append(
            _t(lang, f"{days} fewer days without staff", f"{days} dagen minder zonder bezetting")
            if alone.uncovered_days < 0
            else _t(lang, f"{days} more days without staff", f"{days} dagen meer zonder bezetting")
        )
    autonomy = alone.valuations.get("autonomy", 0.0)
    if abs(autonomy) >= 500:
        parts.append(
            _t(
                lang,
                f"{euros(autonomy, lang)} of control given up",
                f"{euros(autonomy, lang)} aan zeggenschap ingeleverd",
            )
            if autonomy > 0
            else _t(
                lang, f"{euros(-autonomy, lang)} of control kept", f"{euros(-autonomy, lang)} aan zeggenschap behouden"
            )
        )
    coordination = alone.valuations.get("manageability", 0.0)
    if abs(coordination) >= 500:
        parts.append(
            _t(lang, f"{euros(coordination, lang)} more coordination", f"{euros(coordination, lang)} meer afstemming")
            if coordination > 0
            else _t(
                lang,
                f"{euros(-coordination, lang)} less coordination",
                f"{euros(-coordination, lang)} minder afstemming",
            )
        )
    total = -sum(alone.valuations.values())
    parts.append(
        _t(
            lang,
            f"{euros(total, lang)} a year of valuations in all",
            f"samen {euros(total, lang)} per jaar aan waarderingen",
        )
    )
    return ", ".join(parts)


def valuation_lines(result: Result, lang: str = "en") -> list[str]:
    """What each valuation means here, in words and euros (docs/model.md, "Valuations a council can
    read"): for the smallest member and its largest service, at the scenario's weights."""
    instance = result.instance
    scenario = instance.scenario
    weights, economics = scenario.weights, scenario.economics
    code = min(instance.codes, key=lambda c: sum(instance.workload[c, d] for d in instance.domains))
    domain = max(instance.domains, key=lambda d: instance.service_value(code, d))
    town, what = result.name_of(code), name(domain, lang)
    value = instance.service_value(code, domain)
    weak = float(defaults.DIAGNOSIS_LEVELS["weak"].value)  # type: ignore[arg-type]
    adequate = float(defaults.DIAGNOSIS_LEVELS["adequate"].value)  # type: ignore[arg-type]
    quality = weights.quality * (adequate - weak) * value
    params = instance.domains[domain]
    day = weights.vulnerability * params.cover_premium * params.cost_per_fte * instance.workload[code, domain] / 365
    lines = [
        _t(
            lang,
            f"Quality: moving {what} in {town} from weak to adequate is worth {euros(quality, lang)} a year.",
            f"Kwaliteit: {what} in {town} van zwak naar voldoende brengen is {euros(quality, lang)} per jaar waard.",
        ),
        _t(
            lang,
            f"Vulnerability: a day that {what} in {town} stands empty costs {euros(day, lang)}.",
            f"Kwetsbaarheid: een dag dat {what} in {town} onbezet is kost {euros(day, lang)}.",
        ),
    ]
    for structure in instance.structures.values():
        if structure.autonomy_loss <= 0 or (structure.scope == "all" and structure.autonomy_loss >= 1):
            continue
        lost = weights.autonomy * structure.autonomy_loss * economics.autonomy_eur * instance.autonomy_factor(code)
        lines.append(
            _t(
                lang,
                f"Autonomy: {town} giving up control of {what} in a {name(structure.key, lang)} costs "
                f"{euros(lost, lang)} a year.",
                f"Autonomie: zeggenschap over {what} inleveren in een {name(structure.key, lang)} kost {town} "
                f"{euros(lost, lang)} per jaar.",
            )
        )
        break  # one structure says what the figure means; the others scale by their share
    for structure in instance.structures.values():
        if structure.failure_rate <= 0:
            continue
        share = instance.running_share(code, structure)
        chance = instance.failure_chance(code, structure)
        rate = number(100 * instance.failure_rate(code, structure), 1, lang)
        years = number(economics.horizon_years, 0, lang)
        lines.append(
            _t(
                lang,
                f"Risk, {name(structure.key, lang)}: {town}'s part stalls or is undone with a yearly chance of "
                f"{rate} %; it runs {number(100 * share, 0, lang)} % of the {years} years and is undone within them "
                f"with chance {number(100 * chance, 0, lang)} %.",
                f"Risico, {name(structure.key, lang)}: het deel van {town} loopt vast of wordt teruggedraaid met een "
                f"jaarlijkse kans van {rate} %; het loopt {number(100 * share, 0, lang)} % van de {years} jaar en "
                f"wordt daarbinnen met kans {number(100 * chance, 0, lang)} % teruggedraaid.",
            )
        )
    return lines


# -- runner-ups -------------------------------------------------------------------------------------


def group_text(group: Group, namer: Namer, domains_in_play: int, lang: str = "en") -> str:
    """'one civil service at Eersel (5 members): all 5 domains', 'in house (5): taxes'."""
    if len(group.domains) == domains_in_play and domains_in_play > 1:
        domains = _t(lang, f"all {domains_in_play} domains", f"alle {domains_in_play} taakvelden")
    else:
        domains = ", ".join(name(d, lang) for d in group.domains)
    count = len(group.members)
    if group.structure == IN_HOUSE or group.host is None:
        who = (
            ", ".join(namer(c) for c in group.members)
            if count <= 2
            else f"{count} " + _t(lang, "municipalities", "gemeenten")
        )
        return f"{name(IN_HOUSE, lang)} ({who}): {domains}"
    members = _t(lang, f"{count} members", f"{count} deelnemers")
    return f"{name(group.structure, lang)} {_t(lang, 'at', 'in')} {namer(group.host)} ({members}): {domains}"


#: beyond this many groups, a placement is summarised by structure
LISTED = 3


def groups_text(found: Sequence[Group], namer: Namer, domains_in_play: int, lang: str = "en") -> str:
    """A few groups in full; more as units counted by structure ('matrix x3, working group x2; 4
    services in house')."""
    if not found:
        return "-"
    if len(found) <= LISTED:
        return "; ".join(group_text(g, namer, domains_in_play, lang) for g in found)
    pools: dict[str, int] = {}
    in_house = 0
    for group in found:
        if group.structure == IN_HOUSE or group.host is None:
            in_house += len(group.members) * len(group.domains)
        else:
            pools[group.structure] = pools.get(group.structure, 0) + len(group.domains)
    parts = [", ".join(f"{name(structure, lang)} x{count}" for structure, count in pools.items())]
    if in_house:
        parts.append(_t(lang, f"{in_house} services in house", f"{in_house} taken in eigen huis"))
    return "; ".join(p for p in parts if p)


def choice_text(choice: Choice, namer: Namer, domains_in_play: int, lang: str = "en") -> str:
    group = Group(choice.structure, choice.host, choice.domains, choice.members)
    return group_text(group, namer, domains_in_play, lang)


def _margin(runner_up: RunnerUp, lang: str) -> tuple[str, str]:
    if runner_up.margin is None or runner_up.cash_margin is None:
        return "-", "-"
    return signed(runner_up.margin, lang), signed(runner_up.cash_margin, lang)


def _note(runner_up: RunnerUp, lang: str) -> str:
    notes = []
    if runner_up.margin is None:
        notes.append(
            _t(lang, "no other way within the rules", "geen andere mogelijkheid binnen de regels")
            if str(runner_up.status) == "infeasible"
            else _t(lang, "none found in the time given", "niets gevonden in de beschikbare tijd")
        )
    elif str(runner_up.status) != "optimal":
        floor = runner_up.margin_at_least
        at_least = (
            "" if floor is None else _t(lang, f", at least {euros(floor, lang)}", f", minstens {euros(floor, lang)}")
        )
        unproven = (
            _t(lang, "not proven best (time limit)", "niet bewezen de beste (tijdslimiet)")
            if runner_up.timed_out
            else _t(lang, "not proven best", "niet bewezen de beste")
        )
        notes.append(unproven + _t(lang, ": the margin may be smaller", ": de marge kan kleiner zijn") + at_least)
    if runner_up.near_tie:
        notes.append(_t(lang, "near tie", "bijna gelijk"))
    return "; ".join(notes)


def runner_up_table(explanation: Explanation, namer: Namer, domains_in_play: int, lang: str = "en") -> pd.DataFrame:
    """For each chosen pool: the best alternative host and structure, with their margins."""
    columns = [
        _t(lang, "Chosen pool", "Gekozen pool"),
        _t(lang, "Without its", "Zonder"),
        _t(lang, "Best alternative", "Beste alternatief"),
        _t(lang, "Margin, weighted (EUR/year)", "Marge, gewogen (EUR/jaar)"),
        _t(lang, "Margin, cash (EUR/year)", "Marge, geld (EUR/jaar)"),
        _t(lang, "Note", "Opmerking"),
    ]
    rows = []
    for runner_up in explanation.runner_ups:
        what = {"host": _t(lang, "host", "gastheergemeente"), "structure": _t(lang, "structure", "vorm")}[
            runner_up.forbidden
        ]
        instead = groups_text(runner_up.instead, namer, domains_in_play, lang)
        weighted, cash = _margin(runner_up, lang)
        rows.append(
            [
                choice_text(runner_up.choice, namer, domains_in_play, lang),
                what,
                instead,
                weighted,
                cash,
                _note(runner_up, lang),
            ]
        )
    return pd.DataFrame(rows, columns=columns)


def near_tie_lines(explanation: Explanation, namer: Namer, domains_in_play: int, lang: str = "en") -> list[str]:
    """One warning per runner-up within the tie threshold, with the margin in euros."""
    lines = []
    threshold = euros(explanation.tie_eur, lang)
    share = number(100 * explanation.tie_share, 1, lang)
    for runner_up in explanation.near_ties:
        assert runner_up.margin is not None
        chosen = choice_text(runner_up.choice, namer, domains_in_play, lang)
        instead = groups_text(runner_up.instead, namer, domains_in_play, lang)
        if lang == "nl":
            lines.append(
                f"Bijna gelijk: {chosen} wint van {instead} met {euros(runner_up.margin, lang)} per jaar "
                f"(gewogen), minder dan {threshold} ({share} % van de jaarlijkse kosten)."
            )
        else:
            lines.append(
                f"Near tie: {chosen} beats {instead} by {euros(runner_up.margin, lang)} a year (weighted), "
                f"less than {threshold} ({share} % of the annual cash cost)."
            )
    return lines


# -- flip points ------------------------------------------------------------------------------------


def figure_label(figure: Figure, lang: str = "en") -> str:
    """'weight of quality', 'cost-minimising scale: taxes', 'quality share: matrix'."""
    return figure_words(figure.key, lang)


def _flips_at(flip: Flip, lang: str) -> str:
    assert flip.at is not None
    value = significant(flip.at, lang)
    if flip.proven:
        return value
    sooner = _t(lang, "or sooner", "of eerder")
    return f"{value} {sooner} ({_unproven(flip.timed_out, lang)})"


def _unproven(timed_out: bool, lang: str) -> str:
    if timed_out:
        return _t(lang, "not proven, time limit", "niet bewezen, tijdslimiet")
    return _t(lang, "not proven", "niet bewezen")


def flip_table(explanation: Explanation, namer: Namer, domains_in_play: int, lang: str = "en") -> pd.DataFrame:
    """'assumption, value used, flips at, to what' for every figure that flips within its range."""
    columns = [
        _t(lang, "Assumption", "Aanname"),
        _t(lang, "Value used", "Gebruikte waarde"),
        _t(lang, "Flips at", "Kantelt bij"),
        _t(lang, "To what (what changes)", "Naar (wat verandert)"),
    ]
    rows = []
    for flip in explanation.flips:
        if flip.at is None:
            continue
        to = groups_text(flip.to, namer, domains_in_play, lang)
        rows.append([figure_label(flip.figure, lang), significant(flip.figure.used, lang), _flips_at(flip, lang), to])
    return pd.DataFrame(rows, columns=columns)


def flip_records(explanation: Explanation, namer: Namer, domains_in_play: int) -> pd.DataFrame:
    """The flip points as scripts read them (flips.csv): the figure's key, the direction searched, the
    value used and the point as numbers, whether it is proven, and what the advice becomes."""
    rows = [
        {
            "figure": flip.figure.key,
            "direction": flip.direction,
            "value_used": flip.figure.used,
            "flips_at": flip.at,
            "proven": flip.proven,
            "to": groups_text(flip.to, namer, domains_in_play, "en"),
        }
        for flip in explanation.flips
        if flip.at is not None
    ]
    return pd.DataFrame(rows, columns=["figure", "direction", "value_used", "flips_at", "proven", "to"])


def steady_text(explanation: Explanation, lang: str = "en") -> str:
    """The figures that do not change the advice anywhere in their searched range."""
    by_figure: dict[str, list[Flip]] = {}
    for flip in explanation.flips:
        by_figure.setdefault(flip.figure.key, []).append(flip)
    parts = []
    for flips in by_figure.values():
        if any(f.at is not None for f in flips):
            continue
        figure = flips[0].figure
        ends = sorted([figure.used, *(f.searched_to for f in flips)])
        unsettled = any(not f.proven for f in flips)
        span = f"{significant(ends[0], lang)}-{significant(ends[-1], lang)}"
        note = ", " + _unproven(any(f.timed_out for f in flips), lang) if unsettled else ""
        parts.append(f"{figure_label(figure, lang)} ({span}{note})")
    if not parts:
        return ""
    lead = _t(lang, "No change anywhere in the range searched: ", "Geen verandering binnen het onderzochte bereik: ")
    return lead + "; ".join(parts) + "."


def clock_text(explanation: Explanation, lang: str = "en") -> str:
    """The parts the wall-clock time limit cut short, named: the one thing in an explanation that may
    read otherwise on a faster or less busy machine (everything else is bounded by work)."""
    if not explanation.timed_out:
        return ""
    limit = figure(explanation.time_limit or 0.0, lang)
    parts = "; ".join(explanation.timed_out)
    return _t(
        lang,
        f"Cut short by the {limit} s time limit, not by their limit on work, so these may read otherwise on a "
        f"faster or less busy machine: {parts}. A higher --time-limit settles them.",
        f"Afgebroken door de tijdslimiet van {limit} s, niet door hun limiet op werk, dus deze kunnen op een "
        f"snellere of minder drukke machine anders uitvallen: {parts}. Een hogere --time-limit beslist ze.",
    )


# -- near-optimal alternatives -------------------------------------------------------------------------


def pools_text(result: Result, lang: str = "en") -> str:
    """A configuration's pools in one cell: 'one civil service at Bladel (5): all 5 domains; ...'."""
    merged = result.merged_pools()
    if merged.empty:
        return _t(lang, "every service in house", "alle taken in eigen huis")
    domains_in_play = len(result.instance.domains)
    lines = []
    for record in merged.to_dict("records"):
        domains = (
            _t(lang, f"all {domains_in_play} domains", f"alle {domains_in_play} taakvelden")
            if record["all_domains"]
            else ", ".join(name(d, lang) for d in str(record["domains"]).split())
        )
        lines.append(
            f"{name(str(record['structure']), lang)} {_t(lang, 'at', 'in')} {record['host']} "
            f"({record['n_members']}): {domains}"
        )
    return "; ".join(lines)


def alternatives_table(best: Result, found: Sequence[Alternative], lang: str = "en") -> pd.DataFrame:
    """The optimum and its alternatives side by side, one column each."""
    columns = [_t(lang, "Optimum", "Optimum")] + [
        _t(lang, f"Alternative {n}", f"Alternatief {n}") for n in range(1, len(found) + 1)
    ]
    results = [best, *(a.result for a in found)]
    assert best.chosen is not None
    best_objective, best_cash = best.chosen.objective, best.chosen.criteria["cost"]
    rows: dict[str, list[str]] = {
        _t(lang, "Pools", "Pools"): [pools_text(r, lang) for r in results],
        _t(lang, "Weighted objective", "Gewogen doelfunctie"): [],
        _t(lang, "Against the optimum", "Ten opzichte van het optimum"): [],
        _t(lang, "Annual cost (cash)", "Jaarlijkse kosten (geld)"): [],
        _t(lang, "Cash against the optimum", "Geld ten opzichte van het optimum"): [],
        _t(lang, "Quality (0-100)", "Kwaliteit (0-100)"): [],
        _t(lang, "Days without staff", "Dagen zonder bezetting"): [],
        _t(lang, "Services placed differently from the optimum", "Taken anders belegd dan in het optimum"): [],
        _t(lang, "... from the nearest found before", "... dan in het dichtstbijzijnde eerder gevonden"): [],
        _t(lang, "Status", "Status"): [],
    }
    values = list(rows.values())
    for index, result in enumerate(results):
        assert result.chosen is not None
        totals = result.totals(result.chosen)
        objective, cash = result.chosen.objective, result.chosen.criteria["cost"]
        share = 100 * (objective - best_objective) / abs(best_objective) if best_objective else 0.0
        values[1].append(euros(objective, lang))
        values[2].append(
            "-" if index == 0 else f"{signed(objective - best_objective, lang)} ({number(share, 2, lang)} %)"
        )
        values[3].append(euros(cash, lang))
        values[4].append("-" if index == 0 else signed(cash - best_cash, lang))
        values[5].append(number(totals.quality_index, 0, lang))
        values[6].append(number(totals.uncovered_days, 1, lang))
        values[7].append("-" if index == 0 else str(found[index - 1].from_optimum))
        values[8].append("-" if index == 0 else str(found[index - 1].from_nearest))
        values[9].append(name(str(result.report.status), lang))
    frame = pd.DataFrame(list(rows.values()), columns=columns)
    frame.insert(0, "", list(rows))
    return frame
