"""Each role sees and changes only its part of the office tree: sign-in, queries, pages,
crafted URL parameters, uploads and the audit trail, on a demo database of their own."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

from data import audit, queries
from data.master import find_office
from data.models import AuditEvent, Office, Submission, User
from data.rules import rule_sets, update_rules
from data.scope import EVERYTHING
from data.users import DEMO_PASSWORD, add_user, sign_in
from demo import build_demo
from loaders.pipeline import import_file
from tests.conftest import app, new_database
from tests.test_loader_checks import write_workbook

ROLES = ["admin", "cabinet", "viewer", "ministry", "agency", "office"]


@pytest.fixture(scope="module")
def world(_template, tmp_path_factory):
    """A default demo database these tests may write to (sign-ins, uploads, audit events)."""
    engine, drop = new_database(_template, tmp_path_factory.mktemp("access"))
    build_demo(engine)
    yield engine
    drop()


def user_of(engine, name):
    result = sign_in(engine, name, DEMO_PASSWORD)
    assert result.outcome == "ok", result
    return result.user


def _events(engine, action):
    with engine.connect() as connection:
        return connection.scalar(
            select(func.count()).select_from(AuditEvent).where(AuditEvent.action == action)
        )


# ---------------------------------------------------------------- signing in


def test_nothing_shows_before_sign_in(world, monkeypatch):
    at = app(world, monkeypatch)
    assert not at.exception
    assert [t.value for t in at.title] == ["Sign in"]
    assert not at.metric and not at.dataframe
    assert any("demo1234" in i.value for i in at.info)  # demo accounts, on a demo database
    # The one chart under the form (plotly.js loading while the person types) holds nothing.
    (chart,) = at.get("plotly_chart")
    assert json.loads(chart.proto.spec)["data"] == []


def test_crafted_page_url_before_sign_in_shows_only_the_form(world, monkeypatch):
    at = app(world, monkeypatch, page="lagging", office=1)
    assert [t.value for t in at.title] == ["Sign in"] and not at.dataframe


def test_sign_in_through_the_form(world, monkeypatch):
    failed_before, ok_before = _events(world, "sign-in-failed"), _events(world, "sign-in")
    at = app(world, monkeypatch)
    at.text_input(key="sign-in-username").input("ministry")
    at.text_input(key="sign-in-password").input("wrong password")
    at.button[0].click().run()
    assert "Wrong username or password" in at.error[0].value
    assert _events(world, "sign-in-failed") == failed_before + 1
    at.text_input(key="sign-in-username").input("ministry")
    at.text_input(key="sign-in-password").input(DEMO_PASSWORD)
    at.button[0].click().run()
    assert not at.exception
    assert at.session_state["user"].username == "ministry"
    assert at.metric  # the overview
    assert _events(world, "sign-in") == ok_before + 1


def test_passwords_are_hashed(world):
    with world.connect() as connection:
        hashes = connection.scalars(select(User.password_hash)).all()
    assert hashes and all(h.startswith("$argon2id$") and DEMO_PASSWORD not in h for h in hashes)


# ---------------------------------------------------------------- what each role sees


@pytest.mark.parametrize("role", ROLES)
def test_queries_stay_inside_the_scope(world, role):
    user = user_of(world, role)
    scope = user.scope
    everything = queries.offices(world, EVERYTHING)
    mine = queries.offices(world, scope)
    assert not mine.empty
    if scope.is_everything:
        assert len(mine) == len(everything)
        return
    paths = set(mine["path"]) if "path" in mine else None
    assert len(mine) < len(everything)
    if paths is not None:
        assert all(p.startswith(scope.path) for p in paths)
    lagging = queries.lagging(world, scope, "2024-25", 2, limit=None)
    assert set(lagging["office_id"]) <= set(mine["id"])
    composites = queries.office_composites(world, scope, "2024-25", 2)
    assert set(composites["office_id"]) <= set(mine["id"])


@pytest.mark.parametrize("role", ["ministry", "agency", "office"])
def test_a_crafted_office_url_outside_the_scope_shows_nothing(world, monkeypatch, role):
    user = user_of(world, role)
    with world.connect() as connection:
        outside = find_office(connection, "min:commerce")
        inside = user.scope_office_id
    at = app(world, monkeypatch, user, page="office", office=outside)
    assert not at.exception
    assert "outside your scope" in at.error[0].value
    # The page falls back to the user's own office (issue 13), never the one outside.
    shown = {h.value for h in at.subheader}
    assert not shown & names_of(world, outside) and shown & names_of(world, inside)
    at = app(world, monkeypatch, user, page="office", office=inside)
    assert not at.exception and not at.error


@pytest.mark.parametrize("role", ROLES)
def test_every_page_of_the_role_renders_and_others_are_absent(world, monkeypatch, role):
    user = user_of(world, role)
    pages = ["overview", "league", "calendar", "drilldown", "office", "lagging"]
    pages += ["upload"] if user.can_upload else []
    pages += ["admin", "audit"] if user.is_admin else []
    for page in pages:
        at = app(world, monkeypatch, user, page=None if page == "overview" else page)
        assert not at.exception, (role, page, at.exception)
    for page in {"upload", "admin", "audit"} - set(pages):
        at = app(world, monkeypatch, user)
        with pytest.raises(Exception):  # noqa: B017, PT011 -- AppTest refuses a page the navigation lacks
            at.switch_page(f"dashboard/pages/{page}.py").run()


def test_drill_down_of_a_ministry_user_starts_at_its_ministry(world, monkeypatch):
    user = user_of(world, "ministry")
    at = app(world, monkeypatch, user, page="drilldown")
    names = " ".join(
        str(v) for frame in at.dataframe for v in frame.value.astype(str).to_numpy().ravel()
    )
    assert "Commerce" not in names and "বাণিজ্য" not in names


# ---------------------------------------------------------------- uploads


def test_uploads_are_limited_to_the_scope(world, tmp_path):
    path = write_workbook(tmp_path / "narayanganj.xlsx")  # the Narayanganj co-operative office
    with world.connect() as connection:
        before = connection.scalar(select(func.count()).select_from(Submission))
    refused = import_file(
        world, path, uploaded_by="ministry", scope=user_of(world, "ministry").scope
    )
    assert refused.status == "refused" and "may not import" in refused.refusal
    with world.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Submission)) == before
    accepted = import_file(world, path, uploaded_by="office", scope=user_of(world, "office").scope)
    assert accepted.status == "added"
    found = audit.events(world, EVERYTHING, username="office", action="import")
    assert not found.empty and "narayanganj.xlsx" in str(found["details"].tolist())


# ---------------------------------------------------------------- administrators


def test_admin_adds_a_user_and_changes_the_rules_with_an_audit_trail(world, monkeypatch):
    with world.connect() as connection:
        doc = connection.scalar(select(Office.id).where(Office.code == "ag:doc"))
    admin = user_of(world, "admin")
    add_user(
        world,
        admin,
        username="new-uploader",
        display_name="New uploader",
        password="a long password for a new user",
        scope_level="agency",
        scope_office_id=doc,
        can_upload=True,
    )
    assert (
        sign_in(world, "new-uploader", "a long password for a new user").user.scope_office_id == doc
    )
    rules = rule_sets(world)
    first = int(rules["id"].iloc[0])
    update_rules(world, admin, first, lagging_threshold=70.0, between_levels="interpolate")
    assert float(rule_sets(world).set_index("id").loc[first, "lagging_threshold"]) == 70.0
    trail = audit.events(world, EVERYTHING, since=dt.date.today())
    assert {"user-created", "rules-changed"} <= set(trail["action"])
    at = app(world, monkeypatch, admin, page="audit")
    assert not at.exception
    shown = at.dataframe[0].value
    assert "Rules changed" in shown.iloc[:, 2].tolist()  # the action, in the page's language
    update_rules(world, admin, first, lagging_threshold=80.0, between_levels="interpolate")


def test_the_audit_trail_of_a_ministry_leaves_other_offices_out(world):
    scope = user_of(world, "ministry").scope
    seen = audit.events(world, scope)
    everything = audit.events(world, EVERYTHING)
    assert len(seen) < len(everything)


def names_of(engine, office_id: int) -> set[str]:
    with engine.connect() as connection:
        row = connection.execute(
            select(Office.name_bn, Office.name_en).where(Office.id == office_id)
        ).one()
    return set(row)
