"""Agent profiles: search, edit by role, onboarding stage transitions with history and audit."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from agents import audit
from agents.errors import Forbidden, IllegalTransition, InvalidValue, NotFound
from agents.models import Agent, AgentLanguage, Program, Role, Stage, StageChange, User
from agents.programs import programs_by_codes
from agents.validation import (
    normalise_languages,
    normalise_phone,
    validate_pay_rate,
    validate_text,
    validate_timezone,
)
from database.clock import SYSTEM, Clock, utcnow

SELF_EDITABLE = frozenset({"display_name", "phone", "languages", "timezone"})
SUPERVISOR_EDITABLE = SELF_EDITABLE | {"programs"}
ADMIN_EDITABLE = SUPERVISOR_EDITABLE | {"pay_rate_per_minute"}

# Forward onboarding moves; suspension is allowed from any other stage and undone by reactivate.
FORWARD = {
    Stage.APPLICANT: Stage.TRAINING,
    Stage.TRAINING: Stage.CERTIFIED,
    Stage.CERTIFIED: Stage.ACTIVE,
}
MAX_PER_PAGE = 100


@dataclass(frozen=True)
class RosterFilter:
    q: str = ""
    stage: Stage | None = None
    program: str | None = None  # program code
    language: str | None = None
    page: int = 1
    per_page: int = 25


def agent_or_raise(*, session: Session, agent_id: int) -> Agent:
    agent = session.get(Agent, agent_id)
    if agent is None:
        raise NotFound(f"no agent with id {agent_id}", field="agent_id")
    return agent


def get_by_user(*, session: Session, user_id: int) -> Agent | None:
    return session.scalar(select(Agent).where(Agent.user_id == user_id))


def list_agents(*, session: Session, filters: RosterFilter) -> tuple[list[Agent], int]:
    """One page of agents matching every filter, ordered by display name; and the total count."""
    query = select(Agent).join(Agent.user)
    if filters.q.strip():
        pattern = f"%{filters.q.strip().lower()}%"
        query = query.where(
            or_(
                func.lower(User.display_name).like(pattern),
                User.email.like(pattern),
                Agent.phone.like(pattern),
            )
        )
    if filters.stage is not None:
        query = query.where(Agent.stage == filters.stage)
    if filters.program:
        query = query.where(Agent.programs.any(Program.code == filters.program))
    if filters.language:
        query = query.where(Agent.languages.any(AgentLanguage.language == filters.language))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    per_page = max(1, min(filters.per_page, MAX_PER_PAGE))
    page = max(1, filters.page)
    rows = session.scalars(
        query.order_by(func.lower(User.display_name), Agent.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return list(rows), total


def editable_fields(actor: User, agent: Agent) -> frozenset[str]:
    """Which profile fields `actor` may change on `agent`: never role or stage through edits."""
    if actor.role is Role.ADMIN:
        return ADMIN_EDITABLE
    if actor.role is Role.SUPERVISOR:
        return SUPERVISOR_EDITABLE
    return SELF_EDITABLE if agent.user_id == actor.id else frozenset()


def snapshot(agent: Agent) -> dict:
    return {
        "display_name": agent.user.display_name,
        "email": agent.user.email,
        "phone": agent.phone,
        "languages": [lang.language for lang in agent.languages],
        "timezone": agent.timezone,
        "pay_rate_per_minute": str(agent.pay_rate_per_minute),
        "programs": [program.code for program in agent.programs],
        "stage": agent.stage.value,
    }


def update_agent(*, session: Session, actor: User, agent: Agent, changes: dict) -> Agent:
    """Apply `changes` (field → raw value) after validating all of them; nothing on any error."""
    refused = sorted(set(changes) - editable_fields(actor, agent))
    if refused:
        raise Forbidden(f"you may not change {', '.join(refused)}", field=refused[0])
    clean = _validated(session, changes)
    before = snapshot(agent)
    for name, value in clean.items():
        _assign(agent, name, value)
    session.flush()
    old, new = audit.changed(before, snapshot(agent))
    if new:
        audit.record(
            session=session,
            actor_id=actor.id,
            action="agent.update",
            entity_type="agent",
            entity_id=agent.id,
            before=old,
            after=new,
        )
    return agent


def set_default_pay_rate(*, session: Session, actor: User, agent: Agent) -> Decimal:
    """A new agent added without a pay rate gets their programs' rate (the highest when they
    serve several; 0 without a program). Audited like any profile change."""
    rate = max((p.pay_rate_per_minute for p in agent.programs), default=Decimal("0"))
    before = snapshot(agent)
    agent.pay_rate_per_minute = rate
    session.flush()
    old, new = audit.changed(before, snapshot(agent))
    if new:
        audit.record(session=session, actor_id=actor.id, action="agent.update",
                     entity_type="agent", entity_id=agent.id, before=old, after=new,
                     reason="the program's pay rate (none given)")  # fmt: skip
    return rate


def _validated(session: Session, changes: dict) -> dict:
    rules = {
        "display_name": lambda v: validate_text(v, field="display_name", max_length=120),
        "phone": normalise_phone,
        "languages": normalise_languages,
        "timezone": validate_timezone,
        "pay_rate_per_minute": validate_pay_rate,
        "programs": lambda v: programs_by_codes(session=session, codes=v),
    }
    return {name: rules[name](value) for name, value in changes.items()}


def _assign(agent: Agent, name: str, value) -> None:
    if name == "display_name":
        agent.user.display_name = value
    elif name == "languages":
        agent.languages = [AgentLanguage(language=code) for code in value]
    else:
        setattr(agent, name, value)


def change_stage(
    *, session: Session, actor: User | None, agent: Agent, to_stage: Stage, reason: str = "",
    clock: Clock = SYSTEM,
) -> Agent:
    """Move an agent along onboarding; suspending needs a reason, reactivating restores the
    stage the agent had when suspended."""
    reason = validate_text(reason, field="reason", max_length=500, required=False)
    allowed = _allowed_targets(session, agent)
    if to_stage not in allowed:
        names = ", ".join(sorted(s.value for s in allowed)) or "none"
        raise IllegalTransition(
            f"an agent in stage {agent.stage.value} cannot move to {to_stage.value} "
            f"(allowed: {names})",
            field="stage",
        )
    if to_stage is Stage.SUSPENDED and not reason:
        raise InvalidValue("a reason is required to suspend an agent", field="reason")
    before = agent.stage
    agent.stage, agent.stage_changed_at = to_stage, utcnow(clock)
    actor_id = actor.id if actor else None
    session.add(
        StageChange(
            agent_id=agent.id,
            from_stage=before,
            to_stage=to_stage,
            by_user_id=actor_id,
            reason=reason,
        )
    )
    audit.record(
        session=session,
        actor_id=actor_id,
        action="agent.stage",
        entity_type="agent",
        entity_id=agent.id,
        before={"stage": before.value},
        after={"stage": to_stage.value},
        reason=reason,
    )
    session.flush()
    return agent


def send_back_to_training(*, session: Session, actor: User | None, agent: Agent, reason: str,
                          clock: Clock = SYSTEM):  # fmt: skip
    """A certified or active agent whose certification was withdrawn trains again; passing
    brings them back to certified and a supervisor must activate them again."""
    if agent.stage not in (Stage.CERTIFIED, Stage.ACTIVE):
        return agent
    before = agent.stage
    agent.stage, agent.stage_changed_at = Stage.TRAINING, utcnow(clock)
    actor_id = actor.id if actor else None
    session.add(StageChange(agent_id=agent.id, from_stage=before, to_stage=Stage.TRAINING,
                            by_user_id=actor_id, reason=reason))
    audit.record(
        session=session, actor_id=actor_id, action="agent.stage", entity_type="agent",
        entity_id=agent.id, before={"stage": before.value}, after={"stage": "training"},
        reason=reason,
    )  # fmt: skip
    session.flush()
    return agent


def _allowed_targets(session: Session, agent: Agent) -> set[Stage]:
    if agent.stage is Stage.SUSPENDED:
        previous = stage_before_suspension(session=session, agent=agent)
        return {previous}
    targets = {Stage.SUSPENDED}
    if agent.stage in FORWARD:
        targets.add(FORWARD[agent.stage])
    return targets


def stage_before_suspension(*, session: Session, agent: Agent) -> Stage:
    last = session.scalar(
        select(StageChange)
        .where(StageChange.agent_id == agent.id, StageChange.to_stage == Stage.SUSPENDED)
        .order_by(StageChange.id.desc())
        .limit(1)
    )
    return last.from_stage if last and last.from_stage else Stage.APPLICANT


def stage_history(*, session: Session, agent: Agent) -> list[StageChange]:
    return list(
        session.scalars(
            select(StageChange).where(StageChange.agent_id == agent.id).order_by(StageChange.id)
        )
    )
