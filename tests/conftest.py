"""Shared fixtures. Every database test runs on the database APA_DATABASE_URL chooses:
the embedded SQLite (unset) or PostgreSQL (`.ci/run` runs the suite once on each).

- `engine`: a fresh, migrated, empty database per test (a copy of a template built once).
- `master`: the same with the master data (ministries, agencies, field offices) loaded.
- `demo_engine`: the default demo, built once per session (read-only).
- `samples_dir`: ../shared/samples, the real workbooks.
- `app(...)`: the app under Streamlit's AppTest, signed in as a user, on a page.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, make_url

from data.db import ROOT, database_url, make_engine, upgrade

SHARED = ROOT.parent / "shared"
ON_CI = os.environ.get("CI") == "true"


def _server_url() -> str | None:
    """The PostgreSQL database named by APA_DATABASE_URL, or None for SQLite."""
    url = database_url()
    return url if url.startswith("postgresql") else None


def _admin(url: str):
    import psycopg

    base = make_url(url).set(drivername="postgresql")
    return psycopg.connect(base.render_as_string(hide_password=False), autocommit=True)


def _pg_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_kind() -> str:
    return "postgresql" if _server_url() else "sqlite"


@pytest.fixture(scope="session")
def _template(tmp_path_factory) -> Iterator[str]:
    """A migrated, empty database that each test's database is copied from."""
    server = _server_url()
    if server is None:
        path = tmp_path_factory.mktemp("template") / "template.sqlite3"
        engine = make_engine(f"sqlite:///{path}")
        upgrade(engine)
        engine.dispose()
        yield str(path)
        return
    name = f"{make_url(server).database}_tmpl_{uuid.uuid4().hex[:8]}"
    with _admin(server) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    engine = make_engine(_pg_database(server, name))
    upgrade(engine)
    engine.dispose()
    yield name
    with _admin(server) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def new_database(template: str, directory: Path) -> tuple[Engine, Callable[[], None]]:
    """A fresh copy of the template: (engine, drop function)."""
    server = _server_url()
    if server is None:
        path = directory / f"db_{uuid.uuid4().hex[:8]}.sqlite3"
        shutil.copyfile(template, path)
        engine = make_engine(f"sqlite:///{path}")
        return engine, engine.dispose
    name = f"{make_url(server).database}_t_{uuid.uuid4().hex[:10]}"
    with _admin(server) as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    engine = make_engine(_pg_database(server, name))

    def drop() -> None:
        engine.dispose()
        with _admin(server) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return engine, drop


@pytest.fixture
def engine(_template, tmp_path) -> Iterator[Engine]:
    """A fresh, migrated, empty database for one test."""
    engine, drop = new_database(_template, tmp_path)
    yield engine
    drop()


@pytest.fixture
def master(engine) -> Engine:
    """A fresh database with the master data: the offices a workbook is matched against."""
    from data.master import load_master_data

    with engine.begin() as connection:
        load_master_data(connection)
    return engine


@pytest.fixture(scope="session")
def samples_dir() -> Path:
    path = SHARED / "samples"
    if not path.is_dir():
        if ON_CI:
            pytest.fail(f"{path} is missing: CI must have ../shared beside the checkout")
        pytest.skip(f"{path} is not here (the shared folder sits beside the checkout)")
    return path


# ---------------------------------------------------------------- demo data (demo/)


@pytest.fixture(scope="session")
def demo_engine(_template, tmp_path_factory) -> Iterator[Engine]:
    """The default demo, built once per session. Read-only: tests must not change it."""
    from demo import build_demo

    engine, drop = new_database(_template, tmp_path_factory.mktemp("demo"))
    build_demo(engine)
    yield engine
    drop()


# ---------------------------------------------------------------- signed-in users (AppTest)


def signed_in(
    engine, scope_level="cabinet", office=None, can_upload=True, is_admin=True, username="tester"
):
    """A signed-in user for AppTest's session state, as the user store has them (the app
    reloads the user on every run, so they must exist): an existing user of that name (the
    demo's "admin" on the read-only demo database), else one made now. `office` is an
    office id."""
    from sqlalchemy import select

    from data.models import User
    from data.users import create_user, session_user

    with engine.connect() as connection:
        user_id = connection.scalar(select(User.id).where(User.username == username))
    if user_id is None:
        with engine.begin() as connection:
            user_id = create_user(
                connection,
                username,
                username,
                None,
                scope_level,
                office,
                can_upload=can_upload,
                is_admin=is_admin,
            )
    return session_user(engine, user_id, 0)


# ---------------------------------------------------------------- the app (Streamlit's AppTest)


def app(engine, monkeypatch, user=None, page=None, lang="en", **params):
    """The app on `engine` under AppTest, run once: signed in as `user` (None: nobody), in
    `lang`, with `params` as URL parameters, then switched to `page` (None or "overview": the
    first page) and run again with the same parameters."""
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("APA_DATABASE_URL", engine.url.render_as_string(hide_password=False))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    if user is not None:
        at.session_state["user"] = user
    for key, value in params.items():
        at.query_params[key] = str(value)
    at.run()
    if page and page != "overview":
        at.switch_page(f"dashboard/pages/{page}.py")
        for key, value in params.items():
            at.query_params[key] = str(value)
        at.run()
    return at
