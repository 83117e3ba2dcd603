"""A pathway drawn for people: the year-by-year table, the comparison, and the two charts.

    years_table(pathway, lang)       one row a year: what starts, joins, leaves or ends; the cash
    comparison_table(pathway, lang)  the big bang, the pathway and staying as we are, side by side
    gantt(pathway, lang)             pools as bars over the years, by domain
    cash_chart(pathway, lang)        cash a year and cumulative, with the break-even year

Money is a change against staying as we are, after minus before (`inputs.labels.sign_rule`): a
negative amount is less cost, and every header and title of money says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import pandas as pd

from inputs.labels import figure_words, name, sign_rule
from optimizer.pathway import Pathway, Plan, Pool
from optimizer.pathway_explain import Delay, DelayTask, FlipTask, OrderFlip, PathwayExplanation
from visuals.tables import euros
from visuals.workbook import Sheet

if TYPE_CHECKING:
    import altair as alt
else:
    from visuals.lazy import altair as alt

#: the words of the pathway's tables and charts, (English, Dutch); money is a change against staying
#: as we are, after minus before (`inputs.labels.sign_rule`), and every header of money says so
WORDS: dict[str, tuple[str, str]] = {
    "year": ("Year", "Jaar"),
    "starts": ("Starts", "Start"),
    "joins": ("Joins", "Sluit aan"),
    "leaves": ("Leaves or ends", "Verlaat of stopt"),
    "changes": ("Changes (municipalities joining or leaving)", "Wijzigingen (gemeenten die toetreden of uittreden)"),
    "one_off_eur": ("One-off cost [EUR]", "Eenmalige kosten [EUR]"),
    "exit_eur": ("Exit payments [EUR]", "Uittreedsommen [EUR]"),
    "running_change_eur": (
        "Change in running cost [EUR] (negative: saving)",
        "Verandering lopende kosten [EUR] (negatief: besparing)",
    ),
    "cost_change_eur": (
        "Change in cost that year [EUR] (negative: saving)",
        "Verandering in kosten dat jaar [EUR] (negatief: besparing)",
    ),
    "cumulative_change_eur": (
        "Change in cost, cumulative [EUR] (negative: saving)",
        "Verandering in kosten, opgeteld [EUR] (negatief: besparing)",
    ),
    "option": ("Option", "Optie"),
    "big_bang": ("the big bang (everything in year 1)", "de big bang (alles in jaar 1)"),
    "pathway": ("the pathway", "het groeipad"),
    "stay": ("stay as we are", "blijven zoals we zijn"),
    "npv_change_eur": (
        "Present value of the change in cost [EUR] (negative: the region gains)",
        "Contante waarde van de verandering in kosten [EUR] (negatief: de regio wint)",
    ),
    "npv_weighted_change_eur": (
        "Present value of the change in weighted cost [EUR] (negative: the region gains)",
        "Contante waarde van de verandering in gewogen kosten [EUR] (negatief: de regio wint)",
    ),
    "break_even_year": ("Break-even year", "Terugverdienjaar"),
    "within_caps": ("Within the change caps", "Binnen de wijzigingslimieten"),
    "never": ("never", "nooit"),
    "yes": ("yes", "ja"),
    "no": ("no", "nee"),
    "outside_caps": ("breaks the change caps", "overschrijdt de wijzigingslimieten"),
    "domain": ("Domain", "Taakveld"),
    "pool": ("Pool", "Pool"),
    "from": ("From year", "Vanaf jaar"),
    "to": ("To year", "Tot en met jaar"),
    "learned": ("learnt", "geleerd"),
    "at": ("at", "bij"),
    "nothing": ("-", "-"),
    "optimum": ("the optimum", "het optimum"),
    "free_end": ("a free end state", "een vrij eindbeeld"),
    "end_state": ("the end state", "het eindbeeld"),
    "gantt_title": ("Pools over the years, by domain", "Pools door de jaren, per taakveld"),
    "cash_axis": (
        "Change in cost [EUR], that year (bars) and cumulative (line) (negative: saving)",
        "Verandering in kosten [EUR], dat jaar (staven) en opgeteld (lijn) (negatief: besparing)",
    ),
    "cash_title": (
        "Change in cost against staying as we are, each year and cumulative (negative: saving)",
        "Verandering in kosten ten opzichte van blijven, per jaar en opgeteld (negatief: besparing)",
    ),
    "years_title": ("Year by year, against staying as we are", "Jaar na jaar, ten opzichte van blijven zoals we zijn"),
    "comparison_title": (
        "The pathway beside the big bang and staying as we are",
        "Het groeipad naast de big bang en blijven zoals we zijn",
    ),
    "headline_title": ("What the plan does", "Wat het plan doet"),
    "flow": ("Flow", "Stroom"),
    "yearly": ("that year", "dat jaar"),
    "cumulative": ("cumulative", "opgeteld"),
    "sheet_years": ("pathway", "groeipad"),
    "sheet_comparison": ("comparison", "vergelijking"),
}

#: the columns of the year table as people read it (CSV and JSON keep the keys)
YEAR_COLUMNS = (
    "year",
    "starts",
    "joins",
    "leaves",
    "changes",
    "one_off_eur",
    "exit_eur",
    "cost_change_eur",
    "cumulative_change_eur",
)
#: the year table's amounts, in the order a table for people shows them
MONEY_COLUMNS = ("one_off_eur", "exit_eur", "cost_change_eur", "cumulative_change_eur")
COMPARISON_COLUMNS = ("option", "npv_change_eur", "npv_weighted_change_eur", "break_even_year", "within_caps")


def percent(share: float, lang: str = "en") -> str:
    """0.0225 -> '2.25 %' (Dutch '2,25 %')."""
    text = f"{share * 100:.4g}"
    return f"{text.replace('.', ',') if lang == 'nl' else text} %"


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
    """One record a year: its changes in words and its money (numbers, not text), each amount a change
    against staying as we are (negative: less cost)."""
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
                "one_off_eur": year.one_off,
                "exit_eur": year.exit,
                "running_change_eur": year.running_cash,
                "cost_change_eur": year.cash,
                "cumulative_change_eur": total,
            }
        )
    return rows


def years_frame(pathway: Pathway, lang: str = "en") -> pd.DataFrame:
    """The plan's years with the keys as columns (CSV and JSON keep the keys)."""
    assert pathway.plan is not None
    return pd.DataFrame(year_rows(pathway, pathway.plan, lang))


