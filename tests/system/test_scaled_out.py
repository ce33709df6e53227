"""The short CI version of the system run (`crowdline bench system`, bench/system.py):
Crowdline scaled out on 127.0.0.1 — two web processes, an active and a standby engine,
PostgreSQL and Redis — under simulated callers, texters and Socket.IO agents, with one fault
each, then checked from the database. Runs the documented command in a process of its own
and reads its figures. PostgreSQL leg only (CROWDLINE_TEST_DATABASE=postgresql)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import redis

from tests import databases

pytestmark = pytest.mark.skipif(
    databases.suite_backend() != "postgresql",
    reason="the scaled-out system run needs PostgreSQL (runs in the PostgreSQL leg)",
)


@pytest.fixture(scope="module")
def postgres_url():
    try:
        redis.Redis.from_url("redis://127.0.0.1:6379/9").ping()
    except redis.RedisError as error:
        if databases.services_required():
            raise
        pytest.skip(f"Redis not reachable: {error}")
    return databases.POSTGRES_SERVER_URL


# kill-web, restart-postgres and stop-redis run in `crowdline bench system --fault …` (README):
# kill-web's reconnection by the simulated agents' clients is not dependable enough for CI.
@pytest.mark.parametrize("fault", ["kill-engine", "close-browsers"])
def test_nothing_is_lost_or_assigned_twice_under_load_and_a_fault(postgres_url, fault):
    crowdline = str(Path(sys.executable).with_name("crowdline"))
    # close-browsers needs chat offers after the fault (a call also rings the agent's phone).
    calls, chats = ("20", "60") if fault == "close-browsers" else ("50", "25")
    command = [crowdline, "bench", "system", "--web", "2", "--agents", "8", "--seconds", "14",
               "--calls-per-minute", calls, "--chats-per-minute", chats, "--fault", fault,
               "--database-url", postgres_url]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    print(done.stdout[-3000:], done.stderr[-3000:])
    lines = [x for x in done.stdout.splitlines() if x.startswith("BENCH ")]
    assert lines, f"the run printed no figures (exit {done.returncode})"
    result = json.loads(lines[-1].removeprefix("BENCH "))
    assert result["failures"] == []
    assert done.returncode == 0
    assert result["agents_connected"] == 8
    assert result["created"] >= 5, "the carrier's traffic never reached the web processes"
    assert result["completed"] >= 3
    assert result["offers_measured"] >= 1, "no offer reached an agent's socket"
    figures = result["fault_figures"]
    if fault == "kill-engine":
        # Measured and printed by the bench, never bounded here: a loaded machine may take long.
        assert isinstance(figures["seconds to the standby's first decision"], float)
    if fault == "close-browsers":
        closed = figures["consoles closed while holding an offer"]
        assert closed >= 1
        assert figures["of them re-routed to another agent (or the customer left)"] == closed
