"""The `seta` command: wires inputs -> optimizer -> output. Exit 0 solved, 1 no solution, 2 bad input."""

from __future__ import annotations

import functools
import json
import sys
import tempfile
import traceback
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import click
from rich.console import Console

from cli.render import plural
from inputs import InputError, builtin_names, load_scenario
from inputs import datasets as builtin_datasets
from inputs.builtins import builtin_path
from inputs.problems import Problem
from inputs.types import Scenario, SolverOptions
from optimizer import Result, optimize
from optimizer.result import seta_version
from optimizer.solve import SolverUnavailable

EXIT_SOLVED, EXIT_NO_SOLUTION, EXIT_BAD_INPUT = 0, 1, 2
F = TypeVar("F", bound=Callable[..., Any])

err = Console(stderr=True, highlight=False, soft_wrap=True)


def _stdout_console() -> Console:
    """Tables on stdout: the terminal's width, or 120 columns when piped to a file."""
    return Console(highlight=False, width=None if sys.stdout.isatty() else 120)


def _fail(message: str, code: int) -> None:
    err.print(message, style="red", markup=False, soft_wrap=True)
    sys.exit(code)


def user_errors[F: Callable[..., Any]](function: F) -> F:
    """Turn input problems into a short message and exit code 2; tracebacks only with --debug."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = bool(click.get_current_context().find_root().params.get("debug"))
        try:
            return function(*args, **kwargs)
        except InputError as error:
            if debug:
                traceback.print_exc()
            _fail(error.render(), EXIT_BAD_INPUT)
        except SolverUnavailable as error:
            _fail(str(error), EXIT_BAD_INPUT)
        except (SystemExit, click.exceptions.Exit, click.ClickException):
            raise
        except Exception as error:  # an internal error: say so, keep the traceback for --debug
            if debug:
                raise
            _fail(f"internal error: {error} (run with --debug for the traceback)", EXIT_NO_SOLUTION)

    return wrapper  # type: ignore[return-value]


set_option = click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="KEY=VALUE",
    help="Change the scenario, e.g. weights.quality=1 or 'domains=[hr, taxes]'. "
    "With compare and one scenario: one variant per setting.",
)
lang_option = click.option(
    "--lang", type=click.Choice(["en", "nl"]), default="en", show_default=True, help="Labels and number format."
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.version_option(seta_version(), prog_name="seta")
def cli(debug: bool) -> None:
    """seta: which services municipalities should pool, where, and in which form."""


@cli.command()
@click.argument("scenario", default="kempen")
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write pools.csv, municipalities.csv and summary.json to this folder.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["table", "json", "csv"]),
    default="table",
    show_default=True,
    help="What goes to stdout: a table for people, JSON or CSV for scripts.",
)
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), help="Seconds the solver may take.")
@click.option("--gap", type=click.FloatRange(0, 1), help="Relative gap at which the solver may stop (0.01 = 1 %).")
@click.option("--solver", type=click.Choice(["highs", "cbc"]), help="MIP solver (default: the scenario's, highs).")
@click.option("--threads", type=click.IntRange(1, 64), help="Solver threads (1 is repeatable).")
@click.option("--seed", type=click.IntRange(0), help="Solver random seed.")
@click.option(
    "--formulation",
    type=click.Choice(["auto", "radius", "textbook"]),
    help="Assignment layer: radius where it is exact (auto), or force one (radius fails where it does not apply).",
)
@click.option(
    "--decompose",
    type=click.Choice(["none", "province"]),
    help="province: solve each province on its own, side by side (fast; pools stay within a province).",
)
@click.option("--write-lp", type=click.Path(dir_okay=False, path_type=Path), help="Write the model as an LP file.")
@user_errors
def solve(
    scenario: str,
    out_dir: Path | None,
    output_format: str,
    time_limit: float | None,
    gap: float | None,
    solver: str | None,
    threads: int | None,
    seed: int | None,
    formulation: str | None,
    decompose: str | None,
    write_lp: Path | None,
) -> None:
    """Find the best pooling of SCENARIO (a YAML file or a built-in name; default kempen)."""
    loaded = load_scenario(scenario)
    options = _options(loaded, time_limit, gap, solver, threads, seed, formulation, decompose)
    if write_lp is not None and options.decompose != "none":
        raise click.UsageError("--write-lp writes one model; add --decompose none to write the whole scenario's")
    err.print(
        f"Solving {loaded.name} ({plural(len(loaded.municipalities), 'municipality')}, "
        f"{plural(len(loaded.domains), 'domain')}) with {options.name}...",
        highlight=False,
    )
    result = optimize(loaded, options, progress=lambda line: err.print(line, highlight=False), write_lp=write_lp)
    if write_lp is not None:
        err.print(f"Model written to {write_lp}")
    if out_dir is not None:
        write_outputs(result, out_dir)
        err.print(f"Wrote pools.csv, municipalities.csv and summary.json to {out_dir}")
    if output_format == "json":
        click.echo(json.dumps(_json_document(result), indent=2, default=_json_default))
    elif output_format == "csv":
        click.echo(result.pools().to_csv(index=False), nl=False)
    else:
        from cli.render import render

        render(result, _stdout_console())
    if not result.report.has_solution:
        _fail(f"No solution: {result.report.describe()}", EXIT_NO_SOLUTION)


def _options(
    scenario: Scenario,
    time_limit: float | None,
    gap: float | None,
    solver: str | None,
    threads: int | None,
    seed: int | None,
    formulation: str | None = None,
    decompose: str | None = None,
) -> SolverOptions:
    given: dict[str, Any] = {
        "time_limit": time_limit,
        "gap": gap,
        "name": solver,
        "threads": threads,
        "seed": seed,
        "formulation": formulation,
        "decompose": decompose,
    }
    return replace(scenario.solver, **{k: v for k, v in given.items() if v is not None})


def _json_default(value: object) -> object:
    if hasattr(value, "item"):
        return value.item()  # numpy scalars
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


def _json_document(result: Result) -> dict[str, Any]:
    return {
        "summary": result.summary(),
        "pools": result.pools().to_dict("records"),
        "municipalities": result.municipalities().to_dict("records"),
    }


def write_outputs(result: Result, out_dir: Path) -> None:
    """Write the three files into a temporary folder first, so a failure leaves nothing half-written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".seta-") as staging:
        staged = Path(staging)
        result.pools().to_csv(staged / "pools.csv", index=False)
        result.municipalities().to_csv(staged / "municipalities.csv", index=False)
        (staged / "summary.json").write_text(
            json.dumps(result.summary(), indent=2, default=_json_default) + "\n", encoding="utf-8"
        )
        for name in ("pools.csv", "municipalities.csv", "summary.json"):
            (staged / name).replace(out_dir / name)


