"""Every page through Streamlit's AppTest, on the demo database: renders, filters, drill-down,
empty states and bad URL values (a message, never a traceback)."""

import pytest
from sqlalchemy import select
from streamlit.testing.v1 import AppTest

from dashboard.i18n import PLAN_TYPE_NAMES, STATUS_NAMES
from data.master import find_office
from data.models import Office
from tests.conftest import app as run_app
from tests.conftest import signed_in

PAGES = ["overview", "league", "calendar", "drilldown", "office", "lagging"]


def app(engine, monkeypatch, page="overview", lang="bn", **params) -> AppTest:
    """A page as the demo's national administrator sees it, in Bengali unless told."""
    user = signed_in(engine, username="admin")
    return run_app(engine, monkeypatch, user, page, lang, **params)


def texts(at) -> str:
    parts = [
        e.value
        for e in (
            *at.title,
            *at.subheader,
            *at.markdown,
            *at.caption,
            *at.info,
            *at.error,
            *at.success,
        )
    ]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("lang", ["bn", "en"])
def test_every_page_renders(demo_engine, monkeypatch, page, lang):
    at = app(demo_engine, monkeypatch, page, lang)
    assert not at.exception, at.exception
    assert at.title


def test_overview_shows_counts_and_reporting(demo_engine, monkeypatch):
    at = app(demo_engine, monkeypatch, lang="en", fy="2024-25", q=2)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Offices"].replace(",", "").isdigit()
    assert int(metrics["Offices"].replace(",", "")) > 200
    assert "Reporting by ministry" in texts(at)
    # The top and bottom ministries as plain tables; each chart's table (the data grid) is
    # drawn only once its expander is opened.
    assert len(at.table) == 2 and len(at.dataframe) == 0
    assert [len(t.value) for t in at.table] == [10, 10]
    assert [e.label for e in at.expander] == ["Table"] * 5
    tables = ["behind-table", "distribution-table", "risk-table", "reporting-table"]
    for key in [*tables, "districts-table"]:
        at.session_state[key] = True
    at.run()
    assert not at.exception
    assert len(at.dataframe) == 5
    assert all(e.proto.expanded for e in at.expander)


def test_bengali_digits_in_bengali(demo_engine, monkeypatch):
    at = app(demo_engine, monkeypatch, lang="bn")
    assert any(ch in "০১২৩৪৫৬৭৮৯" for m in at.metric for ch in m.value)


@pytest.mark.parametrize(
    ("params", "expected"),
    [({"fy": "1999-00"}, "fy=1999-00"), ({"q": "9"}, "q=9"), ({"q": "abc"}, "q=abc")],
)
def test_bad_url_values_get_a_message(demo_engine, monkeypatch, params, expected):
    at = app(demo_engine, monkeypatch, lang="en", **params)
    assert not at.exception
    assert any(expected in e.value for e in at.error)


def test_bad_office_and_ministry_values(demo_engine, monkeypatch):
    at = app(demo_engine, monkeypatch, "office", "en", office=999999)
    assert not at.exception
    assert any("not found or outside your scope" in e.value for e in at.error)
    at = app(demo_engine, monkeypatch, "lagging", "en", ministry="abc")
    assert not at.exception
    assert any("ministry=abc" in e.value for e in at.error)


def test_drill_down_from_government_to_an_office(demo_engine, monkeypatch):
    at = app(demo_engine, monkeypatch, "drilldown", "en")
    top = at.dataframe[0].value
    assert len(top) > 50  # the ministries
    with demo_engine.connect() as connection:
        path = [
            find_office(connection, code)
            for code in ("min:rdcd", "ag:doc", "ag:doc:div:6", "ag:doc:dist:43")
        ]
    for node in path:
        at = app(demo_engine, monkeypatch, "drilldown", "en", node=node)
        assert not at.exception
        children = at.dataframe[0].value if at.dataframe else None
        assert children is not None and len(children) > 0, node
    # The district's children are its upazila offices; one of them is a leaf.
    upazila = int(children.iloc[0]["id"])
    at = app(demo_engine, monkeypatch, "drilldown", "en", node=upazila)
    assert "bottom of the tree" in texts(at)


