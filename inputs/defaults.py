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
MERGED = "ambtelijkefusie.nl: merged civil service saves 5-10 % on operations"
BERENSCHOT = "Berenschot 2018: savings of merged civil services disappointing, years of friction"
MERGER_COST = "five North-Holland mergers 2012-16: one-off cost EUR 4.5-8 M"
ALLERS = "Allers & Geertsema 2016: amalgamation gives no aggregate saving; administration cost falls"
ARRANGEMENTS = "Utrecht University 2018: about 27 joint arrangements per municipality"
SEED = "Korsten & van de Laar 2007 (the seed article)"

CALIBRATED_CORE = (
    "ASSUMPTION calibrated on ambtelijkefusie.nl (5-10 % structural saving): five pooled "
    "municipalities of 20,000 inhabitants save 10 % of staff gross (core = 2.86 x FTE per 1,000)"
)
CALIBRATED_TAX_CORE = (
    "ASSUMPTION calibrated on COELO (15 %) and IPSE (> 20 % for small municipalities): five pooled "
    "municipalities of 20,000 inhabitants save 18 % of tax staff gross (core = 5.8 x FTE per 1,000)"
)
CRITICAL_MASS = (
    "ASSUMPTION: full quality at the staff of a 50,000-inhabitant municipality "
    "(IPSE 2019 cost-minimising scale 40,000-65,000)"
)
DISRUPTION = "ASSUMPTION: a unit-year without staff costs interim cover of a full unit at 150 %"

COST_PER_FTE: Final = Figure(
    80_000,
    "ASSUMPTION: CAO Gemeenten scale 9-10 with employer charges (Berenschot 2016: "
    "EUR 30.2k overhead per FTE comes on top)",
)


def _domain(
    fte_per_1000: Figure,
    location_bound: Figure,
    core_factor: float = 2.86,
    core_source: str = CALIBRATED_CORE,
) -> dict[str, Figure]:
    """The figures of one domain; core, critical mass and disruption follow from the workload.

    With a core of k x (FTE per 1,000), n pooled municipalities of P thousand inhabitants save
    (n - 1) k / n / (P + k) of their staff gross: k = 2.86 gives 10 % for n = 5, P = 20.
    """
    rate = float(fte_per_1000.value)  # type: ignore[arg-type]
    core = round(core_factor * rate, 3)
    critical_mass = round(50 * rate + core, 3)
    cost = float(COST_PER_FTE.value)  # type: ignore[arg-type]
    return {
        "fte_per_1000": fte_per_1000,
        "core_fte": Figure(core, core_source),
        "cost_per_fte": COST_PER_FTE,
        "critical_mass_fte": Figure(critical_mass, CRITICAL_MASS),
        "location_bound": location_bound,
        "absence_share": Figure(0.18, f"ASSUMPTION from {SICK} (domain brief: 0.15-0.20)"),
        "disruption_eur": Figure(round(1.5 * cost * critical_mass, -3), DISRUPTION),
    }


DOMAINS: Final[dict[str, dict[str, Figure]]] = {
    "hr": _domain(
        Figure(0.12, f"derived: {BBV} x {HR_RATIO} (8 / 67)"),
        Figure(0.1, ASSUMPTION),
    ),
    "taxes": _domain(
        Figure(0.12, f"derived: {COELO} x EUR 2,300 budget per inhabitant / EUR 80k per FTE"),
        Figure(0.1, "ASSUMPTION: valuation visits"),
        core_factor=5.8,
        core_source=CALIBRATED_TAX_CORE,
    ),
    "procurement": _domain(Figure(0.08, ASSUMPTION), Figure(0.0, ASSUMPTION)),
    "enforcement": _domain(
        Figure(0.45, ASSUMPTION),
        Figure(0.6, "ASSUMPTION: enforcement needs people on the street (domain brief)"),
    ),
    "ict": _domain(Figure(0.3, ASSUMPTION), Figure(0.2, ASSUMPTION)),
    "legal": _domain(Figure(0.1, ASSUMPTION), Figure(0.0, ASSUMPTION)),
    "communication": _domain(Figure(0.1, ASSUMPTION), Figure(0.1, ASSUMPTION)),
    "social_support": _domain(Figure(0.5, ASSUMPTION), Figure(0.5, "ASSUMPTION: home visits")),
    "environment": _domain(Figure(0.2, ASSUMPTION), Figure(0.5, ASSUMPTION)),
    "finance": _domain(Figure(0.35, ASSUMPTION), Figure(0.0, ASSUMPTION)),
}

#: The four domains the seed names as "the usual areas of cooperation", in its order.
SEED_DOMAINS: Final = ("hr", "taxes", "procurement", "enforcement")


def _structure(**figures: Figure) -> dict[str, Figure]:
    base: dict[str, Figure] = {
        "scope": Figure("domain", "definition"),
        "coordinated": Figure(False, "definition"),
        "transfers_staff": Figure(True, "definition"),
        "min_members": Figure(2, "definition: a pool has at least two members"),
        "max_members": Figure(10, ASSUMPTION),
        "min_domains": Figure(1, "definition"),
        "max_domains": Figure(1, "definition"),
        "max_units_per_host": Figure(None, "no limit"),
        "workload_saving": Figure(0.0, ASSUMPTION),
        "core_sharing": Figure(1.0, "definition: the pool carries one core"),
        "quality_share": Figure(0.5, ASSUMPTION),
        "governance_per_body": Figure(0, "none"),
        "governance_per_unit": Figure(0, "none"),
        "governance_per_member": Figure(0, "none"),
        "transition_per_body": Figure(0, "none"),
        "transition_per_unit": Figure(0, "none"),
        "transition_per_member": Figure(0, "none"),
        "transition_per_fte": Figure(0, "none"),
        "autonomy_loss": Figure(0.0, ASSUMPTION),
        "coordination_per_interface": Figure(0, "none"),
        "uses_host_capacity": Figure(False, "definition"),
        "council_saving_per_member": Figure(0, "none"),
    }
    base.update(figures)
    return base


