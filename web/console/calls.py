"""An agent's controls on their own live call, from the console socket: hold / resume the
caller (conference participant hold, music from the hold URL), mute / unmute their own leg, and
transfer the call to a queue or a named agent (the engine decides; the caller goes back on hold
meanwhile). Hold and mute are stored on the call legs, so a reloaded console shows the truth."""

from __future__ import annotations

from flask import current_app

from channels import contacts
from channels.gateway import GatewayError
from channels.links import conference_name
from channels.models import Contact
from web import db
from web.engine_commands import submit_and_wait
from web.twilio.webhooks import links

TRANSFER_WAIT_SECONDS = 5.0


def _refused(message: str) -> dict:
    return {"ok": False, "error": message}


def my_live_call(me: str, data) -> tuple[str, object] | dict:
    """(task_id, caller leg) of a voice task assigned to agent `me`, or a refusal."""
    task_id = str((data or {}).get("task_id") or "")[:64]
    session = db.session()
    view = contacts.task_view(session=session, task_id=task_id)
    contact = session.get(Contact, task_id) if task_id else None
    if contact is None or contact.channel != "voice" or view.agent_id != me:
        return _refused("task_id: not a call of yours")
    if view.state != "assigned":
        return _refused("task_id: the call is not in conversation")
    leg = contacts.caller_leg(session=session, task_id=task_id)
    if leg is None or leg.ended_at is not None:
        return _refused("task_id: the caller has hung up")
    return task_id, leg


def hold(me: str, data) -> dict:
    """Put the caller of my live call on hold (`hold`: true) or take them off it (false)."""
    on_hold = (data or {}).get("hold", True)
    if not isinstance(on_hold, bool):
        return _refused("hold: true or false")
    mine = my_live_call(me, data)
    if isinstance(mine, dict):
        return mine
    task_id, leg = mine
    gateway = current_app.extensions["crowdline.gateway"]
    try:
        gateway.hold(conference_name(task_id), leg.call_sid, on_hold, links().hold(task_id))
    except GatewayError as error:
        return _refused(f"the carrier refused: {error}")
    leg.on_hold = on_hold  # what the console shows after a reload
    db.session().commit()
    return {"ok": True, "task_id": task_id, "on_hold": on_hold}


def mute(me: str, data) -> dict:
    """Mute (`mute`: true) or unmute my own leg of my live call, as a conference participant
    (home phone; a browser phone mutes itself in the page)."""
    muted = (data or {}).get("mute", True)
    if not isinstance(muted, bool):
        return _refused("mute: true or false")
    mine = my_live_call(me, data)
    if isinstance(mine, dict):
        return mine
    task_id = mine[0]
    session = db.session()
    leg = contacts.agent_leg(session=session, task_id=task_id, agent_id=me)
    if leg is None or leg.ended_at is not None:
        return _refused("task_id: your phone is not on the call")
    gateway = current_app.extensions["crowdline.gateway"]
    try:
        gateway.mute(conference_name(task_id), leg.call_sid, muted)
    except GatewayError as error:
        return _refused(f"the carrier refused: {error}")
    leg.muted = muted
    session.commit()
    return {"ok": True, "task_id": task_id, "muted": muted}


def transfer(me: str, data) -> dict:
    """Hand my live call to `queue_id` (default: its own queue) or to `agent_id`; the engine
    refuses an unknown queue or agent (reason in `error`)."""
    data = data or {}
    mine = my_live_call(me, data)
    if isinstance(mine, dict):
        return mine
    payload: dict = {"task_id": mine[0]}
    for name in ("queue_id", "agent_id"):
        value = data.get(name)
        if value is not None and (not isinstance(value, str) or not 0 < len(value) <= 64):
            return _refused(f"{name}: an id of 1 to 64 characters")
        if value is not None:
            payload[name] = value
    _command_id, done, error = submit_and_wait("transfer", payload, timeout=TRANSFER_WAIT_SECONDS)
    if error:
        return _refused(error)
    return {"ok": True, "done": done, "task_id": mine[0]}
