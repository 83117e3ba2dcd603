"""`seta solve`: the best pooling of one scenario, and its answer as JSON data and files."""

from __future__ import annotations

from dataclasses import asdict, replace
from pathlib import Path
from typing import Any

import click
import pandas as pd

from cli.common import (
    STOP,
    cluster,
    cluster_lost,
    cluster_or,
    end_run,
    reader_may_leave,
    say,
    stdout_console,
    user_errors,
    wrote,
)
from cli.help import Command, twin
from cli.load import load_scenario
from cli.options import (
    cluster_options,
    explain_option,
    format_option,
    jobs_option,
    lang_option,
    out_folder_option,
    participation_option,
    set_option,
    solver_options,
    solver_settings,
    tie_option,
    with_participation,
)
from cli.output import cannot_write, check_file, check_folder, json_text, staged
from cli.render import plural
from inputs.labels import language, text
from optimizer import Result, optimize
from optimizer.conflicts import Conflict
from optimizer.executor import local_executor
from optimizer.explain import Explanation
from optimizer.guarantee import price, without_guarantee
from optimizer.observed import ObservedComparison


@click.command(
    cls=Command,
    help=twin(
        """Find the best pooling of SCENARIO (a YAML file or a built-in name; default kempen).""",
        """Zoek de beste samenwerking in pools voor SCENARIO (een YAML-bestand of een ingebouwde naam;
        standaard kempen).""",
    ),
)
@click.argument("scenario", default="kempen")
@set_option
@out_folder_option(
    twin(
        "Write pools.csv, municipalities.csv, summary.json and seta.xlsx (a business case) to this folder "
        "(with --explain also explanation.json and flips.csv).",
        "Schrijf pools.csv, municipalities.csv, summary.json en seta.xlsx (een businesscase) naar deze map "
        "(met --explain ook explanation.json en flips.csv).",
    )
)
@format_option
@solver_options
@click.option(
    "--write-lp",
    type=click.Path(path_type=Path),
    help=twin("Write the model as an LP file.", "Schrijf het model als LP-bestand."),
)
@jobs_option
@cluster_options
@explain_option
@tie_option
@participation_option
@lang_option
@click.option(
    "--given",
    "given",
    metavar="FILE",
    help=twin(
        "Evaluate a configuration observed in the world beside the optimum, with the distance between them: a "
        "CSV or YAML file of pools, a seta solve --out folder, or a built-in name (tax-cooperations, kempen-2007, "
        "...; docs/observed.md).",
        "Beoordeel een in de praktijk waargenomen configuratie naast het optimum, met de afstand ertussen: een "
        "CSV- of YAML-bestand met pools, een map van seta solve --out, of een ingebouwde naam (tax-cooperations, "
        "kempen-2007, ...; docs/observed.md).",
    ),
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
    lang: str,
    given: str | None,
) -> None:
    loaded = load_scenario(scenario, with_participation(overrides, participation))
    observed = None
    if given is not None:  # read before solving: a bad file is bad input, not a surprise after minutes
        from inputs.configuration import read_observed

        observed = read_observed(given, loaded)
    options = solver_settings(loaded, solver_given)
    if write_lp is not None and options.decompose != "none":
        raise click.UsageError(
            text(
                lang,
                "--write-lp writes one model; add --decompose none to write the whole scenario's",
                "--write-lp schrijft één model; voeg --decompose none toe om dat van het hele scenario te schrijven",
            )
        )
    if out_dir is not None:
        check_folder(out_dir, "--out")
    if write_lp is not None:
        check_file(write_lp, "--write-lp")
    municipalities = sum(not m.partner for m in loaded.municipalities)
    counted = f"{plural(municipalities, 'municipality', lang)}, {plural(len(loaded.domains), 'domain', lang)}"
    say(
        text(
            lang,
            f"Solving {loaded.name} ({counted}) with {options.name}...",
            f"{loaded.name} oplossen ({counted}) met {options.name}...",
        )
    )
    from cli.why import explain_conflict, explain_result, explainer

    with (
        cluster(dask_scheduler, dask_workers) as dask,
        cluster_or(dask, lambda: explainer(replace(loaded, solver=options), explain, jobs, STOP)) as explaining,
        cluster_or(dask, lambda: local_executor(jobs, STOP)) as solving,
    ):
        try:
            result = optimize(loaded, options, progress=say, stop=STOP, write_lp=write_lp, executor=solving)
        except OSError as error:
            if write_lp is None or error.filename != str(write_lp):
                raise
            raise cannot_write(f"--write-lp {write_lp}", error) from None
        if result.wrote_lp:
            say(text(lang, f"Model written to {write_lp}", f"Model geschreven naar {write_lp}"))
        elif write_lp is not None:
            say(
                text(
                    lang,
                    f"No model written to {write_lp}: the run ended before the model was built.",
                    f"Geen model geschreven naar {write_lp}: de run eindigde voordat het model gebouwd was.",
                )
            )
        explanation = None
        conflict = None
        guarantee = None
        answered_early = output_format == "table" and result.chosen is not None
        if answered_early:  # the answer as soon as it is there; the explanation follows it
            from cli.render import render_answer

            with reader_may_leave():
                render_answer(result, stdout_console(), lang)
        if not STOP.is_set() and cluster_lost(dask) is None:
            explanation = explain_result(result, explain, tie_percent, explaining, say)
            conflict = explain_conflict(result, explain, STOP, say)
        if loaded.politics.participation is not None and result.chosen is not None and not STOP.is_set():
            say(
                text(
                    lang,
                    "Solving again without the participation guarantee, for its price...",
                    "Opnieuw oplossen zonder de deelnamegarantie, voor haar prijs...",
                )
            )
            free = optimize(without_guarantee(loaded), options, stop=STOP, executor=solving)
            guarantee = price(result, free)
    comparison = None
    if observed is not None and result.configuration is not None and result.chosen is not None:
        from optimizer.observed import compare_observed

        comparison = compare_observed(result.instance, result.configuration, result.chosen, observed)
    elif observed is not None:
        say(
            text(
                lang,
                f"{observed.name} is not set beside an answer: there is none to compare it with.",
                f"{observed.name} staat niet naast een antwoord: er is er geen om het mee te vergelijken.",
            )
        )
    if out_dir is not None and result.report.has_solution:
        written = write_outputs(result, out_dir, explanation, comparison, lang)
        say(wrote(written, out_dir))
    with reader_may_leave():
        if output_format == "json":
            document = json_document(result, explanation, lang)
            if comparison is not None:
                document["observed"] = observed_document(comparison)
            if guarantee is not None:
                document["participation"] = asdict(guarantee) | {"price_weighted": guarantee.weighted}
            if conflict is not None:
                document["conflict"] = conflict_document(conflict)
            click.echo(json_text(document))
        elif output_format == "csv":
            click.echo(pools_with_runner_ups(result, explanation, lang).to_csv(index=False), nl=False)
        else:
            from cli.render import render, render_closing, render_observed

            console = stdout_console()
            if answered_early:
                render_closing(result, console, explanation, lang)
            else:
                render(result, console, explanation, lang)
            if comparison is not None:
                render_observed(comparison, result, console, lang)
    if guarantee is not None:
        say(guarantee.describe(lang))
    if conflict is not None:
        from cli.why import conflict_lines

        for line in conflict_lines(conflict, lang):
            say(line)
    if out_dir is not None and not result.report.has_solution:
        say(
            text(
                lang,
                f"Nothing written to {out_dir}: there is no solution to write.",
                f"Niets geschreven naar {out_dir}: er is geen oplossing om te schrijven.",
            )
        )
    end_run(result, dask)


