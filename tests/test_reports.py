"""The Cabinet Division's documents (reports/) and the desk queries under them (data/desk.py),
on the demo database and on data the tests write: the league's order, dense positions and ties
against the stored composites, the overdue list against the stored reports, the minutes' rows
against the office's indicators (the .docx opened with python-docx), score at risk in composite
marks, the calendar's due dates. The three commands run as a user runs them."""

from __future__ import annotations

import datetime as dt
import io
import math

import docx
import openpyxl
import pandas as pd
import pytest
from sqlalchemy import and_, insert, select, update

from data import desk, queries
from data.master import find_office
from data.models import (
    FiscalYear,
    Indicator,
    IndicatorScore,
    Office,
    OfficeScore,
    Plan,
    PlanScore,
    ProgressReport,
    RuleSetPlanType,
)
from data.scope import Scope
from reports import league, minutes, overdue
from reports.__main__ import main
from reports.text import Style
from reports.xlsx import Sheet, workbook

EVERYTHING = Scope.everything()
FY, Q = "2024-25", 2
BN = str.maketrans("০১২৩৪৫৬৭৮৯", "0123456789")


def _rank_of(position: str) -> int:
    """৮ম (যৌথভাবে) → 8."""
    return int("".join(ch for ch in position.split()[0].translate(BN) if ch.isdigit()))


