"""`members`: a built-in dataset's municipalities by name or code, `all`, or whole provinces and
COROP regions (`{province: Zeeland}`, `{corop: Twente}`, or such mappings in a list of names).

Provinces and COROP regions are matched regardless of case and accents (`fryslan` is Fryslân), as
municipalities are regardless of case (README, "Names"). A municipality that a region and a name
both cover is taken once: a region is a shorthand for its members, not a second mention of them.
"""

from __future__ import annotations

import difflib
import unicodedata
from typing import Any

from inputs import datasets
from inputs.labels import says
from inputs.municipalities import lookup_of
from inputs.problems import suggestion
from inputs.reader import Reader, kind_of
from inputs.types import Municipality


def forms() -> str:
    """What `members` may be, for the messages that say what was expected."""
    return says(
        "a list of municipalities (names or CBS codes), all, {province: NAME} or {corop: NAME}",
        "een lijst van gemeenten (namen of CBS-codes), all, {province: NAAM} of {corop: NAAM}",
    )


def fold(text: str) -> str:
    """Casefolded, without accents: how a province or COROP region is matched."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def nearest(word: str, options: list[str], what: str) -> str:
    """What was expected and the nearest option, as suggestion() says it but on folded text, naming
    the option as the dataset writes it."""
    by_folded = {fold(option): option for option in options}
    close = difflib.get_close_matches(fold(word), list(by_folded), n=1, cutoff=0.6)
    if close:
        return says(
            f" (expected one of its {len(options)} {what}s); did you mean '{by_folded[close[0]]}'?",
            f" (verwacht een van de {len(options)}); bedoelt u '{by_folded[close[0]]}'?",
        )
    return says(
        f"; expected one of its {len(options)} {what}s: ", f"; verwacht een van de {len(options)}: "
    ) + ", ".join(sorted(options))


#: a kind of region in Dutch, for the messages
WHAT_NL = {"municipality": "gemeente", "province": "provincie", "corop": "COROP-gebied", "COROP region": "COROP-gebied"}
#: ... and more than one of them
MANY_NL = {"province": "provincies", "COROP region": "COROP-gebieden"}


class Selection:
    """The members chosen so far, in the order given; each municipality once."""

    def __init__(self, reader: Reader, dataset: str) -> None:
        self.reader, self.dataset = reader, dataset
        self.known = datasets.municipalities(dataset)
        self.lookup = lookup_of(list(self.known.values()))
        self.chosen: dict[str, Municipality] = {}
        self.named: set[str] = set()
        # kind -> folded region name -> (the name as written, its codes in code order)
        self.regions: dict[str, dict[str, tuple[str, list[str]]]] = {}
        for kind in datasets.REGION_KINDS:
            table: dict[str, tuple[str, list[str]]] = {}
            for code, region in datasets.regions(dataset, kind).items():
                table.setdefault(fold(region), (region, []))[1].append(code)
            self.regions[kind] = table

    def name(self, member: str, path: str) -> None:
        """One municipality by name or code."""
        code = self.lookup.get(member.casefold())
        if code is None:
            self.reader.add(path, self._not_a_municipality(member))
        elif code in self.named:
            self.reader.add(
                path, says(f"duplicate municipality '{member}' ({code})", f"dubbele gemeente '{member}' ({code})")
            )
        else:
            self.named.add(code)
            self.chosen.setdefault(code, self.known[code])

    def _not_a_municipality(self, member: str) -> str:
        # `members: Zeeland` is a region meant whole: say which form takes it, not 'did you mean Ameland?'
        kinds = [kind for kind, table in self.regions.items() if fold(member) in table]
        if kinds:
            kind = kinds[0]
            written, codes = self.regions[kind][fold(member)]
            what = " and a ".join(datasets.REGION_KINDS[k] for k in kinds)
            dutch = " en een ".join(WHAT_NL.get(k, k) for k in kinds)
            return says(
                f"'{member}' is a {what}, not a municipality of dataset {self.dataset}; "
                f"for its {len(codes)} municipalities write {{{kind}: {written}}}",
                f"'{member}' is een {dutch}, geen gemeente van dataset {self.dataset}; "
                f"schrijf voor zijn {len(codes)} gemeenten {{{kind}: {written}}}",
            )
        names = [m.name for m in self.known.values()]
        return says(
            f"unknown municipality '{member}' in dataset {self.dataset}; ",
            f"onbekende gemeente '{member}' in dataset {self.dataset}; ",
        ) + suggestion(member, names)

    def region(self, value: Any, path: str) -> None:
        """`{province: NAME or [NAMES], corop: ...}`: every municipality of each region named."""
        selection = self.reader.mapping(value, path, tuple(datasets.REGION_KINDS))
        if not selection and isinstance(value, dict) and not value:
            self.reader.add(
                path, says(f"an empty mapping (expected {forms()})", f"een lege mapping (verwacht {forms()})")
            )
        for kind, given in selection.items():
            table = self.regions[kind]
            what = datasets.REGION_KINDS[kind]
            if not table:
                having = [d for d in datasets.DATASETS if datasets.regions(d, kind)]
                self.reader.add(
                    f"{path}.{kind}",
                    says(
                        f"dataset {self.dataset} has no {what}s ({', '.join(having)} has them); "
                        "name the municipalities, or choose by {province: NAME}",
                        f"dataset {self.dataset} heeft geen {MANY_NL.get(what, what)} ({', '.join(having)} wel); "
                        "noem de gemeenten, of kies met {province: NAAM}",
                    ),
                )
                continue
            names = self.reader.names(given, f"{path}.{kind}")
            seen: set[str] = set()
            for index, region in enumerate(names):
                place = f"{path}.{kind}" if isinstance(given, str) else f"{path}.{kind}[{index}]"
                found = table.get(fold(region))
                if found is None:
                    options = [written for written, _ in table.values()]
                    hint = nearest(region, options, what)
                    dutch = WHAT_NL.get(what, what)
                    self.reader.add(
                        place,
                        says(
                            f"unknown {what} '{region}' in dataset {self.dataset}",
                            f"onbekend(e) {dutch} '{region}' in dataset {self.dataset}",
                        )
                        + hint,
                    )
                elif fold(region) in seen:
                    self.reader.add(
                        place, says(f"duplicate {what} '{region}'", f"dubbel: {WHAT_NL.get(what, what)} '{region}'")
                    )
                else:
                    seen.add(fold(region))
                    for code in found[1]:
                        self.chosen.setdefault(code, self.known[code])


def members(reader: Reader, dataset: str, given: Any, where: str = "municipalities.members") -> list[Municipality]:
    """The municipalities of a dataset that `given` names (see the module's docstring)."""
    selection = Selection(reader, dataset)
    if given == "all":  # a national study: every municipality of the dataset
        return list(selection.known.values())
    if isinstance(given, dict):
        selection.region(given, where)
    elif isinstance(given, str | int) and not isinstance(given, bool):
        selection.name(str(given), f"{where}[0]")
    elif isinstance(given, list):
        for index, item in enumerate(given):
            path = f"{where}[{index}]"
            if isinstance(item, dict):
                selection.region(item, path)
            elif isinstance(item, str | int) and not isinstance(item, bool):
                selection.name(str(item), path)
            else:
                reader.add(
                    path,
                    says(
                        "expected a municipality's name or code, or {province: NAME}, got ",
                        "verwacht de naam of code van een gemeente, of {province: NAAM}, kreeg ",
                    )
                    + kind_of(item),
                )
    elif given is not None:
        reader.add(where, says(f"expected {forms()}, got ", f"verwacht {forms()}, kreeg ") + kind_of(given))
    return list(selection.chosen.values())
