"""Agent-selection strategies as sort keys: the idle index of a queue is ordered by them.

Smaller keys are offered first; ties fall back to the agent id. Keys are tuples so the index
can prepend the agent's priority for the queue (higher priority first) and whether the agent
is booked on the queue's schedule block now (booked first, within one priority).
"""

from __future__ import annotations

from collections.abc import Callable

from dispatcher.core.model import AgentPresence, Strategy

StrategyKey = Callable[[AgentPresence, str], tuple]


def longest_idle(agent: AgentPresence, queue_id: str) -> tuple:
    """The agent idle the longest (earliest idle_since) first."""
    return (agent.idle_since,)


def round_robin(agent: AgentPresence, queue_id: str) -> tuple:
    """The agent offered a task of this queue the longest ago (or never) first."""
    return (agent.last_offered.get(queue_id, -1),)


def fewest_tasks(agent: AgentPresence, queue_id: str) -> tuple:
    """The agent who handled the fewest tasks first, then the longest idle."""
    return (agent.tasks_handled, agent.idle_since)


def least_talk_time(agent: AgentPresence, queue_id: str) -> tuple:
    """The agent with the least talk time (seconds) first, then the longest idle."""
    return (agent.talk_seconds, agent.idle_since)


def performance(agent: AgentPresence, queue_id: str) -> tuple:
    """The agent with the highest score first, then the longest idle."""
    return (-agent.score, agent.idle_since)


def random_order(agent: AgentPresence, queue_id: str) -> tuple:
    """No order: matching picks uniformly (injected RNG) among agents of the best priority."""
    return ()


STRATEGIES: dict[Strategy, StrategyKey] = {
    Strategy.LONGEST_IDLE: longest_idle,
    Strategy.ROUND_ROBIN: round_robin,
    Strategy.FEWEST_TASKS: fewest_tasks,
    Strategy.LEAST_TALK_TIME: least_talk_time,
    Strategy.PERFORMANCE: performance,
    Strategy.RANDOM: random_order,
}

#: Strategies whose index is walked from a random point of each priority run.
SHUFFLED = frozenset({Strategy.RANDOM})


def agent_key(
    strategy: Strategy,
    agent: AgentPresence,
    queue_id: str,
    priority: int,
) -> tuple:
    """Index key of `agent` in `queue_id`: its priority there (desc), then agents booked on the
    queue's schedule block now before those who are not (a commitment means something), then
    the strategy key."""
    return (-priority, queue_id not in agent.booked, *STRATEGIES[strategy](agent, queue_id))
