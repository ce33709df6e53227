"""The crowd of simulated agents of the system run (bench/system.py): N console agents
(bench/_agents.py) on an event loop of their own thread, and what they saw (offers, answers,
notes) for the run's figures."""

from __future__ import annotations

import asyncio
import threading
import time
from random import Random

from sqlalchemy import select

from bench._agents import Agent
from database.engine import make_engine
from dispatcher.tables import RoutingEvent


class Crowd:
    """N agents on an event loop of their own thread."""

    def __init__(self, urls: list[str], emails: list[str], password: str, *, rng: Random,
                 talk: float) -> None:  # fmt: skip
        self.urls = list(urls)
        self.forgotten: set[str] = set()
        self.password = password
        self.rng = rng
        self.talk = talk
        self.loop = asyncio.new_event_loop()
        self.agents = [Agent(self, n, email) for n, email in enumerate(emails)]
        self.offers: dict[str, float] = {}  # reservation id → first arrival at a socket
        self.closed: list[tuple[str, str, str]] = []  # (email, reservation, task) left behind
        self.tried: dict[str, int] = {}  # "accept" / "wrap-up" → attempts
        self.done: dict[str, int] = {}  # … → the server said yes
        self.notes: dict[str, int] = {}
        self.thread = threading.Thread(target=self.loop.run_forever, name="crowd", daemon=True)

    def note(self, what: str) -> None:
        self.notes[what] = self.notes.get(what, 0) + 1

    def offer_seen(self, reservation_id: str | None, at: float) -> None:
        if reservation_id:
            self.offers.setdefault(reservation_id, at)

    def _call(self, coroutine, timeout: float = 120):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def start(self) -> None:
        self.thread.start()

        async def go():
            for agent in self.agents:
                asyncio.create_task(agent.run())

        self._call(go())

    def wait_signed_in(self, timeout: float) -> int:
        async def wait():
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline:
                if all(a.ready.is_set() for a in self.agents):
                    break
                await asyncio.sleep(0.2)
            return sum(a.ready.is_set() for a in self.agents)

        return self._call(wait(), timeout + 5)

    def count(self, what: str, ok: bool) -> None:
        self.tried[what] = self.tried.get(what, 0) + 1
        self.done[what] = self.done.get(what, 0) + int(ok)

    def agents_on(self, url: str) -> list[str]:
        """Agents whose console socket is on that web process now."""
        return [a.email for a in self.agents if a.url == url and a.ready.is_set()]

    def url_of(self, email: str) -> str | None:
        return next((a.url for a in self.agents if a.email == email), None)

    def consoles(self) -> dict[str, bool]:
        """email → whether the agent's console socket is connected now."""
        return {a.email: bool(a.sio is not None and a.sio.connected and a.ready.is_set())
                for a in self.agents}  # fmt: skip

    def forget(self, url: str) -> None:
        """That web process is gone: reconnect only to the others."""
        self.forgotten.add(url)

    def close_on_next_offer(self, count: int) -> int:
        chosen = [a for a in self.agents if a.ready.is_set() and not a.close_on_offer][:count]
        for agent in chosen:
            agent.close_on_offer = True
        return len(chosen)

    def offer_latencies(self, database_url: str) -> list[float]:
        """Arrival at the socket minus the engine's decision time (ReservationCreated.at)."""
        engine = make_engine(database_url)
        try:
            with engine.connect() as connection:
                rows = connection.execute(
                    select(RoutingEvent.at, RoutingEvent.data).where(
                        RoutingEvent.type == "ReservationCreated"
                    )
                ).all()
        finally:
            engine.dispose()
        decided = {data["reservation_id"]: at for at, data in rows}
        return [arrived - decided[r] for r, arrived in self.offers.items() if r in decided]

    def stop(self) -> None:
        if not self.thread.is_alive():
            return

        async def stop_all():
            await asyncio.gather(*(a.stop() for a in self.agents), return_exceptions=True)

        try:
            self._call(stop_all(), 60)
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(5)
            if not self.thread.is_alive():
                self.loop.close()
