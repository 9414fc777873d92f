"""Issue 11, findings 2, 4, 5, 6 and 8, each reproducing the attack the issue describes:
sessions that outlive the user store, parallel guessing, administrators beyond their scope,
echoed links, and an audit trail someone edits. On the database the suite runs on."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
import threading

import pytest
from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.exc import DatabaseError
from streamlit.testing.v1 import AppTest

from dashboard.escape import bounded_int, literal
from data import audit, users
from data.db import ROOT
from data.master import find_office, load_master_data
from data.models import AuditEvent, Office, User
from data.rules import rule_sets, update_rules
from data.scope import EVERYTHING
from data.users import (
    PER_ADDRESS,
    PER_USER,
    PermissionRefused,
    UserError,
    add_user,
    change_user,
    check_password,
    check_username,
    create_user,
    reset_password,
    session_user,
    sign_in,
    unlock,
    users_frame,
)
from tests.conftest import app

PASSWORD = "river stone lantern quietly"


@pytest.fixture
def world(engine):
    """Master data and four users: a national admin, the ICT Division's admin, an uploader of
    the ICT Division, and one of the Department of Co-operatives."""
    with engine.begin() as connection:
        load_master_data(connection)
        ictd = find_office(connection, "min:ictd")
        doc = find_office(connection, "ag:doc")
        create_user(connection, "national", "National", PASSWORD, "cabinet", None, True, True)
        create_user(connection, "ictd-admin", "ICTD admin", PASSWORD, "ministry", ictd, True, True)
        create_user(connection, "ictd-up", "ICTD uploader", PASSWORD, "ministry", ictd, True)
        create_user(connection, "doc-up", "DoC uploader", PASSWORD, "agency", doc, True)
    return engine


def login(engine, name):
    result = sign_in(engine, name, PASSWORD)
    assert result.outcome == "ok", result
    return result.user


def user_id(engine, name) -> int:
    with engine.connect() as connection:
        return connection.scalar(select(User.id).where(User.username == name))


# ---------------------------------------------------------------- 2. sessions


def test_a_deactivated_users_open_session_is_refused(world, monkeypatch):
    """Before: the deactivated user kept their session and imported."""
    uploader = login(world, "ictd-up")
    at = app(world, monkeypatch, uploader, page="upload")
    assert not at.exception and at.title[0].value == "Upload"
    change_user(world, login(world, "ictd-admin"), uploader.id, is_active=False)
    at.run()  # the same open session, its next run
    assert not at.exception
    assert [t.value for t in at.title] == ["Sign in"]
    assert "user" not in at.session_state
    assert "session has ended" in at.warning[0].value
    assert session_user(world, uploader.id, uploader.session_epoch) is None
    ended = audit.events(world, EVERYTHING, action="session-ended")
    assert list(ended["username"]) == ["ictd-up"]


def test_a_session_takes_the_stores_scope_and_rights_at_every_run(world, monkeypatch):
    """Before: a user moved to a smaller scope, or stripped of upload rights, kept the old
    ones until they signed out."""
    uploader = login(world, "ictd-up")
    at = app(world, monkeypatch, uploader)
    with world.connect() as connection:
        bcc = find_office(connection, "ag:bcc")  # an agency of the ICT Division
    change_user(
        world, login(world, "national"), uploader.id, scope_level="agency", scope_office_id=bcc
    )
    change_user(world, login(world, "national"), uploader.id, can_upload=False)
    at.run()
    assert not at.exception
    fresh = at.session_state["user"]
    assert fresh.scope_office_id == bcc and not fresh.can_upload
    with pytest.raises(Exception):  # noqa: B017, PT011 -- the upload page is gone from its navigation
        at.switch_page("dashboard/pages/upload.py").run()


def test_a_password_change_and_sign_out_everywhere_end_every_session(world):
    first, second = login(world, "doc-up"), login(world, "doc-up")
    reset_password(world, login(world, "national"), first.id, "an entirely new passphrase")
    assert session_user(world, first.id, first.session_epoch) is None
    assert session_user(world, second.id, second.session_epoch) is None
    third = sign_in(world, "doc-up", "an entirely new passphrase").user
    assert session_user(world, third.id, third.session_epoch) is not None
    users.sign_out_everywhere(world, third, third.id)
    assert session_user(world, third.id, third.session_epoch) is None


def test_an_idle_session_ends(world, monkeypatch):
    at = app(world, monkeypatch, login(world, "doc-up"))
    at.session_state["last_seen"] = at.session_state["last_seen"] - 31 * 60
    at.run()
    assert [t.value for t in at.title] == ["Sign in"]
    assert "without use" in at.warning[0].value


def test_a_sessions_use_is_written_once_a_minute_not_at_every_run(world, monkeypatch):
    """Every run used to write the browser session's last use (on SQLite an UPDATE, which
    waits for the write lock while an import commits): now once per TOUCH_EVERY."""
    from dashboard import auth
    from data.sessions import open_session

    writes = []
    monkeypatch.setattr(auth, "touch", lambda engine, cookie: writes.append(cookie))
    user = login(world, "doc-up")
    at = app(world, monkeypatch, user)  # signed in without a recorded use: written now
    cookie = open_session(world, user)
    at.session_state["session_cookie"] = cookie
    at.run()
    at.run()
    assert len(writes) == 1
    at.session_state["touched_at"] = at.session_state["touched_at"] - 61
    at.run()
    assert len(writes) == 2 and writes[-1] == cookie


# ---------------------------------------------------------------- 4. sign-in


def _burst(engine, attempts: list[tuple[str, str, str | None]]) -> list[str]:
    """All attempts at once, each on its own thread (Argon2 releases the GIL)."""
    barrier = threading.Barrier(len(attempts))
    outcomes: list[str] = [""] * len(attempts)

    def attempt(n, name, password, address):
        barrier.wait()
        outcomes[n] = sign_in(engine, name, password, address=address).outcome

    threads = [threading.Thread(target=attempt, args=(n, *a)) for n, a in enumerate(attempts)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


def test_a_parallel_burst_gets_exactly_the_permitted_attempts(world):
    """Before: 15 of 20 parallel attempts got past the throttle."""
    outcomes = _burst(world, [("doc-up", f"guess {n}", "10.0.0.1") for n in range(20)])
    assert outcomes.count("bad-credentials") == PER_USER
    assert outcomes.count("throttled") == 20 - PER_USER
    # The budget is spent: even the right password waits; an administrator can unlock.
    assert sign_in(world, "doc-up", PASSWORD).outcome == "throttled"
    unlock(world, login(world, "national"), user_id(world, "doc-up"))
    assert sign_in(world, "doc-up", PASSWORD).outcome == "ok"
    failed = audit.events(world, EVERYTHING, username="doc-up", action="sign-in-failed")
    reasons = failed["details"].map(lambda d: d["reason"]).value_counts().to_dict()
    assert reasons == {"wrong-password": PER_USER, "throttled": 20 - PER_USER + 1}


def test_unknown_usernames_are_throttled_alike_and_one_address_is_budgeted(world):
    outcomes = _burst(world, [(f"nobody-{n}", "guess", "10.0.0.2") for n in range(PER_ADDRESS + 6)])
    assert outcomes.count("bad-credentials") == PER_ADDRESS
    assert outcomes.count("throttled") == 6
    # Another address is not held back by that one.
    assert sign_in(world, "doc-up", PASSWORD, address="10.0.0.3").outcome == "ok"


def test_the_global_ceiling(world, monkeypatch):
    monkeypatch.setattr(users, "IN_ALL", 3)
    outcomes = [sign_in(world, f"x{n}", "guess", address=f"10.1.0.{n}").outcome for n in range(5)]
    assert outcomes == ["bad-credentials"] * 3 + ["throttled"] * 2


def test_one_message_and_one_argon2_check_on_every_path(world, monkeypatch):
    calls = []
    real = users._hasher

    class Counted:  # the real hasher, its verifications counted
        def verify(self, hash_, password):
            calls.append(hash_)
            return real.verify(hash_, password)

    monkeypatch.setattr(users, "_hasher", Counted())
    with world.begin() as connection:
        connection.execute(update(User).where(User.username == "ictd-up").values(is_active=False))
    paths = {
        "wrong password": ("doc-up", "not it"),
        "unknown user": ("no-such-user", "not it"),
        "inactive account": ("ictd-up", PASSWORD),
    }
    for name, password in paths.values():
        calls.clear()
        assert sign_in(world, name, password).outcome == "bad-credentials"
        assert len(calls) == 1
    for _ in range(PER_USER):
        sign_in(world, "doc-up", "not it")
    calls.clear()
    assert sign_in(world, "doc-up", PASSWORD).outcome == "throttled"
    assert len(calls) == 1  # the dummy hash: a throttled answer takes as long as any


# ---------------------------------------------------------------- 5. administration


def test_a_ministry_administrator_cannot_grant_national_scope(world):
    """Before: the ICT Division's administrator made a national administrator."""
    ictd_admin = login(world, "ictd-admin")
    with pytest.raises(PermissionRefused):
        add_user(
            world,
            ictd_admin,
            username="promoted",
            display_name="Promoted",
            password="a perfectly long passphrase",
            scope_level="cabinet",
            scope_office_id=None,
            is_admin=True,
        )
    with world.connect() as connection:
        commerce = find_office(connection, "min:commerce")
    with pytest.raises(PermissionRefused):  # nor a scope outside the ICT Division
        add_user(
            world,
            ictd_admin,
            username="elsewhere",
            display_name="Elsewhere",
            password="a perfectly long passphrase",
            scope_level="ministry",
            scope_office_id=commerce,
        )
    with pytest.raises(PermissionRefused):  # nor change a user outside it
        change_user(world, ictd_admin, user_id(world, "doc-up"), is_active=False)
    with pytest.raises(PermissionRefused):  # nor promote one of its own to the whole tree
        change_user(
            world,
            ictd_admin,
            user_id(world, "ictd-up"),
            scope_level="cabinet",
            scope_office_id=None,
        )
    with pytest.raises(PermissionRefused):  # nor change the country's rule sets
        update_rules(world, ictd_admin, 1, lagging_threshold=10.0, between_levels="step")
    assert float(rule_sets(world).set_index("id").loc[1, "lagging_threshold"]) == 80.0
    with world.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(User)) == 4
    refused = audit.events(world, EVERYTHING, action="permission-refused")
    assert len(refused) == 5 and set(refused["username"]) == {"ictd-admin"}
    # Within its subtree it may.
    bcc = None
    with world.connect() as connection:
        bcc = find_office(connection, "ag:bcc")
    add_user(
        world,
        ictd_admin,
        username="bcc-viewer",
        display_name="BCC viewer",
        password="a perfectly long passphrase",
        scope_level="agency",
        scope_office_id=bcc,
    )
    seen = set(users_frame(world, ictd_admin.scope)["username"])
    assert seen == {"ictd-admin", "ictd-up", "bcc-viewer"}


