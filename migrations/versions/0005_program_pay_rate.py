"""programs: a pay rate per talk minute, the default for agents added to the program

Revision ID: 0005_program_pay_rate
Revises: 0004_console
Create Date: 2026-12-03 13:50:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_program_pay_rate"
down_revision = "0004_console"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("programs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "pay_rate_per_minute",
                sa.Numeric(precision=10, scale=4),
                server_default="0",
                nullable=False,
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("programs", schema=None) as batch_op:
        batch_op.drop_column("pay_rate_per_minute")
