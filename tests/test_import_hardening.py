"""Issue 11, findings 3 and 9 without concurrency: a superseded plan takes its current
reports with it; the schema itself allows one current plan and report; duplicates are keyed
by bytes and office, after the scope check; the audit trail keeps every refusal."""

from __future__ import annotations

import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from data import audit
from data.master import find_office
from data.models import Office, Plan, ProgressReport, Submission
from data.scope import EVERYTHING, Scope
from loaders.pipeline import import_file
from tests.test_imports import egov_plan, office_id, run  # noqa: F401 -- fixtures
from tests.test_loader_checks import write_workbook


def _current_reports(connection) -> list[tuple]:
    return connection.execute(
        select(ProgressReport.plan_id, ProgressReport.quarter, Plan.is_current)
        .join(Plan, Plan.id == ProgressReport.plan_id)
        .where(ProgressReport.is_current.is_(True))
        .order_by(ProgressReport.plan_id, ProgressReport.quarter)
    ).all()


def test_a_superseded_plan_takes_its_current_reports_with_it(master, office_id):  # noqa: F811
    """Before: the old revision's Q1 report stayed current beside the new revision's (an
    office showed 43 current Q1 reports for 42 plans)."""
    run(master, "a", [egov_plan(office_id)])
    run(master, "b", [egov_plan(office_id, number_target_100=12.0)])  # same quarter, new plan
    with master.connect() as connection:
        old, new = connection.execute(select(Plan.id).order_by(Plan.revision)).scalars().all()
        assert _current_reports(connection) == [(new, 1, True)]
        old_report = connection.execute(
            select(ProgressReport.is_current, ProgressReport.superseded_by_id).where(
                ProgressReport.plan_id == old
            )
        ).one()
        new_report = connection.scalar(
            select(ProgressReport.id).where(ProgressReport.plan_id == new)
        )
        assert old_report == (False, new_report)


def test_the_schema_allows_one_current_plan_and_one_current_report(master, office_id):  # noqa: F811
    run(master, "a", [egov_plan(office_id)])
    with master.connect() as connection:
        plan = connection.execute(select(Plan)).one()
        report = connection.execute(select(ProgressReport)).one()
    second_plan = {c: getattr(plan, c) for c in ("office_id", "fiscal_year_id", "plan_type")}
    with pytest.raises(IntegrityError), master.begin() as connection:
        connection.execute(insert(Plan).values(**second_plan, revision=2, is_current=True))
    with master.begin() as connection:  # a second, not current, is history: allowed
        connection.execute(insert(Plan).values(**second_plan, revision=0, is_current=False))
    second_report = {
        c: getattr(report, c) for c in ("plan_id", "office_id", "fiscal_year_id", "quarter")
    }
    with pytest.raises(IntegrityError), master.begin() as connection:
        connection.execute(insert(ProgressReport).values(**second_report, is_current=True))


def test_the_same_bytes_for_another_office_are_imported(master, tmp_path):
    """Before: "unchanged", and nothing stored for the second office."""
    path = write_workbook(tmp_path / "no-office.xlsx", office=None)
    first = import_file(master, path, office="ag:doc:dist:43", scope=EVERYTHING)
    assert first.status == "added"
    again = import_file(master, path, office="ag:doc:dist:43", scope=EVERYTHING)
    assert again.status == "unchanged"
    other = import_file(master, path, office="ag:doc:dist:40", scope=EVERYTHING)
    assert other.status == "added", other.refusal
    with master.connect() as connection:
        offices = connection.scalars(select(Plan.office_id).order_by(Plan.office_id)).all()
        assert len(offices) == 2 and len(set(offices)) == 2
        assert connection.scalar(select(func.count()).select_from(Submission)) == 2


def test_scope_is_checked_before_duplicates(master, office_id, tmp_path):  # noqa: F811
    """Before: an uploader outside the office's scope was told "already imported"."""
    path = write_workbook(tmp_path / "narayanganj.xlsx")
    assert import_file(master, path, uploaded_by="cabinet", scope=EVERYTHING).status == "added"
    with master.connect() as connection:
        ictd = find_office(connection, "min:ictd")
        ictd_path = connection.scalar(select(Office.path).where(Office.id == ictd))
    outsider = import_file(
        master, path, uploaded_by="ictd-user", scope=Scope(path=ictd_path, office_id=ictd)
    )
    assert outsider.status == "refused" and "may not import" in outsider.refusal
    refusals = audit.events(master, EVERYTHING, username="ictd-user", action="import-refused")
    assert len(refusals) == 1 and "narayanganj.xlsx" in str(refusals["details"].iloc[0])


def test_a_refused_workbook_is_on_the_audit_trail(master, tmp_path):
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"not a workbook")
    outcome = import_file(master, bad, uploaded_by="someone", scope=EVERYTHING)
    assert outcome.status == "refused"
    (event,) = audit.events(master, EVERYTHING, action="import-refused").itertuples()
    assert event.username == "someone" and "not-a-workbook" in str(event.details)


def test_import_file_without_a_scope_writes_nothing(master, tmp_path):
    """Fail closed: no scope is no permission. The check sees a good plan; the import is
    refused with its own code and leaves only the refusal on the audit trail."""
    path = write_workbook(tmp_path / "narayanganj.xlsx")
    with master.connect() as connection:
        before = connection.scalar(select(func.count()).select_from(Submission))
    outcome = import_file(master, path, uploaded_by="someone")
    assert outcome.status == "refused" and outcome.checked.ok
    assert "scope" in outcome.refusal and "এখতিয়ার" in outcome.refusal_bn
    with master.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Submission)) == before
        assert connection.scalar(select(func.count()).select_from(Plan)) == 0
    (event,) = audit.events(master, EVERYTHING, action="import-refused").itertuples()
    assert "scope-missing" in str(event.details)
