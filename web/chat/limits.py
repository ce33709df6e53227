"""Abuse limits of the customer chat widget: chat starts per client (socket) and per address,
messages and typing signals per chat and per address. Counted with Flask-Limiter's limiter in
its storage — Redis when REDIS_URL is set, so every web process shares the counts."""

from __future__ import annotations

import logging
import math
import time

from flask import current_app, request
from limits import parse

from web.extensions import limiter

log = logging.getLogger(__name__)

REFUSALS = {
    "start": "Too many chats were started from here. Please wait {wait} and try again.",
    "message": "You are sending messages too fast. Please wait {wait} and try again.",
    "typing": "Typing signals are coming too fast.",
}


def refusal(action: str, client: str) -> dict | None:
    """Count one `action` ("start", "message" or "typing") by `client` (a socket id, or a
    chat's task id) and its address; None when allowed, else the answer for the widget
    (nothing was done)."""
    per_client, per_address = current_app.config["CHAT_LIMITS"][action]
    address = request.remote_addr or "unknown"
    checks = [
        (parse(per_client), f"chat-{action}-client", client),
        (parse(per_address), f"chat-{action}-address", address),
    ]
    try:
        strategy = limiter.limiter
        over = [(limit, scope, key) for limit, scope, key in checks
                if not strategy.test(limit, scope, key)]  # fmt: skip
        if not over:
            for limit, scope, key in checks:
                strategy.hit(limit, scope, key)
            return None
        reset = max(strategy.get_window_stats(limit, scope, key).reset_time
                    for limit, scope, key in over)  # fmt: skip
    except Exception:  # the limiter's storage is down: serve customers rather than refuse them
        log.warning("chat limits unavailable; %s allowed", action, exc_info=True)
        return None
    seconds = max(1, math.ceil(reset - time.time()))
    log.info("chat %s refused for %s from %s (limit)", action, client, address)
    message = REFUSALS[action].format(wait=_minutes(seconds))
    return {"ok": False, "error": message, "fields": {"rate": message}, "retry_after": seconds}


def _minutes(seconds: int) -> str:
    if seconds < 90:
        return f"{seconds} seconds"
    return f"{math.ceil(seconds / 60)} minutes"
