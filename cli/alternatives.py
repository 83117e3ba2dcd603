"""`seta alternatives`: the most different configurations close to the optimum, side by side."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from cli.common import EXIT_NO_SOLUTION, STOP, end_run, fail, reader_may_leave, say, stdout_console, user_errors
from cli.load import load_scenario
from cli.options import (
    FiniteFloatRange,
    format_option,
    lang_option,
    out_folder_option,
    set_option,
    solver_options,
    solver_settings,
)
from cli.output import check_folder, json_text, staged
from cli.solve import json_document
from optimizer import Status, optimize


@click.command()
@click.argument("scenario", default="kempen")
@set_option
@click.option(
    "--within",
    type=FiniteFloatRange(0, 100, min_open=True),
    default=2.0,
    show_default=True,
    metavar="PERCENT",
    help="How much worse than the optimum an alternative may be, in % of its weighted objective.",
)
@click.option(
    "-k",
    "count",
    type=click.IntRange(1, 20),
    default=5,
    show_default=True,
    help="How many alternatives to look for.",
)
@format_option
@out_folder_option("Write alternatives.csv and alternatives.json to this folder.")
@solver_options
@lang_option
@user_errors
def alternatives(
    scenario: str,
    overrides: tuple[str, ...],
    within: float,
    count: int,
    output_format: str,
    out_dir: Path | None,
    solver_given: dict[str, Any],
    lang: str,
) -> None:
    """The k most different configurations within a few % of the optimum, side by side ("different":
    services placed at another host or in another structure)."""
    from optimizer.alternatives import alternatives as near_optimal
    from visuals.why import alternatives_table

    loaded = load_scenario(scenario, list(overrides))
    options = solver_settings(loaded, solver_given)
    if out_dir is not None:
        check_folder(out_dir, "--out")
    say(f"Solving {loaded.name}...")
    result = optimize(loaded, replace(options, decompose="none"), progress=say, stop=STOP)
    end_run(result)
    if result.report.status is not Status.OPTIMAL:
        fail(
            f"No alternatives: the optimum is not proven ({result.report.describe()}), so 'within {within:g} %' "
            "of it has no meaning; give more --time-limit.",
            EXIT_NO_SOLUTION,
        )
    say(f"Looking for {count} alternatives within {within:g} % of the optimum, each as different as possible...")
    found = near_optimal(result, options, within / 100, count, STOP)
    if len(found) < count:
        say(
            f"Only {len(found)} other configuration{'s' if len(found) != 1 else ''} within {within:g} % of the optimum."
        )
    table = alternatives_table(result, found, lang)
    document = {
        "within_percent": within,
        "optimum": json_document(result),
        "alternatives": [
            {"from_optimum": a.from_optimum, "from_nearest": a.from_nearest, **json_document(a.result)} for a in found
        ],
    }
    if out_dir is not None:
        with staged(out_dir, "--out") as stage:
            table.to_csv(stage.path("alternatives.csv"), index=False)
            stage.path("alternatives.json").write_text(json_text(document) + "\n", encoding="utf-8")
        say(f"Wrote alternatives.csv and alternatives.json to {out_dir}")
    with reader_may_leave():
        if output_format == "json":
            click.echo(json_text(document))
        elif output_format == "csv":
            click.echo(table.to_csv(index=False), nl=False)
        else:
            from cli.why import print_frame

            title = f"{'Alternatieven binnen' if lang == 'nl' else 'Alternatives within'} {within:g} %"
            print_frame(stdout_console(), title, table)
