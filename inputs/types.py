"""The validated scenario: plain frozen dataclasses that the optimizer reads.

They can be built from YAML (`inputs.loader`) or directly in Python (tests, notebooks). The fields
of the figures (municipalities, domains, structures, economics, weights, limits, solver, providers)
are written from their one declaration in `inputs/schema.py` by `tools/generate_types.py`, and a test
fails when they differ, so mypy checks real fields while the schema stays the only place a figure is
declared.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field, fields
from typing import Literal

from inputs.keys import Key

# FIGURES:BEGIN CHOICES: generated from inputs/schema.py by tools/generate_types.py --write
Scope = Literal["domain", "bundle", "all"]
Formulation = Literal["auto", "radius", "pools", "textbook"]
Decompose = Literal["none", "province", "province+whole"]
# FIGURES:END


@dataclass(frozen=True, kw_only=True)
class Municipality:
    code: str
    name: str
    # FIGURES:BEGIN MUNICIPALITY: generated from inputs/schema.py by tools/generate_types.py --write
    population: int
    lat: float
    lon: float
    #: joint arrangements it carries already; None: the scenario's `economics.existing_arrangements`
    existing_arrangements: int | None = None
    #: workload in FTE per domain, where the user knows it (else FTE per 1,000 inhabitants is used)
    fte: Mapping[str, float] = field(default_factory=dict)
    #: baseline quality (0-1) per domain, where a diagnosis gives it (else derived from unit size)
    quality: Mapping[str, float] = field(default_factory=dict)
    # FIGURES:END
    province: str = ""
    population_estimated: bool = False
    #: False for a place that can only join pools (e.g. a client in a facility-location benchmark)
    may_host: bool = True
    #: a partner that is not a municipality (a water board): it joins single-domain joint bodies in
    #: its own domains only, hosts nothing, and is not counted among the region's municipalities
    partner: bool = False

    def workload(self, domain: DomainParams) -> float:
        """FTE of work in `domain`: its `fte` where given, else what the figure falls back to (the domain's
        FTE per 1,000 inhabitants)."""
        return self.fte.get(domain.key, domain.fte_per_1000 * self.population / 1000.0)

    def arrangements(self, economics: Economics) -> int:
        """Joint arrangements it carries: its own figure where given, else the scenario's."""
        given = self.existing_arrangements
        return economics.existing_arrangements if given is None else given


@dataclass(frozen=True, kw_only=True)
class DomainParams:
    key: str
    # FIGURES:BEGIN DOMAIN: generated from inputs/schema.py by tools/generate_types.py --write
    fte_per_1000: float
    #: inhabitants at which a unit's cost per unit of work is lowest (the cost-minimising scale)
    scale_inhabitants: float = 66_000
    #: overhead (FTE) of a unit far below the scale; it falls linearly to zero at the scale
    core_fte: float
    diseconomy_share: float = 0.03
    cost_per_fte: float = 80_000
    #: workload at which size has added 95 % of what it can to a unit's quality
    critical_mass_fte: float
    location_bound: float
    absence_share: float = 0.18
    cover_premium: float = 0.375
    front_line: bool = False
    #: quality of a department too small for any specialist; size adds at most 1 - floor
    quality_floor: float = 0.6
    #: farthest host from a member in this domain; None: the region's `limits.max_travel_km`
    max_travel_km: float | None = None
    # FIGURES:END

    @property
    def scale_fte(self) -> float:
        """The cost-minimising scale as a workload: FTE per 1,000 x inhabitants / 1,000."""
        return self.fte_per_1000 * self.scale_inhabitants / 1000.0

    def overhead(self, workload: float) -> float:
        """FTE of overhead a unit doing `workload` FTE of work carries: core x (1 - W/W*) below the
        scale W*, diseconomy x (W - W*) above it (convex in W, zero at W*)."""
        scale = self.scale_fte
        if scale <= 0:
            return self.diseconomy_share * workload
        return max(self.core_fte * (1 - workload / scale), self.diseconomy_share * (workload - scale))


