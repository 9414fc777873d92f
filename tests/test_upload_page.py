"""The upload page, through the real app (AppTest): check report before import, import,
bad files, both languages."""

import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from data.db import ROOT
from data.models import Plan, Submission
from tests.conftest import signed_in

PLANDIV = "plandiv-egov-q2-progress-2023-24.xlsx"


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
    issues = at.dataframe[-1].value
    # The message does not repeat the sheet, which has its column; codes sit behind a toggle.
    assert "date-year-corrected" not in issues.to_string()
    assert not any("২য় ত্রৈমাসিক" in str(m) for m in issues.iloc[:, 4])
    at.toggle(key="codes-0").set_value(True).run()
    issues = at.dataframe[-1].value
    assert "date-year-corrected" in issues.iloc[:, 1].tolist()
    assert _count(master, Plan) == 0  # nothing imported before the button
    at.button(key="import").click().run()
    assert not at.exception, at.exception
    assert _count(master, Plan) == 1 and _count(master, Submission) == 1
    done = _texts(at)
    assert ("Imported" in done) if lang == "en" else ("আমদানি হয়েছে" in done)


def test_a_bad_file_is_reported_and_imports_nothing(master, monkeypatch):
    at = upload_page(master, monkeypatch, [("notes.xlsx", b"not a workbook at all")])
    assert not at.exception, at.exception
    at.toggle(key="codes-0").set_value(True).run()
    assert "not-a-workbook" in at.dataframe[-1].value.iloc[:, 1].tolist()
    assert at.button(key="import").disabled
    assert _count(master, Submission) == 0


def test_upload_page_without_files(demo_engine, monkeypatch):
    at = upload_page(demo_engine, monkeypatch, [], "bn")
    assert not at.exception, at.exception
    assert at.title[0].value == "আপলোড"


def _mixed(tmp_path) -> bytes:
    from tests.test_loader_checks import _two_plans

    return _two_plans(tmp_path / "mixed.xlsx").read_bytes()


def test_an_error_stops_only_its_indicator_and_the_import_says_so(master, monkeypatch, tmp_path):
    at = upload_page(master, monkeypatch, [("mixed.xlsx", _mixed(tmp_path))])
    assert not at.exception, at.exception
    plans = at.dataframe[0].value
    assert plans["On import"].tolist() == [
        "Will be imported",
        "Will be imported; 1 indicators need correction",
    ]
    # The approved plan's defect is apart from the office's own entries.
    assert any("The approved plan" in c.value for c in at.caption)
    at.button(key="import").click().run()
    assert not at.exception, at.exception
    done = _texts(at)
    assert "Imported" in done and "Sheet 'S1': 1 indicators imported as 'needs correction'" in done
    assert _count(master, Plan) == 2


def test_strict_mode_leaves_out_the_plan_and_names_it(master, monkeypatch, tmp_path):
    at = upload_page(master, monkeypatch, [("mixed.xlsx", _mixed(tmp_path))])
    at.checkbox(key="upload-strict").check().run()
    assert not at.exception, at.exception
    plans = at.dataframe[0].value
    assert plans["On import"].iloc[1].startswith("Left out: ")
    at.button(key="import").click().run()
    done = "\n".join(str(w.value) for w in at.warning)
    assert "Partly imported" in done and "Left out — sheet 'S1'" in done
    assert "cannot be read as a date" in done
    assert _count(master, Plan) == 1


def test_the_check_applies_the_uploaders_scope(master, monkeypatch, samples_dir):
    from data.models import Office

    with master.connect() as connection:
        ictd = connection.execute(
            select(Office.id, Office.path).where(Office.code == "min:ictd")
        ).one()
    monkeypatch.setenv("APA_DATABASE_URL", master.url.render_as_string(hide_password=False))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = "en"
    at.session_state["user"] = signed_in(
        master, "ministry", ictd.id, is_admin=False, username="ictd-clerk"
    )
    at.run()
    at.switch_page("dashboard/pages/upload.py")
    name = "commerce-apa-2023-24-q1.xlsx"
    at.session_state["upload_files"] = [(name, (samples_dir / name).read_bytes())]
    at.run()
    assert not at.exception, at.exception
    state = at.dataframe[0].value["On import"].iloc[0]
    assert state.startswith("Left out: ") and "may not import" in state
    assert at.button(key="import").disabled
    assert _count(master, Submission) == 0
