"""Who pays what, in words, tables and charts (`seta allocate`, the report's section on fair shares).

Everything is read from `optimizer.allocate.Shares`; English or Dutch (`lang`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from optimizer.allocate import Shares
from visuals.report import Section
from visuals.tables import euros, number
from visuals.why import _t, signed

if TYPE_CHECKING:
    import altair as alt
else:
    from visuals.lazy import altair as alt

VARIABLE_NAMES = {
    "en": {"inhabitants": "inhabitants", "use": "use", "equal": "equal shares"},
    "nl": {"inhabitants": "inwoners", "use": "gebruik", "equal": "gelijke delen"},
}


def split_name(split: str, lang: str = "en") -> str:
    """'by use', 'Shapley value', '30 % fixed + by inhabitants' (Dutch with lang nl)."""
    if split == "shapley":
        return _t(lang, "Shapley value", "Shapley-waarde")
    if split == "equal_profit":
        return _t(lang, "stable split", "stabiele verdeling")
    names = VARIABLE_NAMES["nl" if lang == "nl" else "en"]
    if split.startswith("fixed:"):
        share, _, variable = split.removeprefix("fixed:").partition("+")
        fixed = number(100 * float(share), 0, lang)
        return _t(lang, f"{fixed} % fixed + by {names[variable]}", f"{fixed} % vast + naar {names[variable]}")
    if split == "equal":
        return names["equal"]
    return _t(lang, f"by {names[split]}", f"naar {names[split]}")


def split_phrase(split: str, lang: str = "en") -> str:
    """The split as the subject of a sentence: 'the Shapley value', 'the key by use'."""
    if split == "shapley":
        return _t(lang, "the Shapley value", "de Shapley-waarde")
    if split == "equal_profit":
        return _t(
            lang, "the stable split (equal relative savings)", "de stabiele verdeling (gelijke relatieve besparing)"
        )
    return _t(lang, f"the key {split_name(split, lang)}", f"de sleutel {split_name(split, lang)}")


def allocation_frame(shares: Shares, lang: str = "en") -> pd.DataFrame:
    """Per member: alone, then each split's annual cost with its gain, as a board reads it."""
    errors = shares.shapley_errors or {}
    rows = []
    for code in shares.game.members:
        alone = shares.game.value(frozenset([code]))
        row = {
            _t(lang, "Municipality", "Gemeente"): shares.result.name_of(code),
            _t(lang, "Alone", "Alleen"): euros(alone, lang),
        }
        for split, costs in shares.splits.items():
            gain = signed(costs[code] - alone, lang).replace("EUR ", "")  # the column is in EUR already
            # the change on a line of its own: a narrow terminal then wraps between the two figures,
            # never inside one
            cell = f"{euros(costs[code], lang)}\n({gain}"
            if split == "shapley" and code in errors:
                cell += f" ± {euros(errors[code], lang)}"
            cell += ")"
            row[split_name(split, lang)] = cell
        rows.append(row)
    return pd.DataFrame(rows)


def valuations_frame(shares: Shares, lang: str = "en") -> pd.DataFrame:
    frame = shares.valuations()
    return pd.DataFrame(
        {
            _t(lang, "Municipality", "Gemeente"): frame["municipality"],
            _t(lang, "Quality before", "Kwaliteit voor"): [number(v, 0, lang) for v in frame["quality_before"]],
            _t(lang, "Quality after", "Kwaliteit na"): [number(v, 0, lang) for v in frame["quality_after"]],
            _t(lang, "Empty days before", "Onbezette dagen voor"): [
                number(v, 1, lang) for v in frame["uncovered_days_before"]
            ],
            _t(lang, "Empty days after", "Onbezette dagen na"): [
                number(v, 1, lang) for v in frame["uncovered_days_after"]
            ],
        }
    )


