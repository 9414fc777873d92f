"""Hardening (issue 11): one current plan / report, duplicates by bytes and offices, session
epochs, sign-in limits, an insert-only, hash-chained audit trail.

- plans: unique index on (office, fiscal year, plan type) where current; progress_reports:
  unique index on (plan, quarter) where current. Databases that already hold duplicates (the
  race this closes) are repaired first: the newest stays current, the others are superseded
  by it, reports of superseded plans stop being current, and the affected offices are
  rescored.
- submissions: sha256 no longer unique (the same bytes may be imported for another office);
  new `duplicate_key` (unique): sha256 of the file's sha256 and its plans' office ids.
- users: `session_epoch`.
- sign_in_limits: new table (attempts per username, client address and in all).
- audit_events: `prev_hash`, `hash` (filled for the events already there, in id order), and
  triggers that refuse UPDATE, DELETE (and TRUNCATE on PostgreSQL).

Revision ID: 0004_hardening
Revises: 0002
"""

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004_hardening"
down_revision: str | None = "0003_real_apa"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CURRENT = sa.text("is_current")

SQLITE_TRIGGERS = [
    """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'audit_events is insert-only'); END""",
    """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
       BEGIN SELECT RAISE(ABORT, 'audit_events is insert-only'); END""",
]
POSTGRESQL_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION audit_events_insert_only() RETURNS trigger
       LANGUAGE plpgsql AS $$
       BEGIN
         RAISE EXCEPTION 'audit_events is insert-only: % refused', TG_OP
           USING ERRCODE = 'insufficient_privilege';
       END $$""",
    """CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
       FOR EACH ROW EXECUTE FUNCTION audit_events_insert_only()""",
    """CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
       FOR EACH STATEMENT EXECUTE FUNCTION audit_events_insert_only()""",
    "REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM PUBLIC",
]


def _repair_current(connection) -> list[int]:
    """Supersede all but the newest current plan (and report) of a kind; returns the plans
    whose offices need rescoring."""
    plans = connection.execute(
        sa.text(
            "SELECT id, office_id, fiscal_year_id, plan_type FROM plans "
            "WHERE is_current ORDER BY id"
        )
    ).all()
    newest: dict[tuple, int] = {}
    for plan_id, office_id, year_id, plan_type in plans:
        newest[(office_id, year_id, plan_type)] = plan_id
    affected = []
    for plan_id, office_id, year_id, plan_type in plans:
        keep = newest[(office_id, year_id, plan_type)]
        if keep != plan_id:
            connection.execute(
                sa.text(
                    "UPDATE plans SET is_current = :no, superseded_by_id = :keep WHERE id = :id"
                ),
                {"no": False, "keep": keep, "id": plan_id},
            )
            affected.append(keep)
    connection.execute(
        sa.text(
            "UPDATE progress_reports SET is_current = :no WHERE is_current AND plan_id IN "
            "(SELECT id FROM plans WHERE NOT is_current)"
        ),
        {"no": False},
    )
    reports = connection.execute(
        sa.text("SELECT id, plan_id, quarter FROM progress_reports WHERE is_current ORDER BY id")
    ).all()
    latest: dict[tuple, int] = {}
    for report_id, plan_id, quarter in reports:
        latest[(plan_id, quarter)] = report_id
    for report_id, plan_id, quarter in reports:
        keep = latest[(plan_id, quarter)]
        if keep != report_id:
            connection.execute(
                sa.text(
                    "UPDATE progress_reports SET is_current = :no, superseded_by_id = :keep "
                    "WHERE id = :id"
                ),
                {"no": False, "keep": keep, "id": report_id},
            )
            affected.append(plan_id)
    return affected


def _duplicate_keys(connection) -> None:
    rows = connection.execute(sa.text("SELECT id, sha256, office_id FROM submissions")).all()
    for submission_id, sha, office_id in rows:
        offices = {
            row[0]
            for row in connection.execute(
                sa.text(
                    "SELECT office_id FROM plans WHERE submission_id = :id UNION "
                    "SELECT office_id FROM progress_reports WHERE submission_id = :id"
                ),
                {"id": submission_id},
            )
        }
        if not offices and office_id is not None:
            offices = {office_id}
        ids = ",".join(str(i) for i in sorted(offices))
        key = hashlib.sha256(f"{sha}:{ids}".encode()).hexdigest()
        connection.execute(
            sa.text("UPDATE submissions SET duplicate_key = :key WHERE id = :id"),
            {"key": key, "id": submission_id},
        )


def _chain(connection) -> None:
    from data.audit import event_hash

    previous = None
    rows = connection.execute(
        sa.text(
            "SELECT id, at, username, action, object_type, object_id, office_id, details "
            "FROM audit_events ORDER BY id"
        )
    ).all()
    table = sa.table(
        "audit_events",
        sa.column("id", sa.Integer),
        sa.column("at", sa.DateTime(timezone=True)),
        sa.column("details", sa.JSON),
        sa.column("prev_hash", sa.String),
        sa.column("hash", sa.String),
    )
    typed = connection.execute(sa.select(table.c.id, table.c.at, table.c.details)).all()
    moments = {row.id: (row.at, row.details) for row in typed}
    for row in rows:
        at, details = moments[row.id]
        digest = event_hash(
            previous,
            at,
            row.username,
            row.action,
            row.object_type,
            row.object_id,
            row.office_id,
            details,
        )
        connection.execute(
            sa.update(table)
            .where(table.c.id == row.id)
            .values(prev_hash=previous, hash=digest)
        )
        previous = digest


def upgrade() -> None:
    connection = op.get_bind()
    affected = _repair_current(connection)
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.create_index(
            "ux_plans_one_current",
            ["office_id", "fiscal_year_id", "plan_type"],
            unique=True,
            sqlite_where=CURRENT,
            postgresql_where=CURRENT,
        )
    with op.batch_alter_table("progress_reports", schema=None) as batch_op:
        batch_op.create_index(
            "ux_progress_reports_one_current",
            ["plan_id", "quarter"],
            unique=True,
            sqlite_where=CURRENT,
            postgresql_where=CURRENT,
        )
    if affected:
        from data.scores import rebuild_scores

        rebuild_scores(connection, plan_ids=affected)

    op.add_column("submissions", sa.Column("duplicate_key", sa.String(length=64), nullable=True))
    _duplicate_keys(connection)
    sqlite = connection.dialect.name == "sqlite"
    with op.batch_alter_table(
        "submissions",
        schema=None,
        naming_convention={"uq": "uq_%(table_name)s_%(column_0_name)s"},
        recreate="always" if sqlite else "auto",
    ) as batch_op:
        batch_op.drop_constraint(
            "uq_submissions_sha256" if sqlite else "submissions_sha256_key", type_="unique"
        )
        batch_op.alter_column("duplicate_key", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_unique_constraint("uq_submissions_duplicate_key", ["duplicate_key"])
        batch_op.create_index(batch_op.f("ix_submissions_sha256"), ["sha256"], unique=False)

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("session_epoch", sa.Integer(), server_default="0", nullable=False)
        )

    op.create_table(
        "sign_in_limits",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("window_start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("blocked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    with op.batch_alter_table("sign_in_limits", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sign_in_limits_last_at"), ["last_at"], unique=False)

    op.add_column("audit_events", sa.Column("prev_hash", sa.String(length=64), nullable=True))
    op.add_column("audit_events", sa.Column("hash", sa.String(length=64), nullable=True))
    _chain(connection)
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
    for statement in SQLITE_TRIGGERS if sqlite else POSTGRESQL_TRIGGERS:
        op.execute(statement)


def downgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_update")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_change ON audit_events")
        op.execute("DROP TRIGGER IF EXISTS audit_events_no_truncate ON audit_events")
        op.execute("DROP FUNCTION IF EXISTS audit_events_insert_only()")
    with op.batch_alter_table("audit_events", schema=None) as batch_op:
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
    with op.batch_alter_table("sign_in_limits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_sign_in_limits_last_at"))
    op.drop_table("sign_in_limits")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("session_epoch")
    with op.batch_alter_table("submissions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_submissions_sha256"))
        batch_op.drop_constraint("uq_submissions_duplicate_key", type_="unique")
        batch_op.drop_column("duplicate_key")
        batch_op.create_unique_constraint("submissions_sha256_key", ["sha256"])
    with op.batch_alter_table("progress_reports", schema=None) as batch_op:
        batch_op.drop_index("ux_progress_reports_one_current")
    with op.batch_alter_table("plans", schema=None) as batch_op:
        batch_op.drop_index("ux_plans_one_current")
