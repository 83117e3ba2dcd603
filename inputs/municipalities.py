"""The region: its municipalities from a built-in dataset or a table, and the pair tables beside them.

Municipalities come from CBS data by name, code, province or COROP region (`dataset` + `members`,
read by `inputs.members`), from a table of the user's own, or both (a table next to a dataset adds
per-domain workload, quality and arrangements). Every cell is checked against
`inputs.schema.MUNICIPALITY` and reported with its row.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from inputs import datasets, defaults, schema
from inputs.labels import says
from inputs.problems import suggestion
from inputs.reader import Reader, kind_of
from inputs.tables import BadNumber, Table, has_sheet, parse_number, read_csv, read_sheet
from inputs.types import Municipality, pair

MUNICIPALITY_KEYS = ("dataset", "members", "table")
TABLE_KEYS = ("workbook", "municipalities", "adjacency", "ties", "excluded_pairs", "distances", "decimal_mark")
DECIMAL_MARKS = (",", ".")
#: a municipality's figures as a table gives them (inputs.schema.MUNICIPALITY): in every row (its population and
#: place), in a column of their own where known, and per domain (`<figure>_<domain>`)
GIVEN = schema.MUNICIPALITY_GIVEN
WHERE_KNOWN = tuple(key for key, spec in schema.MUNICIPALITY.items() if not spec.required and not spec.per_domain)
PER_DOMAIN = tuple(key for key, spec in schema.MUNICIPALITY.items() if spec.per_domain)
REQUIRED_COLUMNS = ("code", "name", *GIVEN)
OPTIONAL_COLUMNS = ("province", *WHERE_KNOWN, "population_estimated", "population_source", "notes")
PAIR_COLUMNS = ("code_a", "code_b")
OPTIONAL_PAIR_COLUMNS = ("shared_border_km", "notes")
DISTANCE_COLUMNS = ("code_a", "code_b", "km")
#: a road between two Dutch municipalities: Eemsdelta to Eijsden is about 400 km by road
MAX_ROAD_KM = 1_000.0


class Lookup(dict[str, str]):
    """Casefolded code or name -> code, keeping the names as written for suggestions."""

    names: list[str]


def lookup_of(municipalities: list[Municipality]) -> Lookup:
    lookup = Lookup()
    for m in municipalities:
        lookup[m.name.casefold()] = m.code
    for m in municipalities:
        lookup[m.code.casefold()] = m.code
    lookup.names = [m.name for m in municipalities]
    return lookup


def resolve(reader: Reader, lookup: Lookup, name: str, place: str) -> str | None:
    """The code of a municipality named by name or code; an unknown one is reported at `place`."""
    code = lookup.get(str(name).casefold())
    if code is None:
        by_folded = {n.casefold(): n for n in lookup.names}
        hint = suggestion(str(name).casefold(), by_folded)
        for folded, written in by_folded.items():
            hint = hint.replace(f"'{folded}'", f"'{written}'")
        if hint.startswith(says("expected one of", "verwacht een van")):
            hint = says("expected one of: ", "verwacht een van: ") + ", ".join(sorted(lookup.names))
        reader.problems.add(
            place,
            says(
                f"unknown municipality '{name}' (not in the region); ",
                f"onbekende gemeente '{name}' (niet in de regio); ",
            )
            + hint,
        )
    return code


class Once:
    """Municipalities named in one list or mapping of a scenario: each at most once, whether by
    name, by code or in another case (else one entry would silently replace the other)."""

    def __init__(self, reader: Reader, lookup: Lookup, path: str) -> None:
        self.reader, self.lookup, self.path = reader, lookup, path
        self.seen: dict[str, str] = {}

    def code(self, name: str, path: str) -> str | None:
        code = resolve(self.reader, self.lookup, name, self.reader.place(path))
        if code is None:
            return None
        first = self.seen.get(code)
        if first is not None:
            self.reader.add(
                path,
                says(
                    f"'{name}' is {code}, already given as '{first}' ({self.path}.{first}); "
                    "name each municipality once",
                    f"'{name}' is {code}, al gegeven als '{first}' ({self.path}.{first}); noem elke gemeente één keer",
                ),
            )
            return None
        self.seen[code] = name
        return code


def table(reader: Reader, tables: dict[str, Any], folder: Path, key: str, explicit: Any = None) -> Table | None:
    """The table named `key`: an explicit CSV path, else the sheet of that name in the workbook."""
    target = explicit if explicit is not None else tables.get(key)
    if target is not None:
        if not isinstance(target, str):
            reader.add(
                f"tables.{key}",
                says("expected a file name, got ", "verwacht een bestandsnaam, kreeg ") + kind_of(target),
            )
            return None
        path = folder / target
        if path.suffix.lower() == ".xlsx":
            return read_sheet(path, key, f"{target}, sheet {key}", reader.problems)
        return read_csv(path, target, reader.problems, decimal_mark(reader, tables))
    workbook = tables.get("workbook")
    if isinstance(workbook, str):
        path = folder / workbook
        if key == "municipalities" or has_sheet(path, key):
            return read_sheet(path, key, f"{workbook}, sheet {key}", reader.problems)
    return None


def decimal_mark(reader: Reader, tables: dict[str, Any]) -> str | None:
    """The scenario's `tables.decimal_mark` (',' or '.'), or None: each CSV table's cells decide."""
    mark = tables.get("decimal_mark")
    if mark is None or mark in DECIMAL_MARKS:
        return mark
    reader.add("tables.decimal_mark", says("expected ',' or '.', got ", "verwacht ',' of '.', kreeg ") + kind_of(mark))
    return None


def _check_columns(reader: Reader, table: Table, required: tuple[str, ...], optional: tuple[str, ...]) -> bool:
    missing = [c for c in required if c not in table.columns]
    for column in missing:
        listed = ", ".join(required)
        reader.problems.add(
            table.place,
            says(
                f"missing column '{column}' (expected columns: {listed})",
                f"kolom '{column}' ontbreekt (verwacht de kolommen: {listed})",
            ),
        )
    for column in table.columns:
        if column not in required and column not in optional:
            reader.problems.add(
                table.place,
                says(f"unknown column '{column}'; ", f"onbekende kolom '{column}'; ")
                + suggestion(column, (*required, *optional)),
            )
    return not missing


def _domain_columns() -> tuple[str, ...]:
    """fte_<domain> and quality_<domain> for every known domain (those not in play are ignored)."""
    return tuple(f"{prefix}_{key}" for key in defaults.DOMAINS for prefix in PER_DOMAIN)


def _cell(reader: Reader, table: Table, number: int, column: str, text: str, spec: schema.Spec) -> float | None:
    """A number in a table cell, in the table's number format, checked against its spec."""
    place = f"{table.place}, row {number}"
    try:
        value = parse_number(text, table.decimal_mark)
    except BadNumber as error:
        reader.problems.add(place, f"{column} {error}")
        return None
    if value is None:
        reader.problems.add(
            place,
            says(f"{column} '{text}' is not a number (expected ", f"{column} '{text}' is geen getal (verwacht ")
            + f"{spec.expected()})",
        )
        return None
    whole_with_mark = table.decimal_mark is not None and table.decimal_mark in text and value.is_integer()
    if spec.kind == "integer" and whole_with_mark:
        # "20.000" in a table that writes decimals with a point: twenty, or twenty thousand?
        point = table.decimal_mark == "."
        mark = says("point", "punt") if point else says("comma", "komma")
        reader.problems.add(
            place,
            says(
                f"{column} '{text}' has a decimal {mark} (expected {spec.expected()}; this table writes decimals "
                f"with a {mark}, so it cannot be a thousands separator: write the number without it)",
                f"{column} '{text}' heeft een decimale {mark} (verwacht {spec.expected()}; deze tabel schrijft "
                f"decimalen met een {mark}, dus die kan geen scheidingsteken voor duizendtallen zijn: schrijf het "
                "getal zonder)",
            ),
        )
        return None
    if spec.kind == "integer" and not value.is_integer():
        reader.problems.add(
            place,
            says(
                f"{column} '{text}' is not a whole number (expected ",
                f"{column} '{text}' is geen geheel getal (verwacht ",
            )
            + f"{spec.expected()})",
        )
        return None
    if not spec.in_range(value):
        reader.problems.add(
            place,
            says(f"{column} {text} is out of range (expected ", f"{column} {text} valt buiten het bereik (verwacht ")
            + f"{spec.expected()})",
        )
        return None
    return value


