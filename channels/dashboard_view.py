"""The dashboard's numbers, computed on the server from dispatcher.statistics (live_view and
statistics_between over today, UTC) — never from the browser counting events."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.models import Agent
from channels.community_view import community_today
from channels.models import Contact
from database.clock import utc
from dispatcher.core import erlang
from dispatcher.core.stats import QueueInterval
from dispatcher.statistics import (
    HELD,
    agent_time_between,
    live_view,
    queue_occupancy,
    start_of_day,
    waiting_series,
)
from dispatcher.tables import RoutingAgent, RoutingQueue, RoutingTask
from quality import csat

SL_TARGET = 0.8
DEFAULT_AHT = 180.0  # seconds, until the queue has handled a contact today
LOOKBACK = 3600.0  # seconds of offered contacts behind the Erlang C recommendation
STEP = 60.0  # seconds between points of the waiting-tasks chart (over the last LOOKBACK)
FIELDS = ("offered", "answered", "abandoned", "answered_in_sl", "wait_total", "handled",
          "handle_total")  # fmt: skip


def summary(*, session: Session, now: float, wait_alert: float) -> dict:
    """Tiles per queue, agents, waiting tasks, intervals of today, Erlang C, alerts, CSAT."""
    connection = session.connection()
    since = start_of_day(now)
    stats = agent_time_between(connection, since, now)
    live = live_view(connection, now)
    queues_of = {r.agent_id: list(r.data.get("queues") or {})
                 for r in session.scalars(select(RoutingAgent))}  # fmt: skip
    per_queue = queue_occupancy(stats.by_agent, queues_of)
    sl_seconds = {q.queue_id: q.data.get("service_level_seconds", 20.0)
                  for q in session.scalars(select(RoutingQueue))}  # fmt: skip
    today: dict[str, QueueInterval] = defaultdict(QueueInterval)
    last_hour: dict[str, int] = defaultdict(int)
    for (queue_id, begin), counters in stats.queues.items():
        _add(today[queue_id], counters)
        if begin >= now - LOOKBACK:
            last_hour[queue_id] += counters.offered
    signed_in = sum(t.signed_in for t in stats.agents.values())
    working = sum(t.working for t in stats.agents.values())
    occupancy = working / signed_in if signed_in else None
    queues = [
        _tile(queue_id, view, today[queue_id], last_hour[queue_id],
              sl_seconds.get(queue_id, 20.0), per_queue.get(queue_id), wait_alert)
        for queue_id, view in sorted(live.items())
    ]  # fmt: skip
    return {
        "now": now,
        "occupancy": occupancy,
        "queues": queues,
        "alerts": _alerts(queues, wait_alert),
        "agents": _agents(session, now, stats),
        "waiting": _waiting(session, now, sl_seconds, wait_alert),
        "intervals": _intervals(stats),
        "community": community_today(session=session, now=now),
        # Surveys offered today: response rate and CSAT per program, queue and agent.
        "csat": csat.board(session=session, start=utc(since), end=utc(now + 1)),
    }


def _add(total: QueueInterval, counters: QueueInterval) -> None:
    for name in FIELDS:
        setattr(total, name, getattr(total, name) + getattr(counters, name))


def _tile(queue_id, view, today: QueueInterval, offered_last_hour: int, sl_seconds: float,
          occupancy, wait_alert: float) -> dict:  # fmt: skip
    aht = today.aht or DEFAULT_AHT
    load = erlang.traffic(offered_last_hour, LOOKBACK, aht)
    needed = erlang.agents_required(load, aht, SL_TARGET, sl_seconds) if load > 0 else 0
    return {
        "queue_id": queue_id,
        "waiting": view.waiting,
        "longest_wait": view.longest_wait,
        "wait_level": wait_level(view.longest_wait, sl_seconds, wait_alert),
        "offered": today.offered,
        "answered": today.answered,
        "abandoned": today.abandoned,
        "service_level": today.service_level,
        "asa": today.asa,
        "aht": today.aht,
        "abandonment": today.abandoned / today.offered if today.offered else None,
        "occupancy": occupancy,
        "eligible": view.eligible,
        "available": view.available,
        "agents_needed": needed,
        "offered_last_hour": offered_last_hour,
        "sl_seconds": sl_seconds,
    }


def _alerts(queues: list[dict], wait_alert: float) -> list[dict]:
    alerts = []
    for q in queues:
        name, sl = q["queue_id"], q["service_level"]
        if q["waiting"] and not q["available"]:
            waiting = q["waiting"]
            message = (f"{name}: 0 agents available while {waiting} "
                       f"{'contact waits' if waiting == 1 else 'contacts wait'}")  # fmt: skip
            alerts.append({"queue_id": name, "kind": "no_agents", "message": message})
        if sl is not None and sl < SL_TARGET:
            message = f"{name}: service level today {sl:.0%} is below {SL_TARGET:.0%}"
            alerts.append({"queue_id": name, "kind": "service_level", "message": message})
        if q["longest_wait"] > wait_alert:
            message = (
                f"{name}: a contact has waited {q['longest_wait']:.0f} s (over {wait_alert:.0f} s)"
            )
            alerts.append({"queue_id": name, "kind": "wait", "message": message})
        if q["agents_needed"] > q["eligible"]:
            message = (
                f"{name}: Erlang C needs {q['agents_needed']} agents, {q['eligible']} signed in"
            )
            alerts.append({"queue_id": name, "kind": "staffing", "message": message})
    return alerts


def _agents(session: Session, now: float, stats) -> list[dict]:
    """Each agent now, and today so far from the event log: contacts handled, AHT (seconds),
    occupancy (working / signed in) and acceptance (accepted / offers that ended)."""
    rows = session.scalars(select(RoutingAgent).order_by(RoutingAgent.agent_id)).all()
    ids = [int(r.agent_id) for r in rows if r.agent_id.isdigit()]
    names = {str(a.id): a.user.display_name
             for a in session.scalars(select(Agent).where(Agent.id.in_(ids)))}  # fmt: skip
    tasks = session.scalars(select(RoutingTask).where(RoutingTask.state.in_(HELD))).all()
    customers = _customers(session, [t.task_id for t in tasks])
    held: dict[str, list[str]] = defaultdict(list)
    current: dict[str, list[dict]] = defaultdict(list)
    for task in tasks:
        held[task.agent_id].append(task.task_id)
        current[task.agent_id].append({"task_id": task.task_id, "state": task.state,
                                       **_who(task, customers)})  # fmt: skip
    return [
        {
            "agent_id": r.agent_id,
            "name": names.get(r.agent_id, r.agent_id),
            "status": r.status,
            "state": r.state,
            "in_state": max(0.0, now - float(r.data.get("state_since") or now)),
            "tasks": held.get(r.agent_id, []),
            "current": current.get(r.agent_id, []),
            "queues": sorted(r.data.get("queues") or {}),
            "today": _today(stats, r.agent_id),
        }
        for r in rows
    ]


def _today(stats, agent_id: str) -> dict:
    work, time_ = stats.work.get(agent_id), stats.by_agent.get(agent_id)
    return {
        "contacts": work.handled if work else 0,
        "aht": work.aht if work else None,
        "occupancy": time_.occupancy if time_ else None,
        "acceptance": work.acceptance if work else None,
    }


def _customers(session: Session, task_ids: list[str]) -> dict[str, Contact]:
    if not task_ids:
        return {}
    found = session.scalars(select(Contact).where(Contact.task_id.in_(task_ids)))
    return {c.task_id: c for c in found}


def _who(task: RoutingTask, customers: dict[str, Contact]) -> dict:
    """The customer (a chat's name or a caller's number) and channel, instead of a CA…/CH… id;
    a task without a contact row (made through the API) shows its id."""
    contact = customers.get(task.task_id)
    return {
        "channel": (contact.channel if contact else None) or task.data.get("channel"),
        "customer": (contact.customer if contact else "") or task.task_id,
    }


def _waiting(session: Session, now: float, sl_seconds: dict, wait_alert: float) -> list[dict]:
    """Waiting contacts, oldest first; `level` colours the wait: ok within the queue's
    service-level threshold, warn past it, alert past the dashboard's wait alert."""
    tasks = session.scalars(
        select(RoutingTask).where(RoutingTask.state.in_(("pending", "reserved")))
        .order_by(RoutingTask.created_at)
    ).all()  # fmt: skip
    customers = _customers(session, [t.task_id for t in tasks])
    rows = []
    for t in tasks:
        # From the contact's arrival: a move or a transfer keeps its place and its wait.
        waited = now - float(t.created_at)
        rows.append({"task_id": t.task_id, "queue_id": t.queue_id, "state": t.state,
                     "priority": t.data.get("priority", 0), "waited": waited,
                     "level": wait_level(waited, sl_seconds.get(t.queue_id, 20.0), wait_alert),
                     **_who(t, customers)})  # fmt: skip
    return rows


