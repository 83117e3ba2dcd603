"""`seta allocate`: who pays what under each key, against standing alone and the Shapley value."""

from __future__ import annotations

from typing import Any

import pandas as pd
from rich.console import Console
from rich.table import Table
from rich.text import Text

from optimizer.allocate import Game, Key, blocking, equal_profit, member_costs, shapley
from optimizer.result import Result
from visuals.tables import euros

TITLES = {"shapley": "Shapley value", "equal_profit": "stable (equal profit)"}
NAMES = {"shapley": "the Shapley value", "equal_profit": "the stable split (equal relative savings)"}


def allocation_table(result: Result, game: Game, keys: list[Key]) -> pd.DataFrame:
    """One row per member and way of splitting (each key, then the Shapley value): the annual cash
    cost, the stand-alone cost and the gain (positive: the member pays less than alone)."""
    splits: dict[str, dict[str, float]] = {key.text: member_costs(result, key) for key in keys}
    splits["shapley"] = shapley(game)
    stable = equal_profit(game)
    if stable is not None:
        splits["equal_profit"] = stable
    rows = []
    for code in game.members:
        alone = game.value(frozenset([code]))
        for split, costs in splits.items():
            rows.append(
                {
                    "code": code,
                    "municipality": result.name_of(code),
                    "split": split,
                    "annual_cost_eur": round(costs[code], 2),
                    "alone_eur": round(alone, 2),
                    "gain_eur": round(alone - costs[code], 2),
                }
            )
    return pd.DataFrame(rows)


def blocking_table(result: Result, game: Game, table: pd.DataFrame) -> pd.DataFrame:
    """Under each split, every group of members that would pay less on its own, and how much less."""
    rows: list[dict[str, Any]] = []
    for split, part in table.groupby("split", sort=False):
        allocation = dict(zip(part["code"], part["annual_cost_eur"], strict=True))
        for found in blocking(game, allocation):
            members = [code for code in game.members if code in found.coalition]
            rows.append(
                {
                    "split": split,
                    "coalition": ", ".join(result.name_of(code) for code in members),
                    "charged_eur": round(found.charged, 2),
                    "alone_eur": round(found.alone, 2),
                    "gain_alone_eur": round(found.gain, 2),
                }
            )
    return pd.DataFrame(rows, columns=["split", "coalition", "charged_eur", "alone_eur", "gain_alone_eur"])


def render(table: pd.DataFrame, blocked: pd.DataFrame, game: Game, console: Console) -> None:
    splits = list(dict.fromkeys(table["split"]))
    out = Table(title=Text("Annual cash cost per member (gain against standing alone)"), title_justify="left")
    out.add_column("Municipality")
    out.add_column("Alone", justify="right")
    for split in splits:
        out.add_column(TITLES.get(split, f"key {split}"), justify="right")
    for code in game.members:
        rows = table[table["code"] == code]
        first = rows.iloc[0]
        cells = [Text(str(first["municipality"])), Text(euros(float(first["alone_eur"])))]
        for split in splits:
            row = rows[rows["split"] == split].iloc[0]
            gain = float(row["gain_eur"])
            cells.append(Text(f"{euros(float(row['annual_cost_eur']))} ({'+' if gain > 0 else ''}{euros(gain)})"))
        out.add_row(*cells)
    console.print(out)
    console.print(
        Text(
            f"The members together: {euros(game.grand)} a year. Gains are stand-alone cost minus the share "
            "(positive: better off in the pool). Cash only: quality and vulnerability are not split.",
            style="dim",
        )
    )
    if "equal_profit" not in splits:
        console.print(
            Text(
                "The core is empty: every split leaves some group of members better off on its own, so no "
                "stable split exists; the pool holds only by agreement.",
                style="yellow",
            )
        )
    for split in splits:
        name = NAMES.get(split, f"key {split}")
        found = blocked[blocked["split"] == split]
        if found.empty:
            console.print(Text(f"Under {name}: no group of members would be better off on its own (in the core)."))
            continue
        top = found.iloc[0]
        console.print(
            Text(
                f"Under {name}: {len(found)} group(s) would be better off on their own, most of all "
                f"{top['coalition']} ({euros(float(top['gain_alone_eur']))} a year).",
                style="yellow",
            )
        )
    if game.unproven:
        unproven = f"{len(game.unproven)} coalition value(s) are not proven optimal (a time limit)."
        console.print(Text(unproven, style="yellow"))
