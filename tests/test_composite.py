"""The governance part counted once (scoring.md section 2): the composite takes each action
plan's marks from the stored action plan, else from the APA's `[এম...]` row (marks obtained,
capped at the row's weight), and never counts those rows inside the APA's own 70. One pure
function (scoring.composite) serves the stored scores and the explanation alike."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pandas as pd
import pytest
from sqlalchemy import select

from data.explain import explain_office
from data.models import OfficeScore
from data.scope import EVERYTHING
from loaders.pipeline import check_file, import_file
from loaders.report import to_json
from scoring import Rules, composite, composite_parts, marks_frame
from tests.apa_forms import apa_2020, governance_areas, own_areas

KEY = {"office_id": 1, "fiscal_year_id": 1, "quarter": 2}


def _plans(percents: dict) -> pd.DataFrame:
    return pd.DataFrame(
        [{**KEY, "plan_type": p, "percent": v, "projected_percent": v} for p, v in percents.items()]
    )


def _governance(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(
        [{**KEY, "plan_type": p, "weight": w, "marks": m, "projected_marks": m} for p, w, m in rows]
    )


MARKS = marks_frame({1: Rules()})
APA_ROWS = [("nis", 10, 8.5), ("egov", 10, 9.0), ("grs", 4, 3.2), ("citizen_charter", 3, 2.4), ("rti", 3, 3.0)]  # fmt: skip


def test_action_plans_not_stored_come_from_the_apa_rows():
    (row,) = composite(_plans({"apa": 80.0}), _governance(APA_ROWS), MARKS).itertuples()
    assert row.composite == pytest.approx(56 + 8.5 + 9 + 3.2 + 2.4 + 3)


def test_a_stored_action_plan_wins_over_the_apa_row():
    plans = _plans({"apa": 80.0, "egov": 50.0, "nis": None})
    parts = composite_parts(plans, _governance(APA_ROWS), MARKS).set_index("plan_type")
    assert parts.loc["egov", "source"] == "plan" and parts.loc["egov", "contribution"] == 5
    # A stored plan without a report for the quarter counts 0; the APA row does not stand in.
    assert parts.loc["nis", "source"] == "plan" and parts.loc["nis", "contribution"] == 0
    assert parts.loc["grs", "source"] == "apa" and parts.loc["grs", "contribution"] == 3.2
    assert len(parts) == 6  # each plan type once
    (row,) = composite(plans, _governance(APA_ROWS), MARKS).itertuples()
    assert row.composite == pytest.approx(56 + 5 + 0 + 3.2 + 2.4 + 3)


def test_marks_are_scaled_to_the_rule_sets_marks():
    """A row of weight 10 where the rule set gives the plan 5 marks: 8 of 10 is 4 marks."""
    marks = marks_frame({1: Rules(marks={"apa": 70.0, "nis": 5.0})})
    (row,) = composite(_plans({"apa": 100.0}), _governance([("nis", 10, 8.0)]), marks).itertuples()
    assert row.composite == pytest.approx(70 + 4)


def test_no_governance_rows_and_no_plans_add_nothing():
    (row,) = composite(_plans({"apa": 50.0}), None, MARKS).itertuples()
    assert row.composite == 35


# ---------------------------------------------------------------- stored and explained

EGOV_HEADER = [
    "কার্যক্রমের ক্ষেত্র", "মান", "কার্যক্রম", "কর্মসম্পাদন সূচক", "একক", "কর্মসম্পাদন সূচকের মান",
    "অসাধারণ", "অতি উত্তম", "উত্তম", "চলতি মান", "চলতি মানের নিম্নে", "১ম ত্রৈমাসিক অর্জন",
]  # fmt: skip


def _egov(path):
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "ই-গভর্ন্যান্স"
    ws.append(["ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা ২০২৩-২৪"])
    ws.append(["অফিসের নাম : বাণিজ্য মন্ত্রণালয়"])
    ws.append(EGOV_HEADER)
    ws.append(
        ["[১] সেবা সহজিকরণ", "১০", "[১.১] উদ্ভাবন", "[১.১.১] ধারণা বাস্তবায়িত", "সংখ্যা", "১০",
         "৪", "৩", "২", "১", "-", "২"]
    )  # fmt: skip
    book.save(path)
    return path


def test_the_stored_composite_counts_the_governance_part_once(master, tmp_path):
    q1 = [[dt.date(2023, 12, 28)], ["০৩"], [(0.95, "0%")], ["৯৮%"], [10]]
    apa, _rows, _cols = apa_2020(
        tmp_path / "apa.xlsx",
        own_areas(q1),
        governance_areas([["৮.৫"], [9], [3.2], ["২.৪"], [4]]),
        title="বার্ষিক কর্মসম্পাদন চুক্তি ২০২৩-২৪: ১ম ত্রৈমাসিক প্রতিবেদন",
        achievement_headers=["অর্জন"],
    )
    egov = _egov(tmp_path / "egov.xlsx")
    apa_doc = to_json(check_file(apa, engine=master))["plans"][0]
    egov_doc = to_json(check_file(egov, engine=master))["plans"][0]
    assert import_file(master, apa, uploaded_by="test", scope=EVERYTHING).status == "added"
    assert import_file(master, egov, uploaded_by="test", scope=EVERYTHING).status == "added"
    # The APA's own part: percent of its own total (20 here) × 70; its governance rows apart.
    own = apa_doc["percent"] * 70 / 100
    egov_part = egov_doc["percent"] * 10 / 100  # stored: the e-governance plan's own score
    marks = {g["plan_type"]: g["marks"] for g in apa_doc["governance"]}
    assert marks == {"nis": 8.5, "egov": 9, "grs": 3.2, "citizen_charter": 2.4, "rti": 3}
    expected = (
        own + egov_part + marks["nis"] + marks["grs"] + marks["citizen_charter"] + marks["rti"]
    )
    with master.connect() as connection:
        stored = connection.scalar(select(OfficeScore.composite).where(OfficeScore.quarter == 1))
    assert stored == pytest.approx(expected)
    text = explain_office(master, "min:commerce", "2023-24", 1)
    assert f"composite = {stored:.4g} of 100 (stored: {stored:.4g})" in text
    assert "(nis): not stored; from the APA's governance row" in text
    assert "(egov): not stored" not in text
