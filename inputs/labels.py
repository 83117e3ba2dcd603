"""What people read instead of keys: the one vocabulary of display names, in English and Dutch.

Domains, structures, end states, criteria, cost parts and result columns are named here once; the
terminal, the charts and the report all take their words from `name`. Figures (weights, limits, a
domain's `core_fte`) carry their labels in `inputs.schema`.
"""

from __future__ import annotations

import math
import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, Final

#: key -> (English, Dutch)
NAMES: Final[dict[str, tuple[str, str]]] = {
    # domains
    "hr": ("HR (P&O)", "P&O"),
    "taxes": ("taxes", "belastingen"),
    "procurement": ("procurement", "inkoop"),
    "enforcement": ("enforcement", "handhaving"),
    "ict": ("ICT and e-government", "ICT en e-overheid"),
    "legal": ("legal control", "juridische zaken"),
    "communication": ("communication", "communicatie"),
    "social_support": ("social support (Wmo)", "maatschappelijke ondersteuning (Wmo)"),
    "environment": ("environmental enforcement", "milieuhandhaving"),
    "finance": ("finance and administration", "financiën en administratie"),
    # structures and where a service is done
    "in_house": ("in house", "eigen organisatie"),
    "working_group": ("working group", "werkgroep"),
    "centre": ("centre municipality", "centrumgemeente"),
    "matrix": ("matrix", "matrix"),
    "ssc": ("shared service centre", "shared service centre"),
    "joint_body": ("joint body (Wgr)", "bedrijfsvoeringsorganisatie (Wgr)"),
    "one_civil_service": ("one civil service", "één ambtelijke organisatie"),
    "amalgamation": ("amalgamation", "herindeling"),
    # end states
    "status_quo": ("status quo", "huidige situatie"),
    "free": ("free optimum", "vrij optimum"),
    # criteria of the objective
    "cost": ("cost", "kosten"),
    "quality": ("quality", "kwaliteit"),
    "vulnerability": ("vulnerability", "kwetsbaarheid"),
    "manageability": ("manageability", "bestuurbaarheid"),
    "autonomy": ("autonomy", "autonomie"),
    # parts of the annual cost
    "staff": ("staff (scale)", "personeel (schaal)"),
    "agency": ("agency (joint body)", "kosten van de bedrijfsvoeringsorganisatie"),
    "governance": ("governance", "sturing"),
    "transition": ("transition (written off)", "transitie (afgeschreven)"),
    "travel": ("travel", "reizen"),
    "council": ("council saving", "besparing raad"),
    "risk": ("expected cost of failure", "verwachte kosten van mislukken"),
    # solver statuses
    "optimal": ("optimal", "optimaal"),
    "feasible": ("feasible", "toelaatbaar"),
    "infeasible": ("no solution", "geen oplossing"),
    "error": ("no solution", "geen oplossing"),
}

#: domains in a word, for a narrow column head (the workshop's keep-in-house grid): (English, Dutch)
SHORT_NAMES: Final[dict[str, tuple[str, str]]] = {
    "hr": ("HR", "P&O"),
    "taxes": ("taxes", "belasting"),
    "procurement": ("purchasing", "inkoop"),
    "enforcement": ("enforcing", "handhaving"),
    "ict": ("ICT", "ICT"),
    "legal": ("legal", "juridisch"),
    "communication": ("comms", "communicatie"),
    "social_support": ("Wmo", "Wmo"),
    "environment": ("environment", "milieu"),
    "finance": ("finance", "financiën"),
}

