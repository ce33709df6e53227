"""Voice webhooks: inbound call and IVR, hold, the agent's offer call, status callbacks (also
of a consulted colleague's call) and the voicemail / callback fallbacks. Each answers at once;
routing is asked, never decided."""

from __future__ import annotations

import logging

from flask import current_app, request

from channels import call_ends, consults, contacts, entry_points, inbound
from channels.call_ends import FINAL_STATUSES
from channels.models import Contact
from database.base import utcnow
from web import db
from web.engine_commands import submit_and_wait, submit_now
from web.twilio import recordings
from web.twilio import twiml as build
from web.twilio.webhooks import (
    bp,
    links,
    query,
    required,
    route_cache,
    wait_estimator,
    xml_response,
)
from workforce import hours

log = logging.getLogger(__name__)
ACCEPT_WAIT_SECONDS = 5.0
BROWSER_PREFIX = "client:agent-"  # the browser phone's identity, see channels.reactor


@bp.post("/voice/incoming")
def incoming_call():
    """A call to one of our numbers: the IVR menu, or straight to the queue on hold; while the
    program is closed (hours, holidays) the closed message and voicemail. The fast path: a
    cached route, then Core inserts (see channels.inbound); a replay changes nothing."""
    p = required("CallSid", "To", "From")
    session = db.session()
    route = route_cache().get(session=session, address=_number(p["To"]))
    if route is None:
        log.warning("call %s to unconfigured number %s", p["CallSid"], p["To"])
        return xml_response(build.goodbye("Sorry, this number is not in service. Goodbye."))
    closed = hours.closed_at(session=session, program_id=route.program_id, at=utcnow())
    if closed is not None:  # the closed message, then voicemail; nothing is queued
        inbound.open_closed_call(session=session, call_sid=p["CallSid"], route=route,
                                 caller=p["From"])  # fmt: skip
        why = f"Thank you for calling {route.program_name}. {closed.sentence()}"
        return xml_response(build.voicemail(p["CallSid"], links(), why=why))
    queued = inbound.open_inbound_call(
        session=session, call_sid=p["CallSid"], route=route, caller=p["From"]
    )
    if not queued and route.menu:
        return xml_response(build.menu(route, links()))
    if not queued:  # answered with a menu that has since been removed: queue it now
        contacts.enqueue(session=session, contact=session.get(Contact, p["CallSid"]))
    return xml_response(recordings.hold(session, p["CallSid"]))


@bp.post("/voice/menu")
def menu_choice():
    """The caller's key: its option's queue and language (no key: the number's default)."""
    p = required("CallSid")
    session = db.session()
    contact = session.get(Contact, p["CallSid"])
    if contact is None or contact.entry_point is None:
        log.warning("menu answer for unknown call %s", p["CallSid"])
        return xml_response(build.goodbye("Sorry, we could not place your call. Goodbye."))
    if not contact.enqueued:
        digit = (request.form.get("Digits") or "").strip()
        option = contact.entry_point.option(digit)
        if digit and option is None:
            return xml_response(build.menu(contact.entry_point, links(), retry=True))
        option = option or {}
        contacts.enqueue(
            session=session, contact=contact, queue_id=option.get("queue_id"),
            choice=option.get("label", ""), language=option.get("language"),
        )  # fmt: skip
    return xml_response(recordings.hold(session, contact.task_id))


@bp.post("/voice/hold")
def hold():
    """The conference wait URL: the caller's place in line and expected wait, then music."""
    task_id = query("task")["task"]
    settings = current_app.config["CROWDLINE_SETTINGS"]
    wait = wait_estimator().for_task(session=db.session(), task_id=task_id)
    return xml_response(build.hold_music(wait, settings.hold_music_url))


@bp.post("/voice/status")
def call_status():
    """Status callback of a caller's (or a callback's) leg: a caller gone while waiting is an
    abandoned task; gone while talking ends the conversation (wrap-up)."""
    p = required("CallSid", "CallStatus")
    if p["CallStatus"] in FINAL_STATUSES:
        call_ends.customer_leg_ended(session=db.session(), call_sid=p["CallSid"],
                                     status=p["CallStatus"])  # fmt: skip
    return "", 204


