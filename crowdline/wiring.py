"""The one place a Crowdline process is wired: the telephony gateway, the web app, the routing
engine runner with its scheduled jobs, the channel reactor and its console pushes, the presence
sweeper. `crowdline run`, `engine`, `demo`, `carrier` and the gunicorn entry all build their
parts here, the same way; nothing starts until `Process.start()` (or `run_engine()`)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine

from channels.escalations import EscalationJob
from channels.factory import DEFAULT_WEB_URL, default_gateway
from channels.gateway import TelephonyGateway
from channels.handled import handled_contacts
from channels.links import Links
from channels.reactor import ChannelReactor
from channels.reconcile import CallReconciler
from channels.recording_media import media_deleter
from channels.sms_survey import SurveyExpiry
from channels.texts import texter
from channels.transports import http_transport
from crowdline.heap import HeapTrimmer, cap_arenas
from crowdline.settings import Settings
from database.clock import SYSTEM
from database.engine import make_session_factory
from dispatcher.runner import EngineRunner, flush_logs
from pay.ledger import PayProjection
from pay.rates import booked_bonus
from quality.jobs import QualityJobs
from training import roster_watch
from training.jobs import register_jobs
from web.app import create_app
from web.console.presence import PresenceSweeper
from web.dashboard.namespace import RefreshRelay
from web.extensions import drop_socket_connections, socketio
from web.realtime import push, push_to_agent
from workforce.on_block import OnBlockJob
from workforce.reminders import ReminderJob


def install_domain_hooks() -> None:
    """Session-wide listeners the domains need in every process (and the tests install them
    too): a roster change that alters routing skills becomes a training event in its flush."""
    roster_watch.install()


def bonus_source():
    """The booked block's bonus per talk minute (the schedule's bookings)."""
    return booked_bonus


def domain_projections() -> list:
    """Called by every engine in each step's transaction with the events it saved: the pay
    ledger's entries commit with the event that ends the talk."""
    return [PayProjection(bonus=bonus_source())]


def local_url(host: str, port: int) -> str:
    """The URL this machine reaches a server listening on `host`:`port` at."""
    return f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"


def start_jobs(db: Engine, jobs: Sequence[Callable] = ()) -> BackgroundScheduler:
    """APScheduler with the periodic jobs (certification expiry, reminders, and `jobs`, each
    called with the scheduler to register itself, e.g. the call reconciliation), started only by
    the engine holding the lease, so no job runs twice in a deployment."""
    scheduler = BackgroundScheduler(timezone="UTC")
    register_jobs(scheduler, make_session_factory(db))
    for register in jobs:
        register(scheduler)
    scheduler.start()
    return scheduler


def engine_runner(db: Engine, *, on_active=None, jobs: Sequence[Callable] = (),
                  **options) -> EngineRunner:  # fmt: skip
    """The engine runner of every process (and of the tests' engines): with the domains'
    projections and the scheduled jobs; `options` go to EngineRunner (poll, bus, lease...)."""
    extra = list(jobs)
    return EngineRunner(db, on_active=on_active, jobs=lambda d: start_jobs(d, extra),
                        projections=domain_projections(), **options)  # fmt: skip


def quality_jobs(sessions, gateway: TelephonyGateway) -> list:
    """Quality's jobs beside the active engine: the recordings purge (media deleted through
    the carrier or from the simulated carrier's files), the weekly QA sample (of the contacts
    channels.handled lists) and the nightly performance scores (routing scores, tiers)."""
    jobs = QualityJobs(sessions=sessions, delete_media=media_deleter(gateway),
                       handled=handled_contacts)  # fmt: skip
    return [jobs.register]


def workforce_jobs(sessions, gateway: TelephonyGateway) -> list:
    """The schedule's jobs beside the active engine: reminders before each booked block, in the
    agent's console (`schedule_reminder` on /agent) and by SMS through the gateway when the
    agent opted in (from the program's number); and who works a booked block now, told to
    routing (`set_booked`), which prefers them on that queue."""
    job = ReminderJob(sessions=sessions, notify=push_to_agent, send_sms=texter(sessions, gateway))
    return [job.register, OnBlockJob(sessions=sessions).register]


def channel_reactor(sessions, gateway: TelephonyGateway, base_url: str) -> ChannelReactor:
    """Routing events → carrier actions and console pushes, beside the engine."""
    return ChannelReactor(sessions=sessions, gateway=gateway, links=Links(base_url), notify=push,
                          clock=SYSTEM)  # fmt: skip


