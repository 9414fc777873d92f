"""The APA calendar as data: each rule set's due dates (rule_set_deadlines).

Defaults from ../shared/docs/domain.md ("The APA calendar"): quarterly progress reports by
15 October, 15 January and 15 April; the half-yearly evaluation of subordinate offices by
30 January; the annual report (the fourth quarter's) with evidence by 15 July; results by
30 August. A date belongs to the fiscal year starting 1 July of year Y as
(Y + year_offset, month, day). Every existing rule set gets the defaults.

Revision ID: 0005_desk
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005_desk"
down_revision: str | None = "0004_hardening"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# (event, quarter, month, day, year_offset, name_bn, name_en)
DEADLINES = [
    ("q1_report", 1, 10, 15, 0, "১ম ত্রৈমাসিক অগ্রগতি প্রতিবেদন", "First-quarter progress report"),
    ("q2_report", 2, 1, 15, 1, "২য় ত্রৈমাসিক অগ্রগতি প্রতিবেদন", "Second-quarter progress report"),
    ("half_yearly_review", None, 1, 30, 1, "আওতাধীন অফিসের অর্ধবার্ষিক মূল্যায়ন", "Half-yearly evaluation of subordinate offices"),
    ("q3_report", 3, 4, 15, 1, "৩য় ত্রৈমাসিক অগ্রগতি প্রতিবেদন", "Third-quarter progress report"),
    ("annual_report", 4, 7, 15, 1, "বার্ষিক মূল্যায়ন প্রতিবেদন (প্রমাণকসহ)", "Annual evaluation report, with evidence"),
    ("results", None, 8, 30, 1, "ফলাফল প্রকাশ", "Results published"),
]


def upgrade() -> None:
    op.create_table(
        "rule_set_deadlines",
        sa.Column("rule_set_id", sa.Integer(), nullable=False),
        sa.Column("event", sa.String(length=30), nullable=False),
        sa.Column("quarter", sa.Integer(), nullable=True),
        sa.Column("month", sa.Integer(), nullable=False),
        sa.Column("day", sa.Integer(), nullable=False),
        sa.Column("year_offset", sa.Integer(), nullable=False),
        sa.Column("name_bn", sa.String(length=200), nullable=False),
        sa.Column("name_en", sa.String(length=200), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["rule_set_id"], ["rule_sets.id"]),
        sa.PrimaryKeyConstraint("rule_set_id", "event"),
    )
    rule_set_ids = [row[0] for row in op.get_bind().execute(sa.text("SELECT id FROM rule_sets"))]
    table = sa.table(
        "rule_set_deadlines", sa.column("rule_set_id"), sa.column("event"), sa.column("quarter"),
        sa.column("month"), sa.column("day"), sa.column("year_offset"), sa.column("name_bn"),
        sa.column("name_en"), sa.column("sort_order"),
    )
    rows = [
        {"rule_set_id": rs, "event": event, "quarter": quarter, "month": month, "day": day,
         "year_offset": offset, "name_bn": bn, "name_en": en, "sort_order": order}
        for rs in rule_set_ids
        for order, (event, quarter, month, day, offset, bn, en) in enumerate(DEADLINES, start=1)
    ]
    if rows:
        op.bulk_insert(table, rows)


def downgrade() -> None:
    op.drop_table("rule_set_deadlines")
