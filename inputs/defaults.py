"""The default figures of each domain and each structure, and the tables that are not figures of a
scenario's sections (conditions, diagnosis levels, spreads), each value with its source.

Every figure is declared in `inputs.schema`, with its default there where one value serves the whole
model; a domain's or structure's table here starts from those and gives what differs, and naming a
figure the schema does not declare fails on import. `ECONOMICS`, `WEIGHTS`, `LIMITS` and `SOLVER` are
the schema's defaults, listed by section. A scenario overrides any of these by key (see
`docs/model.md`). Figures marked ``ASSUMPTION`` are modelling judgement, calibrated where a sourced
anchor exists; the anchor is named. Money is EUR per year unless a name says ``one-off``; staff is in
full-time equivalents (FTE).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final

from inputs import schema
from inputs.schema import QUALITY_FLOOR_VALUE, Figure
from inputs.sources import ALLERS, BBV, BERENSCHOT, COELO, HR_RATIO, MERGER_COST, SEED, SICK

ASSUMPTION: Final = "assumption"

CRITICAL_MASS = (
    "ASSUMPTION: size adds 95 % of what it can to quality by the workload of a 50,000-inhabitant "
    "municipality (IPSE 2019 cost-minimising scale 40,000-65,000; Niaounakis & Blank 2017: scale gains in "
    "tax work run out around 60,000 inhabitants)"
)

#: calibration targets the figures below are fitted to (docs/model.md, "Calibration")
GENERAL_CORE = (
    "ASSUMPTION calibrated on ambtelijkefusie.nl (5-10 % structural saving): one civil service of "
    "small municipalities (each under 25,000 inhabitants) saves 5-10 % of the pooled staff cost"
)
TAX_CORE = (
    "ASSUMPTION calibrated on COELO (about 15 % cheaper) and Niaounakis & Blank 2015 (more than 20 % "
    "for small municipalities): taxes pooled among small municipalities are 15-25 % cheaper"
)

#: the overhead of a unit far below its domain's scale, in thousands of inhabitants' workload
GENERAL_CORE_FACTOR: Final = 1.3
TAX_CORE_FACTOR: Final = 9.0


def table(specs: Mapping[str, schema.Spec], **figures: Figure) -> dict[str, Figure]:
    """Every figure `specs` declare, in their order: as given here, else at its declared default.

    Raising here (on import) keeps a misspelt or undeclared figure from passing silently as an extra
    key, and a figure declared without a default from being missing in one domain or structure."""
    undeclared = figures.keys() - specs.keys()
    if undeclared:
        raise ValueError(f"not declared in inputs.schema: {', '.join(sorted(undeclared))}")
    result = {}
    for key, spec in specs.items():
        figure = figures.get(key, spec.default)
        if figure is None:
            raise ValueError(f"{key} has no default in inputs.schema, so every table must give it")
        result[key] = figure
    return result


def _domain(
    fte_per_1000: Figure,
    location_bound: Figure,
    *,
    core_factor: float = GENERAL_CORE_FACTOR,
    core_source: str = GENERAL_CORE,
    **figures: Figure,
) -> dict[str, Figure]:
    """The figures of one domain; its overhead and critical mass follow from its workload.

    A unit doing W FTE of work carries an overhead of core x (1 - W / W*) FTE below the
    cost-minimising workload W* = FTE per 1,000 x scale / 1,000, and diseconomy x (W - W*) above it.
    With core = k x (FTE per 1,000), a municipality of P thousand inhabitants spends k (1/P - 1/S)
    more per unit of work than one at the scale of S thousand.
    """
    rate = float(fte_per_1000.value)  # type: ignore[arg-type]
    return table(
        schema.DOMAIN,
        fte_per_1000=fte_per_1000,
        core_fte=Figure(round(core_factor * rate, 3), core_source),
        critical_mass_fte=Figure(round(50 * rate, 3), CRITICAL_MASS),
        location_bound=location_bound,
        **figures,
    )


#: the figures `seta calibrate` sets from the observed tax offices (docs/model.md, "Calibration on observed
#: cooperations"); the command reproduces them, with the range that keeps every office within 1 % of optimal
CALIBRATE_COMMAND: Final = "seta calibrate nl-2024-taxes --gap 0"
OBSERVED_TAXES = (
    f"ASSUMPTION calibrated on observed tax cooperations (seta calibrate): `{CALIBRATE_COMMAND}` fits it on the six "
    "training offices (tax_cooperations_train.csv)"
)

#: the cost-minimising scale of tax work, in inhabitants: fitted by `seta calibrate` between its two sources
TAX_SCALE: Final = 83_000
TAX_SCALE_SOURCE = (
    f"{OBSERVED_TAXES} and on the share of municipalities that cooperate on taxes (its --share taxes=40-80; "
    "docs/domain.md: about half to two thirds): 83,438, or 84,203 when its search starts at 83,000, rounded down; "
    "between its two sources, Niaounakis & Blank 2017 (scale gains in tax work run out around 60,000 "
    "inhabitants) and IPSE 2015, 2019 (tax collection is cheapest at about 230,000 WOZ objects, about 460,000 "
    "inhabitants): the offices pull the scale up, the share of municipalities that pool holds it at 80 %"
)

#: how far a tax office reaches (docs/observed.md: the smallest host radius that holds each observed office)
TAX_REACH_KM: Final = 80.0
TAX_REACH = (
    "ASSUMPTION calibrated on the observed tax offices (tax_cooperations_train.csv): tax work is done at the desk, "
    "valuation visits aside, and the smallest host radius that holds each office is 24 km (GBTwente) to 73 km "
    "(BsGW, 29 members) in seta's road distance"
)

FRONT_LINE = "definition: work on the street or at the door"
TASK_SHARE = f"ASSUMPTION: this task's share of the {BBV} (no sourced split by task)"
DESK = "ASSUMPTION: desk work"

DOMAINS: Final[dict[str, dict[str, Figure]]] = {
    "hr": _domain(
        Figure(0.12, f"derived: {BBV} x {HR_RATIO} (8 / 67)"),
        Figure(0.1, "ASSUMPTION: advice at the workplace now and then"),
    ),
    "taxes": _domain(
        Figure(0.12, f"derived: {COELO} x EUR 2,300 budget per inhabitant / EUR 80k per FTE"),
        Figure(0.1, "ASSUMPTION: valuation visits"),
        scale_inhabitants=Figure(TAX_SCALE, TAX_SCALE_SOURCE),
        core_factor=TAX_CORE_FACTOR,
        core_source=TAX_CORE,
        max_travel_km=Figure(TAX_REACH_KM, TAX_REACH),
        diseconomy_share=Figure(
            0.0,
            f"{OBSERVED_TAXES}: at the bottom of its range 0-0.06 (0-0.0056 keeps every office within 1 % of "
            "optimal): offices of 0.5 to 1.1 M inhabitants, beyond IPSE's cost-minimising scale, show no rising "
            "cost of tax work there",
        ),
    ),
    "procurement": _domain(Figure(0.08, TASK_SHARE), Figure(0.0, DESK)),
    "enforcement": _domain(
        Figure(0.45, TASK_SHARE),
        Figure(0.6, "ASSUMPTION: enforcement needs people on the street (domain brief)"),
        front_line=Figure(True, FRONT_LINE),
    ),
    "ict": _domain(Figure(0.3, TASK_SHARE), Figure(0.2, "ASSUMPTION: workplace support on site")),
    "legal": _domain(Figure(0.1, TASK_SHARE), Figure(0.0, DESK)),
    "communication": _domain(Figure(0.1, TASK_SHARE), Figure(0.1, "ASSUMPTION: press and events on site")),
    "social_support": _domain(
        Figure(0.5, TASK_SHARE), Figure(0.5, "ASSUMPTION: home visits"), front_line=Figure(True, FRONT_LINE)
    ),
    "environment": _domain(
        Figure(0.2, TASK_SHARE),
        Figure(0.5, "ASSUMPTION: inspections at companies"),
        front_line=Figure(True, FRONT_LINE),
    ),
    "finance": _domain(Figure(0.35, TASK_SHARE), Figure(0.0, DESK)),
}

#: The four domains the seed names as "the usual areas of cooperation", in its order.
SEED_DOMAINS: Final = ("hr", "taxes", "procurement", "enforcement")


def _structure(**figures: Figure) -> dict[str, Figure]:
    return table(schema.STRUCTURE, **figures)


OCS_CALIBRATED = (
    "ASSUMPTION calibrated on Allers & de Greef 2018 and Berenschot 2018: full pooling of real neighbours "
    "changes cash cost by -2 % to +3 % on average, not a saving on average for small municipalities, upwards "
    "for large ones (docs/model.md, Calibration)"
)

MOVE_FTE = "ASSUMPTION: moving one FTE: workplace, training, travel arrangements"
SELECTIVE = (
    "ASSUMPTION calibrated on Allers & de Greef 2018: with cost as the only criterion the optimum is "
    "selective (seven of the nine seed regions keep a service in house)"
)

AGENCY = (
    "ASSUMPTION anchored on Allers, Geertsema & van Ommeren 2015 (joint bodies borrow at about 4 % "
    "higher interest): a joint body's weaker steering costs a share of its staff cost"
)

#: the cases of practice that anchor the failure rates (docs/domain.md, "What municipalities actually did")
MERGED_FAILURES = (
    "NRC 2015-10-23 (16 merged civil services end 2015) and Berenschot 2018 (61 municipalities, 4 of them "
    "dissolving): about 4 of 25 organisations undone after about four years each; since then Duivenvoorde "
    "(2020) and De Kompanjie (2021) were undone too"
)
EXIT = (
    "De Kompanjie (Veendam, Pekela; 320 staff): dissolving cost about EUR 1 M (RTV Noord), about EUR 3,000 per "
    "FTE; UW Samenwerking (IJsselstein, Montfoort): EUR 0.5-1.2 M, disputed (Binnenlands Bestuur 2018-11-27)"
)

EXIT_PER_FTE: Final = Figure(3_000, EXIT)
#: a partner that is not a municipality (a water board): its work in a domain, against the municipalities'
#: work in its area
PARTNER_WORK_SHARE: Final = Figure(
    0.3,
    "ASSUMPTION: a water board levies on the same WOZ objects with the municipalities' values (no valuation work "
    "of its own) and has two or three levies against a municipality's property tax, sewage, waste and smaller "
    "ones: its tax work is about a third of the municipalities' in its area. At this share every water board of the "
    "training offices does more tax work (14-43 FTE) than the calibrated scale of tax work (10 FTE), so joining "
    "saves it nothing in cash and seta leaves it outside: its reasons (one bill for the citizen, shared WOZ data) "
    "are not in the model",
)

#: EUR a year for the board and director of a joint body of one domain
JOINT_BODY_GOVERNANCE: Final = 25_000

STRUCTURES: Final[dict[str, dict[str, Figure]]] = {
    "working_group": _structure(
        transfers_staff=Figure(False, "definition: informal exchange, no transfer of staff (seed)"),
        quality_share=Figure(0.2, "ASSUMPTION: Beemster e.o. realised 3 of 30 proposals (seed)"),
        governance_per_unit=Figure(5_000, "ASSUMPTION: chairing an informal network"),
        governance_per_member=Figure(2_000, "ASSUMPTION: a member's time in the network's meetings"),
        transition_per_unit=Figure(10_000, "ASSUMPTION: starting a network: an inventory and a plan"),
        transition_per_member=Figure(5_000, "ASSUMPTION: a member's share of starting it"),
        failure_rate=Figure(
            0.2,
            f"ASSUMPTION anchored on {SEED}: Beemster e.o. realised 3 of 30 proposals and Beek e.o. stopped after a "
            "year; an informal network stalls easily (domain brief: weak formalisation, high risk of stalling)",
        ),
        exit_per_fte=Figure(0, "definition: nobody moved, so nobody moves back"),
    ),
    "centre": _structure(
        max_members=Figure(6, "ASSUMPTION: a centre municipality serves a handful of clients (Helden: two)"),
        quality_share=Figure(0.9, "ASSUMPTION: one organisation does the work under contract (Helden, seed)"),
        failure_rate=Figure(
            0.03,
            "ASSUMPTION anchored on Servicepunt71 (a shared service centre that became a centre municipality in "
            "2021) and Helden (seed: fast success): no centre arrangement among the cases was undone",
        ),
        exit_per_fte=EXIT_PER_FTE,
        agency_share=Figure(0.01, AGENCY),
        governance_per_unit=Figure(15_000, "ASSUMPTION: one service agreement (DVO) per domain"),
        governance_per_member=Figure(12_000, SELECTIVE),
        transition_per_unit=Figure(40_000, "ASSUMPTION: drawing up the service agreement and its systems"),
        transition_per_member=Figure(30_000, "ASSUMPTION: moving a client's files, contracts and data"),
        transition_per_fte=Figure(5_000, MOVE_FTE),
        autonomy_loss=Figure(
            0.5,
            "ASSUMPTION: a client municipality buys the work under contract and steers it only through the "
            "contract (domain brief: members lose some control); the host keeps its own department and gives up "
            "nothing",
        ),
        uses_host_capacity=Figure(True, "definition: the host absorbs the staff"),
    ),
    "matrix": _structure(
        max_members=Figure(8, "ASSUMPTION: the seed's matrices have five members (K5, Kempen)"),
        coordinated=Figure(
            True, "definition: the members spread the units over themselves; the units coordinate (K5, Kempen)"
        ),
        max_units_per_host=Figure(2, "ASSUMPTION: each municipality hosts one or two units (K5, Kempen)"),
        quality_share=Figure(
            0.9,
            "ASSUMPTION: each unit is one organisation doing the work, as a centre municipality's is; what "
            "steering from several town halls lets go (K5) is in the risk that it fails",
        ),
        failure_rate=Figure(
            0.04,
            f"ASSUMPTION anchored on {SEED}: K5 let go of steering and carried on, Kempen asked for an end state; "
            "as often undone as a merged civil service",
        ),
        exit_per_fte=EXIT_PER_FTE,
        agency_share=Figure(0.01, AGENCY),
        governance_per_unit=Figure(15_000, SELECTIVE),
        governance_per_member=Figure(10_000, SELECTIVE),
        transition_per_unit=Figure(30_000, "ASSUMPTION: setting up a unit and its working agreements"),
        transition_per_member=Figure(20_000, "ASSUMPTION: a member's share: files, data, secondment"),
        transition_per_fte=Figure(5_000, MOVE_FTE),
        autonomy_loss=Figure(
            0.3,
            "ASSUMPTION: balanced hosting keeps control spread: each member is a client of the others' units "
            "but hosts one itself, so less is given up than by a centre municipality's client",
        ),
        coordination_per_interface=Figure(
            2_500,
            "ASSUMPTION calibrated on the seed's Kempen lesson: every pair of units a member depends on needs "
            "agreements, so that ten units in a matrix lose to one organisation mostly through coordination",
        ),
        uses_host_capacity=Figure(True, "definition: the host absorbs the staff"),
    ),
    "ssc": _structure(
        scope=Figure("bundle", "definition: one body serves several domains (Drechtsteden)"),
        min_members=Figure(3, "ASSUMPTION: a joint body for two is a centre arrangement"),
        max_members=Figure(15, "ASSUMPTION: the larger Dutch joint back offices"),
        min_domains=Figure(2, "definition: a shared service centre serves several domains"),
        max_domains=Figure(10, "ASSUMPTION: every back-office domain seta knows"),
        takes_front_line=Figure(False, "ASSUMPTION: a shared service centre pools the back office (seed)"),
        quality_share=Figure(0.9, "ASSUMPTION: a professional organisation, steered at a distance"),
        failure_rate=Figure(
            0.04,
            "ASSUMPTION anchored on Servicepunt71 (saved EUR 3 M in three years, then costs rose and quality fell; "
            "a centre municipality since 2021): as often undone as a merged civil service",
        ),
        exit_per_fte=EXIT_PER_FTE,
        agency_share=Figure(0.01, AGENCY),
        governance_per_body=Figure(
            100_000,
            "ASSUMPTION calibrated on the Drechtsteden target (a configuration with a shared service centre "
            "closes 80 % of the best gain): a board that meets a few times a year and a director, part of "
            "whose post replaces the members' own heads of department",
        ),
        governance_per_unit=Figure(10_000, "ASSUMPTION: a service agreement per domain"),
        governance_per_member=Figure(10_000, "ASSUMPTION: commissioning per member"),
        transition_per_body=Figure(
            300_000,
            "ASSUMPTION calibrated on the Drechtsteden target: setting up a joint body: board, systems, housing",
        ),
        transition_per_unit=Figure(50_000, "ASSUMPTION: moving a domain's processes into the body"),
        transition_per_member=Figure(40_000, "ASSUMPTION: a member's share: files, data, contracts"),
        transition_per_fte=Figure(8_000, MOVE_FTE),
        autonomy_loss=Figure(0.25, "ASSUMPTION: a joint board steers, not the member alone"),
    ),
    "joint_body": _structure(
        max_members=Figure(
            40,
            "ASSUMPTION anchored on the observed tax offices (tax_cooperations_train.csv): joint bodies of 8 to 29 "
            "municipalities for one domain (BsGW: 29, with the water board), with room to grow",
        ),
        quality_share=Figure(
            0.9, "ASSUMPTION: a professional organisation, steered at a distance (as a shared service centre)"
        ),
        failure_rate=Figure(
            0.02,
            "ASSUMPTION anchored on the observed tax offices: all six have run since they began (2007 to 2018), and "
            "a joint body under the Wgr has a board, a budget and exit terms (formalised, seed condition 5): half the "
            "rate of a shared service centre",
        ),
        exit_per_fte=EXIT_PER_FTE,
        agency_share=Figure(0.01, AGENCY),
        governance_per_unit=Figure(
            JOINT_BODY_GOVERNANCE,
            f"{OBSERVED_TAXES}: at the bottom of its range 25,000-400,000 (up to 39,800 keeps every office within 1 % "
            "of optimal): the board of a joint body, beyond the management its staff's overhead already carries",
        ),
        governance_per_member=Figure(
            0,
            f"{OBSERVED_TAXES}: at the bottom of its range 0-40,000 (up to 3,700 keeps every office within 1 % of "
            "optimal): a member commissions the body through its seat on the board",
        ),
        transition_per_unit=Figure(
            300_000, "ASSUMPTION: setting up a joint body: board, systems, housing (as a shared service centre)"
        ),
        transition_per_member=Figure(
            40_000, "ASSUMPTION: a member's share: files, data, contracts (as a shared service centre)"
        ),
        transition_per_fte=Figure(8_000, MOVE_FTE),
        autonomy_loss=Figure(
            0.25, "ASSUMPTION: a joint board steers, not the member alone (as a shared service centre)"
        ),
        takes_partners=Figure(True, "definition: a water board can take part in a joint tax office (docs/observed.md)"),
    ),
    "one_civil_service": _structure(
        scope=Figure("all", "definition: all domains together, same members (seed: Schagen e.o.)"),
        max_members=Figure(6, "ASSUMPTION: the seed's SEtA regions have three (Schagen) to five members"),
        quality_share=Figure(
            0.9,
            "ASSUMPTION anchored on Berenschot 2018 (merged civil services: years of friction; BUCH missed its "
            "quality goals): one organisation does the work, as a centre municipality's does, and not every "
            "member gets all of its quality",
        ),
        agency_share=Figure(0.01, AGENCY),
        failure_rate=Figure(0.05, f"{MERGED_FAILURES}: about 4-5 % a year"),
        exit_per_fte=EXIT_PER_FTE,
        governance_per_body=Figure(60_000, OCS_CALIBRATED),
        governance_per_member=Figure(20_000, OCS_CALIBRATED),
        transition_per_body=Figure(500_000, OCS_CALIBRATED),
        transition_per_member=Figure(150_000, OCS_CALIBRATED),
        transition_per_fte=Figure(5_000, OCS_CALIBRATED),
        autonomy_loss=Figure(
            0.25,
            "ASSUMPTION: councils stay autonomous and steer the joint organisation together, as the members "
            "of a shared service centre do; the staff is no longer their own",
        ),
    ),
    "amalgamation": _structure(
        scope=Figure("all", "definition: the municipalities merge"),
        max_members=Figure(8, "ASSUMPTION: Dutch mergers join up to about eight municipalities"),
        quality_share=Figure(
            1.0,
            "ASSUMPTION: one municipality with one organisation and one council steers all its work; a "
            "comparison, not a recommendation (the seed: cooperation stays needed after merging)",
        ),
        transition_per_body=Figure(3_000_000, MERGER_COST),
        transition_per_member=Figure(1_200_000, MERGER_COST),
        autonomy_loss=Figure(1.0, "definition: the municipality disappears"),
        failure_rate=Figure(0.0, "definition: a merger is not undone"),
        council_saving_per_member=Figure(
            150_000, f"ASSUMPTION anchored on {ALLERS}: the saving does not outweigh the merger cost"
        ),
    ),
}


@dataclass(frozen=True)
class Condition:
    """One of the seed's eleven conditions for a cooperation that works (Korsten & van de Laar 2007,
    "Enkele lessen op een rij"), and what stating it does to a structure's yearly failure rate."""

    label: str
    label_nl: str
    #: factor on the failure rate when the condition is met, and when it is not; unstated counts 1
    met: float
    unmet: float
    source: str


