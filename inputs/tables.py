"""Reading tables from CSV files or from the sheets of one .xlsx workbook.

Rows keep their spreadsheet row number (the header is row 1), so every message can point at one.

Numbers are read in the table's own format, never guessed cell by cell. A comma-separated file
writes decimals with a point and no thousands separator. A file separated by semicolons (what a
Dutch Excel saves) may write either "1.234,5" (decimal comma, thousands point) or "1234.5"; the
table's cells decide (a decimal comma anywhere, or a point that cannot be a thousands separator,
such as 51.44), or the scenario's `tables.decimal_mark`. A number that could be read both ways
(20.000 in a table that gives no other evidence) is refused, not guessed.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

from inputs.labels import says
from inputs.problems import Problems
from inputs.reader import CONTROL, as_number
from inputs.yamlfile import NotRegularFile, cannot_be_read, read_bytes

#: the longest cell a CSV file may hold (the csv module's own limit, said as a placed message)
MAX_CELL_CHARS = 128 * 1024

_THOUSANDS_POINT = re.compile(r"[-+]?\d{1,3}(\.\d{3})+")
_DECIMAL_COMMA = re.compile(r"[-+]?(\d{1,3}(\.\d{3})+|\d*),\d+")
_DECIMAL_POINT = re.compile(r"[-+]?\d*\.\d+([eE][-+]?\d+)?")


@dataclass(frozen=True)
class Table:
    place: str  # "municipalities.csv" or "study.xlsx, sheet municipalities"
    columns: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]  # (row number, column -> text)
    decimal_mark: str | None = "."  # "," or "."; None: a semicolon table that did not say which


class BadNumber(ValueError):
    """A cell that is not a number in its table's format; the message says what was expected."""


def parse_number(text: str, decimal_mark: str | None) -> float | None:
    """The number a cell holds in a table whose decimal mark is `decimal_mark`; None when the cell
    holds no number at all, BadNumber when it holds one in another format or an ambiguous one."""
    cell = text.strip()
    if decimal_mark == ",":
        if _DECIMAL_COMMA.fullmatch(cell) or _THOUSANDS_POINT.fullmatch(cell):
            return float(cell.replace(".", "").replace(",", "."))
        if _DECIMAL_POINT.fullmatch(cell):
            raise BadNumber(
                says(
                    f"'{cell}' has a decimal point, but this table writes decimals with a comma",
                    f"'{cell}' heeft een decimale punt, maar deze tabel schrijft decimalen met een komma",
                )
            )
        return as_number(cell)
    if "," in cell and as_number(cell.replace(",", "")) is not None:
        raise BadNumber(
            says(
                f"'{cell}' has a comma, but this table writes decimals with a point and no thousands separator",
                f"'{cell}' heeft een komma, maar deze tabel schrijft decimalen met een punt en zonder "
                "scheidingsteken voor duizendtallen",
            )
        )
    if decimal_mark is None and _THOUSANDS_POINT.fullmatch(cell):
        whole = cell.replace(".", "")
        raise BadNumber(
            says(
                f"'{cell}' could be {float(cell):g} or {whole}: the table does not show which decimal mark it uses "
                "(set tables.decimal_mark to ',' or '.' in the scenario)",
                f"'{cell}' kan {float(cell):g} of {whole} zijn: de tabel laat niet zien welk decimaalteken ze "
                "gebruikt (zet tables.decimal_mark op ',' of '.' in het scenario)",
            )
        )
    return as_number(cell)


