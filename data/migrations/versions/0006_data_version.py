"""The data version: one row that every import and rebuild bumps in its own transaction, so
app servers sharing one database see a change within seconds (dashboard/cache.py keys its
caches by it, reading it at most once every few seconds).

Revision ID: 0006_data_version
Revises: 0005_desk
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_data_version"
down_revision: str | None = "0005_desk"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    table = op.create_table(
        "data_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.bulk_insert(table, [{"id": 1, "version": 0}])


def downgrade() -> None:
    op.drop_table("data_version")
