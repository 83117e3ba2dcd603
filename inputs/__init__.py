"""Reads and validates scenarios and their tables; the built-in CBS data and scenarios live here."""

from inputs.builtins import builtin_names, regional_names
from inputs.loader import load_scenario
from inputs.problems import InputError, Problem
from inputs.types import Scenario

__all__ = ["InputError", "Problem", "Scenario", "builtin_names", "load_scenario", "regional_names"]
