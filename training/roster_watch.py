"""Roster changes that alter an agent's routing skills become training events too.

training.skills reads the agent's stage, programs and languages, so a stage move (activation,
suspension), a program assignment or a language edit changes what skills_at answers. The roster
audits each of these; when such an audit entry is flushed, an `agent.profile_changed` event is
added to the same transaction, so the outbox tells consumers to re-read the agent's skills.
The composition root installs the listener once per process (`install`); nothing registers it
at import.
"""

from __future__ import annotations

from sqlalchemy import event
from sqlalchemy.orm import Session

from agents.models import AuditEntry
from database.base import utcnow
from training.events import PROFILE_CHANGED
from training.models import TrainingEvent

_SKILL_FIELDS = frozenset({"stage", "programs", "languages"})


def install(session_class=Session) -> None:
    """Listen to every flush of `session_class` (default: all sessions); idempotent."""
    if not event.contains(session_class, "before_flush", announce_skill_changes):
        event.listen(session_class, "before_flush", announce_skill_changes)


def _skill_change(entry: AuditEntry) -> bool:
    if entry.entity_type != "agent" or entry.entity_id is None:
        return False
    return entry.action == "agent.stage" or bool(_SKILL_FIELDS & set(entry.after or {}))


def announce_skill_changes(session: Session, _context, _instances) -> None:
    """before_flush: one PROFILE_CHANGED event per audited change of a skill field."""
    for entry in [obj for obj in session.new if isinstance(obj, AuditEntry)]:
        if _skill_change(entry):
            session.add(
                TrainingEvent(
                    kind=PROFILE_CHANGED,
                    occurred_at=entry.at or utcnow(),
                    agent_id=entry.entity_id,
                    payload={"action": entry.action, "after": entry.after or {}},
                )
            )
