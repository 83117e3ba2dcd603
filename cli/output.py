"""Outputs are complete or absent: checked before any solving, written aside, moved into place last.

A folder the user names (`--out`, `--png`) or a file (`report.html`, `--write-lp`) is tried for
writing before the solve starts, so an unwritable place costs seconds, not the result. Files are
written aside on the target's own file system (a hidden `.seta-*` folder inside the target folder, a
`.tmp` file beside a target file) and moved into place only when every one of them is written; a
failure, a full disk, a second Ctrl-C, SIGTERM or a run without a solution leaves nothing behind,
and an output that was there before is kept whole or replaced whole.
"""

from __future__ import annotations

import contextlib
import errno
import json
import re
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any

import pandas as pd

from inputs.labels import COLUMNS, says, unit
from visuals.workbook import Sheet, named_frame, write_workbook

#: a write that fails for want of room: the disk (or tmpfs) is full, a quota is reached, or the file
#: would pass the size limit of the process (`ulimit -f`)
DISK_FULL = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


class OutputError(Exception):
    """An output cannot be written: names the place and the reason (exit code 2)."""

    def __init__(self, place: str, reason: str) -> None:
        super().__init__(f"{place}: {reason}")


def cannot_write(place: str, error: OSError) -> OutputError:
    """The OutputError of a write to `place` that failed with `error`."""
    reason = error.strerror or error
    if error.errno in DISK_FULL:
        return OutputError(
            place, says(f"disk full ({reason}); nothing was written", f"schijf vol ({reason}); er is niets geschreven")
        )
    return OutputError(place, says(f"cannot write ({reason})", f"kan niet schrijven ({reason})"))


# -- signals --------------------------------------------------------------------------------------


class Terminated(KeyboardInterrupt):
    """SIGTERM: the run ends at once, as after a second Ctrl-C. A KeyboardInterrupt, so that whatever
    lets Ctrl-C through lets it through too, and every `finally` removes what it staged."""


#: what ends the run but waits while an output is moved into place (`committing`)
_pending: list[KeyboardInterrupt] = []
_holding = [0]
#: the signal that ended the run, kept: a solver's callback (HiGHS) swallows an exception raised in
#: it, so the run may go on for a moment, and must still write nothing and end as the signal says
_ended: list[KeyboardInterrupt] = []
#: the outputs moved into place during this command, for the message of a run ended by a signal
COMMITTED: list[str] = []


def _end_run(error: KeyboardInterrupt) -> None:
    if not _ended:
        _ended.append(error)
    if _holding[0]:
        _pending.append(error)
        return
    raise error


def ended_by() -> KeyboardInterrupt | None:
    """The second Ctrl-C or the SIGTERM that ended this run, if one did."""
    return _ended[0] if _ended else None


def raise_if_ended() -> None:
    """Before anything is written: a run that a signal ended writes nothing more."""
    if _ended and not _holding[0]:
        raise _ended[0]


@contextmanager
def signals_for(stop: threading.Event) -> Iterator[None]:
    """The signals of one command. Ctrl-C sets `stop` (the run stops and keeps what it has); a second
    Ctrl-C raises KeyboardInterrupt, SIGTERM raises Terminated at once (it sets `stop` too, so that
    worker processes end even while this thread waits in the solver). Either waits while an output is
    moved into place. Outside the main thread signals cannot be caught: no change."""

    def ctrl_c(signum: int, frame: FrameType | None) -> None:
        if not stop.is_set():
            stop.set()
            return
        _end_run(KeyboardInterrupt())

    def term(signum: int, frame: FrameType | None) -> None:
        stop.set()
        _end_run(Terminated())

    previous_hook = sys.unraisablehook

    def unraisable(report: Any) -> None:
        # The signal landed in a weakref callback or a __del__, where Python prints and drops what is
        # raised; the run still ends as the signal says (_ended), so the trace would only alarm.
        if not any(report.exc_value is error for error in _ended):
            previous_hook(report)

    COMMITTED.clear()
    _pending.clear()
    _ended.clear()
    _holding[0] = 0
    previous: list[tuple[int, Any]] = []
    try:
        for number, handler in ((signal.SIGINT, ctrl_c), (signal.SIGTERM, term)):
            previous.append((number, signal.signal(number, handler)))
    except ValueError:  # not the main thread
        pass
    if previous:
        sys.unraisablehook = unraisable
    try:
        yield
    finally:
        for number, handler in reversed(previous):
            signal.signal(number, handler)
        if previous:
            sys.unraisablehook = previous_hook
        _ended.clear()  # the next command in this process (tests run many) starts afresh
        _pending.clear()


