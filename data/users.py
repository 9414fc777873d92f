"""Users, sign-in, sessions and scopes.

A user's role is scoped to the office tree: Cabinet Division (everything), a ministry or
division (its subtree), an agency (its subtree) or one office (itself, and the field offices
below it); viewer or uploader; administrators manage the users within their own scope and never
grant more than they hold; only national administrators change the rule sets.

Passwords are hashed with Argon2id (argon2-cffi) and never stored or logged in clear; a new one
has at least 12 characters and is not a common password (data/passwords/).

Sign-in resists guessing: every attempt is first *reserved* in `sign_in_limits`, atomically (one
UPDATE with a condition, so parallel attempts cannot all slip through), against three budgets
per window: per username, per client address, and for everyone at once; an attempt over any
budget is refused without looking at its password. Every path does exactly one Argon2
verification (an unknown user's against a dummy hash) and says the same thing, so neither the
message nor the time tells an existing username from an unknown one. A success gives its
reservation back; an administrator can unlock a user.

Sessions follow the user store: the app reloads the signed-in user on every run
(`session_user`), and a session carries the user's `session_epoch`, which deactivation, a
password change and "sign out everywhere" increase: every session of the older epoch ends.
"""

from __future__ import annotations

import datetime as dt
import gzip
import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, Engine, and_, case, delete, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from core.terms import OFFICE_LEVELS
from data import audit
from data.models import BrowserSession, Office, SignInLimit, User, utcnow
from data.scope import Scope

SCOPE_LEVELS = ("cabinet", "ministry", "agency", "office")
SCOPE_OFFICE_LEVELS = {
    "ministry": ("ministry",),
    "agency": ("agency",),
    "office": OFFICE_LEVELS,
}
# Sign-in budgets: attempts (failed, or still being checked) per window.
WINDOW = dt.timedelta(minutes=15)
PER_USER = 5
PER_ADDRESS = 30
IN_ALL = 2_000
IDLE_TIMEOUT = dt.timedelta(minutes=30)  # a session unused this long is over (dashboard/auth.py)
MIN_PASSWORD = 12
MAX_PASSWORD = 1_024
USERNAME = re.compile(r"[a-z0-9][a-z0-9._@-]{2,63}")
PASSWORDS = Path(__file__).resolve().parent / "passwords" / "common-passwords.txt.gz"

_hasher = PasswordHasher()
_verifying = threading.BoundedSemaphore(4)  # Argon2 takes 64 MiB a check: a burst waits its turn


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def _password_matches(password_hash: str | None, password: str) -> bool:
    """One Argon2 verification, always: against the dummy hash when there is no real one."""
    with _verifying:
        try:
            return _hasher.verify(password_hash or _DUMMY_HASH, password) and bool(password_hash)
        except (VerificationError, InvalidHashError):
            return False


class UserError(ValueError):
    """A user or password the rules refuse; `message_en` and `message_bn` say why."""

    def __init__(self, message_en: str, message_bn: str) -> None:
        super().__init__(message_en)
        self.message_en = message_en
        self.message_bn = message_bn


class PermissionRefused(UserError):
    """The administrator may not do this (outside their scope, or more than they hold)."""


# ---------------------------------------------------------------- names and passwords


def normalise_username(text: str) -> str:
    """The form a username is stored and compared in: NFKC, trimmed, lower case."""
    return unicodedata.normalize("NFKC", text or "").strip().casefold()


