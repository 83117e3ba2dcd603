"""What the commands share: exit codes, stderr and stdout, Ctrl-C, executors and how a run ends.

The exit codes are a contract, listed in cli/main.py's docstring and in the README.
"""

from __future__ import annotations

import contextlib
import functools
import os
import sys
import threading
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import click
import pandas as pd
from rich.console import Console
from rich.text import Text

from cli.output import (
    COMMITTED,
    DISK_FULL,
    OutputError,
    Terminated,
    ended_by,
    json_text,
    raise_if_ended,
    signals_for,
)
from cli.render import plural
from cli.terminal import Terminal
from inputs import InputError
from inputs.labels import language, says, text
from inputs.problems import Problem
from inputs.types import Scenario
from optimizer import Result
from optimizer.executor import Executor, local_executor, was_lost
from optimizer.pipeline import SolveLost
from optimizer.solve import SolverUnavailable

EXIT_SOLVED, EXIT_NO_SOLUTION, EXIT_BAD_INPUT, EXIT_INTERNAL, EXIT_INTERRUPTED = 0, 1, 2, 70, 130
#: the Dask cluster under the run failed (its scheduler, or every worker, was lost): what finished is
#: kept and marked incomplete, the rest is missing; EX_TEMPFAIL, since running again may finish it
EXIT_INCOMPLETE = 75
#: 128 + SIGTERM, as a shell reports a process the signal ended
EXIT_TERMINATED = 143

err = Console(stderr=True, highlight=False, soft_wrap=True)

#: set by Ctrl-C while a command runs: solves stop and keep what they have
STOP = threading.Event()


def stdout_console() -> Console:
    """Tables on stdout: the terminal's width; piped, the width COLUMNS says, else 120 columns."""
    if sys.stdout.isatty():
        return Terminal(highlight=False)
    columns = os.environ.get("COLUMNS", "")
    width = int(columns) if columns.isdigit() and 20 <= int(columns) <= 1000 else 120
    return Terminal(highlight=False, width=width)


def say(line: str) -> None:
    """A progress or status line on stderr, printed as it is (names may hold square brackets)."""
    err.print(Text(line), soft_wrap=True)


def wrote(files: list[str], folder: Path | str) -> str:
    """'Wrote a.csv, b.json to out' in the run's language."""
    listed = ", ".join(files)
    return says(f"Wrote {listed} to {folder}", f"{listed} geschreven naar {folder}")


def fail(message: str, code: int) -> None:
    """The run's last line, in red on stderr, and its exit code."""
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
    full = error.errno in DISK_FULL
    reason = says("disk full", "schijf vol") if full else says("cannot write", "kan niet schrijven")
    return OutputError(says("standard output", "standaarduitvoer"), f"{reason} ({error.strerror or error})")


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
    if isinstance(error, Terminated):
        word, code = says("Terminated", "Beëindigd"), EXIT_TERMINATED
    else:
        word, code = says("Interrupted", "Onderbroken"), EXIT_INTERRUPTED
    if not COMMITTED:
        return says(f"{word}: nothing was kept.", f"{word}: er is niets bewaard."), code
    kept = ", ".join(COMMITTED)
    return (
        says(
            f"{word}: {kept} written whole before it; nothing else was kept.",
            f"{word}: {kept} is daarvoor volledig geschreven; verder is niets bewaard.",
        ),
        code,
    )


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
            fail(error.render(), EXIT_BAD_INPUT)
        except (SolverUnavailable, OutputError) as error:
            fail(str(error), EXIT_BAD_INPUT)
        except SolveLost as error:  # no bug to trace: a process died under the solve, twice
            fail(
                says("internal error: ", "interne fout: ")
                + str(error)
                + says(
                    "; nothing was written (running again may finish it)",
                    "; er is niets geschreven (opnieuw draaien kan het afmaken)",
                ),
                EXIT_INTERNAL,
            )
        except BrokenPipeError:
            _drop_stdout()
            sys.exit(EXIT_SOLVED)
        except KeyboardInterrupt as error:  # a second Ctrl-C, or SIGTERM (Terminated)
            fail(*_signal_end(error))
        except (SystemExit, click.exceptions.Exit, click.ClickException):
            raise
        except OSError as error:
            if debug:
                traceback.print_exc()
            if error.filename is None and _stdout_failed():
                fail(str(_stdout_error(error)), EXIT_BAD_INPUT)
            if error.errno in DISK_FULL:
                where = error.filename or says("an output", "een uitvoer")
                fail(f"{where}: {says('disk full', 'schijf vol')} ({error.strerror or error})", EXIT_BAD_INPUT)
            if error.filename:  # a file the run had to read or write
                fail(f"{error.filename}: {error.strerror or error}", EXIT_BAD_INPUT)
            _internal(error, debug)
        except Exception as error:  # a bug: say so, with the traceback under --debug
            if debug:
                traceback.print_exc()
            _internal(error, debug)

    return wrapper  # type: ignore[return-value]


def _internal(error: BaseException, debug: bool) -> None:
    hint = "" if debug else says(" (run with --debug for the traceback)", " (draai met --debug voor de traceback)")
    fail(says("internal error: ", "interne fout: ") + f"{error}{hint}", EXIT_INTERNAL)


#: below this many municipalities a solve takes well under a second: worker processes would cost more
#: to start (about a second each) than they save
SMALL = 30


def cluster_or(dask: Executor | None, make: Callable[[], Executor]) -> contextlib.AbstractContextManager[Executor]:
    """The cluster where one runs the command (its own context closes it), else a local executor
    that is closed on leaving the block: a command closes what it opens."""
    return contextlib.nullcontext(dask) if dask is not None else make()


