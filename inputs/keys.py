"""Cost-sharing keys (verdeelsleutels): how a joint body splits its cost among its members.

A key is `inhabitants`, `use` (the member's workload in the pool's domains), `equal`, or a mix
`fixed:SHARE+inhabitants|use` (SHARE of the cost in equal shares, the rest by the variable part).
"""

from __future__ import annotations

from dataclasses import dataclass

from inputs.labels import says

#: the parts of a key that vary with the member
VARIABLE = ("inhabitants", "use", "equal")


def expected() -> str:
    """What a key may be, in the run's language (the keys themselves are written as typed)."""
    return says(
        "expected inhabitants, use, equal, or fixed:SHARE+inhabitants or fixed:SHARE+use (SHARE from 0 to 1)",
        "verwacht inhabitants, use, equal, of fixed:AANDEEL+inhabitants of fixed:AANDEEL+use (AANDEEL van 0 tot 1)",
    )


@dataclass(frozen=True)
class Key:
    """How a pool's cost is split among its members: `fixed` of it in equal shares, the rest by
    `variable` (inhabitants, use: the member's workload in the pool's domains, or equal)."""

    text: str
    variable: str
    fixed: float = 0.0

    @property
    def proportional(self) -> bool:
        """Whether a member's share is its weight over the members' total weight (no fixed part):
        then 'pays no more than alone' is linear per pool."""
        return self.fixed == 0


class BadKey(ValueError):
    pass


def parse_key(text: str) -> Key:
    """'inhabitants', 'use', 'equal', or 'fixed:0.3+use' (30 % in equal shares, 70 % by use)."""
    cleaned = str(text).strip().lower()
    if cleaned in VARIABLE:
        return Key(cleaned, cleaned)
    head, plus, variable = cleaned.partition("+")
    word, colon, share = head.partition(":")
    if word != "fixed" or not colon or not plus or variable not in ("inhabitants", "use"):
        raise BadKey(says(f"unknown key '{text}'; ", f"onbekende sleutel '{text}'; ") + expected())
    try:
        fixed = float(share)
    except ValueError:
        raise BadKey(
            says(f"'{share}' in '{text}' is not a number; ", f"'{share}' in '{text}' is geen getal; ") + expected()
        ) from None
    if not 0 <= fixed <= 1:
        raise BadKey(
            says(
                f"the fixed share {fixed:g} in '{text}' is outside 0-1; ",
                f"het vaste aandeel {fixed:g} in '{text}' ligt buiten 0-1; ",
            )
            + expected()
        )
    if fixed in (0, 1):  # all by the variable part, or all in equal shares
        return Key(cleaned, variable if fixed == 0 else "equal")
    return Key(cleaned, variable, fixed)