def wait_level(waited: float, sl_seconds: float, wait_alert: float) -> str:
    """ok ≤ the service-level threshold < warn ≤ the wait alert < alert (seconds)."""
    if waited > wait_alert:
        return "alert"
    return "warn" if waited > sl_seconds else "ok"


def _intervals(stats) -> list[dict]:
    """Contacts offered and answered, and service level, per 15-minute interval (all queues)."""
    totals: dict[float, QueueInterval] = defaultdict(QueueInterval)
    for (_queue_id, begin), counters in stats.queues.items():
        _add(totals[begin], counters)
    return [
        {"start": begin, "offered": c.offered, "answered": c.answered,
         "abandoned": c.abandoned, "service_level": c.service_level}
        for begin, c in sorted(totals.items())
    ]  # fmt: skip


def waiting_last_hour(*, session: Session, now: float) -> dict:
    """Waiting tasks per queue and in total at each minute of the last hour, folded from the
    event log: {"times": [epoch seconds], "queues": {queue: [counts]}, "total": [counts]}."""
    connection = session.connection()
    queue_ids = list(session.scalars(select(RoutingQueue.queue_id).order_by(RoutingQueue.queue_id)))
    since = now - now % STEP - LOOKBACK
    times, counts = waiting_series(connection, since, now, STEP)
    series = {q: counts.get(q, [0] * len(times)) for q in queue_ids}
    for queue_id, values in counts.items():
        series.setdefault(queue_id, values)
    total = [sum(values[n] for values in series.values()) for n in range(len(times))]
    return {"times": times, "queues": series, "total": total}
