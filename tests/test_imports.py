"""Storing checked plan drafts (data/imports.py): one workbook, all or nothing; unchanged files,
unchanged plans, superseded reports and plan revisions, scope and refusals."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from core.drafts import (
    AchievementDraft,
    ActivityDraft,
    AreaDraft,
    IndicatorDraft,
    PlanDraft,
)
from data.imports import ImportRefused, import_workbook
from data.master import find_office
from data.models import (
    Activity,
    Area,
    AuditEvent,
    Base,
    Indicator,
    IndicatorScore,
    Office,
    Plan,
    PlanScore,
    Progress,
    ProgressReport,
    Submission,
)
from data.scope import EVERYTHING, Scope

FY = "2024-25"
DATE_TARGETS = {
    100: dt.date(2024, 9, 30),
    90: dt.date(2024, 10, 15),
    80: dt.date(2024, 10, 31),
    70: dt.date(2024, 11, 15),
    60: dt.date(2024, 11, 30),
}


@pytest.fixture
def office_id(master) -> int:
    """The Narayanganj district co-operative office."""
    with master.connect() as connection:
        return find_office(connection, "ag:doc:dist:43")


def achievements(quarter: int, values: tuple) -> list[list[AchievementDraft]]:
    """One achievement per indicator (date, number, percent) for `quarter`."""
    kinds = ("date", "number", "percent")
    out = []
    for n, (kind, value) in enumerate(zip(kinds, values, strict=True)):
        raw = value.isoformat() if isinstance(value, dt.date) else str(value)
        out.append([AchievementDraft(quarter, value, kind, raw, row=10 + n, column="L")])
    return out


def egov_plan(
    office_id: int | None,
    *,
    quarter: int | None = 1,
    values: tuple = (dt.date(2024, 9, 20), 8.0, 75.0),
    number_target_100: float = 10.0,
    fiscal_year: str = FY,
    with_targets: bool = True,
    sheet: str = "ই-গভর্ন্যান্স",
) -> PlanDraft:
    """A small e-governance plan: 2 areas, 2 activities, 3 indicators (date, number,
    percent) with five targets each, and (unless `quarter` is None) one quarter's values."""
    number_targets = {100: number_target_100, 90: 9.0, 80: 8.0, 70: 7.0, 60: 6.0}
    percent_targets = {100: 100.0, 90: 90.0, 80: 80.0, 70: 70.0, 60: 60.0}
    ladders = (DATE_TARGETS, number_targets, percent_targets)
    units = (("তারিখ", "date"), ("সংখ্যা", "number"), ("%", "percent"))
    reported = achievements(quarter, values) if quarter is not None else [[], [], []]
    indicators = []
    for n, (ladder, (label, kind), done) in enumerate(zip(ladders, units, reported, strict=True)):
        indicators.append(
            IndicatorDraft(
                name=f"সূচক {n + 1}",
                sheet=sheet,
                row=10 + n,
                code=f"{1 if n < 2 else 2}.1.{n + 1}",
                code_raw=f"[{1 if n < 2 else 2}.1.{n + 1}]",
                area_index=0 if n < 2 else 1,
                activity_index=0 if n < 2 else 1,
                unit_label=label,
                unit_kind=kind,
                weight=(5.0, 3.0, 2.0)[n] if with_targets else None,
                targets=dict(ladder) if with_targets else {},
                targets_raw={k: str(v) for k, v in ladder.items()} if with_targets else {},
                achievements=done,
                remarks="মন্তব্য" if n == 0 else None,
            )
        )
    return PlanDraft(
        file_name="egov.xlsx",
        sheet=sheet,
        layout="standard",
        title="ই-গভর্ন্যান্স ও উদ্ভাবন কর্মপরিকল্পনা ২০২৪-২৫",
        plan_type="egov",
        fiscal_year=fiscal_year,
        quarter=quarter,
        office_id=office_id,
        areas=[
            AreaDraft("দক্ষতার সঙ্গে উদ্ভাবন", row=8, code="1", weight=8.0, weight_raw="৮"),
            AreaDraft("প্রাতিষ্ঠানিক দক্ষতা", row=12, code="2", weight=2.0, weight_raw="২"),
        ],
        activities=[
            ActivityDraft("সেবা সহজিকরণ", row=9, code="1.1", code_raw="[১.১]", area_index=0),
            ActivityDraft("প্রশিক্ষণ", row=13, code="2.1", code_raw="[২.১]", area_index=1),
        ],
        indicators=indicators,
    )