def check_username(text: str) -> str:
    """The normalised username, or UserError: 3-64 characters a-z, 0-9, '.', '_', '@', '-',
    beginning with a letter or digit (no spaces, no invisible or look-alike characters)."""
    name = normalise_username(text)
    if not USERNAME.fullmatch(name):
        raise UserError(
            "a username has 3 to 64 characters: letters a-z, digits, '.', '_', '@' or '-', "
            "beginning with a letter or digit",
            "ব্যবহারকারীর নামে ৩ থেকে ৬৪টি অক্ষর: a-z, অঙ্ক, '.', '_', '@' বা '-'; শুরুতে অক্ষর বা অঙ্ক",
        )
    return name


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(PASSWORDS, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def check_password(password: str, username: str = "") -> None:
    """UserError unless the password has 12-1,024 characters, is not a common password (nor
    one with digits or symbols added, nor one repeated), and is not the username."""
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise UserError(
            f"a password has at least {MIN_PASSWORD} characters (and at most {MAX_PASSWORD:,})",
            f"পাসওয়ার্ডে অন্তত {MIN_PASSWORD}টি অক্ষর (সর্বোচ্চ {MAX_PASSWORD:,}টি)",
        )
    folded = unicodedata.normalize("NFKC", password).casefold()
    stem = re.sub(r"[\d\W_]+$", "", folded)  # "password1234!" → "password"
    bare = re.sub(r"[\W_]+$", "", folded)  # "q1w2e3r4t5y6!" → "q1w2e3r4t5y6"
    repeated = re.fullmatch(r"(.+?)\1+", folded)
    common = common_passwords()
    name = normalise_username(username)
    if (
        folded in common
        or stem in common
        or bare in common
        or (repeated and repeated.group(1) in common)
        or len(set(folded)) < 4
        or (name and name in folded)
    ):
        raise UserError(
            "the password is too easy to guess (a common password, a variant of one, or the "
            "username); choose a longer phrase of unrelated words",
            "পাসওয়ার্ডটি সহজে অনুমেয় (প্রচলিত পাসওয়ার্ড, তার রূপভেদ বা ব্যবহারকারীর নাম); "
            "পরস্পর-সম্পর্কহীন কয়েকটি শব্দের দীর্ঘ বাক্যাংশ বেছে নিন",
        )


# ---------------------------------------------------------------- who is signed in


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
    session_epoch: int = 0

    @property
    def scope(self) -> Scope:
        return Scope(path=self.scope_path, office_id=self.scope_office_id)


@dataclass(frozen=True)
class SignInResult:
    user: SignedInUser | None
    # ok, bad-credentials (wrong password, unknown user, inactive account), throttled
    outcome: str
    wait_seconds: int = 0


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
        session_epoch=row.get("session_epoch") or 0,
    )


def _user_row(connection: Connection, *where) -> dict | None:
    row = connection.execute(select(User.__table__).where(*where)).mappings().first()
    return None if row is None else dict(row)


def session_user(engine: Engine, user_id: int, epoch: int) -> SignedInUser | None:
    """The user as the store has them now (scope, rights), or None when the session of this
    epoch is over: the user is gone, inactive, or their sessions were ended since."""
    with engine.connect() as connection:
        row = _user_row(connection, User.id == user_id)
        if row is None or not row["is_active"] or (row["session_epoch"] or 0) != epoch:
            return None
        return _signed_in(connection, row)


def user_by_email(engine: Engine, email: str) -> SignedInUser | None:
    """The user an identity provider (OpenID Connect) signed in, matched by e-mail."""
    with engine.connect() as connection:
        row = _user_row(
            connection, func.lower(User.email) == email.strip().lower(), User.is_active.is_(True)
        )
        return _signed_in(connection, row) if row else None


# ---------------------------------------------------------------- signing in


def _insert_missing(connection: Connection, key: str, now: dt.datetime) -> None:
    values = {"key": key, "attempts": 0, "window_start": now, "last_at": now}
    dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
    connection.execute(dialect.insert(SignInLimit).values(**values).on_conflict_do_nothing())


def _reserve(engine: Engine, key: str, limit: int, now: dt.datetime) -> int | None:
    """Count one attempt against `key` if its budget allows: None when reserved, else the
    seconds until its window ends. One UPDATE with the condition in its WHERE clause, so the
    database lets exactly `limit` attempts of a window through, however many arrive at once."""
    cutoff = now - WINDOW
    table = SignInLimit.__table__
    expired = table.c.window_start <= cutoff
    with engine.begin() as connection:
        _insert_missing(connection, key, now)
        reserved = connection.execute(
            update(table)
            .where(table.c.key == key, or_(expired, table.c.attempts < limit))
            .values(
                attempts=case((expired, 1), else_=table.c.attempts + 1),
                window_start=case((expired, now), else_=table.c.window_start),
                last_at=now,
            )
        ).rowcount
        if reserved:
            return None
        start = connection.scalar(select(table.c.window_start).where(table.c.key == key))
    if start.tzinfo is None:  # SQLite gives UTC wall time
        start = start.replace(tzinfo=dt.UTC)
    return max(1, int((start + WINDOW - now).total_seconds()))


def _give_back(engine: Engine, keys: list[str], reset: str | None = None) -> None:
    table = SignInLimit.__table__
    with engine.begin() as connection:
        for key in keys:
            connection.execute(
                update(table)
                .where(table.c.key == key, table.c.attempts > 0)
                .values(attempts=0 if key == reset else table.c.attempts - 1)
            )


