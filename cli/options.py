"""Options shared by the commands. The solver options are generated from `inputs.schema.SOLVER`, so
their types, ranges and help are the scenario file's own."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import replace
from typing import Any, TypeVar

import click

from inputs import schema
from inputs.types import Scenario, SolverOptions

F = TypeVar("F", bound=Callable[..., Any])

#: scenario key -> command-line flag, where the flag is not the key with dashes
_FLAGS = {"name": "--solver"}


def _flag(key: str) -> str:
    return _FLAGS.get(key, "--" + key.replace("_", "-"))


def _param(key: str) -> str:
    return "solver_" + key


def _click_type(spec: schema.Spec) -> click.ParamType:
    if spec.kind == "choice":
        return click.Choice(list(spec.choices))
    if spec.kind == "integer":
        return click.IntRange(
            None if spec.low is None else int(spec.low), None if spec.high is None else int(spec.high)
        )
    return click.FloatRange(spec.low, spec.high, min_open=spec.low_open)


def solver_options_except(*skipped: str) -> Callable[[F], F]:
    """--solver, --time-limit, --gap, --threads, --seed, --formulation, --decompose (but `skipped`):
    each changes the scenario's `solver:` setting of the same name; the command receives them as
    `solver_given`."""
    keys = [key for key in schema.SOLVER if key not in skipped]

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            given = {key: kwargs.pop(_param(key)) for key in keys}
            return function(*args, solver_given={k: v for k, v in given.items() if v is not None}, **kwargs)

        decorated: Any = wrapper
        for key in reversed(keys):
            spec = schema.SOLVER[key]
            text = spec.label[0].upper() + spec.label[1:]
            decorated = click.option(
                _flag(key), _param(key), type=_click_type(spec), help=f"{text}; default: the scenario's."
            )(decorated)
        return decorated

    return decorate


solver_options = solver_options_except()


def solver_settings(scenario: Scenario, given: dict[str, Any]) -> SolverOptions:
    """The scenario's solver options with the command line's on top."""
    return replace(scenario.solver, **given)


set_option = click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="KEY=VALUE",
    help="Change the scenario, e.g. weights.quality=1 or 'domains=[hr, taxes]'. "
    "With compare and one scenario: one variant per setting.",
)
participation_option = click.option(
    "--participation",
    metavar="KEY",
    help="Nobody worse off: keep only configurations in which no member pays more for a pool, split by KEY "
    "(use, inhabitants, equal or fixed:SHARE+use), than its own departments cost; states the price. "
    "The same as --set politics.participation.key=KEY.",
)


def with_participation(overrides: tuple[str, ...], key: str | None) -> list[str]:
    """The --set settings with --participation as one more."""
    return [*overrides, *([] if key is None else [f"politics.participation.key={key}"])]


lang_option = click.option(
    "--lang", type=click.Choice(["en", "nl"]), default="en", show_default=True, help="Labels and number format."
)
jobs_option = click.option(
    "--jobs",
    type=click.IntRange(1, 256),
    help="Solves side by side, each in a worker process (default: one per core for large scenarios, this "
    "process for small ones; 1: this process).",
)
explain_option = click.option(
    "--explain/--no-explain",
    default=None,
    help="Explain the answer: runner-up hosts and structures with their margins, near ties, and the "
    "figures that would flip it (re-solves, side by side). Default: for scenarios of up to 30 "
    "municipalities.",
)
tie_option = click.option(
    "--tie",
    "tie_percent",
    type=click.FloatRange(0, 100),
    default=100 * 0.02,
    show_default=True,
    metavar="PERCENT",
    help="A near tie: an alternative within this share of the region's annual cash cost (%).",
)
format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="What goes to stdout: a table for people, JSON or CSV for scripts.",
)


def cluster_options[F: Callable[..., Any]](function: F) -> F:
    """--scheduler ADDRESS (or SETA_SCHEDULER) and --workers N: the solves on a Dask cluster."""
    function = click.option(
        "--workers",
        "dask_workers",
        type=click.IntRange(1, 1024),
        help="Run the solves on a local Dask cluster of N worker processes.",
    )(function)
    return click.option(
        "--scheduler",
        "dask_scheduler",
        envvar="SETA_SCHEDULER",
        metavar="ADDRESS",
        help="Run the solves on the Dask cluster whose scheduler is at ADDRESS, e.g. tcp://10.0.0.5:8786 "
        "(default: $SETA_SCHEDULER).",
    )(function)