def run(engine, sha: str, plans: list[PlanDraft], **extra):
    return import_workbook(
        engine,
        file_name=f"{sha}.xlsx",
        sha256=sha * 64,
        plans=plans,
        report={"issues": []},
        uploaded_by="tester",
        **{"scope": EVERYTHING, **extra},
    )


def counts(engine) -> dict[str, int]:
    """Rows in every table: what "nothing was written" is checked against."""
    with engine.connect() as connection:
        return {
            table.name: connection.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
        }


def current_reports(connection, plan_id: int) -> dict[int, int]:
    """{quarter: report id} of a plan's current reports."""
    return dict(
        connection.execute(
            select(ProgressReport.quarter, ProgressReport.id).where(
                ProgressReport.plan_id == plan_id, ProgressReport.is_current.is_(True)
            )
        ).all()
    )


def values_of(connection, report_id: int) -> dict[str, tuple]:
    """{indicator code: (number, date)} of one report."""
    rows = connection.execute(
        select(Indicator.code, Progress.value_num, Progress.value_date)
        .join(Indicator, Indicator.id == Progress.indicator_id)
        .where(Progress.report_id == report_id)
    ).all()
    return {code: (num, date) for code, num, date in rows}


def test_first_import_stores_plan_progress_submission_and_scores(master, office_id):
    result = run(master, "a", [egov_plan(office_id)])
    assert result.status == "added"
    assert (result.plans_added, result.plans_superseded, result.plans_unchanged) == (1, 0, 0)
    assert (result.reports_added, result.indicators, result.progress) == (1, 3, 3)
    after = counts(master)
    assert after["submissions"] == 1
    assert after["plans"] == after["progress_reports"] == 1
    assert after["areas"] == after["activities"] == 2
    assert after["indicators"] == after["progress"] == 3
    [detail] = result.details
    assert detail["action"] == "added" and detail["office_id"] == office_id
    assert detail["report_action"] == "added" and detail["quarter"] == 1
    with master.connect() as connection:
        submission = connection.execute(select(Submission)).one()
        assert submission.id == result.submission_id
        assert submission.sha256 == "a" * 64 and submission.office_id == office_id
        assert (submission.plan_count, submission.indicator_count) == (1, 3)
        assert submission.report == {"issues": []}
        plan = connection.execute(select(Plan)).one()
        assert (plan.revision, plan.is_current, plan.plan_type) == (1, True, "egov")
        assert plan.total_weight == 10.0
        date_ind, number_ind, percent_ind = connection.execute(
            select(Indicator).order_by(Indicator.sort_order)
        ).all()
        assert date_ind.target_100_date == dt.date(2024, 9, 30)
        assert date_ind.target_100 is None
        assert date_ind.targets_raw["100"] == "2024-09-30"
        assert number_ind.target_60 == 6.0
        assert percent_ind.unit_kind == "percent" and percent_ind.source_row == 12
        report_id = current_reports(connection, plan.id)[1]
        assert values_of(connection, report_id) == {
            "1.1.1": (None, dt.date(2024, 9, 20)),
            "1.1.2": (8.0, None),
            "2.1.3": (75.0, None),
        }
        scored = connection.scalar(
            select(func.count())
            .select_from(IndicatorScore)
            .where(IndicatorScore.office_id == office_id, IndicatorScore.quarter == 1)
        )
        assert scored == 3
        assert connection.scalar(
            select(func.count())
            .select_from(PlanScore)
            .where(PlanScore.plan_id == plan.id, PlanScore.quarter == 1)
        )
        audit = connection.execute(
            select(AuditEvent).where(AuditEvent.object_type == "submission")
        ).one()
        assert audit.action == "import" and audit.details["sha256"] == "a" * 64


def test_the_same_file_again_changes_nothing(master, office_id):
    first = run(master, "a", [egov_plan(office_id)])
    before = counts(master)
    again = run(master, "a", [egov_plan(office_id, values=(None, 1.0, 1.0))])
    assert again.status == "unchanged"
    assert again.submission_id == first.submission_id
    assert again.plans_added == again.reports_added == 0
    assert counts(master) == before