def _decimal_mark(rows: list[tuple[int, dict[str, str]]], label: str, problems: Problems) -> str | None:
    """The decimal mark a semicolon table's cells show, or None when they show none."""
    comma = point = None
    for number, row in rows:
        for column, cell in row.items():
            if comma is None and _DECIMAL_COMMA.fullmatch(cell):
                comma = (number, column, cell)
            elif point is None and _DECIMAL_POINT.fullmatch(cell) and not _THOUSANDS_POINT.fullmatch(cell):
                point = (number, column, cell)
    if comma and point:
        problems.add(
            label,
            says(
                f"mixes decimal commas (row {comma[0]}, {comma[1]} '{comma[2]}') and decimal points (row {point[0]}, "
                f"{point[1]} '{point[2]}'); write every number one way",
                f"mengt decimale komma's (rij {comma[0]}, {comma[1]} '{comma[2]}') en decimale punten (rij "
                f"{point[0]}, {point[1]} '{point[2]}'); schrijf elk getal op dezelfde manier",
            ),
        )
    return "," if comma else "." if point else None


def read_csv(path: Path, label: str, problems: Problems, decimal_mark: str | None = None) -> Table | None:
    """A CSV table; `decimal_mark` is the scenario's word on its numbers (else the cells decide)."""
    try:
        text = read_bytes(path).decode("utf-8-sig")
    except FileNotFoundError:
        problems.add(label, says(f"file not found (looked for {path})", f"bestand niet gevonden (gezocht naar {path})"))
        return None
    except IsADirectoryError:
        problems.add(
            label,
            says(
                f"is a folder (expected a CSV file; looked for {path})",
                f"is een map (verwacht een CSV-bestand; gezocht naar {path})",
            ),
        )
        return None
    except NotRegularFile as error:
        problems.add(
            label,
            f"{error} "
            + says(f"(expected a CSV file; looked for {path})", f"(verwacht een CSV-bestand; gezocht naar {path})"),
        )
        return None
    except OSError as error:
        problems.add(label, cannot_be_read(error.strerror or str(error)))
        return None
    except UnicodeDecodeError:
        problems.add(
            label,
            says(
                "not UTF-8 text (expected a CSV file saved as UTF-8)",
                "geen UTF-8-tekst (verwacht een CSV-bestand dat als UTF-8 is opgeslagen)",
            ),
        )
        return None
    lines = text.splitlines()
    if not lines:
        problems.add(
            label,
            says(
                "the file is empty (expected a header row and data rows)",
                "het bestand is leeg (verwacht een kopregel en rijen met gegevens)",
            ),
        )
        return None
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(lines, delimiter=delimiter)
    csv.field_size_limit(MAX_CELL_CHARS)
    rows: list[tuple[int, dict[str, str]]] = []
    try:
        header = [cell.strip() for cell in next(reader)]
        if not _unique_columns(header, label, problems):
            return None
        for number, cells in enumerate(reader, start=2):
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) > len(header):
                problems.add(
                    f"{label}, row {number}",
                    says(
                        f"{len(cells)} cells but the header has {len(header)} columns",
                        f"{len(cells)} cellen, maar de kopregel heeft {len(header)} kolommen",
                    ),
                )
                continue
            row = {col: cell.strip() for col, cell in zip(header, cells, strict=False)}
            if _clean(row, f"{label}, row {number}", problems):
                rows.append((number, row))
    except csv.Error as error:
        too_long = "field larger than field limit" in str(error)
        if too_long:
            kilobytes = MAX_CELL_CHARS // 1024
            reason = says(f"a cell longer than {kilobytes} KB", f"een cel langer dan {kilobytes} KB")
        else:
            reason = says(f"not a valid CSV file ({error})", f"geen geldig CSV-bestand ({error})")
        problems.add(f"{label}, row {reader.line_num}", reason)
        return None
    if decimal_mark is None:
        decimal_mark = _decimal_mark(rows, label, problems) if delimiter == ";" else "."
    return Table(label, tuple(header), tuple(rows), decimal_mark)


