"""The terminal's console: lines wrapped at its width without breaking an amount.

Rich wraps a line at any whitespace, so '€ 1,61 mln / € 392.000' could end one line with '€' and
start the next with '392.000'; a non-breaking space does not help, since Rich splits on every kind
of whitespace. So a line is wrapped here, with each amount as one word, and handed to Rich as lines
it need not wrap; in a table, a column of figures is kept as wide as its widest figure (the other
columns give way, their text wraps, down to the `min_width` a column asks for), and a table that
cannot fit so is folded into one block per row.
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


def _plain(cell: Any) -> str:
    return cell.plain if isinstance(cell, Text) else str(cell)


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


def word_widths(table: Table) -> dict[int, int]:
    """Every column's longest word, in its header or cells (an amount counts as one word): the
    narrowest it can be without cutting a word ('Valkenb…', 'Alterna…')."""
    found = {}
    for index, column in enumerate(table.columns):
        texts = [_plain(column.header), *(_plain(cell) for cell in column.cells)]
        words = [word for text in texts for word in AMOUNT.sub(lambda a: a.group().replace(" ", "_"), text).split()]
        found[index] = max((cell_len(word) for word in words), default=1)
    return found


def floors(table: Table) -> dict[int, int]:
    """The narrowest each column may be: its widest figure where it holds figures, else its longest
    word, and never below the `min_width` its table gave it (padding included)."""
    figures = figure_widths(table)
    return {
        index: max(figures.get(index, 0), word, table.columns[index].min_width or 0) + table._get_padding_width(index)
        for index, word in word_widths(table).items()
    }


class FiguresWhole(Table):
    """A table whose columns are never narrower than a figure or a word in them: Rich's own layout
    narrows the widest columns first and then cuts what does not fit ('Valkenb…'), so the width a
    column lacks is taken here from the columns with the most to spare."""

    def _calculate_column_widths(self, console: Console, options: Any) -> list[int]:
        widths = list(super()._calculate_column_widths(console, options))
        least = floors(self)
        for index, floor in least.items():
            while widths[index] < floor:
                donors = [other for other, width in enumerate(widths) if width > least[other]]
                if not donors:
                    break
                richest = max(donors, key=lambda other: widths[other] - least[other])
                widths[richest] -= 1
                widths[index] += 1
        return widths


def fits(table: Table, width: int) -> bool:
    """Whether `table` fits in `width` with no figure and no word cut."""
    return len(table.columns) + 1 + sum(floors(table).values()) <= width  # the borders, and each column


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
