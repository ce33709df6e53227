"""The engine's inbox: any process queues a routing command in the database; only the active
engine decides it, and records the outcome (done, or the reason it was refused)."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import event, insert, select
from sqlalchemy.orm import Session

from database.engine import read_only
from dispatcher import wakeup
from dispatcher.core.codec import decode, encode
from dispatcher.core.model import Queue
from dispatcher.core.skills import Skill, Skills
from dispatcher.tables import RoutingCommand

#: Router commands reachable through the inbox (name → how the payload maps to arguments).
ROUTER_COMMANDS = frozenset({
    "enqueue", "accept", "reject", "abandon", "cancel", "wrap_up", "complete", "transfer",
    "move", "reprioritise", "configure_queue", "register_agent", "set_status", "set_capacity",
    "set_queues", "set_score", "set_booked", "extend_wrap_up", "consult", "end_consult",
})  # fmt: skip
ENGINE_COMMANDS = frozenset({"set_skills"})
KINDS = ROUTER_COMMANDS | ENGINE_COMMANDS


class UnknownCommand(ValueError):
    pass


def submit(session: Session, kind: str, payload: dict[str, Any], *, now: float) -> int:
    """Queue `kind` with its JSON payload in the caller's transaction; the engine is woken at
    commit. Returns the command id (see `outcome`)."""
    if kind not in KINDS:
        raise UnknownCommand(f"kind: unknown routing command {kind!r}")
    command_id = session.execute(
        insert(RoutingCommand)
        .values(kind=kind, payload=encode(payload), created_at=now)
        .returning(RoutingCommand.id)
    ).scalar_one()
    connection = session.connection()
    wakeup.notify_in_transaction(connection)
    if connection.dialect.name != "postgresql":
        url = connection.engine.url.render_as_string(hide_password=False)
        event.listen(session, "after_commit", lambda _s: wakeup.notify_local(url), once=True)
    return command_id


def outcome(session: Session, command_id: int) -> tuple[bool, str | None]:
    """(done, error): error is None when the command was carried out."""
    row = session.execute(
        select(RoutingCommand.done_at, RoutingCommand.error).where(RoutingCommand.id == command_id)
    ).one_or_none()
    if row is None:
        raise UnknownCommand(f"command_id: no command {command_id}")
    return row.done_at is not None, row.error


def wait_for(session_factory, command_id: int, *, timeout: float = 5.0) -> tuple[bool, str | None]:
    """Poll until the engine has decided the command or `timeout` seconds pass."""
    deadline = time.monotonic() + timeout
    delay = 0.002
    while True:
        with read_only(session_factory()) as session:  # SQLite: polls never queue as writers
            done, error = outcome(session, command_id)
        if done or time.monotonic() >= deadline:
            return done, error
        time.sleep(delay)
        delay = min(delay * 2, 0.05)


def submit_and_wait(session: Session, session_factory, kind: str, payload: dict[str, Any], *,
                    now: float, timeout: float = 5.0) -> tuple[int, bool, str | None]:  # fmt: skip
    """Queue `kind`, commit the caller's transaction (so the engine can see the command), then
    wait up to `timeout` seconds for the engine's decision: (command id, done, error)."""
    command_id = submit(session, kind, payload, now=now)
    session.commit()
    done, error = wait_for(session_factory, command_id, timeout=timeout)
    return command_id, done, error


def router_arguments(kind: str, payload: dict[str, Any]) -> dict[str, Any]:
    """Keyword arguments for the Router method `kind`, rebuilt from the JSON payload."""
    if kind == "configure_queue":
        return {"queue": decode(Queue, payload["queue"])}
    return dict(payload)


def skills_from(payload: dict[str, Any]) -> Skills:
    """Skills from a set_skills payload: {"skills": [{code, proficiency, expires_at}], ...}."""
    return Skills.of(
        [
            Skill(s["code"], int(s.get("proficiency", 1)), s.get("expires_at"))
            for s in payload.get("skills", [])
        ],
        payload.get("languages", []),
    )
