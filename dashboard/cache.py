"""The one cached data layer: Streamlit caches over the plain query functions of data/queries
and data/desk (the Cabinet Division's desk).

Pages call `cache.query(queries.lagging, scope, ...)` with the query function itself, so a
rename is caught where it is used and every query's callers can be found; the function is
keyed by its module and name, the scope travels as its path string, so the cache key is
hashable and no result leaks between scopes.

Every cached result is keyed by the data version (data.db.data_version: one row that imports
and rebuilds bump in their transaction), read at most once every VERSION_SECONDS per server.
Several app servers on one database therefore show an import made on any of them, or from
the command line, within seconds; a server that changes the data itself sees it at once.

When the server first opens its database, and whenever it sees a new data version, a
background thread computes the national scope's first views into the cache
(dashboard/warm.py), WARM_DELAY seconds later (an import bumps the version more than once; at
start the first page runs first), or as soon as the sign-in form's run is over (`warm_now`:
its person lands on the overview a second or two later), one run at a time, so the first person
after a restart or an import does not wait seconds for them. Only in a running server (not
under AppTest or in bare mode) and unless APA_WARM_CACHE=0.
"""

from __future__ import annotations

import inspect
import os
import threading
import time
from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

import streamlit as st
from streamlit import runtime
from streamlit.logger import get_logger

from data import desk, queries
from data.db import data_version, database_url, get_engine, upgrade
from data.scope import Scope

P = ParamSpec("P")
T = TypeVar("T")
QUERY_MODULES = (queries.__name__, desk.__name__)  # the queries this layer caches
VERSION_SECONDS = 3.0
WARM_DELAY = 2.0
_versions: dict[str, tuple[float, int]] = {}  # url → (when read, version)
_seen: dict[str, int] = {}  # url → the version read last (kept by `refresh`: it warms)
_versions_lock = threading.Lock()
log = get_logger(__name__)  # Streamlit's: its --logger.level applies


class Warmer:
    """Runs `work(url)` in one background thread, `delay` seconds after it is asked to; asks
    made meanwhile (for the same url or another) are served by the one run or the next, so
    a burst of data versions costs one or two runs, never one each, and never two at once."""

    def __init__(self, work: Callable[[str], object], delay: float) -> None:
        self.work = work
        self.delay = delay
        self._lock = threading.Lock()
        self._wanted: set[str] = set()
        self._thread: threading.Thread | None = None
        self._soon = threading.Event()

    def request(self, db_url: str) -> None:
        with self._lock:
            self._wanted.add(db_url)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="apa-cache-warmer", daemon=True
                )
                self._thread.start()

    def hurry(self) -> None:
        """The run waiting for its delay starts now (none waiting: nothing happens)."""
        with self._lock:
            if self._thread is not None:
                self._soon.set()

    def join(self, timeout: float | None = None) -> None:
        thread = self._thread
        if thread is not None:
            thread.join(timeout)

    def _run(self) -> None:
        while True:
            self._soon.wait(self.delay)
            with self._lock:
                self._soon.clear()
                if not self._wanted:
                    self._thread = None
                    return
                urls, self._wanted = self._wanted, set()
            for db_url in sorted(urls):
                started = time.monotonic()
                try:
                    self.work(db_url)
                except Exception:  # a warm cache is a convenience: the pages still work
                    log.exception("warming the cache failed")
                else:
                    log.info("cache warmed in %.1f s", time.monotonic() - started)


def _warm(db_url: str) -> None:
    from dashboard import warm  # it calls this module's queries: imported when first used

    if db_url == url():  # pages query the server's own database only
        warm.warm(db_url)


warmer = Warmer(_warm, WARM_DELAY)


def warm_now() -> None:
    """A warm waiting for its delay starts now: the page's own work is done (the sign-in
    form, drawn; its person lands on the overview next)."""
    warmer.hurry()


def warming_enabled() -> bool:
    """In a running server only: tests and scripts compute what they ask for, no more.
    AppTest installs a stand-in runtime while it runs a script (a mock: not a Runtime)."""
    return (
        runtime.exists()
        and type(runtime.Runtime.instance()) is runtime.Runtime
        and os.environ.get("APA_WARM_CACHE", "1") != "0"
    )


