"""`seta list` and `seta validate`: the built-in scenarios and datasets, and a check of one's own."""

from __future__ import annotations

import click

from cli.common import (
    reader_may_leave,
    user_errors,
)
from cli.help import Command, twin
from cli.load import load_scenario
from cli.options import (
    lang_option,
    set_option,
)
from cli.render import plural
from inputs import builtin_names
from inputs import datasets as builtin_datasets
from inputs.labels import says


@click.command(
    cls=Command,
    help=twin(
        "Check SCENARIO and its tables; report every problem at once.",
        "Controleer SCENARIO en de tabellen ervan; meld alle problemen in één keer.",
    ),
)
@click.argument("scenario")
@set_option
@lang_option
@user_errors
def validate(scenario: str, overrides: tuple[str, ...], lang: str) -> None:
    from optimizer.instance import Instance
    from optimizer.screens import screen

    loaded = load_scenario(scenario, list(overrides))
    screen(Instance(loaded))
    with reader_may_leave():
        counted = ", ".join(
            [
                plural(len(loaded.municipalities), "municipality", lang),
                plural(len(loaded.domains), "domain", lang),
                plural(len(loaded.structures), "structure", lang),
            ]
        )
        click.echo(f"{loaded.name}: {says('valid', 'geldig')} ({counted})")


@click.command(
    name="list",
    cls=Command,
    help=twin("Show the built-in scenarios and datasets.", "Toon de ingebouwde scenario's en datasets."),
)
@lang_option
@user_errors
def list_builtins(lang: str) -> None:
    with reader_may_leave():
        _list_builtins(lang)


def _list_builtins(lang: str) -> None:
    click.echo(says("Built-in scenarios:", "Ingebouwde scenario's:"))
    for name in builtin_names():
        scenario = load_scenario(name)
        members = ", ".join(m.name for m in scenario.municipalities)
        if len(members) > 70:
            members = members[:67] + "..."
        counted = plural(len(scenario.municipalities), "municipality", lang)
        click.echo(f"  {name:<16} {counted:>18}  {members}")
    click.echo(says("Built-in datasets:", "Ingebouwde datasets:"))
    for name, description in (builtin_datasets.DATASETS_NL if lang == "nl" else builtin_datasets.DATASETS).items():
        click.echo(f"  {name:<16} {description}")
    click.echo(builtin_datasets.ATTRIBUTION)
