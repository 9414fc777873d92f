"""Issue 15, first views: an index on indicator_scores holding every column the national
aggregates of lagging indicators read (fiscal year, quarter, status, plan, office, plan type,
score at risk), so the overview's marks at risk per ministry and plan and the lagging page's
per-ministry view read the index alone, not a table row per lagging indicator. It takes the
statistics again (ANALYZE) so the planners pick it.

Revision ID: 0011_lagging_index
Revises: 0010_pages
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011_lagging_index"
down_revision: str | None = "0010_pages"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = [
    "fiscal_year_id",
    "quarter",
    "status",
    "plan_id",
    "office_id",
    "plan_type",
    "score_at_risk",
]


def upgrade() -> None:
    op.create_index("ix_indicator_scores_lagging", "indicator_scores", COLUMNS)
    op.execute("ANALYZE indicator_scores")


def downgrade() -> None:
    op.drop_index("ix_indicator_scores_lagging", table_name="indicator_scores")
