"""`seta compare` and `seta endstates`: options side by side; and the sections of the report (cli/report.py)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import replace
from pathlib import Path
from typing import Any

import click
import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cli.common import (
    any_solved,
    cluster,
    cluster_or,
    end_study,
    reader_may_leave,
    say,
    sized_executor,
    stdout_console,
    user_errors,
    wrote,
)
from cli.help import Command, twin
from cli.load import load_scenario
from cli.options import (
    cluster_options,
    jobs_option,
    lang_option,
    out_folder_option,
    set_option,
    solver_options,
    solver_settings,
)
from cli.output import check_file, check_folder, staged, write_text
from inputs import InputError, datasets
from inputs.assumptions import assumptions
from inputs.labels import figure_words, name, says, sign_rule
from inputs.problems import Problem
from inputs.sources_nl import described
from inputs.types import Scenario, SolverOptions
from optimizer import Result, Status, optimize_each
from optimizer.allocate import Shares
from optimizer.control import Progress
from optimizer.endstates import solve_end_states
from optimizer.executor import Executor
from optimizer.explain import Explanation
from optimizer.observed import ObservedComparison
from optimizer.result import comparison_table, seta_version
from optimizer.robust import Study
from visuals import charts, tables, why
from visuals.business_case import council_lines
from visuals.report import Section, build_report
from visuals.tables import euros

COMPARISON_COLUMNS = (
    ("Option", "Optie", "left"),
    ("Forms used", "Vormen", "left"),
    ("Annual cost", "Jaarkosten", "right"),
    ("One-off", "Eenmalig", "right"),
    ("Quality", "Kwaliteit", "right"),
    ("Days w/o staff", "Dagen onbezet", "right"),
    ("Pools", "Pools", "right"),
    ("Interfaces", "Koppelvlakken", "right"),
    ("Objective", "Doelfunctie", "right"),
)
#: the narrowest a text column (the option, the forms) may become before the table folds into blocks
NARROWEST_TEXT = 12


def print_comparison(
    table: pd.DataFrame, title: str, console: Console, lang: str = "en", comparable: bool = True
) -> None:
    """Options on the same axes; the best solved option is starred where their objectives are
    `comparable` (the same weights), one without a solution says so. On the terminal's console
    (cli/terminal.py) numbers are never broken over lines, and a table that does not fit its width
    becomes a block of lines per option."""
    nl = lang == "nl"
    headers = [(dutch if nl else english, justify) for english, dutch, justify in COMPARISON_COLUMNS]
    solved = table[table["status"].isin([str(Status.OPTIMAL), str(Status.FEASIBLE)])]
    best = solved["objective"].min() if not solved.empty and comparable else math.nan
    rows: list[list[str]] = []
    for row in table.to_dict("records"):
        option = setting_words(name(str(row["option"]), lang), lang)  # options.csv keeps the setting as given
        if row["status"] != Status.OPTIMAL:
            option += f" ({name(str(row['status']), lang)})"
        if math.isnan(row["objective"]):
            rows.append([option, name("infeasible", lang), *(["-"] * 7)])
            continue
        forms = ", ".join(name(s, lang) for s in str(row["structures"]).split(", ") if s != "none")
        rows.append(
            [
                option,
                forms or "-",
                euros(row["annual_cost_eur"], lang),
                euros(row["transition_one_off_eur"], lang),
                tables.number(row["quality_index"], 0, lang),
                tables.number(row["uncovered_days"], 1, lang),
                str(int(row["pools"])),
                str(int(row["matrix_interfaces"])),
                euros(row["objective"], lang) + (" *" if row["objective"] == best else ""),
            ]
        )
    out = Table(title=Text(title), title_justify="left")
    for header, justify in headers:
        # a text column keeps room for a few words; narrower than that, the terminal folds the table
        # (cli/terminal.py, which also keeps every figure and every heading's longest word whole)
        narrowest = NARROWEST_TEXT if justify == "left" else None
        out.add_column(header, justify=justify, min_width=narrowest)  # type: ignore[arg-type]
    for cells in rows:
        out.add_row(*(Text(cell) for cell in cells))
    console.print(out)
    if comparable:
        star = (
            "* best op de gewogen doelfunctie van de opties met een oplossing"
            if nl
            else "* best on the weighted objective among the options with a solution"
        )
    else:
        star = (
            "Geen beste: de opties wegen de criteria verschillend, dus hun doelfuncties zijn niet vergelijkbaar."
            if nl
            else "No best: the options weigh the criteria differently, so their objectives cannot be compared."
        )
    console.print(Text(star, style="dim"))
    for row in table.to_dict("records"):
        if math.isnan(row["objective"]):
            console.print(Text(f"{name(str(row['option']), lang)}: {row['status_text']}"))


def write_chart_files(chart: Any, table: pd.DataFrame, out_dir: Path, stem: str, title: str, lang: str) -> None:
    """`stem`.csv (the figures), .png (the chart) and .html (both, offline), complete or not at all."""
    page = build_report(
        title,
        f"seta {seta_version()}",
        [Section(title, chart=chart, table=tables.options_table(table, lang))],
        lang,
    )
    with staged(out_dir, "--out") as stage:
        stage.naming = ({}, lang)  # no codes in a comparison; the workbook's words in the command's language
        stage.table(stem, table)
        charts.save_png(chart, str(stage.path(f"{stem}.png")), lang)
        stage.path(f"{stem}.html").write_text(page, encoding="utf-8")


def compare_results(
    references: tuple[str, ...],
    overrides: tuple[str, ...],
    solver_given: dict[str, Any],
    executor_for: Callable[..., AbstractContextManager[Executor]],
    progress: Progress | None = None,
) -> list[tuple[str, Result]]:
    """Several scenarios, or one scenario and one variant per --set override; all are loaded (and
    checked) before the first is solved, and `progress` hears of each solved one."""
    if len(references) == 1 and overrides:
        base = load_scenario(references[0])
        named = [(base.name, base)] + [(setting, load_scenario(references[0], [setting])) for setting in overrides]
    else:
        named = []
        for reference in references:
            scenario = load_scenario(reference, list(overrides))
            named.append((scenario.name, scenario))
    named = _told_apart(named)
    triples = [(label, scenario, solver_settings(scenario, solver_given)) for label, scenario in named]
    with executor_for(*(replace(scenario, solver=options) for _label, scenario, options in triples)) as executor:
        return optimize_each(triples, executor=executor, progress=progress)


def setting_words(setting: str, lang: str = "en") -> str:
    """A --set variant as a reader names it: 'weight of quality = 0.2' for `weights.quality=0.2`; any
    other label as it is."""
    key, _, value = setting.partition("=")
    if not value:
        return setting
    words = figure_words(key.strip(), lang)
    return setting if words == key.strip() else f"{words} = {value.strip()}"


def _told_apart(named: list[tuple[str, Scenario]]) -> list[tuple[str, Scenario]]:
    """Labels that tell options apart: a name that comes twice gets its place, 'Kempen (2)'."""
    seen: dict[str, int] = {}
    for label, _scenario in named:
        seen[label] = seen.get(label, 0) + 1
    count: dict[str, int] = {}
    result = []
    for label, scenario in named:
        if seen[label] > 1:
            count[label] = count.get(label, 0) + 1
            label = f"{label} ({count[label]})"
        result.append((label, scenario))
    return result


def why_sections(result: Result, explanation: Explanation | None, lang: str) -> list[Section]:
    """'Why this answer': cash and valuations apart, then (explained) the runner-ups with their
    margins and near ties, and what would flip the advice."""
    en = lang == "en"
    summary = result.summary(lang)
    if summary.cash_and_valuations is None:
        return []
    namer, domains = result.name_of, len(result.instance.domains)
    notes = [] if explanation is None else why.near_tie_lines(explanation, namer, domains, lang)
    headline = "" if explanation is None else why.cash_headline(result, explanation, lang)
    sections = [
        Section(
            "Why this answer" if en else "Waarom dit antwoord",
            new_page=True,
            text=" ".join(t for t in (headline, why.split_sentence(summary, lang)) if t),
            table=why.split_table(summary, lang),
            notes=[_signs(lang), *notes, *why.valuation_lines(result, lang)],
        )
    ]
    if explanation is None:
        return sections
    if explanation.runner_ups:
        sections.append(
            Section(
                "Why this host and this structure" if en else "Waarom deze gastheergemeente en deze vorm",
                text="For each chosen pool, the best configuration without its host, and without its structure "
                "(each a re-solve), and how much worse it scores."
                if en
                else "Per gekozen pool de beste configuratie zonder die gastheergemeente en zonder die vorm (elk een "
                "nieuwe berekening), en hoeveel slechter die scoort.",
                table=why.runner_up_table(explanation, namer, domains, lang),
            )
        )
    flips = why.flip_table(explanation, namer, domains, lang)
    steady = why.steady_text(explanation, lang)
    clock = why.clock_text(explanation, lang)
    sections.append(
        Section(
            "What would flip the advice" if en else "Wat het advies doet kantelen",
            text="The value of each decisive figure at which the recommended configuration changes, and to what."
            if en
            else "De waarde van elk beslissend kengetal waarbij de aanbevolen configuratie verandert, en waarin.",
            table=flips if len(flips) else None,
            notes=[note for note in (steady, clock) if note],
        )
    )
    return sections


def _signs(lang: str) -> str:
    """The sign rule under a report section of changes, as the terminal says it in a table's title."""
    return ("Signs: " if lang == "en" else "Tekens: ") + sign_rule(lang) + "."


