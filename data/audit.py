"""The audit trail: who signed in (or failed to, and why), imported, was refused, superseded,
changed or downloaded what, and when.

Callers record inside the transaction of the change they describe, so an event exists exactly
when its change does. The table is insert-only for the application (triggers refuse UPDATE,
DELETE and TRUNCATE, migration 0004, even for a superuser's connection), and each event's
`hash` is SHA-256 over its content and the previous event's hash: an event changed, removed
or slipped in by someone who got past the triggers breaks the chain from there on, which
`python -m data.audit verify` reports (and prints the newest hash, worth keeping elsewhere).
Writers of the chain take a lock (data.db.lock) so it never forks.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, insert, select

from data.db import AUDIT_LOCK, driver_sql, insert_rows, lock
from data.models import AuditEvent, Office, utcnow
from data.scope import Scope

ACTIONS = (
    "sign-in",
    "sign-in-failed",  # details.reason: wrong-password, unknown-user, inactive, throttled
    "sign-out",
    "session-ended",  # details.reason: deactivated, signed-out-everywhere, idle, scope-gone
    "import",
    "supersede",
    "import-refused",
    "check-refused",
    "download",
    "template-download",
    "user-created",
    "user-changed",
    "user-unlocked",
    "password-changed",
    "sessions-ended",
    "permission-refused",
    "rules-changed",
)
USERNAME_LENGTH = 100  # the column's length: what someone typed is cut, never refused
# Made once: building a statement costs more than running it (every import records events).
# The newest hash as plain SQL (the same on every database): nothing for SQLAlchemy to
# compile for each new engine (the upload page's worker makes one a file).
_NEWEST_HASH = "SELECT hash FROM audit_events ORDER BY id DESC LIMIT 1"
_INSERT_EVENTS = insert(AuditEvent)


def _moment(at: dt.datetime) -> str:
    if at.tzinfo is not None:  # PostgreSQL gives aware times; SQLite gives the UTC wall time
        at = at.astimezone(dt.UTC).replace(tzinfo=None)
    return at.strftime("%Y-%m-%dT%H:%M:%S.%f")


def event_hash(
    prev_hash: str | None,
    at: dt.datetime,
    username: str,
    action: str,
    object_type: str | None,
    object_id: str | None,
    office_id: int | None,
    details: Any,
) -> str:
    """SHA-256 of an event's content and the hash of the event before it."""
    content = [prev_hash or "", _moment(at), username, action, object_type, object_id]
    content += [office_id, details]
    text = json.dumps(content, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def _plain(details: dict[str, Any] | None) -> Any:
    """Details as the database gives them back (JSON), so the hash covers what is stored."""
    return None if details is None else json.loads(json.dumps(details, default=str))


def record(
    connection: Connection,
    username: str,
    action: str,
    object_type: str | None = None,
    object_id: str | int | None = None,
    office_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    record_many(connection, username, [(action, object_type, object_id, office_id, details)])


def record_many(connection: Connection, username: str, events: list[tuple]) -> None:
    """Several events of one user in one change (an import's plans and its submission), each
    (action, object_type, object_id, office_id, details), chained in this order: the lock and
    the previous hash once, the rows in one statement."""
    for action, *_what in events:
        if action not in ACTIONS:
            raise ValueError(f"unknown audit action {action!r}")
    if not events:
        return
    lock(connection, AUDIT_LOCK)
    ((previous,),) = driver_sql(connection, _NEWEST_HASH) or [(None,)]
    username = username[:USERNAME_LENGTH]
    rows = []
    for action, object_type, object_id, office_id, details in events:
        at = utcnow()
        object_id = None if object_id is None else str(object_id)[:100]
        details = _plain(details)
        digest = event_hash(
            previous, at, username, action, object_type, object_id, office_id, details
        )
        rows.append(
            {
                "at": at,
                "username": username,
                "action": action,
                "object_type": object_type,
                "object_id": object_id,
                "office_id": office_id,
                "details": details,
                "prev_hash": previous,
                "hash": digest,
            }
        )
        previous = digest
    insert_rows(connection, _INSERT_EVENTS, rows)


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


def verify(engine: Engine) -> tuple[int, int | None, str | None]:
    """Walk the chain from the first event: (events checked, id of the first event whose hash
    or link is wrong or None, the newest hash)."""
    previous: str | None = None
    count = 0
    query = select(
        AuditEvent.id,
        AuditEvent.at,
        AuditEvent.username,
        AuditEvent.action,
        AuditEvent.object_type,
        AuditEvent.object_id,
        AuditEvent.office_id,
        AuditEvent.details,
        AuditEvent.prev_hash,
        AuditEvent.hash,
    ).order_by(AuditEvent.id)
    with engine.connect() as connection:
        for row in connection.execute(query.execution_options(yield_per=5_000)):
            expected = event_hash(
                previous,
                row.at,
                row.username,
                row.action,
                row.object_type,
                row.object_id,
                row.office_id,
                row.details,
            )
            if row.prev_hash != previous or row.hash != expected:
                return count, row.id, previous
            previous = row.hash
            count += 1
    return count, None, previous


def main(argv: list[str] | None = None) -> int:
    """`python -m data.audit verify`: exit 0 when the chain is whole, 1 when it is broken."""
    from data.db import get_engine

    parser = argparse.ArgumentParser(prog="python -m data.audit", description=__doc__)
    parser.add_argument("command", choices=["verify"])
    parser.parse_args(argv)
    count, broken, newest = verify(get_engine())
    if broken is None:
        print(f"audit trail whole: {count:,} events; newest hash {newest or '-'}")
        return 0
    print(
        f"audit trail BROKEN at event {broken}: {count:,} events before it verify; "
        f"the last good hash is {previous_or_dash(newest)}",
        file=sys.stderr,
    )
    return 1


def previous_or_dash(value: str | None) -> str:
    return value or "-"


if __name__ == "__main__":
    sys.exit(main())
