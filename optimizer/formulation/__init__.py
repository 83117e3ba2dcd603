"""The pooling MIP of docs/model.md in its formulations; `build_model` chooses one, the one place
that knows them all.

What is shared, written once:

    candidates.py     who may pool with whom, where and how; the variables and their names
    coefficients.py   every coefficient of the objective: the one place a figure enters it
    rows.py           the constraint families and `build_rows` (variables plus every family)
    participation.py  the participation guarantee's rows (one of the families)
    model.py          `Model`, a built model whatever its formulation; `Forbid` for explanations
    connected.py      cuts that keep pools in one piece of the map (textbook, while solving)

The formulations, one each:

    radius     radius.py     a pure facility-location choice (the OR-Library instances), solved
                             by Benders decomposition where it pays (benders.py)
    pools      pools.py      set partitioning: each member set of a unit a column
    textbook   textbook.py   one variable per member and unit; the cross-check and fallback

The formulations import the shared modules and not each other.
"""

from __future__ import annotations

from collections.abc import Iterable

from inputs.labels import says
from inputs.problems import InputError, Problem
from optimizer.control import Control
from optimizer.formulation.model import Forbid, Model
from optimizer.formulation.pools import build_pools, pool_fit
from optimizer.formulation.radius import build_radius, radius_applies
from optimizer.formulation.textbook import build_textbook
from optimizer.instance import Instance


def build_model(
    instance: Instance,
    require_pooling: bool = False,
    formulation: str = "auto",
    control: Control | None = None,
    forbid: Iterable[Forbid] = (),
    whole: bool = False,
) -> Model:
    """The model of the pooling decision in `formulation`: "auto" takes the radius formulation where
    it is exact (`optimizer.formulation.radius.radius_applies`), else the pool formulation where it applies and
    pays (`optimizer.formulation.pools.pool_fit`), else the textbook one; a formulation asked for by name that
    cannot represent the scenario is bad input that says which rule. `whole`: the model must hold
    every pool from the start (an LP file of it, rows written on its objective), so pools that would
    be priced leave it to the textbook formulation. `require_pooling`
    adds sum own <= services - 1: the best configuration that pools something, used to show what the
    status quo beat and by how much. `control` hears of each step and may stop the building. `forbid`
    closes units: what an explanation re-solves without."""
    control = control or Control()
    why_not = radius_applies(instance)
    if formulation == "radius" and why_not is not None:
        raise InputError(
            [
                Problem(
                    "solver.formulation",
                    says(
                        f"radius does not apply here: {why_not}; use auto or textbook",
                        f"radius is hier niet van toepassing: {why_not}; gebruik auto of textbook",
                    ),
                )
            ]
        )
    forbid = tuple(forbid)
    if formulation in ("auto", "radius") and why_not is None and not require_pooling and not forbid:
        return build_radius(instance, control)
    if formulation in ("auto", "pools"):
        fit = pool_fit(instance)
        if formulation == "pools" and fit.not_applicable is not None:
            raise InputError(
                [
                    Problem(
                        "solver.formulation",
                        says(
                            f"pools does not apply here: {fit.not_applicable}; use auto or textbook",
                            f"pools is hier niet van toepassing: {fit.not_applicable}; gebruik auto of textbook",
                        ),
                    )
                ]
            )
        if formulation == "pools" and whole and not fit.listed:
            raise InputError(
                [
                    Problem(
                        "--write-lp",
                        says(
                            "the pool formulation prices this scenario's pools and lists only some, so no "
                            "LP file holds its whole model; use --formulation textbook or auto",
                            "de poolformulering prijst de pools van dit scenario en somt er maar enkele op, dus "
                            "geen LP-bestand bevat het hele model; gebruik --formulation textbook of auto",
                        ),
                    )
                ]
            )
        if fit.not_applicable is None and (formulation == "pools" or (fit.pays and (fit.listed or not whole))):
            return build_pools(instance, control, forbid, require_pooling)
    return build_textbook(instance, control, forbid, require_pooling)
