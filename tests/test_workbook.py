"""`seta solve --out`'s workbook as an Excel user keeps it (issue 23), read back with openpyxl from
real solves of Kempen: a summary first that names the pools by municipality, names instead of codes,
number formats by unit, bold frozen headers with filters, numeric flip points, and a cash flow whose
sums and net present value hold at the scenario's discount rate."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from clirun import invoke
from openpyxl.worksheet.worksheet import Worksheet

from inputs import load_scenario
from optimizer import optimize

CODE = re.compile(r"GM\d{4}")
KEMPEN = ("Eersel", "Bladel", "Oirschot", "Reusel-De Mierden", "Bergeijk")


def solve_into(folder: Path, *args: str) -> Path:
    result = invoke("solve", "kempen", "--out", folder, *args)
    assert result.exit_code == 0, result.output
    return folder


@pytest.fixture(scope="module")
def explained(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Kempen solved and explained: every sheet the workbook has."""
    return solve_into(tmp_path_factory.mktemp("explained"), "--explain")


@pytest.fixture(scope="module")
def book(explained: Path) -> Any:
    return openpyxl.load_workbook(explained / "seta.xlsx")


def header_row(sheet: Worksheet) -> int:
    """The row of a table's header: the one the panes are frozen under."""
    frozen = sheet.freeze_panes
    assert frozen is not None and frozen.startswith("A"), f"{sheet.title}: no frozen header"
    return int(frozen[1:]) - 1


def table(sheet: Worksheet) -> tuple[list[str], list[list[Any]]]:
    """The header and the rows of a sheet's table."""
    top = header_row(sheet)
    rows = [list(r) for r in sheet.iter_rows(min_row=top, values_only=True)]
    header = [str(h) for h in rows[0]]
    return header, [r for r in rows[1:] if any(v is not None for v in r)]


def column(sheet: Worksheet, title: str) -> list[Any]:
    header, rows = table(sheet)
    where = header.index(title)
    return [r[where] for r in rows]


def formats(sheet: Worksheet, title: str) -> set[str]:
    """The number formats of a column's numeric cells."""
    top = header_row(sheet)
    header = [c.value for c in sheet[top]]
    letter = sheet.cell(row=top, column=header.index(title) + 1).column_letter
    return {c.number_format for c in sheet[letter][top:] if isinstance(c.value, int | float)}


def test_summary_is_first_and_names_the_pool_by_municipalities(book: Any) -> None:
    assert book.sheetnames == ["Summary", "Cash flow", "Pools", "Municipalities", "Flips"]
    summary = book["Summary"]
    assert summary["A1"].value == "Answer"
    words = summary["B1"].value
    # Kempen's answer: one civil service at Bladel for all five domains, every municipality in it
    assert words.startswith("Pool all 5 domains: one civil service hosted by Bladel, with ")
    assert all(name in words for name in KEMPEN)
    assert words.endswith("every municipality takes part.")
    assert not CODE.search(words)
    figures = column(summary, "Figure")
    assert figures[:1] == ["Annual cash cost, if every pool works"]
    assert {"Weighted objective", "One-off transition cost", "Payback of the one-off cost", "Quality"} <= set(figures)


def test_summary_figures_are_those_of_summary_json(book: Any, explained: Path) -> None:
    data = json.loads((explained / "summary.json").read_text(encoding="utf-8"))
    header, rows = table(book["Summary"])
    by_figure = {r[0]: dict(zip(header, r, strict=True)) for r in rows}
    cash = by_figure["Annual cash cost, if every pool works"]
    assert cash["Status quo"] == pytest.approx(data["before"]["annual_cost_eur"])
    assert cash["Answer"] == pytest.approx(data["after"]["annual_cost_eur"])
    assert cash["Change"] == pytest.approx(data["change"]["annual_cost_eur"])
    assert by_figure["Weighted objective"]["Answer"] == pytest.approx(data["after"]["objective"])
    assert by_figure["Payback of the one-off cost"]["Answer"] == pytest.approx(data["payback_years"])
    quality = by_figure["Quality"]
    assert quality["Answer"] == pytest.approx(data["after"]["quality_index"])
    summary = book["Summary"]
    assert formats(summary, "Answer") >= {"#,##0", "0.0"}