def _typed(key: str, value: float) -> float | int:
    """A checked cell as its figure's field holds it: a whole number as an int."""
    return int(value) if schema.MUNICIPALITY[key].kind == "integer" else value


def _per_domain(
    reader: Reader, table: Table, number: int, row: dict[str, str], domain_keys: list[str]
) -> dict[str, Any]:
    """Each figure given per domain: domain -> value, for the domains in play that the row gives."""
    given: dict[str, dict[str, float]] = {prefix: {} for prefix in PER_DOMAIN}
    for column, text in row.items():
        if not text or "_" not in column:
            continue
        prefix, _, key = column.partition("_")
        if prefix not in PER_DOMAIN or key not in defaults.DOMAINS:
            continue
        value = _cell(reader, table, number, column, text, schema.MUNICIPALITY[prefix])
        if value is not None and key in domain_keys:
            given[prefix][key] = value
    return given


def _where_known(reader: Reader, table: Table, number: int, row: dict[str, str]) -> dict[str, Any]:
    """The figures a row may leave out (they fall back to another), where it gives them."""
    given = {}
    for column in WHERE_KNOWN:
        text = row.get(column)
        if text:
            value = _cell(reader, table, number, column, text, schema.MUNICIPALITY[column])
            if value is not None:
                given[column] = _typed(column, value)
    return given


