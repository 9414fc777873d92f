"""A defect stops only what it touches (scoring.md section 5): for each kind of defect, a
workbook the test writes with that one defect has the indicator flagged at its cell, counted
0 and shown as "needs correction", while the rest of the plan is stored and scored; strict mode
refuses the plan as before; a plan is refused only when it cannot be placed."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from core.terms import TARGET_LEVELS
from data import queries
from data.db import ROOT
from data.models import (
    AuditEvent,
    Base,
    Indicator,
    IndicatorScore,
    Office,
    Plan,
    PlanScore,
    Progress,
)
from data.scope import EVERYTHING, Scope
from loaders.pipeline import check_file, import_file
from loaders.report import to_json
from tests.apa_forms import apa_2020, column, own_areas
from tests.conftest import signed_in

Q1 = [[dt.date(2023, 12, 28)], ["০৩"], [(0.95, "0%")], ["৯৮%"], [10]]
CODES = ["1.1.1", "1.2.1", "1.3.1", "2.1.1", "2.2.1"]
WEIGHTS = {"1.1.1": 4, "1.2.1": 4, "1.3.1": 4, "2.1.1": 3, "2.2.1": 5}
LEAKED = "$-5000445]0.2f%"


def _indicator(areas, code):
    return next(i for a in areas for i in a.indicators if i.indicator.startswith(f"[{_bn(code)}]"))


def _bn(code: str) -> str:
    return code.translate(str.maketrans("0123456789", "০১২৩৪৫৬৭৮৯"))


def _target(level: int):
    return lambda ind, value: ind.targets.__setitem__(TARGET_LEVELS.index(level), value)


def _weight(ind, value):
    ind.weight = value


def _achievement(ind, value):
    ind.achievements = [value]


# name, indicator, how the cell is spoiled, the value, the issue code, the column ("target",
# "weight" or "achieved" with an offset), whose entry it is.
DEFECTS = [
    ("target-text", "1.2.1", _target(90), "নয়", "unparseable-number", ("target", 1), "plan"),
    ("weight-text", "2.2.1", _weight, "পাঁচ", "unparseable-number", ("weight", 0), "plan"),
    ("target-leaked-format", "1.3.1", _target(100), LEAKED, "leaked-number-format", ("target", 0), "plan"),
    ("date-cut-short", "1.1.1", _target(70), "৩০-০৫-২০২", "unparseable-date", ("target", 3), "plan"),
    ("ladder", "2.2.1", _target(80), 38, "ladder-not-monotonic", ("target", 0), "plan"),
    ("achievement-leaked-format", "2.1.1", _achievement, LEAKED, "leaked-number-format", ("achieved", 0), "report"),
    ("achievement-text", "1.2.1", _achievement, "ভালো", "unreadable-value", ("achieved", 0), "report"),
    ("achievement-percent-text", "1.3.1", _achievement, "নব্বই শতাংশ", "unreadable-value", ("achieved", 0), "report"),
]  # fmt: skip


def _workbook(tmp_path, name, code, spoil, value):
    areas = own_areas(copy.deepcopy(Q1))
    spoil(_indicator(areas, code), value)
    return apa_2020(
        tmp_path / f"{name}.xlsx",
        areas,
        title="বার্ষিক কর্মসম্পাদন চুক্তি ২০২৩-২৪: ১ম ত্রৈমাসিক প্রতিবেদন",
        achievement_headers=["অর্জন"],
    )


def counts(engine) -> dict[str, int]:
    """Rows in every table but the audit trail, which keeps each refusal (issue 11)."""
    with engine.connect() as connection:
        return {
            table.name: connection.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
            if table.name != "audit_events"
        }


def refusals(engine) -> int:
    with engine.connect() as connection:
        return connection.scalar(
            select(func.count())
            .select_from(AuditEvent)
            .where(AuditEvent.action == "import-refused")
        )


@pytest.mark.parametrize(
    ("name", "code", "spoil", "value", "issue", "where", "part"),
    DEFECTS,
    ids=[d[0] for d in DEFECTS],
)
def test_a_defect_flags_its_indicator_and_the_rest_is_stored_and_scored(
    master, tmp_path, name, code, spoil, value, issue, where, part
):
    path, rows, cols = _workbook(tmp_path, name, code, spoil, value)
    row = rows[_indicator(own_areas(), code).indicator]
    letter = column(cols[where[0]] + where[1])

    # The check: one located error at the cell, the plan importable, the indicator not scored.
    checked = check_file(path, engine=master)
    errors = [i for i in checked.report.issues if i.severity == "error"]
    assert [(i.code, i.row, i.column, i.part) for i in errors] == [(issue, row, letter, part)]
    (plan,) = checked.plans
    assert plan.importable and not plan.ok
    (doc,) = to_json(checked)["plans"]
    by_code = {i["code"]: i for i in doc["indicators"]}
    flagged = by_code[code]
    assert flagged["scorable"] is False and flagged["raw_score"] is None
    assert flagged["status"] == "needs_correction"
    assert flagged["needs_correction"] in (issue, "unreadable-achievement")
    others = [by_code[c] for c in CODES if c != code]
    assert all(i["scorable"] and i["raw_score"] is not None for i in others)
    assert doc["score"] == pytest.approx(sum(i["weighted_score"] for i in others))
    assert doc["needs_correction"] == 1

    # The import: the whole plan stored, the indicator marked, counted 0, the rest scored.
    outcome = import_file(master, path, uploaded_by="test", scope=EVERYTHING)
    assert outcome.status == "added" and outcome.result.plans_added == 1
    with master.connect() as connection:
        stored = {
            r.code: r
            for r in connection.execute(
                select(
                    Indicator.code,
                    Indicator.defect,
                    Indicator.weight,
                    IndicatorScore.status,
                    IndicatorScore.raw_score,
                    IndicatorScore.weighted_score,
                    IndicatorScore.rule,
                )
                .join(IndicatorScore, IndicatorScore.indicator_id == Indicator.id)
                .where(IndicatorScore.quarter == 1)
            )
        }
        progress = connection.execute(
            select(Indicator.code, Progress.status, Progress.value_raw).join(
                Indicator, Indicator.id == Progress.indicator_id
            )
        ).all()
        total = connection.execute(select(PlanScore.score, PlanScore.total_weight)).one()
    assert sorted(stored) == CODES
    assert stored[code].status == "needs_correction" and stored[code].raw_score is None
    if part == "plan":
        assert stored[code].defect == issue
    else:
        assert (code, "unreadable", str(value)) in {tuple(p) for p in progress}
    assert all(stored[c].status != "needs_correction" for c in CODES if c != code)
    assert all(stored[c].raw_score is not None for c in CODES if c != code)
    expected_total = sum(w for c, w in WEIGHTS.items() if c != code or name != "weight-text")
    assert total.total_weight == expected_total  # its weight stays in the total: it counts 0
    assert total.score == pytest.approx(doc["score"])

    # Shown as such where lagging indicators are listed (the lagging page and its download).
    rows_found = queries.lagging(master, Scope(), "2023-24", 1, limit=None)
    flagged_rows = rows_found[rows_found.code == code]
    assert flagged_rows.status.tolist() == ["needs_correction"]


def test_strict_mode_refuses_a_plan_with_any_error(master, tmp_path):
    name, code, spoil, value, issue, _where, _part = DEFECTS[0]
    path, _rows, _cols = _workbook(tmp_path, name, code, spoil, value)
    checked = check_file(path, engine=master, strict=True)
    (plan,) = checked.plans
    assert not plan.importable and [i.code for i in plan.refusals] == [issue]
    assert to_json(checked)["plans"][0]["refused_because"] == [issue]
    before = counts(master)
    outcome = import_file(master, path, uploaded_by="test", strict=True, scope=EVERYTHING)
    assert outcome.status == "refused"
    assert "নয়" in outcome.refusal and "নয়" in outcome.refusal_bn
    assert counts(master) == before
    assert refusals(master) == 1
    # Without strict mode the same workbook goes in, its indicator flagged.
    assert import_file(master, path, uploaded_by="test", scope=EVERYTHING).status == "added"


def test_a_plan_is_refused_only_when_it_cannot_be_placed(master, tmp_path):
    """An office nobody knows: refused at import, but the dry run still scores it all."""
    path, _rows, _cols = apa_2020(
        tmp_path / "unknown.xlsx",
        own_areas(copy.deepcopy(Q1)),
        office="অজানা কোনো অধিদপ্তর, কোথাও",
        title="বার্ষিক কর্মসম্পাদন চুক্তি ২০২৩-২৪: ১ম ত্রৈমাসিক প্রতিবেদন",
        achievement_headers=["অর্জন"],
    )
    checked = check_file(path, engine=master)
    (plan,) = checked.plans
    assert plan.office is None and not plan.importable
    assert [i.code for i in plan.refusals] == ["office-not-matched"]
    (doc,) = to_json(checked)["plans"]
    assert doc["score"] is not None
    assert all(i["raw_score"] is not None for i in doc["indicators"])
    # Without a database at all, the same scores (the fiscal year's default rules).
    (offline,) = to_json(check_file(path))["plans"]
    assert offline["score"] == pytest.approx(doc["score"])
    before = counts(master)
    outcome = import_file(master, path, uploaded_by="test", scope=EVERYTHING)
    assert outcome.status == "refused" and "অজানা" in outcome.refusal
    assert counts(master) == before
    assert refusals(master) == 1


def test_the_check_predicts_the_scope_refusal(master, tmp_path):
    path, _rows, _cols = apa_2020(tmp_path / "commerce.xlsx", own_areas(copy.deepcopy(Q1)))
    with master.connect() as connection:
        ictd = connection.execute(
            select(Office.id, Office.path).where(Office.code == "min:ictd")
        ).one()
    scope = Scope(path=ictd.path, office_id=ictd.id)
    checked = check_file(path, engine=master, scope=scope)
    (plan,) = checked.plans
    assert [i.code for i in plan.refusals] == ["office-out-of-scope"]
    assert "তথ্য ও যোগাযোগ প্রযুক্তি বিভাগ" in plan.refusals[0].message_bn
    before = counts(master)
    outcome = import_file(master, path, uploaded_by="ictd", scope=scope)
    assert outcome.status == "refused" and "may not import" in outcome.refusal
    assert counts(master) == before
    assert refusals(master) == 1


def _page(engine, monkeypatch, page, **params) -> AppTest:
    monkeypatch.setenv("APA_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = "en"
    at.session_state["user"] = signed_in(engine)
    at.run()
    at.switch_page(f"dashboard/pages/{page}.py")
    for key, value in params.items():
        at.query_params[key] = str(value)
    at.run()
    return at


def test_the_office_and_lagging_pages_show_needs_correction(master, tmp_path, monkeypatch):
    name, code, spoil, value, *_rest = DEFECTS[4]  # the ladder out of order
    path, _rows, _cols = _workbook(tmp_path, name, code, spoil, value)
    assert import_file(master, path, uploaded_by="test", scope=EVERYTHING).status == "added"
    with master.connect() as connection:
        office_id = connection.scalar(select(Plan.office_id))
    at = _page(master, monkeypatch, "office", office=office_id, fy="2023-24", q=1)
    assert not at.exception, at.exception
    shown = "\n".join(df.value.to_string() for df in at.dataframe)
    assert "Needs correction: ladder-not-monotonic" in shown
    at = _page(master, monkeypatch, "lagging", fy="2023-24", q=1)
    assert not at.exception, at.exception
    assert "Needs correction: ladder-not-monotonic" in at.dataframe[0].value.to_string()
