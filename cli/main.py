"""The `seta` command: wires inputs -> optimizer -> output.

Exit codes (a contract, listed in the README):
    0    solved: optimal or feasible (also after Ctrl-C when a solution was kept)
    1    no solution (infeasible, or none found within the limits)
    2    bad input: the scenario, its tables, an option, or an output that cannot be written
    70   internal error: a bug in seta (run with --debug for the traceback)
    75   incomplete: the Dask cluster failed under the run; what finished is kept, marked as such
    130  interrupted by Ctrl-C with nothing kept (but the outputs it names as written whole)
    143  ended by SIGTERM, as 130
"""

from __future__ import annotations

import contextlib
import functools
import json
import math
import os
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from dataclasses import asdict, replace
from pathlib import Path
from typing import Any, TypeVar

import click
import pandas as pd
from rich.console import Console
from rich.text import Text

from cli.load import load_scenario
from cli.options import (
    FiniteFloatRange,
    cluster_options,
    explain_option,
    format_option,
    jobs_option,
    lang_option,
    participation_option,
    set_option,
    solver_options,
    solver_options_except,
    solver_settings,
    tie_option,
    with_participation,
)
from cli.output import (
    COMMITTED,
    DISK_FULL,
    OutputError,
    Terminated,
    cannot_write,
    check_file,
    check_folder,
    ended_by,
    json_default,
    raise_if_ended,
    signals_for,
    staged,
)
from cli.render import plural
from inputs import InputError, builtin_names
from inputs import datasets as builtin_datasets
from inputs.builtins import builtin_path
from inputs.configuration import Observed
from inputs.problems import Problem
from inputs.types import Scenario, SolverOptions
from optimizer import Result, Status, optimize
from optimizer.conflicts import Conflict
from optimizer.evaluate import Evaluation
from optimizer.executor import LOST_MARK, Executor, local_executor
from optimizer.explain import Explanation
from optimizer.guarantee import price, without_guarantee
from optimizer.observed import ObservedComparison
from optimizer.result import seta_version
from optimizer.robust import Study
from optimizer.solve import SolverUnavailable

EXIT_SOLVED, EXIT_NO_SOLUTION, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 70, 130
#: the Dask cluster under the run failed (its scheduler, or every worker, was lost): what finished is
#: kept and marked incomplete, the rest is missing; EX_TEMPFAIL, since running again may finish it
EXIT_INCOMPLETE = 75
#: 128 + SIGTERM, as a shell reports a process the signal ended
EXIT_TERMINATED = 143
F = TypeVar("F", bound=Callable[..., Any])

err = Console(stderr=True, highlight=False, soft_wrap=True)

#: set by Ctrl-C while a command runs: solves stop and keep what they have
STOP = threading.Event()


def _stdout_console() -> Console:
    """Tables on stdout: the terminal's width, or 120 columns when piped to a file."""
    return Console(highlight=False, width=None if sys.stdout.isatty() else 120)


def say(line: str) -> None:
    """A progress or status line on stderr, printed as it is (names may hold square brackets)."""
    err.print(Text(line), soft_wrap=True)


def _fail(message: str, code: int) -> None:
    ended = ended_by()
    if ended is not None and code != _signal_end(ended)[1]:
        # the signal's exception was swallowed (by the solver's callback) and the run went on: it
        # still ends as the signal asked
        message, code = _signal_end(ended)
    err.print(Text(message, style="red"), soft_wrap=True)
    sys.exit(code)


def _drop_stdout() -> None:
    """The reader of our output went away (`seta list | head -1`): what is left goes nowhere."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _stdout_error(error: OSError) -> OutputError:
    """Standard output cannot take what is left (`> /dev/full`, a full disk): bad output, exit 2. What
    is left goes nowhere, so that Python's own flush at exit fails no more."""
    _drop_stdout()
    reason = "disk full" if error.errno in DISK_FULL else "cannot write"
    return OutputError("standard output", f"{reason} ({error.strerror or error})")


def _stdout_failed() -> bool:
    """Whether standard output holds what it could not write (a failed flush keeps it buffered)."""
    try:
        sys.stdout.flush()
    except OSError:
        return True
    except ValueError:  # closed
        return False
    return False


@contextlib.contextmanager
def reader_may_leave() -> Iterator[None]:
    """Output for a reader that may stop reading: a closed pipe ends the output quietly, and the
    command goes on to its own exit code (a run without a solution still exits 1). Standard output
    that cannot be written (a full disk) is an OutputError."""
    raise_if_ended()
    try:
        yield
        sys.stdout.flush()
    except BrokenPipeError:
        _drop_stdout()
    except OSError as error:
        if error.filename is not None:  # a file, not standard output
            raise
        raise _stdout_error(error) from None


def _signal_end(error: KeyboardInterrupt) -> tuple[str, int]:
    """The last line and exit code of a run ended by a second Ctrl-C or SIGTERM: what it left on disk."""
    word, code = ("Terminated", EXIT_TERMINATED) if isinstance(error, Terminated) else ("Interrupted", EXIT_INTERRUPTED)
    if not COMMITTED:
        return f"{word}: nothing was kept.", code
    return f"{word}: {', '.join(COMMITTED)} written whole before it; nothing else was kept.", code


