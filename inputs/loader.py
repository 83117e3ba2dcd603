"""Reads a scenario YAML file (and the tables it names) into a validated `Scenario`.

Every problem is collected and reported at once, each with its place: the file, the key path
(``domains.taxes.core_fte``) or the table row, what is wrong and what is expected. The jobs are split
by module: the file itself (`yamlfile`), `--set` (`overrides`), typed values (`reader`), figures
(`figures`, declared in `schema`), the region (`municipalities`), `politics` and `providers`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from inputs import datasets, defaults, figures, uncertainty
from inputs.builtins import builtin_names, builtin_path, is_builtin, regional_names, resolve_reference
from inputs.conditions import conditions, diagnosis
from inputs.labels import says
from inputs.municipalities import TABLE_KEYS, distances, lookup_of, municipalities, pairs
from inputs.overrides import apply_overrides
from inputs.partners import partners
from inputs.politics import politics
from inputs.problems import Problems
from inputs.providers import providers
from inputs.reader import CONTROL, Reader, kind_of
from inputs.types import Placed, Scenario
from inputs.yamlfile import parse_yaml, read_text

__all__ = [
    "Source",
    "builtin_names",
    "builtin_path",
    "load_scenario",
    "parse_scenario",
    "read_source",
    "regional_names",
]

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
    "uncertainty",
    "diagnosis",
    "conditions",
    "partners",
    "current",
)


@dataclass(frozen=True)
class Source:
    """A scenario file read but not yet validated: its document and where it came from."""

    document: dict[str, Any]
    label: str  # the file's name, for messages
    folder: Path  # where its tables are looked for
    source: str  # a built-in name, or the file's path

    def scenario(self, document: dict[str, Any] | None = None) -> Scenario:
        """The validated scenario of this file's document, or of a changed copy of it."""
        return parse_scenario(self.document if document is None else document, self.label, self.folder, self.source)


def load_scenario(reference: str, overrides: list[str] | tuple[str, ...] = ()) -> Scenario:
    """Load a scenario from a YAML path or a built-in name, with optional `key.path=value` overrides;
    raises `InputError` on any problem."""
    read = read_source(reference)
    document = apply_overrides(read.document, overrides) if overrides else read.document
    return read.scenario(document)


def read_source(reference: str) -> Source:
    """The document of a scenario YAML path or built-in name (InputError when it cannot be read)."""
    path = resolve_reference(reference)
    problems = Problems()
    label = path.name
    text = read_text(path, label, problems, says("a scenario YAML file", "een YAML-bestand met een scenario"))
    problems.raise_if_any()
    assert text is not None
    document = parse_yaml(text, label, problems)
    problems.raise_if_any()
    if not isinstance(document, dict):
        problems.add(
            label,
            says(
                "expected a mapping of keys (name, municipalities, domains, ...)",
                "verwacht een mapping van sleutels (name, municipalities, domains, ...)",
            ),
        )
        problems.raise_if_any()
    return Source(document, label, path.parent, path.stem if is_builtin(path) else str(path))


def parse_scenario(document: dict[str, Any], label: str, folder: Path, source: str) -> Scenario:
    problems = Problems()
    reader = Reader(problems, label)
    top = reader.mapping(document, "", TOP_KEYS)
    name = reader.text(top.get("name", Path(label).stem), "name") or Path(label).stem
    description = top.get("description") or ""
    if not isinstance(description, str) or CONTROL.search(description):
        if isinstance(description, str):
            what = says("a text with a control character", "een tekst met een stuurteken")
        else:
            what = kind_of(description)
        reader.add("description", says("expected plain text, got ", "verwacht gewone tekst, kreeg ") + what)
        description = ""

    # Domains and structures first: the tables' per-domain columns are checked against them.
    domains = figures.domains(reader, top.get("domains", list(defaults.SEED_DOMAINS)))
    structures = figures.structures(reader, top.get("structures", list(defaults.DEFAULT_STRUCTURES)))
    domain_keys = [d.key for d in domains]

    tables = reader.mapping(top.get("tables"), "tables", TABLE_KEYS)
    region, dataset = municipalities(reader, top.get("municipalities"), tables, folder, domain_keys)
    region += partners(reader, top.get("partners"), domains, region, dataset)
    codes = {m.code for m in region}
    lookup = lookup_of(region)
    region = list(diagnosis(reader, top.get("diagnosis"), tuple(region), lookup, domain_keys))

    adjacency: frozenset[tuple[str, str]] = frozenset()
    if dataset:
        adjacency = frozenset(p for p in datasets.adjacency(dataset) if p[0] in codes and p[1] in codes)
    if "adjacency" in tables or "workbook" in tables:
        extra = pairs(reader, tables, folder, "adjacency", lookup)
        adjacency = adjacency | extra if extra is not None else adjacency
    ties = pairs(reader, tables, folder, "ties", lookup) or frozenset()
    table_excluded = pairs(reader, tables, folder, "excluded_pairs", lookup) or frozenset()

    scenario = Scenario(
        name=name,
        description=description.strip(),
        dataset=dataset,
        municipalities=tuple(region),
        adjacency=adjacency,
        ties=ties,
        domains=domains,
        structures=structures,
        providers=providers(reader, top.get("providers"), domain_keys, structures),
        politics=politics(reader, top.get("politics"), lookup, domain_keys, table_excluded),
        limits=figures.limits(reader, top.get("limits")),
        weights=figures.weights(reader, top.get("weights")),
        economics=figures.economics(reader, top.get("economics")),
        solver=figures.solver(reader, top.get("solver")),
        source=source,
        distances=distances(reader, tables, folder, lookup),
        conditions=conditions(reader, top.get("conditions"), lookup),
    )
    scenario = replace(
        scenario,
        uncertainty=uncertainty.parse(reader, top.get("uncertainty"), scenario),
        notices=tuple(reader.notes),
    )
    problems.raise_if_any()
    if top.get("current") is not None:
        scenario = replace(scenario, current=current(top["current"], reader.place("current"), scenario, problems))
    return scenario


def current(document: Any, label: str, scenario: Scenario, problems: Problems) -> tuple[Placed, ...]:
    """Today's configuration, written in the scenario (`current:`, the YAML layout of docs/observed.md):
    (member, domain, host, structure) for every pooled service, read against the scenario's region,
    domains and structures (a problem placed under `label`, 'kempen.yaml, current, pools[0]')."""
    from inputs.configuration import read_observed_document

    observed = read_observed_document(document, label, scenario, problems)
    return tuple(
        sorted((code, domain, host, structure) for (code, domain), (host, structure) in observed.placements().items())
    )
