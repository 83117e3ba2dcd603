"""Input problems: each names its place (file, row, key), what is wrong and what is expected.

A message is written in the run's language (`inputs.labels.says`: --lang, or the workshop page's
language for the request); places, keys and file names stay as the user wrote them.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field

from inputs.labels import says


@dataclass(frozen=True)
class Problem:
    place: str
    message: str

    def __str__(self) -> str:
        return f"{self.place}: {self.message}" if self.place else self.message


class InputError(Exception):
    """Raised with every problem found in the inputs, so the user can fix them all in one go."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(self.render())

    def __reduce__(self) -> tuple[type[InputError], tuple[list[Problem]]]:
        # A province solved in a worker process sends its input errors back whole, not as a string.
        return (InputError, (self.problems,))

    def render(self) -> str:
        count = len(self.problems)
        if count == 1:
            head = says("1 problem in the inputs:", "1 probleem in de invoer:")
        else:
            head = says(f"{count} problems in the inputs:", f"{count} problemen in de invoer:")
        return "\n".join([head, *(f"  - {problem}" for problem in self.problems)])


@dataclass
class Problems:
    """A collector that validation code appends to; `raise_if_any` ends a validation stage."""

    items: list[Problem] = field(default_factory=list)

    def add(self, place: str, message: str) -> None:
        self.items.append(Problem(place, message))

    def raise_if_any(self) -> None:
        if self.items:
            raise InputError(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


def suggestion(word: str, valid: Iterable[str]) -> str:
    """' (did you mean X?)' for the nearest valid word, or the list of valid words."""
    options = sorted(valid)
    close = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    if close:
        return says(f"did you mean '{close[0]}'?", f"bedoelt u '{close[0]}'?")
    return says("expected one of: ", "verwacht een van: ") + ", ".join(options)