def json_document(result: Result, explanation: Explanation | None = None, lang: str | None = None) -> dict[str, Any]:
    """The result as JSON data; a figure that does not exist (NaN: nothing after a run without a
    solution) is null, since JSON has no NaN. Keys and codes stay as they are (scripts read them);
    the words a person reads are in `lang`, by default the run's language."""
    lang = language() if lang is None else lang
    municipalities = result.municipalities().astype(object)
    from visuals.business_case import council_lines
    from visuals.why import valuation_lines

    document: dict[str, Any] = {
        # what a council reads first, in the words (and the language) of the terminal, report and workbook
        "council": council_lines(result, lang),
        "summary": result.summary(lang).to_dict(),
        "pools": pools_with_runner_ups(result, explanation, lang).to_dict("records"),
        "municipalities": municipalities.where(municipalities.notna(), None).to_dict("records"),
        "valuations": valuation_lines(result, lang),
    }
    if explanation is not None:
        document["explanation"] = explanation_document(explanation)
        from visuals.why import cash_headline

        document["explanation"]["cash_headline"] = cash_headline(result, explanation, lang)
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


def pools_with_runner_ups(result: Result, explanation: Explanation | None, lang: str = "en") -> pd.DataFrame:
    """The pools table, with each pool's best alternative host and structure and their margins
    (weighted, EUR a year) when the answer was explained; the alternatives in words in `lang`."""
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
            instead = "" if match is None else groups_text(match.instead, namer, domains, lang)
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
    lang: str = "en",
) -> list[str]:
    """The files, complete or not at all; their names. The workbook (seta.xlsx) is in `lang`; the CSV
    and JSON files keep their keys and codes, which scripts read."""
    written = ["pools.csv", "municipalities.csv", "summary.json"]
    with staged(out_dir, "--out") as stage:
        if comparison is not None:
            stage.path("observed.json").write_text(json_text(observed_document(comparison)) + "\n", encoding="utf-8")
            written.append("observed.json")
        pools = pools_with_runner_ups(result, explanation, lang)
        stage.table("pools", pools)
        stage.table("municipalities", result.municipalities())
        from visuals.business_case import council_lines

        summary = {"council": council_lines(result, lang), **result.summary(lang).to_dict()}
        stage.path("summary.json").write_text(json_text(summary) + "\n", encoding="utf-8")
        if explanation is not None:
            from visuals.why import flip_records

            stage.path("explanation.json").write_text(
                json_text(explanation_document(explanation)) + "\n",
                encoding="utf-8",
            )
            flips = flip_records(explanation, result.name_of, len(result.instance.domains))
            stage.table("flips", flips)
            written += ["explanation.json", "flips.csv"]
        from visuals.business_case import solve_sheets

        stage.sheets = solve_sheets(result, pools, explanation, lang)
    return [*written, "seta.xlsx"]
