"""Issue 15: an index on progress_reports (fiscal year, is current, quarter), so an import's
rescoring finds each fiscal year's latest current quarter by one index lookup
(data.scores._latest_quarters) instead of scanning every report of the country on every
import. It takes the statistics again (ANALYZE) so the planners pick it.

Revision ID: 0012_latest_quarter_index
Revises: 0011_lagging_index
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0012_latest_quarter_index"
down_revision: str | None = "0011_lagging_index"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_progress_reports_latest",
        "progress_reports",
        ["fiscal_year_id", "is_current", "quarter"],
    )
    op.execute("ANALYZE progress_reports")


def downgrade() -> None:
    op.drop_index("ix_progress_reports_latest", table_name="progress_reports")
