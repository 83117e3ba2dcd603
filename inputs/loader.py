"""Reads a scenario YAML file (and the tables it names) into a validated `Scenario`.

Every problem is collected and reported at once, each with its place: the file, the key path
(``domains.taxes.core_fte``) or the table row, what is wrong and what is expected.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from inputs import datasets, defaults
from inputs.problems import Problems, suggestion
from inputs.tables import Table, read_csv, read_sheet
from inputs.types import (
    DomainParams,
    Economics,
    ForcedPair,
    Limits,
    Municipality,
    Politics,
    Provider,
    Scenario,
    SolverOptions,
    StructureParams,
    Weights,
    pair,
)

TOP_KEYS = (
    "name",
    "description",
    "municipalities",
    "tables",
    "domains",
    "structures",
    "providers",
    "limits",
    "politics",
    "weights",
    "economics",
    "solver",
)
MUNICIPALITY_KEYS = ("dataset", "members", "table")
TABLE_KEYS = ("workbook", "municipalities", "adjacency", "ties", "excluded_pairs")
POLITICS_KEYS = ("exclude", "force", "excluded_pairs", "forced_pairs", "willingness")
PROVIDER_KEYS = (
    "name",
    "lat",
    "lon",
    "domains",
    "structures",
    "price_factor",
    "quality",
    "capacity_fte",
)
MUNICIPALITY_COLUMNS = ("code", "name", "population", "lat", "lon")
OPTIONAL_MUNICIPALITY_COLUMNS = (
    "province",
    "existing_arrangements",
    "population_estimated",
    "population_source",
    "notes",
)
PAIR_COLUMNS = ("code_a", "code_b")
OPTIONAL_PAIR_COLUMNS = ("shared_border_km", "notes")


#: built-in studies of the whole country: benchmarked (benchmarks/), solved to a gap, not in the test loop
NATIONAL = ("nl-2024",)


def regional_names() -> list[str]:
    """The built-in scenarios of the seed's case regions (every one solves to optimal in seconds)."""
    return [name for name in builtin_names() if name not in NATIONAL]


def builtin_names() -> list[str]:
    folder = resources.files("inputs").joinpath("scenarios")
    return sorted(p.name.removesuffix(".yaml") for p in folder.iterdir() if p.name.endswith(".yaml"))


def builtin_path(name: str) -> Path:
    return Path(str(resources.files("inputs").joinpath("scenarios", f"{name}.yaml")))


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
        f"no such file and no built-in scenario of that name; {suggestion(reference, builtin_names())}",
    )
    problems.raise_if_any()
    raise AssertionError("unreachable")


def apply_overrides(document: dict[str, Any], overrides: list[str] | tuple[str, ...]) -> dict[str, Any]:
    """`key.path=value` settings (value read as YAML) on top of a scenario document, as `--set` gives."""
    problems = Problems()
    for override in overrides:
        path, sep, text = override.partition("=")
        if not sep or not path.strip():
            problems.add(f"--set {override}", "expected KEY=VALUE, e.g. weights.quality=0.5 or limits.max_pools=3")
            continue
        try:
            value = yaml.safe_load(text)
        except yaml.YAMLError:
            problems.add(f"--set {override}", f"the value '{text}' is not valid YAML")
            continue
        keys = path.strip().split(".")
        target = document
        for key in keys[:-1]:
            child = target.get(key)
            if isinstance(child, list) and key in ("domains", "structures"):
                child = {str(item): {} for item in child}  # a list of keys becomes a mapping to override
            if not isinstance(child, dict):
                child = {}
            target[key] = child
            target = child
        target[keys[-1]] = value
    problems.raise_if_any()
    return document


