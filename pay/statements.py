"""Reads of the ledger: an agent's lines and totals for a period (weekly statements, my-day,
`GET /api/v1/pay/...`), the payout of a period per agent, and both as CSV. Every total is the
sum of its entries' amounts (pay.money: no second rounding)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

from sqlalchemy import String, cast, func, select
from sqlalchemy.orm import Session

from agents.models import Agent, User
from pay.models import PayEntry
from pay.money import ZERO, cents
from pay.periods import utc_text

LINE_FIELDS = ("id", "kind", "at", "program", "task_id", "queue_id", "started_at",
               "end_event", "talk_seconds", "rate_per_minute", "bonus_per_minute",
               "talk_amount", "bonus_amount", "amount", "reason", "adjusts_entry_id")  # fmt: skip


def entries(*, session: Session, agent_id: str | None, start: float, end: float,
            programs: list[str] | None = None) -> list[PayEntry]:  # fmt: skip
    query = select(PayEntry).where(PayEntry.at >= start, PayEntry.at < end)
    if agent_id is not None:
        query = query.where(PayEntry.agent_id == agent_id)
    if programs is not None:
        query = query.where(PayEntry.program.in_(programs))
    return list(session.scalars(query.order_by(PayEntry.at, PayEntry.id)))


def line(entry: PayEntry) -> dict:
    return {
        "id": entry.id, "kind": entry.kind, "at": entry.at, "program": entry.program,
        "task_id": entry.task_id, "queue_id": entry.queue_id, "started_at": entry.started_at,
        "end_event": entry.end_event, "talk_seconds": float(entry.talk_seconds),
        "rate_per_minute": str(entry.rate_per_minute),
        "bonus_per_minute": str(entry.bonus_per_minute),
        "talk_amount": cents(entry.talk_amount), "bonus_amount": cents(entry.bonus_amount),
        "amount": cents(entry.amount), "reason": entry.reason,
        "adjusts_entry_id": entry.adjusts_entry_id,
    }  # fmt: skip


def totals(rows: list[PayEntry]) -> dict:
    talks = [e for e in rows if e.kind == "talk"]
    seconds = sum((Decimal(e.talk_seconds) for e in talks), ZERO)
    return {
        "contacts": len({e.task_id for e in talks}),
        "talk_entries": len(talks),
        "talk_seconds": float(seconds),
        "talk_minutes": float(round(seconds / 60, 1)),
        "talk_amount": cents(sum((e.talk_amount for e in talks), ZERO)),
        "bonus_amount": cents(sum((e.bonus_amount for e in talks), ZERO)),
        "adjustments": cents(sum((e.amount for e in rows if e.kind == "adjustment"), ZERO)),
        "total": cents(sum((e.amount for e in rows), ZERO)),
    }


def agent_names(session: Session, agent_ids: list[str]) -> dict[str, tuple[str, str]]:
    """Roster agent id → (display name, email)."""
    rows = session.execute(
        select(cast(Agent.id, String), User.display_name, User.email)
        .join(User, User.id == Agent.user_id)
        .where(cast(Agent.id, String).in_(agent_ids))
    ).all()
    return {a: (name, email) for a, name, email in rows}


def statement(*, session: Session, agent_id: str, start: float, end: float, label: str,
              programs: list[str] | None = None) -> dict:  # fmt: skip
    rows = entries(session=session, agent_id=agent_id, start=start, end=end, programs=programs)
    name, email = agent_names(session, [agent_id]).get(agent_id, (agent_id, ""))
    return {"agent_id": agent_id, "name": name, "email": email, "period": label,
            "start": start, "end": end, "lines": [line(e) for e in rows],
            "totals": totals(rows)}  # fmt: skip


def payout(*, session: Session, start: float, end: float,
           programs: list[str] | None = None) -> list[dict]:  # fmt: skip
    """One row per agent with entries in [start, end): what to pay them."""
    by_agent: dict[str, list[PayEntry]] = {}
    for entry in entries(session=session, agent_id=None, start=start, end=end, programs=programs):
        by_agent.setdefault(entry.agent_id, []).append(entry)
    names = agent_names(session, list(by_agent))
    return [
        {"agent_id": agent_id, "name": names.get(agent_id, (agent_id, ""))[0],
         "email": names.get(agent_id, ("", ""))[1], **totals(rows)}
        for agent_id, rows in sorted(by_agent.items(), key=lambda kv: names.get(kv[0], kv)[0])
    ]  # fmt: skip


def statement_csv(found: dict) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["agent_id", "name", "period", *LINE_FIELDS])
    for row in found["lines"]:
        values = {**row, "at": utc_text(row["at"]), "started_at": utc_text(row["started_at"])}
        writer.writerow([found["agent_id"], found["name"], found["period"],
                         *[_csv_value(values[f]) for f in LINE_FIELDS]])  # fmt: skip
    t = found["totals"]
    writer.writerow([found["agent_id"], found["name"], found["period"], "", "total", "", "", "",
                     "", "", "", t["talk_seconds"], "", "", t["talk_amount"], t["bonus_amount"],
                     t["total"], f"adjustments {t['adjustments']}", ""])  # fmt: skip
    return out.getvalue()


PAYOUT_FIELDS = ("agent_id", "name", "email", "contacts", "talk_seconds", "talk_minutes",
                 "talk_amount", "bonus_amount", "adjustments", "total")  # fmt: skip


def payout_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(PAYOUT_FIELDS)
    for row in rows:
        writer.writerow([_csv_value(row[f]) for f in PAYOUT_FIELDS])
    return out.getvalue()


def _csv_value(value):
    """Spreadsheet-safe text: a leading =, +, - or @ in free text is not run as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "@") :
        return "'" + value
    return "" if value is None else value


def day_total(*, session: Session, agent_id: str, start: float, end: float) -> Decimal:
    return session.scalar(
        select(func.coalesce(func.sum(PayEntry.amount), 0))
        .where(PayEntry.agent_id == agent_id, PayEntry.at >= start, PayEntry.at < end)
    )  # fmt: skip
