"""Twilio-shaped ids for simulated calls, messages and recordings (prefix + 32 hex digits)."""

from __future__ import annotations

import secrets


def sid(prefix: str) -> str:
    return prefix + secrets.token_hex(16)
