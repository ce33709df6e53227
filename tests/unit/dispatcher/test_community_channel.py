"""The `community` channel: escalated community questions are tasks with a capacity of their
own beside calls and chats, offered only to agents certified for their queue."""

from __future__ import annotations

from dispatcher.core.codec import decode, encode
from dispatcher.core.model import DEFAULT_CAPACITY, Channel, Task, TaskState


def test_an_agent_on_a_call_still_takes_community_questions_up_to_their_capacity(desk):
    desk.queue()
    desk.agent("ann")  # default capacity: voice 1, community 2
    desk.call("v1", channel="voice")
    desk.answer("v1")
    for task_id in ("q1", "q2", "q3"):
        desk.call(task_id, channel="community")
        if desk.offered_to(task_id):
            desk.answer(task_id)
    assert DEFAULT_CAPACITY[Channel.COMMUNITY] == 2
    assert [desk.state(t) for t in ("q1", "q2", "q3")] == [
        TaskState.ASSIGNED, TaskState.ASSIGNED, TaskState.PENDING,
    ]  # fmt: skip
    desk.router.wrap_up("q1")
    desk.router.complete("q1")
    assert desk.offered_to("q3") == "ann"


def test_community_questions_go_only_to_agents_certified_for_their_queue(desk):
    desk.queue("answers")
    desk.queue("sales")
    desk.agent("bob", queues=("answers",), certs={})  # serves the queue, holds no certification
    desk.agent("ann", queues=("answers", "sales"), certs={"sales": 3})
    desk.call("q1", "answers", channel="community")
    assert desk.offered_to("q1") is None
    desk.agent("cid", queues=("answers",))
    assert desk.offered_to("q1") == "cid"


def test_a_community_task_survives_the_codec():
    task = Task("community-7", "answers", Channel.COMMUNITY, priority=1, created_at=5.0, seq=1,
                enqueued_at=5.0)
    assert decode(Task, encode(task)).channel is Channel.COMMUNITY
