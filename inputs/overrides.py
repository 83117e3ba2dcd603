"""`--set key.path=value`: changes on top of a scenario document, before it is validated.

The value is read as YAML, so `--set weights.quality=0.5` gives a number and `--set "domains=[hr,
taxes]"` a list; the changed document then goes through the same checks as a file.
"""

from __future__ import annotations

from typing import Any

from inputs import defaults
from inputs.labels import says
from inputs.problems import Problems
from inputs.yamlfile import parse_yaml

#: what a scenario without the key has in play (inputs.loader's defaults)
IMPLIED = {"domains": defaults.SEED_DOMAINS, "structures": defaults.DEFAULT_STRUCTURES}


def apply_overrides(document: dict[str, Any], overrides: list[str] | tuple[str, ...]) -> dict[str, Any]:
    problems = Problems()
    for override in overrides:
        path, sep, text = override.partition("=")
        shown = override if len(override) <= 80 else f"{override[:60]}... ({len(override):,} characters)"
        if not sep or not path.strip():
            problems.add(
                f"--set {shown}",
                says(
                    "expected KEY=VALUE, e.g. weights.quality=0.5 or limits.max_pools=3",
                    "verwacht SLEUTEL=WAARDE, bijv. weights.quality=0.5 of limits.max_pools=3",
                ),
            )
            continue
        value = parse_yaml(text, f"--set {shown}", problems)
        keys = path.strip().split(".")
        target = document
        for key in keys[:-1]:
            child = target.get(key)
            if child is None and target is document and key in IMPLIED:
                child = list(IMPLIED[key])  # `domains.taxes.core_fte=1` keeps the domains in play
            if isinstance(child, list) and key in ("domains", "structures"):
                child = {str(item): {} for item in child}  # a list of keys becomes a mapping to override
            if not isinstance(child, dict):
                child = {}
            target[key] = child
            target = child
        target[keys[-1]] = value
    problems.raise_if_any()
    return document