def _from_table(reader: Reader, table: Table, domain_keys: list[str]) -> list[Municipality]:
    if not _check_columns(reader, table, REQUIRED_COLUMNS, OPTIONAL_COLUMNS + _domain_columns()):
        return []
    _note_unused(reader, table)
    result = []
    # Names and codes are matched without regard to case (README, "Names"): two rows that one
    # word could name are refused, or a politics entry would reach one of them by chance.
    seen: dict[str, tuple[int, str, str]] = {}
    for number, row in table.rows:
        place = f"{table.place}, row {number}"
        code = row.get("code", "")
        if not code:
            reader.problems.add(
                place,
                says(
                    "empty code (expected a municipality code such as GM0770)",
                    "lege code (verwacht een gemeentecode zoals GM0770)",
                ),
            )
            continue
        name_given = row.get("name", "")
        problem = None
        for what, word in (("code", code), ("name", name_given)):
            if word and word.casefold() in seen:
                first_row, first_what, first_word = seen[word.casefold()]
                dutch = {"code": "code", "name": "naam"}
                if (what, word) == (first_what, first_word):
                    problem = says(
                        f"duplicate {what} '{word}' (first on row {first_row})",
                        f"dubbele {dutch[what]} '{word}' (eerst op rij {first_row})",
                    )
                else:
                    problem = says(
                        f"{what} '{word}' is also the {first_what} '{first_word}' on row {first_row} (codes and "
                        "names are matched regardless of case; expected each to name one municipality)",
                        f"{dutch[what]} '{word}' is ook de {dutch[first_what]} '{first_word}' op rij {first_row} "
                        "(codes en namen worden vergeleken zonder op hoofdletters te letten; verwacht dat elk één "
                        "gemeente noemt)",
                    )
                break
        if problem is not None:
            reader.problems.add(place, problem)
            continue
        for what, word in (("code", code), ("name", name_given)):
            if word:
                seen[word.casefold()] = (number, what, word)
        figures = {
            column: _cell(reader, table, number, column, row.get(column, ""), schema.MUNICIPALITY[column])
            for column in GIVEN
        }
        where_known = _where_known(reader, table, number, row)
        per_domain = _per_domain(reader, table, number, row, domain_keys)
        if any(value is None for value in figures.values()):
            continue
        typed: dict[str, Any] = {key: _typed(key, value) for key, value in figures.items() if value is not None}
        result.append(
            Municipality(
                code=code,
                name=row.get("name", "") or code,
                **typed,
                **where_known,
                **per_domain,
                province=row.get("province", ""),
                population_estimated=row.get("population_estimated", "").lower() == "true",
            )
        )
    return result


