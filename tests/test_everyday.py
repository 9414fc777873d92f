"""Everyday use (issue 13) below the browser: the quarter a page opens on, filters kept across
pages, the digits following the language, one language at a time in tables, sessions that
survive a reload and end when they should, and chart text that reads."""

import datetime as dt

import pandas as pd
import pytest
from sqlalchemy import update

from dashboard.components.chart import TEXT
from dashboard.i18n import OFFICE_LEVEL_NAMES, PLAN_TYPE_NAMES, STATUS_NAMES
from data import queries
from data.models import BrowserSession
from data.queries import default_quarter
from data.scope import Scope
from data.sessions import end_session, open_session, resume
from data.users import DEMO_PASSWORD, set_password, sign_in, sign_out_everywhere
from tests.test_app_pages import app, texts

BN_DIGITS = set("০১২৩৪৫৬৭৮৯")


def coverage(*reported, expected=435):
    return pd.DataFrame(
        {"quarter": [1, 2, 3, 4], "reported": list(reported), "expected": [expected] * 4}
    )


def test_the_default_quarter_has_real_coverage():
    assert default_quarter(coverage(430, 420, 1, 0)) == 2  # one early Q3 report is not Q3
    assert default_quarter(coverage(430, 420, 300, 0)) == 3
    assert default_quarter(coverage(0, 0, 0, 0)) == 1  # nothing yet: the first quarter
    assert default_quarter(coverage(3, 0, 0, 0)) == 1  # little, but the latest with any


def test_coverage_counts_the_users_scope(demo_engine):
    everything = queries.quarter_coverage(demo_engine, Scope(), "2024-25")
    assert everything["expected"].iloc[0] > 100
    assert (everything["reported"] <= everything["expected"]).all()
    ictd = queries.offices(demo_engine, Scope(), level="ministry")
    ictd = ictd[ictd["code"] == "min:ictd"].iloc[0]
    mine = queries.quarter_coverage(demo_engine, Scope(ictd["path"], int(ictd["id"])), "2024-25")
    assert 0 < mine["expected"].iloc[0] < everything["expected"].iloc[0]


def test_the_sidebar_says_how_far_the_quarter_is(demo_engine, monkeypatch):
    at = app(demo_engine, monkeypatch, lang="en", q=4)
    assert any("offices reported so far" in c.value and "Q4" in c.value for c in at.caption)


def test_filters_follow_the_user_to_another_page(demo_engine, monkeypatch):
    at = app(demo_engine, monkeypatch, page="lagging", lang="en")
    at.radio(key="f_q").set_value(1).run()
    ministries = queries.offices(demo_engine, Scope(), level="ministry")
    ictd = int(ministries[ministries["code"] == "min:ictd"]["id"].iloc[0])
    at.selectbox(key="f_ministry").set_value(ictd).run()
    assert at.session_state["kept_filters"]["q"] == "1"
    # Another page, its link without the filters: the quarter and ministry follow.
    at.query_params.clear()
    at.switch_page("dashboard/pages/calendar.py").run()
    assert not at.exception
    assert at.radio(key="f_q").value == 1
    assert at.selectbox(key="f_ministry").value == ictd
    at.query_params.clear()
    at.switch_page("dashboard/pages/overview.py").run()
    assert at.radio(key="f_q").value == 1


def test_the_digits_follow_the_language_unless_the_user_sets_them(demo_engine, monkeypatch):
    at = app(demo_engine, monkeypatch, lang="bn")
    assert at.session_state["bn_digits"] is True
    at.radio(key="lang").set_value("en").run()
    assert at.session_state["bn_digits"] is False
    assert not BN_DIGITS & set(at.radio(key="f_q").options[0])
    at.toggle(key="bn_digits").set_value(True).run()  # the user's own choice now
    at.radio(key="lang").set_value("bn").run()
    at.radio(key="lang").set_value("en").run()
    assert at.session_state["bn_digits"] is True


def _cells(at) -> set[str]:
    """The text cells of every table on the page, a missing value in a text column as the
    "None" the table would draw."""
    found: set[str] = set()
    for frame in [*at.dataframe, *at.table]:
        value = frame.value
        for column in value.columns:
            if value[column].dtype == object:
                found |= {str(v) for v in value[column].tolist()}
    return found


