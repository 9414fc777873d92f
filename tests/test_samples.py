"""The three sample workbooks (../shared/samples) read, check, score and import with every
indicator, weight, target and achievement they hold."""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import func, select

from data.models import Indicator, Plan, Progress, ProgressReport, Submission
from data.scope import EVERYTHING
from loaders.__main__ import main as loaders_main
from loaders.layouts import read_sheet
from loaders.pipeline import check_file, import_file
from loaders.read import read_workbook

FIELD = "field-office-plans-2024-25.xlsx"
PLANDIV = "plandiv-egov-q2-progress-2023-24.xlsx"
ICTD = "ictd-citizen-charter-q1-2023-24.xlsx"


def _plans(samples_dir, name):
    workbook = read_workbook(samples_dir / name)
    return [plan for sheet in workbook.sheets for plan in read_sheet(sheet, name)]


# sheet -> (plan type, indicator count, total weight)
FIELD_PLANS = {
    "ই-গভর্ন্যান্স": ("egov", 10, 50.0),
    "অভিযোগ প্রতিকার": ("grs", 6, 20.0),
    "সেবা প্রদান প্রতিশ্রুতি": ("citizen_charter", 6, 25.0),
    "তথ্য অধিকার (জেলা)": ("rti", 3, 3.0),
    "তথ্য অধিকার (উপজেলা)": ("rti", 2, 3.0),
    "শুদ্ধাচার": ("nis", 6, 10.0),
}


def test_field_office_workbook_has_six_plans(samples_dir):
    plans = _plans(samples_dir, FIELD)
    found = {p.sheet: (p.plan_type, len(p.indicators), p.total_weight) for p in plans}
    assert found == FIELD_PLANS
    assert {p.fiscal_year for p in plans} == {"2024-25"}
    assert {p.layout for p in plans} == {"standard", "nis"}


def test_egov_indicators_targets_and_repaired_code(samples_dir):
    egov = next(p for p in _plans(samples_dir, FIELD) if p.plan_type == "egov")
    first = egov.indicators[0]
    assert (first.code, first.code_raw, first.unit_kind, first.weight) == (
        "1.1.1",
        "[[১.১.১]",
        "date",
        10.0,
    )
    assert first.targets == {
        100: dt.date(2025, 3, 9),
        90: dt.date(2025, 3, 16),
        80: dt.date(2025, 3, 23),
        70: dt.date(2025, 3, 30),
        60: dt.date(2025, 4, 6),
    }
    assert ("code-repaired", 8, "C") in {(p.code, p.row, p.column) for p in egov.problems}
    last = egov.indicators[-1]
    assert (last.code, last.targets) == ("8.1.1", {100: 2.0, 90: None, 80: 1.0, 70: None, 60: None})
    percent = next(i for i in egov.indicators if i.code == "4.1.2")
    assert (percent.unit_kind, percent.targets[100], percent.targets[60]) == (
        "percent",
        100.0,
        60.0,
    )
    assert [a.code for a in egov.activities][:3] == ["1.1", "2.1", "3.1"]


def test_grs_areas_and_alternative_indicators(samples_dir):
    grs = next(p for p in _plans(samples_dir, FIELD) if p.plan_type == "grs")
    assert [(a.name, a.weight) for a in grs.areas] == [("প্রাতিষ্ঠানিক", 20.0), ("সক্ষমতা অর্জন", 5.0)]
    codes = [i.code for i in grs.indicators]
    assert codes == ["1.1.1", "1.1.1.1", "1.2.1", "2.1.1", "2.2.1", "2.2.2"]
    # A cell holding two coded indicators gives two indicators, without values.
    assert [i.weight for i in grs.indicators] == [15.0, None, None, 5.0, None, None]
    assert grs.indicators[2].targets == {100: 5.0, 90: 4.0, 80: 3.0, 70: 2.0, 60: 1.0}


def test_rti_prior_actual_columns_and_dates(samples_dir):
    rti = next(p for p in _plans(samples_dir, FIELD) if p.sheet == "তথ্য অধিকার (জেলা)")
    date_row = next(i for i in rti.indicators if i.unit_kind == "date")
    assert date_row.targets[100] == dt.date(2024, 10, 15)
    assert date_row.targets[80] == dt.date(2024, 11, 30)
    assert date_row.targets[70] is None
    assert [a.weight for a in rti.areas] == [1.0, 2.0]


