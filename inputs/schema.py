"""One declaration per figure: its type, unit, plausible range, display label, meaning and default.

Every figure a scenario can set is declared here once, and everything else follows from it: the
fields of the scenario types (`inputs/types.py`, written by `tools/generate_types.py`), the checks of
the loader, the `--time-limit`-style CLI options (from `SOLVER`), `--set` (through the loader) and the
tables in `docs/model.md` (`tools/defaults_table.py`). A figure with one default for the whole model
declares it here with its source; the values that differ per domain and per structure are tables of
these figures in `inputs.defaults`, which start from the default declared here where there is one. A
municipality's figures are the columns of its table: one given per domain is a column per domain
(`fte_<domain>`), and one a row may leave out names what it falls back to.
Ranges are plausible, not only possible: a population of a billion or a weight of 1e300 is a typing
error, not a scenario, and is reported as bad input before any solving.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Final, Literal

from inputs.labels import figure, number, says, unit
from inputs.sources import ARRANGEMENTS, SEED, SICK

Kind = Literal["number", "integer", "flag", "choice"]


def number_text(value: float, lang: str = "en") -> str:
    """1000000 -> '1,000,000'; 0.5 -> '0.5' (Dutch '1.000.000', '0,5')."""
    if float(value).is_integer():
        return number(value, 0, lang)
    return figure(value, lang)


#: what a value is (Spec.noun) in Dutch
NOUNS_NL = {
    "a whole number of inhabitants": "een geheel aantal inwoners",
    "degrees latitude": "graden breedte",
    "degrees longitude": "graden lengte",
}


@dataclass(frozen=True)
class Figure:
    """A figure's value and where it comes from (a source, or ASSUMPTION with its reason)."""

    value: float | int | bool | str | None
    source: str


@dataclass(frozen=True)
class Spec:
    kind: Kind
    label: str
    label_nl: str
    unit: str = ""
    low: float | None = None
    high: float | None = None
    #: the low end itself is not allowed (a share above 0, a horizon of more than 0 years)
    low_open: bool = False
    #: nothing (YAML null) is allowed and means "no limit"
    optional: bool = False
    choices: tuple[str, ...] = ()
    #: a definition of the structure, not a figure a scenario may change
    fixed: bool = False
    #: what a value is, where "a number" says too little ("a whole number of inhabitants")
    noun: str = ""
    #: what the figure means where the label says too little: the comment on its field in inputs/types.py
    doc: str = ""
    #: the value wherever no table of `inputs.defaults` gives another, and the field's default in Python;
    #: None where every domain has its own (its workload, and what follows from it)
    default: Figure | None = None
    #: the name of the choices' type in inputs/types.py, for code that names the type
    alias: str = ""
    #: given per domain (a municipality's `<key>_<domain>` columns): the field maps a domain to its value, and a
    #: domain not given takes `fallback`
    per_domain: bool = False
    #: what a municipality that gives no value gets instead, in words (`economics.existing_arrangements`):
    #: the field is then None (or, per domain, leaves the domain out) where nothing is given
    fallback: str = ""

    @property
    def required(self) -> bool:
        """Every table (or row) must give it: no default, nothing to fall back to, not per domain."""
        return self.default is None and not self.fallback and not self.per_domain

    def display(self, lang: str = "en") -> str:
        return self.label_nl if lang == "nl" else self.label

    def what(self) -> str:
        if self.noun:
            return says(self.noun, NOUNS_NL.get(self.noun, self.noun))
        if self.kind == "integer":
            return says("a whole number", "een geheel getal")
        if self.kind == "flag":
            return says("true or false", "true of false")
        return says("a number", "een getal")

    def range_text(self) -> str:
        low, high = self.low, self.high
        if low is not None and high is not None:
            if self.low_open:
                return says(
                    f" above {number_text(low)} and at most {number_text(high)}",
                    f" boven {number_text(low, 'nl')} en hooguit {number_text(high, 'nl')}",
                )
            return says(
                f" from {number_text(low)} to {number_text(high)}",
                f" van {number_text(low, 'nl')} tot en met {number_text(high, 'nl')}",
            )
        if low is not None:
            if self.low_open:
                return says(f" above {number_text(low)}", f" boven {number_text(low, 'nl')}")
            return says(f" of at least {number_text(low)}", f" van minstens {number_text(low, 'nl')}")
        if high is not None:
            return says(f" of at most {number_text(high)}", f" van hooguit {number_text(high, 'nl')}")
        return ""

    def expected(self) -> str:
        """'a number from 0 to 1' or 'one of: highs, cbc', with the unit where there is one."""
        if self.kind == "choice":
            return says("one of: ", "een van: ") + ", ".join(self.choices)
        text = self.what() + self.range_text()
        if self.kind == "number" and self.unit and not self.noun and self.unit not in UNITLESS:
            text += says(f", in {self.unit}", f", in {unit(self.unit, 'nl')}")
        if self.optional:
            text += says(", or nothing for no limit", ", of niets voor geen grens")
        return text

    def in_range(self, value: float) -> bool:
        if not math.isfinite(value):
            return False
        if self.low is not None and (value <= self.low if self.low_open else value < self.low):
            return False
        return self.high is None or value <= self.high