def comparison_rows(pathway: Pathway) -> list[dict[str, Any]]:
    """The big bang, the pathway and staying as we are: present values of the change in cost against
    staying as we are (negative: the region gains) and the break-even year, by key."""
    options: list[tuple[str, Plan | None]] = [("big_bang", pathway.big_bang), ("pathway", pathway.plan)]
    options.append(("stay", pathway.stay))
    rows = []
    for key, plan in options:
        if plan is None:
            continue
        rows.append(
            {
                "option": key,
                "npv_change_eur": plan.npv_cash,
                "npv_weighted_change_eur": plan.npv_weighted,
                "break_even_year": plan.break_even_year,
                "within_caps": not (key == "big_bang" and pathway.big_bang_breaks),
            }
        )
    return rows


def comparison_frame(pathway: Pathway) -> pd.DataFrame:
    return pd.DataFrame(comparison_rows(pathway), columns=list(COMPARISON_COLUMNS))


def comparison_text_rows(pathway: Pathway, lang: str = "en") -> list[list[str]]:
    rows = []
    for row in comparison_rows(pathway):
        label = word(row["option"], lang)
        if not row["within_caps"]:
            label += f" ({word('outside_caps', lang)})"
        even = row["break_even_year"]
        rows.append(
            [
                label,
                euros(row["npv_change_eur"], lang),
                euros(row["npv_weighted_change_eur"], lang),
                word("never", lang) if even is None else str(even),
            ]
        )
    return rows


def convention_words(lang: str = "en") -> str:
    """How the pathway counts its present value, which is not how `seta solve`'s Cash flow sheet does
    (year 0 undiscounted, running cost if every pool works): said wherever a present value is."""
    return _t(
        lang,
        "year 1 undiscounted; expected with the risk of failure; first year at the ramp-up share",
        "jaar 1 onverdisconteerd; verwacht met het risico van mislukken; eerste jaar tegen het aanloopaandeel",
    )


def comparison_caption(pathway: Pathway, lang: str = "en") -> str:
    """What the comparison's present values are: over how many years, at what rate, and their sign."""
    settings = pathway.settings
    rate = percent(settings.discount_rate, lang)
    if lang == "nl":
        return (
            f"Contante waarde over {settings.years} jaar tegen {rate} disconto ({convention_words(lang)}), ten "
            f"opzichte van blijven zoals we zijn; terugverdienjaar in geld, onverdisconteerd; {sign_rule(lang)}"
        )
    return (
        f"Present value over {settings.years} years at a discount rate of {rate} ({convention_words(lang)}), against "
        f"staying as we are; break-even in cash, undiscounted; {sign_rule(lang)}"
    )


