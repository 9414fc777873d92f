"""Warming the first views (dashboard/warm.py, dashboard/cache.py): after a warm, every
page's first view as a national user, and as the demo's ministry, agency and office users,
runs no query of its own; the scopes in use come most recently used first; the warmer runs
once for a burst of asks; a new data version asks for a warm."""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import threading
import time

import pytest

from dashboard import cache, warm
from dashboard.components import district_map
from data import desk, queries
from tests.conftest import app as run_app
from tests.conftest import signed_in

PAGES = ["overview", "lagging", "calendar", "drilldown", "league", "office"]


def _spy_on_queries(monkeypatch) -> list[str]:
    """Every scoped query (engine, scope, ...) of data/queries and data/desk, wrapped to note its calls (under
    its own name and module: the cache keys it as before)."""
    called: list[str] = []
    for module in (queries, desk):
        for name, function in inspect.getmembers(module, inspect.isfunction):
            parameters = list(inspect.signature(function).parameters)[:2]
            if function.__module__ != module.__name__ or parameters[1:] not in (
                ["scope"],
                ["_scope"],
            ):
                continue  # not a scoped query (the pages ask the cache for those only)

            def spy(*args, _function=function, **kwargs):
                called.append(_function.__qualname__)
                return _function(*args, **kwargs)

            monkeypatch.setattr(module, name, functools.wraps(function)(spy))
    return called


def _clear_caches() -> None:
    cache._scoped.clear()
    cache._fiscal_years.clear()
    cache._latest_quarter.clear()
    cache._demo_info.clear()


def test_warming_covers_every_national_first_view(demo_engine, monkeypatch):
    user = signed_in(demo_engine, username="admin")
    url = demo_engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("APA_DATABASE_URL", url)
    called = _spy_on_queries(monkeypatch)
    _clear_caches()
    at = run_app(demo_engine, monkeypatch, user, "overview")
    assert not at.exception
    assert "headline" in called  # the spy sees a cold page's queries
    _clear_caches()
    district_map._centres.cache_clear()
    assert warm.warm(url) > 0
    assert district_map._centres.cache_info().currsize == 1  # the map's outlines, too
    for page in PAGES:
        called.clear()
        at = run_app(demo_engine, monkeypatch, user, page)
        assert not at.exception, (page, at.exception)
        assert called == [], f"{page}: not warmed: {called}"


@pytest.mark.parametrize("username", ["ministry", "agency", "office"])
def test_warming_covers_the_first_views_of_the_scopes_in_use(demo_engine, monkeypatch, username):
    user = signed_in(demo_engine, username=username)
    assert user.scope_office_id is not None
    url = demo_engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("APA_DATABASE_URL", url)
    called = _spy_on_queries(monkeypatch)
    _clear_caches()
    assert warm.warm(url) > len(warm.first_views(url))
    for page in PAGES:
        called.clear()
        at = run_app(demo_engine, monkeypatch, user, page)
        assert not at.exception, (page, at.exception)
        assert called == [], f"{page}: not warmed: {called}"


def test_only_the_national_scope_within_a_limit_of_one(demo_engine, monkeypatch):
    url = demo_engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("APA_DATABASE_URL", url)
    _clear_caches()
    monkeypatch.setenv("APA_WARM_SCOPES", "1")
    assert warm.warm(url) == len(warm.first_views(url))
    monkeypatch.setenv("APA_WARM_SCOPES", "two")  # not a number: the default
    assert warm.scopes_limit() == warm.SCOPES


def test_the_scopes_in_use_come_most_recently_used_first(master):
    """Each scope once (national users have none: the warm does theirs first), those whose
    sessions were used last first, then by how many users hold them; inactive users' not."""
    from sqlalchemy import select, update

    from data.models import BrowserSession, Office, User
    from data.sessions import open_session
    from data.users import scopes_in_use

    with master.connect() as connection:
        offices = connection.execute(select(Office.id, Office.path).order_by(Office.id)).all()
    assert len(offices) >= 4
    (a, a_path), (b, b_path), (c, c_path), (d, _) = offices[:4]
    users = {
        name: signed_in(master, level, office, username=name)
        for name, level, office in [
            ("national", "cabinet", None),
            ("on-a", "office", a),
            ("on-b", "office", b),
            ("on-c-1", "office", c),
            ("on-c-2", "office", c),
            ("gone-d", "office", d),
        ]
    }
    with master.begin() as connection:
        connection.execute(update(User).where(User.username == "gone-d").values(is_active=False))
    # Without sessions: by how many users hold the scope, then by office.
    assert [s.office_id for s in scopes_in_use(master, 10)] == [c, a, b]
    open_session(master, users["on-b"])
    open_session(master, users["on-a"])
    with master.begin() as connection:  # on-a's session was used last
        connection.execute(
            update(BrowserSession)
            .where(BrowserSession.user_id == users["on-b"].id)
            .values(last_seen_at=BrowserSession.last_seen_at - dt.timedelta(minutes=5))
        )
    found = scopes_in_use(master, 10)
    assert [(s.office_id, s.path) for s in found] == [(a, a_path), (b, b_path), (c, c_path)]
    assert [s.office_id for s in scopes_in_use(master, 2)] == [a, b]


