"""Configurations to read: who cooperates with whom, in what (`docs/observed.md`).

One reader serves three uses: the pools.csv of a `seta solve --out` folder (`seta allocate --config`),
a configuration observed in the world (`seta solve --given`, `seta calibrate`) and the built-in
observed configurations (`tax-cooperations`, `<region>-2007`). Three layouts are read:

- a CSV with one row per pool (`domain, structure, host_code, member_codes`, as `solve --out` writes);
- a CSV with one row per member (`cooperation, domain, member_code` or `member_name`, and optional
  `host_code`/`host`, `structure`, `partners`/`water_board_partners`, `started`, `source_url`);
- a YAML file with a list of `pools:` (name, domains, members, host, structure, partners, started,
  source).

Members are named by CBS code or by name. Where a file does not give a host, the host is the pool's
largest member; where it does not give a structure, a pool of one domain is a single-domain joint
body (`joint_body`). Both are said in the output (`ObservedPool.host_given`, `structure_given`).
Checked here against the scenario's names; whether the pools keep the scenario's rules is the
evaluator's to say.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from inputs import datasets
from inputs.labels import name as display_name
from inputs.labels import says
from inputs.municipalities import Lookup, lookup_of
from inputs.problems import Problems, suggestion
from inputs.reader import Reader, kind_of
from inputs.tables import Table, read_csv
from inputs.types import Scenario
from inputs.yamlfile import parse_yaml, read_text

#: the structure of a pool of one domain whose file does not name one (docs/observed.md)
DEFAULT_STRUCTURE = "joint_body"

WIDE_COLUMNS = ("domain", "structure", "host_code", "member_codes")
LONG_POOL = ("cooperation", "pool")
LONG_MEMBER = ("member_code", "member_name")
PARTNER_COLUMNS = ("partners", "water_board_partners")
SOURCE_COLUMNS = ("source_url", "source")
YAML_KEYS = ("name", "year", "source", "note", "municipalities", "domains", "pools")
POOL_KEYS = ("name", "domains", "members", "host", "structure", "partners", "started", "source", "note")

#: (municipality code, domain) -> (host code, structure key), for the pooled services
Pools = dict[tuple[str, str], tuple[str, str]]


@dataclass(frozen=True)
class ObservedPool:
    """One pool as a file describes it; codes are the scenario's."""

    name: str
    domains: tuple[str, ...]
    members: tuple[str, ...]
    host: str
    structure: str
    #: the file names the host (else: the largest member) and the structure (else: a joint body)
    host_given: bool = True
    structure_given: bool = True
    #: partners that are not municipalities (water boards), by name, and where each is placed: its
    #: code with the pool's domains that it has (it takes no part in the others)
    partners: tuple[str, ...] = ()
    partner_places: tuple[tuple[str, tuple[str, ...]], ...] = ()
    started: str = ""
    source: str = ""
    #: where in the file the pool is described, for messages
    place: str = ""


@dataclass(frozen=True)
class Observed:
    """A configuration read from a file: its pools and what it speaks for. A municipality it does not
    cover is unknown, not alone (docs/observed.md)."""

    label: str
    name: str
    pools: tuple[ObservedPool, ...]
    #: the municipalities (codes) and domains the file speaks for
    covered: tuple[str, ...]
    domains: tuple[str, ...]
    year: str = ""
    source: str = ""
    note: str = ""
    #: pools and municipalities of the file that lie outside the scenario's region, left out
    outside_pools: tuple[str, ...] = ()
    outside_members: int = 0
    partners: tuple[str, ...] = ()
    #: the file lists the municipalities it speaks for (a region as observed), not only its pools' members
    region: bool = False

    def placements(self) -> Pools:
        placed = {
            (c, d): (pool.host, pool.structure) for pool in self.pools for d in pool.domains for c in pool.members
        }
        for pool in self.pools:
            placed |= {(code, d): (pool.host, pool.structure) for code, domains in pool.partner_places for d in domains}
        return placed


# -- where a file is ------------------------------------------------------------------------------


def _observed_folder() -> Path:
    return Path(str(resources.files("inputs").joinpath("data", "nl", "observed")))


