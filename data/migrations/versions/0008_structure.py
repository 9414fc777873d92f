"""Issue 12: the unread `indicators.direction` goes (scoring reads a ladder's direction from
its targets; nothing read the stored copy).

Revision ID: 0008_structure
Revises: 0007_everyday
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_structure"
down_revision: str | None = "0007_everyday"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # A plain ALTER TABLE ... DROP COLUMN on both databases (SQLite 3.35+): no batch copy of
    # a table other tables' foreign keys point at.
    op.drop_column("indicators", "direction")


def downgrade() -> None:
    op.add_column("indicators", sa.Column("direction", sa.String(length=8), nullable=True))
