"""The APA's own table (its Section 3) in every year's form, achievement columns of every kind,
the office named in the title lines, and the new sample ../shared/samples/commerce-apa-2023-24-q1.xlsx
read, scored and imported as domain.md and scoring.md describe it."""

from __future__ import annotations

import datetime as dt
import json
import math

import pytest
from sqlalchemy import select

from core.terms import TARGET_LEVELS
from data.models import Indicator, IndicatorScore, OfficeScore, Plan, PlanScore, ProgressReport
from data.scope import EVERYTHING
from loaders.layouts import office_from_titles, read_sheet
from loaders.pipeline import check_file, import_file
from loaders.read import read_workbook
from loaders.report import to_json
from scoring.reference import raw_score
from tests.apa_forms import Area, apa_2019, apa_2020, governance_areas, own_areas
from tests.apa_forms import Indicator as Row

COMMERCE = "commerce-apa-2023-24-q1.xlsx"
LEVELS = tuple(str(level) for level in TARGET_LEVELS)  # the JSON's keys


def _plan(path):
    (plan,) = [p for sheet in read_workbook(path).sheets for p in read_sheet(sheet, path.name)]
    return plan


def _day(value: str | None) -> float:
    return math.nan if value is None else float(dt.date.fromisoformat(value).toordinal())


def _reference_raw(indicator: dict) -> float:
    """scoring.md section 1, row by row (scoring/reference.py), on the JSON's own values."""
    is_date = indicator["unit"] == "date"
    to_number = _day if is_date else (lambda v: math.nan if v is None else float(v))
    targets = [to_number(indicator["targets"][level]) for level in LEVELS]
    (achieved,) = indicator["achievements"].values()
    return raw_score(to_number(achieved), targets, is_date)[0]


# ---------------------------------------------------------------- the commerce sample


def test_the_commerce_sample_reads_as_the_commerce_ministrys_apa(master, samples_dir):
    checked = check_file(samples_dir / COMMERCE, engine=master)
    (plan,) = checked.plans
    assert plan.office.code == "min:commerce" and plan.office.score >= 90
    (doc,) = to_json(checked)["plans"]
    assert (doc["plan_type"], doc["fiscal_year"], doc["quarter"]) == ("apa", "2023-24", 1)
    assert doc["office_as_written"] == "বাণিজ্য মন্ত্রণালয়"
    own, governance = doc["indicators"], doc["governance"]
    assert len(own) == 29
    assert [a["weight"] for a in doc["areas"]] == [22, 18, 16, 14]
    assert doc["total_weight"] == 70 == sum(i["weight"] for i in own)
    assert [(g["code"], g["plan_type"], g["weight"]) for g in governance] == [
        ("M.1.1.1", "nis", 10),
        ("M.1.2.1", "egov", 10),
        ("M.1.3.1", "grs", 4),
        ("M.1.4.1", "citizen_charter", 3),
        ("M.1.5.1", "rti", 3),
    ]
    assert doc["governance_weight"] == 30
    assert {g["unit_label"] for g in governance} == {"প্রাপ্ত নম্বর"}
    reported = [i for i in own if i["achievements"]]
    assert len(reported) == 24 and all(list(i["achievements"]) == ["1"] for i in reported)
    # Every percent on a 0-100 scale: `৯৫%` text, 0.95 in a `0%` cell and 1 in `0.00%` alike.
    percents = [i for i in own if i["unit"] == "percent"]
    assert len(percents) == 5
    for indicator in percents:
        targets = [v for v in indicator["targets"].values() if v is not None]
        assert all(50 <= v <= 100 for v in targets), indicator
        assert all(0 <= v <= 100 for v in indicator["achievements"].values()), indicator
    by_code = {i["code"]: i for i in own}
    assert by_code["1.15.1"]["targets"]["100"] == 85 and by_code["1.15.1"]["achievements"] == {
        "1": 83.33
    }
    assert by_code["3.10.1"]["targets"]["60"] == 70 and by_code["3.10.1"]["achievements"] == {
        "1": 100
    }
    assert by_code["1.6.1"]["targets"]["100"] == "2024-05-15"  # `১৫.০৫.২৪` text
    # Raw scores: scoring.md's rules, row by row, and a few by hand.
    for indicator in reported:
        assert indicator["scorable"]
        assert indicator["raw_score"] == pytest.approx(_reference_raw(indicator)), indicator
        assert indicator["weighted_score"] == pytest.approx(
            indicator["weight"] * indicator["raw_score"] / 100
        )
    expected = {"1.13.1": 96, "1.15.1": 96.66, "3.10.1": 100, "3.9.1": 70, "2.5.1": 100}
    expected |= {"2.1.1": 0, "3.5.1": 90, "2.3.1": 60, "4.7.1": 100, "1.2.1": 80}
    for code, raw in expected.items():
        assert by_code[code]["raw_score"] == pytest.approx(raw), code
    assert doc["score"] == pytest.approx(sum(i["weighted_score"] or 0 for i in own))
    assert doc["percent"] == pytest.approx(doc["score"] / 70 * 100)
    assert checked.ok and plan.importable


