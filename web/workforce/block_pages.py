"""One block for supervisors (`/schedule/blocks/<id>`): who committed to it, and a message to
the agents who could still fill it when it is under-booked — in their console and, for those
who opted in, by SMS through the gateway. Rate limited per supervisor and block; audited."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, render_template, request
from flask_login import current_user

from agents import audit
from agents.models import Program
from channels import entry_points
from channels.gateway import GatewayError
from web import db
from web.access import STAFF, roles_required
from web.api.workforce import now
from web.extensions import limiter
from web.realtime import push_to_agent
from workforce import bookings, outreach
from workforce.errors import WorkforceError

bp = Blueprint("schedule_block", __name__)
log = logging.getLogger(__name__)
MESSAGE_LIMIT = "6 per hour"


def _render(block_id: int, *, status: int = 200, sent: str = "", errors: dict | None = None):
    session = db.session()
    block = bookings.block_or_raise(session=session, block_id=block_id)
    try:
        _block, reachable = outreach.recipients(session=session, block_id=block_id, now=now())
        fillable = ""
    except WorkforceError as why:
        reachable, fillable = [], why.message
    return render_template(
        "workforce/block.html", block=block, program=session.get(Program, block.program_id),
        holders=outreach.holders(session=session, block_id=block_id), reachable=reachable,
        fillable=fillable, sent=sent, errors=errors or {}, text=request.form.get("text", ""),
    ), status  # fmt: skip


@bp.get("/schedule/blocks/<int:block_id>")
@roles_required(*STAFF)
def block_page(block_id: int):
    return _render(block_id)


def _limit_key() -> str:
    return f"{current_user.get_id()}:{request.view_args.get('block_id')}"


@bp.post("/schedule/blocks/<int:block_id>/message")
@roles_required(*STAFF)
@limiter.limit(MESSAGE_LIMIT, key_func=_limit_key, scope="schedule-message",
               error_message="Too many messages about this block; try again later.")  # fmt: skip
def message_agents(block_id: int):
    """text (1-500 characters), sms=on to text those who opted in too."""
    session = db.session()
    try:
        text = outreach.check_text(request.form.get("text"))
        block, reachable = outreach.recipients(session=session, block_id=block_id, now=now())
    except WorkforceError as bad:
        return _render(block_id, status=bad.status, errors={bad.field or "block": bad.message})
    texts = _send(block, reachable, text, sms=request.form.get("sms") == "on")
    audit.record(session=session, actor_id=current_user.id, action="workforce.message",
                 entity_type="block", entity_id=block.id, before=None,
                 after={"agents": len(reachable), "sms": texts}, reason=text)  # fmt: skip
    session.commit()
    return _render(block_id, sent=f"Sent to {len(reachable)} agent(s), {texts} by SMS.")


def _send(block, reachable, text: str, *, sms: bool) -> int:
    """Console pushes to all, SMS to those with a phone when `sms`; the SMS sent count."""
    payload = {"block_id": block.id, "start": block.starts_at.isoformat(),
               "queue_id": block.queue_id, "text": text}  # fmt: skip
    number = entry_points.sending_number(session=db.session(), program_id=block.program_id)
    gateway = current_app.extensions["crowdline.gateway"]
    texts = 0
    for person in reachable:
        push_to_agent(str(person.agent_id), "schedule_message", payload)
        if sms and person.phone and number:
            try:
                gateway.send_text(to=person.phone, from_=number, body=text)
                texts += 1
            except GatewayError as error:
                log.warning("schedule SMS to agent %s failed: %s", person.agent_id, error)
    return texts