CONDITION_SOURCE = f"ASSUMPTION anchored on {SEED}"
UNKNOWN_CONDITION = Figure(
    1.0,
    "ASSUMPTION: the failure rates describe cooperations whose conditions nobody stated, so an unstated "
    "condition leaves the rate as it is (the same for every structure: no source says otherwise)",
)

#: the seed's eleven conditions, in its order
CONDITIONS: Final[dict[str, Condition]] = {
    "diagnosis": Condition(
        "a sharp diagnosis of weaknesses",
        "een scherpe diagnose van zwakten",
        0.8,
        1.25,
        f"{CONDITION_SOURCE}, condition 1 (all cases; Helden's diagnosis carried its success)",
    ),
    "benefits_felt": Condition(
        "benefits clear and felt",
        "voordelen helder en gevoeld",
        0.8,
        1.25,
        f"{CONDITION_SOURCE}, condition 2 (all cases)",
    ),
    "limits_accepted": Condition(
        "limits on the disadvantages accepted",
        "beperking van nadelen aanvaard",
        0.9,
        1.25,
        f"{CONDITION_SOURCE}, condition 3 (Kempen, Beemster)",
    ),
    "top_down_bottom_up": Condition(
        "top-down vision with a bottom-up approach",
        "visie van boven met aanpak van onderop",
        0.8,
        1.5,
        f"{CONDITION_SOURCE}, condition 4 (Kempen; Beek: resistance in the organisations)",
    ),
    "formalised": Condition(
        "formalised",
        "geformaliseerd",
        0.7,
        2.0,
        f"{CONDITION_SOURCE}, condition 5 (Beek and Beemster: too informal, principles reopened by newcomers)",
    ),
    "core_group": Condition(
        "a committed core group, equal effort",
        "een toegewijde kopgroep, gelijke inzet",
        0.7,
        1.5,
        f"{CONDITION_SOURCE}, condition 6 (Parkstad's core group; Beek: unequal effort)",
    ),
    "lasting_priority": Condition(
        "lasting administrative priority and leadership",
        "blijvende bestuurlijke prioriteit en leiderschap",
        0.8,
        1.5,
        f"{CONDITION_SOURCE}, condition 7 (all cases; Drechtsteden's administrators; Land van Cuijk's slow start)",
    ),
    "continued_management": Condition(
        "continued management after the decision",
        "voortgezet management na het besluit",
        0.7,
        3.0,
        f"ASSUMPTION calibrated on {SEED}, condition 8: Beemster e.o. realised 3 of 30 proposals in about three "
        "years with steering lagging and no quick wins, a yearly failure rate of about a half (6 x 3 x 0.03); "
        "K5 let go of steering and carried on",
    ),
    "trust": Condition(
        "trust and prior ties that survive turnover",
        "vertrouwen en eerdere banden die wisselingen overleven",
        0.8,
        2.0,
        f"{CONDITION_SOURCE}, condition 9 (ReiK broke up over relations between top civil servants)",
    ),
    "quick_wins": Condition(
        "quick wins",
        "snelle successen",
        0.8,
        6.0,
        f"ASSUMPTION calibrated on {SEED}, condition 10: the two failures, Beek e.o. (stopped after a year) and "
        "Beemster e.o. (3 of 30 proposals), both lacked quick wins; no success lacked them",
    ),
    "no_amalgamation_doubt": Condition(
        "no doubt sown by talk of amalgamation",
        "geen twijfel door herindelingsgesprek",
        0.9,
        1.5,
        f"{CONDITION_SOURCE}, condition 11 (Moordrecht and Nieuwerkerk overtaken by amalgamation)",
    ),
}