def report_sections(
    scenario: Scenario,
    result: Result,
    options: SolverOptions,
    lang: str,
    executor: Executor,
    progress: Progress | None = None,
    explanation: Explanation | None = None,
    study: Study | None = None,
    shares: Shares | None = None,
    observed: ObservedComparison | None = None,
    endstates: bool = True,
) -> list[Section]:
    en = lang == "en"
    municipalities = result.municipalities()
    pools, merged = result.pools(), result.merged_pools()
    domains = list(result.instance.domains)
    summary = result.summary(lang)
    status = "Solver: " + (name(str(summary.status), lang) if summary.status == Status.OPTIMAL else summary.status_text)
    against_change = tables.gap_sentence(summary, lang)
    if against_change:
        status += f"; {against_change}"
    sections = [
        Section(
            "The answer" if en else "Het antwoord",
            text=f"{tables.headline(summary, lang)} {status}.",
            lead=council_lines(result, lang),
            notes=[described(scenario.description, lang)] if scenario.description else [],
        ),
        Section(
            "Chosen pools" if en else "Gekozen pools",
            table=tables.pools_table(merged, len(domains), lang) if not merged.empty else None,
            text=""
            if not merged.empty
            else ("Every service stays in house." if en else "Alle taken blijven in eigen huis."),
        ),
        *why_sections(result, explanation, lang),
    ]
    if observed is not None:
        from visuals.observed import observed_lines, observed_table, observed_title

        objective = result.chosen.objective if result.chosen is not None else None
        sections.append(
            Section(
                observed_title(observed, lang),
                text=" ".join(observed_lines(observed, summary.municipalities, scenario.name, lang)),
                table=observed_table(observed, objective, lang),
                new_page=True,
                notes=[_signs(lang)]
                + (
                    [text]
                    if (
                        text := " ".join(
                            n for n in (described(observed.observed.note, lang), observed.observed.source) if n
                        )
                    )
                    else []
                ),
            )
        )
    if scenario.dataset is not None:
        geo = datasets.boundaries(scenario.dataset)
        sections.append(
            Section(
                "Map of the pools" if en else "Kaart van de pools",
                chart=charts.pool_map(municipalities, pools, geo, domains, lang, charts.kept_out(result)),
                notes=[datasets.ATTRIBUTION],
                file="pool-map",
                new_page=True,
            )
        )
    sections.append(
        Section(
            "Cooperation network" if en else "Samenwerkingsnetwerk",
            chart=charts.cooperation_network(municipalities, pools, lang),
            file="cooperation-network",
            new_page=scenario.dataset is None,  # the charts' page starts here when there is no map
        )
    )
    sections.append(
        Section(
            "Where each municipality gains or pays" if en else "Waar elke gemeente wint of betaalt",
            chart=charts.municipality_effects(municipalities, lang),
            table=tables.municipalities_table(municipalities, lang),
            file="municipality-effects",
            new_page=True,
            notes=[_signs(lang)],
        )
    )
    sections += (
        end_state_sections(scenario, options, lang, executor, progress) if endstates else [skipped_end_states(lang)]
    )
    if study is not None:
        from cli.robust import sections as robust_sections

        sections += _on_new_page(robust_sections(study, lang))
    if shares is not None:
        from visuals.shares import sections as share_sections

        sections += _on_new_page(share_sections(shares, lang))
    figures = assumptions(scenario, lang)
    sections.append(
        Section(
            "Assumptions and sources" if en else "Aannames en bronnen",
            table=tables.assumptions_table(figures, lang),
            notes=[f"seta {seta_version()}, {'invoer' if not en else 'inputs'} sha256 {scenario.content_hash()}"],
            new_page=True,
            folded=assumptions_summary(figures, lang),
        )
    )
    return sections