def test_the_commerce_sample_imports_with_its_governance_part_apart(master, samples_dir):
    outcome = import_file(master, samples_dir / COMMERCE, uploaded_by="test", scope=EVERYTHING)
    assert outcome.status == "added"
    checked_score = outcome.checked.plans[0].score["score"]
    with master.connect() as connection:
        plan = connection.execute(select(Plan)).one()
        assert (plan.plan_type, plan.total_weight) == ("apa", 70)
        rows = connection.execute(
            select(Indicator.code, Indicator.governance_plan_type, Indicator.weight).where(
                Indicator.plan_id == plan.id
            )
        ).all()
        assert len(rows) == 34
        assert sum(1 for r in rows if r.governance_plan_type) == 5
        stored = connection.execute(
            select(PlanScore.score, PlanScore.total_weight).where(PlanScore.quarter == 1)
        ).one()
        assert stored.total_weight == 70
        assert stored.score == pytest.approx(checked_score)
        composite = connection.scalar(select(OfficeScore.composite).where(OfficeScore.quarter == 1))
    # No action plan stored and no governance marks reported yet: the own part alone.
    assert composite == pytest.approx(checked_score)


def test_the_commerce_sample_from_the_command_line(master, samples_dir, monkeypatch, capsys):
    from data.db import get_engine
    from loaders.__main__ import main

    monkeypatch.setenv("APA_DATABASE_URL", master.url.render_as_string(hide_password=False))
    get_engine.cache_clear()
    try:
        code = main(["check", "--json", str(samples_dir / COMMERCE)])
    finally:
        get_engine.cache_clear()
    (file,) = json.loads(capsys.readouterr().out)["files"]
    assert code == 0 and file["ok"] and file["importable"]
    (plan,) = file["plans"]
    assert plan["office"]["code"] == "min:commerce" and plan["office"]["confidence"] >= 90
    assert all("scorable" in i for i in plan["indicators"] + plan["governance"])
    assert sum(1 for i in plan["indicators"] if i["raw_score"] is not None) == 24


# ---------------------------------------------------------------- every year's form

Q1 = [[dt.date(2023, 12, 28)], ["০৩"], [(0.95, "0%")], ["৯৮%"], [10]]