def _n(label: str, label_nl: str, unit: str, low: float | None, high: float | None, **more: object) -> Spec:
    return Spec("number", label, label_nl, unit, low, high, **more)  # type: ignore[arg-type]


def _i(label: str, label_nl: str, unit: str, low: float | None, high: float | None, **more: object) -> Spec:
    return Spec("integer", label, label_nl, unit, low, high, **more)  # type: ignore[arg-type]


def _flag(label: str, label_nl: str, **more: object) -> Spec:
    return Spec("flag", label, label_nl, **more)  # type: ignore[arg-type]


SHARE = "share 0-1"
#: units that say nothing beyond the range itself
UNITLESS: Final = (SHARE, "x", "ratio", "x autonomy_eur")
EUR_YEAR = "EUR/year"
EUR_ONCE = "EUR one-off"
MONEY_HIGH = 1e9  # EUR a year: more than the budget of any Dutch municipality's whole staff

#: what a department far too small for a specialist delivers, on the 0-1 quality scale
QUALITY_FLOOR_VALUE: Final = 0.6
#: a cost that a structure does not have unless its table says so
NO_COST: Final = Figure(0, "none")

DOMAIN: Final[dict[str, Spec]] = {
    "fte_per_1000": _n("workload per 1,000 inhabitants", "werklast per 1.000 inwoners", "FTE", 0, 100),
    "scale_inhabitants": _n(
        "cost-minimising scale",
        "kostenminimaliserende schaal",
        "inhabitants",
        0,
        50_000_000,
        low_open=True,
        doc="inhabitants at which a unit's cost per unit of work is lowest (the cost-minimising scale)",
        default=Figure(
            66_000,
            "ASSUMPTION: no sourced scale for this domain, so the general administration figure (ESB 2015: "
            "66,000 inhabitants; IPSE 2019: 40,000-65,000)",
        ),
    ),
    "core_fte": _n(
        "overhead of a unit far below the scale",
        "overhead van een eenheid ver onder de schaal",
        "FTE",
        0,
        1_000,
        doc="overhead (FTE) of a unit far below the scale; it falls linearly to zero at the scale",
    ),
    "diseconomy_share": _n(
        "overhead per FTE of work above the scale",
        "overhead per fte werk boven de schaal",
        SHARE,
        0,
        1,
        default=Figure(
            0.03,
            "ASSUMPTION calibrated on Allers & de Greef 2018: cooperation raises spending for large "
            "municipalities (above the cost-minimising scale coordination grows with the work)",
        ),
    ),
    "cost_per_fte": _n(
        "cost per FTE",
        "kosten per fte",
        EUR_YEAR,
        0,
        1_000_000,
        default=Figure(
            80_000,
            "ASSUMPTION: CAO Gemeenten scale 9-10 with employer charges (Berenschot 2016: "
            "EUR 30.2k overhead per FTE comes on top)",
        ),
    ),
    "critical_mass_fte": _n(
        "workload at which a unit has 95 % of the quality size can add",
        "werklast waarbij een eenheid 95 % heeft van de kwaliteit die omvang kan toevoegen",
        "FTE",
        0,
        100_000,
        low_open=True,
        doc="workload at which size has added 95 % of what it can to a unit's quality",
    ),
    "location_bound": _n("share of work done on location", "aandeel werk op locatie", SHARE, 0, 1),
    "absence_share": _n(
        "chance a staff member is absent",
        "kans dat een medewerker afwezig is",
        SHARE,
        0,
        0.9,
        low_open=True,
        default=Figure(0.18, f"ASSUMPTION anchored on {SICK} (domain brief: 0.15-0.20)"),
    ),
    "cover_premium": _n(
        "cost of cover while a service stands empty, times its own",
        "kosten van vervanging bij leegstand, maal de eigen",
        "ratio",
        0,
        10,
        default=Figure(
            0.375,
            "ASSUMPTION calibrated on Beek e.o. and Beemster e.o. (their best pooling gains under 1 % of their "
            "cash cost with the risk their conditions carry): while a service stands empty a quarter of its work "
            "cannot wait and is bought in at 150 % of its cost; the rest waits (salaries are paid during leave "
            "anyway)",
        ),
    ),
    "front_line": _flag(
        "work on the street or at the door (not back office)",
        "uitvoering op straat of aan de deur",
        default=Figure(False, "definition: back office"),
    ),
    "quality_floor": _n(
        "quality of a department too small for any specialist",
        "kwaliteit van een afdeling te klein voor specialisten",
        SHARE,
        0,
        1,
        doc="quality of a department too small for any specialist; size adds at most 1 - floor",
        default=Figure(
            QUALITY_FLOOR_VALUE,
            "ASSUMPTION calibrated on the seed regions (one civil service recommended in at most 3 of 9) and "
            "anchored on Bogetoft & Wittrup (a service-level index over 55 indicators does not correlate with "
            "spending) and Berenschot 2018 (merged civil services missed their quality goals): a department "
            "without specialists still delivers most of the service, so size can add at most the rest",
        ),
    ),
    "max_travel_km": _n(
        "farthest host from a member in this domain (none: the region's limit)",
        "grootste afstand tot de gastheergemeente in dit taakveld (leeg: de grens van de regio)",
        "km",
        0,
        1_000,
        low_open=True,
        optional=True,
        doc="farthest host from a member in this domain; None: the region's `limits.max_travel_km`",
        default=Figure(None, "the region's limit (limits.max_travel_km)"),
    ),
}

