"""`seta calibrate`: the command, its tables, its JSON document, its terminal view and its files (English and Dutch)."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import click
import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cli.common import (
    STOP,
    say,
    show_study,
    user_errors,
    wrote,
)
from cli.help import Command, twin
from cli.load import load_scenario
from cli.options import (
    FiniteFloatRange,
    format_option,
    jobs_option,
    lang_option,
    out_folder_option,
    set_option,
    solver_options_except,
    solver_settings,
)
from cli.output import check_folder, staged
from inputs import InputError
from inputs.labels import says
from inputs.problems import Problem
from optimizer.agreement import Agreement
from optimizer.calibrate import Calibration, pooled
from optimizer.executor import local_executor
from visuals.observed import percent
from visuals.tables import number


def _t(lang: str, english: str, dutch: str) -> str:
    return dutch if lang == "nl" else english


def figures_table(calibration: Calibration) -> pd.DataFrame:
    rows = []
    for figure in calibration.figures:
        low, high = calibration.fit.ranges.get(figure.path, (float("nan"), float("nan")))
        rows.append(
            {
                "figure": figure.path,
                "scenario_value": figure.value,
                "fitted": calibration.fit.values[figure.path],
                "within_low": low,
                "within_high": high,
                "plausible_low": figure.low,
                "plausible_high": figure.high,
                "fitted_by": "cutting planes (linear)" if figure.linear else "grid, then bisection toward an aggregate",
            }
        )
    return pd.DataFrame(rows)


def _measures(distance: Agreement) -> dict[str, Any]:
    return {
        "recall": distance.recall,
        "precision": distance.precision,
        "adjusted_rand": distance.adjusted_rand,
        "same_structure": distance.same_structure,
    }


def cases_table(calibration: Calibration) -> pd.DataFrame:
    rows = [
        {"pool": case.name, "gap_share_of_cash": case.gap, "proven": case.proven, **_measures(case.distance)}
        for case in calibration.fit.cases
    ]
    return pd.DataFrame(rows)


def folds_table(calibration: Calibration) -> pd.DataFrame:
    rows = [
        {"held_out": fold.held_out, "gap_share_of_cash": fold.gap, **_measures(fold.distance), **fold.values}
        for fold in calibration.folds
    ]
    return pd.DataFrame(rows)


def document(calibration: Calibration) -> dict[str, Any]:
    return {
        "within": calibration.within,
        "rounds": calibration.fit.rounds,
        "interrupted": calibration.interrupted,
        "proven": calibration.fit.proven,
        "figures": figures_table(calibration).to_dict("records"),
        "cases": cases_table(calibration).to_dict("records"),
        "leave_one_out": folds_table(calibration).to_dict("records"),
        "leave_one_out_pooled": _mean_measures(calibration),
        "aggregate": None
        if calibration.aggregate is None
        else {
            "domain": calibration.aggregate.domain,
            "low": calibration.aggregate.low,
            "high": calibration.aggregate.high,
            "share_at_fit": calibration.fit.aggregate_share,
            "holds": calibration.fit.aggregate_holds,
        },
    }


def _mean_measures(calibration: Calibration) -> dict[str, float | None]:
    """The held-out cases' distance taken together (`optimizer.calibrate.pooled`)."""
    distance = pooled(calibration.folds)
    return {} if distance is None else _measures(distance)


