"""Workbooks an Excel user keeps: sheets with bold, frozen headers, filters on the tables, columns
fitted to their content and number formats by unit, numbers stored as numbers. Every command's
seta.xlsx is written here (`cli.output.Staging`); `visuals.business_case` gives `seta solve`'s sheets.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from inputs.labels import name

#: Excel number formats by the unit in a header, so a cell shows 1,234,567 or 35.2 %, never
#: 0.3521416623256353; the first unit a header holds decides (Dutch units start as the English do)
FORMATS = (
    ("[EUR", "#,##0"),
    ("[%", "0.0%"),
    ("[0-100", "0.0"),
    ("[0-1]", "0.000"),
    ("[FTE", "#,##0.0"),
    ("[fte", "#,##0.0"),
    ("[km", "#,##0.0"),
    ("[days", "#,##0.0"),
    ("[dagen", "#,##0.0"),
    ("[years", "0.0"),
    ("[jaar", "0.0"),
)
#: a header wider than this wraps onto more lines
HEADER_WIDTH = 16
#: no column grows wider than this many characters: a long text wraps in the cell's own reading
WIDEST = 60


def number_format(header: str) -> str | None:
    """The Excel number format a column's header asks for by its unit (None: Excel's own)."""
    for unit, shown in FORMATS:
        if unit in header:
            return shown
    return None


@dataclass(frozen=True)
class Sheet:
    """One sheet of the workbook: a table under a header row, and above it, where there are any,
    lines that say what the table means (a headline, a rate and its source)."""

    name: str
    frame: pd.DataFrame
    #: (label, value, number format) above the table; a value None leaves its cell empty
    lead: tuple[tuple[str, Any, str | None], ...] = ()
    #: a number format per row (a table of figures in different units); None: by the column's header
    row_formats: tuple[str | None, ...] | None = None
    #: (header, number format) where a column's unit does not say it (a year, a discount factor)
    column_formats: tuple[tuple[str, str], ...] = ()


def write_sheet(book: Any, sheet: Sheet) -> None:
    """`sheet` into the openpyxl workbook `book` as an Excel user keeps one: header bold and frozen,
    a filter on the table, numbers as numbers in formats that show their unit, columns as wide as
    their content."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    page = book.create_sheet(sheet.name[:31])  # Excel allows 31 characters in a sheet's name
    bold = Font(bold=True)
    widths: dict[int, int] = {}

    def put(row: int, col: int, value: Any, shown: str | None = None, fit: bool = True) -> Any:
        if value is not None and not isinstance(value, str) and pd.isna(value):
            value = None  # nothing to show (no solution, no margin): an empty cell, never 'nan'
        elif hasattr(value, "item"):
            value = value.item()  # numpy scalars as the Python numbers Excel stores
        cell = page.cell(row=row, column=col, value=value)
        if shown is not None and isinstance(value, int | float) and not isinstance(value, bool):
            cell.number_format = shown
        if fit:
            widths[col] = max(widths.get(col, 0), min(WIDEST, _shown_width(value, shown)))
        return cell

    row = 1
    for label, value, shown in sheet.lead:
        put(row, 1, label).font = bold
        if value is not None:
            # a headline runs on over the empty cells beside it: the table's columns keep their own widths
            put(row, 2, value, shown, fit=False)
        row += 1
    if sheet.lead:
        row += 1  # a blank line between the words and the table
    header = row
    columns = [str(c) for c in sheet.frame.columns]
    given = dict(sheet.column_formats)
    formats = [given.get(c) or number_format(c) for c in columns]
    for col, title in enumerate(columns, start=1):
        cell = put(header, col, title, fit=False)
        cell.font = bold
        # a long header wraps rather than widen its column past its figures
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        widths[col] = max(widths.get(col, 0), min(HEADER_WIDTH, len(title)))
    for offset, values in enumerate(sheet.frame.itertuples(index=False), start=1):
        by_row = sheet.row_formats[offset - 1] if sheet.row_formats is not None else None
        for col, value in enumerate(values, start=1):
            put(header + offset, col, value, by_row or formats[col - 1])
    last = header + len(sheet.frame)
    page.freeze_panes = page.cell(row=header + 1, column=1)
    if columns:
        page.auto_filter.ref = f"A{header}:{get_column_letter(len(columns))}{max(last, header)}"
    for col, width in widths.items():
        page.column_dimensions[get_column_letter(col)].width = width + 2
        if width >= WIDEST:
            for cells in page.iter_rows(min_row=header + 1, min_col=col, max_col=col):
                cells[0].alignment = Alignment(wrap_text=True, vertical="top")


def _shown_width(value: Any, shown: str | None) -> int:
    """About how many characters a cell shows: a number as its format writes it."""
    if value is None:
        return 0
    if isinstance(value, int | float) and not isinstance(value, bool) and shown is not None:
        if shown.endswith("%"):
            return len(f"{value * 100:,.1f}%")
        decimals = len(shown.split(".")[1]) if "." in shown else 0
        return len(f"{value:,.{decimals}f}")
    return len(str(value))


def write_workbook(path: Path, sheets: list[Sheet]) -> None:
    """The sheets, in their order, as one .xlsx file."""
    import openpyxl

    book = openpyxl.Workbook()
    assert book.active is not None
    book.remove(book.active)  # a new workbook starts with an empty sheet of its own
    for sheet in sheets:
        write_sheet(book, sheet)
    book.save(path)


def named_text(text: str, names: Mapping[str, str], lang: str = "en") -> str:
    """A text with municipalities' and providers' codes as names: 'one_civil_service@GM1728' ->
    'one civil service at Bladel', 'GM0770 GM1728' -> 'Eersel Bladel'; other words as they are."""
    if not names:
        return text
    codes = "|".join(re.escape(c) for c in sorted(names, key=len, reverse=True))
    at = "in" if lang == "nl" else "at"

    def named(match: re.Match[str]) -> str:
        structure, code = match.group(1), match.group(2)
        return names[code] if structure is None else f"{name(structure, lang)} {at} {names[code]}"

    return re.sub(rf"(?:\b(\w+)@)?\b({codes})\b", named, text)


def named_frame(frame: pd.DataFrame, names: Mapping[str, str], lang: str = "en") -> pd.DataFrame:
    """`frame` for a reader: codes as names in every text column but a code column (whose header says
    'code'), which scripts read."""
    shown = frame.copy()
    for column in shown.columns:
        if "code" in str(column).lower() or not pd.api.types.is_string_dtype(shown[column]):
            continue
        shown[column] = [named_text(v, names, lang) if isinstance(v, str) else v for v in shown[column]]
    return shown