#: result columns -> (English, Dutch), with their unit
COLUMNS: Final[dict[str, tuple[str, str]]] = {
    "domain": ("Domain", "Taakveld"),
    "structure": ("Structure", "Vorm"),
    "host": ("Host", "Gastheer"),  # a header: "gastheergemeente" would be cut in a narrow table
    "members": ("Members", "Deelnemers"),
    "n_members": ("Members (number)", "Deelnemers (aantal)"),
    "staff_fte": ("Staff (FTE)", "Personeel (fte)"),
    "annual_cost_eur": ("Annual cost (EUR)", "Jaarlijkse kosten (EUR)"),
    "transition_one_off_eur": ("One-off transition (EUR)", "Eenmalige transitie (EUR)"),
    "name": ("Municipality", "Gemeente"),
    "population": ("Inhabitants", "Inwoners"),
    "cost_before_eur": ("Annual cost, status quo (EUR)", "Jaarlijkse kosten, huidig (EUR)"),
    "cost_after_eur": ("Annual cost, chosen (EUR)", "Jaarlijkse kosten, gekozen (EUR)"),
    "cost_change_eur": ("Change in annual cost (EUR)", "Verandering jaarlijkse kosten (EUR)"),
    "quality_before": ("Quality, status quo (0-100)", "Kwaliteit, huidig (0-100)"),
    "quality_after": ("Quality, chosen (0-100)", "Kwaliteit, gekozen (0-100)"),
    "uncovered_days_before": ("Days without staff, status quo", "Dagen zonder bezetting, huidig"),
    "uncovered_days_after": ("Days without staff, chosen", "Dagen zonder bezetting, gekozen"),
    "option": ("Option", "Optie"),
    "status": ("Status", "Status"),
    "structures": ("Forms used", "Gebruikte vormen"),
    "cost_change_eur_option": ("Change in annual cost (EUR)", "Verandering jaarlijkse kosten (EUR)"),
    "quality_index": ("Quality (0-100)", "Kwaliteit (0-100)"),
    "uncovered_days": ("Days without staff", "Dagen zonder bezetting"),
    "pools": ("Pools", "Pools"),
    "new_arrangements": ("New arrangements", "Nieuwe regelingen"),
    "matrix_interfaces": ("Matrix interfaces", "Matrixkoppelvlakken"),
    "manageability_eur": ("Matrix coordination (EUR/year)", "Matrixcoördinatie (EUR/jaar)"),
    "objective": ("Weighted objective (EUR-equivalent)", "Gewogen doelfunctie (EUR-equivalent)"),
    "where": ("Applies to", "Geldt voor"),
    "figure": ("Figure", "Kengetal"),
    "value": ("Value", "Waarde"),
    "unit": ("Unit", "Eenheid"),
    "source": ("Source", "Bron"),
}


#: units of figures (inputs.schema) in Dutch
UNITS_NL: Final[dict[str, str]] = {
    "EUR/year": "EUR/jaar",
    "EUR one-off": "EUR eenmalig",
    "years": "jaar",
    "changes": "wijzigingen",
    "share 0-1": "aandeel 0-1",
    "ratio": "verhouding",
    "municipalities": "gemeenten",
    "domains": "taakvelden",
    "units": "eenheden",
    "arrangements": "regelingen",
    "inhabitants": "inwoners",
    "degrees": "graden",
    "x autonomy_eur": "x autonomy_eur",
    "days/year": "dagen/jaar",
}


def unit(text: str, lang: str = "en") -> str:
    return UNITS_NL.get(text, text) if lang == "nl" else text


def figure_words(key: str, lang: str = "en") -> str:
    """A figure's `--set` key in words: 'weight of quality', 'cost-minimising scale: taxes', 'quality
    share: matrix' (Dutch with lang 'nl')."""
    from inputs import schema  # imported here: the schema's labels are read when a figure is named

    section, *rest = key.split(".")
    whole = {"weights": schema.WEIGHTS, "limits": schema.LIMITS, "economics": schema.ECONOMICS}.get(section)
    if whole is not None and len(rest) == 1 and rest[0] in whole:
        return whole[rest[0]].display(lang)
    if section not in ("domains", "structures") or len(rest) != 2:
        return key
    which, field = rest
    spec = (schema.DOMAIN if section == "domains" else schema.STRUCTURE)[field]
    if which == "*":
        return f"{spec.display(lang)}: {'elk taakveld' if lang == 'nl' else 'every domain'}"
    return f"{spec.display(lang)}: {name(which, lang)}"


def clock(seconds: float) -> str:
    """Seconds since a run began, as a progress line starts: right-aligned, in the run's number format
    ('   5,0 s' in Dutch)."""
    return f"{number(seconds, 1, language()):>6} s"


def sign_rule(lang: str = "en") -> str:
    """The one sign rule of every output, said in the header of each table of changes: a change is
    after minus before, so that a negative amount in EUR is less cost (a saving, or a valuation that
    improves) wherever it appears; quality is a level on 0-100, higher is better."""
    if lang == "nl":
        return "verandering = na min voor; in EUR is negatief minder kosten; kwaliteit 0-100, hoger is beter"
    return "change = after minus before; in EUR, negative is less cost; quality 0-100, higher is better"


