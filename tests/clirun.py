"""Run the `seta` command in this process, as the tests do.

`seta solve` explains its answer by default (a few dozen re-solves); a test that is not about the
explanation runs the plain solve (`--no-explain`), so the suite stays fast. A test about it says
`--explain`.
"""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from cli.main import cli


def invoke(*args: str | Path) -> Result:
    words = [str(arg) for arg in args]
    if words[:1] == ["solve"] and not {"--explain", "--no-explain"} & set(words):
        words.append("--no-explain")
    return CliRunner().invoke(cli, words)
