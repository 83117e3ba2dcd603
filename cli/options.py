"""Options shared by the commands. The solver options are generated from `inputs.schema.SOLVER`, so
their types, ranges and help are the scenario file's own."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, TypeVar

import click

from cli.help import twin
from inputs import schema
from inputs.labels import says
from inputs.types import Scenario, SolverOptions

F = TypeVar("F", bound=Callable[..., Any])

#: scenario key -> command-line flag, where the flag is not the key with dashes
_FLAGS = {"name": "--solver"}


def _flag(key: str) -> str:
    return _FLAGS.get(key, "--" + key.replace("_", "-"))


def _param(key: str) -> str:
    return "solver_" + key


class FiniteFloatRange(click.FloatRange):
    """click's FloatRange lets nan through (every comparison with it is false) and inf past an
    open upper end: a figure must be a finite number inside its range."""

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)
        if not math.isfinite(number):
            self.fail(says(f"{value!r} is not a finite number", f"{value!r} is geen eindig getal"), param, ctx)
        return number


def _click_type(spec: schema.Spec) -> click.ParamType:
    if spec.kind == "choice":
        return click.Choice(list(spec.choices))
    if spec.kind == "integer":
        return click.IntRange(
            None if spec.low is None else int(spec.low), None if spec.high is None else int(spec.high)
        )
    return FiniteFloatRange(spec.low, spec.high, min_open=spec.low_open)


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
            text_nl = spec.label_nl[0].upper() + spec.label_nl[1:]
            decorated = click.option(
                _flag(key),
                _param(key),
                type=_click_type(spec),
                help=twin(f"{text}; default: the scenario's.", f"{text_nl}; standaard: die van het scenario."),
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
    help=twin(
        "Change the scenario, e.g. weights.quality=1 or 'domains=[hr, taxes]'. "
        "With compare and one scenario: one variant per setting.",
        "Wijzig het scenario, bijv. weights.quality=1 of 'domains=[hr, taxes]'. "
        "Met compare en één scenario: één variant per instelling.",
    ),
)
participation_option = click.option(
    "--participation",
    metavar="KEY",
    help=twin(
        "Nobody worse off: keep only configurations in which no member pays more for a pool, split by KEY "
        "(use, inhabitants, equal or fixed:SHARE+use), than its own departments cost; states the price. "
        "The same as --set politics.participation.key=KEY.",
        "Niemand slechter af (deelnamegarantie): houd alleen configuraties over waarin geen lid voor een pool, "
        "verdeeld naar KEY (use, inhabitants, equal of fixed:SHARE+use), meer betaalt dan zijn eigen afdelingen "
        "kosten; noemt de prijs daarvan. Hetzelfde als --set politics.participation.key=KEY.",
    ),
)


def with_participation(overrides: tuple[str, ...], key: str | None) -> list[str]:
    """The --set settings with --participation as one more."""
    return [*overrides, *([] if key is None else [f"politics.participation.key={key}"])]


def _run_language(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """The command's language is also that of its progress lines, which the optimizer writes. A
    command without --lang of its own speaks the language given to `seta` before it (`seta --lang nl
    solve`), else English."""
    from click.core import ParameterSource

    from cli.help import asked_language
    from inputs.labels import set_language

    if param.name is not None and ctx.get_parameter_source(param.name) is ParameterSource.DEFAULT:
        parent = ctx.parent
        if parent is not None and parent.get_parameter_source("lang") is ParameterSource.COMMANDLINE:
            value = parent.params["lang"]
        else:
            value = asked_language() or value
    set_language(value)
    return value


lang_option = click.option(
    "--lang",
    type=click.Choice(["en", "nl"]),
    default="en",
    show_default=True,
    is_eager=True,
    callback=_run_language,
    help=twin(
        "Language of everything the command prints and writes (en, nl: Dutch words and number format).",
        "Taal van alles wat de opdracht toont en schrijft (en, nl: Nederlandse woorden en getalnotatie).",
    ),
)
jobs_option = click.option(
    "--jobs",
    type=click.IntRange(1, 256),
    help=twin(
        "Solves side by side, each in a worker process (default: one per core for large scenarios, this "
        "process for small ones; 1: this process).",
        "Naast elkaar oplossen, elk in een eigen werkproces (standaard: één per processorkern voor grote "
        "scenario's, dit proces voor kleine; 1: dit proces).",
    ),
)
explain_option = click.option(
    "--explain/--no-explain",
    default=None,
    help=twin(
        "Explain the answer: runner-up hosts and structures with their margins, near ties, and the "
        "figures that would flip it (re-solves, side by side). Default: for scenarios of up to 30 "
        "municipalities.",
        "Leg het antwoord uit: de op één na beste gastheergemeenten en vormen met hun marges, bijna gelijke "
        "keuzes, en de kengetallen die het zouden doen omslaan (herberekeningen, naast elkaar). Standaard: voor "
        "scenario's van hooguit 30 gemeenten.",
    ),
)
tie_option = click.option(
    "--tie",
    "tie_percent",
    type=FiniteFloatRange(0, 100),
    default=100 * 0.02,
    show_default=True,
    metavar="PERCENT",
    help=twin(
        "A near tie: an alternative within this share of the region's annual cash cost (%).",
        "Bijna gelijk: een alternatief binnen dit aandeel van de jaarlijkse kosten in geld van de regio (%).",
    ),
)


def out_folder_option(written: str) -> Callable[[F], F]:
    """--out FOLDER (the parameter `out_dir`): `written` says what a command writes there, given with its
    Dutch by `twin`."""
    return click.option("--out", "out_dir", type=click.Path(path_type=Path), help=written)


format_option = click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help=twin(
        "What goes to stdout: a table for people, JSON or CSV for scripts.",
        "Wat naar de standaarduitvoer (stdout) gaat: een tabel voor mensen, JSON of CSV voor scripts.",
    ),
)


@dataclass(frozen=True)
class ClusterSettings:
    """How long a run waits for a Dask cluster, and under which name the address was given."""

    connect_s: float
    no_workers_s: float
    #: '--scheduler', or 'SETA_SCHEDULER' when the address came from the environment
    place: str


def _scheduler(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """A malformed address is bad input before anything is tried (Dask itself would wait on it, or
    fail with a traceback)."""
    if value is None:
        return None
    from optimizer.cluster import BadAddress, scheduler_address

    try:
        return scheduler_address(value)
    except BadAddress as error:
        place = _place(ctx)  # click names the option itself, quoted as for every other option
        raise click.BadParameter(str(error), ctx, param, None if place == "--scheduler" else place) from None


def _place(ctx: click.Context) -> str:
    from click.core import ParameterSource

    if ctx.get_parameter_source("dask_scheduler") is ParameterSource.ENVIRONMENT:
        return "SETA_SCHEDULER"
    return "--scheduler"


def cluster_settings() -> ClusterSettings:
    """The timeouts of the command being run, for its cluster (`cluster_options` keeps them out of
    the command's own arguments: only the cluster needs them)."""
    ctx = click.get_current_context()
    return ClusterSettings(ctx.params["dask_connect_s"], ctx.params["dask_no_workers_s"], _place(ctx))


def cluster_options[F: Callable[..., Any]](function: F) -> F:
    """--scheduler ADDRESS (or SETA_SCHEDULER) and --workers N: the solves on a Dask cluster; with
    --connect-timeout and --worker-timeout (or SETA_CONNECT_TIMEOUT, SETA_WORKER_TIMEOUT), read by
    `cluster_settings`."""
    from optimizer.cluster import CONNECT_S, NO_WORKERS_S

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        kwargs.pop("dask_connect_s")
        kwargs.pop("dask_no_workers_s")
        return function(*args, **kwargs)

    decorated: Any = wrapper
    decorated = click.option(
        "--worker-timeout",
        "dask_no_workers_s",
        envvar="SETA_WORKER_TIMEOUT",
        type=FiniteFloatRange(0, 86_400, min_open=True),
        default=NO_WORKERS_S,
        metavar="SECONDS",
        help=twin(
            "How long a Dask cluster may be without workers, at the start or after the last one left, before "
            f"the run ends (default: $SETA_WORKER_TIMEOUT, else {NO_WORKERS_S:g}).",
            "Hoe lang een Dask-cluster zonder workers mag zijn, bij de start of nadat de laatste is vertrokken, "
            f"voordat de run stopt (standaard: $SETA_WORKER_TIMEOUT, anders {NO_WORKERS_S:g}).",
        ),
    )(decorated)
    decorated = click.option(
        "--connect-timeout",
        "dask_connect_s",
        envvar="SETA_CONNECT_TIMEOUT",
        type=FiniteFloatRange(0, 3_600, min_open=True),
        default=CONNECT_S,
        metavar="SECONDS",
        help=twin(
            "With --scheduler: how long to wait for the scheduler to answer (default: $SETA_CONNECT_TIMEOUT, "
            f"else {CONNECT_S:g}).",
            "Met --scheduler: hoe lang op antwoord van de scheduler te wachten (standaard: $SETA_CONNECT_TIMEOUT, "
            f"anders {CONNECT_S:g}).",
        ),
    )(decorated)
    decorated = click.option(
        "--workers",
        "dask_workers",
        type=click.IntRange(1, 1024),
        help=twin(
            "Run the solves on a local Dask cluster of N worker processes.",
            "Voer het oplossen uit op een lokaal Dask-cluster van N werkprocessen.",
        ),
    )(decorated)
    decorated = click.option(
        "--scheduler",
        "dask_scheduler",
        envvar="SETA_SCHEDULER",
        metavar="ADDRESS",
        callback=_scheduler,
        help=twin(
            "Run the solves on the Dask cluster whose scheduler is at ADDRESS, e.g. tcp://10.0.0.5:8786 "
            "(default: $SETA_SCHEDULER).",
            "Voer het oplossen uit op het Dask-cluster waarvan de scheduler op ADDRESS staat, bijv. "
            "tcp://10.0.0.5:8786 (standaard: $SETA_SCHEDULER).",
        ),
    )(decorated)
    return decorated
