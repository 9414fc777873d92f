"""Issue 15: the query planner gets the tables' statistics once (ANALYZE). Databases built or
loaded in bulk before (the demos) had none: PostgreSQL took 19 s for the national drill-down,
and SQLite read an office's plan scores through the fiscal-year index. The demo build now ends
with it (data.db.analyze); PostgreSQL's autovacuum keeps them after imports.

Revision ID: 0010_pages
Revises: 0008_structure
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010_pages"
down_revision: str | None = "0009_score_digests"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute("ANALYZE")


def downgrade() -> None:
    pass  # statistics are not schema: nothing to undo