def _on_new_page(sections: list[Section]) -> list[Section]:
    """A part of the report from elsewhere (robustness, shares) printed from the top of a page."""
    return [replace(section, new_page=True) if index == 0 else section for index, section in enumerate(sections)]


def end_state_sections(
    scenario: Scenario, options: SolverOptions, lang: str, executor: Executor, progress: Progress | None
) -> list[Section]:
    """The best configuration under each form of cooperation: a solve per form, the report's slowest part."""
    en = lang == "en"
    if progress is not None:
        progress("Solving the end states..." if en else "De eindbeelden oplossen...")
    end_table = comparison_table(solve_end_states(scenario, options, executor=executor, progress=progress), lang)
    return [
        Section(
            "End states" if en else "Eindbeelden",
            text="The best configuration under each form of cooperation, on the same axes."
            if en
            else "De beste configuratie per samenwerkingsvorm, op dezelfde assen.",
            chart=charts.end_states(end_table, lang),
            table=tables.options_table(end_table, lang),
            file="end-states",
            new_page=True,
        ),
        Section(
            "End states compared" if en else "Eindbeelden vergeleken",
            chart=charts.comparison(end_table, lang),
            file="end-states-compared",
        ),
    ]


def skipped_end_states(lang: str) -> Section:
    """In the end states' place under --no-endstates: that they were left out, not that there are none."""
    return Section(
        "End states" if lang == "en" else "Eindbeelden",
        text="End states were skipped (--no-endstates): the best configuration under each form of cooperation "
        "was not solved. Run seta report without --no-endstates to include them, or seta endstates for them alone."
        if lang == "en"
        else "Eindbeelden zijn overgeslagen (--no-endstates): de beste configuratie per samenwerkingsvorm is niet "
        "berekend. Draai seta report zonder --no-endstates om ze op te nemen, of seta endstates voor alleen de "
        "eindbeelden.",
    )


