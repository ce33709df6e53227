"""ROI per program, day by day, read from the event log (contacts, service level, ASA,
abandonment, AHT), the program's survey answers (CSAT), the contacts' dispositions
(conversions), the call legs and contacts (carrier minutes) and the pay ledger (agent cost);
figures defined in pay.roi."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from agents.models import Program
from channels.models import CallLeg, Contact, DispositionCode
from database.clock import utc
from dispatcher.statistics import statistics_between
from dispatcher.tables import RoutingQueue
from pay.models import PayEntry
from pay.money import ZERO
from pay.periods import PayError, day_bounds, week_of
from pay.roi import RoiFigures
from quality import csat

MAX_DAYS = 92


def program_or_raise(session: Session, code: str) -> Program:
    program = session.scalar(select(Program).where(Program.code == code))
    if program is None:
        raise PayError("program", f"no program {code!r}")
    return program


def roi(*, session: Session, program: Program, start: date, end: date, rates: dict) -> dict:
    """Days `start`..`end` (UTC, both included): one report per day, per ISO week, in total."""
    if end < start:
        raise PayError("to", "must be on or after from")
    if (end - start).days >= MAX_DAYS:
        raise PayError("to", f"at most {MAX_DAYS} days from the start")
    queues = list(session.scalars(
        select(RoutingQueue.queue_id).where(RoutingQueue.program == program.code)))  # fmt: skip
    revenue = program.revenue_per_conversion
    days, weeks, total = [], {}, RoiFigures()
    day = start
    while day <= end:
        figures = day_figures(session, program, queues, day)
        days.append({"day": day.isoformat(), **figures.report(rates, revenue)})
        weeks.setdefault(week_of(day), RoiFigures()).add(figures)
        total.add(figures)
        day += timedelta(days=1)
    return {
        "program": program.code, "name": program.name, "from": start.isoformat(),
        "to": end.isoformat(), "queues": queues,
        "revenue_per_conversion": None if revenue is None else str(revenue),
        "telephony_rates": {c: str(r) for c, r in rates.items()},
        "days": days,
        "weeks": [{"week": w, **f.report(rates, revenue)} for w, f in weeks.items()],
        "total": total.report(rates, revenue),
    }  # fmt: skip


def day_figures(session: Session, program: Program, queues: list[str], day: date) -> RoiFigures:
    since, until = day_bounds(day)
    figures = RoiFigures()
    ratings = [r.rating for r in csat.responses(session, program.id, utc(since), utc(until))]
    figures.csat_responses = len(ratings)
    figures.csat_satisfied = sum(r >= csat.SATISFIED for r in ratings)
    stats = statistics_between(session.connection(), since, until)
    for (queue_id, _start), c in stats.queues.items():
        if queue_id in queues:
            figures.contacts += c.offered
            figures.answered += c.answered
            figures.abandoned += c.abandoned
            figures.answered_in_sl += c.answered_in_sl
            figures.wait_total += c.wait_total
            figures.handled += c.handled
            figures.handle_total += c.handle_total
    in_day = (Contact.queue_id.in_(queues), Contact.created_at >= utc(since),
              Contact.created_at < utc(until))  # fmt: skip
    figures.conversions = session.scalar(
        select(func.count()).select_from(Contact).join(DispositionCode, and_(
            DispositionCode.queue_id == Contact.queue_id,
            DispositionCode.code == Contact.disposition, DispositionCode.is_conversion,
        )).where(*in_day)
    )  # fmt: skip
    figures.agent_cost = Decimal(session.scalar(
        select(func.coalesce(func.sum(PayEntry.amount), 0)).where(
            PayEntry.program == program.code, PayEntry.at >= since, PayEntry.at < until)
    ))  # fmt: skip
    figures.minutes = carrier_minutes(session, in_day)
    return figures


def carrier_minutes(session: Session, in_day) -> dict[str, Decimal]:
    """Minutes the carrier bills per channel: every ended call leg of a voice contact (caller,
    agent, supervisor), and a message contact from its start to its end."""
    minutes: dict[str, Decimal] = {}
    legs = session.execute(
        select(CallLeg.created_at, CallLeg.ended_at)
        .join(Contact, Contact.task_id == CallLeg.task_id)
        .where(*in_day, CallLeg.ended_at.is_not(None))
    )  # fmt: skip
    for begun, ended in legs:
        minutes["voice"] = minutes.get("voice", ZERO) + _minutes(begun, ended)
    chats = session.execute(
        select(Contact.channel, Contact.created_at, Contact.ended_at)
        .where(*in_day, Contact.channel != "voice", Contact.ended_at.is_not(None))
    )  # fmt: skip
    for channel, begun, ended in chats:
        minutes[channel] = minutes.get(channel, ZERO) + _minutes(begun, ended)
    return minutes


def _minutes(begun, ended) -> Decimal:
    return Decimal(repr(max(0.0, (ended - begun).total_seconds()))) / 60
