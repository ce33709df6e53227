"""routing events name their agent: my-day reads one agent's rows through (agent_id, at)

Revision ID: 0005_event_agent
Revises: 0004_console
Create Date: 2026-12-03 13:40:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_event_agent"
down_revision = "0004_console"
branch_labels = None
depends_on = None

BATCH = 5000


def upgrade() -> None:
    with op.batch_alter_table("routing_events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("agent_id", sa.String(length=64), nullable=True))
    _backfill()
    with op.batch_alter_table("routing_events", schema=None) as batch_op:
        batch_op.create_index("ix_routing_events_agent_id_at", ["agent_id", "at"], unique=False)


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
    with op.batch_alter_table("routing_events", schema=None) as batch_op:
        batch_op.drop_index("ix_routing_events_agent_id_at")
        batch_op.drop_column("agent_id")
