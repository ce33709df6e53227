"""Simulated agents for the system run: real Socket.IO clients (python-socketio's AsyncClient
over WebSocket) and HTTP calls, doing what a person at the console does.

Each agent signs in through the login form, opens the console page (for its CSRF token) and
the /agent socket, goes available, accepts chat offers on the socket after a short pause,
replies, ends the chat after a talk time and sends the wrap-up form. Calls are answered on the
agent's simulated phone (the carrier presses 1). When its web process goes away the agent
reconnects to another one and re-reads its state, as the console does.
"""

from __future__ import annotations

import asyncio
import re
import time

import aiohttp
import socketio

NAMESPACE = "/agent"


class Agent:
    """One simulated agent at its console; `crowd` is the Crowd (bench/_crowd.py) it is in."""

    def __init__(self, crowd, n: int, email: str) -> None:
        self.crowd = crowd
        self.n = n
        self.email = email
        self.url: str | None = None
        self.http: aiohttp.ClientSession | None = None
        self.sio: socketio.AsyncClient | None = None
        self.csrf = ""
        self.ready = asyncio.Event()
        self.close_on_offer = False
        self.closed = False  # the "browser" was closed for good
        self.stopping = False
        self.tasks: set[asyncio.Task] = set()
        self.chats: set[str] = set()  # chat task ids being handled
        self.accepting: set[str] = set()  # reservation ids accepted (or being accepted)
        self.wrapping: set[str] = set()  # task ids whose wrap-up was sent
        self.ended: set[str] = set()  # chats this agent ended

    # Plumbing ---------------------------------------------------------------------------

    def _spawn(self, coroutine) -> None:
        task = asyncio.create_task(coroutine)
        self.tasks.add(task)
        task.add_done_callback(self._finished)

    def _finished(self, task: asyncio.Task) -> None:
        self.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:  # never silent
            self.crowd.note(f"{self.email}: {task.exception()!r}")

    def _candidates(self) -> list[str]:
        urls = [u for u in self.crowd.urls if u not in self.crowd.forgotten]
        start = self.n % len(urls) if urls else 0
        return urls[start:] + urls[:start]

    async def _json(self, method: str, path: str, body: dict | None = None) -> dict | None:
        headers = {"X-CSRFToken": self.csrf}
        try:
            request = self.http.request(method, f"{self.url}{path}", json=body, headers=headers,
                                        timeout=aiohttp.ClientTimeout(total=15))  # fmt: skip
            async with request as response:
                if response.status >= 400:
                    self.crowd.note(f"{method} {path}: {response.status}")
                    return None
                return await response.json()
        except (TimeoutError, aiohttp.ClientError) as error:
            self.crowd.note(f"{method} {path}: {type(error).__name__}")
            return None

    # Life cycle -------------------------------------------------------------------------

    async def run(self) -> None:
        jar = aiohttp.CookieJar(unsafe=True)  # cookies for 127.0.0.1
        self.http = aiohttp.ClientSession(cookie_jar=jar)
        try:
            await self._sign_in()
            await self._connect()
            self._spawn(self._refresh_now_and_then())
        except Exception as error:  # reported, never silent
            self.crowd.note(f"{self.email}: could not start: {error!r}")

    async def _sign_in(self) -> None:
        url = self._candidates()[0]
        async with self.http.get(f"{url}/login") as response:
            page = await response.text()
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)
        form = {"email": self.email, "password": self.crowd.password, "csrf_token": token}
        async with self.http.post(f"{url}/login", data=form, allow_redirects=False) as response:
            if response.status != 302:
                raise RuntimeError(f"sign-in answered {response.status}")
        async with self.http.get(f"{url}/console") as response:
            page = await response.text()
        self.csrf = re.search(r'data-csrf="([^"]+)"', page).group(1)

    async def _connect(self) -> None:
        """Open the console socket on the first web process that takes it; then resync."""
        while not self.stopping and not self.closed:
            for url in self._candidates():
                sio = socketio.AsyncClient(reconnection=False)
                self._handlers(sio)
                cookie = "; ".join(f"{c.key}={c.value}" for c in self.http.cookie_jar)
                try:
                    await sio.connect(url, namespaces=[NAMESPACE], transports=["websocket"],
                                      headers={"Cookie": cookie}, wait_timeout=10)  # fmt: skip
                except socketio.exceptions.ConnectionError:
                    continue
                self.sio, self.url = sio, url
                state = await self._json("GET", "/console/api/state")
                if state is not None and state.get("status") != "available":
                    await self._json("POST", "/console/api/status",
                                     {"status": "available", "reason": ""})  # fmt: skip
                self.ready.set()
                self._catch_up(state)  # carry on where the console was
                return
            await asyncio.sleep(0.5)

    def _catch_up(self, state: dict | None) -> None:
        """Act on what the authoritative state shows and no push announced (pushes may be
        lost, e.g. while Redis is down): offers to accept, chats to answer, wrap-ups to send."""
        for offer in (state or {}).get("offers", []):
            if offer.get("channel") != "voice" and offer["reservation_id"] not in self.accepting:
                self._spawn(self._accept(offer["reservation_id"]))
        for task in (state or {}).get("tasks", []):
            if task["state"] == "wrapping" and task["task_id"] not in self.wrapping:
                self._spawn(self._wrap_up(task["task_id"]))
            elif task["state"] == "assigned" and task["channel"] != "voice" \
                    and task["task_id"] not in self.chats | self.ended:  # fmt: skip
                self._spawn(self._chat(task["task_id"]))

    async def _refresh_now_and_then(self) -> None:
        """As the console does (every 15 s there; more often here, the run is short); and, as
        socket.io-client does, reconnect when the socket is found dead without a disconnect
        event having said so."""
        while not self.stopping and not self.closed:
            await asyncio.sleep(5)
            if self.ready.is_set() and not (self.sio and self.sio.connected):
                self.ready.clear()
                self._spawn(self._connect())
            elif self.ready.is_set():
                self._catch_up(await self._json("GET", "/console/api/state"))

    def _handlers(self, sio: socketio.AsyncClient) -> None:
        async def offer(data):
            self.crowd.offer_seen(data.get("reservation_id"), time.time())
            # A chat offer can only be taken in the console (a call also rings the phone).
            if self.close_on_offer and not self.closed and data.get("channel") != "voice":
                self.closed = True
                self.crowd.closed.append((self.email, data["reservation_id"], data["task_id"]))
                self._spawn(sio.disconnect())  # the browser tab is closed, mid-offer
            elif data.get("channel") != "voice" and data["reservation_id"] not in self.accepting:
                self._spawn(self._accept(data["reservation_id"]))

        async def assigned(data):
            if data.get("channel") != "voice" and data["task_id"] not in self.chats:
                self._spawn(self._chat(data["task_id"]))

        async def wrapping(data):
            if data["task_id"] not in self.wrapping:
                self._spawn(self._wrap_up(data["task_id"]))

        async def disconnect(*_):
            self.ready.clear()
            if not self.stopping and not self.closed:
                self._spawn(self._connect())

        sio.on("offer", offer, namespace=NAMESPACE)
        sio.on("assigned", assigned, namespace=NAMESPACE)
        sio.on("wrapping", wrapping, namespace=NAMESPACE)
        sio.on("disconnect", disconnect, namespace=NAMESPACE)

    async def _accept(self, reservation_id: str) -> None:
        self.accepting.add(reservation_id)
        await asyncio.sleep(self.crowd.rng.uniform(0.2, 0.8))
        self.crowd.count("accept", await self._emit("accept", {"reservation_id": reservation_id}))

    async def _emit(self, event: str, data: dict) -> bool:
        """On the current socket; after a reconnect, on the new one (a few tries)."""
        for _ in range(3):
            try:
                await asyncio.wait_for(self.ready.wait(), 20)
                answer = await self.sio.call(event, data, namespace=NAMESPACE, timeout=15)
            except (TimeoutError, socketio.exceptions.SocketIOError):
                await asyncio.sleep(0.5)
                continue
            if not (answer and answer.get("ok")):
                self.crowd.note(f"{event} refused: {(answer or {}).get('error')}")
                return False
            return True
        self.crowd.note(f"{event}: no answer")
        return False

    async def _chat(self, task_id: str) -> None:
        """Reply, talk a while, end the chat (the engine starts the wrap-up)."""
        self.chats.add(task_id)
        try:
            await asyncio.sleep(0.3)
            await self._emit("reply", {"task_id": task_id, "body": "Hello, how can I help?"})
            await asyncio.sleep(self.crowd.rng.expovariate(1 / self.crowd.talk))
            if await self._emit("end", {"task_id": task_id}):
                self.ended.add(task_id)  # a state read before the engine's wrap-up is stale
        finally:
            self.chats.discard(task_id)

    async def _wrap_up(self, task_id: str) -> None:
        self.wrapping.add(task_id)
        await asyncio.sleep(self.crowd.rng.uniform(0.3, 1.0))
        form = {"task_id": task_id, "disposition": "resolved", "notes": ""}
        answer = await self._json("POST", "/console/api/wrap-up", form)
        self.crowd.count("wrap-up", answer is not None)

    async def stop(self) -> None:
        self.stopping = True
        try:
            for task in list(self.tasks):
                task.cancel()
            if self.url and not self.closed and self.csrf:
                await self._json("POST", "/console/api/status",
                                 {"status": "offline", "reason": "end_of_shift"})  # fmt: skip
            if self.sio is not None and self.sio.connected:
                await self.sio.disconnect()
        finally:
            if self.http is not None:
                await self.http.close()
