"""`seta report`: one self-contained HTML report of a scenario (and its PDF), its sections gathered."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

import click

from cli.common import (
    EXIT_INTERRUPTED,
    STOP,
    cluster,
    cluster_or,
    end_incomplete,
    end_run,
    fail,
    reader_may_leave,
    say,
    sized_executor,
    user_errors,
)
from cli.help import Command, twin
from cli.load import load_scenario
from cli.options import (
    cluster_options,
    explain_option,
    jobs_option,
    lang_option,
    set_option,
    solver_options,
    solver_settings,
    tie_option,
)
from cli.output import check_file, check_folder
from cli.robust import check_uncertain, robust_study
from cli.studies import write_report
from inputs import InputError, builtin_names
from inputs.configuration import Observed
from inputs.labels import says
from inputs.problems import Problem
from inputs.types import Scenario
from optimizer import optimize
from optimizer.executor import local_executor


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
        say(
            says(
                f"What {scenario.name} did in 2007 is left out: {error.problems[0]}",
                f"Wat {scenario.name} in 2007 deed, is weggelaten: {error.problems[0]}",
            )
        )
        return None


def _report_pdf(out_path: Path) -> Path:
    """Where --pdf prints the report: beside the HTML, under its name (report.html: report.pdf).
    Checked first, Chromium included, so that a run that cannot print does not solve first."""
    from cli.pdf import require_chromium

    require_chromium()
    target = out_path.with_suffix(".pdf")
    if target == out_path:
        raise InputError(
            [
                Problem(
                    f"--out {out_path}",
                    says(
                        "with --pdf the HTML needs a name of its own (report.html)",
                        "met --pdf heeft de HTML een eigen naam nodig (report.html)",
                    ),
                )
            ]
        )
    check_file(target, "--pdf")
    return target


@click.command(
    cls=Command,
    help=twin(
        """One self-contained HTML report (opens offline): the answer and why, charts, end states, what the
        region did (for the seed's regions, or with --given), (with --draws) whether the advice holds under
        uncertain figures, (with --pathway) the way there over the years, and the assumptions (folded); it
        prints on A4, and with --pdf to PDF.""",
        """Eén zelfstandig HTML-rapport (opent ook offline): het antwoord en waarom, grafieken, eindbeelden, wat
        de regio deed (voor de regio's van het artikel, of met --given), (met --draws) of het advies standhoudt
        bij onzekere kengetallen, (met --pathway) de weg ernaartoe over de jaren, en de aannames (ingeklapt);
        het is af te drukken op A4, en met --pdf naar PDF.""",
    ),
)
@click.argument("scenario", default="kempen")
@set_option
@click.option(
    "--out",
    "out_path",
    type=click.Path(path_type=Path),
    default=Path("report.html"),
    show_default=True,
    help=twin("The HTML file to write.", "Het HTML-bestand dat geschreven wordt."),
)
@click.option(
    "--png",
    "png_dir",
    type=click.Path(path_type=Path),
    help=twin(
        "Also write every chart as PNG to this folder, named after what it shows.",
        "Schrijf ook elke grafiek als PNG naar deze map, genoemd naar wat ze toont.",
    ),
)
@click.option(
    "--shares",
    is_flag=True,
    help=twin(
        "Add a section on who pays what: each member's cost under the keys inhabitants, use and equal, the "
        "Shapley value and the groups better off alone (a solve per coalition, as seta allocate).",
        "Voeg een onderdeel toe over wie wat betaalt: de kosten van elk lid onder de verdeelsleutels inhabitants, "
        "use en equal, de Shapley-waarde en de groepen die alleen beter af zijn (een oplossing per coalitie, "
        "zoals seta allocate).",
    ),
)
@click.option(
    "--draws",
    type=click.IntRange(1, 100_000),
    help=twin(
        "Add a section on whether the advice holds when the uncertain figures move: this many draws, "
        "as `seta robust` solves them.",
        "Voeg een onderdeel toe over of het advies standhoudt als de onzekere kengetallen bewegen: zoveel "
        "trekkingen, opgelost zoals `seta robust` dat doet.",
    ),
)
@click.option(
    "--draw-seed",
    type=click.IntRange(0, 2**32 - 1),
    default=0,
    show_default=True,
    help=twin("Seed of the draws (with --draws).", "Startgetal van de trekkingen (met --draws)."),
)
@click.option(
    "--given",
    metavar="FILE",
    help=twin(
        "Add a section on an observed configuration beside the answer (as seta solve --given). Default, for "
        "the seed's built-in regions: what the region did in 2007 (kempen-2007, ...).",
        "Voeg een onderdeel toe over een waargenomen configuratie naast het antwoord (zoals seta solve --given). "
        "Standaard, voor de ingebouwde regio's van het artikel: wat de regio in 2007 deed (kempen-2007, ...).",
    ),
)
@click.option(
    "--endstates/--no-endstates",
    default=True,
    help=twin(
        "Solve the best configuration under each form of cooperation (a solve per form, often most of the "
        "report's time). --no-endstates leaves them out, and the report says so in their place.",
        "Zoek de beste configuratie per samenwerkingsvorm (een oplossing per vorm, vaak het grootste deel van de "
        "tijd van het rapport). --no-endstates laat ze weg, en het rapport meldt dat op hun plaats.",
    ),
)
@click.option(
    "--pathway",
    "with_pathway",
    is_flag=True,
    help=twin(
        "Add a section on the way there, as seta pathway plans it: from the scenario's current: section "
        "(else nobody pools) to the answer over the write-off horizon, with its headline, Gantt chart, cash "
        "chart and table.",
        "Voeg een onderdeel toe over de weg ernaartoe, zoals seta pathway die plant: van de sectie current: van "
        "het scenario (anders werkt niemand samen) naar het antwoord over de afschrijvingstermijn, met de "
        "kernboodschap, het Gantt-diagram, de grafiek van het geld en de tabel.",
    ),
)
@click.option(
    "--pdf",
    is_flag=True,
    help=twin(
        "Also print the report to PDF beside the HTML (report.html: report.pdf), with headless Chromium "
        "(chromium or chromium-browser on PATH; without it: exit 2 before any work).",
        "Druk het rapport ook af naar PDF naast de HTML (report.html: report.pdf), met headless Chromium "
        "(chromium of chromium-browser op PATH; zonder: afsluitcode 2 voordat er iets berekend wordt).",
    ),
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
    endstates: bool,
    with_pathway: bool,
    pdf: bool,
    solver_given: dict[str, Any],
    jobs: int | None,
    dask_scheduler: str | None,
    dask_workers: int | None,
    lang: str,
    explain: bool | None,
    tie_percent: float,
) -> None:
    pdf_path = _report_pdf(out_path) if pdf else None
    loaded = load_scenario(scenario, list(overrides))
    observed = _report_observed(scenario, loaded, given)
    options = solver_settings(loaded, solver_given)
    check_file(out_path, "--out")
    if draws is not None:
        check_uncertain(loaded)
    if png_dir is not None:
        check_folder(png_dir, "--png")
    say(says(f"Solving {loaded.name}...", f"{loaded.name} oplossen..."))
    from cli.why import explain_result, explainer

    with (
        cluster(dask_scheduler, dask_workers) as dask,
        cluster_or(dask, lambda: sized_executor(jobs, replace(loaded, solver=options))) as executor,
        cluster_or(dask, lambda: explainer(replace(loaded, solver=options), explain, jobs, STOP)) as explaining,
        cluster_or(dask, lambda: local_executor(jobs, STOP)) as solving,
    ):
        result = optimize(loaded, options, progress=say, stop=STOP, executor=solving)
        end_incomplete(dask, says("the report was not written.", "het rapport is niet geschreven."))
        end_run(result)
        explanation = explain_result(result, explain, tie_percent, explaining, say)
        if STOP.is_set():
            fail(
                says("Interrupted: the report was not written.", "Onderbroken: het rapport is niet geschreven."),
                EXIT_INTERRUPTED,
            )
        study = None
        if draws is not None:
            study = robust_study(loaded, options, draws, draw_seed, "lhs", solving)
        fair = None
        if shares and not STOP.is_set():
            from inputs.keys import parse_key
            from optimizer.allocate import fair_shares

            say(
                says(
                    f"Solving {loaded.name} for its coalitions, for fair shares...",
                    f"{loaded.name} oplossen voor zijn coalities, voor eerlijke aandelen...",
                )
            )
            keys = [parse_key(text) for text in ("inhabitants", "use", "equal")]
            split = replace(options, decompose="none")
            fair = fair_shares(loaded, split, keys, executor=executor, progress=say, orders=40, seed=options.seed)
        end_incomplete(dask, says("the report was not written.", "het rapport is niet geschreven."))
        if STOP.is_set():
            fail(
                says("Interrupted: the report was not written.", "Onderbroken: het rapport is niet geschreven."),
                EXIT_INTERRUPTED,
            )
        comparison = None
        if observed is not None and result.configuration is not None and result.chosen is not None:
            from optimizer.observed import compare_observed

            comparison = compare_observed(result.instance, result.configuration, result.chosen, observed)
        extra = []
        if with_pathway and result.configuration is not None and not STOP.is_set():
            from cli.pathway import pathway_sections

            extra = pathway_sections(loaded, options, result.configuration, lang)
        written = write_report(
            loaded,
            result,
            options,
            out_path,
            png_dir,
            lang,
            executor,
            say,
            explanation,
            study,
            fair,
            comparison,
            endstates,
            pdf_path,
            extra,
        )
    if not written:  # Ctrl-C, or a lost cluster, came before every section was ready
        end_incomplete(dask, says("the report was not written.", "het rapport is niet geschreven."))
        fail(
            says("Interrupted: the report was not written.", "Onderbroken: het rapport is niet geschreven."),
            EXIT_INTERRUPTED,
        )
    if STOP.is_set():  # ... or after: the report was complete, and it was written
        say(
            says(
                "Interrupted after the report was complete; it was written whole.",
                "Onderbroken nadat het rapport af was; het is volledig geschreven.",
            )
        )
    with reader_may_leave():
        for path in written:
            click.echo(says(f"Wrote {path}", f"{path} geschreven"))