def render(calibration: Calibration, console: Console, lang: str = "en") -> None:
    fit = calibration.fit
    within = number(100 * calibration.within, 1, lang)
    figures = Table(title=_t(lang, "Fitted figures", "Gefitte kengetallen"), title_justify="left")
    for column in (
        _t(lang, "Figure", "Kengetal"),
        _t(lang, "Scenario", "Scenario"),
        _t(lang, "Fitted", "Gefit"),
        _t(lang, f"Within {within} % of optimal (or of its gap)", f"Binnen {within} % van optimaal (of van de gap)"),
        _t(lang, "Plausible range", "Plausibel bereik"),
    ):
        figures.add_column(column)
    for row in figures_table(calibration).to_dict("records"):
        figures.add_row(
            Text(row["figure"]),
            _value(row["scenario_value"], lang),
            _value(row["fitted"], lang),
            "-"
            if row["within_low"] != row["within_low"]
            else f"{_value(row['within_low'], lang)} - {_value(row['within_high'], lang)}",
            f"{_value(row['plausible_low'], lang)} - {_value(row['plausible_high'], lang)}",
        )
    console.print(figures)
    rows = [(c.name, c.gap, c.distance, c.proven) for c in fit.cases]
    console.print(
        _measures_table(
            _t(lang, "Each observed pool at the fitted values", "Elke waargenomen pool bij de gefitte waarden"),
            rows,
            lang,
        )
    )
    if not fit.proven:
        console.print(Text(_t(lang, "* a forward solve stopped at its gap limit", "* een oplossing stopte bij de gap")))
    if calibration.folds:
        rows = [(f.held_out, f.gap, f.distance, True) for f in calibration.folds]
        console.print(
            _measures_table(_t(lang, "Leaving one cooperation out", "Eén samenwerking weggelaten"), rows, lang)
        )
        mean = _mean_measures(calibration)
        console.print(
            Text(
                _t(lang, "Every held-out office together: recall ", "Alle weggelaten samenwerkingen samen: recall ")
                + percent(mean["recall"], lang)
                + _t(lang, ", precision ", ", precisie ")
                + percent(mean["precision"], lang)
                + ", ARI "
                + ("-" if mean["adjusted_rand"] is None else number(mean["adjusted_rand"], 2, lang))
                + "."
            )
        )
    aggregate = calibration.aggregate
    if aggregate is not None and fit.aggregate_share is not None:
        span = f"{number(100 * aggregate.low, 0, lang)}-{number(100 * aggregate.high, 0, lang)} %"
        share = percent(fit.aggregate_share, lang)
        held = fit.aggregate_holds
        console.print(
            Text(
                _t(
                    lang,
                    f"Share of all municipalities pooling {aggregate.domain} at the fit: {share} (target {span}; "
                    + ("kept in range)." if held else "outside it: no value in the ranges keeps it there)."),
                    f"Aandeel van alle gemeenten dat {aggregate.domain} deelt bij de fit: {share} (doel {span}; "
                    + ("binnen bereik)." if held else "erbuiten: geen waarde in de bereiken houdt het daar)."),
                )
            )
        )
    console.print(
        Text(
            _t(
                lang,
                f"{fit.rounds} rounds of cutting planes. The ranges hold against the configurations found; an "
                "observed pool is compared with what seta finds for the same members (docs/model.md).",
                f"{fit.rounds} rondes snijvlakken. De bereiken gelden tegen de gevonden configuraties; een "
                "waargenomen pool wordt vergeleken met wat seta voor dezelfde deelnemers vindt (docs/model.md).",
            ),
            style="dim",
        )
    )


def _measures_table(title: str, rows: list[tuple[str, float, Agreement, bool]], lang: str) -> Table:
    """One row per pool: how far from optimal its observed configuration is, and the distance."""
    table = Table(title=title, title_justify="left")
    for column in (
        _t(lang, "Pool", "Pool"),
        _t(lang, "From optimal (% of cash)", "Van optimaal (% van kosten)"),
        "Recall",
        _t(lang, "Precision", "Precisie"),
        "ARI",
    ):
        table.add_column(column)
    for name, gap, distance, proven in rows:
        table.add_row(
            Text(name),
            f"{number(100 * gap, 2, lang)} %" + ("" if proven else "*"),
            percent(distance.recall, lang),
            percent(distance.precision, lang),
            number(distance.adjusted_rand, 2, lang),
        )
    return table


