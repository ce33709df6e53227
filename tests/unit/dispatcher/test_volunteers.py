"""Volunteers (dispatcher.core.volunteers): a web chat goes to an idle volunteer of its queue
first; certified paid agents remain the escalation, and volunteers never get other work."""

from __future__ import annotations

from dispatcher.core.model import TaskState
from dispatcher.core.volunteers import VOLUNTEER_CAPACITY, member_of, volunteer_id

WEB = {"source": "web"}
VAL = volunteer_id(7)


def _volunteer(desk, agent_id=VAL, queues=("sales",)):
    desk.router.register_agent(agent_id, queues={q: 0 for q in queues},
                               capacity=VOLUNTEER_CAPACITY)  # fmt: skip
    desk.router.set_status(agent_id, "available")


def test_a_web_chat_is_offered_to_an_idle_volunteer_before_a_certified_agent(desk):
    desk.queue()
    desk.agent("ann")
    _volunteer(desk)
    desk.call("c1", channel="chat", attributes=WEB)
    assert desk.offered_to("c1") == VAL
    desk.answer("c1")
    assert desk.state("c1") is TaskState.ASSIGNED


def test_a_chat_the_volunteer_rejects_goes_to_a_certified_agent_not_another_volunteer(desk):
    desk.queue()
    _volunteer(desk)
    _volunteer(desk, volunteer_id(8))
    desk.call("c1", channel="chat", attributes=WEB)
    first = desk.offered_to("c1")
    desk.decline("c1")
    assert desk.offered_to("c1") is None  # the other volunteer is not asked
    desk.agent("ann")
    assert desk.offered_to("c1") == "ann"
    assert first in (VAL, volunteer_id(8))


def test_a_timed_out_volunteer_offer_goes_to_the_waiting_certified_agent(desk):
    desk.queue(reservation_timeout=10)
    _volunteer(desk)
    desk.agent("ann", capacity={"chat": 1})
    desk.call("c0", channel="chat", attributes={"source": "whatsapp"})  # ann takes this one
    desk.answer("c0")
    desk.call("c1", channel="chat", attributes=WEB)
    assert desk.offered_to("c1") == VAL
    desk.router.wrap_up("c0")
    desk.router.complete("c0")
    assert desk.offered_to("c1") == VAL  # ann is free, but the volunteer's offer stands
    desk.wait(11)
    assert desk.offered_to("c1") == "ann"


def test_with_no_volunteer_idle_a_web_chat_goes_to_a_certified_agent(desk):
    desk.queue()
    desk.agent("ann")
    _volunteer(desk)
    desk.router.set_status(VAL, "break")
    desk.call("c1", channel="chat", attributes=WEB)
    assert desk.offered_to("c1") == "ann"


def test_a_volunteer_is_never_offered_calls_sms_conversations_or_community_questions(desk):
    desk.queue()
    _volunteer(desk)
    desk.call("v1", channel="voice")
    desk.call("s1", channel="sms")
    desk.call("w1", channel="chat", attributes={"source": "whatsapp"})
    desk.call("q1", channel="community")
    desk.call("p1", channel="chat", attributes={"source": "web", "paid_only": True})
    assert [desk.offered_to(t) for t in ("v1", "s1", "w1", "q1", "p1")] == [None] * 5
    desk.call("c1", channel="chat", attributes=WEB)
    assert desk.offered_to("c1") == VAL


def test_a_volunteer_becoming_available_takes_a_waiting_web_chat_without_certification(desk):
    desk.queue()  # requires the "sales" certification, which no volunteer holds
    desk.call("v1", channel="voice")
    desk.call("c1", channel="chat", attributes=WEB)
    _volunteer(desk)
    assert desk.offered_to("c1") == VAL
    assert desk.offered_to("v1") is None


def test_a_chat_a_volunteer_hands_back_goes_to_certified_agents_only(desk):
    desk.queue()
    _volunteer(desk)
    _volunteer(desk, volunteer_id(8))
    desk.call("c1", channel="chat", attributes=WEB)
    holder = desk.offered_to("c1")
    desk.answer("c1")
    desk.router.transfer("c1")
    assert desk.state("c1") is TaskState.PENDING and desk.offered_to("c1") is None
    desk.agent("ann")
    assert desk.offered_to("c1") == "ann" and holder != "ann"


def test_volunteers_serve_only_their_queues(desk):
    desk.queue()
    desk.queue("support")
    _volunteer(desk, queues=("support",))
    desk.call("c1", channel="chat", attributes=WEB)
    assert desk.offered_to("c1") is None
    assert member_of(VAL) == 7 and member_of("12") is None