def user_errors[F: Callable[..., Any]](function: F) -> F:
    """Every way a command can end, as its exit code; tracebacks only with --debug (the exit code
    stays the same with it)."""

    @functools.wraps(function)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        debug = bool(click.get_current_context().find_root().params.get("debug"))
        STOP.clear()
        try:
            with signals_for(STOP):
                value = function(*args, **kwargs)
                raise_if_ended()
                sys.stdout.flush()  # standard output that cannot be written fails here, not at exit
                return value
        except InputError as error:
            if debug:
                traceback.print_exc()
            _fail(error.render(), EXIT_BAD_INPUT)
        except (SolverUnavailable, OutputError) as error:
            _fail(str(error), EXIT_BAD_INPUT)
        except BrokenPipeError:
            _drop_stdout()
            sys.exit(EXIT_SOLVED)
        except KeyboardInterrupt as error:  # a second Ctrl-C, or SIGTERM (Terminated)
            _fail(*_signal_end(error))
        except (SystemExit, click.exceptions.Exit, click.ClickException):
            raise
        except OSError as error:
            if debug:
                traceback.print_exc()
            if error.filename is None and _stdout_failed():
                _fail(str(_stdout_error(error)), EXIT_BAD_INPUT)
            if error.errno in DISK_FULL:
                _fail(f"{error.filename or 'an output'}: disk full ({error.strerror or error})", EXIT_BAD_INPUT)
            if error.filename:  # a file the run had to read or write
                _fail(f"{error.filename}: {error.strerror or error}", EXIT_BAD_INPUT)
            _internal(error, debug)
        except Exception as error:  # a bug: say so, with the traceback under --debug
            if debug:
                traceback.print_exc()
            _internal(error, debug)

    return wrapper  # type: ignore[return-value]


def _internal(error: BaseException, debug: bool) -> None:
    hint = "" if debug else " (run with --debug for the traceback)"
    _fail(f"internal error: {error}{hint}", EXIT_INTERNAL)


#: below this many municipalities a solve takes well under a second: worker processes would cost more
#: to start (about a second each) than they save
SMALL = 30


def _on(dask: Executor | None, make: Callable[[], Executor]) -> contextlib.AbstractContextManager[Executor]:
    """The cluster where one runs the command (its own context closes it), else a local executor
    that is closed on leaving the block: a command closes what it opens."""
    return contextlib.nullcontext(dask) if dask is not None else make()


def _executor(jobs: int | None, *scenarios: Scenario) -> Executor:
    """Worker processes for big studies (or as many as --jobs asks), this process for small ones."""
    if jobs is None and all(len(s.municipalities) <= SMALL and s.solver.decompose == "none" for s in scenarios):
        jobs = 1
    return local_executor(jobs, STOP)


@contextlib.contextmanager
def cluster(scheduler: str | None, workers: int | None) -> Iterator[Executor | None]:
    """A Dask cluster for the run's solves when --scheduler or --workers asks for one (closed after)."""
    if scheduler is None and workers is None:
        yield None
        return
    if scheduler is not None and workers is not None:
        raise InputError(
            [Problem("--workers", "give --scheduler (a running cluster) or --workers (a local one), not both")]
        )
    from cli.options import cluster_settings
    from optimizer.cluster import ClusterError, DaskExecutor

    settings = cluster_settings()
    if scheduler is not None:
        say(f"Connecting to the Dask scheduler at {scheduler}...")
    debug = bool(click.get_current_context().find_root().params.get("debug"))
    try:
        executor = DaskExecutor(
            scheduler,
            workers,
            STOP,
            connect_s=settings.connect_s,
            no_workers_s=settings.no_workers_s,
            quiet=not debug,  # distributed's own tracebacks, for --debug only
        )
    except ClusterError as error:
        raise InputError([Problem(settings.place, str(error))]) from None
    say(f"Dask cluster at {executor.address}: {plural(executor.workers, 'worker')}")
    try:
        yield executor
    finally:
        executor.close()


def _any_solved(results: list[tuple[str, Result]]) -> bool:
    return any(result.report.has_solution for _label, result in results)


def _lost(dask: Executor | None) -> str | None:
    """Why the run's Dask cluster failed under it, or None (no cluster, or it held)."""
    return dask.lost if dask is not None else None


def _end_incomplete(dask: Executor | None, kept: str) -> None:
    """The last word of a run whose cluster failed: what is missing and why, and exit 75 (never 0:
    what was shown or written is not the whole answer). `kept` says what finished."""
    lost = _lost(dask)
    if lost is not None:
        _fail(f"Incomplete: {lost}; {kept}", EXIT_INCOMPLETE)


def _end_study(results: list[tuple[str, Result]], out_dir: Path | None, dask: Executor | None = None) -> None:
    """A study ends like a solve: 0 when some option has a solution (options without one are shown
    as such), 130 when Ctrl-C left none, 1 when none has one, 75 when its cluster failed under it.
    Nothing is written without one."""
    if _lost(dask) is not None:
        missing = [label or "the scenario" for label, result in results if LOST_MARK in result.report.reason]
        if not _any_solved(results) and out_dir is not None:
            say(f"Nothing written to {out_dir}: no option has a solution.")
        _end_incomplete(
            dask,
            f"{len(missing)} of {plural(len(results), 'option')} lost or cut short ({', '.join(missing)}); "
            + ("the others are shown" if _any_solved(results) else "nothing was kept")
            + ", and what is missing is marked so.",
        )
    if STOP.is_set() and _any_solved(results):
        say("Interrupted: options not solved are shown without figures.")
    if _any_solved(results):
        return
    if out_dir is not None:
        say(f"Nothing written to {out_dir}: no option has a solution.")
    if STOP.is_set():
        _fail("Interrupted: nothing was kept.", EXIT_INTERRUPTED)
    _fail("No solution: no option has a solution.", EXIT_NO_SOLUTION)


def _end(result: Result, dask: Executor | None = None) -> None:
    """The exit of a solve: 0 with a solution, 130 when Ctrl-C left nothing, 75 when its cluster
    failed under the run, else 1."""
    if _lost(dask) is not None:
        if LOST_MARK in result.report.reason:
            kept = (
                f"what finished is kept and marked so ({result.report.describe()})."
                if result.report.has_solution
                else "nothing was kept."
            )
            _end_incomplete(dask, kept)
        if result.report.has_solution:
            _end_incomplete(dask, "the answer is whole, but what explains it is not all there.")
    if result.report.has_solution:
        return
    if result.report.interrupted:
        _fail("Interrupted: nothing was kept.", EXIT_INTERRUPTED)
    text = result.report.describe()
    _fail(
        "No solution" + text.removeprefix("no solution") if text.startswith("no solution") else f"No solution: {text}",
        EXIT_NO_SOLUTION,
    )


