"""`seta allocate`: who pays what under each key, against standing alone and the Shapley value."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cli.common import (
    EXIT_INTERRUPTED,
    STOP,
    cluster,
    cluster_or,
    end_incomplete,
    end_run,
    fail,
    say,
    show_study,
    sized_executor,
    user_errors,
    wrote,
)
from cli.help import Command, twin
from cli.load import load_scenario
from cli.options import (
    cluster_options,
    format_option,
    jobs_option,
    lang_option,
    out_folder_option,
    participation_option,
    set_option,
    solver_options,
    solver_settings,
    with_participation,
)
from cli.output import check_folder, staged
from inputs import InputError
from inputs.labels import says
from inputs.problems import Problem
from inputs.types import Scenario
from optimizer.allocate import Shares
from optimizer.evaluate import Evaluation
from optimizer.result import seta_version
from visuals import charts
from visuals.report import build_report
from visuals.shares import allocation_frame, sections, summary_lines, valuations_frame
from visuals.why import _t


def render(shares: Shares, console: Console, lang: str = "en") -> None:
    """The cash split per member and way of splitting, the valuations beside it, and what it means."""
    for title, frame in (
        (
            _t(
                lang,
                "Annual cash cost per member (below: the change against standing alone; negative: pays less)",
                "Kosten per lid per jaar (eronder: de verandering ten opzichte van alleen; negatief: betaalt minder)",
            ),
            allocation_frame(shares, lang),
        ),
        (
            _t(
                lang,
                "Beside the money: quality and days a year a service stands empty",
                "Naast het geld: kwaliteit en dagen per jaar dat een taak onbezet is",
            ),
            valuations_frame(shares, lang),
        ),
    ):
        table = Table(title=Text(title), title_justify="left")
        for index, column in enumerate(frame.columns):
            table.add_column(str(column), justify="left" if index == 0 else "right")
        for row in frame.itertuples(index=False):
            table.add_row(*(Text(str(cell)) for cell in row))
        console.print(table)
    lines = summary_lines(shares, lang)
    console.print(Text(lines[0], style="dim"))
    for line in lines[1:]:
        quiet = "no group" in line or "geen groep" in line or line.startswith(("Cash only", "Alleen geld"))
        console.print(Text(line, style="dim" if quiet else "yellow"))


def document(shares: Shares) -> dict[str, Any]:
    """The split as JSON data."""
    return {
        "annual_cost_eur": shares.total,
        "best_annual_cost_eur": shares.game.grand,
        "configuration_given": shares.given,
        "exact": shares.game.exact,
        "orders_sampled": len(shares.game.orders),
        "shapley_standard_error_eur": shares.shapley_errors,
        "core_empty": None if not shares.game.exact else "equal_profit" not in shares.splits,
        "allocation": shares.table().to_dict("records"),
        "blocking": shares.blocking().to_dict("records"),
        "valuations": shares.valuations().to_dict("records"),
    }


def write_files(shares: Shares, out_dir: Path, name: str, lang: str = "en") -> list[str]:
    """allocation.csv, blocking.csv, valuations.csv, the charts as PNG and shares.html; complete or
    not at all."""
    parts = sections(shares, lang)
    page = build_report(f"seta allocate: {name}", f"seta {seta_version()}", parts, lang)
    written = []
    with staged(out_dir, "--out") as stage:
        stage.naming = (shares.result.names(), lang)  # the workbook names them; the CSV files keep codes
        for stem, frame in (
            ("allocation", shares.table()),
            ("blocking", shares.blocking()),
            ("valuations", shares.valuations()),
        ):
            stage.table(stem, frame)
            written.append(f"{stem}.csv")
        for part in parts:
            if part.chart is not None:
                charts.save_png(part.chart, str(stage.path(f"{part.file}.png")), lang)
                written.append(f"{part.file}.png")
        stage.path("shares.html").write_text(page, encoding="utf-8")
    return [*written, "shares.html", "seta.xlsx"]


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
            [
                Problem(place, says(f"does not fit {scenario.name}: ", f"past niet bij {scenario.name}: ") + violation)
                for violation in chosen.violations[:10]
            ]
        )
    return chosen


@click.command(
    cls=Command,
    help=twin(
        """Who pays what: each member's annual cash cost under each cost-sharing key and under the Shapley
    value (a re-solve per coalition), against what it would pay alone; and every group of members
    that would be better off on its own.""",
        """Wie betaalt wat: de jaarlijkse kosten in geld van elk lid onder elke verdeelsleutel en onder de
    Shapley-waarde (een nieuwe berekening per coalitie), tegenover wat het alleen zou betalen; en elke
    groep leden die alleen beter af zou zijn.""",
    ),
)
@click.argument("scenario", default="kempen")
@set_option
@click.option(
    "--key",
    "keys",
    multiple=True,
    metavar="KEY",
    help=twin(
        "A cost-sharing key: inhabitants, use (workload), equal, or fixed:SHARE+use (e.g. fixed:0.3+use: 30 % "
        "in equal shares, 70 % by use). Repeat for several; default: inhabitants, use and equal.",
        "Een verdeelsleutel: inhabitants (inwoners), use (gebruik: de werklast), equal (gelijke delen) of "
        "fixed:SHARE+use (bijv. fixed:0.3+use: 30 % in gelijke delen, 70 % naar gebruik). Herhaal voor meer "
        "sleutels; standaard: inhabitants, use en equal.",
    ),
)
@click.option(
    "--config",
    "config_dir",
    type=click.Path(path_type=Path),
    help=twin(
        "Split this configuration by the keys instead of the best one: a folder written by seta solve --out "
        "(its pools.csv), or a CSV or YAML file of pools (docs/observed.md).",
        "Verdeel deze configuratie met de sleutels in plaats van de beste: een map die seta solve --out "
        "schreef (de pools.csv daarin), of een CSV- of YAML-bestand met pools (docs/observed.md).",
    ),
)
@participation_option
@format_option
@out_folder_option(
    twin(
        "Write allocation.csv, blocking.csv, valuations.csv, the charts (PNG), shares.html and seta.xlsx to "
        "this folder.",
        "Schrijf allocation.csv, blocking.csv, valuations.csv, de grafieken (PNG), shares.html en seta.xlsx naar "
        "deze map.",
    )
)
@click.option(
    "--orders",
    type=click.IntRange(20, 100_000),
    default=40,
    show_default=True,
    help=twin(
        "Beyond 10 members: the Shapley value is sampled over this many orders of joining (with its "
        "standard error; fewer than 20 would leave the error itself unreliable); every coalition is solved up to 10.",
        "Boven 10 leden: de Shapley-waarde wordt geschat over zoveel volgordes van toetreden (met de "
        "standaardfout; bij minder dan 20 is die fout zelf onbetrouwbaar); tot en met 10 leden wordt elke coalitie "
        "berekend.",
    ),
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
            says(
                f"Solving {loaded.name} along {orders} sampled orders of joining ({members} members: every coalition "
                f"is solved only up to {EXACT_MEMBERS})...",
                f"{loaded.name} oplossen langs {orders} getrokken volgorden van toetreden ({members} leden: elke "
                f"coalitie wordt alleen tot {EXACT_MEMBERS} opgelost)...",
            )
        )
    else:
        say(
            says(
                f"Solving {loaded.name} for each of its {2**members - 1} coalitions...",
                f"{loaded.name} oplossen voor elk van zijn {2**members - 1} coalities...",
            )
        )
    with (
        cluster(dask_scheduler, dask_workers) as dask,
        cluster_or(dask, lambda: sized_executor(jobs, replace(loaded, solver=options))) as executor,
    ):
        shares = fair_shares(
            loaded, options, parsed, given, executor=executor, progress=say, orders=orders, seed=options.seed
        )
    end_incomplete(
        dask,
        says(
            "the coalitions were not all solved, so no fair share is given.",
            "de coalities zijn niet alle opgelost, dus er is geen eerlijk aandeel.",
        ),
    )
    if not shares.result.report.has_solution and not STOP.is_set():
        from cli.why import conflict_lines, explain_conflict

        conflict = explain_conflict(shares.result, None, STOP, say)
        for line in conflict_lines(conflict, lang) if conflict is not None else []:
            say(line)
    end_run(shares.result)
    if STOP.is_set():
        fail(
            says(
                "Interrupted: the coalitions were not all solved, so no fair share is given.",
                "Onderbroken: de coalities zijn niet alle opgelost, dus er is geen eerlijk aandeel.",
            ),
            EXIT_INTERRUPTED,
        )
    if out_dir is not None:
        written = write_files(shares, out_dir, loaded.name, lang)
        say(wrote(written, out_dir))
    show_study(
        output_format,
        lambda: document(shares),
        shares.table,
        lambda console: render(shares, console, lang),
    )
