"""The figures of a scenario: domains, structures, economics, weights, limits and solver options.

Each value is checked against its declaration in `inputs.schema` and falls back to its default in
`inputs.defaults`; nothing about a figure's type or range is written here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from inputs import defaults, schema
from inputs.labels import says
from inputs.problems import suggestion
from inputs.reader import Reader
from inputs.types import DomainParams, Economics, Limits, SolverOptions, StructureParams, Weights


def _figures(
    reader: Reader, given: Any, path: str, specs: Mapping[str, schema.Spec], table: Mapping[str, defaults.Figure]
) -> dict[str, Any]:
    """Defaults of `table`, overridden by the checked values of `given` (a mapping of figure -> value)."""
    values = {key: figure.value for key, figure in table.items()}
    changeable = tuple(key for key, spec in specs.items() if not spec.fixed)
    if isinstance(given, dict) and path.startswith(("domains.", "structures.")):
        # studies written by `seta init` before display names moved to inputs.labels carry a label
        # per domain and structure; it names nothing seta uses any more
        given = {key: item for key, item in given.items() if key != "label"}
        for key in RETIRED.keys() & given.keys():
            reader.add(f"{path}.{key}", says(*RETIRED[key]))
            given.pop(key)
    for key, item in reader.mapping(given, path, changeable).items():
        ok, value = reader.figure(item, f"{path}.{key}", specs[key])
        if ok:
            values[key] = value
    return values


#: figures of earlier versions that the cost model no longer has, and what took their place
_SCALE = (
    "no longer a figure: the scale effect is the domain's cost curve (scale_inhabitants, core_fte)",
    "geen kengetal meer: het schaaleffect is de kostencurve van het taakveld (scale_inhabitants, core_fte)",
)
#: (English, Dutch)
RETIRED = {
    "workload_saving": _SCALE,
    "core_sharing": _SCALE,
    "disruption_eur": (
        "no longer a figure: a service standing empty costs cover_premium times its own cost",
        "geen kengetal meer: een taak die onbezet is, kost cover_premium maal haar eigen kosten",
    ),
}


def selection(reader: Reader, value: Any, kind: str, known: Mapping[str, Any]) -> dict[str, Any]:
    """`domains:` or `structures:` as a list of keys, or a mapping key -> overrides."""
    if value is None:  # the key is there with nothing after it
        reader.add(kind, _none_given(kind, known))
        return {}
    if isinstance(value, list):
        value = {str(item): {} for item in value}
    noun = says(kind.removesuffix("s"), {"domains": "bekend taakveld", "structures": "bekende vorm"}.get(kind, kind))
    chosen = {}
    for key, overrides in reader.mapping(value, kind, None).items():
        if key in known:
            chosen[key] = overrides
        else:
            reader.add(
                f"{kind}.{key}",
                says(f"unknown {noun} '{key}'; ", f"'{key}' is geen {noun}; ") + suggestion(key, known),
            )
    if isinstance(value, dict) and not value:
        reader.add(kind, _none_given(kind, known))
    return chosen


def domains(reader: Reader, value: Any) -> tuple[DomainParams, ...]:
    given = selection(reader, value, "domains", defaults.DOMAINS)
    return tuple(
        DomainParams(key=key, **_figures(reader, overrides, f"domains.{key}", schema.DOMAIN, defaults.DOMAINS[key]))
        for key, overrides in given.items()
    )


def structures(reader: Reader, value: Any) -> tuple[StructureParams, ...]:
    result = []
    for key, overrides in selection(reader, value, "structures", defaults.STRUCTURES).items():
        path = f"structures.{key}"
        values = _figures(reader, overrides, path, schema.STRUCTURE, defaults.STRUCTURES[key])
        for low_key, high_key in (("min_members", "max_members"), ("min_domains", "max_domains")):
            if values[low_key] > values[high_key]:
                low, high = values[low_key], values[high_key]
                reader.add(
                    path,
                    says(
                        f"{low_key} {low} is above {high_key} {high}", f"{low_key} {low} ligt boven {high_key} {high}"
                    ),
                )
        if values["scope"] == "all" and values["takes_front_line"] is False:
            reader.add(
                f"{path}.takes_front_line",
                says(
                    f"must stay true: {key} carries every domain in one body, front-line work included",
                    f"moet true blijven: {key} draagt elk taakveld in één organisatie, "
                    "het werk aan de balie inbegrepen",
                ),
            )
        if values["scope"] == "all" and isinstance(overrides, dict) and overrides.get("max_units_per_host") is not None:
            reader.add(
                f"{path}.max_units_per_host",
                says(
                    f"does not apply: {key} carries every domain in one body, so a host carries all its units "
                    "(limit the number of pools with limits.max_pools instead)",
                    f"is niet van toepassing: {key} draagt elk taakveld in één organisatie, dus een gastheer draagt "
                    "al zijn eenheden (begrens in plaats daarvan het aantal pools met limits.max_pools)",
                ),
            )
        result.append(StructureParams(key=key, **values))
    return tuple(result)


def economics(reader: Reader, value: Any) -> Economics:
    return Economics(**_figures(reader, value, "economics", schema.ECONOMICS, defaults.ECONOMICS))


def _none_given(kind: str, known: Mapping[str, Any]) -> str:
    listed = ", ".join(known)
    return says(
        f"no {kind} given (expected at least one of: {listed})", f"geen {kind} (verwacht minstens een van: {listed})"
    )


def weights(reader: Reader, value: Any) -> Weights:
    values = _figures(reader, value, "weights", schema.WEIGHTS, defaults.WEIGHTS)
    if all(v == 0 for v in values.values()):
        reader.add(
            "weights",
            says(
                "every weight is 0, so every configuration scores the same; give at least one weight",
                "elk gewicht is 0, dus elke configuratie scoort gelijk; geef minstens één gewicht",
            ),
        )
    return Weights(**values)


def limits(reader: Reader, value: Any) -> Limits:
    return Limits(**_figures(reader, value, "limits", schema.LIMITS, defaults.LIMITS))


def solver(reader: Reader, value: Any) -> SolverOptions:
    return SolverOptions(**_figures(reader, value, "solver", schema.SOLVER, defaults.SOLVER))