def _show(
    output_format: str,
    document: Callable[[], dict[str, Any]],
    table: Callable[[], pd.DataFrame],
    draw: Callable[[Console], None],
) -> None:
    """A study on stdout: its JSON document, its main table as CSV, or drawn for people."""
    with reader_may_leave():
        if output_format == "json":
            click.echo(json.dumps(document(), indent=2, default=json_default))
        elif output_format == "csv":
            click.echo(table().to_csv(index=False), nl=False)
        else:
            draw(_stdout_console())


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.version_option(seta_version(), prog_name="seta")
def cli(debug: bool) -> None:
    """seta: which services municipalities should pool, where, and in which form."""


@cli.command()
@click.argument("scenario", default="kempen")
@set_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    help="Write pools.csv, municipalities.csv and summary.json to this folder (with --explain also "
    "explanation.json and flips.csv).",
)
@format_option
@solver_options
@click.option("--write-lp", type=click.Path(path_type=Path), help="Write the model as an LP file.")
@jobs_option
@cluster_options
@explain_option
@tie_option
@participation_option
@click.option(
    "--given",
    "given",
    metavar="FILE",
    help="Evaluate a configuration observed in the world beside the optimum, with the distance between them: a "
    "CSV or YAML file of pools, a seta solve --out folder, or a built-in name (tax-cooperations, kempen-2007, ...; "
    "docs/observed.md).",
)
@user_errors
def solve(
    scenario: str,
    overrides: tuple[str, ...],
    out_dir: Path | None,
    output_format: str,
    solver_given: dict[str, Any],
    write_lp: Path | None,
    jobs: int | None,
    dask_scheduler: str | None,
    dask_workers: int | None,
    explain: bool | None,
    tie_percent: float,
    participation: str | None,
    given: str | None,
) -> None:
    """Find the best pooling of SCENARIO (a YAML file or a built-in name; default kempen)."""
    loaded = load_scenario(scenario, with_participation(overrides, participation))
    observed = None
    if given is not None:  # read before solving: a bad file is bad input, not a surprise after minutes
        from inputs.configuration import read_observed

        observed = read_observed(given, loaded)
    options = solver_settings(loaded, solver_given)
    if write_lp is not None and options.decompose != "none":
        raise click.UsageError("--write-lp writes one model; add --decompose none to write the whole scenario's")
    if out_dir is not None:
        check_folder(out_dir, "--out")
    if write_lp is not None:
        check_file(write_lp, "--write-lp")
    municipalities = sum(not m.partner for m in loaded.municipalities)
    say(
        f"Solving {loaded.name} ({plural(municipalities, 'municipality')}, "
        f"{plural(len(loaded.domains), 'domain')}) with {options.name}..."
    )
    from cli.why import explain_conflict, explain_result, explainer

    with (
        cluster(dask_scheduler, dask_workers) as dask,
        _on(dask, lambda: explainer(replace(loaded, solver=options), explain, jobs, STOP)) as explaining,
        _on(dask, lambda: local_executor(jobs, STOP)) as solving,
    ):
        try:
            result = optimize(loaded, options, progress=say, stop=STOP, write_lp=write_lp, executor=solving)
        except OSError as error:
            if write_lp is None or error.filename != str(write_lp):
                raise
            raise cannot_write(f"--write-lp {write_lp}", error) from None
        if result.wrote_lp:
            say(f"Model written to {write_lp}")
        elif write_lp is not None:
            say(f"No model written to {write_lp}: the run ended before the model was built.")
        explanation = None
        conflict = None
        guarantee = None
        if not STOP.is_set() and _lost(dask) is None:
            explanation = explain_result(result, explain, tie_percent, explaining, say)
            conflict = explain_conflict(result, explain, STOP, say)
        if loaded.politics.participation is not None and result.chosen is not None and not STOP.is_set():
            say("Solving again without the participation guarantee, for its price...")
            free = optimize(without_guarantee(loaded), options, stop=STOP, executor=solving)
            guarantee = price(result, free)
    comparison = None
    if observed is not None and result.configuration is not None and result.chosen is not None:
        from optimizer.observed import compare_observed

        comparison = compare_observed(result.instance, result.configuration, result.chosen, observed)
    elif observed is not None:
        say(f"{observed.name} is not set beside an answer: there is none to compare it with.")
    if out_dir is not None and result.report.has_solution:
        written = write_outputs(result, out_dir, explanation, comparison)
        say(f"Wrote {', '.join(written)} to {out_dir}")
    with reader_may_leave():
        if output_format == "json":
            document = json_document(result, explanation)
            if comparison is not None:
                document["observed"] = observed_document(comparison)
            if guarantee is not None:
                document["participation"] = asdict(guarantee) | {"price_weighted": guarantee.weighted}
            if conflict is not None:
                document["conflict"] = conflict_document(conflict)
            click.echo(json.dumps(document, indent=2, default=json_default))
        elif output_format == "csv":
            click.echo(pools_with_runner_ups(result, explanation).to_csv(index=False), nl=False)
        else:
            from cli.render import render, render_observed

            console = _stdout_console()
            render(result, console, explanation)
            if comparison is not None:
                render_observed(comparison, result, console)
    if guarantee is not None:
        say(guarantee.describe())
    if conflict is not None:
        from cli.why import conflict_lines

        for line in conflict_lines(conflict):
            say(line)
    if out_dir is not None and not result.report.has_solution:
        say(f"Nothing written to {out_dir}: there is no solution to write.")
    _end(result, dask)


def json_document(result: Result, explanation: Explanation | None = None) -> dict[str, Any]:
    """The result as JSON data; a figure that does not exist (NaN: nothing after a run without a
    solution) is null, since JSON has no NaN."""
    municipalities = result.municipalities().astype(object)
    from visuals.why import valuation_lines

    document: dict[str, Any] = {
        "summary": result.summary().to_dict(),
        "pools": pools_with_runner_ups(result, explanation).to_dict("records"),
        "municipalities": municipalities.where(municipalities.notna(), None).to_dict("records"),
        "valuations": valuation_lines(result),
    }
    if explanation is not None:
        document["explanation"] = explanation_document(explanation)
        from visuals.why import cash_headline

        document["explanation"]["cash_headline"] = cash_headline(result, explanation)
    return document


