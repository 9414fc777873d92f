"""Sign-in, password storage, throttling, scopes and the audit trail, on a real database."""

import datetime as dt

import pytest
from sqlalchemy import insert, select

from data import audit
from data.models import Office, User
from data.scope import EVERYTHING
from data.users import PER_USER, create_user, sign_in, update_user, user_by_email

PASSWORD = "correct horse battery staple"


@pytest.fixture
def tree(engine):
    """A ministry with an agency, and a second ministry."""
    rows = [
        dict(
            id=1,
            code="min:a",
            name_bn="ক মন্ত্রণালয়",
            name_en="Ministry A",
            level="ministry",
            parent_id=None,
            ministry_id=1,
            path="/1/",
        ),
        dict(
            id=2,
            code="ag:a1",
            name_bn="ক অধিদপ্তর",
            name_en="Agency A1",
            level="agency",
            parent_id=1,
            ministry_id=1,
            agency_id=2,
            path="/1/2/",
        ),
        dict(
            id=3,
            code="min:b",
            name_bn="খ মন্ত্রণালয়",
            name_en="Ministry B",
            level="ministry",
            parent_id=None,
            ministry_id=3,
            path="/3/",
        ),
    ]
    with engine.begin() as connection:
        connection.execute(insert(Office), rows)
        create_user(
            connection,
            "ministry-a",
            "Ministry A viewer",
            PASSWORD,
            "ministry",
            1,
            email="A@Example.gov.bd",
        )
        create_user(connection, "cabinet", "Cabinet", PASSWORD, "cabinet", None, is_admin=True)
    return engine


def test_password_is_never_stored_in_clear(tree):
    with tree.connect() as connection:
        stored = connection.execute(select(User.password_hash)).scalars().all()
    assert all(h.startswith("$argon2id$") and PASSWORD not in h for h in stored)


def test_sign_in_gives_the_scope_of_the_office(tree):
    result = sign_in(tree, "ministry-a", PASSWORD)
    assert result.outcome == "ok"
    assert result.user.scope.path == "/1/"
    assert result.user.scope.contains("/1/2/")
    assert not result.user.scope.contains("/3/")
    cabinet = sign_in(tree, "cabinet", PASSWORD).user
    assert cabinet.scope.is_everything and cabinet.is_admin


def test_wrong_password_and_unknown_user_look_the_same(tree):
    assert sign_in(tree, "ministry-a", "wrong").outcome == "bad-credentials"
    assert sign_in(tree, "nobody", "wrong").outcome == "bad-credentials"


def test_repeated_failures_are_throttled(tree):
    start = dt.datetime(2026, 1, 1, 10, 0, tzinfo=dt.UTC)
    for i in range(PER_USER):
        attempt = sign_in(tree, "ministry-a", "wrong", now=start + dt.timedelta(seconds=i))
        assert attempt.outcome == "bad-credentials"
    # The next attempt, even with the right password, must wait for the window to pass.
    soon = sign_in(tree, "ministry-a", PASSWORD, now=start + dt.timedelta(seconds=10))
    assert soon.outcome == "throttled" and 0 < soon.wait_seconds <= 15 * 60
    later = sign_in(tree, "ministry-a", PASSWORD, now=start + dt.timedelta(minutes=16))
    assert later.outcome == "ok"
    # A success gives the budget back.
    again = sign_in(tree, "ministry-a", "wrong", now=start + dt.timedelta(minutes=17))
    assert again.outcome == "bad-credentials"


def test_inactive_user_cannot_sign_in(tree):
    with tree.begin() as connection:
        uid = connection.execute(select(User.id).where(User.username == "ministry-a")).scalar()
        update_user(connection, uid, is_active=False)
    # The same answer as a wrong password: nobody learns the account exists.
    assert sign_in(tree, "ministry-a", PASSWORD).outcome == "bad-credentials"


def test_identity_provider_users_match_by_email(tree):
    assert user_by_email(tree, "a@example.gov.bd").username == "ministry-a"
    assert user_by_email(tree, "stranger@example.com") is None


def test_scope_must_match_level(tree):
    with tree.begin() as connection, pytest.raises(ValueError, match="scope office"):
        create_user(connection, "x", "X", PASSWORD, "agency", None)


def test_audit_trail_is_filtered_by_scope(tree):
    with tree.begin() as connection:
        audit.record(connection, "ministry-a", "download", "table", "lagging", office_id=2)
        audit.record(connection, "cabinet", "import", "submission", 7, office_id=3)
    everything = audit.events(tree, EVERYTHING)
    assert list(everything["action"]) == ["import", "download"]
    ministry_a = sign_in(tree, "ministry-a", PASSWORD).user.scope
    mine = audit.events(tree, ministry_a)
    assert list(mine["username"]) == ["ministry-a"]
    assert audit.events(tree, EVERYTHING, action="import")["object_id"].tolist() == ["7"]
    with pytest.raises(ValueError, match="unknown audit action"), tree.begin() as connection:
        audit.record(connection, "x", "hack")
