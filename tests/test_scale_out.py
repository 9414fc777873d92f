"""Several app servers on one database (issue 15 item 5): an import through one server shows
on the other within seconds, because every cache is keyed by the data version that imports
and rebuilds bump (dashboard/cache.py); the migrations run once, under an advisory lock on
PostgreSQL."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy import select

from data.db import ROOT, data_version
from data.scores import rebuild_scores
from tests.test_e2e_browser import _open, _screenshot, _serve, browser  # noqa: F401

pytestmark = pytest.mark.browser


def test_imports_and_rebuilds_bump_the_data_version(engine, samples_dir):
    from data.master import load_master_data
    from data.scope import EVERYTHING
    from loaders.pipeline import import_file

    with engine.begin() as connection:
        load_master_data(connection)
    first = data_version(engine)
    rebuild_scores(engine)
    assert data_version(engine) == first + 1
    outcome = import_file(
        engine, samples_dir / "plandiv-egov-q2-progress-2023-24.xlsx", scope=EVERYTHING
    )
    assert outcome.status == "added"
    assert data_version(engine) == first + 2


def test_servers_starting_together_migrate_once(engine):
    """Three servers' start-ups at once on a database one migration behind: the migration runs
    once, none of them fails (they queue on the lock data.db.upgrade takes)."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    from data.db import alembic_config

    config = alembic_config(engine)
    (head,) = ScriptDirectory.from_config(config).get_heads()
    command.downgrade(config, "-1")
    url = engine.url.render_as_string(hide_password=False)
    start = (
        "from data.db import make_engine, upgrade; import sys; upgrade(make_engine(sys.argv[1]))"
    )
    servers = [
        subprocess.Popen([sys.executable, "-c", start, url], cwd=ROOT, stderr=subprocess.PIPE)
        for _ in range(3)
    ]
    failures = [s.stderr.read().decode() for s in servers if s.wait(timeout=300) != 0]
    assert not failures
    with engine.connect() as connection:
        heads = MigrationContext.configure(connection).get_current_heads()
        assert heads == (head,)
        assert connection.exec_driver_sql("SELECT count(*) FROM data_version").scalar() == 1


@pytest.fixture
def two_servers(_template, tmp_path):
    """Two app servers (streamlit processes) on one database with only the master data."""
    from data.master import load_master_data
    from data.users import ensure_demo_users
    from tests.conftest import new_database

    engine, drop = new_database(_template, tmp_path)
    with engine.begin() as connection:
        load_master_data(connection)
        ensure_demo_users(connection)
    first, second = _serve(engine), _serve(engine)
    yield engine, next(first), next(second)
    for server in (first, second):
        next(server, None)
    drop()


def test_an_import_on_one_server_shows_on_the_other(two_servers, browser, samples_dir):  # noqa: F811
    from data.models import Office, OfficeScore

    engine, one, other = two_servers
    league = f"{other}/league?lang=en&fy=2023-24&q=2"
    watcher = _open(browser, league, "Quarter", "scale-out-before")
    before = watcher.content()

    uploader = _open(browser, f"{one}/upload?lang=en", "Drop plan or progress workbooks", "x")
    uploader.locator('input[type="file"]').set_input_files(
        str(samples_dir / "plandiv-egov-q2-progress-2023-24.xlsx")
    )
    uploader.get_by_text("No errors: every plan can be imported").first.wait_for(timeout=60_000)
    uploader.get_by_role("button", name="Import").click()
    uploader.get_by_text("Plans: 1 added").first.wait_for(timeout=60_000)
    uploader.close()
    with engine.connect() as connection:
        name = connection.execute(
            select(Office.name_en).join(OfficeScore, OfficeScore.office_id == Office.id)
        ).scalar()
    assert name and name not in before
    # The other server cached this page's queries before the import, and its caches used to
    # live five minutes: it shows the import once it reads the new version (seconds).
    for _ in range(20):
        watcher.get_by_text("Q1", exact=True).first.click()
        _settle(watcher)
        watcher.get_by_text("Q2", exact=True).first.click()
        _settle(watcher)
        if name in watcher.content():
            break
    _screenshot(watcher, "scale-out-after")
    assert name in watcher.content()
    assert watcher.locator('[data-testid="stException"]').count() == 0
    watcher.close()


def _settle(page) -> None:
    page.wait_for_timeout(1000)
    for _ in range(120):
        if page.locator('[data-testid="stStatusWidget"]').count() == 0:
            return
        page.wait_for_timeout(500)
