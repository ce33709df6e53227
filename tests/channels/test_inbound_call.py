"""The inbound-call webhook's fast path: one task per CallSid with plain inserts, and the
number's route cached yet never stale after a change made in this process."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest
from sqlalchemy import func, select, update

from channels import entry_points
from channels.inbound import RouteCache
from channels.models import CallLeg, Contact, EntryPoint
from dispatcher.tables import RoutingCommand
from tests.channels.helpers import NUMBER, signed_post
from tests.factories import make_program

CALL = {"CallSid": "CA" + "b" * 32, "From": "+15557770002", "To": NUMBER, "CallStatus": "ringing"}


@pytest.fixture
def direct_number(db_session):
    """A number without a menu: callers go straight to the queue."""
    make_program(db_session, code="acme", name="Acme Insurance")
    entry = entry_points.save(
        session=db_session, address=NUMBER, program_code="acme", queue_id="claims", language="en"
    )
    db_session.commit()
    return entry


def count(db_session, model) -> int:
    return db_session.scalar(select(func.count()).select_from(model))


def conference(response) -> str | None:
    found = ET.fromstring(response.data).find("Dial/Conference")
    return None if found is None else found.text


def test_a_call_to_a_number_without_menu_is_queued_once_however_often_twilio_retries(
    twilio_app, direct_number, token, db_session
):
    client = twilio_app.test_client()
    answers = [signed_post(client, "/twilio/voice/incoming", CALL, token=token) for _ in range(3)]
    assert [conference(a) for a in answers] == [f"task-{CALL['CallSid']}"] * 3
    contact = db_session.get(Contact, CALL["CallSid"])
    assert (contact.enqueued, contact.queue_id, contact.language) == (True, "claims", "en")
    assert contact.customer == CALL["From"] and contact.entry_point_id == direct_number.id
    leg = db_session.scalars(select(CallLeg)).one()
    assert (leg.call_sid, leg.role, leg.status) == (CALL["CallSid"], "caller", "in-progress")
    command = db_session.scalars(select(RoutingCommand)).one()
    assert command.kind == "enqueue"
    assert command.payload["task_id"] == CALL["CallSid"]
    assert (command.payload["queue_id"], command.payload["channel"]) == ("claims", "voice")
    assert command.payload["attributes"] == {"customer": CALL["From"], "choice": ""}


def test_a_number_taken_out_of_service_refuses_the_next_call_at_once(
    twilio_app, direct_number, token, db_session
):
    client = twilio_app.test_client()
    first = {**CALL, "CallSid": "CA" + "1" * 32}
    assert conference(signed_post(client, "/twilio/voice/incoming", first, token=token))
    entry_points.save(session=db_session, address=NUMBER, program_code="acme",
                      queue_id="claims", is_active=False)  # fmt: skip
    db_session.commit()
    response = signed_post(client, "/twilio/voice/incoming", CALL, token=token)
    said = [say.text for say in ET.fromstring(response.data).iter("Say")]
    assert said == ["Sorry, this number is not in service. Goodbye."]
    assert db_session.get(Contact, CALL["CallSid"]) is None
    assert count(db_session, RoutingCommand) == 1


def test_a_route_changed_by_another_process_is_read_again_after_its_time_to_live(
    direct_number, db_session
):
    now = [0.0]
    cache = RouteCache(ttl=5.0, clock=lambda: now[0])
    assert cache.get(session=db_session, address=NUMBER).queue_id == "claims"
    db_session.execute(update(EntryPoint).values(queue_id="sales"))  # not through save()
    now[0] = 4.9
    assert cache.get(session=db_session, address=NUMBER).queue_id == "claims"
    now[0] = 5.1
    assert cache.get(session=db_session, address=NUMBER).queue_id == "sales"
    assert cache.get(session=db_session, address="+15550009999") is None
