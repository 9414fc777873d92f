"""Real master data: the geography and the office tree (see docs/master-data.md).

- ministries.csv: every ministry and division that signs an APA with the Cabinet Secretary
  (level "ministry"; a ministry that has divisions is represented by its divisions, each
  naming its ministry in `parent_ministry_en`);
- agencies.csv: the agencies (দপ্তর/সংস্থা) of the ministries in the seed documents;
- field_agencies.csv: agencies with divisional, district and upazila offices, whose office
  names are composed from the templates in the file and the place names;
- geography.py: 8 divisions, 64 districts, 495 upazilas.

`load_master_data(connection, scale)` inserts all of it in bulk on the caller's transaction.
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Connection, insert, select

from data.db import sync_sequences
from data.master import geography
from data.models import AdminDivision, District, Office, Upazila

HERE = Path(__file__).parent
# Default scale: the field offices of these agencies in this division (Dhaka), so the
# embedded demo has a complete district/upazila drill-down without 24,000 offices.
DEFAULT_FIELD_AGENCIES = ("doc", "fieldadmin", "dae")
DEFAULT_DIVISION_ID = 6


def _rows(name: str) -> list[dict[str, str]]:
    # NFC, so that য় and ড় compare equal however a file spelled them.
    with (HERE / name).open(encoding="utf-8") as f:
        return [
            {k: unicodedata.normalize("NFC", v) for k, v in row.items()}
            for row in csv.DictReader(f)
        ]


@dataclass
class _Tree:
    """Office rows with ids and paths assigned in Python, ready for one bulk insert."""

    rows: list[dict] = field(default_factory=list)

    def add(self, parent: dict | None, **values) -> dict:
        office_id = len(self.rows) + 1
        row = {
            "id": office_id,
            "parent_id": parent["id"] if parent else None,
            "path": (parent["path"] if parent else "/") + f"{office_id}/",
            "ministry_id": parent["ministry_id"] if parent else office_id,
            "agency_id": parent["agency_id"] if parent else None,
            "short_bn": None,
            "short_en": None,
            "admin_division_id": None,
            "district_id": None,
            "upazila_id": None,
            "is_demo": False,
        }
        row.update(values)
        if row["level"] == "agency":
            row["agency_id"] = office_id
        self.rows.append(row)
        return row


def _field_name(agency: dict, level: str, place_bn: str, place_en: str) -> tuple[str, str]:
    bn = agency[f"{level}_bn"] or {
        "divisional": "বিভাগীয় {office}, {place}",
        "district": "জেলা {office}, {place}",
        "upazila": "উপজেলা {office}, {place}",
    }[level].replace("{office}", agency["office_bn"])
    en = agency[f"{level}_en"] or {
        "divisional": "Divisional {office}, {place}",
        "district": "District {office}, {place}",
        "upazila": "Upazila {office}, {place}",
    }[level].replace("{office}", agency["office_en"])
    return bn.format(place=place_bn), en.format(place=place_en)


def build_office_rows(scale: str = "default") -> list[dict]:
    """The office tree as rows for `offices`, ids from 1, parents before children."""
    if scale not in ("default", "national"):
        raise ValueError("scale must be 'default' or 'national'")
    tree = _Tree()
    ministries = {}
    for m in _rows("ministries.csv"):
        ministries[m["code"]] = tree.add(
            None,
            code=f"min:{m['code']}",
            level="ministry",
            name_bn=m["name_bn"],
            name_en=m["name_en"],
            short_en=m["short_en"] or None,
        )
    for a in _rows("agencies.csv"):
        tree.add(
            ministries[a["ministry"]],
            code=f"ag:{a['code']}",
            level="agency",
            name_bn=a["name_bn"],
            name_en=a["name_en"],
            short_bn=a["short_bn"] or None,
            short_en=a["short_en"] or None,
        )
    divisions = geography.divisions()
    districts = geography.districts()
    upazilas_by_district: dict[int, list] = {}
    for u in geography.upazilas():
        upazilas_by_district.setdefault(u.parent_id, []).append(u)
    for a in _rows("field_agencies.csv"):
        agency = tree.add(
            ministries[a["ministry"]],
            code=f"ag:{a['code']}",
            level="agency",
            name_bn=a["name_bn"],
            name_en=a["name_en"],
            short_bn=a["short_bn"] or None,
            short_en=a["short_en"] or None,
        )
        if scale == "default" and a["code"] not in DEFAULT_FIELD_AGENCIES:
            continue
        for division in divisions:
            if scale == "default" and division.id != DEFAULT_DIVISION_ID:
                continue
            bn, en = _field_name(a, "divisional", division.name_bn, division.name_en)
            div_office = tree.add(
                agency,
                code=f"ag:{a['code']}:div:{division.id}",
                level="divisional",
                name_bn=bn,
                name_en=en,
                admin_division_id=division.id,
            )
            for district in (d for d in districts if d.parent_id == division.id):
                bn, en = _field_name(a, "district", district.name_bn, district.name_en)
                dist_office = tree.add(
                    div_office,
                    code=f"ag:{a['code']}:dist:{district.id}",
                    level="district",
                    name_bn=bn,
                    name_en=en,
                    admin_division_id=division.id,
                    district_id=district.id,
                )
                for upazila in upazilas_by_district.get(district.id, []):
                    bn, en = _field_name(a, "upazila", upazila.name_bn, upazila.name_en)
                    tree.add(
                        dist_office,
                        code=f"ag:{a['code']}:upz:{upazila.id}",
                        level="upazila",
                        name_bn=bn,
                        name_en=en,
                        admin_division_id=division.id,
                        district_id=district.id,
                        upazila_id=upazila.id,
                    )
    return tree.rows


def load_master_data(connection: Connection, scale: str = "default") -> dict[str, int]:
    """Insert the geography and the office tree into an empty migrated database."""
    connection.execute(
        insert(AdminDivision),
        [{"id": d.id, "name_bn": d.name_bn, "name_en": d.name_en} for d in geography.divisions()],
    )
    connection.execute(
        insert(District),
        [
            {
                "id": d.id,
                "admin_division_id": d.parent_id,
                "name_bn": d.name_bn,
                "name_en": d.name_en,
            }
            for d in geography.districts()
        ],
    )
    connection.execute(
        insert(Upazila),
        [
            {"id": u.id, "district_id": u.parent_id, "name_bn": u.name_bn, "name_en": u.name_en}
            for u in geography.upazilas()
        ],
    )
    rows = build_office_rows(scale)
    for start in range(0, len(rows), 5000):
        connection.execute(insert(Office), rows[start : start + 5000])
    sync_sequences(connection)
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["level"]] = counts.get(row["level"], 0) + 1
    return counts


def find_office(connection: Connection, code: str) -> int | None:
    """An office's id by its stable code, e.g. "min:ictd" or "ag:doc:dist:43"."""
    return connection.scalar(select(Office.id).where(Office.code == code))