def test_no_municipality_code_outside_a_code_column(book: Any) -> None:
    for sheet in book:
        top = header_row(sheet)
        header = [str(c.value) for c in sheet[top]]
        for row in sheet.iter_rows():
            for cell in row:
                if not isinstance(cell.value, str) or not CODE.search(cell.value):
                    continue
                assert cell.row > top, f"{sheet.title}!{cell.coordinate}: a code above the table: {cell.value}"
                assert "code" in header[cell.column - 1].lower(), f"{sheet.title}!{cell.coordinate}: {cell.value}"


def test_codes_stay_beside_the_names_for_scripts(book: Any) -> None:
    header, _ = table(book["Pools"])
    assert header.index("Host code") == header.index("Host") + 1
    assert header.index("Member codes") == header.index("Members") + 1
    municipalities = book["Municipalities"]
    assert column(municipalities, "Municipality") == list(KEMPEN)
    assert all(CODE.fullmatch(c) for c in column(municipalities, "Code"))
    assert column(book["Pools"], "Domain")[:2] == ["enforcement", "HR (P&O)"]  # domains by name, not key


def test_number_formats_by_unit(book: Any) -> None:
    pools, municipalities = book["Pools"], book["Municipalities"]
    assert formats(pools, "Annual cost [EUR/year]") == {"#,##0"}
    assert formats(pools, "One-off transition [EUR one-off]") == {"#,##0"}
    assert formats(municipalities, "Quality, answer [0-100]") == {"0.0"}
    assert all(50 < q <= 100 for q in column(municipalities, "Quality, answer [0-100]"))
    assert formats(book["Cash flow"], "Cumulative [EUR]") == {"#,##0"}
    assert book["Cash flow"]["B2"].number_format == "0.00%"  # the discount rate


def test_every_sheet_has_a_bold_frozen_filtered_header_and_fitted_columns(book: Any) -> None:
    for sheet in book:
        top = header_row(sheet)
        header = [c for c in sheet[top] if c.value is not None]
        assert header and all(c.font.bold for c in header), sheet.title
        assert sheet.auto_filter.ref is not None and sheet.auto_filter.ref.startswith(f"A{top}:"), sheet.title
        widths = {sheet.column_dimensions[c.column_letter].width for c in header}
        assert len(widths) > 1, f"{sheet.title}: columns not fitted to their content"
    for name in ("Pools", "Municipalities", "Flips"):
        assert book[name].freeze_panes == "A2", name


def test_flip_points_are_numbers_with_a_note(book: Any, explained: Path) -> None:
    flips = book["Flips"]
    at, used, notes = column(flips, "Flips at"), column(flips, "Value used"), column(flips, "Note")
    assert at, "Kempen's explanation has flip points"
    assert all(isinstance(v, int | float) and not isinstance(v, bool) for v in [*at, *used])
    assert set(notes) <= {None, "or sooner (not proven)"}
    # the CSV as scripts read it: keys and numbers, in no reader's language
    import pandas as pd

    flips_csv = pd.read_csv(explained / "flips.csv")
    assert list(flips_csv.columns) == ["figure", "direction", "value_used", "flips_at", "proven", "to"]
    assert len(flips_csv) == len(at) and flips_csv["flips_at"].dtype.kind == "f"
    assert set(flips_csv["direction"]) <= {"down", "up"} and flips_csv["figure"].str.contains(".", regex=False).all()