def _value(value: float, lang: str) -> str:
    if value != value:  # NaN: no range
        return "-"
    if abs(value) < 1e-9:  # no "-0" for a bound the LP returns a hair below zero
        value = 0.0
    if abs(value) >= 100:
        return number(value, 0, lang)
    return number(value, 4, lang).rstrip("0").rstrip(",.") or "0"


def write_files(calibration: Calibration, out_dir: Path) -> list[str]:

    from cli.output import json_text

    with staged(out_dir, "--out") as stage:
        stage.table("figures", figures_table(calibration))
        stage.table("cases", cases_table(calibration))
        stage.table("leave_one_out", folds_table(calibration))
        stage.path("calibration.json").write_text(json_text(document(calibration)) + "\n", encoding="utf-8")
    return ["figures.csv", "cases.csv", "leave_one_out.csv", "calibration.json", "seta.xlsx"]


#: the figures `seta calibrate` fits unless told otherwise: the joint body's and its domain's own, which
#: set the defaults (docs/model.md, "Calibration on observed cooperations")
CALIBRATED = (
    "structures.joint_body.governance_per_unit",
    "structures.joint_body.governance_per_member",
    "domains.taxes.diseconomy_share",
    "domains.taxes.scale_inhabitants",
)
#: with the default figures: the aggregate of docs/domain.md, about half to two thirds of municipalities
#: cooperate on taxes (the issue's target 40-80 %)
CALIBRATED_SHARE = "taxes=40-80"


def _share_option(text: str | None) -> tuple[str, float, float] | None:
    """`taxes=40-80` -> ('taxes', 0.4, 0.8); bad input with the expected form otherwise."""
    if text is None or text == "none":
        return None
    domain, _, span = text.partition("=")
    low, _, high = span.partition("-")
    try:
        bounds = (float(low) / 100, float(high) / 100)
    except ValueError:
        bounds = (math.nan, math.nan)
    if not domain or not all(0 <= b <= 1 for b in bounds) or bounds[0] > bounds[1]:
        raise InputError(
            [
                Problem(
                    f"--share {text}",
                    says(
                        "expected DOMAIN=LOW-HIGH in percent, e.g. taxes=40-80 (or none)",
                        "verwacht TAAKVELD=LAAG-HOOG in procenten, bijv. taxes=40-80 (of none)",
                    ),
                )
            ]
        )
    return domain, bounds[0], bounds[1]