def builtin_observed() -> dict[str, Path]:
    """Built-in observed configurations by name: the training tax cooperations and the seed's nine
    regions as described in 2007."""
    folder = _observed_folder()
    named = {"tax-cooperations": folder / "tax_cooperations_train.csv"}
    for path in sorted((folder / "seed-2007").glob("*.yaml")):
        named[f"{path.stem}-2007"] = path
    return named


def resolve_observed(reference: str | Path) -> Path:
    """A path for a file or folder reference, or a built-in observed configuration's name."""
    text = str(reference)
    path = Path(text)
    if path.exists() or path.suffix or "/" in text:
        return path
    named = builtin_observed()
    if text in named:
        return named[text]
    problems = Problems()
    problems.add(
        text,
        says(
            "no such file or folder and no built-in observed configuration of that name; ",
            "geen bestand of map en geen ingebouwde waargenomen configuratie met die naam; ",
        )
        + suggestion(text, named),
    )
    problems.raise_if_any()
    raise AssertionError("unreachable")


# -- reading --------------------------------------------------------------------------------------


@dataclass
class _Names:
    """Municipality names and codes: the region's, and the dataset's beyond it (a member that exists
    but lies outside the region is not a typing error); partners and providers apart."""

    region: Lookup
    dataset: Lookup
    #: casefolded name or code -> code, of the scenario's partners and of its outside providers
    partners: dict[str, str]
    providers: dict[str, str]

    def host(self, reader: Reader, name: str, place: str) -> tuple[str | None, bool]:
        """A host: a municipality, or an outside provider of the scenario (by key or name)."""
        provider = self.providers.get(name.strip().casefold())
        return (provider, True) if provider is not None else self.code(reader, name, place)

    def code(self, reader: Reader, name: str, place: str) -> tuple[str | None, bool]:
        """(code, inside the region); (None, False) with a placed problem for an unknown name."""
        folded = name.strip().casefold()
        if folded in self.partners:
            reader.add(
                place,
                says(
                    f"'{name.strip()}' is a partner, not a municipality (name it under partners)",
                    f"'{name.strip()}' is een partner, geen gemeente (noem die onder partners)",
                ),
            )
            return None, False
        if folded in self.region:
            return self.region[folded], True
        if folded in self.dataset:
            return self.dataset[folded], False
        written = {n.casefold(): n for n in self.dataset.names}
        written.update({c.casefold(): c for c in self.dataset.values()})
        hint = suggestion(folded, written)
        for folded_name, name_as_written in written.items():
            hint = hint.replace(f"'{folded_name}'", f"'{name_as_written}'")
        if hint.startswith(says("expected one of", "verwacht een van")):
            hint = says("expected a municipality's name or CBS code", "verwacht de naam of CBS-code van een gemeente")
        reader.add(
            place, says(f"unknown municipality '{name.strip()}'; ", f"onbekende gemeente '{name.strip()}'; ") + hint
        )
        return None, False


def _names(scenario: Scenario) -> _Names:
    municipalities = [m for m in scenario.municipalities if not m.partner]
    partners = {key.casefold(): m.code for m in scenario.municipalities if m.partner for key in (m.name, m.code)}
    providers = {key.casefold(): p.key for p in scenario.providers for key in (p.name, p.key)}
    region = lookup_of(municipalities)
    if scenario.dataset:
        known = {**datasets.municipalities(scenario.dataset)}
        known.update({m.code: m for m in municipalities})
        return _Names(region, lookup_of(list(known.values())), partners, providers)
    return _Names(region, region, partners, providers)


@dataclass
class _Draft:
    """A pool while it is read: members may lie outside the region, host and structure may be open."""

    name: str
    place: str
    domains: list[str]
    members: list[tuple[str, bool]]  # (code, inside the region)
    host: str | None = None
    host_inside: bool = True
    structure: str | None = None
    partners: list[str] = field(default_factory=list)
    started: str = ""
    source: str = ""
    #: the name in Dutch words where the file gives none of its own (a pools.csv row); the name stays
    #: the pool's key in what is written
    dutch: str | None = None

    @property
    def dutch_name(self) -> str:
        """The pool as a Dutch message names it."""
        return self.dutch or self.name