#: a diagnosis by name, on the 0-1 quality scale of docs/model.md
DIAGNOSIS_LEVELS: Final[dict[str, Figure]] = {
    "weak": Figure(
        QUALITY_FLOOR_VALUE, "ASSUMPTION: a weak department delivers what one too small for a specialist does"
    ),
    "adequate": Figure(0.8, "ASSUMPTION: half-way between weak and full quality"),
    "strong": Figure(0.95, "ASSUMPTION: a department that came well out of a review of its strength (Helden, seed)"),
}

#: what a scenario that does not list its structures may use: amalgamation is a comparison that a
#: scenario asks for by name (domain brief)
DEFAULT_STRUCTURES: Final = tuple(key for key in STRUCTURES if key != "amalgamation")

#: the defaults of the scenario's sections, which the schema declares with their sources
ECONOMICS: Final = table(schema.ECONOMICS)
WEIGHTS: Final = table(schema.WEIGHTS)
LIMITS: Final = table(schema.LIMITS)
SOLVER: Final = table(schema.SOLVER)


def values(table: dict[str, Figure]) -> dict[str, object]:
    """The bare values of a table of figures."""
    return {key: figure.value for key, figure in table.items()}


@dataclass(frozen=True)
class Spread:
    """The plausible range of a group of figures, as factors on each figure's value in the scenario.

    The figures of a group move together (one draw of the group sets all of them to the same
    quantile of their ranges), so a study has one uncertain dimension per group, not per figure.
    `figures` are `domains.KEY` and `structures.KEY` (every domain or structure in play, except a
    structure whose default for the key is a definition) or `economics.KEY`. A triangular spread
    peaks at the figure's value; a range is cut at what the figure allows (a share stays at most 1).
    """

    label: str
    label_nl: str
    figures: tuple[str, ...]
    low: float
    high: float
    distribution: str
    source: str