def explanation_document(explanation: Explanation) -> dict[str, Any]:
    """The explanation as JSON data (codes and keys; `null` where a re-solve found nothing)."""
    document = asdict(explanation)
    document["near_ties"] = [asdict(r) for r in explanation.near_ties]
    return document


def conflict_document(conflict: Conflict) -> dict[str, Any]:
    """Why there is no solution, as JSON data: the conflicting rules and the smallest changes."""
    return {
        "rules": [{"key": r.key, "rule": r.words} for r in conflict.rules],
        "changes": [asdict(c) for c in conflict.changes],
        "proven": conflict.proven,
    }


def pools_with_runner_ups(result: Result, explanation: Explanation | None) -> pd.DataFrame:
    """The pools table, with each pool's best alternative host and structure and their margins
    (weighted, EUR a year) when the answer was explained."""
    pools = result.pools()
    if explanation is None:
        return pools
    from visuals.why import groups_text

    namer, domains = result.name_of, len(result.instance.domains)
    extra: dict[str, list[Any]] = {
        f"{kind}_{field}": []
        for kind in ("alt_host", "alt_structure")
        for field in ("instead", "margin_eur", "cash_margin_eur")
    }
    for record in pools.to_dict("records"):
        for kind in ("host", "structure"):
            match = next(
                (
                    r
                    for r in explanation.runner_ups
                    if r.forbidden == kind
                    and r.choice.host == record["host_code"]
                    and r.choice.structure == record["structure"]
                    and record["domain"] in r.choice.domains
                ),
                None,
            )
            instead = "" if match is None else groups_text(match.instead, namer, domains)
            extra[f"alt_{kind}_instead"].append(instead)
            extra[f"alt_{kind}_margin_eur"].append(None if match is None else match.margin)
            extra[f"alt_{kind}_cash_margin_eur"].append(None if match is None else match.cash_margin)
    return pools.assign(**extra)


def observed_document(comparison: ObservedComparison) -> dict[str, Any]:
    """An observed configuration beside the optimum as JSON data (codes and keys)."""
    observed = comparison.observed
    return {
        "name": observed.name,
        "file": observed.label,
        "year": observed.year,
        "source": observed.source,
        "note": observed.note,
        "pools": [asdict(pool) for pool in observed.pools],
        "covered_municipalities": list(observed.covered),
        "covered_domains": list(observed.domains),
        "outside_pools": list(observed.outside_pools),
        "whole_scenario": comparison.whole,
        "observed": asdict(comparison.reality),
        "optimum": asdict(comparison.optimum),
        "distance": comparison.distance.as_dict(),
        "pooling_share": {
            domain: {"optimum_all_municipalities": best, "observed_listed_municipalities": real}
            for domain, (best, real) in comparison.shares.items()
        },
        "observed_objective": comparison.evaluation.objective,
        "violations": list(comparison.violations),
    }


def write_outputs(
    result: Result,
    out_dir: Path,
    explanation: Explanation | None = None,
    comparison: ObservedComparison | None = None,
) -> list[str]:
    """The files, complete or not at all; their names."""
    written = ["pools.csv", "municipalities.csv", "summary.json"]
    with staged(out_dir, "--out") as stage:
        if comparison is not None:
            stage.path("observed.json").write_text(
                json.dumps(observed_document(comparison), indent=2, default=json_default) + "\n", encoding="utf-8"
            )
            written.append("observed.json")
        stage.table("pools", pools_with_runner_ups(result, explanation))
        stage.table("municipalities", result.municipalities())
        stage.path("summary.json").write_text(
            json.dumps(result.summary().to_dict(), indent=2, default=json_default) + "\n", encoding="utf-8"
        )
        if explanation is not None:
            from visuals.why import flip_table

            stage.path("explanation.json").write_text(
                json.dumps(explanation_document(explanation), indent=2, default=json_default) + "\n",
                encoding="utf-8",
            )
            flips = flip_table(explanation, result.name_of, len(result.instance.domains))
            stage.table("flips", flips)
            written += ["explanation.json", "flips.csv"]
    return [*written, "seta.xlsx"]


@cli.command()
@click.argument("scenario")
@set_option
@user_errors
def validate(scenario: str, overrides: tuple[str, ...]) -> None:
    """Check SCENARIO and its tables; report every problem at once."""
    from optimizer.instance import Instance
    from optimizer.screens import screen

    loaded = load_scenario(scenario, list(overrides))
    screen(Instance(loaded))
    with reader_may_leave():
        click.echo(
            f"{loaded.name}: valid ({plural(len(loaded.municipalities), 'municipality')}, "
            f"{plural(len(loaded.domains), 'domain')}, {plural(len(loaded.structures), 'structure')})"
        )


@cli.command(name="list")
@user_errors
def list_builtins() -> None:
    """Show the built-in scenarios and datasets."""
    with reader_may_leave():
        _list_builtins()


def _list_builtins() -> None:
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
@click.argument("directory", type=click.Path(path_type=Path))
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
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise InputError([Problem(str(directory), "the folder is not empty (expected a new or empty folder)")])
    scenario = load_scenario(source)
    with staged(directory, "init") as stage:
        written = export_study(scenario, builtin_path(source), stage.path)
    with reader_may_leave():
        click.echo(f"Wrote {', '.join(written)} to {directory}")
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
    type=click.Path(path_type=Path),
    help="Write options.csv, options.png and options.html here.",
)
@solver_options
@jobs_option
@cluster_options
@lang_option
@user_errors
def compare(
    scenarios: tuple[str, ...],
    overrides: tuple[str, ...],
    out_dir: Path | None,
    solver_given: dict[str, Any],
    jobs: int | None,
    dask_scheduler: str | None,
    dask_workers: int | None,
    lang: str,
) -> None:
    """Solve several scenarios (or variants of one) and show them on the same axes."""
    from cli.studies import compare_results, print_comparison, write_chart_files
    from optimizer.result import comparison_table
    from visuals.charts import comparison

    if not scenarios:
        scenarios = ("kempen",)
    if len(scenarios) == 1 and not overrides:
        raise InputError([Problem("seta compare", "nothing to compare: give two scenarios or --set KEY=VALUE")])
    if out_dir is not None:
        check_folder(out_dir, "--out")
    say(f"Solving {len(scenarios) if len(scenarios) > 1 else 1 + len(overrides)} options...")
    with cluster(dask_scheduler, dask_workers) as dask:
        results = compare_results(
            scenarios, overrides, solver_given, lambda *s: _on(dask, lambda: _executor(jobs, *s)), say
        )
    table = comparison_table(results)
    with reader_may_leave():
        print_comparison(table, "Opties vergeleken" if lang == "nl" else "Options compared", _stdout_console(), lang)
    if out_dir is not None and _any_solved(results):
        write_chart_files(comparison(table, lang), table, out_dir, "options", "Options compared", lang)
        say(f"Wrote options.csv, options.png, options.html and seta.xlsx to {out_dir}")
    _end_study(results, out_dir, dask)


