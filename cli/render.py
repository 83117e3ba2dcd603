"""Terminal rendering of a result: a short header, the pools, and the change against doing nothing."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table

from optimizer import Result

STRUCTURE_NAMES = {
    "working_group": "working group",
    "centre": "centre municipality",
    "matrix": "matrix",
    "ssc": "shared service centre",
    "one_civil_service": "one civil service",
    "amalgamation": "amalgamation",
}


def euros(value: float) -> str:
    sign = "-" if value < 0 else ""
    value = abs(value)
    if value >= 1e6:
        return f"{sign}EUR {value / 1e6:,.2f} M"
    if value >= 1e3:
        return f"{sign}EUR {value / 1e3:,.0f} k"
    return f"{sign}EUR {value:,.0f}"


def plural(count: int, noun: str) -> str:
    if count == 1:
        return f"1 {noun}"
    return f"{count} {noun[:-1] + 'ies' if noun.endswith('y') else noun + 's'}"


def signed_euros(value: float) -> str:
    return ("+" if value > 0 else "") + euros(value)


def pool_rows(result: Result) -> list[dict[str, Any]]:
    """Pools for display: the units of one body (shared service centre, one civil service) with the
    same members are one row listing their domains."""
    frame = result.pools()
    records: list[dict[str, Any]] = [{str(k): v for k, v in r.items()} for r in frame.to_dict("records")]
    rows: list[dict[str, Any]] = []
    bodies: dict[tuple[str, str, str], dict[str, Any]] = {}
    for record in records:
        structure = result.instance.structures[record["structure"]]
        if structure.scope == "domain":
            rows.append(record)
            continue
        key = (record["host_code"], record["structure"], record["member_codes"])
        if key in bodies:
            body = bodies[key]
            body["domain"] += f", {record['domain']}"
            body["staff_fte"] += record["staff_fte"]
            body["annual_cost_eur"] += record["annual_cost_eur"]
            continue
        bodies[key] = dict(record)
        rows.append(bodies[key])
    for row in bodies.values():
        if row["domain"].count(",") + 1 == len(result.instance.domains) > 1:
            row["domain"] = f"all {len(result.instance.domains)} domains"
    return rows


def render(result: Result, console: Console) -> None:
    summary = result.summary()
    scenario = result.instance.scenario
    domains = ", ".join(result.instance.domains)
    console.print(
        f"[bold]{scenario.name}[/bold]: {summary['municipalities']} municipalities, "
        f"{plural(len(result.instance.domains), 'domain')} ({domains})"
    )
    status_style = {"optimal": "green", "feasible": "yellow"}.get(result.report.status, "red")
    console.print(
        f"Solver: [{status_style}]{result.report.describe()}[/{status_style}] "
        f"in {result.report.seconds:.2f} s ({result.model_size['binaries']} binaries)"
    )
    if result.chosen is None:
        return
    rows = pool_rows(result)
    if not rows:
        console.print(
            "\n[bold]Pooling does not pay here:[/bold] keeping every service in house scores best "
            "on the weighted criteria."
        )
        if result.rejected is not None:
            margin = result.rejected.objective - result.chosen.objective
            cost = result.rejected.criteria["cost"] - result.chosen.criteria["cost"]
            for unit in result.rejected.pools():
                members = ", ".join(result.name_of(c) for c in unit.members)
                console.print(
                    f"Best rejected: {unit.domain} as a {STRUCTURE_NAMES.get(unit.structure, unit.structure)} "
                    f"hosted by {result.name_of(unit.host)} ({members})."
                )
            console.print(
                f"It scores {signed_euros(margin)} a year worse on the weighted objective "
                f"(annual cost {signed_euros(cost)})."
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
                row["domain"],
                STRUCTURE_NAMES.get(row["structure"], row["structure"]),
                row["host"],
                row["members"],
                f"{row['staff_fte']:.1f}",
                euros(row["annual_cost_eur"]),
            )
        console.print(table)
    before, after, change = summary["before"], summary["after"], summary["change"]
    changes = Table(title="Against the status quo (nobody pools)", title_justify="left")
    for column in ("", "Status quo", "Chosen", "Change"):
        changes.add_column(column, justify="left" if not column else "right")
    changes.add_row(
        "Annual cost (transition written off)",
        euros(before["annual_cost_eur"]),
        euros(after["annual_cost_eur"]),
        signed_euros(change["annual_cost_eur"]),
    )
    changes.add_row(
        "One-off transition cost",
        "-",
        euros(after["transition_one_off_eur"]),
        signed_euros(change["transition_one_off_eur"]),
    )
    payback = summary["payback_years"]
    changes.add_row("Payback of the transition", "", "", "-" if payback is None else f"{payback:.1f} years")
    changes.add_row(
        "Quality index (0-100)",
        f"{100 * before['quality_index']:.0f}",
        f"{100 * after['quality_index']:.0f}",
        f"{100 * change['quality_index']:+.0f}",
    )
    changes.add_row(
        "Days without any staff (summed over services)",
        f"{before['uncovered_days']:.1f}",
        f"{after['uncovered_days']:.1f}",
        f"{change['uncovered_days']:+.1f}",
    )
    changes.add_row("Pools", "0", str(after["pools"]), f"{change['pools']:+d}")
    changes.add_row("New joint arrangements", "0", str(after["new_arrangements"]), f"{change['new_arrangements']:+d}")
    if result.instance.structures.get("matrix") is not None:
        changes.add_row(
            "Matrix coordination interfaces",
            "0",
            str(after["matrix_interfaces"]),
            f"{change['matrix_interfaces']:+d}",
        )
    changes.add_row(
        "Weighted objective (EUR-equivalent)",
        euros(before["objective"]),
        euros(after["objective"]),
        signed_euros(change["objective"]),
    )
    console.print(changes)
    provenance = summary["provenance"]
    solver = summary["solver"]
    console.print(
        f"[dim]seta {provenance['seta_version']} · inputs {provenance['inputs_sha256'][:12]} · "
        f"{solver['solver']} {solver['solver_version']} · seed {solver['seed']} · threads {solver['threads']} · "
        f"time limit {solver['time_limit']:g} s · gap limit {solver['gap_limit']:g}[/dim]"
    )