CODES = {*OFFICE_LEVEL_NAMES, "None", "nan", "NaN", "<NA>"}
ENGLISH = {
    pair[1]
    for pairs in (OFFICE_LEVEL_NAMES, STATUS_NAMES, PLAN_TYPE_NAMES)
    for pair in pairs.values()
}
BENGALI = {
    pair[0]
    for pairs in (OFFICE_LEVEL_NAMES, STATUS_NAMES, PLAN_TYPE_NAMES)
    for pair in pairs.values()
}


@pytest.mark.parametrize("page", ["overview", "league", "drilldown", "office", "lagging"])
def test_one_language_at_a_time_in_tables(demo_engine, monkeypatch, page):
    for lang, other in (("bn", ENGLISH), ("en", BENGALI)):
        at = app(demo_engine, monkeypatch, page=page, lang=lang, q=2)
        assert not at.exception
        if page == "overview":  # its charts' tables, drawn once opened
            for key in ("behind-table", "risk-table", "reporting-table", "districts-table"):
                at.session_state[key] = True
            at.run()
            assert len(at.dataframe) == 4 and len(at.table) == 2
        cells = _cells(at)
        assert not cells & CODES, (lang, cells & CODES)
        assert not cells & other, (lang, cells & other)
        shown = texts(at)
        assert not [label for label in other if f" {label} " in f" {shown} "], lang


def test_admin_and_audit_pages_speak_the_language(demo_engine, monkeypatch):
    at = app(demo_engine, monkeypatch, page="admin", lang="bn")
    cells = _cells(at)
    assert not {"cabinet", "interpolate", "None"} & cells
    at = app(demo_engine, monkeypatch, page="audit", lang="bn")
    assert not any(cell.startswith("{") for cell in _cells(at))


def test_a_session_survives_a_reload_and_ends_when_it_should(engine):
    from data.users import ensure_demo_users

    with engine.begin() as connection:
        from data.master import load_master_data

        load_master_data(connection)
        ensure_demo_users(connection)
    user = sign_in(engine, "ministry", DEMO_PASSWORD).user
    cookie = open_session(engine, user)
    assert resume(engine, cookie).username == "ministry"
    assert resume(engine, cookie[:-2] + ("AA" if not cookie.endswith("AA") else "BB")) is None
    assert resume(engine, "not a cookie") is None and resume(engine, "") is None
    end_session(engine, cookie)  # sign-out
    assert resume(engine, cookie) is None
    # Password change and "sign out everywhere" move the epoch on: older cookies are over.
    cookie = open_session(engine, user)
    with engine.begin() as connection:
        set_password(connection, user.id, "a much longer passphrase 42")
    assert resume(engine, cookie) is None
    user = sign_in(engine, "ministry", "a much longer passphrase 42").user
    cookie = open_session(engine, user)
    sign_out_everywhere(engine, user, user.id)
    assert resume(engine, cookie) is None
    # Expired, or unused longer than the idle timeout: over.
    user = sign_in(engine, "ministry", "a much longer passphrase 42").user
    for column in ("expires_at", "last_seen_at"):
        cookie = open_session(engine, user)
        assert resume(engine, cookie) is not None
        with engine.begin() as connection:
            connection.execute(
                update(BrowserSession).values(
                    {column: dt.datetime.now(dt.UTC) - dt.timedelta(hours=9)}
                )
            )
        assert resume(engine, cookie) is None


def contrast(foreground: str, background: str = "#ffffff") -> float:
    """The WCAG 2 contrast ratio of two sRGB colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4)]
        linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    light, dark = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_chart_text_contrast():
    assert contrast("#808495") < 4.5  # Streamlit's chart text: what the issue measured
    assert contrast(TEXT) >= 4.5


def test_uploaded_files_survive_a_language_switch(engine, monkeypatch, samples_dir):
    from data.master import load_master_data
    from data.users import ensure_demo_users

    with engine.begin() as connection:
        load_master_data(connection)
        ensure_demo_users(connection)
    at = app(engine, monkeypatch, page="upload", lang="en")
    name = "plandiv-egov-q2-progress-2023-24.xlsx"
    at.session_state["upload_files"] = [(name, (samples_dir / name).read_bytes())]
    at.run()
    assert at.expander  # the file's check
    before = [e.label for e in at.expander]
    at.radio(key="lang").set_value("bn").run()
    assert not at.exception
    assert at.session_state["upload_files"][0][0] == name
    assert [e.label for e in at.expander] == before  # the file and its check, still there
    assert any("plandiv" in c.value for c in at.caption)  # "Files uploaded before: ..."