def read_observed(
    reference: str | Path, scenario: Scenario, option: str = "--given", *, partners_needed: bool = True
) -> Observed:
    """The configuration in a file, a `seta solve --out` folder or a built-in name, checked against
    the scenario (InputError with every problem, each with its file and row, when it does not fit).

    A partner the scenario does not declare has no workload, so the configuration cannot be costed:
    bad input, unless only its shape is wanted (`partners_needed=False`: the distance measures leave
    partners out), when such partners are dropped."""
    path = resolve_observed(reference)
    problems = Problems()
    if path.is_dir():
        path = path / "pools.csv"
        if not path.exists():
            problems.add(
                f"{option} {reference}",
                says(
                    "a folder without pools.csv (expected a folder written by "
                    "seta solve --out, or a CSV or YAML file of pools)",
                    "een map zonder pools.csv (verwacht een map geschreven door "
                    "seta solve --out, of een CSV- of YAML-bestand met pools)",
                ),
            )
            problems.raise_if_any()
    # a file in a folder of its own (a solve --out folder, the seed's 2007 files) is named with it
    inside_folder = bool(path.parent.name) and (path.name == "pools.csv" or path.parent.name == "seed-2007")
    label = f"{path.parent.name}/{path.name}" if inside_folder else path.name
    names = _names(scenario)
    reader = Reader(problems, label)
    header: dict[str, Any] = {}
    if not path.exists():
        problems.add(
            f"{option} {reference}",
            says(
                "no such file or folder (expected a .csv or .yaml file of pools, or a folder written by "
                "seta solve --out)",
                "geen bestand of map met die naam (verwacht een .csv- of .yaml-bestand met pools, of een map "
                "geschreven door seta solve --out)",
            ),
        )
        problems.raise_if_any()
    if path.suffix.lower() in (".yaml", ".yml"):
        drafts, header = _read_yaml(path, label, reader, names, scenario)
    elif path.suffix.lower() == ".csv" or path.name == "pools.csv":
        drafts = _read_csv(path, label, reader, names, scenario)
    else:
        problems.add(
            f"{option} {reference}",
            says(
                "expected a .csv or .yaml file, or a folder written by seta solve --out",
                "verwacht een .csv- of .yaml-bestand, of een map geschreven door seta solve --out",
            ),
        )
        problems.raise_if_any()
        raise AssertionError("unreachable")
    # every problem at once: the pools are checked against the scenario even after a misspelt key
    observed = _finish(label, drafts, header, reader, scenario, partners_needed)
    if option == "--given" and not observed.covered:  # nothing to set beside the optimum
        reader.add(
            "",
            says(
                f"speaks for no municipality of {scenario.name} (expected pools of its municipalities)",
                f"spreekt voor geen enkele gemeente van {scenario.name} (verwacht pools van zijn gemeenten)",
            ),
        )
        problems.raise_if_any()
    return observed


def read_configuration(folder: Path, scenario: Scenario) -> Pools:
    """The pooled services of a configuration (a `seta solve --out` folder or a file)."""
    return read_observed(folder, scenario, option="--config").placements()


def _column(row: dict[str, str], options: tuple[str, ...]) -> str:
    for column in options:
        if row.get(column):
            return row[column]
    return ""


def _split_partners(text: str) -> list[str]:
    return [part.strip() for part in text.replace("|", ";").split(";") if part.strip()]


def _read_csv(path: Path, label: str, reader: Reader, names: _Names, scenario: Scenario) -> list[_Draft]:
    table = read_csv(path, label, reader.problems)
    if table is None:
        return []
    columns = set(table.columns)
    if "member_codes" in columns or (columns & {"structure", "host_code"} and not columns & set(LONG_MEMBER)):
        return _read_wide(table, reader, names)
    if columns & set(LONG_MEMBER) and columns & set(LONG_POOL) and "domain" in columns:
        return _read_long(table, reader, names)
    reader.add(
        "",
        says(
            "not a configuration: expected the columns domain, structure, host_code and member_codes (one row per "
            "pool, as seta solve --out writes), or cooperation, domain and member_code or member_name (one row per "
            f"member); the file has: {', '.join(table.columns) or 'no columns'}",
            "geen configuratie: verwacht de kolommen domain, structure, host_code en member_codes (één rij per "
            "pool, zoals seta solve --out schrijft), of cooperation, domain en member_code of member_name (één rij "
            f"per lid); het bestand heeft: {', '.join(table.columns) or 'geen kolommen'}",
        ),
    )
    return []