def years_caption(lang: str = "en") -> str:
    return f"{word('years_title', lang)}; {sign_rule(lang)}"


def shown_years(pathway: Pathway, lang: str = "en") -> pd.DataFrame:
    """The year table with its headers in words (units and sign in each header of money)."""
    frame = years_frame(pathway, lang)[list(YEAR_COLUMNS)]
    return frame.rename(columns={key: word(key, lang) for key in YEAR_COLUMNS})


def shown_years_text(pathway: Pathway, lang: str = "en") -> pd.DataFrame:
    """The year table for the report: every amount in one format (as the terminal and the comparison
    show it), where the report's own would give 0.00 beside 1,607,407."""
    frame = years_frame(pathway, lang)[list(YEAR_COLUMNS)]
    for key in MONEY_COLUMNS:
        frame[key] = [euros(value, lang) for value in frame[key]]
    return frame.rename(columns={key: word(key, lang) for key in YEAR_COLUMNS})


def shown_comparison(pathway: Pathway, lang: str = "en") -> pd.DataFrame:
    return pd.DataFrame(comparison_text_rows(pathway, lang), columns=[word(k, lang) for k in COMPARISON_COLUMNS[:-1]])


def workbook_sheets(pathway: Pathway, lang: str = "en") -> list[Sheet]:
    """The workbook: the years and the comparison, headers in words, each under its sign rule."""
    frame = comparison_frame(pathway)
    frame["option"] = [word(key, lang) for key in frame["option"]]
    frame["within_caps"] = [word("yes" if kept else "no", lang) for kept in frame["within_caps"]]
    compared = frame.rename(columns={key: word(key, lang) for key in COMPARISON_COLUMNS})
    return [
        Sheet(word("sheet_years", lang), shown_years(pathway, lang), lead=((years_caption(lang), None, None),)),
        Sheet(word("sheet_comparison", lang), compared, lead=((comparison_caption(pathway, lang), None, None),)),
    ]


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
            tooltip=[
                alt.Tooltip("pool:N", title=word("pool", lang)),
                alt.Tooltip("from:Q", title=word("from", lang)),
                alt.Tooltip("to:Q", title=word("to", lang)),
            ],
        )
    )


def cash_frame(pathway: Pathway, lang: str = "en") -> pd.DataFrame:
    """The cash chart's data: each year's change in cost and the cumulative, as two flows."""
    frame = years_frame(pathway, lang)
    return pd.DataFrame(
        {
            "year": list(frame["year"]) * 2,
            "flow": [word("yearly", lang)] * len(frame) + [word("cumulative", lang)] * len(frame),
            "amount": list(frame["cost_change_eur"]) + list(frame["cumulative_change_eur"]),
        }
    )


def cash_chart(pathway: Pathway, lang: str = "en") -> alt.TopLevelMixin:
    """Change in cost a year as bars, cumulative as a line, the break-even year as a rule."""
    assert pathway.plan is not None
    frame = cash_frame(pathway, lang)
    amount = alt.Y("amount:Q", title=word("cash_axis", lang))
    year = alt.X("year:O", title=word("year", lang))
    bars = (
        alt.Chart(frame[frame["flow"] == word("yearly", lang)])
        .mark_bar(opacity=0.6)
        .encode(x=year, y=amount, color=alt.Color("flow:N", title=word("flow", lang)))
    )
    line = (
        alt.Chart(frame[frame["flow"] == word("cumulative", lang)])
        .mark_line(point=True, color="black")
        .encode(x=year, y=amount, detail="flow:N")
    )
    layers: list[Any] = [bars, line]
    even = pathway.plan.break_even_year
    if even is not None:
        mark = pd.DataFrame({"year": [even], "label": [f"{word('break_even_year', lang)}: {even}"]})
        layers.append(alt.Chart(mark).mark_rule(color="green", strokeDash=[4, 4]).encode(x="year:O"))
        layers.append(alt.Chart(mark).mark_text(dy=-8, color="green").encode(x="year:O", text="label:N"))
    return alt.layer(*layers, title=word("cash_title", lang))


