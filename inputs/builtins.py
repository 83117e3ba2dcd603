"""The built-in scenarios shipped with seta, and how a command-line reference finds a scenario file."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from inputs.labels import says
from inputs.problems import Problems, suggestion

#: built-in studies of the whole country: benchmarked (benchmarks/), solved to a gap, not in the test loop
NATIONAL = ("nl-2024", "nl-2024-taxes")


def builtin_names() -> list[str]:
    folder = resources.files("inputs").joinpath("scenarios")
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def regional_names() -> list[str]:
    """The built-in scenarios of the seed's case regions (every one solves to optimal in seconds)."""
    return [name for name in builtin_names() if name not in NATIONAL]


def builtin_path(name: str) -> Path:
    return Path(str(resources.files("inputs").joinpath("scenarios", f"{name}.yaml")))


def is_builtin(path: Path) -> bool:
    return path.parent == builtin_path("x").parent


def resolve_reference(reference: str) -> Path:
    """A path for a file reference or a built-in scenario name."""
    path = Path(reference)
    if path.exists() or path.suffix in (".yaml", ".yml") or "/" in reference:
        return path
    if reference in builtin_names():
        return builtin_path(reference)
    problems = Problems()
    problems.add(
        reference,
        says(
            "no such file and no built-in scenario of that name; ",
            "geen bestand en geen ingebouwd scenario met die naam; ",
        )
        + suggestion(reference, builtin_names()),
    )
    problems.raise_if_any()
    raise AssertionError("unreachable")