STRUCTURE: Final[dict[str, Spec]] = {
    "scope": Spec(
        "choice",
        "domains one body carries",
        "taakvelden per organisatie",
        choices=("domain", "bundle", "all"),
        fixed=True,
        default=Figure("domain", "definition"),
        alias="Scope",
    ),
    "coordinated": _flag(
        "units coordinate with each other (matrix)",
        "eenheden stemmen onderling af (matrix)",
        fixed=True,
        doc="the units of this structure coordinate with each other (the matrix): `limits.max_matrix_units` "
        "counts them, and a member pays `coordination_per_interface` per pair of them it depends on",
        default=Figure(False, "definition"),
    ),
    "transfers_staff": _flag(
        "staff moves to the host", "personeel gaat naar de gastheergemeente", default=Figure(True, "definition")
    ),
    "min_members": _i(
        "fewest members",
        "minste deelnemers",
        "municipalities",
        2,
        1_000,
        default=Figure(2, "definition: a pool has at least two members"),
    ),
    "max_members": _i(
        "most members",
        "meeste deelnemers",
        "municipalities",
        2,
        1_000,
        default=Figure(10, "ASSUMPTION: beyond ten members a pool is no longer one arrangement"),
    ),
    "min_domains": _i(
        "fewest domains in one body",
        "minste taakvelden per organisatie",
        "domains",
        1,
        100,
        default=Figure(1, "definition"),
    ),
    "max_domains": _i(
        "most domains in one body",
        "meeste taakvelden per organisatie",
        "domains",
        1,
        100,
        default=Figure(1, "definition"),
    ),
    "max_units_per_host": _i(
        "most units one host carries",
        "meeste eenheden per gastheergemeente",
        "units",
        1,
        100,
        optional=True,
        default=Figure(None, "no limit"),
    ),
    "takes_front_line": _flag(
        "may carry front-line domains",
        "mag uitvoerende taakvelden dragen",
        doc="may carry front-line domains (enforcement, social support): a shared service centre does not",
        default=Figure(True, "definition"),
    ),
    "quality_share": _n(
        "share of the pool's quality that reaches a member",
        "deel van de kwaliteit van de pool dat een deelnemer bereikt",
        SHARE,
        0,
        1,
        doc="share of the pooled unit's quality that reaches a member (1: the member gets the pool's quality)",
        default=Figure(1.0, "ASSUMPTION: one organisation delivers the pool's quality"),
    ),
    "agency_share": _n(
        "agency cost of the joint body, share of its staff cost",
        "uitvoeringskosten van de bedrijfsvoeringsorganisatie, aandeel van de personeelskosten",
        SHARE,
        0,
        1,
        doc="agency cost of a joint body: a share of its staff cost (Allers, Geertsema & van Ommeren 2015)",
        default=Figure(0.0, "none"),
    ),
    "governance_per_body": _n(
        "governance per body", "sturing per organisatie", EUR_YEAR, 0, MONEY_HIGH, default=NO_COST
    ),
    "governance_per_unit": _n("governance per unit", "sturing per eenheid", EUR_YEAR, 0, MONEY_HIGH, default=NO_COST),
    "governance_per_member": _n(
        "governance per member", "sturing per deelnemer", EUR_YEAR, 0, MONEY_HIGH, default=NO_COST
    ),
    "transition_per_body": _n("set-up per body", "opzet per organisatie", EUR_ONCE, 0, MONEY_HIGH, default=NO_COST),
    "transition_per_unit": _n("set-up per unit", "opzet per eenheid", EUR_ONCE, 0, MONEY_HIGH, default=NO_COST),
    "transition_per_member": _n("set-up per member", "opzet per deelnemer", EUR_ONCE, 0, MONEY_HIGH, default=NO_COST),
    "transition_per_fte": _n(
        "set-up per moved FTE", "opzet per verhuisde fte", EUR_ONCE, 0, 10_000_000, default=NO_COST
    ),
    "autonomy_loss": _n(
        "loss of control",
        "verlies aan zeggenschap",
        "x autonomy_eur",
        0,
        10,
        default=Figure(0.0, "ASSUMPTION: no loss of control unless a structure says so"),
    ),
    "coordination_per_interface": _n(
        "coordination per pair of matrix units",
        "afstemming per paar matrixeenheden",
        EUR_YEAR,
        0,
        MONEY_HIGH,
        default=NO_COST,
    ),
    "uses_host_capacity": _flag(
        "the host absorbs the staff", "de gastheergemeente neemt het personeel op", default=Figure(False, "definition")
    ),
    "council_saving_per_member": _n(
        "council saving per merged municipality",
        "besparing per opgeheven raad",
        EUR_YEAR,
        0,
        MONEY_HIGH,
        default=NO_COST,
    ),
    "failure_rate": _n(
        "yearly chance that it stalls or is undone, conditions unknown",
        "jaarlijkse kans dat het vastloopt of wordt teruggedraaid, condities onbekend",
        SHARE,
        0,
        1,
        doc="yearly chance that the arrangement stalls or is undone, with the seed's conditions unknown",
        default=Figure(0.0, "none"),
    ),
    "exit_per_fte": _n(
        "cost of undoing it, per FTE of a member's work in it",
        "kosten van terugdraaien, per fte werk van een deelnemer",
        EUR_ONCE,
        0,
        10_000_000,
        doc="one-off cost of undoing it, per FTE of a member's work in it",
        default=NO_COST,
    ),
    "takes_partners": _flag(
        "partners that are not municipalities may join (a water board)",
        "partners die geen gemeente zijn mogen deelnemen (een waterschap)",
        fixed=True,
        doc="partners that are not municipalities (a water board) may join its units",
        default=Figure(False, "definition: members are municipalities"),
    ),
}

