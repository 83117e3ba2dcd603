"""Input problems: each names its place (file, row, key), what is wrong and what is expected."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass, field


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
        head = "1 problem in the inputs:" if count == 1 else f"{count} problems in the inputs:"
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
        return f"did you mean '{close[0]}'?"
    return "expected one of: " + ", ".join(options)