@cli.command()
@click.argument("scenario")
@user_errors
def validate(scenario: str) -> None:
    """Check SCENARIO and its tables; report every problem at once."""
    from optimizer.instance import Instance
    from optimizer.screens import screen

    loaded = load_scenario(scenario)
    screen(Instance(loaded))
    click.echo(
        f"{loaded.name}: valid ({len(loaded.municipalities)} municipalities, {len(loaded.domains)} domains, "
        f"{len(loaded.structures)} structures)"
    )


@cli.command(name="list")
@user_errors
def list_builtins() -> None:
    """Show the built-in scenarios and datasets."""
    click.echo("Built-in scenarios:")
    for name in builtin_names():
        scenario = load_scenario(name)
        members = ", ".join(m.name for m in scenario.municipalities)
        if len(members) > 70:
            members = members[:67] + "..."
        click.echo(f"  {name:<16} {len(scenario.municipalities):>3} municipalities  {members}")
    click.echo("Built-in datasets:")
    for name, description in builtin_datasets.DATASETS.items():
        click.echo(f"  {name:<16} {description}")
    click.echo(builtin_datasets.ATTRIBUTION)


@cli.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--from", "source", default="kempen", show_default=True, help="Built-in scenario to copy.")
@user_errors
def init(directory: Path, source: str) -> None:
    """Start a study in DIRECTORY: an editable copy of a built-in scenario with its tables."""
    from inputs.export import export_study

    if source not in builtin_names():
        from inputs.problems import suggestion

        raise InputError(
            [Problem("--from", f"unknown built-in scenario '{source}'; {suggestion(source, builtin_names())}")]
        )
    if directory.exists() and any(directory.iterdir()):
        raise InputError([Problem(str(directory), "the folder is not empty (expected a new or empty folder)")])
    written = export_study(load_scenario(source), builtin_path(source), directory)
    click.echo(f"Wrote {', '.join(p.name for p in written)} to {directory}")
    click.echo(f"Edit them, then run: seta solve {directory / 'scenario.yaml'}")


