"""console: hold and mute state of call legs, disposition codes per queue, a contact's code

Revision ID: 0004_console
Revises: 0003_channels
Create Date: 2026-11-23 16:20:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_console"
down_revision = "0003_channels"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("channel_contacts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("disposition", sa.String(length=40), nullable=True))
    with op.batch_alter_table("channel_call_legs", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("on_hold", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
        batch_op.add_column(
            sa.Column("muted", sa.Boolean(), server_default=sa.false(), nullable=False)
        )
    op.create_table(
        "channel_disposition_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("queue_id", sa.String(length=64), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=80), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_disposition_codes")),
        sa.UniqueConstraint(
            "queue_id", "code", name=op.f("uq_channel_disposition_codes_queue_id_code")
        ),
    )
    with op.batch_alter_table("channel_disposition_codes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_channel_disposition_codes_queue_id"), ["queue_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("channel_disposition_codes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_channel_disposition_codes_queue_id"))
    op.drop_table("channel_disposition_codes")
    with op.batch_alter_table("channel_call_legs", schema=None) as batch_op:
        batch_op.drop_column("muted")
        batch_op.drop_column("on_hold")
    with op.batch_alter_table("channel_contacts", schema=None) as batch_op:
        batch_op.drop_column("disposition")
