"""Canned responses per client program: ready-made chat replies agents insert from the console.
Rules: a shortcut is 1-32 characters of a-z, 0-9, - and _, unique within its program; a title
1-80 characters; a body 1-2000 characters (the longest chat reply). Functions never commit."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from agents.models import Program
from channels.models import CannedResponse

SHORTCUT = re.compile(r"^[a-z0-9][a-z0-9_-]{0,31}$")
MAX_TITLE = 80
MAX_BODY = 2000


class CannedError(ValueError):
    """Bad input: `fields` maps each field to its reason."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__("; ".join(f"{k}: {v}" for k, v in fields.items()))
        self.fields = fields


def as_json(response: CannedResponse, program_code: str | None = None) -> dict:
    return {
        "id": response.id, "program_id": response.program_id, "program": program_code,
        "shortcut": response.shortcut, "title": response.title, "body": response.body,
    }  # fmt: skip


def list_for(*, session: Session, program_ids: list[int]) -> list[tuple[CannedResponse, str]]:
    """(response, program code) of the programs, by program then shortcut."""
    if not program_ids:
        return []
    rows = session.execute(
        select(CannedResponse, Program.code)
        .join(Program, Program.id == CannedResponse.program_id)
        .where(CannedResponse.program_id.in_(program_ids))
        .order_by(Program.code, CannedResponse.shortcut)
    ).all()
    return [(r, code) for r, code in rows]


def _checked(session: Session, body: dict, *, partial: bool, current: CannedResponse | None):
    fields: dict[str, str] = {}
    values: dict[str, object] = {}
    if not partial or "program_id" in body:
        program_id = body.get("program_id")
        if isinstance(program_id, bool) or not isinstance(program_id, int):
            fields["program_id"] = "required: the id of a client program"
        elif session.get(Program, program_id) is None:
            fields["program_id"] = f"no program {program_id}"
        else:
            values["program_id"] = program_id
    for name, limit in (("title", MAX_TITLE), ("body", MAX_BODY)):
        if not partial or name in body:
            text = body.get(name)
            text = text.strip() if isinstance(text, str) else ""
            if not 1 <= len(text) <= limit:
                fields[name] = f"1 to {limit} characters"
            else:
                values[name] = text
    if not partial or "shortcut" in body:
        shortcut = body.get("shortcut")
        shortcut = shortcut.strip().lower() if isinstance(shortcut, str) else ""
        if not SHORTCUT.match(shortcut):
            fields["shortcut"] = "1 to 32 characters: a-z, 0-9, - and _ (not first)"
        else:
            values["shortcut"] = shortcut
    if fields:
        raise CannedError(fields)
    program_id = values.get("program_id", current.program_id if current else None)
    shortcut = values.get("shortcut", current.shortcut if current else None)
    clash = session.scalar(
        select(CannedResponse.id).where(
            CannedResponse.program_id == program_id, CannedResponse.shortcut == shortcut
        )
    )
    if clash is not None and (current is None or clash != current.id):
        raise CannedError({"shortcut": f"/{shortcut} is already used in this program"})
    return values


def create(*, session: Session, body: dict) -> CannedResponse:
    values = _checked(session, body, partial=False, current=None)
    response = CannedResponse(**values)
    session.add(response)
    session.flush()
    return response


def update(*, session: Session, response: CannedResponse, body: dict) -> CannedResponse:
    for name, value in _checked(session, body, partial=True, current=response).items():
        setattr(response, name, value)
    session.flush()
    return response
