"""Users, sign-in and scopes.

A user's role is scoped to the office tree: Cabinet Division (everything), a ministry or
division (its subtree), an agency (its subtree) or one office (itself, and the field offices
below it); viewer or uploader; administrators manage users, scopes and the rule sets.

Passwords are hashed with Argon2id (argon2-cffi) and never stored or logged in clear.
Repeated failed sign-ins are slowed: after `FREE_ATTEMPTS` failures each further attempt must
wait an exponentially growing delay (capped), whatever the password.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, func, insert, select, update

from data import audit
from data.models import Office, User, utcnow
from data.scope import Scope

SCOPE_LEVELS = ("cabinet", "ministry", "agency", "office")
FREE_ATTEMPTS = 3
MAX_DELAY_SECONDS = 300

_hasher = PasswordHasher()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _password_matches(password_hash: str | None, password: str) -> bool:
    if not password_hash:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@dataclass(frozen=True)
class SignedInUser:
    """What the app keeps about the signed-in user (no password material)."""

    id: int
    username: str
    display_name: str
    scope_level: str
    scope_office_id: int | None
    scope_path: str | None
    scope_name_bn: str | None
    scope_name_en: str | None
    can_upload: bool
    is_admin: bool

    @property
    def scope(self) -> Scope:
        return Scope(path=self.scope_path, office_id=self.scope_office_id)


@dataclass(frozen=True)
class SignInResult:
    user: SignedInUser | None
    # ok, bad-credentials, throttled, inactive
    outcome: str
    wait_seconds: int = 0


def throttle_delay(failed_logins: int) -> int:
    """Seconds a user must wait before the next attempt after this many failures."""
    if failed_logins < FREE_ATTEMPTS:
        return 0
    return min(2 ** (failed_logins - FREE_ATTEMPTS + 1), MAX_DELAY_SECONDS)


def _signed_in(connection: Connection, user: User | dict) -> SignedInUser:
    row = user if isinstance(user, dict) else user.__dict__
    office = None
    if row["scope_office_id"] is not None:
        office = connection.execute(
            select(Office.path, Office.name_bn, Office.name_en).where(
                Office.id == row["scope_office_id"]
            )
        ).one()
    return SignedInUser(
        id=row["id"],
        username=row["username"],
        display_name=row["display_name"],
        scope_level=row["scope_level"],
        scope_office_id=row["scope_office_id"],
        scope_path=office.path if office else None,
        scope_name_bn=office.name_bn if office else None,
        scope_name_en=office.name_en if office else None,
        can_upload=row["can_upload"],
        is_admin=row["is_admin"],
    )


def sign_in(
    engine: Engine, username: str, password: str, now: dt.datetime | None = None
) -> SignInResult:
    """Check a username and password, counting failures and slowing repeated ones."""
    now = now or utcnow()
    with engine.begin() as connection:
        row = (
            connection.execute(select(User.__table__).where(User.username == username.strip()))
            .mappings()
            .first()
        )
        if row is None:
            # Same work as a real check, so timing does not tell which usernames exist.
            _password_matches(_DUMMY_HASH, password)
            return SignInResult(None, "bad-credentials")
        if not row["is_active"]:
            return SignInResult(None, "inactive")
        wait = throttle_delay(row["failed_logins"])
        last = row["last_failed_at"]
        if wait and last is not None:
            if last.tzinfo is None:  # SQLite returns naive datetimes
                last = last.replace(tzinfo=dt.UTC)
            remaining = wait - int((now - last).total_seconds())
            if remaining > 0:
                return SignInResult(None, "throttled", remaining)
        if not _password_matches(row["password_hash"], password):
            connection.execute(
                update(User)
                .where(User.id == row["id"])
                .values(failed_logins=User.failed_logins + 1, last_failed_at=now)
            )
            audit.record(connection, row["username"], "sign-in-failed", "user", row["id"])
            return SignInResult(None, "bad-credentials", throttle_delay(row["failed_logins"] + 1))
        connection.execute(
            update(User).where(User.id == row["id"]).values(failed_logins=0, last_failed_at=None)
        )
        audit.record(connection, row["username"], "sign-in", "user", row["id"])
        return SignInResult(_signed_in(connection, dict(row)), "ok")


def user_by_email(engine: Engine, email: str) -> SignedInUser | None:
    """The user an identity provider (OpenID Connect) signed in, matched by e-mail."""
    with engine.connect() as connection:
        row = (
            connection.execute(
                select(User.__table__).where(
                    func.lower(User.email) == email.strip().lower(), User.is_active.is_(True)
                )
            )
            .mappings()
            .first()
        )
        return _signed_in(connection, dict(row)) if row else None


def create_user(
    connection: Connection,
    username: str,
    display_name: str,
    password: str | None,
    scope_level: str,
    scope_office_id: int | None = None,
    can_upload: bool = False,
    is_admin: bool = False,
    email: str | None = None,
) -> int:
    """Add a user; the scope office must match the scope level (None only for cabinet)."""
    if scope_level not in SCOPE_LEVELS:
        raise ValueError(f"scope_level must be one of {SCOPE_LEVELS}")
    if (scope_level == "cabinet") != (scope_office_id is None):
        raise ValueError("cabinet users have no scope office; every other level needs one")
    result = connection.execute(
        insert(User).values(
            username=username.strip(),
            display_name=display_name,
            email=email,
            password_hash=hash_password(password) if password else None,
            scope_level=scope_level,
            scope_office_id=scope_office_id,
            can_upload=can_upload,
            is_admin=is_admin,
        )
    )
    return result.inserted_primary_key[0]


def set_password(connection: Connection, user_id: int, password: str) -> None:
    connection.execute(
        update(User)
        .where(User.id == user_id)
        .values(password_hash=hash_password(password), failed_logins=0, last_failed_at=None)
    )


def update_user(connection: Connection, user_id: int, **values) -> None:
    """Change scope, rights or activity of a user (administrators only, checked by the caller)."""
    allowed = {
        "display_name",
        "email",
        "scope_level",
        "scope_office_id",
        "can_upload",
        "is_admin",
        "is_active",
    }
    unknown = set(values) - allowed
    if unknown:
        raise ValueError(f"cannot change {sorted(unknown)}")
    connection.execute(update(User).where(User.id == user_id).values(**values))


_DUMMY_HASH = hash_password("not a real password")


# The embedded default's demo accounts, one per role (README). Only the demo builder makes them.
DEMO_PASSWORD = "demo1234"  # noqa: S105 -- documented demo accounts, demo data only
DEMO_ACCOUNTS = (
    # username, display name, scope level, scope office code, can upload, is admin
    ("admin", "প্রশাসক · Administrator", "cabinet", None, True, True),
    ("cabinet", "মন্ত্রিপরিষদ বিভাগ · Cabinet Division", "cabinet", None, True, False),
    ("viewer", "দর্শক · Viewer (all offices)", "cabinet", None, False, False),
    ("ministry", "আইসিটি বিভাগ · ICT Division", "ministry", "min:ictd", True, False),
    ("agency", "সমবায় অধিদপ্তর · Department of Co-operatives", "agency", "ag:doc", True, False),
    ("office", "জেলা সমবায় কার্যালয়, নারায়ণগঞ্জ", "office", "ag:doc:dist:43", True, False),
)


def ensure_demo_users(connection: Connection) -> None:
    """Add the demo accounts that are missing (idempotent)."""
    existing = set(connection.scalars(select(User.username)))
    for username, name, level, code, upload, admin in DEMO_ACCOUNTS:
        if username in existing:
            continue
        office_id = None
        if code is not None:
            office_id = connection.scalar(select(Office.id).where(Office.code == code))
            if office_id is None:
                continue  # that office is not in this scale's master data
        create_user(connection, username, name, DEMO_PASSWORD, level, office_id, upload, admin)


def users_frame(engine: Engine) -> pd.DataFrame:
    """Every user with the office of their scope, for the administrators' page."""
    query = (
        select(
            User.id,
            User.username,
            User.display_name,
            User.email,
            User.scope_level,
            Office.name_bn.label("office_bn"),
            Office.name_en.label("office_en"),
            User.can_upload,
            User.is_admin,
            User.is_active,
            User.created_at,
        )
        .outerjoin(Office, Office.id == User.scope_office_id)
        .order_by(User.id)
    )
    with engine.connect() as connection:
        return pd.DataFrame(
            connection.execute(query).mappings().all(), columns=query.selected_columns.keys()
        )


def office_level(engine: Engine, office_id: int) -> str | None:
    with engine.connect() as connection:
        return connection.scalar(select(Office.level).where(Office.id == office_id))


def add_user(engine: Engine, actor: str, **user) -> int:
    """`create_user` and its audit event in one transaction (the administrators' page)."""
    with engine.begin() as connection:
        user_id = create_user(connection, **user)
        audit.record(
            connection,
            actor,
            "user-created",
            "user",
            user_id,
            user.get("scope_office_id"),
            {k: user.get(k) for k in ("username", "scope_level", "can_upload", "is_admin")},
        )
    return user_id
