"""Console presence: which agents have a console socket open in this process, and who has
been gone past the grace period — those go offline through a routing command, which also
withdraws any offer they held so the task is offered to someone else."""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict

import redis
from redis.exceptions import RedisError
from sqlalchemy import select

from channels.models import Contact
from dispatcher import commands
from dispatcher.tables import RoutingAgent, RoutingTask

log = logging.getLogger(__name__)
DEFAULT_GRACE = 20.0


class Presence:
    """Sockets per agent; `due(now)` pops agents whose last socket left >= grace seconds ago."""

    def __init__(self, grace: float = DEFAULT_GRACE) -> None:
        self.grace = grace
        self._sockets: dict[str, set[str]] = defaultdict(set)
        self._gone_since: dict[str, float] = {}
        self._agent_of: dict[str, str] = {}
        self._lock = threading.Lock()

    def connected(self, agent_id: str, sid: str) -> None:
        with self._lock:
            self._sockets[agent_id].add(sid)
            self._agent_of[sid] = agent_id
            self._gone_since.pop(agent_id, None)

    def disconnected(self, sid: str, now: float) -> None:
        with self._lock:
            agent_id = self._agent_of.pop(sid, None)
            if agent_id is None:
                return
            sockets = self._sockets.get(agent_id, set())
            sockets.discard(sid)
            if not sockets:
                self._sockets.pop(agent_id, None)
                self._gone_since[agent_id] = now

    def heartbeat(self, now: float) -> None:
        """One process: nothing to share (see SharedPresence)."""

    def due(self, now: float) -> list[str]:
        with self._lock:
            gone = [a for a, since in self._gone_since.items() if now - since >= self.grace]
            for agent_id in gone:
                del self._gone_since[agent_id]
        return gone

    def retry(self, agent_ids: list[str], now: float) -> None:
        """`due` handed these out but signing them out failed: due again at the next sweep,
        unless a console came back meanwhile."""
        with self._lock:
            for agent_id in agent_ids:
                if not self._sockets.get(agent_id):
                    self._gone_since.setdefault(agent_id, now - self.grace)


# Remove an agent's stamp only if it is still at or before the cutoff; 1 when removed.
CLAIM_IF_STALE = """
local seen = redis.call('ZSCORE', KEYS[1], ARGV[1])
if seen and tonumber(seen) <= tonumber(ARGV[2]) then
  return redis.call('ZREM', KEYS[1], ARGV[1])
end
return 0
"""


class SharedPresence(Presence):
    """Presence shared by every web process through Redis (scaled out). Each process keeps its
    own sockets and, at every sweep, stamps its agents' last-seen time in one sorted set; an
    agent is gone when no process has stamped them for `grace` seconds — which also covers a
    web process that was killed (its agents are never stamped again) and an agent whose console
    reconnected to another process (that process stamps them). Exactly one process acts on a
    gone agent: it removes the stamp, atomically, only if it is still stale. While Redis is
    unreachable nothing is reported, and after it returns every process waits one grace period
    before acting, so that agents stamped by other processes are not mistaken for gone."""

    def __init__(self, client, *, grace: float = DEFAULT_GRACE, key: str = "crowdline:presence"):
        super().__init__(grace=grace)
        self.client = client
        self.key = key
        self._quiet_until = 0.0
        self._healthy = True

    def connected(self, agent_id: str, sid: str) -> None:
        super().connected(agent_id, sid)
        self._stamp([agent_id], time.time())

    def disconnected(self, sid: str, now: float) -> None:
        """Only this process's bookkeeping: the agent's stamp ages in Redis by itself."""
        with self._lock:
            agent_id = self._agent_of.pop(sid, None)
            sockets = self._sockets.get(agent_id, set())
            sockets.discard(sid)
            if agent_id is not None and not sockets:
                self._sockets.pop(agent_id, None)

    def heartbeat(self, now: float) -> None:
        with self._lock:
            here = list(self._sockets)
        self._stamp(here, now)

    def _stamp(self, agent_ids: list[str], now: float) -> None:
        try:
            pipe = self.client.pipeline(transaction=False)
            if not agent_ids:
                pipe.ping()  # nothing to stamp, but learn whether Redis is back
            for start in range(0, len(agent_ids), 1000):
                pipe.zadd(self.key, {a: now for a in agent_ids[start : start + 1000]})
            pipe.execute()
        except RedisError as error:
            self._unhealthy(error)
        else:
            self._recovered(now)

    def due(self, now: float) -> list[str]:
        if not self._healthy or now < self._quiet_until:
            return []
        try:
            cutoff = now - self.grace
            claim = self.client.register_script(CLAIM_IF_STALE)
            stale = self.client.zrangebyscore(self.key, "-inf", cutoff)
            gone = []
            for raw in stale:
                agent_id = raw.decode() if isinstance(raw, bytes) else raw
                with self._lock:
                    here = agent_id in self._sockets
                # Removed only if still stale: a process may have stamped them meanwhile.
                if not here and claim(keys=[self.key], args=[agent_id, cutoff]) == 1:
                    gone.append(agent_id)
        except RedisError as error:
            self._unhealthy(error)
            return []
        return gone

    def retry(self, agent_ids: list[str], now: float) -> None:
        """Put back a stale stamp for agents claimed by `due` whose sign-out failed, unless a
        process stamped them meanwhile (NX: a console that came back keeps its fresh stamp)."""
        if not agent_ids:
            return
        try:
            self.client.zadd(self.key, {a: now - self.grace for a in agent_ids}, nx=True)
        except RedisError as error:
            self._unhealthy(error)

    def _unhealthy(self, error) -> None:
        if self._healthy:
            log.warning("presence: Redis unreachable (%s); nobody is signed out meanwhile", error)
        self._healthy = False

    def _recovered(self, now: float) -> None:
        if not self._healthy:
            log.info("presence: Redis is back; signing out resumes after %.0f s", self.grace)
            self._healthy = True
            self._quiet_until = now + self.grace