def assumptions_summary(figures: list[dict[str, Any]], lang: str) -> str:
    """The folded assumptions table's summary line: how many figures, and how many of them are modelling
    judgement (a source that starts with ASSUMPTION) rather than sourced or set by the scenario."""
    judged = sum(str(row["source"]).lower().startswith(("assumption", "aanname")) for row in figures)
    if lang == "nl":
        return f"{len(figures)} kengetallen, waarvan {judged} aannames (een inschatting, geen bron)"
    return f"{len(figures)} figures, {judged} of them assumptions (judgement, not a source)"


def write_report(
    scenario: Scenario,
    result: Result,
    options: SolverOptions,
    path: Path,
    png_dir: Path | None,
    lang: str,
    executor: Executor,
    progress: Progress | None = None,
    explanation: Explanation | None = None,
    study: Study | None = None,
    shares: Shares | None = None,
    observed: ObservedComparison | None = None,
    endstates: bool = True,
    pdf: Path | None = None,
    extra: Sequence[Section] = (),
) -> list[Path]:
    """The report (and the charts as PNG, and with `pdf` the report printed to it), written only when
    every section is ready: nothing after Ctrl-C or a lost cluster. `extra`: sections of another study
    (the pathway) after the report's own."""
    sections = report_sections(
        scenario, result, options, lang, executor, progress, explanation, study, shares, observed, endstates
    )
    sections += extra
    if executor.stop.is_set() or executor.lost is not None:  # a section would be missing
        return []
    title = f"seta: {scenario.name}"
    subtitle = (
        f"{len(result.instance.codes)} municipalities, {len(result.instance.domains)} domains; "
        f"seta {seta_version()}; {datasets.ATTRIBUTION}"
        if lang == "en"
        else f"{len(result.instance.codes)} gemeenten, {len(result.instance.domains)} taakvelden; "
        f"seta {seta_version()}; {datasets.ATTRIBUTION}"
    )
    page = build_report(title, subtitle, sections, lang)
    check_file(path, "--out")
    if png_dir is None:
        return write_page(path, page, pdf, progress)
    written = []
    with staged(png_dir, "--png") as stage:  # the charts move into place only once the report is written
        for section in sections:
            if section.chart is not None:
                target = stage.path(f"{section.file}.png")
                charts.save_png(section.chart, str(target), lang)
                written.append(png_dir / target.name)
        pages = write_page(path, page, pdf, progress)
    return [*pages, *written]