ECONOMICS: Final[dict[str, Spec]] = {
    "horizon_years": _n(
        "write-off horizon",
        "afschrijvingstermijn",
        "years",
        0,
        100,
        low_open=True,
        default=Figure(8, "ASSUMPTION: transition cost is written off over 8 years"),
    ),
    "discount_rate": _n(
        "discount rate",
        "discontovoet",
        SHARE,
        -0.01,  # the same source's rate for costs and benefits without any risk: -1 %
        0.2,
        doc="real yearly rate at which the workbook's cash flow is discounted to its net present value; "
        "the Cash flow sheet and the pathway (seta pathway) read it, never the one-year model",
        default=Figure(
            0.0225,
            "Werkgroep discontovoet 2020 (Rapport werkgroep discontovoet 2020, Ministerie van Financien; in force "
            "from 1 January 2021): the standard real discount rate for Dutch cost-benefit analyses (MKBA), -1 % "
            "risk-free plus a 3.25 % risk premium",
        ),
    ),
    "travel_eur_per_fte_km": _n(
        "travel cost per FTE and km",
        "reiskosten per fte en km",
        EUR_YEAR,
        0,
        10_000,
        default=Figure(120, "ASSUMPTION: 200 working days x 2 trips x EUR 0.30 per km (time and cost)"),
    ),
    "detour_factor": _n(
        "road over straight-line distance",
        "omrijfactor",
        "ratio",
        1,
        5,
        default=Figure(1.3, "ASSUMPTION: road distance over straight-line distance"),
    ),
    "autonomy_eur": _n(
        "value of full control over a domain",
        "waarde van volledige zeggenschap",
        EUR_YEAR,
        0,
        1e8,
        default=Figure(
            20_000,
            "ASSUMPTION: full control over one domain is worth a quarter of a policy adviser's year (EUR 80,000) "
            "to a municipality: the time it spends steering the domain through others once it no longer runs it "
            "itself",
        ),
    ),
    "tie_discount": _n(
        "transition saved by prior ties",
        "transitiekosten bespaard door eerdere banden",
        SHARE,
        0,
        1,
        default=Figure(0.5, f"ASSUMPTION: prior ties halve a member's transition cost (trust; {SEED}, condition 9)"),
    ),
    "ramp_up_share": _n(
        "share of a pool's yearly effect in its first year",
        "aandeel van het jaarlijkse effect van een pool in het eerste jaar",
        SHARE,
        0,
        1,
        doc="a pathway's pool yields this share of its yearly effect (savings and valuations) in the year it "
        "starts, all of it from the second year on (seta pathway)",
        default=Figure(
            0.5,
            "ASSUMPTION: a pool starts on average half-way through its first year (staff move, systems are merged); "
            "the seed: 'savings come later'",
        ),
    ),
    "learning_years": _i(
        "years a pool runs before its members have learnt to cooperate",
        "jaren dat een pool loopt voordat de deelnemers hebben leren samenwerken",
        "years",
        1,
        30,
        doc="a pool that has run this many years lowers the failure risk of a later pool among the same "
        "members (seta pathway)",
        default=Figure(
            2,
            "ASSUMPTION: the seed's quick wins and 'winning mood': two years of a working pool build the trust "
            "the next step needs",
        ),
    ),
    "learning_reduction": _n(
        "failure risk taken away by a pool that ran before among the same members",
        "faalrisico dat een eerdere pool tussen dezelfde deelnemers wegneemt",
        SHARE,
        0,
        1,
        doc="share of a pool's yearly failure rate that falls away when its members ran a pool together for "
        "learning_years before it (seta pathway)",
        default=Figure(
            0.5,
            f"ASSUMPTION anchored on {SEED} (condition 9, prior ties; quick wins): cooperation that worked halves "
            "the chance that the next step stalls",
        ),
    ),
    "existing_arrangements": _i(
        "joint arrangements a municipality carries",
        "bestaande gemeenschappelijke regelingen",
        "arrangements",
        0,
        1_000,
        default=Figure(27, ARRANGEMENTS),
    ),
}

