"""Volunteers: community super users who opted in to take their program's web chats, unpaid.

Rules (the routing of volunteers; certified paid agents remain the escalation):
- A volunteer's routing id is "volunteer-<member id>" (roster agents are digits). It serves
  only the queues the community lets volunteers take (one per program, off by default).
- A volunteer is offered only web-widget chats (channel chat, attribute source "web"): never a
  call, an SMS / WhatsApp conversation or an escalated community question. No certification is
  asked of it: its qualification is the super-user status checked when it opted in.
- Volunteer first: such a chat is offered to an idle volunteer of its queue first (in the
  queue's strategy order); with none idle it goes to certified agents as any chat does, and a
  certified agent who becomes free takes it from the queue as usual.
- Once a volunteer has rejected it, let the offer time out or handed the chat back (transfer),
  or the customer asked for an agent (attribute paid_only), the chat is offered to certified
  paid agents only.
"""

from __future__ import annotations

from dispatcher.core.model import Channel, Task

VOLUNTEER_PREFIX = "volunteer-"
#: The idle-index channel under which volunteers wait, apart from the certified agents' slots.
VOLUNTEER_SLOT = "volunteer"
#: Capacity of a volunteer: web chats only.
VOLUNTEER_CAPACITY = {Channel.VOICE: 0, Channel.CHAT: 2, Channel.SMS: 0, Channel.COMMUNITY: 0}


def is_volunteer(agent_id: str | None) -> bool:
    return isinstance(agent_id, str) and agent_id.startswith(VOLUNTEER_PREFIX)


def volunteer_id(member_id: int) -> str:
    return f"{VOLUNTEER_PREFIX}{member_id}"


def member_of(agent_id: str) -> int | None:
    """The community member id of a volunteer's routing id, or None."""
    rest = agent_id[len(VOLUNTEER_PREFIX) :] if is_volunteer(agent_id) else ""
    return int(rest) if rest.isdigit() else None


def volunteers_may_take(task: Task) -> bool:
    """A web chat no volunteer has declined, not handed to paid agents."""
    return (
        task.channel is Channel.CHAT
        and task.attributes.get("source") == "web"
        and not task.attributes.get("paid_only")
        and not any(is_volunteer(a) for a in task.declined_by)
    )
