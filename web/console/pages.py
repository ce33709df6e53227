"""The agent console page (`/console`) and its JSON endpoints: state after (re)connect, my day,
status with a reason, hang up, and the wrap-up form. Routing decisions go to the engine's inbox.
The Twilio Voice JS SDK is served from node_modules (installed by `npm ci`, never a CDN)."""

from __future__ import annotations

import time
from pathlib import Path

from flask import (
    Response,
    abort,
    jsonify,
    make_response,
    render_template,
    request,
)
from flask_login import current_user
from sqlalchemy import select

from agents import audit, roster
from agents.models import Agent, Role
from channels import console_view as service
from channels import contacts, dispositions, history
from channels.models import Contact
from dispatcher.tables import RoutingTask
from web import db
from web.access import roles_required
from web.console.blueprint import bp
from web.engine_commands import submit_and_wait

STATUS_REASONS = {
    "available": ("",),
    "break": ("lunch", "rest", "coaching", "training", "technical"),
    "offline": ("end_of_shift", "technical", "personal"),
}
MAX_NOTES = 2000
VOICE_SDK = Path(__file__).resolve().parents[2] / "node_modules" / "@twilio" / "voice-sdk" / "dist"
VOICE_SDK_FILE = "twilio.min.js"


def _refused(status: int, message: str, field: str | None = None):
    body = {"error": message, "fields": {field: message} if field else {}}
    abort(make_response(jsonify(body), status))


def _me() -> Agent:
    agent = roster.get_by_user(session=db.session(), user_id=current_user.id)
    if agent is None:
        abort(404)
    return agent


def _submit(kind: str, payload: dict) -> None:
    """Queue a routing command and wait briefly for the engine; 409 with its reason."""
    _command_id, _done, error = submit_and_wait(kind, payload)
    if error:
        _refused(409, error)


@bp.get("/console")
@roles_required(Role.AGENT)
def console():
    """The agent's console (agents only)."""
    return render_template("console/console.html", agent=_me(), reasons=STATUS_REASONS)


@bp.get("/console/vendor/twilio.js")
@roles_required(Role.AGENT)
def voice_sdk():
    """The Twilio Voice JS SDK (a classic script defining window.Twilio), for the browser phone."""
    if not (VOICE_SDK / VOICE_SDK_FILE).is_file():
        abort(404, description="@twilio/voice-sdk is not installed: run `npm ci`")
    # Read whole (about 400 kB): a streamed file stays open when a client never reads it.
    response = Response((VOICE_SDK / VOICE_SDK_FILE).read_bytes(), mimetype="text/javascript")
    response.cache_control.max_age = 3600
    return response


@bp.get("/console/api/state")
@roles_required(Role.AGENT)
def state():
    """Authoritative state: the console fetches it after every (re)connect and push."""
    return service.state_of(session=db.session(), agent_id=str(_me().id), now=time.time())


@bp.get("/console/api/my-day")
@roles_required(Role.AGENT)
def my_day():
    agent = _me()
    return service.my_day(session=db.session(), agent_id=str(agent.id),
                          pay_rate=agent.pay_rate_per_minute, now=time.time())  # fmt: skip


@bp.get("/console/api/history")
@roles_required(Role.AGENT)
def history_today():
    """The agent's contacts of today (UTC), newest first, with how each left them."""
    since = service.start_of_day(time.time())
    found = history.my_contacts(session=db.session(), agent_id=str(_me().id), since=since)
    return {"contacts": found}


@bp.get("/console/api/contacts/<task_id>/transcript")
@roles_required(Role.AGENT)
def contact_transcript(task_id: str):
    """A chat transcript the agent may read: a contact they handled, or a past contact of the
    customer they are serving now; 404 for anything else (nothing says it exists)."""
    session = db.session()
    if len(task_id) > 64 or not history.may_read(
        session=session, agent_id=str(_me().id), task_id=task_id
    ):
        _refused(404, "task_id: not a contact of yours", "task_id")
    contact = session.get(Contact, task_id)
    messages = contacts.transcript(session=session, task_id=task_id)
    return {
        "task_id": task_id,
        "channel": contact.channel if contact else "task",
        "customer": contact.customer if contact else "",
        "disposition": contact.disposition if contact else None,
        "messages": [contacts.message_json(m) for m in messages],
    }


