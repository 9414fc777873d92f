"""The package boundaries of docs/architecture.md, checked on the source.

- only dashboard/ and app.py import Streamlit;
- scoring/ is pure: no Streamlit, no SQLAlchemy, no data/ (its CLI shim __main__.py excepted);
- only data/ holds SQL: no other package imports SQLAlchemy's query API or opens sessions;
- reports/ (the documents) asks data/ and formats: no Streamlit, no SQL, no dashboard/;
- the packages import one another in one direction only (`MAY_IMPORT`): core/ (the shared
  vocabulary) imports nothing of the project and nothing outside the standard library, data/
  never imports loaders/, nothing below the dashboard imports it, and the demo builder (demo/)
  may import data/ but data/ never imports it (the `python -m data.demo` alias excepted).
- demo/ (the demo builder) asks data/ and writes through data/bulk.py: no SQL of its own, and
  data/ never imports it (the `python -m data.demo` alias excepted).
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from data.db import ROOT

PACKAGES = ("core", "data", "loaders", "scoring", "dashboard", "bench", "reports", "demo")
PROJECT = {*PACKAGES, "app", "tests"}

# What each package may import of the project, besides itself (docs/architecture.md).
MAY_IMPORT = {
    "core": set(),
    "scoring": {"core"},
    "data": {"core", "scoring"},
    "loaders": {"core", "data", "scoring"},
    "reports": {"core", "data", "scoring"},
    "demo": {"core", "data", "scoring", "loaders"},
    "dashboard": {"core", "data", "scoring", "loaders", "reports", "demo"},  # first run: the demo
    "bench": {"core", "data", "scoring", "loaders", "reports", "dashboard", "demo"},
}
# Command-line shims that reach down on purpose (each says why in its docstring).
SHIMS = {
    "scoring/__main__.py": {"data"},  # `python -m scoring rebuild|explain` over data.scores
    "data/demo.py": {"demo"},  # `python -m data.demo`, the older name of `python -m demo`
    "reports/__main__.py": {"demo"},  # builds the demo into an empty database first
}


def _python_files(package: str) -> list[Path]:
    return sorted(p for p in (ROOT / package).rglob("*.py") if "migrations" not in p.parts)


def _rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


ALL_FILES = [p for package in PACKAGES for p in _python_files(package)]


@pytest.mark.parametrize("path", ALL_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_dashboard_imports_streamlit(path):
    # The page benchmark drives the app through Streamlit's AppTest, as the page tests do; the
    # load benchmark reads Streamlit's messages on the wire (its protocol buffers) and serves
    # a bare Streamlit form as its floor.
    if path.relative_to(ROOT).parts[0] == "dashboard" or path.name in (
        "bench_pages.py",
        "bench_load.py",
        "bare_app.py",
    ):
        return
    assert "streamlit" not in _imports(path)


@pytest.mark.parametrize(
    "path",
    [p for p in _python_files("scoring") if p.name != "__main__.py"],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_scoring_is_pure(path):
    assert not _imports(path) & {"streamlit", "sqlalchemy", "data", "psycopg", "openpyxl"}


@pytest.mark.parametrize(
    "path",
    [p for package in ("loaders", "dashboard", "reports", "demo") for p in _python_files(package)],
    ids=lambda p: str(p.relative_to(ROOT)),
)
def test_sql_lives_in_data(path):
    assert "sqlalchemy" not in _imports(path)
    assert "psycopg" not in _imports(path)


def test_app_py_is_a_router():
    # The router may import Streamlit and the dashboard, never the database layer's SQL.
    assert "sqlalchemy" not in _imports(ROOT / "app.py")


@pytest.mark.parametrize("path", _python_files("reports"), ids=lambda p: str(p.relative_to(ROOT)))
def test_reports_ask_data_and_format(path):
    assert not _imports(path) & {"streamlit", "sqlalchemy", "psycopg", "dashboard"}


@pytest.mark.parametrize("path", ALL_FILES, ids=_rel)
def test_packages_import_in_one_direction(path):
    package = path.relative_to(ROOT).parts[0]
    allowed = MAY_IMPORT[package] | SHIMS.get(_rel(path), set()) | {package}
    assert _imports(path) & PROJECT <= allowed


def test_every_package_has_its_directions():
    present = {p for p in PACKAGES if (ROOT / p).is_dir()}
    assert present <= set(MAY_IMPORT)
    assert {"core", "data", "loaders", "scoring", "dashboard", "reports"} <= present


@pytest.mark.parametrize("path", _python_files("core"), ids=_rel)
def test_core_needs_only_the_standard_library(path):
    """Every package may import core/, so it brings nothing with it."""
    assert all(name in sys.stdlib_module_names or name == "core" for name in _imports(path))


@pytest.mark.parametrize(
    "path", [p for p in _python_files("data") if p != ROOT / "data" / "demo.py"], ids=_rel
)
def test_data_imports_nothing_from_loaders_or_the_demo(path):
    assert not _imports(path) & {"loaders", "demo", "dashboard", "reports"}


def test_the_router_imports_the_dashboard_and_data_only():
    assert _imports(ROOT / "app.py") & PROJECT <= {"dashboard", "data", "core"}
