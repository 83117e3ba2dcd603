"""`seta robust`: the recommendation under uncertain figures, on the terminal, in files and in the report."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

import click
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn
from rich.text import Text

from cli.common import (
    EXIT_INTERRUPTED,
    STOP,
    cluster,
    cluster_lost,
    cluster_or,
    end_incomplete,
    end_run,
    err,
    fail,
    say,
    show_study,
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
    set_option,
    solver_options_except,
    solver_settings,
)
from cli.output import check_folder, json_text, staged
from cli.render import plural
from cli.why import print_frame
from inputs import InputError
from inputs.labels import says, text
from inputs.problems import Problem
from inputs.types import Scenario, SolverOptions
from inputs.uncertainty import ranges_table
from optimizer.executor import Executor, local_executor
from optimizer.result import seta_version
from optimizer.robust import Study
from visuals import charts
from visuals import robust as shown
from visuals.report import Section, build_report

#: an executor's line for a finished task: "  12.3 s  7/201 draw 6: optimal ..."
_FINISHED = re.compile(r"^\s*[\d.,]+ s\s+(\d+)/(\d+) ")  # "5.0 s" or, in Dutch, "5,0 s"


class TaskBar:
    """Progress of many solves, fed by the executor's lines: on a terminal a bar with the time left;
    elsewhere (a log, a pipe) a line every tenth of the way. Lines that are not a finished task (a
    failure, a note) are shown as they are."""

    def __init__(self, console: Console, noun: str) -> None:
        self.console = console
        self.noun = noun
        self.started = time.monotonic()
        self.shown_tenths = 0
        self.bar: Progress | None = None
        self.task: Any = None

    def __enter__(self) -> TaskBar:
        if self.console.is_terminal:
            self.bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                TextColumn(says("left", "over")),
                TimeRemainingColumn(),
                console=self.console,
                transient=True,
            )
            self.bar.__enter__()
            self.task = self.bar.add_task(self.noun, total=None)
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self.bar is not None:
            self.bar.__exit__(kind, error, trace)

    def __call__(self, line: str) -> None:
        if says("not run (stopped)", "niet gedaan (gestopt)") in line:
            return  # after Ctrl-C: a solve that never ran is no progress
        finished = _FINISHED.match(line)
        if finished is None or says("failed:", "mislukt:") in line:
            self.console.print(Text(line), soft_wrap=True)
            return
        done, total = int(finished.group(1)), int(finished.group(2))
        if self.bar is not None:
            self.bar.update(self.task, completed=done, total=total)
            return
        tenths = 10 * done // total
        if tenths > self.shown_tenths:
            self.shown_tenths = tenths
            elapsed = time.monotonic() - self.started
            left = elapsed * (total - done) / done
            self.console.print(
                Text(
                    says(
                        f"  {done}/{total} {self.noun} done in {elapsed:.0f} s, about {left:.0f} s left",
                        f"  {done}/{total} {self.noun} klaar in {elapsed:.0f} s, nog ongeveer {left:.0f} s",
                    )
                ),
                soft_wrap=True,
            )


def render(study: Study, console: Console, lang: str = "en") -> None:
    console.print(Text(shown.headline(study, lang)))
    pools = shown.pools_frame(study, lang, limit=20)
    if len(pools):
        title = "Hoe vaak elke pool gekozen wordt" if lang == "nl" else "How often each pool is chosen"
        print_frame(console, title, pools)
    decisions = shown.decisions_frame(study, lang)
    if len(decisions):
        title = (
            "Keuzes die in meer dan 10 % van de trekkingen anders uitvallen"
            if lang == "nl"
            else "Decisions that come out differently in more than 10 % of the draws"
        )
        print_frame(console, title, decisions)
    title = "Wat de variatie drijft" if lang == "nl" else "What drives the variation"
    print_frame(console, title, shown.drivers_frame(study, lang))
    console.print(Text(shown.drivers_note(study, lang), style="dim"))


def document(study: Study) -> dict[str, Any]:
    """The study as JSON data: summary, pools, decisions, drivers, ranges and every draw."""

    def records(frame: Any) -> list[dict[str, Any]]:
        frame = frame.astype(object)
        return list(frame.where(frame.notna(), None).to_dict("records"))

    return {
        "summary": study.summary(),
        "pools": records(study.pools_table()),
        "decisions": records(study.decisions_table()),
        "drivers": records(study.drivers_table()),
        "ranges": ranges_table(study.uncertainty),
        "draws": records(study.draws_table()),
    }


def sections(study: Study, lang: str = "en") -> list[Section]:
    """The study's three sections; a chart with nothing to draw (a run of one or two draws, or one cut
    short) is left out, with a note that says why."""
    en = lang == "en"
    decisions = shown.decisions_frame(study, lang)
    pools, regret, drivers = (
        shown.pools_chart(study, lang),
        shown.regret_chart(study, lang),
        shown.drivers_chart(study, lang),
    )

    def missing(chart: object, which: str) -> list[str]:
        return (
            [("No chart: " if en else "Geen grafiek: ") + shown.missing_chart(study, which, lang)]
            if chart is None
            else []
        )

    return [
        Section(
            "Does the advice hold when the figures move?" if en else "Houdt het advies stand als de cijfers bewegen?",
            text=shown.headline(study, lang),
            chart=pools,
            table=decisions if len(decisions) else None,
            notes=missing(pools, "pools"),
            file="robust-pools",
        ),
        Section(
            "Regret of the recommendation" if en else "Spijt van het advies",
            chart=regret,
            notes=missing(regret, "regret"),
            file="robust-regret",
        ),
        Section(
            "What drives the variation" if en else "Wat de variatie drijft",
            chart=drivers,
            table=shown.drivers_frame(study, lang),
            notes=[shown.drivers_note(study, lang), *missing(drivers, "drivers")],
            file="robust-drivers",
        ),
    ]


def write_files(study: Study, out_dir: Path, lang: str, note: Callable[[str], None] | None = None) -> list[str]:
    """draws.csv, pools.csv, decisions.csv, drivers.csv, ranges.csv, robust.json, the three charts as
    PNG and robust.html with all of it; complete or not at all. A chart with nothing to draw is left
    out, and `note` hears why."""
    import pandas as pd

    parts = sections(study, lang)
    for part in parts:
        if part.chart is None and note is not None:
            why = shown.missing_chart(study, part.file.removeprefix("robust-"), lang)
            note(text(lang, f"{part.file}.png is not drawn: {why}", f"{part.file}.png is niet getekend: {why}"))
    page = build_report(f"seta robust: {study.scenario.name}", f"seta {seta_version()}", parts, lang)
    written = []
    with staged(out_dir, "--out") as stage:
        stage.naming = (study.nominal.names(), lang)  # the workbook names them; the CSV files keep codes
        for stem, frame in (
            ("draws", study.draws_table()),
            ("pools", study.pools_table()),
            ("decisions", study.decisions_table()),
            ("drivers", study.drivers_table()),
            ("ranges", pd.DataFrame(ranges_table(study.uncertainty))),
        ):
            stage.table(stem, frame)
            written.append(f"{stem}.csv")
        stage.path("robust.json").write_text(json_text(document(study)) + "\n", encoding="utf-8")
        for part in parts:
            if part.chart is not None:
                charts.save_png(part.chart, str(stage.path(f"{part.file}.png")), lang)
                written.append(f"{part.file}.png")
        stage.path("robust.html").write_text(page, encoding="utf-8")
    return [*written[:5], "robust.json", *written[5:], "robust.html", "seta.xlsx"]


def check_uncertain(scenario: Scenario) -> None:
    if not scenario.uncertainty.groups:
        raise InputError(
            [
                Problem(
                    f"{scenario.source}, uncertainty",
                    says(
                        "no figure is uncertain (expected the default ranges, or ranges of the scenario's own)",
                        "geen kengetal is onzeker (verwacht de standaardbereiken, of eigen bereiken van het scenario)",
                    ),
                )
            ]
        )


def robust_study(
    scenario: Scenario, options: SolverOptions, draws: int, seed: int, sampling: str, executor: Executor
) -> Study:
    """The scenario and its draws solved on `executor` (closed after, unless it is a Dask cluster's);
    the caller has checked that something is uncertain (`check_uncertain`), before any solving."""
    from inputs.uncertainty import MANY_DIMENSIONS
    from optimizer.robust import run

    groups = scenario.uncertainty.groups
    if len(groups) > MANY_DIMENSIONS:
        say(
            says(
                f"Note: {len(groups)} uncertain groups of figures; beyond {MANY_DIMENSIONS} a few hundred draws say "
                "little about each (group figures with `group:` in the uncertainty block).",
                f"Let op: {len(groups)} onzekere groepen kengetallen; boven {MANY_DIMENSIONS} zeggen een paar honderd "
                "trekkingen weinig over elk (groepeer kengetallen met `group:` in het blok uncertainty).",
            )
        )
    say(
        says(
            f"Solving {scenario.name} and {plural(draws, 'draw')} of {plural(len(groups), 'uncertain group')} of "
            "figures...",
            f"{scenario.name} oplossen en {draws} {'trekking' if draws == 1 else 'trekkingen'} van "
            f"{len(groups)} onzekere {'groep' if len(groups) == 1 else 'groepen'} kengetallen...",
        )
    )
    with TaskBar(err, says("solves", "oplossingen")) as bar:
        return run(scenario, options, draws, seed=seed, sampling=sampling, executor=executor, progress=bar)


@click.command(
    cls=Command,
    help=twin(
        """Does the advice of SCENARIO hold when its uncertain figures move? One solve per draw of the
    figures' plausible ranges (docs/model.md, "Uncertainty"; a scenario's `uncertainty:` block changes
    them): how often each pool is chosen, how often the recommendation is the best and what it costs
    where it is not, and which figures drive that.""",
        """Houdt het advies van SCENARIO stand als de onzekere kengetallen bewegen? Eén berekening per
    trekking uit de plausibele bereiken van de kengetallen (docs/model.md, "Uncertainty"; het blok
    `uncertainty:` van een scenario verandert ze): hoe vaak elke pool gekozen wordt, hoe vaak het advies
    het beste is en wat het kost waar het dat niet is, en welke kengetallen dat drijven.""",
    ),
)
@click.argument("scenario", default="kempen")
@set_option
@click.option(
    "--draws",
    type=click.IntRange(1, 100_000),
    default=200,
    show_default=True,
    help=twin(
        "How many draws of the uncertain figures to solve.",
        "Hoeveel trekkingen van de onzekere kengetallen er berekend worden.",
    ),
)
@click.option(
    "--seed",
    "draw_seed",
    type=click.IntRange(0, 2**32 - 1),
    default=0,
    show_default=True,
    help=twin(
        "Seed of the draws: the same seed gives the same draws (the solver's own seed is solver.seed).",
        "Seed van de trekkingen: dezelfde seed geeft dezelfde trekkingen (de eigen seed van de solver is solver.seed).",
    ),
)
@click.option(
    "--sampling",
    type=click.Choice(["lhs", "sobol"]),
    default="lhs",
    show_default=True,
    help=twin(
        "Latin hypercube (any number of draws) or scrambled Sobol (best with a power of 2).",
        "Latin hypercube (elk aantal trekkingen) of scrambled Sobol (het best met een macht van 2).",
    ),
)
@format_option
@out_folder_option(
    twin(
        "Write draws.csv, pools.csv, decisions.csv, drivers.csv, ranges.csv, robust.json, the charts "
        "(PNG), robust.html and seta.xlsx to this folder.",
        "Schrijf draws.csv, pools.csv, decisions.csv, drivers.csv, ranges.csv, robust.json, de grafieken "
        "(PNG), robust.html en seta.xlsx naar deze map.",
    )
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
    loaded = load_scenario(scenario, list(overrides))
    options = solver_settings(loaded, solver_given)
    check_uncertain(loaded)
    if out_dir is not None:
        check_folder(out_dir, "--out")
    with (
        cluster(dask_scheduler, dask_workers) as dask,
        cluster_or(dask, lambda: local_executor(jobs, STOP)) as executor,
    ):
        study = robust_study(loaded, options, draws, draw_seed, sampling, executor)
    if study.nominal.configuration is None:
        end_run(study.nominal, dask)
    if not study.draws:
        end_incomplete(dask, says("no draw finished, nothing was kept.", "geen trekking is af, er is niets bewaard."))
        fail(
            says(
                "Interrupted: no draw finished, nothing was kept.",
                "Onderbroken: geen trekking is af, er is niets bewaard.",
            ),
            EXIT_INTERRUPTED,
        )
    if STOP.is_set() and cluster_lost(dask) is None:
        say(
            says(
                f"Interrupted: {len(study.draws)} of {draws} draws finished; the figures are over those.",
                f"Onderbroken: {len(study.draws)} van {draws} trekkingen zijn af; de cijfers gaan over die.",
            )
        )
    if out_dir is not None:
        written = write_files(study, out_dir, lang, note=say)
        say(wrote(written, out_dir))
    show_study(
        output_format,
        lambda: document(study),
        study.draws_table,
        lambda console: render(study, console, lang),
    )
    end_incomplete(
        dask,
        says(
            f"{len(study.draws)} of {draws} draws finished and are kept, the figures are over those; the "
            f"other {draws - len(study.draws)} are missing.",
            f"{len(study.draws)} van {draws} trekkingen zijn af en bewaard, de cijfers gaan over die; de "
            f"andere {draws - len(study.draws)} ontbreken.",
        ),
    )