def make_presence(*, grace: float, redis_url: str | None, key: str = "crowdline:presence"):
    """In-process presence for one web process; shared through Redis when REDIS_URL is set."""
    if not redis_url:
        return Presence(grace=grace)

    client = redis.Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2)
    return SharedPresence(client, grace=grace, key=key)


def sign_out_gone(presence: Presence, sessions, now: float) -> list[str]:
    """Send `set_status offline` for each agent gone past the grace period who is not offline
    yet; returns their ids. The engine withdraws their pending offers."""
    presence.heartbeat(now)
    gone = presence.due(now)
    if not gone:
        return []
    try:
        return _sign_out(sessions, gone, now)
    except Exception:
        presence.retry(gone, now)  # claimed but not signed out: the next sweep tries again
        raise


def _sign_out(sessions, gone: list[str], now: float) -> list[str]:
    with sessions.begin() as session:
        signed_in = session.scalars(
            select(RoutingAgent.agent_id).where(
                RoutingAgent.agent_id.in_(gone), RoutingAgent.status != "offline"
            )
        ).all()
        for agent_id in signed_in:
            commands.submit(session, "set_status", {"agent_id": agent_id, "status": "offline"},
                            now=now)  # fmt: skip
        # Their live chats go back to the queue, at their place, for another agent: only the
        # console could answer them (a call goes on, on the agent's phone).
        chats = session.execute(
            select(RoutingTask.task_id, RoutingTask.agent_id)
            .join(Contact, Contact.task_id == RoutingTask.task_id)
            .where(RoutingTask.agent_id.in_(gone), RoutingTask.state == "assigned",
                   Contact.channel != "voice")
        ).all()  # fmt: skip
        for task_id, agent_id in chats:
            log.info("agent %s gone: chat %s back to its queue", agent_id, task_id)
            commands.submit(session, "transfer", {"task_id": task_id, "reason": "console_lost"},
                            now=now)  # fmt: skip
    return list(signed_in)


class PresenceSweeper:
    """The loop started by an entry point (never by create_app): checks every `every` s."""

    def __init__(self, presence: Presence, sessions, *, every: float = 1.0) -> None:
        self.presence = presence
        self.sessions = sessions
        self.every = every
        self.stop_event = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> PresenceSweeper:
        self.thread = threading.Thread(target=self.run, name="presence", daemon=True)
        self.thread.start()
        return self

    def run(self) -> None:
        while not self.stop_event.wait(self.every):
            try:
                for agent_id in sign_out_gone(self.presence, self.sessions, time.time()):
                    log.info("agent %s: console gone past the grace period; offline", agent_id)
            except Exception:
                log.exception("presence sweep failed")

    def stop(self) -> None:
        self.stop_event.set()
        if self.thread is not None:
            self.thread.join(5)


def presence_of(app) -> Presence:
    return app.extensions["crowdline.presence"]