SPREADS: Final[dict[str, Spread]] = {
    "workload": Spread(
        "workload per 1,000 inhabitants",
        "werklast per 1.000 inwoners",
        ("domains.fte_per_1000",),
        0.8,
        1.2,
        "triangular",
        f"{BBV}: about 20 % either side of the middle",
    ),
    "staff_cost": Spread(
        "cost per FTE",
        "kosten per fte",
        ("domains.cost_per_fte",),
        0.9,
        1.15,
        "triangular",
        "ASSUMPTION: CAO Gemeenten scales 8 to 11 with employer charges, around scale 9-10",
    ),
    "scale": Spread(
        "cost-minimising scale",
        "kostenminimaliserende schaal",
        ("domains.scale_inhabitants",),
        0.6,
        1.5,
        "triangular",
        "IPSE 2019: 40,000-65,000 inhabitants against ESB 2015's 66,000; taxes IPSE 2015, 2019",
    ),
    "overhead": Spread(
        "overhead of a small unit",
        "overhead van een kleine eenheid",
        ("domains.core_fte",),
        0.7,
        1.3,
        "triangular",
        "the calibration targets' own ranges: 5-10 % (one civil service), 15-25 % (taxes) (docs/model.md)",
    ),
    "diseconomy": Spread(
        "overhead above the scale",
        "overhead boven de schaal",
        ("domains.diseconomy_share",),
        0.5,
        1.5,
        "triangular",
        "Allers & de Greef 2018 give the direction (large members pay more), not the size",
    ),
    "critical_mass": Spread(
        "quality that size adds",
        "kwaliteit die omvang toevoegt",
        ("domains.critical_mass_fte", "domains.quality_floor"),
        0.6,
        1.5,
        "triangular",
        "ASSUMPTION: size has added most of what it can somewhere between 30,000 and 75,000 inhabitants' "
        "workload (IPSE 2019); a department without specialists delivers between 36 % and 90 % of full quality "
        "(Bogetoft & Wittrup: service levels do not follow spending): high values of both leave pooling less to add",
    ),
    "absence": Spread(
        "absence",
        "afwezigheid",
        ("domains.absence_share",),
        0.15 / 0.18,
        0.20 / 0.18,
        "uniform",
        f"{SICK}; domain brief: 0.15-0.20, no value likelier than another",
    ),
    "cover": Spread(
        "cost of interim cover",
        "kosten van vervanging",
        ("domains.cover_premium",),
        0.8,
        4 / 3,
        "triangular",
        "ASSUMPTION: the share of an empty service's work that cannot wait and the price of covering it: a "
        "fifth lower to a third higher",
    ),
    "travel": Spread(
        "travel and work on location",
        "reizen en werk op locatie",
        ("economics.travel_eur_per_fte_km", "economics.detour_factor", "domains.location_bound"),
        0.75,
        1.25,
        "triangular",
        "ASSUMPTION: trips per week, cost per km and the share of work on location, 25 % either way",
    ),
    "quality": Spread(
        "quality a pool delivers",
        "kwaliteit die een pool levert",
        ("structures.quality_share",),
        0.75,
        1.1,
        "triangular",
        f"{SEED}: Beemster realised 3 of 30 proposals, K5 let go of steering; rarely better than planned",
    ),
    "agency": Spread(
        "agency cost of a joint body",
        "uitvoeringskosten van een bedrijfsvoeringsorganisatie",
        ("structures.agency_share",),
        0.5,
        2.0,
        "triangular",
        AGENCY,
    ),
    "governance": Spread(
        "governance and council cost",
        "kosten van sturing en raad",
        (
            "structures.governance_per_body",
            "structures.governance_per_unit",
            "structures.governance_per_member",
            "structures.council_saving_per_member",
        ),
        0.7,
        1.5,
        "triangular",
        "ASSUMPTION: meeting time and service agreements, more often under- than overestimated",
    ),
    "transition": Spread(
        "transition cost",
        "transitiekosten",
        (
            "structures.transition_per_body",
            "structures.transition_per_unit",
            "structures.transition_per_member",
            "structures.transition_per_fte",
            "structures.exit_per_fte",
        ),
        0.7,
        2.0,
        "triangular",
        f"{MERGER_COST}; {BERENSCHOT}: change projects overrun more than they underrun; so does undoing them (UW "
        "Samenwerking's exit cost was disputed at EUR 0.5-1.2 M)",
    ),
    "coordination": Spread(
        "coordination between matrix units",
        "afstemming tussen matrixeenheden",
        ("structures.coordination_per_interface",),
        0.5,
        1.5,
        "triangular",
        f"{SEED}: the Kempen lesson gives the direction, not the size",
    ),
    "ties": Spread(
        "transition saved by prior ties",
        "transitiekosten bespaard door eerdere banden",
        ("economics.tie_discount",),
        0.5,
        1.5,
        "triangular",
        f"ASSUMPTION: trust from prior ties saves a quarter to three quarters of a member's transition ({SEED})",
    ),
    "failure": Spread(
        "chance that a cooperation fails",
        "kans dat een samenwerking mislukt",
        ("structures.failure_rate",),
        0.5,
        2.0,
        "triangular",
        f"ASSUMPTION: the rates rest on a handful of cases ({MERGED_FAILURES}; the seed's Beek and Beemster): "
        "half to twice the stated rate",
    ),
    "valuations": Spread(
        "weight of what cash does not buy",
        "gewicht van wat geld niet koopt",
        ("weights.quality", "weights.vulnerability", "weights.manageability", "weights.autonomy"),
        0.5,
        2.0,
        "triangular",
        "ASSUMPTION: the weights are a council's preferences, not measurements; half to twice the default "
        "weight of quality, vulnerability, manageability and autonomy against cash",
    ),
    "autonomy": Spread(
        "value of control",
        "waarde van zeggenschap",
        ("economics.autonomy_eur", "structures.autonomy_loss"),
        0.7,
        1.3,
        "triangular",
        "ASSUMPTION: no sourced value of control, nor of the share a structure takes; 30 % either way, so "
        "their product moves from half to 1.7 times the default",
    ),
}
