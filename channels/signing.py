"""Twilio's webhook signature scheme (X-Twilio-Signature: HMAC-SHA1 over the URL and sorted
POST parameters, keyed by the auth token), for the app that checks and the carrier that signs."""

from __future__ import annotations

import hashlib
import hmac

from twilio.request_validator import RequestValidator

HEADER = "X-Twilio-Signature"


def webhook_token(auth_token: str | None, secret_key: str) -> str:
    """The key webhooks are signed with: the Twilio auth token, or — with no Twilio account —
    one derived from SECRET_KEY that the simulated carrier of this deployment signs with."""
    if auth_token:
        return auth_token
    return hmac.new(secret_key.encode(), b"crowdline simulated carrier", hashlib.sha256).hexdigest()


def sign(token: str, url: str, params: dict[str, str]) -> str:
    return RequestValidator(token).compute_signature(url, params)


def is_valid(token: str, url: str, params, signature: str | None) -> bool:
    return bool(signature) and RequestValidator(token).validate(url, params, signature)
