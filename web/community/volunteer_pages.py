"""The volunteer console of a program's community (`/community/<program>/volunteer`): a super
user opts in or out (CSRF forms), sets their status, answers offers, chats and wraps up through
the JSON endpoints below; routing decisions go to the engine's inbox. Volunteers see no pay,
schedule or training page, and a roster session is never a volunteer session."""

from __future__ import annotations

import time

from flask import (
    abort,
    flash,
    g,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from sqlalchemy import select

from channels import console_view, contacts, dispositions
from channels.models import Contact
from community import volunteering
from community.errors import CommunityError
from dispatcher.core.volunteers import volunteer_id
from dispatcher.tables import RoutingTask
from web import db
from web.community.blueprint import bp
from web.community.forms import ActionForm
from web.community.identity import current_member, staff_user
from web.community.volunteer_identity import current_super_user
from web.engine_commands import submit_and_wait

STATUSES = ("available", "break", "offline")
MAX_NOTES = 2000


def _refused(status: int, message: str, field: str | None = None):
    body = {"error": message, "fields": {field: message} if field else {}}
    abort(make_response(jsonify(body), status))


def _super_user_or_leave():
    """The super user; a visitor or an agent (no member) is sent to the community's sign-in,
    anyone else (a member, staff) refused with 403."""
    member = current_super_user()
    if member is not None:
        return member
    if current_member() is None and staff_user() is None:
        abort(redirect(url_for("community.signin", next=request.path)))
    abort(403)


def _volunteer() -> str:
    """JSON: the routing id of the super user volunteering for this program (409 when they
    have not opted in)."""
    member = _super_user_or_leave()
    if not volunteering.is_volunteering(
        session=db.session(), member=member, program=g.community_program
    ):
        _refused(409, "volunteer for this community first")
    return volunteer_id(member.id)


@bp.get("/volunteer")
def volunteer_console():
    """Super users: opt in to the volunteer queue, and once in, the volunteer console."""
    member = _super_user_or_leave()
    session, program = db.session(), g.community_program
    return render_template(
        "community/volunteer.html", program=program, member=member, form=ActionForm(),
        queue=volunteering.volunteer_queue(session=session, program=program),
        joined=volunteering.is_volunteering(session=session, member=member, program=program),
        agent_id=volunteer_id(member.id), reasons={s: [""] for s in STATUSES},
    )  # fmt: skip


@bp.post("/volunteer/<any(join, leave):choice>")
def volunteer_opt(choice: str):
    """Super users: opt in to (join) or out of (leave) the program's volunteer queue."""
    member = _super_user_or_leave()
    if not ActionForm().validate_on_submit():
        abort(400, description="csrf_token: the form expired, reload the page")
    session, program = db.session(), g.community_program
    change = volunteering.opt_in if choice == "join" else volunteering.opt_out
    try:
        change(session=session, member=member, program=program)
    except CommunityError as error:
        flash(error.message, "error")
        return redirect(url_for("community.volunteer_console"))
    session.commit()
    flash("You are in the volunteer queue: go available to take chats." if choice == "join"
          else "You have left the volunteer queue.", "ok")  # fmt: skip
    return redirect(url_for("community.volunteer_console"))


@bp.get("/volunteer/api/state")
def volunteer_state():
    """The volunteer's authoritative state (as the agent console's): status, offers, chats."""
    agent_id = _volunteer()
    session = db.session()
    found = console_view.state_of(session=session, agent_id=agent_id, now=time.time())
    queue = volunteering.volunteer_queue(session=session, program=g.community_program)
    found.update(queues=[queue] if queue else [], colleagues=[], endpoint="phone")
    return found


def _submit(kind: str, payload: dict) -> dict:
    _command_id, done, error = submit_and_wait(kind, payload)
    if error:
        _refused(409, error)
    return {"ok": True, "done": done}


@bp.post("/volunteer/api/status")
def volunteer_status():
    """{status}: available, break or offline."""
    agent_id = _volunteer()
    contacts.begin_write(db.session())
    status = str((request.get_json(silent=True) or {}).get("status") or "")
    if status not in STATUSES:
        _refused(422, f"status: one of {', '.join(STATUSES)}", "status")
    return _submit("set_status", {"agent_id": agent_id, "status": status})


@bp.post("/volunteer/api/offers/<path:reservation_id>/<any(accept, reject):action>")
def volunteer_offer(reservation_id: str, action: str):
    """Accept or reject an offer made to the volunteer (another's offer is refused)."""
    agent_id = _volunteer()
    contacts.begin_write(db.session())
    return _submit(action, {"reservation_id": reservation_id[:80], "agent_id": agent_id})


def _my_task(agent_id: str, *states: str) -> RoutingTask:
    task_id = str((request.get_json(silent=True) or {}).get("task_id") or "")[:64]
    if not task_id:
        _refused(422, "task_id: required", "task_id")
    task = db.session().scalar(select(RoutingTask).where(RoutingTask.task_id == task_id))
    if task is None or task.agent_id != agent_id:
        _refused(404, "task_id: not a chat of yours", "task_id")
    if task.state not in states:
        _refused(409, f"task_id: the chat is {task.state}", "task_id")
    return task


@bp.post("/volunteer/api/hang-up")
def volunteer_hang_up():
    """{task_id}: end the volunteer's chat; the engine starts its wrap-up."""
    agent_id = _volunteer()
    session = db.session()
    contacts.begin_write(session)
    task = _my_task(agent_id, "assigned")
    contacts.wrap_up(session=session, task_id=task.task_id)
    session.commit()
    return {"ok": True}


@bp.post("/volunteer/api/wrap-up/extend")
def volunteer_extend():
    """{task_id}: 30 s more wrap-up."""
    agent_id = _volunteer()
    contacts.begin_write(db.session())
    task = _my_task(agent_id, "wrapping")
    return _submit("extend_wrap_up", {"task_id": task.task_id, "seconds": 30})


@bp.post("/volunteer/api/wrap-up")
def volunteer_wrap_up():
    """{task_id, disposition, notes}: the disposition (one of the queue's codes) is kept on the
    contact, then the chat completes."""
    agent_id = _volunteer()
    session = db.session()
    contacts.begin_write(session)
    body = request.get_json(silent=True) or {}
    disposition = str(body.get("disposition") or "")
    if len(str(body.get("notes") or "")) > MAX_NOTES:
        _refused(422, f"notes: at most {MAX_NOTES} characters", "notes")
    task = _my_task(agent_id, "assigned", "wrapping", "completed")
    codes = [c["code"] for c in dispositions.codes_for(session=session, queue_id=task.queue_id)]
    if disposition not in codes:
        _refused(422, f"disposition: one of {', '.join(codes)}", "disposition")
    contact = session.get(Contact, task.task_id)
    if contact is not None:
        contact.disposition = disposition
    if task.state == "completed":
        session.commit()
        return {"ok": True}
    return _submit("complete", {"task_id": task.task_id})
