"""Real APA documents: governance rows, indicators that need correction, reports to date.

- indicators.governance_plan_type: an APA governance row's action plan (nis, egov, ...);
- indicators.defect: the issue code that makes an indicator "needs correction";
- progress_reports.to_date: the report's values are achievements to date (annual evaluation).

Additive only: nullable columns, and a boolean that is false for every existing report.

Revision ID: 0003_real_apa
Revises: 0002
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_real_apa"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.add_column(sa.Column("governance_plan_type", sa.String(length=20), nullable=True))
        batch_op.add_column(sa.Column("defect", sa.String(length=40), nullable=True))
    with op.batch_alter_table("progress_reports", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("to_date", sa.Boolean(), nullable=False, server_default=sa.text("false"))
        )


def downgrade() -> None:
    with op.batch_alter_table("progress_reports", schema=None) as batch_op:
        batch_op.drop_column("to_date")
    with op.batch_alter_table("indicators", schema=None) as batch_op:
        batch_op.drop_column("defect")
        batch_op.drop_column("governance_plan_type")
