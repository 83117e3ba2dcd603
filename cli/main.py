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

import click

from cli.allocate import allocate
from cli.alternatives import alternatives
from cli.calibrate import calibrate
from cli.common import EXIT_INCOMPLETE as EXIT_INCOMPLETE  # imported from here by the tests, as before
from cli.init import init
from cli.pathway import pathway
from cli.report import report
from cli.robust import robust
from cli.scenarios import list_builtins, validate
from cli.serve_command import serve
from cli.solve import json_document as json_document  # imported from here by the tests, as before
from cli.solve import solve
from cli.studies import compare, endstates
from optimizer.result import seta_version


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.version_option(seta_version(), prog_name="seta")
def cli(debug: bool) -> None:
    """seta: which services municipalities should pool, where, and in which form."""


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
    cli(prog_name="seta")
