"""What `seta pathway` shows a council: a headline whose words match the signs of its figures, the
pathway's present-value convention said beside its figures, numbers stored as numbers, and exit
payments apart from the set-up cost."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from clirun import invoke

from visuals.tables import euros

ONE_CIVIL_SERVICE = (
    "name: one civil service\npools:\n  - {name: one, domains: [hr, taxes, procurement, enforcement, ict], "
    "structure: one_civil_service, host: Bladel, members: [Eersel, Bladel, Oirschot, Reusel-De Mierden, Bergeijk]}\n"
)


def _document(*args: str | Path) -> dict:
    result = invoke("pathway", *args, "--no-explain", "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def _pathway_row(document: dict) -> dict:
    return next(row for row in document["comparison"] if row["option"] == "pathway")


def test_a_one_civil_service_that_saves_cash_but_costs_weighted_says_each_in_its_own_words(tmp_path: Path) -> None:
    end = tmp_path / "one.yaml"
    end.write_text(ONE_CIVIL_SERVICE, encoding="utf-8")
    document = _document("kempen", "--to", end, "--set", "weights.autonomy=6")
    row = _pathway_row(document)
    cash, weighted = row["npv_change_eur"], row["npv_weighted_change_eur"]
    assert cash < 0 < weighted, "autonomy weighed six times: cash and the weighted objective disagree"
    warning = (
        f"Warning: weighted, in present value at 2.25 %, moving to {end} does not pay within 8 years: it saves "
        f"{euros(-cash)} in cash (present value) but costs {euros(weighted)} weighted more than staying as we are. "
        "The advice is then to stay as we are, or to judge it weighted over "
    )
    assert [line for line in document["headline"] if line.startswith(warning)], document["headline"]
    assert not any("costs -EUR" in line for line in document["headline"]), "a cost is never negative in words"
    even = row["break_even_year"]
    assert (
        f"Break-even in cash, undiscounted: from year {even} on, the cumulative change in cost is a saving."
        in (document["headline"])
    )


def test_a_plan_that_changes_nothing_is_not_called_the_big_bang() -> None:
    for lang, nothing in (("en", "The plan changes nothing"), ("nl", "Het plan verandert niets")):
        headline = _document("kempen", "--to", "status_quo", "--lang", lang)["headline"]
        assert headline[0].startswith(nothing), headline
        assert not any("big bang" in line for line in headline), headline


def test_the_present_value_convention_is_said_beside_the_figures() -> None:
    result = invoke("pathway", "kempen", "--from", "kempen-2007", "--no-explain")
    assert result.exit_code == 0, result.output
    shown = " ".join(result.stdout.split())
    convention = "year 1 undiscounted; expected with the risk of failure; first year at the ramp-up share"
    assert shown.count(convention) == 2, "in the headline and in the comparison's caption"


def test_kempen_from_2007_shows_its_exit_payments_apart_from_the_set_up_cost() -> None:
    for lang in ("en", "nl"):
        years = _document("kempen", "--from", "kempen-2007", "--lang", lang)["years"]
        first = years[0]
        assert first["exit_eur"] > 0, "the five matrix pools of 2007 end in year 1 and pay their exits"
        assert first["one_off_eur"] > first["exit_eur"]
        for year in years:
            parts = year["one_off_eur"] + year["exit_eur"] + year["running_change_eur"]
            assert abs(parts - year["cost_change_eur"]) < 1e-6, year
    nobody = _document("schagen", "--to", "one_civil_service")["years"]
    assert all(year["exit_eur"] == 0 for year in nobody), "from nobody pooling nothing ends"


def test_the_workbook_and_the_report_hold_numbers_as_numbers(tmp_path: Path) -> None:
    from openpyxl import load_workbook

    result = invoke("pathway", "kempen", "--from", "kempen-2007", "--out", tmp_path)
    assert result.exit_code == 0, result.output
    book = load_workbook(tmp_path / "seta.xlsx")
    headers = {name: _table(book[name]) for name in ("pathway", "why this order", "what flips it")}
    years, header = headers["pathway"]
    assert "Exit payments [EUR]" in header
    assert isinstance(years[0][header.index("Exit payments [EUR]")].value, float)
    delays, header = headers["why this order"]
    for row in delays:
        later = row[header.index("A year later, it comes in year")]
        cost = row[header.index("Present value of the change in weighted cost [EUR] (positive: the delay costs)")]
        assert later.value is None or isinstance(later.value, int)
        assert cost.value is None or (isinstance(cost.value, float) and cost.number_format == "#,##0")
    flips, header = headers["what flips it"]
    rate = next(row for row in flips if row[0].value == "discount rate")
    assert rate[header.index("Value used")].value == 0.0225
    assert rate[header.index("Value used")].number_format == "0.00%"
    page = (tmp_path / "pathway.html").read_text(encoding="utf-8")
    assert "<td>0.00</td>" not in page and "<td>EUR 0</td>" in page, "every amount in one format"
    assert "Change in cost [EUR], that year (bars) and cumulative (line)" in page


def _table(sheet: Any) -> tuple[list[Any], list[str]]:
    """The rows below a sheet's header row (the first row whose first cell reads Year or Figure)."""
    rows = list(sheet.iter_rows())
    start = next(i for i, row in enumerate(rows) if row[0].value in ("Year", "Figure"))
    return rows[start + 1 :], [str(cell.value) for cell in rows[start]]
