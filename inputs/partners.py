"""Partners that are not municipalities: a water board that takes part in a joint tax office.

A partner brings work of its own in the domains it has (a water board: its assessments on the same
WOZ objects), joins only structures that take partners (a single-domain joint body), hosts nothing
and has no say in the municipalities' other domains. Its workload is given (`fte: {taxes: 20}`) or
derived from its area: a share (`work_share`, default in `inputs.defaults`) of the work of the
municipalities in its area in those domains. `area: nearest` gives a partner the municipalities of
the region nearer to its seat than to the seat of any other partner with `area: nearest`. Its place
is its seat (a municipality) or lat/lon. The workload is settled when the scenario is read: draws of
`seta robust` move the municipalities' work, not the partners'.

```yaml
partners:
  - name: Waterschap Limburg
    seat: Roermond
    area: {province: Limburg}        # or a list of municipalities, or nearest (see below)
    domains: [taxes]                 # default: taxes
```
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from inputs import datasets, defaults, schema
from inputs.labels import says
from inputs.members import members
from inputs.municipalities import lookup_of
from inputs.politics import domain_list
from inputs.reader import Reader
from inputs.types import DomainParams, Municipality

PARTNER_KEYS = ("name", "seat", "lat", "lon", "domains", "fte", "area", "work_share")


def partners(
    reader: Reader,
    value: Any,
    domains: tuple[DomainParams, ...],
    region: list[Municipality],
    dataset: str | None,
) -> list[Municipality]:
    """The partners of a scenario as members that cannot host (`Municipality.partner`)."""
    found: list[Municipality] = []
    known = dict(datasets.municipalities(dataset)) if dataset else {}
    known.update({m.code: m for m in region})
    lookup = lookup_of(list(known.values()))
    names = {m.name.casefold() for m in region}
    domain_keys = [d.key for d in domains]
    params = {d.key: d for d in domains}
    nearest: dict[str, tuple[list[str], float]] = {}  # code -> (domains, share), for area: nearest
    for index, item in enumerate(reader.items(value, "partners")):
        path = f"partners[{index}]"
        entry = reader.mapping(item, path, PARTNER_KEYS)
        if not isinstance(item, dict):
            continue
        name = reader.text(entry.get("name"), f"{path}.name")
        if name is not None and (name.casefold() in names or any(p.name == name for p in found)):
            reader.add(
                f"{path}.name",
                says(
                    f"'{name}' is already the name of a municipality or partner of the scenario",
                    f"'{name}' is al de naam van een gemeente of partner van het scenario",
                ),
            )
            name = None
        chosen = domain_list(reader, entry.get("domains", ["taxes"]), f"{path}.domains", domain_keys)
        location = _location(reader, entry, path, lookup, known)
        fte: dict[str, float] = {}
        if "fte" in entry:
            for key, amount in reader.mapping(entry["fte"], f"{path}.fte", tuple(domain_keys)).items():
                ok, number = reader.figure(amount, f"{path}.fte.{key}", schema.MUNICIPALITY["fte"])
                if ok:
                    fte[key] = number
        elif entry.get("area") == "nearest":
            fte = dict.fromkeys(chosen, 0.0)  # settled below, once every seat is known
        elif "area" in entry:
            area = (
                members(reader, dataset, entry["area"], f"{path}.area")
                if dataset
                else _own_area(reader, entry["area"], f"{path}.area", region)
            )
            share = _share(reader, entry, path)
            for key in chosen:
                fte[key] = float(share) * sum(m.workload(params[key]) for m in area)
        else:
            reader.add(
                path,
                says(
                    "no workload: give fte (per domain, e.g. {taxes: 20}) or an area (municipalities or a province)",
                    "geen werklast: geef fte (per taakveld, bijv. {taxes: 20}) "
                    "of een area (gemeenten of een provincie)",
                ),
            )
        missing = [key for key in chosen if key not in fte]
        if fte and missing:
            listed = ", ".join(missing)
            reader.add(
                f"{path}.fte",
                says(
                    f"no workload for {listed} (expected one for every domain it has)",
                    f"geen werklast voor {listed} (verwacht er een voor elk taakveld dat hij heeft)",
                ),
            )
        if name is None or location is None or not fte or missing:
            continue
        if entry.get("area") == "nearest":
            nearest[f"PT{index + 1:02d}"] = (sorted(chosen), _share(reader, entry, path))
        found.append(
            Municipality(
                code=f"PT{index + 1:02d}",
                name=name,
                population=0,
                lat=location[0],
                lon=location[1],
                province=location[2],  # solved by province, a partner goes with its seat
                fte={key: fte[key] for key in chosen},
                may_host=False,
                partner=True,
            )
        )
    return _nearest_areas(found, nearest, region, params)


def _share(reader: Reader, entry: dict[str, Any], path: str) -> float:
    if "work_share" not in entry:
        return float(defaults.PARTNER_WORK_SHARE.value)  # type: ignore[arg-type]
    ok, share = reader.figure(entry["work_share"], f"{path}.work_share", PARTNER_SHARE)
    return float(share) if ok else 0.0


def _nearest_areas(
    found: list[Municipality],
    nearest: dict[str, tuple[list[str], float]],
    region: list[Municipality],
    params: dict[str, DomainParams],
) -> list[Municipality]:
    """`area: nearest`: every municipality of the region belongs to the partner whose seat is nearest
    (an approximation of real areas, which follow catchments, not distance; a partner's work beyond
    the region is not counted, as the region's study does not see it)."""
    seats = [p for p in found if p.code in nearest]
    if not seats:
        return found
    work: dict[str, dict[str, float]] = {p.code: {} for p in seats}
    for m in region:
        seat = min(seats, key=lambda s: (s.lat - m.lat) ** 2 + ((s.lon - m.lon) * 0.62) ** 2)
        for key, domain in params.items():
            amount = m.workload(domain)
            work[seat.code][key] = work[seat.code].get(key, 0.0) + amount
    result = []
    for partner in found:
        if partner.code in nearest:
            domains, share = nearest[partner.code]
            partner = replace(partner, fte={key: share * work[partner.code].get(key, 0.0) for key in domains})
        result.append(partner)
    return result


def _own_area(reader: Reader, value: Any, path: str, region: list[Municipality]) -> list[Municipality]:
    """A partner's area named from a region of the user's own table (no dataset to look in)."""
    lookup = lookup_of(region)
    area = []
    for index, name in enumerate(reader.names(value, path)):
        code = lookup.get(name.casefold())
        if code is None:
            reader.add(
                f"{path}[{index}]",
                says(
                    f"unknown municipality '{name}' (expected one of the region's)",
                    f"onbekende gemeente '{name}' (verwacht een van de regio)",
                ),
            )
        else:
            area.append(next(m for m in region if m.code == code))
    return area


PARTNER_SHARE = schema.Spec(
    "number",
    "a partner's work, as a share of the work of the municipalities in its area",
    "werk van een partner, als aandeel van het werk van de gemeenten in zijn gebied",
    schema.SHARE,
    0,
    1,
)


def _location(
    reader: Reader, entry: dict[str, Any], path: str, lookup: dict[str, str], known: dict[str, Municipality]
) -> tuple[float, float, str] | None:
    """(lat, lon, province) of the partner's seat, or of the place it gives."""
    if "seat" in entry:
        code = lookup.get(str(entry["seat"]).casefold())
        if code is None:
            seat = entry["seat"]
            reader.add(
                f"{path}.seat",
                says(
                    f"unknown municipality '{seat}' (expected the municipality of its seat)",
                    f"onbekende gemeente '{seat}' (verwacht de gemeente van zijn zetel)",
                ),
            )
            return None
        return known[code].lat, known[code].lon, known[code].province
    if "lat" in entry and "lon" in entry:
        ok_lat, lat = reader.figure(entry["lat"], f"{path}.lat", schema.MUNICIPALITY["lat"])
        ok_lon, lon = reader.figure(entry["lon"], f"{path}.lon", schema.MUNICIPALITY["lon"])
        return (lat, lon, "") if ok_lat and ok_lon else None
    reader.add(
        path,
        says(
            "no place: give its seat (a municipality) or lat and lon",
            "geen plaats: geef zijn zetel (een gemeente) of lat en lon",
        ),
    )
    return None