def load_scenario(reference: str, overrides: list[str] | tuple[str, ...] = ()) -> Scenario:
    """Load a scenario from a YAML path or a built-in name, with optional `key.path=value` overrides;
    raises `InputError` on any problem."""
    path = resolve_reference(reference)
    problems = Problems()
    label = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.add(str(path), "file not found (expected a scenario YAML file)")
        problems.raise_if_any()
        raise
    try:
        document = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        reason = getattr(error, "problem", None) or str(error)
        problems.add(f"{label}{where}", f"not valid YAML: {reason}")
        problems.raise_if_any()
    if not isinstance(document, dict):
        problems.add(label, "expected a mapping of keys (name, municipalities, domains, ...)")
        problems.raise_if_any()
    source = str(path) if path.parent != builtin_path("x").parent else path.stem
    if overrides:
        document = apply_overrides(document, overrides)
    return parse_scenario(document, label, path.parent, source)


class _Reader:
    """Typed access to a YAML mapping that records problems with their key path."""

    def __init__(self, problems: Problems, label: str) -> None:
        self.problems = problems
        self.label = label

    def place(self, path: str) -> str:
        return f"{self.label}, {path}" if path else self.label

    def mapping(self, value: Any, path: str, valid: tuple[str, ...] | None) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problems.add(self.place(path), f"expected a mapping, got {_kind(value)}")
            return {}
        result = {}
        for key, item in value.items():
            key_text = str(key)
            if valid is not None and key_text not in valid:
                self.problems.add(
                    self.place(f"{path}.{key_text}" if path else key_text),
                    f"unknown key; {suggestion(key_text, valid)}",
                )
                continue
            result[key_text] = item
        return result

    def number(
        self,
        value: Any,
        path: str,
        *,
        low: float | None = None,
        high: float | None = None,
        integer: bool = False,
        optional: bool = False,
        low_open: bool = False,
    ) -> float | None:
        if value is None and optional:
            return None
        what = "a whole number" if integer else "a number"
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            self.problems.add(self.place(path), f"'{value}' is not {what} (expected {what}{_range(low, high)})")
            return None
        if integer and value != int(value):
            self.problems.add(self.place(path), f"{value} is not a whole number")
            return None
        if (low is not None and (value <= low if low_open else value < low)) or (high is not None and value > high):
            self.problems.add(
                self.place(path), f"{value} is out of range (expected {what}{_range(low, high, low_open)})"
            )
            return None
        return float(value) if not integer else int(value)

    def text(self, value: Any, path: str) -> str | None:
        if not isinstance(value, str) or not value.strip():
            self.problems.add(self.place(path), f"expected a text, got {_kind(value)}")
            return None
        return value.strip()

    def flag(self, value: Any, path: str) -> bool | None:
        if not isinstance(value, bool):
            self.problems.add(self.place(path), f"expected true or false, got {_kind(value)}")
            return None
        return value

    def names(self, value: Any, path: str) -> list[str]:
        if isinstance(value, str):
            return [value]
        if not isinstance(value, list) or not all(isinstance(v, str | int) for v in value):
            self.problems.add(self.place(path), f"expected a list of names, got {_kind(value)}")
            return []
        return [str(v) for v in value]


def _kind(value: Any) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, str):
        return f"the text '{value}'"
    if isinstance(value, bool):
        return f"'{str(value).lower()}'"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _range(low: float | None, high: float | None, low_open: bool = False) -> str:
    if low is not None and high is not None:
        return f" from {low:g} to {high:g}"
    if low is not None:
        return f" above {low:g}" if low_open else f" of at least {low:g}"
    if high is not None:
        return f" of at most {high:g}"
    return ""


# Ranges of the overridable figures: key -> (low, high, integer, optional, low_open)
_DOMAIN_RANGES: dict[str, tuple[float | None, float | None, bool, bool, bool]] = {
    "fte_per_1000": (0, None, False, False, False),
    "core_fte": (0, None, False, False, False),
    "cost_per_fte": (0, None, False, False, False),
    "critical_mass_fte": (0, None, False, False, True),
    "location_bound": (0, 1, False, False, False),
    "absence_share": (0, 0.9, False, False, True),
    "disruption_eur": (0, None, False, False, False),
}
_STRUCTURE_RANGES: dict[str, tuple[float | None, float | None, bool, bool, bool]] = {
    "min_members": (2, None, True, False, False),
    "max_members": (2, None, True, False, False),
    "min_domains": (1, None, True, False, False),
    "max_domains": (1, None, True, False, False),
    "max_units_per_host": (1, None, True, True, False),
    "workload_saving": (0, 0.9, False, False, False),
    "core_sharing": (0, 1, False, False, False),
    "quality_share": (0, 1, False, False, False),
    "autonomy_loss": (0, None, False, False, False),
}
_STRUCTURE_FLAGS = ("transfers_staff", "uses_host_capacity")
_STRUCTURE_FIXED = ("scope",)


