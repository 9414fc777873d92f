"""Issue 15: score_digests, one digest per plan of its stored indicator score rows, so a full
rebuild finds what changed without reading every stored score back (data/scores.py). It
starts empty: the first rebuild compares row by row and fills it.

Revision ID: 0009_score_digests
Revises: 0008_structure
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009_score_digests"
down_revision: str | None = "0008_structure"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "score_digests",
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("plan_id"),
    )


def downgrade() -> None:
    op.drop_table("score_digests")
