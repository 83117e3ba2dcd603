"""`seta serve`: the command that starts the workshop page (cli/serve.py holds the page and its server)."""

from __future__ import annotations

from typing import Any

import click

from cli.common import (
    STOP,
    say,
    user_errors,
)
from cli.help import Command, twin
from cli.options import (
    lang_option,
    solver_options,
    solver_settings,
)
from inputs import InputError
from inputs.labels import says
from inputs.problems import Problem


@click.command(
    cls=Command,
    help=twin(
        """A workshop page for SCENARIO: change who takes part, the domains, structures, weights, limits
    and politics, and the answer re-solves in place. The page's address holds its settings (send it
    round afterwards); it offers them as a scenario file that seta solve reproduces.""",
        """Een workshoppagina voor SCENARIO: verander wie meedoet, de taakvelden, vormen, wegingen, grenzen
    en politiek, en het antwoord wordt ter plekke opnieuw berekend. Het adres van de pagina bevat de
    instellingen (stuur het achteraf rond); de pagina biedt ze aan als scenariobestand dat seta solve
    reproduceert.""",
    ),
)
@click.argument("scenario", default="kempen")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8050,
    show_default=True,
    help=twin("0: any free port.", "0: een willekeurige vrije poort."),
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help=twin(
        "Where to listen. Only this machine by default; another address lets others on the network in, "
        "and then every request needs the token printed in the page's address.",
        "Waar seta luistert. Standaard alleen deze machine; een ander adres laat anderen op het netwerk toe, "
        "en dan heeft elk verzoek het token nodig dat in het getoonde adres van de pagina staat.",
    ),
)
@solver_options
@lang_option
@user_errors
def serve(scenario: str, port: int, host: str, solver_given: dict[str, Any], lang: str) -> None:
    from cli.serve import Workshop
    from cli.serve import serve as run_server
    from inputs.loader import read_source

    source = read_source(scenario)
    base = source.scenario()
    options = solver_settings(base, solver_given)
    if host not in ("127.0.0.1", "localhost", "::1"):
        say(
            says(
                f"Warning: listening on {host}: anyone who can reach this machine there can use the page (it "
                "reads and writes no files, but it solves on this machine).",
                f"Let op: seta luistert op {host}: iedereen die deze machine daar bereikt kan de pagina gebruiken "
                "(die leest en schrijft geen bestanden, maar rekent op deze machine).",
            )
        )
    workshop = Workshop(source, options, lang)
    try:
        run_server(
            workshop,
            host,
            port,
            lambda url: say(
                says(
                    f"seta serve: {base.name} at {url} (Ctrl-C stops)",
                    f"seta serve: {base.name} op {url} (Ctrl-C stopt)",
                )
            ),
            STOP,
            log=say,
        )
    except OSError as error:
        raise InputError(
            [
                Problem(
                    f"--host {host} --port {port}",
                    says("cannot listen there: ", "kan daar niet luisteren: ") + str(error.strerror or error),
                )
            ]
        ) from None
    say(says("Stopped.", "Gestopt."))