def summary_lines(shares: Shares, lang: str = "en") -> list[str]:
    """What the split means: the total, the core, and per split the group most better off alone."""
    game = shares.game
    total = _t(
        lang,
        f"The members together pay {euros(shares.total, lang)} a year in cash",
        f"De leden betalen samen {euros(shares.total, lang)} per jaar",
    )
    if shares.given:
        total += _t(
            lang,
            f" in the configuration given (the best one: {euros(game.grand, lang)})",
            f" in de gegeven configuratie (de beste: {euros(game.grand, lang)})",
        )
    lines = [
        total
        + _t(
            lang,
            ". In brackets the change against standing alone (the share minus the stand-alone cost): "
            "negative, the member pays less in the pool.",
            ". Tussen haakjes de verandering ten opzichte van alleen (het aandeel min de kosten alleen): "
            "negatief, dan betaalt het lid minder in de pool.",
        )
    ]
    errors = shares.shapley_errors
    if errors is not None:
        worst = max(errors.values())
        lines.append(
            _t(
                lang,
                f"With {len(game.members)} members the Shapley value is sampled over {len(game.orders)} orders of "
                f"joining ({len(game.values)} coalitions solved of {2 ** len(game.members) - 1:,}): its standard error "
                f"is at most {euros(worst, lang)} per member (shown as ±). Groups better off alone are looked for only "
                "among the coalitions solved, and no stable split is given.",
                f"Met {len(game.members)} leden is de Shapley-waarde geschat over {len(game.orders)} volgordes van "
                f"toetreden ({len(game.values)} van de {2 ** len(game.members) - 1:,} coalities opgelost): de "
                f"standaardfout is hooguit {euros(worst, lang)} per lid (getoond als ±). Groepen die alleen beter af "
                "zijn worden alleen onder de opgeloste coalities gezocht, en er is geen stabiele verdeling.",
            )
        )
    elif "equal_profit" not in shares.splits:
        lines.append(
            _t(
                lang,
                "The core is empty: every split leaves some group of members better off on its own, so no split is "
                "stable; the pool holds only by agreement.",
                "De kern is leeg: elke verdeling laat een groep leden alleen beter af zijn, dus geen verdeling is "
                "stabiel; de pool houdt alleen stand door afspraken.",
            )
        )
    blocked = shares.blocking()
    for split in shares.splits:
        found = blocked[blocked["split"] == split]
        if found.empty:
            lines.append(
                _t(
                    lang,
                    f"Under {split_phrase(split, lang)}, no group of members would be better off on its own (in the "
                    "core).",
                    f"Onder {split_phrase(split, lang)} is geen groep leden alleen beter af (in de kern).",
                )
            )
            continue
        top = found.iloc[0]
        gain = euros(-float(top["change_if_alone_eur"]), lang)
        lines.append(
            _t(
                lang,
                f"Under {split_phrase(split, lang)}, {len(found)} group(s) would be better off on their own, most "
                f"of all {top['coalition']} ({gain} a year).",
                f"Onder {split_phrase(split, lang)} zijn {len(found)} groep(en) alleen beter af, het meest "
                f"{top['coalition']} ({gain} per jaar).",
            )
        )
    if game.unproven:
        lines.append(
            _t(
                lang,
                f"{len(game.unproven)} coalition value(s) are not proven optimal (a time limit).",
                f"{len(game.unproven)} coalitiewaarde(n) zijn niet bewezen optimaal (een tijdslimiet).",
            )
        )
    lines.append(
        _t(
            lang,
            "Cash only: quality and cover are not split; each member keeps its own (the quality table).",
            "Alleen geld: kwaliteit en bezetting worden niet verdeeld; elk lid houdt die van zichzelf "
            "(de tabel met kwaliteit).",
        )
    )
    return lines


