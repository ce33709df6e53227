"""Matching: the best eligible agent for a task, and the best waiting task for an agent.

Rules:
- A task goes to the first eligible agent of its pools in order (its own queue first, then
  the overflow queues its escalation opened), each pool walked in its strategy order.
- An agent takes, among the queues it serves with the highest priority that has an eligible
  task, the task first in queue order (priority desc, created asc); tasks transferred to the
  agent by name come before all of those.
- Eligible = available, a free slot on the task's channel, not having declined the task,
  allowed another offer by the offer rule (state.py), and skills valid now for the pool's
  requirements plus the task's own (invariant 4).
- Volunteers (dispatcher.core.volunteers): a web chat is offered to an idle volunteer of its
  queue first while volunteers may take it; a volunteer takes only such chats, skills unasked.
"""

from __future__ import annotations

from dispatcher.core.index import OrderedIndex
from dispatcher.core.model import AgentPresence, AgentStatus, Channel, Task
from dispatcher.core.skills import Skills, qualifies
from dispatcher.core.state import RoutingState, escalation_of
from dispatcher.core.strategies import SHUFFLED
from dispatcher.core.volunteers import VOLUNTEER_SLOT, is_volunteer, volunteers_may_take


class Matching(RoutingState):
    """Decisions over the indexes of RoutingState; each decision ends in `reserve`."""

    def qualified(self, skills: Skills, task: Task, via: str) -> bool:
        """Skills rule for `task` drawn through pool `via` at the current time."""
        pool = self.queues.get(via)
        if pool is None:
            return False
        req = pool.requirements
        min_proficiency = req.min_proficiency
        if via == task.queue_id and task.escalation_level:
            min_proficiency, _ = escalation_of(pool, task.escalation_level)
        return qualifies(
            skills,
            req.certifications,
            task.required,
            req.languages,
            task.language,
            min_proficiency,
            self.now,
        )

    def match_task(self, task: Task) -> bool:
        """Offer a pending task to the best eligible idle agent; False when there is none."""
        if task.target_agent is not None:
            return self._match_target(task)
        if volunteers_may_take(task) and self._match_volunteer(task):
            return True
        queue = self.queues[task.queue_id]
        pools = (
            escalation_of(queue, task.escalation_level)[1]
            if queue.escalation
            else (queue.queue_id,)
        )
        skills_of = self.skill_source.skills_of
        declined = task.declined_by
        for via in pools:
            index = self.idle.get((via, task.channel))
            if not index:
                continue
            shuffled = self.queues[via].strategy in SHUFFLED
            for agent_id in index.shuffled_runs(self.rng) if shuffled else index:
                if agent_id in declined:
                    continue
                if self.qualified(skills_of(agent_id, self.now), task, via):
                    self.reserve(task, self.agents[agent_id], via)
                    return True
        return False

    def _match_volunteer(self, task: Task) -> bool:
        """Offer a web chat to the first idle volunteer of its queue who has not declined it."""
        index = self.idle.get((task.queue_id, VOLUNTEER_SLOT))
        for agent_id in index or ():
            if agent_id not in task.declined_by:
                self.reserve(task, self.agents[agent_id], task.queue_id)
                return True
        return False

    def _match_target(self, task: Task) -> bool:
        agent = self.agents.get(task.target_agent)
        if agent is None or agent.status is not AgentStatus.AVAILABLE:
            return False
        if is_volunteer(agent.agent_id) and not volunteers_may_take(task):
            return False
        if task.channel not in self.free_channels(agent):
            return False
        if not self.may_offer(agent, task.queue_id):
            return False
        skills = self.skill_source.skills_of(agent.agent_id, self.now)
        if not self.qualified(skills, task, task.queue_id):
            return False
        self.reserve(task, agent, task.queue_id)
        return True

    def match_agent(self, agent: AgentPresence) -> None:
        """Offer waiting tasks to an agent until it is full or nothing eligible waits."""
        while agent.status is AgentStatus.AVAILABLE:
            free = self.free_channels(agent)
            if not free:
                return
            found = self.best_task_for(agent, free)
            if found is None:
                return
            self.reserve(found[0], agent, found[1])

    def settle_agent(self, agent: AgentPresence) -> None:
        """After an agent gained room: give it waiting work, then index what room is left."""
        self.match_agent(agent)
        self.index_agent(agent)

    def best_task_for(self, agent: AgentPresence, free: list) -> tuple[Task, str] | None:
        """(task, pool) the agent should be offered next, or None."""
        agent_id = agent.agent_id
        if is_volunteer(agent_id):
            return self._volunteer_task_for(agent, free)
        skills = self.skill_source.skills_of(agent_id, self.now)
        targeted = self.targeted.get(agent_id)
        if targeted:
            for task_id in targeted:
                task = self.tasks[task_id]
                if task.channel not in free or not self.may_offer(agent, task.queue_id):
                    continue
                if self.qualified(skills, task, task.queue_id):
                    return task, task.queue_id
        best: tuple | None = None
        best_priority = 0
        for queue_id, priority in self.queue_order[agent_id]:
            if best is not None and priority < best_priority:
                break
            if queue_id not in self.queues or not self.may_offer(agent, queue_id):
                continue
            found = self._first_eligible(agent_id, skills, queue_id, free)
            if found is not None and (best is None or found[0] < best[0]):
                best, best_priority = found, priority
        return None if best is None else (best[1], best[2])

    def _volunteer_task_for(self, agent: AgentPresence, free: list) -> tuple[Task, str] | None:
        """The first waiting web chat volunteers may take, of the volunteer's queues in order."""
        if Channel.CHAT not in free:
            return None
        agent_id = agent.agent_id
        for queue_id, _priority in self.queue_order[agent_id]:
            if queue_id not in self.queues or not self.may_offer(agent, queue_id):
                continue
            for entry in (self.waiting.get(queue_id) or OrderedIndex()).entries():
                task = self.tasks[entry[-1]]
                if task.queue_id == queue_id and agent_id not in task.declined_by and (
                    volunteers_may_take(task)
                ):
                    return task, queue_id
        return None

    def _first_eligible(
        self, agent_id: str, skills: Skills, queue_id: str, free: list
    ) -> tuple[tuple, Task, str] | None:
        index = self.waiting.get(queue_id)
        if not index:
            return None
        tasks = self.tasks
        for entry in index.entries():
            task = tasks[entry[-1]]
            if task.channel not in free or agent_id in task.declined_by:
                continue
            if self.qualified(skills, task, queue_id):
                return entry[:-1], task, queue_id
        return None
