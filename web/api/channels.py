"""Channels API: entry points (numbers → program → menu → queues), the agent's browser phone
(access token, phone or browser), chat transcripts, and supervisor coaching on calls."""

from __future__ import annotations

from flask import abort, current_app, request
from flask_login import current_user
from spectree import Response
from twilio.jwt.access_token import AccessToken
from twilio.jwt.access_token.grants import VoiceGrant

from agents import roster
from agents.models import Role
from channels import contacts, entry_points
from channels.gateway import GatewayError
from channels.links import conference_name
from channels.models import AgentVoiceEndpoint, Contact, EntryPoint
from database.base import utcnow
from web import db
from web.access import STAFF, roles_required
from web.api.blueprint import bp
from web.api.channel_schemas import (
    CoachIn,
    CoachOut,
    EntryPointIn,
    EntryPointList,
    EntryPointOut,
    TranscriptOut,
    TranscriptQuery,
    VoiceEndpointIn,
    VoiceEndpointOut,
    VoiceTokenOut,
)  # fmt: skip
from web.api.errors import error_response
from web.api.schemas import ErrorOut
from web.api.spec import api_spec

TAGS = ["channels"]
ERRORS = {"HTTP_401": ErrorOut, "HTTP_403": ErrorOut, "HTTP_404": ErrorOut, "HTTP_422": ErrorOut}
TOKEN_TTL = 3600


def entry_json(entry: EntryPoint) -> EntryPointOut:
    return EntryPointOut(
        id=entry.id, address=entry.address, program=entry.program.code, queue_id=entry.queue_id,
        greeting=entry.greeting, language=entry.language, menu=entry.menu or [],
        announce_position=entry.announce_position, is_active=entry.is_active,
    )  # fmt: skip


@bp.get("/channels/numbers")
@roles_required(*STAFF)
@api_spec.validate(resp=Response(HTTP_200=EntryPointList, **ERRORS), tags=TAGS)
def list_numbers():
    """Numbers and chat widgets with their program, default queue and IVR menu."""
    found = entry_points.list_entry_points(session=db.session())
    return EntryPointList(items=[entry_json(e) for e in found])


@bp.put("/channels/numbers")
@roles_required(Role.ADMIN)
@api_spec.validate(json=EntryPointIn, resp=Response(HTTP_200=EntryPointOut, **ERRORS), tags=TAGS)
def save_number():
    """Create or replace the entry point at `address` (admins)."""
    body: EntryPointIn = request.context.json
    try:
        entry = entry_points.save(
            session=db.session(), address=body.address, program_code=body.program,
            queue_id=body.queue_id, greeting=body.greeting, language=body.language,
            menu=[o.model_dump() for o in body.menu], announce_position=body.announce_position,
            is_active=body.is_active,
        )  # fmt: skip
    except entry_points.EntryPointError as error:
        abort(error_response(422, error.message, {error.field: error.message}))
    return entry_json(entry)


def _my_agent():
    agent = roster.get_by_user(session=db.session(), user_id=current_user.id)
    if agent is None:
        abort(404)
    return agent


@bp.post("/channels/voice/token")
@roles_required(Role.AGENT)
@api_spec.validate(resp=Response(HTTP_200=VoiceTokenOut, HTTP_503=ErrorOut, **ERRORS), tags=TAGS)
def voice_token():
    """An access token for the Twilio Voice JS SDK: the agent's browser takes offered calls."""
    settings = current_app.config["CROWDLINE_SETTINGS"]
    if not settings.twilio_api_key:
        abort(error_response(503, "the browser phone needs TWILIO_API_KEY, TWILIO_API_SECRET "
                                  "and TWILIO_TWIML_APP_SID"))  # fmt: skip
    identity = f"agent-{_my_agent().id}"
    token = AccessToken(
        settings.twilio_account_sid, settings.twilio_api_key, settings.twilio_api_secret,
        identity=identity, ttl=TOKEN_TTL,
    )  # fmt: skip
    token.add_grant(
        VoiceGrant(outgoing_application_sid=settings.twilio_twiml_app_sid, incoming_allow=True)
    )
    return VoiceTokenOut(token=token.to_jwt(), identity=identity, ttl=TOKEN_TTL)


@bp.put("/channels/voice/endpoint")
@roles_required(Role.AGENT)
@api_spec.validate(
    json=VoiceEndpointIn, resp=Response(HTTP_200=VoiceEndpointOut, **ERRORS), tags=TAGS
)
def set_voice_endpoint():
    """Ring my home phone or my browser for call offers."""
    agent = _my_agent()
    session = db.session()
    endpoint = session.get(AgentVoiceEndpoint, agent.id) or AgentVoiceEndpoint(agent_id=agent.id)
    endpoint.kind, endpoint.updated_at = request.context.json.kind, utcnow()
    session.add(endpoint)
    return VoiceEndpointOut(kind=endpoint.kind)


@bp.get("/channels/transcript")
@roles_required(*STAFF)
@api_spec.validate(
    query=TranscriptQuery, resp=Response(HTTP_200=TranscriptOut, **ERRORS), tags=TAGS
)
def transcript():
    """A contact with its outcome, recording and chat transcript (supervisor review)."""
    session = db.session()
    contact = session.get(Contact, request.context.query.task_id)
    if contact is None:
        abort(error_response(404, "no such contact", {"task_id": "unknown"}))
    messages = contacts.transcript(session=session, task_id=contact.task_id)
    return TranscriptOut(
        task_id=contact.task_id, channel=contact.channel, customer=contact.customer,
        outcome=contact.outcome, ended=_ended(session, contact),
        agent_id=contact.agent_id, recording_url=contact.recording_url,
        messages=[contacts.message_json(m) for m in messages],
    )  # fmt: skip


def _ended(session, contact: Contact) -> bool:
    """Over for the customer: the contact closed, or its task reached wrap-up or an end (a
    chat's outcome is "answered" from the moment an agent joins, so it cannot tell)."""
    if contact.ended_at is not None:
        return True
    view = contacts.task_view(session=session, task_id=contact.task_id)
    return view.state in ("wrapping", "completed", "canceled")


@bp.post("/channels/voice/coach")
@roles_required(*STAFF)
@api_spec.validate(
    json=CoachIn, resp=Response(HTTP_200=CoachOut, HTTP_502=ErrorOut, **ERRORS), tags=TAGS
)
def coach():
    """Monitor (muted), whisper (heard by the agent only) or barge into a live call."""
    body: CoachIn = request.context.json
    session = db.session()
    contact = session.get(Contact, body.task_id)
    view = contacts.task_view(session=session, task_id=body.task_id)
    if contact is None or contact.channel != "voice" or view.state != "assigned":
        abort(error_response(404, "no call in progress", {"task_id": "not a live call"}))
    agent_leg = contacts.agent_leg(session=session, task_id=body.task_id, agent_id=view.agent_id)
    gateway = current_app.extensions["crowdline.gateway"]
    try:
        call_sid = gateway.add_participant(
            conference_name(body.task_id), to=body.phone,
            from_=contact.entry_point.address if contact.entry_point else body.phone,
            muted=body.mode == "monitor",
            coach_call_sid=agent_leg.call_sid if body.mode == "whisper" and agent_leg else None,
        )  # fmt: skip
    except GatewayError as error:
        abort(error_response(502, f"the carrier refused: {error}"))
    contacts.add_leg(session=session, call_sid=call_sid, task_id=body.task_id, role="supervisor")
    return CoachOut(call_sid=call_sid)

