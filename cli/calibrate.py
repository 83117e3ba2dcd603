"""`seta calibrate`: its tables, its JSON document, its terminal view and its files (English and Dutch)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

from cli.output import staged
from optimizer.agreement import Agreement
from optimizer.calibrate import Calibration, pooled
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
