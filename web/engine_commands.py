"""Queue a routing command from a request and wait briefly for the engine's decision."""

from __future__ import annotations

import time

from flask import current_app

from dispatcher import commands
from web import db

WAIT_SECONDS = 5.0


def submit_and_wait(kind: str, payload: dict) -> tuple[int, bool, str | None]:
    """(command id, done, error): the command is committed first, so the engine can see it;
    `done` is False when the engine has not decided within ROUTING_WAIT seconds."""
    session = db.session()
    command_id = commands.submit(session, kind, payload, now=time.time())
    session.commit()
    done, error = commands.wait_for(
        current_app.extensions[db.EXTENSION],
        command_id,
        timeout=current_app.config.get("ROUTING_WAIT", WAIT_SECONDS),
    )
    return command_id, done, error