def sized_executor(jobs: int | None, *scenarios: Scenario) -> Executor:
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
            [
                Problem(
                    "--workers",
                    says(
                        "give --scheduler (a running cluster) or --workers (a local one), not both",
                        "geef --scheduler (een draaiend cluster) of --workers (een lokaal), niet beide",
                    ),
                )
            ]
        )
    from cli.options import cluster_settings
    from optimizer.cluster import ClusterError, DaskExecutor

    settings = cluster_settings()
    if scheduler is not None:
        say(
            says(
                f"Connecting to the Dask scheduler at {scheduler}...",
                f"Verbinden met de Dask-scheduler op {scheduler}...",
            )
        )
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
    workers_there = plural(executor.workers, "worker", language())
    say(
        says(
            f"Dask cluster at {executor.address}: {workers_there}",
            f"Dask-cluster op {executor.address}: {workers_there}",
        )
    )
    try:
        yield executor
    finally:
        executor.close()


def any_solved(results: list[tuple[str, Result]]) -> bool:
    return any(result.report.has_solution for _label, result in results)


def cluster_lost(dask: Executor | None) -> str | None:
    """Why the run's Dask cluster failed under it, or None (no cluster, or it held)."""
    return dask.lost if dask is not None else None


def end_incomplete(dask: Executor | None, kept: str) -> None:
    """The last word of a run whose cluster failed: what is missing and why, and exit 75 (never 0:
    what was shown or written is not the whole answer). `kept` says what finished."""
    lost = cluster_lost(dask)
    if lost is not None:
        fail(says(f"Incomplete: {lost}; {kept}", f"Onvolledig: {lost}; {kept}"), EXIT_INCOMPLETE)


def end_study(results: list[tuple[str, Result]], out_dir: Path | None, dask: Executor | None = None) -> None:
    """A study ends like a solve: 0 when some option has a solution (options without one are shown
    as such), 130 when Ctrl-C left none, 1 when none has one, 75 when its cluster failed under it.
    Nothing is written without one."""
    if cluster_lost(dask) is not None:
        scenario = says("the scenario", "het scenario")
        lost = [label or scenario for label, result in results if was_lost(result.report.reason)]
        missing, count = ", ".join(lost), len(lost)
        shown = any_solved(results)
        if not shown and out_dir is not None:
            say(
                says(
                    f"Nothing written to {out_dir}: no option has a solution.",
                    f"Niets geschreven naar {out_dir}: geen optie heeft een oplossing.",
                )
            )
        end_incomplete(
            dask,
            says(
                f"{count} of {plural(len(results), 'option')} lost or cut short ({missing}); "
                + ("the others are shown" if shown else "nothing was kept")
                + ", and what is missing is marked so.",
                f"{count} van {plural(len(results), 'option', 'nl')} verloren of afgebroken ({missing}); "
                + ("de andere staan erbij" if shown else "er is niets bewaard")
                + ", en wat ontbreekt is zo gemarkeerd.",
            ),
        )
    if STOP.is_set() and any_solved(results):
        say(
            says(
                "Interrupted: options not solved are shown without figures.",
                "Onderbroken: opties die niet zijn opgelost staan er zonder cijfers.",
            )
        )
    if any_solved(results):
        return
    if out_dir is not None:
        say(
            says(
                f"Nothing written to {out_dir}: no option has a solution.",
                f"Niets geschreven naar {out_dir}: geen optie heeft een oplossing.",
            )
        )
    if STOP.is_set():
        fail(says("Interrupted: nothing was kept.", "Onderbroken: er is niets bewaard."), EXIT_INTERRUPTED)
    fail(
        says("No solution: no option has a solution.", "Geen oplossing: geen optie heeft een oplossing."),
        EXIT_NO_SOLUTION,
    )


def end_run(result: Result, dask: Executor | None = None) -> None:
    """The exit of a solve: 0 with a solution, 130 when Ctrl-C left nothing, 75 when its cluster
    failed under the run, else 1."""
    if cluster_lost(dask) is not None:
        if was_lost(result.report.reason):
            status = result.report.describe(language())
            kept = (
                says(
                    f"what finished is kept and marked so ({status}).",
                    f"wat klaar was is bewaard en zo gemarkeerd ({status}).",
                )
                if result.report.has_solution
                else says("nothing was kept.", "er is niets bewaard.")
            )
            end_incomplete(dask, kept)
        if result.report.has_solution:
            end_incomplete(
                dask,
                says(
                    "the answer is whole, but what explains it is not all there.",
                    "het antwoord is heel, maar wat het uitlegt is niet helemaal compleet.",
                ),
            )
    if result.report.has_solution:
        return
    if result.report.interrupted:
        fail(says("Interrupted: nothing was kept.", "Onderbroken: er is niets bewaard."), EXIT_INTERRUPTED)
    lang = language()
    status = result.report.describe(lang)
    prefix = text(lang, "no solution", "geen oplossing")
    fail(
        prefix.capitalize() + status.removeprefix(prefix)
        if status.startswith(prefix)
        else f"{prefix.capitalize()}: {status}",
        EXIT_NO_SOLUTION,
    )


def show_study(
    output_format: str,
    document: Callable[[], dict[str, Any]],
    table: Callable[[], pd.DataFrame],
    draw: Callable[[Console], None],
) -> None:
    """A study on stdout: its JSON document, its main table as CSV, or drawn for people."""
    with reader_may_leave():
        if output_format == "json":
            click.echo(json_text(document()))
        elif output_format == "csv":
            click.echo(table().to_csv(index=False), nl=False)
        else:
            draw(stdout_console())