WEIGHT_HIGH = 1_000

WEIGHTS: Final[dict[str, Spec]] = {
    "cost": _n("weight of cost", "gewicht kosten", "x", 0, WEIGHT_HIGH, default=Figure(1.0, "EUR per EUR")),
    "quality": _n(
        "weight of quality",
        "gewicht kwaliteit",
        "x",
        0,
        WEIGHT_HIGH,
        default=Figure(
            0.5,
            "ASSUMPTION calibrated on the seed regions (one civil service recommended in at most 3 of 9, at least "
            "three structures recommended, Schagen's one civil service and Drechtsteden's shared service centre "
            "close): moving a service from weak (0.6) to adequate (0.8) is worth a tenth of its annual cost a year",
        ),
    ),
    "vulnerability": _n(
        "weight of vulnerability",
        "gewicht kwetsbaarheid",
        "x",
        0,
        WEIGHT_HIGH,
        default=Figure(1.0, "EUR per EUR of expected cover while a service stands empty"),
    ),
    "manageability": _n(
        "weight of manageability",
        "gewicht bestuurbaarheid",
        "x",
        0,
        WEIGHT_HIGH,
        default=Figure(1.0, "EUR per coordination interface x coordination_per_interface"),
    ),
    "autonomy": _n(
        "weight of autonomy",
        "gewicht autonomie",
        "x",
        0,
        WEIGHT_HIGH,
        default=Figure(1.0, "EUR per autonomy loss x autonomy_eur"),
    ),
}

