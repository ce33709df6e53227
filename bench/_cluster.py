"""The processes of a system run (bench/system.py) and the scratch database they share: N web
processes under gunicorn, an active and a standby engine, each leading its own session."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import create_engine, select, text

from agents.models import User
from agents.passwords import hash_password
from bench._proc import group_rss_kib, rss_kib
from crowdline import demo
from database.engine import make_engine, make_session_factory
from migrations import migrate

SECRET = "system-run-secret-key-0123456789abcdef"

PUBLIC = "http://crowdline.test"  # what webhooks are signed for (the web processes' public URL)

PASSWORD = "system-run-password-1"

FAULTS = ("none", "kill-engine", "kill-web", "restart-postgres", "stop-redis", "close-browsers")

DEFAULT_DATABASE = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

DEFAULT_REDIS = "redis://127.0.0.1:6379/9"


@dataclass
class Options:
    web: int = 2
    agents: int = 20
    seconds: float = 40.0
    calls_per_minute: float = 60.0
    chats_per_minute: float = 30.0
    fault: str = "none"
    database_url: str = DEFAULT_DATABASE
    redis_url: str = DEFAULT_REDIS
    grace: float = 3.0
    max_growth_mib: float = 16.0  # per process, from the end of the warm-up to the end
    drain: float = 60.0
    talk: float = 4.0
    seed: int = 1


def venv_bin(name: str) -> str:
    """A command installed beside this Python (the venv's crowdline, gunicorn)."""
    found = Path(sys.executable).with_name(name)
    return str(found) if found.exists() else name


class Cluster:
    """The processes of one run and the database they share."""

    def __init__(self, options: Options, workdir: Path) -> None:
        self.options = options
        self.workdir = workdir
        self.name = f"crowdline_system_{uuid.uuid4().hex[:10]}"
        self.admin_url = options.database_url
        self.url = options.database_url.rsplit("/", 1)[0] + "/" + self.name
        self.webs: list[tuple[str, subprocess.Popen | None]] = []
        self.engines: list[subprocess.Popen] = []
        self.env: dict[str, str] = {}

    # The database ----------------------------------------------------------------------

    def create_database(self) -> None:
        admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{self.name}"'))
        admin.dispose()
        engine = make_engine(self.url)
        migrate.upgrade(engine, "head")
        engine.dispose()

    def drop_database(self) -> None:
        admin = create_engine(self.admin_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        admin.dispose()

    def seed(self) -> list[str]:
        """The demo's program, queues, number and widget, and N certified agents who sign in
        with PASSWORD; returns their emails."""
        engine = make_engine(self.url)
        sessions = make_session_factory(engine)
        with sessions.begin() as session:
            demo.seed(session=session, bots=self.options.agents, password=PASSWORD)
            hashed = hash_password(PASSWORD)
            bots = session.scalars(select(User).where(User.email.like(f"%@{demo.BOT_DOMAIN}")))
            emails = []
            for user in bots:
                user.password_hash = hashed
                emails.append(user.email)
        engine.dispose()
        return sorted(emails)

    # Processes -------------------------------------------------------------------------

    def start(self, carrier_url: str, urls: list[str]) -> None:
        """Web processes on `urls` (chosen first: the carrier already posts there)."""
        self.env = {
            **os.environ,
            "DATABASE_URL": self.url,
            "REDIS_URL": self.options.redis_url,
            "SECRET_KEY": SECRET,
            "PUBLIC_URL": PUBLIC,
            "CARRIER_URL": carrier_url,
            "PRESENCE_GRACE_SECONDS": str(self.options.grace),
            "CROWDLINE_INSTANCE": str(self.workdir / "instance"),
        }
        for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_API_KEY",
                     "TWILIO_API_SECRET", "TWILIO_TWIML_APP_SID"):  # fmt: skip
            self.env.pop(name, None)
        for n, url in enumerate(urls):
            self.webs.append(self._start_web(n, int(url.rsplit(":", 1)[1])))
        for n in range(2):
            self.engines.append(self._spawn(f"engine{n}", [venv_bin("crowdline"), "engine"]))
            if n == 0:
                self.wait_for_active(timeout=60)
        for url, _ in self.webs:
            wait_healthy(url, timeout=60)

    def _start_web(self, n: int, port: int) -> tuple[str, subprocess.Popen]:
        """A web process as the README deploys it: gunicorn, one worker, a thread each."""
        command = [venv_bin("gunicorn"), "--workers", "1", "--threads", "200",
                   "--bind", f"127.0.0.1:{port}", "--graceful-timeout", "5",
                   "crowdline.wsgi:create_web_process()"]  # fmt: skip
        return f"http://127.0.0.1:{port}", self._spawn(f"web{n}", command)

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        with open(self.workdir / f"{name}.log", "ab") as log:  # the child keeps its own copy
            return subprocess.Popen(command, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                    start_new_session=True)  # fmt: skip

    def active_engine(self) -> subprocess.Popen | None:
        """The running engine whose log says it became active (the standby's says so only after
        it took over; with two such logs, the one written last)."""
        found = []
        for n, process in enumerate(self.engines):
            log = self.workdir / f"engine{n}.log"
            if process.poll() is None and "engine active" in log.read_text(errors="replace"):
                found.append((log.stat().st_mtime, n, process))
        return max(found, key=lambda item: item[:2])[2] if found else None

    def wait_for_active(self, timeout: float) -> subprocess.Popen:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            active = self.active_engine()
            if active is not None:
                return active
            time.sleep(0.1)
        raise RuntimeError(f"no engine became active; see {self.workdir}/engine*.log")

    def rss(self) -> dict[str, int]:
        found = {}
        for n, (_, process) in enumerate(self.webs):
            if process.poll() is None:
                found[f"web{n}"] = group_rss_kib(process.pid)
        for n, process in enumerate(self.engines):
            if process.poll() is None:
                found[f"engine{n}"] = rss_kib(process.pid)
        return found

    def stop(self) -> None:
        processes = [p for _, p in self.webs] + self.engines
        for process in processes:
            signal_group(process, signal.SIGTERM)
        for process in processes:
            try:
                process.wait(15)
            except subprocess.TimeoutExpired:
                signal_group(process, signal.SIGKILL)
                process.wait(5)
            signal_group(process, signal.SIGKILL)  # a worker a dead master left behind


def signal_group(process: subprocess.Popen, signum: int) -> None:
    """Signal the process and its children (each process leads its own session)."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signum)


def wait_healthy(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError(f"{url} did not become healthy")
        time.sleep(0.2)
