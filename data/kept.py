"""Values built from a few database rows and kept between calls while those rows are the same
(the rule sets, the office matcher's index): each call reads a cheap version of the rows, in
the caller's transaction, and builds again only when it differs."""

from __future__ import annotations

import threading
from collections.abc import Callable, Hashable
from typing import Any

from sqlalchemy import Connection

_KEPT: dict[Hashable, tuple[Hashable, Any]] = {}  # (database, what) → (version, value)
_LOCK = threading.Lock()


def kept(connection: Connection, what: str, version: Hashable, build: Callable[[], Any]) -> Any:
    """`build()`, or what it gave last for this database and `what` while `version` is the
    same."""
    key = (connection.engine.url.render_as_string(hide_password=True), what)
    with _LOCK:
        found = _KEPT.get(key)
    if found is not None and found[0] == version:
        return found[1]
    value = build()
    with _LOCK:
        _KEPT[key] = (version, value)
    return value
