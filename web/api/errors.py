"""The API's error shape: {"error": summary, "fields": {field: reason}}, status 4xx."""

from __future__ import annotations

from flask import abort, jsonify, make_response
from pydantic import ValidationError


def error_response(status: int, message: str, fields: dict | None = None):
    body: dict = {"error": message}
    if fields:
        body["fields"] = fields
    return make_response(jsonify(body), status)


def validation_error_response(error: ValidationError):
    """Abort with one entry per bad field (dotted path → pydantic's reason)."""
    fields = {}
    for item in error.errors(include_url=False):
        name = ".".join(str(part) for part in item["loc"]) or "body"
        fields[name] = item["msg"]
    abort(error_response(422, "the request has invalid or missing fields", fields))