def cash_flow(folder: Path) -> tuple[dict[str, Any], list[str], list[list[Any]]]:
    sheet = openpyxl.load_workbook(folder / "seta.xlsx")["Cash flow"]
    lead = {sheet.cell(row=r, column=1).value: sheet.cell(row=r, column=2).value for r in range(1, header_row(sheet))}
    header, rows = table(sheet)
    return lead, header, rows


def assert_cash_flow_holds(folder: Path, rate: float) -> None:
    data = json.loads((folder / "summary.json").read_text(encoding="utf-8"))
    lead, header, rows = cash_flow(folder)
    assert lead["Discount rate (real, a year)"] == pytest.approx(rate)
    years = [r[0] for r in rows]
    horizon = 8  # Kempen's write-off horizon (economics.horizon_years)
    assert years == list(range(horizon + 1))
    one_off = data["change"]["transition_one_off_eur"]
    yearly = -data["change"]["annual_cost_eur"] + one_off / horizon  # the saving that pays back the one-off
    assert one_off / yearly == pytest.approx(data["payback_years"])
    # changes in cost, the sign of every output: the one-off costs, the running cost falls
    changes = [r[header.index("Change in cost [EUR]")] for r in rows]
    assert changes[0] == pytest.approx(one_off)
    assert changes[1:] == pytest.approx([-yearly] * horizon)
    cumulative = [r[header.index("Cumulative [EUR]")] for r in rows]
    assert cumulative[-1] == pytest.approx(one_off - horizon * yearly)
    present = sum(change / (1 + rate) ** year for year, change in enumerate(changes))
    assert lead["Present value of the change in cost [EUR] (negative: the region gains)"] == pytest.approx(present)
    assert rows[-1][header.index("Cumulative present value [EUR]")] == pytest.approx(present)
    summary = openpyxl.load_workbook(folder / "seta.xlsx")["Summary"]
    figures = {r[0]: r for r in summary.iter_rows(values_only=True)}
    row = figures[f"Present value of the change in cost over {horizon} years at {100 * rate:g} %"]
    assert row[4] == pytest.approx(present)


def test_cash_flow_at_the_dutch_standard_rate(explained: Path) -> None:
    assert_cash_flow_holds(explained, 0.0225)
    lead, _, _ = cash_flow(explained)
    assert lead["Source of the rate"].startswith("Werkgroep discontovoet 2020")


def test_the_discount_rate_is_set_by_the_scenario(tmp_path: Path) -> None:
    folder = solve_into(tmp_path / "five", "--set", "economics.discount_rate=0.05")
    assert_cash_flow_holds(folder, 0.05)
    lead, _, _ = cash_flow(folder)
    assert lead["Source of the rate"] == "the scenario's own figure (economics.discount_rate)"


def test_a_discount_rate_out_of_range_is_bad_input() -> None:
    result = invoke("solve", "kempen", "--set", "economics.discount_rate=0.5")
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    assert (
        "  - kempen.yaml, economics.discount_rate: 0.5 is out of range (expected a number from -0.01 to 0.2)"
        in result.stderr.splitlines()
    )


def test_the_discount_rate_leaves_the_model_and_its_hash_alone() -> None:
    default = load_scenario("kempen")
    other = load_scenario("kempen", ["economics.discount_rate=0.05"])
    assert other.economics.discount_rate == 0.05
    assert other.content_hash() == default.content_hash()


def test_the_dutch_workbook(tmp_path: Path) -> None:
    from cli.solve import write_outputs

    write_outputs(optimize(load_scenario("kempen")), tmp_path, lang="nl")
    book = openpyxl.load_workbook(tmp_path / "seta.xlsx")
    assert book.sheetnames == ["Samenvatting", "Kasstroom", "Pools", "Gemeenten"]
    summary = book["Samenvatting"]
    assert summary["A1"].value == "Advies"
    assert summary["B1"].value.startswith("Bundel alle 5 taakvelden: één ambtelijke organisatie met Bladel als ")
    assert summary["B1"].value.endswith("alle gemeenten doen mee.")
    assert table(summary)[0] == ["Kengetal", "Eenheid", "Huidige situatie", "Advies", "Verandering"]
    assert table(book["Gemeenten"])[0][:2] == ["Gemeente", "Code"]
    assert "Jaarlijkse kosten [EUR/jaar]" in table(book["Pools"])[0]
    assert "Verandering in kosten [EUR]" in table(book["Kasstroom"])[0]
    assert column(book["Pools"], "Vorm")[0] == "één ambtelijke organisatie"


