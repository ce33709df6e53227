"""Outgoing mail of the community (email verification): an outbox folder plus a log line in
the embedded default, SMTP when configured. Both take an `email.message.EmailMessage`."""

from __future__ import annotations

import logging
import smtplib
import time
from email.message import EmailMessage
from pathlib import Path
from typing import Protocol

log = logging.getLogger(__name__)


class Mailer(Protocol):
    def send(self, message: EmailMessage) -> None: ...


class OutboxMailer:
    """Writes each message as an .eml file in `folder` and logs where it went."""

    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def send(self, message: EmailMessage) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        name = f"{time.time_ns()}.eml"
        (self.folder / name).write_bytes(bytes(message))
        log.info("mail to %s (%s) written to %s", message["To"], message["Subject"],
                 self.folder / name)  # fmt: skip


class SmtpMailer:
    """Sends through an SMTP server (STARTTLS unless told not to, login when a user is set)."""

    def __init__(self, *, host: str, port: int, user: str | None, password: str | None,
                 starttls: bool = True, timeout: float = 10.0):  # fmt: skip
        self.host, self.port, self.user, self.password = host, port, user, password
        self.starttls, self.timeout = starttls, timeout

    def send(self, message: EmailMessage) -> None:
        with smtplib.SMTP(self.host, self.port, timeout=self.timeout) as smtp:
            if self.starttls:
                smtp.starttls()
            if self.user:
                smtp.login(self.user, self.password or "")
            smtp.send_message(message)
        log.info("mail to %s (%s) sent through %s", message["To"], message["Subject"], self.host)


def verification_message(*, sender: str, to: str, name: str, link: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = sender
    message["To"] = to
    message["Subject"] = "Confirm your email for the Crowdline community"
    message.set_content(
        f"Hello {name},\n\nConfirm your email address to start posting:\n\n{link}\n\n"
        "If you did not sign up, ignore this message.\n"
    )
    return message