def test_a_new_quarter_keeps_the_plan_and_the_earlier_quarter(master, office_id):
    run(master, "a", [egov_plan(office_id)])
    result = run(master, "b", [egov_plan(office_id, quarter=2, values=(None, 9.0, 85.0))])
    assert result.status == "added"
    assert (result.plans_added, result.plans_unchanged, result.reports_added) == (0, 1, 1)
    assert result.reports_superseded == 0 and result.details[0]["action"] == "unchanged"
    assert counts(master)["plans"] == 1
    with master.connect() as connection:
        plan_id = connection.scalar(select(Plan.id))
        reports = current_reports(connection, plan_id)
        assert sorted(reports) == [1, 2]
        assert values_of(connection, reports[1])["1.1.2"] == (8.0, None)
        assert values_of(connection, reports[2])["1.1.2"] == (9.0, None)
        assert connection.scalar(
            select(func.count())
            .select_from(PlanScore)
            .where(PlanScore.plan_id == plan_id, PlanScore.quarter == 2)
        )


def test_a_newer_report_for_the_same_quarter_supersedes_the_older(master, office_id):
    run(master, "a", [egov_plan(office_id)])
    result = run(master, "b", [egov_plan(office_id, values=(dt.date(2024, 9, 25), 10.0, 95.0))])
    assert (result.reports_added, result.reports_superseded) == (1, 1)
    assert result.details[0]["report_action"] == "superseded"
    with master.connect() as connection:
        reports = connection.execute(select(ProgressReport).order_by(ProgressReport.id)).all()
        assert len(reports) == 2
        old, new = reports
        assert old.is_current is False and old.superseded_by_id == new.id
        assert new.is_current is True and new.superseded_by_id is None
        assert values_of(connection, old.id)["1.1.2"] == (8.0, None)  # history kept
        assert values_of(connection, new.id)["1.1.2"] == (10.0, None)
        assert connection.scalar(select(func.count()).select_from(Plan)) == 1


def test_a_changed_target_makes_a_new_revision_and_carries_earlier_quarters(master, office_id):
    run(master, "a", [egov_plan(office_id)])
    changed = egov_plan(office_id, quarter=2, values=(None, 11.0, 90.0), number_target_100=12.0)
    result = run(master, "b", [changed])
    assert (result.plans_added, result.plans_superseded) == (0, 1)
    assert result.details[0]["action"] == "superseded"
    with master.connect() as connection:
        old, new = connection.execute(select(Plan).order_by(Plan.revision)).all()
        assert (old.revision, old.is_current, old.superseded_by_id) == (1, False, new.id)
        assert (new.revision, new.is_current) == (2, True)
        assert result.details[0]["plan_id"] == new.id
        new_reports = current_reports(connection, new.id)
        assert sorted(new_reports) == [1, 2]  # Q1 came over from revision 1
        assert values_of(connection, new_reports[1]) == {
            "1.1.1": (None, dt.date(2024, 9, 20)),
            "1.1.2": (8.0, None),
            "2.1.3": (75.0, None),
        }
        new_indicators = set(
            connection.scalars(select(Indicator.id).where(Indicator.plan_id == new.id))
        )
        carried = connection.scalars(
            select(Progress.indicator_id).where(Progress.report_id == new_reports[1])
        ).all()
        assert set(carried) == new_indicators
        # The old revision keeps its indicators and its (no longer current) Q1 report.
        assert current_reports(connection, old.id) == {}
        assert (
            connection.scalar(
                select(func.count()).select_from(Indicator).where(Indicator.plan_id == old.id)
            )
            == 3
        )
        assert connection.scalar(
            select(func.count())
            .select_from(PlanScore)
            .where(PlanScore.plan_id == new.id, PlanScore.quarter == 1)
        )


def test_a_progress_only_draft_attaches_to_the_stored_plan(master, office_id):
    run(master, "a", [egov_plan(office_id)])
    progress_only = egov_plan(office_id, quarter=2, values=(None, 9.0, 80.0), with_targets=False)
    result = run(master, "b", [progress_only])
    assert (result.plans_added, result.plans_superseded, result.plans_unchanged) == (0, 0, 1)
    assert result.reports_added == 1 and result.progress == 3
    with master.connect() as connection:
        [plan] = connection.execute(select(Plan)).all()
        assert plan.revision == 1 and plan.is_current
        reports = current_reports(connection, plan.id)
        assert sorted(reports) == [1, 2]
        assert values_of(connection, reports[2])["2.1.3"] == (80.0, None)