@dataclass(frozen=True, kw_only=True)
class StructureParams:
    key: str
    # FIGURES:BEGIN STRUCTURE: generated from inputs/schema.py by tools/generate_types.py --write
    scope: Scope = "domain"
    #: the units of this structure coordinate with each other (the matrix): `limits.max_matrix_units` counts them, and a
    #: member pays `coordination_per_interface` per pair of them it depends on
    coordinated: bool = False
    transfers_staff: bool = True
    min_members: int = 2
    max_members: int = 10
    min_domains: int = 1
    max_domains: int = 1
    max_units_per_host: int | None = None
    #: may carry front-line domains (enforcement, social support): a shared service centre does not
    takes_front_line: bool = True
    #: share of the pooled unit's quality that reaches a member (1: the member gets the pool's quality)
    quality_share: float = 1.0
    #: agency cost of a joint body: a share of its staff cost (Allers, Geertsema & van Ommeren 2015)
    agency_share: float = 0.0
    governance_per_body: float = 0
    governance_per_unit: float = 0
    governance_per_member: float = 0
    transition_per_body: float = 0
    transition_per_unit: float = 0
    transition_per_member: float = 0
    transition_per_fte: float = 0
    autonomy_loss: float = 0.0
    coordination_per_interface: float = 0
    uses_host_capacity: bool = False
    council_saving_per_member: float = 0
    #: yearly chance that the arrangement stalls or is undone, with the seed's conditions unknown
    failure_rate: float = 0.0
    #: one-off cost of undoing it, per FTE of a member's work in it
    exit_per_fte: float = 0
    #: partners that are not municipalities (a water board) may join its units
    takes_partners: bool = False
    # FIGURES:END


@dataclass(frozen=True)
class Conditions:
    """The seed's eleven conditions as a scenario states them: condition -> met (True) or not
    (False), for the region and per member; a condition not stated is unknown."""

    region: Mapping[str, bool] = field(default_factory=dict)
    members: Mapping[str, Mapping[str, bool]] = field(default_factory=dict)

    def stated(self, code: str) -> dict[str, bool]:
        """The conditions that hold for one member: the region's, changed by its own."""
        return {**self.region, **self.members.get(code, {})}


@dataclass(frozen=True, kw_only=True)
class Provider:
    """An outside provider that can host pools without being a member (outsourcing)."""

    key: str
    name: str
    domains: tuple[str, ...]
    structures: tuple[str, ...] = ("centre",)
    # FIGURES:BEGIN PROVIDER: generated from inputs/schema.py by tools/generate_types.py --write
    lat: float
    lon: float
    price_factor: float = 1.1
    quality: float = 0.8
    capacity_fte: float | None = None
    # FIGURES:END
    #: EUR a year for every unit the provider runs (a facility's opening cost); not a scenario's figure
    #: but the OR-Library benchmarks' (benchmarks/orlib.py), so it is not in inputs/schema.py
    fixed_cost: float = 0.0


@dataclass(frozen=True)
class ForcedPair:
    a: str
    b: str
    domains: tuple[str, ...]


@dataclass(frozen=True)
class Politics:
    #: municipality code -> domains in which it stays on its own
    excluded: Mapping[str, frozenset[str]] = field(default_factory=dict)
    #: municipality code -> domains in which it must pool
    forced: Mapping[str, frozenset[str]] = field(default_factory=dict)
    #: pairs that never share a pool
    excluded_pairs: frozenset[tuple[str, str]] = frozenset()
    forced_pairs: tuple[ForcedPair, ...] = ()
    #: 0 < willingness <= 1; autonomy loss counts 1 / willingness times
    willingness: Mapping[str, float] = field(default_factory=dict)
    #: nobody worse off: under this key no member pays more for a pool than its domains cost it alone
    participation: Key | None = None


@dataclass(frozen=True, kw_only=True)
class Limits:
    # FIGURES:BEGIN LIMITS: generated from inputs/schema.py by tools/generate_types.py --write
    max_travel_km: float | None = 40.0
    host_capacity_factor: float | None = 2.5
    max_arrangements: int | None = None
    max_matrix_units: int | None = None
    max_pools: int | None = None
    #: a pathway's cap on municipalities joining or leaving a pool in one year, over the region; starting a pool of k
    #: members is k changes (seta pathway)
    max_changes_per_year: int | None = None
    #: a pathway's cap on the pools one municipality joins or leaves in one year (seta pathway)
    max_changes_per_municipality: int | None = None
    #: every pool's municipalities form one piece of the map (shared borders, the dataset's adjacency or the adjacency
    #: table): no pool across water or over a municipality that stays out
    connected_pools: bool = False
    # FIGURES:END


@dataclass(frozen=True, kw_only=True)
class Weights:
    # FIGURES:BEGIN WEIGHTS: generated from inputs/schema.py by tools/generate_types.py --write
    cost: float = 1.0
    quality: float = 0.5
    vulnerability: float = 1.0
    manageability: float = 1.0
    autonomy: float = 1.0
    # FIGURES:END


#: the criteria of the objective, one weight each
CRITERIA = tuple(f.name for f in fields(Weights))