def test_office_page_shows_lagging_indicators(demo_engine, monkeypatch):
    with demo_engine.connect() as connection:
        office = find_office(connection, "ag:doc:dist:43")
        name = connection.scalar(select(Office.name_en).where(Office.id == office))
    at = app(demo_engine, monkeypatch, "office", "en", office=office, q=2)
    assert not at.exception
    assert name in texts(at)
    assert "This office's lagging indicators" in texts(at)
    assert len(at.dataframe) >= 2


def test_lagging_filters_narrow_the_list(demo_engine, monkeypatch):
    at = app(demo_engine, monkeypatch, "lagging", "en", q=2)
    everything = len(at.dataframe[0].value)
    at = app(demo_engine, monkeypatch, "lagging", "en", q=2, plan="rti", status="missed")
    assert not at.exception
    narrowed = at.dataframe[0].value
    assert 0 < len(narrowed) < everything
    # Every row shown is of the plan type and the status chosen (English: the second name).
    assert set(narrowed["plan"]) == {PLAN_TYPE_NAMES["rti"][1]}
    assert set(narrowed["status"]) == {STATUS_NAMES["missed"][1]}


def test_empty_database_has_empty_states(engine, monkeypatch):
    from data.master import load_master_data

    with engine.begin() as connection:
        load_master_data(connection, "default")
    for page in PAGES:
        at = app(engine, monkeypatch, page, "en")
        assert not at.exception, (page, at.exception)


def test_league_page_shows_the_published_form(demo_engine, monkeypatch):
    at = app(demo_engine, monkeypatch, "league", "bn", q=2)
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table.columns[:4]) == ["ক্রম", "মন্ত্রণালয়/বিভাগ", "প্রাপ্ত নম্বর", "অবস্থান"]
    assert table["অবস্থান"].iloc[0] == "১ম"
    at = app(demo_engine, monkeypatch, "league", "en", q=2, level="agency", basis="projected")
    assert not at.exception
    assert at.dataframe[0].value.columns[1] == "Agency"


def test_calendar_page_lists_who_has_not_reported(demo_engine, monkeypatch):
    from data.scope import Scope
    from reports import overdue

    at = app(demo_engine, monkeypatch, "calendar", "en", q=2)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    expected = overdue.overdue(demo_engine, Scope(), "2024-25", 2)
    assert int(metrics["Not sent"].replace(",", "")) == len(expected.offices)
    assert len(at.dataframe[-1].value) == len(expected.offices)
    # The table by ministry, behind its expander, is drawn once opened.
    closed = len(at.dataframe)
    at.session_state["ministries-table"] = True
    at.run()
    assert not at.exception
    assert len(at.dataframe) == closed + 1
    assert len(at.dataframe[-1].value) == len(expected.offices)


def test_overview_drills_down_to_a_district(demo_engine, monkeypatch):
    at = app(demo_engine, monkeypatch, "overview", "en", q=2, district=43)
    assert not at.exception
    assert "Narayanganj: field offices, worst first" in texts(at)
    offices = at.dataframe[-1].value
    with demo_engine.connect() as connection:
        districts = set(
            connection.scalars(
                select(Office.district_id).where(Office.id.in_(offices["office_id"].tolist()))
            )
        )
    assert len(offices) > 5 and districts == {43}


@pytest.mark.parametrize("view", ["by_ministry", "by_indicator", "by_office"])
def test_lagging_views_at_scale(demo_engine, monkeypatch, view):
    at = app(demo_engine, monkeypatch, "lagging", "en", q=2, view=view)
    assert not at.exception
    table = at.dataframe[0].value
    marks = table["composite_at_risk"].tolist()
    assert marks == sorted(marks, reverse=True)
