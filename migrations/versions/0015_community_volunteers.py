"""community volunteers: super users opted in to a program's volunteer queue, and the queue
whose web chats they may take (none by default)

Revision ID: 0015_community_volunteers
Revises: 0014_community_cost
Create Date: 2026-12-04 12:00:00.000000
"""

import sqlalchemy as sa
from alembic import op

from database.base import UTCDateTime

revision = "0015_community_volunteers"
down_revision = "0014_community_cost"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("community_settings",
                  sa.Column("volunteer_queue_id", sa.String(64), nullable=True))  # fmt: skip
    op.create_table(
        "community_volunteers",
        sa.Column("member_id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("since", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["member_id"], ["community_members.id"], ondelete="CASCADE",
                                name=op.f("fk_community_volunteers_member_id_community_members")),
        sa.ForeignKeyConstraint(["program_id"], ["programs.id"], ondelete="CASCADE",
                                name=op.f("fk_community_volunteers_program_id_programs")),
        sa.PrimaryKeyConstraint("member_id", "program_id", name=op.f("pk_community_volunteers")),
    )  # fmt: skip


def downgrade() -> None:
    op.drop_table("community_volunteers")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE community_settings DROP COLUMN volunteer_queue_id")
    else:
        op.drop_column("community_settings", "volunteer_queue_id")
