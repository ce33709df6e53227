"""Volunteering: a super user opts in to (or out of) a program's volunteer queue, and the
routing identity the engine gives them — agent "volunteer-<member id>", web chats only,
serving the volunteer queues of the programs they opted in to (dispatcher.core.volunteers).

Decision: a volunteer is no roster Agent (that is a paid contractor with a user account and a
pay rate); their routable identity is the engine agent alone, registered and kept on its queues
by the commands below. Certified paid agents remain the escalation (the routing rule)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.models import Agent, Program
from community.errors import Forbidden, InvalidValue
from community.models import CommunitySettings, Member, Volunteer
from database.clock import SYSTEM, Clock
from dispatcher import commands
from dispatcher.core.volunteers import VOLUNTEER_CAPACITY, member_of, volunteer_id
from dispatcher.tables import RoutingAgent


def volunteer_queue(*, session: Session, program: Program) -> str | None:
    settings = session.get(CommunitySettings, program.id)
    return settings.volunteer_queue_id if settings is not None else None


def is_volunteering(*, session: Session, member: Member, program: Program) -> bool:
    return session.get(Volunteer, (member.id, program.id)) is not None


def queues_of(*, session: Session, member_id: int) -> dict[str, int]:
    """The volunteer queues of every program the member volunteers for (queue id -> 0)."""
    rows = session.scalars(
        select(CommunitySettings.volunteer_queue_id)
        .join(Volunteer, Volunteer.program_id == CommunitySettings.program_id)
        .where(Volunteer.member_id == member_id, CommunitySettings.volunteer_queue_id.is_not(None))
    ).all()
    return {queue_id: 0 for queue_id in rows}


def opt_in(*, session: Session, member: Member, program: Program, clock: Clock = SYSTEM) -> None:
    """A super user joins the program's volunteer queue (Forbidden for anyone else; InvalidValue
    when the program takes no volunteers); offline until they go available in their console."""
    if not member.is_super_user:
        raise Forbidden("only super users may volunteer", field="member")
    if volunteer_queue(session=session, program=program) is None:
        raise InvalidValue("this community takes no volunteers", field="program")
    if not is_volunteering(session=session, member=member, program=program):
        session.add(Volunteer(member_id=member.id, program_id=program.id))
        session.flush()
    sync(session=session, member_id=member.id, clock=clock)


def opt_out(*, session: Session, member: Member, program: Program, clock: Clock = SYSTEM) -> None:
    found = session.get(Volunteer, (member.id, program.id))
    if found is not None:
        session.delete(found)
        session.flush()
    sync(session=session, member_id=member.id, clock=clock)


def sync(*, session: Session, member_id: int, clock: Clock = SYSTEM) -> None:
    """Queue the routing commands that put the member's engine agent on its queues: register
    it (chat capacity only) the first time, else replace its queues; none left: offline too."""
    agent_id = volunteer_id(member_id)
    queues = queues_of(session=session, member_id=member_id)
    row = session.get(RoutingAgent, agent_id)
    now = clock.now()
    if row is None:
        if queues:
            capacity = {str(ch): n for ch, n in VOLUNTEER_CAPACITY.items()}
            commands.submit(session, "register_agent",
                            {"agent_id": agent_id, "queues": queues, "capacity": capacity},
                            now=now)  # fmt: skip
        return
    if not queues and row.status != "offline":
        commands.submit(session, "set_status", {"agent_id": agent_id, "status": "offline"},
                        now=now)  # fmt: skip
    commands.submit(session, "set_queues", {"agent_id": agent_id, "queues": queues}, now=now)


def sync_program(*, session: Session, program: Program, clock: Clock = SYSTEM) -> None:
    """After the program's volunteer queue changed: every volunteer of it follows."""
    members = session.scalars(
        select(Volunteer.member_id).where(Volunteer.program_id == program.id)
    ).all()
    for member_id in members:
        sync(session=session, member_id=member_id, clock=clock)


def name_of(*, session: Session, agent_id: str) -> str | None:
    """The name a customer sees for a routing agent: a roster agent's display name, or a
    volunteer's community name marked "(volunteer)"; None for anyone else."""
    if agent_id.isdigit():
        agent = session.get(Agent, int(agent_id))
        return agent.user.display_name if agent is not None else None
    member_id = member_of(agent_id)
    member = session.get(Member, member_id) if member_id is not None else None
    return f"{member.display_name} (volunteer)" if member is not None else None
