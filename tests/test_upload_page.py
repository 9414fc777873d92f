"""The upload page, through the real app (AppTest): check report before import, import,
bad files, both languages."""

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from data.db import ROOT
from data.master import load_master_data
from data.models import Plan, Submission
from tests.conftest import signed_in

PLANDIV = "plandiv-egov-q2-progress-2023-24.xlsx"


@pytest.fixture
def master(engine):
    with engine.begin() as connection:
        load_master_data(connection)
    return engine


def upload_page(engine, monkeypatch, files, lang="en") -> AppTest:
    monkeypatch.setenv("APA_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    at.session_state["user"] = signed_in(engine)
    at.run()
    at.switch_page("dashboard/pages/upload.py")
    at.session_state["upload_files"] = files
    at.run()
    return at


def _count(engine, model) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(func.count()).select_from(model))


def _texts(at) -> str:
    return "\n".join(
        str(e.value) for e in (*at.success, *at.error, *at.warning, *at.info, *at.caption)
    )


@pytest.mark.parametrize("lang", ["bn", "en"])
def test_check_report_then_import(master, samples_dir, monkeypatch, lang):
    data = (samples_dir / PLANDIV).read_bytes()
    at = upload_page(master, monkeypatch, [(PLANDIV, data)], lang)
    assert not at.exception, at.exception
    plans = at.dataframe[0].value
    assert len(plans) == 1
    assert "Planning Division" in plans.iloc[0].tolist() or "পরিকল্পনা বিভাগ" in plans.iloc[0].tolist()
    issues = at.dataframe[1].value
    assert "date-year-corrected" in issues.iloc[:, 1].tolist()
    assert _count(master, Plan) == 0  # nothing imported before the button
    at.button(key="import").click().run()
    assert not at.exception, at.exception
    assert _count(master, Plan) == 1 and _count(master, Submission) == 1
    done = _texts(at)
    assert ("Added" in done) if lang == "en" else ("যোগ হয়েছে" in done)


def test_a_bad_file_is_reported_and_imports_nothing(master, monkeypatch):
    at = upload_page(master, monkeypatch, [("notes.xlsx", b"not a workbook at all")])
    assert not at.exception, at.exception
    assert "not-a-workbook" in at.dataframe[-1].value.iloc[:, 1].tolist()
    assert at.button(key="import").disabled
    assert _count(master, Submission) == 0


def test_upload_page_without_files(demo_engine, monkeypatch):
    at = upload_page(demo_engine, monkeypatch, [], "bn")
    assert not at.exception, at.exception
    assert at.title[0].value == "আপলোড"
