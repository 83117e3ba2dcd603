"""Outside providers that can host pools without being a member (outsourcing)."""

from __future__ import annotations

from typing import Any

from inputs import schema
from inputs.labels import says
from inputs.politics import domain_list
from inputs.reader import Reader
from inputs.types import Provider, StructureParams

PROVIDER_KEYS = ("name", *schema.PROVIDER, "domains", "structures")


def providers(
    reader: Reader, value: Any, domain_keys: list[str], structures: tuple[StructureParams, ...]
) -> tuple[Provider, ...]:
    result = []
    hostable = [s.key for s in structures if s.scope == "domain" and s.transfers_staff]
    for index, item in enumerate(reader.items(value, "providers")):
        path = f"providers[{index}]"
        entry = reader.mapping(item, path, PROVIDER_KEYS)
        name = reader.text(entry.get("name"), f"{path}.name")
        figures: dict[str, Any] = {}
        complete = True
        for key, spec in schema.PROVIDER.items():
            if key not in entry and not spec.required:
                continue
            ok, number = reader.figure(entry.get(key), f"{path}.{key}", spec)
            complete &= ok
            figures[key] = number
        domains = domain_list(reader, entry.get("domains"), f"{path}.domains", domain_keys)
        chosen = []
        for position, key in enumerate(reader.names(entry.get("structures", ["centre"]), f"{path}.structures")):
            if key not in hostable:
                reader.add(
                    f"{path}.structures[{position}]",
                    says(
                        f"'{key}' cannot be hosted by an outside provider here; expected one of the allowed "
                        f"single-domain structures that move staff: {', '.join(hostable) or 'none allowed'}",
                        f"'{key}' kan hier niet bij een externe aanbieder worden ondergebracht; verwacht een van de "
                        "toegestane vormen voor één taakveld die personeel verplaatsen: "
                        f"{', '.join(hostable) or 'geen toegestaan'}",
                    ),
                )
            else:
                chosen.append(key)
        if name and complete and chosen:
            result.append(
                Provider(
                    key=f"P{index + 1}",
                    name=name,
                    domains=tuple(d for d in domain_keys if d in domains),
                    structures=tuple(chosen),
                    **figures,
                )
            )
    return tuple(result)
