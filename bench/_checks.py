"""What a system run must leave in the database, checked from the durable event log and the
task table after the processes stopped: nothing lost, nothing assigned twice, nobody over
capacity, and statistics that equal a plain recount."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.engine import Connection

from dispatcher.core.codec import decode_event
from dispatcher.statistics import statistics_between
from dispatcher.tables import RoutingEvent, RoutingTask

TERMINAL = ("completed", "canceled")
HOLD_ENDS = ("TaskCompleted", "TaskCanceled", "TaskRequeued", "TaskTransferred", "TaskMoved")


@dataclass
class Ledger:
    failures: list[str] = field(default_factory=list)
    tasks: Counter = field(default_factory=Counter)  # final state → count
    cancel_reasons: Counter = field(default_factory=Counter)
    events: int = 0
    assignments: int = 0
    max_held: dict[str, int] = field(default_factory=dict)  # channel → most held by one agent

    def fail(self, message: str) -> None:
        if len(self.failures) < 50:
            self.failures.append(message)


def check(connection: Connection, *, since: float, until: float) -> Ledger:
    ledger = Ledger()
    rows = connection.execute(select(RoutingTask.task_id, RoutingTask.state)).all()
    for task_id, state in rows:
        ledger.tasks[state] += 1
        if state not in TERMINAL:
            ledger.fail(f"task {task_id} left {state}, not completed or canceled")

    holder: dict[str, str] = {}  # task → agent holding it (assigned or wrapping)
    held: dict[str, Counter] = defaultdict(Counter)  # agent → channel → tasks held
    capacity: dict[str, dict[str, int]] = {}
    channel: dict[str, str] = {}
    canceled_with_reason: set[str] = set()
    counted = Counter()  # event type → count, for the recount
    last = 0
    while True:
        batch = connection.execute(
            select(RoutingEvent.position, RoutingEvent.data)
            .where(RoutingEvent.position > last)
            .order_by(RoutingEvent.position)
            .limit(5000)
        ).all()
        for position, data in batch:
            if position != last + 1:
                ledger.fail(f"event log has a gap before position {position}")
            last = position
            event = decode_event(data)
            kind = type(event).__name__
            counted[kind] += 1
            ledger.events += 1
            if kind == "AgentRegistered":
                capacity[event.agent_id] = {str(k): v for k, v in event.capacity.items()}
            elif kind == "AgentCapacityChanged":
                capacity.setdefault(event.agent_id, {})[str(event.channel)] = event.capacity
            elif kind == "TaskCreated":
                channel[event.task_id] = str(event.channel)
            elif kind == "TaskAssigned":
                ledger.assignments += 1
                other = holder.get(event.task_id)
                if other is not None:
                    ledger.fail(f"task {event.task_id} assigned to {event.agent_id} while "
                                f"{other} held it (event {position})")  # fmt: skip
                holder[event.task_id] = event.agent_id
                ch = channel.get(event.task_id, "?")
                held[event.agent_id][ch] += 1
                limit = capacity.get(event.agent_id, {}).get(ch)
                if limit is not None and held[event.agent_id][ch] > limit:
                    ledger.fail(f"agent {event.agent_id} holds {held[event.agent_id][ch]} "
                                f"{ch} tasks, capacity {limit} (event {position})")  # fmt: skip
                ledger.max_held[ch] = max(ledger.max_held.get(ch, 0), held[event.agent_id][ch])
            if kind in HOLD_ENDS and event.task_id in holder:
                agent = holder.pop(event.task_id)
                held[agent][channel.get(event.task_id, "?")] -= 1
            if kind == "TaskCanceled":
                ledger.cancel_reasons[str(event.reason)] += 1
                if str(event.reason):
                    canceled_with_reason.add(event.task_id)
        if len(batch) < 5000:
            break

    for task_id, state in rows:
        if state == "canceled" and task_id not in canceled_with_reason:
            ledger.fail(f"task {task_id} canceled with no reason in the event log")
    _recount(connection, ledger, counted, since, until)
    return ledger


def _recount(connection: Connection, ledger: Ledger, counted: Counter, since, until) -> None:
    """The engine's statistics (folded per queue and 15-minute interval) against plain counts
    of the event log and of the task table."""
    stats = statistics_between(connection, since, until)
    totals = Counter()
    for counters in stats.queues.values():
        for name in ("offered", "answered", "abandoned", "handled"):
            totals[name] += getattr(counters, name)
    expected = {
        "offered": counted["TaskCreated"] + counted["TaskMoved"] + counted["TaskTransferred"],
        "answered": counted["TaskAssigned"],
        "abandoned": ledger.cancel_reasons.get("abandoned", 0),
        "handled": counted["TaskCompleted"],
    }
    for name, value in expected.items():
        if totals[name] != value:
            ledger.fail(f"statistics say {name}={totals[name]}, the event log {value}")
    if counted["TaskCompleted"] != ledger.tasks["completed"]:
        ledger.fail(f"{counted['TaskCompleted']} TaskCompleted events but "
                    f"{ledger.tasks['completed']} completed tasks")  # fmt: skip
    if counted["TaskCanceled"] != ledger.tasks["canceled"]:
        ledger.fail(f"{counted['TaskCanceled']} TaskCanceled events but "
                    f"{ledger.tasks['canceled']} canceled tasks")  # fmt: skip
    if counted["TaskCreated"] != sum(ledger.tasks.values()):
        ledger.fail(f"{counted['TaskCreated']} TaskCreated events but "
                    f"{sum(ledger.tasks.values())} tasks")  # fmt: skip