STRUCTURES: Final[dict[str, dict[str, Figure]]] = {
    "working_group": _structure(
        transfers_staff=Figure(False, "definition: informal exchange, no transfer of staff (seed)"),
        core_sharing=Figure(0.1, "ASSUMPTION: small share of the scale gains (domain brief)"),
        quality_share=Figure(0.1, "ASSUMPTION: Beemster e.o. realised 3 of 30 proposals (seed)"),
        governance_per_unit=Figure(5_000, ASSUMPTION),
        governance_per_member=Figure(2_000, ASSUMPTION),
        transition_per_unit=Figure(10_000, ASSUMPTION),
        transition_per_member=Figure(5_000, ASSUMPTION),
    ),
    "centre": _structure(
        max_members=Figure(6, ASSUMPTION),
        workload_saving=Figure(0.01, ASSUMPTION),
        quality_share=Figure(0.4, "ASSUMPTION: the host's strength carries over (Helden, seed)"),
        governance_per_unit=Figure(15_000, "ASSUMPTION: one service agreement (DVO) per domain"),
        governance_per_member=Figure(8_000, "ASSUMPTION: contract management per client"),
        transition_per_unit=Figure(40_000, ASSUMPTION),
        transition_per_member=Figure(30_000, ASSUMPTION),
        transition_per_fte=Figure(5_000, ASSUMPTION),
        autonomy_loss=Figure(0.3, "ASSUMPTION: members lose some control (domain brief)"),
        uses_host_capacity=Figure(True, "definition: the host absorbs the staff"),
    ),
    "matrix": _structure(
        max_members=Figure(8, ASSUMPTION),
        coordinated=Figure(True, "definition: each host runs one unit; the units coordinate (K5, Kempen)"),
        max_units_per_host=Figure(2, "ASSUMPTION: each municipality hosts one or two units (K5, Kempen)"),
        workload_saving=Figure(0.01, ASSUMPTION),
        quality_share=Figure(0.35, ASSUMPTION),
        governance_per_unit=Figure(10_000, ASSUMPTION),
        governance_per_member=Figure(4_000, ASSUMPTION),
        transition_per_unit=Figure(30_000, ASSUMPTION),
        transition_per_member=Figure(15_000, ASSUMPTION),
        transition_per_fte=Figure(5_000, ASSUMPTION),
        autonomy_loss=Figure(0.15, "ASSUMPTION: balanced hosting keeps control spread"),
        coordination_per_interface=Figure(
            4_000,
            "ASSUMPTION: every pair of units a member depends on needs agreements (K5 lesson, seed)",
        ),
        uses_host_capacity=Figure(True, "definition: the host absorbs the staff"),
    ),
    "ssc": _structure(
        scope=Figure("bundle", "definition: one body serves several domains (Drechtsteden)"),
        min_members=Figure(3, ASSUMPTION),
        max_members=Figure(15, ASSUMPTION),
        min_domains=Figure(2, "definition: a shared service centre serves several domains"),
        max_domains=Figure(10, ASSUMPTION),
        workload_saving=Figure(0.02, f"ASSUMPTION within {MERGED}, with the core saving"),
        quality_share=Figure(0.45, ASSUMPTION),
        governance_per_body=Figure(200_000, "ASSUMPTION: board, director, agency cost"),
        governance_per_unit=Figure(10_000, ASSUMPTION),
        governance_per_member=Figure(10_000, ASSUMPTION),
        transition_per_body=Figure(600_000, ASSUMPTION),
        transition_per_unit=Figure(50_000, ASSUMPTION),
        transition_per_member=Figure(40_000, ASSUMPTION),
        transition_per_fte=Figure(8_000, ASSUMPTION),
        autonomy_loss=Figure(0.25, ASSUMPTION),
    ),
    "one_civil_service": _structure(
        scope=Figure("all", "definition: all domains together, same members (seed: Schagen e.o.)"),
        max_members=Figure(6, ASSUMPTION),
        workload_saving=Figure(0.03, f"ASSUMPTION within {MERGED}, with the core saving"),
        quality_share=Figure(0.5, ASSUMPTION),
        governance_per_body=Figure(150_000, ASSUMPTION),
        governance_per_member=Figure(25_000, "ASSUMPTION: commissioning per council"),
        transition_per_body=Figure(1_500_000, BERENSCHOT),
        transition_per_member=Figure(400_000, BERENSCHOT),
        transition_per_fte=Figure(10_000, ASSUMPTION),
        autonomy_loss=Figure(0.35, "ASSUMPTION: councils stay autonomous, the staff does not"),
    ),
    "amalgamation": _structure(
        scope=Figure("all", "definition: the municipalities merge"),
        max_members=Figure(8, ASSUMPTION),
        workload_saving=Figure(0.03, f"ASSUMPTION within {MERGED}, with the core saving"),
        quality_share=Figure(0.5, ASSUMPTION),
        transition_per_body=Figure(3_000_000, MERGER_COST),
        transition_per_member=Figure(1_200_000, MERGER_COST),
        autonomy_loss=Figure(1.0, "definition: the municipality disappears"),
        council_saving_per_member=Figure(
            150_000, f"ASSUMPTION anchored on {ALLERS}: the saving does not outweigh the merger cost"
        ),
    ),
}

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
    "vulnerability": Figure(1.0, "EUR per expected unit-year without staff x disruption_eur"),
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