def test_the_admin_page_of_a_ministry_administrator(world, monkeypatch):
    at = app(world, monkeypatch, login(world, "ictd-admin"), page="admin")
    assert not at.exception
    shown = set(at.dataframe[0].value["username"])
    assert shown == {"ictd-admin", "ictd-up"}
    level = at.selectbox(key="new-level")
    assert level.value is None  # no default scope
    assert "cabinet" not in level.options and "Cabinet Division (everything)" not in level.options
    assert "only national administrators" in at.info[0].value
    assert "Save and rescore" not in [button.label for button in at.button]


def test_the_dummy_hash_costs_what_a_real_one_does():
    """Unknown usernames are checked against a fixed hash: with the hasher's parameters, so
    their answer takes as long as a real account's."""
    assert not users._hasher.check_needs_rehash(users._DUMMY_HASH)
    assert users._hasher.verify(users._DUMMY_HASH, "not a real password")


@pytest.mark.parametrize(
    ("typed", "stored"), [("  Rahim.Uddin ", "rahim.uddin"), ("ＡＢＣ", "abc")]
)
def test_usernames_are_normalised(typed, stored):
    assert check_username(typed) == stored


@pytest.mark.parametrize(
    "bad", ["", "  ", "ab", "admin\u200b", "আমি", "a b c", "cli:root", "x" * 65]
)
def test_usernames_outside_the_whitelist_are_refused(bad):
    with pytest.raises(UserError):
        check_username(bad)


