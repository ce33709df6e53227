"""Disposition (wrap-up) codes per routing queue: a queue's own list, or the default list when
it has none, so a new deployment needs no seeding. Staff mark which of a queue's codes count as
conversions (ROI counts the contacts wrapped up with one); the default list has none."""

from __future__ import annotations

import re
from collections.abc import Iterable

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from channels.models import DispositionCode

DEFAULT_CODES = (
    ("resolved", "Resolved"),
    ("follow_up", "Follow up"),
    ("escalated", "Escalated"),
    ("wrong_number", "Wrong number"),
    ("other", "Other"),
)
CODE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
MAX_CODES = 50


class DispositionError(ValueError):
    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field, self.message = field, message


def _json(code: str, label: str, conversion: bool = False) -> dict:
    return {"code": code, "label": label or code.replace("_", " ").capitalize(),
            "conversion": conversion}  # fmt: skip


def list_codes(*, session: Session, queue_id: str) -> tuple[list[dict], bool]:
    """(codes in display order, True when they are the default list)."""
    found = codes_by_queue(session=session, queue_ids=[queue_id])
    own = found.get(queue_id)
    return (own, False) if own else ([_json(c, label) for c, label in DEFAULT_CODES], True)


def codes_by_queue(*, session: Session, queue_ids: Iterable[str]) -> dict[str, list[dict]]:
    """The queues' own codes (queues using the default list are absent)."""
    ids = sorted(set(queue_ids))
    rows = session.scalars(
        select(DispositionCode)
        .where(DispositionCode.queue_id.in_(ids))
        .order_by(DispositionCode.queue_id, DispositionCode.position)
    )
    found: dict[str, list[dict]] = {}
    for row in rows:
        found.setdefault(row.queue_id, []).append(_json(row.code, row.label, row.is_conversion))
    return found


def codes_for(*, session: Session, queue_id: str | None) -> list[dict]:
    return list_codes(session=session, queue_id=queue_id or "")[0]


def replace_codes(*, session: Session, queue_id: str, codes: list[tuple]) -> None:
    """Replace the queue's list with (code, label) or (code, label, is conversion) items, in
    display order (an empty list returns the queue to the default one)."""
    if len(codes) > MAX_CODES:
        raise DispositionError("codes", f"at most {MAX_CODES} codes")
    seen = set()
    for n, (code, *_rest) in enumerate(codes):
        if not CODE.match(code):
            raise DispositionError(
                f"codes.{n}.code", "lowercase letters, digits, _ or -, at most 40 characters"
            )
        if code in seen:
            raise DispositionError(f"codes.{n}.code", f"{code!r} is listed twice")
        seen.add(code)
    session.execute(delete(DispositionCode).where(DispositionCode.queue_id == queue_id))
    session.add_all(
        DispositionCode(queue_id=queue_id, code=code, label=label.strip(), position=n,
                        is_conversion=bool(flag and flag[0]))
        for n, (code, label, *flag) in enumerate(codes)
    )  # fmt: skip
