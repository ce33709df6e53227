"""GET /healthz: 200 while the database answers, 503 when it does not."""

from __future__ import annotations

from database.engine import make_engine, make_session_factory
from web.app import create_app


def test_health_is_ok_with_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_health_is_503_when_the_database_is_unreachable(settings):
    dead = make_engine(
        "postgresql+psycopg://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 1}
    )
    app = create_app(settings, session_factory=make_session_factory(dead))
    response = app.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "unreachable"
