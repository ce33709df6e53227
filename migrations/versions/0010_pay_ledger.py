"""pay: the append-only pay ledger; conversions flagged on disposition codes; revenue per
conversion per program (ROI)

Revision ID: 0010_pay_ledger
Revises: 0009_community
Create Date: 2026-12-03 17:40:00
"""

import sqlalchemy as sa
from alembic import op

from database.base import UTCDateTime

revision = "0010_pay_ledger"
down_revision = "0009_community"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pay_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("agent_id", sa.String(length=64), nullable=False),
        sa.Column("at", sa.Float(), nullable=False),
        sa.Column("program", sa.String(length=64), nullable=False),
        sa.Column("task_id", sa.String(length=64), nullable=True),
        sa.Column("reservation_id", sa.String(length=64), nullable=True),
        sa.Column("queue_id", sa.String(length=64), nullable=True),
        sa.Column("started_at", sa.Float(), nullable=True),
        sa.Column("end_event", sa.String(length=40), nullable=True),
        sa.Column("talk_seconds", sa.Numeric(precision=12, scale=3), nullable=False),
        sa.Column("rate_per_minute", sa.Numeric(precision=10, scale=4), nullable=False),
        sa.Column("bonus_per_minute", sa.Numeric(precision=10, scale=4), nullable=False),
        sa.Column("talk_amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("bonus_amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("amount", sa.Numeric(precision=12, scale=2), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("adjusts_entry_id", sa.Integer(), nullable=True),
        sa.Column("by_user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["adjusts_entry_id"], ["pay_entries.id"],
            name=op.f("fk_pay_entries_adjusts_entry_id_pay_entries"), ondelete="RESTRICT",
        ),  # fmt: skip
        sa.ForeignKeyConstraint(
            ["by_user_id"], ["users.id"],
            name=op.f("fk_pay_entries_by_user_id_users"), ondelete="SET NULL",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pay_entries")),
        sa.UniqueConstraint(
            "task_id", "agent_id", "reservation_id",
            name=op.f("uq_pay_entries_task_id_agent_id_reservation_id"),
        ),  # fmt: skip
    )
    with op.batch_alter_table("pay_entries", schema=None) as batch_op:
        batch_op.create_index("ix_pay_entries_agent_id_at", ["agent_id", "at"], unique=False)
        batch_op.create_index(batch_op.f("ix_pay_entries_at"), ["at"], unique=False)
    with op.batch_alter_table("channel_disposition_codes", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("is_conversion", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    with op.batch_alter_table("programs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("revenue_per_conversion", sa.Numeric(precision=10, scale=2), nullable=True)
        )


def downgrade() -> None:
    with op.batch_alter_table("programs", schema=None) as batch_op:
        batch_op.drop_column("revenue_per_conversion")
    with op.batch_alter_table("channel_disposition_codes", schema=None) as batch_op:
        batch_op.drop_column("is_conversion")
    with op.batch_alter_table("pay_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pay_entries_at"))
        batch_op.drop_index("ix_pay_entries_agent_id_at")
    op.drop_table("pay_entries")
