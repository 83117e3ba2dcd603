"""`seta compare`, `seta endstates` and `seta report`: options side by side, end states, one offline report."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.table import Table

from cli.render import STRUCTURE_NAMES, euros
from inputs import datasets, load_scenario
from inputs.assumptions import assumptions
from inputs.types import Scenario
from optimizer import Result, optimize_each
from optimizer.endstates import solve_end_states
from optimizer.result import comparison_table, seta_version
from visuals import charts
from visuals.report import Section, build_report

OPTION_NAMES = {"status_quo": "status quo", "free": "free optimum", **STRUCTURE_NAMES}


def print_comparison(table: pd.DataFrame, title: str, console: Console) -> None:
    out = Table(title=title, title_justify="left")
    for column, justify in (
        ("Option", "left"),
        ("Forms used", "left"),
        ("Annual cost", "right"),
        ("One-off", "right"),
        ("Quality", "right"),
        ("Days w/o staff", "right"),
        ("Pools", "right"),
        ("Interfaces", "right"),
        ("Objective", "right"),
    ):
        out.add_column(column, justify=justify)  # type: ignore[arg-type]
    best = table["objective"].min()
    for row in table.to_dict("records"):
        forms = ", ".join(STRUCTURE_NAMES.get(s, s) for s in str(row["structures"]).split(", ") if s != "none")
        option = OPTION_NAMES.get(str(row["option"]), str(row["option"]))
        if row["status"] != "optimal":
            option += f" ({row['status']})"
        out.add_row(
            option,
            forms or "-",
            euros(row["annual_cost_eur"]),
            euros(row["transition_one_off_eur"]),
            f"{100 * row['quality_index']:.0f}",
            f"{row['uncovered_days']:.1f}",
            str(row["pools"]),
            str(row["matrix_interfaces"]),
            euros(row["objective"]) + (" *" if row["objective"] == best else ""),
        )
    console.print(out)
    console.print("[dim]* best on the weighted objective[/dim]")


def _write_atomically(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp", encoding="utf-8") as handle:
        handle.write(text)
    Path(handle.name).chmod(0o644)  # a temporary file is private; the report is meant to be shared
    Path(handle.name).replace(path)


def write_chart_files(chart: object, table: pd.DataFrame, out_dir: Path, stem: str, title: str, lang: str) -> None:
    out_dir.mkdir(parents=True, exist_ok=True)
    table.to_csv(out_dir / f"{stem}.csv", index=False)
    charts.save_png(chart, str(out_dir / f"{stem}.png"), lang)  # type: ignore[arg-type]
    page = build_report(title, f"seta {seta_version()}", [Section(title, chart=chart, table=table)], lang)  # type: ignore[arg-type]
    _write_atomically(out_dir / f"{stem}.html", page)


def compare_results(
    references: tuple[str, ...], overrides: tuple[str, ...], progress: Callable[[str], None] | None = None
) -> list[tuple[str, Result]]:
    """Several scenarios, or one scenario and one variant per --set override; all are loaded (and
    checked) before the first is solved, and `progress` hears of each solved one."""
    if len(references) == 1 and overrides:
        base = load_scenario(references[0])
        named = [(base.name, base)] + [(setting, load_scenario(references[0], [setting])) for setting in overrides]
    else:
        named = []
        for reference in references:
            scenario = load_scenario(reference, list(overrides))
            named.append((scenario.name, scenario))
    return optimize_each(named, progress=progress)


def report_sections(scenario: Scenario, result: Result, lang: str) -> list[Section]:
    municipalities, pools = result.municipalities(), result.pools()
    domains = list(result.instance.domains)
    summary = result.summary()
    sections = [
        Section(
            "Configuration" if lang == "en" else "Configuratie",
            text=f"{summary['status_text']}. {scenario.description}",
            table=pools[["domain", "structure", "host", "members", "staff_fte", "annual_cost_eur"]]
            if not pools.empty
            else pd.DataFrame({"": ["Pooling does not pay here: every service stays in house."]}),
        )
    ]
    if scenario.dataset is not None:
        geo = datasets.boundaries(scenario.dataset)
        sections.append(
            Section(
                "Map" if lang == "en" else "Kaart",
                chart=charts.pool_map(municipalities, pools, geo, domains, lang),
                notes=[datasets.ATTRIBUTION],
            )
        )
    sections.append(
        Section("Network" if lang == "en" else "Netwerk", chart=charts.cooperation_network(municipalities, pools, lang))
    )
    sections.append(
        Section(
            "Where each municipality gains or pays" if lang == "en" else "Waar elke gemeente wint of betaalt",
            chart=charts.municipality_effects(municipalities, lang),
            table=municipalities[
                [
                    "name",
                    "cost_before_eur",
                    "cost_after_eur",
                    "cost_change_eur",
                    "quality_before",
                    "quality_after",
                    "uncovered_days_before",
                    "uncovered_days_after",
                ]
            ],
        )
    )
    end_table = comparison_table(solve_end_states(scenario))
    sections.append(
        Section(
            "End states" if lang == "en" else "Eindbeelden",
            text="The best configuration under each form of cooperation, on the same axes."
            if lang == "en"
            else "De beste configuratie per samenwerkingsvorm, op dezelfde assen.",
            chart=charts.end_states(end_table, lang),
            table=end_table,
        )
    )
    sections.append(Section("", chart=charts.comparison(end_table, lang)))
    sections.append(
        Section(
            "Assumptions and sources" if lang == "en" else "Aannames en bronnen",
            table=pd.DataFrame(assumptions(scenario)),
            notes=[f"seta {seta_version()}, inputs sha256 {scenario.content_hash()}"],
        )
    )
    return sections


def write_report(scenario: Scenario, result: Result, path: Path, png_dir: Path | None, lang: str) -> list[Path]:
    sections = report_sections(scenario, result, lang)
    title = f"seta: {scenario.name}"
    subtitle = (
        f"{len(result.instance.codes)} municipalities, {len(result.instance.domains)} domains; "
        f"seta {seta_version()}; {datasets.ATTRIBUTION}"
    )
    _write_atomically(path, build_report(title, subtitle, sections, lang))
    written = [path]
    if png_dir is not None:
        png_dir.mkdir(parents=True, exist_ok=True)
        for index, section in enumerate(s for s in sections if s.chart is not None):
            target = png_dir / f"chart-{index + 1}.png"
            charts.save_png(section.chart, str(target), lang)  # type: ignore[arg-type]
            written.append(target)
    return written
