"""The embeddable customer chat widget page (`/chat`) and its socket.io-client module, served
from node_modules (installed by `npm ci`; never from a CDN, never committed)."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, render_template, request, send_from_directory

from channels.entry_points import WIDGET_PREFIX, get_by_address
from database.base import utcnow
from web import db
from workforce import hours

bp = Blueprint("chat", __name__)
VENDOR = Path(__file__).resolve().parents[2] / "node_modules" / "socket.io-client" / "dist"
CLIENT = "socket.io.esm.min.js"


@bp.get("/chat")
def widget():
    """Public: a customer starts a chat with the program behind ?entry=<slug> (default); while
    the program is closed the page says when it opens again and offers no chat."""
    entry = (request.args.get("entry") or "default").strip().lower()[:40]
    point = get_by_address(session=db.session(), address=WIDGET_PREFIX + entry)
    # The program's community suggests answers before the chat starts (community-suggest.js).
    program = point.program.code if point is not None else ""
    closed = point and hours.closed_at(session=db.session(), program_id=point.program_id,
                                       at=utcnow())  # fmt: skip
    return render_template("chat/widget.html", entry=entry, prefix=WIDGET_PREFIX, program=program,
                           closed=closed.sentence() if closed else "")  # fmt: skip


@bp.get("/chat/vendor/socket.io.js")
def socketio_client():
    if not (VENDOR / CLIENT).is_file():
        abort(404, description="socket.io-client is not installed: run `npm ci`")
    return send_from_directory(VENDOR, CLIENT, mimetype="text/javascript", max_age=3600)