def _unique_columns(header: list[str], label: str, problems: Problems) -> bool:
    """A column named twice would let the last one win unseen: refused, with both positions."""
    first: dict[str, int] = {}
    unique = True
    for position, column in enumerate(header, start=1):
        if not column:
            continue
        if column.casefold() in first:
            problems.add(
                label,
                says(
                    f"the column '{column}' appears twice (columns {first[column.casefold()]} and {position}); "
                    "keep one",
                    f"de kolom '{column}' staat er twee keer in (kolommen {first[column.casefold()]} en {position}); "
                    "houd er één",
                ),
            )
            unique = False
        else:
            first[column.casefold()] = position
    return unique


def _clean(row: dict[str, str], place: str, problems: Problems) -> bool:
    """No cell holds a control character (a NUL byte breaks the workbook seta writes, and none is
    part of a name or a figure)."""
    for column, cell in row.items():
        found = CONTROL.search(cell)
        if found:
            problems.add(
                place,
                says(
                    f"{column} holds the control character U+{ord(found.group()):04X} (expected plain text)",
                    f"{column} bevat het stuurteken U+{ord(found.group()):04X} (verwacht gewone tekst)",
                ),
            )
            return False
    return True


def read_sheet(path: Path, sheet: str, label: str, problems: Problems) -> Table | None:
    import openpyxl  # imported here: only workbook users pay for it

    try:
        data = read_bytes(path)
    except FileNotFoundError:
        problems.add(
            label, says(f"workbook not found (looked for {path})", f"werkmap niet gevonden (gezocht naar {path})")
        )
        return None
    except IsADirectoryError:
        problems.add(
            label,
            says(
                f"is a folder (expected an .xlsx workbook; looked for {path})",
                f"is een map (verwacht een .xlsx-werkmap; gezocht naar {path})",
            ),
        )
        return None
    except NotRegularFile as error:
        problems.add(
            label,
            f"{error} "
            + says(
                f"(expected an .xlsx workbook; looked for {path})", f"(verwacht een .xlsx-werkmap; gezocht naar {path})"
            ),
        )
        return None
    except OSError as error:
        problems.add(label, cannot_be_read(error.strerror or str(error)))
        return None
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        if sheet not in workbook.sheetnames:
            sheets = ", ".join(workbook.sheetnames)
            problems.add(
                label,
                says(
                    f"no sheet '{sheet}' (the workbook has: {sheets})",
                    f"geen blad '{sheet}' (de werkmap heeft: {sheets})",
                ),
            )
            return None
        cells = list(workbook[sheet].iter_rows(values_only=True))
        workbook.close()
    except Exception as error:  # openpyxl raises several types for a damaged file or sheet
        why = f"{type(error).__name__}: {error}"
        problems.add(
            label,
            says(
                f"cannot read the workbook ({why}); expected an .xlsx file",
                f"kan de werkmap niet lezen ({why}); verwacht een .xlsx-bestand",
            ),
        )
        return None
    if not cells:
        problems.add(
            label,
            says(
                "the sheet is empty (expected a header row and data rows)",
                "het blad is leeg (verwacht een kopregel en rijen met gegevens)",
            ),
        )
        return None
    header = [_text(cell) for cell in cells[0]]
    if not _unique_columns(header, label, problems):
        return None
    rows = []
    for number, values in enumerate(cells[1:], start=2):
        texts = [_text(cell) for cell in values]
        row = {col: text for col, text in zip(header, texts, strict=False) if col}
        if any(texts) and _clean(row, f"{label}, row {number}", problems):
            rows.append((number, row))
    # Excel stores numbers as numbers: their text here has a decimal point whatever the locale.
    return Table(label, tuple(col for col in header if col), tuple(rows), ".")


def has_sheet(path: Path, sheet: str) -> bool:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(io.BytesIO(read_bytes(path)), read_only=True)
    except Exception:  # a missing or damaged workbook is reported where its municipalities sheet is read
        return False
    present = sheet in workbook.sheetnames
    workbook.close()
    return present


def _text(cell: object) -> str:
    if cell is None:
        return ""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return str(cell).strip()


def write_csv(path: Path, columns: list[str], rows: list[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
