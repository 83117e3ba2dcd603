"""`seta init`: a study folder to start from, for a new region or as a copy of a built-in scenario."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from cli.common import (
    reader_may_leave,
    user_errors,
    wrote,
)
from cli.help import Command, twin
from cli.load import load_scenario
from cli.options import (
    lang_option,
    set_option,
)
from cli.output import staged
from inputs import InputError, builtin_names
from inputs import datasets as builtin_datasets
from inputs.builtins import builtin_path
from inputs.labels import says
from inputs.problems import Problem


@click.command(
    cls=Command,
    help=twin(
        """Start a study in DIRECTORY: a short scenario.yaml for a new region (--province, --corop, --members)
        or an editable copy of a built-in scenario with its tables (--from).""",
        """Begin een studie in DIRECTORY: een korte scenario.yaml voor een nieuwe regio (--province, --corop,
        --members) of een bewerkbare kopie van een ingebouwd scenario met zijn tabellen (--from).""",
    ),
)
@click.argument("directory", type=click.Path(path_type=Path))
@click.option(
    "--from",
    "source",
    help=twin(
        "Built-in scenario to copy, with its region as tables (default: kempen).",
        "Ingebouwd scenario om te kopiëren, met zijn regio als tabellen (standaard: kempen).",
    ),
)
@click.option(
    "--province",
    "provinces",
    multiple=True,
    metavar="NAME",
    help=twin(
        "A new region: this province's municipalities (repeatable).",
        "Een nieuwe regio: de gemeenten van deze provincie (herhaalbaar).",
    ),
)
@click.option(
    "--corop",
    "corops",
    multiple=True,
    metavar="NAME",
    help=twin(
        "A new region: this COROP region's municipalities (repeatable).",
        "Een nieuwe regio: de gemeenten van deze COROP-regio (herhaalbaar).",
    ),
)
@click.option(
    "--members",
    "names",
    multiple=True,
    metavar="A,B,C",
    help=twin(
        "A new region: these municipalities, by name or CBS code, separated by commas (a name with a comma "
        "by its code).",
        "Een nieuwe regio: deze gemeenten, op naam of CBS-code, gescheiden door komma's (een naam met een komma "
        "via zijn code).",
    ),
)
@click.option(
    "--dataset",
    type=click.Choice(list(builtin_datasets.DATASETS)),
    default="nl-2024",
    show_default=True,
    help=twin(
        "The municipalities a new region is chosen from (COROP regions: nl-2024 only).",
        "De gemeenten waaruit een nieuwe regio gekozen wordt (COROP-regio's: alleen nl-2024).",
    ),
)
@set_option
@lang_option
@user_errors
def init(
    directory: Path,
    source: str | None,
    provinces: tuple[str, ...],
    corops: tuple[str, ...],
    names: tuple[str, ...],
    dataset: str,
    overrides: tuple[str, ...],
    lang: str,
) -> None:
    from inputs.export import export_study, scenario_text
    from inputs.loader import parse_scenario
    from inputs.overrides import apply_overrides

    members = region_members(provinces, corops, names)
    if source is not None and members is not None:
        raise InputError(
            [
                Problem(
                    "--from",
                    says(
                        "copies a built-in scenario; a new region (--province, --corop, --members) goes without it",
                        "kopieert een ingebouwd scenario; een nieuwe regio (--province, --corop, --members) "
                        "gaat zonder",
                    ),
                )
            ]
        )
    if source is None and members is None:
        source = "kempen"
    if source is not None and source not in builtin_names():
        from inputs.problems import suggestion

        raise InputError(
            [
                Problem(
                    "--from",
                    says(f"unknown built-in scenario '{source}'; ", f"onbekend ingebouwd scenario '{source}'; ")
                    + suggestion(source, builtin_names()),
                )
            ]
        )
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise InputError(
            [
                Problem(
                    str(directory),
                    says(
                        "the folder is not empty (expected a new or empty folder)",
                        "de map is niet leeg (verwacht een nieuwe of lege map)",
                    ),
                )
            ]
        )
    if source is not None:
        scenario = load_scenario(source, list(overrides))
    else:
        # Read as `seta solve` will read the file, so a bad name is bad input here and nothing is written.
        region = {"dataset": dataset, "members": members}
        document: dict[str, Any] = {"name": region_name(provinces, corops, directory), "municipalities": region}
        document = apply_overrides(document, overrides)
        scenario = parse_scenario(document, "scenario.yaml", directory, str(directory / "scenario.yaml"))
    with staged(directory, "init") as stage:
        if source is not None:
            written = export_study(scenario, builtin_path(source), stage.path)
        else:
            # the region as the document holds it after --set (which may change it), in the form chosen
            text = scenario_text(scenario, document["municipalities"])
            stage.path("scenario.yaml").write_text(text, encoding="utf-8")
            written = ["scenario.yaml"]
    with reader_may_leave():
        click.echo(wrote(written, directory))
        then = f"seta solve {directory / 'scenario.yaml'}"
        click.echo(
            says(
                f"Edit {'it' if len(written) == 1 else 'them'}, then run: {then}",
                f"Pas {'het' if len(written) == 1 else 'ze'} aan en voer dan uit: {then}",
            )
        )


def region_members(provinces: tuple[str, ...], corops: tuple[str, ...], names: tuple[str, ...]) -> Any:
    """`members` as a scenario writes it: `{province: Zeeland}`, `{corop: [A, B]}`, a list of names, or
    those mixed (`[{province: Zeeland}, Goes]`); None when no option chose a region."""
    regions: dict[str, Any] = {}
    for key, given in (("province", provinces), ("corop", corops)):
        if given:
            regions[key] = given[0] if len(given) == 1 else list(given)
    listed = [name.strip() for text in names for name in text.split(",") if name.strip()]
    if not listed:
        return regions or None
    return [regions, *listed] if regions else listed


def region_name(provinces: tuple[str, ...], corops: tuple[str, ...], directory: Path) -> str:
    """A new region's name: its provinces and COROP regions, else the study folder's name."""
    regions = [*provinces, *corops]
    if not regions:
        return directory.resolve().name
    return regions[0] if len(regions) == 1 else ", ".join(regions[:-1]) + " and " + regions[-1]
