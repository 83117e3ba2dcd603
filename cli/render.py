"""Terminal rendering of a result: a short header, the pools, and the change against doing nothing.

Every name that comes from the user (municipalities, scenario, a `--set` value) is printed as plain
text (`rich.text.Text`), never read as Rich markup: `Bladel [/x]` is a name, not a tag.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from inputs.labels import column, euros, figure, name, number, sign_rule, signed, text
from optimizer import Result, Status
from optimizer.explain import Explanation
from optimizer.observed import ObservedComparison
from visuals.tables import diagnosis_note, gap_sentence, inconclusive_sentence, risk_sentence


def plural(count: int, noun: str, lang: str = "en") -> str:
    """'1 municipality', '3 municipalities'; Dutch nouns from `DUTCH_NOUNS` ('3 gemeenten')."""
    if lang == "nl" and noun in DUTCH_NOUNS:
        one, many = DUTCH_NOUNS[noun]
        return f"{count} {one if count == 1 else many}"
    if count == 1:
        return f"1 {noun}"
    return f"{count} {noun[:-1] + 'ies' if noun.endswith('y') else noun + 's'}"


#: English noun -> (Dutch singular, plural), for `plural`
DUTCH_NOUNS = {
    "municipality": ("gemeente", "gemeenten"),
    "domain": ("taakveld", "taakvelden"),
    "structure": ("vorm", "vormen"),
    "option": ("optie", "opties"),
    "worker": ("werker", "werkers"),
}


def domains_text(domains: str, every: bool, total: int, lang: str = "en") -> str:
    """'all 5 domains' for a body that carries every domain in play, else their names."""
    if every:
        return f"all {total} domains" if lang == "en" else f"alle {total} taakvelden"
    return ", ".join(name(d, lang) for d in domains.split())


def render(result: Result, console: Console, explanation: Explanation | None = None, lang: str = "en") -> None:
    render_answer(result, console, lang)
    render_closing(result, console, explanation, lang)


def render_answer(result: Result, console: Console, lang: str = "en") -> None:
    """The answer as soon as the solve ends: header, what a council reads first, the pools and the
    comparison with the status quo (an explanation may follow, `render_closing`)."""
    from visuals.business_case import council_lines

    summary = result.summary(lang)
    scenario = result.instance.scenario
    domains = ", ".join(name(d, lang) for d in result.instance.domains)
    header = Text()
    header.append(scenario.name, style="bold")
    header.append(
        f": {plural(summary.municipalities, 'municipality', lang)}, "
        f"{plural(len(result.instance.domains), 'domain', lang)} ({domains})"
    )
    console.print(header)
    status_style = {Status.OPTIMAL: "green", Status.FEASIBLE: "yellow"}.get(result.report.status, "red")
    line = Text("Solver: ")
    line.append(result.report.describe(lang), style=status_style)
    if result.model_size.binaries:
        seconds, binaries = number(result.report.seconds, 2, lang), number(result.model_size.binaries, 0, lang)
        line.append(
            text(lang, f" in {seconds} s ({binaries} binaries)", f" in {seconds} s ({binaries} binaire variabelen)")
        )
    against_change = gap_sentence(summary, lang)
    if against_change:
        line.append(f"; {against_change}")
    console.print(line)
    warning = inconclusive_sentence(summary, lang)
    lines = [line for line in council_lines(result, lang) if line != warning]  # the warning comes in red below
    if lines:
        console.print(Text("\n".join(lines)))
    if warning:
        console.print(Text(warning, style="bold red"))
    if result.chosen is None or summary.after is None or summary.change is None:
        return
    rows = result.merged_pools().to_dict("records")
    if not rows:
        console.print(
            Text.assemble(
                "\n",
                (text(lang, "Pooling does not pay here:", "Samenwerken loont hier niet:"), "bold"),
                text(
                    lang,
                    " keeping every service in house scores best on the weighted criteria.",
                    " alle taken in eigen huis houden scoort het best op de gewogen criteria.",
                ),
            )
        )
        if result.rejected is not None:
            margin = result.rejected.objective - result.chosen.objective
            cost = result.rejected.criteria["cost"] - result.chosen.criteria["cost"]
            for unit in result.rejected.pools():
                members = ", ".join(result.name_of(c) for c in unit.members)
                domain, structure, host = name(unit.domain, lang), name(unit.structure, lang), result.name_of(unit.host)
                console.print(
                    Text(
                        text(
                            lang,
                            f"Best rejected: {domain} as a {structure} hosted by {host} ({members}).",
                            f"Best afgewezen: {domain} als {structure} met {host} als gastheergemeente ({members}).",
                        )
                    )
                )
            console.print(
                Text(
                    text(
                        lang,
                        f"It scores {signed(margin, lang)} a year worse on the weighted objective "
                        f"(annual cost {signed(cost, lang)}).",
                        f"Het scoort {signed(margin, lang)} per jaar slechter op de gewogen doelfunctie "
                        f"(jaarlijkse kosten {signed(cost, lang)}).",
                    )
                )
            )
    else:
        table = Table(title=text(lang, "Chosen pools", "Gekozen pools"), title_justify="left", show_lines=False)
        for key, justify in (
            ("domain", "left"),
            ("structure", "left"),
            ("host", "left"),
            ("members", "left"),
            ("staff_fte", "right"),
            ("annual_cost_eur", "right"),
        ):
            table.add_column(column(key, lang), justify=justify)  # type: ignore[arg-type]
        for row in rows:
            table.add_row(
                Text(domains_text(row["domains"], row["all_domains"], len(result.instance.domains), lang)),
                Text(name(row["structure"], lang)),
                Text(row["host"]),
                Text(row["members"]),
                number(row["staff_fte"], 1, lang),
                euros(row["annual_cost_eur"], lang),
            )
        console.print(table)
    before, after, change = summary.before, summary.after, summary.change
    changes = Table(
        title=text(
            lang,
            f"Against the status quo (nobody pools; {sign_rule(lang)})",
            f"Tegenover de huidige situatie (niemand werkt samen; {sign_rule(lang)})",
        ),
        title_justify="left",
    )
    for heading in (
        "",
        text(lang, "Status quo", "Huidig"),
        text(lang, "Chosen", "Gekozen"),
        text(lang, "Change", "Verandering"),
    ):
        changes.add_column(heading, justify="left" if not heading else "right")
    annual = (
        text(
            lang,
            "Annual cost if it works (transition written off)",
            "Jaarlijkse kosten als het werkt (transitie afgeschreven)",
        )
        if summary.risky
        else text(lang, "Annual cost (transition written off)", "Jaarlijkse kosten (transitie afgeschreven)")
    )
    changes.add_row(
        annual,
        euros(before.annual_cost_eur, lang),
        euros(after.annual_cost_eur, lang),
        signed(change.annual_cost_eur, lang),
    )
    changes.add_row(
        text(lang, "One-off transition cost", "Eenmalige transitiekosten"),
        "-",
        euros(after.transition_one_off_eur, lang),
        signed(change.transition_one_off_eur, lang),
    )
    payback = summary.payback_years
    changes.add_row(
        text(lang, "Payback of the transition", "Terugverdientijd van de transitie"),
        "",
        "",
        "-" if payback is None else f"{number(payback, 1, lang)} {text(lang, 'years', 'jaar')}",
    )
    changes.add_row(
        column("quality_index", lang),
        number(before.quality_index, 0, lang),
        number(after.quality_index, 0, lang),
        _signed_number(change.quality_index, 0, lang),
    )
    changes.add_row(
        text(lang, "Days without any staff (summed over services)", "Dagen zonder bezetting (opgeteld over de taken)"),
        number(before.uncovered_days, 1, lang),
        number(after.uncovered_days, 1, lang),
        _signed_number(change.uncovered_days, 1, lang),
    )
    changes.add_row("Pools", "0", str(after.pools), f"{change.pools:+d}")
    changes.add_row(column("new_arrangements", lang), "0", str(after.new_arrangements), f"{change.new_arrangements:+d}")
    if result.instance.matrix is not None:
        changes.add_row(
            column("matrix_interfaces", lang), "0", str(after.matrix_interfaces), f"{change.matrix_interfaces:+d}"
        )
    if summary.risky:
        changes.add_row(
            text(lang, "Annual cost, expected with the risk", "Jaarlijkse kosten, verwacht met het risico"),
            euros(before.expected_annual_cost_eur, lang),
            euros(after.expected_annual_cost_eur, lang),
            signed(change.expected_annual_cost_eur, lang),
        )
        changes.add_row(
            text(lang, "Weighted objective if it works", "Gewogen doelfunctie als het werkt"),
            euros(before.objective_if_works, lang),
            euros(after.objective_if_works, lang),
            signed(change.objective_if_works, lang),
        )
    changes.add_row(
        text(lang, "Weighted objective, expected (EUR-equivalent)", "Gewogen doelfunctie, verwacht (EUR-equivalent)")
        if summary.risky
        else column("objective", lang),
        euros(before.objective, lang),
        euros(after.objective, lang),
        signed(change.objective, lang),
    )
    console.print(changes)
    notes = (risk_sentence(summary, lang) + diagnosis_note(summary, lang)).strip()
    if notes:
        console.print(Text(notes))
    from cli.why import render_split

    render_split(result, console, lang)


def _signed_number(value: float, decimals: int, lang: str) -> str:
    shown = number(value, decimals, lang)
    return shown if shown.startswith("-") or not any(d in shown for d in "123456789") else f"+{shown}"


def render_closing(result: Result, console: Console, explanation: Explanation | None = None, lang: str = "en") -> None:
    """The explanation, where there is one, and the line that says how the answer can be repeated."""
    from cli.why import render_explanation

    if explanation is not None and result.chosen is not None:
        render_explanation(result, explanation, console, lang)
    summary = result.summary(lang)
    if result.chosen is None or summary.after is None:
        return
    provenance, solver = summary.provenance, summary.solver
    limit, gap = figure(solver.time_limit, lang), figure(solver.gap_limit, lang)
    console.print(
        Text(
            f"seta {provenance.seta_version} · {text(lang, 'inputs', 'invoer')} {provenance.inputs_sha256[:12]} · "
            f"{solver.solver} {solver.solver_version} · {text(lang, 'seed', 'startgetal')} {solver.seed} · "
            f"threads {solver.threads} · {text(lang, 'time limit', 'tijdslimiet')} {limit} s · "
            f"{text(lang, 'gap limit', 'toegestane optimaliteitskloof')} {gap}",
            style="dim",
        )
    )


def render_observed(comparison: ObservedComparison, result: Result, console: Console, lang: str = "en") -> None:
    """The observed configuration beside the optimum, over the services the file covers."""
    from visuals.observed import observed_lines, observed_table, observed_title

    frame = observed_table(comparison, result.chosen.objective if result.chosen is not None else None, lang)
    count = len(comparison.services)
    frame = frame.rename(
        columns={"": text(lang, f"The {count} services the file covers", f"De {count} taken die het bestand dekt")}
    )
    table = Table(title=observed_title(comparison, lang), title_justify="left")
    for number_of, heading in enumerate(frame.columns):
        table.add_column(str(heading), justify="left" if number_of == 0 else "right")
    for row in frame.itertuples(index=False):
        table.add_row(*(Text(str(cell)) for cell in row))
    console.print(table)
    summary = result.summary(lang)
    for line in observed_lines(comparison, summary.municipalities, result.instance.scenario.name, lang):
        console.print(Text(line))
