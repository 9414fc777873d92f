"""Sign-in that survives a reload: a signed, expiring cookie backed by a sessions table.

Signing in opens a browser session: a random token, kept in the browser as a cookie signed
with the server's secret (itsdangerous, with a timestamp: a cookie older than `LIFETIME` is
refused before the database is asked), and in `browser_sessions` only as its SHA-256. A reload
`resume`s the session when the signature holds, the row is neither ended nor expired, it was
used within `IDLE_TIMEOUT`, and the user is active with the session's epoch: sign-out ends the
row; deactivation, a password change and "sign out everywhere" move the user's epoch on
(data/users.py), which ends every session of the older one.

The secret comes from `APA_SESSION_SECRET`, else one is made on first use and kept in the
database (app_meta), so every server process of one database signs alike.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import secrets

from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import IntegrityError

from data.models import AppMeta, BrowserSession, utcnow
from data.users import IDLE_TIMEOUT, SignedInUser, session_user

COOKIE = "apa_session"
LIFETIME = dt.timedelta(hours=8)  # a working day; then sign in again
TOUCH_EVERY = dt.timedelta(minutes=1)  # how often a run records that the session is in use
SALT = "apa-browser-session"
MAX_COOKIE = 512


_secrets: dict[str, str] = {}


def _secret(engine: Engine) -> str:
    configured = os.environ.get("APA_SESSION_SECRET")
    if configured:
        return configured
    key = engine.url.render_as_string(hide_password=False)
    if key not in _secrets:
        _secrets[key] = _stored_secret(engine)
    return _secrets[key]


def _stored_secret(engine: Engine) -> str:
    with engine.begin() as connection:
        found = connection.scalar(select(AppMeta.value).where(AppMeta.key == "session_secret"))
        if found:
            return found
    try:
        with engine.begin() as connection:
            made = secrets.token_urlsafe(48)
            connection.execute(insert(AppMeta).values(key="session_secret", value=made))
            return made
    except IntegrityError:  # another process made it first: use theirs
        with engine.connect() as connection:
            return connection.scalar(select(AppMeta.value).where(AppMeta.key == "session_secret"))


def _serializer(engine: Engine) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(_secret(engine), salt=SALT)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(engine: Engine, user: SignedInUser) -> str:
    """A new browser session for the user; the cookie value to keep in the browser."""
    token = secrets.token_urlsafe(32)
    now = utcnow()
    with engine.begin() as connection:
        connection.execute(
            insert(BrowserSession).values(
                token_hash=_hash(token),
                user_id=user.id,
                epoch=user.session_epoch,
                created_at=now,
                expires_at=now + LIFETIME,
                last_seen_at=now,
            )
        )
    return _serializer(engine).dumps(token)


def _token(engine: Engine, cookie: str | None) -> str | None:
    if not cookie or len(cookie) > MAX_COOKIE:
        return None
    try:
        token = _serializer(engine).loads(cookie, max_age=int(LIFETIME.total_seconds()))
    except BadSignature:  # forged, altered, or older than LIFETIME (SignatureExpired)
        return None
    return token if isinstance(token, str) else None


def _aware(moment: dt.datetime) -> dt.datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)  # SQLite drops the zone


def resume(engine: Engine, cookie: str | None) -> SignedInUser | None:
    """The user of a browser session still open, or None."""
    token = _token(engine, cookie)
    if token is None:
        return None
    now = utcnow()
    with engine.connect() as connection:
        row = connection.execute(
            select(BrowserSession).where(BrowserSession.token_hash == _hash(token))
        ).first()
    if (
        row is None
        or row.ended_at is not None
        or _aware(row.expires_at) <= now
        or now - _aware(row.last_seen_at) > IDLE_TIMEOUT
    ):
        return None
    user = session_user(engine, row.user_id, row.epoch)
    if user is not None:
        touch(engine, cookie, force=True)
    return user


def touch(engine: Engine, cookie: str | None, force: bool = False) -> None:
    """Record that the session is in use (at most once every `TOUCH_EVERY`)."""
    token = _token(engine, cookie)
    if token is None:
        return
    now = utcnow()
    condition = [BrowserSession.token_hash == _hash(token), BrowserSession.ended_at.is_(None)]
    if not force:
        condition.append(BrowserSession.last_seen_at < now - TOUCH_EVERY)
    with engine.begin() as connection:
        connection.execute(update(BrowserSession).where(*condition).values(last_seen_at=now))


def end_session(engine: Engine, cookie: str | None) -> None:
    """Sign-out: the browser session is over, whatever the cookie still says."""
    token = _token(engine, cookie)
    if token is None:
        return
    with engine.begin() as connection:
        connection.execute(
            update(BrowserSession)
            .where(BrowserSession.token_hash == _hash(token), BrowserSession.ended_at.is_(None))
            .values(ended_at=utcnow())
        )
