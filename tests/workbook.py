"""The workbook a command writes beside its CSV files, read back."""

from __future__ import annotations

import re
from pathlib import Path

#: a municipality's code: the CSV files keep them, the workbook names the municipality (issue 23)
CODE = re.compile(r"GM\d{4}")


def assert_workbook_equals_csv(folder: Path, sheets: list[str]) -> None:
    """seta.xlsx holds one sheet per CSV file with the same figures, as numbers, units in the headers;
    text the same but for codes, which the workbook gives as names outside a code column."""
    import openpyxl
    import pandas as pd

    book = openpyxl.load_workbook(folder / "seta.xlsx", read_only=True)
    assert book.sheetnames == sheets
    for sheet in sheets:
        from_csv = pd.read_csv(folder / f"{sheet}.csv")
        from_excel = pd.read_excel(folder / "seta.xlsx", sheet_name=sheet)
        from_excel.columns = [str(c).split(" [")[0] for c in from_excel.columns]
        for column in from_csv.columns:
            if not pd.api.types.is_string_dtype(from_csv[column]) or "code" in column.lower():
                continue
            coded = from_csv[column].astype(str).str.contains(CODE)
            assert not from_excel[column].astype(str).str.contains(CODE).any(), f"{sheet}.{column} shows codes"
            from_csv, from_excel = from_csv[~coded], from_excel[~coded]
        pd.testing.assert_frame_equal(
            from_excel.reset_index(drop=True), from_csv.reset_index(drop=True), check_dtype=False
        )
    first = pd.read_excel(folder / "seta.xlsx", sheet_name=sheets[0])
    money = [c for c in first.columns if str(c).endswith("[EUR/year]")]
    assert money, "figures in EUR carry their unit in the header"
    assert all(first[c].dtype.kind == "f" for c in money), "figures stay numbers"