def test_the_2020_form_with_its_governance_part(master, tmp_path):
    path, rows, _cols = apa_2020(
        tmp_path / "apa.xlsx",
        own_areas(Q1),
        governance_areas([["৮.৫"], [9], [3.2], ["২.৪"], [4]]),
        title="বার্ষিক কর্মসম্পাদন চুক্তি ২০২৩-২৪: ২য় ত্রৈমাসিক অগ্রগতি প্রতিবেদন",
        achievement_headers=["২য় ত্রৈমাসিক অর্জন"],
    )
    plan = _plan(path)
    assert (plan.plan_type, plan.fiscal_year, plan.quarter) == ("apa", "2023-24", 2)
    assert plan.office_text == "বাণিজ্য মন্ত্রণালয়"
    own = [i for i in plan.indicators if not i.is_governance]
    governance = [i for i in plan.indicators if i.is_governance]
    assert [a.weight for a in plan.areas] == [12, 8, 30]
    assert [a.section for a in plan.areas] == ["own", "own", "governance"]
    assert plan.total_weight == 20 == sum(i.weight for i in own)
    assert [i.governance_plan_type for i in governance] == [
        "nis",
        "egov",
        "grs",
        "citizen_charter",
        "rti",
    ]
    assert sum(i.weight for i in governance) == 30
    # Column A is empty: letters and rows still point at the cells as Excel shows them.
    date = own[0]
    assert (date.row, date.columns["weight"]) == (rows["[১.১.১] নীতি প্রণীত"], "H")
    assert date.method == "date" and own[1].method == "sum" and own[2].method == "average"
    assert own[2].targets == {100: 100, 90: 90, 80: 80, 70: 70, 60: 60}  # 1, 0.9... in `0%`
    assert [a.value for i in own for a in i.achievements] == [
        dt.date(2023, 12, 28),
        3,
        95,
        98,
        10,
    ]
    # Heading rows across the table, the note under it and the signature are no indicators.
    assert len(plan.indicators) == 10
    assert {p.code for p in plan.problems} == set()
    checked = check_file(path, engine=master)
    (_found,) = checked.plans
    assert {i.code for i in checked.report.issues} == {"marks-above-weight"}
    doc = to_json(checked)["plans"][0]
    assert [g["marks"] for g in doc["governance"]] == [8.5, 9, 3.2, 2.4, 3]  # capped at 3


def test_the_2019_form_with_mandatory_objectives(master, tmp_path):
    dates = [
        dt.date(2019, 12, 30),
        dt.date(2020, 1, 6),
        dt.date(2020, 1, 13),
        "২০.০১.২০",
        "২৭.০১.২০",
    ]
    own = own_areas([[dt.date(2019, 12, 1)], ["০৩"], [(0.95, "0%")], ["৯৮%"], [10]])
    own[0].indicators[0].targets = dates
    for area in own:
        for row in area.indicators:
            row.actuals = ["৮", "৯"] if row.unit == "সংখ্যা" else ["-", "-"]
    mandatory = [
        Area(
            "[১] দক্ষতার সঙ্গে বার্ষিক কর্মসম্পাদন চুক্তি বাস্তবায়ন",
            "৫",
            [
                Row("[১.১] এপিএ বাস্তবায়ন", "[১.১.১] প্রতিবেদন দাখিলকৃত", "সংখ্যা", "৩", ["৪", "৩", "-", "-", "-"], ["১"]),
                Row("[১.২] প্রশিক্ষণ", "[১.২.১] প্রশিক্ষণ আয়োজিত", "জনঘণ্টা", "২", [60, 55, 50, 45, 40], [20]),
            ],
        )
    ]  # fmt: skip
    path, _rows, _cols = apa_2019(tmp_path / "apa-2019.xlsx", own, mandatory)
    plan = _plan(path)
    assert (plan.plan_type, plan.fiscal_year, plan.quarter) == ("apa", "2019-20", 1)
    assert plan.office_text == "বাণিজ্য মন্ত্রণালয়"
    assert [(a.code, a.weight, a.section) for a in plan.areas] == [
        ("1", 12, "own"),
        ("2", 8, "own"),
        ("1", 5, "mandatory"),
    ]
    assert len(plan.indicators) == 7 and plan.total_weight == 25
    assert [i.section for i in plan.indicators].count("mandatory") == 2
    count = next(i for i in plan.indicators if i.code == "1.2.1" and i.section == "own")
    assert {a["fiscal_year"] for a in count.prior_actuals} == {"2017-18", "2018-19"}
    assert plan.indicators[0].targets[70] == dt.date(2020, 1, 20)
    assert all(a.quarter == 1 for i in plan.indicators for a in i.achievements)
    checked = check_file(path, engine=master)
    # The mandatory objectives number their codes from [১] again: no duplicate.
    assert not {"duplicate-code", "duplicate-indicator-code"} & {
        i.code for i in checked.report.issues
    }
    (found,) = checked.plans
    assert found.importable and found.office.code == "min:commerce"
    assert found.score["score"] is not None


