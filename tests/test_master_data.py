"""Master data: complete geography and a consistent office tree, on a real database."""

import unicodedata
from collections import Counter

import pytest
from sqlalchemy import func, select

from data.master import build_office_rows, find_office, geography, load_master_data
from data.models import District, Office, Upazila


def test_geography_is_complete():
    assert len(geography.divisions()) == 8
    assert len(geography.districts()) == 64
    upazilas = geography.upazilas()
    assert len(upazilas) == 495
    district_ids = {d.id for d in geography.districts()}
    assert all(u.parent_id in district_ids for u in upazilas)
    per_district = Counter((u.parent_id, u.name_en) for u in upazilas)
    assert max(per_district.values()) == 1, "an upazila name repeats within a district"
    for place in (*geography.divisions(), *geography.districts(), *upazilas):
        assert place.name_bn.strip() == place.name_bn and place.name_bn
        assert place.name_en.strip() == place.name_en and place.name_en
        assert "{" not in place.name_en
    habiganj = [u.name_en for u in upazilas if u.parent_id == 38]
    assert "Shayestaganj" in habiganj and len(habiganj) == 9


@pytest.mark.parametrize("scale", ["default", "national"])
def test_office_tree_is_consistent(scale):
    rows = build_office_rows(scale)
    by_id = {r["id"]: r for r in rows}
    assert len({r["code"] for r in rows}) == len(rows)
    order = ["ministry", "agency", "divisional", "district", "upazila"]
    for r in rows:
        parent = by_id.get(r["parent_id"])
        if parent is None:
            assert r["level"] == "ministry" and r["path"] == f"/{r['id']}/"
            continue
        assert r["path"] == parent["path"] + f"{r['id']}/"
        assert order.index(r["level"]) == order.index(parent["level"]) + 1
        assert r["ministry_id"] == parent["ministry_id"]
        if r["level"] != "agency":
            assert r["agency_id"] == parent["agency_id"]
    total = len(rows)
    if scale == "national":
        assert 22_000 <= total <= 26_000
    else:
        assert 200 <= total <= 1_000


def test_master_data_loads_into_the_database(engine):
    with engine.begin() as connection:
        counts = load_master_data(connection, "default")
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Upazila)) == 495
        assert connection.scalar(select(func.count()).select_from(District)) == 64
        assert connection.scalar(select(func.count()).select_from(Office)) == sum(counts.values())
        seed_office = find_office(connection, "ag:doc:dist:43")
        name = connection.scalar(select(Office.name_bn).where(Office.id == seed_office))
        assert name == unicodedata.normalize("NFC", "জেলা সমবায় কার্যালয়, নারায়ণগঞ্জ")
        shorts = set(
            connection.execute(
                select(Office.short_bn).where(
                    Office.parent_id == find_office(connection, "min:ictd")
                )
            ).scalars()
        )
        assert {
            unicodedata.normalize("NFC", s)
            for s in ("আইসিটি অধিদপ্তর", "বিসিসি", "বিএইচটিপিএ", "সিসিএ", "ডিএসএ")
        } <= shorts
        for code in ("min:plandiv", "min:commerce", "min:mopa", "min:fid", "min:rdcd", "ag:epb"):
            assert find_office(connection, code) is not None