@cli.command()
@click.argument("scenario", default="kempen")
@set_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    help="Write end-states.csv, end-states.png and end-states.html here.",
)
@solver_options
@jobs_option
@cluster_options
@lang_option
@user_errors
def endstates(
    scenario: str,
    overrides: tuple[str, ...],
    out_dir: Path | None,
    solver_given: dict[str, Any],
    jobs: int | None,
    dask_scheduler: str | None,
    dask_workers: int | None,
    lang: str,
) -> None:
    """The best configuration of SCENARIO under every end state, side by side."""
    from cli.studies import print_comparison, write_chart_files
    from optimizer.endstates import END_STATES, solve_end_states
    from optimizer.result import comparison_table
    from visuals.charts import end_states

    loaded = load_scenario(scenario, list(overrides))
    options = solver_settings(loaded, solver_given)
    if out_dir is not None:
        check_folder(out_dir, "--out")
    say(f"Solving {loaded.name} under {len(END_STATES)} end states...")
    with (
        cluster(dask_scheduler, dask_workers) as dask,
        _on(dask, lambda: _executor(jobs, replace(loaded, solver=options))) as executor,
    ):
        results = solve_end_states(loaded, options, executor=executor, progress=say)
    table = comparison_table(results)
    title = f"{'Eindbeelden van' if lang == 'nl' else 'End states of'} {loaded.name}"
    with reader_may_leave():
        print_comparison(table, title, _stdout_console(), lang)
    if out_dir is not None and _any_solved(results):
        write_chart_files(end_states(table, lang), table, out_dir, "end-states", title, lang)
        say(f"Wrote end-states.csv, end-states.png, end-states.html and seta.xlsx to {out_dir}")
    _end_study(results, out_dir, dask)


@cli.command()
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
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    help="Write alternatives.csv and alternatives.json to this folder.",
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
    _end(result)
    if result.report.status is not Status.OPTIMAL:
        _fail(
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
            stage.path("alternatives.json").write_text(
                json.dumps(document, indent=2, default=json_default) + "\n", encoding="utf-8"
            )
        say(f"Wrote alternatives.csv and alternatives.json to {out_dir}")
    with reader_may_leave():
        if output_format == "json":
            click.echo(json.dumps(document, indent=2, default=json_default))
        elif output_format == "csv":
            click.echo(table.to_csv(index=False), nl=False)
        else:
            from cli.why import print_frame

            title = f"{'Alternatieven binnen' if lang == 'nl' else 'Alternatives within'} {within:g} %"
            print_frame(_stdout_console(), title, table)


def _check_uncertain(scenario: Scenario) -> None:
    if not scenario.uncertainty.groups:
        raise InputError(
            [
                Problem(
                    f"{scenario.source}, uncertainty",
                    "no figure is uncertain (expected the default ranges, or ranges of the scenario's own)",
                )
            ]
        )


def _robust_study(
    scenario: Scenario, options: SolverOptions, draws: int, seed: int, sampling: str, executor: Executor
) -> Study:
    """The scenario and its draws solved on `executor` (closed after, unless it is a Dask cluster's);
    the caller has checked that something is uncertain (`_check_uncertain`), before any solving."""
    from cli.robust import TaskBar
    from inputs.uncertainty import MANY_DIMENSIONS
    from optimizer.robust import run

    groups = scenario.uncertainty.groups
    if len(groups) > MANY_DIMENSIONS:
        say(
            f"Note: {len(groups)} uncertain groups of figures; beyond {MANY_DIMENSIONS} a few hundred draws say "
            "little about each (group figures with `group:` in the uncertainty block)."
        )
    say(
        f"Solving {scenario.name} and {plural(draws, 'draw')} of {plural(len(groups), 'uncertain group')} of figures..."
    )
    with TaskBar(err, "solves") as bar:
        return run(scenario, options, draws, seed=seed, sampling=sampling, executor=executor, progress=bar)


@cli.command()
@click.argument("scenario", default="kempen")
@set_option
@click.option(
    "--draws",
    type=click.IntRange(1, 100_000),
    default=200,
    show_default=True,
    help="How many draws of the uncertain figures to solve.",
)
@click.option(
    "--seed",
    "draw_seed",
    type=click.IntRange(0, 2**32 - 1),
    default=0,
    show_default=True,
    help="Seed of the draws: the same seed gives the same draws (the solver's own seed is solver.seed).",
)
@click.option(
    "--sampling",
    type=click.Choice(["lhs", "sobol"]),
    default="lhs",
    show_default=True,
    help="Latin hypercube (any number of draws) or scrambled Sobol (best with a power of 2).",
)
@format_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    help="Write draws.csv, pools.csv, decisions.csv, drivers.csv, ranges.csv, robust.json, the charts "
    "(PNG) and robust.html to this folder.",
)
@solver_options_except("seed")
@jobs_option
@cluster_options
@lang_option
@user_errors
def robust(
    scenario: str,
    overrides: tuple[str, ...],
    draws: int,
    draw_seed: int,
    sampling: str,
    output_format: str,
    out_dir: Path | None,
    solver_given: dict[str, Any],
    jobs: int | None,
    dask_scheduler: str | None,
    dask_workers: int | None,
    lang: str,
) -> None:
    """Does the advice of SCENARIO hold when its uncertain figures move? One solve per draw of the
    figures' plausible ranges (docs/model.md, "Uncertainty"; a scenario's `uncertainty:` block changes
    them): how often each pool is chosen, how often the recommendation is the best and what it costs
    where it is not, and which figures drive that."""
    from cli.robust import document, render, write_files

    loaded = load_scenario(scenario, list(overrides))
    options = solver_settings(loaded, solver_given)
    _check_uncertain(loaded)
    if out_dir is not None:
        check_folder(out_dir, "--out")
    with cluster(dask_scheduler, dask_workers) as dask, _on(dask, lambda: local_executor(jobs, STOP)) as executor:
        study = _robust_study(loaded, options, draws, draw_seed, sampling, executor)
    if study.nominal.configuration is None:
        _end(study.nominal, dask)
    if not study.draws:
        _end_incomplete(dask, "no draw finished, nothing was kept.")
        _fail("Interrupted: no draw finished, nothing was kept.", EXIT_INTERRUPTED)
    if STOP.is_set() and _lost(dask) is None:
        say(f"Interrupted: {len(study.draws)} of {draws} draws finished; the figures are over those.")
    if out_dir is not None:
        written = write_files(study, out_dir, lang, note=say)
        say(f"Wrote {', '.join(written)} to {out_dir}")
    _show(
        output_format,
        lambda: document(study),
        study.draws_table,
        lambda console: render(study, console, lang),
    )
    _end_incomplete(
        dask,
        f"{len(study.draws)} of {draws} draws finished and are kept, the figures are over those; the "
        f"other {draws - len(study.draws)} are missing.",
    )