def test_an_office_outside_the_scope_is_refused_and_nothing_is_written(master, office_id):
    run(master, "a", [egov_plan(office_id)])
    before = counts(master)
    with master.connect() as connection:
        ictd = find_office(connection, "min:ictd")
        ictd_path = connection.scalar(select(Office.path).where(Office.id == ictd))
        bcc = find_office(connection, "ag:bcc")
    scope = Scope(path=ictd_path, office_id=ictd)
    # The first draft (an ICT Division agency) is inside; the second (Narayanganj) is not.
    with pytest.raises(ImportRefused) as refused:
        run(master, "b", [egov_plan(bcc), egov_plan(office_id, sheet="দ্বিতীয়")], scope=scope)
    assert refused.value.code == "office-out-of-scope"
    assert "নারায়ণগঞ্জ" in refused.value.message_bn
    assert "Narayanganj" in refused.value.message_en
    assert counts(master) == before
    # Inside the scope the same plan is accepted.
    assert run(master, "c", [egov_plan(bcc)], scope=scope).plans_added == 1


def test_an_import_without_a_scope_is_refused_and_nothing_is_written(master, office_id):
    """Fail closed: a caller that forgets the scope gets a refusal, not every office."""
    before = counts(master)
    with pytest.raises(ImportRefused) as refused:
        import_workbook(
            master,
            file_name="a.xlsx",
            sha256="a" * 64,
            plans=[egov_plan(office_id)],
            report={"issues": []},
            uploaded_by="tester",
        )
    assert refused.value.code == "scope-missing"
    assert refused.value.message_en and refused.value.message_bn
    assert counts(master) == before


def test_an_unknown_fiscal_year_is_refused_and_nothing_is_written(master, office_id):
    before = counts(master)
    with pytest.raises(ImportRefused) as refused:
        run(master, "a", [egov_plan(office_id, fiscal_year="2099-00")])
    assert refused.value.code == "fiscal-year-unknown"
    assert "2099-00" in refused.value.message_en and "2099-00" in refused.value.message_bn
    assert counts(master) == before


def test_a_draft_without_an_office_is_refused(master, office_id):
    before = counts(master)
    with pytest.raises(ImportRefused) as refused:
        run(master, "a", [egov_plan(office_id), egov_plan(None, sheet="অজানা")])
    assert refused.value.code == "office-not-matched"
    assert counts(master) == before


def test_a_bad_second_draft_leaves_the_database_as_it_was(master, office_id):
    run(master, "a", [egov_plan(office_id)])
    before = counts(master)
    with pytest.raises(ImportRefused):
        run(
            master,
            "b",
            [egov_plan(office_id, quarter=2), egov_plan(office_id, fiscal_year="1990-91")],
        )
    assert counts(master) == before


def test_a_failure_after_rows_were_written_rolls_everything_back(master, office_id):
    """The second draft's indicator names an area the draft does not have: the import fails
    after the submission, the first plan and its progress were inserted; none of it stays."""
    run(master, "a", [egov_plan(office_id)])
    before = counts(master)
    with master.connect() as connection:
        other = find_office(connection, "ag:bcc")
    broken = egov_plan(other, sheet="ভাঙা")
    broken.indicators[2].area_index = 7
    with pytest.raises(IndexError):
        run(master, "b", [egov_plan(office_id, quarter=2), broken])
    assert counts(master) == before
    with master.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Submission)) == 1


def test_the_plan_a_revision_superseded_is_found_by_an_index(engine):
    """An import superseding a plan looks up the plan it superseded
    (data.imports._retire_superseded_reports): on SQLite by the index on superseded_by_id
    (migration 0012), not by reading every plan of the country."""
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite's query plan")
    with engine.connect() as connection:
        plan = connection.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT id FROM plans WHERE superseded_by_id = 1"
        ).all()
    assert any("ix_plans_superseded_by" in str(row[-1]) for row in plan), plan
    assert not any(str(row[-1]).startswith("SCAN") for row in plan), plan


