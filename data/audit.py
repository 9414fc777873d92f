"""The audit trail: who imported, superseded, changed or downloaded what, and when.

Callers record inside the transaction of the change they describe, so an event exists exactly
when its change does.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, insert, select

from data.models import AuditEvent, Office, utcnow
from data.scope import Scope

ACTIONS = (
    "sign-in",
    "sign-in-failed",
    "sign-out",
    "import",
    "supersede",
    "import-refused",
    "check-refused",
    "download",
    "user-created",
    "user-changed",
    "rules-changed",
)


def record(
    connection: Connection,
    username: str,
    action: str,
    object_type: str | None = None,
    object_id: str | int | None = None,
    office_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    connection.execute(
        insert(AuditEvent).values(
            at=utcnow(),
            username=username,
            action=action,
            object_type=object_type,
            object_id=None if object_id is None else str(object_id),
            office_id=office_id,
            details=details,
        )
    )


def record_event(engine: Engine, username: str, action: str, **what) -> None:
    """`record` in a transaction of its own, for events that change nothing else (a download,
    a sign-out)."""
    with engine.begin() as connection:
        record(connection, username, action, **what)


def events(
    engine: Engine,
    scope: Scope,
    username: str | None = None,
    action: str | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    limit: int = 10_000,
) -> pd.DataFrame:
    """Audit events, newest first, filtered; events about offices outside `scope` are left out."""
    query = (
        select(
            AuditEvent.at,
            AuditEvent.username,
            AuditEvent.action,
            AuditEvent.object_type,
            AuditEvent.object_id,
            Office.name_bn.label("office_bn"),
            Office.name_en.label("office_en"),
            AuditEvent.details,
        )
        .outerjoin(Office, Office.id == AuditEvent.office_id)
        .order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(limit)
    )
    if not scope.is_everything:
        query = query.where(scope.office_filter(Office.path))
    if username:
        query = query.where(AuditEvent.username == username)
    if action:
        query = query.where(AuditEvent.action == action)
    if since:
        query = query.where(AuditEvent.at >= dt.datetime.combine(since, dt.time.min, dt.UTC))
    if until:
        end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, dt.UTC)
        query = query.where(AuditEvent.at < end)
    with engine.connect() as connection:
        return pd.DataFrame(
            connection.execute(query).mappings().all(), columns=query.selected_columns.keys()
        )