# ---------------------------------------------------------------- achievement columns

# header (or headers), what the title adds, and what it means: the quarter, whether to date.
KINDS = [
    ("q1-bn", ["১ম প্রান্তিকে অর্জন"], "", 1, False),
    ("q2-bn", ["২য় ত্রৈমাসিক অর্জন"], "", 2, False),
    ("q3-bn", ["৩য় কোয়ার্টার"], "", 3, False),
    ("q4-months", ["অর্জন (এপ্রিল-জুন ২০২৪)"], "", 4, False),
    ("q2-en", ["Q2 achievement"], "", 2, False),
    ("q3-en-months", ["Achievement (Jan-Mar 2024)"], "", 3, False),
    ("q3-en-words", ["3rd quarter achievement"], "", 3, False),
    ("q1-title", ["অর্জন"], ": ১ম ত্রৈমাসিক (জুলাই-সেপ্টেম্বর ২০২৩) অগ্রগতি প্রতিবেদন", 1, False),
    ("year-months", ["অর্জন (জুলাই ২০২৩ - জুন ২০২৪)"], "", 4, True),
    ("year-bn", ["বার্ষিক অর্জন"], "", 4, True),
    ("year-en", ["Annual achievement"], "", 4, True),
    ("year-evaluation", ["অর্জন"], " এর বার্ষিক মূল্যায়ন প্রতিবেদন", 4, True),
    ("half-year", ["অর্জন"], " এর অর্ধবার্ষিক মূল্যায়ন প্রতিবেদন", 2, True),
    ("to-date-q2", ["মোট অর্জন"], ": ২য় ত্রৈমাসিক প্রতিবেদন", 2, True),
]


@pytest.mark.parametrize(
    ("name", "headers", "title", "quarter", "to_date"), KINDS, ids=[k[0] for k in KINDS]
)
def test_achievement_columns_of_every_kind(
    master, tmp_path, name, headers, title, quarter, to_date
):
    path, _rows, _cols = apa_2020(
        tmp_path / f"{name}.xlsx",
        own_areas(Q1),
        title="বার্ষিক কর্মসম্পাদন চুক্তি (এপিএ) ২০২৩-২৪" + title,
        achievement_headers=headers,
    )
    plan = _plan(path)
    found = [(a.quarter, a.to_date) for i in plan.indicators for a in i.achievements]
    assert found == [(quarter, to_date)] * 5
    assert plan.quarter == quarter
    checked = check_file(path, engine=master)
    assert checked.ok, checked.report.issues
    (doc,) = to_json(checked)["plans"]
    assert doc["quarter"] == quarter
    assert [list(i["achievements"]) for i in doc["indicators"]] == [[str(quarter)]] * 5
    assert doc["indicators"][0]["raw_score"] == 100  # done 28/12, before the best date
    assert doc["indicators"][2]["raw_score"] == pytest.approx(95)  # 0.95 in a `0%` cell