def _read_wide(table: Table, reader: Reader, names: _Names) -> list[_Draft]:
    missing = [column for column in WIDE_COLUMNS if column not in table.columns]
    if missing:
        listed = ", ".join(missing)
        reader.add(
            "",
            says(
                f"missing column(s) {listed} (expected the pools.csv of seta solve --out)",
                f"kolom(men) {listed} ontbreken (verwacht de pools.csv van seta solve --out)",
            ),
        )
        return []
    drafts = []
    for number, row in table.rows:
        place = f"row {number}"
        members = []
        for code in row["member_codes"].split():
            found, inside = names.code(reader, code, f"{place}, member_codes")
            if found is not None:
                members.append((found, inside))
        if not row["member_codes"].split():
            reader.add(
                f"{place}, member_codes",
                says(
                    "empty (expected the members' codes, separated by spaces)",
                    "leeg (verwacht de codes van de leden, gescheiden door spaties)",
                ),
            )
        domain, structure, host = row["domain"], row["structure"], row["host_code"]
        draft = _Draft(f"{domain} {structure} at {host}", place, [domain], members)
        draft.dutch = f"{display_name(structure, 'nl')} voor {display_name(domain, 'nl')} bij {host}"
        if row["host_code"]:
            draft.host, draft.host_inside = names.host(reader, row["host_code"], f"{place}, host_code")
        draft.structure = row["structure"] or None
        drafts.append(draft)
    return drafts


def _read_long(table: Table, reader: Reader, names: _Names) -> list[_Draft]:
    drafts: dict[str, _Draft] = {}
    for number, row in table.rows:
        place = f"row {number}"
        pool_name = _column(row, LONG_POOL)
        if not pool_name:
            reader.add(
                f"{place}, cooperation",
                says(
                    "empty (expected the name of the pool the member belongs to)",
                    "leeg (verwacht de naam van de pool waartoe het lid behoort)",
                ),
            )
            continue
        domain = row.get("domain", "")
        draft = drafts.get(pool_name)
        if draft is None:
            draft = drafts[pool_name] = _Draft(pool_name, place, [domain], [])
        elif domain not in draft.domains:
            draft.domains.append(domain)
        member = _column(row, LONG_MEMBER)
        column = "member_code" if row.get("member_code") else "member_name"
        if not member:
            reader.add(
                f"{place}, member_code",
                says("empty (expected a member's CBS code or name)", "leeg (verwacht de CBS-code of naam van een lid)"),
            )
            continue
        code, inside = names.code(reader, member, f"{place}, {column}")
        if code is not None and (code, inside) not in draft.members:
            draft.members.append((code, inside))
        host = _column(row, ("host_code", "host"))
        if host:
            found, host_inside = names.host(reader, host, f"{place}, host")
            if found is not None and draft.host not in (None, found):
                reader.add(
                    f"{place}, host",
                    says(
                        f"'{host}' differs from the host named before for {pool_name}",
                        f"'{host}' verschilt van de gastheer die eerder voor {pool_name} is genoemd",
                    ),
                )
            elif found is not None:
                draft.host, draft.host_inside = found, host_inside
        structure = row.get("structure", "")
        if structure:
            if draft.structure not in (None, structure):
                reader.add(
                    f"{place}, structure",
                    says(
                        f"'{structure}' differs from the structure named before for {pool_name} ('{draft.structure}')",
                        f"'{structure}' verschilt van de vorm die eerder voor {pool_name} is genoemd "
                        f"('{draft.structure}')",
                    ),
                )
            draft.structure = structure
        for partner in _split_partners(_column(row, PARTNER_COLUMNS)):
            if partner not in draft.partners:
                draft.partners.append(partner)
        draft.started = draft.started or row.get("started", "")
        draft.source = draft.source or _column(row, SOURCE_COLUMNS)
    return list(drafts.values())