def main() -> None:
    cli(prog_name="seta")


@cli.command()
@click.argument("scenarios", nargs=-1)
@click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="KEY=VALUE",
    help="With one scenario: one variant per setting (e.g. weights.quality=1). With several: applied to all.",
)
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write compare.csv, compare.png and compare.html here.",
)
@lang_option
@user_errors
def compare(scenarios: tuple[str, ...], overrides: tuple[str, ...], out_dir: Path | None, lang: str) -> None:
    """Solve several scenarios (or variants of one) and show them on the same axes."""
    from cli.studies import compare_results, print_comparison, write_chart_files
    from optimizer.result import comparison_table
    from visuals.charts import comparison

    if not scenarios:
        scenarios = ("kempen",)
    if len(scenarios) == 1 and not overrides:
        raise InputError([Problem("seta compare", "nothing to compare: give two scenarios or --set KEY=VALUE")])
    err.print(f"Solving {len(scenarios) if len(scenarios) > 1 else 1 + len(overrides)} options...")
    table = comparison_table(compare_results(scenarios, overrides, lambda line: err.print(line, highlight=False)))
    print_comparison(table, "Options compared", _stdout_console())
    if out_dir is not None:
        write_chart_files(comparison(table, lang), table, out_dir, "compare", "Options compared", lang)
        err.print(f"Wrote compare.csv, compare.png and compare.html to {out_dir}")


@cli.command()
@click.argument("scenario", default="kempen")
@set_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Write endstates.csv, endstates.png and endstates.html here.",
)
@lang_option
@user_errors
def endstates(scenario: str, overrides: tuple[str, ...], out_dir: Path | None, lang: str) -> None:
    """The best configuration of SCENARIO under every end state, side by side."""
    from cli.studies import print_comparison, write_chart_files
    from optimizer.endstates import solve_end_states
    from optimizer.result import comparison_table
    from visuals.charts import end_states

    loaded = load_scenario(scenario, list(overrides))
    err.print(f"Solving {loaded.name} under 8 end states...")
    table = comparison_table(solve_end_states(loaded, progress=lambda line: err.print(line, highlight=False)))
    print_comparison(table, f"End states of {loaded.name}", _stdout_console())
    if out_dir is not None:
        write_chart_files(end_states(table, lang), table, out_dir, "endstates", f"End states of {loaded.name}", lang)
        err.print(f"Wrote endstates.csv, endstates.png and endstates.html to {out_dir}")


@cli.command()
@click.argument("scenario", default="kempen")
@set_option
@click.option(
    "--out",
    "out_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path("report.html"),
    show_default=True,
    help="The HTML file to write.",
)
@click.option(
    "--png",
    "png_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Also write every chart as PNG to this folder.",
)
@lang_option
@user_errors
def report(scenario: str, overrides: tuple[str, ...], out_path: Path, png_dir: Path | None, lang: str) -> None:
    """One self-contained HTML report (opens offline): configuration, charts, end states, assumptions."""
    from cli.studies import write_report

    loaded = load_scenario(scenario, list(overrides))
    err.print(f"Solving {loaded.name} and its end states...")
    result = optimize(loaded)
    if not result.report.has_solution:
        _fail(f"No solution: {result.report.describe()}", EXIT_NO_SOLUTION)
    written = write_report(loaded, result, out_path, png_dir, lang)
    click.echo(f"Wrote {', '.join(str(p) for p in written)}")
