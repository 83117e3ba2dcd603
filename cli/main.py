"""The `seta` command: wires inputs -> optimizer -> output.

Exit codes (a contract, listed in the README; named in cli/common.py):
    0    solved: optimal or feasible (also after Ctrl-C when a solution was kept)
    1    no solution (infeasible, or none found within the limits)
    2    bad input: the scenario, its tables, an option, or an output that cannot be written
    70   internal error: a bug in seta (run with --debug for the traceback)
    75   incomplete: the Dask cluster failed under the run; what finished is kept, marked as such
    130  interrupted by Ctrl-C with nothing kept (but the outputs it names as written whole)
    143  ended by SIGTERM, as 130
"""

from __future__ import annotations

import sys

from cli import early

# before seta's own imports, so that the explanation's worker processes import it beside this one
early.begin(sys.argv)

import click  # noqa: E402

from cli.allocate import allocate  # noqa: E402
from cli.alternatives import alternatives  # noqa: E402
from cli.calibrate import calibrate  # noqa: E402
from cli.common import EXIT_INCOMPLETE as EXIT_INCOMPLETE  # noqa: E402 # imported from here by the tests, as before
from cli.help import Group, language_of, twin  # noqa: E402
from cli.init import init  # noqa: E402
from cli.options import lang_option  # noqa: E402
from cli.pathway import pathway  # noqa: E402
from cli.report import report  # noqa: E402
from cli.robust import robust  # noqa: E402
from cli.scenarios import list_builtins, validate  # noqa: E402
from cli.serve_command import serve  # noqa: E402
from cli.solve import json_document as json_document  # noqa: E402 # imported from here by the tests, as before
from cli.solve import solve  # noqa: E402
from cli.studies import compare, endstates  # noqa: E402
from inputs.labels import says, set_language  # noqa: E402
from optimizer.result import seta_version  # noqa: E402


def _show_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """`seta --version` in the run's language (click's own option words its line when it is
    imported, before the language is known)."""
    if value and not ctx.resilient_parsing:
        version = seta_version()
        click.echo(says(f"seta, version {version}", f"seta, versie {version}"))
        ctx.exit()


@click.group(
    cls=Group,
    context_settings={"help_option_names": ["-h", "--help"]},
    help=twin(
        "seta: which services municipalities should pool, where, and in which form.",
        "seta: welke diensten gemeenten samen uitvoeren, waar, en in welke vorm.",
    ),
)
@click.option("--debug", is_flag=True, help=twin("Show tracebacks for errors.", "Toon de traceback bij fouten."))
@lang_option
@click.option(
    "--version",
    is_flag=True,
    expose_value=False,
    is_eager=True,
    callback=_show_version,
    help=twin("Show the version and exit.", "Toon de versie en stop."),
)
def cli(debug: bool, lang: str) -> None:
    pass


# Each command lives in the module of its study, which imports cli.common and never this one (no
# import cycle); `seta --help` lists them by name, whatever the order here.
for command in (
    solve,
    alternatives,
    pathway,
    compare,
    endstates,
    robust,
    calibrate,
    allocate,
    report,
    serve,
    init,
    validate,
    list_builtins,
):
    cli.add_command(command)


def main() -> None:
    asked = language_of(sys.argv[1:])
    if asked in ("en", "nl"):  # before click parses: its help and usage errors may come before --lang
        set_language(asked)
    cli(prog_name="seta")
