"""Roster changes that alter an agent's routing skills become training events too.

training.skills reads the agent's stage, programs and languages, so a stage move (activation,
suspension), a program assignment or a language edit changes what skills_at answers. The roster
audits each of these; when such an audit entry is flushed, an `agent.profile_changed` event is
added to the same transaction, so the outbox tells consumers to re-read the agent's skills.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from agents.models import AuditEntry
from training.models import TrainingEvent

# The same value as training.events.PROFILE_CHANGED (events imports the models, not this).
PROFILE_CHANGED = "agent.profile_changed"
_SKILL_FIELDS = frozenset({"stage", "programs", "languages"})


def _skill_change(entry: AuditEntry) -> bool:
    if entry.entity_type != "agent" or entry.entity_id is None:
        return False
    return entry.action == "agent.stage" or bool(_SKILL_FIELDS & set(entry.after or {}))


@event.listens_for(Session, "before_flush")
def _announce_skill_changes(session: Session, _context, _instances) -> None:
    for entry in [obj for obj in session.new if isinstance(obj, AuditEntry)]:
        if _skill_change(entry):
            session.add(
                TrainingEvent(
                    kind=PROFILE_CHANGED,
                    occurred_at=entry.at or _now(),
                    agent_id=entry.entity_id,
                    payload={"action": entry.action, "after": entry.after or {}},
                )
            )


def _now():
    from database.base import utcnow

    return utcnow()
