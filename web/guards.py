"""Request guards applied to every route: ids within the database's integer range, no NUL
characters anywhere in the input (PostgreSQL cannot store them; no user means to send them),
and JSON bodies (and socket event payloads, through `payload_problem`) that any handler can
take: nesting at most MAX_DEPTH deep, integers within 64 bits, no lone UTF-16 surrogates."""

from __future__ import annotations

import json
import re

from flask import Flask, abort, jsonify, make_response, request
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

MAX_ID = 2**31 - 1  # PostgreSQL INTEGER
MAX_DEPTH = 32  # no request schema nests deeper than a handful of levels
MAX_INT = 2**63 - 1  # PostgreSQL BIGINT; ids are bounded tighter by their schemas
_JSON_TOKEN = re.compile(rb'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _up_to(limit: str) -> str:
    """A regex of the decimal numbers 0 … `limit` without leading zeros."""
    parts = [r"0", rf"[1-9]\d{{0,{len(limit) - 2}}}"] if len(limit) > 1 else []
    for i, digit in enumerate(limit):
        low = "1" if i == 0 else "0"
        rest = len(limit) - i - 1
        if digit > low:
            top = str(int(digit) - 1)
            span = low if top == low else f"[{low}-{top}]"
            parts.append(limit[:i] + span + (rf"\d{{{rest}}}" if rest else ""))
    parts.append(limit)
    return "|".join(parts)


class IdConverter(IntegerConverter):
    """`<int:…>` in routes: 0 … 2**31-1, so an oversized id is a plain 404. The range is in the
    regex, not only a check after matching: werkzeug would otherwise answer 405 to PATCH on an
    oversized id when a GET route has the same path."""

    regex = f"(?:{_up_to(str(MAX_ID))})"

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(map, *args, **kwargs)


def init_app(app: Flask) -> None:
    """Call before any route is registered (converters bind when rules are added)."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(_refuse_nul)
    app.before_request(_check_json_body)


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


def payload_problem(value) -> tuple[str, str] | None:
    """(field path, reason) of the first part of a decoded JSON value that no handler can
    take, else None. Paths are dotted like the API's schema errors (`codes.1.label`); nesting
    is named at its top-level field. Walks iteratively: a deep value cannot exhaust the stack."""
    stack: list[tuple[object, tuple, int]] = [(value, (), 0)]
    while stack:
        item, path, depth = stack.pop()
        name = ".".join(str(part) for part in path) or "body"
        if isinstance(item, dict | list):
            if depth >= MAX_DEPTH:
                return (str(path[0]) if path else "body"), f"nested deeper than {MAX_DEPTH} levels"
            if isinstance(item, dict):
                for key, child in item.items():
                    if _has_lone_surrogate(key):
                        return name, "a key contains a lone UTF-16 surrogate (not a character)"
                    stack.append((child, (*path, key), depth + 1))
            else:
                stack.extend((child, (*path, i), depth + 1) for i, child in enumerate(item))
        elif isinstance(item, str):
            if _has_lone_surrogate(item):
                return name, "contains a lone UTF-16 surrogate (not a character)"
        elif isinstance(item, int) and not isinstance(item, bool) and abs(item) > MAX_INT:
            return name, f"must be between {-MAX_INT} and {MAX_INT}"
    return None


def _has_lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _check_json_body():
    """Refuse, before any handler or validator sees it, a JSON body that cannot be parsed,
    nests too deep, or holds values no database column or text encoding can take."""
    if request.mimetype != "application/json" or not request.content_length:
        return
    raw = request.get_data(cache=True)
    deep = _too_deep(raw)
    if deep is not None:
        _refuse(422, f"{deep}: nested deeper than {MAX_DEPTH} levels",
                {deep: f"nested deeper than {MAX_DEPTH} levels"})  # fmt: skip
    try:
        body = json.loads(raw)
    except (ValueError, RecursionError):
        return  # not JSON at all: the route's own check answers (the API: 400 "not valid JSON")
    problem = payload_problem(body)
    if problem is not None:
        field, reason = problem
        _refuse(422, f"{field}: {reason}", {field: reason})


def _too_deep(raw: bytes) -> str | None:
    """The top-level field under which `raw` JSON nests past MAX_DEPTH ("body" when it is not
    under a field), else None. Scans tokens without parsing, so the parser never recurses
    deeper than MAX_DEPTH and a 100,000-deep body costs one regex pass."""
    if raw.count(b"[") + raw.count(b"{") <= MAX_DEPTH:
        return None
    depth, field = 0, "body"
    for match in _JSON_TOKEN.finditer(raw):
        token = match.group()
        if token[0] == 0x22:  # a string: at depth 1 the latest is the field being read
            if depth == 1:
                field = json.loads(token.decode("utf-8", "replace")) if len(token) < 200 else "body"
        elif token in (b"[", b"{"):
            depth += 1
            if depth > MAX_DEPTH:
                return str(field).encode("utf-8", "replace").decode("utf-8")
        else:
            depth -= 1
    return None


def _refuse(status: int, message: str, fields: dict) -> None:
    abort(make_response(jsonify({"error": message, "fields": fields}), status))