def write_page(path: Path, page: str, pdf: Path | None, progress: Progress | None) -> list[Path]:
    """The report's HTML at `path`, and with `pdf` the same page printed there: both or neither, since
    the PDF is printed from the HTML staged beside it and the two move into place together."""
    if pdf is None:
        write_text(path, page, "--out")
        return [path]
    from cli.pdf import print_pdf

    with staged(path.parent, "--out") as stage:
        aside = stage.path(path.name)
        aside.write_text(page, encoding="utf-8")
        if progress is not None:
            progress(says("Printing the report to PDF...", "Het rapport als PDF afdrukken..."))
        print_pdf(aside, stage.path(pdf.name), f"--pdf {pdf}")
    return [path, pdf]


@click.command(
    cls=Command,
    help=twin(
        "Solve several scenarios (or variants of one) and show them on the same axes.",
        "Los meerdere scenario's (of varianten van één scenario) op en toon ze op dezelfde assen.",
    ),
)
@click.argument("scenarios", nargs=-1)
@click.option(
    "--set",
    "overrides",
    multiple=True,
    metavar="KEY=VALUE",
    help=twin(
        "With one scenario: one variant per setting (e.g. weights.quality=1). With several: applied to all.",
        "Met één scenario: één variant per instelling (bijv. weights.quality=1). Met meerdere: toegepast op alle.",
    ),
)
@out_folder_option(
    twin(
        "Write options.csv, options.png, options.html and seta.xlsx here.",
        "Schrijf options.csv, options.png, options.html en seta.xlsx in deze map.",
    )
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
    from optimizer.result import comparison_table
    from visuals.charts import comparison

    if not scenarios:
        scenarios = ("kempen",)
    if len(scenarios) == 1 and not overrides:
        raise InputError(
            [
                Problem(
                    "seta compare",
                    says(
                        "nothing to compare: give two scenarios or --set KEY=VALUE",
                        "niets te vergelijken: geef twee scenario's of --set SLEUTEL=WAARDE",
                    ),
                )
            ]
        )
    if out_dir is not None:
        check_folder(out_dir, "--out")
    count = len(scenarios) if len(scenarios) > 1 else 1 + len(overrides)
    say(says(f"Solving {count} options...", f"{count} opties oplossen..."))
    with cluster(dask_scheduler, dask_workers) as dask:
        results = compare_results(
            scenarios, overrides, solver_given, lambda *s: cluster_or(dask, lambda: sized_executor(jobs, *s)), say
        )
    table = comparison_table(results, lang)
    with reader_may_leave():
        # objectives under different weights are in different units of value: no best among them
        comparable = len({result.instance.scenario.weights for _label, result in results}) <= 1
        title = "Opties vergeleken" if lang == "nl" else "Options compared"
        print_comparison(table, title, stdout_console(), lang, comparable)
    if out_dir is not None and any_solved(results):
        write_chart_files(comparison(table, lang), table, out_dir, "options", "Options compared", lang)
        say(wrote(["options.csv", "options.png", "options.html", "seta.xlsx"], out_dir))
    end_study(results, out_dir, dask)


@click.command(
    cls=Command,
    help=twin(
        "The best configuration of SCENARIO under every end state, side by side.",
        "De beste configuratie van SCENARIO onder elk eindbeeld, naast elkaar.",
    ),
)
@click.argument("scenario", default="kempen")
@set_option
@out_folder_option(
    twin(
        "Write end-states.csv, end-states.png, end-states.html and seta.xlsx here.",
        "Schrijf end-states.csv, end-states.png, end-states.html en seta.xlsx in deze map.",
    )
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
    from optimizer.endstates import END_STATES, solve_end_states
    from optimizer.result import comparison_table
    from visuals.charts import end_states

    loaded = load_scenario(scenario, list(overrides))
    options = solver_settings(loaded, solver_given)
    if out_dir is not None:
        check_folder(out_dir, "--out")
    say(
        says(
            f"Solving {loaded.name} under {len(END_STATES)} end states...",
            f"{loaded.name} oplossen onder {len(END_STATES)} eindbeelden...",
        )
    )
    with (
        cluster(dask_scheduler, dask_workers) as dask,
        cluster_or(dask, lambda: sized_executor(jobs, replace(loaded, solver=options))) as executor,
    ):
        results = solve_end_states(loaded, options, executor=executor, progress=say)
    table = comparison_table(results, lang)
    title = f"{'Eindbeelden van' if lang == 'nl' else 'End states of'} {loaded.name}"
    with reader_may_leave():
        print_comparison(table, title, stdout_console(), lang)
    if out_dir is not None and any_solved(results):
        write_chart_files(end_states(table, lang), table, out_dir, "end-states", title, lang)
        say(wrote(["end-states.csv", "end-states.png", "end-states.html", "seta.xlsx"], out_dir))
    end_study(results, out_dir, dask)
