"""`seta allocate`: who pays what under each key, against standing alone and the Shapley value."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from cli.output import staged
from optimizer.allocate import Shares
from optimizer.result import seta_version
from visuals import charts
from visuals.report import build_report
from visuals.shares import allocation_frame, sections, summary_lines, valuations_frame
from visuals.why import _t


def render(shares: Shares, console: Console, lang: str = "en") -> None:
    """The cash split per member and way of splitting, the valuations beside it, and what it means."""
    for title, frame in (
        (
            _t(
                lang,
                "Annual cash cost per member (below: the change against standing alone; negative: pays less)",
                "Kosten per lid per jaar (eronder: de verandering ten opzichte van alleen; negatief: betaalt minder)",
            ),
            allocation_frame(shares, lang),
        ),
        (
            _t(
                lang,
                "Beside the money: quality and days a year a service stands empty",
                "Naast het geld: kwaliteit en dagen per jaar dat een taak onbezet is",
            ),
            valuations_frame(shares, lang),
        ),
    ):
        table = Table(title=Text(title), title_justify="left")
        for index, column in enumerate(frame.columns):
            table.add_column(str(column), justify="left" if index == 0 else "right")
        for row in frame.itertuples(index=False):
            table.add_row(*(Text(str(cell)) for cell in row))
        console.print(table)
    lines = summary_lines(shares, lang)
    console.print(Text(lines[0], style="dim"))
    for line in lines[1:]:
        quiet = "no group" in line or "geen groep" in line or line.startswith(("Cash only", "Alleen geld"))
        console.print(Text(line, style="dim" if quiet else "yellow"))


def document(shares: Shares) -> dict[str, Any]:
    """The split as JSON data."""
    return {
        "annual_cost_eur": shares.total,
        "best_annual_cost_eur": shares.game.grand,
        "configuration_given": shares.given,
        "exact": shares.game.exact,
        "orders_sampled": len(shares.game.orders),
        "shapley_standard_error_eur": shares.shapley_errors,
        "core_empty": None if not shares.game.exact else "equal_profit" not in shares.splits,
        "allocation": shares.table().to_dict("records"),
        "blocking": shares.blocking().to_dict("records"),
        "valuations": shares.valuations().to_dict("records"),
    }


def write_files(shares: Shares, out_dir: Path, name: str, lang: str = "en") -> list[str]:
    """allocation.csv, blocking.csv, valuations.csv, the charts as PNG and shares.html; complete or
    not at all."""
    parts = sections(shares, lang)
    page = build_report(f"seta allocate: {name}", f"seta {seta_version()}", parts, lang)
    written = []
    with staged(out_dir, "--out") as stage:
        stage.naming = (shares.result.names(), lang)  # the workbook names them; the CSV files keep codes
        for stem, frame in (
            ("allocation", shares.table()),
            ("blocking", shares.blocking()),
            ("valuations", shares.valuations()),
        ):
            stage.table(stem, frame)
            written.append(f"{stem}.csv")
        for part in parts:
            if part.chart is not None:
                charts.save_png(part.chart, str(stage.path(f"{part.file}.png")), lang)
                written.append(f"{part.file}.png")
        stage.path("shares.html").write_text(page, encoding="utf-8")
    return [*written, "shares.html", "seta.xlsx"]