@bp.post("/console/api/status")
@roles_required(Role.AGENT)
def set_status():
    """{status, reason}: the reason (break and offline) is kept in the audit log."""
    contacts.begin_write(db.session())
    body = request.get_json(silent=True) or {}
    status, reason = str(body.get("status") or ""), str(body.get("reason") or "")
    if status not in STATUS_REASONS:
        _refused(422, f"status: one of {', '.join(STATUS_REASONS)}", "status")
    if reason not in STATUS_REASONS[status] and not (status == "available" and not reason):
        _refused(422, f"reason: one of {', '.join(STATUS_REASONS[status])}", "reason")
    agent = _me()
    audit.record(session=db.session(), actor_id=current_user.id, action="agent.status",
                 entity_type="agent", entity_id=agent.id, after={"status": status},
                 reason=reason)  # fmt: skip
    _submit("set_status", {"agent_id": str(agent.id), "status": status})
    return {"ok": True, "status": status}


def _task_id() -> str:
    task_id = str((request.get_json(silent=True) or {}).get("task_id") or "")
    if not task_id:
        _refused(422, "task_id: required", "task_id")
    return task_id


def _my_task(task_id: str, *states: str) -> RoutingTask:
    task = db.session().scalar(select(RoutingTask).where(RoutingTask.task_id == task_id))
    if task is None or task.agent_id != str(_me().id):
        _refused(404, "task_id: not a task of yours", "task_id")
    if states and task.state not in states:
        _refused(409, f"task_id: the task is {task.state}", "task_id")
    return task


@bp.post("/console/api/hang-up")
@roles_required(Role.AGENT)
def hang_up():
    """{task_id}: end the conversation (call or chat); the engine starts the wrap-up."""
    session = db.session()
    contacts.begin_write(session)
    task = _my_task(_task_id(), "assigned")
    contacts.wrap_up(session=session, task_id=task.task_id)
    session.commit()
    return {"ok": True}


@bp.post("/console/api/wrap-up/extend")
@roles_required(Role.AGENT)
def extend_wrap_up():
    """{task_id, seconds?}: more wrap-up time for my task in wrap-up (default 30 s, 1-600;
    at most 10 minutes past now in all)."""
    contacts.begin_write(db.session())
    body = request.get_json(silent=True) or {}
    seconds = body.get("seconds", 30)
    if isinstance(seconds, bool) or not isinstance(seconds, int | float) or not 1 <= seconds <= 600:
        _refused(422, "seconds: a number of seconds from 1 to 600", "seconds")
    task = _my_task(_task_id(), "wrapping")
    _submit("extend_wrap_up", {"task_id": task.task_id, "seconds": seconds})
    return {"ok": True}


@bp.post("/console/api/wrap-up")
@roles_required(Role.AGENT)
def wrap_up():
    """{task_id, disposition, notes}: the disposition must be one of the task's queue's codes;
    recorded on the contact and in the audit log, then the task completes."""
    session = db.session()
    contacts.begin_write(session)
    body = request.get_json(silent=True) or {}
    disposition, notes = str(body.get("disposition") or ""), str(body.get("notes") or "").strip()
    if len(notes) > MAX_NOTES:
        _refused(422, f"notes: at most {MAX_NOTES} characters", "notes")
    task = _my_task(_task_id(), "assigned", "wrapping", "completed")
    codes = [c["code"] for c in dispositions.codes_for(session=session, queue_id=task.queue_id)]
    if disposition not in codes:
        _refused(422, f"disposition: one of {', '.join(codes)}", "disposition")
    contact = session.get(Contact, task.task_id)
    if contact is not None:
        contact.disposition = disposition
    audit.record(session=db.session(), actor_id=current_user.id, action="task.wrap_up",
                 entity_type="agent", entity_id=int(task.agent_id),
                 after={"task_id": task.task_id, "queue_id": task.queue_id,
                        "disposition": disposition, "notes": notes})  # fmt: skip
    if task.state == "completed":
        db.session().commit()
    else:
        _submit("complete", {"task_id": task.task_id})
    return {"ok": True}

