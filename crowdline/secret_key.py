"""The Flask secret key: SECRET_KEY from the environment, else one generated once and kept in
the instance folder (mode 0600). Errors are ValueError with the line to show (settings turns them
into a ConfigError)."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def secret_key_from(raw: str | None, instance: Path) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in the instance folder."""
    if raw:
        if len(raw) < 16:
            raise ValueError("SECRET_KEY: too short; use at least 16 random characters")
        return raw
    path = instance / "secret_key"
    try:
        if path.exists():
            return path.read_text().strip()
        instance.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ValueError(
            f"CROWDLINE_INSTANCE: {instance} is not a folder Crowdline can use ({error.strerror})"
        ) from None
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key
