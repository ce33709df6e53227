"""In-memory routing state: entities, the ordered indexes over them, timers and the event sink.

Index rules (kept true after every command):
- `waiting[q]` holds the pending tasks queue q may serve (its own and overflowed-in), keyed by
  (-priority, created_at, seq); `targeted[a]` holds pending tasks transferred to agent a.
- `idle[(q, channel)]` holds the agents serving q with status available and a free slot on
  `channel`, keyed by (-priority for q, strategy key). Skills are checked at decision time.
  Volunteers (dispatcher.core.volunteers) with a free chat slot are in `idle[(q, "volunteer")]`
  instead, so the certified agents' walks never meet them.

Offer rule: an agent has at most one pending offer at a time (as Flex and Connect do), so
the agent chooses one contact at a time. An agent whose pending offers all came from pools
with `concurrent_offers` may be offered more tasks of such pools, up to capacity; a pool
without it never offers beside a pending offer, and nothing is offered beside one of its.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from random import Random

from dispatcher.core.clock import Clock
from dispatcher.core.events import AgentStateChanged, Event, ReservationCreated
from dispatcher.core.index import OrderedIndex
from dispatcher.core.model import (
    AgentPresence,
    AgentState,
    AgentStatus,
    Channel,
    Queue,
    Reservation,
    Task,
    TaskState,
)
from dispatcher.core.skills import SkillSource
from dispatcher.core.strategies import agent_key
from dispatcher.core.timers import TimerHeap
from dispatcher.core.volunteers import VOLUNTEER_SLOT, is_volunteer

Slot = tuple[str, Channel]


@dataclass(frozen=True, slots=True)
class RouterConfig:
    """max_missed_offers: consecutive timed-out offers that pause an agent (None: never).
    closed_memory: how many ended tasks/reservations are remembered for clear error messages."""

    max_missed_offers: int | None = 3
    closed_memory: int = 100_000


def escalation_of(queue: Queue, level: int) -> tuple[int, tuple[str, ...]]:
    """(min proficiency, pools) of a task of `queue` after `level` escalation steps."""
    min_proficiency = queue.requirements.min_proficiency
    pools = [queue.queue_id]
    for step in queue.escalation[:level]:
        if step.min_proficiency is not None:
            min_proficiency = step.min_proficiency
        pools.extend(q for q in step.overflow if q not in pools)
    return min_proficiency, tuple(pools)


def derive_state(held: dict[str, Task]) -> AgentState:
    """Engine-driven agent state from the tasks it holds: reserved > busy > wrapping > idle."""
    state = AgentState.IDLE
    for task in held.values():
        if task.state is TaskState.RESERVED:
            return AgentState.RESERVED
        if task.state is TaskState.ASSIGNED:
            state = AgentState.BUSY
        elif state is AgentState.IDLE:
            state = AgentState.WRAPPING
    return state


class RoutingState:
    """Entities and indexes; subclasses add matching, lifecycle rules and commands."""

    def __init__(
        self,
        *,
        clock: Clock,
        skills: SkillSource,
        rng: Random | None = None,
        config: RouterConfig | None = None,
    ) -> None:
        self.clock = clock
        self.skill_source = skills
        self.rng = rng if rng is not None else Random(0)
        self.config = config or RouterConfig()
        self.queues: dict[str, Queue] = {}
        self.agents: dict[str, AgentPresence] = {}
        self.tasks: dict[str, Task] = {}  # open tasks
        self.reservations: dict[str, Reservation] = {}  # pending reservations
        self.closed_tasks: OrderedDict[str, Task] = OrderedDict()
        self.closed_reservations: OrderedDict[str, Reservation] = OrderedDict()
        self.waiting: dict[str, OrderedIndex] = {}
        self.targeted: dict[str, OrderedIndex] = {}
        self.idle: dict[Slot, OrderedIndex] = {}
        self.listed: dict[str, tuple[OrderedIndex, ...]] = {}  # task -> indexes it is in
        self.slots: dict[str, dict[Slot, tuple]] = {}  # agent -> its idle-index keys
        self.held: dict[str, dict[str, Task]] = {}  # agent -> open tasks it holds
        self.queue_order: dict[str, list[tuple[str, int]]] = {}  # agent -> queues, priority desc
        self.timers = TimerHeap()
        self.now = 0.0
        self.next_seq = 0
        self.offer_seq = 0
        self.events: list[Event] = []
        self.touched: dict[str, AgentPresence] = {}

    # Command bracket -------------------------------------------------------------------

    def begin(self) -> None:
        self.now = self.clock.now()
        self.events = []
        self.touched = {}

    def end(self) -> list[Event]:
        """Emit AgentStateChanged for agents whose derived state moved; return the events."""
        for agent in self.touched.values():
            state = derive_state(self.held[agent.agent_id])
            if agent.consulting is not None and state is not AgentState.RESERVED:
                state = AgentState.BUSY  # on a colleague's call
            if state is not agent.state:
                self.events.append(
                    AgentStateChanged(
                        at=self.now, agent_id=agent.agent_id, state=state, previous=agent.state
                    )
                )
                agent.state = state
                agent.state_since = self.now
        events, self.events, self.touched = self.events, [], {}
        return events

    def remember(self, closed: OrderedDict, key: str, value: object) -> None:
        closed[key] = value
        if len(closed) > self.config.closed_memory:
            closed.popitem(last=False)

    # Waiting tasks -----------------------------------------------------------------------

    def list_task(self, task: Task) -> None:
        """Put a pending task in the waiting index of each pool, or of its target agent."""
        key = task.order_key
        if task.target_agent is not None:
            names, lists = (task.target_agent,), self.targeted
        else:
            queue = self.queues[task.queue_id]
            names = escalation_of(queue, task.escalation_level)[1] if queue.escalation else None
            names, lists = names or (task.queue_id,), self.waiting
        indexes = []
        for name in names:
            index = lists.get(name)
            if index is None:
                index = lists[name] = OrderedIndex()
            index.add(task.task_id, key)
            indexes.append(index)
        self.listed[task.task_id] = tuple(indexes)

    def unlist_task(self, task: Task) -> None:
        for index in self.listed.pop(task.task_id, ()):
            index.discard(task.task_id)

    # Idle agents -------------------------------------------------------------------------

    def free_channels(self, agent: AgentPresence) -> list[Channel]:
        if agent.consulting is not None:  # on a colleague's call (warm transfer): no offers
            return []
        held = self.held[agent.agent_id]
        if not held:  # the common case when (re)indexing: nothing held, every slot free
            return [ch for ch, cap in agent.capacity.items() if cap > 0]
        load: dict[Channel, int] = {}
        for task in held.values():
            load[task.channel] = load.get(task.channel, 0) + 1
        return [ch for ch, cap in agent.capacity.items() if load.get(ch, 0) < cap]

    def offers_pending(self, agent_id: str) -> list[Reservation]:
        return [
            self.reservations[t.reservation_id]
            for t in self.held[agent_id].values()
            if t.state is TaskState.RESERVED
        ]

    def may_offer(self, agent: AgentPresence, via: str) -> bool:
        """The offer rule (module docstring): may `agent` get an offer drawn from pool `via`?"""
        pending = self.offers_pending(agent.agent_id)
        if not pending:
            return True
        return self.queues[via].concurrent_offers and all(
            self.queues[r.queue_id].concurrent_offers for r in pending
        )

    def index_agent(self, agent: AgentPresence) -> None:
        """Bring the agent's idle-index entries in line with its status, load, queues and
        the offer rule."""
        agent_id = agent.agent_id
        slots = self.slots[agent_id]
        free = self.free_channels(agent) if agent.status is AgentStatus.AVAILABLE else None
        if not free:
            for slot in slots:
                self.idle[slot].discard(agent_id)
            slots.clear()
            return
        if is_volunteer(agent_id):
            free = [VOLUNTEER_SLOT] if Channel.CHAT in free else []
        want: dict[Slot, tuple] = {}
        for queue_id, priority in agent.queues.items():
            queue = self.queues.get(queue_id)
            if queue is not None and self.may_offer(agent, queue_id):
                key = agent_key(queue.strategy, agent, queue_id, priority)
                for ch in free:
                    want[(queue_id, ch)] = key
        for slot in [s for s in slots if s not in want]:
            self.idle[slot].discard(agent_id)
            del slots[slot]
        idle = self.idle
        for slot, key in want.items():
            if slots.get(slot) != key:
                index = idle.get(slot)
                if index is None:
                    index = idle[slot] = OrderedIndex()
                index.add(agent_id, key)
                slots[slot] = key

    def unindex_queue(self, queue_id: str) -> None:
        """Drop every idle entry of a queue (before its strategy or existence changes)."""
        for (q, ch), index in list(self.idle.items()):
            if q == queue_id:
                for agent_id in list(index):
                    del self.slots[agent_id][(q, ch)]
                del self.idle[(q, ch)]

    # Offers ------------------------------------------------------------------------------

    def reserve(self, task: Task, agent: AgentPresence, via: str) -> Reservation:
        """Offer `task` to `agent`; deadline = now + the task's queue reservation_timeout."""
        now = self.now
        self.offer_seq += 1
        task.offers += 1
        rid = f"{task.task_id}#{task.offers}"
        deadline = now + self.queues[task.queue_id].reservation_timeout
        reservation = Reservation(rid, task.task_id, agent.agent_id, via, now, deadline)
        self.reservations[rid] = reservation
        self.unlist_task(task)
        task.state = TaskState.RESERVED
        task.agent_id = agent.agent_id
        task.reservation_id = rid
        self.held[agent.agent_id][task.task_id] = task
        agent.last_offered[via] = self.offer_seq
        self.timers.schedule(("reservation", rid), deadline)
        self.touched[agent.agent_id] = agent
        self.events.append(
            ReservationCreated(
                at=now,
                reservation_id=rid,
                task_id=task.task_id,
                agent_id=agent.agent_id,
                queue_id=via,
                deadline=deadline,
            )
        )
        self.index_agent(agent)
        return reservation

    def release(self, task: Task) -> AgentPresence:
        """Take `task` off its agent (fields untouched); an agent left empty is idle from now."""
        agent = self.agents[task.agent_id]
        held = self.held[agent.agent_id]
        del held[task.task_id]
        if not held:
            agent.idle_since = self.now
        self.touched[agent.agent_id] = agent
        return agent
