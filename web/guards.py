"""Request guards applied to every route: ids within the database's integer range, and no NUL
characters anywhere in the input (PostgreSQL cannot store them; no user means to send them)."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL INTEGER


class IdConverter(IntegerConverter):
    """`<int:…>` in routes: 0 … 2**31-1, so an oversized id is a plain 404."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Call before any route is registered (converters bind when rules are added)."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(_refuse_nul)


def _refuse_nul():
    values = [*request.args.values(), *request.args.keys(), request.path]
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        values += [*request.form.values(), *request.form.keys()]
    if any("\x00" in value for value in values):
        raise BadRequest("The request contains a NUL character, which is not allowed.")
    if request.mimetype == "application/json":
        body = request.get_data(cache=True)
        if b"\x00" in body or b"\\u0000" in body:
            raise BadRequest("The request contains a NUL character, which is not allowed.")


def int_arg(name: str, default: int, *, maximum: int = 100_000) -> int:
    """A positive integer query argument (ASCII digits only), else `default`; capped."""
    raw = request.args.get(name, "")
    if not (raw.isascii() and raw.isdecimal()) or len(raw) > 9:
        return default
    return max(1, min(int(raw), maximum)) if int(raw) > 0 else default
