"""The seed's diagnosis and conditions as a scenario states them.

    diagnosis:                      # condition 1: a sharp diagnosis of weaknesses
      Meijel: weak                  # every domain in play
      Kessel: {hr: weak, taxes: 0.7}
      Helden: strong
    conditions:                     # true: met; false: not met; a condition not stated is unknown
      formalised: false
      quick_wins: false
      members:
        Helden: {trust: true}

A diagnosis sets a department's quality (a level by name or a figure from 0 to 1) where the
quality estimated from its size would otherwise be used. The conditions move each structure's
yearly failure rate by the factors of `inputs.defaults.CONDITIONS` (docs/model.md, "The risk that a
cooperation fails").
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from inputs import defaults, schema
from inputs.labels import says
from inputs.municipalities import Lookup, Once
from inputs.reader import Reader, as_number, kind_of
from inputs.types import Conditions, Municipality

CONDITION_KEYS = tuple(defaults.CONDITIONS)
LEVELS = tuple(defaults.DIAGNOSIS_LEVELS)


def _level(reader: Reader, value: Any, path: str) -> float | None:
    if isinstance(value, str) and value.strip() in defaults.DIAGNOSIS_LEVELS:
        return float(defaults.DIAGNOSIS_LEVELS[value.strip()].value)  # type: ignore[arg-type]
    levels = ", ".join(LEVELS)
    if as_number(value) is None:
        shown = f"'{value.strip()}'" if isinstance(value, str) else kind_of(value)
        reader.add(
            path,
            says(
                f"unknown diagnosis {shown}; expected {levels}, or a quality figure from 0 to 1",
                f"onbekende diagnose {shown}; verwacht {levels}, of een kwaliteitscijfer van 0 tot 1",
            ),
        )
        return None
    ok, number = reader.figure(value, path, schema.DIAGNOSIS)
    return float(number) if ok else None


def diagnosis(
    reader: Reader, value: Any, region: tuple[Municipality, ...], lookup: Lookup, domain_keys: list[str]
) -> tuple[Municipality, ...]:
    """The members with their diagnosed quality per domain (`Municipality.quality`)."""
    given: dict[str, dict[str, float]] = {}
    once = Once(reader, lookup, "diagnosis")
    for name, item in reader.mapping(value, "diagnosis", None).items():
        path = f"diagnosis.{name}"
        code = once.code(name, path)
        if isinstance(item, dict):
            levels: dict[str, float] = {}
            for domain, level in item.items():
                place = f"{path}.{domain}"
                if str(domain) not in domain_keys:
                    listed = ", ".join(domain_keys)
                    reader.add(
                        place,
                        says(
                            f"domain '{domain}' is not in play; expected one of: {listed}",
                            f"taakveld '{domain}' speelt niet mee; verwacht een van: {listed}",
                        ),
                    )
                    continue
                number = _level(reader, level, place)
                if number is not None:
                    levels[str(domain)] = number
        else:
            number = _level(reader, item, path)
            levels = dict.fromkeys(domain_keys, number) if number is not None else {}
        if code:
            given[code] = levels
    result = []
    for municipality in region:
        stated = given.get(municipality.code)
        if stated is None:
            result.append(municipality)
            continue
        twice = sorted(set(stated) & set(municipality.quality))
        if twice:
            reader.add(
                f"diagnosis.{municipality.name}",
                says(
                    f"the quality of {', '.join(twice)} is also given in the municipalities table; give it once",
                    f"de kwaliteit van {', '.join(twice)} staat ook in de tabel municipalities; geef haar één keer",
                ),
            )
        result.append(replace(municipality, quality={**municipality.quality, **stated}))
    return tuple(result)


def _stated(reader: Reader, value: Any, path: str) -> dict[str, bool]:
    stated: dict[str, bool] = {}
    for key, item in reader.mapping(value, path, CONDITION_KEYS).items():
        if isinstance(item, bool):
            stated[key] = item
        elif item is None or item == "unknown":
            continue  # unknown, as if not stated
        else:
            reader.add(
                f"{path}.{key}",
                says(
                    "expected true (met), false (not met) or unknown, got ",
                    "verwacht true (vervuld), false (niet vervuld) of unknown, kreeg ",
                )
                + kind_of(item),
            )
    return stated


def conditions(reader: Reader, value: Any, lookup: Lookup) -> Conditions:
    block = reader.mapping(value, "conditions", (*CONDITION_KEYS, "members"))
    members: dict[str, dict[str, bool]] = {}
    once = Once(reader, lookup, "conditions.members")
    for name, item in reader.mapping(block.pop("members", None), "conditions.members", None).items():
        path = f"conditions.members.{name}"
        code = once.code(name, path)
        stated = _stated(reader, item, path)
        if code:
            members[code] = stated
    return Conditions(region=_stated(reader, block, "conditions"), members=members)