def test_rows_inserted_together_get_the_ids_the_database_would_give(master, office_id):
    """data.imports._returning gives each row its own id, in the rows' order, the ids the
    database would give them (SQLite: chosen by the import as SQLite chooses them, one after
    the table's largest, so a deleted largest id is taken again; PostgreSQL: its sequence),
    and the database's own next id comes after them."""
    from sqlalchemy import delete, insert

    from data.imports import _returning

    run(master, "a", [egov_plan(office_id)])
    with master.begin() as connection:
        plan_id = connection.scalar(select(Plan.id))

        def area(n: int) -> dict:
            return {"plan_id": plan_id, "sort_order": n, "name": f"ক্ষেত্র {n}"}

        spare = connection.execute(insert(Area).returning(Area.id), area(9)).scalar_one()
        connection.execute(delete(Area).where(Area.id == spare))  # the largest id, free again
        ids = _returning(connection, Area, [area(10), area(11), area(12)])
        first = spare if connection.dialect.name == "sqlite" else spare + 1
        assert ids == [first, first + 1, first + 2]
        stored = connection.execute(
            select(Area.id, Area.sort_order).where(Area.id.in_(ids)).order_by(Area.id)
        ).all()
        assert [tuple(row) for row in stored] == [(ids[n], 10 + n) for n in range(3)]
        after = connection.execute(insert(Area).returning(Area.id), area(20)).scalar_one()
        assert after == ids[-1] + 1
        connection.rollback()


def test_the_plans_of_one_workbook_are_stored_together_each_with_its_own_rows(master, office_id):
    """A workbook's new plans and their contents go in together (one statement per table):
    each plan keeps its own areas, activities and indicators in draft order, a revision among
    them still supersedes its plan and carries the quarters it does not report."""
    run(master, "a", [egov_plan(office_id)])
    with master.connect() as connection:
        other = find_office(connection, "ag:bcc")
    revision = egov_plan(office_id, quarter=2, values=(None, 11.0, 90.0), number_target_100=12.0)
    new = egov_plan(other, sheet="নতুন")
    result = run(master, "b", [revision, new])
    assert (result.plans_added, result.plans_superseded, result.indicators) == (1, 1, 6)
    assert [d["action"] for d in result.details] == ["superseded", "added"]
    revised_id, new_id = (d["plan_id"] for d in result.details)
    assert new_id == revised_id + 1
    with master.connect() as connection:
        rows = connection.execute(
            select(Indicator.id, Indicator.plan_id, Indicator.sort_order, Indicator.code)
            .where(Indicator.plan_id.in_([revised_id, new_id]))
            .order_by(Indicator.id)
        ).all()
        assert [(r.plan_id, r.sort_order) for r in rows] == [
            (plan, n) for plan in (revised_id, new_id) for n in range(3)
        ]
        # Every indicator's area and activity are its own plan's, in the draft's order.
        links = connection.execute(
            select(Indicator.plan_id, Area.plan_id, Area.sort_order, Activity.plan_id)
            .join(Area, Area.id == Indicator.area_id)
            .join(Activity, Activity.id == Indicator.activity_id)
            .where(Indicator.plan_id.in_([revised_id, new_id]))
            .order_by(Indicator.id)
        ).all()
        assert [tuple(link) for link in links] == [
            (plan, plan, area, plan) for plan in (revised_id, new_id) for area in (0, 0, 1)
        ]
        assert sorted(current_reports(connection, revised_id)) == [1, 2]  # Q1 carried over
        assert sorted(current_reports(connection, new_id)) == [1]


def test_a_plan_given_twice_in_one_call_is_stored_one_after_the_other(master, office_id):
    """Drafts of one plan (office, fiscal year, type) in one call: the second sees the first
    (stored one at a time), so it becomes the next revision instead of a second current plan."""
    changed = egov_plan(office_id, quarter=2, values=(None, 11.0, 90.0), number_target_100=12.0)
    result = run(master, "a", [egov_plan(office_id), changed])
    assert (result.plans_added, result.plans_superseded) == (1, 1)
    assert [d["action"] for d in result.details] == ["added", "superseded"]
    with master.connect() as connection:
        plans = connection.execute(select(Plan.revision, Plan.is_current).order_by(Plan.id)).all()
        assert [tuple(p) for p in plans] == [(1, False), (2, True)]
