"""Loading a scenario for a command: the inputs layer's reader, with what it noticed said on stderr."""

from __future__ import annotations

import click

from inputs import load_scenario as read_scenario
from inputs.types import Scenario


def load_scenario(reference: str, overrides: list[str] | tuple[str, ...] = ()) -> Scenario:
    """The scenario; each notice (an unused column, say) is printed once, as `Note: ...`."""
    scenario = read_scenario(reference, overrides)
    for notice in scenario.notices:
        click.echo(f"Note: {notice}", err=True)
    return scenario
