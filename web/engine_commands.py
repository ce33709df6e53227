"""Queue a routing command from a request or socket event and wait briefly for the engine's
decision: the one way the web layer asks the engine and hears back."""

from __future__ import annotations

import time

from flask import current_app

from dispatcher import commands
from web import db

WAIT_SECONDS = 5.0


def submit_and_wait(kind: str, payload: dict, *,
                    timeout: float | None = None) -> tuple[int, bool, str | None]:  # fmt: skip
    """(command id, done, error): the request's transaction is committed first, so the engine
    can see the command; `done` is False when the engine has not decided within `timeout`
    seconds (default the app's ROUTING_WAIT, else 5)."""
    if timeout is None:
        timeout = current_app.config.get("ROUTING_WAIT", WAIT_SECONDS)
    return commands.submit_and_wait(db.session(), current_app.extensions[db.EXTENSION], kind,
                                    payload, now=time.time(), timeout=timeout)  # fmt: skip


def submit_now(kind: str, payload: dict) -> int:
    """Queue the command and commit, without waiting for the decision (fire and forget)."""
    session = db.session()
    command_id = commands.submit(session, kind, payload, now=time.time())
    session.commit()
    return command_id