def test_nis_rows_quarter_targets_and_repeated_header(samples_dir):
    nis = next(p for p in _plans(samples_dir, FIELD) if p.plan_type == "nis")
    assert nis.office_text == "জেলা সমবায় কার্যালয়, নারায়ণগঞ্জ"
    assert [i.code for i in nis.indicators] == ["1.1", "1.2", "1.3", "1.4", "2.1", "3.1"]
    meetings = nis.indicators[0]
    assert meetings.targets[100] == 4.0
    assert meetings.quarter_targets == {1: 1.0, 2: 1.0, 3: 1.0, 4: 1.0}
    assert meetings.responsible == "ফোকাল পয়েন্ট"
    assert nis.indicators[1].quarter_targets == {1: None, 2: 1.0, 3: None, 4: 1.0}
    assert nis.indicators[4].unit_kind == "date"
    assert nis.indicators[4].targets[100] == dt.date(2024, 7, 31)
    assert [(a.code, a.weight) for a in nis.areas] == [("1", 6.0), ("2", None), ("3", None)]


def test_plandiv_progress_report(samples_dir):
    (plan,) = _plans(samples_dir, PLANDIV)
    assert (plan.plan_type, plan.fiscal_year, plan.quarter, plan.layout) == (
        "egov",
        "2023-24",
        2,
        "progress",
    )
    assert plan.office_text == "পরিকল্পনা বিভাগ"
    assert len(plan.indicators) == 7
    assert plan.total_weight == 34.0
    achieved = {(i.code, a.quarter, a.value) for i in plan.indicators for a in i.achievements}
    assert achieved == {("1.4.1", 2, 94.63), ("2.2.1", 2, 1.0)}
    # `১১/০২/২০২২` in a 2023-24 plan: the year is corrected, with a warning.
    review = next(i for i in plan.indicators if i.code == "2.2.2")
    assert review.targets[90] == dt.date(2024, 2, 11)
    assert "date-year-corrected" in {p.code for p in plan.problems}


def test_ictd_matrix_gives_one_plan_per_office(samples_dir):
    plans = _plans(samples_dir, ICTD)
    assert len(plans) == 6
    assert {(p.plan_type, p.fiscal_year, p.quarter, p.layout) for p in plans} == {
        ("citizen_charter", "2023-24", 1, "agency-matrix")
    }
    assert all(len(p.indicators) == 4 for p in plans)
    achievements = sum(len(i.achievements) for p in plans for i in p.indicators)
    assert achievements == 19
    bhtpa = next(p for p in plans if "বিএইচটিপিএ" in p.office_text)
    statuses = [a.status for i in bhtpa.indicators for a in i.achievements]
    assert statuses == ["reported", "in_progress", "in_progress"]


def test_check_matches_offices_and_scores(master, samples_dir):
    checked = check_file(samples_dir / PLANDIV, engine=master)
    (plan,) = checked.plans
    assert plan.office is not None and plan.office.code == "min:plandiv"
    assert plan.score is not None and plan.score["quarter"] == 2
    ictd = check_file(samples_dir / ICTD, engine=master)
    assert {p.office.code for p in ictd.plans} == {
        "min:ictd",
        "ag:doict",
        "ag:bcc",
        "ag:bhtpa",
        "ag:cca",
        "ag:dsa",
    }


def test_check_json_document(master, samples_dir, monkeypatch, capsys):
    monkeypatch.setenv("APA_DATABASE_URL", master.url.render_as_string(hide_password=False))
    from data.db import get_engine

    get_engine.cache_clear()
    try:
        code = loaders_main(["check", "--json", str(samples_dir / PLANDIV)])
    finally:
        get_engine.cache_clear()
    doc = json.loads(capsys.readouterr().out)
    (file,) = doc["files"]
    assert code == (0 if file["ok"] else 1)
    (plan,) = file["plans"]
    assert (plan["plan_type"], plan["fiscal_year"], plan["quarter"]) == ("egov", "2023-24", 2)
    percent = next(i for i in plan["indicators"] if i["code"] == "1.4.1")
    assert percent["unit"] == "percent"
    assert percent["targets"] == {"100": 85.0, "90": 80.0, "80": 75.0, "70": 70.0, "60": 60.0}
    assert percent["achievements"] == {"2": 94.63}
    assert percent["raw_score"] == 100.0 and percent["weighted_score"] == 6.0
    date = next(i for i in plan["indicators"] if i["code"] == "1.2.1")
    assert date["targets"]["100"] == "2024-05-16"
    assert set(file["issues"][0]) == {
        "severity",
        "code",
        "part",
        "sheet",
        "row",
        "column",
        "value",
        "message_bn",
        "message_en",
    }


def _count(engine, model) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model))


