"""`python -m loaders` as a user runs it: bad paths get a bilingual error and exit code 2,
never a traceback; an empty database gets the master data only, never the demo; --strict."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from sqlalchemy import func, select

from data.db import ROOT, make_engine
from data.models import AppMeta, Office, Plan, Submission
from tests.apa_forms import apa_2020, own_areas


def _run(*args: str, database: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "APA_DATABASE_URL": database}
    return subprocess.run(
        [sys.executable, "-m", "loaders", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.fixture
def database(engine) -> str:
    """A fresh, migrated, empty database (SQLite or PostgreSQL, as the suite runs)."""
    return engine.url.render_as_string(hide_password=False)


def _bad_paths(tmp_path) -> dict[str, str]:
    folder = tmp_path / "a folder.xlsx"
    folder.mkdir()
    pipe = tmp_path / "pipe.xlsx"
    os.mkfifo(pipe)
    return {
        "missing": str(tmp_path / "nowhere.xlsx"),
        "directory": str(folder),
        "not-a-file": str(pipe),
        "dangling-link": str(_dangling(tmp_path)),
    }


def _dangling(tmp_path):
    link = tmp_path / "link.xlsx"
    link.symlink_to(tmp_path / "gone.xlsx")
    return link


@pytest.mark.parametrize("command", ["check", "import"])
@pytest.mark.parametrize("kind", ["missing", "directory", "not-a-file", "dangling-link"])
def test_a_bad_path_is_a_usage_error_not_a_traceback(tmp_path, database, command, kind):
    path = _bad_paths(tmp_path)[kind]
    done = _run(command, path, database=database)
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in done.stderr + done.stdout
    assert path in done.stderr
    assert "error · ত্রুটি" in done.stderr
    assert any(word in done.stderr for word in ("no such file", "folder", "not a regular file"))


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads every file whatever its mode")
def test_an_unreadable_file_is_a_usage_error(tmp_path, database):
    path = tmp_path / "locked.xlsx"
    path.write_bytes(b"PK")
    path.chmod(0)
    done = _run("check", str(path), database=database)
    assert done.returncode == 2 and "permission denied" in done.stderr
    assert "Traceback" not in done.stderr


def test_check_on_an_empty_database_loads_the_master_data_only(tmp_path, database, engine):
    path, _rows, _cols = apa_2020(
        tmp_path / "apa.xlsx",
        own_areas([[dt.date(2023, 12, 28)], ["০৩"], [(0.95, "0%")], ["৯৮%"], [10]]),
        achievement_headers=["১ম ত্রৈমাসিক অর্জন"],
    )
    done = _run("check", "--json", str(path), database=database)
    assert done.returncode == 0, done.stderr
    (file,) = json.loads(done.stdout)["files"]
    assert file["plans"][0]["office"]["code"] == "min:commerce"
    probe = make_engine(database)
    try:
        with probe.connect() as connection:
            assert connection.scalar(select(func.count()).select_from(Office)) > 100
            assert connection.scalar(select(func.count()).select_from(Plan)) == 0
            assert connection.scalar(select(func.count()).select_from(Submission)) == 0
            assert connection.scalar(select(func.count()).select_from(AppMeta)) == 0  # no demo
    finally:
        probe.dispose()


def test_strict_refuses_what_the_default_imports_with_a_flag(tmp_path, database):
    areas = own_areas([[dt.date(2023, 12, 28)], ["ভালো"], [(0.95, "0%")], ["৯৮%"], [10]])
    path, _rows, _cols = apa_2020(
        tmp_path / "apa.xlsx", areas, achievement_headers=["১ম ত্রৈমাসিক অর্জন"]
    )
    check = _run("check", "--strict", str(path), database=database)
    assert check.returncode == 1 and "no: unreadable-value" in check.stdout
    strict = _run("import", "--strict", str(path), database=database)
    assert strict.returncode == 1 and "REFUSED" in strict.stdout
    assert "not a number, a date or a known status" in strict.stdout
    default = _run("import", str(path), database=database)
    assert default.returncode == 0, default.stdout + default.stderr
    assert "1 indicators need correction" in default.stdout and "1.2.1" in default.stdout
