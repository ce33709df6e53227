"""How the simulated carrier reaches the web app with its signed webhooks: straight into a
Flask app (tests, benchmarks) or over HTTP to a local server."""

from __future__ import annotations

import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from urllib.parse import urlsplit

# (url, form params, headers) -> (status, body)
Transport = Callable[[str, dict[str, str], dict[str, str]], tuple[int, str]]


def flask_transport(app) -> Transport:
    """Post webhooks straight into a Flask app (tests, the benchmark): no socket."""

    def post(url: str, params: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        response = app.test_client().post(path, data=params, headers=headers)
        return response.status_code, response.get_data(as_text=True)

    return post


def http_transport(local_base: str, timeout: float = 10.0) -> Transport:
    """Post webhooks over HTTP to the local server, whatever public URL they are signed for."""

    def post(url: str, params: dict[str, str], headers: dict[str, str]) -> tuple[int, str]:
        parts = urlsplit(url)
        target = local_base.rstrip("/") + parts.path + (f"?{parts.query}" if parts.query else "")
        data = urllib.parse.urlencode(params).encode()
        request = urllib.request.Request(target, data=data, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.read().decode()

    return post