def sections(pathway: Pathway, end_words: str, lang: str = "en") -> list[Any]:
    """The report's pathway section: the headline, the year-by-year table with the Gantt chart, then
    the cash chart with the comparison of the big bang, the pathway and staying as we are."""
    from visuals.report import Section

    assert pathway.plan is not None
    even = pathway.plan.break_even_year
    lead = [f"{word('break_even_year', lang)}: {word('never', lang) if even is None else even}"]
    return [
        Section(word("headline_title", lang), lead=headline_lines(pathway, end_words, lang), new_page=True),
        Section(
            word("pathway", lang).capitalize(),
            text=years_caption(lang),
            chart=gantt(pathway, lang),
            table=shown_years_text(pathway, lang),
            file="pathway-gantt",
        ),
        Section(
            word("cash_title", lang),
            text=comparison_caption(pathway, lang),
            chart=cash_chart(pathway, lang),
            table=shown_comparison(pathway, lang),
            lead=lead,
            file="pathway-cash",
        ),
    ]


# -- the headline: what a council reads first --------------------------------------------------------

#: the longest horizon the headline looks at to say when a plan that does not pay would pay
PAYING_SEARCH_YEARS = 50
#: a present value within this many EUR of staying as we are counts as the same
SAME_EUR = 1.0


def _t(lang: str, english: str, dutch: str) -> str:
    return dutch if lang == "nl" else english


def _signed(value: float, lang: str) -> str:
    return ("+" if value > 0 else "") + euros(value, lang)


def step_words(pathway: Pathway, plan: Plan, lang: str = "en") -> list[str]:
    """Each year's changes in words, by name: 'in year 1 one civil service at Bladel (...) starts; the
    taxes matrix at Eersel ends'."""
    lines = []
    for year in plan.years:
        parts = [
            _t(lang, f"{pool_words(pathway, p, lang)} starts", f"{pool_words(pathway, p, lang)} start")
            for p in year.started
        ]
        for before, after in year.moved:
            joined = _names(pathway, set(after.members) - set(before.members))
            left = _names(pathway, set(before.members) - set(after.members))
            where = pool_words(pathway, after, lang, members=False)
            if joined:
                parts.append(_t(lang, f"{joined} join {where}", f"{joined} sluit aan bij {where}"))
            if left:
                parts.append(_t(lang, f"{left} leave {where}", f"{left} verlaat {where}"))
        parts += [
            _t(lang, f"{pool_words(pathway, p, lang, False)} ends", f"{pool_words(pathway, p, lang, False)} stopt")
            for p in year.ended
        ]
        if parts:
            lines.append(_t(lang, f"in year {year.year} ", f"in jaar {year.year} ") + "; ".join(parts))
    return lines


