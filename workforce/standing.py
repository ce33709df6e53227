"""Tiers and standing: each tier's weekly commit budget and booking window, and setting a tier.

A tier is set by a supervisor for now; later by the nightly performance score (quality), which
calls `set_tier` the same way. Higher tiers book more blocks a week and see blocks earlier.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from agents import audit
from agents.models import Agent
from database.base import utcnow
from workforce.errors import InvalidValue, NotFound
from workforce.models import Standing


@dataclass(frozen=True, slots=True)
class Tier:
    code: str
    rank: int  # higher is better
    weekly_blocks: int  # 30-minute blocks an agent may hold (booked + waitlisted) per ISO week
    window_days: int  # a block opens to the tier this many days before it starts


TIERS: dict[str, Tier] = {
    t.code: t
    for t in (
        Tier("new", 1, 20, 7),
        Tier("standard", 2, 40, 9),
        Tier("preferred", 3, 60, 11),
        Tier("elite", 4, 80, 14),
    )
}
DEFAULT_TIER = "new"


def tier_or_raise(code: str) -> Tier:
    tier = TIERS.get(code)
    if tier is None:
        raise InvalidValue(f"unknown tier; one of {', '.join(TIERS)}", field="tier")
    return tier


def standing_of(*, session: Session, agent_id: int) -> Standing:
    """The agent's standing row, created at the default tier on first use (flushed)."""
    standing = session.get(Standing, agent_id)
    if standing is None:
        if session.get(Agent, agent_id) is None:
            raise NotFound(f"no agent {agent_id}", field="agent_id")
        standing = Standing(agent_id=agent_id, tier=DEFAULT_TIER, tier_set_at=utcnow())
        session.add(standing)
        session.flush()
    return standing


def tier_of(*, session: Session, agent_id: int) -> Tier:
    return TIERS.get(standing_of(session=session, agent_id=agent_id).tier, TIERS[DEFAULT_TIER])


def set_tier(
    session: Session, agent_id: int, tier: str, reason: str, *, actor_id: int | None = None,
    now: datetime | None = None,
) -> Standing:  # fmt: skip
    """Give the agent `tier` (a code of TIERS) for `reason`; audited; never commits."""
    tier_or_raise(tier)
    if not reason or not reason.strip():
        raise InvalidValue("say why the tier changes", field="reason")
    standing = standing_of(session=session, agent_id=agent_id)
    before = {"tier": standing.tier}
    standing.tier, standing.tier_reason = tier, reason.strip()[:500]
    standing.tier_set_at = now or utcnow()
    audit.record(session=session, actor_id=actor_id, action="workforce.tier", entity_type="agent",
                 entity_id=agent_id, before=before, after={"tier": tier},
                 reason=standing.tier_reason)  # fmt: skip
    session.flush()
    return standing


def opens_at(tier: Tier, starts_at: datetime) -> datetime:
    """When a block starting at `starts_at` opens to agents of `tier`."""
    return starts_at - timedelta(days=tier.window_days)