@dataclass
class Process:
    """The parts of one process, built once by `build`. start() starts the background loops
    (engine thread, presence sweeper, then `extras` such as bots); stop() ends them in
    reverse order and closes the gateway."""

    settings: Settings
    sessions: object
    gateway: TelephonyGateway
    base_url: str
    app: object = None
    runner: EngineRunner | None = None
    reactor: ChannelReactor | None = None
    sweeper: PresenceSweeper | None = None
    trimmer: HeapTrimmer = field(default_factory=HeapTrimmer)  # freed native heap → the system
    extras: list = field(default_factory=list)
    stop_event: threading.Event = field(default_factory=threading.Event)

    def start(self) -> Process:
        if self.runner is not None:
            self.runner.start()
        if self.sweeper is not None:
            self.sweeper.start()
        self.trimmer.start()
        for extra in self.extras:
            extra.start()
        return self

    def run_engine(self) -> None:
        """Run the engine in this thread until stop() (the `crowdline engine` process)."""
        self.trimmer.start()
        try:
            self.runner.run()
        except KeyboardInterrupt:
            self.runner.stop_event.set()
        finally:
            self.stop()

    def stop(self) -> None:
        """The graceful stop (SIGTERM, SIGINT): sockets dropped first (clients reconnect
        elsewhere or later), the engine finishes its step and releases the lease, the reactor
        acts on that last step, the logs are flushed."""
        self.stop_event.set()
        dropped = drop_socket_connections() if self.app is not None else 0
        for extra in reversed(self.extras):
            extra.stop()
        if self.sweeper is not None:
            self.sweeper.stop()
        self.trimmer.stop()
        if self.runner is not None:
            self.runner.stop()
        if self.reactor is not None:
            self.reactor.stop()
        close = getattr(self.gateway, "close", None)
        if close is not None:
            close()
        logging.getLogger("crowdline").info("stopped (%d socket connections closed)", dropped)
        flush_logs()


def build(settings: Settings, db: Engine, *, base_url: str, web: bool = True,
          engine: bool = True, channels: bool = True, gateway: TelephonyGateway | None = None,
          transport=None, on_active=None) -> Process:  # fmt: skip
    """Wire one process on database `db`. `web`: the Flask app and the presence sweeper;
    `engine`: a routing engine runner (active or standby) with the scheduled jobs; `channels`:
    the channel reactor on the engine's bus (and, without a web app, the Socket.IO message queue
    it pushes through when REDIS_URL is set). `base_url` is where webhooks reach the web app."""
    install_domain_hooks()
    cap_arenas()  # before the process's threads start: few malloc arenas (crowdline.heap)
    sessions = make_session_factory(db)
    gateway = gateway or default_gateway(settings, base_url=base_url, transport=transport)
    process = Process(settings=settings, sessions=sessions, gateway=gateway, base_url=base_url)
    if web:
        process.app = create_app(settings, session_factory=sessions, gateway=gateway)
        # Agents whose console is gone past the grace period go offline; dashboards get hints.
        process.sweeper = PresenceSweeper(process.app.extensions["crowdline.presence"], sessions)
    elif channels and settings.redis_url and socketio.server is None:
        socketio.init_app(None, message_queue=settings.redis_url, async_mode="threading")
    if channels:
        process.reactor = channel_reactor(sessions, gateway, base_url)
    if engine:  # lost call-status callbacks are reconciled beside the active engine
        jobs = (CallReconciler.jobs_of(process.reactor) + quality_jobs(sessions, gateway)
                + workforce_jobs(sessions, gateway))  # fmt: skip
        jobs += SurveyExpiry.jobs_of(process.reactor)  # unanswered SMS surveys expire
        jobs.append(EscalationJob(sessions=sessions).register)  # overdue community questions
        process.runner = engine_runner(db, on_active=on_active, jobs=jobs)
    if process.runner is not None:
        if process.reactor is not None:
            process.runner.bus.subscribe(process.reactor)
        if web:
            process.runner.bus.subscribe(RefreshRelay())
    return process


def embedded(settings: Settings, db: Engine, *, host: str, port: int, engine: bool = True,
             gateway: TelephonyGateway | None = None,
             base_url: str | None = None) -> Process:  # fmt: skip
    """`crowdline run` and `crowdline demo`: the web app served at `host`:`port`, with the
    engine and the reactor in the same process; the simulated carrier posts to it locally.
    Webhook URLs use `base_url`, default PUBLIC_URL, else the local URL."""
    local = local_url(host, port)
    return build(settings, db, base_url=base_url or settings.public_url or local, engine=engine,
                 gateway=gateway, transport=http_transport(local))  # fmt: skip


def engine_only(settings: Settings, db: Engine, *, web_url: str | None, channels: bool = True,
                on_active=None) -> Process:  # fmt: skip
    """A `crowdline engine` process. The reactor acts only while this engine is active (a
    standby's bus is silent); webhook URLs and the simulated carrier's posts go to `web_url`
    (default PUBLIC_URL, else the local `crowdline run`); pushes reach consoles through the Redis
    message queue when REDIS_URL is set (without it they are skipped, and consoles resync on
    reconnect)."""
    base = (web_url or settings.public_url or DEFAULT_WEB_URL).rstrip("/")
    return build(settings, db, base_url=base, web=False, channels=channels,
                 transport=http_transport(base), on_active=on_active)  # fmt: skip


def web_only(settings: Settings, db: Engine) -> Process:
    """A scaled-out web process (gunicorn): pages, API, webhooks, sockets and the presence
    sweep; no routing decision."""
    return build(settings, db, base_url=settings.public_url or DEFAULT_WEB_URL, engine=False,
                 channels=False)  # fmt: skip