def _budgets(name: str, address: str | None) -> list[tuple[str, int]]:
    keys = [(f"user:{name}"[:200], PER_USER)]
    if address:
        keys.append((f"address:{address}"[:200], PER_ADDRESS))
    keys.append(("all", IN_ALL))
    return keys


def sign_in(
    engine: Engine,
    username: str,
    password: str,
    address: str | None = None,
    now: dt.datetime | None = None,
) -> SignInResult:
    """Check a username and password from a client `address`, within the sign-in budgets."""
    now = now or utcnow()
    name = normalise_username(username)[:100]
    seen = {"address": address} if address else {}
    reserved: list[str] = []
    for key, limit in _budgets(name, address):
        wait = _reserve(engine, key, limit, now)
        if wait is not None:
            _give_back(engine, reserved)  # refused here: the other budgets are not spent
            _password_matches(None, password)  # the same work as any attempt
            audit.record_event(
                engine,
                name or "-",
                "sign-in-failed",
                object_type="user",
                details={"reason": "throttled", "budget": key.split(":")[0], **seen},
            )
            return SignInResult(None, "throttled", wait)
        reserved.append(key)
    with engine.connect() as connection:
        row = _user_row(connection, User.username == name) if name else None
    matches = _password_matches(row["password_hash"] if row else None, password)
    if row is None or not matches or not row["is_active"]:
        reason = "unknown-user" if row is None else "wrong-password" if not matches else "inactive"
        audit.record_event(
            engine,
            name or "-",
            "sign-in-failed",
            object_type="user",
            object_id=None if row is None else row["id"],
            details={"reason": reason, **seen},
        )
        return SignInResult(None, "bad-credentials")
    _give_back(engine, reserved, reset=f"user:{name}"[:200])
    _forget_old_limits(engine, now)
    with engine.begin() as connection:
        audit.record(connection, name, "sign-in", "user", row["id"], None, seen or None)
        return SignInResult(_signed_in(connection, row), "ok")


def _forget_old_limits(engine: Engine, now: dt.datetime) -> int:
    """Rows of windows long over (an attacker's random usernames) are removed."""
    with engine.begin() as connection:
        return connection.execute(
            delete(SignInLimit).where(SignInLimit.last_at < now - 4 * WINDOW)
        ).rowcount


