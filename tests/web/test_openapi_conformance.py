"""The OpenAPI document describes the API as it answers: schemathesis runs every check
(`--checks all`: server errors, status codes, content types, headers, response schemas,
schema-valid data accepted, schema-invalid data refused, undeclared methods, auth, stateful
links) against /api/openapi.json on a live server, as an admin and as an agent.

Bounded and repeatable: a fixed number of examples per operation, deterministic generation, no
example database, one worker. Rules the document cannot state are listed, with their reason,
in tests/web/schemathesis.toml."""

from __future__ import annotations

import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from agents import tokens
from agents.models import User
from crowdline import demo
from tests.factories import make_user
from tests.integration.conftest import fresh_db  # noqa: F401  (a committed database per test)
from web.app import create_app
from web.extensions import limiter

CONFIG = Path(__file__).with_name("schemathesis.toml")
SCHEMATHESIS = Path(sys.executable).with_name("schemathesis")
EXAMPLES = 5  # per operation and phase: reaches every check within a minute or two
# A token revoked mid-run would turn the rest of the run into 401s: revoking is fuzzed last.
REVOKE = "DELETE /api/v1/tokens/{token_id}"


@pytest.fixture
def live_api(fresh_db, settings):  # noqa: F811
    """A served app on a seeded database (the demo's program, queues, course and logins):
    (base URL, {role: API token})."""
    engine, sessions = fresh_db
    with sessions.begin() as session:
        demo.seed(session=session, bots=2, password="a long demo password")
        admin = make_user(session, "admin")
        agent = session.scalar(select(User).where(User.email == demo.PERSON_AGENT))
        made = {
            role: tokens.create_token(session=session, actor_id=None, user=user, name="fuzz")[1]
            for role, user in (("admin", admin), ("agent", agent))
        }
    app = create_app(settings.with_(database_url=str(engine.url)), session_factory=sessions)
    app.config["ROUTING_WAIT"] = 0.05  # no engine runs: commands answer 202 (queued) at once
    limiter.reset()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", made
    server.shutdown()
    thread.join(timeout=30)


def _schemathesis(base_url: str, token: str, *selection: str) -> subprocess.CompletedProcess:
    command = [
        str(SCHEMATHESIS), "--config-file", str(CONFIG), "--no-color", "run",
        f"{base_url}/api/openapi.json", "--checks", "all", "--workers", "1",
        "--max-examples", str(EXAMPLES), "--request-timeout", "60",
        "-H", f"Authorization: Bearer {token}", *selection,
    ]  # fmt: skip
    return subprocess.run(command, capture_output=True, text=True, timeout=900, check=False)


def _assert_no_failures(run: subprocess.CompletedProcess, who: str) -> None:
    summary = run.stdout.strip().splitlines()[-1:] or ["(no output)"]
    assert run.returncode == 0, f"{who}: {summary[0]}\n{run.stdout[-20000:]}\n{run.stderr[-3000:]}"
    cases = re.search(r"(\d+) generated, (\d+) passed", run.stdout)
    assert cases and int(cases.group(1)) > 0 and cases.group(1) == cases.group(2), run.stdout


@pytest.mark.skipif(not SCHEMATHESIS.exists(), reason="schemathesis is a test dependency")
def test_every_operation_answers_as_the_openapi_document_says(live_api):
    base_url, made = live_api
    for role in ("admin", "agent"):
        _assert_no_failures(_schemathesis(base_url, made[role], "--exclude-name", REVOKE), role)
    _assert_no_failures(_schemathesis(base_url, made["admin"], "--include-name", REVOKE), "revoke")
