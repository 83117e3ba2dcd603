"""Outputs are complete or absent: checked before any solving, written aside, moved into place last.

A folder the user names (`--out`, `--png`) or a file (`report.html`, `--write-lp`) is tried for
writing before the solve starts, so an unwritable place costs seconds, not the result. Files are
written into a hidden staging folder next to their target and moved into place only when every one
of them is written; a failure or a run without a solution leaves nothing behind.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pandas as pd


class OutputError(Exception):
    """An output cannot be written: names the place and the reason (exit code 2)."""

    def __init__(self, place: str, reason: str) -> None:
        super().__init__(f"{place}: {reason}")


def _existing_ancestor(path: Path) -> Path:
    current = path
    while not current.exists() and current != current.parent:
        current = current.parent
    return current


def _probe(folder: Path, place: str) -> None:
    """Create and remove a folder in `folder`: the one test of writability that does not lie."""
    try:
        probe = tempfile.mkdtemp(dir=folder, prefix=".seta-probe-")
    except OSError as error:
        raise OutputError(place, f"cannot write in {folder} ({error.strerror or error})") from error
    Path(probe).rmdir()


def check_folder(folder: Path, option: str) -> None:
    """`folder` is a folder that exists, or can be made, and can be written in."""
    place = f"{option} {folder}"
    if folder.exists() and not folder.is_dir():
        raise OutputError(place, "is a file, expected a folder")
    ancestor = _existing_ancestor(folder)
    if not ancestor.is_dir():
        raise OutputError(place, f"{ancestor} is a file, so the folder cannot be made")
    _probe(ancestor, place)


def check_file(path: Path, option: str) -> None:
    """`path` can be written: its folder exists and is writable, and it is not a folder itself."""
    place = f"{option} {path}"
    if path.is_dir():
        raise OutputError(place, "is a folder, expected a file name")
    folder = path.parent
    if not folder.is_dir():
        raise OutputError(place, f"the folder {folder} does not exist")
    _probe(folder, place)


def json_default(value: object) -> object:
    """What `json.dumps` cannot write itself: numpy scalars, as the numbers they hold."""
    if hasattr(value, "item"):
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} as JSON")


#: the workbook beside a command's CSV files: a sheet per table
WORKBOOK = "seta.xlsx"
#: units by how a column's name ends, for the workbook's headers
UNITS = (
    ("transition_one_off_eur", "EUR one-off"),
    ("_one_off_eur", "EUR one-off"),
    ("_eur", "EUR/year"),
    ("_fte", "FTE"),
    ("_km", "km"),
    ("_days", "days/year"),
    ("share", "0-1"),
    ("quality_index", "0-1"),
)


def with_unit(column: str) -> str:
    """'annual_cost_eur' -> 'annual_cost_eur [EUR/year]'; a column without a known unit as it is."""
    for ending, unit in UNITS:
        if column.endswith(ending):
            return f"{column} [{unit}]"
    return column


class Staging:
    """Files for one folder, written aside first."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.names: list[str] = []
        self.tables: dict[str, pd.DataFrame] = {}

    def path(self, name: str) -> Path:
        self.names.append(name)
        return self.folder / name

    def table(self, stem: str, frame: pd.DataFrame) -> None:
        """`stem`.csv, and a sheet `stem` of the folder's workbook (seta.xlsx)."""
        frame.to_csv(self.path(f"{stem}.csv"), index=False)
        self.tables[stem] = frame

    def write_workbook(self) -> None:
        """One sheet per table, figures as numbers, units in the headers (Excel allows 31 characters
        in a sheet's name)."""
        with pd.ExcelWriter(self.path(WORKBOOK), engine="openpyxl") as writer:
            for stem, frame in self.tables.items():
                frame.rename(columns=with_unit).to_excel(writer, sheet_name=stem[:31], index=False)


@contextmanager
def staged(target: Path, option: str) -> Iterator[Staging]:
    """Write files into `Staging.path(name)`; on leaving without an error they replace the files of
    that name in `target` (other files there are left alone). On an error nothing changes, and a
    folder made for the purpose is removed again."""
    check_folder(target, option)
    made = not target.exists()
    try:
        target.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(dir=target, prefix=".seta-"))
    except OSError as error:
        raise OutputError(f"{option} {target}", f"cannot write ({error.strerror or error})") from error
    stage = Staging(folder)
    try:
        yield stage
        if stage.tables:
            stage.write_workbook()
        for name in stage.names:
            (folder / name).replace(target / name)
    except BaseException:
        if made:
            shutil.rmtree(target, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def write_text(path: Path, text: str, option: str) -> None:
    """One file, atomically: written beside its target, then renamed over it."""
    check_file(path, option)
    with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False, suffix=".tmp", encoding="utf-8") as handle:
        aside = Path(handle.name)
        try:
            handle.write(text)
        except BaseException:
            handle.close()
            aside.unlink(missing_ok=True)
            raise
    aside.chmod(0o644)  # a temporary file is private; a report is meant to be shared
    aside.replace(path)
