"""Derives seta's built-in municipality tables from the CBS/PDOK files in a data folder.

Run once by a developer when the source data changes (not at run time):
    python tools/build_data.py PATH/TO/data/nl

2007 populations are the CBS 2012 figures of the same municipality code (the nearest open figure).
The 39 municipalities of 2007 that were merged before 2012 have no such figure; for them the
population is estimated from the 2024 municipality that succeeded them: its 2024 population less the
2012 population of its predecessors that have a figure, spread over the remaining area. The row is
marked `population_estimated = true`. The estimate is crude: towns merged into larger rural
municipalities (Sneek, Bolsward) come out far too low; replace it with CBS table 03759ned where that
table can be reached.
"""

from __future__ import annotations

import csv
import itertools
import json
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "inputs" / "data" / "nl"


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def write(path: Path, rows: list[dict[str, object]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _signed_area(ring: list[list[float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)) / 2


def _rewound(polygon: list[list[list[float]]]) -> list[list[list[float]]]:
    """Vega (d3) wants clockwise outer rings and counter-clockwise holes, the reverse of RFC 7946."""
    rings = []
    for index, ring in enumerate(polygon):
        clockwise = _signed_area(ring) < 0
        rings.append(ring if clockwise == (index == 0) else ring[::-1])
    return rings


def write_boundaries(source: Path, year: str, name: str) -> None:
    collection = json.loads((source / "boundaries" / name).read_text(encoding="utf-8"))
    features = []
    for feature in collection["features"]:
        geometry = feature["geometry"]
        if geometry["type"] == "Polygon":
            coordinates = _rewound(geometry["coordinates"])
        else:
            coordinates = [_rewound(polygon) for polygon in geometry["coordinates"]]
        features.append(
            {
                "type": "Feature",
                "properties": {"code": feature["properties"]["statcode"], "name": feature["properties"]["statnaam"]},
                "geometry": {"type": geometry["type"], "coordinates": coordinates},
            }
        )
    text = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"))
    (OUT / f"boundaries_{year}.geojson").write_text(text, encoding="utf-8")


def main(source: Path) -> None:
    derived = source / "derived"
    muni_2024 = read(derived / "gemeenten_2025.csv")
    source_2007 = read(derived / "gemeenten_2007.csv")
    residual_population = {r["code"]: float(r["population_2024"]) for r in muni_2024}
    residual_area = {r["code"]: float(r["area_km2_generalised"]) for r in muni_2024}
    for row in source_2007:
        if row["population_2012_same_code"]:
            share = float(row["successor_overlap_share"])
            successor = row["successor_2025_code"]
            residual_population[successor] -= float(row["population_2012_same_code"]) * share
            residual_area[successor] -= float(row["area_km2_generalised"]) * share
    rows_2024 = [
        {
            "code": row["code"],
            "name": row["name"],
            "province": row["province"],
            # the COROP region (CBS Gebieden in Nederland 2024, Naam_9): `members: {corop: NAME}`
            "corop": row["corop"],
            "population": int(row["population_2024"]),
            "population_estimated": "false",
            "population_source": "CBS, population on 1 January 2024",
            "lat": row["centroid_lat"],
            "lon": row["centroid_lon"],
        }
        for row in muni_2024
    ]
    rows_2007 = []
    for row in source_2007:
        known = row["population_2012_same_code"]
        if known:
            population = int(known)
            estimated = "false"
            note = "CBS 2012 figure of the same municipality code (proxy for 2007)"
        else:
            successor = row["successor_2025_code"]
            density = residual_population[successor] / max(residual_area[successor], 1.0)
            raw = float(row["area_km2_generalised"]) * density
            population = max(1000, int(round(raw / 5) * 5))
            estimated = "true"
            note = f"estimate: area x residual 2024 density of successor {successor} {row['successor_2025_name']}"
        rows_2007.append(
            {
                "code": row["code"],
                "name": row["name"].replace("Nuenen. Gerwen", "Nuenen, Gerwen"),
                "province": row["province"],
                "population": population,
                "population_estimated": estimated,
                "population_source": note,
                "lat": row["centroid_lat"],
                "lon": row["centroid_lon"],
            }
        )
    rows_2007.sort(key=lambda r: str(r["code"]))
    rows_2024.sort(key=lambda r: str(r["code"]))
    OUT.mkdir(parents=True, exist_ok=True)
    write(OUT / "municipalities_2007.csv", rows_2007)
    write(OUT / "municipalities_2024.csv", rows_2024)
    for year, name in (("2007", "adjacency_2007.csv"), ("2024", "adjacency_2025.csv")):
        # Near-misses flagged for review (gaps under 60 m, PROVENANCE.md) are not neighbours.
        pairs = [
            {"code_a": r["code_a"], "code_b": r["code_b"], "shared_border_km": r["shared_border_km"]}
            for r in read(derived / name)
            if not r.get("method", "").startswith("REVIEW")
        ]
        write(OUT / f"adjacency_{year}.csv", pairs)
    write_boundaries(source, "2007", "gemeente_2007.geojson")
    write_boundaries(source, "2024", "gemeente_2025.geojson")
    print(f"wrote {len(rows_2007)} + {len(rows_2024)} municipalities to {OUT}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