@dataclass(frozen=True, kw_only=True)
class Economics:
    # FIGURES:BEGIN ECONOMICS: generated from inputs/schema.py by tools/generate_types.py --write
    horizon_years: float = 8
    #: real yearly rate at which the workbook's cash flow is discounted to its net present value; the Cash flow sheet
    #: and the pathway (seta pathway) read it, never the one-year model
    discount_rate: float = 0.0225
    travel_eur_per_fte_km: float = 120
    detour_factor: float = 1.3
    autonomy_eur: float = 20_000
    tie_discount: float = 0.5
    #: a pathway's pool yields this share of its yearly effect (savings and valuations) in the year it starts, all of it
    #: from the second year on (seta pathway)
    ramp_up_share: float = 0.5
    #: a pool that has run this many years lowers the failure risk of a later pool among the same members (seta pathway)
    learning_years: int = 2
    #: share of a pool's yearly failure rate that falls away when its members ran a pool together for learning_years
    #: before it (seta pathway)
    learning_reduction: float = 0.5
    existing_arrangements: int = 27
    # FIGURES:END


@dataclass(frozen=True, kw_only=True)
class SolverOptions:
    # FIGURES:BEGIN SOLVER: generated from inputs/schema.py by tools/generate_types.py --write
    name: Literal["highs", "cbc"] = "highs"
    time_limit: float = 60.0
    gap: float = 0.0
    threads: int = 1
    seed: int = 0
    formulation: Formulation = "auto"
    decompose: Decompose = "none"
    # FIGURES:END


Distribution = Literal["uniform", "triangular"]


@dataclass(frozen=True)
class Uncertain:
    """One figure's plausible range: `path` as in a scenario (`domains.taxes.fte_per_1000`), the
    scenario's own value (None: the figure is unset, e.g. no limit), and the draw dimension (group)
    it moves with."""

    path: str
    value: float | None
    low: float
    high: float
    distribution: Distribution
    group: str


@dataclass(frozen=True)
class Uncertainty:
    """The uncertain figures of a scenario, by group (one dimension of a robustness study each)."""

    figures: tuple[Uncertain, ...] = ()
    #: group -> (English label, Dutch label)
    labels: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def groups(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(figure.group for figure in self.figures))

    def label(self, group: str, lang: str = "en") -> str:
        english, dutch = self.labels.get(group, (group, group))
        return dutch if lang == "nl" else english


#: a pooled service of a configuration written in a scenario: (member, domain, host, structure)
Placed = tuple[str, str, str, str]


@dataclass(frozen=True)
class Scenario:
    name: str
    municipalities: tuple[Municipality, ...]
    domains: tuple[DomainParams, ...]
    structures: tuple[StructureParams, ...]
    description: str = ""
    dataset: str | None = None
    adjacency: frozenset[tuple[str, str]] = frozenset()
    ties: frozenset[tuple[str, str]] = frozenset()
    providers: tuple[Provider, ...] = ()
    politics: Politics = field(default_factory=Politics)
    limits: Limits = field(default_factory=Limits)
    weights: Weights = field(default_factory=Weights)
    economics: Economics = field(default_factory=Economics)
    solver: SolverOptions = field(default_factory=SolverOptions)
    source: str = "python"
    #: road km from a member to a host, where known; otherwise straight line x detour factor
    distances: Mapping[tuple[str, str], float] = field(default_factory=dict)
    #: plausible ranges of its figures, for `seta robust` (they do not shape the model)
    uncertainty: Uncertainty = field(default_factory=Uncertainty)
    #: the seed's conditions for a cooperation that works: they move each structure's failure rate
    conditions: Conditions = field(default_factory=Conditions)
    #: what reading the inputs found worth saying although nothing was wrong (e.g. unused columns)
    notices: tuple[str, ...] = ()
    #: today's configuration (`current:`), where the scenario gives one: (member, domain, host,
    #: structure) for every pooled service; a pathway starts from it (it does not shape the model)
    current: tuple[Placed, ...] | None = None

    def content_hash(self) -> str:
        """SHA-256 of everything that shapes the model (not the solver options or the source)."""
        content = asdict(self)
        for key in ("solver", "source", "uncertainty", "notices", "current"):
            content.pop(key)
        # the discount rate only values the answer's cash flow afterwards: the model, and so the hash, is the same
        content["economics"].pop("discount_rate")
        if content["politics"]["participation"] is None:  # absent: the hashes of earlier scenarios hold
            content["politics"].pop("participation")
        if not content["conditions"]["region"] and not content["conditions"]["members"]:
            content.pop("conditions")
        # JSON keys are text: the pairs as rows; none given: the hashes of earlier scenarios hold
        given = content.pop("distances")
        if given:
            content["distances"] = sorted([a, b, km] for (a, b), km in given.items())
        for municipality in content["municipalities"]:  # absent: the hashes of earlier scenarios hold
            if not municipality["partner"]:
                municipality.pop("partner")
        text = json.dumps(content, sort_keys=True, default=_jsonable)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _jsonable(value: object) -> object:
    if isinstance(value, frozenset | set):
        return sorted(value, key=repr)
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"cannot hash {type(value).__name__}")


def pair(a: str, b: str) -> tuple[str, str]:
    """A pair of codes in a canonical order, so (a, b) and (b, a) are one pair."""
    return (a, b) if a <= b else (b, a)
