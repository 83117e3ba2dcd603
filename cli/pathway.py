"""`seta pathway SCENARIO`: a plan over the years from today's configuration to an end state."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click
import pandas as pd
from rich.table import Table
from rich.text import Text

from cli.common import (
    EXIT_INTERRUPTED,
    EXIT_NO_SOLUTION,
    STOP,
    fail,
    reader_may_leave,
    say,
    stdout_console,
    user_errors,
)
from cli.help import Command, twin
from cli.load import load_scenario
from cli.options import (
    format_option,
    jobs_option,
    lang_option,
    out_folder_option,
    set_option,
    solver_options,
    solver_settings,
)
from cli.output import check_folder, json_text, staged
from inputs import InputError
from inputs.labels import name, number, sign_rule
from inputs.problems import Problem
from inputs.types import Scenario, SolverOptions
from optimizer.executor import Executor, SerialExecutor, local_executor
from optimizer.instance import Configuration, Instance, Placement
from optimizer.pathway import (
    FREE_ALTERNATIVES,
    Pathway,
    Settings,
    check_can_move,
    check_configuration,
    check_settings,
    plan_pathway,
    with_structures,
)
from optimizer.pathway_explain import PathwayExplanation, explain_pathway
from optimizer.result import Result, seta_version
from optimizer.solve import Status
from visuals import pathway as drawn
from visuals.report import Section
from visuals.tables import euros

#: --to words besides the end states of `seta endstates`
OPTIMUM, FREE = "optimum", "free"


def _observed(reference: str, scenario: Scenario, option: str) -> Configuration:
    from inputs.configuration import read_observed

    observed = read_observed(reference, scenario, option=option)
    placed = {key: Placement(host, structure) for key, (host, structure) in observed.placements().items()}
    return Instance(scenario).status_quo() | placed


def _today(scenario: Scenario, source: str | None) -> tuple[Configuration, str]:
    """(today's configuration, where it comes from for a message): --from, else the scenario's
    `current:` section, else nobody pools."""
    if source:
        return _observed(source, scenario, "--from"), f"--from {source}"
    status_quo = Instance(scenario).status_quo()
    if scenario.current is None:
        return status_quo, "today (nobody pools)"
    placed = {(code, domain): Placement(host, structure) for code, domain, host, structure in scenario.current}
    written = Path(scenario.source)
    label = written.name if written.suffix else f"{written.name}.yaml"
    return status_quo | placed, f"{label}, current"


def _one_year(scenario: Scenario, options: SolverOptions, place: str, executor: Executor, lang: str) -> Result:
    """The one-year optimum of `scenario`, as `seta solve` finds it (a scenario split by province solved
    by its parts on `executor`); none that keeps the rules: bad input placed at `place`; stopped before
    one was found: no solution (exit 1), or interrupted (exit 130)."""
    from optimizer import optimize

    result = optimize(scenario, options, stop=STOP, executor=executor)
    if result.configuration is None:
        if STOP.is_set():
            fail(
                _t(
                    lang,
                    "Interrupted before the end state was known: no plan.",
                    "Onderbroken voordat het eindbeeld bekend was: geen plan.",
                ),
                EXIT_INTERRUPTED,
            )
        if result.report.status != Status.INFEASIBLE:  # stopped before it found one: no solution, not bad input
            fail(
                _t(lang, "No end state found", "Geen eindbeeld gevonden")
                + f" ({result.report.describe(lang)}): "
                + _t(lang, "no plan.", "geen plan."),
                EXIT_NO_SOLUTION,
            )
        because = result.report.describe(lang).removeprefix(_t(lang, "infeasible: ", "onmogelijk: "))
        raise InputError(
            [Problem(place, _t(lang, "the end state is infeasible: ", "het eindbeeld is onhaalbaar: ") + because)]
        )
    return result


def _solved(scenario: Scenario, options: SolverOptions, place: str, executor: Executor, lang: str) -> Configuration:
    """The one-year optimum of `scenario` (`_one_year`)."""
    configuration = _one_year(scenario, options, place, executor, lang).configuration
    assert configuration is not None
    return configuration


def _free_pools(scenario: Scenario, options: SolverOptions, executor: Executor, lang: str) -> list[Configuration]:
    """The one-year optimum and its close alternatives, whose pools a free end state chooses from."""
    from optimizer.alternatives import alternatives

    result = _one_year(scenario, options, f"--to {FREE}", executor, lang)
    assert result.configuration is not None
    found = [result.configuration]
    found += [
        a.result.configuration
        for a in alternatives(result, options, count=FREE_ALTERNATIVES, stop=STOP)
        if a.result.configuration
    ]
    return found


def costed_scenario(scenario: Scenario, to: str) -> Scenario:
    """The scenario the years are costed in: with a named end state's structures that it lacks."""
    from optimizer.endstates import END_STATES, end_state_scenario

    if to in dict(END_STATES) and to != FREE:
        return with_structures(scenario, end_state_scenario(scenario, to))
    return scenario


def target_of(
    scenario: Scenario, to: str, options: SolverOptions, lang: str = "en", executor: Executor | None = None
) -> tuple[Scenario, Configuration | None, list[Configuration], str]:
    """(the scenario the years are costed in, the end state or None for free, more configurations whose
    pools are candidates, the end state in words)."""
    from optimizer.endstates import END_STATES, end_state_scenario

    place = f"--to {to}"
    solving = executor or SerialExecutor(STOP)
    if to == OPTIMUM:
        return scenario, _solved(scenario, options, place, solving, lang), [], drawn.word("optimum", lang)
    if to == FREE:
        return scenario, None, _free_pools(scenario, options, solving, lang), drawn.word("free_end", lang)
    if to in dict(END_STATES):
        narrowed = end_state_scenario(scenario, to)
        return (
            costed_scenario(scenario, to),
            _solved(narrowed, options, place, solving, lang),
            [],
            f"{drawn.word('end_state', lang)} {name(to, lang)}",
        )
    if _is_file(to):
        return scenario, _observed(to, scenario, "--to"), [], to
    choices = ", ".join([OPTIMUM, FREE, *(k for k, _ in END_STATES if k != FREE)])
    raise InputError(
        [
            Problem(
                place,
                _t(
                    lang,
                    f"no end state of that name and no such file (expected one of: {choices}, or a file)",
                    f"geen eindbeeld met die naam en geen bestand (verwacht een van: {choices}, of een bestand)",
                ),
            )
        ]
    )


def _is_file(to: str) -> bool:
    return bool(Path(to).suffix) or Path(to).exists() or "/" in to or to.endswith("-2007")


@click.command(
    cls=Command,
    help=twin(
        """A plan over the years from today's configuration of SCENARIO to an end state: what starts,
        joins or ends each year, the cash a council budgets, beside the big bang and staying as we are,
        and why this order. --jobs N runs the explanation's re-solves in N worker processes.""",
        """Een plan over de jaren, van de huidige inrichting van SCENARIO naar een eindbeeld: wat elk jaar
        begint, aansluit of eindigt, het geld dat een raad begroot, naast de big bang en blijven zoals we zijn,
        en waarom deze volgorde. --jobs N voert de herberekeningen van de verklaring uit in N werkprocessen.""",
    ),
)
@click.argument("scenario", default="kempen")
@set_option
@click.option(
    "--from",
    "source",
    metavar="FILE",
    help=twin(
        "Today's configuration: a CSV or YAML file of pools or a built-in observed name (kempen-2007, ...). "
        "Default: the scenario's current: section, else nobody pools.",
        "De huidige inrichting: een CSV- of YAML-bestand met pools of een ingebouwde waargenomen naam "
        "(kempen-2007, ...). Standaard: de sectie current: van het scenario, anders werkt niemand samen.",
    ),
)
@click.option(
    "--to",
    "to",
    default=OPTIMUM,
    show_default=True,
    metavar="KEY|FILE",
    help=twin(
        "The end state: optimum, free (what the path makes best), an end state of seta endstates "
        "(one_civil_service, ...), or a configuration file.",
        "Het eindbeeld: optimum, free (wat met het groeipad het beste uitkomt), een eindbeeld van seta endstates "
        "(one_civil_service, ...), of een configuratiebestand.",
    ),
)
@click.option(
    "--years",
    type=int,
    default=None,
    help=twin(
        "Years to plan (1-30; default: the write-off horizon, 8).",
        "Aantal jaren om te plannen (1-30; standaard: de afschrijvingstermijn, 8).",
    ),
)
@click.option(
    "--explain/--no-explain",
    default=True,
    show_default=True,
    help=twin(
        "Why this order: each step re-solved a year later (the NPV lost) and where the discount rate "
        "(0-10 %) and the cap on changes a year flip the order (re-solves within a limit on work).",
        "Waarom deze volgorde: elke stap een jaar later herberekend (de netto contante waarde die verloren gaat) "
        "en waar de discontovoet (0-10 %) en het maximum aantal wijzigingen per jaar de volgorde doen omslaan "
        "(herberekeningen binnen een werklimiet).",
    ),
)
@out_folder_option(
    twin(
        "Write pathway.csv, pathway-comparison.csv, pathway-delays.csv, pathway-flips.csv, pathway.json, "
        "pathway.html, the charts and seta.xlsx here.",
        "Schrijf pathway.csv, pathway-comparison.csv, pathway-delays.csv, pathway-flips.csv, pathway.json, "
        "pathway.html, de grafieken en seta.xlsx naar deze map.",
    )
)
@format_option
@solver_options
@jobs_option
@lang_option
@user_errors
def pathway(
    scenario: str,
    overrides: tuple[str, ...],
    source: str | None,
    to: str,
    years: int | None,
    explain: bool,
    out_dir: Path | None,
    output_format: str,
    solver_given: dict[str, Any],
    jobs: int | None,
    lang: str,
) -> None:
    loaded = load_scenario(scenario, list(overrides))
    options = solver_settings(loaded, solver_given)
    settings = Settings.of(loaded, years)
    check_settings(loaded, settings, lang)
    if out_dir is not None:
        check_folder(out_dir, "--out")
    today, today_place = _today(loaded, source)
    say(
        _t(
            lang,
            f"Planning {loaded.name} over {settings.years} years...",
            f"Groeipad van {loaded.name} over {settings.years} jaar...",
        )
    )
    # the files first: a bad --from (or current: section) is said before the one-year optimum is
    # solved; nobody pooling breaks a rule only where the end state cannot keep it either, said first
    instance = Instance(costed_scenario(loaded, to))
    from_file = source is not None or loaded.current is not None
    if from_file:
        check_configuration(instance, today, today_place)
    with local_executor(jobs, STOP) as solving:
        costed, target, more, words = target_of(loaded, to, options, lang, solving)
    if not from_file:
        check_configuration(instance, today, today_place)
    if target is not None:
        check_configuration(instance, target, f"--to {to}")
    check_can_move(settings, today, target, words, lang)
    planned = plan_pathway(costed, today, target, settings, options, more=more, stop=STOP, progress=say)
    if planned.plan is None:
        fail(
            _t(lang, "No pathway: ", "Geen groeipad: ") + planned.report.describe(lang),
            EXIT_INTERRUPTED if planned.report.interrupted else EXIT_NO_SOLUTION,
        )
        return
    # the status in full ('feasible, within 0.8 % of the best possible, ...'), never just 'feasible'
    status, seconds = planned.report.describe(lang), number(planned.report.seconds, 1, lang)
    say(
        _t(
            lang,
            f"Pathway {status} in {seconds} s ({len(planned.candidates)} candidate pools)",
            f"Groeipad {status} in {seconds} s ({len(planned.candidates)} kandidaat-pools)",
        )
    )
    explanation = _explain(planned, options, explain, jobs, lang) if not STOP.is_set() else None
    with reader_may_leave():
        _print(planned, explanation, output_format, lang, words)
    if out_dir is not None:
        written = _write(planned, explanation, out_dir, lang, loaded.name, words)
        say(_t(lang, f"Wrote {', '.join(written)} to {out_dir}", f"{', '.join(written)} geschreven naar {out_dir}"))
    if planned.report.interrupted:
        say(_t(lang, "Interrupted: the best plan found so far is shown.", "Onderbroken: het beste plan tot nu toe."))
    elif STOP.is_set():
        say(
            _t(
                lang,
                "Interrupted: the plan is whole; the explanation keeps the re-solves that finished.",
                "Onderbroken: het plan is heel; de verklaring houdt de herberekeningen die klaar waren.",
            )
        )


def _t(lang: str, english: str, dutch: str) -> str:
    return dutch if lang == "nl" else english


def _explain(
    planned: Pathway, options: SolverOptions, explain: bool, jobs: int | None, lang: str
) -> PathwayExplanation | None:
    """Why this order, for a proven plan: re-solves in this process, or in `jobs` worker processes."""
    if not explain:
        return None
    if planned.report.status is not Status.OPTIMAL:
        say(
            _t(
                lang,
                "No explanation: the plan is not proven optimal, so what a delay loses against it would not hold.",
                "Geen verklaring: het plan is niet bewezen optimaal, dus wat uitstel ertegen verliest klopt niet.",
            )
        )
        return None
    say(_t(lang, "Explaining the order...", "De volgorde verklaren..."))
    with local_executor(jobs or 1, STOP) as executor:
        return explain_pathway(
            planned,
            options,
            executor=executor,
            progress=say,
            label=lambda task: drawn.task_words(planned, task, lang),
            describe=lambda value: drawn.outcome_words(value, lang),
        )


def pathway_sections(scenario: Scenario, options: SolverOptions, answer: Configuration, lang: str) -> list[Section]:
    """The report's pathway section: from today (the scenario's current: section, else nobody pools) to
    the report's answer over the write-off horizon; none, with the reason said, without a plan."""
    settings = Settings.of(scenario)
    today, place = _today(scenario, None)
    check_configuration(Instance(scenario), today, place)
    say(_t(lang, "Planning the pathway to the answer...", "Het groeipad naar het antwoord plannen..."))
    planned = plan_pathway(scenario, today, answer, settings, options, stop=STOP, progress=say)
    if planned.plan is None:
        say(_t(lang, "No pathway section: ", "Geen groeipad: ") + planned.report.describe(lang))
        return []
    return drawn.sections(planned, drawn.word("optimum", lang), lang)


def json_document(
    planned: Pathway, explanation: PathwayExplanation | None, words: str, lang: str = "en"
) -> dict[str, Any]:
    """The plan for scripts: every amount in EUR a change against staying as we are (`sign_rule`)."""
    assert planned.plan is not None
    settings = planned.settings
    return {
        # scripts have read "status" in English since schema 1; a person reads the status in --lang
        "status": planned.report.describe(),
        "status_text": planned.report.describe(lang),
        "sign_rule": sign_rule(),
        "headline": drawn.headline_lines(planned, words, lang),
        "objective_npv_weighted_change_eur": planned.plan.npv_weighted,
        "settings": {
            "years": settings.years,
            "discount_rate": settings.discount_rate,
            "ramp_up_share": settings.ramp_up_share,
            "learning_years": settings.learning_years,
            "learning_reduction": settings.learning_reduction,
            "max_changes_per_year": settings.max_changes_per_year,
            "max_changes_per_municipality": settings.max_changes_per_municipality,
        },
        "years": drawn.year_rows(planned, planned.plan, lang),
        "comparison": drawn.comparison_rows(planned),
        "big_bang_breaks": list(planned.big_bang_breaks),
        "candidate_pools": len(planned.candidates),
        "explanation": None if explanation is None else _explanation_document(planned, explanation, lang),
    }


def _explanation_document(planned: Pathway, explanation: PathwayExplanation, lang: str) -> dict[str, Any]:
    return {
        "delays": drawn.delay_rows(planned, explanation, lang),
        "flips": drawn.flip_rows(explanation, lang),
        "solves": explanation.solves,
        "work_per_solve": explanation.work,
        "not_explained": [{"task": label, "why": why} for label, why in explanation.failed],
    }


def _print(planned: Pathway, explanation: PathwayExplanation | None, output_format: str, lang: str, words: str) -> None:
    assert planned.plan is not None
    if output_format == "json":
        click.echo(json_text(json_document(planned, explanation, words, lang)))
        return
    if output_format == "csv":
        click.echo(drawn.years_frame(planned, lang).to_csv(index=False), nl=False)
        return
    console = stdout_console()
    console.print(f"[bold]{drawn.word('headline_title', lang)}[/bold]")
    for line in drawn.headline_lines(planned, words, lang):
        console.print(Text(line))
    console.print()
    table = Table(
        title=f"{drawn.word('pathway', lang).capitalize()}: {words}",
        caption=drawn.years_caption(lang),
        caption_justify="left",
    )
    money = drawn.MONEY_COLUMNS
    keys = ["year", "starts", "joins", "leaves", *money]
    for key in keys:
        table.add_column(drawn.word(key, lang), justify="right" if key == "year" or key in money else "left")
    nothing = drawn.word("nothing", lang)
    for row in drawn.year_rows(planned, planned.plan, lang):
        table.add_row(
            str(row["year"]),
            row["starts"] or nothing,
            row["joins"] or nothing,
            row["leaves"] or nothing,
            *(euros(row[key], lang) for key in money),
        )
    console.print(table)
    comparison = Table(caption=drawn.comparison_caption(planned, lang), caption_justify="left")
    for key in drawn.COMPARISON_COLUMNS[:-1]:
        comparison.add_column(drawn.word(key, lang), justify="left" if key == "option" else "right")
    for cells in drawn.comparison_text_rows(planned, lang):
        comparison.add_row(*cells)
    console.print(comparison)
    if explanation is not None:
        console.print()
        delays = drawn.shown_delays(planned, explanation, lang)
        why = Table(caption=drawn.delay_caption(lang), caption_justify="left")
        for column in delays.columns:
            why.add_column(str(column))
        for delay in delays.itertuples(index=False):
            why.add_row(*(str(cell) for cell in delay))
        console.print(why)
        for line in drawn.explanation_lines(explanation, lang):
            console.print(Text(line))


def _write(
    planned: Pathway, explanation: PathwayExplanation | None, out_dir: Path, lang: str, title: str, words: str
) -> list[str]:
    """Every file of --out, all or none; the names written."""
    from visuals import charts
    from visuals.report import build_report

    sections = drawn.sections(planned, words, lang)
    sheets = drawn.workbook_sheets(planned, lang)
    if explanation is not None:
        sections += drawn.explanation_sections(planned, explanation, lang)
        sheets += drawn.explanation_sheets(planned, explanation, lang)
    page = build_report(
        f"{drawn.word('pathway', lang).capitalize()}: {title}", f"seta {seta_version()}", sections, lang
    )
    with staged(out_dir, "--out") as stage:
        stage.sheets = sheets
        stage.table("pathway", drawn.years_frame(planned, lang))
        stage.table("pathway-comparison", drawn.comparison_frame(planned))
        if explanation is not None:
            stage.table("pathway-delays", pd.DataFrame(drawn.delay_rows(planned, explanation, lang)))
            stage.table("pathway-flips", pd.DataFrame(drawn.flip_rows(explanation, lang)))
        stage.path("pathway.json").write_text(
            json_text(json_document(planned, explanation, words, lang)), encoding="utf-8"
        )
        charts.save_png(drawn.gantt(planned, lang), str(stage.path("pathway-gantt.png")), lang)
        charts.save_png(drawn.cash_chart(planned, lang), str(stage.path("pathway-cash.png")), lang)
        stage.path("pathway.html").write_text(page, encoding="utf-8")
        return [*stage.names, "seta.xlsx"]
