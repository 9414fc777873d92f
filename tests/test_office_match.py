"""Office matching (data/office_match.py) against the default master data, with the texts
real workbooks write: office names in title lines and agency progress column headers."""

from __future__ import annotations

import pytest

from data.master import find_office
from data.office_match import (
    CERTAIN,
    OfficeIndex,
    match_office,
    office_by_reference,
)

REAL_TEXTS = [
    ("জেলা সমবায় কার্যালয়, নারায়ণগঞ্জ", "ag:doc:dist:43"),
    ("জেলা সমবায় কার্যালয়, নারায়ণগঞ্জ।", "ag:doc:dist:43"),
    ("পরিকল্পনা বিভাগ", "min:plandiv"),
    ("তথ্য ও যোগাযোগ প্রযুক্তি বিভাগ", "min:ictd"),
    ("আইসিটি বিভাগ", "min:ictd"),
    ("আইসিটি অধিদপ্তরের অগ্রগতি", "ag:doict"),
    ("বিসিসি'র অগ্রগতি", "ag:bcc"),
    ("বিএইচটিপিএ'র অগ্রগতি", "ag:bhtpa"),
    ("সিসিএ'র অগ্রগতি", "ag:cca"),
    ("ডিএসএ'র অগ্রগতি", "ag:dsa"),
    ("আইসিটি বিভাগের অগ্রগতি", "min:ictd"),
    ("Planning Division", "min:plandiv"),
]


@pytest.mark.parametrize(("text", "code"), REAL_TEXTS)
def test_real_workbook_texts_match_their_office_with_certainty(master, text, code):
    with master.connect() as connection:
        found = match_office(connection, text)
        assert found is not None
        assert found.code == code
        assert found.office_id == find_office(connection, code)
        assert found.score >= CERTAIN
        assert found.matched_text == text


def test_one_index_serves_many_matches_with_the_same_answers(master):
    with master.connect() as connection:
        index = OfficeIndex(connection)
        for text, code in REAL_TEXTS:
            assert index.match(text).code == code
            assert index.match(text) == match_office(connection, text)


def test_text_that_names_no_office_matches_nothing(master):
    with master.connect() as connection:
        assert match_office(connection, "zzz qqq xyz") is None
        assert match_office(connection, "") is None
        assert match_office(connection, "অগ্রগতি") is None  # only a noise word


def test_a_name_many_offices_share_is_never_certain(master):
    # Every district has a "জেলা সমবায় কার্যালয়": without the district the match must be
    # confirmed by the caller.
    with master.connect() as connection:
        found = match_office(connection, "জেলা সমবায় কার্যালয়")
        assert found is None or found.score < CERTAIN


def test_candidates_are_ranked_best_first_and_limited(master):
    with master.connect() as connection:
        found = OfficeIndex(connection).candidates("জেলা সমবায় কার্যালয়, নারায়ণগঞ্জ", n=3)
        assert 1 <= len(found) <= 3
        assert found[0].code == "ag:doc:dist:43"
        assert [m.score for m in found] == sorted((m.score for m in found), reverse=True)
        assert len({m.office_id for m in found}) == len(found)
        assert OfficeIndex(connection).candidates("zzz qqq xyz") == []


def test_office_by_reference_takes_an_id_a_code_or_a_name(master):
    with master.connect() as connection:
        bcc = find_office(connection, "ag:bcc")
        assert office_by_reference(connection, str(bcc)).code == "ag:bcc"
        assert office_by_reference(connection, "ag:doc:dist:43").office_id == find_office(
            connection, "ag:doc:dist:43"
        )
        assert office_by_reference(connection, " min:ictd ").code == "min:ictd"
        assert office_by_reference(connection, "বাংলাদেশ কম্পিউটার কাউন্সিল").code == "ag:bcc"
        assert office_by_reference(connection, "Bangladesh Computer Council").code == "ag:bcc"
        assert office_by_reference(connection, "BHTPA").code == "ag:bhtpa"
        assert office_by_reference(connection, "99999999") is None
        assert office_by_reference(connection, "no such office anywhere") is None
        # A name many offices share is not a reference to any one of them.
        assert office_by_reference(connection, "জেলা সমবায় কার্যালয়") is None


def test_the_kept_index_is_rebuilt_when_an_office_is_added(master):
    from sqlalchemy import func, insert, select

    from data.models import Office
    from data.office_match import office_index

    with master.connect() as connection:
        first = office_index(connection)
        assert office_index(connection) is first  # kept between files
        assert first.match("Bangladesh Space Research Office Zeta") is None
    with master.begin() as connection:
        new_id = connection.scalar(select(func.max(Office.id))) + 1
        connection.execute(
            insert(Office).values(
                id=new_id,
                code="ag:test-zeta",
                name_bn="বাংলাদেশ মহাকাশ গবেষণা অফিস জেটা",
                name_en="Bangladesh Space Research Office Zeta",
                level="agency",
                path=f"/{new_id}/",
            )
        )
    with master.connect() as connection:
        again = office_index(connection)
        assert again is not first
        found = again.match("Bangladesh Space Research Office Zeta")
        assert found is not None and found.code == "ag:test-zeta"
