"""quality: program quality settings and staff, CSAT surveys, call recordings, QA scorecards
and reviews, performance scores

Revision ID: 0011_quality
Revises: 0010_pay_ledger
Create Date: 2026-12-03 17:34:06.122490
"""

import sqlalchemy as sa
from alembic import op

import database.base

revision = "0011_quality"
down_revision = "0010_pay_ledger"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "quality_program_staff",
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("duty", sa.String(length=16), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_quality_program_staff_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_quality_program_staff_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("program_id", "user_id", name=op.f("pk_quality_program_staff")),
    )
    with op.batch_alter_table("quality_program_staff", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_quality_program_staff_user_id"), ["user_id"], unique=False
        )

    op.create_table(
        "quality_programs",
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("voice_survey", sa.Boolean(), nullable=False),
        sa.Column("chat_survey", sa.Boolean(), nullable=False),
        sa.Column("recording", sa.Boolean(), nullable=False),
        sa.Column("retention_days", sa.Integer(), nullable=False),
        sa.Column("sample_per_agent", sa.Integer(), nullable=False),
        sa.Column("handle_time_target", sa.Integer(), nullable=False),
        sa.Column("weights", sa.JSON(), nullable=False),
        sa.Column("updated_at", database.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_quality_programs_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("program_id", name=op.f("pk_quality_programs")),
    )
    op.create_table(
        "quality_scorecards",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("sections", sa.JSON(), nullable=False),
        sa.Column("is_active", sa.Boolean(), nullable=False),
        sa.Column("created_at", database.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_quality_scorecards_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_scorecards")),
        sa.UniqueConstraint(
            "program_id",
            "name",
            "version",
            name=op.f("uq_quality_scorecards_program_id_name_version"),
        ),
    )
    with op.batch_alter_table("quality_scorecards", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_quality_scorecards_program_id"), ["program_id"], unique=False
        )

    op.create_table(
        "quality_scores",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agent_id", sa.String(length=64), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("breakdown", sa.JSON(), nullable=False),
        sa.Column("computed_at", database.base.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_quality_scores_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_scores")),
        sa.UniqueConstraint(
            "agent_id", "program_id", name=op.f("uq_quality_scores_agent_id_program_id")
        ),
    )
    with op.batch_alter_table("quality_scores", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quality_scores_agent_id"), ["agent_id"], unique=False)

    op.create_table(
        "quality_recordings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.String(length=64), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("recording_sid", sa.String(length=64), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("duration_seconds", sa.Integer(), nullable=False),
        sa.Column("created_at", database.base.UTCDateTime(), nullable=False),
        sa.Column("purge_after", database.base.UTCDateTime(), nullable=False),
        sa.Column("purged_at", database.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_quality_recordings_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["channel_contacts.task_id"],
            name=op.f("fk_quality_recordings_task_id_channel_contacts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_recordings")),
        sa.UniqueConstraint("recording_sid", name=op.f("uq_quality_recordings_recording_sid")),
    )
    with op.batch_alter_table("quality_recordings", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_quality_recordings_program_id"), ["program_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_quality_recordings_purge_after"), ["purge_after"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_quality_recordings_task_id"), ["task_id"], unique=False
        )

    op.create_table(
        "quality_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("task_id", sa.String(length=64), nullable=False),
        sa.Column("agent_id", sa.String(length=64), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("scorecard_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("week", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reviewer_user_id", sa.Integer(), nullable=True),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("score", sa.Double(), nullable=True),
        sa.Column("auto_failed", sa.Boolean(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("created_at", database.base.UTCDateTime(), nullable=False),
        sa.Column("scored_at", database.base.UTCDateTime(), nullable=True),
        sa.Column("acknowledged_at", database.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_quality_reviews_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_user_id"],
            ["users.id"],
            name=op.f("fk_quality_reviews_reviewer_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["scorecard_id"],
            ["quality_scorecards.id"],
            name=op.f("fk_quality_reviews_scorecard_id_quality_scorecards"),
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["channel_contacts.task_id"],
            name=op.f("fk_quality_reviews_task_id_channel_contacts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quality_reviews")),
    )
    with op.batch_alter_table("quality_reviews", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quality_reviews_agent_id"), ["agent_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_quality_reviews_program_id"), ["program_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_quality_reviews_task_id"), ["task_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_quality_reviews_week"), ["week"], unique=False)

    op.create_table(
        "quality_surveys",
        sa.Column("task_id", sa.String(length=64), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("queue_id", sa.String(length=64), nullable=True),
        sa.Column("agent_id", sa.String(length=64), nullable=True),
        sa.Column("channel", sa.String(length=16), nullable=False),
        sa.Column("offered_at", database.base.UTCDateTime(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("comment", sa.Text(), nullable=False),
        sa.Column("answered_at", database.base.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["program_id"],
            ["programs.id"],
            name=op.f("fk_quality_surveys_program_id_programs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["channel_contacts.task_id"],
            name=op.f("fk_quality_surveys_task_id_channel_contacts"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("task_id", name=op.f("pk_quality_surveys")),
    )
    with op.batch_alter_table("quality_surveys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_quality_surveys_agent_id"), ["agent_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_quality_surveys_answered_at"), ["answered_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_quality_surveys_offered_at"), ["offered_at"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_quality_surveys_program_id"), ["program_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("quality_surveys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quality_surveys_program_id"))
        batch_op.drop_index(batch_op.f("ix_quality_surveys_offered_at"))
        batch_op.drop_index(batch_op.f("ix_quality_surveys_answered_at"))
        batch_op.drop_index(batch_op.f("ix_quality_surveys_agent_id"))

    op.drop_table("quality_surveys")
    with op.batch_alter_table("quality_reviews", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quality_reviews_week"))
        batch_op.drop_index(batch_op.f("ix_quality_reviews_task_id"))
        batch_op.drop_index(batch_op.f("ix_quality_reviews_program_id"))
        batch_op.drop_index(batch_op.f("ix_quality_reviews_agent_id"))

    op.drop_table("quality_reviews")
    with op.batch_alter_table("quality_recordings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quality_recordings_task_id"))
        batch_op.drop_index(batch_op.f("ix_quality_recordings_purge_after"))
        batch_op.drop_index(batch_op.f("ix_quality_recordings_program_id"))

    op.drop_table("quality_recordings")
    with op.batch_alter_table("quality_scores", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quality_scores_agent_id"))

    op.drop_table("quality_scores")
    with op.batch_alter_table("quality_scorecards", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quality_scorecards_program_id"))

    op.drop_table("quality_scorecards")
    op.drop_table("quality_programs")
    with op.batch_alter_table("quality_program_staff", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_quality_program_staff_user_id"))

    op.drop_table("quality_program_staff")