@contextmanager
def held() -> Iterator[None]:
    """A signal that ends the run is raised only when this block is done: for steps that must not be
    cut in two (a file made and named for its removal, an output moved into place)."""
    _holding[0] += 1
    try:
        yield
    finally:
        _holding[0] -= 1
        if not _holding[0] and _pending:
            error = _pending[0]
            _pending.clear()
            raise error


@contextmanager
def committing(label: str) -> Iterator[None]:
    """Moving the output `label` into place, under `held`: once the move is done the output counts as
    written (`COMMITTED`), whatever signal comes after."""
    with held():
        yield
        COMMITTED.append(label)


def _existing_ancestor(path: Path) -> Path:
    current = path
    while not current.exists() and current != current.parent:
        current = current.parent
    return current


def _probe(folder: Path, place: str) -> None:
    """Create and remove a folder in `folder`: the one test of writability that does not lie."""
    with held():  # a signal between the two would leave the probe behind
        try:
            probe = tempfile.mkdtemp(dir=folder, prefix=".seta-probe-")
        except OSError as error:
            reason = error.strerror or error
            raise OutputError(
                place, says(f"cannot write in {folder} ({reason})", f"kan niet schrijven in {folder} ({reason})")
            ) from error
        Path(probe).rmdir()


def check_folder(folder: Path, option: str) -> None:
    """`folder` is a folder that exists, or can be made, and can be written in."""
    place = f"{option} {folder}"
    if folder.exists() and not folder.is_dir():
        raise OutputError(place, says("is a file, expected a folder", "is een bestand, verwacht een map"))
    ancestor = _existing_ancestor(folder)
    if not ancestor.is_dir():
        raise OutputError(
            place,
            says(
                f"{ancestor} is a file, so the folder cannot be made",
                f"{ancestor} is een bestand, dus de map kan niet worden gemaakt",
            ),
        )
    _probe(ancestor, place)


def check_file(path: Path, option: str) -> None:
    """`path` can be written: its folder exists and is writable, and it is not a folder itself."""
    place = f"{option} {path}"
    if path.is_dir():
        raise OutputError(place, says("is a folder, expected a file name", "is een map, verwacht een bestandsnaam"))
    folder = path.parent
    if not folder.is_dir():
        raise OutputError(place, says(f"the folder {folder} does not exist", f"de map {folder} bestaat niet"))
    _probe(folder, place)


#: the layout of every JSON document seta writes, first in each; scripts check it. 2 (December
#: 2026): quality on 0-100 (was 0-1), and every change in EUR is after minus before (negative: less
#: cost), so that `allocate` says `change_against_alone_eur` where it said `gain_eur` (README, "Changes").
SCHEMA_VERSION = 2


def json_text(document: Mapping[str, Any]) -> str:
    """`document` as JSON text, its schema version first."""
    return json.dumps({"schema_version": SCHEMA_VERSION, **document}, indent=2, default=json_default)


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
    ("share", "%"),  # a share 0-1, shown as a percentage (the cell keeps 0.35 for 35 %)
    ("quality_index", "0-100"),
    ("quality_before", "0-100"),
    ("quality_after", "0-100"),
)


#: the sheets of a workbook of one sheet per CSV file, in Dutch (the CSV files keep their names)
SHEETS_NL = {
    "options": "opties",
    "end-states": "eindsituaties",
    "draws": "trekkingen",
    "pools": "pools",
    "decisions": "beslissingen",
    "drivers": "drijvende factoren",
    "ranges": "bereiken",
    "allocation": "verdeling",
    "blocking": "blokkerende coalities",
    "valuations": "waarderingen",
    "figures": "kengetallen",
    "cases": "gevallen",
    "leave_one_out": "een weggelaten",
}


def with_unit(column: str, lang: str = "en") -> str:
    """'annual_cost_eur' -> 'annual_cost_eur [EUR/year]'; a column without a known unit as it is.
    Dutch: the vocabulary's name where it has one ('Jaarlijkse kosten [EUR/jaar]'), else the key."""
    label = column
    if lang == "nl" and column in COLUMNS:
        label = re.sub(r" \(.*\)$", "", COLUMNS[column][1])  # the unit follows in brackets, from the key
    for ending, shown in UNITS:
        if column.endswith(ending):
            return f"{label} [{unit(shown, lang)}]"
    return label


