"""`seta alternatives`: the most different configurations close to the optimum, side by side."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from cli.common import (
    EXIT_NO_SOLUTION,
    STOP,
    end_run,
    fail,
    reader_may_leave,
    say,
    stdout_console,
    user_errors,
    wrote,
)
from cli.help import Command, twin
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
from inputs.labels import figure, says, text
from optimizer import Status, optimize


@click.command(
    cls=Command,
    help=twin(
        """The k most different configurations within a few % of the optimum, side by side ("different":
        services placed at another host or in another structure).""",
        """De k meest verschillende configuraties binnen enkele % van het optimum, naast elkaar ("verschillend":
        diensten bij een andere gastheergemeente of in een andere vorm ondergebracht).""",
    ),
)
@click.argument("scenario", default="kempen")
@set_option
@click.option(
    "--within",
    type=FiniteFloatRange(0, 100, min_open=True),
    default=2.0,
    show_default=True,
    metavar="PERCENT",
    help=twin(
        "How much worse than the optimum an alternative may be, in % of its weighted objective.",
        "Hoeveel slechter dan het optimum een alternatief mag zijn, in % van de gewogen doelfunctie van het optimum.",
    ),
)
@click.option(
    "-k",
    "count",
    type=click.IntRange(1, 20),
    default=5,
    show_default=True,
    help=twin("How many alternatives to look for.", "Hoeveel alternatieven er gezocht worden."),
)
@format_option
@out_folder_option(
    twin(
        "Write alternatives.csv and alternatives.json to this folder.",
        "Schrijf alternatives.csv en alternatives.json naar deze map.",
    )
)
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
    from optimizer.alternatives import alternatives as near_optimal
    from visuals.why import alternatives_table

    loaded = load_scenario(scenario, list(overrides))
    share = figure(within, lang)
    options = solver_settings(loaded, solver_given)
    if out_dir is not None:
        check_folder(out_dir, "--out")
    say(says(f"Solving {loaded.name}...", f"{loaded.name} oplossen..."))
    result = optimize(loaded, replace(options, decompose="none"), progress=say, stop=STOP)
    end_run(result)
    if result.report.status is not Status.OPTIMAL:
        fail(
            text(
                lang,
                f"No alternatives: the optimum is not proven ({result.report.describe(lang)}), so 'within {share} %' "
                "of it has no meaning; give more --time-limit.",
                f"Geen alternatieven: het optimum is niet bewezen ({result.report.describe(lang)}), dus 'binnen "
                f"{share} %' ervan betekent niets; geef meer --time-limit.",
            ),
            EXIT_NO_SOLUTION,
        )
    say(
        text(
            lang,
            f"Looking for {count} alternatives within {share} % of the optimum, each as different as possible...",
            f"Zoeken naar {count} alternatieven binnen {share} % van het optimum, elk zo verschillend mogelijk...",
        )
    )
    found = near_optimal(result, options, within / 100, count, STOP)
    if len(found) < count:
        say(
            text(
                lang,
                f"Only {len(found)} other configuration{'s' if len(found) != 1 else ''} within {share} % of the "
                "optimum.",
                f"Maar {len(found)} andere {'configuratie' if len(found) == 1 else 'configuraties'} binnen {share} % "
                "van het optimum.",
            )
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
        say(wrote(["alternatives.csv", "alternatives.json"], out_dir))
    with reader_may_leave():
        if output_format == "json":
            click.echo(json_text(document))
        elif output_format == "csv":
            click.echo(table.to_csv(index=False), nl=False)
        else:
            from cli.why import print_frame

            title = f"{text(lang, 'Alternatives within', 'Alternatieven binnen')} {share} %"
            print_frame(stdout_console(), title, table)
