"""Data flows one way: inputs -> optimizer -> visuals; cli wires them (the design card)."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {"inputs": {"optimizer", "visuals", "cli"}, "optimizer": {"visuals", "cli"}, "visuals": {"cli"}}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


def test_packages_import_only_upstream() -> None:
    for package, forbidden in FORBIDDEN.items():
        for path in (ROOT / package).rglob("*.py"):
            wrong = _imports(path) & forbidden
            assert not wrong, f"{path.relative_to(ROOT)} imports {sorted(wrong)}"


def test_no_reference_to_the_shared_folder_at_run_time() -> None:
    for package in ("inputs", "optimizer", "cli", "visuals", "benchmarks"):
        for path in (ROOT / package).rglob("*.py"):
            assert "../shared" not in path.read_text(encoding="utf-8"), path


def _calls(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)}


def test_every_study_solves_through_solve_task() -> None:
    """Building and solving the pooling model, and the control of a solve, are written once
    (`optimizer.task.solve_task`): a study that builds and solves its own model drops the answer's
    check or the work limits without anyone noticing."""
    owners = {"build_model": {"task.py"}, "solve_model": {"task.py"}}
    for path in sorted((ROOT / "optimizer").rglob("*.py")):
        calls = _calls(path)
        for function, allowed in owners.items():
            assert function not in calls or path.name in allowed, f"{path.relative_to(ROOT)} calls {function}"
        text = path.read_text(encoding="utf-8")
        assert "Control.within(" not in text or path.name in {"task.py", "control.py"}, path.relative_to(ROOT)