def test_four_quarters_side_by_side(master, tmp_path):
    values = [
        [None, dt.date(2023, 12, 20), None, None, None],
        ["২", "৩", "৩", "২", "১০"],
        [(0.9, "0%"), (0.95, "0%"), (1, "0%"), (0.85, "0%"), (0.925, "0%")],
        ["৯০%", "১০০%", "৯৫%", "৯৫%", "৯৫%"],
        [8, 9, 10, 11, 38],
    ]
    path, _rows, _cols = apa_2020(
        tmp_path / "four.xlsx",
        own_areas(values),
        achievement_headers=["১ম ত্রৈমাসিক", "২য় ত্রৈমাসিক", "৩য় ত্রৈমাসিক", "৪র্থ ত্রৈমাসিক", "মোট অর্জন"],
        quarters_under="অর্জন ২০২৩-২৪",
    )
    plan = _plan(path)
    assert plan.quarter == 4
    count = plan.indicators[1]
    assert [(a.quarter, a.value, a.to_date) for a in count.achievements] == [
        (1, 2, False),
        (2, 3, False),
        (3, 3, False),
        (4, 2, False),
    ]  # the to-date column repeats their sum: not read beside them
    assert [a.value for a in plan.indicators[2].achievements] == [90, 95, 100, 85]
    checked = check_file(path, engine=master)
    (doc,) = to_json(checked)["plans"]
    by_code = {i["code"]: i for i in doc["indicators"]}
    assert by_code["1.2.1"]["raw_score"] == 100  # sum 10 of 10
    assert by_code["1.3.1"]["raw_score"] == pytest.approx(92.5)  # average of 90..85
    assert by_code["2.2.1"]["raw_score"] == pytest.approx(95)  # sum 38: 90 + 10 × 2/4
    assert by_code["1.1.1"]["raw_score"] == 100  # done 20/12, before the best date


def test_an_annual_evaluation_replaces_the_quarters_to_date(master, tmp_path):
    """Q1 reported 10 monitorings; the annual evaluation says 38 for the year: at Q4 the
    achievement to date is 38 (not 48), and the evaluation is stored as a report to date."""
    first, _rows, _cols = apa_2020(
        tmp_path / "q1.xlsx",
        own_areas(Q1),
        title="বার্ষিক কর্মসম্পাদন চুক্তি ২০২৩-২৪: ১ম ত্রৈমাসিক প্রতিবেদন",
        achievement_headers=["অর্জন"],
    )
    year = [[dt.date(2024, 1, 10)], ["১০"], [(0.95, "0%")], ["৯৮%"], [38]]
    annual, _rows, _cols = apa_2020(
        tmp_path / "year.xlsx", own_areas(year), achievement_headers=["অর্জন (জুলাই ২০২৩ - জুন ২০২৪)"]
    )
    assert import_file(master, first, uploaded_by="test", scope=EVERYTHING).status == "added"
    outcome = import_file(master, annual, uploaded_by="test", scope=EVERYTHING)
    assert outcome.status == "added" and outcome.result.plans_unchanged == 1
    with master.connect() as connection:
        reports = connection.execute(
            select(ProgressReport.quarter, ProgressReport.to_date).where(
                ProgressReport.is_current.is_(True)
            )
        ).all()
        assert sorted(reports) == [(1, False), (4, True)]
        scores = dict(
            connection.execute(
                select(Indicator.code, IndicatorScore.achieved)
                .join(Indicator, Indicator.id == IndicatorScore.indicator_id)
                .where(IndicatorScore.quarter == 4)
            ).all()
        )
        raw = dict(
            connection.execute(
                select(Indicator.code, IndicatorScore.raw_score)
                .join(Indicator, Indicator.id == IndicatorScore.indicator_id)
                .where(IndicatorScore.quarter == 4)
            ).all()
        )
    assert scores["2.2.1"] == 38 and raw["2.2.1"] == pytest.approx(95)
    assert scores["1.2.1"] == 10 and raw["1.2.1"] == 100
    assert raw["1.1.1"] == pytest.approx(80 + 10 * 3 / 7)  # done 10/01: between 06/01 and 13/01


# ---------------------------------------------------------------- the office in the title lines

