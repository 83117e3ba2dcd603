"""Every default figure of seta, in one place, each with its source or marked as an assumption.

A scenario overrides any of these by key (see `docs/model.md`). Figures marked ``ASSUMPTION`` are
modelling judgement, calibrated where a sourced anchor exists; the anchor is named. Money is EUR per
year unless a name says ``one-off``; staff is in full-time equivalents (FTE).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final


@dataclass(frozen=True)
class Figure:
    value: float | int | bool | str | None
    source: str


ASSUMPTION: Final = "assumption"

# Anchors from ../docs (domain brief), cited by short name below.
BBV = "BBV indicators: 6.8-11 municipal FTE per 1,000 inhabitants"
COELO = "COELO: tax collection is 0.4 % of the budget; about 15 % cheaper when cooperating"
IPSE = "Niaounakis & Blank 2015 (IPSE): more than 20 % saving for small municipalities (taxes)"
ESB = "ESB 2015: average unused scale gain 20 %, cost-minimising scale 66,000 inhabitants"
HR_RATIO = "P&O survey: 1 HR FTE per 50-100 employees"
SICK = "A&O fonds Personeelsmonitor: sick leave 5.6-6.7 %; plus holidays and leave"
BERENSCHOT = "Berenschot 2018: savings of merged civil services disappointing, years of friction"
MERGER_COST = "five North-Holland mergers 2012-16: one-off cost EUR 4.5-8 M"
ALLERS = "Allers & Geertsema 2016: amalgamation gives no aggregate saving; administration cost falls"
ARRANGEMENTS = "Utrecht University 2018: about 27 joint arrangements per municipality"
SEED = "Korsten & van de Laar 2007 (the seed article)"

IPSE_SCALE = (
    "IPSE 2015, 2019: tax collection is cheapest at about 230,000 WOZ objects; about 2 inhabitants per "
    "object (domain brief)"
)
GENERAL_SCALE = (
    "ASSUMPTION: no sourced scale for this domain, so the general administration figure (ESB 2015: "
    "66,000 inhabitants; IPSE 2019: 40,000-65,000)"
)
CRITICAL_MASS = (
    "ASSUMPTION: full quality at the workload of a 50,000-inhabitant municipality "
    "(IPSE 2019 cost-minimising scale 40,000-65,000)"
)
COVER = (
    "ASSUMPTION: interim cover of the work at 150 % of its normal cost while the service stands empty; "
    "so a service is never charged more than 1.5 times its own cost"
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
DISECONOMY = (
    "ASSUMPTION calibrated on Allers & de Greef 2018: cooperation raises spending for large "
    "municipalities (above the cost-minimising scale coordination grows with the work)"
)

COST_PER_FTE: Final = Figure(
    80_000,
    "ASSUMPTION: CAO Gemeenten scale 9-10 with employer charges (Berenschot 2016: "
    "EUR 30.2k overhead per FTE comes on top)",
)

#: the overhead of a unit far below its domain's scale, in thousands of inhabitants' workload
GENERAL_CORE_FACTOR: Final = 1.3
TAX_CORE_FACTOR: Final = 9.0
DISECONOMY_SHARE: Final = 0.03


def _domain(
    fte_per_1000: Figure,
    location_bound: Figure,
    *,
    scale: Figure = Figure(66_000, GENERAL_SCALE),
    core_factor: float = GENERAL_CORE_FACTOR,
    core_source: str = GENERAL_CORE,
    front_line: Figure = Figure(False, "definition: back office"),
) -> dict[str, Figure]:
    """The figures of one domain; its overhead and critical mass follow from its workload.

    A unit doing W FTE of work carries an overhead of core x (1 - W / W*) FTE below the
    cost-minimising workload W* = FTE per 1,000 x scale / 1,000, and diseconomy x (W - W*) above it.
    With core = k x (FTE per 1,000), a municipality of P thousand inhabitants spends k (1/P - 1/S)
    more per unit of work than one at the scale of S thousand.
    """
    rate = float(fte_per_1000.value)  # type: ignore[arg-type]
    return {
        "fte_per_1000": fte_per_1000,
        "scale_inhabitants": scale,
        "core_fte": Figure(round(core_factor * rate, 3), core_source),
        "diseconomy_share": Figure(DISECONOMY_SHARE, DISECONOMY),
        "cost_per_fte": COST_PER_FTE,
        "critical_mass_fte": Figure(round(50 * rate, 3), CRITICAL_MASS),
        "location_bound": location_bound,
        "absence_share": Figure(0.18, f"ASSUMPTION anchored on {SICK} (domain brief: 0.15-0.20)"),
        "cover_premium": Figure(1.5, COVER),
        "front_line": front_line,
    }


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
        scale=Figure(460_000, IPSE_SCALE),
        core_factor=TAX_CORE_FACTOR,
        core_source=TAX_CORE,
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
    base: dict[str, Figure] = {
        "scope": Figure("domain", "definition"),
        "coordinated": Figure(False, "definition"),
        "transfers_staff": Figure(True, "definition"),
        "min_members": Figure(2, "definition: a pool has at least two members"),
        "max_members": Figure(10, "ASSUMPTION: beyond ten members a pool is no longer one arrangement"),
        "min_domains": Figure(1, "definition"),
        "max_domains": Figure(1, "definition"),
        "max_units_per_host": Figure(None, "no limit"),
        "takes_front_line": Figure(True, "definition"),
        "quality_share": Figure(1.0, "ASSUMPTION: one organisation delivers the pool's quality"),
        "agency_share": Figure(0.0, "none"),
        "governance_per_body": Figure(0, "none"),
        "governance_per_unit": Figure(0, "none"),
        "governance_per_member": Figure(0, "none"),
        "transition_per_body": Figure(0, "none"),
        "transition_per_unit": Figure(0, "none"),
        "transition_per_member": Figure(0, "none"),
        "transition_per_fte": Figure(0, "none"),
        "autonomy_loss": Figure(0.0, "ASSUMPTION: no loss of control unless a structure says so"),
        "coordination_per_interface": Figure(0, "none"),
        "uses_host_capacity": Figure(False, "definition"),
        "council_saving_per_member": Figure(0, "none"),
    }
    base.update(figures)
    return base


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

STRUCTURES: Final[dict[str, dict[str, Figure]]] = {
    "working_group": _structure(
        transfers_staff=Figure(False, "definition: informal exchange, no transfer of staff (seed)"),
        quality_share=Figure(0.2, "ASSUMPTION: Beemster e.o. realised 3 of 30 proposals (seed)"),
        governance_per_unit=Figure(5_000, "ASSUMPTION: chairing an informal network"),
        governance_per_member=Figure(2_000, "ASSUMPTION: a member's time in the network's meetings"),
        transition_per_unit=Figure(10_000, "ASSUMPTION: starting a network: an inventory and a plan"),
        transition_per_member=Figure(5_000, "ASSUMPTION: a member's share of starting it"),
    ),
    "centre": _structure(
        max_members=Figure(6, "ASSUMPTION: a centre municipality serves a handful of clients (Helden: two)"),
        quality_share=Figure(0.9, "ASSUMPTION: one organisation does the work under contract (Helden, seed)"),
        agency_share=Figure(0.01, AGENCY),
        governance_per_unit=Figure(15_000, "ASSUMPTION: one service agreement (DVO) per domain"),
        governance_per_member=Figure(12_000, SELECTIVE),
        transition_per_unit=Figure(40_000, "ASSUMPTION: drawing up the service agreement and its systems"),
        transition_per_member=Figure(30_000, "ASSUMPTION: moving a client's files, contracts and data"),
        transition_per_fte=Figure(5_000, MOVE_FTE),
        autonomy_loss=Figure(0.3, "ASSUMPTION: members lose some control (domain brief)"),
        uses_host_capacity=Figure(True, "definition: the host absorbs the staff"),
    ),
    "matrix": _structure(
        max_members=Figure(8, "ASSUMPTION: the seed's matrices have five members (K5, Kempen)"),
        coordinated=Figure(
            True, "definition: the members spread the units over themselves; the units coordinate (K5, Kempen)"
        ),
        max_units_per_host=Figure(2, "ASSUMPTION: each municipality hosts one or two units (K5, Kempen)"),
        quality_share=Figure(0.8, "ASSUMPTION: units steered from several town halls (K5: steering was let go)"),
        agency_share=Figure(0.01, AGENCY),
        governance_per_unit=Figure(15_000, SELECTIVE),
        governance_per_member=Figure(10_000, SELECTIVE),
        transition_per_unit=Figure(30_000, "ASSUMPTION: setting up a unit and its working agreements"),
        transition_per_member=Figure(20_000, "ASSUMPTION: a member's share: files, data, secondment"),
        transition_per_fte=Figure(5_000, MOVE_FTE),
        autonomy_loss=Figure(0.15, "ASSUMPTION: balanced hosting keeps control spread"),
        coordination_per_interface=Figure(
            6_000,
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
        agency_share=Figure(0.03, AGENCY),
        governance_per_body=Figure(200_000, "ASSUMPTION: board and director"),
        governance_per_unit=Figure(10_000, "ASSUMPTION: a service agreement per domain"),
        governance_per_member=Figure(10_000, "ASSUMPTION: commissioning per member"),
        transition_per_body=Figure(600_000, "ASSUMPTION: setting up a joint body: board, systems, housing"),
        transition_per_unit=Figure(50_000, "ASSUMPTION: moving a domain's processes into the body"),
        transition_per_member=Figure(40_000, "ASSUMPTION: a member's share: files, data, contracts"),
        transition_per_fte=Figure(8_000, MOVE_FTE),
        autonomy_loss=Figure(0.25, "ASSUMPTION: a joint board steers, not the member alone"),
    ),
    "one_civil_service": _structure(
        scope=Figure("all", "definition: all domains together, same members (seed: Schagen e.o.)"),
        max_members=Figure(6, "ASSUMPTION: the seed's SEtA regions have three (Schagen) to five members"),
        quality_share=Figure(1.0, "definition: one organisation does all the work"),
        agency_share=Figure(0.01, AGENCY),
        governance_per_body=Figure(60_000, OCS_CALIBRATED),
        governance_per_member=Figure(20_000, OCS_CALIBRATED),
        transition_per_body=Figure(500_000, OCS_CALIBRATED),
        transition_per_member=Figure(150_000, OCS_CALIBRATED),
        transition_per_fte=Figure(5_000, OCS_CALIBRATED),
        autonomy_loss=Figure(0.35, "ASSUMPTION: councils stay autonomous, the staff does not"),
    ),
    "amalgamation": _structure(
        scope=Figure("all", "definition: the municipalities merge"),
        max_members=Figure(8, "ASSUMPTION: Dutch mergers join up to about eight municipalities"),
        quality_share=Figure(1.0, "definition: one organisation does all the work"),
        transition_per_body=Figure(3_000_000, MERGER_COST),
        transition_per_member=Figure(1_200_000, MERGER_COST),
        autonomy_loss=Figure(1.0, "definition: the municipality disappears"),
        council_saving_per_member=Figure(
            150_000, f"ASSUMPTION anchored on {ALLERS}: the saving does not outweigh the merger cost"
        ),
    ),
}

#: what a scenario that does not list its structures may use: amalgamation is a comparison that a
#: scenario asks for by name (domain brief)
DEFAULT_STRUCTURES: Final = tuple(key for key in STRUCTURES if key != "amalgamation")

ECONOMICS: Final[dict[str, Figure]] = {
    "horizon_years": Figure(8, "ASSUMPTION: transition cost is written off over 8 years"),
    "travel_eur_per_fte_km": Figure(120, "ASSUMPTION: 200 working days x 2 trips x EUR 0.30 per km (time and cost)"),
    "detour_factor": Figure(1.3, "ASSUMPTION: road distance over straight-line distance"),
    "autonomy_eur": Figure(20_000, "ASSUMPTION: value of full control over one domain for one municipality"),
    "tie_discount": Figure(
        0.5, f"ASSUMPTION: prior ties halve a member's transition cost (trust; {SEED}, condition 9)"
    ),
    "existing_arrangements": Figure(27, ARRANGEMENTS),
}

WEIGHTS: Final[dict[str, Figure]] = {
    "cost": Figure(1.0, "EUR per EUR"),
    "quality": Figure(0.3, "ASSUMPTION: full quality instead of none is worth 30 % of a service's annual cost"),
    "vulnerability": Figure(1.0, "EUR per EUR of expected cover while a service stands empty"),
    "manageability": Figure(1.0, "EUR per coordination interface x coordination_per_interface"),
    "autonomy": Figure(1.0, "EUR per autonomy loss x autonomy_eur"),
}

LIMITS: Final[dict[str, Figure]] = {
    "max_travel_km": Figure(40.0, "ASSUMPTION: a host farther than this (road km) is not a candidate for a member"),
    "host_capacity_factor": Figure(
        2.5, "ASSUMPTION: a host absorbs at most 2.5 times its own staff in the pooled domains"
    ),
    "max_arrangements": Figure(None, "no limit"),
    "max_matrix_units": Figure(None, "no limit"),
    "max_pools": Figure(None, "no limit"),
}

SOLVER: Final[dict[str, Figure]] = {
    "name": Figure("highs", "HiGHS through highspy"),
    "time_limit": Figure(60.0, "seconds"),
    "gap": Figure(0.0, "relative gap at which the solver may stop"),
    "threads": Figure(1, "one thread is repeatable and fastest on two cores (docs/stack.md)"),
    "seed": Figure(0, "random seed"),
    "formulation": Figure(
        "auto",
        "assignment layer: radius (covering) formulation where every pool is a pure facility-location "
        "choice, else the textbook one (docs/model.md)",
    ),
    "decompose": Figure(
        "none",
        "none: one model for the whole scenario; province: one model per province, solved side by side, pools "
        "stay within a province and no bound holds for the whole (docs/model.md)",
    ),
}


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
        "workload for full quality",
        "werklast voor volledige kwaliteit",
        ("domains.critical_mass_fte",),
        0.6,
        1.5,
        "triangular",
        "ASSUMPTION: full quality somewhere between 30,000 and 75,000 inhabitants' workload (IPSE 2019)",
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
        "ASSUMPTION: interim cover at 120-200 % of the work's normal cost",
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
        "agencykosten van een gezamenlijke organisatie",
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
        ),
        0.7,
        2.0,
        "triangular",
        f"{MERGER_COST}; {BERENSCHOT}: change projects overrun more than they underrun",
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
