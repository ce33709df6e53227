"""Rules of agent presence: status apart from state, capacity per channel, state events."""

from __future__ import annotations

from dispatcher.core.model import AgentState, AgentStatus, TaskState


def test_status_set_by_the_person_is_kept_apart_from_engine_state(desk, router):
    desk.queue()
    desk.agent("ann")
    desk.call("t1")
    desk.answer("t1")
    router.set_status("ann", "break")
    agent = router.get_agent("ann")
    assert (agent.status, agent.state) == (AgentStatus.BREAK, AgentState.BUSY)
    assert desk.state("t1") is TaskState.ASSIGNED


def test_agent_on_break_is_offered_nothing_after_the_current_call(desk, router):
    desk.queue(wrapup_seconds=0)
    desk.agent("ann")
    desk.call("t1")
    desk.answer("t1")
    router.set_status("ann", "break")
    desk.call("t2")
    router.wrap_up("t1")
    assert desk.state("t2") is TaskState.PENDING


def test_going_on_break_withdraws_a_pending_offer(desk, router):
    desk.queue()
    desk.agent("ann")
    desk.call("t1")
    events = router.set_status("ann", "break")
    assert [e.name for e in events][:3] == [
        "AgentStatusChanged",
        "ReservationWithdrawn",
        "TaskRequeued",
    ]
    assert desk.state("t1") is TaskState.PENDING


def test_setting_the_same_status_again_changes_nothing(desk, router):
    desk.agent("ann")
    assert router.set_status("ann", "available") == []


def test_voice_capacity_is_one_call_at_a_time(desk):
    desk.queue()
    desk.agent("ann")
    desk.call("t1")
    desk.call("t2")
    assert (desk.offered_to("t1"), desk.offered_to("t2")) == ("ann", None)


def test_chat_capacity_lets_an_agent_hold_several_chats(desk, router):
    desk.queue()
    desk.agent("ann", capacity={"chat": 3})
    for i in range(4):
        desk.call(f"c{i}", channel="chat")
        if desk.offered_to(f"c{i}"):
            desk.answer(f"c{i}")
    assert [desk.state(f"c{i}") for i in range(4)] == [TaskState.ASSIGNED] * 3 + [TaskState.PENDING]


def test_voice_and_chat_capacities_are_counted_apart(desk):
    desk.queue()
    desk.agent("ann", capacity={"voice": 1, "chat": 1})
    desk.call("v", channel="voice")
    desk.answer("v")
    desk.call("c", channel="chat")
    desk.answer("c")
    desk.call("c2", channel="chat")
    assert (desk.state("v"), desk.state("c"), desk.state("c2")) == (
        TaskState.ASSIGNED, TaskState.ASSIGNED, TaskState.PENDING)  # fmt: skip


def test_agent_with_no_capacity_for_a_channel_gets_none_of_it(desk):
    desk.queue()
    desk.agent("ann", capacity={"voice": 1})
    desk.call("c", channel="chat")
    assert desk.state("c") is TaskState.PENDING


def test_raising_capacity_offers_waiting_work_at_once(desk, router):
    desk.queue()
    desk.agent("ann", capacity={"chat": 1})
    desk.call("c1", channel="chat")
    desk.answer("c1")
    desk.call("c2", channel="chat")
    router.set_capacity("ann", "chat", 2)
    assert desk.offered_to("c2") == "ann"


def test_joining_a_queue_offers_its_waiting_work(desk, router):
    desk.queue("sales")
    desk.queue("support")
    desk.agent("ann", queues=("sales",), certs={"sales": 3, "support": 3})
    desk.call("help", "support")
    router.set_queues("ann", {"sales": 0, "support": 0})
    assert desk.offered_to("help") == "ann"


def test_renewed_skills_take_effect_when_reported(desk, router, skills):
    from dispatcher.core.skills import Skill, Skills

    desk.queue()
    desk.agent("ann", certs={})
    desk.call("t1")
    skills.set("ann", Skills.of([Skill("sales", 3)], ["en"]))
    router.skills_changed("ann")
    assert desk.offered_to("t1") == "ann"


def test_every_agent_state_change_is_an_event(desk, router):
    desk.queue(wrapup_seconds=10)
    desk.agent("ann")
    seen = []
    for events in (desk.call("t1"), desk.answer("t1"), router.wrap_up("t1"), desk.wait(10)):
        seen += [e.state for e in events if e.name == "AgentStateChanged"]
    assert seen == [AgentState.RESERVED, AgentState.BUSY, AgentState.WRAPPING, AgentState.IDLE]