def headline_lines(pathway: Pathway, end_words: str, lang: str = "en") -> list[str]:
    """What a council reads first, above the tables: what the plan does (which pools start in which
    year, by name), its present value against staying as we are and against the big bang, the
    break-even year, and a warning where the end state does not pay within the horizon (with what
    would make it pay) or the plan is not proven the best."""
    plan = pathway.plan
    assert plan is not None
    settings = pathway.settings
    years, rate = settings.years, percent(settings.discount_rate, lang)
    steps = step_words(pathway, plan, lang)
    if steps:
        lines = [_t(lang, f"The plan towards {end_words}: ", f"Het plan naar {end_words}: ") + "; ".join(steps) + "."]
    else:
        lines = [_t(lang, "The plan changes nothing: it stays as we are.", "Het plan verandert niets: alles blijft.")]
    cash, weighted = plan.npv_cash, plan.npv_weighted
    lines.append(
        _t(
            lang,
            f"Against staying as we are, over {years} years at a discount rate of {rate}: present value of the change "
            f"in cost {_signed(cash, lang)}, weighted {_signed(weighted, lang)} (negative: the region gains; "
            f"{convention_words(lang)}).",
            f"Ten opzichte van blijven zoals we zijn, over {years} jaar tegen {rate} disconto: contante waarde van de "
            f"verandering in kosten {_signed(cash, lang)}, gewogen {_signed(weighted, lang)} "
            f"(negatief: de regio wint; {convention_words(lang)}).",
        )
    )
    big_bang = pathway.big_bang
    # a plan that changes nothing is its own big bang: the first line says so, 'everything in year 1'
    # would claim a change
    if big_bang is not None and steps:
        same = [y.configuration for y in big_bang.years] == [y.configuration for y in plan.years]
        if same:
            line = _t(
                lang, "The plan is the big bang: everything in year 1.", "Het plan is de big bang: alles in jaar 1."
            )
        else:
            line = _t(
                lang,
                f"Against the big bang (everything in year 1): {_signed(cash - big_bang.npv_cash, lang)} in cash, "
                f"{_signed(weighted - big_bang.npv_weighted, lang)} weighted (negative: the plan gains).",
                f"Ten opzichte van de big bang (alles in jaar 1): {_signed(cash - big_bang.npv_cash, lang)} in geld, "
                f"{_signed(weighted - big_bang.npv_weighted, lang)} gewogen (negatief: het plan wint).",
            )
        if pathway.big_bang_breaks:
            line += _t(
                lang,
                " The big bang breaks the change caps, so it is no plan the region can carry out.",
                " De big bang overschrijdt de wijzigingslimieten en is dus geen plan dat de regio kan uitvoeren.",
            )
        lines.append(line)
    even = plan.break_even_year
    last = plan.cumulative[-1] if plan.years else 0.0
    if even is not None:
        lines.append(
            _t(
                lang,
                f"Break-even in cash, undiscounted: from year {even} on, the cumulative change in cost is a saving.",
                f"Terugverdiend in geld, onverdisconteerd: vanaf jaar {even} is de opgetelde verandering in kosten "
                "een besparing.",
            )
        )
    elif steps:
        lines.append(
            _t(
                lang,
                f"No break-even within {years} years in cash, undiscounted: the cumulative change in cost is "
                f"{_signed(last, lang)} after year {years}.",
                f"Niet terugverdiend binnen {years} jaar in geld, onverdisconteerd: de opgetelde verandering in kosten "
                f"is {_signed(last, lang)} na jaar {years}.",
            )
        )
    if steps and weighted > SAME_EUR:
        lines.append(_not_paying(plan, end_words, lang))
    elif steps and cash > SAME_EUR:
        lines.append(
            _t(
                lang,
                f"Note: in cash, in present value at {rate}, the plan does not pay within {years} years "
                f"({_signed(cash, lang)}); it pays only with the valuations (quality, vulnerability, manageability, "
                "autonomy).",
                f"Let op: in geld, in contante waarde tegen {rate}, betaalt het plan zich binnen {years} jaar niet "
                f"terug ({_signed(cash, lang)}); het loont alleen met de waarderingen (kwaliteit, kwetsbaarheid, "
                "bestuurbaarheid, autonomie).",
            )
        )
    if pathway.report.status.value != "optimal":
        lines.append(
            _t(
                lang,
                f"Warning: the plan is not proven the best ({pathway.report.describe(lang)}).",
                f"Let op: het plan is niet bewezen het beste ({pathway.report.describe(lang)}).",
            )
        )
    return lines


def _cash_words(cash: float, lang: str) -> str:
    """'saves EUR 908 k in cash (present value)' or 'costs EUR 730 k in cash (present value)': the
    verb carries the sign, so an amount is never a negative cost."""
    if cash < 0:
        return _t(
            lang,
            f"saves {euros(-cash, lang)} in cash (present value)",
            f"bespaart {euros(-cash, lang)} in geld (contante waarde)",
        )
    return _t(
        lang,
        f"costs {euros(cash, lang)} in cash (present value)",
        f"kost {euros(cash, lang)} in geld (contante waarde)",
    )


def _not_paying(plan: Plan, end_words: str, lang: str) -> str:
    """The warning of an end state whose weighted present value does not pay within the horizon, each
    measure in its own words (cash and weighted may disagree), and what would make it pay."""
    years, rate = plan.settings.years, percent(plan.settings.discount_rate, lang)
    cash, weighted = plan.npv_cash, plan.npv_weighted
    joint = _t(lang, " but " if cash < 0 else " and ", " maar " if cash < 0 else " en ")
    line = _t(
        lang,
        f"Warning: weighted, in present value at {rate}, moving to {end_words} does not pay within {years} years: it "
        f"{_cash_words(cash, lang)}{joint}costs {euros(weighted, lang)} weighted more than staying as we are. The "
        "advice is then to stay as we are",
        f"Let op: gewogen, in contante waarde tegen {rate}, betaalt de stap naar {end_words} zich binnen {years} jaar "
        f"niet terug: hij {_cash_words(cash, lang)}{joint}kost {euros(weighted, lang)} gewogen meer dan blijven zoals "
        "we zijn. Het advies is dan te blijven zoals we zijn",
    )
    horizon = plan.paying_horizon(PAYING_SEARCH_YEARS)
    if horizon is not None:
        return line + _t(
            lang,
            f", or to judge it weighted over {horizon} years (its end state kept after year {years}), when it pays.",
            f", of het gewogen over {horizon} jaar te beoordelen (het eindbeeld na jaar {years} behouden), dan loont "
            "het.",
        )
    return line + _t(
        lang,
        f": even its end state kept for {PAYING_SEARCH_YEARS} years does not pay weighted; lower one-off costs or a "
        "larger yearly saving would be needed.",
        f": zelfs met het eindbeeld {PAYING_SEARCH_YEARS} jaar behouden loont het gewogen niet; daarvoor zijn lagere "
        "eenmalige kosten of een grotere jaarlijkse besparing nodig.",
    )


