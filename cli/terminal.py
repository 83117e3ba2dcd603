"""The terminal's console: lines wrapped at its width without breaking an amount.

Rich wraps a line at any whitespace, so '€ 1,61 mln / € 392.000' could end one line with '€' and
start the next with '392.000'; a non-breaking space does not help, since Rich splits on every kind
of whitespace. So a line is wrapped here, with each amount as one word, and handed to Rich as lines
it need not wrap; in a table, a column of figures is kept as wide as its widest figure (the other
columns give way, their text wraps), and a table that cannot fit so is folded into one block per row.
"""

from __future__ import annotations

import re
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.table import Table
from rich.text import Text

#: an amount as inputs.labels writes it: EUR 1.23 M, EUR 703 k, EUR 950, € 1,61 mln, -€ 392.000, +EUR 12 k
AMOUNT = re.compile(r"[-+]?(?:EUR|€) \d[\d.,]*(?: (?:M|k|mln)(?!\w))?")
#: a line of a cell of figures: an amount, a number with or without a unit, a share, or '-' for
#: nothing; in brackets or not ('(-43 k)', a change under its amount)
FIGURE = re.compile(rf"\s*\(?(?:{AMOUNT.pattern}|[-+]?\d[\d.,]*(?: ?%| [a-z]+)?|[<>] ?\d+ ?%|-)?\)?\s*")


def fitted(text: Text, width: int) -> Text:
    """`text` broken into lines of at most `width` cells at spaces outside amounts (a word or an
    amount wider than `width` stands on a line of its own); styles kept."""
    plain = text.plain
    # an amount's own spaces are not places to break: masked, they join it into one word
    masked = AMOUNT.sub(lambda found: found.group().replace(" ", "\0"), plain)
    breaks: list[int] = []
    start = 0
    for line in masked.split("\n"):
        line_start = start
        for word in re.finditer(r"\S+", line):
            begin, end = start + word.start(), start + word.end()
            if cell_len(plain[line_start:end]) > width and begin > line_start and plain[line_start:begin].strip():
                breaks.append(begin)
                line_start = begin
        start += len(line) + 1
    if not breaks:
        return text
    pieces = text.divide(breaks)
    for piece in pieces[:-1]:
        piece.rstrip()
    return Text("\n").join(pieces)


def figure_widths(table: Table) -> dict[int, int]:
    """The columns whose every cell is a figure: their index -> the widest figure's cells."""
    found = {}
    for index, column in enumerate(table.columns):
        lines = [
            line for cell in column.cells for line in (cell.plain if isinstance(cell, Text) else str(cell)).split("\n")
        ]
        if lines and all(FIGURE.fullmatch(line) for line in lines):
            found[index] = max(cell_len(line.strip()) for line in lines)
    return found


class FiguresWhole(Table):
    """A table whose columns of figures keep the width of their widest figure: Rich's own layout
    narrows the widest columns first, figures or not (its `no_wrap` would keep a long header whole
    as well), so the width a figure lacks is taken here from the widest other columns."""

    def _calculate_column_widths(self, console: Console, options: Any) -> list[int]:
        widths = list(super()._calculate_column_widths(console, options))
        floors = {index: width + self._get_padding_width(index) for index, width in figure_widths(self).items()}
        for index, floor in floors.items():
            while widths[index] < floor:
                donors = [
                    other
                    for other, width in enumerate(widths)
                    if other not in floors and width > self._get_padding_width(other) + 1
                ]
                if not donors:
                    break
                widest = max(donors, key=lambda other: widths[other])
                widths[widest] -= 1
                widths[index] += 1
        return widths


#: the fewest cells a column of text may narrow to before a table is folded instead
NARROWEST_TEXT = 6


def _plain(cell: Any) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


def fits(table: Table, width: int) -> bool:
    """Whether `table` fits in `width` with its figures whole and its text columns readable."""
    figures = figure_widths(table)
    needed = len(table.columns) + 1  # the borders
    for index, column in enumerate(table.columns):
        widest = max((cell_len(line) for cell in column.cells for line in _plain(cell).split("\n")), default=1)
        needed += figures.get(index, min(widest, NARROWEST_TEXT)) + table._get_padding_width(index)
    return needed <= width


def folded(table: Table) -> list[Text]:
    """A table too wide for the terminal as one block per row: its first cell, then each other
    column's heading and value on a line of their own."""
    lines = [Text(_plain(table.title), style="bold")] if table.title else []
    columns = table.columns
    rows = zip(*(list(column.cells) for column in columns), strict=True)
    for row in rows:
        lines.append(Text(" ".join(_plain(row[0]).split()), style="bold"))
        for column, cell in zip(columns[1:], row[1:], strict=True):
            heading = " ".join(_plain(column.header).split())
            lines.append(Text(f"  {heading}: " + " ".join(_plain(cell).split())))
    return lines


class Terminal(Console):
    """A Rich console that keeps amounts whole: a line (a str or a Text) is wrapped by `fitted`, a
    table laid out as `FiguresWhole`."""

    def print(self, *objects: Any, **options: Any) -> None:
        if options.get("soft_wrap") is None and not self.soft_wrap and len(objects) == 1:
            (shown,) = objects
            if isinstance(shown, str):
                shown = self.render_str(shown, markup=options.get("markup"), highlight=options.get("highlight"))
            if isinstance(shown, Text):
                width = min(options.get("width") or self.width, self.width)
                objects, options = (fitted(shown, width),), {**options, "soft_wrap": True}
        if len(objects) == 1 and isinstance(objects[0], Table) and not fits(objects[0], self.width):
            for line in folded(objects[0]):
                self.print(line)
            return
        for shown in objects:
            if type(shown) is Table:
                # the tables are built across the commands; the width rule belongs to this console
                shown.__class__ = FiguresWhole
        super().print(*objects, **options)
