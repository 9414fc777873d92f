"""`python -m loaders template`: a clean workbook that, filled in, imports back exactly."""

import datetime as dt

import openpyxl
import pytest
from sqlalchemy import select

from data.models import FiscalYear, Office, Plan
from data.plans import plan_outline
from data.scope import EVERYTHING
from demo import build_demo
from loaders.__main__ import main as loaders_main
from loaders.pipeline import check_file, import_file
from loaders.template import HEADER_ROW, INDEX, template_bytes

ACHIEVEMENT_Q1 = INDEX["a1"] + 1  # openpyxl counts columns from 1


@pytest.fixture(scope="module")
def demo_file(_template, tmp_path_factory):
    """A demo database of its own (these tests import into it)."""
    from tests.conftest import new_database

    engine, drop = new_database(_template, tmp_path_factory.mktemp("template"))
    build_demo(engine, quarters=0)
    yield engine
    drop()


def _office_with_plan(engine, plan_type="egov"):
    with engine.connect() as connection:
        return connection.execute(
            select(Office.id, Office.code, Office.name_bn)
            .join(Plan, Plan.office_id == Office.id)
            .join(FiscalYear, FiscalYear.id == Plan.fiscal_year_id)
            .where(
                Plan.plan_type == plan_type,
                Plan.is_current.is_(True),
                FiscalYear.label == "2024-25",
            )
            .order_by(Office.id)
            .limit(1)
        ).one()


def test_filled_template_imports_back_exactly(demo_file, tmp_path):
    office = _office_with_plan(demo_file)
    path = tmp_path / "egov.xlsx"
    path.write_bytes(
        template_bytes(
            demo_file, office=office.code, fiscal_year="2024-25", plan_types_wanted=["egov"]
        )
    )
    with demo_file.connect() as connection:
        outline = plan_outline(connection, office.id, "2024-25", "egov")

    book = openpyxl.load_workbook(path)
    sheet = book.worksheets[0]
    assert sheet.protection.sheet  # the header is protected
    assert [ws.title for ws in book.worksheets][-1] == "নির্দেশনা · Instructions"
    filled = {}
    for n, ind in enumerate(outline["indicators"]):
        row = HEADER_ROW + 2 + n
        if ind["unit_kind"] == "date":
            value = dt.datetime(2024, 9, 15)
            expected = dt.date(2024, 9, 15)
        elif n % 3 == 0:
            value, expected = "কার্যক্রম চলমান রয়েছে", "কার্যক্রম চলমান রয়েছে"
        else:
            value, expected = 1, 1.0
        sheet.cell(row=row, column=ACHIEVEMENT_Q1, value=value)
        filled[n] = expected
    book.save(path)

    checked = check_file(path, engine=demo_file)
    assert checked.ok, checked.report.issues
    (plan,) = checked.plans
    draft = plan.draft
    assert (draft.plan_type, draft.fiscal_year, draft.office_id, draft.quarter) == (
        "egov",
        "2024-25",
        office.id,
        1,
    )
    assert len(draft.indicators) == len(outline["indicators"])
    for n, (ind, stored) in enumerate(zip(draft.indicators, outline["indicators"], strict=True)):
        assert (ind.code, ind.name, ind.unit_kind, ind.weight) == (
            stored["code"],
            stored["name"],
            stored["unit_kind"],
            stored["weight"],
        )
        assert ind.targets == stored["targets"]
        assert {q: v for q, v in ind.quarter_targets.items() if v is not None} == {
            q: v for q, v in stored["quarter_targets"].items() if v is not None
        }
        assert [a.value for a in ind.achievements] == [filled[n]]

    outcome = import_file(demo_file, path, uploaded_by="test", scope=EVERYTHING)
    assert outcome.status == "added"
    assert outcome.result.plans_unchanged == 1 and outcome.result.reports_added == 1


def test_template_for_an_office_without_a_plan(demo_file, tmp_path):
    path = tmp_path / "blank.xlsx"
    path.write_bytes(template_bytes(demo_file, office="min:cabinet", fiscal_year="2025-26"))
    checked = check_file(path, engine=demo_file)
    assert {p.draft.plan_type for p in checked.plans} == {
        "apa",
        "nis",
        "egov",
        "grs",
        "citizen_charter",
        "rti",
    }
    assert {i.code for i in checked.report.issues} == {"no-indicators"}
    book = openpyxl.load_workbook(path)
    assert len(book.worksheets) == 7  # six plan types and the instructions


def test_cli_writes_a_template(demo_file, tmp_path, monkeypatch):
    from data.db import get_engine

    monkeypatch.setenv("APA_DATABASE_URL", demo_file.url.render_as_string(hide_password=False))
    get_engine.cache_clear()
    office = _office_with_plan(demo_file, "grs")
    out = tmp_path / "grs.xlsx"
    try:
        code = loaders_main(
            [
                "template",
                "--office",
                office.code,
                "--fiscal-year",
                "2024-25",
                "--plan-type",
                "grs",
                "--output",
                str(out),
            ]
        )
    finally:
        get_engine.cache_clear()
    assert code == 0
    checked = check_file(out, engine=demo_file)
    (plan,) = checked.plans
    assert plan.draft.plan_type == "grs" and plan.office.office_id == office.id