TITLES = [
    (["গণপ্রজাতন্ত্রী বাংলাদেশ সরকার", "বাণিজ্য মন্ত্রণালয়", "বার্ষিক কর্মসম্পাদন চুক্তি ২০২৩-২৪", "সেকশন ৩: কর্মসম্পাদন পরিকল্পনা"], "বাণিজ্য মন্ত্রণালয়"),
    (["গণপ্রজাতন্ত্রী বাংলাদেশ সরকার", "বাণিজ্য মন্ত্রণালয়", "প্রশাসন-২ শাখা", "বাংলাদেশ সচিবালয়, ঢাকা", "www.mincom.gov.bd", "এপিএ ২০২৩-২৪"], "বাণিজ্য মন্ত্রণালয়"),
    (["ডাক, টেলিযোগাযোগ ও তথ্যপ্রযুক্তি মন্ত্রণালয়", "তথ্য ও যোগাযোগ প্রযুক্তি বিভাগ", "বার্ষিক কর্মসম্পাদন চুক্তি ২০২৩-২৪"], "তথ্য ও যোগাযোগ প্রযুক্তি বিভাগ"),
    (["বাণিজ্য মন্ত্রণালয়ের ২০২৩-২৪ অর্থবছরের বার্ষিক কর্মসম্পাদন চুক্তি", "সেকশন ৩"], "বাণিজ্য মন্ত্রণালয়"),
    (["Government of the People's Republic of Bangladesh", "Ministry of Commerce", "Annual Performance Agreement 2023-24", "Section 3"], "Ministry of Commerce"),
    (["বার্ষিক কর্মসম্পাদন চুক্তি ২০২৩-২৪", "অফিসের নাম : জেলা প্রশাসকের কার্যালয়, ঢাকা"], "জেলা প্রশাসকের কার্যালয়, ঢাকা"),
    (["বার্ষিক কর্মসম্পাদন চুক্তি ২০২৩-২৪", "বাংলাদেশ চা বোর্ড"], "বাংলাদেশ চা বোর্ড"),
    (["জেলা/উপজেলা পর্যায়ের কার্যালয়ের জন্য অভিযোগ প্রতিকার ব্যবস্থা সংক্রান্ত কর্মপরিকল্পনা ২০২৪-২৫"], None),
]  # fmt: skip


@pytest.mark.parametrize(("lines", "office"), TITLES)
def test_the_office_from_the_title_lines(lines, office):
    assert office_from_titles(lines) == office


