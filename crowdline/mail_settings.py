"""Community mail settings (email verification): SMTP when SMTP_HOST is set, else .eml files
in the instance's outbox/ folder and a log line."""

from __future__ import annotations

from dataclasses import dataclass

_TRUE, _FALSE = ("true", "1", "yes"), ("false", "0", "no")


@dataclass(frozen=True)
class MailSettings:
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_user: str | None = None
    smtp_password: str | None = None
    smtp_starttls: bool = True
    sender: str = "Crowdline community <no-reply@localhost>"


def mail_from_env(env: dict[str, str]) -> MailSettings:
    """SMTP_HOST, SMTP_PORT (1-65535, default 587), SMTP_USER, SMTP_PASSWORD, SMTP_STARTTLS
    (true/false, default true), MAIL_FROM. ValueError names the bad variable."""
    port_raw = (env.get("SMTP_PORT") or "587").strip()
    if not (port_raw.isascii() and port_raw.isdecimal() and 0 < int(port_raw) < 65536):
        raise ValueError(f"SMTP_PORT must be a port number 1-65535, not {port_raw!r}")
    tls = (env.get("SMTP_STARTTLS") or "true").strip().lower()
    if tls not in _TRUE + _FALSE:
        raise ValueError(f"SMTP_STARTTLS must be true or false, not {tls!r}")
    return MailSettings(
        smtp_host=env.get("SMTP_HOST") or None,
        smtp_port=int(port_raw),
        smtp_user=env.get("SMTP_USER") or None,
        smtp_password=env.get("SMTP_PASSWORD") or None,
        smtp_starttls=tls in _TRUE,
        sender=env.get("MAIL_FROM") or MailSettings.sender,
    )
