"""The one cached data layer: Streamlit caches over the plain query functions of data/queries
and data/desk (the Cabinet Division's desk).

Pages call `cache.query("name", scope, ...)`; the scope travels as its path string, so the
cache key is hashable and no result leaks between scopes.
"""

from __future__ import annotations

import streamlit as st

from data import desk, queries
from data.db import database_url, get_engine, upgrade
from data.scope import Scope


@st.cache_resource
def engine_for(url: str):
    engine = get_engine(url)
    upgrade(engine)
    return engine


def engine():
    return engine_for(database_url())


def url() -> str:
    return database_url()


@st.cache_data(ttl=300, show_spinner=False, max_entries=500)
def _scoped(
    name: str,
    db_url: str,
    scope_path: str | None,
    scope_office: int | None,
    args: tuple,
    kwargs: tuple,
):
    function = getattr(queries, name, None) or getattr(desk, name)
    return function(engine_for(db_url), Scope(scope_path, scope_office), *args, **dict(kwargs))


def query(name: str, scope: Scope, *args, **kwargs):
    """A scoped query from data/queries (or data/desk), cached for five minutes."""
    return _scoped(name, url(), scope.path, scope.office_id, args, tuple(sorted(kwargs.items())))


@st.cache_data(ttl=300, show_spinner=False)
def fiscal_years(db_url: str) -> list[str]:
    return queries.fiscal_years(engine_for(db_url))


@st.cache_data(ttl=300, show_spinner=False)
def latest_quarter(db_url: str, fiscal_year: str) -> int | None:
    return queries.latest_quarter(engine_for(db_url), fiscal_year)


@st.cache_data(ttl=60, show_spinner=False)
def demo_info(db_url: str) -> dict[str, str]:
    return queries.app_meta(engine_for(db_url))
