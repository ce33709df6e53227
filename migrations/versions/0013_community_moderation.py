"""community moderation: the audit log of hidden and restored posts, and holding first posts

Revision ID: 0013_community_moderation
Revises: 0012_community_escalation
Create Date: 2026-12-04 02:40:00.000000

Plain ADD COLUMN (no batch copy): see 0012.
"""

import sqlalchemy as sa
from alembic import op

from database.base import UTCDateTime

revision = "0013_community_moderation"
down_revision = "0012_community_escalation"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("community_settings",
                  sa.Column("hold_first_posts", sa.Boolean(), nullable=False,
                            server_default=sa.false()))  # fmt: skip
    op.create_table(
        "community_moderation_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("action", sa.Enum("hide", "restore", name="community_moderation_action",
                                    native_enum=False, create_constraint=True, length=20),
                  nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("member_id", sa.Integer(), nullable=True),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["program_id"], ["programs.id"], ondelete="CASCADE",
                                name=op.f("fk_community_moderation_log_program_id_programs")),
        sa.ForeignKeyConstraint(["post_id"], ["community_posts.id"], ondelete="CASCADE",
                                name=op.f("fk_community_moderation_log_post_id_community_posts")),
        sa.ForeignKeyConstraint(["member_id"], ["community_members.id"], ondelete="SET NULL",
                                name=op.f("fk_community_moderation_log_member_id_community_members")),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], ondelete="SET NULL",
                                name=op.f("fk_community_moderation_log_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_community_moderation_log")),
    )  # fmt: skip
    op.create_index(op.f("ix_community_moderation_log_post_id"), "community_moderation_log",
                    ["post_id"])  # fmt: skip
    op.create_index("ix_community_moderation_log_program_id_created_at",
                    "community_moderation_log", ["program_id", "created_at"])  # fmt: skip


def downgrade() -> None:
    op.drop_table("community_moderation_log")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE community_settings DROP COLUMN hold_first_posts")
    else:
        op.drop_column("community_settings", "hold_first_posts")