def _enrich(reader: Reader, table: Table, members: list[Municipality], domain_keys: list[str]) -> list[Municipality]:
    """A table next to a dataset adds per-domain FTE, quality or arrangements to the members, and
    replaces the dataset's population, position or province where it gives them. A name must agree
    with the dataset's (a disagreement is a sign of a row that belongs to another municipality)."""
    optional = (*REQUIRED_COLUMNS[1:], *OPTIONAL_COLUMNS, *_domain_columns())
    if not _check_columns(reader, table, ("code",), optional):
        return members
    _note_unused(reader, table)
    lookup = lookup_of(members)
    by_code = {m.code: m for m in members}
    seen: dict[str, int] = {}
    for number, row in table.rows:
        place = f"{table.place}, row {number}"
        code = lookup.get(row.get("code", "").casefold())
        if code is None:
            given = row.get("code", "")
            reader.problems.add(
                place,
                says(
                    f"unknown municipality '{given}' (not among the members)",
                    f"onbekende gemeente '{given}' (niet onder de members)",
                ),
            )
            continue
        if code in seen:
            given = row.get("code", "")
            reader.problems.add(
                place,
                says(
                    f"duplicate code '{given}' ({code}, first on row {seen[code]})",
                    f"dubbele code '{given}' ({code}, eerst op rij {seen[code]})",
                ),
            )
            continue
        seen[code] = number
        base = by_code[code]
        given_name = row.get("name", "")
        if given_name and given_name.casefold() != base.name.casefold():
            reader.problems.add(
                place,
                says(
                    f"name '{given_name}' differs from the dataset's name '{base.name}' for {code} "
                    "(expected the same name, or no name column)",
                    f"naam '{given_name}' verschilt van de naam '{base.name}' in de dataset voor {code} "
                    "(verwacht dezelfde naam, of geen kolom name)",
                ),
            )
            continue
        replaced: dict[str, Any] = {}
        for column in GIVEN:
            if row.get(column):
                value = _cell(reader, table, number, column, row[column], schema.MUNICIPALITY[column])
                if value is not None:
                    replaced[column] = _typed(column, value)
        if "population" in replaced:
            replaced["population_estimated"] = row.get("population_estimated", "").lower() == "true"
        if row.get("province"):
            replaced["province"] = row["province"]
        per_domain = _per_domain(reader, table, number, row, domain_keys)
        where_known = _where_known(reader, table, number, row)
        by_code[code] = Municipality(**{**base.__dict__, **replaced, **per_domain, **where_known})
    return [by_code[m.code] for m in members]


#: columns a table may hold for its reader: seta keeps no figure from them, and says so
FOR_PEOPLE = ("notes", "population_source")


def _note_unused(reader: Reader, table: Table) -> None:
    unused = [column for column in FOR_PEOPLE if column in table.columns]
    if unused:
        listed = ", ".join(unused)
        reader.note(
            table.place,
            says(
                f"the column(s) {listed} are for people; seta does not use them",
                f"de kolom(men) {listed} zijn voor mensen; seta gebruikt ze niet",
            ),
        )


def municipalities(
    reader: Reader, value: Any, tables: dict[str, Any], folder: Path, domain_keys: list[str]
) -> tuple[list[Municipality], str | None]:
    """The region's municipalities and the built-in dataset they come from (None for a table of one's own)."""
    section = reader.mapping(value, "municipalities", MUNICIPALITY_KEYS)
    if value is None and "workbook" not in tables:
        reader.add(
            "municipalities",
            says(
                "missing (expected a dataset with members, a table, or a workbook with a municipalities sheet)",
                "ontbreekt (verwacht een dataset met members, een table, of een workbook met een blad municipalities)",
            ),
        )
        return [], None
    dataset = section.get("dataset")
    if dataset is not None and not isinstance(dataset, str):
        reader.add(
            "municipalities.dataset",
            says(
                f"expected a dataset's name ({', '.join(datasets.DATASETS)}), got ",
                f"verwacht de naam van een dataset ({', '.join(datasets.DATASETS)}), kreeg ",
            )
            + kind_of(dataset),
        )
        return [], None
    if dataset is not None and dataset not in datasets.DATASETS:
        reader.add(
            "municipalities.dataset",
            says(f"unknown dataset '{dataset}'; ", f"onbekende dataset '{dataset}'; ")
            + suggestion(str(dataset), datasets.DATASETS),
        )
        return [], None
    table_given = section.get("table") is not None or "workbook" in tables
    own = table(reader, tables, folder, "municipalities", section.get("table"))
    result: list[Municipality] = []
    if dataset is not None:
        from inputs.members import members  # imported here: inputs.members reads lookup_of from this module

        result = members(reader, dataset, section.get("members", []))
        if own is not None:
            result = _enrich(reader, own, result, domain_keys)
    elif own is not None:
        result = _from_table(reader, own, domain_keys)
    elif not table_given:
        reader.add(
            "municipalities",
            says(
                "expected `dataset` with `members`, or `table` (or a workbook with a municipalities sheet)",
                "verwacht `dataset` met `members`, of `table` (of een workbook met een blad municipalities)",
            ),
        )
    if not reader.problems and len(result) < 2:
        place = own.place if own is not None and dataset is None else reader.place("municipalities")
        reader.problems.add(
            place,
            says(
                f"empty region: {len(result)} municipalit{'y' if len(result) == 1 else 'ies'} "
                "(expected at least 2 to pool anything)",
                f"lege regio: {len(result)} {'gemeente' if len(result) == 1 else 'gemeenten'} "
                "(verwacht er minstens 2 om iets te poolen)",
            ),
        )
    return result, dataset