#: the figures `seta calibrate` fits unless told otherwise: the joint body's and its domain's own, which
#: set the defaults (docs/model.md, "Calibration on observed cooperations")
CALIBRATED = (
    "structures.joint_body.governance_per_unit",
    "structures.joint_body.governance_per_member",
    "domains.taxes.diseconomy_share",
    "domains.taxes.scale_inhabitants",
)
#: with the default figures: the aggregate of docs/domain.md, about half to two thirds of municipalities
#: cooperate on taxes (the issue's target 40-80 %)
CALIBRATED_SHARE = "taxes=40-80"


def _share_option(text: str | None) -> tuple[str, float, float] | None:
    """`taxes=40-80` -> ('taxes', 0.4, 0.8); bad input with the expected form otherwise."""
    if text is None or text == "none":
        return None
    domain, _, span = text.partition("=")
    low, _, high = span.partition("-")
    try:
        bounds = (float(low) / 100, float(high) / 100)
    except ValueError:
        bounds = (math.nan, math.nan)
    if not domain or not all(0 <= b <= 1 for b in bounds) or bounds[0] > bounds[1]:
        raise InputError(
            [Problem(f"--share {text}", "expected DOMAIN=LOW-HIGH in percent, e.g. taxes=40-80 (or none)")]
        )
    return domain, bounds[0], bounds[1]


@cli.command()
@click.argument("scenario", default="nl-2024-taxes")
@set_option
@click.option(
    "--given",
    default="tax-cooperations",
    show_default=True,
    metavar="FILE",
    help="The observed configuration to learn from: a CSV or YAML file of pools, or a built-in name "
    "(docs/observed.md).",
)
@click.option(
    "--fit",
    "paths",
    multiple=True,
    metavar="FIGURE",
    help="A figure to fit, as its key path (weights.autonomy, structures.joint_body.governance_per_member, "
    "domains.taxes.scale_inhabitants, ...); repeat for several. Default: " + ", ".join(CALIBRATED) + ", with "
    f"--share {CALIBRATED_SHARE}: the figures the defaults take from this command.",
)
@click.option(
    "--share",
    metavar="DOMAIN=LOW-HIGH",
    help="Keep the share of all the scenario's municipalities that pool DOMAIN in this range (percent), where "
    "a figure fitted by grid allows it (each point solves the whole scenario); else it is reported. Default: "
    f"none, or {CALIBRATED_SHARE} with the default figures.",
)
@click.option(
    "--within",
    type=FiniteFloatRange(0, 100),
    default=1.0,
    show_default=True,
    metavar="PERCENT",
    help="The ranges reported: the values that keep every observed pool within this share of its annual cash "
    "cost from optimal.",
)
@click.option(
    "--loo/--no-loo",
    default=True,
    show_default=True,
    help="Also fit leaving one cooperation out at a time, and measure the fit on it (takes as many fits again).",
)
@format_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    help="Write figures.csv, cases.csv, leave_one_out.csv, calibration.json and seta.xlsx to this folder.",
)
@solver_options_except("decompose")
@jobs_option
@lang_option
@user_errors
def calibrate(
    scenario: str,
    overrides: tuple[str, ...],
    given: str,
    paths: tuple[str, ...],
    share: str | None,
    within: float,
    loo: bool,
    output_format: str,
    out_dir: Path | None,
    solver_given: dict[str, Any],
    jobs: int | None,
    lang: str,
) -> None:
    """Learn valuations from observed choices (inverse optimisation): the values of the figures to fit
    under which each observed pool of GIVEN is optimal, or as close as the plausible ranges allow, with
    the range that keeps them within a share of optimal and the fit leaving one cooperation out."""
    from cli.calibrate import document, figures_table, render, write_files
    from inputs.configuration import read_observed
    from optimizer.calibrate import calibrate as run

    loaded = load_scenario(scenario, list(overrides))
    observed = read_observed(given, loaded)
    aggregate = _share_option(share if share is not None or paths else CALIBRATED_SHARE)
    options = replace(solver_settings(loaded, solver_given), decompose="none")
    if out_dir is not None:
        check_folder(out_dir, "--out")
    with local_executor(jobs, STOP) as executor:
        result = run(
            loaded,
            observed,
            list(paths or CALIBRATED),
            options,
            within=within / 100,
            folds=loo,
            executor=executor,
            progress=say,
            stop=STOP,
            share=aggregate,
        )
    if result.interrupted:
        say(f"Interrupted: the fit after {result.fit.rounds} rounds is kept; it is not proven the best.")
    if out_dir is not None:
        written = write_files(result, out_dir)
        say(f"Wrote {', '.join(written)} to {out_dir}")
    _show(
        output_format,
        lambda: document(result),
        lambda: figures_table(result),
        lambda console: render(result, console, lang),
    )