def test_an_english_annual_evaluation_without_merged_headers(master, tmp_path):
    """English words, a header block whose second and third rows are not merged into it (the
    earlier years under `Actual Achievement`, the level names, the percents), governance rows
    in `Marks obtained`, and a second column for the same year (`Achievement rate`)."""
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "Section 3"
    ws.append(["Government of the People's Republic of Bangladesh"])
    ws.append(["Ministry of Commerce"])
    ws.append(["Annual Performance Agreement (APA) 2021-22: Annual Evaluation Report"])
    ws.append([])
    ws.append(
        [
            "Areas of Performance",
            "Weight of Area",
            "Activities",
            "Performance Indicators",
            "Calculation method",
            "Unit",
            "Weight of Performance Indicators",
            "Actual Achievement",
            "",
            "Target/Criteria Value for FY 2021-22",
            "",
            "",
            "",
            "",
            "Projection 2022-23",
            "Projection 2023-24",
            "Achievement (July 2021 - June 2022)",
            "Achievement rate",
        ]
    )
    ws.append(
        [
            "",
            "",
            "",
            "",
            "",
            "",
            "",
            "2019-20",
            "2020-21",
            "Excellent",
            "Very Good",
            "Good",
            "Fair",
            "Poor",
        ]
    )
    ws.append(["", "", "", "", "", "", "", "", "", "100%", "90%", "80%", "70%", "60%"])
    ws.append(
        [
            "[1] Export promotion",
            25,
            "[1.1] Trade fairs",
            "[1.1.1] Fairs held",
            "Total",
            "Number",
            10,
            5,
            6,
            8,
            7,
            6,
            5,
            4,
            8,
            8,
            7,
            "87.5%",
        ]
    )
    ws.append(
        [
            "",
            "",
            "[1.2] Policy",
            "[1.2.1] Policy adopted",
            "Date",
            "Date",
            15,
            "-",
            "-",
            dt.date(2021, 12, 31),
            dt.date(2022, 1, 31),
            dt.date(2022, 2, 28),
            "-",
            "-",
            "",
            "",
            dt.date(2022, 1, 15),
            "-",
        ]
    )
    ws.merge_cells("A8:A9")
    ws.merge_cells("B8:B9")
    ws.append(["Good governance and reform areas"])
    for code, name, weight, marks in (("1", "NIS", 10, 9.2), ("2", "E-governance", 20, 15)):
        ws.append(
            [
                "[M.1] Strengthening governance" if code == "1" else "",
                30 if code == "1" else "",
                f"[M.1.{code}] {name} plan",
                f"[M.1.{code}.1] {name} plan implemented",
                "Cumulative",
                "Marks obtained",
                weight,
                "",
                "",
                weight,
                weight * 0.9,
                weight * 0.8,
                weight * 0.7,
                weight * 0.6,
                "",
                "",
                marks,
            ]
        )
    ws.merge_cells("A11:A12")
    ws.merge_cells("B11:B12")
    path = tmp_path / "apa-en.xlsx"
    book.save(path)
    checked = check_file(path, engine=master)
    assert checked.ok, checked.report.issues
    (doc,) = to_json(checked)["plans"]
    assert (doc["plan_type"], doc["fiscal_year"], doc["quarter"]) == ("apa", "2021-22", 4)
    assert doc["office"]["code"] == "min:commerce"
    fairs, policy = doc["indicators"]
    assert fairs["targets"] == {"100": 8, "90": 7, "80": 6, "70": 5, "60": 4}
    assert fairs["achievements"] == {"4": 7} and fairs["achievements_to_date"]
    assert fairs["raw_score"] == 90
    assert policy["targets"]["80"] == "2022-02-28" and policy["targets"]["70"] is None
    assert policy["raw_score"] == pytest.approx(100 - 10 * 15 / 31)
    assert [(g["plan_type"], g["marks"]) for g in doc["governance"]] == [("nis", 9.2), ("egov", 15)]
    assert doc["areas"] == [
        {"code": "1", "name": "Export promotion", "weight": 25, "section": "own"}
    ]
    assert import_file(master, path, uploaded_by="test", scope=EVERYTHING).status == "added"