class Staging:
    """Files for one folder, written aside first."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.names: list[str] = []
        self.tables: dict[str, pd.DataFrame] = {}
        #: the workbook's sheets when a command says what a reader needs beyond its CSV tables
        #: (a summary, names instead of codes); None: one sheet per table
        self.sheets: list[Sheet] | None = None
        #: code -> name, and the language, for a workbook of one sheet per table: its text cells name
        #: the municipalities where the CSV files keep the codes (None: the tables as they are)
        self.naming: tuple[Mapping[str, str], str] | None = None

    def path(self, name: str) -> Path:
        self.names.append(name)
        return self.folder / name

    def table(self, stem: str, frame: pd.DataFrame) -> None:
        """`stem`.csv, and a sheet `stem` of the folder's workbook (seta.xlsx)."""
        frame.to_csv(self.path(f"{stem}.csv"), index=False)
        self.tables[stem] = frame

    def write_workbook(self) -> None:
        """The command's own sheets, or one sheet per table with the units in the headers."""
        sheets = self.sheets
        if sheets is None:
            sheets = []
            lang = "en" if self.naming is None else self.naming[1]
            for stem, frame in self.tables.items():
                if self.naming is not None:
                    frame = named_frame(frame, *self.naming)
                shown = frame.rename(columns=lambda c: with_unit(str(c), lang))
                sheets.append(Sheet(SHEETS_NL.get(stem, stem) if lang == "nl" else stem, shown))
        write_workbook(self.path(WORKBOOK), sheets)


def _first_missing(path: Path) -> Path | None:
    """The outermost folder on the way to `path` that does not exist yet (None when `path` exists)."""
    missing = None
    current = path
    while not current.exists() and current != current.parent:
        missing, current = current, current.parent
    return missing


def _move_into_place(folder: Path, target: Path, names: list[str]) -> None:
    """Every staged file over its namesake in `target`, all or none: the files they replace wait in
    the staging folder until every move is done, and go back when one fails."""
    moved: list[tuple[Path, Path | None]] = []  # (the file now in place, the one it replaced)
    try:
        for number, name in enumerate(names):
            place = target / name
            old = None
            if place.exists() or place.is_symlink():
                old = folder / f".replaced-{number}"
                place.replace(old)
            moved.append((place, old))
            (folder / name).replace(place)
    except BaseException:
        for place, old in reversed(moved):
            with contextlib.suppress(OSError):  # put back what can be put back
                if old is not None:
                    old.replace(place)
                else:
                    place.unlink(missing_ok=True)
        raise


@contextmanager
def staged(target: Path, option: str) -> Iterator[Staging]:
    """Write files into `Staging.path(name)`; on leaving without an error they replace the files of
    that name in `target` (other files there are left alone). On an error or a signal nothing
    changes, and folders made for the purpose are removed again. A full disk is an OutputError."""
    raise_if_ended()
    check_folder(target, option)
    place = f"{option} {target}"
    made = _first_missing(target)
    folder: Path | None = None
    committed = False
    try:
        with held():
            try:
                target.mkdir(parents=True, exist_ok=True)
                folder = Path(tempfile.mkdtemp(dir=target, prefix=".seta-"))
            except OSError as error:
                raise cannot_write(place, error) from error
        stage = Staging(folder)
        try:
            yield stage
            if stage.tables or stage.sheets:
                stage.write_workbook()
        except OSError as error:
            if error.errno not in DISK_FULL:
                raise
            raise cannot_write(place, error) from error
        names = list(dict.fromkeys(stage.names))
        for name in names:
            if (target / name).is_dir():
                raise OutputError(
                    f"{option} {target / name}",
                    says(
                        "is a folder, expected a file; nothing was written",
                        "is een map, verwacht een bestand; er is niets geschreven",
                    ),
                )
        raise_if_ended()
        with committing(str(target)):
            _move_into_place(folder, target, names)
            committed = True
    except BaseException:
        if made is not None and not committed:
            shutil.rmtree(made, ignore_errors=True)
        raise
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


def write_text(path: Path, text: str, option: str) -> None:
    """One file, atomically: written beside its target (a hidden `.tmp` file), then renamed over it;
    the `.tmp` file is removed on every way out."""
    raise_if_ended()
    check_file(path, option)
    place = f"{option} {path}"
    aside: Path | None = None
    try:
        with held():
            descriptor, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
            aside = Path(name)
        with open(descriptor, "w", encoding="utf-8") as handle:  # closing flushes: a full disk may show there
            handle.write(text)
        aside.chmod(0o644)  # a temporary file is private; a report is meant to be shared
        raise_if_ended()
        with committing(str(path)):
            aside.replace(path)
    except OSError as error:
        raise cannot_write(place, error) from error
    finally:
        if aside is not None:
            aside.unlink(missing_ok=True)