# ---------------------------------------------------------------- administration


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
    """Add a user (no rights checked: `add_user` is the administrators' way in). The scope
    office must match the scope level (None only for cabinet)."""
    if scope_level not in SCOPE_LEVELS:
        raise ValueError(f"scope_level must be one of {SCOPE_LEVELS}")
    if (scope_level == "cabinet") != (scope_office_id is None):
        raise ValueError("cabinet users have no scope office; every other level needs one")
    username = check_username(username)
    result = connection.execute(
        insert(User).values(
            username=username,
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


def end_sessions(connection: Connection, user_id: int) -> None:
    """Every open session (and signed cookie) of the user ends at its next run."""
    connection.execute(
        update(User).where(User.id == user_id).values(session_epoch=User.session_epoch + 1)
    )


def set_password(connection: Connection, user_id: int, password: str) -> None:
    """A new password (not checked against the rules: `reset_password` does that); every
    session of the user ends."""
    connection.execute(
        update(User).where(User.id == user_id).values(password_hash=hash_password(password))
    )
    end_sessions(connection, user_id)


def update_user(connection: Connection, user_id: int, **values) -> None:
    """Change scope, rights or activity of a user (no rights checked: `change_user` is the
    administrators' way in). Deactivating ends the user's sessions."""
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
    if values.get("is_active") is False:
        end_sessions(connection, user_id)


def _actor(connection: Connection, actor: SignedInUser) -> SignedInUser:
    """The acting administrator as the store has them now."""
    row = _user_row(connection, User.id == actor.id)
    if row is None or not row["is_active"] or not row["is_admin"]:
        raise PermissionRefused(
            "only an active administrator may manage users",
            "শুধু সক্রিয় প্রশাসক ব্যবহারকারী ব্যবস্থাপনা করতে পারেন",
        )
    return _signed_in(connection, row)


def _office_path(connection: Connection, office_id: int | None) -> str | None:
    if office_id is None:
        return None
    return connection.scalar(select(Office.path).where(Office.id == office_id))


def _within(actor: SignedInUser, scope_path: str | None, level: str) -> bool:
    """A scope (the whole tree when `scope_path` is None) lies inside the actor's."""
    if actor.scope.is_everything:
        return True
    return level != "cabinet" and scope_path is not None and actor.scope.contains(scope_path)


def _refuse(connection_engine, actor: SignedInUser, what: str, en: str, bn: str):
    audit.record_event(
        connection_engine, actor.username, "permission-refused", details={"what": what}
    )
    return PermissionRefused(en, bn)


def _outside(engine, actor, what) -> PermissionRefused:
    return _refuse(
        engine,
        actor,
        what,
        "that is outside your scope: an administrator manages users within their own part of "
        "the office tree and grants no more than they hold",
        "এটি আপনার এখতিয়ারের বাইরে: প্রশাসক কেবল নিজের অংশের ব্যবহারকারী ব্যবস্থাপনা করেন এবং "
        "নিজের চেয়ে বেশি অধিকার দেন না",
    )


def _check_grant(connection, engine, actor: SignedInUser, values: dict, what: str) -> None:
    """The new scope and rights are within what the actor holds."""
    level = values.get("scope_level")
    if level is not None:
        if level not in SCOPE_LEVELS:
            raise UserError(f"unknown scope level {level!r}", f"অজানা এখতিয়ার {level!r}")
        office_id = values.get("scope_office_id")
        if (level == "cabinet") != (office_id is None):
            raise UserError(
                "choose the office of the scope (every scope but the whole tree has one)",
                "এখতিয়ারের অফিস বেছে নিন (পুরো গাছ ছাড়া প্রতিটি এখতিয়ারের একটি অফিস থাকে)",
            )
        office_level = connection.scalar(select(Office.level).where(Office.id == office_id))
        if office_id is not None and office_level not in SCOPE_OFFICE_LEVELS[level]:
            raise UserError(
                "the office does not match the scope level",
                "অফিসটি এখতিয়ারের স্তরের সাথে মেলে না",
            )
        if not _within(actor, _office_path(connection, office_id), level):
            raise _outside(engine, actor, what)
    if values.get("can_upload") and not actor.can_upload:
        raise _outside(engine, actor, what)
    if values.get("is_admin") and not actor.is_admin:
        raise _outside(engine, actor, what)


def _target(connection, engine, actor: SignedInUser, user_id: int, what: str) -> dict:
    row = _user_row(connection, User.id == user_id)
    if row is None:
        raise UserError("no such user", "এমন ব্যবহারকারী নেই")
    path = _office_path(connection, row["scope_office_id"])
    if not _within(actor, path, row["scope_level"]):
        raise _outside(engine, actor, what)
    return row


def add_user(engine: Engine, actor: SignedInUser, **user) -> int:
    """An administrator adds a user within their scope, with no more rights than they hold;
    the user-created event in the same transaction. UserError (PermissionRefused) otherwise."""
    username = check_username(user.get("username", ""))
    if user.get("password") is not None:
        check_password(user["password"], username)
    with engine.begin() as connection:
        admin = _actor(connection, actor)
        _check_grant(connection, engine, admin, user, f"create user {username}")
        if _user_row(connection, User.username == username) is not None:
            raise UserError("that username is taken", "এই নামে ব্যবহারকারী আগেই আছে")
        user_id = create_user(connection, **{**user, "username": username})
        audit.record(
            connection,
            admin.username,
            "user-created",
            "user",
            user_id,
            user.get("scope_office_id"),
            {k: user.get(k) for k in ("username", "scope_level", "can_upload", "is_admin")}
            | {"username": username},
        )
    return user_id


def change_user(engine: Engine, actor: SignedInUser, user_id: int, **values) -> None:
    """An administrator changes a user within their scope (scope, rights, activity)."""
    with engine.begin() as connection:
        admin = _actor(connection, actor)
        target = _target(connection, engine, admin, user_id, f"change user {user_id}")
        if "scope_level" in values or "scope_office_id" in values:
            values.setdefault("scope_level", target["scope_level"])
            values.setdefault("scope_office_id", target["scope_office_id"])
        _check_grant(connection, engine, admin, values, f"change user {target['username']}")
        update_user(connection, user_id, **values)
        audit.record(
            connection,
            admin.username,
            "user-changed",
            "user",
            user_id,
            values.get("scope_office_id", target["scope_office_id"]),
            {"username": target["username"], **values},
        )


def reset_password(engine: Engine, actor: SignedInUser, user_id: int, password: str) -> None:
    """An administrator sets a new password (the rules apply); the user's sessions end and
    their sign-in budget is restored."""
    with engine.begin() as connection:
        admin = _actor(connection, actor)
        target = _target(connection, engine, admin, user_id, f"reset password {user_id}")
        check_password(password, target["username"])
        set_password(connection, user_id, password)
        connection.execute(
            delete(SignInLimit).where(SignInLimit.key == f"user:{target['username']}")
        )
        audit.record(connection, admin.username, "password-changed", "user", user_id)


def unlock(engine: Engine, actor: SignedInUser, user_id: int) -> None:
    """An administrator restores a user's sign-in budget (after someone guessed at it)."""
    with engine.begin() as connection:
        admin = _actor(connection, actor)
        target = _target(connection, engine, admin, user_id, f"unlock {user_id}")
        connection.execute(
            delete(SignInLimit).where(SignInLimit.key == f"user:{target['username']}")
        )
        audit.record(connection, admin.username, "user-unlocked", "user", user_id)


def sign_out_everywhere(engine: Engine, actor: SignedInUser, user_id: int) -> None:
    """An administrator (or the user themself) ends every open session of the user."""
    with engine.begin() as connection:
        if actor.id != user_id:
            admin = _actor(connection, actor)
            _target(connection, engine, admin, user_id, f"end sessions {user_id}")
        end_sessions(connection, user_id)
        audit.record(connection, actor.username, "sessions-ended", "user", user_id)


def require_national_admin(connection: Connection, engine: Engine, actor) -> SignedInUser:
    """The acting administrator, if their scope is the whole tree (the rule sets are the
    whole country's); PermissionRefused otherwise."""
    if not isinstance(actor, SignedInUser):
        raise TypeError("the actor is the signed-in user, not a name")
    admin = _actor(connection, actor)
    if not admin.scope.is_everything:
        raise _refuse(
            engine,
            admin,
            "change rule sets",
            "only a national administrator changes the rule sets (they apply to every office)",
            "নিয়মের সেট কেবল জাতীয় পর্যায়ের প্রশাসক বদলাতে পারেন (এগুলো সব অফিসে প্রযোজ্য)",
        )
    return admin


# What an unknown user's password is checked against, so every attempt costs one Argon2
# verification: the hash of "not a real password" (no account's), with the hasher's own
# parameters (tests/test_security.py checks they match). Written out rather than hashed when
# the module is imported: that hash was 150 ms of the first page's run.
_DUMMY_HASH = (
    "$argon2id$v=19$m=65536,t=3,p=4$ot8Q8AoYSAsZF0vmi1mOLw$"
    "nmj49K/gU0LOAir6e/It0IlvrFmxe+y9y/WyUj8vkJA"
)


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


def users_frame(engine: Engine, scope: Scope) -> pd.DataFrame:
    """The users an administrator of `scope` manages, with the office of their scope."""
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
    if not scope.is_everything:
        query = query.where(
            and_(User.scope_office_id.is_not(None), scope.office_filter(Office.path))
        )
    with engine.connect() as connection:
        return pd.DataFrame(
            connection.execute(query).mappings().all(), columns=query.selected_columns.keys()
        )


def office_level(engine: Engine, office_id: int) -> str | None:
    with engine.connect() as connection:
        return connection.scalar(select(Office.level).where(Office.id == office_id))


def scopes_in_use(engine: Engine, limit: int) -> list[Scope]:
    """Up to `limit` scopes of active users below everything (a ministry's, an agency's, an
    office's), for the cache to compute their first views ahead (dashboard/warm.py): those
    whose browser sessions were used last first (data/sessions.py records each sign-in and
    use), then the rest by how many active users hold them, then by office."""
    last_used = func.max(BrowserSession.last_seen_at)
    query = (
        select(User.scope_office_id, Office.path)
        .join(Office, Office.id == User.scope_office_id)
        .outerjoin(BrowserSession, BrowserSession.user_id == User.id)
        .where(User.is_active.is_(True))
        .group_by(User.scope_office_id, Office.path)
        .order_by(
            last_used.is_(None),
            last_used.desc(),
            func.count(func.distinct(User.id)).desc(),
            User.scope_office_id,
        )
        .limit(limit)
    )
    with engine.connect() as connection:
        return [Scope(path, office_id) for office_id, path in connection.execute(query)]