def test_the_headline_says_who_stays_out() -> None:
    from visuals.business_case import headline

    result = optimize(load_scenario("kempen", ["politics.exclude=[Bergeijk]"]))
    assert headline(result).endswith("Reusel-De Mierden; Bergeijk stays out.")
    assert headline(result, "nl").endswith("Reusel-De Mierden; Bergeijk doet niet mee.")


def test_one_arrangement_for_several_domains_is_one_sentence() -> None:
    from visuals.business_case import headline

    # Helden's answer: a centre municipality at Helden for three domains, the same two neighbours each
    assert headline(optimize(load_scenario("helden"))) == (
        "Pool enforcement, social support (Wmo), taxes: centre municipality hosted by Helden, with Meijel and "
        "Kessel; every municipality takes part."
    )


def test_a_status_quo_answer_has_a_workbook_of_nothing_to_pay(tmp_path: Path) -> None:
    from cli.solve import write_outputs

    settings = ["weights.autonomy=1000", "weights.quality=0", "weights.vulnerability=0"]
    write_outputs(optimize(load_scenario("kempen", settings)), tmp_path)
    book = openpyxl.load_workbook(tmp_path / "seta.xlsx")
    assert book["Summary"]["B1"].value == "Every municipality keeps every service in house: no pool pays here."
    header, rows = table(book["Summary"])
    payback = next(r for r in rows if r[0] == "Payback of the one-off cost")
    assert payback[header.index("Answer")] is None  # nothing to pay back: an empty cell, never 'nan'
    lead, header, flows = cash_flow(tmp_path)
    assert lead["Present value of the change in cost [EUR] (negative: the region gains)"] == 0
    assert {r[header.index("Change in cost [EUR]")] for r in flows} == {0}
    assert table(book["Pools"])[1] == []


def test_other_workbooks_name_the_municipalities_their_csv_codes() -> None:
    import pandas as pd

    from visuals.workbook import named_frame

    # as robust's decisions.csv holds them: a placement as structure@host, the code in its own column
    frame = pd.DataFrame({"code": ["GM0770"], "nominal": ["one_civil_service@GM1728"], "draws": [3]})
    names = {"GM0770": "Eersel", "GM1728": "Bladel"}
    assert named_frame(frame, names).to_dict("records") == [
        {"code": "GM0770", "nominal": "one civil service at Bladel", "draws": 3}
    ]
    assert named_frame(frame, names, "nl")["nominal"][0] == "één ambtelijke organisatie in Bladel"


def test_a_dutch_workbook_of_one_sheet_per_table(tmp_path: Path) -> None:
    import pandas as pd

    from cli.output import staged

    options = pd.DataFrame({"option": ["Kempen"], "annual_cost_eur": [7.9e6], "quality_index": [98.0]})
    with staged(tmp_path, "--out") as stage:
        stage.naming = ({}, "nl")
        stage.table("options", options)
    book = openpyxl.load_workbook(tmp_path / "seta.xlsx")
    assert book.sheetnames == ["opties"]
    assert [c.value for c in book["opties"][1]] == ["Optie", "Jaarlijkse kosten [EUR/jaar]", "Kwaliteit [0-100]"]
    assert book["opties"]["B2"].number_format == "#,##0"
    assert list(pd.read_csv(tmp_path / "options.csv").columns) == list(options.columns)  # the CSV keeps its keys