def _read_yaml(
    path: Path, label: str, reader: Reader, names: _Names, scenario: Scenario
) -> tuple[list[_Draft], dict[str, Any]]:
    text = read_text(path, label, reader.problems, says("a YAML file of pools", "een YAML-bestand met pools"))
    if text is None:
        return [], {}
    document = parse_yaml(text, label, reader.problems)
    if reader.problems:
        return [], {}
    return _yaml_drafts(document, reader, names, scenario)


def read_observed_document(document: Any, label: str, scenario: Scenario, problems: Problems) -> Observed:
    """A configuration written inside a scenario file (its `current:` section), in the YAML layout of
    a file of pools; its problems are placed under `label` ('kempen.yaml, current') and raised with
    those already in `problems`."""
    reader = Reader(problems, label)
    if not isinstance(document, dict):
        reader.add(
            "",
            says(
                "expected a mapping with pools: (docs/observed.md), got ",
                "verwacht een mapping met pools: (docs/observed.md), kreeg ",
            )
            + kind_of(document),
        )
        problems.raise_if_any()
    drafts, header = _yaml_drafts(document, reader, _names(scenario), scenario)
    return _finish(label, drafts, header, reader, scenario, True)


def _yaml_drafts(
    document: Any, reader: Reader, names: _Names, scenario: Scenario
) -> tuple[list[_Draft], dict[str, Any]]:
    top = reader.mapping(document, "", YAML_KEYS)
    if not isinstance(document, dict):
        return [], {}
    header: dict[str, Any] = {key: top[key] for key in ("name", "year", "source", "note") if key in top}
    covered: list[str] = []
    listed: list[tuple[str, bool]] = []  # every municipality it names, inside the region or not
    for n, item in enumerate(reader.names(top["municipalities"], "municipalities") if "municipalities" in top else []):
        code, inside = names.code(reader, item, f"municipalities[{n}]")
        if code is not None:
            listed.append((code, inside))
            if inside:
                covered.append(code)
    header["covered"] = covered
    header["listed"] = bool(listed)
    domain_keys = [d.key for d in scenario.domains]
    header["domains"] = reader.names(top["domains"], "domains") if "domains" in top else []
    drafts = []
    for n, item in enumerate(reader.items(top.get("pools"), "pools")):
        place = f"pools[{n}]"
        pool = reader.mapping(item, place, POOL_KEYS)
        if not isinstance(item, dict):
            continue
        pool_name = str(pool.get("name") or f"pool {n + 1}")
        domains_value = pool.get("domains")
        if domains_value == "all":
            domains = list(header["domains"] or domain_keys)
        elif domains_value is None:
            reader.add(
                f"{place}.domains",
                says(
                    "missing (expected a list of domains, or all)",
                    "ontbreekt (verwacht een lijst van taakvelden, of all)",
                ),
            )
            domains = []
        else:
            domains = reader.names(domains_value, f"{place}.domains")
        members: list[tuple[str, bool]] = []
        given = pool.get("members")
        if given == "all":
            if not listed:
                reader.add(
                    f"{place}.members",
                    says(
                        "'all' needs the file's municipalities: list (the ones it speaks for)",
                        "'all' vraagt de lijst municipalities: van het bestand (de gemeenten waarvoor het spreekt)",
                    ),
                )
            members = list(listed)
        elif given is None:
            reader.add(
                f"{place}.members",
                says(
                    "missing (expected a list of municipalities by name or code, or all)",
                    "ontbreekt (verwacht een lijst van gemeenten op naam of code, of all)",
                ),
            )
        else:
            for k, member in enumerate(reader.names(given, f"{place}.members")):
                code, inside = names.code(reader, member, f"{place}.members[{k}]")
                if code is not None and (code, inside) not in members:
                    members.append((code, inside))
        draft = _Draft(pool_name, place, domains, members)
        if pool.get("host") is not None:
            draft.host, draft.host_inside = names.host(reader, str(pool["host"]), f"{place}.host")
        if pool.get("structure") is not None:
            draft.structure = str(pool["structure"])
        partners = pool.get("partners")
        if partners is not None:
            draft.partners = reader.names(partners, f"{place}.partners")
        draft.started = str(pool.get("started") or "")
        draft.source = str(pool.get("source") or "")
        drafts.append(draft)
    return drafts, header