def _report_observed(reference: str, scenario: Scenario, given: str | None) -> Observed | None:
    """The observed configuration of the report: the one given (bad input when it does not fit), else a
    seed region's own of 2007 when the scenario is that built-in region and the file fits it."""
    from inputs.configuration import builtin_observed, read_observed

    if given is not None:
        return read_observed(given, scenario)
    own = f"{reference}-2007"
    if own not in builtin_observed() or reference not in builtin_names():
        return None
    try:
        return read_observed(own, scenario)
    except InputError as error:  # the region was changed (--set) so that 2007 no longer fits it
        say(f"What {scenario.name} did in 2007 is left out: {error.problems[0]}")
        return None


def _given_configuration(folder: Path, scenario: Scenario) -> Evaluation:
    """The configuration in a `seta solve --out` folder or a file of pools, evaluated on this scenario;
    bad input (exit 2) when it names what the scenario lacks or breaks its rules."""
    from inputs.configuration import read_configuration
    from optimizer.evaluate import evaluate
    from optimizer.instance import IN_HOUSE, Instance, Placement

    pools = read_configuration(folder, scenario)
    instance = Instance(scenario)
    configuration = {
        (code, domain): Placement(*pools[code, domain]) if (code, domain) in pools else Placement(code, IN_HOUSE)
        for code in instance.codes
        for domain in instance.domains
    }
    chosen = evaluate(instance, configuration)
    if chosen.violations:
        place = f"{folder.name}/pools.csv" if folder.is_dir() else folder.name
        raise InputError(
            [Problem(place, f"does not fit {scenario.name}: {violation}") for violation in chosen.violations[:10]]
        )
    return chosen


@cli.command()
@click.argument("scenario", default="kempen")
@set_option
@click.option(
    "--key",
    "keys",
    multiple=True,
    metavar="KEY",
    help="A cost-sharing key: inhabitants, use (workload), equal, or fixed:SHARE+use (e.g. fixed:0.3+use: 30 % "
    "in equal shares, 70 % by use). Repeat for several; default: inhabitants, use and equal.",
)
@click.option(
    "--config",
    "config_dir",
    type=click.Path(path_type=Path),
    help="Split this configuration by the keys instead of the best one: a folder written by seta solve --out "
    "(its pools.csv), or a CSV or YAML file of pools (docs/observed.md).",
)
@participation_option
@format_option
@click.option(
    "--out",
    "out_dir",
    type=click.Path(path_type=Path),
    help="Write allocation.csv, blocking.csv, valuations.csv, the charts (PNG), shares.html and seta.xlsx "
    "to this folder.",
)
@click.option(
    "--orders",
    type=click.IntRange(20, 100_000),
    default=40,
    show_default=True,
    help="Beyond 10 members: the Shapley value is sampled over this many orders of joining (with its "
    "standard error; fewer than 20 would leave the error itself unreliable); every coalition is solved up to 10.",
)
@solver_options
@jobs_option
@cluster_options
@lang_option
@user_errors
def allocate(
    scenario: str,
    overrides: tuple[str, ...],
    keys: tuple[str, ...],
    config_dir: Path | None,
    participation: str | None,
    output_format: str,
    out_dir: Path | None,
    orders: int,
    solver_given: dict[str, Any],
    jobs: int | None,
    dask_scheduler: str | None,
    dask_workers: int | None,
    lang: str,
) -> None:
    """Who pays what: each member's annual cash cost under each cost-sharing key and under the Shapley
    value (a re-solve per coalition), against what it would pay alone; and every group of members
    that would be better off on its own."""
    from cli.allocate import document, render, write_files
    from inputs.keys import BadKey, parse_key
    from optimizer.allocate import EXACT_MEMBERS, fair_shares

    parsed = []
    for text in keys or ("inhabitants", "use", "equal"):
        try:
            parsed.append(parse_key(text))
        except BadKey as error:
            raise InputError([Problem("--key", str(error))]) from None
    loaded = load_scenario(scenario, with_participation(overrides, participation))
    options = replace(solver_settings(loaded, solver_given), decompose="none")
    given = None if config_dir is None else _given_configuration(config_dir, loaded)
    if out_dir is not None:
        check_folder(out_dir, "--out")
    members = len(loaded.municipalities)
    if members > EXACT_MEMBERS:
        say(
            f"Solving {loaded.name} along {orders} sampled orders of joining ({members} members: every coalition "
            f"is solved only up to {EXACT_MEMBERS})..."
        )
    else:
        say(f"Solving {loaded.name} for each of its {2**members - 1} coalitions...")
    with (
        cluster(dask_scheduler, dask_workers) as dask,
        _on(dask, lambda: _executor(jobs, replace(loaded, solver=options))) as executor,
    ):
        shares = fair_shares(
            loaded, options, parsed, given, executor=executor, progress=say, orders=orders, seed=options.seed
        )
    _end_incomplete(dask, "the coalitions were not all solved, so no fair share is given.")
    if not shares.result.report.has_solution and not STOP.is_set():
        from cli.why import conflict_lines, explain_conflict

        conflict = explain_conflict(shares.result, None, STOP, say)
        for line in conflict_lines(conflict) if conflict is not None else []:
            say(line)
    _end(shares.result)
    if STOP.is_set():
        _fail("Interrupted: the coalitions were not all solved, so no fair share is given.", EXIT_INTERRUPTED)
    if out_dir is not None:
        written = write_files(shares, out_dir, loaded.name, lang)
        say(f"Wrote {', '.join(written)} to {out_dir}")
    _show(
        output_format,
        lambda: document(shares),
        shares.table,
        lambda console: render(shares, console, lang),
    )


