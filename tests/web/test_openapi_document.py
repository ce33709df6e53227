"""What schemathesis found (tests/web/test_openapi_conformance.py), each pinned as a rule: the
document declares what the API refuses, and the API refuses what the document excludes."""

from __future__ import annotations

import re

import pytest
from openapi_spec_validator import validate

from tests.web_client import csrf_token


@pytest.fixture
def document(client):
    found = client.get("/api/openapi.json").get_json()
    validate(found)
    return found


@pytest.fixture
def admin(as_role):
    client = as_role("admin")
    client.environ_base["HTTP_X_CSRFTOKEN"] = csrf_token(client, "/roster/new")
    return client


def _schema(document, ref_or_schema):
    ref = ref_or_schema.get("$ref")
    return document["components"]["schemas"][ref.rsplit("/", 1)[1]] if ref else ref_or_schema


def _body(document, path, method):
    content = document["paths"][path][method]["requestBody"]["content"]["application/json"]
    return _schema(document, content["schema"])


def test_every_operation_documents_the_answers_of_the_shared_guards(document):
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            answers = set(operation["responses"])
            assert {"400", "429"} <= answers, (method, path)
            if method in ("post", "put", "patch"):
                assert {"413", "415"} <= answers, (method, path)
            if "{" in path:
                assert "404" in answers, (method, path)


def test_path_ids_and_choices_are_declared_as_the_routes_match_them(document):
    agent = document["paths"]["/api/v1/agents/{agent_id}"]["patch"]["parameters"][0]["schema"]
    assert (agent["minimum"], agent["maximum"]) == (0, 2**31 - 1)
    offer = document["paths"]["/api/v1/routing/me/offers/{reservation_id}/{action}"]["post"]
    action = next(p for p in offer["parameters"] if p["name"] == "action")
    assert action["schema"]["enum"] == ["accept", "reject"]


def test_an_oversized_id_is_not_found_whatever_the_method(admin):
    for method in ("get", "patch"):
        response = getattr(admin, method)("/api/v1/agents/2147483648", json={})
        assert response.status_code == 404, method


def test_a_method_not_allowed_says_which_are(admin):
    response = admin.open("/api/v1/routing/stats", method="TRACE")
    assert response.status_code == 405
    assert set(re.split(r",\s*", response.headers["Allow"])) >= {"GET"}


@pytest.mark.parametrize(
    ("method", "path", "body", "field"),
    [
        ("post", "/api/v1/certifications/1/revoke", {"reason": ""}, "reason"),
        ("post", "/api/v1/certifications/1/revoke", {"reason": "  "}, "reason"),
        ("post", "/api/v1/courses/import", {"yaml": ""}, "yaml"),
        ("post", "/api/v1/routing/commands", {"kind": ""}, "kind"),
        (
            "post",
            "/api/v1/programs",
            {"code": "ok-code", "name": "\x0e", "client_name": "A"},
            "name",
        ),
        ("patch", "/api/v1/programs/1", {"is_active": 0}, "is_active"),
        ("patch", "/api/v1/programs/1", {"name": None}, "name"),
    ],
)
def test_what_the_document_excludes_is_refused_naming_the_field(admin, method, path, body, field):
    response = getattr(admin, method)(path, json=body)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["fields"]


def test_the_document_declares_those_rules(document):
    revoke = _body(document, "/api/v1/certifications/{certification_id}/revoke", "post")
    assert "pattern" in revoke["properties"]["reason"]
    assert _body(document, "/api/v1/courses/import", "post")["properties"]["yaml"]["minLength"] == 1
    kind = _body(document, "/api/v1/routing/commands", "post")["properties"]["kind"]
    assert "" not in kind["enum"] and "set_status" in kind["enum"]
    update = _body(document, "/api/v1/programs/{program_id}", "patch")["properties"]["name"]
    assert "anyOf" not in update and update["type"] == "string"  # null is not offered


@pytest.mark.parametrize(
    "path",
    ["/api/v1/routing/stats?day=3.197e-44", "/api/v1/routing/stats?day=0",
     "/api/v1/agents/1/skills?at=-1.08e-43", "/api/v1/agents/1/skills?at=0.5"],
)  # fmt: skip
def test_dates_and_times_are_iso_text_not_numbers(admin, users, path):
    response = admin.get(path)
    assert response.status_code == 422, response.get_json()
    assert path.split("?")[1].split("=")[0] in response.get_json()["fields"]


def test_a_body_that_is_not_an_object_or_is_missing_is_refused(admin):
    not_object = admin.patch("/api/v1/programs/1", data="false", content_type="application/json")
    assert not_object.status_code == 422 and "body" in not_object.get_json()["fields"]
    missing = admin.patch("/api/v1/programs/1")
    assert missing.status_code in (415, 422)
