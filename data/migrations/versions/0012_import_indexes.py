"""Issue 15: two indexes an import reads on a national database, instead of scanning a table
on every import:
- progress_reports (fiscal year, is current, quarter): each fiscal year's latest current
  quarter by one index lookup (data.scores._latest_quarters), not every report grouped;
- plans (superseded_by_id): the plan a new revision superseded (data.imports), not every plan.
It takes the statistics again (ANALYZE) so the planners pick them.

Revision ID: 0012_import_indexes
Revises: 0011_lagging_index
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012_import_indexes"
down_revision: str | None = "0011_lagging_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_progress_reports_latest",
        "progress_reports",
        ["fiscal_year_id", "is_current", "quarter"],
    )
    op.create_index("ix_plans_superseded_by", "plans", ["superseded_by_id"])
    op.execute("ANALYZE progress_reports")
    op.execute("ANALYZE plans")


def downgrade() -> None:
    op.drop_index("ix_plans_superseded_by", table_name="plans")
    op.drop_index("ix_progress_reports_latest", table_name="progress_reports")
