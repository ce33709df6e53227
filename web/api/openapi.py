"""The published OpenAPI document: spectree's, plus what every operation may answer that no
single route declares (the guards in web.guards and web.api run before any route)."""

from __future__ import annotations

import copy
import re

from werkzeug.routing import Map

from web.guards import MAX_ID

WRITES = ("post", "put", "patch", "delete")
COMMON = {
    "400": "Bad Request: a NUL character, or a JSON body that cannot be read",
    "429": "Too Many Requests: wait and retry",
}
BODY = {
    "413": "Content Too Large: the body is over the size limit",
    "415": "Unsupported Media Type: a body must be JSON (Content-Type: application/json)",
}
NOTE = (
    "Errors answer {\"error\": summary, \"fields\": {field: reason}} with a 4xx status. "
    "Text fields never take NUL characters (400) or lone UTF-16 surrogates (422); JSON bodies "
    "nest at most 32 levels deep (422); ids are 1 … 2147483647."
)


def document(spec: dict, url_map: Map) -> dict:
    """A copy of `spec` with the shared error answers declared, and the path parameters as
    the routes match them (ids 0 … 2**31-1, `<any(a, b)>` as an enum)."""
    doc = copy.deepcopy(spec)
    doc.setdefault("info", {})["description"] = NOTE
    error = _error_response(doc)
    choices = _any_choices(url_map)
    for path, operations in doc.get("paths", {}).items():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            answers = {**COMMON, **(BODY if method in WRITES[:3] else {})}
            for status, text in answers.items():
                operation["responses"].setdefault(status, {**error, "description": text})
            for parameter in operation.get("parameters", []):
                if parameter.get("in") != "path":
                    continue
                schema = parameter.setdefault("schema", {})
                if schema.get("type") == "integer":
                    schema.update(minimum=0, maximum=MAX_ID)
                if (path, parameter["name"]) in choices:
                    schema.update(type="string", enum=choices[path, parameter["name"]])
                operation["responses"].setdefault("404", {**error, "description": "Not Found"})
    return doc


def _any_choices(url_map: Map) -> dict[tuple[str, str], list[str]]:
    """{(OpenAPI path, parameter): values} for every `<any(...)>` route parameter."""
    found = {}
    for rule in url_map.iter_rules():
        path = re.sub(r"<(?:[^<>]+:)?(\w+)>", r"{\1}", rule.rule)
        for items, name in re.findall(r"<any\(([^)]*)\):(\w+)>", rule.rule):
            found[path, name] = sorted(item.strip(" '\"") for item in items.split(","))
    return found


def _error_response(doc: dict) -> dict:
    """The response body shape of errors: the ErrorOut component spectree registered."""
    names = [n for n in doc.get("components", {}).get("schemas", {}) if n.startswith("ErrorOut")]
    if not names:
        return {}
    schema = {"$ref": f"#/components/schemas/{names[0]}"}
    return {"content": {"application/json": {"schema": schema}}}
