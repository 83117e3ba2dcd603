"""Terminal rendering of a result: a short header, the pools, and the change against doing nothing.

Every name that comes from the user (municipalities, scenario, a `--set` value) is printed as plain
text (`rich.text.Text`), never read as Rich markup: `Bladel [/x]` is a name, not a tag.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table
from rich.text import Text

from inputs.labels import name
from optimizer import Result, Status
from optimizer.explain import Explanation
from optimizer.observed import ObservedComparison
from visuals.tables import diagnosis_note, euros, inconclusive_sentence, risk_sentence


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
    console.print(line)
    warning = inconclusive_sentence(summary)
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
    changes = Table(title="Against the status quo (nobody pools)", title_justify="left")
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
        f"{100 * before.quality_index:.0f}",
        f"{100 * after.quality_index:.0f}",
        f"{100 * change.quality_index:+.0f}",
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
    from cli.why import render_explanation, render_split

    render_split(result, console)
    if explanation is not None:
        render_explanation(result, explanation, console)
    provenance, solver = summary.provenance, summary.solver
    console.print(
        Text(
            f"seta {provenance.seta_version} · inputs {provenance.inputs_sha256[:12]} · "
            f"{solver.solver} {solver.solver_version} · seed {solver.seed} · threads {solver.threads} · "
            f"time limit {solver.time_limit:g} s · gap limit {solver.gap_limit:g}",
            style="dim",
        )
    )


def percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.0f} %"


def observed_lines(comparison: ObservedComparison, result: Result) -> list[str]:
    """The distance and the notes, in words: what the measures are over, and what the file left open."""
    observed, distance = comparison.observed, comparison.distance
    municipalities = len(observed.covered)
    listed, domains = plural(municipalities, "municipality"), plural(len(observed.domains), "domain")
    everyone = plural(result.summary().municipalities, "municipality")
    lines = [
        f"Distance over the file's {listed} x {domains} "
        f"({distance.services} services): of the {distance.real_pairs} pairs that share a pool in reality, the "
        f"optimum keeps {percent(distance.recall)} together (recall); of its {distance.model_pairs} pairs among them, "
        f"{percent(distance.precision)} are together in reality (precision); adjusted Rand index "
        f"{distance.adjusted_rand:.2f} (1: the same grouping, 0: no better than chance); "
        f"{percent(distance.same_structure)} of the services in the same structure."
    ]
    shares = "; ".join(
        f"{name(domain)} {percent(best)} in the optimum, {percent(real)} in reality"
        for domain, (best, real) in comparison.shares.items()
    )
    lines.append(f"Share pooling (the optimum: of all {everyone}; reality: of the file's {municipalities}): {shares}.")
    open_host = [p for p in observed.pools if not p.host_given]
    open_structure = [p for p in observed.pools if not p.structure_given]
    if open_host:
        lines.append(f"The file names no host for {plural(len(open_host), 'pool')}: hosted by the largest member.")
    if open_structure:
        lines.append(
            f"The file names no structure for {plural(len(open_structure), 'pool')}: read as a single-domain joint "
            "body."
        )
    if observed.outside_pools:
        lines.append(
            f"Left out, outside {result.instance.scenario.name}: {plural(len(observed.outside_pools), 'pool')} "
            f"({observed.outside_members} members)."
        )
    if not comparison.whole:
        lines.append(
            "Services the file does not list are unknown, not alone: the figures above are those of the services it "
            "lists, and the measures leave the others out."
        )
    if comparison.violations:
        shown = "; ".join(comparison.violations[:5])
        more = f" (and {len(comparison.violations) - 5} more)" if len(comparison.violations) > 5 else ""
        lines.append(
            f"The observed configuration breaks {plural(len(comparison.violations), 'rule')} of the scenario, its "
            f"figures computed all the same: {shown}{more}."
        )
    return lines


def render_observed(comparison: ObservedComparison, result: Result, console: Console) -> None:
    """The observed configuration beside the optimum, over the services the file covers."""
    observed = comparison.observed
    title = f"Observed: {observed.name}" + (f" ({observed.year})" if observed.year not in observed.name else "")
    table = Table(title=f"{title}, beside the optimum", title_justify="left")
    for column in (
        f"The {len(comparison.services)} services the file covers",
        "Observed",
        "Optimum",
        "Optimum - observed",
    ):
        table.add_column(column, justify="left" if column.startswith("The") else "right")
    real, best = comparison.reality, comparison.optimum
    table.add_row(
        "Annual cost if it works",
        euros(real.cash_if_works),
        euros(best.cash_if_works),
        signed_euros(best.cash_if_works - real.cash_if_works),
    )
    table.add_row(
        "Annual cost, expected with the risk",
        euros(real.cash_expected),
        euros(best.cash_expected),
        signed_euros(best.cash_expected - real.cash_expected),
    )
    table.add_row(
        "One-off transition cost", euros(real.one_off), euros(best.one_off), signed_euros(best.one_off - real.one_off)
    )
    table.add_row(
        "Quality index (0-100)",
        f"{100 * real.quality:.0f}",
        f"{100 * best.quality:.0f}",
        f"{100 * (best.quality - real.quality):+.0f}",
    )
    table.add_row(
        "Services pooled",
        str(real.pooled_services),
        str(best.pooled_services),
        f"{best.pooled_services - real.pooled_services:+d}",
    )
    if comparison.whole and result.chosen is not None:
        table.add_row(
            "Weighted objective, expected (EUR-equivalent)",
            euros(comparison.evaluation.objective),
            euros(result.chosen.objective),
            signed_euros(result.chosen.objective - comparison.evaluation.objective),
        )
    console.print(table)
    for line in observed_lines(comparison, result):
        console.print(Text(line))