def _url(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _rows(path) -> tuple[list, list[tuple]]:
    sheet = openpyxl.load_workbook(path).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    return list(rows[0]), rows[1:]


# ------------------------------------------------------------------ words


@pytest.mark.parametrize(
    ("n", "bn", "en"),
    [
        (1, "১ম", "1st"),
        (2, "২য়", "2nd"),
        (3, "৩য়", "3rd"),
        (4, "৪র্থ", "4th"),
        (5, "৫ম", "5th"),
        (6, "৬ষ্ঠ", "6th"),
        (7, "৭ম", "7th"),
        (8, "৮ম", "8th"),
        (9, "৯ম", "9th"),
        (10, "১০ম", "10th"),
        (11, "১১তম", "11th"),
        (12, "১২তম", "12th"),
        (13, "১৩তম", "13th"),
        (21, "২১তম", "21st"),
        (22, "২২তম", "22nd"),
        (52, "৫২তম", "52nd"),
        (111, "১১১তম", "111th"),
    ],
)
def test_ordinals(n, bn, en):
    assert Style("bn").ordinal(n) == bn
    assert Style("en").ordinal(n) == en


def test_joint_positions_are_written_as_published():
    assert Style("bn").position(8, tied=True) == "৮ম (যৌথভাবে)"
    assert Style("bn").position(9, tied=False) == "৯ম"
    assert Style("en").position(8, tied=True) == "8th (joint)"
    assert Style("bn", bengali_digits=False).position(11, tied=False) == "11তম"


def test_dense_rank_shares_positions_and_skips_none():
    # Equal to two decimals is equal (92.531 and 92.529 are both published as 92.53).
    scores = pd.Series([99.08, 95.0, 95.004, 92.531, 92.529, 92.52, 90.0, 76.32])
    rank, tied = league.dense_rank(scores)
    assert rank.tolist() == [1, 2, 2, 3, 3, 4, 5, 6]
    assert tied.tolist() == [False, True, True, True, True, False, False, False]


def test_the_ninth_follows_a_joint_eighth():
    frame = pd.DataFrame(
        {
            "office_id": range(1, 11),
            "code": [f"min:{n}" for n in range(1, 11)],
            "name_bn": [f"ম{n}" for n in range(1, 11)],
            "name_en": [f"M{n:02d}" for n in range(1, 11)],
            "composite": [99, 98, 97, 96, 95, 94, 93, 92.001, 91.996, 90],
        }
    )
    for column in (
        "projected_composite",
        "composite_prev_q",
        "composite_last_year",
        "projected_composite_prev_q",
        "projected_composite_last_year",
    ):
        frame[column] = float("nan")
    ranked, unscored = league.rank_offices(frame)
    result = league.League(FY, Q, "ministry", "to_date", None, ranked, unscored)
    positions = league.table(result, Style("bn"))["অবস্থান"].tolist()
    assert positions[6:] == ["৭ম", "৮ম (যৌথভাবে)", "৮ম (যৌথভাবে)", "৯ম"]


# ------------------------------------------------------------------ calendar


def test_the_calendar_is_data_with_the_domain_defaults(demo_engine):
    calendar = desk.deadlines(demo_engine, EVERYTHING, FY).set_index("event")["due"]
    assert calendar["q1_report"] == dt.date(2024, 10, 15)
    assert calendar["q2_report"] == dt.date(2025, 1, 15)
    assert calendar["q3_report"] == dt.date(2025, 4, 15)
    assert calendar["annual_report"] == dt.date(2025, 7, 15)
    assert calendar["results"] == dt.date(2025, 8, 30)
    assert calendar["half_yearly_review"] == dt.date(2025, 1, 30)
    assert [desk.report_due_date(demo_engine, FY, q) for q in (1, 2, 3, 4)] == [
        dt.date(2024, 10, 15),
        dt.date(2025, 1, 15),
        dt.date(2025, 4, 15),
        dt.date(2025, 7, 15),
    ]
    assert set(desk.rule_set_deadlines(demo_engine)["event"]) >= {"q1_report", "results"}


# ------------------------------------------------------------------ score at risk in marks


def test_score_at_risk_in_composite_marks(demo_engine):
    """Summed over all of an office's indicators, the composite marks at risk are exactly what
    its projected composite falls short of its plans' marks; a plan's indicator converts by the
    plan type's marks over the plan total (scoring.md section 4)."""
    with demo_engine.connect() as connection:
        office = find_office(connection, "ag:doc:dist:43")
        marks = dict(
            connection.execute(
                select(RuleSetPlanType.plan_type, RuleSetPlanType.marks)
                .join(FiscalYear, FiscalYear.rule_set_id == RuleSetPlanType.rule_set_id)
                .where(FiscalYear.label == FY)
            ).all()
        )
        totals = dict(
            connection.execute(
                select(PlanScore.plan_type, PlanScore.total_weight).where(
                    PlanScore.office_id == office, PlanScore.quarter == Q
                )
            ).all()
        )
        projected = connection.scalar(
            select(OfficeScore.projected_composite).where(
                OfficeScore.office_id == office, OfficeScore.quarter == Q
            )
        )
    rows = desk.office_composite_at_risk(demo_engine, EVERYTHING, office, FY, Q)
    assert len(rows) > 20
    for row in rows.itertuples():
        expected = row.score_at_risk * marks[row.plan_type] / totals[row.plan_type]
        assert row.composite_at_risk == pytest.approx(expected)
    assert rows["composite_at_risk"].sum() == pytest.approx(sum(marks.values()) - projected)
    # The example of scoring.md: a citizen's-charter indicator of weight 10 in a plan of 25
    # worth 3 marks puts at most 1.2 composite marks at risk.
    assert 10 * marks["citizen_charter"] / 25 == pytest.approx(1.2)


def test_lagging_lists_sort_by_composite_marks(demo_engine):
    rows = queries.lagging(demo_engine, EVERYTHING, FY, Q, limit=None)
    marks = rows["composite_at_risk"].tolist()
    assert marks == sorted(marks, reverse=True)
    # In plan units a citizen's-charter indicator can outweigh an APA one; in marks it cannot.
    cc = rows[rows["plan_type"] == "citizen_charter"]
    assert (cc["composite_at_risk"] <= cc["score_at_risk"] + 1e-9).all()
    assert (cc["composite_at_risk"] < cc["score_at_risk"]).any()
    assert rows.iloc[0]["plan_type"] == "apa"


def test_the_lagging_page_reads_only_the_rows_it_shows(demo_engine):
    rows = queries.lagging(demo_engine, EVERYTHING, FY, Q, limit=None)
    assert len(rows) > 20
    shown, total = queries.lagging_shown(demo_engine, EVERYTHING, FY, Q, limit=20)
    assert total == len(rows)
    pd.testing.assert_frame_equal(shown, rows.head(20))
    # One indicator picked in the view by indicator: the same rows as filtering them all.
    code, name = rows.iloc[3][["code", "name"]]
    mine = rows[(rows["code"] == code) & (rows["name"] == name)].reset_index(drop=True)
    shown, total = queries.lagging_shown(
        demo_engine, EVERYTHING, FY, Q, limit=500, code=code, name=name
    )
    assert total == len(mine) > 0
    pd.testing.assert_frame_equal(shown, mine)
    nothing, total = queries.lagging_shown(demo_engine, EVERYTHING, FY, Q, code="no-such-code")
    assert total == 0
    assert nothing.empty
    assert list(nothing.columns) == list(rows.columns)


def test_lagging_views_add_up(demo_engine):
    rows = queries.lagging(demo_engine, EVERYTHING, FY, Q, limit=None)
    total = rows["composite_at_risk"].sum()
    by_ministry = desk.lagging_by_ministry(demo_engine, EVERYTHING, FY, Q)
    by_indicator = desk.lagging_by_indicator(demo_engine, EVERYTHING, FY, Q)
    by_office = desk.lagging_by_office(demo_engine, EVERYTHING, FY, Q)
    for frame in (by_ministry, by_indicator, by_office):
        assert frame["composite_at_risk"].sum() == pytest.approx(total)
        assert frame["composite_at_risk"].tolist() == sorted(
            frame["composite_at_risk"], reverse=True
        )
    assert by_office["indicators"].sum() == len(rows)
    assert (by_indicator["offices"] <= by_indicator["having"]).all()
    top = by_office.iloc[0]
    assert top["composite_at_risk"] == pytest.approx(
        rows.loc[rows["office_id"] == top["office_id"], "composite_at_risk"].sum()
    )
    # The filters of the lagging page narrow every view the same way.
    ministry = int(by_ministry.iloc[0]["ministry_id"])
    narrowed = desk.lagging_by_office(demo_engine, EVERYTHING, FY, Q, ministry_id=ministry)
    assert narrowed["composite_at_risk"].sum() == pytest.approx(
        by_ministry.iloc[0]["composite_at_risk"]
    )


def test_desk_queries_respect_the_scope(demo_engine):
    with demo_engine.connect() as connection:
        ictd = find_office(connection, "min:ictd")
        path = connection.scalar(select(Office.path).where(Office.id == ictd))
    scope = Scope(path=path, office_id=ictd)
    inside = set(queries.offices(demo_engine, scope)["id"])
    assert desk.lagging_by_ministry(demo_engine, scope, FY, Q)["ministry_id"].tolist() == [ictd]
    assert set(desk.lagging_by_office(demo_engine, scope, FY, Q)["office_id"]) <= inside
    assert set(desk.reporting_status(demo_engine, scope, FY, Q)["office_id"]) <= inside
    assert set(desk.league_scores(demo_engine, scope, FY, Q, "agency")["office_id"]) <= inside
    assert desk.office_by_code(demo_engine, scope, "min:commerce") is None
    assert desk.district_scores(demo_engine, scope, FY, Q).empty  # no field offices under it


def test_marks_at_risk_per_ministry_and_plan_add_up_the_lagging_rows(demo_engine):
    """The overview's marks at risk, summed per plan before they are turned into composite
    marks, are the lagging rows' own marks summed per ministry and plan type, in scope too;
    the ministries' chart reads the same sums (`ministries_behind`)."""
    with demo_engine.connect() as connection:
        ictd = find_office(connection, "min:ictd")
        path = connection.scalar(select(Office.path).where(Office.id == ictd))
    for scope in (EVERYTHING, Scope(path=path, office_id=ictd)):
        rows = queries.lagging(demo_engine, scope, FY, Q, limit=None)
        ministries = queries.offices(demo_engine, EVERYTHING, "ministry")
        ministry_of = dict(zip(ministries["name_en"], ministries["id"], strict=True))
        rows["ministry_id"] = rows["ministry_en"].map(ministry_of)
        expected = rows.groupby(["ministry_id", "plan_type"])["composite_at_risk"].sum()
        found = desk.at_risk_by_ministry_and_plan(demo_engine, scope, FY, Q)
        assert not found.empty
        assert found[["ministry_id", "plan_type"]].values.tolist() == sorted(
            found[["ministry_id", "plan_type"]].values.tolist()
        )
        got = found.set_index(["ministry_id", "plan_type"])["composite_at_risk"]
        assert sorted(got.index) == sorted(expected.index)
        for key, value in expected.items():
            assert got[key] == pytest.approx(value, rel=1e-9)
        behind = desk.behind_by_ministry(demo_engine, scope, FY, Q)
        by_ministry = desk.lagging_by_ministry(demo_engine, scope, FY, Q)
        risk = by_ministry.set_index("ministry_id")["composite_at_risk"]
        for ministry_id, value in zip(
            behind["ministry_id"], behind["composite_at_risk"], strict=True
        ):
            assert value == pytest.approx(risk.get(ministry_id, 0.0), rel=1e-9)
        assert behind["projected"].tolist() == sorted(behind["projected"])
    scoped = desk.at_risk_by_ministry_and_plan(demo_engine, scope, FY, Q)
    assert set(scoped["ministry_id"]) <= {ictd}


# ------------------------------------------------------------------ league


def test_league_command_matches_the_stored_composites(demo_engine, tmp_path, capsys):
    output = tmp_path / "league.xlsx"
    assert main(["league", "--fiscal-year", FY, "--quarter", str(Q), "--output", str(output),
                 "--database-url", _url(demo_engine)]) == 0  # fmt: skip
    assert "offices ranked" in capsys.readouterr().out
    header, rows = _rows(output)
    assert header[:4] == ["ক্রম", "মন্ত্রণালয়/বিভাগ", "প্রাপ্ত নম্বর", "অবস্থান"]
    code = header.index("কোড")
    with demo_engine.connect() as connection:
        stored = dict(
            connection.execute(
                select(Office.code, OfficeScore.composite)
                .join(OfficeScore, OfficeScore.office_id == Office.id)
                .join(FiscalYear, FiscalYear.id == OfficeScore.fiscal_year_id)
                .where(Office.level == "ministry", FiscalYear.label == FY, OfficeScore.quarter == Q)
            ).all()
        )
    assert {row[code] for row in rows} == set(stored)
    scores = [row[2] for row in rows]
    for row in rows:
        assert row[2] == pytest.approx(round(stored[row[code]], 2))
    assert scores == sorted(scores, reverse=True)
    assert [int(row[0].translate(BN)) for row in rows] == list(range(1, len(rows) + 1))
    # Positions are dense: 1st, then each new score the next number, ties sharing it.
    previous_score, previous_rank = None, 0
    for row in rows:
        rank = _rank_of(row[3])
        expected = previous_rank if row[2] == previous_score else previous_rank + 1
        assert rank == expected
        assert row[3].endswith("(যৌথভাবে)") == (scores.count(row[2]) > 1)
        previous_score, previous_rank = row[2], rank
    summary = openpyxl.load_workbook(output).worksheets[1]
    values = {r[0]: r[1] for r in summary.iter_rows(min_row=2, values_only=True)}
    assert values["গড় নম্বর"] == pytest.approx(round(sum(stored.values()) / len(stored), 2))
    assert values["৮০ বা তার বেশি"] == sum(v >= 80 for v in stored.values())


def test_league_at_another_level_under_an_office(demo_engine):
    result = league.league(demo_engine, EVERYTHING, FY, Q, "agency", "min:ictd", "projected")
    ictd = desk.office_by_code(demo_engine, EVERYTHING, "min:ictd")
    agencies = queries.offices(demo_engine, EVERYTHING, level="agency", parent_id=ictd["id"])
    assert set(result.ranked["office_id"]) == set(agencies["id"])
    assert result.ranked["score"].is_monotonic_decreasing
    english = league.table(result, Style("en"))
    assert list(english.columns[:4]) == ["No.", "Agency", "Score", "Position"]
    assert english["Position"].iloc[0] == "1st"
    with pytest.raises(LookupError):
        league.league(demo_engine, EVERYTHING, FY, Q, "agency", "min:nowhere")


def test_league_ties_and_change_since_last_year_on_written_data(engine):
    """A previous year's stored composites (the default demo holds one year) and three equal
    scores, written by the test."""
    from demo import build_demo

    build_demo(engine)
    with engine.begin() as connection:
        this_year = connection.scalar(select(FiscalYear.id).where(FiscalYear.label == FY))
        last_year = connection.scalar(select(FiscalYear.id).where(FiscalYear.label == "2023-24"))
        ministries = connection.execute(
            select(Office.id, Office.code)
            .join(OfficeScore, OfficeScore.office_id == Office.id)
            .where(Office.level == "ministry", OfficeScore.quarter == Q)
            .order_by(OfficeScore.composite.desc())
        ).all()
        tied = [m.id for m in ministries[5:8]]
        connection.execute(
            update(OfficeScore)
            .where(OfficeScore.office_id.in_(tied), OfficeScore.quarter == Q)
            .values(composite=44.444)
        )
        connection.execute(
            insert(OfficeScore),
            [
                {
                    "office_id": m.id,
                    "fiscal_year_id": last_year,
                    "quarter": Q,
                    "composite": 40.0,
                    "projected_composite": 80.0,
                }
                for m in ministries[:10]
            ],
        )
        assert this_year != last_year
    result = league.league(engine, EVERYTHING, FY, Q)
    table = league.table(result, Style("bn")).set_index("কোড")
    codes = {m.id: m.code for m in ministries}
    positions = [table.loc[codes[i], "অবস্থান"] for i in tied]
    assert len(set(positions)) == 1 and positions[0].endswith("(যৌথভাবে)")
    tied_rank = _rank_of(positions[0])
    following = table[table["প্রাপ্ত নম্বর"] < 44.44]["অবস্থান"].iloc[0]
    assert following.split()[0] == Style("bn").ordinal(tied_rank + 1)  # not skipped
    change = table["গত বছরের একই ত্রৈমাসিক থেকে পরিবর্তন"]
    for m in ministries[:10]:
        assert change[m.code] == pytest.approx(round(table.loc[m.code, "প্রাপ্ত নম্বর"] - 40.0, 2))
    assert change.drop([m.code for m in ministries[:10]]).isna().all()


# ------------------------------------------------------------------ overdue


def test_overdue_command_matches_the_stored_reports(demo_engine, tmp_path):
    output = tmp_path / "overdue.xlsx"
    assert main(["overdue", "--fiscal-year", FY, "--quarter", str(Q), "--as-of", "2025-01-25",
                 "--output", str(output), "--database-url", _url(demo_engine)]) == 0  # fmt: skip
    header, rows = _rows(output)
    with demo_engine.connect() as connection:
        fy = connection.scalar(select(FiscalYear.id).where(FiscalYear.label == FY))
        plans = connection.execute(
            select(Office.code, Plan.plan_type, ProgressReport.id)
            .join(Office, Office.id == Plan.office_id)
            .outerjoin(
                ProgressReport,
                and_(
                    ProgressReport.plan_id == Plan.id,
                    ProgressReport.quarter == Q,
                    ProgressReport.is_current.is_(True),
                ),
            )
            .where(Plan.is_current.is_(True), Plan.fiscal_year_id == fy)
        ).all()
    missing: dict[str, set[str]] = {}
    for code, plan_type, report in plans:
        if report is None:
            missing.setdefault(code, set()).add(plan_type)
    assert missing, "the demo has offices that did not report"
    column = {name: header.index(name) for name in header}
    listed = {row[column["কোড"]]: row for row in rows}
    assert set(listed) == set(missing)
    short = {Style("bn").plan_short(p): p for p in missing[next(iter(missing))] | {"apa", "rti"}}
    for code, row in listed.items():
        plans_named = {
            short.get(name, name) for name in row[column["যে পরিকল্পনার প্রতিবেদন নেই"]].split(", ")
        }
        assert plans_named == missing[code]
        assert row[column["বিলম্ব (দিন)"]] == 10  # 25 January, due 15 January
        assert row[column["নির্ধারিত তারিখ"]].date() == dt.date(2025, 1, 15)
    # The focal point where known: the demo's office account sits at one office.
    result = overdue.overdue(demo_engine, EVERYTHING, FY, 1, dt.date(2024, 10, 20))
    assert result.days_overdue == 5


def test_overdue_before_the_due_date_counts_no_days(demo_engine):
    result = overdue.overdue(demo_engine, EVERYTHING, FY, Q, dt.date(2025, 1, 2))
    assert (result.offices["days_overdue"] == 0).all()
    assert result.by_ministry["missing"].sum() == len(result.offices)


def test_focal_points_are_the_users_of_the_office(demo_engine):
    with demo_engine.connect() as connection:
        office = find_office(connection, "ag:doc:dist:43")
    found = desk.focal_points(demo_engine, EVERYTHING, [office])
    assert "নারায়ণগঞ্জ" in found[office]


# ------------------------------------------------------------------ minutes


def _indicators(engine, code: str) -> pd.DataFrame:
    with engine.connect() as connection:
        office = find_office(connection, code)
        rows = connection.execute(
            select(Plan.plan_type, Indicator.code, Indicator.responsible, IndicatorScore.status)
            .join(Plan, Plan.id == Indicator.plan_id)
            .join(FiscalYear, FiscalYear.id == Plan.fiscal_year_id)
            .outerjoin(
                IndicatorScore,
                and_(IndicatorScore.indicator_id == Indicator.id, IndicatorScore.quarter == Q),
            )
            .where(Plan.office_id == office, Plan.is_current.is_(True), FiscalYear.label == FY)
            .order_by(Plan.id, Indicator.sort_order)
        ).all()
    return pd.DataFrame(rows, columns=["plan_type", "code", "responsible", "status"])


def test_minutes_command_writes_a_row_per_indicator(demo_engine, tmp_path):
    output = tmp_path / "minutes.docx"
    assert main(["minutes", "--office", "ag:doc:dist:43", "--fiscal-year", FY, "--quarter",
                 str(Q), "--output", str(output), "--database-url", _url(demo_engine)]) == 0  # fmt: skip
    document = docx.Document(str(output))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "গণপ্রজাতন্ত্রী বাংলাদেশ সরকার" in text
    assert "২০২৪-২৫ অর্থবছরের বার্ষিক কর্মসম্পাদন চুক্তি (এপিএ) টিমের সভার কার্যবিবরণী" in text
    facts = {row.cells[0].text: row.cells[1].text for row in document.tables[0].rows}
    assert set(facts) == {"সভাপতি :", "সভার তারিখ :", "সভার সময় :", "সভার স্থান :", "সভার উপস্থিতি :"}
    expected = _indicators(demo_engine, "ag:doc:dist:43")
    tables = document.tables[1:]
    plan_types = [
        p
        for p in ("apa", "nis", "egov", "grs", "citizen_charter", "rti")
        if p in set(expected["plan_type"])
    ]
    assert len(tables) == len(plan_types)
    for table, plan_type in zip(tables, plan_types, strict=True):
        header = [c.text for c in table.rows[0].cells]
        assert header == ["ক্রম", "কার্যক্রম", "আলোচনা ও সিদ্ধান্ত", "বাস্তবায়নকারী"]
        mine = expected[expected["plan_type"] == plan_type]
        body = table.rows[1:]
        assert len(body) == len(mine)
        for n, (row, indicator) in enumerate(zip(body, mine.itertuples(), strict=True), start=1):
            cells = [c.text for c in row.cells]
            assert cells[0].translate(BN) == f"{n:02d}"
            assert f"[{indicator.code}]" in cells[1].translate(BN)
            assert cells[3] == (indicator.responsible or "")
            assert cells[2].startswith("এ কার্যক্রমের লক্ষ্যমাত্রা")
            lagging = indicator.status in ("lagging", "missed", "not_reported")
            assert ("সিদ্ধান্ত (প্রস্তাবিত)" in cells[2]) == lagging
            assert not set(cells[2]) & set("0123456789"), cells[2]


def test_minutes_in_english_and_the_ministry_form(demo_engine):
    result = minutes.minutes(demo_engine, EVERYTHING, "min:ictd", FY, Q, with_agencies=True)
    assert len(result.others) >= 3
    document = docx.Document(io.BytesIO(minutes.to_docx(result, Style("en"))))
    header = [c.text for c in document.tables[1].rows[0].cells]
    assert header[:4] == ["No.", "Activity", "Performance indicator", "Target"]
    assert len(header) == 4 + 1 + len(result.others)
    assert all(h.endswith(": progress") for h in header[4:])
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Minutes of the meeting" in text and not set(text) & set("০১২৩৪৫৬৭৮৯")
    decisions = document.tables[-1]
    assert [c.text for c in decisions.rows[0].cells] == ["No.", "Decision", "Responsible"]


def test_discussion_sentences_follow_the_seed():
    row = {
        "unit_kind": "number",
        "unit_label": "সংখ্যা",
        "target_100": 3.0,
        "q1_status": "reported",
        "q1_num": 1.0,
        "q2_status": "reported",
        "q2_num": 1.0,
        "achieved": 2.0,
        "expected": 1.5,
        "status": "on_track",
        "method": "sum",
    }
    text, decision = minutes.discussion(row, 2, Style("bn"))
    assert text.startswith(
        "এ কার্যক্রমের লক্ষ্যমাত্রা ০৩ টি। ১ম ত্রৈমাসিকে অর্জিত হয়েছে ০১ টি। "
        "২য় ত্রৈমাসিকে অর্জিত হয়েছে ০১ টি। এ পর্যন্ত মোট অর্জন ০২ টি।"
    )
    assert decision is None
    late = {**row, "status": "lagging", "q2_num": 0.0, "achieved": 1.0, "projected_score": 50.0}
    text, decision = minutes.discussion(late, 2, Style("bn"))
    assert "২য় ত্রৈমাসিকে অর্জন হয়নি।" in text and "৫০.০০" in text
    assert decision.startswith("সিদ্ধান্ত (প্রস্তাবিত)")
    dated = {
        "unit_kind": "date",
        "target_100_date": dt.date(2024, 10, 25),
        "q1_status": "reported",
        "q1_date": dt.date(2024, 9, 4),
        "achieved": float(dt.date(2024, 9, 4).toordinal()),
        "status": "on_track",
    }
    text, _ = minutes.discussion(dated, 1, Style("bn"))
    assert text.startswith("এ কার্যক্রমের লক্ষ্যমাত্রা ২৫.১০.২০২৪ তারিখ। ০৪.০৯.২০২৪ তারিখে")


# ------------------------------------------------------------------ command line, files


def test_commands_refuse_what_they_cannot_find(demo_engine, tmp_path, capsys):
    url = _url(demo_engine)
    out = str(tmp_path / "x.docx")
    assert main(["minutes", "--office", "min:nowhere", "--fiscal-year", FY, "--quarter", "2",
                 "--output", out, "--database-url", url]) == 2  # fmt: skip
    assert "min:nowhere" in capsys.readouterr().err
    assert main(["league", "--fiscal-year", "1999-00", "--quarter", "2", "--output", out,
                 "--database-url", url]) == 2  # fmt: skip
    assert "1999-00" in capsys.readouterr().err
    assert not (tmp_path / "x.docx").exists()


def test_workbooks_never_hold_formulas_and_numbers_stay_numbers(tmp_path):
    frame = pd.DataFrame(
        {"name": ['=HYPERLINK("x")', "@cmd", "ঢাকা"], "score": [92.5, 1.0, math.nan]}
    )
    data = workbook([Sheet("t", frame, "title", decimals={"score": 2})], bengali_digits=True)
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert sheet["A2"].value == '\'=HYPERLINK("x")' and sheet["A2"].data_type == "s"
    assert sheet["A3"].value == "'@cmd"
    assert sheet["B2"].value == 92.5 and sheet["B2"].number_format == "[$-5000445]0.00"
    assert sheet["B4"].value is None
