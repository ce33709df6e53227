"""The living demo (`crowdline demo`) in a process of its own on a scratch instance folder, and
a signed-in user's browser over urllib, for benchmarks that meet the app as people do
(bench/contention.py)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import urllib.error
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.parse import urlencode

PASSWORD = "contention-password-1"


class Browser:
    """One signed-in user's cookie jar and CSRF token over urllib."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
        self.csrf = ""

    def request(self, method: str, path: str, body: dict | None = None, form: dict | None = None):
        """(status, text, content type); never raises for an HTTP status."""
        data, headers = None, {"X-CSRFToken": self.csrf}
        if body is not None:
            data, headers["Content-Type"] = json.dumps(body).encode(), "application/json"
        elif form is not None:
            data = urlencode(form).encode()
        req = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
        try:
            with self.opener.open(req, timeout=60) as response:
                return (
                    response.status,
                    response.read().decode(),
                    response.headers.get("Content-Type", ""),
                )
        except urllib.error.HTTPError as error:
            return (
                error.code,
                error.read().decode(errors="replace"),
                error.headers.get("Content-Type", ""),
            )

    def sign_in(self, email: str, page: str) -> None:
        _, html, _ = self.request("GET", "/login")
        token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)
        status, _, _ = self.request("POST", "/login", form={
            "email": email, "password": PASSWORD, "csrf_token": token})  # fmt: skip
        _, html, _ = self.request("GET", page)
        found = re.search(r'data-csrf="([^"]+)"', html)
        if status >= 400 or not found:
            raise RuntimeError(f"sign-in of {email} failed ({status})")
        self.csrf = found.group(1)


def start_demo(instance: Path, port: int, bots: int) -> subprocess.Popen:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in ("DATABASE_URL", "REDIS_URL", "PUBLIC_URL", "SECRET_KEY", "CARRIER_URL")
    }
    env.update(CROWDLINE_INSTANCE=str(instance), CROWDLINE_PASSWORD=PASSWORD,
               PYTHONUNBUFFERED="1")  # fmt: skip
    crowdline = str(Path(sys.executable).with_name("crowdline"))
    log = open(instance / "demo.log", "ab")  # noqa: SIM115  (the child keeps its own copy)
    try:
        return subprocess.Popen([crowdline, "demo", "--port", str(port), "--bots", str(bots)],
                                env=env, stdout=log, stderr=subprocess.STDOUT)  # fmt: skip
    finally:
        log.close()


def wait_ready(base: str, instance: Path, timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        log = (instance / "demo.log").read_text(errors="replace")
        if "Crowdline demo at" in log:
            try:
                with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                    if response.status == 200:
                        return
            except OSError:
                pass
        time.sleep(0.5)
    raise RuntimeError(f"the demo did not start; see {instance}/demo.log")
