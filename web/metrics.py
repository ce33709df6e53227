"""Prometheus metrics of a Crowdline process, in the text exposition format.

Web processes serve them at `GET /metrics`; a `crowdline engine` process on
`--metrics-port` (127.0.0.1 only). Each process reports its own figures (no multiprocess mode:
Prometheus scrapes every process):
- crowdline_tasks_waiting{queue} / crowdline_tasks_offered{queue}: tasks not yet offered /
  offered and not yet accepted, counted in the database at scrape time (the same figure from
  every process: aggregate with max, not sum), with crowdline_database_up;
- crowdline_sockets_connected{namespace}: Socket.IO connections open on this process;
- crowdline_webhook_latency_seconds{endpoint}: time to answer each /twilio/ request;
- the engine's counters when this process runs one (dispatcher.telemetry), and
  prometheus_client's process and Python figures.

Who may read /metrics: with METRICS_TOKEN set, requests with `Authorization: Bearer <token>`;
without it, only direct requests from this machine (loopback address and no proxy forwarding
header), so an internet-facing process never publishes its figures by default.
"""

from __future__ import annotations

import hmac
import logging
import time

from flask import Blueprint, Flask, current_app, g, jsonify, request
from prometheus_client import REGISTRY, CollectorRegistry, Histogram
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.exposition import choose_encoder
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from dispatcher.tables import RoutingQueue, RoutingTask
from web import db
from web.extensions import socketio

log = logging.getLogger(__name__)
bp = Blueprint("metrics", __name__)
EXTENSION = "crowdline.metrics"
SOCKET_NAMESPACES = ("/agent", "/chat", "/supervisor")
LOOPBACK = frozenset({"127.0.0.1", "::1"})
FORWARDING_HEADERS = ("X-Forwarded-For", "X-Real-IP", "Forwarded")

WEBHOOK_LATENCY = Histogram(
    "crowdline_webhook_latency_seconds",
    "Seconds spent answering a Twilio webhook (/twilio/...), signature check included, "
    "by endpoint.",
    ["endpoint"],
    buckets=(0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0),
)


class DefaultRegistry:
    """Everything registered process-wide: webhook and engine metrics, process and GC figures."""

    def collect(self):
        return REGISTRY.collect()


class QueueCollector:
    """Tasks per queue and state, read from the database (the source of truth) at each scrape;
    every configured queue is listed, so a drained queue reads 0 instead of vanishing."""

    def __init__(self, session_factory) -> None:
        self.sessions = session_factory

    def collect(self):
        up = GaugeMetricFamily(
            "crowdline_database_up", "1 when the database answered this scrape, else 0."
        )
        try:
            counts, queues = self._read()
        except SQLAlchemyError as error:
            log.warning("metrics: the database did not answer (%s)", type(error).__name__)
            up.add_metric([], 0)
            yield up
            return
        for name, state, meaning in (
            ("crowdline_tasks_waiting", "pending", "waiting for an offer"),
            ("crowdline_tasks_offered", "reserved", "offered to an agent, not yet accepted"),
        ):
            family = GaugeMetricFamily(name, f"Tasks {meaning}, per queue.", labels=["queue"])
            for queue in queues:
                family.add_metric([queue], counts.get((queue, state), 0))
            yield family
        up.add_metric([], 1)
        yield up

    def _read(self) -> tuple[dict[tuple[str, str], int], list[str]]:
        with self.sessions() as session:
            rows = session.execute(
                select(RoutingTask.queue_id, RoutingTask.state, func.count())
                .where(RoutingTask.state.in_(("pending", "reserved")))
                .group_by(RoutingTask.queue_id, RoutingTask.state)
            ).all()
            queues = set(session.scalars(select(RoutingQueue.queue_id)))
        counts = {(queue, state): count for queue, state, count in rows}
        return counts, sorted(queues | {queue for queue, _state in counts})


class SocketCollector:
    """Socket.IO connections open on this process per namespace, read from the Socket.IO
    server's own table of connected clients (a refused or dropped connection is never in it)."""

    def collect(self):
        family = GaugeMetricFamily(
            "crowdline_sockets_connected",
            "Socket.IO connections open on this process, by namespace.",
            labels=["namespace"],
        )
        manager = getattr(socketio.server, "manager", None)
        rooms = getattr(manager, "rooms", None) or {}
        for namespace in SOCKET_NAMESPACES:
            family.add_metric([namespace], len(rooms.get(namespace, {}).get(None, ())))
        yield family


def registry_for(session_factory, *, sockets: bool) -> CollectorRegistry:
    """This process's metrics plus the database-derived ones of `session_factory`."""
    registry = CollectorRegistry()
    registry.register(DefaultRegistry())
    registry.register(QueueCollector(session_factory))
    if sockets:
        registry.register(SocketCollector())
    return registry


def init_app(app: Flask) -> None:
    """GET /metrics, and the latency of every Twilio webhook."""
    app.extensions[EXTENSION] = registry_for(app.extensions[db.EXTENSION], sockets=True)
    app.register_blueprint(bp)
    app.before_request(_start_webhook_clock)
    app.teardown_request(_observe_webhook)


@bp.get("/metrics")
def metrics():
    """Prometheus text exposition of this process (see the module docstring for who may read)."""
    refusal = _refusal()
    if refusal is not None:
        return refusal
    # Text format 0.0.4 unless the scraper asks for another (OpenMetrics), as prometheus_client's
    # own server does.
    encode, content_type = choose_encoder(request.headers.get("Accept", ""))
    body = encode(current_app.extensions[EXTENSION])
    return body, 200, {"Content-Type": content_type, "Cache-Control": "no-store"}


def _refusal():
    token = current_app.config["CROWDLINE_SETTINGS"].metrics_token
    if token:
        given = request.headers.get("Authorization", "")
        if hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            return None
        response = jsonify(error="metrics: send Authorization: Bearer <METRICS_TOKEN>")
        return response, 401, {"WWW-Authenticate": 'Bearer realm="metrics"'}
    proxied = any(request.headers.get(name) for name in FORWARDING_HEADERS)
    if request.remote_addr in LOOPBACK and not proxied:
        return None
    return jsonify(
        error="metrics: readable from this machine only unless METRICS_TOKEN is set"
    ), 403


def _start_webhook_clock() -> None:
    if request.blueprint == "twilio":
        g.crowdline_webhook_started = time.perf_counter()


def _observe_webhook(_error=None) -> None:
    started = g.pop("crowdline_webhook_started", None)
    if started is not None:
        endpoint = request.endpoint or "unknown"
        WEBHOOK_LATENCY.labels(endpoint).observe(time.perf_counter() - started)

