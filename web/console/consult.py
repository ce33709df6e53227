"""Warm transfer from the console socket: the agent consults a colleague (named, or the
longest-idle free agent of a queue) on their live call, then completes (the call is the
colleague's) or cancels (the colleague is dropped, the caller back with the agent). The engine
decides each step; the channel reactor does the carrier's part (channels.handover_events)."""

from __future__ import annotations

from sqlalchemy import select

from channels import consults
from dispatcher.tables import RoutingAgent
from web import db
from web.console.calls import my_live_call
from web.engine_commands import submit_and_wait

CONSULT_WAIT_SECONDS = 5.0


def _refused(message: str) -> dict:
    return {"ok": False, "error": message}


def _id(data: dict, name: str) -> str | None | dict:
    value = data.get(name)
    if value is not None and (not isinstance(value, str) or not 0 < len(value) <= 64):
        return _refused(f"{name}: an id of 1 to 64 characters")
    return value


def free_colleague(queue_id: str, me: str) -> str | None:
    """The longest-idle agent serving `queue_id` who is available with nothing held."""
    rows = db.session().scalars(
        select(RoutingAgent).where(
            RoutingAgent.status == "available", RoutingAgent.state == "idle",
            RoutingAgent.agent_id != me,
        )
    ).all()  # fmt: skip
    serving = [r for r in rows if queue_id in ((r.data or {}).get("queues") or {})
               and not (r.data or {}).get("consulting")]  # fmt: skip
    serving.sort(key=lambda r: (r.data or {}).get("idle_since") or 0)
    return serving[0].agent_id if serving else None


def consult(me: str, data) -> dict:
    """Consult `agent_id`, or a free agent of `queue_id`, on my live call; the caller holds.
    Refused (reason in `error`) when the colleague is not available or free."""
    data = data or {}
    mine = my_live_call(me, data)
    if isinstance(mine, dict):
        return mine
    task_id = mine[0]
    agent_id, queue_id = _id(data, "agent_id"), _id(data, "queue_id")
    for given in (agent_id, queue_id):
        if isinstance(given, dict):
            return given
    if (agent_id is None) == (queue_id is None):
        return _refused("agent_id or queue_id: name one colleague or one queue")
    if queue_id is not None:
        agent_id = free_colleague(queue_id, me)
        if agent_id is None:
            return _refused(f"queue_id: no agent of {queue_id} is free to consult")
    payload = {"task_id": task_id, "agent_id": agent_id}
    _command, done, error = submit_and_wait("consult", payload, timeout=CONSULT_WAIT_SECONDS)
    name = consults.agent_name(db.session(), agent_id)
    if error:  # the engine names the colleague by id: the agent reads their name
        return _refused(error.replace(f"agent {agent_id!r}:", f"{name}:"))
    return {"ok": True, "done": done, "task_id": task_id, "agent_id": agent_id, "name": name}


def end_consult(me: str, data) -> dict:
    """`complete`: true hands my call to the consulted colleague (once they are on the line);
    false cancels the consult and resumes my caller."""
    data = data or {}
    complete = data.get("complete")
    if not isinstance(complete, bool):
        return _refused("complete: true or false")
    mine = my_live_call(me, data)
    if isinstance(mine, dict):
        return mine
    task_id = mine[0]
    session = db.session()
    live = consults.legs(session=session, task_id=task_id)
    if complete and not any(leg.status == consults.CONNECTED for leg in live):
        return _refused("complete: the colleague is not on the line yet")
    payload = {"task_id": task_id, "complete": complete, "reason": "canceled"}
    _command, done, error = submit_and_wait("end_consult", payload, timeout=CONSULT_WAIT_SECONDS)
    if error:
        return _refused(error)
    return {"ok": True, "done": done, "task_id": task_id, "complete": complete}