def pairs(
    reader: Reader, tables: dict[str, Any], folder: Path, key: str, lookup: Lookup
) -> frozenset[tuple[str, str]] | None:
    """A table of municipality pairs (adjacency, ties, excluded pairs), or None where there is none."""
    found = table(reader, tables, folder, key)
    if found is None or not _check_columns(reader, found, PAIR_COLUMNS, OPTIONAL_PAIR_COLUMNS):
        return None
    result = set()
    for number, row in found.rows:
        place = f"{found.place}, row {number}"
        a = resolve(reader, lookup, row.get("code_a", ""), place)
        b = resolve(reader, lookup, row.get("code_b", ""), place)
        if a and b:
            if a == b:
                reader.problems.add(
                    place,
                    says(
                        f"a pair of '{a}' with itself (expected two different municipalities)",
                        f"een paar van '{a}' met zichzelf (verwacht twee verschillende gemeenten)",
                    ),
                )
            else:
                result.add(pair(a, b))
    return frozenset(result)


def distances(reader: Reader, tables: dict[str, Any], folder: Path, lookup: Lookup) -> dict[tuple[str, str], float]:
    """Road km between municipalities (`tables.distances`: code_a, code_b, km), both ways unless a row
    gives the way back too; pairs it leaves out keep the straight line times the detour factor. A
    straight line crosses water where no road does (the Westerschelde, the Oosterschelde): a region
    on the water gives its road or ferry distances here."""
    found = table(reader, tables, folder, "distances")
    if found is None or not _check_columns(reader, found, DISTANCE_COLUMNS, ("notes",)):
        return {}
    given: dict[tuple[str, str], float] = {}
    row_of: dict[tuple[str, str], int] = {}
    for number, row in found.rows:
        place = f"{found.place}, row {number}"
        a = resolve(reader, lookup, row.get("code_a", ""), place)
        b = resolve(reader, lookup, row.get("code_b", ""), place)
        km = _road_km(reader, found, number, row.get("km", ""))
        if not a or not b or km is None:
            continue
        if a == b:
            reader.problems.add(
                place,
                says(
                    f"a distance from '{a}' to itself (expected two different municipalities)",
                    f"een afstand van '{a}' tot zichzelf (verwacht twee verschillende gemeenten)",
                ),
            )
            continue
        if (a, b) in row_of:
            first = row_of[a, b]
            reader.problems.add(
                place,
                says(
                    f"a second distance from {a} to {b} (row {first} gives one already)",
                    f"een tweede afstand van {a} naar {b} (rij {first} geeft er al een)",
                ),
            )
            continue
        row_of[a, b] = number
        given[a, b] = km
    for (a, b), km in list(given.items()):
        given.setdefault((b, a), km)
    return given


def _road_km(reader: Reader, table: Table, number: int, text: str) -> float | None:
    place = f"{table.place}, row {number}, column km"
    try:
        km = parse_number(text, table.decimal_mark)
    except BadNumber as bad:
        reader.problems.add(place, str(bad))
        return None
    if km is None or not 0 < km <= MAX_ROAD_KM:
        shown = text.strip() or says("nothing", "niets")
        most = f"{MAX_ROAD_KM:,.0f}"
        reader.problems.add(
            place,
            says(
                f"got {shown} (expected road km above 0 and at most {most})",
                f"kreeg {shown} (verwacht wegkilometers boven 0 en hoogstens {most.replace(',', '.')})",
            ),
        )
        return None
    return km
