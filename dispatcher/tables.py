"""SQL tables of the routing engine: entities as JSON records with their key columns, the
append-only event log, the engine's fencing epoch and the command inbox."""

from __future__ import annotations

from sqlalchemy import JSON, BigInteger, Float, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from database.base import Base


class RoutingQueue(Base):
    __tablename__ = "routing_queues"

    queue_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    program: Mapped[str] = mapped_column(String(64), default="")
    data: Mapped[dict] = mapped_column(JSON)


class RoutingAgent(Base):
    __tablename__ = "routing_agents"

    agent_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    status: Mapped[str] = mapped_column(String(16))
    state: Mapped[str] = mapped_column(String(16))
    data: Mapped[dict] = mapped_column(JSON)


class RoutingTask(Base):
    __tablename__ = "routing_tasks"

    task_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    queue_id: Mapped[str] = mapped_column(String(64), index=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    agent_id: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[float] = mapped_column(Float)  # clock seconds (epoch seconds when live)
    ended_at: Mapped[float | None] = mapped_column(Float)
    data: Mapped[dict] = mapped_column(JSON)


class RoutingReservation(Base):
    __tablename__ = "routing_reservations"

    reservation_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    task_id: Mapped[str] = mapped_column(String(64), index=True)
    agent_id: Mapped[str] = mapped_column(String(64), index=True)
    state: Mapped[str] = mapped_column(String(16), index=True)
    deadline: Mapped[float] = mapped_column(Float)
    data: Mapped[dict] = mapped_column(JSON)


class RoutingEvent(Base):
    """The durable event log; positions are 1, 2, 3… with no gap (one writer: the engine).
    `agent_id`: the agent the event concerns (Event.agent), so that one agent's figures read
    that agent's rows only, through the (agent_id, at) index."""

    __tablename__ = "routing_events"
    __table_args__ = (Index("ix_routing_events_agent_id_at", "agent_id", "at"),)

    position: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False
    )
    type: Mapped[str] = mapped_column(String(40))
    at: Mapped[float] = mapped_column(Float, index=True)
    task_id: Mapped[str | None] = mapped_column(String(64), index=True)
    agent_id: Mapped[str | None] = mapped_column(String(64))
    data: Mapped[dict] = mapped_column(JSON)


class RoutingLease(Base):
    """Row 1 holds the fencing epoch, bumped by each engine that takes the lease."""

    __tablename__ = "routing_lease"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    epoch: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"))


class RoutingCommand(Base):
    """A command for the active engine from any process; the engine records its outcome."""

    __tablename__ = "routing_commands"

    id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[dict] = mapped_column(JSON)
    created_at: Mapped[float] = mapped_column(Float)
    done_at: Mapped[float | None] = mapped_column(Float, index=True)
    error: Mapped[str | None] = mapped_column(Text)


class RoutingSkills(Base):
    """Skills given to the engine as plain data (set_skills), until training supplies them."""

    __tablename__ = "routing_skills"

    agent_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[dict] = mapped_column(JSON)
