"""Console presence shared by several web processes through a real Redis (scaled out)."""

from __future__ import annotations

import uuid

import pytest
import redis
from sqlalchemy.exc import OperationalError

from tests.databases import services_required
from web.console.presence import Presence, SharedPresence, sign_out_gone

REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture
def client():
    client = redis.Redis.from_url(REDIS)
    try:
        client.ping()
    except redis.RedisError as error:
        if services_required():
            raise
        pytest.skip(f"Redis not reachable: {error}")
    return client


@pytest.fixture
def key(client):
    key = f"test:presence:{uuid.uuid4().hex}"
    yield key
    client.delete(key)


def test_a_console_that_moved_to_another_process_is_not_signed_out(client, key):
    first = SharedPresence(client, grace=20.0, key=key)
    second = SharedPresence(client, grace=20.0, key=key)
    first.connected("7", "sid-a")
    first.heartbeat(100.0)
    first.disconnected("sid-a", now=101.0)  # the web process behind sid-a went away …
    second.connected("7", "sid-b")  # … and the console reconnected to another one
    for now in (110.0, 125.0, 140.0):
        second.heartbeat(now)
        assert first.due(now) == [] and second.due(now) == []


def test_agents_of_a_killed_process_are_signed_out_once_after_the_grace(client, key):
    killed = SharedPresence(client, grace=20.0, key=key)
    survivor = SharedPresence(client, grace=20.0, key=key)
    other = SharedPresence(client, grace=20.0, key=key)
    killed.connected("7", "sid-a")
    killed.connected("8", "sid-b")
    killed.heartbeat(100.0)  # then kill -9: no disconnect event, no more stamps
    survivor.connected("9", "sid-c")
    survivor.heartbeat(119.0)
    assert survivor.due(119.0) == []
    survivor.heartbeat(121.0)
    due = sorted(survivor.due(121.0) + other.due(121.0))
    assert due == ["7", "8"]  # each reported by exactly one process
    assert survivor.due(200.0) == []  # survivor's own agent "9" is stamped at every sweep …
    survivor.heartbeat(200.0)
    assert other.due(200.0) == []  # … so no other process takes them for gone


def test_nobody_is_signed_out_while_redis_is_unreachable_nor_right_after_it_returns(client, key):
    dead = redis.Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    presence = SharedPresence(dead, grace=20.0, key=key)
    presence.connected("7", "sid-a")  # Redis down: logged, not raised
    presence.heartbeat(100.0)
    assert presence.due(500.0) == []
    client.zadd(key, {"8": 50.0})  # stamped by some process long ago
    presence.client = client  # Redis is back
    presence.heartbeat(600.0)
    assert presence.due(600.0) == []  # other processes get one grace period to stamp theirs
    assert presence.due(620.0) == ["8"]


def test_a_process_with_no_console_notices_redis_is_back_and_signs_the_gone_out(client, key):
    dead = redis.Redis.from_url("redis://127.0.0.1:1/0", socket_connect_timeout=0.2)
    presence = SharedPresence(client, grace=20.0, key=key)
    presence.connected("7", "sid-a")
    presence.heartbeat(100.0)
    presence.client = dead  # Redis goes away …
    presence.disconnected("sid-a", now=105.0)  # … the agent closes the browser meanwhile …
    presence.heartbeat(110.0)
    assert presence.due(130.0) == []
    presence.client = client  # … and Redis returns: this process has no console left
    presence.heartbeat(200.0)
    assert presence.due(200.0) == []  # other processes get one grace period to stamp
    presence.heartbeat(221.0)
    assert presence.due(221.0) == ["7"]


def test_an_agent_stamped_between_the_scan_and_the_removal_is_kept(client, key):
    class ScanSeesOldStamps(redis.Redis):
        def zrangebyscore(self, *args, **kwargs):
            return [b"8"]  # read before another process stamped "8" again

    racing = ScanSeesOldStamps.from_url(REDIS)
    client.zadd(key, {"8": 600.0})  # the fresh stamp
    presence = SharedPresence(racing, grace=20.0, key=key)
    assert presence.due(600.0) == []
    assert client.zscore(key, "8") == 600.0


class FailingSessions:
    """A session factory whose transactions fail (the database is locked or restarting)."""

    def begin(self):
        raise OperationalError("BEGIN", {}, Exception("database is locked"))


@pytest.mark.parametrize("shared", [False, True], ids=["one process", "through Redis"])
def test_an_agent_whose_sign_out_failed_is_signed_out_at_a_later_sweep(client, key, shared):
    """The sweep claims a gone agent, then cannot write: the claim is not lost; the next
    sweep signs them out (else they would stay "available" with no console, for ever)."""
    presence = SharedPresence(client, grace=20.0, key=key) if shared else Presence(grace=20.0)
    presence.connected("7", "sid-a")
    presence.heartbeat(100.0)
    presence.disconnected("sid-a", now=100.0)
    with pytest.raises(OperationalError):
        sign_out_gone(presence, FailingSessions(), now=121.0)
    assert presence.due(122.0) == ["7"]


def test_an_agent_back_before_the_retry_is_not_signed_out(client, key):
    presence = SharedPresence(client, grace=20.0, key=key)
    presence.connected("7", "sid-a")
    presence.heartbeat(100.0)
    presence.disconnected("sid-a", now=100.0)
    assert presence.due(121.0) == ["7"]
    other = SharedPresence(client, grace=20.0, key=key)
    other.connected("7", "sid-b")  # the console came back on another process, stamped now
    other.heartbeat(121.5)
    presence.retry(["7"], now=121.0)  # the failed sign-out's retry keeps the fresh stamp
    assert presence.due(125.0) == [] and other.due(125.0) == []
