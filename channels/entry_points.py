"""Entry points: numbers and widgets mapped to a program, a default queue and an IVR menu."""

from __future__ import annotations

import re

import phonenumbers
from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.models import Program
from channels import inbound
from channels.models import EntryPoint

WIDGET_PREFIX = "web:"
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,40}")
_ID = re.compile(r"[A-Za-z0-9_.:-]{1,64}")


class EntryPointError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def get_by_address(*, session: Session, address: str) -> EntryPoint | None:
    return session.scalar(
        select(EntryPoint).where(EntryPoint.address == address, EntryPoint.is_active)
    )


def sending_number(*, session: Session, program_id: int) -> str | None:
    """A phone number of the program's (an active entry point's) to send an SMS from."""
    return session.scalar(
        select(EntryPoint.address)
        .where(EntryPoint.program_id == program_id, EntryPoint.is_active,
               EntryPoint.address.startswith("+"))
        .order_by(EntryPoint.id).limit(1))  # fmt: skip


def list_entry_points(*, session: Session) -> list[EntryPoint]:
    return list(session.scalars(select(EntryPoint).order_by(EntryPoint.address)))


def normalise_address(raw: str) -> str:
    """E.164 (`+15550001000`, also `whatsapp:+1…` → the number) or `web:<slug>`."""
    raw = (raw or "").strip()
    if raw.startswith(WIDGET_PREFIX):
        if not _SLUG.fullmatch(raw[len(WIDGET_PREFIX) :]):
            raise EntryPointError("address", "a widget is web:<slug> in lower-case letters")
        return raw
    raw = raw.removeprefix("whatsapp:")
    try:
        number = phonenumbers.parse(raw, None)
    except phonenumbers.NumberParseException:
        raise EntryPointError("address", "not an E.164 number like +15550001000") from None
    if not phonenumbers.is_possible_number(number):
        raise EntryPointError("address", "not a possible phone number")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _menu(raw: list) -> list[dict]:
    options, digits = [], set()
    for n, option in enumerate(raw or []):
        digit = str(option.get("digit", ""))
        if not re.fullmatch(r"[0-9]", digit) or digit in digits:
            raise EntryPointError(f"menu[{n}].digit", "one distinct key 0-9 per option")
        if not _ID.fullmatch(str(option.get("queue_id", ""))):
            raise EntryPointError(f"menu[{n}].queue_id", "a queue id is required")
        digits.add(digit)
        options.append({
            "digit": digit,
            "label": str(option.get("label") or f"option {digit}")[:120],
            "queue_id": str(option["queue_id"]),
            "language": (option.get("language") or None),
        })  # fmt: skip
    return options


def save(
    *,
    session: Session,
    address: str,
    program_code: str,
    queue_id: str,
    greeting: str = "",
    language: str | None = None,
    menu: list | None = None,
    announce_position: bool = True,
    is_active: bool = True,
) -> EntryPoint:
    """Create or replace the entry point at `address`; never commits."""
    address = normalise_address(address)
    program = session.scalar(select(Program).where(Program.code == program_code))
    if program is None:
        raise EntryPointError("program", f"no program with code {program_code!r}")
    if not _ID.fullmatch(queue_id or ""):
        raise EntryPointError("queue_id", "a queue id of letters, digits and - _ . :")
    entry = session.scalar(select(EntryPoint).where(EntryPoint.address == address))
    if entry is None:
        entry = EntryPoint(address=address)
        session.add(entry)
    entry.program = program
    entry.queue_id = queue_id
    entry.greeting = greeting[:500]
    entry.language = language or None
    entry.menu = _menu(menu or [])
    entry.announce_position = announce_position
    entry.is_active = is_active
    session.flush()
    inbound.forget_routes_at_commit(session)
    return entry