@click.command(
    cls=Command,
    help=twin(
        """Learn valuations from observed choices (inverse optimisation): the values of the figures to fit
    under which each observed pool of GIVEN is optimal, or as close as the plausible ranges allow, with
    the range that keeps them within a share of optimal and the fit leaving one cooperation out.""",
        """Leer waarderingen uit waargenomen keuzes (inverse optimalisatie): de waarden van de te fitten
    kengetallen waarbij elke waargenomen pool van GIVEN optimaal is, of zo dicht erbij als de plausibele
    bereiken toelaten, met het bereik dat ze binnen een aandeel van optimaal houdt en de fit met telkens
    één samenwerking weggelaten.""",
    ),
)
@click.argument("scenario", default="nl-2024-taxes")
@set_option
@click.option(
    "--given",
    default="tax-cooperations",
    show_default=True,
    metavar="FILE",
    help=twin(
        "The observed configuration to learn from: a CSV or YAML file of pools, or a built-in name (docs/observed.md).",
        "De waargenomen configuratie om van te leren: een CSV- of YAML-bestand met pools, of een ingebouwde "
        "naam (docs/observed.md).",
    ),
)
@click.option(
    "--fit",
    "paths",
    multiple=True,
    metavar="FIGURE",
    help=twin(
        "A figure to fit, as its key path (weights.autonomy, structures.joint_body.governance_per_member, "
        "domains.taxes.scale_inhabitants, ...); repeat for several. Default: " + ", ".join(CALIBRATED) + ", with "
        f"--share {CALIBRATED_SHARE}: the figures the defaults take from this command.",
        "Een kengetal om te fitten, als sleutelpad (weights.autonomy, structures.joint_body.governance_per_member, "
        "domains.taxes.scale_inhabitants, ...); herhaal voor meer. Standaard: " + ", ".join(CALIBRATED) + ", met "
        f"--share {CALIBRATED_SHARE}: de kengetallen waarvan de standaardwaarden uit deze opdracht komen.",
    ),
)
@click.option(
    "--share",
    metavar="DOMAIN=LOW-HIGH",
    help=twin(
        "Keep the share of all the scenario's municipalities that pool DOMAIN in this range (percent), where "
        "a figure fitted by grid allows it (each point solves the whole scenario); else it is reported. Default: "
        f"none, or {CALIBRATED_SHARE} with the default figures.",
        "Houd het aandeel van alle gemeenten van het scenario dat DOMAIN deelt binnen dit bereik (procent), "
        "voor zover een kengetal dat over een rooster wordt gefit dat toelaat (elk punt berekent het hele "
        f"scenario); anders wordt het alleen gemeld. Standaard: geen, of {CALIBRATED_SHARE} met de "
        "standaardkengetallen.",
    ),
)
@click.option(
    "--within",
    type=FiniteFloatRange(0, 100),
    default=1.0,
    show_default=True,
    metavar="PERCENT",
    help=twin(
        "The ranges reported: the values that keep every observed pool within this share of its annual cash "
        "cost from optimal.",
        "De gemelde bereiken: de waarden die elke waargenomen pool binnen dit aandeel van zijn jaarlijkse "
        "kosten van optimaal houden.",
    ),
)
@click.option(
    "--loo/--no-loo",
    default=True,
    show_default=True,
    help=twin(
        "Also fit leaving one cooperation out at a time, and measure the fit on it (takes as many fits again).",
        "Fit ook met telkens één samenwerking weggelaten, en meet de fit op die samenwerking (kost nog eens "
        "evenveel fits).",
    ),
)
@format_option
@out_folder_option(
    twin(
        "Write figures.csv, cases.csv, leave_one_out.csv, calibration.json and seta.xlsx to this folder.",
        "Schrijf figures.csv, cases.csv, leave_one_out.csv, calibration.json en seta.xlsx naar deze map.",
    )
)
@solver_options_except("decompose")
@jobs_option
@lang_option
@user_errors
def calibrate(
    scenario: str,
    overrides: tuple[str, ...],
    given: str,
    paths: tuple[str, ...],
    share: str | None,
    within: float,
    loo: bool,
    output_format: str,
    out_dir: Path | None,
    solver_given: dict[str, Any],
    jobs: int | None,
    lang: str,
) -> None:
    from inputs.configuration import read_observed
    from optimizer.calibrate import calibrate as run

    loaded = load_scenario(scenario, list(overrides))
    observed = read_observed(given, loaded)
    aggregate = _share_option(share if share is not None or paths else CALIBRATED_SHARE)
    options = replace(solver_settings(loaded, solver_given), decompose="none")
    if out_dir is not None:
        check_folder(out_dir, "--out")
    with local_executor(jobs, STOP) as executor:
        result = run(
            loaded,
            observed,
            list(paths or CALIBRATED),
            options,
            within=within / 100,
            folds=loo,
            executor=executor,
            progress=say,
            stop=STOP,
            share=aggregate,
        )
    if result.interrupted:
        say(
            says(
                f"Interrupted: the fit after {result.fit.rounds} rounds is kept; it is not proven the best.",
                f"Onderbroken: de fit na {result.fit.rounds} rondes is bewaard; die is niet bewezen de beste.",
            )
        )
    if out_dir is not None:
        written = write_files(result, out_dir)
        say(wrote(written, out_dir))
    show_study(
        output_format,
        lambda: document(result),
        lambda: figures_table(result),
        lambda console: render(result, console, lang),
    )