@cli.command()
@click.argument("scenario", default="kempen")
@click.option("--port", type=click.IntRange(0, 65535), default=8050, show_default=True, help="0: any free port.")
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Where to listen. Only this machine by default; another address lets others on the network in, "
    "and then every request needs the token printed in the page's address.",
)
@solver_options
@lang_option
@user_errors
def serve(scenario: str, port: int, host: str, solver_given: dict[str, Any], lang: str) -> None:
    """A workshop page for SCENARIO: change who takes part, the domains, structures, weights, limits
    and politics, and the answer re-solves in place. The page's address holds its settings (send it
    round afterwards); it offers them as a scenario file that seta solve reproduces."""
    from cli.serve import Workshop
    from cli.serve import serve as run_server
    from inputs.loader import read_source

    source = read_source(scenario)
    base = source.scenario()
    options = solver_settings(base, solver_given)
    if host not in ("127.0.0.1", "localhost", "::1"):
        say(
            f"Warning: listening on {host}: anyone who can reach this machine there can use the page (it reads "
            "and writes no files, but it solves on this machine)."
        )
    workshop = Workshop(source, options, lang)
    try:
        run_server(
            workshop, host, port, lambda url: say(f"seta serve: {base.name} at {url} (Ctrl-C stops)"), STOP, log=say
        )
    except OSError as error:
        raise InputError(
            [Problem(f"--host {host} --port {port}", f"cannot listen there: {error.strerror or error}")]
        ) from None
    say("Stopped.")


@cli.command()
@click.argument("scenario", default="kempen")
@set_option
@click.option(
    "--out",
    "out_path",
    type=click.Path(path_type=Path),
    default=Path("report.html"),
    show_default=True,
    help="The HTML file to write.",
)
@click.option(
    "--png",
    "png_dir",
    type=click.Path(path_type=Path),
    help="Also write every chart as PNG to this folder, named after what it shows.",
)
@click.option(
    "--shares",
    is_flag=True,
    help="Add a section on who pays what: each member's cost under the keys inhabitants, use and equal, the "
    "Shapley value and the groups better off alone (a solve per coalition, as seta allocate).",
)
@click.option(
    "--draws",
    type=click.IntRange(1, 100_000),
    help="Add a section on whether the advice holds when the uncertain figures move: this many draws, "
    "as `seta robust` solves them.",
)
@click.option(
    "--draw-seed",
    type=click.IntRange(0, 2**32 - 1),
    default=0,
    show_default=True,
    help="Seed of the draws (with --draws).",
)
@click.option(
    "--given",
    metavar="FILE",
    help="Add a section on an observed configuration beside the answer (as seta solve --given). Default, for "
    "the seed's built-in regions: what the region did in 2007 (kempen-2007, ...).",
)
@solver_options
@jobs_option
@cluster_options
@lang_option
@explain_option
@tie_option
@user_errors
def report(
    scenario: str,
    overrides: tuple[str, ...],
    out_path: Path,
    png_dir: Path | None,
    shares: bool,
    draws: int | None,
    draw_seed: int,
    given: str | None,
    solver_given: dict[str, Any],
    jobs: int | None,
    dask_scheduler: str | None,
    dask_workers: int | None,
    lang: str,
    explain: bool | None,
    tie_percent: float,
) -> None:
    """One self-contained HTML report (opens offline): the answer and why, charts, end states, what the
    region did (for the seed's regions, or with --given), (with --draws) whether the advice holds under
    uncertain figures, and the assumptions."""
    from cli.studies import write_report

    loaded = load_scenario(scenario, list(overrides))
    observed = _report_observed(scenario, loaded, given)
    options = solver_settings(loaded, solver_given)
    check_file(out_path, "--out")
    if draws is not None:
        _check_uncertain(loaded)
    if png_dir is not None:
        check_folder(png_dir, "--png")
    say(f"Solving {loaded.name}...")
    from cli.why import explain_result, explainer

    with (
        cluster(dask_scheduler, dask_workers) as dask,
        _on(dask, lambda: _executor(jobs, replace(loaded, solver=options))) as executor,
        _on(dask, lambda: explainer(replace(loaded, solver=options), explain, jobs, STOP)) as explaining,
        _on(dask, lambda: local_executor(jobs, STOP)) as solving,
    ):
        result = optimize(loaded, options, progress=say, stop=STOP, executor=solving)
        _end_incomplete(dask, "the report was not written.")
        _end(result)
        explanation = explain_result(result, explain, tie_percent, explaining, say)
        if STOP.is_set():
            _fail("Interrupted: the report was not written.", EXIT_INTERRUPTED)
        study = None
        if draws is not None:
            study = _robust_study(loaded, options, draws, draw_seed, "lhs", solving)
        fair = None
        if shares and not STOP.is_set():
            from inputs.keys import parse_key
            from optimizer.allocate import fair_shares

            say(f"Solving {loaded.name} for its coalitions, for fair shares...")
            keys = [parse_key(text) for text in ("inhabitants", "use", "equal")]
            split = replace(options, decompose="none")
            fair = fair_shares(loaded, split, keys, executor=executor, progress=say, orders=40, seed=options.seed)
        _end_incomplete(dask, "the report was not written.")
        if STOP.is_set():
            _fail("Interrupted: the report was not written.", EXIT_INTERRUPTED)
        comparison = None
        if observed is not None and result.configuration is not None and result.chosen is not None:
            from optimizer.observed import compare_observed

            comparison = compare_observed(result.instance, result.configuration, result.chosen, observed)
        written = write_report(
            loaded, result, options, out_path, png_dir, lang, executor, say, explanation, study, fair, comparison
        )
    if not written:  # Ctrl-C, or a lost cluster, came before every section was ready
        _end_incomplete(dask, "the report was not written.")
        _fail("Interrupted: the report was not written.", EXIT_INTERRUPTED)
    if STOP.is_set():  # ... or after: the report was complete, and it was written
        say("Interrupted after the report was complete; it was written whole.")
    with reader_may_leave():
        for path in written:
            click.echo(f"Wrote {path}")
