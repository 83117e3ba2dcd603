"""Typed access to a YAML document that records every problem with its place (file and key path)."""

from __future__ import annotations

import math
import re
from typing import Any

from inputs.labels import says
from inputs.problems import Problems, suggestion
from inputs.schema import Spec

#: a number YAML 1.1 reads as text: `1e308`, `5E-3` (YAML wants a dot before the exponent)
_NUMBER_TEXT = re.compile(r"[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?")


#: characters that no name or figure holds (tab, line feed and carriage return are layout)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def kind_of(value: Any) -> str:
    """How a value reads to a person: "the text 'x'", "the number 3", "a list"."""
    if value is None:
        return says("nothing", "niets")
    if isinstance(value, str):
        return says(f"the text '{value}'", f"de tekst '{value}'")
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, int | float):
        return says(f"the number {value}", f"het getal {value}")
    if isinstance(value, list):
        return says("a list", "een lijst")
    if isinstance(value, dict):
        return says("a mapping", "een mapping")
    return type(value).__name__


def as_number(value: Any) -> float | None:
    """The number a YAML value stands for, or None: `1e308` counts although YAML reads it as text."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:  # beyond any float: out of every range, said as such
            return math.copysign(math.inf, value)
    if isinstance(value, float):
        return value
    if isinstance(value, str) and _NUMBER_TEXT.fullmatch(value.strip()):
        return float(value)
    return None


class Reader:
    """Reads values of one document; `label` is the file name every place starts with."""

    def __init__(self, problems: Problems, label: str) -> None:
        self.problems = problems
        self.label = label
        #: what the user should know although nothing is wrong (printed, never fatal)
        self.notes: list[str] = []

    def note(self, place: str, message: str) -> None:
        self.notes.append(f"{place}: {message}")

    def place(self, path: str) -> str:
        return f"{self.label}, {path}" if path else self.label

    def add(self, path: str, message: str) -> None:
        self.problems.add(self.place(path), message)

    def mapping(self, value: Any, path: str, valid: tuple[str, ...] | None) -> dict[str, Any]:
        """A mapping's entries by key; unknown keys (when `valid` is given) are reported with a suggestion."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.add(path, says("expected a mapping, got ", "verwacht een mapping, kreeg ") + kind_of(value))
            return {}
        result = {}
        for key, item in value.items():
            key_text = str(key)
            if valid is not None and key_text not in valid:
                self.add(
                    f"{path}.{key_text}" if path else key_text,
                    says("unknown key; ", "onbekende sleutel; ") + suggestion(key_text, valid),
                )
                continue
            result[key_text] = item
        return result

    def figure(self, value: Any, path: str, spec: Spec) -> tuple[bool, Any]:
        """(ok, value) for a figure checked against its spec: type, range, choices."""
        if value is None:
            if spec.optional:
                return True, None
            self.add(path, says("missing (expected ", "ontbreekt (verwacht ") + f"{spec.expected()})")
            return False, None
        if spec.kind == "flag":
            if not isinstance(value, bool):
                self.add(path, says("expected true or false, got ", "verwacht true of false, kreeg ") + kind_of(value))
                return False, None
            return True, value
        if spec.kind == "choice":
            if value not in spec.choices:
                key = path.rsplit(".", 1)[-1]
                self.add(
                    path,
                    says(f"unknown {key} '{value}'; expected ", f"onbekende {key} '{value}'; verwacht ")
                    + spec.expected(),
                )
                return False, None
            return True, value
        number = as_number(value)
        shown = value if not isinstance(value, str) else value.strip()
        if number is None:
            self.add(
                path,
                says(f"'{shown}' is not ", f"'{shown}' is geen ")
                + spec.what().removeprefix(says("", "een "))
                + says(" (expected ", " (verwacht ")
                + f"{spec.expected()})",
            )
            return False, None
        if spec.kind == "integer" and not number.is_integer():
            self.add(
                path,
                says(f"{shown} is not a whole number (expected ", f"{shown} is geen geheel getal (verwacht ")
                + f"{spec.expected()})",
            )
            return False, None
        if not spec.in_range(number):
            self.add(
                path,
                says(f"{shown} is out of range (expected ", f"{shown} valt buiten het bereik (verwacht ")
                + f"{spec.expected()})",
            )
            return False, None
        return True, int(number) if spec.kind == "integer" else number

    def text(self, value: Any, path: str) -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.add(path, says("expected a text, got ", "verwacht een tekst, kreeg ") + kind_of(value))
            return None
        control = CONTROL.search(value)
        if control:
            # a NUL byte or an escape sequence is no part of a name, and breaks the workbook written later
            self.add(
                path,
                says("holds the control character ", "bevat het stuurteken ")
                + f"U+{ord(control.group()):04X} "
                + says("(expected plain text)", "(verwacht gewone tekst)"),
            )
            return None
        return value.strip()

    def names(self, value: Any, path: str) -> list[str]:
        if isinstance(value, str):
            return [value]
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            self.add(
                path, says("expected a list of names, got ", "verwacht een lijst van namen, kreeg ") + kind_of(value)
            )
            return []
        return [str(v) for v in value]

    def items(self, value: Any, path: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.add(path, says("expected a list, got ", "verwacht een lijst, kreeg ") + kind_of(value))
            return []
        return value
