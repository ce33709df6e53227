"""Sign-in rules: CSRF on forms and cookie API writes, throttling, session renewal, tokens."""

from __future__ import annotations

import pytest

from agents import tokens
from agents.users import reset_password
from tests.web_client import csrf_token, login


def _session_cookie(client) -> str | None:
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


def test_login_form_without_csrf_token_is_refused_and_signs_nobody_in(client, users):
    response = client.post(
        "/login", data={"email": users["agent"].email, "password": "correct horse battery"}
    )
    assert response.status_code == 400
    assert "CSRF" in response.get_data(as_text=True)
    assert client.get("/me").status_code == 302  # still anonymous


def test_cookie_authenticated_api_write_needs_the_csrf_header(as_role):
    client = as_role("agent")
    refused = client.patch("/api/v1/me", json={"timezone": "Europe/Paris"})
    assert refused.status_code == 400
    assert client.get("/api/v1/me").get_json()["timezone"] == "UTC"
    token = csrf_token(client, "/me")
    accepted = client.patch(
        "/api/v1/me", json={"timezone": "Europe/Paris"}, headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 200, accepted.get_json()
    assert accepted.get_json()["timezone"] == "Europe/Paris"


def test_login_renews_the_session_and_drops_anonymous_state(client, users):
    with client.session_transaction() as session:
        session["planted"] = "by an attacker"
    before = _session_cookie(client)
    assert login(client, users["agent"].email).status_code == 302
    after = _session_cookie(client)
    assert after and after != before
    with client.session_transaction() as session:
        assert "planted" not in session
        assert session["_user_id"].startswith(f"{users['agent'].id}:")


def test_failed_logins_are_throttled_per_account(app, client, users):
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = "3 per 15 minutes"
    email = users["agent"].email
    statuses = [login(client, email, "wrong password!").status_code for _ in range(4)]
    assert statuses == [401, 401, 401, 429]
    # Even the right password is refused while the account is throttled...
    assert login(client, email).status_code == 429
    # ...but another account from the same address is not.
    assert login(client, users["supervisor"].email).status_code == 302


def test_failed_logins_are_throttled_per_address(app, users):
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = "4 per 15 minutes"
    client = app.test_client()
    for n in range(4):
        assert login(client, f"nobody{n}@example.com", "wrong password!").status_code == 401
    assert login(client, users["admin"].email).status_code == 429
    other = app.test_client()
    other.environ_base["REMOTE_ADDR"] = "10.0.0.9"
    assert login(other, users["admin"].email).status_code == 302


def test_password_reset_signs_out_existing_sessions(as_role, users, db_session):
    client = as_role("agent")
    assert client.get("/me").status_code == 200
    reset_password(session=db_session, user=users["agent"], password="another long password")
    db_session.commit()
    assert client.get("/me").status_code == 302


def test_login_redirects_only_to_local_paths(client, users):
    token = csrf_token(client)
    response = client.post(
        "/login?next=//evil.example.com/x",
        data={
            "email": users["agent"].email,
            "password": "correct horse battery",
            "csrf_token": token,
        },
    )
    assert response.headers["Location"] == "/"


def test_bearer_token_authenticates_api_until_revoked(client, users, db_session):
    token, plain = tokens.create_token(
        session=db_session, actor_id=None, user=users["supervisor"], name="wallboard"
    )
    db_session.commit()
    headers = {"Authorization": f"Bearer {plain}"}
    assert client.get("/api/v1/agents", headers=headers).status_code == 200
    assert client.get("/roster/", headers=headers).status_code == 302  # pages need a login
    assert client.get("/api/v1/tokens", headers=headers).status_code == 403  # role still applies
    tokens.revoke_token(session=db_session, actor_id=None, token_id=token.id)
    db_session.commit()
    assert client.get("/api/v1/agents", headers=headers).status_code == 401
    assert (
        client.get("/api/v1/agents", headers={"Authorization": "Bearer cl_forged"}).status_code
        == 401
    )


def test_with_redis_the_login_throttle_is_shared_by_every_process(settings, session_factory, users):
    import uuid

    import redis

    from tests.databases import services_required
    from web.app import create_app

    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/0").ping()
    except redis.RedisError as error:
        if services_required():
            raise
        pytest.skip(f"Redis not reachable: {error}")
    shared = settings.with_(
        redis_url="redis://127.0.0.1:6379/0",
        extra={"RATELIMIT_KEY_PREFIX": f"test-{uuid.uuid4().hex}"},
        login_limit_per_account="2 per 15 minutes",
    )
    first = create_app(shared, session_factory=session_factory)
    email = users["agent"].email
    assert [login(first.test_client(), email, "wrong password!").status_code for _ in range(2)] == [
        401,
        401,
    ]
    # A second app (another process) has a fresh limiter but reads the same Redis counts.
    second = create_app(shared, session_factory=session_factory)
    assert login(second.test_client(), email).status_code == 429


@pytest.mark.parametrize(
    "target",
    [
        "/%09/evil.example/x",
        "/\t/evil.example",
        "//evil.example",
        "/\\evil.example",
        "https://evil.example/",
        "/ok\n//x",
    ],
)
def test_login_never_redirects_off_site(client, users, target):
    token = csrf_token(client)
    response = client.post(
        "/login",
        query_string={"next": target.replace("%09", "\t")},
        data={
            "email": users["agent"].email,
            "password": "correct horse battery",
            "csrf_token": token,
        },
    )
    assert response.headers["Location"] == "/"


def test_a_copied_session_cookie_is_dead_after_sign_out(as_role):
    client = as_role("supervisor")
    copied = client.get_cookie("session").value
    token = csrf_token(client, "/roster/")
    client.post("/logout", data={"csrf_token": token})
    thief = client.application.test_client()
    thief.set_cookie("session", copied)
    response = thief.get("/roster/")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_bad_bearer_token_is_refused_even_with_a_valid_cookie(as_role):
    client = as_role("admin")
    response = client.post(
        "/api/v1/programs",
        json={"code": "x1", "name": "X", "client_name": "Y"},
        headers={"Authorization": "Bearer junk"},
    )
    assert response.status_code == 401
    assert "invalid or revoked" in response.get_json()["error"]


def test_behind_a_proxy_the_throttle_counts_the_forwarded_client_address(
    settings, session_factory, users
):
    from web.app import create_app
    from web.extensions import limiter

    app = create_app(settings.with_(proxy_hops=1, login_limit_per_address="2 per 15 minutes"),
                     session_factory=session_factory)  # fmt: skip
    limiter.reset()
    mallory = app.test_client()
    mallory.environ_base["HTTP_X_FORWARDED_FOR"] = "203.0.113.7"
    for n in range(2):
        assert login(mallory, f"nobody{n}@example.com", "wrong password!").status_code == 401
    assert login(mallory, users["admin"].email).status_code == 429
    # Everyone comes through nginx at 127.0.0.1; another client is not throttled with mallory.
    alice = app.test_client()
    alice.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.4"
    assert login(alice, users["admin"].email).status_code == 302


def test_behind_an_https_proxy_the_socket_handshake_of_the_page_is_same_origin(
    settings, session_factory
):
    """nginx terminates TLS and sets X-Forwarded-Proto (deploy/nginx.conf): the browser's
    https Origin must match, or every console socket is refused."""
    from web.app import create_app

    app = create_app(settings.with_(proxy_hops=1), session_factory=session_factory)
    client = app.test_client()
    headers = {"Host": "cc.example.com", "Origin": "https://cc.example.com",
               "X-Forwarded-For": "203.0.113.7"}  # fmt: skip
    path = "/socket.io/?EIO=4&transport=polling"
    refused = client.get(path, headers=headers)
    assert refused.status_code == 400  # without the scheme, the origin looks cross-site
    accepted = client.get(path, headers={**headers, "X-Forwarded-Proto": "https"})
    assert accepted.status_code == 200 and accepted.get_data(as_text=True).startswith("0{")
    forged = client.get(path, headers={**headers, "X-Forwarded-Proto": "https",
                                       "Origin": "https://evil.example"})  # fmt: skip
    assert forged.status_code == 400
