"""training: a required course version can take effect from a date (agents certify first)

Revision ID: 0006_required_from
Revises: 0005_program_pay_rate
Create Date: 2026-12-03 13:40:00
"""

import sqlalchemy as sa
from alembic import op

import database.base

revision = "0006_required_from"
down_revision = "0005_program_pay_rate"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("training_course_versions", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("required_from", database.base.UTCDateTime(), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("training_course_versions", schema=None) as batch_op:
        batch_op.drop_column("required_from")
