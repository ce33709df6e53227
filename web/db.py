"""One database session per request: committed before a good response leaves, else rolled back."""

from __future__ import annotations

import logging

from flask import Flask, current_app, g, has_request_context, request
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from database.engine import make_engine, make_session_factory, read_only
from web.errors import respond_safely

EXTENSION = "crowdline.db"
log = logging.getLogger(__name__)


def init_app(app: Flask, *, session_factory=None) -> None:
    """Bind the app to its database; tests pass a session factory bound to one connection."""
    if session_factory is None:
        engine = make_engine(app.config["DATABASE_URL"])
        session_factory = make_session_factory(engine)
    app.extensions[EXTENSION] = session_factory
    app.after_request(_commit_on_success)
    app.teardown_appcontext(_close)


READING_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def session() -> Session:
    """The current request's session, opened on first use. A GET only reads (SQLite: it
    neither waits for nor blocks the writers); a socket event handler that writes declares it
    first (`channels.contacts.begin_write`)."""
    if "db_session" not in g:
        g.db_session = current_app.extensions[EXTENSION]()
        if has_request_context() and request.method in READING_METHODS:
            read_only(g.db_session)
    return g.db_session


def _commit_on_success(response):
    db_session = g.get("db_session")
    if db_session is None:
        return response
    if response.status_code >= 400:
        db_session.rollback()
        return response
    try:
        db_session.commit()
    except SQLAlchemyError:
        log.exception("commit failed on %s %s; nothing was saved", request.method, request.path)
        db_session.rollback()

        return respond_safely(503, "The change could not be saved; nothing was changed. Try again.")
    return response


def _close(_exc):
    db_session = g.pop("db_session", None)
    if db_session is not None:
        db_session.rollback()
        db_session.close()
