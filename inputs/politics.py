"""Politics: who keeps what in house, who must pool, pairs that will or will not work together, and
how willing each municipality is (autonomy loss counts 1 / willingness times)."""

from __future__ import annotations

from typing import Any

from inputs import schema
from inputs.keys import BadKey, Key, parse_key
from inputs.labels import says
from inputs.municipalities import Lookup, Once, resolve
from inputs.problems import suggestion
from inputs.reader import Reader, kind_of
from inputs.types import ForcedPair, Politics, pair

POLITICS_KEYS = ("exclude", "force", "excluded_pairs", "forced_pairs", "willingness", "participation")


def domain_list(reader: Reader, value: Any, path: str, domain_keys: list[str]) -> frozenset[str]:
    """A list of domains, or every domain in play for `all` or nothing."""
    if value is None or value == "all":
        return frozenset(domain_keys)
    chosen = set()
    for index, item in enumerate(reader.names(value, path)):
        if item not in domain_keys:
            reader.add(
                f"{path}[{index}]",
                says(f"unknown domain '{item}'; ", f"onbekend taakveld '{item}'; ") + suggestion(item, domain_keys),
            )
        else:
            chosen.add(item)
    return frozenset(chosen)


def _code_domains(
    reader: Reader, value: Any, path: str, lookup: Lookup, domain_keys: list[str]
) -> dict[str, frozenset[str]]:
    """`[a, b]` (all domains) or `{a: [domains], b: all}`."""
    result: dict[str, frozenset[str]] = {}
    if value is None:
        return result
    items: list[tuple[str, Any]]
    if isinstance(value, list):
        items = [(str(v), None) for v in value]
    elif isinstance(value, dict):
        items = [(str(k), v) for k, v in value.items()]
    else:
        reader.add(
            path,
            says(
                "expected a list of municipalities or a mapping to domains, got ",
                "verwacht een lijst van gemeenten of een mapping naar taakvelden, kreeg ",
            )
            + kind_of(value),
        )
        return result
    once = Once(reader, lookup, path)
    for name, domains in items:
        code = once.code(name, f"{path}.{name}")
        if code:
            result[code] = domain_list(reader, domains, f"{path}.{name}", domain_keys)
    return result


def _pair_codes(reader: Reader, item: Any, path: str, lookup: Lookup) -> tuple[str, str] | None:
    if not isinstance(item, list) or len(item) != 2:
        reader.add(
            path,
            says("expected a pair of two municipalities, got ", "verwacht een paar van twee gemeenten, kreeg ")
            + kind_of(item),
        )
        return None
    a = resolve(reader, lookup, str(item[0]), reader.place(path))
    b = resolve(reader, lookup, str(item[1]), reader.place(path))
    if a and b and a == b:
        reader.add(path, says("a pair of a municipality with itself", "een paar van een gemeente met zichzelf"))
        return None
    return (a, b) if a and b else None


def participation(reader: Reader, value: Any) -> Key | None:
    """`{key: use}` (or just `use`): nobody pays more for a pool, under that key, than alone."""
    if value is None:
        return None
    path = "politics.participation"
    if isinstance(value, dict):
        value = reader.mapping(value, path, ("key",)).get("key")
        path += ".key"
        if value is None:
            reader.add(
                path,
                says(
                    "missing; expected a cost-sharing key such as use or inhabitants",
                    "ontbreekt; verwacht een verdeelsleutel zoals use of inhabitants",
                ),
            )
            return None
    if not isinstance(value, str):
        reader.add(
            path,
            says(
                "expected a cost-sharing key such as use or inhabitants, got ",
                "verwacht een verdeelsleutel zoals use of inhabitants, kreeg ",
            )
            + kind_of(value),
        )
        return None
    try:
        return parse_key(value)
    except BadKey as error:
        reader.add(path, str(error))
        return None


def politics(
    reader: Reader, value: Any, lookup: Lookup, domain_keys: list[str], table_excluded: frozenset[tuple[str, str]]
) -> Politics:
    section = reader.mapping(value, "politics", POLITICS_KEYS)
    excluded = _code_domains(reader, section.get("exclude"), "politics.exclude", lookup, domain_keys)
    forced = _code_domains(reader, section.get("force"), "politics.force", lookup, domain_keys)
    excluded_pairs = set(table_excluded)
    for index, item in enumerate(reader.items(section.get("excluded_pairs"), "politics.excluded_pairs")):
        codes = _pair_codes(reader, item, f"politics.excluded_pairs[{index}]", lookup)
        if codes:
            excluded_pairs.add(pair(*codes))
    forced_pairs = []
    for index, item in enumerate(reader.items(section.get("forced_pairs"), "politics.forced_pairs")):
        path = f"politics.forced_pairs[{index}]"
        domains: Any = None
        if isinstance(item, dict):
            entry = reader.mapping(item, path, ("members", "domains"))
            item, domains = entry.get("members"), entry.get("domains")
        codes = _pair_codes(reader, item, path, lookup)
        if codes:
            chosen = domain_list(reader, domains, f"{path}.domains", domain_keys)
            forced_pairs.append(ForcedPair(codes[0], codes[1], tuple(sorted(chosen))))
    willingness: dict[str, float] = {}
    once = Once(reader, lookup, "politics.willingness")
    for name, item in reader.mapping(section.get("willingness"), "politics.willingness", None).items():
        path = f"politics.willingness.{name}"
        code = once.code(name, path)
        ok, number = reader.figure(item, path, schema.WILLINGNESS)
        if code and ok:
            willingness[code] = number
    return Politics(
        participation=participation(reader, section.get("participation")),
        excluded=excluded,
        forced=forced,
        excluded_pairs=frozenset(excluded_pairs),
        forced_pairs=tuple(forced_pairs),
        willingness=willingness,
    )
