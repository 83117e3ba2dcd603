"""Pools in one piece of the map (`limits.connected_pools`) in the textbook formulation: cuts added
while solving, as many as the answers need (the pool formulation lists only connected member sets).

For a unit whose chosen members fall apart into pieces, take the piece C that holds the host (else
the first) and its border N(C): the municipalities that share a border with C and are not in it. A
member set that holds i (in C) and j (in another piece) and is one piece has a path from i to j
through its members; where the path first leaves C it enters N(C). So

    x(i,u) + x(j,u) - 1 <= sum_{k in N(C)} x(k,u)

holds for every connected pool, and the answer at hand breaks it (none of N(C) is a member, or C
would be larger). Each cut removes the answer at hand and there are finitely many, so the loop ends.
"""

from __future__ import annotations

import pulp

from optimizer.formulation.model import Model


def separate(model: Model, first: int) -> int:
    """Adds the cuts the model's present answer breaks, named from `first` on; how many."""
    instance = model.instance
    graph = instance.graph
    added = 0
    seen: set[tuple[str, ...]] = set()
    for unit in model.variables.units:
        if not unit.carries_member_rules:
            continue  # an all-domain body's units share their members: its first unit carries the cut
        members = [code for code, var in unit.members.items() if (var.varValue or 0.0) > 0.5]
        pieces = instance.pieces(members)
        if len(pieces) < 2:
            continue
        home = next((piece for piece in pieces if unit.host in piece), pieces[0])
        inside = set(home)
        border = sorted({n for code in home for n in graph.neighbors(code)} - inside - instance.partners)
        crossing = [unit.members[code] for code in border if code in unit.members]
        i = unit.host if unit.host in inside else home[0]
        for j in (code for piece in pieces if piece is not home for code in piece):
            key = (unit.members[i].name, unit.members[j].name, *(var.name for var in crossing))
            if key in seen:
                continue
            seen.add(key)
            terms = [(unit.members[i], 1.0), (unit.members[j], 1.0)] + [(var, -1.0) for var in crossing]
            model.problem.addConstraint(pulp.lpSum_vars_coefs(terms) <= 1, f"connected_{first + added}")
            added += 1
    return added