def _bars(shares: Shares, frame: pd.DataFrame, field: str, legend: str, axis: str, title: str, lang: str) -> alt.Chart:
    """Horizontal bars per member (in the scenario's order), one per way of splitting."""
    frame = frame.copy()
    frame["how"] = [split_name(str(s), lang) for s in frame["split"]]
    order = list(dict.fromkeys(frame["how"]))
    return (
        alt.Chart(frame)
        .mark_bar()
        .encode(
            y=alt.Y("municipality:N", title=None, sort=[shares.result.name_of(c) for c in shares.game.members]),
            yOffset=alt.YOffset("how:N", sort=order),
            x=alt.X(f"{field}:Q", title=axis, axis=alt.Axis(format=",.0f")),
            color=alt.Color("how:N", sort=order, title=legend),
            tooltip=[
                alt.Tooltip("municipality:N", title=_t(lang, "municipality", "gemeente")),
                alt.Tooltip("how:N", title=legend),
                alt.Tooltip("annual_cost_eur:Q", title=_t(lang, "pays", "betaalt"), format=",.0f"),
                alt.Tooltip(f"{field}:Q", title=axis, format=",.0f"),
            ],
        )
        .properties(title=title, width=420)
    )


def gains_chart(shares: Shares, lang: str = "en") -> alt.Chart:
    """Per member and way of splitting: the change against standing alone (left of zero: pays less,
    the sign rule of every output)."""
    return _bars(
        shares,
        shares.table(),
        "change_against_alone_eur",
        _t(lang, "split", "verdeling"),
        _t(
            lang,
            "change against standing alone (EUR a year; negative: pays less)",
            "verandering ten opzichte van alleen (EUR per jaar; negatief: betaalt minder)",
        ),
        _t(lang, "Who gains (left of zero), under each split", "Wie wint (links van nul), onder elke verdeling"),
        lang,
    )


def subsidy_chart(shares: Shares, lang: str = "en") -> alt.Chart:
    """Who subsidises whom under each key: what a member pays above (right) or below (left) its
    Shapley value, its fair share by what it adds to every group it could join."""
    table = shares.table()
    fair = table[table["split"] == "shapley"].set_index("code")["annual_cost_eur"]
    keys = table[~table["split"].isin(["shapley", "equal_profit"])].copy()
    keys["above_fair_eur"] = keys["annual_cost_eur"] - keys["code"].map(fair)
    return _bars(
        shares,
        keys,
        "above_fair_eur",
        _t(lang, "key", "sleutel"),
        _t(lang, "EUR a year above the Shapley value", "EUR per jaar boven de Shapley-waarde"),
        _t(
            lang,
            "Who subsidises whom: pays more (right) or less (left) than its Shapley value",
            "Wie betaalt voor wie: meer (rechts) of minder (links) dan de Shapley-waarde",
        ),
        lang,
    )


def sections(shares: Shares, lang: str = "en") -> list[Section]:
    blocked = shares.blocking()
    table = pd.DataFrame(
        {
            _t(lang, "Split", "Verdeling"): [split_name(str(s), lang) for s in blocked["split"]],
            _t(lang, "Group", "Groep"): blocked["coalition"],
            _t(lang, "Pays together", "Betaalt samen"): [euros(v, lang) for v in blocked["charged_eur"]],
            _t(lang, "Alone", "Alleen"): [euros(v, lang) for v in blocked["alone_eur"]],
            _t(lang, "Better off alone by", "Alleen beter af met"): [
                euros(-v, lang) for v in blocked["change_if_alone_eur"]
            ],
        }
    )
    return [
        Section(
            _t(lang, "Who pays what: fair shares", "Wie betaalt wat: eerlijke verdeling"),
            text=" ".join(summary_lines(shares, lang)),
            chart=gains_chart(shares, lang),
            table=allocation_frame(shares, lang),
            file="shares-gains",
        ),
        Section(
            _t(lang, "Who subsidises whom", "Wie betaalt voor wie"),
            chart=subsidy_chart(shares, lang),
            table=table if len(table) else None,
            file="shares-subsidy",
        ),
        Section(
            _t(lang, "Beside the money: quality and cover", "Naast het geld: kwaliteit en bezetting"),
            table=valuations_frame(shares, lang),
        ),
    ]
