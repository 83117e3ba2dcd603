"""The state of a workshop page (`seta serve`): what the room changed, as the page's URL says it,
applied to the scenario's document so the same checks as the command line validate it.

The URL carries only the controls below, never a key path or a file name: the page can change
who takes part, the domains and structures in play, the weights, three limits, who keeps what in
house and which pairs will not work together, and nothing else.

    out=GM0770,GM1728          these municipalities take no part (they keep every domain in house)
    keep=GM0823.enforcement    this municipality keeps this domain in house (several: commas)
    apart=GM0770-GM1728        this pair will not share a pool (several: commas)
    domains=hr,taxes           the domains in play (absent: the scenario's)
    structures=centre,ssc      the structures allowed (absent: the scenario's)
    cost=1&quality=0.3...      the weights
    max_matrix_units=5         limits (empty: no limit): max_matrix_units, max_travel_km, max_arrangements
    lang=nl                    the page's language
"""

from __future__ import annotations

import copy
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from inputs import defaults
from inputs.labels import says
from inputs.problems import Problems, suggestion
from inputs.yamlfile import parse_yaml

WEIGHTS = tuple(defaults.WEIGHTS)
LIMITS = ("max_matrix_units", "max_travel_km", "max_arrangements")
LISTS = ("out", "keep", "apart", "domains", "structures")
CONTROLS = (*LISTS, *WEIGHTS, *LIMITS, "lang")
LANGUAGES = ("en", "nl")


@dataclass(frozen=True)
class State:
    out: tuple[str, ...] = ()
    keep: tuple[tuple[str, str], ...] = ()
    apart: tuple[tuple[str, str], ...] = ()
    domains: tuple[str, ...] | None = None
    structures: tuple[str, ...] | None = None
    #: control -> the text the URL gives (checked as the scenario file would be)
    weights: Mapping[str, str] = field(default_factory=dict)
    limits: Mapping[str, str] = field(default_factory=dict)
    lang: str = "en"


def _items(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def _pairs(text: str, separator: str, control: str, expected: str, problems: Problems) -> list[tuple[str, str]]:
    """'a.b,c.d' -> [(a, b), (c, d)]; an item without both halves is placed at `URL, control`."""
    found = []
    for item in _items(text):
        first, sep, second = item.partition(separator)
        if not sep or not first or not second:
            problems.add(f"URL, {control}", says(f"'{item}' is not {expected}", f"'{item}' is geen {expected}"))
        else:
            found.append((first, second))
    return found


def parse_state(query: Mapping[str, Sequence[str]]) -> State:
    """The state in a URL's query (each control once); InputError placed at `URL, <control>`."""
    problems = Problems()
    values: dict[str, str] = {}
    for control, given in query.items():
        place = f"URL, {control}"
        if control not in CONTROLS:
            problems.add(place, says("unknown control; ", "onbekende instelling; ") + suggestion(control, CONTROLS))
        elif len(given) != 1:
            problems.add(
                place,
                says(f"given {len(given)} times (expected once)", f"{len(given)} keer gegeven (verwacht één keer)"),
            )
        else:
            values[control] = given[0]
    keep = _pairs(
        values.get("keep", ""),
        ".",
        "keep",
        says("MUNICIPALITY.DOMAIN (e.g. GM0823.enforcement)", "GEMEENTE.TAAKVELD (bijv. GM0823.enforcement)"),
        problems,
    )
    apart = _pairs(
        values.get("apart", ""),
        "-",
        "apart",
        says("MUNICIPALITY-MUNICIPALITY (e.g. GM0770-GM1728)", "GEMEENTE-GEMEENTE (bijv. GM0770-GM1728)"),
        problems,
    )
    lang = values.get("lang", "en")
    if lang not in LANGUAGES:
        problems.add(
            "URL, lang",
            says(
                f"'{lang}' is not a language here; expected en or nl", f"'{lang}' is hier geen taal; verwacht en of nl"
            ),
        )
    problems.raise_if_any()
    return State(
        out=tuple(_items(values.get("out", ""))),
        keep=tuple(keep),
        apart=tuple(apart),
        domains=tuple(_items(values["domains"])) if "domains" in values else None,
        structures=tuple(_items(values["structures"])) if "structures" in values else None,
        weights={k: values[k] for k in WEIGHTS if k in values},
        limits={k: values[k] for k in LIMITS if k in values},
        lang=lang,
    )


def _selected(section: Any, chosen: tuple[str, ...] | None) -> Any:
    """A `domains:` or `structures:` section (a list of keys or a mapping of keys to figures) with
    only the chosen keys, in the chosen order; keys new to it take seta's defaults."""
    if chosen is None:
        return section
    if isinstance(section, dict):
        return {key: section.get(key) or {} for key in chosen}
    return list(chosen)


def apply_state(document: dict[str, Any], state: State) -> dict[str, Any]:
    """A copy of the scenario document with the state applied; the result is validated as a file."""
    changed = copy.deepcopy(document)
    problems = Problems()
    if state.domains is not None:
        changed["domains"] = _selected(changed.get("domains", list(defaults.SEED_DOMAINS)), state.domains)
    if state.structures is not None:
        structures = changed.get("structures", list(defaults.DEFAULT_STRUCTURES))
        changed["structures"] = _selected(structures, state.structures)
    for group, given in (("weights", state.weights), ("limits", state.limits)):
        section = changed.get(group)
        section = dict(section) if isinstance(section, dict) else {}
        for key, text in given.items():
            section[key] = None if text.strip() == "" else parse_yaml(text, f"URL, {key}", problems)
        if given:
            changed[group] = section
    politics = changed.get("politics")
    politics = dict(politics) if isinstance(politics, dict) else {}
    exclude = politics.get("exclude")
    if isinstance(exclude, list):  # a list excludes every domain: the mapping form says so with None
        exclude = dict.fromkeys((str(name) for name in exclude), None)
    exclude = dict(exclude) if isinstance(exclude, dict) else {}
    for code in state.out:
        exclude[code] = "all"
    for code, domain in state.keep:
        if exclude.get(code) in (None, "all") and code in exclude:
            continue  # every domain stays in house already
        current = exclude.get(code) or []
        exclude[code] = [*current, domain] if domain not in current else current
    if exclude:
        politics["exclude"] = exclude
    if state.apart:
        pairs = list(politics.get("excluded_pairs") or [])
        politics["excluded_pairs"] = [*pairs, *([a, b] for a, b in state.apart)]
    if politics:
        changed["politics"] = politics
    problems.raise_if_any()
    return changed


def scenario_yaml(document: dict[str, Any], source: str) -> str:
    """The changed document as a scenario file that `seta solve` reads to the same answer."""
    header = (
        f"# Written by seta serve from {source}. Its tables (if any) are named relative to the original\n"
        "# scenario file: save this beside it. Solve it with: seta solve THIS_FILE\n"
    )
    return header + yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