@pytest.mark.parametrize(
    "weak",
    ["short1!", "password1234", "PasswordPassword", "Q1w2e3r4t5y6!", "aaaaaaaaaaaaaaa"],
)
def test_weak_passwords_are_refused(weak):
    with pytest.raises(UserError):
        check_password(weak, "someone")


def test_a_good_password_and_the_username_rule():
    check_password("river stone lantern quietly", "someone")
    with pytest.raises(UserError):
        check_password("someone-is-here-2024", "someone")


# ---------------------------------------------------------------- 6. echoed input


def test_a_crafted_link_is_shown_as_text(world, monkeypatch):
    """Before: `?office=[Session expired…](http://…)` rendered a live link (and an image)."""
    hostile = (
        "[Session expired, sign in here](http://evil.example/x) ![i](http://evil.example/p.png)"
    )
    monkeypatch.setenv("APA_DATABASE_URL", world.url.render_as_string(hide_password=False))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = "en"
    at.session_state["user"] = login(world, "national")
    at.run()
    at.switch_page("dashboard/pages/office.py")
    at.query_params["office"] = hostile
    at.run()
    assert not at.exception
    message = at.error[0].value
    assert "](" not in message and "\\[Session expired" in message and "\\]\\(http\\:" in message


@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("drilldown", {"node": "9" * 30}),
        ("lagging", {"ministry": "9" * 30, "who": "x" * 5_000}),
        ("office", {"office": "১২"}),
        (None, {"q": "9" * 30, "fy": "[x](http://e.x)"}),
    ],
)
def test_huge_or_odd_link_values_get_a_message_not_a_traceback(world, monkeypatch, page, params):
    monkeypatch.setenv("APA_DATABASE_URL", world.url.render_as_string(hide_password=False))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = "en"
    at.session_state["user"] = login(world, "national")
    at.run()
    if page:
        at.switch_page(f"dashboard/pages/{page}.py")
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    assert at.error or page == "lagging"


