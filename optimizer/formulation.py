"""Which formulation builds a scenario's model: the one place that knows them all.

    radius     optimizer/radius.py   a pure facility-location choice (the OR-Library instances)
    pools      optimizer/pools.py    set partitioning: each member set of a unit a column
    textbook   optimizer/model.py    one variable per member and unit; the cross-check and fallback

The formulations import `optimizer.model` (the rules, written once) and not each other.
"""

from __future__ import annotations

from collections.abc import Iterable

from inputs.problems import InputError, Problem
from optimizer.control import Control
from optimizer.instance import Instance
from optimizer.model import Forbid, Model, build_textbook
from optimizer.pools import build_pools, pools_apply, pools_pay
from optimizer.radius import build_radius, radius_applies


def build_model(
    instance: Instance,
    require_pooling: bool = False,
    formulation: str = "auto",
    control: Control | None = None,
    forbid: Iterable[Forbid] = (),
) -> Model:
    """The model of the pooling decision in `formulation`: "auto" takes the radius formulation where
    it is exact (`optimizer.radius.radius_applies`), else the pool formulation where it applies and
    pays (`optimizer.pools.pools_apply`, `pools_pay`), else the textbook one; a formulation asked for
    by name that cannot represent the scenario is bad input that says which rule. `require_pooling`
    adds sum own <= services - 1: the best configuration that pools something, used to show what the
    status quo beat and by how much. `control` hears of each step and may stop the building. `forbid`
    closes units: what an explanation re-solves without."""
    control = control or Control()
    why_not = radius_applies(instance)
    if formulation == "radius" and why_not is not None:
        raise InputError(
            [Problem("solver.formulation", f"radius does not apply here: {why_not}; use auto or textbook")]
        )
    forbid = tuple(forbid)
    if formulation in ("auto", "radius") and why_not is None and not require_pooling and not forbid:
        return build_radius(instance, control)
    if formulation in ("auto", "pools"):
        pools_not = pools_apply(instance)
        if formulation == "pools" and pools_not is not None:
            raise InputError(
                [Problem("solver.formulation", f"pools does not apply here: {pools_not}; use auto or textbook")]
            )
        if pools_not is None and (formulation == "pools" or pools_pay(instance)):
            return build_pools(instance, control, forbid, require_pooling)
    return build_textbook(instance, control, forbid, require_pooling)