@st.cache_resource
def engine_for(url: str):
    engine = get_engine(url)
    upgrade(engine)
    if warming_enabled():
        warmer.request(url)
    return engine


def engine():
    return engine_for(database_url())


def url() -> str:
    return database_url()


def version(db_url: str) -> int:
    """The data version of the database, read at most once every VERSION_SECONDS."""
    now = time.monotonic()
    with _versions_lock:
        seen = _versions.get(db_url)
        if seen is not None and now - seen[0] < VERSION_SECONDS:
            return seen[1]
    current = data_version(engine_for(db_url))
    with _versions_lock:
        _versions[db_url] = (now, current)
        changed = _seen.get(db_url, current) != current
        _seen[db_url] = current
    if changed and warming_enabled():
        warmer.request(db_url)
    return current


def refresh(db_url: str | None = None) -> None:
    """Forget the version read last, so the next query reads it (after this server changed
    the data: its own user sees the change at once)."""
    with _versions_lock:
        _versions.pop(db_url or url(), None)


# 2,000 entries: the warm alone fills some 20 per scope it warms (dashboard/warm.py SCOPES).
@st.cache_data(ttl=3600, show_spinner=False, max_entries=2000)
def _scoped(
    _function: Callable,
    name: str,
    db_url: str,
    data: int,
    scope_path: str | None,
    scope_office: int | None,
    arguments: tuple,
):
    # `_function` is not hashed (the leading underscore): `name` names it in the key.
    return _function(engine_for(db_url), Scope(scope_path, scope_office), **dict(arguments))


def query(
    function: Callable[Concatenate[Any, Scope, P], T],  # (engine, scope, ...)
    scope: Scope,
    *args: P.args,
    **kwargs: P.kwargs,
) -> T:
    """`function(engine, scope, *args, **kwargs)`, a scoped query of data/queries or
    data/desk, cached until the data changes."""
    if function.__module__ not in QUERY_MODULES:
        raise ValueError(f"{function.__module__}.{function.__name__} is not a cached query")
    db_url = url()
    return _scoped(
        function,
        f"{function.__module__}.{function.__qualname__}",
        db_url,
        version(db_url),
        scope.path,
        scope.office_id,
        _arguments(function, args, kwargs),
    )


def _arguments(function: Callable, args: tuple, kwargs: dict) -> tuple:
    """The call's arguments after the engine and the scope, all by name with the defaults
    filled in: the same query asked positionally on one page and by keyword on another (the
    overview's and the calendar's reporting status) is one cache entry, computed once."""
    signature = inspect.signature(function)
    bound = signature.bind(None, None, *args, **kwargs)
    bound.apply_defaults()
    named = {}
    for name, value in list(bound.arguments.items())[2:]:
        if signature.parameters[name].kind is inspect.Parameter.VAR_KEYWORD:
            named.update(value)  # **filters
        else:
            named[name] = value
    return tuple(sorted(named.items()))


@st.cache_data(ttl=3600, show_spinner=False)
def _fiscal_years(db_url: str, data: int) -> list[str]:
    return queries.fiscal_years(engine_for(db_url))


def fiscal_years(db_url: str) -> list[str]:
    return _fiscal_years(db_url, version(db_url))


@st.cache_data(ttl=3600, show_spinner=False)
def _latest_quarter(db_url: str, data: int, fiscal_year: str) -> int | None:
    return queries.latest_quarter(engine_for(db_url), fiscal_year)


def latest_quarter(db_url: str, fiscal_year: str) -> int | None:
    return _latest_quarter(db_url, version(db_url), fiscal_year)


@st.cache_data(ttl=60, show_spinner=False)
def _demo_info(db_url: str, data: int) -> dict[str, str]:
    return queries.app_meta(engine_for(db_url))


def demo_info(db_url: str) -> dict[str, str]:
    return _demo_info(db_url, version(db_url))