@pytest.mark.parametrize("raw", ["99999999999999999999999", "১২", "-1", "1e3", "2147483648", " 7"])
def test_integers_from_links_are_bounded(raw):
    assert bounded_int(raw) is None


def test_literal_leaves_no_markdown():
    assert literal("a*b*\n# c [d](e)") == "a\\*b\\* # c \\[d\\]\\(e\\)"
    assert literal("# c") == "\\# c" and literal("- x") == "\\- x"
    assert literal("12. x").startswith("12\\.")
    assert len(literal("x" * 1000)) == 200


def test_errors_show_no_details_to_users():
    config = (ROOT / ".streamlit" / "config.toml").read_text()
    assert 'showErrorDetails = "none"' in config


# ---------------------------------------------------------------- 8. the audit trail


def test_the_application_cannot_change_an_audit_row(world, database_kind):
    """Before: on PostgreSQL the application's role updated and deleted audit rows."""
    sign_in(world, "doc-up", PASSWORD)
    sign_in(world, "doc-up", "wrong")
    with world.connect() as connection:
        first = connection.scalar(select(func.min(AuditEvent.id)))
        before = connection.execute(select(AuditEvent).order_by(AuditEvent.id)).all()
    for statement in (
        update(AuditEvent).where(AuditEvent.id == first).values(username="someone-else"),
        delete(AuditEvent).where(AuditEvent.id == first),
        delete(AuditEvent),
    ):
        with pytest.raises(DatabaseError, match="insert-only"), world.begin() as connection:
            connection.execute(statement)
    if database_kind == "postgresql":
        with pytest.raises(DatabaseError, match="insert-only"), world.begin() as connection:
            connection.execute(text("TRUNCATE audit_events CASCADE"))
    with world.connect() as connection:
        assert connection.execute(select(AuditEvent).order_by(AuditEvent.id)).all() == before
    count, broken, newest = audit.verify(world)
    assert broken is None and count == len(before) and newest == before[-1].hash