LIMITS: Final[dict[str, Spec]] = {
    "max_travel_km": _n(
        "farthest host from a member",
        "grootste afstand tot de gastheergemeente",
        "km",
        0,
        1_000,
        low_open=True,
        optional=True,
        default=Figure(40.0, "ASSUMPTION: a host farther than this (road km) is not a candidate for a member"),
    ),
    "host_capacity_factor": _n(
        "staff a host absorbs, times its own",
        "op te nemen personeel, maal het eigen",
        "ratio",
        0,
        1_000,
        optional=True,
        default=Figure(2.5, "ASSUMPTION: a host absorbs at most 2.5 times its own staff in the pooled domains"),
    ),
    "max_arrangements": _i(
        "most joint arrangements per municipality",
        "meeste regelingen per gemeente",
        "arrangements",
        0,
        10_000,
        optional=True,
        default=Figure(None, "no limit"),
    ),
    "max_matrix_units": _i(
        "most matrix units in the region",
        "meeste matrixeenheden in de regio",
        "units",
        0,
        10_000,
        optional=True,
        default=Figure(None, "no limit"),
    ),
    "max_pools": _i(
        "most pools in the region",
        "meeste pools in de regio",
        "pools",
        0,
        100_000,
        optional=True,
        default=Figure(None, "no limit"),
    ),
    "max_changes_per_year": _i(
        "most changes a year in the region",
        "meeste wijzigingen per jaar in de regio",
        "changes",
        0,
        100_000,
        optional=True,
        doc="a pathway's cap on municipalities joining or leaving a pool in one year, over the region; starting "
        "a pool of k members is k changes (seta pathway)",
        default=Figure(None, "no limit"),
    ),
    "max_changes_per_municipality": _i(
        "most changes a year per municipality",
        "meeste wijzigingen per jaar per gemeente",
        "changes",
        0,
        1_000,
        optional=True,
        doc="a pathway's cap on the pools one municipality joins or leaves in one year (seta pathway)",
        default=Figure(None, "no limit"),
    ),
    "connected_pools": _flag(
        "a pool's members are joined by shared borders",
        "de deelnemers van een pool grenzen aaneengesloten aan elkaar",
        doc="every pool's municipalities form one piece of the map (shared borders, the dataset's adjacency or "
        "the adjacency table): no pool across water or over a municipality that stays out",
        default=Figure(False, "no such rule unless the region asks for it"),
    ),
}

SOLVER: Final[dict[str, Spec]] = {
    "name": Spec(
        "choice", "MIP solver", "MIP-solver", choices=("highs", "cbc"), default=Figure("highs", "HiGHS through highspy")
    ),
    "time_limit": _n(
        "seconds a solve may take, model building included",
        "seconden per oplossing, met het bouwen van het model",
        "s",
        0,
        1_000_000,
        low_open=True,
        default=Figure(60.0, "seconds"),
    ),
    "gap": _n(
        "relative gap at which the solver may stop (0.01 = 1 %)",
        "relatieve afstand waarop de solver mag stoppen (0,01 = 1 %)",
        SHARE,
        0,
        1,
        default=Figure(0.0, "relative gap at which the solver may stop"),
    ),
    "threads": _i(
        "solver threads (1 is repeatable)",
        "threads van de solver (1 is herhaalbaar)",
        "threads",
        1,
        64,
        default=Figure(1, "one thread is repeatable and fastest on two cores (docs/stack.md)"),
    ),
    "seed": _i(
        "solver random seed", "startgetal van de solver", "", 0, 2_147_483_647, default=Figure(0, "random seed")
    ),
    "formulation": Spec(
        "choice",
        "formulation: radius where it is exact, else pools where the pools can be listed, else textbook "
        "(auto), or force one",
        "formulering: radius waar die exact is, anders pools waar de pools te noemen zijn, anders textbook "
        "(auto), of kies er een",
        choices=("auto", "radius", "pools", "textbook"),
        default=Figure(
            "auto",
            "radius (covering) formulation where every pool is a pure facility-location choice, else pools (set "
            "partitioning, each member set a column) where the pools can be listed, else the textbook one "
            "(docs/model.md)",
        ),
        alias="Formulation",
    ),
    "decompose": Spec(
        "choice",
        "solve as one model (none), one model per province side by side (province), or by province and then "
        "the whole model started from that answer (province+whole)",
        "oplossen als één model (none), één model per provincie naast elkaar (province), of per provincie en "
        "dan het hele model vanuit dat antwoord (province+whole)",
        choices=("none", "province", "province+whole"),
        default=Figure(
            "none",
            "none: one model for the whole scenario; province: one model per province, solved side by side, pools "
            "stay within a province and no bound holds for the whole; province+whole: then the whole model, "
            "started from the provinces' answer, where pools may cross borders and the bound holds for the whole "
            "(docs/model.md)",
        ),
        alias="Decompose",
    ),
}