def _finish(
    label: str, drafts: list[_Draft], header: dict[str, Any], reader: Reader, scenario: Scenario, partners_needed: bool
) -> Observed:
    """Check the drafts against the scenario and settle hosts and structures by the documented rules."""
    domains = [d.key for d in scenario.domains]
    structures = {s.key: s for s in scenario.structures}
    population = {m.code: m.population for m in scenario.municipalities}
    order = {m.code: n for n, m in enumerate(scenario.municipalities)}
    providers = {p.key for p in scenario.providers}
    pools: list[ObservedPool] = []
    outside: list[str] = []
    outside_members = 0
    taken: dict[tuple[str, str], _Draft] = {}
    for draft in drafts:
        place = draft.place
        inside = [code for code, within in draft.members if within]
        beyond = [code for code, within in draft.members if not within]
        if beyond and not inside:
            outside.append(draft.name)
            outside_members += len(beyond)
            continue
        if beyond:
            reader.add(
                place,
                says(
                    f"{draft.name} has {len(inside)} member(s) in {scenario.name} and {len(beyond)} outside it "
                    f"({', '.join(beyond[:5])}{', ...' if len(beyond) > 5 else ''}); evaluate it on a scenario that "
                    "holds all of its members",
                    f"{draft.dutch_name} heeft {len(inside)} lid/leden in {scenario.name} en {len(beyond)} erbuiten "
                    f"({', '.join(beyond[:5])}{', ...' if len(beyond) > 5 else ''}); beoordeel het in een scenario "
                    "dat al zijn leden bevat",
                ),
            )
            continue
        for domain in draft.domains:
            if domain not in domains:
                reader.add(
                    f"{place}, domain",
                    says(
                        f"'{domain}' is not in play in {scenario.name}; ",
                        f"'{domain}' speelt niet mee in {scenario.name}; ",
                    )
                    + suggestion(domain, domains)
                    + says(
                        " (or add it to the scenario's domains)",
                        " (of voeg het toe aan de taakvelden van het scenario)",
                    ),
                )
        if not draft.domains:
            reader.add(
                f"{place}, domain",
                says(
                    "no domain (expected at least one domain the pool carries)",
                    "geen taakveld (verwacht minstens één taakveld dat de pool draagt)",
                ),
            )
        if not inside:
            reader.add(place, says(f"{draft.name} has no members", f"{draft.dutch_name} heeft geen leden"))
            continue
        structure_given = draft.structure is not None
        key = draft.structure
        if key is None:
            if len(draft.domains) != 1:
                reader.add(
                    f"{place}, structure",
                    says(
                        f"not given for {draft.name}, which carries {len(draft.domains)} domains (expected one of: ",
                        f"niet gegeven voor {draft.dutch_name}, dat {len(draft.domains)} taakvelden draagt "
                        "(verwacht een van: ",
                    )
                    + ", ".join(structures)
                    + ")",
                )
                continue
            key = DEFAULT_STRUCTURE
            if key not in structures:
                reader.add(
                    f"{place}, structure",
                    says(
                        f"not given for {draft.name}, and a single-domain joint body ({key}), the reading of a pool "
                        f"without a structure, is not allowed in {scenario.name}; give the structure, or add {key} to "
                        "the scenario's structures",
                        f"niet gegeven voor {draft.dutch_name}, en een bedrijfsvoeringsorganisatie voor één taakveld "
                        f"({key}), de lezing van een pool zonder vorm, is niet toegestaan in {scenario.name}; "
                        f"geef de vorm, of voeg {key} toe aan de vormen van het scenario",
                    ),
                )
                continue
        elif key not in structures:
            reader.add(
                f"{place}, structure",
                says(f"'{key}' is not allowed in {scenario.name}; ", f"'{key}' is niet toegestaan in {scenario.name}; ")
                + suggestion(key, structures),
            )
            continue
        host = draft.host
        if host is not None and not draft.host_inside:
            reader.add(
                f"{place}, host", says(f"{host} lies outside {scenario.name}", f"{host} ligt buiten {scenario.name}")
            )
            continue
        host_given = host is not None
        if host is None:  # the rule of docs/observed.md: the largest member
            host = max(inside, key=lambda code: (population.get(code, 0), -order.get(code, 0)))
        elif host not in inside and host not in providers:
            reader.add(
                f"{place}, host",
                says(
                    f"{host} hosts {draft.name} but is not among its members",
                    f"{host} is gastheer van {draft.dutch_name}, maar hoort niet bij de leden",
                ),
            )
        declared = {m.name.casefold(): m for m in scenario.municipalities if m.partner}
        unknown = [p for p in draft.partners if p.casefold() not in declared] if partners_needed else []
        for name in unknown:
            reader.add(
                f"{place}, partners",
                says(
                    f"partner '{name}' has no workload: {scenario.name} does not declare it (expected a partners: "
                    "entry in the scenario with its workload, docs/observed.md)",
                    f"partner '{name}' heeft geen werklast: {scenario.name} noemt hem niet (verwacht een partners:-"
                    "regel in het scenario met zijn werklast, docs/observed.md)",
                ),
            )
        members = list(inside)
        places: dict[str, tuple[str, ...]] = {}
        for name in draft.partners:
            partner = declared.get(name.casefold())
            if partner is not None:  # it takes part in the pool's domains that it has
                places[partner.code] = tuple(d for d in draft.domains if d in partner.fte)
        for domain in draft.domains:
            for code in [*members, *(c for c, ds in places.items() if domain in ds)]:
                if (code, domain) in taken:
                    first = taken[code, domain]
                    reader.add(
                        place,
                        says(
                            f"{code} is in two {domain} pools ({first.name} and {draft.name})",
                            f"{code} zit in twee pools voor {display_name(domain, 'nl')} "
                            f"({first.dutch_name} en {draft.dutch_name})",
                        ),
                    )
                else:
                    taken[code, domain] = draft
        pools.append(
            ObservedPool(
                name=draft.name,
                domains=tuple(draft.domains),
                members=tuple(members),
                host=host,
                structure=key,
                host_given=host_given,
                structure_given=structure_given,
                partners=tuple(draft.partners),
                partner_places=tuple(places.items()),
                started=draft.started,
                source=draft.source,
                place=f"{label}, {place}",
            )
        )
    if header.get("listed") and not header.get("covered"):
        reader.add(
            "municipalities",
            says(
                f"speaks for no municipality of {scenario.name} (expected a file of its region)",
                f"spreekt voor geen enkele gemeente van {scenario.name} (verwacht een bestand van zijn regio)",
            ),
        )
    reader.problems.raise_if_any()
    covered = list(header.get("covered") or [])
    if not covered:
        covered = list(dict.fromkeys(c for pool in pools for c in pool.members))
    covered_domains = [d for d in header.get("domains") or [] if d in domains]
    for d in header.get("domains") or []:
        if d not in domains:
            reader.add(
                "domains",
                says(f"'{d}' is not in play in {scenario.name}; ", f"'{d}' speelt niet mee in {scenario.name}; ")
                + suggestion(d, domains),
            )
    reader.problems.raise_if_any()
    if not covered_domains:
        covered_domains = list(dict.fromkeys(d for pool in pools for d in pool.domains))
    return Observed(
        label=label,
        name=str(header.get("name") or Path(label).stem),
        pools=tuple(pools),
        covered=tuple(covered),
        domains=tuple(covered_domains),
        year=str(header.get("year") or ""),
        source=str(header.get("source") or ""),
        note=" ".join(str(header.get("note") or "").split()),
        outside_pools=tuple(outside),
        outside_members=outside_members,
        partners=tuple(dict.fromkeys(p for pool in pools for p in pool.partners)),
        region=bool(header.get("covered")),
    )
