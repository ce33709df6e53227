"""The composition of the web app: `create_app(settings)` assembles it and starts nothing."""

from __future__ import annotations

import logging

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from channels.factory import default_gateway
from web import (
    auth,
    channel_pages,
    db,
    disposition_pages,
    errors,
    guards,
    headers,
    logs,
    metrics,
    pages,
    program_pages,
    roster_pages,
)
from web.api import routes as api
from web.api.spec import api_spec
from web.chat import routes as chat_pages
from web.chat.customer import CustomerNamespace
from web.community import routes as community_pages
from web.community.volunteer_socket import VolunteerNamespace
from web.console import routes as console_pages
from web.console.namespace import AgentNamespace
from web.console.presence import make_presence
from web.dashboard import pages as dashboard_pages
from web.dashboard.namespace import SUPERVISOR_NAMESPACE, SupervisorNamespace
from web.extensions import csrf, limiter, login_manager, socketio
from web.pay import pages as pay_pages
from web.pay import roi_pages
from web.quality import routes as quality_pages
from web.realtime import AGENT_NAMESPACE, CHAT_NAMESPACE, VOLUNTEER_NAMESPACE
from web.training import agent_pages as training_pages
from web.training import staff_pages as training_admin_pages
from web.twilio import routes as twilio
from web.workforce import block_pages, coverage_pages
from web.workforce import feed_pages as schedule_feed_pages
from web.workforce import pages as workforce_pages

BLUEPRINTS = (auth.bp, pages.bp, roster_pages.bp, program_pages.bp, api.bp, api.spec_bp,
              training_pages.bp, training_admin_pages.bp, twilio.bp, chat_pages.bp,
              channel_pages.bp, console_pages.bp, dashboard_pages.bp, pay_pages.bp,
              roi_pages.bp, community_pages.bp, workforce_pages.bp, quality_pages.bp,
              disposition_pages.bp, schedule_feed_pages.bp, coverage_pages.bp,
              block_pages.bp)  # fmt: skip


def create_app(settings, *, session_factory=None, gateway=None) -> Flask:
    """Build the Flask app from `settings` (a `crowdline.settings.Settings`). No thread, no I/O.

    `gateway` is the telephony gateway (default: Twilio when configured, else a simulated
    carrier that only records what it is asked)."""
    app = Flask(__name__, instance_path=str(settings.instance_path))
    app.config.update(_flask_config(settings))
    guards.init_app(app)
    db.init_app(app, session_factory=session_factory)
    login_manager.init_app(app)
    login_manager.session_protection = "basic"
    csrf.init_app(app)
    limiter.init_app(app)
    _register_blueprints(app)
    logs.init_app(app)  # Twilio webhooks log with their task id
    metrics.init_app(app)  # GET /metrics and webhook latency
    api_spec.register(app)
    _init_channels(app, settings, gateway)
    errors.init_app(app)
    headers.init_app(app)  # CSP, framing, nosniff, referrer, HSTS on every response
    if settings.proxy_hops:
        # Behind nginx: the client's address (login throttling per address, logs) and scheme
        # come from X-Forwarded-For/-Proto, trusting exactly that many proxies.
        hops = settings.proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)
    return app


def _flask_config(settings) -> dict:
    secure = bool(settings.public_url and settings.public_url.startswith("https://"))
    return {
        "CROWDLINE_SETTINGS": settings,
        "SECRET_KEY": settings.secret_key,
        "DATABASE_URL": settings.database_url,
        "TESTING": settings.testing,
        "MAX_CONTENT_LENGTH": settings.max_body_bytes,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": secure,
        "REMEMBER_COOKIE_SECURE": secure,
        "WTF_CSRF_TIME_LIMIT": 8 * 3600,
        "RATELIMIT_STORAGE_URI": settings.redis_url or "memory://",
        "RATELIMIT_HEADERS_ENABLED": True,
        # If Redis is down, sign-in keeps working with per-process counts until it returns.
        "RATELIMIT_IN_MEMORY_FALLBACK_ENABLED": True,
        "RATELIMIT_SWALLOW_ERRORS": True,
        "LOGIN_LIMIT_PER_ACCOUNT": settings.login_limit_per_account,
        "LOGIN_LIMIT_PER_ADDRESS": settings.login_limit_per_address,
        "CHAT_LIMITS": {
            "start": (settings.chat_limit_starts_per_client,
                      settings.chat_limit_starts_per_address),  # fmt: skip
            "message": (settings.chat_limit_messages_per_chat,
                        settings.chat_limit_messages_per_address),  # fmt: skip
            "typing": ("60 per minute", "240 per minute"),  # the widget sends one every 2 s
        },
        "CHAT_TOKEN_GRACE_SECONDS": settings.chat_token_grace,
        **settings.extra,
    }


def _register_blueprints(app: Flask) -> None:
    for blueprint in BLUEPRINTS:
        app.register_blueprint(blueprint)


def _init_channels(app: Flask, settings, gateway) -> None:
    """Socket.IO (threading mode: the werkzeug server of `crowdline run` and simple-websocket;
    same origin only; Redis message queue when REDIS_URL is set so every process can push),
    its namespaces, and the telephony gateway the web layer talks to."""
    # The SocketIO object is shared by every app of the process: forget the message queue
    # manager an earlier app made (Flask-SocketIO keeps it in server_options), so an app
    # without REDIS_URL does not publish through another app's Redis.
    socketio.server_options.pop("client_manager", None)
    socketio.init_app(
        app,
        async_mode="threading",
        cors_allowed_origins=None,
        message_queue=settings.redis_url,
        manage_session=True,
    )
    socketio.on_error_default(_socket_event_failed)
    socketio.on_namespace(AgentNamespace(AGENT_NAMESPACE))
    socketio.on_namespace(CustomerNamespace(CHAT_NAMESPACE))
    socketio.on_namespace(SupervisorNamespace(SUPERVISOR_NAMESPACE))
    socketio.on_namespace(VolunteerNamespace(VOLUNTEER_NAMESPACE))
    grace = float(app.config.get("PRESENCE_GRACE_SECONDS", settings.presence_grace))
    app.extensions["crowdline.presence"] = make_presence(
        grace=grace, redis_url=settings.redis_url,
        key=app.config.get("PRESENCE_REDIS_KEY", "crowdline:presence"),
    )  # fmt: skip
    app.extensions["crowdline.gateway"] = gateway or default_gateway(settings)


def _socket_event_failed(error):
    """A socket event handler failed: logged with its traceback, and the client's
    acknowledgement says so (nothing was committed: the event's session is rolled back)."""
    logging.getLogger("web.sockets").error("socket event failed", exc_info=error)
    return {"ok": False, "error": "the server could not handle this; nothing was changed"}
