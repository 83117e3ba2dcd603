"""Terminal rendering of a result: a short header, the pools, and the change against doing nothing.

Every name that comes from the user (municipalities, scenario, a `--set` value) is printed as plain
text (`rich.text.Text`), never read as Rich markup: `Bladel [/x]` is a name, not a tag.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from inputs.labels import name, sign_rule
from optimizer import Result, Status
from optimizer.explain import Explanation
from optimizer.observed import ObservedComparison
from visuals.tables import diagnosis_note, euros, gap_sentence, inconclusive_sentence, risk_sentence


def plural(count: int, noun: str) -> str:
    if count == 1:
        return f"1 {noun}"
    return f"{count} {noun[:-1] + 'ies' if noun.endswith('y') else noun + 's'}"


def signed_euros(value: float) -> str:
    return ("+" if value > 0 else "") + euros(value)


def domains_text(domains: str, every: bool, total: int, lang: str = "en") -> str:
    """'all 5 domains' for a body that carries every domain in play, else their names."""
    if every:
        return f"all {total} domains" if lang == "en" else f"alle {total} taakvelden"
    return ", ".join(name(d, lang) for d in domains.split())


def render(result: Result, console: Console, explanation: Explanation | None = None) -> None:
    render_answer(result, console)
    render_closing(result, console, explanation)


def render_answer(result: Result, console: Console) -> None:
    """The answer as soon as the solve ends: header, what a council reads first, the pools and the
    comparison with the status quo (an explanation may follow, `render_closing`)."""
    from visuals.business_case import council_lines

    summary = result.summary()
    scenario = result.instance.scenario
    domains = ", ".join(result.instance.domains)
    header = Text()
    header.append(scenario.name, style="bold")
    header.append(
        f": {summary.municipalities} municipalities, {plural(len(result.instance.domains), 'domain')} ({domains})"
    )
    console.print(header)
    status_style = {Status.OPTIMAL: "green", Status.FEASIBLE: "yellow"}.get(result.report.status, "red")
    line = Text("Solver: ")
    line.append(result.report.describe(), style=status_style)
    if result.model_size.binaries:
        line.append(f" in {result.report.seconds:.2f} s ({result.model_size.binaries:,} binaries)")
    against_change = gap_sentence(summary)
    if against_change:
        line.append(f"; {against_change}")
    console.print(line)
    warning = inconclusive_sentence(summary)
    lines = [line for line in council_lines(result) if line != warning]  # the warning comes in red below
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
                ("Pooling does not pay here:", "bold"),
                " keeping every service in house scores best on the weighted criteria.",
            )
        )
        if result.rejected is not None:
            margin = result.rejected.objective - result.chosen.objective
            cost = result.rejected.criteria["cost"] - result.chosen.criteria["cost"]
            for unit in result.rejected.pools():
                members = ", ".join(result.name_of(c) for c in unit.members)
                console.print(
                    Text(
                        f"Best rejected: {name(unit.domain)} as a {name(unit.structure)} "
                        f"hosted by {result.name_of(unit.host)} ({members})."
                    )
                )
            console.print(
                Text(
                    f"It scores {signed_euros(margin)} a year worse on the weighted objective "
                    f"(annual cost {signed_euros(cost)})."
                )
            )
    else:
        table = Table(title="Chosen pools", title_justify="left", show_lines=False)
        for column, justify in (
            ("Domain", "left"),
            ("Structure", "left"),
            ("Host", "left"),
            ("Members", "left"),
            ("Staff FTE", "right"),
            ("Annual cost", "right"),
        ):
            table.add_column(column, justify=justify)  # type: ignore[arg-type]
        for row in rows:
            table.add_row(
                Text(domains_text(row["domains"], row["all_domains"], len(result.instance.domains))),
                Text(name(row["structure"])),
                Text(row["host"]),
                Text(row["members"]),
                f"{row['staff_fte']:.1f}",
                euros(row["annual_cost_eur"]),
            )
        console.print(table)
    before, after, change = summary.before, summary.after, summary.change
    changes = Table(title=f"Against the status quo (nobody pools; {sign_rule()})", title_justify="left")
    for column in ("", "Status quo", "Chosen", "Change"):
        changes.add_column(column, justify="left" if not column else "right")
    changes.add_row(
        "Annual cost if it works (transition written off)" if summary.risky else "Annual cost (transition written off)",
        euros(before.annual_cost_eur),
        euros(after.annual_cost_eur),
        signed_euros(change.annual_cost_eur),
    )
    changes.add_row(
        "One-off transition cost", "-", euros(after.transition_one_off_eur), signed_euros(change.transition_one_off_eur)
    )
    payback = summary.payback_years
    changes.add_row("Payback of the transition", "", "", "-" if payback is None else f"{payback:.1f} years")
    changes.add_row(
        "Quality index (0-100)",
        f"{before.quality_index:.0f}",
        f"{after.quality_index:.0f}",
        f"{change.quality_index:+.0f}",
    )
    changes.add_row(
        "Days without any staff (summed over services)",
        f"{before.uncovered_days:.1f}",
        f"{after.uncovered_days:.1f}",
        f"{change.uncovered_days:+.1f}",
    )
    changes.add_row("Pools", "0", str(after.pools), f"{change.pools:+d}")
    changes.add_row("New joint arrangements", "0", str(after.new_arrangements), f"{change.new_arrangements:+d}")
    if result.instance.matrix is not None:
        changes.add_row(
            "Matrix coordination interfaces", "0", str(after.matrix_interfaces), f"{change.matrix_interfaces:+d}"
        )
    if summary.risky:
        changes.add_row(
            "Annual cost, expected with the risk",
            euros(before.expected_annual_cost_eur),
            euros(after.expected_annual_cost_eur),
            signed_euros(change.expected_annual_cost_eur),
        )
        changes.add_row(
            "Weighted objective if it works",
            euros(before.objective_if_works),
            euros(after.objective_if_works),
            signed_euros(change.objective_if_works),
        )
    changes.add_row(
        "Weighted objective, expected (EUR-equivalent)" if summary.risky else "Weighted objective (EUR-equivalent)",
        euros(before.objective),
        euros(after.objective),
        signed_euros(change.objective),
    )
    console.print(changes)
    notes = (risk_sentence(summary) + diagnosis_note(summary)).strip()
    if notes:
        console.print(Text(notes))
    from cli.why import render_split

    render_split(result, console)


def render_closing(result: Result, console: Console, explanation: Explanation | None = None) -> None:
    """The explanation, where there is one, and the line that says how the answer can be repeated."""
    from cli.why import render_explanation

    if explanation is not None and result.chosen is not None:
        render_explanation(result, explanation, console)
    summary = result.summary()
    if result.chosen is None or summary.after is None:
        return
    provenance, solver = summary.provenance, summary.solver
    console.print(
        Text(
            f"seta {provenance.seta_version} · inputs {provenance.inputs_sha256[:12]} · "
            f"{solver.solver} {solver.solver_version} · seed {solver.seed} · threads {solver.threads} · "
            f"time limit {solver.time_limit:g} s · gap limit {solver.gap_limit:g}",
            style="dim",
        )
    )


def render_observed(comparison: ObservedComparison, result: Result, console: Console) -> None:
    """The observed configuration beside the optimum, over the services the file covers."""
    from visuals.observed import observed_lines, observed_table, observed_title

    frame = observed_table(comparison, result.chosen.objective if result.chosen is not None else None)
    frame = frame.rename(columns={"": f"The {len(comparison.services)} services the file covers"})
    table = Table(title=observed_title(comparison), title_justify="left")
    for number_of, column in enumerate(frame.columns):
        table.add_column(str(column), justify="left" if number_of == 0 else "right")
    for row in frame.itertuples(index=False):
        table.add_row(*(Text(str(cell)) for cell in row))
    console.print(table)
    summary = result.summary()
    for line in observed_lines(comparison, summary.municipalities, result.instance.scenario.name):
        console.print(Text(line))
