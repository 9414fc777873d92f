"""Issue 11, finding 3: imports that run at the same moment, in separate processes, on the
database the suite runs on (`.ci/run` runs it on PostgreSQL too). Before the fix, two
imports of one office's plan at once left six current revisions on PostgreSQL and a
projected composite of 140.8; the same bytes twice at once raised an IntegrityError.

Each process checks its workbook first, then all store at once (a barrier), so the storing
transactions really overlap."""

from __future__ import annotations

import multiprocessing

import pytest
from sqlalchemy import func, select

from data.models import OfficeScore, Plan, ProgressReport, Submission
from tests.test_loader_checks import GOOD_ROWS, write_workbook

PROCESSES = 6


def _store(url: str, path: str, barrier, answers) -> None:
    """In a process of its own: check the workbook, wait for the others, store it."""
    from data import imports
    from data.db import make_engine
    from loaders.pipeline import check_file

    engine = make_engine(url)
    try:
        checked = check_file(path, engine=engine)
        drafts = [plan.draft for plan in checked.plans if plan.ok]
        barrier.wait(timeout=120)
        result = imports.import_workbook(
            engine,
            file_name=checked.report.file_name,
            sha256=checked.sha256,
            plans=drafts,
            report={"issues": []},
            uploaded_by="racer",
        )
        answers.put(("ok", result.status, result.plans_added + result.plans_superseded))
    except Exception as error:  # reported to the test, which fails on it
        answers.put(("error", f"{type(error).__name__}: {error}", 0))
    finally:
        engine.dispose()


def _race(url: str, paths: list[str]) -> list[tuple]:
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(len(paths))
    answers = context.Queue()
    processes = [
        context.Process(target=_store, args=(url, str(path), barrier, answers)) for path in paths
    ]
    for process in processes:
        process.start()
    results = [answers.get(timeout=300) for _ in processes]
    for process in processes:
        process.join(60)
    return results


def _revision(path, target: int):
    """The standard workbook with another 'excellent' target on its third indicator: a new
    revision of the same plan, and a Q1 achievement far above every target."""
    rows = [list(r) for r in GOOD_ROWS]
    rows[2][6] = str(target)
    rows[2][11] = "১০০০"
    return write_workbook(path, rows)


@pytest.fixture
def master(engine):
    from data.master import load_master_data

    with engine.begin() as connection:
        load_master_data(connection)
    return engine


def _url(engine) -> str:
    return engine.url.render_as_string(hide_password=False)


def _state(engine) -> dict:
    with engine.connect() as connection:
        current = connection.execute(
            select(Plan.office_id, Plan.fiscal_year_id, Plan.plan_type, func.count())
            .where(Plan.is_current.is_(True))
            .group_by(Plan.office_id, Plan.fiscal_year_id, Plan.plan_type)
        ).all()
        reports = connection.execute(
            select(ProgressReport.plan_id, ProgressReport.quarter, func.count())
            .where(ProgressReport.is_current.is_(True))
            .group_by(ProgressReport.plan_id, ProgressReport.quarter)
        ).all()
        reports_of_old_plans = connection.scalar(
            select(func.count())
            .select_from(ProgressReport)
            .join(Plan, Plan.id == ProgressReport.plan_id)
            .where(ProgressReport.is_current.is_(True), Plan.is_current.is_(False))
        )
        composites = connection.execute(
            select(OfficeScore.composite, OfficeScore.projected_composite)
        ).all()
        submissions = connection.scalar(select(func.count()).select_from(Submission))
        plans = connection.scalar(select(func.count()).select_from(Plan))
    return {
        "current": current,
        "reports": reports,
        "reports_of_old_plans": reports_of_old_plans,
        "composites": composites,
        "submissions": submissions,
        "plans": plans,
    }


def test_revisions_of_one_plan_at_once_leave_one_current_plan(master, tmp_path, database_kind):
    paths = [_revision(tmp_path / f"revision-{n}.xlsx", 4 + n) for n in range(PROCESSES)]
    results = _race(_url(master), paths)
    print(f"\n{database_kind}: {PROCESSES} revisions at once: {sorted(results)}")
    assert all(state == "ok" for state, _, _ in results), results
    assert [status for _, status, _ in results] == ["added"] * PROCESSES
    state = _state(master)
    print(state)
    assert [count for *_, count in state["current"]] == [1]  # one current plan
    assert all(count == 1 for *_, count in state["reports"])  # one current report a quarter
    assert state["reports_of_old_plans"] == 0
    assert state["plans"] == PROCESSES and state["submissions"] == PROCESSES
    assert state["composites"]
    for composite, projected in state["composites"]:
        assert 0 <= composite <= 100 and 0 <= projected <= 100


def test_the_same_bytes_at_once_are_imported_once(master, tmp_path, database_kind):
    path = _revision(tmp_path / "same.xlsx", 4)
    results = _race(_url(master), [path] * 4)
    print(f"\n{database_kind}: the same bytes 4 times at once: {sorted(results)}")
    assert all(state == "ok" for state, _, _ in results), results
    assert sorted(status for _, status, _ in results) == ["added"] + ["unchanged"] * 3
    state = _state(master)
    assert state["submissions"] == 1 and state["plans"] == 1