def name(key: str, lang: str = "en") -> str:
    """The display name of a key (a domain, structure, criterion, ...); unknown keys as they are."""
    pair = NAMES.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "nl" else pair[0]


def short_name(key: str, lang: str = "en") -> str:
    """A domain in a word ('P&O', 'inkoop'); other keys by their display name."""
    pair = SHORT_NAMES.get(key)
    if pair is None:
        return name(key, lang)
    return pair[1] if lang == "nl" else pair[0]


def column(key: str, lang: str = "en") -> str:
    pair = COLUMNS.get(key)
    if pair is None:
        return key
    return pair[1] if lang == "nl" else pair[0]


def text(lang: str, english: str, dutch: str) -> str:
    """The reader's words: `dutch` with lang 'nl', else `english`."""
    return dutch if lang == "nl" else english


#: the language of a run's progress lines, which the optimizer writes without knowing its reader; a
#: command sets it from its --lang, and worker processes (spawned) read it from the environment
_RUN_LANGUAGE = "SETA_LANG"


#: the language of the request being answered, where one process answers in both (the workshop
#: page's server): it goes before the run's
_SPOKEN: ContextVar[str | None] = ContextVar("seta_spoken", default=None)


def set_language(lang: str) -> None:
    os.environ[_RUN_LANGUAGE] = lang


def language() -> str:
    spoken = _SPOKEN.get()
    if spoken is not None:
        return spoken
    return "nl" if os.environ.get(_RUN_LANGUAGE) == "nl" else "en"


@contextmanager
def speaking(lang: str) -> Iterator[None]:
    """Messages written inside (input problems, progress) in `lang`, in this thread only."""
    token = _SPOKEN.set("nl" if lang == "nl" else "en")
    try:
        yield
    finally:
        _SPOKEN.reset(token)


def says(english: str, dutch: str) -> str:
    """A progress line in the run's language (`set_language`)."""
    return text(language(), english, dutch)


def number(value: Any, decimals: int = 0, lang: str = "en") -> str:
    """A number as a board reads it: 1,234.5 in English, 1.234,5 in Dutch; nothing (NaN, None) as '-'."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    shown = f"{float(value):,.{decimals}f}"
    if shown.startswith("-") and not _not_nought(shown):
        shown = shown[1:]  # -0.001 rounds to nothing, not to a loss
    if lang == "nl":
        shown = shown.replace(",", "\0").replace(".", ",").replace("\0", ".")
    return shown


def figure(value: float, lang: str = "en") -> str:
    """A figure as it was given, without padding: 0.5, 60, 1e-06 (Dutch 0,5)."""
    shown = f"{value:g}"
    return shown.replace(".", ",") if lang == "nl" else shown


def percent(share: float | None, lang: str = "en", decimals: int = 0) -> str:
    """A share 0-1 as '35 %' ('3,5 %' in Dutch with one decimal); a share that rounds to nothing but is
    not nothing as '< 1 %'."""
    if share is None or math.isnan(share):
        return "-"
    if decimals == 0 and 0 < share < 0.005:
        return "< 1 %"
    return f"{number(100 * share, decimals, lang)} %"


def euros(value: float | None, lang: str = "en") -> str:
    """Money as a board reads it: EUR 1.23 M, EUR 703 k, EUR 950; in Dutch € 1,23 mln, € 703.000, € 950."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    size = abs(value)
    if lang == "nl":
        if size >= 1e6:
            shown = f"€ {number(size / 1e6, 2, lang)} mln"
        elif size >= 1e3:
            shown = f"€ {number(round(size, -3), 0, lang)}"
        else:
            shown = f"€ {number(size, 0, lang)}"
    elif size >= 1e6:
        shown = f"EUR {number(size / 1e6, 2, lang)} M"
    elif size >= 1e3:
        shown = f"EUR {number(size / 1e3, 0, lang)} k"
    else:
        shown = f"EUR {number(size, 0, lang)}"
    return ("-" if value < 0 and _not_nought(shown) else "") + shown


def _not_nought(shown: str) -> bool:
    """Whether a rounded amount shows anything but noughts (a sign on 'EUR 0' would mislead)."""
    return any(digit in shown for digit in "123456789")


def signed(value: float, lang: str = "en") -> str:
    """'+EUR 12 k' for a rise, '-EUR 12 k' for a fall ('+€ 12.000', '-€ 12.000')."""
    shown = euros(value, lang)
    return ("+" if value > 0 and _not_nought(shown) else "") + shown