def test_a_whole_apa_workbook_gives_its_plans_and_skips_the_rest(master, tmp_path):
    """A real APA workbook holds more than Section 3: a cover, Section 2 (outcomes, with their
    own indicators and targets), the annex of measurement methods, and annexed action plans
    whose titles start with the APA's name. Only the plans are read, each as what it is."""
    import openpyxl

    path, _rows, _cols = apa_2020(tmp_path / "apa-book.xlsx", own_areas(Q1), governance_areas())
    book = openpyxl.load_workbook(path)
    cover = book.create_sheet("প্রচ্ছদ", 0)
    cover.append(["গণপ্রজাতন্ত্রী বাংলাদেশ সরকার"])
    cover.append(["সচিব, বাণিজ্য মন্ত্রণালয়"])
    cover.append(["এবং"])
    cover.append(["মন্ত্রিপরিষদ সচিব"])
    cover.append(["এর মধ্যে স্বাক্ষরিত বার্ষিক কর্মসম্পাদন চুক্তি ২০২৩-২৪"])
    outcomes = book.create_sheet("সেকশন ২", 1)
    outcomes.append(["সেকশন ২: বিভিন্ন কার্যক্রমের চূড়ান্ত ফলাফল/প্রভাব"])
    outcomes.append(
        ["চূড়ান্ত ফলাফল/প্রভাব", "কর্মসম্পাদন সূচকসমূহ", "একক", "প্রকৃত অর্জন ২০২১-২২",
         "প্রকৃত অর্জন ২০২২-২৩", "লক্ষ্যমাত্রা ২০২৩-২৪", "প্রক্ষেপণ ২০২৪-২৫", "উপাত্তসূত্র"]
    )  # fmt: skip
    outcomes.append(["রপ্তানি বৃদ্ধি", "রপ্তানি আয়", "বিলিয়ন ডলার", "৫২", "৫৫", "৬০", "৬৫", "ইপিবি"])
    methods = book.create_sheet("সংযোজনী ২")
    methods.append(["সংযোজনী ২: কর্মসম্পাদন ব্যবস্থাপনা ও প্রমাণক"])
    methods.append(
        ["ক্রমিক নম্বর", "কার্যক্রম", "কর্মসম্পাদন সূচক", "বাস্তবায়নকারী অনুবিভাগ",
         "লক্ষ্যমাত্রা অর্জনের প্রমাণক"]
    )  # fmt: skip
    methods.append(["১", "[১.১] নীতি প্রণয়ন", "[১.১.১] নীতি প্রণীত", "রপ্তানি", "প্রজ্ঞাপন"])
    nis = book.create_sheet("সংযোজনী ৪")
    nis.append(["বার্ষিক কর্মসম্পাদন চুক্তি ২০২৩-২৪, সংযোজনী ৪: জাতীয় শুদ্ধাচার কৌশল কর্মপরিকল্পনা"])
    nis.append(["মন্ত্রণালয়/বিভাগের নাম: বাণিজ্য মন্ত্রণালয়"])
    nis.append(
        ["কার্যক্রমের নাম", "কর্মসম্পাদন সূচক", "সূচকের মান", "একক", "বাস্তবায়নের দায়িত্বপ্রাপ্ত ব্যক্তি/পদ",
         "২০২৩-২০২৪ অর্থবছরের লক্ষ্যমাত্রা"]
    )  # fmt: skip
    nis.append(["১.১ নৈতিকতা কমিটির সভা আয়োজন", "সভা আয়োজিত", "২", "সংখ্যা", "ফোকাল পয়েন্ট", "৪"])
    book.save(path)
    checked = check_file(path, engine=master)
    found = [(p.draft.sheet, p.draft.plan_type, p.draft.fiscal_year) for p in checked.plans]
    assert found == [("সেকশন ৩", "apa", "2023-24"), ("সংযোজনী ৪", "nis", "2023-24")]
    assert all(p.importable and p.office.code == "min:commerce" for p in checked.plans)
    assert "duplicate-plan" not in {i.code for i in checked.report.issues}


def test_at_the_annual_evaluation_an_unreported_indicator_counts_zero(master, tmp_path):
    year = [[dt.date(2024, 1, 10)], [], [(0.95, "0%")], ["৯৮%"], [38]]
    path, _rows, _cols = apa_2020(
        tmp_path / "year.xlsx", own_areas(year), achievement_headers=["বার্ষিক অর্জন"]
    )
    (doc,) = to_json(check_file(path, engine=master))["plans"]
    unreported = next(i for i in doc["indicators"] if i["code"] == "1.2.1")
    assert unreported["achievements"] == {} and unreported["raw_score"] == 0
    assert unreported["weighted_score"] == 0


def test_one_target_merged_across_the_levels_is_a_single_target(master, tmp_path):
    import openpyxl

    path, rows, cols = apa_2020(
        tmp_path / "merged.xlsx", own_areas(Q1), achievement_headers=["১ম ত্রৈমাসিক অর্জন"]
    )
    book = openpyxl.load_workbook(path)
    ws = book.active
    row = rows["[২.২.১] মনিটরিং সম্পন্ন"]
    ws.merge_cells(
        start_row=row, start_column=cols["target"], end_row=row, end_column=cols["target"] + 4
    )
    book.save(path)
    monitoring = next(i for i in _plan(path).indicators if i.code == "2.2.1")
    assert monitoring.targets == {100: 40, 90: None, 80: None, 70: None, 60: None}
    (doc,) = to_json(check_file(path, engine=master))["plans"]
    assert next(i for i in doc["indicators"] if i["code"] == "2.2.1")["raw_score"] == 25  # 10 of 40