# -- the explanation: why this order, and what flips it ---------------------------------------------


def task_words(pathway: Pathway, task: DelayTask | FlipTask, lang: str = "en") -> str:
    """A re-solve of the explanation in words (its progress line): 'year 1: one civil service at
    Bladel a year later', 'discount rate, lower'."""
    if isinstance(task, DelayTask):
        where = pool_words(pathway, task.pool, lang, members=False)
        return _t(lang, f"year {task.year}: {where} a year later", f"jaar {task.year}: {where} een jaar later")
    direction = _t(lang, "lower", "lager") if task.direction == "down" else _t(lang, "higher", "hoger")
    return f"{figure_words(task.figure, lang)}, {direction}"


def _figure_value(figure: str, value: float | None, lang: str) -> str:
    if value is None:
        return _t(lang, "no cap", "geen limiet")
    if figure == "economics.discount_rate":
        return percent(value, lang)
    return str(round(value))


def outcome_words(value: Delay | OrderFlip, lang: str = "en") -> str:
    """What a re-solve found, in a few words (its progress line)."""
    if isinstance(value, Delay):
        if value.lost_weighted is not None:
            return _t(lang, "weighted", "gewogen") + f" {_signed(value.lost_weighted, lang)}"
        return _delay_reason(value, lang)
    if value.changes_at is None:
        return _t(lang, "the order holds", "de volgorde blijft")
    return _t(lang, "the order changes at ", "de volgorde verandert bij ") + _figure_value(
        value.figure, value.changes_at, lang
    )


def _delay_reason(delay: Delay, lang: str) -> str:
    if delay.reason == "infeasible":
        return _t(
            lang,
            "cannot come later: the end state or the caps need it by then",
            "kan niet later: het eindbeeld of de limieten vragen het dan al",
        )
    if delay.reason == "stopped":
        return _t(lang, "stopped by Ctrl-C", "gestopt met Ctrl-C")
    if delay.timed_out:
        return _t(
            lang,
            f"not proven ({delay.status.value}, time limit)",
            f"niet bewezen ({name(delay.status.value, lang)}, tijdslimiet)",
        )
    return _t(lang, f"not proven ({delay.status.value})", f"niet bewezen ({name(delay.status.value, lang)})")


def delay_rows(pathway: Pathway, explanation: PathwayExplanation, lang: str = "en") -> list[dict[str, Any]]:
    """One record per step: the present value the plan changes by when the step comes a year later
    (after minus before: positive, the delay costs the region)."""
    return [
        {
            "year": delay.year,
            "step": pool_words(pathway, delay.pool, lang),
            "comes_in_year": delay.comes,
            "delay_npv_weighted_change_eur": delay.lost_weighted,
            "delay_npv_change_eur": delay.lost_cash,
            "note": "" if delay.lost_weighted is not None else _delay_reason(delay, lang),
        }
        for delay in sorted(explanation.delays, key=lambda d: (d.year, pool_words(pathway, d.pool)))
    ]


def flip_rows(explanation: PathwayExplanation, lang: str = "en") -> list[dict[str, Any]]:
    """One record per figure and direction: the range searched and where the order holds and changes."""
    return [
        {
            "figure": flip.figure,
            "direction": flip.direction,
            "used": flip.used,
            "searched_to": flip.end,
            "order_holds_at": flip.same_at,
            "order_changes_at": flip.changes_at,
            "solves": flip.solves,
            "sentence": flip_sentence(flip, lang),
        }
        for flip in explanation.flips
    ]


