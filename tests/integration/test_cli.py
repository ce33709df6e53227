"""The `crowdline` command: configuration errors, schema checks, users, first start."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import urllib.request
from http.cookiejar import CookieJar
from urllib.parse import urlencode

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from agents.models import User
from crowdline.cli import cli
from database.engine import make_engine, make_session_factory
from migrations import migrate
from tests.waiting import wait_until


@pytest.fixture
def run_cli(tmp_path):
    def invoke(*args, env=None, input=None):
        base = {
            "CROWDLINE_INSTANCE": str(tmp_path / "instance"),
            "DATABASE_URL": "",
            "REDIS_URL": "",
            "PUBLIC_URL": "",
            "TWILIO_ACCOUNT_SID": "",
            "TWILIO_AUTH_TOKEN": "",
            "SECRET_KEY": "",
            "CARRIER_URL": "",
            "PRESENCE_GRACE_SECONDS": "",
            "CHAT_TOKEN_GRACE_SECONDS": "",
            "PROXY_HOPS": "",
        }
        return CliRunner().invoke(cli, list(args), env={**base, **(env or {})}, input=input)

    return invoke


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"DATABASE_URL": "mysql://root@localhost/crowdline"}, "DATABASE_URL"),
        ({"DATABASE_URL": "::not a url::"}, "DATABASE_URL"),
        ({"DATABASE_URL": "postgresql://"}, "DATABASE_URL"),
        ({"REDIS_URL": "http://127.0.0.1:6379"}, "REDIS_URL"),
        ({"REDIS_URL": "redis://127.0.0.1:port"}, "REDIS_URL"),
        ({"PUBLIC_URL": "cc.example.com"}, "PUBLIC_URL"),
        ({"PUBLIC_URL": "https://cc.example.com/?x=1"}, "PUBLIC_URL"),
        ({"TWILIO_ACCOUNT_SID": "AC" + "0" * 32}, "TWILIO_AUTH_TOKEN"),
        ({"TWILIO_AUTH_TOKEN": "secret"}, "TWILIO_ACCOUNT_SID"),
        ({"TWILIO_ACCOUNT_SID": "SK123", "TWILIO_AUTH_TOKEN": "secret"}, "TWILIO_ACCOUNT_SID"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY"),
        ({"CARRIER_URL": "redis://127.0.0.1:5100"}, "CARRIER_URL"),
        ({"CARRIER_URL": "http://127.0.0.1:5100/x"}, "CARRIER_URL"),
        ({"PRESENCE_GRACE_SECONDS": "soon"}, "PRESENCE_GRACE_SECONDS"),
        ({"PRESENCE_GRACE_SECONDS": "0"}, "PRESENCE_GRACE_SECONDS"),
        ({"PROXY_HOPS": "two"}, "PROXY_HOPS"),
        ({"CHAT_WIDGET_ORIGINS": "shop.example.com"}, "CHAT_WIDGET_ORIGINS"),
        ({"CHAT_WIDGET_ORIGINS": "https://shop.example.com/page"}, "CHAT_WIDGET_ORIGINS"),
        ({"CHAT_WIDGET_ORIGINS": "https://a.example.com, *"}, "CHAT_WIDGET_ORIGINS"),
        ({"CHAT_WIDGET_ORIGINS": "https://x.example.com'; script-src *"}, "CHAT_WIDGET_ORIGINS"),
        ({"CHAT_TOKEN_GRACE_SECONDS": "a while"}, "CHAT_TOKEN_GRACE_SECONDS"),
    ],
)
def test_bad_configuration_stops_start_up_with_one_line_naming_the_variable(run_cli, env, variable):
    result = run_cli("run", env=env)
    assert result.exit_code == 2
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1, result.output
    assert lines[0].startswith(f"crowdline: configuration error: {variable}:")
    assert "Traceback" not in result.output


def test_unreachable_database_is_one_clear_line(run_cli):
    result = run_cli("db", "current", env={"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    assert result.exit_code == 2
    assert result.output.startswith("crowdline: cannot reach the database:")


def test_empty_configured_database_is_refused_until_db_upgrade(run_cli, tmp_path):
    url = f"sqlite:///{tmp_path / 'configured.db'}"
    refused = run_cli(
        "users",
        "create",
        "--role",
        "admin",
        "--email",
        "a@example.com",
        "--name",
        "A",
        "--password",
        "long enough pw",
        env={"DATABASE_URL": url},
    )
    assert refused.exit_code == 2
    assert "run `crowdline db upgrade`" in refused.output
    assert run_cli("db", "upgrade", env={"DATABASE_URL": url}).exit_code == 0
    created = run_cli(
        "users",
        "create",
        "--role",
        "admin",
        "--email",
        "a@example.com",
        "--name",
        "A",
        "--password",
        "long enough pw",
        env={"DATABASE_URL": url},
    )
    assert created.exit_code == 0, created.output
    down = run_cli("db", "downgrade", "--revision", "base", env={"DATABASE_URL": url})
    assert down.exit_code == 0 and "revision base" in down.output


def test_a_database_behind_the_code_names_the_fix(tmp_path, monkeypatch):
    from crowdline.schema import SchemaNotReady, ensure_schema
    from crowdline.settings import Settings

    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    migrate.upgrade(engine)
    monkeypatch.setattr(migrate, "head_revision", lambda: "9999_newer")
    settings = Settings(database_url="", secret_key="x" * 20, instance_path=tmp_path, embedded=True)
    with pytest.raises(SchemaNotReady, match=r"needs 9999_newer; run `crowdline db upgrade`"):
        ensure_schema(engine, settings)


def test_users_cli_refuses_bad_input_and_changes_nothing(run_cli, tmp_path):
    url = f"sqlite:///{tmp_path / 'users.db'}"
    run_cli("db", "upgrade", env={"DATABASE_URL": url})
    ok = run_cli(
        "users",
        "create",
        "--role",
        "agent",
        "--email",
        "sam@example.com",
        "--name",
        "Sam",
        env={"DATABASE_URL": url},
        input="long enough pw\nlong enough pw\n",
    )
    assert ok.exit_code == 0, ok.output
    cases = [
        (["--role", "wizard", "--email", "x@example.com", "--name", "X"], "--role"),
        (["--role", "agent", "--email", "sam@example.com", "--name", "Dup"], "--email"),
        (["--role", "agent", "--email", "bad-email", "--name", "X"], "--email"),
        (
            ["--role", "agent", "--email", "y@example.com", "--name", "Y", "--password", "short"],
            "--password",
        ),
    ]
    for args, hint in cases:
        if "--password" not in args:
            args = [*args, "--password", "long enough pw"]
        result = run_cli("users", "create", *args, env={"DATABASE_URL": url})
        assert result.exit_code == 2, result.output
        assert hint in result.output and "Traceback" not in result.output
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        assert session.scalar(select(func.count(User.id))) == 1
    missing = run_cli(
        "users",
        "reset-password",
        "--email",
        "nobody@example.com",
        "--password",
        "long enough pw",
        env={"DATABASE_URL": url},
    )
    assert missing.exit_code == 2 and "no user with email" in missing.output


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(url: str) -> int:
    """The status of the first answer from `url` (the process is starting)."""

    def answered() -> int | None:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                return response.status
        except OSError:
            return None

    return wait_until(answered, interval=0.2, message=f"{url} to answer")


def test_first_embedded_start_migrates_and_prints_a_working_login(tmp_path):
    port = _free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "PUBLIC_URL", "SECRET_KEY")
    }
    env["CROWDLINE_INSTANCE"] = str(tmp_path / "instance")
    crowdline = os.path.join(os.path.dirname(sys.executable), "crowdline")
    process = subprocess.Popen(
        [crowdline, "run", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert _wait_for(f"http://127.0.0.1:{port}/healthz") == 200
    finally:
        process.terminate()
        output = process.communicate(timeout=60)[0]
    match = re.search(r"as (\S+@\S+) / (\S+)", output)
    assert match, output
    assert (tmp_path / "instance" / "crowdline.db").exists()
    # Start again: the login still works and nothing is printed twice.
    process = subprocess.Popen(
        [crowdline, "run", "--port", str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_for(f"http://127.0.0.1:{port}/healthz")
        assert _sign_in(port, match.group(1), match.group(2)).endswith("/dashboard")
    finally:
        process.terminate()
        second = process.communicate(timeout=60)[0]
    assert "administrator account was created" not in second


def _sign_in(port: int, email: str, password: str) -> str:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    html = opener.open(f"http://127.0.0.1:{port}/login").read().decode()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
    data = urlencode({"email": email, "password": password, "csrf_token": token}).encode()
    with opener.open(f"http://127.0.0.1:{port}/login", data=data) as response:
        return response.url


def test_carrier_refuses_a_deployment_it_cannot_sign_for_or_a_bad_web_url(run_cli):
    result = run_cli("carrier", "--web", "http://127.0.0.1:5001")
    assert result.exit_code == 2 and "SECRET_KEY: required" in result.output
    keyed = {"SECRET_KEY": "the-deployment-secret-key"}
    result = run_cli("carrier", "--web", "http://127.0.0.1:5001", env=keyed)
    assert result.exit_code == 2 and "PUBLIC_URL: required" in result.output
    result = run_cli("carrier", "--web", "127.0.0.1:5001",
                     env={**keyed, "PUBLIC_URL": "http://cc.test"})  # fmt: skip
    assert result.exit_code == 2 and "not an http(s) URL" in result.output
    assert "Traceback" not in result.output