def test_all_samples_import_and_reimport_changes_nothing(master, samples_dir):
    office = None
    outcomes = {}
    for name in (FIELD, PLANDIV, ICTD):
        outcomes[name] = import_file(
            master, samples_dir / name, office=office, uploaded_by="test", scope=EVERYTHING
        )
    assert {name: o.status for name, o in outcomes.items()} == dict.fromkeys(outcomes, "added")
    # The upazila version of the RTI plan is not for a district office: left out, with a warning.
    assert outcomes[FIELD].result.plans_added == 5
    assert [
        i.sheet
        for i in outcomes[FIELD].checked.report.issues
        if i.code == "plan-not-for-this-office"
    ] == ["তথ্য অধিকার (উপজেলা)"]
    assert outcomes[ICTD].result.plans_added == 6
    assert _count(master, Indicator) == (33 - 2) + 7 + 6 * 4
    assert _count(master, Progress) == 2 + 19
    before = {
        m.__name__: _count(master, m)
        for m in (Plan, Indicator, ProgressReport, Progress, Submission)
    }
    again = import_file(master, samples_dir / PLANDIV, uploaded_by="test", scope=EVERYTHING)
    assert again.status == "unchanged"
    after = {
        m.__name__: _count(master, m)
        for m in (Plan, Indicator, ProgressReport, Progress, Submission)
    }
    assert after == before


def _frame_of(columns: dict):
    """loaders.pipeline.indicator_columns as the frame score_rows takes (names, not positions)."""
    import pandas as pd

    from core.terms import ACHIEVEMENT_STATUSES, METHODS, UNIT_KINDS

    def names(codes, of):
        return pd.Series([of[c] if c >= 0 else None for c in codes], dtype=object)

    frame = {k: v for k, v in columns.items() if k not in ("unit", "method")}
    frame |= {f"s{q}": names(columns[f"s{q}"], ACHIEVEMENT_STATUSES) for q in range(1, 5)}
    frame["unit_kind"] = names(columns["unit"], UNIT_KINDS)
    frame["method"] = names(columns["method"], METHODS)
    return pd.DataFrame(frame)


def test_a_checks_scores_on_plain_columns_equal_score_rows_on_frames(samples_dir, tmp_path):
    """The dry run scores its drafts' plain columns (scoring.stacked.score_columns, totals by
    plan_score_of); score_rows step by step on frames and plan_score give the same, to the
    last bit, for every plan of every sample, of the real layouts' corpus (reports to date,
    dates, defects, governance rows) and of a generated workbook."""
    import random

    from bench.bench_import import generated_workbook
    from loaders.normalise import fiscal_year_bounds
    from loaders.pipeline import indicator_columns
    from loaders.report import plain
    from scoring import Rules, is_own, plan_score
    from scoring.corrections import score_rows_by_frames

    office = {"id": 1, "name_bn": "জেলা প্রশাসকের কার্যালয়, ঢাকা", "name_en": "Test office"}
    generated = generated_workbook(
        random.Random(3), office, {"code": "apa", "name_bn": "বার্ষিক কর্মসম্পাদন চুক্তি"}
    )
    from tests import real_layouts

    corpus = [make(tmp_path).path for make in real_layouts.CASES]
    sources = [*sorted(samples_dir.glob("*.xlsx")), *corpus, generated]
    scored_plans = 0
    kinds = set()
    for source in sources:
        for plan in check_file(source, file_name="x.xlsx").plans:
            if plan.score is None:
                continue
            draft, quarter = plan.draft, plan.score["quarter"]
            rules = Rules()
            year_end = (
                quarter == 4 and draft.is_to_date_report(4) and rules.year_end_unreported_is_zero
            )
            frame = _frame_of(indicator_columns([draft]))
            start = fiscal_year_bounds(draft.fiscal_year)[0]
            want = score_rows_by_frames(frame, rules, start, quarter, year_end=year_end)
            want["weight"] = frame["weight"]
            own = is_own(frame).to_numpy()
            totals = plan_score(want[own]) if own.any() else {}
            assert plan.score == totals | {"quarter": quarter}, (source, draft.sheet)
            assert plan.indicator_scores == [
                {"raw_score": plain(r), "weighted_score": plain(w), "status": s}
                for r, w, s in zip(
                    want["raw_score"], want["weighted_score"], want["status"], strict=True
                )
            ], (source, draft.sheet)
            scored_plans += 1
            if not own.all():
                kinds.add("governance")
            if frame["todate_q"].notna().any():
                kinds.add("to date")
            if frame["defect"].notna().any():
                kinds.add("defect")
    assert scored_plans >= 20
    assert kinds == {"governance", "to date", "defect"}