def test_warming_an_empty_database_is_harmless(engine, monkeypatch):
    """No plans, no scores, no office to open: the warm runs through all the same."""
    monkeypatch.setenv("APA_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    _clear_caches()
    assert warm.warm(cache.url()) == len(warm.first_views(cache.url())) > 0


def test_the_warmer_runs_once_for_a_burst_of_asks():
    runs: list[str] = []
    started = threading.Event()
    release = threading.Event()

    def work(url: str) -> None:
        runs.append(url)
        started.set()
        release.wait(5)

    warmer = cache.Warmer(work, delay=0.05)
    for _ in range(3):
        warmer.request("db-a")
    warmer.request("db-b")
    assert started.wait(5)
    # Asked again while it runs: one more run after this one, not one per ask.
    for _ in range(3):
        warmer.request("db-a")
    release.set()
    warmer.join(5)
    assert sorted(runs[:2]) == ["db-a", "db-b"]
    assert runs[2:] == ["db-a"]
    assert warmer._thread is None
    warmer.request("db-c")  # idle again: a new ask starts a new run
    warmer.join(5)
    assert runs[-1] == "db-c"


def test_a_warm_hurried_does_not_wait_for_its_delay():
    ran = threading.Event()
    warmer = cache.Warmer(lambda url: ran.set(), delay=3600)
    warmer.hurry()  # nothing waiting: nothing to start
    assert warmer._thread is None
    warmer.request("db-a")
    warmer.hurry()  # the sign-in form is drawn
    assert ran.wait(30)


def test_a_warm_that_fails_is_logged_and_the_warmer_goes_on(caplog):
    runs: list[str] = []

    def work(url: str) -> None:
        runs.append(url)
        raise RuntimeError("database gone")

    warmer = cache.Warmer(work, delay=0.01)
    warmer.request("db-a")
    warmer.join(5)
    assert "warming the cache failed" in caplog.text
    warmer.request("db-b")
    warmer.join(5)
    assert runs == ["db-a", "db-b"]


def test_a_new_data_version_asks_for_a_warm(engine, monkeypatch):
    url = engine.url.render_as_string(hide_password=False)
    asked: list[str] = []
    versions = iter([1, 1, 2, 2])
    monkeypatch.setattr(cache, "warming_enabled", lambda: True)
    monkeypatch.setattr(
        cache, "warmer", type("Fake", (), {"request": lambda _, u: asked.append(u)})()
    )
    monkeypatch.setattr(cache, "data_version", lambda _engine: next(versions))
    monkeypatch.setattr(cache, "VERSION_SECONDS", 0.0)
    monkeypatch.setattr(cache, "_seen", {})
    monkeypatch.setattr(cache, "_versions", {})
    cache.engine_for.clear()
    cache.version(url)  # the server opens the database: one warm
    assert asked == [url]
    cache.version(url)  # the same version: none
    time.sleep(0.001)
    cache.refresh(url)  # this server changed the data: still one warm for the new version
    cache.version(url)
    assert asked == [url, url]
    cache.version(url)
    assert asked == [url, url]
    cache.engine_for.clear()


def test_warming_is_off_outside_a_running_server(demo_engine, monkeypatch):
    from unittest.mock import MagicMock

    Runtime = cache.runtime.Runtime  # noqa: N806 (tests may not import Streamlit themselves)
    assert not cache.warming_enabled()  # pytest: no Streamlit runtime
    # Under AppTest, while a script runs: its stand-in runtime (the app asks while it runs).
    seen: list[bool] = []
    monkeypatch.setattr(cache, "upgrade", lambda engine: seen.append(cache.warming_enabled()))
    cache.engine_for.clear()
    monkeypatch.setenv("APA_DATABASE_URL", demo_engine.url.render_as_string(hide_password=False))
    at = run_app(demo_engine, monkeypatch, signed_in(demo_engine, username="admin"), "audit")
    assert not at.exception
    assert seen == [False]
    cache.engine_for.clear()
    # A running server: the real runtime.
    monkeypatch.setattr(Runtime, "_instance", object.__new__(Runtime))
    assert cache.warming_enabled()
    monkeypatch.setenv("APA_WARM_CACHE", "0")
    assert not cache.warming_enabled()
    monkeypatch.setattr(Runtime, "_instance", MagicMock(spec=Runtime))
    monkeypatch.delenv("APA_WARM_CACHE")
    assert not cache.warming_enabled()


@pytest.fixture(autouse=True)
def _fresh_cache():
    yield
    _clear_caches()
