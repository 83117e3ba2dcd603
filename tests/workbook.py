"""The workbook a command writes beside its CSV files, read back."""

from __future__ import annotations

from pathlib import Path


def assert_workbook_equals_csv(folder: Path, sheets: list[str]) -> None:
    """seta.xlsx holds one sheet per CSV file with the same figures, as numbers, units in the headers."""
    import openpyxl
    import pandas as pd

    book = openpyxl.load_workbook(folder / "seta.xlsx", read_only=True)
    assert book.sheetnames == sheets
    for sheet in sheets:
        from_csv = pd.read_csv(folder / f"{sheet}.csv")
        from_excel = pd.read_excel(folder / "seta.xlsx", sheet_name=sheet)
        from_excel.columns = [str(c).split(" [")[0] for c in from_excel.columns]
        pd.testing.assert_frame_equal(from_excel, from_csv, check_dtype=False)
    first = pd.read_excel(folder / "seta.xlsx", sheet_name=sheets[0])
    money = [c for c in first.columns if str(c).endswith("[EUR/year]")]
    assert money, "figures in EUR carry their unit in the header"
    assert all(first[c].dtype.kind == "f" for c in money), "figures stay numbers"
