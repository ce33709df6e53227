"""routing events name their agent: my-day reads one agent's rows through (agent_id, at);
canned responses per program

Revision ID: 0007_event_agent
Revises: 0006_required_from
Create Date: 2026-12-03 13:40:00
"""

import sqlalchemy as sa
from alembic import op

from database.base import UTCDateTime

revision = "0007_event_agent"
down_revision = "0006_required_from"
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade() -> None:
    with op.batch_alter_table("routing_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agent_id", sa.String(length=64), nullable=True))
    _backfill()
    with op.batch_alter_table("routing_events", schema=None) as batch_op:
        batch_op.create_index("ix_routing_events_agent_id_at", ["agent_id", "at"], unique=False)
    op.create_table(
        "channel_canned_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("program_id", sa.Integer(), nullable=False),
        sa.Column("shortcut", sa.String(length=32), nullable=False),
        sa.Column("title", sa.String(length=80), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["program_id"], ["programs.id"],
            name=op.f("fk_channel_canned_responses_program_id_programs"), ondelete="CASCADE",
        ),  # fmt: skip
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channel_canned_responses")),
        sa.UniqueConstraint(
            "program_id", "shortcut", name=op.f("uq_channel_canned_responses_program_id_shortcut")
        ),
    )
    with op.batch_alter_table("channel_canned_responses", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_channel_canned_responses_program_id"), ["program_id"], unique=False
        )


def _backfill() -> None:
    """Existing rows: the agent named in the event's JSON (agent_id, or a transfer's from_agent)."""
    events = sa.table(
        "routing_events",
        sa.column("position", sa.BigInteger()),
        sa.column("agent_id", sa.String()),
        sa.column("data", sa.JSON()),
    )
    connection = op.get_bind()
    after = 0
    while True:
        rows = connection.execute(
            sa.select(events.c.position, events.c.data)
            .where(events.c.position > after)
            .order_by(events.c.position)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        named = [
            {"p": position, "a": data.get("agent_id") or data.get("from_agent")}
            for position, data in rows
            if isinstance(data, dict) and (data.get("agent_id") or data.get("from_agent"))
        ]
        if named:
            connection.execute(
                events.update()
                .where(events.c.position == sa.bindparam("p"))
                .values(agent_id=sa.bindparam("a")),
                named,
            )
        after = rows[-1][0]


def downgrade() -> None:
    with op.batch_alter_table("channel_canned_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_channel_canned_responses_program_id"))
    op.drop_table("channel_canned_responses")
    with op.batch_alter_table("routing_events", schema=None) as batch_op:
        batch_op.drop_index("ix_routing_events_agent_id_at")
        batch_op.drop_column("agent_id")
