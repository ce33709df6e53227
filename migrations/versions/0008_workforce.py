"""workforce: program calendars and hours, blocks, commitments, standing, overrides

Revision ID: 0008_workforce
Revises: 0007_event_agent
Create Date: 2026-12-03 17:21:45
"""

import sqlalchemy as sa
from alembic import op

import database.base

revision = "0008_workforce"
down_revision = "0007_event_agent"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "workforce_blocks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("queue_id", sa.String(length=64), nullable=False),
        sa.Column("starts_at", database.base.UTCDateTime(), nullable=False),
        sa.Column("ends_at", database.base.UTCDateTime(), nullable=False),
        sa.Column("needed", sa.Integer(), nullable=False),
        sa.Column("booked", sa.Integer(), nullable=False),
        sa.Column("bonus_per_minute", sa.Numeric(precision=10, scale=4), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "published",
                "closed",
                name="block_status",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("published_at", database.base.UTCDateTime(), nullable=True),
        sa.CheckConstraint(
            "booked >= 0 AND booked <= needed", name=op.f("ck_workforce_blocks_seats")
        ),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_workforce_blocks_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workforce_blocks")),
        sa.UniqueConstraint(
            "queue_id", "starts_at", name=op.f("uq_workforce_blocks_queue_id_starts_at")
        ),
    )
    with op.batch_alter_table("workforce_blocks", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workforce_blocks_program_id"), ["program_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_workforce_blocks_starts_at"), ["starts_at"], unique=False
        )

    op.create_table(
        "workforce_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("queue_id", sa.String(length=64), nullable=False),
        sa.Column("starts_at", database.base.UTCDateTime(), nullable=False),
        sa.Column("contacts", sa.Numeric(precision=10, scale=2), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("set_by_user_id", sa.Integer(), nullable=True),
        sa.Column("set_at", database.base.UTCDateTime(), nullable=False),
        sa.CheckConstraint("contacts >= 0", name=op.f("ck_workforce_overrides_contacts")),
        sa.ForeignKeyConstraint(
            ["set_by_user_id"],
            ["users.id"],
            name=op.f("fk_workforce_overrides_set_by_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workforce_overrides")),
        sa.UniqueConstraint(
            "queue_id", "starts_at", name=op.f("uq_workforce_overrides_queue_id_starts_at")
        ),
    )
    op.create_table(
        "workforce_programs",
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("timezone", sa.String(length=64), nullable=False),
        sa.Column("country", sa.String(length=2), nullable=False),
        sa.Column("service_level_target", sa.Numeric(precision=4, scale=3), nullable=False),
        sa.Column("threshold_seconds", sa.Integer(), nullable=False),
        sa.Column("max_occupancy", sa.Numeric(precision=4, scale=3), nullable=False),
        sa.Column("shrinkage", sa.Numeric(precision=4, scale=3), nullable=False),
        sa.Column("cutoff_minutes", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_workforce_programs_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("program_id", name=op.f("pk_workforce_programs")),
    )
    op.create_table(
        "workforce_commitments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("block_id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column(
            "state",
            sa.Enum(
                "booked",
                "waitlisted",
                "released",
                name="commitment_state",
                native_enum=False,
                create_constraint=True,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("queued_at", database.base.UTCDateTime(), nullable=False),
        sa.Column("committed_at", database.base.UTCDateTime(), nullable=True),
        sa.Column("released_at", database.base.UTCDateTime(), nullable=True),
        sa.Column("late", sa.Boolean(), nullable=False),
        sa.Column("reminded_at", database.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["agents.id"],
            name=op.f("fk_workforce_commitments_agent_id_agents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["block_id"],
            ["workforce_blocks.id"],
            name=op.f("fk_workforce_commitments_block_id_workforce_blocks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workforce_commitments")),
        sa.UniqueConstraint(
            "block_id", "agent_id", name=op.f("uq_workforce_commitments_block_id_agent_id")
        ),
    )
    with op.batch_alter_table("workforce_commitments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workforce_commitments_agent_id"), ["agent_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_workforce_commitments_block_id"), ["block_id"], unique=False
        )

    op.create_table(
        "workforce_hours",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("weekday", sa.Integer(), nullable=False),
        sa.Column("opens", sa.Integer(), nullable=False),
        sa.Column("closes", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "opens >= 0 AND closes <= 1440 AND opens < closes", name=op.f("ck_workforce_hours_span")
        ),
        sa.CheckConstraint("weekday BETWEEN 1 AND 7", name=op.f("ck_workforce_hours_weekday")),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["workforce_programs.program_id"],
            name=op.f("fk_workforce_hours_program_id_workforce_programs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_workforce_hours")),
    )
    with op.batch_alter_table("workforce_hours", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_workforce_hours_program_id"), ["program_id"], unique=False
        )

    op.create_table(
        "workforce_standing",
        sa.Column("agent_id", sa.Integer(), nullable=False),
        sa.Column("tier", sa.String(length=20), nullable=False),
        sa.Column("tier_reason", sa.Text(), nullable=False),
        sa.Column("tier_set_at", database.base.UTCDateTime(), nullable=False),
        sa.Column("feed_token_hash", sa.String(length=64), nullable=True),
        sa.Column("sms_reminders", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"],
            ["agents.id"],
            name=op.f("fk_workforce_standing_agent_id_agents"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("agent_id", name=op.f("pk_workforce_standing")),
        sa.UniqueConstraint("feed_token_hash", name=op.f("uq_workforce_standing_feed_token_hash")),
    )


def downgrade() -> None:
    op.drop_table("workforce_standing")
    with op.batch_alter_table("workforce_hours", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workforce_hours_program_id"))

    op.drop_table("workforce_hours")
    with op.batch_alter_table("workforce_commitments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workforce_commitments_block_id"))
        batch_op.drop_index(batch_op.f("ix_workforce_commitments_agent_id"))

    op.drop_table("workforce_commitments")
    op.drop_table("workforce_programs")
    op.drop_table("workforce_overrides")
    with op.batch_alter_table("workforce_blocks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_workforce_blocks_starts_at"))
        batch_op.drop_index(batch_op.f("ix_workforce_blocks_program_id"))

    op.drop_table("workforce_blocks")