def _params(
    reader: _Reader,
    kind: str,
    key: str,
    overrides: Any,
    table: dict[str, defaults.Figure],
) -> dict[str, Any]:
    values = {name: figure.value for name, figure in table.items()}
    valid = tuple(name for name in table if name not in _STRUCTURE_FIXED)
    given = reader.mapping(overrides, f"{kind}.{key}", valid)
    ranges = _DOMAIN_RANGES if kind == "domains" else _STRUCTURE_RANGES
    for name, value in given.items():
        path = f"{kind}.{key}.{name}"
        if name == "label":
            values[name] = reader.text(value, path) or values[name]
        elif name in _STRUCTURE_FLAGS:
            flag = reader.flag(value, path)
            values[name] = values[name] if flag is None else flag
        else:
            low, high, integer, optional, low_open = ranges.get(name, (0, None, False, False, False))
            number = reader.number(
                value, path, low=low, high=high, integer=integer, optional=optional, low_open=low_open
            )
            if number is not None or (optional and value is None):
                values[name] = number
    return values


def _selection(reader: _Reader, value: Any, kind: str, table: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """`domains:`/`structures:` as a list of keys or a mapping key -> overrides."""
    if isinstance(value, list):
        value = {str(item): {} for item in value}
    noun = kind.removesuffix("s")
    chosen = {}
    for key, overrides in reader.mapping(value, kind, None).items():
        if key in table:
            chosen[key] = overrides
        else:
            reader.problems.add(reader.place(f"{kind}.{key}"), f"unknown {noun} '{key}'; {suggestion(key, table)}")
    if value is not None and isinstance(value, dict | list) and not value:
        reader.problems.add(reader.place(kind), f"no {kind} given (expected at least one of: {', '.join(table)})")
    return chosen


def parse_scenario(document: dict[str, Any], label: str, folder: Path, source: str) -> Scenario:
    problems = Problems()
    reader = _Reader(problems, label)
    top = reader.mapping(document, "", TOP_KEYS)
    name = reader.text(top.get("name", Path(label).stem), "name") or Path(label).stem
    description = str(top.get("description") or "")

    # Domains and structures first: the tables' per-domain columns are checked against them.
    domain_given = _selection(reader, top.get("domains", list(defaults.SEED_DOMAINS)), "domains", defaults.DOMAINS)
    domains = tuple(
        DomainParams(key=key, **_params(reader, "domains", key, overrides, defaults.DOMAINS[key]))
        for key, overrides in domain_given.items()
    )
    structure_given = _selection(
        reader, top.get("structures", list(defaults.STRUCTURES)), "structures", defaults.STRUCTURES
    )
    structures = []
    for key, overrides in structure_given.items():
        values = _params(reader, "structures", key, overrides, defaults.STRUCTURES[key])
        for low_key, high_key in (("min_members", "max_members"), ("min_domains", "max_domains")):
            if values[low_key] is not None and values[high_key] is not None and values[low_key] > values[high_key]:
                problems.add(
                    reader.place(f"structures.{key}"),
                    f"{low_key} {values[low_key]} is above {high_key} {values[high_key]}",
                )
        structures.append(StructureParams(key=key, **values))
    domain_keys = [d.key for d in domains]

    tables = reader.mapping(top.get("tables"), "tables", TABLE_KEYS)
    municipalities, dataset = _municipalities(reader, top.get("municipalities"), tables, folder, domain_keys)
    codes = {m.code: m for m in municipalities}
    lookup = _lookup(municipalities)

    adjacency: frozenset[tuple[str, str]] = frozenset()
    if dataset:
        adjacency = frozenset(p for p in datasets.adjacency(dataset) if p[0] in codes and p[1] in codes)
    if "adjacency" in tables or "workbook" in tables:
        extra = _pairs(reader, tables, folder, "adjacency", lookup)
        adjacency = adjacency | extra if extra is not None else adjacency
    ties = _pairs(reader, tables, folder, "ties", lookup) or frozenset()
    table_excluded = _pairs(reader, tables, folder, "excluded_pairs", lookup) or frozenset()

    politics = _politics(reader, top.get("politics"), lookup, domain_keys, table_excluded)
    providers = _providers(reader, top.get("providers"), domain_keys, structures)
    limits = Limits(
        **_section(
            reader,
            top.get("limits"),
            "limits",
            defaults.LIMITS,
            {
                "max_travel_km": (0, None, False, True, True),
                "host_capacity_factor": (0, None, False, True, False),
                "max_arrangements": (0, None, True, True, False),
                "max_matrix_units": (0, None, True, True, False),
                "max_pools": (0, None, True, True, False),
            },
        )
    )
    weights = Weights(
        **_section(
            reader,
            top.get("weights"),
            "weights",
            defaults.WEIGHTS,
            {key: (0, None, False, False, False) for key in defaults.WEIGHTS},
        )
    )
    economics = Economics(
        **_section(
            reader,
            top.get("economics"),
            "economics",
            defaults.ECONOMICS,
            {
                "horizon_years": (0, None, False, False, True),
                "travel_eur_per_fte_km": (0, None, False, False, False),
                "detour_factor": (1, None, False, False, False),
                "autonomy_eur": (0, None, False, False, False),
                "tie_discount": (0, 1, False, False, False),
                "existing_arrangements": (0, None, True, False, False),
            },
        )
    )
    solver = _solver(reader, top.get("solver"))
    problems.raise_if_any()
    return Scenario(
        name=name,
        description=description.strip(),
        dataset=dataset,
        municipalities=tuple(municipalities),
        adjacency=adjacency,
        ties=ties,
        domains=domains,
        structures=tuple(structures),
        providers=tuple(providers),
        politics=politics,
        limits=limits,
        weights=weights,
        economics=economics,
        solver=solver,
        source=source,
    )


def _section(
    reader: _Reader,
    value: Any,
    path: str,
    table: dict[str, defaults.Figure],
    ranges: dict[str, tuple[float | None, float | None, bool, bool, bool]],
) -> dict[str, Any]:
    values: dict[str, Any] = {key: figure.value for key, figure in table.items()}
    for key, item in reader.mapping(value, path, tuple(table)).items():
        low, high, integer, optional, low_open = ranges[key]
        number = reader.number(
            item, f"{path}.{key}", low=low, high=high, integer=integer, optional=optional, low_open=low_open
        )
        if number is not None or (optional and item is None):
            values[key] = number
    return values


def _solver(reader: _Reader, value: Any) -> SolverOptions:
    values: dict[str, Any] = defaults.values(defaults.SOLVER)
    for key, item in reader.mapping(value, "solver", tuple(defaults.SOLVER)).items():
        path = f"solver.{key}"
        choices = {
            "name": ("highs", "cbc"),
            "formulation": ("auto", "radius", "textbook"),
            "decompose": ("none", "province"),
        }
        if key in choices:
            if item not in choices[key]:
                reader.problems.add(
                    reader.place(path), f"unknown {key} '{item}'; expected one of: {', '.join(choices[key])}"
                )
            else:
                values[key] = item
            continue
        limits = {
            "time_limit": (0, None, False),
            "gap": (0, 1, False),
            "threads": (1, 64, True),
            "seed": (0, None, True),
        }
        low, high, integer = limits[key]
        number = reader.number(item, path, low=low, high=high, integer=integer, low_open=key == "time_limit")
        if number is not None:
            values[key] = number
    return SolverOptions(**values)


def _table(reader: _Reader, tables: dict[str, Any], folder: Path, key: str, explicit: Any = None) -> Table | None:
    """The table named `key`: an explicit CSV path, else the sheet of that name in the workbook."""
    target = explicit if explicit is not None else tables.get(key)
    if target is not None:
        if not isinstance(target, str):
            reader.problems.add(reader.place(f"tables.{key}"), f"expected a file name, got {_kind(target)}")
            return None
        path = folder / target
        if path.suffix.lower() == ".xlsx":
            return read_sheet(path, key, f"{target}, sheet {key}", reader.problems)
        return read_csv(path, target, reader.problems)
    workbook = tables.get("workbook")
    if isinstance(workbook, str):
        path = folder / workbook
        if key == "municipalities" or _has_sheet(path, key):
            return read_sheet(path, key, f"{workbook}, sheet {key}", reader.problems)
    return None


def _has_sheet(path: Path, sheet: str) -> bool:
    import openpyxl

    try:
        workbook = openpyxl.load_workbook(path, read_only=True)
    except Exception:
        return False
    present = sheet in workbook.sheetnames
    workbook.close()
    return present


def _check_columns(reader: _Reader, table: Table, required: tuple[str, ...], optional: tuple[str, ...]) -> bool:
    missing = [c for c in required if c not in table.columns]
    for column in missing:
        reader.problems.add(table.place, f"missing column '{column}' (expected columns: {', '.join(required)})")
    for column in table.columns:
        if column not in required and column not in optional:
            reader.problems.add(table.place, f"unknown column '{column}'; {suggestion(column, (*required, *optional))}")
    return not missing


def _municipalities(
    reader: _Reader,
    value: Any,
    tables: dict[str, Any],
    folder: Path,
    domain_keys: list[str],
) -> tuple[list[Municipality], str | None]:
    section = reader.mapping(value, "municipalities", MUNICIPALITY_KEYS)
    if value is None and "workbook" not in tables:
        reader.problems.add(
            reader.place("municipalities"),
            "missing (expected a dataset with members, a table, or a workbook with a municipalities sheet)",
        )
        return [], None
    dataset = section.get("dataset")
    if dataset is not None and dataset not in datasets.DATASETS:
        reader.problems.add(
            reader.place("municipalities.dataset"),
            f"unknown dataset '{dataset}'; {suggestion(str(dataset), datasets.DATASETS)}",
        )
        return [], None
    table_given = section.get("table") is not None or "workbook" in tables
    table = _table(reader, tables, folder, "municipalities", section.get("table"))
    result: list[Municipality] = []
    if dataset is not None:
        known = datasets.municipalities(dataset)
        lookup = _lookup(list(known.values()))
        given = section.get("members", [])
        if given == "all":  # a national study: every municipality of the dataset
            given = list(known)
        members = reader.names(given, "municipalities.members")
        seen: set[str] = set()
        for index, member in enumerate(members):
            place = reader.place(f"municipalities.members[{index}]")
            code = lookup.get(member.casefold())
            if code is None:
                reader.problems.add(
                    place,
                    f"unknown municipality '{member}' in dataset {dataset}; "
                    f"{suggestion(member, [m.name for m in known.values()])}",
                )
            elif code in seen:
                reader.problems.add(place, f"duplicate municipality '{member}' ({code})")
            else:
                seen.add(code)
                result.append(known[code])
        if table is not None:
            result = _enrich(reader, table, result, domain_keys)
    elif table is not None:
        result = _table_municipalities(reader, table, domain_keys)
    elif not table_given:
        reader.problems.add(
            reader.place("municipalities"),
            "expected `dataset` with `members`, or `table` (or a workbook with a municipalities sheet)",
        )
    if not reader.problems and len(result) < 2:
        place = table.place if table is not None and dataset is None else reader.place("municipalities")
        reader.problems.add(
            place,
            f"empty region: {len(result)} municipalit{'y' if len(result) == 1 else 'ies'} "
            "(expected at least 2 to pool anything)",
        )
    return result, dataset


def _domain_columns() -> tuple[str, ...]:
    """fte_<domain> and quality_<domain> for every known domain (those not in play are ignored)."""
    return tuple(f"{prefix}_{key}" for key in defaults.DOMAINS for prefix in ("fte", "quality"))


def _per_domain(
    reader: _Reader, table: Table, number: int, row: dict[str, str], domain_keys: list[str]
) -> tuple[dict[str, float], dict[str, float]]:
    fte: dict[str, float] = {}
    quality: dict[str, float] = {}
    for column, text in row.items():
        if not text or "_" not in column:
            continue
        prefix, _, key = column.partition("_")
        if prefix not in ("fte", "quality") or key not in defaults.DOMAINS:
            continue
        high = 1.0 if prefix == "quality" else None
        value = _cell_number(reader, table, number, column, text, low=0.0, high=high)
        if value is not None and key in domain_keys:
            (fte if prefix == "fte" else quality)[key] = value
    return fte, quality


def _cell_number(
    reader: _Reader,
    table: Table,
    number: int,
    column: str,
    text: str,
    *,
    low: float | None = None,
    high: float | None = None,
    integer: bool = False,
    expected: str | None = None,
) -> float | None:
    place = f"{table.place}, row {number}"
    what = expected or ("a whole number" if integer else "a number")
    try:
        value = float(text.replace(",", ".")) if not integer else float(text)
    except ValueError:
        reader.problems.add(place, f"{column} '{text}' is not a number (expected {what})")
        return None
    if not math.isfinite(value) or (integer and not value.is_integer()):
        reader.problems.add(place, f"{column} '{text}' is not {what.split(' of ')[0]} (expected {what})")
        return None
    if (low is not None and value < low) or (high is not None and value > high):
        reader.problems.add(place, f"{column} {text} is out of range (expected {what}{_range(low, high)})")
        return None
    return value


def _table_municipalities(reader: _Reader, table: Table, domain_keys: list[str]) -> list[Municipality]:
    if not _check_columns(reader, table, MUNICIPALITY_COLUMNS, OPTIONAL_MUNICIPALITY_COLUMNS + _domain_columns()):
        return []
    result = []
    seen: dict[str, int] = {}
    for number, row in table.rows:
        place = f"{table.place}, row {number}"
        code = row.get("code", "")
        name = row.get("name", "")
        if not code:
            reader.problems.add(place, "empty code (expected a municipality code such as GM0770)")
            continue
        if code in seen:
            reader.problems.add(place, f"duplicate code '{code}' (first on row {seen[code]})")
            continue
        seen[code] = number
        population = _cell_number(
            reader,
            table,
            number,
            "population",
            row.get("population", ""),
            low=0,
            integer=True,
            expected="a whole number of inhabitants",
        )
        lat = _cell_number(
            reader, table, number, "lat", row.get("lat", ""), low=-90, high=90, expected="degrees latitude"
        )
        lon = _cell_number(
            reader, table, number, "lon", row.get("lon", ""), low=-180, high=180, expected="degrees longitude"
        )
        arrangements = None
        if row.get("existing_arrangements"):
            value = _cell_number(
                reader, table, number, "existing_arrangements", row["existing_arrangements"], low=0, integer=True
            )
            arrangements = None if value is None else int(value)
        fte, quality = _per_domain(reader, table, number, row, domain_keys)
        if population is None or lat is None or lon is None:
            continue
        result.append(
            Municipality(
                code=code,
                name=name or code,
                population=int(population),
                lat=lat,
                lon=lon,
                province=row.get("province", ""),
                population_estimated=row.get("population_estimated", "").lower() == "true",
                fte=fte,
                quality=quality,
                existing_arrangements=arrangements,
            )
        )
    return result


def _enrich(reader: _Reader, table: Table, members: list[Municipality], domain_keys: list[str]) -> list[Municipality]:
    """A table next to a dataset adds per-domain FTE, quality or arrangements to the members."""
    optional = (*MUNICIPALITY_COLUMNS[1:], *OPTIONAL_MUNICIPALITY_COLUMNS, *_domain_columns())
    if not _check_columns(reader, table, ("code",), optional):
        return members
    by_code = {m.code: m for m in members}
    for number, row in table.rows:
        code = row.get("code", "")
        if code not in by_code:
            reader.problems.add(
                f"{table.place}, row {number}", f"unknown municipality '{code}' (not among the members)"
            )
            continue
        fte, quality = _per_domain(reader, table, number, row, domain_keys)
        base = by_code[code]
        arrangements = base.existing_arrangements
        if row.get("existing_arrangements"):
            value = _cell_number(
                reader, table, number, "existing_arrangements", row["existing_arrangements"], low=0, integer=True
            )
            arrangements = arrangements if value is None else int(value)
        by_code[code] = Municipality(
            **{**base.__dict__, "fte": fte, "quality": quality, "existing_arrangements": arrangements}
        )
    return [by_code[m.code] for m in members]


class _Lookup(dict[str, str]):
    """Casefolded code or name -> code, keeping the names as written for suggestions."""

    names: list[str]


def _lookup(municipalities: list[Municipality]) -> _Lookup:
    """Casefolded code or name -> code."""
    lookup = _Lookup()
    for m in municipalities:
        lookup[m.name.casefold()] = m.code
    for m in municipalities:
        lookup[m.code.casefold()] = m.code
    lookup.names = [m.name for m in municipalities]
    return lookup


def _resolve(reader: _Reader, lookup: _Lookup, name: str, place: str) -> str | None:
    code = lookup.get(str(name).casefold())
    if code is None:
        by_folded = {n.casefold(): n for n in lookup.names}
        hint = suggestion(str(name).casefold(), by_folded)
        for folded, written in by_folded.items():
            hint = hint.replace(f"'{folded}'", f"'{written}'")
        if hint.startswith("expected one of"):
            hint = "expected one of: " + ", ".join(sorted(lookup.names))
        reader.problems.add(place, f"unknown municipality '{name}' (not in the region); {hint}")
    return code


def _pairs(
    reader: _Reader, tables: dict[str, Any], folder: Path, key: str, lookup: _Lookup
) -> frozenset[tuple[str, str]] | None:
    table = _table(reader, tables, folder, key)
    if table is None:
        return None
    if not _check_columns(reader, table, PAIR_COLUMNS, OPTIONAL_PAIR_COLUMNS):
        return None
    result = set()
    for number, row in table.rows:
        place = f"{table.place}, row {number}"
        a = _resolve(reader, lookup, row.get("code_a", ""), place)
        b = _resolve(reader, lookup, row.get("code_b", ""), place)
        if a and b:
            if a == b:
                reader.problems.add(place, f"a pair of '{a}' with itself (expected two different municipalities)")
            else:
                result.add(pair(a, b))
    return frozenset(result)


def _domain_list(reader: _Reader, value: Any, path: str, domain_keys: list[str]) -> frozenset[str]:
    if value is None or value == "all":
        return frozenset(domain_keys)
    chosen = set()
    for index, item in enumerate(reader.names(value, path)):
        if item not in domain_keys:
            reader.problems.add(
                reader.place(f"{path}[{index}]"), f"unknown domain '{item}'; {suggestion(item, domain_keys)}"
            )
        else:
            chosen.add(item)
    return frozenset(chosen)


def _code_domains(
    reader: _Reader, value: Any, path: str, lookup: _Lookup, domain_keys: list[str]
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
        reader.problems.add(
            reader.place(path), f"expected a list of municipalities or a mapping to domains, got {_kind(value)}"
        )
        return result
    for name, domains in items:
        code = _resolve(reader, lookup, name, reader.place(f"{path}.{name}"))
        if code:
            result[code] = _domain_list(reader, domains, f"{path}.{name}", domain_keys)
    return result


def _politics(
    reader: _Reader,
    value: Any,
    lookup: _Lookup,
    domain_keys: list[str],
    table_excluded: frozenset[tuple[str, str]],
) -> Politics:
    section = reader.mapping(value, "politics", POLITICS_KEYS)
    excluded = _code_domains(reader, section.get("exclude"), "politics.exclude", lookup, domain_keys)
    forced = _code_domains(reader, section.get("force"), "politics.force", lookup, domain_keys)
    excluded_pairs = set(table_excluded)
    for index, item in enumerate(_list(reader, section.get("excluded_pairs"), "politics.excluded_pairs")):
        codes = _pair_codes(reader, item, f"politics.excluded_pairs[{index}]", lookup)
        if codes:
            excluded_pairs.add(pair(*codes))
    forced_pairs = []
    for index, item in enumerate(_list(reader, section.get("forced_pairs"), "politics.forced_pairs")):
        path = f"politics.forced_pairs[{index}]"
        domains: Any = None
        if isinstance(item, dict):
            entry = reader.mapping(item, path, ("members", "domains"))
            item, domains = entry.get("members"), entry.get("domains")
        codes = _pair_codes(reader, item, path, lookup)
        if codes:
            chosen = _domain_list(reader, domains, f"{path}.domains", domain_keys)
            forced_pairs.append(ForcedPair(codes[0], codes[1], tuple(sorted(chosen))))
    willingness: dict[str, float] = {}
    for name, item in reader.mapping(section.get("willingness"), "politics.willingness", None).items():
        path = f"politics.willingness.{name}"
        code = _resolve(reader, lookup, name, reader.place(path))
        number = reader.number(item, path, low=0, high=1, low_open=True)
        if code and number is not None:
            willingness[code] = number
    return Politics(
        excluded=excluded,
        forced=forced,
        excluded_pairs=frozenset(excluded_pairs),
        forced_pairs=tuple(forced_pairs),
        willingness=willingness,
    )


def _list(reader: _Reader, value: Any, path: str) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        reader.problems.add(reader.place(path), f"expected a list, got {_kind(value)}")
        return []
    return value


def _pair_codes(reader: _Reader, item: Any, path: str, lookup: _Lookup) -> tuple[str, str] | None:
    if not isinstance(item, list) or len(item) != 2:
        reader.problems.add(reader.place(path), f"expected a pair of two municipalities, got {_kind(item)}")
        return None
    a = _resolve(reader, lookup, str(item[0]), reader.place(path))
    b = _resolve(reader, lookup, str(item[1]), reader.place(path))
    if a and b and a == b:
        reader.problems.add(reader.place(path), "a pair of a municipality with itself")
        return None
    return (a, b) if a and b else None


def _providers(
    reader: _Reader, value: Any, domain_keys: list[str], structures: list[StructureParams]
) -> list[Provider]:
    result = []
    hostable = [s.key for s in structures if s.scope == "domain" and s.transfers_staff]
    for index, item in enumerate(_list(reader, value, "providers")):
        path = f"providers[{index}]"
        entry = reader.mapping(item, path, PROVIDER_KEYS)
        name = reader.text(entry.get("name"), f"{path}.name")
        lat = reader.number(entry.get("lat"), f"{path}.lat", low=-90, high=90)
        lon = reader.number(entry.get("lon"), f"{path}.lon", low=-180, high=180)
        domains = _domain_list(reader, entry.get("domains"), f"{path}.domains", domain_keys)
        chosen = []
        for position, key in enumerate(reader.names(entry.get("structures", ["centre"]), f"{path}.structures")):
            if key not in hostable:
                reader.problems.add(
                    reader.place(f"{path}.structures[{position}]"),
                    f"'{key}' cannot be hosted by an outside provider here; expected one of the allowed "
                    f"single-domain structures that move staff: {', '.join(hostable) or 'none allowed'}",
                )
            else:
                chosen.append(key)
        ranges = {
            "price_factor": (0, None, False, True),
            "quality": (0, 1, False, False),
            "capacity_fte": (0, None, True, False),
        }
        extras = {
            key: reader.number(entry[key], f"{path}.{key}", low=low, high=high, optional=optional, low_open=low_open)
            for key, (low, high, optional, low_open) in ranges.items()
            if key in entry
        }
        if name and lat is not None and lon is not None and chosen:
            result.append(
                Provider(
                    key=f"P{index + 1}",
                    name=name,
                    lat=lat,
                    lon=lon,
                    domains=tuple(d for d in domain_keys if d in domains),
                    structures=tuple(chosen),
                    **{k: v for k, v in extras.items() if v is not None or k == "capacity_fte"},  # type: ignore[arg-type]
                )
            )
    return result
