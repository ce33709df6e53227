"""The wallboard's community figures per program, today (UTC): deflection rate and the
self-service score (formulas in community/deflection.py), and the service level of escalated
questions: the share of today's `community` tasks an agent accepted within their queue's
service-level threshold (seconds from the task's creation to TaskAssigned; a task still
waiting or canceled past the threshold is a miss, one still within it is not counted yet)."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agents.models import Program
from channels.escalations import TASK_PREFIX
from channels.models import Contact, EntryPoint
from community import deflection, moderation
from database.clock import utc
from dispatcher.statistics import start_of_day
from dispatcher.tables import RoutingEvent, RoutingQueue, RoutingTask

DEFAULT_SL_SECONDS = 20.0


def contacts_per_program(*, session: Session, since, until) -> dict[int, int]:
    """Contacts that reached an agent queue in [since, until), per program id."""
    rows = session.execute(
        select(EntryPoint.program_id, func.count(Contact.task_id))
        .join(EntryPoint, EntryPoint.id == Contact.entry_point_id)
        .where(Contact.enqueued.is_(True), Contact.created_at >= since, Contact.created_at < until)
        .group_by(EntryPoint.program_id)
    )
    return dict(rows.all())


def _escalation_events(session: Session, since: float, until: float) -> dict[str, dict]:
    """task id → {queue, created, ended (first TaskAssigned or TaskCanceled), assigned}."""
    rows = session.execute(
        select(RoutingEvent.task_id, RoutingEvent.type, RoutingEvent.at, RoutingTask.queue_id)
        .join(RoutingTask, RoutingTask.task_id == RoutingEvent.task_id)
        .where(RoutingEvent.task_id.like(f"{TASK_PREFIX}%"), RoutingEvent.at >= since,
               RoutingEvent.at < until,
               RoutingEvent.type.in_(("TaskCreated", "TaskAssigned", "TaskCanceled")))
        .order_by(RoutingEvent.position)
    )  # fmt: skip
    tasks: dict[str, dict] = {}
    for task_id, kind, at, queue_id in rows:
        task = tasks.setdefault(task_id, {"queue": queue_id, "created": None, "ended": None})
        if kind == "TaskCreated":
            task["created"] = task["created"] or at
        elif task["ended"] is None:
            task["ended"], task["assigned"] = at, kind == "TaskAssigned"
    return tasks


def escalation_sl(*, session: Session, since: float, until: float,
                  now: float) -> dict[str, tuple[int, float | None]]:  # fmt: skip
    """program code → (questions escalated, service level 0..1 or None with none counted)."""
    queues = {q.queue_id: (q.program, float((q.data or {}).get("service_level_seconds")
                                            or DEFAULT_SL_SECONDS))
              for q in session.scalars(select(RoutingQueue))}  # fmt: skip
    counts: dict[str, list[int]] = {}  # program → [escalated, counted, met]
    for task in _escalation_events(session, since, until).values():
        if task["created"] is None or task["queue"] not in queues:
            continue
        program, threshold = queues[task["queue"]]
        row = counts.setdefault(program, [0, 0, 0])
        row[0] += 1
        waited = (task["ended"] if task["ended"] is not None else now) - task["created"]
        met = task["ended"] is not None and task.get("assigned") and waited <= threshold
        if met or waited > threshold:
            row[1] += 1
            row[2] += 1 if met else 0
    return {p: (n, met / counted if counted else None) for p, (n, counted, met) in counts.items()}


def _review(session: Session, program_id: int, since, until) -> dict:
    """The moderation backlog now, and the median flag → review seconds of today's reviews."""
    figures = moderation.review_figures(session=session, program_id=program_id, since=since,
                                        until=until)  # fmt: skip
    return {"review_backlog": figures.backlog,
            "median_review_seconds": figures.median_review_seconds}  # fmt: skip


def community_today(*, session: Session, now: float) -> list[dict]:
    """One row per active program: solved and need-help verdicts, deflection rate, contacts
    queued, self-service score, questions escalated and their service level, today; the
    moderation backlog (now) and the median time from flag to review (today's reviews)."""
    since, until = utc(start_of_day(now)), utc(now + 1)
    verdicts = deflection.counts(session=session, since=since, until=until)
    contacts = contacts_per_program(session=session, since=since, until=until)
    escalations = escalation_sl(session=session, since=start_of_day(now), until=now + 1, now=now)
    rows = []
    for program in session.scalars(select(Program).where(Program.is_active.is_(True))
                                   .order_by(Program.code)):  # fmt: skip
        counted = verdicts.get(program.id, deflection.DeflectionCounts(0, 0))
        queued = contacts.get(program.id, 0)
        rows.append({"program": program.code, "name": program.name, "solved": counted.solved,
                     "need_help": counted.need_help, "deflection_rate": counted.rate,
                     "contacts": queued,
                     "self_service_score": deflection.self_service_score(counted.solved, queued),
                     "escalated": escalations.get(program.code, (0, None))[0],
                     "escalation_sl": escalations.get(program.code, (0, None))[1],
                     **_review(session, program.id, since, until)})  # fmt: skip
    return rows
