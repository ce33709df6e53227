"""Fixtures for channel tests: Twilio-facing settings, and a live contact center on a fresh
committed database (built by tests/channels/helpers.py)."""

from __future__ import annotations

import pytest

from channels.signing import webhook_token
from tests.channels.helpers import PUBLIC_URL, running_center
from tests.integration.conftest import fresh_db  # noqa: F401  (a committed database per test)
from web.app import create_app


@pytest.fixture
def twilio_settings(settings):
    return settings.with_(public_url=PUBLIC_URL)


@pytest.fixture
def token(twilio_settings):
    return webhook_token(None, twilio_settings.secret_key)


@pytest.fixture
def twilio_app(twilio_settings, session_factory):
    return create_app(twilio_settings, session_factory=session_factory)


@pytest.fixture
def center(fresh_db, twilio_settings):  # noqa: F811
    """Queues `claims` (voice, via an IVR on NUMBER) and `web` (chat widget web:default, SMS on
    NUMBER goes to claims too); agents ann, bob (home phones) and cat (chat)."""
    with running_center(*fresh_db, twilio_settings) as built:
        yield built
