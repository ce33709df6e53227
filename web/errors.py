"""Error responses: JSON under /api/, a friendly page elsewhere; never a stack trace."""

from __future__ import annotations

import contextlib
import logging

from flask import Flask, Response, g, jsonify, make_response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

from agents.errors import RosterError
from database.engine import WriterBusy, read_only

log = logging.getLogger(__name__)

MESSAGES = {
    400: "The request could not be understood.",
    401: "Please sign in.",
    403: "Your role does not allow this.",
    404: "Nothing here.",
    405: "This method is not allowed here.",
    413: "The request body is too large.",
    429: "Too many attempts; wait a little and try again.",
    500: "Something went wrong on our side; it has been logged.",
}


def _wants_json() -> bool:
    return request.path.startswith("/api/") or request.path.startswith("/twilio/")


def _respond(status: int, message: str, fields: dict | None = None):
    if _wants_json():
        body = {"error": message}
        if fields:
            body["fields"] = fields
        return jsonify(body), status
    return render_template("error.html", status=status, message=message), status


def respond_safely(status: int, message: str):
    """An error response that cannot fail itself: the page falls back to plain text when even
    rendering fails (say the database is down and the layout needs the signed-in user)."""
    try:
        return _respond(status, message)
    except Exception:
        log.exception("error page failed to render")
        return Response(message, status=status, mimetype="text/plain")


def csrf_error(error: CSRFError):
    return _respond(
        400,
        f"{error.description} The form expired or did not come from this site; "
        "reload the page and try again.",
    )


def roster_error(error: RosterError):
    fields = {error.field: error.message} if error.field else None
    return _respond(error.status, error.message, fields)


def http_error(error: HTTPException):
    if error.response is not None:  # a response built by the code that raised (e.g. spectree)
        return error.response
    code = error.code or 500
    # A description set where the error was raised says more than the generic message.
    custom = error.description and error.description != type(error).description
    message = error.description if custom else MESSAGES.get(code, error.description)
    response = make_response(_respond(code, message or MESSAGES.get(code, "Error")))
    for name, value in error.get_headers():
        if name.lower() != "content-type":  # e.g. Allow on a 405 (RFC 9110)
            response.headers[name] = value
    return response


def conflict(error: IntegrityError):
    """Two requests raced to make the same thing: the loser changes nothing and may retry."""
    log.warning("conflicting write on %s %s: %s", request.method, request.path, error.orig)
    db_session = g.get("db_session")
    if db_session is not None:
        db_session.rollback()
        read_only(db_session)  # the page may read (the signed-in user); it writes nothing
    return respond_safely(409, "Someone else changed this at the same moment; try again.")


def database_unavailable(error: OperationalError | WriterBusy):
    """The database is unreachable (restarting, failing over) or stayed busy with other
    writers: nothing was done; the client — Twilio included — may retry shortly."""
    reason = error.orig if isinstance(error, OperationalError) else None
    log.warning("database unavailable on %s %s: %s", request.method, request.path,
                str(reason or error).strip().splitlines()[0])  # fmt: skip
    db_session = g.get("db_session")
    if db_session is not None:
        with contextlib.suppress(OperationalError):
            db_session.rollback()
        # The page's layout may load the signed-in user: a read, which must not queue behind
        # the writers that made this request fail.
        read_only(db_session)
    response = make_response(respond_safely(
        503, "The service is briefly unavailable; nothing was changed. Try again in a moment."
    ))  # fmt: skip
    response.headers["Retry-After"] = "2"
    return response


def unexpected(error: Exception):
    log.exception("unhandled error on %s %s", request.method, request.path)
    db_session = g.get("db_session")
    if db_session is not None:
        db_session.rollback()
        read_only(db_session)  # the page may read (the signed-in user); it writes nothing
    return respond_safely(500, MESSAGES[500])


HANDLERS = (
    (CSRFError, csrf_error),
    (RosterError, roster_error),
    (HTTPException, http_error),
    (IntegrityError, conflict),
    (OperationalError, database_unavailable),
    (WriterBusy, database_unavailable),
    (Exception, unexpected),
    (InternalServerError, unexpected),
)


def init_app(app: Flask) -> None:
    """Every error becomes a JSON body under /api/ and /twilio/, a page elsewhere."""
    for kind, handler in HANDLERS:
        app.register_error_handler(kind, handler)
