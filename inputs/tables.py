"""Reading tables from CSV files or from the sheets of one .xlsx workbook.

Rows keep their spreadsheet row number (the header is row 1), so every message can point at one.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from inputs.problems import Problems


@dataclass(frozen=True)
class Table:
    place: str  # "municipalities.csv" or "study.xlsx, sheet municipalities"
    columns: tuple[str, ...]
    rows: tuple[tuple[int, dict[str, str]], ...]  # (row number, column -> text)


def read_csv(path: Path, label: str, problems: Problems) -> Table | None:
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        problems.add(label, f"file not found (looked for {path})")
        return None
    except IsADirectoryError:
        problems.add(label, f"is a folder (expected a CSV file; looked for {path})")
        return None
    except OSError as error:
        problems.add(label, f"cannot be read: {error.strerror or error}")
        return None
    except UnicodeDecodeError:
        problems.add(label, "not UTF-8 text (expected a CSV file saved as UTF-8)")
        return None
    lines = text.splitlines()
    if not lines:
        problems.add(label, "the file is empty (expected a header row and data rows)")
        return None
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(lines, delimiter=delimiter)
    header = [cell.strip() for cell in next(reader)]
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header):
            problems.add(
                f"{label}, row {number}",
                f"{len(cells)} cells but the header has {len(header)} columns",
            )
            continue
        rows.append((number, {col: cell.strip() for col, cell in zip(header, cells, strict=False)}))
    return Table(label, tuple(header), tuple(rows))


def read_sheet(path: Path, sheet: str, label: str, problems: Problems) -> Table | None:
    import openpyxl  # imported here: only workbook users pay for it

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError:
        problems.add(label, f"workbook not found (looked for {path})")
        return None
    except IsADirectoryError:
        problems.add(label, f"is a folder (expected an .xlsx workbook; looked for {path})")
        return None
    except Exception as error:  # openpyxl raises several types for a damaged file
        problems.add(label, f"cannot read the workbook ({error}); expected an .xlsx file")
        return None
    if sheet not in workbook.sheetnames:
        problems.add(label, f"no sheet '{sheet}' (the workbook has: {', '.join(workbook.sheetnames)})")
        return None
    cells = list(workbook[sheet].iter_rows(values_only=True))
    workbook.close()
    if not cells:
        problems.add(label, "the sheet is empty (expected a header row and data rows)")
        return None
    header = [_text(cell) for cell in cells[0]]
    rows = []
    for number, values in enumerate(cells[1:], start=2):
        texts = [_text(cell) for cell in values]
        if any(texts):
            rows.append((number, {col: text for col, text in zip(header, texts, strict=False) if col}))
    return Table(label, tuple(col for col in header if col), tuple(rows))


def has_sheet(path: Path, sheet: str) -> bool:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True)
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