def flip_sentence(flip: OrderFlip, lang: str = "en") -> str:
    """'The order holds for a discount rate down to 0 %.' or 'The order changes between a discount
    rate of 1.2 % (it holds) and 1.15 % (it changes).'"""
    what = figure_words(flip.figure, lang)
    used = _figure_value(flip.figure, flip.used, lang)
    if flip.uncapped:
        used = _t(
            lang,
            f"no cap (the plan makes at most {used} a year)",
            f"geen limiet (het plan doet er hoogstens {used} per jaar)",
        )
    end = _figure_value(flip.figure, flip.end, lang)
    if flip.changes_at is None:
        if not flip.narrowed and flip.timed_out:
            return _t(
                lang,
                f"{what.capitalize()} from {used} to {end}: not known (the time limit ended the solve there before "
                "it was proven).",
                f"{what.capitalize()} van {used} naar {end}: onbekend (de tijdslimiet beëindigde de berekening daar "
                "voordat die bewezen was).",
            )
        if not flip.narrowed:
            return _t(
                lang,
                f"{what.capitalize()} from {used} to {end}: not known (the solve there was not proven within its "
                "work limit).",
                f"{what.capitalize()} van {used} naar {end}: onbekend (de berekening daar is binnen haar werklimiet "
                "niet bewezen).",
            )
        return _t(
            lang,
            f"{what.capitalize()} from {used} to {end}: the order holds.",
            f"{what.capitalize()} van {used} naar {end}: de volgorde blijft.",
        )
    holds = _figure_value(flip.figure, flip.same_at, lang)
    changes = _figure_value(flip.figure, flip.changes_at, lang)
    text = _t(
        lang,
        f"{what.capitalize()} from {used} towards {end}: the order holds at {holds} and changes at {changes}",
        f"{what.capitalize()} van {used} naar {end}: de volgorde blijft bij {holds} en verandert bij {changes}",
    )
    if flip.no_plan:
        text += _t(lang, " (no plan keeps the rules there)", " (daar houdt geen plan zich aan de regels)")
    if not flip.narrowed and flip.timed_out:
        text += _t(
            lang,
            "; the time limit ended a solve in between before it was proven, so the bracket is no narrower",
            "; de tijdslimiet beëindigde een berekening daartussen voordat die bewezen was, dus nauwer is het niet "
            "bekend",
        )
    elif not flip.narrowed:
        text += _t(
            lang,
            "; a solve in between was not proven within its limit on work, so the bracket is no narrower",
            "; een berekening daartussen is binnen haar werklimiet niet bewezen, dus nauwer is het niet bekend",
        )
    return text + "."


def explanation_lines(explanation: PathwayExplanation, lang: str = "en") -> list[str]:
    """The flips in sentences, how much work each re-solve had, and what was not explained."""
    lines = [flip_sentence(flip, lang) for flip in explanation.flips]
    lines.append(
        _t(
            lang,
            f"{explanation.solves} re-solves, each within {explanation.work} of the solver's check-ins (a limit on "
            "work, not on time).",
            f"{explanation.solves} herberekeningen, elk binnen {explanation.work} controlepunten van de solver (een "
            "limiet op werk, niet op tijd).",
        )
    )
    if any(d.timed_out for d in explanation.delays) or any(f.timed_out for f in explanation.flips):
        lines.append(
            _t(
                lang,
                "What the time limit cut short (it says so above), not the limit on work, may read otherwise on a "
                "faster or less busy machine; a higher --time-limit settles it.",
                "Wat de tijdslimiet afbrak (dat staat erbij), niet de limiet op werk, kan op een snellere of minder "
                "drukke machine anders uitvallen; een hogere --time-limit beslist het.",
            )
        )
    for label, why in explanation.failed:
        reason = {
            "stopped": _t(lang, "stopped by Ctrl-C", "gestopt met Ctrl-C"),
            "overran": _t(lang, "ran past the run's limit", "liep over de limiet van de run"),
        }.get(why, why)
        lines.append(_t(lang, f"Not explained: {label} ({reason}).", f"Niet verklaard: {label} ({reason})."))
    return lines


#: the delay table's columns in words
DELAY_WORDS: dict[str, tuple[str, str]] = {
    "year": ("Year", "Jaar"),
    "step": ("Step", "Stap"),
    "comes_in_year": ("A year later, it comes in year", "Een jaar later komt het in jaar"),
    "delay_npv_weighted_change_eur": (
        "Present value of the change in weighted cost [EUR] (positive: the delay costs)",
        "Contante waarde van de verandering in gewogen kosten [EUR] (positief: uitstel kost)",
    ),
    "delay_npv_change_eur": (
        "Present value of the change in cost [EUR] (positive: the delay costs)",
        "Contante waarde van de verandering in kosten [EUR] (positief: uitstel kost)",
    ),
    "note": ("Note", "Opmerking"),
}


def delay_caption(lang: str = "en") -> str:
    return _t(
        lang,
        f"Why this order: each step kept back at least a year, the rest of the plan re-planned; {sign_rule(lang)}",
        f"Waarom deze volgorde: elke stap minstens een jaar later, de rest van het plan opnieuw; {sign_rule(lang)}",
    )