@bp.post("/voice/agent")
def agent_answered():
    """The agent picked up the offer call. Already accepted in the console (browser or home
    phone): straight into the caller's conference. Home phone, not yet accepted: whisper the
    program and choice, press 1. Browser (`To` = client:agent-<id>) not yet accepted: the page
    answered it, so the offer is accepted here."""
    q = query("task", "reservation", "agent")
    session = db.session()
    state, agent_id = contacts.reservation_state(session=session, reservation_id=q["reservation"])
    contact = session.get(Contact, q["task"])
    if contact is not None and state == "accepted" and agent_id == q["agent"]:
        # Accepted in the console before picking up (browser, or the home phone ringing
        # beside the console): straight into the caller's conference, no whisper to answer.
        return _after_answer(session, q, required("CallSid")["CallSid"], "accept")
    browser = request.form.get("To", "") == f"{BROWSER_PREFIX}{q['agent']}"
    if browser and contact is not None and state in ("pending", None):
        return _answer(session, q, required("CallSid")["CallSid"], "1")
    if contact is None or state not in ("pending", None) or agent_id not in (q["agent"], None):
        return xml_response(build.goodbye("This call has been answered or has ended. Goodbye."))
    program = contact.entry_point.program.name if contact.entry_point else "Crowdline"
    action = links().agent_choice(q["task"], q["reservation"], q["agent"])
    return xml_response(build.whisper(program, contact.choice, action))


@bp.post("/voice/agent/answer")
def agent_choice():
    """1 accepts (the engine decides; on success the agent joins the caller), any other key
    rejects. A replay of an accepted answer joins again."""
    q = query("task", "reservation", "agent")
    p = required("CallSid")
    digit = (request.form.get("Digits") or "").strip()
    return _answer(db.session(), q, p["CallSid"], digit)


def _answer(session, q: dict, call_sid: str, digit: str):
    kind = "accept" if digit == "1" else "reject"
    payload = {"reservation_id": q["reservation"], "agent_id": q["agent"]}
    if not contacts.once(session, f"{kind}:{q['reservation']}"):
        return _after_answer(session, q, call_sid, kind)
    if kind == "reject":
        submit_now(kind, payload)
        return xml_response(build.goodbye("You declined the call. Goodbye."))
    submit_and_wait(kind, payload, timeout=ACCEPT_WAIT_SECONDS)
    return _after_answer(session, q, call_sid, kind)


def _after_answer(session, q: dict, call_sid: str, kind: str):
    if kind == "reject":
        return xml_response(build.goodbye("You declined the call. Goodbye."))
    contacts.begin_write(session)
    state, agent_id = contacts.reservation_state(session=session, reservation_id=q["reservation"])
    if state != "accepted" or agent_id != q["agent"]:
        return xml_response(build.goodbye("Sorry, this call is no longer available. Goodbye."))
    leg = contacts.leg(session=session, call_sid=call_sid) or contacts.add_leg(
        session=session, call_sid=call_sid, task_id=q["task"], role="agent",
        agent_id=q["agent"], reservation_id=q["reservation"],
    )  # fmt: skip
    leg.accepted, leg.status = True, "in-progress"
    return xml_response(build.agent_joins(q["task"]))


@bp.post("/voice/agent/status")
def agent_call_status():
    """The agent's leg ended (see channels.call_ends.agent_leg_ended for what follows)."""
    q = query("task", "reservation", "agent")
    p = required("CallSid", "CallStatus")
    if p["CallStatus"] in FINAL_STATUSES:
        call_ends.agent_leg_ended(
            session=db.session(), call_sid=p["CallSid"], status=p["CallStatus"],
            task_id=q["task"], reservation_id=q["reservation"], agent_id=q["agent"],
        )  # fmt: skip
    return "", 204


@bp.post("/voice/consult/status")
def consult_status():
    """A consulted colleague's leg (warm transfer): ringing, answered or ended; an end while
    the consult is open cancels it (see channels.consults.progress)."""
    q = query("task", "agent")
    p = required("CallSid", "CallStatus")
    consults.progress(session=db.session(), call_sid=p["CallSid"], status=p["CallStatus"],
                      task_id=q["task"], agent_id=q["agent"])  # fmt: skip
    return "", 204


@bp.post("/voice/fallback")
def fallback():
    """Max wait reached (the engine redirected the caller here): voicemail or callback."""
    q = query("task", "kind")
    if q["kind"] == "callback":
        return xml_response(
            build.goodbye(
                "All our agents are busy. We will call you back at this number as soon as an "
                "agent is free, and you keep your place in line. Goodbye."
            )
        )
    return xml_response(build.voicemail(q["task"], links()))


@bp.post("/voice/recording")
def recording():
    """The voicemail was recorded: link it to the task (once per RecordingSid)."""
    task_id = query("task")["task"]
    p = required("RecordingSid", "RecordingUrl")
    session = db.session()
    contact = session.get(Contact, task_id)
    if contact is not None and contact.recording_sid is None:
        contact.recording_sid, contact.recording_url = p["RecordingSid"], p["RecordingUrl"]
        contact.outcome = "voicemail"
    return xml_response(build.goodbye("Thank you, your message is recorded. Goodbye."))


@bp.post("/voice/rejoin")
def rejoin():
    """After a transfer the caller goes back on hold in the task's conference."""
    task_id = query("task")["task"]
    return xml_response(recordings.hold(db.session(), task_id, first=False))


def _number(raw: str) -> str:
    try:
        return entry_points.normalise_address(raw)
    except entry_points.EntryPointError:
        return raw.strip()