def test_the_chain_shows_an_edit_made_past_the_triggers(world, database_kind):
    for n in range(3):
        sign_in(world, "doc-up", f"wrong {n}")
    with world.connect() as connection:
        ids = connection.scalars(select(AuditEvent.id).order_by(AuditEvent.id)).all()
    with world.begin() as connection:  # the owner, switching the triggers off
        if database_kind == "postgresql":
            connection.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            connection.execute(text("DROP TRIGGER audit_events_no_update"))
        connection.execute(
            update(AuditEvent).where(AuditEvent.id == ids[1]).values(username="someone-else")
        )
    count, broken, _ = audit.verify(world)
    assert (count, broken) == (1, ids[1])
    url = world.url.render_as_string(hide_password=False)
    done = subprocess.run(
        [sys.executable, "-m", "data.audit", "verify"],
        cwd=ROOT,
        env={"APA_DATABASE_URL": url, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and f"BROKEN at event {ids[1]}" in done.stderr


def test_the_chain_holds_under_concurrent_writers(world):
    def write(n):
        for k in range(5):
            audit.record_event(world, f"writer-{n}", "download", object_id=k)

    threads = [threading.Thread(target=write, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    count, broken, _ = audit.verify(world)
    assert broken is None and count == 30


def test_the_command_line_records_the_operating_system_user(world, tmp_path):
    """Before: `--user` said who imported, whatever it said."""
    import getpass

    from tests.test_loader_checks import write_workbook

    path = write_workbook(tmp_path / "cli.xlsx")
    url = world.url.render_as_string(hide_password=False)
    done = subprocess.run(
        [sys.executable, "-m", "loaders", "import", str(path), "--user", "the-minister"],
        cwd=ROOT,
        env={"APA_DATABASE_URL": url, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    (event,) = (
        audit.events(world, EVERYTHING, action="import")
        .query("object_type == 'submission'")
        .itertuples()
    )
    assert event.username == f"cli:{getpass.getuser()}"
    assert event.details["on_behalf_of"] == "the-minister"


def test_template_downloads_are_on_record(world):
    from loaders.template import template_bytes

    template_bytes(world, office="ag:doc", fiscal_year="2024-25", downloaded_by="doc-up")
    (event,) = audit.events(world, EVERYTHING, action="template-download").itertuples()
    assert event.username == "doc-up"
    with world.connect() as connection:
        doc = find_office(connection, "ag:doc")
        assert (
            connection.scalar(
                select(AuditEvent.office_id).where(AuditEvent.action == "template-download")
            )
            == doc
        )


def test_audit_rows_never_fail_on_long_typed_names(world):
    outcome = sign_in(world, "x" * 5_000, "guess")
    assert outcome.outcome == "bad-credentials"
    with world.connect() as connection:
        assert (
            connection.scalar(select(func.max(func.length(AuditEvent.username))))
            <= audit.USERNAME_LENGTH
        )


def test_audit_insert_works_for_every_office(world):
    with world.begin() as connection:
        office = connection.scalar(select(Office.id).limit(1))
        audit.record(connection, "x", "download", "table", "t", office, {"d": dt.date(2024, 1, 2)})
    assert audit.verify(world)[1] is None
    # A raw insert with no hash is refused by the schema.
    with pytest.raises(DatabaseError), world.begin() as connection:
        connection.execute(
            insert(AuditEvent).values(at=dt.datetime.now(dt.UTC), username="x", action="x")
        )