#: a municipality's figures: the columns of a municipalities table (`<key>_<domain>` for a figure given per domain)
#: and the fields of `inputs.types.Municipality`
MUNICIPALITY: Final[dict[str, Spec]] = {
    "population": _i("inhabitants", "inwoners", "inhabitants", 0, 50_000_000, noun="a whole number of inhabitants"),
    "lat": _n("latitude", "breedtegraad", "degrees", -90, 90, noun="degrees latitude"),
    "lon": _n("longitude", "lengtegraad", "degrees", -180, 180, noun="degrees longitude"),
    "existing_arrangements": replace(
        ECONOMICS["existing_arrangements"],
        default=None,
        fallback="economics.existing_arrangements",
        doc="joint arrangements it carries already; None: the scenario's `economics.existing_arrangements`",
    ),
    "fte": _n(
        "workload of a domain",
        "werklast van een taakveld",
        "FTE",
        0,
        1_000_000,
        per_domain=True,
        fallback="`domains.<domain>.fte_per_1000` x population / 1000",
        doc="workload in FTE per domain, where the user knows it (else FTE per 1,000 inhabitants is used)",
    ),
    "quality": _n(
        "baseline quality of a domain",
        "huidige kwaliteit van een taakveld",
        SHARE,
        0,
        1,
        per_domain=True,
        fallback='a `diagnosis:`, else what the size of its own department gives ("Staff, cost and quality of a unit")',
        doc="baseline quality (0-1) per domain, where a diagnosis gives it (else derived from unit size)",
    ),
}

#: the figures every municipality gives (its population and place), in a table's every row
MUNICIPALITY_GIVEN: Final = tuple(key for key, spec in MUNICIPALITY.items() if spec.required)

#: an outside provider's figures (a scenario's `providers:` entries; the fields of `inputs.types.Provider`)
PROVIDER: Final[dict[str, Spec]] = {
    "lat": MUNICIPALITY["lat"],
    "lon": MUNICIPALITY["lon"],
    "price_factor": _n(
        "price over a municipality's",
        "prijs ten opzichte van een gemeente",
        "ratio",
        0,
        10,
        low_open=True,
        default=Figure(1.1, "ASSUMPTION: a provider charges its costs and a margin of 10 % over a municipality's own"),
    ),
    "quality": _n(
        "quality of the provider",
        "kwaliteit van de aanbieder",
        SHARE,
        0,
        1,
        default=Figure(0.8, "ASSUMPTION: a specialised provider works at the level of a good-sized municipal unit"),
    ),
    "capacity_fte": _n(
        "staff the provider can take",
        "capaciteit van de aanbieder",
        "FTE",
        0,
        1_000_000,
        optional=True,
        default=Figure(None, "no limit"),
    ),
}

#: a diagnosis of a department: a level by name, or a quality figure: a municipality's quality in one domain,
#: given in the scenario rather than its table
DIAGNOSIS: Final = replace(
    MUNICIPALITY["quality"],
    label="diagnosed quality",
    label_nl="vastgestelde kwaliteit",
    per_domain=False,
    fallback="",
    doc="",
)

WILLINGNESS: Final = _n("willingness", "bereidheid", SHARE, 0, 1, low_open=True)

#: every section of a scenario whose keys are figures
SECTIONS: Final[dict[str, dict[str, Spec]]] = {
    "economics": ECONOMICS,
    "weights": WEIGHTS,
    "limits": LIMITS,
    "solver": SOLVER,
}
