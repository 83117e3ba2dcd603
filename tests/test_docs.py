"""The documentation states the defaults the code uses."""

from __future__ import annotations

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _render_defaults() -> str:
    spec = importlib.util.spec_from_file_location("defaults_table", ROOT / "tools" / "defaults_table.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return str(module.render())


def test_model_doc_lists_the_defaults_of_the_code() -> None:
    text = (ROOT / "docs" / "model.md").read_text(encoding="utf-8")
    section = text.split("<!-- DEFAULTS:BEGIN -->\n", 1)[1].split("<!-- DEFAULTS:END -->", 1)[0]
    assert section == _render_defaults(), "docs/model.md is stale: run python tools/defaults_table.py"


def test_every_default_has_a_source() -> None:
    from inputs import defaults

    tables = [*defaults.DOMAINS.values(), *defaults.STRUCTURES.values()]
    tables += [defaults.ECONOMICS, defaults.WEIGHTS, defaults.LIMITS, defaults.SOLVER]
    for table in tables:
        for name, figure in table.items():
            assert figure.source.strip(), name
