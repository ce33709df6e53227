"""The Prometheus endpoint of a process without a web app (`crowdline engine --metrics-port`)."""

from __future__ import annotations

from prometheus_client import start_http_server

from web.metrics import registry_for


def start_metrics_server(port: int, session_factory) -> None:
    """Serve this process's metrics (no sockets: the engine has none) on 127.0.0.1:`port`,
    from a daemon thread. OSError when the port cannot be bound."""
    start_http_server(port, addr="127.0.0.1", registry=registry_for(session_factory, sockets=False))
