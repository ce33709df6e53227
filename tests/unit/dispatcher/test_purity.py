"""The routing core stays pure: no web, database, telephony or scheduler imports, no wall time."""

from __future__ import annotations

import ast
from pathlib import Path

CORE = Path(__file__).resolve().parents[3] / "dispatcher" / "core"

FORBIDDEN_MODULES = {
    "flask", "flask_socketio", "sqlalchemy", "twilio", "apscheduler", "redis", "psycopg",
    "sqlite3", "socket", "requests", "urllib", "http", "threading", "asyncio", "subprocess",
    "prometheus_client", "aiohttp", "gunicorn",
}  # fmt: skip
WALL_TIME = {
    ("time", "time"), ("time", "time_ns"), ("time", "monotonic"), ("time", "monotonic_ns"),
    ("time", "perf_counter"), ("time", "localtime"), ("time", "gmtime"), ("time", "sleep"),
    ("datetime", "now"), ("datetime", "utcnow"), ("datetime", "today"), ("date", "today"),
}  # fmt: skip
GLOBAL_RANDOM = {"random", "randint", "randrange", "choice", "shuffle", "uniform", "seed"}


def impurities(source: str) -> list[str]:
    """Reasons `source` is not pure routing code (empty when it is)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [f"imports {a.name}" for a in node.names if _forbidden(a.name)]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if _forbidden(node.module):
                found.append(f"imports {node.module}")
            for alias in node.names:
                if (node.module.split(".")[-1], alias.name) in WALL_TIME:
                    found.append(f"imports {node.module}.{alias.name}")
                if node.module == "random" and alias.name in GLOBAL_RANDOM:
                    found.append(f"imports random.{alias.name}")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name | ast.Attribute):
            owner = node.value.id if isinstance(node.value, ast.Name) else node.value.attr
            if (owner, node.attr) in WALL_TIME:
                found.append(f"reads wall time via {owner}.{node.attr}")
            if owner == "random" and node.attr in GLOBAL_RANDOM:
                found.append(f"uses the global RNG via random.{node.attr}")
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "open":
            found.append("opens files")
    return found


def _forbidden(module: str) -> bool:
    return module.split(".")[0] in FORBIDDEN_MODULES


def test_every_core_module_is_free_of_io_and_wall_time():
    modules = sorted(CORE.glob("*.py"))
    assert len(modules) >= 10
    problems = {
        path.name: issues
        for path in modules
        if (issues := impurities(path.read_text(encoding="utf-8")))
    }
    assert problems == {}


def test_purity_check_catches_what_it_forbids():
    bad = (
        "import flask\nfrom sqlalchemy.orm import Session\nimport twilio.rest\n"
        "from apscheduler.schedulers import background\nimport time\nimport datetime as dt\n"
        "from time import monotonic\nx = time.time()\ny = dt.datetime.now()\n"
        "z = datetime.utcnow()\nimport random\nr = random.random()\nopen('f')\n"
    )
    found = impurities(bad)
    for expected in ("flask", "sqlalchemy.orm", "twilio.rest", "apscheduler.schedulers",
                     "time.monotonic", "time.time", "datetime.now", "datetime.utcnow",
                     "random.random", "opens files"):  # fmt: skip
        assert any(expected in reason for reason in found), expected


def test_purity_check_allows_injected_clock_and_rng():
    good = "from random import Random\nrng = Random(3)\nnow = clock.now()\nx = rng.random()\n"
    assert impurities(good) == []