def delay_frame(pathway: Pathway, explanation: PathwayExplanation, lang: str = "en") -> pd.DataFrame:
    """The delay table with its headers in words and its figures as numbers (the workbook's)."""
    frame = pd.DataFrame(delay_rows(pathway, explanation, lang), columns=list(DELAY_WORDS))
    frame["comes_in_year"] = [None if v is None or pd.isna(v) else int(v) for v in frame["comes_in_year"]]
    frame["note"] = [
        note or ("" if comes is not None else _t(lang, "not within the horizon", "niet binnen de horizon"))
        for note, comes in zip(frame["note"], frame["comes_in_year"], strict=True)
    ]
    return frame.rename(columns={key: _t(lang, english, dutch) for key, (english, dutch) in DELAY_WORDS.items()})


def shown_delays(pathway: Pathway, explanation: PathwayExplanation, lang: str = "en") -> pd.DataFrame:
    rows = delay_rows(pathway, explanation, lang)
    frame = pd.DataFrame(rows, columns=list(DELAY_WORDS))
    for key in ("delay_npv_weighted_change_eur", "delay_npv_change_eur"):
        frame[key] = [euros(v, lang) if v is not None else "-" for v in frame[key]]
    frame["comes_in_year"] = [
        _t(lang, "not", "niet") if v is None or pd.isna(v) else str(int(v)) for v in frame["comes_in_year"]
    ]
    return frame.rename(
        columns={key: (english if lang != "nl" else dutch) for key, (english, dutch) in DELAY_WORDS.items()}
    )


def explanation_sections(pathway: Pathway, explanation: PathwayExplanation, lang: str = "en") -> list[Any]:
    from visuals.report import Section

    return [
        Section(
            _t(lang, "Why this order", "Waarom deze volgorde"),
            text=delay_caption(lang),
            table=shown_delays(pathway, explanation, lang),
            lead=explanation_lines(explanation, lang),
        )
    ]


#: the flip table's columns in words
FLIP_WORDS: dict[str, tuple[str, str]] = {
    "figure": ("Figure", "Kengetal"),
    "direction": ("Direction", "Richting"),
    "used": ("Value used", "Gebruikte waarde"),
    "order_holds_at": ("The order holds at", "De volgorde blijft bij"),
    "order_changes_at": ("The order changes at", "De volgorde verandert bij"),
    "sentence": ("What flips the order", "Wat de volgorde omdraait"),
}


def flip_frame(explanation: PathwayExplanation, lang: str = "en") -> tuple[pd.DataFrame, tuple[str | None, ...]]:
    """The flips as numbers beside their sentences, and each row's number format (a rate as a
    percentage, a cap as a whole number)."""
    rows, formats = [], []
    for flip in explanation.flips:
        rows.append(
            {
                "figure": figure_words(flip.figure, lang),
                "direction": _t(lang, "lower", "lager") if flip.direction == "down" else _t(lang, "higher", "hoger"),
                "used": flip.used,
                "order_holds_at": flip.same_at,
                "order_changes_at": flip.changes_at,
                "sentence": flip_sentence(flip, lang),
            }
        )
        formats.append("0.00%" if flip.figure == "economics.discount_rate" else "0")
    frame = pd.DataFrame(rows, columns=list(FLIP_WORDS))
    named = frame.rename(columns={key: _t(lang, english, dutch) for key, (english, dutch) in FLIP_WORDS.items()})
    return named, tuple(formats)


def explanation_sheets(pathway: Pathway, explanation: PathwayExplanation, lang: str = "en") -> list[Sheet]:
    """The delays under their caption and the flips, their figures as numbers beside the sentences;
    the re-solves' work and what was not explained above the flips."""
    flips, formats = flip_frame(explanation, lang)
    notes = explanation_lines(explanation, lang)[len(explanation.flips) :]
    year = _t(lang, DELAY_WORDS["comes_in_year"][0], DELAY_WORDS["comes_in_year"][1])
    return [
        Sheet(
            _t(lang, "why this order", "waarom deze volgorde"),
            delay_frame(pathway, explanation, lang),
            lead=((delay_caption(lang), None, None),),
            column_formats=((word("year", lang), "0"), (year, "0")),
        ),
        Sheet(
            _t(lang, "what flips it", "wat het omdraait"),
            flips,
            lead=tuple((line, None, None) for line in notes),
            row_formats=formats,
        ),
    ]
