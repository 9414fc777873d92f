"""Issue 15, the full rebuild: drop ix_indicator_scores_fyq (fiscal year, quarter, status).
It is a prefix of ix_indicator_scores_lagging (migration 0011), which serves every query it
served, so it only cost a rebuild one more index to build (about a second of a national
rebuild on SQLite, and one more on PostgreSQL's table built aside) and every write of a
score one more index entry.

Revision ID: 0013_drop_fyq_index
Revises: 0012_import_indexes
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013_drop_fyq_index"
down_revision: str | None = "0012_import_indexes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_indicator_scores_fyq", table_name="indicator_scores")


def downgrade() -> None:
    op.create_index(
        "ix_indicator_scores_fyq", "indicator_scores", ["fiscal_year_id", "quarter", "status"]
    )
