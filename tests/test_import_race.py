"""Issue 11, finding 3: imports that run at the same moment, in separate processes, on the
database the suite runs on (`.ci/run` runs it on PostgreSQL too). Before the fix, two
imports of one office's plan at once left six current revisions on PostgreSQL and a
projected composite of 140.8; the same bytes twice at once raised an IntegrityError.

Each process checks its workbook first, then all store at once (a start signal), so the
storing transactions really overlap."""

from __future__ import annotations

import json
import subprocess
import sys

from sqlalchemy import func, select

from data.db import ROOT
from data.models import OfficeScore, Plan, ProgressReport, Submission
from tests.test_loader_checks import GOOD_ROWS, write_workbook

PROCESSES = 6


STORE = """
import json, sys
from data import imports
from data.db import make_engine
from data.scope import EVERYTHING
from loaders.pipeline import check_file

engine = make_engine(sys.argv[1])
checked = check_file(sys.argv[2], engine=engine)
drafts = [plan.draft for plan in checked.plans if plan.ok]
print("ready", flush=True)
sys.stdin.readline()  # the start signal: every process stores at the same moment
try:
    result = imports.import_workbook(
        engine,
        file_name=checked.report.file_name,
        sha256=checked.sha256,
        plans=drafts,
        report={"issues": []},
        uploaded_by="racer",
        scope=EVERYTHING,
    )
    print(json.dumps(["ok", result.status, result.plans_added + result.plans_superseded]))
except Exception as error:  # reported to the test, which fails on it
    print(json.dumps(["error", f"{type(error).__name__}: {error}", 0]))
"""


def _race(url: str, paths: list) -> list[tuple]:
    """One process per workbook (fresh interpreters): each checks its workbook, then all
    store at once."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", STORE, url, str(path)],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for path in paths
    ]
    for process in processes:
        assert process.stdout.readline().strip() == "ready"
    for process in processes:
        process.stdin.write("go\n")
        process.stdin.flush()
    results = []
    for process in processes:
        out, _ = process.communicate(timeout=300)
        results.append(tuple(json.loads(out.strip().splitlines()[-1])))
    return results


def _revision(path, target: int):
    """The standard workbook with another 'excellent' target on its third indicator: a new
    revision of the same plan, and a Q1 achievement far above every target."""
    rows = [list(r) for r in GOOD_ROWS]
    rows[2][6] = str(target)
    rows[2][11] = "১০০০"
    return write_workbook(path, rows)


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
