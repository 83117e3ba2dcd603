"""Altair, imported when a chart is first drawn rather than when seta starts (issue 22).

Importing Altair takes about a quarter of a second, a tenth of what `seta solve kempen` may take
in all, and a solve that draws no chart (the terminal's answer) never needs it. The chart modules
import `alt` from here; the type checker sees Altair itself.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule:
    """A module imported on first use of one of its attributes."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attribute: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attribute)


altair = LazyModule("altair")
