"""Security headers on every response: a CSP without inline script or framing, X-Frame-Options,
nosniff, a Referrer-Policy, HSTS over https; the chat widget framed only by listed origins."""

from __future__ import annotations

import pytest

from crowdline.settings import load_settings
from web.app import create_app

PATHS = ["/login", "/healthz", "/chat", "/api/openapi.json", "/static/app.css", "/nowhere",
         "/api/v1/agents", "/dashboard"]  # fmt: skip


def _directives(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return dict((part.strip() + " ").split(" ", 1) for part in policy.split(";"))


@pytest.mark.parametrize("path", PATHS)
def test_every_response_carries_the_security_headers(client, path):
    response = client.get(path)
    response.close()  # a static file is streamed
    csp = _directives(response)
    assert csp["script-src"].strip() == "'self'"
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
    assert "unsafe-eval" not in response.headers["Content-Security-Policy"]
    assert csp["style-src"].strip() == "'self'"
    assert csp["object-src"].strip() == "'none'"
    assert csp["frame-ancestors"].strip() == "'none'"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert "Strict-Transport-Security" not in response.headers  # PUBLIC_URL is not https


def test_the_socket_io_transport_carries_them_too(client):
    response = client.get("/socket.io/?EIO=4&transport=polling")
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_errors_and_signed_in_pages_carry_them_too(as_role):
    supervisor = as_role("supervisor")
    for path in ("/dashboard", "/roster/", "/roster/999999", "/console"):
        response = supervisor.get(path)
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"], path
        assert response.headers["X-Frame-Options"] == "DENY", path


def test_hsts_is_sent_when_the_public_url_is_https(settings, session_factory):
    app = create_app(settings.with_(public_url="https://cc.example.com"),
                     session_factory=session_factory)  # fmt: skip
    response = app.test_client().get("/login")
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_the_chat_widget_may_be_framed_only_by_the_listed_origins(settings, session_factory):
    origins = ("https://shop.example.com", "https://*.acme.example")
    app = create_app(settings.with_(chat_widget_origins=origins), session_factory=session_factory)
    client = app.test_client()
    widget = client.get("/chat")
    assert _directives(widget)["frame-ancestors"].split() == list(origins)
    assert "X-Frame-Options" not in widget.headers  # it cannot list origins; the CSP does
    other = client.get("/login")
    assert _directives(other)["frame-ancestors"].strip() == "'none'"
    assert other.headers["X-Frame-Options"] == "DENY"


def test_widget_origins_are_read_and_validated_from_the_environment(tmp_path):
    env = {"CROWDLINE_INSTANCE": str(tmp_path), "SECRET_KEY": "k" * 32}
    found = load_settings(
        env | {"CHAT_WIDGET_ORIGINS": "https://Shop.example.com/, http://x.test:8080"}
    )
    assert found.chat_widget_origins == ("https://shop.example.com", "http://x.test:8080")
    assert load_settings(env).chat_widget_origins == ()
